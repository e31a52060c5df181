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

/// The months D has judged, each with its owed reports: for month M whose
/// report day falls after a plan's issue date and on or before D, every
/// agency (as resolved on the report day) that leads or supports a task of
/// that plan open on the first day of M ([`Prepared::owed`]). With them,
/// the index of each duty's agency, in the same order.
pub(super) fn duties(pr: &Prepared, as_of: Date) -> (BTreeMap<Period, Vec<Duty>>, Vec<usize>) {
    let m = pr.m;
    let day = m.site().report_day;
    let mut out = BTreeMap::new();
    let mut agencies = Vec::new();
    let Some(mut p) = m
        .tasks
        .iter()
        .map(|t| Period::of(m.plans[t.plan].issued))
        .min()
    else {
        return (out, agencies);
    };
    // Every month's owed agencies, in parallel the first time.
    {
        use rayon::prelude::*;
        let mut months = Vec::new();
        let mut q = p;
        while q.report_day(day) <= as_of {
            months.push(q);
            q = q.next();
        }
        months.into_par_iter().for_each(|q| drop(pr.owed(q)));
    }
    while p.report_day(day) <= as_of {
        let owed = pr.owed(p);
        if !owed.is_empty() {
            let due = p.report_day(day);
            let list = owed
                .iter()
                .map(|&a| {
                    agencies.push(a);
                    let found = pr.report_of(a, p, as_of);
                    let outcome = match found.map(|i| &m.reports[i]) {
                        Some(r) if r.submitted <= due => Outcome::OnTime,
                        Some(r) => Outcome::Late((r.submitted - due).num_days()),
                        None => Outcome::Missing,
                    };
                    Duty {
                        agency: m.agencies[a].id.clone(),
                        period: p,
                        due,
                        outcome,
                        report: found,
                    }
                })
                .collect();
            out.insert(p, list);
        }
        p = p.next();
    }
    (out, agencies)
}

/// For recurring tasks: did the lead report on it, month by month?
pub(super) fn recurring_reporting(
    pr: &Prepared,
    tasks: &[TaskStatus],
    as_of: Date,
) -> HashMap<usize, Vec<(Period, Outcome)>> {
    let m = pr.m;
    let day = m.site().report_day;
    let mut out = HashMap::new();
    for (i, t) in m.tasks.iter().enumerate() {
        if tasks[i].status != Status::Ongoing {
            continue;
        }
        let updates = &pr.updates[i];
        let updates = &updates[..prepared::known_by(updates, as_of)];
        let issued = m.plans[t.plan].issued;
        let mut p = Period::of(issued);
        let mut list = Vec::new();
        while p.report_day(day) <= as_of {
            let due = p.report_day(day);
            if due > issued && m.reporting_owed(t.plan, p) {
                let lead = pr.lead_on(i, due).map(|h| m.agencies[h].id.as_str());
                let found = updates
                    .iter()
                    .filter(|u| u.report.period == p && Some(u.report.agency.as_str()) == lead)
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
