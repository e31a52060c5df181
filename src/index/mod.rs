//! The site index: every list a page shows, already filtered and in its
//! order, every relation between content items, and every count a page
//! prints beyond the status roll-ups, decided once after status and before
//! render (the pipeline's fifth stage: load -> model -> status -> index ->
//! render -> output). Render reads it and only formats: it does not sort,
//! filter, count or compare dates (README, Architecture).
//!
//! Like Zola's `Library`, the index holds indices into the model's vectors
//! (tasks, agencies, KPIs, articles, pages), never copies of the items.
//!
//! Over 600 lines: every list and relation the pages show is decided
//! here, in one place, so that two pages never decide one twice.

mod proposals;
pub use proposals::{Owes, ProposalIndex};

use crate::date::Period;
use crate::model::Model;
use crate::render::i18n::Lang;
use crate::status::{BurnupPoint, Duty, Figures, Rollup, Status, TaskStatus};
use std::collections::{BTreeMap, HashMap};

/// A list of tasks with a page of its own: the deadline table, its status
/// views, and each agency's and group's views (all its tasks, or those of
/// one status: exactly the tasks its scorecard counts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TaskList {
    All,
    Status(Status),
    /// By index into `Model::agencies`: the tasks it leads on D.
    Agency(usize, Option<Status>),
    /// By index into `Model::groups`: the tasks its agencies lead on D.
    Group(usize, Option<Status>),
}

impl TaskList {
    /// The roll-up whose counts this list (or its status) shows.
    pub fn rollup<'f>(self, m: &Model, fig: &'f Figures) -> Option<&'f Rollup> {
        match self {
            TaskList::All | TaskList::Status(_) => Some(&fig.overall),
            TaskList::Agency(i, _) => fig.agencies.get(&m.agencies[i].id).map(|f| &f.rollup),
            TaskList::Group(i, _) => fig.groups.get(&m.groups[i].id),
        }
    }

    pub fn status(self) -> Option<Status> {
        match self {
            TaskList::All => None,
            TaskList::Status(s) => Some(s),
            TaskList::Agency(_, s) | TaskList::Group(_, s) => s,
        }
    }

    /// The same scope with another status (or all).
    pub fn with_status(self, s: Option<Status>) -> TaskList {
        match (self, s) {
            (TaskList::All | TaskList::Status(_), None) => TaskList::All,
            (TaskList::All | TaskList::Status(_), Some(s)) => TaskList::Status(s),
            (TaskList::Agency(i, _), s) => TaskList::Agency(i, s),
            (TaskList::Group(i, _), s) => TaskList::Group(i, s),
        }
    }

    /// Every list of the site: the deadline table and its status views,
    /// then each agency's and each group's, in a stable order.
    pub fn every(m: &Model) -> Vec<TaskList> {
        let mut lists = vec![TaskList::All];
        lists.extend(Status::ALL.map(TaskList::Status));
        for i in 0..m.agencies.len() {
            lists.push(TaskList::Agency(i, None));
            lists.extend(Status::ALL.map(|s| TaskList::Agency(i, Some(s))));
        }
        for i in 0..m.groups.len() {
            lists.push(TaskList::Group(i, None));
            lists.extend(Status::ALL.map(|s| TaskList::Group(i, Some(s))));
        }
        lists
    }
}

/// A task list's tasks, in table order, and what its filter offers.
#[derive(Debug, Clone, Default)]
pub struct ListTasks {
    /// In table order: the overdue ones most days late first, any other
    /// list in deadline order.
    pub tasks: Vec<usize>,
    /// Their lead agencies on D, sorted, each once (the list's filter).
    pub leads: Vec<String>,
}

/// An agency holding overdue tasks on D, for the dashboard.
#[derive(Debug, Clone, PartialEq)]
pub struct OverdueHolder<'m> {
    pub agency: &'m str,
    pub overdue: usize,
}

/// The counts of one month's reporting duties.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DutyCounts {
    pub on_time: usize,
    pub late: usize,
    pub missing: usize,
}

impl DutyCounts {
    pub fn of<'d>(duties: impl IntoIterator<Item = &'d Duty>) -> DutyCounts {
        use crate::status::Outcome;
        let mut c = DutyCounts::default();
        for d in duties {
            match d.outcome {
                Outcome::OnTime => c.on_time += 1,
                Outcome::Late(_) => c.late += 1,
                Outcome::Missing => c.missing += 1,
            }
        }
        c
    }
}

/// A national indicator set's KPIs: each one's index and its code there.
pub type FrameworkKpis<'m> = Vec<(usize, Option<&'m str>)>;

/// How many articles the dashboard's latest news lists.
pub const LATEST_NEWS: usize = 3;

/// Every list, relation and count the pages of one build show.
#[derive(Default)]
pub struct SiteIndex<'m> {
    /// The site's languages, the default first.
    pub langs: Vec<Lang>,
    /// Every task in deadline-table order: dated deadlines first, earliest
    /// first, then recurring tasks, then tasks without a deadline; ties by
    /// id.
    pub deadline_order: Vec<usize>,
    /// Each task's place in `deadline_order`.
    pub deadline_rank: Vec<usize>,
    /// Every task list with a page, its tasks in table order.
    pub lists: BTreeMap<TaskList, ListTasks>,
    /// The dashboard's next deadlines: the first five open tasks with a
    /// dated deadline on or after D, in deadline order.
    pub next_deadlines: Vec<usize>,
    /// By task index: its child tasks (`parent`), deadline order, and the
    /// roll-up of their statuses; the tasks above it, nearest first.
    pub children: Vec<Vec<usize>>,
    pub children_rollup: HashMap<usize, Rollup>,
    pub ancestors: Vec<Vec<usize>>,
    /// By plan index: its tasks (deadline order) and the plans that
    /// implement it (content order).
    pub plan_tasks: Vec<Vec<usize>>,
    pub plans_under: Vec<Vec<usize>>,
    /// By plan index: the plans it carries out, nearest first.
    pub plans_above: Vec<Vec<usize>>,
    /// Open tasks whose lead says they are at risk or off track (its own
    /// outlook), deadline order: the dashboard's early warnings.
    pub early_warnings: Vec<usize>,
    /// The same, by the agency that leads each on D.
    pub agency_warnings: HashMap<&'m str, Vec<usize>>,
    /// The agencies holding overdue tasks, in the scorecards' ranking.
    pub overdue_holders: Vec<OverdueHolder<'m>>,
    /// Tasks without a lead on D (the "5 rõ" gap), deadline order; those
    /// of them that are recurring are counted apart.
    pub without_lead: Vec<usize>,
    pub without_lead_recurring: usize,
    /// Agencies by index: those of the scorecards (not merged, renamed or
    /// dissolved by D) and the former ones, each in content order.
    pub agencies_active: Vec<usize>,
    pub agencies_former: Vec<usize>,
    /// By agency index: dissolved without a successor by D.
    pub dissolved: Vec<bool>,
    /// Per group id: its active agencies, content order.
    pub group_agencies: HashMap<&'m str, Vec<usize>>,
    /// Per group id: every agency of the group (the chart's bars).
    pub group_members: HashMap<&'m str, Vec<&'m str>>,
    /// By agency id: the tasks it was given that passed to a successor,
    /// deadline order, and the KPIs it owns on D (content order).
    pub handed_over: HashMap<&'m str, Vec<usize>>,
    pub kpis_owned: HashMap<&'m str, Vec<usize>>,
    /// By agency id: the tasks it supports on D, deadline order.
    pub supports: HashMap<&'m str, Vec<usize>>,
    /// By agency id: its reporting duties, newest month first (indices
    /// into its `AgencyFigures::duties`).
    pub duties_newest_first: HashMap<&'m str, Vec<usize>>,
    /// By agency id: the months it owes a report and missed, oldest first.
    pub missing_reports: Vec<(&'m str, Vec<Period>)>,
    /// Per report month: how many duties were met on time, late, missed.
    pub month_counts: BTreeMap<Period, DutyCounts>,
    /// By agency id: the agencies that passed to it (merged or renamed
    /// into it), content order, whatever the date.
    pub predecessors: HashMap<&'m str, Vec<usize>>,
    /// By task index: the KPIs that measure it (either side names the
    /// link), content order.
    pub task_kpis: Vec<Vec<usize>>,
    /// By article index: the KPIs it names, content order.
    pub article_kpis: Vec<Vec<usize>>,
    /// By KPI index: the tasks it measures (either side names the link),
    /// deadline order.
    pub kpi_tasks: Vec<Vec<usize>>,
    /// The status-change events of each task and of each agency (indices
    /// into `Figures::events`, newest first as the events are).
    pub task_events: Vec<Vec<usize>>,
    pub agency_events: HashMap<&'m str, Vec<usize>>,
    /// By KPI id: how many decimals its figures show, the most its data
    /// has (baseline, target, values known on D), at most two: a
    /// projection from values given to one decimal shows one.
    pub kpi_decimals: HashMap<&'m str, usize>,
    /// Each national indicator set the KPIs name (`framework`), by name,
    /// with its KPIs (index and the code they carry there), content order:
    /// the KPI list's filter by framework.
    pub kpi_frameworks: Vec<(&'m str, FrameworkKpis<'m>)>,
    /// Articles naming each task or KPI id (indices into
    /// `Model::articles`, content order).
    pub articles_about: HashMap<String, Vec<usize>>,
    /// Tag text -> URL slug.
    pub tags: BTreeMap<String, String>,
    /// Tasks carrying each tag, by the tag's slug, deadline order.
    pub tagged_tasks: HashMap<String, Vec<usize>>,
    /// Each language's articles carrying each tag, by the tag, in the
    /// language's article order, each once.
    pub tagged_articles: HashMap<Lang, HashMap<String, Vec<usize>>>,
    /// Per language: index of the article shown for each Vietnamese
    /// article slug (the English version where there is one).
    pub articles: HashMap<Lang, Vec<usize>>,
    /// Per language: each article slug's place in `articles`.
    pub article_pos: HashMap<Lang, HashMap<&'m str, usize>>,
    /// Per language: standing pages, likewise.
    pub pages: HashMap<Lang, Vec<usize>>,
    /// Per language: the standing pages in the main menu, by `menu` then
    /// slug.
    pub menu_pages: HashMap<Lang, Vec<usize>>,
    /// The burn-up's figures at the end of each month and on D.
    pub burnup_months: Vec<BurnupPoint>,
    /// Per task: whether each of its deadline changes is in force on D.
    pub extensions_in_force: Vec<Vec<bool>>,
    /// The register of difficulties and proposals and its lists.
    pub proposals: ProposalIndex<'m>,
}

impl<'m> SiteIndex<'m> {
    /// The index of the figures `fig` (as of D) of model `m`.
    pub fn build(m: &'m Model, fig: &Figures) -> SiteIndex<'m> {
        let (deadline_order, deadline_rank) = deadline_order(m, &fig.tasks);
        let mut ix = SiteIndex {
            langs: languages(m),
            deadline_order,
            deadline_rank,
            ..SiteIndex::default()
        };
        ix.index_tasks(m, fig);
        ix.index_agencies(m, fig);
        ix.index_links(m, fig);
        ix.index_articles(m);
        ix.index_plans(m, fig);
        ix.proposals = ProposalIndex::build(m, fig);
        ix
    }

    /// `list` in deadline order.
    fn in_order(&self, mut list: Vec<usize>) -> Vec<usize> {
        list.sort_unstable_by_key(|&i| self.deadline_rank[i]);
        list
    }

    /// The task lists, the dashboard's next deadlines and gap, the
    /// burn-up's months, the extensions in force.
    fn index_tasks(&mut self, m: &Model, fig: &Figures) {
        self.lists = TaskList::every(m)
            .into_iter()
            .map(|l| {
                let listed = list_tasks(m, fig, l, &self.deadline_order, &self.deadline_rank);
                (l, listed)
            })
            .collect();
        self.next_deadlines = self
            .deadline_order
            .iter()
            .copied()
            .filter(|&i| {
                let s = &fig.tasks[i];
                s.issued && !s.status.is_done() && s.days_left.is_some()
            })
            .take(5)
            .collect();
        self.early_warnings = self
            .deadline_order
            .iter()
            .copied()
            .filter(|&i| {
                let s = &fig.tasks[i];
                s.issued && !s.status.is_done() && s.outlook.is_some_and(|o| o.warns())
            })
            .collect();
        self.without_lead = self.in_order(fig.unassigned.clone());
        self.without_lead_recurring = self
            .without_lead
            .iter()
            .filter(|&&i| fig.tasks[i].status == Status::Ongoing)
            .count();
        self.burnup_months = burnup_months(&fig.burnup);
        self.extensions_in_force = m
            .tasks
            .iter()
            .map(|t| {
                t.deadline_changes
                    .iter()
                    .map(|c| c.date <= fig.as_of)
                    .collect()
            })
            .collect();
        for (p, duties) in &fig.months {
            self.month_counts.insert(*p, DutyCounts::of(duties));
        }
        self.task_events = vec![Vec::new(); m.tasks.len()];
        for (k, e) in fig.events.iter().enumerate() {
            if let Some(list) = e.task.and_then(|i| self.task_events.get_mut(i)) {
                list.push(k);
            }
        }
    }

    /// Who is active on D, who passed to whom, what each agency holds.
    fn index_agencies(&mut self, m: &'m Model, fig: &Figures) {
        self.overdue_holders = fig
            .agency_ranking
            .iter()
            .filter_map(|id| {
                let n = fig.agencies.get(id)?.rollup.count(Status::Overdue);
                let agency = m.agency(id)?;
                (n > 0).then_some(OverdueHolder {
                    agency: agency.id.as_str(),
                    overdue: n,
                })
            })
            .collect();
        let former =
            |a: &crate::model::Agency| a.succession.as_ref().is_some_and(|s| s.date <= fig.as_of);
        (self.agencies_former, self.agencies_active) =
            (0..m.agencies.len()).partition(|&i| former(&m.agencies[i]));
        self.dissolved = m
            .agencies
            .iter()
            .map(|a| former(a) && a.succession.as_ref().is_some_and(|s| s.to.is_none()))
            .collect();
        for (i, a) in m.agencies.iter().enumerate() {
            if let Some(g) = a.group.as_deref() {
                self.group_members.entry(g).or_default().push(a.id.as_str());
                if !former(a) {
                    self.group_agencies.entry(g).or_default().push(i);
                }
            }
            if let Some(to) = a.succession.as_ref().and_then(|s| s.to.as_deref())
                && let Some(to) = m.agency(to)
            {
                self.predecessors.entry(to.id.as_str()).or_default().push(i);
            }
        }
        for (t, (task, status)) in m.tasks.iter().zip(&fig.tasks).enumerate() {
            if let Some(lead) = task.lead.as_deref().and_then(|l| m.agency(l))
                && status.lead_on.as_deref() != Some(lead.id.as_str())
            {
                self.handed_over
                    .entry(lead.id.as_str())
                    .or_default()
                    .push(t);
            }
        }
        for (k, kpi) in fig.kpis.iter().enumerate() {
            if let Some(owner) = kpi.owner_on.as_deref().and_then(|o| m.agency(o)) {
                self.kpis_owned
                    .entry(owner.id.as_str())
                    .or_default()
                    .push(k);
            }
        }
        for a in &m.agencies {
            let Some(f) = fig.agencies.get(&a.id) else {
                continue;
            };
            let supports = self.in_order(f.supports.clone());
            self.supports.insert(a.id.as_str(), supports);
            let mut duties: Vec<usize> = (0..f.duties.len()).collect();
            duties.sort_by_key(|&k| std::cmp::Reverse(f.duties[k].period));
            self.duties_newest_first.insert(a.id.as_str(), duties);
        }
        let handed: Vec<&str> = self.handed_over.keys().copied().collect();
        for a in handed {
            let list = self.handed_over.remove(a).unwrap_or_default();
            let list = self.in_order(list);
            self.handed_over.insert(a, list);
        }
        for (k, e) in fig.events.iter().enumerate() {
            if let Some(a) = e.agency.as_deref().and_then(|a| m.agency(a)) {
                self.agency_events.entry(a.id.as_str()).or_default().push(k);
            }
        }
        for &i in &self.early_warnings {
            if let Some(a) = fig.tasks[i].lead_on.as_deref().and_then(|a| m.agency(a)) {
                self.agency_warnings
                    .entry(a.id.as_str())
                    .or_default()
                    .push(i);
            }
        }
        self.missing_reports = fig
            .missing_reports()
            .into_iter()
            .filter_map(|(id, ps)| Some((m.agency(id)?.id.as_str(), ps)))
            .collect();
    }

    /// KPIs and tasks both ways, the KPIs articles name, each KPI's
    /// precision.
    fn index_links(&mut self, m: &'m Model, fig: &Figures) {
        let mut sets: BTreeMap<&'m str, FrameworkKpis<'m>> = BTreeMap::new();
        for (k, kpi) in m.kpis.iter().enumerate() {
            for (name, code) in &kpi.meta.framework {
                let list = sets.entry(name.as_str()).or_default();
                if list.last().is_none_or(|(last, _)| *last != k) {
                    list.push((k, code.as_deref()));
                }
            }
        }
        self.kpi_frameworks = sets.into_iter().collect();
        self.kpi_tasks = m
            .kpis
            .iter()
            .map(|kpi| {
                self.deadline_order
                    .iter()
                    .copied()
                    .filter(|&t| {
                        let task = &m.tasks[t];
                        kpi.tasks.contains(&task.id) || task.kpis.contains(&kpi.id)
                    })
                    .collect()
            })
            .collect();
        self.task_kpis = m
            .tasks
            .iter()
            .map(|t| {
                (0..m.kpis.len())
                    .filter(|&k| t.kpis.contains(&m.kpis[k].id) || m.kpis[k].tasks.contains(&t.id))
                    .collect()
            })
            .collect();
        self.article_kpis = m
            .articles
            .iter()
            .map(|a| {
                (0..m.kpis.len())
                    .filter(|&k| a.kpis.contains(&m.kpis[k].id))
                    .collect()
            })
            .collect();
        self.kpi_decimals = m
            .kpis
            .iter()
            .zip(&fig.kpis)
            .map(|(kpi, ks)| {
                let figures = ks
                    .points
                    .iter()
                    .map(|p| p.value)
                    .chain([kpi.target])
                    .chain(kpi.baseline.map(|b| b.1));
                (kpi.id.as_str(), figures.map(decimals).max().unwrap_or(0))
            })
            .collect();
    }

    /// Plans that cascade: each plan's tasks and the plans under it, each
    /// task's children (with their roll-up) and the tasks above it.
    fn index_plans(&mut self, m: &Model, fig: &Figures) {
        self.plan_tasks = vec![Vec::new(); m.plans.len()];
        self.plans_under = vec![Vec::new(); m.plans.len()];
        self.children = vec![Vec::new(); m.tasks.len()];
        self.ancestors = vec![Vec::new(); m.tasks.len()];
        for &i in &self.deadline_order {
            let t = &m.tasks[i];
            if !fig.tasks[i].issued {
                continue;
            }
            if let Some(list) = self.plan_tasks.get_mut(t.plan) {
                list.push(i);
            }
            if let Some(p) = t.parent {
                self.children[p].push(i);
            }
        }
        for (k, p) in m.plans.iter().enumerate() {
            if let Some(crate::model::Implements::Plan(j)) = p.implements {
                self.plans_under[j].push(k);
            }
        }
        self.plans_above = (0..m.plans.len())
            .map(|k| {
                let mut out = Vec::new();
                let mut at = k;
                while let Some(crate::model::Implements::Plan(j)) = m.plans[at].implements {
                    if j == k || out.contains(&j) {
                        break;
                    }
                    out.push(j);
                    at = j;
                }
                out
            })
            .collect();
        for (p, kids) in self.children.iter().enumerate() {
            if !kids.is_empty() {
                self.children_rollup
                    .insert(p, Rollup::of(kids.iter().copied(), &fig.tasks, m));
            }
        }
        for i in 0..m.tasks.len() {
            let mut at = i;
            while let Some(p) = m.tasks[at].parent {
                if p == i || self.ancestors[i].contains(&p) {
                    break;
                }
                self.ancestors[i].push(p);
                at = p;
            }
        }
    }

    /// Each language's articles and pages, and what articles relate to.
    fn index_articles(&mut self, m: &'m Model) {
        self.articles = versions(
            &m.articles,
            |a| a.slug.as_str(),
            |a| a.lang.as_deref(),
            &self.langs,
        );
        self.pages = versions(
            &m.pages,
            |p| p.slug.as_str(),
            |p| p.lang.as_deref(),
            &self.langs,
        );
        self.menu_pages = self
            .pages
            .iter()
            .map(|(&lang, list)| {
                let mut menu: Vec<usize> = list
                    .iter()
                    .copied()
                    .filter(|&i| m.pages[i].menu.is_some())
                    .collect();
                menu.sort_by(|&a, &b| {
                    let (a, b) = (&m.pages[a], &m.pages[b]);
                    (a.menu, &a.slug).cmp(&(b.menu, &b.slug))
                });
                (lang, menu)
            })
            .collect();
        let meta = articles_meta(m, &self.articles, &self.deadline_rank);
        self.articles_about = meta.about;
        self.tags = meta.tags;
        self.tagged_tasks = meta.tagged_tasks;
        self.tagged_articles = meta.tagged_articles;
        self.article_pos = meta.pos;
    }

    /// A task list's tasks (empty for a list the site does not have).
    pub fn list(&self, list: TaskList) -> &ListTasks {
        static EMPTY: ListTasks = ListTasks {
            tasks: Vec::new(),
            leads: Vec::new(),
        };
        self.lists.get(&list).unwrap_or(&EMPTY)
    }

    /// The dashboard's latest news: the first [`LATEST_NEWS`] of the
    /// language's articles (newest first).
    pub fn latest_articles(&self, lang: Lang) -> &[usize] {
        self.articles
            .get(&lang)
            .map_or(&[][..], |list| &list[..list.len().min(LATEST_NEWS)])
    }

    /// The places in language `lang`'s article order of the articles
    /// about `id` (a task or KPI), each article once.
    pub fn articles_about(&self, lang: Lang, id: &str, m: &Model) -> Vec<usize> {
        let (Some(about), Some(list), Some(pos)) = (
            self.articles_about.get(id),
            self.articles.get(&lang),
            self.article_pos.get(&lang),
        ) else {
            return Vec::new();
        };
        let mut places: Vec<usize> = about
            .iter()
            .filter_map(|&i| pos.get(m.articles[i].slug.as_str()).copied())
            .collect();
        places.sort_unstable();
        places.dedup();
        places.into_iter().map(|p| list[p]).collect()
    }

    /// The language's articles with a tag (newest first) and the tasks with
    /// it (deadline order).
    pub fn tagged(&self, lang: Lang, tag: &str, slug: &str) -> (&[usize], &[usize]) {
        let articles = self
            .tagged_articles
            .get(&lang)
            .and_then(|by_tag| by_tag.get(tag))
            .map_or(&[][..], Vec::as_slice);
        let tasks = self.tagged_tasks.get(slug).map_or(&[][..], Vec::as_slice);
        (articles, tasks)
    }
}

/// How many decimals `v` was written with, at most two (a value read
/// from YAML keeps the shortest form that gives it back).
pub fn decimals(v: f64) -> usize {
    let s = format!("{v}");
    s.split_once('.').map_or(0, |(_, frac)| frac.len().min(2))
}

/// The site's languages from site.yaml, Vietnamese when none is usable.
fn languages(m: &Model) -> Vec<Lang> {
    let langs: Vec<Lang> = m
        .site()
        .languages
        .iter()
        .filter_map(|l| Lang::parse(l))
        .collect();
    if langs.is_empty() {
        vec![Lang::Vi]
    } else {
        langs
    }
}

/// The deadline table's order, and each task's place in it.
fn deadline_order(m: &Model, tasks: &[TaskStatus]) -> (Vec<usize>, Vec<usize>) {
    // Dated deadlines first, then recurring ones, then none.
    let key = |s: &TaskStatus| match s.deadline {
        Some(d) => (u8::from(d.date().is_none()), d.date()),
        None => (2, None),
    };
    let mut order: Vec<usize> = (0..m.tasks.len()).collect();
    order.sort_by(|&a, &b| {
        key(&tasks[a])
            .cmp(&key(&tasks[b]))
            .then_with(|| m.tasks[a].id.cmp(&m.tasks[b].id))
    });
    let mut rank = vec![0; order.len()];
    for (place, &i) in order.iter().enumerate() {
        rank[i] = place;
    }
    (order, rank)
}

/// One list's tasks in table order, and their leads.
fn list_tasks(
    m: &Model,
    fig: &Figures,
    list: TaskList,
    order: &[usize],
    rank: &[usize],
) -> ListTasks {
    let only = list.status();
    let keep = |i: &usize| fig.tasks[*i].issued && only.is_none_or(|s| fig.tasks[*i].status == s);
    let tasks: Vec<usize> = if only == Some(Status::Overdue) {
        list.rollup(m, fig)
            .map(|x| x.overdue.clone())
            .unwrap_or_default()
    } else {
        let members: &[usize] = match list {
            TaskList::All | TaskList::Status(_) => order,
            TaskList::Agency(i, _) => fig
                .agencies
                .get(&m.agencies[i].id)
                .map_or(&[][..], |f| f.leads.as_slice()),
            TaskList::Group(i, _) => fig
                .group_leads
                .get(&m.groups[i].id)
                .map_or(&[][..], Vec::as_slice),
        };
        let mut tasks: Vec<usize> = members.iter().copied().filter(keep).collect();
        if !matches!(list, TaskList::All | TaskList::Status(_)) {
            tasks.sort_unstable_by_key(|&i| rank.get(i).copied().unwrap_or(usize::MAX));
        }
        tasks
    };
    let mut leads: Vec<String> = tasks
        .iter()
        .filter_map(|&i| fig.tasks[i].lead_on.clone())
        .collect();
    leads.sort_unstable();
    leads.dedup();
    ListTasks { tasks, leads }
}

/// The burn-up's points at the end of each month (and on D).
fn burnup_months(points: &[BurnupPoint]) -> Vec<BurnupPoint> {
    points
        .iter()
        .enumerate()
        .filter(|(i, p)| {
            points
                .get(i + 1)
                .is_none_or(|n| Period::of(n.date) != Period::of(p.date))
        })
        .map(|(_, p)| *p)
        .collect()
}

/// What the articles relate to: ids, tags, and each language's order.
struct ArticlesMeta<'m> {
    about: HashMap<String, Vec<usize>>,
    tags: BTreeMap<String, String>,
    tagged_tasks: HashMap<String, Vec<usize>>,
    tagged_articles: HashMap<Lang, HashMap<String, Vec<usize>>>,
    pos: HashMap<Lang, HashMap<&'m str, usize>>,
}

fn articles_meta<'m>(
    m: &'m Model,
    articles: &HashMap<Lang, Vec<usize>>,
    rank: &[usize],
) -> ArticlesMeta<'m> {
    let mut about: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, a) in m.articles.iter().enumerate() {
        for id in a.tasks.iter().chain(&a.kpis) {
            about.entry(id.clone()).or_default().push(i);
        }
    }
    let mut tags = BTreeMap::new();
    for a in &m.articles {
        for t in &a.tags {
            let slug = crate::text::slugify(t);
            if !slug.is_empty() {
                tags.insert(t.clone(), slug);
            }
        }
    }
    let mut tagged_tasks: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, t) in m.tasks.iter().enumerate() {
        for tag in &t.tags {
            tagged_tasks
                .entry(crate::text::slugify(tag))
                .or_default()
                .push(i);
        }
    }
    for list in tagged_tasks.values_mut() {
        list.sort_by_key(|&i| rank[i]);
    }
    let tagged_articles = articles
        .iter()
        .map(|(&lang, list)| {
            let mut by_tag: HashMap<String, Vec<usize>> = HashMap::new();
            for &i in list {
                for (n, tag) in m.articles[i].tags.iter().enumerate() {
                    // An article that repeats a tag is listed once.
                    if !m.articles[i].tags[..n].contains(tag) {
                        by_tag.entry(tag.clone()).or_default().push(i);
                    }
                }
            }
            (lang, by_tag)
        })
        .collect();
    let pos = articles
        .iter()
        .map(|(&lang, list)| {
            let pos = list
                .iter()
                .enumerate()
                .map(|(p, &i)| (m.articles[i].slug.as_str(), p))
                .collect();
            (lang, pos)
        })
        .collect();
    ArticlesMeta {
        about,
        tags,
        tagged_tasks,
        tagged_articles,
        pos,
    }
}

/// For each language, which version of each article (or page) to show:
/// the language's own where it exists, else the Vietnamese one.
fn versions<T>(
    items: &[T],
    slug: impl Fn(&T) -> &str,
    lang_of: impl Fn(&T) -> Option<&str>,
    langs: &[Lang],
) -> HashMap<Lang, Vec<usize>> {
    // Each slug's versions by language code ("" for Vietnamese), first wins.
    let mut by_slug: HashMap<&str, HashMap<&str, usize>> = HashMap::new();
    let mut order: Vec<&str> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let s = slug(item);
        let versions = by_slug.entry(s).or_insert_with(|| {
            order.push(s);
            HashMap::new()
        });
        versions.entry(lang_of(item).unwrap_or("")).or_insert(i);
    }
    langs
        .iter()
        .map(|&lang| {
            let own = if lang == Lang::Vi { "" } else { lang.code() };
            let chosen = order
                .iter()
                .filter_map(|s| {
                    let v = &by_slug[s];
                    v.get(own)
                        .or_else(|| v.get(""))
                        .or_else(|| v.values().min())
                        .copied()
                })
                .collect();
            (lang, chosen)
        })
        .collect()
}

#[cfg(test)]
mod tests;
