//! Times the status stage on a site and prints a digest of the figures, so
//! that a faster status engine can be checked to give the same answers.
//!
//! `cargo run --release --example status_bench -- <root> [as-of] [runs] [archive-only]`

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::time::Instant;

/// Hashes whatever is written to it.
struct Digest(std::collections::hash_map::DefaultHasher);

impl std::fmt::Write for Digest {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        s.hash(&mut self.0);
        Ok(())
    }
}

fn digest(f: &tiendo::status::Figures) -> u64 {
    use std::fmt::Write;
    let mut d = Digest(std::collections::hash_map::DefaultHasher::new());
    let recurring: BTreeMap<_, _> = f.recurring.iter().collect();
    let _ = write!(
        d,
        "{:?}{:?}{:?}{:?}{:?}{:?}{:?}{:?}{:?}{:?}{:?}{:?}{:?}{:?}{:?}{:?}{:?}{:?}{:?}{:?}",
        f.as_of,
        f.tasks,
        f.timelines
            .iter()
            .map(|t| t
                .iter()
                .map(|u| (
                    u.report.period,
                    u.report.submitted,
                    &u.report.agency,
                    &u.update.task,
                    u.from_lead
                ))
                .collect::<Vec<_>>())
            .collect::<Vec<_>>(),
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
        (&f.ref_labels, &f.burnup),
        f.events,
    );
    d.0.finish()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let root = std::path::PathBuf::from(args.get(1).map_or(".", String::as_str));
    let mut diags = tiendo::diag::Diagnostics::new();
    let t = Instant::now();
    let Ok(raw) = tiendo::load::load(&root, &mut diags) else {
        eprintln!("cannot load {}", root.display());
        return;
    };
    let m = tiendo::model::build(raw, &mut diags);
    let as_of = args
        .get(2)
        .and_then(|s| tiendo::date::Date::parse_from_str(s, "%Y-%m-%d").ok())
        .or(m.site().as_of)
        .unwrap_or_default();
    println!(
        "load+model {} ms: {} tasks, {} reports, {} kpis, {} agencies",
        t.elapsed().as_millis(),
        m.tasks.len(),
        m.reports.len(),
        m.kpis.len(),
        m.agencies.len()
    );
    let reps: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(1).max(1);
    // The best of `reps` runs, in ms: the machine may be busy.
    let best = |f: &mut dyn FnMut()| {
        (0..reps)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed().as_secs_f64() * 1000.0
            })
            .fold(f64::INFINITY, f64::min)
    };
    let ms = best(&mut || drop(tiendo::status::Prepared::new(&m)));
    println!("Prepared::new {ms:.0} ms");
    let prepared = tiendo::status::Prepared::new(&m);
    let ms = best(&mut || drop(prepared.figures(as_of)));
    println!("figures(live) on a warm Prepared {ms:.0} ms");
    let ms = best(&mut || drop(tiendo::status::compute(&m, as_of)));
    println!("status (compute, live) {ms:.0} ms");
    let ms = best(&mut || drop(archive(&m, as_of)));
    println!("archive {ms:.0} ms");
    if args.get(4).is_some_and(|a| a == "archive-only") {
        for _ in 0..reps * 4 {
            drop(archive(&m, as_of));
        }
        return;
    }
    let live = tiendo::status::compute(&m, as_of);
    let archive = archive(&m, as_of);
    println!("live digest {:016x}", digest(&live));
    for (p, f) in &archive {
        println!("archive {} digest {:016x}", p.key(), digest(f));
    }
}

/// Every archived month's figures from one preparation, months in
/// parallel (what a build's archive computes, without the pages).
fn archive(
    m: &tiendo::model::Model,
    as_of: tiendo::date::Date,
) -> Vec<(tiendo::date::Period, tiendo::status::Figures<'_>)> {
    use rayon::prelude::*;
    let prepared = tiendo::status::Prepared::new(m);
    tiendo::status::archive_months(m, as_of)
        .into_par_iter()
        .map(|p| (p, prepared.archived(p.last_day())))
        .collect()
}
