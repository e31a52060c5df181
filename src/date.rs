//! Dates as editors write them, and as the portal shows them.
//!
//! Input: `2025-03-31`, `31/03/2025`, `1/3/2025`; deadlines may also be a
//! month (`2025-06`, `06/2025`: its last day), a quarter (`Q4/2025`,
//! `quý IV/2025`, `Quý 4/2025`: its last day), `monthly` or `ongoing`.
//! Output: `DD/MM/YYYY`, `tháng 06/2025`, `quý IV/2025`. Pure functions.
//!
//! Over 600 lines: a third of it is the tests of every date form the
//! content format accepts.

use crate::diag::Message;
use crate::msg;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::fmt;

pub type Date = NaiveDate;

/// A calendar month, the unit of monthly reporting (`2025-03`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Period {
    pub year: i32,
    pub month: u32,
}

impl Period {
    pub fn of(date: Date) -> Self {
        Period {
            year: date.year(),
            month: date.month(),
        }
    }

    /// `2025-03`, exactly: the name of a report folder.
    pub fn parse(s: &str) -> Option<Self> {
        let (y, m) = s.split_once('-')?;
        if y.len() != 4 || m.len() != 2 || !all_digits(y) || !all_digits(m) {
            return None;
        }
        let p = Period {
            year: y.parse().ok()?,
            month: m.parse().ok()?,
        };
        (1..=12).contains(&p.month).then_some(p)
    }

    /// A period as editors write it: `2025-07`, `07/2025`, `7/2025` or
    /// `tháng 7/2025` (the form the portal prints).
    pub fn parse_written(s: &str) -> Option<Self> {
        Period::parse(s.trim()).or_else(|| match parse_deadline(s) {
            Ok(Deadline::Date(d, DeadlineForm::Month)) => Some(Period {
                year: d.year(),
                month: d.month(),
            }),
            _ => None,
        })
    }

    pub fn first_day(self) -> Date {
        // Months 1..=12 of years 0..=9999 always exist.
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    pub fn last_day(self) -> Date {
        self.next().first_day().pred_opt().unwrap_or(NaiveDate::MIN)
    }

    /// The report day of this month: `day`, or the month's last day when the
    /// month is shorter (a report day of 31 falls on 30 April).
    pub fn report_day(self, day: u32) -> Date {
        let last = self.last_day();
        NaiveDate::from_ymd_opt(self.year, self.month, day.min(last.day())).unwrap_or(last)
    }

    /// The first period whose report day (`report_day`) falls after `day`.
    pub fn reported_after(day: Date, report_day: u32) -> Self {
        let p = Period::of(day);
        if p.report_day(report_day) <= day {
            p.next()
        } else {
            p
        }
    }

    pub fn next(self) -> Self {
        if self.month == 12 {
            Period {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Period {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// `2025-03`
    pub fn key(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    /// `tháng 03/2025`
    pub fn label_vi(self) -> String {
        format!("tháng {:02}/{:04}", self.month, self.year)
    }

    /// `03/2025`
    pub fn label_short(self) -> String {
        format!("{:02}/{:04}", self.month, self.year)
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// How a dated deadline was written, so the portal can show it the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeadlineForm {
    Day,
    Month,
    Quarter(u32),
}

/// A task's deadline (rõ tiến độ).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deadline {
    /// A day; a month or quarter counts as its last day.
    Date(Date, DeadlineForm),
    /// Recurs every month (seed item 7).
    Monthly,
    /// Standing duty with no end (thường xuyên, seed item 4.m).
    Ongoing,
}

impl Deadline {
    pub fn date(&self) -> Option<Date> {
        match self {
            Deadline::Date(d, _) => Some(*d),
            _ => None,
        }
    }

    pub fn is_recurring(&self) -> bool {
        !matches!(self, Deadline::Date(..))
    }

    /// The deadline as Vietnamese readers write it.
    pub fn label_vi(&self) -> String {
        match self {
            Deadline::Date(d, DeadlineForm::Day) => fmt_date(*d),
            Deadline::Date(d, DeadlineForm::Month) => {
                format!("tháng {:02}/{}", d.month(), d.year())
            }
            Deadline::Date(d, DeadlineForm::Quarter(q)) => {
                format!("quý {}/{}", roman(*q), d.year())
            }
            Deadline::Monthly => "Hằng tháng".to_string(),
            Deadline::Ongoing => "Thường xuyên".to_string(),
        }
    }

    /// The deadline in English: `31/03/2025`, `06/2025`, `Q4 2025`.
    pub fn label_en(&self) -> String {
        match self {
            Deadline::Date(d, DeadlineForm::Day) => fmt_date(*d),
            Deadline::Date(d, DeadlineForm::Month) => format!("{:02}/{}", d.month(), d.year()),
            Deadline::Date(d, DeadlineForm::Quarter(q)) => format!("Q{q} {}", d.year()),
            Deadline::Monthly => "Monthly".to_string(),
            Deadline::Ongoing => "Ongoing".to_string(),
        }
    }

    /// The code used in data files: an ISO date, `monthly` or `ongoing`.
    pub fn code(&self) -> String {
        match self {
            Deadline::Date(d, _) => d.to_string(),
            Deadline::Monthly => "monthly".to_string(),
            Deadline::Ongoing => "ongoing".to_string(),
        }
    }
}

/// `DD/MM/YYYY`
pub fn fmt_date(d: Date) -> String {
    format!("{:02}/{:02}/{:04}", d.day(), d.month(), d.year())
}

fn roman(q: u32) -> &'static str {
    match q {
        1 => "I",
        2 => "II",
        3 => "III",
        _ => "IV",
    }
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn num<T: std::str::FromStr>(s: &str, min_len: usize, max_len: usize) -> Option<T> {
    (all_digits(s) && (min_len..=max_len).contains(&s.len()))
        .then(|| s.parse().ok())
        .flatten()
}

/// Years a plan can plausibly name; outside them a date is a typo, and
/// month-by-month figures would run for centuries.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2199;

fn implausible(text: &str, what: Message) -> Message {
    msg!(
        "date.implausible",
        text,
        what,
        from = YEARS.start(),
        to = YEARS.end()
    )
}

fn ymd(year: i32, month: u32, day: u32, text: &str) -> Result<Date, Message> {
    if !YEARS.contains(&year) {
        return Err(implausible(text, msg!("what.date")));
    }
    if !(1..=12).contains(&month) {
        return Err(msg!("date.no_month", text, month));
    }
    let last = Period { year, month }.last_day().day();
    NaiveDate::from_ymd_opt(year, month, day)
        .filter(|_| day >= 1)
        .ok_or_else(|| {
            msg!(
                "date.no_day",
                text,
                month = format!("{month:02}/{year}"),
                last
            )
        })
}

/// Three numbers in `s` separated by anything but digits, in the order written.
fn three_numbers(s: &str) -> Option<[&str; 3]> {
    let parts: Vec<&str> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .collect();
    let rest_is_separators = s
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '-' | '/' | '.' | ' ' | '_' | ','));
    match parts[..] {
        [a, b, c] if rest_is_separators => Some([a, b, c]),
        _ => None,
    }
}

/// A day: `2025-03-31` (two-digit month and day), `31/03/2025`, `1/3/2025`,
/// `30-06-2025` or `2025/06/30`. Anything that looks like a day in another
/// order or with other separators gets "did you mean DD/MM/YYYY?".
pub fn parse_date(text: &str) -> Result<Date, Message> {
    let s = text.trim();
    for sep in ['-', '/'] {
        let parts: Vec<&str> = s.split(sep).collect();
        if let [a, b, c] = parts[..] {
            // Year first: two-digit month and day, as ISO 8601 wants.
            if let (Some(y), Some(m), Some(d)) = (num(a, 4, 4), num(b, 2, 2), num(c, 2, 2)) {
                return ymd(y, m, d, s);
            }
            // Day first, as Vietnamese documents write it.
            if let (Some(d), Some(m), Some(y)) = (num(a, 1, 2), num(b, 1, 2), num(c, 4, 4)) {
                return ymd(y, m, d, s);
            }
        }
    }
    if let Some([a, b, c]) = three_numbers(s) {
        let guess = match (a.len(), c.len()) {
            (4, 1..=2) => num::<i32>(a, 4, 4)
                .zip(num::<u32>(b, 1, 2))
                .zip(num::<u32>(c, 1, 2)),
            (1..=2, 4) => num::<i32>(c, 4, 4)
                .zip(num::<u32>(b, 1, 2))
                .zip(num::<u32>(a, 1, 2)),
            _ => None,
        };
        if let Some(((y, m), d)) = guess
            && let Ok(day) = ymd(y, m, d, s)
        {
            return Err(msg!("date.near_miss", text = s, suggestion = fmt_date(day)));
        }
    }
    Err(msg!("date.invalid", text = s))
}

fn parse_quarter_number(s: &str) -> Option<u32> {
    match s.to_lowercase().as_str() {
        "1" | "i" => Some(1),
        "2" | "ii" => Some(2),
        "3" | "iii" => Some(3),
        "4" | "iv" => Some(4),
        _ => None,
    }
}

/// The words editors type for a recurring deadline, as the portal prints
/// them ("Thường xuyên", "Hằng tháng") and in the data files' codes.
const RECURRING: &[(&str, Deadline)] = &[
    ("monthly", Deadline::Monthly),
    ("ongoing", Deadline::Ongoing),
    ("hằng tháng", Deadline::Monthly),
    ("hàng tháng", Deadline::Monthly),
    ("thường xuyên", Deadline::Ongoing),
];

/// A deadline: a day, a month, a quarter, `monthly` or `ongoing`.
///
/// Also accepted, because the portal prints them and editors copy them:
/// `tháng 6/2025`, `Quý 3 năm 2025`, `Thường xuyên`, `Hằng tháng`.
pub fn parse_deadline(text: &str) -> Result<Deadline, Message> {
    let s = text.trim();
    let lower = s.to_lowercase();
    let lower = lower.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some((_, d)) = RECURRING.iter().find(|(w, _)| *w == lower) {
        return Ok(*d);
    }
    // Quarter: `Q4/2025`, `quý IV/2025`, `Quý 4/2025`, `Quý 3 năm 2025`.
    let quarter = lower
        .strip_prefix("quý")
        .or_else(|| lower.strip_prefix("quy"))
        .or_else(|| lower.strip_prefix('q'));
    if let Some(rest) = quarter
        && let Some((q, y)) = rest
            .trim()
            .split_once('/')
            .or_else(|| rest.trim().split_once(" năm "))
    {
        return match (parse_quarter_number(q.trim()), num::<i32>(y.trim(), 4, 4)) {
            (Some(_), Some(y)) if !YEARS.contains(&y) => Err(implausible(s, msg!("what.quarter"))),
            (Some(q), Some(y)) => {
                let last = Period {
                    year: y,
                    month: q * 3,
                }
                .last_day();
                Ok(Deadline::Date(last, DeadlineForm::Quarter(q)))
            }
            _ => Err(msg!("date.not_quarter", text = s)),
        };
    }
    // Month: `2025-06`, `06/2025`, `6/2025`, `tháng 6/2025`, `tháng 6 năm 2025`.
    let m_text = lower
        .strip_prefix("tháng")
        .map(|r| r.trim().replacen(" năm ", "/", 1))
        .unwrap_or_else(|| lower.clone());
    let month = match m_text.split_once(['-', '/']) {
        Some((y, m)) if m_text.contains('-') => num::<i32>(y, 4, 4).zip(num::<u32>(m, 2, 2)),
        Some((m, y)) if !y.contains('/') => num::<i32>(y, 4, 4).zip(num::<u32>(m, 1, 2)),
        _ => None,
    };
    if let Some((year, month)) = month {
        if !(1..=12).contains(&month) {
            return Err(msg!("date.not_month", text = s, month));
        }
        if !YEARS.contains(&year) {
            return Err(implausible(s, msg!("what.month")));
        }
        return Ok(Deadline::Date(
            Period { year, month }.last_day(),
            DeadlineForm::Month,
        ));
    }
    // Something written as a day keeps the day's own explanation.
    parse_date(s)
        .map(|d| Deadline::Date(d, DeadlineForm::Day))
        .map_err(|e| {
            if e.key != "date.invalid" {
                return e;
            }
            let hint = RECURRING
                .iter()
                .map(|(w, _)| (strsim::normalized_levenshtein(&lower, w), *w))
                .filter(|(score, _)| *score >= 0.6)
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, w)| msg!("hint.did_you_mean", candidate = w));
            msg!(
                "date.not_deadline",
                text = s,
                hint = crate::diag::Maybe(hint)
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Lang;

    /// The English text of a parse result, for assertions.
    fn en<T>(r: Result<T, Message>) -> Result<T, String> {
        r.map_err(|m| m.render(Lang::En))
    }

    fn d(y: i32, m: u32, day: u32) -> Date {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn iso_dates_need_two_digit_month_and_day() {
        assert_eq!(parse_date("2025-03-31"), Ok(d(2025, 3, 31)));
        assert!(parse_date("2025-3-31").is_err());
        assert!(parse_date("2025-03-1").is_err());
    }

    #[test]
    fn slash_dates_take_one_or_two_digits() {
        assert_eq!(parse_date("31/03/2025"), Ok(d(2025, 3, 31)));
        assert_eq!(parse_date("1/3/2025"), Ok(d(2025, 3, 1)));
        assert_eq!(parse_date(" 10/3/2025 "), Ok(d(2025, 3, 10)));
        assert!(parse_date("1/3/25").is_err());
        assert!(parse_date("001/3/2025").is_err());
    }

    #[test]
    fn impossible_dates_say_why() {
        assert_eq!(
            en(parse_date("31/02/2025")),
            Err("`31/02/2025` is not a date: 02/2025 has 28 days".to_string())
        );
        assert_eq!(parse_date("2024-02-29"), Ok(d(2024, 2, 29)));
        assert!(parse_date("2025-02-29").is_err());
        assert!(parse_date("0/3/2025").is_err());
        assert_eq!(
            en(parse_date("2025-13-01")),
            Err("`2025-13-01` is not a date: there is no month 13".to_string())
        );
        assert!(parse_date("").is_err());
        assert!(parse_date("hôm nay").is_err());
        assert!(parse_date("99999999999999999999-01-01").is_err());
        assert_eq!(
            en(parse_date("01/01/0001")),
            Err("`01/01/0001` is not a plausible date: years run from 1900 to 2199".to_string())
        );
        assert!(parse_deadline("Q4/9999").is_err());
        assert!(parse_deadline("2400-06").is_err());
    }

    #[test]
    fn month_deadlines_are_their_last_day() {
        assert_eq!(
            parse_deadline("2025-06"),
            Ok(Deadline::Date(d(2025, 6, 30), DeadlineForm::Month))
        );
        assert_eq!(
            parse_deadline("06/2025"),
            Ok(Deadline::Date(d(2025, 6, 30), DeadlineForm::Month))
        );
        assert_eq!(
            parse_deadline("2/2024"),
            Ok(Deadline::Date(d(2024, 2, 29), DeadlineForm::Month))
        );
        assert!(parse_deadline("13/2025").is_err());
    }

    #[test]
    fn quarter_deadlines_in_every_spelling() {
        let q4 = Ok(Deadline::Date(d(2025, 12, 31), DeadlineForm::Quarter(4)));
        for s in [
            "Q4/2025",
            "q4/2025",
            "quý IV/2025",
            "Quý 4/2025",
            "QUÝ iv/2025",
            "quy IV/2025",
        ] {
            assert_eq!(parse_deadline(s), q4, "{s}");
        }
        assert_eq!(
            parse_deadline("quý I/2025"),
            Ok(Deadline::Date(d(2025, 3, 31), DeadlineForm::Quarter(1)))
        );
        assert!(parse_deadline("Q5/2025").is_err());
        assert!(parse_deadline("quý V/2025").is_err());
    }

    #[test]
    fn keywords_are_case_insensitive() {
        assert_eq!(parse_deadline("monthly"), Ok(Deadline::Monthly));
        assert_eq!(parse_deadline("Monthly"), Ok(Deadline::Monthly));
        assert_eq!(parse_deadline("ONGOING"), Ok(Deadline::Ongoing));
        assert!(parse_deadline("soon").is_err());
    }

    #[test]
    fn day_deadlines_keep_their_form() {
        assert_eq!(
            parse_deadline("31/3/2025"),
            Ok(Deadline::Date(d(2025, 3, 31), DeadlineForm::Day))
        );
        assert_eq!(
            en(parse_deadline("31/02/2025")),
            Err("`31/02/2025` is not a date: 02/2025 has 28 days".to_string())
        );
    }

    #[test]
    fn forms_editors_type_are_accepted() {
        let june = Ok(d(2025, 6, 30));
        assert_eq!(parse_date("30-06-2025"), june);
        assert_eq!(parse_date("2025/06/30"), june);
        assert_eq!(parse_date("30/6/2025"), june);
        let month = Ok(Deadline::Date(d(2025, 6, 30), DeadlineForm::Month));
        assert_eq!(parse_deadline("tháng 6/2025"), month);
        assert_eq!(parse_deadline("Tháng 06/2025"), month);
        assert_eq!(parse_deadline("tháng 6 năm 2025"), month);
        assert_eq!(
            parse_deadline("Quý 3 năm 2025"),
            Ok(Deadline::Date(d(2025, 9, 30), DeadlineForm::Quarter(3)))
        );
        assert_eq!(parse_deadline("Thường xuyên"), Ok(Deadline::Ongoing));
        assert_eq!(parse_deadline("Hằng tháng"), Ok(Deadline::Monthly));
        assert_eq!(parse_deadline("hàng  tháng"), Ok(Deadline::Monthly));
    }

    #[test]
    fn periods_as_editors_write_them() {
        let july = Some(Period {
            year: 2025,
            month: 7,
        });
        for s in [
            "2025-07",
            "07/2025",
            "7/2025",
            "tháng 7/2025",
            "Tháng 07/2025",
        ] {
            assert_eq!(Period::parse_written(s), july, "{s}");
        }
        assert_eq!(Period::parse_written("Q3/2025"), None);
        assert_eq!(Period::parse_written("31/07/2025"), None);
    }

    #[test]
    fn near_misses_suggest_the_accepted_form() {
        assert_eq!(
            en(parse_date("2025-6-30")),
            Err("`2025-6-30` is not a date as written; did you mean 30/06/2025?".to_string())
        );
        assert_eq!(
            en(parse_date("30.06.2025")),
            Err("`30.06.2025` is not a date as written; did you mean 30/06/2025?".to_string())
        );
        assert_eq!(
            en(parse_deadline("thuong xuyen")),
            Err("`thuong xuyen` is not a deadline; write a day (2025-03-31, 31/03/2025), a month (2025-06, 06/2025), a quarter (Q4/2025, quý IV/2025), `monthly` or `ongoing`; did you mean `thường xuyên`?".to_string())
        );
    }

    #[test]
    fn labels() {
        assert_eq!(fmt_date(d(2025, 3, 1)), "01/03/2025");
        assert_eq!(parse_deadline("Q4/2025").unwrap().label_vi(), "quý IV/2025");
        assert_eq!(
            parse_deadline("2025-06").unwrap().label_vi(),
            "tháng 06/2025"
        );
        assert_eq!(Deadline::Ongoing.label_vi(), "Thường xuyên");
        assert_eq!(parse_deadline("quý IV/2025").unwrap().label_en(), "Q4 2025");
        assert_eq!(parse_deadline("06/2025").unwrap().label_en(), "06/2025");
    }

    #[test]
    fn report_day_clamps_to_short_months() {
        assert_eq!(
            Period {
                year: 2025,
                month: 2
            }
            .report_day(31),
            d(2025, 2, 28)
        );
        assert_eq!(
            Period {
                year: 2024,
                month: 2
            }
            .report_day(30),
            d(2024, 2, 29)
        );
        assert_eq!(
            Period {
                year: 2025,
                month: 3
            }
            .report_day(20),
            d(2025, 3, 20)
        );
        assert_eq!(
            Period {
                year: 2025,
                month: 12
            }
            .next(),
            Period {
                year: 2026,
                month: 1
            }
        );
    }

    #[test]
    fn periods_are_strict() {
        assert_eq!(
            Period::parse("2025-03"),
            Some(Period {
                year: 2025,
                month: 3
            })
        );
        assert_eq!(Period::parse("2025-3"), None);
        assert_eq!(Period::parse("2025-13"), None);
        assert_eq!(Period::parse("25-03"), None);
    }
}
