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
    let refs = std::mem::take(&mut site.refs);
    let sources = std::mem::take(&mut site.sources);
    let base = std::mem::take(&mut site.base);
    let origin = std::mem::take(&mut site.origin);
    links_and_clashes(model, &Urls { base, origin }, site, refs, &sources, diags);
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
    // One error per link and file it was written in, naming the first page
    // that shows it.
    let mut reported: BTreeMap<(Loc, String), (String, &'static str, usize)> = BTreeMap::new();
    for b in links::check_refs(&refs, &|p| site.has(p), &statics, &r.origin, &r.base) {
        let source = written_in(model, &b.target)
            .or_else(|| sources.get(&b.page).map(Loc::file))
            .unwrap_or_else(|| Loc::file(&Arc::from("templates")));
        let page = format!("{}{}", r.base, b.page.trim_end_matches("index.html"));
        let entry = reported
            .entry((source, b.target))
            .or_insert((page.clone(), b.reason, 0));
        entry.2 += 1;
        // Name the page in the default language when there is one.
        let en = format!("{}{}", r.base, Lang::En.prefix());
        if entry.0.starts_with(&en) && !page.starts_with(&en) {
            entry.0 = page;
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

/// Where a link was written: a report's evidence or note (the update), a
/// task's description (the task), or the line and column of a Markdown
/// text that links to it (`](link`, `="link"`, `=link`).
fn written_in(m: &Model, link: &str) -> Option<Loc> {
    let patterns = [
        format!("]({link}"),
        format!("=\"{link}\""),
        format!("='{link}'"),
        format!("={link} "),
        format!("={link}>"),
        format!("<{link}>"),
    ];
    // The byte offset of the link in `text`, past the pattern's opening.
    let find = |text: &str| {
        patterns
            .iter()
            .filter_map(|p| text.find(p.as_str()).map(|i| i + p.find(link).unwrap_or(0)))
            .min()
    };
    let has = |text: &Option<String>| text.as_deref().and_then(find).is_some();
    for r in &m.reports {
        if let Some(u) = r
            .updates
            .iter()
            .find(|u| u.evidence.as_deref() == Some(link) || has(&u.note))
        {
            return Some(u.loc.clone());
        }
        if has(&r.summary) {
            return Some(Loc::file(&r.file));
        }
    }
    for t in &m.tasks {
        if has(&t.description) {
            return Some(t.loc.clone());
        }
    }
    // Line and column in a Markdown file, from where its body starts.
    let at = |file: &Arc<str>, body: &str, body_line: u64, offset: usize| {
        let before = &body[..offset];
        let line = before.matches('\n').count() as u64;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u64 + 1;
        Loc::new(file, body_line + line, column)
    };
    m.articles
        .iter()
        .find_map(|a| find(&a.body).map(|i| at(&a.file, &a.body, a.body_line, i)))
        .or_else(|| {
            m.pages
                .iter()
                .find_map(|p| find(&p.body).map(|i| at(&p.file, &p.body, p.body_line, i)))
        })
}
