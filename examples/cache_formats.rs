//! Measures the build cache's serialization on a site (README,
//! Dependencies): every parsed content document encoded and decoded with
//! postcard and with bincode, the bytes and the time of each.
//!   cargo run --release --example cache_formats -- target/bench/national

use std::time::Instant;
use tiendo::load::raw::{RawArticleMeta, RawPlan, RawReport};

fn main() {
    let root = std::env::args().nth(1).unwrap_or_else(|| ".".into());
    let mut diags = tiendo::diag::Diagnostics::new();
    let raw = match tiendo::load::load(std::path::Path::new(&root), &mut diags) {
        Ok(raw) => raw,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let reports: Vec<&RawReport> = raw.reports.iter().map(|r| &r.source.doc).collect();
    let plans: Vec<&RawPlan> = raw.plans.iter().map(|p| &p.doc).collect();
    let articles: Vec<&RawArticleMeta> = raw.articles.iter().map(|a| &a.source.doc).collect();
    for name in ["postcard", "bincode"] {
        let started = Instant::now();
        let mut blobs: Vec<Vec<u8>> = Vec::new();
        for _ in 0..3 {
            blobs.clear();
            for r in &reports {
                blobs.push(encode(name, r));
            }
            for p in &plans {
                blobs.push(encode(name, p));
            }
            for a in &articles {
                blobs.push(encode(name, a));
            }
        }
        let encoded = started.elapsed() / 3;
        let bytes: usize = blobs.iter().map(Vec::len).sum();
        let started = Instant::now();
        for _ in 0..3 {
            let (r, rest) = blobs.split_at(reports.len());
            let (p, a) = rest.split_at(plans.len());
            for b in r {
                std::hint::black_box(decode::<RawReport>(name, b));
            }
            for b in p {
                std::hint::black_box(decode::<RawPlan>(name, b));
            }
            for b in a {
                std::hint::black_box(decode::<RawArticleMeta>(name, b));
            }
        }
        let decoded = started.elapsed() / 3;
        println!(
            "{name}: {:.1} MB, encode {:.0} ms, decode {:.0} ms (one thread)",
            bytes as f64 / 1e6,
            encoded.as_secs_f64() * 1e3,
            decoded.as_secs_f64() * 1e3
        );
    }
}

fn encode<T: serde::Serialize>(name: &str, v: &T) -> Vec<u8> {
    match name {
        "postcard" => postcard::to_stdvec(v).unwrap_or_default(),
        _ => bincode::serde::encode_to_vec(v, bincode::config::standard()).unwrap_or_default(),
    }
}

fn decode<T: serde::de::DeserializeOwned>(name: &str, b: &[u8]) -> Option<T> {
    match name {
        "postcard" => postcard::from_bytes(b).ok(),
        _ => bincode::serde::decode_from_slice(b, bincode::config::standard())
            .ok()
            .map(|(v, _)| v),
    }
}
