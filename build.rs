//! Embeds the default theme: lists every file of themes/default/ so that
//! src/theme.rs can `include!` them, and a new template needs no code change.

use std::fmt::Write;
use std::path::Path;

fn files(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .filter(|e| e.path().is_file())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn main() {
    // The crate's folder as cargo gives it to this run, not as it was when
    // this script was compiled (`env!`): a build script compiled in one
    // checkout and hard-linked into another's target folder would list the
    // first checkout's theme.
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default();
    let manifest = Path::new(&manifest);
    let root = manifest.join("themes/default");
    println!("cargo:rerun-if-changed=themes/default");
    let mut code = String::new();
    for (name, dir, macro_name, ty) in [
        ("TEMPLATES", "templates", "include_str", "&str"),
        ("ASSETS", "static", "include_bytes", "&[u8]"),
        ("I18N", "i18n", "include_str", "&str"),
    ] {
        let path = root.join(dir);
        println!("cargo:rerun-if-changed={}", path.display());
        let _ = writeln!(code, "pub const {name}: &[(&str, {ty})] = &[");
        for file in files(&path) {
            let key = if dir == "i18n" {
                file.trim_end_matches(".yaml").to_string()
            } else {
                file.clone()
            };
            // Relative to the crate being compiled, not to where this
            // script ran: a target folder copied to another checkout then
            // embeds that checkout's theme.
            let rel = format!("/themes/default/{dir}/{file}");
            let _ = writeln!(
                code,
                "    ({key:?}, {macro_name}!(concat!(env!(\"CARGO_MANIFEST_DIR\"), {rel:?}))),"
            );
        }
        code.push_str("];\n");
    }
    // The skeleton of a new site (`tiendo init`), every file below scaffold/.
    let scaffold = manifest.join("scaffold");
    println!("cargo:rerun-if-changed={}", scaffold.display());
    code.push_str("pub const SCAFFOLD: &[(&str, &str)] = &[\n");
    let mut stack = vec![scaffold.clone()];
    let mut found = Vec::new();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                println!("cargo:rerun-if-changed={}", path.display());
                stack.push(path);
            } else if let Ok(rel) = path.strip_prefix(&scaffold) {
                let rel = rel.to_string_lossy().replace('\\', "/");
                found.push((rel.clone(), format!("/scaffold/{rel}")));
            }
        }
    }
    found.sort();
    for (rel, full) in found {
        let _ = writeln!(
            code,
            "    ({rel:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), {full:?}))),"
        );
    }
    code.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").unwrap_or_default()).join("theme.rs");
    // A new file renamed over the old one: written in place, a theme.rs
    // hard-linked into another checkout's target folder would change there.
    let new = out.with_extension("rs.new");
    if let Err(e) = std::fs::write(&new, code).and_then(|()| std::fs::rename(&new, &out)) {
        panic!("cannot write {}: {e}", out.display());
    }
}
