//! Stage 4, render: every page and asset of the portal, in memory. Pure.
//!
//! Input: the model, its figures as of D, and the theme (templates, assets,
//! UI strings). Output: [`RenderedSite`], the site's files by path, for the
//! output stage to write. Pages are listed as jobs and rendered in parallel,
//! once per language (Vietnamese at the root, English under `/en/`).

pub mod charts;
pub mod data;
pub mod feeds;
pub mod i18n;
mod links;
pub mod markdown;
mod pages;
pub mod views;

use crate::diag::{Diagnostics, Loc};
use crate::model::Model;
use crate::status::{Figures, Status};
use i18n::{Lang, Strings};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

/// Every file of the site, by path relative to the output folder.
#[derive(Debug, Default)]
pub struct RenderedSite {
    pub files: BTreeMap<String, Vec<u8>>,
}

/// Options that come from the command line rather than the content.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Overrides `base_url` of site.yaml.
    pub base_url: Option<String>,
}

/// The standing page that explains how figures are computed; task pages
/// link to it when it exists.
pub const METHOD_PAGE: &str = "phuong-phap";

/// News articles per page of the list.
pub const ARTICLES_PER_PAGE: usize = 10;

/// The path part of a base URL, with a slash at both ends: links are
/// written from the site root so that the portal works under a sub-path.
pub fn base_path(base_url: &str) -> String {
    let rest = base_url
        .strip_prefix("https://")
        .or_else(|| base_url.strip_prefix("http://"))
        .map(|r| r.find('/').map_or("/", |i| &r[i..]))
        .unwrap_or(base_url);
    let trimmed = rest.trim_matches('/');
    if trimmed.is_empty() {
        "/".to_string()
    } else {
        format!("/{trimmed}/")
    }
}

/// One page to render, in one language.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Job {
    Home,
    Tasks(Option<Status>),
    Task(usize),
    Agencies,
    Agency(usize),
    Group(usize),
    Kpis,
    Kpi(usize),
    Reports,
    Report(crate::date::Period),
    Deadlines,
    Data,
    Search,
    News(usize),
    Article(usize),
    Tag(String),
    Page(usize),
    NotFound,
}

impl Job {
    /// The page's path relative to its language root ("" for the home page).
    fn dir(&self, m: &Model, tags: &BTreeMap<String, String>) -> String {
        match self {
            Job::Home | Job::NotFound => String::new(),
            Job::Tasks(None) => "nhiem-vu/".into(),
            Job::Tasks(Some(s)) => format!("nhiem-vu/{}/", s.slug()),
            Job::Task(i) => format!("nhiem-vu/{}/", m.tasks[*i].id),
            Job::Agencies => "co-quan/".into(),
            Job::Agency(i) => format!("co-quan/{}/", m.agencies[*i].id),
            Job::Group(i) => format!("to-cong-tac/{}/", m.groups[*i].id),
            Job::Kpis => "chi-tieu/".into(),
            Job::Kpi(i) => format!("chi-tieu/{}/", m.kpis[*i].id),
            Job::Reports => "bao-cao/".into(),
            Job::Report(p) => format!("bao-cao/{}/", p.key()),
            Job::Deadlines => "han-chot/".into(),
            Job::Data => "du-lieu/".into(),
            Job::Search => "tim-kiem/".into(),
            Job::News(0) => "tin-tuc/".into(),
            Job::News(n) => format!("tin-tuc/trang/{}/", n + 1),
            Job::Article(i) => format!("tin-tuc/{}/", m.articles[*i].slug),
            Job::Tag(tag) => format!("chu-de/{}/", tags.get(tag).map_or("", String::as_str)),
            Job::Page(i) => format!("{}/", m.pages[*i].slug),
        }
    }

    fn file(&self, m: &Model, tags: &BTreeMap<String, String>) -> String {
        match self {
            Job::NotFound => "404.html".into(),
            _ => format!("{}index.html", self.dir(m, tags)),
        }
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
    pub menus: HashMap<Lang, Vec<views::Link>>,
    /// Articles naming each task or KPI id (indices into `Model::articles`).
    pub articles_about: HashMap<String, Vec<usize>>,
    /// Tasks carrying each tag, by the tag's slug.
    pub tagged_tasks: HashMap<String, Vec<usize>>,
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
    /// Per language: standing pages, likewise.
    pub pages: HashMap<Lang, Vec<usize>>,
    /// Every chart, by language and path (relative to the language root).
    pub charts: BTreeMap<(Lang, String), charts::Chart>,
    /// The open-data tables.
    pub tables: Vec<data::Table>,
    /// The plan's burn-up, for its chart and the table beside it.
    pub burnup: Vec<crate::status::BurnupPoint>,
}

impl<'a> Renderer<'a> {
    fn strings(&self, lang: Lang) -> &Strings {
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
    pub fn chart(&self, lang: Lang, path: &str) -> Option<views::ChartView> {
        let chart = self.charts.get(&(lang, path.to_string()))?;
        let url = format!("{}{}{path}", self.base, lang.prefix());
        let full_url = format!("{}{url}", self.origin);
        let (width, height) = svg_size(&chart.svg);
        let (narrow_width, narrow_height) = charts::narrow_size(&chart.svg);
        let credit = self.chart_credit(lang);
        let embed = format!(
            "<figure><img src=\"{full_url}\" alt=\"{}\" width=\"{width}\" height=\"{height}\" style=\"max-width:100%;height:auto\"><figcaption>{} ({credit})</figcaption></figure>",
            attr(&chart.desc),
            attr(&chart.title)
        );
        Some(views::ChartView {
            url,
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
    fn chart_credit(&self, lang: Lang) -> String {
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
                    format!("cannot prepare the page data: {e}"),
                );
                return None;
            }
        };
        let tera = self.tera.get(&lang)?;
        match tera.render(template, &ctx) {
            Ok(s) => Some(s.into_bytes()),
            Err(e) => {
                diags.error(
                    Loc::file(&Arc::from(format!("templates/{template}").as_str())),
                    template_error(&e),
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
        let site = self.model.site();
        let v = self.views(lang);
        let dir = job.dir(self.model, &self.tags);
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
            site: views::SiteView {
                title: lang.pick(&site.title, site.title_en.as_deref()),
                description: lang.pick(
                    site.description.as_deref().unwrap_or(""),
                    site.description_en.as_deref(),
                ),
                owner: site.owner.as_deref().unwrap_or(""),
                contact: site.contact.as_deref().unwrap_or(""),
                sample_data: site.sample_data,
                data_license: site.data_license.as_deref().unwrap_or(""),
            },
            lang: lang.code(),
            base: &self.base,
            home: v.home.clone(),
            as_of: crate::date::fmt_date(self.fig.as_of),
            as_of_iso: self.fig.as_of.to_string(),
            section,
            menu: self.menus.get(&lang).cloned().unwrap_or_default(),
            alternates,
            canonical: format!("{}{}{}{}", self.origin, self.base, lang.prefix(), dir),
            method_url: if self.model.pages.iter().any(|p| p.slug == METHOD_PAGE) {
                v.url(&format!("{METHOD_PAGE}/"))
            } else {
                String::new()
            },
            page_title: title,
            page_description: description,
        }
    }
}

/// Text for an HTML attribute or element written by hand (the embed snippet).
fn attr(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The width and height plotters wrote on the root element.
fn svg_size(svg: &str) -> (u32, u32) {
    let num = |key: &str| -> u32 {
        svg.find(key)
            .map(|i| &svg[i + key.len()..])
            .and_then(|rest| rest.split('"').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    (num("width=\""), num("height=\""))
}

/// Every chart of the site, per language, keyed by its path.
fn all_charts(r: &Renderer) -> BTreeMap<(Lang, String), charts::Chart> {
    let m = r.model;
    let fig = r.fig;
    let mut jobs: Vec<(Lang, String)> = Vec::new();
    for &lang in &r.langs {
        for path in [
            "bieu-do/tinh-trang.svg",
            "bieu-do/tien-do.svg",
            "bieu-do/co-quan.svg",
        ] {
            jobs.push((lang, path.to_string()));
        }
        for g in &m.groups {
            jobs.push((lang, format!("to-cong-tac/{}/bieu-do.svg", g.id)));
        }
        for k in &m.kpis {
            jobs.push((lang, format!("chi-tieu/{}/bieu-do.svg", k.id)));
        }
    }
    jobs.into_par_iter()
        .map(|(lang, path)| {
            let t = r.strings(lang);
            let v = r.views(lang);
            let credit = r.chart_credit(lang);
            let chart = if path == "bieu-do/tinh-trang.svg" {
                let row = charts::BarRow {
                    label: t.get("all_tasks").to_string(),
                    counts: fig.overall.counts,
                };
                charts::status_bars(
                    "status-summary",
                    t.get("chart_status_title").to_string(),
                    &[row],
                    lang,
                    t,
                    &credit,
                )
            } else if path == "bieu-do/tien-do.svg" {
                charts::burnup_chart(&r.burnup, fig.as_of, lang, t, &credit)
            } else if path == "bieu-do/co-quan.svg" {
                let ids: Vec<&str> = m.agencies.iter().map(|a| a.id.as_str()).collect();
                charts::status_bars(
                    "agencies",
                    t.get("chart_agencies_title").to_string(),
                    &agency_bars(&v, &ids),
                    lang,
                    t,
                    &credit,
                )
            } else if let Some(id) = path
                .strip_prefix("to-cong-tac/")
                .and_then(|p| p.strip_suffix("/bieu-do.svg"))
            {
                let ids: Vec<&str> = m
                    .agencies
                    .iter()
                    .filter(|a| a.group.as_deref() == Some(id))
                    .map(|a| a.id.as_str())
                    .collect();
                let name = m
                    .group(id)
                    .map_or(id, |g| lang.pick(&g.name, g.name_en.as_deref()));
                let title = t.get("chart_group_title").replace("{group}", name);
                charts::status_bars(
                    &format!("group-{id}"),
                    title,
                    &agency_bars(&v, &ids),
                    lang,
                    t,
                    &credit,
                )
            } else {
                let id = path
                    .trim_start_matches("chi-tieu/")
                    .trim_end_matches("/bieu-do.svg");
                let k = m.kpis.iter().position(|k| k.id == id).unwrap_or(0);
                charts::kpi_chart(&m.kpis[k], &fig.kpis[k], fig.as_of, lang, t, &credit)
            };
            ((lang, path), chart)
        })
        .collect()
}

/// Open data, feeds, calendars, the search index, sitemap and robots.txt.
fn machine_files(r: &Renderer, site: &mut RenderedSite, diags: &mut Diagnostics) {
    let m = r.model;
    let fig = r.fig;
    let s = m.site();
    let as_of = fig.as_of.to_string();
    let license = s.data_license.as_deref().unwrap_or("");
    for table in &r.tables {
        site.files
            .insert(format!("du-lieu/{}.csv", table.name), data::csv(table));
        site.files.insert(
            format!("du-lieu/{}.json", table.name),
            data::json(table, &as_of, license),
        );
    }
    let home_url = format!("{}{}", r.origin, r.base);
    site.files.insert(
        "du-lieu/datapackage.json".into(),
        data::datapackage(&r.tables, &s.title, &as_of, license, &home_url),
    );
    // Calendars: the whole plan, each agency (tasks it leads on D), each group.
    let all: Vec<usize> = (0..m.tasks.len()).collect();
    site.files.insert(
        "han-chot.ics".into(),
        feeds::calendar(m, fig, &all, &s.title, &r.origin, &r.base).into_bytes(),
    );
    for a in &m.agencies {
        let led: Vec<usize> = fig
            .agencies
            .get(&a.id)
            .map(|f| f.leads.clone())
            .unwrap_or_default();
        let name = format!("{} · {}", s.title, a.name);
        site.files.insert(
            format!("co-quan/{}/han-chot.ics", a.id),
            feeds::calendar(m, fig, &led, &name, &r.origin, &r.base).into_bytes(),
        );
    }
    for g in &m.groups {
        let tasks: Vec<usize> = (0..m.tasks.len())
            .filter(|&i| {
                fig.tasks[i]
                    .lead_on
                    .as_deref()
                    .and_then(|l| m.agency(l))
                    .and_then(|a| a.group.as_deref())
                    == Some(g.id.as_str())
            })
            .collect();
        let name = format!("{} · {}", s.title, g.name);
        site.files.insert(
            format!("to-cong-tac/{}/han-chot.ics", g.id),
            feeds::calendar(m, fig, &tasks, &name, &r.origin, &r.base).into_bytes(),
        );
    }
    // Feeds and the search index, per language.
    let events = crate::status::events(m, fig);
    let host = feeds::host(&r.origin);
    for &lang in &r.langs {
        let v = r.views(lang);
        let title = lang.pick(&s.title, s.title_en.as_deref());
        let author = s.owner.clone().unwrap_or_else(|| title.to_string());
        let feed = |id: &str, name: String, page: &str, file: &str, entries: Vec<feeds::Entry>| {
            feeds::Feed {
                id: feeds::tag(&host, &format!("{}{id}", lang.prefix())),
                title: name,
                url: format!("{}{}", r.origin, v.url(page)),
                self_url: format!("{}{}", r.origin, v.url(file)),
                updated: entries
                    .iter()
                    .map(|e| e.updated.clone())
                    .max()
                    .unwrap_or_else(|| feeds::timestamp(fig.as_of)),
                author: author.clone(),
                lang: lang.code(),
                entries,
            }
        };
        let articles = r.articles.get(&lang).cloned().unwrap_or_default();
        let news: Vec<feeds::Entry> = articles
            .iter()
            .map(|&i| {
                let a = &m.articles[i];
                feeds::Entry {
                    id: feeds::tag(&host, &format!("news/{}", a.slug)),
                    title: a.title.clone(),
                    url: format!("{}{}", r.origin, v.url(&format!("tin-tuc/{}/", a.slug))),
                    updated: feeds::timestamp(a.date),
                    summary: a.summary.clone().unwrap_or_default(),
                }
            })
            .collect();
        let mut feeds_out = vec![
            (
                "atom.xml".to_string(),
                feed(
                    "news",
                    format!("{} · {}", title, v.t.get("news_title")),
                    "tin-tuc/",
                    "atom.xml",
                    news,
                ),
            ),
            (
                "bao-cao/thay-doi.xml".to_string(),
                feed(
                    "changes",
                    format!("{} · {}", title, v.t.get("feed_changes")),
                    "bao-cao/",
                    "bao-cao/thay-doi.xml",
                    feeds::event_entries(&v, &r.origin, &events),
                ),
            ),
        ];
        for a in &m.agencies {
            let mine: Vec<crate::status::Event> = events
                .iter()
                .filter(|e| e.agency.as_deref() == Some(a.id.as_str()))
                .cloned()
                .collect();
            let file = format!("co-quan/{}/thay-doi.xml", a.id);
            let name = format!("{} · {}", v.agency_name(a), v.t.get("feed_changes"));
            feeds_out.push((
                file.clone(),
                feed(
                    &format!("changes/{}", a.id),
                    name,
                    &format!("co-quan/{}/", a.id),
                    &file,
                    feeds::event_entries(&v, &r.origin, &mine),
                ),
            ));
        }
        for (file, f) in feeds_out {
            let mut ctx = tera::Context::new();
            ctx.insert("feed", &f);
            let Some(tera) = r.tera.get(&lang) else {
                continue;
            };
            match tera.render("feed.xml", &ctx) {
                Ok(xml) => {
                    site.files
                        .insert(format!("{}{file}", lang.prefix()), xml.into_bytes());
                }
                Err(e) => diags.error(
                    Loc::file(&Arc::from("templates/feed.xml")),
                    template_error(&e),
                ),
            }
        }
        let pages = r.pages.get(&lang).cloned().unwrap_or_default();
        let index = feeds::search_index(&v, &articles, &pages);
        site.files.insert(
            format!("{}tim-kiem/chi-muc.json", lang.prefix()),
            data::json_bytes(&index, false),
        );
    }
    let html: Vec<&String> = site
        .files
        .keys()
        .filter(|p| p.ends_with("index.html"))
        .collect();
    let sitemap = feeds::sitemap(html.into_iter(), &r.origin, &r.base, fig.as_of);
    site.files
        .insert("sitemap.xml".into(), sitemap.into_bytes());
    site.files.insert(
        "robots.txt".into(),
        feeds::robots(&r.origin, &r.base).into_bytes(),
    );
}

/// One bar per agency that leads a task on D, the most overdue first.
pub(crate) fn agency_bars(v: &views::Views, ids: &[&str]) -> Vec<charts::BarRow> {
    let mut rows: Vec<(usize, usize, usize, &str)> = ids
        .iter()
        .filter_map(|id| v.fig.agencies.get(*id).map(|f| (id, f)))
        .filter(|(_, f)| f.rollup.total > 0)
        .map(|(id, f)| {
            let open = f.rollup.total - f.rollup.done;
            (f.rollup.count(Status::Overdue), open, f.rollup.total, *id)
        })
        .collect();
    rows.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(b.1.cmp(&a.1))
            .then(b.2.cmp(&a.2))
            .then(a.3.cmp(b.3))
    });
    rows.into_iter()
        .map(|(.., id)| charts::BarRow {
            label: v.agency_short(id).to_string(),
            counts: v
                .fig
                .agencies
                .get(id)
                .map(|f| f.rollup.counts)
                .unwrap_or_default(),
        })
        .collect()
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

/// The content file in which a link was written: a report's evidence, or
/// a Markdown text that links to it (`](link`, `="link"`, `=link`).
fn written_in(m: &Model, link: &str) -> Option<Arc<str>> {
    let links_to = |text: &str| {
        [
            format!("]({link}"),
            format!("=\"{link}\""),
            format!("='{link}'"),
            format!("={link} "),
            format!("={link}>"),
            format!("<{link}>"),
        ]
        .iter()
        .any(|p| text.contains(p.as_str()))
    };
    let has = |text: &Option<String>| text.as_deref().is_some_and(links_to);
    for r in &m.reports {
        if r.updates
            .iter()
            .any(|u| u.evidence.as_deref() == Some(link) || has(&u.note))
            || has(&r.summary)
        {
            return Some(Arc::clone(&r.file));
        }
    }
    for t in &m.tasks {
        if has(&t.description) {
            return Some(Arc::clone(&m.plans[t.plan].file));
        }
    }
    m.articles
        .iter()
        .find(|a| links_to(&a.body))
        .map(|a| Arc::clone(&a.file))
        .or_else(|| {
            m.pages
                .iter()
                .find(|p| links_to(&p.body))
                .map(|p| Arc::clone(&p.file))
        })
}

/// The origin (scheme and host) of a base URL, or "" for a bare path.
fn origin(base_url: &str) -> String {
    for scheme in ["https://", "http://"] {
        if let Some(rest) = base_url.strip_prefix(scheme) {
            let host = rest.split('/').next().unwrap_or("");
            return format!("{scheme}{host}");
        }
    }
    String::new()
}

/// Every page, for every language, in a stable order.
fn jobs(m: &Model, fig: &Figures, r: &Renderer) -> Vec<(Lang, Job)> {
    let mut out = Vec::new();
    for &lang in &r.langs {
        let mut add = |j: Job| out.push((lang, j));
        add(Job::Home);
        add(Job::NotFound);
        add(Job::Tasks(None));
        for s in Status::ALL {
            add(Job::Tasks(Some(s)));
        }
        (0..m.tasks.len()).for_each(|i| add(Job::Task(i)));
        add(Job::Agencies);
        (0..m.agencies.len()).for_each(|i| add(Job::Agency(i)));
        (0..m.groups.len()).for_each(|i| add(Job::Group(i)));
        add(Job::Kpis);
        (0..m.kpis.len()).for_each(|i| add(Job::Kpi(i)));
        add(Job::Reports);
        for p in fig
            .months
            .keys()
            .chain(fig.changes.keys())
            .collect::<BTreeSet<_>>()
        {
            add(Job::Report(*p));
        }
        add(Job::Deadlines);
        add(Job::Data);
        add(Job::Search);
        let articles = r.articles.get(&lang).map_or(0, Vec::len);
        for n in 0..articles.div_ceil(ARTICLES_PER_PAGE).max(1) {
            add(Job::News(n));
        }
        for &i in r.articles.get(&lang).into_iter().flatten() {
            add(Job::Article(i));
        }
        for tag in r.tags.keys() {
            add(Job::Tag(tag.clone()));
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
pub fn render(
    model: &Model,
    figures: &Figures,
    options: &RenderOptions,
    diags: &mut Diagnostics,
) -> RenderedSite {
    let mut tera = tera::Tera::new();
    let templates: Vec<(&str, &str)> = model
        .theme
        .templates
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    if let Err(e) = tera.add_raw_templates(templates) {
        diags.error(Loc::file(&Arc::from("templates")), template_error(&e));
        return RenderedSite::default();
    }
    let base_url = options
        .base_url
        .clone()
        .unwrap_or_else(|| model.site().base_url.clone());
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
    let empty = BTreeMap::new();
    let vi = model.theme.i18n.get("vi").unwrap_or(&empty);
    let strings: HashMap<Lang, Strings> = langs
        .iter()
        .map(|&l| (l, Strings::new(vi, model.theme.i18n.get(l.code()))))
        .collect();
    let engines: HashMap<Lang, tera::Tera> = strings
        .iter()
        .map(|(&l, t)| {
            let mut engine = tera.clone();
            engine.global_context().insert("t", t);
            (l, engine)
        })
        .collect();
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
    let base = base_path(&base_url);
    let menus = langs
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
                .map(|p| views::Link {
                    label: p.title.clone(),
                    url: format!("{base}{}{}/", l.prefix(), p.slug),
                })
                .collect();
            (l, links)
        })
        .collect();
    let mut tagged_tasks: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, t) in model.tasks.iter().enumerate() {
        for tag in &t.tags {
            tagged_tasks
                .entry(crate::text::slugify(tag))
                .or_default()
                .push(i);
        }
    }
    let mut r = Renderer {
        model,
        fig: figures,
        tera: engines,
        menus,
        articles_about,
        tagged_tasks,
        base,
        origin: origin(&base_url),
        langs,
        strings,
        tags,
        articles,
        pages,
        charts: BTreeMap::new(),
        tables: Vec::new(),
        burnup: crate::status::burnup(model, figures),
    };
    r.charts = all_charts(&r);
    r.tables = data::tables(model, figures, &format!("{}{}", r.origin, r.base));
    let list = jobs(model, figures, &r);
    // Which content file each page comes from, to name it in link errors.
    let sources: HashMap<String, Arc<str>> = list
        .iter()
        .map(|(lang, job)| {
            let source: Arc<str> = match job {
                Job::Task(i) => Arc::clone(&model.plans[model.tasks[*i].plan].file),
                Job::Article(i) => Arc::clone(&model.articles[*i].file),
                Job::Page(i) => Arc::clone(&model.pages[*i].file),
                Job::Agency(_) | Job::Group(_) | Job::Agencies => {
                    Arc::from("content/agencies.yaml")
                }
                Job::Kpi(_) | Job::Kpis => Arc::from("content/kpis.yaml"),
                _ => Arc::from("templates"),
            };
            (
                format!("{}{}", lang.prefix(), job.file(model, &r.tags)),
                source,
            )
        })
        .collect();
    let rendered: Vec<(String, Option<Vec<u8>>, Diagnostics)> = list
        .par_iter()
        .map(|(lang, job)| {
            let mut d = Diagnostics::new();
            let page = pages::render_job(&r, *lang, job, &mut d);
            (
                format!("{}{}", lang.prefix(), job.file(model, &r.tags)),
                page,
                d,
            )
        })
        .collect();
    let mut site = RenderedSite::default();
    for (path, page, d) in rendered {
        diags.extend(d);
        if let Some(bytes) = page {
            site.files.insert(path, bytes);
        }
    }
    for ((lang, path), chart) in &r.charts {
        site.files.insert(
            format!("{}{path}", lang.prefix()),
            chart.svg.clone().into_bytes(),
        );
    }
    machine_files(&r, &mut site, diags);
    for (name, bytes) in &model.theme.assets {
        site.files.insert(format!("assets/{name}"), bytes.clone());
    }
    let statics: HashSet<String> = model
        .static_files
        .iter()
        .map(|f| f.url_path.clone())
        .collect();
    // One error per link and file it was written in, naming the first page
    // that shows it.
    let mut reported: BTreeMap<(Arc<str>, String), (String, &'static str, usize)> = BTreeMap::new();
    for b in links::check(&site.files, &statics, &r.origin, &r.base) {
        let source = written_in(model, &b.target)
            .or_else(|| sources.get(&b.page).cloned())
            .unwrap_or_else(|| Arc::from("templates"));
        let page = format!("{}{}", r.base, b.page.trim_end_matches("index.html"));
        let entry = reported
            .entry((source, b.target))
            .or_insert((page.clone(), b.reason, 0));
        entry.2 += 1;
        // Name the page in the default language when there is one.
        let en = format!("{}{}", r.base, Lang::En.prefix());
        if entry.0.starts_with(&en) && !page.starts_with(&en) {
            entry.0 = page;
        }
    }
    for ((source, target), (page, reason, count)) in reported {
        let more = if count > 1 {
            format!(" (and {} other pages)", count - 1)
        } else {
            String::new()
        };
        diags.error(Loc::file(&source), format!("broken link `{target}` on {page}{more}: {reason}; fix the link or add the file under content/static/"));
    }
    // Static files are served from the root; one that would replace a
    // generated file is an error rather than a silent loss.
    for f in &model.static_files {
        if site.files.contains_key(&f.url_path)
            || site
                .files
                .contains_key(&format!("{}/index.html", f.url_path))
        {
            diags.error(
                Loc::file(&f.file),
                format!(
                    "static file /{} would replace a generated page; rename or move it",
                    f.url_path
                ),
            );
        }
    }
    site
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_paths() {
        assert_eq!(base_path("https://example.gov.vn"), "/");
        assert_eq!(base_path("https://example.gov.vn/"), "/");
        assert_eq!(base_path("https://example.gov.vn/tien-do"), "/tien-do/");
        assert_eq!(base_path("http://127.0.0.1:8000/"), "/");
        assert_eq!(base_path("/portal/"), "/portal/");
        assert_eq!(origin("http://127.0.0.1:8000/x/"), "http://127.0.0.1:8000");
        assert_eq!(origin("/x/"), "");
    }
}
