//! site.yaml: the portal's title, address, languages and settings.

use super::*;

pub(super) fn site(src: &Source<RawSite>, diags: &mut Diagnostics) -> Option<Site> {
    let mut cx = Cx::new(src, &Model::default(), diags);
    let s = &src.doc;
    let whole = src.whole();
    let title = cx.required(&s.title, "title", &whole, "what.site");
    let base_url = cx.required(&s.base_url, "base_url", &whole, "what.site");
    if let (Some(url), Some(at)) = (&base_url, &s.base_url)
        && !(url.starts_with("https://") || url.starts_with("http://") || url.starts_with('/'))
    {
        let loc = cx.loc(at);
        cx.err(loc, msg!("site.base_url", url));
    }
    let mut languages = Vec::new();
    for l in s.languages.iter().flatten() {
        let code = l.value.trim().to_lowercase();
        if code != "vi" && code != "en" {
            let loc = cx.loc(l);
            cx.err(loc, msg!("site.language", code));
        } else if !languages.contains(&code) {
            languages.push(code);
        }
    }
    if languages.is_empty() {
        languages.push("vi".to_string());
    }
    if languages[0] != "vi" {
        let loc = s
            .languages
            .as_ref()
            .and_then(|l| l.first())
            .map_or(whole.clone(), |l| cx.loc(l));
        cx.err(loc, msg!("site.first_language"));
    }
    let as_of = s.as_of.as_ref().and_then(|v| cx.date(v));
    let mut int =
        |v: &Option<S>, key: &str, default: i64, range: std::ops::RangeInclusive<i64>| -> i64 {
            let Some(v) = v else { return default };
            match v.value.trim().parse::<i64>() {
                Ok(n) if range.contains(&n) => n,
                _ => {
                    let loc = cx.loc(v);
                    cx.err(
                        loc,
                        msg!(
                            "site.whole_number",
                            key,
                            from = range.start(),
                            to = range.end(),
                            value = &v.value
                        ),
                    );
                    default
                }
            }
        };
    let due_soon_days = int(&s.due_soon_days, "due_soon_days", 14, 0..=365);
    let report_day = int(&s.report_day, "report_day", 20, 1..=31) as u32;
    for v in s.tags.iter().flatten().map(|(_, v)| v) {
        cx.check_characters(v);
    }
    Some(Site {
        file: src.file.to_string(),
        title: title?,
        title_en: cx.text(&s.title_en),
        description: cx.text(&s.description),
        description_en: cx.text(&s.description_en),
        base_url: base_url?,
        owner: cx.text(&s.owner),
        contact: cx.text(&s.contact),
        languages,
        as_of,
        due_soon_days,
        report_day,
        sample_data: s.sample_data.unwrap_or(false),
        data_license: cx.text(&s.data_license),
        tag_names: s
            .tags
            .iter()
            .flatten()
            .filter_map(|(k, v)| {
                let slug = crate::text::slugify(k);
                let name = nfc(v.value.trim());
                (!slug.is_empty() && !name.is_empty()).then_some((slug, name))
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::super::testing::{run, said};

    #[test]
    fn a_site_address_and_its_first_language_are_checked() {
        let site = "title: Cổng\nbase_url: example.org\nlanguages: [en, vi]\n";
        let (_, lines) = run(&[("content/site.yaml", site)]);
        assert!(said(&lines, &["site.yaml:2:11: error"]), "{lines:#?}");
        assert!(said(&lines, &["site.yaml:3:13: error"]), "{lines:#?}");
    }
}
