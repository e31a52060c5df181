//! One builder per page kind: each gathers its view from the model and the
//! figures, then renders its template.

use super::i18n::Lang;
use super::markdown;
use super::views::{self, Common, Link, StatusView, TaskRow, Views, status_view};
use super::{ARTICLES_PER_PAGE, Job, Renderer};
use crate::date::{Period, fmt_date};
use crate::diag::Diagnostics;
use crate::model::{Article, TaskState};
use crate::route::{Route, SiteChart};
use crate::status::{Outcome, Status};
use serde::Serialize;
use std::collections::BTreeMap;

pub(crate) fn render_job(
    r: &Renderer,
    lang: Lang,
    job: &Job,
    d: &mut Diagnostics,
) -> Option<Vec<u8>> {
    match job {
        Job::Home => home(r, lang, job, d),
        Job::Tasks(s) => task_list(r, lang, job, *s, d),
        Job::Task(i) => task(r, lang, job, *i, d),
        Job::Agencies => agencies(r, lang, job, d),
        Job::Agency(i) => agency(r, lang, job, *i, d),
        Job::Group(i) => group(r, lang, job, *i, d),
        Job::Kpis => kpis(r, lang, job, d),
        Job::Kpi(i) => kpi(r, lang, job, *i, d),
        Job::Reports => reports(r, lang, job, d),
        Job::Report(p) => report(r, lang, job, *p, d),
        Job::Deadlines => deadlines(r, lang, job, d),
        Job::Data => open_data(r, lang, job, d),
        Job::Search => search(r, lang, job, d),
        Job::News(n) => news(r, lang, job, *n, d),
        Job::Article(i) => article(r, lang, job, *i, d),
        Job::Tag(t) => tag(r, lang, job, t, d),
        Job::Page(i) => page(r, lang, job, *i, d),
        Job::NotFound => not_found(r, lang, job, d),
    }
}

#[derive(Serialize)]
struct ArticleCard<'a> {
    title: &'a str,
    url: String,
    date: String,
    date_iso: String,
    summary: &'a str,
    tags: Vec<Link>,
}

fn card<'a>(r: &Renderer, v: &Views, a: &'a Article) -> ArticleCard<'a> {
    ArticleCard {
        title: &a.title,
        url: v.route(&Route::Article(&a.slug)),
        date: fmt_date(a.date),
        date_iso: a.date.to_string(),
        summary: a.summary.as_deref().unwrap_or(""),
        tags: tag_links(r, v, &a.tags),
    }
}

fn tag_links(r: &Renderer, v: &Views, tags: &[String]) -> Vec<Link> {
    tags.iter()
        .filter_map(|t| {
            r.tags.get(t).map(|slug| Link {
                label: t.clone(),
                url: v.route(&Route::Tag(slug)),
            })
        })
        .collect()
}

/// The language's articles that name `pred`, newest first.
fn related_articles<'a>(
    r: &'a Renderer,
    v: &Views,
    lang: Lang,
    pred: impl Fn(&Article) -> bool,
) -> Vec<ArticleCard<'a>> {
    r.articles
        .get(&lang)
        .into_iter()
        .flatten()
        .map(|&i| &r.model.articles[i])
        .filter(|a| pred(a))
        .map(|a| card(r, v, a))
        .collect()
}

/// The language's articles about a task or KPI id, through the index
/// (a task page must not scan every article).
fn articles_about<'a>(r: &'a Renderer, v: &Views, lang: Lang, id: &str) -> Vec<ArticleCard<'a>> {
    let Some(about) = r.articles_about.get(id) else {
        return Vec::new();
    };
    let slugs: Vec<&str> = about
        .iter()
        .map(|&i| r.model.articles[i].slug.as_str())
        .collect();
    r.articles
        .get(&lang)
        .into_iter()
        .flatten()
        .map(|&i| &r.model.articles[i])
        .filter(|a| slugs.contains(&a.slug.as_str()))
        .map(|a| card(r, v, a))
        .collect()
}

/// The figures of a status-bars chart as a table: one row per bar.
#[derive(Serialize)]
struct MixTable {
    statuses: Vec<StatusView>,
    rows: Vec<MixRow>,
}

#[derive(Serialize)]
struct MixRow {
    label: String,
    counts: Vec<usize>,
    total: usize,
}

fn mix_table(v: &Views, lang: Lang, ids: &[&str]) -> MixTable {
    MixTable {
        statuses: Status::ALL.iter().map(|&s| status_view(s, lang)).collect(),
        rows: super::agency_bars(v, ids)
            .into_iter()
            .map(|b| MixRow {
                label: b.label,
                total: b.counts.iter().sum(),
                counts: b.counts.to_vec(),
            })
            .collect(),
    }
}

#[derive(Serialize)]
struct MissingView {
    agency: String,
    url: String,
    months: Vec<Link>,
}

fn home(r: &Renderer, lang: Lang, job: &Job, d: &mut Diagnostics) -> Option<Vec<u8>> {
    #[derive(Serialize)]
    struct Home<'a> {
        #[serde(flatten)]
        common: Common<'a>,
        rollup: views::RollupView,
        overdue: Vec<TaskRow<'a>>,
        upcoming: Vec<TaskRow<'a>>,
        kpis: Vec<views::KpiRow<'a>>,
        missing: Vec<MissingView>,
        news: Vec<ArticleCard<'a>>,
        agencies_overdue: Vec<Link>,
        status_chart: Option<views::ChartView>,
        burnup_chart: Option<views::ChartView>,
        burnup: Vec<BurnupRow>,
    }
    #[derive(Serialize)]
    struct BurnupRow {
        month: String,
        due: usize,
        done: usize,
    }
    let v = r.views(lang);
    // The burn-up's figures at the end of each month (and on D), for the
    // table beside the chart.
    let points = &r.fig.burnup;
    let mut burnup: Vec<BurnupRow> = Vec::new();
    for (i, p) in points.iter().enumerate() {
        let last_of_month = points
            .get(i + 1)
            .is_none_or(|n| Period::of(n.date) != Period::of(p.date));
        if last_of_month {
            burnup.push(BurnupRow {
                month: fmt_date(p.date),
                due: p.due,
                done: p.done,
            });
        }
    }
    let o = &r.fig.overall;
    let mut upcoming: Vec<usize> = (0..r.model.tasks.len())
        .filter(|&i| {
            matches!(r.fig.tasks[i].status, Status::DueSoon)
                || (r.fig.tasks[i].days_left.is_some() && !r.fig.tasks[i].status.is_done())
        })
        .collect();
    upcoming = v.by_deadline(upcoming);
    upcoming.truncate(5);
    let agencies_overdue: Vec<(usize, &str)> = r
        .fig
        .agency_ranking
        .iter()
        .filter_map(|id| {
            Some((
                r.fig.agencies.get(id)?.rollup.count(Status::Overdue),
                id.as_str(),
            ))
        })
        .filter(|(n, _)| *n > 0)
        .collect();
    let t = v.t;
    let ctx = Home {
        common: r.common(
            lang,
            job,
            "home",
            t.get("home_title").to_string(),
            String::new(),
        ),
        rollup: v.rollup(o, true),
        overdue: v.rows(o.overdue.iter().copied()),
        upcoming: v.rows(upcoming),
        kpis: (0..r.model.kpis.len()).map(|k| v.kpi_row(k)).collect(),
        missing: r
            .fig
            .missing_reports()
            .into_iter()
            .map(|(a, ps)| MissingView {
                agency: v.agency_full(a).to_string(),
                url: v.agency_url(a),
                months: ps
                    .iter()
                    .map(|p| Link {
                        label: lang.period(*p),
                        url: v.route(&Route::Report(*p)),
                    })
                    .collect(),
            })
            .collect(),
        news: related_articles(r, &v, lang, |_| true)
            .into_iter()
            .take(3)
            .collect(),
        agencies_overdue: agencies_overdue
            .into_iter()
            .map(|(n, id)| Link {
                label: format!("{} ({n})", v.agency_short(id)),
                url: v.agency_url(id),
            })
            .collect(),
        status_chart: r.chart(lang, &Route::Chart(SiteChart::Status)),
        burnup_chart: r.chart(lang, &Route::Chart(SiteChart::Burnup)),
        burnup,
    };
    r.render_template(lang, "index.html", &ctx, d)
}

#[derive(Serialize)]
struct FilterOption {
    value: String,
    label: String,
}

fn task_list(
    r: &Renderer,
    lang: Lang,
    job: &Job,
    only: Option<Status>,
    d: &mut Diagnostics,
) -> Option<Vec<u8>> {
    #[derive(Serialize)]
    struct List<'a> {
        #[serde(flatten)]
        common: Common<'a>,
        heading: String,
        current: &'static str,
        total: usize,
        counts: Vec<views::CountView>,
        rows: Vec<TaskRow<'a>>,
        statuses: Vec<StatusView>,
        agencies: Vec<FilterOption>,
        groups: Vec<FilterOption>,
    }
    let v = r.views(lang);
    let list: Vec<usize> = (0..r.model.tasks.len())
        .filter(|&i| only.is_none_or(|s| r.fig.tasks[i].status == s))
        .collect();
    let order = if only == Some(Status::Overdue) {
        r.fig.overall.overdue.clone()
    } else {
        v.by_deadline(list)
    };
    let heading = match only {
        None => v.t.get("tasks_title").to_string(),
        Some(Status::Overdue) => v.t.get("overdue_view_title").to_string(),
        Some(s) => {
            v.t.get("tasks_with_status")
                .replace("{status}", lang.status(s))
        }
    };
    let rollup = v.rollup(&r.fig.overall, true);
    let mut leads: Vec<&str> = r
        .fig
        .tasks
        .iter()
        .filter_map(|s| s.lead_on.as_deref())
        .collect();
    leads.sort_unstable();
    leads.dedup();
    let ctx = List {
        common: r.common(
            lang,
            job,
            "tasks",
            heading.clone(),
            v.t.get("tasks_description").to_string(),
        ),
        heading,
        current: only.map_or("", Status::code),
        total: r.model.tasks.len(),
        counts: rollup.counts,
        rows: v.rows(order),
        statuses: Status::ALL.iter().map(|&s| status_view(s, lang)).collect(),
        agencies: leads
            .iter()
            .map(|a| FilterOption {
                value: a.to_string(),
                label: v.agency_short(a).to_string(),
            })
            .collect(),
        groups: r
            .model
            .groups
            .iter()
            .map(|g| FilterOption {
                value: g.id.clone(),
                label: lang.pick(&g.name, g.name_en.as_deref()).to_string(),
            })
            .collect(),
    };
    r.render_template(lang, "tasks.html", &ctx, d)
}

fn task(r: &Renderer, lang: Lang, job: &Job, i: usize, d: &mut Diagnostics) -> Option<Vec<u8>> {
    #[derive(Serialize)]
    struct Change<'a> {
        date: String,
        to: String,
        by: &'a str,
        reason: &'a str,
        in_force: bool,
    }
    #[derive(Serialize)]
    struct Entry<'a> {
        submitted: String,
        period: String,
        report_url: String,
        agency: &'a str,
        agency_url: String,
        from_lead: bool,
        state: &'static str,
        state_label: &'a str,
        progress: String,
        done_on: String,
        note: String,
        evidence: String,
    }
    #[derive(Serialize)]
    struct PeriodView {
        period: String,
        url: String,
        outcome: &'static str,
        label: String,
    }
    #[derive(Serialize)]
    struct Page<'a> {
        #[serde(flatten)]
        common: Common<'a>,
        id: &'a str,
        title: &'a str,
        reference: &'a str,
        plan: &'a str,
        status: StatusView,
        rule: &'a str,
        days_label: String,
        lead: String,
        lead_url: String,
        handover: String,
        support: Vec<Link>,
        description: String,
        deadline: String,
        original_deadline: String,
        result: &'a str,
        responsible: &'a str,
        incomplete: &'a str,
        progress: String,
        changes: Vec<Change<'a>>,
        timeline: Vec<Entry<'a>>,
        periods: Vec<PeriodView>,
        kpis: Vec<views::KpiRow<'a>>,
        news: Vec<ArticleCard<'a>>,
        tags: Vec<&'a str>,
        cite: String,
    }
    let v = r.views(lang);
    let t = &r.model.tasks[i];
    let s = &r.fig.tasks[i];
    let as_of = r.fig.as_of;
    let handover = match (&t.lead, &s.lead_on) {
        (Some(orig), Some(now)) if orig != now => {
            let date = r
                .model
                .agency(orig)
                .and_then(|a| a.succession.as_ref())
                .map(|x| fmt_date(x.date))
                .unwrap_or_default();
            v.t.get("handover")
                .replace("{from}", v.agency_full(orig))
                .replace("{date}", &date)
        }
        (Some(orig), None) => {
            v.t.get("lead_dissolved")
                .replace("{agency}", v.agency_full(orig))
        }
        _ => String::new(),
    };
    let title = v.task_title(t);
    let canonical = r
        .common(lang, job, "tasks", String::new(), String::new())
        .canonical;
    let plan = &r.model.plans[t.plan];
    let ctx = Page {
        common: r.common(
            lang,
            job,
            "tasks",
            title.to_string(),
            t.result.clone().unwrap_or_default(),
        ),
        id: &t.id,
        title,
        reference: t.reference.as_deref().unwrap_or(""),
        plan: lang.pick(&plan.title, plan.title_en.as_deref()),
        status: status_view(s.status, lang),
        rule: v.t.get(&format!("rule_{}", s.status.code())),
        days_label: v.days_label(s),
        lead: s
            .lead_on
            .as_deref()
            .map(|a| v.agency_full(a).to_string())
            .unwrap_or_default(),
        lead_url: s
            .lead_on
            .as_deref()
            .map(|a| v.agency_url(a))
            .unwrap_or_default(),
        handover,
        support: s
            .support_on
            .iter()
            .map(|a| Link {
                label: v.agency_full(a).to_string(),
                url: v.agency_url(a),
            })
            .collect(),
        description: t
            .description
            .as_deref()
            .map(markdown::to_html)
            .unwrap_or_default(),
        deadline: v.deadline_label(s),
        original_deadline: if s.extensions > 0 {
            t.deadline.map(|x| lang.deadline(&x)).unwrap_or_default()
        } else {
            String::new()
        },
        result: t.result.as_deref().unwrap_or(""),
        responsible: t.responsible.as_deref().unwrap_or(""),
        incomplete: t.incomplete.as_deref().unwrap_or(""),
        progress: v.progress(s),
        changes: t
            .deadline_changes
            .iter()
            .map(|c| Change {
                date: fmt_date(c.date),
                to: lang.deadline(&c.to),
                by: c.by.as_deref().unwrap_or(""),
                reason: c.reason.as_deref().unwrap_or(""),
                in_force: c.date <= as_of,
            })
            .collect(),
        timeline: r.fig.timelines[i]
            .iter()
            .rev()
            .map(|u| Entry {
                submitted: fmt_date(u.report.submitted),
                period: lang.period(u.report.period),
                report_url: v.route(&Route::Report(u.report.period)),
                agency: v.agency_full(&u.report.agency),
                agency_url: v.agency_url(&u.report.agency),
                from_lead: u.from_lead,
                state: u.update.state.code(),
                state_label: v.t.get(&format!("state_{}", u.update.state.code())),
                progress: u
                    .update
                    .progress
                    .map(|p| format!("{}%", lang.percent(p)))
                    .unwrap_or_default(),
                done_on: u.update.done_on.map(fmt_date).unwrap_or_default(),
                note: u
                    .update
                    .note
                    .as_deref()
                    .map(markdown::to_html)
                    .unwrap_or_default(),
                evidence: u
                    .update
                    .evidence
                    .as_deref()
                    .map(|e| v.site_link(e))
                    .unwrap_or_default(),
            })
            .collect(),
        periods: r
            .fig
            .recurring
            .get(&i)
            .map(|list| {
                list.iter()
                    .rev()
                    .map(|(p, o)| PeriodView {
                        period: lang.period(*p),
                        url: v.route(&Route::Report(*p)),
                        outcome: o.code(),
                        label: v.outcome_label(*o),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        kpis: r
            .model
            .kpis
            .iter()
            .enumerate()
            .filter(|(_, k)| t.kpis.contains(&k.id) || k.tasks.contains(&t.id))
            .map(|(k, _)| v.kpi_row(k))
            .collect(),
        news: articles_about(r, &v, lang, &t.id),
        tags: t.tags.iter().map(String::as_str).collect(),
        cite: v
            .t
            .get("cite_task")
            .replace("{title}", title)
            .replace(
                "{site}",
                lang.pick(&r.model.site().title, r.model.site().title_en.as_deref()),
            )
            .replace("{date}", &fmt_date(as_of))
            .replace("{url}", &canonical),
    };
    r.render_template(lang, "task.html", &ctx, d)
}

fn agencies(r: &Renderer, lang: Lang, job: &Job, d: &mut Diagnostics) -> Option<Vec<u8>> {
    #[derive(Serialize)]
    struct GroupView<'a> {
        url: String,
        name: &'a str,
        leader: &'a str,
        rollup: views::RollupView,
    }
    #[derive(Serialize)]
    struct Page<'a> {
        #[serde(flatten)]
        common: Common<'a>,
        active: Vec<views::AgencyRow<'a>>,
        former: Vec<views::AgencyRow<'a>>,
        groups: Vec<GroupView<'a>>,
        chart: Option<views::ChartView>,
        mix: MixTable,
    }
    let v = r.views(lang);
    let (former, active): (Vec<_>, Vec<_>) = r
        .model
        .agencies
        .iter()
        .partition(|a| a.succession.as_ref().is_some_and(|s| s.date <= r.fig.as_of));
    let ctx = Page {
        common: r.common(
            lang,
            job,
            "agencies",
            v.t.get("agencies_title").to_string(),
            v.t.get("agencies_description").to_string(),
        ),
        active: active.into_iter().map(|a| v.agency_row(a)).collect(),
        former: former.into_iter().map(|a| v.agency_row(a)).collect(),
        groups: r
            .model
            .groups
            .iter()
            .map(|g| GroupView {
                url: v.route(&Route::Group(&g.id)),
                name: lang.pick(&g.name, g.name_en.as_deref()),
                leader: lang.pick(g.leader.as_deref().unwrap_or(""), g.leader_en.as_deref()),
                rollup: v.rollup(
                    r.fig.groups.get(&g.id).unwrap_or(&Default::default()),
                    false,
                ),
            })
            .collect(),
        chart: r.chart(lang, &Route::Chart(SiteChart::Agencies)),
        mix: mix_table(
            &v,
            lang,
            &r.model
                .agencies
                .iter()
                .map(|a| a.id.as_str())
                .collect::<Vec<_>>(),
        ),
    };
    r.render_template(lang, "agencies.html", &ctx, d)
}

fn agency(r: &Renderer, lang: Lang, job: &Job, i: usize, d: &mut Diagnostics) -> Option<Vec<u8>> {
    #[derive(Serialize)]
    struct Page<'a> {
        #[serde(flatten)]
        common: Common<'a>,
        agency: views::AgencyRow<'a>,
        url: String,
        group_url: String,
        successor: Option<Link>,
        predecessors: Vec<Link>,
        rollup: views::RollupView,
        leads: Vec<TaskRow<'a>>,
        supports: Vec<TaskRow<'a>>,
        handed_over: Vec<TaskRow<'a>>,
        duties: Vec<views::DutyView>,
        kpis: Vec<views::KpiRow<'a>>,
        on_time: usize,
        late: usize,
        missing: usize,
    }
    let v = r.views(lang);
    let a = &r.model.agencies[i];
    let empty = crate::status::AgencyFigures::default();
    let f = r.fig.agencies.get(&a.id).unwrap_or(&empty);
    let predecessors = r
        .model
        .agencies
        .iter()
        .filter(|p| {
            p.succession
                .as_ref()
                .is_some_and(|s| s.to.as_deref() == Some(a.id.as_str()))
        })
        .map(|p| {
            let date = p
                .succession
                .as_ref()
                .map(|s| fmt_date(s.date))
                .unwrap_or_default();
            Link {
                label: v
                    .t
                    .get("took_over_from")
                    .replace("{agency}", v.agency_name(p))
                    .replace("{date}", &date),
                url: v.agency_url(&p.id),
            }
        })
        .collect();
    // Tasks this agency once led that passed to a successor.
    let handed_over: Vec<usize> = (0..r.model.tasks.len())
        .filter(|&t| {
            r.model.tasks[t].lead.as_deref() == Some(a.id.as_str())
                && r.fig.tasks[t].lead_on.as_deref() != Some(a.id.as_str())
        })
        .collect();
    let mut duties: Vec<&crate::status::Duty> = f.duties.iter().collect();
    duties.sort_by_key(|x| std::cmp::Reverse(x.period));
    let name = v.agency_name(a);
    let ctx = Page {
        common: r.common(lang, job, "agencies", name.to_string(), String::new()),
        agency: v.agency_row(a),
        url: a.url.as_deref().map(|u| v.site_link(u)).unwrap_or_default(),
        group_url: a
            .group
            .as_ref()
            .map(|g| v.route(&Route::Group(g)))
            .unwrap_or_default(),
        successor: a
            .succession
            .as_ref()
            .and_then(|s| s.to.as_ref())
            .map(|to| Link {
                label: v.ended(a),
                url: v.agency_url(to),
            }),
        predecessors,
        rollup: v.rollup(&f.rollup, false),
        leads: v.rows(v.by_deadline(f.leads.clone())),
        supports: v.rows(v.by_deadline(f.supports.clone())),
        handed_over: v.rows(v.by_deadline(handed_over)),
        duties: duties.into_iter().map(|x| v.duty(x)).collect(),
        kpis: (0..r.model.kpis.len())
            .filter(|&k| r.fig.kpis[k].owner_on.as_deref() == Some(a.id.as_str()))
            .map(|k| v.kpi_row(k))
            .collect(),
        on_time: f.count(|o| *o == Outcome::OnTime),
        late: f.count(|o| matches!(o, Outcome::Late(_))),
        missing: f.count(|o| *o == Outcome::Missing),
    };
    r.render_template(lang, "agency.html", &ctx, d)
}

fn group(r: &Renderer, lang: Lang, job: &Job, i: usize, d: &mut Diagnostics) -> Option<Vec<u8>> {
    #[derive(Serialize)]
    struct Page<'a> {
        #[serde(flatten)]
        common: Common<'a>,
        name: &'a str,
        leader: &'a str,
        description: &'a str,
        rollup: views::RollupView,
        agencies: Vec<views::AgencyRow<'a>>,
        overdue: Vec<TaskRow<'a>>,
        tasks: Vec<TaskRow<'a>>,
        chart: Option<views::ChartView>,
        mix: MixTable,
    }
    let v = r.views(lang);
    let g = &r.model.groups[i];
    let ids: Vec<&str> = r
        .model
        .agencies
        .iter()
        .filter(|a| a.group.as_deref() == Some(g.id.as_str()))
        .map(|a| a.id.as_str())
        .collect();
    let empty = crate::status::Rollup::default();
    let rollup = r.fig.groups.get(&g.id).unwrap_or(&empty);
    let tasks: Vec<usize> = (0..r.model.tasks.len())
        .filter(|&t| {
            r.fig.tasks[t]
                .lead_on
                .as_deref()
                .and_then(|l| r.model.agency(l))
                .and_then(|a| a.group.as_deref())
                == Some(g.id.as_str())
        })
        .collect();
    let name = lang.pick(&g.name, g.name_en.as_deref());
    let ctx = Page {
        common: r.common(lang, job, "agencies", name.to_string(), String::new()),
        name,
        leader: lang.pick(g.leader.as_deref().unwrap_or(""), g.leader_en.as_deref()),
        description: g.description.as_deref().unwrap_or(""),
        rollup: v.rollup(rollup, false),
        agencies: r
            .model
            .agencies
            .iter()
            .filter(|a| {
                a.group.as_deref() == Some(g.id.as_str())
                    && a.succession.as_ref().is_none_or(|s| s.date > r.fig.as_of)
            })
            .map(|a| v.agency_row(a))
            .collect(),
        overdue: v.rows(rollup.overdue.iter().copied()),
        tasks: v.rows(v.by_deadline(tasks)),
        chart: r.chart(lang, &Route::GroupChart(&g.id)),
        mix: mix_table(&v, lang, &ids),
    };
    r.render_template(lang, "group.html", &ctx, d)
}

fn kpis(r: &Renderer, lang: Lang, job: &Job, d: &mut Diagnostics) -> Option<Vec<u8>> {
    #[derive(Serialize)]
    struct Page<'a> {
        #[serde(flatten)]
        common: Common<'a>,
        kpis: Vec<views::KpiRow<'a>>,
    }
    let v = r.views(lang);
    let ctx = Page {
        common: r.common(
            lang,
            job,
            "kpis",
            v.t.get("kpis_title").to_string(),
            v.t.get("kpis_description").to_string(),
        ),
        kpis: (0..r.model.kpis.len()).map(|k| v.kpi_row(k)).collect(),
    };
    r.render_template(lang, "kpis.html", &ctx, d)
}

fn kpi(r: &Renderer, lang: Lang, job: &Job, k: usize, d: &mut Diagnostics) -> Option<Vec<u8>> {
    #[derive(Serialize)]
    struct Point {
        date: String,
        date_iso: String,
        value: String,
        source: String,
        source_url: String,
        note: String,
    }
    #[derive(Serialize)]
    struct Page<'a> {
        #[serde(flatten)]
        common: Common<'a>,
        kpi: views::KpiRow<'a>,
        description: &'a str,
        points: Vec<Point>,
        projected: String,
        slope_month: String,
        tasks: Vec<TaskRow<'a>>,
        news: Vec<ArticleCard<'a>>,
        chart: Option<views::ChartView>,
    }
    let v = r.views(lang);
    let kpi = &r.model.kpis[k];
    let ks = &r.fig.kpis[k];
    let points = ks
        .points
        .iter()
        .rev()
        .map(|p| {
            let (source, source_url, note) = match p.report {
                Some(ri) => {
                    let rep = &r.model.reports[ri];
                    let note = rep
                        .kpi_values
                        .iter()
                        .find(|x| x.kpi == kpi.id && x.date == p.date)
                        .and_then(|x| x.note.clone())
                        .unwrap_or_default();
                    (
                        v.t.get("kpi_source_report")
                            .replace("{agency}", v.agency_short(&rep.agency))
                            .replace("{period}", &lang.period(rep.period)),
                        v.route(&Route::Report(rep.period)),
                        note,
                    )
                }
                None => (
                    v.t.get("kpi_baseline").to_string(),
                    String::new(),
                    String::new(),
                ),
            };
            Point {
                date: fmt_date(p.date),
                date_iso: p.date.to_string(),
                value: v.value(kpi, p.value),
                source,
                source_url,
                note,
            }
        })
        .collect();
    let tasks: Vec<usize> = (0..r.model.tasks.len())
        .filter(|&t| {
            kpi.tasks.contains(&r.model.tasks[t].id) || r.model.tasks[t].kpis.contains(&kpi.id)
        })
        .collect();
    let name = v.kpi_name(kpi);
    let ctx = Page {
        common: r.common(lang, job, "kpis", name.to_string(), String::new()),
        kpi: v.kpi_row(k),
        description: kpi.description.as_deref().unwrap_or(""),
        points,
        projected: ks
            .trend
            .map(|t| v.value(kpi, t.projected))
            .unwrap_or_default(),
        slope_month: ks
            .trend
            .map(|t| v.value(kpi, t.slope * 30.0))
            .unwrap_or_default(),
        tasks: v.rows(v.by_deadline(tasks)),
        news: articles_about(r, &v, lang, &kpi.id),
        chart: r.chart(lang, &Route::KpiChart(&kpi.id)),
    };
    r.render_template(lang, "kpi.html", &ctx, d)
}

#[derive(Serialize)]
struct MonthSummary {
    key: String,
    label: String,
    url: String,
    due: String,
    judged: bool,
    owed: usize,
    on_time: usize,
    late: usize,
    missing: usize,
    finished: usize,
}

fn month_summary(r: &Renderer, v: &Views, lang: Lang, p: Period) -> MonthSummary {
    let duties = r.fig.months.get(&p).map(Vec::as_slice).unwrap_or(&[]);
    let count = |f: fn(&Outcome) -> bool| duties.iter().filter(|x| f(&x.outcome)).count();
    MonthSummary {
        key: p.key(),
        label: lang.period(p),
        url: v.route(&Route::Report(p)),
        due: fmt_date(p.report_day(r.model.site().report_day)),
        judged: r.fig.months.contains_key(&p),
        owed: duties.len(),
        on_time: count(|o| *o == Outcome::OnTime),
        late: count(|o| matches!(o, Outcome::Late(_))),
        missing: count(|o| *o == Outcome::Missing),
        finished: r.fig.changes.get(&p).map_or(0, |c| c.finished.len()),
    }
}

fn reports(r: &Renderer, lang: Lang, job: &Job, d: &mut Diagnostics) -> Option<Vec<u8>> {
    #[derive(Serialize)]
    struct Page<'a> {
        #[serde(flatten)]
        common: Common<'a>,
        months: Vec<MonthSummary>,
        report_day: u32,
    }
    let v = r.views(lang);
    let periods: Vec<Period> = r.fig.report_months.iter().rev().copied().collect();
    let ctx = Page {
        common: r.common(
            lang,
            job,
            "reports",
            v.t.get("reports_title").to_string(),
            v.t.get("reports_description").to_string(),
        ),
        months: periods
            .into_iter()
            .map(|p| month_summary(r, &v, lang, p))
            .collect(),
        report_day: r.model.site().report_day,
    };
    r.render_template(lang, "reports.html", &ctx, d)
}

fn report(r: &Renderer, lang: Lang, job: &Job, p: Period, d: &mut Diagnostics) -> Option<Vec<u8>> {
    #[derive(Serialize)]
    struct UpdateView<'a> {
        task: &'a str,
        task_url: String,
        reference: &'a str,
        state: &'static str,
        state_label: &'a str,
        progress: String,
        done_on: String,
        note: String,
        evidence: String,
    }
    #[derive(Serialize)]
    struct KpiValueView {
        kpi: String,
        url: String,
        date: String,
        value: String,
    }
    #[derive(Serialize)]
    struct ReportView<'a> {
        agency: &'a str,
        agency_url: String,
        anchor: &'a str,
        submitted: String,
        summary: &'a str,
        owed: bool,
        outcome: &'static str,
        outcome_label: String,
        updates: Vec<UpdateView<'a>>,
        kpi_values: Vec<KpiValueView>,
    }
    #[derive(Serialize)]
    struct Extension<'a> {
        task: TaskRow<'a>,
        to: String,
        by: &'a str,
        date: String,
    }
    #[derive(Serialize)]
    struct Move {
        kpi: String,
        url: String,
        before: String,
        after: String,
    }
    #[derive(Serialize)]
    struct Page<'a> {
        #[serde(flatten)]
        common: Common<'a>,
        month: MonthSummary,
        duties: Vec<views::DutyView>,
        reports: Vec<ReportView<'a>>,
        finished: Vec<TaskRow<'a>>,
        became_overdue: Vec<TaskRow<'a>>,
        extended: Vec<Extension<'a>>,
        blocked: Vec<TaskRow<'a>>,
        kpi_moves: Vec<Move>,
        prev: Option<Link>,
        next: Option<Link>,
    }
    let v = r.views(lang);
    let duties = r.fig.months.get(&p).map(Vec::as_slice).unwrap_or(&[]);
    let reports = r
        .fig
        .reports_known
        .get(&p)
        .into_iter()
        .flatten()
        .map(|&ri| &r.model.reports[ri])
        .map(|rep| {
            let duty = duties.iter().find(|x| x.agency == rep.agency);
            ReportView {
                agency: v.agency_full(&rep.agency),
                agency_url: v.agency_url(&rep.agency),
                anchor: &rep.agency,
                submitted: fmt_date(rep.submitted),
                summary: rep.summary.as_deref().unwrap_or(""),
                owed: duty.is_some(),
                outcome: duty.map_or("", |x| x.outcome.code()),
                outcome_label: duty
                    .map(|x| v.outcome_label(x.outcome))
                    .unwrap_or_else(|| v.t.get("report_not_owed").to_string()),
                updates: rep
                    .updates
                    .iter()
                    .filter_map(|u| r.model.task(&u.task).map(|t| (u, t)))
                    .map(|(u, t)| UpdateView {
                        task: v.task_title(t),
                        task_url: v.task_url(&t.id),
                        reference: t.reference.as_deref().unwrap_or(""),
                        state: u.state.code(),
                        state_label: v.t.get(&format!("state_{}", u.state.code())),
                        progress: u
                            .progress
                            .map(|x| format!("{}%", lang.percent(x)))
                            .unwrap_or_default(),
                        done_on: if u.state == TaskState::Done {
                            u.done_on.map(fmt_date).unwrap_or_default()
                        } else {
                            String::new()
                        },
                        note: u.note.as_deref().map(markdown::to_html).unwrap_or_default(),
                        evidence: u
                            .evidence
                            .as_deref()
                            .map(|e| v.site_link(e))
                            .unwrap_or_default(),
                    })
                    .collect(),
                kpi_values: rep
                    .kpi_values
                    .iter()
                    .filter_map(|kv| r.model.kpi(&kv.kpi).map(|k| (kv, k)))
                    .map(|(kv, k)| KpiValueView {
                        kpi: v.kpi_name(k).to_string(),
                        url: v.kpi_url(&k.id),
                        date: fmt_date(kv.date),
                        value: v.value(k, kv.value),
                    })
                    .collect(),
            }
        })
        .collect();
    let changes = r.fig.changes.get(&p).cloned().unwrap_or_default();
    let all: Vec<Period> = r.fig.report_months.iter().copied().collect();
    let pos = all.iter().position(|x| *x == p);
    let link = |q: Option<&Period>| {
        q.map(|q| Link {
            label: lang.period(*q),
            url: v.route(&Route::Report(*q)),
        })
    };
    let month = month_summary(r, &v, lang, p);
    let ctx = Page {
        common: r.common(
            lang,
            job,
            "reports",
            v.t.get("report_month_title")
                .replace("{period}", &month.label),
            String::new(),
        ),
        month,
        duties: duties.iter().map(|x| v.duty(x)).collect(),
        reports,
        finished: v.rows(changes.finished.iter().copied()),
        became_overdue: v.rows(changes.became_overdue.iter().copied()),
        extended: changes
            .extended
            .iter()
            .map(|&(t, c)| {
                let ch = &r.model.tasks[t].deadline_changes[c];
                Extension {
                    task: v.row(t),
                    to: lang.deadline(&ch.to),
                    by: ch.by.as_deref().unwrap_or(""),
                    date: fmt_date(ch.date),
                }
            })
            .collect(),
        blocked: v.rows(changes.blocked.iter().copied()),
        kpi_moves: changes
            .kpi_moves
            .iter()
            .map(|&(k, before, after)| {
                let kpi = &r.model.kpis[k];
                Move {
                    kpi: v.kpi_name(kpi).to_string(),
                    url: v.kpi_url(&kpi.id),
                    before: before
                        .map(|b| v.value(kpi, b))
                        .unwrap_or_else(|| "—".into()),
                    after: v.value(kpi, after),
                }
            })
            .collect(),
        prev: pos
            .and_then(|i| i.checked_sub(1))
            .and_then(|i| link(all.get(i))),
        next: pos.and_then(|i| link(all.get(i + 1))),
    };
    r.render_template(lang, "report.html", &ctx, d)
}

fn deadlines(r: &Renderer, lang: Lang, job: &Job, d: &mut Diagnostics) -> Option<Vec<u8>> {
    #[derive(Serialize)]
    struct Month<'a> {
        key: String,
        label: String,
        rows: Vec<TaskRow<'a>>,
    }
    #[derive(Serialize)]
    struct Page<'a> {
        #[serde(flatten)]
        common: Common<'a>,
        months: Vec<Month<'a>>,
        undated: Vec<TaskRow<'a>>,
    }
    let v = r.views(lang);
    let mut by_month: BTreeMap<Period, Vec<usize>> = BTreeMap::new();
    let mut undated = Vec::new();
    for (i, s) in r.fig.tasks.iter().enumerate() {
        match s.deadline.and_then(|x| x.date()) {
            Some(date) => by_month.entry(Period::of(date)).or_default().push(i),
            None => undated.push(i),
        }
    }
    let ctx = Page {
        common: r.common(
            lang,
            job,
            "deadlines",
            v.t.get("deadlines_title").to_string(),
            v.t.get("deadlines_description").to_string(),
        ),
        months: by_month
            .into_iter()
            .map(|(p, list)| Month {
                key: p.key(),
                label: lang.period(p),
                rows: v.rows(v.by_deadline(list)),
            })
            .collect(),
        undated: v.rows(v.by_deadline(undated)),
    };
    r.render_template(lang, "deadlines.html", &ctx, d)
}

fn news(r: &Renderer, lang: Lang, job: &Job, n: usize, d: &mut Diagnostics) -> Option<Vec<u8>> {
    #[derive(Serialize)]
    struct Page<'a> {
        #[serde(flatten)]
        common: Common<'a>,
        articles: Vec<ArticleCard<'a>>,
        page: usize,
        pages: usize,
        prev: String,
        next: String,
    }
    let v = r.views(lang);
    let all: Vec<usize> = r.articles.get(&lang).cloned().unwrap_or_default();
    let pages = all.len().div_ceil(ARTICLES_PER_PAGE).max(1);
    let page_url = |k: usize| v.route(&Route::News(k));
    let ctx = Page {
        common: r.common(
            lang,
            job,
            "news",
            v.t.get("news_title").to_string(),
            String::new(),
        ),
        articles: all
            .iter()
            .skip(n * ARTICLES_PER_PAGE)
            .take(ARTICLES_PER_PAGE)
            .map(|&i| card(r, &v, &r.model.articles[i]))
            .collect(),
        page: n + 1,
        pages,
        prev: if n > 0 {
            page_url(n - 1)
        } else {
            String::new()
        },
        next: if n + 1 < pages {
            page_url(n + 1)
        } else {
            String::new()
        },
    };
    r.render_template(lang, "news.html", &ctx, d)
}

fn article(r: &Renderer, lang: Lang, job: &Job, i: usize, d: &mut Diagnostics) -> Option<Vec<u8>> {
    #[derive(Serialize)]
    struct Page<'a> {
        #[serde(flatten)]
        common: Common<'a>,
        article: ArticleCard<'a>,
        author: &'a str,
        image: String,
        image_alt: &'a str,
        body: markdown::Rendered,
        show_toc: bool,
        tasks: Vec<TaskRow<'a>>,
        kpis: Vec<views::KpiRow<'a>>,
    }
    let v = r.views(lang);
    let a = &r.model.articles[i];
    let body = markdown::render(&a.body);
    let image = a.image.as_deref().map(|img| {
        if img.starts_with('/') {
            format!("{}{}", r.base, img.trim_start_matches('/'))
        } else {
            img.to_string()
        }
    });
    let ctx = Page {
        common: r.common(
            lang,
            job,
            "news",
            a.title.clone(),
            a.summary.clone().unwrap_or_default(),
        ),
        article: card(r, &v, a),
        author: a.author.as_deref().unwrap_or(""),
        image: image.unwrap_or_default(),
        image_alt: a.image_alt.as_deref().unwrap_or(""),
        show_toc: body.toc.len() >= 3,
        body,
        tasks: v.rows(a.tasks.iter().filter_map(|t| r.model.task_index(t))),
        kpis: (0..r.model.kpis.len())
            .filter(|&k| a.kpis.contains(&r.model.kpis[k].id))
            .map(|k| v.kpi_row(k))
            .collect(),
    };
    r.render_template(lang, "article.html", &ctx, d)
}

fn tag(r: &Renderer, lang: Lang, job: &Job, tag: &str, d: &mut Diagnostics) -> Option<Vec<u8>> {
    #[derive(Serialize)]
    struct Page<'a> {
        #[serde(flatten)]
        common: Common<'a>,
        tag: &'a str,
        articles: Vec<ArticleCard<'a>>,
        tasks: Vec<TaskRow<'a>>,
    }
    let v = r.views(lang);
    let slug = r.tags.get(tag).map_or("", String::as_str);
    let tasks: Vec<usize> = r.tagged_tasks.get(slug).cloned().unwrap_or_default();
    let ctx = Page {
        common: r.common(
            lang,
            job,
            "news",
            v.t.get("tag_title").replace("{tag}", tag),
            String::new(),
        ),
        tag,
        articles: related_articles(r, &v, lang, |a| a.tags.iter().any(|x| x == tag)),
        tasks: v.rows(v.by_deadline(tasks)),
    };
    r.render_template(lang, "tag.html", &ctx, d)
}

fn page(r: &Renderer, lang: Lang, job: &Job, i: usize, d: &mut Diagnostics) -> Option<Vec<u8>> {
    #[derive(Serialize)]
    struct View<'a> {
        #[serde(flatten)]
        common: Common<'a>,
        title: &'a str,
        body: markdown::Rendered,
        show_toc: bool,
    }
    let p = &r.model.pages[i];
    let body = markdown::render(&p.body);
    let ctx = View {
        common: r.common(
            lang,
            job,
            &p.slug,
            p.title.clone(),
            p.description.clone().unwrap_or_default(),
        ),
        title: &p.title,
        show_toc: body.toc.len() >= 3,
        body,
    };
    r.render_template(lang, "page.html", &ctx, d)
}

fn not_found(r: &Renderer, lang: Lang, job: &Job, d: &mut Diagnostics) -> Option<Vec<u8>> {
    #[derive(Serialize)]
    struct View<'a> {
        #[serde(flatten)]
        common: Common<'a>,
    }
    let v = r.views(lang);
    let ctx = View {
        common: r.common(
            lang,
            job,
            "",
            v.t.get("not_found_title").to_string(),
            String::new(),
        ),
    };
    r.render_template(lang, "404.html", &ctx, d)
}

fn open_data(r: &Renderer, lang: Lang, job: &Job, d: &mut Diagnostics) -> Option<Vec<u8>> {
    #[derive(Serialize)]
    struct ColumnView {
        name: &'static str,
        kind: &'static str,
        meaning: &'static str,
    }
    #[derive(Serialize)]
    struct TableView {
        name: &'static str,
        title: &'static str,
        rows: usize,
        csv: String,
        json: String,
        columns: Vec<ColumnView>,
    }
    #[derive(Serialize)]
    struct Page<'a> {
        #[serde(flatten)]
        common: Common<'a>,
        tables: Vec<TableView>,
        datapackage: String,
        ics: String,
        feed: String,
    }
    let v = r.views(lang);
    let root = &r.base;
    let ctx = Page {
        common: r.common(
            lang,
            job,
            "data",
            v.t.get("data_title").to_string(),
            v.t.get("data_description").to_string(),
        ),
        tables: r
            .tables
            .iter()
            .map(|t| TableView {
                name: t.name,
                title: match lang {
                    Lang::Vi => t.title_vi,
                    Lang::En => t.title_en,
                },
                rows: t.rows.len(),
                csv: format!("{root}du-lieu/{}.csv", t.name),
                json: format!("{root}du-lieu/{}.json", t.name),
                columns: t
                    .columns
                    .iter()
                    .map(|c| ColumnView {
                        name: c.name,
                        kind: c.kind,
                        meaning: match lang {
                            Lang::Vi => c.vi,
                            Lang::En => c.en,
                        },
                    })
                    .collect(),
            })
            .collect(),
        datapackage: format!("{root}du-lieu/datapackage.json"),
        ics: format!("{root}han-chot.ics"),
        feed: v.route(&Route::ChangesFeed),
    };
    r.render_template(lang, "data.html", &ctx, d)
}

fn search(r: &Renderer, lang: Lang, job: &Job, d: &mut Diagnostics) -> Option<Vec<u8>> {
    #[derive(Serialize)]
    struct Page<'a> {
        #[serde(flatten)]
        common: Common<'a>,
        index: String,
    }
    let v = r.views(lang);
    let ctx = Page {
        common: r.common(
            lang,
            job,
            "search",
            v.t.get("search_title").to_string(),
            v.t.get("search_description").to_string(),
        ),
        index: v.route(&Route::SearchIndex),
    };
    r.render_template(lang, "search.html", &ctx, d)
}
