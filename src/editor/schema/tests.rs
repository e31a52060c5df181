//! Tests of the content schemas: the same keys as the loader's raw types, and valid JSON Schema.

use super::*;
use crate::load::raw::*;
use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use std::cell::RefCell;

/// A deserializer that only records the field names serde asks for.
#[derive(Default)]
struct Probe(RefCell<Vec<&'static str>>);

impl<'de> Deserializer<'de> for &Probe {
    type Error = de::value::Error;
    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("probe"))
    }
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Self::Error> {
        *self.0.borrow_mut() = fields.to_vec();
        Err(de::Error::custom("probe"))
    }
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map enum identifier ignored_any
    }
}

fn fields<T: for<'de> Deserialize<'de>>() -> Vec<String> {
    let p = Probe::default();
    let _ = T::deserialize(&p);
    let mut v: Vec<String> = p.0.into_inner().iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v["properties"]
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default();
    k.sort();
    k
}

#[test]
fn schemas_have_exactly_the_loader_keys() {
    assert_eq!(keys(&site()), fields::<RawSite>());
    assert_eq!(keys(&agencies()), fields::<RawAgencies>());
    assert_eq!(
        keys(&agencies()["properties"]["groups"]["items"]),
        fields::<RawGroup>()
    );
    assert_eq!(
        keys(&agencies()["properties"]["agencies"]["items"]),
        fields::<RawAgency>()
    );
    assert_eq!(
        keys(&agencies()["properties"]["agencies"]["items"]["properties"]["merged_into"]),
        fields::<RawSuccession>()
    );
    assert_eq!(
        keys(&agencies()["properties"]["agencies"]["items"]["properties"]["dissolved"]),
        fields::<RawDissolved>()
    );
    assert_eq!(keys(&plan()), fields::<RawPlan>());
    let task = &plan()["properties"]["tasks"]["items"];
    assert_eq!(keys(task), fields::<RawTask>());
    assert_eq!(
        keys(&task["properties"]["deadline_changes"]["items"]),
        fields::<RawDeadlineChange>()
    );
    assert_eq!(keys(&kpis()), fields::<RawKpis>());
    let kpi = &kpis()["properties"]["kpis"]["items"];
    assert_eq!(keys(kpi), fields::<RawKpi>());
    assert_eq!(keys(&kpi["properties"]["baseline"]), fields::<RawPoint>());
    assert_eq!(keys(&report()), fields::<RawReport>());
    assert_eq!(
        keys(&report()["properties"]["updates"]["items"]),
        fields::<RawUpdate>()
    );
    assert_eq!(
        keys(&report()["properties"]["kpi_values"]["items"]),
        fields::<RawKpiValue>()
    );
    assert_eq!(
        keys(&report()["properties"]["proposals"]["items"]),
        fields::<RawProposal>()
    );
    assert_eq!(
        keys(&report()["properties"]["replies"]["items"]),
        fields::<RawReply>()
    );
    assert_eq!(keys(&news()), fields::<RawArticleMeta>());
    assert_eq!(keys(&page()), fields::<RawPageMeta>());
}

#[test]
fn every_schema_is_json_and_names_its_draft() {
    let all = schemas();
    assert_eq!(all.len(), 7);
    for (name, text) in all {
        let v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        assert_eq!(v["$schema"], DRAFT, "{name}");
        assert_eq!(v["additionalProperties"], false, "{name}");
    }
}
