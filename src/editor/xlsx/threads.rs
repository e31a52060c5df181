//! Part of the report workbook, difficulties and proposals both ways: the
//! sheet `Kiến nghị` (the report's own, with free rows to raise new ones)
//! and the sheet `Trả lời` (its replies, and one row offered for each
//! proposal that awaits the agency's reply, its text cell left empty: a
//! row without a text is no reply). A workbook written before these sheets
//! existed reads as a report without them.

use super::*;
use crate::model::{ProposalKind, WrittenProposal, WrittenReply};

pub const SHEET_PROPOSALS: &str = "Kiến nghị";
pub const SHEET_REPLIES: &str = "Trả lời";

/// Columns of the proposals sheet, in the order of [`Origin::Proposal`].
pub(super) const PROPOSAL_COLUMNS: [&str; 7] =
    ["id", "kind", "to", "task", "text", "text_en", "reply_by"];

/// Columns of the replies sheet, in the order of [`Origin::Reply`]; the
/// last is for the editor's information and never read back.
pub(super) const REPLY_COLUMNS: [&str; 5] = [
    "to",
    "text",
    "text_en",
    "resolved",
    "Kiến nghị được trả lời (không đọc)",
];
const REPLY_READ: u32 = 4;

/// Empty rows left open under the report's own proposals.
const FREE_ROWS: u32 = 20;

/// The words a `kind` or `resolved` cell may hold.
fn kind_of(s: &str) -> Option<ProposalKind> {
    match crate::text::fold(s).as_str() {
        "difficulty" | "kho khan" | "vuong mac" | "kho khan, vuong mac" => {
            Some(ProposalKind::Difficulty)
        }
        "proposal" | "kien nghi" | "de xuat" | "kien nghi, de xuat" => Some(ProposalKind::Proposal),
        _ => None,
    }
}

fn yes(s: &str) -> Option<bool> {
    match crate::text::fold(s).as_str() {
        "true" | "co" | "x" | "yes" | "da giai quyet" | "1" => Some(true),
        "false" | "khong" | "no" | "chua" | "0" => Some(false),
        _ => None,
    }
}

/// The two sheets of `d`, after the KPI sheet.
pub(super) fn write(wb: &mut Workbook, d: &ReportDraft, f: &Formats) -> Result<(), String> {
    let dates = date_rule()?;
    let ws = wb.add_worksheet();
    ws.set_name(SHEET_PROPOSALS).map_err(xerr)?;
    header(ws, &PROPOSAL_COLUMNS, &f.head)?;
    for (c, w) in [22, 12, 18, 22, 50, 40, 12].iter().enumerate() {
        ws.set_column_width(c as u16, *w).map_err(xerr)?;
    }
    for (n, p) in d.proposals.iter().enumerate() {
        let r = n as u32 + 1;
        text(ws, r, 0, Some(&p.id), &f.open)?;
        text(ws, r, 1, Some(p.kind.code()), &f.open)?;
        text(ws, r, 2, Some(&p.to), &f.open)?;
        text(ws, r, 3, p.task.as_deref(), &f.open)?;
        text(ws, r, 4, Some(&p.text), &f.open)?;
        text(ws, r, 5, p.text_en.as_deref(), &f.open)?;
        date(ws, r, 6, p.reply_by, &f.date)?;
    }
    let last = d.proposals.len() as u32 + FREE_ROWS;
    for r in d.proposals.len() as u32 + 1..=last {
        for c in 0..6 {
            text(ws, r, c, None, &f.open)?;
        }
        date(ws, r, 6, None, &f.date)?;
    }
    let kinds = DataValidation::new()
        .allow_list_strings(&ProposalKind::ALL.map(|(c, _)| c))
        .and_then(|v| v.set_error_title("Loại"))
        .and_then(|v| {
            v.set_error_message("difficulty: khó khăn, vướng mắc; proposal: kiến nghị, đề xuất.")
        })
        .map_err(xerr)?;
    ws.add_data_validation(1, 1, last, 1, &kinds)
        .map_err(xerr)?;
    ws.add_data_validation(1, 6, last, 6, &dates)
        .map_err(xerr)?;
    ws.protect();

    let ws = wb.add_worksheet();
    ws.set_name(SHEET_REPLIES).map_err(xerr)?;
    header(ws, &REPLY_COLUMNS, &f.head)?;
    for (c, w) in [30, 50, 40, 12, 60].iter().enumerate() {
        ws.set_column_width(c as u16, *w).map_err(xerr)?;
    }
    let mut r = 1;
    for reply in &d.replies {
        text(ws, r, 0, Some(&reply.to), &f.open)?;
        text(ws, r, 1, Some(&reply.text), &f.open)?;
        text(ws, r, 2, reply.text_en.as_deref(), &f.open)?;
        text(
            ws,
            r,
            3,
            Some(if reply.resolved { "có" } else { "không" }),
            &f.open,
        )?;
        text(ws, r, 4, None, &f.locked)?;
        r += 1;
    }
    for a in &d.awaiting {
        text(ws, r, 0, Some(&a.key), &f.open)?;
        for c in 1..4 {
            text(ws, r, c, None, &f.open)?;
        }
        let about = format!(
            "{} (hạn trả lời {}): {}",
            a.from,
            crate::date::fmt_date(a.reply_by),
            a.text
        );
        text(ws, r, 4, Some(&about), &f.locked)?;
        r += 1;
    }
    let yes_no = DataValidation::new()
        .allow_list_strings(&["có", "không"])
        .and_then(|v| v.set_error_title("Đã giải quyết"))
        .and_then(|v| {
            v.set_error_message(
                "có: vấn đề đã được giải quyết; không: đã trả lời, chưa giải quyết xong.",
            )
        })
        .map_err(xerr)?;
    let last = r + FREE_ROWS;
    for row in r..=last {
        for c in 0..4 {
            text(ws, row, c, None, &f.open)?;
        }
    }
    ws.add_data_validation(1, 3, last, 3, &yes_no)
        .map_err(xerr)?;
    ws.protect();
    Ok(())
}

/// The report's proposals and replies, from their sheets when the
/// workbook has them, with the rows they came from.
pub(super) fn read(
    wb: &mut Book<'_>,
    rows: &mut super::super::SourceRows,
    errs: &mut Vec<CellError>,
) -> (Vec<WrittenProposal>, Vec<WrittenReply>) {
    use calamine::Reader;
    let names = wb.sheet_names();
    let has = |n: &str| names.iter().any(|s| s == n);
    let proposals = if has(SHEET_PROPOSALS) {
        read_grid(wb, SHEET_PROPOSALS, errs)
            .map(|g| read_proposals(&g, &mut rows.proposals, errs))
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let replies = if has(SHEET_REPLIES) {
        read_grid(wb, SHEET_REPLIES, errs)
            .map(|g| read_replies(&g, &mut rows.replies, errs))
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    (proposals, replies)
}

fn read_proposals(
    g: &Grid,
    rows: &mut Vec<u32>,
    errs: &mut Vec<CellError>,
) -> Vec<WrittenProposal> {
    let n = PROPOSAL_COLUMNS.len() as u32;
    merged_errors(g, 0..n, errs);
    unread_errors(g, |_, c| c < n, errs);
    let mut out = Vec::new();
    for row in 1..=g.last_row() {
        if (0..n).all(|c| g.cell(row, c).is_none()) {
            continue;
        }
        let at = |c: u32| g.at(row, c);
        let cells: Vec<Option<String>> =
            (0..6).map(|c| cell_text(value(g, row, c, errs))).collect();
        let reply_by_cell = value(g, row, 6, errs).clone();
        let reply_by = cell_date(&reply_by_cell, &at(6), errs);
        if cells.iter().all(Option::is_none) && reply_by.is_none() {
            continue;
        }
        let mut missing = false;
        for (c, key) in [(0, "id"), (1, "kind"), (2, "to"), (4, "text")] {
            if cells[c as usize].is_none() {
                errs.push(CellError {
                    cell: at(c),
                    message: msg!("xlsx.proposal_missing", key),
                });
                missing = true;
            }
        }
        let kind = cells[1].as_deref().and_then(|k| {
            let kind = kind_of(k);
            if kind.is_none() {
                errs.push(CellError {
                    cell: at(1),
                    message: msg!("xlsx.proposal_kind", value = k),
                });
            }
            kind
        });
        let (Some(id), Some(kind), Some(to), Some(text), false) = (
            cells[0].clone(),
            kind,
            cells[2].clone(),
            cells[4].clone(),
            missing,
        ) else {
            continue;
        };
        rows.push(row);
        out.push(WrittenProposal {
            id,
            kind,
            to,
            task: cells[3].clone(),
            text,
            text_en: cells[5].clone(),
            reply_by,
        });
    }
    out
}

fn read_replies(g: &Grid, rows: &mut Vec<u32>, errs: &mut Vec<CellError>) -> Vec<WrittenReply> {
    merged_errors(g, 0..REPLY_READ, errs);
    unread_errors(g, |_, c| (c as usize) < REPLY_COLUMNS.len(), errs);
    let mut out = Vec::new();
    for row in 1..=g.last_row() {
        let at = |c: u32| g.at(row, c);
        let cells: Vec<Option<String>> = (0..REPLY_READ)
            .map(|c| cell_text(value(g, row, c, errs)))
            .collect();
        let (to, text) = (cells[0].clone(), cells[1].clone());
        // A row offered for a reply and left without a text is no reply.
        let Some(text) = text else {
            if to.is_none() && (cells[2].is_some() || cells[3].is_some()) {
                errs.push(CellError {
                    cell: at(1),
                    message: msg!("xlsx.proposal_missing", key = "text"),
                });
            }
            continue;
        };
        let Some(to) = to else {
            errs.push(CellError {
                cell: at(0),
                message: msg!("xlsx.proposal_missing", key = "to"),
            });
            continue;
        };
        let resolved = match cells[3].as_deref() {
            None => false,
            Some(s) => yes(s).unwrap_or_else(|| {
                errs.push(CellError {
                    cell: at(3),
                    message: msg!("xlsx.reply_resolved", value = s),
                });
                false
            }),
        };
        rows.push(row);
        out.push(WrittenReply {
            to,
            text,
            text_en: cells[2].clone(),
            resolved,
        });
    }
    out
}
