//! Part of the site index, the register of difficulties and proposals: its
//! order, its counts by state and by addressee, and the lists of each
//! task's and each agency's page, decided once for every page and file
//! that shows them.

use crate::date::Period;
use crate::model::Model;
use crate::status::{Figures, ProposalState, ProposalStatus, owed, state_counts};
use chrono::Datelike;
use std::collections::{BTreeMap, HashMap};

/// An agency that owes replies on D, with how many and how many overdue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owes<'m> {
    pub agency: &'m str,
    pub owed: usize,
    pub overdue: usize,
}

/// The proposals' lists: indices into `Figures::proposals`.
#[derive(Debug, Default)]
pub struct ProposalIndex<'m> {
    /// The register: replies overdue first (the longest overdue first),
    /// then those awaiting a reply (the soonest due first), then the
    /// answered and the resolved (the latest reply first); ties by the
    /// raising agency and id.
    pub register: Vec<usize>,
    /// How many of the register are in each state ([`ProposalState::index`]).
    pub counts: [usize; 4],
    /// Each state's part of the register, in its order.
    pub by_state: [Vec<usize>; 4],
    /// The agencies that owe replies on D, the most overdue first (then
    /// the most owed, then id): the dashboard's and the register's list.
    pub owing: Vec<Owes<'m>>,
    /// Those of them with overdue replies, in the same order.
    pub overdue_owing: Vec<Owes<'m>>,
    /// Every addressee of the register (by its holder on D), with its
    /// proposals in register order: the register's filter by addressee.
    pub addressees: Vec<(&'m str, Vec<usize>)>,
    /// By task index: the proposals that concern it, register order.
    pub of_task: HashMap<usize, Vec<usize>>,
    /// By agency id: the proposals it raised, and those addressed to it
    /// or passed to it as successor, register order.
    pub raised_by: HashMap<&'m str, Vec<usize>>,
    pub addressed_to: HashMap<&'m str, Vec<usize>>,
    /// By report month: the proposals first raised in its reports, and
    /// those answered in them, register order.
    pub raised_in: BTreeMap<Period, Vec<usize>>,
    pub answered_in: BTreeMap<Period, Vec<usize>>,
}

impl<'m> ProposalIndex<'m> {
    pub fn build(m: &'m Model, fig: &Figures) -> ProposalIndex<'m> {
        let all = &fig.proposals;
        let mut register: Vec<usize> = (0..all.len()).collect();
        register.sort_by(|&a, &b| order_key(m, &all[a]).cmp(&order_key(m, &all[b])));
        let mut ix = ProposalIndex {
            register,
            counts: state_counts(all),
            ..ProposalIndex::default()
        };
        let mut addressees: HashMap<&'m str, Vec<usize>> = HashMap::new();
        for &k in &ix.register {
            let s = &all[k];
            let p = &m.proposals[s.proposal];
            ix.raised_in.entry(p.period).or_default().push(k);
            for r in &p.replies[..s.replies] {
                let list = ix.answered_in.entry(r.period).or_default();
                if list.last() != Some(&k) {
                    list.push(k);
                }
            }
            ix.by_state[s.state.index()].push(k);
            if let Some(t) = p.task.as_deref().and_then(|t| m.task_index(t)) {
                ix.of_task.entry(t).or_default().push(k);
            }
            if let Some(a) = m.agency(&p.agency) {
                ix.raised_by.entry(a.id.as_str()).or_default().push(k);
            }
            let holder = s.owed_by.as_deref().and_then(|h| m.agency(h));
            let addressee = m.agency(&p.to);
            for a in addressee.iter().chain(holder.iter()) {
                let list = ix.addressed_to.entry(a.id.as_str()).or_default();
                if list.last() != Some(&k) {
                    list.push(k);
                }
            }
            if let Some(a) = holder.or(addressee) {
                addressees.entry(a.id.as_str()).or_default().push(k);
            }
        }
        ix.owing = owed(m, all)
            .into_iter()
            .map(|(agency, (owed, overdue))| Owes {
                agency,
                owed,
                overdue,
            })
            .collect();
        ix.owing
            .sort_by(|a, b| (b.overdue, b.owed, a.agency).cmp(&(a.overdue, a.owed, b.agency)));
        ix.overdue_owing = ix.owing.iter().filter(|o| o.overdue > 0).cloned().collect();
        ix.addressees = addressees.into_iter().collect();
        ix.addressees.sort_by(|a, b| a.0.cmp(b.0));
        ix
    }

    /// The proposals awaiting a reply due before `day`, in the register's
    /// order, with the agency that owes each (the addressee when its
    /// duties passed to no one): the replies `check` reminds of.
    pub fn due_before<'a>(
        &'a self,
        m: &'m Model,
        fig: &'a Figures,
        day: crate::date::Date,
    ) -> impl Iterator<Item = (&'a str, &'m crate::model::Proposal)> + 'a {
        self.register
            .iter()
            .map(move |&k| &fig.proposals[k])
            .filter(|s| s.state.awaits_reply())
            .map(move |s| (s, &m.proposals[s.proposal]))
            .filter(move |(_, p)| p.reply_by < day)
            .map(|(s, p)| (s.owed_by.as_deref().unwrap_or(&p.to), p))
    }

    /// How many replies are overdue on D.
    pub fn overdue(&self) -> usize {
        self.counts[ProposalState::ReplyOverdue.index()]
    }
}

/// A proposal's place in the register (see [`ProposalIndex::register`]).
fn order_key<'m>(m: &'m Model, s: &ProposalStatus) -> (ProposalState, i64, &'m str, &'m str) {
    let p = &m.proposals[s.proposal];
    let when = match s.state {
        ProposalState::ReplyOverdue => -s.days_overdue.unwrap_or(0),
        ProposalState::Open => p.reply_by.num_days_from_ce().into(),
        ProposalState::Answered | ProposalState::Resolved => {
            -i64::from(s.replied.map_or(0, |d| d.num_days_from_ce()))
        }
    };
    (s.state, when, p.agency.as_str(), p.id.as_str())
}
