//! Part of status: KPI figures as of D. Input: the model, a KPI and D.
//! Output: [`KpiStatus`]: the points known by D, the latest value, the gap
//! to the target, the verdict from a closed set and, only while the deadline
//! is still ahead, a projection that respects the unit's bounds.

use crate::date::Date;
use crate::model::{Direction, Kpi, KpiValue, Model};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub struct KpiPoint {
    pub date: Date,
    pub value: f64,
    pub baseline: bool,
    /// Index into `Model::reports` of the report that gave the value.
    pub report: Option<usize>,
}

/// The least-squares line through the points, by date.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Trend {
    /// Change per day.
    pub slope: f64,
    /// The line's value at the KPI deadline.
    pub projected: f64,
    /// The line's value on a date, as `intercept + slope * days since the
    /// first point`.
    pub intercept: f64,
    pub first: Date,
}

impl Trend {
    pub fn at(&self, d: Date) -> f64 {
        self.intercept + self.slope * (d - self.first).num_days() as f64
    }
}

/// What the portal says of a KPI on D; exactly one holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The latest value meets the target (on or after the deadline: see
    /// [`KpiStatus::reached_on`]).
    Reached,
    /// Not reached; the deadline is ahead and the trend meets the target
    /// by then.
    OnTrack,
    /// Not reached; the deadline is ahead and the trend falls short.
    OffTrack,
    /// Not reached and the deadline has passed.
    Missed,
    /// Not reached, the deadline is ahead (or the KPI has no dated
    /// deadline), and fewer than two dated values give no trend.
    NotEnoughData,
}

impl Verdict {
    pub const ALL: [Verdict; 5] = [
        Verdict::Reached,
        Verdict::OnTrack,
        Verdict::OffTrack,
        Verdict::Missed,
        Verdict::NotEnoughData,
    ];

    /// The code used in data files, `data-verdict` and UI string keys.
    pub fn code(self) -> &'static str {
        match self {
            Verdict::Reached => "reached",
            Verdict::OnTrack => "on_track",
            Verdict::OffTrack => "off_track",
            Verdict::Missed => "missed",
            Verdict::NotEnoughData => "not_enough_data",
        }
    }
}

/// The values a KPI's unit allows: percentages stay within 0-100, every
/// KPI stays at or above 0, and counts (a unit other than `%` whose
/// target, baseline and values are all whole numbers) are whole.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    pub min: f64,
    pub max: Option<f64>,
    pub whole: bool,
    /// The unit is `%`: gaps are percentage points.
    pub percent: bool,
}

impl Scale {
    /// `v` within the bounds, and for counts rounded to a whole number on
    /// the cautious side (down for `up` KPIs, up for `down` ones).
    pub fn bound(&self, v: f64, direction: Direction) -> f64 {
        let mut v = v.max(self.min);
        if let Some(max) = self.max {
            v = v.min(max);
        }
        if self.whole {
            v = match direction {
                Direction::Up => (v + 1e-9).floor(),
                Direction::Down => (v - 1e-9).ceil(),
            };
        }
        v
    }
}

/// Where the trend is taken while the deadline is ahead.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Projection {
    /// The KPI's deadline (on or after D).
    pub deadline: Date,
    /// The trend's value on the deadline, within the unit's bounds.
    pub at_deadline: f64,
    /// For a KPI on track: the day the trend reaches the target (never
    /// before D, never after the deadline).
    pub reaches_on: Option<Date>,
    /// Where a chart stops drawing the trend: the day it reaches the
    /// target, the deadline, or the day it meets a bound, whichever comes
    /// first; with its value there.
    pub end: (Date, f64),
}

#[derive(Debug, Clone)]
pub struct KpiStatus {
    /// Baseline and reported values, by date; one per date.
    pub points: Vec<KpiPoint>,
    /// The value with the latest date (the baseline when nothing was reported).
    pub latest: Option<KpiPoint>,
    /// How far the latest value still is from the target in the KPI's
    /// direction, in the unit (percentage points for `%`); 0 once reached.
    pub gap: Option<f64>,
    pub reached: bool,
    /// When reached: the date of the first value of the run of values that
    /// meet the target up to the latest.
    pub reached_on: Option<Date>,
    /// When reached: whether that was after the dated deadline.
    pub reached_late: bool,
    /// The least-squares line through the points (the raw line); pages
    /// show [`KpiStatus::projection`] instead.
    pub trend: Option<Trend>,
    /// Only for a KPI on or off track: the trend to the deadline.
    pub projection: Option<Projection>,
    pub scale: Scale,
    pub verdict: Verdict,
    /// The agency that owns the KPI on D (through lineage); `None` once
    /// the owner was dissolved without successor.
    pub owner_on: Option<String>,
}

/// Whether `value` meets `target` in `direction`.
pub fn meets(direction: Direction, value: f64, target: f64) -> bool {
    const EPS: f64 = 1e-9;
    match direction {
        Direction::Up => value >= target - EPS,
        Direction::Down => value <= target + EPS,
    }
}

/// Least squares through (days since the first point, value). `None` with
/// fewer than two distinct dates.
pub fn least_squares(points: &[(Date, f64)]) -> Option<(f64, f64, Date)> {
    let first = points.iter().map(|p| p.0).min()?;
    let xs: Vec<f64> = points
        .iter()
        .map(|p| (p.0 - first).num_days() as f64)
        .collect();
    let n = xs.len() as f64;
    let mx = xs.iter().sum::<f64>() / n;
    let my = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = xs.iter().map(|x| (x - mx) * (x - mx)).sum();
    if sxx <= 0.0 {
        return None;
    }
    let sxy: f64 = xs
        .iter()
        .zip(points)
        .map(|(x, p)| (x - mx) * (p.1 - my))
        .sum();
    let slope = sxy / sxx;
    Some((slope, my - slope * mx, first))
}

/// The least-squares line through `points`, with its value at `deadline`.
pub fn trend(points: &[(Date, f64)], deadline: Date) -> Option<Trend> {
    least_squares(points).map(|(slope, intercept, first)| {
        let t = Trend {
            slope,
            intercept,
            first,
            projected: 0.0,
        };
        Trend {
            projected: t.at(deadline),
            ..t
        }
    })
}

/// KPI `k` as of `as_of`: its baseline and the values reported by then.
pub fn kpi_status(m: &Model, k: usize, as_of: Date) -> KpiStatus {
    let kpi = &m.kpis[k];
    let values = m.reports.iter().enumerate().flat_map(|(ri, r)| {
        r.kpi_values
            .iter()
            .filter(|v| v.kpi == kpi.id)
            .map(move |v| (ri, v))
    });
    let owner_on = m.holder_on(&kpi.owner, as_of).map(str::to_string);
    kpi_status_of(m, k, values, owner_on, as_of)
}

/// [`kpi_status`] from the KPI's values (with the index of their report,
/// in model order) and its owner on `as_of`.
pub(super) fn kpi_status_of<'a>(
    m: &'a Model,
    k: usize,
    values: impl Iterator<Item = (usize, &'a KpiValue)>,
    owner_on: Option<String>,
    as_of: Date,
) -> KpiStatus {
    let kpi = &m.kpis[k];
    // Same date twice: the later-submitted value stands (then later period,
    // then later file), and a reported value beats the baseline.
    let mut by_date: BTreeMap<Date, (KpiPoint, (Date, crate::date::Period, usize))> =
        BTreeMap::new();
    if let Some((date, value)) = kpi.baseline {
        by_date.insert(
            date,
            (
                KpiPoint {
                    date,
                    value,
                    baseline: true,
                    report: None,
                },
                (Date::MIN, crate::date::Period::of(Date::MIN), 0),
            ),
        );
    }
    for (ri, v) in values {
        let r = &m.reports[ri];
        if r.submitted > as_of {
            continue;
        }
        let key = (r.submitted, r.period, ri);
        let point = KpiPoint {
            date: v.date,
            value: v.value,
            baseline: false,
            report: Some(ri),
        };
        match by_date.get(&v.date) {
            Some((_, old)) if *old > key => {}
            _ => {
                by_date.insert(v.date, (point, key));
            }
        }
    }
    let points: Vec<KpiPoint> = by_date.into_values().map(|(p, _)| p).collect();
    let latest = points.last().cloned();
    let gap = latest.as_ref().map(|p| match kpi.direction {
        Direction::Up => (kpi.target - p.value).max(0.0),
        Direction::Down => (p.value - kpi.target).max(0.0),
    });
    let reached = latest
        .as_ref()
        .is_some_and(|p| meets(kpi.direction, p.value, kpi.target));
    let deadline = kpi.deadline.date();
    let reached_on = if reached {
        points
            .iter()
            .rev()
            .take_while(|p| meets(kpi.direction, p.value, kpi.target))
            .last()
            .map(|p| p.date)
    } else {
        None
    };
    let reached_late = matches!((reached_on, deadline), (Some(r), Some(dl)) if r > dl);
    let pairs: Vec<(Date, f64)> = points.iter().map(|p| (p.date, p.value)).collect();
    let scale = scale(kpi, &points);
    let trend = trend(&pairs, deadline.unwrap_or(as_of));
    let (verdict, projection) = judge(kpi, scale, reached, trend, deadline, as_of);
    KpiStatus {
        owner_on,
        points,
        latest,
        gap,
        reached,
        reached_on,
        reached_late,
        trend,
        projection,
        scale,
        verdict,
    }
}

/// The unit's bounds ([`Scale`]).
pub fn scale(kpi: &Kpi, points: &[KpiPoint]) -> Scale {
    let percent = kpi.unit.trim() == "%";
    let whole = |v: f64| (v - v.round()).abs() < 1e-9;
    Scale {
        min: 0.0,
        max: percent.then_some(100.0),
        whole: !percent
            && whole(kpi.target)
            && kpi.baseline.is_none_or(|(_, v)| whole(v))
            && points.iter().all(|p| whole(p.value)),
        percent,
    }
}

/// The verdict, and the projection while the deadline is ahead: reached;
/// else missed once the dated deadline has passed; else on or off track by
/// the trend's value on the deadline; else not enough data.
pub fn judge(
    kpi: &Kpi,
    scale: Scale,
    reached: bool,
    trend: Option<Trend>,
    deadline: Option<Date>,
    as_of: Date,
) -> (Verdict, Option<Projection>) {
    if reached {
        return (Verdict::Reached, None);
    }
    let Some(deadline) = deadline else {
        return (Verdict::NotEnoughData, None);
    };
    if deadline < as_of {
        return (Verdict::Missed, None);
    }
    let Some(t) = trend else {
        return (Verdict::NotEnoughData, None);
    };
    let raw = t.at(deadline);
    let on_track = meets(kpi.direction, raw, kpi.target);
    // The day the line reaches `level` (not before D), if it moves at all.
    let day_at = |level: f64| -> Option<Date> {
        if t.slope.abs() < 1e-12 {
            return None;
        }
        let days = ((level - t.intercept) / t.slope).ceil();
        if !days.is_finite() || days.abs() > 1e6 {
            return None;
        }
        let day = t
            .first
            .checked_add_signed(chrono::Duration::days(days as i64))?;
        Some(day.max(as_of))
    };
    let reaches_on = if on_track {
        day_at(kpi.target).map(|d| d.min(deadline))
    } else {
        None
    };
    // The line stops at the target, at a bound, or at the deadline.
    let mut end = match reaches_on {
        Some(d) => (d, kpi.target),
        None => (deadline, raw),
    };
    if end.1 < scale.min
        && let Some(d) = day_at(scale.min)
    {
        end = (d.min(end.0), scale.min);
    }
    if let Some(max) = scale.max
        && end.1 > max
        && let Some(d) = day_at(max)
    {
        end = (d.min(end.0), max);
    }
    let verdict = if on_track {
        Verdict::OnTrack
    } else {
        Verdict::OffTrack
    };
    (
        verdict,
        Some(Projection {
            deadline,
            at_deadline: scale.bound(raw, kpi.direction),
            reaches_on,
            end,
        }),
    )
}
