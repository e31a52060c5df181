//! Hardening of the output stage and the command line (issue 29 items 1, 9,
//! 10, 12; issue 27 item 6): builds of one output at once, a build waiting
//! for another, and a Vietnamese site that hears no English.

mod common;

use common::*;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Every file under `root` with its bytes (folders implied).
fn read_tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(root).unwrap();
            (
                rel.to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn build_command(root: &Path, extra: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_tiendo"));
    c.args(["build", "--quiet", "--root"])
        .arg(root)
        .args(extra)
        .env_remove("SOURCE_DATE_EPOCH")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

#[test]
fn simultaneous_builds_of_one_output_end_with_the_output_of_a_fresh_build() {
    let site = site_with(&[]);
    let root = site.path();
    let fresh_dir = tempfile::tempdir().unwrap();
    let fresh = fresh_dir.path().join("fresh");
    let run = build_command(root, &["--output", fresh.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(run.status.success(), "{run:?}");
    let expected = read_tree(&fresh);
    for pair in 0..3 {
        let children: Vec<_> = (0..2)
            .map(|_| build_command(root, &[]).spawn().unwrap())
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(0), "pair {pair}: {stderr}");
            assert!(
                stderr.matches("đang chờ").count() <= 1,
                "said more than once: {stderr}"
            );
        }
        assert_eq!(
            read_tree(&root.join("output")),
            expected,
            "pair {pair}: the output is not a fresh build's"
        );
    }
    // Nothing left of either build beside the output but the spare tree
    // and the lock file.
    let mut beside: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".output"))
        .collect();
    beside.sort();
    assert_eq!(beside, vec![".output-spare", ".output.lock"]);
}

#[test]
fn a_build_waits_for_the_one_holding_the_output_and_says_so_once() {
    let site = site_with(&[]);
    let root = site.path();
    // This test holds the lock a running build would hold.
    let lock = std::fs::File::create(root.join(".output.lock")).unwrap();
    lock.lock().unwrap();
    let mut child = build_command(root, &[]).spawn().unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    assert!(
        line.contains("một lần dựng khác đang ghi") && line.contains("output"),
        "{line}"
    );
    // Still waiting: nothing written while the lock is held.
    std::thread::sleep(Duration::from_millis(300));
    assert!(child.try_wait().unwrap().is_none(), "it did not wait");
    assert!(!root.join("output").exists());
    drop(lock);
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < deadline, "the build never went on");
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    assert!(status.success(), "{rest}");
    assert!(!rest.contains("đang chờ"), "said twice: {rest}");
    assert!(root.join("output/index.html").is_file());
}

/// Words of the English catalogue and of clap that a Vietnamese line never
/// holds.
const ENGLISH: [&str; 22] = [
    "error",
    "warning",
    "built ",
    "wrote ",
    "created ",
    "unknown",
    "invalid",
    "usage",
    "for more information",
    " the ",
    "is not",
    "cannot",
    "refusing",
    "missing",
    "expected",
    "found",
    "tip:",
    "files",
    "folder",
    "edit ",
    "then run",
    "interrupted",
];

/// The lines of a run that hold an English word.
fn english_lines(run: &Run) -> Vec<String> {
    run.stdout
        .lines()
        .chain(run.stderr.lines())
        .filter(|l| {
            let lower = l.to_lowercase();
            ENGLISH.iter().any(|w| lower.contains(w))
        })
        .map(str::to_string)
        .collect()
}

fn tiendo_in(args: &[&str], cwd: &Path) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .args(args)
        .current_dir(cwd)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn a_vietnamese_site_hears_no_english_usage_errors_included() {
    let dir = tempfile::tempdir().unwrap();
    let cwd = dir.path();
    let init = tiendo_in(&["init", "tinh"], cwd);
    assert_eq!(init.code, 0, "{}", init.stderr);
    let foreign = cwd.join("tai-lieu");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(foreign.join("a.txt"), "x").unwrap();
    let runs: Vec<(&str, Vec<&str>, i32)> = vec![
        ("build", vec!["build", "--root", "tinh", "--quiet"], 0),
        ("build again", vec!["build", "--root", "tinh", "-q"], 0),
        ("check", vec!["check", "--root", "tinh"], 0),
        (
            "new article",
            vec!["new", "article", "Tin đầu tiên", "--root", "tinh"],
            0,
        ),
        ("schema", vec!["schema", "--out", "tinh/so-do"], 0),
        (
            "foreign output",
            vec!["build", "--root", "tinh", "--output", "tai-lieu", "-q"],
            2,
        ),
        (
            "forced",
            vec![
                "build", "--root", "tinh", "--output", "tai-lieu", "-q", "--force",
            ],
            0,
        ),
        (
            "site folder",
            vec!["build", "--root", "tinh", "--output", "tinh/content"],
            2,
        ),
        (
            "root",
            vec!["build", "--root", "tinh", "--output", "/", "--force"],
            2,
        ),
        (
            "export unknown agency",
            vec![
                "export", "report", "--agency", "khong-co", "--period", "2025-06", "--xlsx",
                "a.xlsx", "--root", "tinh",
            ],
            2,
        ),
        // Not `import` of a missing workbook: its line ends with the
        // operating system's own words ("No such file or directory").
        ("unknown command", vec!["biuld", "--root", "tinh"], 2),
        (
            "unknown option",
            vec!["build", "--root", "tinh", "--bogus"],
            2,
        ),
        (
            "bad date",
            vec!["build", "--root", "tinh", "--as-of", "2025-13-01"],
            2,
        ),
        (
            "bad month",
            vec![
                "export", "report", "--agency", "a", "--period", "06/2025x", "--xlsx", "a.xlsx",
                "--root", "tinh",
            ],
            2,
        ),
        ("missing argument", vec!["new", "task", "--root", "tinh"], 2),
        (
            "bad base URL",
            vec!["build", "--root", "tinh", "--base-url", "example.gov.vn"],
            2,
        ),
        (
            "bad language",
            vec!["check", "--root", "tinh", "--lang", "fr"],
            2,
        ),
        ("no command", vec![], 2),
    ];
    for (what, args, code) in runs {
        let run = tiendo_in(&args, cwd);
        assert_eq!(run.code, code, "{what}: {}{}", run.stdout, run.stderr);
        assert!(
            !(run.stdout.trim().is_empty() && run.stderr.trim().is_empty()),
            "{what}: printed nothing"
        );
        let english = english_lines(&run);
        assert!(english.is_empty(), "{what}: English lines {english:#?}");
    }
}

#[test]
fn sigterm_during_a_long_render_stops_the_build_within_moments() {
    // Thousands of articles: a render of many seconds in a debug build.
    let site = site_with(&[]);
    let root = site.path();
    for i in 0..4000 {
        std::fs::write(
            root.join(format!("content/news/tin-{i}.md")),
            format!("---\ntitle: Tin số {i}\ndate: 2025-03-10\ntags: [thử nghiệm]\n---\nNội dung tin {i}.\n"),
        )
        .unwrap();
    }
    let child = build_command(root, &[]).spawn().unwrap();
    // The staging folder appears once load and model are done: the render
    // starts then.
    let start = Instant::now();
    let staging = || {
        std::fs::read_dir(root)
            .unwrap()
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with(".output-new-"))
    };
    while !staging() {
        assert!(start.elapsed() < Duration::from_secs(120), "never rendered");
        std::thread::sleep(Duration::from_millis(5));
    }
    std::thread::sleep(Duration::from_millis(800));
    let sent = Instant::now();
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    let took = sent.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(143), "{stderr}");
    assert!(took < Duration::from_secs(3), "stopped after {took:?}");
    assert!(stderr.contains("đã ngắt"), "{stderr}");
    assert!(
        !stderr.contains("lỗi"),
        "a render cut short reports no errors: {stderr}"
    );
    assert!(!staging(), "the temporary folder is left");
    assert!(!root.join("output").exists());
}

#[test]
fn a_long_previous_list_names_the_first_paths_gone_and_counts_the_rest() {
    let site = site_with(&[]);
    let root = site.path();
    let list = root.join("duong-dan.txt");
    let mut text = String::from("/\n/nhiem-vu/\n");
    for i in 0..5000 {
        text.push_str(&format!("/cu/{i}/\n"));
    }
    std::fs::write(&list, text).unwrap();
    let out = build_command(root, &["--previous", list.to_str().unwrap()])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let named = stderr.lines().filter(|l| l.contains("`/cu/")).count();
    assert_eq!(named, tiendo::output::previous::SHOWN, "{stderr}");
    assert!(stderr.contains("duong-dan.txt:3:1:"), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "duong-dan.txt:{}:1: lỗi: và {} đường dẫn khác",
            3 + tiendo::output::previous::SHOWN,
            5000 - tiendo::output::previous::SHOWN
        )),
        "{stderr}"
    );
    assert!(stderr.lines().count() < 40, "{stderr}");
    assert!(!root.join("output").exists());
}

#[test]
fn static_well_known_is_published_and_other_hidden_files_are_not() {
    let site = site_with(&[
        (
            "content/static/.well-known/security.txt",
            Some(b"Contact: mailto:a@example.org\n"),
        ),
        ("content/static/.well-known/.draft", Some(b"x")),
        ("content/static/.ghi-chu.txt", Some(b"x")),
        ("content/static/.git/config", Some(b"x")),
    ]);
    let root = site.path();
    let out = build_command(root, &[]).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let output = root.join("output");
    assert_eq!(
        std::fs::read(output.join(".well-known/security.txt")).unwrap(),
        b"Contact: mailto:a@example.org\n"
    );
    for hidden in [".well-known/.draft", ".ghi-chu.txt", ".git/config"] {
        assert!(!output.join(hidden).exists(), "{hidden} published");
    }
}
