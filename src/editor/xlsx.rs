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

mod container;
mod grid;
#[cfg(test)]
mod tests;
mod threads;
mod write;
pub use container::*;
pub(super) use grid::*;
pub use threads::{SHEET_PROPOSALS, SHEET_REPLIES};
pub use write::*;

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
