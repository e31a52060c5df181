//! What a run reports beside its diagnostics, from the model and the
//! figures: the summary `check` prints (counts, overdue tasks, missing
//! reports, the reports due next, replies to remind of), and the warnings
//! that need the figures (overdue without an update, a dissolved lead, a
//! responsible official not followed, a missing report).

use crate::date::{self, Date};
use crate::diag::{Diagnostics, Loc};
use crate::{editor, index, model, status};

/// The figures a `check` run prints at the end.
#[derive(Debug, Clone)]
pub struct Summary {
    pub as_of: Date,
    pub total: usize,
    /// (status code, count) in rule order; the labels are in the message
    /// catalogue (`status_label.<code>`).
    pub counts: Vec<(&'static str, usize)>,
    /// (task id, title, lead, days late), most overdue first.
    pub overdue: Vec<(String, String, String, i64)>,
    /// (agency id, months missing as YYYY-MM).
    pub missing_reports: Vec<(String, Vec<String>)>,
    /// The reports due next, if any agency owes one.
    pub next_reports: Option<NextReports>,
    /// On a site with English pages: how many texts of the translators'
    /// catalogue have no English yet, of how many
    /// ([`editor::translations::untranslated`]).
    pub untranslated: Option<(usize, usize)>,
    /// Replies to remind of: proposals awaiting a reply that falls due
    /// before the next report day (overdue ones first).
    pub replies_due: Option<RepliesDue>,
}

/// The reminders `check` prints: every proposal still awaiting a reply
/// due before the next report day.
#[derive(Debug, Clone)]
pub struct RepliesDue {
    /// The next report day.
    pub before: Date,
    /// (agency that owes the reply, proposal `agency/id`, reply due), in
    /// the register's order.
    pub replies: Vec<(String, String, Date)>,
}

/// The coming period's reports: the first month whose report day falls
/// after the as-of date, and the agencies that owe it and have not yet
/// submitted it.
#[derive(Debug, Clone)]
pub struct NextReports {
    /// YYYY-MM.
    pub period: String,
    pub due: Date,
    pub days_left: i64,
    /// (agency id, agency name), by id.
    pub agencies: Vec<(String, String)>,
}

/// Warnings that need the figures: overdue tasks nobody reported on, and
/// missing monthly reports.
pub(crate) fn progress_warnings(m: &model::Model, fig: &status::Figures, diags: &mut Diagnostics) {
    for (i, s) in fig.tasks.iter().enumerate() {
        if s.status == status::Status::Overdue && s.last_update.is_none() {
            let t = &m.tasks[i];
            let deadline = match s.deadline {
                Some(date::Deadline::Date(day, _)) => date::fmt_date(day),
                other => other.map(|d| d.code()).unwrap_or_default(),
            };
            diags.warning(
                t.loc.clone(),
                crate::msg!("status.overdue_no_update", task = &t.id, deadline),
            );
        }
    }
    // Nobody answers for an open task whose lead was dissolved without a
    // successor: the editor should name one.
    for (t, s) in m.tasks.iter().zip(&fig.tasks) {
        let done = matches!(
            s.status,
            status::Status::DoneOnTime | status::Status::DoneLate
        );
        if let Some(lead) = &t.lead
            && s.lead_on.is_none()
            && !done
        {
            diags.warning(
                t.loc.clone(),
                crate::msg!("status.lead_dissolved", task = &t.id, lead),
            );
        }
    }
    // The accountable official does not follow a merger by itself: warn
    // where the successor's cannot be read from `responsible`.
    for (t, s) in m.tasks.iter().zip(&fig.tasks) {
        if let Some(status::Responsible::NotDerived { from }) = &s.responsible_on
            && !s.status.is_done()
        {
            diags.warning(
                t.loc.clone(),
                crate::msg!(
                    "status.responsible_not_followed",
                    task = &t.id,
                    from,
                    lead = s.lead_on.clone().unwrap_or_default()
                ),
            );
        }
    }
    for (agency, months) in fig.missing_reports() {
        let loc = m.agency(agency).map_or_else(
            || Loc::file(&"content/agencies.yaml".into()),
            |a| a.loc.clone(),
        );
        for p in months {
            if m.report_submitted_after(agency, p, fig.as_of) {
                continue; // said at the report's `submitted`
            }
            let due = date::fmt_date(p.report_day(m.site().report_day));
            diags.warning(
                loc.clone(),
                crate::msg!("status.report_missing", agency, period = p, due),
            );
        }
    }
}

pub(crate) fn summary(m: &model::Model, fig: &status::Figures) -> Summary {
    Summary {
        as_of: fig.as_of,
        total: fig.overall.total,
        counts: status::Status::ALL
            .iter()
            .map(|&s| (s.code(), fig.overall.count(s)))
            .collect(),
        overdue: fig
            .overall
            .overdue
            .iter()
            .map(|&i| {
                let t = &m.tasks[i];
                let s = &fig.tasks[i];
                (
                    t.id.clone(),
                    t.title.clone(),
                    s.lead_on.clone().unwrap_or_default(),
                    s.days_late.unwrap_or(0),
                )
            })
            .collect(),
        missing_reports: fig
            .missing_reports()
            .into_iter()
            .map(|(a, ps)| (a.to_string(), ps.iter().map(|p| p.key()).collect()))
            .collect(),
        next_reports: None,
        replies_due: None,
        untranslated: m
            .site()
            .languages
            .iter()
            .any(|l| l == "en")
            .then(|| editor::translations::untranslated(m)),
    }
}

/// Who owes the coming period's report. The status stage decides which
/// agencies owe a month once its report day is reached; computing the
/// figures as of that day applies the very same rule, and a duty counts as
/// met only by a report submitted by the real as-of date.
pub(crate) fn next_reports(
    m: &model::Model,
    prepared: &status::Prepared,
    as_of: Date,
) -> Option<NextReports> {
    let day = m.site().report_day;
    let period = date::Period::reported_after(as_of, day);
    let due = period.report_day(day);
    let ahead = prepared.archived(due);
    let agencies: Vec<(String, String)> = ahead
        .months
        .get(&period)?
        .iter()
        .filter(|d| d.report.is_none_or(|i| m.reports[i].submitted > as_of))
        .map(|d| {
            let name = m
                .agency(&d.agency)
                .map(|a| a.name.clone())
                .unwrap_or_default();
            (d.agency.clone(), name)
        })
        .collect();
    (!agencies.is_empty()).then(|| NextReports {
        period: period.key(),
        due,
        days_left: (due - as_of).num_days(),
        agencies,
    })
}

/// The proposals whose reply falls due before the next report day and has
/// not come: what `check` reminds the addressees of.
pub(crate) fn replies_due(m: &model::Model, fig: &status::Figures) -> Option<RepliesDue> {
    let day = m.site().report_day;
    let before = date::Period::reported_after(fig.as_of, day).report_day(day);
    let replies: Vec<(String, String, Date)> = index::ProposalIndex::build(m, fig)
        .due_before(m, fig, before)
        .map(|(owes, p)| (owes.to_string(), p.key(), p.reply_by))
        .collect();
    (!replies.is_empty()).then_some(RepliesDue { before, replies })
}
