//! Part of the charts: status mixes as stacked horizontal bars, one per
//! row, with a legend of icon and label per status.

use super::super::i18n::Strings;
use super::super::svg::{HPos, Svg, VPos};
use super::super::views::icon;
use super::palette::{status_color, status_ink};
use super::text::{bold, font, shorten, text_width, wrap};
use super::{Chart, Drawing, MARGIN, draw_both, finish};
use crate::status::Status;

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
