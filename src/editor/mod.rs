//! The editors' tools beside the pipeline: `new`, `export` and `import`.
//!
//! Stage: after `model`. Input: the validated model of a site (and, for
//! `import`, a workbook read by [`xlsx`]); output: a draft (a monthly
//! report, an article, a task) as YAML or Markdown text, or a workbook.
//! Nothing here touches the disk except [`write_new`], the one function at
//! the edge, which never replaces a file unless told to.

pub mod schema;
pub mod xlsx;

use crate::date::{Date, Period};
use crate::diag::{Diagnostic, Diagnostics, Lang, Maybe, Message, Severity, did_you_mean};
use crate::model::{Model, TaskState};
use crate::msg;
use crate::{Failure, Options, load, model};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

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
    /// Where in a workbook it was read from, for messages.
    pub rows: SourceRows,
}

/// Loads and models the site; content errors stop here (exit 1).
pub fn load_model(opts: &Options) -> Result<Model, Failure> {
    let mut diags = Diagnostics::new();
    let raw = load::load(&opts.root, &mut diags).map_err(|e| Failure::Io(e.0))?;
    let m = model::build(raw, &mut diags);
    if diags.has_errors() {
        return Err(Failure::Content(
            diags.sorted(),
            opts.lang.unwrap_or_default(),
        ));
    }
    Ok(m)
}

/// Loads and models the site as far as it goes: for the tools that only
/// need its settings and ids, which should work while it has errors.
fn load_lenient(opts: &Options) -> Result<Model, Failure> {
    let mut diags = Diagnostics::new();
    let raw = load::load(&opts.root, &mut diags).map_err(|e| Failure::Io(e.0))?;
    Ok(model::build(raw, &mut diags))
}

/// The as-of day of a command: the flag, site.yaml, or the fallback.
pub fn as_of(opts: &Options, m: &Model) -> Date {
    opts.as_of.or(m.site().as_of).unwrap_or(opts.fallback_date)
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

/// A usage error, told in the language of messages when printed.
fn usage(message: Message) -> Failure {
    Failure::Usage(message)
}

/// The agency `id` if it reports on `day`, else why not.
fn reporting_agency<'m>(
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
        rows: SourceRows::default(),
    })
}

/// The `reopened:` reasons of the report `period/agency` as written (the
/// model keeps only that there is one), by task.
fn reopened_reasons(
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

/// Which cell of a workbook a line of report YAML comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A field of the report sheet: 0 agency, 1 period, 2 submitted, 3 summary.
    Header(usize),
    /// Update `n` (0-based), column `c` of the updates sheet.
    Update(usize, usize),
    /// KPI value `n`, column `c` of the KPI sheet.
    Kpi(usize, usize),
}

/// A YAML scalar: plain when it is a safe id, else double-quoted (a JSON
/// string is a valid YAML 1.2 double-quoted scalar).
pub fn scalar(s: &str) -> String {
    let plain = !s.is_empty()
        && s.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if plain {
        s.to_string()
    } else {
        serde_json::Value::String(s.to_string()).to_string()
    }
}

/// A number as YAML: `80`, `78.5`.
pub fn number(x: f64) -> String {
    format!("{x}")
}

fn comment(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The schema line a YAML language server reads, for a file at `path`
/// (relative to the site root), pointing at `schemas/<kind>.schema.json`.
pub fn schema_line(kind: &str, path: &str) -> String {
    let depth = path.matches('/').count();
    format!(
        "# yaml-language-server: $schema={}schemas/{kind}.schema.json\n",
        "../".repeat(depth)
    )
}

/// The comments at the top of a new report: what to fill in and how.
const GUIDE: [&str; 5] = [
    "# Điền ngày gửi (submitted), cập nhật từng nhiệm vụ và chỉ số, rồi chạy `tiendo check`.",
    "# state: not_started (chưa triển khai) | in_progress (đang thực hiện) | blocked (vướng mắc) | done (hoàn thành, cần done_on).",
    "# progress: phần trăm 0..100. note: ghi chú (Markdown). evidence: đường dẫn văn bản minh chứng. outlook: on_track | at_risk | off_track (tự đánh giá, không bắt buộc).",
    "# Tình trạng, tiến độ ban đầu là lần báo cáo gần nhất: sửa cho đúng kỳ này.",
    "# Chỉ số: điền date và value của kỳ này (số liệu lần trước ghi ở chú thích); chưa có thì xóa cả mục.",
];

/// The report as YAML, line by line with the cell each line comes from.
/// `guide` adds the short Vietnamese comments of a new report.
pub fn report_yaml(d: &ReportDraft, guide: bool) -> (String, Vec<Option<Origin>>) {
    let mut lines: Vec<(String, Option<Origin>)> = Vec::new();
    let mut push = |s: String, o: Option<Origin>| lines.push((s, o));
    let path = report_path(d.period, &d.agency);
    push(schema_line("report", &path).trim_end().to_string(), None);
    let who = if d.agency_name.is_empty() {
        &d.agency
    } else {
        &d.agency_name
    };
    push(
        format!("# Báo cáo {} của {}.", d.period.label_vi(), comment(who)),
        None,
    );
    if guide {
        GUIDE.iter().for_each(|l| push(l.to_string(), None));
    }
    push(
        format!("agency: {}", scalar(&d.agency)),
        Some(Origin::Header(0)),
    );
    push(
        format!("period: {}", d.period.key()),
        Some(Origin::Header(1)),
    );
    match d.submitted {
        Some(s) => push(format!("submitted: {s}"), Some(Origin::Header(2))),
        None => push(
            format!(
                "submitted:  # ngày gửi báo cáo, ví dụ {}; hạn là {}",
                d.due,
                crate::date::fmt_date(d.due)
            ),
            Some(Origin::Header(2)),
        ),
    }
    if let Some(s) = &d.summary {
        push(format!("summary: {}", scalar(s)), Some(Origin::Header(3)));
    } else if guide {
        push(
            "# summary: \"Tóm tắt kết quả trong tháng.\"".to_string(),
            None,
        );
    }
    if d.updates.is_empty() {
        push("updates: []".to_string(), None);
    } else {
        push("updates:".to_string(), None);
    }
    for (n, u) in d.updates.iter().enumerate() {
        let o = |c| Some(Origin::Update(n, c));
        if guide {
            push(format!("  # {}", comment(&u.title)), None);
        }
        push(format!("  - task: {}", scalar(&u.task)), o(0));
        push(format!("    state: {}", u.state.code()), o(2));
        if let Some(p) = u.progress {
            push(format!("    progress: {}", number(p)), o(3));
        }
        if let Some(dd) = u.done_on {
            push(format!("    done_on: {dd}"), o(4));
        }
        if let Some(s) = &u.note {
            push(format!("    note: {}", scalar(s)), o(5));
        }
        if let Some(s) = &u.evidence {
            push(format!("    evidence: {}", scalar(s)), o(6));
        }
        if let Some(s) = &u.reopened {
            push(format!("    reopened: {}", scalar(s)), o(7));
        }
        if let Some(s) = &u.outlook {
            push(format!("    outlook: {}", scalar(s)), o(8));
        }
    }
    // A KPI with a value, or, in a new report, one with a value before: a
    // form to fill in, its `date` and `value` left empty (which `check`
    // refuses until they are filled in or the item removed).
    let shown =
        |k: &DraftKpi| (k.value.is_some() && k.date.is_some()) || (guide && k.last.is_some());
    let (with, without): (Vec<&DraftKpi>, Vec<&DraftKpi>) = d.kpis.iter().partition(|k| shown(k));
    if with.is_empty() {
        push("kpi_values: []".to_string(), None);
    } else {
        push("kpi_values:".to_string(), None);
    }
    for (n, k) in d.kpis.iter().enumerate() {
        if !shown(k) {
            continue;
        }
        let o = |c| Some(Origin::Kpi(n, c));
        if guide {
            push(
                format!("  # {} ({})", comment(&k.name), comment(&k.unit)),
                None,
            );
        }
        push(format!("  - kpi: {}", scalar(&k.kpi)), o(0));
        match (k.date, k.value, k.last) {
            (Some(date), Some(value), _) => {
                push(format!("    date: {date}"), o(3));
                push(format!("    value: {}", number(value)), o(4));
            }
            (_, _, Some((day, last))) => {
                push(
                    format!("    date:    # ngày đo số liệu kỳ này, ví dụ {}", d.due),
                    o(3),
                );
                push(
                    format!(
                        "    value:   # số liệu kỳ này; lần trước: {} ngày {} (không có số liệu mới thì xóa mục này)",
                        number(last),
                        crate::date::fmt_date(day)
                    ),
                    o(4),
                );
            }
            _ => {}
        }
        if let Some(s) = &k.note {
            push(format!("    note: {}", scalar(s)), o(5));
        }
    }
    if guide {
        for k in without {
            push(
                format!(
                    "  # Chưa có số liệu của `{}` ({}): thêm kpi, date, value khi có.",
                    k.kpi,
                    comment(&k.name)
                ),
                None,
            );
        }
    }
    let mut text = String::new();
    let mut origins = Vec::new();
    for (l, o) in lines {
        let _ = writeln!(text, "{l}");
        origins.push(o);
    }
    (text, origins)
}

/// A slug `check` accepts (at most [`MAX_SLUG`] bytes), cut after a whole
/// word: a long title makes a long file name, and the address of the page.
fn short_slug(slug: &str) -> String {
    if slug.len() <= MAX_SLUG {
        return slug.to_string();
    }
    // Slugs are ASCII: any byte is a character boundary.
    let head = &slug[..=MAX_SLUG];
    let cut = head.rfind('-').filter(|i| *i > 0).unwrap_or(MAX_SLUG);
    slug[..cut].trim_end_matches('-').to_string()
}

/// The longest slug `new article` makes (ids and slugs are at most 100
/// bytes; a shorter address reads better).
pub const MAX_SLUG: usize = 80;

/// `tiendo new article`: the file name and Markdown of a draft article
/// dated `day`.
pub fn article(title: &str, day: Date) -> Result<(String, String), Failure> {
    let slug = short_slug(&crate::text::slugify(title));
    if !crate::text::is_valid_id(&slug) {
        return Err(usage(msg!("editor.title_no_slug")));
    }
    let text = format!(
        "---\ntitle: {}\ndate: {day}\n# summary: \"Một hai câu tóm tắt, hiện trong danh sách tin.\"\n# tags: [chuyen-doi-so]\n# tasks: [ma-nhiem-vu]   # bài hiện trên trang các nhiệm vụ này\n# image: /anh/ten-anh.jpg   # cần image_alt: mô tả ảnh cho người không nhìn thấy\ndraft: true   # xóa dòng này khi bài sẵn sàng đăng\n---\nViết nội dung bài tại đây (Markdown).\n",
        scalar(title)
    );
    Ok((format!("content/news/{slug}.md"), text))
}

fn find_plan<'m>(m: &'m Model, plan: &str) -> Result<&'m crate::model::Plan, Failure> {
    m.plans.iter().find(|p| p.id == plan).ok_or_else(|| {
        let hint = did_you_mean(plan, m.plans.iter().map(|p| p.id.as_str()));
        usage(msg!("editor.no_plan", plan, hint = Maybe(hint)))
    })
}

/// `tiendo new task --plan ID`: the plan's file and the text to append to
/// it, a task whose required keys the editor fills in.
pub fn task(m: &Model, plan: &str, plan_text: &str) -> Result<(String, String), Failure> {
    let p = find_plan(m, plan)?;
    let last_key = plan_text
        .lines()
        .rfind(|l| !l.is_empty() && !l.starts_with([' ', '#', '-']))
        .unwrap_or("");
    if last_key.trim_end() != "tasks:" {
        return Err(usage(msg!("editor.tasks_not_last", file = &p.file)));
    }
    // The items' indentation as the file has it (`- id` or `  - id`).
    let indent = plan_text
        .lines()
        .skip_while(|l| l.trim_end() != "tasks:")
        .find(|l| l.trim_start().starts_with("- "))
        .map_or(2, |l| l.len() - l.trim_start().len());
    let id = (1..)
        .map(|n| {
            if n == 1 {
                "nhiem-vu-moi".to_string()
            } else {
                format!("nhiem-vu-moi-{n}")
            }
        })
        .find(|id| m.task(id).is_none())
        .unwrap_or_default();
    let mut text = String::new();
    if !plan_text.ends_with('\n') && !plan_text.is_empty() {
        text.push('\n');
    }
    let lines = [
        format!("- id: {id}   # mã nhiệm vụ: chữ thường, số, gạch nối; thành địa chỉ trang"),
        "  # ref: \"1.a\"   # số mục trong văn bản".into(),
        "  title:         # rõ việc: tên nhiệm vụ".into(),
        "  lead:          # rõ người: mã cơ quan chủ trì".into(),
        "  # support: []  # cơ quan phối hợp".into(),
        "  deadline:      # rõ tiến độ: 2025-12-31, 12/2025, Q4/2025, monthly hoặc ongoing".into(),
        "  result:        # rõ kết quả".into(),
        "  responsible:   # rõ trách nhiệm".into(),
    ];
    for l in lines {
        let _ = writeln!(text, "{}{l}", " ".repeat(indent));
    }
    Ok((p.file.to_string(), text))
}

/// Writes `bytes` to `path`, creating its folder. Refuses to replace a
/// file unless `replace`; a replaced file is swapped in whole.
pub fn write_new(path: &Path, bytes: &[u8], replace: bool) -> Result<(), Failure> {
    use std::io::Write;
    let io = |e: std::io::Error| {
        usage(msg!(
            "editor.cannot_write",
            path = path.display(),
            error = e
        ))
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    if replace {
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
        tmp.write_all(bytes).map_err(io)?;
        tmp.persist(path).map_err(|e| io(e.error))?;
        return Ok(());
    }
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(mut f) => f.write_all(bytes).map_err(io),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            Err(usage(msg!("editor.exists", path = path.display())))
        }
        Err(e) => Err(io(e)),
    }
}

/// Appends `text` to the existing file `path` (for `new task`).
pub fn append(path: &Path, text: &str) -> Result<(), Failure> {
    use std::io::Write;
    let io = |e: std::io::Error| {
        usage(msg!(
            "editor.cannot_write",
            path = path.display(),
            error = e
        ))
    };
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .map_err(io)?;
    f.write_all(text.as_bytes()).map_err(io)
}

/// Reads a text file of the site (for `new task`).
pub fn read_text(path: &Path) -> Result<String, Failure> {
    std::fs::read_to_string(path)
        .map_err(|e| usage(msg!("editor.cannot_read", path = path.display(), error = e)))
}

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

/// Whether any of `diags` is an error.
pub fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(|d| d.severity == Severity::Error)
}

/// Where a site's file is on disk.
pub fn on_disk(opts: &Options, rel: &str) -> PathBuf {
    opts.root.join(rel)
}

// The commands, as `main.rs` calls them: each returns what it wrote.

/// Cell problems of a workbook as diagnostics named `FILE.xlsx:Sheet!C7`.
fn cell_diagnostics(file: &str, errs: Vec<xlsx::CellError>, lang: Lang) -> Failure {
    let mut d = Diagnostics::new();
    for e in errs {
        let at = if e.cell.is_empty() {
            file.to_string()
        } else {
            format!("{file}:{}", e.cell)
        };
        d.error(crate::diag::Loc::file(&at.into()), e.message);
    }
    Failure::Content(d.sorted(), lang)
}

/// The period folder of a report file (`content/reports/2025-07/x.yaml`).
fn report_period_of(file: &str) -> Option<Period> {
    let rest = file.strip_prefix("content/reports/")?;
    Period::parse(rest.split('/').next()?)
}

/// Fails with the errors located in files `matters` picks, if any.
fn stop_on_errors(
    diags: Diagnostics,
    lang: Lang,
    matters: impl Fn(&str) -> bool,
) -> Result<(), Failure> {
    let errors: Vec<Diagnostic> = diags
        .sorted()
        .into_iter()
        .filter(|d| d.severity == Severity::Error && matters(&d.loc.file))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Failure::Content(errors, lang))
    }
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

/// `tiendo new article "Tiêu đề"`: a draft dated the as-of day.
pub fn new_article(opts: &Options, title: &str) -> Result<PathBuf, Failure> {
    let m = load_lenient(opts)?;
    let (rel, text) = article(&crate::text::nfc(title), as_of(opts, &m))?;
    let path = on_disk(opts, &rel);
    write_new(&path, text.as_bytes(), false)?;
    Ok(path)
}

/// `tiendo new task --plan ID`: a task to fill in, at the end of the plan.
pub fn new_task(opts: &Options, plan: &str) -> Result<PathBuf, Failure> {
    let m = load_lenient(opts)?;
    let path = on_disk(opts, &find_plan(&m, plan)?.file);
    let current = read_text(&path)?;
    let (_, text) = task(&m, plan, &current)?;
    append(&path, &text)?;
    Ok(path)
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

/// Dates of a workbook that belong to another period than its own: a
/// report of July sent before July began or once August's was due, a task
/// done or a KPI measured after July. Most often last month's workbook
/// filled in with this month's figures.
fn period_errors(d: &ReportDraft, report_day: u32) -> Vec<xlsx::CellError> {
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
struct OnDisk {
    agency: Option<String>,
    period: Option<String>,
    progress: std::collections::HashMap<String, String>,
}

fn on_disk_report(rel: &str, text: &str) -> Option<OnDisk> {
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

/// The report `d` written over `old`, the text of the report it replaces,
/// changing only the values that changed: comments, order, quoting and
/// layout stay as the editor left them. `None` when the structure differs
/// (an update, a KPI value or a key added or removed) or a changed value
/// spans more than its line: the report is then written anew. Returns the
/// text and, line by line, the workbook cell each value comes from.
pub fn edit_in_place(
    rel: &str,
    old: &str,
    d: &ReportDraft,
) -> Option<(String, Vec<Option<Origin>>)> {
    use load::raw::{RawReport, S};
    let mut ignored = Diagnostics::new();
    let raw: RawReport = load::parse_yaml(&rel.into(), old, 0, &mut ignored)?;
    let lines: Vec<&str> = old.split_inclusive('\n').collect();
    let mut origins: Vec<Option<Origin>> = vec![None; lines.len()];
    // (line index, value start column (1-based, in characters), new text)
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    let mut deleted: Vec<usize> = Vec::new();
    let mut field = |s: &S, same: bool, new: String, o: Origin| -> Option<()> {
        let line = usize::try_from(s.referenced.line()).ok()?.checked_sub(1)?;
        *origins.get_mut(line)? = Some(o);
        if !same {
            edits.push((line, usize::try_from(s.referenced.column()).ok()?, new));
        }
        Some(())
    };
    let text_same = |s: &S, new: &str| s.value == new;
    fn both<'a, T>(old: &'a Option<S>, new: &'a Option<T>) -> Option<Option<(&'a S, &'a T)>> {
        match (old, new) {
            (Some(o), Some(n)) => Some(Some((o, n))),
            (None, None) => Some(None),
            _ => None,
        }
    }
    let (agency, period, submitted) = (
        raw.agency.as_ref()?,
        raw.period.as_ref()?,
        raw.submitted.as_ref()?,
    );
    field(
        agency,
        text_same(agency, &d.agency),
        scalar(&d.agency),
        Origin::Header(0),
    )?;
    field(
        period,
        text_same(period, &d.period.key()),
        d.period.key(),
        Origin::Header(1),
    )?;
    let sub = d.submitted?;
    field(
        submitted,
        date_same(submitted, sub),
        sub.to_string(),
        Origin::Header(2),
    )?;
    if let Some((o, n)) = both(&raw.summary, &d.summary)? {
        field(o, text_same(o, n), scalar(n), Origin::Header(3))?;
    }
    let updates: Vec<_> = raw.updates.iter().flatten().collect();
    if updates.len() != d.updates.len() {
        return None;
    }
    for (n, (ou, nu)) in updates.iter().zip(&d.updates).enumerate() {
        let ou = &ou.value;
        let task = ou.task.as_ref().filter(|t| t.value == nu.task)?;
        field(task, true, String::new(), Origin::Update(n, 0))?;
        let state = ou.state.as_ref()?;
        let code = nu.state.code();
        field(
            state,
            state.value.trim().to_lowercase() == code,
            code.to_string(),
            Origin::Update(n, 2),
        )?;
        // A cell cleared: the key's own line goes.
        let mut cleared = |old: &Option<S>, gone: bool, key: &str| -> Option<bool> {
            let Some(o) = old.as_ref().filter(|_| gone) else {
                return Some(false);
            };
            let line = usize::try_from(o.referenced.line()).ok()?.checked_sub(1)?;
            lines
                .get(line)?
                .trim_start()
                .starts_with(&format!("{key}:"))
                .then_some(())?;
            deleted.push(line);
            Some(true)
        };
        let gone = [
            cleared(&ou.progress, nu.progress.is_none(), "progress")?,
            cleared(&ou.done_on, nu.done_on.is_none(), "done_on")?,
            cleared(&ou.note, nu.note.is_none(), "note")?,
            cleared(&ou.evidence, nu.evidence.is_none(), "evidence")?,
            cleared(&ou.reopened, nu.reopened.is_none(), "reopened")?,
            cleared(&ou.outlook, nu.outlook.is_none(), "outlook")?,
        ];
        if !gone[0]
            && let Some((o, x)) = both(&ou.progress, &nu.progress)?
        {
            field(o, num_same(o, *x), number(*x), Origin::Update(n, 3))?;
        }
        if !gone[1]
            && let Some((o, x)) = both(&ou.done_on, &nu.done_on)?
        {
            field(o, date_same(o, *x), x.to_string(), Origin::Update(n, 4))?;
        }
        for (old, new, c, g) in [
            (&ou.note, &nu.note, 5, gone[2]),
            (&ou.evidence, &nu.evidence, 6, gone[3]),
            (&ou.reopened, &nu.reopened, 7, gone[4]),
            (&ou.outlook, &nu.outlook, 8, gone[5]),
        ] {
            if !g && let Some((o, x)) = both(old, new)? {
                field(o, text_same(o, x), scalar(x), Origin::Update(n, c))?;
            }
        }
    }
    let values: Vec<_> = raw.kpi_values.iter().flatten().collect();
    let kpis: Vec<(usize, &DraftKpi)> = d
        .kpis
        .iter()
        .enumerate()
        .filter(|(_, k)| k.date.is_some() && k.value.is_some())
        .collect();
    if values.len() != kpis.len() {
        return None;
    }
    for (ov, (n, nk)) in values.iter().zip(kpis) {
        let ov = &ov.value;
        let kpi = ov.kpi.as_ref().filter(|k| k.value == nk.kpi)?;
        field(kpi, true, String::new(), Origin::Kpi(n, 0))?;
        let (date, value) = (ov.date.as_ref()?, ov.value.as_ref()?);
        let (nd, nv) = (nk.date?, nk.value?);
        field(date, date_same(date, nd), nd.to_string(), Origin::Kpi(n, 3))?;
        field(value, num_same(value, nv), number(nv), Origin::Kpi(n, 4))?;
        if let Some((o, x)) = both(&ov.note, &nk.note)? {
            field(o, text_same(o, x), scalar(x), Origin::Kpi(n, 5))?;
        }
    }
    let text = apply_edits(&lines, edits, deleted, &mut origins)?;
    // What was written must read back as the draft, or it is written anew.
    reads_back(rel, &text, d).then_some((text, origins))
}

/// `lines` with each edit applied (one scalar replaced on its line, right
/// to left) and the deleted lines gone, their origins with them.
fn apply_edits(
    lines: &[&str],
    mut edits: Vec<(usize, usize, String)>,
    mut deleted: Vec<usize>,
    origins: &mut Vec<Option<Origin>>,
) -> Option<String> {
    let mut out: Vec<String> = lines.iter().map(|l| (*l).to_string()).collect();
    edits.sort_by_key(|e| std::cmp::Reverse((e.0, e.1)));
    for (line, column, new) in edits {
        let l = out.get_mut(line)?;
        let start = l.char_indices().nth(column.checked_sub(1)?)?.0;
        let flow = l[..start].contains(['{', '[']);
        let end = start + scalar_len(&l[start..], flow)?;
        l.replace_range(start..end, &new);
    }
    deleted.sort_unstable();
    for line in deleted.into_iter().rev() {
        if line < out.len() {
            out.remove(line);
            origins.remove(line);
        }
    }
    Some(out.concat())
}

/// Whether a YAML number (`80`, `"80%"`, `80,5`) is `new`.
fn num_same(s: &load::raw::S, new: f64) -> bool {
    s.value
        .trim()
        .trim_end_matches('%')
        .trim()
        .replace(',', ".")
        .parse::<f64>()
        .is_ok_and(|x| x == new)
}

/// Whether a YAML date is `new`.
fn date_same(s: &load::raw::S, new: Date) -> bool {
    crate::date::parse_date(&s.value).is_ok_and(|x| x == new)
}

/// Whether `text` reads back as the draft: the same submission day,
/// summary, updates and KPI values (in-place edits are checked, never
/// trusted).
fn reads_back(rel: &str, text: &str, d: &ReportDraft) -> bool {
    use load::raw::RawReport;
    let mut ignored = Diagnostics::new();
    let Some(back) = load::parse_yaml::<RawReport>(&rel.into(), text, 0, &mut ignored) else {
        return false;
    };
    let Some(sub) = d.submitted else {
        return false;
    };
    back.updates.iter().flatten().count() == d.updates.len()
        && back.submitted.as_ref().is_some_and(|s| date_same(s, sub))
        && back.summary.as_ref().map(|s| &s.value) == d.summary.as_ref()
        && back.updates.iter().flatten().zip(&d.updates).all(|(o, n)| {
            let o = &o.value;
            o.state
                .as_ref()
                .is_some_and(|s| s.value.trim().to_lowercase() == n.state.code())
                && match (&o.progress, n.progress) {
                    (Some(s), Some(x)) => num_same(s, x),
                    (None, None) => true,
                    _ => false,
                }
                && o.done_on
                    .as_ref()
                    .map(|s| crate::date::parse_date(&s.value).ok())
                    == n.done_on.map(Some)
                && o.note.as_ref().map(|s| &s.value) == n.note.as_ref()
                && o.evidence.as_ref().map(|s| &s.value) == n.evidence.as_ref()
                && o.reopened.as_ref().map(|s| &s.value) == n.reopened.as_ref()
                && o.outlook.as_ref().map(|s| s.value.trim().to_lowercase())
                    == n.outlook.as_ref().map(|s| s.trim().to_lowercase())
        })
        && back
            .kpi_values
            .iter()
            .flatten()
            .zip(d.kpis.iter().filter(|k| k.value.is_some()))
            .all(|(o, n)| {
                let o = &o.value;
                o.date
                    .as_ref()
                    .map(|s| crate::date::parse_date(&s.value).ok())
                    == n.date.map(Some)
                    && o.value
                        .as_ref()
                        .zip(n.value)
                        .is_some_and(|(s, x)| num_same(s, x))
                    && o.note.as_ref().map(|s| &s.value) == n.note.as_ref()
            })
}

/// The length in bytes of the YAML scalar at the start of `s`, when it
/// ends on its line: a quoted scalar to its closing quote, a plain one to
/// a comment, a `,`, `}` or `]` in a flow collection, or the end of the line.
fn scalar_len(s: &str, flow: bool) -> Option<usize> {
    let line = s.split('\n').next().unwrap_or("");
    let b = line.as_bytes();
    match b.first()? {
        b'"' => {
            let mut i = 1;
            while i < b.len() {
                match b[i] {
                    b'\\' => i += 2,
                    b'"' => return Some(i + 1),
                    _ => i += 1,
                }
            }
            None
        }
        b'\'' => {
            let mut i = 1;
            while i < b.len() {
                if b[i] == b'\'' {
                    if b.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    return Some(i + 1);
                }
                i += 1;
            }
            None
        }
        b'|' | b'>' | b'&' | b'*' | b'!' | b'[' | b'{' => None,
        _ => {
            let end = line
                .char_indices()
                .find(|&(i, c)| {
                    (c == '#' && line[..i].ends_with([' ', '\t']))
                        || (flow && matches!(c, ',' | '}' | ']'))
                })
                .map_or(line.trim_end_matches('\r').len(), |(i, _)| i);
            Some(line[..end].trim_end().len())
        }
    }
}

/// `<file>.<UTC time>.bak~` beside `path`, a name no other file has: the
/// loader skips names ending in `~`, so the backup is never read as a
/// second report.
fn backup_path(path: &Path) -> PathBuf {
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
fn name_things(m: &Model, d: &mut ReportDraft) {
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

/// `tiendo schema --out DIR`: every schema; returns how many.
pub fn write_schemas(dir: &Path) -> Result<usize, Failure> {
    let all = schema::schemas();
    for (name, text) in &all {
        write_new(&dir.join(name), text.as_bytes(), true)?;
    }
    Ok(all.len())
}
