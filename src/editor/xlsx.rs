//! Monthly reports as Excel workbooks, both ways, for agencies that report
//! in Excel.
//!
//! Stage: beside `model`, like the rest of `editor`. Input: a
//! [`ReportDraft`] (to write, with rust_xlsxwriter) or a workbook's bytes
//! (to read, with calamine). Output: the workbook's bytes, or the draft
//! with every cell problem as `FILE.xlsx:Sheet!C7: error: ...`. No I/O.
//!
//! Layout: an instructions sheet, then `Báo cáo` (one field a row: key in
//! column A, value in B), `Nhiệm vụ` (one task a row), `Chỉ số` (one KPI
//! a row), `Kiến nghị` and `Trả lời` (difficulties and proposals, replies:
//! [`threads`]). Ids, titles, names and units are locked; states come from a
//! drop-down; progress is validated to 0..100 and dates to real dates.

mod threads;
pub use threads::{SHEET_PROPOSALS, SHEET_REPLIES};

use super::{DraftKpi, DraftUpdate, Origin, ReportDraft};
use crate::date::{Date, Period, parse_date};
use crate::diag::Message;
use crate::model::TaskState;
use crate::msg;
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, ExcelDateTime, Format, Workbook,
    Worksheet, XlsxError,
};

pub const SHEET_GUIDE: &str = "Hướng dẫn";
pub const SHEET_REPORT: &str = "Báo cáo";
pub const SHEET_UPDATES: &str = "Nhiệm vụ";
pub const SHEET_KPIS: &str = "Chỉ số";

/// The report sheet's rows (after the header): key, label, what it means.
const REPORT_FIELDS: [(&str, &str); 4] = [
    ("agency", "Mã cơ quan báo cáo (không sửa)"),
    ("period", "Kỳ báo cáo, tháng YYYY-MM (không sửa)"),
    ("submitted", "Ngày gửi báo cáo, ví dụ 19/06/2025"),
    ("summary", "Tóm tắt kết quả trong tháng (không bắt buộc)"),
];

/// Columns of the updates sheet, in the order of [`Origin::Update`].
const UPDATE_COLUMNS: [&str; 9] = [
    "task",
    "Tên nhiệm vụ",
    "state",
    "progress",
    "done_on",
    "note",
    "evidence",
    "reopened",
    "outlook",
];

/// Columns of the KPI sheet, in the order of [`Origin::Kpi`].
/// The last one is for the editor's information and never read back.
const KPI_COLUMNS: [&str; 7] = [
    "kpi",
    "Tên chỉ số",
    "Đơn vị",
    "date",
    "value",
    "note",
    "Số liệu gần nhất (không đọc)",
];

/// The columns of the KPI sheet that `import` reads.
const KPI_READ: u32 = 6;

/// Defined names holding the agency and period a workbook was written
/// for: an edited agency or period cell is told apart from a foreign one.
const NAME_AGENCY: &str = "tiendo_agency";
const NAME_PERIOD: &str = "tiendo_period";

const GUIDE: &[&str] = &[
    "Báo cáo tháng gửi cổng theo dõi tiến độ",
    "",
    "1. Trang «Báo cáo»: điền ngày gửi (submitted) và, nếu muốn, tóm tắt (summary).",
    "2. Trang «Nhiệm vụ»: mỗi dòng là một nhiệm vụ cơ quan chủ trì hoặc phối hợp. Chọn tình trạng (state) trong danh sách, điền tiến độ (progress, phần trăm 0–100), ngày hoàn thành (done_on, bắt buộc khi Hoàn thành), ghi chú (note) và đường dẫn văn bản minh chứng (evidence).",
    "3. Trang «Chỉ số»: điền ngày đo (date) và giá trị (value) mới của từng chỉ số; để trống cả hai ô nếu chưa có số liệu kỳ này. Cột cuối ghi số liệu gần nhất để tham khảo, không được đọc.",
    "4. Các cột mã và tên bị khóa: không thêm, xóa hay đổi tên dòng. Cần báo cáo thêm nhiệm vụ, hãy liên hệ ban biên tập cổng.",
    "5. Trang «Kiến nghị»: mỗi dòng là một khó khăn, vướng mắc (kind: difficulty) hoặc kiến nghị, đề xuất (proposal) của kỳ này: mã (id), cơ quan được kiến nghị (to, mã cơ quan), nhiệm vụ liên quan (task), nội dung (text), hạn trả lời (reply_by, không bắt buộc). Nhắc lại kiến nghị cũ thì ghi lại đúng mã cũ. Trang «Trả lời»: các kiến nghị gửi cơ quan đang chờ trả lời đã có sẵn mã; điền nội dung trả lời (text) và «có» ở cột resolved khi đã giải quyết xong; dòng để trống nội dung không phải là trả lời.",
    "6. Ngày ghi dạng ngày của Excel hoặc dạng văn bản 20/06/2025; số ghi 80 hoặc 80%.",
    "7. Gửi lại tệp cho ban biên tập; tệp được kiểm tra bằng «tiendo import» với cùng quy tắc như mọi báo cáo.",
    "",
    "Tình trạng và tiến độ điền sẵn là lần báo cáo gần nhất: sửa cho đúng kỳ này. Không thêm dòng tổng cộng, không gộp ô.",
];

pub(super) fn xerr(e: XlsxError) -> String {
    format!("cannot write the workbook: {e}")
}

/// A column index as Excel letters: 0 -> A, 26 -> AA.
pub fn col_letters(mut c: u32) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// `Sheet!C7` for a 0-based row and column.
pub fn cell_ref(sheet: &str, row: u32, col: u32) -> String {
    format!("{sheet}!{}{}", col_letters(col), row + 1)
}

/// The sheet cell a line of the report YAML comes from: the rows the
/// workbook had (blank rows skipped), else the rows tiendo writes.
pub fn origin_cell(rows: &super::SourceRows, o: Origin) -> String {
    let row =
        |given: Option<&u32>, n: usize| given.copied().filter(|r| *r > 0).unwrap_or(n as u32 + 1);
    match o {
        Origin::Header(i) => cell_ref(SHEET_REPORT, row(rows.header.get(i), i), 1),
        Origin::Update(n, c) => cell_ref(SHEET_UPDATES, row(rows.updates.get(n), n), c as u32),
        Origin::Kpi(n, c) => cell_ref(SHEET_KPIS, row(rows.kpis.get(n), n), c as u32),
        Origin::Proposal(n, c) => {
            cell_ref(SHEET_PROPOSALS, row(rows.proposals.get(n), n), c as u32)
        }
        Origin::Reply(n, c) => cell_ref(SHEET_REPLIES, row(rows.replies.get(n), n), c as u32),
    }
}

fn excel_date(d: Date) -> Result<ExcelDateTime, String> {
    use chrono::Datelike;
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8).map_err(xerr)
}

struct Formats {
    head: Format,
    locked: Format,
    open: Format,
    date: Format,
}

fn header(ws: &mut Worksheet, cols: &[&str], f: &Format) -> Result<(), String> {
    for (c, h) in cols.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, f)
            .map_err(xerr)?;
    }
    ws.set_freeze_panes(1, 0).map_err(xerr)?;
    Ok(())
}

fn text(ws: &mut Worksheet, r: u32, c: u16, s: Option<&str>, f: &Format) -> Result<(), String> {
    match s {
        Some(s) => ws.write_string_with_format(r, c, s, f).map_err(xerr)?,
        None => ws.write_blank(r, c, f).map_err(xerr)?,
    };
    Ok(())
}

fn num(ws: &mut Worksheet, r: u32, c: u16, x: Option<f64>, f: &Format) -> Result<(), String> {
    match x {
        Some(x) => ws.write_number_with_format(r, c, x, f).map_err(xerr)?,
        None => ws.write_blank(r, c, f).map_err(xerr)?,
    };
    Ok(())
}

fn date(ws: &mut Worksheet, r: u32, c: u16, d: Option<Date>, f: &Format) -> Result<(), String> {
    match d {
        Some(d) => ws
            .write_datetime_with_format(r, c, excel_date(d)?, f)
            .map_err(xerr)?,
        None => ws.write_blank(r, c, f).map_err(xerr)?,
    };
    Ok(())
}

fn date_rule() -> Result<DataValidation, String> {
    let (lo, hi) = (
        ExcelDateTime::from_ymd(*crate::date::YEARS.start() as u16, 1, 1).map_err(xerr)?,
        ExcelDateTime::from_ymd(*crate::date::YEARS.end() as u16, 12, 31).map_err(xerr)?,
    );
    DataValidation::new()
        .allow_date(DataValidationRule::Between(lo, hi))
        .set_error_style(DataValidationErrorStyle::Stop)
        .set_error_title("Ngày không hợp lệ")
        .and_then(|v| v.set_error_message("Nhập một ngày, ví dụ 20/06/2025."))
        .map_err(xerr)
}

/// The workbook of a report: the same content as its YAML.
pub fn write_report(d: &ReportDraft) -> Result<Vec<u8>, String> {
    let mut wb = Workbook::new();
    let f = Formats {
        head: Format::new().set_bold().set_locked(),
        locked: Format::new().set_locked().set_background_color(0xEEEEEE),
        open: Format::new().set_unlocked().set_text_wrap(),
        date: Format::new().set_unlocked().set_num_format("dd/mm/yyyy"),
    };
    let dates = date_rule()?;
    for (name, value) in [
        (NAME_AGENCY, d.agency.as_str()),
        (NAME_PERIOD, &d.period.key()),
    ] {
        // A constant: quotes in it would end the formula's string.
        wb.define_name(name, &format!("=\"{}\"", value.replace('"', "")))
            .map_err(xerr)?;
    }

    let ws = wb.add_worksheet();
    ws.set_name(SHEET_GUIDE).map_err(xerr)?;
    ws.set_column_width(0, 110).map_err(xerr)?;
    let wrap = Format::new().set_text_wrap();
    for (r, line) in GUIDE.iter().enumerate() {
        let fmt = if r == 0 { &f.head } else { &wrap };
        ws.write_string_with_format(r as u32, 0, *line, fmt)
            .map_err(xerr)?;
    }
    ws.protect();

    let ws = wb.add_worksheet();
    ws.set_name(SHEET_REPORT).map_err(xerr)?;
    header(ws, &["Trường", "Giá trị", "Ý nghĩa"], &f.head)?;
    ws.set_column_width(0, 14).map_err(xerr)?;
    ws.set_column_width(1, 40).map_err(xerr)?;
    ws.set_column_width(2, 50).map_err(xerr)?;
    for (i, (key, what)) in REPORT_FIELDS.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string_with_format(r, 0, *key, &f.locked)
            .map_err(xerr)?;
        ws.write_string_with_format(r, 2, *what, &f.locked)
            .map_err(xerr)?;
    }
    ws.write_string_with_format(1, 1, &d.agency, &f.locked)
        .map_err(xerr)?;
    ws.write_string_with_format(2, 1, d.period.key(), &f.locked)
        .map_err(xerr)?;
    date(ws, 3, 1, d.submitted, &f.date)?;
    ws.add_data_validation(3, 1, 3, 1, &dates).map_err(xerr)?;
    text(ws, 4, 1, d.summary.as_deref(), &f.open)?;
    ws.protect();

    let ws = wb.add_worksheet();
    ws.set_name(SHEET_UPDATES).map_err(xerr)?;
    header(ws, &UPDATE_COLUMNS, &f.head)?;
    for (c, w) in [20, 50, 18, 10, 12, 50, 30, 30].iter().enumerate() {
        ws.set_column_width(c as u16, *w).map_err(xerr)?;
    }
    for (n, u) in d.updates.iter().enumerate() {
        let r = n as u32 + 1;
        ws.write_string_with_format(r, 0, &u.task, &f.locked)
            .map_err(xerr)?;
        ws.write_string_with_format(r, 1, &u.title, &f.locked)
            .map_err(xerr)?;
        ws.write_string_with_format(r, 2, u.state.label_vi(), &f.open)
            .map_err(xerr)?;
        num(ws, r, 3, u.progress, &f.open)?;
        date(ws, r, 4, u.done_on, &f.date)?;
        text(ws, r, 5, u.note.as_deref(), &f.open)?;
        text(ws, r, 6, u.evidence.as_deref(), &f.open)?;
        text(ws, r, 7, u.reopened.as_deref(), &f.open)?;
        text(ws, r, 8, u.outlook.as_deref(), &f.open)?;
    }
    if !d.updates.is_empty() {
        let last = d.updates.len() as u32;
        let labels: Vec<&str> = TaskState::ALL.iter().map(|(_, s)| s.label_vi()).collect();
        let states = DataValidation::new()
            .allow_list_strings(&labels)
            .and_then(|v| v.set_error_title("Tình trạng"))
            .and_then(|v| v.set_error_message("Chọn một tình trạng trong danh sách."))
            .map_err(xerr)?;
        ws.add_data_validation(1, 2, last, 2, &states)
            .map_err(xerr)?;
        let progress = DataValidation::new()
            .allow_decimal_number(DataValidationRule::Between(0.0, 100.0))
            .set_error_title("Tiến độ")
            .and_then(|v| v.set_error_message("Tiến độ là phần trăm, từ 0 đến 100."))
            .map_err(xerr)?;
        ws.add_data_validation(1, 3, last, 3, &progress)
            .map_err(xerr)?;
        ws.add_data_validation(1, 4, last, 4, &dates)
            .map_err(xerr)?;
    }
    ws.protect();

    let ws = wb.add_worksheet();
    ws.set_name(SHEET_KPIS).map_err(xerr)?;
    header(ws, &KPI_COLUMNS, &f.head)?;
    for (c, w) in [20, 50, 10, 12, 12, 40, 24].iter().enumerate() {
        ws.set_column_width(c as u16, *w).map_err(xerr)?;
    }
    for (n, k) in d.kpis.iter().enumerate() {
        let r = n as u32 + 1;
        ws.write_string_with_format(r, 0, &k.kpi, &f.locked)
            .map_err(xerr)?;
        ws.write_string_with_format(r, 1, &k.name, &f.locked)
            .map_err(xerr)?;
        ws.write_string_with_format(r, 2, &k.unit, &f.locked)
            .map_err(xerr)?;
        date(ws, r, 3, k.date, &f.date)?;
        num(ws, r, 4, k.value, &f.open)?;
        text(ws, r, 5, k.note.as_deref(), &f.open)?;
        let last = k
            .last
            .map(|(day, x)| format!("{} ({})", super::number(x), crate::date::fmt_date(day)));
        text(ws, r, 6, last.as_deref(), &f.locked)?;
    }
    if !d.kpis.is_empty() {
        let last = d.kpis.len() as u32;
        ws.add_data_validation(1, 3, last, 3, &dates)
            .map_err(xerr)?;
        let values = DataValidation::new()
            .allow_decimal_number(DataValidationRule::Between(-1e15, 1e15))
            .set_error_title("Giá trị")
            .and_then(|v| v.set_error_message("Nhập một số."))
            .map_err(xerr)?;
        ws.add_data_validation(1, 4, last, 4, &values)
            .map_err(xerr)?;
    }
    ws.protect();
    threads::write(&mut wb, d, &f)?;

    wb.save_to_buffer().map_err(xerr)
}

/// A problem in a workbook: its cell (`Sheet!C7`, or empty for the whole
/// file) and what to do.
#[derive(Debug, Clone, PartialEq)]
pub struct CellError {
    pub cell: String,
    pub message: Message,
}

pub(super) fn whole(message: Message) -> CellError {
    CellError {
        cell: String::new(),
        message,
    }
}

// What a workbook may unpack to. A monthly report workbook is tens of
// kilobytes, a national agency's a few megabytes; a workbook of two
// megabytes that unpacks to gigabytes (a "zip bomb", or shared strings
// repeated a million times) is refused before anything is unpacked into
// memory, so that `import` stays within a few hundred megabytes whatever
// it is given.

/// At most this many parts (files) in the workbook's zip.
pub const MAX_PARTS: usize = 1_000;
/// At most this many bytes unpacked in one part.
pub const MAX_PART_BYTES: u64 = 32 << 20;
/// At most this many bytes unpacked in all parts together.
pub const MAX_TOTAL_BYTES: u64 = 64 << 20;
/// Parts unpacking to more than [`RATIO_FROM`] bytes may be at most this
/// many times their packed size (spreadsheet XML packs 5 to 30 times).
pub const MAX_RATIO: u64 = 200;
const RATIO_FROM: u64 = 1 << 20;
/// At most this many cells with a value in a sheet, and none below this
/// row: the sheets are read cell by cell, never as one rectangle, so a
/// value in the sheet's last cell costs nothing, but a report has no use
/// for it.
pub const MAX_CELLS: usize = 100_000;
pub const MAX_ROWS: u32 = 10_000;

/// Megabytes, rounded up, for messages.
fn mb(bytes: u64) -> u64 {
    bytes.div_ceil(1 << 20)
}

/// What a file that is not a zip is, as the message to its editor.
fn not_a_zip(bytes: &[u8]) -> Message {
    const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    if bytes.starts_with(OLE) {
        return msg!("xlsx.old_or_locked");
    }
    let head = &bytes[..bytes.len().min(4096)];
    let text = match std::str::from_utf8(head) {
        Ok(t) => Some(t),
        // A cut in the middle of a character at the end of the sample.
        Err(e) if e.valid_up_to() + 4 >= head.len() => {
            std::str::from_utf8(&head[..e.valid_up_to()]).ok()
        }
        Err(_) => None,
    };
    match text {
        Some(t)
            if !t.trim_start().starts_with('<')
                && t.lines()
                    .next()
                    .is_some_and(|l| l.contains([',', ';', '\t'])) =>
        {
            msg!("xlsx.csv")
        }
        _ => msg!("xlsx.not_xlsx"),
    }
}

/// Refuses a part that unpacks past the limits.
fn within_limits(part: &str, size: u64, packed: u64, total: u64) -> Result<(), CellError> {
    let ratio = size / packed.max(1);
    if size > MAX_PART_BYTES || total > MAX_TOTAL_BYTES || (size > RATIO_FROM && ratio > MAX_RATIO)
    {
        return Err(whole(msg!(
            "xlsx.inflates",
            part,
            size = mb(size),
            packed = packed.div_ceil(1024),
            limit = mb(MAX_TOTAL_BYTES)
        )));
    }
    Ok(())
}

/// Opens `bytes` as a zip and checks, before calamine reads anything,
/// that it is one and that every part unpacks within the limits: first by
/// the sizes the zip declares (a bomb is refused without unpacking a byte),
/// then by unpacking each part into nothing, counting, since a declared
/// size may lie.
pub fn check_container(bytes: &[u8]) -> Result<(), CellError> {
    use std::io::Read;
    if !bytes.starts_with(b"PK") {
        return Err(whole(not_a_zip(bytes)));
    }
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|_| whole(msg!("xlsx.not_xlsx")))?;
    if zip.len() > MAX_PARTS {
        return Err(whole(msg!(
            "xlsx.too_many_parts",
            count = zip.len(),
            max = MAX_PARTS
        )));
    }
    let unreadable =
        |e: &dyn std::fmt::Display| whole(msg!("xlsx.not_a_workbook", error = e.to_string()));
    let mut total = 0u64;
    for i in 0..zip.len() {
        let f = zip.by_index_raw(i).map_err(|e| unreadable(&e))?;
        total = total.saturating_add(f.size());
        let part = f.name().map(|n| n.into_owned()).unwrap_or_default();
        within_limits(&part, f.size(), f.compressed_size(), total)?;
    }
    // The zip reader stops a part at its declared size (an error, here):
    // counting is the guard should it ever not.
    let damaged = |part: &str, e: &dyn std::fmt::Display| {
        whole(msg!("xlsx.damaged", part, error = e.to_string()))
    };
    let mut total = 0u64;
    for i in 0..zip.len() {
        let name = zip
            .by_index_raw(i)
            .map_err(|e| unreadable(&e))?
            .name()
            .map(|n| n.into_owned())
            .unwrap_or_default();
        let mut f = zip.by_index(i).map_err(|e| damaged(&name, &e))?;
        let (part, packed) = (
            f.name().map(|n| n.into_owned()).unwrap_or_default(),
            f.compressed_size(),
        );
        let size = std::io::copy(&mut (&mut f).take(MAX_PART_BYTES + 1), &mut std::io::sink())
            .map_err(|e| damaged(&part, &e))?;
        total = total.saturating_add(size);
        within_limits(&part, size, packed, total)?;
    }
    Ok(())
}

/// A cell as read: its value (the cached one for a formula), whether it
/// holds a formula, and whether its number format is a percentage.
#[derive(Debug, Clone)]
pub(super) struct Cell {
    pub(super) value: calamine::Data,
    pub(super) formula: bool,
    percent: bool,
}

/// A sheet as the cells it holds, never as a rectangle.
pub(super) struct Grid {
    name: &'static str,
    cells: std::collections::BTreeMap<(u32, u32), Cell>,
    /// Merged ranges, (first row, first column) to (last row, last column).
    merged: Vec<((u32, u32), (u32, u32))>,
}

impl Grid {
    pub(super) fn cell(&self, row: u32, col: u32) -> Option<&Cell> {
        self.cells.get(&(row, col))
    }

    pub(super) fn last_row(&self) -> u32 {
        self.cells.keys().map(|(r, _)| *r).max().unwrap_or(0)
    }

    pub(super) fn at(&self, row: u32, col: u32) -> String {
        cell_ref(self.name, row, col)
    }
}

/// Whether a number format shows a percentage: a `%` in its first
/// section, outside quoted text, escapes and `[...]` codes.
fn is_percent_format(code: &str) -> bool {
    let mut chars = code.chars();
    while let Some(c) = chars.next() {
        match c {
            ';' => return false,
            '%' => return true,
            '\\' => {
                chars.next();
            }
            '"' => {
                for q in chars.by_ref() {
                    if q == '"' {
                        break;
                    }
                }
            }
            '[' => {
                for q in chars.by_ref() {
                    if q == ']' {
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    false
}

pub(super) type Book<'b> = calamine::Xlsx<std::io::Cursor<&'b [u8]>>;

/// Reads sheet `name` cell by cell, with at most [`MAX_CELLS`] cells and
/// none below [`MAX_ROWS`].
pub(super) fn read_grid(
    wb: &mut Book<'_>,
    name: &'static str,
    errs: &mut Vec<CellError>,
) -> Option<Grid> {
    read_grid_within(wb, name, (MAX_CELLS, MAX_ROWS), errs)
}

/// Reads sheet `name` cell by cell, with at most `max.0` cells and none
/// below row `max.1`.
pub(super) fn read_grid_within(
    wb: &mut Book<'_>,
    name: &'static str,
    (max_cells, max_rows): (usize, u32),
    errs: &mut Vec<CellError>,
) -> Option<Grid> {
    let unreadable =
        |e: calamine::XlsxError| whole(msg!("xlsx.not_a_workbook", error = e.to_string()));
    let mut cells = std::collections::BTreeMap::new();
    let mut reader = match wb.worksheet_cells_reader(name) {
        Ok(r) => r,
        Err(calamine::XlsxError::WorksheetNotFound(_)) => {
            errs.push(whole(msg!("xlsx.no_sheet", name)));
            return None;
        }
        Err(e) => {
            errs.push(unreadable(e));
            return None;
        }
    };
    let mut count = 0usize;
    loop {
        let rec = match reader.next_cell_with_formula_metadata() {
            Ok(Some(rec)) => rec,
            Ok(None) => break,
            Err(e) => {
                errs.push(unreadable(e));
                return None;
            }
        };
        let value = calamine::Data::from(rec.value);
        let formula = rec.formula.is_some();
        // Cells with only a format (a border drawn over a whole range) are
        // not kept, and cost no more than their bytes, capped above.
        if matches!(value, calamine::Data::Empty) && !formula {
            continue;
        }
        count += 1;
        if count > max_cells {
            errs.push(whole(msg!(
                "xlsx.too_many_cells",
                sheet = name,
                max = max_cells
            )));
            return None;
        }
        if rec.pos.0 > max_rows {
            errs.push(CellError {
                cell: cell_ref(name, rec.pos.0, rec.pos.1),
                message: msg!("xlsx.too_far", max = max_rows + 1),
            });
            return None;
        }
        cells.insert(
            rec.pos,
            Cell {
                value,
                formula,
                percent: false,
            },
        );
    }
    drop(reader);
    // The number formats of the cells kept: a second pass, as cheap.
    if let Ok(mut reader) = wb.worksheet_cells_reader(name) {
        let percent: Vec<bool> = reader
            .styles()
            .iter()
            .map(|s| {
                s.number_format
                    .as_ref()
                    .is_some_and(|f| is_percent_format(&f.format_code))
            })
            .collect();
        while let Ok(Some((r, c, id))) = reader.next_style_id() {
            if let Some(cell) = cells.get_mut(&(r, c)) {
                cell.percent = percent.get(id).copied().unwrap_or(false);
            }
        }
    }
    let merged = wb
        .merge_cells_by_sheet_name(name)
        .unwrap_or_default()
        .into_iter()
        .map(|d| (d.start, d.end))
        .collect();
    Some(Grid {
        name,
        cells,
        merged,
    })
}

static EMPTY: calamine::Data = calamine::Data::Empty;

/// The value of a cell the report reads: a formula must come with the
/// value Excel computed, and an Excel error is no value.
pub(super) fn value<'g>(
    g: &'g Grid,
    row: u32,
    col: u32,
    errs: &mut Vec<CellError>,
) -> &'g calamine::Data {
    let Some(cell) = g.cell(row, col) else {
        return &EMPTY;
    };
    match &cell.value {
        calamine::Data::Empty if cell.formula => {
            errs.push(CellError {
                cell: g.at(row, col),
                message: msg!("xlsx.formula_no_value"),
            });
            &EMPTY
        }
        calamine::Data::Error(e) => {
            errs.push(CellError {
                cell: g.at(row, col),
                message: msg!("xlsx.cell_error", value = e.to_string()),
            });
            &EMPTY
        }
        v => v,
    }
}

/// A cell as trimmed text; numbers as written (`80`, `78.5`).
pub(super) fn cell_text(v: &calamine::Data) -> Option<String> {
    use calamine::Data;
    let s = match v {
        Data::Empty | Data::Error(_) => return None,
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => format!("{f}"),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => format!("{}", d.as_f64()),
    };
    (!s.is_empty()).then(|| crate::text::nfc(&s))
}

/// The day of an Excel date cell, in either of Excel's date systems (a
/// workbook saved with the 1904 system counts its days from 1904).
fn excel_day(d: &calamine::ExcelDateTime) -> Option<Date> {
    if d.is_duration() || !(1.0..2_958_466.0).contains(&d.as_f64()) {
        return None;
    }
    let (y, m, day, ..) = d.to_ymd_hms_milli();
    Date::from_ymd_opt(i32::from(y), u32::from(m), u32::from(day))
}

fn cell_date(v: &calamine::Data, at: &str, errs: &mut Vec<CellError>) -> Option<Date> {
    use calamine::Data;
    let bad = |errs: &mut Vec<CellError>, m: Message| {
        errs.push(CellError {
            cell: at.to_string(),
            message: m,
        })
    };
    match v {
        Data::Empty => None,
        Data::DateTime(d) => excel_day(d).or_else(|| {
            bad(errs, msg!("xlsx.not_a_date"));
            None
        }),
        Data::Float(_) | Data::Int(_) => {
            bad(errs, msg!("xlsx.number_not_date"));
            None
        }
        _ => {
            let s = cell_text(v)?;
            // `2025-06-20T00:00:00` or `2025-06-20 00:00:00` from other tools.
            let day = s.split(['T', ' ']).next().unwrap_or(&s);
            match parse_date(day) {
                Ok(d) => Some(d),
                Err(e) => {
                    bad(errs, e);
                    None
                }
            }
        }
    }
}

/// A number cell. A cell formatted as a percentage holds a fraction of
/// 100 (the officer typed 90%, Excel keeps 0.9): it reads as 90.
fn cell_number(g: &Grid, row: u32, col: u32, errs: &mut Vec<CellError>) -> Option<f64> {
    use calamine::Data;
    let percent = g.cell(row, col).is_some_and(|c| c.percent);
    let v = value(g, row, col, errs);
    let hundred = |x: f64| {
        if percent {
            // 0.9 * 100 is 90.00000000000001: Excel keeps 15 digits.
            let y = x * 100.0;
            let scale = 10f64.powi(12 - y.abs().max(1.0).log10().ceil() as i32);
            (y * scale).round() / scale
        } else {
            x
        }
    };
    match v {
        Data::Empty => None,
        Data::Float(f) => Some(hundred(*f)),
        Data::Int(i) => Some(hundred(*i as f64)),
        _ => {
            let s = cell_text(v)?;
            let t = s.trim_end_matches('%').trim().replace(',', ".");
            match t.parse::<f64>() {
                Ok(x) if x.is_finite() => Some(x),
                _ => {
                    errs.push(CellError {
                        cell: g.at(row, col),
                        message: msg!("xlsx.not_a_number", value = &s),
                    });
                    None
                }
            }
        }
    }
}

fn cell_state(v: &calamine::Data, at: &str, errs: &mut Vec<CellError>) -> Option<TaskState> {
    let Some(s) = cell_text(v) else {
        errs.push(CellError {
            cell: at.to_string(),
            message: msg!("xlsx.state_empty"),
        });
        return None;
    };
    let lower = s.to_lowercase();
    let found = TaskState::ALL
        .iter()
        .find(|(code, st)| *code == lower || st.label_vi().to_lowercase() == lower)
        .map(|(_, st)| *st);
    if found.is_none() {
        errs.push(CellError {
            cell: at.to_string(),
            message: msg!("xlsx.not_a_state", value = &s),
        });
    }
    found
}

/// A period cell: `2025-06` as text, or the date Excel made of it.
fn cell_period(v: &calamine::Data) -> Option<Period> {
    let p = match v {
        calamine::Data::DateTime(d) => excel_day(d).map(Period::of),
        _ => cell_text(v).as_deref().and_then(Period::parse_written),
    }?;
    crate::date::YEARS.contains(&p.year).then_some(p)
}

/// Whether a row is a total row someone added (`Tổng cộng`, `Cộng`,
/// `Total`): the first word of its id or title cell.
fn is_total_row(g: &Grid, row: u32) -> Option<String> {
    (0..2).find_map(|c| {
        let text = cell_text(&g.cell(row, c)?.value)?;
        // The whole cell, so that a title such as «Tổng hợp ý kiến» is a task.
        let folded = crate::text::fold(&text);
        let words: Vec<&str> = folded
            .split(|ch: char| !ch.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        let total = matches!(
            words[..],
            ["tong" | "cong" | "total" | "sum"]
                | ["tong", "cong" | "so"]
                | ["tong", "cong", "chung"]
                | ["grand", "total"]
        );
        total.then_some(text)
    })
}

/// Merged ranges over the cells a report reads (rows from 1, columns in
/// `cols`), each named at its first cell.
pub(super) fn merged_errors(g: &Grid, cols: std::ops::Range<u32>, errs: &mut Vec<CellError>) {
    for &((r0, c0), (r1, c1)) in &g.merged {
        if r1 >= 1 && c0 < cols.end && c1 >= cols.start {
            errs.push(CellError {
                cell: g.at(r0, c0),
                message: msg!(
                    "xlsx.merged",
                    range = format!(
                        "{}{}:{}{}",
                        col_letters(c0),
                        r0 + 1,
                        col_letters(c1),
                        r1 + 1
                    )
                ),
            });
        }
    }
}

/// Cells with content that the report does not read: what they hold
/// would be lost without a word.
fn unread_errors(g: &Grid, read: impl Fn(u32, u32) -> bool, errs: &mut Vec<CellError>) {
    for (&(r, c), cell) in &g.cells {
        if r == 0 || read(r, c) {
            continue;
        }
        if cell.formula || cell_text(&cell.value).is_some() {
            errs.push(CellError {
                cell: g.at(r, c),
                message: msg!("xlsx.unread_cell"),
            });
        }
    }
}

/// The value of a defined name tiendo wrote (`tiendo_agency`), unquoted.
fn defined(wb: &Book<'_>, name: &str) -> Option<String> {
    use calamine::Reader;
    wb.defined_names()
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.trim_start_matches('=').trim_matches('"').to_string())
}

/// Reads a workbook written by [`write_report`] (and edited by anyone,
/// in any tool) back into a draft, with every problem at its cell.
/// Titles, names and units are not read.
pub fn read_report(bytes: &[u8]) -> Result<ReportDraft, Vec<CellError>> {
    check_container(bytes).map_err(|e| vec![e])?;
    let mut errs = Vec::new();
    let mut wb: Book<'_> = match calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)) {
        Ok(wb) => wb,
        Err(e) => {
            return Err(vec![whole(msg!(
                "xlsx.not_a_workbook",
                error = e.to_string()
            ))]);
        }
    };
    let (Some(rep), Some(ups), Some(kps)) = (
        read_grid(&mut wb, SHEET_REPORT, &mut errs),
        read_grid(&mut wb, SHEET_UPDATES, &mut errs),
        read_grid(&mut wb, SHEET_KPIS, &mut errs),
    ) else {
        return Err(errs);
    };
    let mut rows = super::SourceRows::default();

    let mut fields: [Option<u32>; 4] = [None; 4];
    for row in 1..=rep.last_row() {
        if let Some(key) = rep.cell(row, 0).and_then(|c| cell_text(&c.value))
            && let Some(i) = REPORT_FIELDS.iter().position(|(k, _)| *k == key)
        {
            fields[i] = Some(row);
        }
    }
    for (i, f) in fields.iter().enumerate() {
        rows.header[i] = f.unwrap_or(i as u32 + 1);
    }
    merged_errors(&rep, 1..2, &mut errs);
    unread_errors(
        &rep,
        |r, c| c == 0 || c == 2 || (c == 1 && fields.contains(&Some(r))),
        &mut errs,
    );
    let at = |i: usize| rep.at(rows.header[i], 1);
    let field = |i: usize, errs: &mut Vec<CellError>| match fields[i] {
        Some(row) => value(&rep, row, 1, errs).clone(),
        None => calamine::Data::Empty,
    };
    let agency = cell_text(&field(0, &mut errs));
    let period_cell = field(1, &mut errs);
    let period = cell_period(&period_cell);
    match (&agency, defined(&wb, NAME_AGENCY)) {
        (None, _) => errs.push(CellError {
            cell: at(0),
            message: msg!("xlsx.agency_empty"),
        }),
        (Some(now), Some(was)) if *now != was => errs.push(CellError {
            cell: at(0),
            message: msg!("xlsx.agency_edited", was, now),
        }),
        _ => {}
    }
    match (period, defined(&wb, NAME_PERIOD)) {
        (None, _) => errs.push(CellError {
            cell: at(1),
            message: msg!(
                "xlsx.not_a_period",
                value = cell_text(&period_cell).unwrap_or_default()
            ),
        }),
        (Some(now), Some(was)) if now.key() != was => errs.push(CellError {
            cell: at(1),
            message: msg!("xlsx.period_edited", was, now = now.key()),
        }),
        _ => {}
    }
    let submitted_cell = field(2, &mut errs);
    let submitted = cell_date(&submitted_cell, &at(2), &mut errs);
    let summary = cell_text(&field(3, &mut errs));

    let updates = read_updates(&ups, &mut rows.updates, &mut errs);
    let kpis = read_kpis(&kps, &mut rows.kpis, &mut errs);
    let (proposals, replies) = threads::read(&mut wb, &mut rows, &mut errs);
    if !errs.is_empty() {
        return Err(errs);
    }
    let (Some(agency), Some(period)) = (agency, period) else {
        return Err(errs);
    };
    Ok(ReportDraft {
        agency,
        agency_name: String::new(),
        period,
        submitted,
        due: period.first_day(),
        summary,
        updates,
        kpis,
        proposals,
        replies,
        awaiting: Vec::new(),
        rows,
    })
}

/// The tasks sheet's rows: each update, the rows it came from (`rows`),
/// and what is wrong at which cell (`errs`).
fn read_updates(ups: &Grid, rows: &mut Vec<u32>, errs: &mut Vec<CellError>) -> Vec<DraftUpdate> {
    merged_errors(ups, 0..UPDATE_COLUMNS.len() as u32, errs);
    unread_errors(ups, |_, c| (c as usize) < UPDATE_COLUMNS.len(), errs);
    let mut updates = Vec::new();
    for row in 1..=ups.last_row() {
        if (0..UPDATE_COLUMNS.len() as u32).all(|c| ups.cell(row, c).is_none()) {
            continue;
        }
        let at = |c: u32| ups.at(row, c);
        if let Some(text) = is_total_row(ups, row) {
            errs.push(CellError {
                cell: at(0),
                message: msg!("xlsx.total_row", text),
            });
            continue;
        }
        let cells: Vec<calamine::Data> = (0..UPDATE_COLUMNS.len() as u32)
            .map(|c| {
                if c == 3 {
                    EMPTY.clone()
                } else {
                    value(ups, row, c, errs).clone()
                }
            })
            .collect();
        let Some(task) = cell_text(&cells[0]) else {
            errs.push(CellError {
                cell: at(0),
                message: msg!("xlsx.no_task_id"),
            });
            continue;
        };
        let state = cell_state(&cells[2], &at(2), errs);
        let progress = cell_number(ups, row, 3, errs);
        let done_on = cell_date(&cells[4], &at(4), errs);
        rows.push(row);
        updates.push(DraftUpdate {
            task,
            title: String::new(),
            state: state.unwrap_or(TaskState::NotStarted),
            progress,
            done_on,
            note: cell_text(&cells[5]),
            evidence: cell_text(&cells[6]),
            reopened: cell_text(&cells[7]),
            outlook: cell_text(&cells[8]),
        });
    }
    updates
}

/// The KPI sheet's rows: each value given this month, the rows it came
/// from (`rows`), and what is wrong at which cell (`errs`).
fn read_kpis(kps: &Grid, rows: &mut Vec<u32>, errs: &mut Vec<CellError>) -> Vec<DraftKpi> {
    merged_errors(kps, 0..KPI_READ, errs);
    unread_errors(kps, |_, c| (c as usize) < KPI_COLUMNS.len(), errs);
    let mut kpis = Vec::new();
    for row in 1..=kps.last_row() {
        let at = |c: u32| kps.at(row, c);
        if (0..KPI_READ).all(|c| kps.cell(row, c).is_none()) {
            continue;
        }
        if let Some(text) = is_total_row(kps, row) {
            errs.push(CellError {
                cell: at(0),
                message: msg!("xlsx.total_row", text),
            });
            continue;
        }
        let id = value(kps, row, 0, errs).clone();
        let date_cell = value(kps, row, 3, errs).clone();
        let date = cell_date(&date_cell, &at(3), errs);
        let number = cell_number(kps, row, 4, errs);
        let note = cell_text(value(kps, row, 5, errs));
        let Some(kpi) = cell_text(&id) else {
            if date.is_some() || number.is_some() || note.is_some() {
                errs.push(CellError {
                    cell: at(0),
                    message: msg!("xlsx.no_kpi_id"),
                });
            }
            continue;
        };
        if date.is_none() && number.is_none() && note.is_none() {
            continue; // no figure this month
        }
        for (missing, c, what) in [
            (date.is_none(), 3, "what.cell_date"),
            (number.is_none(), 4, "what.cell_value"),
        ] {
            if missing && !errs.iter().any(|e| e.cell == at(c)) {
                errs.push(CellError {
                    cell: at(c),
                    message: msg!("xlsx.kpi_half_empty", what = crate::diag::word(what)),
                });
            }
        }
        rows.push(row);
        kpis.push(DraftKpi {
            kpi,
            name: String::new(),
            unit: String::new(),
            date,
            value: number,
            note,
            last: None,
        });
    }
    kpis
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_names() {
        assert_eq!(col_letters(0), "A");
        assert_eq!(col_letters(25), "Z");
        assert_eq!(col_letters(26), "AA");
        assert_eq!(cell_ref("Chỉ số", 6, 2), "Chỉ số!C7");
    }

    #[test]
    fn percent_formats() {
        for code in ["0%", "0.00%", "#,##0.0%", "0%;[Red]-0%", "[Blue]0%"] {
            assert!(is_percent_format(code), "{code}");
        }
        for code in ["General", "0.00", "\"%\"0", "0\\%", "dd/mm/yyyy", "0;0%"] {
            assert!(!is_percent_format(code), "{code}");
        }
    }

    #[test]
    fn serial_dates() {
        use calamine::{ExcelDateTime, ExcelDateTimeType::DateTime};
        let day = |x, is_1904| excel_day(&ExcelDateTime::new(x, DateTime, is_1904));
        assert_eq!(day(45828.0, false), Date::from_ymd_opt(2025, 6, 20));
        assert_eq!(day(44366.0, true), Date::from_ymd_opt(2025, 6, 20));
        assert_eq!(day(0.0, false), None);
        // Excel's 29 February 1900, which never was.
        assert_eq!(day(60.0, false), None);
    }
}
