//! English content and the translators' workbook on the default site:
//! `export translations` writes every text, a workbook filled in by
//! another writer comes back through `import` into the YAML files with
//! their comments and layout, the English pages show the new title, an
//! untranslated text is shown in Vietnamese marked `lang="vi"`, problems
//! are named at their cell, and `check --lang en` counts what is left.

mod common;

use calamine::Reader;
use common::Run;
use std::path::{Path, PathBuf};

fn tiendo(args: &[&str], root: &Path) -> Run {
    let mut args = args.to_vec();
    args.extend(["--lang", "en"]);
    common::tiendo(&args, root)
}

fn default_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    for entry in walkdir::WalkDir::new(&from) {
        let entry = entry.unwrap();
        let to = dir
            .path()
            .join("content")
            .join(entry.path().strip_prefix(&from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
    dir
}

/// The default site with its tasks' and reports' English taken out (the
/// groups, agencies, KPIs, site and plan title keep theirs): the texts a
/// translator has still to do in these tests.
fn untranslated_site() -> tempfile::TempDir {
    let dir = default_site();
    let content = dir.path().join("content");
    for entry in walkdir::WalkDir::new(&content) {
        let path = entry.unwrap().into_path();
        let in_tasks = path.ends_with(PLAN.trim_start_matches("content/"));
        if !(in_tasks || path.starts_with(content.join("reports"))) || path.is_dir() {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, without_english(&text)).unwrap();
    }
    dir
}

/// YAML text without its indented `*_en:` entries (a block scalar's lines
/// with them).
fn without_english(text: &str) -> String {
    let indent = |l: &str| l.len() - l.trim_start().len();
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut out = String::new();
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i];
        let key = l.trim_start().split(':').next().unwrap_or("");
        if indent(l) > 0 && key.ends_with("_en") && !key.contains(' ') {
            let at = indent(l);
            i += 1;
            // Continuation lines: deeper, or blank inside the block.
            while i < lines.len() {
                let next = lines[i];
                let deeper = |x: &str| !x.trim().is_empty() && indent(x) > at;
                let blank_inside = next.trim().is_empty()
                    && lines[i..]
                        .iter()
                        .find(|x| !x.trim().is_empty())
                        .is_some_and(|x| deeper(x));
                if deeper(next) || blank_inside {
                    i += 1;
                } else {
                    break;
                }
            }
            continue;
        }
        out.push_str(l);
        i += 1;
    }
    out
}

const PLAN: &str = "content/plans/kl-2025-02.yaml";
const TASK: &str = "hoan-thien-du-thao";
const REPORT: &str = "content/reports/2025-05/bao-hai-duong.yaml";
const NOTE: &str = "update/2025-05/bao-hai-duong/chuyen-muc-chuyen-doi-so";
const TITLE_EN: &str =
    "Collect comments and finalise the draft reports to the Provincial People's Committee";

/// The rows of a translators' workbook: id, field, Vietnamese, English.
fn rows(book: &Path) -> Vec<[String; 4]> {
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(book).unwrap();
    assert!(wb.sheet_names().iter().any(|n| n == "Hướng dẫn"));
    let range = wb.worksheet_range("Bản dịch").unwrap();
    range
        .rows()
        .map(|r| {
            let cell = |c: usize| r.get(c).map(|d| d.to_string()).unwrap_or_default();
            [cell(0), cell(1), cell(2), cell(3)]
        })
        .collect()
}

/// The workbook as another spreadsheet program would save it, with these
/// rows (the header first).
fn write_rows(book: &Path, rows: &[[String; 4]]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Bản dịch").unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r as u32, c as u16, v).unwrap();
            }
        }
    }
    wb.save(book).unwrap();
}

fn set_english(rows: &mut [[String; 4]], id: &str, field: &str, en: &str) {
    let row = rows
        .iter_mut()
        .find(|r| r[0] == id && r[1] == field)
        .unwrap_or_else(|| panic!("no row {id} {field}"));
    row[3] = en.to_string();
}

fn export(site: &Path, dir: &Path) -> PathBuf {
    let book = dir.join("ban-dich.xlsx");
    let run = tiendo(
        &["export", "translations", "--xlsx", book.to_str().unwrap()],
        site,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("without English"), "{}", run.stdout);
    book
}

fn build(site: &Path, out: &Path) {
    let run = tiendo(&["build", "--output", out.to_str().unwrap()], site);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

fn page(out: &Path, path: &str) -> String {
    std::fs::read_to_string(out.join(path).join("index.html")).unwrap()
}

#[test]
fn a_title_filled_in_a_workbook_reaches_the_english_task_page() {
    let site = untranslated_site();
    let dir = tempfile::tempdir().unwrap();
    let book = export(site.path(), dir.path());
    let mut all = rows(&book);
    assert_eq!(
        all[0],
        ["id", "trường", "Tiếng Việt", "English"].map(String::from)
    );
    assert!(
        all.iter()
            .any(|r| r[0] == "plan/kl-2025-02" && r[1] == "title" && !r[3].is_empty())
    );
    assert!(
        all.iter()
            .any(|r| r[0].starts_with("update/") && r[1] == "note")
    );
    let id = format!("task/{TASK}");
    set_english(&mut all, &id, "title", TITLE_EN);
    set_english(
        &mut all,
        &id,
        "description",
        "First paragraph.\n\nSecond: with a colon.",
    );
    set_english(
        &mut all,
        NOTE,
        "note",
        "Four articles on electronic medical records.",
    );
    let filled = dir.path().join("filled.xlsx");
    write_rows(&filled, &all);

    let before = std::fs::read_to_string(site.path().join(PLAN)).unwrap();
    let run = tiendo(&["import", filled.to_str().unwrap()], site.path());
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("kl-2025-02.yaml: 2 translation(s) added, 0 replaced"),
        "{}",
        run.stdout
    );
    let report = std::fs::read_to_string(site.path().join(REPORT)).unwrap();
    assert!(
        report.contains(
            "    note: \"Đăng 4 bài về bệnh án điện tử.\"\n    note_en: Four articles on electronic medical records.\n"
        ),
        "{report}"
    );
    // Two entries inserted after their Vietnamese fields, at the task's
    // indentation; every other line (comments included) as it was.
    let after = std::fs::read_to_string(site.path().join(PLAN)).unwrap();
    let expected = before
        .replacen(
            "    title: Tổng hợp ý kiến, hoàn thiện các dự thảo báo cáo UBND tỉnh\n",
            &format!(
                "    title: Tổng hợp ý kiến, hoàn thiện các dự thảo báo cáo UBND tỉnh\n    title_en: {TITLE_EN}\n"
            ),
            1,
        )
        .replacen(
            "      quả, đáp ứng tốt yêu cầu thực tiễn.\n",
            "      quả, đáp ứng tốt yêu cầu thực tiễn.\n    description_en: |-\n      First paragraph.\n\n      Second: with a colon.\n",
            1,
        );
    assert_eq!(after, expected);

    let out = dir.path().join("out");
    build(site.path(), &out);
    let en = page(&out, &format!("en/nhiem-vu/{TASK}"));
    let escaped = TITLE_EN.replace('\'', "&#39;");
    assert!(
        en.contains(&format!("<h1>{escaped}</h1>")),
        "no English title"
    );
    assert!(
        en.contains("<p>Second: with a colon.</p>"),
        "no English description"
    );
    let month = page(&out, "en/bao-cao/2025-05");
    assert!(
        month.contains("<div class=\"prose\"><p>Four articles on electronic medical records.</p>"),
        "{}",
        month
            .lines()
            .filter(|l| l.contains("Four"))
            .collect::<String>()
    );
    let vi = page(&out, &format!("nhiem-vu/{TASK}"));
    assert!(vi.contains("<h1>Tổng hợp ý kiến, hoàn thiện các dự thảo báo cáo UBND tỉnh</h1>"));
    // Its result is not translated: Vietnamese, marked as such.
    assert!(en.contains(
        "<span lang=\"vi\">Các dự thảo được hoàn thiện trên cơ sở ý kiến góp ý, báo cáo UBND tỉnh</span>"
    ));
    // Another task, untranslated: its title in Vietnamese, marked.
    let other = page(&out, "en/nhiem-vu/chuong-trinh-cong-tac-2025");
    assert!(other.contains(
        "<h1 lang=\"vi\">Xây dựng Chương trình công tác năm 2025 của các Ban Chỉ đạo</h1>"
    ));
    // In the English search index too: the untranslated title's row says
    // "vi", the translated one's does not.
    let rows: Vec<serde_json::Value> = std::fs::read_dir(out.join("en/tim-kiem/muc"))
        .unwrap()
        .flat_map(|f| {
            let bytes = std::fs::read(f.unwrap().path()).unwrap();
            serde_json::from_slice::<Vec<serde_json::Value>>(&bytes).unwrap()
        })
        .collect();
    let row = |url: &str| {
        rows.iter()
            .find(|r| r[0] == url)
            .unwrap_or_else(|| panic!("no search entry {url}"))
            .clone()
    };
    let other = row("/en/nhiem-vu/chuong-trinh-cong-tac-2025/");
    assert_eq!(
        other[1],
        "Xây dựng Chương trình công tác năm 2025 của các Ban Chỉ đạo"
    );
    assert_eq!(other.get(5).and_then(|l| l.as_str()), Some("vi"), "{other}");
    let translated = row(&format!("/en/nhiem-vu/{TASK}/"));
    assert_eq!(translated[1], TITLE_EN);
    assert!(translated.get(5).is_none(), "{translated}");

    // The same workbook again writes nothing.
    let again = tiendo(&["import", filled.to_str().unwrap()], site.path());
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        again.stdout.contains("Nothing to write"),
        "{}",
        again.stdout
    );
    assert_eq!(
        std::fs::read_to_string(site.path().join(PLAN)).unwrap(),
        after
    );
}

#[test]
fn check_in_english_ends_with_what_is_left_to_translate() {
    let site = default_site();
    let run = tiendo(&["check"], site.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let last = run.stdout.lines().last().unwrap_or("");
    // The default content has English for every text.
    assert!(
        last.starts_with("0 of ") && last.contains("texts have no English translation yet"),
        "{last}"
    );
    let untranslated = untranslated_site();
    let run = tiendo(&["check"], untranslated.path());
    let last = run.stdout.lines().last().unwrap_or("");
    assert!(
        !last.starts_with("0 of ") && last.contains("texts have no English translation yet"),
        "{last}"
    );
    let vi = common::tiendo(&["check", "--lang", "vi"], site.path());
    assert!(!vi.stdout.contains("bản dịch"), "{}", vi.stdout);
}

#[test]
fn an_emptied_cell_keeps_the_translation_and_a_filled_one_replaces_it() {
    let site = default_site();
    let dir = tempfile::tempdir().unwrap();
    let book = export(site.path(), dir.path());
    let mut all = rows(&book);
    set_english(&mut all, "plan/kl-2025-02", "title", "");
    set_english(
        &mut all,
        "kpi/ioc-soc-van-hanh",
        "unit",
        "operations centres",
    );
    set_english(&mut all, "site", "description", "Who leads, what, by when.");
    write_rows(&book, &all);
    let site_yaml = std::fs::read_to_string(site.path().join("content/site.yaml")).unwrap();
    let before = std::fs::read_to_string(site.path().join(PLAN)).unwrap();
    let run = tiendo(&["import", book.to_str().unwrap()], site.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("the translation is kept"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout
            .contains("kpis.yaml: 0 translation(s) added, 1 replaced"),
        "{}",
        run.stdout
    );
    assert_eq!(
        std::fs::read_to_string(site.path().join(PLAN)).unwrap(),
        before
    );
    let kpis = std::fs::read_to_string(site.path().join("content/kpis.yaml")).unwrap();
    assert!(
        kpis.contains("    unit: trung tâm\n    unit_en: operations centres\n"),
        "{kpis}"
    );
    // A block of three lines replaced by one line; the lines around kept.
    let start = site_yaml.find("description_en: >-\n").unwrap();
    let end = start + site_yaml[start..].find("base_url:").unwrap();
    let expected = format!(
        "{}description_en: Who leads, what, by when.\n{}",
        &site_yaml[..start],
        &site_yaml[end..]
    );
    let now = std::fs::read_to_string(site.path().join("content/site.yaml")).unwrap();
    assert_eq!(now, expected);
}

#[test]
fn workbook_problems_are_named_at_their_cell_and_nothing_is_written() {
    let site = untranslated_site();
    let dir = tempfile::tempdir().unwrap();
    let book = export(site.path(), dir.path());
    let mut all = rows(&book);
    let n = all.len();
    set_english(&mut all, &format!("task/{TASK}"), "title", "Fine");
    all.push([
        "task/khong-co".into(),
        "title".into(),
        String::new(),
        "X".into(),
    ]);
    all.push([
        format!("task/{TASK}"),
        "deadline".into(),
        String::new(),
        "X".into(),
    ]);
    let group = all.iter().position(|r| r[0].starts_with("group/")).unwrap();
    all[group][3] = "Bell\u{7}".into();
    write_rows(&book, &all);
    let before = std::fs::read_to_string(site.path().join(PLAN)).unwrap();
    let run = tiendo(&["import", book.to_str().unwrap()], site.path());
    assert_eq!(run.code, 1, "{}", run.stdout);
    let b = book.display();
    for line in [
        format!(
            "{b}:Bản dịch!A{}: error: the site has no text `task/khong-co`",
            n + 1
        ),
        format!(
            "{b}:Bản dịch!B{}: error: `task/{TASK}` has no text `deadline` to translate; its texts are: title, description, result, responsible",
            n + 2
        ),
        format!(
            "{b}:Bản dịch!D{}: error: the text holds a control character (U+0007)",
            group + 1
        ),
    ] {
        assert!(run.stderr.contains(&line), "missing {line}\n{}", run.stderr);
    }
    assert_eq!(
        std::fs::read_to_string(site.path().join(PLAN)).unwrap(),
        before
    );
}

#[test]
fn the_schemas_know_the_english_fields() {
    let all = tiendo::editor::schema::schemas();
    let text = |name: &str| {
        all.iter()
            .find(|(n, _)| n.starts_with(name))
            .map(|(_, t)| t.clone())
            .unwrap()
    };
    for key in [
        "\"title_en\"",
        "\"description_en\"",
        "\"result_en\"",
        "\"responsible_en\"",
    ] {
        assert!(text("plan").contains(key), "plan schema lacks {key}");
    }
    assert!(text("report").contains("\"note_en\""));
    for key in ["\"name_en\"", "\"unit_en\"", "\"definition_en\""] {
        assert!(text("kpis").contains(key), "kpis schema lacks {key}");
    }
    for key in ["\"name_en\"", "\"leader_en\""] {
        assert!(
            text("agencies").contains(key),
            "agencies schema lacks {key}"
        );
    }
}

#[test]
fn the_english_fields_of_the_model_are_read() {
    let site = common::site_with(&[]);
    let plan = std::fs::read_dir(site.path().join("content/plans"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let text = std::fs::read_to_string(&plan).unwrap();
    let first = text.find("    title:").expect("a task title");
    let mut edited = text.clone();
    edited.insert_str(
        first,
        "    description_en: \"**Bold** text\"\n    result_en: A result\n    responsible_en: The director\n",
    );
    std::fs::write(&plan, edited).unwrap();
    let run = tiendo(&["check"], site.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn a_workbook_may_hold_some_kinds_or_only_what_lacks_english() {
    let site = untranslated_site();
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("kpi.xlsx");
    let run = tiendo(
        &[
            "export",
            "translations",
            "--xlsx",
            book.to_str().unwrap(),
            "--only",
            "kpi,task",
            "--missing",
        ],
        site.path(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let all = rows(&book);
    assert!(all.len() > 1);
    for r in &all[1..] {
        assert!(
            r[0].starts_with("kpi/") || r[0].starts_with("task/"),
            "{r:?}"
        );
        assert!(r[3].is_empty(), "{r:?} has English");
    }
    // The KPI names are translated, the tasks' titles not (taken out).
    assert!(
        !all.iter()
            .any(|r| r[1] == "name" && r[0].starts_with("kpi/"))
    );
    assert!(
        all.iter()
            .any(|r| r[1] == "title" && r[0] == format!("task/{TASK}"))
    );
    let bad = dir.path().join("bad.xlsx");
    let run = tiendo(
        &[
            "export",
            "translations",
            "--xlsx",
            bad.to_str().unwrap(),
            "--only",
            "tasks",
        ],
        site.path(),
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("`tasks` is not a kind of text"),
        "{}",
        run.stderr
    );
    assert!(!bad.exists());
}
