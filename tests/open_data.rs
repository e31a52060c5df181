//! Open data, feeds, calendars and housekeeping files of the default
//! portal, read back and compared with the model and the status engine.

mod common;

use common::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use tiendo::status::Status;

struct Built {
    _dir: tempfile::TempDir,
    out: PathBuf,
    model: tiendo::model::Model,
}

fn build_default() -> Built {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = tiendo(&["build", "--output", out.to_str().unwrap()], repo);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut diags = tiendo::diag::Diagnostics::new();
    let raw = tiendo::load::load(repo, &mut diags).unwrap();
    let model = tiendo::model::build(raw, &mut diags);
    Built {
        _dir: dir,
        out,
        model,
    }
}

/// A CSV file as header -> value maps, checking the BOM and CRLF.
fn read_csv(path: &Path) -> Vec<HashMap<String, String>> {
    let bytes = std::fs::read(path).unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "{} has no BOM",
        path.display()
    );
    assert!(
        bytes.windows(2).any(|w| w == b"\r\n"),
        "RFC 4180 lines end with CRLF"
    );
    let mut r = csv::Reader::from_reader(&bytes[3..]);
    let headers: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    r.records()
        .map(|rec| {
            headers
                .iter()
                .cloned()
                .zip(rec.unwrap().iter().map(str::to_string))
                .collect()
        })
        .collect()
}

fn read_json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn task_files_match_the_status_engine() {
    let b = build_default();
    let fig = tiendo::status::compute(&b.model, b.model.site().as_of.unwrap());
    let rows = read_csv(&b.out.join("du-lieu/nhiem-vu.csv"));
    let json = read_json(&b.out.join("du-lieu/nhiem-vu.json"));
    assert_eq!(json["as_of"], "2025-06-25");
    assert_eq!(json["license"], "CC BY 4.0");
    let data = json["data"].as_array().unwrap();
    assert_eq!(rows.len(), b.model.tasks.len());
    assert_eq!(data.len(), b.model.tasks.len());
    for (i, t) in b.model.tasks.iter().enumerate() {
        let s = &fig.tasks[i];
        let row = rows
            .iter()
            .find(|r| r["id"] == t.id)
            .unwrap_or_else(|| panic!("{} missing from CSV", t.id));
        let obj = data.iter().find(|o| o["id"] == t.id.as_str()).unwrap();
        for key in [
            "id",
            "ref",
            "title",
            "plan",
            "lead",
            "deadline",
            "original_deadline",
            "status",
            "progress",
            "done_on",
            "days_late",
        ] {
            assert!(row.contains_key(key), "column {key}");
        }
        assert_eq!(row["status"], s.status.code(), "{}", t.id);
        assert_eq!(obj["status"], s.status.code());
        assert_eq!(row["title"], t.title);
        assert_eq!(row["lead"], s.lead_on.clone().unwrap_or_default());
        if s.status == Status::Ongoing {
            // Recurring tasks have no progress (the data dictionary says why).
            assert_eq!(row["progress"], "", "{}", t.id);
            assert!(obj["progress"].is_null(), "{}", t.id);
        } else {
            assert_eq!(
                row["progress"].parse::<f64>().unwrap(),
                s.progress,
                "{}",
                t.id
            );
            assert_eq!(obj["progress"].as_f64().unwrap(), s.progress);
        }
        assert_eq!(
            row["done_on"],
            s.done_on.map(|d| d.to_string()).unwrap_or_default()
        );
        assert_eq!(
            row["days_late"],
            s.days_late.map(|d| d.to_string()).unwrap_or_default()
        );
        assert_eq!(obj["days_late"].as_i64(), s.days_late);
        assert_eq!(
            row["deadline"],
            s.deadline.map(|d| d.code()).unwrap_or_default()
        );
        assert_eq!(
            row["original_deadline"],
            t.deadline.map(|d| d.code()).unwrap_or_default()
        );
    }
    let overdue = rows
        .iter()
        .filter(|r| r["status"] == Status::Overdue.code())
        .count();
    assert_eq!(overdue, fig.overall.count(Status::Overdue));
}

#[test]
fn update_agency_and_kpi_files_match() {
    let b = build_default();
    let fig = tiendo::status::compute(&b.model, b.model.site().as_of.unwrap());
    let updates = read_csv(&b.out.join("du-lieu/cap-nhat.csv"));
    let expected: usize = fig.timelines.iter().map(Vec::len).sum();
    assert_eq!(updates.len(), expected);
    assert!(
        updates.iter().any(|u| u["task"] == "ioc-soc"
            && u["state"] == "done"
            && u["done_on"] == "2025-04-08")
    );

    let agencies = read_csv(&b.out.join("du-lieu/co-quan.csv"));
    assert_eq!(agencies.len(), b.model.agencies.len());
    let yte = agencies.iter().find(|a| a["id"] == "so-y-te").unwrap();
    assert_eq!(yte["reports_missing"], "1");
    assert_eq!(yte["tasks_overdue"], "1");
    let tttt = agencies.iter().find(|a| a["id"] == "so-tttt").unwrap();
    assert_eq!(
        (
            tttt["succession"].as_str(),
            tttt["successor"].as_str(),
            tttt["succession_date"].as_str()
        ),
        ("merged", "so-khcn", "2025-03-01")
    );

    let kpis = read_csv(&b.out.join("du-lieu/chi-tieu.csv"));
    assert_eq!(kpis.len(), b.model.kpis.len());
    for (k, ks) in b.model.kpis.iter().zip(&fig.kpis) {
        let row = kpis.iter().find(|r| r["id"] == k.id).unwrap();
        assert_eq!(row["target"].parse::<f64>().unwrap(), k.target);
        assert_eq!(row["verdict"], ks.verdict.code());
        assert_eq!(
            row["latest_value"].parse::<f64>().ok(),
            ks.latest.as_ref().map(|p| p.value)
        );
    }
    let values = read_csv(&b.out.join("du-lieu/gia-tri-chi-tieu.csv"));
    let expected: usize = fig.kpis.iter().map(|k| k.points.len()).sum();
    assert_eq!(values.len(), expected);
    let json = read_json(&b.out.join("du-lieu/gia-tri-chi-tieu.json"));
    assert_eq!(json["data"].as_array().unwrap().len(), expected);
}

#[test]
fn datapackage_describes_every_file_and_column() {
    let b = build_default();
    let pkg = read_json(&b.out.join("du-lieu/datapackage.json"));
    let resources = pkg["resources"].as_array().unwrap();
    assert_eq!(resources.len(), tiendo::route::Table::ALL.len());
    let page = std::fs::read_to_string(b.out.join("du-lieu/index.html")).unwrap();
    for r in resources {
        let path = r["path"].as_str().unwrap();
        let rows = read_csv(&b.out.join("du-lieu").join(path));
        // The page's row counts are those of the files, which are made a
        // row at a time after the counts are taken.
        let stem = path.trim_end_matches(".csv");
        let json = read_json(&b.out.join(format!("du-lieu/{stem}.json")));
        assert_eq!(json["data"].as_array().unwrap().len(), rows.len(), "{stem}");
        let shown = format!("{stem}.json</a> · {} ", rows.len());
        assert!(page.contains(&shown), "{shown} on /du-lieu/");
        let fields: Vec<&str> = r["schema"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap())
            .collect();
        let mut header: Vec<&str> = rows
            .first()
            .map(|r| r.keys().map(String::as_str).collect())
            .unwrap_or_default();
        let mut sorted = fields.clone();
        header.sort_unstable();
        sorted.sort_unstable();
        assert_eq!(header, sorted, "{path}");
    }
    assert_eq!(pkg["licenses"][0]["name"], "CC-BY-4.0");
    assert!(page.contains("<code>days_late</code>") && page.contains("Số ngày quá hạn"));
}

#[test]
fn calendars_have_open_deadlines_with_stable_uids() {
    let b = build_default();
    let ics = std::fs::read_to_string(b.out.join("han-chot.ics")).unwrap();
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"));
    assert!(ics.contains("UID:benh-an-dien-tu@tiendo.example.gov.vn"));
    assert!(ics.contains("DTSTART;VALUE=DATE:20250430"));
    assert!(
        ics.contains("DTSTAMP:20250625T000000Z"),
        "timestamps come from the as-of date"
    );
    assert!(!ics.contains("UID:ioc-soc@"), "done tasks are not listed");
    assert_eq!(ics.matches("PRODID").count(), 1);
    let agency = std::fs::read_to_string(b.out.join("co-quan/so-y-te/han-chot.ics")).unwrap();
    assert_eq!(agency.matches("BEGIN:VEVENT").count(), 1);
    assert!(b.out.join("to-cong-tac/to-kinh-te/han-chot.ics").is_file());
}

#[test]
fn feeds_sitemap_robots_and_404() {
    let b = build_default();
    let changes = std::fs::read_to_string(b.out.join("bao-cao/thay-doi.xml")).unwrap();
    assert!(changes.contains("<title>Sở Y tế chưa nộp báo cáo tháng 05/2025</title>"));
    // Tag URIs are dated by the first plan's issue date, not a fixed year.
    assert!(
        changes.contains("tag:tiendo.example.gov.vn,2025-02-18:overdue/benh-an-dien-tu/2025-05-01")
    );
    let agency = std::fs::read_to_string(b.out.join("co-quan/so-xay-dung/thay-doi.xml")).unwrap();
    assert!(
        agency.contains("Gia hạn đến 31/05/2025") || agency.contains("Hoàn thành: Tìm kiếm"),
        "{agency}"
    );
    let news = std::fs::read_to_string(b.out.join("atom.xml")).unwrap();
    assert_eq!(news.matches("<entry>").count(), 6);
    let sitemap = std::fs::read_to_string(b.out.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("<loc>https://tiendo.example.gov.vn/nhiem-vu/ioc-soc/</loc>"));
    assert!(sitemap.contains("<loc>https://tiendo.example.gov.vn/en/</loc>"));
    assert!(!sitemap.contains("404"));
    let robots = std::fs::read_to_string(b.out.join("robots.txt")).unwrap();
    assert!(robots.contains("Sitemap: https://tiendo.example.gov.vn/sitemap.xml"));
    assert!(b.out.join("404.html").is_file());
    let page = std::fs::read_to_string(b.out.join("nhiem-vu/ioc-soc/index.html")).unwrap();
    assert!(page.contains(
        "<link rel=\"canonical\" href=\"https://tiendo.example.gov.vn/nhiem-vu/ioc-soc/\">"
    ));
}

/// Feeds carry the latest 50 entries, newest first; calendars stay
/// complete. A site with 60 articles, 55 missed deadlines and 60 open tasks.
#[test]
fn feeds_keep_the_latest_entries_and_calendars_every_task() {
    let mut plan =
        std::fs::read_to_string(fixture("minimal").join("content/plans/ke-hoach.yaml")).unwrap();
    let mut dated = Vec::new();
    for (month, days) in [(3, 31), (4, 24), (6, 30), (7, 30)] {
        for day in 1..=days {
            let id = format!("viec-{month}-{day}");
            plan.push_str(&format!(
                "  - id: {id}\n    title: Việc {day}/{month}\n    lead: so-hai\n    deadline: 2025-{month:02}-{day:02}\n    result: Xong\n    responsible: Giám đốc\n"
            ));
            dated.push(id);
        }
    }
    let mut files: Vec<(String, Vec<u8>)> =
        vec![("content/plans/ke-hoach.yaml".into(), plan.into_bytes())];
    for n in 0..60 {
        let date = tiendo::date::Date::from_ymd_opt(2025, 1, 1).unwrap() + chrono::Days::new(n);
        files.push((
            format!("content/news/tin-{n}.md"),
            format!("---\ntitle: Tin số {n}\ndate: {date}\n---\nNội dung.\n").into_bytes(),
        ));
    }
    let refs: Vec<(&str, Option<&[u8]>)> = files
        .iter()
        .map(|(p, b)| (p.as_str(), Some(b.as_slice())))
        .collect();
    let dir = site_with(&refs);
    let out = dir.path().join("out");
    let run = tiendo(&["build", "--output", out.to_str().unwrap()], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let read = |p: &str| std::fs::read_to_string(out.join(p)).unwrap();
    let news = read("atom.xml");
    assert_eq!(news.matches("<entry>").count(), 50);
    assert!(
        news.contains("<title>Tin số 59</title>"),
        "the newest is there"
    );
    assert!(
        !news.contains("<title>Tin số 9</title>"),
        "the oldest are not"
    );
    let first = news.find("Tin số 59").unwrap();
    assert!(first < news.find("Tin số 58").unwrap(), "newest first");
    for feed in [
        "bao-cao/thay-doi.xml",
        "co-quan/so-hai/thay-doi.xml",
        "en/bao-cao/thay-doi.xml",
    ] {
        let xml = read(feed);
        assert_eq!(xml.matches("<entry>").count(), 50, "{feed}");
        assert!(
            xml.contains("viec-4-24/2025-04-25"),
            "{feed}: the latest missed deadline"
        );
        assert!(
            !xml.contains("viec-3-1/"),
            "{feed}: the oldest are left to the open data"
        );
    }
    for ics in ["han-chot.ics", "co-quan/so-hai/han-chot.ics"] {
        let cal = read(ics);
        for id in &dated {
            assert!(cal.contains(&format!("UID:{id}@")), "{ics} lists {id}");
        }
    }
}

/// Text an officer typed that Excel would run as a formula (issue 29):
/// every text cell of every CSV, in the data folder, the charts' downloads
/// and the zip, starts with a quote instead; numbers stay numbers; the JSON
/// keeps the text as written.
#[test]
fn no_csv_text_cell_starts_like_a_formula_and_numbers_stay_numbers() {
    let plan = std::fs::read_to_string(fixture("minimal").join("content/plans/ke-hoach.yaml"))
        .unwrap()
        .replace(
            "title: Việc ba",
            "title: \"=HYPERLINK(\\\"http://evil.example/\\\",\\\"x\\\")\"",
        )
        .replace("result: Xong việc ba", "result: \"+1 cộng\"")
        .replace(
            "responsible: Giám đốc Sở Hai\n  - id: viec-ba",
            "responsible: \"@SUM(A1)\"\n  - id: viec-ba",
        );
    let kpis = "kpis:\n  - id: chi-tieu\n    name: \"-Chỉ tiêu thử\"\n    unit: \"%\"\n    target: 90\n    baseline: { date: 2024-12-31, value: 50 }\n    deadline: 2025-12-31\n    owner: so-mot\n  - id: chi-so\n    name: Chỉ số âm\n    unit: điểm\n    target: 2\n    baseline: { date: 2024-12-31, value: -1.5 }\n    deadline: 2025-12-31\n    owner: so-mot\n";
    let report = "agency: so-mot\nperiod: 2025-03\nsubmitted: 2025-03-19\nupdates:\n  - task: viec-mot\n    state: in_progress\n    progress: 50\n    note: \"=1+1\"\n  - task: viec-hai\n    state: in_progress\n    progress: \"30%\"\nkpi_values:\n  - kpi: chi-tieu\n    date: 2025-03-15\n    value: 60\n  - kpi: chi-so\n    date: 2025-03-15\n    value: -0.5\n";
    let dir = site_with(&[
        ("content/plans/ke-hoach.yaml", Some(plan.as_bytes())),
        ("content/kpis.yaml", Some(kpis.as_bytes())),
        (
            "content/reports/2025-03/so-mot.yaml",
            Some(report.as_bytes()),
        ),
    ]);
    let out = dir.path().join("out");
    let run = tiendo(&["build", "--output", out.to_str().unwrap()], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);

    let mut csvs: Vec<(String, Vec<u8>)> = Vec::new();
    for entry in walkdir::WalkDir::new(&out) {
        let entry = entry.unwrap();
        let path = entry.path();
        let name = path.strip_prefix(&out).unwrap().display().to_string();
        match path.extension().and_then(|e| e.to_str()) {
            Some("csv") => csvs.push((name, std::fs::read(path).unwrap())),
            Some("zip") => {
                let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
                for k in 0..zip.len() {
                    let mut file = zip.by_index(k).unwrap();
                    let inner = file.name().unwrap().to_string();
                    if inner.ends_with(".csv") {
                        let mut bytes = Vec::new();
                        std::io::Read::read_to_end(&mut file, &mut bytes).unwrap();
                        csvs.push((format!("{name}/{inner}"), bytes));
                    }
                }
            }
            _ => {}
        }
    }
    assert!(csvs.len() > 5, "{csvs:?}");
    let mut cells = Vec::new();
    for (name, bytes) in &csvs {
        let mut r = csv::Reader::from_reader(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap());
        for rec in r.records() {
            for cell in rec.unwrap().iter() {
                if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                    assert!(
                        cell.parse::<f64>().is_ok(),
                        "{name}: a text cell starts like a formula: {cell:?}"
                    );
                }
                cells.push((name.clone(), cell.to_string()));
            }
        }
    }
    let has = |file: &str, cell: &str| cells.iter().any(|(n, c)| n.ends_with(file) && c == cell);
    assert!(has(
        "du-lieu/nhiem-vu.csv",
        "'=HYPERLINK(\"http://evil.example/\",\"x\")"
    ));
    assert!(has("du-lieu/nhiem-vu.csv", "'+1 cộng"));
    assert!(has("du-lieu/nhiem-vu.csv", "'@SUM(A1)"));
    assert!(has("du-lieu/cap-nhat.csv", "'=1+1"));
    assert!(has("du-lieu/chi-tieu.csv", "'-Chỉ tiêu thử"));
    assert!(has("tiendo-du-lieu.zip/cap-nhat.csv", "'=1+1"));
    // Numbers as they were.
    assert!(has("du-lieu/gia-tri-chi-tieu.csv", "-0.5"), "the value");
    assert!(has("du-lieu/gia-tri-chi-tieu.csv", "-1.5"), "the baseline");
    assert!(
        has("chi-tieu/chi-so/bieu-do.csv", "-0.5"),
        "the chart's figures"
    );
    // JSON is not run by a spreadsheet: the text as written.
    let json = std::fs::read_to_string(out.join("du-lieu/cap-nhat.json")).unwrap();
    assert!(json.contains("\"=1+1\""), "{json}");
    // The data dictionary says so, on the page and in the download.
    let page = std::fs::read_to_string(out.join("du-lieu/index.html")).unwrap();
    assert!(page.contains("không chạy như công thức"), "{page}");
    let mut zip =
        zip::ZipArchive::new(std::fs::File::open(out.join("du-lieu/tiendo-du-lieu.zip")).unwrap())
            .unwrap();
    let mut readme = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("README.md").unwrap(), &mut readme).unwrap();
    assert!(readme.contains("does not run it as a formula"), "{readme}");
}

#[test]
fn kpi_metadata_is_in_the_open_data_and_the_kpi_list_filters_by_framework() {
    let kpis = "kpis:\n  - id: chi-tieu\n    name: Chỉ tiêu thử\n    unit: \"%\"\n    target: 90\n    baseline: { date: 2024-12-31, value: 50 }\n    deadline: 2025-12-31\n    owner: so-mot\n    formula: \"a / b × 100\"\n    source: Cổng Dịch vụ công tỉnh\n    frequency: quarterly\n    framework:\n      - { name: Bộ chỉ số DTI cấp tỉnh, code: \"3.2\" }\n      - { name: Bộ chỉ số PII }\n";
    let dir = site_with(&[("content/kpis.yaml", Some(kpis.as_bytes()))]);
    let out = dir.path().join("out");
    let run = tiendo(&["build", "--output", out.to_str().unwrap()], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows = read_csv(&out.join("du-lieu/chi-tieu.csv"));
    let k = &rows[0];
    assert_eq!(
        (
            k["formula"].as_str(),
            k["source"].as_str(),
            k["frequency"].as_str()
        ),
        ("a / b × 100", "Cổng Dịch vụ công tỉnh", "quarterly")
    );
    assert_eq!(k["framework"], "Bộ chỉ số DTI cấp tỉnh: 3.2; Bộ chỉ số PII");
    let package = read_json(&out.join("du-lieu/datapackage.json"));
    let fields = package["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "chi-tieu")
        .map(|r| r["schema"]["fields"].clone())
        .unwrap();
    for name in ["definition", "formula", "source", "frequency", "framework"] {
        assert!(
            fields.as_array().unwrap().iter().any(|f| f["name"] == name),
            "{name}"
        );
    }
    let list = std::fs::read_to_string(out.join("chi-tieu/index.html")).unwrap();
    assert!(
        list.contains("Bộ chỉ số DTI cấp tỉnh (1)</summary>"),
        "{list}"
    );
    assert!(list.contains("· mã <span>3.2</span>"), "{list}");
    assert!(list.contains("Bộ chỉ số PII (1)</summary>"), "{list}");
}
