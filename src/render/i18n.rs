//! Languages of the portal and the theme's UI strings. Vietnamese is the
//! default and complete; English falls back to Vietnamese key by key.

use crate::date::{Deadline, Period};
use crate::status::Status;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Lang {
    Vi,
    En,
}

impl Lang {
    pub fn parse(code: &str) -> Option<Lang> {
        match code {
            "vi" => Some(Lang::Vi),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    /// Where the language's pages live, relative to the site root.
    pub fn prefix(self) -> &'static str {
        match self {
            Lang::Vi => "",
            Lang::En => crate::route::EN_ROOT,
        }
    }

    pub fn deadline(self, d: &Deadline) -> String {
        match self {
            Lang::Vi => d.label_vi(),
            Lang::En => d.label_en(),
        }
    }

    pub fn period(self, p: Period) -> String {
        match self {
            Lang::Vi => p.label_vi(),
            Lang::En => p.label_short(),
        }
    }

    /// A content field in this language, falling back to Vietnamese.
    pub fn pick<'a>(self, vi: &'a str, en: Option<&'a str>) -> &'a str {
        self.pick_lang(vi, en).0
    }

    /// The text of a field written in Vietnamese with an optional English
    /// version, and the language that text is in when it is not the page's
    /// (`"vi"` for a Vietnamese fallback on an English page), "" otherwise:
    /// the value of the `lang` attribute its element needs (WCAG 3.1.2).
    /// Fallbacks are decided here, where the text is picked, never in a
    /// template.
    pub fn pick_lang<'a>(self, vi: &'a str, en: Option<&'a str>) -> (&'a str, &'static str) {
        match (self, en) {
            (Lang::En, Some(en)) => (en, ""),
            (Lang::En, _) if !vi.is_empty() => (vi, Lang::Vi.code()),
            _ => (vi, ""),
        }
    }

    /// The `lang` a whole article or standing page written in `content`
    /// (its front matter's `lang`; Vietnamese when it names none) needs on
    /// this language's pages: "" when it is this language.
    pub fn lang_of(self, content: Option<&str>) -> &'static str {
        let own = content.and_then(Lang::parse).unwrap_or(Lang::Vi);
        if own == self { "" } else { own.code() }
    }

    /// A percentage as the language writes it: `78,5` or `78.5`.
    pub fn percent(self, p: f64) -> String {
        let tenths = (p * 10.0).round();
        // In whole tenths, as integers: formatting a float to a fixed
        // number of decimals takes the slow exact path, and every row of
        // every task table shows a percentage. Zero (which may be -0) and
        // anything huge or not a number go the float way.
        let point = match self {
            Lang::Vi => ',',
            Lang::En => '.',
        };
        if tenths != 0.0 && tenths.abs() < 1e15 {
            let t = tenths as i64;
            let (whole, tenth) = (t.unsigned_abs() / 10, t.unsigned_abs() % 10);
            let mut s = String::with_capacity(8);
            if t < 0 {
                s.push('-');
            }
            s.push_str(&whole.to_string());
            if tenth != 0 {
                s.push(point);
                s.push(char::from(b'0' + tenth as u8));
            }
            return s;
        }
        let rounded = tenths / 10.0;
        let s = if rounded.fract() == 0.0 {
            format!("{rounded:.0}")
        } else {
            format!("{rounded:.1}")
        };
        s.replace('.', &point.to_string())
    }

    /// A number with up to two decimals, in the language's style.
    pub fn number(self, v: f64) -> String {
        self.number_to(v, 2)
    }

    /// A number rounded to at most `decimals` decimals, trailing zeros
    /// dropped, with the language's decimal mark.
    pub fn number_to(self, v: f64, decimals: usize) -> String {
        let decimals = decimals.min(6);
        let scale = 10f64.powi(decimals as i32);
        let rounded = (v * scale).round() / scale;
        let mut s = format!("{rounded:.decimals$}");
        while s.contains('.') && (s.ends_with('0') || s.ends_with('.')) {
            s.pop();
        }
        match self {
            Lang::Vi => s.replace('.', ","),
            Lang::En => s,
        }
    }
}

/// A status's Vietnamese label from the theme's `vi` strings, for files
/// that are always in Vietnamese (open data, calendars).
pub fn status_vi(m: &crate::model::Model, s: Status) -> &str {
    m.theme
        .i18n
        .get("vi")
        .and_then(|t| t.get(["status_", s.code()].concat().as_str()))
        .map_or(s.code(), String::as_str)
}

/// The UI strings of one language: the theme's `i18n/<lang>.yaml` over the
/// Vietnamese ones.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(transparent)]
pub struct Strings {
    map: BTreeMap<String, String>,
}

impl Strings {
    pub fn new(vi: &BTreeMap<String, String>, lang: Option<&BTreeMap<String, String>>) -> Self {
        let mut map = vi.clone();
        if let Some(l) = lang {
            map.extend(l.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        Strings { map }
    }

    /// Every string with the site's settings written in: `{due_soon_days}`
    /// and `{report_day}` (so no text restates a setting as a literal).
    pub fn with_settings(mut self, due_soon_days: i64, report_day: u32) -> Self {
        for v in self.map.values_mut() {
            if v.contains('{') {
                *v = v
                    .replace("{due_soon_days}", &due_soon_days.to_string())
                    .replace("{report_day}", &report_day.to_string());
            }
        }
        self
    }

    /// The string for `key`; empty when no language has it (a test checks
    /// that Vietnamese has every key the theme and the code use).
    pub fn get(&self, key: &str) -> &str {
        self.map.get(key).map_or("", String::as_str)
    }

    pub fn contains(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    /// The string for the key `prefix` + `code` (`status_done_late`),
    /// without allocating the key: labels are looked up for every row.
    pub fn keyed(&self, prefix: &str, code: &str) -> &str {
        let mut buf = [0u8; 64];
        let n = prefix.len() + code.len();
        if let Some(key) = buf.get_mut(..n) {
            key[..prefix.len()].copy_from_slice(prefix.as_bytes());
            key[prefix.len()..].copy_from_slice(code.as_bytes());
            if let Ok(key) = std::str::from_utf8(key) {
                return self.get(key);
            }
        }
        self.get(&[prefix, code].concat())
    }

    /// A status's label (`status_<code>`).
    pub fn status(&self, s: Status) -> &str {
        self.keyed("status_", s.code())
    }

    /// The string with `{n}` replaced.
    pub fn with(&self, key: &str, n: impl std::fmt::Display) -> String {
        self.get(key).replace("{n}", &n.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_in_tenths_writes_what_float_formatting_writes() {
        let by_float = |p: f64| {
            let rounded = (p * 10.0).round() / 10.0;
            if rounded.fract() == 0.0 {
                format!("{rounded:.0}")
            } else {
                format!("{rounded:.1}")
            }
        };
        let mut values: Vec<f64> = (-200_000..=200_000)
            .map(|k| f64::from(k) / 1000.0)
            .collect();
        values.extend([
            0.05,
            -0.05,
            0.049_999,
            99.95,
            99.949_999,
            1e14,
            -1e14,
            1e16,
            f64::NAN,
        ]);
        for p in values {
            assert_eq!(Lang::En.percent(p), by_float(p), "{p}");
        }
        assert_eq!(Lang::Vi.percent(78.46), "78,5");
    }

    #[test]
    fn a_picked_field_carries_the_lang_it_needs() {
        assert_eq!(
            Lang::Vi.pick_lang("Sở Y tế", Some("Health")),
            ("Sở Y tế", "")
        );
        assert_eq!(
            Lang::En.pick_lang("Sở Y tế", Some("Health")),
            ("Health", "")
        );
        assert_eq!(Lang::En.pick_lang("Sở Y tế", None), ("Sở Y tế", "vi"));
        assert_eq!(Lang::Vi.pick_lang("", None), ("", ""));
        assert_eq!(Lang::En.pick("Sở Y tế", None), "Sở Y tế");
        assert_eq!(Lang::En.lang_of(None), "vi");
        assert_eq!(Lang::En.lang_of(Some("en")), "");
        assert_eq!(Lang::Vi.lang_of(Some("en")), "en");
        assert_eq!(Lang::Vi.lang_of(None), "");
    }

    fn vietnamese() -> Strings {
        let map: BTreeMap<String, String> =
            serde_saphyr::from_str(crate::theme::i18n("vi")).unwrap();
        Strings::new(&map, None)
    }

    /// Keys the Rust code asks for: every `get("...")` and `with("...")`
    /// literal in the render stage, and the keys it builds from codes.
    fn code_keys() -> Vec<String> {
        let sources = [
            include_str!("mod.rs"),
            include_str!("setup.rs"),
            include_str!("files.rs"),
            include_str!("pages/mod.rs"),
            include_str!("pages/dashboard.rs"),
            include_str!("pages/tasks.rs"),
            include_str!("pages/task_lists.rs"),
            include_str!("pages/agencies.rs"),
            include_str!("pages/kpis.rs"),
            include_str!("pages/reports.rs"),
            include_str!("pages/deadlines.rs"),
            include_str!("pages/news.rs"),
            include_str!("pages/machine.rs"),
            include_str!("chart_set.rs"),
            include_str!("../publish/mod.rs"),
            include_str!("views.rs"),
            include_str!("views/rows.rs"),
            include_str!("charts/kpi.rs"),
            include_str!("charts/burnup.rs"),
            include_str!("charts/bars.rs"),
            include_str!("../publish/feeds.rs"),
            include_str!("../publish/search.rs"),
            include_str!("../publish/data.rs"),
            include_str!("../publish/dcat.rs"),
            include_str!("pages/plans.rs"),
            include_str!("pages/archive.rs"),
            include_str!("pages/agencies.rs"),
        ];
        let mut keys = Vec::new();
        for src in sources {
            for pattern in [".get(\"", ".with(\""] {
                for (i, _) in src.match_indices(pattern) {
                    let rest = &src[i + pattern.len()..];
                    let key: String = rest
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    // Language codes are looked up in the same way, not UI strings.
                    let is_lang = Lang::parse(&key).is_some();
                    if rest[key.len()..].starts_with('"')
                        && !key.is_empty()
                        && !is_lang
                        && key.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                    {
                        keys.push(key);
                    }
                }
            }
        }
        for s in crate::status::Status::ALL {
            keys.push(format!("rule_{}", s.code()));
            keys.push(format!("status_{}", s.code()));
        }
        for (code, _) in crate::model::TaskState::ALL {
            keys.push(format!("state_{code}"));
        }
        for v in crate::status::Verdict::ALL {
            keys.push(format!("verdict_{}", v.code()));
        }
        keys.sort();
        keys.dedup();
        keys
    }

    #[test]
    fn vietnamese_has_every_key() {
        let vi = vietnamese();
        let mut missing: Vec<String> = code_keys()
            .into_iter()
            .filter(|k| !vi.contains(k))
            .collect();
        for (name, template) in crate::theme::TEMPLATES {
            let mut rest = *template;
            while let Some(i) = rest.find("t.") {
                let before = rest[..i].chars().last();
                rest = &rest[i + 2..];
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
                    continue;
                }
                let key: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !key.is_empty() && !vi.contains(&key) {
                    missing.push(format!("{name}: {key}"));
                }
            }
        }
        assert!(missing.is_empty(), "missing UI strings: {missing:?}");
    }

    #[test]
    fn english_translates_every_key() {
        let vi: BTreeMap<String, String> =
            serde_saphyr::from_str(crate::theme::i18n("vi")).unwrap();
        let en: BTreeMap<String, String> =
            serde_saphyr::from_str(crate::theme::i18n("en")).unwrap();
        let untranslated: Vec<&String> = vi.keys().filter(|k| !en.contains_key(*k)).collect();
        assert!(untranslated.is_empty(), "{untranslated:?}");
    }

    #[test]
    fn numbers_in_each_language() {
        assert_eq!(Lang::Vi.percent(78.5), "78,5");
        assert_eq!(Lang::En.percent(78.5), "78.5");
        assert_eq!(Lang::Vi.percent(80.0), "80");
        assert_eq!(Lang::Vi.percent(33.333), "33,3");
        assert_eq!(Lang::Vi.number(1.25), "1,25");
        assert_eq!(Lang::En.number(2.0), "2");
    }

    #[test]
    fn english_falls_back_to_vietnamese() {
        let vi = BTreeMap::from([
            ("a".to_string(), "Một".to_string()),
            ("b".to_string(), "Hai".to_string()),
        ]);
        let en = BTreeMap::from([("a".to_string(), "One".to_string())]);
        let s = Strings::new(&vi, Some(&en));
        assert_eq!(s.get("a"), "One");
        assert_eq!(s.get("b"), "Hai");
        assert_eq!(s.get("zzz"), "");
    }
}
