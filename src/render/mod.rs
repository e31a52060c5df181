//! Stage 4, render: every page and asset of the portal, in memory. Pure.
//!
//! Input: the model, its figures as of D, and the theme (templates, assets,
//! UI strings). Output: [`RenderedSite`], the site's files by path, for the
//! output stage to write. Pages are listed as jobs and rendered in parallel,
//! once per language (Vietnamese at the root, English under `/en/`).

mod chart_set;
pub mod charts;
mod incremental;
pub(crate) use incremental::Output;
pub use incremental::{Incremental, Keep, Keeper};
pub mod escape;
pub mod font;
pub mod i18n;
pub use crate::markdown;
mod pages;
mod raster;
pub mod share;
mod share_draw;
mod svg;
pub mod views;

use crate::diag::{Diagnostics, Loc};
use crate::index::SiteIndex;
use crate::model::Model;
use crate::publish::{self as machine, data};
use crate::route::{BaseUrl, Format, Route};
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
    /// Pages kept from the last build (their inputs unchanged), among
    /// `written` or `files`: the link check reads their links back from
    /// the last build when it needs them.
    pub kept: std::collections::HashSet<String>,
    /// How long the monthly archive took (its figures, pages and files),
    /// for the build's timings.
    pub archive_time: std::time::Duration,
    /// How long the share images took (wall time), and how many there
    /// were, drawn and kept, for the build's timings and the benchmark.
    pub share_time: std::time::Duration,
    pub share: share::Drawn,
    /// For the verify stage: the links and ids of each page already
    /// written, the content file each page comes from, and the site's
    /// root path and origin.
    pub refs: BTreeMap<String, crate::verify::links::PageRefs>,
    pub sources: HashMap<String, Arc<str>>,
    pub base: String,
    pub origin: String,
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

/// Where `build` sends each share image: its path, the key of what it
/// shows ([`share::Card::key`]) and a way to draw it, called only when the
/// previous output has no image of that key there; `check` draws none.
pub type KeyedSink<'s> = &'s (dyn Fn(&str, &[u8; 16], &dyn Fn() -> Vec<u8>) + Sync);

/// Where render sends what it makes: each file as it is made (`build`,
/// `check`), each share image by its key; with no sink the site keeps
/// them (`serve`), and the previous build's images come from `memo`.
#[derive(Clone, Copy, Default)]
pub struct Sinks<'s> {
    pub files: Option<PageSink<'s>>,
    pub images: Option<KeyedSink<'s>>,
    pub memo: Option<&'s share::Memo>,
}

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
pub const GAP_ANCHOR: &str = crate::route::anchor::GAP;

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

pub(crate) use crate::index::TaskList;

/// A task list's route.
fn list_route(list: TaskList, m: &Model) -> Route<'_> {
    match list {
        TaskList::All => Route::Tasks,
        TaskList::Status(s) => Route::StatusView(s.code()),
        TaskList::Agency(i, s) => Route::AgencyTasks(&m.agencies[i].id, s.map(Status::code)),
        TaskList::Group(i, s) => Route::GroupTasks(&m.groups[i].id, s.map(Status::code)),
    }
}

/// A list's page `n` (0, the first, is the list's own address).
fn paged(list: Route<'_>, n: usize) -> Route<'_> {
    if n == 0 {
        list
    } else {
        Route::Paged(Box::new(list), n)
    }
}

pub(crate) use pages::{Job, Key, Places};

/// What the page builders share.
pub(crate) struct Renderer<'a> {
    pub model: &'a Model,
    pub fig: &'a Figures<'a>,
    /// One template engine per language, its UI strings in the global
    /// context as `t` (serialised once, not once per page).
    pub tera: HashMap<Lang, tera::Tera>,
    /// The main menu's standing pages, per language.
    pub menus: HashMap<Lang, Vec<views::LangLink>>,
    /// Every list, relation and count the pages show, decided before render.
    pub index: &'a SiteIndex<'a>,
    /// The site root path, slashes at both ends.
    pub base: String,
    /// The absolute site URL without a trailing slash, for canonical links.
    pub origin: String,
    pub strings: HashMap<Lang, Strings>,
    /// Every chart, by language and path (relative to the language root).
    pub charts: BTreeMap<(Lang, String), chart_set::ChartFiles>,
    /// Where files go as they are made (`build`, `check`); `None` keeps
    /// them in the rendered site (`serve`).
    pub sink: Option<PageSink<'a>>,
    /// Where share images go by their key ([`KeyedSink`]).
    pub keyed: Option<KeyedSink<'a>>,
    /// How many tasks changed status in each archived month, known once
    /// the archive is made (the archive's index shows them).
    pub status_changes: std::sync::OnceLock<BTreeMap<crate::date::Period, usize>>,
    /// The monthly archive, its figures computed a month at a time.
    pub archive: Option<&'a crate::status::Archive<'a>>,
    /// The build cache and the output's keeper, when pages may be kept.
    pub incremental: Option<Incremental<'a>>,
    /// Per language, the digest of the templates and the frame every page
    /// shares: the start of each page's fingerprint.
    pub frames: HashMap<Lang, blake3::Hasher>,
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

    /// What a page's route needs besides its key.
    pub(crate) fn places(&self) -> Places<'_> {
        Places {
            m: self.model,
            months: self.archive_months(),
            tags: &self.index.tags,
        }
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
            index: self.index,
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

    /// The page's absolute URL.
    pub fn canonical(&self, lang: Lang, job: &Job) -> String {
        let dir = job.dir(self.places());
        [self.origin.as_str(), &self.base, lang.prefix(), &dir].concat()
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
        let dir = job.dir(self.places());
        let alternates = self
            .index
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
        let site = self.model.site();
        let site_title = lang.pick(&site.title, site.title_en.as_deref());
        let share_title = match job.route(self.places()) {
            Route::Home if !title.is_empty() => [title.as_str(), " · ", site_title].concat(),
            _ if title.is_empty() => site_title.to_string(),
            _ => title.clone(),
        };
        views::Common {
            as_of: crate::date::fmt_date(self.fig.as_of),
            as_of_iso: self.fig.as_of.to_string(),
            section,
            alternates,
            canonical: self.canonical(lang, job),
            page_title: title,
            page_description: description,
            share_title,
            share: share::view(self, lang, job),
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
            origin: &self.origin,
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
pub(crate) fn template_error(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg.replace('\n', " ")
}

/// Every page, for every language, in a stable order: each kind of the
/// registry ([`pages::KINDS`]) lists its own.
fn jobs(r: &Renderer) -> Vec<(Lang, Job)> {
    let mut out = Vec::new();
    for &lang in &r.index.langs {
        for &kind in pages::KINDS {
            out.extend(
                (kind.jobs)(r, lang)
                    .into_iter()
                    .map(|key| (lang, Job { kind, key })),
            );
        }
    }
    out
}

/// Renders every page of the site: the pages of every [`Job`], the
/// charts, the machine files and the theme's assets; then checks the links
/// and the static files against what was made.
/// (Eight arguments: the stages' results, where files go, and the cache.)
#[allow(clippy::too_many_arguments)]
pub fn render<'a>(
    model: &'a Model,
    figures: &'a Figures<'a>,
    index: &'a SiteIndex<'a>,
    archive: &'a crate::status::Archive<'a>,
    options: &RenderOptions,
    sinks: Sinks<'a>,
    incremental: Option<Incremental<'a>>,
    diags: &mut Diagnostics,
) -> RenderedSite {
    let Some(mut r) = renderer(model, figures, index, options, diags) else {
        return RenderedSite::default();
    };
    r.sink = sinks.files;
    r.keyed = sinks.images;
    r.archive = Some(archive);
    r.incremental = incremental;
    // The open data, charts, feeds, calendars and search index are made
    // beside the pages rather than before or after them: one thread
    // deflates the data download while the other renders pages, and
    // neither waits for the other (README, Benchmark). The open-data page
    // comes with its tables, which know their row counts once written.
    let list = jobs(&r);
    let sources = page_sources(&r, &list);
    let (mut rendered, machine) = rayon::join(
        || {
            // In runs of at most 16 pages: left to split itself, rayon gave
            // the last thousand pages to one thread while the other idled
            // for a second (pages differ a hundredfold in cost).
            list.par_iter()
                .with_max_len(16)
                .filter(|(_, job)| !job.kind.deferred)
                // A build asked to stop (SIGTERM, Ctrl-C) renders no more pages.
                .filter(|_| !crate::output::interrupt::stopping())
                .map(|(lang, job)| {
                    let mut d = Diagnostics::new();
                    let page = (job.kind.render)(&r, *lang, job, &mut d);
                    let path = format!("{}{}", lang.prefix(), job.file(r.places()));
                    made(&r, path, page, d)
                })
                .collect::<Vec<Made>>()
        },
        || machine_side(&r),
    );
    // Stopped (SIGTERM, Ctrl-C): nothing more, and no link check of a site cut short.
    if crate::output::interrupt::stopping() {
        return RenderedSite::default();
    }
    let (mut site, data_pages, machine_diags) = machine;
    rendered.extend(data_pages);
    diags.extend(machine_diags);
    incremental::key_misses(&r, diags);
    // The share images, in parallel, each drawn unless the previous
    // output has it (README, design notes).
    let started = std::time::Instant::now();
    let (images, drawn) = share::images(&r, &list, sinks.memo);
    for (path, png) in images {
        match png {
            Some(bytes) => {
                site.files.insert(path, bytes);
            }
            None => {
                site.written.insert(path);
            }
        }
    }
    site.share_time = started.elapsed();
    site.share = drawn;
    let started = std::time::Instant::now();
    rendered.extend(archive_files(&r));
    // The archive's index, once each month's changes are counted.
    for &lang in &r.index.langs {
        let job = Job {
            kind: &pages::ARCHIVE,
            key: Key::One,
        };
        let mut d = Diagnostics::new();
        let page = (pages::ARCHIVE_INDEX)(&r, lang, &job, &mut d);
        let path = format!("{}{}", lang.prefix(), job.file(r.places()));
        rendered.push(made(&r, path, page, d));
    }
    let archive_time = started.elapsed();
    site.archive_time = archive_time;
    let mut refs = BTreeMap::new();
    for (path, page, page_refs, d) in rendered {
        diags.extend(d);
        if let Some(Output::Kept(bytes)) = page {
            match bytes {
                Some(bytes) => {
                    site.files.insert(path.clone(), bytes.to_vec());
                }
                None => {
                    site.written.insert(path.clone());
                }
            }
            site.kept.insert(path);
        } else if let Some(Output::Bytes(bytes)) = page {
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
    // The sitemap lists the pages of the kinds that ask for it.
    let listed: std::collections::HashSet<String> = list
        .iter()
        .filter(|(_, job)| job.kind.sitemap)
        .map(|(lang, job)| format!("{}{}", lang.prefix(), job.file(r.places())))
        .collect();
    machine::sitemap(&r, &mut site, &listed);
    machine::path_list(&mut site, &model.static_files);
    site.refs = refs;
    site.sources = sources;
    site.base = r.base.clone();
    site.origin = r.origin.clone();
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
        .index
        .langs
        .iter()
        .map(|&lang| {
            let mut d = Diagnostics::new();
            let job = Job {
                kind: &pages::DATA,
                key: Key::One,
            };
            let page = pages::open_data(r, lang, &job, &tables, &mut d);
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
    Option<Output>,
    Option<crate::verify::links::PageRefs>,
    Diagnostics,
);

/// Sends a file to the sink when there is one, keeping only its links and
/// ids for the link check; else keeps it. A page kept from the last build
/// goes nowhere: the output has it.
fn made(r: &Renderer, path: String, file: Option<Output>, d: Diagnostics) -> Made {
    match (file, r.sink) {
        (Some(Output::Bytes(bytes)), Some(put)) => {
            let refs = path
                .ends_with(".html")
                .then(|| crate::verify::links::refs(&bytes));
            put(&path, &bytes);
            (
                path,
                None,
                refs.or_else(|| Some(crate::verify::links::PageRefs::default())),
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

/// The formats of an archived month's task table: CSV and JSON, or one
/// zipped CSV past [`ARCHIVE_ZIP_FROM_TASKS`].
pub fn archive_data_files(model: &Model) -> &'static [Format] {
    if model.tasks.len() > ARCHIVE_ZIP_FROM_TASKS {
        &[Format::Zip]
    } else {
        &[Format::Csv, Format::Json]
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
    let months: Vec<(Vec<Made>, Vec<crate::status::TaskFacts>)> = archive
        .months
        .par_iter()
        .enumerate()
        .map(|(k, &p)| {
            let job = Job {
                kind: &pages::ARCHIVE_MONTH,
                key: Key::Nth(k),
            };
            let Some(fig) = archive.month(p) else {
                return (Vec::new(), Vec::new());
            };
            let mut out: Vec<Made> = r
                .index
                .langs
                .iter()
                .map(|&lang| {
                    let mut d = Diagnostics::new();
                    let page = pages::archive_month(r, lang, &job, p, &fig, &mut d);
                    let path = format!("{}{}", lang.prefix(), job.file(r.places()));
                    made(r, path, page, d)
                })
                .collect();
            let table = data::task_table(r.model, &fig, &site_url);
            let csv = data::csv(&table);
            let mut d = Diagnostics::new();
            let files: Vec<(Format, Option<Output>)> = match archive_data_files(r.model) {
                [zip] => {
                    let inside = data::file_name(&Route::ArchiveData(p, Format::Csv));
                    let path = Route::ArchiveData(p, *zip).file();
                    let date = fig.as_of.to_string();
                    // Deflating a national month's table is most of its
                    // cost: kept when the table and its date are the same.
                    let bytes = r.derived(&path, &[&csv, date.as_bytes()], || {
                        let mut zip = data::Zip::new(fig.as_of);
                        match zip.add(&inside, &csv).and_then(|()| zip.finish()) {
                            Ok(bytes) => Some(bytes),
                            Err(error) => {
                                d.error(
                                    Loc::file(&Arc::from("templates")),
                                    crate::msg!("render.zip", error),
                                );
                                None
                            }
                        }
                    });
                    vec![(*zip, bytes)]
                }
                formats => formats
                    .iter()
                    .map(|&name| {
                        let bytes = if name == Format::Csv {
                            csv.clone()
                        } else {
                            data::json(&table, &fig.as_of.to_string(), license)
                        };
                        (name, Some(Output::Bytes(bytes)))
                    })
                    .collect(),
            };
            for (name, bytes) in files {
                let path = Route::ArchiveData(p, name).file();
                out.push(made(r, path, bytes, std::mem::take(&mut d)));
            }
            (out, crate::status::task_facts(&fig))
        })
        .collect();
    // What changed in each month: its last day against the last day of
    // the month before (the first month's, before the earliest plan).
    let mut before = archive
        .months
        .first()
        .and_then(|p| archive.on(p.first_day().pred_opt()?))
        .map(|f| crate::status::task_facts(&f))
        .unwrap_or_default();
    let mut counts = BTreeMap::new();
    let mut out = Vec::new();
    for (&p, (files, facts)) in archive.months.iter().zip(months) {
        out.extend(files);
        let changes = crate::status::task_changes(&before, &facts);
        counts.insert(p, changes.iter().filter(|c| c.1 == "status").count());
        let csv = data::changes_csv(r.model, &changes);
        out.push(made(
            r,
            Route::MonthChanges(p).file(),
            Some(Output::Bytes(csv)),
            Diagnostics::new(),
        ));
        before = facts;
    }
    let _ = r.status_changes.set(counts);
    out
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
    index: &'a SiteIndex<'a>,
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
    let (strings, engines) = engines(model, &index.langs, diags)?;
    let base = site_url.path.clone();
    let menus = menus(model, &index.menu_pages, &index.langs, &base);
    let mut r = Renderer {
        model,
        fig: figures,
        tera: engines,
        menus,
        index,
        base,
        origin: site_url.origin.clone(),
        strings,
        charts: BTreeMap::new(),
        sink: None,
        keyed: None,
        status_changes: std::sync::OnceLock::new(),
        archive: None,
        incremental: None,
        frames: HashMap::new(),
    };
    // The frame every page of a language shares, once per language, and
    // its digest for the pages' fingerprints.
    let mut engines = std::mem::take(&mut r.tera);
    let templates = incremental::templates_digest(&model.theme.templates);
    let mut frames = HashMap::new();
    for (&l, engine) in engines.iter_mut() {
        let shared = r.shared(l);
        let mut frame = templates.clone();
        frame.update(l.code().as_bytes());
        if incremental::add_json(&mut frame, &shared)
            && incremental::add_json(&mut frame, r.strings(l))
        {
            frames.insert(l, frame);
        }
        let globals = engine.global_context();
        globals.insert("site", &shared.site);
        globals.insert("lang", &shared.lang);
        globals.insert("base", &shared.base);
        globals.insert("origin", &shared.origin);
        globals.insert("home", &shared.home);
        globals.insert("menu", &shared.menu);
        globals.insert("method_url", &shared.method_url);
        globals.insert("nav", &shared.nav);
        globals.insert("vi_lang", &shared.vi_lang);
    }
    r.tera = engines;
    r.frames = frames;
    r.charts = chart_set::all_charts(&r);
    Some(r)
}

/// The main menu's standing pages, per language, in the index's order.
fn menus(
    model: &Model,
    pages: &HashMap<Lang, Vec<usize>>,
    langs: &[Lang],
    base: &str,
) -> HashMap<Lang, Vec<views::LangLink>> {
    langs
        .iter()
        .map(|&l| {
            let menu = pages
                .get(&l)
                .into_iter()
                .flatten()
                .map(|&i| &model.pages[i]);
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
    list.iter()
        .map(|(lang, job)| {
            let source =
                (job.kind.source)(r.model, &job.key).unwrap_or_else(|| Arc::from("templates"));
            (format!("{}{}", lang.prefix(), job.file(r.places())), source)
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
