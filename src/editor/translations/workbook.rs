//! Part of the translators' workbook, the workbook itself: written from
//! the catalogue (a guide, then «Bản dịch»: `id`, `trường`, `Tiếng Việt`,
//! `English`, one text a row, every cell locked but the English ones) and
//! read back row by row with every problem at its cell. No I/O.

use super::Text;
use crate::editor::xlsx::{self, CellError, Grid};
use crate::msg;
use rust_xlsxwriter::{Format, ProtectionOptions, Workbook};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::editor::yaml_edit::Mapping;

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
            proposals: Vec::new(),
            replies: Vec::new(),
            awaiting: Vec::new(),
            rows: Default::default(),
        };
        assert!(!is_workbook(&xlsx::write_report(&report).unwrap()));
    }
}
