//! The theme files: the default theme built into the binary, overlaid
//! file by file by `themes/default/`, `templates/` and `theme-static/` in
//! the site root.

use super::*;

/// The default theme, overlaid by `themes/default/` and `templates/`,
/// `theme-static/` in the site root: a site overrides one file without
/// copying the rest.
pub(super) fn load_theme(root: &Path, diags: &mut Diagnostics) -> ThemeFiles {
    let mut theme = ThemeFiles {
        templates: theme::TEMPLATES
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect(),
        assets: theme::ASSETS
            .iter()
            .map(|(n, b)| (n.to_string(), b.to_vec()))
            .collect(),
        i18n: BTreeMap::new(),
    };
    for (lang, yaml) in theme::I18N {
        let file: Arc<str> = Arc::from(format!("themes/default/i18n/{lang}.yaml").as_str());
        if let Some(map) = parse_yaml::<BTreeMap<String, String>>(&file, yaml, 0, diags) {
            theme.i18n.insert(lang.to_string(), map);
        }
    }
    for dir in [root.join("themes/default/i18n"), root.join("i18n")] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for path in paths {
            let file = rel(root, &path);
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if is_hidden(&name) || path.is_dir() {
                continue;
            }
            // A misnamed override would be silently ignored: the site would
            // keep the default words without anyone noticing.
            let known: Vec<&str> = theme::I18N.iter().map(|(l, _)| *l).collect();
            let Some(lang) = name.strip_suffix(".yaml").filter(|l| known.contains(l)) else {
                let names: Vec<String> = known.iter().map(|l| format!("{l}.yaml")).collect();
                let hint = did_you_mean(&name, names.iter().map(String::as_str));
                let expected = names.join(", ");
                diags.error(
                    Loc::file(&file),
                    msg!("override.i18n_name", name, expected, hint = Maybe(hint)),
                );
                continue;
            };
            let lang = lang.to_string();
            if let Some(text) = read_text(&path, &file, diags)
                && let Some(map) = parse_yaml::<BTreeMap<String, String>>(&file, &text, 0, diags)
            {
                let builtin = theme.i18n.get(&lang).cloned().unwrap_or_default();
                for key in map.keys().filter(|k| !builtin.contains_key(*k)) {
                    let hint = did_you_mean(key, builtin.keys().map(String::as_str));
                    let line = line_of_key(&text, key);
                    diags.error(
                        Loc::new(&file, line, if line == 0 { 0 } else { 1 }),
                        msg!("override.i18n_key", key, hint = Maybe(hint)),
                    );
                }
                theme.i18n.entry(lang).or_default().extend(map);
            }
        }
    }
    let overlays = [
        (root.join("themes/default/templates"), true),
        (root.join("themes/default/static"), false),
        (root.join("templates"), true),
        (root.join("theme-static"), false),
    ];
    for (dir, is_templates) in overlays {
        if !dir.is_dir() {
            continue;
        }
        for entry in walkdir::WalkDir::new(&dir)
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            if !entry.file_type().is_file() {
                continue;
            }
            let Ok(inner) = entry.path().strip_prefix(&dir) else {
                continue;
            };
            let name = slashed(inner);
            let file = rel(root, entry.path());
            let bytes = match std::fs::read(entry.path()) {
                Ok(b) => b,
                Err(e) => {
                    diags.error(Loc::file(&file), msg!("io.cannot_read", error = e));
                    continue;
                }
            };
            if is_templates && !theme::TEMPLATES.iter().any(|(n, _)| *n == name) {
                let names = theme::TEMPLATES.iter().map(|(n, _)| *n);
                let hint = did_you_mean(&name, names);
                diags.error(
                    Loc::file(&file),
                    msg!("override.template_name", name, hint = Maybe(hint)),
                );
                continue;
            }
            if is_templates {
                match String::from_utf8(bytes) {
                    Ok(t) => overlay(&mut theme.templates, name, t),
                    Err(_) => diags.error(Loc::file(&file), msg!("load.template_not_utf8")),
                }
            } else {
                overlay(&mut theme.assets, name, bytes);
            }
        }
    }
    theme
}

/// The line (1-based) where `key:` starts a line, or 0.
fn line_of_key(text: &str, key: &str) -> u64 {
    text.lines()
        .position(|l| {
            let l = l.trim_start().trim_start_matches(['"', '\'']);
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start_matches(['"', '\'']).starts_with(':'))
        })
        .map_or(0, |i| i as u64 + 1)
}

/// Replaces the entry called `name`, or adds it.
fn overlay<T>(list: &mut Vec<(String, T)>, name: String, value: T) {
    match list.iter_mut().find(|(n, _)| *n == name) {
        Some(slot) => slot.1 = value,
        None => list.push((name, value)),
    }
}
