//! Part of render, the deadlines by month (`/han-chot/`), split into
//! pages: each month's tasks in the order of their deadlines, a month
//! continued across pages named as such.
//! Input: the renderer. Output: the pages' HTML.

use super::*;

/// The deadlines by month, split into pages.
pub(super) static DEADLINES: PageKind = PageKind {
    template: "deadlines.html",
    jobs: |r, _| (0..page_count(r.model.tasks.len())).map(Key::Nth).collect(),
    route: |_, key| match key {
        Key::Nth(n) => Route::Deadlines.paged(*n),
        _ => Route::Deadlines,
    },
    render: |r, lang, job, d| match job.key {
        Key::Nth(n) => deadlines(r, lang, job, n, d),
        _ => None,
    },
    source: from_templates,
    deferred: false,
    sitemap: true,
    share: None,
};
pub(super) fn deadlines(
    r: &Renderer,
    lang: Lang,
    job: &Job,
    n: usize,
    d: &mut Diagnostics,
) -> Option<Output> {
    #[derive(Serialize)]
    struct Month<'a> {
        key: String,
        label: String,
        /// The month began on an earlier page.
        continued: bool,
        rows: Vec<TaskRow<'a>>,
    }
    #[derive(Serialize)]
    struct MonthLink {
        label: String,
        count: usize,
        /// Where the month starts: on this page or another.
        url: String,
    }
    #[derive(Serialize)]
    struct Page<'a> {
        #[serde(flatten)]
        common: Common<'a>,
        month_links: Vec<MonthLink>,
        months: Vec<Month<'a>>,
        undated: Vec<TaskRow<'a>>,
        /// The whole plan's deadline calendar, then each group's and each
        /// leading agency's.
        calendar: String,
        group_calendars: Vec<views::LangLink>,
        agency_calendars: Vec<views::LangLink>,
        undated_continued: bool,
        pager: Pager,
    }
    let v = r.views(lang);
    // The deadline order puts dated tasks first, by date, so each month's
    // tasks are consecutive; the undated ones come last.
    let month_of = |i: usize| {
        r.fig.tasks[i]
            .deadline
            .and_then(|x| x.date())
            .map(Period::of)
    };
    let order = &r.index.deadline_order;
    let page_url = |k: usize| v.route(&Route::Deadlines.paged(k));
    let mut month_links: Vec<MonthLink> = Vec::new();
    let mut last: Option<Period> = None;
    for (pos, &i) in order.iter().enumerate() {
        let Some(p) = month_of(i) else { break };
        if last == Some(p) {
            if let Some(l) = month_links.last_mut() {
                l.count += 1;
            }
            continue;
        }
        last = Some(p);
        month_links.push(MonthLink {
            label: lang.period(p),
            count: 1,
            url: format!("{}#thang-{}", page_url(pos / ROWS_PER_PAGE), p.key()),
        });
    }
    let start = n * ROWS_PER_PAGE;
    let mut months: Vec<Month> = Vec::new();
    let mut undated = Vec::new();
    let mut undated_continued = false;
    for (pos, &i) in order.iter().enumerate().skip(start).take(ROWS_PER_PAGE) {
        let began_before = pos == start && pos > 0 && month_of(order[pos - 1]) == month_of(i);
        match month_of(i) {
            Some(p) => {
                if months.last().is_none_or(|m| m.key != p.key()) {
                    months.push(Month {
                        key: p.key(),
                        label: lang.period(p),
                        continued: began_before,
                        rows: Vec::new(),
                    });
                }
                if let Some(m) = months.last_mut() {
                    m.rows.push(v.row(i));
                }
            }
            None => {
                undated_continued |= began_before;
                undated.push(v.row(i));
            }
        }
    }
    let ctx = Page {
        common: r.common(
            lang,
            job,
            "deadlines",
            v.t.get("deadlines_title").to_string(),
            v.t.get("deadlines_description").to_string(),
        ),
        month_links,
        months,
        undated,
        undated_continued,
        pager: pager(r, &v, order.len(), n, page_url),
        calendar: v.shared_route(&Route::DeadlinesCalendar),
        group_calendars: r
            .model
            .groups
            .iter()
            .map(|g| {
                let (label, lang) = v.pick(&g.name, g.name_en.as_deref());
                views::LangLink {
                    label: label.to_string(),
                    lang,
                    url: v.shared_route(&Route::GroupCalendar(&g.id)),
                }
            })
            .collect(),
        agency_calendars: r
            .fig
            .agency_ranking
            .iter()
            .filter_map(|id| r.model.agency(id))
            .map(|a| {
                let (label, lang) = v.agency_name_lang(a);
                views::LangLink {
                    label: label.to_string(),
                    lang,
                    url: v.shared_route(&Route::AgencyCalendar(&a.id)),
                }
            })
            .collect(),
    };
    r.render_page(lang, job, &ctx, d)
}
