//! The command line (clap derive): the commands and their flags, turned
//! into library [`Options`]. What the binary prints is [`print`]; exit
//! codes live in `main.rs`.

pub mod print;

use crate::Options;
use crate::date::{Date, Period, parse_date};
use crate::diag::Lang;
use crate::route::BaseUrl;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "tiendo",
    version,
    about = "Static-site generator for public progress portals (tiến độ)"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the portal into the output folder (replaced only on success).
    Build {
        /// The site folder, which holds content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site [default: ROOT/output].
        #[arg(long)]
        output: Option<PathBuf>,
        /// Compute every status as of this date (2025-06-25 or 25/06/2025).
        #[arg(long, value_parser = parse_as_of)]
        as_of: Option<Date>,
        /// Base URL for links, e.g. http://127.0.0.1:8000/ for a local preview.
        #[arg(long, value_parser = BaseUrl::parse_absolute)]
        base_url: Option<BaseUrl>,
        /// Include articles marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// The language of messages: vi or en [default: the site's first language].
        #[arg(long, value_parser = parse_lang)]
        lang: Option<Lang>,
        /// Build even into a folder tiendo did not write (no .tiendo file in it):
        /// that folder is moved aside, whole, as OUTPUT.bak-DATE-TIME beside it,
        /// never deleted. System folders and the home folder are always refused.
        #[arg(long)]
        force: bool,
        /// No progress bar, only the plain lines.
        #[arg(long, short)]
        quiet: bool,
        /// The path list of the last release (du-lieu/duong-dan.txt): fail
        /// if a path in it is no longer published.
        #[arg(long)]
        previous: Option<PathBuf>,
        /// Parse and render everything anew, ignoring the build cache kept
        /// beside the output (a new one is still written).
        #[arg(long)]
        no_cache: bool,
    },
    /// Preview the portal on this computer: build in memory, serve, rebuild
    /// and reload the browser on every change. Never writes output/.
    Serve {
        /// The site folder, which holds content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The port to listen on; 0 takes a free one.
        #[arg(long, default_value_t = 8000)]
        port: u16,
        /// The address to listen on; another than 127.0.0.1 makes the
        /// preview reachable from other computers.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Compute every status as of this date.
        #[arg(long, value_parser = parse_as_of)]
        as_of: Option<Date>,
        /// Include articles marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// The language of messages: vi or en [default: the site's first language].
        #[arg(long, value_parser = parse_lang)]
        lang: Option<Lang>,
    },
    /// Print a shell completion script: tiendo completions bash > ~/.local/share/bash-completion/completions/tiendo
    Completions { shell: clap_complete::Shell },
    /// Create a new, empty site (content/ with examples) for another province.
    Init {
        /// The folder to create the site in.
        dir: PathBuf,
    },
    /// Print every error and warning and a summary of the figures; write nothing.
    Check {
        /// The site folder, which holds content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Compute every status as of this date.
        #[arg(long, value_parser = parse_as_of)]
        as_of: Option<Date>,
        /// Treat warnings as errors (exit code 1).
        #[arg(long)]
        strict: bool,
        /// Check the site as `build --drafts` makes it.
        #[arg(long)]
        drafts: bool,
        /// The language of messages: vi or en [default: the site's first language].
        #[arg(long, value_parser = parse_lang)]
        lang: Option<Lang>,
    },
    /// Write a new file, pre-filled, never overwriting: a report, an article, a task.
    New {
        #[command(subcommand)]
        what: NewWhat,
    },
    /// Write an Excel workbook: an existing report for its agency, or the texts for a translator.
    Export {
        #[command(subcommand)]
        what: ExportWhat,
    },
    /// Read a workbook back: a report (checked, written into its period folder) or a translators' workbook (English texts written into the YAML files).
    Import {
        /// The workbook (.xlsx).
        file: PathBuf,
        /// Replace the report if it already exists.
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        site: SiteArgs,
    },
    /// Write the JSON Schemas of every content file kind into a folder.
    Schema {
        /// The folder to write them to (e.g. ROOT/schemas).
        #[arg(long)]
        out: PathBuf,
    },
}

/// The site and the as-of day, for commands that read a site.
#[derive(Debug, Clone, clap::Args)]
pub struct SiteArgs {
    /// The site folder, which holds content/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The as-of day (2025-06-25 or 25/06/2025) [default: site.yaml's, else today].
    #[arg(long, value_parser = parse_as_of)]
    pub as_of: Option<Date>,
    /// The language of messages: vi or en [default: vi].
    #[arg(long, value_parser = parse_lang)]
    pub lang: Option<Lang>,
}

#[derive(Debug, Subcommand)]
pub enum NewWhat {
    /// content/reports/<period>/<agency>.yaml (or a workbook with --xlsx), pre-filled from the last reports.
    Report {
        /// The reporting agency's id.
        #[arg(long)]
        agency: String,
        /// The month, YYYY-MM [default: the one whose report is due next].
        #[arg(long, value_parser = parse_period)]
        period: Option<Period>,
        /// Write an Excel workbook for the agency instead.
        #[arg(long)]
        xlsx: Option<PathBuf>,
        #[command(flatten)]
        site: SiteArgs,
    },
    /// content/news/<slug>.md, a draft dated the as-of day.
    Article {
        /// The title; the file name is made from it.
        title: String,
        #[command(flatten)]
        site: SiteArgs,
    },
    /// A task to fill in, at the end of a plan's file.
    Task {
        /// The plan's id.
        #[arg(long)]
        plan: String,
        #[command(flatten)]
        site: SiteArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum ExportWhat {
    /// A report as an Excel workbook.
    Report {
        #[arg(long)]
        agency: String,
        #[arg(long, value_parser = parse_period)]
        period: Period,
        /// The workbook to write (never overwritten).
        #[arg(long)]
        xlsx: PathBuf,
        #[command(flatten)]
        site: SiteArgs,
    },
    /// Every text of the English pages as a translators' workbook (sheet «Bản dịch»).
    Translations {
        /// The workbook to write (never overwritten).
        #[arg(long)]
        xlsx: PathBuf,
        /// Only the texts that have no English yet.
        #[arg(long)]
        missing: bool,
        /// Only the texts of these kinds: site, group, agency, plan, task, kpi, update.
        #[arg(long, value_delimiter = ',')]
        only: Vec<String>,
        #[command(flatten)]
        site: SiteArgs,
    },
}

fn parse_period(s: &str) -> Result<Period, String> {
    Period::parse(s.trim()).ok_or_else(|| format!("`{s}` is not a month: write it as 2025-06"))
}

fn parse_as_of(s: &str) -> Result<Date, String> {
    parse_date(s).map_err(|m| m.render(Lang::En))
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::from_code(s).ok_or_else(|| format!("`{s}` is not a language of messages; use vi or en"))
}

impl Command {
    /// The library options for this command; `fallback_date` is the date
    /// used when neither the flag nor site.yaml sets `as_of`.
    pub fn options(&self, fallback_date: Date) -> Options {
        match self {
            Command::Build {
                root,
                output,
                as_of,
                base_url,
                drafts,
                lang,
                force,
                previous,
                no_cache,
                ..
            } => Options {
                root: root.clone(),
                output: output.clone(),
                as_of: *as_of,
                fallback_date,
                base_url: base_url.clone(),
                drafts: *drafts,
                lang: *lang,
                force: *force,
                previous: previous.clone(),
                no_cache: *no_cache,
            },
            Command::Init { dir } => Options {
                root: dir.clone(),
                output: None,
                as_of: None,
                fallback_date,
                base_url: None,
                drafts: false,
                lang: None,
                force: false,
                previous: None,
                no_cache: false,
            },
            Command::Serve {
                root,
                as_of,
                drafts,
                lang,
                ..
            } => Options {
                root: root.clone(),
                output: None,
                as_of: *as_of,
                fallback_date,
                base_url: None,
                drafts: *drafts,
                lang: *lang,
                force: false,
                previous: None,
                no_cache: false,
            },
            Command::Completions { .. } => Options {
                root: PathBuf::from("."),
                output: None,
                as_of: None,
                fallback_date,
                base_url: None,
                drafts: false,
                lang: None,
                force: false,
                previous: None,
                no_cache: false,
            },
            Command::Check {
                root,
                as_of,
                drafts,
                lang,
                ..
            } => Options {
                root: root.clone(),
                output: None,
                as_of: *as_of,
                fallback_date,
                base_url: None,
                drafts: *drafts,
                lang: *lang,
                force: false,
                previous: None,
                no_cache: false,
            },
            Command::New {
                what:
                    NewWhat::Report { site, .. }
                    | NewWhat::Article { site, .. }
                    | NewWhat::Task { site, .. },
            }
            | Command::Export {
                what: ExportWhat::Report { site, .. } | ExportWhat::Translations { site, .. },
            }
            | Command::Import { site, .. } => Options {
                root: site.root.clone(),
                output: None,
                as_of: site.as_of,
                fallback_date,
                base_url: None,
                drafts: true,
                lang: site.lang,
                force: false,
                previous: None,
                no_cache: false,
            },
            Command::Schema { out } => Options {
                root: out.clone(),
                output: None,
                as_of: None,
                fallback_date,
                base_url: None,
                drafts: false,
                lang: None,
                force: false,
                previous: None,
                no_cache: false,
            },
        }
    }
}
