//! Part of status: what does not depend on the date, worked out once. Input:
//! the model. Output: [`Prepared`], which computes [`Figures`] for any date
//! (the live date, every archived month-end, the next report day) without
//! redoing the date-free work: each task's updates sorted and split by
//! lead, agencies, tasks and KPIs by index instead of by id, each agency's
//! lineage as dated steps, each KPI's values. Over 600 lines: the
//! date-free tables and the one function that builds figures from them
//! share private state; split, the tables would have to be public.

use super::*;
use crate::model::KpiValue;
use rayon::prelude::*;
use std::sync::{Arc, Mutex, OnceLock};

/// The date-independent part of the status stage; [`Prepared::figures`]
/// gives the figures on a date. Shared between threads (it is `Sync`).
pub struct Prepared<'m> {
    pub(super) m: &'m Model,
    due_soon: i64,
    /// Per task: every update, lead or support, in the order they count:
    /// by submission date, then period, then agency.
    pub(super) updates: Vec<Vec<UpdateRef<'m>>>,
    /// Per task: the updates of `updates` from the agency that held the
    /// lead on submission, in the same order.
    pub(super) lead_updates: Vec<Vec<UpdateRef<'m>>>,
    /// Per task, one after the other: for each of the lead's updates, what
    /// the rule table reads when it is the latest known ([`Latest`]).
    latest: Vec<Latest>,
    /// The submission day of each of `latest`, apart: searched often.
    latest_days: Vec<Date>,
    /// Where each task's run in `latest` starts (one more at the end).
    latest_at: Vec<usize>,
    /// Per report, per update: the index of its task (`None` for an
    /// unknown task).
    pub(super) update_task: Vec<Vec<Option<usize>>>,
    /// Per agency: from which day which agency holds its duties (the first
    /// step from `Date::MIN`), as [`Model::holder_on`] answers.
    lineage: Vec<Vec<(Date, Option<usize>)>>,
    /// Per task: the agency named as lead (`None` without one, or unknown).
    pub(super) task_lead: Vec<Option<usize>>,
    /// Per task: the agencies named as support that exist, in order.
    pub(super) task_support: Vec<Vec<usize>>,
    /// Per agency: its working group.
    agency_group: Vec<Option<usize>>,
    /// Agency indices by id.
    pub(super) agency_order: Vec<usize>,
    /// Per plan: its tasks, in model order.
    plan_tasks: Vec<Vec<usize>>,
    /// Per KPI: its values with the index of their report, in model order.
    kpi_values: Vec<Vec<(usize, &'m KpiValue)>>,
    /// Per KPI: the agency that owns it in the plan.
    kpi_owner: Vec<Option<usize>>,
    /// Per agency: per period (in order) its reports, in model order.
    reports_by: Vec<Vec<(Period, Vec<usize>)>>,
    ref_labels: Vec<String>,
    /// Per task: its place in the order of ids (the same for the same id).
    id_rank: Vec<usize>,
    /// Per report, per update: the task's status on the report's check
    /// day ([`ReportCheck::day`] before it is capped at D).
    checks: Vec<Vec<Option<Status>>>,
    /// Per month, filled when first asked: the agencies that owe its
    /// report ([`duties`]), which does not depend on D.
    owed: Cache<Vec<usize>>,
    /// Per month, filled when first asked: the tasks finished and those
    /// that became overdue in it, as known on its last day.
    month_ends: Cache<MonthEnd>,
}

/// Per month, a value computed once, by whichever thread first asks
/// (another thread asking meanwhile waits for it).
type Cache<T> = Mutex<HashMap<Period, Arc<OnceLock<Arc<T>>>>>;

/// What [`month_changes`] finds about tasks on a month's last day.
#[derive(Debug, Default)]
pub(super) struct MonthEnd {
    pub finished: Vec<usize>,
    pub became_overdue: Vec<usize>,
}

/// The value for `p` in `cache`, made by `make` the first time.
fn cached<T>(cache: &Cache<T>, p: Period, make: impl FnOnce() -> T) -> Arc<T> {
    let cell = match cache.lock() {
        Ok(mut map) => map.entry(p).or_default().clone(),
        Err(_) => Arc::new(OnceLock::new()),
    };
    cell.get_or_init(|| Arc::new(make())).clone()
}

/// How many of `list` (sorted by submission) were submitted by `d`.
pub(super) fn known_by(list: &[UpdateRef], d: Date) -> usize {
    list.partition_point(|u| u.report.submitted <= d)
}

impl<'m> Prepared<'m> {
    pub fn new(m: &'m Model) -> Prepared<'m> {
        let agency_ix = |id: &str| m.agency_ix.get(id).copied();
        let lineage: Vec<Vec<(Date, Option<usize>)>> =
            (0..m.agencies.len()).map(|i| lineage(m, i)).collect();
        let holder = |a: usize, d: Date| step(&lineage[a], d);
        let task_lead: Vec<Option<usize>> = m
            .tasks
            .iter()
            .map(|t| t.lead.as_deref().and_then(agency_ix))
            .collect();
        let task_support = m
            .tasks
            .iter()
            .map(|t| t.support.iter().filter_map(|a| agency_ix(a)).collect())
            .collect();

        let mut updates: Vec<Vec<UpdateRef>> = vec![Vec::new(); m.tasks.len()];
        let update_task: Vec<Vec<Option<usize>>> = m
            .reports
            .par_iter()
            .map(|r| r.updates.iter().map(|u| m.task_index(&u.task)).collect())
            .collect();
        let mut reports_by: Vec<BTreeMap<Period, Vec<usize>>> =
            vec![BTreeMap::new(); m.agencies.len()];
        for (ri, report) in m.reports.iter().enumerate() {
            let agency = agency_ix(&report.agency);
            if let Some(a) = agency {
                reports_by[a].entry(report.period).or_default().push(ri);
            }
            for (update, &i) in report.updates.iter().zip(&update_task[ri]) {
                if let Some(i) = i {
                    let lead = task_lead[i].and_then(|l| holder(l, report.submitted));
                    updates[i].push(UpdateRef {
                        report,
                        update,
                        from_lead: agency.is_some() && lead == agency,
                    });
                }
            }
        }
        updates.par_iter_mut().for_each(|list| {
            list.sort_by(|a, b| {
                (a.report.submitted, a.report.period, &a.report.agency).cmp(&(
                    b.report.submitted,
                    b.report.period,
                    &b.report.agency,
                ))
            });
        });
        let lead_updates: Vec<Vec<UpdateRef>> = updates
            .iter()
            .map(|l| l.iter().filter(|u| u.from_lead).copied().collect())
            .collect();
        let mut latest = Vec::new();
        let mut latest_at = vec![0];
        for list in &lead_updates {
            let mut so_far = None;
            for u in list {
                so_far = u.update.progress.or(so_far);
                latest.push(Latest {
                    submitted: u.report.submitted,
                    state: u.update.state,
                    progress: u.update.progress,
                    progress_so_far: so_far,
                    done_on: u.update.done_on,
                    outlook: u.update.outlook,
                });
            }
            latest_at.push(latest.len());
        }

        let mut kpi_values: Vec<Vec<(usize, &KpiValue)>> = vec![Vec::new(); m.kpis.len()];
        for (ri, r) in m.reports.iter().enumerate() {
            for v in &r.kpi_values {
                if let Some(&k) = m.kpi_ix.get(&v.kpi) {
                    kpi_values[k].push((ri, v));
                }
            }
        }
        let mut plan_tasks = vec![Vec::new(); m.plans.len()];
        for (i, t) in m.tasks.iter().enumerate() {
            if let Some(list) = plan_tasks.get_mut(t.plan) {
                list.push(i);
            }
        }
        let mut agency_order: Vec<usize> = (0..m.agencies.len()).collect();
        agency_order.sort_by(|&a, &b| m.agencies[a].id.cmp(&m.agencies[b].id));
        let mut prepared = Prepared {
            m,
            due_soon: m.site().due_soon_days,
            updates,
            lead_updates,
            latest_days: latest.iter().map(|l| l.submitted).collect(),
            latest,
            latest_at,
            update_task,
            task_lead,
            task_support,
            agency_group: m
                .agencies
                .iter()
                .map(|a| a.group.as_ref().and_then(|g| m.group_ix.get(g).copied()))
                .collect(),
            agency_order,
            plan_tasks,
            kpi_values,
            kpi_owner: m.kpis.iter().map(|k| agency_ix(&k.owner)).collect(),
            reports_by: reports_by
                .into_iter()
                .map(|by| by.into_iter().collect())
                .collect(),
            ref_labels: ref_labels(m),
            id_rank: id_rank(m),
            lineage,
            checks: Vec::new(),
            owed: Cache::default(),
            month_ends: Cache::default(),
        };
        let report_day = m.site().report_day;
        prepared.checks = m
            .reports
            .par_iter()
            .zip(&prepared.update_task)
            .map(|(r, tasks)| {
                let day = check_day(r, report_day);
                tasks
                    .iter()
                    .map(|t| t.map(|i| prepared.judged(i, day).status))
                    .collect()
            })
            .collect();
        prepared
    }

    /// The statuses of report `ri`'s tasks on `day`, the report's check
    /// day capped at D ([`ReportCheck::day`]).
    pub(super) fn checks(&self, ri: usize, day: Date) -> Vec<Option<Status>> {
        let r = &self.m.reports[ri];
        if check_day(r, self.m.site().report_day) <= day {
            return self.checks[ri].clone();
        }
        self.update_task[ri]
            .iter()
            .map(|t| t.map(|i| self.judged(i, day).status))
            .collect()
    }

    /// The agencies that owe the report for month `p`, in id order: every
    /// agency (as resolved on the report day) that leads or supports a
    /// task of a plan issued before the report day that was open on the
    /// first day of `p`, when reports are owed for `p` under that plan.
    pub(super) fn owed(&self, p: Period) -> Arc<Vec<usize>> {
        cached(&self.owed, p, || {
            let m = self.m;
            let due = p.report_day(m.site().report_day);
            let mut owes = vec![false; m.agencies.len()];
            for (i, t) in m.tasks.iter().enumerate() {
                // A plan issued after `p` has `due` before its issue date.
                if due > m.plans[t.plan].issued
                    && m.reporting_owed(t.plan, p)
                    && self.open_on(i, p.first_day())
                {
                    for &a in self.task_lead[i].iter().chain(&self.task_support[i]) {
                        if let Some(h) = self.holder(a, due) {
                            owes[h] = true;
                        }
                    }
                }
            }
            self.agency_order
                .iter()
                .copied()
                .filter(|&a| owes[a])
                .collect()
        })
    }

    /// Tasks finished in month `p` and tasks that became overdue in it, as
    /// known on its last day.
    pub(super) fn month_end(&self, p: Period) -> Arc<MonthEnd> {
        cached(&self.month_ends, p, || self.month_end_on(p, p.last_day()))
    }

    /// Tasks finished in month `p` and tasks that became overdue in it, as
    /// known on `end`.
    pub(super) fn month_end_on(&self, p: Period, end: Date) -> MonthEnd {
        let mut c = MonthEnd::default();
        for i in 0..self.m.tasks.len() {
            let at_end = self.judged(i, end);
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
        }
        c
    }

    /// The agency that holds agency `a`'s duties on `d` (as
    /// [`Model::holder_on`]).
    pub(super) fn holder(&self, a: usize, d: Date) -> Option<usize> {
        step(&self.lineage[a], d)
    }

    /// The agency that leads task `i` on `d`.
    pub(super) fn lead_on(&self, i: usize, d: Date) -> Option<usize> {
        self.task_lead[i].and_then(|l| self.holder(l, d))
    }

    /// The last report of agency `a` for `period` submitted by `d`.
    pub(super) fn report_of(&self, a: usize, period: Period, d: Date) -> Option<usize> {
        let by = &self.reports_by[a];
        let at = by.binary_search_by(|(p, _)| p.cmp(&period)).ok()?;
        by[at]
            .1
            .iter()
            .rev()
            .copied()
            .find(|&ri| self.m.reports[ri].submitted <= d)
    }

    /// The submission days of the lead's updates on task `i`, and where
    /// they start in `latest`.
    fn days_of(&self, i: usize) -> (&[Date], usize) {
        let (from, to) = (self.latest_at[i], self.latest_at[i + 1]);
        (&self.latest_days[from..to], from)
    }

    /// The lead's latest update on task `i` known on `d`.
    fn latest_on(&self, i: usize, d: Date) -> Option<&Latest> {
        let (days, from) = self.days_of(i);
        let known = days.partition_point(|s| *s <= d);
        known.checked_sub(1).map(|k| &self.latest[from + k])
    }

    /// Whether task `i` was open on `day`: not reported done by its lead
    /// in a report submitted before that day. A later update that is not
    /// done re-opens it.
    fn open_on(&self, i: usize, day: Date) -> bool {
        let (days, from) = self.days_of(i);
        let before = days.partition_point(|s| *s < day);
        before == 0 || self.latest[from + before - 1].state != TaskState::Done
    }

    /// Task `i`'s status on `d` by the rule table, without the agencies.
    pub(super) fn judged(&self, i: usize, d: Date) -> Judged {
        judge(
            self.latest_on(i, d),
            deadline_on(&self.m.tasks[i], d),
            d,
            self.due_soon,
            || self.lead_on(i, d).is_some(),
        )
    }

    /// Task `i`'s standing on `d` ([`task_status`]) and its lead then.
    fn task_status(&self, i: usize, d: Date) -> (TaskStatus, Option<usize>) {
        let m = self.m;
        let task = &m.tasks[i];
        let lead = self.lead_on(i, d);
        let j = judge(
            self.latest_on(i, d),
            deadline_on(&self.m.tasks[i], d),
            d,
            self.due_soon,
            || lead.is_some(),
        );
        // A finished task keeps the lead that finished it, even once that
        // agency is dissolved without successor.
        let lead = lead.or_else(|| j.done_on.and_then(|day| self.lead_on(i, day)));
        let lead_id = lead.map(|l| m.agencies[l].id.as_str());
        let mut support_on: Vec<String> = Vec::new();
        let supports = &self.task_support[i];
        for (k, &a) in supports.iter().enumerate() {
            if let Some(h) = self.holder(a, d)
                && Some(h) != lead
                && !supports[..k].iter().any(|&b| self.holder(b, d) == Some(h))
            {
                support_on.push(m.agencies[h].id.clone());
            }
        }
        // Nothing changed hands when the plan's lead still leads.
        let responsible = if self.task_lead[i] == lead {
            None
        } else {
            responsible_on(m, task, lead_id)
        };
        let mut status = TaskStatus::of(j, lead_id.map(str::to_string), support_on, responsible);
        status.issued = m.plans[task.plan].issued <= d;
        status.outlook = self.latest_on(i, d).and_then(|l| l.outlook);
        (status, lead)
    }

    /// KPI `k` as of `as_of` ([`kpi::kpi_status`]).
    fn kpi_status(&self, k: usize, as_of: Date) -> KpiStatus {
        let m = self.m;
        let owner_on = self.kpi_owner[k]
            .and_then(|a| self.holder(a, as_of))
            .map(|a| m.agencies[a].id.clone());
        kpi::kpi_status_of(m, k, self.kpi_values[k].iter().copied(), owner_on, as_of)
    }

    /// Every figure as of `as_of`.
    pub fn figures(&self, as_of: Date) -> Figures<'m> {
        self.build(as_of, true)
    }

    /// The figures as the monthly archive keeps them: without timelines,
    /// events or burn-up (the archive shows none), which keeps memory flat
    /// at national scale.
    pub fn archived(&self, as_of: Date) -> Figures<'m> {
        self.build(as_of, false)
    }

    fn build(&self, as_of: Date, full: bool) -> Figures<'m> {
        let m = self.m;
        let n = m.tasks.len();
        let (mut tasks, leads): (Vec<TaskStatus>, Vec<Option<usize>>) = (0..n)
            .into_par_iter()
            .map(|i| self.task_status(i, as_of))
            .unzip();
        let timelines: Vec<Vec<UpdateRef>> = if full {
            self.updates
                .iter()
                .map(|l| l[..known_by(l, as_of)].to_vec())
                .collect()
        } else {
            Vec::new()
        };

        let (months, duty_agencies) = owed_duties(self, as_of);
        self.freshness(&mut tasks, &leads, &months, &duty_agencies, as_of);
        // A task of a plan not issued by D counts nowhere.
        let issued: Vec<bool> = tasks.iter().map(|s| s.issued).collect();
        let overall = Rollup::ranked((0..n).filter(|&i| issued[i]), &tasks, &self.id_rank);
        let plans = self
            .plan_tasks
            .iter()
            .map(|list| {
                let list = list.iter().copied().filter(|&i| issued[i]);
                Rollup::ranked(list, &tasks, &self.id_rank)
            })
            .collect();

        let mut per_agency: Vec<AgencyFigures> = vec![AgencyFigures::default(); m.agencies.len()];
        for (i, &lead) in leads.iter().enumerate() {
            if !issued[i] {
                continue;
            }
            if let Some(l) = lead {
                per_agency[l].leads.push(i);
            }
            for &a in &self.task_support[i] {
                if let Some(h) = self.holder(a, as_of)
                    && Some(h) != lead
                    && per_agency[h].supports.last() != Some(&i)
                {
                    per_agency[h].supports.push(i);
                }
            }
        }
        for a in &mut per_agency {
            a.rollup = Rollup::ranked(a.leads.iter().copied(), &tasks, &self.id_rank);
        }
        let mut group_lists: Vec<Vec<usize>> = vec![Vec::new(); m.groups.len()];
        let mut grouped = vec![false; n];
        for (i, lead) in leads.iter().enumerate().filter(|(i, _)| issued[*i]) {
            if let Some(g) = lead.and_then(|l| self.agency_group[l]) {
                group_lists[g].push(i);
                grouped[i] = true;
            }
        }
        let groups: BTreeMap<String, Rollup> = m
            .groups
            .iter()
            .zip(&group_lists)
            .map(|(g, list)| {
                (
                    g.id.clone(),
                    Rollup::ranked(list.iter().copied(), &tasks, &self.id_rank),
                )
            })
            .collect();
        let group_leads: BTreeMap<String, Vec<usize>> = m
            .groups
            .iter()
            .zip(group_lists)
            .map(|(g, list)| (g.id.clone(), list))
            .collect();
        let ungrouped = (0..n).filter(|&i| issued[i] && !grouped[i]).collect();
        let unassigned = (0..n)
            .filter(|&i| issued[i] && leads[i].is_none())
            .collect();

        for (d, &a) in months.values().flatten().zip(&duty_agencies) {
            per_agency[a].duties.push(d.clone());
        }
        for a in &mut per_agency {
            if !a.duties.is_empty() {
                a.compliance =
                    Some(a.count(|o| *o == Outcome::OnTime) as f64 / a.duties.len() as f64);
            }
        }
        let agencies: BTreeMap<String, AgencyFigures> = m
            .agencies
            .iter()
            .zip(per_agency)
            .map(|(a, f)| (a.id.clone(), f))
            .collect();
        let recurring = recurring_reporting(self, &tasks, as_of);
        let kpis = (0..m.kpis.len())
            .map(|k| self.kpi_status(k, as_of))
            .collect::<Vec<_>>();
        let changes = month_changes(self, &kpis, as_of);
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
        let report_checks = report_checks(self, as_of);
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
            ref_labels: self.ref_labels.clone(),
            burnup: Vec::new(),
            events: Vec::new(),
            proposals: super::proposals::proposals(m, as_of),
        };
        if full {
            // Both read the figures above.
            fig.burnup = burnup(m, &fig);
            fig.events = events(m, &fig);
        }
        fig
    }

    /// Freshness of every open task with a lead on D: when the next report
    /// on it is due ([`TaskStatus::next_report_due`]) and whether the lead
    /// missed the latest report it owed ([`TaskStatus::stale`]).
    fn freshness(
        &self,
        tasks: &mut [TaskStatus],
        leads: &[Option<usize>],
        months: &BTreeMap<Period, Vec<Duty>>,
        duty_agencies: &[usize],
        d: Date,
    ) {
        let m = self.m;
        let report_day = m.site().report_day;
        // Each agency's latest owed report (months are in order).
        let mut latest: Vec<Option<Outcome>> = vec![None; m.agencies.len()];
        for (duty, &a) in months.values().flatten().zip(duty_agencies) {
            latest[a] = Some(duty.outcome);
        }
        let mut first = Period::of(d);
        if first.report_day(report_day) < d {
            first = first.next();
        }
        for (i, ((t, s), lead)) in m.tasks.iter().zip(tasks.iter_mut()).zip(leads).enumerate() {
            let Some(lead) = *lead else {
                continue;
            };
            if s.status.is_done() || !s.issued {
                continue;
            }
            s.stale = latest[lead] == Some(Outcome::Missing) || self.unreported(i, d);
            let mut p = first;
            if let Some(from) = m.plans[t.plan].reporting_from
                && from > p
            {
                p = from;
            }
            while self.report_of(lead, p, d).is_some() {
                p = p.next();
            }
            s.next_report_due = Some(p.report_day(report_day));
        }
    }
}

impl Prepared<'_> {
    /// Whether the lead of task `i` has said nothing of it since the first
    /// report on it fell due: the report day of the first month after the
    /// plan's issue date (from the plan's `reporting_from` on) has passed
    /// by `d`, and no update of the lead's on the task comes from a report
    /// of that month or later known by `d`. A task the lead never reported
    /// on is stale as soon as its first report fell due (README, design
    /// notes: stale).
    fn unreported(&self, i: usize, d: Date) -> bool {
        let m = self.m;
        let plan = &m.plans[m.tasks[i].plan];
        let day = m.site().report_day;
        let mut first = Period::of(plan.issued);
        if first.report_day(day) <= plan.issued {
            first = first.next();
        }
        if let Some(from) = plan.reporting_from {
            first = first.max(from);
        }
        if first.report_day(day) > d {
            return false;
        }
        let known = &self.lead_updates[i][..known_by(&self.lead_updates[i], d)];
        !known.iter().any(|u| u.report.period >= first)
    }
}

/// The day a report's updates are checked against the portal's status:
/// the month's report day, or the day the report came in when later.
pub(super) fn check_day(r: &Report, report_day: u32) -> Date {
    r.period.report_day(report_day).max(r.submitted)
}

/// Each task's place in the order of ids, the same for the same id.
fn id_rank(m: &Model) -> Vec<usize> {
    let mut order: Vec<usize> = (0..m.tasks.len()).collect();
    order.sort_by(|&a, &b| m.tasks[a].id.cmp(&m.tasks[b].id));
    let mut rank = vec![0; m.tasks.len()];
    let mut place = 0;
    for (k, &i) in order.iter().enumerate() {
        if k > 0 && m.tasks[order[k - 1]].id != m.tasks[i].id {
            place = k;
        }
        rank[i] = place;
    }
    rank
}

/// The dated steps of who holds agency `i`'s duties: one from `Date::MIN`,
/// then one at each succession day along its lineage where the holder
/// changes. [`Model::holder_on`] only compares succession days with the
/// date, so its answer changes at most on those days.
fn lineage(m: &Model, i: usize) -> Vec<(Date, Option<usize>)> {
    let mut days = Vec::new();
    let mut seen = Vec::new();
    let mut current = Some(i);
    while let Some(a) = current {
        if seen.contains(&a) {
            break;
        }
        seen.push(a);
        current = match &m.agencies[a].succession {
            Some(s) => {
                days.push(s.date);
                s.to.as_deref().and_then(|to| m.agency_ix.get(to).copied())
            }
            None => None,
        };
    }
    days.sort_unstable();
    days.dedup();
    let id = m.agencies[i].id.as_str();
    let at = |d: Date| m.holder_on(id, d).and_then(|h| m.agency_ix.get(h).copied());
    let mut steps = vec![(Date::MIN, at(Date::MIN))];
    for d in days {
        let h = at(d);
        if steps.last().is_some_and(|s| s.1 != h) {
            steps.push((d, h));
        }
    }
    steps
}

/// The holder on `d` from [`lineage`] steps.
fn step(steps: &[(Date, Option<usize>)], d: Date) -> Option<usize> {
    steps.iter().rev().find(|s| s.0 <= d).and_then(|s| s.1)
}
