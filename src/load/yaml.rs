//! YAML as editors write it: the parser's options, and the mistakes it
//! would report in its own words (a tab or an invisible space in the
//! indentation, a colon or a decimal comma inside a value, an unknown key,
//! a control character, an empty file), each explained at its place.

use crate::diag::{Diagnostics, Loc, Message, did_you_mean, word};
use crate::msg;
use serde::de::DeserializeOwned;
use std::sync::Arc;

fn yaml_options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        strict_booleans: true,
        budget: serde_saphyr::budget! {
            max_nodes: 5_000_000,
            max_depth: 200,
        },
    }
}

/// Parses one YAML document; on failure records one located error.
pub fn parse_yaml<T: DeserializeOwned>(
    file: &Arc<str>,
    text: &str,
    line_offset: u64,
    diags: &mut Diagnostics,
) -> Option<T> {
    // A tab in the indentation is the mistake; the parser would name a
    // later place, in its own words.
    if let Some((line, column)) = tab_in_indentation(text) {
        diags.error(Loc::new(file, line + line_offset, column), msg!("yaml.tab"));
        return None;
    }
    // A non-breaking or zero-width space looks like a space and is not
    // one: the parser would speak of a key nobody sees.
    if let Some((line, column, c)) = invisible_in_indentation(text) {
        let name = crate::text::invisible_name(c).map_or(word("what.id"), word);
        diags.error(
            Loc::new(file, line + line_offset, column),
            msg!("yaml.invisible_indent", name, code = code_point(c)),
        );
        return None;
    }
    match serde_saphyr::from_str_with_options::<T>(text, yaml_options()) {
        Ok(v) => Some(v),
        Err(e) => {
            let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
            let message = explain_yaml_error(&e.without_snippet().to_string());
            let message = decimal_comma_in_braces(text, line, column).unwrap_or(message);
            let (line, column) = match message.key {
                "yaml.decimal_comma" => (line, column.saturating_sub(1)),
                // The parser stops after the colon; the mistake is the
                // colon inside the value, on the line where it stops.
                "yaml.colon_in_value" => colon_in_value(text, line).unwrap_or((line, column)),
                _ => (line, column),
            };
            let line = if line == 0 { 0 } else { line + line_offset };
            diags.error(Loc::new(file, line, column), message);
            None
        }
    }
}

/// `{ value: 52,5 }`: inside braces the comma ends the value, and the
/// parser sees a key `5`. Explains it when the "key" at (line, column) is
/// digits right after `<digits>,` inside `{ }`.
fn decimal_comma_in_braces(text: &str, line: u64, column: u64) -> Option<Message> {
    let l: Vec<char> = text
        .lines()
        .nth(line.checked_sub(1)? as usize)?
        .chars()
        .collect();
    let start = column.checked_sub(1)? as usize;
    let after: String = l
        .get(start..)?
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    let before = l.get(..start)?;
    if after.is_empty() || before.last() != Some(&',') || !before.contains(&'{') {
        return None;
    }
    let head: String = before[..before.len() - 1]
        .iter()
        .rev()
        .take_while(|c| c.is_ascii_digit())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    if head.is_empty() {
        return None;
    }
    let written = format!("{head},{after}");
    let dot = format!("{head}.{after}");
    Some(msg!("yaml.decimal_comma", written, head, after, dot))
}

/// The first line (1-based) whose indentation holds a tab, and the column.
fn tab_in_indentation(text: &str) -> Option<(u64, u64)> {
    text.lines().enumerate().find_map(|(i, line)| {
        let indent: &str = &line[..line.len() - line.trim_start().len()];
        indent
            .chars()
            .position(|c| c == '\t')
            .map(|col| (i as u64 + 1, col as u64 + 1))
    })
}

/// The first invisible character ([`crate::text::invisible_name`]) at the
/// start of a line, among its indentation: (line, column, character).
fn invisible_in_indentation(text: &str) -> Option<(u64, u64, char)> {
    text.lines().enumerate().find_map(|(i, line)| {
        line.chars()
            .take_while(|&c| c == ' ' || c == '\t' || crate::text::invisible_name(c).is_some())
            .enumerate()
            .find(|(_, c)| crate::text::invisible_name(*c).is_some())
            .map(|(col, c)| (i as u64 + 1, col as u64 + 1, c))
    })
}

/// The first control character no page may show
/// ([`crate::text::is_forbidden_control`]) written as such in a file:
/// (line, column, character).
pub(super) fn control_character(text: &str) -> Option<(u64, u64, char)> {
    let at = text.find(crate::text::is_forbidden_control)?;
    let before = &text[..at];
    let line = before.matches('\n').count() as u64 + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let c = text[at..].chars().next()?;
    Some((line, before[start..].chars().count() as u64 + 1, c))
}

/// `U+00A0`: how a character is named to be found in an editor.
pub fn code_point(c: char) -> String {
    format!("U+{:04X}", c as u32)
}

/// A YAML file with nothing in it but blank lines and comments.
pub(super) fn is_empty_yaml(text: &str) -> bool {
    text.lines().all(|l| {
        let l = l.trim();
        l.is_empty() || l.starts_with('#') || l == "---" || l == "..."
    })
}

/// Where a second `: ` sits in the value of `key: value` on `line`, or on
/// the nearest line before it that has one.
fn colon_in_value(text: &str, line: u64) -> Option<(u64, u64)> {
    let lines: Vec<&str> = text.lines().collect();
    let last = (line as usize).min(lines.len());
    (1..=last).rev().find_map(|n| {
        let l = lines[n - 1];
        let first = l.find(": ")?;
        let value = &l[first + 2..];
        if value.trim_start().starts_with(['"', '\'', '{', '[']) {
            return None;
        }
        let second = value
            .find(": ")
            .or_else(|| value.strip_suffix(':').map(|v| v.len()))?;
        let column = l[..first + 2 + second].chars().count() as u64 + 1;
        Some((n as u64, column))
    })
}

/// serde-saphyr's message, without the position (we print our own) and with
/// a "did you mean" for unknown keys.
fn explain_yaml_error(message: &str) -> Message {
    let mut msg = message.trim().to_string();
    if let Some(i) = msg.rfind(" at line ")
        && msg[i..].contains(", column ")
    {
        msg.truncate(i);
    }
    if let Some(rest) = msg.strip_prefix("unknown field `")
        && let Some((key, tail)) = rest.split_once('`')
    {
        let expected: Vec<String> = tail
            .split_once("expected one of ")
            .or_else(|| tail.split_once("expected "))
            .map(|(_, list)| {
                list.split(", ")
                    .map(|k| k.trim_matches('`').trim().to_string())
                    .collect()
            })
            .unwrap_or_default();
        let hint = did_you_mean(key, expected.iter().map(String::as_str));
        return match hint {
            Some(hint) => msg!("yaml.unknown_key", key, hint),
            None if !expected.is_empty() => {
                msg!(
                    "yaml.unknown_key_allowed",
                    key,
                    allowed = expected.join(", ")
                )
            }
            None => msg!("yaml.unknown_key_none", key),
        };
    }
    if let Some(rest) = msg.strip_prefix("duplicate mapping key: ") {
        let key = rest.split(',').next().unwrap_or(rest);
        return msg!("yaml.duplicate_key", key);
    }
    if msg.starts_with("expected string scalar") {
        return msg!("yaml.expected_scalar");
    }
    if msg.starts_with("expected sequence start") {
        return msg!("yaml.expected_list");
    }
    if msg.starts_with("expected mapping start") {
        return msg!("yaml.expected_mapping");
    }
    if msg.contains("mapping values are not allowed") {
        return msg!("yaml.colon_in_value");
    }
    msg!("yaml.syntax", detail = msg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Lang;

    #[test]
    fn unknown_keys_get_a_suggestion() {
        assert_eq!(
            explain_yaml_error(
                "unknown field `progres`, expected one of `task`, `progress`, `state` at line 4, column 5"
            )
            .render(Lang::En),
            "unknown key `progres`; did you mean `progress`?"
        );
        assert_eq!(
            explain_yaml_error("unknown field `zzz`, expected one of task, state").render(Lang::En),
            "unknown key `zzz`; the keys allowed here are task, state"
        );
    }

    #[test]
    fn tabs_and_colons_are_found_where_they_are() {
        assert_eq!(tab_in_indentation("a: 1\nb:\n\t- x\n"), Some((3, 1)));
        assert_eq!(tab_in_indentation("a: \"x\ty\"\n"), None);
        assert_eq!(
            colon_in_value("id: a\ntitle: Kế hoạch: giai đoạn 2\n", 2),
            Some((2, 16))
        );
        assert_eq!(colon_in_value("title: \"A: B\"\n", 1), None);
    }

    #[test]
    fn decimal_comma_in_braces_is_explained() {
        let text = "a:\n  baseline: { date: 2024-12-31, value: 50,5 }\n";
        let m = decimal_comma_in_braces(text, 2, 43).map(|m| m.render(Lang::En));
        assert_eq!(
            m.as_deref(),
            Some(
                "inside { } a comma separates entries, so `50,5` reads as 50 and a key `5`: write 50.5, or put the number in quotes (\"50,5\")"
            )
        );
        assert!(decimal_comma_in_braces("a: [1,5]\n", 1, 7).is_none());
    }
}
