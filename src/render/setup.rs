//! Part of render: setting it up. The theme's templates as one engine per
//! language with its UI strings, the menus, and the [`Renderer`] every page
//! builder shares; `None` (with an error) when they are unusable.

use super::*;

/// The theme's templates, one engine per language with its UI strings.
pub(super) fn engines(
    model: &Model,
    langs: &[Lang],
    diags: &mut Diagnostics,
) -> Option<(HashMap<Lang, Strings>, HashMap<Lang, tera::Tera>)> {
    let mut tera = tera::Tera::new();
    let templates: Vec<(&str, &str)> = model
        .theme
        .templates
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    if let Err(e) = tera.add_raw_templates(templates) {
        diags.error(
            Loc::file(&Arc::from("templates")),
            crate::msg!("render.template", error = template_error(&e)),
        );
        return None;
    }
    let empty = BTreeMap::new();
    let vi = model.theme.i18n.get("vi").unwrap_or(&empty);
    let strings: HashMap<Lang, Strings> = langs
        .iter()
        .map(|&l| {
            let site = model.site();
            let t = Strings::new(vi, model.theme.i18n.get(l.code()));
            (l, t.with_settings(site.due_soon_days, site.report_day))
        })
        .collect();
    let engines: HashMap<Lang, tera::Tera> = strings
        .iter()
        .map(|(&l, t)| {
            let mut engine = tera.clone();
            engine.global_context().insert("t", t);
            (l, engine)
        })
        .collect();
    Some((strings, engines))
}

/// What every page builder shares: engines, URLs, languages, lookups,
/// charts and open-data tables. `None` (with an error) when the templates
/// or the base URL are unusable.
pub(super) fn renderer<'a>(
    model: &'a Model,
    figures: &'a Figures<'a>,
    index: &'a SiteIndex<'a>,
    options: &RenderOptions,
    diags: &mut Diagnostics,
) -> Option<Renderer<'a>> {
    let site_url = match &options.base_url {
        Some(u) => u.clone(),
        None => match BaseUrl::parse_site(&model.site().base_url) {
            Ok(u) => u,
            Err(e) => {
                diags.error(
                    Loc::file(&Arc::from("content/site.yaml")),
                    crate::msg!(
                        "site.base_url_invalid",
                        url = &model.site().base_url,
                        error = e
                    ),
                );
                return None;
            }
        },
    };
    let (strings, engines) = engines(model, &index.langs, diags)?;
    let base = site_url.path.clone();
    let menus = menus(model, &index.menu_pages, &index.langs, &base);
    let mut r = Renderer {
        model,
        fig: figures,
        tera: engines,
        menus,
        index,
        base,
        origin: site_url.origin.clone(),
        strings,
        charts: BTreeMap::new(),
        sink: None,
        keyed: None,
        status_changes: std::sync::OnceLock::new(),
        archive: None,
        incremental: None,
        frames: HashMap::new(),
        cancel: None,
    };
    // The frame every page of a language shares, once per language, and
    // its digest for the pages' fingerprints.
    let mut engines = std::mem::take(&mut r.tera);
    let templates = incremental::templates_digest(&model.theme.templates);
    let mut frames = HashMap::new();
    for (&l, engine) in engines.iter_mut() {
        let shared = r.shared(l);
        let mut frame = templates.clone();
        frame.update(l.code().as_bytes());
        if incremental::add_json(&mut frame, &shared)
            && incremental::add_json(&mut frame, r.strings(l))
        {
            frames.insert(l, frame);
        }
        let globals = engine.global_context();
        globals.insert("site", &shared.site);
        globals.insert("lang", &shared.lang);
        globals.insert("base", &shared.base);
        globals.insert("origin", &shared.origin);
        globals.insert("home", &shared.home);
        globals.insert("menu", &shared.menu);
        globals.insert("method_url", &shared.method_url);
        globals.insert("nav", &shared.nav);
        globals.insert("vi_lang", &shared.vi_lang);
    }
    r.tera = engines;
    r.frames = frames;
    r.charts = chart_set::all_charts(&r);
    Some(r)
}

/// The main menu's standing pages, per language, in the index's order.
pub(super) fn menus(
    model: &Model,
    pages: &HashMap<Lang, Vec<usize>>,
    langs: &[Lang],
    base: &str,
) -> HashMap<Lang, Vec<views::LangLink>> {
    langs
        .iter()
        .map(|&l| {
            let menu = pages
                .get(&l)
                .into_iter()
                .flatten()
                .map(|&i| &model.pages[i]);
            let links = menu
                .into_iter()
                .map(|p| views::LangLink {
                    label: p.title.clone(),
                    lang: l.lang_of(p.lang.as_deref()),
                    url: format!("{base}{}{}", l.prefix(), Route::Page(&p.slug).path()),
                })
                .collect();
            (l, links)
        })
        .collect()
}
