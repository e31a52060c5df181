//! Diagnostics shared by every stage: a content problem with the place it
//! comes from (file, line, column), collected rather than thrown, then sorted
//! and printed all at once as `path:line:column: error: message`.

use std::fmt;
use std::sync::Arc;

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
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}: {}: {}", self.loc, level, self.message)
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

    pub fn error(&mut self, loc: Loc, message: impl Into<String>) {
        self.items.push(Diagnostic {
            loc,
            severity: Severity::Error,
            message: message.into(),
        });
    }

    pub fn warning(&mut self, loc: Loc, message: impl Into<String>) {
        self.items.push(Diagnostic {
            loc,
            severity: Severity::Warning,
            message: message.into(),
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
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let score = strsim::normalized_damerau_levenshtein(word, c);
        if score >= 0.6 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, c));
        }
    }
    match best {
        Some((_, c)) => format!("; did you mean `{c}`?"),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_candidates_only() {
        assert_eq!(
            did_you_mean("so-tttt", ["so-khcn", "so-ttt"]),
            "; did you mean `so-ttt`?"
        );
        assert_eq!(
            did_you_mean("progres", ["progress", "state"]),
            "; did you mean `progress`?"
        );
        assert_eq!(did_you_mean("zzz", ["progress", "state"]), "");
    }

    #[test]
    fn sorts_by_place_and_drops_repeats() {
        let f: Arc<str> = Arc::from("b.yaml");
        let g: Arc<str> = Arc::from("a.yaml");
        let mut d = Diagnostics::new();
        d.error(Loc::new(&f, 3, 1), "x");
        d.warning(Loc::new(&g, 9, 1), "y");
        d.error(Loc::new(&f, 3, 1), "x");
        let out: Vec<String> = d.sorted().iter().map(|d| d.to_string()).collect();
        assert_eq!(out, ["a.yaml:9:1: warning: y", "b.yaml:3:1: error: x"]);
    }
}
