//! The build cache (issue 32): over a seeded run of single-file edits of the
//! default portal (a report's progress, a task's deadline, an article, an
//! agency's name, the site's title, a file deleted, a file added, a broken
//! file and its fix), a build that reuses the last build's cache and
//! output gives exactly the output, messages and exit code of a fresh
//! build (`--no-cache` into a new folder). A cache cut short or damaged,
//! as a killed build or a bad disk leaves it, is ignored.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Every file under `dir` with its bytes (folders implied).
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            (
                rel.to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// A small deterministic generator (xorshift), so the run is the same on
/// every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn files(site: &Path, under: &str, ext: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(site.join(under))
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.is_file() && p.to_string_lossy().ends_with(ext))
        .collect();
    out.sort();
    out
}

/// Replaces the `n`th match of `key: <value>` (at a line's start, after
/// spaces) in `path` by `key: value`; `false` when there is none.
fn set_value(path: &Path, key: &str, n: usize, value: &str) -> bool {
    let text = std::fs::read_to_string(path).unwrap();
    let mut seen = 0;
    let mut changed = false;
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            let trimmed = line.trim_start();
            if let Some(rest) = trimmed.strip_prefix(&format!("{key}:"))
                && !rest.trim().is_empty()
                && !changed
            {
                if seen == n {
                    changed = true;
                    let indent = &line[..line.len() - trimmed.len()];
                    return format!("{indent}{key}: {value}");
                }
                seen += 1;
            }
            line.to_string()
        })
        .collect();
    if changed {
        std::fs::write(path, lines.join("\n") + "\n").unwrap();
    }
    changed
}

/// One edit of the site, told for the failure message.
fn edit(
    site: &Path,
    rng: &mut Rng,
    step: usize,
    broken: &mut Option<(PathBuf, Vec<u8>)>,
) -> String {
    // A broken file is fixed by the next edit.
    if let Some((path, bytes)) = broken.take() {
        std::fs::write(&path, bytes).unwrap();
        return format!("fixed {}", path.display());
    }
    match step % 9 {
        0 => {
            let f = rng.pick(&files(site, "content/reports", ".yaml")).clone();
            let n = rng.below(3);
            let v = (rng.below(99) + 1).to_string();
            set_value(&f, "progress", n, &v);
            format!("progress {v} in {}", f.display())
        }
        1 => {
            let f = site.join("content/plans/kl-2025-02.yaml");
            let n = rng.below(20);
            let v = format!("{}/{}/2025", rng.below(27) + 1, rng.below(12) + 1);
            set_value(&f, "deadline", n, &v);
            format!("deadline {v} of task {n}")
        }
        2 => {
            let f = rng.pick(&files(site, "content/news", ".md")).clone();
            let mut text = std::fs::read_to_string(&f).unwrap();
            text.push_str(&format!("\nMột đoạn thêm số {}.\n", rng.below(1000)));
            std::fs::write(&f, text).unwrap();
            format!("article {}", f.display())
        }
        3 => {
            let f = site.join("content/agencies.yaml");
            let n = rng.below(10);
            let v = format!("Cơ quan đổi tên {}", rng.below(1000));
            set_value(&f, "name", n, &v);
            format!("agency name {n} -> {v}")
        }
        4 => {
            let all = files(site, "content/reports", ".yaml");
            let f = rng.pick(&all).clone();
            std::fs::remove_file(&f).unwrap();
            format!("deleted {}", f.display())
        }
        5 => {
            let f = site.join(format!("content/news/tin-moi-{step}.md"));
            std::fs::write(
                &f,
                format!(
                    "---\ntitle: Tin mới {step}\ndate: 2025-05-{:02}\ntags: [chuyen-doi-so]\n---\nNội dung tin mới, có [liên kết](/nhiem-vu/).\n",
                    rng.below(27) + 1
                ),
            )
            .unwrap();
            format!("added {}", f.display())
        }
        6 => {
            let f = rng.pick(&files(site, "content/reports", ".yaml")).clone();
            let before = std::fs::read(&f).unwrap();
            std::fs::write(&f, b"agency: [unclosed\n").unwrap();
            *broken = Some((f.clone(), before));
            format!("broke {}", f.display())
        }
        7 => {
            let f = site.join("content/site.yaml");
            let v = format!("Cổng tiến độ số {}", rng.below(1000));
            set_value(&f, "title", 0, &v);
            format!("site title {v}")
        }
        _ => {
            let f = rng.pick(&files(site, "content/pages", ".md")).clone();
            let mut text = std::fs::read_to_string(&f).unwrap();
            text.push_str("\nThêm một dòng.\n");
            std::fs::write(&f, text).unwrap();
            format!("page {}", f.display())
        }
    }
}

fn copy_content(to: &Path) {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    for entry in walkdir::WalkDir::new(&from) {
        let entry = entry.unwrap();
        let dest = to
            .join("content")
            .join(entry.path().strip_prefix(&from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

fn build(site: &Path, out: &Path, extra: &[&str]) -> common::Run {
    let mut args = vec!["build", "-q", "--output", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    common::tiendo(&args, site)
}

/// `build` with `TIENDO_VERIFY_KEYS=1`: a page whose input key matches
/// the last build's has its view built anyway, and the build fails if
/// the view changed (the key missed an input).
fn build_verified(site: &Path, out: &Path) -> common::Run {
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .args(["build", "-q", "--output", out.to_str().unwrap(), "--root"])
        .arg(site)
        .env_remove("SOURCE_DATE_EPOCH")
        .env("TIENDO_VERIFY_KEYS", "1")
        .output()
        .unwrap();
    common::Run {
        code: run.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&run.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&run.stderr).into_owned(),
    }
}

/// The incremental build equals a fresh one: output, messages, exit code.
/// `out` is built trusting the pages' input keys; `verified`, when
/// given, with every matching key checked against the page's view.
fn assert_same(site: &Path, out: &Path, verified: Option<&Path>, scratch: &Path, what: &str) {
    let fresh_out = scratch.join("fresh");
    let _ = std::fs::remove_dir_all(&fresh_out);
    let _ = std::fs::remove_dir_all(scratch.join(".fresh-spare"));
    let fresh = build(site, &fresh_out, &["--no-cache"]);
    let mut runs = vec![(out, build(site, out, &[]))];
    if let Some(v) = verified {
        runs.push((v, build_verified(site, v)));
    }
    for (out, inc) in runs {
        assert_eq!(
            inc.code, fresh.code,
            "after {what}: exit codes\n{}",
            inc.stderr
        );
        assert_eq!(inc.stderr, fresh.stderr, "after {what}: messages");
        if fresh.code == 0 {
            let (a, b) = (tree(out), tree(&fresh_out));
            let differ: Vec<&String> = a
                .keys()
                .chain(b.keys())
                .filter(|k| a.get(*k) != b.get(*k))
                .take(5)
                .collect();
            assert!(differ.is_empty(), "after {what}: files differ: {differ:?}");
        }
    }
}

#[test]
fn incremental_builds_equal_fresh_ones_over_random_edits() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_content(&site);
    let out = dir.path().join("out");
    let first = build(&site, &out, &[]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let verified = dir.path().join("verified");
    let first = build_verified(&site, &verified);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let cache = dir.path().join(".out-spare/.tiendo-cache");
    assert!(cache.is_file(), "a cache beside the output");
    let mut rng = Rng(0x5eed_2026_0032);
    let mut broken = None;
    for step in 0..10 {
        let what = edit(&site, &mut rng, step, &mut broken);
        assert_same(&site, &out, Some(&verified), dir.path(), &what);
    }
    // A KPI's value in a report: the task and article pages that show the
    // KPI are not kept by their input keys (the KPI's figures are in them).
    let kpis = site.join("content/reports/2025-05/so-khcn.yaml");
    let text = std::fs::read_to_string(&kpis).unwrap();
    assert!(text.contains("value: 74 }"), "the fixture's KPI value");
    std::fs::write(&kpis, text.replace("value: 74 }", "value: 12 }")).unwrap();
    assert_same(&site, &out, Some(&verified), dir.path(), "a KPI value");
    // A cache cut short (a killed build) or damaged is ignored: the build
    // parses and renders everything, and is still right.
    let bytes = std::fs::read(&cache).unwrap();
    std::fs::write(&cache, &bytes[..bytes.len() / 2]).unwrap();
    set_value(
        &site.join("content/site.yaml"),
        "title",
        0,
        "Cổng sau bộ đệm cắt",
    );
    assert_same(&site, &out, None, dir.path(), "a cut cache");
    let mut bytes = std::fs::read(&cache).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&cache, &bytes).unwrap();
    set_value(
        &site.join("content/site.yaml"),
        "title",
        0,
        "Cổng sau bộ đệm hỏng",
    );
    assert_same(&site, &out, None, dir.path(), "a damaged cache");
    // Nothing of the cache is ever published.
    assert!(tree(&out).keys().all(|k| !k.contains("tiendo-cache")));
}
