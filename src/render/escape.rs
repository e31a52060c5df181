//! Part of render: the one escaper for text and attribute values that Rust
//! code writes into HTML, SVG or XML by hand (templates escape through
//! Tera). Input: any text. Output: the text with `&`, `<`, `>` and `"`
//! written as entities, safe in element content and in double-quoted
//! attributes (all Rust-written markup quotes with `"`; an apostrophe needs
//! no escape there, so it is left as it is). Characters XML 1.0 does not
//! allow (C0 controls but tab and line breaks, U+FFFE, U+FFFF) are dropped:
//! the loader refuses them, and the writers never write them whatever
//! slips through.

/// Whether XML 1.0 allows `c` in a document (its `Char` production).
pub fn is_xml_char(c: char) -> bool {
    !matches!(c, '\0'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
}

/// `s` without the characters XML does not allow ([`is_xml_char`]).
pub fn xml_chars(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars().all(is_xml_char) {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(s.chars().filter(|&c| is_xml_char(c)).collect())
    }
}

/// `s` escaped for HTML, SVG or XML text and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if !is_xml_char(c) => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_the_markup_characters_and_nothing_else() {
        assert_eq!(escape(r#"a&b<c>d"e'f ế/"#), "a&amp;b&lt;c&gt;d&quot;e'f ế/");
    }

    #[test]
    fn drops_what_xml_does_not_allow() {
        assert_eq!(escape("a\u{7}b\u{1b}c\0d\u{fffe}\te\nf"), "abcd\te\nf");
    }
}
