//! Stage 4, render: every page and asset of the portal, in memory. Pure.
//!
//! Input: the model, its figures as of D, and the theme's templates.
//! Output: [`RenderedSite`], a sorted list of (path, bytes) for the output
//! stage to write. Templates receive their own context types, never the
//! domain types, so that what a template may show is explicit.

pub mod markdown;

use crate::date::{Date, fmt_date};
use crate::diag::{Diagnostics, Loc};
use crate::model::{Model, Task};
use crate::status::{Figures, Status, TaskStatus};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Every file of the site, by path relative to the output folder.
#[derive(Debug, Default)]
pub struct RenderedSite {
    pub files: BTreeMap<String, Vec<u8>>,
}

/// Options that come from the command line rather than the content.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Overrides `base_url` of site.yaml.
    pub base_url: Option<String>,
}

/// The path part of a base URL, with a slash at both ends: links are
/// written from the site root so that the portal works under a sub-path.
pub fn base_path(base_url: &str) -> String {
    let rest = base_url
        .strip_prefix("https://")
        .or_else(|| base_url.strip_prefix("http://"))
        .map(|r| r.find('/').map_or("/", |i| &r[i..]))
        .unwrap_or(base_url);
    let trimmed = rest.trim_matches('/');
    if trimmed.is_empty() {
        "/".to_string()
    } else {
        format!("/{trimmed}/")
    }
}

/// How a status is drawn: text, icon and colour, everywhere the same.
#[derive(Serialize, Clone)]
struct StatusView {
    code: &'static str,
    slug: &'static str,
    label: &'static str,
    icon: &'static str,
    rule: &'static str,
}

fn icon(s: Status) -> &'static str {
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

fn status_view(s: Status) -> StatusView {
    StatusView {
        code: s.code(),
        slug: s.slug(),
        label: s.label_vi(),
        icon: icon(s),
        rule: s.rule_vi(),
    }
}

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    owner: &'a str,
    contact: &'a str,
    sample_data: bool,
}

#[derive(Serialize)]
struct MenuItem<'a> {
    title: &'a str,
    slug: &'a str,
}

/// What every page template receives.
#[derive(Serialize)]
struct Common<'a> {
    site: SiteView<'a>,
    base: &'a str,
    as_of: String,
    as_of_iso: String,
    /// The section the page belongs to, for `aria-current` in the menu.
    section: &'a str,
    menu: Vec<MenuItem<'a>>,
}

#[derive(Serialize)]
struct TaskRow<'a> {
    id: &'a str,
    reference: &'a str,
    title: &'a str,
    lead_id: &'a str,
    lead: &'a str,
    deadline: String,
    deadline_iso: String,
    extended: bool,
    status: StatusView,
    progress: String,
    days_late: i64,
    days_late_label: String,
}

#[derive(Serialize)]
struct CountView {
    status: StatusView,
    count: usize,
}

/// A percentage as Vietnamese write it: `80`, `78,5`.
pub fn fmt_percent(p: f64) -> String {
    let rounded = (p * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}").replace('.', ",")
    }
}

/// Progress as shown in tables: recurring tasks have none to show.
fn progress_label(s: &TaskStatus) -> String {
    if s.status == Status::Ongoing && s.progress == 0.0 {
        "—".to_string()
    } else {
        format!("{}%", fmt_percent(s.progress))
    }
}

fn days_label(s: &TaskStatus) -> String {
    match (s.status, s.days_late, s.days_left) {
        (Status::Overdue, Some(n), _) => format!("Quá hạn {n} ngày"),
        (Status::DoneLate, Some(n), _) => format!("Hoàn thành muộn {n} ngày"),
        (Status::DueSoon, _, Some(0)) => "Hạn chót là hôm nay".to_string(),
        (Status::DueSoon, _, Some(n)) => format!("Còn {n} ngày"),
        _ => String::new(),
    }
}

struct Renderer<'a> {
    model: &'a Model,
    figures: &'a Figures<'a>,
    tera: tera::Tera,
    base: String,
    base_url: String,
}

impl<'a> Renderer<'a> {
    fn common<'s>(&'s self, section: &'s str) -> Common<'s> {
        let site = self.model.site();
        let mut pages: Vec<&crate::model::Page> = self
            .model
            .pages
            .iter()
            .filter(|p| p.lang.is_none() && p.menu.is_some())
            .collect();
        pages.sort_by_key(|p| (p.menu, &p.slug));
        Common {
            site: SiteView {
                title: &site.title,
                description: site.description.as_deref().unwrap_or(""),
                owner: site.owner.as_deref().unwrap_or(""),
                contact: site.contact.as_deref().unwrap_or(""),
                sample_data: site.sample_data,
            },
            base: &self.base,
            as_of: fmt_date(self.figures.as_of),
            as_of_iso: self.figures.as_of.to_string(),
            section,
            menu: pages
                .iter()
                .map(|p| MenuItem {
                    title: &p.title,
                    slug: &p.slug,
                })
                .collect(),
        }
    }

    fn agency_name(&self, id: Option<&str>) -> &'a str {
        id.and_then(|i| self.model.agency(i))
            .map_or("", |a| a.short_name())
    }

    fn row(&self, i: usize) -> TaskRow<'a> {
        let t: &'a Task = &self.model.tasks[i];
        let s: &'a TaskStatus = &self.figures.tasks[i];
        TaskRow {
            id: &t.id,
            reference: t.reference.as_deref().unwrap_or(""),
            title: &t.title,
            lead_id: s.lead_on.as_deref().unwrap_or(""),
            lead: self.agency_name(s.lead_on.as_deref()),
            deadline: s
                .deadline
                .map_or_else(|| "Chưa xác định".to_string(), |d| d.label_vi()),
            deadline_iso: s.deadline.map(|d| d.code()).unwrap_or_default(),
            extended: s.extensions > 0,
            status: status_view(s.status),
            progress: progress_label(s),
            days_late: s.days_late.unwrap_or(0),
            days_late_label: days_label(s),
        }
    }

    fn counts(&self) -> Vec<CountView> {
        Status::ALL
            .iter()
            .map(|&s| CountView {
                status: status_view(s),
                count: self.figures.overall.count(s),
            })
            .collect()
    }

    fn render(
        &self,
        template: &str,
        ctx: &impl Serialize,
        diags: &mut Diagnostics,
    ) -> Option<Vec<u8>> {
        let ctx = match tera::Context::from_serialize(ctx) {
            Ok(c) => c,
            Err(e) => {
                diags.error(
                    Loc::file(&Arc::from(template)),
                    format!("cannot prepare the page data: {e}"),
                );
                return None;
            }
        };
        match self.tera.render(template, &ctx) {
            Ok(s) => Some(s.into_bytes()),
            Err(e) => {
                diags.error(
                    Loc::file(&Arc::from(format!("template {template}").as_str())),
                    template_error(&e),
                );
                None
            }
        }
    }

    fn home(&self, diags: &mut Diagnostics) -> Option<Vec<u8>> {
        #[derive(Serialize)]
        struct Home<'a> {
            #[serde(flatten)]
            common: Common<'a>,
            total: usize,
            done: usize,
            share_done: String,
            on_time_rate: String,
            avg_progress: String,
            counts: Vec<CountView>,
            overdue: Vec<TaskRow<'a>>,
            missing: Vec<MissingView<'a>>,
        }
        #[derive(Serialize)]
        struct MissingView<'a> {
            agency: &'a str,
            months: Vec<String>,
        }
        let o = &self.figures.overall;
        let ctx = Home {
            common: self.common("home"),
            total: o.total,
            done: o.done,
            share_done: fmt_percent(o.share_done() * 100.0),
            on_time_rate: o
                .on_time_rate
                .map(|r| fmt_percent(r * 100.0))
                .unwrap_or_default(),
            avg_progress: o.avg_progress.map(fmt_percent).unwrap_or_default(),
            missing: self
                .figures
                .missing_reports()
                .into_iter()
                .map(|(a, ps)| MissingView {
                    agency: self.agency_full(a),
                    months: ps
                        .iter()
                        .map(|p| format!("{:02}/{}", p.month, p.year))
                        .collect(),
                })
                .collect(),
            counts: self.counts(),
            overdue: self
                .figures
                .overall
                .overdue
                .iter()
                .map(|&i| self.row(i))
                .collect(),
        };
        self.render("index.html", &ctx, diags)
    }

    /// The deadline table of every task, or of one status.
    fn task_list(&self, only: Option<Status>, diags: &mut Diagnostics) -> Option<Vec<u8>> {
        #[derive(Serialize)]
        struct List<'a> {
            #[serde(flatten)]
            common: Common<'a>,
            heading: String,
            current: Option<&'static str>,
            total: usize,
            counts: Vec<CountView>,
            rows: Vec<TaskRow<'a>>,
        }
        let mut order: Vec<usize> = (0..self.model.tasks.len())
            .filter(|&i| only.is_none_or(|s| self.figures.tasks[i].status == s))
            .collect();
        if only == Some(Status::Overdue) {
            order = self.figures.overall.overdue.clone();
        } else {
            order.sort_by_key(|&i| deadline_key(&self.figures.tasks[i], &self.model.tasks[i]));
        }
        let heading = match only {
            None => "Bảng theo dõi nhiệm vụ".to_string(),
            Some(Status::Overdue) => "Nhiệm vụ quá hạn (quá hạn lâu nhất trước)".to_string(),
            Some(s) => format!("Nhiệm vụ: {}", s.label_vi().to_lowercase()),
        };
        let ctx = List {
            common: self.common("tasks"),
            heading,
            current: only.map(Status::code),
            total: self.model.tasks.len(),
            counts: self.counts(),
            rows: order.into_iter().map(|i| self.row(i)).collect(),
        };
        self.render("tasks.html", &ctx, diags)
    }

    fn task_page(&self, i: usize, diags: &mut Diagnostics) -> Option<Vec<u8>> {
        #[derive(Serialize)]
        struct TaskView<'a> {
            title: &'a str,
            reference: &'a str,
            result: &'a str,
            responsible: &'a str,
            incomplete: &'a str,
        }
        #[derive(Serialize)]
        struct PlanView<'a> {
            title: &'a str,
        }
        #[derive(Serialize)]
        struct ChangeView<'a> {
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
            agency: &'a str,
            from_lead: bool,
            state: &'static str,
            progress: String,
            done_on: String,
            note: String,
            evidence: &'a str,
        }
        #[derive(Serialize)]
        struct Page<'a> {
            #[serde(flatten)]
            common: Common<'a>,
            task: TaskView<'a>,
            plan: PlanView<'a>,
            status: StatusView,
            days_late_label: String,
            lead: String,
            support: Vec<&'a str>,
            description: String,
            deadline: String,
            original_deadline: String,
            progress: String,
            changes: Vec<ChangeView<'a>>,
            timeline: Vec<Entry<'a>>,
            periods: Vec<PeriodView>,
            url: String,
        }
        #[derive(Serialize)]
        struct PeriodView {
            period: String,
            outcome: &'static str,
            label: String,
        }
        let t = &self.model.tasks[i];
        let s = &self.figures.tasks[i];
        let as_of = self.figures.as_of;
        let lead = match (&t.lead, &s.lead_on) {
            (Some(orig), Some(now)) if orig != now => format!(
                "{} (tiếp nhận từ {})",
                self.agency_full(now),
                self.agency_full(orig)
            ),
            (_, Some(now)) => self.agency_full(now).to_string(),
            _ => String::new(),
        };
        let support = t
            .support
            .iter()
            .filter_map(|a| self.model.holder_on(a, as_of))
            .map(|a| self.agency_full(a))
            .collect();
        let original = if s.extensions > 0 {
            t.deadline.map(|d| d.label_vi()).unwrap_or_default()
        } else {
            String::new()
        };
        let ctx = Page {
            common: self.common("tasks"),
            task: TaskView {
                title: &t.title,
                reference: t.reference.as_deref().unwrap_or(""),
                result: t.result.as_deref().unwrap_or(""),
                responsible: t.responsible.as_deref().unwrap_or(""),
                incomplete: t.incomplete.as_deref().unwrap_or(""),
            },
            plan: PlanView {
                title: &self.model.plans[t.plan].title,
            },
            status: status_view(s.status),
            days_late_label: days_label(s),
            lead,
            support,
            description: t
                .description
                .as_deref()
                .map(markdown::to_html)
                .unwrap_or_default(),
            deadline: s
                .deadline
                .map_or_else(|| "Văn bản chưa nêu".to_string(), |d| d.label_vi()),
            original_deadline: original,
            progress: progress_label(s),
            changes: t
                .deadline_changes
                .iter()
                .map(|c| ChangeView {
                    date: fmt_date(c.date),
                    to: c.to.label_vi(),
                    by: c.by.as_deref().unwrap_or(""),
                    reason: c.reason.as_deref().unwrap_or(""),
                    in_force: c.date <= as_of,
                })
                .collect(),
            timeline: self.figures.timelines[i]
                .iter()
                .map(|u| Entry {
                    submitted: fmt_date(u.report.submitted),
                    period: u.report.period.label_vi(),
                    agency: self.agency_full(&u.report.agency),
                    from_lead: u.from_lead,
                    state: u.update.state.label_vi(),
                    progress: u.update.progress.map(fmt_percent).unwrap_or_default(),
                    done_on: u.update.done_on.map(fmt_date).unwrap_or_default(),
                    note: u
                        .update
                        .note
                        .as_deref()
                        .map(markdown::to_html)
                        .unwrap_or_default(),
                    evidence: u.update.evidence.as_deref().unwrap_or(""),
                })
                .collect(),
            periods: self
                .figures
                .recurring
                .get(&i)
                .map(|list| {
                    list.iter()
                        .map(|(p, o)| PeriodView {
                            period: p.label_vi(),
                            outcome: o.code(),
                            label: outcome_label(*o),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            url: format!("{}/nhiem-vu/{}/", self.base_url.trim_end_matches('/'), t.id),
        };
        self.render("task.html", &ctx, diags)
    }

    fn standing_page(&self, page: &crate::model::Page, diags: &mut Diagnostics) -> Option<Vec<u8>> {
        #[derive(Serialize)]
        struct View<'a> {
            #[serde(flatten)]
            common: Common<'a>,
            title: &'a str,
            description: &'a str,
            body: String,
        }
        let ctx = View {
            common: self.common(&page.slug),
            title: &page.title,
            description: page.description.as_deref().unwrap_or(""),
            body: markdown::to_html(&page.body),
        };
        self.render("page.html", &ctx, diags)
    }

    fn agency_full(&self, id: &str) -> &'a str {
        self.model.agency(id).map_or("", |a| a.name.as_str())
    }
}

/// A month's reporting outcome in words.
fn outcome_label(o: crate::status::Outcome) -> String {
    match o {
        crate::status::Outcome::OnTime => "Báo cáo đúng hạn".to_string(),
        crate::status::Outcome::Late(n) => format!("Báo cáo muộn {n} ngày"),
        crate::status::Outcome::Missing => "Chưa báo cáo".to_string(),
    }
}

/// Sort key of the deadline table: dated deadlines first, earliest first;
/// then recurring; then tasks without a deadline; ties by id.
fn deadline_key(s: &TaskStatus, t: &Task) -> (u8, Date, String) {
    match s.deadline {
        Some(d) => match d.date() {
            Some(date) => (0, date, t.id.clone()),
            None => (1, Date::MIN, t.id.clone()),
        },
        None => (2, Date::MIN, t.id.clone()),
    }
}

/// A template error with its cause chain, on one line.
fn template_error(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg.replace('\n', " ")
}

/// Renders every page of the site.
pub fn render(
    model: &Model,
    figures: &Figures,
    options: &RenderOptions,
    diags: &mut Diagnostics,
) -> RenderedSite {
    let mut tera = tera::Tera::new();
    let templates: Vec<(&str, &str)> = model
        .theme
        .templates
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    if let Err(e) = tera.add_raw_templates(templates) {
        diags.error(Loc::file(&Arc::from("templates")), template_error(&e));
        return RenderedSite::default();
    }
    let base_url = options
        .base_url
        .clone()
        .unwrap_or_else(|| model.site().base_url.clone());
    let r = Renderer {
        model,
        figures,
        tera,
        base: base_path(&base_url),
        base_url,
    };
    let mut site = RenderedSite::default();
    let mut add = |path: String, page: Option<Vec<u8>>| {
        if let Some(bytes) = page {
            site.files.insert(path, bytes);
        }
    };
    add("index.html".into(), r.home(diags));
    add("nhiem-vu/index.html".into(), r.task_list(None, diags));
    for s in Status::ALL {
        add(
            format!("nhiem-vu/{}/index.html", s.slug()),
            r.task_list(Some(s), diags),
        );
    }
    let pages: Vec<(String, Option<Vec<u8>>, Diagnostics)> = (0..model.tasks.len())
        .into_par_iter()
        .map(|i| {
            let mut d = Diagnostics::new();
            let page = r.task_page(i, &mut d);
            (
                format!("nhiem-vu/{}/index.html", model.tasks[i].id),
                page,
                d,
            )
        })
        .collect();
    for (path, page, d) in pages {
        diags.extend(d);
        add(path, page);
    }
    for page in model.pages.iter().filter(|p| p.lang.is_none()) {
        add(
            format!("{}/index.html", page.slug),
            r.standing_page(page, diags),
        );
    }
    for (name, bytes) in &model.theme.assets {
        add(format!("assets/{name}"), Some(bytes.clone()));
    }
    // Static files are served from the root; one that would replace a
    // generated file is an error rather than a silent loss.
    for f in &model.static_files {
        if site.files.contains_key(&f.url_path) {
            diags.error(
                Loc::file(&f.file),
                format!(
                    "static file /{} would replace a generated page; rename or move it",
                    f.url_path
                ),
            );
        }
    }
    site
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_paths() {
        assert_eq!(base_path("https://example.gov.vn"), "/");
        assert_eq!(base_path("https://example.gov.vn/"), "/");
        assert_eq!(base_path("https://example.gov.vn/tien-do"), "/tien-do/");
        assert_eq!(base_path("http://127.0.0.1:8000/"), "/");
        assert_eq!(base_path("/portal/"), "/portal/");
    }

    #[test]
    fn percents_use_the_decimal_comma() {
        assert_eq!(fmt_percent(80.0), "80");
        assert_eq!(fmt_percent(78.5), "78,5");
        assert_eq!(fmt_percent(33.333), "33,3");
    }
}
