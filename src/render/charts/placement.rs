//! Part of the charts: where labels go, so that none overlaps another label
//! or crosses a line of the plot.

use super::super::svg::{HPos, VPos};

/// The boxes of the labels drawn so far, and the lines of the plot, so
/// that the next label goes where it overlaps no label and crosses no line.
#[derive(Debug, Default)]
pub(super) struct Placed {
    boxes: Vec<[f64; 4]>,
    lines: Vec<((f64, f64), (f64, f64))>,
}

/// A place for a label: its anchor point and how the text hangs from it.
pub(super) type Spot = (i32, i32, HPos, VPos);

/// Whether the segment from `a` to `b` passes through the box (left, top,
/// right, bottom): Liang and Barsky's clipping.
pub(super) fn crosses(bx: [f64; 4], a: (f64, f64), b: (f64, f64)) -> bool {
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
    pub(super) fn text_box(spot: Spot, w: f64, size: u32) -> [f64; 4] {
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
    pub(super) fn line(&mut self, points: &[(i32, i32)]) {
        for pair in points.windows(2) {
            let p = |(x, y): (i32, i32)| (x as f64, y as f64);
            self.lines.push((p(pair[0]), p(pair[1])));
        }
    }

    pub(super) fn free(&self, b: [f64; 4]) -> bool {
        self.boxes
            .iter()
            .all(|o| b[2] <= o[0] || o[2] <= b[0] || b[3] <= o[1] || o[3] <= b[1])
    }

    /// Whether a box keeps clear of every line, by a pixel at least.
    pub(super) fn clear(&self, b: [f64; 4]) -> bool {
        let b = [b[0] - 1.0, b[1] - 1.0, b[2] + 1.0, b[3] + 1.0];
        self.lines.iter().all(|(p, q)| !crosses(b, *p, *q))
    }

    /// The first spot whose box lies within `bounds`, overlaps no label
    /// placed before and crosses no line; failing that, the first that
    /// overlaps no label; failing that, the first within bounds; failing
    /// that, the first. The box is kept.
    pub(super) fn pick(&mut self, spots: &[Spot], w: f64, size: u32, bounds: [f64; 4]) -> Spot {
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
