//! Open data: tasks, updates, agencies, KPIs and KPI values as CSV (RFC
//! 4180, UTF-8 with a byte-order mark so Excel reads Vietnamese) and JSON,
//! with a Frictionless `datapackage.json`. One table of column definitions
//! drives all three and the page that documents them. Pure.

use crate::date::Deadline;
use crate::model::{Direction, Model, SuccessionKind};
use crate::route::{Route, Table as RT};
use crate::status::{Figures, Outcome, Status};
use serde::Serialize;
use serde_json::{Value, json};

/// A column: its English snake_case name, its Frictionless type, and what it
/// means in Vietnamese and English.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Column {
    pub name: &'static str,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub vi: &'static str,
    pub en: &'static str,
}

const fn col(name: &'static str, kind: &'static str, vi: &'static str, en: &'static str) -> Column {
    Column { name, kind, vi, en }
}

/// One published table.
#[derive(Debug, Serialize)]
pub struct Table<'a> {
    /// Which table: its routes, and its file stem as `name` (`nhiem-vu` ->
    /// `nhiem-vu.csv`, `nhiem-vu.json`), which the data package names it by.
    #[serde(skip)]
    pub id: RT,
    pub name: &'static str,
    pub title_vi: &'static str,
    pub title_en: &'static str,
    pub columns: &'static [Column],
    #[serde(skip)]
    pub rows: Rows<'a>,
}

impl Table<'_> {
    /// The table without its rows: what the open-data page shows of it.
    pub fn shape(&self) -> Table<'static> {
        Table {
            id: self.id,
            name: self.name,
            title_vi: self.title_vi,
            title_en: self.title_en,
            columns: self.columns,
            rows: Rows {
                count: self.rows.count,
                each: None,
            },
        }
    }

    /// How many rows the table has, also once they are dropped.
    pub fn row_count(&self) -> usize {
        self.rows.count
    }
}

/// A table's rows, made one at a time each time the table is written (as
/// CSV, then as JSON) rather than held: the updates table has a quarter of
/// a million rows at national scale, and held as values it was the largest
/// thing a build kept in memory (README, Benchmark).
pub struct Rows<'a> {
    count: usize,
    /// Calls its argument with each row in turn; `None` once dropped.
    #[allow(clippy::type_complexity)]
    each: Option<Box<dyn Fn(&mut dyn FnMut(&[Value])) + 'a>>,
}

impl<'a> Rows<'a> {
    /// `count` rows, made by `each`.
    fn made(count: usize, each: impl Fn(&mut dyn FnMut(&[Value])) + 'a) -> Self {
        Rows {
            count,
            each: Some(Box::new(each)),
        }
    }

    /// Rows already made (the small tables).
    fn held(rows: Vec<Vec<Value>>) -> Self {
        Rows::made(rows.len(), move |out| rows.iter().for_each(|r| out(r)))
    }

    /// Calls `f` with each row in order.
    pub fn each(&self, f: &mut dyn FnMut(&[Value])) {
        if let Some(each) = &self.each {
            each(f);
        }
    }
}

impl std::fmt::Debug for Rows<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "{} rows", self.count)
    }
}

pub const TASK_COLUMNS: &[Column] = &[
    col(
        "id",
        "string",
        "Mã nhiệm vụ (duy nhất, dùng trong đường dẫn)",
        "Task id (unique, used in URLs)",
    ),
    col(
        "ref",
        "string",
        "Số mục trong văn bản gốc",
        "Item number in the source document",
    ),
    col("title", "string", "Tên nhiệm vụ", "Task title"),
    col(
        "title_en",
        "string",
        "Tên nhiệm vụ bằng tiếng Anh (khi có bản dịch)",
        "Task title in English (where translated)",
    ),
    col(
        "plan",
        "string",
        "Mã văn bản, kế hoạch giao nhiệm vụ",
        "Id of the plan that assigns the task",
    ),
    col(
        "lead",
        "string",
        "Mã cơ quan chủ trì tại ngày tính số liệu",
        "Lead agency on the as-of date",
    ),
    col(
        "original_lead",
        "string",
        "Mã cơ quan chủ trì theo văn bản giao",
        "Lead agency named in the plan",
    ),
    col(
        "support",
        "string",
        "Mã các cơ quan phối hợp, cách nhau bởi dấu chấm phẩy",
        "Supporting agencies, separated by semicolons",
    ),
    col(
        "deadline",
        "string",
        "Hạn chót đang có hiệu lực (YYYY-MM-DD), hoặc monthly/ongoing",
        "Deadline in force (YYYY-MM-DD), or monthly/ongoing",
    ),
    col(
        "original_deadline",
        "string",
        "Hạn chót ban đầu",
        "Original deadline",
    ),
    col(
        "extensions",
        "integer",
        "Số lần gia hạn có hiệu lực",
        "Number of extensions in force",
    ),
    col(
        "status",
        "string",
        "Mã tình trạng (done_on_time, done_late, ongoing, overdue, due_soon, blocked, in_progress, unassigned, not_started)",
        "Status code",
    ),
    col(
        "status_label",
        "string",
        "Tình trạng bằng chữ",
        "Status in words (Vietnamese)",
    ),
    col(
        "progress",
        "number",
        "Tiến độ do cơ quan chủ trì báo cáo (%); để trống với nhiệm vụ thường xuyên (status = ongoing): các nhiệm vụ này không có ngày hoàn thành nên không có tiến độ, và không được tính vào tiến độ bình quân",
        "Progress reported by the lead (%); empty for recurring tasks (status = ongoing): they have no finishing day, so no progress, and are left out of mean progress",
    ),
    col("done_on", "date", "Ngày hoàn thành", "Day finished"),
    col(
        "days_late",
        "integer",
        "Số ngày quá hạn (chưa xong) hoặc số ngày chậm (đã xong muộn)",
        "Days overdue, or days late for tasks done late",
    ),
    col(
        "result",
        "string",
        "Kết quả phải đạt (rõ kết quả)",
        "Expected result",
    ),
    col(
        "responsible",
        "string",
        "Người chịu trách nhiệm tại ngày tính số liệu (theo cơ quan tiếp nhận khi cơ quan chủ trì sáp nhập)",
        "Accountable official on the as-of date (following a merger of the lead)",
    ),
    col(
        "original_responsible",
        "string",
        "Người chịu trách nhiệm theo văn bản giao",
        "Accountable official named in the plan",
    ),
    col(
        "incomplete",
        "string",
        "Lý do nhiệm vụ chưa đủ \"5 rõ\"",
        "Why the task lacks one of the \"5 rõ\"",
    ),
    col(
        "last_update",
        "date",
        "Ngày nộp báo cáo gần nhất của cơ quan chủ trì về nhiệm vụ",
        "Submitted date of the lead's latest update counted",
    ),
    col(
        "next_report_due",
        "date",
        "Hạn nộp báo cáo tiếp theo về nhiệm vụ (nhiệm vụ chưa xong)",
        "When the next report on the task is due (open tasks)",
    ),
    col(
        "stale",
        "boolean",
        "Chưa cập nhật: cơ quan chủ trì chưa báo cáo về nhiệm vụ từ kỳ báo cáo đầu tiên của nó, hoặc chưa nộp báo cáo kỳ gần nhất",
        "Not updated: the lead has not reported on the task since its first report fell due, or missed its latest owed report",
    ),
    col(
        "outlook",
        "string",
        "Cơ quan chủ trì tự đánh giá trong báo cáo gần nhất: on_track (đúng tiến độ), at_risk (có nguy cơ chậm), off_track (sẽ chậm); trống nếu không nêu. Không thay đổi status",
        "The lead's own view in its latest report: on_track, at_risk, off_track; empty when it gave none. Never changes status",
    ),
    col("url", "string", "Trang của nhiệm vụ", "The task's page"),
];

pub const UPDATE_COLUMNS: &[Column] = &[
    col("task", "string", "Mã nhiệm vụ", "Task id"),
    col("agency", "string", "Mã cơ quan báo cáo", "Reporting agency"),
    col(
        "period",
        "string",
        "Kỳ báo cáo (YYYY-MM)",
        "Report month (YYYY-MM)",
    ),
    col(
        "submitted",
        "date",
        "Ngày nộp báo cáo",
        "Day the report was submitted",
    ),
    col(
        "from_lead",
        "boolean",
        "Báo cáo của cơ quan chủ trì (true) hay phối hợp (false)",
        "From the lead agency (true) or a supporting one",
    ),
    col(
        "state",
        "string",
        "Trạng thái báo cáo (not_started, in_progress, blocked, done)",
        "Reported state",
    ),
    col(
        "progress",
        "number",
        "Tiến độ báo cáo (%)",
        "Reported progress (%)",
    ),
    col(
        "done_on",
        "date",
        "Ngày hoàn thành (khi báo cáo hoàn thành)",
        "Day finished (when done)",
    ),
    col("note", "string", "Ghi chú", "Note"),
    col(
        "evidence",
        "string",
        "Đường dẫn tài liệu minh chứng",
        "Link to evidence",
    ),
];

pub const AGENCY_COLUMNS: &[Column] = &[
    col("id", "string", "Mã cơ quan", "Agency id"),
    col("name", "string", "Tên đầy đủ", "Full name"),
    col("short", "string", "Tên viết tắt", "Short name"),
    col("name_en", "string", "Tên tiếng Anh", "English name"),
    col(
        "kind",
        "string",
        "Loại cơ quan (department, sector, locality, central, media, office)",
        "Kind of agency",
    ),
    col("group", "string", "Mã tổ công tác", "Working group"),
    col(
        "succession",
        "string",
        "merged, renamed hoặc dissolved nếu cơ quan đã sáp nhập, đổi tên, giải thể",
        "merged, renamed or dissolved",
    ),
    col(
        "successor",
        "string",
        "Mã cơ quan tiếp nhận",
        "Successor agency",
    ),
    col(
        "succession_date",
        "date",
        "Ngày sáp nhập, đổi tên, giải thể",
        "Day of the merger, renaming or dissolution",
    ),
    col(
        "tasks_led",
        "integer",
        "Số nhiệm vụ chủ trì tại ngày tính số liệu",
        "Tasks led on the as-of date",
    ),
    col(
        "tasks_done",
        "integer",
        "Số nhiệm vụ chủ trì đã hoàn thành",
        "Of which done",
    ),
    col(
        "tasks_overdue",
        "integer",
        "Số nhiệm vụ chủ trì đang quá hạn",
        "Of which overdue",
    ),
    col(
        "on_time_rate",
        "number",
        "Tỷ lệ hoàn thành đúng hạn (0-1)",
        "On-time rate (0-1)",
    ),
    col(
        "reports_owed",
        "integer",
        "Số kỳ báo cáo phải nộp đã đến hạn",
        "Monthly reports owed so far",
    ),
    col(
        "reports_on_time",
        "integer",
        "Số kỳ nộp đúng hạn",
        "Reports on time",
    ),
    col("reports_late", "integer", "Số kỳ nộp muộn", "Reports late"),
    col(
        "reports_missing",
        "integer",
        "Số kỳ chưa nộp",
        "Reports missing",
    ),
    col("url", "string", "Trang của cơ quan", "The agency's page"),
];

pub const KPI_COLUMNS: &[Column] = &[
    col("id", "string", "Mã chỉ tiêu", "KPI id"),
    col(
        "ref",
        "string",
        "Số mục trong văn bản gốc",
        "Item number in the source document",
    ),
    col("name", "string", "Tên chỉ tiêu", "Name"),
    col(
        "name_en",
        "string",
        "Tên chỉ tiêu bằng tiếng Anh (khi có bản dịch)",
        "Name in English (where translated)",
    ),
    col("unit", "string", "Đơn vị", "Unit"),
    col("target", "number", "Mục tiêu", "Target"),
    col(
        "direction",
        "string",
        "up: càng cao càng tốt; down: càng thấp càng tốt",
        "up: higher is better; down: lower is better",
    ),
    col("deadline", "date", "Hạn đạt mục tiêu", "Deadline"),
    col(
        "owner",
        "string",
        "Mã cơ quan báo cáo tại ngày tính số liệu",
        "Reporting agency on the as-of date",
    ),
    col(
        "baseline_date",
        "date",
        "Ngày của giá trị ban đầu",
        "Baseline date",
    ),
    col(
        "baseline_value",
        "number",
        "Giá trị ban đầu",
        "Baseline value",
    ),
    col(
        "latest_date",
        "date",
        "Ngày của giá trị mới nhất",
        "Date of the latest value",
    ),
    col("latest_value", "number", "Giá trị mới nhất", "Latest value"),
    col(
        "gap",
        "number",
        "Còn thiếu so với mục tiêu, theo đơn vị của chỉ tiêu (điểm phần trăm khi đơn vị là %); 0 khi đã đạt",
        "Gap to target in the KPI's unit (percentage points when the unit is %); 0 once reached",
    ),
    col(
        "projected",
        "number",
        "Giá trị theo xu hướng tại hạn, trong giới hạn của đơn vị (0-100 với %, số nguyên với số đếm); chỉ có khi chưa đạt và chưa đến hạn, để trống khi đã đạt, đã quá hạn hoặc chưa đủ dữ liệu",
        "Trend value at the deadline, within the unit's bounds (0-100 for %, whole numbers for counts); only while not reached and the deadline is ahead, empty once reached, missed or without enough data",
    ),
    col(
        "verdict",
        "string",
        "reached (đã đạt), on_track (đúng hướng), off_track (chưa đủ nhanh), missed (đã qua hạn mà chưa đạt) hoặc not_enough_data (chưa đủ dữ liệu)",
        "reached, on_track, off_track, missed (deadline passed, target not reached) or not_enough_data",
    ),
    col(
        "definition",
        "string",
        "Định nghĩa (Markdown)",
        "Definition (Markdown)",
    ),
    col("formula", "string", "Công thức tính", "Formula"),
    col("source", "string", "Nguồn số liệu", "Where the figure comes from"),
    col(
        "frequency",
        "string",
        "Tần suất đo: monthly, quarterly hoặc yearly",
        "How often it is measured: monthly, quarterly or yearly",
    ),
    col(
        "framework",
        "string",
        "Các bộ chỉ số quốc gia chỉ tiêu đóng góp, dạng «tên: mã», cách nhau bởi dấu chấm phẩy",
        "The national indicator sets it feeds, as «name: code», separated by semicolons",
    ),
    col("url", "string", "Trang của chỉ tiêu", "The KPI's page"),
];

pub const KPI_VALUE_COLUMNS: &[Column] = &[
    col("kpi", "string", "Mã chỉ tiêu", "KPI id"),
    col("date", "date", "Ngày đo", "Date measured"),
    col("value", "number", "Giá trị", "Value"),
    col(
        "baseline",
        "boolean",
        "Là giá trị ban đầu",
        "Is the baseline",
    ),
    col("agency", "string", "Mã cơ quan báo cáo", "Reporting agency"),
    col("period", "string", "Kỳ báo cáo (YYYY-MM)", "Report month"),
    col(
        "submitted",
        "date",
        "Ngày nộp báo cáo",
        "Day the report was submitted",
    ),
];

pub const PROPOSAL_COLUMNS: &[Column] = &[
    col(
        "agency",
        "string",
        "Mã cơ quan nêu kiến nghị",
        "Agency that raised it",
    ),
    col(
        "id",
        "string",
        "Mã kiến nghị (duy nhất trong các kiến nghị của cơ quan)",
        "Proposal id (unique among the agency's)",
    ),
    col(
        "kind",
        "string",
        "Loại: difficulty (khó khăn, vướng mắc) hoặc proposal (kiến nghị, đề xuất)",
        "Kind: difficulty or proposal",
    ),
    col(
        "to",
        "string",
        "Mã cơ quan được kiến nghị, như báo cáo ghi",
        "Agency asked to act, as written",
    ),
    col(
        "owed_by",
        "string",
        "Mã cơ quan phải trả lời tại ngày tính số liệu (cơ quan kế nhiệm nếu đã sáp nhập)",
        "Agency that answers for it on the as-of date (the successor after a merger)",
    ),
    col(
        "task",
        "string",
        "Mã nhiệm vụ liên quan",
        "Task it concerns",
    ),
    col(
        "raised",
        "date",
        "Ngày nêu: ngày nộp báo cáo đầu tiên nêu kiến nghị",
        "Raised: the submission day of the report that first raised it",
    ),
    col("reply_by", "date", "Hạn trả lời", "Reply due"),
    col(
        "state",
        "string",
        "Tình trạng: open (chờ trả lời), reply_overdue (quá hạn trả lời), answered (đã trả lời), resolved (đã giải quyết)",
        "State: open, reply_overdue, answered or resolved",
    ),
    col(
        "replied",
        "date",
        "Ngày trả lời lần đầu (ngày nộp báo cáo trả lời); trống nếu chưa có",
        "Submission day of the first reply; empty if none",
    ),
    col(
        "reminders",
        "integer",
        "Số lần nhắc lại trong các báo cáo sau của cơ quan nêu",
        "How many later reports of the raiser repeated it",
    ),
    col(
        "days_overdue",
        "integer",
        "Số ngày quá hạn trả lời",
        "Days past the reply's due date",
    ),
    col("text", "string", "Nội dung kiến nghị", "What was raised"),
    col(
        "reply",
        "string",
        "Nội dung trả lời gần nhất",
        "The latest reply",
    ),
    col(
        "url",
        "string",
        "Địa chỉ trang kiến nghị",
        "Address of the proposal's page",
    ),
];

fn s(v: impl Into<String>) -> Value {
    Value::String(v.into())
}

fn opt(v: Option<impl Into<String>>) -> Value {
    v.map_or(Value::Null, |x| Value::String(x.into()))
}

/// A number rounded to three decimals, written as an integer when whole.
fn num(v: f64) -> Value {
    let r = (v * 1000.0).round() / 1000.0;
    if r.fract() == 0.0 && r.abs() < 1e15 {
        return Value::Number((r as i64).into());
    }
    serde_json::Number::from_f64(r).map_or(Value::Null, Value::Number)
}

fn int(v: impl Into<i64>) -> Value {
    Value::Number(v.into().into())
}

fn deadline_code(d: Option<Deadline>) -> Value {
    d.map_or(Value::Null, |d| s(d.code()))
}

/// The task table as of the figures' date: the live `nhiem-vu` table, and
/// each archived month's.
pub fn task_table<'a>(m: &'a Model, fig: &'a Figures<'_>, site_url: &'a str) -> Table<'a> {
    // As many rows as the loop below makes (the figures have one entry
    // per task).
    // A task of a plan not issued by the day counts nowhere, this table
    // included.
    let issued = fig.tasks.iter().filter(|s| s.issued).count();
    let rows = Rows::made(issued.min(m.tasks.len()), move |out| {
        let url = |r: Route| format!("{site_url}{}", r.path());
        for (t, st) in m.tasks.iter().zip(&fig.tasks).filter(|(_, s)| s.issued) {
            out(&[
                s(&t.id),
                opt(t.reference.clone()),
                s(&t.title),
                opt(t.title_en.clone()),
                s(&m.plans[t.plan].id),
                opt(st.lead_on.clone()),
                opt(t.lead.clone()),
                s(t.support.join(";")),
                deadline_code(st.deadline),
                deadline_code(t.deadline),
                int(st.extensions as i64),
                s(st.status.code()),
                s(crate::render::i18n::status_vi(m, st.status)),
                if st.status == Status::Ongoing {
                    Value::Null
                } else {
                    num(st.progress)
                },
                opt(st.done_on.map(|d| d.to_string())),
                st.days_late.map_or(Value::Null, int),
                opt(t.result.clone()),
                opt(match &st.responsible_on {
                    Some(crate::status::Responsible::Followed { text, .. }) => Some(text.clone()),
                    _ => t.responsible.clone(),
                }),
                opt(t.responsible.clone()),
                opt(t.incomplete.clone()),
                opt(st.last_update.map(|d| d.to_string())),
                opt(st.next_report_due.map(|d| d.to_string())),
                Value::Bool(st.stale),
                opt(st.outlook.map(|o| o.code().to_string())),
                s(url(Route::Task(&t.id))),
            ]);
        }
    });
    Table {
        name: RT::Tasks.stem(),
        id: RT::Tasks,
        title_vi: "Nhiệm vụ",
        title_en: "Tasks",
        columns: TASK_COLUMNS,
        rows,
    }
}

/// A file's name in the data folder (and in the zip): the last part of
/// its route's path.
pub fn file_name(route: &Route) -> String {
    let path = route.path();
    path.rsplit_once('/')
        .map_or(path.clone(), |(_, name)| name.to_string())
}

/// One table of [`route::Table::ALL`], its rows computed from the model
/// and figures: the open data builds, writes and drops them one at a time.
pub fn table<'a>(m: &'a Model, fig: &'a Figures<'_>, site_url: &'a str, id: RT) -> Table<'a> {
    let url = |r: Route| format!("{site_url}{}", r.path());
    let (title_vi, title_en, columns, rows) = match id {
        RT::Tasks => return task_table(m, fig, site_url),
        RT::Updates => {
            let count = fig.timelines.iter().map(Vec::len).sum();
            let updates = Rows::made(count, move |out| {
                for (i, timeline) in fig.timelines.iter().enumerate() {
                    for u in timeline {
                        out(&[
                            s(&m.tasks[i].id),
                            s(&u.report.agency),
                            s(u.report.period.key()),
                            s(u.report.submitted.to_string()),
                            Value::Bool(u.from_lead),
                            s(u.update.state.code()),
                            u.update.progress.map_or(Value::Null, num),
                            opt(u.update.done_on.map(|d| d.to_string())),
                            opt(u.update.note.clone()),
                            opt(u.update.evidence.clone()),
                        ]);
                    }
                }
            });
            ("Cập nhật tiến độ", "Task updates", UPDATE_COLUMNS, updates)
        }
        RT::Agencies => {
            let agencies = m
                .agencies
                .iter()
                .map(|a| {
                    let f = fig.agencies.get(&a.id);
                    let count = |o: fn(&Outcome) -> bool| f.map_or(0, |f| f.count(o) as i64);
                    vec![
                        s(&a.id),
                        s(&a.name),
                        opt(a.short.clone()),
                        opt(a.name_en.clone()),
                        s(a.kind.code()),
                        opt(a.group.clone()),
                        opt(a.succession.as_ref().map(|x| match x.kind {
                            SuccessionKind::Merged => "merged",
                            SuccessionKind::Renamed => "renamed",
                            SuccessionKind::Dissolved => "dissolved",
                        })),
                        opt(a.succession.as_ref().and_then(|x| x.to.clone())),
                        opt(a.succession.as_ref().map(|x| x.date.to_string())),
                        int(f.map_or(0, |f| f.rollup.total as i64)),
                        int(f.map_or(0, |f| f.rollup.done as i64)),
                        int(f.map_or(0, |f| f.rollup.count(Status::Overdue) as i64)),
                        f.and_then(|f| f.rollup.on_time_rate)
                            .map_or(Value::Null, num),
                        int(f.map_or(0, |f| f.duties.len() as i64)),
                        int(count(|o| *o == Outcome::OnTime)),
                        int(count(|o| matches!(o, Outcome::Late(_)))),
                        int(count(|o| *o == Outcome::Missing)),
                        s(url(Route::Agency(&a.id))),
                    ]
                })
                .collect();
            ("Cơ quan", "Agencies", AGENCY_COLUMNS, Rows::held(agencies))
        }
        RT::Kpis => {
            let kpis = m
                .kpis
                .iter()
                .zip(&fig.kpis)
                .map(|(k, ks)| {
                    vec![
                        s(&k.id),
                        opt(k.reference.clone()),
                        s(&k.name),
                        opt(k.name_en.clone()),
                        s(&k.unit),
                        num(k.target),
                        s(match k.direction {
                            Direction::Up => "up",
                            Direction::Down => "down",
                        }),
                        opt(k.deadline.date().map(|d| d.to_string())),
                        opt(ks.owner_on.clone()),
                        opt(k.baseline.map(|(d, _)| d.to_string())),
                        k.baseline.map_or(Value::Null, |(_, v)| num(v)),
                        opt(ks.latest.as_ref().map(|p| p.date.to_string())),
                        ks.latest.as_ref().map_or(Value::Null, |p| num(p.value)),
                        ks.gap.map_or(Value::Null, num),
                        ks.projection.map_or(Value::Null, |p| num(p.at_deadline)),
                        s(ks.verdict.code()),
                        opt(k.meta.definition.clone()),
                        opt(k.meta.formula.clone()),
                        opt(k.meta.source.clone()),
                        opt(k.meta.frequency.map(|f| f.code().to_string())),
                        opt(framework_codes(&k.meta.framework)),
                        s(url(Route::Kpi(&k.id))),
                    ]
                })
                .collect();
            ("Chỉ tiêu", "KPIs", KPI_COLUMNS, Rows::held(kpis))
        }
        RT::KpiValues => {
            let mut values = Vec::new();
            for (k, ks) in m.kpis.iter().zip(&fig.kpis) {
                for p in &ks.points {
                    let report = p.report.map(|r| &m.reports[r]);
                    values.push(vec![
                        s(&k.id),
                        s(p.date.to_string()),
                        num(p.value),
                        Value::Bool(p.baseline),
                        opt(report.map(|r| r.agency.clone())),
                        opt(report.map(|r| r.period.key())),
                        opt(report.map(|r| r.submitted.to_string())),
                    ]);
                }
            }
            (
                "Giá trị chỉ tiêu",
                "KPI values",
                KPI_VALUE_COLUMNS,
                Rows::held(values),
            )
        }
        RT::Proposals => (
            "Khó khăn, vướng mắc, kiến nghị",
            "Difficulties and proposals",
            PROPOSAL_COLUMNS,
            Rows::held(proposal_rows(m, fig, &url)),
        ),
    };
    Table {
        name: id.stem(),
        id,
        title_vi,
        title_en,
        columns,
        rows,
    }
}

/// A KPI's indicator sets as one cell: `name: code; name`; `None` when it
/// names none.
fn framework_codes(sets: &[(String, Option<String>)]) -> Option<String> {
    (!sets.is_empty()).then(|| {
        sets.iter()
            .map(|(name, code)| match code {
                Some(c) => format!("{name}: {c}"),
                None => name.clone(),
            })
            .collect::<Vec<_>>()
            .join("; ")
    })
}

/// The rows of the `kien-nghi` table: every proposal known on D, by
/// raising agency and id.
fn proposal_rows(m: &Model, fig: &Figures<'_>, url: &dyn Fn(Route) -> String) -> Vec<Vec<Value>> {
    fig.proposals
        .iter()
        .map(|st| {
            let p = &m.proposals[st.proposal];
            let latest = st.replies.checked_sub(1).map(|k| &p.replies[k]);
            vec![
                s(&p.agency),
                s(&p.id),
                s(p.kind.code()),
                s(&p.to),
                opt(st.owed_by.clone()),
                opt(p.task.clone()),
                s(p.raised.to_string()),
                s(p.reply_by.to_string()),
                s(st.state.code()),
                opt(st.replied.map(|d| d.to_string())),
                int(st.reminders as i64),
                st.days_overdue.map_or(Value::Null, int),
                s(&p.text),
                opt(latest.map(|r| r.text.clone())),
                s(url(Route::Proposal(&p.agency, &p.id))),
            ]
        })
        .collect()
}

/// The characters a spreadsheet reads as the start of a formula (OWASP's
/// list for CSV injection): `=`, `+`, `-`, `@`, tab and carriage return.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A text cell as a spreadsheet may open it: one that starts like a formula
/// (an officer's note `=HYPERLINK(...)`, a title `- Đẩy mạnh ...`) gets a
/// single quote in front, which Excel and LibreOffice show as text and
/// never run (OWASP, "CSV Injection"). Only text cells: a number column's
/// `-5` stays the number it is. JSON copies keep the text as written, since
/// no spreadsheet runs JSON.
pub fn csv_text(s: &str) -> std::borrow::Cow<'_, str> {
    if s.starts_with(FORMULA_START) {
        std::borrow::Cow::Owned(format!("'{s}"))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// Whether a column holds text a spreadsheet could take for a formula:
/// every kind but numbers (whose cells are written from numbers, never
/// from text).
fn is_text_column(c: &Column) -> bool {
    !matches!(c.kind, "number" | "integer")
}

/// RFC 4180 CSV with a byte-order mark; empty fields for missing values;
/// text cells neutralised against formulas ([`csv_text`]).
pub fn csv(table: &Table) -> Vec<u8> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = ::csv::WriterBuilder::new()
            .terminator(::csv::Terminator::CRLF)
            .from_writer(&mut out);
        let header: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
        // Writing into a Vec cannot fail.
        let _ = w.write_record(&header);
        // Numbers and booleans are formatted into one buffer; strings are
        // written as they are.
        let mut scratch = String::new();
        let mut ends: Vec<usize> = Vec::with_capacity(table.columns.len());
        table.rows.each(&mut |row| {
            scratch.clear();
            ends.clear();
            for v in row {
                if !matches!(v, Value::Null | Value::String(_)) {
                    use std::fmt::Write as _;
                    let _ = write!(scratch, "{v}");
                }
                ends.push(scratch.len());
            }
            let mut from = 0;
            for (k, (v, &end)) in row.iter().zip(&ends).enumerate() {
                let text = table.columns.get(k).is_none_or(is_text_column);
                let _ = match v {
                    Value::Null => w.write_field(b""),
                    Value::String(x) if text => w.write_field(csv_text(x).as_bytes()),
                    Value::String(x) => w.write_field(x.as_bytes()),
                    _ => w.write_field(&scratch.as_bytes()[from..end]),
                };
                from = end;
            }
            let _ = w.write_record(None::<&[u8]>);
        });
        let _ = w.flush();
    }
    out
}

/// One value as compact JSON. Writing into a Vec fails only on what
/// serde_json refuses (maps with non-string keys), which tables do not hold.
fn put(text: &mut Vec<u8>, value: &impl Serialize) {
    let _ = serde_json::to_writer(text, value);
}

/// The table as JSON: metadata and one object per row (keys in name
/// order), written straight from the rows.
pub fn json(table: &Table, as_of: &str, license: &str) -> Vec<u8> {
    use serde::ser::{SerializeMap, Serializer};
    /// One row as an object; `order` lists the columns by name.
    struct Row<'t> {
        order: &'t [usize],
        columns: &'t [Column],
        values: &'t [Value],
    }
    impl Serialize for Row<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut map = s.serialize_map(Some(self.order.len()))?;
            for &k in self.order {
                let value = self.values.get(k).unwrap_or(&Value::Null);
                map.serialize_entry(self.columns[k].name, value)?;
            }
            map.end()
        }
    }
    let mut order: Vec<usize> = (0..table.columns.len()).collect();
    order.sort_by_key(|&k| table.columns[k].name);
    // Indented like serde_json's pretty printer, but each row on one line:
    // a quarter of a million updates stay readable and diffable a row at a
    // time, and the file is 40% smaller than with every key on its own
    // line. The document's keys in name order, as a JSON map has them.
    let mut text = Vec::with_capacity(table.row_count() * 256 + 256);
    text.extend_from_slice(b"{\n  \"as_of\": ");
    put(&mut text, &as_of);
    text.extend_from_slice(b",\n  \"data\": [");
    let mut first = true;
    table.rows.each(&mut |values| {
        text.extend_from_slice(if first { b"\n    " } else { b",\n    " });
        first = false;
        let row = Row {
            order: &order,
            columns: table.columns,
            values,
        };
        put(&mut text, &row);
    });
    text.extend_from_slice(if first { b"]" } else { b"\n  ]" });
    for (key, value) in [
        ("license", license),
        ("title", table.title_en),
        ("title_vi", table.title_vi),
    ] {
        text.extend_from_slice(format!(",\n  \"{key}\": ").as_bytes());
        put(&mut text, &value);
    }
    text.extend_from_slice(b"\n}");
    inert(text)
}

/// Compact JSON with `<`, `>` and `&` written as `\u003c` and so on: the same
/// JSON, but inert even if someone pastes it into a page. (The three
/// characters only occur inside strings, so one pass over the bytes does.)
pub fn json_bytes(value: &impl Serialize) -> Vec<u8> {
    let mut text = Vec::new();
    if serde_json::to_writer(&mut text, value).is_err() {
        return Vec::new();
    }
    inert(text)
}

/// `<`, `>` and `&` in JSON text written as `\u003c` and so on.
fn inert(text: Vec<u8>) -> Vec<u8> {
    if !text.iter().any(|b| matches!(b, b'<' | b'>' | b'&')) {
        return text;
    }
    let mut out = Vec::with_capacity(text.len() + 64);
    for b in text {
        match b {
            b'<' => out.extend_from_slice(b"\\u003c"),
            b'>' => out.extend_from_slice(b"\\u003e"),
            b'&' => out.extend_from_slice(b"\\u0026"),
            _ => out.push(b),
        }
    }
    out
}

/// A Frictionless Tabular Data Package describing every CSV file.
pub fn datapackage(
    tables: &[Table],
    title: &str,
    as_of: &str,
    license: &str,
    site_url: &str,
) -> Vec<u8> {
    let resources: Vec<Value> = tables
        .iter()
        .map(|t| {
            json!({
                "name": t.name,
                "path": format!("{}.csv", t.name),
                "title": t.title_en,
                "description": t.title_vi,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "schema": {
                    "fields": t.columns.iter().map(|c| json!({
                        "name": c.name,
                        "type": c.kind,
                        "description": c.en,
                        "title": c.vi,
                    })).collect::<Vec<_>>(),
                    "missingValues": [""],
                },
            })
        })
        .collect();
    let mut doc = json!({
        "profile": "tabular-data-package",
        "name": "tiendo",
        "title": title,
        "description": format!("Figures as of {as_of}"),
        "homepage": site_url,
        "version": as_of,
        "created": format!("{as_of}T00:00:00Z"),
        "resources": resources,
    });
    if !license.is_empty()
        && let Some(obj) = doc.as_object_mut()
    {
        obj.insert(
            "licenses".into(),
            json!([{ "name": license_id(license), "title": license }]),
        );
    }
    serde_json::to_vec_pretty(&doc).unwrap_or_default()
}

/// `CC BY 4.0` -> `CC-BY-4.0` (an SPDX-style id).
fn license_id(license: &str) -> String {
    license.trim().replace(' ', "-")
}

/// The README of the data download, in Vietnamese then English: what each
/// table holds, column by column, and the date the figures are true for.
pub fn readme(tables: &[Table], title: &str, as_of: &str, license: &str, site_url: &str) -> String {
    let mut out = format!(
        "# {title}\n\nDữ liệu mở, số liệu tính đến ngày {as_of}. Nguồn: {site_url}\n\
         Open data, figures as of {as_of}. Source: {site_url}\n"
    );
    if !license.is_empty() {
        out.push_str(&format!("\nGiấy phép / Licence: {license}\n"));
    }
    let json_url = format!("{site_url}{}", Route::Data.path());
    out.push_str(&format!(
        "\nMỗi bảng là một tệp CSV (UTF-8 có BOM, Excel đọc được tiếng Việt); \
         datapackage.json mô tả các bảng theo chuẩn Frictionless. Ô trống là không có giá trị. \
         Ô chữ bắt đầu bằng = + - @, tab hoặc ký tự CR được thêm dấu ' ở đầu để Excel \
         không chạy nó như công thức; cột số giữ nguyên số, tệp JSON giữ nguyên chữ. \
         Cùng các bảng ấy ở dạng JSON: {json_url}\n\
         Each table is a CSV file (UTF-8 with BOM); datapackage.json describes them \
         as a Frictionless data package. Empty fields are missing values. \
         A text field that starts with = + - @, a tab or a carriage return gets a ' in \
         front, so that Excel does not run it as a formula; number columns stay numbers, \
         and the JSON files keep the text as written. \
         The same tables as JSON: {json_url}\n",
    ));
    for t in tables {
        out.push_str(&format!(
            "\n## {}.csv: {} / {}\n\n",
            t.name, t.title_vi, t.title_en
        ));
        for c in t.columns {
            out.push_str(&format!(
                "- `{}` ({}): {} / {}\n",
                c.name, c.kind, c.vi, c.en
            ));
        }
    }
    out
}

/// A zip of `files` (name, bytes) in the given order, every entry dated
/// `date` (midnight) and readable by all, so the same content gives the
/// same bytes on every build.
pub fn zip(files: &[(String, Vec<u8>)], date: crate::date::Date) -> Result<Vec<u8>, String> {
    let mut zip = Zip::new(date);
    for (name, bytes) in files {
        zip.add(name, bytes)?;
    }
    zip.finish()
}

/// zlib's level 2 rather than its default 6: a tenth larger on the portal's
/// CSV and JSON, at less than half the time (the open-data download and the
/// monthly archive's tables were 9% of a national build; README, Benchmark).
const DEFLATE_LEVEL: i64 = 2;

/// A zip made a file at a time, so that each file's bytes can be dropped
/// once added: every entry dated `date` at midnight, mode 644, deflated.
pub struct Zip {
    writer: zip::ZipWriter<std::io::Cursor<Vec<u8>>>,
    options: zip::write::SimpleFileOptions,
}

impl Zip {
    pub fn new(date: crate::date::Date) -> Zip {
        use chrono::Datelike;
        let stamp = zip::DateTime::from_date_and_time(
            u16::try_from(date.year()).unwrap_or(1980),
            u8::try_from(date.month()).unwrap_or(1),
            u8::try_from(date.day()).unwrap_or(1),
            0,
            0,
            0,
        )
        .unwrap_or_default();
        Zip {
            writer: zip::ZipWriter::new(std::io::Cursor::new(Vec::new())),
            options: zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated)
                .compression_level(Some(DEFLATE_LEVEL))
                .last_modified_time(stamp)
                .unix_permissions(0o644),
        }
    }

    pub fn add(&mut self, name: &str, bytes: &[u8]) -> Result<(), String> {
        use std::io::Write;
        self.writer
            .start_file(name, self.options)
            .map_err(|e| e.to_string())?;
        self.writer.write_all(bytes).map_err(|e| e.to_string())
    }

    pub fn finish(self) -> Result<Vec<u8>, String> {
        self.writer
            .finish()
            .map(std::io::Cursor::into_inner)
            .map_err(|e| e.to_string())
    }
}

/// A month's change table (`du-lieu/thay-doi/YYYY-MM.csv`): `task`,
/// `field`, `before`, `after`, as the open data's CSVs are written (UTF-8
/// with a byte-order mark, CRLF). Its values are codes, numbers, dates and
/// ids, never free text.
pub fn changes_csv(m: &Model, changes: &[crate::status::FactChange]) -> Vec<u8> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = ::csv::WriterBuilder::new()
            .terminator(::csv::Terminator::CRLF)
            .from_writer(&mut out);
        // Writing into a Vec cannot fail.
        let _ = w.write_record(["task", "field", "before", "after"]);
        for (i, field, before, after) in changes {
            let task = m.tasks.get(*i).map_or("", |t| t.id.as_str());
            let _ = w.write_record([task, field, before, after]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_cells_that_start_like_a_formula_get_a_quote_and_numbers_do_not() {
        for hostile in ["=1+1", "+1", "-x", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(csv_text(hostile), format!("'{hostile}"));
        }
        for plain in ["Sở Y tế", "1-2", "", "'=quoted"] {
            assert_eq!(csv_text(plain), plain);
        }
        const COLUMNS: &[Column] = &[
            col("note", "string", "", ""),
            col("value", "number", "", ""),
            col("days", "integer", "", ""),
        ];
        let table = Table {
            id: RT::Tasks,
            name: "t",
            title_vi: "",
            title_en: "",
            columns: COLUMNS,
            rows: Rows::held(vec![vec![s("-5 ngày"), num(-0.5), int(-5)]]),
        };
        let text = String::from_utf8(csv(&table)).unwrap();
        assert!(text.ends_with("'-5 ngày,-0.5,-5\r\n"), "{text:?}");
        let json = String::from_utf8(json(&table, "2025-01-01", "")).unwrap();
        assert!(json.contains("\"note\":\"-5 ngày\""), "{json}");
    }
}
