//! Stage 2, model: raw input -> validated domain types. Pure.
//!
//! Input: [`RawContent`] from the load stage. Output: a [`Model`] in which
//! ids are valid and unique, references resolve, dates and numbers are
//! parsed and every text is NFC. Every problem is collected with its place;
//! an item with an error is left out so later checks still run.

mod agencies;
mod articles;
mod as_of;
mod cx;
mod history;
mod kpis;
mod plans;
mod proposals;
mod reports;
mod site;
mod types;

pub use articles::hold_back_future_articles;
pub use as_of::check_as_of;
pub use types::*;

use agencies::agencies;
use articles::{article, one_name_per_tag, page};
use cx::Cx;
use history::History;
use kpis::kpis;
use plans::{cascade, formerly_clashes, plan};
use reports::report;
use site::site;

use crate::date::{Date, Deadline, Period, fmt_date, parse_date, parse_deadline};
use crate::diag::{Diagnostics, Loc, Maybe, Message, did_you_mean, word};
use crate::load::raw::*;
use crate::load::{MarkdownSource, RawContent, Source};
use crate::msg;
use crate::route;
use crate::text::{is_valid_id, nfc};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Top-level paths the portal generates; a standing page may not take them
/// (the route table owns the list).
pub use crate::route::RESERVED_SLUGS;

/// Checks `raw` and builds the model; problems go to `diags`.
pub fn build(raw: RawContent, diags: &mut Diagnostics) -> Model {
    build_cached(raw, None, diags)
}

/// [`build`], taking each article's parsed Markdown from the build cache
/// when its body is unchanged.
pub fn build_cached(
    mut raw: RawContent,
    cache: Option<&crate::cache::Session>,
    diags: &mut Diagnostics,
) -> Model {
    let mut m = Model {
        static_files: std::mem::take(&mut raw.static_files),
        theme: std::mem::take(&mut raw.theme),
        ..Model::default()
    };
    // Every article body normalised and parsed once (page, search words
    // and checks), on one thread while the other reads the plans, KPIs and
    // reports: the bodies need nothing from them.
    let mut articles = std::mem::take(&mut raw.articles);
    let (documents, ()) = rayon::join(
        || {
            use rayon::prelude::*;
            articles
                .par_iter()
                .map(|a| {
                    let normal = crate::text::nfc_if_changed(&a.body);
                    let body = normal.as_deref().unwrap_or(&a.body);
                    let document = match cache {
                        Some(cache) => crate::markdown::document_cached(cache, body),
                        None => crate::markdown::document(body),
                    };
                    (normal, document)
                })
                .collect::<Vec<(Option<String>, crate::markdown::Document)>>()
        },
        || plans_and_reports(&mut m, &mut raw, diags),
    );
    for (a, (normal, document)) in articles.iter_mut().zip(documents) {
        // A body already in NFC moves into the model rather than being
        // copied (ten thousand articles are 80 MB at national scale).
        let (body, changed) = match normal {
            Some(normal) => (normal, true),
            None => (std::mem::take(&mut a.body), false),
        };
        article(&mut m, a, body, changed, document, diags);
    }
    for p in &raw.pages {
        page(&mut m, p, diags);
    }
    one_name_per_tag(&mut m, &articles, &raw.plans, diags);
    m.articles.sort_by(|a, b| {
        b.date
            .cmp(&a.date)
            .then_with(|| a.slug.cmp(&b.slug))
            .then(a.lang.cmp(&b.lang))
    });
    m.pages
        .sort_by(|a, b| a.slug.cmp(&b.slug).then(a.lang.cmp(&b.lang)));
    m
}

/// The site, agencies, plans, KPIs and monthly reports, in that order
/// (each checked against what came before), and the reports' history.
fn plans_and_reports(m: &mut Model, raw: &mut RawContent, diags: &mut Diagnostics) {
    m.unparsed = raw.unparsed.iter().copied().collect();
    if let Some(src) = &raw.site {
        m.site = site(src, diags);
        m.places.as_of = src.doc.as_of.as_ref().map(|v| src.loc(v));
        let mut cx = Cx::new(src, m, diags);
        m.reporting_from = src.doc.reporting_from.as_ref().and_then(|v| cx.period(v));
    }
    if let Some(src) = &raw.agencies {
        agencies(m, src, diags);
    }
    let kpi_ids = collect_ids(
        raw.kpis.iter().flat_map(|s| {
            s.doc
                .kpis
                .iter()
                .flatten()
                .map(move |k| (s, k.value.id.as_ref()))
        }),
        "KPI",
        diags,
    );
    let task_ids = collect_ids(
        raw.plans.iter().flat_map(|s| {
            s.doc
                .tasks
                .iter()
                .flatten()
                .map(move |t| (s, t.value.id.as_ref()))
        }),
        "task",
        diags,
    );
    let mut plans: Vec<&Source<RawPlan>> = raw.plans.iter().collect();
    plans.sort_by(|a, b| a.file.cmp(&b.file));
    let mut plan_ids = HashMap::new();
    for src in plans {
        plan(m, src, &kpi_ids, &mut plan_ids, diags);
    }
    formerly_clashes(m, diags);
    cascade(m, diags);
    if let Some(src) = &raw.kpis {
        kpis(m, src, &task_ids, diags);
    }
    agencies::lineage_against_plans(m, diags);
    let mut reports: Vec<_> = raw.reports.iter().collect();
    reports.sort_by(|a, b| a.source.file.cmp(&b.source.file));
    let files: HashSet<(String, String)> = reports
        .iter()
        .map(|r| (r.folder.clone(), r.stem.clone()))
        .collect();
    // Reports are read in parallel (a quarter of a million updates at
    // national scale), each against the model as its plans left it, then
    // kept in file order.
    let read: Vec<ReadReport> = {
        use rayon::prelude::*;
        reports
            .par_iter()
            .map(|r| {
                let (mut history, mut d) = (History::default(), Diagnostics::new());
                let read = report(m, r, &files, &mut history, &mut d);
                (read, history, d)
            })
            .collect()
    };
    let mut history = History::default();
    for (read, h, d) in read {
        diags.extend(d);
        history.said.extend(h.said);
        history.submissions.extend(h.submissions);
        history.values.extend(h.values);
        history.after_end.extend(h.after_end);
        history.before_issued.extend(h.before_issued);
        history.threads.raised.extend(h.threads.raised);
        history.threads.replied.extend(h.threads.replied);
        if let Some((report, submitted_at)) = read {
            m.reports.push(report);
            m.places.submitted.push(submitted_at);
        }
    }
    // The reports as parsed (a quarter of a million located values) are
    // freed by the pool while the articles are read, not by this thread.
    drop(reports);
    let parsed = std::mem::take(&mut raw.reports);
    rayon::spawn(move || drop(parsed));
    let threads = std::mem::take(&mut history.threads);
    m.proposals = proposals::assemble(m, threads, diags);
    history.check(m, diags);
}

/// One report as read on its own: the report and where its `submitted` is
/// written (when it counts), what it adds to the history, its problems.
type ReadReport = (Option<(Report, Loc)>, History, Diagnostics);

/// The catalogue key naming a kind of id, as the load stage and the
/// reference checks name it.
fn kind_word(kind: &str) -> &'static str {
    match kind {
        "agency" => "what.agency",
        "task" => "what.task",
        "KPI" => "what.kpi",
        "working group" => "what.group",
        _ => "what.id",
    }
}

/// The ids of one kind across files, reporting duplicates; the map keeps
/// where each was first defined.
fn collect_ids<'a, T: 'a>(
    items: impl Iterator<Item = (&'a Source<T>, Option<&'a S>)>,
    what: &str,
    diags: &mut Diagnostics,
) -> HashMap<String, Loc> {
    let mut seen: HashMap<String, Loc> = HashMap::new();
    let mut all: Vec<(Loc, String)> = items
        .filter_map(|(src, id)| id.map(|id| (src.loc(id), id.value.trim().to_string())))
        .collect();
    all.sort();
    for (loc, id) in all {
        match seen.get(&id) {
            Some(first) => diags.error(
                loc,
                msg!("id.duplicate", what = word(kind_word(what)), id, first),
            ),
            None => {
                seen.insert(id, loc);
            }
        }
    }
    seen
}

/// For the unit tests of each kind: the `minimal` test site with some
/// files replaced, through load and model (and the as-of checks, on the
/// site's day), and every diagnostic as `check --lang en` prints it.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;
    use crate::diag::Lang;
    use std::path::Path;

    pub(crate) fn run(files: &[(&str, &str)]) -> (Model, Vec<String>) {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal");
        for entry in walkdir::WalkDir::new(&from) {
            let entry = entry.expect("the fixture");
            let to = dir
                .path()
                .join(entry.path().strip_prefix(&from).expect("inside"));
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).expect("a folder");
            } else {
                std::fs::copy(entry.path(), &to).expect("a copy");
            }
        }
        for (path, text) in files {
            let to = dir.path().join(path);
            std::fs::create_dir_all(to.parent().expect("a parent")).expect("a folder");
            std::fs::write(&to, text).expect("a file");
        }
        let mut diags = Diagnostics::new();
        let raw = crate::load::load(dir.path(), &mut diags).expect("the site loads");
        let m = build(raw, &mut diags);
        if let Some(day) = m.site().as_of {
            check_as_of(&m, day, true, &mut diags);
        }
        let lines = diags.sorted().iter().map(|d| d.render(Lang::En)).collect();
        (m, lines)
    }

    /// Whether some line of `lines` contains every one of `parts`.
    #[track_caller]
    pub(crate) fn said(lines: &[String], parts: &[&str]) -> bool {
        lines.iter().any(|l| parts.iter().all(|p| l.contains(p)))
    }
}
