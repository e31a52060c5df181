//! Part of editor, YAML edited as text: one key of a block mapping set to a
//! new text, on the lines right after a sibling key's entry or in place of
//! its own, every other line of the file (comments, order, quoting, blank
//! lines, line endings) kept byte for byte. `import` of a translators'
//! workbook writes `title_en:` after `title:` with it. Pure; what it writes
//! is read back by the caller, never trusted.

use super::in_place::scalar_len;

/// Where the mapping to edit is in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mapping {
    /// The file's top-level mapping (site.yaml, a plan's file).
    Top,
    /// A mapping whose first key is at this line and column (1-based,
    /// the column in characters), as the loader locates a task or a KPI.
    At { line: u64, column: u64 },
}

/// One key to set: `key` (`title_en`) to `value`, after the entry of
/// `after` (`title`) when it is not there yet.
#[derive(Debug, Clone, PartialEq)]
pub struct SetKey<'a> {
    pub mapping: Mapping,
    pub after: &'a str,
    pub key: &'a str,
    pub value: &'a str,
}

/// Why a key could not be set; the line is 1-based.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditError {
    /// No mapping starts where the model says (the file changed since).
    NoMapping { line: u64 },
    /// The mapping is written `{ key: value, ... }`: a line cannot be added.
    Flow { line: u64 },
    /// The mapping has no `after` key to put the new one beside.
    NoKey { line: u64 },
}

/// A line's indentation in spaces and the text after it.
fn indent(line: &str) -> (usize, &str) {
    let rest = line.trim_start_matches(' ');
    (line.len() - rest.len(), rest)
}

/// Whether a line holds nothing but a comment or blanks.
fn is_blank_or_comment(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#')
}

/// The key of a `key: value` (or `key:`) text, quotes removed.
fn key_of(rest: &str) -> Option<&str> {
    let colon = rest.char_indices().find(|&(i, c)| {
        c == ':'
            && rest[i + 1..]
                .chars()
                .next()
                .is_none_or(|n| n == ' ' || n == '\t' || n == '\r' || n == '\n')
    })?;
    let key = rest[..colon.0].trim_end();
    let unquoted = key
        .strip_prefix('"')
        .and_then(|k| k.strip_suffix('"'))
        .or_else(|| key.strip_prefix('\'').and_then(|k| k.strip_suffix('\'')));
    Some(unquoted.unwrap_or(key))
}

/// The mapping's keys: (line index, key), and the indentation of its keys.
fn keys(lines: &[&str], mapping: Mapping) -> Result<(Vec<(usize, String)>, usize), EditError> {
    let (first, key_indent) = match mapping {
        Mapping::Top => {
            let first = lines
                .iter()
                .position(|l| {
                    !is_blank_or_comment(l) && !l.starts_with("---") && !l.starts_with('%')
                })
                .ok_or(EditError::NoMapping { line: 1 })?;
            (first, 0)
        }
        Mapping::At { line, column } => {
            let at = usize::try_from(line)
                .ok()
                .and_then(|l| l.checked_sub(1))
                .filter(|&l| l < lines.len())
                .ok_or(EditError::NoMapping { line })?;
            let column = usize::try_from(column)
                .ok()
                .and_then(|c| c.checked_sub(1))
                .ok_or(EditError::NoMapping { line })?;
            let text = lines[at];
            let before: String = text.chars().take(column).collect();
            if before.contains(['{', '[']) {
                return Err(EditError::Flow { line });
            }
            // Block indentation is spaces and sequence dashes only.
            if !before.chars().all(|c| c == ' ' || c == '-') {
                return Err(EditError::NoMapping { line });
            }
            (at, column)
        }
    };
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate().skip(first) {
        let (n, rest) = if i == first {
            let skip: usize = line.chars().take(key_indent).map(char::len_utf8).sum();
            (key_indent, line.get(skip..).unwrap_or(""))
        } else {
            indent(line)
        };
        if is_blank_or_comment(rest) {
            continue;
        }
        if n < key_indent || (i > first && mapping == Mapping::Top && rest.starts_with("---")) {
            break;
        }
        if n > key_indent || rest.starts_with("- ") || rest.trim_end() == "-" {
            continue;
        }
        if i == first && rest.starts_with('{') {
            return Err(EditError::Flow { line: i as u64 + 1 });
        }
        if let Some(k) = key_of(rest) {
            out.push((i, k.to_string()));
        }
    }
    if out.is_empty() {
        return Err(EditError::NoMapping {
            line: first as u64 + 1,
        });
    }
    Ok((out, key_indent))
}

/// The end (exclusive line index) of the entry whose key is on line `k`
/// at indentation `n`: its value's last line that is not blank. A comment
/// as far left as the key belongs to what follows.
fn entry_end(lines: &[&str], k: usize, n: usize) -> usize {
    let mut end = k + 1;
    for (j, line) in lines.iter().enumerate().skip(k + 1) {
        let (i, rest) = indent(line);
        if rest.trim().is_empty() {
            continue;
        }
        let own = i > n || (i == n && (rest.starts_with("- ") || rest.trim_end() == "-"));
        if !own {
            break;
        }
        end = j + 1;
    }
    end
}

/// Whether `s` may be written as a plain YAML scalar and read back as the
/// same text: no indicator first, no `: ` or ` #` inside, nothing YAML
/// reads as another type (`yes`, `2025`, `null`).
fn plain_ok(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    let special = matches!(
        s.to_ascii_lowercase().as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n" | "null" | "~"
    );
    let indicator =
        first.is_whitespace() || first.is_ascii_digit() || "-?:,[]{}#&*!|>'\"%@`+.".contains(first);
    let breaks = s.ends_with(|c: char| c.is_whitespace() || c == ':')
        || s.contains(": ")
        || s.contains(" #")
        || s.contains(['\t', '\n', '\r'])
        || s.chars()
            .any(|c| c.is_control() || crate::text::is_forbidden_control(c));
    !(special || indicator || breaks)
}

/// The lines of `key: value` at indentation `n`: a plain or double-quoted
/// scalar on one line, a literal block (`|-`) for text of several lines.
pub fn entry_lines(n: usize, key: &str, value: &str, eol: &str) -> Vec<String> {
    let pad = " ".repeat(n);
    if !value.contains('\n') {
        let v = if plain_ok(value) {
            value.to_string()
        } else {
            serde_json::Value::String(value.to_string()).to_string()
        };
        return vec![format!("{pad}{key}: {v}{eol}")];
    }
    // An indentation indicator when the first line starts with a space,
    // which YAML would otherwise take for the block's indentation.
    let first = value.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let indicator = if first.starts_with(' ') { "2" } else { "" };
    let mut out = vec![format!("{pad}{key}: |{indicator}-{eol}")];
    for line in value.split('\n') {
        if line.trim().is_empty() {
            out.push(eol.to_string());
        } else {
            out.push(format!("{pad}  {line}{eol}"));
        }
    }
    out
}

/// A comment after a one-line scalar value (`title_en: x  # checked`),
/// with the spaces before it: kept when that value is replaced.
fn trailing_comment(line: &str, key: &str) -> Option<String> {
    let (_, rest) = indent(line);
    let after = rest.strip_prefix(key)?.trim_start().strip_prefix(':')?;
    let value = after.trim_start();
    let start = rest.len() - value.len();
    let len = scalar_len(value, false)?;
    let tail = rest[start + len..].trim_end_matches(['\r', '\n']);
    tail.trim_start().starts_with('#').then(|| tail.to_string())
}

/// One edit as lines: replace `lines[from..to]` with `new`.
type Splice = (usize, usize, Vec<String>);

fn splice(lines: &[&str], e: &SetKey, eol: &str) -> Result<Splice, EditError> {
    let (keys, n) = keys(lines, e.mapping)?;
    let line_of = |mapping: Mapping| match mapping {
        Mapping::Top => 1,
        Mapping::At { line, .. } => line,
    };
    let mut new = entry_lines(n, e.key, e.value, eol);
    if let Some(&(k, _)) = keys.iter().find(|(_, key)| key == e.key) {
        let end = entry_end(lines, k, n);
        if end == k + 1
            && new.len() == 1
            && let Some(c) = trailing_comment(lines[k], e.key)
        {
            let line = new[0].trim_end_matches(['\r', '\n']).to_string();
            new[0] = format!("{line}{c}{eol}");
        }
        return Ok((k, end, new));
    }
    let &(k, _) = keys
        .iter()
        .find(|(_, key)| key == e.after)
        .ok_or(EditError::NoKey {
            line: line_of(e.mapping),
        })?;
    let end = entry_end(lines, k, n);
    Ok((end, end, new))
}

/// `text` with every key of `edits` set. On the first edit that cannot be
/// made, its index and why.
pub fn set_keys(text: &str, edits: &[SetKey]) -> Result<String, (usize, EditError)> {
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut splices = Vec::with_capacity(edits.len());
    for (i, e) in edits.iter().enumerate() {
        splices.push(splice(&lines, e, eol).map_err(|err| (i, err))?);
    }
    let mut out: Vec<String> = lines.iter().map(|l| (*l).to_string()).collect();
    // A last line without its line ending gets one before lines follow it.
    if let Some(last) = out.last_mut()
        && !last.ends_with('\n')
        && splices.iter().any(|(from, _, _)| *from == lines.len())
    {
        last.push_str(eol);
    }
    // Bottom up, so that no splice moves the lines of another; at one
    // place, a replacement before an insertion.
    splices.sort_by_key(|(from, to, _)| std::cmp::Reverse((*from, *to)));
    for (from, to, new) in splices {
        out.splice(from..to, new);
    }
    Ok(out.concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(text: &str, mapping: Mapping, after: &str, key: &str, value: &str) -> String {
        set_keys(
            text,
            &[SetKey {
                mapping,
                after,
                key,
                value,
            }],
        )
        .unwrap()
    }

    const PLAN: &str = "# Kế hoạch\nid: kh\ntitle: Kế hoạch   # tên\nissued: 2025-02-18\n\ntasks:\n  - id: a\n    title: >-\n      Việc một,\n      hai dòng\n    # chú thích\n    lead: so-a\n  - id: b\n    title: Việc hai\n    title_en: Old  # checked\n    lead: so-b\n";

    #[test]
    fn a_key_goes_after_its_sibling_and_nothing_else_moves() {
        let out = set(
            PLAN,
            Mapping::At { line: 7, column: 5 },
            "title",
            "title_en",
            "Task one",
        );
        assert_eq!(
            out,
            PLAN.replace(
                "      hai dòng\n",
                "      hai dòng\n    title_en: Task one\n"
            )
        );
        let top = set(PLAN, Mapping::Top, "title", "title_en", "A plan: the first");
        assert_eq!(
            top,
            PLAN.replace("# tên\n", "# tên\ntitle_en: \"A plan: the first\"\n")
        );
    }

    #[test]
    fn an_existing_key_is_replaced_with_its_comment_kept() {
        let out = set(
            PLAN,
            Mapping::At {
                line: 13,
                column: 5,
            },
            "title",
            "title_en",
            "Task two",
        );
        assert_eq!(
            out,
            PLAN.replace("title_en: Old  # checked", "title_en: Task two  # checked")
        );
        let block = set(
            PLAN,
            Mapping::At {
                line: 13,
                column: 5,
            },
            "title",
            "title_en",
            "Two\n\n  lines",
        );
        assert!(
            block.contains("    title_en: |-\n      Two\n\n        lines\n    lead: so-b\n"),
            "{block}"
        );
    }

    #[test]
    fn text_yaml_would_misread_is_quoted() {
        for (value, written) in [
            ("yes", "\"yes\""),
            ("2025 roadmap", "\"2025 roadmap\""),
            ("- a list?", "\"- a list?\""),
            ("Note: done", "\"Note: done\""),
            ("Plain words, fine", "Plain words, fine"),
            ("Say \"hi\" first", "Say \"hi\" first"),
            ("Item #1", "\"Item #1\""),
            ("Hải Dương", "Hải Dương"),
        ] {
            assert_eq!(
                entry_lines(0, "k", value, "\n"),
                vec![format!("k: {written}\n")]
            );
        }
    }

    #[test]
    fn line_endings_and_a_missing_last_newline_are_respected() {
        let crlf = "id: a\r\ntitle: T";
        assert_eq!(
            set(crlf, Mapping::Top, "title", "title_en", "E"),
            "id: a\r\ntitle: T\r\ntitle_en: E\r\n"
        );
    }

    #[test]
    fn flow_mappings_and_missing_keys_are_refused() {
        let flow = "updates:\n  - { task: a, note: x }\n";
        let e = SetKey {
            mapping: Mapping::At { line: 2, column: 7 },
            after: "note",
            key: "note_en",
            value: "y",
        };
        assert_eq!(set_keys(flow, &[e]), Err((0, EditError::Flow { line: 2 })));
        let e = SetKey {
            mapping: Mapping::Top,
            after: "summary",
            key: "summary_en",
            value: "y",
        };
        assert_eq!(set_keys(PLAN, &[e]), Err((0, EditError::NoKey { line: 1 })));
    }

    #[test]
    fn sequences_at_the_keys_indentation_belong_to_their_key() {
        let text = "tasks:\n- id: a\n  title: T\nkpis: []\n";
        assert_eq!(
            set(
                text,
                Mapping::At { line: 2, column: 3 },
                "title",
                "title_en",
                "E"
            ),
            "tasks:\n- id: a\n  title: T\n  title_en: E\nkpis: []\n"
        );
    }
}
