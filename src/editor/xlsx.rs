//! Monthly reports as Excel workbooks, both ways, for agencies that report
//! in Excel.
//!
//! Stage: beside `model`, like the rest of `editor`. Input: a
//! [`ReportDraft`] (to write, with rust_xlsxwriter) or a workbook's bytes
//! (to read, with calamine). Output: the workbook's bytes, or the draft
//! with every cell problem as `FILE.xlsx:Sheet!C7: error: ...`. No I/O.
//!
//! Layout: an instructions sheet, then `Báo cáo` (one field a row: key in
//! column A, value in B), `Nhiệm vụ` (one task a row) and `Chỉ số` (one KPI
//! a row). Ids, titles, names and units are locked; states come from a
//! drop-down; progress is validated to 0..100 and dates to real dates.

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
const UPDATE_COLUMNS: [&str; 7] = [
    "task",
    "Tên nhiệm vụ",
    "state",
    "progress",
    "done_on",
    "note",
    "evidence",
];

/// Columns of the KPI sheet, in the order of [`Origin::Kpi`].
const KPI_COLUMNS: [&str; 6] = ["kpi", "Tên chỉ số", "Đơn vị", "date", "value", "note"];

const GUIDE: &[&str] = &[
    "Báo cáo tháng gửi cổng theo dõi tiến độ",
    "",
    "1. Trang «Báo cáo»: điền ngày gửi (submitted) và, nếu muốn, tóm tắt (summary).",
    "2. Trang «Nhiệm vụ»: mỗi dòng là một nhiệm vụ cơ quan chủ trì hoặc phối hợp. Chọn tình trạng (state) trong danh sách, điền tiến độ (progress, phần trăm 0–100), ngày hoàn thành (done_on, bắt buộc khi Hoàn thành), ghi chú (note) và đường dẫn văn bản minh chứng (evidence).",
    "3. Trang «Chỉ số»: điền ngày đo (date) và giá trị (value) mới nhất của từng chỉ số; xóa trống cả hai ô nếu chưa có số liệu.",
    "4. Các cột mã và tên bị khóa: không thêm, xóa hay đổi tên dòng. Cần báo cáo thêm nhiệm vụ, hãy liên hệ ban biên tập cổng.",
    "5. Ngày ghi dạng ngày của Excel hoặc dạng văn bản 20/06/2025; số ghi 80 hoặc 80%.",
    "6. Gửi lại tệp cho ban biên tập; tệp được kiểm tra bằng «tiendo import» với cùng quy tắc như mọi báo cáo.",
    "",
    "Số liệu điền sẵn là lần báo cáo gần nhất: sửa cho đúng kỳ này.",
];

fn xerr(e: XlsxError) -> String {
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

/// The sheet cell a line of the report YAML comes from.
pub fn origin_cell(o: Origin) -> String {
    match o {
        Origin::Header(i) => cell_ref(SHEET_REPORT, i as u32 + 1, 1),
        Origin::Update(n, c) => cell_ref(SHEET_UPDATES, n as u32 + 1, c as u32),
        Origin::Kpi(n, c) => cell_ref(SHEET_KPIS, n as u32 + 1, c as u32),
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
    for (c, w) in [20, 50, 18, 10, 12, 50, 30].iter().enumerate() {
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
    for (c, w) in [20, 50, 10, 12, 12, 40].iter().enumerate() {
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

    wb.save_to_buffer().map_err(xerr)
}

/// A problem in a workbook: its cell (`Sheet!C7`, or empty for the whole
/// file) and what to do.
#[derive(Debug, Clone, PartialEq)]
pub struct CellError {
    pub cell: String,
    pub message: Message,
}

type Range = calamine::Range<calamine::Data>;

fn sheet(
    wb: &mut calamine::Xlsx<std::io::Cursor<&[u8]>>,
    name: &str,
    errs: &mut Vec<CellError>,
) -> Option<Range> {
    use calamine::Reader;
    match wb.worksheet_range(name) {
        Ok(r) => Some(r),
        Err(_) => {
            errs.push(CellError {
                cell: String::new(),
                message: msg!("xlsx.no_sheet", name),
            });
            None
        }
    }
}

fn get(r: &Range, row: u32, col: u32) -> &calamine::Data {
    static EMPTY: calamine::Data = calamine::Data::Empty;
    r.get_value((row, col)).unwrap_or(&EMPTY)
}

/// A cell as trimmed text; numbers as written (`80`, `78.5`).
fn cell_text(v: &calamine::Data) -> Option<String> {
    use calamine::Data;
    let s = match v {
        Data::Empty => return None,
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => format!("{f}"),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => format!("{}", d.as_f64()),
        Data::Error(e) => format!("{e:?}"),
    };
    (!s.is_empty()).then(|| crate::text::nfc(&s))
}

/// Days since 1899-12-30: Excel's serial dates (1900 system).
fn from_serial(x: f64) -> Option<Date> {
    if !(1.0..=2_958_465.0).contains(&x) {
        return None;
    }
    Date::from_ymd_opt(1899, 12, 30)?.checked_add_days(chrono::Days::new(x.floor() as u64))
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
        Data::DateTime(d) => from_serial(d.as_f64()).or_else(|| {
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

fn cell_number(v: &calamine::Data, at: &str, errs: &mut Vec<CellError>) -> Option<f64> {
    use calamine::Data;
    match v {
        Data::Empty => None,
        Data::Float(f) => Some(*f),
        Data::Int(i) => Some(*i as f64),
        _ => {
            let s = cell_text(v)?;
            let t = s.trim_end_matches('%').trim().replace(',', ".");
            match t.parse::<f64>() {
                Ok(x) if x.is_finite() => Some(x),
                _ => {
                    errs.push(CellError {
                        cell: at.to_string(),
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

/// Reads a workbook written by [`write_report`] (and edited by anyone,
/// in any tool) back into a draft. Titles, names and units are not read.
pub fn read_report(bytes: &[u8]) -> Result<ReportDraft, Vec<CellError>> {
    let mut errs = Vec::new();
    let mut wb: calamine::Xlsx<_> =
        match calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)) {
            Ok(wb) => wb,
            Err(e) => {
                return Err(vec![CellError {
                    cell: String::new(),
                    message: msg!("xlsx.not_a_workbook", error = e),
                }]);
            }
        };
    let (Some(rep), Some(ups), Some(kps)) = (
        sheet(&mut wb, SHEET_REPORT, &mut errs),
        sheet(&mut wb, SHEET_UPDATES, &mut errs),
        sheet(&mut wb, SHEET_KPIS, &mut errs),
    ) else {
        return Err(errs);
    };
    let last_row = |r: &Range| r.end().map_or(0, |(row, _)| row);

    let mut fields: [Option<(u32, &calamine::Data)>; 4] = [None; 4];
    for row in 1..=last_row(&rep) {
        if let Some(key) = cell_text(get(&rep, row, 0))
            && let Some(i) = REPORT_FIELDS.iter().position(|(k, _)| *k == key)
        {
            fields[i] = Some((row, get(&rep, row, 1)));
        }
    }
    let at = |i: usize| {
        fields[i].map_or_else(
            || cell_ref(SHEET_REPORT, i as u32 + 1, 1),
            |(row, _)| cell_ref(SHEET_REPORT, row, 1),
        )
    };
    let value = |i: usize| fields[i].map_or(&calamine::Data::Empty, |(_, v)| v);
    let agency = cell_text(value(0));
    let period_text = cell_text(value(1));
    let period = period_text.as_deref().and_then(Period::parse);
    if agency.is_none() {
        errs.push(CellError {
            cell: at(0),
            message: msg!("xlsx.agency_empty"),
        });
    }
    if period.is_none() {
        errs.push(CellError {
            cell: at(1),
            message: msg!("xlsx.not_a_period", value = period_text.unwrap_or_default()),
        });
    }
    let submitted = cell_date(value(2), &at(2), &mut errs);
    let summary = cell_text(value(3));

    let mut updates = Vec::new();
    for row in 1..=last_row(&ups) {
        let cells: Vec<&calamine::Data> = (0..7).map(|c| get(&ups, row, c)).collect();
        if cells.iter().all(|c| cell_text(c).is_none()) {
            continue;
        }
        let at = |c: u32| cell_ref(SHEET_UPDATES, row, c);
        let Some(task) = cell_text(cells[0]) else {
            errs.push(CellError {
                cell: at(0),
                message: msg!("xlsx.no_task_id"),
            });
            continue;
        };
        let state = cell_state(cells[2], &at(2), &mut errs);
        let progress = cell_number(cells[3], &at(3), &mut errs);
        let done_on = cell_date(cells[4], &at(4), &mut errs);
        updates.push(DraftUpdate {
            task,
            title: String::new(),
            state: state.unwrap_or(TaskState::NotStarted),
            progress,
            done_on,
            note: cell_text(cells[5]),
            evidence: cell_text(cells[6]),
        });
    }
    let mut kpis = Vec::new();
    for row in 1..=last_row(&kps) {
        let cells: Vec<&calamine::Data> = (0..6).map(|c| get(&kps, row, c)).collect();
        let at = |c: u32| cell_ref(SHEET_KPIS, row, c);
        let Some(kpi) = cell_text(cells[0]) else {
            if cells.iter().any(|c| cell_text(c).is_some()) {
                errs.push(CellError {
                    cell: at(0),
                    message: msg!("xlsx.no_kpi_id"),
                });
            }
            continue;
        };
        let date = cell_date(cells[3], &at(3), &mut errs);
        let value = cell_number(cells[4], &at(4), &mut errs);
        let note = cell_text(cells[5]);
        if date.is_none() && value.is_none() && note.is_none() {
            continue; // no figure this month
        }
        for (missing, c, what) in [
            (date.is_none(), 3, "what.cell_date"),
            (value.is_none(), 4, "what.cell_value"),
        ] {
            if missing && !errs.iter().any(|e| e.cell == at(c)) {
                errs.push(CellError {
                    cell: at(c),
                    message: msg!("xlsx.kpi_half_empty", what = crate::diag::word(what)),
                });
            }
        }
        kpis.push(DraftKpi {
            kpi,
            name: String::new(),
            unit: String::new(),
            date,
            value,
            note,
        });
    }
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
    })
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
    fn serial_dates() {
        assert_eq!(from_serial(45828.0), Date::from_ymd_opt(2025, 6, 20));
        assert_eq!(from_serial(0.0), None);
    }
}
