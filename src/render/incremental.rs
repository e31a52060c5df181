//! Part of render: pages not rendered again when their inputs did not
//! change. A page's inputs are its view (the context handed to its
//! template), the template set, and its language's frame (UI strings, site,
//! menu, navigation: the template engine's globals); their BLAKE3 digest is
//! the page's fingerprint. When the last build (its cache, `crate::cache`)
//! made the same page with the same fingerprint and the output still holds
//! the file it made (the spare's manifest vouches for it), the page is
//! kept as it is; otherwise it is rendered. Input: the renderer, a page's
//! job and view. Output: the page's bytes, or [`Output::Kept`].

use super::i18n::Lang;
use super::{Job, Renderer};
use crate::cache::{PageState, Session, Short, short};
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
        if let Some(kept) = self.kept(inc, path, fingerprint) {
            return Some(kept);
        }
        let bytes = make()?;
        let output = short(&crate::cache::digest(&bytes));
        inc.cache.new.page(
            path,
            PageState {
                fingerprint,
                output,
            },
        );
        Some(Output::Bytes(bytes))
    }

    /// The last build's file at `path` when it was made with this
    /// fingerprint and the output still has it.
    fn kept(&self, inc: Incremental, path: &str, fingerprint: Short) -> Option<Output> {
        let last = inc.cache.old.page(path)?;
        if last.fingerprint != fingerprint {
            return None;
        }
        let kept = match (inc.keep)(path, &last.output) {
            Keep::No => return None,
            Keep::InOutput => Output::Kept(None),
            Keep::Bytes(b) => Output::Kept(Some(b)),
        };
        inc.cache.new.page(path, *last);
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
        if let Some(fingerprint) = fingerprint
            && let Some(kept) = self.kept(inc, &path, fingerprint)
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
                },
            );
        }
        Some(Output::Bytes(bytes))
    }
}
