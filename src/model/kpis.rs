//! kpis.yaml, and the fit of a reported value to its KPI (unit, range,
//! a likely fraction or misplaced decimal point).

use super::*;

pub(super) fn kpis(
    m: &mut Model,
    src: &Source<RawKpis>,
    task_ids: &HashMap<String, Loc>,
    diags: &mut Diagnostics,
) {
    let mut cx = Cx::new(src, m, diags);
    for k in src.doc.kpis.iter().flatten() {
        let loc = cx.loc(k);
        let r = &k.value;
        let what = "what.a_kpi";
        let id = cx.id(&r.id, &loc, what);
        let name = cx.required(&r.name, "name", &loc, what);
        let unit = cx.required(&r.unit, "unit", &loc, what);
        let target = cx
            .present(&r.target, "target", &loc, what, None)
            .and_then(|v| cx.number(v, "target"));
        let direction = match &r.direction {
            Some(v) => cx.keyword(
                v,
                "direction",
                &[("up", Direction::Up), ("down", Direction::Down)],
            ),
            None => Some(Direction::Up),
        };
        let deadline = match &r.deadline {
            Some(v) => cx.deadline(v).and_then(|d| {
                if d.is_recurring() {
                    let at = cx.loc(v);
                    cx.err(at, msg!("kpi.recurring_deadline"));
                    None
                } else {
                    Some(d)
                }
            }),
            None => {
                cx.err(
                    loc.clone(),
                    msg!(
                        "key.missing",
                        what = word(what),
                        key = "deadline",
                        hint = Maybe(None)
                    ),
                );
                None
            }
        };
        let owner = cx
            .present(&r.owner, "owner", &loc, what, Some(msg!("hint.kpi_owner")))
            .and_then(|v| cx.reference(v, "agency", &m.agency_ix));
        let baseline = r.baseline.as_ref().and_then(|b| {
            let bloc = cx.loc(b);
            let date = cx.required_date(&b.value.date, "date", &bloc, "what.baseline");
            let value = cx
                .present(&b.value.value, "value", &bloc, "what.baseline", None)
                .and_then(|v| cx.number(v, "baseline value"));
            Some((date?, value?))
        });
        let tasks = cx.references(&r.tasks, "task", task_ids);
        let (
            Some(id),
            Some(name),
            Some(unit),
            Some(target),
            Some(direction),
            Some(deadline),
            Some(owner),
        ) = (id, name, unit, target, direction, deadline, owner)
        else {
            continue;
        };
        if m.kpi_ix.contains_key(&id) {
            continue; // reported by collect_ids
        }
        m.kpi_ix.insert(id.clone(), m.kpis.len());
        m.kpis.push(Kpi {
            id,
            name,
            name_en: cx.text(&r.name_en),
            description: cx.text(&r.description),
            reference: cx.text(&r.reference),
            unit,
            target,
            direction,
            baseline,
            deadline,
            owner,
            tasks,
            loc,
        });
    }
}

/// A value off by this factor from the KPI's baseline is probably a typo
/// (a misplaced decimal point).
pub(super) const TEN_TIMES: f64 = 10.0;

/// The number fits the KPI's unit: a percentage is 0..100 and not a
/// fraction, "85%" goes only to a KPI in %, and a value ten times away from
/// the baseline gets a warning. False when the value is refused.
pub(super) fn kpi_value_fits(cx: &mut Cx, k: &Kpi, value: f64, written: &S) -> bool {
    let at = cx.loc(written);
    let percent = k.unit.trim() == "%";
    let text = written.value.trim();
    if !percent && text.ends_with('%') {
        cx.err(
            at,
            msg!(
                "kpi_value.percent_sign",
                value = text,
                kpi = &k.id,
                unit = &k.unit
            ),
        );
        return false;
    }
    if percent && value > 100.0 {
        cx.err(
            at,
            msg!("kpi_value.percent_over", value = text, kpi = &k.id),
        );
        return false;
    }
    if percent && value > 0.0 && value < 1.0 && k.target > 1.0 {
        let suggestion = format!("{}", (value * 1000.0).round() / 10.0);
        cx.err(
            at,
            msg!(
                "kpi_value.percent_fraction",
                value = text,
                kpi = &k.id,
                suggestion
            ),
        );
        return false;
    }
    if let Some((_, base)) = k.baseline
        && base.abs() > f64::EPSILON
        && value.abs() > f64::EPSILON
    {
        let ratio = value / base;
        if ratio >= TEN_TIMES || ratio <= 1.0 / TEN_TIMES {
            cx.d.warning(
                at,
                msg!(
                    "kpi_value.ten_times",
                    value = text,
                    kpi = &k.id,
                    baseline = base
                ),
            );
        }
    }
    true
}
