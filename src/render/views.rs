//! Template contexts: small serializable views made for the templates, never
//! the domain types themselves, so what a page may show is explicit. Here:
//! what every page shares, links, names and figures in words; the rows and
//! counts pages list are in [`rows`].

use super::i18n::{Lang, Strings};
use crate::date::fmt_date;
use crate::model::{Agency, Kpi, Model, Task};
use crate::route::Route;
use crate::status::{Figures, KpiStatus, Outcome, Rollup, Status, TaskStatus, Verdict};
use serde::Serialize;

mod rows;
pub use rows::*;

/// How a status is drawn: text, icon and colour, everywhere the same.
#[derive(Serialize, Clone)]
pub struct StatusView {
    pub code: &'static str,
    pub label: String,
    pub icon: &'static str,
    pub rank: usize,
}

pub fn icon(s: Status) -> &'static str {
    match s {
        Status::DoneOnTime => "✓",
        Status::DoneLate => "✓",
        Status::Ongoing => "↻",
        Status::Overdue => "!",
        Status::DueSoon => "◷",
        Status::Blocked => "⊘",
        Status::InProgress => "►",
        Status::Unassigned => "?",
        Status::NotStarted => "○",
    }
}

pub fn status_view(s: Status, t: &Strings) -> StatusView {
    StatusView {
        code: s.code(),
        label: t.status(s).to_string(),
        icon: icon(s),
        rank: s.index(),
    }
}

#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub owner: &'a str,
    pub contact: &'a str,
    /// The `lang` of the title and the description ("" for the page's).
    pub title_lang: &'static str,
    pub description_lang: &'static str,
    pub sample_data: bool,
    pub data_license: &'a str,
}

#[derive(Serialize)]
pub struct Alternate {
    pub code: &'static str,
    pub label: String,
    pub url: String,
    /// With scheme and host, for `<link rel="alternate">`.
    pub full_url: String,
}

#[derive(Serialize, Clone)]
pub struct Link {
    pub label: String,
    pub url: String,
}

/// A link whose text may be in another language than the page's: `lang`
/// is the attribute its element needs ("" when it is the page's).
#[derive(Serialize, Clone)]
pub struct LangLink {
    pub label: String,
    pub lang: &'static str,
    pub url: String,
}

/// What every page of one language shares, made once per language and set
/// in its template engine's global context (with the UI strings `t`), so
/// that no page builds, clones or serialises it again.
#[derive(Serialize)]
pub struct Shared<'a> {
    pub site: SiteView<'a>,
    pub lang: &'static str,
    /// The site root path (for assets), with slashes at both ends.
    pub base: &'a str,
    /// The site's scheme and host ("" when base_url is a bare path): the
    /// print style writes it before a link's path.
    pub origin: &'a str,
    /// The language's root path: `base`, or `base` + `en/`.
    pub home: String,
    pub menu: &'a [LangLink],
    /// The methodology page, when the site has one.
    pub method_url: String,
    /// The URLs of the sections and assets every page may link to.
    pub nav: Nav,
    /// The `lang` of content written only in Vietnamese (notes, summaries,
    /// descriptions, reasons: fields with no English version), from
    /// [`Lang::lang_of`]: "vi" on other languages' pages, "" otherwise.
    pub vi_lang: &'static str,
}

/// What every page template receives besides [`Shared`]: the page's own
/// part of the frame.
#[derive(Serialize)]
pub struct Common<'a> {
    pub as_of: String,
    pub as_of_iso: String,
    /// The section the page belongs to, for `aria-current` in the menu.
    pub section: &'a str,
    /// The same page in the other languages.
    pub alternates: Vec<Alternate>,
    pub canonical: String,
    pub page_title: String,
    pub page_description: String,
    /// The title a shared link shows (`og:title`): the page's, and on the
    /// dashboard, whose title is one word, the portal's name with it.
    pub share_title: String,
    /// The page's share image (`og:image`), when its kind has one.
    pub share: Option<super::share::ShareView>,
}

/// The sections' URLs in one language, and the theme's assets, from the
/// route table: templates link through these, never by writing a path.
#[derive(Serialize)]
pub struct Nav {
    pub accessibility: String,
    pub groups: String,
    pub plans: String,
    pub proposals: String,
    pub tasks: String,
    pub agencies: String,
    pub kpis: String,
    pub reports: String,
    pub archive: String,
    pub deadlines: String,
    pub news: String,
    pub data: String,
    pub search: String,
    pub news_feed: String,
    pub changes_feed: String,
    pub asset_style: String,
    pub asset_tiendo: String,
    pub asset_favicon: String,
}

impl Nav {
    /// `home` is the language root; `base` the site root (assets are
    /// shared by every language).
    pub fn new(home: &str, base: &str) -> Nav {
        let at = |r: Route| format!("{home}{}", r.path());
        let asset = |name| format!("{base}{}", Route::Asset(name).path());
        Nav {
            accessibility: at(Route::Accessibility),
            groups: at(Route::Groups),
            plans: at(Route::Plans),
            proposals: at(Route::Proposals),
            tasks: at(Route::Tasks),
            agencies: at(Route::Agencies),
            kpis: at(Route::Kpis),
            reports: at(Route::Reports),
            archive: at(Route::Archive),
            deadlines: at(Route::Deadlines),
            news: at(Route::News(0)),
            data: at(Route::Data),
            search: at(Route::Search),
            news_feed: at(Route::NewsFeed),
            changes_feed: at(Route::ChangesFeed),
            asset_style: asset("style.css"),
            asset_tiendo: asset("tiendo.js"),
            asset_favicon: asset("favicon.svg"),
        }
    }
}

/// A chart as a page shows it (an image with its description as alt
/// text) and as others embed it.
#[derive(Serialize, Clone)]
pub struct ChartView {
    pub url: String,
    /// The title as markup, the content it names (a KPI's or group's
    /// name) in an element with its `lang` when that is not the page's.
    pub title_html: String,
    /// The figures it draws, as CSV.
    pub data_url: String,
    pub title: String,
    pub desc: String,
    pub width: u32,
    pub height: u32,
    /// The size of the narrow drawing (`#hep`) that phones show.
    pub narrow_width: u32,
    pub narrow_height: u32,
    pub embed: String,
}

/// Helpers shared by page builders: names, URLs and rows in one language.
pub struct Views<'a> {
    pub model: &'a Model,
    pub fig: &'a Figures<'a>,
    pub index: &'a crate::index::SiteIndex<'a>,
    pub lang: Lang,
    pub t: &'a Strings,
    /// The language's root path.
    pub home: String,
}

impl<'a> Views<'a> {
    /// The URL of a route in this language, from the site root.
    pub fn route(&self, r: &Route) -> String {
        [self.home.as_str(), &r.path()].concat()
    }

    /// The URL of a file every language shares (the deadline calendars),
    /// from the site root.
    pub fn shared_route(&self, r: &Route) -> String {
        [self.base(), &r.path()].concat()
    }

    /// A link an editor wrote: a path on this site (`/tin-tuc/a/`) gets the
    /// base path; anything else is kept.
    pub fn site_link(&self, link: &str) -> String {
        match link.strip_prefix('/') {
            Some(rest) if !rest.starts_with('/') => format!("{}{rest}", self.base()),
            _ => link.to_string(),
        }
    }

    /// The site root path (the language root without its prefix).
    fn base(&self) -> &str {
        self.home
            .strip_suffix(self.lang.prefix())
            .unwrap_or(&self.home)
    }

    pub fn task_url(&self, id: &str) -> String {
        self.route(&Route::Task(id))
    }

    pub fn agency_url(&self, id: &str) -> String {
        self.route(&Route::Agency(id))
    }

    pub fn kpi_url(&self, id: &str) -> String {
        self.route(&Route::Kpi(id))
    }

    pub fn agency_name(&self, a: &'a Agency) -> &'a str {
        self.agency_name_lang(a).0
    }

    /// A content field in the page's language, and the `lang` its element
    /// needs ("" when it is the page's): [`Lang::pick_lang`].
    pub fn pick(&self, vi: &'a str, en: Option<&'a str>) -> (&'a str, &'static str) {
        self.lang.pick_lang(vi, en)
    }

    /// An agency's full name and the `lang` its element needs.
    pub fn agency_name_lang(&self, a: &'a Agency) -> (&'a str, &'static str) {
        self.pick(&a.name, a.name_en.as_deref())
    }

    pub fn agency_full(&self, id: &str) -> &'a str {
        self.model.agency(id).map_or("", |a| self.agency_name(a))
    }

    pub fn agency_short(&self, id: &str) -> &'a str {
        self.agency_short_lang(id).0
    }

    /// An agency's short name (its English name on English pages) and the
    /// `lang` its element needs.
    pub fn agency_short_lang(&self, id: &str) -> (&'a str, &'static str) {
        self.model.agency(id).map_or(("", ""), |a| match self.lang {
            Lang::Vi => (a.short_name(), ""),
            Lang::En => self.pick(a.short_name(), a.name_en.as_deref()),
        })
    }

    /// A link to a task's page, labelled with its title.
    pub fn task_link(&self, t: &'a Task) -> LangLink {
        let (label, lang) = self.task_title_lang(t);
        LangLink {
            label: label.to_string(),
            lang,
            url: self.task_url(&t.id),
        }
    }

    /// A link to an agency's page, labelled with its short name (its id
    /// when it has neither name nor short name here).
    pub fn agency_link(&self, id: &str) -> LangLink {
        let (label, lang) = self.agency_short_lang(id);
        LangLink {
            label: if label.is_empty() { id } else { label }.to_string(),
            lang,
            url: self.agency_url(id),
        }
    }

    /// A link to a KPI's page, labelled with its name.
    pub fn kpi_link(&self, k: &'a Kpi) -> LangLink {
        let (label, lang) = self.kpi_name_lang(k);
        LangLink {
            label: label.to_string(),
            lang,
            url: self.kpi_url(&k.id),
        }
    }

    pub fn task_title(&self, t: &'a Task) -> &'a str {
        self.task_title_lang(t).0
    }

    /// A task's title and the `lang` its element needs.
    pub fn task_title_lang(&self, t: &'a Task) -> (&'a str, &'static str) {
        self.pick(&t.title, t.title_en.as_deref())
    }

    /// The `lang` an article or standing page needs on this page: its own
    /// language (Vietnamese when it names none) when that is not the page's.
    pub fn content_lang(&self, lang: Option<&str>) -> &'static str {
        self.lang.lang_of(lang)
    }

    pub fn kpi_name(&self, k: &'a Kpi) -> &'a str {
        self.kpi_name_lang(k).0
    }

    /// A KPI's name and the `lang` its element needs.
    pub fn kpi_name_lang(&self, k: &'a Kpi) -> (&'a str, &'static str) {
        self.pick(&k.name, k.name_en.as_deref())
    }

    pub fn percent(&self, p: f64) -> String {
        self.lang.percent(p)
    }

    pub fn rate(&self, r: Option<f64>) -> String {
        r.map(|r| self.percent(r * 100.0) + "%")
            .unwrap_or_else(|| "—".to_string())
    }

    /// A rate with the counts it is a share of: `60% (3/5)`.
    pub fn rate_of(&self, r: Option<f64>, part: usize, whole: usize) -> String {
        match r {
            Some(_) => format!("{} ({part}/{whole})", self.rate(r)),
            None => self.rate(r),
        }
    }

    /// How many decimals a KPI's figures show (the index decides).
    fn decimals(&self, k: &Kpi) -> usize {
        self.index
            .kpi_decimals
            .get(k.id.as_str())
            .copied()
            .unwrap_or(2)
    }

    /// A KPI value with its unit, to the precision of the KPI's data:
    /// `78,5%`, `2 trung tâm`, and a rank as Vietnamese writes it,
    /// `hạng 35` (`rank 35`).
    pub fn value(&self, k: &Kpi, v: f64) -> String {
        let decimals = self.decimals(k);
        let n = self.lang.number_to(v, decimals);
        if k.unit == "%" {
            format!("{n}%")
        } else if k.is_rank() {
            self.t.get("kpi_rank").replace("{n}", &n)
        } else {
            format!("{n} {}", self.unit(k))
        }
    }

    /// A KPI's unit in the page's language (`unit_en` on English pages,
    /// where given).
    pub fn unit(&self, k: &'a Kpi) -> &'a str {
        self.pick(&k.unit, k.meta.unit_en.as_deref()).0
    }

    /// The `lang` a KPI's values need: "vi" on other languages' pages when
    /// they show a unit in Vietnamese words with no translation ("2 trung
    /// tâm"), "" when it is translated or needs none (`%`, a rank, `km`).
    pub fn value_lang(&self, k: &Kpi) -> &'static str {
        if k.unit_is_words() {
            self.pick(&k.unit, k.meta.unit_en.as_deref()).1
        } else {
            ""
        }
    }

    /// An update's note as HTML in the page's language, and the `lang`
    /// its element needs.
    pub fn note_html(&self, u: &crate::model::Update) -> (String, &'static str) {
        let (note, lang) = self.pick(u.note.as_deref().unwrap_or(""), u.note_en.as_deref());
        if note.is_empty() {
            (String::new(), "")
        } else {
            (crate::markdown::to_html(note), lang)
        }
    }

    /// A KPI's target: its value, and for a rank the side that meets it
    /// (`hạng 30 trở lên`).
    pub fn target(&self, k: &Kpi) -> String {
        if k.is_rank() {
            let decimals = self.decimals(k);
            self.t
                .get("kpi_rank_or_better")
                .replace("{n}", &self.lang.number_to(k.target, decimals))
        } else {
            self.value(k, k.target)
        }
    }

    pub fn progress(&self, s: &TaskStatus) -> String {
        if s.status == Status::Ongoing && s.progress == 0.0 {
            "—".to_string()
        } else {
            self.percent(s.progress) + "%"
        }
    }

    pub fn days_label(&self, s: &TaskStatus) -> String {
        match (s.status, s.days_late, s.days_left) {
            (Status::Overdue, Some(n), _) => self.t.with("overdue_days", n),
            (Status::DoneLate, Some(n), _) => self.t.with("done_late_days", n),
            (Status::DueSoon, _, Some(0)) => self.t.get("due_today").to_string(),
            (Status::DueSoon, _, Some(n)) => self.t.with("days_left", n),
            _ => String::new(),
        }
    }

    pub fn outcome_label(&self, o: Outcome) -> String {
        match o {
            Outcome::OnTime => self.t.get("report_on_time").to_string(),
            Outcome::Late(n) => self.t.with("report_late_days", n),
            Outcome::Missing => self.t.get("report_missing").to_string(),
        }
    }

    pub fn verdict_label(&self, v: Verdict) -> String {
        self.t.keyed("verdict_", v.code()).to_string()
    }

    /// A gap in the KPI's unit; for percentages, in percentage points.
    pub fn gap(&self, k: &Kpi, ks: &KpiStatus, g: f64) -> String {
        if ks.scale.percent {
            let decimals = self.decimals(k);
            self.t.with("kpi_points", self.lang.number_to(g, decimals))
        } else {
            self.value(k, g)
        }
    }

    /// What status found beside the verdict ([`KpiRow::verdict_note`]).
    pub fn verdict_note(&self, k: &Kpi, ks: &KpiStatus) -> String {
        match (ks.verdict, ks.reached_on, ks.projection) {
            (Verdict::Reached, Some(on), _) => {
                let key = if ks.reached_late {
                    "kpi_reached_late"
                } else {
                    "kpi_reached_on"
                };
                self.t.get(key).replace("{date}", &fmt_date(on))
            }
            (Verdict::OnTrack, _, Some(p)) => p
                .reaches_on
                .map(|d| self.t.get("kpi_reaches_on").replace("{date}", &fmt_date(d)))
                .unwrap_or_default(),
            (Verdict::OffTrack, _, Some(p)) => self
                .t
                .get("kpi_projected_at")
                .replace("{date}", &fmt_date(p.deadline))
                .replace("{value}", &self.value(k, p.at_deadline)),
            _ => String::new(),
        }
    }

    pub fn deadline_label(&self, s: &TaskStatus) -> String {
        s.deadline.map_or_else(
            || self.t.get("no_deadline").to_string(),
            |d| self.lang.deadline(&d),
        )
    }
}
