//! Part of the charts: the plan's burn-up, tasks due against tasks done.

use super::super::i18n::{Lang, Strings};
use super::super::svg::{HPos, Svg, VPos};
use super::axes::{Plot, days, draw_mesh, draw_month_axis};
use super::kpi::{kpi_plot_height, x_label_height};
use super::legend::SAMPLE;
use super::palette::{DONE_LINE, DUE_LINE};
use super::text::{font, shorten, text_width};
use super::{Chart, Drawing, MARGIN, draw_both, finish};
use crate::date::{Date, fmt_date};
use crate::status::BurnupPoint;

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
