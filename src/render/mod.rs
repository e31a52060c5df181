//! Stage 4, render: every page and asset of the portal, in memory. Pure.
//!
//! Input: the model, its figures as of D, and the theme (templates, assets,
//! UI strings). Output: [`RenderedSite`], the site's files by path, for the
//! output stage to write. Pages are listed as jobs and rendered in parallel,
//! once per language (Vietnamese at the root, English under `/en/`).

pub mod i18n;
pub mod markdown;
mod pages;
pub mod views;

use crate::diag::{Diagnostics, Loc};
use crate::model::Model;
use crate::status::{Figures, Status};
use i18n::{Lang, Strings};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

/// Every file of the site, by path relative to the output folder.
#[derive(Debug, Default)]
pub struct RenderedSite {
    pub files: BTreeMap<String, Vec<u8>>,
}

/// Options that come from the command line rather than the content.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Overrides `base_url` of site.yaml.
    pub base_url: Option<String>,
}

/// The standing page that explains how figures are computed; task pages
/// link to it when it exists.
pub const METHOD_PAGE: &str = "phuong-phap";

/// News articles per page of the list.
pub const ARTICLES_PER_PAGE: usize = 10;

/// The path part of a base URL, with a slash at both ends: links are
/// written from the site root so that the portal works under a sub-path.
pub fn base_path(base_url: &str) -> String {
    let rest = base_url
        .strip_prefix("https://")
        .or_else(|| base_url.strip_prefix("http://"))
        .map(|r| r.find('/').map_or("/", |i| &r[i..]))
        .unwrap_or(base_url);
    let trimmed = rest.trim_matches('/');
    if trimmed.is_empty() {
        "/".to_string()
    } else {
        format!("/{trimmed}/")
    }
}

/// A percentage as Vietnamese write it: `80`, `78,5`.
pub fn fmt_percent(p: f64) -> String {
    Lang::Vi.percent(p)
}

/// One page to render, in one language.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Job {
    Home,
    Tasks(Option<Status>),
    Task(usize),
    Agencies,
    Agency(usize),
    Group(usize),
    Kpis,
    Kpi(usize),
    Reports,
    Report(crate::date::Period),
    Deadlines,
    News(usize),
    Article(usize),
    Tag(String),
    Page(usize),
    NotFound,
}

impl Job {
    /// The page's path relative to its language root ("" for the home page).
    fn dir(&self, m: &Model, tags: &BTreeMap<String, String>) -> String {
        match self {
            Job::Home | Job::NotFound => String::new(),
            Job::Tasks(None) => "nhiem-vu/".into(),
            Job::Tasks(Some(s)) => format!("nhiem-vu/{}/", s.slug()),
            Job::Task(i) => format!("nhiem-vu/{}/", m.tasks[*i].id),
            Job::Agencies => "co-quan/".into(),
            Job::Agency(i) => format!("co-quan/{}/", m.agencies[*i].id),
            Job::Group(i) => format!("to-cong-tac/{}/", m.groups[*i].id),
            Job::Kpis => "chi-tieu/".into(),
            Job::Kpi(i) => format!("chi-tieu/{}/", m.kpis[*i].id),
            Job::Reports => "bao-cao/".into(),
            Job::Report(p) => format!("bao-cao/{}/", p.key()),
            Job::Deadlines => "han-chot/".into(),
            Job::News(0) => "tin-tuc/".into(),
            Job::News(n) => format!("tin-tuc/trang/{}/", n + 1),
            Job::Article(i) => format!("tin-tuc/{}/", m.articles[*i].slug),
            Job::Tag(tag) => format!("chu-de/{}/", tags.get(tag).map_or("", String::as_str)),
            Job::Page(i) => format!("{}/", m.pages[*i].slug),
        }
    }

    fn file(&self, m: &Model, tags: &BTreeMap<String, String>) -> String {
        match self {
            Job::NotFound => "404.html".into(),
            _ => format!("{}index.html", self.dir(m, tags)),
        }
    }
}

/// What the page builders share.
pub(crate) struct Renderer<'a> {
    pub model: &'a Model,
    pub fig: &'a Figures<'a>,
    pub tera: tera::Tera,
    /// The site root path, slashes at both ends.
    pub base: String,
    /// The absolute site URL without a trailing slash, for canonical links.
    pub origin: String,
    pub langs: Vec<Lang>,
    pub strings: HashMap<Lang, Strings>,
    /// Tag text -> URL slug.
    pub tags: BTreeMap<String, String>,
    /// Per language: index of the article shown for each Vietnamese
    /// article slug (the English version where there is one).
    pub articles: HashMap<Lang, Vec<usize>>,
    /// Per language: standing pages, likewise.
    pub pages: HashMap<Lang, Vec<usize>>,
}

impl<'a> Renderer<'a> {
    fn strings(&self, lang: Lang) -> &Strings {
        self.strings
            .get(&lang)
            .or_else(|| self.strings.get(&Lang::Vi))
            .unwrap_or(&EMPTY_STRINGS)
    }

    pub fn views(&'a self, lang: Lang) -> views::Views<'a> {
        views::Views {
            model: self.model,
            fig: self.fig,
            lang,
            t: self.strings(lang),
            home: format!("{}{}", self.base, lang.prefix()),
        }
    }

    pub fn render_template(
        &self,
        template: &str,
        ctx: &impl Serialize,
        diags: &mut Diagnostics,
    ) -> Option<Vec<u8>> {
        let ctx = match tera::Context::from_serialize(ctx) {
            Ok(c) => c,
            Err(e) => {
                diags.error(
                    Loc::file(&Arc::from(template)),
                    format!("cannot prepare the page data: {e}"),
                );
                return None;
            }
        };
        match self.tera.render(template, &ctx) {
            Ok(s) => Some(s.into_bytes()),
            Err(e) => {
                diags.error(
                    Loc::file(&Arc::from(format!("templates/{template}").as_str())),
                    template_error(&e),
                );
                None
            }
        }
    }

    /// The context every page shares.
    pub fn common(
        &'a self,
        lang: Lang,
        job: &Job,
        section: &'a str,
        title: String,
        description: String,
    ) -> views::Common<'a> {
        let site = self.model.site();
        let v = self.views(lang);
        let dir = job.dir(self.model, &self.tags);
        let menu_pages = self.pages.get(&lang).map(Vec::as_slice).unwrap_or(&[]);
        let mut menu: Vec<(i64, &str, views::Link)> = menu_pages
            .iter()
            .map(|&i| &self.model.pages[i])
            .filter_map(|p| {
                p.menu.map(|n| {
                    (
                        n,
                        p.slug.as_str(),
                        views::Link {
                            label: p.title.clone(),
                            url: v.url(&format!("{}/", p.slug)),
                        },
                    )
                })
            })
            .collect();
        menu.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        let alternates = self
            .langs
            .iter()
            .filter(|&&l| l != lang)
            .map(|&l| views::Alternate {
                code: l.code(),
                label: self.strings(l).get("language_name").to_string(),
                url: format!("{}{}{}", self.base, l.prefix(), dir),
                full_url: format!("{}{}{}{}", self.origin, self.base, l.prefix(), dir),
            })
            .collect();
        views::Common {
            site: views::SiteView {
                title: lang.pick(&site.title, site.title_en.as_deref()),
                description: lang.pick(
                    site.description.as_deref().unwrap_or(""),
                    site.description_en.as_deref(),
                ),
                owner: site.owner.as_deref().unwrap_or(""),
                contact: site.contact.as_deref().unwrap_or(""),
                sample_data: site.sample_data,
                data_license: site.data_license.as_deref().unwrap_or(""),
            },
            lang: lang.code(),
            t: self.strings(lang),
            base: &self.base,
            home: v.home.clone(),
            as_of: crate::date::fmt_date(self.fig.as_of),
            as_of_iso: self.fig.as_of.to_string(),
            section,
            menu: menu.into_iter().map(|(_, _, l)| l).collect(),
            alternates,
            canonical: format!("{}{}{}{}", self.origin, self.base, lang.prefix(), dir),
            method_url: if self.model.pages.iter().any(|p| p.slug == METHOD_PAGE) {
                v.url(&format!("{METHOD_PAGE}/"))
            } else {
                String::new()
            },
            page_title: title,
            page_description: description,
        }
    }
}

static EMPTY_STRINGS: std::sync::LazyLock<Strings> = std::sync::LazyLock::new(Strings::default);

/// A template error with its cause chain, on one line.
fn template_error(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg.replace('\n', " ")
}

/// The origin (scheme and host) of a base URL, or "" for a bare path.
fn origin(base_url: &str) -> String {
    for scheme in ["https://", "http://"] {
        if let Some(rest) = base_url.strip_prefix(scheme) {
            let host = rest.split('/').next().unwrap_or("");
            return format!("{scheme}{host}");
        }
    }
    String::new()
}

/// Every page, for every language, in a stable order.
fn jobs(m: &Model, fig: &Figures, r: &Renderer) -> Vec<(Lang, Job)> {
    let mut out = Vec::new();
    for &lang in &r.langs {
        let mut add = |j: Job| out.push((lang, j));
        add(Job::Home);
        add(Job::NotFound);
        add(Job::Tasks(None));
        for s in Status::ALL {
            add(Job::Tasks(Some(s)));
        }
        (0..m.tasks.len()).for_each(|i| add(Job::Task(i)));
        add(Job::Agencies);
        (0..m.agencies.len()).for_each(|i| add(Job::Agency(i)));
        (0..m.groups.len()).for_each(|i| add(Job::Group(i)));
        add(Job::Kpis);
        (0..m.kpis.len()).for_each(|i| add(Job::Kpi(i)));
        add(Job::Reports);
        for p in fig
            .months
            .keys()
            .chain(fig.changes.keys())
            .collect::<BTreeSet<_>>()
        {
            add(Job::Report(*p));
        }
        add(Job::Deadlines);
        let articles = r.articles.get(&lang).map_or(0, Vec::len);
        for n in 0..articles.div_ceil(ARTICLES_PER_PAGE).max(1) {
            add(Job::News(n));
        }
        for &i in r.articles.get(&lang).into_iter().flatten() {
            add(Job::Article(i));
        }
        for tag in r.tags.keys() {
            add(Job::Tag(tag.clone()));
        }
        for &i in r.pages.get(&lang).into_iter().flatten() {
            add(Job::Page(i));
        }
    }
    out
}

/// For each language, which version of each article (or page) to show:
/// the language's own where it exists, else the Vietnamese one.
fn versions<T>(
    items: &[T],
    slug: impl Fn(&T) -> &str,
    lang_of: impl Fn(&T) -> Option<&str>,
    langs: &[Lang],
) -> HashMap<Lang, Vec<usize>> {
    let mut out = HashMap::new();
    for &lang in langs {
        let mut chosen: Vec<usize> = Vec::new();
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        for (i, item) in items.iter().enumerate() {
            let s = slug(item);
            if seen.contains(s) {
                continue;
            }
            let own = items.iter().position(|x| {
                slug(x) == s && lang_of(x) == Some(lang.code()).filter(|_| lang != Lang::Vi)
            });
            let vi = items
                .iter()
                .position(|x| slug(x) == s && lang_of(x).is_none());
            if let Some(pick) = own.or(vi).or(Some(i)) {
                chosen.push(pick);
                seen.insert(s);
            }
        }
        out.insert(lang, chosen);
    }
    out
}

/// Renders every page of the site.
pub fn render(
    model: &Model,
    figures: &Figures,
    options: &RenderOptions,
    diags: &mut Diagnostics,
) -> RenderedSite {
    let mut tera = tera::Tera::new();
    let templates: Vec<(&str, &str)> = model
        .theme
        .templates
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    if let Err(e) = tera.add_raw_templates(templates) {
        diags.error(Loc::file(&Arc::from("templates")), template_error(&e));
        return RenderedSite::default();
    }
    let base_url = options
        .base_url
        .clone()
        .unwrap_or_else(|| model.site().base_url.clone());
    let langs: Vec<Lang> = model
        .site()
        .languages
        .iter()
        .filter_map(|l| Lang::parse(l))
        .collect();
    let langs = if langs.is_empty() {
        vec![Lang::Vi]
    } else {
        langs
    };
    let empty = BTreeMap::new();
    let vi = model.theme.i18n.get("vi").unwrap_or(&empty);
    let strings = langs
        .iter()
        .map(|&l| (l, Strings::new(vi, model.theme.i18n.get(l.code()))))
        .collect();
    let mut tags = BTreeMap::new();
    for a in &model.articles {
        for t in &a.tags {
            let slug = crate::text::slugify(t);
            if !slug.is_empty() {
                tags.insert(t.clone(), slug);
            }
        }
    }
    let articles = versions(
        &model.articles,
        |a| a.slug.as_str(),
        |a| a.lang.as_deref(),
        &langs,
    );
    let pages = versions(
        &model.pages,
        |p| p.slug.as_str(),
        |p| p.lang.as_deref(),
        &langs,
    );
    let r = Renderer {
        model,
        fig: figures,
        tera,
        base: base_path(&base_url),
        origin: origin(&base_url),
        langs,
        strings,
        tags,
        articles,
        pages,
    };
    let list = jobs(model, figures, &r);
    let rendered: Vec<(String, Option<Vec<u8>>, Diagnostics)> = list
        .par_iter()
        .map(|(lang, job)| {
            let mut d = Diagnostics::new();
            let page = pages::render_job(&r, *lang, job, &mut d);
            (
                format!("{}{}", lang.prefix(), job.file(model, &r.tags)),
                page,
                d,
            )
        })
        .collect();
    let mut site = RenderedSite::default();
    for (path, page, d) in rendered {
        diags.extend(d);
        if let Some(bytes) = page {
            site.files.insert(path, bytes);
        }
    }
    for (name, bytes) in &model.theme.assets {
        site.files.insert(format!("assets/{name}"), bytes.clone());
    }
    // Static files are served from the root; one that would replace a
    // generated file is an error rather than a silent loss.
    for f in &model.static_files {
        if site.files.contains_key(&f.url_path)
            || site
                .files
                .contains_key(&format!("{}/index.html", f.url_path))
        {
            diags.error(
                Loc::file(&f.file),
                format!(
                    "static file /{} would replace a generated page; rename or move it",
                    f.url_path
                ),
            );
        }
    }
    site
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_paths() {
        assert_eq!(base_path("https://example.gov.vn"), "/");
        assert_eq!(base_path("https://example.gov.vn/"), "/");
        assert_eq!(base_path("https://example.gov.vn/tien-do"), "/tien-do/");
        assert_eq!(base_path("http://127.0.0.1:8000/"), "/");
        assert_eq!(base_path("/portal/"), "/portal/");
        assert_eq!(origin("http://127.0.0.1:8000/x/"), "http://127.0.0.1:8000");
        assert_eq!(origin("/x/"), "");
    }

    #[test]
    fn percents_use_the_decimal_comma() {
        assert_eq!(fmt_percent(80.0), "80");
        assert_eq!(fmt_percent(78.5), "78,5");
        assert_eq!(fmt_percent(33.333), "33,3");
    }
}
