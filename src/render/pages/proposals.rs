//! Part of render, the accountability loop: the register of difficulties
//! and proposals (`/kien-nghi/`), by state and by addressee (links, so it
//! filters without JavaScript), and each proposal's page with its thread
//! (raised, reminded, answered). The rows also serve the task, agency and
//! dashboard pages. Input: the renderer (the index's proposal lists).
//! Output: the pages' HTML.

use super::*;
use crate::status::{ProposalState, ProposalStatus, Step};
use views::LangLink;

/// The register.
pub(super) static PROPOSALS: PageKind = PageKind {
    template: "proposals.html",
    jobs: |_, _| vec![Key::One],
    route: |_, _| Route::Proposals,
    render: register,
    source: from_templates,
    deferred: false,
    sitemap: true,
    share: None,
};

/// A proposal's page, by its index in `Figures::proposals`.
pub(super) static PROPOSAL: PageKind = PageKind {
    template: "proposal.html",
    jobs: |r, _| (0..r.fig.proposals.len()).map(Key::Item).collect(),
    route: |at, key| match key {
        Key::Item(k) => {
            at.m.proposals
                .get(*k)
                .map_or(Route::Proposals, |p| Route::Proposal(&p.agency, &p.id))
        }
        _ => Route::Proposals,
    },
    render: |r, lang, job, d| match job.key {
        Key::Item(k) => proposal(r, lang, job, k, d),
        _ => None,
    },
    source: |m, key| match key {
        Key::Item(k) => m.proposals.get(*k).map(|p| std::sync::Arc::clone(&p.file)),
        _ => None,
    },
    deferred: false,
    sitemap: true,
    share: None,
};

/// A proposal as a line of a list.
#[derive(Serialize)]
pub(super) struct ProposalRow<'a> {
    url: String,
    kind: &'a str,
    state: &'static str,
    state_label: &'a str,
    /// "Quá hạn trả lời 5 ngày", or the state's label.
    state_words: String,
    raiser: LangLink,
    to: LangLink,
    /// The agency that answers now, when its duties passed from `to`.
    owed_by: Option<LangLink>,
    task: Option<LangLink>,
    text: &'a str,
    text_lang: &'static str,
    raised: String,
    reply_by: String,
    replied: String,
    reminders: usize,
}

/// Row `k` of `Figures::proposals`.
pub(super) fn proposal_row<'a>(v: &Views<'a>, k: usize) -> Option<ProposalRow<'a>> {
    let s: &ProposalStatus = v.fig.proposals.get(k)?;
    let p = v.model.proposals.get(s.proposal)?;
    let state_label = v.t.keyed("proposal_state_", s.state.code());
    let state_words = match s.days_overdue {
        Some(n) => v.t.with("proposal_overdue_days", n),
        None => state_label.to_string(),
    };
    let (text, text_lang) = v.pick(&p.text, p.text_en.as_deref());
    let task = p
        .task
        .as_deref()
        .and_then(|t| v.model.task(t))
        .map(|t| v.task_link(t));
    Some(ProposalRow {
        url: v.route(&Route::Proposal(&p.agency, &p.id)),
        kind: v.t.keyed("proposal_kind_", p.kind.code()),
        state: s.state.code(),
        state_label,
        state_words,
        raiser: v.agency_link(&p.agency),
        to: v.agency_link(&p.to),
        owed_by: s
            .owed_by
            .as_deref()
            .filter(|o| *o != p.to)
            .map(|o| v.agency_link(o)),
        task,
        text,
        text_lang,
        raised: fmt_date(p.raised),
        reply_by: fmt_date(p.reply_by),
        replied: s.replied.map(fmt_date).unwrap_or_default(),
        reminders: s.reminders,
    })
}

/// The rows of `list` (indices into `Figures::proposals`), in its order.
pub(super) fn proposal_rows<'a>(v: &Views<'a>, list: &[usize]) -> Vec<ProposalRow<'a>> {
    list.iter().filter_map(|&k| proposal_row(v, k)).collect()
}

/// An agency's part of the register, for its page: what it raised, what
/// it was asked (itself or as successor), how many replies it owes.
#[derive(Serialize)]
pub(super) struct AgencyProposals<'a> {
    proposals_raised: Vec<ProposalRow<'a>>,
    proposals_to: Vec<ProposalRow<'a>>,
    replies_owed: usize,
    replies_overdue: usize,
}

pub(super) fn of_agency<'a>(v: &Views<'a>, id: &str) -> AgencyProposals<'a> {
    let ix = &v.index.proposals;
    let owes = ix.owing.iter().find(|o| o.agency == id);
    let list = |m: &std::collections::HashMap<&str, Vec<usize>>| {
        proposal_rows(v, m.get(id).map_or(&[], Vec::as_slice))
    };
    AgencyProposals {
        proposals_raised: list(&ix.raised_by),
        proposals_to: list(&ix.addressed_to),
        replies_owed: owes.map_or(0, |o| o.owed),
        replies_overdue: owes.map_or(0, |o| o.overdue),
    }
}

/// The dashboard's part: the register's counts, the replies overdue and
/// the agencies that owe them.
#[derive(Serialize)]
pub(super) struct Summary<'a> {
    proposals: Vec<StateCount<'a>>,
    proposals_total: usize,
    replies_overdue: usize,
    owing: Vec<OwesView>,
}

pub(super) fn summary<'a>(v: &Views<'a>) -> Summary<'a> {
    let ix = &v.index.proposals;
    Summary {
        proposals: state_counts(v, ix.counts),
        proposals_total: ix.register.len(),
        replies_overdue: ix.overdue(),
        owing: owing(v, &ix.overdue_owing),
    }
}

/// A state's label and how many proposals are in it.
#[derive(Serialize)]
pub(super) struct StateCount<'a> {
    label: &'a str,
    count: usize,
}

/// Counts by state ([`crate::status::state_counts`]), labelled, in the
/// register's order.
pub(super) fn state_counts<'a>(v: &Views<'a>, counts: [usize; 4]) -> Vec<StateCount<'a>> {
    ProposalState::ALL
        .iter()
        .map(|s| StateCount {
            label: v.t.keyed("proposal_state_", s.code()),
            count: counts[s.index()],
        })
        .collect()
}

/// One state's part of the register.
#[derive(Serialize)]
struct StateGroup<'a> {
    code: &'static str,
    label: &'a str,
    rows: Vec<ProposalRow<'a>>,
}

/// An agency that owes replies, for the register and the dashboard.
#[derive(Serialize)]
pub(super) struct OwesView {
    agency: LangLink,
    owed: usize,
    overdue: usize,
}

/// `list`: the index's agencies that owe replies, or those of them with
/// overdue replies.
pub(super) fn owing(v: &Views, list: &[crate::index::Owes]) -> Vec<OwesView> {
    list.iter()
        .map(|o| OwesView {
            agency: v.agency_link(o.agency),
            owed: o.owed,
            overdue: o.overdue,
        })
        .collect()
}

fn register(r: &Renderer, lang: Lang, job: &Job, d: &mut Diagnostics) -> Option<Output> {
    #[derive(Serialize)]
    struct Addressee {
        agency: LangLink,
        count: usize,
    }
    #[derive(Serialize)]
    struct Page<'a> {
        #[serde(flatten)]
        common: Common<'a>,
        total: usize,
        states: Vec<StateGroup<'a>>,
        owing: Vec<OwesView>,
        addressees: Vec<Addressee>,
        data_csv: String,
        data_json: String,
    }
    let v = r.views(lang);
    let ix = &r.index.proposals;
    let states = ProposalState::ALL
        .iter()
        .map(|&s| StateGroup {
            code: s.code(),
            label: v.t.keyed("proposal_state_", s.code()),
            rows: proposal_rows(&v, &ix.by_state[s.index()]),
        })
        .collect();
    let addressees = ix
        .addressees
        .iter()
        .map(|(a, list)| Addressee {
            agency: LangLink {
                url: format!("{}#{}", v.agency_url(a), crate::route::anchor::PROPOSALS),
                ..v.agency_link(a)
            },
            count: list.len(),
        })
        .collect();
    let ctx = Page {
        common: r.common(
            lang,
            job,
            "reports",
            v.t.get("proposals_title").to_string(),
            v.t.get("proposals_intro").to_string(),
        ),
        total: ix.register.len(),
        states,
        owing: owing(&v, &ix.owing),
        addressees,
        data_csv: v.shared_route(&Route::TableFile(Table::Proposals, Format::Csv)),
        data_json: v.shared_route(&Route::TableFile(Table::Proposals, Format::Json)),
    };
    r.render_page(lang, job, &ctx, d)
}

/// One step of a proposal's thread.
#[derive(Serialize)]
struct ThreadStep<'a> {
    /// `raised`, `reminder`, `reply` or `resolved`.
    kind: &'static str,
    label: &'a str,
    date: String,
    agency: LangLink,
    report_url: String,
    /// As safe HTML (Markdown).
    text: String,
    text_lang: &'static str,
}

fn proposal(r: &Renderer, lang: Lang, job: &Job, k: usize, d: &mut Diagnostics) -> Option<Output> {
    #[derive(Serialize)]
    struct Page<'a> {
        #[serde(flatten)]
        common: Common<'a>,
        row: ProposalRow<'a>,
        key: String,
        thread: Vec<ThreadStep<'a>>,
    }
    let v = r.views(lang);
    let s = r.fig.proposals.get(k)?;
    let p = r.model.proposals.get(s.proposal)?;
    let row = proposal_row(&v, k)?;
    let month = |period| v.route(&Route::Report(period));
    let thread = s
        .thread
        .iter()
        .filter_map(|step| {
            Some(match *step {
                Step::Raised => {
                    let (text, text_lang) = v.pick(&p.text, p.text_en.as_deref());
                    ThreadStep {
                        kind: "raised",
                        label: v.t.get("proposal_step_raised"),
                        date: fmt_date(p.raised),
                        agency: v.agency_link(&p.agency),
                        report_url: month(p.period),
                        text: markdown::to_html(text),
                        text_lang,
                    }
                }
                Step::Reminder(i) => {
                    let m = p.reminders.get(i)?;
                    ThreadStep {
                        kind: "reminder",
                        label: v.t.get("proposal_step_reminder"),
                        date: fmt_date(m.submitted),
                        agency: v.agency_link(&p.agency),
                        report_url: month(m.period),
                        text: String::new(),
                        text_lang: "",
                    }
                }
                Step::Reply(i) => {
                    let a = p.replies.get(i)?;
                    let (text, text_lang) = v.pick(&a.text, a.text_en.as_deref());
                    let kind = if a.resolved { "resolved" } else { "reply" };
                    ThreadStep {
                        kind,
                        label: v.t.keyed("proposal_step_", kind),
                        date: fmt_date(a.submitted),
                        agency: v.agency_link(&a.agency),
                        report_url: month(a.period),
                        text: markdown::to_html(text),
                        text_lang,
                    }
                }
            })
        })
        .collect();
    let title =
        v.t.get("proposal_title")
            .replace("{kind}", row.kind)
            .replace("{agency}", v.agency_full(&p.agency))
            .replace("{to}", v.agency_full(&p.to));
    let ctx = Page {
        common: r.common(lang, job, "reports", title, row.text.to_string()),
        key: p.key(),
        row,
        thread,
    };
    r.render_page(lang, job, &ctx, d)
}
