//! Invalid content: each broken site fails with the exact message an
//! editor sees, naming file, line and column.

mod common;

use common::*;

const PLAN: &str = "content/plans/ke-hoach.yaml";
const REPORT: &str = "content/reports/2025-03/so-mot.yaml";

/// The minimal plan with one task replaced by `task` (YAML, indented as a
/// list item under `tasks:`).
fn plan_with_task(task: &str) -> String {
    format!("id: ke-hoach\ntitle: Kế hoạch\nissued: 2025-02-25\ntasks:\n{task}")
}

const GOOD_TASK: &str = "  - id: viec-mot
    title: Việc một
    lead: so-mot
    support: [so-hai]
    deadline: 31/03/2025
    result: Xong
    responsible: Giám đốc
  - id: viec-hai
    title: Việc hai
    lead: so-cu
    deadline: 2025-05
    result: Xong
    responsible: Giám đốc
  - id: viec-thang
    title: Báo cáo
    lead: so-hai
    deadline: monthly
    result: Báo cáo
    responsible: Giám đốc
";

fn report(updates: &str) -> String {
    format!("agency: so-mot\nperiod: 2025-03\nsubmitted: 2025-03-19\nupdates:\n{updates}")
}

#[test]
fn malformed_yaml() {
    let run = check_with(PLAN, "id: ke-hoach\ntasks: [\n");
    assert_error(
        &run,
        "content/plans/ke-hoach.yaml:2:8: error: unclosed bracket '['",
    );
}

#[test]
fn wrong_type() {
    let run = check_with(
        PLAN,
        "id: ke-hoach\ntitle: K\nissued: 2025-02-25\ntasks: viec\n",
    );
    assert_error(
        &run,
        "content/plans/ke-hoach.yaml:4:8: error: expected a list here: one item per line, each starting with `- `",
    );
    // The tasks of a plan that failed to parse may exist: no cascade of "unknown task".
    assert!(!run.stderr.contains("unknown task"), "{}", run.stderr);
}

#[test]
fn unknown_key_suggests_the_right_one() {
    let run = check_with(
        PLAN,
        &plan_with_task("  - id: viec-mot\n    title: Việc\n    deadlin: 2025-03-31\n"),
    );
    assert_error(
        &run,
        "content/plans/ke-hoach.yaml:7:5: error: unknown key `deadlin`; did you mean `deadline`?",
    );
}

#[test]
fn duplicate_task_ids() {
    let task = "  - id: viec-mot\n    title: A\n    incomplete: x\n  - id: viec-mot\n    title: B\n    incomplete: x\n";
    let run = check_with(PLAN, &plan_with_task(task));
    assert_error(
        &run,
        "content/plans/ke-hoach.yaml:8:9: error: duplicate task id `viec-mot`; it is first defined at content/plans/ke-hoach.yaml:5:9",
    );
}

#[test]
fn duplicate_agency_ids() {
    let agencies = "agencies:\n  - id: so-mot\n    name: A\n    kind: department\n  - id: so-mot\n    name: B\n    kind: department\n";
    let run = check_with("content/agencies.yaml", agencies);
    assert_error(
        &run,
        "content/agencies.yaml:5:9: error: duplicate agency id `so-mot`; it is first defined at content/agencies.yaml:2:5",
    );
}

#[test]
fn unknown_agency_suggests_the_closest() {
    let run = check_with(
        PLAN,
        &plan_with_task(&GOOD_TASK.replace("lead: so-mot", "lead: so-mott")),
    );
    assert_error(
        &run,
        "content/plans/ke-hoach.yaml:7:11: error: unknown agency `so-mott`; did you mean `so-mot`?",
    );
}

#[test]
fn unknown_group() {
    let agencies = "groups:\n  - id: to-mot\n    name: T\nagencies:\n  - id: so-mot\n    name: A\n    kind: department\n    group: to-mott\n";
    let run = check_with("content/agencies.yaml", agencies);
    assert_error(
        &run,
        "content/agencies.yaml:8:12: error: unknown working group `to-mott`; did you mean `to-mot`?",
    );
}

#[test]
fn unknown_task_and_kpi_in_a_report() {
    let r = format!(
        "{}kpi_values:\n  - kpi: chi-tieuu\n    date: 2025-03-15\n    value: 1\n",
        report("  - task: viec-mott\n    state: in_progress\n")
    );
    let run = check_with(REPORT, &r);
    assert_error(
        &run,
        "content/reports/2025-03/so-mot.yaml:5:11: error: unknown task `viec-mott`; did you mean `viec-mot`?",
    );
    assert_error(
        &run,
        "content/reports/2025-03/so-mot.yaml:8:10: error: unknown KPI `chi-tieuu`; did you mean `chi-tieu`?",
    );
}

#[test]
fn impossible_date() {
    let run = check_with(
        PLAN,
        &plan_with_task(&GOOD_TASK.replace("31/03/2025", "31/02/2025")),
    );
    assert_error(
        &run,
        "content/plans/ke-hoach.yaml:9:15: error: `31/02/2025` is not a date: 02/2025 has 28 days",
    );
}

#[test]
fn unreadable_deadline() {
    let run = check_with(
        PLAN,
        &plan_with_task(&GOOD_TASK.replace("31/03/2025", "sớm")),
    );
    assert!(
        run.stderr
            .contains("content/plans/ke-hoach.yaml:9:15: error: `sớm` is not a deadline"),
        "{}",
        run.stderr
    );
}

#[test]
fn progress_outside_0_to_100() {
    let run = check_with(
        REPORT,
        &report("  - task: viec-mot\n    state: in_progress\n    progress: 120\n"),
    );
    assert_error(
        &run,
        "content/reports/2025-03/so-mot.yaml:7:15: error: progress 120 is outside 0..100; it is a percentage",
    );
}

#[test]
fn done_without_done_on() {
    let run = check_with(REPORT, &report("  - task: viec-mot\n    state: done\n"));
    assert_error(
        &run,
        "content/reports/2025-03/so-mot.yaml:5:5: error: state `done` needs `done_on`, the day the task was finished",
    );
}

#[test]
fn done_on_after_submitted() {
    let run = check_with(
        REPORT,
        &report("  - task: viec-mot\n    state: done\n    done_on: 2025-03-25\n"),
    );
    assert_error(
        &run,
        "content/reports/2025-03/so-mot.yaml:7:14: error: done_on 25/03/2025 is after the report was submitted (19/03/2025); a report tells what is already done",
    );
}

#[test]
fn progress_with_not_started() {
    let run = check_with(
        REPORT,
        &report("  - task: viec-mot\n    state: not_started\n    progress: 10\n"),
    );
    assert_error(
        &run,
        "content/reports/2025-03/so-mot.yaml:7:15: error: progress above 0 with state `not_started`; set the state to in_progress, or the progress to 0",
    );
}

#[test]
fn recurring_task_reported_done() {
    let r = "agency: so-hai\nperiod: 2025-03\nsubmitted: 2025-03-20\nupdates:\n  - task: viec-thang\n    state: DONE\n    done_on: 2025-03-20\n";
    let run = check_with("content/reports/2025-03/so-hai.yaml", r);
    assert_error(
        &run,
        "content/reports/2025-03/so-hai.yaml:6:12: error: task `viec-thang` is `monthly`: it recurs and cannot be reported done; report in_progress",
    );
}

#[test]
fn merged_agency_reporting_after_its_merger() {
    let r = "agency: so-cu\nperiod: 2025-03\nsubmitted: 2025-03-10\nupdates:\n  - task: viec-hai\n    state: in_progress\n";
    let run = check_with("content/reports/2025-03/so-cu.yaml", r);
    assert_error(
        &run,
        "content/reports/2025-03/so-cu.yaml:3:12: error: `so-cu` merged into `so-mot` on 01/03/2025; reports submitted from that day come from `so-mot`",
    );
}

#[test]
fn merged_agency_may_report_before_its_merger() {
    let r = "agency: so-cu\nperiod: 2025-02\nsubmitted: 2025-02-27\nupdates:\n  - task: viec-hai\n    state: in_progress\n";
    let run = check_with("content/reports/2025-02/so-cu.yaml", r);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn report_agency_disagrees_with_file_name() {
    // so-hai has its own report in 2025-03: the advice must not be to
    // rename this file onto it.
    let r = "agency: so-hai\nperiod: 2025-03\nsubmitted: 2025-03-19\n";
    let run = check_with(REPORT, r);
    assert_error(
        &run,
        "content/reports/2025-03/so-mot.yaml:1:9: error: agency `so-hai` does not match the file name `so-mot.yaml`, and reports/2025-03/so-hai.yaml already exists; either `agency` is wrong (it should be `so-mot`) or this file belongs to another agency: do not rename it onto the existing report",
    );
    let run = check_vi(&[(REPORT, Some(r))]);
    assert_error(
        &run,
        "content/reports/2025-03/so-mot.yaml:1:9: lỗi: cơ quan `so-hai` không khớp với tên tệp `so-mot.yaml`, và reports/2025-03/so-hai.yaml đã có; hoặc `agency` ghi sai (phải là `so-mot`), hoặc tệp này của cơ quan khác: đừng đổi tên đè lên báo cáo đã có",
    );
    // Where no such report exists, renaming is safe advice.
    let run = check_vi(&[
        (REPORT, Some(r)),
        ("content/reports/2025-03/so-hai.yaml", None),
    ]);
    assert_error(
        &run,
        "content/reports/2025-03/so-mot.yaml:1:9: lỗi: cơ quan `so-hai` không khớp với tên tệp `so-mot.yaml`; hãy đặt tên tệp là `so-hai.yaml`",
    );
}

#[test]
fn report_period_disagrees_with_folder() {
    let r = "agency: so-mot\nperiod: 2025-04\nsubmitted: 2025-03-19\n";
    let run = check_vi(&[(REPORT, Some(r))]);
    assert_error(
        &run,
        "content/reports/2025-03/so-mot.yaml:2:9: lỗi: kỳ báo cáo `2025-04` không khớp với thư mục `2025-03`, và reports/2025-04/ đã có báo cáo của cơ quan này (so-mot.yaml); nếu báo cáo này là của kỳ 2025-03, hãy sửa `period`; nếu là bản chép của báo cáo kia, hãy xóa nó",
    );
    // One cause, one message: the dates are not judged against a period
    // the folder contradicts.
    assert_eq!(run.stderr.matches(": lỗi: ").count(), 1, "{}", run.stderr);
    let r = "agency: so-mot\nperiod: 2025-05\nsubmitted: 2025-03-19\n";
    let run = check_with(REPORT, r);
    assert_error(
        &run,
        "content/reports/2025-03/so-mot.yaml:2:9: error: period `2025-05` does not match the folder `2025-03`; move the file to reports/2025-05/",
    );
}

#[test]
fn agency_reporting_on_a_task_it_has_no_part_in() {
    let r = "agency: so-hai\nperiod: 2025-03\nsubmitted: 2025-03-20\nupdates:\n  - task: viec-hai\n    state: in_progress\n";
    let run = check_with("content/reports/2025-03/so-hai.yaml", r);
    assert_error(
        &run,
        "content/reports/2025-03/so-hai.yaml:5:11: error: `so-hai` neither leads nor supports task `viec-hai` on 20/03/2025 (lead: `so-mot`); an agency reports only on its own tasks",
    );
}

#[test]
fn successor_reports_on_its_predecessors_task() {
    // so-cu merged into so-mot on 01/03/2025: viec-hai is so-mot's from then.
    let run = check_with(
        REPORT,
        &report("  - task: viec-hai\n    state: in_progress\n    progress: 40\n"),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn task_breaking_5_ro() {
    let run = check_with(
        PLAN,
        &plan_with_task("  - id: viec-mot\n    title: Việc một\n    lead: so-mot\n"),
    );
    assert_error(
        &run,
        "content/plans/ke-hoach.yaml:5:5: error: task `viec-mot` breaks \"5 rõ\": it has no `deadline`, `result`, `responsible`; add them, or say why with `incomplete: \"...\"`",
    );
}

#[test]
fn incomplete_task_is_accepted() {
    let task = GOOD_TASK.replace(
        "    lead: so-mot\n    support: [so-hai]\n    deadline: 31/03/2025\n",
        "    incomplete: Văn bản không nêu thời hạn\n    lead: so-mot\n    support: [so-hai]\n",
    );
    let run = check_with(PLAN, &plan_with_task(&task));
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn task_id_taken_by_a_status_view() {
    let run = check_with(
        PLAN,
        &plan_with_task("  - id: qua-han\n    title: X\n    incomplete: x\n"),
    );
    assert_error(
        &run,
        "content/plans/ke-hoach.yaml:5:9: error: task id `qua-han` is taken by the status view /nhiem-vu/qua-han/; choose another id",
    );
}

#[test]
fn invalid_id() {
    let run = check_with(
        PLAN,
        &plan_with_task("  - id: Việc_Một\n    title: X\n    incomplete: x\n"),
    );
    assert_error(
        &run,
        "content/plans/ke-hoach.yaml:5:9: error: `Việc_Một` is not a valid id: use ASCII lower-case letters, digits and single hyphens (for example `viec-mot`)",
    );
}

#[test]
fn article_image_without_alt() {
    let md = "---\ntitle: Tin\ndate: 2025-03-10\nimage: /anh/a.jpg\n---\nNội dung\n";
    let run = check_with("content/news/tin-mot.md", md);
    assert_error(
        &run,
        "content/news/tin-mot.md:4:8: error: an image needs `image_alt`: a short description for readers who cannot see it",
    );
}

#[test]
fn article_with_a_bad_slug() {
    let run = check_with(
        "content/news/Tin Mới.md",
        "---\ntitle: Tin\ndate: 2025-03-10\n---\nA\n",
    );
    assert_error(
        &run,
        "content/news/Tin Mới.md: error: file name `Tin Mới` is not a valid slug: use ASCII lower-case letters, digits and hyphens, for example `tin-moi.md`",
    );
}

#[test]
fn lineage_cycle() {
    let agencies = "agencies:
  - id: so-mot
    name: A
    kind: department
    renamed_to: { agency: so-hai, date: 2025-01-01 }
  - id: so-hai
    name: B
    kind: department
    merged_into: { agency: so-mot, date: 2025-02-01 }
  - id: so-cu
    name: C
    kind: department
";
    let run = check_with("content/agencies.yaml", agencies);
    assert_error(
        &run,
        "content/agencies.yaml:5:17: error: agency lineage forms a cycle: so-mot -> so-hai -> so-mot",
    );
    assert_error(
        &run,
        "content/agencies.yaml:9:18: error: agency lineage forms a cycle: so-hai -> so-mot -> so-hai",
    );
}

#[test]
fn yaml_1_2_booleans_are_strings() {
    // `yes` is not a boolean in YAML 1.2.
    let run = check_with(
        "content/site.yaml",
        "title: T\nbase_url: https://example.org/\nsample_data: yes\n",
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("content/site.yaml:3:14: error:"),
        "{}",
        run.stderr
    );
}

#[test]
fn missing_site_yaml() {
    let dir = site_with(&[("content/site.yaml", None)]);
    let run = tiendo(&["check"], dir.path());
    assert_error(
        &run,
        "content/site.yaml: lỗi: thiếu tệp site.yaml; tệp cần ít nhất `title` và `base_url`",
    );
}

#[test]
fn every_problem_is_reported_at_once_sorted() {
    let dir = site_with(&[
        (
            PLAN,
            Some(plan_with_task(
                &GOOD_TASK.replace("lead: so-mot", "lead: so-x"),
            ))
            .as_deref()
            .map(str::as_bytes),
        ),
        (
            REPORT,
            Some(report(
                "  - task: viec-mot\n    state: in_progress\n    progress: 101\n",
            ))
            .as_deref()
            .map(str::as_bytes),
        ),
        (
            "content/news/tin-mot.md",
            Some(b"---\ntitle: Tin\ndate: 2025-02-30\n---\n".as_slice()),
        ),
    ]);
    let run = tiendo(&["check", "--lang", "en"], dir.path());
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains(": error: "))
        .collect();
    assert_eq!(
        errors.len(),
        3,
        "no cascade from the unknown lead:\n{}",
        run.stderr
    );
    assert!(
        errors[0].starts_with("content/news/tin-mot.md:3:7:"),
        "{}",
        run.stderr
    );
    assert!(
        errors[1].starts_with("content/plans/ke-hoach.yaml:7:11:"),
        "{}",
        run.stderr
    );
    assert!(
        errors[2].starts_with("content/reports/2025-03/so-mot.yaml:7:15:"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("3 error(s), 0 warning(s)"),
        "{}",
        run.stderr
    );
}

#[test]
fn warning_for_an_overdue_task_nobody_reported_on() {
    let dir = site_with(&[
        (
            "content/reports/2025-03/so-mot.yaml",
            Some(b"agency: so-mot\nperiod: 2025-03\nsubmitted: 2025-03-19\n".as_slice()),
        ),
        (
            "content/reports/2025-04/so-mot.yaml",
            Some(b"agency: so-mot\nperiod: 2025-04\nsubmitted: 2025-04-18\n".as_slice()),
        ),
    ]);
    let run = tiendo(&["check"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.lines().any(|l| l
            == "content/plans/ke-hoach.yaml:5:5: cảnh báo: nhiệm vụ `viec-mot` đã quá hạn (31/03/2025) mà cơ quan chủ trì chưa báo cáo lần nào"),
        "{}",
        run.stderr
    );
    let strict = tiendo(&["check", "--strict"], dir.path());
    assert_eq!(strict.code, 1, "--strict turns warnings into failure");
}

#[test]
fn warning_for_a_missing_monthly_report() {
    let dir = site_with(&[("content/reports/2025-04/so-hai.yaml", None)]);
    let run = tiendo(&["check"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.lines().any(|l| l
            == "content/agencies.yaml:10:5: cảnh báo: `so-hai` chưa nộp báo cáo kỳ 2025-04 (hạn 20/04/2025): cần có tệp content/reports/2025-04/so-hai.yaml"),
        "{}",
        run.stderr
    );
}

#[test]
fn missing_root_is_a_usage_error() {
    let run = tiendo(&["check"], std::path::Path::new("/nonexistent/site"));
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("has no content/ folder"),
        "{}",
        run.stderr
    );
}

#[test]
fn broken_internal_link_names_its_file() {
    let md = "---\ntitle: Tin\ndate: 2025-03-10\n---\nXem [nhiệm vụ](/cong/nhiem-vu/khong-co/) và [mục](/cong/nhiem-vu/viec-mot/#khong-co).\n";
    let dir = site_with(&[("content/news/tin-mot.md", Some(md.as_bytes()))]);
    let run = tiendo(&["build"], dir.path());
    assert_error(
        &run,
        "content/news/tin-mot.md: lỗi: liên kết hỏng `/cong/nhiem-vu/khong-co/` trên /cong/tin-tuc/tin-mot/ (và 1 trang khác): không có trang hoặc tệp này; hãy sửa liên kết hoặc thêm tệp vào content/static/",
    );
    assert!(
        run.stderr.contains("content/news/tin-mot.md: lỗi: liên kết hỏng `/cong/nhiem-vu/viec-mot/#khong-co` trên /cong/tin-tuc/tin-mot/"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(": không có mục (anchor) này;"),
        "{}",
        run.stderr
    );
    assert!(!dir.path().join("output").exists(), "nothing is written");
}

#[test]
fn ids_and_slugs_cannot_leave_the_output_folder() {
    for id in ["../../etc", "/etc/passwd", "a\\\\b", "C:\\\\x"] {
        let run = check_with(
            PLAN,
            &plan_with_task(&format!(
                "  - id: \"{id}\"\n    title: X\n    incomplete: x\n"
            )),
        );
        assert_eq!(run.code, 1, "{id}: {}", run.stderr);
        assert!(
            run.stderr.contains("is not a valid id"),
            "{id}: {}",
            run.stderr
        );
    }
    // A Windows-style path in a file name is just an invalid name here.
    let dir = site_with(&[(
        "content/news/tin\\..\\..\\evil.md",
        Some(b"---\ntitle: T\ndate: 2025-03-10\n---\n".as_slice()),
    )]);
    let run = tiendo(&["build", "--lang", "en"], dir.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("content/news/tin\\..\\..\\evil.md: error:"),
        "{}",
        run.stderr
    );
    assert!(!dir.path().join("output").exists());
    let dir = site_with(&[(
        "content/agencies.yaml",
        Some(b"agencies:\n  - id: ../x\n    name: X\n    kind: office\n".as_slice()),
    )]);
    let run = tiendo(&["build", "--output", "out"], dir.path());
    assert_eq!(run.code, 1);
    let outside: Vec<_> = std::fs::read_dir(dir.path().parent().unwrap())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy() == "x")
        .collect();
    assert!(outside.is_empty(), "a file was written outside the site");
}
