//! tiendo: a static-site generator for public progress portals.
//!
//! The pipeline, one stage per module:
//! `load` (read and parse) -> `model` (check and link) -> `status` (figures
//! as of a date) -> `render` (pages in memory) -> `output` (write atomically).
//! [`build`] and [`check`] run the stages in order and nothing else.

pub mod cache;
pub mod cli;
mod clock;
pub mod date;
pub mod diag;
pub mod editor;
#[doc(hidden)]
pub mod fuzzing;
pub mod index;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
mod preview;
pub mod publish;
pub mod render;
pub mod route;
pub mod serve;
pub mod status;
mod summary;
pub mod text;
pub mod theme;
pub mod verify;

use clock::Clock;
use date::Date;
pub use diag::Lang;
use diag::{Diagnostic, Diagnostics, Loc};
pub use preview::{Live, Loaded, Preview, preview, preview_live, preview_load, preview_with};
use std::path::PathBuf;
use std::time::Duration;
pub use summary::{NextReports, RepliesDue, Summary};
use summary::{next_reports, progress_warnings, replies_due, summary};

/// What the command line passes to the library.
#[derive(Debug, Clone)]
pub struct Options {
    /// The site folder (holds `content/`).
    pub root: PathBuf,
    /// Where to write; default `<root>/output`.
    pub output: Option<PathBuf>,
    /// Overrides `as_of` of site.yaml.
    pub as_of: Option<Date>,
    /// The date used when neither the command line nor site.yaml sets one:
    /// SOURCE_DATE_EPOCH or today, read by the binary, never by the library.
    pub fallback_date: Date,
    /// Overrides `base_url` of site.yaml (checked by the command line).
    pub base_url: Option<route::BaseUrl>,
    pub drafts: bool,
    /// The language of messages (`--lang`); default the site's first language.
    pub lang: Option<Lang>,
    /// Replace an output folder that tiendo did not write (`--force`).
    pub force: bool,
    /// `build --previous FILE`: the path list of the last release; every
    /// path in it must still be published.
    pub previous: Option<PathBuf>,
    /// `build --no-cache`: parse and render everything, as if the build
    /// cache were empty (a new cache is still written).
    pub no_cache: bool,
}

/// A stage's name and how long it took.
pub type Timings = Vec<(&'static str, Duration)>;

/// Why a run stopped.
#[derive(Debug)]
pub enum Failure {
    /// The content has errors (exit code 1). Warnings come along, to be
    /// printed in the language given.
    Content(Vec<Diagnostic>, Lang),
    /// Usage or I/O (exit code 2).
    Io(String),
    /// A usage error of an editor's command, told in the language of
    /// messages (exit code 2).
    Usage(diag::Message),
    /// A signal stopped the build (exit code 128 + the signal); its
    /// temporary folder was removed and the previous output is unchanged.
    Interrupted(i32),
}

impl From<output::OutputError> for Failure {
    fn from(e: output::OutputError) -> Failure {
        match e {
            output::OutputError::Failed(m) => Failure::Usage(m),
            output::OutputError::Interrupted(signal) => Failure::Interrupted(signal),
        }
    }
}

#[derive(Debug)]
pub struct Report {
    /// Warnings (and, for `check`, errors), sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// The language to print them in.
    pub lang: Lang,
    pub summary: Option<Summary>,
    pub timings: Timings,
    pub files_written: usize,
    /// `build`: temporary folders of interrupted builds removed at the start.
    pub stale: Vec<output::Stale>,
    /// `build`: files written anew and files kept unchanged.
    pub output: Option<output::Outcome>,
    /// `build`: how many share images there are and how many were drawn
    /// (the others were kept from the previous output).
    pub images: Option<render::share::Drawn>,
}

/// Load and model, shared by `check` and `build`.
fn load_model(
    opts: &Options,
    clock: &mut Clock,
    cache: Option<&cache::Session>,
    diags: &mut Diagnostics,
) -> Result<model::Model, Failure> {
    let raw = load::load_cached(&opts.root, cache, diags).map_err(|e| Failure::Io(e.0))?;
    clock.lap("load");
    let mut m = model::build_cached(raw, cache, diags);
    if !opts.drafts {
        m.articles.retain(|a| !a.draft);
    }
    let day = as_of(opts, &m);
    model::hold_back_future_articles(&mut m, day, diags);
    model::check_as_of(&m, day, opts.as_of.or(m.site().as_of).is_some(), diags);
    clock.lap("model");
    Ok(m)
}

/// `--lang`, else the site's first language, else Vietnamese.
fn message_lang(opts: &Options, m: &model::Model) -> Lang {
    opts.lang
        .or_else(|| {
            m.site
                .as_ref()
                .and_then(|s| s.languages.first())
                .and_then(|code| Lang::from_code(code))
        })
        .unwrap_or_default()
}

fn as_of(opts: &Options, m: &model::Model) -> Date {
    opts.as_of.or(m.site().as_of).unwrap_or(opts.fallback_date)
}

/// What the stages after the model produce: the site in memory and the
/// figures it shows. Errors and warnings go to `diags`.
struct Made<'m> {
    site: render::RenderedSite,
    fig: status::Figures<'m>,
    /// The status stage's date-free preparation, for other dates
    /// (`check`'s coming reports).
    prepared: status::Prepared<'m>,
}

/// Status and render, shared by `check` and `build` so that both find the
/// same problems; only `build` then writes, passing a `sink` that takes
/// each page as it is rendered. `None` when the model has errors (the
/// later stages need a sound model).
fn status_render<'m>(
    opts: &Options,
    m: &'m model::Model,
    sinks: render::Sinks,
    incremental: Option<(render::Incremental, &verify::Previous)>,
    clock: &mut Clock,
    diags: &mut Diagnostics,
) -> Option<Made<'m>> {
    if diags.has_errors() {
        return None;
    }
    // The date-free work once, for the live figures and every archived
    // month.
    let prepared = status::Prepared::new(m);
    let fig = prepared.figures(as_of(opts, m));
    clock.lap("status");
    progress_warnings(m, &fig, diags);
    let index = index::SiteIndex::build(m, &fig);
    clock.lap("index");
    let site = render::render(
        m,
        &fig,
        &index,
        &status::Archive::new(&prepared, m, fig.as_of),
        &render::RenderOptions {
            base_url: opts.base_url.clone(),
        },
        sinks,
        incremental.map(|(inc, _)| inc),
        diags,
    );
    // The share images and the archive (figures, pages and files of each
    // month) run inside render, once the live pages are made; their
    // shares are told apart.
    clock.lap_split(
        "render",
        &[("images", site.share_time), ("archive", site.archive_time)],
    );
    let mut site = site;
    verify::site_after(m, &mut site, incremental.map(|(_, p)| p), diags);
    Some(Made {
        site,
        fig,
        prepared,
    })
}

/// `tiendo check`: every error and warning that `build` would report, and
/// the figures; renders the site in memory and writes nothing.
pub fn check(opts: &Options) -> Result<Report, Failure> {
    let mut clock = Clock::new();
    let mut diags = Diagnostics::new();
    let m = load_model(opts, &mut clock, None, &mut diags)?;
    // Every file is made and dropped at once: `check` keeps only what the
    // link check needs, so it runs in little memory at any scale.
    let discard = |_: &str, _: &[u8]| {};
    // Share images are not drawn: a drawing cannot find a problem.
    let undrawn = |_: &str, _: &[u8; 16], _: &dyn Fn() -> Vec<u8>| {};
    let sinks = render::Sinks {
        files: Some(&discard),
        images: Some(&undrawn),
        memo: None,
        cancel: None,
    };
    let made = status_render(opts, &m, sinks, None, &mut clock, &mut diags);
    Ok(Report {
        diagnostics: diags.sorted(),
        lang: message_lang(opts, &m),
        summary: made.map(|made| {
            let mut s = summary(&m, &made.fig);
            s.next_reports = next_reports(&m, &made.prepared, made.fig.as_of);
            s.replies_due = replies_due(&m, &made.fig);
            s
        }),
        timings: clock.timings,
        files_written: 0,
        stale: Vec::new(),
        output: None,
        images: None,
    })
}

/// The stages [`build_with_progress`] reports, in order.
pub const BUILD_STAGES: [&str; 5] = ["load", "model", "status", "render", "output"];
/// `build --previous`: an error for each path of the last release that this
/// build no longer publishes (a `formerly` or lineage page keeps a path
/// published, so it passes; share images are not counted); the first ones
/// named, the rest counted.
fn paths_kept(
    file: &std::path::Path,
    previous: &std::fs::File,
    site: &render::RenderedSite,
    diags: &mut Diagnostics,
) -> Result<(), Failure> {
    let own = route::Route::PathList.file();
    let Some(list) = site.files.get(&own) else {
        return Ok(());
    };
    let now: std::collections::HashSet<&str> = std::str::from_utf8(list)
        .unwrap_or_default()
        .lines()
        .collect();
    // Share images are held to the pages' rule: a page's old address
    // (`formerly`) keeps its image, as it keeps its page, feed and calendar.
    let gone = output::previous::gone(file, previous, &now)?;
    let name: std::sync::Arc<str> = std::sync::Arc::from(file.to_string_lossy().as_ref());
    for (line, path) in gone.shown {
        diags.error(
            Loc::new(&name, line, 1),
            crate::msg!("build.path_gone", path),
        );
    }
    if gone.more > 0 {
        let count = gone.more;
        let loc = Loc::new(&name, gone.more_line, 1);
        diags.error(loc, crate::msg!("build.paths_gone_more", count));
    }
    Ok(())
}

/// `tiendo build`: the whole pipeline; the output is replaced only when
/// every stage succeeded.
pub fn build(opts: &Options) -> Result<Report, Failure> {
    build_with_progress(opts, &|_| {})
}

/// [`build`], calling `on_stage` with each of [`BUILD_STAGES`] as it ends,
/// so that the binary can show progress.
pub fn build_with_progress(
    opts: &Options,
    on_stage: &dyn Fn(&'static str),
) -> Result<Report, Failure> {
    let mut clock = Clock::new();
    let output_path = opts
        .output
        .clone()
        .unwrap_or_else(|| opts.root.join("output"));
    let target = output::Target::resolve(&opts.root, &output_path, opts.force)?;
    let stale = target.remove_stale()?;
    if !stale.is_empty() {
        clock.lap("clean");
    }
    clock.on_lap = on_stage;
    let mut diags = Diagnostics::new();
    // The build cache of the last successful build of this output, unless
    // `--no-cache`; one of another key or damaged reads as empty.
    let key = cache::key(opts);
    let old = match &key {
        Some(key) if !opts.no_cache => cache::Cache::read(&output::cache_path(&target), key),
        _ => cache::Cache::default(),
    };
    let session = cache::Session::new(&old);
    let m = load_model(opts, &mut clock, Some(&session), &mut diags)?;
    let previous = match &opts.previous {
        Some(file) => Some((file, output::previous::open(file)?)),
        None => None,
    };
    // Pages go to the staging folder as they are rendered; a build that
    // fails drops it, and the previous output stays as it was.
    let staging = output::Staging::begin(&target)?;
    let write_error: std::sync::Mutex<Option<output::OutputError>> = std::sync::Mutex::new(None);
    let sink = |path: &str, bytes: &[u8]| {
        let failed = || write_error.lock().unwrap_or_else(|p| p.into_inner());
        // After the first failure the build fails: write nothing more.
        if failed().is_some() {
            return;
        }
        if let Err(e) = staging.write(path, bytes) {
            failed().get_or_insert(e);
        }
    };
    // A share image whose key the previous output has is kept, not drawn.
    let keyed = |path: &str, key: &[u8; 16], draw: &dyn Fn() -> Vec<u8>| {
        let failed = || write_error.lock().unwrap_or_else(|p| p.into_inner());
        if failed().is_some() {
            return;
        }
        if let Err(e) = staging.write_keyed(path, key, draw) {
            failed().get_or_insert(e);
        }
    };
    let sinks = render::Sinks {
        files: Some(&sink),
        images: Some(&keyed),
        memo: None,
        cancel: None,
    };
    // Pages whose inputs are unchanged since the last build are kept from
    // its output (`render::incremental`).
    let keep = |path: &str, digest: &cache::Short| {
        if staging.keep_same(path, digest) {
            render::Keep::InOutput
        } else {
            render::Keep::No
        }
    };
    let read = |path: &str| staging.read_previous(path);
    let last = verify::Previous {
        paths: session.old.paths(),
        read: &read,
    };
    let incremental = key.as_ref().map(|_| {
        let inc = render::Incremental {
            cache: &session,
            keep: &keep,
        };
        (inc, &last)
    });
    let made = status_render(opts, &m, sinks, incremental, &mut clock, &mut diags);
    output::interrupt::check()?;
    if let (Some((file, paths)), Some(made)) = (&previous, &made) {
        paths_kept(file, paths, &made.site, &mut diags)?;
    }
    let Some(Made { mut site, fig, .. }) = made.filter(|_| !diags.has_errors()) else {
        return Err(Failure::Content(diags.sorted(), message_lang(opts, &m)));
    };
    let images = std::mem::take(&mut site.share);
    if let Some(e) = write_error.into_inner().unwrap_or_else(|p| p.into_inner()) {
        return Err(e.into());
    }
    let stamp = format!("as_of: {}", fig.as_of);
    let written = output::write_into(staging, &site, &m.static_files, &stamp)?;
    if let Some(key) = &key {
        let mut paths: Vec<String> = site.paths().cloned().collect();
        paths.extend(m.static_files.iter().map(|f| f.url_path.clone()));
        let new = session.new;
        output::store_cache(&target, |out| new.write(&old, key, Some(paths), out));
    }
    clock.lap("output");
    let files_written = written.written + written.unchanged;
    Ok(Report {
        diagnostics: diags.sorted(),
        lang: message_lang(opts, &m),
        summary: Some(summary(&m, &fig)),
        timings: clock.timings,
        files_written,
        stale,
        output: Some(written),
        images: Some(images),
    })
}

/// The example plan's issue date in `scaffold/`, replaced by the day of
/// `tiendo init` so that a new site owes no reports yet.
const SCAFFOLD_ISSUED: &str = "2025-01-15";

/// `tiendo init DIR`: a new, empty site for another province, which checks
/// and builds cleanly as it is. Returns the number of files written.
pub fn init(dir: &std::path::Path, today: Date) -> Result<usize, Failure> {
    let mut files: Vec<(String, String)> = theme::SCAFFOLD
        .iter()
        .map(|(path, text)| {
            let text = text.replace(SCAFFOLD_ISSUED, &today.to_string());
            // The schema line, for editors whose editor runs a YAML language server.
            let text = match editor::schema::kind_of(path) {
                Some(kind) => editor::schema_line(kind, path) + &text,
                None => text,
            };
            (path.to_string(), text)
        })
        .collect();
    for (name, text) in editor::schema::schemas() {
        files.push((format!("schemas/{name}"), text));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    output::write_new_site(dir, &refs).map_err(Failure::from)
}
