//! The site index against the default content: its lists agree with the
//! status roll-ups they present, in the orders the pages promise.

use super::*;
use crate::diag::Diagnostics;
use crate::status::Prepared;
use std::path::Path;

fn default_model() -> Model {
    let mut d = Diagnostics::new();
    let raw = crate::load::load(Path::new(env!("CARGO_MANIFEST_DIR")), &mut d)
        .unwrap_or_else(|e| panic!("{}", e.0));
    let m = crate::model::build(raw, &mut d);
    assert!(!d.has_errors(), "the default content loads");
    m
}

fn with_index(f: impl FnOnce(&Model, &Figures, &SiteIndex)) {
    let m = default_model();
    let prepared = Prepared::new(&m);
    let as_of = m.site().as_of.expect("the default content sets as_of");
    let fig = prepared.figures(as_of);
    let ix = SiteIndex::build(&m, &fig);
    f(&m, &fig, &ix);
}

#[test]
fn every_list_holds_what_its_roll_up_counts() {
    with_index(|m, fig, ix| {
        for (&list, listed) in &ix.lists {
            let Some(rollup) = list.rollup(m, fig) else {
                assert!(listed.tasks.is_empty());
                continue;
            };
            let want = list.status().map_or(rollup.total, |s| rollup.count(s));
            assert_eq!(listed.tasks.len(), want, "{list:?}");
            if let Some(s) = list.status() {
                assert!(listed.tasks.iter().all(|&i| fig.tasks[i].status == s));
            }
        }
    });
}

#[test]
fn lists_are_in_deadline_order_and_overdue_most_late_first() {
    with_index(|_, fig, ix| {
        for (&list, listed) in &ix.lists {
            let ranks: Vec<usize> = listed.tasks.iter().map(|&i| ix.deadline_rank[i]).collect();
            if list.status() == Some(Status::Overdue) {
                let late: Vec<i64> = listed
                    .tasks
                    .iter()
                    .map(|&i| fig.tasks[i].days_late.unwrap_or(0))
                    .collect();
                assert!(late.windows(2).all(|w| w[0] >= w[1]), "{list:?}");
            } else {
                assert!(ranks.windows(2).all(|w| w[0] < w[1]), "{list:?}");
            }
        }
        // Dated deadlines come first, earliest first.
        let dates: Vec<_> = ix
            .deadline_order
            .iter()
            .map_while(|&i| fig.tasks[i].deadline.and_then(|d| d.date()))
            .collect();
        assert!(dates.windows(2).all(|w| w[0] <= w[1]));
        assert!(!dates.is_empty());
    });
}

#[test]
fn next_deadlines_are_the_five_nearest_open_dated_tasks() {
    with_index(|m, fig, ix| {
        assert!(ix.next_deadlines.len() <= 5);
        assert!(!ix.next_deadlines.is_empty());
        for &i in &ix.next_deadlines {
            assert!(!fig.tasks[i].status.is_done());
            assert!(fig.tasks[i].days_left.is_some(), "{}", m.tasks[i].id);
        }
        // No open task due sooner was left out.
        let last = ix
            .next_deadlines
            .last()
            .map(|&i| ix.deadline_rank[i])
            .unwrap_or(0);
        for (i, s) in fig.tasks.iter().enumerate() {
            if !s.status.is_done() && s.days_left.is_some() && ix.deadline_rank[i] < last {
                assert!(ix.next_deadlines.contains(&i), "{}", m.tasks[i].id);
            }
        }
    });
}

#[test]
fn relations_agree_with_status() {
    with_index(|m, fig, ix| {
        // Overdue holders: exactly the agencies whose scorecard counts some.
        let holders: usize = ix.overdue_holders.iter().map(|h| h.overdue).sum();
        assert_eq!(holders, fig.overall.count(Status::Overdue));
        // Active and former agencies split the agencies.
        assert_eq!(
            ix.agencies_active.len() + ix.agencies_former.len(),
            m.agencies.len()
        );
        for &i in &ix.agencies_former {
            assert!(m.agencies[i].succession.is_some());
        }
        // A handed-over task is led by someone else on D.
        for (agency, tasks) in &ix.handed_over {
            for &t in tasks {
                assert_ne!(fig.tasks[t].lead_on.as_deref(), Some(*agency));
            }
        }
        // The gap lists every task without a lead, its recurring ones apart.
        assert_eq!(ix.without_lead.len(), fig.unassigned.len());
        assert_eq!(
            ix.without_lead.len() - ix.without_lead_recurring,
            fig.overall.count(Status::Unassigned)
        );
        // A month's counts add up to its duties.
        for (p, c) in &ix.month_counts {
            assert!(c.on_time + c.late + c.missing <= fig.months[p].len());
        }
    });
}

#[test]
fn the_burn_up_months_end_on_the_as_of_date_with_the_tiles_figures() {
    with_index(|_, fig, ix| {
        let last = ix.burnup_months.last().expect("a burn-up");
        assert_eq!(last.date, fig.as_of);
        assert_eq!(last.done, fig.overall.done);
        assert_eq!(last.due, fig.overall.fallen_due);
    });
}

#[test]
fn a_kpis_precision_is_the_most_its_data_has() {
    assert_eq!(decimals(79.0), 0);
    assert_eq!(decimals(78.5), 1);
    assert_eq!(decimals(0.45), 2);
    assert_eq!(decimals(1.0 / 3.0), 2, "at most two");
    assert_eq!(crate::render::i18n::Lang::Vi.number_to(72.98, 1), "73");
    assert_eq!(crate::render::i18n::Lang::Vi.number_to(72.94, 1), "72,9");
    assert_eq!(crate::render::i18n::Lang::En.number_to(0.6, 1), "0.6");
}
