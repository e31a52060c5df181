//! Part of load: a content file taken from the build cache when its bytes
//! are those of the last build, parsed (and recorded for the next build)
//! otherwise. Input: the cache session, the file. Output: the same parse
//! result a fresh parse gives. Only files that parsed without a single
//! problem are stored: a file with an error or a warning is parsed again
//! every time, so its messages are always the parser's own.

use super::raw::{RawAgencies, RawArticleMeta, RawKpis, RawPageMeta, RawPlan, RawSite};
use super::{Kind, Parsed, Source, markdown_source, parse_text, read_text, report_source};
use crate::cache::{Counts, Entry, Session, digest};
use crate::diag::Diagnostics;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::path::Path;
use std::sync::Arc;

/// One content file, from the cache or parsed.
pub(super) fn parse(
    cache: &Session,
    kind: Kind,
    path: &Path,
    file: &Arc<str>,
    diags: &mut Diagnostics,
) -> Parsed {
    let Some(text) = read_text(path, file, diags) else {
        return Parsed::Nothing;
    };
    let d = digest(text.as_bytes());
    // What every page reads but the reports, for the pages' input keys
    // (`render::incremental`); status's figures stand for the reports.
    if kind != Kind::Report {
        cache.input(file, d);
    }
    if let Some((entry, old)) = cache.old.file(file, &d)
        && let Some(parsed) = decode(kind, path, file, &text, entry)
    {
        cache.new.file(file, d, old);
        Counts::add(&cache.new.counts.files_reused);
        return parsed;
    }
    let parsed = parse_text(kind, path, file, &text, diags);
    Counts::add(&cache.new.counts.files_parsed);
    if diags.is_empty()
        && let Some(entry) = encode(&parsed, &text)
    {
        cache.new.file(file, d, Entry::New(entry));
    }
    parsed
}

fn source<T>(file: &Arc<str>, doc: T) -> Source<T> {
    Source {
        file: Arc::clone(file),
        line_offset: 0,
        doc,
    }
}

fn bytes<T: Serialize>(doc: &T) -> Option<Vec<u8>> {
    postcard::to_stdvec(doc).ok()
}

/// A parse result as the cache stores it: the document (postcard), and
/// for Markdown where its body starts in the text and on which line.
fn encode(parsed: &Parsed, text: &str) -> Option<Vec<u8>> {
    let markdown = |body: &str, line: u64| ((text.len() - body.len()) as u64, line);
    match parsed {
        Parsed::Site(s) => bytes(&s.doc),
        Parsed::Agencies(s) => bytes(&s.doc),
        Parsed::Plan(s) => bytes(&s.doc),
        Parsed::Kpis(s) => bytes(&s.doc),
        Parsed::Report(r) => bytes(&r.source.doc),
        Parsed::Article(a) => bytes(&(&a.source.doc, markdown(&a.body, a.body_line))),
        Parsed::Page(p) => bytes(&(&p.source.doc, markdown(&p.body, p.body_line))),
        Parsed::Nothing => None,
    }
}

fn doc<T: DeserializeOwned>(entry: &[u8]) -> Option<T> {
    postcard::from_bytes(entry).ok()
}

/// The parse result stored in `entry` for the file `path` (its text
/// `text`); `None` if the entry cannot be read (it is then parsed).
fn decode(kind: Kind, path: &Path, file: &Arc<str>, text: &str, entry: &[u8]) -> Option<Parsed> {
    fn markdown<M: DeserializeOwned>(
        path: &Path,
        file: &Arc<str>,
        text: &str,
        entry: &[u8],
    ) -> Option<super::MarkdownSource<M>> {
        let (meta, (start, line)): (M, (u64, u64)) = doc(entry)?;
        let body = text.get(usize::try_from(start).ok()?..)?;
        Some(markdown_source(path, file, meta, body, line))
    }
    Some(match kind {
        Kind::Site => Parsed::Site(Box::new(source(file, doc::<RawSite>(entry)?))),
        Kind::Agencies => Parsed::Agencies(source(file, doc::<RawAgencies>(entry)?)),
        Kind::Plan => Parsed::Plan(source(file, doc::<RawPlan>(entry)?)),
        Kind::Kpis => Parsed::Kpis(source(file, doc::<RawKpis>(entry)?)),
        Kind::Report => report_source(path, source(file, doc(entry)?)),
        Kind::Article => Parsed::Article(markdown::<RawArticleMeta>(path, file, text, entry)?),
        Kind::Page => Parsed::Page(markdown::<RawPageMeta>(path, file, text, entry)?),
    })
}
