//! Internal link check, as Zola does on every build: every `href` and
//! `src` that points into the site must name a file the build writes (or a
//! static file), and every `#anchor` an `id` on the target page. A broken
//! one is an error naming the content file the page comes from. Pure.

use std::collections::{BTreeMap, HashSet};

/// A broken link: the page it is on, and what it points to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    pub page: String,
    pub target: String,
    pub reason: &'static str,
}

/// The values of the `href`, `src` and `id` attributes of an HTML page, in
/// one pass over its bytes: each `="` found (memchr's vectorised search) is
/// checked for one of the three names before it. The pages are our own
/// templates' output, so attributes are always double-quoted and follow a
/// space; only the values are checked to be UTF-8, not the whole page.
fn attribute_values(html: &[u8]) -> (Vec<&str>, Vec<&str>) {
    let (mut links, mut ids) = (Vec::new(), Vec::new());
    for at in memchr::memmem::find_iter(html, b"=\"") {
        let before = &html[..at];
        let is_link = before.ends_with(b" href") || before.ends_with(b" src");
        if !is_link && !before.ends_with(b" id") {
            continue;
        }
        let rest = &html[at + 2..];
        let Some(value) =
            memchr::memchr(b'"', rest).and_then(|end| std::str::from_utf8(&rest[..end]).ok())
        else {
            continue;
        };
        if is_link {
            links.push(value);
        } else {
            ids.push(value);
        }
    }
    (links, ids)
}

/// Undoes the escapes templates put in attribute values.
fn unescape(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('&') {
        return s.into();
    }
    s.replace("&#x2f;", "/")
        .replace("&#x2F;", "/")
        .replace("&amp;", "&")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .into()
}

/// Decodes `%XX` escapes (links to files with spaces or Vietnamese names).
pub(super) fn percent_decode(s: &str) -> String {
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
    let absolute: std::borrow::Cow<str> = if path.is_empty() {
        format!("{base}{page}").into()
    } else if !origin.is_empty() && path.starts_with(origin) {
        path[origin.len()..].into()
    } else if path.starts_with("//") || path.contains(':') {
        return None;
    } else if path.starts_with('/') {
        path.into()
    } else {
        format!("{base}{page_dir}{path}").into()
    };
    let inside = absolute
        .strip_prefix(base)
        .or_else(|| (absolute.as_ref() == base.trim_end_matches('/')).then_some(""))?;
    let folder = inside.is_empty() || inside.ends_with('/');
    // Most links are plain site paths (`/nhiem-vu/x/`): nothing to
    // normalise or decode, only `index.html` to add.
    let plain = !inside.starts_with('/')
        && !inside.contains("//")
        && !inside.split('/').any(|seg| seg == "." || seg == "..")
        && !inside.contains('%');
    if plain {
        let file = if folder {
            format!("{inside}index.html")
        } else {
            inside.to_string()
        };
        return Some((file, fragment));
    }
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
    if folder {
        if !file.is_empty() {
            file.push('/');
        }
        file.push_str("index.html");
    }
    Some((percent_decode(&file), fragment))
}

/// What the link check needs of a page: its links (unescaped) and the ids
/// it has, not its HTML, so that a page can be written and dropped as soon
/// as it is rendered.
#[derive(Debug, Clone, Default)]
pub struct PageRefs {
    /// Each link once (a page repeats its menu's links), sorted.
    pub links: Vec<Box<str>>,
    /// Sorted, for binary search: a page's refs are kept for the whole
    /// build, tens of thousands of them at national scale.
    pub ids: Vec<Box<str>>,
}

impl PageRefs {
    pub fn has_id(&self, id: &str) -> bool {
        self.ids.binary_search_by(|x| (**x).cmp(id)).is_ok()
    }
}

/// The links and ids of an HTML page.
pub fn refs(html: &[u8]) -> PageRefs {
    let (mut links, mut ids) = attribute_values(html);
    // Each value once before it is copied: a page repeats its menu's links.
    links.sort_unstable();
    links.dedup();
    let mut links: Vec<Box<str>> = links.into_iter().map(|v| Box::from(unescape(v))).collect();
    links.sort_unstable();
    links.dedup();
    ids.sort_unstable();
    ids.dedup();
    PageRefs {
        links,
        ids: ids.into_iter().map(Box::from).collect(),
    }
}

/// Checks every link of the HTML files among `files` (by path relative to
/// the output folder) against those files and `extra` (static files).
/// The build checks the refs it kept ([`check_refs`]); the tests, whole sites.
#[cfg(test)]
pub fn check(
    files: &BTreeMap<String, Vec<u8>>,
    extra: &HashSet<String>,
    origin: &str,
    base: &str,
) -> Vec<BrokenLink> {
    let pages: BTreeMap<String, PageRefs> = files
        .iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (p.clone(), refs(b)))
        .collect();
    check_refs(
        &pages,
        &BTreeMap::new(),
        &|p| files.contains_key(p),
        extra,
        origin,
        base,
    )
}

/// The pages that the links of `refs` (on `page`) name with an anchor:
/// their ids are needed to check those links.
pub fn anchored_targets(refs: &PageRefs, page: &str, origin: &str, base: &str) -> Vec<String> {
    refs.links
        .iter()
        .filter_map(|link| resolve(link, page, origin, base))
        .filter(|(_, fragment)| fragment.as_ref().is_some_and(|f| !f.is_empty()))
        .map(|(target, _)| target)
        .collect()
}

/// Checks the links of `pages` (their refs, by path): each target must be
/// a file that `exists` or one of `extra`, and its `#anchor` an id of the
/// target page (in `pages`, or in `others`: pages whose links are not
/// checked, kept unchanged from the last build).
pub fn check_refs(
    pages: &BTreeMap<String, PageRefs>,
    others: &BTreeMap<String, PageRefs>,
    exists: &(dyn Fn(&str) -> bool + Sync),
    extra: &HashSet<String>,
    origin: &str,
    base: &str,
) -> Vec<BrokenLink> {
    use rayon::prelude::*;
    let list: Vec<(&String, &PageRefs)> = pages.iter().collect();
    list.par_iter()
        .with_max_len(256)
        .flat_map_iter(|(page, refs)| {
            let mut broken = Vec::new();
            for link in &refs.links {
                let Some((target, fragment)) = resolve(link, page, origin, base) else {
                    continue;
                };
                if !(exists(&target) || extra.contains(&target)) {
                    broken.push(BrokenLink {
                        page: page.to_string(),
                        target: link.to_string(),
                        reason: "no such page or file",
                    });
                    continue;
                }
                if let Some(f) = fragment.filter(|f| !f.is_empty())
                    && let Some(target_refs) = pages
                        .get(target.as_str())
                        .or_else(|| others.get(target.as_str()))
                    && !target_refs.has_id(percent_decode(&f).as_str())
                {
                    broken.push(BrokenLink {
                        page: page.to_string(),
                        target: link.to_string(),
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
            [("/a/#y", "no such anchor"), ("/b/", "no such page or file")]
        );
    }
}
