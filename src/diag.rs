//! Diagnostics shared by every stage: a content problem with the place it
//! comes from (file, line, column), collected rather than thrown, then sorted
//! and printed all at once as `path:line:column: error: message`.
//!
//! A problem carries a message key and its arguments ([`Message`], built
//! with [`msg!`](crate::msg)), never a sentence: the sentence comes from the
//! catalogue of the language chosen when it is printed (`src/messages/`).

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, OnceLock};

/// The language messages are printed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Vi, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code.trim().to_lowercase().as_str() {
            "vi" => Some(Lang::Vi),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    fn source(self) -> &'static str {
        match self {
            Lang::Vi => include_str!("messages/vi.yaml"),
            Lang::En => include_str!("messages/en.yaml"),
        }
    }
}

/// The catalogue of one language: key -> text with `{name}` placeholders.
pub fn catalogue(lang: Lang) -> &'static BTreeMap<String, String> {
    static CATALOGUES: [OnceLock<BTreeMap<String, String>>; 2] = [OnceLock::new(), OnceLock::new()];
    CATALOGUES[lang as usize].get_or_init(|| {
        serde_saphyr::from_str::<BTreeMap<String, String>>(lang.source()).unwrap_or_default()
    })
}

/// One argument of a message: text as written (paths, keys, values), or
/// another message rendered in the same language (a hint, a thing's name).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Arg {
    Text(String),
    Msg(Box<Message>),
    /// Nothing: an optional hint that does not apply.
    Empty,
}

/// Turns a value into a message argument; `msg!` calls it on each value.
pub trait IntoArg {
    fn into_arg(self) -> Arg;
}

impl<T: fmt::Display> IntoArg for T {
    fn into_arg(self) -> Arg {
        Arg::Text(self.to_string())
    }
}

impl IntoArg for Message {
    fn into_arg(self) -> Arg {
        Arg::Msg(Box::new(self))
    }
}

/// An optional part of a message (a hint that may not apply): nothing
/// when `None`.
pub struct Maybe(pub Option<Message>);

impl IntoArg for Maybe {
    fn into_arg(self) -> Arg {
        self.0.map_or(Arg::Empty, |m| Arg::Msg(Box::new(m)))
    }
}

/// A message key and its named arguments.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Message {
    pub key: &'static str,
    pub args: Vec<(&'static str, Arg)>,
}

/// `msg!("report.no_updates")`, `msg!("ref.unknown", what = x, id, hint)`:
/// a [`Message`]; a bare name passes
/// the variable of that name.
#[macro_export]
macro_rules! msg {
    ($key:literal $(, $name:ident $(= $val:expr)?)* $(,)?) => {
        $crate::diag::Message {
            key: $key,
            args: vec![$((stringify!($name), $crate::diag::IntoArg::into_arg($crate::msg!(@v $name $($val)?)))),*],
        }
    };
    (@v $name:ident $val:expr) => { $val };
    (@v $name:ident) => { $name };
}

/// The name of a thing (`what.task`, `what.agency`...), as a message
/// without arguments, to pass into another message.
pub fn word(key: &'static str) -> Message {
    Message {
        key,
        args: Vec::new(),
    }
}

impl Message {
    /// The sentence in `lang`: the catalogue's text with every `{name}`
    /// replaced by its argument. A key missing from the catalogue (a test
    /// forbids it) prints as the key and its arguments.
    pub fn render(&self, lang: Lang) -> String {
        let arg = |name: &str| -> Option<String> {
            self.args
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, a)| match a {
                    Arg::Text(t) => t.clone(),
                    Arg::Msg(m) => m.render(lang),
                    Arg::Empty => String::new(),
                })
        };
        let Some(template) = catalogue(lang).get(self.key) else {
            let args: Vec<String> = self
                .args
                .iter()
                .map(|(n, _)| format!("{n}={}", arg(n).unwrap_or_default()))
                .collect();
            return format!("{} {}", self.key, args.join(" "));
        };
        let mut out = String::with_capacity(template.len() + 32);
        let mut rest = template.as_str();
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            match after.find('}') {
                Some(close)
                    if after[..close]
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_')
                        && close > 0 =>
                {
                    let name = &after[..close];
                    match arg(name) {
                        Some(v) => out.push_str(&v),
                        None => {
                            out.push('{');
                            out.push_str(name);
                            out.push('}');
                        }
                    }
                    rest = &after[close + 1..];
                }
                _ => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}

/// The `{name}` placeholders of a catalogue text, sorted.
pub fn placeholders(template: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close)
                if close > 0
                    && after[..close]
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_') =>
            {
                out.push(after[..close].to_string());
                rest = &after[close + 1..];
            }
            _ => rest = after,
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Where a value was written: a file relative to the site root, and a
/// 1-based line and column (0 when the whole file is meant).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Loc {
    pub file: Arc<str>,
    pub line: u64,
    pub column: u64,
}

impl Loc {
    pub fn new(file: &Arc<str>, line: u64, column: u64) -> Self {
        Loc {
            file: Arc::clone(file),
            line,
            column,
        }
    }

    /// The file as a whole, for problems with no better place.
    pub fn file(file: &Arc<str>) -> Self {
        Loc::new(file, 0, 0)
    }
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.file)
        } else {
            write!(f, "{}:{}:{}", self.file, self.line, self.column)
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    pub loc: Loc,
    pub severity: Severity,
    pub message: Message,
}

impl Diagnostic {
    /// `path:line:column: error: message` in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        let level = match self.severity {
            Severity::Error => crate::msg!("level.error"),
            Severity::Warning => crate::msg!("level.warning"),
        };
        format!(
            "{}: {}: {}",
            self.loc,
            level.render(lang),
            self.message.render(lang)
        )
    }
}

/// Every problem found so far. Stages push into it and keep going.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn error(&mut self, loc: Loc, message: Message) {
        self.items.push(Diagnostic {
            loc,
            severity: Severity::Error,
            message,
        });
    }

    pub fn warning(&mut self, loc: Loc, message: Message) {
        self.items.push(Diagnostic {
            loc,
            severity: Severity::Warning,
            message,
        });
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn error_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    pub fn warning_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Sorted by file, line and column, without exact repeats (an alias can
    /// make the same value, and so the same problem, appear twice).
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort();
        self.items.dedup();
        self.items
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
}

/// "did you mean `x`?" for a misspelt key or id, when one candidate is close.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<Message> {
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let score = strsim::normalized_damerau_levenshtein(word, c);
        if score >= 0.6 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, c));
        }
    }
    best.map(|(_, candidate)| crate::msg!("hint.did_you_mean", candidate))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn en(m: Option<Message>) -> String {
        m.map(|m| m.render(Lang::En)).unwrap_or_default()
    }

    #[test]
    fn suggests_close_candidates_only() {
        assert_eq!(
            en(did_you_mean("so-tttt", ["so-khcn", "so-ttt"])),
            "; did you mean `so-ttt`?"
        );
        assert_eq!(
            en(did_you_mean("progres", ["progress", "state"])),
            "; did you mean `progress`?"
        );
        assert_eq!(en(did_you_mean("zzz", ["progress", "state"])), "");
    }

    #[test]
    fn sorts_by_place_and_drops_repeats() {
        let f: Arc<str> = Arc::from("b.yaml");
        let g: Arc<str> = Arc::from("a.yaml");
        let mut d = Diagnostics::new();
        d.error(Loc::new(&f, 3, 1), crate::msg!("report.no_updates"));
        d.warning(Loc::new(&g, 9, 1), crate::msg!("report.no_updates"));
        d.error(Loc::new(&f, 3, 1), crate::msg!("report.no_updates"));
        let out: Vec<String> = d.sorted().iter().map(|d| d.render(Lang::En)).collect();
        assert_eq!(
            out,
            [
                "a.yaml:9:1: warning: the report has no updates and no KPI values",
                "b.yaml:3:1: error: the report has no updates and no KPI values"
            ]
        );
    }

    #[test]
    fn renders_arguments_and_nested_messages() {
        let hint = did_you_mean("so-tttt", ["so-ttt"]);
        let m = crate::msg!(
            "ref.unknown",
            what = crate::msg!("what.agency"),
            id = "so-tttt",
            hint = Maybe(hint)
        );
        assert_eq!(
            m.render(Lang::En),
            "unknown agency `so-tttt`; did you mean `so-ttt`?"
        );
        assert_eq!(
            m.render(Lang::Vi),
            "không có cơ quan `so-tttt`; có phải ý bạn là `so-ttt`?"
        );
    }

    /// Every key exists in both catalogues, with the same placeholders, and
    /// every key the code uses exists.
    #[test]
    fn catalogues_agree() {
        let vi = catalogue(Lang::Vi);
        let en = catalogue(Lang::En);
        assert!(vi.len() > 50, "the Vietnamese catalogue did not parse");
        let vi_keys: Vec<&String> = vi.keys().collect();
        let en_keys: Vec<&String> = en.keys().collect();
        assert_eq!(vi_keys, en_keys, "both catalogues have the same keys");
        for (k, v) in vi {
            assert_eq!(placeholders(v), placeholders(&en[k]), "arguments of `{k}`");
        }
        for key in used_keys() {
            assert!(
                vi.contains_key(&key),
                "`{key}` is used in the code but missing from the catalogues"
            );
        }
    }

    /// The keys of every `msg!` call in src/, and every `what.*` key.
    fn used_keys() -> Vec<String> {
        let mut keys = Vec::new();
        for entry in walkdir::WalkDir::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src")) {
            let Ok(entry) = entry else { continue };
            if entry.path().extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            for part in text.split("msg!(\"").skip(1) {
                if let Some(end) = part.find('"') {
                    keys.push(part[..end].to_string());
                }
            }
            for part in text.split("\"what.").skip(1) {
                if let Some(end) = part.find('"').filter(|&e| {
                    e > 0
                        && part[..e]
                            .bytes()
                            .all(|b| b.is_ascii_lowercase() || b == b'_')
                }) {
                    keys.push(format!("what.{}", &part[..end]));
                }
            }
        }
        assert!(keys.len() > 50, "msg! calls found in src/");
        keys
    }
}
