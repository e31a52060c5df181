//! Difficulties and proposals (`proposals:`) and their replies
//! (`replies:`) in monthly reports: each entry checked where it is written
//! ([`read`]), then, once every report is read, the threads assembled
//! across reports ([`assemble`]): the first report to raise an id raises
//! it, the raiser's later reports repeating it are reminders, and replies
//! are checked against what they answer (it exists, it was addressed to
//! the replying agency or an agency it succeeded, it was raised by then).

use super::articles::check_text;
use super::*;

/// A proposal as one report wrote it, kept for [`assemble`].
pub(super) struct Raised {
    pub(super) agency: String,
    pub(super) submitted: Date,
    pub(super) period: Period,
    pub(super) id: String,
    pub(super) kind: ProposalKind,
    pub(super) to: String,
    pub(super) task: Option<String>,
    pub(super) text: String,
    pub(super) text_en: Option<String>,
    pub(super) reply_by: Date,
    /// `reply_by` as written.
    pub(super) reply_by_written: Option<Date>,
    pub(super) file: Arc<str>,
    pub(super) loc: Loc,
    /// Where `to:` is written.
    pub(super) to_at: Loc,
}

/// A reply as one report wrote it, kept for [`assemble`].
pub(super) struct Replied {
    pub(super) answer: Answer,
    /// The proposal it answers: its raiser and id.
    pub(super) raiser: String,
    pub(super) id: String,
    pub(super) to_at: Loc,
    /// Where the reply is written.
    pub(super) loc: Loc,
}

impl Threads {
    /// Where each proposal and reply is written, in order.
    pub(super) fn locs(&self) -> (Vec<Loc>, Vec<Loc>) {
        (
            self.raised.iter().map(|r| r.loc.clone()).collect(),
            self.replied.iter().map(|r| r.loc.clone()).collect(),
        )
    }

    /// What the report wrote, for the report itself.
    pub(super) fn written(&self) -> (Vec<WrittenProposal>, Vec<WrittenReply>) {
        let proposals = self
            .raised
            .iter()
            .map(|r| WrittenProposal {
                id: r.id.clone(),
                kind: r.kind,
                to: r.to.clone(),
                task: r.task.clone(),
                text: r.text.clone(),
                text_en: r.text_en.clone(),
                reply_by: r.reply_by_written,
            })
            .collect();
        let replies = self
            .replied
            .iter()
            .map(|r| WrittenReply {
                to: format!("{}/{}", r.raiser, r.id),
                text: r.answer.text.clone(),
                text_en: r.answer.text_en.clone(),
                resolved: r.answer.resolved,
            })
            .collect();
        (proposals, replies)
    }
}

/// What one report raises and answers.
#[derive(Default)]
pub(super) struct Threads {
    pub(super) raised: Vec<Raised>,
    pub(super) replied: Vec<Replied>,
}

/// The report a proposal or reply is written in: its agency, month and
/// submission day, when all three could be read.
pub(super) struct Written<'a> {
    pub(super) agency: &'a str,
    pub(super) period: Period,
    pub(super) submitted: Date,
}

/// A report's `proposals:` and `replies:`, each checked on its own.
pub(super) fn read(m: &Model, cx: &mut Cx, r: &RawReport, at: &Written) -> Threads {
    let mut out = Threads::default();
    let mut ids: HashMap<String, Loc> = HashMap::new();
    for p in r.proposals.iter().flatten() {
        if let Some(raised) = proposal(m, cx, p, at, &mut ids) {
            out.raised.push(raised);
        }
    }
    let mut answered: HashMap<(String, String), Loc> = HashMap::new();
    for a in r.replies.iter().flatten() {
        if let Some(replied) = reply(cx, a, at, &mut answered) {
            out.replied.push(replied);
        }
    }
    out
}

fn proposal(
    m: &Model,
    cx: &mut Cx,
    p: &Spanned<RawProposal>,
    at: &Written,
    ids: &mut HashMap<String, Loc>,
) -> Option<Raised> {
    let loc = cx.loc(p);
    let v = &p.value;
    let what = "what.proposal";
    let id = cx.id(&v.id, &loc, what);
    if let (Some(id), Some(iv)) = (&id, &v.id) {
        let id_at = cx.loc(iv);
        if let Some(first) = ids.get(id) {
            cx.err(id_at, msg!("proposal.twice", id, first));
            return None;
        }
        ids.insert(id.clone(), id_at);
    }
    let kind = cx
        .present(
            &v.kind,
            "kind",
            &loc,
            what,
            Some(msg!("hint.proposal_kinds")),
        )
        .and_then(|k| cx.keyword(k, "kind", &ProposalKind::ALL));
    let to = cx
        .present(&v.to, "to", &loc, what, None)
        .and_then(|t| addressee(m, cx, t, at));
    let task = v
        .task
        .as_ref()
        .map(|t| cx.task_references(std::slice::from_ref(t), m, &m.task_ix));
    let text = cx.required(&v.text, "text", &loc, what);
    check_text(
        cx,
        &text,
        v.text.as_ref().map_or(loc.clone(), |t| cx.loc(t)),
    );
    let text_en = cx.text(&v.text_en);
    let reply_by_written = v.reply_by.is_some();
    let reply_by = match &v.reply_by {
        Some(rb) => {
            let d = cx.date(rb)?;
            if d < at.submitted {
                let rat = cx.loc(rb);
                cx.err(
                    rat,
                    msg!(
                        "proposal.reply_by_before",
                        reply_by = fmt_date(d),
                        submitted = fmt_date(at.submitted)
                    ),
                );
                return None;
            }
            d
        }
        None => at.period.next().report_day(m.site().report_day),
    };
    let task = match task {
        Some(found) => Some(found.into_iter().next()?),
        None => None,
    };
    Some(Raised {
        agency: at.agency.to_string(),
        submitted: at.submitted,
        period: at.period,
        id: id?,
        kind: kind?,
        to_at: v.to.as_ref().map_or(loc.clone(), |t| cx.loc(t)),
        to: to?,
        task,
        text: text?,
        text_en,
        reply_by,
        reply_by_written: reply_by_written.then_some(reply_by),
        file: Arc::clone(&loc.file),
        loc,
    })
}

/// `to:` of a proposal: an agency that exists on the report's day.
fn addressee(m: &Model, cx: &mut Cx, t: &S, at: &Written) -> Option<String> {
    let to = cx.reference(t, "agency", &m.agency_ix)?;
    if m.holder_on(&to, at.submitted) == Some(to.as_str()) {
        return Some(to);
    }
    let tat = cx.loc(t);
    let date = fmt_date(at.submitted);
    match m.holder_on(&to, at.submitted) {
        Some(now) => cx.err(tat, msg!("proposal.to_succeeded", to = &to, date, now)),
        None => cx.err(tat, msg!("proposal.to_ended", to = &to, date)),
    }
    None
}

fn reply(
    cx: &mut Cx,
    a: &Spanned<RawReply>,
    at: &Written,
    answered: &mut HashMap<(String, String), Loc>,
) -> Option<Replied> {
    let loc = cx.loc(a);
    let v = &a.value;
    let what = "what.reply";
    let to = cx.present(&v.to, "to", &loc, what, Some(msg!("hint.reply_to")));
    let text = cx.required(&v.text, "text", &loc, what);
    check_text(
        cx,
        &text,
        v.text.as_ref().map_or(loc.clone(), |t| cx.loc(t)),
    );
    let text_en = cx.text(&v.text_en);
    let to = to?;
    let to_at = cx.loc(to);
    let written = nfc(to.value.trim());
    let Some((raiser, id)) = written
        .split_once('/')
        .filter(|(r, i)| is_valid_id(r) && is_valid_id(i))
    else {
        cx.err(to_at, msg!("reply.to_form", value = written.as_str()));
        return None;
    };
    let key = (raiser.to_string(), id.to_string());
    if let Some(first) = answered.get(&key) {
        cx.err(to_at, msg!("reply.twice", to = written.as_str(), first));
        return None;
    }
    answered.insert(key, to_at.clone());
    Some(Replied {
        answer: Answer {
            agency: at.agency.to_string(),
            submitted: at.submitted,
            period: at.period,
            text: text?,
            text_en,
            resolved: v.resolved.as_ref().is_some_and(|r| r.value),
        },
        raiser: raiser.to_string(),
        id: id.to_string(),
        to_at,
        loc,
    })
}

/// The threads across reports, in the order of their raising agency and
/// id; every reply checked against what it answers.
pub(super) fn assemble(m: &Model, mut threads: Threads, diags: &mut Diagnostics) -> Vec<Proposal> {
    threads.raised.sort_by(|a, b| {
        (&a.agency, &a.id, a.submitted, a.period).cmp(&(&b.agency, &b.id, b.submitted, b.period))
    });
    let mut out: Vec<Proposal> = Vec::new();
    for r in threads.raised {
        match out.last_mut() {
            Some(p) if p.agency == r.agency && p.id == r.id => {
                // The raiser's later report repeating it: a reminder. An
                // addressee that differs is kept from the first raising,
                // unless it is the first one's successor by then.
                if r.to != p.to && m.holder_on(&p.to, r.submitted) != Some(r.to.as_str()) {
                    diags.warning(
                        r.to_at,
                        msg!(
                            "proposal.reminder_to",
                            to = &r.to,
                            first = &p.to,
                            date = fmt_date(p.raised)
                        ),
                    );
                }
                p.reminders.push(Mention {
                    submitted: r.submitted,
                    period: r.period,
                });
            }
            _ => out.push(Proposal {
                agency: r.agency,
                id: r.id,
                kind: r.kind,
                to: r.to,
                task: r.task,
                text: r.text,
                text_en: r.text_en,
                raised: r.submitted,
                period: r.period,
                reply_by: r.reply_by,
                reminders: Vec::new(),
                replies: Vec::new(),
                file: r.file,
                loc: r.loc,
            }),
        }
    }
    threads.replied.sort_by(|a, b| {
        (a.answer.submitted, a.answer.period, &a.answer.agency).cmp(&(
            b.answer.submitted,
            b.answer.period,
            &b.answer.agency,
        ))
    });
    for r in threads.replied {
        let found = out.binary_search_by(|p| {
            (p.agency.as_str(), p.id.as_str()).cmp(&(r.raiser.as_str(), r.id.as_str()))
        });
        let Ok(i) = found else {
            let near: Vec<String> = out
                .iter()
                .filter(|p| m.holder_on(&p.to, r.answer.submitted) == Some(&r.answer.agency))
                .map(Proposal::key)
                .collect();
            let to = format!("{}/{}", r.raiser, r.id);
            let hint = did_you_mean(&to, near.iter().map(String::as_str));
            diags.error(r.to_at, msg!("reply.unknown", to, hint = Maybe(hint)));
            continue;
        };
        let p = &mut out[i];
        let holder = m.holder_on(&p.to, r.answer.submitted);
        if holder != Some(r.answer.agency.as_str()) {
            diags.error(
                r.to_at,
                msg!(
                    "reply.not_addressed",
                    to = p.key(),
                    addressee = &p.to,
                    agency = &r.answer.agency
                ),
            );
            continue;
        }
        if r.answer.submitted < p.raised {
            diags.error(
                r.to_at,
                msg!(
                    "reply.before_raised",
                    to = p.key(),
                    submitted = fmt_date(r.answer.submitted),
                    raised = fmt_date(p.raised)
                ),
            );
            continue;
        }
        p.replies.push(r.answer);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::testing::{run, said};

    const MARCH: &str = "content/reports/2025-03/so-mot.yaml";
    const APRIL: &str = "content/reports/2025-04/so-hai.yaml";

    fn march(proposals: &str) -> String {
        format!(
            "agency: so-mot\nperiod: 2025-03\nsubmitted: 2025-03-19\nupdates:\n  - task: viec-mot\n    state: in_progress\n    progress: 50\nproposals:\n{proposals}"
        )
    }

    fn april(replies: &str) -> String {
        format!("agency: so-hai\nperiod: 2025-04\nsubmitted: 2025-04-18\nreplies:\n{replies}")
    }

    const RAISED: &str = "  - id: kinh-phi\n    kind: proposal\n    to: so-hai\n    task: viec-mot\n    text: Đề nghị bố trí kinh phí.\n";

    #[test]
    fn a_proposal_and_its_reply_make_one_thread() {
        let reply = "  - to: so-mot/kinh-phi\n    text: Đã bố trí.\n    resolved: true\n";
        let (m, lines) = run(&[(MARCH, &march(RAISED)), (APRIL, &april(reply))]);
        assert!(!said(&lines, &["error"]), "{lines:#?}");
        assert_eq!(m.proposals.len(), 1, "{lines:#?}");
        let p = &m.proposals[0];
        assert_eq!(p.key(), "so-mot/kinh-phi");
        assert_eq!(p.task.as_deref(), Some("viec-mot"));
        // The report day of April: the month after March.
        assert_eq!(p.reply_by.to_string(), "2025-04-20");
        assert_eq!(p.replies.len(), 1);
        assert!(p.replies[0].resolved);
    }

    #[test]
    fn replies_to_unknown_or_foreign_or_earlier_proposals_are_errors() {
        let unknown = "  - to: so-mot/kinh-phi-x\n    text: Đã bố trí.\n";
        let (_, lines) = run(&[(MARCH, &march(RAISED)), (APRIL, &april(unknown))]);
        assert!(
            said(&lines, &["so-hai.yaml:5:9: error", "so-mot/kinh-phi-x"]),
            "{lines:#?}"
        );
        let raised_to_other = RAISED.replace("to: so-hai", "to: so-mot");
        let reply = "  - to: so-mot/kinh-phi\n    text: Đã bố trí.\n";
        let (_, lines) = run(&[(MARCH, &march(&raised_to_other)), (APRIL, &april(reply))]);
        assert!(
            said(&lines, &["so-hai.yaml:5:9: error", "addressed to `so-mot`"]),
            "{lines:#?}"
        );
        let early = "agency: so-hai\nperiod: 2025-03\nsubmitted: 2025-03-10\nreplies:\n  - to: so-mot/kinh-phi\n    text: Đã bố trí.\n";
        let (_, lines) = run(&[
            (MARCH, &march(RAISED)),
            ("content/reports/2025-03/so-hai.yaml", early),
        ]);
        assert!(
            said(&lines, &["so-hai.yaml:5:9: error", "raised on 19/03/2025"]),
            "{lines:#?}"
        );
    }

    #[test]
    fn a_repeated_id_is_a_reminder_and_twice_in_one_report_an_error() {
        let april = "agency: so-mot\nperiod: 2025-04\nsubmitted: 2025-04-18\nproposals:\n  - id: kinh-phi\n    kind: proposal\n    to: so-hai\n    text: Nhắc lại đề nghị.\n";
        let (m, lines) = run(&[
            (MARCH, &march(RAISED)),
            ("content/reports/2025-04/so-mot.yaml", april),
        ]);
        assert!(!said(&lines, &["error"]), "{lines:#?}");
        assert_eq!(m.proposals[0].reminders.len(), 1);
        assert_eq!(m.proposals[0].raised.to_string(), "2025-03-19");
        let twice = format!("{RAISED}{RAISED}");
        let (_, lines) = run(&[(MARCH, &march(&twice))]);
        assert!(
            said(&lines, &["so-mot.yaml:14:9: error", "twice"]),
            "{lines:#?}"
        );
    }

    #[test]
    fn an_addressee_gone_or_a_reply_due_before_the_report_is_an_error() {
        let gone = RAISED.replace("to: so-hai", "to: so-cu");
        let (_, lines) = run(&[(MARCH, &march(&gone))]);
        assert!(
            said(&lines, &["so-mot.yaml:11:9: error", "`so-cu`"]),
            "{lines:#?}"
        );
        let early = format!("{RAISED}    reply_by: 2025-03-01\n");
        let (_, lines) = run(&[(MARCH, &march(&early))]);
        assert!(
            said(&lines, &["so-mot.yaml:14:15: error", "01/03/2025"]),
            "{lines:#?}"
        );
    }
}
