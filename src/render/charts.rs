//! Render stage, charts: (model figures, status figures) -> accessible SVG,
//! drawn with a small typed SVG writer ([`super::svg`]) into memory: a KPI's values against its target and
//! deadline with the projected trend, the plan's burn-up, and status mixes
//! as stacked bars. Pure.
//!
//! Every chart file holds two drawings of the same chart: a wide one
//! ([`WIDE`], the file's own view, for screens of 60em and more and for
//! anyone who shares or embeds the file) and a narrow one ([`NARROW`], the
//! `#hep` view, that pages pick with `<picture>` below 60em). Each is drawn
//! at the width it is shown at, so its text renders at 12 px or more on a
//! 320 px phone and 13 px or more on a desktop. Text is measured with the
//! metrics of the bundled Noto Sans (`fonts/`), so labels are wrapped,
//! shortened or moved rather than overlapping or cut. Each drawing carries
//! the chart's title at the top and its source (the portal) and as-of date
//! at the foot, so a shared file stays attributable.
//!
//! Every chart carries `role="img"`, a `<title>` and a `<desc>` with the key
//! figures, scales through its `viewBox`, and never uses colour alone: lines
//! differ by dash and marker shape and carry labels; bar segments carry the
//! status icon and their count, and a legend gives icon and label per status.

use super::escape::escape;
use super::font;
use super::i18n::{Lang, Strings};
use super::svg::{BLACK, Font as SvgFont, HPos, Rgb, Stroke, Svg, VPos, WHITE};
use super::views::icon;
use crate::date::{Date, fmt_date};
use crate::model::{Direction, Kpi};
use crate::status::{BurnupPoint, KpiStatus, Status};

/// A finished chart: the SVG and its accessible name and description.
#[derive(Debug, Clone)]
pub struct Chart {
    pub svg: String,
    pub title: String,
    pub desc: String,
    /// The file's own view (the wide drawing), in SVG units.
    pub width: u32,
    pub height: u32,
    /// The narrow drawing's size, the `#hep` view.
    pub narrow: (u32, u32),
}

/// One drawing of a chart: its width in SVG units, which is the width it is
/// shown at in CSS pixels, give or take the page's margins, and the size of
/// its smallest text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    pub width: u32,
    pub text: u32,
}

/// Shown at 928 px and more (60em screens less the page's margins): text of
/// 15 units renders at 14.5 px or more.
pub const WIDE: Frame = Frame {
    width: 960,
    text: 15,
};
/// Shown from 288 px (a 320 px screen less margins) up to 30rem: text of 14
/// units renders at 12.6 px or more.
pub const NARROW: Frame = Frame {
    width: 320,
    text: 14,
};
/// The fragment naming the narrow drawing: `bieu-do.svg#hep`.
pub const NARROW_VIEW: &str = "hep";

impl Frame {
    fn title_size(self) -> u32 {
        self.text + 2
    }
    fn line(self, size: u32) -> i32 {
        (size as f64 * 1.35).round() as i32
    }
    fn narrow(self) -> bool {
        self.width < 600
    }
}

const MARGIN: i32 = 12;
const TEXT: Rgb = Rgb(0x1a, 0x1a, 0x1a);
const MUTED: Rgb = Rgb(0x4a, 0x4a, 0x4a);
const VALUES: Rgb = Rgb(0x0b, 0x4f, 0x8a);
const TARGET: Rgb = Rgb(0x14, 0x53, 0x2d);
const TREND: Rgb = Rgb(0x6b, 0x21, 0xa9);
const DEADLINE: Rgb = Rgb(0x7c, 0x2d, 0x12);
const GRID: Rgb = Rgb(0xd0, 0xd4, 0xd9);
const AXIS: Rgb = Rgb(0x6b, 0x72, 0x80);

/// Lines differ by dash as well as colour, so that they stay apart in
/// greyscale and for colour-blind readers: an SVG dash pattern on one
/// element, not one element per dash.
const VALUES_LINE: Stroke = Stroke {
    color: VALUES,
    width: 3,
    dash: None,
};
const TARGET_LINE: Stroke = Stroke {
    color: TARGET,
    width: 2,
    dash: Some("10 5"),
};
const TREND_LINE: Stroke = Stroke {
    color: TREND,
    width: 2,
    dash: Some("4 4"),
};
const DEADLINE_LINE: Stroke = Stroke {
    color: DEADLINE,
    width: 2,
    dash: Some("6 3"),
};
const DUE_LINE: Stroke = Stroke {
    color: DEADLINE,
    width: 3,
    dash: Some("2 3"),
};
const DONE_LINE: Stroke = Stroke {
    color: TARGET,
    width: 3,
    dash: None,
};

/// The fill of each status, the same as the background of its label on the
/// pages (`.status-*` in style.css). Spread in lightness from 19 to 61 (CIE
/// L*) so that they differ in greyscale, in hue so that they differ under
/// deuteranopia (see the tests), all at least 3:1 against white.
pub fn status_color(s: Status) -> Rgb {
    match s {
        Status::DoneOnTime => Rgb(0x3c, 0x84, 0x50),
        Status::DoneLate => Rgb(0x46, 0x65, 0x0e),
        Status::Ongoing => Rgb(0x37, 0x3d, 0xa6),
        Status::Overdue => Rgb(0x7a, 0x1a, 0x24),
        Status::DueSoon => Rgb(0xe5, 0x57, 0x36),
        Status::Blocked => Rgb(0x37, 0x28, 0x45),
        Status::InProgress => Rgb(0x18, 0x71, 0x80),
        Status::Unassigned => Rgb(0x08, 0x00, 0x48),
        Status::NotStarted => Rgb(0x8d, 0x95, 0x97),
    }
}

/// The text colour on a status fill: white or black, whichever contrasts
/// more (at least 4.5:1 for every status, see the tests).
pub fn status_ink(s: Status) -> Rgb {
    let l = luminance(status_color(s));
    if 1.05 / (l + 0.05) >= (l + 0.05) / 0.05 {
        WHITE
    } else {
        BLACK
    }
}

/// WCAG relative luminance.
fn luminance(c: Rgb) -> f64 {
    let lin = |v: u8| {
        let v = v as f64 / 255.0;
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(c.0) + 0.7152 * lin(c.1) + 0.0722 * lin(c.2)
}

/// Readers' phones draw the text in their own sans-serif; measured widths
/// get this much room for a wider one.
const SLACK: f64 = 1.12;

/// The width of `s` at `size` units: Noto Sans advances
/// ([`font::advance`]), bold 8% wider.
pub fn text_width(s: &str, size: u32, bold: bool) -> f64 {
    font::width(s, &font::advance(size), factor(bold))
}

/// What measured advances are multiplied by: room for a wider font, and
/// for bold.
fn factor(bold: bool) -> f64 {
    SLACK * if bold { 1.08 } else { 1.0 }
}

/// `s` cut to fit `max` units, ending in "…" ([`font::shorten`]).
fn shorten(s: &str, size: u32, bold: bool, max: f64) -> String {
    font::shorten(s, max, &font::advance(size), factor(bold))
}

/// `s` broken at spaces into lines of at most `max` units, at most `lines`
/// of them ([`font::wrap`]); the full text is in the chart's description
/// and the table beside it.
pub fn wrap(s: &str, size: u32, bold: bool, max: f64, lines: usize) -> Vec<String> {
    font::wrap(s, max, lines, &font::advance(size), factor(bold))
}

/// The title over a drawing and the source line under it, wrapped to its
/// width.
#[derive(Debug, Clone)]
pub struct Drawing {
    pub frame: Frame,
    pub title: Vec<String>,
    pub credit: Vec<String>,
}

impl Drawing {
    pub fn new(frame: Frame, title: &str, credit: &str) -> Self {
        let max = (frame.width as i32 - 2 * MARGIN) as f64;
        Drawing {
            frame,
            title: wrap(title, frame.title_size(), true, max, 3),
            credit: wrap(credit, frame.text, false, max, 3),
        }
    }
    /// Where the chart's own drawing starts.
    pub fn top(&self) -> i32 {
        MARGIN + self.title.len() as i32 * self.frame.line(self.frame.title_size()) + 6
    }
    /// The height of the source lines and the margin under them.
    pub fn foot(&self) -> i32 {
        self.credit.len() as i32 * self.frame.line(self.frame.text) + MARGIN
    }
    /// A drawing `height` high with the title and source written on it.
    fn canvas(&self, height: i32) -> Svg {
        let f = self.frame;
        let mut svg = Svg::new(f.width, height.max(1) as u32);
        let mut y = MARGIN;
        for line in &self.title {
            svg.text(line, (MARGIN, y), bold(f.title_size()));
            y += f.line(f.title_size());
        }
        let mut y = height - self.foot() + 2;
        for line in &self.credit {
            svg.text(line, (MARGIN, y), font(f.text).color(MUTED));
            y += f.line(f.text);
        }
        svg
    }
}

/// One file from the two drawings, with its accessible name and
/// description: the wide drawing in the file's own view, the narrow one
/// under it, in the `#hep` view.
fn finish(wide: Svg, narrow: Svg, id: &str, title: String, desc: String) -> Chart {
    let (ww, wh) = (wide.width, wide.height);
    let (nw, nh) = (narrow.width, narrow.height);
    let svg = format!(
        "<svg width=\"{ww}\" height=\"{wh}\" viewBox=\"0 0 {ww} {wh}\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\"><title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>\n<view id=\"{NARROW_VIEW}\" viewBox=\"0 {wh} {nw} {nh}\"/>\n<g class=\"wide\">\n{}</g>\n<g class=\"narrow\" transform=\"translate(0 {wh})\">\n{}</g>\n</svg>\n",
        escape(&title),
        escape(&desc),
        wide.body(),
        narrow.body()
    );
    Chart {
        svg,
        title,
        desc,
        width: ww,
        height: wh,
        narrow: (nw, nh),
    }
}

/// Draws a chart in both frames.
fn draw_both(title: &str, credit: &str, draw: impl Fn(&Drawing) -> Svg) -> (Svg, Svg) {
    (
        draw(&Drawing::new(WIDE, title, credit)),
        draw(&Drawing::new(NARROW, title, credit)),
    )
}

fn days(d: Date) -> f64 {
    (d - Date::MIN).num_days() as f64
}

fn date_of(x: f64) -> Date {
    Date::MIN + chrono::Duration::days(x.round() as i64)
}

fn month_label(x: f64) -> String {
    let d = date_of(x);
    format!(
        "{:02}/{}",
        chrono::Datelike::month(&d),
        chrono::Datelike::year(&d)
    )
}

/// First days of months between two x values, thinned to at most `max`.
fn month_ticks(x0: f64, x1: f64, max: usize) -> Vec<f64> {
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
    fn px(&self, x: f64, y: f64) -> (i32, i32) {
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

    fn left(&self) -> i32 {
        self.area.0.round() as i32
    }
    fn top(&self) -> i32 {
        self.area.1.round() as i32
    }
    fn right(&self) -> i32 {
        self.area.2.round() as i32
    }
    fn bottom(&self) -> i32 {
        self.area.3.round() as i32
    }
}

/// Round values between `lo` and `hi` for the y axis: steps of 1, 2 or 5
/// times a power of ten, at most `max` of them.
fn ticks(lo: f64, hi: f64, max: usize) -> Vec<f64> {
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
fn draw_mesh(svg: &mut Svg, plot: &Plot, f: Frame, y_fmt: &dyn Fn(f64) -> String) {
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
fn draw_month_axis(svg: &mut Svg, f: Frame, plot: &Plot) {
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

/// Text of `size` units, hanging from its top left.
fn font(size: u32) -> SvgFont {
    SvgFont {
        size,
        bold: false,
        color: TEXT,
        h: HPos::Left,
        v: VPos::Top,
    }
}

fn bold(size: u32) -> SvgFont {
    SvgFont {
        bold: true,
        ..font(size)
    }
}

/// A rank KPI ([`Kpi::is_rank`]).
pub fn is_rank(kpi: &Kpi) -> bool {
    kpi.is_rank()
}

/// A value with the KPI's unit in the page's language (`unit_en` on
/// English pages where given), a rank as the pages write it (`hạng 35`,
/// `rank 35`).
fn value(lang: Lang, t: &Strings, kpi: &Kpi, v: f64) -> String {
    let n = lang.number(v);
    if is_rank(kpi) {
        t.get("kpi_rank").replace("{n}", &n)
    } else if kpi.unit == "%" {
        format!("{n}%")
    } else {
        format!("{n} {}", lang.pick(&kpi.unit, kpi.meta.unit_en.as_deref()))
    }
}

/// The boxes of the labels drawn so far, and the lines of the plot, so
/// that the next label goes where it overlaps no label and crosses no line.
#[derive(Debug, Default)]
struct Placed {
    boxes: Vec<[f64; 4]>,
    lines: Vec<((f64, f64), (f64, f64))>,
}

/// A place for a label: its anchor point and how the text hangs from it.
type Spot = (i32, i32, HPos, VPos);

/// Whether the segment from `a` to `b` passes through the box (left, top,
/// right, bottom): Liang and Barsky's clipping.
fn crosses(bx: [f64; 4], a: (f64, f64), b: (f64, f64)) -> bool {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [
        (-dx, a.0 - bx[0]),
        (dx, bx[2] - a.0),
        (-dy, a.1 - bx[1]),
        (dy, bx[3] - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return false;
            }
        } else if p < 0.0 {
            t0 = t0.max(q / p);
        } else {
            t1 = t1.min(q / p);
        }
        if t0 > t1 {
            return false;
        }
    }
    true
}

impl Placed {
    /// The box a text takes, with room for ascent and descent around its
    /// anchor: left, top, right, bottom.
    fn text_box(spot: Spot, w: f64, size: u32) -> [f64; 4] {
        let (x, y, h, v) = spot;
        let s = size as f64;
        let left = match h {
            HPos::Left => x as f64,
            HPos::Center => x as f64 - w / 2.0,
            HPos::Right => x as f64 - w,
        };
        let top = match v {
            VPos::Top => y as f64,
            VPos::Center => y as f64 - s * 0.6,
            VPos::Bottom => y as f64 - s * 1.2,
        };
        [left, top - s * 0.2, left + w, top + s * 1.4]
    }

    /// A line drawn on the plot, in pixels, that labels keep clear of.
    fn line(&mut self, points: &[(i32, i32)]) {
        for pair in points.windows(2) {
            let p = |(x, y): (i32, i32)| (x as f64, y as f64);
            self.lines.push((p(pair[0]), p(pair[1])));
        }
    }

    fn free(&self, b: [f64; 4]) -> bool {
        self.boxes
            .iter()
            .all(|o| b[2] <= o[0] || o[2] <= b[0] || b[3] <= o[1] || o[3] <= b[1])
    }

    /// Whether a box keeps clear of every line, by a pixel at least.
    fn clear(&self, b: [f64; 4]) -> bool {
        let b = [b[0] - 1.0, b[1] - 1.0, b[2] + 1.0, b[3] + 1.0];
        self.lines.iter().all(|(p, q)| !crosses(b, *p, *q))
    }

    /// The first spot whose box lies within `bounds`, overlaps no label
    /// placed before and crosses no line; failing that, the first that
    /// overlaps no label; failing that, the first within bounds; failing
    /// that, the first. The box is kept.
    fn pick(&mut self, spots: &[Spot], w: f64, size: u32, bounds: [f64; 4]) -> Spot {
        let inside = |b: [f64; 4]| {
            b[0] >= bounds[0] && b[1] >= bounds[1] && b[2] <= bounds[2] && b[3] <= bounds[3]
        };
        let boxed = |s: &&Spot| Self::text_box(**s, w, size);
        let chosen = spots
            .iter()
            .find(|s| {
                let b = boxed(s);
                inside(b) && self.free(b) && self.clear(b)
            })
            .or_else(|| {
                spots.iter().find(|s| {
                    let b = boxed(s);
                    inside(b) && self.free(b)
                })
            })
            .or_else(|| spots.iter().find(|s| inside(boxed(s))))
            .or(spots.first())
            .copied()
            .unwrap_or((0, 0, HPos::Left, VPos::Top));
        self.boxes.push(Self::text_box(chosen, w, size));
        chosen
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
fn kpi_plot_height(f: Frame) -> i32 {
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

fn x_label_height(f: Frame) -> i32 {
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
fn trend_note(kpi: &Kpi, ks: &KpiStatus, lang: Lang, t: &Strings) -> Option<String> {
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

/// One entry of a chart's legend: a sample of the line (and marker) and
/// what it is.
#[derive(Debug, Clone)]
struct LegendItem {
    stroke: Stroke,
    marker: bool,
    label: String,
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

/// The length of a legend's line sample, and the gap after it.
const SAMPLE: i32 = 32;

/// Where each legend entry goes below a plot: one per row, its label
/// wrapped to two lines at most. Returns the rows (top of each, lines) and
/// the legend's height.
fn legend_rows(items: &[LegendItem], f: Frame) -> (Vec<(i32, Vec<String>)>, i32) {
    let max = (f.width as i32 - 2 * MARGIN - SAMPLE - 8) as f64;
    let line = f.line(f.text);
    let mut y = 0;
    let mut rows = Vec::new();
    for item in items {
        let lines = wrap(&item.label, f.text, false, max, 2);
        let h = lines.len().max(1) as i32 * line + 4;
        rows.push((y, lines));
        y += h;
    }
    (rows, y + 4)
}

fn draw_legend(svg: &mut Svg, items: &[LegendItem], f: Frame, top: i32) {
    svg.group("legend", |svg| legend_items(svg, items, f, top));
}

fn legend_items(svg: &mut Svg, items: &[LegendItem], f: Frame, top: i32) {
    let (rows, _) = legend_rows(items, f);
    let line = f.line(f.text);
    for (item, (y, lines)) in items.iter().zip(rows) {
        let mid = top + y + line / 2;
        svg.line(&[(MARGIN, mid), (MARGIN + SAMPLE, mid)], item.stroke);
        if item.marker {
            svg.circle((MARGIN + SAMPLE / 2, mid), 5, item.stroke.color);
        }
        for (k, l) in lines.iter().enumerate() {
            svg.text(
                l,
                (MARGIN + SAMPLE + 8, mid + k as i32 * line),
                font(f.text).at(HPos::Left, VPos::Center),
            );
        }
    }
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
    let (left, top, right, bottom) = plot.area;
    let (_, legend_h) = legend_rows(legend, f);
    let legend_top = bottom as i32 + x_label_height(f);
    let height = legend_top + legend_h + fr.foot();
    let mut svg = fr.canvas(height);
    draw_mesh(&mut svg, &plot, f, &|v| y_label(kpi, lang, v));
    draw_month_axis(&mut svg, f, &plot);
    draw_legend(&mut svg, legend, f, legend_top);
    let (x0, x1) = layout.x;
    let mut placed = Placed::default();
    let bounds = [left, top, right, bottom];
    // Target: a horizontal line across the plot.
    let target = [plot.px(x0, kpi.target), plot.px(x1, kpi.target)];
    svg.line(&target, TARGET_LINE);
    placed.line(&target);
    // Deadline: a vertical line labelled above the plot, on whichever side
    // has room.
    let dx = days(deadline);
    let deadline_line = [plot.px(dx, layout.y.0), plot.px(dx, layout.y.1)];
    svg.line(&deadline_line, DEADLINE_LINE);
    placed.line(&deadline_line);
    let deadline_x = deadline_line[0].0;
    let label = format!("{} {}", t.get("chart_deadline_short"), fmt_date(deadline));
    let w = text_width(&label, f.text, false);
    let band = [
        MARGIN as f64,
        fr.top() as f64 - 4.0,
        (f.width as i32 - MARGIN) as f64,
        top,
    ];
    let (x, y, h, v) = placed.pick(
        &[
            (deadline_x + 4, top as i32 - 4, HPos::Left, VPos::Bottom),
            (deadline_x - 4, top as i32 - 4, HPos::Right, VPos::Bottom),
        ],
        w,
        f.text,
        band,
    );
    svg.text(&label, (x, y), font(f.text).at(h, v).color(DEADLINE));
    // Trend, only while the deadline is ahead: up to the target, a bound
    // of the unit or the deadline (status decides where), so that its end
    // is the point the legend's sentence names.
    if let (Some(trend), Some(p)) = (ks.trend, ks.projection) {
        let from = ks.points.first().map_or(trend.first, |p| p.date);
        let line = [
            plot.px(days(from), trend.at(from)),
            plot.px(days(p.end.0), p.end.1),
        ];
        svg.line(&line, TREND_LINE);
        placed.line(&line);
    }
    // Values: one line through all points, a square for the baseline and a
    // circle for each reported value.
    let points: Vec<(i32, i32)> = ks
        .points
        .iter()
        .map(|p| plot.px(days(p.date), p.value))
        .collect();
    svg.line(&points, VALUES_LINE);
    placed.line(&points);
    for (p, &(px, py)) in ks.points.iter().zip(&points) {
        if p.baseline {
            svg.rect((px - 5, py - 5), (px + 5, py + 5), VALUES);
        } else {
            svg.circle((px, py), 5, VALUES);
        }
    }
    if let (Some(last), Some(&(px, py))) = (ks.points.last(), points.last()) {
        let label = value(lang, t, kpi, last.value);
        let size = f.text + 1;
        let w = text_width(&label, size, true);
        // Beside the last point, wherever no other label is and no line
        // passes.
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
        let (x, y, h, v) = placed.pick(&spots, w, size, bounds);
        svg.text(&label, (x, y), bold(size).at(h, v).color(VALUES));
    } else {
        let label = shorten(t.get("no_values"), f.text + 1, false, right - left);
        let w = text_width(&label, f.text + 1, false);
        let (x, y, h, v) = placed.pick(
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
        svg.text(&label, (x, y), font(f.text + 1).at(h, v));
    }
    // After the latest value's label, so that it yields to it. The goal's
    // label: on the line's left end, on the side away from where the
    // values start if there is room, else wherever there is.
    let first = ks.points.first().map_or(kpi.target, |p| p.value);
    let target_label = shorten(
        &target_text(kpi, lang, t),
        f.text,
        false,
        right - left - 16.0,
    );
    let ty = layout.y_pixel(plot.area, kpi.target) as i32;
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
    let (x, y, h, v) = placed.pick(&spots, w, f.text, bounds);
    svg.text(&target_label, (x, y), font(f.text).at(h, v).color(TARGET));
    svg
}

/// The plan's burn-up as of D: tasks due so far (dashed) against tasks
/// finished (solid), both as steps, with a legend under the plot.
pub fn burnup_chart(
    points: &[BurnupPoint],
    as_of: Date,
    lang: Lang,
    t: &Strings,
    credit: &str,
) -> Chart {
    let title = t.get("chart_burnup_title").to_string();
    let last = points.last().copied().unwrap_or(BurnupPoint {
        date: as_of,
        due: 0,
        done: 0,
    });
    let desc = format!(
        "{} {}",
        t.get("chart_burnup_desc"),
        t.get("chart_burnup_figures")
            .replace("{date}", &fmt_date(last.date))
            .replace("{due}", &last.due.to_string())
            .replace("{done}", &last.done.to_string())
    );
    let (wide, narrow) = draw_both(&title, credit, |fr| draw_burnup(fr, points, as_of, lang, t));
    finish(wide, narrow, "burnup", title, desc)
}

fn steps(points: &[BurnupPoint], value: fn(&BurnupPoint) -> usize) -> Vec<(f64, f64)> {
    let mut out = Vec::with_capacity(points.len() * 2);
    for (i, p) in points.iter().enumerate() {
        if i > 0 {
            out.push((days(p.date), value(&points[i - 1]) as f64));
        }
        out.push((days(p.date), value(p) as f64));
    }
    out
}

fn draw_burnup(fr: &Drawing, points: &[BurnupPoint], as_of: Date, lang: Lang, t: &Strings) -> Svg {
    let f = fr.frame;
    let last = points.last();
    let legend = [
        (
            format!("{} {}", t.get("chart_due"), last.map_or(0, |p| p.due)),
            DUE_LINE,
        ),
        (
            format!("{} {}", t.get("chart_done"), last.map_or(0, |p| p.done)),
            DONE_LINE,
        ),
    ];
    let row = f.line(f.text) + 4;
    let legend_h = legend.len() as i32 * row + 8;
    let plot_top = fr.top();
    let plot_h = kpi_plot_height(f);
    let height = plot_top + plot_h + legend_h + fr.foot();
    let mut svg = fr.canvas(height);
    let start = points.first().map_or(as_of, |p| p.date);
    let end = as_of.max(start + chrono::Duration::days(30));
    let top_value = points
        .iter()
        .map(|p| p.due.max(p.done))
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let y_w = text_width(&lang.number(top_value * 1.1), f.text, false).ceil() as i32 + 12;
    let plot = Plot {
        area: (
            (MARGIN + y_w) as f64,
            plot_top as f64,
            (f.width as i32 - MARGIN - 8) as f64,
            (plot_top + plot_h - x_label_height(f)) as f64,
        ),
        x: (days(start), days(end)),
        y: (0.0, top_value * 1.1),
        inverted: false,
    };
    draw_mesh(&mut svg, &plot, f, &|v| lang.number(v.round()));
    draw_month_axis(&mut svg, f, &plot);
    let px = |pts: Vec<(f64, f64)>| -> Vec<(i32, i32)> {
        pts.into_iter().map(|(x, y)| plot.px(x, y)).collect()
    };
    svg.line(&px(steps(points, |p| p.due)), DUE_LINE);
    svg.line(&px(steps(points, |p| p.done)), DONE_LINE);
    let mut y = plot_top + plot_h + 4;
    let max = (f.width as i32 - 2 * MARGIN - 44) as f64;
    for (label, stroke) in legend {
        let mid = y + row / 2;
        svg.line(&[(MARGIN, mid), (MARGIN + SAMPLE, mid)], stroke);
        svg.text(
            &shorten(&label, f.text, false, max),
            (MARGIN + 40, mid),
            font(f.text).at(HPos::Left, VPos::Center),
        );
        y += row;
    }
    svg
}

/// One bar of a status mix: a label and its tasks per status.
#[derive(Debug, Clone)]
pub struct BarRow {
    pub label: String,
    pub counts: [usize; Status::ALL.len()],
}

const BAR_HEIGHT: i32 = 28;
const BAR_GAP: i32 = 12;
/// The white gap between two segments, so that each segment's edge is the
/// 3:1 contrast of its own colour against white.
const SEGMENT_GAP: i32 = 2;

/// Stacked horizontal bars, one per row, segments in rule order, each
/// segment with its status icon and count where they fit, a legend with
/// icon and label per status. Long labels wrap to two lines, then shorten.
pub fn status_bars(id: &str, title: String, rows: &[BarRow], t: &Strings, credit: &str) -> Chart {
    let mut parts = vec![t.get("chart_bars_desc").to_string()];
    for row in rows {
        let total: usize = row.counts.iter().sum();
        let mix: Vec<String> = Status::ALL
            .iter()
            .filter(|s| row.counts[s.index()] > 0)
            .map(|s| format!("{} {}", row.counts[s.index()], t.status(*s).to_lowercase()))
            .collect();
        parts.push(format!("{}: {total} ({}).", row.label, mix.join(", ")));
    }
    let (wide, narrow) = draw_both(&title, credit, |fr| draw_bars(fr, rows, t));
    finish(wide, narrow, id, title, parts.join(" "))
}

/// What a segment of `width` units can show: icon and count, the count
/// alone, or nothing (the table beside the chart has every figure).
fn segment_label(s: Status, n: usize, width: f64, size: u32) -> Option<String> {
    let full = format!("{} {n}", icon(s));
    [full, n.to_string()]
        .into_iter()
        .find(|l| text_width(l, size, true) + 6.0 <= width)
}

fn draw_bars(fr: &Drawing, rows: &[BarRow], t: &Strings) -> Svg {
    let f = fr.frame;
    let inner_w = (f.width as i32 - 2 * MARGIN) as f64;
    let line = f.line(f.text);
    // Wide: labels in a column left of the bars. Narrow: above each bar.
    let label_w = if f.narrow() {
        inner_w
    } else {
        rows.iter()
            .map(|r| text_width(&r.label, f.text, false))
            .fold(0.0, f64::max)
            .min(inner_w * 0.3)
            .ceil()
    };
    let labels: Vec<Vec<String>> = rows
        .iter()
        .map(|r| wrap(&r.label, f.text, false, label_w, 2))
        .collect();
    let total_w = rows
        .iter()
        .map(|r| text_width(&r.counts.iter().sum::<usize>().to_string(), f.text, false))
        .fold(0.0, f64::max)
        .ceil() as i32
        + 8;
    let bar_left = if f.narrow() {
        MARGIN
    } else {
        MARGIN + label_w as i32 + 10
    };
    let bar_width = (f.width as i32 - MARGIN - total_w - bar_left) as f64;
    let row_h = |lines: usize| -> i32 {
        if f.narrow() {
            lines as i32 * line + 2 + BAR_HEIGHT + BAR_GAP
        } else {
            (lines as i32 * line).max(BAR_HEIGHT) + BAR_GAP
        }
    };
    // The legend: as many columns as the longest status name allows.
    let swatch = 22;
    let item_w = Status::ALL
        .iter()
        .map(|s| text_width(t.status(*s), f.text, false))
        .fold(0.0, f64::max)
        + swatch as f64
        + 20.0;
    let cols = ((inner_w / item_w).floor() as usize).clamp(1, 4);
    let legend_rows = Status::ALL.len().div_ceil(cols) as i32;
    let legend_row = swatch + 8;
    let bars_h: i32 = labels.iter().map(|l| row_h(l.len())).sum();
    let height = fr.top() + bars_h.max(BAR_HEIGHT) + 8 + legend_rows * legend_row + fr.foot();
    let mut svg = fr.canvas(height);
    let max_total = rows
        .iter()
        .map(|r| r.counts.iter().sum::<usize>())
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let mut y = fr.top();
    for (row, lines) in rows.iter().zip(&labels) {
        let bar_y = if f.narrow() {
            for (k, l) in lines.iter().enumerate() {
                svg.text(l, (MARGIN, y + k as i32 * line), font(f.text));
            }
            y + lines.len() as i32 * line + 2
        } else {
            let block = lines.len() as i32 * line;
            let bar_y = y + (block - BAR_HEIGHT).max(0) / 2;
            let text_y = y + (BAR_HEIGHT - block).max(0) / 2;
            for (k, l) in lines.iter().enumerate() {
                svg.text(
                    l,
                    (MARGIN + label_w as i32, text_y + k as i32 * line),
                    font(f.text).at(HPos::Right, VPos::Top),
                );
            }
            bar_y
        };
        let mut x = bar_left as f64;
        for s in Status::ALL {
            let n = row.counts[s.index()];
            if n == 0 {
                continue;
            }
            let w = n as f64 / max_total * bar_width;
            let (x0, x1) = (x.round() as i32, (x + w).round() as i32 - SEGMENT_GAP);
            if x1 > x0 {
                svg.rect((x0, bar_y), (x1, bar_y + BAR_HEIGHT), status_color(s));
                if let Some(label) = segment_label(s, n, (x1 - x0) as f64, f.text) {
                    svg.text(
                        &label,
                        ((x0 + x1) / 2, bar_y + BAR_HEIGHT / 2),
                        bold(f.text)
                            .at(HPos::Center, VPos::Center)
                            .color(status_ink(s)),
                    );
                }
            }
            x += w;
        }
        let total: usize = row.counts.iter().sum();
        svg.text(
            &total.to_string(),
            (x.round() as i32 + 4, bar_y + BAR_HEIGHT / 2),
            font(f.text).at(HPos::Left, VPos::Center),
        );
        y += row_h(lines.len());
    }
    let legend_top = fr.top() + bars_h.max(BAR_HEIGHT) + 8;
    let col_w = inner_w / cols as f64;
    for (k, s) in Status::ALL.iter().enumerate() {
        let x = MARGIN + ((k % cols) as f64 * col_w) as i32;
        let y = legend_top + (k / cols) as i32 * legend_row;
        svg.rect((x, y), (x + swatch, y + swatch), status_color(*s));
        svg.text(
            icon(*s),
            (x + swatch / 2, y + swatch / 2),
            bold(f.text)
                .at(HPos::Center, VPos::Center)
                .color(status_ink(*s)),
        );
        svg.text(
            &shorten(t.status(*s), f.text, false, col_w - swatch as f64 - 12.0),
            (x + swatch + 8, y + swatch / 2),
            font(f.text).at(HPos::Left, VPos::Center),
        );
    }
    svg
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::parse_deadline;
    use crate::diag::Loc;
    use crate::status::KpiPoint;
    use std::collections::BTreeMap;
    use std::sync::Arc;

    const CREDIT: &str = "Nguồn: Cổng theo dõi tiến độ, số liệu tính đến ngày 25/06/2025";

    fn d(s: &str) -> Date {
        crate::date::parse_date(s).unwrap()
    }

    fn strings() -> Strings {
        let map: BTreeMap<String, String> =
            serde_saphyr::from_str(crate::theme::i18n("vi")).unwrap();
        Strings::new(&map, None)
    }

    fn kpi(target: f64, direction: Direction) -> Kpi {
        Kpi {
            id: "k".into(),
            name: "Tỷ lệ dịch vụ công trực tuyến".into(),
            name_en: None,
            description: None,
            reference: None,
            unit: "%".into(),
            target,
            direction,
            baseline: Some((d("2025-01-01"), 50.0)),
            deadline: parse_deadline("2025-12-31").unwrap(),
            owner: "a".into(),
            tasks: vec![],
            meta: Default::default(),
            loc: Loc::file(&Arc::from("k")),
        }
    }

    fn status(points: &[(&str, f64, bool)], k: &Kpi) -> KpiStatus {
        let points: Vec<KpiPoint> = points
            .iter()
            .map(|(date, value, baseline)| KpiPoint {
                date: d(date),
                value: *value,
                baseline: *baseline,
                report: if *baseline { None } else { Some(0) },
            })
            .collect();
        let pairs: Vec<(Date, f64)> = points.iter().map(|p| (p.date, p.value)).collect();
        let trend = crate::status::kpi::trend(&pairs, d("2025-12-31"));
        let latest = points.last().cloned();
        let reached = latest
            .as_ref()
            .is_some_and(|p| crate::status::kpi::meets(k.direction, p.value, k.target));
        let scale = crate::status::kpi::scale(k, &points);
        let (verdict, projection) =
            crate::status::kpi::judge(k, scale, reached, trend, k.deadline.date(), d("2025-07-01"));
        KpiStatus {
            points,
            latest,
            owner_on: None,
            gap: None,
            reached,
            reached_on: None,
            reached_late: false,
            trend,
            projection,
            scale,
            verdict,
        }
    }

    /// Parses the SVG and checks what every chart must have.
    fn check(chart: &Chart) -> roxmltree::Document<'_> {
        let doc = roxmltree::Document::parse(&chart.svg)
            .unwrap_or_else(|e| panic!("not XML: {e}\n{}", chart.svg));
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "svg");
        assert_eq!(root.attribute("role"), Some("img"));
        assert!(
            root.attribute("viewBox").is_some(),
            "scales through viewBox"
        );
        let title = root
            .children()
            .find(|n| n.has_tag_name("title"))
            .and_then(|n| n.text())
            .unwrap_or("");
        let desc = root
            .children()
            .find(|n| n.has_tag_name("desc"))
            .and_then(|n| n.text())
            .unwrap_or("");
        assert!(!title.is_empty() && !desc.is_empty());
        assert_eq!(title, chart.title);
        assert!(
            !chart.svg.contains("NaN") && !chart.svg.contains("inf"),
            "{}",
            chart.svg
        );
        assert!(chart.svg.len() < 30 * 1024, "{} bytes", chart.svg.len());
        doc
    }

    /// One of the two drawings: "wide" or "narrow".
    fn drawing<'a, 'b>(doc: &'b roxmltree::Document<'a>, class: &str) -> roxmltree::Node<'a, 'b> {
        doc.descendants()
            .find(|n| n.has_tag_name("g") && n.attribute("class") == Some(class))
            .unwrap_or_else(|| panic!("no {class} drawing"))
    }

    /// Circles in each drawing, the legend's sample aside: the same number
    /// in both.
    fn circles(doc: &roxmltree::Document) -> usize {
        let count = |class| {
            drawing(doc, class)
                .descendants()
                .filter(|n| n.has_tag_name("circle"))
                .filter(|n| {
                    !n.ancestors()
                        .any(|a| a.attribute("class") == Some("legend"))
                })
                .count()
        };
        assert_eq!(count("wide"), count("narrow"));
        count("wide")
    }

    /// The y of horizontal lines drawn with the target's dash.
    fn target_lines(doc: &roxmltree::Document) -> Vec<f64> {
        drawing(doc, "wide")
            .descendants()
            .filter(|n| {
                n.has_tag_name("polyline") && n.attribute("stroke-dasharray") == Some("10 5")
            })
            .filter_map(|n| {
                let ys: Vec<f64> = n
                    .attribute("points")?
                    .split_whitespace()
                    .filter_map(|p| p.split(',').nth(1)?.parse().ok())
                    .collect();
                (ys.len() == 2 && ys[0] == ys[1]).then_some(ys[0])
            })
            .collect()
    }

    #[test]
    fn kpi_chart_has_one_marker_per_value_and_the_target_at_the_target() {
        let k = kpi(90.0, Direction::Up);
        let ks = status(
            &[
                ("2025-01-01", 50.0, true),
                ("2025-03-15", 60.0, false),
                ("2025-06-15", 75.0, false),
            ],
            &k,
        );
        let chart = kpi_chart(&k, &ks, d("2025-06-25"), Lang::Vi, &strings(), CREDIT);
        let doc = check(&chart);
        assert_eq!(
            circles(&doc),
            2,
            "one circle per reported value; the baseline is a square"
        );
        let layout = kpi_layout(&k, &ks, d("2025-06-25"));
        let wide = Drawing::new(WIDE, &k.name, CREDIT);
        let expected = layout.y_pixel(layout.area(&k, Lang::Vi, &wide), 90.0);
        let lines = target_lines(&doc);
        assert!(
            lines.iter().any(|y| (y - expected).abs() <= 2.0),
            "target at {expected}, lines at {lines:?}"
        );
        assert!(chart.desc.contains("Mục tiêu 90%"), "{}", chart.desc);
        assert!(chart.desc.contains("75%"), "{}", chart.desc);
        assert!(
            chart.svg.contains("stroke-dasharray=\"4 4\""),
            "the trend is drawn dashed"
        );
    }

    #[test]
    fn kpi_chart_with_one_value_none_beyond_target_and_down() {
        let t = strings();
        let mut k = kpi(90.0, Direction::Up);
        k.baseline = None;
        let none = kpi_chart(&k, &status(&[], &k), d("2025-06-25"), Lang::Vi, &t, CREDIT);
        let doc = check(&none);
        assert_eq!(circles(&doc), 0);
        assert!(none.svg.contains("Chưa có giá trị."));

        let one = kpi_chart(
            &k,
            &status(&[("2025-03-15", 60.0, false)], &k),
            d("2025-06-25"),
            Lang::Vi,
            &t,
            CREDIT,
        );
        assert_eq!(circles(&check(&one)), 1);
        assert!(
            !one.svg.contains("stroke-dasharray=\"4 4\""),
            "no trend from one point"
        );

        let beyond = status(
            &[("2025-03-15", 60.0, false), ("2025-05-15", 140.0, false)],
            &k,
        );
        let chart = kpi_chart(&k, &beyond, d("2025-06-25"), Lang::Vi, &t, CREDIT);
        let doc = check(&chart);
        let layout = kpi_layout(&k, &beyond, d("2025-06-25"));
        assert!(
            layout.y.1 >= 140.0,
            "the axis reaches the highest value: {layout:?}"
        );
        assert_eq!(circles(&doc), 2);

        let mut down = kpi(10.0, Direction::Down);
        down.baseline = Some((d("2025-01-01"), 40.0));
        let ks = status(
            &[("2025-01-01", 40.0, true), ("2025-04-01", 30.0, false)],
            &down,
        );
        let chart = kpi_chart(&down, &ks, d("2025-06-25"), Lang::En, &t, CREDIT);
        check(&chart);
        assert!(
            chart.desc.contains("Giá trị càng thấp càng tốt."),
            "{}",
            chart.desc
        );
    }

    #[test]
    fn vietnamese_numbers_use_the_decimal_comma() {
        let mut k = kpi(2.5, Direction::Up);
        k.unit = "trung tâm".into();
        k.baseline = Some((d("2025-01-01"), 0.0));
        let ks = status(&[("2025-01-01", 0.0, true), ("2025-03-15", 1.5, false)], &k);
        let vi = kpi_chart(&k, &ks, d("2025-06-25"), Lang::Vi, &strings(), CREDIT);
        assert!(
            vi.svg.contains("2,5 trung tâm") && vi.svg.contains("1,5 trung tâm"),
            "{}",
            vi.svg
        );
        let en = kpi_chart(&k, &ks, d("2025-06-25"), Lang::En, &strings(), CREDIT);
        assert!(en.svg.contains("1.5 trung tâm"));
    }

    #[test]
    fn status_bars_label_every_segment() {
        let rows = vec![
            BarRow {
                label: "Sở Y tế".into(),
                counts: [1, 0, 0, 2, 0, 0, 1, 0, 0],
            },
            BarRow {
                label: "Sở KH&CN".into(),
                counts: [3, 2, 1, 0, 0, 0, 1, 1, 0],
            },
        ];
        let chart = status_bars("bars", "Nhiệm vụ".into(), &rows, &strings(), CREDIT);
        let doc = check(&chart);
        let texts: Vec<&str> = drawing(&doc, "narrow")
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .filter_map(|n| n.text())
            .map(str::trim)
            .collect();
        let t = strings();
        for s in Status::ALL {
            assert!(texts.contains(&t.status(s)), "legend has {}", t.status(s));
        }
        assert!(
            texts.contains(&"Sở KH&CN") && texts.contains(&"8"),
            "{texts:?}"
        );
        assert!(
            chart
                .desc
                .contains("Sở Y tế: 4 (1 hoàn thành đúng hạn, 2 quá hạn, 1 đang thực hiện)."),
            "{}",
            chart.desc
        );
    }

    #[test]
    fn burnup_chart_ends_with_the_figures_of_d() {
        let points = vec![
            BurnupPoint {
                date: d("2025-02-18"),
                due: 0,
                done: 0,
            },
            BurnupPoint {
                date: d("2025-03-31"),
                due: 3,
                done: 1,
            },
            BurnupPoint {
                date: d("2025-06-25"),
                due: 5,
                done: 4,
            },
        ];
        let chart = burnup_chart(&points, d("2025-06-25"), Lang::Vi, &strings(), CREDIT);
        check(&chart);
        assert!(
            chart
                .desc
                .contains("Đến ngày 25/06/2025: 5 nhiệm vụ đã đến hạn, 4 nhiệm vụ đã hoàn thành."),
            "{}",
            chart.desc
        );
        assert!(chart.svg.contains("Đã đến hạn 5") && chart.svg.contains("Đã hoàn thành 4"));
        let empty = burnup_chart(&[], d("2025-06-25"), Lang::Vi, &strings(), CREDIT);
        check(&empty);
    }

    /// CIE L*a*b* (D65) of a colour given in linear RGB.
    fn lab(lin: [f64; 3]) -> [f64; 3] {
        let [r, g, b] = lin;
        let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
        let y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
        let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
        let f = |t: f64| {
            if t > 216.0 / 24389.0 {
                t.cbrt()
            } else {
                (24389.0 / 27.0 * t + 16.0) / 116.0
            }
        };
        [
            116.0 * f(y) - 16.0,
            500.0 * (f(x) - f(y)),
            200.0 * (f(y) - f(z)),
        ]
    }

    fn linear(c: Rgb) -> [f64; 3] {
        let l = |v: u8| {
            let v = v as f64 / 255.0;
            if v <= 0.04045 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        [l(c.0), l(c.1), l(c.2)]
    }

    /// Deuteranopia, Machado, Oliveira and Fernandes (2009), severity 1.0,
    /// applied in linear RGB.
    fn deuteranopia(c: [f64; 3]) -> [f64; 3] {
        const M: [[f64; 3]; 3] = [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ];
        M.map(|row| (row[0] * c[0] + row[1] * c[1] + row[2] * c[2]).clamp(0.0, 1.0))
    }

    fn distance(a: [f64; 3], b: [f64; 3]) -> f64 {
        a.iter()
            .zip(b)
            .map(|(x, y)| (x - y).powi(2))
            .sum::<f64>()
            .sqrt()
    }

    fn pairs() -> Vec<(Status, Status)> {
        let mut out = Vec::new();
        for (i, a) in Status::ALL.iter().enumerate() {
            for b in &Status::ALL[i + 1..] {
                out.push((*a, *b));
            }
        }
        out
    }

    #[test]
    fn status_colours_stay_apart_in_greyscale_and_under_deuteranopia() {
        for s in Status::ALL {
            let l = luminance(status_color(s));
            let against_white = 1.05 / (l + 0.05);
            assert!(against_white >= 3.0, "{s:?} on white: {against_white:.2}");
            let ink = luminance(status_ink(s));
            let text = (l.max(ink) + 0.05) / (l.min(ink) + 0.05);
            assert!(text >= 4.5, "{s:?}: count on its fill {text:.2}");
        }
        for (a, b) in pairs() {
            let (la, lb) = (lab(linear(status_color(a))), lab(linear(status_color(b))));
            // Greyscale keeps lightness only.
            let grey = (la[0] - lb[0]).abs();
            assert!(grey >= 4.5, "{a:?} and {b:?} in greyscale: ΔL* {grey:.1}");
            let normal = distance(la, lb);
            assert!(normal >= 15.0, "{a:?} and {b:?}: ΔE {normal:.1}");
            let deut = distance(
                lab(deuteranopia(linear(status_color(a)))),
                lab(deuteranopia(linear(status_color(b)))),
            );
            assert!(
                deut >= 15.0,
                "{a:?} and {b:?} under deuteranopia: ΔE {deut:.1}"
            );
        }
    }

    #[test]
    fn the_old_palette_fails_the_simulation() {
        // The palette before issue 15: a test that can fail, failing.
        let old = [Rgb(0x3f, 0x52, 0x08), Rgb(0x7c, 0x2d, 0x12)];
        let deut = distance(
            lab(deuteranopia(linear(old[0]))),
            lab(deuteranopia(linear(old[1]))),
        );
        assert!(deut < 15.0, "{deut}");
    }

    #[test]
    fn every_text_is_at_least_the_frame_size_and_fits_its_width() {
        let k = kpi(90.0, Direction::Up);
        let ks = status(
            &[("2025-01-01", 50.0, true), ("2025-06-15", 75.0, false)],
            &k,
        );
        let rows = vec![BarRow {
            label: "Ngân hàng Nhà nước Việt Nam chi nhánh tỉnh Hải Dương và các đơn vị trực thuộc"
                .into(),
            counts: [1; Status::ALL.len()],
        }];
        let charts = [
            kpi_chart(&k, &ks, d("2025-06-25"), Lang::Vi, &strings(), CREDIT),
            status_bars("b", "Nhiệm vụ".into(), &rows, &strings(), CREDIT),
            burnup_chart(&[], d("2025-06-25"), Lang::Vi, &strings(), CREDIT),
        ];
        for chart in &charts {
            let doc = check(chart);
            for (class, frame) in [("wide", WIDE), ("narrow", NARROW)] {
                let g = drawing(&doc, class);
                let mut texts = 0;
                for n in g.descendants().filter(|n| n.has_tag_name("text")) {
                    texts += 1;
                    let size: f64 = n
                        .attribute("font-size")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(0.0);
                    assert!(
                        size >= frame.text as f64,
                        "{class}: {size} < {}",
                        frame.text
                    );
                    let text = n.text().unwrap_or("").trim();
                    let w = text_width(
                        text,
                        size as u32,
                        n.attribute("font-weight") == Some("bold"),
                    );
                    let x: f64 = n.attribute("x").and_then(|v| v.parse().ok()).unwrap_or(0.0);
                    let (x0, x1) = match n.attribute("text-anchor") {
                        Some("middle") => (x - w / 2.0, x + w / 2.0),
                        Some("end") => (x - w, x),
                        _ => (x, x + w),
                    };
                    assert!(
                        x0 >= -0.5 && x1 <= frame.width as f64 + 0.5,
                        "{class}: {text:?} from {x0:.0} to {x1:.0} in {}",
                        frame.width
                    );
                }
                assert!(texts > 5, "{class}");
                let all: String = g.descendants().filter_map(|n| n.text()).collect();
                assert!(
                    all.contains("25/06/2025") && all.contains("Nguồn"),
                    "{class}: source and date drawn"
                );
            }
            let (w, h) = chart.narrow;
            assert_eq!(w, NARROW.width);
            assert!(h > 100, "{h}");
        }
    }

    /// The cut that measuring every shorter prefix found, one character at
    /// a time (the quadratic way shorten went before issue 29).
    fn shorten_by_popping(s: &str, size: u32, bold: bool, max: f64) -> String {
        if text_width(s, size, bold) <= max {
            return s.to_string();
        }
        let mut out: Vec<char> = s.chars().collect();
        while !out.is_empty() {
            out.pop();
            let cut: String = out.iter().collect::<String>().trim_end().to_string() + "…";
            if text_width(&cut, size, bold) <= max {
                return cut;
            }
        }
        "…".to_string()
    }

    /// The box of a `<text>` as the chart placed it, from its attributes.
    fn drawn_box(n: roxmltree::Node) -> [f64; 4] {
        let num = |a: &str| {
            n.attribute(a)
                .and_then(|v| v.parse::<f64>().ok())
                .unwrap_or(0.0)
        };
        let size = num("font-size") as u32;
        let h = match n.attribute("text-anchor") {
            Some("middle") => HPos::Center,
            Some("end") => HPos::Right,
            _ => HPos::Left,
        };
        let v = match n.attribute("dy") {
            Some("0.76em") => VPos::Top,
            Some("0.5ex") => VPos::Center,
            _ => VPos::Bottom,
        };
        let text = n.text().unwrap_or("").trim();
        let w = text_width(text, size, n.attribute("font-weight") == Some("bold"));
        Placed::text_box((num("x") as i32, num("y") as i32, h, v), w, size)
    }

    /// The segments of the polylines drawn with `dash`, the legend aside.
    fn dashed(g: roxmltree::Node, dash: &str) -> Vec<((f64, f64), (f64, f64))> {
        g.descendants()
            .filter(|n| {
                n.has_tag_name("polyline")
                    && n.attribute("stroke-dasharray") == Some(dash)
                    && !n
                        .ancestors()
                        .any(|a| a.attribute("class") == Some("legend"))
            })
            .flat_map(|n| {
                let pts: Vec<(f64, f64)> = n
                    .attribute("points")
                    .unwrap_or("")
                    .split_whitespace()
                    .filter_map(|p| {
                        let (x, y) = p.split_once(',')?;
                        Some((x.parse().ok()?, y.parse().ok()?))
                    })
                    .collect();
                pts.windows(2).map(|w| (w[0], w[1])).collect::<Vec<_>>()
            })
            .collect()
    }

    /// On a phone as on a desktop, the latest value's label crosses
    /// neither the goal's line nor the trend's (issue 28: "79%" was drawn
    /// across both), and the legend names the trend with the sentence the
    /// description gives.
    #[test]
    fn the_latest_value_label_keeps_clear_of_goal_and_trend() {
        let t = strings();
        let up = kpi(90.0, Direction::Up);
        let mut rank = kpi(30.0, Direction::Down);
        rank.unit = "hạng".into();
        rank.baseline = Some((d("2025-01-01"), 38.0));
        let cases = [
            (
                up.clone(),
                status(
                    &[
                        ("2025-01-01", 50.0, true),
                        ("2025-03-15", 70.0, false),
                        ("2025-06-15", 86.0, false),
                    ],
                    &up,
                ),
            ),
            (
                up.clone(),
                status(
                    &[("2025-01-01", 50.0, true), ("2025-06-15", 89.0, false)],
                    &up,
                ),
            ),
            (
                rank.clone(),
                status(
                    &[
                        ("2025-01-01", 38.0, true),
                        ("2025-04-01", 35.0, false),
                        ("2025-06-01", 33.0, false),
                    ],
                    &rank,
                ),
            ),
        ];
        for (k, ks) in &cases {
            let chart = kpi_chart(k, ks, d("2025-06-25"), Lang::Vi, &t, CREDIT);
            let doc = check(&chart);
            let latest = value(Lang::Vi, &t, k, ks.points.last().unwrap().value);
            for class in ["wide", "narrow"] {
                let g = drawing(&doc, class);
                let label = g
                    .descendants()
                    .find(|n| {
                        n.has_tag_name("text")
                            && n.attribute("font-weight") == Some("bold")
                            && n.text().map(str::trim) == Some(latest.as_str())
                    })
                    .unwrap_or_else(|| panic!("{class}: no label {latest}"));
                let b = drawn_box(label);
                let lines = [dashed(g, "10 5"), dashed(g, "4 4")].concat();
                assert!(lines.len() >= 2, "{class}: goal and trend drawn");
                for (p, q) in lines {
                    assert!(
                        !crosses(b, p, q),
                        "{class}: {latest} at {b:?} crosses {p:?}-{q:?}"
                    );
                }
                let legend: String = g
                    .descendants()
                    .filter(|n| n.attribute("class") == Some("legend"))
                    .flat_map(|n| n.descendants())
                    .filter_map(|n| n.text())
                    .map(str::trim)
                    .collect::<Vec<_>>()
                    .join(" ");
                let note = trend_note(k, ks, Lang::Vi, &t).unwrap();
                assert!(chart.desc.contains(&note), "{}", chart.desc);
                let first_words: String = note.split(' ').take(4).collect::<Vec<_>>().join(" ");
                assert!(legend.contains(&first_words), "{class}: {legend}");
            }
        }
    }

    /// A rank: 1 is the best, at the top; values read "hạng 33"; the goal
    /// reads "hạng 30 trở lên".
    #[test]
    fn a_rank_chart_puts_the_best_rank_at_the_top() {
        let mut k = kpi(30.0, Direction::Down);
        k.unit = "hạng".into();
        k.baseline = Some((d("2025-01-01"), 38.0));
        let ks = status(
            &[("2025-01-01", 38.0, true), ("2025-06-01", 33.0, false)],
            &k,
        );
        assert!(is_rank(&k));
        let layout = kpi_layout(&k, &ks, d("2025-06-25"));
        assert!(layout.inverted);
        let area = layout.area(&k, Lang::Vi, &Drawing::new(WIDE, &k.name, CREDIT));
        assert!(
            layout.y_pixel(area, 1.0) < layout.y_pixel(area, 33.0)
                && layout.y_pixel(area, 33.0) < layout.y_pixel(area, 38.0),
            "rank 1 at the top"
        );
        assert!(layout.y.0 <= 1.0 && layout.y.1 >= 38.0, "{layout:?}");
        let chart = kpi_chart(&k, &ks, d("2025-06-25"), Lang::Vi, &strings(), CREDIT);
        let doc = check(&chart);
        // The goal line is drawn where the layout puts rank 30.
        let lines = target_lines(&doc);
        let expected = layout.y_pixel(area, 30.0);
        assert!(
            lines.iter().any(|y| (y - expected).abs() <= 1.0),
            "{lines:?} {expected}"
        );
        assert!(chart.svg.contains(">hạng 33</text>"), "{}", chart.svg);
        assert!(
            chart.svg.contains("Mục tiêu: hạng 30 trở lên"),
            "{}",
            chart.svg
        );
        assert!(!chart.svg.contains("33 hạng") && !chart.desc.contains("33 hạng"));
        // Not a rank: a falling rate keeps its axis the right way up.
        let mut rate = kpi(10.0, Direction::Down);
        rate.unit = "%".into();
        assert!(!is_rank(&rate));
    }

    /// A control character in a name leaves the chart well-formed XML.
    #[test]
    fn a_control_character_in_a_name_leaves_the_chart_well_formed() {
        let mut k = kpi(90.0, Direction::Up);
        k.name = "Chỉ tiêu\u{7} có\u{1b} chuông\u{0}".into();
        let ks = status(
            &[("2025-01-01", 50.0, true), ("2025-06-15", 75.0, false)],
            &k,
        );
        let chart = kpi_chart(&k, &ks, d("2025-06-25"), Lang::Vi, &strings(), CREDIT);
        let doc = roxmltree::Document::parse(&chart.svg).unwrap_or_else(|e| panic!("{e}"));
        let title = doc
            .root_element()
            .children()
            .find(|n| n.has_tag_name("title"))
            .and_then(|n| n.text());
        assert_eq!(title, Some("Chỉ tiêu có chuông"));
        let rows = vec![BarRow {
            label: "Sở\u{7}".into(),
            counts: [1; Status::ALL.len()],
        }];
        let bars = status_bars("b", "Nhiệm\u{b} vụ".into(), &rows, &strings(), CREDIT);
        roxmltree::Document::parse(&bars.svg).unwrap_or_else(|e| panic!("{e}"));
    }

    #[test]
    fn ticks_are_round_and_within_the_range() {
        assert_eq!(ticks(0.0, 108.0, 6), [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        assert_eq!(ticks(0.0, 5.5, 4), [0.0, 2.0, 4.0]);
        assert_eq!(ticks(3.0, 3.0, 4), [3.0]);
    }

    #[test]
    fn shorten_cuts_where_measuring_every_prefix_did() {
        for s in [
            "Ngân hàng Nhà nước Việt Nam chi nhánh tỉnh Hải Dương",
            "Sở Y tế",
            "a    b    c    d    e    f    g    h",
            "MMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMM",
            "ỗỗỗ ỗỗ ỗ",
            "",
        ] {
            for max in [0.0, 5.0, 20.0, 57.5, 100.0, 150.0, 1000.0] {
                for bold in [false, true] {
                    assert_eq!(
                        shorten(s, 14, bold, max),
                        shorten_by_popping(s, 14, bold, max),
                        "{s:?} in {max}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_megabyte_title_is_wrapped_and_shortened() {
        // A megabyte: the quadratic cut measured 10^12 characters here.
        let long = "Nhiệm vụ chuyển đổi số ".repeat(40_000);
        let lines = wrap(&long, 16, true, 900.0, 3);
        assert_eq!(lines.len(), 3);
        assert!(lines[2].ends_with('…'), "{lines:?}");
        for l in &lines {
            assert!(text_width(l, 16, true) <= 900.0, "{l}");
        }
        let one_word = "x".repeat(1 << 20);
        let cut = shorten(&one_word, 14, false, 300.0);
        assert!(cut.ends_with('…') && text_width(&cut, 14, false) <= 300.0);
        let drawing = Drawing::new(NARROW, &long, CREDIT);
        assert_eq!(drawing.title.len(), 3);
    }

    #[test]
    fn wrap_breaks_at_spaces_and_shortens_what_does_not_fit() {
        let s = "Ngân hàng Nhà nước Việt Nam chi nhánh tỉnh Hải Dương";
        let lines = wrap(s, 14, false, 150.0, 2);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines[1].ends_with('…'), "{lines:?}");
        for l in &lines {
            assert!(text_width(l, 14, false) <= 150.0, "{l}");
        }
        assert_eq!(wrap("Sở Y tế", 14, false, 150.0, 2), vec!["Sở Y tế"]);
        // Measured, not counted: "iiii" is narrower than "MMMM".
        assert!(text_width("iiii", 14, false) * 2.0 < text_width("MMMM", 14, false));
    }
}
