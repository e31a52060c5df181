//! Part of render: one file of the site at a time, when it is asked for
//! (`serve`). Input: the model, its figures, the site index and the
//! archive, as for a whole render. Output: the bytes of the file at a
//! path, the very bytes a whole render makes there, or word that the path
//! is made only with the whole site.
//!
//! It decides nothing: it lists the same jobs as [`super::render`] (the
//! registry, [`super::pages::KINDS`]) and calls the same page builders,
//! charts and share cards, so that a page made alone and a page of a full
//! build cannot differ. What needs the whole site stays with the whole
//! render: the open data and its page, feeds, calendars, the search index,
//! the sitemap and path list, the archive's months and index (they need
//! every month's figures), and the link check.

use super::i18n::Lang;
use super::{Job, Output, RenderOptions, Renderer, share};
use crate::diag::Diagnostics;
use crate::index::SiteIndex;
use crate::model::Model;
use crate::route::Route;
use crate::status::{Archive, Figures};
use std::collections::HashMap;

/// What a path of the site is, as far as rendering it alone goes.
#[derive(Clone)]
enum Made {
    /// A page of a job of the registry.
    Page(Lang, Job),
    /// The share image of a page.
    Image(Lang, Job),
    /// A chart's SVG or its data, by language and chart path.
    Chart(Lang, String, bool),
    /// A theme asset, by name.
    Asset(usize),
    /// A page that only the whole render makes (the archive, open data).
    Whole,
}

/// The answer for one path.
#[derive(Debug)]
pub enum File {
    /// The file's bytes, and what rendering it reported (a template error).
    Bytes(Vec<u8>, Diagnostics),
    /// The path is not a page, an image, a chart or an asset: if the site
    /// has it, only the whole render makes it.
    Whole,
    /// No page of the site is there (an HTML path no job makes).
    Missing,
}

/// The site's files as they are made one at a time: the renderer of a
/// whole render and every path it would make a page, chart, image or
/// asset at.
pub struct OnDemand<'a> {
    r: Renderer<'a>,
    paths: HashMap<String, Made>,
}

impl<'a> OnDemand<'a> {
    /// Everything but the files: the template engines, the charts and
    /// the paths. `None` (with an error in `diags`) when the templates or
    /// the base URL are unusable, as a whole render would say.
    /// Laps `charts` (the engines and every chart) and `routes` (the
    /// paths) on `clock`.
    pub(crate) fn new(
        model: &'a Model,
        figures: &'a Figures<'a>,
        index: &'a SiteIndex<'a>,
        archive: &'a Archive<'a>,
        options: &RenderOptions,
        clock: &mut crate::clock::Clock,
        diags: &mut Diagnostics,
    ) -> Option<OnDemand<'a>> {
        let mut r = super::renderer(model, figures, index, options, diags)?;
        r.archive = Some(archive);
        clock.lap("charts");
        let mut paths = HashMap::new();
        for (i, (name, _)) in model.theme.assets.iter().enumerate() {
            paths.insert(Route::Asset(name).file(), Made::Asset(i));
        }
        for ((lang, path), files) in &r.charts {
            let data = format!("{}{}", lang.prefix(), files.data_path);
            paths.insert(data, Made::Chart(*lang, path.clone(), true));
            let svg = format!("{}{path}", lang.prefix());
            paths.insert(svg, Made::Chart(*lang, path.clone(), false));
        }
        for (lang, job) in super::pages::jobs(&r) {
            if let Some(image) = share::image_path(&r, lang, &job) {
                paths.insert(image, Made::Image(lang, job.clone()));
            }
            let path = format!("{}{}", lang.prefix(), job.file(r.places()));
            let made = if job.kind.deferred {
                Made::Whole
            } else {
                Made::Page(lang, job)
            };
            paths.insert(path, made);
        }
        clock.lap("routes");
        Some(OnDemand { r, paths })
    }

    /// How many HTML pages the site has.
    pub fn pages(&self) -> usize {
        self.paths.keys().filter(|p| p.ends_with(".html")).count()
    }

    /// Whether a page, image, chart or asset is at `path` (relative to
    /// the output folder, no leading slash).
    pub fn has(&self, path: &str) -> bool {
        self.paths.contains_key(path)
    }

    /// Whether the file at `path` is made here (not only by the whole
    /// render).
    pub fn makes(&self, path: &str) -> bool {
        self.paths
            .get(path)
            .is_some_and(|m| !matches!(m, Made::Whole))
    }

    /// The file at `path`, made now.
    pub fn file(&self, path: &str) -> File {
        let r = &self.r;
        let Some(made) = self.paths.get(path) else {
            return if path.ends_with(".html") {
                File::Missing
            } else {
                File::Whole
            };
        };
        let mut d = Diagnostics::new();
        let bytes = match made {
            Made::Page(lang, job) => match (job.kind.render)(r, *lang, job, &mut d) {
                Some(Output::Bytes(bytes)) => bytes,
                Some(Output::Kept(Some(bytes))) => bytes.to_vec(),
                // A page that failed says why in `d`.
                _ => Vec::new(),
            },
            Made::Image(lang, job) => match share::card(r, *lang, job) {
                Some(card) => share::png(&card),
                None => return File::Missing,
            },
            Made::Chart(lang, chart, data) => match r.charts.get(&(*lang, chart.clone())) {
                Some(files) if *data => files.data.clone(),
                Some(files) => files.chart.svg.clone().into_bytes(),
                None => return File::Missing,
            },
            Made::Asset(i) => match r.model.theme.assets.get(*i) {
                Some((_, bytes)) => bytes.clone(),
                None => return File::Missing,
            },
            Made::Whole => return File::Whole,
        };
        File::Bytes(bytes, d)
    }
}
