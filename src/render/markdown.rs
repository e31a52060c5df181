//! Markdown to safe HTML: pulldown-cmark for the syntax (tables, footnotes,
//! strikethrough, task lists), heading anchors and a table of contents made
//! in the same pass, and ammonia to remove whatever raw HTML could run
//! (scripts, event handlers, `javascript:` URLs).

use crate::text::slugify;
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};
use serde::Serialize;
use std::collections::HashSet;

/// One entry of a table of contents.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// Rendered Markdown: safe HTML and the headings it contains.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<TocEntry>,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

fn level_number(l: HeadingLevel) -> u8 {
    match l {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Renders an editor's Markdown. Headings get ids from their text (unique
/// within the document); h2 and h3 go into the table of contents.
pub fn render(markdown: &str) -> Rendered {
    let mut events: Vec<Event> = Parser::new_ext(markdown, options()).collect();
    let mut used: HashSet<String> = HashSet::new();
    let mut toc = Vec::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { level, id, .. }) = &events[i] {
            let level = *level;
            let given = id.clone();
            let mut text = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j], Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j] {
                    text.push_str(t);
                }
                j += 1;
            }
            let base = given
                .map(|g| slugify(&g))
                .filter(|g| !g.is_empty())
                .unwrap_or_else(|| slugify(&text));
            let base = if base.is_empty() {
                "muc".to_string()
            } else {
                base
            };
            let mut anchor = base.clone();
            let mut n = 2;
            while !used.insert(anchor.clone()) {
                anchor = format!("{base}-{n}");
                n += 1;
            }
            if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
                *id = Some(CowStr::from(anchor.clone()));
            }
            let lv = level_number(level);
            if (2..=3).contains(&lv) {
                toc.push(TocEntry {
                    level: lv,
                    id: anchor,
                    title: text.trim().to_string(),
                });
            }
            i = j;
        }
        i += 1;
    }
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    // Footnote ids are bare labels ("1"): give them a prefix so they cannot
    // collide with the page's own ids.
    let out = out
        .replace(
            "<sup class=\"footnote-reference\"><a href=\"#",
            "<sup class=\"footnote-reference\"><a href=\"#fn-",
        )
        .replace(
            "<div class=\"footnote-definition\" id=\"",
            "<div class=\"footnote-definition\" id=\"fn-",
        );
    Rendered {
        html: sanitize(&out),
        toc,
    }
}

/// Just the HTML, for short texts (notes, descriptions). A single line
/// with nothing Markdown or HTML could act on is wrapped as it is: most
/// report notes are, and a large portal has hundreds of thousands.
pub fn to_html(markdown: &str) -> String {
    let text = markdown.trim();
    let plain = !text.is_empty()
        && !text.contains(|c: char| "*_[]<>&#|~`!\\\"'\n\r".contains(c))
        && !text.contains("--")
        && !text.contains("...")
        && !text.starts_with(['-', '+', '='])
        && !text.split_whitespace().next().is_some_and(|w| {
            w.ends_with('.') && w[..w.len() - 1].chars().all(|c| c.is_ascii_digit())
                || w.ends_with(')')
        });
    if plain {
        return format!("<p>{text}</p>\n");
    }
    render(markdown).html
}

fn sanitize(html: &str) -> String {
    ammonia::Builder::default()
        .add_generic_attributes(["id"])
        .add_tag_attributes("th", ["style"])
        .add_tag_attributes("td", ["style"])
        .add_tag_attributes("div", ["class"])
        .add_tag_attributes("sup", ["class"])
        .add_tags(["input"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .link_rel(Some("noopener noreferrer"))
        .clean(html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_html_is_removed() {
        let out = to_html(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1))\n\n<a href=\"JaVaScRiPt:alert(1)\">y</a>\n\n<iframe src=\"https://evil.example\"></iframe>",
        );
        assert!(!out.contains("<script"), "{out}");
        assert!(!out.to_lowercase().contains("onerror"), "{out}");
        assert!(!out.to_lowercase().contains("javascript:"), "{out}");
        assert!(!out.contains("<iframe"), "{out}");
    }

    #[test]
    fn tables_footnotes_strikethrough_tasklists() {
        let out = to_html(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n**đậm** ~~bỏ~~ chú thích[^1]\n\n- [x] xong\n\n[^1]: Ghi chú.\n",
        );
        assert!(out.contains("<table>"), "{out}");
        assert!(out.contains("<strong>đậm</strong>"));
        assert!(out.contains("<del>bỏ</del>"));
        assert!(out.contains("type=\"checkbox\""), "{out}");
        assert!(out.contains("href=\"#fn-1\""), "{out}");
        assert!(out.contains("id=\"fn-1\""), "{out}");
    }

    #[test]
    fn plain_notes_take_the_short_way_with_the_same_result() {
        for note in [
            "Đã triển khai tại 3 huyện.",
            "11/12 bệnh viện đã triển khai; 1 chờ kinh phí.",
            "Hơn 45.000 người dân đã tham gia học.",
        ] {
            assert_eq!(to_html(note), render(note).html, "{note}");
        }
        for markdown in [
            "**đậm**",
            "1. một",
            "a -- b",
            "\"trích\"",
            "<b>x</b>",
            "- mục",
        ] {
            assert_eq!(to_html(markdown), render(markdown).html, "{markdown}");
        }
    }

    #[test]
    fn headings_get_unique_anchors_and_a_toc() {
        let r = render(
            "## Chuyển đổi số\n\ntext\n\n## Chuyển đổi số\n\n### Chi tiết {#rieng}\n\n#### Sâu\n",
        );
        assert!(r.html.contains("<h2 id=\"chuyen-doi-so\">"), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"chuyen-doi-so-2\">"), "{}", r.html);
        assert!(r.html.contains("<h3 id=\"rieng\">"), "{}", r.html);
        let ids: Vec<&str> = r.toc.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["chuyen-doi-so", "chuyen-doi-so-2", "rieng"]);
        assert_eq!(r.toc[0].title, "Chuyển đổi số");
    }
}
