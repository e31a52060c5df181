//! Part of render, the monthly archive: `/luu-tru/` (every archived month)
//! and `/luu-tru/YYYY-MM/` (the portal on the month's last day: headline
//! figures, counts per status, scorecards per agency and group, KPI values,
//! what changed). Input: the renderer and one month's figures
//! (`status::Archive::month`, computed with the month's last day as D). Output: the pages' HTML. No
//! task table per month: the month's tasks are in its data files.

use super::*;

/// The monthly archive's index.
/// Made after the archived months, which count what changed in each.
pub(crate) static ARCHIVE: PageKind = PageKind {
    template: "archive.html",
    jobs: |_, _| vec![Key::One],
    route: |_, _| Route::Archive,
    render: archive,
    source: from_templates,
    deferred: true,
    sitemap: true,
    share: None,
};

/// An archived month, made with that month's figures by the archive
/// phase of render ([`archive_month`]).
pub(crate) static ARCHIVE_MONTH: PageKind = PageKind {
    template: "archive_month.html",
    jobs: |r, _| (0..r.archive_months().len()).map(Key::Nth).collect(),
    route: |at, key| match key {
        Key::Nth(k) => at
            .months
            .get(*k)
            .map_or(Route::Archive, |p| Route::ArchiveMonth(*p)),
        _ => Route::Archive,
    },
    render: |_, _, _, _| None,
    source: from_templates,
    deferred: true,
    sitemap: true,
    share: None,
};
use crate::status::Figures;

#[derive(Serialize)]
struct MonthLink {
    label: String,
    period: String,
    url: String,
    as_of: String,
    as_of_iso: String,
    /// The month's data files (CSV and JSON, or one zipped CSV).
    files: Vec<Link>,
    /// What changed in the month, as data, and how many tasks changed
    /// status ("" before the archive is made).
    changes_url: String,
    status_changes: String,
}

/// A month's links; `base` is the site root, where data files live for
/// every language.
fn month_link(r: &Renderer, v: &Views, base: &str, p: Period) -> MonthLink {
    let files = crate::render::archive_data_files(v.model)
        .iter()
        .map(|&name| Link {
            label: match name {
                Format::Csv => "CSV".to_string(),
                Format::Json => "JSON".to_string(),
                Format::Zip => v.t.get("archive_zip").to_string(),
            },
            url: format!("{base}{}", Route::ArchiveData(p, name).path()),
        })
        .collect();
    MonthLink {
        label: v
            .t
            .get("archive_month")
            .replace("{month}", &v.lang.period(p)),
        period: v.lang.period(p),
        url: v.route(&Route::ArchiveMonth(p)),
        as_of: fmt_date(p.last_day()),
        as_of_iso: p.last_day().to_string(),
        files,
        changes_url: format!("{base}{}", Route::MonthChanges(p).path()),
        status_changes: r
            .status_changes
            .get()
            .and_then(|c| c.get(&p))
            .map(|n| v.t.with("archive_status_changes", n))
            .unwrap_or_default(),
    }
}

/// The archive's index as the page loop sees it: made apart, after the
/// months ([`archive_index`]).
fn archive(_: &Renderer, _: Lang, _: &Job, _: &mut Diagnostics) -> Option<Output> {
    None
}

/// The archive's index: each month, its files and what changed in it.
pub(super) fn archive_index(
    r: &Renderer,
    lang: Lang,
    job: &Job,
    d: &mut Diagnostics,
) -> Option<Output> {
    #[derive(Serialize)]
    struct Page<'a> {
        #[serde(flatten)]
        common: Common<'a>,
        months: Vec<MonthLink>,
    }
    let v = r.views(lang);
    let ctx = Page {
        common: r.common(
            lang,
            job,
            "reports",
            v.t.get("archive_title").to_string(),
            v.t.get("archive_intro").to_string(),
        ),
        months: r
            .archive_months()
            .iter()
            .rev()
            .map(|p| month_link(r, &v, &r.base, *p))
            .collect(),
    };
    r.render_page(lang, job, &ctx, d)
}

/// A link to archived month `p`'s data file `name` (one of
/// [`crate::render::archive_data_files`]), labelled for a list's "more".
pub(super) fn month_task_link(r: &Renderer, v: &Views, p: Period, name: Format) -> Link {
    let key = match name {
        Format::Csv => "month_tasks_csv",
        Format::Json => "full_data_json",
        Format::Zip => "month_tasks_zip",
    };
    data_link(r, v, key, &Route::ArchiveData(p, name))
}

#[derive(Serialize)]
struct GroupRow<'a> {
    name: &'a str,
    name_lang: &'static str,
    url: String,
    rollup: views::RollupView,
}
#[derive(Serialize)]
struct Extended {
    task: views::LangLink,
    to: String,
    date: String,
}
#[derive(Serialize)]
struct KpiMove {
    kpi: views::LangLink,
    before: String,
    after: String,
    value_lang: &'static str,
}
#[derive(Serialize)]
struct ArchiveMonthPage<'a> {
    #[serde(flatten)]
    common: Common<'a>,
    /// The proposals known on the month's last day, by state.
    proposals: Vec<super::proposals::StateCount<'a>>,
    label: String,
    month: MonthLink,
    rollup: views::RollupView,
    /// Past [`ROWS_PER_PAGE`] rows, each list shows its first rows
    /// (the agencies most overdue first) and links to the rest: the
    /// month's data files and today's lists.
    agencies: Cut<views::AgencyRow<'a>>,
    groups: Vec<GroupRow<'a>>,
    kpis: Cut<views::KpiRow<'a>>,
    finished: Cut<views::LangLink>,
    became_overdue: Cut<views::LangLink>,
    extended: Cut<Extended>,
    blocked: Cut<views::LangLink>,
    kpi_moves: Cut<KpiMove>,
    /// Any change at all in the month.
    changed: bool,
    report_url: String,
    prev: Option<Link>,
    next: Option<Link>,
}

/// The page of archived month `p`, from that month's figures.
pub(crate) fn archive_month(
    r: &Renderer,
    lang: Lang,
    job: &Job,
    p: Period,
    fig: &Figures,
    d: &mut Diagnostics,
) -> Option<Output> {
    let months = r.archive_months();
    let k = months.iter().position(|&q| q == p)?;
    let live = r.views(lang);
    // The same helpers, reading the month's figures.
    let v = Views {
        model: r.model,
        fig,
        index: r.index,
        lang,
        t: live.t,
        home: live.home.clone(),
    };
    let m = r.model;
    let task_link = |i: usize| v.task_link(&m.tasks[i]);
    let changes = fig.changes.get(&p).cloned().unwrap_or_default();
    let month = month_link(r, &v, &r.base, p);
    let neighbour = |j: Option<usize>| {
        j.and_then(|j| months.get(j)).map(|q| {
            let l = month_link(r, &v, &r.base, *q);
            Link {
                label: l.label,
                url: l.url,
            }
        })
    };
    // The page's figures are those of the month's last day: its header and
    // footer say so, not the live date.
    let mut common = r.common(lang, job, "reports", month.label.clone(), String::new());
    common.as_of = fmt_date(fig.as_of);
    common.as_of_iso = fig.as_of.to_string();
    // The month's own data: every task as it stood on its last day (one
    // zipped CSV past ARCHIVE_ZIP_FROM_TASKS).
    let month_data = || {
        crate::render::archive_data_files(m)
            .iter()
            .map(|&name| month_task_link(r, &v, p, name))
            .collect::<Vec<_>>()
    };
    let ctx = ArchiveMonthPage {
        proposals: if fig.proposals.is_empty() {
            Vec::new()
        } else {
            super::proposals::state_counts(&v, crate::status::state_counts(&fig.proposals))
        },
        common,
        label: v
            .t
            .get("archive_label")
            .replace("{date}", &fmt_date(fig.as_of)),
        rollup: v.rollup(&fig.overall, views::Scope::Archive),
        agencies: cut(
            &v,
            &fig.agency_ranking
                .iter()
                .filter_map(|id| m.agency(id))
                .collect::<Vec<_>>(),
            |a| {
                // The lists a count links to are today's, not that month's.
                let mut row = v.agency_row(a);
                row.total_url = String::new();
                row.overdue_url = String::new();
                row
            },
            || {
                let mut links = month_data();
                links.push(Link {
                    label: v.t.get("see_all_agencies").to_string(),
                    url: v.route(&Route::Agencies),
                });
                links
            },
        ),
        groups: group_rows(&v, fig),
        kpis: cut(
            &v,
            &(0..m.kpis.len()).collect::<Vec<_>>(),
            |i| v.kpi_row(i),
            || {
                vec![
                    data_link(
                        r,
                        &v,
                        "kpi_values_csv",
                        &Route::TableFile(Table::KpiValues, Format::Csv),
                    ),
                    Link {
                        label: v.t.get("see_all_live_kpis").to_string(),
                        url: v.route(&Route::Kpis),
                    },
                ]
            },
        ),
        changed: !(changes.finished.is_empty()
            && changes.became_overdue.is_empty()
            && changes.extended.is_empty()
            && changes.blocked.is_empty()
            && changes.kpi_moves.is_empty()),
        finished: cut(&v, &changes.finished, task_link, month_data),
        became_overdue: cut(&v, &changes.became_overdue, task_link, month_data),
        extended: {
            let extended = extended_rows(&v, &changes.extended, task_link);
            let total = extended.len();
            let (rows, _) = top(extended);
            Cut {
                more: more(&v, rows.len(), total, month_data()),
                rows,
                total,
            }
        },
        blocked: cut(&v, &changes.blocked, task_link, month_data),
        kpi_moves: cut(
            &v,
            &changes.kpi_moves,
            |(i, before, after)| kpi_move(&v, i, before, after),
            || {
                vec![data_link(
                    r,
                    &v,
                    "kpi_values_csv",
                    &Route::TableFile(Table::KpiValues, Format::Csv),
                )]
            },
        ),
        report_url: if r.fig.report_months.contains(&p) {
            v.route(&Route::Report(p))
        } else {
            String::new()
        },
        prev: neighbour(k.checked_sub(1)),
        next: neighbour(Some(k + 1)),
        month,
    };
    r.render_page(lang, job, &ctx, d)
}

/// The working groups' roll-ups of an archived month.
fn group_rows<'a>(v: &Views<'a>, fig: &Figures) -> Vec<GroupRow<'a>> {
    v.model
        .groups
        .iter()
        .map(|g| GroupRow {
            name: v.pick(&g.name, g.name_en.as_deref()).0,
            name_lang: v.pick(&g.name, g.name_en.as_deref()).1,
            url: v.route(&Route::Group(&g.id)),
            rollup: v.rollup(
                fig.groups.get(&g.id).unwrap_or(&Default::default()),
                views::Scope::Archive,
            ),
        })
        .collect()
}

/// A KPI's move in an archived month: its value before and after.
fn kpi_move(v: &Views, i: usize, before: Option<f64>, after: f64) -> KpiMove {
    let kpi = &v.model.kpis[i];
    KpiMove {
        kpi: v.kpi_link(kpi),
        before: before
            .map(|b| v.value(kpi, b))
            .unwrap_or_else(|| "—".into()),
        after: v.value(kpi, after),
        value_lang: v.value_lang(kpi),
    }
}

/// The deadlines extended in an archived month, with their new deadline.
fn extended_rows<'a>(
    v: &Views<'a>,
    extended: &[(usize, usize)],
    task_link: impl Fn(usize) -> views::LangLink,
) -> Vec<Extended> {
    extended
        .iter()
        .filter_map(|&(i, c)| {
            let change = v.model.tasks[i].deadline_changes.get(c)?;
            Some(Extended {
                task: task_link(i),
                to: v.lang.deadline(&change.to),
                date: fmt_date(change.date),
            })
        })
        .collect()
}
