//! Monthly reports: agency, period and submission date, each update and
//! KPI value, and the checks across reports (copies, undone tasks,
//! progress going backwards).

use super::agencies::ended;
use super::articles::check_text;
use super::kpis::kpi_value_fits;
use super::*;

/// A report submitted more than this many days after its report day is
/// probably dated in the wrong year or copied from another period.
pub(super) const LONG_AFTER_DAYS: i64 = 92;

/// What one update said, kept to compare reports with each other.
pub(super) struct Said {
    /// The task's index, which orders like the task for grouping (sorting
    /// by the id was 1% of a national build).
    task_ix: usize,
    task: String,
    agency: String,
    submitted: Date,
    period: Period,
    state: TaskState,
    progress: Option<f64>,
    noted: bool,
    reopened: bool,
    loc: Loc,
}

/// Every update and every report's dates, for the checks across reports:
/// a report copied into another period, a done task undone without a
/// reason, progress that goes backwards without a note.
#[derive(Default)]
pub(super) struct History {
    pub(super) said: Vec<Said>,
    pub(super) submissions: Vec<Submission>,
}

/// A report's agency and dates, and where `submitted` is written.
pub(super) struct Submission {
    agency: String,
    submitted: Date,
    period: Period,
    loc: Loc,
}

impl History {
    pub(super) fn check(mut self, diags: &mut Diagnostics) {
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

/// One monthly report, checked; `None` when it cannot count (no agency,
/// period or submission date, or an agency that no longer exists).
/// What a report says of itself, as far as it could be read.
pub(super) struct Head {
    agency: Option<String>,
    period: Option<Period>,
    submitted: Option<Date>,
    /// False when the agency no longer existed on the submission day.
    exists: bool,
}

/// One monthly report, checked; `None` when it cannot count (no agency,
/// period or submission date, or an agency that no longer exists).
pub(super) fn report(
    m: &Model,
    rs: &crate::load::ReportSource,
    files: &HashSet<(String, String)>,
    history: &mut History,
    diags: &mut Diagnostics,
) -> Option<Report> {
    let src = &rs.source;
    let mut cx = Cx::new(src, m, diags);
    let r = &src.doc;
    let head = head(m, &mut cx, rs, files, history);
    let mut updates = Vec::new();
    let mut seen_tasks: HashMap<String, Loc> = HashMap::new();
    for u in r.updates.iter().flatten() {
        updates.extend(update(m, &mut cx, u, &head, &mut seen_tasks, history));
    }
    let mut kpi_values = Vec::new();
    let mut seen_values: HashMap<(String, Date), Loc> = HashMap::new();
    for kv in r.kpi_values.iter().flatten() {
        kpi_values.extend(kpi_value(m, &mut cx, kv, &head, &mut seen_values));
    }
    let Head {
        agency: Some(agency),
        period: Some(period),
        submitted: Some(submitted),
        exists: true,
    } = head
    else {
        return None;
    };
    Some(Report {
        agency,
        period,
        submitted,
        summary: cx.text(&r.summary),
        updates,
        kpi_values,
        file: Arc::clone(&src.file),
    })
}

/// The report's agency, period and submission date, each checked against
/// its file's name and folder and against the agency's lineage.
fn head(
    m: &Model,
    cx: &mut Cx,
    rs: &crate::load::ReportSource,
    files: &HashSet<(String, String)>,
    history: &mut History,
) -> Head {
    let r = &rs.source.doc;
    let whole = rs.source.whole();
    let what = "what.report";
    let folder = Period::parse(&rs.folder);
    if folder.is_none() {
        cx.err(whole.clone(), msg!("report.folder", folder = &rs.folder));
    }
    let agency = report_agency(m, cx, rs, files);
    let period = report_period(cx, rs, files, folder);

    let submitted = cx.required_date(&r.submitted, "submitted", &whole, what);
    // A report copied from last month keeps last month's dates.
    if let (Some(p), Some(sub), Some(v)) = (period, submitted, &r.submitted)
        && folder.is_none_or(|f| f == p)
    {
        let at = cx.loc(v);
        let due = p.report_day(m.site().report_day);
        let late = (sub - due).num_days();
        if late > LONG_AFTER_DAYS {
            cx.d.warning(
                at.clone(),
                msg!(
                    "report.submitted_long_after",
                    submitted = fmt_date(sub),
                    period = p,
                    due = fmt_date(due),
                    days = late
                ),
            );
        }
        history.submissions.push(Submission {
            agency: agency.clone().unwrap_or_else(|| rs.stem.clone()),
            submitted: sub,
            period: p,
            loc: at,
        });
    }
    let mut exists = true;
    if let (Some(a), Some(d), Some(v)) = (&agency, submitted, &r.submitted)
        && m.holder_on(a, d) != Some(a.as_str())
    {
        let at = cx.loc(v);
        cx.err(at, ended(m, a));
        exists = false;
    }
    Head {
        agency,
        period,
        submitted,
        exists,
    }
}

/// `agency:`, which names the file.
fn report_agency(
    m: &Model,
    cx: &mut Cx,
    rs: &crate::load::ReportSource,
    files: &HashSet<(String, String)>,
) -> Option<String> {
    let r = &rs.source.doc;
    let whole = rs.source.whole();
    let what = "what.report";

    match &r.agency {
        Some(v) => {
            let a = cx.reference(v, "agency", &m.agency_ix);
            if let Some(a) = &a
                && *a != rs.stem
            {
                let at = cx.loc(v);
                // Never advise renaming onto a report that exists.
                if files.contains(&(rs.folder.clone(), a.clone())) {
                    cx.err(
                        at,
                        msg!(
                            "report.agency_file_taken",
                            agency = a,
                            stem = &rs.stem,
                            folder = &rs.folder
                        ),
                    );
                } else {
                    cx.err(at, msg!("report.agency_file", agency = a, stem = &rs.stem));
                }
            }
            a
        }
        None => {
            cx.err(
                whole.clone(),
                msg!(
                    "key.missing",
                    what = word(what),
                    key = "agency",
                    hint = Maybe(None)
                ),
            );
            None
        }
    }
}

/// `period:`, which names the folder.
fn report_period(
    cx: &mut Cx,
    rs: &crate::load::ReportSource,
    files: &HashSet<(String, String)>,
    folder: Option<Period>,
) -> Option<Period> {
    let r = &rs.source.doc;
    let whole = rs.source.whole();
    let what = "what.report";
    match &r.period {
        Some(v) => match Period::parse_written(&nfc(&v.value)) {
            Some(p) => {
                if folder.is_some_and(|f| f != p) {
                    let at = cx.loc(v);
                    if files.contains(&(p.to_string(), rs.stem.clone())) {
                        cx.err(
                            at,
                            msg!(
                                "report.period_folder_taken",
                                period = p,
                                folder = &rs.folder,
                                stem = &rs.stem
                            ),
                        );
                    } else {
                        cx.err(
                            at,
                            msg!("report.period_folder", period = p, folder = &rs.folder),
                        );
                    }
                }
                Some(p)
            }
            None => {
                let at = cx.loc(v);
                cx.err(at, msg!("report.period_invalid", value = v.value.trim()));
                None
            }
        },
        None => {
            cx.err(
                whole.clone(),
                msg!(
                    "key.missing",
                    what = word(what),
                    key = "period",
                    hint = Maybe(None)
                ),
            );
            None
        }
    }
}

/// One update, checked; `None` when it cannot count.
fn update(
    m: &Model,
    cx: &mut Cx,
    u: &Spanned<RawUpdate>,
    head: &Head,
    seen_tasks: &mut HashMap<String, Loc>,
    history: &mut History,
) -> Option<Update> {
    let Head {
        agency,
        period,
        submitted,
        ..
    } = head;
    let (period, submitted) = (*period, *submitted);

    let uloc = cx.loc(u);
    let v = &u.value;
    let task_ix = match &v.task {
        Some(t) => cx
            .reference(t, "task", &m.task_ix)
            .and_then(|id| m.task_index(&id)),
        None => {
            cx.err(
                uloc.clone(),
                msg!(
                    "key.missing",
                    what = word("what.update"),
                    key = "task",
                    hint = Maybe(None)
                ),
            );
            None
        }
    };
    let state = cx
        .present(
            &v.state,
            "state",
            &uloc,
            "what.update",
            Some(msg!("hint.states")),
        )
        .and_then(|s| cx.keyword(s, "state", &TaskState::ALL));
    let progress = v.progress.as_ref().and_then(|p| {
        let n = cx.number(p, "progress")?;
        if (0.0..=100.0).contains(&n) {
            Some(n)
        } else {
            let at = cx.loc(p);
            let value = v.progress.as_ref()?.value.trim();
            cx.err(at, msg!("update.progress_range", value));
            None
        }
    });
    let done_on = v.done_on.as_ref().and_then(|d| cx.date(d));
    let ok = update_fits(
        m,
        cx,
        u,
        head,
        seen_tasks,
        (task_ix, state, progress, done_on),
    );
    let (Some(task_ix), Some(state), true) = (task_ix, state, ok) else {
        return None;
    };
    if let (Some(a), Some(sub), Some(p)) = (&agency, submitted, period) {
        history.said.push(Said {
            task_ix,
            task: m.tasks[task_ix].id.clone(),
            agency: a.clone(),
            submitted: sub,
            period: p,
            state,
            progress,
            noted: cx.text(&v.note).is_some(),
            reopened: cx.text(&v.reopened).is_some(),
            loc: uloc.clone(),
        });
    }
    let note = cx.text(&v.note);
    if let Some(n) = &v.note {
        let at = cx.loc(n);
        check_text(cx, &note, at);
    }
    Some(Update {
        task: m.tasks[task_ix].id.clone(),
        progress,
        state,
        note,
        evidence: cx.link(&v.evidence, "evidence"),
        done_on: if state == TaskState::Done {
            done_on
        } else {
            None
        },
        loc: uloc,
    })
}

/// The checks of one update against its task and report; false when the
/// update cannot count.
fn update_fits(
    m: &Model,
    cx: &mut Cx,
    u: &Spanned<RawUpdate>,
    head: &Head,
    seen_tasks: &mut HashMap<String, Loc>,
    read: (Option<usize>, Option<TaskState>, Option<f64>, Option<Date>),
) -> bool {
    let (task_ix, state, progress, done_on) = read;
    let v = &u.value;
    let uloc = cx.loc(u);
    let Head {
        agency,
        submitted,
        exists,
        ..
    } = head;
    let (submitted, exists) = (*submitted, *exists);
    let mut ok = true;
    if let (Some(task), Some(tv)) = (task_ix.map(|i| &m.tasks[i]), v.task.as_ref()) {
        let at = cx.loc(tv);
        if let Some(first) = seen_tasks.get(&task.id) {
            cx.err(at.clone(), msg!("update.twice", task = &task.id, first));
            ok = false;
        } else {
            seen_tasks.insert(task.id.clone(), at.clone());
        }
        if let (Some(a), Some(d)) = (&agency, submitted)
            && exists
            && !task.unresolved
            && !m.takes_part_on(a, task, d)
        {
            let lead = task
                .lead
                .as_deref()
                .and_then(|l| m.holder_on(l, d))
                .unwrap_or("-");
            cx.err(
                at.clone(),
                msg!(
                    "update.not_its_task",
                    agency = a,
                    task = &task.id,
                    date = fmt_date(d),
                    lead
                ),
            );
            ok = false;
        }
        if state == Some(TaskState::Done)
            && task.deadline.as_ref().is_some_and(Deadline::is_recurring)
            && let Some(sv) = &v.state
        {
            let sat = cx.loc(sv);
            let deadline = task.deadline.as_ref().map(|d| d.code()).unwrap_or_default();
            cx.err(
                sat,
                msg!("update.recurring_done", task = &task.id, deadline),
            );
            ok = false;
        }
    }
    if state == Some(TaskState::Done)
        && let (Some(n), Some(pv)) = (progress, &v.progress)
        && n < 100.0
    {
        let at = cx.loc(pv);
        cx.err(at, msg!("update.done_below_100", value = pv.value.trim()));
        ok = false;
    }
    if let (Some(done), Some(task), Some(dv)) = (done_on, task_ix.map(|i| &m.tasks[i]), &v.done_on)
        && let Some(plan) = m.plans.get(task.plan)
        && done < plan.issued
    {
        let at = cx.loc(dv);
        cx.err(
            at,
            msg!(
                "update.done_before_issued",
                done = fmt_date(done),
                plan = &plan.id,
                issued = fmt_date(plan.issued)
            ),
        );
        ok = false;
    }
    if state == Some(TaskState::Done) && v.done_on.is_none() {
        cx.err(uloc.clone(), msg!("update.done_without_done_on"));
        ok = false;
    }
    if let (Some(done), Some(sub), Some(dv)) = (done_on, submitted, &v.done_on)
        && done > sub
    {
        let at = cx.loc(dv);
        cx.err(
            at,
            msg!(
                "update.done_after_submitted",
                done = fmt_date(done),
                submitted = fmt_date(sub)
            ),
        );
        ok = false;
    }
    if let (
        Some(_),
        Some(TaskState::NotStarted | TaskState::InProgress | TaskState::Blocked),
        Some(dv),
    ) = (done_on, state, &v.done_on)
    {
        let at = cx.loc(dv);
        cx.d.warning(at, msg!("update.done_on_ignored"));
    }
    if state == Some(TaskState::NotStarted)
        && progress.is_some_and(|p| p > 0.0)
        && let Some(pv) = &v.progress
    {
        let at = cx.loc(pv);
        cx.err(at, msg!("update.progress_not_started"));
        ok = false;
    }
    ok
}

/// One KPI value, checked; `None` when it cannot count.
fn kpi_value(
    m: &Model,
    cx: &mut Cx,
    kv: &Spanned<RawKpiValue>,
    head: &Head,
    seen_values: &mut HashMap<(String, Date), Loc>,
) -> Option<KpiValue> {
    let Head {
        agency,
        submitted,
        exists,
        ..
    } = head;
    let (submitted, exists) = (*submitted, *exists);
    let kloc = cx.loc(kv);
    let v = &kv.value;
    let kpi = cx
        .present(&v.kpi, "kpi", &kloc, "what.kpi_value", None)
        .and_then(|k| cx.reference(k, "KPI", &m.kpi_ix));
    let date = cx.required_date(&v.date, "date", &kloc, "what.kpi_value");
    let value = cx
        .present(&v.value, "value", &kloc, "what.kpi_value", None)
        .and_then(|x| cx.number(x, "value"));
    let (Some(kpi), Some(date), Some(value)) = (kpi, date, value) else {
        return None;
    };
    let kat = v.kpi.as_ref().map_or(kloc.clone(), |k| cx.loc(k));
    if let (Some(k), Some(vv)) = (m.kpi(&kpi), &v.value)
        && !kpi_value_fits(cx, k, value, vv)
    {
        return None;
    }
    if let (Some(a), Some(sub)) = (&agency, submitted)
        && exists
        && let Some(k) = m.kpi(&kpi)
        && m.holder_on(&k.owner, sub) != Some(a.as_str())
    {
        let owner = m.holder_on(&k.owner, sub).unwrap_or("-");
        cx.err(
            kat.clone(),
            msg!(
                "kpi_value.not_owner",
                agency = a,
                kpi,
                date = fmt_date(sub),
                owner
            ),
        );
        return None;
    }
    if let (Some(sub), Some(dv)) = (submitted, &v.date)
        && date > sub
    {
        let at = cx.loc(dv);
        cx.err(
            at,
            msg!(
                "kpi_value.after_submitted",
                date = fmt_date(date),
                submitted = fmt_date(sub)
            ),
        );
        return None;
    }
    if let Some(first) = seen_values.get(&(kpi.clone(), date)) {
        cx.err(
            kat,
            msg!("kpi_value.twice", kpi, date = fmt_date(date), first),
        );
        return None;
    }
    seen_values.insert((kpi.clone(), date), kat);
    Some(KpiValue {
        kpi,
        date,
        value,
        note: cx.text(&v.note),
        loc: kloc,
    })
}
