//! The portal's memory (issue 16): the monthly archive equals a build as of
//! each month's last day; freshness follows the reports; old addresses keep
//! working (`formerly`, merged agencies) and `build --previous` guards
//! them; per-task feeds and calendars; the data download is byte-identical.

mod common;

use common::*;
use std::path::Path;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn build(root: &Path, out: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["build", "--output"];
    let out = out.to_str().unwrap();
    args.push(out);
    args.extend_from_slice(extra);
    tiendo(&args, root)
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The task table's rows by id: (column name -> value) for one column.
fn column(csv: &str, id: &str, name: &str) -> String {
    let mut lines = csv.trim_start_matches('\u{feff}').lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let at = header.iter().position(|h| *h == name).unwrap();
    let row = lines
        .find(|l| l.starts_with(&format!("{id},")))
        .unwrap_or_else(|| panic!("no row {id}"));
    // The columns read here come before any quoted text with commas.
    row.split(',').nth(at).unwrap().to_string()
}

#[test]
fn archived_month_equals_a_build_as_of_its_last_day() {
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join("live");
    let run = build(repo(), &live, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let index = read(&live.join("luu-tru/index.html"));
    let months = ["2025-02", "2025-03", "2025-04", "2025-05"];
    for m in months {
        assert!(index.contains(&format!("luu-tru/{m}/")), "{m} listed");
    }
    assert!(
        !index.contains("luu-tru/2025-06/"),
        "the as-of month is live, not archived"
    );
    assert!(
        !index.contains("luu-tru/2025-01/"),
        "nothing before the plan"
    );
    for (m, last) in [("2025-03", "2025-03-31"), ("2025-05", "2025-05-31")] {
        let then = dir.path().join(m);
        let run = build(repo(), &then, &["--as-of", last]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let archived =
            std::fs::read(live.join(format!("du-lieu/luu-tru/{m}/nhiem-vu.csv"))).unwrap();
        let table = std::fs::read(then.join("du-lieu/nhiem-vu.csv")).unwrap();
        assert!(
            archived == table,
            "archived {m} differs from a build as of {last}"
        );
        let json = read(&live.join(format!("du-lieu/luu-tru/{m}/nhiem-vu.json")));
        assert!(
            json.contains(&format!("\"as_of\": \"{last}\"")),
            "{json:.200}"
        );
        let page = read(&live.join(format!("luu-tru/{m}/index.html")));
        let day = format!("{}/{}/{}", &last[8..10], &last[5..7], &last[0..4]);
        assert!(
            page.contains(&format!("Lưu trữ — số liệu tính đến ngày {day}")),
            "{m}: label"
        );
        // The header's as-of line is the month's last day, not the live date.
        assert!(
            page.contains(&format!(
                "Số liệu tính đến ngày <time datetime=\"{last}\">{day}</time>"
            )),
            "{m}: header date"
        );
        let en = read(&live.join(format!("en/luu-tru/{m}/index.html")));
        assert!(
            en.contains(&format!("Archive — figures as of {day}")),
            "{m}: English label"
        );
    }
    // No task table page per month: the archive is pages of figures.
    assert!(!live.join("luu-tru/2025-03/nhiem-vu").exists());
}

#[test]
fn a_large_site_archives_each_month_as_one_zipped_csv() {
    // Past ARCHIVE_ZIP_FROM_TASKS tasks, an archived month's table is one
    // zipped CSV: once unzipped, the very bytes of a build as of the
    // month's last day; the pages link to it, and no plain file is left.
    let added = tiendo::render::ARCHIVE_ZIP_FROM_TASKS;
    let mut plan =
        std::fs::read_to_string(fixture("minimal").join("content/plans/ke-hoach.yaml")).unwrap();
    for n in 0..added {
        plan.push_str(&format!(
            "  - id: them-{n:04}\n    title: Việc thêm {n}\n    lead: so-mot\n    deadline: 2025-0{}-15\n    result: Xong\n    responsible: Giám đốc\n",
            3 + n % 5
        ));
    }
    let site = site_with(&[("content/plans/ke-hoach.yaml", Some(plan.as_bytes()))]);
    let live = site.path().join("live");
    let run = build(site.path(), &live, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let month = live.join("du-lieu/luu-tru/2025-03");
    assert!(!month.join("nhiem-vu.csv").exists());
    assert!(!month.join("nhiem-vu.json").exists());
    let zipped = std::fs::File::open(month.join("nhiem-vu.zip")).unwrap();
    let mut archive = zip::ZipArchive::new(zipped).unwrap();
    assert_eq!(archive.len(), 1);
    let mut archived = Vec::new();
    std::io::Read::read_to_end(&mut archive.by_name("nhiem-vu.csv").unwrap(), &mut archived)
        .unwrap();
    let then = site.path().join("then");
    let run = build(site.path(), &then, &["--as-of", "2025-03-31"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let table = std::fs::read(then.join("du-lieu/nhiem-vu.csv")).unwrap();
    assert!(
        archived == table,
        "the zipped CSV differs from a build as of 2025-03-31"
    );
    let page = read(&live.join("luu-tru/2025-03/index.html"));
    assert!(
        page.contains("du-lieu/luu-tru/2025-03/nhiem-vu.zip"),
        "the month page links to it"
    );
    assert!(page.contains("CSV (nén ZIP)"));
    assert!(!page.contains("nhiem-vu.json"));
    let paths = read(&live.join("du-lieu/duong-dan.txt"));
    assert!(paths.contains("/du-lieu/luu-tru/2025-03/nhiem-vu.zip\n"));
}

#[test]
fn freshness_follows_late_and_missing_reports() {
    // As of 19/04/2025: so-mot has reported April (18/04), so-hai not yet
    // (its April report is dated 22/04): next report due 20/04 for so-hai's
    // tasks, 20/05 for so-mot's; nothing stale before the report day.
    let site = site_with(&[]);
    let out = site.path().join("out");
    let run = build(site.path(), &out, &["--as-of", "2025-04-19"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let csv = read(&out.join("du-lieu/nhiem-vu.csv"));
    assert_eq!(column(&csv, "viec-thang", "next_report_due"), "2025-04-20");
    assert_eq!(column(&csv, "viec-thang", "last_update"), "2025-03-20");
    assert_eq!(column(&csv, "viec-hai", "next_report_due"), "2025-05-20");
    assert_eq!(column(&csv, "viec-hai", "last_update"), "2025-03-19");
    assert_eq!(column(&csv, "viec-ba", "last_update"), "");
    assert_eq!(column(&csv, "viec-thang", "stale"), "false");
    // A done task owes no further report on itself.
    assert_eq!(column(&csv, "viec-mot", "next_report_due"), "");

    // so-hai's April report missing: its open tasks are stale on 25/04.
    let site = site_with(&[("content/reports/2025-04/so-hai.yaml", None)]);
    let out = site.path().join("out");
    let run = build(site.path(), &out, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let csv = read(&out.join("du-lieu/nhiem-vu.csv"));
    assert_eq!(column(&csv, "viec-thang", "stale"), "true");
    assert_eq!(column(&csv, "viec-ba", "stale"), "true");
    assert_eq!(
        column(&csv, "viec-hai", "stale"),
        "false",
        "so-mot reported"
    );
    assert_eq!(column(&csv, "viec-thang", "last_update"), "2025-03-20");
    let page = read(&out.join("nhiem-vu/viec-thang/index.html"));
    assert!(page.contains("Chưa cập nhật"), "the task page flags it");
    assert!(page.contains("20/05/2025"), "next report due on the page");
    let home = read(&out.join("index.html"));
    assert!(
        home.contains("<strong>2</strong> nhiệm vụ chưa xong chưa được cập nhật"),
        "dashboard count"
    );
}

#[test]
fn responsible_follows_the_merger_or_the_editor_is_warned() {
    let site = site_with(&[]);
    let out = site.path().join("out");
    let run = build(site.path(), &out, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = read(&out.join("nhiem-vu/viec-hai/index.html"));
    assert!(
        page.contains("<span>Giám đốc Sở Một</span> (tiếp nhận từ Sở Cũ, 01/03/2025)"),
        "{}",
        &page[page.find("Rõ trách nhiệm").unwrap_or(0)..][..300]
    );
    let csv = read(&out.join("du-lieu/nhiem-vu.csv"));
    assert_eq!(column(&csv, "viec-hai", "responsible"), "Giám đốc Sở Một");
    assert_eq!(
        column(&csv, "viec-hai", "original_responsible"),
        "Giám đốc Sở Cũ"
    );

    let plan = read(&fixture("minimal").join("content/plans/ke-hoach.yaml")).replace(
        "responsible: Giám đốc Sở Cũ",
        "responsible: Ông Nguyễn Văn A",
    );
    let site = site_with(&[("content/plans/ke-hoach.yaml", Some(plan.as_bytes()))]);
    let run = tiendo(&["check", "--lang", "en"], site.path());
    assert!(
        run.stderr
            .contains("the lead of task `viec-hai` passed from `so-cu` to `so-mot`"),
        "{}",
        run.stderr
    );
}

#[test]
fn old_addresses_keep_working() {
    let plan = format!(
        "{}    formerly: [viec-ba-cu]\n",
        read(&fixture("minimal").join("content/plans/ke-hoach.yaml"))
    );
    let site = site_with(&[("content/plans/ke-hoach.yaml", Some(plan.as_bytes()))]);
    let out = site.path().join("out");
    let run = build(site.path(), &out, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for (lang, home) in [("", "/cong/"), ("en/", "/cong/en/")] {
        let page = read(&out.join(format!("{lang}nhiem-vu/viec-ba-cu/index.html")));
        assert!(
            page.contains("<link rel=\"canonical\" href=\"https://example.org/cong/")
                && page.contains(&format!("{home}nhiem-vu/viec-ba/\"")),
            "{lang}: {page}"
        );
        let feed = read(&out.join(format!("{lang}nhiem-vu/viec-ba-cu/thay-doi.xml")));
        assert!(
            feed.contains(&format!("https://example.org{home}nhiem-vu/viec-ba/")),
            "{feed}"
        );
    }
    let cal = read(&out.join("nhiem-vu/viec-ba-cu/han-chot.ics"));
    assert_eq!(cal, read(&out.join("nhiem-vu/viec-ba/han-chot.ics")));
    // A merged agency keeps its page, saying what happened and where to.
    let old = read(&out.join("co-quan/so-cu/index.html"));
    assert!(
        old.contains("01/03/2025") && old.contains("co-quan/so-mot/"),
        "{old}"
    );
    // An old id may not be another task's id.
    let clash = format!(
        "{}    formerly: [viec-mot]\n",
        read(&fixture("minimal").join("content/plans/ke-hoach.yaml"))
    );
    let run = check_with("content/plans/ke-hoach.yaml", &clash);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("old id `viec-mot` is taken"),
        "{}",
        run.stderr
    );
}

#[test]
fn previous_release_paths_must_stay_published() {
    let site = site_with(&[]);
    let first = site.path().join("first");
    assert_eq!(build(site.path(), &first, &[]).code, 0);
    let list = first.join("du-lieu/duong-dan.txt");
    let paths = read(&list);
    let lines: Vec<&str> = paths.lines().collect();
    let mut sorted = lines.clone();
    sorted.sort();
    assert_eq!(lines, sorted, "sorted");
    for p in [
        "/",
        "/nhiem-vu/viec-mot/",
        "/du-lieu/duong-dan.txt",
        "/en/tin-tuc/tin-mot/",
    ] {
        assert!(lines.contains(&p), "{p} listed");
    }
    let previous = list.to_str().unwrap();

    // Deleting the article breaks its addresses: exit 1, each one named.
    std::fs::remove_file(site.path().join("content/news/tin-mot.md")).unwrap();
    let run = build(
        site.path(),
        &site.path().join("second"),
        &["--previous", previous, "--lang", "en"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("path `/tin-tuc/tin-mot/` of the previous release is no longer published"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("path `/en/tin-tuc/tin-mot/`"),
        "{}",
        run.stderr
    );
    assert!(!site.path().join("second").exists(), "nothing written");

    // Renaming a task with `formerly` keeps every old address.
    let site = site_with(&[]);
    let first = site.path().join("first");
    assert_eq!(build(site.path(), &first, &[]).code, 0);
    let plan = read(&site.path().join("content/plans/ke-hoach.yaml"))
        .replace("id: viec-ba\n", "id: viec-ba-moi\n")
        + "    formerly: [viec-ba]\n";
    std::fs::write(site.path().join("content/plans/ke-hoach.yaml"), plan).unwrap();
    let list = first.join("du-lieu/duong-dan.txt");
    let run = build(
        site.path(),
        &site.path().join("second"),
        &["--previous", list.to_str().unwrap()],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Without `formerly` the same rename fails.
    let plan = read(&site.path().join("content/plans/ke-hoach.yaml"))
        .replace("    formerly: [viec-ba]\n", "");
    std::fs::write(site.path().join("content/plans/ke-hoach.yaml"), plan).unwrap();
    let run = build(
        site.path(),
        &site.path().join("third"),
        &["--previous", list.to_str().unwrap()],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("`/nhiem-vu/viec-ba/han-chot.ics`"),
        "{}",
        run.stderr
    );
}

#[test]
fn task_and_kpi_feeds_and_calendars_are_linked() {
    let site = site_with(&[]);
    let out = site.path().join("out");
    assert_eq!(build(site.path(), &out, &[]).code, 0);
    let page = read(&out.join("nhiem-vu/viec-mot/index.html"));
    assert!(page.contains(
        "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Nguồn tin cập nhật (Atom): Việc một\" href=\"/cong/nhiem-vu/viec-mot/thay-doi.xml\">"
    ));
    assert!(page.contains("href=\"/cong/nhiem-vu/viec-mot/han-chot.ics\""));
    let feed = read(&out.join("nhiem-vu/viec-mot/thay-doi.xml"));
    // Newest first: the April report (done), then March's two updates.
    let done = feed.find("2025-04-18T00:00:00Z").unwrap();
    let march = feed.find("2025-03-20T00:00:00Z").unwrap();
    assert!(done < march, "{feed}");
    assert!(
        feed.contains("update/viec-mot/so-hai/2025-03/2025-03-20"),
        "support updates too"
    );
    let cal = read(&out.join("nhiem-vu/viec-mot/han-chot.ics"));
    assert!(cal.contains("DTSTART;VALUE=DATE:20250331"), "{cal}");
    let kpi = read(&out.join("chi-tieu/chi-tieu/index.html"));
    assert!(kpi.contains("href=\"/cong/chi-tieu/chi-tieu/thay-doi.xml\""));
    let kfeed = read(&out.join("chi-tieu/chi-tieu/thay-doi.xml"));
    assert!(kfeed.contains("2025-03-15T00:00:00Z"), "{kfeed}");
}

#[test]
fn the_data_download_is_byte_identical_and_complete() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    assert_eq!(build(repo(), &a, &[]).code, 0);
    assert_eq!(build(repo(), &b, &[]).code, 0);
    let za = std::fs::read(a.join("du-lieu/tiendo-du-lieu.zip")).unwrap();
    let zb = std::fs::read(b.join("du-lieu/tiendo-du-lieu.zip")).unwrap();
    assert!(za == zb, "zip differs between builds");
    // Every table as CSV, the package and the README, named in the
    // central directory; the JSON files (the same rows) stay beside it.
    let text = String::from_utf8_lossy(&za);
    for name in [
        "nhiem-vu.csv",
        "cap-nhat.csv",
        "co-quan.csv",
        "chi-tieu.csv",
        "gia-tri-chi-tieu.csv",
        "datapackage.json",
        "README.md",
    ] {
        assert!(text.contains(name), "{name} in the zip");
    }
    for name in ["nhiem-vu.json", "cap-nhat.json", "gia-tri-chi-tieu.json"] {
        assert!(!text.contains(name), "{name} not in the zip");
        assert!(a.join("du-lieu").join(name).is_file(), "{name} beside it");
    }
    assert!(za.starts_with(b"PK\x03\x04"));
}
