//! Verify, the stage between render and output: problems only the
//! rendered site shows. Input: the model and every rendered file (with the
//! links and ids of the pages already written). Output: errors for broken
//! links (blamed on the content file that wrote the link, or on the page's
//! source) and for static files that would replace a page.

pub mod links;

use crate::diag::{Diagnostics, Loc};
use crate::model::Model;
use crate::render::RenderedSite;
use crate::render::i18n::Lang;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

/// Checks the rendered site: its links, and clashes between static files
/// and pages. Takes the links the site kept for it.
pub fn site(model: &Model, site: &mut RenderedSite, diags: &mut Diagnostics) {
    site_after(model, site, None, diags)
}

/// The last build, for a site some of whose pages were kept from it
/// (`RenderedSite::kept`).
pub struct Previous<'p> {
    /// Every path it published.
    pub paths: Option<&'p HashSet<String>>,
    /// One of its files, read back.
    pub read: &'p (dyn Fn(&str) -> Option<Vec<u8>> + Sync),
}

/// [`site`], for a site that kept pages from the `previous` build. A kept
/// page's links all led somewhere in the last build, which had no broken
/// link; they still do unless a path it published is gone, or a page
/// rendered anew lost an id it had. Then every kept page's links are read
/// back and checked; otherwise only the pages rendered anew are, with the
/// ids of the kept pages they link to read back.
pub fn site_after(
    model: &Model,
    site: &mut RenderedSite,
    previous: Option<&Previous>,
    diags: &mut Diagnostics,
) {
    let mut refs = std::mem::take(&mut site.refs);
    let sources = std::mem::take(&mut site.sources);
    let base = std::mem::take(&mut site.base);
    let origin = std::mem::take(&mut site.origin);
    let urls = Urls { base, origin };
    let mut others = BTreeMap::new();
    if let Some(previous) = previous {
        kept_refs(model, &urls, site, previous, &mut refs, &mut others);
    }
    links_and_clashes(model, &urls, site, refs, &others, &sources, diags);
}

/// The refs the link check needs of the pages kept from the last build
/// (see [`site_after`]): into `refs` when their links are checked again,
/// into `others` when only their ids are needed.
fn kept_refs(
    model: &Model,
    r: &Urls,
    site: &RenderedSite,
    previous: &Previous,
    refs: &mut BTreeMap<String, links::PageRefs>,
    others: &mut BTreeMap<String, links::PageRefs>,
) {
    let written: Vec<&String> = site
        .kept
        .iter()
        .filter(|p| p.ends_with(".html") && !site.files.contains_key(*p))
        .collect();
    if written.is_empty() {
        return;
    }
    let statics: HashSet<&str> = model
        .static_files
        .iter()
        .map(|f| f.url_path.as_str())
        .collect();
    let read = |path: &str| (previous.read)(path).map(|b| links::refs(&b));
    let gone = previous.paths.is_none_or(|paths| {
        paths
            .iter()
            .any(|p| !site.has(p) && !statics.contains(p.as_str()))
    });
    let lost_id = || {
        refs.iter().any(|(path, now)| {
            previous.paths.is_some_and(|paths| paths.contains(path))
                && read(path).is_none_or(|before| before.ids.iter().any(|id| !now.has_id(id)))
        })
    };
    if gone || lost_id() {
        for path in written {
            match read(path) {
                Some(page) => refs.insert(path.clone(), page),
                // Unreadable: its links cannot be checked, so say so
                // through a link that cannot resolve.
                None => refs.insert(path.clone(), unreadable()),
            };
        }
        return;
    }
    let kept: HashSet<&String> = written.into_iter().collect();
    let wanted: HashSet<String> = refs
        .iter()
        .flat_map(|(page, refs)| links::anchored_targets(refs, page, &r.origin, &r.base))
        .filter(|t| kept.contains(t))
        .collect();
    for path in wanted {
        let page = read(&path).unwrap_or_else(unreadable);
        others.insert(path, page);
    }
}

/// The refs of a kept page that could not be read back: no ids, and one
/// link that names no page, so the check reports it rather than pass it.
fn unreadable() -> links::PageRefs {
    links::PageRefs {
        links: vec![Box::from("/__tiendo-unreadable-page__/")],
        ids: Vec::new(),
    }
}

/// The site's root path and absolute origin, for telling its own links.
struct Urls {
    base: String,
    origin: String,
}

/// Reports broken links and clashes between static files and pages.
/// `sources` names the content file each page comes from.
fn links_and_clashes(
    model: &Model,
    r: &Urls,
    site: &RenderedSite,
    mut refs: BTreeMap<String, links::PageRefs>,
    others: &BTreeMap<String, links::PageRefs>,
    sources: &HashMap<String, Arc<str>>,
    diags: &mut Diagnostics,
) {
    // `refs` holds the pages already written; the rest are in memory.
    for (path, bytes) in &site.files {
        if path.ends_with(".html") {
            refs.insert(path.clone(), links::refs(bytes));
        }
    }
    let statics: HashSet<String> = model
        .static_files
        .iter()
        .map(|f| f.url_path.clone())
        .collect();
    // One error per link and place it was written in, naming a page that
    // shows it: the page made from that file when there is one, else one in
    // the default language. Every file that wrote a broken link hears of it
    // at its own line, not only the first file found to hold the same text.
    let mut reported: BTreeMap<(Loc, String), (String, &'static str, usize)> = BTreeMap::new();
    let mut places: HashMap<String, Vec<Loc>> = HashMap::new();
    for b in links::check_refs(
        &refs,
        others,
        &|p| site.has(p),
        &statics,
        &r.origin,
        &r.base,
    ) {
        let own = sources.get(&b.page);
        let written = places
            .entry(b.target.clone())
            .or_insert_with(|| written_in(model, &b.target));
        // The page's own file if it wrote the link; else everywhere it was
        // written; else the page's source.
        let blamed: Vec<Loc> = match written.iter().find(|l| Some(&l.file) == own) {
            Some(l) => vec![l.clone()],
            None if !written.is_empty() => written.clone(),
            None => vec![
                own.map(Loc::file)
                    .unwrap_or_else(|| Loc::file(&Arc::from("templates"))),
            ],
        };
        let page = format!("{}{}", r.base, b.page.trim_end_matches("index.html"));
        let en = format!("{}{}", r.base, Lang::En.prefix());
        for source in blamed {
            let from_source = Some(&source.file) == own;
            let entry =
                reported
                    .entry((source, b.target.clone()))
                    .or_insert((page.clone(), b.reason, 0));
            entry.2 += 1;
            // Name the page made from the file, or one in the default
            // language.
            if from_source || entry.0.starts_with(&en) && !page.starts_with(&en) {
                entry.0 = page.clone();
            }
        }
    }
    for ((source, target), (page, reason, count)) in reported {
        let more = (count > 1).then(|| crate::msg!("link.more_pages", count = count - 1));
        let reason = match reason {
            "no such anchor" => crate::msg!("link.no_anchor"),
            _ => crate::msg!("link.no_page"),
        };
        diags.error(
            source,
            crate::msg!(
                "link.broken",
                target,
                page,
                more = crate::diag::Maybe(more),
                reason
            ),
        );
    }
    // Static files are served from the root; one that would replace a
    // generated file is an error rather than a silent loss.
    for f in &model.static_files {
        if site.has(&f.url_path) || site.has(&format!("{}/index.html", f.url_path)) {
            diags.error(
                Loc::file(&f.file),
                crate::msg!("static.clash", path = &f.url_path),
            );
        }
    }
}

/// Where a link was written, every place: a report's evidence or note (the
/// update), a report's summary, a task's description (the task), or the
/// line and column of a Markdown text that links to it (`](link`,
/// `="link"`, `=link`). A link with `%` escapes is also looked for as the
/// editor wrote it (Markdown escapes `tết` as `t%E1%BA%BFt`).
fn written_in(m: &Model, link: &str) -> Vec<Loc> {
    let decoded = links::percent_decode(link);
    let forms: Vec<&str> = if decoded == link {
        vec![link]
    } else {
        vec![link, decoded.as_str()]
    };
    let patterns: Vec<(String, usize)> = forms
        .iter()
        .flat_map(|l| {
            [
                format!("]({l}"),
                format!("=\"{l}\""),
                format!("='{l}'"),
                format!("={l} "),
                format!("={l}>"),
                format!("<{l}>"),
            ]
            .map(|p| {
                let skip = p.find(l).unwrap_or(0);
                (p, skip)
            })
        })
        .collect();
    // The byte offset of the link in `text`, past the pattern's opening.
    let find = |text: &str| {
        patterns
            .iter()
            .filter_map(|(p, skip)| text.find(p.as_str()).map(|i| i + skip))
            .min()
    };
    let has = |text: &Option<String>| text.as_deref().and_then(find).is_some();
    let mut out = Vec::new();
    for r in &m.reports {
        for u in &r.updates {
            if u.evidence.as_deref().is_some_and(|e| forms.contains(&e)) || has(&u.note) {
                out.push(u.loc.clone());
            }
        }
        if has(&r.summary) {
            out.push(Loc::file(&r.file));
        }
    }
    for t in &m.tasks {
        if has(&t.description) {
            out.push(t.loc.clone());
        }
    }
    // Line and column in a Markdown file, from where its body starts.
    let at = |file: &Arc<str>, body: &str, body_line: u64, offset: usize| {
        let before = &body[..offset];
        let line = before.matches('\n').count() as u64;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u64 + 1;
        Loc::new(file, body_line + line, column)
    };
    for a in &m.articles {
        if let Some(i) = find(&a.body) {
            out.push(at(&a.file, &a.body, a.body_line, i));
        }
    }
    for p in &m.pages {
        if let Some(i) = find(&p.body) {
            out.push(at(&p.file, &p.body, p.body_line, i));
        }
    }
    out
}
