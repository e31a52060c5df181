//! Stage 4, render: every page and asset of the portal, in memory. Pure.
//!
//! Input: the model, its figures as of D, and the theme (templates, assets,
//! UI strings). Output: [`RenderedSite`], the site's files by path, for the
//! output stage to write. Pages are listed as jobs and rendered in parallel,
//! once per language (Vietnamese at the root, English under `/en/`).

mod chart_set;
pub mod charts;
mod files;
mod incremental;
pub(crate) use incremental::Output;
pub mod on_demand;
pub use incremental::{Incremental, Keep, Keeper};
pub mod escape;
pub mod font;
pub mod i18n;
pub use crate::markdown;
mod pages;
mod raster;
mod setup;
pub mod share;
mod share_draw;
mod svg;
pub mod views;

pub use files::{ARCHIVE_ZIP_FROM_TASKS, archive_data_files};
use files::{Made, archive_files, machine_side, made};
use setup::renderer;

use crate::diag::{Diagnostics, Loc};
use crate::index::SiteIndex;
use crate::model::Model;
use crate::publish::{self as machine, data};
use crate::route::{BaseUrl, Format, Localized, Route};
use crate::status::Figures;
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

    /// Every path of the site, in the route table's order
    /// ([`crate::route::in_path_order`]).
    pub fn paths(&self) -> impl Iterator<Item = &String> {
        crate::route::in_path_order(self.files.keys().chain(&self.written)).into_iter()
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
    /// Set by the caller to stop a render it no longer needs (`serve`,
    /// after a save): checked between pages, as a signal is.
    pub cancel: Option<&'s std::sync::atomic::AtomicBool>,
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
    /// The caller's stop ([`Sinks::cancel`]).
    pub cancel: Option<&'a std::sync::atomic::AtomicBool>,
}

impl<'a> Renderer<'a> {
    /// Whether to stop: a signal, or the caller no longer needs the site.
    pub(crate) fn stopping(&self) -> bool {
        crate::output::interrupt::stopping()
            || self
                .cancel
                .is_some_and(|c| c.load(std::sync::atomic::Ordering::Relaxed))
    }

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
    r.cancel = sinks.cancel;
    // The open data, charts, feeds, calendars and search index are made
    // beside the pages rather than before or after them: one thread
    // deflates the data download while the other renders pages, and
    // neither waits for the other (README, Benchmark). The open-data page
    // comes with its tables, which know their row counts once written.
    let list = pages::jobs(&r);
    let sources = pages::page_sources(&r, &list);
    let (mut rendered, machine) = rayon::join(
        || {
            // In runs of at most 16 pages: left to split itself, rayon gave
            // the last thousand pages to one thread while the other idled
            // for a second (pages differ a hundredfold in cost).
            list.par_iter()
                .with_max_len(16)
                .filter(|(_, job)| !job.kind.deferred)
                // A build asked to stop (SIGTERM, Ctrl-C) renders no more pages.
                .filter(|_| !r.stopping())
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
    if r.stopping() {
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
    if r.stopping() {
        return RenderedSite::default();
    }
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
    let listed: Vec<Localized> = list
        .iter()
        .filter(|(_, job)| job.kind.sitemap)
        .map(|(lang, job)| Localized {
            root: lang.prefix(),
            route: job.route(r.places()),
        })
        .collect();
    machine::sitemap(&r, &mut site, &listed);
    machine::path_list(&mut site, &model.static_files);
    site.refs = refs;
    site.sources = sources;
    site.base = r.base.clone();
    site.origin = r.origin.clone();
    site
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

#[cfg(test)]
mod tests {
    use crate::status::Status;

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
