//! The `tiendo` binary: parse the command line, run the library, print its
//! diagnostics and summary, exit 0 (success), 1 (content errors),
//! 2 (usage or I/O errors), or 130/143 when Ctrl-C or SIGTERM stopped a build.

use clap::Parser;
use std::io::Write;
use std::process::ExitCode;
use tiendo::cli::{Cli, Command, ExportWhat, NewWhat};
use tiendo::date::{Date, fmt_date};
use tiendo::diag::{Diagnostic, Lang, Severity};
use tiendo::msg;
use tiendo::{Failure, Report, Summary};

/// SOURCE_DATE_EPOCH when set (reproducible builds), otherwise today.
fn fallback_date() -> Date {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0))
        .map(|t| t.date_naive())
        .unwrap_or_else(|| chrono::Local::now().date_naive())
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
    for (label, n) in &s.counts {
        let label = if lang == Lang::En { label.1 } else { label.0 };
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

/// Passes SIGINT and SIGTERM to the library during a build: a build that is
/// writing stops, removes its temporary folder and returns; otherwise the
/// process exits at once with 128 + the signal.
fn forward_signals() {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
        return;
    };
    std::thread::spawn(move || {
        for signal in signals.forever() {
            if !tiendo::output::interrupt::request(signal) {
                std::process::exit(128 + signal);
            }
        }
    });
}

fn build(opts: &tiendo::Options) -> Result<Report, Failure> {
    forward_signals();
    tiendo::build(opts)
}

fn signal_exit(signal: i32) -> ExitCode {
    ExitCode::from(u8::try_from(128 + signal).unwrap_or(u8::MAX))
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

fn print_stale(out: &mut impl Write, stale: &[tiendo::output::Stale]) {
    for s in stale.iter().filter(|s| s.restored) {
        let _ = writeln!(
            out,
            "Put back the previous site from {}, left by a build stopped while it swapped",
            s.path.display()
        );
    }
    let removed: Vec<_> = stale.iter().filter(|s| !s.restored).collect();
    if !removed.is_empty() {
        let freed: u64 = removed.iter().map(|s| s.bytes).sum();
        let _ = writeln!(
            out,
            "Removed {} temporary folder(s) left by an interrupted build, freeing {} (đã xoá thư mục tạm của lần dựng bị ngắt, giải phóng {})",
            removed.len(),
            bytes(freed),
            bytes(freed)
        );
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let opts = cli.command.options(fallback_date());
    let lang = opts.lang.unwrap_or_default();
    let mut stdout = std::io::stdout().lock();
    let mut stderr = std::io::stderr().lock();
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
            Err(Failure::Interrupted(signal)) => signal_exit(signal),
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
            Err(Failure::Interrupted(signal)) => signal_exit(signal),
        },
        Command::Build { .. } => match build(&opts) {
            Ok(report) => {
                print_stale(&mut stdout, &report.stale);
                print_diagnostics(&mut stderr, &report.diagnostics, report.lang);
                let target = opts
                    .output
                    .clone()
                    .unwrap_or_else(|| opts.root.join("output"));
                let changed = report.output.as_ref().map_or(String::new(), |o| {
                    format!(" ({} written, {} unchanged)", o.written, o.unchanged)
                });
                let _ = writeln!(
                    stdout,
                    "Built {} files{changed} into {} in {}",
                    report.files_written,
                    target.display(),
                    timings(&report)
                );
                // A signal that arrived during the swap was held until the
                // new site was in place.
                match tiendo::output::interrupt::received() {
                    Some(signal) => signal_exit(signal),
                    None => ExitCode::SUCCESS,
                }
            }
            Err(Failure::Interrupted(signal)) => {
                let _ = writeln!(
                    stderr,
                    "interrupted: the build stopped and removed its temporary folder; the previous output is unchanged\n\
                     đã ngắt: bản dựng dừng lại và đã xoá thư mục tạm; trang cũ giữ nguyên"
                );
                signal_exit(signal)
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
        Err(Failure::Interrupted(signal)) => signal_exit(signal),
    }
}
