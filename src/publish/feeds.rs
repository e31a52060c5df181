//! Files for other people's software: Atom feeds (news; status changes,
//! site-wide and per agency), iCalendar deadline calendars (site-wide, per
//! agency, per working group), `sitemap.xml` and `robots.txt`. Everything
//! is dated from the as-of date, never the clock, so builds stay
//! byte-identical. Pure.
//!
//! Over 600 lines: three writers (Atom, iCalendar, the sitemap) with the
//! escaping each format needs, kept together so no text reaches a reader
//! of any of them unescaped, and their tests.

use crate::date::{Date, fmt_date};
use crate::model::Model;
use crate::render::views::Views;
use crate::route::Route;
use crate::status::{Event, EventKind, Figures};
use serde::Serialize;

/// How many entries a feed carries, the newest: a feed reader wants what
/// is new, and the whole history is in the open data (`/du-lieu/`).
pub const FEED_ENTRIES: usize = 50;

/// One Atom entry. Its text reaches a template without the characters XML
/// does not allow ([`xml_text`]).
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    #[serde(serialize_with = "xml_text")]
    pub id: String,
    #[serde(serialize_with = "xml_text")]
    pub title: String,
    #[serde(serialize_with = "xml_text")]
    pub url: String,
    #[serde(serialize_with = "xml_text")]
    pub updated: String,
    #[serde(serialize_with = "xml_text")]
    pub summary: String,
}

/// An Atom feed, rendered by the theme's `feed.xml`.
#[derive(Debug, Clone, Serialize)]
pub struct Feed {
    #[serde(serialize_with = "xml_text")]
    pub id: String,
    #[serde(serialize_with = "xml_text")]
    pub title: String,
    #[serde(serialize_with = "xml_text")]
    pub url: String,
    #[serde(serialize_with = "xml_text")]
    pub self_url: String,
    #[serde(serialize_with = "xml_text")]
    pub updated: String,
    #[serde(serialize_with = "xml_text")]
    pub author: String,
    pub lang: &'static str,
    pub entries: Vec<Entry>,
}

/// A feed's text as a template gets it: without the control characters
/// that would leave the feed ill-formed (a theme's own `feed.xml` escapes
/// markup, but cannot drop a `\u{7}`).
fn xml_text<S: serde::Serializer>(s: &str, ser: S) -> Result<S::Ok, S::Error> {
    ser.serialize_str(&crate::render::escape::xml_chars(s))
}

impl Feed {
    /// The feed as the built-in `feed.xml` writes it, without the template
    /// engine: a national portal has tens of thousands of feeds, and this
    /// is a tenth of the time. Used only while the theme's `feed.xml` is
    /// the built-in one ([`is_builtin_template`]); a test checks that both
    /// write the same bytes.
    pub fn to_xml(&self) -> Vec<u8> {
        fn text(out: &mut Vec<u8>, s: &str) {
            // The escaping Tera applies to `.xml` templates, after what
            // the template gets ([`xml_text`]).
            let _ = tera::escape_html(&crate::render::escape::xml_chars(s), out);
        }
        let mut out = Vec::with_capacity(600 + self.entries.len() * 600);
        // Each value with the markup before it, then the markup that closes
        // the part.
        let mut part = |fields: &[(&[u8], &str)], end: &[u8]| {
            for (markup, value) in fields {
                out.extend_from_slice(markup);
                text(&mut out, value);
            }
            out.extend_from_slice(end);
        };
        part(
            &[
                (
                    b"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
                      <feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"",
                    self.lang,
                ),
                (b"\">\n<id>", &self.id),
                (b"</id>\n<title>", &self.title),
                (b"</title>\n<updated>", &self.updated),
                (
                    b"</updated>\n<link rel=\"alternate\" type=\"text/html\" href=\"",
                    &self.url,
                ),
                (
                    b"\"/>\n<link rel=\"self\" type=\"application/atom+xml\" href=\"",
                    &self.self_url,
                ),
                (b"\"/>\n<author><name>", &self.author),
            ],
            b"</name></author>\n<generator>tiendo</generator>\n",
        );
        for e in &self.entries {
            part(
                &[
                    (b"<entry>\n<id>", &e.id),
                    (b"</id>\n<title>", &e.title),
                    (b"</title>\n<updated>", &e.updated),
                    (
                        b"</updated>\n<link rel=\"alternate\" type=\"text/html\" href=\"",
                        &e.url,
                    ),
                    (b"\"/>\n<summary>", &e.summary),
                ],
                b"</summary>\n</entry>\n",
            );
        }
        out.extend_from_slice(b"</feed>\n");
        out
    }
}

/// Whether `template` is the built-in `feed.xml`, whose output
/// [`Feed::to_xml`] writes.
pub fn is_builtin_template(template: Option<&str>) -> bool {
    template.is_some_and(|t| Some(t) == builtin_template())
}

fn builtin_template() -> Option<&'static str> {
    crate::theme::TEMPLATES
        .iter()
        .find(|(name, _)| *name == "feed.xml")
        .map(|(_, source)| *source)
}

/// Atom and iCalendar want a host in ids; a site served from a bare path
/// gets a stable stand-in.
pub fn host(origin: &str) -> String {
    let h = origin
        .split("://")
        .nth(1)
        .unwrap_or("")
        .split(':')
        .next()
        .unwrap_or("");
    if h.is_empty() {
        "tiendo.invalid".to_string()
    } else {
        h.to_string()
    }
}

pub fn timestamp(d: Date) -> String {
    format!("{d}T00:00:00Z")
}

/// A tag URI (RFC 4151): stable across builds, unique per thing and day.
/// `since` is a day the site held its host: the first plan's issue date
/// ([`tagging_date`]), not a year written into the code.
pub fn tag(host: &str, since: Date, rest: &str) -> String {
    format!("tag:{host},{since}:{rest}")
}

/// The date in every tag URI of the site: its first plan's issue date (a
/// site without plans has no feed entries about tasks; 2000-01-01 then).
pub fn tagging_date(m: &crate::model::Model) -> Date {
    m.plans
        .iter()
        .map(|p| p.issued)
        .min()
        .or_else(|| Date::from_ymd_opt(2000, 1, 1))
        .unwrap_or(Date::MIN)
}

/// Feed entries for status changes, in the language of `v`.
pub fn event_entries(v: &Views, origin: &str, events: &[Event]) -> Vec<Entry> {
    let host = host(origin);
    let m = v.model;
    events
        .iter()
        .map(|e| {
            let task = e.task.map(|i| &m.tasks[i]);
            let agency = e.agency.as_deref().map(|a| v.agency_full(a)).unwrap_or("");
            let title = task.map(|t| v.task_title(t)).unwrap_or("");
            let (heading, url) = match e.kind {
                EventKind::Finished => (
                    v.t.get("event_finished").replace("{task}", title),
                    task.map(|t| v.task_url(&t.id)),
                ),
                EventKind::BecameOverdue => (
                    v.t.get("event_overdue").replace("{task}", title),
                    task.map(|t| v.task_url(&t.id)),
                ),
                EventKind::Extended => {
                    let to = task
                        .and_then(|t| e.change.and_then(|k| t.deadline_changes.get(k)))
                        .map(|c| v.lang.deadline(&c.to))
                        .unwrap_or_default();
                    (
                        v.t.get("event_extended")
                            .replace("{task}", title)
                            .replace("{to}", &to),
                        task.map(|t| v.task_url(&t.id)),
                    )
                }
                EventKind::ReportMissing => {
                    let period = e.period.map(|p| v.lang.period(p)).unwrap_or_default();
                    (
                        v.t.get("event_missing")
                            .replace("{agency}", agency)
                            .replace("{period}", &period),
                        e.period.map(|p| v.route(&Route::Report(p))),
                    )
                }
                EventKind::ProposalRaised
                | EventKind::ProposalAnswered
                | EventKind::ReplyOverdue => proposal_heading(v, e),
            };
            let key = match e.proposal.and_then(|k| m.proposals.get(k)) {
                Some(p) => format!("{}/{}", p.key(), e.change.unwrap_or(0)),
                None => task.map_or_else(|| e.agency.clone().unwrap_or_default(), |t| t.id.clone()),
            };
            Entry {
                id: tag(
                    &host,
                    tagging_date(m),
                    &format!("{}/{key}/{}", e.kind.code(), e.date),
                ),
                title: heading,
                url: format!("{origin}{}", url.unwrap_or_else(|| v.route(&Route::Home))),
                updated: timestamp(e.date),
                summary: if agency.is_empty() {
                    fmt_date(e.date)
                } else {
                    format!("{} · {agency}", fmt_date(e.date))
                },
            }
        })
        .collect()
}

/// A proposal event's heading and page: "Sở KH&CN kiến nghị Sở Tài chính:
/// ...", "Sở Tài chính trả lời kiến nghị của Sở KH&CN", "Quá hạn trả lời".
fn proposal_heading(v: &Views, e: &Event) -> (String, Option<String>) {
    let Some(p) = e.proposal.and_then(|k| v.model.proposals.get(k)) else {
        return (String::new(), None);
    };
    let key = match e.kind {
        EventKind::ProposalRaised => "event_proposal_raised",
        EventKind::ReplyOverdue => "event_reply_overdue",
        _ if e
            .change
            .and_then(|k| p.replies.get(k))
            .is_some_and(|r| r.resolved) =>
        {
            "event_proposal_resolved"
        }
        _ => "event_proposal_answered",
    };
    let text = v.lang.pick(&p.text, p.text_en.as_deref());
    let heading =
        v.t.get(key)
            .replace("{agency}", v.agency_short(&p.agency))
            .replace("{to}", v.agency_short(e.agency.as_deref().unwrap_or(&p.to)))
            .replace("{text}", &crate::text::truncate_words(text, 90));
    (heading, Some(v.route(&Route::Proposal(&p.agency, &p.id))))
}

/// A deadline calendar: every open task with a dated deadline, as an
/// all-day event on its deadline in force. UIDs are the task ids, so a
/// subscriber's calendar updates rather than duplicates.
pub fn calendar(
    m: &Model,
    fig: &Figures,
    tasks: &[usize],
    name: &str,
    origin: &str,
    base: &str,
) -> String {
    let host = host(origin);
    let mut cal = Ics::new(name);
    for &i in tasks {
        let (t, s) = (&m.tasks[i], &fig.tasks[i]);
        let Some(due) = s.deadline.and_then(|d| d.date()) else {
            continue;
        };
        if s.status.is_done() {
            continue;
        }
        let lead = s
            .lead_on
            .as_deref()
            .and_then(|l| m.agency(l))
            .map_or("", |a| a.name.as_str());
        let url = format!("{origin}{base}{}", Route::Task(&t.id).path());
        cal.event(&IcsEvent {
            uid: &format!("{}@{host}", t.id),
            summary: &format!("Hạn chót: {}", t.title),
            description: &format!(
                "Chủ trì: {lead}. Tình trạng: {}. {url}",
                crate::render::i18n::status_vi(m, s.status)
            ),
            url: &url,
            day: due,
            stamp: fig.as_of,
        });
    }
    cal.finish()
}

/// A task's feed entries: every update known by D (lead or support) and
/// `events`, the task's status changes, newest first.
pub fn task_entries(v: &Views, origin: &str, i: usize, events: &[Event]) -> Vec<Entry> {
    let host = host(origin);
    let (m, fig) = (v.model, v.fig);
    let t = &m.tasks[i];
    let since = tagging_date(m);
    let url = format!("{origin}{}", v.task_url(&t.id));
    let mut out: Vec<Entry> = fig.timelines[i]
        .iter()
        .map(|u| {
            let state = v.t.keyed("state_", u.update.state.code());
            let mut summary = match u.update.progress {
                Some(p) => format!("{state} · {}%", v.lang.percent(p)),
                None => state.to_string(),
            };
            let note = v
                .pick(
                    u.update.note.as_deref().unwrap_or(""),
                    u.update.note_en.as_deref(),
                )
                .0;
            if !note.is_empty() {
                summary.push_str(" · ");
                summary.push_str(note);
            }
            Entry {
                id: tag(
                    &host,
                    since,
                    &format!(
                        "update/{}/{}/{}/{}",
                        t.id,
                        u.report.agency,
                        u.report.period.key(),
                        u.report.submitted
                    ),
                ),
                title: v
                    .t
                    .get("feed_update")
                    .replace("{agency}", v.agency_full(&u.report.agency))
                    .replace("{period}", &v.lang.period(u.report.period))
                    .replace("{state}", state),
                url: url.clone(),
                updated: timestamp(u.report.submitted),
                summary,
            }
        })
        .collect();
    out.extend(event_entries(v, origin, events));
    out.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| a.id.cmp(&b.id)));
    out
}

/// A KPI's feed entries: each value known by D (the baseline included),
/// newest first.
pub fn kpi_entries(v: &Views, origin: &str, k: usize) -> Vec<Entry> {
    let host = host(origin);
    let kpi = &v.model.kpis[k];
    let name = v.kpi_name(kpi);
    // The points come one per date, oldest first: newest first is their
    // reverse.
    v.fig.kpis[k]
        .points
        .iter()
        .rev()
        .map(|p| Entry {
            id: tag(
                &host,
                tagging_date(v.model),
                &format!("kpi/{}/{}", kpi.id, p.date),
            ),
            title: v
                .t
                .get("feed_kpi_value")
                .replace("{kpi}", name)
                .replace("{value}", &v.value(kpi, p.value)),
            url: format!("{origin}{}", v.kpi_url(&kpi.id)),
            updated: timestamp(p.date),
            summary: fmt_date(p.date),
        })
        .collect()
}

/// A task's own calendar: its original deadline and every extension
/// decided by D, one all-day event each (dated deadlines only). `words`
/// gives the words for the original deadline and an extension.
pub fn task_calendar(
    m: &Model,
    fig: &Figures,
    i: usize,
    name: &str,
    words: (&str, &str),
    origin: &str,
    base: &str,
) -> String {
    let host = host(origin);
    let t = &m.tasks[i];
    let mut cal = Ics::new(name);
    let url = format!("{origin}{base}{}", Route::Task(&t.id).path());
    let original = t
        .deadline
        .and_then(|d| d.date())
        .map(|d| (0, d, words.0, None));
    let changes = t
        .deadline_changes
        .iter()
        .enumerate()
        .filter(|(_, c)| c.date <= fig.as_of)
        .filter_map(|(k, c)| c.to.date().map(|d| (k + 1, d, words.1, Some(c))));
    for (k, due, word, change) in original.into_iter().chain(changes) {
        let mut description = format!("{word}. {url}");
        if let Some(c) = change {
            description = format!(
                "{word} ({}{}). {}{url}",
                fmt_date(c.date),
                c.by.as_deref()
                    .map(|b| format!(", {b}"))
                    .unwrap_or_default(),
                c.reason
                    .as_deref()
                    .map(|r| format!("{r}. "))
                    .unwrap_or_default(),
            );
        }
        cal.event(&IcsEvent {
            uid: &format!("{}-{k}@{host}", t.id),
            summary: &format!("{word}: {}", t.title),
            description: &description,
            url: &url,
            day: due,
            stamp: fig.as_of,
        });
    }
    cal.finish()
}

/// One all-day event of a calendar.
struct IcsEvent<'a> {
    uid: &'a str,
    summary: &'a str,
    description: &'a str,
    url: &'a str,
    day: Date,
    /// When the event was last known true: the as-of date, never the clock.
    stamp: Date,
}

/// An iCalendar file (RFC 5545) being written, a content line at a time:
/// every text value escaped (backslash, `;`, `,`, a line break as `\n`),
/// every control character but tab dropped, every line folded at 75 octets
/// on a character boundary. A title holding a line break and `X-INJECT:1`
/// thus stays inside its `SUMMARY`; no text becomes a property.
struct Ics(String);

impl Ics {
    /// The calendar's head, named `name` (RFC 7986 `NAME`, and Apple's
    /// `X-WR-CALNAME` that most clients read).
    fn new(name: &str) -> Ics {
        let mut ics = Ics(String::with_capacity(1024));
        ics.line("BEGIN", "VCALENDAR");
        ics.line("VERSION", "2.0");
        ics.line("PRODID", "-//tiendo//tiendo//VI");
        ics.line("CALSCALE", "GREGORIAN");
        ics.text("NAME", name);
        ics.text("X-WR-CALNAME", name);
        ics
    }

    /// Properties in name order, as the `icalendar` crate wrote them
    /// before: subscribers see the same file.
    fn event(&mut self, e: &IcsEvent) {
        self.line("BEGIN", "VEVENT");
        self.text("DESCRIPTION", e.description);
        if let Some(next) = e.day.succ_opt() {
            self.line("DTEND;VALUE=DATE", &next.format("%Y%m%d").to_string());
        }
        self.line("DTSTAMP", &e.stamp.format("%Y%m%dT000000Z").to_string());
        self.line("DTSTART;VALUE=DATE", &e.day.format("%Y%m%d").to_string());
        self.text("SUMMARY", e.summary);
        self.text("UID", e.uid);
        self.line("URL", &ics_text(e.url, false));
        self.line("END", "VEVENT");
    }

    fn finish(mut self) -> String {
        self.line("END", "VCALENDAR");
        self.0
    }

    /// A TEXT property (RFC 5545 3.3.11), escaped.
    fn text(&mut self, name: &str, value: &str) {
        self.line(name, &ics_text(value, true));
    }

    /// A content line `name:value`, folded.
    fn line(&mut self, name: &str, value: &str) {
        fold_into(&mut self.0, &format!("{name}:{value}"));
    }
}

/// `s` as an iCalendar value: control characters dropped (a line break
/// written `\n` in text, a space elsewhere), and, in text, backslash,
/// semicolon and comma escaped.
fn ics_text(s: &str, text: bool) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            // A CRLF is one line break.
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' if text => out.push_str("\\n"),
            '\n' | '\r' => out.push(' '),
            '\\' | ';' | ',' if text => {
                out.push('\\');
                out.push(c);
            }
            '\t' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// RFC 5545's longest content line, in octets, without its CRLF.
const ICS_LINE: usize = 75;

/// `line` onto `out`, ended by CRLF and folded so that no physical line
/// is longer than [`ICS_LINE`] octets: a fold is CRLF and a space, and
/// never falls inside a UTF-8 character.
fn fold_into(out: &mut String, line: &str) {
    let mut rest = line;
    let mut room = ICS_LINE;
    while rest.len() > room {
        let mut cut = room;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        // A continuation line's leading space is one of its octets.
        room = ICS_LINE - 1;
    }
    out.push_str(rest);
    out.push_str("\r\n");
}

/// `sitemap.xml` for the HTML pages among `paths`.
pub fn sitemap<'a>(urls: impl Iterator<Item = &'a str>, as_of: Date) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for url in urls {
        let loc = crate::render::escape::escape(url);
        out.push_str(&format!(
            "  <url><loc>{loc}</loc><lastmod>{as_of}</lastmod></url>\n"
        ));
    }
    out.push_str("</urlset>\n");
    out
}

pub fn robots(origin: &str, base: &str) -> String {
    let mut s = String::from("User-agent: *\nAllow: /\n");
    if !origin.is_empty() {
        s.push_str(&format!("Sitemap: {origin}{base}sitemap.xml\n"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The built-in template through Tera and [`Feed::to_xml`] write
    /// the same bytes, whatever the text holds.
    #[test]
    fn the_feed_written_directly_is_the_template_s() {
        let source = builtin_template().unwrap();
        assert!(is_builtin_template(Some(source)));
        assert!(!is_builtin_template(Some("<feed/>")));
        assert!(!is_builtin_template(None));
        let mut tera = tera::Tera::new();
        tera.add_raw_template("feed.xml", source).unwrap();
        let odd = "A & B <c> \"d\" 'e' / Đường số 5 · 100%";
        let entry = |n: usize| Entry {
            id: format!("tag:a.vn,2025-01-01:x/{n}"),
            title: format!("{odd} {n}"),
            url: format!("https://a.vn/nhiem-vu/x-{n}/?a=1&b=2"),
            updated: "2025-03-01T00:00:00Z".into(),
            summary: if n.is_multiple_of(2) {
                odd.into()
            } else {
                String::new()
            },
        };
        for entries in [0, 1, 3] {
            let feed = Feed {
                id: "tag:a.vn,2025-01-01:task/x".into(),
                title: odd.into(),
                url: "https://a.vn/nhiem-vu/x/".into(),
                self_url: "https://a.vn/nhiem-vu/x/thay-doi.xml".into(),
                updated: "2025-03-01T00:00:00Z".into(),
                author: "Ủy ban <nhân dân>".into(),
                lang: "vi",
                entries: (0..entries).map(entry).collect(),
            };
            let mut ctx = tera::Context::new();
            ctx.insert("feed", &feed);
            let by_tera = tera.render("feed.xml", &ctx).unwrap();
            assert_eq!(String::from_utf8(feed.to_xml()).unwrap(), by_tera);
        }
    }

    #[test]
    fn hosts_and_tags() {
        assert_eq!(
            host("https://tiendo.example.gov.vn"),
            "tiendo.example.gov.vn"
        );
        assert_eq!(host("http://127.0.0.1:8000"), "127.0.0.1");
        assert_eq!(host(""), "tiendo.invalid");
        assert_eq!(
            tag(
                "a.vn",
                Date::from_ymd_opt(2025, 2, 14).unwrap(),
                "finished/x/2025-03-01"
            ),
            "tag:a.vn,2025-02-14:finished/x/2025-03-01"
        );
    }
}
