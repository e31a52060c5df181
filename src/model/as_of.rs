//! Checks against the as-of day, which the model stage does not know
//! until the command line is read (`--as-of`, else `as_of` in site.yaml,
//! else today). Input: the model and the day; output: diagnostics only.

use super::*;

/// An as-of day this many days away from every date of the content is a
/// typo (2052 for 2025): every task would be overdue, every month missing.
const FAR_DAYS: i64 = 5 * 366;

/// Compares the model's dates with the as-of day `as_of`; `written` when
/// the day was given (`--as-of` or site.yaml) rather than today's.
pub fn check_as_of(m: &Model, as_of: Date, written: bool, diags: &mut Diagnostics) {
    if written && as_of_is_far(m, as_of, diags) {
        return;
    }
    reports_after(m, as_of, diags);
    for a in &m.agencies {
        if let Some(end) = &a.succession
            && end.date > as_of
        {
            diags.warning(
                end.loc.clone(),
                msg!(
                    "agency.end_after_as_of",
                    id = &a.id,
                    date = fmt_date(end.date),
                    as_of = fmt_date(as_of)
                ),
            );
        }
    }
    for (_, date, at) in &m.places.extensions {
        if *date > as_of {
            diags.warning(
                at.clone(),
                msg!(
                    "task.change_after_as_of",
                    date = fmt_date(*date),
                    as_of = fmt_date(as_of)
                ),
            );
        }
    }
}

/// One clear message for an as-of day years away from the content,
/// rather than a warning for every month of every agency. True when the
/// day is refused.
fn as_of_is_far(m: &Model, as_of: Date, diags: &mut Diagnostics) -> bool {
    let issued = m.plans.iter().map(|p| p.issued);
    let deadlines = m
        .tasks
        .iter()
        .filter_map(|t| t.deadline.as_ref().and_then(Deadline::date));
    let submitted = m.reports.iter().map(|r| r.submitted);
    let Some(latest) = issued.chain(deadlines).chain(submitted).max() else {
        return false;
    };
    let Some(earliest) = m.plans.iter().map(|p| p.issued).min() else {
        return false;
    };
    let at = match (&m.places.as_of, m.site().as_of) {
        (Some(at), Some(day)) if day == as_of => at.clone(),
        _ => Loc::file(&Arc::from("--as-of")),
    };
    let day = fmt_date(as_of);
    if (as_of - latest).num_days() > FAR_DAYS {
        let latest = fmt_date(latest);
        diags.error(at, msg!("as_of.far_after", day, latest));
        true
    } else if (earliest - as_of).num_days() > FAR_DAYS {
        let earliest = fmt_date(earliest);
        diags.error(at, msg!("as_of.far_before", day, earliest));
        true
    } else {
        false
    }
}

/// A report due by the as-of day but submitted after it is not counted
/// yet: the month shows it missing although its file exists. Said at
/// its `submitted`, so that the editor knows it counts from that day.
fn reports_after(m: &Model, as_of: Date, diags: &mut Diagnostics) {
    let report_day = m.site().report_day;
    for (r, at) in m.reports.iter().zip(&m.places.submitted) {
        if r.submitted > as_of && r.period.report_day(report_day) <= as_of {
            diags.warning(
                at.clone(),
                msg!(
                    "report.submitted_after_as_of",
                    submitted = fmt_date(r.submitted),
                    as_of = fmt_date(as_of),
                    period = r.period
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{run, said};

    #[test]
    fn a_year_typo_in_as_of_is_one_error() {
        let site = "title: Cổng\nbase_url: https://example.org/\nas_of: 2052-04-25\n";
        let (_, lines) = run(&[("content/site.yaml", site)]);
        assert!(
            said(
                &lines,
                &["site.yaml:3:8: error", "more than five years after"]
            ),
            "{lines:#?}"
        );
        assert_eq!(lines.len(), 1, "{lines:#?}");
        let site = site.replace("2052", "2015");
        let (_, lines) = run(&[("content/site.yaml", &site)]);
        assert!(
            said(
                &lines,
                &["site.yaml:3:8: error", "more than five years before"]
            ),
            "{lines:#?}"
        );
        // The fixture's own day is near its content.
        let (_, lines) = run(&[]);
        assert!(!said(&lines, &["as-of day"]), "{lines:#?}");
    }

    #[test]
    fn a_report_submitted_after_the_day_is_counted_from_its_date() {
        let report = "agency: so-mot\nperiod: 2025-04\nsubmitted: 2025-04-28\nupdates:\n  - task: viec-mot\n    state: done\n    done_on: 2025-04-02\n";
        let (_, lines) = run(&[("content/reports/2025-04/so-mot.yaml", report)]);
        assert!(
            said(
                &lines,
                &[
                    "2025-04/so-mot.yaml:3:12: warning",
                    "counts this report from 28/04/2025"
                ]
            ),
            "{lines:#?}"
        );
    }

    #[test]
    fn an_end_after_the_day_is_not_in_force_yet() {
        let agencies = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/minimal/content/agencies.yaml"
        ))
        .expect("agencies")
        .replace("date: 2025-03-01", "date: 2025-06-01");
        let (_, lines) = run(&[("content/agencies.yaml", &agencies)]);
        assert!(
            said(
                &lines,
                &["agencies.yaml:16:18: warning", "not in force yet"]
            ),
            "{lines:#?}"
        );
    }
}
