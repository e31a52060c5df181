//! Part of publish, the open data's dictionary: every column of every
//! table with its English snake_case name, its Frictionless type and what
//! it means in Vietnamese and English. The CSV and JSON files, the data
//! package, the DCAT catalogue and the open-data page all read it.

use serde::Serialize;

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

pub(super) const fn col(
    name: &'static str,
    kind: &'static str,
    vi: &'static str,
    en: &'static str,
) -> Column {
    Column { name, kind, vi, en }
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
    col(
        "replies_owed",
        "integer",
        "Số kiến nghị, vướng mắc đang chờ cơ quan trả lời",
        "Proposals awaiting the agency's reply",
    ),
    col(
        "replies_overdue",
        "integer",
        "Trong đó đã quá hạn trả lời",
        "Of which past their reply date",
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
    col(
        "source",
        "string",
        "Nguồn số liệu",
        "Where the figure comes from",
    ),
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
