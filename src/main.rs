//! The `tiendo` binary: parse the command line, run the library, print its
//! diagnostics and summary, exit 0 (success), 1 (content errors),
//! 2 (usage or I/O errors), or 130/143 when Ctrl-C or SIGTERM stopped a build.

use clap::{CommandFactory, Parser};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::time::Duration;
use tiendo::cli::{Cli, Command, ExportWhat, NewWhat};
use tiendo::date::{Date, fmt_date};
use tiendo::diag::{Diagnostic, Lang, Severity};
use tiendo::msg;
use tiendo::serve::ServeEvent;
use tiendo::{Failure, Report, Summary};

/// mimalloc rather than the system allocator: rendering makes and drops
/// millions of small strings and template values across two threads, and
/// glibc's malloc spent a tenth of a national build (README, Benchmark).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc.h (v3), which the sys crate names no
/// constant for: how long freed memory waits before mimalloc returns it to
/// the system.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// A one-shot command keeps the memory it frees for reuse rather than
/// returning it after a second and faulting it back in: at national scale
/// that re-faulting was 2 s of a 13 s build, for 10% more peak memory
/// (README, Benchmark). `serve`, which runs for hours, keeps the default.
fn keep_freed_memory() {
    // SAFETY: mi_option_set stores one integer in mimalloc's option table;
    // it is called from main before any other thread exists.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
}

/// A build shorter than this shows no progress bar at all.
const PROGRESS_AFTER: Duration = Duration::from_millis(300);

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
    let lang = opts.lang.unwrap_or_default();
    let result = tiendo::serve::bind(std::net::SocketAddr::new(bind, port))
        .and_then(|listener| tiendo::serve::serve(opts, listener, print_serve_event));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Io(msg)) => {
            eprintln!("error: {msg}");
            ExitCode::from(2)
        }
        Err(Failure::Usage(m)) => usage_exit(&mut std::io::stderr(), &m, lang),
        Err(Failure::Content(d, lang)) => {
            print_diagnostics(&mut std::io::stderr(), &d, lang);
            ExitCode::from(1)
        }
        Err(Failure::Interrupted(signal)) => signal_exit(signal),
    }
}

/// A usage error in the language of messages; exit code 2.
fn usage_exit(out: &mut impl Write, m: &tiendo::diag::Message, lang: Lang) -> ExitCode {
    let _ = writeln!(
        out,
        "{}: {}",
        msg!("level.error").render(lang),
        m.render(lang)
    );
    ExitCode::from(2)
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

/// `tiendo build`, with a progress bar where [`progress_bar`] allows one,
/// and SIGINT/SIGTERM forwarded to the library.
fn build(opts: &tiendo::Options, quiet: bool) -> Result<Report, Failure> {
    forward_signals();
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
    let epoch = source_date_epoch();
    let today = match &epoch {
        Ok(Some(d)) => *d,
        _ => today_in_vietnam(),
    };
    let opts = cli.command.options(today);
    let lang = opts.lang.unwrap_or_default();
    if let Err(text) = epoch {
        let _ = writeln!(
            std::io::stderr(),
            "{}: {}",
            msg!("level.error").render(lang),
            msg!("usage.source_date_epoch", text).render(lang)
        );
        return ExitCode::from(2);
    }
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
    keep_freed_memory();
    // Not locked for the whole run: the progress bar writes to stderr from its own thread.
    let mut stdout = std::io::stdout();
    let mut stderr = std::io::stderr();
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
            Err(Failure::Usage(m)) => usage_exit(&mut stderr, &m, lang),
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
            Err(Failure::Usage(m)) => usage_exit(&mut stderr, &m, lang),
            Err(Failure::Content(d, lang)) => {
                print_diagnostics(&mut stderr, &d, lang);
                ExitCode::from(1)
            }
            Err(Failure::Interrupted(signal)) => signal_exit(signal),
        },
        Command::Serve { .. } | Command::Completions { .. } => ExitCode::SUCCESS,
        Command::Build { quiet, .. } => match build(&opts, *quiet) {
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
            Err(Failure::Usage(m)) => usage_exit(&mut stderr, &m, lang),
        },
        Command::New { what } => {
            let written = match what {
                NewWhat::Report {
                    agency,
                    period,
                    xlsx,
                    ..
                } => tiendo::editor::new_report(&opts, agency, *period, xlsx.as_deref()),
                NewWhat::Article { title, .. } => {
                    tiendo::editor::new_article(&opts, title).map(|p| (p, Vec::new()))
                }
                NewWhat::Task { plan, .. } => {
                    tiendo::editor::new_task(&opts, plan).map(|p| (p, Vec::new()))
                }
            };
            written_or_fail(&mut stdout, &mut stderr, written, lang)
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
        Err(Failure::Usage(m)) => usage_exit(stderr, &m, lang),
        Err(Failure::Interrupted(signal)) => signal_exit(signal),
    }
}
