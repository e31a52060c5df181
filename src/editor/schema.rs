//! JSON Schemas (draft 2020-12) of every content file kind, for editors
//! whose editor runs a YAML language server (completion, errors as they
//! type).
//!
//! Stage: beside the pipeline; it mirrors the load stage's raw types
//! (`load::raw`): the same keys (a unit test holds them equal), unknown keys
//! rejected, and for each value the YAML shapes the loader accepts. The
//! checks that need more than one file (ids that resolve, dates in order)
//! stay with `tiendo check`. Input: nothing; output: (file name, JSON text).

use serde_json::{Map, Value, json};

const DRAFT: &str = "https://json-schema.org/draft/2020-12/schema";

/// A scalar the loader reads as text: YAML 1.2 plain scalars such as
/// `2025` or `true` are text too.
fn text(description: &str) -> Value {
    json!({"type": ["string", "number", "boolean"], "description": description})
}

fn date(description: &str) -> Value {
    json!({
        "type": "string",
        "pattern": "^\\s*([0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}/[0-9]{2}/[0-9]{2}|[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}|[0-9]{2}-[0-9]{2}-[0-9]{4})\\s*$",
        "description": format!("{description} (2025-03-31 hoặc 31/03/2025)")
    })
}

fn deadline(description: &str) -> Value {
    json!({
        "type": "string",
        "description": format!("{description}: 2025-03-31, 31/03/2025, 2025-06, 06/2025, Q4/2025, quý IV/2025, monthly hoặc ongoing")
    })
}

fn number(description: &str) -> Value {
    json!({
        "type": ["number", "string"],
        "pattern": "^\\s*-?[0-9]+([.,][0-9]+)?\\s*%?\\s*$",
        "description": description
    })
}

fn id(description: &str) -> Value {
    json!({"type": "string", "pattern": "^[a-z0-9-]+$", "description": description})
}

fn keyword(values: &[&str], description: &str) -> Value {
    let any_case: Vec<String> = values
        .iter()
        .map(|v| {
            v.chars()
                .map(|c| {
                    if c.is_ascii_alphabetic() {
                        format!("[{}{}]", c.to_ascii_lowercase(), c.to_ascii_uppercase())
                    } else {
                        c.to_string()
                    }
                })
                .collect::<String>()
        })
        .collect();
    json!({
        "type": "string",
        "pattern": format!("^({})$", any_case.join("|")),
        "description": format!("{description}: {}", values.join(" | "))
    })
}

fn list(item: Value, description: &str) -> Value {
    json!({"type": "array", "items": item, "description": description})
}

fn object(props: &[(&str, Value)], required: &[&str]) -> Value {
    let mut p = Map::new();
    for (k, v) in props {
        p.insert((*k).to_string(), v.clone());
    }
    json!({
        "type": "object",
        "additionalProperties": false,
        "properties": p,
        "required": required
    })
}

fn top(name: &str, title: &str, body: Value) -> (String, Value) {
    let mut v = body;
    if let Value::Object(o) = &mut v {
        o.insert("$schema".into(), json!(DRAFT));
        o.insert("title".into(), json!(title));
    }
    (format!("{name}.schema.json"), v)
}

fn site() -> Value {
    object(
        &[
            ("title", text("Tên cổng")),
            ("title_en", text("Tên cổng bằng tiếng Anh")),
            ("description", text("Mô tả ngắn")),
            ("description_en", text("Mô tả bằng tiếng Anh")),
            (
                "base_url",
                text("Địa chỉ gốc của cổng, ví dụ https://tiendo.example.gov.vn/"),
            ),
            ("owner", text("Cơ quan chủ quản")),
            ("contact", text("Liên hệ")),
            (
                "languages",
                list(
                    keyword(&["vi", "en"], "Ngôn ngữ"),
                    "Ngôn ngữ; ngôn ngữ đầu là mặc định",
                ),
            ),
            ("as_of", date("Ngày tính số liệu")),
            (
                "due_soon_days",
                number("Số ngày trước hạn được coi là sắp đến hạn"),
            ),
            ("report_day", number("Ngày nộp báo cáo hằng tháng")),
            (
                "reporting_from",
                text("Kỳ báo cáo đầu tiên, ví dụ 2025-07: không tính thiếu báo cáo trước kỳ này"),
            ),
            (
                "sample_data",
                json!({"type": "boolean", "description": "true: hiện dải báo số liệu minh họa"}),
            ),
            ("data_license", text("Giấy phép dữ liệu, ví dụ CC BY 4.0")),
            (
                "tags",
                json!({
                    "type": "object",
                    "additionalProperties": {"type": "string"},
                    "description": "Tên hiển thị của chủ đề: chủ đề như trong nội dung -> tên, ví dụ y-te-so: Y tế số"
                }),
            ),
        ],
        &["title", "base_url"],
    )
}

fn succession() -> Value {
    object(
        &[
            ("agency", id("Cơ quan tiếp nhận")),
            ("date", date("Ngày có hiệu lực")),
        ],
        &["agency", "date"],
    )
}

fn agencies() -> Value {
    let group = object(
        &[
            ("id", id("Mã tổ công tác")),
            ("name", text("Tên tổ công tác")),
            ("name_en", text("Tên bằng tiếng Anh")),
            ("leader", text("Người phụ trách")),
            ("leader_en", text("Người phụ trách, tiếng Anh")),
            ("description", text("Mô tả")),
        ],
        &["id", "name"],
    );
    let kinds: Vec<&str> = crate::model::AgencyKind::ALL
        .iter()
        .map(|(c, _)| *c)
        .collect();
    let agency = object(
        &[
            ("id", id("Mã cơ quan: chữ thường, số, gạch nối")),
            ("name", text("Tên cơ quan")),
            ("short", text("Tên viết tắt")),
            ("name_en", text("Tên bằng tiếng Anh")),
            ("kind", keyword(&kinds, "Loại cơ quan")),
            ("group", id("Tổ công tác")),
            ("url", text("Trang web")),
            ("merged_into", succession()),
            ("renamed_to", succession()),
            (
                "dissolved",
                object(&[("date", date("Ngày giải thể"))], &["date"]),
            ),
        ],
        &["id", "name", "kind"],
    );
    object(
        &[
            ("groups", list(group, "Các tổ công tác")),
            ("agencies", list(agency, "Các cơ quan")),
        ],
        &[],
    )
}

fn plan() -> Value {
    let change = object(
        &[
            ("to", deadline("Hạn mới")),
            ("date", date("Ngày quyết định gia hạn")),
            ("by", text("Văn bản gia hạn")),
            ("reason", text("Lý do")),
        ],
        &["to", "date"],
    );
    let task = object(
        &[
            ("id", id("Mã nhiệm vụ, thành địa chỉ trang")),
            ("ref", text("Số mục trong văn bản")),
            ("title", text("Rõ việc: tên nhiệm vụ")),
            ("title_en", text("Tên bằng tiếng Anh")),
            ("description", text("Mô tả (Markdown)")),
            ("description_en", text("Mô tả bằng tiếng Anh (Markdown)")),
            ("lead", id("Rõ người: cơ quan chủ trì")),
            ("support", list(id("Cơ quan"), "Cơ quan phối hợp")),
            ("deadline", deadline("Rõ tiến độ")),
            ("deadline_changes", list(change, "Các lần gia hạn")),
            ("result", text("Rõ kết quả")),
            ("result_en", text("Kết quả bằng tiếng Anh")),
            ("responsible", text("Rõ trách nhiệm")),
            ("responsible_en", text("Người chịu trách nhiệm, tiếng Anh")),
            ("kpis", list(id("Chỉ số"), "Chỉ số liên quan")),
            ("tags", list(text("Nhãn"), "Nhãn")),
            ("incomplete", text("Lý do nhiệm vụ chưa đủ \"5 rõ\"")),
            (
                "formerly",
                list(
                    id("Mã cũ"),
                    "Các mã cũ của nhiệm vụ (địa chỉ cũ vẫn dẫn tới đây)",
                ),
            ),
            (
                "parent",
                id("Nhiệm vụ cha, thuộc kế hoạch mà kế hoạch này thực hiện"),
            ),
        ],
        &["id", "title"],
    );
    object(
        &[
            ("id", id("Mã văn bản")),
            ("title", text("Tên văn bản")),
            ("title_en", text("Tên bằng tiếng Anh")),
            ("issuer", text("Cơ quan ban hành")),
            ("issued", date("Ngày ban hành")),
            ("number", text("Số hiệu")),
            ("url", text("Đường dẫn văn bản")),
            ("summary", text("Tóm tắt")),
            (
                "reporting_from",
                text("Kỳ báo cáo đầu tiên của văn bản này, ví dụ 2025-07"),
            ),
            (
                "implements",
                json!({
                    "description": "Văn bản mà kế hoạch này thực hiện: mã một kế hoạch của cổng, hoặc { title, url } của văn bản bên ngoài",
                    "anyOf": [
                        {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"},
                        {
                            "type": "object",
                            "additionalProperties": false,
                            "required": ["title"],
                            "properties": {
                                "title": {"type": "string", "description": "Tên văn bản"},
                                "url": {"type": "string", "description": "Đường dẫn văn bản"}
                            }
                        }
                    ]
                }),
            ),
            ("tasks", list(task, "Các nhiệm vụ")),
        ],
        &["id", "title", "issued"],
    )
}

fn kpis() -> Value {
    let point = object(
        &[("date", date("Ngày")), ("value", number("Giá trị"))],
        &["date", "value"],
    );
    let kpi = object(
        &[
            ("id", id("Mã chỉ số")),
            ("name", text("Tên chỉ số")),
            ("name_en", text("Tên bằng tiếng Anh")),
            ("description", text("Mô tả")),
            ("unit", text("Đơn vị, ví dụ %")),
            ("target", number("Mục tiêu")),
            ("direction", keyword(&["up", "down"], "Chiều tốt")),
            ("baseline", point),
            ("deadline", deadline("Hạn đạt mục tiêu")),
            ("owner", id("Cơ quan theo dõi")),
            ("tasks", list(id("Nhiệm vụ"), "Nhiệm vụ liên quan")),
            ("ref", text("Số mục trong văn bản")),
            ("unit_en", text("Đơn vị bằng tiếng Anh")),
            ("definition", text("Định nghĩa (Markdown)")),
            ("definition_en", text("Định nghĩa bằng tiếng Anh")),
            ("formula", text("Công thức tính")),
            ("source", text("Nguồn số liệu")),
            (
                "frequency",
                keyword(&crate::model::Frequency::ALL.map(|(c, _)| c), "Tần suất đo"),
            ),
            (
                "framework",
                list(
                    object(
                        &[
                            ("name", text("Tên bộ chỉ số")),
                            ("code", text("Mã chỉ số trong bộ")),
                        ],
                        &["name"],
                    ),
                    "Các bộ chỉ số quốc gia mà chỉ tiêu này đóng góp (DTI, PII...)",
                ),
            ),
        ],
        &["id", "name", "unit", "target", "deadline", "owner"],
    );
    object(&[("kpis", list(kpi, "Các chỉ số"))], &[])
}

fn report() -> Value {
    let states: Vec<&str> = crate::model::TaskState::ALL
        .iter()
        .map(|(c, _)| *c)
        .collect();
    let update = object(
        &[
            ("task", id("Mã nhiệm vụ")),
            ("progress", number("Tiến độ, phần trăm 0..100")),
            ("state", keyword(&states, "Tình trạng")),
            ("note", text("Ghi chú (Markdown)")),
            ("note_en", text("Ghi chú bằng tiếng Anh (Markdown)")),
            ("evidence", text("Đường dẫn văn bản minh chứng")),
            ("done_on", date("Ngày hoàn thành, bắt buộc khi done")),
            (
                "reopened",
                text("Lý do làm lại nhiệm vụ đã báo cáo hoàn thành"),
            ),
            (
                "outlook",
                keyword(
                    &crate::model::Outlook::ALL.map(|(c, _)| c),
                    "Cơ quan tự đánh giá khả năng kịp hạn",
                ),
            ),
        ],
        &["task", "state"],
    );
    let value = object(
        &[
            ("kpi", id("Mã chỉ số")),
            ("date", date("Ngày đo")),
            ("value", number("Giá trị")),
            ("note", text("Ghi chú")),
        ],
        &["kpi", "date", "value"],
    );
    let proposal = object(
        &[
            (
                "id",
                id("Mã kiến nghị, duy nhất trong các kiến nghị của cơ quan"),
            ),
            (
                "kind",
                keyword(
                    &crate::model::ProposalKind::ALL.map(|(c, _)| c),
                    "difficulty: khó khăn, vướng mắc; proposal: kiến nghị, đề xuất",
                ),
            ),
            ("to", id("Mã cơ quan được kiến nghị")),
            ("task", id("Mã nhiệm vụ liên quan")),
            ("text", text("Nội dung (Markdown)")),
            ("text_en", text("Nội dung bằng tiếng Anh")),
            (
                "reply_by",
                date("Hạn trả lời; mặc định: ngày báo cáo của tháng sau"),
            ),
        ],
        &["id", "kind", "to", "text"],
    );
    let reply = object(
        &[
            (
                "to",
                json!({"type": "string", "pattern": "^[a-z0-9-]+/[a-z0-9-]+$", "description": "Kiến nghị được trả lời: mã-cơ-quan/mã-kiến-nghị"}),
            ),
            ("text", text("Nội dung trả lời (Markdown)")),
            ("text_en", text("Nội dung trả lời bằng tiếng Anh")),
            (
                "resolved",
                json!({"type": "boolean", "description": "true: vấn đề đã được giải quyết"}),
            ),
        ],
        &["to", "text"],
    );
    object(
        &[
            ("agency", id("Mã cơ quan, trùng tên tệp")),
            (
                "period",
                json!({"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$", "description": "Kỳ báo cáo YYYY-MM, trùng tên thư mục"}),
            ),
            ("submitted", date("Ngày gửi báo cáo")),
            ("summary", text("Tóm tắt")),
            ("updates", list(update, "Cập nhật từng nhiệm vụ")),
            ("kpi_values", list(value, "Số liệu chỉ số")),
            (
                "proposals",
                list(proposal, "Khó khăn, vướng mắc, kiến nghị nêu trong báo cáo"),
            ),
            ("replies", list(reply, "Trả lời các kiến nghị gửi cơ quan")),
        ],
        &["agency", "period", "submitted"],
    )
}

fn news() -> Value {
    object(
        &[
            ("title", text("Tiêu đề")),
            ("date", date("Ngày đăng")),
            ("summary", text("Tóm tắt")),
            ("tags", list(text("Nhãn"), "Nhãn")),
            ("tasks", list(id("Nhiệm vụ"), "Nhiệm vụ liên quan")),
            ("kpis", list(id("Chỉ số"), "Chỉ số liên quan")),
            ("image", text("Ảnh, ví dụ /anh/a.jpg")),
            ("image_alt", text("Mô tả ảnh, bắt buộc khi có ảnh")),
            ("author", text("Tác giả")),
            (
                "draft",
                json!({"type": "boolean", "description": "true: bản nháp, không đăng"}),
            ),
        ],
        &["title", "date"],
    )
}

fn page() -> Value {
    object(
        &[
            ("title", text("Tiêu đề")),
            ("menu", number("Thứ tự trong menu chính")),
            ("description", text("Mô tả")),
        ],
        &["title"],
    )
}

/// Every schema: (file name, JSON text), in a fixed order.
pub fn schemas() -> Vec<(String, String)> {
    [
        top("site", "tiendo: content/site.yaml", site()),
        top("agencies", "tiendo: content/agencies.yaml", agencies()),
        top("plan", "tiendo: content/plans/*.yaml", plan()),
        top("kpis", "tiendo: content/kpis.yaml", kpis()),
        top(
            "report",
            "tiendo: content/reports/YYYY-MM/<agency>.yaml",
            report(),
        ),
        top("news", "tiendo: front matter of content/news/*.md", news()),
        top("page", "tiendo: front matter of content/pages/*.md", page()),
    ]
    .into_iter()
    .map(|(name, v)| {
        let text = serde_json::to_string_pretty(&v).unwrap_or_default() + "\n";
        (name, text)
    })
    .collect()
}

/// The schema kind of a YAML file of the content, by its path relative to
/// the site root.
pub fn kind_of(path: &str) -> Option<&'static str> {
    match path {
        "content/site.yaml" => Some("site"),
        "content/agencies.yaml" => Some("agencies"),
        "content/kpis.yaml" => Some("kpis"),
        p if p.starts_with("content/plans/") && p.ends_with(".yaml") => Some("plan"),
        p if p.starts_with("content/reports/") && p.ends_with(".yaml") => Some("report"),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
