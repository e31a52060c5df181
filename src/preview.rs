//! The preview's pipeline (`tiendo serve`): the same stages as
//! [`crate::build`] up to render, nothing written. [`preview_load`] loads
//! and checks the content with the last save's cache, [`preview_live`]
//! computes status and the index and hands out a renderer of single pages
//! ([`Live`]), and [`Live::complete`] makes the whole site when there is
//! time.

use crate::clock::Clock;
use crate::diag::{Diagnostic, Diagnostics};
use crate::summary::progress_warnings;
use crate::{Failure, Lang, Options, Timings, as_of, load_model, message_lang};
use crate::{cache, index, load, model, render, status, verify};

/// A site built in memory by [`preview`].
#[derive(Debug)]
pub struct Preview {
    pub site: render::RenderedSite,
    /// Files copied as they are (the site's `static/`), read from disk when asked for.
    pub static_files: Vec<load::StaticFile>,
    /// Warnings.
    pub diagnostics: Vec<Diagnostic>,
    /// The language to print them in.
    pub lang: Lang,
    pub timings: Timings,
}

/// `tiendo serve`'s build: every stage but output, so nothing is written.
pub fn preview(opts: &Options) -> Result<Preview, Failure> {
    preview_with(opts, &render::share::Memo::default())
}

/// [`preview`], taking the share images whose key is unchanged from
/// `memo` (the previous preview's) and leaving this build's there: the
/// whole site at once, as [`Live::complete`] makes it.
pub fn preview_with(opts: &Options, memo: &render::share::Memo) -> Result<Preview, Failure> {
    let loaded = preview_load(opts, None)?;
    let stop = std::sync::atomic::AtomicBool::new(false);
    // Never set: the site is made whole.
    preview_live(opts, &loaded, |live| {
        live?
            .complete(Some(memo), &stop)?
            .ok_or(Failure::Interrupted(0))
    })
}

/// A preview's content, loaded and modelled without errors: what
/// [`preview_live`] computes the figures of.
pub struct Loaded {
    model: model::Model,
    /// Warnings of load and model.
    diags: Diagnostics,
    pub lang: Lang,
    pub timings: Timings,
    /// What this load parsed, for the next one's cache; `None` without a
    /// cache key (see [`cache::key`]) or once taken.
    recorder: std::sync::Mutex<Option<cache::Recorder>>,
    key: Option<String>,
}

/// Load and model for a preview: files whose bytes are those of `last`'s
/// (the previous load's cache, see [`Loaded::next_cache`]) are not parsed
/// again. Content errors fail ([`Failure::Content`]).
pub fn preview_load(opts: &Options, last: Option<&cache::Cache>) -> Result<Loaded, Failure> {
    let mut clock = Clock::new();
    let mut diags = Diagnostics::new();
    let key = cache::key(opts);
    let empty = cache::Cache::default();
    let old = match (last, &key) {
        (Some(last), Some(_)) => last,
        _ => &empty,
    };
    let session = cache::Session::new(old);
    let m = load_model(opts, &mut clock, Some(&session), &mut diags)?;
    let lang = message_lang(opts, &m);
    if diags.has_errors() {
        return Err(Failure::Content(diags.sorted(), lang));
    }
    Ok(Loaded {
        model: m,
        diags,
        lang,
        timings: clock.timings,
        recorder: std::sync::Mutex::new(key.is_some().then_some(session.new)),
        key,
    })
}

impl Loaded {
    /// The cache the next [`preview_load`] reads: this load's parses.
    /// `last` must be the cache this load was given.
    pub fn next_cache(&self, last: Option<&cache::Cache>) -> Option<cache::Cache> {
        let key = self.key.as_ref()?;
        let recorder = self
            .recorder
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()?;
        let empty = cache::Cache::default();
        let old = last.unwrap_or(&empty);
        cache::Cache::decode(recorder.encode(old, key, None), key)
    }

    /// Files copied as they are (the site's `static/`).
    pub fn static_files(&self) -> &[load::StaticFile] {
        &self.model.static_files
    }
}

/// A preview ready to show: the figures and the site index computed, and
/// the renderer that makes any file of the site when it is asked for
/// ([`render::on_demand`]); [`Live::complete`] makes the whole site (the
/// machine files, the archive, the link check).
pub struct Live<'a> {
    pub files: render::on_demand::OnDemand<'a>,
    model: &'a model::Model,
    fig: &'a status::Figures<'a>,
    index: &'a index::SiteIndex<'a>,
    archive: &'a status::Archive<'a>,
    options: render::RenderOptions,
    /// Warnings of load, model and status.
    diags: Diagnostics,
    pub lang: Lang,
    /// Status, index, the renderer's setup (engines and charts) and the
    /// paths of the files it makes.
    pub timings: Timings,
}

/// Status, index and the on-demand renderer of `loaded`, handed to `f`
/// (they borrow the model and one another, so they live for the call):
/// `Err` when the templates or the base URL are unusable.
pub fn preview_live<R>(
    opts: &Options,
    loaded: &Loaded,
    f: impl FnOnce(Result<Live<'_>, Failure>) -> R,
) -> R {
    let mut clock = Clock::new();
    let m = &loaded.model;
    let mut diags = loaded.diags.clone();
    let prepared = status::Prepared::new(m);
    let fig = prepared.figures(as_of(opts, m));
    clock.lap("status");
    progress_warnings(m, &fig, &mut diags);
    let index = index::SiteIndex::build(m, &fig);
    clock.lap("index");
    let archive = status::Archive::new(&prepared, m, fig.as_of);
    let options = render::RenderOptions {
        base_url: opts.base_url.clone(),
    };
    let files = render::on_demand::OnDemand::new(
        m, &fig, &index, &archive, &options, &mut clock, &mut diags,
    );
    match files {
        Some(files) if !diags.has_errors() => f(Ok(Live {
            files,
            model: m,
            fig: &fig,
            index: &index,
            archive: &archive,
            options,
            diags,
            lang: loaded.lang,
            timings: clock.timings,
        })),
        _ => f(Err(Failure::Content(diags.sorted(), loaded.lang))),
    }
}

impl Live<'_> {
    /// The file of the site's `static/` served at `url_path`, if any.
    pub fn static_file(&self, url_path: &str) -> Option<&std::path::Path> {
        let files = &self.model.static_files;
        let file = files.iter().find(|f| f.url_path == url_path)?;
        Some(&file.source)
    }

    /// How many warnings load, model and status gave.
    pub fn warnings(&self) -> usize {
        self.diags.warning_count()
    }

    /// The whole site in memory, every file and the link check, as
    /// [`build`] makes it; the share images whose key is unchanged come
    /// from `memo`. Without `memo` (`serve`), only the files
    /// [`Self::files`] does not make are kept, as `check` keeps nothing
    /// (the pages are made on demand; at national scale the whole site is
    /// gigabytes), and no share image is drawn. `Ok(None)` when `stop` was
    /// set before it was done.
    pub fn complete(
        &self,
        memo: Option<&render::share::Memo>,
        stop: &std::sync::atomic::AtomicBool,
    ) -> Result<Option<Preview>, Failure> {
        let mut clock = Clock::new();
        let mut diags = self.diags.clone();
        let kept = std::sync::Mutex::new(std::collections::BTreeMap::new());
        let keep = |path: &str, bytes: &[u8]| {
            if !self.files.makes(path) {
                let mut kept = kept.lock().unwrap_or_else(|p| p.into_inner());
                kept.insert(path.to_string(), bytes.to_vec());
            }
        };
        let undrawn = |_: &str, _: &[u8; 16], _: &dyn Fn() -> Vec<u8>| {};
        let sinks = match memo {
            Some(memo) => render::Sinks {
                files: None,
                images: None,
                memo: Some(memo),
                cancel: Some(stop),
            },
            None => render::Sinks {
                files: Some(&keep),
                images: Some(&undrawn),
                memo: None,
                cancel: Some(stop),
            },
        };
        let mut site = render::render(
            self.model,
            self.fig,
            self.index,
            self.archive,
            &self.options,
            sinks,
            None,
            &mut diags,
        );
        let stopped = || stop.load(std::sync::atomic::Ordering::Relaxed);
        if stopped() {
            return Ok(None);
        }
        verify::site_after(self.model, &mut site, None, &mut diags);
        clock.lap("render");
        site.files
            .append(&mut kept.into_inner().unwrap_or_else(|p| p.into_inner()));
        if stopped() {
            return Ok(None);
        }
        if diags.has_errors() {
            return Err(Failure::Content(diags.sorted(), self.lang));
        }
        Ok(Some(Preview {
            site,
            static_files: self.model.static_files.clone(),
            diagnostics: diags.sorted(),
            lang: self.lang,
            timings: clock.timings,
        }))
    }
}
