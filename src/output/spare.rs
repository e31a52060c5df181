//! Stage 5, output: the previous site's folder tree, kept beside the target
//! so that the next build updates it instead of making and deleting a
//! whole site's folders and links.
//!
//! Input: the folder the swap moved aside, and the stamp and digest of
//! every file of the new output. Output: the spare folder `.output-spare`
//! beside `output` holding that tree and a manifest ([`MANIFEST`]), taken
//! back by the next build as its staging folder. With the manifest, the
//! next build tells an unchanged file by its digest without reading the
//! previous output, as long as the file's size, modification time and inode
//! are those recorded; otherwise it compares bytes. The spare is never
//! published and may be deleted at any time: a build without it makes a
//! fresh staging folder, as the first build does.

use super::remove_tree;
use super::target::{MARKER, Target, lock_free};
use std::collections::HashMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The manifest's file name inside the spare folder. A spare without it is
/// not tiendo's and is left alone.
pub(super) const MANIFEST: &str = ".tiendo-spare";

/// The build cache's file name inside the spare folder (`crate::cache`):
/// taken out with the manifest when the spare becomes a staging folder, so
/// it is never published.
pub(super) const CACHE: &str = ".tiendo-cache";

/// The first line of a manifest; a spare with a manifest of another
/// version (or a damaged one) is removed. Version 1 (before share images)
/// is read too: its lines have no key.
const HEADER: &str = "tiendo spare 2";
const HEADER_V1: &str = "tiendo spare 1";
const HEADER_START: &str = "tiendo spare ";

/// Git ignores the spare folder when the output sits inside a repository.
const GITIGNORE: &str = "# tiendo's spare copy of the previous site; never published\n*\n";

/// What identifies one version of a file on disk: were any of these to
/// change, the file was rewritten or replaced since its digest was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Stamp {
    size: u64,
    mtime: i64,
    mtime_nsec: i64,
    ino: u64,
}

impl Stamp {
    #[cfg(unix)]
    pub(super) fn of(meta: &fs::Metadata) -> Option<Stamp> {
        use std::os::unix::fs::MetadataExt;
        Some(Stamp {
            size: meta.len(),
            mtime: meta.mtime(),
            mtime_nsec: meta.mtime_nsec(),
            ino: meta.ino(),
        })
    }

    #[cfg(not(unix))]
    pub(super) fn of(_meta: &fs::Metadata) -> Option<Stamp> {
        None
    }
}

/// The first 128 bits of a file's BLAKE3 digest.
pub(super) type Digest = [u8; 16];

pub(super) fn digest(bytes: &[u8]) -> Digest {
    let mut d = [0u8; 16];
    d.copy_from_slice(&blake3::hash(bytes).as_bytes()[..16]);
    d
}

/// One file of an output: its stamp when its digest was taken, and for a
/// file made from inputs (a share image), the digest of those inputs, so
/// that the next build keeps it without making it again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Record {
    pub stamp: Stamp,
    pub digest: Digest,
    pub key: Option<Digest>,
}

/// The records of the current output, by path, read from the spare.
pub(super) type Records = HashMap<String, Record>;

/// Where the spare of `target` is: `.output-spare` beside `output`.
pub(super) fn path(target: &Target) -> PathBuf {
    let mut name = std::ffi::OsString::from(".");
    name.push(&target.name);
    name.push("-spare");
    target.parent.join(name)
}

/// Moves the spare onto `staging` (an empty folder) and returns the records
/// of the current output, or `None` (and `staging` stays empty) when there
/// is no spare with a manifest of this version.
pub(super) fn take(target: &Target, staging: &Path) -> Option<(Records, fs::File)> {
    let spare = path(target);
    let text = fs::read_to_string(spare.join(MANIFEST)).ok()?;
    let lock = lock_free(&spare)?;
    let Some(records) = parse(&text) else {
        // tiendo's, of another version or damaged: of no use to anyone.
        if text.starts_with(HEADER_START) {
            remove_tree(&spare);
        }
        return None;
    };
    // Renaming a folder onto an empty one replaces it; another build that
    // took the spare first makes this fail, and this build starts afresh.
    fs::rename(&spare, staging).ok()?;
    let _ = fs::remove_file(staging.join(MANIFEST));
    let _ = fs::remove_file(staging.join(".gitignore"));
    let _ = fs::remove_file(staging.join(CACHE));
    Some((records, lock))
}

/// Where the build cache of `target` is kept: in its spare folder.
pub(super) fn cache_path(target: &Target) -> PathBuf {
    path(target).join(CACHE)
}

/// Writes the build cache into the spare folder: a temporary file renamed
/// over the old one, so that a build killed meanwhile leaves the old cache
/// or none, never half of one. Nothing here can fail the build.
pub(super) fn store_cache(
    target: &Target,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) {
    let spare = path(target);
    if !spare.join(MANIFEST).is_file() {
        return;
    }
    let Ok(temp) = tempfile::Builder::new()
        .prefix(".tiendo-cache-")
        .tempfile_in(&spare)
    else {
        return;
    };
    let mut out = std::io::BufWriter::with_capacity(1 << 20, temp);
    if write(&mut out).is_ok()
        && let Ok(temp) = out.into_inner()
    {
        let _ = temp.persist(spare.join(CACHE));
    }
}

/// Keeps `aside` (the previous output, moved aside by the swap) as the
/// spare, with the records of the new output in its manifest. A folder
/// that was not tiendo's output is removed instead, and the manifest goes
/// into an empty spare. Nothing here can fail the build: the new site is
/// already in place, and without a spare the next build starts afresh.
pub(super) fn store(target: &Target, aside: Option<PathBuf>, records: &[(String, Record)]) {
    let folder = match aside {
        Some(aside) if aside.join(MARKER).is_file() => aside,
        other => {
            if let Some(aside) = other {
                remove_tree(&aside);
            }
            // A staging folder's prefix: a build killed before the rename
            // leaves debris the next one removes (an `old` folder would be
            // taken for the previous site).
            match tempfile::Builder::new()
                .prefix(&target.temp_prefix("new"))
                .tempdir_in(&target.parent)
            {
                Ok(d) => d.keep(),
                Err(_) => return,
            }
        }
    };
    let written = replace_file(&folder.join(MANIFEST), &manifest(records))
        .and_then(|()| replace_file(&folder.join(".gitignore"), GITIGNORE.as_bytes()));
    let spare = path(target);
    if written.is_err() || fs::rename(&folder, &spare).is_err() {
        remove_tree(&folder);
    }
}

/// Writes a new file at `path`, unlinking what is there first: a file of
/// the spare may be a hard link of the live output's, and must never be
/// written through.
fn replace_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    match fs::remove_file(path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    let mut file = fs::File::options()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(bytes)
}

/// `HEADER`, then one line per file: digest, key (`-` for none), size,
/// modification time (seconds and nanoseconds), inode, path.
fn manifest(records: &[(String, Record)]) -> Vec<u8> {
    let mut out = Vec::with_capacity(records.len() * 100 + HEADER.len() + 1);
    out.extend_from_slice(HEADER.as_bytes());
    out.push(b'\n');
    // A path with a line break or another control character would break
    // the line: its file is compared by its bytes instead.
    for (path, r) in records
        .iter()
        .filter(|(p, _)| !p.contains(char::is_control))
    {
        for b in r.digest {
            let _ = write!(out, "{b:02x}");
        }
        out.push(b' ');
        match r.key {
            Some(key) => {
                for b in key {
                    let _ = write!(out, "{b:02x}");
                }
            }
            None => out.push(b'-'),
        }
        let s = r.stamp;
        let _ = writeln!(
            out,
            " {} {} {} {} {path}",
            s.size, s.mtime, s.mtime_nsec, s.ino
        );
    }
    out
}

/// 32 hexadecimal digits as a digest.
fn hex_digest(hex: &str) -> Option<Digest> {
    let mut digest = [0u8; 16];
    if hex.len() != 32 {
        return None;
    }
    for (i, d) in digest.iter_mut().enumerate() {
        *d = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(digest)
}

fn parse(text: &str) -> Option<Records> {
    let mut lines = text.lines();
    let keyed = match lines.next()? {
        HEADER => true,
        HEADER_V1 => false,
        _ => return None,
    };
    let mut records = Records::new();
    for line in lines {
        let mut f = line.splitn(if keyed { 7 } else { 6 }, ' ');
        let digest = hex_digest(f.next()?)?;
        let key = match keyed {
            true => match f.next()? {
                "-" => None,
                hex => Some(hex_digest(hex)?),
            },
            false => None,
        };
        let stamp = Stamp {
            size: f.next()?.parse().ok()?,
            mtime: f.next()?.parse().ok()?,
            mtime_nsec: f.next()?.parse().ok()?,
            ino: f.next()?.parse().ok()?,
        };
        records.insert(f.next()?.to_string(), Record { stamp, digest, key });
    }
    Some(records)
}

/// What [`walk`] found: paths relative to the folder; `None` if the folder
/// could not be read whole.
pub(super) type Found = Option<Vec<PathBuf>>;

/// Every entry under `root` (not `root` itself), parents before their
/// contents, as paths relative to `root` (symbolic links not followed);
/// `None` if any part could not be read.
pub(super) fn walk(root: &Path) -> Found {
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(root).min_depth(1) {
        let entry = match entry {
            Ok(entry) => entry,
            // Gone meanwhile: the build replaced it, and what it wrote there
            // is its own.
            Err(e)
                if e.io_error().is_some_and(|e| {
                    matches!(
                        e.kind(),
                        std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
                    )
                }) =>
            {
                continue;
            }
            Err(_) => return None,
        };
        found.push(entry.path().strip_prefix(root).ok()?.to_path_buf());
    }
    Some(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_reads_back_as_written() {
        let record = |n: u8| Record {
            stamp: Stamp {
                size: 10 + u64::from(n),
                mtime: 1_700_000_000,
                mtime_nsec: 123_456_789,
                ino: 42 + u64::from(n),
            },
            digest: [n; 16],
            key: n.is_multiple_of(2).then_some([n + 100; 16]),
        };
        let records = vec![
            ("index.html".to_string(), record(1)),
            ("tin-tuc/a b/index.html".to_string(), record(2)),
        ];
        let text = String::from_utf8(manifest(&records)).unwrap();
        let back = parse(&text).unwrap();
        assert_eq!(back.len(), 2);
        assert_eq!(back["tin-tuc/a b/index.html"], record(2));
        assert_eq!(back["index.html"], record(1));
        assert!(parse("tiendo spare 0\n").is_none(), "another version");
        assert!(parse(&text.replace(" 43 ", " x ")).is_none(), "a bad line");
        // A manifest of version 1 (no keys) is read as it was.
        let v1 = format!(
            "tiendo spare 1\n{} 11 1700000000 123456789 43 a b/index.html\n",
            "01".repeat(16)
        );
        let old = parse(&v1).unwrap();
        assert_eq!(old["a b/index.html"].key, None);
        assert_eq!(old["a b/index.html"].stamp.ino, 43);
    }

    #[test]
    fn the_digest_tells_contents_apart() {
        assert_eq!(digest(b"abc"), digest(b"abc"));
        assert_ne!(digest(b"abc"), digest(b"abd"));
    }
}

#[cfg(all(test, unix))]
mod keyed {
    use super::super::{Staging, Target};
    use std::cell::Cell;
    use std::fs;

    #[test]
    fn a_file_whose_key_is_unchanged_is_kept_without_being_made() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        let made = Cell::new(0);
        let build = |key: u8, bytes: &'static [u8]| {
            let target = Target::resolve(dir.path(), &out, false).unwrap();
            let staging = Staging::begin(&target).unwrap();
            let make = || {
                made.set(made.get() + 1);
                bytes.to_vec()
            };
            staging
                .write_keyed("a/chia-se.png", &[key; 16], &make)
                .unwrap();
            staging.finish("b").unwrap()
        };
        build(1, b"one");
        assert_eq!(made.get(), 1);
        let ino = || {
            std::os::unix::fs::MetadataExt::ino(&fs::metadata(out.join("a/chia-se.png")).unwrap())
        };
        let first = ino();
        // The same key, twice (the first rebuild meets an empty spare, the
        // second the previous tree): kept, never made.
        for _ in 0..2 {
            let outcome = build(1, b"other bytes: not asked for");
            assert_eq!((outcome.written, outcome.unchanged), (0, 2));
            assert_eq!(made.get(), 1);
            assert_eq!(ino(), first);
            assert_eq!(fs::read(out.join("a/chia-se.png")).unwrap(), b"one");
        }
        // Another key: made and written.
        build(2, b"two");
        assert_eq!(made.get(), 2);
        assert_eq!(fs::read(out.join("a/chia-se.png")).unwrap(), b"two");
        // A file changed by hand since is not taken for the one recorded.
        fs::write(out.join("a/chia-se.png"), b"edited").unwrap();
        build(2, b"two");
        assert_eq!(made.get(), 3);
        assert_eq!(fs::read(out.join("a/chia-se.png")).unwrap(), b"two");
    }
}
