//! The fuzz targets (`fuzz/`, `src/fuzzing.rs`) run in every test run for a
//! short, fixed amount of work: the real content and fixtures as seeds,
//! mutated by a seeded generator (bytes flipped, inserted and deleted,
//! lines swapped and repeated, hostile characters spliced in), each input
//! through the same entry point `cargo fuzz` drives. Deterministic: the same
//! inputs every run, so a failure reproduces; the input that panicked is
//! printed. `scripts/fuzz` runs the coverage-guided fuzzer for longer.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

/// Mutated inputs per target and seed file.
const ROUNDS: usize = 12;

/// xorshift64*: small, seeded, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Text that has broken parsers before: YAML syntax, Unicode edge cases,
/// control and bidi characters, long runs, formulas.
const SPLICES: &[&str] = &[
    ": ",
    "- ",
    "\n  - ",
    "&a ",
    "*a",
    "!!binary ",
    "{",
    "[",
    "\"",
    "'",
    "\u{0}",
    "\u{7}",
    "\u{1b}[31m",
    "\u{202e}",
    "\u{200b}",
    "\u{a0}",
    "İ",
    "2025-02-30",
    "Q5/2025",
    "quý IV/2025",
    "31/12/9999",
    "-1",
    "1e309",
    "NaN",
    "=HYPERLINK(\"http://x/\")",
    "<script>",
    "]]>",
    "\n---\n",
];

fn mutate(seed: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut out = seed.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(out.len() + 1);
        match rng.below(6) {
            0 if !out.is_empty() => {
                let i = rng.below(out.len());
                out[i] ^= 1 << rng.below(8);
            }
            1 => {
                let s = SPLICES[rng.below(SPLICES.len())].as_bytes();
                out.splice(at..at, s.iter().copied());
            }
            2 if !out.is_empty() => {
                let end = (at + rng.below(64)).min(out.len());
                out.drain(at.min(end)..end);
            }
            3 => {
                // A line repeated: duplicate keys and items.
                let text = String::from_utf8_lossy(&out).into_owned();
                let lines: Vec<&str> = text.lines().collect();
                if !lines.is_empty() {
                    let line = lines[rng.below(lines.len())];
                    let mut again: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
                    again.insert(rng.below(lines.len() + 1), line.to_string());
                    out = again.join("\n").into_bytes();
                }
            }
            4 => {
                let n = 1 + rng.below(2000);
                out.splice(at..at, std::iter::repeat_n(b'a', n));
            }
            _ => {
                let byte = (rng.next() & 0xff) as u8;
                out.insert(at, byte);
            }
        }
    }
    out
}

fn seeds(exts: &[&str]) -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<std::path::PathBuf> = ["content", "tests/fixtures"]
        .iter()
        .flat_map(|d| walkdir::WalkDir::new(root.join(d)))
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| exts.contains(&e))
        })
        .collect();
    files.sort();
    files.iter().filter_map(|p| std::fs::read(p).ok()).collect()
}

fn run(name: &str, target: fn(&[u8]), seeds: &[Vec<u8>], rounds: usize) {
    assert!(!seeds.is_empty(), "{name}: no seeds");
    let mut rng = Rng(0x7469_656e_646f ^ name.len() as u64);
    let mut ran = 0;
    for seed in seeds {
        for _ in 0..rounds {
            let input = mutate(seed, &mut rng);
            if catch_unwind(AssertUnwindSafe(|| target(&input))).is_err() {
                panic!(
                    "{name} panicked on this input (add it to REGRESSIONS in src/fuzzing.rs):\n{:?}",
                    String::from_utf8_lossy(&input)
                );
            }
            ran += 1;
        }
    }
    eprintln!("{name}: {ran} inputs");
}

#[test]
fn content_pipeline_survives_mutated_content() {
    // The whole pipeline per input: fewer rounds, the plans and reports
    // first (they reach status and render).
    let mut seeds = seeds(&["yaml"]);
    seeds.truncate(40);
    run(
        "content_pipeline",
        tiendo::fuzzing::content_pipeline,
        &seeds,
        8,
    );
}

#[test]
fn article_pipeline_survives_mutated_articles() {
    run(
        "article_pipeline",
        tiendo::fuzzing::article_pipeline,
        &seeds(&["md"]),
        ROUNDS,
    );
}

#[test]
fn dates_survive_mutated_dates() {
    let dates: Vec<Vec<u8>> = [
        "2025-03-31",
        "31/03/2025",
        "1/3/2025",
        "2025-06",
        "06/2025",
        "Q4/2025",
        "quý IV/2025",
        "Quý 4/2025",
        "monthly",
        "ongoing",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    run("dates", tiendo::fuzzing::dates, &dates, 200);
}
