//! Part of render: pages not rendered again when their inputs did not
//! change. A page's inputs are its view (the context handed to its
//! template), the template set, and its language's frame (UI strings, site,
//! menu, navigation: the template engine's globals); their BLAKE3 digest is
//! the page's fingerprint. When the last build (its cache, `crate::cache`)
//! made the same page with the same fingerprint and the output still holds
//! the file it made (the spare's manifest vouches for it), the page is
//! kept as it is; otherwise it is rendered. Input: the renderer, a page's
//! job and view. Output: the page's bytes, or [`Output::Kept`].
//!
//! The kinds with the most pages (tasks, articles) also have an input
//! key, taken before their view is built: the digest of everything the
//! view is built from. Reports reach a page only through status's
//! figures, so the key is the digest of every other input (content files
//! but reports, static paths, theme assets, the date, the frame) and of
//! the figures of the tasks and KPIs the page shows ([`Digests`]). Same
//! key as the last build's page, and the output still has its file: the
//! view is not even built. `TIENDO_VERIFY_KEYS=1` builds it anyway and
//! fails the build when a matching key hides a changed view (the tests
//! run so).

use super::i18n::Lang;
use super::{Job, Renderer};
use crate::cache::{Digests, PageState, Session, Short, short};
use crate::diag::Diagnostics;
use serde::Serialize;

/// A page made by render: its bytes, or the last build's file kept.
#[derive(Debug)]
pub(crate) enum Output {
    Bytes(Vec<u8>),
    /// The output already holds this page, unchanged; in memory (`serve`)
    /// the last build's bytes come with it.
    Kept(Option<std::sync::Arc<[u8]>>),
}

/// What the output does with a page whose inputs are unchanged.
pub enum Keep {
    /// The last build's file is gone or changed: render the page.
    No,
    /// The output keeps the last build's file (a hard link).
    InOutput,
    /// The last build's bytes, kept in memory (`serve`).
    Bytes(std::sync::Arc<[u8]>),
}

/// Asks the output to keep the last build's file at a path, told by its
/// digest ([`crate::cache::Short`]).
pub type Keeper<'s> = &'s (dyn Fn(&str, &Short) -> Keep + Sync);

/// A build that may keep pages: the cache it reads and records into, and
/// the output that keeps files.
#[derive(Clone, Copy)]
pub struct Incremental<'a> {
    pub cache: &'a Session<'a>,
    pub keep: Keeper<'a>,
}

/// Adds a value's JSON to a hasher: written into a buffer of the thread's
/// first, so that BLAKE3 gets whole kilobytes (a view's JSON is made of
/// thousands of short writes, each too short for its vector code).
fn hash_json(h: &mut blake3::Hasher, value: &impl Serialize) -> bool {
    thread_local! {
        static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    BUFFER.with(|b| {
        let mut b = b.borrow_mut();
        b.clear();
        let ok = serde_json::to_writer(&mut *b, value).is_ok();
        h.update(&b);
        ok
    })
}

/// The digest of the template set, the start of every page's
/// fingerprint.
pub(super) fn templates_digest(templates: &[(String, String)]) -> blake3::Hasher {
    let mut h = blake3::Hasher::new();
    for (name, text) in templates {
        h.update(&(name.len() as u64).to_le_bytes());
        h.update(name.as_bytes());
        h.update(&(text.len() as u64).to_le_bytes());
        h.update(text.as_bytes());
    }
    h
}

/// Adds a value's JSON to a fingerprint; `false` if it cannot be written.
pub(super) fn add_json(h: &mut blake3::Hasher, value: &impl Serialize) -> bool {
    hash_json(h, value)
}

impl Renderer<'_> {
    /// A file made from `input` alone by `make` (a zip of a table): kept
    /// from the last build when it made the file at `path` from the same
    /// input, so that the costly part is not done again.
    pub(crate) fn derived(
        &self,
        path: &str,
        input: &[&[u8]],
        make: impl FnOnce() -> Option<Vec<u8>>,
    ) -> Option<Output> {
        let Some(inc) = self.incremental else {
            return make().map(Output::Bytes);
        };
        let mut h = blake3::Hasher::new();
        h.update(b"derived\0");
        h.update(path.as_bytes());
        for part in input {
            h.update(&(part.len() as u64).to_le_bytes());
            h.update(part);
        }
        let fingerprint = short(h.finalize().as_bytes());
        if let Some(kept) = self.kept(inc, path, fingerprint, [0; 16]) {
            return Some(kept);
        }
        let bytes = make()?;
        let output = short(&crate::cache::digest(&bytes));
        inc.cache.new.page(
            path,
            PageState {
                fingerprint,
                output,
                key: [0; 16],
            },
        );
        Some(Output::Bytes(bytes))
    }

    /// The last build's file at `path` when it was made with this
    /// fingerprint and the output still has it; recorded with the page's
    /// input key `key`.
    fn kept(&self, inc: Incremental, path: &str, fingerprint: Short, key: Short) -> Option<Output> {
        let last = inc.cache.old.page(path)?;
        if last.fingerprint != fingerprint {
            return None;
        }
        let kept = match (inc.keep)(path, &last.output) {
            Keep::No => return None,
            Keep::InOutput => Output::Kept(None),
            Keep::Bytes(b) => Output::Kept(Some(b)),
        };
        inc.cache.new.page(path, PageState { key, ..*last });
        crate::cache::Counts::add(&inc.cache.new.counts.pages_kept);
        Some(kept)
    }

    /// A page of `job` rendered from its template with `ctx`, or kept from
    /// the last build when its fingerprint is the same.
    pub(crate) fn render_page(
        &self,
        lang: Lang,
        job: &Job,
        ctx: &impl Serialize,
        d: &mut Diagnostics,
    ) -> Option<Output> {
        self.render_page_keyed(lang, job, None, ctx, d)
    }

    /// [`Self::render_page`] for a page with an input key
    /// ([`Self::kept_by_key`]), recorded with its fingerprint.
    pub(crate) fn render_page_keyed(
        &self,
        lang: Lang,
        job: &Job,
        key: Option<Short>,
        ctx: &impl Serialize,
        d: &mut Diagnostics,
    ) -> Option<Output> {
        let template = job.kind.template;
        let (Some(inc), Some(frame)) = (self.incremental, self.frames.get(&lang)) else {
            return self
                .render_template(lang, template, ctx, d)
                .map(Output::Bytes);
        };
        let path = format!("{}{}", lang.prefix(), job.file(self.places()));
        let mut h = frame.clone();
        h.update(template.as_bytes());
        h.update(b"\0");
        let fingerprint = hash_json(&mut h, ctx).then(|| short(h.finalize().as_bytes()));
        let counts = &inc.cache.new.counts;
        let key = key.unwrap_or_default();
        if let Some(fingerprint) = fingerprint
            && key != [0; 16]
            && let Some(last) = inc.cache.old.page(&path)
            && last.key == key
            && last.fingerprint != fingerprint
        {
            // Only with TIENDO_VERIFY_KEYS: the key missed an input.
            d.error(
                crate::diag::Loc::file(&std::sync::Arc::from("templates")),
                crate::msg!("render.input_key", path = path.as_str()),
            );
        }
        if let Some(fingerprint) = fingerprint
            && let Some(kept) = self.kept(inc, &path, fingerprint, key)
        {
            return Some(kept);
        }
        let bytes = self.render_template(lang, template, ctx, d)?;
        crate::cache::Counts::add(&counts.pages_rendered);
        if let Some(fingerprint) = fingerprint
            && !d.has_errors()
        {
            let output = short(&crate::cache::digest(&bytes));
            inc.cache.new.page(
                &path,
                PageState {
                    fingerprint,
                    output,
                    key,
                },
            );
        }
        Some(Output::Bytes(bytes))
    }
}

/// Whether a matching input key is checked against the view rather than
/// trusted (`TIENDO_VERIFY_KEYS=1`; the tests).
fn verify_keys() -> bool {
    static VERIFY: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *VERIFY.get_or_init(|| std::env::var_os("TIENDO_VERIFY_KEYS").is_some_and(|v| v == "1"))
}

/// Adds a value's `Debug` text to a hasher, its length first (so that two
/// values never run together).
fn put_debug(h: &mut blake3::Hasher, buf: &mut String, value: &impl std::fmt::Debug) {
    use std::fmt::Write;
    buf.clear();
    let _ = write!(buf, "{value:?}");
    h.update(&(buf.len() as u64).to_le_bytes());
    h.update(buf.as_bytes());
}

/// This build's [`Digests`]: `None` when load did not read every content
/// file through the cache session (no input key is then used).
fn digests(r: &Renderer, session: &Session) -> Option<Digests> {
    use rayon::prelude::*;
    let mut base = session.inputs_digest()?;
    let mut buf = String::new();
    for f in &r.model.static_files {
        put_debug(&mut base, &mut buf, &f.url_path);
    }
    for (name, bytes) in &r.model.theme.assets {
        put_debug(&mut base, &mut buf, name);
        base.update(blake3::hash(bytes).as_bytes());
    }
    put_debug(&mut base, &mut buf, &r.fig.as_of);
    put_debug(&mut base, &mut buf, &r.base);
    put_debug(&mut base, &mut buf, &r.origin);
    let (m, fig, index) = (r.model, r.fig, r.index);
    // Everything status made of the reports for a task: its standing, its
    // item number, its updates, its periods, its extensions in force, its
    // children's roll-up, its status changes; and the task itself.
    let tasks = (0..m.tasks.len())
        .into_par_iter()
        .map_init(String::new, |buf, i| {
            let mut h = blake3::Hasher::new();
            put_debug(&mut h, buf, &m.tasks[i]);
            put_debug(&mut h, buf, &fig.tasks.get(i));
            put_debug(&mut h, buf, &fig.ref_labels.get(i));
            for u in fig.timelines.get(i).into_iter().flatten() {
                let report = (&u.report.agency, u.report.period, u.report.submitted);
                put_debug(&mut h, buf, &(report, u.update, u.from_lead));
            }
            put_debug(&mut h, buf, &fig.recurring.get(&i));
            put_debug(&mut h, buf, &index.extensions_in_force.get(i));
            put_debug(&mut h, buf, &index.children_rollup.get(&i));
            for &k in index.task_events.get(i).into_iter().flatten() {
                put_debug(&mut h, buf, &fig.events.get(k));
            }
            short(h.finalize().as_bytes())
        })
        .collect();
    let kpis = (0..m.kpis.len())
        .map(|k| {
            let mut h = blake3::Hasher::new();
            put_debug(&mut h, &mut buf, &m.kpis[k]);
            put_debug(&mut h, &mut buf, &fig.kpis.get(k));
            put_debug(
                &mut h,
                &mut buf,
                &index.kpi_decimals.get(m.kpis[k].id.as_str()),
            );
            short(h.finalize().as_bytes())
        })
        .collect();
    Some(Digests {
        base: *base.finalize().as_bytes(),
        tasks,
        kpis,
    })
}

impl Renderer<'_> {
    /// The input key of a page of `lang` showing the tasks `tasks` and
    /// the KPIs `kpis` (by index), made for `what` (its kind); `None`
    /// when pages are not kept or load did not read through the cache.
    pub(crate) fn input_key(
        &self,
        lang: Lang,
        what: &str,
        tasks: impl IntoIterator<Item = usize>,
        kpis: impl IntoIterator<Item = usize>,
    ) -> Option<Short> {
        let inc = self.incremental?;
        let frame = self.frames.get(&lang)?;
        let d = inc
            .cache
            .digests
            .get_or_init(|| digests(self, inc.cache))
            .as_ref()?;
        let mut h = frame.clone();
        h.update(b"\0key\0");
        h.update(what.as_bytes());
        h.update(b"\0");
        h.update(&d.base);
        for i in tasks {
            h.update(b"t");
            h.update(d.tasks.get(i)?);
        }
        for k in kpis {
            h.update(b"k");
            h.update(d.kpis.get(k)?);
        }
        Some(short(h.finalize().as_bytes()))
    }

    /// The last build's page of `job` when its input key was `key` and the
    /// output still has its file: its view need not be built. Always
    /// `None` with `TIENDO_VERIFY_KEYS=1` (the view is then built and
    /// checked against the key, [`Self::render_page_keyed`]).
    pub(crate) fn kept_by_key(&self, lang: Lang, job: &Job, key: Option<Short>) -> Option<Output> {
        let (inc, key) = (self.incremental?, key?);
        if verify_keys() {
            return None;
        }
        let path = format!("{}{}", lang.prefix(), job.file(self.places()));
        let last = inc.cache.old.page(&path)?;
        if last.key != key {
            return None;
        }
        self.kept(inc, &path, last.fingerprint, key)
    }
}

impl Renderer<'_> {
    /// A file made apart from the templates (a task's feed or calendar)
    /// at `path` with the input key `key`: the last build's, kept, when
    /// it had the same key and the output still has it. Always `None`
    /// with `TIENDO_VERIFY_KEYS=1` (see [`Self::made_file`]).
    pub(crate) fn kept_file(&self, path: &str, key: Option<Short>) -> Option<Output> {
        let (inc, key) = (self.incremental?, key?);
        if verify_keys() {
            return None;
        }
        let last = inc.cache.old.page(path)?;
        if last.key != key {
            return None;
        }
        self.kept(inc, path, last.fingerprint, key)
    }

    /// Records the file made at `path` from inputs of key `key`, for the
    /// next build's [`Self::kept_file`]; a key that matched the last
    /// build's over other bytes is a key that misses an input, reported by
    /// [`key_misses`].
    pub(crate) fn made_file(&self, path: &str, key: Option<Short>, bytes: &[u8]) {
        let (Some(inc), Some(key)) = (self.incremental, key) else {
            return;
        };
        let output = short(&crate::cache::digest(bytes));
        if let Some(last) = inc.cache.old.page(path)
            && last.key == key
            && last.output != output
        {
            inc.cache.miss(path);
        }
        inc.cache.new.page(
            path,
            PageState {
                fingerprint: output,
                output,
                key,
            },
        );
    }
}

/// An error for each file whose input key matched the last build's while
/// its bytes changed ([`Renderer::made_file`]).
pub(crate) fn key_misses(r: &Renderer, d: &mut Diagnostics) {
    let Some(inc) = r.incremental else { return };
    for path in inc.cache.misses() {
        d.error(
            crate::diag::Loc::file(&std::sync::Arc::from("templates")),
            crate::msg!("render.input_key", path = path.as_str()),
        );
    }
}
