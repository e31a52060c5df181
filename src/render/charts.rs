//! Charts as accessible SVG, drawn with plotters into memory: a KPI's values
//! against its target and deadline with the projected trend, the plan's
//! burn-up, and status mixes as stacked bars. Pure.
//!
//! Every chart carries `role="img"`, a `<title>` and a `<desc>` with the key
//! figures, scales through its `viewBox`, and never uses colour alone: lines
//! differ by dash and marker shape and carry direct labels; bar segments
//! carry their counts and a legend with the status labels.

use super::escape::escape;
use super::i18n::{Lang, Strings};
use super::views::icon;
use crate::date::{Date, fmt_date};
use crate::model::{Direction, Kpi};
use crate::status::{BurnupPoint, KpiStatus, Status};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// A finished chart: the SVG and its accessible name and description.
#[derive(Debug, Clone)]
pub struct Chart {
    pub svg: String,
    pub title: String,
    pub desc: String,
}

pub const WIDTH: u32 = 640;
pub const HEIGHT: u32 = 360;
const MARGIN: u32 = 16;
const X_LABELS: u32 = 36;
const Y_LABELS: u32 = 56;
const FONT: &str = "sans-serif";
const TEXT: RGBColor = RGBColor(0x1a, 0x1a, 0x1a);
const VALUES: RGBColor = RGBColor(0x0b, 0x4f, 0x8a);
const TARGET: RGBColor = RGBColor(0x14, 0x53, 0x2d);
const DEADLINE: RGBColor = RGBColor(0x7c, 0x2d, 0x12);

/// Colours drawn solid by plotters and turned into dashed strokes after:
/// plotters' own dashed series emit one element per dash.
const DASHES: [(RGBColor, &str, &str); 4] = [
    (RGBColor(0x14, 0x53, 0x2e), "#14532D", "10 5"),
    (RGBColor(0x6b, 0x21, 0xa9), "#6B21A8", "4 4"),
    (RGBColor(0x7c, 0x2d, 0x13), "#7C2D12", "6 3"),
    (RGBColor(0x7c, 0x2d, 0x14), "#7C2D12", "2 3"),
];
const TARGET_DASH: RGBColor = DASHES[0].0;
const TREND_DASH: RGBColor = DASHES[1].0;
const DEADLINE_DASH: RGBColor = DASHES[2].0;
const DUE_DASH: RGBColor = DASHES[3].0;

/// The fill of each status, the same as the text colour of its label on
/// the pages (all pass 3:1 against white; counts on them are white).
pub fn status_color(s: Status) -> RGBColor {
    match s {
        Status::DoneOnTime => RGBColor(0x14, 0x53, 0x2d),
        Status::DoneLate => RGBColor(0x3f, 0x52, 0x08),
        Status::Ongoing => RGBColor(0x1e, 0x3a, 0x8a),
        Status::Overdue => RGBColor(0x99, 0x1b, 0x1b),
        Status::DueSoon => RGBColor(0x7c, 0x2d, 0x12),
        Status::Blocked => RGBColor(0x6b, 0x21, 0xa8),
        Status::InProgress => RGBColor(0x07, 0x59, 0x85),
        Status::Unassigned => RGBColor(0xa1, 0x62, 0x07),
        Status::NotStarted => RGBColor(0x37, 0x41, 0x51),
    }
}

fn hex(c: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

/// Adds the accessible name and description, and the dashes.
fn finish(mut svg: String, id: &str, title: String, desc: String) -> Chart {
    for (color, real, dash) in DASHES {
        svg = svg.replace(
            &format!("stroke=\"{}\"", hex(color)),
            &format!("stroke=\"{real}\" stroke-dasharray=\"{dash}\""),
        );
    }
    let head = format!(
        " role=\"img\" aria-labelledby=\"{id}-title {id}-desc\"><title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        escape(&title),
        escape(&desc)
    );
    if let Some(end) = svg.find('>') {
        svg.replace_range(end..=end, &head);
    }
    Chart { svg, title, desc }
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

/// First days of months between two x values, thinned to at most seven.
fn month_ticks(x0: f64, x1: f64) -> Vec<f64> {
    let mut p = crate::date::Period::of(date_of(x0)).next();
    let mut all = Vec::new();
    while days(p.first_day()) <= x1 {
        all.push(days(p.first_day()));
        p = p.next();
    }
    let step = all.len().div_ceil(7).max(1);
    all.into_iter().step_by(step).collect()
}

/// Month labels under the x axis, drawn by hand so that they fall on the
/// first of each month rather than on plotters' round numbers of days.
fn draw_month_axis<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    to_px: impl Fn(f64) -> (i32, i32),
    x0: f64,
    x1: f64,
) -> Result<(), Box<dyn std::error::Error>>
where
    DB::ErrorType: 'static,
{
    for x in month_ticks(x0, x1) {
        let (px, py) = to_px(x);
        root.draw(&PathElement::new(
            [(px, py), (px, py + 5)],
            RGBColor(0x6b, 0x72, 0x80),
        ))?;
        root.draw(&Text::new(
            month_label(x),
            (px, py + 8),
            anchored(13, HPos::Center, VPos::Top),
        ))?;
    }
    Ok(())
}

type Chart2d<'a, 'b> =
    ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Horizontal grid lines and y labels only; months are drawn by hand.
fn draw_mesh(
    chart: &mut Chart2d,
    y_fmt: &dyn Fn(&f64) -> String,
) -> Result<(), Box<dyn std::error::Error>> {
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(RGBColor(0xd0, 0xd4, 0xd9))
        .axis_style(RGBColor(0x6b, 0x72, 0x80))
        .x_labels(0)
        .y_labels(6)
        .y_label_formatter(y_fmt)
        .label_style(font(13))
        .draw()?;
    Ok(())
}

fn font(size: u32) -> TextStyle<'static> {
    TextStyle::from((FONT, size).into_font()).color(&TEXT)
}

fn anchored(size: u32, h: HPos, v: VPos) -> TextStyle<'static> {
    font(size).pos(Pos::new(h, v))
}

/// A value with the KPI's unit in the page's language.
fn value(lang: Lang, kpi: &Kpi, v: f64) -> String {
    let n = lang.number(v);
    if kpi.unit == "%" {
        format!("{n}%")
    } else {
        format!("{n} {}", kpi.unit)
    }
}

/// Where things go in a KPI chart: the axes' ranges, from the data.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KpiLayout {
    pub x: (f64, f64),
    pub y: (f64, f64),
}

impl KpiLayout {
    /// The plotting area in pixels: left, top, right, bottom.
    pub fn area() -> (f64, f64, f64, f64) {
        let left = (MARGIN + Y_LABELS) as f64;
        let top = MARGIN as f64 + 22.0;
        (
            left,
            top,
            (WIDTH - MARGIN) as f64,
            (HEIGHT - MARGIN - X_LABELS) as f64,
        )
    }

    /// The pixel row of a value.
    pub fn y_pixel(&self, v: f64) -> f64 {
        let (_, top, _, bottom) = Self::area();
        top + (self.y.1 - v) / (self.y.1 - self.y.0) * (bottom - top)
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
    KpiLayout {
        x: (days(start) - span * 0.02, days(end) + span * 0.06),
        y: (lo, hi + pad),
    }
}

/// A KPI's values over time: baseline (square), reported values (circles),
/// the target (long dashes), the deadline (vertical dashes) and the
/// least-squares trend to the deadline (short dashes).
pub fn kpi_chart(kpi: &Kpi, ks: &KpiStatus, as_of: Date, lang: Lang, t: &Strings) -> Chart {
    let name = lang.pick(&kpi.name, kpi.name_en.as_deref()).to_string();
    let layout = kpi_layout(kpi, ks, as_of);
    let deadline = kpi.deadline.date().unwrap_or(as_of);
    let mut svg = String::new();
    let drawn = draw_kpi(&mut svg, kpi, ks, layout, deadline, lang, t);
    let mut desc = Vec::new();
    desc.push(t.get("chart_kpi_desc").to_string());
    if let Some((d, v)) = kpi.baseline {
        desc.push(format!(
            "{} {} ({}).",
            t.get("kpi_baseline"),
            value(lang, kpi, v),
            fmt_date(d)
        ));
    }
    match &ks.latest {
        Some(p) if !p.baseline => desc.push(format!(
            "{} {} ({}).",
            t.get("chart_latest"),
            value(lang, kpi, p.value),
            fmt_date(p.date)
        )),
        _ => desc.push(t.get("no_values").to_string()),
    }
    desc.push(format!(
        "{} {} {}.",
        t.get("chart_target"),
        value(lang, kpi, kpi.target),
        lang.deadline(&kpi.deadline)
    ));
    desc.push(format!(
        "{}.",
        t.get(&format!("verdict_{}", ks.verdict.code()))
    ));
    if let Some(p) = ks.projection {
        let note = match p.reaches_on {
            Some(d) => t.get("kpi_reaches_on").replace("{date}", &fmt_date(d)),
            None => t
                .get("kpi_projected_at")
                .replace("{date}", &fmt_date(p.deadline))
                .replace("{value}", &value(lang, kpi, p.at_deadline)),
        };
        desc.push(format!("{} {note}", t.get("chart_trend_dashed")));
    }
    if kpi.direction == Direction::Down {
        desc.push(t.get("kpi_down").to_string());
    }
    if drawn.is_err() {
        desc.push(t.get("chart_failed").to_string());
    }
    finish(svg, &format!("kpi-{}", kpi.id), name, desc.join(" "))
}

fn draw_kpi(
    svg: &mut String,
    kpi: &Kpi,
    ks: &KpiStatus,
    layout: KpiLayout,
    deadline: Date,
    lang: Lang,
    t: &Strings,
) -> Result<(), Box<dyn std::error::Error>> {
    let root = SVGBackend::with_string(svg, (WIDTH, HEIGHT)).into_drawing_area();
    root.fill(&WHITE)?;
    let (left, top, right, bottom) = KpiLayout::area();
    let mut chart = ChartBuilder::on(&root)
        .margin_top(top as u32)
        .margin_left(MARGIN)
        .margin_right(MARGIN)
        .margin_bottom(MARGIN)
        .x_label_area_size(X_LABELS)
        .y_label_area_size(Y_LABELS)
        .build_cartesian_2d(layout.x.0..layout.x.1, layout.y.0..layout.y.1)?;
    let y_fmt = |v: &f64| {
        if kpi.unit == "%" {
            format!("{}%", lang.number(*v))
        } else {
            lang.number(*v)
        }
    };
    draw_mesh(&mut chart, &y_fmt)?;
    let (x0, x1) = layout.x;
    draw_month_axis(&root, |x| chart.backend_coord(&(x, layout.y.0)), x0, x1)?;
    // Target: a horizontal line with its value written on it.
    chart.draw_series(LineSeries::new(
        [(x0, kpi.target), (x1, kpi.target)],
        TARGET_DASH.stroke_width(2),
    ))?;
    // The goal's label sits at the left end, on the side of the line away
    // from where the values start.
    let first = ks.points.first().map_or(kpi.target, |p| p.value);
    let (dy, v) = if first < kpi.target {
        (-4, VPos::Bottom)
    } else {
        (4, VPos::Top)
    };
    let target_label = match kpi.direction {
        Direction::Up => format!(
            "{} {}",
            t.get("chart_target_short"),
            value(lang, kpi, kpi.target)
        ),
        Direction::Down => format!(
            "{} ≤ {} (↓ {})",
            t.get("chart_target_short"),
            value(lang, kpi, kpi.target),
            t.get("lower_better")
        ),
    };
    root.draw(&Text::new(
        target_label,
        (left as i32 + 8, layout.y_pixel(kpi.target) as i32 + dy),
        anchored(13, HPos::Left, v).color(&TARGET),
    ))?;
    // Deadline: a vertical line labelled at the top.
    let dx = days(deadline);
    chart.draw_series(LineSeries::new(
        [(dx, layout.y.0), (dx, layout.y.1)],
        DEADLINE_DASH.stroke_width(2),
    ))?;
    let deadline_x = chart.backend_coord(&(dx, layout.y.1)).0;
    let (h, shift) = if (deadline_x as f64) > (left + right) / 2.0 {
        (HPos::Right, -4)
    } else {
        (HPos::Left, 4)
    };
    root.draw(&Text::new(
        format!("{} {}", t.get("chart_deadline_short"), fmt_date(deadline)),
        (deadline_x + shift, top as i32 - 6),
        anchored(13, h, VPos::Bottom).color(&DEADLINE),
    ))?;
    // Trend, only while the deadline is ahead: up to the target, a
    // bound of the unit or the deadline (status decides where).
    if let (Some(trend), Some(p)) = (ks.trend, ks.projection) {
        let from = ks.points.first().map_or(trend.first, |p| p.date);
        chart.draw_series(LineSeries::new(
            [(days(from), trend.at(from)), (days(p.end.0), p.end.1)],
            TREND_DASH.stroke_width(2),
        ))?;
    }
    // Values: one line through all points, a square for the baseline and a
    // circle for each reported value.
    let points: Vec<(f64, f64)> = ks.points.iter().map(|p| (days(p.date), p.value)).collect();
    if points.len() > 1 {
        chart.draw_series(LineSeries::new(
            points.iter().copied(),
            VALUES.stroke_width(3),
        ))?;
    }
    for p in &ks.points {
        let at = (days(p.date), p.value);
        if p.baseline {
            let (px, py) = chart.backend_coord(&at);
            root.draw(&Rectangle::new(
                [(px - 5, py - 5), (px + 5, py + 5)],
                VALUES.filled(),
            ))?;
        } else {
            chart.draw_series([Circle::new(at, 5, VALUES.filled())])?;
        }
    }
    if let Some(last) = ks.points.last() {
        let (px, py) = chart.backend_coord(&(days(last.date), last.value));
        root.draw(&Text::new(
            value(lang, kpi, last.value),
            (px + 8, py - 8),
            anchored(14, HPos::Left, VPos::Bottom).color(&VALUES),
        ))?;
    } else {
        root.draw(&Text::new(
            t.get("no_values").to_string(),
            (((left + right) / 2.0) as i32, ((top + bottom) / 2.0) as i32),
            anchored(15, HPos::Center, VPos::Center),
        ))?;
    }
    root.present()?;
    Ok(())
}

/// The plan's burn-up as of D: tasks due so far (dashed) against tasks
/// finished (solid), both as steps.
pub fn burnup_chart(points: &[BurnupPoint], as_of: Date, lang: Lang, t: &Strings) -> Chart {
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
    let mut svg = String::new();
    let drawn = draw_burnup(&mut svg, points, as_of, lang, t);
    let desc = if drawn.is_err() {
        format!("{desc} {}", t.get("chart_failed"))
    } else {
        desc
    };
    finish(svg, "burnup", title, desc)
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

fn draw_burnup(
    svg: &mut String,
    points: &[BurnupPoint],
    as_of: Date,
    lang: Lang,
    t: &Strings,
) -> Result<(), Box<dyn std::error::Error>> {
    let root = SVGBackend::with_string(svg, (WIDTH, HEIGHT)).into_drawing_area();
    root.fill(&WHITE)?;
    let start = points.first().map_or(as_of, |p| p.date);
    let end = as_of.max(start + chrono::Duration::days(30));
    let top_value = points
        .iter()
        .map(|p| p.due.max(p.done))
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let mut chart = ChartBuilder::on(&root)
        .margin_top(MARGIN + 22)
        .margin_left(MARGIN)
        .margin_right(MARGIN + 110)
        .margin_bottom(MARGIN)
        .x_label_area_size(X_LABELS)
        .y_label_area_size(Y_LABELS - 16)
        .build_cartesian_2d(days(start)..days(end), 0f64..top_value * 1.1)?;
    let y_fmt = |v: &f64| lang.number(v.round());
    draw_mesh(&mut chart, &y_fmt)?;
    draw_month_axis(
        &root,
        |x| chart.backend_coord(&(x, 0.0)),
        days(start),
        days(end),
    )?;
    let due = steps(points, |p| p.due);
    let done = steps(points, |p| p.done);
    chart.draw_series(LineSeries::new(
        due.iter().copied(),
        DUE_DASH.stroke_width(3),
    ))?;
    chart.draw_series(LineSeries::new(
        done.iter().copied(),
        TARGET.stroke_width(3),
    ))?;
    if let Some(last) = points.last() {
        let (px, py) = chart.backend_coord(&(days(last.date), last.due as f64));
        let (_, qy) = chart.backend_coord(&(days(last.date), last.done as f64));
        // Keep the two end labels apart when the lines end close together.
        let (py, qy) = if (py - qy).abs() < 18 {
            (py.min(qy) - 9, py.max(qy) + 9)
        } else {
            (py, qy)
        };
        root.draw(&Text::new(
            format!("{} {}", t.get("chart_due"), last.due),
            (px + 6, py),
            anchored(13, HPos::Left, VPos::Center).color(&DEADLINE),
        ))?;
        root.draw(&Text::new(
            format!("{} {}", t.get("chart_done"), last.done),
            (px + 6, qy),
            anchored(13, HPos::Left, VPos::Center).color(&TARGET),
        ))?;
    }
    root.draw(&Text::new(
        format!("{} {}", t.get("as_of"), fmt_date(as_of)),
        (MARGIN as i32 + Y_LABELS as i32 - 16, MARGIN as i32 + 10),
        anchored(13, HPos::Left, VPos::Center),
    ))?;
    root.present()?;
    Ok(())
}

/// One bar of a status mix: a label and its tasks per status.
#[derive(Debug, Clone)]
pub struct BarRow {
    pub label: String,
    pub counts: [usize; Status::ALL.len()],
}

const BAR_LABELS: i32 = 200;
const BAR_HEIGHT: i32 = 26;
const BAR_GAP: i32 = 10;
const LEGEND_ROW: i32 = 24;
/// The legend's lines: the statuses in two columns.
const LEGEND_LINES: i32 = Status::ALL.len().div_ceil(2) as i32;

/// Stacked horizontal bars, one per row, segments in rule order, counts
/// written on the segments, and a legend with icon and label per status.
pub fn status_bars(id: &str, title: String, rows: &[BarRow], t: &Strings) -> Chart {
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
    let mut svg = String::new();
    let drawn = draw_bars(&mut svg, rows, t);
    if drawn.is_err() {
        parts.push(t.get("chart_failed").to_string());
    }
    finish(svg, id, title, parts.join(" "))
}

pub fn bars_height(rows: usize) -> u32 {
    let legend = LEGEND_LINES * LEGEND_ROW;
    (MARGIN as i32 * 3 + rows.max(1) as i32 * (BAR_HEIGHT + BAR_GAP) + legend) as u32
}

fn draw_bars(
    svg: &mut String,
    rows: &[BarRow],
    t: &Strings,
) -> Result<(), Box<dyn std::error::Error>> {
    let height = bars_height(rows.len());
    let root = SVGBackend::with_string(svg, (WIDTH, height)).into_drawing_area();
    root.fill(&WHITE)?;
    let max_total = rows
        .iter()
        .map(|r| r.counts.iter().sum::<usize>())
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let bar_left = BAR_LABELS + 8;
    let bar_width = (WIDTH as i32 - bar_left - MARGIN as i32 - 36) as f64;
    for (i, row) in rows.iter().enumerate() {
        let y = MARGIN as i32 + i as i32 * (BAR_HEIGHT + BAR_GAP);
        let label: String = row.label.chars().take(30).collect();
        root.draw(&Text::new(
            label,
            (BAR_LABELS, y + BAR_HEIGHT / 2),
            anchored(13, HPos::Right, VPos::Center),
        ))?;
        let mut x = bar_left as f64;
        for s in Status::ALL {
            let n = row.counts[s.index()];
            if n == 0 {
                continue;
            }
            let w = n as f64 / max_total * bar_width;
            let (x0, x1) = (x.round() as i32, (x + w).round() as i32);
            root.draw(&Rectangle::new(
                [(x0, y), (x1, y + BAR_HEIGHT)],
                status_color(s).filled(),
            ))?;
            root.draw(&Rectangle::new(
                [(x1 - 1, y), (x1, y + BAR_HEIGHT)],
                WHITE.filled(),
            ))?;
            if x1 - x0 >= 16 {
                root.draw(&Text::new(
                    n.to_string(),
                    ((x0 + x1) / 2, y + BAR_HEIGHT / 2),
                    anchored(13, HPos::Center, VPos::Center).color(&WHITE),
                ))?;
            }
            x += w;
        }
        let total: usize = row.counts.iter().sum();
        root.draw(&Text::new(
            total.to_string(),
            (x.round() as i32 + 6, y + BAR_HEIGHT / 2),
            anchored(13, HPos::Left, VPos::Center),
        ))?;
    }
    let legend_top = MARGIN as i32 * 2 + rows.len().max(1) as i32 * (BAR_HEIGHT + BAR_GAP);
    for (k, s) in Status::ALL.iter().enumerate() {
        let col = k as i32 / LEGEND_LINES;
        let line = k as i32 % LEGEND_LINES;
        let x = MARGIN as i32 + col * (WIDTH as i32 / 2);
        let y = legend_top + line * LEGEND_ROW;
        root.draw(&Rectangle::new(
            [(x, y), (x + 18, y + 18)],
            status_color(*s).filled(),
        ))?;
        root.draw(&Text::new(
            icon(*s).to_string(),
            (x + 9, y + 9),
            anchored(12, HPos::Center, VPos::Center).color(&WHITE),
        ))?;
        root.draw(&Text::new(
            t.status(*s).to_string(),
            (x + 26, y + 9),
            anchored(13, HPos::Left, VPos::Center),
        ))?;
    }
    root.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::parse_deadline;
    use crate::diag::Loc;
    use crate::status::KpiPoint;
    use std::collections::BTreeMap;
    use std::sync::Arc;

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

    fn circles(doc: &roxmltree::Document) -> usize {
        doc.descendants()
            .filter(|n| n.has_tag_name("circle"))
            .count()
    }

    /// The y of horizontal lines drawn with the target's dash.
    fn target_lines(doc: &roxmltree::Document) -> Vec<f64> {
        doc.descendants()
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
        let chart = kpi_chart(&k, &ks, d("2025-06-25"), Lang::Vi, &strings());
        let doc = check(&chart);
        assert_eq!(
            circles(&doc),
            2,
            "one circle per reported value; the baseline is a square"
        );
        let expected = kpi_layout(&k, &ks, d("2025-06-25")).y_pixel(90.0);
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
        let none = kpi_chart(&k, &status(&[], &k), d("2025-06-25"), Lang::Vi, &t);
        let doc = check(&none);
        assert_eq!(circles(&doc), 0);
        assert!(none.svg.contains("Chưa có giá trị."));

        let one = kpi_chart(
            &k,
            &status(&[("2025-03-15", 60.0, false)], &k),
            d("2025-06-25"),
            Lang::Vi,
            &t,
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
        let chart = kpi_chart(&k, &beyond, d("2025-06-25"), Lang::Vi, &t);
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
        let chart = kpi_chart(&down, &ks, d("2025-06-25"), Lang::En, &t);
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
        let vi = kpi_chart(&k, &ks, d("2025-06-25"), Lang::Vi, &strings());
        assert!(
            vi.svg.contains("2,5 trung tâm") && vi.svg.contains("1,5 trung tâm"),
            "{}",
            vi.svg
        );
        let en = kpi_chart(&k, &ks, d("2025-06-25"), Lang::En, &strings());
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
        let chart = status_bars("bars", "Nhiệm vụ".into(), &rows, &strings());
        let doc = check(&chart);
        let texts: Vec<&str> = doc
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

    /// WCAG relative luminance of an sRGB colour.
    fn luminance(c: RGBColor) -> f64 {
        let lin = |v: u8| {
            let v = v as f64 / 255.0;
            if v <= 0.03928 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(c.0) + 0.7152 * lin(c.1) + 0.0722 * lin(c.2)
    }

    /// Every status, the new `unassigned` included, has its own fill that
    /// carries white counts (3:1 at least) and differs from every other
    /// status's fill in lightness or hue; the icon tells them apart too.
    #[test]
    fn every_status_has_a_distinct_readable_colour_and_icon() {
        let colours: Vec<RGBColor> = Status::ALL.iter().map(|&s| status_color(s)).collect();
        for (i, &c) in colours.iter().enumerate() {
            let contrast = 1.05 / (luminance(c) + 0.05);
            assert!(contrast >= 3.0, "{:?}: {contrast:.2}:1", Status::ALL[i]);
            for (j, &o) in colours.iter().enumerate().skip(i + 1) {
                let dist = (c.0 as i32 - o.0 as i32).abs()
                    + (c.1 as i32 - o.1 as i32).abs()
                    + (c.2 as i32 - o.2 as i32).abs();
                // The new status keeps well away from every other fill.
                let need = if Status::ALL[i] == Status::Unassigned
                    || Status::ALL[j] == Status::Unassigned
                {
                    90
                } else {
                    50
                };
                assert!(
                    dist >= need,
                    "{:?} and {:?} look alike",
                    Status::ALL[i],
                    Status::ALL[j]
                );
            }
        }
        let icons: std::collections::BTreeSet<&str> =
            Status::ALL.iter().map(|&s| icon(s)).collect();
        assert_eq!(
            icons.len(),
            Status::ALL.len() - 1,
            "only the two done statuses share ✓"
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
        let chart = burnup_chart(&points, d("2025-06-25"), Lang::Vi, &strings());
        check(&chart);
        assert!(
            chart
                .desc
                .contains("Đến ngày 25/06/2025: 5 nhiệm vụ đã đến hạn, 4 nhiệm vụ đã hoàn thành."),
            "{}",
            chart.desc
        );
        assert!(chart.svg.contains("Đã đến hạn 5") && chart.svg.contains("Đã hoàn thành 4"));
        let empty = burnup_chart(&[], d("2025-06-25"), Lang::Vi, &strings());
        check(&empty);
    }
}
