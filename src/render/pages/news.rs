//! Part of render, news and standing pages: the news list and its pages,
//! articles, tags, standing pages and the 404 page. Input: the renderer.
//! Output: the pages' HTML.

use super::*;

/// The news list, split into pages.
pub(super) static NEWS: PageKind = PageKind {
    template: "news.html",
    jobs: |r, lang| {
        let articles = r.index.articles.get(&lang).map_or(0, Vec::len);
        (0..articles.div_ceil(ARTICLES_PER_PAGE).max(1))
            .map(Key::Nth)
            .collect()
    },
    route: |_, key| match key {
        Key::Nth(n) => Route::News(*n),
        _ => Route::News(0),
    },
    render: |r, lang, job, d| match job.key {
        Key::Nth(n) => news(r, lang, job, n, d),
        _ => None,
    },
    source: from_templates,
    deferred: false,
    sitemap: true,
    share: None,
};

/// An article, in the language's version.
pub(super) static ARTICLE: PageKind = PageKind {
    template: "article.html",
    jobs: |r, lang| {
        r.index
            .articles
            .get(&lang)
            .into_iter()
            .flatten()
            .map(|&i| Key::Item(i))
            .collect()
    },
    route: |at, key| match key {
        Key::Item(i) => Route::Article(&at.m.articles[*i].slug),
        _ => Route::News(0),
    },
    render: |r, lang, job, d| match job.key {
        Key::Item(i) => article(r, lang, job, i, d),
        _ => None,
    },
    source: |m, key| match key {
        Key::Item(i) => Some(std::sync::Arc::clone(&m.articles[*i].file)),
        _ => None,
    },
    deferred: false,
    sitemap: true,
    share: None,
};

/// The articles and tasks with a tag, split into pages.
pub(super) static TAG: PageKind = PageKind {
    template: "tag.html",
    jobs: |r, lang| {
        r.index
            .tags
            .iter()
            .flat_map(|(tag, slug)| {
                let rows = tag_rows(r, lang, tag, slug);
                (0..page_count(rows)).map(move |n| Key::Tag(tag.clone(), n))
            })
            .collect()
    },
    route: |at, key| match key {
        Key::Tag(tag, n) => Route::Tag(at.tags.get(tag).map_or("", String::as_str)).paged(*n),
        _ => Route::News(0),
    },
    render: |r, lang, job, d| match &job.key {
        Key::Tag(t, n) => tag(r, lang, job, t, *n, d),
        _ => None,
    },
    source: from_templates,
    deferred: false,
    sitemap: true,
    share: None,
};

/// A standing page.
pub(super) static PAGE: PageKind = PageKind {
    template: "page.html",
    jobs: |r, lang| {
        r.index
            .pages
            .get(&lang)
            .into_iter()
            .flatten()
            .map(|&i| Key::Item(i))
            .collect()
    },
    route: |at, key| match key {
        Key::Item(i) => Route::Page(&at.m.pages[*i].slug),
        _ => Route::Home,
    },
    render: |r, lang, job, d| match job.key {
        Key::Item(i) => page(r, lang, job, i, d),
        _ => None,
    },
    source: |m, key| match key {
        Key::Item(i) => Some(std::sync::Arc::clone(&m.pages[*i].file)),
        _ => None,
    },
    deferred: false,
    sitemap: true,
    share: None,
};

/// The accessibility statement (`/kha-nang-tiep-can/`), linked from every
/// footer.
pub(super) static ACCESSIBILITY: PageKind = PageKind {
    template: "accessibility.html",
    jobs: |_, _| vec![Key::One],
    route: |_, _| Route::Accessibility,
    render: accessibility,
    source: from_templates,
    deferred: false,
    sitemap: true,
    share: None,
};

/// The 404 page, at the root of each language.
pub(crate) static NOT_FOUND: PageKind = PageKind {
    template: "404.html",
    jobs: |_, _| vec![Key::One],
    route: |_, _| Route::NotFound,
    render: not_found,
    source: from_templates,
    deferred: false,
    sitemap: false,
    share: None,
};

pub(super) fn news(
    r: &Renderer,
    lang: Lang,
    job: &Job,
    n: usize,
    d: &mut Diagnostics,
) -> Option<Output> {
    #[derive(Serialize)]
    struct Page<'a> {
        #[serde(flatten)]
        common: Common<'a>,
        articles: Vec<ArticleCard<'a>>,
        page: usize,
        pages: usize,
        /// The page numbers, when the list takes more than one page.
        pager: Pager,
    }
    let v = r.views(lang);
    let all: Vec<usize> = r.index.articles.get(&lang).cloned().unwrap_or_default();
    let pages = all.len().div_ceil(ARTICLES_PER_PAGE).max(1);
    let page_url = |k: usize| v.route(&Route::News(k));
    let ctx = Page {
        common: r.common(
            lang,
            job,
            "news",
            v.t.get("news_title").to_string(),
            String::new(),
        ),
        articles: all
            .iter()
            .skip(n * ARTICLES_PER_PAGE)
            .take(ARTICLES_PER_PAGE)
            .map(|&i| card(r, &v, &r.model.articles[i]))
            .collect(),
        page: n + 1,
        pages,
        pager: numbered(
            pages,
            n,
            span_summary(&v, "pager_articles", all.len(), n, ARTICLES_PER_PAGE),
            page_url,
        ),
    };
    r.render_page(lang, job, &ctx, d)
}

pub(super) fn article(
    r: &Renderer,
    lang: Lang,
    job: &Job,
    i: usize,
    d: &mut Diagnostics,
) -> Option<Output> {
    #[derive(Serialize)]
    struct Page<'a> {
        #[serde(flatten)]
        common: Common<'a>,
        article: ArticleCard<'a>,
        author: &'a str,
        image: String,
        image_alt: &'a str,
        body: &'a markdown::Rendered,
        show_toc: bool,
        tasks: Vec<TaskRow<'a>>,
        kpis: Vec<views::KpiRow<'a>>,
    }
    let a = &r.model.articles[i];
    // Its input key (render::incremental): the tasks and KPIs it shows.
    let tasks: Vec<usize> = a
        .tasks
        .iter()
        .filter_map(|t| r.model.task_index(t))
        .collect();
    let kpis = r.index.article_kpis.get(i).into_iter().flatten().copied();
    let key = r.input_key(lang, "article", tasks.iter().copied(), kpis);
    if let Some(kept) = r.kept_by_key(lang, job, key) {
        return Some(kept);
    }
    let v = r.views(lang);
    let body = &a.html;
    let image = a.image.as_deref().map(|img| {
        if img.starts_with('/') {
            format!("{}{}", r.base, img.trim_start_matches('/'))
        } else {
            img.to_string()
        }
    });
    let ctx = Page {
        common: r.common(
            lang,
            job,
            "news",
            a.title.clone(),
            a.summary.clone().unwrap_or_default(),
        ),
        article: card(r, &v, a),
        author: a.author.as_deref().unwrap_or(""),
        image: image.unwrap_or_default(),
        image_alt: a.image_alt.as_deref().unwrap_or(""),
        show_toc: body.toc.len() >= 3,
        body,
        tasks: v.rows(tasks),
        kpis: r
            .index
            .article_kpis
            .get(i)
            .into_iter()
            .flatten()
            .map(|&k| v.kpi_row(k))
            .collect(),
    };
    r.render_page_keyed(lang, job, key, &ctx, d)
}

/// The language's articles with a tag (newest first) and the tasks with
/// it (deadline order), as indices.
fn tagged<'r>(r: &'r Renderer, lang: Lang, tag: &str, slug: &str) -> (&'r [usize], &'r [usize]) {
    r.index.tagged(lang, tag, slug)
}

/// The rows a tag's page splits: its longer list, articles or tasks.
pub(crate) fn tag_rows(r: &Renderer, lang: Lang, tag: &str, slug: &str) -> usize {
    let (articles, tasks) = tagged(r, lang, tag, slug);
    articles.len().max(tasks.len())
}

/// Page `n` of a tag's page: the `n`th hundred of its articles and of its
/// tasks side by side.
pub(super) fn tag(
    r: &Renderer,
    lang: Lang,
    job: &Job,
    tag: &str,
    n: usize,
    d: &mut Diagnostics,
) -> Option<Output> {
    #[derive(Serialize)]
    struct Page<'a> {
        #[serde(flatten)]
        common: Common<'a>,
        tag: &'a str,
        /// The heading's words around the tag's name, which is in the
        /// content's language (Vietnamese) and carries its own `lang`.
        tag_prefix: String,
        tag_suffix: String,
        articles: Vec<ArticleCard<'a>>,
        tasks: Vec<TaskRow<'a>>,
        pager: Pager,
    }
    let v = r.views(lang);
    let slug = r.index.tags.get(tag).map_or("", String::as_str);
    let (articles, tasks) = tagged(r, lang, tag, slug);
    let route = Route::Tag(slug);
    let ctx = Page {
        common: r.common(
            lang,
            job,
            "news",
            v.t.get("tag_title").replace("{tag}", tag),
            String::new(),
        ),
        tag,
        tag_prefix: v
            .t
            .get("tag_title")
            .split("{tag}")
            .next()
            .unwrap_or("")
            .to_string(),
        tag_suffix: v
            .t
            .get("tag_title")
            .split("{tag}")
            .nth(1)
            .unwrap_or("")
            .to_string(),
        articles: page_of(articles, n)
            .into_iter()
            .map(|i| card(r, &v, &r.model.articles[i]))
            .collect(),
        tasks: v.rows(page_of(tasks, n)),
        pager: pager(r, &v, articles.len().max(tasks.len()), n, |k| {
            v.route(&route.clone().paged(k))
        }),
    };
    r.render_page(lang, job, &ctx, d)
}

pub(super) fn page(
    r: &Renderer,
    lang: Lang,
    job: &Job,
    i: usize,
    d: &mut Diagnostics,
) -> Option<Output> {
    #[derive(Serialize)]
    struct View<'a> {
        #[serde(flatten)]
        common: Common<'a>,
        title: &'a str,
        /// The `lang` of the page's text ("" for the page's language).
        content_lang: &'static str,
        body: markdown::Rendered,
        show_toc: bool,
        /// On the methodology page: the settings in force and the rule
        /// texts written from them.
        settings: Vec<(String, String)>,
        rules: Vec<(&'a str, &'a str)>,
    }
    let p = &r.model.pages[i];
    let site = r.model.site();
    let v = r.views(lang);
    // A page may quote a setting as `{due_soon_days}` or `{report_day}`.
    let text = super::super::page_text(r.model, p);
    let body = markdown::render(&text);
    let method = p.slug == super::super::METHOD_PAGE;
    let settings = if method {
        vec![
            (
                v.t.get("settings_due_soon_days").to_string(),
                v.t.with("settings_days", site.due_soon_days),
            ),
            (
                v.t.get("settings_report_day").to_string(),
                v.t.with("settings_day_of_month", site.report_day),
            ),
            (v.t.get("settings_as_of").to_string(), fmt_date(r.fig.as_of)),
        ]
    } else {
        Vec::new()
    };
    let rules = if method {
        Status::ALL
            .iter()
            .map(|s| (v.t.status(*s), v.t.get(&format!("rule_{}", s.code()))))
            .collect()
    } else {
        Vec::new()
    };
    let ctx = View {
        common: r.common(
            lang,
            job,
            &p.slug,
            p.title.clone(),
            p.description.clone().unwrap_or_default(),
        ),
        title: &p.title,
        content_lang: v.content_lang(p.lang.as_deref()),
        show_toc: body.toc.len() >= 3,
        body,
        settings,
        rules,
    };
    r.render_page(lang, job, &ctx, d)
}

pub(super) fn not_found(
    r: &Renderer,
    lang: Lang,
    job: &Job,
    d: &mut Diagnostics,
) -> Option<Output> {
    #[derive(Serialize)]
    struct View<'a> {
        #[serde(flatten)]
        common: Common<'a>,
    }
    let v = r.views(lang);
    let ctx = View {
        common: r.common(
            lang,
            job,
            "",
            v.t.get("not_found_title").to_string(),
            String::new(),
        ),
    };
    r.render_page(lang, job, &ctx, d)
}

/// The accessibility statement: the standard, what the browser suite
/// checks on every page kind before each release of tiendo, the known
/// exceptions and whom to tell.
fn accessibility(r: &Renderer, lang: Lang, job: &Job, d: &mut Diagnostics) -> Option<Output> {
    #[derive(Serialize)]
    struct Page<'a> {
        #[serde(flatten)]
        common: Common<'a>,
        version: &'static str,
        contact: &'a str,
    }
    let v = r.views(lang);
    let ctx = Page {
        common: r.common(
            lang,
            job,
            "",
            v.t.get("a11y_title").to_string(),
            v.t.get("a11y_lead").to_string(),
        ),
        version: env!("CARGO_PKG_VERSION"),
        contact: r.model.site().contact.as_deref().unwrap_or(""),
    };
    r.render_page(lang, job, &ctx, d)
}
