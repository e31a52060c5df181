//! Part of editor, a corrected report written over the one it replaces,
//! changing only the values that changed: comments, order, quoting and
//! layout stay as the editor left them, and the result must read back as
//! the draft.

use super::*;

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
pub(super) fn apply_edits(
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
pub(super) fn num_same(s: &load::raw::S, new: f64) -> bool {
    s.value
        .trim()
        .trim_end_matches('%')
        .trim()
        .replace(',', ".")
        .parse::<f64>()
        .is_ok_and(|x| x == new)
}

/// Whether a YAML date is `new`.
pub(super) fn date_same(s: &load::raw::S, new: Date) -> bool {
    crate::date::parse_date(&s.value).is_ok_and(|x| x == new)
}

/// Whether `text` reads back as the draft: the same submission day,
/// summary, updates and KPI values (in-place edits are checked, never
/// trusted).
pub(super) fn reads_back(rel: &str, text: &str, d: &ReportDraft) -> bool {
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
        && threads_read_back(&back, d)
}

/// Whether the proposals and replies read back are the draft's, value for
/// value (an in-place edit never touches them: a workbook that changed
/// them has its report written anew).
fn threads_read_back(back: &load::raw::RawReport, d: &ReportDraft) -> bool {
    let text = |s: &Option<load::raw::S>| s.as_ref().map(|s| s.value.trim().to_string());
    let proposals: Vec<_> = back.proposals.iter().flatten().collect();
    let replies: Vec<_> = back.replies.iter().flatten().collect();
    proposals.len() == d.proposals.len()
        && replies.len() == d.replies.len()
        && proposals.iter().zip(&d.proposals).all(|(o, n)| {
            let o = &o.value;
            text(&o.id).as_deref() == Some(n.id.as_str())
                && text(&o.kind).map(|k| k.to_lowercase()).as_deref() == Some(n.kind.code())
                && text(&o.to).as_deref() == Some(n.to.as_str())
                && text(&o.task) == n.task
                && text(&o.text).as_deref() == Some(n.text.trim())
                && text(&o.text_en) == n.text_en
                && o.reply_by
                    .as_ref()
                    .map(|s| crate::date::parse_date(&s.value).ok())
                    == n.reply_by.map(Some)
        })
        && replies.iter().zip(&d.replies).all(|(o, n)| {
            let o = &o.value;
            text(&o.to).as_deref() == Some(n.to.as_str())
                && text(&o.text).as_deref() == Some(n.text.trim())
                && text(&o.text_en) == n.text_en
                && o.resolved.as_ref().is_some_and(|r| r.value) == n.resolved
        })
}

/// The length in bytes of the YAML scalar at the start of `s`, when it
/// ends on its line: a quoted scalar to its closing quote, a plain one to
/// a comment, a `,`, `}` or `]` in a flow collection, or the end of the line.
pub(super) fn scalar_len(s: &str, flow: bool) -> Option<usize> {
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
