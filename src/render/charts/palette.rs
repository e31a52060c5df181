//! Part of the charts: their colours and line styles, and the fill and ink
//! of each status (the same as the status labels on the pages).

use super::super::svg::{BLACK, Rgb, Stroke, WHITE};
use crate::status::Status;

pub(super) const TEXT: Rgb = Rgb(0x1a, 0x1a, 0x1a);
pub(super) const MUTED: Rgb = Rgb(0x4a, 0x4a, 0x4a);
pub(super) const VALUES: Rgb = Rgb(0x0b, 0x4f, 0x8a);
pub(super) const TARGET: Rgb = Rgb(0x14, 0x53, 0x2d);
pub(super) const TREND: Rgb = Rgb(0x6b, 0x21, 0xa9);
pub(super) const DEADLINE: Rgb = Rgb(0x7c, 0x2d, 0x12);
pub(super) const GRID: Rgb = Rgb(0xd0, 0xd4, 0xd9);
pub(super) const AXIS: Rgb = Rgb(0x6b, 0x72, 0x80);

/// Lines differ by dash as well as colour, so that they stay apart in
/// greyscale and for colour-blind readers: an SVG dash pattern on one
/// element, not one element per dash.
pub(super) const VALUES_LINE: Stroke = Stroke {
    color: VALUES,
    width: 3,
    dash: None,
};
pub(super) const TARGET_LINE: Stroke = Stroke {
    color: TARGET,
    width: 2,
    dash: Some("10 5"),
};
pub(super) const TREND_LINE: Stroke = Stroke {
    color: TREND,
    width: 2,
    dash: Some("4 4"),
};
pub(super) const DEADLINE_LINE: Stroke = Stroke {
    color: DEADLINE,
    width: 2,
    dash: Some("6 3"),
};
pub(super) const DUE_LINE: Stroke = Stroke {
    color: DEADLINE,
    width: 3,
    dash: Some("2 3"),
};
pub(super) const DONE_LINE: Stroke = Stroke {
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
pub(super) fn luminance(c: Rgb) -> f64 {
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
