//! Text helpers used across stages: NFC normalisation (Vietnamese text often
//! arrives decomposed from Word or macOS), the id/slug rule, and folding
//! for diacritic-free search ("chuyen doi so" finds "chuyển đổi số").

use unicode_normalization::{UnicodeNormalization, char::is_combining_mark, is_nfc_quick};

/// The text in NFC.
pub fn nfc(s: &str) -> String {
    nfc_if_changed(s).unwrap_or_else(|| s.to_string())
}

/// `s` in NFC if that differs from `s`, else `None`: a text already in
/// NFC (nearly every text) is not copied.
pub fn nfc_if_changed(s: &str) -> Option<String> {
    // Vietnamese is written in precomposed letters below U+0300 (where no
    // combining mark lies) and in Latin Extended Additional (U+1E00 to
    // U+1EFF): each of them is NFC as it stands, alone or in any sequence
    // (the test below tries every one), so a text of only these needs no
    // table lookups; a national site has a hundred megabytes of it.
    if s.chars().all(is_plain_nfc) {
        return None;
    }
    match is_nfc_quick(s.chars()) {
        unicode_normalization::IsNormalized::Yes => None,
        _ => {
            let normal: String = s.nfc().collect();
            (normal != s).then_some(normal)
        }
    }
}

/// A character that is NFC whatever comes before or after it: no
/// combining mark, no decomposition NFC would undo.
fn is_plain_nfc(c: char) -> bool {
    c < '\u{300}' || ('\u{1E00}'..='\u{1EFF}').contains(&c)
}

/// Ids and slugs become URL segments: ASCII lower-case letters, digits and
/// hyphens, starting and ending with a letter or digit.
/// `s` cut at a word boundary to at most `max` characters, with "…" when
/// cut (a feed heading, a share line); whole when short enough.
pub fn truncate_words(s: &str, max: usize) -> String {
    let s = s.trim();
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max).collect();
    // Cut at the last space, unless the cut already falls between words.
    let between = s.chars().nth(max).is_some_and(char::is_whitespace);
    let at = cut
        .rfind(char::is_whitespace)
        .filter(|&i| i > 0 && !between);
    let kept = at.map_or(cut.as_str(), |i| &cut[..i]);
    format!("{}…", kept.trim_end_matches([',', ';', ':', '.', ' ']))
}

pub fn is_valid_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 100
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
}

/// Lower case, no diacritics, đ -> d: what search compares.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_chars(s, |c| out.push(c));
    out
}

/// [`fold`], a character at a time (search folds every title and text of
/// a portal). Decomposing each character alone is decomposing the string:
/// canonical reordering moves only characters of non-zero combining class,
/// and those are all combining marks, which folding drops (a test checks
/// every character).
pub fn fold_chars(s: &str, mut f: impl FnMut(char)) {
    for c in s.chars() {
        if c.is_ascii() {
            f(c.to_ascii_lowercase());
            continue;
        }
        unicode_normalization::char::decompose_canonical(c, |d| {
            if is_combining_mark(d) {
                return;
            }
            let d = if matches!(d, 'đ' | 'Đ') { 'd' } else { d };
            d.to_lowercase().for_each(&mut f);
        });
    }
}

/// An id suggested for a title: folded, with runs of other characters as one hyphen.
pub fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in fold(s).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// A character no text of a portal may hold: a C0 control character
/// other than tab, line feed and carriage return, DEL, or a C1 control
/// character. Feeds and charts would no longer be well-formed XML, and a
/// terminal would act on ESC and BEL.
pub fn is_forbidden_control(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{2028}' | '\u{2029}')
}

/// A bidirectional override or isolate (U+202A to U+202E, U+2066 to
/// U+2069): it reorders the text around it on screen, so a title can
/// show something other than what it says.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A character that shows as nothing, or as a plain space, but is not one:
/// a zero-width space, joiner or non-joiner, a word joiner, a byte-order
/// mark inside a file, a soft hyphen, or a non-breaking space. Returns
/// the catalogue key of its name, as editors search for it.
pub fn invisible_name(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{200B}' => "what.zero_width_space",
        '\u{200C}' | '\u{200D}' | '\u{2060}' => "what.zero_width_joiner",
        '\u{FEFF}' => "what.byte_order_mark",
        '\u{00AD}' => "what.soft_hyphen",
        '\u{00A0}' | '\u{202F}' => "what.non_breaking_space",
        _ => return None,
    })
}

/// The first spreadsheet escape of a control character (`_x000B_`, as
/// Excel writes a vertical tab into a cell's text) in `s`: its byte
/// offset and the character it stands for, when that is a control
/// character.
pub fn spreadsheet_escape(s: &str) -> Option<(usize, char)> {
    let b = s.as_bytes();
    let mut from = 0;
    while let Some(i) = s[from..].find("_x").map(|i| i + from) {
        if let Some(hex) = b.get(i + 2..i + 6)
            && b.get(i + 6) == Some(&b'_')
            && hex.iter().all(u8::is_ascii_hexdigit)
            && let Some(c) = std::str::from_utf8(hex)
                .ok()
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .and_then(char::from_u32)
            && is_forbidden_control(c)
        {
            return Some((i, c));
        }
        from = i + 2;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Text already in NFC is not copied; decomposed text is composed.
    #[test]
    fn only_text_that_normalising_changes_is_copied() {
        for s in ["", "Sở Khoa học và Công nghệ", "Ủy ban, Đề án 06", "ﬁ ① ½"] {
            assert_eq!(nfc_if_changed(s), None, "{s}");
            assert_eq!(nfc(s), s);
        }
        // "Sở" with the hook above written as a combining mark.
        let decomposed = "So\u{031B}\u{0309} Y te\u{0302}\u{0301}";
        assert_eq!(nfc_if_changed(decomposed).as_deref(), Some("Sở Y tế"));
        assert_eq!(nfc(decomposed), "Sở Y tế");
    }

    /// The reasoning of [`fold_chars`], checked on every character, and
    /// its result against folding the decomposed string whole.
    #[test]
    fn folding_a_character_at_a_time_is_folding_the_string() {
        use unicode_normalization::char::canonical_combining_class;
        let all: Vec<char> = (0..=0x10FFFF).filter_map(char::from_u32).collect();
        for &c in &all {
            if canonical_combining_class(c) != 0 {
                assert!(is_combining_mark(c), "{:04X}", c as u32);
            }
        }
        let whole = |s: &str| -> String {
            s.nfd()
                .filter(|c| !is_combining_mark(*c))
                .map(|c| if matches!(c, 'đ' | 'Đ') { 'd' } else { c })
                .flat_map(char::to_lowercase)
                .collect()
        };
        for chunk in all.chunks(64) {
            let s: String = chunk.iter().collect();
            assert_eq!(fold(&s), whole(&s));
        }
        // Marks in an order the decomposition reorders, after letters that
        // decompose.
        for s in [
            "Ệ\u{0323}\u{0302}x",
            "ẫ\u{0301}\u{0323}Đ",
            "q\u{0307}\u{0323}Ǖ",
            "한국어 ĐƯỜNG",
        ] {
            assert_eq!(fold(s), whole(s), "{s}");
        }
    }

    #[test]
    fn nfc_composes_decomposed_vietnamese() {
        let nfd: String = "chuyển đổi số".nfd().collect();
        assert_ne!(nfd, "chuyển đổi số");
        assert_eq!(nfc(&nfd), "chuyển đổi số");
    }

    #[test]
    fn the_plain_letters_are_nfc_and_start_no_composition() {
        let plain = (0..0x300u32)
            .chain(0x1E00..=0x1EFF)
            .filter_map(char::from_u32);
        for c in plain {
            let one = c.to_string();
            assert_eq!(one.nfc().collect::<String>(), one, "U+{:04X}", c as u32);
            assert_eq!(
                unicode_normalization::char::canonical_combining_class(c),
                0,
                "U+{:04X}",
                c as u32
            );
            // Nothing composes two plain letters into one.
            assert_eq!(format!("{c}a").nfc().collect::<String>(), format!("{c}a"));
        }
        assert_eq!(nfc("Chuyển đổi số"), "Chuyển đổi số");
    }

    #[test]
    fn ids() {
        assert!(is_valid_id("ioc-soc"));
        assert!(is_valid_id("4d"));
        for bad in [
            "", "IOC", "ioc_soc", "-a", "a-", "a--b", "../x", "a/b", "sở", "a b",
        ] {
            assert!(!is_valid_id(bad), "{bad}");
        }
    }

    #[test]
    fn folding_drops_marks_and_d_stroke() {
        assert_eq!(fold("Chuyển đổi số"), "chuyen doi so");
        assert_eq!(fold("Đăng"), "dang");
        assert_eq!(fold("Sở KH&CN"), "so kh&cn");
        assert_eq!(
            slugify("Sở Thông tin và Truyền thông"),
            "so-thong-tin-va-truyen-thong"
        );
    }

    #[test]
    fn control_bidi_and_invisible_characters_are_told_apart() {
        for c in ['\u{0}', '\u{7}', '\u{1b}', '\u{7f}', '\u{85}', '\u{2028}'] {
            assert!(is_forbidden_control(c), "{c:?}");
        }
        for c in ['\t', '\n', '\r', 'a', 'ệ', ' ', '\u{202E}'] {
            assert!(!is_forbidden_control(c), "{c:?}");
        }
        assert!(is_bidi_control('\u{202E}') && is_bidi_control('\u{2066}'));
        assert!(!is_bidi_control('\u{200F}') && !is_bidi_control('ạ'));
        assert_eq!(invisible_name('\u{200B}'), Some("what.zero_width_space"));
        assert_eq!(invisible_name('\u{A0}'), Some("what.non_breaking_space"));
        assert_eq!(invisible_name(' '), None);
    }

    #[test]
    fn spreadsheet_escapes_of_control_characters_are_found() {
        assert_eq!(spreadsheet_escape("Việc_x000B_một"), Some((6, '\u{B}')));
        assert_eq!(spreadsheet_escape("a_x_x001B_"), Some((3, '\u{1B}')));
        // A letter escaped, or an id with `_x`, is no control character.
        assert_eq!(spreadsheet_escape("a_x0041_b"), None);
        assert_eq!(spreadsheet_escape("ma_xa_1234_"), None);
        assert_eq!(spreadsheet_escape("_x000"), None);
    }
}

#[cfg(test)]
mod truncate_tests {
    use super::truncate_words;

    #[test]
    fn long_text_is_cut_at_a_word_and_short_text_kept() {
        assert_eq!(truncate_words("Đề nghị bố trí", 40), "Đề nghị bố trí");
        assert_eq!(
            truncate_words("Đề nghị Sở Tài chính bố trí kinh phí", 20),
            "Đề nghị Sở Tài chính…"
        );
        assert_eq!(
            truncate_words("Mộtchữrấtdàikhôngcókhoảngtrắng", 5),
            "Mộtch…"
        );
    }
}
