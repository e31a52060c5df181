//! Text helpers used across stages: NFC normalisation (Vietnamese text often
//! arrives decomposed from Word or macOS), the id/slug rule, and folding
//! for diacritic-free search ("chuyen doi so" finds "chuyển đổi số").

use unicode_normalization::{UnicodeNormalization, char::is_combining_mark, is_nfc_quick};

/// The text in NFC; borrows nothing, allocates only when needed.
pub fn nfc(s: &str) -> String {
    match is_nfc_quick(s.chars()) {
        unicode_normalization::IsNormalized::Yes => s.to_string(),
        _ => s.nfc().collect(),
    }
}

/// Ids and slugs become URL segments: ASCII lower-case letters, digits and
/// hyphens, starting and ending with a letter or digit.
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
    s.nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            'đ' | 'Đ' => 'd',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfc_composes_decomposed_vietnamese() {
        let nfd: String = "chuyển đổi số".nfd().collect();
        assert_ne!(nfd, "chuyển đổi số");
        assert_eq!(nfc(&nfd), "chuyển đổi số");
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
}
