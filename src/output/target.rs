//! Stage 5, output: decides where a build may write before anything runs.
//!
//! Input: the site root, the `--output` path and `--force`. Output: a
//! [`Target`] (the real folder the site replaces) or a refusal, and the
//! removal of temporary folders an interrupted build of the same target
//! left beside it. Nothing here writes the site itself.

use super::{OutputError, remove_tree};
use std::ffi::{OsStr, OsString};
use std::fs;
use std::path::{Component, Path, PathBuf};

/// The file tiendo writes into every output folder. A folder that has it
/// (or is empty) is one a build may replace; any other folder is someone
/// else's and is refused unless `--force`.
pub const MARKER: &str = ".tiendo";

/// Folders of a site that a build reads (see `load`): the output may not be,
/// hold or sit inside any of them.
const SITE_FOLDERS: [&str; 5] = ["content", "themes", "templates", "theme-static", "i18n"];

/// How many names a refusal lists before it says "and N more".
const NAMES_SHOWN: usize = 5;

/// The folder a build replaces, resolved and checked.
#[derive(Debug, Clone)]
pub struct Target {
    /// The folder as the user named it, for messages.
    pub shown: PathBuf,
    /// Its absolute path with `..` and symlinks resolved: the folder that
    /// is replaced (a symlinked output replaces what the link points to).
    pub path: PathBuf,
    pub(super) parent: PathBuf,
    pub(super) name: OsString,
}

/// A temporary folder of an interrupted build, found beside the target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stale {
    pub path: PathBuf,
    /// Bytes freed by removing it (files shared with the output by a hard
    /// link free nothing and are not counted).
    pub bytes: u64,
    /// The target was missing (the build was killed between the two
    /// renames of the swap) and this, the previous site, was put back.
    pub restored: bool,
}

impl Target {
    /// Resolves `output` and refuses it when it is, holds or sits inside the
    /// site's own folders, is not a folder, or is a folder tiendo did not
    /// write (unless `force`).
    pub fn resolve(site_root: &Path, output: &Path, force: bool) -> Result<Target, OutputError> {
        let path = resolve(output)?;
        let root = resolve(site_root)?;
        let clash = root.starts_with(&path)
            || SITE_FOLDERS.iter().any(|f| {
                let folder = root.join(f);
                folder.starts_with(&path) || path.starts_with(&folder)
            });
        if clash {
            return Err(OutputError::Io(format!(
                "refusing to write the site to {shown}: that folder is, holds or sits inside the \
                 site's own files (the site folder {root}, or its content/, themes/, templates/, \
                 theme-static/ or i18n/), which a build would replace. Choose another folder, \
                 for example --output {default}\n\
                 từ chối ghi trang vào {shown}: thư mục này trùng, chứa hoặc nằm trong tệp nguồn \
                 của trang. Hãy chọn thư mục khác, ví dụ --output {default}",
                shown = output.display(),
                root = root.display(),
                default = root.join("output").display(),
            )));
        }
        let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
            return Err(OutputError::Io(format!(
                "cannot write the site to {}: it has no parent folder",
                output.display()
            )));
        };
        let target = Target {
            shown: output.to_path_buf(),
            parent: parent.to_path_buf(),
            name: name.to_os_string(),
            path,
        };
        target.check_replaceable(force)?;
        Ok(target)
    }

    /// An existing target must be a folder, and empty or marked as ours.
    fn check_replaceable(&self, force: bool) -> Result<(), OutputError> {
        let meta = match fs::metadata(&self.path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(OutputError::io("cannot read", &self.shown, e)),
        };
        if !meta.is_dir() {
            return Err(OutputError::Io(format!(
                "{} exists and is not a folder; choose another --output",
                self.shown.display()
            )));
        }
        if force || self.path.join(MARKER).is_file() {
            return Ok(());
        }
        let mut names: Vec<String> = fs::read_dir(&self.path)
            .map_err(|e| OutputError::io("cannot read", &self.shown, e))?
            .flatten()
            .map(|e| {
                let mut n = e.file_name().to_string_lossy().into_owned();
                if e.file_type().is_ok_and(|t| t.is_dir()) {
                    n.push('/');
                }
                n
            })
            .collect();
        if names.is_empty() {
            return Ok(());
        }
        names.sort();
        let count = names.len();
        let mut listed = names
            .iter()
            .take(NAMES_SHOWN)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        if count > NAMES_SHOWN {
            listed.push_str(&format!(" and {} more", count - NAMES_SHOWN));
        }
        Err(OutputError::Io(format!(
            "refusing to replace {shown}: it holds {count} item(s) that tiendo did not write \
             ({listed}) and no {MARKER} file, and a build replaces its output folder whole. \
             Choose another --output, or add --force to delete everything in it\n\
             từ chối thay thư mục {shown}: trong đó có {count} mục không do tiendo tạo. \
             Hãy chọn --output khác, hoặc thêm --force để xoá toàn bộ nội dung thư mục này",
            shown = self.shown.display(),
        )))
    }

    /// The prefix of the temporary folders of a build of this target:
    /// `.output-new-` and `.output-old-` for `output`.
    pub(super) fn temp_prefix(&self, kind: &str) -> OsString {
        let mut p = OsString::from(".");
        p.push(&self.name);
        p.push(format!("-{kind}-"));
        p
    }

    /// Removes the temporary folders that an interrupted build of this
    /// target left beside it; a build still running holds a lock on its
    /// folder and is left alone. When the target itself is missing (a build
    /// killed in the middle of its swap), the previous site is put back.
    pub fn remove_stale(&self) -> Result<Vec<Stale>, OutputError> {
        let entries = match fs::read_dir(&self.parent) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(OutputError::io("cannot read", &self.parent, e)),
        };
        let new = self.temp_prefix("new");
        let old = self.temp_prefix("old");
        let mut found: Vec<(PathBuf, bool)> = entries
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .filter_map(|e| {
                let name = e.file_name();
                if is_temp_name(&name, &new) {
                    Some((e.path(), false))
                } else if is_temp_name(&name, &old) {
                    Some((e.path(), true))
                } else {
                    None
                }
            })
            .collect();
        found.sort();
        let mut stale = Vec::new();
        let mut target_exists = self.path.exists();
        for (path, is_old) in found {
            // Hold the lock while removing, so that no build starts using it.
            let Some(_lock) = lock_free(&path) else {
                continue;
            };
            if is_old && !target_exists {
                fs::rename(&path, &self.path).map_err(|e| {
                    OutputError::io("cannot put back the previous site from", &path, e)
                })?;
                target_exists = true;
                stale.push(Stale {
                    path,
                    bytes: 0,
                    restored: true,
                });
                continue;
            }
            let bytes = freed_bytes(&path);
            remove_tree(&path);
            if path.exists() {
                return Err(OutputError::Io(format!(
                    "cannot remove the temporary folder {} left by an interrupted build; remove it by hand",
                    path.display()
                )));
            }
            stale.push(Stale {
                path,
                bytes,
                restored: false,
            });
        }
        Ok(stale)
    }
}

/// `prefix` followed by the six letters and digits `tempfile` adds.
fn is_temp_name(name: &OsStr, prefix: &OsStr) -> bool {
    let (Some(name), Some(prefix)) = (name.to_str(), prefix.to_str()) else {
        return false;
    };
    name.strip_prefix(prefix)
        .is_some_and(|rest| rest.len() == 6 && rest.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Takes the lock a running build holds on its temporary folder; `None`
/// when another build holds it.
pub(super) fn lock_free(dir: &Path) -> Option<fs::File> {
    let file = fs::File::open(dir).ok()?;
    file.try_lock().ok()?;
    Some(file)
}

/// The bytes removing `dir` gives back to the disk.
fn freed_bytes(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| e.metadata().ok())
        .filter(only_link)
        .map(|m| m.len())
        .sum()
}

#[cfg(unix)]
fn only_link(m: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    m.nlink() <= 1
}

#[cfg(not(unix))]
fn only_link(_m: &fs::Metadata) -> bool {
    true
}

/// The absolute path `path` names, with symlinks and `..` resolved: the
/// longest part that exists is canonicalised, the rest (which cannot hold a
/// symlink) is normalised by hand.
fn resolve(path: &Path) -> Result<PathBuf, OutputError> {
    let abs = std::path::absolute(path).map_err(|e| OutputError::io("cannot resolve", path, e))?;
    let mut rest: Vec<Component> = Vec::new();
    let mut existing = abs.as_path();
    let base = loop {
        if let Ok(real) = fs::canonicalize(existing) {
            break real;
        }
        match (existing.parent(), existing.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last);
                existing = parent;
            }
            _ => break PathBuf::from("/"),
        }
    };
    let mut out = base;
    for c in rest.into_iter().rev() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(n) => out.push(n),
            _ => {}
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_names_are_the_prefix_and_six_letters() {
        let p = OsStr::new(".output-new-");
        assert!(is_temp_name(OsStr::new(".output-new-a1B2c3"), p));
        assert!(!is_temp_name(OsStr::new(".output-new-new-a1B2c3"), p));
        assert!(!is_temp_name(OsStr::new(".output-new-a1B2c"), p));
        assert!(!is_temp_name(OsStr::new("output-new-a1B2c3"), p));
    }

    #[test]
    fn resolve_follows_symlinks_and_parent_folders() {
        let dir = tempfile::tempdir().unwrap();
        let real = fs::canonicalize(dir.path()).unwrap();
        fs::create_dir(real.join("site")).unwrap();
        assert_eq!(
            resolve(&real.join("site/content/../..")).unwrap(),
            real,
            "a missing tail is normalised"
        );
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(real.join("site"), real.join("link")).unwrap();
            assert_eq!(resolve(&real.join("link")).unwrap(), real.join("site"));
            assert_eq!(
                resolve(&real.join("link/new")).unwrap(),
                real.join("site/new")
            );
        }
    }

    #[test]
    fn the_site_folders_are_refused_and_output_beside_them_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        fs::create_dir_all(root.join("content")).unwrap();
        for bad in [
            "",
            "content",
            "content/x",
            "templates",
            "i18n/out",
            "themes",
            "..",
        ] {
            let err = Target::resolve(&root, &root.join(bad), false).unwrap_err();
            assert!(err.to_string().contains("site's own files"), "{bad}: {err}");
        }
        for good in ["output", "public", "../elsewhere"] {
            assert!(
                Target::resolve(&root, &root.join(good), false).is_ok(),
                "{good}"
            );
        }
    }
}
