//! Part of render's machine side, the harvestable catalogue
//! (`/du-lieu/dcat.jsonld`): a DCAT-AP catalogue of the open data, so that
//! a national portal (data.gov.vn, or any CKAN or data.gov harvester) can
//! take the tables without a person. The catalogue names its publisher,
//! licence, language and homepage; each table is a dataset, and the zip of
//! all of them one more; each file is a distribution with its media type,
//! `modified` day, byte size and SHA-256 checksum, computed from the very
//! bytes written. Input: the files as the open data makes them. Output:
//! JSON-LD.

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// One file of a dataset.
pub struct Distribution {
    /// Its address, absolute.
    pub url: String,
    /// `csv`, `json` or `zip`.
    pub format: &'static str,
    pub bytes: usize,
    /// SHA-256 of its bytes, lower-case hex.
    pub sha256: String,
}

impl Distribution {
    pub fn of(url: String, format: &'static str, bytes: &[u8]) -> Distribution {
        let digest = Sha256::digest(bytes);
        let mut sha256 = String::with_capacity(64);
        for b in digest {
            sha256.push_str(&format!("{b:02x}"));
        }
        Distribution {
            url,
            format,
            bytes: bytes.len(),
            sha256,
        }
    }

    fn media_type(&self) -> &'static str {
        match self.format {
            "csv" => "text/csv",
            "json" => "application/json",
            _ => "application/zip",
        }
    }
}

/// One dataset: a table (or the zip of all of them) and its files.
pub struct Dataset {
    /// The table's file stem (`nhiem-vu`), or `tiendo-du-lieu` for the zip.
    pub id: String,
    pub title_vi: String,
    pub title_en: String,
    pub files: Vec<Distribution>,
}

/// What the catalogue says of itself.
pub struct Catalogue<'a> {
    pub title: &'a str,
    pub description: &'a str,
    /// The publishing body (`owner` of site.yaml), or the portal's title.
    pub publisher: &'a str,
    /// As site.yaml writes it (`CC BY 4.0`); a known licence is also named
    /// by its address.
    pub license: &'a str,
    /// The portal's address, with a trailing slash.
    pub homepage: &'a str,
    /// The catalogue's own address.
    pub url: &'a str,
    /// The as-of day: every file is made for it.
    pub modified: &'a str,
    pub languages: Vec<&'static str>,
}

/// A licence's address, for the licences open data is usually given under.
fn license_uri(license: &str) -> Option<&'static str> {
    let l: String = license
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '.')
        .collect();
    match l.as_str() {
        "ccby4.0" | "ccby40" => Some("https://creativecommons.org/licenses/by/4.0/"),
        "ccbysa4.0" | "ccbysa40" => Some("https://creativecommons.org/licenses/by-sa/4.0/"),
        "cc04.0" | "cc0" | "cc01.0" => Some("https://creativecommons.org/publicdomain/zero/1.0/"),
        "odcby" | "odcby1.0" => Some("https://opendatacommons.org/licenses/by/1-0/"),
        _ => None,
    }
}

fn lang_uri(code: &str) -> &'static str {
    match code {
        "en" => "http://publications.europa.eu/resource/authority/language/ENG",
        _ => "http://publications.europa.eu/resource/authority/language/VIE",
    }
}

/// The catalogue as JSON-LD, pretty-printed (a few kilobytes).
pub fn catalogue(c: &Catalogue, datasets: &[Dataset]) -> Vec<u8> {
    let date = |d: &str| json!({"@value": d, "@type": "xsd:date"});
    let license: Value = match license_uri(c.license) {
        Some(uri) => json!({"@id": uri, "dct:title": c.license}),
        None if c.license.is_empty() => Value::Null,
        None => json!({"@type": "dct:LicenseDocument", "dct:title": c.license}),
    };
    let sets: Vec<Value> = datasets
        .iter()
        .map(|d| {
            let files: Vec<Value> = d
                .files
                .iter()
                .map(|f| {
                    json!({
                        "@id": f.url,
                        "@type": "dcat:Distribution",
                        "dcat:accessURL": {"@id": f.url},
                        "dcat:downloadURL": {"@id": f.url},
                        "dcat:mediaType": {"@id": format!("https://www.iana.org/assignments/media-types/{}", f.media_type())},
                        "dct:format": f.format.to_uppercase(),
                        "dct:modified": date(c.modified),
                        "dcat:byteSize": {"@value": f.bytes.to_string(), "@type": "xsd:nonNegativeInteger"},
                        "spdx:checksum": {
                            "@type": "spdx:Checksum",
                            "spdx:algorithm": {"@id": "spdx:checksumAlgorithm_sha256"},
                            "spdx:checksumValue": {"@value": f.sha256, "@type": "xsd:hexBinary"}
                        },
                        "dct:license": license,
                    })
                })
                .collect();
            json!({
                "@id": format!("{}#{}", c.url, d.id),
                "@type": "dcat:Dataset",
                "dct:identifier": d.id,
                "dct:title": [
                    {"@value": d.title_vi, "@language": "vi"},
                    {"@value": d.title_en, "@language": "en"}
                ],
                "dct:modified": date(c.modified),
                "dct:publisher": {"@id": format!("{}#publisher", c.url)},
                "dcat:landingPage": {"@id": format!("{}du-lieu/", c.homepage)},
                "dcat:distribution": files,
            })
        })
        .collect();
    let doc = json!({
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "spdx": "http://spdx.org/rdf/terms#",
            "xsd": "http://www.w3.org/2001/XMLSchema#"
        },
        "@id": c.url,
        "@type": "dcat:Catalog",
        "dct:title": {"@value": c.title, "@language": "vi"},
        "dct:description": {"@value": c.description, "@language": "vi"},
        "dct:publisher": {
            "@id": format!("{}#publisher", c.url),
            "@type": "foaf:Agent",
            "foaf:name": c.publisher
        },
        "dct:license": license,
        "dct:language": c.languages.iter().map(|l| json!({"@id": lang_uri(l)})).collect::<Vec<_>>(),
        "foaf:homepage": {"@id": c.homepage},
        "dct:modified": date(c.modified),
        "dcat:dataset": sets,
    });
    let mut out = serde_json::to_vec_pretty(&doc).unwrap_or_default();
    out.push(b'\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_distribution_carries_the_sha256_and_size_of_its_bytes() {
        let d = Distribution::of("https://x/a.csv".into(), "csv", b"abc");
        assert_eq!(d.bytes, 3);
        assert_eq!(
            d.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn known_licences_are_named_by_their_address() {
        assert_eq!(
            license_uri("CC BY 4.0"),
            Some("https://creativecommons.org/licenses/by/4.0/")
        );
        assert_eq!(license_uri("Giấy phép riêng"), None);
    }
}
