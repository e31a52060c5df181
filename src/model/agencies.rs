//! agencies.yaml: working groups, agencies and their lineage (merged,
//! renamed, dissolved), checked for loops.

use super::*;

pub(super) fn agencies(m: &mut Model, src: &Source<RawAgencies>, diags: &mut Diagnostics) {
    let mut cx = Cx::new(src, m, diags);
    groups(m, &mut cx, src);
    let raw_successions = agency_list(m, &mut cx, src);
    successions(m, &mut cx, raw_successions);
    break_cycles(m, &mut cx);
}

fn groups(m: &mut Model, cx: &mut Cx, src: &Source<RawAgencies>) {
    for g in src.doc.groups.iter().flatten() {
        let loc = cx.loc(g);
        let what = "what.a_group";
        let id = cx.id(&g.value.id, &loc, what);
        let name = cx.required(&g.value.name, "name", &loc, what);
        let (Some(id), Some(name)) = (id, name) else {
            continue;
        };
        if let Some(&i) = m.group_ix.get(&id) {
            let first = m.groups[i].loc.clone();
            cx.err(
                g.value.id.as_ref().map_or(loc.clone(), |v| cx.loc(v)),
                msg!("id.duplicate", what = word("what.group"), id, first),
            );
            continue;
        }
        m.group_ix.insert(id.clone(), m.groups.len());
        m.groups.push(Group {
            id,
            name,
            name_en: cx.text(&g.value.name_en),
            leader: cx.text(&g.value.leader),
            leader_en: cx.text(&g.value.leader_en),
            description: cx.text(&g.value.description),
            loc,
        });
    }
}

/// Every agency, without its lineage: first every id, so that successors
/// may be listed after their predecessors. Returns each agency's index and
/// raw entry, for its lineage.
fn agency_list<'r>(
    m: &mut Model,
    cx: &mut Cx,
    src: &'r Source<RawAgencies>,
) -> Vec<(usize, &'r RawAgency)> {
    let mut raw_successions = Vec::new();
    for a in src.doc.agencies.iter().flatten() {
        let loc = cx.loc(a);
        let what = "what.an_agency";
        let r = &a.value;
        let id = cx.id(&r.id, &loc, what);
        let name = cx.required(&r.name, "name", &loc, what);
        let kind = cx
            .present(&r.kind, "kind", &loc, what, Some(msg!("hint.agency_kinds")))
            .and_then(|k| cx.keyword(k, "kind", &AgencyKind::ALL));
        let group = r
            .group
            .as_ref()
            .and_then(|g| cx.reference(g, "working group", &m.group_ix));
        let (Some(id), Some(name), Some(kind)) = (id, name, kind) else {
            continue;
        };
        if let Some(&i) = m.agency_ix.get(&id) {
            let first = m.agencies[i].loc.clone();
            cx.err(
                r.id.as_ref().map_or(loc.clone(), |v| cx.loc(v)),
                msg!("id.duplicate", what = word("what.agency"), id, first),
            );
            continue;
        }
        m.agency_ix.insert(id.clone(), m.agencies.len());
        raw_successions.push((m.agencies.len(), r));
        m.agencies.push(Agency {
            id,
            name,
            short: cx.text(&r.short),
            name_en: cx.text(&r.name_en),
            kind,
            group,
            url: cx.link(&r.url, "url"),
            succession: None,
            loc,
        });
    }
    raw_successions
}

/// Each agency's end (merged, renamed, dissolved), checked.
fn successions(m: &mut Model, cx: &mut Cx, raw_successions: Vec<(usize, &RawAgency)>) {
    for (i, r) in raw_successions {
        let ends = [
            r.merged_into.as_ref().map(|s| {
                (
                    SuccessionKind::Merged,
                    "merged_into",
                    cx.loc(s),
                    s.value.agency.as_ref(),
                    s.value.date.as_ref(),
                )
            }),
            r.renamed_to.as_ref().map(|s| {
                (
                    SuccessionKind::Renamed,
                    "renamed_to",
                    cx.loc(s),
                    s.value.agency.as_ref(),
                    s.value.date.as_ref(),
                )
            }),
            r.dissolved.as_ref().map(|s| {
                (
                    SuccessionKind::Dissolved,
                    "dissolved",
                    cx.loc(s),
                    None,
                    s.value.date.as_ref(),
                )
            }),
        ];
        let ends: Vec<_> = ends.into_iter().flatten().collect();
        if ends.len() > 1 {
            let loc = ends[1].2.clone();
            cx.err(loc, msg!("agency.ends_twice"));
            continue;
        }
        let Some((kind, key, loc, to, date)) = ends.into_iter().next() else {
            continue;
        };
        let to = match (kind, to) {
            (SuccessionKind::Dissolved, _) => None,
            (_, Some(to)) => match cx.reference(to, "agency", &m.agency_ix) {
                Some(t) => Some(t),
                None => continue,
            },
            (_, None) => {
                cx.err(loc, msg!("agency.lineage_no_agency", key));
                continue;
            }
        };
        let Some(date) = (match date {
            Some(d) => cx.date(d),
            None => {
                cx.err(loc.clone(), msg!("agency.lineage_no_date", key));
                None
            }
        }) else {
            continue;
        };
        m.agencies[i].succession = Some(Succession {
            kind,
            to,
            date,
            loc,
        });
    }
}

/// A lineage that loops would leave no agency to answer: reported, and
/// the lineage of every agency on the loop dropped.
fn break_cycles(m: &mut Model, cx: &mut Cx) {
    for start in 0..m.agencies.len() {
        let mut path = vec![m.agencies[start].id.clone()];
        let mut current = start;
        while let Some(Succession { to: Some(to), .. }) = &m.agencies[current].succession {
            if *to == m.agencies[start].id {
                path.push(to.clone());
                let loc = m.agencies[start]
                    .succession
                    .as_ref()
                    .map_or(m.agencies[start].loc.clone(), |s| s.loc.clone());
                cx.err(loc, msg!("agency.cycle", path = path.join(" -> ")));
                break;
            }
            if path.contains(to) || path.len() > m.agencies.len() {
                break;
            }
            path.push(to.clone());
            match m.agency_ix.get(to) {
                Some(&next) => current = next,
                None => break,
            }
        }
    }
    let cycles: HashSet<usize> = (0..m.agencies.len())
        .filter(|&i| {
            let mut seen = HashSet::new();
            let mut cur = i;
            loop {
                if !seen.insert(cur) {
                    return true;
                }
                match &m.agencies[cur].succession {
                    Some(Succession { to: Some(to), .. }) => match m.agency_ix.get(to) {
                        Some(&n) => cur = n,
                        None => return false,
                    },
                    _ => return false,
                }
            }
        })
        .collect();
    for i in cycles {
        m.agencies[i].succession = None;
    }
}

/// The agency's end as a sentence, for a report submitted after it.
pub(super) fn ended(m: &Model, id: &str) -> Message {
    let Some(s) = m.agency(id).and_then(|a| a.succession.as_ref()) else {
        return msg!("agency.not_holder", id);
    };
    let date = fmt_date(s.date);
    match (&s.kind, &s.to) {
        (SuccessionKind::Merged, Some(to)) => msg!("agency.merged_reports", id, to, date),
        (SuccessionKind::Renamed, Some(to)) => msg!("agency.renamed_reports", id, to, date),
        _ => msg!("agency.dissolved_reports", id, date),
    }
}

/// An agency's end checked against the plans: merging into (or renamed as)
/// an agency already dissolved leaves its duties with no one (an error);
/// an end before every plan was issued, of an agency the plans still name,
/// is most likely a year typo (a warning). Each at the end's line in
/// agencies.yaml, not at every report it touches.
pub(super) fn lineage_against_plans(m: &Model, diags: &mut Diagnostics) {
    let first_issued = m.plans.iter().map(|p| p.issued).min();
    let named: HashSet<&str> = m
        .tasks
        .iter()
        .flat_map(|t| t.lead.iter().chain(&t.support))
        .chain(m.kpis.iter().map(|k| &k.owner))
        .map(String::as_str)
        .collect();
    for a in &m.agencies {
        let Some(end) = &a.succession else { continue };
        if let Some(to) = &end.to
            && let Some(Succession {
                kind: SuccessionKind::Dissolved,
                date: gone,
                ..
            }) = m.agency(to).and_then(|t| t.succession.as_ref())
            && *gone <= end.date
        {
            diags.error(
                end.loc.clone(),
                msg!(
                    "agency.into_dissolved",
                    id = &a.id,
                    to,
                    dissolved = fmt_date(*gone),
                    date = fmt_date(end.date)
                ),
            );
        }
        if let Some(first) = first_issued
            && end.date < first
            && named.contains(a.id.as_str())
        {
            diags.warning(
                end.loc.clone(),
                msg!(
                    "agency.ended_before_plans",
                    id = &a.id,
                    date = fmt_date(end.date),
                    issued = fmt_date(first)
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{run, said};

    const AGENCIES: &str = "agencies:\n  - id: so-mot\n    name: Sở Một\n    kind: department\n  - id: so-hai\n    name: Sở Hai\n    kind: department\n    dissolved: { date: 2025-02-01 }\n  - id: so-cu\n    name: Sở Cũ\n    kind: department\n    merged_into: { agency: so-hai, date: 2025-03-01 }\n";

    #[test]
    fn merging_into_a_dissolved_agency_is_refused_at_the_merger() {
        let (_, lines) = run(&[("content/agencies.yaml", AGENCIES)]);
        assert!(
            said(
                &lines,
                &[
                    "agencies.yaml:12:18: error",
                    "`so-hai` was dissolved on 01/02/2025"
                ]
            ),
            "{lines:#?}"
        );
    }

    #[test]
    fn an_end_before_every_plan_of_an_agency_the_plans_name_is_doubted() {
        let agencies = "agencies:\n  - id: so-mot\n    name: Sở Một\n    kind: department\n  - id: so-hai\n    name: Sở Hai\n    kind: department\n  - id: so-cu\n    name: Sở Cũ\n    kind: department\n    merged_into: { agency: so-mot, date: 2015-03-01 }\n";
        let (_, lines) = run(&[("content/agencies.yaml", agencies)]);
        assert!(
            said(
                &lines,
                &["agencies.yaml:11:18: warning", "before any plan was issued"]
            ),
            "{lines:#?}"
        );
        // The minimal site's merger (after its plan) is not doubted.
        let (_, lines) = run(&[]);
        assert!(!said(&lines, &["agencies.yaml"]), "{lines:#?}");
    }
}
