//! Stage 2, model: raw input -> validated domain types. Pure.
//!
//! Input: [`RawContent`] from the load stage. Output: a [`Model`] in which
//! ids are valid and unique, references resolve, dates and numbers are
//! parsed and every text is NFC. Every problem is collected with its place;
//! an item with an error is left out so later checks still run.

mod types;

pub use types::*;

use crate::date::{Date, Deadline, Period, fmt_date, parse_date, parse_deadline};
use crate::diag::{Diagnostics, Loc, Maybe, Message, did_you_mean, word};
use crate::load::raw::*;
use crate::load::{MarkdownSource, RawContent, Source};
use crate::msg;
use crate::route;
use crate::text::{is_valid_id, nfc};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Top-level paths the portal generates; a standing page may not take them
/// (the route table owns the list).
pub use crate::route::RESERVED_SLUGS;

/// Checks `raw` and builds the model; problems go to `diags`.
pub fn build(mut raw: RawContent, diags: &mut Diagnostics) -> Model {
    let mut m = Model {
        static_files: std::mem::take(&mut raw.static_files),
        theme: std::mem::take(&mut raw.theme),
        ..Model::default()
    };
    // Every article body normalised and parsed once (page, search words
    // and checks), on one thread while the other reads the plans, KPIs and
    // reports: the bodies need nothing from them.
    let mut articles = std::mem::take(&mut raw.articles);
    let (documents, ()) = rayon::join(
        || {
            use rayon::prelude::*;
            articles
                .par_iter()
                .map(|a| {
                    let normal = crate::text::nfc_if_changed(&a.body);
                    let document = crate::markdown::document(normal.as_deref().unwrap_or(&a.body));
                    (normal, document)
                })
                .collect::<Vec<(Option<String>, crate::markdown::Document)>>()
        },
        || plans_and_reports(&mut m, &mut raw, diags),
    );
    for (a, (normal, document)) in articles.iter_mut().zip(documents) {
        // A body already in NFC moves into the model rather than being
        // copied (ten thousand articles are 80 MB at national scale).
        let (body, changed) = match normal {
            Some(normal) => (normal, true),
            None => (std::mem::take(&mut a.body), false),
        };
        article(&mut m, a, body, changed, document, diags);
    }
    for p in &raw.pages {
        page(&mut m, p, diags);
    }
    one_name_per_tag(&mut m, &articles, &raw.plans, diags);
    m.articles.sort_by(|a, b| {
        b.date
            .cmp(&a.date)
            .then_with(|| a.slug.cmp(&b.slug))
            .then(a.lang.cmp(&b.lang))
    });
    m.pages
        .sort_by(|a, b| a.slug.cmp(&b.slug).then(a.lang.cmp(&b.lang)));
    m
}

/// The site, agencies, plans, KPIs and monthly reports, in that order
/// (each checked against what came before), and the reports' history.
fn plans_and_reports(m: &mut Model, raw: &mut RawContent, diags: &mut Diagnostics) {
    m.unparsed = raw.unparsed.iter().copied().collect();
    if let Some(src) = &raw.site {
        m.site = site(src, diags);
        let mut cx = Cx::new(src, m, diags);
        m.reporting_from = src.doc.reporting_from.as_ref().and_then(|v| cx.period(v));
    }
    if let Some(src) = &raw.agencies {
        agencies(m, src, diags);
    }
    let kpi_ids = collect_ids(
        raw.kpis.iter().flat_map(|s| {
            s.doc
                .kpis
                .iter()
                .flatten()
                .map(move |k| (s, k.value.id.as_ref()))
        }),
        "KPI",
        diags,
    );
    let task_ids = collect_ids(
        raw.plans.iter().flat_map(|s| {
            s.doc
                .tasks
                .iter()
                .flatten()
                .map(move |t| (s, t.value.id.as_ref()))
        }),
        "task",
        diags,
    );
    let mut plans: Vec<&Source<RawPlan>> = raw.plans.iter().collect();
    plans.sort_by(|a, b| a.file.cmp(&b.file));
    let mut plan_ids = HashMap::new();
    for src in plans {
        plan(m, src, &kpi_ids, &mut plan_ids, diags);
    }
    formerly_clashes(m, diags);
    if let Some(src) = &raw.kpis {
        kpis(m, src, &task_ids, diags);
    }
    let mut reports: Vec<_> = raw.reports.iter().collect();
    reports.sort_by(|a, b| a.source.file.cmp(&b.source.file));
    let files: HashSet<(String, String)> = reports
        .iter()
        .map(|r| (r.folder.clone(), r.stem.clone()))
        .collect();
    // Reports are read in parallel (a quarter of a million updates at
    // national scale), each against the model as its plans left it, then
    // kept in file order.
    let read: Vec<(Option<Report>, History, Diagnostics)> = {
        use rayon::prelude::*;
        reports
            .par_iter()
            .map(|r| {
                let (mut history, mut d) = (History::default(), Diagnostics::new());
                let read = report(m, r, &files, &mut history, &mut d);
                (read, history, d)
            })
            .collect()
    };
    let mut history = History::default();
    for (read, h, d) in read {
        diags.extend(d);
        history.said.extend(h.said);
        history.submissions.extend(h.submissions);
        m.reports.extend(read);
    }
    // The reports as parsed (a quarter of a million located values) are
    // freed by the pool while the articles are read, not by this thread.
    drop(reports);
    let parsed = std::mem::take(&mut raw.reports);
    rayon::spawn(move || drop(parsed));
    history.check(diags);
}

/// Reads scalars of one file, recording problems at their places.
struct Cx<'a> {
    file: &'a Arc<str>,
    off: u64,
    d: &'a mut Diagnostics,
    /// Kinds of id whose file failed to parse: unknown references to them
    /// are not reported, since the ids may well exist.
    unparsed: HashSet<&'static str>,
}

impl<'a> Cx<'a> {
    fn new<T>(src: &'a Source<T>, m: &Model, d: &'a mut Diagnostics) -> Self {
        Cx {
            file: &src.file,
            off: src.line_offset,
            d,
            unparsed: m.unparsed.clone(),
        }
    }

    fn loc<U>(&self, s: &Spanned<U>) -> Loc {
        let line = s.referenced.line();
        Loc::new(
            self.file,
            if line == 0 { 0 } else { line + self.off },
            s.referenced.column(),
        )
    }

    fn err(&mut self, loc: Loc, msg: Message) {
        self.d.error(loc, msg);
    }

    /// Optional text: NFC, trimmed, `None` when empty.
    fn text(&self, v: &Option<S>) -> Option<String> {
        v.as_ref()
            .map(|s| nfc(s.value.trim()))
            .filter(|s| !s.is_empty())
    }

    /// A required key's value, or an error at `parent` naming the key.
    fn present<'v>(
        &mut self,
        v: &'v Option<S>,
        key: &str,
        parent: &Loc,
        what: &'static str,
        hint: Option<Message>,
    ) -> Option<&'v S> {
        if v.is_none() {
            self.err(
                parent.clone(),
                msg!("key.missing", what = word(what), key, hint = Maybe(hint)),
            );
        }
        v.as_ref()
    }

    /// Required text; an error at `parent` names the missing key.
    fn required(
        &mut self,
        v: &Option<S>,
        key: &str,
        parent: &Loc,
        what: &'static str,
    ) -> Option<String> {
        let t = self.text(v);
        if t.is_none() {
            match v {
                Some(s) => {
                    let loc = self.loc(s);
                    self.err(loc, msg!("key.empty", key, what = word(what)));
                }
                None => self.err(
                    parent.clone(),
                    msg!("key.missing", what = word(what), key, hint = Maybe(None)),
                ),
            }
        }
        t
    }

    /// A required id in the URL-safe form.
    fn id(&mut self, v: &Option<S>, parent: &Loc, what: &'static str) -> Option<String> {
        let id = self.required(v, "id", parent, what)?;
        self.check_id(v.as_ref()?, &id, "what.id")
    }

    fn check_id(&mut self, at: &S, id: &str, what: &'static str) -> Option<String> {
        if is_valid_id(id) {
            Some(id.to_string())
        } else {
            let loc = self.loc(at);
            let example = crate::text::slugify(id)
                .chars()
                .take(40)
                .collect::<String>();
            self.err(loc, msg!("id.invalid", id, what = word(what), example));
            None
        }
    }

    fn date(&mut self, v: &S) -> Option<Date> {
        match parse_date(&nfc(&v.value)) {
            Ok(d) => Some(d),
            Err(e) => {
                let loc = self.loc(v);
                self.err(loc, e);
                None
            }
        }
    }

    fn required_date(
        &mut self,
        v: &Option<S>,
        key: &str,
        parent: &Loc,
        what: &'static str,
    ) -> Option<Date> {
        match v {
            Some(s) => self.date(s),
            None => {
                self.err(
                    parent.clone(),
                    msg!("key.missing", what = word(what), key, hint = Maybe(None)),
                );
                None
            }
        }
    }

    fn deadline(&mut self, v: &S) -> Option<Deadline> {
        match parse_deadline(&nfc(&v.value)) {
            Ok(d) => Some(d),
            Err(e) => {
                let loc = self.loc(v);
                self.err(loc, e);
                None
            }
        }
    }

    /// A month: `2025-07`, `07/2025`, `tháng 7/2025`.
    fn period(&mut self, v: &S) -> Option<Period> {
        let p = Period::parse_written(&nfc(&v.value));
        if p.is_none() {
            let loc = self.loc(v);
            self.err(loc, msg!("report.period_invalid", value = v.value.trim()));
        }
        p
    }

    /// A number: `80`, `78.5`, `78,5` or `"80%"`.
    fn number(&mut self, v: &S, key: &str) -> Option<f64> {
        let s = v.value.trim();
        let s = s.strip_suffix('%').unwrap_or(s).trim();
        let parsed = if s.contains(',') && !s.contains('.') {
            s.replace(',', ".")
        } else {
            s.to_string()
        };
        match parsed.parse::<f64>() {
            Ok(n) if n.is_finite() && n.abs() < 1e15 => {
                if looks_like_thousands(s) {
                    let loc = self.loc(v);
                    let whole = s.replace(',', "");
                    self.d.warning(
                        loc,
                        msg!("number.thousands", key, value = s, read = n, whole),
                    );
                }
                Some(n)
            }
            _ => {
                let loc = self.loc(v);
                self.err(loc, msg!("number.invalid", key, value = &v.value));
                None
            }
        }
    }

    /// A keyword from `options`, case-insensitive.
    fn keyword<T: Copy>(&mut self, v: &S, key: &str, options: &[(&str, T)]) -> Option<T> {
        let word = v.value.trim().to_lowercase();
        if let Some((_, t)) = options.iter().find(|(k, _)| *k == word) {
            return Some(*t);
        }
        let names: Vec<&str> = options.iter().map(|(k, _)| *k).collect();
        let hint = did_you_mean(&word, names.iter().copied());
        let loc = self.loc(v);
        let value = v.value.trim();
        let options = names.join(", ");
        self.err(
            loc,
            msg!("keyword.invalid", value, key, hint = Maybe(hint), options),
        );
        None
    }

    /// A reference to an id in `known`, with a suggestion when it is not there.
    fn reference<I>(&mut self, v: &S, what: &str, known: &HashMap<String, I>) -> Option<String> {
        let id = v.value.trim();
        if known.contains_key(id) {
            return Some(id.to_string());
        }
        if self.unparsed.contains(what) {
            return None;
        }
        let mut names: Vec<&str> = known.keys().map(String::as_str).collect();
        names.sort_unstable();
        let hint = did_you_mean(id, names);
        let loc = self.loc(v);
        self.err(
            loc,
            msg!(
                "ref.unknown",
                what = word(kind_word(what)),
                id,
                hint = Maybe(hint)
            ),
        );
        None
    }

    fn references<I>(
        &mut self,
        v: &Option<Vec<S>>,
        what: &str,
        known: &HashMap<String, I>,
    ) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for s in v.iter().flatten() {
            if let Some(id) = self.reference(s, what, known)
                && !out.contains(&id)
            {
                out.push(id);
            }
        }
        out
    }

    fn texts(&self, v: &Option<Vec<S>>) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for s in v.iter().flatten() {
            let t = nfc(s.value.trim());
            if !t.is_empty() && !out.contains(&t) {
                out.push(t);
            }
        }
        out
    }

    /// A link given by an editor: http(s), mailto, or a path on the site.
    fn link(&mut self, v: &Option<S>, key: &str) -> Option<String> {
        let s = v.as_ref()?;
        let t = nfc(s.value.trim());
        let lower = t.to_lowercase();
        let ok = lower.starts_with("https://")
            || lower.starts_with("http://")
            || lower.starts_with("mailto:")
            || (t.starts_with('/') && !t.starts_with("//"));
        if ok
            && !t
                .chars()
                .any(|c| c.is_whitespace() || c == '"' || c == '<' || c == '>')
        {
            Some(t)
        } else {
            let loc = self.loc(s);
            self.err(loc, msg!("link.invalid", key, value = t));
            None
        }
    }
}

/// `1,250` or `12,500,000`: a comma before exactly three digits may be a
/// thousands separator, not the Vietnamese decimal comma.
fn looks_like_thousands(s: &str) -> bool {
    let mut groups = s.split(',');
    let head = groups.next().unwrap_or("");
    let rest: Vec<&str> = groups.collect();
    !rest.is_empty()
        && (1..=3).contains(&head.len())
        && head.bytes().all(|b| b.is_ascii_digit())
        && rest
            .iter()
            .all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

/// The catalogue key naming a kind of id, as the load stage and the
/// reference checks name it.
fn kind_word(kind: &str) -> &'static str {
    match kind {
        "agency" => "what.agency",
        "task" => "what.task",
        "KPI" => "what.kpi",
        "working group" => "what.group",
        _ => "what.id",
    }
}

/// The ids of one kind across files, reporting duplicates; the map keeps
/// where each was first defined.
fn collect_ids<'a, T: 'a>(
    items: impl Iterator<Item = (&'a Source<T>, Option<&'a S>)>,
    what: &str,
    diags: &mut Diagnostics,
) -> HashMap<String, Loc> {
    let mut seen: HashMap<String, Loc> = HashMap::new();
    let mut all: Vec<(Loc, String)> = items
        .filter_map(|(src, id)| id.map(|id| (src.loc(id), id.value.trim().to_string())))
        .collect();
    all.sort();
    for (loc, id) in all {
        match seen.get(&id) {
            Some(first) => diags.error(
                loc,
                msg!("id.duplicate", what = word(kind_word(what)), id, first),
            ),
            None => {
                seen.insert(id, loc);
            }
        }
    }
    seen
}

fn site(src: &Source<RawSite>, diags: &mut Diagnostics) -> Option<Site> {
    let mut cx = Cx::new(src, &Model::default(), diags);
    let s = &src.doc;
    let whole = src.whole();
    let title = cx.required(&s.title, "title", &whole, "what.site");
    let base_url = cx.required(&s.base_url, "base_url", &whole, "what.site");
    if let (Some(url), Some(at)) = (&base_url, &s.base_url)
        && !(url.starts_with("https://") || url.starts_with("http://") || url.starts_with('/'))
    {
        let loc = cx.loc(at);
        cx.err(loc, msg!("site.base_url", url));
    }
    let mut languages = Vec::new();
    for l in s.languages.iter().flatten() {
        let code = l.value.trim().to_lowercase();
        if code != "vi" && code != "en" {
            let loc = cx.loc(l);
            cx.err(loc, msg!("site.language", code));
        } else if !languages.contains(&code) {
            languages.push(code);
        }
    }
    if languages.is_empty() {
        languages.push("vi".to_string());
    }
    if languages[0] != "vi" {
        let loc = s
            .languages
            .as_ref()
            .and_then(|l| l.first())
            .map_or(whole.clone(), |l| cx.loc(l));
        cx.err(loc, msg!("site.first_language"));
    }
    let as_of = s.as_of.as_ref().and_then(|v| cx.date(v));
    let mut int =
        |v: &Option<S>, key: &str, default: i64, range: std::ops::RangeInclusive<i64>| -> i64 {
            let Some(v) = v else { return default };
            match v.value.trim().parse::<i64>() {
                Ok(n) if range.contains(&n) => n,
                _ => {
                    let loc = cx.loc(v);
                    cx.err(
                        loc,
                        msg!(
                            "site.whole_number",
                            key,
                            from = range.start(),
                            to = range.end(),
                            value = &v.value
                        ),
                    );
                    default
                }
            }
        };
    let due_soon_days = int(&s.due_soon_days, "due_soon_days", 14, 0..=365);
    let report_day = int(&s.report_day, "report_day", 20, 1..=31) as u32;
    Some(Site {
        title: title?,
        title_en: cx.text(&s.title_en),
        description: cx.text(&s.description),
        description_en: cx.text(&s.description_en),
        base_url: base_url?,
        owner: cx.text(&s.owner),
        contact: cx.text(&s.contact),
        languages,
        as_of,
        due_soon_days,
        report_day,
        sample_data: s.sample_data.unwrap_or(false),
        data_license: cx.text(&s.data_license),
        tag_names: s
            .tags
            .iter()
            .flatten()
            .filter_map(|(k, v)| {
                let slug = crate::text::slugify(k);
                let name = nfc(v.value.trim());
                (!slug.is_empty() && !name.is_empty()).then_some((slug, name))
            })
            .collect(),
    })
}

fn agencies(m: &mut Model, src: &Source<RawAgencies>, diags: &mut Diagnostics) {
    let mut cx = Cx::new(src, m, diags);
    for g in src.doc.groups.iter().flatten() {
        let loc = cx.loc(g);
        let what = "what.a_group";
        let id = cx.id(&g.value.id, &loc, what);
        let name = cx.required(&g.value.name, "name", &loc, what);
        let (Some(id), Some(name)) = (id, name) else {
            continue;
        };
        if let Some(&i) = m.group_ix.get(&id) {
            let first = m.groups[i].loc.clone();
            cx.err(
                g.value.id.as_ref().map_or(loc.clone(), |v| cx.loc(v)),
                msg!("id.duplicate", what = word("what.group"), id, first),
            );
            continue;
        }
        m.group_ix.insert(id.clone(), m.groups.len());
        m.groups.push(Group {
            id,
            name,
            name_en: cx.text(&g.value.name_en),
            leader: cx.text(&g.value.leader),
            leader_en: cx.text(&g.value.leader_en),
            description: cx.text(&g.value.description),
            loc,
        });
    }
    // First every id, so that successors may be listed after their predecessors.
    let mut raw_successions = Vec::new();
    for a in src.doc.agencies.iter().flatten() {
        let loc = cx.loc(a);
        let what = "what.an_agency";
        let r = &a.value;
        let id = cx.id(&r.id, &loc, what);
        let name = cx.required(&r.name, "name", &loc, what);
        let kind = cx
            .present(&r.kind, "kind", &loc, what, Some(msg!("hint.agency_kinds")))
            .and_then(|k| cx.keyword(k, "kind", &AgencyKind::ALL));
        let group = r
            .group
            .as_ref()
            .and_then(|g| cx.reference(g, "working group", &m.group_ix));
        let (Some(id), Some(name), Some(kind)) = (id, name, kind) else {
            continue;
        };
        if let Some(&i) = m.agency_ix.get(&id) {
            let first = m.agencies[i].loc.clone();
            cx.err(
                r.id.as_ref().map_or(loc.clone(), |v| cx.loc(v)),
                msg!("id.duplicate", what = word("what.agency"), id, first),
            );
            continue;
        }
        m.agency_ix.insert(id.clone(), m.agencies.len());
        raw_successions.push((m.agencies.len(), r));
        m.agencies.push(Agency {
            id,
            name,
            short: cx.text(&r.short),
            name_en: cx.text(&r.name_en),
            kind,
            group,
            url: cx.link(&r.url, "url"),
            succession: None,
            loc,
        });
    }
    for (i, r) in raw_successions {
        let ends = [
            r.merged_into.as_ref().map(|s| {
                (
                    SuccessionKind::Merged,
                    "merged_into",
                    cx.loc(s),
                    s.value.agency.as_ref(),
                    s.value.date.as_ref(),
                )
            }),
            r.renamed_to.as_ref().map(|s| {
                (
                    SuccessionKind::Renamed,
                    "renamed_to",
                    cx.loc(s),
                    s.value.agency.as_ref(),
                    s.value.date.as_ref(),
                )
            }),
            r.dissolved.as_ref().map(|s| {
                (
                    SuccessionKind::Dissolved,
                    "dissolved",
                    cx.loc(s),
                    None,
                    s.value.date.as_ref(),
                )
            }),
        ];
        let ends: Vec<_> = ends.into_iter().flatten().collect();
        if ends.len() > 1 {
            let loc = ends[1].2.clone();
            cx.err(loc, msg!("agency.ends_twice"));
            continue;
        }
        let Some((kind, key, loc, to, date)) = ends.into_iter().next() else {
            continue;
        };
        let to = match (kind, to) {
            (SuccessionKind::Dissolved, _) => None,
            (_, Some(to)) => match cx.reference(to, "agency", &m.agency_ix) {
                Some(t) => Some(t),
                None => continue,
            },
            (_, None) => {
                cx.err(loc, msg!("agency.lineage_no_agency", key));
                continue;
            }
        };
        let Some(date) = (match date {
            Some(d) => cx.date(d),
            None => {
                cx.err(loc.clone(), msg!("agency.lineage_no_date", key));
                None
            }
        }) else {
            continue;
        };
        m.agencies[i].succession = Some(Succession {
            kind,
            to,
            date,
            loc,
        });
    }
    // A lineage that loops would leave no agency to answer.
    for start in 0..m.agencies.len() {
        let mut path = vec![m.agencies[start].id.clone()];
        let mut current = start;
        while let Some(Succession { to: Some(to), .. }) = &m.agencies[current].succession {
            if *to == m.agencies[start].id {
                path.push(to.clone());
                let loc = m.agencies[start]
                    .succession
                    .as_ref()
                    .map_or(m.agencies[start].loc.clone(), |s| s.loc.clone());
                cx.err(loc, msg!("agency.cycle", path = path.join(" -> ")));
                break;
            }
            if path.contains(to) || path.len() > m.agencies.len() {
                break;
            }
            path.push(to.clone());
            match m.agency_ix.get(to) {
                Some(&next) => current = next,
                None => break,
            }
        }
    }
    let cycles: HashSet<usize> = (0..m.agencies.len())
        .filter(|&i| {
            let mut seen = HashSet::new();
            let mut cur = i;
            loop {
                if !seen.insert(cur) {
                    return true;
                }
                match &m.agencies[cur].succession {
                    Some(Succession { to: Some(to), .. }) => match m.agency_ix.get(to) {
                        Some(&n) => cur = n,
                        None => return false,
                    },
                    _ => return false,
                }
            }
        })
        .collect();
    for i in cycles {
        m.agencies[i].succession = None;
    }
}

fn plan(
    m: &mut Model,
    src: &Source<RawPlan>,
    kpi_ids: &HashMap<String, Loc>,
    plan_ids: &mut HashMap<String, Loc>,
    diags: &mut Diagnostics,
) {
    let mut cx = Cx::new(src, m, diags);
    let p = &src.doc;
    let whole = src.whole();
    let what = "what.the_plan";
    let id = cx.present(&p.id, "id", &whole, what, None).and_then(|v| {
        cx.text(&p.id)
            .and_then(|id| cx.check_id(v, &id, "what.plan_id"))
    });
    let title = cx.required(&p.title, "title", &whole, what);
    let issued = cx.required_date(&p.issued, "issued", &whole, what);
    if let (Some(id), Some(v)) = (&id, &p.id) {
        let loc = cx.loc(v);
        if let Some(first) = plan_ids.get(id) {
            cx.err(
                loc,
                msg!("id.duplicate", what = word("what.plan"), id, first),
            );
            // One cause, one message: the tasks of this copy are not
            // loaded, so references to them are not "unknown".
            m.unparsed.insert("task");
            return;
        }
        plan_ids.insert(id.clone(), loc);
    }
    let plan_index = m.plans.len();
    let mut tasks = Vec::new();
    for t in p.tasks.iter().flatten() {
        if let Some(task) = task(m, &mut cx, t, plan_index, kpi_ids) {
            tasks.push(task);
        }
    }
    let (Some(id), Some(title), Some(issued)) = (id, title, issued) else {
        m.unparsed.insert("task");
        return;
    };
    m.plans.push(Plan {
        id,
        title,
        title_en: cx.text(&p.title_en),
        issuer: cx.text(&p.issuer),
        issued,
        number: cx.text(&p.number),
        url: cx.link(&p.url, "url"),
        summary: cx.text(&p.summary),
        file: Arc::clone(&src.file),
        reporting_from: p
            .reporting_from
            .as_ref()
            .and_then(|v| cx.period(v))
            .or(m.reporting_from),
    });
    for t in tasks {
        if m.task_ix.contains_key(&t.id) {
            continue; // reported by collect_ids
        }
        m.task_ix.insert(t.id.clone(), m.tasks.len());
        m.tasks.push(t);
    }
}

fn task(
    m: &Model,
    cx: &mut Cx,
    t: &Spanned<RawTask>,
    plan: usize,
    kpi_ids: &HashMap<String, Loc>,
) -> Option<Task> {
    let loc = cx.loc(t);
    let r = &t.value;
    let what = "what.a_task";
    let id = cx.id(&r.id, &loc, what);
    if let (Some(id), Some(v)) = (&id, &r.id)
        && route::is_status_view_slug(id)
    {
        let at = cx.loc(v);
        cx.err(
            at,
            msg!("task.id_reserved", id, path = route::Route::Task(id).path()),
        );
    }
    let title = cx.required(&r.title, "title", &loc, what);
    let incomplete = cx.text(&r.incomplete);
    let lead = r
        .lead
        .as_ref()
        .and_then(|l| cx.reference(l, "agency", &m.agency_ix));
    let support: Vec<String> = cx.references(&r.support, "agency", &m.agency_ix);
    let unresolved = (r.lead.is_some() && lead.is_none())
        || r.support.as_ref().is_some_and(|s| s.len() > support.len());
    let deadline = r.deadline.as_ref().and_then(|d| cx.deadline(d));
    let result = cx.text(&r.result);
    let responsible = cx.text(&r.responsible);
    // "5 rõ": who, when, which result, who answers.
    let missing: Vec<&str> = [
        ("lead", r.lead.is_none()),
        ("deadline", r.deadline.is_none()),
        ("result", result.is_none()),
        ("responsible", responsible.is_none()),
    ]
    .iter()
    .filter(|(_, gone)| *gone)
    .map(|(k, _)| *k)
    .collect();
    if !missing.is_empty() && incomplete.is_none() {
        let keys = missing
            .iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let id = id.as_deref().unwrap_or("?");
        cx.err(loc.clone(), msg!("task.five_ro", id, keys));
    }
    if missing.is_empty()
        && incomplete.is_some()
        && let Some(v) = &r.incomplete
    {
        let at = cx.loc(v);
        cx.d.warning(at, msg!("task.incomplete_complete"));
    }
    if let (Some(l), Some(_)) = (&lead, &id)
        && support.contains(l)
    {
        let at = cx.loc(r.lead.as_ref()?);
        cx.d.warning(at, msg!("task.lead_and_support", agency = l));
    }
    let mut deadline_changes = Vec::new();
    for c in r.deadline_changes.iter().flatten() {
        let cloc = cx.loc(c);
        let to = cx
            .present(&c.value.to, "to", &cloc, "what.deadline_change", None)
            .and_then(|v| cx.deadline(v));
        let date = cx.required_date(&c.value.date, "date", &cloc, "what.deadline_change");
        if let (Some(to), Some(v)) = (&to, &c.value.to)
            && to.is_recurring()
        {
            let at = cx.loc(v);
            cx.err(at, msg!("task.change_to_recurring"));
            continue;
        }
        if let (Some(to), Some(date)) = (to, date) {
            let at = c.value.to.as_ref().map_or(cloc.clone(), |v| cx.loc(v));
            deadline_changes.push((
                DeadlineChange {
                    to,
                    date,
                    by: cx.text(&c.value.by),
                    reason: cx.text(&c.value.reason),
                },
                at,
            ));
        }
    }
    deadline_changes.sort_by_key(|(c, _)| c.date);
    // An extension moves the deadline in force later; an earlier date is a
    // typo (or a copied line), and would make a task overdue by mistake.
    let mut in_force = match deadline {
        Some(Deadline::Date(d, _)) => Some(d),
        _ => None,
    };
    for (c, at) in &deadline_changes {
        let Deadline::Date(to, _) = c.to else {
            continue;
        };
        if let Some(current) = in_force
            && to < current
        {
            cx.err(
                at.clone(),
                msg!(
                    "task.change_earlier",
                    to = fmt_date(to),
                    current = fmt_date(current)
                ),
            );
        }
        in_force = Some(to);
    }
    let deadline_changes: Vec<DeadlineChange> =
        deadline_changes.into_iter().map(|(c, _)| c).collect();
    if !deadline_changes.is_empty() && deadline.as_ref().is_some_and(Deadline::is_recurring) {
        cx.err(loc.clone(), msg!("task.recurring_changed"));
    }
    let kpis = cx.references(&r.kpis, "KPI", kpi_ids);
    let description = cx.text(&r.description);
    if let Some(v) = &r.description {
        let at = cx.loc(v);
        check_text(cx, &description, at);
    }
    let mut formerly = Vec::new();
    for v in r.formerly.iter().flatten() {
        let old = nfc(&v.value);
        if let Some(old) = cx.check_id(v, &old, "what.task_id") {
            let at = cx.loc(v);
            if route::is_status_view_slug(&old) {
                cx.err(
                    at,
                    msg!(
                        "task.id_reserved",
                        id = &old,
                        path = route::Route::Task(&old).path()
                    ),
                );
            } else {
                formerly.push((old, at));
            }
        }
    }
    Some(Task {
        id: id?,
        reference: cx.text(&r.reference),
        title: title?,
        title_en: cx.text(&r.title_en),
        description,
        plan,
        lead,
        support,
        deadline,
        deadline_changes,
        result,
        responsible,
        kpis,
        tags: cx.texts(&r.tags),
        incomplete,
        unresolved,
        formerly,
        loc,
    })
}

/// An old id (`formerly`) may not be a task's id now, nor another task's
/// old id: its address would show two things.
fn formerly_clashes(m: &Model, diags: &mut Diagnostics) {
    let mut seen: HashMap<&str, &Loc> = HashMap::new();
    for t in &m.tasks {
        for (old, at) in &t.formerly {
            if let Some(&i) = m.task_ix.get(old) {
                let first = &m.tasks[i].loc;
                diags.error(at.clone(), msg!("task.formerly_taken", id = old, first));
            } else if let Some(first) = seen.get(old.as_str()) {
                diags.error(
                    at.clone(),
                    msg!("task.formerly_taken", id = old, first = *first),
                );
            } else {
                seen.insert(old, at);
            }
        }
    }
}

fn kpis(
    m: &mut Model,
    src: &Source<RawKpis>,
    task_ids: &HashMap<String, Loc>,
    diags: &mut Diagnostics,
) {
    let mut cx = Cx::new(src, m, diags);
    for k in src.doc.kpis.iter().flatten() {
        let loc = cx.loc(k);
        let r = &k.value;
        let what = "what.a_kpi";
        let id = cx.id(&r.id, &loc, what);
        let name = cx.required(&r.name, "name", &loc, what);
        let unit = cx.required(&r.unit, "unit", &loc, what);
        let target = cx
            .present(&r.target, "target", &loc, what, None)
            .and_then(|v| cx.number(v, "target"));
        let direction = match &r.direction {
            Some(v) => cx.keyword(
                v,
                "direction",
                &[("up", Direction::Up), ("down", Direction::Down)],
            ),
            None => Some(Direction::Up),
        };
        let deadline = match &r.deadline {
            Some(v) => cx.deadline(v).and_then(|d| {
                if d.is_recurring() {
                    let at = cx.loc(v);
                    cx.err(at, msg!("kpi.recurring_deadline"));
                    None
                } else {
                    Some(d)
                }
            }),
            None => {
                cx.err(
                    loc.clone(),
                    msg!(
                        "key.missing",
                        what = word(what),
                        key = "deadline",
                        hint = Maybe(None)
                    ),
                );
                None
            }
        };
        let owner = cx
            .present(&r.owner, "owner", &loc, what, Some(msg!("hint.kpi_owner")))
            .and_then(|v| cx.reference(v, "agency", &m.agency_ix));
        let baseline = r.baseline.as_ref().and_then(|b| {
            let bloc = cx.loc(b);
            let date = cx.required_date(&b.value.date, "date", &bloc, "what.baseline");
            let value = cx
                .present(&b.value.value, "value", &bloc, "what.baseline", None)
                .and_then(|v| cx.number(v, "baseline value"));
            Some((date?, value?))
        });
        let tasks = cx.references(&r.tasks, "task", task_ids);
        let (
            Some(id),
            Some(name),
            Some(unit),
            Some(target),
            Some(direction),
            Some(deadline),
            Some(owner),
        ) = (id, name, unit, target, direction, deadline, owner)
        else {
            continue;
        };
        if m.kpi_ix.contains_key(&id) {
            continue; // reported by collect_ids
        }
        m.kpi_ix.insert(id.clone(), m.kpis.len());
        m.kpis.push(Kpi {
            id,
            name,
            name_en: cx.text(&r.name_en),
            description: cx.text(&r.description),
            reference: cx.text(&r.reference),
            unit,
            target,
            direction,
            baseline,
            deadline,
            owner,
            tasks,
            loc,
        });
    }
}

/// The agency's end as a sentence, for a report submitted after it.
fn ended(m: &Model, id: &str) -> Message {
    let Some(s) = m.agency(id).and_then(|a| a.succession.as_ref()) else {
        return msg!("agency.not_holder", id);
    };
    let date = fmt_date(s.date);
    match (&s.kind, &s.to) {
        (SuccessionKind::Merged, Some(to)) => msg!("agency.merged_reports", id, to, date),
        (SuccessionKind::Renamed, Some(to)) => msg!("agency.renamed_reports", id, to, date),
        _ => msg!("agency.dissolved_reports", id, date),
    }
}

/// A value off by this factor from the KPI's baseline is probably a typo
/// (a misplaced decimal point).
const TEN_TIMES: f64 = 10.0;

/// A report submitted more than this many days after its report day is
/// probably dated in the wrong year or copied from another period.
const LONG_AFTER_DAYS: i64 = 92;

/// What one update said, kept to compare reports with each other.
struct Said {
    /// The task's index, which orders like the task for grouping (sorting
    /// by the id was 1% of a national build).
    task_ix: usize,
    task: String,
    agency: String,
    submitted: Date,
    period: Period,
    state: TaskState,
    progress: Option<f64>,
    noted: bool,
    reopened: bool,
    loc: Loc,
}

/// Every update and every report's dates, for the checks across reports:
/// a report copied into another period, a done task undone without a
/// reason, progress that goes backwards without a note.
#[derive(Default)]
struct History {
    said: Vec<Said>,
    submissions: Vec<Submission>,
}

/// A report's agency and dates, and where `submitted` is written.
struct Submission {
    agency: String,
    submitted: Date,
    period: Period,
    loc: Loc,
}

impl History {
    fn check(mut self, diags: &mut Diagnostics) {
        self.submissions.sort_by(|a, b| {
            (&a.agency, a.submitted, a.period).cmp(&(&b.agency, b.submitted, b.period))
        });
        for (i, now) in self.submissions.iter().enumerate() {
            let copied_from = i
                .checked_sub(1)
                .map(|j| &self.submissions[j])
                .filter(|b| b.agency == now.agency && b.submitted == now.submitted);
            let submitted = fmt_date(now.submitted);
            // One cause, one message: a copy is named as a copy, not also
            // as a report submitted before its month.
            if let Some(first) = copied_from {
                diags.error(
                    now.loc.clone(),
                    msg!(
                        "report.copied",
                        agency = &now.agency,
                        period = now.period,
                        submitted,
                        other = first.period,
                        first = &first.loc
                    ),
                );
            } else if now.submitted < now.period.first_day() {
                diags.error(
                    now.loc.clone(),
                    msg!(
                        "report.submitted_before_period",
                        submitted,
                        period = now.period
                    ),
                );
            }
        }
        // Grouped by task and agency, each group in date order.
        self.said.sort_by(|a, b| {
            a.task_ix.cmp(&b.task_ix).then_with(|| {
                (&a.agency, a.submitted, a.period).cmp(&(&b.agency, b.submitted, b.period))
            })
        });
        for pair in self.said.windows(2) {
            let [before, now] = pair else { continue };
            if before.task != now.task || before.agency != now.agency {
                continue;
            }
            if before.state == TaskState::Done && now.state != TaskState::Done && !now.reopened {
                diags.error(
                    now.loc.clone(),
                    msg!(
                        "update.undone",
                        task = &now.task,
                        period = before.period,
                        first = &before.loc
                    ),
                );
            } else if let (Some(was), Some(is)) = (before.progress, now.progress)
                && is < was
                && !now.noted
                && !now.reopened
            {
                diags.warning(
                    now.loc.clone(),
                    msg!(
                        "update.progress_backwards",
                        task = &now.task,
                        was,
                        is,
                        period = before.period
                    ),
                );
            }
        }
    }
}

/// One monthly report, checked; `None` when it cannot count (no agency,
/// period or submission date, or an agency that no longer exists).
fn report(
    m: &Model,
    rs: &crate::load::ReportSource,
    files: &HashSet<(String, String)>,
    history: &mut History,
    diags: &mut Diagnostics,
) -> Option<Report> {
    let src = &rs.source;
    let mut cx = Cx::new(src, m, diags);
    let r = &src.doc;
    let whole = src.whole();
    let what = "what.report";
    let folder = Period::parse(&rs.folder);
    if folder.is_none() {
        cx.err(whole.clone(), msg!("report.folder", folder = &rs.folder));
    }
    let agency = match &r.agency {
        Some(v) => {
            let a = cx.reference(v, "agency", &m.agency_ix);
            if let Some(a) = &a
                && *a != rs.stem
            {
                let at = cx.loc(v);
                // Never advise renaming onto a report that exists.
                if files.contains(&(rs.folder.clone(), a.clone())) {
                    cx.err(
                        at,
                        msg!(
                            "report.agency_file_taken",
                            agency = a,
                            stem = &rs.stem,
                            folder = &rs.folder
                        ),
                    );
                } else {
                    cx.err(at, msg!("report.agency_file", agency = a, stem = &rs.stem));
                }
            }
            a
        }
        None => {
            cx.err(
                whole.clone(),
                msg!(
                    "key.missing",
                    what = word(what),
                    key = "agency",
                    hint = Maybe(None)
                ),
            );
            None
        }
    };
    let period = match &r.period {
        Some(v) => match Period::parse_written(&nfc(&v.value)) {
            Some(p) => {
                if folder.is_some_and(|f| f != p) {
                    let at = cx.loc(v);
                    if files.contains(&(p.to_string(), rs.stem.clone())) {
                        cx.err(
                            at,
                            msg!(
                                "report.period_folder_taken",
                                period = p,
                                folder = &rs.folder,
                                stem = &rs.stem
                            ),
                        );
                    } else {
                        cx.err(
                            at,
                            msg!("report.period_folder", period = p, folder = &rs.folder),
                        );
                    }
                }
                Some(p)
            }
            None => {
                let at = cx.loc(v);
                cx.err(at, msg!("report.period_invalid", value = v.value.trim()));
                None
            }
        },
        None => {
            cx.err(
                whole.clone(),
                msg!(
                    "key.missing",
                    what = word(what),
                    key = "period",
                    hint = Maybe(None)
                ),
            );
            None
        }
    };
    let submitted = cx.required_date(&r.submitted, "submitted", &whole, what);
    // A report copied from last month keeps last month's dates.
    if let (Some(p), Some(sub), Some(v)) = (period, submitted, &r.submitted)
        && folder.is_none_or(|f| f == p)
    {
        let at = cx.loc(v);
        let due = p.report_day(m.site().report_day);
        let late = (sub - due).num_days();
        if late > LONG_AFTER_DAYS {
            cx.d.warning(
                at.clone(),
                msg!(
                    "report.submitted_long_after",
                    submitted = fmt_date(sub),
                    period = p,
                    due = fmt_date(due),
                    days = late
                ),
            );
        }
        history.submissions.push(Submission {
            agency: agency.clone().unwrap_or_else(|| rs.stem.clone()),
            submitted: sub,
            period: p,
            loc: at,
        });
    }
    let mut exists = true;
    if let (Some(a), Some(d), Some(v)) = (&agency, submitted, &r.submitted)
        && m.holder_on(a, d) != Some(a.as_str())
    {
        let at = cx.loc(v);
        cx.err(at, ended(m, a));
        exists = false;
    }
    let mut updates = Vec::new();
    let mut seen_tasks: HashMap<String, Loc> = HashMap::new();
    for u in r.updates.iter().flatten() {
        let uloc = cx.loc(u);
        let v = &u.value;
        let task_ix = match &v.task {
            Some(t) => cx
                .reference(t, "task", &m.task_ix)
                .and_then(|id| m.task_index(&id)),
            None => {
                cx.err(
                    uloc.clone(),
                    msg!(
                        "key.missing",
                        what = word("what.update"),
                        key = "task",
                        hint = Maybe(None)
                    ),
                );
                None
            }
        };
        let state = cx
            .present(
                &v.state,
                "state",
                &uloc,
                "what.update",
                Some(msg!("hint.states")),
            )
            .and_then(|s| cx.keyword(s, "state", &TaskState::ALL));
        let progress = v.progress.as_ref().and_then(|p| {
            let n = cx.number(p, "progress")?;
            if (0.0..=100.0).contains(&n) {
                Some(n)
            } else {
                let at = cx.loc(p);
                let value = v.progress.as_ref()?.value.trim();
                cx.err(at, msg!("update.progress_range", value));
                None
            }
        });
        let done_on = v.done_on.as_ref().and_then(|d| cx.date(d));
        let mut ok = true;
        if let (Some(task), Some(tv)) = (task_ix.map(|i| &m.tasks[i]), v.task.as_ref()) {
            let at = cx.loc(tv);
            if let Some(first) = seen_tasks.get(&task.id) {
                cx.err(at.clone(), msg!("update.twice", task = &task.id, first));
                ok = false;
            } else {
                seen_tasks.insert(task.id.clone(), at.clone());
            }
            if let (Some(a), Some(d)) = (&agency, submitted)
                && exists
                && !task.unresolved
                && !m.takes_part_on(a, task, d)
            {
                let lead = task
                    .lead
                    .as_deref()
                    .and_then(|l| m.holder_on(l, d))
                    .unwrap_or("-");
                cx.err(
                    at.clone(),
                    msg!(
                        "update.not_its_task",
                        agency = a,
                        task = &task.id,
                        date = fmt_date(d),
                        lead
                    ),
                );
                ok = false;
            }
            if state == Some(TaskState::Done)
                && task.deadline.as_ref().is_some_and(Deadline::is_recurring)
                && let Some(sv) = &v.state
            {
                let sat = cx.loc(sv);
                let deadline = task.deadline.as_ref().map(|d| d.code()).unwrap_or_default();
                cx.err(
                    sat,
                    msg!("update.recurring_done", task = &task.id, deadline),
                );
                ok = false;
            }
        }
        if state == Some(TaskState::Done)
            && let (Some(n), Some(pv)) = (progress, &v.progress)
            && n < 100.0
        {
            let at = cx.loc(pv);
            cx.err(at, msg!("update.done_below_100", value = pv.value.trim()));
            ok = false;
        }
        if let (Some(done), Some(task), Some(dv)) =
            (done_on, task_ix.map(|i| &m.tasks[i]), &v.done_on)
            && let Some(plan) = m.plans.get(task.plan)
            && done < plan.issued
        {
            let at = cx.loc(dv);
            cx.err(
                at,
                msg!(
                    "update.done_before_issued",
                    done = fmt_date(done),
                    plan = &plan.id,
                    issued = fmt_date(plan.issued)
                ),
            );
            ok = false;
        }
        if state == Some(TaskState::Done) && v.done_on.is_none() {
            cx.err(uloc.clone(), msg!("update.done_without_done_on"));
            ok = false;
        }
        if let (Some(done), Some(sub), Some(dv)) = (done_on, submitted, &v.done_on)
            && done > sub
        {
            let at = cx.loc(dv);
            cx.err(
                at,
                msg!(
                    "update.done_after_submitted",
                    done = fmt_date(done),
                    submitted = fmt_date(sub)
                ),
            );
            ok = false;
        }
        if let (
            Some(_),
            Some(TaskState::NotStarted | TaskState::InProgress | TaskState::Blocked),
            Some(dv),
        ) = (done_on, state, &v.done_on)
        {
            let at = cx.loc(dv);
            cx.d.warning(at, msg!("update.done_on_ignored"));
        }
        if state == Some(TaskState::NotStarted)
            && progress.is_some_and(|p| p > 0.0)
            && let Some(pv) = &v.progress
        {
            let at = cx.loc(pv);
            cx.err(at, msg!("update.progress_not_started"));
            ok = false;
        }
        let (Some(task_ix), Some(state), true) = (task_ix, state, ok) else {
            continue;
        };
        if let (Some(a), Some(sub), Some(p)) = (&agency, submitted, period) {
            history.said.push(Said {
                task_ix,
                task: m.tasks[task_ix].id.clone(),
                agency: a.clone(),
                submitted: sub,
                period: p,
                state,
                progress,
                noted: cx.text(&v.note).is_some(),
                reopened: cx.text(&v.reopened).is_some(),
                loc: uloc.clone(),
            });
        }
        let note = cx.text(&v.note);
        if let Some(n) = &v.note {
            let at = cx.loc(n);
            check_text(&mut cx, &note, at);
        }
        updates.push(Update {
            task: m.tasks[task_ix].id.clone(),
            progress,
            state,
            note,
            evidence: cx.link(&v.evidence, "evidence"),
            done_on: if state == TaskState::Done {
                done_on
            } else {
                None
            },
            loc: uloc,
        });
    }
    let mut kpi_values = Vec::new();
    let mut seen_values: HashMap<(String, Date), Loc> = HashMap::new();
    for kv in r.kpi_values.iter().flatten() {
        let kloc = cx.loc(kv);
        let v = &kv.value;
        let kpi = cx
            .present(&v.kpi, "kpi", &kloc, "what.kpi_value", None)
            .and_then(|k| cx.reference(k, "KPI", &m.kpi_ix));
        let date = cx.required_date(&v.date, "date", &kloc, "what.kpi_value");
        let value = cx
            .present(&v.value, "value", &kloc, "what.kpi_value", None)
            .and_then(|x| cx.number(x, "value"));
        let (Some(kpi), Some(date), Some(value)) = (kpi, date, value) else {
            continue;
        };
        let kat = v.kpi.as_ref().map_or(kloc.clone(), |k| cx.loc(k));
        if let (Some(k), Some(vv)) = (m.kpi(&kpi), &v.value)
            && !kpi_value_fits(&mut cx, k, value, vv)
        {
            continue;
        }
        if let (Some(a), Some(sub)) = (&agency, submitted)
            && exists
            && let Some(k) = m.kpi(&kpi)
            && m.holder_on(&k.owner, sub) != Some(a.as_str())
        {
            let owner = m.holder_on(&k.owner, sub).unwrap_or("-");
            cx.err(
                kat.clone(),
                msg!(
                    "kpi_value.not_owner",
                    agency = a,
                    kpi,
                    date = fmt_date(sub),
                    owner
                ),
            );
            continue;
        }
        if let (Some(sub), Some(dv)) = (submitted, &v.date)
            && date > sub
        {
            let at = cx.loc(dv);
            cx.err(
                at,
                msg!(
                    "kpi_value.after_submitted",
                    date = fmt_date(date),
                    submitted = fmt_date(sub)
                ),
            );
            continue;
        }
        if let Some(first) = seen_values.get(&(kpi.clone(), date)) {
            cx.err(
                kat,
                msg!("kpi_value.twice", kpi, date = fmt_date(date), first),
            );
            continue;
        }
        seen_values.insert((kpi.clone(), date), kat);
        kpi_values.push(KpiValue {
            kpi,
            date,
            value,
            note: cx.text(&v.note),
            loc: kloc,
        });
    }
    let (Some(agency), Some(period), Some(submitted), true) = (agency, period, submitted, exists)
    else {
        return None;
    };
    Some(Report {
        agency,
        period,
        submitted,
        summary: cx.text(&r.summary),
        updates,
        kpi_values,
        file: Arc::clone(&src.file),
    })
}

/// The slug and language of a Markdown file, checked.
/// The number fits the KPI's unit: a percentage is 0..100 and not a
/// fraction, "85%" goes only to a KPI in %, and a value ten times away from
/// the baseline gets a warning. False when the value is refused.
fn kpi_value_fits(cx: &mut Cx, k: &Kpi, value: f64, written: &S) -> bool {
    let at = cx.loc(written);
    let percent = k.unit.trim() == "%";
    let text = written.value.trim();
    if !percent && text.ends_with('%') {
        cx.err(
            at,
            msg!(
                "kpi_value.percent_sign",
                value = text,
                kpi = &k.id,
                unit = &k.unit
            ),
        );
        return false;
    }
    if percent && value > 100.0 {
        cx.err(
            at,
            msg!("kpi_value.percent_over", value = text, kpi = &k.id),
        );
        return false;
    }
    if percent && value > 0.0 && value < 1.0 && k.target > 1.0 {
        let suggestion = format!("{}", (value * 1000.0).round() / 10.0);
        cx.err(
            at,
            msg!(
                "kpi_value.percent_fraction",
                value = text,
                kpi = &k.id,
                suggestion
            ),
        );
        return false;
    }
    if let Some((_, base)) = k.baseline
        && base.abs() > f64::EPSILON
        && value.abs() > f64::EPSILON
    {
        let ratio = value / base;
        if ratio >= TEN_TIMES || ratio <= 1.0 / TEN_TIMES {
            cx.d.warning(
                at,
                msg!(
                    "kpi_value.ten_times",
                    value = text,
                    kpi = &k.id,
                    baseline = base
                ),
            );
        }
    }
    true
}

fn markdown_name<M>(cx: &mut Cx, md: &MarkdownSource<M>) -> Option<(String, Option<String>)> {
    let whole = Loc::file(cx.file);
    if !is_valid_id(&md.slug) {
        let example = crate::text::slugify(&md.slug);
        cx.err(whole, msg!("markdown.slug", slug = &md.slug, example));
        return None;
    }
    match md.lang.as_deref() {
        None => Some((md.slug.clone(), None)),
        Some("en") => Some((md.slug.clone(), Some("en".to_string()))),
        Some(other) => {
            cx.err(whole, msg!("markdown.language", other));
            None
        }
    }
}

/// One article; `body` is its Markdown in NFC (`changed` if that differs
/// from `md.body`, which is otherwise left empty), `document` what it parsed
/// to.
fn article(
    m: &mut Model,
    md: &MarkdownSource<RawArticleMeta>,
    body: String,
    changed: bool,
    document: crate::markdown::Document,
    diags: &mut Diagnostics,
) {
    let mut cx = Cx::new(&md.source, m, diags);
    let f = &md.source.doc;
    let head = Loc::new(cx.file, 1, 1);
    let what = "what.article";
    let name = markdown_name(&mut cx, md);
    let title = cx.required(&f.title, "title", &head, what);
    let date = cx.required_date(&f.date, "date", &head, what);
    let image = cx.text(&f.image);
    let image_alt = cx.text(&f.image_alt);
    if let (Some(_), None, Some(v)) = (&image, &image_alt, &f.image) {
        let at = cx.loc(v);
        cx.err(at, msg!("article.image_alt"));
    }
    if let (Some(img), Some(v)) = (&image, &f.image)
        && (img.contains("..") || img.contains('\\') || img.contains(':'))
    {
        let at = cx.loc(v);
        cx.err(at, msg!("article.image_path", img));
    }
    let tasks = cx.references(&f.tasks, "task", &m.task_ix);
    let kpis = cx.references(&f.kpis, "KPI", &m.kpi_ix);
    // The problems' offsets are those of the text as written: the same
    // unless normalising changed it.
    let (problems, written) = if changed {
        (crate::markdown::problems(&md.body), md.body.as_str())
    } else {
        (document.problems, body.as_str())
    };
    report_problems(&mut cx, written, md.body_line, problems);
    let (Some((slug, lang)), Some(title), Some(date)) = (name, title, date) else {
        return;
    };
    m.articles.push(Article {
        slug,
        lang,
        title,
        date,
        summary: cx.text(&f.summary),
        tags: cx.texts(&f.tags),
        tasks,
        kpis,
        image,
        image_alt,
        author: cx.text(&f.author),
        draft: f.draft.unwrap_or(false),
        body,
        html: document.rendered,
        search_text: document.search_text,
        file: Arc::clone(cx.file),
        body_line: md.body_line,
        date_loc: f.date.as_ref().map_or(head, |d| cx.loc(d)),
    });
}

/// Images without alt text and anything loaded from another host in a
/// Markdown body: both are errors, at the line where they are written.
fn check_body(cx: &mut Cx, body: &str, body_line: u64) {
    let problems = crate::markdown::problems(body);
    report_problems(cx, body, body_line, problems);
}

/// Reports a body's problems (by byte offset) at their line and column.
fn report_problems(cx: &mut Cx, body: &str, body_line: u64, problems: Vec<(usize, Message)>) {
    let place = |offset: usize| -> Loc {
        let before = &body[..offset.min(body.len())];
        let line = before.matches('\n').count() as u64;
        let start = before.rfind('\n').map_or(0, |i| i + 1);
        Loc::new(
            cx.file,
            body_line + line,
            before[start..].chars().count() as u64 + 1,
        )
    };
    let problems: Vec<(Loc, Message)> = problems
        .into_iter()
        .map(|(offset, message)| (place(offset), message))
        .collect();
    for (loc, message) in problems {
        cx.err(loc, message);
    }
}

/// The same checks on Markdown written in a YAML value (a task's
/// description, an update's note), reported where the value is written.
fn check_text(cx: &mut Cx, text: &Option<String>, at: Loc) {
    let Some(text) = text else {
        return;
    };
    for (_, message) in crate::markdown::problems(text) {
        cx.err(at.clone(), message);
    }
}

/// Tags that differ only by case or diacritics ("Chuyển đổi số", "chuyển
/// đổi số", "chuyen doi so") share one page, so they get one name: the name
/// site.yaml gives it (`tags:`), else the spelling written most often, then
/// the one with the most diacritics. Every other spelling gets a warning
/// where it is written (not when site.yaml names the tag: the spelling is
/// then a key), and render reads only canonical names, so no tag page can
/// overwrite another.
fn one_name_per_tag(
    m: &mut Model,
    articles: &[MarkdownSource<RawArticleMeta>],
    plans: &[Source<RawPlan>],
    diags: &mut Diagnostics,
) {
    let mut written: Vec<(String, Loc)> = Vec::new();
    for a in articles {
        for t in a.source.doc.tags.iter().flatten() {
            written.push((nfc(t.value.trim()), a.source.loc(t)));
        }
    }
    for p in plans {
        for task in p.doc.tasks.iter().flatten() {
            for t in task.value.tags.iter().flatten() {
                written.push((nfc(t.value.trim()), p.loc(t)));
            }
        }
    }
    written.retain(|(t, _)| !crate::text::slugify(t).is_empty());
    let mut spellings: HashMap<String, HashMap<&str, usize>> = HashMap::new();
    for (t, _) in &written {
        *spellings
            .entry(crate::text::slugify(t))
            .or_default()
            .entry(t.as_str())
            .or_default() += 1;
    }
    let given = m.site().tag_names.clone();
    let canonical: HashMap<String, String> = spellings
        .into_iter()
        .map(|(slug, names)| {
            if let Some(name) = given.get(&slug) {
                return (slug, name.clone());
            }
            let best = names
                .iter()
                .max_by(|a, b| {
                    let marks = |s: &str| s.chars().filter(|c| !c.is_ascii()).count();
                    (a.1, marks(a.0), std::cmp::Reverse(*a.0)).cmp(&(
                        b.1,
                        marks(b.0),
                        std::cmp::Reverse(*b.0),
                    ))
                })
                .map_or(String::new(), |(n, _)| n.to_string());
            (slug, best)
        })
        .collect();
    for (t, loc) in &written {
        let slug = crate::text::slugify(t);
        if let Some(name) = canonical.get(&slug)
            && name != t
            && !given.contains_key(&slug)
        {
            diags.warning(loc.clone(), msg!("tag.variant", tag = t, name));
        }
    }
    let rename = |tags: &mut Vec<String>| {
        let mut out: Vec<String> = Vec::new();
        for t in tags.drain(..) {
            let name = canonical
                .get(&crate::text::slugify(&t))
                .cloned()
                .unwrap_or(t);
            if !out.contains(&name) {
                out.push(name);
            }
        }
        *tags = out;
    };
    for a in &mut m.articles {
        rename(&mut a.tags);
    }
    for t in &mut m.tasks {
        rename(&mut t.tags);
    }
}

/// Articles dated after the as-of day are not published yet: the portal
/// shows the day as it was, and an article from its future would contradict
/// it. The editor is told, so that a typo in the date is not silent.
pub fn hold_back_future_articles(m: &mut Model, as_of: Date, diags: &mut Diagnostics) {
    m.articles.retain(|a| {
        if a.date <= as_of {
            return true;
        }
        diags.warning(
            a.date_loc.clone(),
            msg!(
                "article.future",
                date = fmt_date(a.date),
                as_of = fmt_date(as_of)
            ),
        );
        false
    });
}

fn page(m: &mut Model, md: &MarkdownSource<RawPageMeta>, diags: &mut Diagnostics) {
    let mut cx = Cx::new(&md.source, m, diags);
    let f = &md.source.doc;
    let head = Loc::new(cx.file, 1, 1);
    let name = markdown_name(&mut cx, md);
    let title = cx.required(&f.title, "title", &head, "what.page");
    let menu = f
        .menu
        .as_ref()
        .and_then(|v| match v.value.trim().parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                let at = cx.loc(v);
                cx.err(at, msg!("page.menu", value = &v.value));
                None
            }
        });
    if let Some((slug, _)) = &name
        && RESERVED_SLUGS.contains(&slug.as_str())
    {
        cx.err(Loc::file(cx.file), msg!("page.reserved", slug));
        return;
    }
    check_body(&mut cx, &md.body, md.body_line);
    let (Some((slug, lang)), Some(title)) = (name, title) else {
        return;
    };
    m.pages.push(Page {
        slug,
        lang,
        title,
        menu,
        description: cx.text(&f.description),
        body: nfc(&md.body),
        file: Arc::clone(cx.file),
        body_line: md.body_line,
    });
}
