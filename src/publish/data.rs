//! Open data: each table's rows (tasks, updates, agencies, KPIs, KPI
//! values, proposals) computed from the model and the figures, one table
//! at a time. The columns are in `columns.rs` (one dictionary drives the
//! files, the data package and the page that documents them), the files
//! (CSV, JSON, data package, zip) in `files.rs`. Pure.

use crate::date::Deadline;
use crate::model::{Direction, Model, SuccessionKind};
use crate::route::{Route, Table as RT};
use crate::status::{Figures, Outcome, Status};
use serde::Serialize;
use serde_json::Value;

pub use super::columns::*;
pub use super::files::*;

/// One published table.
#[derive(Debug, Serialize)]
pub struct Table<'a> {
    /// Which table: its routes, and its file stem as `name` (`nhiem-vu` ->
    /// `nhiem-vu.csv`, `nhiem-vu.json`), which the data package names it by.
    #[serde(skip)]
    pub id: RT,
    pub name: &'static str,
    pub title_vi: &'static str,
    pub title_en: &'static str,
    pub columns: &'static [Column],
    #[serde(skip)]
    pub rows: Rows<'a>,
}

impl Table<'_> {
    /// The table without its rows: what the open-data page shows of it.
    pub fn shape(&self) -> Table<'static> {
        Table {
            id: self.id,
            name: self.name,
            title_vi: self.title_vi,
            title_en: self.title_en,
            columns: self.columns,
            rows: Rows {
                count: self.rows.count,
                each: None,
            },
        }
    }

    /// How many rows the table has, also once they are dropped.
    pub fn row_count(&self) -> usize {
        self.rows.count
    }
}

/// A table's rows, made one at a time each time the table is written (as
/// CSV, then as JSON) rather than held: the updates table has a quarter of
/// a million rows at national scale, and held as values it was the largest
/// thing a build kept in memory (README, Benchmark).
pub struct Rows<'a> {
    count: usize,
    /// Calls its argument with each row in turn; `None` once dropped.
    #[allow(clippy::type_complexity)]
    each: Option<Box<dyn Fn(&mut dyn FnMut(&[Value])) + 'a>>,
}

impl<'a> Rows<'a> {
    /// `count` rows, made by `each`.
    fn made(count: usize, each: impl Fn(&mut dyn FnMut(&[Value])) + 'a) -> Self {
        Rows {
            count,
            each: Some(Box::new(each)),
        }
    }

    /// Rows already made (the small tables).
    fn held(rows: Vec<Vec<Value>>) -> Self {
        Rows::made(rows.len(), move |out| rows.iter().for_each(|r| out(r)))
    }

    /// Calls `f` with each row in order.
    pub fn each(&self, f: &mut dyn FnMut(&[Value])) {
        if let Some(each) = &self.each {
            each(f);
        }
    }
}

impl std::fmt::Debug for Rows<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "{} rows", self.count)
    }
}

fn s(v: impl Into<String>) -> Value {
    Value::String(v.into())
}

fn opt(v: Option<impl Into<String>>) -> Value {
    v.map_or(Value::Null, |x| Value::String(x.into()))
}

/// A number rounded to three decimals, written as an integer when whole.
fn num(v: f64) -> Value {
    let r = (v * 1000.0).round() / 1000.0;
    if r.fract() == 0.0 && r.abs() < 1e15 {
        return Value::Number((r as i64).into());
    }
    serde_json::Number::from_f64(r).map_or(Value::Null, Value::Number)
}

fn int(v: impl Into<i64>) -> Value {
    Value::Number(v.into().into())
}

fn deadline_code(d: Option<Deadline>) -> Value {
    d.map_or(Value::Null, |d| s(d.code()))
}

/// The task table as of the figures' date: the live `nhiem-vu` table, and
/// each archived month's.
pub fn task_table<'a>(m: &'a Model, fig: &'a Figures<'_>, site_url: &'a str) -> Table<'a> {
    // As many rows as the loop below makes (the figures have one entry
    // per task).
    // A task of a plan not issued by the day counts nowhere, this table
    // included.
    let issued = fig.tasks.iter().filter(|s| s.issued).count();
    let rows = Rows::made(issued.min(m.tasks.len()), move |out| {
        let url = |r: Route| format!("{site_url}{}", r.path());
        for (t, st) in m.tasks.iter().zip(&fig.tasks).filter(|(_, s)| s.issued) {
            out(&[
                s(&t.id),
                opt(t.reference.clone()),
                s(&t.title),
                opt(t.title_en.clone()),
                s(&m.plans[t.plan].id),
                opt(st.lead_on.clone()),
                opt(t.lead.clone()),
                s(t.support.join(";")),
                deadline_code(st.deadline),
                deadline_code(t.deadline),
                int(st.extensions as i64),
                s(st.status.code()),
                s(crate::render::i18n::status_vi(m, st.status)),
                if st.status == Status::Ongoing {
                    Value::Null
                } else {
                    num(st.progress)
                },
                opt(st.done_on.map(|d| d.to_string())),
                st.days_late.map_or(Value::Null, int),
                opt(t.result.clone()),
                opt(match &st.responsible_on {
                    Some(crate::status::Responsible::Followed { text, .. }) => Some(text.clone()),
                    _ => t.responsible.clone(),
                }),
                opt(t.responsible.clone()),
                opt(t.incomplete.clone()),
                opt(st.last_update.map(|d| d.to_string())),
                opt(st.next_report_due.map(|d| d.to_string())),
                Value::Bool(st.stale),
                opt(st.outlook.map(|o| o.code().to_string())),
                s(url(Route::Task(&t.id))),
            ]);
        }
    });
    Table {
        name: RT::Tasks.stem(),
        id: RT::Tasks,
        title_vi: "Nhiệm vụ",
        title_en: "Tasks",
        columns: TASK_COLUMNS,
        rows,
    }
}

/// A file's name in the data folder (and in the zip): the last part of
/// its route's path.
pub fn file_name(route: &Route) -> String {
    let path = route.path();
    path.rsplit_once('/')
        .map_or(path.clone(), |(_, name)| name.to_string())
}

/// One table of [`route::Table::ALL`], its rows computed from the model
/// and figures: the open data builds, writes and drops them one at a time.
pub fn table<'a>(m: &'a Model, fig: &'a Figures<'_>, site_url: &'a str, id: RT) -> Table<'a> {
    let url = |r: Route| format!("{site_url}{}", r.path());
    let (title_vi, title_en, columns, rows) = match id {
        RT::Tasks => return task_table(m, fig, site_url),
        RT::Updates => {
            let count = fig.timelines.iter().map(Vec::len).sum();
            let updates = Rows::made(count, move |out| {
                for (i, timeline) in fig.timelines.iter().enumerate() {
                    for u in timeline {
                        out(&[
                            s(&m.tasks[i].id),
                            s(&u.report.agency),
                            s(u.report.period.key()),
                            s(u.report.submitted.to_string()),
                            Value::Bool(u.from_lead),
                            s(u.update.state.code()),
                            u.update.progress.map_or(Value::Null, num),
                            opt(u.update.done_on.map(|d| d.to_string())),
                            opt(u.update.note.clone()),
                            opt(u.update.evidence.clone()),
                        ]);
                    }
                }
            });
            ("Cập nhật tiến độ", "Task updates", UPDATE_COLUMNS, updates)
        }
        RT::Agencies => {
            let owed = crate::status::owed(m, &fig.proposals);
            let agencies = m
                .agencies
                .iter()
                .map(|a| {
                    let f = fig.agencies.get(&a.id);
                    let (replies_owed, replies_overdue) =
                        owed.get(a.id.as_str()).copied().unwrap_or_default();
                    let count = |o: fn(&Outcome) -> bool| f.map_or(0, |f| f.count(o) as i64);
                    vec![
                        s(&a.id),
                        s(&a.name),
                        opt(a.short.clone()),
                        opt(a.name_en.clone()),
                        s(a.kind.code()),
                        opt(a.group.clone()),
                        opt(a.succession.as_ref().map(|x| match x.kind {
                            SuccessionKind::Merged => "merged",
                            SuccessionKind::Renamed => "renamed",
                            SuccessionKind::Dissolved => "dissolved",
                        })),
                        opt(a.succession.as_ref().and_then(|x| x.to.clone())),
                        opt(a.succession.as_ref().map(|x| x.date.to_string())),
                        int(f.map_or(0, |f| f.rollup.total as i64)),
                        int(f.map_or(0, |f| f.rollup.done as i64)),
                        int(f.map_or(0, |f| f.rollup.count(Status::Overdue) as i64)),
                        f.and_then(|f| f.rollup.on_time_rate)
                            .map_or(Value::Null, num),
                        int(f.map_or(0, |f| f.duties.len() as i64)),
                        int(count(|o| *o == Outcome::OnTime)),
                        int(count(|o| matches!(o, Outcome::Late(_)))),
                        int(count(|o| *o == Outcome::Missing)),
                        int(replies_owed as i64),
                        int(replies_overdue as i64),
                        s(url(Route::Agency(&a.id))),
                    ]
                })
                .collect();
            ("Cơ quan", "Agencies", AGENCY_COLUMNS, Rows::held(agencies))
        }
        RT::Kpis => {
            let kpis = m
                .kpis
                .iter()
                .zip(&fig.kpis)
                .map(|(k, ks)| {
                    vec![
                        s(&k.id),
                        opt(k.reference.clone()),
                        s(&k.name),
                        opt(k.name_en.clone()),
                        s(&k.unit),
                        num(k.target),
                        s(match k.direction {
                            Direction::Up => "up",
                            Direction::Down => "down",
                        }),
                        opt(k.deadline.date().map(|d| d.to_string())),
                        opt(ks.owner_on.clone()),
                        opt(k.baseline.map(|(d, _)| d.to_string())),
                        k.baseline.map_or(Value::Null, |(_, v)| num(v)),
                        opt(ks.latest.as_ref().map(|p| p.date.to_string())),
                        ks.latest.as_ref().map_or(Value::Null, |p| num(p.value)),
                        ks.gap.map_or(Value::Null, num),
                        ks.projection.map_or(Value::Null, |p| num(p.at_deadline)),
                        s(ks.verdict.code()),
                        opt(k.meta.definition.clone()),
                        opt(k.meta.formula.clone()),
                        opt(k.meta.source.clone()),
                        opt(k.meta.frequency.map(|f| f.code().to_string())),
                        opt(framework_codes(&k.meta.framework)),
                        s(url(Route::Kpi(&k.id))),
                    ]
                })
                .collect();
            ("Chỉ tiêu", "KPIs", KPI_COLUMNS, Rows::held(kpis))
        }
        RT::KpiValues => {
            let mut values = Vec::new();
            for (k, ks) in m.kpis.iter().zip(&fig.kpis) {
                for p in &ks.points {
                    let report = p.report.map(|r| &m.reports[r]);
                    values.push(vec![
                        s(&k.id),
                        s(p.date.to_string()),
                        num(p.value),
                        Value::Bool(p.baseline),
                        opt(report.map(|r| r.agency.clone())),
                        opt(report.map(|r| r.period.key())),
                        opt(report.map(|r| r.submitted.to_string())),
                    ]);
                }
            }
            (
                "Giá trị chỉ tiêu",
                "KPI values",
                KPI_VALUE_COLUMNS,
                Rows::held(values),
            )
        }
        RT::Proposals => (
            "Khó khăn, vướng mắc, kiến nghị",
            "Difficulties and proposals",
            PROPOSAL_COLUMNS,
            Rows::held(proposal_rows(m, fig, &url)),
        ),
    };
    Table {
        name: id.stem(),
        id,
        title_vi,
        title_en,
        columns,
        rows,
    }
}

/// A KPI's indicator sets as one cell: `name: code; name`; `None` when it
/// names none.
fn framework_codes(sets: &[(String, Option<String>)]) -> Option<String> {
    (!sets.is_empty()).then(|| {
        sets.iter()
            .map(|(name, code)| match code {
                Some(c) => format!("{name}: {c}"),
                None => name.clone(),
            })
            .collect::<Vec<_>>()
            .join("; ")
    })
}

/// The rows of the `kien-nghi` table: every proposal known on D, by
/// raising agency and id.
fn proposal_rows(m: &Model, fig: &Figures<'_>, url: &dyn Fn(Route) -> String) -> Vec<Vec<Value>> {
    fig.proposals
        .iter()
        .map(|st| {
            let p = &m.proposals[st.proposal];
            let latest = st.replies.checked_sub(1).map(|k| &p.replies[k]);
            vec![
                s(&p.agency),
                s(&p.id),
                s(p.kind.code()),
                s(&p.to),
                opt(st.owed_by.clone()),
                opt(p.task.clone()),
                s(p.raised.to_string()),
                s(p.reply_by.to_string()),
                s(st.state.code()),
                opt(st.replied.map(|d| d.to_string())),
                int(st.reminders as i64),
                st.days_overdue.map_or(Value::Null, int),
                s(&p.text),
                opt(latest.map(|r| r.text.clone())),
                s(url(Route::Proposal(&p.agency, &p.id))),
            ]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::publish::columns::col;

    #[test]
    fn text_cells_that_start_like_a_formula_get_a_quote_and_numbers_do_not() {
        for hostile in ["=1+1", "+1", "-x", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(csv_text(hostile), format!("'{hostile}"));
        }
        for plain in ["Sở Y tế", "1-2", "", "'=quoted"] {
            assert_eq!(csv_text(plain), plain);
        }
        const COLUMNS: &[Column] = &[
            col("note", "string", "", ""),
            col("value", "number", "", ""),
            col("days", "integer", "", ""),
        ];
        let table = Table {
            id: RT::Tasks,
            name: "t",
            title_vi: "",
            title_en: "",
            columns: COLUMNS,
            rows: Rows::held(vec![vec![s("-5 ngày"), num(-0.5), int(-5)]]),
        };
        let text = String::from_utf8(csv(&table)).unwrap();
        assert!(text.ends_with("'-5 ngày,-0.5,-5\r\n"), "{text:?}");
        let json = String::from_utf8(json(&table, "2025-01-01", "")).unwrap();
        assert!(json.contains("\"note\":\"-5 ngày\""), "{json}");
    }
}
