//! Part of the charts: text measured with the bundled Noto Sans metrics,
//! shortened and wrapped to a width, and the text styles the charts draw in.

use super::super::font;
use super::super::svg::{Font as SvgFont, HPos, VPos};
use super::palette::TEXT;

/// Readers' phones draw the text in their own sans-serif; measured widths
/// get this much room for a wider one.
pub(super) const SLACK: f64 = 1.12;

/// The width of `s` at `size` units: Noto Sans advances
/// ([`font::advance`]), bold 8% wider.
pub fn text_width(s: &str, size: u32, bold: bool) -> f64 {
    font::width(s, &font::advance(size), factor(bold))
}

/// What measured advances are multiplied by: room for a wider font, and
/// for bold.
pub(super) fn factor(bold: bool) -> f64 {
    SLACK * if bold { 1.08 } else { 1.0 }
}

/// `s` cut to fit `max` units, ending in "…" ([`font::shorten`]).
pub(super) fn shorten(s: &str, size: u32, bold: bool, max: f64) -> String {
    font::shorten(s, max, &font::advance(size), factor(bold))
}

/// `s` broken at spaces into lines of at most `max` units, at most `lines`
/// of them ([`font::wrap`]); the full text is in the chart's description
/// and the table beside it.
pub fn wrap(s: &str, size: u32, bold: bool, max: f64, lines: usize) -> Vec<String> {
    font::wrap(s, max, lines, &font::advance(size), factor(bold))
}

/// Text of `size` units, hanging from its top left.
pub(super) fn font(size: u32) -> SvgFont {
    SvgFont {
        size,
        bold: false,
        color: TEXT,
        h: HPos::Left,
        v: VPos::Top,
    }
}

pub(super) fn bold(size: u32) -> SvgFont {
    SvgFont {
        bold: true,
        ..font(size)
    }
}
