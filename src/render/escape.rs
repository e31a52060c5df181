//! Part of render: the one escaper for text and attribute values that Rust
//! code writes into HTML, SVG or XML by hand (templates escape through
//! Tera). Input: any text. Output: the text with `&`, `<`, `>` and `"`
//! written as entities, safe in element content and in double-quoted
//! attributes (all Rust-written markup quotes with `"`; an apostrophe needs
//! no escape there, so it is left as it is).

/// `s` escaped for HTML, SVG or XML text and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
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
}
