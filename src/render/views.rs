//! Template contexts: small serializable views made for the templates, never
//! the domain types themselves, so what a page may show is explicit.

use super::i18n::{Lang, Strings};
use crate::date::fmt_date;
use crate::model::{Agency, Kpi, Model, Task};
use crate::route::Route;
use crate::status::{Figures, KpiStatus, Outcome, Rollup, Status, TaskStatus, Verdict};
use serde::Serialize;

/// How a status is drawn: text, icon and colour, everywhere the same.
#[derive(Serialize, Clone)]
pub struct StatusView {
    pub code: &'static str,
    pub label: &'static str,
    pub icon: &'static str,
    pub rank: usize,
}

pub fn icon(s: Status) -> &'static str {
    match s {
        Status::DoneOnTime => "✓",
        Status::DoneLate => "✓",
        Status::Ongoing => "↻",
        Status::Overdue => "!",
        Status::DueSoon => "◷",
        Status::Blocked => "⊘",
        Status::InProgress => "►",
        Status::NotStarted => "○",
    }
}

pub fn status_view(s: Status, lang: Lang) -> StatusView {
    StatusView {
        code: s.code(),
        label: lang.status(s),
        icon: icon(s),
        rank: s.index(),
    }
}

#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub owner: &'a str,
    pub contact: &'a str,
    pub sample_data: bool,
    pub data_license: &'a str,
}

#[derive(Serialize)]
pub struct Alternate {
    pub code: &'static str,
    pub label: String,
    pub url: String,
    /// With scheme and host, for `<link rel="alternate">`.
    pub full_url: String,
}

#[derive(Serialize, Clone)]
pub struct Link {
    pub label: String,
    pub url: String,
}

/// What every page template receives.
#[derive(Serialize)]
pub struct Common<'a> {
    pub site: SiteView<'a>,
    pub lang: &'static str,
    /// The site root path (for assets), with slashes at both ends.
    pub base: &'a str,
    /// The language's root path: `base`, or `base` + `en/`.
    pub home: String,
    pub as_of: String,
    pub as_of_iso: String,
    /// The section the page belongs to, for `aria-current` in the menu.
    pub section: &'a str,
    pub menu: Vec<Link>,
    /// The same page in the other languages.
    pub alternates: Vec<Alternate>,
    pub canonical: String,
    /// The methodology page, when the site has one.
    pub method_url: String,
    pub page_title: String,
    pub page_description: String,
    /// The URLs of the sections and assets every page may link to.
    pub nav: Nav,
}

/// The sections' URLs in one language, and the theme's assets, from the
/// route table: templates link through these, never by writing a path.
#[derive(Serialize)]
pub struct Nav {
    pub tasks: String,
    pub agencies: String,
    pub kpis: String,
    pub reports: String,
    pub archive: String,
    pub deadlines: String,
    pub news: String,
    pub data: String,
    pub search: String,
    pub news_feed: String,
    pub changes_feed: String,
    pub asset_style: String,
    pub asset_tiendo: String,
    pub asset_favicon: String,
}

impl Nav {
    /// `home` is the language root; `base` the site root (assets are
    /// shared by every language).
    pub fn new(home: &str, base: &str) -> Nav {
        let at = |r: Route| format!("{home}{}", r.path());
        let asset = |name| format!("{base}{}", Route::Asset(name).path());
        Nav {
            tasks: at(Route::Tasks),
            agencies: at(Route::Agencies),
            kpis: at(Route::Kpis),
            reports: at(Route::Reports),
            archive: at(Route::Archive),
            deadlines: at(Route::Deadlines),
            news: at(Route::News(0)),
            data: at(Route::Data),
            search: at(Route::Search),
            news_feed: at(Route::NewsFeed),
            changes_feed: at(Route::ChangesFeed),
            asset_style: asset("style.css"),
            asset_tiendo: asset("tiendo.js"),
            asset_favicon: asset("favicon.svg"),
        }
    }
}

#[derive(Serialize)]
pub struct TaskRow<'a> {
    pub id: &'a str,
    pub url: String,
    pub reference: &'a str,
    pub title: &'a str,
    pub lead_id: &'a str,
    pub lead: &'a str,
    pub lead_url: String,
    pub group_id: &'a str,
    pub deadline: String,
    /// Sorts dated deadlines first, then recurring, then none.
    pub deadline_sort: String,
    pub extended: bool,
    pub status: StatusView,
    pub progress: String,
    pub days_late: i64,
    pub days_label: String,
}

#[derive(Serialize)]
pub struct CountView {
    pub status: StatusView,
    pub count: usize,
    pub url: String,
}

#[derive(Serialize)]
pub struct RollupView {
    pub total: usize,
    pub done: usize,
    pub share_done: String,
    pub on_time_rate: String,
    pub avg_progress: String,
    pub overdue: usize,
    /// Open tasks not updated (lead missed its latest owed report).
    pub stale: usize,
    pub counts: Vec<CountView>,
}

#[derive(Serialize)]
pub struct AgencyRow<'a> {
    pub id: &'a str,
    pub url: String,
    pub name: &'a str,
    pub short: &'a str,
    pub kind: &'a str,
    pub group: &'a str,
    pub total: usize,
    pub done: usize,
    pub overdue: usize,
    pub on_time_rate: String,
    pub compliance: String,
    pub missing: usize,
    pub ended: String,
}

#[derive(Serialize)]
pub struct KpiRow<'a> {
    pub id: &'a str,
    pub url: String,
    pub reference: &'a str,
    pub name: &'a str,
    pub unit: &'a str,
    pub target: String,
    pub baseline: String,
    pub latest: String,
    pub latest_date: String,
    pub gap: String,
    pub reached: bool,
    pub verdict: &'static str,
    pub verdict_label: String,
    pub deadline: String,
    pub owner: &'a str,
    pub owner_url: String,
    pub direction: &'static str,
}

/// A chart as a page shows it (an image with its description as alt
/// text) and as others embed it.
#[derive(Serialize, Clone)]
pub struct ChartView {
    pub url: String,
    pub title: String,
    pub desc: String,
    pub width: u32,
    pub height: u32,
    pub embed: String,
}

#[derive(Serialize)]
pub struct DutyView {
    pub agency: String,
    pub agency_url: String,
    pub period: String,
    pub period_url: String,
    pub due: String,
    pub outcome: &'static str,
    pub label: String,
    pub submitted: String,
}

/// Helpers shared by page builders: names, URLs and rows in one language.
pub struct Views<'a> {
    pub model: &'a Model,
    pub fig: &'a Figures<'a>,
    pub lang: Lang,
    pub t: &'a Strings,
    /// The language's root path.
    pub home: String,
}

impl<'a> Views<'a> {
    /// The URL of a route in this language, from the site root.
    pub fn route(&self, r: &Route) -> String {
        format!("{}{}", self.home, r.path())
    }

    /// A link an editor wrote: a path on this site (`/tin-tuc/a/`) gets the
    /// base path; anything else is kept.
    pub fn site_link(&self, link: &str) -> String {
        match link.strip_prefix('/') {
            Some(rest) if !rest.starts_with('/') => format!("{}{rest}", self.base()),
            _ => link.to_string(),
        }
    }

    /// The site root path (the language root without its prefix).
    fn base(&self) -> &str {
        self.home
            .strip_suffix(self.lang.prefix())
            .unwrap_or(&self.home)
    }

    pub fn task_url(&self, id: &str) -> String {
        self.route(&Route::Task(id))
    }

    pub fn agency_url(&self, id: &str) -> String {
        self.route(&Route::Agency(id))
    }

    pub fn kpi_url(&self, id: &str) -> String {
        self.route(&Route::Kpi(id))
    }

    pub fn agency_name(&self, a: &'a Agency) -> &'a str {
        self.lang.pick(&a.name, a.name_en.as_deref())
    }

    pub fn agency_full(&self, id: &str) -> &'a str {
        self.model.agency(id).map_or("", |a| self.agency_name(a))
    }

    pub fn agency_short(&self, id: &str) -> &'a str {
        self.model.agency(id).map_or("", |a| match self.lang {
            Lang::Vi => a.short_name(),
            Lang::En => a.name_en.as_deref().unwrap_or(a.short_name()),
        })
    }

    pub fn task_title(&self, t: &'a Task) -> &'a str {
        self.lang.pick(&t.title, t.title_en.as_deref())
    }

    pub fn kpi_name(&self, k: &'a Kpi) -> &'a str {
        self.lang.pick(&k.name, k.name_en.as_deref())
    }

    pub fn percent(&self, p: f64) -> String {
        self.lang.percent(p)
    }

    pub fn rate(&self, r: Option<f64>) -> String {
        r.map(|r| format!("{}%", self.percent(r * 100.0)))
            .unwrap_or_else(|| "—".to_string())
    }

    /// A KPI value with its unit: `78,5%`, `2 trung tâm`.
    pub fn value(&self, k: &Kpi, v: f64) -> String {
        let n = self.lang.number(v);
        if k.unit == "%" {
            format!("{n}%")
        } else {
            format!("{n} {}", k.unit)
        }
    }

    pub fn progress(&self, s: &TaskStatus) -> String {
        if s.status == Status::Ongoing && s.progress == 0.0 {
            "—".to_string()
        } else {
            format!("{}%", self.percent(s.progress))
        }
    }

    pub fn days_label(&self, s: &TaskStatus) -> String {
        match (s.status, s.days_late, s.days_left) {
            (Status::Overdue, Some(n), _) => self.t.with("overdue_days", n),
            (Status::DoneLate, Some(n), _) => self.t.with("done_late_days", n),
            (Status::DueSoon, _, Some(0)) => self.t.get("due_today").to_string(),
            (Status::DueSoon, _, Some(n)) => self.t.with("days_left", n),
            _ => String::new(),
        }
    }

    pub fn outcome_label(&self, o: Outcome) -> String {
        match o {
            Outcome::OnTime => self.t.get("report_on_time").to_string(),
            Outcome::Late(n) => self.t.with("report_late_days", n),
            Outcome::Missing => self.t.get("report_missing").to_string(),
        }
    }

    pub fn verdict_label(&self, v: Verdict) -> String {
        self.t.get(&format!("verdict_{}", v.code())).to_string()
    }

    pub fn deadline_label(&self, s: &TaskStatus) -> String {
        s.deadline.map_or_else(
            || self.t.get("no_deadline").to_string(),
            |d| self.lang.deadline(&d),
        )
    }

    pub fn row(&self, i: usize) -> TaskRow<'a> {
        let t: &'a Task = &self.model.tasks[i];
        let s: &'a TaskStatus = &self.fig.tasks[i];
        let lead = s.lead_on.as_deref().and_then(|l| self.model.agency(l));
        TaskRow {
            id: &t.id,
            url: self.task_url(&t.id),
            reference: t.reference.as_deref().unwrap_or(""),
            title: self.task_title(t),
            lead_id: lead.map_or("", |a| a.id.as_str()),
            lead: lead.map_or("", |a| match self.lang {
                Lang::Vi => a.short_name(),
                Lang::En => a.name_en.as_deref().unwrap_or(a.short_name()),
            }),
            lead_url: lead.map(|a| self.agency_url(&a.id)).unwrap_or_default(),
            group_id: lead.and_then(|a| a.group.as_deref()).unwrap_or(""),
            deadline: self.deadline_label(s),
            deadline_sort: deadline_sort(s),
            extended: s.extensions > 0,
            status: status_view(s.status, self.lang),
            progress: self.progress(s),
            days_late: s.days_late.unwrap_or(0),
            days_label: self.days_label(s),
        }
    }

    pub fn rows(&self, list: impl IntoIterator<Item = usize>) -> Vec<TaskRow<'a>> {
        list.into_iter().map(|i| self.row(i)).collect()
    }

    /// Task indices in deadline-table order.
    pub fn by_deadline(&self, mut list: Vec<usize>) -> Vec<usize> {
        list.sort_by(|&a, &b| {
            deadline_sort(&self.fig.tasks[a])
                .cmp(&deadline_sort(&self.fig.tasks[b]))
                .then_with(|| self.model.tasks[a].id.cmp(&self.model.tasks[b].id))
        });
        list
    }

    /// A roll-up; `status_views` links each count to its status view.
    pub fn rollup(&self, r: &Rollup, status_views: bool) -> RollupView {
        RollupView {
            total: r.total,
            done: r.done,
            share_done: self.percent(r.share_done() * 100.0),
            on_time_rate: self.rate(r.on_time_rate),
            avg_progress: r
                .avg_progress
                .map(|p| format!("{}%", self.percent(p)))
                .unwrap_or_else(|| "—".into()),
            overdue: r.count(Status::Overdue),
            stale: r.stale,
            counts: Status::ALL
                .iter()
                .map(|&s| CountView {
                    status: status_view(s, self.lang),
                    count: r.count(s),
                    url: if status_views {
                        self.route(&Route::StatusView(s.code()))
                    } else {
                        String::new()
                    },
                })
                .collect(),
        }
    }

    pub fn ended(&self, a: &Agency) -> String {
        let Some(s) = &a.succession else {
            return String::new();
        };
        let date = fmt_date(s.date);
        match &s.to {
            Some(to) => self
                .t
                .get(match s.kind {
                    crate::model::SuccessionKind::Renamed => "renamed_to",
                    _ => "merged_into",
                })
                .replace("{agency}", self.agency_full(to))
                .replace("{date}", &date),
            None => self.t.get("dissolved_on").replace("{date}", &date),
        }
    }

    pub fn agency_row(&self, a: &'a Agency) -> AgencyRow<'a> {
        let f = self.fig.agencies.get(&a.id);
        AgencyRow {
            id: &a.id,
            url: self.agency_url(&a.id),
            name: self.agency_name(a),
            short: a.short.as_deref().unwrap_or(""),
            kind: match self.lang {
                Lang::Vi => a.kind.label_vi(),
                Lang::En => a.kind.code(),
            },
            group: a
                .group
                .as_deref()
                .and_then(|g| self.model.group(g))
                .map_or("", |g| self.lang.pick(&g.name, g.name_en.as_deref())),
            total: f.map_or(0, |f| f.rollup.total),
            done: f.map_or(0, |f| f.rollup.done),
            overdue: f.map_or(0, |f| f.rollup.count(Status::Overdue)),
            on_time_rate: self.rate(f.and_then(|f| f.rollup.on_time_rate)),
            compliance: self.rate(f.and_then(|f| f.compliance)),
            missing: f.map_or(0, |f| f.count(|o| *o == Outcome::Missing)),
            ended: self.ended(a),
        }
    }

    pub fn kpi_row(&self, k: usize) -> KpiRow<'a> {
        let kpi: &'a Kpi = &self.model.kpis[k];
        let ks: &KpiStatus = &self.fig.kpis[k];
        let owner = ks.owner_on.as_deref().unwrap_or(&kpi.owner);
        let owner: &'a str = self
            .model
            .agency(owner)
            .map_or(kpi.owner.as_str(), |a| a.id.as_str());
        KpiRow {
            id: &kpi.id,
            url: self.kpi_url(&kpi.id),
            reference: kpi.reference.as_deref().unwrap_or(""),
            name: self.kpi_name(kpi),
            unit: &kpi.unit,
            target: self.value(kpi, kpi.target),
            baseline: kpi
                .baseline
                .map(|(_, v)| self.value(kpi, v))
                .unwrap_or_else(|| "—".into()),
            latest: ks
                .latest
                .as_ref()
                .map(|p| self.value(kpi, p.value))
                .unwrap_or_else(|| "—".into()),
            latest_date: ks
                .latest
                .as_ref()
                .map(|p| fmt_date(p.date))
                .unwrap_or_default(),
            gap: ks
                .gap
                .map(|g| self.value(kpi, g))
                .unwrap_or_else(|| "—".into()),
            reached: ks.reached,
            verdict: ks.verdict.code(),
            verdict_label: self.verdict_label(ks.verdict),
            deadline: self.lang.deadline(&kpi.deadline),
            owner: self.agency_short(owner),
            owner_url: self.agency_url(owner),
            direction: match kpi.direction {
                crate::model::Direction::Up => "up",
                crate::model::Direction::Down => "down",
            },
        }
    }

    pub fn duty(&self, d: &crate::status::Duty) -> DutyView {
        DutyView {
            agency: self.agency_full(&d.agency).to_string(),
            agency_url: self.agency_url(&d.agency),
            period: self.lang.period(d.period),
            period_url: self.route(&Route::Report(d.period)),
            due: fmt_date(d.due),
            outcome: d.outcome.code(),
            label: self.outcome_label(d.outcome),
            submitted: d
                .report
                .map(|r| fmt_date(self.model.reports[r].submitted))
                .unwrap_or_default(),
        }
    }
}

/// Sort key of the deadline table: dated deadlines first, earliest first;
/// then recurring; then tasks without a deadline.
pub fn deadline_sort(s: &TaskStatus) -> String {
    match s.deadline {
        Some(d) => match d.date() {
            Some(date) => date.to_string(),
            None => "9999-12-30".to_string(),
        },
        None => "9999-12-31".to_string(),
    }
}
