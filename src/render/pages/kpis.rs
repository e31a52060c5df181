//! Part of render, the KPI pages: the list (`/chi-tieu/`) and each KPI with
//! its chart and values. Input: the renderer. Output: the pages' HTML.

use super::*;

/// The KPI list, split into pages.
pub(super) static KPIS: PageKind = PageKind {
    template: "kpis.html",
    jobs: |r, _| (0..page_count(r.model.kpis.len())).map(Key::Nth).collect(),
    route: |_, key| match key {
        Key::Nth(n) => Route::Kpis.paged(*n),
        _ => Route::Kpis,
    },
    render: |r, lang, job, d| match job.key {
        Key::Nth(n) => kpis(r, lang, job, n, d),
        _ => None,
    },
    source: |_, _| Some(std::sync::Arc::from("content/kpis.yaml")),
    deferred: false,
    sitemap: true,
    share: None,
};

/// A KPI: chart, values, tasks.
pub(super) static KPI: PageKind = PageKind {
    template: "kpi.html",
    jobs: |r, _| (0..r.model.kpis.len()).map(Key::Item).collect(),
    route: |at, key| match key {
        Key::Item(i) => Route::Kpi(&at.m.kpis[*i].id),
        _ => Route::Kpis,
    },
    render: |r, lang, job, d| match job.key {
        Key::Item(i) => kpi(r, lang, job, i, d),
        _ => None,
    },
    source: |_, _| Some(std::sync::Arc::from("content/kpis.yaml")),
    deferred: false,
    sitemap: true,
    share: Some(crate::render::share::kpi),
};

/// Page `n` of the KPI list: every KPI in its order, [`ROWS_PER_PAGE`] a
/// page past that many (the first page at the list's own address).
pub(super) fn kpis(
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
        kpis: Vec<views::KpiRow<'a>>,
        pager: Pager,
        /// The national indicator sets and their KPIs (first page only).
        frameworks: Vec<Framework<'a>>,
    }
    #[derive(Serialize)]
    struct Framework<'a> {
        name: &'a str,
        kpis: Vec<(views::LangLink, &'a str)>,
    }
    let v = r.views(lang);
    let all: Vec<usize> = (0..r.model.kpis.len()).collect();
    let frameworks = if n == 0 {
        r.index
            .kpi_frameworks
            .iter()
            .map(|(name, list)| Framework {
                name,
                kpis: list
                    .iter()
                    .map(|&(k, code)| (v.kpi_link(&r.model.kpis[k]), code.unwrap_or("")))
                    .collect(),
            })
            .collect()
    } else {
        Vec::new()
    };
    let ctx = Page {
        common: r.common(
            lang,
            job,
            "kpis",
            v.t.get("kpis_title").to_string(),
            v.t.get("kpis_description").to_string(),
        ),
        kpis: page_of(&all, n).into_iter().map(|k| v.kpi_row(k)).collect(),
        frameworks,
        pager: numbered(
            page_count(all.len()),
            n,
            span_summary(&v, "pager_rows", all.len(), n, ROWS_PER_PAGE),
            |k| v.route(&Route::Kpis.paged(k)),
        )
        .with_data(r, Table::Kpis),
    };
    r.render_page(lang, job, &ctx, d)
}

pub(super) fn kpi(
    r: &Renderer,
    lang: Lang,
    job: &Job,
    k: usize,
    d: &mut Diagnostics,
) -> Option<Output> {
    #[derive(Serialize)]
    struct Point {
        date: String,
        date_iso: String,
        value: String,
        source: String,
        source_url: String,
        note: String,
    }
    #[derive(Serialize)]
    struct Page<'a> {
        #[serde(flatten)]
        common: Common<'a>,
        kpi: views::KpiRow<'a>,
        description: &'a str,
        /// The "Siêu dữ liệu" block: label and value, in order; a value in
        /// Vietnamese on another language's page carries its `lang`.
        meta: Vec<MetaLine>,
        points: Vec<Point>,
        tasks: Vec<TaskRow<'a>>,
        news: Vec<ArticleCard<'a>>,
        chart: Option<views::ChartView>,
        feed_url: String,
    }
    let v = r.views(lang);
    let kpi = &r.model.kpis[k];
    let ks = &r.fig.kpis[k];
    let points = ks
        .points
        .iter()
        .rev()
        .map(|p| {
            let (source, source_url, note) = match p.report {
                Some(ri) => {
                    let rep = &r.model.reports[ri];
                    let note = rep
                        .kpi_values
                        .iter()
                        .find(|x| x.kpi == kpi.id && x.date == p.date)
                        .and_then(|x| x.note.clone())
                        .unwrap_or_default();
                    (
                        v.t.get("kpi_source_report")
                            .replace("{agency}", v.agency_short(&rep.agency))
                            .replace("{period}", &lang.period(rep.period)),
                        v.route(&Route::Report(rep.period)),
                        note,
                    )
                }
                None => (
                    v.t.get("kpi_baseline").to_string(),
                    String::new(),
                    String::new(),
                ),
            };
            Point {
                date: fmt_date(p.date),
                date_iso: p.date.to_string(),
                value: v.value(kpi, p.value),
                source,
                source_url,
                note,
            }
        })
        .collect();
    let name = v.kpi_name(kpi);
    let ctx = Page {
        common: r.common(lang, job, "kpis", name.to_string(), String::new()),
        kpi: v.kpi_row(k),
        description: kpi.description.as_deref().unwrap_or(""),
        meta: meta_lines(&v, kpi),
        points,
        tasks: v.rows(r.index.kpi_tasks[k].iter().copied()),
        news: articles_about(r, &v, lang, &kpi.id),
        chart: r.chart(lang, &Route::KpiChart(&kpi.id)),
        feed_url: v.route(&Route::KpiFeed(&kpi.id)),
    };
    r.render_page(lang, job, &ctx, d)
}

/// One line of a KPI's metadata block.
#[derive(Serialize)]
struct MetaLine {
    label: String,
    /// Plain text, or HTML for the definition (Markdown).
    value: String,
    html: bool,
    lang: &'static str,
}

/// A KPI's metadata, as far as it is given: definition, formula, source,
/// frequency, the national indicator sets it feeds.
fn meta_lines(v: &Views, kpi: &crate::model::Kpi) -> Vec<MetaLine> {
    let m = &kpi.meta;
    let mut out = Vec::new();
    let (definition, lang) = match (v.lang, &m.definition_en, &m.definition) {
        (Lang::En, Some(en), _) => (Some(en.as_str()), ""),
        (_, _, Some(vi)) => (Some(vi.as_str()), v.content_lang(None)),
        _ => (None, ""),
    };
    if let Some(d) = definition {
        out.push(MetaLine {
            label: v.t.get("kpi_meta_definition").to_string(),
            value: markdown::to_html(d),
            html: true,
            lang,
        });
    }
    for (key, value) in [
        ("kpi_meta_formula", &m.formula),
        ("kpi_meta_source", &m.source),
    ] {
        if let Some(text) = value {
            out.push(MetaLine {
                label: v.t.get(key).to_string(),
                value: text.clone(),
                html: false,
                lang: v.content_lang(None),
            });
        }
    }
    if let Some(f) = m.frequency {
        out.push(MetaLine {
            label: v.t.get("kpi_meta_frequency").to_string(),
            value: v.t.keyed("frequency_", f.code()).to_string(),
            html: false,
            lang: "",
        });
    }
    for (name, code) in &m.framework {
        out.push(MetaLine {
            label: v.t.get("kpi_meta_framework").to_string(),
            value: match code {
                Some(c) => format!("{name} ({c})"),
                None => name.clone(),
            },
            html: false,
            lang: v.content_lang(None),
        });
    }
    out
}
