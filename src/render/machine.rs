//! Part of render: the machine-readable files. Input: the renderer (model,
//! figures, open-data tables). Output: open data (CSV, JSON,
//! datapackage.json), calendars, Atom feeds, the search index, sitemap.xml
//! and robots.txt, added to the rendered site; paths from the route table.

use super::i18n::Lang;
use super::{RenderedSite, Renderer, data, feeds, search, template_error};
use crate::diag::{Diagnostics, Loc};
use crate::route::Route;
use rayon::prelude::*;
use std::sync::Arc;

/// Feeds, calendars and the search index: what needs no page of the site
/// (the sitemap, which lists them, comes once the pages are made).
pub(super) fn machine_files(r: &Renderer, site: &mut RenderedSite, diags: &mut Diagnostics) {
    calendars(r, site);
    for &lang in &r.index.langs {
        feeds_and_search(r, lang, site, diags);
    }
}

/// The open-data tables as CSV and JSON, their datapackage.json and the
/// zip of them all. Each table is built, written and dropped in turn, so
/// that only one table's rows (a quarter of a million updates at national
/// scale) are in memory at once. Returns the tables' shapes (names,
/// columns, row counts) for the open-data page.
pub(super) fn open_data(
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
    for name in data::TABLE_NAMES {
        let Some(table) = data::table(r.model, r.fig, &home_url, name) else {
            continue;
        };
        let csv_name = format!("{}.csv", table.name);
        let csv = data::csv(&table);
        add(&mut zip, &csv_name, &csv);
        r.put(site, Route::DataFile(&csv_name).file(), csv);
        let json_name = format!("{}.json", table.name);
        let json = data::json(&table, &as_of, license);
        r.put(site, Route::DataFile(&json_name).file(), json);
        shapes.push(table.shape());
    }
    let package = data::datapackage(&shapes, &s.title, &as_of, license, &home_url);
    add(&mut zip, "datapackage.json", &package);
    let readme = data::readme(&shapes, &s.title, &as_of, license, &home_url);
    add(&mut zip, "README.md", readme.as_bytes());
    match zip.map(data::Zip::finish) {
        Some(Ok(bytes)) => r.put(site, Route::DataFile(crate::route::DATA_ZIP).file(), bytes),
        Some(Err(error)) => diags.error(
            Loc::file(&Arc::from("templates")),
            crate::msg!("render.zip", error),
        ),
        None => diags.error(
            Loc::file(&Arc::from("templates")),
            crate::msg!("render.zip", error = zip_error.unwrap_or_default()),
        ),
    }
    r.put(site, Route::DataFile("datapackage.json").file(), package);
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
    let task_cals: Vec<(usize, Vec<u8>)> = m
        .tasks
        .par_iter()
        .enumerate()
        .map(|(i, t)| {
            let name = format!("{} · {}", s.title, t.title);
            let cal = feeds::task_calendar(m, fig, i, &name, words, &r.origin, &r.base);
            (i, cal.into_bytes())
        })
        .collect();
    for (i, cal) in task_cals {
        let t = &m.tasks[i];
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

/// One language's Atom feeds (news, status changes, each agency's changes)
/// and search index.
fn feeds_and_search(r: &Renderer, lang: Lang, site: &mut RenderedSite, diags: &mut Diagnostics) {
    let (m, fig, s) = (r.model, r.fig, r.model.site());
    let events = &fig.events;
    // Feeds carry the latest entries (events and articles come newest
    // first); the whole history is in the open data.
    let latest = &events[..events.len().min(feeds::FEED_ENTRIES)];
    let host = feeds::host(&r.origin);
    let since = feeds::tagging_date(r.model);
    let v = r.views(lang);
    let title = lang.pick(&s.title, s.title_en.as_deref());
    let author = s.owner.clone().unwrap_or_else(|| title.to_string());
    let feed = |id: &str, name: String, page: Route, file: &Route, entries: Vec<feeds::Entry>| {
        feeds::Feed {
            id: feeds::tag(&host, since, &format!("{}{id}", lang.prefix())),
            title: name,
            url: format!("{}{}", r.origin, v.route(&page)),
            self_url: format!("{}{}", r.origin, v.route(file)),
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
    let articles = r.index.articles.get(&lang).cloned().unwrap_or_default();
    let news: Vec<feeds::Entry> = articles
        .iter()
        .take(feeds::FEED_ENTRIES)
        .map(|&i| {
            let a = &m.articles[i];
            feeds::Entry {
                id: feeds::tag(&host, since, &format!("news/{}", a.slug)),
                title: a.title.clone(),
                url: format!("{}{}", r.origin, v.route(&Route::Article(&a.slug))),
                updated: feeds::timestamp(a.date),
                summary: a.summary.clone().unwrap_or_default(),
            }
        })
        .collect();
    let mut feeds_out = vec![
        (
            Route::NewsFeed.file(),
            feed(
                "news",
                format!("{} · {}", title, v.t.get("news_title")),
                Route::News(0),
                &Route::NewsFeed,
                news,
            ),
        ),
        (
            Route::ChangesFeed.file(),
            feed(
                "changes",
                format!("{} · {}", title, v.t.get("feed_changes")),
                Route::Reports,
                &Route::ChangesFeed,
                feeds::event_entries(&v, &r.origin, latest),
            ),
        ),
    ];
    for a in &m.agencies {
        let mine: Vec<crate::status::Event> = events
            .iter()
            .filter(|e| e.agency.as_deref() == Some(a.id.as_str()))
            .take(feeds::FEED_ENTRIES)
            .cloned()
            .collect();
        let file = Route::AgencyFeed(&a.id);
        let name = format!("{} · {}", v.agency_name(a), v.t.get("feed_changes"));
        feeds_out.push((
            file.file(),
            feed(
                &format!("changes/{}", a.id),
                name,
                Route::Agency(&a.id),
                &file,
                feeds::event_entries(&v, &r.origin, &mine),
            ),
        ));
    }
    let Some(tera) = r.tera.get(&lang) else {
        return;
    };
    // The built-in feed.xml is written without the engine (the same bytes).
    let builtin = feeds::is_builtin_template(
        m.theme
            .templates
            .iter()
            .find(|(name, _)| name == "feed.xml")
            .map(|(_, source)| source.as_str()),
    );
    // A feed rendered and sent on at once, keeping only its path.
    let emit = |file: String, f: feeds::Feed| -> (String, Option<Vec<u8>>, Option<tera::Error>) {
        let path = [lang.prefix(), &file].concat();
        let xml = if builtin {
            f.to_xml()
        } else {
            let mut ctx = tera::Context::new();
            ctx.insert("feed", &f);
            match tera.render("feed.xml", &ctx) {
                Ok(xml) => xml.into_bytes(),
                Err(e) => return (path, None, Some(e)),
            }
        };
        match r.sink {
            Some(sink) => {
                sink(&path, &xml);
                (path, None, None)
            }
            None => (path, Some(xml), None),
        }
    };
    // One feed per task (and per old id): built in parallel, since a
    // national portal has tens of thousands.
    let mut events_of: Vec<Vec<crate::status::Event>> = vec![Vec::new(); m.tasks.len()];
    for e in events {
        if let Some(list) = e.task.and_then(|i| events_of.get_mut(i)) {
            list.push(e.clone());
        }
    }
    let task_feeds: Vec<(String, Option<Vec<u8>>, Option<tera::Error>)> = m
        .tasks
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, t)| {
            let file = Route::TaskFeed(&t.id);
            let name = format!("{} · {}", v.task_title(t), v.t.get("task_feed"));
            let entries = feeds::task_entries(&v, &r.origin, i, &events_of[i]);
            let mut out = Vec::with_capacity(1 + t.formerly.len());
            for (old, _) in &t.formerly {
                // The old address: where the task went, then its entries.
                let mut moved = vec![feeds::Entry {
                    id: feeds::tag(
                        &host,
                        feeds::tagging_date(r.model),
                        &format!("moved/{old}/{}", t.id),
                    ),
                    title: v.t.get("feed_moved").to_string(),
                    url: format!("{}{}", r.origin, v.task_url(&t.id)),
                    updated: feeds::timestamp(fig.as_of),
                    summary: format!("{}{}", r.origin, v.task_url(&t.id)),
                }];
                moved.extend(entries.iter().cloned());
                let old_file = Route::TaskFeed(old);
                out.push((
                    old_file.file(),
                    feed(
                        &format!("task/{old}"),
                        name.clone(),
                        Route::Task(&t.id),
                        &old_file,
                        moved,
                    ),
                ));
            }
            out.push((
                file.file(),
                feed(
                    &format!("task/{}", t.id),
                    name,
                    Route::Task(&t.id),
                    &file,
                    entries,
                ),
            ));
            out.into_iter().map(|(file, f)| emit(file, f))
        })
        .collect();
    for (k, kpi) in m.kpis.iter().enumerate() {
        let file = Route::KpiFeed(&kpi.id);
        let name = format!("{} · {}", v.kpi_name(kpi), v.t.get("kpi_feed"));
        feeds_out.push((
            file.file(),
            feed(
                &format!("kpi/{}", kpi.id),
                name,
                Route::Kpi(&kpi.id),
                &file,
                feeds::kpi_entries(&v, &r.origin, k),
            ),
        ));
    }
    // Each feed sent on as it is rendered (tens of thousands at national
    // scale), keeping only its path.
    let mut rendered: Vec<(String, Option<Vec<u8>>, Option<tera::Error>)> = feeds_out
        .into_par_iter()
        .map(|(file, f)| emit(file, f))
        .collect();
    rendered.extend(task_feeds);
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
    let pages = r.index.pages.get(&lang).cloned().unwrap_or_default();
    let index = search::search_index(&v, &articles, &pages);
    let dir = Route::SearchIndex.file();
    let dir = dir.rsplit_once('/').map_or("", |(d, _)| d);
    for (file, bytes) in search::search_files(&index) {
        r.put(site, format!("{}{dir}/{file}", lang.prefix()), bytes);
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
pub(super) fn path_list(site: &mut RenderedSite, static_files: &[crate::load::StaticFile]) {
    let own = Route::DataFile(crate::route::PATH_LIST).file();
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
pub(super) fn sitemap(r: &Renderer, site: &mut RenderedSite) {
    let html: Vec<&String> = site.paths().filter(|p| p.ends_with("index.html")).collect();
    let sitemap = feeds::sitemap(html.into_iter(), &r.origin, &r.base, r.fig.as_of);
    r.put(site, Route::Sitemap.file(), sitemap.into_bytes());
    r.put(
        site,
        Route::Robots.file(),
        feeds::robots(&r.origin, &r.base).into_bytes(),
    );
}
