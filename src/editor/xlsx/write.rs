//! Part of the report workbook: writing a draft as a workbook (the
//! instructions sheet, the report, task and KPI sheets with their locked
//! cells, drop-downs and validations), with rust_xlsxwriter.

use super::*;

pub(super) fn excel_date(d: Date) -> Result<ExcelDateTime, String> {
    use chrono::Datelike;
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8).map_err(xerr)
}

pub(super) struct Formats {
    pub(super) head: Format,
    pub(super) locked: Format,
    pub(super) open: Format,
    pub(super) date: Format,
}

pub(super) fn header(ws: &mut Worksheet, cols: &[&str], f: &Format) -> Result<(), String> {
    for (c, h) in cols.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, f)
            .map_err(xerr)?;
    }
    ws.set_freeze_panes(1, 0).map_err(xerr)?;
    Ok(())
}

pub(super) fn text(
    ws: &mut Worksheet,
    r: u32,
    c: u16,
    s: Option<&str>,
    f: &Format,
) -> Result<(), String> {
    match s {
        Some(s) => ws.write_string_with_format(r, c, s, f).map_err(xerr)?,
        None => ws.write_blank(r, c, f).map_err(xerr)?,
    };
    Ok(())
}

pub(super) fn num(
    ws: &mut Worksheet,
    r: u32,
    c: u16,
    x: Option<f64>,
    f: &Format,
) -> Result<(), String> {
    match x {
        Some(x) => ws.write_number_with_format(r, c, x, f).map_err(xerr)?,
        None => ws.write_blank(r, c, f).map_err(xerr)?,
    };
    Ok(())
}

pub(super) fn date(
    ws: &mut Worksheet,
    r: u32,
    c: u16,
    d: Option<Date>,
    f: &Format,
) -> Result<(), String> {
    match d {
        Some(d) => ws
            .write_datetime_with_format(r, c, excel_date(d)?, f)
            .map_err(xerr)?,
        None => ws.write_blank(r, c, f).map_err(xerr)?,
    };
    Ok(())
}

pub(super) fn date_rule() -> Result<DataValidation, String> {
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
        let last = k.last.map(|(day, x)| {
            format!(
                "{} ({})",
                super::super::number(x),
                crate::date::fmt_date(day)
            )
        });
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
