//! Part of the command line: what the binary prints, each line from the
//! message catalogue in the run's language: diagnostics and their counts,
//! check's summary, serve's events, a build's timings and the temporary
//! folders of interrupted builds it cleared.

use crate::date::fmt_date;
use crate::diag::{Diagnostic, Lang, Severity};
use crate::msg;
use crate::serve::ServeEvent;
use crate::{Report, Summary};
use std::io::Write;

pub fn print_diagnostics(out: &mut impl Write, diags: &[Diagnostic], lang: Lang) {
    for d in diags {
        let _ = writeln!(out, "{}", d.render(lang));
    }
    let errors = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diags.len() - errors;
    if !diags.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            msg!("summary.counts", errors, warnings).render(lang)
        );
    }
}

pub fn print_summary(out: &mut impl Write, s: &Summary, lang: Lang) {
    let as_of = fmt_date(s.as_of);
    let total = s.total;
    let _ = writeln!(
        out,
        "\n{}",
        msg!("summary.as_of", as_of, total).render(lang)
    );
    for (code, n) in &s.counts {
        let key = format!("status_label.{code}");
        let label = crate::diag::catalogue(lang)
            .get(&key)
            .map_or(*code, String::as_str);
        let _ = writeln!(out, "  {n:>5}  {label}");
    }
    if !s.overdue.is_empty() {
        let _ = writeln!(out, "{}", msg!("summary.overdue").render(lang));
        for (id, title, lead, days) in &s.overdue {
            let days = msg!("summary.days", days = format!("{days:>4}")).render(lang);
            let _ = writeln!(out, "  {days}  {id} ({lead}): {title}");
        }
    }
    if !s.missing_reports.is_empty() {
        let _ = writeln!(out, "{}", msg!("summary.missing_reports").render(lang));
        for (agency, months) in &s.missing_reports {
            let _ = writeln!(out, "  {agency}: {}", months.join(", "));
        }
    }
    if let Some(next) = &s.next_reports {
        let line = msg!(
            "summary.next_reports",
            period = &next.period,
            due = fmt_date(next.due),
            days = next.days_left,
            count = next.agencies.len()
        );
        let _ = writeln!(out, "{}", line.render(lang));
        for (id, name) in &next.agencies {
            let _ = writeln!(out, "  {id}: {name}");
        }
    }
    if let Some(due) = &s.replies_due {
        let line = msg!(
            "summary.replies_due",
            count = due.replies.len(),
            before = fmt_date(due.before)
        );
        let _ = writeln!(out, "{}", line.render(lang));
        for (owes, key, by) in &due.replies {
            let _ = writeln!(out, "  {owes}: {key} ({})", fmt_date(*by));
        }
    }
    // Last, for translators: asked for with English messages.
    if let (Lang::En, Some((missing, total))) = (lang, s.untranslated) {
        let line = msg!("summary.untranslated", missing, total);
        let _ = writeln!(out, "{}", line.render(lang));
    }
}

pub fn print_serve_event(event: ServeEvent, lang: Lang) {
    let time = chrono::Local::now().format("%H:%M:%S").to_string();
    match event {
        ServeEvent::Listening(url) => {
            println!("{}", msg!("serve.listening", url).render(lang));
        }
        ServeEvent::Built {
            pages,
            elapsed,
            warnings,
            stages,
        } => {
            let ms = elapsed.as_millis();
            let line = if warnings > 0 {
                msg!("serve.built_warnings", time, pages, ms, warnings)
            } else {
                msg!("serve.built", time, pages, ms)
            };
            println!("{} ({})", line.render(lang), stage_list(stages, lang));
        }
        ServeEvent::Checked {
            files,
            elapsed,
            warnings,
        } => {
            let ms = elapsed.as_millis();
            let line = if warnings > 0 {
                msg!("serve.checked_warnings", time, files, ms, warnings)
            } else {
                msg!("serve.checked", time, files, ms)
            };
            println!("{}", line.render(lang));
        }
        ServeEvent::Failed {
            errors,
            serving_last_good,
        } => {
            let mut err = std::io::stderr().lock();
            for e in errors {
                let _ = writeln!(err, "{e}");
            }
            let count = errors.len();
            let line = if serving_last_good {
                msg!("serve.failed_last_good", time, count)
            } else {
                msg!("serve.failed_nothing", time, count)
            };
            let _ = writeln!(err, "{}", line.render(lang));
        }
    }
}

/// "0.76 s (load 62 ms, ...)", each stage named from the catalogue
/// (`stage.NAME`).
pub fn timings(r: &Report, lang: Lang) -> String {
    let total: f64 = r.timings.iter().map(|(_, d)| d.as_secs_f64()).sum();
    let words = crate::diag::catalogue(lang);
    let parts: Vec<String> = r
        .timings
        .iter()
        .map(|(name, d)| {
            let word = words
                .get(&format!("stage.{name}"))
                .map_or(*name, String::as_str);
            format!("{word} {:.0} ms", d.as_secs_f64() * 1000.0)
        })
        .collect();
    format!("{:.2} s ({})", total, parts.join(", "))
}

/// "load 62 ms, model 80 ms, ...", each stage named from the catalogue.
fn stage_list(stages: &crate::Timings, lang: Lang) -> String {
    let words = crate::diag::catalogue(lang);
    let parts: Vec<String> = stages
        .iter()
        .map(|(name, d)| {
            let word = words
                .get(&format!("stage.{name}"))
                .map_or(*name, String::as_str);
            format!("{word} {:.0} ms", d.as_secs_f64() * 1000.0)
        })
        .collect();
    parts.join(", ")
}

/// "1.2 GB", "340 MB", "12 KB": how much space a clean-up freed.
fn bytes(n: u64) -> String {
    let n = n as f64;
    if n >= 1e9 {
        format!("{:.1} GB", n / 1e9)
    } else if n >= 1e6 {
        format!("{:.0} MB", n / 1e6)
    } else {
        format!("{:.0} KB", n / 1e3)
    }
}

pub fn print_stale(out: &mut impl Write, stale: &[crate::output::Stale], lang: Lang) {
    for s in stale.iter().filter(|s| s.restored) {
        let path = s.path.display();
        let _ = writeln!(out, "{}", msg!("build.stale_restored", path).render(lang));
    }
    let removed: Vec<_> = stale.iter().filter(|s| !s.restored).collect();
    if !removed.is_empty() {
        let freed = bytes(removed.iter().map(|s| s.bytes).sum());
        let count = removed.len();
        let _ = writeln!(
            out,
            "{}",
            msg!("build.stale_removed", count, freed).render(lang)
        );
    }
}
