//! The `tiendo` binary: parse the command line, run the library, print its
//! diagnostics and summary, exit 0 (success), 1 (content errors) or
//! 2 (usage or I/O errors).

use clap::{CommandFactory, Parser};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::time::Duration;
use tiendo::cli::{Cli, Command};
use tiendo::date::{Date, fmt_date};
use tiendo::diag::{Diagnostic, Severity};
use tiendo::serve::ServeEvent;
use tiendo::{Failure, Report, Summary};

/// A build shorter than this shows no progress bar at all.
const PROGRESS_AFTER: Duration = Duration::from_millis(300);

/// SOURCE_DATE_EPOCH when set (reproducible builds), otherwise today.
fn fallback_date() -> Date {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0))
        .map(|t| t.date_naive())
        .unwrap_or_else(|| chrono::Local::now().date_naive())
}

fn print_diagnostics(out: &mut impl Write, diags: &[Diagnostic]) {
    for d in diags {
        let _ = writeln!(out, "{d}");
    }
    let errors = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diags.len() - errors;
    if !diags.is_empty() {
        let _ = writeln!(out, "{errors} error(s), {warnings} warning(s)");
    }
}

fn print_summary(out: &mut impl Write, s: &Summary) {
    let _ = writeln!(
        out,
        "\nSố liệu tính đến ngày {} — {} nhiệm vụ",
        fmt_date(s.as_of),
        s.total
    );
    for (label, n) in &s.counts {
        let _ = writeln!(out, "  {n:>5}  {label}");
    }
    if !s.overdue.is_empty() {
        let _ = writeln!(out, "Quá hạn:");
        for (id, title, lead, days) in &s.overdue {
            let _ = writeln!(out, "  {days:>4} ngày  {id} ({lead}): {title}");
        }
    }
    if !s.missing_reports.is_empty() {
        let _ = writeln!(out, "Chưa nộp báo cáo:");
        for (agency, months) in &s.missing_reports {
            let _ = writeln!(out, "  {agency}: {}", months.join(", "));
        }
    }
    if let Some(next) = &s.next_reports {
        let _ = writeln!(
            out,
            "Báo cáo kỳ {} hạn nộp ngày {} (còn {} ngày), {} cơ quan chưa nộp:",
            next.period,
            fmt_date(next.due),
            next.days_left,
            next.agencies.len()
        );
        for (id, name) in &next.agencies {
            let _ = writeln!(out, "  {id}: {name}");
        }
    }
}

/// A progress bar on stderr for a build, drawn only on a terminal, only
/// without `--quiet`, and only once the build has taken more than a moment.
fn progress_bar(quiet: bool) -> Option<ProgressBar> {
    if quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let stages = tiendo::BUILD_STAGES;
    let bar =
        ProgressBar::with_draw_target(Some(stages.len() as u64), ProgressDrawTarget::hidden());
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} [{pos}/{len}] {bar:30} {msg} {elapsed}")
    {
        bar.set_style(style);
    }
    bar.set_message(stages[0]);
    let late = bar.clone();
    std::thread::spawn(move || {
        std::thread::sleep(PROGRESS_AFTER);
        if !late.is_finished() {
            late.set_draw_target(ProgressDrawTarget::stderr());
            late.enable_steady_tick(Duration::from_millis(120));
        }
    });
    Some(bar)
}

fn print_serve_event(event: ServeEvent) {
    let now = chrono::Local::now().format("%H:%M:%S");
    match event {
        ServeEvent::Listening(url) => {
            println!("Xem trước tại / Preview at {url}  (Ctrl+C để dừng / to stop)");
        }
        ServeEvent::Built {
            pages,
            elapsed,
            warnings,
        } => {
            let warned = if warnings > 0 {
                format!(", {warnings} cảnh báo / warning(s): tiendo check")
            } else {
                String::new()
            };
            println!(
                "[{now}] đã dựng {pages} trang trong {} ms / built {pages} pages in {} ms{warned}",
                elapsed.as_millis(),
                elapsed.as_millis()
            );
        }
        ServeEvent::Failed {
            errors,
            serving_last_good,
        } => {
            let mut err = std::io::stderr().lock();
            for e in errors {
                let _ = writeln!(err, "{e}");
            }
            let what = if serving_last_good {
                "vẫn phục vụ bản dựng tốt gần nhất / still serving the last good build"
            } else {
                "chưa có bản dựng nào / nothing built yet"
            };
            let _ = writeln!(err, "[{now}] {} lỗi / error(s): {what}", errors.len());
        }
    }
}

/// `tiendo serve`: runs until stopped.
fn serve(opts: tiendo::Options, bind: std::net::IpAddr, port: u16) -> ExitCode {
    let result = tiendo::serve::bind(std::net::SocketAddr::new(bind, port))
        .and_then(|listener| tiendo::serve::serve(opts, listener, print_serve_event));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Io(msg)) => {
            eprintln!("error: {msg}");
            ExitCode::from(2)
        }
        Err(Failure::Content(d)) => {
            print_diagnostics(&mut std::io::stderr(), &d);
            ExitCode::from(1)
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

/// `tiendo build`, with a progress bar where [`progress_bar`] allows one.
fn build(opts: &tiendo::Options, quiet: bool) -> Result<Report, Failure> {
    let Some(bar) = progress_bar(quiet) else {
        return tiendo::build(opts);
    };
    let stages = tiendo::BUILD_STAGES;
    let result = tiendo::build_with_progress(opts, &|done| {
        bar.inc(1);
        let next = stages
            .iter()
            .position(|s| *s == done)
            .and_then(|i| stages.get(i + 1));
        bar.set_message(next.copied().unwrap_or(""));
    });
    bar.finish_and_clear();
    result
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
    match &cli.command {
        Command::Serve { bind, port, .. } => return serve(opts, *bind, *port),
        Command::Completions { shell } => {
            clap_complete::generate(
                *shell,
                &mut Cli::command(),
                "tiendo",
                &mut std::io::stdout(),
            );
            return ExitCode::SUCCESS;
        }
        _ => {}
    }
    // Not locked for the whole run: the progress bar writes to stderr from its own thread.
    let mut stdout = std::io::stdout();
    let mut stderr = std::io::stderr();
    match &cli.command {
        Command::Check { strict, .. } => match tiendo::check(&opts) {
            Ok(report) => {
                print_diagnostics(&mut stderr, &report.diagnostics);
                if let Some(s) = &report.summary {
                    print_summary(&mut stdout, s);
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
            Err(Failure::Content(d)) => {
                print_diagnostics(&mut stderr, &d);
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
                    "Created a new site with {n} files in {}. Edit content/site.yaml, then run: tiendo check --root {}",
                    dir.display(),
                    dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(Failure::Io(msg)) => {
                let _ = writeln!(stderr, "error: {msg}");
                ExitCode::from(2)
            }
            Err(Failure::Content(d)) => {
                print_diagnostics(&mut stderr, &d);
                ExitCode::from(1)
            }
        },
        Command::Serve { .. } | Command::Completions { .. } => ExitCode::SUCCESS,
        Command::Build { quiet, .. } => match build(&opts, *quiet) {
            Ok(report) => {
                print_diagnostics(&mut stderr, &report.diagnostics);
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
            Err(Failure::Content(d)) => {
                print_diagnostics(&mut stderr, &d);
                let _ = writeln!(stderr, "build failed; the previous output is unchanged");
                ExitCode::from(1)
            }
            Err(Failure::Io(msg)) => {
                let _ = writeln!(stderr, "error: {msg}");
                ExitCode::from(2)
            }
        },
    }
}
