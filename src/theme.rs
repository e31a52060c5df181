//! The default theme, compiled into the binary so that `tiendo` works on
//! any site folder: `TEMPLATES` (by the name templates use to include or
//! extend them), `ASSETS` (served under `/assets/`) and `I18N` (UI strings
//! by language code). build.rs lists every file of `themes/default/`. A
//! site overrides single files from its own `templates/`, `theme-static/`
//! and `i18n/` folders (see the load stage).

include!(concat!(env!("OUT_DIR"), "/theme.rs"));

/// The built-in UI strings of one language, as YAML.
pub fn i18n(code: &str) -> &'static str {
    I18N.iter()
        .find(|(c, _)| *c == code)
        .map_or("", |(_, yaml)| yaml)
}
