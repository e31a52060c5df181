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
use tiendo::diag::{Diagnostic, Lang, Maybe, Message, Severity};
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

fn print_serve_event(event: ServeEvent, lang: Lang) {
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

/// `tiendo serve`: runs until stopped.
fn serve(mut opts: tiendo::Options, bind: std::net::IpAddr, port: u16, lang: Lang) -> ExitCode {
    // The preview's own words (its error banner) in the same language.
    opts.lang = Some(lang);
    let result = tiendo::serve::bind(std::net::SocketAddr::new(bind, port)).and_then(|listener| {
        tiendo::serve::serve(opts, listener, move |e| print_serve_event(e, lang))
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => fail(&mut std::io::stderr(), failure, lang),
    }
}

/// The one place a failure becomes its lines on stderr and the exit code:
/// 1 for content errors, 2 for usage and I/O, 128 + the signal for a
/// build stopped by one.
fn fail(err: &mut impl Write, failure: Failure, lang: Lang) -> ExitCode {
    match failure {
        Failure::Content(d, lang) => {
            print_diagnostics(err, &d, lang);
            ExitCode::from(1)
        }
        Failure::Io(text) => {
            let _ = writeln!(err, "{}: {text}", msg!("level.error").render(lang));
            ExitCode::from(2)
        }
        Failure::Usage(m) => usage_exit(err, &m, lang),
        Failure::Interrupted(signal) => signal_exit(signal),
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

/// "0.76 s (load 62 ms, ...)", each stage named from the catalogue
/// (`stage.NAME`).
fn timings(r: &Report, lang: Lang) -> String {
    let total: f64 = r.timings.iter().map(|(_, d)| d.as_secs_f64()).sum();
    let words = tiendo::diag::catalogue(lang);
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
fn stage_list(stages: &tiendo::Timings, lang: Lang) -> String {
    let words = tiendo::diag::catalogue(lang);
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
fn build(opts: &tiendo::Options, quiet: bool, lang: Lang) -> Result<Report, Failure> {
    forward_signals();
    tiendo::output::on_wait(move |path| {
        let path = path.display();
        eprintln!("{}", msg!("output.waiting", path).render(lang));
    });
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

fn print_stale(out: &mut impl Write, stale: &[tiendo::output::Stale], lang: Lang) {
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

/// The language of messages before the library has read the site: `--lang`,
/// else the first of `languages:` in ROOT/content/site.yaml, else
/// Vietnamese. Read by the text alone (`languages: [vi, en]` or a list of
/// `- vi` lines); the library reads the file properly later.
fn early_lang(lang: Option<Lang>, root: &std::path::Path) -> Lang {
    lang.or_else(|| {
        let text = std::fs::read_to_string(root.join("content/site.yaml")).ok()?;
        let mut lines = text.lines();
        let rest = lines.find_map(|l| l.strip_prefix("languages:"))?;
        let rest = rest.split('#').next().unwrap_or("").trim();
        let first = if rest.is_empty() {
            lines.find_map(|l| l.trim().strip_prefix("- "))?
        } else {
            rest.trim_start_matches('[').split([',', ']']).next()?
        };
        Lang::from_code(first.trim().trim_matches(['"', '\'']))
    })
    .unwrap_or_default()
}

/// `--lang` and `--root` as written on the command line, for a usage error
/// found before the command line could be parsed.
fn lang_of_args(args: &[String]) -> Lang {
    let value = |name: &str| {
        let eq = format!("{name}=");
        args.iter().enumerate().find_map(|(i, a)| {
            if a == name {
                args.get(i + 1).cloned()
            } else {
                a.strip_prefix(&eq).map(str::to_string)
            }
        })
    };
    let lang = value("--lang").and_then(|l| Lang::from_code(&l));
    early_lang(
        lang,
        std::path::Path::new(&value("--root").unwrap_or(".".into())),
    )
}

/// A command-line error of clap told in the language of messages.
fn usage_message(e: &clap::Error) -> Message {
    use clap::error::{ContextKind, ErrorKind};
    let ctx = |k: ContextKind| e.get(k).map(|v| v.to_string()).unwrap_or_default();
    let suggested = e
        .get(ContextKind::SuggestedArg)
        .or_else(|| e.get(ContextKind::SuggestedSubcommand))
        .map(|v| msg!("hint.did_you_mean", candidate = v.to_string()));
    let arg = ctx(ContextKind::InvalidArg);
    match e.kind() {
        ErrorKind::UnknownArgument => msg!("cli.unknown_argument", arg, hint = Maybe(suggested)),
        ErrorKind::InvalidSubcommand => msg!(
            "cli.unknown_command",
            arg = ctx(ContextKind::InvalidSubcommand),
            hint = Maybe(suggested)
        ),
        ErrorKind::MissingRequiredArgument => msg!("cli.missing", arg),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            msg!("cli.missing_command")
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let value = ctx(ContextKind::InvalidValue);
            if arg.starts_with("--as-of") {
                match tiendo::date::parse_date(&value) {
                    Err(m) => m,
                    Ok(_) => msg!("cli.invalid_value", value, arg, hint = Maybe(None)),
                }
            } else if arg.starts_with("--period") {
                msg!("cli.not_a_period", value)
            } else if arg.starts_with("--lang") {
                msg!("cli.not_a_lang", value)
            } else if arg.starts_with("--base-url") {
                msg!("cli.not_a_base_url", value)
            } else {
                let valid = e
                    .get(ContextKind::ValidValue)
                    .map(|v| msg!("cli.valid_values", values = v.to_string()));
                msg!("cli.invalid_value", value, arg, hint = Maybe(valid))
            }
        }
        ErrorKind::ArgumentConflict => msg!("cli.twice", arg),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues => {
            let value = ctx(ContextKind::InvalidValue);
            msg!(
                "cli.unexpected",
                arg = if value.is_empty() { arg } else { value }
            )
        }
        _ => msg!(
            "cli.other",
            text = e
                .to_string()
                .lines()
                .next()
                .unwrap_or("")
                .trim_start_matches("error: ")
        ),
    }
}

/// Parses the command line; a usage error is printed in the language of
/// messages with a pointer to `--help` (exit code 2), `--help` and
/// `--version` as clap writes them.
fn parse_cli() -> Result<Cli, ExitCode> {
    let args: Vec<String> = std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    Cli::try_parse_from(&args).map_err(|e| {
        use clap::error::ErrorKind;
        if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        let lang = lang_of_args(&args);
        let mut err = std::io::stderr().lock();
        let code = usage_exit(&mut err, &usage_message(&e), lang);
        let _ = writeln!(err, "{}", msg!("cli.see_help").render(lang));
        code
    })
}

fn main() -> ExitCode {
    let cli = match parse_cli() {
        Ok(c) => c,
        Err(code) => return code,
    };
    let epoch = source_date_epoch();
    let today = match &epoch {
        Ok(Some(d)) => *d,
        _ => today_in_vietnam(),
    };
    let opts = cli.command.options(today);
    let lang = early_lang(opts.lang, &opts.root);
    if let Err(text) = epoch {
        let failure = Failure::Usage(msg!("usage.source_date_epoch", text));
        return fail(&mut std::io::stderr(), failure, lang);
    }
    match &cli.command {
        Command::Serve { bind, port, .. } => return serve(opts, *bind, *port, lang),
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
        Command::Check { strict, .. } => run_check(&opts, *strict, lang),
        Command::Init { dir } => match tiendo::init(dir, opts.fallback_date) {
            Ok(count) => {
                let path = dir.display();
                let _ = writeln!(
                    stdout,
                    "{}\n{}",
                    msg!("init.done", count, path).render(lang),
                    msg!("init.older_plan").render(lang)
                );
                ExitCode::SUCCESS
            }
            Err(failure) => fail(&mut stderr, failure, lang),
        },
        Command::Serve { .. } | Command::Completions { .. } => ExitCode::SUCCESS,
        Command::Build { quiet, .. } => run_build(&opts, *quiet, lang),
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
        Command::Export {
            what:
                ExportWhat::Translations {
                    xlsx,
                    missing,
                    only,
                    ..
                },
        } => {
            let sel = tiendo::editor::translations::Selection {
                missing: *missing,
                only: only.clone(),
            };
            match tiendo::editor::translations::export(&opts, xlsx, &sel) {
                Ok(e) => {
                    let path = e.path.display();
                    let line = if e.rows < e.selected {
                        let (count, total) = (e.rows, e.selected);
                        msg!("translations.exported_part", path, count, total)
                    } else {
                        let (count, missing) = (e.rows, e.lacking);
                        msg!("translations.exported", path, count, missing)
                    };
                    let _ = writeln!(stdout, "{}", line.render(lang));
                    ExitCode::SUCCESS
                }
                Err(failure) => fail(&mut stderr, failure, lang),
            }
        }
        Command::Import { file, .. } if is_translations(file) => {
            run_translations_import(&opts, file, lang)
        }
        Command::Import { file, force, .. } => written_or_fail(
            &mut stdout,
            &mut stderr,
            tiendo::editor::import(&opts, file, *force),
            lang,
        ),
        Command::Schema { out } => match tiendo::editor::write_schemas(out) {
            Ok(count) => {
                let path = out.display();
                let line = msg!("cli.wrote_schemas", count, path);
                let _ = writeln!(stdout, "{}", line.render(lang));
                ExitCode::SUCCESS
            }
            Err(e) => written_or_fail(&mut stdout, &mut stderr, Err(e), lang),
        },
    }
}

/// `tiendo import` of a translators' workbook: the warnings, then each
/// file written with how many English texts it gained, or that there was
/// nothing to write.
fn run_translations_import(opts: &tiendo::Options, file: &std::path::Path, lang: Lang) -> ExitCode {
    let mut stdout = std::io::stdout();
    let mut stderr = std::io::stderr();
    match tiendo::editor::translations::import(opts, file) {
        Ok((written, warnings)) => {
            print_diagnostics(&mut stderr, &warnings, lang);
            for w in &written {
                let (path, added, replaced) = (w.path.display(), w.added, w.replaced);
                let line = msg!("translations.wrote", path, added, replaced);
                let _ = writeln!(stdout, "{}", line.render(lang));
            }
            if written.is_empty() {
                let _ = writeln!(stdout, "{}", msg!("translations.nothing").render(lang));
            }
            ExitCode::SUCCESS
        }
        Err(failure) => fail(&mut stderr, failure, lang),
    }
}

/// Whether `file` is a translators' workbook (read whole only when it is
/// no larger than a workbook may be; the report import says why otherwise).
fn is_translations(file: &std::path::Path) -> bool {
    std::fs::metadata(file).is_ok_and(|m| m.len() <= tiendo::editor::xlsx::MAX_TOTAL_BYTES)
        && std::fs::read(file).is_ok_and(|b| tiendo::editor::translations::is_workbook(&b))
}

/// `tiendo check`: every problem, the summary, and exit 1 on an error (or
/// a warning with `--strict`).
fn run_check(opts: &tiendo::Options, strict: bool, lang: Lang) -> ExitCode {
    let mut stdout = std::io::stdout();
    let mut stderr = std::io::stderr();
    match tiendo::check(opts) {
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
            ExitCode::from(if errors || (strict && warnings) { 1 } else { 0 })
        }
        Err(failure) => fail(&mut stderr, failure, lang),
    }
}

/// `tiendo build`: the problems, where the site went and how long it
/// took, or why nothing changed.
fn run_build(opts: &tiendo::Options, quiet: bool, lang: Lang) -> ExitCode {
    let mut stdout = std::io::stdout();
    let mut stderr = std::io::stderr();
    match build(opts, quiet, lang) {
        Ok(report) => {
            let lang = report.lang;
            print_stale(&mut stdout, &report.stale, lang);
            print_diagnostics(&mut stderr, &report.diagnostics, lang);
            let target = opts
                .output
                .clone()
                .unwrap_or_else(|| opts.root.join("output"));
            let outcome = report.output.clone().unwrap_or_default();
            if let Some(backup) = &outcome.moved_aside {
                let line = msg!(
                    "output.moved_aside",
                    path = target.display(),
                    backup = backup.display()
                );
                let _ = writeln!(stderr, "{}", line.render(lang));
            }
            let line = msg!(
                "build.done",
                files = report.files_written,
                written = outcome.written,
                unchanged = outcome.unchanged,
                path = target.display(),
                time = timings(&report, lang)
            );
            let _ = writeln!(stdout, "{}", line.render(lang));
            if let Some(images) = report.images.as_ref().filter(|i| i.images > 0) {
                let line = msg!(
                    "build.images",
                    images = images.images,
                    drawn = images.drawn,
                    kept = images.images - images.drawn.min(images.images)
                );
                let _ = writeln!(stdout, "{}", line.render(lang));
            }
            // A signal that arrived during the swap was held until the
            // new site was in place.
            match tiendo::output::interrupt::received() {
                Some(signal) => signal_exit(signal),
                None => ExitCode::SUCCESS,
            }
        }
        Err(failure) => {
            // A closing line: the previous output is unchanged.
            let after = match &failure {
                Failure::Interrupted(_) => Some((msg!("build.interrupted"), lang)),
                Failure::Content(_, content) => Some((msg!("summary.build_failed"), *content)),
                _ => None,
            };
            let code = fail(&mut stderr, failure, lang);
            if let Some((m, lang)) = after {
                let _ = writeln!(stderr, "{}", m.render(lang));
            }
            code
        }
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
            let path = path.display();
            let _ = writeln!(stdout, "{}", msg!("cli.wrote", path).render(lang));
            ExitCode::SUCCESS
        }
        Err(failure) => fail(stderr, failure, lang),
    }
}
