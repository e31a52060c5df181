//! Part of the charts: the scales (days and values to pixels), round ticks,
//! the grid with its value labels and the month axis under a plot.

use super::super::svg::{HPos, Stroke, Svg, VPos};
use super::Frame;
use super::palette::{AXIS, GRID};
use super::text::{font, text_width};
use crate::date::Date;

pub(super) fn days(d: Date) -> f64 {
    (d - Date::MIN).num_days() as f64
}

pub(super) fn date_of(x: f64) -> Date {
    Date::MIN + chrono::Duration::days(x.round() as i64)
}

pub(super) fn month_label(x: f64) -> String {
    let d = date_of(x);
    format!(
        "{:02}/{}",
        chrono::Datelike::month(&d),
        chrono::Datelike::year(&d)
    )
}

/// First days of months between two x values, thinned to at most `max`.
pub(super) fn month_ticks(x0: f64, x1: f64, max: usize) -> Vec<f64> {
    let mut p = crate::date::Period::of(date_of(x0)).next();
    let mut all = Vec::new();
    while days(p.first_day()) <= x1 {
        all.push(days(p.first_day()));
        p = p.next();
    }
    let step = all.len().div_ceil(max.max(1)).max(1);
    all.into_iter().step_by(step).collect()
}

/// The plotting area of a drawing in pixels (left, top, right, bottom)
/// and the ranges it shows. Values grow upwards, except on an inverted
/// axis (a rank: 1 at the top).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Plot {
    pub area: (f64, f64, f64, f64),
    pub x: (f64, f64),
    pub y: (f64, f64),
    pub inverted: bool,
}

impl Plot {
    /// The pixel of a point.
    pub(super) fn px(&self, x: f64, y: f64) -> (i32, i32) {
        let (left, top, right, bottom) = self.area;
        let fx = (x - self.x.0) / (self.x.1 - self.x.0);
        let fy = (y - self.y.0) / (self.y.1 - self.y.0);
        let py = if self.inverted {
            top + fy * (bottom - top)
        } else {
            bottom - fy * (bottom - top)
        };
        (
            (left + fx * (right - left)).round() as i32,
            py.round() as i32,
        )
    }

    pub(super) fn left(&self) -> i32 {
        self.area.0.round() as i32
    }
    pub(super) fn top(&self) -> i32 {
        self.area.1.round() as i32
    }
    pub(super) fn right(&self) -> i32 {
        self.area.2.round() as i32
    }
    pub(super) fn bottom(&self) -> i32 {
        self.area.3.round() as i32
    }
}

/// Round values between `lo` and `hi` for the y axis: steps of 1, 2 or 5
/// times a power of ten, at most `max` of them.
pub(super) fn ticks(lo: f64, hi: f64, max: usize) -> Vec<f64> {
    let span = hi - lo;
    if span.is_nan() || span <= 0.0 || !span.is_finite() {
        return vec![lo];
    }
    let raw = span / max.max(1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| span / s <= max as f64)
        .unwrap_or(10.0 * magnitude);
    let first = (lo / step).ceil() as i64;
    (first..)
        .map(|k| k as f64 * step)
        .take_while(|v| *v <= hi + step * 1e-9)
        .take(max + 1)
        .collect()
}

/// Horizontal grid lines and y labels at round values, and the axes.
pub(super) fn draw_mesh(svg: &mut Svg, plot: &Plot, f: Frame, y_fmt: &dyn Fn(f64) -> String) {
    let (l, r) = (plot.left(), plot.right());
    for v in ticks(plot.y.0, plot.y.1, if f.narrow() { 4 } else { 6 }) {
        let (_, y) = plot.px(plot.x.0, v);
        svg.line(
            &[(l, y), (r, y)],
            Stroke {
                color: GRID,
                width: 1,
                dash: None,
            },
        );
        svg.text(
            &y_fmt(v),
            (l - 6, y),
            font(f.text).at(HPos::Right, VPos::Center),
        );
    }
    svg.line(
        &[(l, plot.top()), (l, plot.bottom()), (r, plot.bottom())],
        Stroke {
            color: AXIS,
            width: 1,
            dash: None,
        },
    );
}

/// Month labels under the x axis, on the first of each month rather than
/// on round numbers of days, as many as fit side by side, none cut at the
/// edges.
pub(super) fn draw_month_axis(svg: &mut Svg, f: Frame, plot: &Plot) {
    let label_w = text_width("00/0000", f.text, false);
    let (x0, x1) = plot.x;
    let (left, right) = (plot.left(), plot.right());
    let fit = ((right - left) as f64 / (label_w + 12.0)).floor() as usize;
    let half = (label_w / 2.0).ceil() as i32;
    let py = plot.bottom();
    for x in month_ticks(x0, x1, fit) {
        let (px, _) = plot.px(x, plot.y.0);
        svg.line(
            &[(px, py), (px, py + 5)],
            Stroke {
                color: AXIS,
                width: 1,
                dash: None,
            },
        );
        // Centred under the tick, but never left of the plot (where the
        // y labels are) nor past the drawing's edge.
        let at = px.max(left + half).min(f.width as i32 - 2 - half);
        svg.text(
            &month_label(x),
            (at, py + 8),
            font(f.text).at(HPos::Center, VPos::Top),
        );
    }
}
