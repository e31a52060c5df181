//! Render stage, search: the index a phone downloads to search, cut so that
//! a query fetches a few small files rather than the whole site's text.
//! Input: the views of one language (tasks, agencies, KPIs, articles,
//! pages). Output: the files under `tim-kiem/`, all JSON:
//!
//! - `chi-muc.json`, the manifest: how many entries, how many per entry
//!   file, the shortest word matched as a prefix, a version, and the first
//!   and last word of each word chunk;
//! - `tu/<n>.json`, word chunks: the folded words in sorted order, cut (as
//!   pagefind cuts its index) into files of about [`CHUNK_BYTES`]; each
//!   word maps to the entries whose title holds it and the entries whose
//!   other text does;
//! - `muc/<n>.json`, what a result shows (link, title, kind, status), for
//!   [`ENTRIES_PER_FILE`] entries in index order.
//!
//! `assets/search.js` fetches the manifest, the chunks whose range holds
//! words starting with each query word, then the entry files of the first
//! results. Titles, summaries, headings, ids, agencies and tags are indexed
//! in full, article and page bodies as far as their first [`crate::markdown::SEARCH_WORDS`]
//! words. Pure.

use crate::date::fmt_date;
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

/// Every task, agency, KPI, article and page of one language, in the order
/// results are shown when they rank alike.
pub fn search_index(v: &Views, articles: &[usize], pages: &[usize]) -> Vec<IndexEntry> {
    let m = v.model;
    let mut out = Vec::new();
    // The status lists first, then the agencies: a query naming a status
    // ("quá hạn", "qua han", "overdue") or an agency ("so y te") leads to
    // its list or page before the tasks and news that mention it.
    let theme = |lang: &str, key: &str| {
        m.theme
            .i18n
            .get(lang)
            .and_then(|t| t.get(key))
            .map_or("", String::as_str)
    };
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
        });
    }
    for a in &m.agencies {
        let text = [
            a.name.as_str(),
            a.short.as_deref().unwrap_or(""),
            a.name_en.as_deref().unwrap_or(""),
            &a.id,
        ]
        .join(" ");
        let name = v.agency_name(a);
        out.push(IndexEntry {
            k: v.t.get("kind_agency").to_string(),
            t: match a.short.as_deref() {
                Some(short) if short != name => format!("{name} ({short})"),
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
        });
    }
    for (t, s) in m.tasks.iter().zip(&v.fig.tasks) {
        let title = v.task_title(t);
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
        });
    }
    for k in &m.kpis {
        out.push(IndexEntry {
            k: v.t.get("kind_kpi").to_string(),
            t: v.kpi_name(k).to_string(),
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
        });
    }
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
        });
    }
    out
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
    // Rows are [link, title, kind number, status code, text]: kinds and
    // status labels are said once, in the manifest; a task's text is its
    // status label, so it is left out; empty fields at the end too.
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
                if !e.c.is_empty() {
                    row.push(e.c.as_str().into());
                } else if !e.s.is_empty() {
                    row.push("".into());
                    row.push(e.s.as_str().into());
                }
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
mod tests {
    use super::*;

    fn entry(t: &str, f: &str) -> IndexEntry {
        IndexEntry {
            k: "Nhiệm vụ".into(),
            t: t.into(),
            u: format!("/{}/", f.replace(' ', "-")),
            c: String::new(),
            s: String::new(),
            f: search_fold(&format!("{t} {f}")),
            kw: String::new(),
        }
    }

    #[test]
    fn search_folding_in_one_pass_is_folding_then_filtering() {
        use crate::text::fold;
        let two_passes = |s: &str| -> String {
            let folded: String = fold(s)
                .chars()
                .map(|c| {
                    if matches!(c, '-' | '‐' | '–' | '—') {
                        ' '
                    } else {
                        c
                    }
                })
                .filter(|c| c.is_alphanumeric() || c.is_whitespace())
                .collect();
            folded.split_whitespace().collect::<Vec<_>>().join(" ")
        };
        let all: Vec<char> = (0..=0x10FFFF).filter_map(char::from_u32).collect();
        for chunk in all.chunks(7) {
            let s: String = chunk.iter().collect();
            assert_eq!(search_fold(&s), two_passes(&s));
        }
        for s in [
            "",
            "  ",
            " - Sở KH&CN —  Đường\tsố 5 –",
            "COVID-19 & 5G; mã429298 (nhiệm vụ 10)\u{00A0}x",
            "a & b",
            "—a",
        ] {
            assert_eq!(search_fold(s), two_passes(s), "{s:?}");
        }
    }

    #[test]
    fn search_folding_matches_what_citizens_type() {
        assert_eq!(search_fold("Chuyển đổi số"), "chuyen doi so");
        assert_eq!(search_fold("Sở KH&CN"), "so khcn");
        assert_eq!(search_fold("Đăng ký"), "dang ky");
        assert_eq!(search_fold("  Côn Sơn - Kiếp Bạc "), "con son kiep bac");
        assert_eq!(search_fold("nhiem-vu-12 COVID–19"), "nhiem vu 12 covid 19");
    }

    #[test]
    fn postings_are_runs_of_distances_in_base_36() {
        assert_eq!(postings(&[]), "");
        assert_eq!(postings(&[0]), "0");
        assert_eq!(postings(&[0, 1, 2, 3, 10, 47]), "0+3,7,11");
        assert_eq!(postings(&[5, 6, 100]), "5+1,2m");
        assert_eq!(postings(&[36 * 36]), "100");
    }

    #[test]
    fn body_text_keeps_every_heading_and_the_opening() {
        let long = "chữ ".repeat(500);
        let text = crate::markdown::search_text(&format!(
            "Mở đầu **đậm**.\n\n{long}\n\n## Cuối cùng\n\nxa lắm\n"
        ));
        assert!(text.starts_with("Cuối cùng "), "{text}");
        assert!(text.contains("Mở đầu đậm."));
        assert_eq!(
            text.split_whitespace().count(),
            2 + crate::markdown::SEARCH_WORDS
        );
        assert_eq!(
            crate::markdown::search_text("một\ndòng\n\n- hai\n- ba"),
            "một dòng hai ba"
        );
        assert!(!text.contains("xa lắm"));
    }

    #[test]
    fn chunks_cover_every_word_once_in_order() {
        let entries: Vec<IndexEntry> = (0..3000)
            .map(|i| {
                entry(
                    &format!("Việc số {i}"),
                    &format!("tu{i} chung ma{} {}", i % 7, i * 31),
                )
            })
            .collect();
        let files = search_files(&entries);
        let manifest: serde_json::Value = serde_json::from_slice(&files[0].1).unwrap();
        assert_eq!(files[0].0, "tim-kiem/chi-muc.json");
        assert_eq!(manifest["entries"], 3000);
        let ranges = manifest["chunks"].as_array().unwrap();
        assert!(ranges.len() > 3, "{} chunks", ranges.len());
        let mut seen: Vec<String> = Vec::new();
        for (n, range) in ranges.iter().enumerate() {
            let (path, bytes) = files
                .iter()
                .find(|(p, _)| *p == format!("tim-kiem/tu/{n}.json"))
                .unwrap();
            let chunk: serde_json::Map<String, serde_json::Value> =
                serde_json::from_slice(bytes).unwrap();
            let keys: Vec<&String> = chunk.keys().collect();
            assert_eq!(
                keys.first().map(|k| k.as_str()),
                range[0].as_str(),
                "{path}"
            );
            assert_eq!(keys.last().map(|k| k.as_str()), range[1].as_str(), "{path}");
            assert!(
                bytes.len() <= CHUNK_BYTES + 100 || keys.len() == 1,
                "{path}: {}",
                bytes.len()
            );
            seen.extend(keys.into_iter().cloned());
        }
        let mut sorted = seen.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(seen, sorted, "chunks are in order and disjoint");
        assert!(seen.contains(&"chung".to_string()) && seen.contains(&"tu2999".to_string()));
        // "chung" is in every entry but no title: one run, all in "elsewhere".
        let (_, bytes) = files
            .iter()
            .find(|(p, b)| {
                p.starts_with("tim-kiem/tu/") && String::from_utf8_lossy(b).contains("\"chung\":")
            })
            .unwrap();
        assert!(String::from_utf8_lossy(bytes).contains("\"chung\":[\"\",\"0+2bb\"]"));
        // Entry files: link, title, kind as a number into the manifest's.
        let rows: Vec<serde_json::Value> = serde_json::from_slice(
            &files
                .iter()
                .find(|(p, _)| p == "tim-kiem/muc/1.json")
                .unwrap()
                .1,
        )
        .unwrap();
        assert_eq!(rows.len(), ENTRIES_PER_FILE);
        assert_eq!(rows[0][1], format!("Việc số {ENTRIES_PER_FILE}"));
        assert_eq!(rows[0][2], 0);
        assert_eq!(manifest["kinds"][0], "Nhiệm vụ");
    }

    #[test]
    fn the_version_follows_the_content() {
        let a = search_files(&[entry("Một", "mot")]);
        let b = search_files(&[entry("Hai", "hai")]);
        assert_eq!(a[0].1, search_files(&[entry("Một", "mot")])[0].1);
        assert_ne!(a[0].1, b[0].1);
    }
}
