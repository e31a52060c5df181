//! Part of editor, a monthly report draft as YAML: line by line, each line
//! with the workbook cell it comes from ([`Origin`]), and the short
//! Vietnamese guide at the top of a new report.

use super::*;

/// Which cell of a workbook a line of report YAML comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A field of the report sheet: 0 agency, 1 period, 2 submitted, 3 summary.
    Header(usize),
    /// Update `n` (0-based), column `c` of the updates sheet.
    Update(usize, usize),
    /// KPI value `n`, column `c` of the KPI sheet.
    Kpi(usize, usize),
    /// Proposal `n`, column `c` of the proposals sheet; reply `n`, column
    /// `c` of the replies sheet.
    Proposal(usize, usize),
    Reply(usize, usize),
}

/// The comments at the top of a new report: what to fill in and how.
pub(super) const GUIDE: [&str; 5] = [
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
    threads_yaml(d, guide, &mut push);
    let mut text = String::new();
    let mut origins = Vec::new();
    for (l, o) in lines {
        let _ = writeln!(text, "{l}");
        origins.push(o);
    }
    (text, origins)
}

/// A report's `proposals:` and `replies:`; in a new report, the
/// proposals that await the agency's reply as a commented-out `replies:`
/// to fill in (a reply is never written for the editor).
fn threads_yaml(d: &ReportDraft, guide: bool, push: &mut impl FnMut(String, Option<Origin>)) {
    if !d.proposals.is_empty() {
        push("proposals:".to_string(), None);
    }
    for (n, p) in d.proposals.iter().enumerate() {
        let o = |c| Some(Origin::Proposal(n, c));
        push(format!("  - id: {}", scalar(&p.id)), o(0));
        push(format!("    kind: {}", p.kind.code()), o(1));
        push(format!("    to: {}", scalar(&p.to)), o(2));
        if let Some(t) = &p.task {
            push(format!("    task: {}", scalar(t)), o(3));
        }
        push(format!("    text: {}", scalar(&p.text)), o(4));
        if let Some(t) = &p.text_en {
            push(format!("    text_en: {}", scalar(t)), o(5));
        }
        if let Some(by) = p.reply_by {
            push(format!("    reply_by: {by}"), o(6));
        }
    }
    if !d.replies.is_empty() {
        push("replies:".to_string(), None);
    }
    for (n, r) in d.replies.iter().enumerate() {
        let o = |c| Some(Origin::Reply(n, c));
        push(format!("  - to: {}", scalar(&r.to)), o(0));
        push(format!("    text: {}", scalar(&r.text)), o(1));
        if let Some(t) = &r.text_en {
            push(format!("    text_en: {}", scalar(t)), o(2));
        }
        if r.resolved {
            push("    resolved: true".to_string(), o(3));
        }
    }
    if !guide {
        return;
    }
    push(
        "# Khó khăn, vướng mắc, kiến nghị của kỳ này: proposals: - { id, kind: difficulty | proposal, to: mã cơ quan, task, text }.".to_string(),
        None,
    );
    if d.awaiting.is_empty() {
        return;
    }
    push(
        "# Kiến nghị gửi cơ quan đang chờ trả lời: bỏ dấu # để trả lời (resolved: true khi đã giải quyết xong).".to_string(),
        None,
    );
    push("# replies:".to_string(), None);
    for a in &d.awaiting {
        push(
            format!(
                "#   - to: {}   # {}, hạn trả lời {}: {}",
                a.key,
                comment(&a.from),
                crate::date::fmt_date(a.reply_by),
                crate::text::truncate_words(&comment(&a.text), 80)
            ),
            None,
        );
        push("#     text: \"\"".to_string(), None);
    }
}
