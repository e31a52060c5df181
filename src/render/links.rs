//! Internal link check, as Zola does on every build: every `href` and
//! `src` that points into the site must name a file the build writes (or a
//! static file), and every `#anchor` an `id` on the target page. A broken
//! one is an error naming the content file the page comes from. Pure.

use std::collections::{BTreeMap, HashMap, HashSet};

/// A broken link: the page it is on, and what it points to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    pub page: String,
    pub target: String,
    pub reason: &'static str,
}

/// Values of one attribute (`href="..."`) in an HTML text. The pages are
/// our own templates' output, so attributes are always double-quoted.
fn attribute_values<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let pattern = format!(" {name}=\"");
    html.match_indices(&pattern)
        .filter_map(|(i, _)| {
            let rest = &html[i + pattern.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

fn unescape(s: &str) -> String {
    s.replace("&#x2f;", "/")
        .replace("&#x2F;", "/")
        .replace("&amp;", "&")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
}

/// Decodes `%XX` escapes (links to files with spaces or Vietnamese names).
fn percent_decode(s: &str) -> String {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The site path a link points to, relative to the output root, or `None`
/// for links that leave the site (other hosts, mailto:, tel:).
fn resolve(link: &str, page: &str, origin: &str, base: &str) -> Option<(String, Option<String>)> {
    let link = link.trim();
    let (path, fragment) = match link.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (link, None),
    };
    let path = path.split('?').next().unwrap_or("");
    let page_dir = match page.rfind('/') {
        Some(i) => &page[..=i],
        None => "",
    };
    let absolute = if path.is_empty() {
        format!("{base}{page}")
    } else if !origin.is_empty() && path.starts_with(origin) {
        path[origin.len()..].to_string()
    } else if path.starts_with("//") || path.contains(':') {
        return None;
    } else if path.starts_with('/') {
        path.to_string()
    } else {
        format!("{base}{page_dir}{path}")
    };
    let inside = absolute
        .strip_prefix(base)
        .or_else(|| (absolute.as_str() == base.trim_end_matches('/')).then_some(""))?;
    // Normalise `.` and `..` segments.
    let mut parts: Vec<&str> = Vec::new();
    for seg in inside.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut file = parts.join("/");
    if inside.is_empty() || inside.ends_with('/') {
        if !file.is_empty() {
            file.push('/');
        }
        file.push_str("index.html");
    }
    Some((percent_decode(&file), fragment))
}

/// Checks every internal link of every HTML page in `files`; `extra` are
/// files served besides them (static files).
pub fn check(
    files: &BTreeMap<String, Vec<u8>>,
    extra: &HashSet<String>,
    origin: &str,
    base: &str,
) -> Vec<BrokenLink> {
    use rayon::prelude::*;
    let pages: Vec<(&str, &str)> = files
        .iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .filter_map(|(p, b)| std::str::from_utf8(b).ok().map(|s| (p.as_str(), s)))
        .collect();
    let ids: HashMap<&str, HashSet<&str>> = pages
        .par_iter()
        .map(|(p, html)| (*p, attribute_values(html, "id").into_iter().collect()))
        .collect();
    pages
        .par_iter()
        .flat_map_iter(|(page, html)| {
            let mut broken = Vec::new();
            let mut links: Vec<&str> = attribute_values(html, "href");
            links.extend(attribute_values(html, "src"));
            for raw in links {
                let link = unescape(raw);
                let Some((target, fragment)) = resolve(&link, page, origin, base) else {
                    continue;
                };
                if !(files.contains_key(&target) || extra.contains(&target)) {
                    broken.push(BrokenLink {
                        page: page.to_string(),
                        target: link,
                        reason: "no such page or file",
                    });
                    continue;
                }
                if let Some(f) = fragment.filter(|f| !f.is_empty())
                    && let Some(target_ids) = ids.get(target.as_str())
                    && !target_ids.contains(percent_decode(&f).as_str())
                {
                    broken.push(BrokenLink {
                        page: page.to_string(),
                        target: link,
                        reason: "no such anchor",
                    });
                }
            }
            broken
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(pages: &[(&str, &str)]) -> BTreeMap<String, Vec<u8>> {
        pages
            .iter()
            .map(|(p, h)| (p.to_string(), h.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn resolves_every_form_of_link() {
        let r = |l: &str| resolve(l, "tin-tuc/a/index.html", "https://x.vn", "/cong/");
        assert_eq!(
            r("/cong/nhiem-vu/"),
            Some(("nhiem-vu/index.html".into(), None))
        );
        assert_eq!(
            r("https://x.vn/cong/nhiem-vu/ioc/#cap-nhat"),
            Some(("nhiem-vu/ioc/index.html".into(), Some("cap-nhat".into())))
        );
        assert_eq!(r("../b/"), Some(("tin-tuc/b/index.html".into(), None)));
        assert_eq!(
            r("#muc"),
            Some(("tin-tuc/a/index.html".into(), Some("muc".into())))
        );
        assert_eq!(r("/cong/"), Some(("index.html".into(), None)));
        assert_eq!(
            r("/cong/assets/style.css"),
            Some(("assets/style.css".into(), None))
        );
        assert_eq!(
            r("/cong/anh/t%E1%BA%BFt.png"),
            Some(("anh/tết.png".into(), None))
        );
        assert_eq!(r("https://other.vn/"), None);
        assert_eq!(r("mailto:a@b.vn"), None);
        assert_eq!(r("/elsewhere/"), None, "outside the site's base path");
    }

    #[test]
    fn finds_missing_pages_and_anchors() {
        let files = site(&[
            (
                "index.html",
                r##"<a href="/a/">a</a> <a href="/b/">b</a> <a href="/a/#x">x</a> <a href="/a/#y">y</a> <img src="/anh/c.png">"##,
            ),
            ("a/index.html", r#"<h2 id="x">X</h2>"#),
        ]);
        let extra: HashSet<String> = ["anh/c.png".to_string()].into();
        let broken = check(&files, &extra, "", "/");
        let got: Vec<(&str, &str)> = broken
            .iter()
            .map(|b| (b.target.as_str(), b.reason))
            .collect();
        assert_eq!(
            got,
            [("/b/", "no such page or file"), ("/a/#y", "no such anchor")]
        );
    }
}
