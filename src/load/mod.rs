//! Stage 1, load: reads `content/` and the theme from disk and parses them
//! into raw structs that keep every value's file, line and column.
//!
//! Input: the site root. Output: [`RawContent`] plus every problem found
//! (unreadable files, invalid UTF-8, malformed YAML, unknown keys). Files
//! are read and parsed in parallel; nothing here judges what the values
//! mean, that is the model stage's job.

mod cached;
pub mod raw;
mod theme_files;
mod yaml;

use crate::diag::{Diagnostics, Loc, Maybe, did_you_mean};
use crate::msg;
use crate::theme;
use raw::*;
use rayon::prelude::*;
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use theme_files::load_theme;
pub use yaml::{code_point, parse_yaml};
use yaml::{control_character, is_empty_yaml};

/// Larger YAML or Markdown files are refused: they are almost certainly a
/// mistake, and parsing them would stall the build.
pub const MAX_TEXT_FILE_BYTES: u64 = 20 * 1024 * 1024;

/// One parsed file: its path (relative to the site root, `/`-separated),
/// the line its YAML starts after (1 for front matter), and the document.
#[derive(Debug)]
pub struct Source<T> {
    pub file: Arc<str>,
    pub line_offset: u64,
    pub doc: T,
}

impl<T> Source<T> {
    /// The place of a spanned value.
    pub fn loc<U>(&self, s: &Spanned<U>) -> Loc {
        let line = s.referenced.line();
        let line = if line == 0 {
            0
        } else {
            line + self.line_offset
        };
        Loc::new(&self.file, line, s.referenced.column())
    }

    pub fn whole(&self) -> Loc {
        Loc::file(&self.file)
    }
}

/// A report file and what its path says: `reports/<folder>/<stem>.yaml`.
#[derive(Debug)]
pub struct ReportSource {
    pub source: Source<RawReport>,
    pub folder: String,
    pub stem: String,
}

/// A Markdown file with YAML front matter.
#[derive(Debug)]
pub struct MarkdownSource<M> {
    pub source: Source<M>,
    /// The file name without `.md` and without a language suffix.
    pub slug: String,
    /// `en` for `<slug>.en.md`, `None` for the default language.
    pub lang: Option<String>,
    pub body: String,
    /// The file line on which the body starts.
    pub body_line: u64,
}

/// A file served as is: its URL path (`anh/a.png`) and where it is on disk.
#[derive(Debug, Clone)]
pub struct StaticFile {
    pub url_path: String,
    pub source: PathBuf,
    pub file: Arc<str>,
}

/// Templates and assets of the theme, defaults overlaid by the site's own.
#[derive(Debug, Default)]
pub struct ThemeFiles {
    pub templates: Vec<(String, String)>,
    pub assets: Vec<(String, Vec<u8>)>,
    /// UI strings per language code, site overrides merged key by key.
    pub i18n: BTreeMap<String, BTreeMap<String, String>>,
}

#[derive(Debug, Default)]
pub struct RawContent {
    pub site: Option<Source<RawSite>>,
    pub agencies: Option<Source<RawAgencies>>,
    pub plans: Vec<Source<RawPlan>>,
    pub kpis: Option<Source<RawKpis>>,
    pub reports: Vec<ReportSource>,
    pub articles: Vec<MarkdownSource<RawArticleMeta>>,
    pub pages: Vec<MarkdownSource<RawPageMeta>>,
    pub static_files: Vec<StaticFile>,
    pub theme: ThemeFiles,
    /// The kinds of id ("agency", "task", ...) whose defining file failed to
    /// parse: references to them cannot be judged, so they are not reported.
    pub unparsed: Vec<&'static str>,
}

/// A problem that stops loading before any content is judged: exit code 2.
#[derive(Debug)]
pub struct IoError(pub String);

impl std::fmt::Display for IoError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The path list of an earlier release (`du-lieu/duong-dan.txt`, given to
/// `build --previous`): its paths with their line numbers, blank lines
/// skipped.
pub fn read_path_list(file: &Path) -> Result<Vec<(u64, String)>, IoError> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| IoError(format!("cannot read {}: {e}", file.display())))?;
    Ok(text
        .lines()
        .enumerate()
        .map(|(n, l)| (n as u64 + 1, l.trim().to_string()))
        .filter(|(_, l)| !l.is_empty())
        .collect())
}

/// What a content file is, by where it sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Site,
    Agencies,
    Plan,
    Kpis,
    Report,
    Article,
    Page,
}

/// Reads the whole site under `root`.
pub fn load(root: &Path, diags: &mut Diagnostics) -> Result<RawContent, IoError> {
    load_cached(root, None, diags)
}

/// [`load`], taking each content file whose bytes are unchanged from the
/// build cache rather than parsing it, and recording what it parsed.
pub fn load_cached(
    root: &Path,
    cache: Option<&crate::cache::Session>,
    diags: &mut Diagnostics,
) -> Result<RawContent, IoError> {
    let content = root.join("content");
    if !content.is_dir() {
        return Err(IoError(format!(
            "{} has no content/ folder; pass the site folder with --root",
            root.display()
        )));
    }
    let mut files: Vec<(Kind, PathBuf, Arc<str>)> = Vec::new();
    let mut out = RawContent::default();
    for entry in walkdir::WalkDir::new(&content).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| rel(root, p))
                    .unwrap_or_else(|| "content".into());
                diags.error(Loc::file(&path), msg!("io.cannot_read", error = e));
                continue;
            }
        };
        if entry.file_type().is_dir() {
            continue;
        }
        let path = entry.path().to_path_buf();
        let file = rel(root, &path);
        let inner = match path.strip_prefix(&content) {
            Ok(p) => slashed(p),
            Err(_) => continue,
        };
        if entry.file_type().is_symlink() {
            diags.warning(Loc::file(&file), msg!("load.symlink"));
            continue;
        }
        if is_hidden(&inner) {
            continue;
        }
        if let Some(url_path) = inner.strip_prefix("static/") {
            out.static_files.push(StaticFile {
                url_path: url_path.to_string(),
                source: path,
                file,
            });
            continue;
        }
        match classify(&inner) {
            Some(kind) => files.push((kind, path, file)),
            None if is_hidden(&inner) => {}
            None => diags.warning(Loc::file(&file), msg!("load.not_read")),
        }
    }
    if !files.iter().any(|(k, ..)| *k == Kind::Site) {
        diags.error(
            Loc::file(&rel(root, &content.join("site.yaml"))),
            msg!("load.site_missing"),
        );
    }
    // One cause, one message: without agencies.yaml every agency named
    // anywhere would otherwise be "unknown".
    if !files.iter().any(|(k, ..)| *k == Kind::Agencies) {
        diags.error(
            Loc::file(&rel(root, &content.join("agencies.yaml"))),
            msg!("load.agencies_missing"),
        );
        out.unparsed.extend(defines(Kind::Agencies));
    }

    let parsed: Vec<(Parsed, Diagnostics)> = files
        .par_iter()
        .map(|(kind, path, file)| {
            let mut d = Diagnostics::new();
            let p = match cache {
                Some(cache) => cached::parse(cache, *kind, path, file, &mut d),
                None => parse_file(*kind, path, file, &mut d),
            };
            (p, d)
        })
        .collect();
    for ((kind, ..), (p, d)) in files.iter().zip(parsed) {
        diags.extend(d);
        if matches!(p, Parsed::Nothing) {
            out.unparsed.extend(defines(*kind));
        }
        match p {
            Parsed::Site(s) => out.site = Some(*s),
            Parsed::Agencies(s) => out.agencies = Some(s),
            Parsed::Plan(s) => out.plans.push(s),
            Parsed::Kpis(s) => out.kpis = Some(s),
            Parsed::Report(s) => out.reports.push(s),
            Parsed::Article(s) => out.articles.push(s),
            Parsed::Page(s) => out.pages.push(s),
            Parsed::Nothing => {}
        }
    }
    out.theme = load_theme(root, diags);
    if let Some(cache) = cache {
        cache.inputs_complete();
    }
    Ok(out)
}

/// The kinds of id a file of this kind defines.
fn defines(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Agencies => &["agency", "working group"],
        Kind::Plan => &["task"],
        Kind::Kpis => &["KPI"],
        _ => &[],
    }
}

fn is_hidden(inner: &str) -> bool {
    // `static/.well-known/` is published (RFC 8615: security.txt...); every other dot-name is not.
    let inner = inner.strip_prefix("static/.well-known/").unwrap_or(inner);
    inner.split('/').any(|part| part.starts_with('.'))
        || inner.ends_with('~')
        || inner.to_lowercase().ends_with("readme.md")
}

fn classify(inner: &str) -> Option<Kind> {
    let parts: Vec<&str> = inner.split('/').collect();
    let yaml = |name: &str| name.ends_with(".yaml") || name.ends_with(".yml");
    match parts[..] {
        ["site.yaml"] | ["site.yml"] => Some(Kind::Site),
        ["agencies.yaml"] | ["agencies.yml"] => Some(Kind::Agencies),
        ["kpis.yaml"] | ["kpis.yml"] => Some(Kind::Kpis),
        ["plans", name] if yaml(name) => Some(Kind::Plan),
        ["reports", _, name] if yaml(name) => Some(Kind::Report),
        ["news", name] if name.ends_with(".md") => Some(Kind::Article),
        ["pages", name] if name.ends_with(".md") => Some(Kind::Page),
        _ => None,
    }
}

/// A relative path with `/` between its parts. Only the platform's own
/// separator is one: on Unix a backslash is part of a file name.
fn slashed(p: &Path) -> String {
    let s = p.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' {
        s.into_owned()
    } else {
        s.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

/// `content/plans/a.yaml`, `/`-separated, relative to the root.
fn rel(root: &Path, path: &Path) -> Arc<str> {
    let p = path.strip_prefix(root).unwrap_or(path);
    Arc::from(slashed(p).as_str())
}

/// One file's parse result; boxed site settings keep the variants close in size.
enum Parsed {
    Site(Box<Source<RawSite>>),
    Agencies(Source<RawAgencies>),
    Plan(Source<RawPlan>),
    Kpis(Source<RawKpis>),
    Report(ReportSource),
    Article(MarkdownSource<RawArticleMeta>),
    Page(MarkdownSource<RawPageMeta>),
    Nothing,
}

fn parse_file(kind: Kind, path: &Path, file: &Arc<str>, diags: &mut Diagnostics) -> Parsed {
    let Some(text) = read_text(path, file, diags) else {
        return Parsed::Nothing;
    };
    parse_text(kind, path, file, &text, diags)
}

/// A content file's text parsed as what its place says it is.
fn parse_text(
    kind: Kind,
    path: &Path,
    file: &Arc<str>,
    text: &str,
    diags: &mut Diagnostics,
) -> Parsed {
    if let Some((line, column, c)) = control_character(text) {
        diags.error(
            Loc::new(file, line, column),
            msg!("load.control_char", code = code_point(c)),
        );
        return Parsed::Nothing;
    }
    let yaml = !matches!(kind, Kind::Article | Kind::Page);
    if yaml && is_empty_yaml(text) {
        diags.error(Loc::file(file), msg!("load.empty_file"));
        return Parsed::Nothing;
    }
    fn src<T>(file: &Arc<str>, doc: T) -> Source<T> {
        Source {
            file: Arc::clone(file),
            line_offset: 0,
            doc,
        }
    }
    match kind {
        Kind::Site => {
            parse_yaml(file, text, 0, diags).map(|d| Parsed::Site(Box::new(src(file, d))))
        }
        Kind::Agencies => parse_yaml(file, text, 0, diags).map(|d| Parsed::Agencies(src(file, d))),
        Kind::Plan => parse_yaml(file, text, 0, diags).map(|d| Parsed::Plan(src(file, d))),
        Kind::Kpis => parse_yaml(file, text, 0, diags).map(|d| Parsed::Kpis(src(file, d))),
        Kind::Report => parse_yaml(file, text, 0, diags).map(|d| report_source(path, src(file, d))),
        Kind::Article => parse_markdown(path, file, text, diags).map(Parsed::Article),
        Kind::Page => parse_markdown(path, file, text, diags).map(Parsed::Page),
    }
    .unwrap_or(Parsed::Nothing)
}

/// A report and what its path says (`reports/<folder>/<stem>.yaml`).
fn report_source(path: &Path, source: Source<RawReport>) -> Parsed {
    let name = |p: Option<&std::ffi::OsStr>| {
        p.map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    Parsed::Report(ReportSource {
        source,
        folder: name(path.parent().and_then(|p| p.file_name())),
        stem: name(path.file_stem()),
    })
}

/// The file as UTF-8 text without a byte-order mark, or an error that says
/// where the first invalid byte is.
fn read_text(path: &Path, file: &Arc<str>, diags: &mut Diagnostics) -> Option<String> {
    match std::fs::metadata(path) {
        Ok(m) if m.len() > MAX_TEXT_FILE_BYTES => {
            diags.error(
                Loc::file(file),
                msg!(
                    "load.too_large",
                    size = m.len() / (1024 * 1024),
                    max = MAX_TEXT_FILE_BYTES / (1024 * 1024)
                ),
            );
            return None;
        }
        Ok(_) => {}
        Err(e) => {
            diags.error(Loc::file(file), msg!("io.cannot_read", error = e));
            return None;
        }
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            diags.error(Loc::file(file), msg!("io.cannot_read", error = e));
            return None;
        }
    };
    let mut bytes = bytes;
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    // Checked in place, not copied: a national site reads 100 MB of YAML.
    match String::from_utf8(bytes) {
        Ok(s) => Some(s),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let good = &bytes[..valid];
            let line = good.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
            let line_start = good.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            let column = String::from_utf8_lossy(&good[line_start..]).chars().count() as u64 + 1;
            diags.error(Loc::new(file, line, column), msg!("load.not_utf8"));
            None
        }
    }
}

/// Splits `---\n<yaml>\n---\n<body>`; the YAML starts on line 2.
pub fn split_front_matter(text: &str) -> Option<(&str, &str, u64)> {
    let rest = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))?;
    let mut offset = 0;
    let mut lines = 1u64;
    for line in rest.split_inclusive('\n') {
        lines += 1;
        if line.trim_end() == "---" {
            let yaml = &rest[..offset];
            let body = &rest[offset + line.len()..];
            return Some((yaml, body, lines + 1));
        }
        offset += line.len();
    }
    None
}

fn parse_markdown<M: DeserializeOwned>(
    path: &Path,
    file: &Arc<str>,
    text: &str,
    diags: &mut Diagnostics,
) -> Option<MarkdownSource<M>> {
    let Some((yaml, body, body_line)) = split_front_matter(text) else {
        diags.error(Loc::new(file, 1, 1), msg!("markdown.no_front_matter"));
        return None;
    };
    let doc = parse_yaml::<M>(file, yaml, 1, diags)?;
    Some(markdown_source(path, file, doc, body, body_line))
}

/// A Markdown file's parts, its slug and language from its name.
fn markdown_source<M>(
    path: &Path,
    file: &Arc<str>,
    doc: M,
    body: &str,
    body_line: u64,
) -> MarkdownSource<M> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = name.strip_suffix(".md").unwrap_or(&name);
    let (slug, lang) = match stem.rsplit_once('.') {
        Some((slug, lang)) => (slug.to_string(), Some(lang.to_string())),
        None => (stem.to_string(), None),
    };
    MarkdownSource {
        source: Source {
            file: Arc::clone(file),
            line_offset: 1,
            doc,
        },
        slug,
        lang,
        body: body.to_string(),
        body_line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_splits_at_the_second_rule() {
        let (yaml, body, line) = split_front_matter("---\ntitle: A\n---\nBody\n").unwrap();
        assert_eq!(yaml, "title: A\n");
        assert_eq!(body, "Body\n");
        assert_eq!(line, 4);
        assert!(split_front_matter("title: A\n").is_none());
        assert!(split_front_matter("---\ntitle: A\n").is_none());
        let (yaml, body, _) = split_front_matter("---\r\ntitle: A\r\n---\r\nB").unwrap();
        assert_eq!(yaml, "title: A\r\n");
        assert_eq!(body, "B");
    }

    #[test]
    fn classifies_by_place() {
        assert_eq!(classify("plans/a.yaml"), Some(Kind::Plan));
        assert_eq!(classify("reports/2025-03/so-y-te.yaml"), Some(Kind::Report));
        assert_eq!(classify("news/a.md"), Some(Kind::Article));
        assert_eq!(classify("plans/sub/a.yaml"), None);
        assert_eq!(classify("notes.txt"), None);
    }
}
