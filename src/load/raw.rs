//! Raw input types: what editors wrote, as close to the YAML as possible.
//!
//! Every scalar that is checked after parsing (ids, dates, numbers, keywords)
//! is a `Spanned<String>`, so the model stage can point at it. Required keys
//! are `Option` here and checked in the model stage, so that one missing key
//! does not hide every other problem in the file. Unknown keys are rejected
//! by serde (`deny_unknown_fields`).

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A scalar with its place in the file.
pub type S = Spanned<String>;

/// A value with the place it was written: what the model needs of
/// serde-saphyr's `Spanned` (the line and column of the reference), 32
/// bytes for a string rather than 80. A national site holds a million
/// located values at once, and serde-saphyr's two full locations per value
/// were a quarter of the build's peak memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub referenced: Place,
}

/// A 1-based line and column; 0 where the parser knew no place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Place {
    line: u32,
    column: u32,
}

impl Place {
    pub fn line(&self) -> u64 {
        u64::from(self.line)
    }

    pub fn column(&self) -> u64 {
        u64::from(self.column)
    }
}

/// In the build cache (a binary format, not human-readable) a located
/// value is the value, its line and its column; from YAML it comes
/// through serde-saphyr's own `Spanned`.
impl<T: Serialize> Serialize for Spanned<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (&self.value, self.referenced.line, self.referenced.column).serialize(serializer)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        if !deserializer.is_human_readable() {
            let (value, line, column) = <(T, u32, u32)>::deserialize(deserializer)?;
            return Ok(Spanned {
                value,
                referenced: Place { line, column },
            });
        }
        let s = serde_saphyr::Spanned::<T>::deserialize(deserializer)?;
        let at = &s.referenced;
        // serde-saphyr counts lines and columns in u32 already.
        let narrow = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
        Ok(Spanned {
            referenced: Place {
                line: narrow(at.line()),
                column: narrow(at.column()),
            },
            value: s.value,
        })
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSite {
    pub title: Option<S>,
    pub title_en: Option<S>,
    pub description: Option<S>,
    pub description_en: Option<S>,
    pub base_url: Option<S>,
    pub owner: Option<S>,
    pub contact: Option<S>,
    pub languages: Option<Vec<S>>,
    pub as_of: Option<S>,
    pub due_soon_days: Option<S>,
    pub report_day: Option<S>,
    pub sample_data: Option<bool>,
    pub data_license: Option<S>,
    /// The first month whose report is owed, for every plan.
    pub reporting_from: Option<S>,
    /// Display names of tags, by the tag as content writes it.
    pub tags: Option<std::collections::BTreeMap<String, S>>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAgencies {
    pub groups: Option<Vec<Spanned<RawGroup>>>,
    pub agencies: Option<Vec<Spanned<RawAgency>>>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGroup {
    pub id: Option<S>,
    pub name: Option<S>,
    pub name_en: Option<S>,
    pub leader: Option<S>,
    pub leader_en: Option<S>,
    pub description: Option<S>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAgency {
    pub id: Option<S>,
    pub name: Option<S>,
    pub short: Option<S>,
    pub name_en: Option<S>,
    pub kind: Option<S>,
    pub group: Option<S>,
    pub url: Option<S>,
    pub merged_into: Option<Spanned<RawSuccession>>,
    pub renamed_to: Option<Spanned<RawSuccession>>,
    pub dissolved: Option<Spanned<RawDissolved>>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSuccession {
    pub agency: Option<S>,
    pub date: Option<S>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDissolved {
    pub date: Option<S>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPlan {
    pub id: Option<S>,
    pub title: Option<S>,
    pub title_en: Option<S>,
    pub issuer: Option<S>,
    pub issued: Option<S>,
    pub number: Option<S>,
    pub url: Option<S>,
    pub summary: Option<S>,
    /// The first month whose report is owed under this plan.
    pub reporting_from: Option<S>,
    /// What the plan carries out: a plan of the site by id, or an outside
    /// document (`{ title, url }`).
    pub implements: Option<Spanned<RawImplements>>,
    pub tasks: Option<Vec<Spanned<RawTask>>>,
}

/// `implements:` of a plan: in YAML a plan's id or an outside document
/// (untagged); in the build cache, tagged.
#[derive(Debug, Serialize)]
pub enum RawImplements {
    Plan(String),
    Outside(RawOutsideDoc),
}

impl<'de> Deserialize<'de> for RawImplements {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        if deserializer.is_human_readable() {
            return Ok(match yaml_form::RawImplements::deserialize(deserializer)? {
                yaml_form::RawImplements::Plan(id) => RawImplements::Plan(id),
                yaml_form::RawImplements::Outside(doc) => RawImplements::Outside(doc),
            });
        }
        Ok(
            match cache_form::RawImplements::deserialize(deserializer)? {
                cache_form::RawImplements::Plan(id) => RawImplements::Plan(id),
                cache_form::RawImplements::Outside(doc) => RawImplements::Outside(doc),
            },
        )
    }
}

/// `implements:` as YAML writes it (the same name, for serde's message).
mod yaml_form {
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    pub enum RawImplements {
        Plan(String),
        Outside(super::RawOutsideDoc),
    }
}

/// `implements:` as the build cache writes it.
mod cache_form {
    #[derive(serde::Deserialize)]
    pub enum RawImplements {
        Plan(String),
        Outside(super::RawOutsideDoc),
    }
}

/// A document outside the site that a plan carries out.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOutsideDoc {
    pub title: String,
    pub url: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTask {
    pub id: Option<S>,
    #[serde(rename = "ref")]
    pub reference: Option<S>,
    pub title: Option<S>,
    pub title_en: Option<S>,
    pub description: Option<S>,
    pub lead: Option<S>,
    pub support: Option<Vec<S>>,
    pub deadline: Option<S>,
    pub deadline_changes: Option<Vec<Spanned<RawDeadlineChange>>>,
    pub result: Option<S>,
    pub responsible: Option<S>,
    pub kpis: Option<Vec<S>>,
    pub tags: Option<Vec<S>>,
    pub incomplete: Option<S>,
    /// The task's earlier ids, whose addresses keep pointing to it.
    pub formerly: Option<Vec<S>>,
    /// The task of a plan this one implements that this task carries out.
    pub parent: Option<S>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDeadlineChange {
    pub to: Option<S>,
    pub date: Option<S>,
    pub by: Option<S>,
    pub reason: Option<S>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawKpis {
    pub kpis: Option<Vec<Spanned<RawKpi>>>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawKpi {
    pub id: Option<S>,
    pub name: Option<S>,
    pub name_en: Option<S>,
    pub description: Option<S>,
    pub unit: Option<S>,
    pub target: Option<S>,
    pub direction: Option<S>,
    pub baseline: Option<Spanned<RawPoint>>,
    pub deadline: Option<S>,
    pub owner: Option<S>,
    pub tasks: Option<Vec<S>>,
    #[serde(rename = "ref")]
    pub reference: Option<S>,
    /// Metadata, shown in the KPI page's "Siêu dữ liệu" block.
    pub unit_en: Option<S>,
    pub definition: Option<S>,
    pub definition_en: Option<S>,
    pub formula: Option<S>,
    pub source: Option<S>,
    pub frequency: Option<S>,
    pub framework: Option<Vec<Spanned<RawFramework>>>,
}

/// A national indicator set a KPI feeds (`{ name, code }`).
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFramework {
    pub name: Option<S>,
    pub code: Option<S>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPoint {
    pub date: Option<S>,
    pub value: Option<S>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReport {
    pub agency: Option<S>,
    pub period: Option<S>,
    pub submitted: Option<S>,
    pub summary: Option<S>,
    pub updates: Option<Vec<Spanned<RawUpdate>>>,
    pub kpi_values: Option<Vec<Spanned<RawKpiValue>>>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawUpdate {
    pub task: Option<S>,
    pub progress: Option<S>,
    pub state: Option<S>,
    pub note: Option<S>,
    pub evidence: Option<S>,
    pub done_on: Option<S>,
    /// Why a task reported done is open again (`reopened: "lý do"`).
    pub reopened: Option<S>,
    /// The agency's own outlook: `on_track`, `at_risk`, `off_track`.
    pub outlook: Option<S>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawKpiValue {
    pub kpi: Option<S>,
    pub date: Option<S>,
    pub value: Option<S>,
    pub note: Option<S>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawArticleMeta {
    pub title: Option<S>,
    pub date: Option<S>,
    pub summary: Option<S>,
    pub tags: Option<Vec<S>>,
    pub tasks: Option<Vec<S>>,
    pub kpis: Option<Vec<S>>,
    pub image: Option<S>,
    pub image_alt: Option<S>,
    pub author: Option<S>,
    pub draft: Option<bool>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPageMeta {
    pub title: Option<S>,
    pub menu: Option<S>,
    pub description: Option<S>,
}
