//! Figures that agree with each other (issue 12): every headline figure
//! and status count on the dashboard, every agency scorecard and every
//! working-group page, the monthly reports' duties and tasks finished
//! each month, and the deadlines by month are recomputed from the open
//! data files alone (the register of proposals in tests/proposals.rs), and
//! every list of articles from the articles' own files; no
//! page projects a KPI past its unit's bounds or to a past date; settings
//! flow into every rule text; a malformed SOURCE_DATE_EPOCH is a usage
//! error.

mod common;

use common::*;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The default content built into a temporary folder.
fn build_default() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let run = tiendo(&["build", "--output", out.to_str().unwrap()], repo());
    assert_eq!(run.code, 0, "{}", run.stderr);
    (dir, out)
}

fn read_csv(path: &Path) -> Vec<HashMap<String, String>> {
    let bytes = std::fs::read(path).unwrap();
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let mut r = csv::Reader::from_reader(body);
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

/// A percentage as the Vietnamese pages write it: one decimal at most,
/// decimal comma.
fn vi_percent(p: f64) -> String {
    let rounded = (p * 10.0).round() / 10.0;
    let s = if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    };
    s.replace('.', ",")
}

/// What a roll-up must show, from rows of nhiem-vu.csv only.
#[derive(Debug, PartialEq)]
struct Expected {
    counts: BTreeMap<String, usize>,
    done_line: String,
    progress_line: String,
    overdue: usize,
    recurring: usize,
}

/// The default content's as-of date (site.yaml).
const AS_OF: &str = "2025-06-25";

const STATUSES: [&str; 9] = [
    "done_on_time",
    "done_late",
    "ongoing",
    "overdue",
    "due_soon",
    "blocked",
    "in_progress",
    "unassigned",
    "not_started",
];

fn expected(rows: &[&HashMap<String, String>]) -> Expected {
    expected_on(rows, AS_OF)
}

/// What a roll-up must show as of `as_of` (an ISO day).
fn expected_on(rows: &[&HashMap<String, String>], as_of: &str) -> Expected {
    let count = |code: &str| rows.iter().filter(|r| r["status"] == code).count();
    let recurring = count("ongoing");
    let finite = rows.len() - recurring;
    let done = count("done_on_time") + count("done_late");
    // Recurring tasks have no progress in the open data; every other task
    // has one, and the mean is over them.
    let progress: Vec<f64> = rows
        .iter()
        .filter(|r| !r["progress"].is_empty())
        .map(|r| r["progress"].parse::<f64>().unwrap())
        .collect();
    assert_eq!(
        progress.len(),
        finite,
        "progress given for every task that can finish"
    );
    let share = if finite == 0 {
        0.0
    } else {
        done as f64 / finite as f64 * 100.0
    };
    let mean = if finite == 0 {
        "—".to_string()
    } else {
        format!(
            "{}%",
            vi_percent(progress.iter().sum::<f64>() / finite as f64)
        )
    };
    // The headline leads with the tasks already due on D (a deadline in
    // force that is a day on or before it), the whole plan beside them.
    let due: Vec<&&HashMap<String, String>> = rows
        .iter()
        .filter(|r| r["status"] != "ongoing")
        .filter(|r| r["deadline"].len() == 10 && r["deadline"].as_str() <= as_of)
        .collect();
    let due_done = due
        .iter()
        .filter(|r| r["status"].starts_with("done_"))
        .count();
    let whole = format!(
        "{done} trong {finite} nhiệm vụ phải hoàn thành đã xong, {}%",
        vi_percent(share)
    );
    Expected {
        counts: STATUSES.iter().map(|s| (s.to_string(), count(s))).collect(),
        done_line: if due.is_empty() {
            format!(
                "{done} trong {finite} nhiệm vụ phải hoàn thành đã xong ({}%)",
                vi_percent(share)
            )
        } else {
            format!(
                "{due_done} trong {} nhiệm vụ đã đến hạn đã hoàn thành (cả kế hoạch: {whole})",
                due.len()
            )
        },
        progress_line: format!("{mean} tiến độ bình quân của {finite} nhiệm vụ phải hoàn thành"),
        overdue: count("overdue"),
        recurring,
    }
}

fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What a page shows in its headline and status counts.
fn shown(page: &str) -> Expected {
    let start = page.find("<ul class=\"headline\">").expect("a headline");
    let end = start + page[start..].find("</ul>").unwrap();
    let items: Vec<String> = page[start..end].split("<li>").skip(1).map(text).collect();
    let counts_at = page.find("<ul class=\"counts\">").expect("status counts");
    let counts_end = counts_at + page[counts_at..].find("</ul>").unwrap();
    let mut counts = BTreeMap::new();
    for part in page[counts_at..counts_end]
        .split("<span class=\"count\">")
        .skip(1)
    {
        let n: usize = part[..part.find('<').unwrap()].parse().unwrap();
        let code_at = part.find("status status-").unwrap() + "status status-".len();
        let code: String = part[code_at..]
            .chars()
            .take_while(|c| c.is_ascii_lowercase() || *c == '_')
            .collect();
        counts.insert(code, n);
    }
    let note = page
        .find("<p class=\"note\">Các số trên không tính ")
        .map(|i| {
            let rest = &page[i + "<p class=\"note\">Các số trên không tính ".len()..];
            rest[..rest.find(' ').unwrap()].parse::<usize>().unwrap()
        })
        .unwrap_or(0);
    Expected {
        counts,
        done_line: items[0].clone(),
        progress_line: items[3].clone(),
        overdue: items[1].split(' ').next().unwrap().parse().unwrap(),
        recurring: note,
    }
}

#[test]
fn dashboard_scorecards_and_groups_recompute_from_the_open_data() {
    let (_dir, out) = build_default();
    let tasks = read_csv(&out.join("du-lieu/nhiem-vu.csv"));
    let agencies = read_csv(&out.join("du-lieu/co-quan.csv"));
    let group_of: HashMap<&str, &str> = agencies
        .iter()
        .map(|a| (a["id"].as_str(), a["group"].as_str()))
        .collect();
    let page = |rel: &str| std::fs::read_to_string(out.join(rel)).unwrap();

    // The dashboard: every task.
    let all: Vec<&HashMap<String, String>> = tasks.iter().collect();
    let home = page("index.html");
    let want = expected(&all);
    assert_eq!(shown(&home), want);
    assert_eq!(
        want.counts.values().sum::<usize>(),
        tasks.len(),
        "parts add up"
    );
    assert!(
        want.recurring > 0 && want.counts["unassigned"] > 0,
        "{want:?}"
    );
    // The stale count: open tasks the open data marks stale.
    let stale = tasks.iter().filter(|t| t["stale"] == "true").count();
    assert!(
        home.contains(&format!(
            "<strong>{stale}</strong> nhiệm vụ chưa xong chưa được cập nhật"
        )),
        "the dashboard counts {stale} stale tasks"
    );
    // The burn-up's last point says what the tiles say: done tasks, and
    // the tasks whose deadline in force is a day on or before D.
    let burnup = read_csv(&out.join("bieu-do/tien-do.csv"));
    let last = burnup.last().unwrap();
    let done = tasks
        .iter()
        .filter(|t| t["status"].starts_with("done_"))
        .count();
    let fallen_due = tasks
        .iter()
        .filter(|t| t["deadline"].len() == 10 && t["deadline"].as_str() <= AS_OF)
        .count();
    assert_eq!(last["date"], AS_OF);
    assert_eq!(
        last["done"].parse::<usize>().unwrap(),
        done,
        "burn-up done = tile done"
    );
    assert_eq!(last["due"].parse::<usize>().unwrap(), fallen_due);
    // The "5 rõ" gap lists every task without a lead on D.
    let no_lead = tasks.iter().filter(|t| t["lead"].is_empty()).count();
    assert!(
        home.contains(&format!("Nhiệm vụ chưa có cơ quan chủ trì ({no_lead}")),
        "the dashboard lists {no_lead} tasks without a lead"
    );

    // Every scorecard: the tasks an agency leads on D.
    let mut checked = 0;
    for a in &agencies {
        let led: Vec<&HashMap<String, String>> =
            tasks.iter().filter(|t| t["lead"] == a["id"]).collect();
        assert_eq!(
            a["tasks_led"].parse::<usize>().unwrap(),
            led.len(),
            "{}",
            a["id"]
        );
        let path = format!("co-quan/{}/index.html", a["id"]);
        if led.is_empty() || !out.join(&path).is_file() {
            continue;
        }
        assert_eq!(shown(&page(&path)), expected(&led), "{}", a["id"]);
        checked += 1;
    }
    assert!(checked >= 10, "{checked} scorecards checked");

    // Every working group: the tasks its agencies lead on D; with the tasks
    // in no group they make the whole, and the groups page says so.
    let mut grouped = 0;
    for entry in std::fs::read_dir(out.join("to-cong-tac")).unwrap() {
        let entry = entry.unwrap();
        if !entry.path().join("index.html").is_file() {
            continue;
        }
        let g = entry.file_name().to_string_lossy().into_owned();
        let rows: Vec<&HashMap<String, String>> = tasks
            .iter()
            .filter(|t| group_of.get(t["lead"].as_str()) == Some(&g.as_str()))
            .collect();
        grouped += rows.len();
        assert_eq!(
            shown(&page(&format!("to-cong-tac/{g}/index.html"))),
            expected(&rows),
            "{g}"
        );
        // The group's card on the groups page leads with the same figure.
        assert!(
            text(&page("to-cong-tac/index.html")).contains(&expected(&rows).done_line),
            "{g}'s card"
        );
    }
    let cards = page("co-quan/index.html");
    assert!(
        cards.contains(&format!(
            "Các tổ công tác gộp lại có {grouped} trong {} nhiệm vụ. {} nhiệm vụ không thuộc tổ nào",
            tasks.len(),
            tasks.len() - grouped
        )),
        "the groups page says what its cards leave out"
    );
}

#[test]
fn no_page_projects_past_a_bound_or_to_a_past_date() {
    let (_dir, out) = build_default();
    let kpis = read_csv(&out.join("du-lieu/chi-tieu.csv"));
    let as_of = AS_OF;
    let mut verdicts = Vec::new();
    for k in &kpis {
        verdicts.push(k["verdict"].clone());
        let projected = &k["projected"];
        let ahead = k["deadline"].as_str() >= as_of;
        match k["verdict"].as_str() {
            "on_track" | "off_track" => {
                assert!(ahead, "{}: projection to a past date", k["id"]);
                let v: f64 = projected.parse().unwrap();
                assert!(v >= 0.0, "{}", k["id"]);
                if k["unit"] == "%" {
                    assert!(v <= 100.0, "{}: {v}%", k["id"]);
                } else if k["target"].parse::<f64>().unwrap().fract() == 0.0 {
                    assert_eq!(v.fract(), 0.0, "{}: whole numbers", k["id"]);
                }
            }
            "reached" | "missed" | "not_enough_data" => {
                assert!(projected.is_empty(), "{}: no projection", k["id"]);
            }
            other => panic!("{}: verdict {other} outside the closed set", k["id"]),
        }
        if k["verdict"] == "missed" {
            assert!(!ahead, "{}", k["id"]);
        }
        let page =
            std::fs::read_to_string(out.join(format!("chi-tieu/{}/index.html", k["id"]))).unwrap();
        if !ahead {
            assert!(
                !page.contains("Theo xu hướng"),
                "{}: a projection on the page of a KPI past its deadline",
                k["id"]
            );
        }
        assert!(!page.contains("Chưa đủ nhanh") || k["verdict"] == "off_track");
    }
    // The default portal has a KPI reached after its deadline (IOC/SOC)
    // and one missed (96% of 100% by 30/04).
    assert!(verdicts.iter().any(|v| v == "reached"), "{verdicts:?}");
    assert!(verdicts.iter().any(|v| v == "missed"), "{verdicts:?}");
    let ioc = std::fs::read_to_string(out.join("chi-tieu/ioc-soc-van-hanh/index.html")).unwrap();
    assert!(ioc.contains("sau hạn chót"), "reached late, and said so");
    assert!(!ioc.contains("1,67"), "no fraction of a centre");
    // Gaps in percentage points, and lower is better said where it applies.
    let table = std::fs::read_to_string(out.join("chi-tieu/index.html")).unwrap();
    assert!(table.contains("điểm phần trăm"));
    assert!(!table.contains("Còn thiếu 11%"));
}

#[test]
fn settings_flow_into_every_rule_text() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("portal");
    for entry in walkdir::WalkDir::new(repo().join("content")) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(repo()).unwrap();
        let dest = root.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
    let site = root.join("content/site.yaml");
    let text = std::fs::read_to_string(&site)
        .unwrap()
        .replace("due_soon_days: 14", "due_soon_days: 7")
        .replace("report_day: 20", "report_day: 15");
    assert!(text.contains("due_soon_days: 7") && text.contains("report_day: 15"));
    std::fs::write(&site, text).unwrap();
    let out = dir.path().join("site");
    let run = tiendo(&["build", "--output", out.to_str().unwrap()], &root);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(&out) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let page = std::fs::read_to_string(entry.path()).unwrap();
        pages += 1;
        // The rule texts and every sentence of the theme or the standing
        // pages that quotes a setting (task titles and report notes quote
        // the plan and the agencies, whose own words stay as written).
        for stale in [
            "không quá 14 ngày",
            "at most 14 days",
            "Báo cáo định kỳ ngày 20",
            "nộp báo cáo định kỳ ngày 20",
            "thực hiện vào ngày 20",
            "Nộp đến hết ngày 20",
            "sau ngày 20",
            // The theme's English ("day 20 of the month"); "the 20th" is the
            // plan's own words in the English task title.
            "day 20 of",
        ] {
            assert!(
                !page.contains(stale),
                "{} says `{stale}`",
                entry.path().display()
            );
        }
    }
    assert!(pages > 50);
    let method = std::fs::read_to_string(out.join("phuong-phap/index.html")).unwrap();
    assert!(method.contains("Thiết lập đang áp dụng"));
    assert!(method.contains("<dd>7 ngày</dd>"), "the settings in force");
    assert!(method.contains("<dd>ngày 15 hằng tháng</dd>"));
    assert!(method.contains("còn không quá 7 ngày đến hạn chót"));
    assert!(method.contains("Nộp đến hết ngày 15"));
    let en = std::fs::read_to_string(out.join("en/phuong-phap/index.html")).unwrap();
    assert!(en.contains("at most 7 days"), "English rule text too");
}

#[test]
fn a_malformed_source_date_epoch_is_a_usage_error() {
    let dir = site_with(&[]);
    for bad in ["yesterday", "1.5e9", ""] {
        let out = Command::new(env!("CARGO_BIN_EXE_tiendo"))
            .args(["check", "--root"])
            .arg(dir.path())
            .env("SOURCE_DATE_EPOCH", bad)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "SOURCE_DATE_EPOCH={bad:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("SOURCE_DATE_EPOCH"), "{stderr}");
    }
    // A good one is the day in Vietnam: 2025-06-24 17:30 UTC is already the
    // 25th in Hà Nội (the minimal site sets as_of, so only init shows it).
    let fresh = tempfile::tempdir().unwrap();
    let target = fresh.path().join("moi");
    let out = Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .arg("init")
        .arg(&target)
        .env("SOURCE_DATE_EPOCH", "1750786200")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let plans: String = walkdir::WalkDir::new(target.join("content/plans"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect();
    assert!(plans.contains("2025-06-25"), "{plans}");
}

#[test]
fn each_months_change_table_is_what_the_archived_task_tables_differ_by() {
    let (_dir, out) = build_default();
    let months: Vec<String> = {
        let mut m: Vec<String> = std::fs::read_dir(out.join("du-lieu/luu-tru"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        m.sort();
        m
    };
    assert!(months.len() >= 3, "{months:?}");
    let archive = text(&std::fs::read_to_string(out.join("luu-tru/index.html")).unwrap());
    let mut before: HashMap<String, HashMap<String, String>> = HashMap::new();
    for month in &months {
        let rows = read_csv(&out.join(format!("du-lieu/luu-tru/{month}/nhiem-vu.csv")));
        let after: HashMap<String, HashMap<String, String>> =
            rows.into_iter().map(|r| (r["id"].clone(), r)).collect();
        // By an independent reading: the archived tables, field by field.
        let mut want: Vec<(String, String, String, String)> = Vec::new();
        for (id, a) in &after {
            for field in ["status", "progress", "deadline", "lead"] {
                let b = before.get(id).map_or("", |b| b[field].as_str());
                if b != a[field] {
                    want.push((
                        id.clone(),
                        field.to_string(),
                        b.to_string(),
                        a[field].clone(),
                    ));
                }
            }
        }
        want.sort();
        let mut got: Vec<(String, String, String, String)> =
            read_csv(&out.join(format!("du-lieu/thay-doi/{month}.csv")))
                .into_iter()
                .map(|r| {
                    (
                        r["task"].clone(),
                        r["field"].clone(),
                        r["before"].clone(),
                        r["after"].clone(),
                    )
                })
                .collect();
        got.sort();
        assert_eq!(got, want, "{month}");
        let status_changes = want.iter().filter(|w| w.1 == "status").count();
        if status_changes > 0 {
            assert!(
                archive.contains(&format!("{status_changes} nhiệm vụ đổi tình trạng")),
                "{month}: {status_changes}"
            );
        }
        before = after;
    }
}

#[test]
fn every_task_page_and_kpi_page_says_what_the_open_data_says() {
    let (_dir, out) = build_default();
    let page = |rel: &str| std::fs::read_to_string(out.join(rel)).unwrap();
    // Each task page: its status label, days late, progress.
    let tasks = read_csv(&out.join("du-lieu/nhiem-vu.csv"));
    for t in &tasks {
        let html = page(&format!("nhiem-vu/{}/index.html", t["id"]));
        assert!(
            html.contains(&format!("status status-{}\"", t["status"])),
            "{}: status {}",
            t["id"],
            t["status"]
        );
        assert!(html.contains(&t["status_label"]), "{}", t["id"]);
        if t["status"] == "overdue" {
            let days = &t["days_late"];
            assert!(
                html.contains(&format!("Quá hạn {days} ngày")),
                "{}: {days} days late",
                t["id"]
            );
        }
        let progress = if t["progress"].is_empty() {
            "—".to_string()
        } else {
            format!("{}%", vi_percent(t["progress"].parse::<f64>().unwrap()))
        };
        assert!(
            html.contains(&format!("<dt>Tiến độ</dt><dd>{progress}</dd>")),
            "{}: progress {progress}",
            t["id"]
        );
    }
    // Each KPI page: its latest value and target, as the KPI table says.
    let kpis = read_csv(&out.join("du-lieu/chi-tieu.csv"));
    for k in &kpis {
        let html = page(&format!("chi-tieu/{}/index.html", k["id"]));
        let with_unit = |v: &str| {
            let n = vi_percent(v.parse::<f64>().unwrap());
            if k["unit"] == "%" {
                format!("{n}%")
            } else {
                format!("{n} {}", k["unit"])
            }
        };
        if !k["latest_value"].is_empty() {
            let latest = with_unit(&k["latest_value"]);
            assert!(
                html.contains(&format!(">{latest}</span>")),
                "{}: latest {latest}",
                k["id"]
            );
        }
        let target = with_unit(&k["target"]);
        assert!(
            html.contains(&format!(">{target}</span>")),
            "{}: target {target}",
            k["id"]
        );
        assert!(
            html.contains(&format!("verdict-{}", k["verdict"])),
            "{}",
            k["id"]
        );
    }
}

#[test]
fn each_archived_months_headline_is_its_archived_task_table() {
    let (_dir, out) = build_default();
    let mut months: Vec<String> = std::fs::read_dir(out.join("du-lieu/luu-tru"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    months.sort();
    assert!(!months.is_empty());
    for month in &months {
        let rows = read_csv(&out.join(format!("du-lieu/luu-tru/{month}/nhiem-vu.csv")));
        let all: Vec<&HashMap<String, String>> = rows.iter().collect();
        let last_day = {
            let (y, m) = month.split_once('-').unwrap();
            let (y, m): (i32, u32) = (y.parse().unwrap(), m.parse().unwrap());
            let next = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
            let first_next = chrono::NaiveDate::from_ymd_opt(next.0, next.1, 1).unwrap();
            first_next.pred_opt().unwrap().to_string()
        };
        let page =
            std::fs::read_to_string(out.join(format!("luu-tru/{month}/index.html"))).unwrap();
        assert_eq!(shown(&page), expected_on(&all, &last_day), "{month}");
    }
}

/// The cells of each row of the first table on a page, as text.
fn table_rows(html: &str) -> Vec<Vec<String>> {
    let body = html.split("<tbody>").nth(1).unwrap_or("");
    let body = body.split("</tbody>").next().unwrap_or("");
    body.split("<tr")
        .skip(1)
        .map(|row| {
            row.split("<td")
                .skip(1)
                .map(|cell| text(&format!("<td{}", cell.split("</td>").next().unwrap_or(""))))
                .collect()
        })
        .collect()
}

#[test]
fn the_monthly_reports_and_the_deadlines_recompute_from_the_open_data() {
    let (_dir, out) = build_default();
    let agencies = read_csv(&out.join("du-lieu/co-quan.csv"));
    let sum = |col: &str| -> usize {
        agencies
            .iter()
            .map(|a| a[col].parse::<usize>().unwrap())
            .sum()
    };

    // The reports index: each month's duties; over all months, what the
    // agencies' table counts.
    let index = std::fs::read_to_string(out.join("bao-cao/index.html")).unwrap();
    let rows = table_rows(&index);
    assert!(!rows.is_empty());
    let (mut on_time, mut owed, mut late, mut missing) = (0, 0, 0, 0);
    for row in &rows {
        let (a, b) = row[2].split_once('/').unwrap();
        on_time += a.parse::<usize>().unwrap();
        owed += b.parse::<usize>().unwrap();
        late += row[3].parse::<usize>().unwrap();
        missing += row[4].parse::<usize>().unwrap();
        // The month's own page says the same.
        let month = &row[0];
        let key = {
            let (m, y) = month.trim_start_matches("tháng ").split_once('/').unwrap();
            format!("{y}-{m}")
        };
        let page =
            text(&std::fs::read_to_string(out.join(format!("bao-cao/{key}/index.html"))).unwrap());
        assert!(
            page.contains(&format!(
                "Đúng hạn: {} · Muộn: {} · Chưa báo cáo: {}",
                row[2], row[3], row[4]
            )),
            "{key}"
        );
        // Tasks finished in the month: done_on in it, as the month's end
        // knew it (its archived task table), or as D knows it.
        let archived = out.join(format!("du-lieu/luu-tru/{key}/nhiem-vu.csv"));
        let table = if archived.is_file() {
            read_csv(&archived)
        } else {
            read_csv(&out.join("du-lieu/nhiem-vu.csv"))
        };
        let finished = table
            .iter()
            .filter(|t| t["done_on"].starts_with(&key))
            .count();
        assert_eq!(
            row[5].parse::<usize>().unwrap(),
            finished,
            "{key}: finished"
        );
    }
    assert_eq!(
        (on_time, owed, late, missing),
        (
            sum("reports_on_time"),
            sum("reports_owed"),
            sum("reports_late"),
            sum("reports_missing")
        )
    );

    // The deadlines by month: the tasks whose deadline in force falls in it.
    let tasks = read_csv(&out.join("du-lieu/nhiem-vu.csv"));
    let deadlines = std::fs::read_to_string(out.join("han-chot/index.html")).unwrap();
    let nav = deadlines.split("aria-label=\"Các tháng\"").nth(1).unwrap();
    let nav = nav.split("</nav>").next().unwrap();
    let mut months = 0;
    for item in nav.split("#thang-").skip(1) {
        let key = &item[..7];
        let shown: usize = item
            .split('(')
            .nth(1)
            .and_then(|x| x.split(')').next())
            .unwrap()
            .parse()
            .unwrap();
        let due = tasks
            .iter()
            .filter(|t| t["deadline"].starts_with(key))
            .count();
        assert_eq!(shown, due, "{key}");
        months += 1;
    }
    assert!(months > 3);
}

/// An article's front matter, as the test reads it from its file.
#[derive(serde::Deserialize)]
struct Front {
    date: String,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    tasks: Vec<String>,
    #[serde(default)]
    kpis: Vec<String>,
    #[serde(default)]
    draft: bool,
}

/// The slugs of the articles `html` links to between `from` and the next
/// `</section>` or `</ul>` after it, in page order.
fn linked_articles(html: &str, from: &str) -> Vec<String> {
    let Some(start) = html.find(from) else {
        return Vec::new();
    };
    let rest = &html[start..];
    let end = ["</section>", "</ul>"]
        .iter()
        .filter_map(|e| rest.find(e))
        .min()
        .unwrap_or(rest.len());
    rest[..end]
        .split("href=\"/tin-tuc/")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter(|s| !s.is_empty() && !s.starts_with("trang/"))
        .map(|s| s.trim_end_matches('/').to_string())
        .collect()
}

/// News pages list what the articles' own files say: the news list holds
/// every published article, newest first (then by slug); a tag page the
/// articles with that tag; a task or KPI page the articles naming it; the
/// dashboard the first three of the list. The figures of a news page are
/// its lists (no open-data table holds articles), so they are recomputed
/// from the Markdown sources.
#[test]
fn news_pages_list_what_the_articles_say() {
    let (_dir, out) = build_default();
    let page = |rel: &str| std::fs::read_to_string(out.join(rel)).unwrap();
    let mut articles: Vec<(String, Front)> = Vec::new();
    for entry in std::fs::read_dir(repo().join("content/news")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let Some(slug) = name.strip_suffix(".md") else {
            continue;
        };
        if slug.contains('.') {
            continue; // another language's version of the same article
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let yaml = text.split("---").nth(1).unwrap();
        let front: Front = serde_saphyr::from_str(yaml).unwrap();
        if !front.draft {
            articles.push((slug.to_string(), front));
        }
    }
    assert!(articles.len() >= 3, "the default content has news");
    articles.sort_by(|a, b| b.1.date.cmp(&a.1.date).then(a.0.cmp(&b.0)));
    let slugs = |pick: &dyn Fn(&Front) -> bool| -> Vec<String> {
        articles
            .iter()
            .filter(|(_, f)| pick(f))
            .map(|(s, _)| s.clone())
            .collect()
    };
    let all = slugs(&|_| true);
    // The news list (one page for the default content).
    assert_eq!(
        linked_articles(&page("tin-tuc/index.html"), "<ul class=\"articles\">"),
        all
    );
    // The dashboard's latest news.
    let latest: Vec<String> = all.iter().take(3).cloned().collect();
    assert_eq!(
        linked_articles(&page("index.html"), "id=\"tin-moi\""),
        latest
    );
    // Each tag page.
    let mut tags: Vec<&String> = articles.iter().flat_map(|(_, f)| &f.tags).collect();
    tags.sort();
    tags.dedup();
    for tag in tags {
        let html = page(&format!("chu-de/{tag}/index.html"));
        assert_eq!(
            linked_articles(&html, "aria-labelledby=\"tin\""),
            slugs(&|f| f.tags.contains(tag)),
            "tag {tag}"
        );
    }
    // Each task and KPI page: the articles naming it, or none.
    for (table, folder, key) in [
        ("nhiem-vu.csv", "nhiem-vu", true),
        ("chi-tieu.csv", "chi-tieu", false),
    ] {
        for row in read_csv(&out.join("du-lieu").join(table)) {
            let id = &row["id"];
            let html = page(&format!("{folder}/{id}/index.html"));
            let expected = slugs(&|f| {
                if key {
                    f.tasks.contains(id)
                } else {
                    f.kpis.contains(id)
                }
            });
            assert_eq!(
                linked_articles(&html, "id=\"tin-lien-quan\""),
                expected,
                "{folder}/{id}"
            );
        }
    }
}

/// Each plan page's headline and counts are its tasks' rows in the open
/// data (a plan's page counts the tasks of the plan itself); each status
/// list holds exactly the tasks with that status, and the overdue list is
/// ordered most late first.
#[test]
fn plan_pages_and_status_lists_recompute_from_the_open_data() {
    let (_dir, out) = build_default();
    let page = |rel: &str| std::fs::read_to_string(out.join(rel)).unwrap();
    let tasks = read_csv(&out.join("du-lieu/nhiem-vu.csv"));
    let mut plans: Vec<&str> = tasks.iter().map(|t| t["plan"].as_str()).collect();
    plans.sort_unstable();
    plans.dedup();
    let mut checked = 0;
    for plan in plans {
        let rows: Vec<&HashMap<String, String>> =
            tasks.iter().filter(|t| t["plan"] == plan).collect();
        let html = page(&format!("ke-hoach/{plan}/index.html"));
        if !html.contains("<ul class=\"headline\">") {
            continue;
        }
        assert_eq!(shown(&html), expected(&rows), "{plan}");
        // The plan's card on the list of plans says the same.
        assert!(
            text(&page("ke-hoach/index.html")).contains(&expected(&rows).done_line),
            "{plan}'s card"
        );
        checked += 1;
    }
    assert!(checked >= 1, "a plan page checked");
    // The status lists.
    let ids = |html: &str| -> Vec<String> {
        html.split("<tr data-id=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
            .map(str::to_string)
            .collect()
    };
    for code in STATUSES {
        let Some(slug) = tiendo::route::status_view_slug(code) else {
            panic!("{code} has a view");
        };
        let path = out.join(format!("nhiem-vu/{slug}/index.html"));
        let mut want: Vec<&HashMap<String, String>> =
            tasks.iter().filter(|t| t["status"] == code).collect();
        if !path.is_file() {
            assert!(want.is_empty(), "{code}: {} tasks, no list", want.len());
            continue;
        }
        let shown = ids(&std::fs::read_to_string(&path).unwrap());
        let mut got = shown.clone();
        got.sort();
        let mut set: Vec<String> = want.iter().map(|t| t["id"].clone()).collect();
        set.sort();
        assert_eq!(got, set, "{code}");
        if code == "overdue" {
            want.sort_by_key(|t| std::cmp::Reverse(t["days_late"].parse::<i64>().unwrap()));
            let late: Vec<i64> = shown
                .iter()
                .map(|id| {
                    want.iter().find(|t| &t["id"] == id).unwrap()["days_late"]
                        .parse()
                        .unwrap()
                })
                .collect();
            assert!(late.windows(2).all(|w| w[0] >= w[1]), "{late:?}");
        }
    }
}
