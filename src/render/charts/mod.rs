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
//!
//! The parts: [`palette`] (colours and line styles), [`text`] (measuring,
//! wrapping and styling text), [`axes`] (scales, grid and month axis),
//! [`placement`] (labels clear of each other and of the lines),
//! [`legend`], and one module per kind of chart: [`kpi`], [`burnup`] and
//! [`bars`] (status mixes). The SVG itself is written by [`super::svg`].

mod axes;
mod bars;
mod burnup;
mod kpi;
mod legend;
mod palette;
mod placement;
#[cfg(test)]
mod tests;
mod text;

pub use bars::{BarRow, status_bars};
pub use burnup::burnup_chart;
pub use kpi::{KpiLayout, is_rank, kpi_chart, kpi_layout};
pub use palette::{status_color, status_ink};
pub use text::{text_width, wrap};

use super::escape::escape;
use super::svg::Svg;
use palette::MUTED;
use text::{bold, font};

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

/// The margin around a drawing, in SVG units.
const MARGIN: i32 = 12;

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
