//! The validated domain: what every later stage reads. Ids are checked,
//! references resolved, dates parsed, text in NFC. Over 600 lines: it is
//! the one vocabulary every stage reads (each kind's types and their small
//! lookups); the checks that build them live in the files of each kind.

use crate::date::{Date, Deadline, Period};
use crate::diag::Loc;
use crate::load::{StaticFile, ThemeFiles};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct Site {
    /// The file it is read from (`content/site.yaml`).
    pub file: String,
    pub title: String,
    pub title_en: Option<String>,
    pub description: Option<String>,
    pub description_en: Option<String>,
    pub base_url: String,
    pub owner: Option<String>,
    pub contact: Option<String>,
    /// The first is the default language; `vi`, optionally `en`.
    pub languages: Vec<String>,
    pub as_of: Option<Date>,
    pub due_soon_days: i64,
    pub report_day: u32,
    pub sample_data: bool,
    pub data_license: Option<String>,
    /// Display names of tags given in site.yaml (`tags:`), by slug.
    pub tag_names: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AgencyKind {
    Department,
    Sector,
    Locality,
    Central,
    Media,
    Office,
}

impl AgencyKind {
    pub const ALL: [(&'static str, AgencyKind); 6] = [
        ("department", AgencyKind::Department),
        ("sector", AgencyKind::Sector),
        ("locality", AgencyKind::Locality),
        ("central", AgencyKind::Central),
        ("media", AgencyKind::Media),
        ("office", AgencyKind::Office),
    ];

    pub fn code(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, k)| *k == self)
            .map_or("office", |(c, _)| c)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            AgencyKind::Department => "Sở, ban, ngành",
            AgencyKind::Sector => "Ngành dọc",
            AgencyKind::Locality => "Địa phương",
            AgencyKind::Central => "Cơ quan Trung ương tại tỉnh",
            AgencyKind::Media => "Cơ quan báo chí, truyền thông",
            AgencyKind::Office => "Cơ quan điều phối",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuccessionKind {
    Merged,
    Renamed,
    Dissolved,
}

/// The end of an agency: from `date` its duties pass to `to` (or to nobody).
#[derive(Debug, Clone)]
pub struct Succession {
    pub kind: SuccessionKind,
    pub to: Option<String>,
    pub date: Date,
    pub loc: Loc,
}

#[derive(Debug, Clone)]
pub struct Agency {
    pub id: String,
    pub name: String,
    pub short: Option<String>,
    pub name_en: Option<String>,
    pub kind: AgencyKind,
    pub group: Option<String>,
    pub url: Option<String>,
    pub succession: Option<Succession>,
    pub loc: Loc,
}

impl Agency {
    /// The short name when there is one: tables are narrow.
    pub fn short_name(&self) -> &str {
        self.short.as_deref().unwrap_or(&self.name)
    }
}

/// A working group, led by a Vice-Chair (seed item 5).
#[derive(Debug, Clone)]
pub struct Group {
    pub id: String,
    pub name: String,
    pub name_en: Option<String>,
    pub leader: Option<String>,
    pub leader_en: Option<String>,
    pub description: Option<String>,
    pub loc: Loc,
}

#[derive(Debug, Clone)]
pub struct Plan {
    pub id: String,
    pub title: String,
    pub title_en: Option<String>,
    pub issuer: Option<String>,
    pub issued: Date,
    pub number: Option<String>,
    pub url: Option<String>,
    pub summary: Option<String>,
    pub file: Arc<str>,
    /// The first month whose report is owed (`reporting_from` of the plan,
    /// else of site.yaml): a portal that starts tracking after the plan was
    /// issued counts no report missing before it.
    pub reporting_from: Option<Period>,
    /// What the plan carries out (`implements`), resolved once every plan
    /// is read.
    pub implements: Option<Implements>,
    /// `implements` as written, with its place, until resolved.
    pub implements_ref: Option<(RefOrDoc, Loc)>,
}

/// What a plan carries out.
#[derive(Debug, Clone, PartialEq)]
pub enum Implements {
    /// A plan of the site, by index into `Model::plans`.
    Plan(usize),
    /// A document outside the site.
    Outside { title: String, url: Option<String> },
}

/// `implements` as written: a plan id, or an outside document.
#[derive(Debug, Clone, PartialEq)]
pub enum RefOrDoc {
    Id(String),
    Doc { title: String, url: Option<String> },
}

#[derive(Debug, Clone)]
pub struct DeadlineChange {
    pub to: Deadline,
    /// The day the change was decided; it takes effect from then.
    pub date: Date,
    pub by: Option<String>,
    pub reason: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Task {
    pub id: String,
    pub reference: Option<String>,
    pub title: String,
    pub title_en: Option<String>,
    /// Markdown, as `description_en`.
    pub description: Option<String>,
    pub description_en: Option<String>,
    /// Index into `Model::plans`.
    pub plan: usize,
    pub lead: Option<String>,
    pub support: Vec<String>,
    pub deadline: Option<Deadline>,
    /// In the order of their `date`.
    pub deadline_changes: Vec<DeadlineChange>,
    pub result: Option<String>,
    pub result_en: Option<String>,
    pub responsible: Option<String>,
    pub responsible_en: Option<String>,
    pub kpis: Vec<String>,
    pub tags: Vec<String>,
    /// Why the task does not meet "5 rõ" (missing lead, deadline...).
    pub incomplete: Option<String>,
    /// A lead or support agency did not resolve (already reported), so
    /// who may report on the task cannot be judged.
    pub unresolved: bool,
    /// Earlier ids (`formerly`), each with where it is written: every old
    /// address gets a page that says where the task moved.
    pub formerly: Vec<(String, Loc)>,
    /// The task above it that it carries out (index into `Model::tasks`),
    /// resolved once every plan is read, and `parent` as written.
    pub parent: Option<usize>,
    pub parent_ref: Option<(String, Loc)>,
    pub loc: Loc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
}

#[derive(Debug, Clone)]
pub struct Kpi {
    pub id: String,
    pub name: String,
    pub name_en: Option<String>,
    pub description: Option<String>,
    pub reference: Option<String>,
    pub unit: String,
    pub target: f64,
    pub direction: Direction,
    pub baseline: Option<(Date, f64)>,
    pub deadline: Deadline,
    pub owner: String,
    pub tasks: Vec<String>,
    /// What the KPI says about itself (all optional).
    pub meta: KpiMeta,
    pub loc: Loc,
}

impl Kpi {
    /// A rank (`direction: down`, unit `hạng`, `thứ hạng`, `rank` or
    /// `place`): 1 is the best, a chart puts it at the top, and a value
    /// reads "hạng 35", not "35 hạng".
    pub fn is_rank(&self) -> bool {
        self.direction == Direction::Down
            && matches!(
                self.unit.trim().to_lowercase().as_str(),
                "hạng" | "thứ hạng" | "rank" | "place"
            )
    }

    /// Whether its unit is words a reader needs in their language ("trung
    /// tâm"), so `unit_en` translates it: not `%`, `km` or another unit
    /// written in ASCII symbols, nor a rank (pages write "rank 35").
    pub fn unit_is_words(&self) -> bool {
        !self.unit.is_ascii() && !self.is_rank()
    }
}

/// A KPI's metadata: what it measures, how, from where, how often, and
/// the national indicator sets it feeds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KpiMeta {
    pub unit_en: Option<String>,
    /// Markdown.
    pub definition: Option<String>,
    pub definition_en: Option<String>,
    pub formula: Option<String>,
    pub source: Option<String>,
    pub frequency: Option<Frequency>,
    /// (name, code) of each indicator set, as written.
    pub framework: Vec<(String, Option<String>)>,
}

/// How often a KPI is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frequency {
    Monthly,
    Quarterly,
    Yearly,
}

impl Frequency {
    pub const ALL: [(&'static str, Frequency); 3] = [
        ("monthly", Frequency::Monthly),
        ("quarterly", Frequency::Quarterly),
        ("yearly", Frequency::Yearly),
    ];

    pub fn code(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, f)| *f == self)
            .map_or("monthly", |(c, _)| c)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TaskState {
    NotStarted,
    InProgress,
    Blocked,
    Done,
}

/// An agency's own outlook on a task (`outlook:` on an update).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Outlook {
    OnTrack,
    AtRisk,
    OffTrack,
}

impl Outlook {
    pub const ALL: [(&'static str, Outlook); 3] = [
        ("on_track", Outlook::OnTrack),
        ("at_risk", Outlook::AtRisk),
        ("off_track", Outlook::OffTrack),
    ];

    pub fn code(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, o)| *o == self)
            .map_or("on_track", |(c, _)| c)
    }

    /// At risk or off track: an early warning while the task is open.
    pub fn warns(self) -> bool {
        self != Outlook::OnTrack
    }
}

impl TaskState {
    pub const ALL: [(&'static str, TaskState); 4] = [
        ("not_started", TaskState::NotStarted),
        ("in_progress", TaskState::InProgress),
        ("blocked", TaskState::Blocked),
        ("done", TaskState::Done),
    ];

    pub fn code(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, s)| *s == self)
            .map_or("not_started", |(c, _)| c)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            TaskState::NotStarted => "Chưa triển khai",
            TaskState::InProgress => "Đang thực hiện",
            TaskState::Blocked => "Vướng mắc",
            TaskState::Done => "Hoàn thành",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Update {
    pub task: String,
    pub progress: Option<f64>,
    pub state: TaskState,
    /// The agency's own view of meeting the deadline; shown beside the
    /// computed status, never changing it.
    pub outlook: Option<Outlook>,
    /// Markdown, as `note_en`.
    pub note: Option<String>,
    pub note_en: Option<String>,
    pub evidence: Option<String>,
    pub done_on: Option<Date>,
    pub loc: Loc,
}

#[derive(Debug, Clone)]
pub struct KpiValue {
    pub kpi: String,
    pub date: Date,
    pub value: f64,
    pub note: Option<String>,
    pub loc: Loc,
}

/// A difficulty or proposal as its report wrote it (the thread across
/// reports is a [`Proposal`]).
#[derive(Debug, Clone, PartialEq)]
pub struct WrittenProposal {
    pub id: String,
    pub kind: ProposalKind,
    pub to: String,
    pub task: Option<String>,
    pub text: String,
    pub text_en: Option<String>,
    /// As written; `None` takes the default.
    pub reply_by: Option<Date>,
}

/// A reply as its report wrote it.
#[derive(Debug, Clone, PartialEq)]
pub struct WrittenReply {
    /// The proposal answered, `agency/id`.
    pub to: String,
    pub text: String,
    pub text_en: Option<String>,
    pub resolved: bool,
}

#[derive(Debug, Clone)]
pub struct Report {
    pub agency: String,
    pub period: Period,
    pub submitted: Date,
    pub summary: Option<String>,
    pub updates: Vec<Update>,
    pub kpi_values: Vec<KpiValue>,
    /// Its `proposals:` and `replies:` as written (checked each on its
    /// own; the threads are `Model::proposals`).
    pub proposals: Vec<WrittenProposal>,
    pub replies: Vec<WrittenReply>,
    /// Where each of `proposals` and `replies` is written (its mapping's
    /// first key), in the same order.
    pub proposal_locs: Vec<Loc>,
    pub reply_locs: Vec<Loc>,
    pub file: Arc<str>,
}

/// What a report raises: a difficulty (khó khăn, vướng mắc) or a proposal
/// (kiến nghị, đề xuất).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ProposalKind {
    Difficulty,
    Proposal,
}

impl ProposalKind {
    pub const ALL: [(&'static str, ProposalKind); 2] = [
        ("difficulty", ProposalKind::Difficulty),
        ("proposal", ProposalKind::Proposal),
    ];

    pub fn code(self) -> &'static str {
        match self {
            ProposalKind::Difficulty => "difficulty",
            ProposalKind::Proposal => "proposal",
        }
    }
}

/// One difficulty or proposal across the reports that mention it: raised
/// by `agency` in the report submitted first, repeated as reminders in its
/// later reports, answered in the addressee's (or its successor's)
/// reports. Assembled once every report is read (`model::proposals`);
/// which of it is known on a day is for status to say.
#[derive(Debug, Clone)]
pub struct Proposal {
    /// The raising agency; with `id`, the proposal's name (`so-tttt/kinh-phi-ioc`).
    pub agency: String,
    pub id: String,
    pub kind: ProposalKind,
    /// The agency asked to act, as written.
    pub to: String,
    pub task: Option<String>,
    pub text: String,
    pub text_en: Option<String>,
    /// The `submitted` day of the report that raised it, and that report's month.
    pub raised: Date,
    pub period: Period,
    /// When a reply is due: as written, else the report day of the month
    /// after `period`.
    pub reply_by: Date,
    /// Later reports of the raiser that repeat it, oldest first.
    pub reminders: Vec<Mention>,
    /// Replies, oldest first.
    pub replies: Vec<Answer>,
    pub file: Arc<str>,
    pub loc: Loc,
}

/// A later report repeating a proposal: a reminder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub submitted: Date,
    pub period: Period,
}

/// A reply to a proposal, from the report of the agency that answers.
#[derive(Debug, Clone)]
pub struct Answer {
    pub agency: String,
    pub submitted: Date,
    pub period: Period,
    pub text: String,
    pub text_en: Option<String>,
    /// The reply settles the matter (`resolved: true`).
    pub resolved: bool,
}

impl Proposal {
    /// `agency/id`, as replies cite it.
    pub fn key(&self) -> String {
        format!("{}/{}", self.agency, self.id)
    }
}

#[derive(Debug, Clone)]
pub struct Article {
    pub slug: String,
    pub lang: Option<String>,
    pub title: String,
    pub date: Date,
    pub summary: Option<String>,
    pub tags: Vec<String>,
    pub tasks: Vec<String>,
    pub kpis: Vec<String>,
    pub image: Option<String>,
    pub image_alt: Option<String>,
    pub author: Option<String>,
    pub draft: bool,
    pub body: String,
    /// `body` as safe HTML with its table of contents (parsed once, with
    /// the checks).
    pub html: crate::markdown::Rendered,
    /// The words of `body` the search indexes.
    pub search_text: String,
    pub file: Arc<str>,
    /// The line of `file` on which `body` starts.
    pub body_line: u64,
    /// Where `date` is written.
    pub date_loc: Loc,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub slug: String,
    pub lang: Option<String>,
    pub title: String,
    pub menu: Option<i64>,
    pub description: Option<String>,
    pub body: String,
    pub file: Arc<str>,
    /// The line of `file` on which `body` starts.
    pub body_line: u64,
}

/// The whole validated site. Lists keep a stable order (by id, or by file
/// for reports), so everything downstream is deterministic.
#[derive(Debug, Default)]
pub struct Model {
    pub site: Option<Site>,
    pub groups: Vec<Group>,
    pub agencies: Vec<Agency>,
    pub plans: Vec<Plan>,
    pub tasks: Vec<Task>,
    pub kpis: Vec<Kpi>,
    pub reports: Vec<Report>,
    /// Every difficulty and proposal, by raising agency and id.
    pub proposals: Vec<Proposal>,
    pub articles: Vec<Article>,
    pub pages: Vec<Page>,
    pub static_files: Vec<StaticFile>,
    pub theme: ThemeFiles,
    pub(crate) agency_ix: HashMap<String, usize>,
    pub(crate) group_ix: HashMap<String, usize>,
    pub(crate) task_ix: HashMap<String, usize>,
    /// Earlier task ids (`formerly`) and the task each now names.
    pub(crate) formerly_ix: HashMap<String, usize>,
    pub(crate) kpi_ix: HashMap<String, usize>,
    pub(crate) unparsed: HashSet<&'static str>,
    /// `reporting_from` of site.yaml, the default of every plan.
    pub(crate) reporting_from: Option<Period>,
    /// Where some dates are written, for the checks against the as-of day
    /// ([`super::check_as_of`]).
    pub(crate) places: Places,
}

/// Where dates compared with the as-of day are written: kept beside the
/// model rather than in its types, which other stages build by hand.
#[derive(Debug, Default)]
pub(crate) struct Places {
    /// `as_of` in site.yaml.
    pub as_of: Option<Loc>,
    /// Per plan (index into `Model::plans`): its `issued`.
    pub plan_issued: Vec<Loc>,
    /// Per report (index into `Model::reports`): its `submitted`.
    pub submitted: Vec<Loc>,
    /// Every extension: its task's index, the day it was decided and
    /// where that day is written.
    pub extensions: Vec<(usize, Date, Loc)>,
}

impl Model {
    pub fn agency(&self, id: &str) -> Option<&Agency> {
        self.agency_ix.get(id).map(|&i| &self.agencies[i])
    }

    pub fn group(&self, id: &str) -> Option<&Group> {
        self.group_ix.get(id).map(|&i| &self.groups[i])
    }

    pub fn task(&self, id: &str) -> Option<&Task> {
        self.task_ix.get(id).map(|&i| &self.tasks[i])
    }

    pub fn task_index(&self, id: &str) -> Option<usize> {
        self.task_ix.get(id).copied()
    }

    pub fn kpi(&self, id: &str) -> Option<&Kpi> {
        self.kpi_ix.get(id).map(|&i| &self.kpis[i])
    }

    /// The agency that holds `id`'s duties on `date`, following mergers and
    /// renamings that took effect on or before it; `None` once dissolved
    /// without successor. Cycles are rejected by the model stage; the step
    /// limit only keeps this total.
    pub fn holder_on<'a>(&'a self, id: &'a str, date: Date) -> Option<&'a str> {
        let mut current = id;
        for _ in 0..=self.agencies.len() {
            let agency = self.agency(current)?;
            match &agency.succession {
                Some(s) if s.date <= date => match &s.to {
                    Some(to) => current = to,
                    None => return None,
                },
                _ => return Some(&agency.id),
            }
        }
        Some(current)
    }

    /// Whether `agency` may report on `task` on `date`: it exists then and
    /// leads or supports the task, directly or as successor.
    pub fn takes_part_on(&self, agency: &str, task: &Task, date: Date) -> bool {
        task.lead
            .iter()
            .chain(task.support.iter())
            .any(|a| self.holder_on(a, date) == Some(agency))
    }

    /// Whether `agency` holds the lead of `task` on `date`.
    pub fn leads_on(&self, agency: &str, task: &Task, date: Date) -> bool {
        task.lead.as_deref().and_then(|l| self.holder_on(l, date)) == Some(agency)
    }

    /// Whether reports for `period` are owed under plan `plan`: not before
    /// its first reporting period.
    pub fn reporting_owed(&self, plan: usize, period: Period) -> bool {
        self.plans
            .get(plan)
            .is_none_or(|p| p.reporting_from.is_none_or(|from| period >= from))
    }

    /// Whether `agency`'s report for `period` exists but was submitted
    /// after `as_of`: the model names it where it is written
    /// ([`super::check_as_of`]), so it is not also "missing".
    pub fn report_submitted_after(&self, agency: &str, period: Period, as_of: Date) -> bool {
        self.reports
            .iter()
            .any(|r| r.agency == agency && r.period == period && r.submitted > as_of)
    }

    /// The proposal `agency/id`, by its raising agency and id.
    pub fn proposal(&self, agency: &str, id: &str) -> Option<usize> {
        self.proposals
            .binary_search_by(|p| (p.agency.as_str(), p.id.as_str()).cmp(&(agency, id)))
            .ok()
    }

    pub fn site(&self) -> &Site {
        self.site.as_ref().unwrap_or(&FALLBACK_SITE)
    }
}

/// Stands in for a site.yaml that failed to load, so that later checks can
/// still run and report their own problems.
static FALLBACK_SITE: Site = Site {
    file: String::new(),
    title: String::new(),
    title_en: None,
    description: None,
    description_en: None,
    base_url: String::new(),
    owner: None,
    contact: None,
    languages: Vec::new(),
    as_of: None,
    due_soon_days: 14,
    report_day: 20,
    sample_data: false,
    data_license: None,
    tag_names: std::collections::BTreeMap::new(),
};
