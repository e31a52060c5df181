//! Snapshots of the default portal: one page of every page kind in both
//! languages (the dashboard, the deadline table and a status view, a task,
//! the agencies, an agency, a group, the KPIs, a KPI, the reports, a month,
//! the deadlines, the register of proposals and a proposal, the news, an article, a tag, the open data, search, the
//! archive and an archived month, a standing page, the 404 page), and the
//! files beside them (a chart, the data package, the feed, the sitemap);
//! and, over the minimal fixture with a page's worth of tasks and more, a
//! list split into pages (its first and second page and its rows).
//! A change to any of them fails here with the first differing line; run
//! with `UPDATE_SNAPSHOTS=1` to accept the new output, then review the diff
//! of `tests/snapshots/` before committing.

mod common;

use common::*;
use std::path::Path;
use tiendo::render::ROWS_PER_PAGE;

const PAGES: &[&str] = &[
    "index.html",
    "nhiem-vu/index.html",
    "nhiem-vu/qua-han/index.html",
    "nhiem-vu/ioc-soc/index.html",
    "co-quan/index.html",
    "co-quan/so-khcn/index.html",
    "to-cong-tac/to-kinh-te/index.html",
    "chi-tieu/index.html",
    "chi-tieu/dvc-toan-trinh/index.html",
    "bao-cao/index.html",
    "bao-cao/2025-05/index.html",
    "han-chot/index.html",
    "kien-nghi/index.html",
    "kien-nghi/so-khcn/kinh-phi-van-hanh-ioc/index.html",
    "tin-tuc/index.html",
    "tin-tuc/binh-dan-hoc-vu-so/index.html",
    "chu-de/dich-vu-cong/index.html",
    "du-lieu/index.html",
    "tim-kiem/index.html",
    "luu-tru/index.html",
    "luu-tru/2025-05/index.html",
    "gioi-thieu/index.html",
    "404.html",
];

/// Files made beside the pages, once for the site.
const FILES: &[&str] = &[
    "sitemap.xml",
    "atom.xml",
    "bieu-do/tinh-trang.svg",
    "du-lieu/datapackage.json",
    "du-lieu/kien-nghi.csv",
    "du-lieu/luu-tru/2025-05/nhiem-vu.csv",
];

#[test]
fn key_pages_match_their_snapshots() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = build(repo);
    let paths: Vec<String> = ["", "en/"]
        .iter()
        .flat_map(|lang| PAGES.iter().map(move |p| format!("{lang}{p}")))
        .chain(FILES.iter().map(|f| f.to_string()))
        .collect();
    compare(&out.path().join("site"), &paths, "");
}

/// Tasks added to the minimal fixture so that the task list splits: a
/// page's worth and three more, on the second page.
const SPLIT_TASKS: usize = ROWS_PER_PAGE + 3;

/// The pages and file of a list split into pages (the default portal has
/// none): the task list's first page (its pager), its second page and the
/// rows of the whole list as data, stored as `split__…`.
const SPLIT: &[&str] = &[
    "nhiem-vu/index.html",
    "nhiem-vu/trang/2/index.html",
    "en/nhiem-vu/trang/2/index.html",
    "nhiem-vu/dong.json",
];

#[test]
fn a_split_list_matches_its_snapshots() {
    let mut plan =
        std::fs::read_to_string(fixture("minimal").join("content/plans/ke-hoach.yaml")).unwrap();
    for n in 0..SPLIT_TASKS {
        plan.push_str(&format!(
            "  - id: viec-so-{n:03}\n    title: Việc số {n}\n    lead: so-mot\n    deadline: 2025-{:02}-{:02}\n    result: Xong\n    responsible: Giám đốc\n",
            3 + n % 4,
            1 + n % 28
        ));
    }
    let dir = site_with(&[("content/plans/ke-hoach.yaml", Some(plan.as_bytes()))]);
    let out = build(dir.path());
    let paths: Vec<String> = SPLIT.iter().map(|p| p.to_string()).collect();
    compare(&out.path().join("site"), &paths, "split__");
}

/// Builds the site at `root` into a scratch folder's `site/`.
fn build(root: &Path) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let run = tiendo(
        &[
            "build",
            "--output",
            &out.path().join("site").to_string_lossy(),
        ],
        root,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    out
}

/// Each file at `paths` under `site` against its snapshot,
/// `tests/snapshots/<prefix><path with / as __>`; with `UPDATE_SNAPSHOTS`
/// set, writes the snapshots instead.
fn compare(site: &Path, paths: &[String], prefix: &str) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut failures = Vec::new();
    for path in paths {
        let got =
            std::fs::read_to_string(site.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        let snap = repo
            .join("tests/snapshots")
            .join(format!("{prefix}{}", path.replace('/', "__")));
        if update {
            std::fs::write(&snap, &got).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&snap)
            .unwrap_or_else(|e| panic!("{}: {e} (UPDATE_SNAPSHOTS=1 writes it)", snap.display()));
        if got != want {
            let line = got
                .lines()
                .zip(want.lines())
                .position(|(a, b)| a != b)
                .map_or(got.lines().count().min(want.lines().count()), |i| i);
            failures.push(format!(
                "{path}: differs from its snapshot at line {}\n  got:  {}\n  want: {}",
                line + 1,
                got.lines().nth(line).unwrap_or("<end>"),
                want.lines().nth(line).unwrap_or("<end>")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
