//! Stage 3, status: every figure the portal shows, as of a date D.
//!
//! Input: the validated [`Model`] and the as-of date. Output: [`Figures`]:
//! each task's status by the rule table of DESIGN.md, roll-ups per agency,
//! working group and plan, monthly reporting compliance, KPI trends and
//! what changed each month. Pure: no I/O, no clock. Only reports submitted
//! on or before D count, and only deadline changes decided on or before D.

mod changes;
mod duties;
pub mod kpi;
mod rollups;
#[cfg(test)]
mod tests;

pub use changes::{
    BurnupPoint, Event, EventKind, MonthChanges, ReportCheck, agrees, burnup, events,
};
use changes::{month_changes, report_checks};
pub use duties::{Duty, Outcome};
use duties::{duties as owed_duties, recurring_reporting};
pub use kpi::{KpiPoint, KpiStatus, Trend, Verdict};
use rollups::agency_ranking;
pub use rollups::{AgencyFigures, Rollup};

use crate::date::{Date, Deadline, Period};
use crate::model::{Model, Report, Task, TaskState, Update};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The nine statuses, in the order of the rule table (DESIGN.md). Labels
/// live in the theme's i18n files (`status_<code>`) and the message
/// catalogue; status owns only the codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    DoneOnTime,
    DoneLate,
    Ongoing,
    Overdue,
    DueSoon,
    Blocked,
    InProgress,
    /// Rule 8: no agency leads the task on D (never assigned, or its lead
    /// ended without a successor), where "not started" would apply.
    Unassigned,
    NotStarted,
}

impl Status {
    pub const ALL: [Status; 9] = [
        Status::DoneOnTime,
        Status::DoneLate,
        Status::Ongoing,
        Status::Overdue,
        Status::DueSoon,
        Status::Blocked,
        Status::InProgress,
        Status::Unassigned,
        Status::NotStarted,
    ];

    /// The code used in data files and `data-status`.
    pub fn code(self) -> &'static str {
        match self {
            Status::DoneOnTime => "done_on_time",
            Status::DoneLate => "done_late",
            Status::Ongoing => "ongoing",
            Status::Overdue => "overdue",
            Status::DueSoon => "due_soon",
            Status::Blocked => "blocked",
            Status::InProgress => "in_progress",
            Status::Unassigned => "unassigned",
            Status::NotStarted => "not_started",
        }
    }

    pub fn is_done(self) -> bool {
        matches!(self, Status::DoneOnTime | Status::DoneLate)
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// One update with the report it came in.
#[derive(Debug, Clone, Copy)]
pub struct UpdateRef<'a> {
    pub report: &'a Report,
    pub update: &'a Update,
    /// Whether the reporting agency held the task's lead on submission;
    /// only such updates set state and progress.
    pub from_lead: bool,
}

/// A task's standing as of D.
#[derive(Debug, Clone)]
pub struct TaskStatus {
    pub status: Status,
    /// The deadline in force on D, after every change decided by then.
    pub deadline: Option<Deadline>,
    /// How many deadline changes were in force by D.
    pub extensions: usize,
    pub state: Option<TaskState>,
    /// 0..100: the lead's latest figure; 100 for a task reported done
    /// without one; 0 before any.
    pub progress: f64,
    pub done_on: Option<Date>,
    /// For overdue tasks D minus the deadline; for tasks done late the
    /// finishing day minus the deadline.
    pub days_late: Option<i64>,
    /// For open dated tasks, the deadline minus D (0 on the day itself).
    pub days_left: Option<i64>,
    /// The agency that leads the task on D.
    pub lead_on: Option<String>,
    /// The agencies that support the task on D (each supporter resolved
    /// through lineage), in the plan's order, once each, without the lead.
    pub support_on: Vec<String>,
    /// The submission date of the lead's latest update, if any.
    pub last_update: Option<Date>,
    /// For an open task with a lead on D: the report day of the first
    /// month, from D's own on, for which the lead has no report in by D.
    pub next_report_due: Option<Date>,
    /// An open task whose lead missed the latest report it owed by D
    /// ("chưa cập nhật").
    pub stale: bool,
    /// Who answers for the task on D when its lead has passed to a
    /// successor ([`responsible_on`]); `None` when nothing changed hands.
    pub responsible_on: Option<Responsible>,
}

/// The accountable official after the lead passed to a successor.
#[derive(Debug, Clone, PartialEq)]
pub enum Responsible {
    /// `responsible` named the old lead; here it names the successor.
    Followed {
        text: String,
        /// The lead named in the plan, and the day it passed on.
        from: String,
        date: Date,
    },
    /// `responsible` does not name the old lead, so the successor's
    /// official cannot be derived: the editor is warned.
    NotDerived { from: String },
}

/// `responsible` of a task whose lead passed to `lead_on`: the old lead's
/// name (or short name) in the text replaced by the successor's.
pub fn responsible_on(m: &Model, task: &Task, lead_on: Option<&str>) -> Option<Responsible> {
    let orig = task.lead.as_deref()?;
    let now = lead_on?;
    if orig == now {
        return None;
    }
    let (old, new) = (m.agency(orig)?, m.agency(now)?);
    let date = old.succession.as_ref()?.date;
    let text = task.responsible.as_deref()?;
    let pairs = [
        (Some(old.name.as_str()), Some(new.name.as_str())),
        (
            old.short.as_deref(),
            new.short.as_deref().or(Some(new.name.as_str())),
        ),
    ];
    for (from, to) in pairs {
        if let (Some(from), Some(to)) = (from, to)
            && !from.is_empty()
            && text.contains(from)
        {
            return Some(Responsible::Followed {
                text: text.replace(from, to),
                from: orig.to_string(),
                date,
            });
        }
    }
    Some(Responsible::NotDerived {
        from: orig.to_string(),
    })
}

/// The deadline in force on `d` and the number of changes applied.
pub fn deadline_on(task: &Task, d: Date) -> (Option<Deadline>, usize) {
    let mut deadline = task.deadline;
    let mut n = 0;
    for c in task.deadline_changes.iter().filter(|c| c.date <= d) {
        deadline = Some(c.to);
        n += 1;
    }
    (deadline, n)
}

/// The status of `task` as of `d`, from the lead's updates known by then
/// (`lead_updates` in submission order, then period). The rule table of
/// DESIGN.md, first match wins.
pub fn task_status(m: &Model, task: &Task, lead_updates: &[UpdateRef], d: Date) -> TaskStatus {
    let due_soon = m.site().due_soon_days;
    let known: Vec<&UpdateRef> = lead_updates
        .iter()
        .filter(|u| u.report.submitted <= d)
        .collect();
    let latest = known.last();
    let state = latest.map(|u| u.update.state);
    let mut progress = known
        .iter()
        .rev()
        .find_map(|u| u.update.progress)
        .unwrap_or(0.0);
    if state == Some(TaskState::Done) && latest.and_then(|u| u.update.progress).is_none() {
        progress = 100.0;
    }
    let (deadline, extensions) = deadline_on(task, d);
    let due = deadline.and_then(|dl| dl.date());
    let done_on = latest
        .and_then(|u| u.update.done_on)
        .filter(|_| state == Some(TaskState::Done));
    let mut s = TaskStatus {
        status: Status::NotStarted,
        deadline,
        extensions,
        state,
        progress,
        done_on,
        days_late: None,
        days_left: None,
        lead_on: task
            .lead
            .as_deref()
            .and_then(|l| m.holder_on(l, d))
            .map(str::to_string),
        support_on: Vec::new(),
        last_update: latest.map(|u| u.report.submitted),
        next_report_due: None,
        stale: false,
        responsible_on: None,
    };
    s.responsible_on = responsible_on(m, task, s.lead_on.as_deref());
    for a in task.support.iter().filter_map(|a| m.holder_on(a, d)) {
        if Some(a) != s.lead_on.as_deref() && !s.support_on.iter().any(|x| x == a) {
            s.support_on.push(a.to_string());
        }
    }
    if let Some(done) = done_on {
        match due {
            Some(dl) if done > dl => {
                s.status = Status::DoneLate;
                s.days_late = Some((done - dl).num_days());
            }
            _ => s.status = Status::DoneOnTime,
        }
        return s;
    }
    if deadline.is_some_and(|dl| dl.is_recurring()) {
        s.status = Status::Ongoing;
        return s;
    }
    if let Some(dl) = due {
        let left = (dl - d).num_days();
        if left < 0 {
            s.status = Status::Overdue;
            s.days_late = Some(-left);
            return s;
        }
        s.days_left = Some(left);
        if left <= due_soon {
            s.status = Status::DueSoon;
            return s;
        }
    }
    s.status = match state {
        Some(TaskState::Blocked) => Status::Blocked,
        Some(TaskState::InProgress) => Status::InProgress,
        _ if progress > 0.0 => Status::InProgress,
        _ if s.lead_on.is_none() => Status::Unassigned,
        _ => Status::NotStarted,
    };
    s
}

/// Freshness of every open task with a lead on D: when the next report on
/// it is due ([`TaskStatus::next_report_due`]) and whether the lead missed
/// the latest report it owed ([`TaskStatus::stale`]).
fn freshness(m: &Model, tasks: &mut [TaskStatus], months: &BTreeMap<Period, Vec<Duty>>, d: Date) {
    let report_day = m.site().report_day;
    // Each agency's latest owed report (months are in order).
    let mut latest: HashMap<&str, Outcome> = HashMap::new();
    for duty in months.values().flatten() {
        latest.insert(duty.agency.as_str(), duty.outcome);
    }
    let mut reported: HashMap<&str, BTreeSet<Period>> = HashMap::new();
    for r in m.reports.iter().filter(|r| r.submitted <= d) {
        reported
            .entry(r.agency.as_str())
            .or_default()
            .insert(r.period);
    }
    for (t, s) in m.tasks.iter().zip(tasks.iter_mut()) {
        let Some(lead) = s.lead_on.as_deref() else {
            continue;
        };
        if s.status.is_done() {
            continue;
        }
        s.stale = latest.get(lead) == Some(&Outcome::Missing);
        let mut p = Period::of(d);
        if p.report_day(report_day) < d {
            p = p.next();
        }
        if let Some(from) = m.plans[t.plan].reporting_from
            && from > p
        {
            p = from;
        }
        let done = reported.get(lead);
        while done.is_some_and(|set| set.contains(&p)) {
            p = p.next();
        }
        s.next_report_due = Some(p.report_day(report_day));
    }
}

/// The months of the archive on D: from the month the earliest plan was
/// issued to the month before D's (none before any plan).
pub fn archive_months(m: &Model, as_of: Date) -> Vec<Period> {
    let Some(first) = m.plans.iter().map(|p| Period::of(p.issued)).min() else {
        return Vec::new();
    };
    let end = Period::of(as_of);
    let mut out = Vec::new();
    let mut p = first;
    while p < end {
        out.push(p);
        p = p.next();
    }
    out
}

/// The monthly archive: the months it holds and, for each, the portal as
/// it stood on the month's last day (the whole computation with that day as
/// D: only reports submitted by then count). Render asks for one month at
/// a time and drops it once its pages and files are made, so that memory
/// stays flat at national scale.
pub struct Archive<'m> {
    model: &'m Model,
    /// Oldest first ([`archive_months`]).
    pub months: Vec<Period>,
}

impl<'m> Archive<'m> {
    pub fn new(m: &'m Model, as_of: Date) -> Self {
        Archive {
            model: m,
            months: archive_months(m, as_of),
        }
    }

    /// No archive (a preview of one page, a test).
    pub fn none(m: &'m Model) -> Self {
        Archive {
            model: m,
            months: Vec::new(),
        }
    }

    /// The figures on the last day of `p`. The archive shows no
    /// timelines, events or burn-up, so they are left out.
    pub fn month(&self, p: Period) -> Figures<'m> {
        let mut f = compute(self.model, p.last_day());
        f.timelines = Vec::new();
        f.events = Vec::new();
        f.burnup = Vec::new();
        f
    }
}

/// Everything the pages show, as of one date.
#[derive(Debug)]
pub struct Figures<'m> {
    pub as_of: Date,
    /// Per task, in `Model::tasks` order.
    pub tasks: Vec<TaskStatus>,
    /// Per task: every update known by D, lead or support, oldest first.
    pub timelines: Vec<Vec<UpdateRef<'m>>>,
    pub overall: Rollup,
    /// Per plan, in `Model::plans` order.
    pub plans: Vec<Rollup>,
    pub agencies: BTreeMap<String, AgencyFigures>,
    pub groups: BTreeMap<String, Rollup>,
    /// Per working group: the tasks led on D by one of its agencies.
    pub group_leads: BTreeMap<String, Vec<usize>>,
    /// Tasks in no working group's figures (no lead on D, or a lead outside
    /// every group), in model order: with the groups' totals they make
    /// the whole.
    pub ungrouped: Vec<usize>,
    /// Tasks that no agency leads on D, whatever their status: the "5 rõ"
    /// gap (rõ người) the dashboard lists, in model order.
    pub unassigned: Vec<usize>,
    /// Agencies that lead a task on D, the most overdue first (then most
    /// open, most tasks, id): the one order of the dashboard and charts.
    pub agency_ranking: Vec<String>,
    /// Per month: the reports for it submitted by D (indices into
    /// `Model::reports`), in the model's order.
    pub reports_known: BTreeMap<Period, Vec<usize>>,
    /// Months judged so far (report day on or before D), oldest first, with their duties.
    pub months: BTreeMap<Period, Vec<Duty>>,
    /// Per recurring task: its lead's reporting, period by period.
    pub recurring: HashMap<usize, Vec<(Period, Outcome)>>,
    pub kpis: Vec<KpiStatus>,
    pub changes: BTreeMap<Period, MonthChanges>,
    /// The months that get a monthly report page: every judged month,
    /// every month with changes, and the month of every report known by D
    /// (a report may name a month before the plan or after D's month).
    /// Pages link only to these months.
    pub report_months: BTreeSet<Period>,
    /// Per report known by D (index into `Model::reports`): beside each of
    /// its updates, the task's status as the portal computes it
    /// ([`ReportCheck`]), in the report's order.
    pub report_checks: BTreeMap<usize, Vec<ReportCheck>>,
    /// Per task: its item number as lists show it ([`ref_labels`]).
    pub ref_labels: Vec<String>,
    /// The plan's burn-up ([`burnup`]).
    pub burnup: Vec<BurnupPoint>,
    /// Status changes up to D, newest first ([`events`]).
    pub events: Vec<Event>,
}

impl Figures<'_> {
    /// Agencies with at least one missing report.
    pub fn missing_reports(&self) -> Vec<(&str, Vec<Period>)> {
        self.agencies
            .iter()
            .filter_map(|(id, a)| {
                let missing: Vec<Period> = a
                    .duties
                    .iter()
                    .filter(|d| d.outcome == Outcome::Missing)
                    .map(|d| d.period)
                    .collect();
                (!missing.is_empty()).then_some((id.as_str(), missing))
            })
            .collect()
    }
}

/// Every update of every task, lead or support, in the order they count:
/// by submission date, then period, then agency.
fn all_updates(m: &Model) -> Vec<Vec<UpdateRef<'_>>> {
    let mut per_task: Vec<Vec<UpdateRef>> = vec![Vec::new(); m.tasks.len()];
    for report in &m.reports {
        for update in &report.updates {
            if let Some(i) = m.task_index(&update.task) {
                let from_lead = m.leads_on(&report.agency, &m.tasks[i], report.submitted);
                per_task[i].push(UpdateRef {
                    report,
                    update,
                    from_lead,
                });
            }
        }
    }
    for list in &mut per_task {
        list.sort_by(|a, b| {
            (a.report.submitted, a.report.period, &a.report.agency).cmp(&(
                b.report.submitted,
                b.report.period,
                &b.report.agency,
            ))
        });
    }
    per_task
}

fn lead_only<'a>(list: &[UpdateRef<'a>]) -> Vec<UpdateRef<'a>> {
    list.iter().filter(|u| u.from_lead).copied().collect()
}

/// Computes every figure as of `as_of`.
pub fn compute(m: &Model, as_of: Date) -> Figures<'_> {
    let updates = all_updates(m);
    let lead_updates: Vec<Vec<UpdateRef>> = updates.iter().map(|l| lead_only(l)).collect();
    let tasks: Vec<TaskStatus> = m
        .tasks
        .iter()
        .zip(&lead_updates)
        .map(|(t, lu)| task_status(m, t, lu, as_of))
        .collect();
    let timelines: Vec<Vec<UpdateRef>> = updates
        .iter()
        .map(|l| {
            l.iter()
                .filter(|u| u.report.submitted <= as_of)
                .copied()
                .collect()
        })
        .collect();

    let months = owed_duties(m, &lead_updates, as_of);
    let mut tasks = tasks;
    freshness(m, &mut tasks, &months, as_of);
    let overall = Rollup::of(0..m.tasks.len(), &tasks, m);
    let plans = (0..m.plans.len())
        .map(|p| {
            Rollup::of(
                (0..m.tasks.len()).filter(|&i| m.tasks[i].plan == p),
                &tasks,
                m,
            )
        })
        .collect();

    let mut agencies: BTreeMap<String, AgencyFigures> = m
        .agencies
        .iter()
        .map(|a| (a.id.clone(), AgencyFigures::default()))
        .collect();
    for i in 0..m.tasks.len() {
        if let Some(lead) = &tasks[i].lead_on
            && let Some(a) = agencies.get_mut(lead)
        {
            a.leads.push(i);
        }
        let supporters: BTreeSet<&str> = tasks[i].support_on.iter().map(String::as_str).collect();
        for h in supporters {
            if let Some(a) = agencies.get_mut(h) {
                a.supports.push(i);
            }
        }
    }
    for a in agencies.values_mut() {
        a.rollup = Rollup::of(a.leads.iter().copied(), &tasks, m);
    }
    let mut groups: BTreeMap<String, Vec<usize>> = m
        .groups
        .iter()
        .map(|g| (g.id.clone(), Vec::new()))
        .collect();
    for (i, s) in tasks.iter().enumerate() {
        if let Some(g) = s
            .lead_on
            .as_deref()
            .and_then(|l| m.agency(l))
            .and_then(|a| a.group.as_ref())
            && let Some(list) = groups.get_mut(g)
        {
            list.push(i);
        }
    }
    let group_rollups = groups
        .iter()
        .map(|(g, list)| (g.clone(), Rollup::of(list.iter().copied(), &tasks, m)))
        .collect();
    let grouped: BTreeSet<usize> = groups.values().flatten().copied().collect();
    let ungrouped = (0..m.tasks.len())
        .filter(|i| !grouped.contains(i))
        .collect();
    let unassigned = (0..m.tasks.len())
        .filter(|&i| tasks[i].lead_on.is_none())
        .collect();
    let group_leads = groups;
    let groups = group_rollups;

    for duties in months.values() {
        for d in duties {
            if let Some(a) = agencies.get_mut(&d.agency) {
                a.duties.push(d.clone());
            }
        }
    }
    for a in agencies.values_mut() {
        if !a.duties.is_empty() {
            a.compliance = Some(a.count(|o| *o == Outcome::OnTime) as f64 / a.duties.len() as f64);
        }
    }
    let recurring = recurring_reporting(m, &tasks, &updates, as_of);
    let kpis = (0..m.kpis.len())
        .map(|k| kpi::kpi_status(m, k, as_of))
        .collect::<Vec<_>>();
    let changes = month_changes(m, &lead_updates, &kpis, as_of);
    let mut reports_known: BTreeMap<Period, Vec<usize>> = BTreeMap::new();
    for (i, r) in m.reports.iter().enumerate() {
        if r.submitted <= as_of {
            reports_known.entry(r.period).or_default().push(i);
        }
    }
    let report_months = months
        .keys()
        .chain(changes.keys())
        .chain(reports_known.keys())
        .copied()
        .collect();
    let agency_ranking = agency_ranking(&agencies);
    let report_checks = report_checks(m, &lead_updates, as_of);
    let mut fig = Figures {
        as_of,
        tasks,
        timelines,
        overall,
        plans,
        agencies,
        groups,
        group_leads,
        ungrouped,
        unassigned,
        agency_ranking,
        reports_known,
        months,
        recurring,
        kpis,
        changes,
        report_months,
        report_checks,
        ref_labels: ref_labels(m),
        burnup: Vec::new(),
        events: Vec::new(),
    };
    // Both read the figures above.
    fig.burnup = burnup(m, &fig);
    fig.events = events(m, &fig);
    fig
}

/// Each task's item number (`ref`) told apart wherever tasks are listed:
/// a number used by several tasks of one plan gets the task's rank among
/// them ("4.d (2)"), and a number used in several plans gets the plan's id
/// after it ("3 · kl-2025-02"). Empty for a task without one.
pub fn ref_labels(m: &Model) -> Vec<String> {
    let mut in_plan: HashMap<(usize, &str), usize> = HashMap::new();
    let mut plans_of: HashMap<&str, BTreeSet<usize>> = HashMap::new();
    for t in &m.tasks {
        if let Some(r) = t.reference.as_deref() {
            *in_plan.entry((t.plan, r)).or_default() += 1;
            plans_of.entry(r).or_default().insert(t.plan);
        }
    }
    let mut seen: HashMap<(usize, &str), usize> = HashMap::new();
    m.tasks
        .iter()
        .map(|t| {
            let Some(r) = t.reference.as_deref() else {
                return String::new();
            };
            let mut label = r.to_string();
            if in_plan[&(t.plan, r)] > 1 {
                let k = seen.entry((t.plan, r)).or_default();
                *k += 1;
                label = format!("{label} ({k})");
            }
            if plans_of[r].len() > 1 {
                label = format!("{label} · {}", m.plans[t.plan].id);
            }
            label
        })
        .collect()
}
