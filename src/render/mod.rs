//! Stage 4, render: every page and asset of the portal, in memory. Pure.
//!
//! Input: the model, its figures as of D, and the theme (templates, assets,
//! UI strings). Output: [`RenderedSite`], the site's files by path, for the
//! output stage to write. Pages are listed as jobs and rendered in parallel,
//! once per language (Vietnamese at the root, English under `/en/`).

mod chart_set;
pub mod charts;
mod checks;
pub mod data;
pub mod escape;
pub mod feeds;
pub mod i18n;
mod links;
mod machine;
pub use crate::markdown;
mod pages;
pub mod search;
mod svg;
pub mod views;

use crate::diag::{Diagnostics, Loc};
use crate::model::Model;
use crate::route::{BaseUrl, Route};
use crate::status::{Figures, Status};
use i18n::{Lang, Strings};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// Every file of the site, by path relative to the output folder: those
/// held in memory, and the paths of pages already handed to a [`PageSink`]
/// (written as they were rendered, no longer held).
#[derive(Debug, Default)]
pub struct RenderedSite {
    pub files: BTreeMap<String, Vec<u8>>,
    /// Hashed rather than ordered: the link check looks up every link of
    /// every page here (millions at national scale); [`Self::paths`] sorts.
    pub written: std::collections::HashSet<String>,
    /// How long the monthly archive took (its figures, pages and files),
    /// for the build's timings.
    pub archive_time: std::time::Duration,
}

impl RenderedSite {
    /// Whether the site has a file at `path`, in memory or written.
    pub fn has(&self, path: &str) -> bool {
        self.files.contains_key(path) || self.written.contains(path)
    }

    /// Every path of the site, in order.
    pub fn paths(&self) -> impl Iterator<Item = &String> {
        let mut all: Vec<&String> = self.files.keys().chain(&self.written).collect();
        all.sort_unstable();
        all.into_iter()
    }
}

/// The buffer a page is rendered into, so that most pages never regrow it.
const PAGE_CAPACITY: usize = 32 * 1024;

/// Where `build` sends each page as soon as it is rendered (the output
/// stage's staging folder), so that the site is never held whole in
/// memory; `check` and `serve` keep the pages instead. It records its own
/// write errors for the caller.
pub type PageSink<'s> = &'s (dyn Fn(&str, &[u8]) + Sync);

/// Options that come from the command line rather than the content.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Overrides `base_url` of site.yaml.
    pub base_url: Option<BaseUrl>,
}

/// The standing page that explains how figures are computed; task pages
/// link to it when it exists.
pub const METHOD_PAGE: &str = "phuong-phap";
/// The dashboard's section of tasks without a lead ("5 rõ": rõ người).
pub const GAP_ANCHOR: &str = "chua-giao-chu-tri";

/// News articles per page of the list.
pub const ARTICLES_PER_PAGE: usize = 10;

/// Rows a page of a task list, the deadline calendar or a tag page holds;
/// a longer list splits into numbered pages (`trang/2/`...). A province's
/// portal stays below it and looks as it did unsplit.
pub const ROWS_PER_PAGE: usize = 100;

/// How many pages a list of `rows` rows takes (one, even when empty).
pub fn page_count(rows: usize) -> usize {
    rows.div_ceil(ROWS_PER_PAGE).max(1)
}

/// A list of tasks with a page of its own: the deadline table, its status
/// views, and each agency's and group's views (all its tasks, or those of
/// one status: exactly the tasks its scorecard counts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum TaskList {
    All,
    Status(Status),
    /// By index into `Model::agencies`: the tasks it leads on D.
    Agency(usize, Option<Status>),
    /// By index into `Model::groups`: the tasks its agencies lead on D.
    Group(usize, Option<Status>),
}

impl TaskList {
    fn route<'m>(self, m: &'m Model) -> Route<'m> {
        match self {
            TaskList::All => Route::Tasks,
            TaskList::Status(s) => Route::StatusView(s.code()),
            TaskList::Agency(i, s) => Route::AgencyTasks(&m.agencies[i].id, s.map(Status::code)),
            TaskList::Group(i, s) => Route::GroupTasks(&m.groups[i].id, s.map(Status::code)),
        }
    }

    /// The roll-up whose counts this list (or its status) shows.
    pub(crate) fn rollup<'f>(
        self,
        m: &Model,
        fig: &'f Figures,
    ) -> Option<&'f crate::status::Rollup> {
        match self {
            TaskList::All | TaskList::Status(_) => Some(&fig.overall),
            TaskList::Agency(i, _) => fig.agencies.get(&m.agencies[i].id).map(|f| &f.rollup),
            TaskList::Group(i, _) => fig.groups.get(&m.groups[i].id),
        }
    }

    pub(crate) fn status(self) -> Option<Status> {
        match self {
            TaskList::All => None,
            TaskList::Status(s) => Some(s),
            TaskList::Agency(_, s) | TaskList::Group(_, s) => s,
        }
    }

    /// The same scope with another status (or all).
    pub(crate) fn with_status(self, s: Option<Status>) -> TaskList {
        match (self, s) {
            (TaskList::All | TaskList::Status(_), None) => TaskList::All,
            (TaskList::All | TaskList::Status(_), Some(s)) => TaskList::Status(s),
            (TaskList::Agency(i, _), s) => TaskList::Agency(i, s),
            (TaskList::Group(i, _), s) => TaskList::Group(i, s),
        }
    }

    /// The list's tasks in table order: the overdue ones most days late
    /// first, any other list in deadline order. Made once per list and
    /// shared by its pages (a national deadline table has 200).
    pub(crate) fn tasks(self, r: &Renderer) -> Arc<ListTasks> {
        let cached = r
            .lists
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&self)
            .cloned();
        if let Some(tasks) = cached {
            return tasks;
        }
        let tasks = self.sorted_tasks(r);
        let mut leads: Vec<String> = tasks
            .iter()
            .filter_map(|&i| r.fig.tasks[i].lead_on.clone())
            .collect();
        leads.sort_unstable();
        leads.dedup();
        let tasks = Arc::new(ListTasks { tasks, leads });
        r.lists
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(self, Arc::clone(&tasks));
        tasks
    }

    fn sorted_tasks(self, r: &Renderer) -> Vec<usize> {
        let (m, fig) = (r.model, r.fig);
        let only = self.status();
        if only == Some(Status::Overdue) {
            return self
                .rollup(m, fig)
                .map(|x| x.overdue.clone())
                .unwrap_or_default();
        }
        let keep = |i: &usize| only.is_none_or(|s| fig.tasks[*i].status == s);
        let members: &[usize] = match self {
            TaskList::All | TaskList::Status(_) => {
                return r.deadline_order.iter().copied().filter(keep).collect();
            }
            TaskList::Agency(i, _) => fig
                .agencies
                .get(&m.agencies[i].id)
                .map_or(&[][..], |f| f.leads.as_slice()),
            TaskList::Group(i, _) => fig
                .group_leads
                .get(&m.groups[i].id)
                .map_or(&[][..], Vec::as_slice),
        };
        // An agency's or group's tasks, put in the deadline table's order.
        let mut tasks: Vec<usize> = members.iter().copied().filter(keep).collect();
        tasks.sort_unstable_by_key(|&i| r.deadline_rank.get(i).copied().unwrap_or(usize::MAX));
        tasks
    }

    /// How many tasks the list holds (what its scorecard count says).
    fn len(self, m: &Model, fig: &Figures) -> usize {
        let Some(rollup) = self.rollup(m, fig) else {
            return 0;
        };
        match self.status() {
            Some(s) => rollup.count(s),
            None => rollup.total,
        }
    }
}

/// A task list's tasks, made once and shared by its pages.
pub(crate) struct ListTasks {
    /// In table order.
    pub tasks: Vec<usize>,
    /// Their lead agencies on D, sorted, each once (the list's filter).
    pub leads: Vec<String>,
}

/// A list's page `n` (0, the first, is the list's own address).
fn paged(list: Route<'_>, n: usize) -> Route<'_> {
    if n == 0 {
        list
    } else {
        Route::Paged(Box::new(list), n)
    }
}

/// One page to render, in one language.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Job {
    Home,
    /// A task list's page (0 is the first).
    Tasks(TaskList, usize),
    /// The data of a list split into pages: every row, for the script to
    /// sort and filter across pages.
    TaskRows(TaskList),
    Task(usize),
    /// An old address of a task (task, index into its `formerly`).
    Moved(usize, usize),
    /// A page of the agencies' scorecards (0 is the first).
    Agencies(usize),
    Agency(usize),
    Group(usize),
    /// A page of the KPI list (0 is the first).
    Kpis(usize),
    Kpi(usize),
    Reports,
    /// A page of a month's bulletin (0 is the first; the reports received
    /// split past [`ROWS_PER_PAGE`] updates).
    Report(crate::date::Period, usize),
    Archive,
    /// An archived month, by its index in `Figures::archive`.
    ArchiveMonth(usize),
    /// A page of the deadline calendar.
    Deadlines(usize),
    Data,
    Search,
    News(usize),
    Article(usize),
    /// A page of the articles and tasks with a tag.
    Tag(String, usize),
    Page(usize),
    NotFound,
}

impl Job {
    /// The page's route.
    fn route<'m>(
        &self,
        m: &'m Model,
        archive: &[crate::date::Period],
        tags: &'m BTreeMap<String, String>,
    ) -> Route<'m> {
        match self {
            Job::Home => Route::Home,
            Job::NotFound => Route::NotFound,
            Job::Tasks(list, n) => paged(list.route(m), *n),
            Job::TaskRows(list) => Route::ListRows(Box::new(list.route(m))),
            Job::Task(i) => Route::Task(&m.tasks[*i].id),
            Job::Moved(i, k) => {
                Route::Task(m.tasks[*i].formerly.get(*k).map_or("", |f| f.0.as_str()))
            }
            Job::Agencies(n) => paged(Route::Agencies, *n),
            Job::Agency(i) => Route::Agency(&m.agencies[*i].id),
            Job::Group(i) => Route::Group(&m.groups[*i].id),
            Job::Kpis(n) => paged(Route::Kpis, *n),
            Job::Kpi(i) => Route::Kpi(&m.kpis[*i].id),
            Job::Reports => Route::Reports,
            Job::Report(p, n) => paged(Route::Report(*p), *n),
            Job::Archive => Route::Archive,
            Job::ArchiveMonth(k) => archive
                .get(*k)
                .map_or(Route::Archive, |p| Route::ArchiveMonth(*p)),
            Job::Deadlines(n) => paged(Route::Deadlines, *n),
            Job::Data => Route::Data,
            Job::Search => Route::Search,
            Job::News(n) => Route::News(*n),
            Job::Article(i) => Route::Article(&m.articles[*i].slug),
            Job::Tag(tag, n) => paged(Route::Tag(tags.get(tag).map_or("", String::as_str)), *n),
            Job::Page(i) => Route::Page(&m.pages[*i].slug),
        }
    }

    /// The page's path relative to its language root ("" for the home
    /// page and the 404 page, which has no folder of its own).
    fn dir(
        &self,
        m: &Model,
        archive: &[crate::date::Period],
        tags: &BTreeMap<String, String>,
    ) -> String {
        match self {
            Job::NotFound => String::new(),
            _ => self.route(m, archive, tags).path(),
        }
    }

    fn file(
        &self,
        m: &Model,
        archive: &[crate::date::Period],
        tags: &BTreeMap<String, String>,
    ) -> String {
        self.route(m, archive, tags).file()
    }
}

/// What the page builders share.
pub(crate) struct Renderer<'a> {
    pub model: &'a Model,
    pub fig: &'a Figures<'a>,
    /// One template engine per language, its UI strings in the global
    /// context as `t` (serialised once, not once per page).
    pub tera: HashMap<Lang, tera::Tera>,
    /// The main menu's standing pages, per language.
    pub menus: HashMap<Lang, Vec<views::LangLink>>,
    /// Articles naming each task or KPI id (indices into `Model::articles`).
    pub articles_about: HashMap<String, Vec<usize>>,
    /// Tasks carrying each tag, by the tag's slug.
    pub tagged_tasks: HashMap<String, Vec<usize>>,
    /// Each language's articles carrying each tag, by the tag, in the
    /// language's article order.
    pub tagged_articles: HashMap<Lang, HashMap<String, Vec<usize>>>,
    /// By agency id: the tasks it was given that passed to a successor,
    /// and the KPIs it owns as of the figures' date (in content order).
    pub handed_over: HashMap<&'a str, Vec<usize>>,
    pub kpis_owned: HashMap<&'a str, Vec<usize>>,
    /// The site root path, slashes at both ends.
    pub base: String,
    /// The absolute site URL without a trailing slash, for canonical links.
    pub origin: String,
    pub langs: Vec<Lang>,
    pub strings: HashMap<Lang, Strings>,
    /// Tag text -> URL slug.
    pub tags: BTreeMap<String, String>,
    /// Per language: index of the article shown for each Vietnamese
    /// article slug (the English version where there is one).
    pub articles: HashMap<Lang, Vec<usize>>,
    /// Per language: each article slug's place in `articles`, so a task
    /// page finds its articles without scanning them all.
    pub article_pos: HashMap<Lang, HashMap<&'a str, usize>>,
    /// Per language: standing pages, likewise.
    pub pages: HashMap<Lang, Vec<usize>>,
    /// Every chart, by language and path (relative to the language root).
    pub charts: BTreeMap<(Lang, String), chart_set::ChartFiles>,
    /// Every task in deadline-table order, sorted once: the whole table
    /// and the status views keep this order by filtering it.
    pub deadline_order: Vec<usize>,
    /// Each task's place in `deadline_order`: an agency's or group's list
    /// sorts its own tasks by it.
    pub deadline_rank: Vec<usize>,
    /// Where files go as they are made (`build`, `check`); `None` keeps
    /// them in the rendered site (`serve`).
    pub sink: Option<PageSink<'a>>,
    /// The monthly archive, its figures computed a month at a time.
    pub archive: Option<&'a crate::status::Archive<'a>>,
    /// Each task list's tasks in table order, once made ([`TaskList::tasks`]).
    pub lists: std::sync::Mutex<BTreeMap<TaskList, Arc<ListTasks>>>,
}

impl<'a> Renderer<'a> {
    /// Adds a file to the site: to the sink when there is one (the site
    /// then keeps only its path), else in memory.
    pub(crate) fn put(&self, site: &mut RenderedSite, path: String, bytes: Vec<u8>) {
        match self.sink {
            Some(sink) => {
                sink(&path, &bytes);
                site.written.insert(path);
            }
            None => {
                site.files.insert(path, bytes);
            }
        }
    }

    /// The archived months, oldest first.
    pub(crate) fn archive_months(&self) -> &[crate::date::Period] {
        self.archive.map_or(&[], |a| a.months.as_slice())
    }

    pub(crate) fn strings(&self, lang: Lang) -> &Strings {
        self.strings
            .get(&lang)
            .or_else(|| self.strings.get(&Lang::Vi))
            .unwrap_or(&EMPTY_STRINGS)
    }

    pub fn views(&'a self, lang: Lang) -> views::Views<'a> {
        views::Views {
            model: self.model,
            fig: self.fig,
            lang,
            t: self.strings(lang),
            home: format!("{}{}", self.base, lang.prefix()),
        }
    }

    /// A chart as pages show and embed it; `None` if there is none at `path`.
    pub fn chart(&self, lang: Lang, route: &Route) -> Option<views::ChartView> {
        let path = route.path();
        let files = self.charts.get(&(lang, path.clone()))?;
        let chart = &files.chart;
        let url = format!("{}{}{path}", self.base, lang.prefix());
        let data_url = format!("{}{}{}", self.base, lang.prefix(), files.data_path);
        let full_url = format!("{}{url}", self.origin);
        let (width, height) = (chart.width, chart.height);
        let (narrow_width, narrow_height) = chart.narrow;
        let credit = self.chart_credit(lang);
        let embed = format!(
            "<figure><img src=\"{full_url}\" alt=\"{}\" width=\"{width}\" height=\"{height}\" style=\"max-width:100%;height:auto\"><figcaption>{} ({credit})</figcaption></figure>",
            escape::escape(&chart.desc),
            escape::escape(&chart.title)
        );
        Some(views::ChartView {
            url,
            data_url,
            title_html: {
                let title = escape::escape(&chart.title);
                match &files.title_part {
                    Some((name, name_lang)) => {
                        let name = escape::escape(name);
                        title.replacen(
                            &name,
                            &format!("<span lang=\"{name_lang}\">{name}</span>"),
                            1,
                        )
                    }
                    None => title,
                }
            },
            title: chart.title.clone(),
            desc: chart.desc.clone(),
            width,
            height,
            narrow_width,
            narrow_height,
            embed,
        })
    }

    /// "Source: the portal, as of D", drawn under every chart.
    pub(crate) fn chart_credit(&self, lang: Lang) -> String {
        let site = self.model.site();
        self.strings(lang)
            .get("chart_credit")
            .replace("{site}", lang.pick(&site.title, site.title_en.as_deref()))
            .replace("{date}", &crate::date::fmt_date(self.fig.as_of))
    }

    pub fn render_template(
        &self,
        lang: Lang,
        template: &str,
        ctx: &impl Serialize,
        diags: &mut Diagnostics,
    ) -> Option<Vec<u8>> {
        let ctx = match tera::Context::from_serialize(ctx) {
            Ok(c) => c,
            Err(e) => {
                diags.error(
                    Loc::file(&Arc::from(template)),
                    crate::msg!("render.page_data", error = e),
                );
                return None;
            }
        };
        let tera = self.tera.get(&lang)?;
        // Into bytes rather than a String: Tera writes UTF-8 from UTF-8,
        // and checking each page again was 3% of a national build.
        let mut page = Vec::with_capacity(PAGE_CAPACITY);
        match tera.render_to(template, &ctx, &mut page) {
            Ok(()) => Some(page),
            Err(e) => {
                diags.error(
                    Loc::file(&Arc::from(format!("templates/{template}").as_str())),
                    crate::msg!("render.template", error = template_error(&e)),
                );
                None
            }
        }
    }

    /// The context every page shares.
    pub fn common(
        &'a self,
        lang: Lang,
        job: &Job,
        section: &'a str,
        title: String,
        description: String,
    ) -> views::Common<'a> {
        let dir = job.dir(self.model, self.archive_months(), &self.tags);
        let alternates = self
            .langs
            .iter()
            .filter(|&&l| l != lang)
            .map(|&l| views::Alternate {
                code: l.code(),
                label: self.strings(l).get("language_name").to_string(),
                url: format!("{}{}{}", self.base, l.prefix(), dir),
                full_url: format!("{}{}{}{}", self.origin, self.base, l.prefix(), dir),
            })
            .collect();
        views::Common {
            as_of: crate::date::fmt_date(self.fig.as_of),
            as_of_iso: self.fig.as_of.to_string(),
            section,
            alternates,
            canonical: format!("{}{}{}{}", self.origin, self.base, lang.prefix(), dir),
            page_title: title,
            page_description: description,
        }
    }

    /// What every page of `lang` shares ([`views::Shared`]).
    fn shared(&self, lang: Lang) -> views::Shared<'_> {
        let site = self.model.site();
        let v = self.views(lang);
        views::Shared {
            site: views::SiteView {
                title: lang.pick(&site.title, site.title_en.as_deref()),
                description: lang.pick(
                    site.description.as_deref().unwrap_or(""),
                    site.description_en.as_deref(),
                ),
                title_lang: lang.pick_lang(&site.title, site.title_en.as_deref()).1,
                description_lang: lang
                    .pick_lang(
                        site.description.as_deref().unwrap_or(""),
                        site.description_en.as_deref(),
                    )
                    .1,
                owner: site.owner.as_deref().unwrap_or(""),
                contact: site.contact.as_deref().unwrap_or(""),
                sample_data: site.sample_data,
                data_license: site.data_license.as_deref().unwrap_or(""),
            },
            lang: lang.code(),
            base: &self.base,
            home: v.home.clone(),
            menu: self.menus.get(&lang).map_or(&[], Vec::as_slice),
            method_url: if self.model.pages.iter().any(|p| p.slug == METHOD_PAGE) {
                v.route(&Route::Page(METHOD_PAGE))
            } else {
                String::new()
            },
            nav: views::Nav::new(&v.home, &self.base),
            vi_lang: lang.lang_of(None),
        }
    }
}

static EMPTY_STRINGS: std::sync::LazyLock<Strings> = std::sync::LazyLock::new(Strings::default);

/// A template error with its cause chain, on one line.
fn template_error(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg.replace('\n', " ")
}

/// Every page, for every language, in a stable order.
fn jobs(m: &Model, fig: &Figures, r: &Renderer) -> Vec<(Lang, Job)> {
    let mut out = Vec::new();
    for &lang in &r.langs {
        let mut add = |j: Job| out.push((lang, j));
        add(Job::Home);
        add(Job::NotFound);
        let mut lists = vec![TaskList::All];
        lists.extend(Status::ALL.map(TaskList::Status));
        for i in 0..m.agencies.len() {
            lists.push(TaskList::Agency(i, None));
            lists.extend(Status::ALL.map(|s| TaskList::Agency(i, Some(s))));
        }
        for i in 0..m.groups.len() {
            lists.push(TaskList::Group(i, None));
            lists.extend(Status::ALL.map(|s| TaskList::Group(i, Some(s))));
        }
        for list in lists {
            let pages = page_count(list.len(m, fig));
            (0..pages).for_each(|n| add(Job::Tasks(list, n)));
            if pages > 1 {
                add(Job::TaskRows(list));
            }
        }
        (0..m.tasks.len()).for_each(|i| add(Job::Task(i)));
        for (i, t) in m.tasks.iter().enumerate() {
            (0..t.formerly.len()).for_each(|k| add(Job::Moved(i, k)));
        }
        (0..pages::agency_pages(r)).for_each(|n| add(Job::Agencies(n)));
        (0..m.agencies.len()).for_each(|i| add(Job::Agency(i)));
        (0..m.groups.len()).for_each(|i| add(Job::Group(i)));
        (0..page_count(m.kpis.len())).for_each(|n| add(Job::Kpis(n)));
        (0..m.kpis.len()).for_each(|i| add(Job::Kpi(i)));
        add(Job::Reports);
        for p in &fig.report_months {
            (0..pages::report_pages(r, *p)).for_each(|n| add(Job::Report(*p, n)));
        }
        add(Job::Archive);
        (0..r.archive_months().len()).for_each(|k| add(Job::ArchiveMonth(k)));
        (0..page_count(m.tasks.len())).for_each(|n| add(Job::Deadlines(n)));
        add(Job::Data);
        add(Job::Search);
        let articles = r.articles.get(&lang).map_or(0, Vec::len);
        for n in 0..articles.div_ceil(ARTICLES_PER_PAGE).max(1) {
            add(Job::News(n));
        }
        for &i in r.articles.get(&lang).into_iter().flatten() {
            add(Job::Article(i));
        }
        for (tag, slug) in &r.tags {
            let rows = pages::tag_rows(r, lang, tag, slug);
            (0..page_count(rows)).for_each(|n| add(Job::Tag(tag.clone(), n)));
        }
        for &i in r.pages.get(&lang).into_iter().flatten() {
            add(Job::Page(i));
        }
    }
    out
}

/// For each language, which version of each article (or page) to show:
/// the language's own where it exists, else the Vietnamese one.
fn versions<T>(
    items: &[T],
    slug: impl Fn(&T) -> &str,
    lang_of: impl Fn(&T) -> Option<&str>,
    langs: &[Lang],
) -> HashMap<Lang, Vec<usize>> {
    // Each slug's versions by language code ("" for Vietnamese), first wins.
    let mut by_slug: HashMap<&str, HashMap<&str, usize>> = HashMap::new();
    let mut order: Vec<&str> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let s = slug(item);
        let versions = by_slug.entry(s).or_insert_with(|| {
            order.push(s);
            HashMap::new()
        });
        versions.entry(lang_of(item).unwrap_or("")).or_insert(i);
    }
    langs
        .iter()
        .map(|&lang| {
            let own = if lang == Lang::Vi { "" } else { lang.code() };
            let chosen = order
                .iter()
                .filter_map(|s| {
                    let v = &by_slug[s];
                    v.get(own)
                        .or_else(|| v.get(""))
                        .or_else(|| v.values().min())
                        .copied()
                })
                .collect();
            (lang, chosen)
        })
        .collect()
}

/// Renders every page of the site.
/// Renders every page of the site: the pages of every [`Job`], the
/// charts, the machine files and the theme's assets; then checks the links
/// and the static files against what was made.
pub fn render<'a>(
    model: &'a Model,
    figures: &'a Figures<'a>,
    archive: &'a crate::status::Archive<'a>,
    options: &RenderOptions,
    sink: Option<PageSink<'a>>,
    diags: &mut Diagnostics,
) -> RenderedSite {
    let Some(mut r) = renderer(model, figures, options, diags) else {
        return RenderedSite::default();
    };
    r.sink = sink;
    r.archive = Some(archive);
    // The open data, charts, feeds, calendars and search index are made
    // beside the pages rather than before or after them: one thread
    // deflates the data download while the other renders pages, and
    // neither waits for the other (README, Benchmark). The open-data page
    // comes with its tables, which know their row counts once written.
    let list = jobs(model, figures, &r);
    let sources = page_sources(&r, &list);
    let (mut rendered, machine) = rayon::join(
        || {
            // In runs of at most 16 pages: left to split itself, rayon gave
            // the last thousand pages to one thread while the other idled
            // for a second (pages differ a hundredfold in cost).
            list.par_iter()
                .with_max_len(16)
                .filter(|(_, job)| !matches!(job, Job::ArchiveMonth(_) | Job::Data))
                .map(|(lang, job)| {
                    let mut d = Diagnostics::new();
                    let page = pages::render_job(&r, *lang, job, &mut d);
                    let path = format!(
                        "{}{}",
                        lang.prefix(),
                        job.file(model, r.archive_months(), &r.tags)
                    );
                    made(&r, path, page, d)
                })
                .collect::<Vec<Made>>()
        },
        || machine_side(&r),
    );
    let (mut site, data_pages, machine_diags) = machine;
    rendered.extend(data_pages);
    diags.extend(machine_diags);
    let started = std::time::Instant::now();
    rendered.extend(archive_files(&r));
    let archive_time = started.elapsed();
    site.archive_time = archive_time;
    let mut refs = BTreeMap::new();
    for (path, page, page_refs, d) in rendered {
        diags.extend(d);
        if let Some(bytes) = page {
            site.files.insert(path, bytes);
        } else if let Some(page_refs) = page_refs {
            site.written.insert(path.clone());
            if path.ends_with(".html") {
                refs.insert(path, page_refs);
            }
        }
    }
    for (name, bytes) in &model.theme.assets {
        site.files.insert(Route::Asset(name).file(), bytes.clone());
    }
    machine::sitemap(&r, &mut site);
    machine::path_list(&mut site, &model.static_files);
    checks::links_and_clashes(model, &r, &site, refs, &sources, diags);
    site
}

/// What render makes beside the pages: the open data and its page in each
/// language, the charts' files, and the machine files (feeds, calendars,
/// search index).
fn machine_side(r: &Renderer) -> (RenderedSite, Vec<Made>, Diagnostics) {
    let mut site = RenderedSite::default();
    let mut diags = Diagnostics::new();
    let tables = machine::open_data(r, &mut site, &mut diags);
    let data_pages = r
        .langs
        .iter()
        .map(|&lang| {
            let mut d = Diagnostics::new();
            let page = pages::open_data(r, lang, &Job::Data, &tables, &mut d);
            let path = format!("{}{}", lang.prefix(), Route::Data.file());
            made(r, path, page, d)
        })
        .collect();
    for ((lang, path), files) in &r.charts {
        r.put(
            &mut site,
            format!("{}{path}", lang.prefix()),
            files.chart.svg.clone().into_bytes(),
        );
        r.put(
            &mut site,
            format!("{}{}", lang.prefix(), files.data_path),
            files.data.clone(),
        );
    }
    machine::machine_files(r, &mut site, &mut diags);
    (site, data_pages, diags)
}

/// A file made by render: its path, its bytes when the site keeps them,
/// its links and ids once it went to the sink (HTML pages), and what its
/// making reported.
type Made = (
    String,
    Option<Vec<u8>>,
    Option<links::PageRefs>,
    Diagnostics,
);

/// Sends a file to the sink when there is one, keeping only its links and
/// ids for the link check; else keeps it.
fn made(r: &Renderer, path: String, file: Option<Vec<u8>>, d: Diagnostics) -> Made {
    match (file, r.sink) {
        (Some(bytes), Some(put)) => {
            let refs = path.ends_with(".html").then(|| links::refs(&bytes));
            put(&path, &bytes);
            (
                path,
                None,
                refs.or_else(|| Some(links::PageRefs::default())),
                d,
            )
        }
        (file, _) => (path, file, None, d),
    }
}

/// Sites with more tasks than this publish each archived month's task
/// table as one zipped CSV (`nhiem-vu.zip`) instead of CSV and JSON, so
/// that the archive of a national portal stays tens of megabytes rather
/// than hundreds (README, design notes). A province stays below it.
pub const ARCHIVE_ZIP_FROM_TASKS: usize = 1000;

/// The data files of an archived month, by name: `nhiem-vu.csv` and
/// `nhiem-vu.json`, or `nhiem-vu.zip` past [`ARCHIVE_ZIP_FROM_TASKS`].
pub fn archive_data_files(model: &Model) -> &'static [&'static str] {
    if model.tasks.len() > ARCHIVE_ZIP_FROM_TASKS {
        &["nhiem-vu.zip"]
    } else {
        &["nhiem-vu.csv", "nhiem-vu.json"]
    }
}

/// The monthly archive, a month at a time (two at once on two cores):
/// its figures, its page in each language and its data files, sent on as
/// they are made; the figures are then dropped.
fn archive_files(r: &Renderer) -> Vec<Made> {
    let Some(archive) = r.archive else {
        return Vec::new();
    };
    let site_url = format!("{}{}", r.origin, r.base);
    let license = r.model.site().data_license.as_deref().unwrap_or("");
    archive
        .months
        .par_iter()
        .enumerate()
        .flat_map_iter(|(k, &p)| {
            let job = Job::ArchiveMonth(k);
            let Some(fig) = archive.month(p) else {
                return Vec::new();
            };
            let mut out: Vec<Made> = r
                .langs
                .iter()
                .map(|&lang| {
                    let mut d = Diagnostics::new();
                    let page = pages::archive_month(r, lang, &job, p, &fig, &mut d);
                    let path = format!(
                        "{}{}",
                        lang.prefix(),
                        job.file(r.model, r.archive_months(), &r.tags)
                    );
                    made(r, path, page, d)
                })
                .collect();
            let table = data::task_table(r.model, &fig, &site_url);
            let csv = data::csv(&table);
            let mut d = Diagnostics::new();
            let files: Vec<(&str, Option<Vec<u8>>)> = match archive_data_files(r.model) {
                [zip] => {
                    let bundle = [("nhiem-vu.csv".to_string(), csv)];
                    let bytes = match data::zip(&bundle, fig.as_of) {
                        Ok(bytes) => Some(bytes),
                        Err(error) => {
                            d.error(
                                Loc::file(&Arc::from("templates")),
                                crate::msg!("render.zip", error),
                            );
                            None
                        }
                    };
                    vec![(*zip, bytes)]
                }
                names => names
                    .iter()
                    .map(|&name| {
                        let bytes = if name.ends_with(".csv") {
                            csv.clone()
                        } else {
                            data::json(&table, &fig.as_of.to_string(), license)
                        };
                        (name, Some(bytes))
                    })
                    .collect(),
            };
            for (name, bytes) in files {
                let path = Route::ArchiveData(p, name).file();
                out.push(made(r, path, bytes, std::mem::take(&mut d)));
            }
            out
        })
        .collect()
}

/// The theme's templates, one engine per language with its UI strings.
fn engines(
    model: &Model,
    langs: &[Lang],
    diags: &mut Diagnostics,
) -> Option<(HashMap<Lang, Strings>, HashMap<Lang, tera::Tera>)> {
    let mut tera = tera::Tera::new();
    let templates: Vec<(&str, &str)> = model
        .theme
        .templates
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    if let Err(e) = tera.add_raw_templates(templates) {
        diags.error(
            Loc::file(&Arc::from("templates")),
            crate::msg!("render.template", error = template_error(&e)),
        );
        return None;
    }
    let empty = BTreeMap::new();
    let vi = model.theme.i18n.get("vi").unwrap_or(&empty);
    let strings: HashMap<Lang, Strings> = langs
        .iter()
        .map(|&l| {
            let site = model.site();
            let t = Strings::new(vi, model.theme.i18n.get(l.code()));
            (l, t.with_settings(site.due_soon_days, site.report_day))
        })
        .collect();
    let engines: HashMap<Lang, tera::Tera> = strings
        .iter()
        .map(|(&l, t)| {
            let mut engine = tera.clone();
            engine.global_context().insert("t", t);
            (l, engine)
        })
        .collect();
    Some((strings, engines))
}

/// What every page builder shares: engines, URLs, languages, lookups,
/// charts and open-data tables. `None` (with an error) when the templates
/// or the base URL are unusable.
fn renderer<'a>(
    model: &'a Model,
    figures: &'a Figures<'a>,
    options: &RenderOptions,
    diags: &mut Diagnostics,
) -> Option<Renderer<'a>> {
    let site_url = match &options.base_url {
        Some(u) => u.clone(),
        None => match BaseUrl::parse_site(&model.site().base_url) {
            Ok(u) => u,
            Err(e) => {
                diags.error(
                    Loc::file(&Arc::from("content/site.yaml")),
                    crate::msg!(
                        "site.base_url_invalid",
                        url = &model.site().base_url,
                        error = e
                    ),
                );
                return None;
            }
        },
    };
    let langs: Vec<Lang> = model
        .site()
        .languages
        .iter()
        .filter_map(|l| Lang::parse(l))
        .collect();
    let langs = if langs.is_empty() {
        vec![Lang::Vi]
    } else {
        langs
    };
    let (strings, engines) = engines(model, &langs, diags)?;
    let mut articles_about: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, a) in model.articles.iter().enumerate() {
        for id in a.tasks.iter().chain(&a.kpis) {
            articles_about.entry(id.clone()).or_default().push(i);
        }
    }
    let mut tags = BTreeMap::new();
    for a in &model.articles {
        for t in &a.tags {
            let slug = crate::text::slugify(t);
            if !slug.is_empty() {
                tags.insert(t.clone(), slug);
            }
        }
    }
    let mut tagged_tasks: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, t) in model.tasks.iter().enumerate() {
        for tag in &t.tags {
            tagged_tasks
                .entry(crate::text::slugify(tag))
                .or_default()
                .push(i);
        }
    }
    let articles = versions(
        &model.articles,
        |a| a.slug.as_str(),
        |a| a.lang.as_deref(),
        &langs,
    );
    let pages = versions(
        &model.pages,
        |p| p.slug.as_str(),
        |p| p.lang.as_deref(),
        &langs,
    );
    let tagged_articles = articles
        .iter()
        .map(|(&lang, list)| {
            let mut by_tag: HashMap<String, Vec<usize>> = HashMap::new();
            for &i in list {
                for (n, tag) in model.articles[i].tags.iter().enumerate() {
                    // An article that repeats a tag is listed once.
                    if !model.articles[i].tags[..n].contains(tag) {
                        by_tag.entry(tag.clone()).or_default().push(i);
                    }
                }
            }
            (lang, by_tag)
        })
        .collect();
    let mut handed_over: HashMap<&str, Vec<usize>> = HashMap::new();
    for (t, (task, status)) in model.tasks.iter().zip(&figures.tasks).enumerate() {
        if let Some(lead) = task.lead.as_deref()
            && status.lead_on.as_deref() != Some(lead)
        {
            handed_over.entry(lead).or_default().push(t);
        }
    }
    let mut kpis_owned: HashMap<&str, Vec<usize>> = HashMap::new();
    for (k, kpi) in figures.kpis.iter().enumerate() {
        if let Some(owner) = kpi.owner_on.as_deref() {
            kpis_owned.entry(owner).or_default().push(k);
        }
    }
    let article_pos = articles
        .iter()
        .map(|(&lang, list)| {
            let pos = list
                .iter()
                .enumerate()
                .map(|(p, &i)| (model.articles[i].slug.as_str(), p))
                .collect();
            (lang, pos)
        })
        .collect();
    let base = site_url.path.clone();
    let menus = menus(model, &pages, &langs, &base);
    let mut r = Renderer {
        model,
        fig: figures,
        tera: engines,
        menus,
        articles_about,
        tagged_tasks,
        tagged_articles,
        handed_over,
        kpis_owned,
        base,
        origin: site_url.origin.clone(),
        langs,
        strings,
        tags,
        articles,
        article_pos,
        pages,
        charts: BTreeMap::new(),
        deadline_order: Vec::new(),
        deadline_rank: Vec::new(),
        sink: None,
        archive: None,
        lists: Default::default(),
    };
    r.deadline_order = r
        .views(Lang::Vi)
        .by_deadline((0..model.tasks.len()).collect());
    r.deadline_rank = vec![0; model.tasks.len()];
    for (rank, &i) in r.deadline_order.iter().enumerate() {
        r.deadline_rank[i] = rank;
    }
    // The frame every page of a language shares, once per language.
    let mut engines = std::mem::take(&mut r.tera);
    for (&l, engine) in engines.iter_mut() {
        let shared = r.shared(l);
        let globals = engine.global_context();
        globals.insert("site", &shared.site);
        globals.insert("lang", &shared.lang);
        globals.insert("base", &shared.base);
        globals.insert("home", &shared.home);
        globals.insert("menu", &shared.menu);
        globals.insert("method_url", &shared.method_url);
        globals.insert("nav", &shared.nav);
        globals.insert("vi_lang", &shared.vi_lang);
    }
    r.tera = engines;
    r.charts = chart_set::all_charts(&r);
    Some(r)
}

/// The main menu's standing pages, per language, by `menu` then slug.
fn menus(
    model: &Model,
    pages: &HashMap<Lang, Vec<usize>>,
    langs: &[Lang],
    base: &str,
) -> HashMap<Lang, Vec<views::LangLink>> {
    langs
        .iter()
        .map(|&l| {
            let mut menu: Vec<&crate::model::Page> = pages
                .get(&l)
                .into_iter()
                .flatten()
                .map(|&i| &model.pages[i])
                .filter(|p| p.menu.is_some())
                .collect();
            menu.sort_by(|a, b| (a.menu, &a.slug).cmp(&(b.menu, &b.slug)));
            let links = menu
                .into_iter()
                .map(|p| views::LangLink {
                    label: p.title.clone(),
                    lang: l.lang_of(p.lang.as_deref()),
                    url: format!("{base}{}{}", l.prefix(), Route::Page(&p.slug).path()),
                })
                .collect();
            (l, links)
        })
        .collect()
}

/// A standing page's Markdown with the settings it may quote
/// (`{due_soon_days}`, `{report_day}`) written in: what it shows and what
/// the search indexes.
pub(crate) fn page_text(model: &Model, p: &crate::model::Page) -> String {
    let site = model.site();
    p.body
        .replace("{due_soon_days}", &site.due_soon_days.to_string())
        .replace("{report_day}", &site.report_day.to_string())
}

/// Which content file each page comes from, to name it in link errors.
fn page_sources(r: &Renderer, list: &[(Lang, Job)]) -> HashMap<String, Arc<str>> {
    let model = r.model;
    list.iter()
        .map(|(lang, job)| {
            let source: Arc<str> = match job {
                Job::Task(i) | Job::Moved(i, _) => {
                    Arc::clone(&model.plans[model.tasks[*i].plan].file)
                }
                Job::Article(i) => Arc::clone(&model.articles[*i].file),
                Job::Page(i) => Arc::clone(&model.pages[*i].file),
                Job::Agency(_) | Job::Group(_) | Job::Agencies(_) => {
                    Arc::from("content/agencies.yaml")
                }
                Job::Kpi(_) | Job::Kpis(_) => Arc::from("content/kpis.yaml"),
                _ => Arc::from("templates"),
            };
            (
                format!(
                    "{}{}",
                    lang.prefix(),
                    job.file(model, r.archive_months(), &r.tags)
                ),
                source,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_has_a_view_of_its_own() {
        let slugs: std::collections::BTreeSet<&str> = Status::ALL
            .iter()
            .filter_map(|s| crate::route::status_view_slug(s.code()))
            .collect();
        assert_eq!(slugs.len(), Status::ALL.len());
        assert_eq!(crate::route::STATUS_VIEWS.len(), Status::ALL.len());
    }
}
