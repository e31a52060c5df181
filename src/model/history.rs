//! Checks across reports, once every report is read: a report copied
//! into another month, a task undone without a reason, progress going
//! backwards, a task newly blocked without a note, many reports after
//! their agency's end, reports on a plan submitted before it was issued,
//! and each KPI value against its whole series ([`series_checks`]).

use super::agencies::ended;
use super::kpis::{SaidValue, series_checks};
use super::*;

/// What one update said, kept to compare reports with each other.
pub(super) struct Said {
    /// The task's index, which orders like the task for grouping (sorting
    /// by the id was 1% of a national build).
    pub(super) task_ix: usize,
    pub(super) task: String,
    pub(super) agency: String,
    pub(super) submitted: Date,
    pub(super) period: Period,
    pub(super) state: TaskState,
    pub(super) progress: Option<f64>,
    pub(super) noted: bool,
    pub(super) reopened: bool,
    pub(super) loc: Loc,
    /// Where `state: blocked` is written, when the update has no note.
    pub(super) blocked_unexplained: Option<Loc>,
}

/// Every update and every report's dates, for the checks across reports:
/// a report copied into another period, a done task undone without a
/// reason, progress that goes backwards without a note.
#[derive(Default)]
pub(super) struct History {
    pub(super) said: Vec<Said>,
    pub(super) submissions: Vec<Submission>,
    pub(super) values: Vec<SaidValue>,
    /// Reports submitted after their agency ended: (agency, submitted,
    /// where). A few are misfiled; many mean the end's date is wrong.
    pub(super) after_end: Vec<(String, Date, Loc)>,
    /// Updates on a plan's tasks in reports submitted before the plan was
    /// issued: (plan, submitted, where).
    pub(super) before_issued: Vec<(usize, Date, Loc)>,
    /// Proposals and replies as each report wrote them, for
    /// [`super::proposals::assemble`].
    pub(super) threads: super::proposals::Threads,
}

/// This many reports of one agency submitted after its end point at the
/// end's date in agencies.yaml, not at each report.
const REPORTS_AFTER_END: usize = 3;

/// A report's agency and dates, and where `submitted` is written.
pub(super) struct Submission {
    pub(super) agency: String,
    pub(super) submitted: Date,
    pub(super) period: Period,
    pub(super) loc: Loc,
}

impl History {
    pub(super) fn check(mut self, m: &Model, diags: &mut Diagnostics) {
        series_checks(m, std::mem::take(&mut self.values), diags);
        reports_after_end(m, std::mem::take(&mut self.after_end), diags);
        reports_before_issued(m, std::mem::take(&mut self.before_issued), diags);
        self.submissions.sort_by(|a, b| {
            (&a.agency, a.submitted, a.period).cmp(&(&b.agency, b.submitted, b.period))
        });
        for (i, now) in self.submissions.iter().enumerate() {
            let copied_from = i
                .checked_sub(1)
                .map(|j| &self.submissions[j])
                .filter(|b| b.agency == now.agency && b.submitted == now.submitted);
            let submitted = fmt_date(now.submitted);
            // One cause, one message: a copy is named as a copy, not also
            // as a report submitted before its month.
            if let Some(first) = copied_from {
                diags.error(
                    now.loc.clone(),
                    msg!(
                        "report.copied",
                        agency = &now.agency,
                        period = now.period,
                        submitted,
                        other = first.period,
                        first = &first.loc
                    ),
                );
            } else if now.submitted < now.period.first_day() {
                diags.error(
                    now.loc.clone(),
                    msg!(
                        "report.submitted_before_period",
                        submitted,
                        period = now.period
                    ),
                );
            }
        }
        // Grouped by task and agency, each group in date order.
        self.said.sort_by(|a, b| {
            a.task_ix.cmp(&b.task_ix).then_with(|| {
                (&a.agency, a.submitted, a.period).cmp(&(&b.agency, b.submitted, b.period))
            })
        });
        // A task newly blocked with no word of what blocks it. Blocked
        // last month too, the reason was given then (`new report` carries
        // the state forward, not the note).
        for (i, now) in self.said.iter().enumerate() {
            let Some(at) = &now.blocked_unexplained else {
                continue;
            };
            let before = i
                .checked_sub(1)
                .map(|j| &self.said[j])
                .filter(|b| b.task_ix == now.task_ix && b.agency == now.agency);
            if before.is_none_or(|b| b.state != TaskState::Blocked) {
                diags.warning(at.clone(), msg!("update.blocked_without_note"));
            }
        }
        for pair in self.said.windows(2) {
            let [before, now] = pair else { continue };
            if before.task != now.task || before.agency != now.agency {
                continue;
            }
            if before.state == TaskState::Done && now.state != TaskState::Done && !now.reopened {
                diags.error(
                    now.loc.clone(),
                    msg!(
                        "update.undone",
                        task = &now.task,
                        period = before.period,
                        first = &before.loc
                    ),
                );
            } else if let (Some(was), Some(is)) = (before.progress, now.progress)
                && is < was
                && !now.noted
                && !now.reopened
            {
                diags.warning(
                    now.loc.clone(),
                    msg!(
                        "update.progress_backwards",
                        task = &now.task,
                        was,
                        is,
                        period = before.period
                    ),
                );
            }
        }
    }
}

/// Reports submitted after their agency ended: each is an error where
/// `submitted` is written, unless there are many, which points at the
/// date of the end: then one error there.
fn reports_after_end(m: &Model, mut after: Vec<(String, Date, Loc)>, diags: &mut Diagnostics) {
    after.sort();
    for group in after.chunk_by(|a, b| a.0 == b.0) {
        let (id, first_date, first) = &group[0];
        let end = m.agency(id).and_then(|a| a.succession.as_ref());
        match end {
            Some(end) if group.len() >= REPORTS_AFTER_END => diags.error(
                end.loc.clone(),
                msg!(
                    "agency.reports_after_end",
                    id,
                    count = group.len(),
                    first_date = fmt_date(*first_date),
                    first,
                    ended = ended(m, id)
                ),
            ),
            _ => {
                for (_, _, at) in group {
                    diags.error(at.clone(), ended(m, id));
                }
            }
        }
    }
}

/// A report on a plan's task submitted before the plan was issued: the
/// issue date is wrong (a year typo) or the report is. One error at
/// `issued`, naming the first such report.
fn reports_before_issued(m: &Model, mut early: Vec<(usize, Date, Loc)>, diags: &mut Diagnostics) {
    early.sort();
    for group in early.chunk_by(|a, b| a.0 == b.0) {
        let (plan, submitted, first) = &group[0];
        let (Some(p), Some(at)) = (m.plans.get(*plan), m.places.plan_issued.get(*plan)) else {
            continue;
        };
        diags.error(
            at.clone(),
            msg!(
                "plan.issued_after_reports",
                issued = fmt_date(p.issued),
                submitted = fmt_date(*submitted),
                first
            ),
        );
    }
}
