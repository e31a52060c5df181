//! Loading never panics, whatever the input: each hostile file gives a
//! located error (exit code 1) or is read safely.

mod common;

use common::*;

fn check_bytes(path: &str, bytes: &[u8]) -> Run {
    let dir = site_with(&[(path, Some(bytes))]);
    tiendo(&["check", "--lang", "en"], dir.path())
}

#[track_caller]
fn assert_clean_failure(run: &Run) {
    assert_eq!(run.code, 1, "stderr:\n{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

#[test]
fn invalid_utf8_names_the_first_bad_byte() {
    let run = check_bytes(
        "content/plans/ke-hoach.yaml",
        b"id: ke-hoach\ntitle: K\xe1\xbb hoa\xff\n",
    );
    assert_error(
        &run,
        "content/plans/ke-hoach.yaml:2:9: error: this file is not valid UTF-8; save it as UTF-8 (Unicode) text",
    );
}

#[test]
fn empty_files_report_missing_keys() {
    let run = check_bytes("content/plans/ke-hoach.yaml", b"");
    assert_clean_failure(&run);
    // Named as an empty file (issue 28), not as a plan without `id`.
    assert!(
        run.stderr.contains("content/plans/ke-hoach.yaml: error: the file is empty (nothing but blank lines or comments); write its content, or remove the file"),
        "{}",
        run.stderr
    );
    let run = check_bytes("content/site.yaml", b"");
    assert!(
        run.stderr.contains("content/site.yaml: error: the file is empty (nothing but blank lines or comments); write its content, or remove the file"),
        "{}",
        run.stderr
    );
    let run = check_bytes("content/news/tin-mot.md", b"");
    assert!(
        run.stderr
            .contains("content/news/tin-mot.md:1:1: error: front matter is missing"),
        "{}",
        run.stderr
    );
}

#[test]
fn huge_numbers_are_rejected_not_overflowed() {
    let report = "agency: so-mot\nperiod: 2025-03\nsubmitted: 2025-03-19\nupdates:\n  - task: viec-mot\n    state: in_progress\n    progress: 1e400\nkpi_values:\n  - kpi: chi-tieu\n    date: 2025-03-15\n    value: 99999999999999999999999999\n";
    let run = check_bytes("content/reports/2025-03/so-mot.yaml", report.as_bytes());
    assert_error(
        &run,
        "content/reports/2025-03/so-mot.yaml:7:15: error: progress `1e400` is not a number; write for example 80, 78.5 or \"80%\"",
    );
    assert_error(
        &run,
        "content/reports/2025-03/so-mot.yaml:11:12: error: value `99999999999999999999999999` is not a number; write for example 80, 78.5 or \"80%\"",
    );
    let run = check_bytes(
        "content/site.yaml",
        b"title: T\nbase_url: /\ndue_soon_days: 99999999999999999999999\n",
    );
    assert!(
        run.stderr.contains(
            "content/site.yaml:3:16: error: `due_soon_days` must be a whole number from 0 to 365"
        ),
        "{}",
        run.stderr
    );
    let run = check_bytes(
        "content/site.yaml",
        b"title: T\nbase_url: /\nas_of: 99999-01-01\n",
    );
    assert_clean_failure(&run);
}

#[test]
fn deep_nesting_is_refused() {
    let deep = format!(
        "id: ke-hoach\ntitle: {}{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let run = check_bytes("content/plans/ke-hoach.yaml", deep.as_bytes());
    assert_clean_failure(&run);
    assert!(
        run.stderr.contains("content/plans/ke-hoach.yaml:"),
        "{}",
        run.stderr
    );
}

#[test]
fn fifty_levels_of_nesting_get_a_plain_error() {
    let mut yaml = String::from("id: ke-hoach\ntitle: K\nissued: 2025-02-25\nsummary:\n");
    for level in 1..=50 {
        yaml.push_str(&format!("{}k{level}:\n", "  ".repeat(level)));
    }
    let run = check_bytes("content/plans/ke-hoach.yaml", yaml.as_bytes());
    assert_clean_failure(&run);
}

#[test]
fn alias_bomb_is_refused() {
    // Ten-fold aliases, twelve levels deep, where a list of tags is expected:
    // expanding it would take 10^12 nodes.
    let mut yaml = String::from(
        "id: ke-hoach\ntitle: K\nissued: 2025-02-25\ntasks:\n  - id: viec-mot\n    title: T\n    incomplete: x\n    tags: &a0 [x, x, x, x, x, x, x, x, x, x]\n",
    );
    for i in 1..=12 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        yaml.push_str(&format!(
            "  - id: v{i}\n    title: T\n    incomplete: x\n    tags: &a{i} [{refs}]\n"
        ));
    }
    let start = std::time::Instant::now();
    let run = check_bytes("content/plans/ke-hoach.yaml", yaml.as_bytes());
    assert_error(
        &run,
        "content/plans/ke-hoach.yaml:12:16: error: expected a single value here, not a list or a mapping",
    );
    assert!(
        start.elapsed().as_secs() < 30,
        "an alias bomb must not stall loading"
    );
}

#[test]
fn bom_crlf_and_nfd_are_read() {
    let site = "\u{feff}title: Cổng thử\r\nbase_url: https://example.org/\r\nas_of: 2025-04-25\r\n";
    let nfd_title: String =
        unicode_normalization::UnicodeNormalization::nfd("Chuyển đổi số").collect();
    let news = format!("---\r\ntitle: {nfd_title}\r\ndate: 2025-03-10\r\n---\r\nNội dung\r\n");
    let dir = site_with(&[
        ("content/site.yaml", Some(site.as_bytes())),
        ("content/news/tin-mot.md", Some(news.as_bytes())),
    ]);
    let run = tiendo(&["check"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn oversized_files_are_refused_without_reading() {
    // A 50 MB file: refused at once, not parsed.
    let big = vec![b'#'; 50 * 1024 * 1024];
    let run = check_bytes("content/plans/ke-hoach.yaml", &big);
    assert_clean_failure(&run);
    assert!(
        run.stderr.contains("content files may be at most 20 MB"),
        "{}",
        run.stderr
    );
}

#[test]
fn lists_where_scalars_belong() {
    let run = check_bytes("content/site.yaml", b"title: [a, b]\nbase_url: /\n");
    assert_error(
        &run,
        "content/site.yaml:1:8: error: expected a single value here, not a list or a mapping",
    );
}
