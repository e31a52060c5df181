//! Publish, the machine-readable side of the render stage: what the site
//! offers to programs rather than to readers. It runs beside the pages
//! (render's `rayon::join`) with the same inputs (model, figures, index,
//! the language strings and views) and writes open data (CSV, JSON, the
//! data package, the zip and its DCAT-AP catalogue: `data.rs`, `dcat.rs`),
//! calendars and Atom feeds (`feeds.rs`), the chunked search index
//! (`search.rs`), the sitemap, robots.txt and the list of every path,
//! added to the rendered site; every path from the route table.

pub mod columns;
pub mod data;
pub mod dcat;
pub mod feeds;
pub mod files;
pub mod search;

use crate::diag::{Diagnostics, Loc};
use crate::render::i18n::Lang;
use crate::render::{Output, RenderedSite, Renderer, template_error};
use crate::route::{Format, Localized, Route};
use rayon::prelude::*;
use std::sync::Arc;

/// Feeds, calendars and the search index: what needs no page of the site
/// (the sitemap, which lists them, comes once the pages are made).
pub(crate) fn machine_files(r: &Renderer, site: &mut RenderedSite, diags: &mut Diagnostics) {
    calendars(r, site);
    for &lang in &r.index.langs {
        if r.stopping() {
            return;
        }
        feeds_and_search(r, lang, site, diags);
    }
}

/// The open-data tables as CSV and JSON, their datapackage.json and the
/// zip of them all. Each table is built, written and dropped in turn, so
/// that only one table's rows (a quarter of a million updates at national
/// scale) are in memory at once. Returns the tables' shapes (names,
/// columns, row counts) for the open-data page.
pub(crate) fn open_data(
    r: &Renderer,
    site: &mut RenderedSite,
    diags: &mut Diagnostics,
) -> Vec<data::Table<'static>> {
    let s = r.model.site();
    let as_of = r.fig.as_of.to_string();
    let license = s.data_license.as_deref().unwrap_or("");
    let home_url = format!("{}{}", r.origin, r.base);
    // One download: every table as CSV, the data package and a README, in
    // a fixed order with fixed dates, a file at a time. The JSON files hold
    // the same rows and stay beside it: in the zip they would treble its
    // size and the time to make it (README, design notes).
    let mut zip = Some(data::Zip::new(r.fig.as_of));
    let mut zip_error = None;
    let mut add = |zip: &mut Option<data::Zip>, name: &str, bytes: &[u8]| {
        if let Some(z) = zip
            && let Err(e) = z.add(name, bytes)
        {
            zip_error.get_or_insert(e);
            *zip = None;
        }
    };
    let mut shapes = Vec::new();
    let mut datasets = Vec::new();
    let file_url = |route: Route| format!("{home_url}{}", route.path());
    for id in crate::route::Table::ALL {
        // A render no longer needed (`serve`, after a save) stops here.
        if r.stopping() {
            break;
        }
        let table = data::table(r.model, r.fig, &home_url, id);
        let (csv_route, json_route) = (
            Route::TableFile(id, Format::Csv),
            Route::TableFile(id, Format::Json),
        );
        let csv = data::csv(&table);
        add(&mut zip, &data::file_name(&csv_route), &csv);
        let json = data::json(&table, &as_of, license);
        datasets.push(dcat::Dataset {
            id: table.name.to_string(),
            title_vi: table.title_vi.to_string(),
            title_en: table.title_en.to_string(),
            files: vec![
                dcat::Distribution::of(file_url(csv_route.clone()), "csv", &csv),
                dcat::Distribution::of(file_url(json_route.clone()), "json", &json),
            ],
        });
        r.put(site, csv_route.file(), csv);
        r.put(site, json_route.file(), json);
        shapes.push(table.shape());
    }
    let package = data::datapackage(&shapes, &s.title, &as_of, license, &home_url);
    add(&mut zip, &data::file_name(&Route::DataPackage), &package);
    let readme = data::readme(&shapes, &s.title, &as_of, license, &home_url);
    add(&mut zip, "README.md", readme.as_bytes());
    match zip.map(data::Zip::finish) {
        Some(Ok(bytes)) => {
            datasets.push(dcat::Dataset {
                id: "tiendo-du-lieu".to_string(),
                title_vi: "Toàn bộ dữ liệu mở trong một tệp".to_string(),
                title_en: "All the open data in one file".to_string(),
                files: vec![dcat::Distribution::of(
                    file_url(Route::DataZip),
                    "zip",
                    &bytes,
                )],
            });
            r.put(site, Route::DataZip.file(), bytes)
        }
        Some(Err(error)) => diags.error(
            Loc::file(&Arc::from("templates")),
            crate::msg!("render.zip", error),
        ),
        None => diags.error(
            Loc::file(&Arc::from("templates")),
            crate::msg!("render.zip", error = zip_error.unwrap_or_default()),
        ),
    }
    r.put(site, Route::DataPackage.file(), package);
    let catalogue_url = file_url(Route::DataCatalogue);
    let title = s.title.as_str();
    let catalogue = dcat::catalogue(
        &dcat::Catalogue {
            title,
            description: s.description.as_deref().unwrap_or(title),
            publisher: s.owner.as_deref().unwrap_or(title),
            license,
            homepage: &home_url,
            url: &catalogue_url,
            modified: &as_of,
            languages: r.index.langs.iter().map(|l| l.code()).collect(),
        },
        &datasets,
    );
    r.put(site, Route::DataCatalogue.file(), catalogue);
    shapes
}

/// Deadline calendars: the whole plan, each agency (tasks it leads on D),
/// each working group (tasks its agencies lead on D).
fn calendars(r: &Renderer, site: &mut RenderedSite) {
    let (m, fig, s) = (r.model, r.fig, r.model.site());
    let all: Vec<usize> = (0..m.tasks.len()).collect();
    r.put(
        site,
        Route::DeadlinesCalendar.file(),
        feeds::calendar(m, fig, &all, &s.title, &r.origin, &r.base).into_bytes(),
    );
    for a in &m.agencies {
        let led: Vec<usize> = fig
            .agencies
            .get(&a.id)
            .map(|f| f.leads.clone())
            .unwrap_or_default();
        let name = format!("{} · {}", s.title, a.name);
        r.put(
            site,
            Route::AgencyCalendar(&a.id).file(),
            feeds::calendar(m, fig, &led, &name, &r.origin, &r.base).into_bytes(),
        );
    }
    // Each task's own calendar, at its address and at every old one (a
    // subscriber to an old address keeps the same events).
    let vi = r.strings(Lang::Vi);
    let words = (vi.get("calendar_original"), vi.get("calendar_extension"));
    // A task without old addresses keeps its calendar when its input key
    // is the last build's (render::incremental).
    let task_cals: Vec<(usize, Made)> = m
        .tasks
        .par_iter()
        .enumerate()
        .map(|(i, t)| {
            let key = t
                .formerly
                .is_empty()
                .then(|| r.input_key(Lang::Vi, "calendar", [i], []))
                .flatten();
            let path = Route::TaskCalendar(&t.id).file();
            if let Some(kept) = r.kept_file(&path, key) {
                return match kept {
                    Output::Kept(Some(bytes)) => (i, Err(Some(bytes.to_vec()))),
                    _ => (i, Err(None)),
                };
            }
            let name = format!("{} · {}", s.title, t.title);
            let cal = feeds::task_calendar(m, fig, i, &name, words, &r.origin, &r.base);
            r.made_file(&path, key, cal.as_bytes());
            (i, Ok(cal.into_bytes()))
        })
        .collect();
    for (i, cal) in task_cals {
        let t = &m.tasks[i];
        let cal = match cal {
            Ok(cal) => cal,
            // Kept: in the output (`build`), or its bytes (`serve`).
            Err(Some(bytes)) => {
                site.files.insert(Route::TaskCalendar(&t.id).file(), bytes);
                continue;
            }
            Err(None) => {
                site.written.insert(Route::TaskCalendar(&t.id).file());
                continue;
            }
        };
        for (old, _) in &t.formerly {
            r.put(site, Route::TaskCalendar(old).file(), cal.clone());
        }
        r.put(site, Route::TaskCalendar(&t.id).file(), cal);
    }
    for g in &m.groups {
        let tasks: Vec<usize> = fig.group_leads.get(&g.id).cloned().unwrap_or_default();
        let name = format!("{} · {}", s.title, g.name);
        r.put(
            site,
            Route::GroupCalendar(&g.id).file(),
            feeds::calendar(m, fig, &tasks, &name, &r.origin, &r.base).into_bytes(),
        );
    }
}

/// A task's calendar: made (its bytes), or kept from the last build (its
/// bytes in memory for `serve`, else none: the output has it).
type Made = Result<Vec<u8>, Option<Vec<u8>>>;

/// One language's Atom feeds (news, status changes, each agency's changes)
/// and search index.
fn feeds_and_search(r: &Renderer, lang: Lang, site: &mut RenderedSite, diags: &mut Diagnostics) {
    let frame = FeedFrame::new(r, lang);
    let mut rendered = frame.site_feeds();
    rendered.extend(frame.task_feeds());
    for (path, xml, error) in rendered {
        match (xml, error) {
            (_, Some(e)) => diags.error(
                Loc::file(&Arc::from("templates/feed.xml")),
                crate::msg!("render.template", error = template_error(&e)),
            ),
            (Some(xml), None) => {
                site.files.insert(path, xml);
            }
            (None, None) => {
                site.written.insert(path);
            }
        }
    }
    let v = &frame.v;
    let articles = r.index.articles.get(&lang).cloned().unwrap_or_default();
    let pages = r.index.pages.get(&lang).cloned().unwrap_or_default();
    let index = search::search_index(v, &articles, &pages);
    for (path, bytes) in search::search_files(&index) {
        r.put(site, format!("{}{path}", lang.prefix()), bytes);
    }
}

/// A feed rendered: its path, its bytes unless sent on, a template error.
type FeedFile = (String, Option<Vec<u8>>, Option<tera::Error>);

/// What every feed of one language shares: its host and tagging date for
/// ids, its author, the engine when the theme has its own feed template.
struct FeedFrame<'r> {
    r: &'r Renderer<'r>,
    v: crate::render::views::Views<'r>,
    lang: Lang,
    host: String,
    since: crate::date::Date,
    title: &'r str,
    author: String,
    /// The theme's own feed.xml, when it has one (else the built-in
    /// writer, the same bytes without the engine).
    tera: Option<&'r tera::Tera>,
}

impl<'r> FeedFrame<'r> {
    fn new(r: &'r Renderer<'r>, lang: Lang) -> FeedFrame<'r> {
        let s = r.model.site();
        let title = lang.pick(&s.title, s.title_en.as_deref());
        let builtin = feeds::is_builtin_template(
            r.model
                .theme
                .templates
                .iter()
                .find(|(name, _)| name == "feed.xml")
                .map(|(_, source)| source.as_str()),
        );
        FeedFrame {
            r,
            v: r.views(lang),
            lang,
            host: feeds::host(&r.origin),
            since: feeds::tagging_date(r.model),
            title,
            author: s.owner.clone().unwrap_or_else(|| title.to_string()),
            tera: if builtin { None } else { r.tera.get(&lang) },
        }
    }

    fn feed(
        &self,
        id: &str,
        name: String,
        page: Route,
        file: &Route,
        entries: Vec<feeds::Entry>,
    ) -> feeds::Feed {
        let r = self.r;
        feeds::Feed {
            id: feeds::tag(
                &self.host,
                self.since,
                &format!("{}{id}", self.lang.prefix()),
            ),
            title: name,
            url: format!("{}{}", r.origin, self.v.route(&page)),
            self_url: format!("{}{}", r.origin, self.v.route(file)),
            updated: entries
                .iter()
                .map(|e| e.updated.clone())
                .max()
                .unwrap_or_else(|| feeds::timestamp(r.fig.as_of)),
            author: self.author.clone(),
            lang: self.lang.code(),
            entries,
        }
    }

    /// A feed rendered and sent on at once, keeping only its path.
    fn emit(&self, file: String, f: feeds::Feed, key: Option<crate::cache::Short>) -> FeedFile {
        let path = [self.lang.prefix(), &file].concat();
        let xml = match self.tera {
            None => f.to_xml(),
            Some(tera) => {
                let mut ctx = tera::Context::new();
                ctx.insert("feed", &f);
                match tera.render("feed.xml", &ctx) {
                    Ok(xml) => xml.into_bytes(),
                    Err(e) => return (path, None, Some(e)),
                }
            }
        };
        self.r.made_file(&path, key, &xml);
        match self.r.sink {
            Some(sink) => {
                sink(&path, &xml);
                (path, None, None)
            }
            None => (path, Some(xml), None),
        }
    }

    /// The news, the status changes, each agency's and each KPI's feed.
    fn site_feeds(&self) -> Vec<FeedFile> {
        let (r, v, m, fig) = (self.r, &self.v, self.r.model, self.r.fig);
        let events = &fig.events;
        // Feeds carry the latest entries (events and articles come newest
        // first); the whole history is in the open data.
        let latest = &events[..events.len().min(feeds::FEED_ENTRIES)];
        let articles = r
            .index
            .articles
            .get(&self.lang)
            .map_or(&[][..], Vec::as_slice);
        let news: Vec<feeds::Entry> = articles
            .iter()
            .take(feeds::FEED_ENTRIES)
            .map(|&i| {
                let a = &m.articles[i];
                feeds::Entry {
                    id: feeds::tag(&self.host, self.since, &format!("news/{}", a.slug)),
                    title: a.title.clone(),
                    url: format!("{}{}", r.origin, v.route(&Route::Article(&a.slug))),
                    updated: feeds::timestamp(a.date),
                    summary: a.summary.clone().unwrap_or_default(),
                }
            })
            .collect();
        let title = self.title;
        let mut out = vec![
            (
                Route::NewsFeed.file(),
                self.feed(
                    "news",
                    format!("{} · {}", title, v.t.get("news_title")),
                    Route::News(0),
                    &Route::NewsFeed,
                    news,
                ),
            ),
            (
                Route::ChangesFeed.file(),
                self.feed(
                    "changes",
                    format!("{} · {}", title, v.t.get("feed_changes")),
                    Route::Reports,
                    &Route::ChangesFeed,
                    feeds::event_entries(v, &r.origin, latest),
                ),
            ),
        ];
        for a in &m.agencies {
            let mine: Vec<crate::status::Event> = r
                .index
                .agency_events
                .get(a.id.as_str())
                .map_or(&[][..], Vec::as_slice)
                .iter()
                .take(feeds::FEED_ENTRIES)
                .map(|&k| events[k].clone())
                .collect();
            let file = Route::AgencyFeed(&a.id);
            let name = format!("{} · {}", v.agency_name(a), v.t.get("feed_changes"));
            let entries = feeds::event_entries(v, &r.origin, &mine);
            let f = self.feed(
                &format!("changes/{}", a.id),
                name,
                Route::Agency(&a.id),
                &file,
                entries,
            );
            out.push((file.file(), f));
        }
        for (k, kpi) in m.kpis.iter().enumerate() {
            let file = Route::KpiFeed(&kpi.id);
            let name = format!("{} · {}", v.kpi_name(kpi), v.t.get("kpi_feed"));
            let entries = feeds::kpi_entries(v, &r.origin, k);
            let f = self.feed(
                &format!("kpi/{}", kpi.id),
                name,
                Route::Kpi(&kpi.id),
                &file,
                entries,
            );
            out.push((file.file(), f));
        }
        // Each feed sent on as it is rendered, keeping only its path.
        out.into_par_iter()
            .map(|(file, f)| self.emit(file, f, None))
            .collect()
    }

    /// One feed per task (and per old id): built in parallel, since a
    /// national portal has tens of thousands.
    fn task_feeds(&self) -> Vec<FeedFile> {
        let (r, v, m) = (self.r, &self.v, self.r.model);
        let events = &r.fig.events;
        m.tasks
            .par_iter()
            .enumerate()
            .flat_map_iter(|(i, t)| {
                let file = Route::TaskFeed(&t.id);
                // A task without old addresses keeps its feed when its
                // input key is the last build's (render::incremental).
                let path = [self.lang.prefix(), &file.file()].concat();
                let key = t
                    .formerly
                    .is_empty()
                    .then(|| r.input_key(self.lang, "feed", [i], []))
                    .flatten();
                if let Some(kept) = r.kept_file(&path, key) {
                    let bytes = match kept {
                        Output::Kept(Some(b)) => Some(b.to_vec()),
                        _ => None,
                    };
                    return vec![(path, bytes, None)].into_iter();
                }
                let name = format!("{} · {}", v.task_title(t), v.t.get("task_feed"));
                let mine: Vec<crate::status::Event> = r.index.task_events[i]
                    .iter()
                    .map(|&k| events[k].clone())
                    .collect();
                let entries = feeds::task_entries(v, &r.origin, i, &mine);
                let mut out = Vec::with_capacity(1 + t.formerly.len());
                for (old, _) in &t.formerly {
                    // The old address: where the task went, then its entries.
                    let mut moved = vec![feeds::Entry {
                        id: feeds::tag(&self.host, self.since, &format!("moved/{old}/{}", t.id)),
                        title: v.t.get("feed_moved").to_string(),
                        url: format!("{}{}", r.origin, v.task_url(&t.id)),
                        updated: feeds::timestamp(r.fig.as_of),
                        summary: format!("{}{}", r.origin, v.task_url(&t.id)),
                    }];
                    moved.extend(entries.iter().cloned());
                    let old_file = Route::TaskFeed(old);
                    let f = self.feed(
                        &format!("task/{old}"),
                        name.clone(),
                        Route::Task(&t.id),
                        &old_file,
                        moved,
                    );
                    out.push((old_file.file(), f));
                }
                let f = self.feed(
                    &format!("task/{}", t.id),
                    name,
                    Route::Task(&t.id),
                    &file,
                    entries,
                );
                out.push((file.file(), f));
                out.into_iter()
                    .map(|(file, f)| self.emit(file, f, key))
                    .collect::<Vec<_>>()
                    .into_iter()
            })
            .collect()
    }
}

/// The published address of a file of the site: a page as its folder
/// (`/nhiem-vu/x/`), any other file as itself (`/atom.xml`).
pub fn published_path(file: &str) -> String {
    format!("/{}", file.strip_suffix("index.html").unwrap_or(file))
}

/// `du-lieu/duong-dan.txt`: every published path (the site's files, the
/// static files and the list itself), sorted, one a line, relative to the
/// site's base path so that lists compare across hosts.
pub(crate) fn path_list(site: &mut RenderedSite, static_files: &[crate::load::StaticFile]) {
    let own = Route::PathList.file();
    let mut paths: std::collections::BTreeSet<String> = site
        .paths()
        .map(String::as_str)
        .chain(static_files.iter().map(|f| f.url_path.as_str()))
        .chain(std::iter::once(own.as_str()))
        .map(published_path)
        .collect();
    paths.remove("");
    let mut text = String::new();
    for p in paths {
        text.push_str(&p);
        text.push('\n');
    }
    site.files.insert(own, text.into_bytes());
}

/// sitemap.xml (every page of the site, so made last) and robots.txt.
/// The sitemap lists the pages it is given (`listed`, typed routes) that
/// the site holds, by their routes' addresses, in the order of their files.
pub(crate) fn sitemap(r: &Renderer, site: &mut RenderedSite, listed: &[Localized]) {
    let pages: std::collections::BTreeMap<String, String> = listed
        .iter()
        .filter(|page| page.route.is_page())
        .map(|page| (page.file(), page.url(&r.origin, &r.base)))
        .filter(|(file, _)| site.has(file))
        .collect();
    let sitemap = feeds::sitemap(pages.values().map(String::as_str), r.fig.as_of);
    r.put(site, Route::Sitemap.file(), sitemap.into_bytes());
    r.put(
        site,
        Route::Robots.file(),
        feeds::robots(&r.origin, &r.base).into_bytes(),
    );
}
