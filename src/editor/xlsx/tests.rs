//! Tests of the report workbook's cell names, number formats and dates.

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
