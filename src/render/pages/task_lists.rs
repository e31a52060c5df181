//! Part of render, the task lists: the deadline table (`/nhiem-vu/`), its
//! status views, each agency's and group's lists, split into pages, and
//! the rows of a split list as data. Input: the renderer. Output: the
//! pages' HTML and the rows' JSON.

use super::*;

/// The deadline table, its status views, each agency's and group's lists.
pub(super) static LIST: PageKind = PageKind {
    template: "tasks.html",
    jobs: |r, _| {
        r.index
            .lists
            .iter()
            .flat_map(|(&l, listed)| {
                (0..page_count(listed.tasks.len())).map(move |n| Key::List(l, n))
            })
            .collect()
    },
    route: |at, key| match key {
        Key::List(l, n) => list_route(*l, at.m).paged(*n),
        _ => Route::Tasks,
    },
    render: |r, lang, job, d| match job.key {
        Key::List(l, n) => task_list(r, lang, job, l, n, d),
        _ => None,
    },
    source: from_templates,
    deferred: false,
    sitemap: true,
    share: None,
};

/// The rows of a list split into pages, for the script to sort and
/// filter across them.
pub(super) static LIST_ROWS: PageKind = PageKind {
    template: "",
    jobs: |r, _| {
        r.index
            .lists
            .iter()
            .filter(|(_, listed)| page_count(listed.tasks.len()) > 1)
            .map(|(&l, _)| Key::Rows(l))
            .collect()
    },
    route: |at, key| match key {
        Key::Rows(l) => Route::ListRows(Box::new(list_route(*l, at.m))),
        _ => Route::Tasks,
    },
    render: |r, lang, job, d| match job.key {
        Key::Rows(l) => task_rows(r, lang, l, d),
        _ => None,
    },
    source: from_templates,
    deferred: false,
    sitemap: false,
    share: None,
};

#[derive(Serialize)]
struct FilterOption {
    value: String,
    label: String,
    lang: &'static str,
}

pub(super) fn task_list(
    r: &Renderer,
    lang: Lang,
    job: &Job,
    list: TaskList,
    n: usize,
    d: &mut Diagnostics,
) -> Option<Output> {
    #[derive(Serialize)]
    struct List<'a> {
        #[serde(flatten)]
        common: Common<'a>,
        heading: String,
        /// The heading without the agency's or group's name, the name and
        /// its `lang`.
        base_heading: String,
        owner: String,
        owner_lang: &'static str,
        current: &'static str,
        /// The scope's view of all its tasks, and how many it holds.
        all_url: String,
        total: usize,
        counts: Vec<views::CountView>,
        rows: Vec<TaskRow<'a>>,
        /// Every row of the selection as data, when the list is split.
        rows_url: String,
        pager: Pager,
        statuses: Vec<StatusView>,
        agencies: Vec<FilterOption>,
        groups: Vec<FilterOption>,
    }
    let v = r.views(lang);
    let only = list.status();
    let listed = r.index.list(list);
    let order = &listed.tasks;
    let base_heading = match only {
        None => v.t.get("tasks_title").to_string(),
        Some(Status::Overdue) => v.t.get("overdue_view_title").to_string(),
        Some(s) => {
            v.t.get("tasks_with_status")
                .replace("{status}", v.t.status(s))
        }
    };
    // The agency's or group's name may be in another language than the
    // page's: it goes beside the heading with its own `lang`.
    let (owner, owner_lang, section) = match list {
        TaskList::All | TaskList::Status(_) => (String::new(), "", "tasks"),
        TaskList::Agency(i, _) => {
            let (name, name_lang) = v.agency_name_lang(&r.model.agencies[i]);
            (name.to_string(), name_lang, "agencies")
        }
        TaskList::Group(i, _) => {
            let g = &r.model.groups[i];
            let (name, name_lang) = v.pick(&g.name, g.name_en.as_deref());
            (name.to_string(), name_lang, "agencies")
        }
    };
    let heading = if owner.is_empty() {
        base_heading.clone()
    } else {
        format!("{base_heading} — {owner}")
    };
    let empty = crate::status::Rollup::default();
    let rollup = list.rollup(r.model, r.fig).unwrap_or(&empty);
    let mut counts = v.rollup(rollup, views::Scope::Site).counts;
    for c in &mut counts {
        if let Some(s) = Status::ALL.iter().find(|s| s.code() == c.status.code) {
            c.url = v.route(&list_route(list.with_status(Some(*s)), r.model));
        }
    }
    let scoped = matches!(list, TaskList::Agency(..) | TaskList::Group(..));
    let leads = &listed.leads;
    let route = list_route(list, r.model);
    let split = order.len() > ROWS_PER_PAGE;
    let ctx = List {
        common: r.common(
            lang,
            job,
            section,
            heading.clone(),
            v.t.get("tasks_description").to_string(),
        ),
        heading,
        base_heading,
        owner,
        owner_lang,
        current: only.map_or("", Status::code),
        all_url: v.route(&list_route(list.with_status(None), r.model)),
        total: rollup.total,
        counts,
        pager: pager(r, &v, order.len(), n, |k| v.route(&route.clone().paged(k))),
        rows: v.rows(page_of(order, n)),
        rows_url: if split {
            v.route(&Route::ListRows(Box::new(route.clone())))
        } else {
            String::new()
        },
        statuses: Status::ALL.iter().map(|&s| status_view(s, v.t)).collect(),
        agencies: if matches!(list, TaskList::Agency(..)) {
            Vec::new()
        } else {
            leads
                .iter()
                .map(|a| FilterOption {
                    value: a.to_string(),
                    label: v.agency_short(a).to_string(),
                    lang: v.agency_short_lang(a).1,
                })
                .collect()
        },
        groups: if scoped {
            Vec::new()
        } else {
            r.model
                .groups
                .iter()
                .map(|g| FilterOption {
                    value: g.id.clone(),
                    label: v.pick(&g.name, g.name_en.as_deref()).0.to_string(),
                    lang: v.pick(&g.name, g.name_en.as_deref()).1,
                })
                .collect()
        },
    };
    r.render_page(lang, job, &ctx, d)
}

/// Every row of a split list as JSON (what its table shows, in its order),
/// for the script that sorts and filters across the list's pages.
pub(super) fn task_rows(
    r: &Renderer,
    lang: Lang,
    list: TaskList,
    d: &mut Diagnostics,
) -> Option<Output> {
    let v = r.views(lang);
    let rows = v.rows(r.index.list(list).tasks.iter().copied());
    match serde_json::to_vec(&rows) {
        Ok(bytes) => Some(Output::Bytes(bytes)),
        Err(e) => {
            d.error(
                crate::diag::Loc::file(&std::sync::Arc::from("templates")),
                crate::msg!("render.page_data", error = e),
            );
            None
        }
    }
}

/// A task list's route.
pub(super) fn list_route(list: TaskList, m: &crate::model::Model) -> Route<'_> {
    match list {
        TaskList::All => Route::Tasks,
        TaskList::Status(s) => Route::StatusView(s.code()),
        TaskList::Agency(i, s) => Route::AgencyTasks(&m.agencies[i].id, s.map(Status::code)),
        TaskList::Group(i, s) => Route::GroupTasks(&m.groups[i].id, s.map(Status::code)),
    }
}
