//! tiendo: a static-site generator for public progress portals.
//!
//! The pipeline, one stage per module:
//! `load` (read and parse) -> `model` (check and link) -> `status` (figures
//! as of a date) -> `render` (pages in memory) -> `output` (write atomically).
//! [`build`] and [`check`] run the stages in order and nothing else.

pub mod cli;
pub mod date;
pub mod diag;
#[doc(hidden)]
pub mod fuzzing;
pub mod load;
pub mod model;
pub mod output;
pub mod render;
pub mod serve;
pub mod status;
pub mod text;
pub mod theme;

use date::Date;
use diag::{Diagnostic, Diagnostics, Loc};
use std::path::PathBuf;
use std::time::{Duration, Instant};

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
    pub base_url: Option<String>,
    pub drafts: bool,
}

/// A stage's name and how long it took.
pub type Timings = Vec<(&'static str, Duration)>;

/// Why a run stopped.
#[derive(Debug)]
pub enum Failure {
    /// The content has errors (exit code 1). Warnings come along.
    Content(Vec<Diagnostic>),
    /// Usage or I/O (exit code 2).
    Io(String),
}

/// The figures a `check` run prints at the end.
#[derive(Debug, Clone)]
pub struct Summary {
    pub as_of: Date,
    pub total: usize,
    /// (status label, count) in rule order.
    pub counts: Vec<(&'static str, usize)>,
    /// (task id, title, lead, days late), most overdue first.
    pub overdue: Vec<(String, String, String, i64)>,
    /// (agency id, months missing as YYYY-MM).
    pub missing_reports: Vec<(String, Vec<String>)>,
    /// The reports due next, if any agency owes one.
    pub next_reports: Option<NextReports>,
}

/// The coming period's reports: the first month whose report day falls
/// after the as-of date, and the agencies that owe it and have not yet
/// submitted it.
#[derive(Debug, Clone)]
pub struct NextReports {
    /// YYYY-MM.
    pub period: String,
    pub due: Date,
    pub days_left: i64,
    /// (agency id, agency name), by id.
    pub agencies: Vec<(String, String)>,
}

#[derive(Debug)]
pub struct Report {
    /// Warnings (and, for `check`, errors), sorted.
    pub diagnostics: Vec<Diagnostic>,
    pub summary: Option<Summary>,
    pub timings: Timings,
    pub files_written: usize,
}

struct Clock<'a> {
    timings: Timings,
    start: Instant,
    on_lap: &'a dyn Fn(&'static str),
}

impl Clock<'_> {
    fn new() -> Self {
        Clock {
            timings: Vec::new(),
            start: Instant::now(),
            on_lap: &|_| {},
        }
    }

    fn lap(&mut self, name: &'static str) {
        let now = Instant::now();
        self.timings.push((name, now - self.start));
        self.start = now;
        (self.on_lap)(name);
    }
}

/// Warnings that need the figures: overdue tasks nobody reported on, and
/// missing monthly reports.
fn progress_warnings(m: &model::Model, fig: &status::Figures, diags: &mut Diagnostics) {
    for (i, s) in fig.tasks.iter().enumerate() {
        if s.status == status::Status::Overdue && s.last_update.is_none() {
            let t = &m.tasks[i];
            diags.warning(
                t.loc.clone(),
                format!(
                    "task `{}` is past its deadline ({}) and its lead has reported no update",
                    t.id,
                    s.deadline.map(|d| d.label_vi()).unwrap_or_default()
                ),
            );
        }
    }
    for (agency, months) in fig.missing_reports() {
        let loc = m.agency(agency).map_or_else(
            || Loc::file(&"content/agencies.yaml".into()),
            |a| a.loc.clone(),
        );
        for p in months {
            diags.warning(
                loc.clone(),
                format!(
                    "`{agency}` has not submitted its report for {p} (due {}): expected content/reports/{p}/{agency}.yaml",
                    date::fmt_date(p.report_day(m.site().report_day))
                ),
            );
        }
    }
}

fn summary(m: &model::Model, fig: &status::Figures) -> Summary {
    Summary {
        as_of: fig.as_of,
        total: fig.overall.total,
        counts: status::Status::ALL
            .iter()
            .map(|&s| (s.label_vi(), fig.overall.count(s)))
            .collect(),
        overdue: fig
            .overall
            .overdue
            .iter()
            .map(|&i| {
                let t = &m.tasks[i];
                let s = &fig.tasks[i];
                (
                    t.id.clone(),
                    t.title.clone(),
                    s.lead_on.clone().unwrap_or_default(),
                    s.days_late.unwrap_or(0),
                )
            })
            .collect(),
        missing_reports: fig
            .missing_reports()
            .into_iter()
            .map(|(a, ps)| (a.to_string(), ps.iter().map(|p| p.key()).collect()))
            .collect(),
        next_reports: None,
    }
}

/// Who owes the coming period's report. The status stage decides which
/// agencies owe a month once its report day is reached; computing the
/// figures as of that day applies the very same rule, and a duty counts as
/// met only by a report submitted by the real as-of date.
fn next_reports(m: &model::Model, as_of: Date) -> Option<NextReports> {
    let mut period = date::Period::of(as_of);
    let day = m.site().report_day;
    if period.report_day(day) <= as_of {
        period = period.next();
    }
    let due = period.report_day(day);
    let ahead = status::compute(m, due);
    let agencies: Vec<(String, String)> = ahead
        .months
        .get(&period)?
        .iter()
        .filter(|d| d.report.is_none_or(|i| m.reports[i].submitted > as_of))
        .map(|d| {
            let name = m
                .agency(&d.agency)
                .map(|a| a.name.clone())
                .unwrap_or_default();
            (d.agency.clone(), name)
        })
        .collect();
    (!agencies.is_empty()).then(|| NextReports {
        period: period.key(),
        due,
        days_left: (due - as_of).num_days(),
        agencies,
    })
}

/// Load and model, shared by `check` and `build`.
fn load_model(
    opts: &Options,
    clock: &mut Clock,
    diags: &mut Diagnostics,
) -> Result<model::Model, Failure> {
    let raw = load::load(&opts.root, diags).map_err(|e| Failure::Io(e.0))?;
    clock.lap("load");
    let mut m = model::build(raw, diags);
    if !opts.drafts {
        m.articles.retain(|a| !a.draft);
    }
    clock.lap("model");
    Ok(m)
}

fn as_of(opts: &Options, m: &model::Model) -> Date {
    opts.as_of.or(m.site().as_of).unwrap_or(opts.fallback_date)
}

/// `tiendo check`: every error and warning, and the figures; writes nothing.
pub fn check(opts: &Options) -> Result<Report, Failure> {
    let mut clock = Clock::new();
    let mut diags = Diagnostics::new();
    let m = load_model(opts, &mut clock, &mut diags)?;
    let mut summary_out = None;
    if !diags.has_errors() {
        let fig = status::compute(&m, as_of(opts, &m));
        clock.lap("status");
        progress_warnings(&m, &fig, &mut diags);
        let mut s = summary(&m, &fig);
        s.next_reports = next_reports(&m, fig.as_of);
        summary_out = Some(s);
    }
    Ok(Report {
        diagnostics: diags.sorted(),
        summary: summary_out,
        timings: clock.timings,
        files_written: 0,
    })
}

/// Load, model, status and render: the site in memory, nothing written.
fn render_site(
    opts: &Options,
    clock: &mut Clock,
    diags: &mut Diagnostics,
) -> Result<(model::Model, render::RenderedSite, Summary), Failure> {
    let m = load_model(opts, clock, diags)?;
    if diags.has_errors() {
        return Err(Failure::Content(std::mem::take(diags).sorted()));
    }
    let fig = status::compute(&m, as_of(opts, &m));
    clock.lap("status");
    progress_warnings(&m, &fig, diags);
    let site = render::render(
        &m,
        &fig,
        &render::RenderOptions {
            base_url: opts.base_url.clone(),
        },
        diags,
    );
    clock.lap("render");
    if diags.has_errors() {
        return Err(Failure::Content(std::mem::take(diags).sorted()));
    }
    let summary = summary(&m, &fig);
    Ok((m, site, summary))
}

/// The stages [`build_with_progress`] reports, in order.
pub const BUILD_STAGES: [&str; 5] = ["load", "model", "status", "render", "output"];

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
    clock.on_lap = on_stage;
    let mut diags = Diagnostics::new();
    let (m, site, summary) = render_site(opts, &mut clock, &mut diags)?;
    let target = opts
        .output
        .clone()
        .unwrap_or_else(|| opts.root.join("output"));
    let content = opts.root.join("content");
    if let (Ok(t), Ok(c)) = (std::path::absolute(&target), std::path::absolute(&content))
        && (c.starts_with(&t) || t.starts_with(&c))
    {
        return Err(Failure::Io(format!(
            "refusing to write the site to {}: it would replace or sit inside the content",
            target.display()
        )));
    }
    output::write(&site, &m.static_files, &target).map_err(|e| Failure::Io(e.0))?;
    clock.lap("output");
    let files_written = site.files.len() + m.static_files.len();
    Ok(Report {
        diagnostics: diags.sorted(),
        summary: Some(summary),
        timings: clock.timings,
        files_written,
    })
}

/// A site built in memory by [`preview`].
#[derive(Debug)]
pub struct Preview {
    pub site: render::RenderedSite,
    /// Files copied as they are (the site's `static/`), read from disk when asked for.
    pub static_files: Vec<load::StaticFile>,
    /// Warnings.
    pub diagnostics: Vec<Diagnostic>,
    pub timings: Timings,
}

/// `tiendo serve`'s build: every stage but output, so nothing is written.
pub fn preview(opts: &Options) -> Result<Preview, Failure> {
    let mut clock = Clock::new();
    let mut diags = Diagnostics::new();
    let (m, site, _) = render_site(opts, &mut clock, &mut diags)?;
    Ok(Preview {
        site,
        static_files: m.static_files,
        diagnostics: diags.sorted(),
        timings: clock.timings,
    })
}

/// The example plan's issue date in `scaffold/`, replaced by the day of
/// `tiendo init` so that a new site owes no reports yet.
const SCAFFOLD_ISSUED: &str = "2025-01-15";

/// `tiendo init DIR`: a new, empty site for another province, which checks
/// and builds cleanly as it is. Returns the number of files written.
pub fn init(dir: &std::path::Path, today: Date) -> Result<usize, Failure> {
    let files: Vec<(&str, String)> = theme::SCAFFOLD
        .iter()
        .map(|(path, text)| (*path, text.replace(SCAFFOLD_ISSUED, &today.to_string())))
        .collect();
    let refs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
    output::write_new_site(dir, &refs).map_err(|e| Failure::Io(e.0))
}
