//! Part of status: the monthly reporting duty. Input: the model, the
//! lead's updates and D. Output: each judged month's [`Duty`] per agency
//! and, for recurring tasks, the lead's reporting period by period.

use super::*;

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
pub(super) fn duties(
    m: &Model,
    lead_updates: &[Vec<UpdateRef>],
    as_of: Date,
) -> BTreeMap<Period, Vec<Duty>> {
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
pub(super) fn recurring_reporting(
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
