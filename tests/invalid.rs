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
fn broken_internal_link_names_its_file_line_and_column() {
    let md = "---\ntitle: Tin\ndate: 2025-03-10\n---\nXem [nhiệm vụ](/cong/nhiem-vu/khong-co/) và [mục](/cong/nhiem-vu/viec-mot/#khong-co).\n";
    let dir = site_with(&[("content/news/tin-mot.md", Some(md.as_bytes()))]);
    let run = tiendo(&["build"], dir.path());
    assert_error(
        &run,
        "content/news/tin-mot.md:5:16: lỗi: liên kết hỏng `/cong/nhiem-vu/khong-co/` trên /cong/tin-tuc/tin-mot/ (và 1 trang khác): không có trang hoặc tệp này; hãy sửa liên kết hoặc thêm tệp vào content/static/",
    );
    assert!(
        run.stderr.contains("content/news/tin-mot.md:5:51: lỗi: liên kết hỏng `/cong/nhiem-vu/viec-mot/#khong-co` trên /cong/tin-tuc/tin-mot/"),
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
    // Inside the temporary folder: a build leaves its lock file beside its output.
    let out = dir.path().join("out");
    let run = tiendo(&["build", "--output", out.to_str().unwrap()], dir.path());
    assert_eq!(run.code, 1);
    let outside: Vec<_> = std::fs::read_dir(dir.path().parent().unwrap())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy() == "x")
        .collect();
    assert!(outside.is_empty(), "a file was written outside the site");
}

// Issue 11: every common editor mistake, told in Vietnamese (the site's
// first language), with file:line:column.

const REPORT_APRIL: &str = "content/reports/2025-04/so-mot.yaml";

/// Class 1: a report copied from last month into another period folder.
#[test]
fn report_copied_into_another_month_keeps_its_dates() {
    let copy = "agency: so-hai\nperiod: 2025-04\nsubmitted: 2025-03-20\nupdates:\n  - task: viec-thang\n    state: in_progress\n";
    let run = check_vi(&[("content/reports/2025-04/so-hai.yaml", Some(copy))]);
    assert_error(
        &run,
        "content/reports/2025-04/so-hai.yaml:3:12: lỗi: `so-hai` đã có một báo cáo khác nộp cùng ngày 20/03/2025, cho kỳ 2025-03 (tại content/reports/2025-03/so-hai.yaml:3:12); báo cáo chép từ tháng khác vẫn giữ ngày của tháng đó: hãy sửa `submitted` và các cập nhật cho kỳ 2025-04",
    );
    // One cause, one message: not also "submitted before its month".
    assert_eq!(run.stderr.matches(": lỗi: ").count(), 1, "{}", run.stderr);
}

/// Class 1: a `submitted` date that cannot belong to the period.
#[test]
fn report_submitted_outside_its_period() {
    let early = "agency: so-mot\nperiod: 2025-04\nsubmitted: 2025-03-30\nupdates:\n  - task: viec-mot\n    state: in_progress\n";
    let run = check_vi(&[(REPORT_APRIL, Some(early))]);
    assert_error(
        &run,
        "content/reports/2025-04/so-mot.yaml:3:12: lỗi: ngày nộp 30/03/2025 trước khi kỳ 2025-04 bắt đầu; báo cáo nói về việc đã làm trong tháng: có phải báo cáo chép từ tháng khác? Hãy sửa `submitted` hoặc `period`",
    );
    // A year off: a warning, since a very late report is possible.
    let late = "agency: so-mot\nperiod: 2025-03\nsubmitted: 2026-03-19\nupdates:\n  - task: viec-mot\n    state: in_progress\n";
    let dir = site_with(&[(REPORT, Some(late.as_bytes()))]);
    let run = tiendo(&["check", "--as-of", "2026-04-01"], dir.path());
    assert!(
        run.stderr.lines().any(|l| l == "content/reports/2025-03/so-mot.yaml:3:12: cảnh báo: ngày nộp 19/03/2026 muộn 364 ngày so với hạn báo cáo kỳ 2025-03 (20/03/2025); hãy kiểm tra lại năm và kỳ báo cáo"),
        "{}",
        run.stderr
    );
    let run = tiendo(
        &["check", "--as-of", "2026-04-01", "--lang", "en"],
        dir.path(),
    );
    assert!(
        run.stderr.lines().any(|l| l == "content/reports/2025-03/so-mot.yaml:3:12: warning: submitted 19/03/2026 is 364 days after the report day of 2025-03 (20/03/2025); check the year and the period"),
        "{}",
        run.stderr
    );
}

/// Class 1: done, then not done again, needs a reason; progress going
/// backwards needs a note.
#[test]
fn task_undone_without_a_reason() {
    let may = "agency: so-mot\nperiod: 2025-05\nsubmitted: 2025-05-19\nupdates:\n  - task: viec-mot\n    state: in_progress\n    progress: 90\n";
    let dir = site_with(&[("content/reports/2025-05/so-mot.yaml", Some(may.as_bytes()))]);
    let run = tiendo(&["check", "--as-of", "2025-05-25"], dir.path());
    assert_error(
        &run,
        "content/reports/2025-05/so-mot.yaml:5:5: lỗi: nhiệm vụ `viec-mot` đã báo cáo hoàn thành ở kỳ 2025-04 (tại content/reports/2025-04/so-mot.yaml:5:5) nhưng nay lại chưa xong; nếu nhiệm vụ thật sự phải làm lại, hãy ghi lý do bằng `reopened: \"lý do\"`, nếu không hãy báo cáo là done",
    );
    let reopened = format!("{may}    reopened: \"Kiểm tra lại phát hiện lỗi dữ liệu\"\n");
    let dir = site_with(&[(
        "content/reports/2025-05/so-mot.yaml",
        Some(reopened.as_bytes()),
    )]);
    let run = tiendo(&["check", "--as-of", "2025-05-25"], dir.path());
    assert!(!run.stderr.contains(": lỗi: "), "{}", run.stderr);
}

#[test]
fn progress_going_backwards_without_a_note() {
    let april = "agency: so-mot\nperiod: 2025-04\nsubmitted: 2025-04-18\nupdates:\n  - task: viec-mot\n    state: in_progress\n    progress: 40\n";
    let run = check_vi(&[(REPORT_APRIL, Some(april))]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.lines().any(|l| l == "content/reports/2025-04/so-mot.yaml:5:5: cảnh báo: tiến độ của `viec-mot` giảm từ 50 (kỳ 2025-03) xuống 40 mà không có `note`; hãy ghi chú lý do, hoặc sửa lại số liệu"),
        "{}",
        run.stderr
    );
    let noted = format!("{april}    note: Điều chỉnh lại phạm vi\n");
    let run = check_vi(&[(REPORT_APRIL, Some(&noted))]);
    assert!(!run.stderr.contains("giảm từ"), "{}", run.stderr);
}

/// Class 2: impossible combinations.
#[test]
fn done_below_100_and_done_before_the_plan() {
    let r = report(
        "  - task: viec-mot\n    state: done\n    progress: 80\n    done_on: 2025-03-10\n  - task: viec-hai\n    state: done\n    done_on: 2025-02-01\n",
    );
    let run = check_vi(&[(REPORT, Some(&r))]);
    assert_error(
        &run,
        "content/reports/2025-03/so-mot.yaml:7:15: lỗi: trạng thái `done` nhưng tiến độ 80; nhiệm vụ đã hoàn thành thì tiến độ là 100: hãy sửa tiến độ, hoặc đổi trạng thái thành in_progress",
    );
    assert_error(
        &run,
        "content/reports/2025-03/so-mot.yaml:11:14: lỗi: done_on 01/02/2025 trước ngày ban hành kế hoạch `ke-hoach` (25/02/2025); hãy kiểm tra lại ngày",
    );
}

#[test]
fn extension_earlier_than_the_deadline_in_force() {
    let task = "  - id: viec-mot\n    title: Việc\n    lead: so-mot\n    deadline: 31/03/2025\n    deadline_changes:\n      - { to: 2025-05-31, date: 2025-03-20 }\n      - { to: 2025-04-30, date: 2025-05-01 }\n    result: X\n    responsible: Y\n";
    let run = check_vi(&[(PLAN, Some(&plan_with_task(task)))]);
    assert_error(
        &run,
        "content/plans/ke-hoach.yaml:11:15: lỗi: gia hạn đến 30/04/2025 lại sớm hơn thời hạn đang áp dụng (31/05/2025); gia hạn phải lùi thời hạn về sau: hãy kiểm tra lại ngày",
    );
}

#[test]
fn incomplete_on_a_task_that_lacks_nothing() {
    let task = "  - id: viec-mot\n    title: Việc\n    lead: so-mot\n    deadline: 31/03/2025\n    result: X\n    responsible: Y\n    incomplete: Chưa rõ\n";
    let run = check_vi(&[(PLAN, Some(&plan_with_task(task)))]);
    assert!(
        run.stderr.lines().any(|l| l == "content/plans/ke-hoach.yaml:11:17: cảnh báo: `incomplete` trên nhiệm vụ đã có đủ chủ trì, thời hạn, kết quả và người chịu trách nhiệm; hãy xóa `incomplete`, nếu không trang vẫn ghi nhiệm vụ chưa đủ thông tin"),
        "{}",
        run.stderr
    );
}

#[test]
fn article_dated_after_the_as_of_day_is_held_back() {
    let md = "---\ntitle: Tin tương lai\ndate: 2025-05-10\n---\nNội dung.\n";
    let dir = site_with(&[("content/news/tin-sau.md", Some(md.as_bytes()))]);
    let run = tiendo(&["build"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.lines().any(|l| l == "content/news/tin-sau.md:3:7: cảnh báo: bài viết ghi ngày 10/05/2025, sau ngày tính số liệu 25/04/2025: bài chưa được đăng cho đến ngày đó; hãy kiểm tra lại ngày"),
        "{}",
        run.stderr
    );
    assert!(!dir.path().join("output/tin-tuc/tin-sau").exists());
    let run = tiendo(&["build", "--as-of", "2025-05-10"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        dir.path()
            .join("output/tin-tuc/tin-sau/index.html")
            .exists()
    );
}

/// Class 3: numbers that do not fit their KPI.
#[test]
fn kpi_values_that_do_not_fit_the_unit() {
    let cases = [
        (
            "782",
            "lỗi: giá trị 782 lớn hơn 100, nhưng chỉ tiêu `chi-tieu` tính theo %; hãy ghi tỷ lệ phần trăm, ví dụ 78,2 cho 78,2%",
        ),
        (
            "0.782",
            "lỗi: giá trị 0.782 có vẻ là phân số, nhưng chỉ tiêu `chi-tieu` tính theo %; hãy ghi 78.2",
        ),
        (
            "4",
            "cảnh báo: giá trị 4 của chỉ tiêu `chi-tieu` chênh từ mười lần trở lên so với mọi giá trị khác, giá trị gốc và mục tiêu (gần nhất: 50); hãy kiểm tra dấu thập phân",
        ),
    ];
    for (value, message) in cases {
        let r = format!(
            "agency: so-mot\nperiod: 2025-03\nsubmitted: 2025-03-19\nkpi_values:\n  - kpi: chi-tieu\n    date: 2025-03-15\n    value: {value}\n"
        );
        let run = check_vi(&[(REPORT, Some(&r))]);
        let line = format!("content/reports/2025-03/so-mot.yaml:7:12: {message}");
        assert!(
            run.stderr.lines().any(|l| l == line),
            "{line}\n{}",
            run.stderr
        );
    }
    let kpis = "kpis:\n  - id: chi-tieu\n    name: Thời gian xử lý\n    unit: ngày\n    target: 5\n    direction: down\n    deadline: 2025-12-31\n    owner: so-mot\n";
    let r = "agency: so-mot\nperiod: 2025-03\nsubmitted: 2025-03-19\nkpi_values:\n  - kpi: chi-tieu\n    date: 2025-03-15\n    value: \"85%\"\n";
    let run = check_vi(&[("content/kpis.yaml", Some(kpis)), (REPORT, Some(r))]);
    assert_error(
        &run,
        "content/reports/2025-03/so-mot.yaml:7:12: lỗi: `85%` là tỷ lệ phần trăm, nhưng chỉ tiêu `chi-tieu` tính bằng ngày; hãy ghi số theo đơn vị ngày",
    );
}

#[test]
fn comma_that_may_separate_thousands() {
    let kpis = "kpis:\n  - id: chi-tieu\n    name: Số hồ sơ\n    unit: hồ sơ\n    target: \"1,250\"\n    deadline: 2025-12-31\n    owner: so-mot\n";
    let run = check_vi(&[("content/kpis.yaml", Some(kpis))]);
    assert!(
        run.stderr.lines().any(|l| l == "content/kpis.yaml:5:13: cảnh báo: target `1,250` được đọc là 1.25 (dấu phẩy thập phân); nếu dấu phẩy dùng để tách hàng nghìn, hãy viết 1250"),
        "{}",
        run.stderr
    );
    // The Vietnamese decimal comma stays accepted without a word.
    let kpis = kpis.replace("\"1,250\"", "\"78,5\"");
    let run = check_vi(&[("content/kpis.yaml", Some(&kpis))]);
    assert!(!run.stderr.contains("hàng nghìn"), "{}", run.stderr);
}

/// Class 4: images and embeds in Markdown.
#[test]
fn markdown_images_need_alt_and_nothing_comes_from_other_hosts() {
    let md = "---\ntitle: Tin\ndate: 2025-03-10\n---\nĐoạn đầu.\n\n![](/anh/a.png)\n\nẢnh: ![Lễ ra mắt](https://cdn.example.com/b.jpg)\n\n<iframe src=\"https://www.youtube.com/embed/x\"></iframe>\n";
    let run = check_vi(&[("content/news/tin-mot.md", Some(md))]);
    assert_error(
        &run,
        "content/news/tin-mot.md:7:1: lỗi: ảnh `/anh/a.png` không có mô tả thay thế; hãy ghi nội dung ảnh trong ngoặc vuông: ![Lễ ra mắt cổng thông tin](/anh/a.png)",
    );
    assert_error(
        &run,
        "content/news/tin-mot.md:9:6: lỗi: `https://cdn.example.com/b.jpg` được tải từ máy chủ khác; cổng thông tin không tải gì từ máy chủ khác: hãy đặt tệp vào content/static/ và dùng đường dẫn bắt đầu bằng /, hoặc đặt liên kết tới trang thay vì nhúng",
    );
    assert_error(
        &run,
        "content/news/tin-mot.md:11:9: lỗi: `https://www.youtube.com/embed/x` được tải từ máy chủ khác; cổng thông tin không tải gì từ máy chủ khác: hãy đặt tệp vào content/static/ và dùng đường dẫn bắt đầu bằng /, hoặc đặt liên kết tới trang thay vì nhúng",
    );
}

/// Class 5: the forms editors type, and a suggestion for a near miss.
#[test]
fn forms_editors_write_are_accepted() {
    let task = "  - id: viec-mot\n    title: Việc\n    lead: so-mot\n    support: [so-hai]\n    deadline: tháng 6/2025\n    result: X\n    responsible: Y\n  - id: viec-thang\n    title: B\n    lead: so-hai\n    deadline: Hằng tháng\n    result: B\n    responsible: B\n  - id: viec-hai\n    title: H\n    lead: so-cu\n    deadline: Quý 3 năm 2025\n    result: X\n    responsible: Y\n  - id: viec-ba\n    title: Ba\n    lead: so-hai\n    deadline: Thường xuyên\n    result: X\n    responsible: Y\n";
    let r = "agency: so-mot\nperiod: 03/2025\nsubmitted: 19-03-2025\nupdates:\n  - task: viec-mot\n    state: in_progress\n";
    let run = check_vi(&[(PLAN, Some(&plan_with_task(task))), (REPORT, Some(r))]);
    assert!(!run.stderr.contains(": lỗi: "), "{}", run.stderr);
    // Decomposed (NFD) Vietnamese, as Word or macOS may save it.
    let nfd = plan_with_task(&task.replace("Quý 3 năm 2025", "quy\u{301} II/2025"));
    let run = check_vi(&[(PLAN, Some(&nfd))]);
    assert!(!run.stderr.contains(": lỗi: "), "{}", run.stderr);
}

#[test]
fn near_miss_dates_suggest_the_accepted_form() {
    let r = "agency: so-mot\nperiod: 2025-03\nsubmitted: 2025-3-19\nupdates:\n  - task: viec-mot\n    state: in_progress\n";
    let run = check_vi(&[(REPORT, Some(r))]);
    assert_error(
        &run,
        "content/reports/2025-03/so-mot.yaml:3:12: lỗi: `2025-3-19` không đúng dạng ngày; có phải ý bạn là 19/03/2025?",
    );
    let task = "  - id: viec-mot\n    title: Việc\n    lead: so-mot\n    deadline: thuong xuyen\n    result: X\n    responsible: Y\n";
    let run = check_vi(&[(PLAN, Some(&plan_with_task(task)))]);
    assert_error(
        &run,
        "content/plans/ke-hoach.yaml:8:15: lỗi: `thuong xuyen` không phải là thời hạn; hãy viết một ngày (2025-03-31, 31/03/2025), một tháng (2025-06, 06/2025), một quý (Q4/2025, quý IV/2025), `monthly` (hằng tháng) hoặc `ongoing` (thường xuyên); có phải ý bạn là `thường xuyên`?",
    );
}

/// Class 6: YAML mistakes named where they are, in plain words.
#[test]
fn yaml_tab_and_colon_in_plain_words() {
    let tab = "id: ke-hoach\ntitle: Kế hoạch\nissued: 2025-02-25\ntasks:\n\t- id: viec-mot\n";
    let run = check_vi(&[(PLAN, Some(tab))]);
    assert_error(
        &run,
        "content/plans/ke-hoach.yaml:5:1: lỗi: có ký tự tab ở đầu dòng; YAML thụt lề bằng dấu cách: hãy dùng dấu cách, không dùng tab",
    );
    let colon = "id: ke-hoach\ntitle: Kế hoạch: giai đoạn 2\nissued: 2025-02-25\n";
    let run = check_vi(&[(PLAN, Some(colon))]);
    assert_error(
        &run,
        "content/plans/ke-hoach.yaml:2:16: lỗi: có dấu hai chấm và dấu cách bên trong giá trị; hãy đặt cả đoạn chữ trong dấu ngoặc kép, ví dụ title: \"Kế hoạch: giai đoạn 2\"",
    );
    let run = check_with(PLAN, colon);
    assert_error(
        &run,
        "content/plans/ke-hoach.yaml:2:16: error: a colon followed by a space inside a value; put the text in quotes, for example title: \"Kế hoạch: giai đoạn 2\"",
    );
    let kpis = std::fs::read_to_string(fixture("minimal").join("content/kpis.yaml"))
        .unwrap()
        .replace("value: 50 }", "value: 50,5 }");
    let run = check_vi(&[("content/kpis.yaml", Some(&kpis))]);
    assert_error(
        &run,
        "content/kpis.yaml:6:44: lỗi: trong { } dấu phẩy dùng để ngăn cách các mục, nên `50,5` bị đọc thành 50 và một khóa `5`: hãy viết 50.5, hoặc đặt số trong dấu ngoặc kép (\"50,5\")",
    );
}

/// Class 7: one cause, one message.
#[test]
fn missing_agencies_yaml_is_one_message() {
    let run = check_vi(&[("content/agencies.yaml", None)]);
    assert_error(
        &run,
        "content/agencies.yaml: lỗi: thiếu tệp agencies.yaml; tệp này liệt kê các cơ quan và tổ công tác mà mọi nhiệm vụ, báo cáo và chỉ tiêu nhắc đến",
    );
    assert!(!run.stderr.contains("không có cơ quan"), "{}", run.stderr);
}

#[test]
fn plan_id_used_twice_is_the_only_error() {
    let copy = "id: ke-hoach\ntitle: Bản sao\nissued: 2025-02-25\ntasks:\n  - id: viec-moi\n    title: Mới\n    lead: so-mot\n    incomplete: x\n";
    let r = report(
        "  - task: viec-mot\n    state: in_progress\n  - task: viec-moi\n    state: in_progress\n",
    );
    let run = check_vi(&[
        ("content/plans/ban-sao.yaml", Some(copy)),
        (REPORT, Some(&r)),
    ]);
    assert_error(
        &run,
        "content/plans/ke-hoach.yaml:1:5: lỗi: mã kế hoạch `ke-hoach` bị trùng; mã này đã khai báo lần đầu tại content/plans/ban-sao.yaml:1:5",
    );
    assert_eq!(run.stderr.matches(": lỗi: ").count(), 1, "{}", run.stderr);
}

/// Class 9: tags that differ by case or diacritics, override files.
#[test]
fn tag_variants_get_one_name_and_a_warning() {
    let a = "---\ntitle: Tin hai\ndate: 2025-03-12\ntags: [Thử Nghiệm]\n---\nX\n";
    let b = "---\ntitle: Tin ba\ndate: 2025-03-13\ntags: [thử nghiệm]\n---\nY\n";
    let dir = site_with(&[
        ("content/news/tin-hai.md", Some(a.as_bytes())),
        ("content/news/tin-ba.md", Some(b.as_bytes())),
    ]);
    let run = tiendo(&["build"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.lines().any(|l| l == "content/news/tin-hai.md:4:8: cảnh báo: chủ đề `Thử Nghiệm` chỉ khác `thử nghiệm` ở chữ hoa, chữ thường hoặc dấu; hai chủ đề dùng chung một trang, hiển thị là `thử nghiệm`: hãy viết `thử nghiệm`"),
        "{}",
        run.stderr
    );
    let page =
        std::fs::read_to_string(dir.path().join("output/chu-de/thu-nghiem/index.html")).unwrap();
    for title in ["Tin một", "Tin hai", "Tin ba"] {
        assert!(page.contains(title), "{title} on the one tag page");
    }
}

#[test]
fn override_files_with_unknown_names_or_keys() {
    let dir = site_with(&[
        ("i18n/vi.yml", Some("nav_tasks: Việc\n".as_bytes())),
        ("i18n/en.yaml", Some("nav_task: Tasks\n".as_bytes())),
        ("templates/trang-chu.html", Some("x".as_bytes())),
    ]);
    let run = tiendo(&["check"], dir.path());
    assert_error(
        &run,
        "i18n/vi.yml: lỗi: `vi.yml` không được đọc: tệp chữ giao diện của trang phải là en.yaml, vi.yaml; có phải ý bạn là `vi.yaml`?",
    );
    assert_error(
        &run,
        "i18n/en.yaml:1:1: lỗi: không có chuỗi giao diện `nav_task`: giao diện không dùng khóa này nên dòng này không thay đổi gì; có phải ý bạn là `nav_tasks`?",
    );
    assert!(
        run.stderr.contains("templates/trang-chu.html: lỗi: `trang-chu.html` không phải mẫu giao diện của theme nên sẽ không thay đổi gì"),
        "{}",
        run.stderr
    );
}

#[test]
fn open_task_of_a_dissolved_lead_is_a_warning() {
    let agencies = std::fs::read_to_string(fixture("minimal").join("content/agencies.yaml"))
        .unwrap()
        + "  - id: so-giai-the\n    name: Sở giải thể\n    kind: department\n    dissolved: { date: 2025-04-01 }\n";
    let task = "  - id: viec-mot\n    title: Việc\n    lead: so-giai-the\n    deadline: 31/12/2025\n    result: X\n    responsible: Y\n";
    let run = check_vi(&[
        ("content/agencies.yaml", Some(&agencies)),
        (PLAN, Some(&plan_with_task(task))),
        (REPORT, None),
        ("content/reports/2025-04/so-mot.yaml", None),
        ("content/reports/2025-03/so-hai.yaml", None),
        ("content/reports/2025-04/so-hai.yaml", None),
    ]);
    assert!(
        run.stderr.lines().any(|l| l == "content/plans/ke-hoach.yaml:5:5: cảnh báo: nhiệm vụ `viec-mot` chưa xong mà cơ quan chủ trì `so-giai-the` đã giải thể, không có cơ quan kế thừa: không ai chịu trách nhiệm; hãy ghi cơ quan chủ trì mới ở `lead`"),
        "{}",
        run.stderr
    );
}

/// A portal that starts tracking after its plan was issued owes no report
/// before its first reporting period.
#[test]
fn no_report_is_missing_before_the_first_reporting_period() {
    let site = "title: Cổng\nbase_url: https://example.org/cong/\nas_of: 2025-04-25\nreporting_from: 04/2025\n";
    let dir = site_with(&[
        ("content/site.yaml", Some(site.as_bytes())),
        ("content/reports/2025-03/so-hai.yaml", None),
        ("content/reports/2025-04/so-hai.yaml", None),
    ]);
    let run = tiendo(&["check"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("kỳ 2025-03"), "{}", run.stderr);
    assert!(
        run.stderr.contains("`so-hai` chưa nộp báo cáo kỳ 2025-04"),
        "{}",
        run.stderr
    );
    // A plan's own setting wins over the site's.
    let plan = std::fs::read_to_string(fixture("minimal").join("content/plans/ke-hoach.yaml"))
        .unwrap()
        .replace(
            "issued: 2025-02-25\n",
            "issued: 2025-02-25\nreporting_from: 2025-05\n",
        );
    let dir = site_with(&[
        ("content/site.yaml", Some(site.as_bytes())),
        ("content/plans/ke-hoach.yaml", Some(plan.as_bytes())),
        ("content/reports/2025-04/so-hai.yaml", None),
    ]);
    let run = tiendo(&["check"], dir.path());
    assert!(!run.stderr.contains("chưa nộp báo cáo"), "{}", run.stderr);
}

/// The check summary in both languages: the site's first (Vietnamese) by
/// default, English with `--lang en`.
#[test]
fn check_summary_in_vietnamese_and_english() {
    let dir = site_with(&[]);
    let vi = tiendo(&["check"], dir.path());
    assert!(
        vi.stdout
            .contains("Số liệu tính đến ngày 25/04/2025 — 4 nhiệm vụ"),
        "{}",
        vi.stdout
    );
    assert!(vi.stderr.contains("0 lỗi, 1 cảnh báo"), "{}", vi.stderr);
    let en = tiendo(&["check", "--lang", "en"], dir.path());
    assert!(
        en.stdout.contains("Figures as of 25/04/2025 — 4 tasks"),
        "{}",
        en.stdout
    );
    assert!(en.stdout.contains("Done on time"), "{}", en.stdout);
    assert!(
        en.stderr.contains("0 error(s), 1 warning(s)"),
        "{}",
        en.stderr
    );
}

#[test]
fn images_from_other_hosts_or_without_alt_in_descriptions_notes_and_front_matter() {
    let plan = std::fs::read_to_string(fixture("minimal").join("content/plans/ke-hoach.yaml"))
        .unwrap()
        .replace(
            "    title: Việc một\n",
            "    title: Việc một\n    description: \"Sơ đồ: ![](https://cdn.example.com/so-do.png)\"\n",
        );
    let report = "agency: so-mot\nperiod: 2025-03\nsubmitted: 2025-03-19\nupdates:\n  - task: viec-mot\n    state: in_progress\n    progress: 50\n    note: \"![](/anh/a.png)\"\n";
    let article = "---\ntitle: Tin\ndate: 2025-03-10\nimage: https://cdn.example.com/a.jpg\nimage_alt: Ảnh\n---\nNội dung\n";
    let run = check_vi(&[
        ("content/plans/ke-hoach.yaml", Some(plan.as_str())),
        ("content/reports/2025-03/so-mot.yaml", Some(report)),
        ("content/news/tin-mot.md", Some(article)),
    ]);
    for line in [
        "content/plans/ke-hoach.yaml:8:18: lỗi: `https://cdn.example.com/so-do.png` được tải từ máy chủ khác; cổng thông tin không tải gì từ máy chủ khác: hãy đặt tệp vào content/static/ và dùng đường dẫn bắt đầu bằng /, hoặc đặt liên kết tới trang thay vì nhúng",
        "content/reports/2025-03/so-mot.yaml:8:11: lỗi: ảnh `/anh/a.png` không có mô tả thay thế; hãy ghi nội dung ảnh trong ngoặc vuông: ![Lễ ra mắt cổng thông tin](/anh/a.png)",
    ] {
        assert_error(&run, line);
    }
    assert!(
        run.stderr
            .contains("content/news/tin-mot.md:4:8: lỗi: `image`"),
        "{}",
        run.stderr
    );
}
