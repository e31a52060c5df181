//! Entry points for the fuzz targets in `fuzz/` (and their regression
//! tests): whole slices of the pipeline driven by arbitrary bytes. Each
//! must return without panicking, whatever the input.

use crate::diag::Diagnostics;
use crate::load::raw::{RawAgencies, RawArticleMeta, RawPlan, RawReport, RawSite};
use crate::load::{RawContent, ReportSource, Source, parse_yaml, split_front_matter};
use std::sync::Arc;

fn source<T>(file: &str, doc: T) -> Source<T> {
    Source {
        file: Arc::from(file),
        line_offset: 0,
        doc,
    }
}

const SITE: &str =
    "title: Fuzz\nbase_url: https://example.org/\nas_of: 2025-06-25\nlanguages: [vi, en]\n";

/// The bytes as agencies, a plan and a report, through model, status and
/// render.
pub fn content_pipeline(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut d = Diagnostics::new();
    let file: Arc<str> = Arc::from("fuzz.yaml");
    let mut raw = RawContent {
        site: parse_yaml::<RawSite>(&file, SITE, 0, &mut d).map(|s| source("content/site.yaml", s)),
        agencies: parse_yaml::<RawAgencies>(&file, text, 0, &mut d)
            .map(|s| source("content/agencies.yaml", s)),
        ..RawContent::default()
    };
    if let Some(plan) = parse_yaml::<RawPlan>(&file, text, 0, &mut d) {
        raw.plans.push(source("content/plans/p.yaml", plan));
    }
    if let Some(report) = parse_yaml::<RawReport>(&file, text, 0, &mut d) {
        raw.reports.push(ReportSource {
            source: source("content/reports/2025-03/a.yaml", report),
            folder: "2025-03".into(),
            stem: "a".into(),
        });
    }
    let model = crate::model::build(raw, &mut d);
    let Some(as_of) = model.site().as_of else {
        return;
    };
    let figures = crate::status::compute(&model, as_of);
    let index = crate::index::SiteIndex::build(&model, &figures);
    let mut site = crate::render::render(
        &model,
        &figures,
        &index,
        &crate::status::Archive::none(),
        &Default::default(),
        Default::default(),
        None,
        &mut d,
    );
    crate::verify::site(&model, &mut site, &mut d);
    let _ = d.sorted();
}

/// The bytes as a news article: front matter, its YAML, the Markdown.
pub fn article_pipeline(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut d = Diagnostics::new();
    if let Some((yaml, body, _)) = split_front_matter(text) {
        let _ = parse_yaml::<RawArticleMeta>(&Arc::from("a.md"), yaml, 1, &mut d);
        let _ = crate::render::markdown::render(body);
    }
}

/// The bytes as a date, a deadline and a period. A date that parses
/// formats back to one that parses to the same day.
pub fn dates(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(day) = crate::date::parse_date(text) {
        let again = crate::date::parse_date(&crate::date::fmt_date(day));
        assert_eq!(again, Ok(day), "{text:?} did not round-trip");
    }
    if let Ok(deadline) = crate::date::parse_deadline(text) {
        let _ = (deadline.label_vi(), deadline.label_en(), deadline.code());
    }
    if let Some(p) = crate::date::Period::parse(text) {
        let _ = (p.report_day(31), p.last_day(), p.next());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Inputs that once broke something, or that sit on an edge; fuzzing
    /// adds its findings here.
    const REGRESSIONS: &[&str] = &[
        "",
        "---",
        "---\n---\n",
        "- a\n- b",
        "tasks: [{id: a, title: b, lead: x, deadline: monthly, deadline_changes: [{to: 2025-01, date: 2025-01-01}]}]",
        "id: p\ntitle: t\nissued: 9999-12-31\ntasks: [{id: a, title: b, incomplete: x, deadline: 31/12/9999}]",
        "id: p\ntitle: t\nissued: 0001-01-01\ntasks: [{id: a, title: b, incomplete: x, deadline: 01/01/0001}]",
        "agencies: [{id: a, name: A, kind: office, merged_into: {agency: a, date: 2025-01-01}}]",
        "agency: a\nperiod: 2025-03\nsubmitted: 2025-03-01\nupdates: [{task: a, state: done, done_on: 0001-01-01}]",
        "kpi_values: [{kpi: k, date: 2025-01-01, value: 1e308}]",
        "title: \"\\u0000\\uFFFF\"",
        "29/02/2024",
        "31/12/9999",
        "Q4/9999",
        "quý IV/0000",
        "%%%\n---\n",
        "---\ntitle: [\n---\n# x {#}\n",
        "---\ntitle: a\n---\n[^1]\n\n[^1]: [^1]\n",
    ];

    #[test]
    fn regressions_run_clean() {
        for input in REGRESSIONS {
            content_pipeline(input.as_bytes());
            article_pipeline(input.as_bytes());
            dates(input.as_bytes());
        }
    }
}
