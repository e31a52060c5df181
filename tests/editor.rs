//! The editors' tools on real sites: `new report|article|task` write files
//! that pass `check` after the expected edit and never overwrite; report
//! workbooks go out and come back unchanged; workbook problems name their
//! cell; `schema` writes every schema.

mod common;

use common::*;
use std::path::{Path, PathBuf};
use tiendo::date::Period;
use tiendo::editor::{self, xlsx};

/// The binary with its messages in English, which these tests assert.
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

fn opts(root: &Path) -> tiendo::Options {
    tiendo::Options {
        root: root.to_path_buf(),
        output: None,
        as_of: None,
        fallback_date: tiendo::date::parse_date("2025-06-25").unwrap(),
        base_url: None,
        drafts: true,
        lang: Some(tiendo::Lang::En),
        force: false,
        previous: None,
        no_cache: false,
    }
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap()
}

/// Every report of a site as the drafts tiendo reads from it.
fn all_reports(root: &Path) -> Vec<editor::ReportDraft> {
    let m = editor::load_model(&opts(root)).unwrap();
    m.reports
        .iter()
        .map(|r| editor::existing_report(&m, &r.agency, r.period).unwrap())
        .collect()
}

#[test]
fn new_report_for_every_agency_checks_once_submitted_is_filled_in() {
    let site = default_site();
    let m = editor::load_model(&opts(site.path())).unwrap();
    // The default content is as of 25/06/2025: the report due next is July's.
    let mut written = 0;
    let mut with_updates = 0;
    for a in &m.agencies {
        let run = tiendo(&["new", "report", "--agency", &a.id], site.path());
        if a.succession.is_some() {
            assert_eq!(run.code, 2, "{}: {}", a.id, run.stderr);
            assert!(run.stderr.contains("no longer reports"), "{}", run.stderr);
            continue;
        }
        assert_eq!(run.code, 0, "{}: {}", a.id, run.stderr);
        let path = site
            .path()
            .join(format!("content/reports/2025-07/{}.yaml", a.id));
        let text = read(&path);
        assert!(
            text.starts_with(
                "# yaml-language-server: $schema=../../../schemas/report.schema.json\n"
            )
        );
        assert!(text.contains("\nsubmitted:  # ngày gửi báo cáo"), "{text}");
        with_updates += usize::from(text.contains("  - task: "));
        // Never overwrites.
        let again = tiendo(&["new", "report", "--agency", &a.id], site.path());
        assert_eq!(again.code, 2);
        assert!(again.stderr.contains("already exists"), "{}", again.stderr);
        assert_eq!(read(&path), text);
        // Before the edit the report is incomplete.
        let before = tiendo(&["check"], site.path());
        assert_eq!(before.code, 1, "{}", before.stderr);
        assert!(before.stderr.contains(&format!(
            "2025-07/{}.yaml: error: the report has no `submitted`",
            a.id
        )));
        written += 1;
    }
    // Editors fill them in later: the pending reports did not stop the next
    // ones. A KPI's value is never pre-filled: only the editor's own figure
    // (here the last one again, taken from the comment) makes it check.
    let mut kpi_forms = 0;
    for a in m.agencies.iter().filter(|a| a.succession.is_none()) {
        let path = site
            .path()
            .join(format!("content/reports/2025-07/{}.yaml", a.id));
        let mut text = read(&path).replace("\nsubmitted:  #", "\nsubmitted: 2025-07-18  #");
        while let Some(at) = text.find("\n    value:   # ") {
            let line = &text[at + 1..];
            let line = &line[..line.find('\n').unwrap()];
            let last = line.split("lần trước: ").nth(1).unwrap();
            let last = last.split(' ').next().unwrap().to_string();
            let filled = format!("    value: {last}");
            text = text.replacen(line, &filled, 1);
            kpi_forms += 1;
        }
        text = text.replace("    date:    #", "    date: 2025-07-15  #");
        std::fs::write(&path, text).unwrap();
    }
    assert!(kpi_forms > 5, "{kpi_forms}");
    assert!(written > 10 && with_updates > 5, "{written} {with_updates}");
    let after = tiendo(&["check"], site.path());
    assert_eq!(after.code, 0, "{}", after.stderr);
    assert!(!after.stderr.contains("2025-07/"), "{}", after.stderr);
}

#[test]
fn new_report_carries_the_last_state_and_kpi_values_forward() {
    let site = default_site();
    let m = editor::load_model(&opts(site.path())).unwrap();
    let june = Period::parse("2025-06").unwrap();
    let draft = editor::prefill_report(&m, "so-khcn", Period::parse("2025-07").unwrap()).unwrap();
    let last = editor::existing_report(&m, "so-khcn", june).unwrap();
    // What so-khcn reported in June is July's starting point.
    for u in &last.updates {
        if u.state == tiendo::model::TaskState::Done {
            assert!(draft.updates.iter().all(|d| d.task != u.task), "{}", u.task);
        } else {
            let d = draft.updates.iter().find(|d| d.task == u.task).unwrap();
            assert_eq!((d.state, d.progress), (u.state, u.progress), "{}", u.task);
        }
    }
    // A KPI's last value is shown, never written as this month's.
    for v in &last.kpis {
        let d = draft.kpis.iter().find(|d| d.kpi == v.kpi).unwrap();
        assert_eq!(d.last.map(|(_, x)| x), v.value, "{}", v.kpi);
        assert_eq!((d.date, d.value), (None, None), "{}", v.kpi);
    }
    // An unknown agency is a usage error with a suggestion.
    let run = tiendo(&["new", "report", "--agency", "so-khcnn"], site.path());
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("did you mean `so-khcn`"),
        "{}",
        run.stderr
    );
    // ... told in Vietnamese, the site's first language, without --lang.
    let run = common::tiendo(&["new", "report", "--agency", "so-khcnn"], site.path());
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr.trim_end(),
        "lỗi: không có cơ quan `so-khcnn` trong content/agencies.yaml; có phải ý bạn là `so-khcn`?"
    );
}

#[test]
fn new_article_checks_as_a_draft_and_once_published() {
    let site = default_site();
    let run = tiendo(&["new", "article", "Tiêu đề bài mới"], site.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let path = site.path().join("content/news/tieu-de-bai-moi.md");
    let text = read(&path);
    assert!(
        text.contains("title: \"Tiêu đề bài mới\"\ndate: 2025-06-25\n"),
        "{text}"
    );
    assert_eq!(tiendo(&["check"], site.path()).code, 0);
    std::fs::write(&path, text.replace("draft: true", "summary: Tóm tắt")).unwrap();
    let run = tiendo(&["check"], site.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let again = tiendo(&["new", "article", "Tiêu đề bài mới"], site.path());
    assert_eq!(again.code, 2);
}

#[test]
fn new_task_fails_check_until_filled_in() {
    let site = default_site();
    let run = tiendo(&["new", "task", "--plan", "kl-2025-02"], site.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let path = site.path().join("content/plans/kl-2025-02.yaml");
    let check = tiendo(&["check"], site.path());
    assert_eq!(check.code, 1);
    assert!(
        check.stderr.contains("a task has no `title`"),
        "{}",
        check.stderr
    );
    let text = read(&path)
        .replace("    title:         #", "    title: Việc mới #")
        .replace("    lead:          #", "    lead: so-khcn #")
        .replace("    deadline:      #", "    deadline: 2025-12-31 #")
        .replace("    result:        #", "    result: Xong #")
        .replace("    responsible:   #", "    responsible: Giám đốc Sở #");
    std::fs::write(&path, text).unwrap();
    let check = tiendo(&["check"], site.path());
    assert_eq!(check.code, 0, "{}", check.stderr);
    let again = tiendo(&["new", "task", "--plan", "kl-2025-02"], site.path());
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(read(&path).contains("  - id: nhiem-vu-moi-2 "));
}

#[test]
fn every_default_report_survives_export_and_import() {
    let site = default_site();
    let before = all_reports(site.path());
    assert!(before.len() > 50);
    // Every report: workbook out, workbook in, YAML written as `import` writes it.
    for r in &before {
        let book = xlsx::write_report(r).unwrap();
        let back = xlsx::read_report(&book)
            .map_err(|e| format!("{}: {e:?}", r.agency))
            .unwrap();
        let rel = editor::report_path(back.period, &back.agency);
        std::fs::write(site.path().join(rel), editor::report_yaml(&back, false).0).unwrap();
    }
    assert_eq!(all_reports(site.path()), before);
    // And through the command line, with every rule of `check`, for one.
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("so-khcn.xlsx");
    let b = book.to_str().unwrap();
    let run = tiendo(
        &[
            "export", "report", "--agency", "so-khcn", "--period", "2025-05", "--xlsx", b,
        ],
        site.path(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let again = tiendo(
        &[
            "export", "report", "--agency", "so-khcn", "--period", "2025-05", "--xlsx", b,
        ],
        site.path(),
    );
    assert_eq!(again.code, 2, "never overwrites a workbook");
    // A report still waiting for its `submitted` elsewhere is no bar to
    // exporting this one; an error in this one is.
    let pending = tiendo(&["new", "report", "--agency", "so-khcn"], site.path());
    assert_eq!(pending.code, 0, "{}", pending.stderr);
    let other = dir.path().join("so-y-te.xlsx");
    let run = tiendo(
        &[
            "export",
            "report",
            "--agency",
            "so-y-te",
            "--period",
            "2025-04",
            "--xlsx",
            other.to_str().unwrap(),
        ],
        site.path(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    std::fs::remove_file(site.path().join("content/reports/2025-07/so-khcn.yaml")).unwrap();
    let run = tiendo(&["import", b, "--force"], site.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(all_reports(site.path()), before);
    assert_eq!(tiendo(&["check"], site.path()).code, 0);
}

fn book_path(dir: &Path, name: &str) -> PathBuf {
    dir.join(name)
}

/// A workbook in the layout tiendo writes, made by another writer, with
/// the updates rows and submitted cell given as text.
fn foreign_book(path: &Path, submitted: &str, rows: &[[&str; 5]]) {
    use rust_xlsxwriter::Workbook;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Báo cáo").unwrap();
    for (r, (k, v)) in [
        ("agency", "so-khcn"),
        ("period", "2025-06"),
        ("submitted", submitted),
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(r as u32 + 1, 0, *k).unwrap();
        ws.write_string(r as u32 + 1, 1, *v).unwrap();
    }
    let ws = wb.add_worksheet();
    ws.set_name("Nhiệm vụ").unwrap();
    for (r, row) in rows.iter().enumerate() {
        // task, title, state, progress, done_on
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r as u32 + 1, c as u16, *v).unwrap();
            }
        }
    }
    wb.add_worksheet().set_name("Chỉ số").unwrap();
    wb.save(path).unwrap();
}

#[test]
fn workbook_problems_name_their_cells() {
    let site = default_site();
    std::fs::remove_file(site.path().join("content/reports/2025-06/so-khcn.yaml")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let book = book_path(dir.path(), "so-khcn.xlsx");
    foreign_book(
        &book,
        "31/06/2025",
        &[
            ["dong-bo-dvc-quoc-gia", "", "xong rồi", "chín mươi", ""],
            ["binh-dan-hoc-vu-so", "", "Hoàn thành", "", "2025-13-01"],
        ],
    );
    let run = tiendo(&["import", book.to_str().unwrap()], site.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    let b = book.display();
    for line in [
        format!("{b}:Báo cáo!B4: error: `31/06/2025` is not a date: 06/2025 has 30 days"),
        format!(
            "{b}:Nhiệm vụ!C2: error: `xong rồi` is not a state: choose one from the list (Chưa triển khai, Đang thực hiện, Vướng mắc, Hoàn thành)"
        ),
        format!("{b}:Nhiệm vụ!D2: error: `chín mươi` is not a number: write it as 80, 78.5 or 80%"),
        format!("{b}:Nhiệm vụ!E3: error: `2025-13-01` is not a date: there is no month 13"),
    ] {
        assert!(
            run.stderr.lines().any(|l| l == line),
            "{line}\n{}",
            run.stderr
        );
    }
    // A rule of `check` names the cell too: progress out of range.
    foreign_book(
        &book,
        "19/06/2025",
        &[["dong-bo-dvc-quoc-gia", "", "in_progress", "150", ""]],
    );
    let run = tiendo(&["import", book.to_str().unwrap()], site.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.lines().any(|l| l.starts_with(&format!(
            "{b}:Nhiệm vụ!D2: error: progress 150 is outside 0..100"
        ))),
        "{}",
        run.stderr
    );
    assert!(
        !site
            .path()
            .join("content/reports/2025-06/so-khcn.yaml")
            .exists()
    );
    // Text dates and percentages are fine.
    foreign_book(
        &book,
        "19/06/2025",
        &[["dong-bo-dvc-quoc-gia", "", "Đang thực hiện", "95%", ""]],
    );
    let run = tiendo(&["import", book.to_str().unwrap()], site.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let yaml = read(&site.path().join("content/reports/2025-06/so-khcn.yaml"));
    assert!(yaml.contains("submitted: 2025-06-19\n"), "{yaml}");
    assert!(
        yaml.contains("    state: in_progress\n    progress: 95\n"),
        "{yaml}"
    );
    // Never replaced without --force.
    let run = tiendo(&["import", book.to_str().unwrap()], site.path());
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--force"), "{}", run.stderr);
}

#[test]
fn new_report_as_a_workbook_imports_once_submitted() {
    let site = default_site();
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("bc.xlsx");
    let b = book.to_str().unwrap();
    let run = tiendo(
        &[
            "new", "report", "--agency", "so-khcn", "--period", "2025-07", "--xlsx", b,
        ],
        site.path(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = tiendo(&["import", b], site.path());
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(&format!(
            "{b}:Báo cáo!B4: error: the submission date is empty"
        )),
        "{}",
        run.stderr
    );
    // The workbook holds the same pre-filled report as the YAML form.
    let m = editor::load_model(&opts(site.path())).unwrap();
    let prefill = editor::prefill_report(&m, "so-khcn", Period::parse("2025-07").unwrap()).unwrap();
    let back = xlsx::read_report(&std::fs::read(&book).unwrap()).unwrap();
    let ids = |d: &editor::ReportDraft| -> Vec<(String, Option<f64>)> {
        d.updates
            .iter()
            .map(|u| (u.task.clone(), u.progress))
            .collect()
    };
    assert!(!prefill.updates.is_empty());
    assert_eq!(ids(&back), ids(&prefill));
    // No KPI value is pre-filled: an untouched KPI sheet brings none back.
    assert!(prefill.kpis.iter().any(|k| k.last.is_some()));
    assert!(back.kpis.is_empty(), "{:?}", back.kpis);
}

#[test]
fn schema_writes_every_kind() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .args(["schema", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    for kind in ["site", "agencies", "plan", "kpis", "report", "news", "page"] {
        let text = read(&dir.path().join(format!("{kind}.schema.json")));
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["$schema"], "https://json-schema.org/draft/2020-12/schema");
    }
}

/// The blocks of docs/content.md that name a file (```yaml file=PATH).
fn doc_examples() -> Vec<(String, String)> {
    let doc = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/content.md"));
    let mut out = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in doc.lines() {
        match &mut current {
            None => {
                if let Some(path) = line
                    .strip_prefix("```")
                    .and_then(|info| info.split_once(" file="))
                    .map(|(_, p)| p.trim().to_string())
                {
                    current = Some((path, String::new()));
                }
            }
            Some((_, text)) if line != "```" => {
                text.push_str(line);
                text.push('\n');
            }
            Some(_) => out.extend(current.take()),
        }
    }
    out
}

#[test]
fn every_example_in_the_docs_checks_and_builds() {
    let examples = doc_examples();
    let paths: Vec<&str> = examples.iter().map(|(p, _)| p.as_str()).collect();
    for kind in [
        "content/site.yaml",
        "content/agencies.yaml",
        "content/plans/",
        "content/kpis.yaml",
        "content/reports/",
        "content/news/",
        "content/pages/",
    ] {
        assert!(
            paths.iter().any(|p| p.starts_with(kind)),
            "no example of {kind}"
        );
    }
    let site = tempfile::tempdir().unwrap();
    for (path, text) in &examples {
        let full = site.path().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }
    let check = tiendo(&["check", "--strict"], site.path());
    assert_eq!(check.code, 0, "{}", check.stderr);
    // The example shows what it says: a merger, an extension, a successor's report.
    assert!(check.stdout.contains("2 tasks"), "{}", check.stdout);
    let build = tiendo(&["build"], site.path());
    assert_eq!(build.code, 0, "{}", build.stderr);
    let task = read(&site.path().join("output/nhiem-vu/ioc-soc/index.html"));
    assert!(
        task.contains("31/05/2025"),
        "the extended deadline is shown"
    );
}

#[test]
fn new_task_follows_the_plans_indentation_and_refuses_other_shapes() {
    let plan = "content/plans/ke-hoach.yaml";
    let original = read(&fixture("minimal").join(plan));
    // The same plan with its list items at the left margin.
    let flush: String = original
        .lines()
        .map(|l| l.strip_prefix("  ").unwrap_or(l).to_string() + "\n")
        .collect();
    let site = site_with(&[(plan, Some(flush.as_bytes()))]);
    assert_eq!(tiendo(&["check"], site.path()).code, 0);
    let run = tiendo(&["new", "task", "--plan", "ke-hoach"], site.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = read(&site.path().join(plan));
    assert!(
        text.ends_with("  responsible:   # rõ trách nhiệm\n"),
        "{text}"
    );
    assert!(text.contains("\n- id: nhiem-vu-moi "), "{text}");
    let check = tiendo(&["check"], site.path());
    assert!(
        check.stderr.contains("a task has no `title`"),
        "{}",
        check.stderr
    );
    // `tasks:` not last: nothing is written.
    let moved = format!("{}\nsummary: Tóm tắt\n", original.trim_end());
    let site = site_with(&[(plan, Some(moved.as_bytes()))]);
    let run = tiendo(&["new", "task", "--plan", "ke-hoach"], site.path());
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("must be the last key"),
        "{}",
        run.stderr
    );
    assert_eq!(read(&site.path().join(plan)), moved);
    let run = tiendo(&["new", "task", "--plan", "ke-hoachh"], site.path());
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("did you mean `ke-hoach`"),
        "{}",
        run.stderr
    );
}
