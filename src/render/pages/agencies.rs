//! Part of render, agencies and working groups: the scorecards (`/co-quan/`),
//! each agency's page and each group's roll-up. Input: the renderer. Output:
//! the pages' HTML.

use super::*;

/// The agencies' scorecards, split into pages.
pub(super) static AGENCIES: PageKind = PageKind {
    template: "agencies.html",
    jobs: |r, _| (0..agency_pages(r)).map(Key::Nth).collect(),
    route: |_, key| match key {
        Key::Nth(n) => Route::Agencies.paged(*n),
        _ => Route::Agencies,
    },
    render: |r, lang, job, d| match job.key {
        Key::Nth(n) => agencies(r, lang, job, n, d),
        _ => None,
    },
    source: |_, _| Some(std::sync::Arc::from("content/agencies.yaml")),
    deferred: false,
    sitemap: true,
    share: None,
};

/// The working groups' index (`/to-cong-tac/`): each group's roll-up.
pub(super) static GROUPS: PageKind = PageKind {
    template: "groups.html",
    jobs: |r, _| {
        if r.model.groups.is_empty() {
            Vec::new()
        } else {
            vec![Key::One]
        }
    },
    route: |_, _| Route::Groups,
    render: groups,
    source: |_, _| Some(std::sync::Arc::from("content/agencies.yaml")),
    deferred: false,
    sitemap: true,
    share: None,
};

/// An agency's scorecard and tasks.
pub(super) static AGENCY: PageKind = PageKind {
    template: "agency.html",
    jobs: |r, _| (0..r.model.agencies.len()).map(Key::Item).collect(),
    route: |at, key| match key {
        Key::Item(i) => Route::Agency(&at.m.agencies[*i].id),
        _ => Route::Agencies,
    },
    render: |r, lang, job, d| match job.key {
        Key::Item(i) => agency(r, lang, job, i, d),
        _ => None,
    },
    source: |_, _| Some(std::sync::Arc::from("content/agencies.yaml")),
    deferred: false,
    sitemap: true,
    share: Some(crate::render::share::agency),
};

/// A working group's roll-up.
pub(super) static GROUP: PageKind = PageKind {
    template: "group.html",
    jobs: |r, _| (0..r.model.groups.len()).map(Key::Item).collect(),
    route: |at, key| match key {
        Key::Item(i) => Route::Group(&at.m.groups[*i].id),
        _ => Route::Agencies,
    },
    render: |r, lang, job, d| match job.key {
        Key::Item(i) => group(r, lang, job, i, d),
        _ => None,
    },
    source: |_, _| Some(std::sync::Arc::from("content/agencies.yaml")),
    deferred: false,
    sitemap: true,
    share: None,
};

/// A working group's card: its leader and roll-up.
#[derive(Serialize)]
struct GroupView<'a> {
    url: String,
    name: &'a str,
    name_lang: &'static str,
    leader: &'a str,
    leader_lang: &'static str,
    rollup: views::RollupView,
}

/// How many pages the scorecards take ([`ROWS_PER_PAGE`] agencies a page).
pub(crate) fn agency_pages(r: &Renderer) -> usize {
    page_count(r.index.agencies_active.len())
}

/// Page `n` of the scorecards: the first holds the groups, the chart and
/// the former agencies too; each page the scorecards and chart data of
/// its agencies.
pub(super) fn agencies(
    r: &Renderer,
    lang: Lang,
    job: &Job,
    n: usize,
    d: &mut Diagnostics,
) -> Option<Output> {
    #[derive(Serialize)]
    struct Page<'a> {
        #[serde(flatten)]
        common: Common<'a>,
        active: Vec<views::AgencyRow<'a>>,
        former: Vec<views::AgencyRow<'a>>,
        groups: Vec<GroupView<'a>>,
        /// What the group cards leave out, so that parts and whole agree.
        ungrouped_words: String,
        unassigned_url: String,
        chart: Option<views::ChartView>,
        mix: MixTable,
        pager: Pager,
    }
    let v = r.views(lang);
    let ags = &r.model.agencies;
    let active: Vec<&crate::model::Agency> =
        r.index.agencies_active.iter().map(|&i| &ags[i]).collect();
    let former: Vec<&crate::model::Agency> =
        r.index.agencies_former.iter().map(|&i| &ags[i]).collect();
    let total = active.len();
    let first = n == 0;
    let active = page_of(&active, n);
    // A split list's chart data: the rows of this page's agencies.
    let mix_ids: Vec<&str> = if total > ROWS_PER_PAGE {
        active.iter().map(|a| a.id.as_str()).collect()
    } else {
        r.model.agencies.iter().map(|a| a.id.as_str()).collect()
    };
    let ctx = Page {
        common: r.common(
            lang,
            job,
            "agencies",
            v.t.get("agencies_title").to_string(),
            v.t.get("agencies_description").to_string(),
        ),
        active: active.into_iter().map(|a| v.agency_row(a)).collect(),
        former: former
            .into_iter()
            .filter(|_| first)
            .map(|a| v.agency_row(a))
            .collect(),
        groups: if first {
            group_cards(r, &v)
        } else {
            Vec::new()
        },
        ungrouped_words: if first {
            ungrouped_words(r, &v)
        } else {
            String::new()
        },
        // The dashboard lists the tasks without a lead, when there are any.
        unassigned_url: if r.fig.unassigned.is_empty() {
            String::new()
        } else {
            format!("{}#{}", v.route(&Route::Home), super::super::GAP_ANCHOR)
        },
        chart: r.chart(lang, &Route::Chart(SiteChart::Agencies)),
        mix: mix_table(&v, &mix_ids),
        pager: numbered(
            page_count(total),
            n,
            span_summary(&v, "pager_rows", total, n, ROWS_PER_PAGE),
            |k| v.route(&Route::Agencies.paged(k)),
        )
        .with_data(r, Table::Agencies),
    };
    r.render_page(lang, job, &ctx, d)
}

/// Every working group's card, in content order.
fn group_cards<'a>(r: &'a Renderer, v: &Views<'a>) -> Vec<GroupView<'a>> {
    r.model
        .groups
        .iter()
        .map(|g| GroupView {
            url: v.route(&Route::Group(&g.id)),
            name: v.pick(&g.name, g.name_en.as_deref()).0,
            name_lang: v.pick(&g.name, g.name_en.as_deref()).1,
            leader: v
                .pick(g.leader.as_deref().unwrap_or(""), g.leader_en.as_deref())
                .0,
            leader_lang: v
                .pick(g.leader.as_deref().unwrap_or(""), g.leader_en.as_deref())
                .1,
            rollup: v.rollup(
                r.fig.groups.get(&g.id).unwrap_or(&Default::default()),
                views::Scope::Group(&g.id),
            ),
        })
        .collect()
}

/// What the group cards leave out, so that parts and whole agree ("" when
/// nothing is left out or there are no groups).
fn ungrouped_words(r: &Renderer, v: &Views) -> String {
    if r.fig.ungrouped.is_empty() || r.model.groups.is_empty() {
        return String::new();
    }
    let total = r.fig.overall.total;
    let n = r.fig.ungrouped.len();
    v.t.get("groups_ungrouped")
        .replace("{grouped}", &(total - n).to_string())
        .replace("{total}", &total.to_string())
        .replace("{n}", &n.to_string())
}

/// The working groups' index: each group's card, and what they leave out.
fn groups(r: &Renderer, lang: Lang, job: &Job, d: &mut Diagnostics) -> Option<Output> {
    #[derive(Serialize)]
    struct Page<'a> {
        #[serde(flatten)]
        common: Common<'a>,
        groups: Vec<GroupView<'a>>,
        ungrouped_words: String,
        unassigned_url: String,
        agencies_url: String,
    }
    let v = r.views(lang);
    let ctx = Page {
        common: r.common(
            lang,
            job,
            "agencies",
            v.t.get("groups_title").to_string(),
            v.t.get("groups_description").to_string(),
        ),
        groups: group_cards(r, &v),
        ungrouped_words: ungrouped_words(r, &v),
        unassigned_url: if r.fig.unassigned.is_empty() {
            String::new()
        } else {
            format!("{}#{}", v.route(&Route::Home), super::super::GAP_ANCHOR)
        },
        agencies_url: v.route(&Route::Agencies),
    };
    r.render_page(lang, job, &ctx, d)
}

pub(super) fn agency(
    r: &Renderer,
    lang: Lang,
    job: &Job,
    i: usize,
    d: &mut Diagnostics,
) -> Option<Output> {
    #[derive(Serialize)]
    struct Page<'a> {
        #[serde(flatten)]
        common: Common<'a>,
        agency: views::AgencyRow<'a>,
        url: String,
        /// The deadlines of the tasks it leads, as a calendar (.ics).
        calendar_url: String,
        group_url: String,
        successor: Option<Link>,
        /// Dissolved without successor by D: when, in words.
        dissolved: String,
        /// Its open tasks it says are at risk or off track.
        warnings: Vec<TaskRow<'a>>,
        predecessors: Vec<Link>,
        rollup: views::RollupView,
        leads: Vec<TaskRow<'a>>,
        /// Past [`ROWS_PER_PAGE`] led tasks, the page shows the first ones
        /// and links to the agency's view of them all, split into pages.
        leads_more: Option<Link>,
        supports: Vec<TaskRow<'a>>,
        handed_over: Vec<TaskRow<'a>>,
        duties: Vec<views::DutyView>,
        kpis: Vec<views::KpiRow<'a>>,
        on_time: usize,
        late: usize,
        missing: usize,
        #[serde(flatten)]
        proposals: super::proposals::AgencyProposals<'a>,
    }
    let v = r.views(lang);
    let a = &r.model.agencies[i];
    let empty = crate::status::AgencyFigures::default();
    let f = r.fig.agencies.get(&a.id).unwrap_or(&empty);
    let predecessors = r
        .index
        .predecessors
        .get(a.id.as_str())
        .map_or(&[][..], Vec::as_slice)
        .iter()
        .map(|&p| &r.model.agencies[p])
        .map(|p| {
            let date = p
                .succession
                .as_ref()
                .map(|s| fmt_date(s.date))
                .unwrap_or_default();
            Link {
                label: v
                    .t
                    .get("took_over_from")
                    .replace("{agency}", v.agency_name(p))
                    .replace("{date}", &date),
                url: v.agency_url(&p.id),
            }
        })
        .collect();
    // Tasks this agency once led that passed to a successor.
    let handed_over = r
        .index
        .handed_over
        .get(a.id.as_str())
        .cloned()
        .unwrap_or_default();
    let duties: Vec<&crate::status::Duty> = r
        .index
        .duties_newest_first
        .get(a.id.as_str())
        .map_or(&[][..], Vec::as_slice)
        .iter()
        .filter_map(|&k| f.duties.get(k))
        .collect();
    let name = v.agency_name(a);
    let ctx = Page {
        common: r.common(lang, job, "agencies", name.to_string(), String::new()),
        agency: v.agency_row(a),
        url: a.url.as_deref().map(|u| v.site_link(u)).unwrap_or_default(),
        calendar_url: v.shared_route(&Route::AgencyCalendar(&a.id)),
        group_url: a
            .group
            .as_ref()
            .map(|g| v.route(&Route::Group(g)))
            .unwrap_or_default(),
        successor: a
            .succession
            .as_ref()
            .and_then(|s| s.to.as_ref())
            .map(|to| Link {
                label: v.ended(a),
                url: v.agency_url(to),
            }),
        warnings: v.rows(
            r.index
                .agency_warnings
                .get(a.id.as_str())
                .into_iter()
                .flatten()
                .copied(),
        ),
        dissolved: if r.index.dissolved.get(i).copied().unwrap_or(false) {
            v.ended(a)
        } else {
            String::new()
        },
        predecessors,
        rollup: v.rollup(&f.rollup, views::Scope::Agency(&a.id)),
        leads: v.rows(page_of(&r.index.list(TaskList::Agency(i, None)).tasks, 0)),
        leads_more: see_all(&v, f.leads.len(), &Route::AgencyTasks(&a.id, None)),
        supports: v.rows(
            r.index
                .supports
                .get(a.id.as_str())
                .into_iter()
                .flatten()
                .copied(),
        ),
        handed_over: v.rows(handed_over),
        duties: duties.into_iter().map(|x| v.duty(x)).collect(),
        kpis: r
            .index
            .kpis_owned
            .get(a.id.as_str())
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|&k| v.kpi_row(k))
            .collect(),
        on_time: f.count(|o| *o == Outcome::OnTime),
        late: f.count(|o| matches!(o, Outcome::Late(_))),
        missing: f.count(|o| *o == Outcome::Missing),
        proposals: super::proposals::of_agency(&v, &a.id),
    };
    r.render_page(lang, job, &ctx, d)
}

pub(super) fn group(
    r: &Renderer,
    lang: Lang,
    job: &Job,
    i: usize,
    d: &mut Diagnostics,
) -> Option<Output> {
    #[derive(Serialize)]
    struct Page<'a> {
        #[serde(flatten)]
        common: Common<'a>,
        name: &'a str,
        name_lang: &'static str,
        leader: &'a str,
        leader_lang: &'static str,
        description: &'a str,
        description_lang: &'static str,
        /// The deadlines of its tasks, as a calendar (.ics).
        calendar_url: String,
        rollup: views::RollupView,
        agencies: Vec<views::AgencyRow<'a>>,
        overdue: Vec<TaskRow<'a>>,
        overdue_more: Option<Link>,
        tasks: Vec<TaskRow<'a>>,
        tasks_more: Option<Link>,
        chart: Option<views::ChartView>,
        mix: MixTable,
    }
    let v = r.views(lang);
    let g = &r.model.groups[i];
    let ids: Vec<&str> = r
        .index
        .group_members
        .get(g.id.as_str())
        .cloned()
        .unwrap_or_default();
    let empty = crate::status::Rollup::default();
    let rollup = r.fig.groups.get(&g.id).unwrap_or(&empty);
    // The tasks its agencies lead on D: what its roll-up counts.
    let listed = r.index.list(TaskList::Group(i, None));
    let tasks = &listed.tasks;
    let (name, name_lang) = v.pick(&g.name, g.name_en.as_deref());
    let (leader, leader_lang) = v.pick(g.leader.as_deref().unwrap_or(""), g.leader_en.as_deref());
    let (description, description_lang) = v.pick(g.description.as_deref().unwrap_or(""), None);
    let ctx = Page {
        common: r.common(lang, job, "agencies", name.to_string(), String::new()),
        name,
        name_lang,
        leader,
        leader_lang,
        description,
        description_lang,
        calendar_url: v.shared_route(&Route::GroupCalendar(&g.id)),
        rollup: v.rollup(rollup, views::Scope::Group(&g.id)),
        agencies: r
            .index
            .group_agencies
            .get(g.id.as_str())
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|&a| &r.model.agencies[a])
            .map(|a| v.agency_row(a))
            .collect(),
        overdue: v.rows(page_of(&rollup.overdue, 0)),
        overdue_more: see_all(
            &v,
            rollup.overdue.len(),
            &Route::GroupTasks(&g.id, Some(Status::Overdue.code())),
        ),
        tasks: v.rows(page_of(tasks, 0)),
        tasks_more: see_all(&v, tasks.len(), &Route::GroupTasks(&g.id, None)),
        chart: r.chart(lang, &Route::GroupChart(&g.id)),
        mix: mix_table(&v, &ids),
    };
    r.render_page(lang, job, &ctx, d)
}

/// A link to the view of all `count` tasks of a list cut at
/// [`ROWS_PER_PAGE`] rows on an agency's or group's page; `None` below it.
fn see_all(v: &Views, count: usize, view: &Route) -> Option<Link> {
    (count > ROWS_PER_PAGE).then(|| Link {
        label: v
            .t
            .get("see_all_tasks")
            .replace("{count}", &count.to_string()),
        url: v.route(view),
    })
}
