//! Stage 5, output: the temporary folder a build writes into, swapped in
//! for the target when everything was written.
//!
//! Input: files one at a time, from any thread ([`Staging::write`],
//! [`Staging::copy`]), so that a renderer can hand each page over as soon as
//! it is rendered. Output: the target replaced as a whole by
//! [`Staging::finish`]. A file whose bytes equal the previous output's is
//! hard-linked from it rather than written, so it keeps its modification
//! time and inode and `rsync` sends only what changed. The staging folder
//! is the previous build's spare tree when there is one ([`super::spare`]):
//! its folders and links are kept where they still fit, everything else in
//! it is replaced or removed, and no file of it is ever written through.
//! Dropping a staging that did not finish removes its folder; the previous
//! output is untouched.

use super::spare::{self, Digest, Record, Records, Stamp};
use super::target::{MARKER, Target, lock_free};
use super::{OutputError, interrupt, remove_tree, safe_relative};
use std::collections::HashSet;
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

mod fs_ops;
mod kept;
use fs_ops::{create_dir, create_file, same_bytes, set_file_mode, set_mode, umask_masks};

/// The walk of a reused spare tree: on a thread of its own while the build
/// renders, or done already where no thread could be started.
enum Walk {
    Running(std::thread::JoinHandle<spare::Found>),
    Done(spare::Found),
}

/// What a finished build wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Files written anew (new or changed), the marker included.
    pub written: usize,
    /// Files identical to the previous output's, kept as they were.
    pub unchanged: usize,
    /// Where a folder tiendo did not write (`--force`) was moved, beside
    /// the target under a dated name: never removed.
    pub moved_aside: Option<PathBuf>,
}

/// A build's temporary folder beside the target.
pub struct Staging {
    // Field order is drop order: the folder is removed before its lock is
    // released, so that no other build takes it for stale while it goes.
    dir: Option<tempfile::TempDir>,
    _lock: fs::File,
    target: Target,
    /// The previous output, when there is one to compare with.
    previous: Option<PathBuf>,
    /// The digests of the previous output's files, from the spare.
    records: Records,
    /// Whether the staging folder is the spare tree (not empty at first),
    /// and the walk of what it held, joined when the build finishes.
    reused: bool,
    walk: Option<Walk>,
    /// Every path written (or kept) by this build, with its record when
    /// its digest is known: the next build's manifest.
    made: Mutex<Vec<(String, Option<Record>)>>,
    /// Folders already created inside the staging folder.
    dirs: Mutex<HashSet<PathBuf>>,
    /// Whether the umask takes bits off 0755 folders and 0644 files, so
    /// that each needs a `chmod` after it is created (rare: most umasks
    /// are 022 or 002, and then creating with the mode is enough).
    masked: bool,
    written: AtomicUsize,
    unchanged: AtomicUsize,
}

impl Staging {
    /// Creates the temporary folder beside `target`.
    pub fn begin(target: &Target) -> Result<Staging, OutputError> {
        fs::create_dir_all(&target.parent)
            .map_err(|e| OutputError::io("output.act.create", &target.parent, e))?;
        interrupt::start_writing()?;
        let dir = match tempfile::Builder::new()
            .prefix(&target.temp_prefix("new"))
            .tempdir_in(&target.parent)
        {
            Ok(d) => d,
            Err(e) => {
                interrupt::stop_writing();
                return Err(OutputError::io("output.act.temp_in", &target.parent, e));
            }
        };
        let masked = umask_masks(dir.path());
        let Some(lock) = lock_free(dir.path()) else {
            interrupt::stop_writing();
            return Err(OutputError::io(
                "output.act.lock",
                dir.path(),
                crate::msg!("output.why.locked"),
            ));
        };
        // A folder tiendo did not write (--force) is moved aside whole at the
        // swap: none of its files is linked into the new site.
        let previous =
            (target.path.is_dir() && !is_foreign(&target.path)).then(|| target.path.clone());
        // The spare is only worth taking when there is an output to compare
        // with. It is locked before it replaces the empty folder just made
        // (the lock goes with the folder), so no other build's clean-up can
        // take it for stale in between.
        let (taken, lock) = match previous
            .as_ref()
            .and_then(|_| spare::take(target, dir.path()))
        {
            Some((records, spare_lock)) => (Some(records), spare_lock),
            None => (None, lock),
        };
        let reused = taken.is_some();
        let walk = if reused {
            let root = dir.path().to_path_buf();
            let thread = std::thread::Builder::new()
                .name("spare-walk".into())
                .spawn(move || spare::walk(&root));
            match thread {
                Ok(handle) => Some(Walk::Running(handle)),
                Err(_) => Some(Walk::Done(spare::walk(dir.path()))),
            }
        } else {
            None
        };
        Ok(Staging {
            dir: Some(dir),
            _lock: lock,
            target: target.clone(),
            previous,
            records: taken.unwrap_or_default(),
            reused,
            walk,
            made: Mutex::new(Vec::new()),
            dirs: Mutex::new(HashSet::new()),
            masked,
            written: AtomicUsize::new(0),
            unchanged: AtomicUsize::new(0),
        })
    }

    fn root(&self) -> &Path {
        self.dir.as_ref().map_or(Path::new(""), |d| d.path())
    }

    /// Where `rel` goes in the staging folder, its parent folders created,
    /// and where it was in the previous output.
    fn place(&self, rel: &str) -> Result<(PathBuf, Option<PathBuf>), OutputError> {
        interrupt::check()?;
        let rel = safe_relative(rel)
            .ok_or_else(|| OutputError::Failed(crate::msg!("output.outside", path = rel)))?;
        if let Some(parent) = rel.parent().filter(|p| !p.as_os_str().is_empty()) {
            self.create_dirs(parent)?;
        }
        let previous = self.previous.as_ref().map(|p| p.join(&rel));
        Ok((self.root().join(rel), previous))
    }

    /// Creates `rel` and its parents once each, 0755 whatever the umask.
    fn create_dirs(&self, rel: &Path) -> Result<(), OutputError> {
        let mut missing = Vec::new();
        {
            let dirs = self.dirs.lock().unwrap_or_else(|p| p.into_inner());
            for d in rel.ancestors().filter(|d| !d.as_os_str().is_empty()) {
                if dirs.contains(d) {
                    break;
                }
                missing.push(d.to_path_buf());
            }
        }
        for d in missing.into_iter().rev() {
            let full = self.root().join(&d);
            let made = self.make_dir(&full)?;
            let mut dirs = self.dirs.lock().unwrap_or_else(|p| p.into_inner());
            // Something was there: another thread's folder, the spare's
            // folder, or a file or link of the spare where a folder goes now
            // (never followed: it is replaced). Under the lock, so that no
            // thread removes a folder another just made.
            if !made
                && self.reused
                && !dirs.contains(&d)
                && !fs::symlink_metadata(&full).is_ok_and(|m| m.is_dir())
            {
                match fs::remove_file(&full) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => return Err(OutputError::io("output.act.replace", &full, e)),
                }
                if !self.make_dir(&full)? && !fs::symlink_metadata(&full).is_ok_and(|m| m.is_dir())
                {
                    return Err(OutputError::io(
                        "output.act.create",
                        &full,
                        crate::msg!("output.why.in_the_way"),
                    ));
                }
            }
            dirs.insert(d);
        }
        Ok(())
    }

    /// Makes the folder `full`, 0755 whatever the umask; `false` when
    /// something is there already.
    fn make_dir(&self, full: &Path) -> Result<bool, OutputError> {
        match create_dir(full) {
            Ok(()) => {
                if self.masked {
                    set_mode(full, 0o755)?;
                }
                Ok(true)
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
            Err(e) => Err(OutputError::io("output.act.create", full, e)),
        }
    }

    /// Writes `bytes` at `rel` (a plain relative path with `/`). Safe to call
    /// from many threads at once; each path may be written once.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let (dest, previous) = self.place(rel)?;
        self.write_at(rel, &dest, previous, bytes, None)
    }

    /// Writes at `rel` the file `make` makes from inputs whose digest is
    /// `key` (a share image): when the previous output's file there was
    /// made from the same inputs, and is still the file recorded, it is
    /// kept and `make` is not called.
    pub fn write_keyed(
        &self,
        rel: &str,
        key: &Digest,
        make: &dyn Fn() -> Vec<u8>,
    ) -> Result<(), OutputError> {
        let (dest, previous) = self.place(rel)?;
        if let Some(prev) = &previous
            && let Some(record) = self.records.get(rel)
            && record.key.as_ref() == Some(key)
            && let Ok(meta) = fs::symlink_metadata(prev)
            && meta.is_file()
            && Stamp::of(&meta) == Some(record.stamp)
        {
            return self.keep_keyed(rel, prev, &meta, &dest, Some(record.digest), Some(*key));
        }
        let bytes = make();
        self.write_at(rel, &dest, previous, &bytes, Some(*key))
    }

    fn write_at(
        &self,
        rel: &str,
        dest: &Path,
        previous: Option<PathBuf>,
        bytes: &[u8],
        key: Option<Digest>,
    ) -> Result<(), OutputError> {
        let digest = spare::digest(bytes);
        if let Some(prev) = previous
            && let Some(meta) = self.unchanged(&prev, rel, bytes, &digest)
        {
            return self.keep_keyed(rel, &prev, &meta, dest, Some(digest), key);
        }
        let (mut file, old_len) = match self.own_file(dest) {
            Some(own) => own,
            None => {
                self.clear(dest)?;
                let file =
                    create_file(dest).map_err(|e| OutputError::io("output.act.write", dest, e))?;
                (file, 0)
            }
        };
        file.write_all(bytes)
            .and_then(|()| {
                // Cut what is left of a longer old file (after writing: on
                // ext4, emptying a file first makes closing it flush it).
                if old_len > bytes.len() as u64 {
                    file.set_len(bytes.len() as u64)
                } else {
                    Ok(())
                }
            })
            .map_err(|e| OutputError::io("output.act.write", dest, e))?;
        if self.masked {
            set_file_mode(&file, dest)?;
        }
        let stamp = file.metadata().ok().as_ref().and_then(Stamp::of);
        self.made_keyed(rel, stamp, Some(digest), key);
        self.written.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Copies the file `source` to `rel`.
    pub fn copy(&self, rel: &str, source: &Path) -> Result<(), OutputError> {
        let (dest, previous) = self.place(rel)?;
        if let Some(prev) = previous
            && let Ok(meta) = fs::symlink_metadata(&prev)
            && meta.is_file()
            && fs::metadata(source).is_ok_and(|m| m.len() == meta.len())
            && let Ok(mut src) = fs::File::open(source)
            && same_bytes(&prev, meta.len(), &mut src)
        {
            return self.keep(rel, &prev, &meta, &dest, None);
        }
        self.clear(&dest)?;
        fs::copy(source, &dest).map_err(|e| OutputError::io("output.act.copy", source, e))?;
        set_mode(&dest, 0o644)?;
        self.made(rel, None, None);
        self.written.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// The spare's file at `path`, open for writing from its start, and its
    /// length, when it is a plain file no other path links to (it changed
    /// in the last build, so the live site has a file of its own):
    /// rewriting it in place spares freeing an inode and taking another,
    /// which on ext4 slows every file made in the next minutes. The check
    /// is made on the opened file itself.
    #[cfg(unix)]
    fn own_file(&self, path: &Path) -> Option<(fs::File, u64)> {
        use std::os::unix::fs::MetadataExt;
        if !self.reused {
            return None;
        }
        let before = fs::symlink_metadata(path).ok()?;
        if !before.is_file() || before.nlink() != 1 {
            return None;
        }
        let file = fs::File::options().write(true).open(path).ok()?;
        let opened = file.metadata().ok()?;
        let alone = opened.is_file() && opened.ino() == before.ino() && opened.nlink() == 1;
        alone.then_some((file, opened.len()))
    }

    #[cfg(not(unix))]
    fn own_file(&self, _path: &Path) -> Option<(fs::File, u64)> {
        None
    }

    /// Removes whatever the spare tree holds at `path` (a file, a link or a
    /// folder), so that a new file or folder is made there rather than one
    /// of the spare's written through. Nothing to do in a fresh folder.
    fn clear(&self, path: &Path) -> Result<(), OutputError> {
        if !self.reused {
            return Ok(());
        }
        let result = match fs::symlink_metadata(path) {
            Ok(m) if m.is_dir() => {
                // A folder this build writes into is the site's, not the
                // spare's: two of its paths clash.
                let rel = path.strip_prefix(self.root()).unwrap_or(path);
                if self
                    .dirs
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .contains(rel)
                {
                    return Err(OutputError::io(
                        "output.act.write",
                        path,
                        crate::msg!("output.why.folder_there"),
                    ));
                }
                remove_tree(path);
                Ok(())
            }
            Ok(_) => fs::remove_file(path),
            Err(_) => Ok(()),
        };
        match result {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                Err(OutputError::io("output.act.replace", path, e))
            }
            _ if fs::symlink_metadata(path).is_ok() => Err(OutputError::io(
                "output.act.replace",
                path,
                crate::msg!("output.why.not_removed"),
            )),
            _ => Ok(()),
        }
    }

    fn made(&self, rel: &str, stamp: Option<Stamp>, digest: Option<Digest>) {
        self.made_keyed(rel, stamp, digest, None);
    }

    fn made_keyed(
        &self,
        rel: &str,
        stamp: Option<Stamp>,
        digest: Option<Digest>,
        key: Option<Digest>,
    ) {
        let record = stamp
            .zip(digest)
            .map(|(stamp, digest)| Record { stamp, digest, key });
        self.made
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push((rel.to_string(), record));
    }

    /// Removes from a reused spare tree whatever this build did not write:
    /// files of pages that are gone, and folders nothing is written in.
    fn prune(&mut self) -> Result<(), OutputError> {
        let Some(walk) = self.walk.take() else {
            return Ok(());
        };
        let root = self.root().to_path_buf();
        let found = match walk {
            Walk::Running(handle) => handle.join().ok().flatten(),
            Walk::Done(found) => found,
        };
        let Some(found) = found else {
            return Err(OutputError::io(
                "output.act.read",
                &root,
                crate::msg!("output.why.spare_unreadable"),
            ));
        };
        let made = self.made.lock().unwrap_or_else(|p| p.into_inner());
        let written: HashSet<&str> = made.iter().map(|(p, _)| p.as_str()).collect();
        let dirs = self.dirs.lock().unwrap_or_else(|p| p.into_inner());
        // A path this build wrote a file or made a folder at is the new
        // site's, whatever the spare had there (the build replaced it).
        let ours =
            |rel: &Path| dirs.contains(rel) || rel.to_str().is_some_and(|r| written.contains(r));
        // Entries come parents first: a removed folder's contents follow it.
        let mut removed: Option<&Path> = None;
        for rel in &found {
            if removed.is_some_and(|r| rel.starts_with(r)) || ours(rel) {
                continue;
            }
            let full = root.join(rel);
            match fs::symlink_metadata(&full) {
                Ok(m) if m.is_dir() => {
                    remove_tree(&full);
                    removed = Some(rel);
                }
                Ok(_) => {
                    fs::remove_file(&full)
                        .map_err(|e| OutputError::io("output.act.remove", &full, e))?;
                }
                Err(_) => {}
            }
            if fs::symlink_metadata(&full).is_ok() {
                return Err(OutputError::io(
                    "output.act.remove",
                    &full,
                    crate::msg!("output.why.still_there"),
                ));
            }
        }
        Ok(())
    }

    /// Writes the marker, removes what a reused spare tree held that this
    /// build did not write, and swaps the staging folder in for the target:
    /// the previous output is moved aside, the new one moved in, the old one
    /// kept as the next build's spare. On any failure the previous output is
    /// back in place.
    pub fn finish(mut self, build: &str) -> Result<Outcome, OutputError> {
        self.write(MARKER, marker(build).as_bytes())?;
        self.prune()?;
        let staged = self.root().to_path_buf();
        set_mode(&staged, 0o755)?;
        let target = self.target.clone();
        let mut moved_aside = None;
        let aside = interrupt::swapping(|| -> Result<Option<PathBuf>, OutputError> {
            interrupt::check()?;
            let aside = if is_foreign(&target.path) {
                // Someone else's folder, replaced with --force: kept whole
                // under a dated name beside it, never taken for the spare.
                let backup = backup_name(&target);
                fs::rename(&target.path, &backup)
                    .map_err(|e| OutputError::io("output.act.move_aside", &target.shown, e))?;
                moved_aside = Some(backup);
                None
            } else if target.path.exists() {
                let aside = tempfile::Builder::new()
                    .prefix(&target.temp_prefix("old"))
                    .tempdir_in(&target.parent)
                    .map_err(|e| OutputError::io("output.act.temp_in", &target.parent, e))?
                    .keep();
                // Renaming a folder onto an empty one replaces it.
                if let Err(e) = fs::rename(&target.path, &aside) {
                    let _ = fs::remove_dir(&aside);
                    return Err(OutputError::io("output.act.move_aside", &target.shown, e));
                }
                Some(aside)
            } else {
                None
            };
            if let Err(e) = fs::rename(&staged, &target.path) {
                if let Some(aside) = aside.as_ref().or(moved_aside.as_ref()) {
                    let _ = fs::rename(aside, &target.path);
                }
                return Err(OutputError::io("output.act.move_in", &target.shown, e));
            }
            Ok(aside)
        })?;
        // The staging folder is the output now: nothing for drop to remove.
        if let Some(dir) = self.dir.take() {
            let _ = dir.keep();
        }
        // The previous output becomes the next build's spare tree.
        let made = std::mem::take(&mut *self.made.lock().unwrap_or_else(|p| p.into_inner()));
        let records: Vec<(String, Record)> = made
            .into_iter()
            .filter_map(|(path, record)| Some((path, record?)))
            .collect();
        spare::store(&target, aside, &records);
        Ok(Outcome {
            written: self.written.load(Ordering::Relaxed),
            unchanged: self.unchanged.load(Ordering::Relaxed),
            moved_aside,
        })
    }
}

/// Whether `path` is a folder with something in it and no marker: one that
/// tiendo did not write.
fn is_foreign(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.is_dir())
        && !path.join(MARKER).exists()
        && fs::read_dir(path).is_ok_and(|mut d| d.next().is_some())
}

/// `NAME.bak-YYYYMMDD-HHMMSS` beside the target (local time), with `-2`,
/// `-3`... when that name is taken.
fn backup_name(target: &Target) -> PathBuf {
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    let mut base = target.name.clone();
    base.push(format!(".bak-{stamp}"));
    let mut path = target.parent.join(&base);
    let mut n = 2;
    while fs::symlink_metadata(&path).is_ok() {
        let mut name = base.clone();
        name.push(format!("-{n}"));
        path = target.parent.join(name);
        n += 1;
    }
    path
}

impl Drop for Staging {
    fn drop(&mut self) {
        if let Some(dir) = self.dir.take() {
            remove_tree(dir.path());
            drop(dir);
        }
        interrupt::stop_writing();
    }
}

/// The marker's text: what wrote the folder, and what the next build does
/// with it. Deterministic, so that an unchanged build keeps it too.
fn marker(build: &str) -> String {
    format!(
        "tiendo {version}\n{build}\n\
         This folder was written by `tiendo build`; the next build replaces it whole. Keep nothing else here.\n\
         Thư mục này do `tiendo build` tạo; lần dựng sau sẽ thay toàn bộ. Đừng để tệp nào khác ở đây.\n",
        version = env!("CARGO_PKG_VERSION")
    )
}
