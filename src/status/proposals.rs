//! Part of status, difficulties and proposals as of D (DESIGN.md): which
//! are known (raised by a report submitted on or before D), their state,
//! reminders and replies known by then, and who owes the reply on D.

use crate::date::Date;
use crate::model::Model;
use std::collections::HashMap;

/// A proposal's state on D, in the register's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ProposalState {
    /// No reply, and the reply is due before D.
    ReplyOverdue,
    /// No reply yet; the reply is due on or after D.
    Open,
    /// A reply, not settled.
    Answered,
    /// A reply with `resolved: true`.
    Resolved,
}

impl ProposalState {
    pub const ALL: [ProposalState; 4] = [
        ProposalState::ReplyOverdue,
        ProposalState::Open,
        ProposalState::Answered,
        ProposalState::Resolved,
    ];

    /// The code used in the open data and `data-state`.
    pub fn code(self) -> &'static str {
        match self {
            ProposalState::ReplyOverdue => "reply_overdue",
            ProposalState::Open => "open",
            ProposalState::Answered => "answered",
            ProposalState::Resolved => "resolved",
        }
    }

    /// Still waiting for a reply.
    pub fn awaits_reply(self) -> bool {
        matches!(self, ProposalState::ReplyOverdue | ProposalState::Open)
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// One step of a proposal's thread: its raising, a reminder or a reply
/// (by index into `Proposal::reminders` or `Proposal::replies`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Raised,
    Reminder(usize),
    Reply(usize),
}

/// One proposal as of D.
#[derive(Debug, Clone, PartialEq)]
pub struct ProposalStatus {
    /// Index into `Model::proposals`.
    pub proposal: usize,
    pub state: ProposalState,
    /// Later reports of the raiser repeating it, submitted by D.
    pub reminders: usize,
    /// Its replies submitted by D (the first ones of `Proposal::replies`).
    pub replies: usize,
    /// The `submitted` day of the first reply known by D.
    pub replied: Option<Date>,
    /// The agency that answers for it on D: the addressee, or the agency
    /// its duties passed to; `None` once dissolved without successor.
    pub owed_by: Option<String>,
    /// For an overdue reply, D minus the day it was due.
    pub days_overdue: Option<i64>,
    /// Its thread as known on D, in the order the reports came (a
    /// reminder before a reply of the same day).
    pub thread: Vec<Step>,
}

/// How many of `list` are in each state ([`ProposalState::index`]): the
/// one count of the dashboard, the register and the archive.
pub fn state_counts(list: &[ProposalStatus]) -> [usize; 4] {
    let mut counts = [0; 4];
    for s in list {
        counts[s.state.index()] += 1;
    }
    counts
}

/// What each agency owes on D, by its id: the replies it awaits to give
/// (the agency that owes is the addressee's holder on D) and how many of
/// them are overdue. The one count of the register, the agency pages and
/// the agencies' open data.
pub fn owed<'m>(m: &'m Model, list: &[ProposalStatus]) -> HashMap<&'m str, (usize, usize)> {
    let mut owed: HashMap<&'m str, (usize, usize)> = HashMap::new();
    for s in list.iter().filter(|s| s.state.awaits_reply()) {
        if let Some(h) = s.owed_by.as_deref().and_then(|h| m.agency(h)) {
            let o = owed.entry(h.id.as_str()).or_default();
            o.0 += 1;
            o.1 += usize::from(s.state == ProposalState::ReplyOverdue);
        }
    }
    owed
}

/// Every proposal raised by a report submitted on or before `as_of`, in
/// the model's order, with its state on that day.
pub fn proposals(m: &Model, as_of: Date) -> Vec<ProposalStatus> {
    m.proposals
        .iter()
        .enumerate()
        .filter(|(_, p)| p.raised <= as_of)
        .map(|(i, p)| {
            let replies = p
                .replies
                .iter()
                .take_while(|r| r.submitted <= as_of)
                .count();
            let known = &p.replies[..replies];
            let state = if known.iter().any(|r| r.resolved) {
                ProposalState::Resolved
            } else if !known.is_empty() {
                ProposalState::Answered
            } else if p.reply_by < as_of {
                ProposalState::ReplyOverdue
            } else {
                ProposalState::Open
            };
            let reminders = p.reminders.iter().filter(|r| r.submitted <= as_of).count();
            ProposalStatus {
                thread: thread(p, reminders, replies),
                proposal: i,
                state,
                reminders,
                replies,
                replied: known.first().map(|r| r.submitted),
                owed_by: m.holder_on(&p.to, as_of).map(str::to_string),
                days_overdue: (state == ProposalState::ReplyOverdue)
                    .then(|| (as_of - p.reply_by).num_days()),
            }
        })
        .collect()
}

/// The first `reminders` reminders and `replies` replies of `p`, merged
/// by day after its raising.
fn thread(p: &crate::model::Proposal, reminders: usize, replies: usize) -> Vec<Step> {
    let mut out = Vec::with_capacity(1 + reminders + replies);
    out.push(Step::Raised);
    let (mut i, mut j) = (0, 0);
    while i < reminders || j < replies {
        let reminder_first =
            j >= replies || (i < reminders && p.reminders[i].submitted <= p.replies[j].submitted);
        if reminder_first {
            out.push(Step::Reminder(i));
            i += 1;
        } else {
            out.push(Step::Reply(j));
            j += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::run;

    fn day(s: &str) -> Date {
        crate::date::parse_date(s).expect("a day")
    }

    /// so-mot raises two proposals to so-hai in March (one due 10 April),
    /// reminds of one in April; so-hai answers one in April and settles
    /// it in May.
    fn site() -> Model {
        let march = "agency: so-mot\nperiod: 2025-03\nsubmitted: 2025-03-19\nproposals:\n  - { id: kinh-phi, kind: proposal, to: so-hai, text: Kinh phí. }\n  - { id: nhan-luc, kind: difficulty, to: so-hai, text: Nhân lực., reply_by: 2025-04-10 }\n";
        let april_mot = "agency: so-mot\nperiod: 2025-04\nsubmitted: 2025-04-18\nproposals:\n  - { id: nhan-luc, kind: difficulty, to: so-hai, text: Nhắc lại. }\n";
        let april_hai = "agency: so-hai\nperiod: 2025-04\nsubmitted: 2025-04-19\nreplies:\n  - { to: so-mot/kinh-phi, text: Đang xem xét. }\n";
        let may_hai = "agency: so-hai\nperiod: 2025-05\nsubmitted: 2025-05-15\nreplies:\n  - { to: so-mot/kinh-phi, text: Đã bố trí., resolved: true }\n";
        let (m, lines) = run(&[
            ("content/reports/2025-03/so-mot.yaml", march),
            ("content/reports/2025-04/so-mot.yaml", april_mot),
            ("content/reports/2025-04/so-hai.yaml", april_hai),
            ("content/reports/2025-05/so-hai.yaml", may_hai),
        ]);
        assert!(!lines.iter().any(|l| l.contains("error")), "{lines:#?}");
        m
    }

    fn states(m: &Model, d: &str) -> Vec<(String, ProposalState, usize)> {
        proposals(m, day(d))
            .into_iter()
            .map(|s| (m.proposals[s.proposal].id.clone(), s.state, s.reminders))
            .collect()
    }

    #[test]
    fn each_state_follows_the_reports_known_on_the_day() {
        let m = site();
        assert!(states(&m, "2025-03-18").is_empty());
        use ProposalState::*;
        assert_eq!(
            states(&m, "2025-04-10"),
            vec![("kinh-phi".into(), Open, 0), ("nhan-luc".into(), Open, 0)]
        );
        assert_eq!(
            states(&m, "2025-04-19"),
            vec![
                ("kinh-phi".into(), Answered, 0),
                ("nhan-luc".into(), ReplyOverdue, 1)
            ]
        );
        let late = proposals(&m, day("2025-04-19"));
        assert_eq!(late[1].days_overdue, Some(9));
        assert_eq!(late[0].replied, Some(day("2025-04-19")));
        assert_eq!(late[1].owed_by.as_deref(), Some("so-hai"));
        assert_eq!(states(&m, "2025-05-15")[0].1, Resolved);
        let all = proposals(&m, day("2025-05-15"));
        assert_eq!(
            all[0].thread,
            vec![Step::Raised, Step::Reply(0), Step::Reply(1)]
        );
        assert_eq!(all[1].thread, vec![Step::Raised, Step::Reminder(0)]);
    }
}
