//! The route table is the one place that writes the paths of portal pages:
//! no other Rust file of `src/` (tests aside) and no template spells a
//! section of the portal as a path.

use std::path::Path;

/// The sections' first path segments, as the route table writes them.
const SECTIONS: &[&str] = &[
    "nhiem-vu",
    "co-quan",
    "to-cong-tac",
    "chi-tieu",
    "bao-cao",
    "han-chot",
    "tin-tuc",
    "chu-de",
    "du-lieu",
    "tim-kiem",
    "bieu-do",
];

/// The text of a Rust file before its `#[cfg(test)]` module.
fn code_of(text: &str) -> &str {
    text.find("#[cfg(test)]").map_or(text, |i| &text[..i])
}

#[test]
fn only_the_route_module_writes_page_paths() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    let files = walkdir::WalkDir::new(root.join("src"))
        .into_iter()
        .chain(walkdir::WalkDir::new(root.join("themes/default/templates")))
        .flatten()
        .filter(|e| e.file_type().is_file());
    for entry in files {
        let path = entry.path();
        let rel = path
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        // Tests (a module's `tests.rs`, like what follows `#[cfg(test)]`)
        // may name the paths they check.
        if rel == "src/route.rs" || rel.ends_with("/tests.rs") {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        let code = if rel.ends_with(".rs") {
            code_of(&text)
        } else {
            &text
        };
        for (n, line) in code.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue; // documentation may name the addresses it is about
            }
            for s in SECTIONS {
                // A path: the section right after a quote or a slash, and
                // followed by a slash.
                let hit = ["\"", "/", "}}"]
                    .iter()
                    .any(|before| line.contains(&format!("{before}{s}/")));
                if hit {
                    found.push(format!("{rel}:{}: {}", n + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "paths of portal pages outside src/route.rs:\n{}",
        found.join("\n")
    );
}
