//! Snapshots of the default portal: one page of every page kind in both
//! languages (the dashboard, the deadline table and a status view, a task,
//! the agencies, an agency, a group, the KPIs, a KPI, the reports, a month,
//! the deadlines, the register of proposals and a proposal, the news, an article, a tag, the open data, search, the
//! archive and an archived month, a standing page, the 404 page), and the
//! files beside them (a chart, the data package, the feed, the sitemap).
//! A change to any of them fails here with the first differing line; run
//! with `UPDATE_SNAPSHOTS=1` to accept the new output, then review the diff
//! of `tests/snapshots/` before committing.

mod common;

use common::*;
use std::path::Path;

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
    let out = tempfile::tempdir().unwrap();
    let run = tiendo(
        &[
            "build",
            "--output",
            &out.path().join("site").to_string_lossy(),
        ],
        repo,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut failures = Vec::new();
    let paths = ["", "en/"]
        .iter()
        .flat_map(|lang| PAGES.iter().map(move |p| format!("{lang}{p}")))
        .chain(FILES.iter().map(|f| f.to_string()));
    {
        for path in paths {
            let got = std::fs::read_to_string(out.path().join("site").join(&path))
                .unwrap_or_else(|e| panic!("{path}: {e}"));
            let snap = repo.join("tests/snapshots").join(path.replace('/', "__"));
            if update {
                std::fs::write(&snap, &got).unwrap();
                continue;
            }
            let want = std::fs::read_to_string(&snap).unwrap_or_else(|e| {
                panic!("{}: {e} (UPDATE_SNAPSHOTS=1 writes it)", snap.display())
            });
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
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
