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

use super::xlsx::{self, CellError, Grid};
use super::yaml_edit::{self, EditError, Mapping, SetKey};
use super::{cell_diagnostics, load_lenient, on_disk, read_text, usage, write_new};
use crate::diag::{Diagnostic, Diagnostics, Loc, Message};
use crate::model::Model;
use crate::{Failure, Options, load, model, msg};
use rust_xlsxwriter::{Format, ProtectionOptions, Workbook};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// The sheet of texts, by which `import` knows the workbook.
pub const SHEET: &str = "Bản dịch";
const SHEET_GUIDE: &str = "Hướng dẫn";
const COLUMNS: [&str; 4] = ["id", "trường", "Tiếng Việt", "English"];
/// Rows `import` reads at most: a province has a few thousand texts; a
/// national site exports the missing ones (`--missing`) a part at a time.
pub const MAX_ROWS: u32 = 60_000;

const GUIDE: &[&str] = &[
    "Bản dịch tiếng Anh của cổng theo dõi tiến độ — English texts of the progress portal",
    "",
    "1. Trang «Bản dịch»: mỗi dòng là một văn bản của cổng (tên nhiệm vụ, chỉ tiêu, tổ công tác, ghi chú báo cáo...). Điền bản tiếng Anh vào cột English; các cột khác bị khóa.",
    "   Each row of the sheet «Bản dịch» is one text of the portal. Write its English in the English column; the other columns are locked.",
    "2. Ô English để trống: trang tiếng Anh hiện văn bản tiếng Việt. Xóa nội dung một ô không xóa bản dịch đã có trong tệp nội dung.",
    "   An empty English cell: the English pages show the Vietnamese text. Emptying a cell does not remove a translation already in the content files.",
    "3. Xuống dòng trong ô bằng Alt+Enter. Mô tả, ghi chú và định nghĩa là Markdown: giữ các ký hiệu **đậm**, - danh sách, [liên kết](địa chỉ).",
    "   Line breaks with Alt+Enter. Descriptions, notes and definitions are Markdown: keep their **bold**, - lists and [links](addresses).",
    "4. Không thêm, xóa dòng, không sửa cột id và trường. Gửi lại tệp cho ban biên tập: «tiendo import» ghi bản dịch vào các tệp YAML.",
    "   Do not add or delete rows, nor change the id and trường columns. Send the file back: «tiendo import» writes the translations into the YAML files.",
];

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

fn at(loc: &Loc) -> Mapping {
    Mapping::At {
        line: loc.line,
        column: loc.column,
    }
}

/// Every text the English pages show in English where it is translated,
/// one a (file, id, field), in the order of the site: site.yaml, working
/// groups, agencies, plans, tasks, KPIs, then each report's updates. A
/// field with no Vietnamese text has no row. A new kind of content joins
/// with one line below.
pub fn catalogue(m: &Model) -> Vec<Text<'_>> {
    let mut out = Texts(Vec::new());
    let mut add =
        |file, mapping, id: &str, field, vi, en| out.add(file, mapping, id, field, vi, en);
    if let Some(s) = &m.site {
        let (t, d) = (&s.title, &s.description);
        add(
            &s.file,
            Mapping::Top,
            "site",
            "title",
            Some(t),
            s.title_en.as_deref(),
        );
        add(
            &s.file,
            Mapping::Top,
            "site",
            "description",
            d.as_deref(),
            s.description_en.as_deref(),
        );
    }
    for g in &m.groups {
        let (file, id) = (&*g.loc.file, format!("group/{}", g.id));
        add(
            file,
            at(&g.loc),
            &id,
            "name",
            Some(&g.name),
            g.name_en.as_deref(),
        );
        add(
            file,
            at(&g.loc),
            &id,
            "leader",
            g.leader.as_deref(),
            g.leader_en.as_deref(),
        );
    }
    for a in &m.agencies {
        let id = format!("agency/{}", a.id);
        add(
            &a.loc.file,
            at(&a.loc),
            &id,
            "name",
            Some(&a.name),
            a.name_en.as_deref(),
        );
    }
    for p in &m.plans {
        let id = format!("plan/{}", p.id);
        add(
            &p.file,
            Mapping::Top,
            &id,
            "title",
            Some(&p.title),
            p.title_en.as_deref(),
        );
    }
    for t in &m.tasks {
        let (file, id) = (&*t.loc.file, format!("task/{}", t.id));
        add(
            file,
            at(&t.loc),
            &id,
            "title",
            Some(&t.title),
            t.title_en.as_deref(),
        );
        add(
            file,
            at(&t.loc),
            &id,
            "description",
            t.description.as_deref(),
            t.description_en.as_deref(),
        );
        add(
            file,
            at(&t.loc),
            &id,
            "result",
            t.result.as_deref(),
            t.result_en.as_deref(),
        );
        add(
            file,
            at(&t.loc),
            &id,
            "responsible",
            t.responsible.as_deref(),
            t.responsible_en.as_deref(),
        );
    }
    for k in &m.kpis {
        let (file, id, meta) = (&*k.loc.file, format!("kpi/{}", k.id), &k.meta);
        let unit = k.unit_is_words().then_some(k.unit.as_str());
        add(
            file,
            at(&k.loc),
            &id,
            "name",
            Some(&k.name),
            k.name_en.as_deref(),
        );
        add(file, at(&k.loc), &id, "unit", unit, meta.unit_en.as_deref());
        add(
            file,
            at(&k.loc),
            &id,
            "definition",
            meta.definition.as_deref(),
            meta.definition_en.as_deref(),
        );
    }
    for r in &m.reports {
        for u in &r.updates {
            let id = format!("update/{}/{}/{}", r.period.key(), r.agency, u.task);
            add(
                &r.file,
                at(&u.loc),
                &id,
                "note",
                u.note.as_deref(),
                u.note_en.as_deref(),
            );
        }
    }
    out.0
}

/// The catalogue as it is made.
struct Texts<'m>(Vec<Text<'m>>);

impl<'m> Texts<'m> {
    /// A text, if its Vietnamese is written.
    fn add(
        &mut self,
        file: &'m str,
        mapping: Mapping,
        id: &str,
        field: &'static str,
        vi: Option<&'m str>,
        en: Option<&'m str>,
    ) {
        if let Some(vi) = vi.filter(|v| !v.is_empty()) {
            self.0.push(Text {
                file,
                mapping,
                id: id.to_string(),
                field,
                vi,
                en,
            });
        }
    }
}

/// How many texts of the catalogue lack an English version, of how many.
pub fn untranslated(m: &Model) -> (usize, usize) {
    let all = catalogue(m);
    (all.iter().filter(|t| t.en.is_none()).count(), all.len())
}

/// The workbook of `texts`. Every text is written as a text cell, never a
/// formula (`=1+1` stays text); rust_xlsxwriter escapes control characters
/// (which the model refuses anyway) and a literal `_x0041_`, which Excel
/// would otherwise read as the letter it escapes (`_x005F_x0041_`), so
/// each text comes back as it went (a unit test holds it).
pub fn write_workbook(texts: &[Text]) -> Result<Vec<u8>, String> {
    let xerr = xlsx::xerr;
    let mut wb = Workbook::new();
    let head = Format::new().set_bold().set_locked();
    let locked = Format::new()
        .set_locked()
        .set_text_wrap()
        .set_background_color(0xEEEEEE);
    let open = Format::new().set_unlocked().set_text_wrap();

    let ws = wb.add_worksheet();
    ws.set_name(SHEET_GUIDE).map_err(xerr)?;
    ws.set_column_width(0, 120).map_err(xerr)?;
    let wrap = Format::new().set_text_wrap();
    for (r, line) in GUIDE.iter().enumerate() {
        let f = if r == 0 { &head } else { &wrap };
        ws.write_string_with_format(r as u32, 0, *line, f)
            .map_err(xerr)?;
    }
    ws.protect();

    let ws = wb.add_worksheet();
    ws.set_name(SHEET).map_err(xerr)?;
    for (c, (h, w)) in COLUMNS.iter().zip([36, 14, 60, 60]).enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &head)
            .map_err(xerr)?;
        ws.set_column_width(c as u16, w).map_err(xerr)?;
    }
    ws.set_freeze_panes(1, 0).map_err(xerr)?;
    for (n, t) in texts.iter().enumerate() {
        let r = n as u32 + 1;
        ws.write_string_with_format(r, 0, &t.id, &locked)
            .map_err(xerr)?;
        ws.write_string_with_format(r, 1, t.field, &locked)
            .map_err(xerr)?;
        ws.write_string_with_format(r, 2, t.vi, &locked)
            .map_err(xerr)?;
        match t.en {
            Some(en) => ws.write_string_with_format(r, 3, en, &open),
            None => ws.write_blank(r, 3, &open),
        }
        .map_err(xerr)?;
    }
    let last = texts.len() as u32;
    ws.autofilter(0, 0, last, 3).map_err(xerr)?;
    ws.protect_with_options(&ProtectionOptions {
        format_columns: true,
        format_rows: true,
        use_autofilter: true,
        sort: false,
        ..ProtectionOptions::new()
    });
    wb.save_to_buffer().map_err(xerr)
}

/// `tiendo export translations --xlsx FILE`: every text (`missing`: those
/// without English only) as a workbook, never over an existing file.
/// Returns the file, and how many rows and how many of them lack English.
pub fn export(
    opts: &Options,
    out: &Path,
    missing: bool,
) -> Result<(PathBuf, usize, usize), Failure> {
    let m = super::load_model(opts)?;
    let texts: Vec<Text> = catalogue(&m)
        .into_iter()
        .filter(|t| !missing || t.en.is_none())
        .collect();
    if texts.len() > MAX_ROWS as usize {
        return Err(usage(msg!(
            "translations.too_many",
            count = texts.len(),
            max = MAX_ROWS
        )));
    }
    let bytes = write_workbook(&texts).map_err(Failure::Io)?;
    write_new(out, &bytes, false)?;
    let lacking = texts.iter().filter(|t| t.en.is_none()).count();
    Ok((out.to_path_buf(), texts.len(), lacking))
}

/// One row of a workbook as read: its 0-based row, and its four cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub row: u32,
    pub id: String,
    pub field: String,
    pub vi: String,
    pub en: Option<String>,
}

/// Whether `bytes` are a translators' workbook (it has the sheet
/// «Bản dịch»), so that `import` reads it as one.
pub fn is_workbook(bytes: &[u8]) -> bool {
    use calamine::Reader;
    xlsx::check_container(bytes).is_ok()
        && calamine::open_workbook_from_rs::<xlsx::Book<'_>, _>(std::io::Cursor::new(bytes))
            .is_ok_and(|wb| wb.sheet_names().iter().any(|n| n == SHEET))
}

/// A text cell of the workbook: line ends as `\n`.
fn text_of(g: &Grid, row: u32, col: u32, errs: &mut Vec<CellError>) -> Option<String> {
    xlsx::cell_text(xlsx::value(g, row, col, errs))
        .map(|s| s.replace("\r\n", "\n").replace('\r', "\n"))
}

/// The rows of a translators' workbook, with every problem at its cell:
/// the header as written, no formula in an English cell, ids and fields
/// present.
pub fn read_workbook(bytes: &[u8]) -> Result<Vec<Row>, Vec<CellError>> {
    xlsx::check_container(bytes).map_err(|e| vec![e])?;
    let mut wb: xlsx::Book<'_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e: calamine::XlsxError| {
            vec![xlsx::whole(msg!(
                "xlsx.not_a_workbook",
                error = e.to_string()
            ))]
        })?;
    let mut errs = Vec::new();
    let g = xlsx::read_grid_within(&mut wb, SHEET, (MAX_ROWS as usize * 6, MAX_ROWS), &mut errs)
        .ok_or_else(|| errs.clone())?;
    for (c, name) in COLUMNS.iter().enumerate() {
        let c = c as u32;
        if g.cell(0, c)
            .and_then(|x| xlsx::cell_text(&x.value))
            .as_deref()
            != Some(*name)
        {
            errs.push(CellError {
                cell: g.at(0, c),
                message: msg!("translations.header", name = *name),
            });
        }
    }
    xlsx::merged_errors(&g, 0..4, &mut errs);
    let mut rows = Vec::new();
    for row in 1..=g.last_row() {
        if (0..4).all(|c| g.cell(row, c).is_none()) {
            continue;
        }
        if g.cell(row, 3).is_some_and(|c| c.formula) {
            errs.push(CellError {
                cell: g.at(row, 3),
                message: msg!("translations.formula"),
            });
            continue;
        }
        let id = text_of(&g, row, 0, &mut errs);
        let field = text_of(&g, row, 1, &mut errs);
        let vi = text_of(&g, row, 2, &mut errs).unwrap_or_default();
        let en = text_of(&g, row, 3, &mut errs);
        match (id, field) {
            (Some(id), Some(field)) => rows.push(Row {
                row,
                id,
                field,
                vi,
                en,
            }),
            (id, _) => errs.push(CellError {
                cell: g.at(row, if id.is_none() { 0 } else { 1 }),
                message: msg!("translations.no_id"),
            }),
        }
    }
    if errs.is_empty() { Ok(rows) } else { Err(errs) }
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

/// Models the site with `files` in place of their text on disk: no new
/// error in them, and every text of the catalogue as `expected` says
/// (English ones as the workbook gives them, every other unchanged). The
/// errors, else nothing.
fn verify(
    opts: &Options,
    files: &BTreeMap<String, String>,
    expected: &[(String, &'static str, &str, Option<String>)],
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
    let now: Vec<(String, &'static str, &str, Option<String>)> = catalogue(&m)
        .into_iter()
        .map(|t| (t.id, t.field, t.vi, t.en.map(str::to_string)))
        .collect();
    if now.as_slice() == expected {
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
    if !errs.is_empty() {
        return Err(cell_diagnostics(&name, errs, lang));
    }
    let files =
        edited_files(opts, &edits, &texts).map_err(|errs| cell_diagnostics(&name, errs, lang))?;
    let mut expected: Vec<(String, &'static str, &str, Option<String>)> = texts
        .iter()
        .map(|t| (t.id.clone(), t.field, t.vi, t.en.map(str::to_string)))
        .collect();
    for e in &edits {
        expected[e.text].3 = Some(e.value.clone());
    }
    verify(opts, &files, &expected).map_err(|d| Failure::Content(d, lang))?;
    let mut written = Vec::new();
    for (f, text) in &files {
        let path = on_disk(opts, f);
        write_new(&path, text.as_bytes(), true)?;
        let mine = edits.iter().filter(|e| texts[e.text].file == f);
        let replaced = mine.clone().filter(|e| e.replaces).count();
        written.push(Written {
            path,
            added: mine.count() - replaced,
            replaced,
        });
    }
    let mut w = Diagnostics::new();
    for c in warns {
        w.warning(Loc::file(&format!("{name}:{}", c.cell).into()), c.message);
    }
    Ok((written, w.sorted()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text<'a>(id: &str, field: &'static str, vi: &'a str, en: Option<&'a str>) -> Text<'a> {
        Text {
            file: "content/kpis.yaml",
            mapping: Mapping::Top,
            id: id.to_string(),
            field,
            vi,
            en,
        }
    }

    #[test]
    fn texts_come_back_from_the_workbook_as_written() {
        let texts = [
            text(
                "kpi/a",
                "name",
                "Tỷ lệ _x0041_ =1+1",
                Some("Rate _x000B_ as text"),
            ),
            text("kpi/a", "definition", "Dòng một\nDòng hai", None),
            text("kpi/b", "unit", "@trung tâm", Some("-centres")),
        ];
        let bytes = write_workbook(&texts).unwrap();
        assert!(is_workbook(&bytes));
        let rows = read_workbook(&bytes).unwrap();
        let back: Vec<(String, String, String, Option<String>)> = rows
            .into_iter()
            .map(|r| (r.id, r.field, r.vi, r.en))
            .collect();
        let want: Vec<(String, String, String, Option<String>)> = texts
            .iter()
            .map(|t| {
                (
                    t.id.clone(),
                    t.field.to_string(),
                    t.vi.to_string(),
                    t.en.map(str::to_string),
                )
            })
            .collect();
        assert_eq!(back, want);
    }

    #[test]
    fn a_report_workbook_is_no_translators_workbook() {
        assert!(!is_workbook(b"PK not really"));
        let report = crate::editor::ReportDraft {
            agency: "a".into(),
            agency_name: String::new(),
            period: crate::date::Period::parse("2025-06").unwrap(),
            submitted: None,
            due: crate::date::parse_date("2025-06-20").unwrap(),
            summary: None,
            updates: Vec::new(),
            kpis: Vec::new(),
            rows: Default::default(),
        };
        assert!(!is_workbook(&xlsx::write_report(&report).unwrap()));
    }
}
