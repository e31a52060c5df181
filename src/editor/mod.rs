//! The editors' tools beside the pipeline: `new`, `export` and `import`.
//!
//! Stage: after `model`. Input: the validated model of a site (and, for
//! `import`, a workbook read by [`xlsx`]); output: a draft (a monthly
//! report, an article, a task) as YAML or Markdown text, or a workbook.
//! Nothing here touches the disk except [`write_new`], the one function at
//! the edge, which never replaces a file unless told to.
//!
//! Parts: `report` (report drafts: `new report`, `export report`),
//! `report_import` and `in_place` (`import` of a report workbook, and a
//! correction written over the report it replaces), `drafts` (`new
//! article`, `new task`), [`translations`] (the translators' workbook:
//! `export translations`, and `import` of it), [`xlsx`] (report workbooks
//! both ways) and [`schema`] (the JSON Schemas). This file holds what they
//! share: loading, YAML scalars, writing files, workbook cells as places.

mod drafts;
mod in_place;
mod report;
mod report_import;
mod report_yaml;
pub mod schema;
pub mod translations;
pub mod xlsx;
pub mod yaml_edit;

pub use drafts::*;
pub use in_place::*;
pub use report::*;
pub use report_import::*;
pub use report_yaml::*;

use crate::date::{Date, Period};
use crate::diag::{Diagnostic, Diagnostics, Lang, Maybe, Message, Severity, did_you_mean};
use crate::model::{Model, TaskState};
use crate::msg;
use crate::{Failure, Options, load, model};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Loads and models the site; content errors stop here (exit 1).
pub fn load_model(opts: &Options) -> Result<Model, Failure> {
    let mut diags = Diagnostics::new();
    let raw = load::load(&opts.root, &mut diags).map_err(|e| Failure::Io(e.0))?;
    let m = model::build(raw, &mut diags);
    if diags.has_errors() {
        return Err(Failure::Content(
            diags.sorted(),
            opts.lang.unwrap_or_default(),
        ));
    }
    Ok(m)
}

/// Loads and models the site as far as it goes: for the tools that only
/// need its settings and ids, which should work while it has errors.
fn load_lenient(opts: &Options) -> Result<Model, Failure> {
    let mut diags = Diagnostics::new();
    let raw = load::load(&opts.root, &mut diags).map_err(|e| Failure::Io(e.0))?;
    Ok(model::build(raw, &mut diags))
}

/// The as-of day of a command: the flag, site.yaml, or the fallback.
pub fn as_of(opts: &Options, m: &Model) -> Date {
    opts.as_of.or(m.site().as_of).unwrap_or(opts.fallback_date)
}

/// A usage error, told in the language of messages when printed.
fn usage(message: Message) -> Failure {
    Failure::Usage(message)
}

/// A YAML scalar: plain when it is a safe id, else double-quoted (a JSON
/// string is a valid YAML 1.2 double-quoted scalar).
pub fn scalar(s: &str) -> String {
    let plain = !s.is_empty()
        && s.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if plain {
        s.to_string()
    } else {
        serde_json::Value::String(s.to_string()).to_string()
    }
}

/// A number as YAML: `80`, `78.5`.
pub fn number(x: f64) -> String {
    format!("{x}")
}

fn comment(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The schema line a YAML language server reads, for a file at `path`
/// (relative to the site root), pointing at `schemas/<kind>.schema.json`.
pub fn schema_line(kind: &str, path: &str) -> String {
    let depth = path.matches('/').count();
    format!(
        "# yaml-language-server: $schema={}schemas/{kind}.schema.json\n",
        "../".repeat(depth)
    )
}

/// Writes `bytes` to `path`, creating its folder. Refuses to replace a
/// file unless `replace`; a replaced file is swapped in whole.
pub fn write_new(path: &Path, bytes: &[u8], replace: bool) -> Result<(), Failure> {
    use std::io::Write;
    let io = |e: std::io::Error| {
        usage(msg!(
            "editor.cannot_write",
            path = path.display(),
            error = e
        ))
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    if replace {
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
        tmp.write_all(bytes).map_err(io)?;
        tmp.persist(path).map_err(|e| io(e.error))?;
        return Ok(());
    }
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(mut f) => f.write_all(bytes).map_err(io),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            Err(usage(msg!("editor.exists", path = path.display())))
        }
        Err(e) => Err(io(e)),
    }
}

/// Appends `text` to the existing file `path` (for `new task`).
pub fn append(path: &Path, text: &str) -> Result<(), Failure> {
    use std::io::Write;
    let io = |e: std::io::Error| {
        usage(msg!(
            "editor.cannot_write",
            path = path.display(),
            error = e
        ))
    };
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .map_err(io)?;
    f.write_all(text.as_bytes()).map_err(io)
}

/// Reads a text file of the site (for `new task`).
pub fn read_text(path: &Path) -> Result<String, Failure> {
    std::fs::read_to_string(path)
        .map_err(|e| usage(msg!("editor.cannot_read", path = path.display(), error = e)))
}

/// Whether any of `diags` is an error.
pub fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(|d| d.severity == Severity::Error)
}

/// Where a site's file is on disk.
pub fn on_disk(opts: &Options, rel: &str) -> PathBuf {
    opts.root.join(rel)
}

/// Cell problems of a workbook as diagnostics named `FILE.xlsx:Sheet!C7`.
fn cell_diagnostics(file: &str, errs: Vec<xlsx::CellError>, lang: Lang) -> Failure {
    let mut d = Diagnostics::new();
    for e in errs {
        let at = if e.cell.is_empty() {
            file.to_string()
        } else {
            format!("{file}:{}", e.cell)
        };
        d.error(crate::diag::Loc::file(&at.into()), e.message);
    }
    Failure::Content(d.sorted(), lang)
}

/// Fails with the errors located in files `matters` picks, if any.
fn stop_on_errors(
    diags: Diagnostics,
    lang: Lang,
    matters: impl Fn(&str) -> bool,
) -> Result<(), Failure> {
    let errors: Vec<Diagnostic> = diags
        .sorted()
        .into_iter()
        .filter(|d| d.severity == Severity::Error && matters(&d.loc.file))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Failure::Content(errors, lang))
    }
}

/// `tiendo schema --out DIR`: every schema; returns how many.
pub fn write_schemas(dir: &Path) -> Result<usize, Failure> {
    let all = schema::schemas();
    for (name, text) in &all {
        write_new(&dir.join(name), text.as_bytes(), true)?;
    }
    Ok(all.len())
}
