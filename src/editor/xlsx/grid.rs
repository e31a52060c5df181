//! Part of the report workbook: reading a sheet cell by cell (never as a
//! rectangle) with calamine, and each cell's value as text, number, date,
//! state or month, every problem at its cell.

use super::*;

/// A cell as read: its value (the cached one for a formula), whether it
/// holds a formula, and whether its number format is a percentage.
#[derive(Debug, Clone)]
pub(in crate::editor) struct Cell {
    pub(in crate::editor) value: calamine::Data,
    pub(in crate::editor) formula: bool,
    percent: bool,
}

/// A sheet as the cells it holds, never as a rectangle.
pub(in crate::editor) struct Grid {
    name: &'static str,
    cells: std::collections::BTreeMap<(u32, u32), Cell>,
    /// Merged ranges, (first row, first column) to (last row, last column).
    merged: Vec<((u32, u32), (u32, u32))>,
}

impl Grid {
    pub(in crate::editor) fn cell(&self, row: u32, col: u32) -> Option<&Cell> {
        self.cells.get(&(row, col))
    }

    pub(in crate::editor) fn last_row(&self) -> u32 {
        self.cells.keys().map(|(r, _)| *r).max().unwrap_or(0)
    }

    pub(in crate::editor) fn at(&self, row: u32, col: u32) -> String {
        cell_ref(self.name, row, col)
    }
}

/// Whether a number format shows a percentage: a `%` in its first
/// section, outside quoted text, escapes and `[...]` codes.
pub(super) fn is_percent_format(code: &str) -> bool {
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

pub(in crate::editor) type Book<'b> = calamine::Xlsx<std::io::Cursor<&'b [u8]>>;

/// Reads sheet `name` cell by cell, with at most [`MAX_CELLS`] cells and
/// none below [`MAX_ROWS`].
pub(in crate::editor) fn read_grid(
    wb: &mut Book<'_>,
    name: &'static str,
    errs: &mut Vec<CellError>,
) -> Option<Grid> {
    read_grid_within(wb, name, (MAX_CELLS, MAX_ROWS), errs)
}

/// Reads sheet `name` cell by cell, with at most `max.0` cells and none
/// below row `max.1`.
pub(in crate::editor) fn read_grid_within(
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

pub(super) static EMPTY: calamine::Data = calamine::Data::Empty;

/// The value of a cell the report reads: a formula must come with the
/// value Excel computed, and an Excel error is no value.
pub(in crate::editor) fn value<'g>(
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
pub(in crate::editor) fn cell_text(v: &calamine::Data) -> Option<String> {
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
pub(super) fn excel_day(d: &calamine::ExcelDateTime) -> Option<Date> {
    if d.is_duration() || !(1.0..2_958_466.0).contains(&d.as_f64()) {
        return None;
    }
    let (y, m, day, ..) = d.to_ymd_hms_milli();
    Date::from_ymd_opt(i32::from(y), u32::from(m), u32::from(day))
}

pub(super) fn cell_date(v: &calamine::Data, at: &str, errs: &mut Vec<CellError>) -> Option<Date> {
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
pub(super) fn cell_number(g: &Grid, row: u32, col: u32, errs: &mut Vec<CellError>) -> Option<f64> {
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

pub(super) fn cell_state(
    v: &calamine::Data,
    at: &str,
    errs: &mut Vec<CellError>,
) -> Option<TaskState> {
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
pub(super) fn cell_period(v: &calamine::Data) -> Option<Period> {
    let p = match v {
        calamine::Data::DateTime(d) => excel_day(d).map(Period::of),
        _ => cell_text(v).as_deref().and_then(Period::parse_written),
    }?;
    crate::date::YEARS.contains(&p.year).then_some(p)
}

/// Whether a row is a total row someone added (`Tổng cộng`, `Cộng`,
/// `Total`): the first word of its id or title cell.
pub(super) fn is_total_row(g: &Grid, row: u32) -> Option<String> {
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
pub(in crate::editor) fn merged_errors(
    g: &Grid,
    cols: std::ops::Range<u32>,
    errs: &mut Vec<CellError>,
) {
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
pub(super) fn unread_errors(g: &Grid, read: impl Fn(u32, u32) -> bool, errs: &mut Vec<CellError>) {
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
