//! Part of render: the share images (`chia-se.png`) beside the dashboard,
//! each task, KPI, agency and monthly report page, which a page names in
//! `og:image`. Input: the figures and the index, as the pages read them.
//! Output: for each such page a [`Card`], every word, figure and colour its
//! image shows, decided here and nowhere else; the page's alt text is made
//! from it, and the image is drawn from it alone ([`super::share_draw`]).
//!
//! The digest of a card (with the drawing's own code and font) keys its
//! image: `build` hands the key and a way to draw to the output, which
//! keeps the previous build's file when the key is the same and draws only
//! the others, in parallel. `check` draws none (there is nothing a drawing
//! can find wrong); `serve` keeps the last build's images in memory.

use super::charts::{status_color, status_ink};
use super::i18n::Lang;
use super::pages::{Job, Key};
pub use super::svg::Rgb;
use super::views::{Scope, Views, icon};
use super::{Renderer, share_draw};
use crate::date::{Period, fmt_date};
use crate::route::Route;
use crate::status::{Rollup, Status, Verdict};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// The size of every share image: what Facebook, Zalo and X show large.
pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;

/// The colours of the theme's stylesheet the cards use besides the status
/// fills (`status_color`): `--accent`, `--text`, `--muted`, `--line`, and
/// the verdict and report outcome colours (`.verdict-*`, `.outcome-*`).
pub mod colors {
    use super::Rgb;
    pub const ACCENT: Rgb = Rgb(0x0b, 0x4f, 0x8a);
    pub const TEXT: Rgb = Rgb(0x1a, 0x1a, 0x1a);
    pub const MUTED: Rgb = Rgb(0x4a, 0x4a, 0x4a);
    pub const LINE: Rgb = Rgb(0xd0, 0xd4, 0xd9);
    /// `.verdict-reached`, `.verdict-on_track`, `.outcome-on_time`.
    pub const GOOD: Rgb = Rgb(0x14, 0x53, 0x2d);
    /// `.verdict-off_track`, `.verdict-missed`, `.outcome-missing`.
    pub const BAD: Rgb = Rgb(0x99, 0x1b, 0x1b);
    /// `.outcome-late`.
    pub const LATE: Rgb = Rgb(0x7c, 0x2d, 0x12);
}

/// A status as the pages show it: its fill, the ink on it, its icon and
/// its label.
#[derive(Debug, Clone, PartialEq)]
pub struct Badge {
    pub fill: Rgb,
    pub ink: Rgb,
    pub icon: &'static str,
    pub label: String,
}

/// A large figure and what it counts, in a colour.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub value: String,
    pub label: String,
    pub color: Rgb,
}

/// Everything a share image shows. Two pages with equal cards get the same
/// image, byte for byte.
#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    /// The portal's name, in the band at the top.
    pub site: String,
    /// What kind of page, with its item number and who holds it.
    pub kicker: String,
    pub title: String,
    /// A task's status.
    pub badge: Option<Badge>,
    /// A sentence in a colour: a KPI's verdict.
    pub verdict: Option<(String, Rgb)>,
    /// A line of facts: a task's days late, progress and deadline.
    pub detail: String,
    pub figures: Vec<Figure>,
    /// "Số liệu tính đến ngày 25/06/2025".
    pub as_of: String,
    /// The sample-data notice when the site's data are illustrative.
    pub sample: String,
}

impl Card {
    /// The image's text alternative: what it says, in reading order.
    pub fn alt(&self) -> String {
        let mut parts: Vec<String> = vec![format!("{}: {}", self.kicker, self.title)];
        if let Some(b) = &self.badge {
            parts.push(b.label.clone());
        }
        if let Some((v, _)) = &self.verdict {
            parts.push(v.clone());
        }
        if !self.detail.is_empty() {
            parts.push(self.detail.clone());
        }
        parts.extend(
            self.figures
                .iter()
                .map(|f| format!("{} {}", f.value, f.label)),
        );
        parts.push(self.as_of.clone());
        if !self.sample.is_empty() {
            parts.push(self.sample.clone());
        }
        parts.push(self.site.clone());
        let mut alt = parts.join(". ");
        alt.push('.');
        alt.replace("..", ".")
    }

    /// The key of the card's image: its digest with the drawing's.
    pub fn key(&self) -> [u8; 16] {
        let mut h = blake3::Hasher::new();
        h.update(drawing_digest());
        h.update(format!("{self:?}").as_bytes());
        let mut key = [0u8; 16];
        key.copy_from_slice(&h.finalize().as_bytes()[..16]);
        key
    }
}

/// The digest of what turns a card into pixels: the drawing code and the
/// font. A change to either draws every image anew, with no version to
/// remember to raise.
fn drawing_digest() -> &'static [u8] {
    static DIGEST: OnceLock<[u8; 32]> = OnceLock::new();
    DIGEST.get_or_init(|| {
        let mut h = blake3::Hasher::new();
        h.update(include_str!("share_draw.rs").as_bytes());
        h.update(include_str!("raster.rs").as_bytes());
        h.update(include_str!("font.rs").as_bytes());
        h.update(super::font::bytes());
        h.update(env!("CARGO_PKG_VERSION").as_bytes());
        *h.finalize().as_bytes()
    })
}

/// A card's builder: the page kind's, for the page with this key.
pub(crate) type CardFn = fn(&Renderer, Lang, &Key) -> Option<Card>;

/// The card of the page `job`, if its kind has a share image.
pub(crate) fn card(r: &Renderer, lang: Lang, job: &Job) -> Option<Card> {
    (job.kind.share?)(r, lang, &job.key)
}

/// The share image's route beside the page at `page` (a list's later
/// pages share the first page's image).
pub(crate) fn route<'a>(page: Route<'a>) -> Route<'a> {
    match page {
        Route::Paged(list, _) => Route::ShareImage(list),
        other => Route::ShareImage(Box::new(other)),
    }
}

/// Where the job's page has its own share image (its kind draws cards, and
/// it is not a list's later page, which names the first page's): the
/// image's path, language root included. The one rule of the images a
/// render draws and of the paths the preview makes on demand.
pub(crate) fn image_path(r: &Renderer, lang: Lang, job: &Job) -> Option<String> {
    job.kind.share?;
    let page = job.route(r.places());
    if matches!(page, Route::Paged(..)) {
        return None;
    }
    Some([lang.prefix(), &route(page).path()].concat())
}

/// What every card of a language shares: the portal's name, the as-of
/// date, the sample-data notice.
fn frame(r: &Renderer, v: &Views, kicker: String, title: String) -> Card {
    let site = r.model.site();
    Card {
        site: v
            .lang
            .pick(&site.title, site.title_en.as_deref())
            .to_string(),
        kicker,
        title,
        badge: None,
        verdict: None,
        detail: String::new(),
        figures: Vec::new(),
        as_of: format!("{} {}", v.t.get("as_of"), fmt_date(r.fig.as_of)),
        sample: if site.sample_data {
            v.t.get("sample_title").trim_end_matches('.').to_string()
        } else {
            String::new()
        },
    }
}

/// "Nhiệm vụ · Mục 4.d · Sở KH&CN": the parts that are not empty.
fn kicker(parts: &[&str]) -> String {
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" · ")
}

fn item(v: &Views, reference: &str) -> String {
    if reference.is_empty() {
        String::new()
    } else {
        format!("{} {reference}", v.t.get("item"))
    }
}

pub(crate) fn status_badge(s: Status, v: &Views) -> Badge {
    Badge {
        fill: status_color(s),
        ink: status_ink(s),
        icon: icon(s),
        label: v.t.status(s).to_string(),
    }
}

/// The dashboard's card: what the portal follows (its description, or
/// its name again when it has none) and its headline figures.
pub(crate) fn dashboard(r: &Renderer, lang: Lang, _: &Key) -> Option<Card> {
    let v = r.views(lang);
    let site = r.model.site();
    let title = match site.description.as_deref() {
        Some(d) if !d.trim().is_empty() => lang.pick(d, site.description_en.as_deref()),
        _ => lang.pick(&site.title, site.title_en.as_deref()),
    };
    let mut card = frame(r, &v, v.t.get("home_title").to_string(), title.to_string());
    card.figures = headline(&v, &r.fig.overall, Scope::Site);
    Some(card)
}

/// A roll-up's four headline figures, as the dashboard and agency pages
/// give them: done among the tasks due, overdue, on time, mean progress.
fn headline(v: &Views, rollup: &Rollup, scope: Scope) -> Vec<Figure> {
    let h = v.rollup(rollup, scope);
    let done = if rollup.fallen_due > 0 {
        Figure {
            value: format!("{}/{}", rollup.fallen_due_done, rollup.fallen_due),
            label: v.t.get("card_due_done").to_string(),
            color: colors::TEXT,
        }
    } else {
        Figure {
            value: format!("{}/{}", rollup.done, rollup.finite),
            label: v.t.get("card_done").to_string(),
            color: colors::TEXT,
        }
    };
    vec![
        done,
        Figure {
            value: h.overdue.to_string(),
            label: v.t.get("headline_overdue").to_string(),
            color: if h.overdue > 0 {
                status_color(Status::Overdue)
            } else {
                colors::TEXT
            },
        },
        Figure {
            value: h.on_time_rate,
            label: v.t.get("headline_on_time").to_string(),
            color: colors::TEXT,
        },
        Figure {
            value: h.avg_progress,
            label: v.t.get("headline_progress").to_string(),
            color: colors::TEXT,
        },
    ]
}

/// A task's card: its title, status, days late or left, progress and
/// deadline.
pub(crate) fn task(r: &Renderer, lang: Lang, key: &Key) -> Option<Card> {
    let &Key::Item(i) = key else { return None };
    let v = r.views(lang);
    let t = r.model.tasks.get(i)?;
    let s = r.fig.tasks.get(i)?;
    let lead = s.lead_on.as_deref().map_or("", |l| v.agency_short(l));
    let kind = kicker(&[v.t.get("kind_task"), &item(&v, &r.fig.ref_labels[i]), lead]);
    let mut card = frame(r, &v, kind, v.task_title(t).to_string());
    card.badge = Some(status_badge(s.status, &v));
    let facts = [
        v.days_label(s),
        format!("{}: {}", v.t.get("col_progress"), v.progress(s)),
        format!("{}: {}", v.t.get("col_deadline"), v.deadline_label(s)),
    ];
    card.detail = kicker(&facts.iter().map(String::as_str).collect::<Vec<_>>());
    Some(card)
}

/// A task's card at one of its old addresses (`formerly`): the task's
/// own, so that the old address keeps an image as it keeps its page, feed
/// and calendar.
pub(crate) fn moved_task(r: &Renderer, lang: Lang, key: &Key) -> Option<Card> {
    let &Key::ItemNth(i, _) = key else {
        return None;
    };
    task(r, lang, &Key::Item(i))
}

/// A KPI's card: its latest value against its target, and the verdict.
pub(crate) fn kpi(r: &Renderer, lang: Lang, key: &Key) -> Option<Card> {
    let &Key::Item(k) = key else { return None };
    let v = r.views(lang);
    let row = v.kpi_row(k);
    let verdict = r.fig.kpis.get(k)?.verdict;
    let kind = kicker(&[v.t.get("kind_kpi"), &item(&v, row.reference), row.owner]);
    let mut card = frame(r, &v, kind, row.name.to_string());
    let latest_label = if row.latest_date.is_empty() {
        v.t.get("kpi_latest").to_string()
    } else {
        format!("{} ({})", v.t.get("kpi_latest"), row.latest_date)
    };
    card.figures = vec![
        Figure {
            value: row.latest.clone(),
            label: latest_label,
            color: colors::ACCENT,
        },
        Figure {
            value: row.target.clone(),
            label: format!("{} {}", v.t.get("kpi_target"), row.deadline),
            color: colors::GOOD,
        },
    ];
    let color = match verdict {
        Verdict::Reached | Verdict::OnTrack => colors::GOOD,
        Verdict::OffTrack | Verdict::Missed => colors::BAD,
        Verdict::NotEnoughData => colors::MUTED,
    };
    card.verdict = Some((row.verdict_label.clone(), color));
    card.detail = row.verdict_note.clone();
    Some(card)
}

/// An agency's card: its name and the headline figures of the tasks it
/// leads.
pub(crate) fn agency(r: &Renderer, lang: Lang, key: &Key) -> Option<Card> {
    let &Key::Item(i) = key else { return None };
    let v = r.views(lang);
    let a = r.model.agencies.get(i)?;
    let empty = crate::status::AgencyFigures::default();
    let f = r.fig.agencies.get(&a.id).unwrap_or(&empty);
    let leads = v.t.with("card_leads", f.rollup.total);
    let kind = kicker(&[v.t.get("kind_agency"), &leads]);
    let mut card = frame(r, &v, kind, v.agency_name(a).to_string());
    card.figures = headline(&v, &f.rollup, Scope::Agency(&a.id));
    card.detail = v.ended(a);
    Some(card)
}

/// A month's card: who reported on time, late or not at all.
pub(crate) fn report(r: &Renderer, lang: Lang, key: &Key) -> Option<Card> {
    let &Key::Month(p, _) = key else { return None };
    let v = r.views(lang);
    let counts = r.index.month_counts.get(&p).copied().unwrap_or_default();
    let owed = r.fig.months.get(&p).map_or(0, Vec::len);
    let title =
        v.t.get("report_month_title")
            .replace("{period}", &lang.period(p));
    let mut card = frame(r, &v, v.t.get("nav_reports").to_string(), title);
    card.detail =
        v.t.get("card_owed")
            .replace("{n}", &owed.to_string())
            .replace("{date}", &fmt_date(due(r, p)));
    let figure = |n: usize, key: &str, color: Rgb| Figure {
        value: n.to_string(),
        label: v.t.get(key).to_string(),
        color: if n > 0 { color } else { colors::TEXT },
    };
    card.figures = vec![
        figure(counts.on_time, "outcome_on_time", colors::GOOD),
        figure(counts.late, "outcome_late", colors::LATE),
        figure(counts.missing, "outcome_missing", colors::BAD),
    ];
    Some(card)
}

fn due(r: &Renderer, p: Period) -> crate::date::Date {
    p.report_day(r.model.site().report_day)
}

/// What a page writes in its head for its share image.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ShareView {
    /// Absolute, from the site's base URL.
    pub url: String,
    pub width: u32,
    pub height: u32,
    pub alt: String,
}

/// The share view of the page `job` in `lang`, if its kind has one.
pub(crate) fn view(r: &Renderer, lang: Lang, job: &Job) -> Option<ShareView> {
    let card = card(r, lang, job)?;
    let path = route(job.route(r.places())).path();
    Some(ShareView {
        url: [&r.origin, &r.base, lang.prefix(), &path].concat(),
        width: WIDTH,
        height: HEIGHT,
        alt: card.alt(),
    })
}

/// Images kept in memory between `serve`'s builds, by key: only the last
/// build's, so that a preview does not grow.
#[derive(Debug, Default, Clone)]
pub struct Memo(Arc<Mutex<Images>>);

/// PNGs by the key of their card.
type Images = HashMap<[u8; 16], Arc<Vec<u8>>>;

/// An image's path, and its bytes when the site keeps them.
pub(crate) type Made = (String, Option<Vec<u8>>);

/// How many share images a build made, and how many of them it drew (the
/// others it kept from the previous output).
#[derive(Debug, Default)]
pub struct Drawn {
    pub images: usize,
    pub drawn: usize,
}

/// The card's image as a PNG ([`share_draw::draw`]).
pub fn png(card: &Card) -> Vec<u8> {
    share_draw::draw(card)
}

/// Every share image: for each page of a kind with one (a list's first
/// page only), its card, handed to the keyed sink (`build`: drawn unless
/// the previous output has it; `check`: not drawn) or, without a sink,
/// drawn into `site` through `memo`.
pub(crate) fn images(
    r: &Renderer,
    list: &[(Lang, Job)],
    memo: Option<&Memo>,
) -> (Vec<Made>, Drawn) {
    use rayon::prelude::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let drawn = AtomicUsize::new(0);
    let old = memo.map(|m| std::mem::take(&mut *m.0.lock().unwrap_or_else(|p| p.into_inner())));
    let kept: Mutex<Images> = Mutex::new(HashMap::new());
    let made: Vec<Made> = list
        .par_iter()
        .with_max_len(16)
        .filter(|_| !r.stopping())
        .filter_map(|(lang, job)| {
            let path = image_path(r, *lang, job)?;
            let card = card(r, *lang, job)?;
            let key = card.key();
            let make = || {
                drawn.fetch_add(1, Ordering::Relaxed);
                share_draw::draw(&card)
            };
            match r.keyed {
                Some(sink) => {
                    sink(&path, &key, &make);
                    Some((path, None))
                }
                None => {
                    let png = match old.as_ref().and_then(|o| o.get(&key)) {
                        Some(png) => png.clone(),
                        None => Arc::new(make()),
                    };
                    kept.lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .insert(key, png.clone());
                    Some((path, Some(png.as_ref().clone())))
                }
            }
        })
        .collect();
    if let Some(m) = memo {
        *m.0.lock().unwrap_or_else(|p| p.into_inner()) =
            kept.into_inner().unwrap_or_else(|p| p.into_inner());
    }
    let stats = Drawn {
        images: made.len(),
        drawn: drawn.into_inner(),
    };
    (made, stats)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The colour `property` of the rule for `selector` in the theme's
    /// stylesheet.
    fn css(selector: &str, property: &str) -> Rgb {
        let sheet = crate::theme::ASSETS
            .iter()
            .find(|(name, _)| *name == "style.css")
            .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
            .unwrap();
        let rule = sheet
            .lines()
            .find(|l| l.trim_start().starts_with(selector))
            .unwrap_or_else(|| panic!("no rule {selector}"));
        let value = rule
            .split(&format!("{property}:"))
            .nth(1)
            .and_then(|v| v.trim().split(';').next())
            .unwrap_or_else(|| panic!("no {property} in {rule}"));
        // `#000` and `#fff` are written short.
        let hex: String = match value.len() {
            4 => value[1..].chars().flat_map(|c| [c, c]).collect(),
            _ => value[1..7].to_string(),
        };
        let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap();
        Rgb(byte(0), byte(2), byte(4))
    }

    #[test]
    fn the_images_use_the_colours_the_pages_use() {
        for s in Status::ALL {
            let rule = format!(".status-{} {{", s.code());
            assert_eq!(css(&rule, "background"), status_color(s), "{rule}");
            assert_eq!(css(&rule, " color"), status_ink(s), "{rule}");
        }
        assert_eq!(css("--accent", ""), colors::ACCENT);
        assert_eq!(css("--text", ""), colors::TEXT);
        assert_eq!(css("--muted", ""), colors::MUTED);
        assert_eq!(css("--line", ""), colors::LINE);
        assert_eq!(
            css(".verdict-reached, .verdict-on_track", "color"),
            colors::GOOD
        );
        assert_eq!(
            css(".verdict-off_track, .verdict-missed", "color"),
            colors::BAD
        );
        assert_eq!(css(".outcome-on_time", "color"), colors::GOOD);
        assert_eq!(css(".outcome-late", "color"), colors::LATE);
        assert_eq!(css(".outcome-missing", "color"), colors::BAD);
    }

    fn card() -> Card {
        Card {
            site: "Cổng".into(),
            kicker: "Nhiệm vụ".into(),
            title: "Một nhiệm vụ".into(),
            badge: None,
            verdict: None,
            detail: String::new(),
            figures: Vec::new(),
            as_of: "Số liệu tính đến ngày 25/06/2025".into(),
            sample: String::new(),
        }
    }

    #[test]
    fn a_card_keys_its_image_by_everything_it_shows() {
        let a = card();
        assert_eq!(a.key(), card().key());
        let mut later = card();
        later.as_of = "Số liệu tính đến ngày 26/06/2025".into();
        let mut coloured = card();
        coloured.figures = vec![Figure {
            value: "1".into(),
            label: "x".into(),
            color: colors::BAD,
        }];
        let mut recoloured = coloured.clone();
        recoloured.figures[0].color = colors::GOOD;
        let keys = [a.key(), later.key(), coloured.key(), recoloured.key()];
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(keys.iter().filter(|o| *o == k).count(), 1, "key {i}");
        }
        assert_eq!(
            card().alt(),
            "Nhiệm vụ: Một nhiệm vụ. Số liệu tính đến ngày 25/06/2025. Cổng."
        );
    }
}
