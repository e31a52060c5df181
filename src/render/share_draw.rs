//! Part of render: a share image drawn from its [`Card`]. Input: the card.
//! Output: a 1200×630 PNG. The portal's name on a band of the theme's
//! accent at the top; what the page is and its title; its status (a task)
//! or its figures (a KPI's value against its target, an agency's or the
//! portal's headline figures, a month's reports) above the foot; the
//! as-of date and, for illustrative data, the notice, in the foot. Every
//! text is measured with the font it is drawn with, then wrapped or
//! shortened with "…" so that nothing leaves its place. Pure.

use super::raster::{Canvas, Ink, Shape};
use super::share::{Badge, Card, Figure, HEIGHT, WIDTH, colors};
use super::svg::{Rgb, WHITE};

const W: i32 = WIDTH as i32;
/// Left and right margins.
const M: i32 = 64;
/// The width text may take.
const TEXT_W: f64 = (W - 2 * M) as f64;
/// The band at the top, holding the portal's name.
const BAND: i32 = 84;
/// The rule over the foot.
const FOOT: i32 = 548;
/// Where the middle block (badge, figures) ends.
const MIDDLE_END: i32 = FOOT - 28;
/// The title's first line, and the height of each.
const TITLE_TOP: i32 = 168;
const TITLE_LINE: i32 = 64;
/// The sample-data notice's background (`.sample` in the stylesheet).
const SAMPLE_BG: Rgb = Rgb(0xff, 0xf4, 0xce);

const fn ink(size: u32, bold: bool, color: Rgb) -> Ink {
    Ink { size, bold, color }
}

const SITE: Ink = ink(30, true, WHITE);
const KICKER: Ink = ink(28, false, colors::MUTED);
const TITLE: Ink = ink(52, true, colors::TEXT);
const DETAIL: Ink = ink(28, false, colors::MUTED);
const BADGE: Ink = ink(34, true, WHITE);
const VERDICT: Ink = ink(30, true, colors::TEXT);
const LABEL: Ink = ink(24, false, colors::MUTED);
const FOOT_TEXT: Ink = ink(26, false, colors::MUTED);
const SAMPLE: Ink = ink(24, true, colors::TEXT);

/// The height of the badge and its icon's box.
const BADGE_H: i32 = 68;
const ICON: i32 = 36;
/// Figures: the value's line, and each of a label's two lines.
const VALUE_LINE: i32 = 70;
const LABEL_LINE: i32 = 30;
/// The line of a KPI's verdict (or of the facts under figures), and of a
/// note under it.
const VERDICT_LINE: i32 = 52;
const NOTE_LINE: i32 = 38;
const FIGURE_GAP: i32 = 40;

/// The card as a PNG; an empty file only if encoding failed, which writing
/// into memory cannot.
pub fn draw(card: &Card) -> Vec<u8> {
    let mut c = Canvas::new(WIDTH as usize, HEIGHT as usize, WHITE);
    c.rect((0, 0), (W, BAND), colors::ACCENT);
    c.text(&SITE.shorten(&card.site, TEXT_W), (M as f64, 54), SITE);
    c.text(
        &KICKER.shorten(&card.kicker, TEXT_W),
        (M as f64, 142),
        KICKER,
    );
    let middle = middle_height(card);
    let top = MIDDLE_END - middle;
    // Three lines of title over a task's status, two over figures, fewer
    // when the block below needs the room.
    let most = if card.badge.is_some() { 3 } else { 2 };
    let lines = ((top - 24 - TITLE_TOP) / TITLE_LINE).clamp(1, most) as usize;
    for (k, line) in TITLE.wrap(&card.title, TEXT_W, lines).iter().enumerate() {
        let baseline = TITLE_TOP + 50 + k as i32 * TITLE_LINE;
        c.text(line, (M as f64, baseline), TITLE);
    }
    if let Some(b) = &card.badge {
        badge(&mut c, b, &card.detail, top);
    } else {
        let y = figures(&mut c, &card.figures, top);
        match &card.verdict {
            Some((text, color)) => verdict(&mut c, text, *color, &card.detail, y),
            None => {
                let detail = DETAIL.shorten(&card.detail, TEXT_W);
                c.text(&detail, (M as f64, y + 42), DETAIL);
            }
        }
    }
    foot(&mut c, card);
    c.png().unwrap_or_default()
}

/// The height the middle block takes: the badge and its facts, or the
/// figures and the line under them.
fn middle_height(card: &Card) -> i32 {
    if let Some(b) = &card.badge {
        let beside = badge_width(b) as f64 + 28.0 + DETAIL.width(&card.detail) <= TEXT_W;
        return if card.detail.is_empty() || beside {
            BADGE_H
        } else {
            BADGE_H + 16 + 36
        };
    }
    let figures = if card.figures.is_empty() {
        0
    } else {
        VALUE_LINE + 6 + label_lines(&card.figures) * LABEL_LINE
    };
    let line = match &card.verdict {
        Some((text, _)) if !note_beside(text, &card.detail) => VERDICT_LINE + NOTE_LINE,
        Some(_) => VERDICT_LINE,
        None if !card.detail.is_empty() => VERDICT_LINE,
        None => 0,
    };
    figures + line
}

/// The columns of `n` figures: their width.
fn column(n: usize) -> i32 {
    let n = n.max(1) as i32;
    (W - 2 * M - FIGURE_GAP * (n - 1)) / n
}

/// How many lines the figures' labels take: two when one wraps.
fn label_lines(figures: &[Figure]) -> i32 {
    let col = column(figures.len()) as f64;
    let wraps = figures.iter().any(|f| LABEL.width(&f.label) > col);
    if wraps { 2 } else { 1 }
}

/// Whether a verdict's note fits beside it; else it goes under it.
fn note_beside(verdict: &str, note: &str) -> bool {
    note.is_empty() || VERDICT.width(verdict) + 20.0 + DETAIL.width(note) <= TEXT_W
}

fn badge_width(b: &Badge) -> i32 {
    let label = BADGE.shorten(&b.label, TEXT_W - 100.0);
    20 + ICON + 14 + BADGE.width(&label).ceil() as i32 + 24
}

/// A task's status as on its page: icon and label in the status's ink on
/// its fill; its facts beside it, or under it when they do not fit.
fn badge(c: &mut Canvas, b: &Badge, detail: &str, top: i32) {
    let label = BADGE.shorten(&b.label, TEXT_W - 100.0);
    let w = badge_width(b);
    c.fill(&rounded((M, top), (M + w, top + BADGE_H), 8.0), b.fill);
    icon(c, b.icon, (M + 20, top + (BADGE_H - ICON) / 2), ICON, b.ink);
    let text = Ink {
        color: b.ink,
        ..BADGE
    };
    c.text(&label, ((M + 20 + ICON + 14) as f64, top + 46), text);
    if w as f64 + 28.0 + DETAIL.width(detail) <= TEXT_W {
        c.text(detail, ((M + w + 28) as f64, top + 45), DETAIL);
    } else {
        let line = DETAIL.shorten(detail, TEXT_W);
        c.text(&line, (M as f64, top + BADGE_H + 16 + 28), DETAIL);
    }
}

/// Figures side by side: each value large in its colour, what it counts
/// under it in two lines at most. Returns where they end.
fn figures(c: &mut Canvas, figures: &[Figure], top: i32) -> i32 {
    if figures.is_empty() {
        return top;
    }
    let col = column(figures.len());
    let lines = label_lines(figures);
    for (k, f) in figures.iter().enumerate() {
        let x = M + k as i32 * (col + FIGURE_GAP);
        // A long value (a KPI's unit in words) steps down in size first.
        let size = [60, 48, 40]
            .into_iter()
            .find(|&s| ink(s, true, f.color).width(&f.value) <= col as f64)
            .unwrap_or(40);
        let value = ink(size, true, f.color);
        c.text(
            &value.shorten(&f.value, col as f64),
            (x as f64, top + 58),
            value,
        );
        let label = LABEL.wrap(&f.label, col as f64, lines as usize);
        for (l, line) in label.iter().enumerate() {
            let baseline = top + VALUE_LINE + 6 + 22 + l as i32 * LABEL_LINE;
            c.text(line, (x as f64, baseline), LABEL);
        }
    }
    top + VALUE_LINE + 6 + lines * LABEL_LINE
}

/// A KPI's verdict in its colour, and its note beside it, or under it
/// when it does not fit there.
fn verdict(c: &mut Canvas, text: &str, color: Rgb, note: &str, top: i32) {
    let v = Ink { color, ..VERDICT };
    let shown = v.shorten(text, TEXT_W);
    let end = c.text(&shown, (M as f64, top + 42), v);
    if note_beside(text, note) {
        c.text(note, (end + 20.0, top + 42), DETAIL);
    } else {
        let note = DETAIL.shorten(note, TEXT_W);
        c.text(&note, (M as f64, top + VERDICT_LINE + 30), DETAIL);
    }
}

/// The rule, the as-of date, and the sample-data notice on its yellow.
fn foot(c: &mut Canvas, card: &Card) {
    c.rect((M, FOOT), (W - M, FOOT + 2), colors::LINE);
    let mut room = TEXT_W;
    if !card.sample.is_empty() {
        let text = SAMPLE.shorten(&card.sample, TEXT_W / 2.0);
        let w = SAMPLE.width(&text).ceil() as i32 + 28;
        let x = W - M - w;
        c.fill(&rounded((x, FOOT + 22), (W - M, FOOT + 66), 6.0), SAMPLE_BG);
        c.text(&text, ((x + 14) as f64, FOOT + 53), SAMPLE);
        room -= (w + 24) as f64;
    }
    let as_of = FOOT_TEXT.shorten(&card.as_of, room);
    c.text(&as_of, (M as f64, FOOT + 54), FOOT_TEXT);
}

/// A rectangle with corners rounded by `r`.
fn rounded((x0, y0): (i32, i32), (x1, y1): (i32, i32), r: f32) -> Shape {
    let (x0, y0, x1, y1) = (x0 as f32, y0 as f32, x1 as f32, y1 as f32);
    let corners = [
        (x1 - r, y0 + r, -90.0),
        (x1 - r, y1 - r, 0.0),
        (x0 + r, y1 - r, 90.0),
        (x0 + r, y0 + r, 180.0),
    ];
    let mut points = Vec::new();
    for (cx, cy, from) in corners {
        for step in 0..=6 {
            let a = (from + 15.0 * step as f32).to_radians();
            points.push((cx + r * a.cos(), cy + r * a.sin()));
        }
    }
    let mut s = Shape::new();
    s.polygon(&points);
    s
}

/// A status icon, the same one the pages write ([`super::views::icon`]),
/// drawn in the box of side `s` at (`x`, `y`); an icon without a drawing
/// here is written with the font.
fn icon(c: &mut Canvas, icon: &str, (x, y): (i32, i32), s: i32, color: Rgb) {
    let (x, y, s) = (x as f32, y as f32, s as f32);
    let at = |u: f32, v: f32| (x + u * s, y + v * s);
    let line = 0.12 * s;
    let mut shape = Shape::new();
    match icon {
        "✓" => {
            shape.stroke(&[at(0.14, 0.54), at(0.40, 0.80), at(0.88, 0.22)], 0.15 * s);
        }
        "↻" => {
            let (cx, cy) = at(0.5, 0.54);
            let r = 0.33 * s;
            let (from, to) = (-40.0f32, 235.0f32);
            shape.arc_band((cx, cy), r, line, from, to);
            // The arrowhead at the end, pointing the way round.
            let a = to.to_radians();
            let (ex, ey) = (cx + r * a.cos(), cy + r * a.sin());
            let (tx, ty) = (-a.sin(), a.cos());
            let (nx, ny) = (a.cos(), a.sin());
            let h = 0.17 * s;
            shape.polygon(&[
                (ex + tx * h * 1.2, ey + ty * h * 1.2),
                (ex + nx * h - tx * h * 0.2, ey + ny * h - ty * h * 0.2),
                (ex - nx * h - tx * h * 0.2, ey - ny * h - ty * h * 0.2),
            ]);
        }
        "!" => {
            shape
                .stroke(&[at(0.5, 0.16), at(0.5, 0.58)], 0.16 * s)
                .circle(at(0.5, 0.83), 0.09 * s, false);
        }
        "◷" => {
            shape
                .ring(at(0.5, 0.5), 0.38 * s, line)
                .stroke(&[at(0.5, 0.26), at(0.5, 0.5), at(0.72, 0.5)], line);
        }
        "⊘" => {
            shape
                .ring(at(0.5, 0.5), 0.38 * s, line)
                .stroke(&[at(0.26, 0.74), at(0.74, 0.26)], line);
        }
        "►" => {
            shape.polygon(&[at(0.2, 0.14), at(0.88, 0.5), at(0.2, 0.86)]);
        }
        "○" => {
            shape.ring(at(0.5, 0.5), 0.36 * s, line);
        }
        other => {
            let glyph = ink(s as u32, true, color);
            let w = glyph.width(other) as f32;
            c.text(
                other,
                ((x + (s - w) / 2.0) as f64, (y + 0.86 * s) as i32),
                glyph,
            );
            return;
        }
    }
    c.fill(&shape, color);
}

#[cfg(test)]
mod tests {
    use super::super::charts::{status_color, status_ink};
    use super::*;
    use crate::status::Status;

    fn card() -> Card {
        Card {
            site: "Theo dõi tiến độ chuyển đổi số tỉnh Hải Dương".into(),
            kicker: "Nhiệm vụ · Mục 4.d · Sở KH&CN".into(),
            title: "Triển khai nền tảng tích hợp, chia sẻ dữ liệu cấp tỉnh".into(),
            badge: None,
            verdict: None,
            detail: "Quá hạn 45 ngày".into(),
            figures: Vec::new(),
            as_of: "Số liệu tính đến ngày 25/06/2025".into(),
            sample: "Dữ liệu minh họa".into(),
        }
    }

    fn badge(s: Status) -> Badge {
        Badge {
            fill: status_color(s),
            ink: status_ink(s),
            icon: super::super::views::icon(s),
            label: format!("{s:?}"),
        }
    }

    /// The PNG decoded: its size and its pixels as RGB.
    fn decode(png: &[u8]) -> (u32, u32, usize, Vec<u8>) {
        let mut d = png::Decoder::new(std::io::Cursor::new(png));
        d.set_transformations(png::Transformations::EXPAND);
        let mut r = d.read_info().unwrap();
        let palette = r.info().palette.as_ref().map_or(0, |p| p.len() / 3);
        assert_eq!(r.info().color_type, png::ColorType::Indexed);
        let mut buf = vec![0; r.output_buffer_size().unwrap()];
        let info = r.next_frame(&mut buf).unwrap();
        assert_eq!(info.color_type, png::ColorType::Rgb);
        (info.width, info.height, palette, buf)
    }

    fn at(rgb: &[u8], x: i32, y: i32) -> Rgb {
        let i = (y as usize * WIDTH as usize + x as usize) * 3;
        Rgb(rgb[i], rgb[i + 1], rgb[i + 2])
    }

    #[test]
    fn an_image_is_a_1200_by_630_png_with_the_status_in_its_colour_and_icon() {
        for s in Status::ALL {
            let mut c = card();
            c.badge = Some(badge(s));
            let png = draw(&c);
            assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
            let (w, h, palette, rgb) = decode(&png);
            assert_eq!((w, h), (1200, 630));
            assert!(palette < 256, "{s:?}: {palette} colours, none merged");
            // The badge sits on the middle block's last line, its left
            // padding in the status's fill.
            let top = MIDDLE_END - BADGE_H;
            assert_eq!(at(&rgb, M + 8, top + BADGE_H / 2), status_color(s), "{s:?}");
            // The icon is drawn in the ink, in its box.
            let inked = (0..ICON)
                .flat_map(|dy| (0..ICON).map(move |dx| (dx, dy)))
                .filter(|&(dx, dy)| {
                    at(&rgb, M + 20 + dx, top + (BADGE_H - ICON) / 2 + dy) == status_ink(s)
                })
                .count();
            assert!(inked > 40, "{s:?}: {inked} pixels of icon");
            // The portal's band.
            assert_eq!(at(&rgb, 4, 4), colors::ACCENT);
            assert_eq!(at(&rgb, 600, 400).0, 0xff, "white below the title");
            // The same card, the same bytes.
            assert_eq!(draw(&c), png, "{s:?}");
        }
    }

    #[test]
    fn long_texts_are_shortened_inside_the_margins() {
        let long = "Chuyển đổi số toàn diện trong cơ quan nhà nước ".repeat(40);
        let mut c = card();
        c.site = long.clone();
        c.kicker = long.clone();
        c.title = long.clone();
        c.detail = long.clone();
        c.sample = long.clone();
        c.as_of = long.clone();
        c.badge = Some(Badge {
            label: long.clone(),
            ..badge(Status::Overdue)
        });
        let mut with_figures = c.clone();
        with_figures.badge = None;
        with_figures.verdict = Some((long.clone(), colors::BAD));
        with_figures.figures = (0..4)
            .map(|k| Figure {
                value: format!("{k}{}", "8".repeat(60)),
                label: long.clone(),
                color: colors::GOOD,
            })
            .collect();
        for c in [c, with_figures] {
            let (_, _, _, rgb) = decode(&draw(&c));
            // Nothing but the background (and the band and the sample
            // notice's yellow, which end at the margin) right of the
            // margin, nor left of it under the band.
            for y in BAND..H_PX {
                for x in (W - M + 1..W).chain(0..M - 1) {
                    let p = at(&rgb, x, y);
                    assert_eq!(p, WHITE, "({x}, {y}) is {p}");
                }
            }
        }
    }

    const H_PX: i32 = HEIGHT as i32;
}
