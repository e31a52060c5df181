//! Lists split into pages past the threshold (issue 14): a site with more
//! tasks than a page holds, built by the real binary. Following only the
//! pages' own links (no JavaScript), every row of each full list is
//! reachable, once, in the list's order; the split list's data file holds
//! the same rows; and the first page of each list stays at its address.
//! Likewise the agencies' scorecards, the KPI list and a month's bulletin
//! split into pages; the dashboard and a month's summaries show their first
//! rows with the count and links to the rest.

mod common;

use common::*;
use std::collections::BTreeSet;
use std::path::Path;
use tiendo::render::ROWS_PER_PAGE;

/// The site's base path (from the fixture's `base_url`).
const BASE: &str = "/cong/";

/// Tasks added to the minimal fixture: more than two pages of them, led
/// by `so-mot` (of group `to-mot`), half overdue on D (2025-04-25), a
/// tag on every third.
const ADDED: usize = ROWS_PER_PAGE * 2 + 37;

/// Agencies and KPIs added: more than one page of each.
const AGENCIES: usize = ROWS_PER_PAGE + 23;
const KPIS: usize = ROWS_PER_PAGE + 11;

fn site() -> (tempfile::TempDir, Vec<String>) {
    let mut plan =
        std::fs::read_to_string(fixture("minimal").join("content/plans/ke-hoach.yaml")).unwrap();
    let mut ids = Vec::new();
    for n in 0..ADDED {
        let id = format!("viec-so-{n:03}");
        // Overdue ones in March and early April, the rest in June and July.
        let deadline = if n % 2 == 0 {
            format!("2025-{:02}-{:02}", 3 + n % 4 / 2, 1 + n % 28)
        } else {
            format!("2025-{:02}-{:02}", 6 + n % 4 / 2, 1 + n % 28)
        };
        let tags = if n % 3 == 0 {
            "\n    tags: [Chuyển đổi số]"
        } else {
            ""
        };
        plan.push_str(&format!(
            "  - id: {id}\n    title: Việc số {n}\n    lead: so-mot\n    deadline: {deadline}\n    result: Xong\n    responsible: Giám đốc{tags}\n"
        ));
        ids.push(id);
    }
    let article =
        "---\ntitle: Tin chuyển đổi số\ndate: 2025-04-01\ntags: [Chuyển đổi số]\n---\nNội dung.\n";
    let mut agencies =
        std::fs::read_to_string(fixture("minimal").join("content/agencies.yaml")).unwrap();
    for n in 0..AGENCIES {
        agencies.push_str(&format!(
            "  - id: co-quan-{n:03}\n    name: Cơ quan {n}\n    kind: department\n"
        ));
    }
    let mut kpis = std::fs::read_to_string(fixture("minimal").join("content/kpis.yaml")).unwrap();
    for n in 0..KPIS {
        kpis.push_str(&format!(
            "  - id: ct-{n:03}\n    name: Chỉ tiêu {n}\n    unit: \"%\"\n    target: 90\n    baseline: {{ date: 2024-12-31, value: 50 }}\n    deadline: 2025-12-31\n    owner: so-hai\n"
        ));
    }
    // One report of April updates every added task: more than two pages.
    let mut report =
        std::fs::read_to_string(fixture("minimal").join("content/reports/2025-04/so-mot.yaml"))
            .unwrap();
    for id in &ids {
        report.push_str(&format!("  - task: {id}\n    state: in_progress\n"));
    }
    let dir = site_with(&[
        ("content/plans/ke-hoach.yaml", Some(plan.as_bytes())),
        ("content/news/chuyen-doi-so.md", Some(article.as_bytes())),
        ("content/agencies.yaml", Some(agencies.as_bytes())),
        ("content/kpis.yaml", Some(kpis.as_bytes())),
        (
            "content/reports/2025-04/so-mot.yaml",
            Some(report.as_bytes()),
        ),
    ]);
    (dir, ids)
}

/// The file of a page linked as `href` (an absolute path on the site).
fn file_of(out: &Path, href: &str) -> std::path::PathBuf {
    let rel = href
        .strip_prefix(BASE)
        .unwrap_or_else(|| panic!("{href} is not under {BASE}"));
    out.join(rel).join("index.html")
}

/// Each `attr="…"` value in `html`, in order.
fn values<'h>(html: &'h str, attr: &str) -> Vec<&'h str> {
    let key = format!("{attr}=\"");
    html.match_indices(&key)
        .filter_map(|(at, _)| {
            let rest = &html[at + key.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

/// The `rel="next"` link of a page, if any.
fn next_link(html: &str) -> Option<String> {
    let at = html.find("rel=\"next\"")?;
    let tag_start = html[..at].rfind("<a ")?;
    values(&html[tag_start..at], "href")
        .first()
        .map(|s| s.to_string())
}

/// Walks a list from its first page through its "next" links; returns
/// the task ids of its rows in order and how many pages it took.
fn walk(out: &Path, first: &str) -> (Vec<String>, usize) {
    let mut ids = Vec::new();
    let mut href = Some(first.to_string());
    let mut pages = 0;
    let mut seen = BTreeSet::new();
    while let Some(h) = href {
        assert!(seen.insert(h.clone()), "{h} links back to itself");
        let file = file_of(out, &h);
        let html = std::fs::read_to_string(&file)
            .unwrap_or_else(|e| panic!("{h} ({}): {e}", file.display()));
        let rows = values(&html, "data-id");
        assert!(rows.len() <= ROWS_PER_PAGE, "{h}: {} rows", rows.len());
        ids.extend(rows.into_iter().map(str::to_string));
        pages += 1;
        href = next_link(&html);
    }
    (ids, pages)
}

#[test]
fn every_row_is_reachable_through_the_pages_without_javascript() {
    let (dir, added) = site();
    let out = dir.path().join("out");
    let run = tiendo(&["build", "--output", out.to_str().unwrap()], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);

    // The full table: every task of the plan, the added ones among them.
    let csv = std::fs::read_to_string(out.join("du-lieu/nhiem-vu.csv")).unwrap();
    let all: BTreeSet<String> = csv
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next())
        .map(|s| s.trim_matches('"').to_string())
        .collect();
    assert!(added.iter().all(|id| all.contains(id)));
    assert!(all.len() > 2 * ROWS_PER_PAGE);

    for lang in ["", "en/"] {
        let (rows, pages) = walk(&out, &format!("{BASE}{lang}nhiem-vu/"));
        assert_eq!(pages, all.len().div_ceil(ROWS_PER_PAGE), "{lang}nhiem-vu/");
        let got: BTreeSet<String> = rows.iter().cloned().collect();
        assert_eq!(got.len(), rows.len(), "{lang}nhiem-vu/: a row twice");
        assert_eq!(got, all, "{lang}nhiem-vu/: rows missing");

        // The deadline calendar holds the same rows in the same order.
        let (calendar, _) = walk(&out, &format!("{BASE}{lang}han-chot/"));
        assert_eq!(calendar, rows, "{lang}han-chot/");

        // The split list's data: the same rows, in the same order.
        let json = std::fs::read_to_string(out.join(format!("{lang}nhiem-vu/dong.json"))).unwrap();
        let data: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
        let data_ids: Vec<&str> = data.iter().filter_map(|r| r["id"].as_str()).collect();
        assert_eq!(data_ids, rows, "{lang}nhiem-vu/dong.json");
    }

    // Scoped views list exactly their tasks, across their pages.
    let so_mot: BTreeSet<String> = added.iter().cloned().chain(["viec-mot".into()]).collect();
    let (rows, pages) = walk(&out, &format!("{BASE}co-quan/so-mot/nhiem-vu/"));
    assert!(pages >= 3);
    let got: BTreeSet<String> = rows.into_iter().collect();
    assert!(so_mot.is_subset(&got), "co-quan/so-mot/nhiem-vu/");
    let (group, _) = walk(&out, &format!("{BASE}to-cong-tac/to-mot/nhiem-vu/"));
    assert_eq!(group.iter().cloned().collect::<BTreeSet<_>>(), got);

    // The overdue view, the agency's and the group's: the same tasks, as
    // many as the scorecard counts, in the same order (most late first).
    let (overdue, pages) = walk(&out, &format!("{BASE}nhiem-vu/qua-han/"));
    assert!(pages >= 2 && overdue.len() > ROWS_PER_PAGE);
    let page = std::fs::read_to_string(out.join("nhiem-vu/qua-han/index.html")).unwrap();
    assert!(page.contains(&format!("Dòng 1–{ROWS_PER_PAGE} trong {}", overdue.len())));
    let (agency_overdue, _) = walk(&out, &format!("{BASE}co-quan/so-mot/qua-han/"));
    let (group_overdue, _) = walk(&out, &format!("{BASE}to-cong-tac/to-mot/qua-han/"));
    let mine = |list: &[String]| -> Vec<String> {
        list.iter()
            .filter(|id| got.contains(*id))
            .cloned()
            .collect()
    };
    assert_eq!(agency_overdue, mine(&overdue));
    assert_eq!(group_overdue, agency_overdue);

    // The agency's own page shows the first rows and links to them all.
    let agency = std::fs::read_to_string(out.join("co-quan/so-mot/index.html")).unwrap();
    assert!(values(&agency, "data-id").len() <= 2 * ROWS_PER_PAGE);
    assert!(agency.contains(&format!("href=\"{BASE}co-quan/so-mot/nhiem-vu/\"")));

    // The tag page splits its tasks too.
    let (tagged, pages) = walk(&out, &format!("{BASE}chu-de/chuyen-doi-so/"));
    assert_eq!(pages, ADDED.div_ceil(3).div_ceil(ROWS_PER_PAGE));
    assert_eq!(tagged.len(), ADDED.div_ceil(3));

    // Page numbers: the second page of the table knows where it is.
    let second = std::fs::read_to_string(out.join("nhiem-vu/trang/2/index.html")).unwrap();
    assert!(second.contains(&format!(
        "<a href=\"{BASE}nhiem-vu/trang/2/\" aria-current=\"page\">2</a>"
    )));
    assert!(second.contains(&format!("href=\"{BASE}nhiem-vu/\" rel=\"prev\"")));
}

/// The pager's part of a page (its numbered links), if it has one.
fn pager_of(html: &str) -> Option<&str> {
    let at = html.find("<nav class=\"pager pages\"")?;
    let end = html[at..].find("</nav>")?;
    Some(&html[at..at + end])
}

/// Walks a list from its first page through its pager's "next" links;
/// returns each page's HTML.
fn pages_of(out: &Path, first: &str) -> Vec<String> {
    let mut pages = Vec::new();
    let mut href = Some(first.to_string());
    let mut seen = BTreeSet::new();
    while let Some(h) = href {
        assert!(seen.insert(h.clone()), "{h} links back to itself");
        let file = file_of(out, &h);
        let html = std::fs::read_to_string(&file)
            .unwrap_or_else(|e| panic!("{h} ({}): {e}", file.display()));
        href = pager_of(&html).and_then(next_link);
        pages.push(html);
    }
    pages
}

#[test]
fn scorecards_kpis_and_month_bulletins_split_into_pages() {
    let (dir, added) = site();
    let out = dir.path().join("out");
    let run = tiendo(&["build", "--output", out.to_str().unwrap()], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);

    // The scorecards: every agency of today once, across the pages, the
    // first page at the list's address, numbered pages after it.
    let pages = pages_of(&out, &format!("{BASE}co-quan/"));
    assert_eq!(pages.len(), (AGENCIES + 2).div_ceil(ROWS_PER_PAGE));
    let mut agencies = Vec::new();
    for html in &pages {
        let rows = values(html, "data-id");
        assert!(rows.len() <= ROWS_PER_PAGE);
        agencies.extend(rows.into_iter().map(str::to_string));
    }
    let want: BTreeSet<String> = (0..AGENCIES)
        .map(|n| format!("co-quan-{n:03}"))
        .chain(["so-mot".into(), "so-hai".into()])
        .collect();
    assert_eq!(agencies.len(), want.len(), "an agency twice");
    assert_eq!(agencies.iter().cloned().collect::<BTreeSet<_>>(), want);
    assert!(pages[1].contains(&format!(
        "<a href=\"{BASE}co-quan/trang/2/\" aria-current=\"page\">2</a>"
    )));
    assert!(pages[0].contains("<nav class=\"pager pages\" aria-label=\"Chuyển trang\">"));
    assert!(pages[0].contains(&format!("href=\"{BASE}du-lieu/co-quan.csv\"")));

    // The KPI list: every KPI once.
    let pages = pages_of(&out, &format!("{BASE}chi-tieu/"));
    assert_eq!(pages.len(), (KPIS + 1).div_ceil(ROWS_PER_PAGE));
    let kpis: Vec<String> = pages
        .iter()
        .flat_map(|html| values(html, "data-id"))
        .map(str::to_string)
        .collect();
    let want: BTreeSet<String> = (0..KPIS)
        .map(|n| format!("ct-{n:03}"))
        .chain(["chi-tieu".into()])
        .collect();
    assert_eq!(kpis.len(), want.len(), "a KPI twice");
    assert_eq!(kpis.into_iter().collect::<BTreeSet<_>>(), want);

    // April's bulletin: every update received once, in the reports'
    // order, about a hundred a page; the long report goes on over pages.
    let pages = pages_of(&out, &format!("{BASE}bao-cao/2025-04/"));
    assert!(pages.len() >= 3, "{} pages", pages.len());
    let mut updates = Vec::new();
    for html in &pages {
        let mut here = Vec::new();
        for article in html.split("<article class=\"report\"").skip(1) {
            let article = &article[..article.find("</article>").unwrap()];
            for href in values(article, "href") {
                if let Some(id) = href
                    .strip_prefix(&format!("{BASE}nhiem-vu/"))
                    .and_then(|r| r.strip_suffix('/'))
                {
                    here.push(id.to_string());
                }
            }
        }
        assert!(
            here.len() <= ROWS_PER_PAGE,
            "{} updates on a page",
            here.len()
        );
        updates.extend(here);
    }
    let mut want: Vec<String> = vec!["viec-mot".into()];
    want.extend(added.iter().cloned());
    want.push("viec-thang".into());
    let mut got = updates.clone();
    got.sort();
    want.sort();
    assert_eq!(got, want, "bao-cao/2025-04/: updates missing or twice");
    let anchors = pages
        .iter()
        .map(|h| h.matches("id=\"bc-so-mot\"").count())
        .sum::<usize>();
    assert_eq!(anchors, 1);
    // Who reported: each report submitted links to the page and place
    // where it starts.
    let duties = pages[0]
        .split("class=\"duties\"")
        .nth(1)
        .map(|t| &t[..t.find("</table>").unwrap()])
        .unwrap();
    let starts: Vec<&str> = values(duties, "href")
        .into_iter()
        .filter(|h| h.contains("#bc-"))
        .collect();
    assert!(!starts.is_empty(), "no link to a report from who reported");
    for href in starts {
        let (page, anchor) = href.split_once('#').unwrap();
        let html = std::fs::read_to_string(file_of(&out, page)).unwrap();
        assert!(
            html.contains(&format!("id=\"{anchor}\"")),
            "{href}: no such place"
        );
    }
    assert!(pages[1].contains("(tiếp)"));
    // What changed and who reported: on the first page only.
    assert!(pages[0].contains("id=\"thay-doi\""));
    assert!(!pages[1].contains("id=\"thay-doi\""));
    assert!(pages[0].contains(&format!("href=\"{BASE}du-lieu/cap-nhat.csv\"")));

    // The dashboard: the most overdue tasks and the first KPIs, with the
    // counts and the links to the full lists.
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    let overdue = home
        .split("id=\"bang-qua-han\"")
        .nth(1)
        .map(|t| values(&t[..t.find("</table>").unwrap()], "data-id").len())
        .unwrap();
    assert!(
        overdue < ROWS_PER_PAGE,
        "{overdue} overdue rows on the dashboard"
    );
    assert!(home.contains(&format!("href=\"{BASE}nhiem-vu/qua-han/\"")));
    assert!(home.contains(&format!(
        "href=\"{BASE}chi-tieu/\">Xem đủ {} chỉ tiêu",
        KPIS + 1
    )));
}
