//! The scalar reader of the model stage: text, ids, dates, numbers,
//! keywords and references of one file, each problem recorded at its place.

use super::*;

/// Reads scalars of one file, recording problems at their places.
pub(super) struct Cx<'a> {
    pub(super) file: &'a Arc<str>,
    pub(super) off: u64,
    pub(super) d: &'a mut Diagnostics,
    /// Kinds of id whose file failed to parse: unknown references to them
    /// are not reported, since the ids may well exist.
    pub(super) unparsed: HashSet<&'static str>,
}

impl<'a> Cx<'a> {
    pub(super) fn new<T>(src: &'a Source<T>, m: &Model, d: &'a mut Diagnostics) -> Self {
        Cx {
            file: &src.file,
            off: src.line_offset,
            d,
            unparsed: m.unparsed.clone(),
        }
    }

    pub(super) fn loc<U>(&self, s: &Spanned<U>) -> Loc {
        let line = s.referenced.line();
        Loc::new(
            self.file,
            if line == 0 { 0 } else { line + self.off },
            s.referenced.column(),
        )
    }

    pub(super) fn err(&mut self, loc: Loc, msg: Message) {
        self.d.error(loc, msg);
    }

    /// Optional text: NFC, trimmed, `None` when empty. A control character
    /// (or its spreadsheet escape, `_x000B_`) is an error where the text is
    /// written, a bidirectional override a warning.
    pub(super) fn text(&mut self, v: &Option<S>) -> Option<String> {
        let s = v.as_ref()?;
        self.check_characters(s);
        Some(nfc(s.value.trim())).filter(|s| !s.is_empty())
    }

    /// An id or reference that holds an invisible character (copied from a
    /// document: a zero-width or non-breaking space) is named as such,
    /// since it looks right on screen. True when it does (and was
    /// reported).
    pub(super) fn invisible(&mut self, v: &S) -> bool {
        let Some(c) = v
            .value
            .trim_matches(' ')
            .chars()
            .find(|&c| crate::text::invisible_name(c).is_some())
        else {
            return false;
        };
        let name = crate::text::invisible_name(c).map_or(word("what.id"), word);
        let loc = self.loc(v);
        let id = v
            .value
            .trim()
            .replace(|c| crate::text::invisible_name(c).is_some(), "");
        self.err(
            loc,
            msg!(
                "text.invisible_in_id",
                id,
                name,
                code = crate::load::code_point(c)
            ),
        );
        true
    }

    /// Characters no page may show, and characters that make a text show
    /// something else, in a text written at `s`.
    pub(super) fn check_characters(&mut self, s: &S) {
        let text = s.value.as_str();
        // Nearly every text has none of the bytes these characters start
        // with (C1 controls: 0xC2; U+2028, U+2029 and the bidi controls:
        // 0xE2; escapes: `_`): one pass over the bytes decides.
        let plain = |b: u8| {
            (b >= 0x20 || matches!(b, b'\t' | b'\n' | b'\r'))
                && !matches!(b, 0x7f | 0xc2 | 0xe2 | b'_')
        };
        if text.bytes().all(plain) {
            return;
        }
        let code = crate::load::code_point;
        if let Some(c) = text.chars().find(|&c| crate::text::is_forbidden_control(c)) {
            let loc = self.loc(s);
            self.err(loc, msg!("text.control_char", code = code(c)));
        } else if let Some((i, c)) = crate::text::spreadsheet_escape(text) {
            let loc = self.loc(s);
            let escape = &text[i..i + 7];
            self.err(loc, msg!("text.spreadsheet_escape", escape, code = code(c)));
        }
        if let Some(c) = text.chars().find(|&c| crate::text::is_bidi_control(c)) {
            let loc = self.loc(s);
            self.d.warning(loc, msg!("text.bidi", code = code(c)));
        }
    }

    /// A required key's value, or an error at `parent` naming the key.
    pub(super) fn present<'v>(
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
    pub(super) fn required(
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
    pub(super) fn id(&mut self, v: &Option<S>, parent: &Loc, what: &'static str) -> Option<String> {
        let id = self.required(v, "id", parent, what)?;
        self.check_id(v.as_ref()?, &id, "what.id")
    }

    pub(super) fn check_id(&mut self, at: &S, id: &str, what: &'static str) -> Option<String> {
        if is_valid_id(id) {
            Some(id.to_string())
        } else if self.invisible(at) {
            None
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

    pub(super) fn date(&mut self, v: &S) -> Option<Date> {
        match parse_date(&nfc(&v.value)) {
            Ok(d) => Some(d),
            Err(e) => {
                let loc = self.loc(v);
                self.err(loc, e);
                None
            }
        }
    }

    pub(super) fn required_date(
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

    pub(super) fn deadline(&mut self, v: &S) -> Option<Deadline> {
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
    pub(super) fn period(&mut self, v: &S) -> Option<Period> {
        let p = Period::parse_written(&nfc(&v.value));
        if p.is_none() {
            let loc = self.loc(v);
            self.err(loc, msg!("report.period_invalid", value = v.value.trim()));
        }
        p
    }

    /// A number: `80`, `78.5`, `78,5` or `"80%"`.
    pub(super) fn number(&mut self, v: &S, key: &str) -> Option<f64> {
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
    pub(super) fn keyword<T: Copy>(
        &mut self,
        v: &S,
        key: &str,
        options: &[(&str, T)],
    ) -> Option<T> {
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
    pub(super) fn reference<I>(
        &mut self,
        v: &S,
        what: &str,
        known: &HashMap<String, I>,
    ) -> Option<String> {
        let id = v.value.trim();
        if known.contains_key(id) {
            return Some(id.to_string());
        }
        if self.unparsed.contains(what) || self.invisible(v) {
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

    pub(super) fn references<I>(
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

    /// References to tasks, by their id or by an earlier one (`formerly`):
    /// a report or article written before a task was renamed keeps the old
    /// id and names the task as it is now.
    pub(super) fn task_references<I>(
        &mut self,
        v: &[S],
        m: &Model,
        known: &HashMap<String, I>,
    ) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for s in v {
            let now = match m.formerly_ix.get(s.value.trim()) {
                Some(&i) => m.tasks.get(i).map(|t| t.id.clone()),
                None => self.reference(s, "task", known),
            };
            if let Some(id) = now
                && !out.contains(&id)
            {
                out.push(id);
            }
        }
        out
    }

    pub(super) fn texts(&mut self, v: &Option<Vec<S>>) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for s in v.iter().flatten() {
            self.check_characters(s);
            let t = nfc(s.value.trim());
            if !t.is_empty() && !out.contains(&t) {
                out.push(t);
            }
        }
        out
    }

    /// A link given by an editor: http(s), mailto, or a path on the site.
    pub(super) fn link(&mut self, v: &Option<S>, key: &str) -> Option<String> {
        let s = v.as_ref()?;
        self.check_characters(s);
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
pub(super) fn looks_like_thousands(s: &str) -> bool {
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

#[cfg(test)]
mod tests {
    use super::super::testing::{run, said};

    const PLAN: &str = "content/plans/ke-hoach.yaml";

    fn plan_titled(title: &str) -> String {
        format!(
            "id: ke-hoach\ntitle: {title}\nissued: 2025-02-25\ntasks:\n  - id: viec-mot\n    title: Việc một\n    incomplete: x\n"
        )
    }

    #[test]
    fn control_characters_are_refused_where_the_text_is_written() {
        for title in [
            "\"Kế hoạch\\u0007\"",
            "\"Kế hoạch\\e[31m\"",
            "Kế hoạch_x000B_",
        ] {
            let (_, lines) = run(&[(PLAN, &plan_titled(title))]);
            assert!(
                said(&lines, &["ke-hoach.yaml:2:8: error", "control character"]),
                "{title}: {lines:#?}"
            );
        }
    }

    #[test]
    fn a_control_character_in_a_link_is_refused() {
        let report = "agency: so-mot\nperiod: 2025-03\nsubmitted: 2025-03-19\nupdates:\n  - task: viec-mot\n    state: in_progress\n    evidence: \"https://example.org/a\\u0007\"\n";
        let (_, lines) = run(&[("content/reports/2025-03/so-mot.yaml", report)]);
        assert!(
            said(&lines, &["so-mot.yaml:7:15: error", "U+0007"]),
            "{lines:#?}"
        );
    }

    #[test]
    fn a_bidi_override_in_a_title_is_a_warning() {
        let (_, lines) = run(&[(PLAN, &plan_titled("\"Kế hoạch \\u202E321\""))]);
        assert!(
            said(&lines, &["ke-hoach.yaml:2:8: warning", "U+202E"]),
            "{lines:#?}"
        );
        assert!(!said(&lines, &["ke-hoach.yaml:2:8: error"]), "{lines:#?}");
    }

    #[test]
    fn an_invisible_character_in_a_reference_is_named() {
        let report = "agency: so-mot\nperiod: 2025-03\nsubmitted: 2025-03-19\nupdates:\n  - task: \"viec-mot\\u200B\"\n    state: in_progress\n";
        let (_, lines) = run(&[("content/reports/2025-03/so-mot.yaml", report)]);
        assert!(
            said(
                &lines,
                &["so-mot.yaml:5:11: error", "zero-width space (U+200B)"]
            ),
            "{lines:#?}"
        );
    }
}
