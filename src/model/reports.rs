//! Monthly reports: agency, period and submission date, each update and
//! KPI value, each checked where it is written; what they say is kept in
//! a [`History`] for the checks across reports (history.rs).
//! Over 600 lines: a quarter of it is its unit tests.

use super::articles::check_text;
use super::history::{History, Said, Submission};
use super::kpis::{SaidValue, kpi_value_fits};
use super::proposals::Written;
use super::*;

/// A report submitted more than this many days after its report day is
/// probably dated in the wrong year or copied from another period.
pub(super) const LONG_AFTER_DAYS: i64 = 92;

/// The first day of the month before `p`: a KPI value dated before it is
/// older than a monthly report's figures.
fn month_before(p: Period) -> Date {
    p.first_day()
        .checked_sub_months(chrono::Months::new(1))
        .unwrap_or(Date::MIN)
}

/// What a report says of itself, as far as it could be read.
pub(super) struct Head {
    agency: Option<String>,
    period: Option<Period>,
    submitted: Option<Date>,
    submitted_at: Option<Loc>,
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
) -> Option<(Report, Loc)> {
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
        kpi_values.extend(kpi_value(m, &mut cx, kv, &head, &mut seen_values, history));
    }
    let Head {
        agency: Some(agency),
        period: Some(period),
        submitted: Some(submitted),
        submitted_at: Some(submitted_at),
        exists: true,
    } = head
    else {
        return None;
    };
    let written = Written {
        agency: &agency,
        period,
        submitted,
    };
    let threads = super::proposals::read(m, &mut cx, r, &written);
    let (proposals, replies) = threads.written();
    let (proposal_locs, reply_locs) = threads.locs();
    history.threads.raised.extend(threads.raised);
    history.threads.replied.extend(threads.replied);
    let report = Report {
        agency,
        period,
        submitted,
        summary: cx.text(&r.summary),
        updates,
        kpi_values,
        proposals,
        replies,
        proposal_locs,
        reply_locs,
        file: Arc::clone(&src.file),
    };
    Some((report, submitted_at))
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
        history.after_end.push((a.clone(), d, cx.loc(v)));
        exists = false;
    }
    Head {
        agency,
        period,
        submitted,
        submitted_at: r.submitted.as_ref().map(|v| cx.loc(v)),
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
            .task_references(std::slice::from_ref(t), m, &m.task_ix)
            .first()
            .and_then(|id| m.task_index(id)),
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
    if let (Some(i), Some(sub)) = (task_ix, submitted)
        && let Some(plan) = m.plans.get(m.tasks[i].plan)
        && sub < plan.issued
    {
        history
            .before_issued
            .push((m.tasks[i].plan, sub, uloc.clone()));
    }
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
    let note = cx.text(&v.note);
    if let (Some(a), Some(sub), Some(p)) = (&agency, submitted, period) {
        history.said.push(Said {
            task_ix,
            task: m.tasks[task_ix].id.clone(),
            agency: a.clone(),
            submitted: sub,
            period: p,
            state,
            progress,
            noted: note.is_some(),
            reopened: cx.text(&v.reopened).is_some(),
            loc: uloc.clone(),
            blocked_unexplained: v
                .state
                .as_ref()
                .filter(|_| state == TaskState::Blocked && note.is_none())
                .map(|s| cx.loc(s)),
        });
    }
    if let Some(n) = &v.note {
        let at = cx.loc(n);
        check_text(cx, &note, at);
    }
    let note_en = cx.text(&v.note_en);
    if let Some(n) = &v.note_en {
        let at = cx.loc(n);
        check_text(cx, &note_en, at);
    }
    doubtful(cx, v, state, progress);
    let outlook = v
        .outlook
        .as_ref()
        .and_then(|o| cx.keyword(o, "outlook", &crate::model::Outlook::ALL));
    Some(Update {
        task: m.tasks[task_ix].id.clone(),
        progress,
        state,
        outlook,
        note,
        note_en,
        evidence: cx.link(&v.evidence, "evidence"),
        done_on: if state == TaskState::Done {
            done_on
        } else {
            None
        },
        loc: uloc,
    })
}

/// What an update may say and still be right, but seldom is: 100% while
/// still in progress, evidence on a plain-http address (anyone on the way
/// can change it, and browsers warn). A task blocked without a note is
/// judged against the report before ([`History::check`]).
fn doubtful(cx: &mut Cx, v: &RawUpdate, state: TaskState, progress: Option<f64>) {
    if state == TaskState::InProgress
        && progress.is_some_and(|p| p >= 100.0)
        && let Some(pv) = &v.progress
    {
        let at = cx.loc(pv);
        cx.d.warning(at, msg!("update.full_in_progress"));
    }
    if let Some(ev) = &v.evidence
        && ev.value.trim().to_lowercase().starts_with("http://")
    {
        let at = cx.loc(ev);
        cx.d.warning(at, msg!("update.evidence_http", url = ev.value.trim()));
    }
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
        && submitted.is_none_or(|s| s >= plan.issued)
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
    history: &mut History,
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
    // `value:` left empty (`new report` leaves it so, the last value in a
    // comment): never a figure.
    let value = match &v.value {
        Some(x) if !x.value.trim().is_empty() => cx.number(x, "value"),
        Some(x) => {
            let at = cx.loc(x);
            cx.err(at, msg!("kpi_value.empty"));
            None
        }
        None => {
            cx.err(kloc.clone(), msg!("kpi_value.empty"));
            None
        }
    };
    let (Some(kpi), Some(date), Some(value)) = (kpi, date, value) else {
        return None;
    };
    if let (Some(k), Some(dv)) = (m.kpi(&kpi), &v.date)
        && let Some((base, _)) = k.baseline
        && date < base
    {
        let at = cx.loc(dv);
        cx.err(
            at,
            msg!(
                "kpi_value.before_baseline",
                date = fmt_date(date),
                kpi,
                baseline = fmt_date(base)
            ),
        );
        return None;
    }
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
    if let (Some(k), Some(vv)) = (m.kpi_ix.get(&kpi), &v.value) {
        history.values.push(SaidValue {
            kpi: *k,
            date,
            value,
            written: vv.value.trim().to_string(),
            at: cx.loc(vv),
            long_before: head.period.filter(|p| date < month_before(*p)).map(|p| {
                let at = v.date.as_ref().map_or(kloc.clone(), |d| cx.loc(d));
                (p, at)
            }),
        });
    }
    Some(KpiValue {
        kpi,
        date,
        value,
        note: cx.text(&v.note),
        loc: kloc,
    })
}

#[cfg(test)]
mod tests {
    use super::super::testing::{run, said};
    use super::*;

    const MARCH: &str = "content/reports/2025-03/so-mot.yaml";

    fn march(updates: &str, values: &str) -> String {
        format!(
            "agency: so-mot\nperiod: 2025-03\nsubmitted: 2025-03-19\nupdates:\n{updates}kpi_values:\n{values}"
        )
    }

    const UPDATE: &str = "  - task: viec-mot\n    state: in_progress\n    progress: 50\n";

    #[test]
    fn the_month_before_a_period_begins_on_its_first_day() {
        let p = Period::parse("2025-03").expect("a period");
        assert_eq!(
            month_before(p),
            Date::from_ymd_opt(2025, 2, 1).expect("a day")
        );
        let jan = Period::parse("2025-01").expect("a period");
        assert_eq!(
            month_before(jan),
            Date::from_ymd_opt(2024, 12, 1).expect("a day")
        );
    }

    #[test]
    fn doubtful_updates_get_a_warning_each() {
        let updates = "  - task: viec-mot\n    state: blocked\n  - task: viec-hai\n    state: in_progress\n    progress: 100\n    evidence: http://example.org/van-ban\n";
        let (_, lines) = run(&[(
            MARCH,
            &march(
                updates,
                "  - { kpi: chi-tieu, date: 2025-03-15, value: 60 }\n",
            ),
        )]);
        assert!(
            said(&lines, &["so-mot.yaml:6:12: warning", "without a `note`"]),
            "{lines:#?}"
        );
        assert!(
            said(&lines, &["so-mot.yaml:9:15: warning", "progress 100"]),
            "{lines:#?}"
        );
        assert!(
            said(&lines, &["so-mot.yaml:10:15: warning", "plain http://"]),
            "{lines:#?}"
        );
        // Still blocked in April: the reason was given in March.
        let march = march(
            "  - task: viec-mot\n    state: blocked\n    note: Chờ kinh phí\n",
            "  - { kpi: chi-tieu, date: 2025-03-15, value: 60 }\n",
        );
        let april = "agency: so-mot\nperiod: 2025-04\nsubmitted: 2025-04-18\nupdates:\n  - task: viec-mot\n    state: blocked\n";
        let (_, lines) = run(&[
            (MARCH, &march),
            ("content/reports/2025-04/so-mot.yaml", april),
        ]);
        assert!(!said(&lines, &["without a `note`"]), "{lines:#?}");
    }

    #[test]
    fn an_empty_kpi_value_is_an_error_at_its_entry() {
        let values = "  - kpi: chi-tieu\n    date: 2025-03-15\n    value:   # last: 50\n";
        let (_, lines) = run(&[(MARCH, &march(UPDATE, values))]);
        assert!(
            said(
                &lines,
                &["so-mot.yaml:9:5: error", "has no figure: fill in `value`"]
            ),
            "{lines:#?}"
        );
    }

    #[test]
    fn kpi_values_dated_before_the_baseline_or_long_before_the_period() {
        let values = "  - { kpi: chi-tieu, date: 2024-11-30, value: 48 }\n";
        let (_, lines) = run(&[(MARCH, &march(UPDATE, values))]);
        assert!(
            said(&lines, &["error", "before the baseline of `chi-tieu`"]),
            "{lines:#?}"
        );
        let values = "  - { kpi: chi-tieu, date: 2025-01-15, value: 55 }\n";
        let (_, lines) = run(&[(MARCH, &march(UPDATE, values))]);
        assert!(
            said(
                &lines,
                &["warning", "more than a month before the period 2025-03"]
            ),
            "{lines:#?}"
        );
        // The same day as the March report's value, from a May report: it
        // would replace the March figure.
        let may = "agency: so-mot\nperiod: 2025-05\nsubmitted: 2025-05-19\nkpi_values:\n  - { kpi: chi-tieu, date: 2025-03-15, value: 65 }\n";
        let (_, lines) = run(&[("content/reports/2025-05/so-mot.yaml", may)]);
        assert!(
            said(
                &lines,
                &[
                    "2025-05/so-mot.yaml:5:28: error",
                    "would replace the value 60"
                ]
            ),
            "{lines:#?}"
        );
    }

    #[test]
    fn many_reports_after_an_agencys_end_point_at_the_end() {
        let report = |period: &str, submitted: &str| {
            format!(
                "agency: so-cu\nperiod: {period}\nsubmitted: {submitted}\nupdates:\n  - task: viec-hai\n    state: in_progress\n"
            )
        };
        let (_, lines) = run(&[
            (
                "content/reports/2025-03/so-cu.yaml",
                &report("2025-03", "2025-03-19"),
            ),
            (
                "content/reports/2025-04/so-cu.yaml",
                &report("2025-04", "2025-04-18"),
            ),
            (
                "content/reports/2025-05/so-cu.yaml",
                &report("2025-05", "2025-05-19"),
            ),
        ]);
        let errors: Vec<&String> = lines.iter().filter(|l| l.contains("error")).collect();
        assert_eq!(errors.len(), 1, "{lines:#?}");
        assert!(
            said(
                &lines,
                &["agencies.yaml:16:18: error", "3 reports of `so-cu`"]
            ),
            "{lines:#?}"
        );
        let (_, lines) = run(&[(
            "content/reports/2025-03/so-cu.yaml",
            &report("2025-03", "2025-03-19"),
        )]);
        assert!(
            said(
                &lines,
                &["2025-03/so-cu.yaml:3:12: error", "merged into `so-mot`"]
            ),
            "{lines:#?}"
        );
    }

    #[test]
    fn a_report_before_its_plan_was_issued_points_at_issued() {
        let plan = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/minimal/content/plans/ke-hoach.yaml"
        ))
        .expect("the plan")
        .replace("issued: 2025-02-25", "issued: 2025-03-20");
        let (_, lines) = run(&[("content/plans/ke-hoach.yaml", &plan)]);
        assert!(
            said(
                &lines,
                &[
                    "ke-hoach.yaml:3:9: error",
                    "submitted before that day (19/03/2025"
                ]
            ),
            "{lines:#?}"
        );
    }
}
