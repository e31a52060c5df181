//! Tests of the charts: well-formed, accessible SVG, text at least the
//! frame's size, labels clear of lines, colours apart under deuteranopia.

use super::super::i18n::{Lang, Strings};
use super::super::svg::{HPos, Rgb, VPos};
use super::axes::ticks;
use super::kpi::{trend_note, value};
use super::palette::luminance;
use super::placement::{Placed, crosses};
use super::text::shorten;
use super::*;
use crate::date::Date;
use crate::date::parse_deadline;
use crate::diag::Loc;
use crate::model::{Direction, Kpi};
use crate::status::KpiPoint;
use crate::status::{BurnupPoint, KpiStatus, Status};
use std::collections::BTreeMap;
use std::sync::Arc;

const CREDIT: &str = "Nguồn: Cổng theo dõi tiến độ, số liệu tính đến ngày 25/06/2025";

fn d(s: &str) -> Date {
    crate::date::parse_date(s).unwrap()
}

fn strings() -> Strings {
    let map: BTreeMap<String, String> = serde_saphyr::from_str(crate::theme::i18n("vi")).unwrap();
    Strings::new(&map, None)
}

fn kpi(target: f64, direction: Direction) -> Kpi {
    Kpi {
        id: "k".into(),
        name: "Tỷ lệ dịch vụ công trực tuyến".into(),
        name_en: None,
        description: None,
        reference: None,
        unit: "%".into(),
        target,
        direction,
        baseline: Some((d("2025-01-01"), 50.0)),
        deadline: parse_deadline("2025-12-31").unwrap(),
        owner: "a".into(),
        tasks: vec![],
        meta: Default::default(),
        loc: Loc::file(&Arc::from("k")),
    }
}

fn status(points: &[(&str, f64, bool)], k: &Kpi) -> KpiStatus {
    let points: Vec<KpiPoint> = points
        .iter()
        .map(|(date, value, baseline)| KpiPoint {
            date: d(date),
            value: *value,
            baseline: *baseline,
            report: if *baseline { None } else { Some(0) },
        })
        .collect();
    let pairs: Vec<(Date, f64)> = points.iter().map(|p| (p.date, p.value)).collect();
    let trend = crate::status::kpi::trend(&pairs, d("2025-12-31"));
    let latest = points.last().cloned();
    let reached = latest
        .as_ref()
        .is_some_and(|p| crate::status::kpi::meets(k.direction, p.value, k.target));
    let scale = crate::status::kpi::scale(k, &points);
    let (verdict, projection) =
        crate::status::kpi::judge(k, scale, reached, trend, k.deadline.date(), d("2025-07-01"));
    KpiStatus {
        points,
        latest,
        owner_on: None,
        gap: None,
        reached,
        reached_on: None,
        reached_late: false,
        trend,
        projection,
        scale,
        verdict,
    }
}

/// Parses the SVG and checks what every chart must have.
fn check(chart: &Chart) -> roxmltree::Document<'_> {
    let doc = roxmltree::Document::parse(&chart.svg)
        .unwrap_or_else(|e| panic!("not XML: {e}\n{}", chart.svg));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.attribute("role"), Some("img"));
    assert!(
        root.attribute("viewBox").is_some(),
        "scales through viewBox"
    );
    let title = root
        .children()
        .find(|n| n.has_tag_name("title"))
        .and_then(|n| n.text())
        .unwrap_or("");
    let desc = root
        .children()
        .find(|n| n.has_tag_name("desc"))
        .and_then(|n| n.text())
        .unwrap_or("");
    assert!(!title.is_empty() && !desc.is_empty());
    assert_eq!(title, chart.title);
    assert!(
        !chart.svg.contains("NaN") && !chart.svg.contains("inf"),
        "{}",
        chart.svg
    );
    assert!(chart.svg.len() < 30 * 1024, "{} bytes", chart.svg.len());
    doc
}

/// One of the two drawings: "wide" or "narrow".
fn drawing<'a, 'b>(doc: &'b roxmltree::Document<'a>, class: &str) -> roxmltree::Node<'a, 'b> {
    doc.descendants()
        .find(|n| n.has_tag_name("g") && n.attribute("class") == Some(class))
        .unwrap_or_else(|| panic!("no {class} drawing"))
}

/// Circles in each drawing, the legend's sample aside: the same number
/// in both.
fn circles(doc: &roxmltree::Document) -> usize {
    let count = |class| {
        drawing(doc, class)
            .descendants()
            .filter(|n| n.has_tag_name("circle"))
            .filter(|n| {
                !n.ancestors()
                    .any(|a| a.attribute("class") == Some("legend"))
            })
            .count()
    };
    assert_eq!(count("wide"), count("narrow"));
    count("wide")
}

/// The y of horizontal lines drawn with the target's dash.
fn target_lines(doc: &roxmltree::Document) -> Vec<f64> {
    drawing(doc, "wide")
        .descendants()
        .filter(|n| n.has_tag_name("polyline") && n.attribute("stroke-dasharray") == Some("10 5"))
        .filter_map(|n| {
            let ys: Vec<f64> = n
                .attribute("points")?
                .split_whitespace()
                .filter_map(|p| p.split(',').nth(1)?.parse().ok())
                .collect();
            (ys.len() == 2 && ys[0] == ys[1]).then_some(ys[0])
        })
        .collect()
}

#[test]
fn kpi_chart_has_one_marker_per_value_and_the_target_at_the_target() {
    let k = kpi(90.0, Direction::Up);
    let ks = status(
        &[
            ("2025-01-01", 50.0, true),
            ("2025-03-15", 60.0, false),
            ("2025-06-15", 75.0, false),
        ],
        &k,
    );
    let chart = kpi_chart(&k, &ks, d("2025-06-25"), Lang::Vi, &strings(), CREDIT);
    let doc = check(&chart);
    assert_eq!(
        circles(&doc),
        2,
        "one circle per reported value; the baseline is a square"
    );
    let layout = kpi_layout(&k, &ks, d("2025-06-25"));
    let wide = Drawing::new(WIDE, &k.name, CREDIT);
    let expected = layout.y_pixel(layout.area(&k, Lang::Vi, &wide), 90.0);
    let lines = target_lines(&doc);
    assert!(
        lines.iter().any(|y| (y - expected).abs() <= 2.0),
        "target at {expected}, lines at {lines:?}"
    );
    assert!(chart.desc.contains("Mục tiêu 90%"), "{}", chart.desc);
    assert!(chart.desc.contains("75%"), "{}", chart.desc);
    assert!(
        chart.svg.contains("stroke-dasharray=\"4 4\""),
        "the trend is drawn dashed"
    );
}

#[test]
fn kpi_chart_with_one_value_none_beyond_target_and_down() {
    let t = strings();
    let mut k = kpi(90.0, Direction::Up);
    k.baseline = None;
    let none = kpi_chart(&k, &status(&[], &k), d("2025-06-25"), Lang::Vi, &t, CREDIT);
    let doc = check(&none);
    assert_eq!(circles(&doc), 0);
    assert!(none.svg.contains("Chưa có giá trị."));

    let one = kpi_chart(
        &k,
        &status(&[("2025-03-15", 60.0, false)], &k),
        d("2025-06-25"),
        Lang::Vi,
        &t,
        CREDIT,
    );
    assert_eq!(circles(&check(&one)), 1);
    assert!(
        !one.svg.contains("stroke-dasharray=\"4 4\""),
        "no trend from one point"
    );

    let beyond = status(
        &[("2025-03-15", 60.0, false), ("2025-05-15", 140.0, false)],
        &k,
    );
    let chart = kpi_chart(&k, &beyond, d("2025-06-25"), Lang::Vi, &t, CREDIT);
    let doc = check(&chart);
    let layout = kpi_layout(&k, &beyond, d("2025-06-25"));
    assert!(
        layout.y.1 >= 140.0,
        "the axis reaches the highest value: {layout:?}"
    );
    assert_eq!(circles(&doc), 2);

    let mut down = kpi(10.0, Direction::Down);
    down.baseline = Some((d("2025-01-01"), 40.0));
    let ks = status(
        &[("2025-01-01", 40.0, true), ("2025-04-01", 30.0, false)],
        &down,
    );
    let chart = kpi_chart(&down, &ks, d("2025-06-25"), Lang::En, &t, CREDIT);
    check(&chart);
    assert!(
        chart.desc.contains("Giá trị càng thấp càng tốt."),
        "{}",
        chart.desc
    );
}

#[test]
fn vietnamese_numbers_use_the_decimal_comma() {
    let mut k = kpi(2.5, Direction::Up);
    k.unit = "trung tâm".into();
    k.baseline = Some((d("2025-01-01"), 0.0));
    let ks = status(&[("2025-01-01", 0.0, true), ("2025-03-15", 1.5, false)], &k);
    let vi = kpi_chart(&k, &ks, d("2025-06-25"), Lang::Vi, &strings(), CREDIT);
    assert!(
        vi.svg.contains("2,5 trung tâm") && vi.svg.contains("1,5 trung tâm"),
        "{}",
        vi.svg
    );
    let en = kpi_chart(&k, &ks, d("2025-06-25"), Lang::En, &strings(), CREDIT);
    assert!(en.svg.contains("1.5 trung tâm"));
}

#[test]
fn status_bars_label_every_segment() {
    let rows = vec![
        BarRow {
            label: "Sở Y tế".into(),
            counts: [1, 0, 0, 2, 0, 0, 1, 0, 0],
        },
        BarRow {
            label: "Sở KH&CN".into(),
            counts: [3, 2, 1, 0, 0, 0, 1, 1, 0],
        },
    ];
    let chart = status_bars("bars", "Nhiệm vụ".into(), &rows, &strings(), CREDIT);
    let doc = check(&chart);
    let texts: Vec<&str> = drawing(&doc, "narrow")
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .map(str::trim)
        .collect();
    let t = strings();
    for s in Status::ALL {
        assert!(texts.contains(&t.status(s)), "legend has {}", t.status(s));
    }
    assert!(
        texts.contains(&"Sở KH&CN") && texts.contains(&"8"),
        "{texts:?}"
    );
    assert!(
        chart
            .desc
            .contains("Sở Y tế: 4 (1 hoàn thành đúng hạn, 2 quá hạn, 1 đang thực hiện)."),
        "{}",
        chart.desc
    );
}

#[test]
fn burnup_chart_ends_with_the_figures_of_d() {
    let points = vec![
        BurnupPoint {
            date: d("2025-02-18"),
            due: 0,
            done: 0,
        },
        BurnupPoint {
            date: d("2025-03-31"),
            due: 3,
            done: 1,
        },
        BurnupPoint {
            date: d("2025-06-25"),
            due: 5,
            done: 4,
        },
    ];
    let chart = burnup_chart(&points, d("2025-06-25"), Lang::Vi, &strings(), CREDIT);
    check(&chart);
    assert!(
        chart
            .desc
            .contains("Đến ngày 25/06/2025: 5 nhiệm vụ đã đến hạn, 4 nhiệm vụ đã hoàn thành."),
        "{}",
        chart.desc
    );
    assert!(chart.svg.contains("Đã đến hạn 5") && chart.svg.contains("Đã hoàn thành 4"));
    let empty = burnup_chart(&[], d("2025-06-25"), Lang::Vi, &strings(), CREDIT);
    check(&empty);
}

/// CIE L*a*b* (D65) of a colour given in linear RGB.
fn lab(lin: [f64; 3]) -> [f64; 3] {
    let [r, g, b] = lin;
    let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
    let y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
    let f = |t: f64| {
        if t > 216.0 / 24389.0 {
            t.cbrt()
        } else {
            (24389.0 / 27.0 * t + 16.0) / 116.0
        }
    };
    [
        116.0 * f(y) - 16.0,
        500.0 * (f(x) - f(y)),
        200.0 * (f(y) - f(z)),
    ]
}

fn linear(c: Rgb) -> [f64; 3] {
    let l = |v: u8| {
        let v = v as f64 / 255.0;
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    [l(c.0), l(c.1), l(c.2)]
}

/// Deuteranopia, Machado, Oliveira and Fernandes (2009), severity 1.0,
/// applied in linear RGB.
fn deuteranopia(c: [f64; 3]) -> [f64; 3] {
    const M: [[f64; 3]; 3] = [
        [0.367322, 0.860646, -0.227968],
        [0.280085, 0.672501, 0.047413],
        [-0.011820, 0.042940, 0.968881],
    ];
    M.map(|row| (row[0] * c[0] + row[1] * c[1] + row[2] * c[2]).clamp(0.0, 1.0))
}

fn distance(a: [f64; 3], b: [f64; 3]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).powi(2))
        .sum::<f64>()
        .sqrt()
}

fn pairs() -> Vec<(Status, Status)> {
    let mut out = Vec::new();
    for (i, a) in Status::ALL.iter().enumerate() {
        for b in &Status::ALL[i + 1..] {
            out.push((*a, *b));
        }
    }
    out
}

#[test]
fn status_colours_stay_apart_in_greyscale_and_under_deuteranopia() {
    for s in Status::ALL {
        let l = luminance(status_color(s));
        let against_white = 1.05 / (l + 0.05);
        assert!(against_white >= 3.0, "{s:?} on white: {against_white:.2}");
        let ink = luminance(status_ink(s));
        let text = (l.max(ink) + 0.05) / (l.min(ink) + 0.05);
        assert!(text >= 4.5, "{s:?}: count on its fill {text:.2}");
    }
    for (a, b) in pairs() {
        let (la, lb) = (lab(linear(status_color(a))), lab(linear(status_color(b))));
        // Greyscale keeps lightness only.
        let grey = (la[0] - lb[0]).abs();
        assert!(grey >= 4.5, "{a:?} and {b:?} in greyscale: ΔL* {grey:.1}");
        let normal = distance(la, lb);
        assert!(normal >= 15.0, "{a:?} and {b:?}: ΔE {normal:.1}");
        let deut = distance(
            lab(deuteranopia(linear(status_color(a)))),
            lab(deuteranopia(linear(status_color(b)))),
        );
        assert!(
            deut >= 15.0,
            "{a:?} and {b:?} under deuteranopia: ΔE {deut:.1}"
        );
    }
}

#[test]
fn the_old_palette_fails_the_simulation() {
    // The palette before issue 15: a test that can fail, failing.
    let old = [Rgb(0x3f, 0x52, 0x08), Rgb(0x7c, 0x2d, 0x12)];
    let deut = distance(
        lab(deuteranopia(linear(old[0]))),
        lab(deuteranopia(linear(old[1]))),
    );
    assert!(deut < 15.0, "{deut}");
}

#[test]
fn every_text_is_at_least_the_frame_size_and_fits_its_width() {
    let k = kpi(90.0, Direction::Up);
    let ks = status(
        &[("2025-01-01", 50.0, true), ("2025-06-15", 75.0, false)],
        &k,
    );
    let rows = vec![BarRow {
        label: "Ngân hàng Nhà nước Việt Nam chi nhánh tỉnh Hải Dương và các đơn vị trực thuộc"
            .into(),
        counts: [1; Status::ALL.len()],
    }];
    let charts = [
        kpi_chart(&k, &ks, d("2025-06-25"), Lang::Vi, &strings(), CREDIT),
        status_bars("b", "Nhiệm vụ".into(), &rows, &strings(), CREDIT),
        burnup_chart(&[], d("2025-06-25"), Lang::Vi, &strings(), CREDIT),
    ];
    for chart in &charts {
        let doc = check(chart);
        for (class, frame) in [("wide", WIDE), ("narrow", NARROW)] {
            let g = drawing(&doc, class);
            let mut texts = 0;
            for n in g.descendants().filter(|n| n.has_tag_name("text")) {
                texts += 1;
                let size: f64 = n
                    .attribute("font-size")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0.0);
                assert!(
                    size >= frame.text as f64,
                    "{class}: {size} < {}",
                    frame.text
                );
                let text = n.text().unwrap_or("").trim();
                let w = text_width(
                    text,
                    size as u32,
                    n.attribute("font-weight") == Some("bold"),
                );
                let x: f64 = n.attribute("x").and_then(|v| v.parse().ok()).unwrap_or(0.0);
                let (x0, x1) = match n.attribute("text-anchor") {
                    Some("middle") => (x - w / 2.0, x + w / 2.0),
                    Some("end") => (x - w, x),
                    _ => (x, x + w),
                };
                assert!(
                    x0 >= -0.5 && x1 <= frame.width as f64 + 0.5,
                    "{class}: {text:?} from {x0:.0} to {x1:.0} in {}",
                    frame.width
                );
            }
            assert!(texts > 5, "{class}");
            let all: String = g.descendants().filter_map(|n| n.text()).collect();
            assert!(
                all.contains("25/06/2025") && all.contains("Nguồn"),
                "{class}: source and date drawn"
            );
        }
        let (w, h) = chart.narrow;
        assert_eq!(w, NARROW.width);
        assert!(h > 100, "{h}");
    }
}

/// The cut that measuring every shorter prefix found, one character at
/// a time (the quadratic way shorten went before issue 29).
fn shorten_by_popping(s: &str, size: u32, bold: bool, max: f64) -> String {
    if text_width(s, size, bold) <= max {
        return s.to_string();
    }
    let mut out: Vec<char> = s.chars().collect();
    while !out.is_empty() {
        out.pop();
        let cut: String = out.iter().collect::<String>().trim_end().to_string() + "…";
        if text_width(&cut, size, bold) <= max {
            return cut;
        }
    }
    "…".to_string()
}

/// The box of a `<text>` as the chart placed it, from its attributes.
fn drawn_box(n: roxmltree::Node) -> [f64; 4] {
    let num = |a: &str| {
        n.attribute(a)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    let size = num("font-size") as u32;
    let h = match n.attribute("text-anchor") {
        Some("middle") => HPos::Center,
        Some("end") => HPos::Right,
        _ => HPos::Left,
    };
    let v = match n.attribute("dy") {
        Some("0.76em") => VPos::Top,
        Some("0.5ex") => VPos::Center,
        _ => VPos::Bottom,
    };
    let text = n.text().unwrap_or("").trim();
    let w = text_width(text, size, n.attribute("font-weight") == Some("bold"));
    Placed::text_box((num("x") as i32, num("y") as i32, h, v), w, size)
}

/// The segments of the polylines drawn with `dash`, the legend aside.
fn dashed(g: roxmltree::Node, dash: &str) -> Vec<((f64, f64), (f64, f64))> {
    g.descendants()
        .filter(|n| {
            n.has_tag_name("polyline")
                && n.attribute("stroke-dasharray") == Some(dash)
                && !n
                    .ancestors()
                    .any(|a| a.attribute("class") == Some("legend"))
        })
        .flat_map(|n| {
            let pts: Vec<(f64, f64)> = n
                .attribute("points")
                .unwrap_or("")
                .split_whitespace()
                .filter_map(|p| {
                    let (x, y) = p.split_once(',')?;
                    Some((x.parse().ok()?, y.parse().ok()?))
                })
                .collect();
            pts.windows(2).map(|w| (w[0], w[1])).collect::<Vec<_>>()
        })
        .collect()
}

/// On a phone as on a desktop, the latest value's label crosses
/// neither the goal's line nor the trend's (issue 28: "79%" was drawn
/// across both), and the legend names the trend with the sentence the
/// description gives.
#[test]
fn the_latest_value_label_keeps_clear_of_goal_and_trend() {
    let t = strings();
    let up = kpi(90.0, Direction::Up);
    let mut rank = kpi(30.0, Direction::Down);
    rank.unit = "hạng".into();
    rank.baseline = Some((d("2025-01-01"), 38.0));
    let cases = [
        (
            up.clone(),
            status(
                &[
                    ("2025-01-01", 50.0, true),
                    ("2025-03-15", 70.0, false),
                    ("2025-06-15", 86.0, false),
                ],
                &up,
            ),
        ),
        (
            up.clone(),
            status(
                &[("2025-01-01", 50.0, true), ("2025-06-15", 89.0, false)],
                &up,
            ),
        ),
        (
            rank.clone(),
            status(
                &[
                    ("2025-01-01", 38.0, true),
                    ("2025-04-01", 35.0, false),
                    ("2025-06-01", 33.0, false),
                ],
                &rank,
            ),
        ),
    ];
    for (k, ks) in &cases {
        let chart = kpi_chart(k, ks, d("2025-06-25"), Lang::Vi, &t, CREDIT);
        let doc = check(&chart);
        let latest = value(Lang::Vi, &t, k, ks.points.last().unwrap().value);
        for class in ["wide", "narrow"] {
            let g = drawing(&doc, class);
            let label = g
                .descendants()
                .find(|n| {
                    n.has_tag_name("text")
                        && n.attribute("font-weight") == Some("bold")
                        && n.text().map(str::trim) == Some(latest.as_str())
                })
                .unwrap_or_else(|| panic!("{class}: no label {latest}"));
            let b = drawn_box(label);
            let lines = [dashed(g, "10 5"), dashed(g, "4 4")].concat();
            assert!(lines.len() >= 2, "{class}: goal and trend drawn");
            for (p, q) in lines {
                assert!(
                    !crosses(b, p, q),
                    "{class}: {latest} at {b:?} crosses {p:?}-{q:?}"
                );
            }
            let legend: String = g
                .descendants()
                .filter(|n| n.attribute("class") == Some("legend"))
                .flat_map(|n| n.descendants())
                .filter_map(|n| n.text())
                .map(str::trim)
                .collect::<Vec<_>>()
                .join(" ");
            let note = trend_note(k, ks, Lang::Vi, &t).unwrap();
            assert!(chart.desc.contains(&note), "{}", chart.desc);
            let first_words: String = note.split(' ').take(4).collect::<Vec<_>>().join(" ");
            assert!(legend.contains(&first_words), "{class}: {legend}");
        }
    }
}

/// A rank: 1 is the best, at the top; values read "hạng 33"; the goal
/// reads "hạng 30 trở lên".
#[test]
fn a_rank_chart_puts_the_best_rank_at_the_top() {
    let mut k = kpi(30.0, Direction::Down);
    k.unit = "hạng".into();
    k.baseline = Some((d("2025-01-01"), 38.0));
    let ks = status(
        &[("2025-01-01", 38.0, true), ("2025-06-01", 33.0, false)],
        &k,
    );
    assert!(is_rank(&k));
    let layout = kpi_layout(&k, &ks, d("2025-06-25"));
    assert!(layout.inverted);
    let area = layout.area(&k, Lang::Vi, &Drawing::new(WIDE, &k.name, CREDIT));
    assert!(
        layout.y_pixel(area, 1.0) < layout.y_pixel(area, 33.0)
            && layout.y_pixel(area, 33.0) < layout.y_pixel(area, 38.0),
        "rank 1 at the top"
    );
    assert!(layout.y.0 <= 1.0 && layout.y.1 >= 38.0, "{layout:?}");
    let chart = kpi_chart(&k, &ks, d("2025-06-25"), Lang::Vi, &strings(), CREDIT);
    let doc = check(&chart);
    // The goal line is drawn where the layout puts rank 30.
    let lines = target_lines(&doc);
    let expected = layout.y_pixel(area, 30.0);
    assert!(
        lines.iter().any(|y| (y - expected).abs() <= 1.0),
        "{lines:?} {expected}"
    );
    assert!(chart.svg.contains(">hạng 33</text>"), "{}", chart.svg);
    assert!(
        chart.svg.contains("Mục tiêu: hạng 30 trở lên"),
        "{}",
        chart.svg
    );
    assert!(!chart.svg.contains("33 hạng") && !chart.desc.contains("33 hạng"));
    // Not a rank: a falling rate keeps its axis the right way up.
    let mut rate = kpi(10.0, Direction::Down);
    rate.unit = "%".into();
    assert!(!is_rank(&rate));
}

/// A control character in a name leaves the chart well-formed XML.
#[test]
fn a_control_character_in_a_name_leaves_the_chart_well_formed() {
    let mut k = kpi(90.0, Direction::Up);
    k.name = "Chỉ tiêu\u{7} có\u{1b} chuông\u{0}".into();
    let ks = status(
        &[("2025-01-01", 50.0, true), ("2025-06-15", 75.0, false)],
        &k,
    );
    let chart = kpi_chart(&k, &ks, d("2025-06-25"), Lang::Vi, &strings(), CREDIT);
    let doc = roxmltree::Document::parse(&chart.svg).unwrap_or_else(|e| panic!("{e}"));
    let title = doc
        .root_element()
        .children()
        .find(|n| n.has_tag_name("title"))
        .and_then(|n| n.text());
    assert_eq!(title, Some("Chỉ tiêu có chuông"));
    let rows = vec![BarRow {
        label: "Sở\u{7}".into(),
        counts: [1; Status::ALL.len()],
    }];
    let bars = status_bars("b", "Nhiệm\u{b} vụ".into(), &rows, &strings(), CREDIT);
    roxmltree::Document::parse(&bars.svg).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn ticks_are_round_and_within_the_range() {
    assert_eq!(ticks(0.0, 108.0, 6), [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
    assert_eq!(ticks(0.0, 5.5, 4), [0.0, 2.0, 4.0]);
    assert_eq!(ticks(3.0, 3.0, 4), [3.0]);
}

#[test]
fn shorten_cuts_where_measuring_every_prefix_did() {
    for s in [
        "Ngân hàng Nhà nước Việt Nam chi nhánh tỉnh Hải Dương",
        "Sở Y tế",
        "a    b    c    d    e    f    g    h",
        "MMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMM",
        "ỗỗỗ ỗỗ ỗ",
        "",
    ] {
        for max in [0.0, 5.0, 20.0, 57.5, 100.0, 150.0, 1000.0] {
            for bold in [false, true] {
                assert_eq!(
                    shorten(s, 14, bold, max),
                    shorten_by_popping(s, 14, bold, max),
                    "{s:?} in {max}"
                );
            }
        }
    }
}

#[test]
fn a_megabyte_title_is_wrapped_and_shortened() {
    // A megabyte: the quadratic cut measured 10^12 characters here.
    let long = "Nhiệm vụ chuyển đổi số ".repeat(40_000);
    let lines = wrap(&long, 16, true, 900.0, 3);
    assert_eq!(lines.len(), 3);
    assert!(lines[2].ends_with('…'), "{lines:?}");
    for l in &lines {
        assert!(text_width(l, 16, true) <= 900.0, "{l}");
    }
    let one_word = "x".repeat(1 << 20);
    let cut = shorten(&one_word, 14, false, 300.0);
    assert!(cut.ends_with('…') && text_width(&cut, 14, false) <= 300.0);
    let drawing = Drawing::new(NARROW, &long, CREDIT);
    assert_eq!(drawing.title.len(), 3);
}

#[test]
fn wrap_breaks_at_spaces_and_shortens_what_does_not_fit() {
    let s = "Ngân hàng Nhà nước Việt Nam chi nhánh tỉnh Hải Dương";
    let lines = wrap(s, 14, false, 150.0, 2);
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[1].ends_with('…'), "{lines:?}");
    for l in &lines {
        assert!(text_width(l, 14, false) <= 150.0, "{l}");
    }
    assert_eq!(wrap("Sở Y tế", 14, false, 150.0, 2), vec!["Sở Y tế"]);
    // Measured, not counted: "iiii" is narrower than "MMMM".
    assert!(text_width("iiii", 14, false) * 2.0 < text_width("MMMM", 14, false));
}
