//! Part of status: roll-ups. Input: the tasks' statuses on D. Output:
//! [`Rollup`] for any set of tasks (portal, plan, agency, group) under one
//! definition, each agency's [`AgencyFigures`], and the one ranking of
//! agencies.

use super::*;

/// Counts and figures for a set of tasks (an agency, a group, a plan,
/// the whole portal). One definition everywhere (README, "Figures"):
/// recurring tasks (`monthly`, `ongoing`) can never be done, so they are
/// counted apart and left out of the share done and the mean progress;
/// every other task, with or without a lead, is "a task that can finish".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rollup {
    /// Tasks per status, in [`Status::ALL`] order; they add up to `total`.
    pub counts: [usize; Status::ALL.len()],
    /// Every task in the set.
    pub total: usize,
    /// Tasks that can finish: `total` minus `recurring`.
    pub finite: usize,
    /// Recurring tasks (status `ongoing`).
    pub recurring: usize,
    /// Tasks done (on time or late); all among `finite`.
    pub done: usize,
    /// Of the tasks that can finish, those that have fallen due on D
    /// ([`TaskStatus::fallen_due`]), and how many of them are done: the
    /// headline leads with these, the whole plan beside them.
    pub fallen_due: usize,
    pub fallen_due_done: usize,
    /// Task indices, most days late first (then by id).
    pub overdue: Vec<usize>,
    /// done on time / (done on time + done late); `None` before any is done.
    pub on_time_rate: Option<f64>,
    /// Mean progress in percent of the tasks that can finish; `None` when
    /// there is none.
    pub avg_progress: Option<f64>,
    /// Open tasks whose lead missed its latest owed report.
    pub stale: usize,
}

impl Rollup {
    pub fn of(tasks: impl Iterator<Item = usize>, fig: &[TaskStatus], m: &Model) -> Rollup {
        Rollup::by(tasks, fig, |a, b| m.tasks[a].id.cmp(&m.tasks[b].id))
    }

    /// [`Rollup::of`] with `rank[i]` the place of task `i` in the order
    /// of ids (tasks with the same id ranked the same).
    pub(super) fn ranked(
        tasks: impl Iterator<Item = usize>,
        fig: &[TaskStatus],
        rank: &[usize],
    ) -> Rollup {
        Rollup::by(tasks, fig, |a, b| rank[a].cmp(&rank[b]))
    }

    /// A roll-up, overdue tasks with equal days late in `by_id` order.
    fn by(
        tasks: impl Iterator<Item = usize>,
        fig: &[TaskStatus],
        by_id: impl Fn(usize, usize) -> std::cmp::Ordering,
    ) -> Rollup {
        let mut r = Rollup::default();
        let mut progress = 0.0;
        for i in tasks {
            let s = &fig[i];
            r.counts[s.status.index()] += 1;
            r.total += 1;
            r.stale += usize::from(s.stale);
            if s.status == Status::Ongoing {
                r.recurring += 1;
            } else {
                r.finite += 1;
                progress += s.progress;
                if s.fallen_due {
                    r.fallen_due += 1;
                    r.fallen_due_done += usize::from(s.status.is_done());
                }
            }
            if s.status == Status::Overdue {
                r.overdue.push(i);
            }
        }
        r.done = r.count(Status::DoneOnTime) + r.count(Status::DoneLate);
        if r.done > 0 {
            r.on_time_rate = Some(r.count(Status::DoneOnTime) as f64 / r.done as f64);
        }
        if r.finite > 0 {
            r.avg_progress = Some(progress / r.finite as f64);
        }
        r.overdue.sort_by(|&a, &b| {
            fig[b]
                .days_late
                .cmp(&fig[a].days_late)
                .then_with(|| by_id(a, b))
        });
        r
    }

    pub fn count(&self, s: Status) -> usize {
        self.counts[s.index()]
    }

    /// Share of the tasks that can finish that are done, 0..1.
    pub fn share_done(&self) -> f64 {
        if self.finite == 0 {
            0.0
        } else {
            self.done as f64 / self.finite as f64
        }
    }
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

/// Agencies that lead a task on D, the most overdue first, then the most
/// open tasks, the most tasks, and by id.
pub(super) fn agency_ranking(agencies: &BTreeMap<String, AgencyFigures>) -> Vec<String> {
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
