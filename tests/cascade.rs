//! Plans that cascade (seed item 4): an agency's implementation plan under
//! the provincial one, its tasks under the provincial tasks. The plan pages
//! exist and link both ways, a task shows its chain up to the outside
//! document and its children with their statuses, and `check` says what is
//! wrong at the line where it is written.

mod common;

use common::*;

const PROVINCIAL: &str = "content/plans/ke-hoach.yaml";
const AGENCY_PLAN: &str = "content/plans/trien-khai-so-mot.yaml";

/// The minimal site's plan, said to carry out Resolution 57, with an
/// agency's plan under it whose tasks carry out `viec-mot`.
fn cascade_site(child_deadline: &str, parent: &str) -> tempfile::TempDir {
    let provincial = std::fs::read_to_string(fixture("minimal").join(PROVINCIAL))
        .unwrap()
        .replace(
            "issued: 2025-02-25\n",
            "issued: 2025-02-25\nimplements: { title: \"Nghị quyết 57-NQ/TW\", url: \"https://example.org/nq57\" }\n",
        );
    let agency = format!(
        "id: trien-khai-so-mot
title: Kế hoạch triển khai của Sở Một
issuer: Sở Một
issued: 2025-02-26
implements: ke-hoach
tasks:
  - id: viec-mot-a
    parent: {parent}
    title: Phần việc A
    lead: so-mot
    deadline: {child_deadline}
    result: Xong phần A
    responsible: Giám đốc Sở Một
  - id: viec-mot-b
    parent: {parent}
    title: Phần việc B
    lead: so-mot
    deadline: 2025-03-20
    result: Xong phần B
    responsible: Giám đốc Sở Một
"
    );
    site_with(&[
        (PROVINCIAL, Some(provincial.as_bytes())),
        (AGENCY_PLAN, Some(agency.as_bytes())),
    ])
}

#[test]
fn plan_pages_link_both_ways_and_a_task_shows_its_chain_and_children() {
    let site = cascade_site("2025-03-25", "viec-mot");
    let out = site.path().join("out");
    let run = tiendo(&["build", "--output", out.to_str().unwrap()], site.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = |rel: &str| std::fs::read_to_string(out.join(rel)).unwrap();
    // The plans' index and each plan's page.
    let plans = page("ke-hoach/index.html");
    assert!(
        plans.contains("/ke-hoach/ke-hoach/") && plans.contains("/ke-hoach/trien-khai-so-mot/")
    );
    let provincial = page("ke-hoach/ke-hoach/index.html");
    assert!(
        provincial.contains("Nghị quyết 57-NQ/TW"),
        "names the document it implements"
    );
    assert!(provincial.contains("https://example.org/nq57"));
    assert!(
        provincial.contains("/ke-hoach/trien-khai-so-mot/"),
        "lists the plan under it"
    );
    let agency = page("ke-hoach/trien-khai-so-mot/index.html");
    assert!(
        agency.contains("/ke-hoach/ke-hoach/"),
        "links the plan it implements"
    );
    // The child: its chain up to the outside document.
    let child = page("nhiem-vu/viec-mot-a/index.html");
    assert!(child.contains("/nhiem-vu/viec-mot/"), "links its parent");
    assert!(
        child.contains("Nghị quyết 57-NQ/TW"),
        "the chain ends outside the site"
    );
    // The parent: its children with their statuses, its own status its own.
    let parent = page("nhiem-vu/viec-mot/index.html");
    assert!(parent.contains("/nhiem-vu/viec-mot-a/") && parent.contains("/nhiem-vu/viec-mot-b/"));
    assert!(parent.contains("2 nhiệm vụ con:"), "counts its children");
    // Every page reaches the plans' index from somewhere: the task's crumb.
    assert!(parent.contains("href=\"/cong/ke-hoach/ke-hoach/\""));
}

#[test]
fn a_child_due_after_its_parent_is_a_warning_at_the_child() {
    let site = cascade_site("2025-04-30", "viec-mot");
    let run = tiendo(&["check", "--lang", "en"], site.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!("{AGENCY_PLAN}:8:13: warning: the child task is due 30/04/2025, after its parent `viec-mot` (31/03/2025)")),
        "{}",
        run.stderr
    );
}

#[test]
fn an_unknown_parent_or_one_of_a_plan_not_implemented_is_an_error() {
    let site = cascade_site("2025-03-25", "viec-muoi");
    let run = tiendo(&["check", "--lang", "en"], site.path());
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("there is no task `viec-muoi` to be the parent"),
        "{}",
        run.stderr
    );
    // A parent in the same plan: not a plan this one implements.
    let site = cascade_site("2025-03-25", "viec-mot-b");
    let run = tiendo(&["check", "--lang", "en"], site.path());
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("belongs to plan `trien-khai-so-mot`, which this plan does not implement"),
        "{}",
        run.stderr
    );
}

#[test]
fn plans_that_implement_each_other_are_an_error() {
    let provincial = std::fs::read_to_string(fixture("minimal").join(PROVINCIAL))
        .unwrap()
        .replace(
            "issued: 2025-02-25\n",
            "issued: 2025-02-25\nimplements: trien-khai-so-mot\n",
        );
    let agency = "id: trien-khai-so-mot\ntitle: Kế hoạch của Sở Một\nissued: 2025-02-26\nimplements: ke-hoach\n";
    let site = site_with(&[
        (PROVINCIAL, Some(provincial.as_bytes())),
        (AGENCY_PLAN, Some(agency.as_bytes())),
    ]);
    let run = tiendo(&["check", "--lang", "en"], site.path());
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("closes a loop of `implements`"),
        "{}",
        run.stderr
    );
}
