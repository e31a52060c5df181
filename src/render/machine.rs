//! Part of render: the machine-readable files. Input: the renderer (model,
//! figures, open-data tables). Output: open data (CSV, JSON,
//! datapackage.json), calendars, Atom feeds, the search index, sitemap.xml
//! and robots.txt, added to the rendered site; paths from the route table.

use super::i18n::Lang;
use super::{RenderedSite, Renderer, data, feeds, search, template_error};
use crate::diag::{Diagnostics, Loc};
use crate::route::Route;
use std::sync::Arc;

/// Open data, feeds, calendars, the search index, sitemap and robots.txt.
pub(super) fn machine_files(r: &Renderer, site: &mut RenderedSite, diags: &mut Diagnostics) {
    open_data(r, site);
    calendars(r, site);
    for &lang in &r.langs {
        feeds_and_search(r, lang, site, diags);
    }
    sitemap(r, site);
}

/// The open-data tables as CSV and JSON, and their datapackage.json.
fn open_data(r: &Renderer, site: &mut RenderedSite) {
    let s = r.model.site();
    let as_of = r.fig.as_of.to_string();
    let license = s.data_license.as_deref().unwrap_or("");
    for table in &r.tables {
        let csv = format!("{}.csv", table.name);
        let json = format!("{}.json", table.name);
        site.files
            .insert(Route::DataFile(&csv).file(), data::csv(table));
        site.files.insert(
            Route::DataFile(&json).file(),
            data::json(table, &as_of, license),
        );
    }
    let home_url = format!("{}{}", r.origin, r.base);
    site.files.insert(
        Route::DataFile("datapackage.json").file(),
        data::datapackage(&r.tables, &s.title, &as_of, license, &home_url),
    );
}

/// Deadline calendars: the whole plan, each agency (tasks it leads on D),
/// each working group (tasks its agencies lead on D).
fn calendars(r: &Renderer, site: &mut RenderedSite) {
    let (m, fig, s) = (r.model, r.fig, r.model.site());
    let all: Vec<usize> = (0..m.tasks.len()).collect();
    site.files.insert(
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
        site.files.insert(
            Route::AgencyCalendar(&a.id).file(),
            feeds::calendar(m, fig, &led, &name, &r.origin, &r.base).into_bytes(),
        );
    }
    for g in &m.groups {
        let tasks: Vec<usize> = fig.group_leads.get(&g.id).cloned().unwrap_or_default();
        let name = format!("{} · {}", s.title, g.name);
        site.files.insert(
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
    let v = r.views(lang);
    let title = lang.pick(&s.title, s.title_en.as_deref());
    let author = s.owner.clone().unwrap_or_else(|| title.to_string());
    let feed = |id: &str, name: String, page: Route, file: &Route, entries: Vec<feeds::Entry>| {
        feeds::Feed {
            id: feeds::tag(&host, &format!("{}{id}", lang.prefix())),
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
    let articles = r.articles.get(&lang).cloned().unwrap_or_default();
    let news: Vec<feeds::Entry> = articles
        .iter()
        .take(feeds::FEED_ENTRIES)
        .map(|&i| {
            let a = &m.articles[i];
            feeds::Entry {
                id: feeds::tag(&host, &format!("news/{}", a.slug)),
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
    for (file, f) in feeds_out {
        let mut ctx = tera::Context::new();
        ctx.insert("feed", &f);
        let Some(tera) = r.tera.get(&lang) else {
            return;
        };
        match tera.render("feed.xml", &ctx) {
            Ok(xml) => {
                site.files
                    .insert(format!("{}{file}", lang.prefix()), xml.into_bytes());
            }
            Err(e) => diags.error(
                Loc::file(&Arc::from("templates/feed.xml")),
                crate::msg!("render.template", error = template_error(&e)),
            ),
        }
    }
    let pages = r.pages.get(&lang).cloned().unwrap_or_default();
    let index = search::search_index(&v, &articles, &pages);
    let dir = Route::SearchIndex.file();
    let dir = dir.rsplit_once('/').map_or("", |(d, _)| d);
    for (file, bytes) in search::search_files(&index) {
        site.files
            .insert(format!("{}{dir}/{file}", lang.prefix()), bytes);
    }
}

/// sitemap.xml (every HTML page) and robots.txt.
fn sitemap(r: &Renderer, site: &mut RenderedSite) {
    let html: Vec<&String> = site.paths().filter(|p| p.ends_with("index.html")).collect();
    let sitemap = feeds::sitemap(html.into_iter(), &r.origin, &r.base, r.fig.as_of);
    site.files
        .insert(Route::Sitemap.file(), sitemap.into_bytes());
    site.files.insert(
        Route::Robots.file(),
        feeds::robots(&r.origin, &r.base).into_bytes(),
    );
}
