//! Part of render: the small raster canvas the share images are drawn on,
//! and its PNG. Input: rectangles, shapes (closed outlines in pixels),
//! text in the bundled Noto Sans ([`super::font`]) and the status icons.
//! Output: an indexed-colour PNG, the same bytes for the same drawing.
//!
//! Every edge is covered by ab_glyph's own rasteriser (exact area
//! coverage), rounded to [`LEVELS`] steps, and each pixel holds an index
//! into a palette of at most 256 colours: a card has a few colours and
//! their blends, so the PNG is a palette image (8 bits a pixel, a third of
//! RGB) that deflates fast and small. Glyphs are rasterised once per
//! thread, size, weight and quarter-pixel position, then copied: a national
//! portal draws some 20,000 cards with a few hundred distinct glyphs.
//! Pure, apart from that cache.

use super::font;
use super::svg::Rgb;
use ab_glyph::{Font, GlyphId, OutlineCurve};
use ab_glyph_rasterizer::{Point, Rasterizer, point};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// Coverage steps of an edge pixel: 16 blends between two colours, as many
/// as a supersampling rasteriser such as Skia's gives.
pub const LEVELS: u8 = 16;

/// Glyphs are placed to a quarter of a pixel across.
const SUBPIXELS: f32 = 4.0;

/// What a palette holds at most (an 8-bit index).
const PALETTE: usize = 256;

/// A coverage mask: `levels` (0 to [`LEVELS`]) row by row, its top left
/// corner at (`left`, `top`) from where it is drawn.
#[derive(Debug, Clone, Default)]
pub struct Mask {
    pub left: i32,
    pub top: i32,
    pub width: usize,
    pub height: usize,
    levels: Vec<u8>,
    /// Each row's covered part, from its first pixel with coverage to
    /// past its last (empty for an empty row): painting skips the rest.
    spans: Vec<(usize, usize)>,
}

/// A shape as closed outlines of straight lines, in pixels. Outlines of
/// the same turning add up and opposite ones cancel: a ring is a circle
/// one way and a smaller one the other way.
#[derive(Debug, Clone, Default)]
pub struct Shape {
    lines: Vec<(Point, Point)>,
}

impl Shape {
    pub fn new() -> Shape {
        Shape::default()
    }

    /// A closed polygon through `points`, filled.
    pub fn polygon(&mut self, points: &[(f32, f32)]) -> &mut Shape {
        self.contour(points, false)
    }

    /// A closed outline through `points`, turned so that it fills (or,
    /// for a `hole`, empties) whichever way the points go.
    fn contour(&mut self, points: &[(f32, f32)], hole: bool) -> &mut Shape {
        let n = points.len();
        // Twice the signed area: its sign says which way the points turn.
        let area: f32 = (0..n)
            .map(|i| {
                let ((x0, y0), (x1, y1)) = (points[i], points[(i + 1) % n]);
                x0 * y1 - x1 * y0
            })
            .sum();
        let forwards = (area >= 0.0) != hole;
        for i in 0..n {
            let (a, b) = (points[i], points[(i + 1) % n]);
            let (a, b) = if forwards { (a, b) } else { (b, a) };
            self.lines.push((point(a.0, a.1), point(b.0, b.1)));
        }
        self
    }

    /// A disc of radius `r` around (`cx`, `cy`), or a `hole` of that size.
    pub fn circle(&mut self, c: (f32, f32), r: f32, hole: bool) -> &mut Shape {
        let mut points: Vec<(f32, f32)> = Shape::arc_points(c, r, 0.0, 360.0).collect();
        points.pop(); // the outline closes itself
        self.contour(&points, hole)
    }

    /// The points of an arc from `from` to `to` degrees (clockwise on
    /// screen, 0 at three o'clock), both ends included.
    fn arc_points(
        (cx, cy): (f32, f32),
        r: f32,
        from: f32,
        to: f32,
    ) -> impl Iterator<Item = (f32, f32)> {
        // A step of at most 7.5 degrees: under a twentieth of a pixel off
        // the circle at the radii drawn here.
        let steps = (((to - from).abs() / 7.5).ceil() as usize).max(1);
        (0..=steps).map(move |i| {
            let a = (from + (to - from) * i as f32 / steps as f32).to_radians();
            (cx + r * a.cos(), cy + r * a.sin())
        })
    }

    /// A band `width` wide along the arc of radius `r` from `from` to `to`
    /// degrees.
    pub fn arc_band(
        &mut self,
        c: (f32, f32),
        r: f32,
        width: f32,
        from: f32,
        to: f32,
    ) -> &mut Shape {
        let outer = Shape::arc_points(c, r + width / 2.0, from, to);
        let inner: Vec<(f32, f32)> = Shape::arc_points(c, r - width / 2.0, from, to).collect();
        let points: Vec<(f32, f32)> = outer.chain(inner.into_iter().rev()).collect();
        self.polygon(&points)
    }

    /// A ring: a band `width` wide around the circle of radius `r`.
    pub fn ring(&mut self, c: (f32, f32), r: f32, width: f32) -> &mut Shape {
        self.circle(c, r + width / 2.0, false)
            .circle(c, r - width / 2.0, true)
    }

    /// A stroke `width` wide along `points`, with round joins and ends.
    pub fn stroke(&mut self, points: &[(f32, f32)], width: f32) -> &mut Shape {
        let h = width / 2.0;
        for pair in points.windows(2) {
            let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
            let len = ((x1 - x0).powi(2) + (y1 - y0).powi(2))
                .sqrt()
                .max(f32::EPSILON);
            let (nx, ny) = (-(y1 - y0) / len * h, (x1 - x0) / len * h);
            self.polygon(&[
                (x0 + nx, y0 + ny),
                (x1 + nx, y1 + ny),
                (x1 - nx, y1 - ny),
                (x0 - nx, y0 - ny),
            ]);
        }
        for &p in points {
            self.circle(p, h, false);
        }
        self
    }

    /// The coverage of the shape, rounded to [`LEVELS`].
    pub fn mask(&self) -> Mask {
        let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
        for (a, b) in &self.lines {
            for p in [a, b] {
                x0 = x0.min(p.x);
                y0 = y0.min(p.y);
                x1 = x1.max(p.x);
                y1 = y1.max(p.y);
            }
        }
        if self.lines.is_empty() || !(x1 > x0 && y1 > y0) {
            return Mask::default();
        }
        let (left, top) = (x0.floor(), y0.floor());
        let width = (x1.ceil() - left) as usize + 1;
        let height = (y1.ceil() - top) as usize + 1;
        let mut r = Rasterizer::new(width, height);
        for (a, b) in &self.lines {
            r.draw_line(point(a.x - left, a.y - top), point(b.x - left, b.y - top));
        }
        mask_of(&r, left as i32, top as i32, width, height)
    }
}

/// The rasteriser's coverage as a mask at (`left`, `top`).
fn mask_of(r: &Rasterizer, left: i32, top: i32, width: usize, height: usize) -> Mask {
    let mut levels = vec![0u8; width * height];
    r.for_each_pixel(|i, a| {
        if let Some(l) = levels.get_mut(i) {
            // Rounded to the nearest level (coverage is never negative).
            *l = (a.clamp(0.0, 1.0) * LEVELS as f32 + 0.5) as u8;
        }
    });
    let spans = levels
        .chunks(width.max(1))
        .map(|row| match row.iter().position(|&l| l > 0) {
            Some(first) => (
                first,
                row.iter().rposition(|&l| l > 0).map_or(first, |l| l + 1),
            ),
            None => (0, 0),
        })
        .collect();
    Mask {
        left,
        top,
        width,
        height,
        levels,
        spans,
    }
}

/// Which glyph mask: glyph, size in pixels, quarter-pixel offset, bold.
type GlyphKey = (u16, u32, u8, bool);

thread_local! {
    /// Each thread's glyph masks, kept for the life of the thread: a few
    /// hundred glyphs at the few sizes a card uses.
    static GLYPHS: RefCell<HashMap<GlyphKey, Rc<Mask>>> = RefCell::new(HashMap::new());
}

/// How much wider a bold glyph is drawn: its outline twice, this far apart
/// (the face has no bold; this is the usual synthetic emboldening).
pub fn embolden(size: u32) -> f32 {
    (size as f32 / 24.0).max(1.0)
}

/// The mask of glyph `id` at `size` pixels, its origin `sub` quarters of a
/// pixel right of a pixel's left edge, on the baseline.
fn glyph_mask(id: GlyphId, size: u32, sub: u8, bold: bool) -> Rc<Mask> {
    let key = (id.0, size, sub, bold);
    if let Some(m) = GLYPHS.with(|g| g.borrow().get(&key).cloned()) {
        return m;
    }
    let mask = Rc::new(draw_glyph(id, size, sub, bold));
    GLYPHS.with(|g| g.borrow_mut().insert(key, mask.clone()));
    mask
}

fn draw_glyph(id: GlyphId, size: u32, sub: u8, bold: bool) -> Mask {
    let Some(face) = font::noto() else {
        return Mask::default();
    };
    let Some(outline) = face.outline(id) else {
        return Mask::default();
    };
    let k = size as f32 / face.units_per_em().unwrap_or(1000.0);
    let dx = sub as f32 / SUBPIXELS;
    let extra = if bold { embolden(size) } else { 0.0 };
    // ab_glyph's bounds have the glyph's top as `min.y` and its bottom as
    // `max.y`, in font units upwards from the baseline.
    let b = outline.bounds;
    let left = (dx + b.min.x * k).floor();
    let top = (-b.min.y * k).floor();
    let width = ((dx + b.max.x * k + extra).ceil() - left).max(0.0) as usize + 1;
    let height = ((-b.max.y * k).ceil() - top).max(0.0) as usize + 1;
    let mut r = Rasterizer::new(width, height);
    let copies: &[f32] = if bold { &[0.0, extra] } else { &[0.0] };
    for &shift in copies {
        let at = |p: ab_glyph::Point| point(dx + shift + p.x * k - left, -p.y * k - top);
        for c in &outline.curves {
            match *c {
                OutlineCurve::Line(a, b) => r.draw_line(at(a), at(b)),
                OutlineCurve::Quad(a, b, c) => r.draw_quad(at(a), at(b), at(c)),
                OutlineCurve::Cubic(a, b, c, d) => r.draw_cubic(at(a), at(b), at(c), at(d)),
            }
        }
    }
    mask_of(&r, left as i32, top as i32, width, height)
}

/// A text's look on the canvas: size in pixels, weight and colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ink {
    pub size: u32,
    pub bold: bool,
    pub color: Rgb,
}

impl Ink {
    /// The width `s` takes when drawn: the same advances the charts
    /// measure with ([`font::advance`]), and a bold text's last glyph
    /// drawn wider.
    pub fn width(&self, s: &str) -> f64 {
        let w = font::width(s, &font::advance(self.size), 1.0);
        if self.bold && !s.is_empty() {
            w + embolden(self.size) as f64
        } else {
            w
        }
    }

    /// `s` broken into at most `lines` lines of at most `max` pixels
    /// ([`font::wrap`]), shortened with "…" where it does not fit.
    pub fn wrap(&self, s: &str, max: f64, lines: usize) -> Vec<String> {
        let room = max
            - if self.bold {
                embolden(self.size) as f64
            } else {
                0.0
            };
        font::wrap(s, room, lines, &font::advance(self.size), 1.0)
    }

    /// `s` on one line of at most `max` pixels.
    pub fn shorten(&self, s: &str, max: f64) -> String {
        let room = max
            - if self.bold {
                embolden(self.size) as f64
            } else {
                0.0
            };
        font::shorten(s, room, &font::advance(self.size), 1.0)
    }
}

/// The palette index of `c`: added if new, else (a full palette, which a
/// card's few colours never fill) the nearest colour.
fn index(palette: &mut Vec<Rgb>, c: Rgb) -> u8 {
    if let Some(i) = palette.iter().position(|&p| p == c) {
        return i as u8;
    }
    if palette.len() < PALETTE {
        palette.push(c);
        return (palette.len() - 1) as u8;
    }
    let d = |p: &Rgb| {
        let s = |a: u8, b: u8| (a as i32 - b as i32).pow(2);
        s(p.0, c.0) + s(p.1, c.1) + s(p.2, c.2)
    };
    palette
        .iter()
        .enumerate()
        .min_by_key(|(_, p)| d(p))
        .map_or(0, |(i, _)| i as u8)
}

/// The index of `level` sixteenths of `fg` over `bg` (palette indices),
/// from the blend table of `fg` once found.
fn blend(palette: &mut Vec<Rgb>, table: &mut [u16], fg: u8, bg: u8, level: u8) -> u8 {
    let slot = bg as usize * LEVELS as usize + level as usize;
    if let Some(&known) = table.get(slot).filter(|&&k| k != u16::MAX) {
        return known as u8;
    }
    let (f, b) = (palette[fg as usize], palette[bg as usize]);
    let l = level as u32;
    let mix = |f: u8, b: u8| {
        ((f as u32 * l + b as u32 * (LEVELS as u32 - l) + LEVELS as u32 / 2) / LEVELS as u32) as u8
    };
    let i = index(palette, Rgb(mix(f.0, b.0), mix(f.1, b.1), mix(f.2, b.2)));
    if let Some(s) = table.get_mut(slot) {
        *s = i as u16;
    }
    i
}

/// A drawing in progress: palette indices, row by row.
pub struct Canvas {
    pub width: usize,
    pub height: usize,
    pixels: Vec<u8>,
    palette: Vec<Rgb>,
    /// For each foreground colour drawn with, the blend of each background
    /// index and level, once found (`u16::MAX`: not yet).
    blends: Vec<(u8, Vec<u16>)>,
}

impl Canvas {
    /// A canvas of `width` by `height` pixels filled with `background`.
    pub fn new(width: usize, height: usize, background: Rgb) -> Canvas {
        Canvas {
            width,
            height,
            pixels: vec![0; width * height],
            palette: vec![background],
            blends: Vec::new(),
        }
    }

    fn index(&mut self, c: Rgb) -> u8 {
        index(&mut self.palette, c)
    }

    /// Fills the rectangle from (`x0`, `y0`) to (`x1`, `y1`), exclusive,
    /// clipped to the canvas.
    pub fn rect(&mut self, (x0, y0): (i32, i32), (x1, y1): (i32, i32), c: Rgb) {
        let i = self.index(c);
        let clip = |v: i32, max: usize| v.clamp(0, max as i32) as usize;
        let (x0, x1) = (clip(x0, self.width), clip(x1, self.width));
        let (y0, y1) = (clip(y0, self.height), clip(y1, self.height));
        if x0 >= x1 {
            return;
        }
        for y in y0..y1 {
            self.pixels[y * self.width + x0..y * self.width + x1].fill(i);
        }
    }

    /// Paints `mask` in colour `c`, its origin moved by (`dx`, `dy`).
    pub fn paint(&mut self, mask: &Mask, (dx, dy): (i32, i32), c: Rgb) {
        let fg = self.index(c);
        let t = match self.blends.iter().position(|(f, _)| *f == fg) {
            Some(t) => t,
            None => {
                let unknown = vec![u16::MAX; PALETTE * LEVELS as usize];
                self.blends.push((fg, unknown));
                self.blends.len() - 1
            }
        };
        // The part of the mask on the canvas.
        let (x0, y0) = (mask.left + dx, mask.top + dy);
        let clip = |v: i32, max: usize| v.clamp(0, max as i32) as usize;
        let (cx0, cx1) = (
            clip(x0, self.width),
            clip(x0 + mask.width as i32, self.width),
        );
        let (cy0, cy1) = (
            clip(y0, self.height),
            clip(y0 + mask.height as i32, self.height),
        );
        if cx0 >= cx1 {
            return;
        }
        let Canvas {
            pixels,
            palette,
            blends,
            width,
            ..
        } = self;
        let table = &mut blends[t].1;
        for y in cy0..cy1 {
            let my = (y as i32 - y0) as usize;
            // The row's covered part, on the canvas.
            let (first, end) = mask.spans.get(my).copied().unwrap_or((0, 0));
            let from_x = cx0.max((x0 + first as i32).max(0) as usize);
            let to_x = cx1.min((x0 + end as i32).max(0) as usize);
            if from_x >= to_x {
                continue;
            }
            let from = my * mask.width + (from_x as i32 - x0) as usize;
            let levels = &mask.levels[from..from + (to_x - from_x)];
            let row = &mut pixels[y * *width + from_x..y * *width + to_x];
            for (px, &level) in row.iter_mut().zip(levels) {
                if level == 0 {
                    continue;
                }
                *px = if level >= LEVELS {
                    fg
                } else {
                    blend(palette, table, fg, *px, level)
                };
            }
        }
    }

    /// Fills `shape` in colour `c`.
    pub fn fill(&mut self, shape: &Shape, c: Rgb) {
        let mask = shape.mask();
        self.paint(&mask, (0, 0), c);
    }

    /// Draws `s` with its baseline at `y`, starting at `x`; returns where
    /// the text ends (the pen's position, as [`Ink::width`] measures it).
    pub fn text(&mut self, s: &str, (x, y): (f64, i32), ink: Ink) -> f64 {
        let Some(face) = font::noto() else {
            return x;
        };
        let advance = font::advance(ink.size);
        let mut pen = x;
        for c in s.chars() {
            let id = face.glyph_id(c);
            let whole = pen.floor();
            let sub = ((pen - whole) * SUBPIXELS as f64).floor() as u8;
            let mask = glyph_mask(id, ink.size, sub.min(SUBPIXELS as u8 - 1), ink.bold);
            self.paint(&mask, (whole as i32, y), ink.color);
            pen += advance(c);
        }
        pen
    }

    /// The canvas as a PNG: the palette, 8 bits a pixel (4 when the
    /// palette has 16 colours or fewer), each row filtered against the one
    /// above (rows of a card mostly repeat), deflated fast.
    pub fn png(&self) -> Result<Vec<u8>, png::EncodingError> {
        let small = self.palette.len() <= 16;
        let data: std::borrow::Cow<[u8]> = if small {
            let mut packed = Vec::with_capacity(self.height * self.width.div_ceil(2));
            for row in self.pixels.chunks(self.width) {
                for pair in row.chunks(2) {
                    packed.push(pair[0] << 4 | pair.get(1).copied().unwrap_or(0));
                }
            }
            packed.into()
        } else {
            self.pixels.as_slice().into()
        };
        let mut out = Vec::with_capacity(32 * 1024);
        let mut e = png::Encoder::new(&mut out, self.width as u32, self.height as u32);
        e.set_color(png::ColorType::Indexed);
        e.set_depth(if small {
            png::BitDepth::Four
        } else {
            png::BitDepth::Eight
        });
        e.set_palette(
            self.palette
                .iter()
                .flat_map(|c| [c.0, c.1, c.2])
                .collect::<Vec<u8>>(),
        );
        e.set_compression(png::Compression::Fast);
        e.set_filter(png::Filter::Up);
        let mut w = e.write_header()?;
        w.write_image_data(&data)?;
        w.finish()?;
        Ok(out)
    }
}
