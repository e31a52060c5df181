//! Part of the charts: a KPI's values over time against its target and
//! deadline, with the projected trend: the layout from the data, the
//! description, the legend and the drawing with its labels.

use super::super::i18n::{Lang, Strings};
use super::super::svg::{HPos, Stroke, Svg, VPos};
use super::axes::{Plot, days, draw_mesh, draw_month_axis};
use super::legend::{LegendItem, draw_legend, legend_rows};
use super::palette::{
    DEADLINE, DEADLINE_LINE, TARGET, TARGET_LINE, TREND_LINE, VALUES, VALUES_LINE,
};
use super::placement::{Placed, Spot};
use super::text::{bold, font, shorten, text_width};
use super::{Chart, Drawing, Frame, MARGIN, draw_both, finish};
use crate::date::{Date, fmt_date};
use crate::model::{Direction, Kpi};
use crate::status::KpiStatus;

/// A rank KPI ([`Kpi::is_rank`]).
pub fn is_rank(kpi: &Kpi) -> bool {
    kpi.is_rank()
}

/// A value with the KPI's unit in the page's language (`unit_en` on
/// English pages where given), a rank as the pages write it (`hạng 35`,
/// `rank 35`).
pub(super) fn value(lang: Lang, t: &Strings, kpi: &Kpi, v: f64) -> String {
    let n = lang.number(v);
    if is_rank(kpi) {
        t.get("kpi_rank").replace("{n}", &n)
    } else if kpi.unit == "%" {
        format!("{n}%")
    } else {
        format!("{n} {}", lang.pick(&kpi.unit, kpi.meta.unit_en.as_deref()))
    }
}

/// Where things go in a KPI chart: the axes' ranges, from the data.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KpiLayout {
    pub x: (f64, f64),
    pub y: (f64, f64),
    /// A rank: the best (1) at the top ([`is_rank`]).
    pub inverted: bool,
}

/// The height of a KPI chart's plot, axes included.
pub(super) fn kpi_plot_height(f: Frame) -> i32 {
    if f.narrow() { 240 } else { 340 }
}

impl KpiLayout {
    /// The plotting area of a drawing in pixels: left, top, right, bottom.
    pub fn area(&self, kpi: &Kpi, lang: Lang, fr: &Drawing) -> (f64, f64, f64, f64) {
        let f = fr.frame;
        let left = (MARGIN + y_label_width(kpi, lang, self, f)) as f64;
        let top = (fr.top() + f.line(f.text) + 4) as f64;
        let bottom = top + kpi_plot_height(f) as f64 - x_label_height(f) as f64;
        (left, top, (f.width as i32 - MARGIN) as f64, bottom)
    }

    /// The pixel row of a value in a drawing.
    pub fn y_pixel(&self, area: (f64, f64, f64, f64), v: f64) -> f64 {
        let (_, top, _, bottom) = area;
        let from_top = if self.inverted {
            v - self.y.0
        } else {
            self.y.1 - v
        };
        top + from_top / (self.y.1 - self.y.0) * (bottom - top)
    }

    /// The plot of a drawing.
    fn plot(&self, kpi: &Kpi, lang: Lang, fr: &Drawing) -> Plot {
        Plot {
            area: self.area(kpi, lang, fr),
            x: self.x,
            y: self.y,
            inverted: self.inverted,
        }
    }
}

pub(super) fn x_label_height(f: Frame) -> i32 {
    f.line(f.text) + 12
}

/// Room for the widest y label.
fn y_label_width(kpi: &Kpi, lang: Lang, layout: &KpiLayout, f: Frame) -> i32 {
    let widest = [layout.y.0, layout.y.1]
        .iter()
        .map(|v| text_width(&y_label(kpi, lang, *v), f.text, false))
        .fold(0.0, f64::max);
    widest.ceil() as i32 + 12
}

fn y_label(kpi: &Kpi, lang: Lang, v: f64) -> String {
    if kpi.unit == "%" {
        format!("{}%", lang.number(v.round()))
    } else {
        lang.number(v)
    }
}

pub fn kpi_layout(kpi: &Kpi, ks: &KpiStatus, as_of: Date) -> KpiLayout {
    let deadline = kpi.deadline.date().unwrap_or(as_of);
    let mut start = ks
        .points
        .first()
        .map_or(as_of, |p| p.date)
        .min(deadline)
        .min(as_of);
    let end = deadline
        .max(as_of)
        .max(ks.points.last().map_or(as_of, |p| p.date));
    if end - start < chrono::Duration::days(30) {
        start = end - chrono::Duration::days(30);
    }
    let span = days(end) - days(start);
    let mut hi = kpi.target;
    let mut lo = kpi.target.min(0.0);
    for p in &ks.points {
        hi = hi.max(p.value);
        lo = lo.min(p.value);
    }
    if let Some(p) = ks.projection {
        // The projection stops at the target or a bound (status).
        hi = hi.max(p.end.1);
        lo = lo.min(p.end.1);
    }
    if hi <= lo {
        hi = lo + 1.0;
    }
    let hi = if kpi.unit == "%" && hi <= 100.0 {
        100.0
    } else {
        hi
    };
    let pad = (hi - lo) * 0.08;
    let x = (days(start) - span * 0.02, days(end) + span * 0.06);
    if is_rank(kpi) {
        // From just above the best rank down to the worst shown.
        let best = lo.max(1.0);
        return KpiLayout {
            x,
            y: (best - (hi - best).max(1.0) * 0.08, hi + pad),
            inverted: true,
        };
    }
    KpiLayout {
        x,
        y: (lo, hi + pad),
        inverted: false,
    }
}

/// A KPI's values over time: baseline (square), reported values (circles),
/// the target (long dashes), the deadline (vertical dashes) and the
/// least-squares trend to the deadline (short dashes). `credit` names the
/// source and the as-of date.
pub fn kpi_chart(
    kpi: &Kpi,
    ks: &KpiStatus,
    as_of: Date,
    lang: Lang,
    t: &Strings,
    credit: &str,
) -> Chart {
    let name = lang.pick(&kpi.name, kpi.name_en.as_deref()).to_string();
    let layout = kpi_layout(kpi, ks, as_of);
    let deadline = kpi.deadline.date().unwrap_or(as_of);
    let legend = kpi_legend(kpi, ks, deadline, lang, t);
    let (wide, narrow) = draw_both(&name, credit, |fr| {
        draw_kpi(fr, kpi, ks, layout, deadline, &legend, lang, t)
    });
    let mut desc = Vec::new();
    desc.push(t.get("chart_kpi_desc").to_string());
    if let Some((d, v)) = kpi.baseline {
        desc.push(format!(
            "{} {} ({}).",
            t.get("kpi_baseline"),
            value(lang, t, kpi, v),
            fmt_date(d)
        ));
    }
    match &ks.latest {
        Some(p) if !p.baseline => desc.push(format!(
            "{} {} ({}).",
            t.get("chart_latest"),
            value(lang, t, kpi, p.value),
            fmt_date(p.date)
        )),
        _ => desc.push(t.get("no_values").to_string()),
    }
    desc.push(format!(
        "{} {} {}.",
        t.get("chart_target"),
        value(lang, t, kpi, kpi.target),
        lang.deadline(&kpi.deadline)
    ));
    desc.push(format!("{}.", t.keyed("verdict_", ks.verdict.code())));
    if let Some(note) = trend_note(kpi, ks, lang, t) {
        desc.push(format!("{} {note}", t.get("chart_trend_dashed")));
    }
    if kpi.direction == Direction::Down {
        desc.push(t.get("kpi_down").to_string());
    }
    finish(
        wide,
        narrow,
        &format!("kpi-{}", kpi.id),
        name,
        desc.join(" "),
    )
}

/// Where the trend leads, in words: the same sentence under the chart (its
/// legend) and in its description, and the same point where the dotted
/// line ends (status's projection).
pub(super) fn trend_note(kpi: &Kpi, ks: &KpiStatus, lang: Lang, t: &Strings) -> Option<String> {
    ks.trend?;
    let p = ks.projection?;
    Some(match p.reaches_on {
        Some(d) => t.get("kpi_reaches_on").replace("{date}", &fmt_date(d)),
        None => t
            .get("kpi_projected_at")
            .replace("{date}", &fmt_date(p.deadline))
            .replace("{value}", &value(lang, t, kpi, p.at_deadline)),
    })
}

/// What a KPI chart's goal line is labelled: the target and, for a KPI
/// where lower is better, which way.
fn target_text(kpi: &Kpi, lang: Lang, t: &Strings) -> String {
    if is_rank(kpi) {
        return t
            .get("chart_target_rank")
            .replace("{value}", &value(lang, t, kpi, kpi.target));
    }
    match kpi.direction {
        Direction::Up => format!(
            "{} {}",
            t.get("chart_target_short"),
            value(lang, t, kpi, kpi.target)
        ),
        Direction::Down => format!(
            "{} ≤ {} (↓ {})",
            t.get("chart_target_short"),
            value(lang, t, kpi, kpi.target),
            t.get("lower_better")
        ),
    }
}

/// A KPI chart's legend: values, goal, trend (when drawn) and deadline, so
/// that on a phone the three lines are told apart by more than colour.
fn kpi_legend(
    kpi: &Kpi,
    ks: &KpiStatus,
    deadline: Date,
    lang: Lang,
    t: &Strings,
) -> Vec<LegendItem> {
    let mut items = vec![
        LegendItem {
            stroke: VALUES_LINE,
            marker: true,
            label: t.get("chart_legend_values").to_string(),
        },
        LegendItem {
            stroke: TARGET_LINE,
            marker: false,
            label: target_text(kpi, lang, t),
        },
    ];
    if let Some(note) = trend_note(kpi, ks, lang, t) {
        items.push(LegendItem {
            stroke: TREND_LINE,
            marker: false,
            label: note,
        });
    }
    items.push(LegendItem {
        stroke: DEADLINE_LINE,
        marker: false,
        label: format!("{} {}", t.get("chart_deadline_short"), fmt_date(deadline)),
    });
    items
}

/// One drawing of a KPI chart under way: the figures, the plot, the SVG so
/// far and the labels placed on it. Each part draws in the order the file
/// has always had: target, deadline, trend, values, the latest value's
/// label, then the goal's label, which yields to the others.
struct KpiPen<'a> {
    fr: &'a Drawing,
    kpi: &'a Kpi,
    ks: &'a KpiStatus,
    layout: KpiLayout,
    lang: Lang,
    t: &'a Strings,
    plot: Plot,
    svg: Svg,
    placed: Placed,
}

#[allow(clippy::too_many_arguments)]
fn draw_kpi(
    fr: &Drawing,
    kpi: &Kpi,
    ks: &KpiStatus,
    layout: KpiLayout,
    deadline: Date,
    legend: &[LegendItem],
    lang: Lang,
    t: &Strings,
) -> Svg {
    let f = fr.frame;
    let plot = layout.plot(kpi, lang, fr);
    let (_, legend_h) = legend_rows(legend, f);
    let legend_top = plot.area.3 as i32 + x_label_height(f);
    let height = legend_top + legend_h + fr.foot();
    let mut svg = fr.canvas(height);
    draw_mesh(&mut svg, &plot, f, &|v| y_label(kpi, lang, v));
    draw_month_axis(&mut svg, f, &plot);
    draw_legend(&mut svg, legend, f, legend_top);
    let mut pen = KpiPen {
        fr,
        kpi,
        ks,
        layout,
        lang,
        t,
        plot,
        svg,
        placed: Placed::default(),
    };
    pen.target_line();
    pen.deadline(deadline);
    pen.trend();
    let points = pen.values();
    pen.latest_label(&points);
    pen.target_label();
    pen.svg
}

impl KpiPen<'_> {
    fn frame(&self) -> Frame {
        self.fr.frame
    }

    /// The plot's box (left, top, right, bottom) that labels stay within.
    fn bounds(&self) -> [f64; 4] {
        let (left, top, right, bottom) = self.plot.area;
        [left, top, right, bottom]
    }

    /// A line that labels keep clear of.
    fn line(&mut self, points: &[(i32, i32)], stroke: Stroke) {
        self.svg.line(points, stroke);
        self.placed.line(points);
    }

    /// Target: a horizontal line across the plot.
    fn target_line(&mut self) {
        let (x0, x1) = self.layout.x;
        let target = self.kpi.target;
        let line = [self.plot.px(x0, target), self.plot.px(x1, target)];
        self.line(&line, TARGET_LINE);
    }

    /// Deadline: a vertical line labelled above the plot, on whichever side
    /// has room.
    fn deadline(&mut self, deadline: Date) {
        let f = self.frame();
        let top = self.plot.area.1;
        let dx = days(deadline);
        let (y0, y1) = self.layout.y;
        let line = [self.plot.px(dx, y0), self.plot.px(dx, y1)];
        self.line(&line, DEADLINE_LINE);
        let deadline_x = line[0].0;
        let label = format!(
            "{} {}",
            self.t.get("chart_deadline_short"),
            fmt_date(deadline)
        );
        let w = text_width(&label, f.text, false);
        let band = [
            MARGIN as f64,
            self.fr.top() as f64 - 4.0,
            (f.width as i32 - MARGIN) as f64,
            top,
        ];
        let (x, y, h, v) = self.placed.pick(
            &[
                (deadline_x + 4, top as i32 - 4, HPos::Left, VPos::Bottom),
                (deadline_x - 4, top as i32 - 4, HPos::Right, VPos::Bottom),
            ],
            w,
            f.text,
            band,
        );
        self.svg
            .text(&label, (x, y), font(f.text).at(h, v).color(DEADLINE));
    }

    /// Trend, only while the deadline is ahead: up to the target, a bound
    /// of the unit or the deadline (status decides where), so that its end
    /// is the point the legend's sentence names.
    fn trend(&mut self) {
        let ks = self.ks;
        if let (Some(trend), Some(p)) = (ks.trend, ks.projection) {
            let from = ks.points.first().map_or(trend.first, |p| p.date);
            let line = [
                self.plot.px(days(from), trend.at(from)),
                self.plot.px(days(p.end.0), p.end.1),
            ];
            self.line(&line, TREND_LINE);
        }
    }

    /// Values: one line through all points, a square for the baseline and a
    /// circle for each reported value. Returns the points' pixels.
    fn values(&mut self) -> Vec<(i32, i32)> {
        let ks = self.ks;
        let points: Vec<(i32, i32)> = ks
            .points
            .iter()
            .map(|p| self.plot.px(days(p.date), p.value))
            .collect();
        self.line(&points, VALUES_LINE);
        for (p, &(px, py)) in ks.points.iter().zip(&points) {
            if p.baseline {
                self.svg.rect((px - 5, py - 5), (px + 5, py + 5), VALUES);
            } else {
                self.svg.circle((px, py), 5, VALUES);
            }
        }
        points
    }

    /// The latest value beside its point, wherever no other label is and no
    /// line passes; with no values, a note in the middle of the plot.
    fn latest_label(&mut self, points: &[(i32, i32)]) {
        let f = self.frame();
        let bounds = self.bounds();
        let Some((last, &(px, py))) = self.ks.points.last().zip(points.last()) else {
            let (left, top, right, bottom) = self.plot.area;
            let label = shorten(self.t.get("no_values"), f.text + 1, false, right - left);
            let w = text_width(&label, f.text + 1, false);
            let (x, y, h, v) = self.placed.pick(
                &[(
                    ((left + right) / 2.0) as i32,
                    ((top + bottom) / 2.0) as i32,
                    HPos::Center,
                    VPos::Center,
                )],
                w,
                f.text + 1,
                bounds,
            );
            self.svg.text(&label, (x, y), font(f.text + 1).at(h, v));
            return;
        };
        let label = value(self.lang, self.t, self.kpi, last.value);
        let size = f.text + 1;
        let w = text_width(&label, size, true);
        let step = f.line(size);
        let mut spots = vec![
            (px + 8, py - 6, HPos::Left, VPos::Bottom),
            (px + 8, py + 6, HPos::Left, VPos::Top),
            (px - 8, py - 6, HPos::Right, VPos::Bottom),
            (px - 8, py + 6, HPos::Right, VPos::Top),
            (px, py - 10, HPos::Center, VPos::Bottom),
            (px, py + 10, HPos::Center, VPos::Top),
        ];
        for k in 1..=4 {
            spots.extend([
                (px + 8, py - 6 - k * step, HPos::Left, VPos::Bottom),
                (px - 8, py + 6 + k * step, HPos::Right, VPos::Top),
                (px - 8, py - 6 - k * step, HPos::Right, VPos::Bottom),
                (px + 8, py + 6 + k * step, HPos::Left, VPos::Top),
            ]);
        }
        let (x, y, h, v) = self.placed.pick(&spots, w, size, bounds);
        self.svg
            .text(&label, (x, y), bold(size).at(h, v).color(VALUES));
    }

    /// After the latest value's label, so that it yields to it. The goal's
    /// label: on the line's left end, on the side away from where the
    /// values start if there is room, else wherever there is.
    fn target_label(&mut self) {
        let f = self.frame();
        let (kpi, layout) = (self.kpi, self.layout);
        let (left, _, right, _) = self.plot.area;
        let first = self.ks.points.first().map_or(kpi.target, |p| p.value);
        let target_label = shorten(
            &target_text(kpi, self.lang, self.t),
            f.text,
            false,
            right - left - 16.0,
        );
        let ty = layout.y_pixel(self.plot.area, kpi.target) as i32;
        let (l, r) = (left as i32 + 8, right as i32 - 8);
        let above = [
            (l, ty - 4, HPos::Left, VPos::Bottom),
            (r, ty - 4, HPos::Right, VPos::Bottom),
        ];
        let below = [
            (l, ty + 4, HPos::Left, VPos::Top),
            (r, ty + 4, HPos::Right, VPos::Top),
        ];
        let gap = (1.7 * f.text as f64).ceil() as i32;
        let further: Vec<Spot> = (1..=3)
            .flat_map(|k| {
                [
                    (l, ty + 4 + k * gap, HPos::Left, VPos::Top),
                    (r, ty + 4 + k * gap, HPos::Right, VPos::Top),
                    (l, ty - 4 - k * gap, HPos::Left, VPos::Bottom),
                    (r, ty - 4 - k * gap, HPos::Right, VPos::Bottom),
                ]
            })
            .collect();
        // Values start on the screen's lower side of the goal: the label goes
        // above it, out of their way.
        let values_below = (first < kpi.target) != layout.inverted;
        let spots: Vec<Spot> = if values_below {
            [&above[..], &below[..], &further[..]].concat()
        } else {
            [&below[..], &above[..], &further[..]].concat()
        };
        let w = text_width(&target_label, f.text, false);
        let bounds = self.bounds();
        let (x, y, h, v) = self.placed.pick(&spots, w, f.text, bounds);
        self.svg
            .text(&target_label, (x, y), font(f.text).at(h, v).color(TARGET));
    }
}
