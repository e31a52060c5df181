//! Part of render: which charts the site draws and with what figures.
//! Input: the renderer (model, figures, UI strings). Output: every chart,
//! per language, keyed by its path from the route table, and the figures
//! it draws as CSV (the chart's download beside its SVG). The drawing
//! itself is `charts.rs`.

use super::i18n::Lang;
use super::{Renderer, charts, data, views};
use crate::model::Model;
use crate::route::{Route, SiteChart};
use rayon::prelude::*;
use std::collections::BTreeMap;

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

    /// Where the chart's figures are, as CSV.
    fn data_route<'m>(self, m: &'m Model) -> Route<'m> {
        match self {
            ChartJob::Site(c) => Route::ChartData(c),
            ChartJob::Group(g) => Route::GroupChartData(&m.groups[g].id),
            ChartJob::Kpi(k) => Route::KpiChartData(&m.kpis[k].id),
        }
    }
}

/// A chart drawn, with its figures as CSV and where they are.
pub(crate) struct ChartFiles {
    pub chart: charts::Chart,
    /// The content the title names (a KPI's or a group's name) and its
    /// language, when that is not the page's.
    pub title_part: Option<(String, &'static str)>,
    /// The CSV's path relative to the language root.
    pub data_path: String,
    pub data: Vec<u8>,
}

/// Every chart of the site, per language, keyed by its path.
pub(super) fn all_charts(r: &Renderer) -> BTreeMap<(Lang, String), ChartFiles> {
    let m = r.model;
    let mut jobs: Vec<(Lang, ChartJob)> = Vec::new();
    for &lang in &r.index.langs {
        jobs.extend(SiteChart::ALL.map(|c| (lang, ChartJob::Site(c))));
        jobs.extend((0..m.groups.len()).map(|g| (lang, ChartJob::Group(g))));
        jobs.extend((0..m.kpis.len()).map(|k| (lang, ChartJob::Kpi(k))));
    }
    jobs.into_par_iter()
        .map(|(lang, job)| {
            let files = ChartFiles {
                chart: draw_chart(r, lang, job),
                title_part: {
                    let v = r.views(lang);
                    let (name, name_lang) = match job {
                        ChartJob::Kpi(k) => v.kpi_name_lang(&m.kpis[k]),
                        ChartJob::Group(g) => {
                            v.pick(&m.groups[g].name, m.groups[g].name_en.as_deref())
                        }
                        ChartJob::Site(_) => ("", ""),
                    };
                    (!name_lang.is_empty()).then(|| (name.to_string(), name_lang))
                },
                data_path: job.data_route(m).path(),
                data: chart_data(r, lang, job),
            };
            ((lang, job.route(m).path()), files)
        })
        .collect()
}

/// The figures a chart draws, as CSV like the open data (UTF-8 with a
/// byte-order mark, CRLF): English snake_case column names, status codes
/// and dates in ISO form, and the labels in the page's language.
fn chart_data(r: &Renderer, lang: Lang, job: ChartJob) -> Vec<u8> {
    let (m, fig) = (r.model, r.fig);
    let v = r.views(lang);
    let mut rows: Vec<Vec<String>> = Vec::new();
    let statuses = crate::status::Status::ALL;
    let mix = |rows: &mut Vec<Vec<String>>, ids: &[&str]| {
        let mut head = vec!["agency_id".to_string(), "agency".to_string()];
        head.extend(statuses.iter().map(|s| s.code().to_string()));
        head.push("total".into());
        rows.push(head);
        for (id, b) in agency_bars(&v, ids) {
            // Agency names are text an editor wrote: neutralised like the
            // open data's ([`data::csv_text`]); the counts are numbers.
            let mut row = vec![id.to_string(), data::csv_text(&b.label).into_owned()];
            row.extend(b.counts.iter().map(usize::to_string));
            row.push(b.counts.iter().sum::<usize>().to_string());
            rows.push(row);
        }
    };
    match job {
        ChartJob::Site(SiteChart::Status) => {
            rows.push(vec!["status".into(), "label".into(), "tasks".into()]);
            for s in statuses {
                rows.push(vec![
                    s.code().into(),
                    data::csv_text(r.strings(lang).status(s)).into_owned(),
                    fig.overall.count(s).to_string(),
                ]);
            }
        }
        ChartJob::Site(SiteChart::Burnup) => {
            rows.push(vec!["date".into(), "due".into(), "done".into()]);
            for b in &fig.burnup {
                rows.push(vec![
                    b.date.to_string(),
                    b.due.to_string(),
                    b.done.to_string(),
                ]);
            }
        }
        ChartJob::Site(SiteChart::Agencies) => {
            let ids: Vec<&str> = m.agencies.iter().map(|a| a.id.as_str()).collect();
            mix(&mut rows, &ids);
        }
        ChartJob::Group(g) => {
            let id = m.groups[g].id.as_str();
            let ids: Vec<&str> = m
                .agencies
                .iter()
                .filter(|a| a.group.as_deref() == Some(id))
                .map(|a| a.id.as_str())
                .collect();
            mix(&mut rows, &ids);
        }
        ChartJob::Kpi(k) => {
            let kpi = &m.kpis[k];
            rows.push(
                ["date", "value", "unit", "baseline", "target"]
                    .map(String::from)
                    .to_vec(),
            );
            for p in &fig.kpis[k].points {
                rows.push(vec![
                    p.date.to_string(),
                    p.value.to_string(),
                    data::csv_text(&kpi.unit).into_owned(),
                    p.baseline.to_string(),
                    kpi.target.to_string(),
                ]);
            }
        }
    }
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = ::csv::WriterBuilder::new()
            .terminator(::csv::Terminator::CRLF)
            .from_writer(&mut out);
        for row in &rows {
            // Writing into a Vec cannot fail.
            let _ = w.write_record(row);
        }
    }
    out
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
            let (title, bars) = capped_bars(&v, &ids, t.get("chart_agencies_title").to_string());
            charts::status_bars("agencies", title, &bars, t, &credit)
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
            let (title, bars) = capped_bars(&v, &ids, title);
            charts::status_bars(&format!("group-{id}"), title, &bars, t, &credit)
        }
        ChartJob::Kpi(k) => {
            charts::kpi_chart(&m.kpis[k], &fig.kpis[k], fig.as_of, lang, t, &credit)
        }
    }
}

/// Bars a scorecard chart draws at most: past it, the agencies with the
/// most overdue tasks, and the title says how many of how many (the table
/// beside the chart and the data files have them all). A phone then loads
/// a chart of tens of kilobytes, not megabytes, at national scale.
pub const CHART_BARS: usize = 30;

/// The bars of `ids` ([`agency_bars`]), cut to [`CHART_BARS`] with the
/// title saying so.
fn capped_bars(v: &views::Views, ids: &[&str], title: String) -> (String, Vec<charts::BarRow>) {
    let mut bars: Vec<charts::BarRow> = agency_bars(v, ids).into_iter().map(|(_, b)| b).collect();
    if bars.len() <= CHART_BARS {
        return (title, bars);
    }
    let total = bars.len();
    bars.truncate(CHART_BARS);
    let note =
        v.t.get("chart_top_bars")
            .replace("{n}", &CHART_BARS.to_string())
            .replace("{total}", &total.to_string());
    (format!("{title}: {note}"), bars)
}

/// One bar per agency in `ids` that leads a task on D, in the order of
/// status's agency ranking (the most overdue first), with its agency's id.
pub(crate) fn agency_bars<'f>(
    v: &views::Views<'f>,
    ids: &[&str],
) -> Vec<(&'f str, charts::BarRow)> {
    v.fig
        .agency_ranking
        .iter()
        .filter(|id| ids.contains(&id.as_str()))
        .filter_map(|id| {
            Some((
                id.as_str(),
                charts::BarRow {
                    label: v.agency_short(id).to_string(),
                    counts: v.fig.agencies.get(id)?.rollup.counts,
                },
            ))
        })
        .collect()
}
