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
mod prepared;
mod proposals;
mod rollups;
#[cfg(test)]
mod tests;

pub use changes::{
    BurnupPoint, CHANGE_FIELDS, Event, EventKind, FactChange, MonthChanges, ReportCheck, TaskFacts,
    agrees, burnup, events, task_changes, task_facts,
};
use changes::{month_changes, report_checks};
pub use duties::{Duty, Outcome};
use duties::{duties as owed_duties, recurring_reporting};
pub use kpi::{KpiPoint, KpiStatus, Trend, Verdict};
pub use prepared::Prepared;
pub use proposals::{ProposalState, ProposalStatus, Step, owed, proposals, state_counts};
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
    /// Whether the task has fallen due on D: its deadline in force is a
    /// day on or before D (recurring tasks and tasks without a deadline
    /// never fall due).
    pub fallen_due: bool,
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
    /// The lead's own outlook in its latest update known on D, if that
    /// update gives one (never changes the status).
    pub outlook: Option<crate::model::Outlook>,
    /// Whether its plan was issued on or before D. A task of a plan not
    /// yet issued counts in no figure and is in no list (a build or an
    /// archived month before the plan).
    pub issued: bool,
}

/// The accountable official after the lead passed to a successor.
#[derive(Debug, Clone, PartialEq)]
pub enum Responsible {
    /// `responsible` named the old lead; here it names the successor.
    Followed {
        text: String,
        /// `responsible_en` with the old lead's English name replaced by
        /// the successor's, when it names the old lead that way.
        text_en: Option<String>,
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
            let text_en = task
                .responsible_en
                .as_deref()
                .zip(old.name_en.as_deref().zip(new.name_en.as_deref()))
                .filter(|(en, (old, _))| en.contains(old))
                .map(|(en, (old, new))| en.replace(old, new));
            return Some(Responsible::Followed {
                text: text.replace(from, to),
                text_en,
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

/// The part of a task's standing the rule table decides, from the lead's
/// updates known on `d` (`known`, in submission order, then period).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Judged {
    pub status: Status,
    pub deadline: Option<Deadline>,
    pub extensions: usize,
    pub state: Option<TaskState>,
    pub progress: f64,
    pub done_on: Option<Date>,
    pub days_late: Option<i64>,
    pub days_left: Option<i64>,
    /// Whether the task has fallen due on D: its deadline in force is a
    /// day on or before D (recurring tasks and tasks without a deadline
    /// never fall due).
    pub fallen_due: bool,
    pub last_update: Option<Date>,
}

/// What the rule table reads of the lead's latest update known on D.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Latest {
    pub submitted: Date,
    pub state: TaskState,
    /// This update's own progress figure.
    pub progress: Option<f64>,
    /// The latest progress figure in the lead's updates up to this one.
    pub progress_so_far: Option<f64>,
    pub done_on: Option<Date>,
    /// The outlook this update gives, if any.
    pub outlook: Option<crate::model::Outlook>,
}

impl Latest {
    /// From the lead's updates known on D, in submission order.
    pub(crate) fn of(known: &[UpdateRef]) -> Option<Latest> {
        let latest = known.last()?;
        Some(Latest {
            submitted: latest.report.submitted,
            state: latest.update.state,
            progress: latest.update.progress,
            progress_so_far: known.iter().rev().find_map(|u| u.update.progress),
            done_on: latest.update.done_on,
            outlook: latest.update.outlook,
        })
    }
}

/// The rule table of DESIGN.md, first match wins, from the lead's latest
/// update known on `d` and the deadline in force then ([`deadline_on`]).
/// `has_lead`: whether some agency leads the task on `d`.
pub(crate) fn judge(
    latest: Option<&Latest>,
    (deadline, extensions): (Option<Deadline>, usize),
    d: Date,
    due_soon: i64,
    has_lead: impl FnOnce() -> bool,
) -> Judged {
    let state = latest.map(|u| u.state);
    let mut progress = latest.and_then(|u| u.progress_so_far).unwrap_or(0.0);
    if state == Some(TaskState::Done) && latest.and_then(|u| u.progress).is_none() {
        progress = 100.0;
    }
    let due = deadline.and_then(|dl| dl.date());
    let done_on = latest
        .and_then(|u| u.done_on)
        .filter(|_| state == Some(TaskState::Done));
    let mut s = Judged {
        status: Status::NotStarted,
        deadline,
        extensions,
        state,
        progress,
        done_on,
        days_late: None,
        days_left: None,
        fallen_due: due.is_some_and(|dl| dl <= d),
        last_update: latest.map(|u| u.submitted),
    };
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
        _ if !has_lead() => Status::Unassigned,
        _ => Status::NotStarted,
    };
    s
}

impl TaskStatus {
    fn of(
        j: Judged,
        lead_on: Option<String>,
        support_on: Vec<String>,
        responsible_on: Option<Responsible>,
    ) -> TaskStatus {
        TaskStatus {
            status: j.status,
            deadline: j.deadline,
            extensions: j.extensions,
            state: j.state,
            progress: j.progress,
            done_on: j.done_on,
            days_late: j.days_late,
            days_left: j.days_left,
            fallen_due: j.fallen_due,
            lead_on,
            support_on,
            last_update: j.last_update,
            next_report_due: None,
            stale: false,
            responsible_on,
            issued: true,
            outlook: None,
        }
    }
}

/// The status of `task` as of `d`, from the lead's updates known by then
/// (`lead_updates` in submission order, then period). The rule table of
/// DESIGN.md, first match wins. [`Prepared`] gives the same answer from
/// its lookups; this one needs none.
pub fn task_status(m: &Model, task: &Task, lead_updates: &[UpdateRef], d: Date) -> TaskStatus {
    let known: Vec<UpdateRef> = lead_updates
        .iter()
        .filter(|u| u.report.submitted <= d)
        .copied()
        .collect();
    let lead_on = task.lead.as_deref().and_then(|l| m.holder_on(l, d));
    let latest = Latest::of(&known);
    let j = judge(
        latest.as_ref(),
        deadline_on(task, d),
        d,
        m.site().due_soon_days,
        || lead_on.is_some(),
    );
    // A finished task keeps the lead that finished it ([`Prepared`] too).
    let lead_on = lead_on.or_else(|| {
        j.done_on
            .and_then(|day| task.lead.as_deref().and_then(|l| m.holder_on(l, day)))
    });
    let mut support_on: Vec<String> = Vec::new();
    for a in task.support.iter().filter_map(|a| m.holder_on(a, d)) {
        if Some(a) != lead_on && !support_on.iter().any(|x| x == a) {
            support_on.push(a.to_string());
        }
    }
    let mut status = TaskStatus::of(
        j,
        lead_on.map(str::to_string),
        support_on,
        responsible_on(m, task, lead_on),
    );
    status.issued = m.plans.get(task.plan).is_none_or(|p| p.issued <= d);
    status.outlook = latest.and_then(|l| l.outlook);
    status
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
/// D: only reports submitted by then count), from the preparation the live
/// figures share. Render asks for one month at a time and drops it once its
/// pages and files are made, so that memory stays flat at national scale.
pub struct Archive<'a> {
    prepared: Option<&'a Prepared<'a>>,
    /// Oldest first ([`archive_months`]).
    pub months: Vec<Period>,
}

impl<'a> Archive<'a> {
    pub fn new(prepared: &'a Prepared<'a>, m: &Model, as_of: Date) -> Self {
        Archive {
            prepared: Some(prepared),
            months: archive_months(m, as_of),
        }
    }

    /// No archive (a preview of one page, a test).
    pub fn none() -> Self {
        Archive {
            prepared: None,
            months: Vec::new(),
        }
    }

    /// The figures on the last day of `p`, without the timelines, events
    /// and burn-up the archive does not show.
    pub fn month(&self, p: Period) -> Option<Figures<'a>> {
        self.on(p.last_day())
    }

    /// The figures as the archive keeps them on any day.
    pub fn on(&self, day: Date) -> Option<Figures<'a>> {
        Some(self.prepared?.archived(day))
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
    /// The difficulties and proposals raised by D, in the model's order
    /// ([`proposals::proposals`]).
    pub proposals: Vec<ProposalStatus>,
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

/// Computes every figure as of `as_of`. To compute several dates, make
/// one [`Prepared`] and ask it for each.
pub fn compute(m: &Model, as_of: Date) -> Figures<'_> {
    Prepared::new(m).figures(as_of)
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
