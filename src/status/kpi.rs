//! KPI figures as of D: the points known by then, the latest value, the gap
//! to target and the least-squares trend extended to the deadline.

use crate::date::Date;
use crate::model::{Direction, Model};
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    OnTrack,
    OffTrack,
    NotEnoughData,
}

impl Verdict {
    pub fn code(self) -> &'static str {
        match self {
            Verdict::OnTrack => "on_track",
            Verdict::OffTrack => "off_track",
            Verdict::NotEnoughData => "not_enough_data",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Verdict::OnTrack => "Đúng hướng đạt mục tiêu",
            Verdict::OffTrack => "Chưa đủ nhanh để đạt mục tiêu",
            Verdict::NotEnoughData => "Chưa đủ dữ liệu",
        }
    }
}

#[derive(Debug, Clone)]
pub struct KpiStatus {
    /// Baseline and reported values, by date; one per date.
    pub points: Vec<KpiPoint>,
    /// The value with the latest date (the baseline when nothing was reported).
    pub latest: Option<KpiPoint>,
    /// How far the latest value still is from the target in the KPI's
    /// direction; 0 once reached.
    pub gap: Option<f64>,
    pub reached: bool,
    pub trend: Option<Trend>,
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

pub fn kpi_status(m: &Model, k: usize, as_of: Date) -> KpiStatus {
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
    for (ri, r) in m.reports.iter().enumerate() {
        if r.submitted > as_of {
            continue;
        }
        for v in r.kpi_values.iter().filter(|v| v.kpi == kpi.id) {
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
    let pairs: Vec<(Date, f64)> = points.iter().map(|p| (p.date, p.value)).collect();
    let deadline = kpi.deadline.date().unwrap_or(as_of);
    let trend = trend(&pairs, deadline);
    let verdict = match trend {
        None => Verdict::NotEnoughData,
        Some(t) if meets(kpi.direction, t.projected, kpi.target) => Verdict::OnTrack,
        Some(_) => Verdict::OffTrack,
    };
    KpiStatus {
        owner_on: m.holder_on(&kpi.owner, as_of).map(str::to_string),
        points,
        latest,
        gap,
        reached,
        trend,
        verdict,
    }
}
