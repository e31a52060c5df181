//! Plans and their tasks: ids, the "5 rõ", deadlines and their extensions,
//! earlier ids (`formerly`).

use super::articles::check_text;
use super::*;

pub(super) fn plan(
    m: &mut Model,
    src: &Source<RawPlan>,
    kpi_ids: &HashMap<String, Loc>,
    plan_ids: &mut HashMap<String, Loc>,
    diags: &mut Diagnostics,
) {
    let mut cx = Cx::new(src, m, diags);
    let p = &src.doc;
    let whole = src.whole();
    let what = "what.the_plan";
    let id = cx.present(&p.id, "id", &whole, what, None).and_then(|v| {
        cx.text(&p.id)
            .and_then(|id| cx.check_id(v, &id, "what.plan_id"))
    });
    let title = cx.required(&p.title, "title", &whole, what);
    let issued = cx.required_date(&p.issued, "issued", &whole, what);
    if let (Some(id), Some(v)) = (&id, &p.id) {
        let loc = cx.loc(v);
        if let Some(first) = plan_ids.get(id) {
            cx.err(
                loc,
                msg!("id.duplicate", what = word("what.plan"), id, first),
            );
            // One cause, one message: the tasks of this copy are not
            // loaded, so references to them are not "unknown".
            m.unparsed.insert("task");
            return;
        }
        plan_ids.insert(id.clone(), loc);
    }
    let plan_index = m.plans.len();
    let mut tasks = Vec::new();
    for t in p.tasks.iter().flatten() {
        if let Some(task) = task(m, &mut cx, t, plan_index, kpi_ids) {
            tasks.push(task);
        }
    }
    let issued_at = p.issued.as_ref().map_or(whole.clone(), |v| cx.loc(v));
    if let Some(issued) = issued {
        check_issued(&mut cx, issued, &issued_at, &tasks);
    }
    let (Some(id), Some(title), Some(issued)) = (id, title, issued) else {
        m.unparsed.insert("task");
        return;
    };
    m.plans.push(Plan {
        id,
        title,
        title_en: cx.text(&p.title_en),
        issuer: cx.text(&p.issuer),
        issued,
        number: cx.text(&p.number),
        url: cx.link(&p.url, "url"),
        summary: cx.text(&p.summary),
        file: Arc::clone(&src.file),
        reporting_from: p
            .reporting_from
            .as_ref()
            .and_then(|v| cx.period(v))
            .or(m.reporting_from),
        implements: None,
        implements_ref: p.implements.as_ref().map(|v| {
            let at = cx.loc(v);
            let what = match &v.value {
                RawImplements::Plan(id) => RefOrDoc::Id(nfc(id.trim())),
                RawImplements::Outside(doc) => RefOrDoc::Doc {
                    title: nfc(doc.title.trim()),
                    url: doc.url.as_ref().map(|u| u.trim().to_string()),
                },
            };
            (what, at)
        }),
    });
    m.places.plan_issued.push(issued_at);
    for (t, dates) in tasks {
        if m.task_ix.contains_key(&t.id) {
            continue; // reported by collect_ids
        }
        for (date, at) in dates.extensions {
            m.places.extensions.push((m.tasks.len(), date, at));
        }
        m.task_ix.insert(t.id.clone(), m.tasks.len());
        m.tasks.push(t);
    }
}

/// Where a task's dates are written, for the checks against its plan's
/// issue date and the as-of day.
pub(super) struct TaskDates {
    /// The deadline, when it is a day, a month or a quarter.
    deadline: Option<(Date, Loc)>,
    /// Each extension's decision day.
    extensions: Vec<(Date, Loc)>,
}

/// A plan is issued before its tasks fall due and before any extension of
/// them is decided. Issued after every deadline, the date is wrong (a
/// year typo): one error at `issued`. A single task due before the plan is
/// possible (a task carried over), so only a warning at its deadline.
fn check_issued(cx: &mut Cx, issued: Date, issued_at: &Loc, tasks: &[(Task, TaskDates)]) {
    let due: Vec<&(Date, Loc)> = tasks
        .iter()
        .filter_map(|(_, d)| d.deadline.as_ref())
        .collect();
    if let Some(latest) = due.iter().map(|(d, _)| *d).max()
        && latest < issued
    {
        cx.err(
            issued_at.clone(),
            msg!(
                "plan.issued_after_deadlines",
                issued = fmt_date(issued),
                latest = fmt_date(latest)
            ),
        );
    } else {
        for (date, at) in due.into_iter().filter(|(d, _)| *d < issued) {
            cx.d.warning(
                at.clone(),
                msg!(
                    "task.due_before_issued",
                    deadline = fmt_date(*date),
                    issued = fmt_date(issued)
                ),
            );
        }
    }
    for (date, at) in tasks.iter().flat_map(|(_, d)| &d.extensions) {
        if *date < issued {
            cx.err(
                at.clone(),
                msg!(
                    "task.change_before_issued",
                    date = fmt_date(*date),
                    issued = fmt_date(issued)
                ),
            );
        }
    }
}

pub(super) fn task(
    m: &Model,
    cx: &mut Cx,
    t: &Spanned<RawTask>,
    plan: usize,
    kpi_ids: &HashMap<String, Loc>,
) -> Option<(Task, TaskDates)> {
    let loc = cx.loc(t);
    let r = &t.value;
    let what = "what.a_task";
    let id = cx.id(&r.id, &loc, what);
    if let (Some(id), Some(v)) = (&id, &r.id)
        && route::is_status_view_slug(id)
    {
        let at = cx.loc(v);
        cx.err(
            at,
            msg!("task.id_reserved", id, path = route::Route::Task(id).path()),
        );
    }
    let title = cx.required(&r.title, "title", &loc, what);
    let incomplete = cx.text(&r.incomplete);
    let lead = r
        .lead
        .as_ref()
        .and_then(|l| cx.reference(l, "agency", &m.agency_ix));
    let support: Vec<String> = cx.references(&r.support, "agency", &m.agency_ix);
    let unresolved = (r.lead.is_some() && lead.is_none())
        || r.support.as_ref().is_some_and(|s| s.len() > support.len());
    let deadline = r.deadline.as_ref().and_then(|d| cx.deadline(d));
    let result = cx.text(&r.result);
    let responsible = cx.text(&r.responsible);
    // "5 rõ": who, when, which result, who answers.
    let missing: Vec<&str> = [
        ("lead", r.lead.is_none()),
        ("deadline", r.deadline.is_none()),
        ("result", result.is_none()),
        ("responsible", responsible.is_none()),
    ]
    .iter()
    .filter(|(_, gone)| *gone)
    .map(|(k, _)| *k)
    .collect();
    if !missing.is_empty() && incomplete.is_none() {
        let keys = missing
            .iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let id = id.as_deref().unwrap_or("?");
        cx.err(loc.clone(), msg!("task.five_ro", id, keys));
    }
    if missing.is_empty()
        && incomplete.is_some()
        && let Some(v) = &r.incomplete
    {
        let at = cx.loc(v);
        cx.d.warning(at, msg!("task.incomplete_complete"));
    }
    if let (Some(l), Some(_)) = (&lead, &id)
        && support.contains(l)
    {
        let at = cx.loc(r.lead.as_ref()?);
        cx.d.warning(at, msg!("task.lead_and_support", agency = l));
    }
    let deadline_changes = deadline_changes(cx, r, deadline.as_ref());
    let dates = TaskDates {
        deadline: deadline
            .as_ref()
            .and_then(Deadline::date)
            .zip(r.deadline.as_ref().map(|v| cx.loc(v))),
        extensions: deadline_changes
            .iter()
            .map(|(c, at)| (c.date, at.clone()))
            .collect(),
    };
    let deadline_changes: Vec<DeadlineChange> =
        deadline_changes.into_iter().map(|(c, _)| c).collect();
    if !deadline_changes.is_empty() && deadline.as_ref().is_some_and(Deadline::is_recurring) {
        cx.err(loc.clone(), msg!("task.recurring_changed"));
    }
    let kpis = cx.references(&r.kpis, "KPI", kpi_ids);
    let description = cx.text(&r.description);
    if let Some(v) = &r.description {
        let at = cx.loc(v);
        check_text(cx, &description, at);
    }
    let description_en = cx.text(&r.description_en);
    if let Some(v) = &r.description_en {
        let at = cx.loc(v);
        check_text(cx, &description_en, at);
    }
    let formerly = formerly(cx, r);
    let parent_ref = r.parent.as_ref().and_then(|v| {
        let at = cx.loc(v);
        cx.text(&r.parent).map(|id| (id, at))
    });
    let task = Task {
        id: id?,
        reference: cx.text(&r.reference),
        title: title?,
        title_en: cx.text(&r.title_en),
        description,
        description_en,
        plan,
        lead,
        support,
        deadline,
        deadline_changes,
        result,
        result_en: cx.text(&r.result_en),
        responsible,
        responsible_en: cx.text(&r.responsible_en),
        kpis,
        tags: cx.texts(&r.tags),
        incomplete,
        unresolved,
        formerly,
        parent: None,
        parent_ref,
        loc,
    };
    Some((task, dates))
}

/// A task's extensions (`deadline_changes`), in date order, each later
/// than the deadline it replaces, with where its decision day is written.
fn deadline_changes(
    cx: &mut Cx,
    r: &RawTask,
    deadline: Option<&Deadline>,
) -> Vec<(DeadlineChange, Loc)> {
    let mut deadline_changes = Vec::new();
    for c in r.deadline_changes.iter().flatten() {
        let cloc = cx.loc(c);
        let to = cx
            .present(&c.value.to, "to", &cloc, "what.deadline_change", None)
            .and_then(|v| cx.deadline(v));
        let date = cx.required_date(&c.value.date, "date", &cloc, "what.deadline_change");
        if let (Some(to), Some(v)) = (&to, &c.value.to)
            && to.is_recurring()
        {
            let at = cx.loc(v);
            cx.err(at, msg!("task.change_to_recurring"));
            continue;
        }
        if let (Some(to), Some(date)) = (to, date) {
            let at = c.value.to.as_ref().map_or(cloc.clone(), |v| cx.loc(v));
            let decided_at = c.value.date.as_ref().map_or(cloc.clone(), |v| cx.loc(v));
            deadline_changes.push((
                DeadlineChange {
                    to,
                    date,
                    by: cx.text(&c.value.by),
                    reason: cx.text(&c.value.reason),
                },
                at,
                decided_at,
            ));
        }
    }
    deadline_changes.sort_by_key(|(c, _, _)| c.date);
    // An extension moves the deadline in force later; an earlier date is a
    // typo (or a copied line), and would make a task overdue by mistake.
    let mut in_force = match deadline {
        Some(Deadline::Date(d, _)) => Some(*d),
        _ => None,
    };
    for (c, at, _) in &deadline_changes {
        let Deadline::Date(to, _) = c.to else {
            continue;
        };
        if let Some(current) = in_force
            && to < current
        {
            cx.err(
                at.clone(),
                msg!(
                    "task.change_earlier",
                    to = fmt_date(to),
                    current = fmt_date(current)
                ),
            );
        }
        in_force = Some(to);
    }
    deadline_changes
        .into_iter()
        .map(|(c, _, decided_at)| (c, decided_at))
        .collect()
}

/// A task's earlier ids (`formerly`), each with where it is written.
fn formerly(cx: &mut Cx, r: &RawTask) -> Vec<(String, Loc)> {
    let mut formerly = Vec::new();
    for v in r.formerly.iter().flatten() {
        let old = nfc(&v.value);
        if let Some(old) = cx.check_id(v, &old, "what.task_id") {
            let at = cx.loc(v);
            if route::is_status_view_slug(&old) {
                cx.err(
                    at,
                    msg!(
                        "task.id_reserved",
                        id = &old,
                        path = route::Route::Task(&old).path()
                    ),
                );
            } else {
                formerly.push((old, at));
            }
        }
    }
    formerly
}

/// An old id (`formerly`) may not be a task's id now, nor another task's
/// old id: its address would show two things. The others name their task
/// in reports, articles and KPIs written before the renaming.
pub(super) fn formerly_clashes(m: &mut Model, diags: &mut Diagnostics) {
    let mut seen: HashMap<&str, &Loc> = HashMap::new();
    for t in &m.tasks {
        for (old, at) in &t.formerly {
            if let Some(&i) = m.task_ix.get(old) {
                let first = &m.tasks[i].loc;
                diags.error(at.clone(), msg!("task.formerly_taken", id = old, first));
            } else if let Some(first) = seen.get(old.as_str()) {
                diags.error(
                    at.clone(),
                    msg!("task.formerly_taken", id = old, first = *first),
                );
            } else {
                seen.insert(old, at);
            }
        }
    }
    let formerly: HashMap<String, usize> = m
        .tasks
        .iter()
        .enumerate()
        .flat_map(|(i, t)| t.formerly.iter().map(move |(old, _)| (old.clone(), i)))
        .filter(|(old, _)| !m.task_ix.contains_key(old))
        .collect();
    m.formerly_ix = formerly;
}

/// Plans that cascade (seed item 4): each plan's `implements` and each
/// task's `parent`, resolved once every plan is read. An unknown plan or
/// parent, a parent in a plan this one does not implement, and a cycle
/// are errors; a child due after its parent is a warning at the child.
pub(super) fn cascade(m: &mut Model, diags: &mut Diagnostics) {
    let plan_ix: HashMap<String, usize> = m
        .plans
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.clone(), i))
        .collect();
    for k in 0..m.plans.len() {
        let Some((what, at)) = m.plans[k].implements_ref.clone() else {
            continue;
        };
        m.plans[k].implements = match what {
            RefOrDoc::Id(id) => match plan_ix.get(&id) {
                Some(&j) if j != k => Some(Implements::Plan(j)),
                Some(_) => {
                    diags.error(at, msg!("plan.implements_itself", id));
                    None
                }
                None => {
                    let hint = did_you_mean(&id, plan_ix.keys().map(String::as_str));
                    diags.error(at, msg!("plan.implements_unknown", id, hint = Maybe(hint)));
                    None
                }
            },
            RefOrDoc::Doc { title, url } => Some(Implements::Outside { title, url }),
        };
    }
    // A plan that implements itself through others: the chain is cut where
    // it closes.
    for k in 0..m.plans.len() {
        let mut seen = vec![k];
        let mut at = k;
        while let Some(Implements::Plan(j)) = m.plans[at].implements {
            if seen.contains(&j) {
                let loc = m.plans[at].implements_ref.as_ref().map(|r| r.1.clone());
                if let Some(loc) = loc {
                    diags.error(loc, msg!("plan.implements_cycle", id = &m.plans[at].id));
                }
                m.plans[at].implements = None;
                break;
            }
            seen.push(j);
            at = j;
        }
    }
    // The plans each plan carries out, directly or further up.
    let above = |m: &Model, k: usize| {
        let mut out = Vec::new();
        let mut at = k;
        while let Some(Implements::Plan(j)) = m.plans[at].implements {
            if out.contains(&j) {
                break;
            }
            out.push(j);
            at = j;
        }
        out
    };
    for i in 0..m.tasks.len() {
        let Some((id, at)) = m.tasks[i].parent_ref.clone() else {
            continue;
        };
        let Some(&p) = m.task_ix.get(&id).or_else(|| m.formerly_ix.get(&id)) else {
            let hint = did_you_mean(&id, m.task_ix.keys().map(String::as_str));
            diags.error(at, msg!("task.parent_unknown", id, hint = Maybe(hint)));
            continue;
        };
        if !above(m, m.tasks[i].plan).contains(&m.tasks[p].plan) {
            let plan = &m.plans[m.tasks[p].plan].id;
            diags.error(at, msg!("task.parent_not_implemented", id, plan));
            continue;
        }
        m.tasks[i].parent = Some(p);
        let (child, parent) = (&m.tasks[i], &m.tasks[p]);
        if let (Some(c), Some(pd)) = (
            child.deadline.and_then(|d| d.date()),
            parent.deadline.and_then(|d| d.date()),
        ) && c > pd
        {
            diags.warning(
                at,
                msg!(
                    "task.child_after_parent",
                    id = &parent.id,
                    child = fmt_date(c),
                    parent = fmt_date(pd)
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{run, said};

    fn plan(issued: &str, viec_ba_due: &str, change: &str) -> String {
        format!(
            "id: ke-hoach\ntitle: Kế hoạch\nissued: {issued}\ntasks:\n  - id: viec-mot\n    title: Việc một\n    lead: so-mot\n    support: [so-hai]\n    deadline: 31/03/2025\n    result: Xong\n    responsible: Giám đốc\n{change}  - id: viec-hai\n    title: Việc hai\n    lead: so-cu\n    deadline: 2025-05\n    result: Xong\n    responsible: Giám đốc\n  - id: viec-thang\n    title: Báo cáo\n    lead: so-hai\n    deadline: monthly\n    result: Báo cáo\n    responsible: Giám đốc\n  - id: viec-ba\n    title: Việc ba\n    lead: so-hai\n    deadline: {viec_ba_due}\n    result: Xong\n    responsible: Giám đốc\n"
        )
    }

    const PLAN: &str = "content/plans/ke-hoach.yaml";

    #[test]
    fn issued_after_every_deadline_is_one_error_at_issued() {
        let (_, lines) = run(&[(PLAN, &plan("2026-02-25", "10/04/2025", ""))]);
        assert!(
            said(
                &lines,
                &[
                    "ke-hoach.yaml:3:9: error",
                    "after the deadline of every task"
                ]
            ),
            "{lines:#?}"
        );
        assert!(
            !said(&lines, &["deadline 31/03/2025 is before"]),
            "{lines:#?}"
        );
    }

    #[test]
    fn a_task_due_before_its_plan_is_a_warning_at_its_deadline() {
        let (_, lines) = run(&[(PLAN, &plan("2025-02-25", "10/02/2025", ""))]);
        assert!(
            said(
                &lines,
                &[
                    "ke-hoach.yaml:27:15: warning",
                    "deadline 10/02/2025 is before the plan was issued"
                ]
            ),
            "{lines:#?}"
        );
    }

    #[test]
    fn an_extension_decided_before_the_plan_or_after_the_day_is_told() {
        let before = "    deadline_changes:\n      - { to: 30/04/2025, date: 2025-01-10 }\n";
        let (_, lines) = run(&[(PLAN, &plan("2025-02-25", "10/04/2025", before))]);
        assert!(
            said(
                &lines,
                &["ke-hoach.yaml:13:33: error", "before the plan was issued"]
            ),
            "{lines:#?}"
        );
        let after = "    deadline_changes:\n      - { to: 30/06/2025, date: 2025-05-10 }\n";
        let (_, lines) = run(&[(PLAN, &plan("2025-02-25", "10/04/2025", after))]);
        assert!(
            said(
                &lines,
                &["ke-hoach.yaml:13:33: warning", "not in force yet"]
            ),
            "{lines:#?}"
        );
    }

    #[test]
    fn reports_and_articles_keep_a_renamed_tasks_old_id() {
        let renamed = plan("2025-02-25", "10/04/2025", "").replace(
            "  - id: viec-mot\n",
            "  - id: viec-mot-moi\n    formerly: [viec-mot]\n",
        );
        let (m, lines) = run(&[(PLAN, &renamed)]);
        assert!(!said(&lines, &["error"]), "{lines:#?}");
        assert!(
            m.reports
                .iter()
                .flat_map(|r| &r.updates)
                .any(|u| u.task == "viec-mot-moi")
        );
        assert!(m.articles.iter().any(|a| a.tasks == ["viec-mot-moi"]));
    }
}
