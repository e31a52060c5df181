//! Part of render, the pages about the machine-readable files: open data
//! (`/du-lieu/`) and search (`/tim-kiem/`). Input: the renderer. Output: the
//! pages' HTML.

use super::*;

/// The open-data page, made with its tables by render's machine side
/// ([`open_data`]).
pub(crate) static DATA: PageKind = PageKind {
    template: "data.html",
    jobs: |_, _| vec![Key::One],
    route: |_, _| Route::Data,
    render: |_, _, _, _| None,
    source: from_templates,
    deferred: true,
    sitemap: true,
    share: None,
};

/// The search page.
pub(super) static SEARCH: PageKind = PageKind {
    template: "search.html",
    jobs: |_, _| vec![Key::One],
    route: |_, _| Route::Search,
    render: search,
    source: from_templates,
    deferred: false,
    sitemap: true,
    share: None,
};

/// The open-data page, from the tables as written (their row counts).
pub(in crate::render) fn open_data(
    r: &Renderer,
    lang: Lang,
    job: &Job,
    tables: &[crate::render::data::Table<'static>],
    d: &mut Diagnostics,
) -> Option<Output> {
    #[derive(Serialize)]
    struct ColumnView {
        name: &'static str,
        kind: &'static str,
        meaning: &'static str,
    }
    #[derive(Serialize)]
    struct TableView {
        name: &'static str,
        title: &'static str,
        rows: usize,
        csv: String,
        json: String,
        columns: Vec<ColumnView>,
    }
    #[derive(Serialize)]
    struct Page<'a> {
        #[serde(flatten)]
        common: Common<'a>,
        tables: Vec<TableView>,
        datapackage: String,
        /// The DCAT-AP catalogue, for harvesters.
        dcat: String,
        ics: String,
        feed: String,
        zip: String,
        paths: String,
        archive: String,
    }
    let v = r.views(lang);
    let root = &r.base;
    let ctx = Page {
        common: r.common(
            lang,
            job,
            "data",
            v.t.get("data_title").to_string(),
            v.t.get("data_description").to_string(),
        ),
        tables: tables
            .iter()
            .map(|t| TableView {
                name: t.name,
                title: match lang {
                    Lang::Vi => t.title_vi,
                    Lang::En => t.title_en,
                },
                rows: t.row_count(),
                csv: format!(
                    "{root}{}",
                    Route::TableFile(t.id, crate::route::Format::Csv).path()
                ),
                json: format!(
                    "{root}{}",
                    Route::TableFile(t.id, crate::route::Format::Json).path()
                ),
                columns: t
                    .columns
                    .iter()
                    .map(|c| ColumnView {
                        name: c.name,
                        kind: c.kind,
                        meaning: match lang {
                            Lang::Vi => c.vi,
                            Lang::En => c.en,
                        },
                    })
                    .collect(),
            })
            .collect(),
        datapackage: format!("{root}{}", Route::DataPackage.path()),
        dcat: format!("{root}{}", Route::DataCatalogue.path()),
        ics: format!("{root}{}", Route::DeadlinesCalendar.path()),
        feed: v.route(&Route::ChangesFeed),
        zip: format!("{root}{}", Route::DataZip.path()),
        paths: format!("{root}{}", Route::PathList.path()),
        archive: v.route(&Route::Archive),
    };
    r.render_page(lang, job, &ctx, d)
}

pub(super) fn search(r: &Renderer, lang: Lang, job: &Job, d: &mut Diagnostics) -> Option<Output> {
    #[derive(Serialize)]
    struct Page<'a> {
        #[serde(flatten)]
        common: Common<'a>,
        index: String,
    }
    let v = r.views(lang);
    let ctx = Page {
        common: r.common(
            lang,
            job,
            "search",
            v.t.get("search_title").to_string(),
            v.t.get("search_description").to_string(),
        ),
        index: v.route(&Route::SearchIndex),
    };
    r.render_page(lang, job, &ctx, d)
}
