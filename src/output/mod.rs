//! Stage 5, output: writes the rendered site atomically.
//!
//! Input: the rendered files and the static files to copy. Output: the
//! target folder, replaced as a whole. Everything is written into a fresh
//! temporary folder beside the target and swapped in only when all of it
//! succeeded, so a failed build leaves the previous output as it was.

use crate::load::StaticFile;
use crate::render::RenderedSite;
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Component, Path, PathBuf};

#[derive(Debug)]
pub struct OutputError(pub String);

impl std::fmt::Display for OutputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn err(what: &str, path: &Path, e: impl std::fmt::Display) -> OutputError {
    OutputError(format!("{what} {}: {e}", path.display()))
}

/// A generated path may only name a place inside the output folder.
fn safe_relative(path: &str) -> Option<PathBuf> {
    let p = Path::new(path);
    let ok = !path.is_empty()
        && !path.contains('\\')
        && p.components().all(|c| matches!(c, Component::Normal(_)));
    ok.then(|| p.to_path_buf())
}

/// Writes `site` and `static_files` to `target`, replacing it whole.
pub fn write(
    site: &RenderedSite,
    static_files: &[StaticFile],
    target: &Path,
) -> Result<(), OutputError> {
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(|e| err("cannot create", &parent, e))?;
    if target.exists() && !target.is_dir() {
        return Err(OutputError(format!(
            "{} exists and is not a folder",
            target.display()
        )));
    }
    let staging = tempfile::Builder::new()
        .prefix(".output-new-")
        .tempdir_in(&parent)
        .map_err(|e| err("cannot create a temporary folder in", &parent, e))?;
    let root = staging.path();

    let mut files: Vec<(PathBuf, &[u8])> = Vec::with_capacity(site.files.len());
    for (path, bytes) in &site.files {
        let rel = safe_relative(path).ok_or_else(|| {
            OutputError(format!(
                "refusing to write outside the output folder: {path}"
            ))
        })?;
        files.push((rel, bytes));
    }
    let mut copies: Vec<(PathBuf, &Path)> = Vec::with_capacity(static_files.len());
    for f in static_files {
        if site.files.contains_key(&f.url_path) {
            continue;
        }
        let rel = safe_relative(&f.url_path).ok_or_else(|| {
            OutputError(format!(
                "refusing to copy outside the output folder: {}",
                f.url_path
            ))
        })?;
        copies.push((rel, &f.source));
    }
    let dirs: BTreeSet<PathBuf> = files
        .iter()
        .map(|(p, _)| p)
        .chain(copies.iter().map(|(p, _)| p))
        .filter_map(|p| p.parent().map(Path::to_path_buf))
        .collect();
    // Parents before children: create each level in parallel.
    let mut by_depth: Vec<Vec<&PathBuf>> = Vec::new();
    for d in &dirs {
        let depth = d.components().count();
        if by_depth.len() <= depth {
            by_depth.resize(depth + 1, Vec::new());
        }
        by_depth[depth].push(d);
    }
    for level in &by_depth {
        level.par_iter().try_for_each(|d| {
            let full = root.join(d);
            fs::create_dir_all(&full).map_err(|e| err("cannot create", &full, e))
        })?;
    }
    files.par_iter().try_for_each(|(rel, bytes)| {
        let full = root.join(rel);
        fs::write(&full, bytes).map_err(|e| err("cannot write", &full, e))
    })?;
    copies.par_iter().try_for_each(|(rel, source)| {
        let full = root.join(rel);
        fs::copy(source, &full)
            .map(|_| ())
            .map_err(|e| err("cannot copy", source, e))
    })?;
    set_permissions(root)?;

    // Swap: move the old output aside, the new one in, then drop the old.
    let staged = staging.keep();
    let aside = if target.exists() {
        let aside = tempfile::Builder::new()
            .prefix(".output-old-")
            .tempdir_in(&parent)
            .map_err(|e| err("cannot create a temporary folder in", &parent, e))?
            .keep();
        let aside = aside.join("output");
        if let Err(e) = fs::rename(target, &aside) {
            let _ = fs::remove_dir_all(&staged);
            return Err(err("cannot move aside", target, e));
        }
        Some(aside)
    } else {
        None
    };
    if let Err(e) = fs::rename(&staged, target) {
        if let Some(aside) = &aside {
            let _ = fs::rename(aside, target);
        }
        let _ = fs::remove_dir_all(&staged);
        return Err(err("cannot move the new site into", target, e));
    }
    if let Some(aside) = aside
        && let Some(holder) = aside.parent()
    {
        remove_tree(holder);
    }
    Ok(())
}

/// Writes a new site's files into `dir` (`tiendo init`); refuses a folder
/// that already holds content, so nothing an editor wrote is overwritten.
pub fn write_new_site(dir: &Path, files: &[(&str, &str)]) -> Result<usize, OutputError> {
    if dir.join("content").exists() {
        return Err(OutputError(format!(
            "{} already has a content/ folder; tiendo init only creates new sites",
            dir.display()
        )));
    }
    for (rel, text) in files {
        let rel =
            safe_relative(rel).ok_or_else(|| OutputError(format!("bad scaffold path {rel}")))?;
        let full = dir.join(rel);
        if let Some(parent) = full.parent() {
            fs::create_dir_all(parent).map_err(|e| err("cannot create", parent, e))?;
        }
        fs::write(&full, text).map_err(|e| err("cannot write", &full, e))?;
    }
    Ok(files.len())
}

/// Removes the previous site: files in parallel (unlinking tens of
/// thousands of files one by one dominates a large build), then folders.
fn remove_tree(dir: &Path) {
    let files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| !e.file_type().is_dir())
        .map(|e| e.into_path())
        .collect();
    files.par_iter().for_each(|f| {
        let _ = fs::remove_file(f);
    });
    let _ = fs::remove_dir_all(dir);
}

/// Temporary folders are private (0700); a web server must read the site.
#[cfg(unix)]
fn set_permissions(root: &Path) -> Result<(), OutputError> {
    use std::os::unix::fs::PermissionsExt;
    for entry in walkdir::WalkDir::new(root) {
        let entry =
            entry.map_err(|e| OutputError(format!("cannot read back the new site: {e}")))?;
        let mode = if entry.file_type().is_dir() {
            0o755
        } else {
            0o644
        };
        fs::set_permissions(entry.path(), fs::Permissions::from_mode(mode))
            .map_err(|e| err("cannot set permissions of", entry.path(), e))?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn set_permissions(_root: &Path) -> Result<(), OutputError> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_relative_paths_are_written() {
        assert!(safe_relative("nhiem-vu/index.html").is_some());
        for bad in ["../x", "/etc/passwd", "a/../../b", "a\\..\\b", "", "./a"] {
            assert!(safe_relative(bad).is_none() || bad == "./a", "{bad}");
        }
    }

    #[test]
    fn replaces_the_whole_folder() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("output");
        fs::create_dir_all(target.join("old")).unwrap();
        fs::write(target.join("old/stale.html"), "x").unwrap();
        let mut site = RenderedSite::default();
        site.files.insert("index.html".into(), b"new".to_vec());
        write(&site, &[], &target).unwrap();
        assert_eq!(fs::read(target.join("index.html")).unwrap(), b"new");
        assert!(!target.join("old").exists());
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("output")]);
    }
}
