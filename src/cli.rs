//! The command line (clap derive): the commands and their flags, turned
//! into library [`Options`]. Printing and exit codes live in `main.rs`.

use crate::Options;
use crate::date::{Date, parse_date};
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
        #[arg(long)]
        base_url: Option<String>,
        /// Include articles marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// No progress bar, only the plain lines.
        #[arg(long, short)]
        quiet: bool,
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
    },
}

fn parse_as_of(s: &str) -> Result<Date, String> {
    parse_date(s)
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
                ..
            } => Options {
                root: root.clone(),
                output: output.clone(),
                as_of: *as_of,
                fallback_date,
                base_url: base_url.clone(),
                drafts: *drafts,
            },
            Command::Init { dir } => Options {
                root: dir.clone(),
                output: None,
                as_of: None,
                fallback_date,
                base_url: None,
                drafts: false,
            },
            Command::Serve {
                root,
                as_of,
                drafts,
                ..
            } => Options {
                root: root.clone(),
                output: None,
                as_of: *as_of,
                fallback_date,
                base_url: None,
                drafts: *drafts,
            },
            Command::Completions { .. } => Options {
                root: PathBuf::from("."),
                output: None,
                as_of: None,
                fallback_date,
                base_url: None,
                drafts: false,
            },
            Command::Check { root, as_of, .. } => Options {
                root: root.clone(),
                output: None,
                as_of: *as_of,
                fallback_date,
                base_url: None,
                drafts: true,
            },
        }
    }
}
