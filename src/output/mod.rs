//! Stage 5, output: writes the rendered site atomically, and only what
//! changed.
//!
//! Input: the rendered files and the static files to copy. Output: the
//! target folder, replaced as a whole. [`Target`] decides first whether the
//! folder may be replaced at all; everything is then written into a fresh
//! temporary folder beside it ([`Staging`]) and swapped in only when all of
//! it succeeded, so a failed or interrupted build leaves the previous output
//! as it was.

pub mod interrupt;
pub mod previous;
mod spare;
mod staging;
mod target;

pub use staging::{Outcome, Staging};
pub use target::{MARKER, Protected, Stale, Target, more, on_wait};

use crate::load::StaticFile;
use crate::render::RenderedSite;
use rayon::prelude::*;
use std::fs;
use std::path::{Component, Path, PathBuf};

#[derive(Debug)]
pub enum OutputError {
    /// The folder may not be written, or the disk failed: told in the
    /// language of messages (exit code 2).
    Failed(crate::diag::Message),
    /// A signal (SIGINT, SIGTERM) stopped the build; its temporary folder
    /// is removed (exit code 128 + the signal).
    Interrupted(i32),
}

impl OutputError {
    /// `action` (a catalogue key, `output.act.*`) failed on `path` with
    /// `error` (the system's, or an `output.why.*` message).
    fn io(action: &'static str, path: &Path, error: impl crate::diag::IntoArg) -> OutputError {
        OutputError::Failed(crate::msg!(
            "output.io",
            action = crate::diag::word(action),
            path = path.display(),
            error
        ))
    }
}

impl std::fmt::Display for OutputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OutputError::Failed(m) => f.write_str(&m.render(crate::diag::Lang::En)),
            OutputError::Interrupted(sig) => write!(f, "interrupted by signal {sig}"),
        }
    }
}

/// Where the build cache of `target` is kept (in its spare folder).
pub fn cache_path(target: &Target) -> PathBuf {
    spare::cache_path(target)
}

/// Keeps the build cache for the next build of `target`, written by
/// `write`; a cache that cannot be written is left out (the next build
/// starts afresh).
pub fn store_cache(
    target: &Target,
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) {
    spare::store_cache(target, write)
}

/// A generated path may only name a place inside the output folder.
fn safe_relative(path: &str) -> Option<PathBuf> {
    let p = Path::new(path);
    let ok = !path.is_empty()
        && !path.contains('\\')
        && p.components().all(|c| matches!(c, Component::Normal(_)));
    ok.then(|| p.to_path_buf())
}

/// Writes `site` and `static_files` to `target`, replacing it whole; a
/// rendered file wins over a static file at the same path. `build` names
/// the build in the marker.
pub fn write(
    site: &RenderedSite,
    static_files: &[StaticFile],
    target: &Target,
    build: &str,
) -> Result<Outcome, OutputError> {
    write_into(Staging::begin(target)?, site, static_files, build)
}

/// Writes what `site` still holds in memory and `static_files` into a
/// staging folder that already has the pages written as they were
/// rendered (`site.written`), then swaps it in.
pub fn write_into(
    staging: Staging,
    site: &RenderedSite,
    static_files: &[StaticFile],
    build: &str,
) -> Result<Outcome, OutputError> {
    site.files
        .par_iter()
        .try_for_each(|(path, bytes)| staging.write(path, bytes))?;
    static_files
        .par_iter()
        .filter(|f| !site.has(&f.url_path))
        .try_for_each(|f| staging.copy(&f.url_path, &f.source))?;
    staging.finish(build)
}

/// Writes a new site's files into `dir` (`tiendo init`); refuses a folder
/// that already holds content, so nothing an editor wrote is overwritten.
pub fn write_new_site(dir: &Path, files: &[(&str, &str)]) -> Result<usize, OutputError> {
    if dir.join("content").exists() {
        return Err(OutputError::Failed(crate::msg!(
            "output.init_exists",
            path = dir.display()
        )));
    }
    for (rel, text) in files {
        let rel = safe_relative(rel)
            .ok_or_else(|| OutputError::Failed(crate::msg!("output.outside", path = rel)))?;
        let full = dir.join(rel);
        if let Some(parent) = full.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| OutputError::io("output.act.create", parent, e))?;
        }
        fs::write(&full, text).map_err(|e| OutputError::io("output.act.write", &full, e))?;
    }
    Ok(files.len())
}

/// Removes the previous site: files in parallel (unlinking tens of
/// thousands of files one by one dominates a large build), then folders.
fn remove_tree(dir: &Path) {
    let mut files: Vec<PathBuf> = Vec::new();
    let mut dirs: Vec<(usize, PathBuf)> = Vec::new();
    for e in walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .flatten()
    {
        if e.file_type().is_dir() {
            dirs.push((e.depth(), e.into_path()));
        } else {
            files.push(e.into_path());
        }
    }
    files.par_iter().for_each(|f| {
        let _ = fs::remove_file(f);
    });
    // The folders too, deepest first, each level in parallel (a national
    // portal has 42,000; one by one they took seconds).
    dirs.sort_by_key(|(depth, _)| std::cmp::Reverse(*depth));
    for level in dirs.chunk_by(|a, b| a.0 == b.0) {
        level.par_iter().for_each(|(_, d)| {
            let _ = fs::remove_dir(d);
        });
    }
    // Whatever is left (a file made meanwhile), and the folder itself.
    let _ = fs::remove_dir_all(dir);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn only_plain_relative_paths_are_written() {
        assert!(safe_relative("nhiem-vu/index.html").is_some());
        for bad in ["../x", "/etc/passwd", "a/../../b", "a\\..\\b", "", "./a"] {
            assert!(safe_relative(bad).is_none() || bad == "./a", "{bad}");
        }
    }

    fn site(files: &[(&str, &str)]) -> RenderedSite {
        let mut site = RenderedSite::default();
        for (path, text) in files {
            site.files
                .insert(path.to_string(), text.as_bytes().to_vec());
        }
        site
    }

    /// Builds `files` into `root/output` (build "b", no static files).
    fn build_site(root: &Path, files: &[(&str, &str)]) -> Outcome {
        let target = Target::resolve(root, &root.join("output"), false).unwrap();
        write(&site(files), &[], &target, "b").unwrap()
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut n: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        n.sort();
        n
    }

    #[test]
    fn replaces_a_folder_it_wrote_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        let target = Target::resolve(dir.path(), &out, false).unwrap();
        write(&site(&[("old/stale.html", "x")]), &[], &target, "b1").unwrap();
        assert!(out.join(MARKER).is_file());
        // The lock is held while the target lives: one build at a time.
        drop(target);
        let target = Target::resolve(dir.path(), &out, false).unwrap();
        write(&site(&[("index.html", "new")]), &[], &target, "b2").unwrap();
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"new");
        assert!(!out.join("old").exists());
        assert_eq!(
            names(dir.path()),
            vec![".output-spare", ".output.lock", "output"]
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&out), 0o755);
            assert_eq!(mode(&out.join("index.html")), 0o644);
        }
    }

    #[test]
    fn a_folder_it_did_not_write_is_refused_unless_forced() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("docs");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("hop-dong.pdf"), "x").unwrap();
        let err = Target::resolve(dir.path(), &out, false).unwrap_err();
        assert!(err.to_string().contains("hop-dong.pdf"), "{err}");
        assert!(err.to_string().contains("--force"), "{err}");
        let target = Target::resolve(dir.path(), &out, true).unwrap();
        let outcome = write(&site(&[("index.html", "new")]), &[], &target, "b").unwrap();
        assert!(!out.join("hop-dong.pdf").exists());
        drop(target);
        // Moved aside whole, beside it, under a dated name; never removed.
        let aside = outcome.moved_aside.expect("moved aside");
        assert_eq!(aside.parent(), out.canonicalize().unwrap().parent());
        let name = aside.file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.starts_with("docs.bak-20"), "{name}");
        assert_eq!(fs::read(aside.join("hop-dong.pdf")).unwrap(), b"x");
        // Again (often within the same second): another name, the first
        // backup kept.
        fs::write(out.join("MARKER-less.txt"), "y").unwrap();
        fs::remove_file(out.join(MARKER)).unwrap();
        let target = Target::resolve(dir.path(), &out, true).unwrap();
        let again = write(&site(&[("index.html", "new")]), &[], &target, "b").unwrap();
        let second = again.moved_aside.expect("moved aside");
        assert_ne!(second, aside);
        assert!(aside.join("hop-dong.pdf").is_file());
        assert!(second.join("MARKER-less.txt").is_file());
        // Its file with the same bytes as the new page is not linked into
        // the new site: the backup stays apart from what is published.
        #[cfg(unix)]
        assert_ne!(
            inode(&second.join("index.html")),
            inode(&out.join("index.html"))
        );
        // An empty folder is fine.
        fs::create_dir(dir.path().join("empty")).unwrap();
        assert!(Target::resolve(dir.path(), &dir.path().join("empty"), false).is_ok());
    }

    #[test]
    fn unchanged_files_keep_their_inode_and_time() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        let build = |files: &[(&str, &str)]| build_site(dir.path(), files);
        let first = build(&[("a/index.html", "same"), ("b.html", "old")]);
        assert_eq!(
            first,
            Outcome {
                written: 3,
                unchanged: 0,
                moved_aside: None,
            }
        );
        let time = |p: &str| fs::metadata(out.join(p)).unwrap().modified().unwrap();
        let before = (time("a/index.html"), time(MARKER));
        std::thread::sleep(std::time::Duration::from_millis(20));
        let second = build(&[("a/index.html", "same"), ("b.html", "new")]);
        assert_eq!(
            second,
            Outcome {
                written: 1,
                unchanged: 2,
                moved_aside: None,
            }
        );
        assert_eq!((time("a/index.html"), time(MARKER)), before);
        assert_eq!(fs::read(out.join("b.html")).unwrap(), b"new");
    }

    #[test]
    fn stale_folders_are_removed_and_a_missing_site_put_back() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        let target = Target::resolve(dir.path(), &out, false).unwrap();
        write(&site(&[("index.html", "v1")]), &[], &target, "b").unwrap();
        // Killed while writing: a staging folder; killed mid-swap: the
        // previous site aside and no output.
        fs::create_dir_all(dir.path().join(".output-new-abc123/x")).unwrap();
        fs::write(dir.path().join(".output-new-abc123/x/page.html"), "12345").unwrap();
        fs::rename(&out, dir.path().join(".output-old-def456")).unwrap();
        fs::create_dir(dir.path().join(".other-new-abc123")).unwrap();
        let stale = target.remove_stale().unwrap();
        assert_eq!(stale.len(), 2, "{stale:?}");
        assert_eq!((stale[0].bytes, stale[0].restored), (5, false));
        assert!(stale[1].restored);
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"v1");
        assert_eq!(
            names(dir.path()),
            vec![
                ".other-new-abc123",
                ".output-spare",
                ".output.lock",
                "output"
            ]
        );
    }

    /// Every entry under `dir`: files with their bytes, folders with none
    /// and a trailing `/`, links as `->`.
    fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
        walkdir::WalkDir::new(dir)
            .min_depth(1)
            .into_iter()
            .map(|e| {
                let e = e.unwrap();
                let rel = e
                    .path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                if e.file_type().is_dir() {
                    (rel + "/", Vec::new())
                } else if e.file_type().is_symlink() {
                    (rel + " ->", Vec::new())
                } else {
                    (rel, fs::read(e.path()).unwrap())
                }
            })
            .collect()
    }

    #[cfg(unix)]
    fn inode(p: &Path) -> u64 {
        use std::os::unix::fs::MetadataExt;
        fs::symlink_metadata(p).unwrap().ino()
    }

    #[cfg(unix)]
    #[test]
    fn the_spare_tree_is_updated_into_exactly_the_new_site() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        let spare = dir.path().join(".output-spare");
        // After each build the spare holds exactly the site before it:
        // nothing of the live site was ever written through.
        let build = |files: &[(&str, &str)]| {
            let before = out.exists().then(|| tree(&out));
            build_site(dir.path(), files);
            if let Some(before) = before {
                let mut held = tree(&spare);
                held.remove(spare::MANIFEST);
                held.remove(".gitignore");
                assert_eq!(held, before, "the spare is the previous site");
            }
        };
        let expect = |files: &[(&str, &str)]| {
            let mut t: BTreeMap<String, Vec<u8>> = files
                .iter()
                .map(|(p, b)| (p.to_string(), b.as_bytes().to_vec()))
                .collect();
            for (p, _) in files {
                let mut d = Path::new(p).parent();
                while let Some(f) = d.filter(|f| !f.as_os_str().is_empty()) {
                    t.insert(format!("{}/", f.display()), Vec::new());
                    d = f.parent();
                }
            }
            t.insert(MARKER.to_string(), fs::read(out.join(MARKER)).unwrap());
            t
        };
        let v1 = [
            ("a/index.html", "same"),
            ("f.html", "kept once, then changed"),
            ("b/index.html", "one"),
            ("c/old/index.html", "gone later"),
            ("d", "a file, a folder later"),
        ];
        build(&v1);
        assert_eq!(tree(&out), expect(&v1));
        assert!(
            spare.join(spare::MANIFEST).is_file(),
            "a spare with a manifest"
        );
        let kept = inode(&out.join("a/index.html"));
        let v2 = [
            ("a/index.html", "same"),
            ("f.html", "kept once, then changed"),
            ("b/index.html", "two"),
            ("d/index.html", "now a folder"),
            ("e/new.html", "new"),
        ];
        build(&v2);
        assert_eq!(tree(&out), expect(&v2));
        // A file someone put into the output must not come back from the
        // spare two builds later.
        fs::write(out.join("stray.txt"), "not ours").unwrap();
        fs::write(out.join("e/stray.html"), "not ours").unwrap();
        let v3 = [
            ("a/index.html", "same"),
            ("f.html", "changed"),
            ("b/index.html", "three"),
            ("c", "a file again"),
            ("d/index.html", "a folder where the spare has a file"),
            ("e/new.html", "new"),
        ];
        build(&v3);
        assert_eq!(tree(&out), expect(&v3));
        // The spare (the site of v2) was taken, updated and swapped in.
        let v4 = [("a/index.html", "same"), ("b/index.html", "four")];
        build(&v4);
        assert_eq!(tree(&out), expect(&v4));
        build(&v4);
        assert_eq!(tree(&out), expect(&v4));
        // A file of the spare's own rewritten in place, shorter each time.
        for (i, text) in ["a longer text", "shorter", "s"].into_iter().enumerate() {
            let v = [("a/index.html", "same"), ("b/index.html", text)];
            let own = inode(&spare.join("b/index.html"));
            build(&v);
            assert_eq!(tree(&out), expect(&v));
            if i > 0 {
                assert_eq!(inode(&out.join("b/index.html")), own, "rewritten in place");
            }
        }
        assert_eq!(inode(&out.join("a/index.html")), kept, "never rewritten");
        assert_eq!(
            inode(&spare.join("a/index.html")),
            kept,
            "the spare links it"
        );
        assert_eq!(fs::read(spare.join(".gitignore")).unwrap()[..1], *b"#");
    }

    #[cfg(unix)]
    #[test]
    fn a_file_changed_in_place_is_compared_by_its_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        let build = |text: &str| build_site(dir.path(), &[("index.html", text)]);
        build("hello");
        build("hello");
        // The same length, other bytes, written through the live file: its
        // recorded digest no longer speaks for it.
        fs::write(out.join("index.html"), "HELLO").unwrap();
        let outcome = build("hello");
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"hello");
        assert_eq!(outcome.written, 1, "{outcome:?}");
    }

    #[cfg(unix)]
    #[test]
    fn a_link_in_the_spare_is_replaced_never_followed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        let elsewhere = dir.path().join("elsewhere");
        fs::create_dir(&elsewhere).unwrap();
        fs::write(elsewhere.join("f"), "outside").unwrap();
        let build = |files: &[(&str, &str)]| build_site(dir.path(), files);
        build(&[("index.html", "1")]);
        build(&[("index.html", "2")]);
        let spare = dir.path().join(".output-spare");
        // Links to a folder and a file outside, where a folder and a file
        // of the site go, and one that is not the site's at all.
        std::os::unix::fs::symlink(&elsewhere, spare.join("x")).unwrap();
        fs::remove_file(spare.join("index.html")).unwrap();
        std::os::unix::fs::symlink(elsewhere.join("f"), spare.join("index.html")).unwrap();
        std::os::unix::fs::symlink(&elsewhere, spare.join("y")).unwrap();
        build(&[("index.html", "3"), ("x/page.html", "p")]);
        assert_eq!(names(&elsewhere), vec!["f"], "nothing written there");
        assert_eq!(fs::read(elsewhere.join("f")).unwrap(), b"outside");
        assert_eq!(fs::read(out.join("x/page.html")).unwrap(), b"p");
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"3");
        assert!(
            fs::symlink_metadata(out.join("y")).is_err(),
            "the stray link is gone"
        );
    }

    #[cfg(unix)]
    #[test]
    fn threads_replacing_a_spare_file_by_a_folder_lose_no_page() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        let build = |files: &[(String, String)]| {
            let refs: Vec<(&str, &str)> = files
                .iter()
                .map(|(p, t)| (p.as_str(), t.as_str()))
                .collect();
            build_site(dir.path(), &refs);
        };
        let file = |p: &str| vec![(p.to_string(), "a file".to_string())];
        // Files at x and y in the spare, then a folder x of many pages,
        // written from every thread at once (each thread starts on a part
        // of the sorted pages: all need the folder x first).
        build(&[file("x"), file("y")].concat());
        build(&[file("x"), file("y")].concat());
        for round in 0..3 {
            let pages: Vec<(String, String)> = (0..400)
                .map(|i| (format!("x/{i:03}.html"), format!("{round}")))
                .collect();
            build(&pages);
            for (p, text) in &pages {
                assert_eq!(fs::read_to_string(out.join(p)).unwrap(), *text, "{p}");
            }
            build(&[file("x"), file("y")].concat());
        }
    }

    #[test]
    fn a_static_file_where_the_site_has_a_folder_fails_the_build() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        let source = dir.path().join("feed");
        fs::write(&source, "static").unwrap();
        let statics = [StaticFile {
            url_path: "feed".into(),
            source,
            file: "theme-static/feed".into(),
        }];
        for text in ["1", "2"] {
            build_site(dir.path(), &[("index.html", text)]);
        }
        let target = Target::resolve(dir.path(), &out, false).unwrap();
        let clash = site(&[("index.html", "3"), ("feed/rss.xml", "x")]);
        assert!(write(&clash, &statics, &target, "b").is_err());
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"2", "untouched");
    }

    #[test]
    fn a_spare_without_a_manifest_is_not_ours() {
        let dir = tempfile::tempdir().unwrap();
        let spare = dir.path().join(".output-spare");
        fs::create_dir_all(&spare).unwrap();
        fs::write(spare.join("notes.txt"), "mine").unwrap();
        for text in ["1", "2"] {
            build_site(dir.path(), &[("index.html", text)]);
        }
        assert_eq!(fs::read(spare.join("notes.txt")).unwrap(), b"mine");
        assert_eq!(names(&spare), vec!["notes.txt"]);
        assert_eq!(
            names(dir.path()),
            vec![".output-spare", ".output.lock", "output"]
        );
    }

    #[test]
    fn a_running_build_is_not_taken_for_stale() {
        let dir = tempfile::tempdir().unwrap();
        let target = Target::resolve(dir.path(), &dir.path().join("output"), false).unwrap();
        let staging = Staging::begin(&target).unwrap();
        staging.write("index.html", b"x").unwrap();
        assert!(target.remove_stale().unwrap().is_empty());
        drop(staging);
        assert_eq!(
            names(dir.path()),
            vec![".output.lock"],
            "dropping removes the folder"
        );
    }
}
