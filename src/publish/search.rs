//! Render stage, search: the index a phone downloads to search, cut so that
//! a query fetches a few small files rather than the whole site's text.
//! Input: the views of one language (status lists, agencies, tasks,
//! KPIs, the register of proposals and each proposal, articles, pages).
//! Output: the files under `tim-kiem/`, all JSON:
//!
//! - `chi-muc.json`, the manifest: how many entries, how many per entry
//!   file, the shortest word matched as a prefix, a version, and the first
//!   and last word of each word chunk;
//! - `tu/<n>.json`, word chunks: the folded words in sorted order, cut (as
//!   pagefind cuts its index) into files of about [`CHUNK_BYTES`]; each
//!   word maps to the entries whose title holds it and the entries whose
//!   other text does;
//! - `muc/<n>.json`, what a result shows (link, title, kind, status, and
//!   `"vi"` for a Vietnamese title on an English page), for
//!   [`ENTRIES_PER_FILE`] entries in index order.
//!
//! `assets/search.js` fetches the manifest, the chunks whose range holds
//! words starting with each query word, then the entry files of the first
//! results. A title an English page shows in Vietnamese (no English
//! written) is marked so that the result carries `lang="vi"`.
//! Titles, summaries, headings, ids, agencies and tags are indexed
//! in full, article and page bodies as far as their first [`crate::markdown::SEARCH_WORDS`]
//! words. Pure.

use crate::date::fmt_date;
use crate::render::i18n::Lang;
use crate::render::views::Views;
use crate::route::{Route, SearchPart};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// About how large a word chunk grows before the next one starts (a word
/// whose list of entries is larger gets a chunk of its own).
pub const CHUNK_BYTES: usize = 16_000;
/// Entries per entry file. The 50 results a query shows are scattered
/// over the index: small files keep what they fetch small (about 1.5 KB
/// each).
pub const ENTRIES_PER_FILE: usize = 16;
/// Query words shorter than this match whole words only; longer ones also
/// match the start of a word. "ch" alone would fetch a tenth of the index.
pub const MIN_PREFIX: usize = 3;

/// One search result candidate.
#[derive(Debug, Clone)]
pub struct IndexEntry {
    /// Kind of thing, in words.
    pub k: String,
    /// Title as shown.
    pub t: String,
    /// Link.
    pub u: String,
    /// Status code and label for tasks; the date for news.
    pub c: String,
    pub s: String,
    /// Folded text searched: lower case, no diacritics, đ -> d, letters,
    /// digits and spaces only.
    pub f: String,
    /// Folded words that count as the title's: a status list's names in
    /// both languages and its code, an agency's short name and id, a
    /// task's item number and id. A query of them ranks the entry first.
    pub kw: String,
    /// `"vi"` when the title is the Vietnamese text an English page falls
    /// back to (no English written), so the result marks it `lang="vi"`;
    /// `""` when the title is in the page's language.
    pub l: &'static str,
}

/// What search compares: `fold`, then dashes made spaces ("nhiem-vu-12"
/// is three words, so ids and "COVID-19" are found by their parts) and
/// anything else but letters, digits and spaces dropped ("Sở KH&CN" ->
/// "so khcn"). search.js does the same to the query.
pub fn search_fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    crate::text::fold_chars(s, |c| {
        if c.is_whitespace() || matches!(c, '-' | '‐' | '–' | '—') {
            space = !out.is_empty();
        } else if c.is_alphanumeric() {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    });
    out
}

/// Every status list, the register of proposals, every agency, task, KPI,
/// proposal, article and page of one language, in the order results are
/// shown when they rank alike.
pub fn search_index(v: &Views, articles: &[usize], pages: &[usize]) -> Vec<IndexEntry> {
    let m = v.model;
    let mut out = Vec::new();
    // The status lists first, then the register of proposals, then the
    // agencies: a query naming a status ("quá hạn", "qua han", "overdue"),
    // the register ("kien nghi") or an agency ("so y te") leads to its
    // list or page before the tasks, proposals and news that mention it.
    status_entries(v, &mut out);
    out.push(register_entry(v));
    agency_entries(v, &mut out);
    for (t, s) in m.tasks.iter().zip(&v.fig.tasks) {
        let (title, l) = v.task_title_lang(t);
        let lead = s.lead_on.as_deref().and_then(|l| m.agency(l));
        // Both languages' words, as for agencies and KPIs: a reader of
        // either page finds a task by what either says.
        let text = [
            t.title.as_str(),
            t.title_en.as_deref().unwrap_or(""),
            t.reference.as_deref().unwrap_or(""),
            &t.id,
            lead.map_or("", |a| a.name.as_str()),
            lead.and_then(|a| a.short.as_deref()).unwrap_or(""),
            t.result.as_deref().unwrap_or(""),
            t.result_en.as_deref().unwrap_or(""),
            &t.tags.join(" "),
        ]
        .join(" ");
        out.push(IndexEntry {
            k: v.t.get("kind_task").to_string(),
            t: title.to_string(),
            u: v.task_url(&t.id),
            c: s.status.code().to_string(),
            s: v.t.status(s.status).to_string(),
            f: search_fold(&text),
            kw: search_fold(&format!(
                "{} {}",
                t.reference.as_deref().unwrap_or(""),
                t.id
            )),
            l,
        });
    }
    for k in &m.kpis {
        let (name, l) = v.kpi_name_lang(k);
        out.push(IndexEntry {
            k: v.t.get("kind_kpi").to_string(),
            t: name.to_string(),
            u: v.kpi_url(&k.id),
            c: String::new(),
            s: String::new(),
            f: search_fold(&format!(
                "{} {} {}",
                k.name,
                k.name_en.as_deref().unwrap_or(""),
                k.id
            )),
            kw: String::new(),
            l,
        });
    }
    proposal_entries(v, &mut out);
    for &i in articles {
        let a = &m.articles[i];
        out.push(IndexEntry {
            k: v.t.get("kind_news").to_string(),
            t: a.title.clone(),
            u: v.route(&Route::Article(&a.slug)),
            c: String::new(),
            s: fmt_date(a.date),
            f: search_fold(&format!(
                "{} {} {} {} {}",
                a.title,
                a.slug,
                a.summary.as_deref().unwrap_or(""),
                a.tags.join(" "),
                a.search_text
            )),
            kw: String::new(),
            l: v.content_lang(a.lang.as_deref()),
        });
    }
    for &i in pages {
        let p = &m.pages[i];
        out.push(IndexEntry {
            k: v.t.get("kind_page").to_string(),
            t: p.title.clone(),
            u: v.route(&Route::Page(&p.slug)),
            c: String::new(),
            s: String::new(),
            f: search_fold(&format!(
                "{} {} {}",
                p.title,
                p.description.as_deref().unwrap_or(""),
                crate::markdown::search_text(&crate::render::page_text(m, p))
            )),
            kw: String::new(),
            l: v.content_lang(p.lang.as_deref()),
        });
    }
    out
}

/// The status lists' entries: a status word leads to its list.
fn status_entries(v: &Views, out: &mut Vec<IndexEntry>) {
    let theme = |lang: &str, key: &str| theme(v, lang, key);
    for st in crate::status::Status::ALL {
        let key = format!("status_{}", st.code());
        let label = v.t.status(st);
        let count = v.fig.overall.count(st);
        out.push(IndexEntry {
            k: v.t.get("kind_status_list").to_string(),
            t: label.to_string(),
            u: v.route(&Route::StatusView(st.code())),
            // No status code: the row's text is the count (a code would
            // make it the status's label, and the label is the title).
            c: String::new(),
            s: v.t.with("search_tasks_count", count),
            f: search_fold(&format!("{} {}", theme("vi", &key), theme("en", &key))),
            kw: search_fold(&format!(
                "{} {} {}",
                theme("vi", &key),
                theme("en", &key),
                st.code().replace('_', " ")
            )),
            l: "",
        });
    }
}

/// The agencies' entries: a name, short name or id leads to the page.
fn agency_entries(v: &Views, out: &mut Vec<IndexEntry>) {
    let m = v.model;
    for a in &m.agencies {
        let text = [
            a.name.as_str(),
            a.short.as_deref().unwrap_or(""),
            a.name_en.as_deref().unwrap_or(""),
            &a.id,
        ]
        .join(" ");
        let (name, l) = v.agency_name_lang(a);
        out.push(IndexEntry {
            k: v.t.get("kind_agency").to_string(),
            // The short name is Vietnamese: beside an English name it
            // would make a title of two languages; it stays a key word.
            t: match a.short.as_deref() {
                Some(short) if short != name && (v.lang == Lang::Vi || !l.is_empty()) => {
                    format!("{name} ({short})")
                }
                _ => name.to_string(),
            },
            u: v.agency_url(&a.id),
            c: String::new(),
            s: String::new(),
            f: search_fold(&text),
            kw: search_fold(&format!(
                "{} {} {}",
                a.short.as_deref().unwrap_or(""),
                a.name_en.as_deref().unwrap_or(""),
                a.id
            )),
            l,
        });
    }
}

/// A theme string in a given language (both languages' words are indexed
/// where a reader may type either).
fn theme<'v>(v: &'v Views, lang: &str, key: &str) -> &'v str {
    v.model
        .theme
        .i18n
        .get(lang)
        .and_then(|t| t.get(key))
        .map_or("", String::as_str)
}

/// The register of difficulties and proposals: found by its name in
/// either language ("kien nghi", "proposals"), which ranks it first.
fn register_entry(v: &Views) -> IndexEntry {
    let names = format!(
        "{} {}",
        theme(v, "vi", "proposals_title"),
        theme(v, "en", "proposals_title")
    );
    IndexEntry {
        k: v.t.get("kind_page").to_string(),
        t: v.t.get("proposals_title").to_string(),
        u: v.route(&Route::Proposals),
        c: String::new(),
        s: String::new(),
        f: search_fold(&names),
        kw: search_fold(&names),
        l: "",
    }
}

/// Each proposal of the register, in its order: its text (in the page's
/// language, else Vietnamese) is the title; it is found by its words in
/// both languages, its kind and state in both languages, and the names,
/// short names and ids of the agency that raised it, the one asked and
/// the one that answers for it now. The text beside it is its state
/// ("Quá hạn trả lời 5 ngày").
fn proposal_entries(v: &Views, out: &mut Vec<IndexEntry>) {
    let m = v.model;
    let names = |id: &str| {
        m.agency(id).map_or_else(
            || id.to_string(),
            |a| {
                [
                    a.name.as_str(),
                    a.short.as_deref().unwrap_or(""),
                    a.name_en.as_deref().unwrap_or(""),
                    &a.id,
                ]
                .join(" ")
            },
        )
    };
    for &k in &v.index.proposals.register {
        let Some(s) = v.fig.proposals.get(k) else {
            continue;
        };
        let Some(p) = m.proposals.get(s.proposal) else {
            continue;
        };
        let (text, l) = v.pick(&p.text, p.text_en.as_deref());
        let state = format!("proposal_state_{}", s.state.code());
        let kind = format!("proposal_kind_{}", p.kind.code());
        let mut words = vec![
            p.text.clone(),
            p.text_en.clone().unwrap_or_default(),
            names(&p.agency),
            names(&p.to),
            p.id.clone(),
        ];
        if let Some(o) = s.owed_by.as_deref().filter(|o| *o != p.to) {
            words.push(names(o));
        }
        for key in [&state, &kind] {
            words.push(theme(v, "vi", key).to_string());
            words.push(theme(v, "en", key).to_string());
        }
        out.push(IndexEntry {
            k: v.t.keyed("proposal_kind_", p.kind.code()).to_string(),
            t: crate::markdown::search_text(text),
            u: v.route(&Route::Proposal(&p.agency, &p.id)),
            c: String::new(),
            s: match s.days_overdue {
                Some(n) => v.t.with("proposal_overdue_days", n),
                None => v.t.keyed("proposal_state_", s.state.code()).to_string(),
            },
            f: search_fold(&words.join(" ")),
            kw: String::new(),
            l,
        });
    }
}

/// A word's entries: those with it in the title, those with it elsewhere only.
type Postings = (Vec<u32>, Vec<u32>);

/// The files of the index, paths relative to `tim-kiem/`.
pub fn search_files(entries: &[IndexEntry]) -> Vec<(String, Vec<u8>)> {
    // word -> (entries with it in the title, entries with it elsewhere only)
    let titles: Vec<String> = entries
        .iter()
        .map(|e| {
            let title = search_fold(&e.t);
            if e.kw.is_empty() {
                title
            } else {
                format!("{title} {}", e.kw)
            }
        })
        .collect();
    // Hashed while filling (millions of words at national scale), sorted
    // once after.
    let mut words: std::collections::HashMap<&str, Postings> = std::collections::HashMap::new();
    for ((id, e), title) in (0u32..).zip(entries).zip(&titles) {
        for w in title.split(' ').filter(|w| !w.is_empty()) {
            let (t, _) = words.entry(w).or_default();
            if t.last() != Some(&id) {
                t.push(id);
            }
        }
        let title_words: Vec<&str> = title.split(' ').collect();
        for w in e.f.split(' ').filter(|w| !w.is_empty()) {
            if title_words.contains(&w) {
                continue;
            }
            let (_, o) = words.entry(w).or_default();
            if o.last() != Some(&id) {
                o.push(id);
            }
        }
    }
    let mut words: Vec<(&str, Postings)> = words.into_iter().collect();
    words.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let words: Vec<(String, String)> = words
        .into_iter()
        .map(|(w, (t, o))| {
            (
                w.to_string(),
                format!(
                    "{}:[\"{}\",\"{}\"]",
                    json_str(w),
                    postings(&t),
                    postings(&o)
                ),
            )
        })
        .collect();
    let mut files = Vec::new();
    let mut ranges: Vec<(String, String)> = Vec::new();
    let mut chunk = String::new();
    let mut first = String::new();
    let mut last = String::new();
    let mut flush =
        |chunk: &mut String, first: &str, last: &str, files: &mut Vec<(String, Vec<u8>)>| {
            files.push((
                Route::SearchChunk(SearchPart::Words, ranges.len()).path(),
                format!("{{{chunk}}}\n").into_bytes(),
            ));
            ranges.push((first.to_string(), last.to_string()));
            chunk.clear();
        };
    for (w, fragment) in &words {
        if !chunk.is_empty() && chunk.len() + fragment.len() > CHUNK_BYTES {
            flush(&mut chunk, &first, &last, &mut files);
        }
        if chunk.is_empty() {
            first.clone_from(w);
        } else {
            chunk.push(',');
        }
        chunk.push_str(fragment);
        last.clone_from(w);
    }
    if !chunk.is_empty() {
        flush(&mut chunk, &first, &last, &mut files);
    }
    // Rows are [link, title, kind number, status code, text, lang]: kinds
    // and status labels are said once, in the manifest; a task's text is
    // its status label, so it is left out; empty fields at the end too
    // (lang is there only for a Vietnamese title on an English page).
    let mut kinds: Vec<&str> = Vec::new();
    let mut statuses: BTreeMap<&str, &str> = BTreeMap::new();
    for e in entries {
        if !kinds.contains(&e.k.as_str()) {
            kinds.push(&e.k);
        }
        if !e.c.is_empty() {
            statuses.insert(&e.c, &e.s);
        }
    }
    for (n, part) in entries.chunks(ENTRIES_PER_FILE).enumerate() {
        let rows: Vec<Vec<serde_json::Value>> = part
            .iter()
            .map(|e| {
                let kind = kinds.iter().position(|k| *k == e.k).unwrap_or(0);
                let mut row = vec![e.u.as_str().into(), e.t.as_str().into(), kind.into()];
                let text = if e.c.is_empty() { e.s.as_str() } else { "" };
                let tail = [e.c.as_str(), text, e.l];
                // Up to the last field that says something.
                let n = tail
                    .iter()
                    .rposition(|f| !f.is_empty())
                    .map_or(0, |i| i + 1);
                row.extend(tail[..n].iter().map(|&f| serde_json::Value::from(f)));
                row
            })
            .collect();
        files.push((
            Route::SearchChunk(SearchPart::Entries, n).path(),
            super::data::json_bytes(&rows),
        ));
    }
    // A version that changes with any file, so a browser never mixes a new
    // manifest with chunks it cached from an older build.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for (path, bytes) in &files {
        for b in path.bytes().chain(bytes.iter().copied()) {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    let manifest = Manifest {
        v: format!("{hash:016x}"),
        entries: entries.len(),
        per_file: ENTRIES_PER_FILE,
        prefix: MIN_PREFIX,
        kinds,
        statuses,
        chunks: ranges,
    };
    files.insert(
        0,
        (
            Route::SearchIndex.path(),
            super::data::json_bytes(&manifest),
        ),
    );
    files
}

#[derive(serde::Serialize)]
struct Manifest<'a> {
    v: String,
    entries: usize,
    per_file: usize,
    prefix: usize,
    kinds: Vec<&'a str>,
    statuses: BTreeMap<&'a str, &'a str>,
    chunks: Vec<(String, String)>,
}

/// A word as a JSON string (folded words are letters and digits, but the
/// escaping costs nothing).
fn json_str(w: &str) -> String {
    serde_json::to_string(w).unwrap_or_else(|_| "\"\"".to_string())
}

/// Sorted entry numbers, short: comma-separated runs, each the distance
/// from the end of the previous run in base 36, then `+` and how many
/// consecutive numbers follow, if any. [0, 1, 2, 3, 10, 47] -> "0+3,7,11".
fn postings(ids: &[u32]) -> String {
    let mut out = String::new();
    let mut prev = 0;
    let mut i = 0;
    while i < ids.len() {
        let start = ids[i];
        let mut n = 0;
        while i + n + 1 < ids.len() && ids[i + n + 1] == start + n as u32 + 1 {
            n += 1;
        }
        if !out.is_empty() {
            out.push(',');
        }
        base36(&mut out, start - prev);
        if n > 0 {
            out.push('+');
            base36(&mut out, n as u32);
        }
        prev = start + n as u32;
        i += n + 1;
    }
    out
}

fn base36(out: &mut String, mut n: u32) {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut buf = [0u8; 8];
    let mut len = 0;
    loop {
        buf[len] = DIGITS[(n % 36) as usize];
        len += 1;
        n /= 36;
        if n == 0 {
            break;
        }
    }
    for &d in buf[..len].iter().rev() {
        let _ = write!(out, "{}", d as char);
    }
}

#[cfg(test)]
mod tests;
