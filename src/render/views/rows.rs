//! Part of the template contexts: the rows and counts pages list (a task,
//! an agency's scorecard, a KPI, a roll-up of counts linked to their lists,
//! a report duty), made from the site index and the figures.

use super::*;

#[derive(Serialize)]
pub struct TaskRow<'a> {
    pub id: &'a str,
    pub url: String,
    pub reference: &'a str,
    pub title: &'a str,
    /// The `lang` of the title and the lead's name ("" for the page's).
    pub title_lang: &'static str,
    pub lead_id: &'a str,
    pub lead: &'a str,
    pub lead_lang: &'static str,
    pub lead_url: String,
    pub group_id: &'a str,
    pub deadline: String,
    /// Sorts dated deadlines first, then recurring, then none.
    pub deadline_sort: String,
    pub extended: bool,
    pub status: StatusView,
    pub progress: String,
    pub days_late: i64,
    pub days_label: String,
}

#[derive(Serialize)]
pub struct CountView {
    pub status: StatusView,
    pub count: usize,
    pub url: String,
}

#[derive(Serialize)]
pub struct RollupView {
    pub total: usize,
    /// Tasks that can finish (all but recurring): the denominator of the
    /// share done and the mean progress.
    pub finite: usize,
    pub recurring: usize,
    /// The headline sentences with their denominators in words.
    pub done_words: String,
    pub progress_words: String,
    /// What the figures leave out (recurring tasks), empty when nothing.
    pub apart_words: String,
    /// The same, short, for cards.
    pub apart_short: String,
    pub recurring_url: String,
    pub done: usize,
    pub share_done: String,
    pub on_time_rate: String,
    pub avg_progress: String,
    pub overdue: usize,
    /// Open tasks not updated ([`TaskStatus::stale`]).
    pub stale: usize,
    /// Of the tasks already due on D, how many are done, and the headline
    /// sentence that says so ("" when none has fallen due yet); then the
    /// whole plan's figure beside it.
    pub due_done: usize,
    pub due_words: String,
    pub whole_words: String,
    pub counts: Vec<CountView>,
    /// The list of every task counted in `total` ("" when there is none).
    pub total_url: String,
    /// The list of the overdue tasks ("" when there is none).
    pub overdue_url: String,
    /// What each share is a share of, written out: `15% của 20 nhiệm vụ`.
    pub share_done_of: String,
    pub on_time_of: String,
    pub progress_of: String,
}

/// Whose tasks a roll-up counts: each count links to the pre-rendered
/// list of exactly the tasks it counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope<'s> {
    /// Every task of the portal: the status views under `nhiem-vu/`.
    Site,
    /// The tasks an agency leads on D.
    Agency(&'s str),
    /// The tasks a working group's agencies lead on D.
    Group(&'s str),
    /// Figures of an archived month: no list of those tasks is published,
    /// so the counts link nowhere.
    Archive,
}

impl<'s> Scope<'s> {
    /// The list of this scope's tasks with status `s`.
    pub fn view(self, s: Status) -> Route<'s> {
        match self {
            Scope::Site | Scope::Archive => Route::StatusView(s.code()),
            Scope::Agency(id) => Route::AgencyTasks(id, Some(s.code())),
            Scope::Group(id) => Route::GroupTasks(id, Some(s.code())),
        }
    }

    /// Whether the list of status `s` exists for a count of `n`: the
    /// portal-wide views always do; an agency's or group's only when it
    /// holds such a task (render makes exactly those pages).
    pub fn has_view(self, n: usize) -> bool {
        match self {
            Scope::Archive => false,
            Scope::Site => true,
            _ => n > 0,
        }
    }
}

#[derive(Serialize)]
pub struct AgencyRow<'a> {
    pub id: &'a str,
    pub url: String,
    pub name: &'a str,
    pub name_lang: &'static str,
    /// The agency's tasks (its page's table of leads), "" for none.
    pub total_url: String,
    /// Its overdue tasks, "" for none.
    pub overdue_url: String,
    pub short: &'a str,
    pub short_lang: &'static str,
    pub kind: &'a str,
    pub group: &'a str,
    pub group_lang: &'static str,
    pub total: usize,
    /// Tasks it leads that can finish (all but recurring).
    pub finite: usize,
    pub done: usize,
    pub overdue: usize,
    pub on_time_rate: String,
    pub compliance: String,
    pub missing: usize,
    pub ended: String,
}

#[derive(Serialize)]
pub struct KpiRow<'a> {
    pub id: &'a str,
    pub url: String,
    pub reference: &'a str,
    pub name: &'a str,
    pub name_lang: &'static str,
    pub unit: &'a str,
    pub target: String,
    pub baseline: String,
    pub latest: String,
    pub latest_date: String,
    pub gap: String,
    pub reached: bool,
    pub verdict: &'static str,
    pub verdict_label: String,
    /// The sentence beside the verdict: when it was reached (and whether
    /// after the deadline), or where the trend goes while the deadline is
    /// ahead; empty otherwise.
    pub verdict_note: String,
    /// A `down` KPI: lower is better, said in its table and chart.
    pub lower_better: bool,
    /// The `lang` of its values: "vi" on other languages' pages when its
    /// unit is Vietnamese words ("2 trung tâm"), "" otherwise.
    pub value_lang: &'static str,
    pub deadline: String,
    pub owner: &'a str,
    pub owner_lang: &'static str,
    pub owner_url: String,
    pub direction: &'static str,
}

#[derive(Serialize)]
pub struct DutyView {
    pub agency: String,
    pub agency_lang: &'static str,
    pub agency_url: String,
    pub period: String,
    pub period_url: String,
    pub due: String,
    pub outcome: &'static str,
    pub label: String,
    pub submitted: String,
    /// Where the report is shown, on a bulletin split into pages (else
    /// empty: it is on the same page).
    pub report_url: String,
}

impl<'a> Views<'a> {
    pub fn row(&self, i: usize) -> TaskRow<'a> {
        let t: &'a Task = &self.model.tasks[i];
        let s: &'a TaskStatus = &self.fig.tasks[i];
        let lead = s.lead_on.as_deref().and_then(|l| self.model.agency(l));
        let (title, title_lang) = self.task_title_lang(t);
        let (lead_name, lead_lang) = lead.map_or(("", ""), |a| self.agency_short_lang(&a.id));
        TaskRow {
            id: &t.id,
            url: self.task_url(&t.id),
            reference: &self.fig.ref_labels[i],
            title,
            title_lang,
            lead_id: lead.map_or("", |a| a.id.as_str()),
            lead: lead_name,
            lead_lang,
            lead_url: lead.map(|a| self.agency_url(&a.id)).unwrap_or_default(),
            group_id: lead.and_then(|a| a.group.as_deref()).unwrap_or(""),
            deadline: self.deadline_label(s),
            deadline_sort: deadline_sort(s),
            extended: s.extensions > 0,
            status: status_view(s.status, self.t),
            progress: self.progress(s),
            days_late: s.days_late.unwrap_or(0),
            days_label: self.days_label(s),
        }
    }

    pub fn rows(&self, list: impl IntoIterator<Item = usize>) -> Vec<TaskRow<'a>> {
        list.into_iter().map(|i| self.row(i)).collect()
    }

    /// A roll-up of `scope`'s tasks; each count links to the list of the
    /// tasks it counts, each share says what it is a share of.
    pub fn rollup(&self, r: &Rollup, scope: Scope) -> RollupView {
        let share = self.percent(r.share_done() * 100.0);
        let url = |s: Status| {
            if scope.has_view(r.count(s)) {
                self.route(&scope.view(s))
            } else {
                String::new()
            }
        };
        let total_url = match scope {
            _ if r.total == 0 => String::new(),
            Scope::Archive => String::new(),
            Scope::Site => self.route(&Route::Tasks),
            Scope::Agency(id) => format!(
                "{}#{}",
                self.route(&Route::Agency(id)),
                crate::route::anchor::AGENCY_LEADS
            ),
            Scope::Group(id) => format!(
                "{}#{}",
                self.route(&Route::Group(id)),
                crate::route::anchor::GROUP_TASKS
            ),
        };
        let of = |key: &str| {
            self.t
                .get(key)
                .replace("{total}", &r.total.to_string())
                .replace("{finite}", &r.finite.to_string())
                .replace("{done}", &r.done.to_string())
                .replace("{on_time}", &r.count(Status::DoneOnTime).to_string())
                .replace("{share}", &self.percent(r.share_done() * 100.0))
        };
        RollupView {
            total_url,
            overdue_url: if r.count(Status::Overdue) > 0 {
                url(Status::Overdue)
            } else {
                String::new()
            },
            share_done_of: if r.total > 0 {
                of("share_done_of")
            } else {
                String::new()
            },
            on_time_of: if r.done > 0 {
                of("on_time_of")
            } else {
                String::new()
            },
            progress_of: of(if r.total > 0 {
                "progress_of"
            } else {
                "headline_progress"
            }),
            total: r.total,
            finite: r.finite,
            recurring: r.recurring,
            done_words: self
                .t
                .get("headline_done_of")
                .replace("{finite}", &r.finite.to_string())
                .replace("{share}", &share),
            progress_words: self.t.with("headline_progress_of", r.finite),
            apart_words: if r.recurring > 0 {
                self.t.with("headline_apart", r.recurring)
            } else {
                String::new()
            },
            apart_short: self.t.with("headline_apart_short", r.recurring),
            recurring_url: self.route(&Route::StatusView(Status::Ongoing.code())),
            done: r.done,
            share_done: self.percent(r.share_done() * 100.0),
            on_time_rate: self.rate(r.on_time_rate),
            avg_progress: r
                .avg_progress
                .map(|p| format!("{}%", self.percent(p)))
                .unwrap_or_else(|| "—".into()),
            overdue: r.count(Status::Overdue),
            stale: r.stale,
            due_done: r.fallen_due_done,
            due_words: if r.fallen_due > 0 {
                self.t
                    .get("headline_due_done")
                    .replace("{due}", &r.fallen_due.to_string())
                    .replace("{overdue}", &r.count(Status::Overdue).to_string())
            } else {
                String::new()
            },
            whole_words: of("headline_whole_plan"),
            counts: Status::ALL
                .iter()
                .map(|&s| CountView {
                    status: status_view(s, self.t),
                    count: r.count(s),
                    url: url(s),
                })
                .collect(),
        }
    }

    pub fn ended(&self, a: &Agency) -> String {
        let Some(s) = &a.succession else {
            return String::new();
        };
        let date = fmt_date(s.date);
        match &s.to {
            Some(to) => self
                .t
                .get(match s.kind {
                    crate::model::SuccessionKind::Renamed => "renamed_to",
                    _ => "merged_into",
                })
                .replace("{agency}", self.agency_full(to))
                .replace("{date}", &date),
            None => self.t.get("dissolved_on").replace("{date}", &date),
        }
    }

    pub fn agency_row(&self, a: &'a Agency) -> AgencyRow<'a> {
        let f = self.fig.agencies.get(&a.id);
        let (name, name_lang) = self.agency_name_lang(a);
        let (group, group_lang) = a
            .group
            .as_deref()
            .and_then(|g| self.model.group(g))
            .map_or(("", ""), |g| self.pick(&g.name, g.name_en.as_deref()));
        let total = f.map_or(0, |f| f.rollup.total);
        let overdue = f.map_or(0, |f| f.rollup.count(Status::Overdue));
        let scope = Scope::Agency(&a.id);
        AgencyRow {
            id: &a.id,
            url: self.agency_url(&a.id),
            name,
            name_lang,
            total_url: if total > 0 {
                format!(
                    "{}#{}",
                    self.agency_url(&a.id),
                    crate::route::anchor::AGENCY_LEADS
                )
            } else {
                String::new()
            },
            overdue_url: if overdue > 0 {
                self.route(&scope.view(Status::Overdue))
            } else {
                String::new()
            },
            group_lang,
            short: a.short.as_deref().unwrap_or(""),
            short_lang: self.pick(a.short.as_deref().unwrap_or(""), None).1,
            kind: match self.lang {
                Lang::Vi => a.kind.label_vi(),
                Lang::En => a.kind.code(),
            },
            group,
            total,
            finite: f.map_or(0, |f| f.rollup.finite),
            done: f.map_or(0, |f| f.rollup.done),
            overdue,
            on_time_rate: self.rate_of(
                f.and_then(|f| f.rollup.on_time_rate),
                f.map_or(0, |f| f.rollup.count(Status::DoneOnTime)),
                f.map_or(0, |f| f.rollup.done),
            ),
            compliance: self.rate_of(
                f.and_then(|f| f.compliance),
                f.map_or(0, |f| f.count(|o| *o == Outcome::OnTime)),
                f.map_or(0, |f| f.duties.len()),
            ),
            missing: f.map_or(0, |f| f.count(|o| *o == Outcome::Missing)),
            ended: self.ended(a),
        }
    }

    pub fn kpi_row(&self, k: usize) -> KpiRow<'a> {
        let kpi: &'a Kpi = &self.model.kpis[k];
        let ks: &KpiStatus = &self.fig.kpis[k];
        let owner = ks.owner_on.as_deref().unwrap_or(&kpi.owner);
        let owner: &'a str = self
            .model
            .agency(owner)
            .map_or(kpi.owner.as_str(), |a| a.id.as_str());
        KpiRow {
            value_lang: self.value_lang(kpi),
            id: &kpi.id,
            url: self.kpi_url(&kpi.id),
            reference: kpi.reference.as_deref().unwrap_or(""),
            name: self.kpi_name(kpi),
            name_lang: self.kpi_name_lang(kpi).1,
            unit: self.unit(kpi),
            target: self.target(kpi),
            baseline: kpi
                .baseline
                .map(|(_, v)| self.value(kpi, v))
                .unwrap_or_else(|| "—".into()),
            latest: ks
                .latest
                .as_ref()
                .map(|p| self.value(kpi, p.value))
                .unwrap_or_else(|| "—".into()),
            latest_date: ks
                .latest
                .as_ref()
                .map(|p| fmt_date(p.date))
                .unwrap_or_default(),
            gap: ks
                .gap
                .map(|g| self.gap(kpi, ks, g))
                .unwrap_or_else(|| "—".into()),
            reached: ks.reached,
            verdict: ks.verdict.code(),
            verdict_label: self.verdict_label(ks.verdict),
            verdict_note: self.verdict_note(kpi, ks),
            lower_better: kpi.direction == crate::model::Direction::Down,
            deadline: self.lang.deadline(&kpi.deadline),
            owner: self.agency_short(owner),
            owner_lang: self.agency_short_lang(owner).1,
            owner_url: self.agency_url(owner),
            direction: match kpi.direction {
                crate::model::Direction::Up => "up",
                crate::model::Direction::Down => "down",
            },
        }
    }

    pub fn duty(&self, d: &crate::status::Duty) -> DutyView {
        DutyView {
            agency: self.agency_full(&d.agency).to_string(),
            agency_lang: self
                .model
                .agency(&d.agency)
                .map_or("", |a| self.agency_name_lang(a).1),
            agency_url: self.agency_url(&d.agency),
            period: self.lang.period(d.period),
            period_url: self.route(&Route::Report(d.period)),
            due: fmt_date(d.due),
            outcome: d.outcome.code(),
            label: self.outcome_label(d.outcome),
            submitted: d
                .report
                .map(|r| fmt_date(self.model.reports[r].submitted))
                .unwrap_or_default(),
            report_url: String::new(),
        }
    }
}

/// Sort key of the deadline table: dated deadlines first, earliest first;
/// then recurring; then tasks without a deadline.
pub fn deadline_sort(s: &TaskStatus) -> String {
    match s.deadline {
        Some(d) => match d.date() {
            Some(date) => date.to_string(),
            None => "9999-12-30".to_string(),
        },
        None => "9999-12-31".to_string(),
    }
}
