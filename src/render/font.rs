//! Part of render: the bundled Noto Sans, and text fitted to a width by its
//! advances. Input: a text, a size in pixels and a width. Output: its
//! width, the text shortened with "…" to fit, or broken at spaces into
//! lines that fit. The charts measure their labels with it (the reader's
//! browser then draws them); the share images ([`super::share`]) draw with
//! its outlines too, so what is measured is what is drawn. Pure.

use ab_glyph::{Font, FontRef};
use std::sync::OnceLock;

/// Noto Sans Regular, subset to Latin and Vietnamese (SIL OFL 1.1, see
/// `fonts/OFL.txt`): every precomposed Vietnamese letter, no kerning table.
static NOTO_SANS: &[u8] = include_bytes!("../../fonts/NotoSans-Regular.subset.ttf");

/// The bundled face, read once; `None` only if the bundled file were
/// damaged (then text is measured at 0.6 em a character and not drawn).
pub fn noto() -> Option<&'static FontRef<'static>> {
    static FACE: OnceLock<Option<FontRef<'static>>> = OnceLock::new();
    FACE.get_or_init(|| FontRef::try_from_slice(NOTO_SANS).ok())
        .as_ref()
}

/// The bytes of the bundled font, for the share images' cache key.
pub fn bytes() -> &'static [u8] {
    NOTO_SANS
}

/// The advance of one character at `size` pixels: Noto Sans's, an em for a
/// character the subset lacks (the status icons, which browsers draw from
/// another font, about an em wide).
pub fn advance(size: u32) -> impl Fn(char) -> f64 {
    let size = size as f64;
    let face = noto();
    let scale = face.map_or(1.0, |f| size / f.units_per_em().unwrap_or(1000.0) as f64);
    move |c| match face {
        Some(f) => {
            let id = f.glyph_id(c);
            if id.0 == 0 {
                size
            } else {
                f.h_advance_unscaled(id) as f64 * scale
            }
        }
        None => size * 0.6,
    }
}

/// The width of `s`: the sum of `measure` over its characters, times `k`.
pub fn width(s: &str, measure: &dyn Fn(char) -> f64, k: f64) -> f64 {
    s.chars().map(measure).sum::<f64>() * k
}

/// `s` cut to fit `max`, ending in "…"; each character measures
/// `measure(c) * k`. One pass over the start of `s`: each character is
/// measured once, and the longest prefix that fits (trailing spaces
/// trimmed, as a reader would not see them) is found from the running
/// widths; the pass stops once neither `s` nor any longer prefix can fit.
/// A megabyte of title costs what fits on a line, not the square of its
/// length (issue 29: a 20,000-character title took 98 s).
pub fn shorten(s: &str, max: f64, measure: &dyn Fn(char) -> f64, k: f64) -> String {
    let ellipsis = measure('…') * k;
    // Per character: the byte where it ends, and the width of the prefix
    // through it with trailing spaces trimmed.
    let mut ends: Vec<(usize, f64)> = Vec::new();
    let (mut total, mut trimmed) = (0.0, 0.0);
    let mut whole = true;
    for (i, c) in s.char_indices() {
        total += measure(c);
        if !c.is_whitespace() {
            trimmed = total;
        }
        // Both widths only grow from here: `s` does not fit, and neither
        // does this prefix nor any longer one.
        if total * k > max && trimmed * k + ellipsis > max {
            whole = false;
            break;
        }
        ends.push((i + c.len_utf8(), trimmed));
    }
    if whole && total * k <= max {
        return s.to_string();
    }
    if whole {
        // The last prefix is `s` itself, which does not fit.
        ends.pop();
    }
    // The longest prefix shorter than `s` whose trimmed width and the
    // ellipsis fit.
    let fits = ends.iter().rposition(|&(_, w)| w * k + ellipsis <= max);
    match fits {
        Some(n) => [s[..ends[n].0].trim_end(), "…"].concat(),
        None => "…".to_string(),
    }
}

/// `s` broken at spaces into lines of at most `max`, at most `lines` of
/// them, each character measuring `measure(c) * k`; what does not fit is
/// shortened with "…" (the full text is always beside the drawing).
pub fn wrap(s: &str, max: f64, lines: usize, measure: &dyn Fn(char) -> f64, k: f64) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut line = String::new();
    // The line's width so far: each word is measured once.
    let mut line_w = 0.0;
    let space = width(" ", measure, k);
    let words: Vec<&str> = s.split_whitespace().collect();
    for (i, word) in words.iter().enumerate() {
        let w = width(word, measure, k);
        if line.is_empty() {
            line.push_str(word);
            line_w = w;
            continue;
        }
        if line_w + space + w <= max {
            line.push(' ');
            line.push_str(word);
            line_w += space + w;
            continue;
        }
        out.push(std::mem::take(&mut line));
        if out.len() == lines {
            let rest = words[i..].join(" ");
            let last = out.pop().unwrap_or_default();
            out.push(shorten(&format!("{last} {rest}"), max, measure, k));
            return out;
        }
        line.push_str(word);
        line_w = w;
    }
    if !line.is_empty() {
        out.push(line);
    }
    out.into_iter()
        .map(|l| shorten(&l, max, measure, k))
        .collect()
}
