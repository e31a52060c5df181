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
    });
    for t in tasks {
        if m.task_ix.contains_key(&t.id) {
            continue; // reported by collect_ids
        }
        m.task_ix.insert(t.id.clone(), m.tasks.len());
        m.tasks.push(t);
    }
}

pub(super) fn task(
    m: &Model,
    cx: &mut Cx,
    t: &Spanned<RawTask>,
    plan: usize,
    kpi_ids: &HashMap<String, Loc>,
) -> Option<Task> {
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
    if !deadline_changes.is_empty() && deadline.as_ref().is_some_and(Deadline::is_recurring) {
        cx.err(loc.clone(), msg!("task.recurring_changed"));
    }
    let kpis = cx.references(&r.kpis, "KPI", kpi_ids);
    let description = cx.text(&r.description);
    if let Some(v) = &r.description {
        let at = cx.loc(v);
        check_text(cx, &description, at);
    }
    let formerly = formerly(cx, r);
    Some(Task {
        id: id?,
        reference: cx.text(&r.reference),
        title: title?,
        title_en: cx.text(&r.title_en),
        description,
        plan,
        lead,
        support,
        deadline,
        deadline_changes,
        result,
        responsible,
        kpis,
        tags: cx.texts(&r.tags),
        incomplete,
        unresolved,
        formerly,
        loc,
    })
}

/// A task's extensions (`deadline_changes`), in date order, each later
/// than the deadline it replaces.
fn deadline_changes(cx: &mut Cx, r: &RawTask, deadline: Option<&Deadline>) -> Vec<DeadlineChange> {
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
            deadline_changes.push((
                DeadlineChange {
                    to,
                    date,
                    by: cx.text(&c.value.by),
                    reason: cx.text(&c.value.reason),
                },
                at,
            ));
        }
    }
    deadline_changes.sort_by_key(|(c, _)| c.date);
    // An extension moves the deadline in force later; an earlier date is a
    // typo (or a copied line), and would make a task overdue by mistake.
    let mut in_force = match deadline {
        Some(Deadline::Date(d, _)) => Some(*d),
        _ => None,
    };
    for (c, at) in &deadline_changes {
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
    deadline_changes.into_iter().map(|(c, _)| c).collect()
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
/// old id: its address would show two things.
pub(super) fn formerly_clashes(m: &Model, diags: &mut Diagnostics) {
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
}
