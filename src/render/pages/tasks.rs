//! Part of render, the task pages: each task's "5 rõ" card, and a page at
//! each old address of a renamed task (`formerly`) saying where it moved.
//! The task lists are [`super::task_lists`]. Input: the renderer. Output:
//! the pages' HTML.

use super::*;

/// A task's "5 rõ" card.
pub(super) static TASK: PageKind = PageKind {
    template: "task.html",
    jobs: |r, _| (0..r.model.tasks.len()).map(Key::Item).collect(),
    route: |at, key| match key {
        Key::Item(i) => Route::Task(&at.m.tasks[*i].id),
        _ => Route::Tasks,
    },
    render: |r, lang, job, d| match job.key {
        Key::Item(i) => task(r, lang, job, i, d),
        _ => None,
    },
    source: plan_file,
    deferred: false,
    sitemap: true,
    share: Some(crate::render::share::task),
};

/// An old address of a task (`formerly`).
pub(super) static MOVED: PageKind = PageKind {
    template: "moved.html",
    jobs: |r, _| {
        r.model
            .tasks
            .iter()
            .enumerate()
            .flat_map(|(i, t)| (0..t.formerly.len()).map(move |k| Key::ItemNth(i, k)))
            .collect()
    },
    route: |at, key| match key {
        Key::ItemNth(i, k) => {
            Route::Task(at.m.tasks[*i].formerly.get(*k).map_or("", |f| f.0.as_str()))
        }
        _ => Route::Tasks,
    },
    render: |r, lang, job, d| match job.key {
        Key::ItemNth(i, k) => moved(r, lang, job, i, k, d),
        _ => None,
    },
    source: plan_file,
    deferred: false,
    sitemap: true,
    share: Some(crate::render::share::moved_task),
};

/// The plan file a task comes from.
fn plan_file(m: &crate::model::Model, key: &Key) -> Option<std::sync::Arc<str>> {
    match key {
        Key::Item(i) | Key::ItemNth(i, _) => {
            Some(std::sync::Arc::clone(&m.plans[m.tasks[*i].plan].file))
        }
        _ => None,
    }
}

#[derive(Serialize)]
struct Change<'a> {
    date: String,
    to: String,
    by: &'a str,
    reason: &'a str,
    in_force: bool,
}
#[derive(Serialize)]
struct Entry<'a> {
    submitted: String,
    period: String,
    report_url: String,
    agency: &'a str,
    agency_lang: &'static str,
    agency_url: String,
    from_lead: bool,
    state: &'static str,
    state_label: &'a str,
    progress: String,
    done_on: String,
    note: String,
    note_lang: &'static str,
    evidence: String,
}
#[derive(Serialize)]
struct PeriodView {
    period: String,
    url: String,
    outcome: &'static str,
    label: String,
}
#[derive(Serialize)]
struct TaskPage<'a> {
    #[serde(flatten)]
    common: Common<'a>,
    id: &'a str,
    title: &'a str,
    title_lang: &'static str,
    reference: &'a str,
    plan: &'a str,
    plan_lang: &'static str,
    status: StatusView,
    rule: &'a str,
    /// The lead's own outlook, in words ("" when it gave none).
    outlook: String,
    outlook_code: &'static str,
    /// The plan's page, the tasks above this one (nearest first) and the
    /// documents its plan carries out, up to the one outside the site.
    plan_url: String,
    parents: Vec<views::LangLink>,
    chain: Vec<views::LangLink>,
    /// Its child tasks with their statuses, and their counts in words.
    children: Vec<TaskRow<'a>>,
    children_words: String,
    /// The difficulties and proposals about it, register order.
    proposals: Vec<super::proposals::ProposalRow<'a>>,
    days_label: String,
    lead: String,
    lead_lang: &'static str,
    lead_url: String,
    handover: String,
    support: Vec<views::LangLink>,
    description: String,
    description_lang: &'static str,
    deadline: String,
    original_deadline: String,
    result: &'a str,
    result_lang: &'static str,
    responsible: String,
    responsible_lang: &'static str,
    /// Whose official it was, when the lead passed to a successor.
    responsible_from: String,
    incomplete: &'a str,
    progress: String,
    last_update: String,
    last_update_iso: String,
    next_report_due: String,
    next_report_due_iso: String,
    stale: bool,
    feed_url: String,
    calendar_url: String,
    changes: Vec<Change<'a>>,
    timeline: Vec<Entry<'a>>,
    periods: Vec<PeriodView>,
    kpis: Vec<views::KpiRow<'a>>,
    news: Vec<ArticleCard<'a>>,
    tags: Vec<&'a str>,
    cite: String,
}

/// A task page's input key (render::incremental): the task, its children
/// and KPIs; none when proposals concern it (they are not in the key).
fn task_key(r: &Renderer, lang: Lang, i: usize) -> Option<crate::cache::Short> {
    r.index
        .proposals
        .of_task
        .get(&i)
        .is_none_or(Vec::is_empty)
        .then(|| {
            let tasks = std::iter::once(i).chain(r.index.children[i].iter().copied());
            r.input_key(lang, "task", tasks, r.index.task_kpis[i].iter().copied())
        })
        .flatten()
}

pub(super) fn task(
    r: &Renderer,
    lang: Lang,
    job: &Job,
    i: usize,
    d: &mut Diagnostics,
) -> Option<Output> {
    let key = task_key(r, lang, i);
    if let Some(kept) = r.kept_by_key(lang, job, key) {
        return Some(kept);
    }
    let v = r.views(lang);
    let t = &r.model.tasks[i];
    let s = &r.fig.tasks[i];
    let as_of = r.fig.as_of;
    let handover = handover(r, &v, i);
    let (title, title_lang) = v.task_title_lang(t);
    let agency_lang = |id: &str| r.model.agency(id).map_or("", |a| v.agency_name_lang(a).1);
    let canonical = r.canonical(lang, job);
    let plan = &r.model.plans[t.plan];
    let (description, description_lang) = v.pick(
        t.description.as_deref().unwrap_or(""),
        t.description_en.as_deref(),
    );
    let (result, result_lang) = v.pick(t.result.as_deref().unwrap_or(""), t.result_en.as_deref());
    let (responsible, responsible_lang, responsible_from) = responsible(&v, t, s);
    let ctx = TaskPage {
        common: r.common(lang, job, "tasks", title.to_string(), result.to_string()),
        id: &t.id,
        title,
        title_lang,
        reference: t.reference.as_deref().unwrap_or(""),
        plan: v.pick(&plan.title, plan.title_en.as_deref()).0,
        plan_lang: v.pick(&plan.title, plan.title_en.as_deref()).1,
        status: status_view(s.status, v.t),
        rule: v.t.get(&format!("rule_{}", s.status.code())),
        days_label: v.days_label(s),
        plan_url: v.route(&Route::Plan(&plan.id)),
        parents: parents(r, &v, i),
        chain: plan_chain(r, &v, t.plan),
        children: v.rows(r.index.children[i].iter().copied()),
        proposals: super::proposals::proposal_rows(
            &v,
            r.index.proposals.of_task.get(&i).map_or(&[], Vec::as_slice),
        ),
        children_words: r
            .index
            .children_rollup
            .get(&i)
            .map(|c| children_words(&v, c))
            .unwrap_or_default(),
        outlook: s
            .outlook
            .map(|o| v.t.keyed("outlook_", o.code()).to_string())
            .unwrap_or_default(),
        outlook_code: s.outlook.map_or("", |o| o.code()),
        lead: s
            .lead_on
            .as_deref()
            .map(|a| v.agency_full(a).to_string())
            .unwrap_or_default(),
        lead_lang: s.lead_on.as_deref().map_or("", agency_lang),
        lead_url: s
            .lead_on
            .as_deref()
            .map(|a| v.agency_url(a))
            .unwrap_or_default(),
        handover,
        support: s
            .support_on
            .iter()
            .map(|a| views::LangLink {
                label: v.agency_full(a).to_string(),
                lang: agency_lang(a),
                url: v.agency_url(a),
            })
            .collect(),
        description: if description.is_empty() {
            String::new()
        } else {
            markdown::to_html(description)
        },
        description_lang,
        deadline: v.deadline_label(s),
        original_deadline: if s.extensions > 0 {
            t.deadline.map(|x| lang.deadline(&x)).unwrap_or_default()
        } else {
            String::new()
        },
        result,
        result_lang,
        responsible,
        responsible_lang,
        responsible_from,
        incomplete: t.incomplete.as_deref().unwrap_or(""),
        progress: v.progress(s),
        last_update: s.last_update.map(fmt_date).unwrap_or_default(),
        last_update_iso: s.last_update.map(|d| d.to_string()).unwrap_or_default(),
        next_report_due: s.next_report_due.map(fmt_date).unwrap_or_default(),
        next_report_due_iso: s.next_report_due.map(|d| d.to_string()).unwrap_or_default(),
        stale: s.stale,
        feed_url: v.route(&Route::TaskFeed(&t.id)),
        // Calendars are shared by every language, at the site root.
        calendar_url: format!("{}{}", r.base, Route::TaskCalendar(&t.id).path()),
        changes: t
            .deadline_changes
            .iter()
            .zip(&r.index.extensions_in_force[i])
            .map(|(c, &in_force)| Change {
                date: fmt_date(c.date),
                to: lang.deadline(&c.to),
                by: c.by.as_deref().unwrap_or(""),
                reason: c.reason.as_deref().unwrap_or(""),
                in_force,
            })
            .collect(),
        timeline: timeline(r, &v, lang, i),
        periods: r
            .fig
            .recurring
            .get(&i)
            .map(|list| {
                list.iter()
                    .rev()
                    .map(|(p, o)| PeriodView {
                        period: lang.period(*p),
                        url: v.route(&Route::Report(*p)),
                        outcome: o.code(),
                        label: v.outcome_label(*o),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        kpis: r.index.task_kpis[i].iter().map(|&k| v.kpi_row(k)).collect(),
        news: articles_about(r, &v, lang, &t.id),
        tags: t.tags.iter().map(String::as_str).collect(),
        cite: v
            .t
            .get("cite_task")
            .replace("{title}", title)
            .replace(
                "{site}",
                lang.pick(&r.model.site().title, r.model.site().title_en.as_deref()),
            )
            .replace("{date}", &fmt_date(as_of))
            .replace("{url}", &canonical),
    };
    r.render_page_keyed(lang, job, key, &ctx, d)
}

/// The task's updates, newest first, from its lead and its supporting
/// agencies.
fn timeline<'a>(r: &'a Renderer, v: &Views<'a>, lang: Lang, i: usize) -> Vec<Entry<'a>> {
    let agency_lang = |id: &str| r.model.agency(id).map_or("", |a| v.agency_name_lang(a).1);
    r.fig.timelines[i]
        .iter()
        .rev()
        .map(|u| Entry {
            submitted: fmt_date(u.report.submitted),
            period: lang.period(u.report.period),
            report_url: v.route(&Route::Report(u.report.period)),
            agency: v.agency_full(&u.report.agency),
            agency_lang: agency_lang(&u.report.agency),
            agency_url: v.agency_url(&u.report.agency),
            from_lead: u.from_lead,
            state: u.update.state.code(),
            state_label: v.t.keyed("state_", u.update.state.code()),
            progress: u
                .update
                .progress
                .map(|p| format!("{}%", lang.percent(p)))
                .unwrap_or_default(),
            done_on: u.update.done_on.map(fmt_date).unwrap_or_default(),
            note: v.note_html(u.update).0,
            note_lang: v.note_html(u.update).1,
            evidence: u
                .update
                .evidence
                .as_deref()
                .map(|e| v.site_link(e))
                .unwrap_or_default(),
        })
        .collect()
}

/// Who the task passed from, when its lead changed hands by D.
fn handover(r: &Renderer, v: &Views, i: usize) -> String {
    let (t, s) = (&r.model.tasks[i], &r.fig.tasks[i]);
    match (&t.lead, &s.lead_on) {
        (Some(orig), Some(now)) if orig != now => {
            let date = r
                .model
                .agency(orig)
                .and_then(|a| a.succession.as_ref())
                .map(|x| fmt_date(x.date))
                .unwrap_or_default();
            v.t.get("handover")
                .replace("{from}", v.agency_full(orig))
                .replace("{date}", &date)
        }
        (Some(orig), None) => {
            v.t.get("lead_dissolved")
                .replace("{agency}", v.agency_full(orig))
        }
        _ => String::new(),
    }
}

/// An old address of a task (`formerly`): says where the task moved and
/// links there; its canonical link is the task's page.
pub(super) fn moved(
    r: &Renderer,
    lang: Lang,
    job: &Job,
    i: usize,
    k: usize,
    d: &mut Diagnostics,
) -> Option<Output> {
    #[derive(Serialize)]
    struct Page<'a> {
        #[serde(flatten)]
        common: Common<'a>,
        text: String,
        title: &'a str,
        title_lang: &'static str,
        url: String,
    }
    let v = r.views(lang);
    let t = &r.model.tasks[i];
    let (old, _) = t.formerly.get(k)?;
    let mut common = r.common(
        lang,
        job,
        "tasks",
        v.t.get("moved_title").to_string(),
        v.task_title(t).to_string(),
    );
    common.canonical = format!("{}{}", r.origin, v.task_url(&t.id));
    let ctx = Page {
        common,
        text: v
            .t
            .get("moved_text")
            .replace("{old}", old)
            .replace("{new}", &t.id),
        title: v.task_title(t),
        title_lang: v.task_title_lang(t).1,
        url: v.task_url(&t.id),
    };
    r.render_page(lang, job, &ctx, d)
}

/// The documents plan `k` carries out, nearest first, ending with the one
/// outside the site when the chain names one.
fn plan_chain(r: &Renderer, v: &Views, k: usize) -> Vec<views::LangLink> {
    let plans = &r.model.plans;
    let mut out: Vec<views::LangLink> = r.index.plans_above[k]
        .iter()
        .map(|&j| {
            let (label, lang) = v.pick(&plans[j].title, plans[j].title_en.as_deref());
            views::LangLink {
                label: label.to_string(),
                lang,
                url: v.route(&Route::Plan(&plans[j].id)),
            }
        })
        .collect();
    let top = r.index.plans_above[k].last().copied().unwrap_or(k);
    if let Some(crate::model::Implements::Outside { title, url }) = &plans[top].implements {
        out.push(views::LangLink {
            label: title.clone(),
            lang: v.content_lang(None),
            url: url.as_deref().map(|u| v.site_link(u)).unwrap_or_default(),
        });
    }
    out
}

/// "3 nhiệm vụ con: 1 quá hạn, 2 đang thực hiện".
fn children_words(v: &Views, c: &crate::status::Rollup) -> String {
    let parts: Vec<String> = Status::ALL
        .iter()
        .filter(|&&s| c.count(s) > 0)
        .map(|&s| format!("{} {}", c.count(s), v.t.status(s).to_lowercase()))
        .collect();
    v.t.with("children_count", c.total)
        .replace("{statuses}", &parts.join(", "))
}

/// Who answers for the task, the `lang` its element needs, and whose
/// official it was: the plan's official, or the successor's when the lead
/// passed to one (status names the successor, in English too when
/// `responsible_en` names the old lead by its English name).
fn responsible<'a>(
    v: &Views<'a>,
    t: &'a crate::model::Task,
    s: &'a crate::status::TaskStatus,
) -> (String, &'static str, String) {
    let Some(crate::status::Responsible::Followed {
        text,
        text_en,
        from,
        date,
    }) = &s.responsible_on
    else {
        let (text, lang) = v.pick(
            t.responsible.as_deref().unwrap_or(""),
            t.responsible_en.as_deref(),
        );
        return (text.to_string(), lang, String::new());
    };
    let (text, lang) = v.pick(text, text_en.as_deref());
    let from =
        v.t.get("responsible_from")
            .replace("{from}", v.agency_short(from))
            .replace("{date}", &fmt_date(*date));
    (text.to_string(), lang, from)
}

/// The tasks above task `i`, nearest first, as links.
fn parents(r: &Renderer, v: &Views, i: usize) -> Vec<views::LangLink> {
    r.index.ancestors[i]
        .iter()
        .map(|&p| v.task_link(&r.model.tasks[p]))
        .collect()
}
