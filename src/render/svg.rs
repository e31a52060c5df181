//! Part of render: the small typed SVG writer the charts draw with. Input:
//! shapes and texts in pixels, with their stroke, fill and font. Output:
//! SVG markup, every text escaped ([`escape`], which also drops what XML
//! does not allow). Each element is written once, with every attribute it
//! needs (a dash pattern, a rounded font size), so nothing is patched in
//! the text afterwards. Pure.

use super::escape::escape;
use std::fmt::Write as _;

/// A colour, written `#RRGGBB`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

pub const WHITE: Rgb = Rgb(0xff, 0xff, 0xff);
pub const BLACK: Rgb = Rgb(0, 0, 0);

impl std::fmt::Display for Rgb {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "#{:02X}{:02X}{:02X}", self.0, self.1, self.2)
    }
}

/// Where a text's anchor point is, across.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HPos {
    Left,
    Center,
    Right,
}

/// Where a text's anchor point is, down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VPos {
    Top,
    Center,
    Bottom,
}

/// A line's look: colour, width and, for a dashed line, its dash pattern
/// (`"10 5"`: 10 drawn, 5 left out).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stroke {
    pub color: Rgb,
    pub width: u32,
    pub dash: Option<&'static str>,
}

/// A text's look: size in SVG units (the `font-size` written), weight,
/// colour and how it hangs from its anchor point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Font {
    pub size: u32,
    pub bold: bool,
    pub color: Rgb,
    pub h: HPos,
    pub v: VPos,
}

impl Font {
    pub fn at(self, h: HPos, v: VPos) -> Font {
        Font { h, v, ..self }
    }
    pub fn color(self, color: Rgb) -> Font {
        Font { color, ..self }
    }
}

/// The family the SVG names: the bundled Noto Sans the widths are measured
/// with, then the reader's own sans-serif.
const FAMILY: &str = "Noto Sans, sans-serif";

/// One drawing being written: its size and its elements.
#[derive(Debug, Clone)]
pub struct Svg {
    pub width: u32,
    pub height: u32,
    body: String,
}

impl Svg {
    /// A drawing of `width` by `height` on white.
    pub fn new(width: u32, height: u32) -> Svg {
        let mut svg = Svg {
            width,
            height,
            body: String::with_capacity(8 * 1024),
        };
        svg.rect((0, 0), (width as i32, height as i32), WHITE);
        svg
    }

    /// The elements written so far.
    pub fn body(&self) -> &str {
        &self.body
    }

    pub fn text(&mut self, s: &str, (x, y): (i32, i32), f: Font) {
        let anchor = match f.h {
            HPos::Left => "start",
            HPos::Center => "middle",
            HPos::Right => "end",
        };
        // The baseline from the anchor point: below it by the ascent for
        // text hanging from its top, half an x-height for text centred on
        // it, above it for text standing on it.
        let dy = match f.v {
            VPos::Top => "0.76em",
            VPos::Center => "0.5ex",
            VPos::Bottom => "-0.5ex",
        };
        let weight = if f.bold { " font-weight=\"bold\"" } else { "" };
        let _ = writeln!(
            self.body,
            "<text x=\"{x}\" y=\"{y}\" dy=\"{dy}\" text-anchor=\"{anchor}\" font-family=\"{FAMILY}\" font-size=\"{}\"{weight} fill=\"{}\">{}</text>",
            f.size,
            f.color,
            escape(s)
        );
    }

    /// An open line through `points`.
    pub fn line(&mut self, points: &[(i32, i32)], s: Stroke) {
        if points.len() < 2 {
            return;
        }
        let mut list = String::with_capacity(points.len() * 9);
        for (k, (x, y)) in points.iter().enumerate() {
            let _ = write!(list, "{}{x},{y}", if k == 0 { "" } else { " " });
        }
        let dash = s
            .dash
            .map(|d| format!(" stroke-dasharray=\"{d}\""))
            .unwrap_or_default();
        let _ = writeln!(
            self.body,
            "<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"{}\"{dash} points=\"{list}\"/>",
            s.color, s.width
        );
    }

    /// A filled rectangle between two corners.
    pub fn rect(&mut self, (x0, y0): (i32, i32), (x1, y1): (i32, i32), fill: Rgb) {
        let _ = writeln!(
            self.body,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{fill}\"/>",
            x0.min(x1),
            y0.min(y1),
            (x1 - x0).abs(),
            (y1 - y0).abs()
        );
    }

    /// The elements `draw` writes, grouped under a class (a chart's
    /// legend), so that a reader of the file can tell them apart.
    pub fn group(&mut self, class: &str, draw: impl FnOnce(&mut Svg)) {
        let _ = writeln!(self.body, "<g class=\"{}\">", escape(class));
        draw(self);
        self.body.push_str("</g>\n");
    }

    /// A filled circle.
    pub fn circle(&mut self, (x, y): (i32, i32), r: u32, fill: Rgb) {
        let _ = writeln!(
            self.body,
            "<circle cx=\"{x}\" cy=\"{y}\" r=\"{r}\" fill=\"{fill}\"/>"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_typed_elements_with_escaped_text() {
        let mut svg = Svg::new(100, 50);
        let font = Font {
            size: 14,
            bold: true,
            color: BLACK,
            h: HPos::Center,
            v: VPos::Top,
        };
        svg.text("a<b>&\u{7}", (10, 20), font);
        svg.line(
            &[(0, 1), (2, 3)],
            Stroke {
                color: Rgb(0x14, 0x53, 0x2d),
                width: 2,
                dash: Some("10 5"),
            },
        );
        svg.line(
            &[(0, 1)],
            Stroke {
                color: BLACK,
                width: 1,
                dash: None,
            },
        );
        let body = svg.body();
        assert!(body.contains(
            "text-anchor=\"middle\" font-family=\"Noto Sans, sans-serif\" font-size=\"14\" font-weight=\"bold\" fill=\"#000000\">a&lt;b&gt;&amp;</text>"
        ), "{body}");
        assert!(body.contains(
            "<polyline fill=\"none\" stroke=\"#14532D\" stroke-width=\"2\" stroke-dasharray=\"10 5\" points=\"0,1 2,3\"/>"
        ), "{body}");
        assert_eq!(body.matches("<polyline").count(), 1, "no line of one point");
    }
}
