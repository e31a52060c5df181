//! Part of render, monthly reports: the report index (`/bao-cao/`) and each
//! month's bulletin, split into pages.
//! Input: the renderer. Output: the pages' HTML.

use super::*;

/// The monthly reports' index.
pub(super) static REPORTS: PageKind = PageKind {
    template: "reports.html",
    jobs: |_, _| vec![Key::One],
    route: |_, _| Route::Reports,
    render: reports,
    source: from_templates,
    deferred: false,
    sitemap: true,
    share: None,
};

/// A month's bulletin, split into pages.
pub(super) static REPORT: PageKind = PageKind {
    template: "report.html",
    jobs: |r, _| {
        r.fig
            .report_months
            .iter()
            .flat_map(|&p| (0..report_pages(r, p)).map(move |n| Key::Month(p, n)))
            .collect()
    },
    route: |_, key| match key {
        Key::Month(p, n) => Route::Report(*p).paged(*n),
        _ => Route::Reports,
    },
    render: |r, lang, job, d| match job.key {
        Key::Month(p, n) => report(r, lang, job, p, n, d),
        _ => None,
    },
    source: from_templates,
    deferred: false,
    sitemap: true,
    share: Some(crate::render::share::report),
};

use std::collections::HashMap;

#[derive(Serialize)]
struct MonthSummary {
    key: String,
    label: String,
    url: String,
    due: String,
    judged: bool,
    owed: usize,
    on_time: usize,
    late: usize,
    missing: usize,
    finished: usize,
}

fn month_summary(r: &Renderer, v: &Views, lang: Lang, p: Period) -> MonthSummary {
    let duties = r.fig.months.get(&p).map(Vec::as_slice).unwrap_or(&[]);
    let counts = r.index.month_counts.get(&p).copied().unwrap_or_default();
    MonthSummary {
        key: p.key(),
        label: lang.period(p),
        url: v.route(&Route::Report(p)),
        due: fmt_date(p.report_day(r.model.site().report_day)),
        judged: r.fig.months.contains_key(&p),
        owed: duties.len(),
        on_time: counts.on_time,
        late: counts.late,
        missing: counts.missing,
        finished: r.fig.changes.get(&p).map_or(0, |c| c.finished.len()),
    }
}

pub(super) fn reports(r: &Renderer, lang: Lang, job: &Job, d: &mut Diagnostics) -> Option<Output> {
    #[derive(Serialize)]
    struct Page<'a> {
        #[serde(flatten)]
        common: Common<'a>,
        months: Vec<MonthSummary>,
        report_day: u32,
    }
    let v = r.views(lang);
    let periods: Vec<Period> = r.fig.report_months.iter().rev().copied().collect();
    let ctx = Page {
        common: r.common(
            lang,
            job,
            "reports",
            v.t.get("reports_title").to_string(),
            v.t.get("reports_description").to_string(),
        ),
        months: periods
            .into_iter()
            .map(|p| month_summary(r, &v, lang, p))
            .collect(),
        report_day: r.model.site().report_day,
    };
    r.render_page(lang, job, &ctx, d)
}

/// A part of a month's bulletin: the updates `from..to` of the report
/// `report` (an index into `Model::reports`); a report of more updates
/// than a page holds spreads over several pages.
#[derive(Debug, Clone, Copy)]
struct Piece {
    report: usize,
    from: usize,
    to: usize,
}

/// The reports received in month `p`, by page: all on one page up to
/// [`ROWS_PER_PAGE`] updates, else about that many updates a page, each
/// report whole on one page when it fits on one.
fn report_split(r: &Renderer, p: Period) -> Vec<Vec<Piece>> {
    let known: &[usize] = r.fig.reports_known.get(&p).map_or(&[], Vec::as_slice);
    let size = |ri: usize| r.model.reports.get(ri).map_or(0, |x| x.updates.len());
    // An update is a row; a report without updates takes one.
    let weight: usize = known.iter().map(|&ri| size(ri).max(1)).sum();
    if weight <= ROWS_PER_PAGE {
        let whole = known
            .iter()
            .map(|&ri| Piece {
                report: ri,
                from: 0,
                to: size(ri),
            })
            .collect();
        return vec![whole];
    }
    let mut pages: Vec<Vec<Piece>> = Vec::new();
    let mut page: Vec<Piece> = Vec::new();
    let mut used = 0;
    for &ri in known {
        let len = size(ri);
        // A report that fits on a page of its own starts one rather than
        // break across two.
        if used > 0 && len.max(1) <= ROWS_PER_PAGE && used + len.max(1) > ROWS_PER_PAGE {
            pages.push(std::mem::take(&mut page));
            used = 0;
        }
        if len == 0 {
            page.push(Piece {
                report: ri,
                from: 0,
                to: 0,
            });
            used += 1;
            continue;
        }
        let mut from = 0;
        while from < len {
            if used >= ROWS_PER_PAGE {
                pages.push(std::mem::take(&mut page));
                used = 0;
            }
            let to = len.min(from + ROWS_PER_PAGE - used);
            page.push(Piece {
                report: ri,
                from,
                to,
            });
            used += to - from;
            from = to;
        }
    }
    if !page.is_empty() || pages.is_empty() {
        pages.push(page);
    }
    pages
}

/// How many pages month `p`'s bulletin takes.
pub(crate) fn report_pages(r: &Renderer, p: Period) -> usize {
    report_split(r, p).len()
}

#[derive(Serialize)]
struct UpdateView<'a> {
    task: &'a str,
    task_lang: &'static str,
    task_url: String,
    reference: &'a str,
    state: &'static str,
    state_label: &'a str,
    progress: String,
    done_on: String,
    note: String,
    note_lang: &'static str,
    evidence: String,
    /// The task's status as the portal computes it on the report's day
    /// (status decides the day and whether the two agree).
    portal: Option<StatusView>,
    portal_day: String,
    differs: bool,
}
#[derive(Serialize)]
struct KpiValueView {
    kpi: String,
    kpi_lang: &'static str,
    url: String,
    value_lang: &'static str,
    date: String,
    value: String,
}
#[derive(Serialize)]
struct ReportView<'a> {
    agency: &'a str,
    agency_lang: &'static str,
    agency_url: String,
    anchor: &'a str,
    /// The report began on an earlier page.
    continued: bool,
    submitted: String,
    summary: &'a str,
    owed: bool,
    outcome: &'static str,
    outcome_label: String,
    updates: Vec<UpdateView<'a>>,
    kpi_values: Vec<KpiValueView>,
}
#[derive(Serialize)]
struct Extension<'a> {
    task: TaskRow<'a>,
    to: String,
    by: &'a str,
    date: String,
}
#[derive(Serialize)]
struct Move {
    kpi: String,
    kpi_lang: &'static str,
    url: String,
    before: String,
    after: String,
    value_lang: &'static str,
}
#[derive(Serialize)]
struct ReportPage<'a> {
    #[serde(flatten)]
    common: Common<'a>,
    /// The difficulties and proposals first raised in the month's
    /// reports, and those its reports answered (first page only).
    proposals_raised: Vec<super::proposals::ProposalRow<'a>>,
    proposals_answered: Vec<super::proposals::ProposalRow<'a>>,
    month: MonthSummary,
    /// ReportPage 1 of the bulletin (who reported, what changed).
    first: bool,
    duties: Vec<views::DutyView>,
    reports: Vec<ReportView<'a>>,
    pager: Pager,
    finished: Cut<TaskRow<'a>>,
    became_overdue: Cut<TaskRow<'a>>,
    extended: Cut<Extension<'a>>,
    blocked: Cut<TaskRow<'a>>,
    kpi_moves: Cut<Move>,
    /// Any change at all in the month.
    changed: bool,
    /// Which days the change lists count: the month's reports, and the
    /// status column as of D.
    changes_counted: String,
    /// The month's change table, once the month is archived ("" before).
    changes_csv: String,
    prev: Option<Link>,
    next: Option<Link>,
}

/// Page `n` of month `p`'s bulletin: the first page holds who reported
/// and what changed (each list cut past [`ROWS_PER_PAGE`] rows, see
/// [`cut`]); the reports received split into pages ([`report_split`]).
pub(super) fn report(
    r: &Renderer,
    lang: Lang,
    job: &Job,
    p: Period,
    n: usize,
    d: &mut Diagnostics,
) -> Option<Output> {
    let v = r.views(lang);
    let duties = r.fig.months.get(&p).map(Vec::as_slice).unwrap_or(&[]);
    let split = report_split(r, p);
    let first = n == 0;
    let pieces: &[Piece] = split.get(n).map_or(&[], Vec::as_slice);
    let reports = report_views(r, &v, lang, pieces, duties);
    let changes = r.fig.changes.get(&p).cloned().unwrap_or_default();
    let all: Vec<Period> = r.fig.report_months.iter().copied().collect();
    let pos = all.iter().position(|x| *x == p);
    let link = |q: Option<&Period>| {
        q.map(|q| Link {
            label: lang.period(*q),
            url: v.route(&Route::Report(*q)),
        })
    };
    let month = month_summary(r, &v, lang, p);
    // What changed shows on the first page only.
    let empty_changes = crate::status::MonthChanges::default();
    let changes = if first { &changes } else { &empty_changes };
    // Where the rest of a cut list of tasks is: every update received,
    // and the tasks' state at the month's end (when archived).
    let task_data = || {
        let mut links = vec![data_link(
            r,
            &v,
            "updates_csv",
            &Route::TableFile(Table::Updates, Format::Csv),
        )];
        if r.archive_months().contains(&p) {
            // The month's task table: the CSV, or the zipped CSV.
            let name = crate::render::archive_data_files(r.model)[0];
            links.push(super::archive::month_task_link(r, &v, p, name));
        }
        links
    };
    let changes_counted =
        v.t.get("changes_counted")
            .replace("{month}", &lang.period(p))
            .replace("{last}", &fmt_date(p.last_day().min(r.fig.as_of)))
            .replace("{date}", &fmt_date(r.fig.as_of));
    let changes_csv = if r.archive_months().contains(&p) {
        format!("{}{}", r.base, Route::MonthChanges(p).path())
    } else {
        String::new()
    };
    let month_proposals = |by: &std::collections::BTreeMap<Period, Vec<usize>>| {
        if first {
            super::proposals::proposal_rows(&v, by.get(&p).map_or(&[], Vec::as_slice))
        } else {
            Vec::new()
        }
    };
    let ctx = ReportPage {
        proposals_raised: month_proposals(&r.index.proposals.raised_in),
        proposals_answered: month_proposals(&r.index.proposals.answered_in),
        changes_csv,
        changes_counted,
        common: r.common(
            lang,
            job,
            "reports",
            v.t.get("report_month_title")
                .replace("{period}", &month.label),
            String::new(),
        ),
        month,
        first,
        duties: if first {
            duty_rows(r, &v, p, duties, &split)
        } else {
            Vec::new()
        },
        reports,
        pager: {
            let updates = |pieces: &[Piece]| pieces.iter().map(|x| x.to - x.from).sum::<usize>();
            let before: usize = split.iter().take(n).map(|pg| updates(pg)).sum();
            let total: usize = split.iter().map(|pg| updates(pg)).sum();
            let summary =
                v.t.get("pager_updates")
                    .replace("{from}", &(before + 1).to_string())
                    .replace("{to}", &(before + updates(pieces)).to_string())
                    .replace("{total}", &total.to_string());
            numbered(split.len(), n, summary, |k| {
                v.route(&Route::Report(p).paged(k))
            })
            .with_data(r, Table::Updates)
        },
        changed: first
            && !(changes.finished.is_empty()
                && changes.became_overdue.is_empty()
                && changes.extended.is_empty()
                && changes.blocked.is_empty()
                && changes.kpi_moves.is_empty()),
        finished: cut(&v, &changes.finished, |t| v.row(t), task_data),
        became_overdue: cut(&v, &changes.became_overdue, |t| v.row(t), task_data),
        extended: cut(
            &v,
            &changes.extended,
            |(t, c)| {
                let ch = &r.model.tasks[t].deadline_changes[c];
                Extension {
                    task: v.row(t),
                    to: lang.deadline(&ch.to),
                    by: ch.by.as_deref().unwrap_or(""),
                    date: fmt_date(ch.date),
                }
            },
            task_data,
        ),
        blocked: cut(&v, &changes.blocked, |t| v.row(t), task_data),
        kpi_moves: cut(
            &v,
            &changes.kpi_moves,
            |(k, before, after)| {
                let kpi = &r.model.kpis[k];
                Move {
                    kpi: v.kpi_name(kpi).to_string(),
                    kpi_lang: v.kpi_name_lang(kpi).1,
                    url: v.kpi_url(&kpi.id),
                    before: before
                        .map(|b| v.value(kpi, b))
                        .unwrap_or_else(|| "—".into()),
                    after: v.value(kpi, after),
                    value_lang: v.value_lang(kpi),
                }
            },
            || {
                vec![data_link(
                    r,
                    &v,
                    "kpi_values_csv",
                    &Route::TableFile(Table::KpiValues, Format::Csv),
                )]
            },
        ),
        prev: pos
            .and_then(|i| i.checked_sub(1))
            .and_then(|i| link(all.get(i))),
        next: pos.and_then(|i| link(all.get(i + 1))),
    };
    r.render_page(lang, job, &ctx, d)
}

/// Who owed month `p`'s report and what came of it; on a bulletin split
/// into pages, each report submitted links to the page where it starts.
fn duty_rows(
    r: &Renderer,
    v: &Views,
    p: Period,
    duties: &[crate::status::Duty],
    split: &[Vec<Piece>],
) -> Vec<views::DutyView> {
    let starts: HashMap<usize, usize> = if split.len() > 1 {
        split
            .iter()
            .enumerate()
            .flat_map(|(k, page)| {
                page.iter()
                    .filter(|piece| piece.from == 0)
                    .map(move |piece| (piece.report, k))
            })
            .collect()
    } else {
        HashMap::new()
    };
    duties
        .iter()
        .map(|x| {
            let mut row = v.duty(x);
            if let Some((ri, k)) = x.report.and_then(|ri| Some((ri, *starts.get(&ri)?)))
                && let Some(rep) = r.model.reports.get(ri)
            {
                row.report_url = format!(
                    "{}#{}{}",
                    v.route(&Route::Report(p).paged(k)),
                    crate::route::anchor::REPORT,
                    rep.agency
                );
            }
            row
        })
        .collect()
}

/// The reports received on one page of a bulletin, each with its updates
/// (and the portal's status beside each) and, on its last piece, its KPI
/// values.
fn report_views<'a>(
    r: &'a Renderer,
    v: &Views<'a>,
    lang: Lang,
    pieces: &[Piece],
    duties: &[crate::status::Duty],
) -> Vec<ReportView<'a>> {
    pieces
        .iter()
        .filter_map(|piece| Some((piece, r.model.reports.get(piece.report)?)))
        .map(|(piece, rep)| {
            let ri = piece.report;
            let last_piece = piece.to >= rep.updates.len();
            let checks = r
                .fig
                .report_checks
                .get(&ri)
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            let duty = duties.iter().find(|x| x.agency == rep.agency);
            ReportView {
                agency: v.agency_full(&rep.agency),
                agency_lang: r
                    .model
                    .agency(&rep.agency)
                    .map_or("", |a| v.agency_name_lang(a).1),
                agency_url: v.agency_url(&rep.agency),
                anchor: &rep.agency,
                continued: piece.from > 0,
                submitted: fmt_date(rep.submitted),
                summary: rep.summary.as_deref().unwrap_or(""),
                owed: duty.is_some(),
                outcome: duty.map_or("", |x| x.outcome.code()),
                outcome_label: duty
                    .map(|x| v.outcome_label(x.outcome))
                    .unwrap_or_else(|| v.t.get("report_not_owed").to_string()),
                updates: rep
                    .updates
                    .iter()
                    .zip(checks.iter().map(Some).chain(std::iter::repeat(None)))
                    .take(piece.to)
                    .skip(piece.from)
                    .filter_map(|(u, c)| r.model.task(&u.task).map(|t| (u, t, c)))
                    .map(|(u, t, c)| UpdateView {
                        portal: c.and_then(|c| c.status).map(|s| status_view(s, v.t)),
                        portal_day: c.map(|c| fmt_date(c.day)).unwrap_or_default(),
                        differs: c.is_some_and(|c| c.status.is_some() && !c.agrees),
                        task: v.task_title(t),
                        task_lang: v.task_title_lang(t).1,
                        task_url: v.task_url(&t.id),
                        reference: r
                            .model
                            .task_index(&t.id)
                            .map_or("", |i| r.fig.ref_labels[i].as_str()),
                        state: u.state.code(),
                        state_label: v.t.keyed("state_", u.state.code()),
                        progress: u
                            .progress
                            .map(|x| format!("{}%", lang.percent(x)))
                            .unwrap_or_default(),
                        done_on: if u.state == TaskState::Done {
                            u.done_on.map(fmt_date).unwrap_or_default()
                        } else {
                            String::new()
                        },
                        note: v.note_html(u).0,
                        note_lang: v.note_html(u).1,
                        evidence: u
                            .evidence
                            .as_deref()
                            .map(|e| v.site_link(e))
                            .unwrap_or_default(),
                    })
                    .collect(),
                kpi_values: rep
                    .kpi_values
                    .iter()
                    .filter(|_| last_piece)
                    .filter_map(|kv| r.model.kpi(&kv.kpi).map(|k| (kv, k)))
                    .map(|(kv, k)| KpiValueView {
                        kpi: v.kpi_name(k).to_string(),
                        kpi_lang: v.kpi_name_lang(k).1,
                        url: v.kpi_url(&k.id),
                        date: fmt_date(kv.date),
                        value: v.value(k, kv.value),
                        value_lang: v.value_lang(k),
                    })
                    .collect(),
            }
        })
        .collect()
}
