//! The output folder: a build replaces only a folder it wrote (or an empty
//! one), never the site's own folders, leaves no temporary folder when it is
//! interrupted or killed, and rewrites no file whose bytes did not change.

mod common;

use common::*;
use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

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

/// Every file's (inode, modification time in ns).
fn stamps(root: &Path) -> BTreeMap<String, (u64, i64, i64)> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let m = e.metadata().unwrap();
            let rel = e.path().strip_prefix(root).unwrap();
            (
                rel.to_string_lossy().into_owned(),
                (m.ino(), m.mtime(), m.mtime_nsec()),
            )
        })
        .collect()
}

/// The temporary folders of builds beside `dir`'s children.
fn temporary(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') && (n.contains("-new-") || n.contains("-old-")))
        .collect()
}

fn build(site: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["build"];
    args.extend_from_slice(extra);
    tiendo(&args, site)
}

#[test]
fn a_folder_tiendo_did_not_write_is_refused_and_left_as_it_was() {
    let site = site_with(&[]);
    let docs = site.path().join("docs");
    for (name, text) in [
        ("hop-dong.pdf", "a"),
        ("ke-toan/so-sach.xlsx", "b"),
        ("ghi-chu.txt", "c"),
    ] {
        std::fs::create_dir_all(docs.join(name).parent().unwrap()).unwrap();
        std::fs::write(docs.join(name), text).unwrap();
    }
    let before = read_tree(&docs);
    let stamps_before = stamps(&docs);
    let run = build(site.path(), &["--output", docs.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    for part in [
        docs.to_str().unwrap(),
        "có 3 mục không do tiendo tạo",
        "ghi-chu.txt, hop-dong.pdf, ke-toan/",
        "--force",
        "--output khác",
        "từ chối thay thư mục",
    ] {
        assert!(run.stderr.contains(part), "no {part:?} in\n{}", run.stderr);
    }
    assert_eq!(read_tree(&docs), before, "the folder was changed");
    assert_eq!(stamps(&docs), stamps_before, "the folder was touched");
    assert!(temporary(site.path()).is_empty());

    let forced = build(
        site.path(),
        &["--output", docs.to_str().unwrap(), "--force"],
    );
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    assert!(!docs.join("hop-dong.pdf").exists());
    assert!(docs.join("nhiem-vu/index.html").is_file());
    assert!(docs.join(".tiendo").is_file());
    // --force erased nothing: the folder was moved aside whole, beside it
    // under a dated name, and the build said where.
    let backups: Vec<PathBuf> = std::fs::read_dir(site.path())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("docs.bak-"))
        })
        .collect();
    assert_eq!(backups.len(), 1, "{backups:?}");
    assert_eq!(read_tree(&backups[0]), before, "the folder was changed");
    let name = backups[0]
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(forced.stderr.contains(&name), "{}", forced.stderr);
    assert!(
        forced.stderr.contains("đã chuyển nguyên thư mục"),
        "{}",
        forced.stderr
    );
}

#[test]
fn a_folder_with_the_marker_is_replaced_and_an_empty_one_used() {
    let site = site_with(&[]);
    let out = site.path().join("public");
    std::fs::create_dir(&out).unwrap();
    let first = build(site.path(), &["--output", out.to_str().unwrap()]);
    assert_eq!(first.code, 0, "an empty folder is used: {}", first.stderr);
    let marker = std::fs::read_to_string(out.join(".tiendo")).unwrap();
    assert!(
        marker.starts_with(&format!("tiendo {}\n", env!("CARGO_PKG_VERSION"))),
        "{marker}"
    );
    assert!(marker.contains("as_of: "), "{marker}");
    std::fs::write(out.join("left-over.html"), "x").unwrap();
    let second = build(site.path(), &["--output", out.to_str().unwrap()]);
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert!(!out.join("left-over.html").exists());
    assert!(out.join("index.html").is_file());
}

/// A web server reads the site as another user: folders 0755 and files
/// 0644 whatever the umask of the shell that ran the build.
#[test]
fn the_site_is_readable_by_all_under_a_strict_umask() {
    use std::os::unix::fs::PermissionsExt;
    let site = site_with(&[]);
    for umask in ["077", "022"] {
        let out = site.path().join(format!("public-{umask}"));
        let run = Command::new("sh")
            .arg("-c")
            .arg(format!("umask {umask} && exec \"$0\" \"$@\""))
            .arg(env!("CARGO_BIN_EXE_tiendo"))
            .args(["build", "-q", "--root"])
            .arg(site.path())
            .arg("--output")
            .arg(&out)
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        let mut seen = 0;
        for entry in walkdir::WalkDir::new(&out).into_iter().flatten() {
            let mode = entry.metadata().unwrap().permissions().mode() & 0o777;
            let want = if entry.file_type().is_dir() {
                0o755
            } else {
                0o644
            };
            assert_eq!(mode, want, "umask {umask}: {}", entry.path().display());
            seen += 1;
        }
        assert!(seen > 20, "umask {umask}: only {seen} entries");
    }
}

#[test]
fn the_site_itself_is_refused_the_same_way_however_it_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let parent = std::fs::canonicalize(dir.path()).unwrap();
    let site = site_with(&[]);
    let root = std::fs::canonicalize(site.path()).unwrap();
    std::os::unix::fs::symlink(&root, parent.join("link")).unwrap();
    let before = read_tree(&root);
    let content_parent = root.join("content").parent().unwrap().to_path_buf();
    let run = |cwd: &Path, output: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_tiendo"))
            .args(["build", "--output", output, "--root"])
            .arg(&root)
            .current_dir(cwd)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr)
            .replace(&format!("to {output}:"), "to OUTPUT:")
            .replace(&format!("vào {output}:"), "vào OUTPUT:");
        (out.status.code(), stderr)
    };
    let cases = [
        (root.join("content"), "..".to_string()),
        (root.clone(), "..".to_string()),
        (
            root.clone(),
            parent.join("link").to_string_lossy().into_owned(),
        ),
        (root.clone(), content_parent.to_string_lossy().into_owned()),
        (root.clone(), "content/../content".to_string()),
    ];
    let mut messages = Vec::new();
    for (cwd, output) in &cases {
        let (code, stderr) = run(cwd, output);
        assert_eq!(
            code,
            Some(2),
            "--output {output} from {}: {stderr}",
            cwd.display()
        );
        assert!(stderr.contains("tệp nguồn của trang"), "{stderr}");
        messages.push(stderr);
    }
    // The same words for every spelling.
    for m in &messages[1..] {
        assert_eq!(m, &messages[0]);
    }
    assert_eq!(read_tree(&root), before, "the site was changed");
    assert!(temporary(&root).is_empty() && temporary(&parent).is_empty());
}

#[test]
fn a_rebuild_with_no_content_change_rewrites_no_file() {
    let site = site_with(&[]);
    let out = site.path().join("output");
    assert_eq!(build(site.path(), &[]).code, 0);
    let before = stamps(&out);
    assert!(before.len() > 20, "{before:?}");
    std::thread::sleep(Duration::from_millis(20));
    let again = build(site.path(), &[]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        again
            .stdout
            .contains(&format!("0 tệp ghi mới, {} tệp giữ nguyên", before.len())),
        "{}",
        again.stdout
    );
    assert_eq!(stamps(&out), before, "a file was rewritten");

    // A changed article rewrites its page and keeps, for example, the assets.
    let article = site.path().join("content/news/tin-mot.md");
    let text = std::fs::read_to_string(&article).unwrap();
    std::fs::write(&article, text.replace("\n\n", "\n\nMột câu mới.\n\n")).unwrap();
    assert_eq!(build(site.path(), &[]).code, 0);
    let after = stamps(&out);
    let changed: Vec<&String> = after
        .iter()
        .filter(|(k, v)| before.get(*k) != Some(v))
        .map(|(k, _)| k)
        .collect();
    assert!(changed.iter().any(|k| k.contains("tin-mot")), "{changed:?}");
    assert!(changed.len() < after.len() / 2, "{changed:?}");
}

/// A site with `n` small static files, so that its output stage lasts long
/// enough to be stopped while it writes.
fn big_site(n: usize) -> tempfile::TempDir {
    let site = site_with(&[]);
    for i in 0..n {
        let dir = site
            .path()
            .join(format!("content/static/tai-lieu/{}", i % 100));
        if i < 100 {
            std::fs::create_dir_all(&dir).unwrap();
        }
        std::fs::write(dir.join(format!("{i}.txt")), i.to_string()).unwrap();
    }
    site
}

/// Starts a build of `site` and waits until its temporary folder appears.
fn build_until_writing(site: &Path) -> std::process::Child {
    let child = Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .args(["build", "--root"])
        .arg(site)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while temporary(site).is_empty() {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "the build never started writing"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    child
}

fn signal(child: &std::process::Child, name: &str) {
    let status = Command::new("kill")
        .args([format!("-{name}"), child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

fn stopped_while_writing(name: &str, code: i32) {
    let site = big_site(20_000);
    // The previous output, built before the static files existed.
    let statics = site.path().join("content/static");
    let aside = site.path().join("static-aside");
    std::fs::rename(&statics, &aside).unwrap();
    assert_eq!(build(site.path(), &[]).code, 0);
    std::fs::rename(&aside, &statics).unwrap();
    let out = site.path().join("output");
    let before = read_tree(&out);
    let stamps_before = stamps(&out);

    let child = build_until_writing(site.path());
    signal(&child, name);
    let done = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&done.stderr);
    assert_eq!(done.status.code(), Some(code), "{stderr}");
    assert!(
        stderr.contains("trang đã xuất trước đó giữ nguyên"),
        "{stderr}"
    );
    assert!(
        temporary(site.path()).is_empty(),
        "left behind: {:?}",
        temporary(site.path())
    );
    assert_eq!(read_tree(&out), before, "the previous output changed");
    assert_eq!(stamps(&out), stamps_before);
}

#[test]
fn ctrl_c_while_writing_leaves_no_temporary_folder_and_the_previous_output() {
    stopped_while_writing("INT", 130);
}

#[test]
fn sigterm_while_writing_leaves_no_temporary_folder_and_the_previous_output() {
    stopped_while_writing("TERM", 143);
}

#[test]
fn a_build_killed_while_writing_leaves_debris_the_next_build_removes() {
    let site = big_site(20_000);
    let mut child = build_until_writing(site.path());
    signal(&child, "KILL");
    child.wait().unwrap();
    let left: Vec<PathBuf> = temporary(site.path())
        .iter()
        .map(|n| site.path().join(n))
        .collect();
    assert_eq!(left.len(), 1, "{left:?}");
    let next = build(site.path(), &[]);
    assert_eq!(next.code, 0, "{}", next.stderr);
    assert!(
        next.stdout
            .contains("Đã xoá 1 thư mục tạm của lần dựng bị ngắt, giải phóng"),
        "{}",
        next.stdout
    );
    assert!(temporary(site.path()).is_empty());
    assert!(site.path().join("output/tai-lieu/0/0.txt").is_file());
}
