//! Part of render, plans that cascade (seed item 4): the plans (`/ke-hoach/`)
//! and each plan's page: issuer, date, what it implements, its tasks'
//! roll-up, its tasks and the plans under it. Input: the renderer (the
//! index's plan lists). Output: the pages' HTML.

use super::*;
use crate::model::{Implements, Plan};

/// The plans' index.
pub(super) static PLANS: PageKind = PageKind {
    template: "plans.html",
    jobs: |_, _| vec![Key::One],
    route: |_, _| Route::Plans,
    render: plans,
    source: from_templates,
    deferred: false,
    sitemap: true,
    share: None,
};

/// A plan's page.
pub(super) static PLAN: PageKind = PageKind {
    template: "plan.html",
    jobs: |r, _| (0..r.model.plans.len()).map(Key::Item).collect(),
    route: |at, key| match key {
        Key::Item(k) => Route::Plan(&at.m.plans[*k].id),
        _ => Route::Plans,
    },
    render: |r, lang, job, d| match job.key {
        Key::Item(k) => plan(r, lang, job, k, d),
        _ => None,
    },
    source: |m, key| match key {
        Key::Item(k) => m.plans.get(*k).map(|p| std::sync::Arc::clone(&p.file)),
        _ => None,
    },
    deferred: false,
    sitemap: true,
    share: None,
};

/// A plan as a line of a list: its name, issuer, date, what it implements
/// and how many of its tasks are done.
#[derive(Serialize)]
pub(super) struct PlanCard<'a> {
    url: String,
    title: &'a str,
    title_lang: &'static str,
    issuer: &'a str,
    issued: String,
    implements: Option<views::LangLink>,
    rollup: views::RollupView,
}

/// What plan `k` implements: a link to the plan's page, or the outside
/// document (its own address, or none).
pub(super) fn implements_link(v: &Views, p: &Plan) -> Option<views::LangLink> {
    match p.implements.as_ref()? {
        Implements::Plan(j) => {
            let above = &v.model.plans[*j];
            let (label, lang) = v.pick(&above.title, above.title_en.as_deref());
            Some(views::LangLink {
                label: label.to_string(),
                lang,
                url: v.route(&Route::Plan(&above.id)),
            })
        }
        // An outside document's title is as the document writes it.
        Implements::Outside { title, url } => Some(views::LangLink {
            label: title.clone(),
            lang: v.content_lang(None),
            url: url.as_deref().map(|u| v.site_link(u)).unwrap_or_default(),
        }),
    }
}

fn card<'a>(r: &'a Renderer, v: &Views<'a>, k: usize) -> PlanCard<'a> {
    let p = &r.model.plans[k];
    let (title, title_lang) = v.pick(&p.title, p.title_en.as_deref());
    PlanCard {
        url: v.route(&Route::Plan(&p.id)),
        title,
        title_lang,
        issuer: p.issuer.as_deref().unwrap_or(""),
        issued: fmt_date(p.issued),
        implements: implements_link(v, p),
        rollup: v.rollup(
            r.fig.plans.get(k).unwrap_or(&Default::default()),
            views::Scope::Archive,
        ),
    }
}

fn plans(r: &Renderer, lang: Lang, job: &Job, d: &mut Diagnostics) -> Option<Output> {
    #[derive(Serialize)]
    struct Page<'a> {
        #[serde(flatten)]
        common: Common<'a>,
        plans: Vec<PlanCard<'a>>,
    }
    let v = r.views(lang);
    let ctx = Page {
        common: r.common(
            lang,
            job,
            "tasks",
            v.t.get("plans_title").to_string(),
            v.t.get("plans_intro").to_string(),
        ),
        plans: (0..r.model.plans.len()).map(|k| card(r, &v, k)).collect(),
    };
    r.render_page(lang, job, &ctx, d)
}

fn plan(r: &Renderer, lang: Lang, job: &Job, k: usize, d: &mut Diagnostics) -> Option<Output> {
    #[derive(Serialize)]
    struct Page<'a> {
        #[serde(flatten)]
        common: Common<'a>,
        plan: PlanCard<'a>,
        number: &'a str,
        url: String,
        summary: &'a str,
        tasks: Cut<TaskRow<'a>>,
        under: Vec<PlanCard<'a>>,
    }
    let v = r.views(lang);
    let p = &r.model.plans[k];
    let plan = card(r, &v, k);
    let ctx = Page {
        common: r.common(lang, job, "tasks", plan.title.to_string(), String::new()),
        number: p.number.as_deref().unwrap_or(""),
        url: p.url.as_deref().map(|u| v.site_link(u)).unwrap_or_default(),
        summary: p.summary.as_deref().unwrap_or(""),
        tasks: cut(
            &v,
            &r.index.plan_tasks[k],
            |i| v.row(i),
            || {
                vec![Link {
                    label: v.t.get("plans_all_tasks").to_string(),
                    url: v.route(&Route::Tasks),
                }]
            },
        ),
        under: r.index.plans_under[k]
            .iter()
            .map(|&j| card(r, &v, j))
            .collect(),
        plan,
    };
    r.render_page(lang, job, &ctx, d)
}
