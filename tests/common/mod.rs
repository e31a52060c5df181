//! Helpers for the integration tests: copy a fixture site into a temporary
//! folder, change some of its files, and run the real `tiendo` binary.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// A copy of the `minimal` fixture with `files` written over it (paths
/// relative to the site root; `None` deletes the file).
pub fn site_with(files: &[(&str, Option<&[u8]>)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("minimal"), dir.path());
    for (path, content) in files {
        let full = dir.path().join(path);
        match content {
            Some(bytes) => {
                std::fs::create_dir_all(full.parent().unwrap()).unwrap();
                std::fs::write(&full, bytes).unwrap();
            }
            None => std::fs::remove_file(&full).unwrap(),
        }
    }
    dir
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn tiendo(args: &[&str], root: &Path) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .args(args)
        .arg("--root")
        .arg(root)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `tiendo check --lang en` on the minimal site with one file replaced;
/// `build` on the same site must report the same (see [`assert_build_agrees`]).
pub fn check_with(path: &str, content: &str) -> Run {
    let dir = site_with(&[(path, Some(content.as_bytes()))]);
    let run = tiendo(&["check", "--lang", "en"], dir.path());
    assert_build_agrees(&run, dir.path(), &["--lang", "en"]);
    run
}

/// `tiendo check` (messages in the site's language, Vietnamese) on the
/// minimal site with some files replaced or (`None`) deleted; `build` must
/// report the same.
pub fn check_vi(files: &[(&str, Option<&str>)]) -> Run {
    let files: Vec<(&str, Option<&[u8]>)> = files
        .iter()
        .map(|(p, c)| (*p, c.map(str::as_bytes)))
        .collect();
    let dir = site_with(&files);
    let run = tiendo(&["check"], dir.path());
    assert_build_agrees(&run, dir.path(), &[]);
    run
}

/// Runs `build` (with `extra` flags) on the site that `check` ran on and
/// asserts that it exits with the same code and prints the same errors and
/// warnings: `check` runs every stage `build` runs except writing.
#[track_caller]
pub fn assert_build_agrees(check: &Run, root: &Path, extra: &[&str]) {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("site").to_string_lossy().into_owned();
    let mut args = vec!["build", "--output", &target];
    args.extend_from_slice(extra);
    let build = tiendo(&args, root);
    let diagnostics = |stderr: &str| -> Vec<String> {
        stderr
            .lines()
            .filter(|l| !l.starts_with("build failed") && !l.starts_with("không dựng được trang"))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(
        (check.code, diagnostics(&check.stderr)),
        (build.code, diagnostics(&build.stderr)),
        "check and build disagree (left: check, right: build)"
    );
}

/// Asserts that the run failed with exit code 1 and printed `line` as one
/// of its diagnostics, exactly.
#[track_caller]
pub fn assert_error(run: &Run, line: &str) {
    assert_eq!(run.code, 1, "expected exit code 1\nstderr:\n{}", run.stderr);
    assert!(
        run.stderr.lines().any(|l| l == line),
        "expected the line\n  {line}\nin stderr:\n{}",
        run.stderr
    );
}
