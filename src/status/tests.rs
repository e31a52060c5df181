//! The rule table row by row, with the boundary days; reporting duty;
//! lineage; KPI trends; and properties that must hold for any content.

use super::*;
use crate::date::{DeadlineForm, parse_deadline};
use crate::diag::Loc;
use crate::model::*;
use proptest::prelude::*;
use std::sync::Arc;

fn d(s: &str) -> Date {
    crate::date::parse_date(s).unwrap()
}

fn loc() -> Loc {
    Loc::file(&Arc::from("test"))
}

fn agency(id: &str, succession: Option<(SuccessionKind, Option<&str>, &str)>) -> Agency {
    Agency {
        id: id.into(),
        name: id.into(),
        short: None,
        name_en: None,
        kind: AgencyKind::Department,
        group: Some("to".into()),
        url: None,
        succession: succession.map(|(kind, to, date)| Succession {
            kind,
            to: to.map(Into::into),
            date: d(date),
            loc: loc(),
        }),
        loc: loc(),
    }
}

fn task(id: &str, lead: &str, deadline: &str) -> Task {
    Task {
        id: id.into(),
        reference: None,
        title: id.into(),
        title_en: None,
        description: None,
        description_en: None,
        plan: 0,
        lead: Some(lead.into()),
        support: vec![],
        deadline: Some(parse_deadline(deadline).unwrap()),
        deadline_changes: vec![],
        result: None,
        result_en: None,
        responsible: None,
        responsible_en: None,
        kpis: vec![],
        tags: vec![],
        incomplete: None,
        unresolved: false,
        formerly: Vec::new(),
        parent: None,
        parent_ref: None,
        loc: loc(),
    }
}

fn upd(task: &str, state: TaskState, progress: Option<f64>, done_on: Option<&str>) -> Update {
    Update {
        task: task.into(),
        progress,
        state,
        note: None,
        note_en: None,
        evidence: None,
        done_on: done_on.map(d),
        outlook: None,
        loc: loc(),
    }
}

fn report(agency: &str, period: &str, submitted: &str, updates: Vec<Update>) -> Report {
    Report {
        agency: agency.into(),
        period: Period::parse(period).unwrap(),
        submitted: d(submitted),
        summary: None,
        updates,
        kpi_values: vec![],
        proposals: vec![],
        replies: vec![],
        proposal_locs: vec![],
        reply_locs: vec![],
        file: Arc::from("r"),
    }
}

/// A model with agencies `lead`, `help`, `old` (merged into `lead` on
/// 01/03/2025) and `gone` (dissolved 01/04/2025), one plan issued 18/02/2025.
fn model(tasks: Vec<Task>, reports: Vec<Report>) -> Model {
    let mut m = Model {
        site: Some(Site {
            file: "content/site.yaml".into(),
            tag_names: Default::default(),
            title: "t".into(),
            title_en: None,
            description: None,
            description_en: None,
            base_url: "/".into(),
            owner: None,
            contact: None,
            languages: vec!["vi".into()],
            as_of: None,
            due_soon_days: 14,
            report_day: 20,
            sample_data: false,
            data_license: None,
        }),
        groups: vec![Group {
            id: "to".into(),
            name: "Tổ".into(),
            name_en: None,
            leader: None,
            leader_en: None,
            description: None,
            loc: loc(),
        }],
        agencies: vec![
            agency("lead", None),
            agency("help", None),
            agency(
                "old",
                Some((SuccessionKind::Merged, Some("lead"), "2025-03-01")),
            ),
            agency(
                "gone",
                Some((SuccessionKind::Dissolved, None, "2025-04-01")),
            ),
        ],
        plans: vec![Plan {
            id: "p".into(),
            title: "p".into(),
            title_en: None,
            issuer: None,
            issued: d("2025-02-18"),
            number: None,
            url: None,
            summary: None,
            file: Arc::from("p"),
            reporting_from: None,
            implements: None,
            implements_ref: None,
        }],
        tasks,
        reports,
        ..Model::default()
    };
    m.group_ix.insert("to".into(), 0);
    for (i, a) in m.agencies.iter().enumerate() {
        m.agency_ix.insert(a.id.clone(), i);
    }
    for (i, t) in m.tasks.iter().enumerate() {
        m.task_ix.insert(t.id.clone(), i);
    }
    for (i, k) in m.kpis.iter().enumerate() {
        m.kpi_ix.insert(k.id.clone(), i);
    }
    m
}

fn status_of(m: &Model, as_of: &str) -> TaskStatus {
    compute(m, d(as_of)).tasks[0].clone()
}

fn one(deadline: &str, reports: Vec<Report>) -> Model {
    model(vec![task("t", "lead", deadline)], reports)
}

fn done(on: &str, submitted: &str) -> Report {
    report(
        "lead",
        &submitted[..7],
        submitted,
        vec![upd("t", TaskState::Done, None, Some(on))],
    )
}

fn state(s: TaskState, progress: Option<f64>, submitted: &str) -> Report {
    report(
        "lead",
        &submitted[..7],
        submitted,
        vec![upd("t", s, progress, None)],
    )
}

// Rule 1: done, `done_on` on or before the deadline.
#[test]
fn rule_1_done_on_the_deadline_day_is_on_time() {
    let s = status_of(
        &one("2025-03-31", vec![done("2025-03-31", "2025-04-01")]),
        "2025-06-01",
    );
    assert_eq!(s.status, Status::DoneOnTime);
    assert_eq!(s.days_late, None);
    assert_eq!(s.progress, 100.0, "a done task without progress shows 100");
}

// Rule 2: done after the deadline, days late = done_on - deadline.
#[test]
fn rule_2_done_the_day_after_is_late_by_one() {
    let s = status_of(
        &one("2025-03-31", vec![done("2025-04-01", "2025-04-02")]),
        "2025-06-01",
    );
    assert_eq!(s.status, Status::DoneLate);
    assert_eq!(s.days_late, Some(1));
}

// Rule 3: recurring tasks are never overdue.
#[test]
fn rule_3_monthly_and_ongoing_are_ongoing() {
    for deadline in ["monthly", "ongoing"] {
        let s = status_of(&one(deadline, vec![]), "2030-01-01");
        assert_eq!(s.status, Status::Ongoing, "{deadline}");
        assert_eq!(s.days_late, None);
    }
}

// Rule 4: not done and D after the deadline; the deadline day itself is not overdue.
#[test]
fn rule_4_overdue_from_the_first_day_after() {
    let m = one(
        "2025-03-31",
        vec![state(TaskState::Blocked, Some(40.0), "2025-03-10")],
    );
    assert_eq!(status_of(&m, "2025-03-31").status, Status::DueSoon);
    let s = status_of(&m, "2025-04-01");
    assert_eq!(s.status, Status::Overdue, "overdue beats blocked");
    assert_eq!(s.days_late, Some(1));
    assert_eq!(status_of(&m, "2025-05-01").days_late, Some(31));
}

// Rule 5: at most due_soon_days before the deadline.
#[test]
fn rule_5_due_soon_edge() {
    let m = one(
        "2025-03-31",
        vec![state(TaskState::InProgress, Some(10.0), "2025-03-01")],
    );
    let s = status_of(&m, "2025-03-17");
    assert_eq!((s.status, s.days_left), (Status::DueSoon, Some(14)));
    assert_eq!(status_of(&m, "2025-03-16").status, Status::InProgress);
    assert_eq!(status_of(&m, "2025-03-31").days_left, Some(0));
}

// Rule 6: blocked, far from the deadline.
#[test]
fn rule_6_blocked() {
    let m = one(
        "2025-12-31",
        vec![state(TaskState::Blocked, None, "2025-03-10")],
    );
    assert_eq!(status_of(&m, "2025-04-01").status, Status::Blocked);
}

// Rule 7: in progress, or progress above 0; a missing progress keeps the previous one.
#[test]
fn rule_7_in_progress_and_previous_progress_stands() {
    let m = one(
        "2025-12-31",
        vec![
            state(TaskState::InProgress, Some(40.0), "2025-03-10"),
            state(TaskState::InProgress, None, "2025-04-10"),
        ],
    );
    let s = status_of(&m, "2025-05-01");
    assert_eq!(s.status, Status::InProgress);
    assert_eq!(s.progress, 40.0);
}

// Rule 8: nothing reported, or reported not started.
#[test]
fn rule_8_not_started() {
    assert_eq!(
        status_of(&one("2025-12-31", vec![]), "2025-04-01").status,
        Status::NotStarted
    );
    let m = one(
        "2025-12-31",
        vec![state(TaskState::NotStarted, Some(0.0), "2025-03-10")],
    );
    assert_eq!(status_of(&m, "2025-04-01").status, Status::NotStarted);
}

#[test]
fn leap_day_deadline() {
    let m = one("2024-02", vec![]);
    assert_eq!(
        m.tasks[0].deadline,
        Some(Deadline::Date(d("2024-02-29"), DeadlineForm::Month))
    );
    assert_eq!(status_of(&m, "2024-02-29").status, Status::DueSoon);
    let s = status_of(&m, "2024-03-01");
    assert_eq!((s.status, s.days_late), (Status::Overdue, Some(1)));
}

#[test]
fn end_of_quarter_deadline() {
    let m = one("quý I/2025", vec![]);
    assert_eq!(status_of(&m, "2025-03-31").status, Status::DueSoon);
    assert_eq!(status_of(&m, "2025-04-01").days_late, Some(1));
    let late = one("Q1/2025", vec![done("2025-04-02", "2025-04-03")]);
    assert_eq!(status_of(&late, "2025-05-01").days_late, Some(2));
}

#[test]
fn a_deadline_change_takes_effect_on_its_date() {
    let mut t = task("t", "lead", "2025-03-31");
    t.deadline_changes.push(DeadlineChange {
        to: parse_deadline("2025-05-31").unwrap(),
        date: d("2025-04-10"),
        by: None,
        reason: None,
    });
    let m = model(vec![t], vec![]);
    let before = status_of(&m, "2025-04-09");
    assert_eq!(
        (before.status, before.days_late, before.extensions),
        (Status::Overdue, Some(9), 0)
    );
    let after = status_of(&m, "2025-04-10");
    assert_eq!((after.status, after.extensions), (Status::NotStarted, 1));
    assert_eq!(after.deadline.and_then(|x| x.date()), Some(d("2025-05-31")));
}

#[test]
fn only_reports_submitted_by_d_count() {
    let m = one("2025-12-31", vec![done("2025-03-05", "2025-03-20")]);
    assert_eq!(status_of(&m, "2025-03-19").status, Status::NotStarted);
    assert_eq!(status_of(&m, "2025-03-20").status, Status::DoneOnTime);
}

#[test]
fn only_the_lead_sets_state() {
    let mut t = task("t", "lead", "2025-12-31");
    t.support.push("help".into());
    let m = model(
        vec![t],
        vec![report(
            "help",
            "2025-03",
            "2025-03-20",
            vec![upd("t", TaskState::InProgress, Some(90.0), None)],
        )],
    );
    let f = compute(&m, d("2025-04-01"));
    assert_eq!(f.tasks[0].status, Status::NotStarted);
    assert_eq!(
        f.timelines[0].len(),
        1,
        "support updates still appear in the timeline"
    );
    assert!(!f.timelines[0][0].from_lead);
}

#[test]
fn latest_update_wins_then_later_period() {
    let m = one(
        "2025-12-31",
        vec![
            report(
                "lead",
                "2025-04",
                "2025-04-20",
                vec![upd("t", TaskState::Blocked, None, None)],
            ),
            report(
                "lead",
                "2025-03",
                "2025-04-20",
                vec![upd("t", TaskState::InProgress, Some(30.0), None)],
            ),
        ],
    );
    assert_eq!(status_of(&m, "2025-05-01").status, Status::Blocked);
}

#[test]
fn a_later_update_reopens_a_task() {
    let m = one(
        "2025-12-31",
        vec![
            done("2025-03-10", "2025-03-15"),
            state(TaskState::InProgress, Some(80.0), "2025-04-15"),
        ],
    );
    assert_eq!(status_of(&m, "2025-04-01").status, Status::DoneOnTime);
    assert_eq!(status_of(&m, "2025-04-20").status, Status::InProgress);
}

#[test]
fn lineage_passes_the_task_and_the_scorecard() {
    let m = model(
        vec![task("t", "old", "2025-12-31")],
        vec![
            report(
                "old",
                "2025-02",
                "2025-02-20",
                vec![upd("t", TaskState::InProgress, Some(10.0), None)],
            ),
            report(
                "lead",
                "2025-03",
                "2025-03-20",
                vec![upd("t", TaskState::Blocked, Some(20.0), None)],
            ),
        ],
    );
    let before = compute(&m, d("2025-02-25"));
    assert_eq!(before.tasks[0].lead_on.as_deref(), Some("old"));
    assert_eq!(before.agencies["old"].rollup.total, 1);
    let after = compute(&m, d("2025-03-25"));
    assert_eq!(after.tasks[0].lead_on.as_deref(), Some("lead"));
    assert_eq!(
        after.tasks[0].status,
        Status::Blocked,
        "the successor's update is the lead's"
    );
    assert_eq!(after.agencies["lead"].rollup.total, 1);
    assert_eq!(after.agencies["old"].rollup.total, 0);
}

#[test]
fn reporting_duty_on_time_late_missing() {
    let mut t = task("t", "lead", "2025-12-31");
    t.support.push("help".into());
    let m = model(
        vec![t],
        vec![
            report("lead", "2025-02", "2025-02-20", vec![]),
            report("help", "2025-02", "2025-02-24", vec![]),
            report("lead", "2025-03", "2025-03-19", vec![]),
        ],
    );
    let f = compute(&m, d("2025-03-25"));
    let feb = &f.months[&Period::parse("2025-02").unwrap()];
    let outcome =
        |list: &Vec<Duty>, a: &str| list.iter().find(|x| x.agency == a).map(|x| x.outcome);
    assert_eq!(outcome(feb, "lead"), Some(Outcome::OnTime));
    assert_eq!(outcome(feb, "help"), Some(Outcome::Late(4)));
    let mar = &f.months[&Period::parse("2025-03").unwrap()];
    assert_eq!(outcome(mar, "help"), Some(Outcome::Missing));
    assert_eq!(f.agencies["lead"].compliance, Some(1.0));
    assert_eq!(f.agencies["help"].compliance, Some(0.0));
    assert!(
        !f.months.contains_key(&Period::parse("2025-04").unwrap()),
        "April is not judged before its report day"
    );
}

#[test]
fn a_task_done_before_the_month_owes_nothing() {
    let m = one("2025-12-31", vec![done("2025-02-25", "2025-02-27")]);
    let f = compute(&m, d("2025-04-25"));
    assert!(
        f.months
            .get(&Period::parse("2025-03").unwrap())
            .is_none_or(|l| l.is_empty())
    );
    // Done in a report submitted in February: it was open on 1 February, so February is owed.
    assert_eq!(f.months[&Period::parse("2025-02").unwrap()].len(), 1);
}

#[test]
fn no_report_is_owed_before_the_plan_is_issued() {
    let mut m = one("2025-12-31", vec![]);
    m.plans[0].issued = d("2025-02-20");
    let f = compute(&m, d("2025-02-28"));
    assert!(
        f.months.is_empty(),
        "report day 20/02 is not after the issue date"
    );
}

#[test]
fn report_day_past_a_short_month_falls_on_its_last_day() {
    let mut m = one(
        "2025-12-31",
        vec![report("lead", "2025-02", "2025-02-28", vec![])],
    );
    m.site.as_mut().unwrap().report_day = 31;
    let f = compute(&m, d("2025-03-05"));
    let feb = &f.months[&Period::parse("2025-02").unwrap()];
    assert_eq!(feb[0].due, d("2025-02-28"));
    assert_eq!(feb[0].outcome, Outcome::OnTime);
}

#[test]
fn a_dissolved_agency_owes_nothing_after() {
    let m = model(vec![task("t", "gone", "2025-12-31")], vec![]);
    let f = compute(&m, d("2025-05-25"));
    let owed: Vec<&str> = f
        .months
        .values()
        .flatten()
        .map(|x| x.agency.as_str())
        .collect();
    assert_eq!(owed, ["gone", "gone"], "February and March only");
    assert_eq!(f.tasks[0].lead_on, None);
}

#[test]
fn a_report_nobody_owed_counts_for_no_one() {
    let m = model(
        vec![task("t", "lead", "ongoing")],
        vec![report("help", "2025-03", "2025-03-01", vec![])],
    );
    let f = compute(&m, d("2025-04-25"));
    assert!(f.agencies["help"].duties.is_empty());
    assert_eq!(f.agencies["help"].compliance, None);
}

#[test]
fn recurring_tasks_are_judged_by_period() {
    let m = one(
        "monthly",
        vec![state(TaskState::InProgress, None, "2025-03-22")],
    );
    let f = compute(&m, d("2025-04-25"));
    let list = &f.recurring[&0];
    let outcomes: Vec<Outcome> = list.iter().map(|(_, o)| *o).collect();
    assert_eq!(
        outcomes,
        [Outcome::Missing, Outcome::Late(2), Outcome::Missing]
    );
}

#[test]
fn rollups_and_on_time_rate() {
    let m = model(
        vec![
            task("a", "lead", "2025-03-31"),
            task("b", "lead", "2025-03-31"),
            task("c", "lead", "2025-03-31"),
            task("e", "help", "2025-03-01"),
        ],
        vec![report(
            "lead",
            "2025-04",
            "2025-04-10",
            vec![
                upd("a", TaskState::Done, None, Some("2025-03-30")),
                upd("b", TaskState::Done, None, Some("2025-04-05")),
                upd("c", TaskState::InProgress, Some(50.0), None),
            ],
        )],
    );
    let f = compute(&m, d("2025-04-20"));
    let r = &f.overall;
    assert_eq!(r.total, 4);
    assert_eq!(r.counts.iter().sum::<usize>(), 4);
    assert_eq!(r.on_time_rate, Some(0.5));
    assert_eq!(
        r.overdue,
        vec![3, 2],
        "most days late first: e (50) then c (20)"
    );
    assert_eq!(r.avg_progress, Some((100.0 + 100.0 + 50.0 + 0.0) / 4.0));
    assert_eq!(f.groups["to"].total, 4);
    assert_eq!(f.agencies["lead"].rollup.total, 3);
}

/// Task `t` (31/03, extended on 25/03 to 15/04, done on `done_on`) and task
/// `u` (10/04, never reported).
fn extended_then_done(done_on: &str) -> Model {
    let mut t = task("t", "lead", "2025-03-31");
    t.deadline_changes.push(DeadlineChange {
        to: parse_deadline("2025-04-15").unwrap(),
        date: d("2025-03-25"),
        by: None,
        reason: None,
    });
    model(
        vec![t, task("u", "lead", "2025-04-10")],
        vec![report(
            "lead",
            "2025-04",
            "2025-04-20",
            vec![upd("t", TaskState::Done, None, Some(done_on))],
        )],
    )
}

#[test]
fn month_changes() {
    let m = extended_then_done("2025-04-12");
    let f = compute(&m, d("2025-05-01"));
    let mar = &f.changes[&Period::parse("2025-03").unwrap()];
    assert_eq!(mar.extended, vec![(0, 0)]);
    let apr = &f.changes[&Period::parse("2025-04").unwrap()];
    assert_eq!(apr.finished, vec![0]);
    assert_eq!(apr.became_overdue, vec![1]);
}

fn kpi_model(
    direction: Direction,
    target: f64,
    baseline: Option<(&str, f64)>,
    values: &[(&str, &str, f64)],
) -> Model {
    let mut m = model(vec![], vec![]);
    m.kpis.push(Kpi {
        id: "k".into(),
        name: "k".into(),
        name_en: None,
        description: None,
        reference: None,
        unit: "%".into(),
        target,
        direction,
        baseline: baseline.map(|(date, v)| (d(date), v)),
        deadline: parse_deadline("2025-12-31").unwrap(),
        owner: "lead".into(),
        tasks: vec![],
        meta: Default::default(),
        loc: loc(),
    });
    m.kpi_ix.insert("k".into(), 0);
    for (submitted, date, value) in values {
        let mut r = report("lead", &submitted[..7], submitted, vec![]);
        r.kpi_values.push(KpiValue {
            kpi: "k".into(),
            date: d(date),
            value: *value,
            note: None,
            loc: loc(),
        });
        m.reports.push(r);
    }
    m
}

#[test]
fn kpi_trend_reaches_target() {
    let m = kpi_model(
        Direction::Up,
        90.0,
        Some(("2025-01-01", 50.0)),
        &[
            ("2025-03-20", "2025-03-15", 60.0),
            ("2025-06-20", "2025-06-15", 70.0),
        ],
    );
    let k = &compute(&m, d("2025-07-01")).kpis[0];
    assert_eq!(k.latest.as_ref().map(|p| p.value), Some(70.0));
    assert_eq!(k.gap, Some(20.0));
    let t = k.trend.unwrap();
    assert!(t.projected > 90.0, "{t:?}");
    assert_eq!(k.verdict, Verdict::OnTrack);
}

#[test]
fn kpi_down_direction_and_reached() {
    let m = kpi_model(
        Direction::Down,
        10.0,
        Some(("2025-01-01", 30.0)),
        &[("2025-03-20", "2025-03-15", 8.0)],
    );
    let k = &compute(&m, d("2025-07-01")).kpis[0];
    assert_eq!(k.gap, Some(0.0));
    assert!(k.reached);
    assert_eq!(k.verdict, Verdict::Reached);
    let slow = kpi_model(
        Direction::Down,
        10.0,
        Some(("2025-01-01", 30.0)),
        &[("2025-06-20", "2025-06-15", 29.0)],
    );
    assert_eq!(
        compute(&slow, d("2025-07-01")).kpis[0].verdict,
        Verdict::OffTrack
    );
}

#[test]
fn kpi_with_too_few_points() {
    let none = kpi_model(Direction::Up, 90.0, None, &[]);
    let k = &compute(&none, d("2025-07-01")).kpis[0];
    assert_eq!(
        (k.latest.is_none(), k.gap, k.verdict),
        (true, None, Verdict::NotEnoughData)
    );
    let one = kpi_model(Direction::Up, 90.0, Some(("2025-01-01", 50.0)), &[]);
    assert_eq!(
        compute(&one, d("2025-07-01")).kpis[0].verdict,
        Verdict::NotEnoughData
    );
    let same_day = kpi_model(
        Direction::Up,
        90.0,
        Some(("2025-03-15", 50.0)),
        &[("2025-03-20", "2025-03-15", 60.0)],
    );
    let k = &compute(&same_day, d("2025-07-01")).kpis[0];
    assert_eq!(
        k.points.len(),
        1,
        "a reported value replaces the baseline of the same date"
    );
    assert_eq!(k.verdict, Verdict::NotEnoughData);
}

#[test]
fn kpi_same_date_later_submission_stands() {
    let m = kpi_model(
        Direction::Up,
        90.0,
        None,
        &[
            ("2025-04-20", "2025-03-15", 61.0),
            ("2025-03-20", "2025-03-15", 60.0),
        ],
    );
    let k = &compute(&m, d("2025-07-01")).kpis[0];
    assert_eq!(k.points.iter().map(|p| p.value).collect::<Vec<_>>(), [61.0]);
    let earlier = &compute(&m, d("2025-04-01")).kpis[0];
    assert_eq!(
        earlier.latest.as_ref().map(|p| p.value),
        Some(60.0),
        "the later value is not known yet"
    );
}

// ---- properties ----

fn arb_state() -> impl Strategy<Value = TaskState> {
    prop_oneof![
        Just(TaskState::NotStarted),
        Just(TaskState::InProgress),
        Just(TaskState::Blocked),
        Just(TaskState::Done)
    ]
}

/// Days after 01/02/2025.
fn day(n: u32) -> Date {
    d("2025-02-01") + chrono::Duration::days(n as i64)
}

prop_compose! {
    /// A random task with random updates from its lead and deadline changes.
    fn arb_site()(
        deadline in 0u32..300,
        recurring in any::<bool>(),
        changes in proptest::collection::vec((0u32..300, 0u32..300), 0..3),
        updates in proptest::collection::vec((0u32..300, arb_state(), proptest::option::of(0u32..=100), 0u32..30), 0..8),
    ) -> Model {
        let mut t = task("t", "lead", "2025-12-31");
        t.deadline = Some(if recurring { Deadline::Ongoing } else { Deadline::Date(day(deadline), DeadlineForm::Day) });
        if !recurring {
            for (to, on) in changes {
                t.deadline_changes.push(DeadlineChange { to: Deadline::Date(day(to), DeadlineForm::Day), date: day(on), by: None, reason: None });
            }
            t.deadline_changes.sort_by_key(|c| c.date);
        }
        let reports = updates
            .into_iter()
            .map(|(sub, st, progress, back)| {
                let submitted = day(sub);
                let st = if recurring && st == TaskState::Done { TaskState::InProgress } else { st };
                let progress = if st == TaskState::NotStarted { None } else { progress.map(f64::from) };
                let done_on = (st == TaskState::Done).then(|| submitted - chrono::Duration::days(back as i64));
                let mut u = upd("t", st, progress, None);
                u.done_on = done_on;
                let mut r = report("lead", "2025-02", "2025-02-01", vec![u]);
                r.submitted = submitted;
                r.period = Period::of(submitted);
                r
            })
            .collect();
        model(vec![t], reports)
    }
}

proptest! {
    #[test]
    fn never_overdue_before_the_deadline_in_force(m in arb_site(), at in 0u32..320) {
        let on = day(at);
        let s = &compute(&m, on).tasks[0];
        if s.status == Status::Overdue {
            let due = deadline_on(&m.tasks[0], on).0.and_then(|x| x.date());
            prop_assert!(due.is_some_and(|due| on > due));
        }
    }

    #[test]
    fn done_stays_done_until_a_later_update(m in arb_site(), a in 0u32..320, b in 0u32..320) {
        let (d1, d2) = (day(a.min(b)), day(a.max(b)));
        let s1 = compute(&m, d1).tasks[0].status;
        let later = m.reports.iter().any(|r| r.submitted > d1 && r.submitted <= d2);
        if s1.is_done() && !later {
            prop_assert!(compute(&m, d2).tasks[0].status.is_done());
        }
    }

    #[test]
    fn rollup_counts_add_up(m in arb_site(), at in 0u32..320) {
        let f = compute(&m, day(at));
        // Tasks of a plan issued after D count nowhere.
        let counted = f.tasks.iter().filter(|s| s.issued).count();
        prop_assert_eq!(f.overall.counts.iter().sum::<usize>(), counted);
        prop_assert_eq!(f.overall.total, counted);
        let by_agency: usize = f.agencies.values().map(|a| a.rollup.counts.iter().sum::<usize>()).sum();
        let unled = f.tasks.iter().filter(|s| s.issued && s.lead_on.is_none()).count();
        prop_assert_eq!(by_agency + unled, counted);
        prop_assert_eq!(f.groups.values().map(|g| g.total).sum::<usize>(), counted - unled);
    }

    #[test]
    fn an_earlier_as_of_ignores_every_later_report(m in arb_site(), at in 0u32..320) {
        let on = day(at);
        let mut known = model(m.tasks.clone(), m.reports.iter().filter(|r| r.submitted <= on).cloned().collect());
        known.kpis.clone_from(&m.kpis);
        let a = compute(&m, on);
        let b = compute(&known, on);
        prop_assert_eq!(a.tasks[0].status, b.tasks[0].status);
        prop_assert_eq!(a.tasks[0].progress, b.tasks[0].progress);
        prop_assert_eq!(a.tasks[0].days_late, b.tasks[0].days_late);
        prop_assert_eq!(a.timelines[0].len(), b.timelines[0].len());
        let duties = |f: &Figures| f.months.values().flatten().map(|x| (x.agency.clone(), x.period, x.outcome)).collect::<Vec<_>>();
        prop_assert_eq!(duties(&a), duties(&b));
    }
}

#[test]
fn burnup_counts_due_and_done_by_date() {
    let m = model(
        vec![
            task("a", "lead", "2025-03-31"),
            task("b", "lead", "2025-04-30"),
            task("c", "lead", "ongoing"),
        ],
        vec![report(
            "lead",
            "2025-04",
            "2025-04-10",
            vec![upd("a", TaskState::Done, None, Some("2025-04-05"))],
        )],
    );
    let f = compute(&m, d("2025-05-15"));
    let b = burnup(&m, &f);
    let at = |s: &str| b.iter().find(|p| p.date == d(s)).map(|p| (p.due, p.done));
    assert_eq!(at("2025-02-18"), Some((0, 0)));
    assert_eq!(at("2025-03-31"), Some((1, 0)));
    assert_eq!(at("2025-04-05"), Some((1, 1)));
    assert_eq!(at("2025-04-30"), Some((2, 1)));
    assert_eq!(
        b.last().map(|p| (p.date, p.due, p.done)),
        Some((d("2025-05-15"), 2, 1))
    );
}

#[test]
fn events_of_a_month() {
    let m = extended_then_done("2025-04-16");
    let f = compute(&m, d("2025-05-01"));
    let ev: Vec<(Date, EventKind, Option<usize>)> = events(&m, &f)
        .iter()
        .map(|e| (e.date, e.kind, e.task))
        .collect();
    assert!(ev.contains(&(d("2025-04-16"), EventKind::Finished, Some(0))));
    assert!(
        ev.contains(&(d("2025-04-16"), EventKind::BecameOverdue, Some(0))),
        "done a day after the extended deadline"
    );
    assert!(ev.contains(&(d("2025-04-11"), EventKind::BecameOverdue, Some(1))));
    assert!(ev.contains(&(d("2025-03-25"), EventKind::Extended, Some(0))));
    assert!(ev.iter().any(|e| e.1 == EventKind::ReportMissing), "{ev:?}");
    assert!(ev.windows(2).all(|w| w[0].0 >= w[1].0), "newest first");
}

#[test]
fn supporters_on_d_follow_lineage_once_each_without_the_lead() {
    let mut t = task("a", "help", "2025-12-31");
    // `old` merged into `lead` on 2025-03-01; `gone` was dissolved.
    t.support = vec!["lead".into(), "old".into(), "help".into(), "gone".into()];
    let m = model(vec![t], vec![]);
    assert_eq!(
        status_of(&m, "2025-02-28").support_on,
        ["lead", "old", "gone"]
    );
    assert_eq!(status_of(&m, "2025-06-01").support_on, ["lead"]);
}

#[test]
fn agencies_are_ranked_most_overdue_then_most_open() {
    let m = model(
        vec![
            task("x", "help", "2025-03-31"),
            task("y", "lead", "2025-03-31"),
            task("z", "lead", "2025-12-31"),
        ],
        vec![],
    );
    let f = compute(&m, d("2025-06-01"));
    // One overdue each; `lead` has more open tasks.
    assert_eq!(f.agency_ranking, ["lead", "help"]);
    assert_eq!(f.group_leads["to"], [0, 1, 2]);
    let f = compute(&m, d("2025-03-01"));
    assert_eq!(f.agency_ranking, ["lead", "help"]);
}

#[test]
fn reports_known_by_d_name_their_months_and_get_pages() {
    let early = report("lead", "2025-01", "2025-01-20", vec![]);
    let late = report("lead", "2025-09", "2025-06-10", vec![]);
    let unknown = report("lead", "2025-10", "2025-10-10", vec![]);
    let m = model(
        vec![task("a", "lead", "2025-12-31")],
        vec![early, late, unknown],
    );
    let f = compute(&m, d("2025-06-25"));
    let p = |s: &str| crate::date::Period::parse(s).unwrap();
    assert_eq!(
        f.reports_known.keys().copied().collect::<Vec<_>>(),
        [p("2025-01"), p("2025-09")]
    );
    for month in ["2025-01", "2025-03", "2025-06", "2025-09"] {
        assert!(f.report_months.contains(&p(month)), "{month}");
    }
    assert!(!f.report_months.contains(&p("2025-10")));
}

/// `kpi_model` with another unit and deadline.
fn kpi_with(
    unit: &str,
    deadline: &str,
    direction: Direction,
    target: f64,
    baseline: Option<(&str, f64)>,
    values: &[(&str, &str, f64)],
) -> Model {
    let mut m = kpi_model(direction, target, baseline, values);
    m.kpis[0].unit = unit.into();
    m.kpis[0].deadline = parse_deadline(deadline).unwrap();
    m
}

/// Whatever the verdict, no projection is to a past date or past a bound.
fn assert_projection_sound(k: &KpiStatus, as_of: Date) {
    let Some(p) = k.projection else {
        assert!(
            !matches!(k.verdict, Verdict::OnTrack | Verdict::OffTrack),
            "{k:?}"
        );
        return;
    };
    assert!(matches!(k.verdict, Verdict::OnTrack | Verdict::OffTrack));
    assert!(p.deadline >= as_of, "projection to a past date: {p:?}");
    assert!(p.end.0 >= as_of && p.end.0 <= p.deadline, "{p:?}");
    for v in [p.at_deadline, p.end.1] {
        assert!(v >= k.scale.min, "{p:?}");
        assert!(k.scale.max.is_none_or(|max| v <= max), "{p:?}");
    }
    if k.scale.whole {
        assert_eq!(p.at_deadline.fract(), 0.0, "{p:?}");
    }
    if let Some(r) = p.reaches_on {
        assert!(r >= as_of && r <= p.deadline, "{p:?}");
    }
}

#[test]
fn kpi_reached_before_the_deadline() {
    let m = kpi_with(
        "%",
        "2025-12-31",
        Direction::Up,
        80.0,
        Some(("2025-01-01", 50.0)),
        &[
            ("2025-03-20", "2025-03-15", 79.0),
            ("2025-05-20", "2025-05-15", 82.0),
        ],
    );
    let k = &compute(&m, d("2025-07-01")).kpis[0];
    assert_eq!(k.verdict, Verdict::Reached);
    assert_eq!(k.reached_on, Some(d("2025-05-15")));
    assert!(!k.reached_late);
    assert!(k.projection.is_none(), "no projection once reached");
}

#[test]
fn kpi_reached_after_the_deadline() {
    // The IOC/SOC case: two centres due by 31/03, the second running from
    // 15/05. Reached, late, and no projection to 31/03.
    let m = kpi_with(
        "trung tâm",
        "2025-03-31",
        Direction::Up,
        2.0,
        Some(("2025-02-18", 0.0)),
        &[
            ("2025-03-20", "2025-03-15", 1.0),
            ("2025-05-20", "2025-05-15", 2.0),
        ],
    );
    let as_of = d("2025-06-25");
    let k = &compute(&m, as_of).kpis[0];
    assert_eq!(k.verdict, Verdict::Reached);
    assert_eq!(k.reached_on, Some(d("2025-05-15")));
    assert!(k.reached_late);
    assert!(k.scale.whole && !k.scale.percent);
    assert_projection_sound(k, as_of);
}

#[test]
fn kpi_missed_when_the_deadline_passed_short() {
    let m = kpi_with(
        "%",
        "2025-04-30",
        Direction::Up,
        100.0,
        Some(("2024-12-31", 74.0)),
        &[
            ("2025-03-20", "2025-03-15", 90.0),
            ("2025-04-20", "2025-04-15", 96.0),
        ],
    );
    let as_of = d("2025-06-25");
    let k = &compute(&m, as_of).kpis[0];
    assert_eq!(k.verdict, Verdict::Missed);
    assert_eq!(k.gap, Some(4.0));
    assert!(k.projection.is_none());
    // On the deadline day itself it is still judged by its trend.
    let k = &compute(&m, d("2025-04-30")).kpis[0];
    assert_ne!(k.verdict, Verdict::Missed);
    assert_projection_sound(k, d("2025-04-30"));
}

#[test]
fn kpi_on_track_says_when_the_trend_reaches_the_target() {
    // 50 -> 90 in five months: the line passes 98% well before 31/12 and
    // would pass 100% too; the projection stops at the target and the
    // value at the deadline is held at 100%.
    let m = kpi_with(
        "%",
        "2025-12-31",
        Direction::Up,
        98.0,
        Some(("2025-01-01", 50.0)),
        &[("2025-06-20", "2025-06-01", 90.0)],
    );
    let as_of = d("2025-06-25");
    let k = &compute(&m, as_of).kpis[0];
    assert_eq!(k.verdict, Verdict::OnTrack);
    let p = k.projection.unwrap();
    assert_eq!(p.at_deadline, 100.0, "bounded at 100%");
    assert_eq!(p.end.1, 98.0, "the trend is drawn up to the target");
    let r = p.reaches_on.unwrap();
    assert!(r > as_of && r < d("2025-08-01"), "{r}");
    assert_projection_sound(k, as_of);
}

#[test]
fn kpi_off_track_projects_within_bounds() {
    // Falling share: the line would go below 0% before the deadline.
    let m = kpi_with(
        "%",
        "2026-12-31",
        Direction::Up,
        50.0,
        Some(("2025-01-01", 20.0)),
        &[("2025-06-20", "2025-06-01", 10.0)],
    );
    let as_of = d("2025-06-25");
    let k = &compute(&m, as_of).kpis[0];
    assert_eq!(k.verdict, Verdict::OffTrack);
    let p = k.projection.unwrap();
    assert_eq!(p.at_deadline, 0.0);
    assert_eq!(p.end.1, 0.0);
    assert!(p.end.0 < p.deadline, "stops where the line meets 0%");
    assert!(p.reaches_on.is_none());
    assert_projection_sound(k, as_of);
}

#[test]
fn kpi_counts_project_to_whole_numbers() {
    let m = kpi_with(
        "trung tâm",
        "2025-12-31",
        Direction::Up,
        5.0,
        Some(("2025-01-01", 0.0)),
        &[("2025-06-20", "2025-06-01", 1.0)],
    );
    let as_of = d("2025-06-25");
    let k = &compute(&m, as_of).kpis[0];
    assert_eq!(k.verdict, Verdict::OffTrack);
    let p = k.projection.unwrap();
    assert_eq!(p.at_deadline, 2.0, "2.2 centres is 2 whole centres");
    assert_projection_sound(k, as_of);
}

#[test]
fn kpi_down_lower_is_better() {
    // A ranking: 38th, then 34th; target 30th by the end of the year.
    let m = kpi_with(
        "hạng",
        "2025-12-31",
        Direction::Down,
        30.0,
        Some(("2025-01-01", 38.0)),
        &[("2025-04-20", "2025-04-01", 34.0)],
    );
    let as_of = d("2025-06-25");
    let k = &compute(&m, as_of).kpis[0];
    assert_eq!(k.gap, Some(4.0));
    assert_eq!(k.verdict, Verdict::OnTrack);
    let p = k.projection.unwrap();
    assert!(p.at_deadline <= 30.0);
    assert_eq!(p.end.1, 30.0);
    assert_projection_sound(k, as_of);
    let slow = kpi_with(
        "hạng",
        "2025-12-31",
        Direction::Down,
        30.0,
        Some(("2025-01-01", 38.0)),
        &[("2025-06-20", "2025-06-01", 37.0)],
    );
    let k = &compute(&slow, as_of).kpis[0];
    assert_eq!(k.verdict, Verdict::OffTrack);
    assert_eq!(
        k.projection.unwrap().at_deadline,
        36.0,
        "rounded up: cautious"
    );
    assert_projection_sound(k, as_of);
}

#[test]
fn kpi_one_value() {
    let ahead = kpi_with(
        "%",
        "2025-12-31",
        Direction::Up,
        90.0,
        Some(("2025-01-01", 50.0)),
        &[],
    );
    let k = &compute(&ahead, d("2025-06-25")).kpis[0];
    assert_eq!(k.verdict, Verdict::NotEnoughData);
    assert!(k.projection.is_none());
    let past = kpi_with(
        "%",
        "2025-03-31",
        Direction::Up,
        90.0,
        Some(("2025-01-01", 50.0)),
        &[],
    );
    assert_eq!(
        compute(&past, d("2025-06-25")).kpis[0].verdict,
        Verdict::Missed
    );
    let met = kpi_with(
        "%",
        "2025-03-31",
        Direction::Up,
        40.0,
        Some(("2025-01-01", 50.0)),
        &[],
    );
    assert_eq!(
        compute(&met, d("2025-06-25")).kpis[0].verdict,
        Verdict::Reached
    );
}

proptest! {
    /// For any values, dates, bounds and directions: one verdict, and no
    /// projection to a past date or past a bound.
    #[test]
    fn kpi_projection_never_past_a_bound_or_date(
        values in proptest::collection::vec((0u32..400, 0.0f64..150.0), 0..6),
        target in 0.0f64..120.0,
        up in any::<bool>(),
        percent in any::<bool>(),
        deadline in 0u32..700,
        as_of in 0u32..700,
    ) {
        let start = d("2025-01-01");
        let day = |n: u32| start + chrono::Duration::days(n as i64);
        let dl = day(deadline).to_string();
        let values: Vec<(String, String, f64)> = values
            .iter()
            .map(|(n, v)| {
                let date = day(*n);
                let v = if percent { v.min(100.0) } else { v.round() };
                (date.to_string(), date.to_string(), v)
            })
            .collect();
        let refs: Vec<(&str, &str, f64)> =
            values.iter().map(|(a, b, v)| (a.as_str(), b.as_str(), *v)).collect();
        let direction = if up { Direction::Up } else { Direction::Down };
        let target = if percent { target.min(100.0) } else { target.round() };
        let m = kpi_with(if percent { "%" } else { "cái" }, &dl, direction, target, None, &refs);
        let as_of = day(as_of);
        let k = &compute(&m, as_of).kpis[0];
        assert_projection_sound(k, as_of);
        prop_assert_eq!(k.verdict == Verdict::Reached, k.reached);
        if !k.reached && day(deadline) < as_of {
            prop_assert_eq!(k.verdict, Verdict::Missed);
        }
    }
}

#[test]
fn repeated_refs_are_told_apart() {
    let mut m = model(vec![], vec![]);
    for (id, r) in [
        ("a", Some("4.d")),
        ("b", Some("3")),
        ("c", Some("4.d")),
        ("d", None),
    ] {
        let mut t = task(id, "lead", "2025-12-31");
        t.reference = r.map(Into::into);
        m.tasks.push(t);
    }
    assert_eq!(ref_labels(&m), vec!["4.d (1)", "3", "4.d (2)", ""]);
}

/// The figures as text, the recurring map in order, to compare two runs.
fn figures_text(f: &Figures) -> String {
    let recurring: BTreeMap<_, _> = f.recurring.iter().collect();
    let timelines: Vec<Vec<_>> = f
        .timelines
        .iter()
        .map(|t| {
            t.iter()
                .map(|u| {
                    (
                        u.report.submitted,
                        &u.report.agency,
                        &u.update.task,
                        u.from_lead,
                    )
                })
                .collect()
        })
        .collect();
    format!(
        "{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}",
        f.tasks,
        timelines,
        f.overall,
        f.plans,
        f.agencies,
        f.groups,
        f.group_leads,
        f.ungrouped,
        f.unassigned,
        f.agency_ranking,
        f.reports_known,
        f.months,
        recurring,
        f.kpis,
        f.changes,
        f.report_months,
        f.report_checks,
        f.burnup,
        f.events,
    )
}

/// Tasks led and supported across a merger and a dissolution, reported on
/// by the old lead, the successor and a supporter.
fn lineage_site() -> Model {
    let mut t = task("t", "old", "2025-05-31");
    t.support = vec!["gone".into(), "help".into(), "old".into()];
    t.responsible = Some("Giám đốc old".into());
    let mut u = task("u", "gone", "monthly");
    u.support = vec!["lead".into()];
    let mut v = task("v", "lead", "2025-04-10");
    v.deadline_changes.push(DeadlineChange {
        to: parse_deadline("2025-06-15").unwrap(),
        date: d("2025-04-05"),
        by: None,
        reason: None,
    });
    model(
        vec![t, u, v],
        vec![
            report(
                "old",
                "2025-02",
                "2025-02-20",
                vec![upd("t", TaskState::InProgress, Some(10.0), None)],
            ),
            report(
                "gone",
                "2025-03",
                "2025-03-22",
                vec![
                    upd("u", TaskState::InProgress, None, None),
                    upd("t", TaskState::Blocked, None, None),
                ],
            ),
            report(
                "lead",
                "2025-03",
                "2025-03-19",
                vec![
                    upd("t", TaskState::Blocked, Some(20.0), None),
                    upd("v", TaskState::Done, None, Some("2025-03-18")),
                    upd("nope", TaskState::Done, None, None),
                ],
            ),
            report(
                "lead",
                "2025-04",
                "2025-05-02",
                vec![
                    upd("t", TaskState::Done, None, Some("2025-04-30")),
                    upd("v", TaskState::InProgress, Some(60.0), None),
                ],
            ),
        ],
    )
}

#[test]
fn prepared_lineage_steps_answer_as_holder_on() {
    let m = lineage_site();
    let p = Prepared::new(&m);
    let mut day = d("2025-01-01");
    while day < d("2025-07-01") {
        for (i, a) in m.agencies.iter().enumerate() {
            let plain = m.holder_on(&a.id, day);
            let quick = p.holder(i, day).map(|h| m.agencies[h].id.as_str());
            assert_eq!(plain, quick, "{} on {day}", a.id);
        }
        day = day.succ_opt().unwrap();
    }
}

#[test]
fn prepared_agrees_with_the_plain_rules_every_day() {
    let m = lineage_site();
    let p = Prepared::new(&m);
    let mut day = d("2025-02-01");
    while day < d("2025-07-01") {
        let f = p.figures(day);
        for (i, t) in m.tasks.iter().enumerate() {
            let plain = task_status(&m, t, &p.lead_updates[i], day);
            assert_eq!(
                format!("{plain:?}"),
                format!("{:?}", task_status_only(&f, i)),
                "{} on {day}",
                t.id
            );
        }
        day = day.succ_opt().unwrap();
    }
}

/// A task's status without what freshness adds (the plain rules leave it).
fn task_status_only(f: &Figures, i: usize) -> TaskStatus {
    TaskStatus {
        next_report_due: None,
        stale: false,
        ..f.tasks[i].clone()
    }
}

#[test]
fn one_prepared_for_many_dates_gives_what_a_fresh_one_gives() {
    let m = lineage_site();
    let shared = Prepared::new(&m);
    // Later dates first, so that the month caches fill out of order.
    for day in [
        "2025-06-30",
        "2025-03-31",
        "2025-04-20",
        "2025-05-02",
        "2025-02-28",
    ] {
        let day = d(day);
        let fresh = compute(&m, day);
        assert_eq!(
            figures_text(&shared.figures(day)),
            figures_text(&fresh),
            "{day}"
        );
        let archived = shared.archived(day);
        assert!(archived.timelines.is_empty() && archived.events.is_empty());
        assert!(archived.burnup.is_empty());
        let kept = Figures {
            timelines: fresh.timelines.clone(),
            burnup: fresh.burnup.clone(),
            events: fresh.events.clone(),
            ..archived
        };
        assert_eq!(figures_text(&kept), figures_text(&fresh), "archived {day}");
    }
}

proptest! {
    #[test]
    fn a_shared_prepared_agrees_with_a_fresh_one(m in arb_site(), a in 0u32..320, b in 0u32..320) {
        let shared = Prepared::new(&m);
        let _ = shared.figures(day(a));
        prop_assert_eq!(figures_text(&shared.figures(day(b))), figures_text(&compute(&m, day(b))));
        let f = shared.figures(day(b));
        let plain = task_status(&m, &m.tasks[0], &shared.lead_updates[0], day(b));
        prop_assert_eq!(format!("{plain:?}"), format!("{:?}", task_status_only(&f, 0)));
    }
}

#[test]
fn prepared_is_shared_between_threads() {
    fn sync<T: Sync + Send>() {}
    sync::<Prepared>();
    let m = lineage_site();
    let p = Prepared::new(&m);
    let months = [d("2025-03-31"), d("2025-04-30"), d("2025-05-31")];
    let parallel: Vec<String> = {
        use rayon::prelude::*;
        months
            .par_iter()
            .map(|&day| figures_text(&p.archived(day)))
            .collect()
    };
    for (day, text) in months.iter().zip(parallel) {
        assert_eq!(text, figures_text(&Prepared::new(&m).archived(*day)));
    }
}

#[test]
fn a_task_its_lead_never_reported_on_is_stale_once_its_first_report_fell_due() {
    // The lead reports every month, on another task only.
    let other = task("other", "lead", "2025-12-31");
    let silent = task("silent", "lead", "2025-12-31");
    let m = model(
        vec![other, silent],
        vec![
            report(
                "lead",
                "2025-02",
                "2025-02-19",
                vec![upd("other", TaskState::InProgress, Some(10.0), None)],
            ),
            report(
                "lead",
                "2025-03",
                "2025-03-19",
                vec![upd("other", TaskState::InProgress, Some(20.0), None)],
            ),
        ],
    );
    let f = compute(&m, d("2025-03-25"));
    let ix = |id: &str| m.tasks.iter().position(|t| t.id == id).unwrap();
    assert!(!f.tasks[ix("other")].stale, "reported in the latest report");
    assert!(
        f.tasks[ix("silent")].stale,
        "never reported since its first report fell due"
    );
    assert_eq!(f.overall.stale, 1);
    // Before the first report day, nothing is owed yet: not stale.
    let early = compute(&m, d("2025-02-19"));
    assert!(!early.tasks[ix("silent")].stale);
}

#[test]
fn a_task_reported_only_before_its_first_report_fell_due_is_stale() {
    let m = model(
        vec![
            task("t", "lead", "2025-12-31"),
            task("u", "lead", "2025-12-31"),
        ],
        vec![
            // An early word on `t`, in the month the plan was issued.
            report(
                "lead",
                "2025-01",
                "2025-02-05",
                vec![upd("t", TaskState::InProgress, Some(5.0), None)],
            ),
            report(
                "lead",
                "2025-02",
                "2025-02-19",
                vec![upd("u", TaskState::InProgress, Some(10.0), None)],
            ),
        ],
    );
    let f = compute(&m, d("2025-02-25"));
    let t = m.tasks.iter().position(|x| x.id == "t").unwrap();
    assert!(f.tasks[t].stale);
}

#[test]
fn a_plan_counts_from_its_issue_date() {
    let mut m = model(
        vec![
            task("a", "lead", "2025-03-31"),
            task("b", "lead", "2025-02-10"),
        ],
        vec![],
    );
    m.plans[0].issued = d("2025-03-01");
    // Built as of a day before the plan: its tasks count nowhere.
    let before = compute(&m, d("2025-02-20"));
    assert_eq!(before.overall.total, 0);
    assert_eq!(before.overall.count(Status::Overdue), 0);
    assert!(before.unassigned.is_empty());
    assert!(before.agencies["lead"].leads.is_empty());
    assert!(before.tasks.iter().all(|s| !s.issued));
    assert!(before.events.is_empty());
    // From its issue date on, they do.
    let after = compute(&m, d("2025-03-05"));
    assert_eq!(after.overall.total, 2);
    assert!(after.tasks.iter().all(|s| s.issued));
}

#[test]
fn a_finished_task_keeps_its_lead_once_that_agency_is_dissolved() {
    let m = model(
        vec![
            task("t", "gone", "2025-12-31"),
            task("u", "gone", "2025-12-31"),
        ],
        vec![report(
            "gone",
            "2025-03",
            "2025-03-15",
            vec![upd("t", TaskState::Done, None, Some("2025-03-10"))],
        )],
    );
    // "gone" is dissolved without successor on 01/04/2025.
    let f = compute(&m, d("2025-05-01"));
    let t = m.tasks.iter().position(|x| x.id == "t").unwrap();
    let u = m.tasks.iter().position(|x| x.id == "u").unwrap();
    assert_eq!(f.tasks[t].lead_on.as_deref(), Some("gone"), "done by it");
    assert_eq!(f.tasks[u].lead_on, None, "open: no one leads it now");
    assert_eq!(f.unassigned, vec![u]);
    assert_eq!(f.agencies["gone"].leads, vec![t]);
}

#[test]
fn the_leads_outlook_comes_from_its_latest_update_and_changes_no_status() {
    let mut first = upd("t", TaskState::InProgress, Some(40.0), None);
    first.outlook = Some(crate::model::Outlook::AtRisk);
    let later = upd("t", TaskState::InProgress, Some(50.0), None);
    let m = model(
        vec![task("t", "lead", "2025-12-31")],
        vec![
            report("lead", "2025-03", "2025-03-19", vec![first]),
            report("lead", "2025-04", "2025-04-18", vec![later]),
        ],
    );
    let march = compute(&m, d("2025-03-25"));
    assert_eq!(march.tasks[0].outlook, Some(crate::model::Outlook::AtRisk));
    assert_eq!(
        march.tasks[0].status,
        Status::InProgress,
        "the status is the rules'"
    );
    // The next update says nothing of it: no outlook stands.
    let april = compute(&m, d("2025-04-25"));
    assert_eq!(april.tasks[0].outlook, None);
}
