//! Part of editor, monthly reports as drafts: what `new report` pre-fills
//! from the last reports and `export report` reads from an existing one,
//! and the files they write (the draft as YAML is [`super::report_yaml`]).
//! Input: the model; output: a [`ReportDraft`], the files written.

use super::*;

/// One task a report speaks about: where it stood, as a starting point.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftUpdate {
    pub task: String,
    /// The task's title, shown to the editor, never read back.
    pub title: String,
    pub state: TaskState,
    pub progress: Option<f64>,
    pub done_on: Option<Date>,
    pub note: Option<String>,
    pub evidence: Option<String>,
    /// Why a task reported done is open again.
    pub reopened: Option<String>,
    /// The agency's own outlook (`on_track`, `at_risk`, `off_track`), as
    /// written; never carried into a new report (a view is per report).
    pub outlook: Option<String>,
}

/// One KPI value of a report.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftKpi {
    pub kpi: String,
    /// The KPI's name and unit, shown to the editor, never read back.
    pub name: String,
    pub unit: String,
    pub date: Option<Date>,
    pub value: Option<f64>,
    pub note: Option<String>,
    /// The last value reported before (day, value), shown to the editor
    /// of a new report as a comment, never written as a value.
    pub last: Option<(Date, f64)>,
}

/// The rows of a workbook a draft was read from (0 where it was not):
/// the report sheet's four fields, then each update and KPI value.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SourceRows {
    pub header: [u32; 4],
    pub updates: Vec<u32>,
    pub kpis: Vec<u32>,
    pub proposals: Vec<u32>,
    pub replies: Vec<u32>,
}

/// A proposal addressed to the agency that awaits its reply, shown in a
/// new report as a commented-out reply to fill in.
#[derive(Debug, Clone, PartialEq)]
pub struct Awaiting {
    /// `agency/id`.
    pub key: String,
    /// The raising agency's name, the reply's due day and the text.
    pub from: String,
    pub reply_by: Date,
    pub text: String,
}

/// A monthly report as an editor sees it, in YAML or in a workbook.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportDraft {
    pub agency: String,
    pub agency_name: String,
    pub period: Period,
    /// Empty in a new report: the editor fills it in on sending.
    pub submitted: Option<Date>,
    /// The report day of the period, for the editor's information.
    pub due: Date,
    pub summary: Option<String>,
    pub updates: Vec<DraftUpdate>,
    pub kpis: Vec<DraftKpi>,
    /// Its difficulties and proposals, and its replies, as written.
    pub proposals: Vec<crate::model::WrittenProposal>,
    pub replies: Vec<crate::model::WrittenReply>,
    /// New report only: the proposals addressed to the agency (or passed
    /// to it) that await its reply on the report day.
    pub awaiting: Vec<Awaiting>,
    /// Where in a workbook it was read from, for messages.
    pub rows: SourceRows,
}

/// The proposals `agency` is asked to answer that await its reply on the
/// report day `due` (status's states on that day), in the order of their
/// raising agency and id.
fn awaiting(m: &Model, agency: &str, due: Date) -> Vec<Awaiting> {
    crate::status::proposals(m, due)
        .into_iter()
        .filter(|s| s.state.awaits_reply() && s.owed_by.as_deref() == Some(agency))
        .map(|s| {
            let p = &m.proposals[s.proposal];
            Awaiting {
                key: p.key(),
                from: m
                    .agency(&p.agency)
                    .map_or_else(|| p.agency.clone(), |a| a.name.clone()),
                reply_by: p.reply_by,
                text: p.text.clone(),
            }
        })
        .collect()
}

/// The period whose report is due next: the first whose report day is on
/// or after `as_of`.
pub fn next_due_period(m: &Model, as_of: Date) -> Period {
    let p = Period::of(as_of);
    if p.report_day(m.site().report_day) < as_of {
        p.next()
    } else {
        p
    }
}

/// `content/reports/<period>/<agency>.yaml`, relative to the site root.
pub fn report_path(period: Period, agency: &str) -> String {
    format!("content/reports/{}/{agency}.yaml", period.key())
}

/// The agency `id` if it reports on `day`, else why not.
pub(super) fn reporting_agency<'m>(
    m: &'m Model,
    id: &str,
    day: Date,
) -> Result<&'m crate::model::Agency, Failure> {
    let Some(a) = m.agency(id) else {
        let hint = did_you_mean(id, m.agencies.iter().map(|a| a.id.as_str()));
        return Err(usage(msg!("editor.no_agency", id, hint = Maybe(hint))));
    };
    match m.holder_on(id, day) {
        Some(h) if h == id => Ok(a),
        Some(h) => Err(usage(msg!(
            "editor.succeeded",
            id,
            day = crate::date::fmt_date(day),
            successor = h
        ))),
        None => Err(usage(msg!(
            "editor.dissolved",
            id,
            day = crate::date::fmt_date(day)
        ))),
    }
}

/// The pre-filled report of `agency` for `period`: every task it leads or
/// supports that is open on the period's first day (not reported done by
/// its lead in a report submitted before that day), with the latest state
/// and progress reported before the period (its own, else the lead's), and
/// every KPI it owns with its latest value.
pub fn prefill_report(m: &Model, agency: &str, period: Period) -> Result<ReportDraft, Failure> {
    let due = period.report_day(m.site().report_day);
    let a = reporting_agency(m, agency, due)?;
    let first = period.first_day();
    let earlier: Vec<&crate::model::Report> =
        m.reports.iter().filter(|r| r.period < period).collect();
    let mut updates = Vec::new();
    for t in &m.tasks {
        if m.plans[t.plan].issued > due || !m.takes_part_on(agency, t, due) {
            continue;
        }
        let latest = |pick: &dyn Fn(&crate::model::Report) -> bool, before: Option<Date>| {
            earlier
                .iter()
                .filter(|r| pick(r) && before.is_none_or(|b| r.submitted < b))
                .flat_map(|r| r.updates.iter().map(move |u| (*r, u)))
                .filter(|(_, u)| u.task == t.id)
                .max_by_key(|(r, _)| (r.submitted, r.period))
                .map(|(_, u)| u)
        };
        let lead_state = latest(&|r| m.leads_on(&r.agency, t, r.submitted), Some(first));
        let own = latest(&|r| r.agency == agency, None);
        let start = own.or(latest(&|r| m.leads_on(&r.agency, t, r.submitted), None));
        if lead_state.is_some_and(|u| u.state == TaskState::Done)
            || start.is_some_and(|u| u.state == TaskState::Done)
        {
            continue;
        }
        updates.push(DraftUpdate {
            task: t.id.clone(),
            title: t.title.clone(),
            state: start.map_or(TaskState::NotStarted, |u| u.state),
            progress: start.and_then(|u| u.progress),
            done_on: None,
            note: None,
            evidence: None,
            reopened: None,
            outlook: None,
        });
    }
    let mut kpis = Vec::new();
    for k in &m.kpis {
        if m.holder_on(&k.owner, due) != Some(agency) {
            continue;
        }
        // The last value is shown, never written as this month's: a form
        // that only needed `submitted` would publish it as a new point.
        let last = earlier
            .iter()
            .flat_map(|r| r.kpi_values.iter().map(move |v| (r, v)))
            .filter(|(_, v)| v.kpi == k.id)
            .max_by_key(|(r, v)| (v.date, r.submitted))
            .map(|(_, v)| (v.date, v.value))
            .or(k.baseline);
        kpis.push(DraftKpi {
            kpi: k.id.clone(),
            name: k.name.clone(),
            unit: k.unit.clone(),
            date: None,
            value: None,
            note: None,
            last,
        });
    }
    Ok(ReportDraft {
        agency: agency.to_string(),
        agency_name: a.name.clone(),
        period,
        submitted: None,
        due,
        summary: None,
        updates,
        kpis,
        proposals: Vec::new(),
        replies: Vec::new(),
        awaiting: awaiting(m, agency, due),
        rows: SourceRows::default(),
    })
}

/// An existing report as a draft (for `export`).
pub fn existing_report(m: &Model, agency: &str, period: Period) -> Result<ReportDraft, Failure> {
    let Some(r) = m
        .reports
        .iter()
        .find(|r| r.agency == agency && r.period == period)
    else {
        return Err(usage(msg!(
            "editor.no_report",
            path = report_path(period, agency),
            agency,
            period = period.key()
        )));
    };
    let agency_name = m
        .agency(agency)
        .map_or_else(String::new, |a| a.name.clone());
    Ok(ReportDraft {
        agency: agency.to_string(),
        agency_name,
        period,
        submitted: Some(r.submitted),
        due: period.report_day(m.site().report_day),
        summary: r.summary.clone(),
        updates: r
            .updates
            .iter()
            .map(|u| DraftUpdate {
                task: u.task.clone(),
                title: m
                    .task(&u.task)
                    .map_or_else(String::new, |t| t.title.clone()),
                state: u.state,
                progress: u.progress,
                done_on: u.done_on,
                note: u.note.clone(),
                evidence: u.evidence.clone(),
                reopened: None,
                outlook: u.outlook.map(|o| o.code().to_string()),
            })
            .collect(),
        kpis: r
            .kpi_values
            .iter()
            .map(|v| {
                let k = m.kpi(&v.kpi);
                DraftKpi {
                    kpi: v.kpi.clone(),
                    name: k.map_or_else(String::new, |k| k.name.clone()),
                    unit: k.map_or_else(String::new, |k| k.unit.clone()),
                    date: Some(v.date),
                    value: Some(v.value),
                    note: v.note.clone(),
                    last: None,
                }
            })
            .collect(),
        proposals: r.proposals.clone(),
        replies: r.replies.clone(),
        awaiting: Vec::new(),
        rows: SourceRows::default(),
    })
}

/// The `reopened:` reasons of the report `period/agency` as written (the
/// model keeps only that there is one), by task.
pub(super) fn reopened_reasons(
    raw: &load::RawContent,
    agency: &str,
    period: Period,
) -> std::collections::HashMap<String, String> {
    raw.reports
        .iter()
        .filter(|r| r.stem == agency && r.folder == period.key())
        .flat_map(|r| r.source.doc.updates.iter().flatten())
        .filter_map(|u| {
            let u = &u.value;
            Some((
                u.task.as_ref()?.value.clone(),
                u.reopened.as_ref()?.value.clone(),
            ))
        })
        .collect()
}

/// The period folder of a report file (`content/reports/2025-07/x.yaml`).
pub(super) fn report_period_of(file: &str) -> Option<Period> {
    let rest = file.strip_prefix("content/reports/")?;
    Period::parse(rest.split('/').next()?)
}

/// `tiendo new report`: the pre-filled report as YAML in its period
/// folder, or as a workbook at `xlsx`. Returns the file written, and a
/// warning for each file with errors among those the pre-filling reads: a
/// broken report elsewhere is no reason to refuse the form.
pub fn new_report(
    opts: &Options,
    agency: &str,
    period: Option<Period>,
    xlsx_out: Option<&Path>,
) -> Result<(PathBuf, Vec<Diagnostic>), Failure> {
    let mut diags = Diagnostics::new();
    let raw = load::load(&opts.root, &mut diags).map_err(|e| Failure::Io(e.0))?;
    let m = model::build(raw, &mut diags);
    let period = period.unwrap_or_else(|| next_due_period(&m, as_of(opts, &m)));
    let target = xlsx_out.map_or_else(
        || on_disk(opts, &report_path(period, agency)),
        Path::to_path_buf,
    );
    if target.exists() {
        return Err(usage(msg!("editor.exists", path = target.display())));
    }
    // What the pre-filling reads (news, pages and the reports of this
    // period or later it does not): one warning a broken file.
    let mut broken: std::collections::BTreeMap<String, usize> = Default::default();
    for d in diags.sorted() {
        let file = &*d.loc.file;
        let read = !(file.starts_with("content/news/")
            || file.starts_with("content/pages/")
            || report_period_of(file).is_some_and(|p| p >= period));
        if d.severity == Severity::Error && read {
            *broken.entry(file.to_string()).or_default() += 1;
        }
    }
    let warnings = broken
        .into_iter()
        .flat_map(|(file, count)| {
            let mut w = Diagnostics::new();
            w.warning(
                crate::diag::Loc::file(&file.as_str().into()),
                msg!("editor.broken_left_out", count),
            );
            w.sorted()
        })
        .collect();
    let draft = prefill_report(&m, agency, period)?;
    if let Some(file) = xlsx_out {
        let bytes = xlsx::write_report(&draft).map_err(Failure::Io)?;
        write_new(file, &bytes, false)?;
        return Ok((file.to_path_buf(), warnings));
    }
    let path = on_disk(opts, &report_path(period, agency));
    write_new(&path, report_yaml(&draft, true).0.as_bytes(), false)?;
    Ok((path, warnings))
}

/// `tiendo export report`: an existing report as a workbook, with every
/// field of the report (the `reopened:` reasons too).
pub fn export_report(
    opts: &Options,
    agency: &str,
    period: Period,
    out: &Path,
) -> Result<PathBuf, Failure> {
    let mut diags = Diagnostics::new();
    let raw = load::load(&opts.root, &mut diags).map_err(|e| Failure::Io(e.0))?;
    let reasons = reopened_reasons(&raw, agency, period);
    let m = model::build(raw, &mut diags);
    // Only the report itself must be free of errors: its updates are what
    // goes into the workbook.
    let rel = report_path(period, agency);
    stop_on_errors(diags, opts.lang.unwrap_or_default(), |file| file == rel)?;
    let mut draft = existing_report(&m, agency, period)?;
    for u in &mut draft.updates {
        u.reopened = reasons.get(&u.task).cloned();
    }
    let bytes = xlsx::write_report(&draft).map_err(Failure::Io)?;
    write_new(out, &bytes, false)?;
    Ok(out.to_path_buf())
}
