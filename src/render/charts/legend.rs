//! Part of the charts: a legend under a plot, one entry per row, each a
//! sample of its line (and marker) and what it is.

use super::super::svg::{HPos, Stroke, Svg, VPos};
use super::text::{font, wrap};
use super::{Frame, MARGIN};

/// One entry of a chart's legend: a sample of the line (and marker) and
/// what it is.
#[derive(Debug, Clone)]
pub(super) struct LegendItem {
    pub(super) stroke: Stroke,
    pub(super) marker: bool,
    pub(super) label: String,
}

/// The length of a legend's line sample, and the gap after it.
pub(super) const SAMPLE: i32 = 32;

/// Where each legend entry goes below a plot: one per row, its label
/// wrapped to two lines at most. Returns the rows (top of each, lines) and
/// the legend's height.
pub(super) fn legend_rows(items: &[LegendItem], f: Frame) -> (Vec<(i32, Vec<String>)>, i32) {
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

pub(super) fn draw_legend(svg: &mut Svg, items: &[LegendItem], f: Frame, top: i32) {
    svg.group("legend", |svg| legend_items(svg, items, f, top));
}

pub(super) fn legend_items(svg: &mut Svg, items: &[LegendItem], f: Frame, top: i32) {
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
