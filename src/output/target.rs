//! Stage 5, output: decides where a build may write before anything runs.
//!
//! Input: the site root, the `--output` path and `--force`. Output: a
//! [`Target`] (the real folder the site replaces) or a refusal, and the
//! removal of temporary folders an interrupted build of the same target
//! left beside it. Nothing here writes the site itself.
//!
//! Two rules keep `--force` from destroying anything: folders of the system
//! and the user's home are refused by their path alone, before anything is
//! read or written there ([`Protected`]); and a folder tiendo did not write
//! is never removed, only moved aside under a dated name (see
//! [`super::staging`]). A lock file beside the target makes a second build
//! of the same output wait for the first.
//!
//! Over 600 lines: a quarter of it is tests of the refusals, each with its
//! own fake home and system folders.

use super::{OutputError, remove_tree};
use crate::diag::Message;
use crate::msg;
use std::ffi::{OsStr, OsString};
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// The file tiendo writes into every output folder. A folder that has it
/// (or is empty) is one a build may replace; any other folder is someone
/// else's and is refused unless `--force`.
pub const MARKER: &str = ".tiendo";

/// Folders of a site that a build reads (see `load`): the output may not be,
/// hold or sit inside any of them.
const SITE_FOLDERS: [&str; 5] = ["content", "themes", "templates", "theme-static", "i18n"];

/// How many names a refusal lists before it says "and N more".
const NAMES_SHOWN: usize = 5;

/// Folders of the operating system refused with everything inside them.
const SYSTEM_TREES: [&str; 19] = [
    "/bin",
    "/sbin",
    "/lib",
    "/lib32",
    "/lib64",
    "/libx32",
    "/boot",
    "/dev",
    "/proc",
    "/sys",
    "/etc",
    "/run",
    "/snap",
    "/usr/bin",
    "/usr/sbin",
    "/usr/lib",
    "/System",
    "/Library",
    "/private/etc",
];

/// Folders refused themselves and each folder directly in them (`/home/an`,
/// `/var/lib`, `/usr/share`), but not deeper: `/var/www/portal` is a
/// usual place for a site.
const SYSTEM_SHALLOW: [&str; 6] = [
    "/home",
    "/Users",
    "/usr",
    "/var",
    "/usr/local",
    "/private/var",
];

/// Folders refused themselves only (a site may live inside them; root's
/// home among them, where a site kept by root lives).
const SYSTEM_EXACT: [&str; 9] = [
    "/root",
    "/srv",
    "/opt",
    "/mnt",
    "/media",
    "/tmp",
    "/private",
    "/private/tmp",
    "/Volumes",
];

/// The folders no build may replace whatever `--force` says: the system's
/// and the user's home, and every folder that holds one of them (the root
/// of the file system among them). Injectable, so that tests use a
/// temporary folder as the home and never touch a real one.
#[derive(Debug, Clone, Default)]
pub struct Protected {
    /// The user's home folder.
    pub home: Option<PathBuf>,
    /// Refused with everything inside them.
    pub trees: Vec<PathBuf>,
    /// Refused with the folders directly inside them.
    pub shallow: Vec<PathBuf>,
    /// Refused themselves only.
    pub exact: Vec<PathBuf>,
}

impl Protected {
    /// The system folders of Linux and macOS and `$HOME` (`%USERPROFILE%`).
    pub fn system() -> Protected {
        let home = std::env::var_os("HOME")
            .or_else(|| std::env::var_os("USERPROFILE"))
            .filter(|h| !h.is_empty())
            .map(PathBuf::from);
        Protected::with_home(home)
    }

    /// The system folders, with `home` as the user's home.
    pub fn with_home(home: Option<PathBuf>) -> Protected {
        let paths = |list: &[&str]| list.iter().map(PathBuf::from).collect();
        Protected {
            home,
            trees: paths(&SYSTEM_TREES),
            shallow: paths(&SYSTEM_SHALLOW),
            exact: paths(&SYSTEM_EXACT),
        }
    }

    /// Whether `path` (absolute, without `.` or `..`) is refused. Decided by
    /// the path alone: nothing is read.
    pub fn refuses(&self, path: &Path) -> bool {
        let holds = |folder: &Path| folder.starts_with(path);
        let all = self
            .trees
            .iter()
            .chain(&self.shallow)
            .chain(&self.exact)
            .chain(&self.home);
        // The root of the file system, and anything that is or holds one of
        // the protected folders.
        path.parent().is_none()
            || all.clone().any(|f| holds(f))
            || self.trees.iter().any(|t| path.starts_with(t))
            || path
                .parent()
                .is_some_and(|p| self.shallow.iter().any(|s| s == p))
    }
}

/// Called once when a build waits for another build of the same output.
type WaitNotice = Box<dyn Fn(&Path) + Send + Sync>;
static WAIT_NOTICE: OnceLock<WaitNotice> = OnceLock::new();

/// Sets what a build does when it must wait for another build of the same
/// output (the binary prints a line); the first call wins.
pub fn on_wait(notice: impl Fn(&Path) + Send + Sync + 'static) {
    let _ = WAIT_NOTICE.set(Box::new(notice));
}

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
    /// The exclusive lock on `.NAME.lock` beside the folder, held while any
    /// clone of the target lives: one build of a folder at a time.
    _lock: Arc<fs::File>,
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
    /// Resolves `output` and refuses it when it is a protected folder
    /// ([`Protected::system`]), is, holds or sits inside the site's own
    /// folders, is not a folder, or is a folder tiendo did not write (unless
    /// `force`). Waits while another build holds the target's lock.
    pub fn resolve(site_root: &Path, output: &Path, force: bool) -> Result<Target, OutputError> {
        Target::resolve_with(site_root, output, force, &Protected::system())
    }

    /// [`Target::resolve`] with the protected folders given.
    pub fn resolve_with(
        site_root: &Path,
        output: &Path,
        force: bool,
        protected: &Protected,
    ) -> Result<Target, OutputError> {
        let refused = || OutputError::Failed(msg!("output.protected", path = output.display()));
        let root = resolve(site_root)?;
        let clash = |path: &Path| {
            root.starts_with(path)
                || SITE_FOLDERS.iter().any(|f| {
                    let folder = root.join(f);
                    folder.starts_with(path) || path.starts_with(&folder)
                })
        };
        let site_folder = || {
            OutputError::Failed(msg!(
                "output.site_folder",
                path = output.display(),
                root = root.display(),
                default = root.join("output").display(),
            ))
        };
        // By the path as written first, before anything is read there; then
        // by the real folder, which a symlink may hide.
        let lexical = std::path::absolute(output)
            .map(|p| normalise(&p))
            .map_err(|e| OutputError::io("output.act.resolve", output, e))?;
        if clash(&lexical) {
            return Err(site_folder());
        }
        if protected.refuses(&lexical) {
            return Err(refused());
        }
        let path = resolve(output)?;
        if clash(&path) {
            return Err(site_folder());
        }
        let real_home = protected
            .home
            .as_ref()
            .map(|h| fs::canonicalize(h).unwrap_or_else(|_| h.clone()));
        if protected.refuses(&path) || real_home.is_some_and(|h| h.starts_with(&path)) {
            return Err(refused());
        }
        let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
            return Err(refused());
        };
        let lock = lock_target(parent, name)?;
        let target = Target {
            shown: output.to_path_buf(),
            parent: parent.to_path_buf(),
            name: name.to_os_string(),
            path,
            _lock: Arc::new(lock),
        };
        target.check_replaceable(force)?;
        Ok(target)
    }

    /// An existing target must be a folder, and empty or marked as ours.
    fn check_replaceable(&self, force: bool) -> Result<(), OutputError> {
        let meta = match fs::metadata(&self.path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(OutputError::io("output.act.read", &self.shown, e)),
        };
        if !meta.is_dir() {
            return Err(OutputError::Failed(msg!(
                "output.not_a_folder",
                path = self.shown.display()
            )));
        }
        if force || self.path.join(MARKER).is_file() {
            return Ok(());
        }
        let mut names: Vec<String> = fs::read_dir(&self.path)
            .map_err(|e| OutputError::io("output.act.read", &self.shown, e))?
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
        let listed = names
            .iter()
            .take(NAMES_SHOWN)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        Err(OutputError::Failed(msg!(
            "output.foreign",
            path = self.shown.display(),
            count,
            listed,
            more = more(count.saturating_sub(NAMES_SHOWN)),
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
            Err(e) => return Err(OutputError::io("output.act.read", &self.parent, e)),
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
                fs::rename(&path, &self.path)
                    .map_err(|e| OutputError::io("output.act.put_back", &path, e))?;
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
                return Err(OutputError::Failed(msg!(
                    "output.stale_stuck",
                    path = path.display()
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

/// ", and 3 more" after a list cut at its first names; nothing when it is whole.
pub fn more(left: usize) -> Message {
    if left == 0 {
        msg!("output.more_none")
    } else {
        msg!("output.more", left)
    }
}

/// Takes the exclusive lock of a build of `parent/name` on the file
/// `parent/.name.lock`, waiting (and saying so once) while another build
/// holds it. The file stays: removing it could let two builds lock two
/// different files.
fn lock_target(parent: &Path, name: &OsStr) -> Result<fs::File, OutputError> {
    fs::create_dir_all(parent).map_err(|e| OutputError::io("output.act.create", parent, e))?;
    let mut file_name = OsString::from(".");
    file_name.push(name);
    file_name.push(".lock");
    let path = parent.join(file_name);
    let file = fs::File::options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| OutputError::io("output.act.create", &path, e))?;
    match file.try_lock() {
        Ok(()) => return Ok(file),
        Err(fs::TryLockError::WouldBlock) => {}
        Err(fs::TryLockError::Error(e)) => {
            return Err(OutputError::io("output.act.lock", &path, e));
        }
    }
    if let Some(notice) = WAIT_NOTICE.get() {
        notice(&parent.join(name));
    }
    file.lock()
        .map_err(|e| OutputError::io("output.act.lock", &path, e))?;
    Ok(file)
}

/// `path` without `.` and with each `..` taking off the folder before it,
/// by the text alone.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// The absolute path `path` names, with symlinks and `..` resolved: the
/// longest part that exists is canonicalised, the rest (which cannot hold a
/// symlink) is normalised by hand.
fn resolve(path: &Path) -> Result<PathBuf, OutputError> {
    let abs =
        std::path::absolute(path).map_err(|e| OutputError::io("output.act.resolve", path, e))?;
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

    /// A protected set whose home is `home` and with no other folder than
    /// the system's: nothing here reads or writes a real system folder.
    fn protected(home: &Path) -> Protected {
        Protected::with_home(Some(home.to_path_buf()))
    }

    #[test]
    fn system_folders_and_the_home_are_refused_by_their_path_alone() {
        let p = protected(Path::new("/nonexistent-home/an"));
        for bad in [
            "/",
            "/etc",
            "/etc/nginx",
            "/usr",
            "/usr/share",
            "/usr/lib/x86_64-linux-gnu",
            "/var",
            "/var/lib",
            "/home",
            "/home/someone",
            "/boot",
            "/root",
            "/srv",
            "/opt",
            "/tmp",
            "/nonexistent-home",
            "/nonexistent-home/an",
        ] {
            assert!(p.refuses(Path::new(bad)), "{bad}");
        }
        for good in [
            "/var/www/portal",
            "/srv/www",
            "/opt/tiendo/output",
            "/tmp/site/output",
            "/nonexistent-home/an/portal/output",
            "/usr/local/share/portal",
            "/root/portal/output",
        ] {
            assert!(!p.refuses(Path::new(good)), "{good}");
        }
    }

    #[test]
    fn protected_folders_are_refused_even_with_force_and_stay_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let real = fs::canonicalize(dir.path()).unwrap();
        let home = real.join("home/an");
        fs::create_dir_all(home.join("Documents")).unwrap();
        fs::write(home.join("Documents/thu.txt"), "x").unwrap();
        let site = home.join("portal");
        fs::create_dir_all(site.join("content")).unwrap();
        let p = protected(&home);
        // The root and a system folder: refused by the path alone, before
        // anything is read there (no lock file appears beside them).
        for bad in [Path::new("/"), Path::new("/etc"), Path::new("/usr/share")] {
            let err = Target::resolve_with(&site, bad, true, &p).unwrap_err();
            assert!(err.to_string().contains("refusing"), "{err}");
        }
        // The home, a folder holding it, and the home through `..` or a link.
        let mut bad = vec![home.clone(), real.join("home"), site.join("../../an")];
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&home, real.join("link")).unwrap();
            bad.push(real.join("link"));
        }
        for b in &bad {
            let err = Target::resolve_with(&site, b, true, &p).unwrap_err();
            assert!(
                err.to_string().contains("protected") || err.to_string().contains("site's own"),
                "{}: {err}",
                b.display()
            );
        }
        assert_eq!(fs::read(home.join("Documents/thu.txt")).unwrap(), b"x");
        let leftovers: Vec<_> = fs::read_dir(&home)
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers.len(), 2, "{leftovers:?}");
        // A folder inside the home is fine.
        assert!(Target::resolve_with(&site, &home.join("out"), true, &p).is_ok());
    }
}
