//! Stage 3, status: every figure the portal shows, as of a date D.
//!
//! Input: the validated [`Model`] and the as-of date. Output: [`Figures`]:
//! each task's status by the rule table of DESIGN.md, roll-ups per agency,
//! working group and plan, monthly reporting compliance, KPI trends and
//! what changed each month. Pure: no I/O, no clock. Only reports submitted
//! on or before D count, and only deadline changes decided on or before D.

pub mod kpi;
#[cfg(test)]
mod tests;

pub use kpi::{KpiPoint, KpiStatus, Trend, Verdict};

use crate::date::{Date, Deadline, Period};
use crate::model::{Model, Report, Task, TaskState, Update};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The eight statuses, in the order of the rule table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    DoneOnTime,
    DoneLate,
    Ongoing,
    Overdue,
    DueSoon,
    Blocked,
    InProgress,
    NotStarted,
}

impl Status {
    pub const ALL: [Status; 8] = [
        Status::DoneOnTime,
        Status::DoneLate,
        Status::Ongoing,
        Status::Overdue,
        Status::DueSoon,
        Status::Blocked,
        Status::InProgress,
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
            Status::NotStarted => "not_started",
        }
    }
    pub fn label_vi(self) -> &'static str {
        match self {
            Status::DoneOnTime => "Hoàn thành đúng hạn",
            Status::DoneLate => "Hoàn thành quá hạn",
            Status::Ongoing => "Thường xuyên",
            Status::Overdue => "Quá hạn",
            Status::DueSoon => "Sắp đến hạn",
            Status::Blocked => "Vướng mắc",
            Status::InProgress => "Đang thực hiện",
            Status::NotStarted => "Chưa triển khai",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Status::DoneOnTime => "Done on time",
            Status::DoneLate => "Done late",
            Status::Ongoing => "Recurring",
            Status::Overdue => "Overdue",
            Status::DueSoon => "Due soon",
            Status::Blocked => "Blocked",
            Status::InProgress => "In progress",
            Status::NotStarted => "Not started",
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
        (old.short.as_deref(), new.short.as_deref().or(Some(new.name.as_str()))),
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
        _ => Status::NotStarted,
    };
    s
}

/// Freshness of every open task with a lead on D: when the next report on
/// it is due ([`TaskStatus::next_report_due`]) and whether the lead missed
/// the latest report it owed ([`TaskStatus::stale`]).
fn freshness(
    m: &Model,
    tasks: &mut [TaskStatus],
    months: &BTreeMap<Period, Vec<Duty>>,
    d: Date,
) {
    let report_day = m.site().report_day;
    // Each agency's latest owed report (months are in order).
    let mut latest: HashMap<&str, Outcome> = HashMap::new();
    for duty in months.values().flatten() {
        latest.insert(duty.agency.as_str(), duty.outcome);
    }
    let mut reported: HashMap<&str, BTreeSet<Period>> = HashMap::new();
    for r in m.reports.iter().filter(|r| r.submitted <= d) {
        reported.entry(r.agency.as_str()).or_default().insert(r.period);
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

/// The portal as it stood on the last day of each archived month: the
/// whole computation with that day as D (only reports submitted by then
/// count), month-ends in parallel. The archive shows no timelines, events
/// or burn-up, so they are dropped to keep memory flat at national scale.
pub fn archive(m: &Model, as_of: Date) -> Vec<(Period, Figures<'_>)> {
    use rayon::prelude::*;
    archive_months(m, as_of)
        .into_par_iter()
        .map(|p| {
            let mut f = compute(m, p.last_day());
            f.timelines = Vec::new();
            f.events = Vec::new();
            f.burnup = Vec::new();
            (p, f)
        })
        .collect()
}

/// Counts and figures for a set of tasks (an agency, a group, a plan).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rollup {
    /// Tasks per status, in [`Status::ALL`] order.
    pub counts: [usize; 8],
    pub total: usize,
    pub done: usize,
    /// Task indices, most days late first (then by id).
    pub overdue: Vec<usize>,
    /// done on time / (done on time + done late); `None` before any is done.
    pub on_time_rate: Option<f64>,
    /// Mean progress in percent; `None` for no task.
    pub avg_progress: Option<f64>,
    /// Open tasks whose lead missed its latest owed report.
    pub stale: usize,
}

impl Rollup {
    fn of(tasks: impl Iterator<Item = usize>, fig: &[TaskStatus], m: &Model) -> Rollup {
        let mut r = Rollup::default();
        let mut progress = 0.0;
        for i in tasks {
            let s = &fig[i];
            r.counts[s.status.index()] += 1;
            r.total += 1;
            progress += s.progress;
            r.stale += usize::from(s.stale);
            if s.status == Status::Overdue {
                r.overdue.push(i);
            }
        }
        r.done = r.count(Status::DoneOnTime) + r.count(Status::DoneLate);
        if r.done > 0 {
            r.on_time_rate = Some(r.count(Status::DoneOnTime) as f64 / r.done as f64);
        }
        if r.total > 0 {
            r.avg_progress = Some(progress / r.total as f64);
        }
        r.overdue.sort_by(|&a, &b| {
            fig[b]
                .days_late
                .cmp(&fig[a].days_late)
                .then_with(|| m.tasks[a].id.cmp(&m.tasks[b].id))
        });
        r
    }

    pub fn count(&self, s: Status) -> usize {
        self.counts[s.index()]
    }

    /// Share of tasks done, 0..1.
    pub fn share_done(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.done as f64 / self.total as f64
        }
    }
}

/// How an agency met one month's reporting duty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Submitted on or before the report day.
    OnTime,
    /// Submitted after the report day, by D; the number of days late.
    Late(i64),
    /// Not submitted by D.
    Missing,
}

impl Outcome {
    pub fn code(self) -> &'static str {
        match self {
            Outcome::OnTime => "on_time",
            Outcome::Late(_) => "late",
            Outcome::Missing => "missing",
        }
    }
}

/// One agency's report owed for one month, judged as of D.
#[derive(Debug, Clone)]
pub struct Duty {
    pub agency: String,
    pub period: Period,
    pub due: Date,
    pub outcome: Outcome,
    /// Index into `Model::reports` of the report that met it.
    pub report: Option<usize>,
}

/// An agency's figures: its tasks (those it leads on D) and its reporting.
#[derive(Debug, Clone, Default)]
pub struct AgencyFigures {
    pub rollup: Rollup,
    /// Tasks it leads on D.
    pub leads: Vec<usize>,
    /// Tasks it supports on D (directly or as successor).
    pub supports: Vec<usize>,
    pub duties: Vec<Duty>,
    /// on time / judged months; `None` when nothing was owed yet.
    pub compliance: Option<f64>,
}

impl AgencyFigures {
    pub fn count(&self, o: fn(&Outcome) -> bool) -> usize {
        self.duties.iter().filter(|d| o(&d.outcome)).count()
    }
}

/// What changed in one month (for the monthly report pages and feeds).
#[derive(Debug, Clone, Default)]
pub struct MonthChanges {
    /// Tasks whose `done_on` falls in the month.
    pub finished: Vec<usize>,
    /// Tasks whose deadline in force passed during the month while not done.
    pub became_overdue: Vec<usize>,
    /// (task, change index) for deadline changes decided in the month.
    pub extended: Vec<(usize, usize)>,
    /// Tasks the lead reported blocked in this month's reports.
    pub blocked: Vec<usize>,
    /// (KPI index, value before, value) for KPI values dated in the month.
    pub kpi_moves: Vec<(usize, Option<f64>, f64)>,
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
    /// The plan's burn-up ([`burnup`]).
    pub burnup: Vec<BurnupPoint>,
    /// Status changes up to D, newest first ([`events`]).
    pub events: Vec<Event>,
    /// The monthly archive ([`archive`]): the figures on the last day of
    /// each archived month; empty unless asked for.
    pub archive: Vec<(Period, Figures<'m>)>,
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

    let months = duties(m, &lead_updates, as_of);
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
    let mut fig = Figures {
        as_of,
        tasks,
        timelines,
        overall,
        plans,
        agencies,
        groups,
        group_leads,
        agency_ranking,
        reports_known,
        months,
        recurring,
        kpis,
        changes,
        report_months,
        burnup: Vec::new(),
        events: Vec::new(),
        archive: Vec::new(),
    };
    // Both read the figures above.
    fig.burnup = burnup(m, &fig);
    fig.events = events(m, &fig);
    fig
}

/// Agencies that lead a task on D, the most overdue first, then the most
/// open tasks, the most tasks, and by id.
fn agency_ranking(agencies: &BTreeMap<String, AgencyFigures>) -> Vec<String> {
    let mut rows: Vec<(usize, usize, usize, &str)> = agencies
        .iter()
        .filter(|(_, f)| f.rollup.total > 0)
        .map(|(id, f)| {
            let r = &f.rollup;
            (
                r.count(Status::Overdue),
                r.total - r.done,
                r.total,
                id.as_str(),
            )
        })
        .collect();
    rows.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(b.1.cmp(&a.1))
            .then(b.2.cmp(&a.2))
            .then(a.3.cmp(b.3))
    });
    rows.into_iter().map(|(.., id)| id.to_string()).collect()
}

/// Whether the task was open on `day`: not reported done by its lead in a
/// report submitted before that day. A later update that is not done
/// re-opens it.
fn open_on(lead_updates: &[UpdateRef], day: Date) -> bool {
    lead_updates
        .iter()
        .rev()
        .find(|u| u.report.submitted < day)
        .is_none_or(|u| u.update.state != TaskState::Done)
}

/// The months D has judged, each with its owed reports: for month M whose
/// report day falls after a plan's issue date and on or before D, every
/// agency (as resolved on the report day) that leads or supports a task of
/// that plan open on the first day of M.
fn duties(m: &Model, lead_updates: &[Vec<UpdateRef>], as_of: Date) -> BTreeMap<Period, Vec<Duty>> {
    let day = m.site().report_day;
    let mut owed: BTreeMap<Period, BTreeSet<String>> = BTreeMap::new();
    for (i, t) in m.tasks.iter().enumerate() {
        let issued = m.plans[t.plan].issued;
        let mut p = Period::of(issued);
        loop {
            let due = p.report_day(day);
            if due > as_of {
                break;
            }
            if due > issued
                && m.reporting_owed(t.plan, p)
                && open_on(&lead_updates[i], p.first_day())
            {
                for a in t.lead.iter().chain(&t.support) {
                    if let Some(h) = m.holder_on(a, due) {
                        owed.entry(p).or_default().insert(h.to_string());
                    }
                }
            }
            p = p.next();
        }
    }
    let mut by_key: HashMap<(&str, Period), (usize, &Report)> = HashMap::new();
    for (i, r) in m.reports.iter().enumerate() {
        if r.submitted <= as_of {
            by_key.insert((r.agency.as_str(), r.period), (i, r));
        }
    }
    owed.into_iter()
        .map(|(p, agencies)| {
            let due = p.report_day(day);
            let list = agencies
                .into_iter()
                .map(|a| {
                    let found = by_key.get(&(a.as_str(), p)).copied();
                    let outcome = match found {
                        Some((_, r)) if r.submitted <= due => Outcome::OnTime,
                        Some((_, r)) => Outcome::Late((r.submitted - due).num_days()),
                        None => Outcome::Missing,
                    };
                    Duty {
                        agency: a,
                        period: p,
                        due,
                        outcome,
                        report: found.map(|(i, _)| i),
                    }
                })
                .collect();
            (p, list)
        })
        .collect()
}

/// For recurring tasks: did the lead report on it, month by month?
fn recurring_reporting(
    m: &Model,
    tasks: &[TaskStatus],
    updates: &[Vec<UpdateRef>],
    as_of: Date,
) -> HashMap<usize, Vec<(Period, Outcome)>> {
    let day = m.site().report_day;
    let mut out = HashMap::new();
    for (i, t) in m.tasks.iter().enumerate() {
        if tasks[i].status != Status::Ongoing {
            continue;
        }
        let issued = m.plans[t.plan].issued;
        let mut p = Period::of(issued);
        let mut list = Vec::new();
        while p.report_day(day) <= as_of {
            let due = p.report_day(day);
            if due > issued && m.reporting_owed(t.plan, p) {
                let lead = t.lead.as_deref().and_then(|l| m.holder_on(l, due));
                let found = updates[i]
                    .iter()
                    .filter(|u| {
                        u.report.period == p
                            && u.report.submitted <= as_of
                            && Some(u.report.agency.as_str()) == lead
                    })
                    .map(|u| u.report.submitted)
                    .min();
                let outcome = match found {
                    Some(s) if s <= due => Outcome::OnTime,
                    Some(s) => Outcome::Late((s - due).num_days()),
                    None => Outcome::Missing,
                };
                list.push((p, outcome));
            }
            p = p.next();
        }
        out.insert(i, list);
    }
    out
}

/// What changed in each month from the plans' start up to D.
fn month_changes(
    m: &Model,
    lead_updates: &[Vec<UpdateRef>],
    kpis: &[KpiStatus],
    as_of: Date,
) -> BTreeMap<Period, MonthChanges> {
    let mut out: BTreeMap<Period, MonthChanges> = BTreeMap::new();
    let Some(start) = m.plans.iter().map(|p| p.issued).min() else {
        return out;
    };
    let mut p = Period::of(start);
    while p.first_day() <= as_of {
        let end = p.last_day().min(as_of);
        let mut c = MonthChanges::default();
        for (i, t) in m.tasks.iter().enumerate() {
            let at_end = task_status(m, t, &lead_updates[i], end);
            if at_end.done_on.is_some_and(|d| Period::of(d) == p) {
                c.finished.push(i);
            }
            if at_end.status == Status::Overdue
                && at_end
                    .deadline
                    .and_then(|d| d.date())
                    .and_then(|d| d.succ_opt())
                    .is_some_and(|d| Period::of(d) == p)
            {
                c.became_overdue.push(i);
            }
            for (k, change) in t.deadline_changes.iter().enumerate() {
                if Period::of(change.date) == p && change.date <= as_of {
                    c.extended.push((i, k));
                }
            }
            if lead_updates[i].iter().any(|u| {
                u.report.period == p
                    && u.report.submitted <= as_of
                    && u.update.state == TaskState::Blocked
            }) {
                c.blocked.push(i);
            }
        }
        for (k, ks) in kpis.iter().enumerate() {
            let mut before = ks
                .points
                .iter()
                .rev()
                .find(|pt| pt.date < p.first_day())
                .map(|pt| pt.value);
            for pt in ks
                .points
                .iter()
                .filter(|pt| !pt.baseline && Period::of(pt.date) == p)
            {
                c.kpi_moves.push((k, before, pt.value));
                before = Some(pt.value);
            }
        }
        out.insert(p, c);
        p = p.next();
    }
    out
}

/// One step of the plan's burn-up: by `date`, how many dated tasks had
/// fallen due (deadline in force on D) and how many were finished
/// (`done_on`, as known on D).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BurnupPoint {
    pub date: Date,
    pub due: usize,
    pub done: usize,
}

/// The burn-up from the first plan's issue date to D: one point at the
/// start, one at every deadline or finishing day up to D, and one at D.
pub fn burnup(m: &Model, fig: &Figures) -> Vec<BurnupPoint> {
    let Some(start) = m.plans.iter().map(|p| p.issued).min() else {
        return Vec::new();
    };
    let end = fig.as_of.max(start);
    let deadlines: Vec<Date> = fig
        .tasks
        .iter()
        .filter_map(|s| s.deadline.and_then(|d| d.date()))
        .collect();
    let done: Vec<Date> = fig.tasks.iter().filter_map(|s| s.done_on).collect();
    let mut days: BTreeSet<Date> = deadlines
        .iter()
        .chain(&done)
        .copied()
        .filter(|d| *d >= start && *d <= end)
        .collect();
    days.insert(start);
    days.insert(end);
    days.into_iter()
        .map(|date| BurnupPoint {
            date,
            due: deadlines.iter().filter(|d| **d <= date).count(),
            done: done.iter().filter(|d| **d <= date).count(),
        })
        .collect()
}

/// What a status-change event is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EventKind {
    Finished,
    BecameOverdue,
    Extended,
    ReportMissing,
}

impl EventKind {
    pub fn code(self) -> &'static str {
        match self {
            EventKind::Finished => "finished",
            EventKind::BecameOverdue => "overdue",
            EventKind::Extended => "extended",
            EventKind::ReportMissing => "report-missing",
        }
    }
}

/// A change worth a feed entry, dated the day it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub date: Date,
    pub kind: EventKind,
    /// Index into `Model::tasks`, for task events.
    pub task: Option<usize>,
    /// The agency concerned on that day (the task's lead, or the agency
    /// whose report is missing).
    pub agency: Option<String>,
    pub period: Option<Period>,
    /// For extensions: the index of the deadline change.
    pub change: Option<usize>,
}

/// Status changes up to D, newest first: tasks finished, tasks that became
/// overdue (the day after a deadline passed with the task not done),
/// deadlines extended, and monthly reports missing (the day after the
/// report day).
pub fn events(m: &Model, fig: &Figures) -> Vec<Event> {
    let mut out = Vec::new();
    let lead_on = |t: &Task, d: Date| {
        t.lead
            .as_deref()
            .and_then(|l| m.holder_on(l, d))
            .map(str::to_string)
    };
    for (i, (t, s)) in m.tasks.iter().zip(&fig.tasks).enumerate() {
        if let Some(done) = s.done_on {
            out.push(Event {
                date: done,
                kind: EventKind::Finished,
                task: Some(i),
                agency: lead_on(t, done),
                period: None,
                change: None,
            });
        }
        if let Some(due) = s.deadline.and_then(|d| d.date())
            && let Some(day) = due.succ_opt()
            && day <= fig.as_of
            && s.done_on.is_none_or(|done| done > due)
        {
            out.push(Event {
                date: day,
                kind: EventKind::BecameOverdue,
                task: Some(i),
                agency: lead_on(t, day),
                period: None,
                change: None,
            });
        }
        for (k, c) in t
            .deadline_changes
            .iter()
            .enumerate()
            .filter(|(_, c)| c.date <= fig.as_of)
        {
            out.push(Event {
                date: c.date,
                kind: EventKind::Extended,
                task: Some(i),
                agency: lead_on(t, c.date),
                period: None,
                change: Some(k),
            });
        }
    }
    for duty in fig
        .months
        .values()
        .flatten()
        .filter(|d| d.outcome == Outcome::Missing)
    {
        if let Some(day) = duty.due.succ_opt().filter(|d| *d <= fig.as_of) {
            out.push(Event {
                date: day,
                kind: EventKind::ReportMissing,
                task: None,
                agency: Some(duty.agency.clone()),
                period: Some(duty.period),
                change: None,
            });
        }
    }
    out.sort_by(|a, b| {
        b.date
            .cmp(&a.date)
            .then(a.kind.cmp(&b.kind))
            .then(a.task.cmp(&b.task))
            .then(a.agency.cmp(&b.agency))
    });
    out
}
