//! The translators' workbook: every text the English pages show in English
//! when it is translated ([`catalogue`]), written as a workbook a
//! translator fills in (`tiendo export translations --xlsx FILE`) and read
//! back into the YAML files (`tiendo import FILE`), each English text on
//! the `*_en:` line after its Vietnamese field, every other line of the
//! files as it was ([`super::yaml_edit`]).
//!
//! Stage: beside `model`, like the rest of `editor`. Input: the model, a
//! workbook's bytes, the YAML files' text; output: the workbook's bytes,
//! the files' new text (checked by modelling the site with it before
//! anything is written), how many texts still lack a translation.
//!
//! Layout: a guide sheet, then «Bản dịch»: `id`, `trường`, `Tiếng Việt`,
//! `English`, one text a row; every cell locked but the English ones.

mod workbook;

pub use workbook::{MAX_ROWS, Row, SHEET, is_workbook, read_workbook, write_workbook};

use super::xlsx::{self, CellError};
use super::yaml_edit::{self, EditError, Mapping, SetKey};
use super::{cell_diagnostics, load_lenient, on_disk, read_text, usage, write_new};
use crate::diag::{Diagnostic, Diagnostics, Loc, Message};
use crate::model::Model;
use crate::{Failure, Options, load, model, msg};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// One text of the site that has, or may have, an English version.
#[derive(Debug, Clone, PartialEq)]
pub struct Text<'m> {
    /// The file it is written in, relative to the site root.
    pub file: &'m str,
    /// Where in that file its mapping is.
    pub mapping: Mapping,
    /// What the workbook calls the thing: `task/dvc-truc-tuyen`,
    /// `update/2025-05/so-khcn/dvc-truc-tuyen`, `site`.
    pub id: String,
    /// The Vietnamese field; its English is `<field>_en`.
    pub field: &'static str,
    pub vi: &'m str,
    pub en: Option<&'m str>,
}

impl Text<'_> {
    /// The key its English is written under.
    pub fn key(&self) -> String {
        format!("{}_en", self.field)
    }
}

/// Every text the English pages show in English where it is translated,
/// one a (file, id, field), in the order of the site: site.yaml, working
/// groups, agencies, plans, tasks, KPIs, then each report's updates,
/// proposals and replies. A field with no Vietnamese text has no row. A
/// new kind of content joins with a line per field.
pub fn catalogue(m: &Model) -> Vec<Text<'_>> {
    let mut out = Vec::new();
    if let Some(s) = &m.site {
        Thing::top(&mut out, &s.file, "site".into())
            .add("title", &s.title, &s.title_en)
            .add("description", &s.description, &s.description_en);
    }
    for g in &m.groups {
        Thing::at(&mut out, &g.loc, format!("group/{}", g.id))
            .add("name", &g.name, &g.name_en)
            .add("leader", &g.leader, &g.leader_en);
    }
    for a in &m.agencies {
        Thing::at(&mut out, &a.loc, format!("agency/{}", a.id)).add("name", &a.name, &a.name_en);
    }
    for p in &m.plans {
        Thing::top(&mut out, &p.file, format!("plan/{}", p.id)).add("title", &p.title, &p.title_en);
    }
    for t in &m.tasks {
        Thing::at(&mut out, &t.loc, format!("task/{}", t.id))
            .add("title", &t.title, &t.title_en)
            .add("description", &t.description, &t.description_en)
            .add("result", &t.result, &t.result_en)
            .add("responsible", &t.responsible, &t.responsible_en);
    }
    for k in &m.kpis {
        // `%` or `km` is no word to translate, nor a rank's unit.
        let unit = if k.unit_is_words() { &k.unit } else { &NONE };
        Thing::at(&mut out, &k.loc, format!("kpi/{}", k.id))
            .add("name", &k.name, &k.name_en)
            .add("unit", unit, &k.meta.unit_en)
            .add("definition", &k.meta.definition, &k.meta.definition_en);
    }
    for r in &m.reports {
        for u in &r.updates {
            let id = format!("update/{}/{}/{}", r.period.key(), r.agency, u.task);
            Thing::at(&mut out, &u.loc, id).add("note", &u.note, &u.note_en);
        }
        for (p, loc) in r.proposals.iter().zip(&r.proposal_locs) {
            let id = format!("proposal/{}/{}/{}", r.period.key(), r.agency, p.id);
            Thing::at(&mut out, loc, id).add("text", &p.text, &p.text_en);
        }
        for (a, loc) in r.replies.iter().zip(&r.reply_locs) {
            let id = format!("reply/{}/{}/{}", r.period.key(), r.agency, a.to);
            Thing::at(&mut out, loc, id).add("text", &a.text, &a.text_en);
        }
    }
    out
}

static NONE: String = String::new();

/// A Vietnamese field as the model holds it, required or optional.
trait Field {
    fn text(&self) -> &str;
}

impl Field for String {
    fn text(&self) -> &str {
        self
    }
}

impl Field for Option<String> {
    fn text(&self) -> &str {
        self.as_deref().unwrap_or("")
    }
}

/// One thing of the site (a task, a KPI...) as its texts join the catalogue.
struct Thing<'a, 'm> {
    out: &'a mut Vec<Text<'m>>,
    file: &'m str,
    mapping: Mapping,
    id: String,
}

impl<'a, 'm> Thing<'a, 'm> {
    /// A thing that is a whole file (site.yaml, a plan).
    fn top(out: &'a mut Vec<Text<'m>>, file: &'m str, id: String) -> Self {
        let mapping = Mapping::Top;
        Thing {
            out,
            file,
            mapping,
            id,
        }
    }

    /// A thing written as a mapping at `loc`, the place of its first key.
    fn at(out: &'a mut Vec<Text<'m>>, loc: &'m Loc, id: String) -> Self {
        let mapping = Mapping::At {
            line: loc.line,
            column: loc.column,
        };
        Thing {
            out,
            file: &loc.file,
            mapping,
            id,
        }
    }

    /// Its field `field`, if its Vietnamese is written.
    fn add(self, field: &'static str, vi: &'m impl Field, en: &'m Option<String>) -> Self {
        if !vi.text().is_empty() {
            self.out.push(Text {
                file: self.file,
                mapping: self.mapping,
                id: self.id.clone(),
                field,
                vi: vi.text(),
                en: en.as_deref(),
            });
        }
        self
    }
}

/// How many texts of the catalogue lack an English version, of how many.
pub fn untranslated(m: &Model) -> (usize, usize) {
    let all = catalogue(m);
    (all.iter().filter(|t| t.en.is_none()).count(), all.len())
}

/// The kinds of things whose texts a workbook may hold, as ids begin.
pub const KINDS: [&str; 7] = ["site", "group", "agency", "plan", "task", "kpi", "update"];

/// Which texts `export translations` writes: those without English only
/// (`--missing`), those of some kinds only (`--only task,kpi`).
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub missing: bool,
    pub only: Vec<String>,
}

/// What `export translations` wrote: the file, its rows, how many of them
/// lack English, and how many texts it selected in all (more than its rows
/// when `--missing` asked for more than a workbook holds).
#[derive(Debug, Clone, PartialEq)]
pub struct Exported {
    pub path: PathBuf,
    pub rows: usize,
    pub lacking: usize,
    pub selected: usize,
}

/// `tiendo export translations --xlsx FILE`: the selected texts as a
/// workbook, never over an existing file. Past [`MAX_ROWS`], texts without
/// English go out a workbook at a time (the first ones; once they are
/// imported, the next export holds the next), and all texts are refused.
pub fn export(opts: &Options, out: &Path, sel: &Selection) -> Result<Exported, Failure> {
    if let Some(kind) = sel.only.iter().find(|k| !KINDS.contains(&k.as_str())) {
        return Err(usage(msg!(
            "translations.no_kind",
            kind,
            kinds = KINDS.join(", ")
        )));
    }
    let m = super::load_model(opts)?;
    let kind_of = |id: &str| id.split('/').next().unwrap_or("").to_string();
    let mut texts: Vec<Text> = catalogue(&m)
        .into_iter()
        .filter(|t| !sel.missing || t.en.is_none())
        .filter(|t| sel.only.is_empty() || sel.only.contains(&kind_of(&t.id)))
        .collect();
    let selected = texts.len();
    if selected > MAX_ROWS as usize {
        if !sel.missing {
            return Err(usage(msg!(
                "translations.too_many",
                count = selected,
                max = MAX_ROWS
            )));
        }
        texts.truncate(MAX_ROWS as usize);
    }
    let bytes = write_workbook(&texts).map_err(Failure::Io)?;
    write_new(out, &bytes, false)?;
    Ok(Exported {
        path: out.to_path_buf(),
        rows: texts.len(),
        lacking: texts.iter().filter(|t| t.en.is_none()).count(),
        selected,
    })
}

/// An English text to write: the text's index in the catalogue, the text,
/// the workbook row it comes from, and whether it replaces another.
#[derive(Debug, Clone)]
struct Edit {
    text: usize,
    value: String,
    row: u32,
    replaces: bool,
}

/// What a workbook asks of the catalogue: the edits, and every problem
/// (errors) and doubt (warnings) at its cell.
fn plan_edits(rows: &[Row], texts: &[Text]) -> (Vec<Edit>, Vec<CellError>, Vec<CellError>) {
    let cell = |row: u32, col: u32| xlsx::cell_ref(SHEET, row, col);
    let by_key: HashMap<(&str, &str), usize> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| ((t.id.as_str(), t.field), i))
        .collect();
    let mut fields: HashMap<&str, Vec<&str>> = HashMap::new();
    for t in texts {
        fields.entry(&t.id).or_default().push(t.field);
    }
    let (mut edits, mut errs, mut warns) = (Vec::new(), Vec::new(), Vec::new());
    let mut seen: HashMap<usize, u32> = HashMap::new();
    for r in rows {
        let Some(known) = fields.get(r.id.as_str()) else {
            errs.push(CellError {
                cell: cell(r.row, 0),
                message: msg!("translations.unknown_id", id = &r.id),
            });
            continue;
        };
        let Some(&i) = by_key.get(&(r.id.as_str(), r.field.as_str())) else {
            errs.push(CellError {
                cell: cell(r.row, 1),
                message: msg!(
                    "translations.unknown_field",
                    field = &r.field,
                    id = &r.id,
                    fields = known.join(", ")
                ),
            });
            continue;
        };
        if let Some(first) = seen.insert(i, r.row) {
            errs.push(CellError {
                cell: cell(r.row, 0),
                message: msg!("translations.twice", first = cell(first, 0)),
            });
            continue;
        }
        let t = &texts[i];
        let Some(en) = &r.en else {
            if t.en.is_some() {
                warns.push(CellError {
                    cell: cell(r.row, 3),
                    message: msg!("translations.emptied", key = t.key(), file = t.file),
                });
            }
            continue;
        };
        if let Some(problem) = character_problem(en) {
            errs.push(CellError {
                cell: cell(r.row, 3),
                message: problem,
            });
            continue;
        }
        if t.en == Some(en.as_str()) {
            continue;
        }
        if crate::text::nfc(r.vi.trim()) != t.vi {
            warns.push(CellError {
                cell: cell(r.row, 2),
                message: msg!("translations.source_changed", file = t.file),
            });
        }
        edits.push(Edit {
            text: i,
            value: en.clone(),
            row: r.row,
            replaces: t.en.is_some(),
        });
    }
    (edits, errs, warns)
}

/// What the model refuses in a text, said at the cell: a control
/// character, typed or as a spreadsheet escape (`_x000B_`).
fn character_problem(s: &str) -> Option<Message> {
    let code = crate::load::code_point;
    if let Some(c) = s.chars().find(|&c| crate::text::is_forbidden_control(c)) {
        return Some(msg!("text.control_char", code = code(c)));
    }
    let (i, c) = crate::text::spreadsheet_escape(s)?;
    Some(msg!(
        "text.spreadsheet_escape",
        escape = &s[i..i + 7],
        code = code(c)
    ))
}

/// Each file's new text, the edits applied as text.
fn edited_files(
    opts: &Options,
    edits: &[Edit],
    texts: &[Text],
) -> Result<BTreeMap<String, String>, Vec<CellError>> {
    let mut by_file: BTreeMap<&str, Vec<&Edit>> = BTreeMap::new();
    for e in edits {
        by_file.entry(texts[e.text].file).or_default().push(e);
    }
    let (mut out, mut errs) = (BTreeMap::new(), Vec::new());
    for (file, list) in by_file {
        let old = match read_text(&on_disk(opts, file)) {
            Ok(t) => t,
            Err(_) => {
                errs.push(xlsx::whole(msg!("translations.cannot_read", file)));
                continue;
            }
        };
        let keys: Vec<String> = list.iter().map(|e| texts[e.text].key()).collect();
        let sets: Vec<SetKey> = list
            .iter()
            .zip(&keys)
            .map(|(e, key)| SetKey {
                mapping: texts[e.text].mapping,
                after: texts[e.text].field,
                key,
                value: &e.value,
            })
            .collect();
        match yaml_edit::set_keys(&old, &sets) {
            Ok(new) => {
                out.insert(file.to_string(), new);
            }
            Err((k, why)) => {
                let key = &keys[k];
                let message = match why {
                    EditError::Flow { line } => msg!("translations.flow", file, line, key),
                    EditError::NoMapping { line } | EditError::NoKey { line } => {
                        msg!("translations.not_found", file, line, key)
                    }
                };
                errs.push(CellError {
                    cell: xlsx::cell_ref(SHEET, list[k].row, 3),
                    message,
                });
            }
        }
    }
    if errs.is_empty() { Ok(out) } else { Err(errs) }
}

/// A text of the catalogue as the files must hold it once written: id,
/// field, Vietnamese, English.
type Expected = (String, &'static str, String, Option<String>);

/// Models the site with `files` in place of their text on disk: no new
/// error in them, and every text of the catalogue as `expected` says
/// (English ones as the workbook gives them, every other unchanged). The
/// errors, else nothing.
fn verify(
    opts: &Options,
    files: &BTreeMap<String, String>,
    expected: &[Expected],
) -> Result<(), Vec<Diagnostic>> {
    let mut before = Diagnostics::new();
    let mut after = Diagnostics::new();
    let io = |e: load::IoError| {
        let mut d = Diagnostics::new();
        d.error(
            Loc::file(&std::sync::Arc::from("content")),
            msg!("io.cannot_read", error = e.0),
        );
        d.sorted()
    };
    let mut raw = load::load(&opts.root, &mut before).map_err(io)?;
    for (file, text) in files {
        replace_source(&mut raw, file, text, &mut after);
    }
    let m = model::build(raw, &mut after);
    let errors: Vec<Diagnostic> = after
        .sorted()
        .into_iter()
        .filter(|d| d.severity == crate::diag::Severity::Error && files.contains_key(&*d.loc.file))
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    let now = catalogue(&m);
    let same = now.len() == expected.len()
        && now.iter().zip(expected).all(|(t, (id, field, vi, en))| {
            t.id == *id && t.field == *field && t.vi == vi && t.en == en.as_deref()
        });
    if same {
        return Ok(());
    }
    let file = files.keys().next().map_or("content", String::as_str);
    let mut d = Diagnostics::new();
    d.error(
        Loc::file(&std::sync::Arc::from(file)),
        msg!("translations.reads_back"),
    );
    Err(d.sorted())
}

/// The loaded source of `file` parsed anew from `text`.
fn replace_source(raw: &mut load::RawContent, file: &str, text: &str, d: &mut Diagnostics) {
    fn parse<T: serde::de::DeserializeOwned>(
        src: &mut load::Source<T>,
        text: &str,
        d: &mut Diagnostics,
    ) {
        if let Some(doc) = load::parse_yaml(&src.file, text, src.line_offset, d) {
            src.doc = doc;
        }
    }
    if let Some(s) = raw.site.as_mut().filter(|s| &*s.file == file) {
        parse(s, text, d);
    } else if let Some(s) = raw.agencies.as_mut().filter(|s| &*s.file == file) {
        parse(s, text, d);
    } else if let Some(s) = raw.kpis.as_mut().filter(|s| &*s.file == file) {
        parse(s, text, d);
    } else if let Some(s) = raw.plans.iter_mut().find(|s| &*s.file == file) {
        parse(s, text, d);
    } else if let Some(r) = raw.reports.iter_mut().find(|r| &*r.source.file == file) {
        parse(&mut r.source, text, d);
    }
}

/// One file `import` wrote: how many English texts it added and replaced.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    pub path: PathBuf,
    pub added: usize,
    pub replaced: usize,
}

/// `tiendo import` of a translators' workbook: every English text that
/// differs from the files' written into them (an emptied cell removes
/// nothing: it is said, at its cell), all or nothing. Returns the files
/// written and the warnings.
pub fn import(opts: &Options, file: &Path) -> Result<(Vec<Written>, Vec<Diagnostic>), Failure> {
    let lang = opts.lang.unwrap_or_default();
    let name = file.display().to_string();
    let bytes = std::fs::read(file)
        .map_err(|e| usage(msg!("editor.cannot_read", path = &name, error = e)))?;
    let rows = read_workbook(&bytes).map_err(|errs| cell_diagnostics(&name, errs, lang))?;
    let m = load_lenient(opts)?;
    let texts = catalogue(&m);
    let (edits, errs, warns) = plan_edits(&rows, &texts);
    drop(rows);
    if !errs.is_empty() {
        return Err(cell_diagnostics(&name, errs, lang));
    }
    let files =
        edited_files(opts, &edits, &texts).map_err(|errs| cell_diagnostics(&name, errs, lang))?;
    let mut expected: Vec<Expected> = texts
        .iter()
        .map(|t| {
            (
                t.id.clone(),
                t.field,
                t.vi.to_string(),
                t.en.map(str::to_string),
            )
        })
        .collect();
    // (added, replaced) by file.
    let mut counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for e in &edits {
        let c = counts.entry(texts[e.text].file).or_default();
        if e.replaces {
            c.1 += 1
        } else {
            c.0 += 1
        }
        expected[e.text].3 = Some(e.value.clone());
    }
    let counts: BTreeMap<String, (usize, usize)> = counts
        .into_iter()
        .map(|(f, c)| (f.to_string(), c))
        .collect();
    // The site is modelled again to check: the first model goes first.
    drop(edits);
    drop(texts);
    drop(m);
    if !files.is_empty() {
        verify(opts, &files, &expected).map_err(|d| Failure::Content(d, lang))?;
    }
    let mut written = Vec::new();
    for (f, text) in &files {
        let path = on_disk(opts, f);
        write_new(&path, text.as_bytes(), true)?;
        let (added, replaced) = counts.get(f).copied().unwrap_or_default();
        written.push(Written {
            path,
            added,
            replaced,
        });
    }
    let mut w = Diagnostics::new();
    for c in warns {
        w.warning(Loc::file(&format!("{name}:{}", c.cell).into()), c.message);
    }
    Ok((written, w.sorted()))
}
