//! Markdown, parsed once: pulldown-cmark for the syntax (tables, footnotes,
//! strikethrough, task lists), heading anchors and a table of contents made
//! in the same pass, ammonia to remove whatever raw HTML could run
//! (scripts, event handlers, `javascript:` URLs), and from the same events
//! the problems an editor must fix (images without alt text, anything
//! loaded from another host) and the words the search indexes. Pure; the
//! model reads an article's body with [`document`], render shows it.

use crate::diag::Message;
use crate::msg;
use crate::text::slugify;
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::ops::Range;

/// One entry of a table of contents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// Rendered Markdown: safe HTML and the headings it contains.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
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

/// Words of a body indexed beyond its title and summary: every heading,
/// then this many words of the rest, enough to find it by its opening
/// while the search chunks of common words stay small at national scale.
pub const SEARCH_WORDS: usize = 60;

/// A body parsed once: what a page shows, what the search indexes and what
/// an editor must fix.
#[derive(Debug, Clone, Default)]
pub struct Document {
    pub rendered: Rendered,
    /// Every heading, then the first [`SEARCH_WORDS`] words of the rest,
    /// without markup.
    pub search_text: String,
    /// Problems by byte offset into the body.
    pub problems: Vec<(usize, Message)>,
}

/// Parses `markdown` once for the page, the search and the checks.
pub fn document(markdown: &str) -> Document {
    let events: Vec<(Event, Range<usize>)> = Parser::new_ext(markdown, options())
        .into_offset_iter()
        .collect();
    let problems = problems_of(events.iter().map(|(e, r)| (e, r.start)));
    let search_text = search_text_of(events.iter().map(|(e, _)| e));
    let rendered = render_events(events.into_iter().map(|(e, _)| e).collect(), markdown.len());
    Document {
        rendered,
        search_text,
        problems,
    }
}

/// [`document`], from the build cache when a text of the same digest was
/// parsed by the last build; a document with problems is never stored,
/// so its messages always come from the parse.
pub fn document_cached(cache: &crate::cache::Session, markdown: &str) -> Document {
    let digest = crate::cache::digest(markdown.as_bytes());
    if let Some((entry, old)) = cache.old.doc(&digest)
        && let Ok((rendered, search_text)) = postcard::from_bytes::<(Rendered, String)>(entry)
    {
        cache.new.doc(digest, old);
        return Document {
            rendered,
            search_text,
            problems: Vec::new(),
        };
    }
    let doc = document(markdown);
    if doc.problems.is_empty()
        && let Ok(entry) = postcard::to_stdvec(&(&doc.rendered, &doc.search_text))
    {
        cache.new.doc(digest, crate::cache::Entry::New(entry));
    }
    doc
}

/// Images without alt text and anything loaded from another host in a
/// Markdown text (a description or note written in YAML), by byte offset.
pub fn problems(markdown: &str) -> Vec<(usize, Message)> {
    let events: Vec<(Event, Range<usize>)> = Parser::new_ext(markdown, options())
        .into_offset_iter()
        .collect();
    problems_of(events.iter().map(|(e, r)| (e, r.start)))
}

/// The headings of a text, all of them, then the first [`SEARCH_WORDS`]
/// words of the rest, without markup.
fn search_text_of<'e>(events: impl Iterator<Item = &'e Event<'e>>) -> String {
    let mut headings = String::new();
    let mut body = String::new();
    let mut in_heading = false;
    // Enough characters for the words wanted, whatever their length.
    let budget = SEARCH_WORDS * 16;
    for e in events {
        match e {
            Event::Start(Tag::Heading { .. }) => in_heading = true,
            Event::End(TagEnd::Heading(_)) => {
                in_heading = false;
                headings.push(' ');
            }
            Event::Text(t) | Event::Code(t) if in_heading => headings.push_str(t),
            Event::Text(t) | Event::Code(t) if body.len() < budget => body.push_str(t),
            // Inline markup joins the words around it ("**đậm**."); blocks
            // and line breaks separate them.
            Event::End(
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Image,
            ) => {}
            Event::End(_) | Event::SoftBreak | Event::HardBreak => body.push(' '),
            _ => {}
        }
    }
    let opening: Vec<&str> = body.split_whitespace().take(SEARCH_WORDS).collect();
    headings + &opening.join(" ")
}

/// The search words of a text ([`Document::search_text`]) on their own.
pub fn search_text(markdown: &str) -> String {
    let events: Vec<Event> = Parser::new_ext(markdown, options()).collect();
    search_text_of(events.iter())
}

/// Renders an editor's Markdown. Headings get ids from their text (unique
/// within the document); h2 and h3 go into the table of contents.
pub fn render(markdown: &str) -> Rendered {
    render_events(
        Parser::new_ext(markdown, options()).collect(),
        markdown.len(),
    )
}

fn render_events(mut events: Vec<Event>, len: usize) -> Rendered {
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
    let mut out = String::with_capacity(len * 3 / 2);
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
        // Every character Markdown or HTML acts on is ASCII, and no byte of
        // a multi-byte UTF-8 character is: a scan of the bytes is enough.
        && !text.bytes().any(|b| {
            matches!(
                b,
                b'*' | b'_' | b'[' | b']' | b'<' | b'>' | b'&' | b'#' | b'|' | b'~' | b'`'
                    | b'!' | b'\\' | b'"' | b'\'' | b'\n' | b'\r'
            )
        })
        && !text.contains("--")
        && !text.contains("...")
        && !text.starts_with(['-', '+', '='])
        && !text.split_whitespace().next().is_some_and(|w| {
            w.ends_with('.') && w[..w.len() - 1].chars().all(|c| c.is_ascii_digit())
                || w.ends_with(')')
        });
    if plain {
        return ["<p>", text, "</p>\n"].concat();
    }
    render(markdown).html
}

/// The problems of parsed events (with each one's byte offset).
fn problems_of<'e>(events: impl Iterator<Item = (&'e Event<'e>, usize)>) -> Vec<(usize, Message)> {
    let mut problems: Vec<(usize, Message)> = Vec::new();
    let mut image: Option<(usize, String, String)> = None;
    for (event, start) in events {
        match event {
            Event::Start(Tag::Image { dest_url, .. }) => {
                image = Some((start, dest_url.to_string(), String::new()));
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, alt)) = &mut image {
                    alt.push_str(t);
                }
            }
            Event::End(TagEnd::Image) => {
                if let Some((at, url, alt)) = image.take() {
                    if alt.trim().is_empty() {
                        problems.push((at, msg!("markdown.image_alt", url = &url)));
                    }
                    if is_other_host(&url) {
                        problems.push((at, msg!("markdown.other_host", url)));
                    }
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                // Offsets into the text as written: a lowercased copy can
                // be longer (`İ` is two bytes, its lowercase three), and
                // its offsets would point elsewhere in the original.
                for attr in ["src=", "data=", "srcset=", "poster="] {
                    for i in find_ignore_ascii_case(html, attr) {
                        let value = html[i + attr.len()..]
                            .trim_start_matches(['"', '\''])
                            .split(['"', '\'', ' ', '>'])
                            .next()
                            .unwrap_or("");
                        if is_other_host(value) {
                            let url = value.to_string();
                            problems.push((start + i, msg!("markdown.other_host", url)));
                        }
                    }
                }
                for i in find_ignore_ascii_case(html, "<img") {
                    let tag = html[i..].split('>').next().unwrap_or("");
                    if find_ignore_ascii_case(tag, "alt=").next().is_none() {
                        problems.push((start + i, msg!("markdown.html_image_alt")));
                    }
                }
            }
            _ => {}
        }
    }
    problems
}

/// The byte offsets in `text` where the ASCII `needle` starts, any case.
/// An ASCII byte is never part of a longer UTF-8 character, so every offset
/// is a character boundary of `text`.
fn find_ignore_ascii_case<'t>(text: &'t str, needle: &'t str) -> impl Iterator<Item = usize> + 't {
    let pat = needle.as_bytes();
    text.as_bytes()
        .windows(pat.len().max(1))
        .enumerate()
        .filter(move |(_, w)| w.eq_ignore_ascii_case(pat))
        .map(|(i, _)| i)
}

/// A URL on another host: the portal loads nothing from other hosts.
pub fn is_other_host(url: &str) -> bool {
    let u = url.trim().to_lowercase();
    u.starts_with("http://") || u.starts_with("https://") || u.starts_with("//")
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

    /// `İ` is two bytes, its lowercase `i̇` three: offsets taken from a
    /// lowercased copy pointed past the tag, or inside a letter.
    #[test]
    fn raw_html_problems_are_placed_in_the_text_as_written() {
        let text = "İİİİ <IMG SRC=\"https://Cdn.Example/A.png\"> İ <img alt=x src=/a.png>";
        let found = problems(text);
        let at = |needle: &str| text.find(needle).unwrap();
        let offsets: Vec<usize> = found.iter().map(|(i, _)| *i).collect();
        assert_eq!(offsets, [at("SRC="), at("<IMG")], "{found:?}");
        for (i, _) in &found {
            assert!(text.is_char_boundary(*i), "{i} inside a character");
        }
        // The URL as the editor wrote it, not lowercased.
        let other = format!("{:?}", found[0].1);
        assert!(other.contains("https://Cdn.Example/A.png"), "{other}");
        assert_eq!(
            find_ignore_ascii_case("aSrC=src=", "src=").collect::<Vec<_>>(),
            [1, 5]
        );
        assert_eq!(find_ignore_ascii_case("ab", "abc").count(), 0);
    }

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
