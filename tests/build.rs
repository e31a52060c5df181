//! Building: the default content builds cleanly with every seed task, a
//! failed build leaves the previous output byte for byte, and builds are
//! deterministic.

mod common;

use common::*;
use std::collections::BTreeMap;
use std::path::Path;

fn read_tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn default_content_checks_clean() {
    let run = tiendo(&["check"], repo());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains(": lỗi: "), "{}", run.stderr);
    assert!(
        run.stdout
            .contains("Số liệu tính đến ngày 25/06/2025 — 23 nhiệm vụ"),
        "{}",
        run.stdout
    );
    // The one-screen summary: counts per status, overdue tasks, missing reports.
    for line in [
        "      6  Hoàn thành đúng hạn",
        "      2  Quá hạn",
        "    56 ngày  benh-an-dien-tu (so-y-te): Triển khai bệnh án điện tử thay thế bệnh án giấy",
        "  so-y-te: 2025-05",
        "  bao-hai-duong: 2025-02",
    ] {
        assert!(
            run.stdout.lines().any(|l| l == line),
            "missing {line:?} in\n{}",
            run.stdout
        );
    }
    assert_eq!(
        run.stderr
            .lines()
            .filter(|l| l.contains(": cảnh báo: "))
            .count(),
        2,
        "{}",
        run.stderr
    );
    // Built as of an earlier day, the same content shows the portal as it was.
    let early = tiendo(&["check", "--as-of", "2025-03-01"], repo());
    assert!(
        early.stdout.contains("Số liệu tính đến ngày 01/03/2025"),
        "{}",
        early.stdout
    );
    assert!(
        !early.stdout.contains("benh-an-dien-tu"),
        "not overdue yet on 01/03/2025"
    );
}

#[test]
fn default_build_has_the_deadline_table_with_every_seed_task() {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("site");
    let run = tiendo(&["build", "--output", target.to_str().unwrap()], repo());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let table = std::fs::read_to_string(target.join("nhiem-vu/index.html")).unwrap();
    // Every task of the plan file, by id, has a row and a page.
    let plan = std::fs::read_to_string(repo().join("content/plans/kl-2025-02.yaml")).unwrap();
    let ids: Vec<&str> = plan
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- id: "))
        .collect();
    assert_eq!(ids.len(), 23);
    for id in ids {
        assert!(
            table.contains(&format!("data-id=\"{id}\"")),
            "no row for {id}"
        );
        assert!(
            target.join(format!("nhiem-vu/{id}/index.html")).is_file(),
            "no page for {id}"
        );
    }
    for item in [
        "\"1\"", "\"2\"", "\"3\"", "\"4\"", "\"4.a\"", "\"4.n\"", "\"5\"", "\"6\"", "\"7\"",
    ] {
        assert!(
            plan.contains(&format!("ref: {item}")),
            "seed item {item} has no task"
        );
    }
    // The lead, deadline and status of one task, as a citizen reads them.
    let ioc = std::fs::read_to_string(target.join("nhiem-vu/ioc-soc/index.html")).unwrap();
    assert!(ioc.contains(">Sở Khoa học và Công nghệ</a>"));
    assert!(ioc.contains("Tiếp nhận từ Sở Thông tin và Truyền thông (từ ngày 01/03/2025)."));
    assert!(ioc.contains("31/03/2025"));
    assert!(ioc.contains("Hoàn thành quá hạn"));
    assert!(ioc.contains("Muộn 8 ngày"));
    assert!(ioc.contains("Số liệu tính đến ngày <time datetime=\"2025-06-25\">25/06/2025</time>"));
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let dir = site_with(&[]);
    let target = dir.path().join("output");
    let first = tiendo(&["build"], dir.path());
    assert_eq!(first.code, 0, "{}", first.stderr);
    let before = read_tree(&target);
    assert!(before.contains_key("nhiem-vu/index.html"));

    std::fs::write(
        dir.path().join("content/plans/ke-hoach.yaml"),
        "id: ke-hoach\ntasks: [\n",
    )
    .unwrap();
    let failed = tiendo(&["build"], dir.path());
    assert_eq!(failed.code, 1);
    assert!(
        failed
            .stderr
            .contains("không dựng được trang; bản đã xuất trước đó vẫn giữ nguyên")
    );
    assert_eq!(
        read_tree(&target),
        before,
        "the output changed after a failed build"
    );
    let leftovers: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        // The spare tree and the lock file (kept: one build at a time) stay.
        .filter(|n| n.starts_with(".output") && n != ".output-spare" && n != ".output.lock")
        .collect();
    assert!(
        leftovers.is_empty(),
        "temporary folders left behind: {leftovers:?}"
    );
}

#[test]
fn builds_are_byte_identical() {
    let dir = site_with(&[]);
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    assert_eq!(
        tiendo(&["build", "--output", a.to_str().unwrap()], dir.path()).code,
        0
    );
    assert_eq!(
        tiendo(&["build", "--output", b.to_str().unwrap()], dir.path()).code,
        0
    );
    assert_eq!(read_tree(&a), read_tree(&b));
}

#[test]
fn as_of_flag_shows_the_portal_as_it_was() {
    let dir = site_with(&[]);
    let target = dir.path().join("output");
    let run = tiendo(&["build", "--as-of", "2025-03-25"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = std::fs::read_to_string(target.join("nhiem-vu/viec-mot/index.html")).unwrap();
    // viec-mot was reported done on 18/04/2025: not known on 25/03/2025.
    assert!(page.contains("Sắp đến hạn"), "{page}");
    assert!(!page.contains("02/04/2025"));
}

#[test]
fn refuses_to_write_over_the_content() {
    let dir = site_with(&[]);
    let run = tiendo(
        &["build", "--output", dir.path().to_str().unwrap()],
        dir.path(),
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(dir.path().join("content/site.yaml").is_file());
}

#[test]
fn table_rows_carry_id_and_status_codes() {
    let dir = site_with(&[]);
    assert_eq!(tiendo(&["build"], dir.path()).code, 0);
    let table = std::fs::read_to_string(dir.path().join("output/nhiem-vu/index.html")).unwrap();
    assert!(
        table.contains("data-id=\"viec-mot\" data-status=\"done_late\""),
        "{table}"
    );
    assert!(table.contains("data-id=\"viec-thang\" data-status=\"ongoing\""));
    assert!(table.contains("data-id=\"viec-hai\" data-status=\"in_progress\""));
}

#[test]
fn init_creates_a_site_that_checks_and_builds_clean() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("tinh-moi");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .arg("init")
        .arg(&site)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let check = tiendo(&["check", "--strict"], &site);
    assert_eq!(
        check.code, 0,
        "a new site has no error and no warning:\n{}",
        check.stderr
    );
    let build = tiendo(&["build"], &site);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(
        site.join("output/nhiem-vu/bao-cao-dinh-ky/index.html")
            .is_file()
    );
    assert!(
        !site.join("output/.gitkeep").exists(),
        "hidden files are not published"
    );
    // A second init never overwrites what editors wrote.
    let again = std::process::Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .arg("init")
        .arg(&site)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
}

#[test]
fn check_ends_with_the_reports_due_next() {
    // As of 25/04 the next report day is 20/05 (report_day 20), and both
    // agencies with open tasks owe it.
    let site = site_with(&[]);
    let run = tiendo(&["check"], site.path());
    let tail: Vec<&str> = run.stdout.lines().rev().take(3).collect();
    assert_eq!(
        tail,
        [
            "  so-mot: Sở Một",
            "  so-hai: Sở Hai",
            "Báo cáo kỳ 2025-05 hạn nộp ngày 20/05/2025 (còn 25 ngày), 2 cơ quan chưa nộp:",
        ],
        "{}",
        run.stdout
    );
    // On the report day itself that month is judged (a missing report is a
    // warning), and the reminder moves on to the next month.
    let run = tiendo(&["check", "--as-of", "2025-05-20"], site.path());
    assert!(
        run.stdout
            .contains("Báo cáo kỳ 2025-06 hạn nộp ngày 20/06/2025 (còn 31 ngày)"),
        "{}",
        run.stdout
    );
    // An agency that has already sent the coming report is not reminded; one
    // whose report is dated after the as-of day still is.
    // (A report may not be submitted before its month begins.)
    let early = "agency: so-hai\nperiod: 2025-05\nsubmitted: 2025-05-05\n";
    let site = site_with(&[(
        "content/reports/2025-05/so-hai.yaml",
        Some(early.as_bytes()),
    )]);
    let run = tiendo(&["check", "--as-of", "2025-05-10"], site.path());
    assert!(
        run.stdout
            .ends_with("1 cơ quan chưa nộp:\n  so-mot: Sở Một\n"),
        "{}",
        run.stdout
    );
    let run = tiendo(&["check", "--as-of", "2025-05-03"], site.path());
    assert!(run.stdout.contains("2 cơ quan chưa nộp:"), "{}", run.stdout);
    // A setting, not a literal: another report day moves the due day.
    let settings = std::fs::read_to_string(fixture("minimal").join("content/site.yaml")).unwrap();
    let later = format!("{settings}report_day: 28\n");
    let site = site_with(&[("content/site.yaml", Some(later.as_bytes()))]);
    let run = tiendo(&["check", "--as-of", "2025-04-10"], site.path());
    assert!(
        run.stdout
            .contains("Báo cáo kỳ 2025-04 hạn nộp ngày 28/04/2025 (còn 18 ngày)"),
        "{}",
        run.stdout
    );
}

#[test]
fn completions_for_bash_zsh_and_fish_name_every_command() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef tiendo"),
        ("fish", "complete -c tiendo"),
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_tiendo"))
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(out.status.success(), "{shell}");
        let script = String::from_utf8_lossy(&out.stdout);
        assert!(script.contains(marker), "{shell}:\n{script}");
        for command in ["build", "check", "serve", "init", "completions"] {
            assert!(script.contains(command), "{shell} lacks {command}");
        }
    }
}

#[test]
fn a_build_off_a_terminal_or_quiet_prints_plain_lines() {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("site");
    for quiet in [&[][..], &["--quiet"][..]] {
        let mut args = vec!["build", "--output", target.to_str().unwrap()];
        args.extend_from_slice(quiet);
        let run = tiendo(&args, &fixture("minimal"));
        assert_eq!(run.code, 0, "{}", run.stderr);
        // No bar, no carriage returns or escape sequences: lines a log keeps.
        assert!(
            !run.stderr.contains('\r') && !run.stderr.contains('\x1b'),
            "{:?}",
            run.stderr
        );
        assert!(run.stdout.starts_with("Đã dựng "), "{}", run.stdout);
    }
}

#[test]
fn a_build_on_a_terminal_shows_a_progress_bar_and_finishes() {
    // `script` (util-linux) runs the build on a pseudo-terminal.
    if !Path::new("/usr/bin/script").exists() {
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("site");
    let command = format!(
        "'{}' build --root '{}' --output '{}'",
        env!("CARGO_BIN_EXE_tiendo"),
        repo().display(),
        target.display()
    );
    let mut child = std::process::Command::new("/usr/bin/script")
        .args(["-qec", &command, "/dev/null"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > std::time::Duration::from_secs(120) {
            let _ = child.kill();
            panic!("the build hangs on a terminal");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let mut printed = String::new();
    std::io::Read::read_to_string(&mut child.stdout.take().unwrap(), &mut printed).unwrap();
    assert!(status.success(), "{printed}");
    assert!(target.join("index.html").exists());
    // The default portal takes more than a moment in a debug build: the bar
    // was drawn, then cleared before the plain result line.
    assert!(printed.contains("/5]"), "{printed:?}");
    assert!(printed.contains("Đã dựng "), "{printed:?}");
}
