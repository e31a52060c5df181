//! Part of render, the HTML pages and their registry. Each kind of page is
//! a [`PageKind`] in the file of its family (dashboard, tasks, agencies
//! and groups, KPIs, reports and deadlines, the archive, news and standing
//! pages, the open-data and search pages): it lists its pages, gives each
//! its route, names its template and the content file its problems are
//! blamed on, and renders a page from the index and the figures. The one
//! list [`KINDS`] drives the jobs, the dispatch, the sitemap and the link
//! check's sources; adding a kind is its file, one line there and a
//! template.

mod agencies;
mod archive;
pub(super) use archive::archive_month;
mod dashboard;
mod deadlines;
mod kpis;
mod machine;
mod news;
mod plans;
mod proposals;
mod reports;
mod task_lists;
mod tasks;

use super::i18n::Lang;
use super::markdown;
use super::views::{self, Common, Link, StatusView, TaskRow, Views, status_view};
use super::{ARTICLES_PER_PAGE, Output, ROWS_PER_PAGE, Renderer, TaskList, page_count};
use crate::date::{Period, fmt_date};
use crate::diag::Diagnostics;
use crate::model::{Article, TaskState};
use crate::route::{Format, Route, SiteChart, Table};
use crate::status::{Outcome, Status};
use serde::Serialize;

/// What tells one page from the others of its kind.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Key {
    /// The kind's only page.
    One,
    /// Page `n` of a list split into pages, or the `n`th archived month.
    Nth(usize),
    /// An item by its index in the model (task, agency, KPI, article...).
    Item(usize),
    /// An item and a number: a task's `n`th old address.
    ItemNth(usize, usize),
    /// A task list's page `n`, or (`Rows`) the data of all its pages.
    List(TaskList, usize),
    Rows(TaskList),
    /// A month's page `n`.
    Month(Period, usize),
    /// A tag's page `n`.
    Tag(String, usize),
}

/// What a page's route needs besides its key.
#[derive(Clone, Copy)]
pub(crate) struct Places<'a> {
    pub m: &'a crate::model::Model,
    /// The archived months, oldest first.
    pub months: &'a [Period],
    /// Tag text -> URL slug.
    pub tags: &'a std::collections::BTreeMap<String, String>,
}

/// One kind of page.
pub(crate) struct PageKind {
    /// Its template in the theme.
    pub template: &'static str,
    /// Its pages in one language.
    pub jobs: fn(&Renderer, Lang) -> Vec<Key>,
    /// A page's route.
    pub route: for<'a> fn(Places<'a>, &'a Key) -> Route<'a>,
    /// A page, or `None` when it failed (with an error) or is made apart.
    pub render: fn(&Renderer, Lang, &Job, &mut Diagnostics) -> Option<Output>,
    /// The content file a broken link on the page is blamed on (`None`:
    /// the templates).
    pub source: fn(&crate::model::Model, &Key) -> Option<std::sync::Arc<str>>,
    /// Made beside the page loop rather than in it: an archived month
    /// (with its month's figures) and the open-data page (with its tables).
    pub deferred: bool,
    /// Listed in the sitemap.
    pub sitemap: bool,
    /// The card of its share image (`chia-se.png` beside the page), for
    /// the kinds that have one.
    pub share: Option<super::share::CardFn>,
}

/// One page to render, in one language.
#[derive(Clone)]
pub(crate) struct Job {
    pub kind: &'static PageKind,
    pub key: Key,
}

impl Job {
    /// The page's route.
    pub(crate) fn route<'a>(&'a self, at: Places<'a>) -> Route<'a> {
        (self.kind.route)(at, &self.key)
    }

    /// The page's path relative to its language root ("" for the home
    /// page and the 404 page, which has no folder of its own).
    pub(crate) fn dir(&self, at: Places) -> String {
        if std::ptr::eq(self.kind, &NOT_FOUND) {
            String::new()
        } else {
            self.route(at).path()
        }
    }

    pub(crate) fn file(&self, at: Places) -> String {
        self.route(at).file()
    }
}

/// No content file: the page's links come from the templates.
fn from_templates(_: &crate::model::Model, _: &Key) -> Option<std::sync::Arc<str>> {
    None
}

/// Every kind of page, in the order their jobs are listed.
pub(crate) static KINDS: &[&PageKind] = &[
    &dashboard::HOME,
    &NOT_FOUND,
    &task_lists::LIST,
    &task_lists::LIST_ROWS,
    &tasks::TASK,
    &tasks::MOVED,
    &plans::PLANS,
    &plans::PLAN,
    &agencies::AGENCIES,
    &agencies::GROUPS,
    &agencies::AGENCY,
    &agencies::GROUP,
    &kpis::KPIS,
    &kpis::KPI,
    &reports::REPORTS,
    &reports::REPORT,
    &proposals::PROPOSALS,
    &proposals::PROPOSAL,
    &ARCHIVE,
    &ARCHIVE_MONTH,
    &deadlines::DEADLINES,
    &DATA,
    &machine::SEARCH,
    &news::NEWS,
    &news::ARTICLE,
    &news::TAG,
    &news::PAGE,
    &news::ACCESSIBILITY,
];

/// Every page, for every language, in a stable order: each kind of the
/// registry ([`KINDS`]) lists its own.
pub(super) fn jobs(r: &Renderer) -> Vec<(Lang, Job)> {
    let mut out = Vec::new();
    for &lang in &r.index.langs {
        for &kind in KINDS {
            out.extend(
                (kind.jobs)(r, lang)
                    .into_iter()
                    .map(|key| (lang, Job { kind, key })),
            );
        }
    }
    out
}

/// Which content file each page comes from, to name it in link errors.
pub(super) fn page_sources(
    r: &Renderer,
    list: &[(Lang, Job)],
) -> std::collections::HashMap<String, std::sync::Arc<str>> {
    list.iter()
        .map(|(lang, job)| {
            let source = (job.kind.source)(r.model, &job.key)
                .unwrap_or_else(|| std::sync::Arc::from("templates"));
            (format!("{}{}", lang.prefix(), job.file(r.places())), source)
        })
        .collect()
}

pub(crate) use archive::{ARCHIVE, ARCHIVE_MONTH};

/// The archive's index builder (made after the months, see [`ARCHIVE`]).
pub(crate) const ARCHIVE_INDEX: fn(&Renderer, Lang, &Job, &mut Diagnostics) -> Option<Output> =
    archive::archive_index;
pub(crate) use machine::DATA;
pub(crate) use news::NOT_FOUND;

pub(super) use machine::open_data;

/// Past [`ROWS_PER_PAGE`] rows, a summary list (the dashboard's overdue
/// tasks and KPIs, a month's changes, an archived month's scorecards)
/// shows only its first rows, with the count and links to the rest.
pub(super) const TOP_ROWS: usize = 20;

/// A list cut to its first [`TOP_ROWS`] rows past [`ROWS_PER_PAGE`]
/// (whole below it), and how many rows it left out.
pub(super) fn top<T>(mut all: Vec<T>) -> (Vec<T>, usize) {
    if all.len() <= ROWS_PER_PAGE {
        return (all, 0);
    }
    let more = all.len() - TOP_ROWS;
    all.truncate(TOP_ROWS);
    (all, more)
}

/// The page numbers under a list split into pages: where the reader is
/// (rows shown of how many), the previous and next pages, the first and
/// last and the two either side of this one; the full data one click away.
#[derive(Serialize, Default)]
pub(super) struct Pager {
    page: usize,
    pages: usize,
    /// "Rows 101–200 of 2,345".
    summary: String,
    prev: String,
    next: String,
    links: Vec<PageLink>,
    /// The open-data files holding every row (CSV, JSON).
    data_csv: String,
    data_json: String,
}

#[derive(Serialize)]
struct PageLink {
    /// The page number; "" for a gap in the numbers.
    label: String,
    url: String,
    current: bool,
}

/// The pager of page `n` (0-based) of a list of `rows` rows, each page's
/// address from `url`. A list of one page gets an empty pager (the
/// templates show none). Its full data: the task tables.
pub(super) fn pager(
    r: &Renderer,
    v: &Views,
    rows: usize,
    n: usize,
    url: impl Fn(usize) -> String,
) -> Pager {
    let summary = span_summary(v, "pager_rows", rows, n, ROWS_PER_PAGE);
    numbered(page_count(rows), n, summary, url).with_data(r, Table::Tasks)
}

/// The pager of page `n` (0-based) of `pages` pages, with its summary
/// ("Rows 101–200 of 2,345") and no data files (see [`Pager::with_data`]).
pub(super) fn numbered(
    pages: usize,
    n: usize,
    summary: String,
    url: impl Fn(usize) -> String,
) -> Pager {
    if pages <= 1 {
        return Pager {
            pages,
            page: 1,
            ..Pager::default()
        };
    }
    let mut links = Vec::new();
    let mut previous: Option<usize> = None;
    for k in 0..pages {
        if k == 0 || k + 1 == pages || k.abs_diff(n) <= 2 {
            if previous.is_some_and(|p| p + 1 < k) {
                links.push(PageLink {
                    label: String::new(),
                    url: String::new(),
                    current: false,
                });
            }
            links.push(PageLink {
                label: (k + 1).to_string(),
                url: url(k),
                current: k == n,
            });
            previous = Some(k);
        }
    }
    Pager {
        page: n + 1,
        pages,
        summary,
        prev: if n > 0 { url(n - 1) } else { String::new() },
        next: if n + 1 < pages {
            url(n + 1)
        } else {
            String::new()
        },
        links,
        data_csv: String::new(),
        data_json: String::new(),
    }
}

impl Pager {
    /// The same pager naming the open-data table `name` (its CSV and
    /// JSON files) as the full data; none for a list of one page.
    pub(super) fn with_data(mut self, r: &Renderer, table: Table) -> Pager {
        if self.pages > 1 {
            // The open data is shared by every language, at the site root.
            let path = |f| Route::TableFile(table, f).path();
            self.data_csv = format!("{}{}", r.base, path(Format::Csv));
            self.data_json = format!("{}{}", r.base, path(Format::Json));
        }
        self
    }
}

/// "Rows {from}–{to} of {total}" (or the like, by the UI string `key`)
/// for page `n` of a list of `rows` rows, `per_page` a page.
pub(super) fn span_summary(v: &Views, key: &str, rows: usize, n: usize, per_page: usize) -> String {
    v.t.get(key)
        .replace("{from}", &(n * per_page + 1).to_string())
        .replace("{to}", &((n + 1) * per_page).min(rows).to_string())
        .replace("{total}", &rows.to_string())
}

/// The rows of page `n` of a list.
pub(super) fn page_of<T: Clone>(all: &[T], n: usize) -> Vec<T> {
    all.iter()
        .skip(n * ROWS_PER_PAGE)
        .take(ROWS_PER_PAGE)
        .cloned()
        .collect()
}

#[derive(Serialize)]
pub(super) struct ArticleCard<'a> {
    title: &'a str,
    /// The `lang` of its title and summary ("" for the page's).
    lang: &'static str,
    url: String,
    date: String,
    date_iso: String,
    summary: &'a str,
    tags: Vec<Link>,
}

pub(super) fn card<'a>(r: &Renderer, v: &Views, a: &'a Article) -> ArticleCard<'a> {
    ArticleCard {
        title: &a.title,
        lang: v.content_lang(a.lang.as_deref()),
        url: v.route(&Route::Article(&a.slug)),
        date: fmt_date(a.date),
        date_iso: a.date.to_string(),
        summary: a.summary.as_deref().unwrap_or(""),
        tags: tag_links(r, v, &a.tags),
    }
}

pub(super) fn tag_links(r: &Renderer, v: &Views, tags: &[String]) -> Vec<Link> {
    tags.iter()
        .filter_map(|t| {
            r.index.tags.get(t).map(|slug| Link {
                label: t.clone(),
                url: v.route(&Route::Tag(slug)),
            })
        })
        .collect()
}

/// The dashboard's latest news, as the index chose them.
pub(super) fn latest_articles<'a>(r: &'a Renderer, v: &Views, lang: Lang) -> Vec<ArticleCard<'a>> {
    r.index
        .latest_articles(lang)
        .iter()
        .map(|&i| card(r, v, &r.model.articles[i]))
        .collect()
}

/// The language's articles about a task or KPI id, through the index
/// (a task page must not scan every article).
pub(super) fn articles_about<'a>(
    r: &'a Renderer,
    v: &Views,
    lang: Lang,
    id: &str,
) -> Vec<ArticleCard<'a>> {
    r.index
        .articles_about(lang, id, r.model)
        .into_iter()
        .map(|i| card(r, v, &r.model.articles[i]))
        .collect()
}

/// The figures of a status-bars chart as a table: one row per bar.
#[derive(Serialize)]
pub(super) struct MixTable {
    statuses: Vec<StatusView>,
    rows: Vec<MixRow>,
}

#[derive(Serialize)]
pub(super) struct MixRow {
    label: String,
    label_lang: &'static str,
    url: String,
    counts: Vec<MixCell>,
    total: usize,
    total_url: String,
}

/// A count of the table, with the list of the tasks it counts ("" for 0).
#[derive(Serialize)]
pub(super) struct MixCell {
    count: usize,
    url: String,
}

pub(super) fn mix_table(v: &Views, ids: &[&str]) -> MixTable {
    MixTable {
        statuses: Status::ALL.iter().map(|&s| status_view(s, v.t)).collect(),
        rows: super::chart_set::agency_bars(v, ids)
            .into_iter()
            .map(|(id, b)| {
                let scope = views::Scope::Agency(id);
                let total: usize = b.counts.iter().sum();
                MixRow {
                    label: b.label,
                    label_lang: v.agency_short_lang(id).1,
                    url: v.agency_url(id),
                    total,
                    total_url: if total > 0 {
                        format!("{}#chu-tri", v.agency_url(id))
                    } else {
                        String::new()
                    },
                    counts: Status::ALL
                        .iter()
                        .zip(b.counts)
                        .map(|(&s, count)| MixCell {
                            count,
                            url: if scope.has_view(count) {
                                v.route(&scope.view(s))
                            } else {
                                String::new()
                            },
                        })
                        .collect(),
                }
            })
            .collect(),
    }
}

/// Under a list cut to its first rows ([`top`]): how many it shows of
/// how many, and the links to the rest (the full list's pages, the open
/// data). The templates show it with `more.html`.
#[derive(Serialize)]
pub(super) struct More {
    text: String,
    links: Vec<Link>,
}

/// A list cut by [`top`]: its rows shown, how many it has, and what to
/// say under it.
#[derive(Serialize)]
pub(super) struct Cut<T> {
    rows: Vec<T>,
    total: usize,
    more: Option<More>,
}

/// `all` cut by [`top`], each row shown made by `row`; `links` lead to
/// the rest.
pub(super) fn cut<I: Clone, T>(
    v: &Views,
    all: &[I],
    row: impl FnMut(I) -> T,
    links: impl FnOnce() -> Vec<Link>,
) -> Cut<T> {
    let total = all.len();
    let (shown, left) = top(all.to_vec());
    let rows: Vec<T> = shown.into_iter().map(row).collect();
    Cut {
        more: if left > 0 {
            more(v, rows.len(), total, links())
        } else {
            None
        },
        rows,
        total,
    }
}

/// What to say under a list of `total` rows cut to `shown` ones; `None`
/// when nothing was cut.
pub(super) fn more(v: &Views, shown: usize, total: usize, links: Vec<Link>) -> Option<More> {
    (total > shown).then(|| More {
        text: v
            .t
            .get("top_more")
            .replace("{shown}", &shown.to_string())
            .replace("{total}", &total.to_string()),
        links,
    })
}

/// A link to an open-data file at the site root (shared by every
/// language), labelled by the UI string `key`.
pub(super) fn data_link(r: &Renderer, v: &Views, key: &str, route: &Route) -> Link {
    Link {
        label: v.t.get(key).to_string(),
        url: format!("{}{}", r.base, route.path()),
    }
}
