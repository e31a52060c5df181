//! What tiendo writes cannot be turned against a reader (issue 29): text
//! that an editor typed, however hostile, stays text in every calendar,
//! feed and chart. The writers are called with the minimal fixture's model
//! whose texts are replaced in memory, so the test holds whatever the
//! loader accepts (the loader refuses control characters on its own).

mod common;

use common::*;
use tiendo::publish::feeds;

fn model() -> tiendo::model::Model {
    let mut diags = tiendo::diag::Diagnostics::new();
    let raw = tiendo::load::load(&fixture("minimal"), &mut diags).unwrap();
    tiendo::model::build(raw, &mut diags)
}

fn as_of() -> tiendo::date::Date {
    tiendo::date::parse_date("2025-03-20").unwrap()
}

/// The properties our calendars write; anything else is an injection.
const PROPERTIES: &[&str] = &[
    "BEGIN",
    "END",
    "VERSION",
    "PRODID",
    "CALSCALE",
    "NAME",
    "X-WR-CALNAME",
    "UID",
    "DTSTAMP",
    "DTSTART",
    "DTEND",
    "SUMMARY",
    "DESCRIPTION",
    "URL",
];

/// RFC 5545 3.3.11, the inverse of the writer's escaping.
fn unescape(v: &str) -> String {
    let mut out = String::new();
    let mut chars = v.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(c) => out.push(c),
                None => panic!("trailing backslash in {v:?}"),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A strict reading of an iCalendar file: CRLF line ends only, every
/// physical line at most 75 octets, folds only as CRLF and one space, every
/// logical line a known property with a name, optional parameters and a
/// value with no control character; returns (name, value) pairs.
fn strict_ics(ics: &str) -> Vec<(String, String)> {
    assert!(ics.ends_with("\r\n"), "ends with CRLF");
    let body = &ics[..ics.len() - 2];
    let mut logical: Vec<String> = Vec::new();
    for line in body.split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
        assert!(
            !line.contains('\r') && !line.contains('\n'),
            "a bare line break: {line:?}"
        );
        match line.strip_prefix(' ') {
            Some(more) => logical.last_mut().expect("a fold first").push_str(more),
            None => logical.push(line.to_string()),
        }
    }
    logical
        .iter()
        .map(|l| {
            let (head, value) = l
                .split_once(':')
                .unwrap_or_else(|| panic!("no colon: {l:?}"));
            let name = head.split(';').next().unwrap();
            assert!(
                PROPERTIES.contains(&name),
                "unexpected property {name}: {l:?}"
            );
            assert!(
                !value.chars().any(|c| c.is_control() && c != '\t'),
                "a control character in {l:?}"
            );
            (name.to_string(), value.to_string())
        })
        .collect()
}

const HOSTILE: &str = "Việc ba\r\nX-INJECT:1\nEND:VEVENT\u{7}; rồi, dấu \\ và một tiêu đề rất dài để phải gấp dòng ở nhiều chỗ";

#[test]
fn a_line_break_in_a_title_adds_no_calendar_property_and_lines_fold_at_75_octets() {
    let mut m = model();
    let i = m.tasks.iter().position(|t| t.id == "viec-ba").unwrap();
    m.tasks[i].title = HOSTILE.to_string();
    let fig = tiendo::status::compute(&m, as_of());
    let all: Vec<usize> = (0..m.tasks.len()).collect();
    let name = format!("Cổng thử nghiệm · {HOSTILE}");
    let site = feeds::calendar(&m, &fig, &all, &name, "https://a.vn", "/");
    let task = feeds::task_calendar(
        &m,
        &fig,
        i,
        &name,
        ("Hạn chót", "Gia hạn"),
        "https://a.vn",
        "/",
    );
    // What the title reads once a calendar has unescaped it: the text, the
    // bell dropped, the CRLF one line break.
    let shown = HOSTILE.replace("\r\n", "\n").replace('\u{7}', "");
    for ics in [&site, &task] {
        let props = strict_ics(ics);
        assert_eq!(
            props.iter().filter(|(n, _)| n == "BEGIN").count(),
            props.iter().filter(|(n, _)| n == "END").count()
        );
        assert_eq!(
            props
                .iter()
                .filter(|(n, v)| n == "END" && v == "VEVENT")
                .count(),
            props
                .iter()
                .filter(|(n, v)| n == "BEGIN" && v == "VEVENT")
                .count(),
            "no event closed early"
        );
        for key in ["NAME", "X-WR-CALNAME"] {
            let (_, v) = props.iter().find(|(n, _)| n == key).unwrap();
            assert_eq!(unescape(v), format!("Cổng thử nghiệm · {shown}"), "{key}");
        }
        let summary = props
            .iter()
            .find(|(n, v)| n == "SUMMARY" && unescape(v).contains("Việc ba"))
            .map(|(_, v)| unescape(v))
            .unwrap_or_else(|| panic!("no summary of the task in\n{ics}"));
        assert!(summary.ends_with(&shown), "{summary:?}");
    }
}

#[test]
fn a_long_vietnamese_line_folds_between_characters() {
    let mut m = model();
    let i = m.tasks.iter().position(|t| t.id == "viec-ba").unwrap();
    // Three-octet letters in a row: a fold by octet count lands inside one
    // unless it steps back.
    m.tasks[i].title = "ỗ".repeat(200);
    let fig = tiendo::status::compute(&m, as_of());
    let ics = feeds::task_calendar(&m, &fig, i, "x", ("a", "b"), "https://a.vn", "/");
    let props = strict_ics(&ics);
    assert!(
        props
            .iter()
            .any(|(n, v)| n == "SUMMARY" && v.ends_with(&"ỗ".repeat(200))),
        "{ics}"
    );
}

#[test]
fn a_control_character_leaves_feeds_well_formed() {
    let entry = feeds::Entry {
        id: "tag:a.vn,2025-01-01:x".into(),
        title: "Chuông\u{7} thoát\u{1b}[31m rỗng\u{0} <b>&".into(),
        url: "https://a.vn/x/".into(),
        updated: "2025-03-01T00:00:00Z".into(),
        summary: "Ghi chú\u{b}\u{c}".into(),
    };
    let feed = feeds::Feed {
        id: "tag:a.vn,2025-01-01:x".into(),
        title: "Cổng\u{7}".into(),
        url: "https://a.vn/".into(),
        self_url: "https://a.vn/atom.xml".into(),
        updated: "2025-03-01T00:00:00Z".into(),
        author: "Ủy ban\u{1b}".into(),
        lang: "vi",
        entries: vec![entry],
    };
    let direct = String::from_utf8(feed.to_xml()).unwrap();
    // A theme's own feed.xml gets the same text through Tera.
    let source = tiendo::theme::TEMPLATES
        .iter()
        .find(|(n, _)| *n == "feed.xml")
        .unwrap()
        .1;
    let mut tera = tera::Tera::new();
    tera.add_raw_template("feed.xml", source).unwrap();
    let mut ctx = tera::Context::new();
    ctx.insert("feed", &feed);
    let templated = tera.render("feed.xml", &ctx).unwrap();
    for xml in [&direct, &templated] {
        let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
        let title = doc
            .descendants()
            .find(|n| n.has_tag_name("entry"))
            .and_then(|e| e.children().find(|n| n.has_tag_name("title")))
            .and_then(|n| n.text())
            .unwrap();
        assert_eq!(title, "Chuông thoát[31m rỗng <b>&");
    }
}

#[test]
fn a_control_character_leaves_the_sitemap_well_formed() {
    let urls = ["https://a.vn/nhiem-vu/a\u{7}b/"];
    let xml = feeds::sitemap(
        urls.into_iter(),
        tiendo::date::parse_date("2025-03-01").unwrap(),
    );
    roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
}

/// A raw HTML tag after a letter whose lowercase is longer (`İ`, two bytes,
/// lowercases to three): the problem is at the tag's own column, and the
/// check does not stop on a slice inside a letter (issue 27, item 7).
#[test]
fn raw_html_after_a_dotted_capital_i_is_reported_at_its_column() {
    let md = "---\ntitle: Tin\ndate: 2025-03-10\n---\nİİİİİİ <img src=\"/a.png\"> và <IMG alt=x SRC=\"https://Cdn.Example/b.png\">\n";
    let run = check_vi(&[("content/news/tin-mot.md", Some(md))]);
    assert_error(
        &run,
        "content/news/tin-mot.md:5:8: lỗi: thẻ <img> không có `alt`; hãy thêm alt=\"nội dung ảnh\"",
    );
    assert!(
        run.stderr
            .contains("content/news/tin-mot.md:5:41: lỗi: `https://Cdn.Example/b.png`"),
        "{}",
        run.stderr
    );
}

/// The same broken link written in two articles and a page: each file is
/// told at its own line, naming its own page, not all three at the first
/// article that happens to hold the same text (issue 29, item 12). A link
/// Markdown percent-escapes (`tết`) is still found where it was written.
#[test]
fn a_broken_link_is_reported_in_each_file_that_wrote_it() {
    let hai =
        "---\ntitle: Tin hai\ndate: 2025-03-11\n---\nNội dung, xem [hồ sơ](/cong/ho-so/) ở đây.\n";
    let ba = "---\ntitle: Tin ba\ndate: 2025-03-12\n---\nMột dòng.\n\nXem [hồ sơ](/cong/ho-so/) và [ảnh](/cong/anh/tết.png) nữa.\n";
    let page = "---\ntitle: Giới thiệu\nmenu: 1\n---\nXem [hồ sơ](/cong/ho-so/).\n";
    let run = check_vi(&[
        ("content/news/tin-hai.md", Some(hai)),
        ("content/news/tin-ba.md", Some(ba)),
        ("content/pages/gioi-thieu.md", Some(page)),
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for (at, page) in [
        ("content/news/tin-hai.md:5:23", "/cong/tin-tuc/tin-hai/"),
        ("content/news/tin-ba.md:7:13", "/cong/tin-tuc/tin-ba/"),
        ("content/pages/gioi-thieu.md:5:13", "/cong/gioi-thieu/"),
    ] {
        let line = format!("{at}: lỗi: liên kết hỏng `/cong/ho-so/` trên {page}");
        assert!(
            run.stderr.lines().any(|l| l.starts_with(&line)),
            "{line}\n{}",
            run.stderr
        );
    }
    assert!(
        run.stderr.contains(
            "content/news/tin-ba.md:7:36: lỗi: liên kết hỏng `/cong/anh/t%E1%BA%BFt.png`"
        ),
        "{}",
        run.stderr
    );
}
