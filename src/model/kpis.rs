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
        if let (Some(target), Some(direction), Some((_, base)), Some(at)) =
            (target, direction, baseline, &r.target)
        {
            target_behind_baseline(&mut cx, target, direction, base, at);
        }
        let tasks = cx.task_references(r.tasks.as_deref().unwrap_or_default(), m, task_ids);
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
            meta: KpiMeta {
                unit_en: cx.text(&r.unit_en),
                definition: cx.text(&r.definition),
                definition_en: cx.text(&r.definition_en),
                formula: cx.text(&r.formula),
                source: cx.text(&r.source),
                frequency: r
                    .frequency
                    .as_ref()
                    .and_then(|f| cx.keyword(f, "frequency", &Frequency::ALL)),
                framework: r
                    .framework
                    .iter()
                    .flatten()
                    .filter_map(|f| {
                        let at = cx.loc(f);
                        let name = cx.required(&f.value.name, "name", &at, "what.framework");
                        Some((name?, cx.text(&f.value.code)))
                    })
                    .collect(),
            },
            loc,
        });
    }
}

/// A target already met by the baseline: the KPI reads reached from its
/// start. Right for a level to keep (a floor, a ceiling); wrong when the
/// direction was forgotten (a rate to bring down, written without
/// `direction: down`). A warning at `target`.
fn target_behind_baseline(cx: &mut Cx, target: f64, direction: Direction, base: f64, at: &S) {
    let message = match direction {
        Direction::Up if target < base => {
            msg!("kpi.target_below_baseline", target, baseline = base)
        }
        Direction::Down if target > base => {
            msg!("kpi.target_above_baseline", target, baseline = base)
        }
        _ => return,
    };
    let loc = cx.loc(at);
    cx.d.warning(loc, message);
}

/// A value this many times away from every other point of its KPI's
/// series and from the target is probably a typo (a misplaced decimal
/// point).
pub(super) const TEN_TIMES: f64 = 10.0;

/// The number fits the KPI's unit: a percentage is 0..100, and "85%" goes
/// only to a KPI in %. False when the value is refused. A fraction written
/// for a percentage and a misplaced decimal point are judged against the
/// whole series, once every report is read ([`series_checks`]).
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
    true
}

/// A reported KPI value as written, kept to judge it against the KPI's
/// whole series once every report is read.
pub(super) struct SaidValue {
    pub(super) kpi: usize,
    pub(super) date: Date,
    pub(super) value: f64,
    pub(super) written: String,
    /// Where the number is written.
    pub(super) at: Loc,
    /// When dated before the month before its report's period: that
    /// period, and where the date is written.
    pub(super) long_before: Option<(Period, Loc)>,
}

/// The checks of each value against its KPI's series: the baseline, every
/// other reported value and the target.
///
/// - A percentage under 1 is a fraction (0.782 for 78.2%) when the series
///   it belongs to lies more than ten times above it: 0.782 among values
///   near 78 is refused, 0.6 among 0.4 .. 0.9 (R&D spending, 2% of GDP) is
///   a true figure.
/// - A value ten times or more away from every other point and from the
///   target gets a warning (a misplaced decimal point); a rate falling
///   step by step towards zero always has a neighbour, so it never does.
pub(super) fn series_checks(m: &Model, mut values: Vec<SaidValue>, diags: &mut Diagnostics) {
    values.sort_by_key(|v| v.kpi);
    for group in values.chunk_by(|a, b| a.kpi == b.kpi) {
        let k = &m.kpis[group[0].kpi];
        let mut points: Vec<f64> = group.iter().map(|v| v.value).collect();
        points.extend(k.baseline.map(|(_, b)| b));
        points.push(k.target);
        let mut sorted: Vec<f64> = points.iter().map(|p| p.abs()).collect();
        sorted.sort_by(f64::total_cmp);
        forgotten_direction(k, group, diags);
        for v in group {
            long_before_period(v, group, diags);
            if is_fraction(k, v.value, &sorted) {
                let suggestion = format!("{}", (v.value * 1000.0).round() / 10.0);
                diags.error(
                    v.at.clone(),
                    msg!(
                        "kpi_value.percent_fraction",
                        value = &v.written,
                        kpi = &k.id,
                        suggestion
                    ),
                );
            } else if let Some(nearest) = far_from_all(v.value, &sorted) {
                diags.warning(
                    v.at.clone(),
                    msg!(
                        "kpi_value.ten_times_series",
                        value = &v.written,
                        kpi = &k.id,
                        nearest
                    ),
                );
            }
        }
    }
}

/// A value dated before the month before its report's period: an old
/// figure given late (a warning), or a date typo. When another report
/// gave another figure for that day, this one would silently replace it
/// on the chart: an error.
fn long_before_period(v: &SaidValue, group: &[SaidValue], diags: &mut Diagnostics) {
    let Some((period, at)) = &v.long_before else {
        return;
    };
    let replaced = group.iter().find(|o| {
        o.date == v.date && o.at.file != v.at.file && (o.value - v.value).abs() > f64::EPSILON
    });
    match replaced {
        Some(old) => diags.error(
            at.clone(),
            msg!(
                "kpi_value.replaces_old",
                date = fmt_date(v.date),
                period = *period,
                old = &old.written,
                first = &old.at
            ),
        ),
        None => diags.warning(
            at.clone(),
            msg!(
                "kpi_value.long_before_period",
                date = fmt_date(v.date),
                period = *period
            ),
        ),
    }
}

/// A KPI with no baseline that rises (`direction: up`, the default) and
/// whose values fall, from the first, towards a target below them: the
/// KPI reads reached from its first value. Most likely `direction: down`
/// was forgotten (a rate to bring down). With a baseline, the target
/// behind it is told in kpis.yaml ([`target_behind_baseline`]).
fn forgotten_direction(k: &Kpi, group: &[SaidValue], diags: &mut Diagnostics) {
    if k.direction != Direction::Up || k.baseline.is_some() {
        return;
    }
    let mut series: Vec<(Date, f64)> = group.iter().map(|v| (v.date, v.value)).collect();
    series.sort_by_key(|p| p.0);
    series.dedup_by_key(|p| p.0);
    let (Some(first), Some(last)) = (series.first(), series.last()) else {
        return;
    };
    let falling = series.len() >= 3 && series.windows(2).all(|w| w[1].1 < w[0].1);
    if falling && first.1 > k.target {
        diags.warning(
            k.loc.clone(),
            msg!(
                "kpi.values_fall",
                kpi = &k.id,
                first = first.1,
                last = last.1,
                target = k.target
            ),
        );
    }
}

/// Where one instance of `value`'s magnitude sits in `sorted` (the
/// magnitudes of a KPI's series, ascending): the first index holding it
/// and the first index after every copy of it. Sorted once per KPI, each
/// value is judged in logarithmic time (a national site reports thousands
/// of values of one KPI).
fn position(value: f64, sorted: &[f64]) -> (usize, usize) {
    let v = value.abs();
    (
        sorted.partition_point(|p| *p < v),
        sorted.partition_point(|p| *p <= v),
    )
}

/// A value of a KPI in % under 1 whose series (the other points, by their
/// median) lies more than ten times above it.
fn is_fraction(k: &Kpi, value: f64, sorted: &[f64]) -> bool {
    if k.unit.trim() != "%" || !(value > 0.0 && value < 1.0) || sorted.len() < 2 {
        return false;
    }
    // The lower median of the series without this value: index `mid`
    // among the others is `mid` or `mid + 1` in the series.
    let (at, _) = position(value, sorted);
    let mid = (sorted.len() - 2) / 2;
    let median = if mid < at {
        sorted[mid]
    } else {
        sorted[mid + 1]
    };
    median > value * TEN_TIMES
}

/// The nearest other point when every other (non-zero) point is ten times
/// or more away from `value`; `None` otherwise, or for zero.
fn far_from_all(value: f64, sorted: &[f64]) -> Option<f64> {
    let v = value.abs();
    if v <= f64::EPSILON {
        return None;
    }
    let (from, to) = position(value, sorted);
    if to - from > 1 {
        return None; // another point is the same
    }
    let below = from
        .checked_sub(1)
        .map(|i| sorted[i])
        .filter(|p| *p > f64::EPSILON);
    let above = sorted.get(to).copied();
    let ratio = |p: f64| if p > v { p / v } else { v / p };
    let nearest = match (below, above) {
        (Some(b), Some(a)) => {
            if ratio(b) <= ratio(a) {
                b
            } else {
                a
            }
        }
        (Some(p), None) | (None, Some(p)) => p,
        (None, None) => return None,
    };
    (ratio(nearest) >= TEN_TIMES).then_some(nearest)
}

#[cfg(test)]
mod tests {
    use super::super::testing::{run, said};
    use super::*;

    fn kpi(unit: &str, target: f64) -> Kpi {
        Kpi {
            id: "k".into(),
            name: "k".into(),
            name_en: None,
            description: None,
            reference: None,
            unit: unit.into(),
            target,
            direction: Direction::Up,
            baseline: None,
            deadline: crate::date::parse_deadline("2025-12-31").expect("a deadline"),
            owner: "a".into(),
            tasks: vec![],
            meta: KpiMeta::default(),
            loc: Loc::file(&Arc::from("k")),
        }
    }

    fn sorted(points: &[f64]) -> Vec<f64> {
        let mut s = points.to_vec();
        s.sort_by(f64::total_cmp);
        s
    }

    #[test]
    fn a_fraction_is_judged_from_its_own_series() {
        let series = sorted(&[50.0, 76.0, 78.0, 0.782, 90.0]);
        assert!(is_fraction(&kpi("%", 90.0), 0.782, &series));
        // R&D spending, 2% of GDP: 0.6 among 0.4 .. 0.9 is true.
        let rd = sorted(&[0.4, 0.5, 0.6, 0.9, 2.0]);
        assert!(!is_fraction(&kpi("%", 2.0), 0.6, &rd));
        // A poverty rate falling under its 1.5% target.
        let poverty = sorted(&[2.1, 1.8, 1.2, 0.9, 1.5]);
        assert!(!is_fraction(&kpi("%", 1.5), 0.9, &poverty));
        assert!(!is_fraction(&kpi("người", 90.0), 0.782, &series));
    }

    #[test]
    fn ten_times_only_when_far_from_every_point_and_the_target() {
        // A falling rate approaching zero always has a neighbour.
        let falling = sorted(&[2.1, 1.2, 0.9, 0.4, 0.2, 1.5]);
        for v in [0.9, 0.4, 0.2] {
            assert_eq!(far_from_all(v, &falling), None, "{v}");
        }
        let typo = sorted(&[500.0, 520.0, 52000.0, 600.0]);
        assert_eq!(far_from_all(52000.0, &typo), Some(600.0));
        assert_eq!(far_from_all(520.0, &typo), None);
        assert_eq!(far_from_all(0.0, &typo), None);
        // Alone with its target, or beside a copy of itself.
        assert_eq!(far_from_all(5.0, &sorted(&[5.0, 90.0])), Some(90.0));
        assert_eq!(far_from_all(5.0, &sorted(&[5.0, 5.0, 90.0])), None);
        assert_eq!(far_from_all(0.05, &sorted(&[0.0, 0.05, 0.9])), Some(0.9));
    }

    #[test]
    fn a_target_behind_the_baseline_and_values_falling_from_the_start() {
        let kpis = "kpis:\n  - id: ho-ngheo\n    name: Tỷ lệ hộ nghèo\n    unit: \"%\"\n    target: 1.5\n    baseline: { date: 2024-12-31, value: 2.1 }\n    deadline: 2025-12-31\n    owner: so-mot\n  - id: chi-tieu\n    name: Chỉ tiêu\n    unit: \"%\"\n    target: 1.5\n    deadline: 2025-12-31\n    owner: so-mot\n";
        let values = |period: &str, submitted: &str, date: &str, v: &str| {
            format!(
                "agency: so-mot\nperiod: {period}\nsubmitted: {submitted}\nkpi_values:\n  - kpi: chi-tieu\n    date: {date}\n    value: {v}\n"
            )
        };
        let (_, lines) = run(&[
            ("content/kpis.yaml", kpis),
            (
                "content/reports/2025-03/so-mot.yaml",
                &values("2025-03", "2025-03-19", "2025-02-28", "2.1"),
            ),
            (
                "content/reports/2025-04/so-mot.yaml",
                &values("2025-04", "2025-04-18", "2025-03-31", "1.9"),
            ),
            (
                "content/reports/2025-05/so-mot.yaml",
                &values("2025-05", "2025-05-18", "2025-04-30", "1.7"),
            ),
        ]);
        assert!(
            said(
                &lines,
                &[
                    "kpis.yaml:5:13: warning",
                    "target 1.5 is below the baseline (2.1)"
                ]
            ),
            "{lines:#?}"
        );
        assert!(
            said(&lines, &["kpis.yaml:9:5: warning", "fall from 2.1 to 1.7"]),
            "{lines:#?}"
        );
        // A rate to bring down whose target is above its baseline.
        let down = kpis.replace(
            "    target: 1.5\n    baseline",
            "    target: 2.5\n    direction: down\n    baseline",
        );
        let (_, lines) = run(&[("content/kpis.yaml", &down)]);
        assert!(
            said(
                &lines,
                &[
                    "kpis.yaml:5:13: warning",
                    "target 2.5 is above the baseline (2.1)"
                ]
            ),
            "{lines:#?}"
        );
        // The true direction gives neither message.
        let right = kpis.replace(
            "    target: 1.5\n    baseline",
            "    target: 1.5\n    direction: down\n    baseline",
        );
        let (_, lines) = run(&[("content/kpis.yaml", &right)]);
        assert!(!said(&lines, &["kpis.yaml:5"]), "{lines:#?}");
    }
}
