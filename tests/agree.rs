//! `check` and `build` agree: content that `check` accepts builds, and
//! what the render stage finds (links, clashes with static files) is
//! reported by `check` too, with the same lines and exit code. A page links
//! only to routes the build renders, months outside the plan's included.

mod common;

use common::*;

/// A report for a month before the plan's issue month (2025-02) and one
/// for a month whose report day is after D (2025-05, D = 10/05/2025), both
/// submitted by D. The January report is handed in late, once the plan is
/// issued: a report on a plan's task submitted before its plan was issued
/// is an error at `issued` (issue 28).
fn months_outside_the_plan() -> tempfile::TempDir {
    site_with(&[
        (
            "content/reports/2025-01/so-mot.yaml",
            Some(b"agency: so-mot\nperiod: 2025-01\nsubmitted: 2025-03-01\nupdates:\n  - task: viec-mot\n    state: in_progress\n    progress: 10\n"),
        ),
        (
            "content/reports/2025-05/so-mot.yaml",
            Some(b"agency: so-mot\nperiod: 2025-05\nsubmitted: 2025-05-05\nupdates:\n  - task: viec-mot\n    state: in_progress\n    reopened: \"Kiem tra lai\"\n    progress: 60\n"),
        ),
    ])
}

const AS_OF: [&str; 2] = ["--as-of", "2025-05-10"];

#[test]
fn reports_for_months_outside_the_plan_check_and_build() {
    let dir = months_outside_the_plan();
    let check = tiendo(&["check", AS_OF[0], AS_OF[1]], dir.path());
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert_build_agrees(&check, dir.path(), &AS_OF);
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let build = tiendo(
        &[
            "build",
            "--output",
            &site.to_string_lossy(),
            AS_OF[0],
            AS_OF[1],
        ],
        dir.path(),
    );
    assert_eq!(build.code, 0, "{}", build.stderr);
    let task = std::fs::read_to_string(site.join("nhiem-vu/viec-mot/index.html")).unwrap();
    for month in ["2025-01", "2025-05"] {
        assert!(
            task.contains(&format!("href=\"/cong/bao-cao/{month}/\"")),
            "the task links to {month}"
        );
        for lang in ["", "en/"] {
            let page = site.join(format!("{lang}bao-cao/{month}/index.html"));
            assert!(page.is_file(), "{} is rendered", page.display());
        }
    }
    let index = std::fs::read_to_string(site.join("bao-cao/index.html")).unwrap();
    assert!(index.contains("href=\"/cong/bao-cao/2025-05/\""));
}

#[test]
fn a_report_submitted_after_d_makes_no_page_and_no_link() {
    let dir = site_with(&[(
        "content/reports/2025-05/so-mot.yaml",
        Some(b"agency: so-mot\nperiod: 2025-05\nsubmitted: 2025-05-19\nupdates:\n  - task: viec-mot\n    state: in_progress\n    reopened: \"L\xc3\xa0m l\xe1\xba\xa1i\"\n"),
    )]);
    let check = tiendo(&["check"], dir.path());
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert_build_agrees(&check, dir.path(), &[]);
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    assert_eq!(
        tiendo(&["build", "--output", &site.to_string_lossy()], dir.path()).code,
        0
    );
    assert!(!site.join("bao-cao/2025-05").exists());
}

#[test]
fn a_static_file_clashing_with_a_page_fails_check_as_it_fails_build() {
    let dir = site_with(&[(
        "content/static/nhiem-vu/index.html",
        Some(b"<p>old page</p>"),
    )]);
    let check = tiendo(&["check", "--lang", "en"], dir.path());
    assert_error(
        &check,
        "content/static/nhiem-vu/index.html: error: static file /nhiem-vu/index.html would replace a generated page; rename or move it",
    );
    assert_build_agrees(&check, dir.path(), &["--lang", "en"]);
}

#[test]
fn a_broken_link_in_an_article_fails_check_as_it_fails_build() {
    let md = "---\ntitle: Tin một\ndate: 2025-03-10\n---\nXem [trang cũ](/cong/khong-co/).\n";
    let dir = site_with(&[("content/news/tin-mot.md", Some(md.as_bytes()))]);
    let check = tiendo(&["check", "--lang", "en"], dir.path());
    assert_eq!(check.code, 1, "{}", check.stderr);
    assert!(
        check
            .stderr
            .contains("content/news/tin-mot.md:5:16: error: broken link `/cong/khong-co/`"),
        "{}",
        check.stderr
    );
    assert_build_agrees(&check, dir.path(), &["--lang", "en"]);
}

#[test]
fn a_report_for_a_month_after_its_submission_fails_check_as_it_fails_build() {
    let dir = site_with(&[(
        "content/reports/2025-05/so-mot.yaml",
        Some(b"agency: so-mot\nperiod: 2025-05\nsubmitted: 2025-04-24\nupdates:\n  - task: viec-mot\n    state: done\n    done_on: 2025-04-02\n"),
    )]);
    let check = tiendo(&["check", "--lang", "en"], dir.path());
    assert_eq!(check.code, 1, "{}", check.stderr);
    assert_build_agrees(&check, dir.path(), &["--lang", "en"]);
}

#[test]
fn a_base_url_without_scheme_or_host_is_a_usage_error() {
    let dir = site_with(&[]);
    let run = tiendo(&["build", "--base-url", "example.gov.vn"], dir.path());
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("https://example.gov.vn/tien-do/"),
        "{}",
        run.stderr
    );
    assert!(!dir.path().join("output").exists());
}

#[test]
fn every_link_and_sitemap_entry_starts_with_the_base_url() {
    let dir = site_with(&[]);
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let run = tiendo(
        &[
            "build",
            "--base-url",
            "https://example.gov.vn/tien-do/",
            "--output",
            &site.to_string_lossy(),
        ],
        dir.path(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let sitemap = std::fs::read_to_string(site.join("sitemap.xml")).unwrap();
    let locs: Vec<&str> = sitemap.split("<loc>").skip(1).collect();
    assert!(!locs.is_empty());
    for loc in locs {
        assert!(loc.starts_with("https://example.gov.vn/tien-do/"), "{loc}");
    }
    for entry in walkdir::WalkDir::new(&site).into_iter().flatten() {
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = std::fs::read_to_string(entry.path()).unwrap();
        for attr in ["href=\"", "src=\""] {
            for link in html.split(attr).skip(1) {
                let link = &link[..link.find('"').unwrap_or(0)];
                let internal = !link.starts_with("mailto:") && !link.starts_with('#');
                if internal && !link.starts_with("http") {
                    assert!(
                        link.starts_with("/tien-do/"),
                        "{}: {link}",
                        entry.path().display()
                    );
                } else if link.starts_with("http") && link.contains("example.gov.vn") {
                    assert!(
                        link.starts_with("https://example.gov.vn/tien-do/"),
                        "{link}"
                    );
                }
            }
        }
    }
}
