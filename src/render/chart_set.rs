//! Part of render: which charts the site draws and with what figures.
//! Input: the renderer (model, figures, UI strings). Output: every chart,
//! per language, keyed by its path from the route table. The drawing
//! itself is `charts.rs`.

use super::i18n::Lang;
use super::{Renderer, charts, views};
use crate::model::Model;
use crate::route::{Route, SiteChart};
use rayon::prelude::*;
use std::collections::BTreeMap;

/// The width and height plotters wrote on the root element.
pub(super) fn svg_size(svg: &str) -> (u32, u32) {
    let num = |key: &str| -> u32 {
        svg.find(key)
            .map(|i| &svg[i + key.len()..])
            .and_then(|rest| rest.split('"').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    (num("width=\""), num("height=\""))
}

/// A chart the site draws, before it is drawn.
#[derive(Debug, Clone, Copy)]
enum ChartJob {
    Site(SiteChart),
    /// A working group's agencies, by index into `Model::groups`.
    Group(usize),
    /// A KPI's values and trend, by index into `Model::kpis`.
    Kpi(usize),
}

impl ChartJob {
    fn route<'m>(self, m: &'m Model) -> Route<'m> {
        match self {
            ChartJob::Site(c) => Route::Chart(c),
            ChartJob::Group(g) => Route::GroupChart(&m.groups[g].id),
            ChartJob::Kpi(k) => Route::KpiChart(&m.kpis[k].id),
        }
    }
}

/// Every chart of the site, per language, keyed by its path.
pub(super) fn all_charts(r: &Renderer) -> BTreeMap<(Lang, String), charts::Chart> {
    let m = r.model;
    let mut jobs: Vec<(Lang, ChartJob)> = Vec::new();
    for &lang in &r.langs {
        jobs.extend(SiteChart::ALL.map(|c| (lang, ChartJob::Site(c))));
        jobs.extend((0..m.groups.len()).map(|g| (lang, ChartJob::Group(g))));
        jobs.extend((0..m.kpis.len()).map(|k| (lang, ChartJob::Kpi(k))));
    }
    jobs.into_par_iter()
        .map(|(lang, job)| ((lang, job.route(m).path()), draw_chart(r, lang, job)))
        .collect()
}

fn draw_chart(r: &Renderer, lang: Lang, job: ChartJob) -> charts::Chart {
    let (m, fig) = (r.model, r.fig);
    let t = r.strings(lang);
    let v = r.views(lang);
    let credit = r.chart_credit(lang);
    match job {
        ChartJob::Site(SiteChart::Status) => {
            let row = charts::BarRow {
                label: t.get("all_tasks").to_string(),
                counts: fig.overall.counts,
            };
            charts::status_bars(
                "status-summary",
                t.get("chart_status_title").to_string(),
                &[row],
                t,
                &credit,
            )
        }
        ChartJob::Site(SiteChart::Burnup) => {
            charts::burnup_chart(&r.fig.burnup, fig.as_of, lang, t, &credit)
        }
        ChartJob::Site(SiteChart::Agencies) => {
            let ids: Vec<&str> = m.agencies.iter().map(|a| a.id.as_str()).collect();
            charts::status_bars(
                "agencies",
                t.get("chart_agencies_title").to_string(),
                &agency_bars(&v, &ids),
                t,
                &credit,
            )
        }
        ChartJob::Group(g) => {
            let g = &m.groups[g];
            let id = g.id.as_str();
            let ids: Vec<&str> = m
                .agencies
                .iter()
                .filter(|a| a.group.as_deref() == Some(id))
                .map(|a| a.id.as_str())
                .collect();
            let name = lang.pick(&g.name, g.name_en.as_deref());
            let title = t.get("chart_group_title").replace("{group}", name);
            charts::status_bars(
                &format!("group-{id}"),
                title,
                &agency_bars(&v, &ids),
                t,
                &credit,
            )
        }
        ChartJob::Kpi(k) => {
            charts::kpi_chart(&m.kpis[k], &fig.kpis[k], fig.as_of, lang, t, &credit)
        }
    }
}

/// One bar per agency in `ids` that leads a task on D, in the order of
/// status's agency ranking (the most overdue first).
pub(crate) fn agency_bars(v: &views::Views, ids: &[&str]) -> Vec<charts::BarRow> {
    v.fig
        .agency_ranking
        .iter()
        .filter(|id| ids.contains(&id.as_str()))
        .filter_map(|id| {
            Some(charts::BarRow {
                label: v.agency_short(id).to_string(),
                counts: v.fig.agencies.get(id)?.rollup.counts,
            })
        })
        .collect()
}
