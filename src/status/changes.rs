//! Part of status: what changed. Input: the model, the lead's updates,
//! KPI figures and D. Output: [`MonthChanges`] per month, the plan's
//! burn-up, the feed's status-change [`Event`]s, and each report's updates
//! checked against the portal's status ([`ReportCheck`]).

use super::*;
use std::sync::Arc;

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

/// What changed in each month from the plans' start up to D.
pub(super) fn month_changes(
    pr: &Prepared,
    kpis: &[KpiStatus],
    as_of: Date,
) -> BTreeMap<Period, MonthChanges> {
    let m = pr.m;
    let mut out: BTreeMap<Period, MonthChanges> = BTreeMap::new();
    let Some(start) = m.plans.iter().map(|p| p.issued).min() else {
        return out;
    };
    // The whole months' ends, in parallel the first time.
    {
        use rayon::prelude::*;
        let mut whole = Vec::new();
        let mut p = Period::of(start);
        while p.last_day() <= as_of {
            whole.push(p);
            p = p.next();
        }
        whole.into_par_iter().for_each(|p| drop(pr.month_end(p)));
    }
    let mut p = Period::of(start);
    while p.first_day() <= as_of {
        let end = p.last_day().min(as_of);
        // A whole month's end is the same on every later D.
        let at_end = if end == p.last_day() {
            pr.month_end(p)
        } else {
            Arc::new(pr.month_end_on(p, end))
        };
        let mut c = MonthChanges {
            finished: at_end.finished.clone(),
            became_overdue: at_end.became_overdue.clone(),
            ..MonthChanges::default()
        };
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
    // Deadline changes and blocked reports, task by task into their month
    // (months outside the range above are not reported).
    for (i, t) in m.tasks.iter().enumerate() {
        for (k, change) in t.deadline_changes.iter().enumerate() {
            if change.date <= as_of
                && let Some(c) = out.get_mut(&Period::of(change.date))
            {
                c.extended.push((i, k));
            }
        }
        for u in &pr.lead_updates[i] {
            if u.report.submitted <= as_of
                && u.update.state == TaskState::Blocked
                && let Some(c) = out.get_mut(&u.report.period)
                && c.blocked.last() != Some(&i)
            {
                c.blocked.push(i);
            }
        }
    }
    out
}

/// One step of the plan's burn-up, over the tasks with a dated deadline in
/// force on D only (so both lines count the same tasks): by `date`, how
/// many had fallen due and how many were finished (`done_on`, as known on
/// D). Recurring and undated tasks are in neither line.
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
        .filter(|s| s.issued)
        .filter_map(|s| s.deadline.and_then(|d| d.date()))
        .collect();
    // Every task done, with or without a dated deadline: the chart's last
    // point says what the dashboard's count of done tasks says.
    let done: Vec<Date> = fig
        .tasks
        .iter()
        .filter(|s| s.issued)
        .filter_map(|s| s.done_on)
        .collect();
    let mut days: BTreeSet<Date> = deadlines
        .iter()
        .chain(&done)
        .copied()
        .filter(|d| *d >= start && *d <= end)
        .collect();
    days.insert(start);
    days.insert(end);
    let (mut deadlines, mut done) = (deadlines, done);
    deadlines.sort_unstable();
    done.sort_unstable();
    days.into_iter()
        .map(|date| BurnupPoint {
            date,
            due: deadlines.partition_point(|d| *d <= date),
            done: done.partition_point(|d| *d <= date),
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
    /// A difficulty or proposal raised, answered, or left without a reply
    /// past its due day (the day after it).
    ProposalRaised,
    ProposalAnswered,
    ReplyOverdue,
}

impl EventKind {
    pub fn code(self) -> &'static str {
        match self {
            EventKind::Finished => "finished",
            EventKind::BecameOverdue => "overdue",
            EventKind::Extended => "extended",
            EventKind::ReportMissing => "report-missing",
            EventKind::ProposalRaised => "proposal-raised",
            EventKind::ProposalAnswered => "proposal-answered",
            EventKind::ReplyOverdue => "reply-overdue",
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
    /// For extensions: the index of the deadline change; for a reply,
    /// its index in `Proposal::replies`.
    pub change: Option<usize>,
    /// For proposal events: the index into `Model::proposals`.
    pub proposal: Option<usize>,
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
        if !s.issued {
            continue;
        }
        if let Some(done) = s.done_on {
            out.push(Event {
                date: done,
                kind: EventKind::Finished,
                task: Some(i),
                agency: lead_on(t, done),
                period: None,
                change: None,
                proposal: None,
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
                proposal: None,
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
                proposal: None,
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
                proposal: None,
            });
        }
    }
    proposal_events(m, fig, &mut out);
    out.sort_by(|a, b| {
        b.date
            .cmp(&a.date)
            .then(a.kind.cmp(&b.kind))
            .then(a.task.cmp(&b.task))
            .then(a.agency.cmp(&b.agency))
            .then(a.proposal.cmp(&b.proposal))
            .then(a.change.cmp(&b.change))
    });
    out
}

/// Each proposal known on D raised (for the agency asked), each reply
/// (from the agency that answered), and each reply gone overdue (for the
/// agency that owes it, the day after it was due).
fn proposal_events(m: &Model, fig: &Figures, out: &mut Vec<Event>) {
    for s in &fig.proposals {
        let p = &m.proposals[s.proposal];
        let task = p.task.as_deref().and_then(|t| m.task_index(t));
        let event = |date, kind, agency: Option<&str>, change| Event {
            date,
            kind,
            task,
            agency: agency.map(str::to_string),
            period: None,
            change,
            proposal: Some(s.proposal),
        };
        out.push(event(
            p.raised,
            EventKind::ProposalRaised,
            m.holder_on(&p.to, p.raised),
            None,
        ));
        for (k, r) in p.replies.iter().take(s.replies).enumerate() {
            out.push(event(
                r.submitted,
                EventKind::ProposalAnswered,
                Some(&r.agency),
                Some(k),
            ));
        }
        // Overdue from the day after it was due, unless a reply came by then.
        if let Some(day) = p.reply_by.succ_opt()
            && day <= fig.as_of
            && s.replied.is_none_or(|r| r >= day)
        {
            out.push(event(
                day,
                EventKind::ReplyOverdue,
                m.holder_on(&p.to, day),
                None,
            ));
        }
    }
}

/// One update of a report beside the portal's view of its task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportCheck {
    /// The day the portal's status is taken: the month's report day, or the
    /// day the report came in when later (so the report itself counts),
    /// never after D.
    pub day: Date,
    /// The task's status on that day; `None` for an update of an unknown task.
    pub status: Option<Status>,
    /// Whether the reported state says the same as the status ([`agrees`]).
    pub agrees: bool,
}

/// Whether a reported state and a computed status say the same: `done` and
/// done on time; `in_progress`, `blocked` and `not_started` and the status
/// of the same name; any open state and a recurring task or one due soon
/// (those statuses say nothing against the state). Anything else (an
/// overdue task reported in progress, a task done late, a task reported
/// open that its lead has reported done...) is marked on the page.
pub fn agrees(state: TaskState, status: Status) -> bool {
    matches!(
        (state, status),
        (TaskState::Done, Status::DoneOnTime)
            | (TaskState::InProgress, Status::InProgress)
            | (TaskState::Blocked, Status::Blocked)
            | (TaskState::NotStarted, Status::NotStarted)
            | (
                TaskState::InProgress | TaskState::Blocked | TaskState::NotStarted,
                Status::Ongoing | Status::DueSoon
            )
    )
}

/// [`ReportCheck`]s for every report submitted by D.
pub(super) fn report_checks(pr: &Prepared, as_of: Date) -> BTreeMap<usize, Vec<ReportCheck>> {
    let m = pr.m;
    let report_day = m.site().report_day;
    m.reports
        .iter()
        .enumerate()
        .filter(|(_, r)| r.submitted <= as_of)
        .map(|(ri, r)| {
            let day = prepared::check_day(r, report_day).min(as_of);
            let checks = r
                .updates
                .iter()
                .zip(pr.checks(ri, day))
                .map(|(u, status)| ReportCheck {
                    day,
                    status,
                    agrees: status.is_some_and(|s| agrees(u.state, s)),
                })
                .collect();
            (ri, checks)
        })
        .collect()
}

/// The fields the monthly change table compares, as the task table names
/// its columns.
pub const CHANGE_FIELDS: [&str; 4] = ["status", "progress", "deadline", "lead"];

/// What the monthly change table compares of one task on a day: its
/// status code, progress (empty for recurring tasks), deadline in force
/// (ISO date, `monthly` or `ongoing`) and lead on that day, written as the
/// task table writes them; `None` for a task not counted yet (its plan not
/// issued).
pub type TaskFacts = Option<[String; 4]>;

/// Every task's facts in `fig`.
pub fn task_facts(fig: &Figures) -> Vec<TaskFacts> {
    fig.tasks
        .iter()
        .map(|s| {
            s.issued.then(|| {
                let progress = if s.status == Status::Ongoing {
                    String::new()
                } else if s.progress.fract() == 0.0 {
                    format!("{}", s.progress as i64)
                } else {
                    format!("{}", s.progress)
                };
                [
                    s.status.code().to_string(),
                    progress,
                    s.deadline.map_or_else(String::new, |d| d.code()),
                    s.lead_on.clone().unwrap_or_default(),
                ]
            })
        })
        .collect()
}

/// One row of a month's change table: task index, field, before, after.
pub type FactChange = (usize, &'static str, String, String);

/// What changed between two days' facts, task by task in content order,
/// each task's fields in [`CHANGE_FIELDS`] order. A task that comes into
/// the figures (its plan issued) lists every field with an empty before.
pub fn task_changes(before: &[TaskFacts], after: &[TaskFacts]) -> Vec<FactChange> {
    let empty: [String; 4] = Default::default();
    let mut out = Vec::new();
    for (i, (b, a)) in before.iter().zip(after).enumerate() {
        let (Some(a), b) = (a, b.as_ref().unwrap_or(&empty)) else {
            continue;
        };
        for (k, field) in CHANGE_FIELDS.iter().enumerate() {
            if a[k] != b[k] {
                out.push((i, *field, b[k].clone(), a[k].clone()));
            }
        }
    }
    out
}
