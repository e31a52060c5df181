//! The `tiendo` binary: parse the command line, run the library, print its
//! diagnostics and summary, exit 0 (success), 1 (content errors) or
//! 2 (usage or I/O errors).

use clap::Parser;
use std::io::Write;
use std::process::ExitCode;
use tiendo::cli::{Cli, Command, ExportWhat, NewWhat};
use tiendo::date::{Date, fmt_date};
use tiendo::diag::{Diagnostic, Lang, Severity};
use tiendo::msg;
use tiendo::{Failure, Report, Summary};

/// Vietnam's offset from UTC: +07:00 all year (no daylight saving time).
const VIETNAM_OFFSET_SECS: i64 = 7 * 3600;

/// The day in Vietnam (Asia/Ho_Chi_Minh) at `secs` seconds since the epoch.
fn vietnam_day(secs: i64) -> Option<Date> {
    chrono::DateTime::from_timestamp(secs.checked_add(VIETNAM_OFFSET_SECS)?, 0)
        .map(|t| t.date_naive())
}

/// The day `SOURCE_DATE_EPOCH` names (reproducible builds), in Vietnam;
/// `Ok(None)` when it is not set, `Err(text)` when it is not a number of
/// seconds.
fn source_date_epoch() -> Result<Option<Date>, String> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(s)) => Err(s.to_string_lossy().into_owned()),
        Ok(s) => s
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(vietnam_day)
            .map(Some)
            .ok_or(s),
    }
}

/// Today in Vietnam, whatever the machine's time zone.
fn today_in_vietnam() -> Date {
    let now = chrono::Utc::now();
    vietnam_day(now.timestamp()).unwrap_or_else(|| now.date_naive())
}

fn print_diagnostics(out: &mut impl Write, diags: &[Diagnostic], lang: Lang) {
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

fn print_summary(out: &mut impl Write, s: &Summary, lang: Lang) {
    let as_of = fmt_date(s.as_of);
    let total = s.total;
    let _ = writeln!(
        out,
        "\n{}",
        msg!("summary.as_of", as_of, total).render(lang)
    );
    for (code, n) in &s.counts {
        let key = format!("status_label.{code}");
        let label = tiendo::diag::catalogue(lang)
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
}

fn timings(r: &Report) -> String {
    let total: f64 = r.timings.iter().map(|(_, d)| d.as_secs_f64()).sum();
    let parts: Vec<String> = r
        .timings
        .iter()
        .map(|(name, d)| format!("{name} {:.0} ms", d.as_secs_f64() * 1000.0))
        .collect();
    format!("{:.2} s ({})", total, parts.join(", "))
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let epoch = source_date_epoch();
    let today = match &epoch {
        Ok(Some(d)) => *d,
        _ => today_in_vietnam(),
    };
    let opts = cli.command.options(today);
    let lang = opts.lang.unwrap_or_default();
    let mut stdout = std::io::stdout().lock();
    let mut stderr = std::io::stderr().lock();
    if let Err(text) = epoch {
        let _ = writeln!(
            stderr,
            "error: {}",
            msg!("usage.source_date_epoch", text).render(lang)
        );
        return ExitCode::from(2);
    }
    match &cli.command {
        Command::Check { strict, .. } => match tiendo::check(&opts) {
            Ok(report) => {
                print_diagnostics(&mut stderr, &report.diagnostics, report.lang);
                if let Some(s) = &report.summary {
                    print_summary(&mut stdout, s, report.lang);
                }
                let errors = report
                    .diagnostics
                    .iter()
                    .any(|d| d.severity == Severity::Error);
                let warnings = report
                    .diagnostics
                    .iter()
                    .any(|d| d.severity == Severity::Warning);
                ExitCode::from(if errors || (*strict && warnings) {
                    1
                } else {
                    0
                })
            }
            Err(Failure::Content(d, lang)) => {
                print_diagnostics(&mut stderr, &d, lang);
                ExitCode::from(1)
            }
            Err(Failure::Io(msg)) => {
                let _ = writeln!(stderr, "error: {msg}");
                ExitCode::from(2)
            }
        },
        Command::Init { dir } => match tiendo::init(dir, opts.fallback_date) {
            Ok(n) => {
                let _ = writeln!(
                    stdout,
                    "Created a new site with {n} files in {}. Edit content/site.yaml, then run: tiendo check --root {}\nTranscribing an older plan? Set `as_of` in content/site.yaml to the day its figures are true, or reports will be counted missing up to today. / Nhập lại một kế hoạch cũ? Đặt `as_of` trong content/site.yaml là ngày của số liệu, nếu không các báo cáo sẽ bị tính là thiếu đến hôm nay.",
                    dir.display(),
                    dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(Failure::Io(msg)) => {
                let _ = writeln!(stderr, "error: {msg}");
                ExitCode::from(2)
            }
            Err(Failure::Content(d, lang)) => {
                print_diagnostics(&mut stderr, &d, lang);
                ExitCode::from(1)
            }
        },
        Command::Build { .. } => match tiendo::build(&opts) {
            Ok(report) => {
                print_diagnostics(&mut stderr, &report.diagnostics, report.lang);
                let target = opts
                    .output
                    .clone()
                    .unwrap_or_else(|| opts.root.join("output"));
                let _ = writeln!(
                    stdout,
                    "Built {} files into {} in {}",
                    report.files_written,
                    target.display(),
                    timings(&report)
                );
                ExitCode::SUCCESS
            }
            Err(Failure::Content(d, lang)) => {
                print_diagnostics(&mut stderr, &d, lang);
                let _ = writeln!(stderr, "{}", msg!("summary.build_failed").render(lang));
                ExitCode::from(1)
            }
            Err(Failure::Io(msg)) => {
                let _ = writeln!(stderr, "error: {msg}");
                ExitCode::from(2)
            }
        },
        Command::New { what } => {
            let written = match what {
                NewWhat::Report {
                    agency,
                    period,
                    xlsx,
                    ..
                } => tiendo::editor::new_report(&opts, agency, *period, xlsx.as_deref()),
                NewWhat::Article { title, .. } => tiendo::editor::new_article(&opts, title),
                NewWhat::Task { plan, .. } => tiendo::editor::new_task(&opts, plan),
            };
            written_or_fail(
                &mut stdout,
                &mut stderr,
                written.map(|p| (p, Vec::new())),
                lang,
            )
        }
        Command::Export {
            what:
                ExportWhat::Report {
                    agency,
                    period,
                    xlsx,
                    ..
                },
        } => written_or_fail(
            &mut stdout,
            &mut stderr,
            tiendo::editor::export_report(&opts, agency, *period, xlsx).map(|p| (p, Vec::new())),
            lang,
        ),
        Command::Import { file, force, .. } => written_or_fail(
            &mut stdout,
            &mut stderr,
            tiendo::editor::import(&opts, file, *force),
            lang,
        ),
        Command::Schema { out } => match tiendo::editor::write_schemas(out) {
            Ok(n) => {
                let _ = writeln!(stdout, "Wrote {n} JSON Schemas into {}", out.display());
                ExitCode::SUCCESS
            }
            Err(e) => written_or_fail(&mut stdout, &mut stderr, Err(e), lang),
        },
    }
}

/// Prints the file a `new`, `export` or `import` wrote (with the warnings
/// that came along), or why it wrote nothing.
fn written_or_fail(
    stdout: &mut impl Write,
    stderr: &mut impl Write,
    r: Result<(std::path::PathBuf, Vec<Diagnostic>), Failure>,
    lang: Lang,
) -> ExitCode {
    match r {
        Ok((path, warnings)) => {
            print_diagnostics(stderr, &warnings, lang);
            let _ = writeln!(stdout, "Wrote {}", path.display());
            ExitCode::SUCCESS
        }
        Err(Failure::Content(d, lang)) => {
            print_diagnostics(stderr, &d, lang);
            ExitCode::from(1)
        }
        Err(Failure::Io(msg)) => {
            let _ = writeln!(stderr, "error: {msg}");
            ExitCode::from(2)
        }
    }
}
