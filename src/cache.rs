//! The build cache: what the last successful build parsed and rendered,
//! so that the next one parses only the content files whose bytes changed
//! and renders only the pages whose inputs changed.
//!
//! Input: the cache file a build left in the output's spare folder
//! (`.output-spare/.tiendo-cache`, see `output::spare`), or the one `serve`
//! keeps in memory, and this build's [`key`]. Output: lookups for the
//! stages ([`Cache::file`], [`Cache::doc`], [`Cache::page`]) and a
//! [`Recorder`] that gathers what this build parsed and made, encoded
//! ([`Recorder::encode`]) into the next cache. Entries are keyed by the
//! BLAKE3 digest of what they were made from: a content file's bytes, an
//! article body's text, a page's inputs (its view, template set and UI
//! strings). The whole file carries a key (tiendo's version and executable,
//! `--as-of`, `--base-url`, `--drafts`) and a checksum at its end: a cache
//! of another key, a truncated or a corrupt one is ignored, never trusted,
//! and the build parses and renders everything, as a fresh one does.
//! Parsed documents are stored with postcard (README, Dependencies).

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A full BLAKE3 digest.
pub type Digest = [u8; 32];

/// The first 128 bits of a digest: a page's fingerprint and its output's
/// digest (as the spare's manifest keeps it).
pub type Short = [u8; 16];

/// The cache file's first bytes; a new layout gets a new number.
const MAGIC: &[u8] = b"tiendo-cache 2\n";

pub fn digest(bytes: &[u8]) -> Digest {
    *blake3::hash(bytes).as_bytes()
}

pub fn short(d: &Digest) -> Short {
    let mut s = [0u8; 16];
    s.copy_from_slice(&d[..16]);
    s
}

/// What must be equal for a cache to be used at all: this tiendo (its
/// version, and its executable's size, modification time and inode, so
/// that a rebuilt or reinstalled binary of the same version starts clean)
/// and the options that change every page. `None` when the executable
/// cannot be told: then no cache is used.
pub fn key(opts: &crate::Options) -> Option<String> {
    static EXE: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    let exe = EXE.get_or_init(|| {
        let meta = std::fs::metadata(std::env::current_exe().ok()?).ok()?;
        let modified = meta
            .modified()
            .ok()?
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?;
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(&meta);
        #[cfg(not(unix))]
        let inode = 0;
        Some(format!("{} {} {inode}", meta.len(), modified.as_nanos()))
    });
    let exe = exe.as_ref()?;
    Some(format!(
        "tiendo {} {exe}\nas_of {:?}\nbase_url {:?}\ndrafts {}\n",
        env!("CARGO_PKG_VERSION"),
        opts.as_of.map(|d| d.to_string()),
        opts.base_url
            .as_ref()
            .map(|u| format!("{}{}", u.origin, u.path)),
        opts.drafts,
    ))
}

/// A page of the last build: the fingerprint of its inputs (its view),
/// the digest of the file it made, and the input key of the page kinds
/// that have one (`render::incremental`: what the view is built from;
/// zero for the others).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PageState {
    pub fingerprint: Short,
    pub output: Short,
    pub key: Short,
}

/// This build's input digests, made once by render for the pages' input
/// keys: the digest of every input but the reports (content files by
/// path and bytes, static paths, theme assets, the date), and per task
/// and per KPI the digest of what status made of the reports for it.
#[derive(Debug, Default)]
pub struct Digests {
    pub base: Digest,
    pub tasks: Vec<Short>,
    pub kpis: Vec<Short>,
}

/// The pages of the last build, and every path it published (to tell
/// what a new build no longer has).
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct Pages {
    pages: Vec<(String, PageState)>,
    paths: Vec<String>,
}

/// A cache read back: lookups into its bytes.
#[derive(Debug, Default)]
pub struct Cache {
    bytes: Vec<u8>,
    files: HashMap<String, (Digest, Range<usize>)>,
    docs: HashMap<Digest, Range<usize>>,
    pages: HashMap<String, PageState>,
    paths: Option<std::collections::HashSet<String>>,
}

impl Cache {
    /// The cache at `path` if it is whole and has this `key`; else an
    /// empty one (everything is made anew).
    pub fn read(path: &std::path::Path, key: &str) -> Cache {
        std::fs::read(path)
            .ok()
            .and_then(|bytes| Cache::decode(bytes, key))
            .unwrap_or_default()
    }

    /// Reads the bytes of a cache: `None` if they are not whole (the
    /// checksum at the end) or of another key.
    pub fn decode(bytes: Vec<u8>, key: &str) -> Option<Cache> {
        let body_len = bytes.len().checked_sub(32)?;
        let (body, sum) = bytes.split_at(body_len);
        if blake3::hash(body).as_bytes() != sum {
            return None;
        }
        let mut r = Reader { bytes: body, at: 0 };
        if r.take(MAGIC.len())? != MAGIC {
            return None;
        }
        let len = r.u32()? as usize;
        if r.take(len)? != key.as_bytes() {
            return None;
        }
        let mut files = HashMap::new();
        for _ in 0..r.u32()? {
            let len = r.u32()? as usize;
            let path = std::str::from_utf8(r.take(len)?).ok()?.to_string();
            let digest: Digest = r.take(32)?.try_into().ok()?;
            let len = r.u32()? as usize;
            let range = r.range(len)?;
            files.insert(path, (digest, range));
        }
        let mut docs = HashMap::new();
        for _ in 0..r.u32()? {
            let digest: Digest = r.take(32)?.try_into().ok()?;
            let len = r.u32()? as usize;
            docs.insert(digest, r.range(len)?);
        }
        let len = r.u32()? as usize;
        let pages: Option<Pages> = if len == 0 {
            r.take(0)?;
            None
        } else {
            Some(postcard::from_bytes(r.take(len)?).ok()?)
        };
        if r.at != body.len() {
            return None;
        }
        let (pages, paths) = match pages {
            Some(p) => (
                p.pages.into_iter().collect(),
                Some(p.paths.into_iter().collect()),
            ),
            None => (HashMap::new(), None),
        };
        let mut bytes = bytes;
        bytes.truncate(body_len);
        Some(Cache {
            bytes,
            files,
            docs,
            pages,
            paths,
        })
    }

    /// The stored parse of the content file `path` when its bytes had this
    /// digest.
    pub fn file(&self, path: &str, digest: &Digest) -> Option<(&[u8], Entry)> {
        let (d, range) = self.files.get(path)?;
        (d == digest).then(|| (&self.bytes[range.clone()], Entry::Old(range.clone())))
    }

    /// A Markdown document parsed from a text of this digest.
    pub fn doc(&self, digest: &Digest) -> Option<(&[u8], Entry)> {
        let range = self.docs.get(digest)?;
        Some((&self.bytes[range.clone()], Entry::Old(range.clone())))
    }

    /// What the last build made at `path` (a page rendered from a template).
    pub fn page(&self, path: &str) -> Option<&PageState> {
        self.pages.get(path)
    }

    /// Every path the last build published, when the cache knows them.
    pub fn paths(&self) -> Option<&std::collections::HashSet<String>> {
        self.paths.as_ref()
    }

    /// Whether the cache holds nothing (a first build, or one ignored).
    pub fn is_empty(&self) -> bool {
        self.files.is_empty() && self.docs.is_empty() && self.pages.is_empty()
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(n)?;
        let s = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(s)
    }

    fn range(&mut self, n: usize) -> Option<Range<usize>> {
        let start = self.at;
        self.take(n)?;
        Some(start..self.at)
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
}

/// How much of a build came from the cache, for its timings line.
#[derive(Debug, Default)]
pub struct Counts {
    pub files_parsed: AtomicUsize,
    pub files_reused: AtomicUsize,
    pub pages_rendered: AtomicUsize,
    pub pages_kept: AtomicUsize,
}

impl Counts {
    pub fn get(c: &AtomicUsize) -> usize {
        c.load(Ordering::Relaxed)
    }

    pub fn add(c: &AtomicUsize) {
        c.fetch_add(1, Ordering::Relaxed);
    }
}

/// What this build parsed and made, for the next cache; filled from any
/// thread.
#[derive(Debug, Default)]
pub struct Recorder {
    files: Mutex<Vec<(String, Digest, Entry)>>,
    docs: Mutex<Vec<(Digest, Entry)>>,
    pages: Mutex<Vec<(String, PageState)>>,
    /// New entries wait in an unnamed temporary file (gone with the
    /// process, however it ends) rather than in memory: a fresh national
    /// build makes a hundred megabytes of them.
    spill: Mutex<Option<Spill>>,
    pub counts: Counts,
}

#[derive(Debug)]
struct Spill {
    file: std::io::BufWriter<std::fs::File>,
    len: u64,
    /// A write failed: what the file holds cannot be trusted, and no
    /// cache is written from it.
    broken: bool,
}

/// An entry of the next cache: made by this build, or taken unchanged
/// from the last one (its place in the last cache's bytes, not a copy).
#[derive(Debug)]
pub enum Entry {
    New(Vec<u8>),
    Old(Range<usize>),
    /// Made by this build, in the spill file at this place.
    Spilled(u64, usize),
}

impl Entry {
    /// The entry's bytes, from memory, the last cache or the spill file
    /// (read into `buffer`).
    fn bytes<'a>(
        &'a self,
        old: &'a Cache,
        spill: Option<&std::fs::File>,
        buffer: &'a mut Vec<u8>,
    ) -> std::io::Result<&'a [u8]> {
        match self {
            Entry::New(b) => Ok(b),
            Entry::Old(r) => Ok(old.bytes.get(r.clone()).unwrap_or_default()),
            Entry::Spilled(at, len) => {
                let file = spill.ok_or(std::io::ErrorKind::NotFound)?;
                buffer.resize(*len, 0);
                read_at(file, buffer, *at)?;
                Ok(buffer)
            }
        }
    }
}

#[cfg(unix)]
fn read_at(file: &std::fs::File, buffer: &mut [u8], at: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buffer, at)
}

#[cfg(not(unix))]
fn read_at(file: &std::fs::File, buffer: &mut [u8], at: u64) -> std::io::Result<()> {
    use std::io::{Read, Seek};
    let mut f = file;
    f.seek(std::io::SeekFrom::Start(at))?;
    f.read_exact(buffer)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Recorder {
    pub fn file(&self, path: &str, digest: Digest, entry: Entry) {
        let entry = self.spilled(entry);
        lock(&self.files).push((path.to_string(), digest, entry));
    }

    pub fn doc(&self, digest: Digest, entry: Entry) {
        let entry = self.spilled(entry);
        lock(&self.docs).push((digest, entry));
    }

    /// A new entry written to the spill file (kept in memory when there is
    /// no spill file to be had).
    fn spilled(&self, entry: Entry) -> Entry {
        use std::io::Write;
        let Entry::New(bytes) = entry else {
            return entry;
        };
        let mut spill = lock(&self.spill);
        if spill.is_none() {
            *spill = tempfile::tempfile().ok().map(|f| Spill {
                file: std::io::BufWriter::with_capacity(1 << 20, f),
                len: 0,
                broken: false,
            });
        }
        let Some(s) = spill.as_mut().filter(|s| !s.broken) else {
            return Entry::New(bytes);
        };
        if s.file.write_all(&bytes).is_err() {
            s.broken = true;
            return Entry::New(bytes);
        }
        let at = s.len;
        s.len = s.len.saturating_add(bytes.len() as u64);
        Entry::Spilled(at, bytes.len())
    }

    pub fn page(&self, path: &str, state: PageState) {
        lock(&self.pages).push((path.to_string(), state));
    }

    /// The cache's bytes: its key, the files, documents and pages recorded
    /// (in order, so the same build writes the same cache), every path of
    /// the site (`paths`; `None` leaves the pages out), and the checksum.
    pub fn encode(self, old: &Cache, key: &str, paths: Option<Vec<String>>) -> Vec<u8> {
        let mut out = Vec::new();
        let _ = self.write(old, key, paths, &mut out);
        out
    }

    /// [`Self::encode`] into `out` as it goes, rather than into memory: a
    /// national site's cache is a hundred megabytes.
    pub fn write(
        self,
        old: &Cache,
        key: &str,
        paths: Option<Vec<String>>,
        out: &mut (impl std::io::Write + ?Sized),
    ) -> std::io::Result<()> {
        let spill = match self.spill.into_inner().unwrap_or_else(|p| p.into_inner()) {
            Some(s) if s.broken => return Err(std::io::ErrorKind::Other.into()),
            Some(s) => Some(s.file.into_inner().map_err(|e| e.into_error())?),
            None => None,
        };
        let mut buffer = Vec::new();
        let mut files = self.files.into_inner().unwrap_or_else(|p| p.into_inner());
        let mut docs = self.docs.into_inner().unwrap_or_else(|p| p.into_inner());
        let mut pages = self.pages.into_inner().unwrap_or_else(|p| p.into_inner());
        files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        docs.sort_unstable_by_key(|d| d.0);
        docs.dedup_by(|a, b| a.0 == b.0);
        pages.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut w = Summed {
            out,
            sum: blake3::Hasher::new(),
        };
        w.put(MAGIC)?;
        w.bytes(key.as_bytes())?;
        w.u32(files.len())?;
        for (path, digest, entry) in files {
            w.bytes(path.as_bytes())?;
            w.put(&digest)?;
            w.bytes(entry.bytes(old, spill.as_ref(), &mut buffer)?)?;
        }
        w.u32(docs.len())?;
        for (digest, entry) in docs {
            w.put(&digest)?;
            w.bytes(entry.bytes(old, spill.as_ref(), &mut buffer)?)?;
        }
        let pages = paths.and_then(|paths| postcard::to_stdvec(&Pages { pages, paths }).ok());
        w.bytes(pages.as_deref().unwrap_or_default())?;
        let sum = w.sum.finalize();
        w.out.write_all(sum.as_bytes())
    }
}

/// A writer that keeps the BLAKE3 of what went through it.
struct Summed<'w, W: std::io::Write + ?Sized> {
    out: &'w mut W,
    sum: blake3::Hasher,
}

impl<W: std::io::Write + ?Sized> Summed<'_, W> {
    fn put(&mut self, b: &[u8]) -> std::io::Result<()> {
        self.sum.update(b);
        self.out.write_all(b)
    }

    fn u32(&mut self, n: usize) -> std::io::Result<()> {
        self.put(&u32::try_from(n).unwrap_or(u32::MAX).to_le_bytes())
    }

    fn bytes(&mut self, b: &[u8]) -> std::io::Result<()> {
        self.u32(b.len())?;
        self.put(b)
    }
}

/// A build's cache: the last one to read from, this one's recorder, and
/// the digests of this build's inputs.
#[derive(Debug)]
pub struct Session<'c> {
    pub old: &'c Cache,
    pub new: Recorder,
    /// Every content file load read but the reports, by path, with the
    /// digest of its bytes; `complete` once load has read them all (input
    /// keys are used only then).
    inputs: Mutex<Vec<(std::sync::Arc<str>, Digest)>>,
    complete: std::sync::atomic::AtomicBool,
    /// Made by render on first use ([`Digests`]).
    pub digests: std::sync::OnceLock<Option<Digests>>,
    /// Files whose input key matched the last build's over other bytes.
    misses: Mutex<Vec<String>>,
}

impl<'c> Session<'c> {
    pub fn new(old: &'c Cache) -> Session<'c> {
        Session {
            old,
            new: Recorder::default(),
            inputs: Mutex::new(Vec::new()),
            complete: std::sync::atomic::AtomicBool::new(false),
            digests: std::sync::OnceLock::new(),
            misses: Mutex::new(Vec::new()),
        }
    }

    /// A file whose input key matched the last build's over other bytes.
    pub fn miss(&self, path: &str) {
        lock(&self.misses).push(path.to_string());
    }

    /// The files [`Self::miss`] was told of, in order.
    pub fn misses(&self) -> Vec<String> {
        let mut all = lock(&self.misses).clone();
        all.sort();
        all
    }

    /// A content file load read that is not a report, and its digest.
    pub fn input(&self, file: &std::sync::Arc<str>, digest: Digest) {
        lock(&self.inputs).push((std::sync::Arc::clone(file), digest));
    }

    /// Load read every content file of the site through this session.
    pub fn inputs_complete(&self) {
        self.complete.store(true, Ordering::Release);
    }

    /// The digest of the content files but the reports (path and bytes,
    /// in path order); `None` unless load read them all through this
    /// session.
    pub fn inputs_digest(&self) -> Option<blake3::Hasher> {
        if !self.complete.load(Ordering::Acquire) {
            return None;
        }
        let mut inputs = lock(&self.inputs).clone();
        inputs.sort_unstable();
        let mut h = blake3::Hasher::new();
        for (file, digest) in &inputs {
            h.update(&(file.len() as u64).to_le_bytes());
            h.update(file.as_bytes());
            h.update(digest);
        }
        Some(h)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<u8> {
        let r = Recorder::default();
        r.file(
            "content/a.yaml",
            digest(b"a"),
            Entry::New(b"parsed a".to_vec()),
        );
        r.doc(digest(b"body"), Entry::New(b"doc".to_vec()));
        r.page(
            "index.html",
            PageState {
                fingerprint: [1; 16],
                output: [2; 16],
                key: [0; 16],
            },
        );
        r.encode(&Cache::default(), "k", Some(vec!["index.html".into()]))
    }

    #[test]
    fn reads_back_what_it_wrote() {
        let c = Cache::decode(sample(), "k").unwrap();
        assert_eq!(
            c.file("content/a.yaml", &digest(b"a")).unwrap().0,
            b"parsed a"
        );
        assert!(
            c.file("content/a.yaml", &digest(b"b")).is_none(),
            "other bytes"
        );
        assert_eq!(c.doc(&digest(b"body")).unwrap().0, b"doc");
        assert_eq!(c.page("index.html").unwrap().output, [2; 16]);
        assert!(c.paths().unwrap().contains("index.html"));
    }

    #[test]
    fn a_cut_corrupt_or_foreign_cache_is_ignored() {
        let bytes = sample();
        assert!(Cache::decode(bytes.clone(), "other key").is_none());
        for cut in [0, 1, 10, bytes.len() / 2, bytes.len() - 1] {
            assert!(Cache::decode(bytes[..cut].to_vec(), "k").is_none(), "{cut}");
        }
        for i in (0..bytes.len()).step_by(7) {
            let mut b = bytes.clone();
            b[i] ^= 0x40;
            assert!(Cache::decode(b, "k").is_none(), "byte {i}");
        }
    }
}
