//! Content mistakes caught where they are made (issue 28, parts C and D;
//! issue 29, control and bidi characters): each site is the `minimal`
//! fixture with some files replaced, checked by the real binary (and
//! built, which must say the same), messages in English.

mod common;

use common::*;
use tiendo::model::Direction;

/// `check --lang en` on the minimal site with `files` replaced; `build`
/// must report the same.
fn check_files(files: &[(&str, &str)]) -> Run {
    let files: Vec<(&str, Option<&[u8]>)> = files
        .iter()
        .map(|(p, c)| (*p, Some(c.as_bytes())))
        .collect();
    let dir = site_with(&files);
    let run = tiendo(&["check", "--lang", "en"], dir.path());
    assert_build_agrees(&run, dir.path(), &["--lang", "en"]);
    run
}

/// The lines of stderr that are errors or warnings.
fn diagnostics(run: &Run) -> Vec<&str> {
    run.stderr
        .lines()
        .filter(|l| l.contains(": error: ") || l.contains(": warning: "))
        .collect()
}

const KPIS: &str = "kpis:
  - id: chi-tieu
    name: Chỉ tiêu thử
    unit: \"%\"
    target: 90
    baseline: { date: 2024-12-31, value: 50 }
    deadline: 2025-12-31
    owner: so-mot
  - id: chi-nckh
    name: Chi cho nghiên cứu và phát triển (% GRDP)
    unit: \"%\"
    target: 2
    baseline: { date: 2024-12-31, value: 0.4 }
    deadline: 2030-12-31
    owner: so-mot
  - id: ho-ngheo
    name: Tỷ lệ hộ nghèo
    unit: \"%\"
    target: 1.5
    direction: down
    baseline: { date: 2024-12-31, value: 2.1 }
    deadline: 2025-12-31
    owner: so-mot
";

fn values(period: &str, submitted: &str, date: &str, rd: &str, poverty: &str) -> String {
    format!(
        "agency: so-mot\nperiod: {period}\nsubmitted: {submitted}\nkpi_values:\n  - {{ kpi: chi-nckh, date: {date}, value: {rd} }}\n  - {{ kpi: ho-ngheo, date: {date}, value: {poverty} }}\n"
    )
}

/// Issue 28 D: R&D spending rising from 0.4% to 0.9% (target 2%) and a
/// poverty rate falling from 2.1% to 0.9% (target 1.5%, down) are true
/// figures: no error, no "fraction", no "ten times", and the poverty KPI
/// reads reached with no gap left.
#[test]
fn true_small_rates_are_accepted_and_the_falling_rate_reads_reached() {
    let march = values("2025-03", "2025-03-19", "2025-03-15", "0.6", "1.6");
    let april = values("2025-04", "2025-04-18", "2025-04-15", "0.9", "0.9");
    let files = [
        ("content/kpis.yaml", KPIS),
        ("content/reports/2025-03/so-mot.yaml", march.as_str()),
        ("content/reports/2025-04/so-mot.yaml", april.as_str()),
    ];
    let run = check_files(&files);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("fraction"), "{}", run.stderr);
    assert!(!run.stderr.contains("ten times"), "{}", run.stderr);
    assert!(!run.stderr.contains("chi-nckh"), "{}", run.stderr);
    assert!(!run.stderr.contains("ho-ngheo"), "{}", run.stderr);

    let files: Vec<(&str, Option<&[u8]>)> = files
        .iter()
        .map(|(p, c)| (*p, Some(c.as_bytes())))
        .collect();
    let dir = site_with(&files);
    let mut diags = tiendo::diag::Diagnostics::new();
    let raw = tiendo::load::load(dir.path(), &mut diags).unwrap();
    let m = tiendo::model::build(raw, &mut diags);
    assert!(!diags.has_errors());
    let k = m.kpis.iter().position(|k| k.id == "ho-ngheo").unwrap();
    assert_eq!(m.kpis[k].direction, Direction::Down);
    let fig = tiendo::status::compute(&m, m.site().as_of.unwrap());
    let poverty = &fig.kpis[k];
    assert!(poverty.reached);
    assert_eq!(poverty.verdict.code(), "reached");
    assert_eq!(poverty.gap, Some(0.0));
    let rd = &fig.kpis[m.kpis.iter().position(|k| k.id == "chi-nckh").unwrap()];
    assert_eq!(rd.latest.as_ref().map(|p| p.value), Some(0.9));
}

/// A fraction is still refused where the series says it is one.
#[test]
fn a_fraction_among_values_near_78_is_refused() {
    let april = "agency: so-mot\nperiod: 2025-04\nsubmitted: 2025-04-18\nkpi_values:\n  - { kpi: chi-tieu, date: 2025-04-15, value: 0.782 }\n";
    let run = check_files(&[("content/reports/2025-04/so-mot.yaml", april)]);
    assert_error(
        &run,
        "content/reports/2025-04/so-mot.yaml:5:47: error: value 0.782 looks like a fraction, but KPI `chi-tieu` is in %; write 78.2",
    );
}

/// A report handed in after the as-of day is counted from its date, and
/// said so at its `submitted`, not called missing.
#[test]
fn a_report_submitted_after_the_day_is_not_called_missing() {
    let april = "agency: so-mot\nperiod: 2025-04\nsubmitted: 2025-04-28\nupdates:\n  - task: viec-mot\n    state: done\n    done_on: 2025-04-02\n";
    let run = check_files(&[("content/reports/2025-04/so-mot.yaml", april)]);
    assert!(
        run.stderr.lines().any(|l| l == "content/reports/2025-04/so-mot.yaml:3:12: warning: submitted 28/04/2025, after the as-of day 25/04/2025: the portal counts this report from 28/04/2025, and until then shows 2025-04 as not submitted"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("has not submitted"), "{}", run.stderr);
}

/// A year typo in `as_of` is one error, not a warning for every month of
/// every agency.
#[test]
fn a_year_typo_in_as_of_is_one_message() {
    let site = "title: Cổng thử nghiệm\nbase_url: https://example.org/cong/\nas_of: 2052-04-25\nlanguages: [vi, en]\n";
    let run = check_files(&[("content/site.yaml", site)]);
    assert_eq!(
        diagnostics(&run),
        [
            "content/site.yaml:3:8: error: as-of day 25/04/2052 is more than five years after every date of the content (the latest: 31/05/2025); check the year"
        ]
    );
}

/// Empty plan and KPI files are named as such, without a cascade of
/// "unknown KPI" or "no `id`".
#[test]
fn empty_plan_and_kpi_files_are_named_as_such() {
    let run = check_files(&[("content/kpis.yaml", "# chưa có chỉ tiêu\n")]);
    assert_eq!(
        diagnostics(&run),
        [
            "content/kpis.yaml: error: the file is empty (nothing but blank lines or comments); write its content, or remove the file"
        ]
    );
    let run = check_files(&[("content/plans/ke-hoach.yaml", "\n")]);
    assert_error(
        &run,
        "content/plans/ke-hoach.yaml: error: the file is empty (nothing but blank lines or comments); write its content, or remove the file",
    );
    assert!(!run.stderr.contains("has no `id`"), "{}", run.stderr);
    assert!(!run.stderr.contains("unknown task"), "{}", run.stderr);
}

/// A non-breaking space in the indentation (pasted from Word) is named.
#[test]
fn a_non_breaking_space_in_the_indentation_is_named() {
    let agencies = "agencies:\n  - id: so-mot\n    name: Sở Một\n\u{a0}   kind: department\n  - id: so-hai\n    name: Sở Hai\n    kind: department\n  - id: so-cu\n    name: Sở Cũ\n    kind: department\n";
    let run = check_files(&[("content/agencies.yaml", agencies)]);
    assert_error(
        &run,
        "content/agencies.yaml:4:1: error: a non-breaking space (U+00A0) at the start of this line: it looks like a space, but YAML does not read it as one; delete the start of the line and indent it with plain spaces",
    );
}

/// Issue 29 item 4: control characters, from YAML escapes or a
/// workbook's `_x000B_`, are refused at their place; never written.
#[test]
fn control_characters_are_refused_at_their_place() {
    let plan =
        std::fs::read_to_string(fixture("minimal").join("content/plans/ke-hoach.yaml")).unwrap();
    for (title, code) in [
        ("\"Việc một\\u0007\"", "U+0007"),
        ("\"Việc một\\x1b[31m\"", "U+001B"),
        ("\"Việc một\\0\"", "U+0000"),
    ] {
        let plan = plan.replace("title: Việc một", &format!("title: {title}"));
        let run = check_files(&[("content/plans/ke-hoach.yaml", &plan)]);
        assert_error(
            &run,
            &format!(
                "content/plans/ke-hoach.yaml:7:12: error: the text holds a control character ({code}) that no page can show; delete it (in YAML it may be written as an escape such as \\u0007)"
            ),
        );
    }
    let plan = plan.replace("title: Việc một", "title: Việc_x000B_một");
    let run = check_files(&[("content/plans/ke-hoach.yaml", &plan)]);
    assert_error(
        &run,
        "content/plans/ke-hoach.yaml:7:12: error: `_x000B_` is a workbook's code for a control character (U+000B), which no page can show; delete it",
    );
}

/// Issue 29 item 12: a bidi override in a title is a warning at its place.
#[test]
fn a_bidi_override_in_a_title_is_a_warning() {
    let plan = std::fs::read_to_string(fixture("minimal").join("content/plans/ke-hoach.yaml"))
        .unwrap()
        .replace("title: Việc một", "title: \"Việc \\u202Emột\"");
    let run = check_files(&[("content/plans/ke-hoach.yaml", &plan)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.lines().any(|l| l == "content/plans/ke-hoach.yaml:7:12: warning: the text holds a bidirectional control character (U+202E), which reorders what it shows on screen; delete it"),
        "{}",
        run.stderr
    );
}
