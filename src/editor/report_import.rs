//! Part of editor, `import` of a report workbook: the workbook read, its
//! dates checked against its period, the report checked with every rule of
//! `check` in a copy of the site, then written (edited in place where it
//! replaces a report, the old one kept beside it).

use super::*;

/// Checks the site at `root` with `report_text` in place of the report at
/// `rel`, without touching `root`: a copy of `content/` in a temporary
/// folder. Returns the errors and warnings in that report's file.
pub fn check_with_report(
    opts: &Options,
    rel: &str,
    report_text: &str,
) -> Result<Vec<Diagnostic>, Failure> {
    let tmp = tempfile::tempdir().map_err(|e| usage(msg!("editor.no_temp", error = e)))?;
    let content = opts.root.join("content");
    for entry in walkdir::WalkDir::new(&content) {
        let entry = entry.map_err(|e| {
            usage(msg!(
                "editor.cannot_read",
                path = content.display(),
                error = e
            ))
        })?;
        let Ok(sub) = entry.path().strip_prefix(&opts.root) else {
            continue;
        };
        let to = tmp.path().join(sub);
        let io = |e: std::io::Error| {
            usage(msg!(
                "editor.cannot_copy",
                path = entry.path().display(),
                error = e
            ))
        };
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).map_err(io)?;
        } else if entry.file_type().is_file() {
            std::fs::copy(entry.path(), &to).map_err(io)?;
        }
    }
    let target = tmp.path().join(rel);
    write_new(&target, report_text.as_bytes(), true)?;
    let mut o = opts.clone();
    o.root = tmp.path().to_path_buf();
    let report = match crate::check(&o) {
        Ok(r) => r.diagnostics,
        Err(Failure::Content(d, _)) => d,
        Err(e) => return Err(e),
    };
    Ok(report.into_iter().filter(|d| &*d.loc.file == rel).collect())
}

/// Dates of a workbook that belong to another period than its own: a
/// report of July sent before July began or once August's was due, a task
/// done or a KPI measured after July. Most often last month's workbook
/// filled in with this month's figures.
pub(super) fn period_errors(d: &ReportDraft, report_day: u32) -> Vec<xlsx::CellError> {
    let p = d.period;
    let (first, last) = (p.first_day(), p.last_day());
    let next_due = p.next().report_day(report_day);
    let mut errs = Vec::new();
    let mut push = |o: Origin, day: Date, what: &'static str| {
        errs.push(xlsx::CellError {
            cell: xlsx::origin_cell(&d.rows, o),
            message: msg!(
                "xlsx.other_period",
                what = crate::diag::word(what),
                day = crate::date::fmt_date(day),
                of = Period::of(day).key(),
                period = p.key()
            ),
        });
    };
    if let Some(s) = d.submitted
        && (s < first || s >= next_due)
    {
        push(Origin::Header(2), s, "what.cell_submitted");
    }
    for (n, u) in d.updates.iter().enumerate() {
        if let Some(day) = u.done_on.filter(|day| *day > last) {
            push(Origin::Update(n, 4), day, "what.cell_done_on");
        }
    }
    for (n, k) in d.kpis.iter().enumerate() {
        if let Some(day) = k.date.filter(|day| *day > last) {
            push(Origin::Kpi(n, 3), day, "what.cell_kpi_date");
        }
    }
    errs
}

/// What a report file on disk says, as far as `import --force` needs it:
/// its agency and period keys, and the progress of each update as written.
pub(super) struct OnDisk {
    agency: Option<String>,
    period: Option<String>,
    progress: std::collections::HashMap<String, String>,
}

pub(super) fn on_disk_report(rel: &str, text: &str) -> Option<OnDisk> {
    let mut ignored = Diagnostics::new();
    let raw: load::raw::RawReport = load::parse_yaml(&rel.into(), text, 0, &mut ignored)?;
    let progress = raw
        .updates
        .iter()
        .flatten()
        .filter_map(|u| {
            let u = &u.value;
            Some((
                u.task.as_ref()?.value.clone(),
                u.progress.as_ref()?.value.clone(),
            ))
        })
        .collect();
    Some(OnDisk {
        agency: raw.agency.map(|s| s.value),
        period: raw.period.map(|s| s.value),
        progress,
    })
}

/// `<file>.<UTC time>.bak~` beside `path`, a name no other file has: the
/// loader skips names ending in `~`, so the backup is never read as a
/// second report.
pub(super) fn backup_path(path: &Path) -> PathBuf {
    let stamp = chrono::Utc::now().format("%Y-%m-%dT%H%M%SZ");
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    (1..)
        .map(|n| {
            let extra = if n == 1 {
                String::new()
            } else {
                format!("-{n}")
            };
            path.with_file_name(format!("{name}.{stamp}{extra}.bak~"))
        })
        .find(|p| !p.exists())
        .unwrap_or_else(|| path.with_file_name(format!("{name}.bak~")))
}

/// `tiendo import FILE.xlsx`: reads, checks with every rule of `check`,
/// and writes the report into its period folder. With `force` it
/// replaces a report of the same agency and period only, keeping the
/// replaced file beside it (and saying where). Returns the file written
/// and the report's warnings.
pub fn import(
    opts: &Options,
    file: &Path,
    force: bool,
) -> Result<(PathBuf, Vec<Diagnostic>), Failure> {
    let lang = opts.lang.unwrap_or_default();
    let name = file.display().to_string();
    let at_cell = |cell: String, message: Message| xlsx::CellError { cell, message };
    // A file larger than any workbook may unpack to is refused unread.
    if let Ok(meta) = std::fs::metadata(file)
        && meta.len() > xlsx::MAX_TOTAL_BYTES
    {
        return Err(cell_diagnostics(
            &name,
            vec![at_cell(
                String::new(),
                msg!(
                    "xlsx.file_too_big",
                    size = meta.len().div_ceil(1 << 20),
                    max = xlsx::MAX_TOTAL_BYTES >> 20
                ),
            )],
            lang,
        ));
    }
    let bytes = std::fs::read(file)
        .map_err(|e| usage(msg!("editor.cannot_read", path = &name, error = e)))?;
    let mut draft =
        xlsx::read_report(&bytes).map_err(|errs| cell_diagnostics(&name, errs, lang))?;
    let rows = draft.rows.clone();
    let cell = |o: Origin| xlsx::origin_cell(&rows, o);
    // Every problem of the workbook at once: its agency, its date, the
    // period of its dates.
    let mut errs = Vec::new();
    if !crate::text::is_valid_id(&draft.agency) {
        errs.push(at_cell(
            cell(Origin::Header(0)),
            msg!("xlsx.not_agency_id", id = &draft.agency),
        ));
    }
    if draft.submitted.is_none() {
        errs.push(at_cell(
            cell(Origin::Header(2)),
            msg!("xlsx.submitted_empty"),
        ));
    }
    let m = load_lenient(opts)?;
    name_things(&m, &mut draft);
    errs.extend(period_errors(&draft, m.site().report_day));
    if !errs.is_empty() {
        return Err(cell_diagnostics(&name, errs, lang));
    }
    let rel = report_path(draft.period, &draft.agency);
    let path = on_disk(opts, &rel);
    let old_text = if path.exists() {
        if !force {
            return Err(usage(msg!("editor.exists_force", path = path.display())));
        }
        Some(read_text(&path)?)
    } else {
        None
    };
    let old = old_text.as_deref().and_then(|t| on_disk_report(&rel, t));
    // `--force` replaces the report of this agency and period, nothing else.
    if let Some(old) = &old {
        let keys = [
            (0, old.agency.as_deref(), draft.agency.clone()),
            (1, old.period.as_deref(), draft.period.key()),
        ];
        let errs: Vec<xlsx::CellError> = keys
            .into_iter()
            .filter(|(_, was, now)| was.is_some_and(|w| w.trim() != now))
            .map(|(i, was, now)| {
                at_cell(
                    cell(Origin::Header(i)),
                    msg!(
                        "xlsx.force_other",
                        path = path.display(),
                        was = was.unwrap_or_default(),
                        now
                    ),
                )
            })
            .collect();
        if !errs.is_empty() {
            return Err(cell_diagnostics(&name, errs, lang));
        }
    }
    let (text, origins) = old_text
        .as_deref()
        .and_then(|old| edit_in_place(&rel, old, &draft))
        .unwrap_or_else(|| report_yaml(&draft, false));
    let diags = check_with_report(opts, &rel, &text)?;
    let mut mapped: Vec<Diagnostic> = diags
        .into_iter()
        .map(|mut d| {
            let line = d.loc.line as usize;
            let at = match line
                .checked_sub(1)
                .and_then(|i| origins.get(i).copied().flatten())
            {
                Some(o) => format!("{name}:{}", xlsx::origin_cell(&draft.rows, o)),
                None => name.clone(),
            };
            d.loc = crate::diag::Loc::file(&at.into());
            d
        })
        .collect();
    if has_errors(&mapped) {
        return Err(Failure::Content(mapped, lang));
    }
    // A progress cell cleared in a correction: the task falls back to the
    // lead's previous report, which the editor may not expect.
    let mut notes = Diagnostics::new();
    if let Some(old) = &old {
        for (n, u) in draft.updates.iter().enumerate() {
            if u.progress.is_none()
                && let Some(was) = old.progress.get(&u.task)
            {
                let at = format!("{name}:{}", cell(Origin::Update(n, 3)));
                notes.warning(
                    crate::diag::Loc::file(&at.into()),
                    msg!("xlsx.progress_cleared", was = was.trim(), task = &u.task),
                );
            }
        }
    }
    if let Some(old_text) = &old_text {
        let backup = backup_path(&path);
        write_new(&backup, old_text.as_bytes(), false)?;
        notes.warning(
            crate::diag::Loc::file(&rel.as_str().into()),
            msg!("editor.backup", path = backup.display()),
        );
    }
    mapped.extend(notes.sorted());
    write_new(&path, text.as_bytes(), force)?;
    Ok((path, mapped))
}

/// Fills in the agency's name and the titles a workbook does not carry
/// back, as far as the site can be read; they only go into comments.
pub(super) fn name_things(m: &Model, d: &mut ReportDraft) {
    if let Some(a) = m.agency(&d.agency) {
        d.agency_name = a.name.clone();
    }
    d.due = d.period.report_day(m.site().report_day);
    for u in &mut d.updates {
        if let Some(t) = m.task(&u.task) {
            u.title = t.title.clone();
        }
    }
    for k in &mut d.kpis {
        if let Some(x) = m.kpi(&k.kpi) {
            k.name = x.name.clone();
            k.unit = x.unit.clone();
        }
    }
}
