//! The route table: every address of the portal, in one place.
//!
//! Input: a typed [`Route`] (a task, an agency, a report month, a feed...).
//! Output: its path relative to a language root (`nhiem-vu/ioc-soc/`), the
//! file that holds it (`nhiem-vu/ioc-soc/index.html`), and back again with
//! [`Route::parse`]. Paths are the same in every language; a language adds
//! its prefix (`en/`) in front, and the site's base path in front of that.
//!
//! Nothing else in `src/` writes a path of a portal page: `render` asks
//! this module for every URL it writes, `model` takes its reserved slugs
//! from [`RESERVED_SLUGS`] and [`STATUS_VIEWS`], and the link check reads
//! paths back with [`Route::parse`]. This module imports neither `model`
//! nor `status`: status views are named by the status's data code, which
//! `status` owns (`Status::code`), and a test in `render` checks that every
//! status has a view here.
//!
//! Over 600 lines: every address of the portal is here and nowhere else
//! (that is its purpose), with a round-trip test of each.

use crate::date::Period;

/// Sections of the portal: the first segment of every generated path.
mod section {
    pub const TASKS: &str = "nhiem-vu";
    pub const AGENCIES: &str = "co-quan";
    pub const GROUPS: &str = "to-cong-tac";
    pub const KPIS: &str = "chi-tieu";
    pub const REPORTS: &str = "bao-cao";
    pub const DEADLINES: &str = "han-chot";
    pub const NEWS: &str = "tin-tuc";
    pub const TAGS: &str = "chu-de";
    pub const DATA: &str = "du-lieu";
    pub const SEARCH: &str = "tim-kiem";
    pub const CHARTS: &str = "bieu-do";
    pub const ASSETS: &str = "assets";
    /// The plans and each plan's page.
    pub const PLANS: &str = "ke-hoach";
    /// The monthly archive (and its data under `du-lieu/luu-tru/`).
    pub const ARCHIVE: &str = "luu-tru";
    /// The accessibility statement.
    pub const ACCESSIBILITY: &str = "kha-nang-tiep-can";
    /// The register of difficulties and proposals, and each one's page.
    pub const PROPOSALS: &str = "kien-nghi";
    /// The English language root.
    pub const EN: &str = "en";
    /// The folder of a list's further pages (`tin-tuc/trang/2/`).
    pub const PAGED: &str = "trang";
    /// The rows of a split list, as data.
    pub const ROWS: &str = "dong.json";
}

/// The slug of an agency's or group's task view: `nhiem-vu` for all its
/// tasks, the status view's slug for one status.
fn scoped_view_slug(status: Option<&str>) -> &str {
    match status {
        None => section::TASKS,
        Some(code) => status_view_slug(code).unwrap_or(code),
    }
}

/// The status data code of a scoped view slug, `None` inside for "all".
fn scoped_view_status(slug: &str) -> Option<Option<&'static str>> {
    if slug == section::TASKS {
        return Some(None);
    }
    STATUS_VIEWS
        .iter()
        .find(|(_, s)| *s == slug)
        .map(|(c, _)| Some(*c))
}

/// Top-level paths the portal generates (or keeps for itself); a standing
/// page may not take them.
pub const RESERVED_SLUGS: &[&str] = &[
    section::TASKS,
    section::AGENCIES,
    section::GROUPS,
    section::KPIS,
    section::REPORTS,
    section::DEADLINES,
    section::NEWS,
    section::TAGS,
    section::DATA,
    section::SEARCH,
    section::EN,
    section::ASSETS,
    section::PLANS,
    section::ARCHIVE,
    section::ACCESSIBILITY,
    section::PROPOSALS,
];

/// A page's share image, beside it (`nhiem-vu/<id>/chia-se.png`).
const SHARE_IMAGE: &str = "chia-se.png";

/// The data file listing every published path, one a line, sorted.
const PATH_LIST: &str = "duong-dan.txt";

/// The open data's DCAT-AP catalogue, for harvesters.
const DCAT: &str = "dcat.jsonld";

/// The data file that holds every open-data table in one download.
const DATA_ZIP: &str = "tiendo-du-lieu.zip";

/// Anchors on pages that other pages link to (`page/#anchor`).
pub mod anchor {
    /// The dashboard's list of tasks without a lead.
    pub const GAP: &str = "chua-giao-chu-tri";
    /// An agency's list of the tasks it leads.
    pub const AGENCY_LEADS: &str = "chu-tri";
    /// A working group's list of tasks.
    pub const GROUP_TASKS: &str = "nhiem-vu";
    /// A report on a month's bulletin: the prefix of `bc-<agency>`.
    pub const REPORT: &str = "bc-";
    /// The difficulties and proposals on a task's or agency's page, and
    /// each state's part of the register.
    pub const PROPOSALS: &str = "kien-nghi";
}

/// The two kinds of search-index chunks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SearchPart {
    /// Words with the entries that hold them, split by word ranges.
    Words,
    /// The entries' rows (link, title, kind, status), by number.
    Entries,
}

impl SearchPart {
    pub const ALL: [SearchPart; 2] = [SearchPart::Words, SearchPart::Entries];

    /// Its folder beside the manifest (search.js names the same).
    pub fn folder(self) -> &'static str {
        match self {
            SearchPart::Words => "tu",
            SearchPart::Entries => "muc",
        }
    }
}

/// The data package describing the tables.
const DATA_PACKAGE: &str = "datapackage.json";

/// The open-data tables, in the order the open-data page, the data
/// package and the zip list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Table {
    Tasks,
    Updates,
    Agencies,
    Kpis,
    KpiValues,
    Proposals,
}

impl Table {
    pub const ALL: [Table; 6] = [
        Table::Tasks,
        Table::Updates,
        Table::Agencies,
        Table::Kpis,
        Table::KpiValues,
        Table::Proposals,
    ];

    /// The table's file stem, also its name in the data package.
    pub fn stem(self) -> &'static str {
        match self {
            Table::Tasks => "nhiem-vu",
            Table::Updates => "cap-nhat",
            Table::Agencies => "co-quan",
            Table::Kpis => "chi-tieu",
            Table::KpiValues => "gia-tri-chi-tieu",
            Table::Proposals => "kien-nghi",
        }
    }

    pub fn from_stem(stem: &str) -> Option<Table> {
        Table::ALL.into_iter().find(|t| t.stem() == stem)
    }
}

/// A data file's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    Csv,
    Json,
    /// A zipped CSV (an archived month's tasks past a size).
    Zip,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Csv, Format::Json, Format::Zip];

    pub fn ext(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Zip => "zip",
        }
    }

    /// The format of a file name's extension, and the stem before it.
    fn split(name: &str) -> Option<(&str, Format)> {
        let (stem, ext) = name.rsplit_once('.')?;
        Format::ALL
            .into_iter()
            .find(|f| f.ext() == ext)
            .map(|f| (stem, f))
    }
}

/// The status views under `nhiem-vu/`: (status data code, slug). A task id
/// may not take one of these slugs.
pub const STATUS_VIEWS: &[(&str, &str)] = &[
    ("done_on_time", "hoan-thanh-dung-han"),
    ("done_late", "hoan-thanh-qua-han"),
    ("ongoing", "thuong-xuyen"),
    ("overdue", "qua-han"),
    ("due_soon", "sap-den-han"),
    ("blocked", "vuong-mac"),
    ("in_progress", "dang-thuc-hien"),
    ("unassigned", "chua-giao"),
    ("not_started", "chua-trien-khai"),
];

/// The slug of the status view of the status with data code `code`.
pub fn status_view_slug(code: &str) -> Option<&'static str> {
    STATUS_VIEWS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, s)| *s)
}

/// Whether a task id would take the address of a status view.
pub fn is_status_view_slug(id: &str) -> bool {
    STATUS_VIEWS.iter().any(|(_, s)| *s == id)
}

/// The plan-wide charts under `bieu-do/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SiteChart {
    /// Tasks per status.
    Status,
    /// The plan's burn-up.
    Burnup,
    /// Tasks per status, one bar per agency.
    Agencies,
}

impl SiteChart {
    pub const ALL: [SiteChart; 3] = [SiteChart::Status, SiteChart::Burnup, SiteChart::Agencies];

    /// The file name without its extension (`.svg` for the drawing,
    /// `.csv` for its data).
    fn stem(self) -> &'static str {
        match self {
            SiteChart::Status => "tinh-trang",
            SiteChart::Burnup => "tien-do",
            SiteChart::Agencies => "co-quan",
        }
    }
}

/// One address of the portal. Ids and slugs are borrowed from the model;
/// the route does not check that they exist (render makes only routes of
/// things that do).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Route<'a> {
    Home,
    NotFound,
    /// The deadline table.
    Tasks,
    /// The tasks of one status, by the status's data code.
    StatusView(&'a str),
    Task(&'a str),
    /// A task's Atom feed of updates and status changes.
    TaskFeed(&'a str),
    /// A task's calendar: its deadline and every extension.
    TaskCalendar(&'a str),
    Agencies,
    Agency(&'a str),
    /// The tasks an agency leads on D, all of them (`None`) or those of
    /// one status by its data code: exactly what its scorecard counts.
    AgencyTasks(&'a str, Option<&'a str>),
    AgencyFeed(&'a str),
    AgencyCalendar(&'a str),
    Group(&'a str),
    /// The tasks led on D by a working group's agencies, all or those of
    /// one status: exactly what the group's roll-up counts.
    GroupTasks(&'a str, Option<&'a str>),
    GroupChart(&'a str),
    /// The data of a group's chart as CSV.
    GroupChartData(&'a str),
    GroupCalendar(&'a str),
    /// The working groups' index.
    Groups,
    /// The accessibility statement.
    Accessibility,
    /// The plans, and one plan by id.
    Plans,
    Plan(&'a str),
    /// The register of difficulties and proposals, and one by its raising
    /// agency and id.
    Proposals,
    Proposal(&'a str, &'a str),
    Kpis,
    Kpi(&'a str),
    KpiChart(&'a str),
    /// The data of a KPI's chart as CSV.
    KpiChartData(&'a str),
    /// A KPI's Atom feed of new values.
    KpiFeed(&'a str),
    Reports,
    Report(Period),
    /// The list of archived months.
    Archive,
    /// The portal as it stood on the last day of a month.
    ArchiveMonth(Period),
    /// An archived month's data file (`nhiem-vu.csv`, `nhiem-vu.json`).
    ArchiveData(Period, Format),
    /// What changed in a month, as data: `du-lieu/thay-doi/YYYY-MM.csv`.
    MonthChanges(Period),
    /// The feed of status changes.
    ChangesFeed,
    Deadlines,
    /// The calendar of every deadline.
    DeadlinesCalendar,
    Data,
    /// An open-data table in a format (`du-lieu/nhiem-vu.csv`).
    TableFile(Table, Format),
    /// `du-lieu/datapackage.json`, `du-lieu/tiendo-du-lieu.zip`,
    /// `du-lieu/dcat.jsonld`, `du-lieu/duong-dan.txt`.
    DataPackage,
    DataZip,
    DataCatalogue,
    PathList,
    Search,
    SearchIndex,
    /// A chunk of the search index: words (`tu/N.json`) or entries
    /// (`muc/N.json`), beside its manifest.
    SearchChunk(SearchPart, usize),
    /// A page of the news list; 0 is the first.
    News(usize),
    Article(&'a str),
    /// The articles with a tag, by the tag's slug.
    Tag(&'a str),
    /// A standing page by its slug.
    Page(&'a str),
    NewsFeed,
    Chart(SiteChart),
    /// The data of a plan-wide chart as CSV.
    ChartData(SiteChart),
    Sitemap,
    Robots,
    /// A theme asset by its file name.
    Asset(&'a str),
    /// Page `n` (0 is the first, which is the list itself) of a list split
    /// past [`crate::render::ROWS_PER_PAGE`] rows: `<list>/trang/<n+1>/`.
    Paged(Box<Route<'a>>, usize),
    /// Every row of a list split into pages, as JSON, for the script that
    /// sorts and filters across its pages: `<list>/dong.json`.
    ListRows(Box<Route<'a>>),
    /// The share image beside a page ([`Route::has_share_image`]), which
    /// the page names in `og:image`: `<page>/chia-se.png`.
    ShareImage(Box<Route<'a>>),
}

impl<'a> Route<'a> {
    /// The path relative to a language root: "" for the home page, a
    /// folder with a trailing slash for a page, a file name otherwise.
    pub fn path(&self) -> String {
        use section::*;
        match self {
            Route::Home => String::new(),
            Route::NotFound => "404.html".into(),
            Route::Tasks => [TASKS, "/"].concat(),
            Route::StatusView(code) => {
                [TASKS, "/", status_view_slug(code).unwrap_or(code), "/"].concat()
            }
            Route::Task(id) => [TASKS, "/", id, "/"].concat(),
            Route::TaskFeed(id) => [TASKS, "/", id, "/thay-doi.xml"].concat(),
            Route::TaskCalendar(id) => [TASKS, "/", id, "/", DEADLINES, ".ics"].concat(),
            Route::Agencies => [AGENCIES, "/"].concat(),
            Route::Agency(id) => [AGENCIES, "/", id, "/"].concat(),
            Route::AgencyTasks(id, status) => {
                [AGENCIES, "/", id, "/", scoped_view_slug(*status), "/"].concat()
            }
            Route::AgencyFeed(id) => [AGENCIES, "/", id, "/thay-doi.xml"].concat(),
            Route::AgencyCalendar(id) => [AGENCIES, "/", id, "/", DEADLINES, ".ics"].concat(),
            Route::Groups => [GROUPS, "/"].concat(),
            Route::Accessibility => [ACCESSIBILITY, "/"].concat(),
            Route::Plans => [PLANS, "/"].concat(),
            Route::Plan(id) => [PLANS, "/", id, "/"].concat(),
            Route::Proposals => [PROPOSALS, "/"].concat(),
            Route::Proposal(a, id) => [PROPOSALS, "/", a, "/", id, "/"].concat(),
            Route::Group(id) => [GROUPS, "/", id, "/"].concat(),
            Route::GroupTasks(id, status) => {
                [GROUPS, "/", id, "/", scoped_view_slug(*status), "/"].concat()
            }
            Route::GroupChart(id) => [GROUPS, "/", id, "/", CHARTS, ".svg"].concat(),
            Route::GroupChartData(id) => [GROUPS, "/", id, "/", CHARTS, ".csv"].concat(),
            Route::GroupCalendar(id) => [GROUPS, "/", id, "/", DEADLINES, ".ics"].concat(),
            Route::Kpis => [KPIS, "/"].concat(),
            Route::Kpi(id) => [KPIS, "/", id, "/"].concat(),
            Route::KpiChart(id) => [KPIS, "/", id, "/", CHARTS, ".svg"].concat(),
            Route::KpiChartData(id) => [KPIS, "/", id, "/", CHARTS, ".csv"].concat(),
            Route::KpiFeed(id) => [KPIS, "/", id, "/thay-doi.xml"].concat(),
            Route::Reports => [REPORTS, "/"].concat(),
            Route::Report(p) => [REPORTS, "/", &p.key(), "/"].concat(),
            Route::Archive => [ARCHIVE, "/"].concat(),
            Route::ArchiveMonth(p) => [ARCHIVE, "/", &p.key(), "/"].concat(),
            Route::ArchiveData(p, f) => [
                DATA,
                "/",
                ARCHIVE,
                "/",
                &p.key(),
                "/",
                Table::Tasks.stem(),
                ".",
                f.ext(),
            ]
            .concat(),
            Route::MonthChanges(p) => [DATA, "/thay-doi/", &p.key(), ".csv"].concat(),
            Route::ChangesFeed => [REPORTS, "/thay-doi.xml"].concat(),
            Route::Deadlines => [DEADLINES, "/"].concat(),
            Route::DeadlinesCalendar => [DEADLINES, ".ics"].concat(),
            Route::Data => [DATA, "/"].concat(),
            Route::TableFile(t, f) => [DATA, "/", t.stem(), ".", f.ext()].concat(),
            Route::DataPackage => [DATA, "/", DATA_PACKAGE].concat(),
            Route::DataZip => [DATA, "/", DATA_ZIP].concat(),
            Route::DataCatalogue => [DATA, "/", DCAT].concat(),
            Route::PathList => [DATA, "/", PATH_LIST].concat(),
            Route::Search => [SEARCH, "/"].concat(),
            Route::SearchIndex => [SEARCH, "/chi-muc.json"].concat(),
            Route::SearchChunk(part, n) => format!("{SEARCH}/{}/{n}.json", part.folder()),
            Route::News(0) => [NEWS, "/"].concat(),
            Route::News(n) => [NEWS, "/", PAGED, "/", &(n + 1).to_string(), "/"].concat(),
            Route::Article(slug) => [NEWS, "/", slug, "/"].concat(),
            Route::Tag(slug) => [TAGS, "/", slug, "/"].concat(),
            Route::Page(slug) => [slug, "/"].concat(),
            Route::NewsFeed => "atom.xml".into(),
            Route::Chart(c) => [CHARTS, "/", c.stem(), ".svg"].concat(),
            Route::ChartData(c) => [CHARTS, "/", c.stem(), ".csv"].concat(),
            Route::Sitemap => "sitemap.xml".into(),
            Route::Robots => "robots.txt".into(),
            Route::Asset(name) => [ASSETS, "/", name].concat(),
            Route::Paged(list, 0) => list.path(),
            Route::Paged(list, n) => [&list.path(), PAGED, "/", &(n + 1).to_string(), "/"].concat(),
            Route::ListRows(list) => {
                let mut path = list.path();
                path.push_str(ROWS);
                path
            }
            Route::ShareImage(page) => {
                let mut path = page.path();
                path.push_str(SHARE_IMAGE);
                path
            }
        }
    }

    /// A list's page `n` (0, the first, is the list's own address).
    pub fn paged(self, n: usize) -> Route<'a> {
        if n == 0 {
            self
        } else {
            Route::Paged(Box::new(self), n)
        }
    }

    /// Whether the page has a share image beside it: the dashboard, a
    /// task, a KPI, an agency and a month's report.
    pub fn has_share_image(&self) -> bool {
        matches!(
            self,
            Route::Home | Route::Task(_) | Route::Kpi(_) | Route::Agency(_) | Route::Report(_)
        )
    }

    /// The file that holds the route, relative to a language root.
    pub fn file(&self) -> String {
        let mut path = self.path();
        if path.is_empty() || path.ends_with('/') {
            path.push_str("index.html");
        }
        path
    }

    /// Whether the route is an HTML page (as opposed to a data file, feed,
    /// calendar, chart or asset).
    pub fn is_page(&self) -> bool {
        let path = self.path();
        path.is_empty() || path.ends_with('/') || *self == Route::NotFound
    }

    /// The route at `path` (relative to a language root, as [`Route::path`]
    /// writes it), if it has the form of one. Paths of one segment that are
    /// no section are read as standing pages.
    pub fn parse(path: &'a str) -> Option<Route<'a>> {
        use section::*;
        let fixed = [
            Route::Home,
            Route::NotFound,
            Route::Tasks,
            Route::Agencies,
            Route::Groups,
            Route::Accessibility,
            Route::Plans,
            Route::Proposals,
            Route::Kpis,
            Route::Reports,
            Route::Archive,
            Route::ChangesFeed,
            Route::Deadlines,
            Route::DeadlinesCalendar,
            Route::Data,
            Route::Search,
            Route::SearchIndex,
            Route::News(0),
            Route::NewsFeed,
            Route::Sitemap,
            Route::Robots,
        ];
        if let Some(r) = fixed.into_iter().find(|r| r.path() == path) {
            return Some(r);
        }
        if let Some(c) = SiteChart::ALL
            .into_iter()
            .find(|c| Route::Chart(*c).path() == path)
        {
            return Some(Route::Chart(c));
        }
        if let Some(c) = SiteChart::ALL
            .into_iter()
            .find(|c| Route::ChartData(*c).path() == path)
        {
            return Some(Route::ChartData(c));
        }
        let parts: Vec<&'a str> = path.split('/').collect();
        let page = |r: Route<'a>| Some(r);
        match parts.as_slice() {
            [TASKS, id, ""] => page(
                STATUS_VIEWS
                    .iter()
                    .find(|(_, s)| s == id)
                    .map_or(Route::Task(id), |(c, _)| Route::StatusView(c)),
            ),
            [TASKS, id, "thay-doi.xml"] => page(Route::TaskFeed(id)),
            [TASKS, id, "han-chot.ics"] => page(Route::TaskCalendar(id)),
            [AGENCIES, id, ""] => page(Route::Agency(id)),
            // `co-quan/trang/2/` is a page of the scorecards, below.
            [AGENCIES, id, view, ""] if scoped_view_status(view).is_some() => {
                scoped_view_status(view).map(|s| Route::AgencyTasks(id, s))
            }
            [AGENCIES, id, "thay-doi.xml"] => page(Route::AgencyFeed(id)),
            [AGENCIES, id, "han-chot.ics"] => page(Route::AgencyCalendar(id)),
            [GROUPS, id, ""] => page(Route::Group(id)),
            [PLANS, id, ""] => page(Route::Plan(id)),
            [PROPOSALS, a, id, ""] => page(Route::Proposal(a, id)),
            [GROUPS, id, view, ""] => scoped_view_status(view).map(|s| Route::GroupTasks(id, s)),
            [GROUPS, id, "bieu-do.svg"] => page(Route::GroupChart(id)),
            [GROUPS, id, "bieu-do.csv"] => page(Route::GroupChartData(id)),
            [GROUPS, id, "han-chot.ics"] => page(Route::GroupCalendar(id)),
            [KPIS, id, ""] => page(Route::Kpi(id)),
            [KPIS, id, "bieu-do.svg"] => page(Route::KpiChart(id)),
            [KPIS, id, "bieu-do.csv"] => page(Route::KpiChartData(id)),
            [KPIS, id, "thay-doi.xml"] => page(Route::KpiFeed(id)),
            [ARCHIVE, month, ""] => Period::parse(month).map(Route::ArchiveMonth),
            [DATA, ARCHIVE, month, name] => {
                let (stem, f) = Format::split(name)?;
                (stem == Table::Tasks.stem())
                    .then_some(())
                    .and_then(|()| Period::parse(month))
                    .map(|p| Route::ArchiveData(p, f))
            }
            [REPORTS, month, ""] => Period::parse(month).map(Route::Report),
            [SEARCH, folder, file] => {
                let part = SearchPart::ALL
                    .into_iter()
                    .find(|p| p.folder() == *folder)?;
                let n = file.strip_suffix(".json")?.parse::<usize>().ok()?;
                Some(Route::SearchChunk(part, n))
            }
            [DATA, "thay-doi", file] => file
                .strip_suffix(".csv")
                .and_then(Period::parse)
                .map(Route::MonthChanges),
            [DATA, name] => match *name {
                DATA_PACKAGE => Some(Route::DataPackage),
                DATA_ZIP => Some(Route::DataZip),
                DCAT => Some(Route::DataCatalogue),
                PATH_LIST => Some(Route::PathList),
                _ => {
                    let (stem, f) = Format::split(name)?;
                    Table::from_stem(stem)
                        .filter(|_| f != Format::Zip)
                        .map(|t| Route::TableFile(t, f))
                }
            },
            [NEWS, "trang", n, ""] => n
                .parse::<usize>()
                .ok()
                .filter(|n| *n >= 2)
                .map(|n| Route::News(n - 1)),
            [NEWS, slug, ""] => page(Route::Article(slug)),
            [TAGS, slug, ""] => page(Route::Tag(slug)),
            [ASSETS, name] if !name.is_empty() => page(Route::Asset(name)),
            [slug, ""] if !RESERVED_SLUGS.contains(slug) && !slug.is_empty() => {
                page(Route::Page(slug))
            }
            [.., PAGED, n, ""] => {
                let number = n.parse::<usize>().ok().filter(|k| *k >= 2)?;
                if number.to_string() != *n {
                    return None;
                }
                let cut = path.len() - PAGED.len() - n.len() - 2;
                let list = Route::parse(path.get(..cut)?)?;
                list.is_paged_list()
                    .then(|| Route::Paged(Box::new(list), number - 1))
            }
            [.., ROWS] => {
                let list = Route::parse(path.get(..path.len() - ROWS.len())?)?;
                list.is_paged_list()
                    .then(|| Route::ListRows(Box::new(list)))
            }
            [.., SHARE_IMAGE] => {
                let page = Route::parse(path.get(..path.len() - SHARE_IMAGE.len())?)?;
                page.has_share_image()
                    .then(|| Route::ShareImage(Box::new(page)))
            }
            _ => None,
        }
    }

    /// Whether the route is a list that splits into pages past the
    /// threshold (the news list numbers its own pages): task lists, the
    /// deadline calendar, tag pages, the agencies' scorecards, the KPI
    /// list and a month's bulletin.
    pub fn is_paged_list(&self) -> bool {
        matches!(
            self,
            Route::Tasks
                | Route::Agencies
                | Route::Kpis
                | Route::Report(_)
                | Route::StatusView(_)
                | Route::AgencyTasks(..)
                | Route::GroupTasks(..)
                | Route::Deadlines
                | Route::Tag(_)
        )
    }
}

/// The root of the English pages: every route's path under it
/// (`en/nhiem-vu/`). The first language's pages are at the site's root.
pub const EN_ROOT: &str = "en/";

/// A route in one language: the language's root (`""` or [`EN_ROOT`]) and
/// the route, the same path under every root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Localized<'a> {
    pub root: &'static str,
    pub route: Route<'a>,
}

impl Localized<'_> {
    /// The file that holds it, relative to the output folder.
    pub fn file(&self) -> String {
        [self.root, &self.route.file()].concat()
    }

    /// Its address on a site published at `origin` and `base` (the folder
    /// of a page, as a sitemap lists it): `https://x.gov.vn/en/nhiem-vu/a/`.
    pub fn url(&self, origin: &str, base: &str) -> String {
        [origin, base, self.root, &self.route.path()].concat()
    }
}

/// The order the site's files are listed in wherever a list of them is
/// published or stored (the sitemap, the path list, the build cache): by
/// file path, byte by byte, so that lists compare across builds.
pub fn in_path_order<'p>(paths: impl Iterator<Item = &'p String>) -> Vec<&'p String> {
    let mut all: Vec<&String> = paths.collect();
    all.sort_unstable();
    all
}

/// Where the site is published: the origin (scheme, host and port) and
/// the base path every link starts with. Parsed by the `url` crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    /// `https://example.gov.vn`, or "" for a site given as a bare path.
    pub origin: String,
    /// The path part, with a slash at both ends (`/` or `/tien-do/`).
    pub path: String,
}

impl BaseUrl {
    /// The expected form, for messages.
    pub const FORM: &'static str = "https://example.gov.vn/ or https://example.gov.vn/tien-do/";

    /// An absolute http(s) URL with a host, such as `--base-url` takes.
    pub fn parse_absolute(text: &str) -> Result<BaseUrl, String> {
        let bad = |why: &str| {
            Err(format!(
                "base URL `{text}` {why}; write it as {}",
                BaseUrl::FORM
            ))
        };
        let url = match url::Url::parse(text) {
            Ok(u) => u,
            Err(url::ParseError::RelativeUrlWithoutBase) => {
                return bad("has no scheme (https://) and host");
            }
            Err(e) => return bad(&format!("is not a URL ({e})")),
        };
        if !matches!(url.scheme(), "http" | "https") {
            return bad("must start with https:// or http://");
        }
        if url.host_str().is_none_or(str::is_empty) {
            return bad("has no host");
        }
        if url.query().is_some() || url.fragment().is_some() {
            return bad("may not have a query (?) or fragment (#)");
        }
        Ok(BaseUrl {
            origin: url.origin().ascii_serialization(),
            path: slashed(url.path()),
        })
    }

    /// A base URL from site.yaml, which may also be a bare path (`/`,
    /// `/portal/`) for a site whose host is not known yet; the model has
    /// checked its form.
    pub fn parse_site(text: &str) -> Result<BaseUrl, String> {
        if text.starts_with('/') && !text.starts_with("//") {
            return Ok(BaseUrl {
                origin: String::new(),
                path: slashed(text),
            });
        }
        BaseUrl::parse_absolute(text)
    }
}

/// `p` with exactly one slash at each end.
fn slashed(p: &str) -> String {
    let trimmed = p.trim_matches('/');
    if trimmed.is_empty() {
        "/".to_string()
    } else {
        format!("/{trimmed}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn period(y: i32, m: u32) -> Period {
        Period::parse(&format!("{y}-{m:02}")).unwrap()
    }

    #[test]
    fn every_route_reads_back_from_its_path() {
        let routes = [
            Route::Home,
            Route::NotFound,
            Route::Tasks,
            Route::StatusView("overdue"),
            Route::Task("ioc-soc"),
            Route::Agencies,
            Route::Agency("so-tttt"),
            Route::Groups,
            Route::Accessibility,
            Route::Plans,
            Route::Plan("kl-2025-02"),
            Route::Proposals,
            Route::Proposal("so-tttt", "kinh-phi-ioc"),
            Route::TableFile(Table::Proposals, Format::Csv),
            Route::AgencyTasks("so-tttt", Some("due_soon")),
            Route::AgencyFeed("so-tttt"),
            Route::AgencyCalendar("so-tttt"),
            Route::Group("g1"),
            Route::GroupChart("g1"),
            Route::GroupCalendar("g1"),
            Route::GroupChartData("g1"),
            Route::GroupTasks("g1", Some("blocked")),
            Route::Kpis,
            Route::Kpi("k"),
            Route::KpiChart("k"),
            Route::KpiChartData("k"),
            Route::Reports,
            Route::Report(period(2025, 5)),
            Route::TaskFeed("ioc-soc"),
            Route::TaskCalendar("ioc-soc"),
            Route::KpiFeed("k"),
            Route::Archive,
            Route::ArchiveMonth(period(2025, 5)),
            Route::ArchiveData(period(2025, 5), Format::Csv),
            Route::ArchiveData(period(2025, 5), Format::Zip),
            Route::MonthChanges(period(2025, 8)),
            Route::ChangesFeed,
            Route::Deadlines,
            Route::DeadlinesCalendar,
            Route::Data,
            Route::TableFile(Table::Tasks, Format::Csv),
            Route::TableFile(Table::KpiValues, Format::Json),
            Route::DataPackage,
            Route::DataZip,
            Route::DataCatalogue,
            Route::PathList,
            Route::Search,
            Route::SearchIndex,
            Route::SearchChunk(SearchPart::Words, 0),
            Route::SearchChunk(SearchPart::Entries, 12),
            Route::News(0),
            Route::News(2),
            Route::Article("a"),
            Route::Tag("t"),
            Route::Page("gioi-thieu"),
            Route::NewsFeed,
            Route::Chart(SiteChart::Status),
            Route::Chart(SiteChart::Burnup),
            Route::Chart(SiteChart::Agencies),
            Route::ChartData(SiteChart::Status),
            Route::ChartData(SiteChart::Agencies),
            Route::Sitemap,
            Route::Robots,
            Route::Asset("style.css"),
            Route::AgencyTasks("so-tttt", None),
            Route::AgencyTasks("so-tttt", Some("overdue")),
            Route::GroupTasks("g1", None),
            Route::GroupTasks("g1", Some("done_late")),
            Route::Paged(Box::new(Route::Tasks), 1),
            Route::Paged(Box::new(Route::StatusView("blocked")), 4),
            Route::Paged(Box::new(Route::AgencyTasks("a", Some("overdue"))), 2),
            Route::Paged(Box::new(Route::GroupTasks("g", None)), 1),
            Route::Paged(Box::new(Route::Deadlines), 1),
            Route::Paged(Box::new(Route::Tag("t")), 1),
            Route::Paged(Box::new(Route::Agencies), 1),
            Route::Paged(Box::new(Route::Kpis), 2),
            Route::Paged(
                Box::new(Route::Report(Period::parse("2025-03").unwrap())),
                1,
            ),
            Route::ListRows(Box::new(Route::Tasks)),
            Route::ListRows(Box::new(Route::AgencyTasks("a", Some("blocked")))),
            Route::ShareImage(Box::new(Route::Home)),
            Route::ShareImage(Box::new(Route::Task("ioc-soc"))),
            Route::ShareImage(Box::new(Route::Kpi("k"))),
            Route::ShareImage(Box::new(Route::Agency("so-tttt"))),
            Route::ShareImage(Box::new(Route::Report(period(2025, 6)))),
        ];
        for r in routes {
            let path = r.path();
            assert_eq!(Route::parse(&path), Some(r.clone()), "{path}");
        }
    }

    #[test]
    fn paths_of_the_portal() {
        assert_eq!(Route::Home.file(), "index.html");
        assert_eq!(Route::NotFound.file(), "404.html");
        assert_eq!(Route::StatusView("overdue").path(), "nhiem-vu/qua-han/");
        assert_eq!(
            Route::Report(period(2025, 2)).file(),
            "bao-cao/2025-02/index.html"
        );
        assert_eq!(Route::News(1).path(), "tin-tuc/trang/2/");
        assert_eq!(Route::AgencyCalendar("a").path(), "co-quan/a/han-chot.ics");
        assert_eq!(
            Route::AgencyTasks("a", Some("overdue")).path(),
            "co-quan/a/qua-han/"
        );
        assert_eq!(Route::parse("co-quan/a/khac/"), None);
        assert_eq!(
            Route::ChartData(SiteChart::Status).path(),
            "bieu-do/tinh-trang.csv"
        );
        assert!(Route::Tasks.is_page() && !Route::NewsFeed.is_page());
        assert_eq!(Route::parse("nhiem-vu/trang/"), Some(Route::Task("trang")));
        assert_eq!(Route::parse("bao-cao/2025-13/"), None);
        assert_eq!(Route::parse("tin-tuc/trang/1/"), None, "page 1 is tin-tuc/");
        assert_eq!(Route::parse("han-chot/x/"), None);
        assert_eq!(
            Route::AgencyTasks("a", Some("overdue")).path(),
            "co-quan/a/qua-han/"
        );
        assert_eq!(
            Route::GroupTasks("g", None).path(),
            "to-cong-tac/g/nhiem-vu/"
        );
        assert_eq!(
            Route::Paged(Box::new(Route::StatusView("overdue")), 1).path(),
            "nhiem-vu/qua-han/trang/2/"
        );
        assert_eq!(Route::Paged(Box::new(Route::Tasks), 0).path(), "nhiem-vu/");
        assert_eq!(
            Route::parse("nhiem-vu/trang/1/"),
            None,
            "page 1 is the list"
        );
        assert_eq!(Route::parse("nhiem-vu/trang/02/"), None);
        assert_eq!(
            Route::parse("co-quan/a/trang/2/"),
            None,
            "agency pages do not split"
        );
        assert_eq!(Route::parse("co-quan/a/x/"), None);
        assert_eq!(
            Route::ShareImage(Box::new(Route::Report(period(2025, 6)))).path(),
            "bao-cao/2025-06/chia-se.png"
        );
        assert_eq!(
            Route::ShareImage(Box::new(Route::Home)).path(),
            "chia-se.png"
        );
        assert_eq!(
            Route::parse("tin-tuc/chia-se.png"),
            None,
            "no image beside the news"
        );
        assert_eq!(Route::parse("nhiem-vu/trang/2/chia-se.png"), None);
    }

    #[test]
    fn base_urls() {
        let ok = |s: &str| BaseUrl::parse_site(s).unwrap();
        let b = ok("https://example.gov.vn");
        assert_eq!(
            (b.origin.as_str(), b.path.as_str()),
            ("https://example.gov.vn", "/")
        );
        assert_eq!(ok("https://example.gov.vn/tien-do").path, "/tien-do/");
        assert_eq!(ok("https://example.gov.vn/tien-do/").path, "/tien-do/");
        assert_eq!(ok("http://127.0.0.1:8000/").origin, "http://127.0.0.1:8000");
        assert_eq!(
            ok("/portal/"),
            BaseUrl {
                origin: String::new(),
                path: "/portal/".into()
            }
        );
        for bad in [
            "example.gov.vn",
            "example.gov.vn/tien-do/",
            "ftp://x.vn/",
            "https://",
            "https://x.vn/?a=1",
            "/portal/",
        ] {
            let e = BaseUrl::parse_absolute(bad).unwrap_err();
            assert!(e.contains(BaseUrl::FORM), "{bad}: {e}");
        }
    }

    #[test]
    fn reserved_slugs_cover_every_section() {
        for r in [
            Route::Tasks,
            Route::Agencies,
            Route::Group("g"),
            Route::Kpis,
            Route::Reports,
            Route::Deadlines,
            Route::News(0),
            Route::Tag("t"),
            Route::Data,
            Route::Search,
            Route::Asset("a"),
            Route::Chart(SiteChart::Status),
        ] {
            let first = r.path().split('/').next().unwrap_or_default().to_string();
            assert!(
                RESERVED_SLUGS.contains(&first.as_str()) || first == section::CHARTS,
                "{first}"
            );
        }
    }
}
