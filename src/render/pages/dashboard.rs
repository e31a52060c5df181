//! Part of render, the dashboard (`/`): headline figures, status and burn-up
//! charts, overdue tasks and the agencies that hold them, KPIs, next
//! deadlines, missing reports, latest news. Input: the renderer (model and
//! figures). Output: the page's HTML.

use super::*;

/// The dashboard (`/`).
pub(super) static HOME: PageKind = PageKind {
    template: "index.html",
    jobs: |_, _| vec![Key::One],
    route: |_, _| Route::Home,
    render: home,
    source: from_templates,
    deferred: false,
    sitemap: true,
    share: Some(crate::render::share::dashboard),
};

#[derive(Serialize)]
struct MissingView {
    agency: String,
    agency_lang: &'static str,
    url: String,
    months: Vec<Link>,
}

pub(super) fn home(r: &Renderer, lang: Lang, job: &Job, d: &mut Diagnostics) -> Option<Output> {
    #[derive(Serialize)]
    struct Home<'a> {
        #[serde(flatten)]
        common: Common<'a>,
        rollup: views::RollupView,
        overdue: Vec<TaskRow<'a>>,
        /// Past [`ROWS_PER_PAGE`] overdue tasks, the most overdue ones
        /// only, the count and the link to the overdue view.
        overdue_more: Option<More>,
        /// Open tasks whose lead says they are at risk or off track.
        early_warnings: Vec<TaskRow<'a>>,
        /// The register's counts by state, and who owes replies on D.
        #[serde(flatten)]
        proposals: super::proposals::Summary<'a>,
        /// Tasks without a lead on D: the "5 rõ" gap.
        unassigned: Vec<TaskRow<'a>>,
        /// How many of them are recurring, in words ("" when none): the
        /// status count "Chưa giao chủ trì" leaves those out.
        unassigned_recurring: String,
        gap_anchor: &'static str,
        upcoming: Vec<TaskRow<'a>>,
        kpis: Vec<views::KpiRow<'a>>,
        /// Likewise past [`ROWS_PER_PAGE`] KPIs, the link to their list.
        kpis_more: Option<More>,
        missing: Vec<MissingView>,
        news: Vec<ArticleCard<'a>>,
        /// Each agency holding overdue tasks, and the list of them.
        agencies_overdue: Vec<AgencyOverdue>,
        status_chart: Option<views::ChartView>,
        burnup_chart: Option<views::ChartView>,
        burnup: Vec<BurnupRow>,
    }
    #[derive(Serialize)]
    struct AgencyOverdue {
        agency: views::LangLink,
        count: usize,
        url: String,
    }
    #[derive(Serialize)]
    struct BurnupRow {
        month: String,
        due: usize,
        done: usize,
    }
    let v = r.views(lang);
    let burnup: Vec<BurnupRow> = r
        .index
        .burnup_months
        .iter()
        .map(|p| BurnupRow {
            month: fmt_date(p.date),
            due: p.due,
            done: p.done,
        })
        .collect();
    let o = &r.fig.overall;
    let t = v.t;
    let (overdue, _) = top(o.overdue.clone());
    let overdue_more = more(
        &v,
        overdue.len(),
        o.overdue.len(),
        vec![Link {
            label: t
                .get("see_all_overdue")
                .replace("{count}", &o.overdue.len().to_string()),
            url: v.route(&Route::StatusView(Status::Overdue.code())),
        }],
    );
    let (kpis, _) = top((0..r.model.kpis.len()).collect::<Vec<_>>());
    let kpis_more = more(
        &v,
        kpis.len(),
        r.model.kpis.len(),
        vec![Link {
            label: t
                .get("see_all_kpis")
                .replace("{count}", &r.model.kpis.len().to_string()),
            url: v.route(&Route::Kpis),
        }],
    );
    let ctx = Home {
        common: r.common(
            lang,
            job,
            "home",
            t.get("home_title").to_string(),
            String::new(),
        ),
        rollup: v.rollup(o, views::Scope::Site),
        overdue: v.rows(overdue),
        overdue_more,
        early_warnings: v.rows(r.index.early_warnings.iter().copied()),
        proposals: super::proposals::summary(&v),
        unassigned: v.rows(r.index.without_lead.iter().copied()),
        unassigned_recurring: match r.index.without_lead_recurring {
            0 => String::new(),
            n => t.with("home_unassigned_recurring", n),
        },
        gap_anchor: super::super::GAP_ANCHOR,
        upcoming: v.rows(r.index.next_deadlines.iter().copied()),
        kpis: kpis.into_iter().map(|k| v.kpi_row(k)).collect(),
        kpis_more,
        missing: r
            .index
            .missing_reports
            .iter()
            .map(|(a, ps)| MissingView {
                agency: v.agency_full(a).to_string(),
                agency_lang: r.model.agency(a).map_or("", |x| v.agency_name_lang(x).1),
                url: v.agency_url(a),
                months: ps
                    .iter()
                    .map(|p| Link {
                        label: lang.period(*p),
                        url: v.route(&Route::Report(*p)),
                    })
                    .collect(),
            })
            .collect(),
        news: latest_articles(r, &v, lang),
        agencies_overdue: r
            .index
            .overdue_holders
            .iter()
            .map(|h| AgencyOverdue {
                agency: v.agency_link(h.agency),
                count: h.overdue,
                url: v.route(&views::Scope::Agency(h.agency).view(Status::Overdue)),
            })
            .collect(),
        status_chart: r.chart(lang, &Route::Chart(SiteChart::Status)),
        burnup_chart: r.chart(lang, &Route::Chart(SiteChart::Burnup)),
        burnup,
    };
    r.render_page(lang, job, &ctx, d)
}
