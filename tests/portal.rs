//! The portal's pages: every page kind is built with its key content, the
//! dashboard agrees with the status engine, and hostile content stays inert.

mod common;

use common::*;
use std::path::Path;
use tiendo::route::Route;

fn build(dir: &Path) -> std::path::PathBuf {
    let run = tiendo(&["build"], dir);
    assert_eq!(run.code, 0, "{}", run.stderr);
    dir.join("output")
}

fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn every_page_kind_has_its_key_content() {
    let dir = site_with(&[]);
    let out = build(dir.path());
    let as_of = "Số liệu tính đến ngày <time datetime=\"2025-04-25\">25/04/2025</time>";
    let pages = [
        "index.html",
        "404.html",
        "nhiem-vu/index.html",
        "nhiem-vu/qua-han/index.html",
        "nhiem-vu/viec-mot/index.html",
        "co-quan/index.html",
        "co-quan/so-mot/index.html",
        "to-cong-tac/to-mot/index.html",
        "chi-tieu/index.html",
        "chi-tieu/chi-tieu/index.html",
        "bao-cao/index.html",
        "bao-cao/2025-03/index.html",
        "han-chot/index.html",
        "tin-tuc/index.html",
        "tin-tuc/tin-mot/index.html",
        "chu-de/thu-nghiem/index.html",
        "gioi-thieu/index.html",
    ];
    for p in pages {
        let html = read(&out, p);
        assert!(html.contains(as_of), "{p} does not say the as-of date");
        assert!(
            html.contains("Dữ liệu minh họa."),
            "{p} has no sample-data banner"
        );
        let en = read(&out, &format!("en/{p}"));
        assert!(en.contains("Figures as of"), "en/{p} is not in English");
        assert!(en.contains("<html lang=\"en\" "));
    }
    // A task page: the "5 rõ" card with its lead and deadline.
    let task = read(&out, "nhiem-vu/viec-mot/index.html");
    assert!(
        task.contains("<a href=\"/cong/co-quan/so-mot/\">Sở Một</a>"),
        "{task}"
    );
    assert!(task.contains("31/03/2025"));
    assert!(task.contains("Hoàn thành quá hạn"));
    assert!(task.contains("Muộn 2 ngày"));
    assert!(task.contains("Quy tắc 2"));
    assert!(task.contains("Giám đốc Sở Một"));
    assert!(
        task.contains("href=\"/cong/tin-tuc/tin-mot/\""),
        "related news"
    );
    assert!(
        task.contains("https://example.org/cong/nhiem-vu/viec-mot/"),
        "cite line"
    );
    // The overdue view, most overdue first.
    let overdue = read(&out, "nhiem-vu/qua-han/index.html");
    assert!(overdue.contains("data-id=\"viec-ba\" data-status=\"overdue\""));
    assert!(overdue.contains("Quá hạn 15 ngày"));
    assert!(!overdue.contains("data-id=\"viec-mot\""));
    // Lineage: the old agency's page shows the hand-over, the successor's too.
    let old = read(&out, "co-quan/so-cu/index.html");
    assert!(
        old.contains("Đã hợp nhất vào Sở Một từ ngày 01/03/2025."),
        "{old}"
    );
    assert!(
        old.contains("data-id=\"viec-hai\""),
        "handed-over task listed"
    );
    let successor = read(&out, "co-quan/so-mot/index.html");
    assert!(successor.contains("Tiếp nhận nhiệm vụ của Sở Cũ từ ngày 01/03/2025."));
    // Monthly report: who reported, on time or late.
    let april = read(&out, "bao-cao/2025-04/index.html");
    assert!(april.contains("Muộn 2 ngày"), "so-hai reported on 22/04");
    assert!(read(&out, "bao-cao/2025-03/index.html").contains("Đúng hạn"));
    // KPI page: values table with the baseline and the reported value.
    let kpi = read(&out, "chi-tieu/chi-tieu/index.html");
    assert!(kpi.contains("50%") && kpi.contains("60%") && kpi.contains("90%"));
    // Deadlines by month.
    let deadlines = read(&out, "han-chot/index.html");
    assert!(
        deadlines.contains("id=\"thang-2025-03\"") && deadlines.contains("id=\"thang-2025-05\"")
    );
    // A long article gets a table of contents with anchors.
    let article = read(&out, "tin-tuc/tin-mot/index.html");
    assert!(article.contains("<h2 id=\"phan-mot\">") && article.contains("href=\"#phan-mot\""));
    // Standing pages are in the menu; each page links to its English counterpart.
    let home = read(&out, "index.html");
    assert!(home.contains("href=\"/cong/gioi-thieu/\""));
    assert!(home.contains("hreflang=\"en\" href=\"https://example.org/cong/en/\""));
    assert!(read(&out, "en/nhiem-vu/viec-mot/index.html").contains("2 days late"));
    for asset in ["assets/style.css", "assets/tiendo.js"] {
        assert!(out.join(asset).is_file(), "{asset}");
    }
}

#[test]
fn dashboard_counts_equal_the_status_engine() {
    let dir = site_with(&[]);
    let out = build(dir.path());
    let mut diags = tiendo::diag::Diagnostics::new();
    let raw = tiendo::load::load(dir.path(), &mut diags).unwrap();
    let model = tiendo::model::build(raw, &mut diags);
    let as_of = model.site().as_of.unwrap();
    let fig = tiendo::status::compute(&model, as_of);
    let home = read(&out, "index.html");
    for s in tiendo::status::Status::ALL {
        let n = fig.overall.count(s);
        let needle = format!(
            "<a href=\"/cong/{}\"><span class=\"count\">{n}</span> <span class=\"status status-{}\">",
            Route::StatusView(s.code()).path(),
            s.code()
        );
        assert!(
            home.contains(&needle),
            "dashboard count for {} should be {n}",
            s.code()
        );
        let view = read(&out, &Route::StatusView(s.code()).file());
        assert_eq!(view.matches("<tr data-id=").count(), n, "{} view", s.code());
    }
    let table = read(&out, "nhiem-vu/index.html");
    assert_eq!(table.matches("<tr data-id=").count(), model.tasks.len());
}

#[test]
fn pages_work_without_javascript() {
    let dir = site_with(&[]);
    let out = build(dir.path());
    let table = read(&out, "nhiem-vu/index.html");
    // The filters are hidden until the script shows them; the table and the
    // status views are plain HTML.
    assert!(table.contains("<form class=\"filters\" hidden"));
    assert!(table.contains("href=\"/cong/nhiem-vu/qua-han/\""));
    assert!(table.contains("<script src=\"/cong/assets/tiendo.js\" defer></script>"));
    for entry in walkdir::WalkDir::new(&out)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
    {
        let html = std::fs::read_to_string(entry.path()).unwrap();
        let rel = entry
            .path()
            .strip_prefix(&out)
            .unwrap()
            .display()
            .to_string();
        // The search page also has its own script.
        let scripts = if rel.contains("tim-kiem") { 2 } else { 1 };
        assert_eq!(
            html.matches("<script").count(),
            scripts,
            "{rel}: {scripts} deferred script(s), nothing inline"
        );
        assert_eq!(
            html.matches("<script src=\"").count(),
            html.matches("\" defer></script>").count(),
            "{rel}: every script is a deferred file"
        );
        for external in ["src=\"http", "href=\"//", "@import", "url(http"] {
            assert!(
                !html.contains(external),
                "{rel} loads from another host: {external}"
            );
        }
    }
}

const HOSTILE_TITLE: &str = "Việc \\\"<script>alert(1)</script>\\\" <img src=x onerror=alert(2)>";

#[test]
fn hostile_content_is_inert() {
    let plan = format!(
        "id: ke-hoach\ntitle: \"<b onmouseover=alert(3)>K</b>\"\nissued: 2025-02-25\ntasks:
  - id: viec-mot
    title: \"{HOSTILE_TITLE}\"
    support: [so-hai]
    description: |
      <script>alert(4)</script>
      [bấm](javascript:alert(5)) <a href=\"JAVASCRIPT:alert(6)\">x</a>
      <iframe src=\"javascript:alert(1)\"></iframe>
      <p onclick=\"alert(7)\" style=\"background:url(https://evil.example/x.png)\">y</p>
    lead: so-mot
    deadline: 31/03/2025
    result: \"'; alert(8); '\"
    responsible: \"</dd><script>alert(9)</script>\"
  - id: viec-hai
    title: Việc hai
    lead: so-cu
    deadline: 2025-05
    result: Xong
    responsible: A
  - id: viec-thang
    title: B
    lead: so-hai
    deadline: monthly
    result: B
    responsible: B
  - id: viec-ba
    title: C
    lead: so-hai
    deadline: 10/04/2025
    result: C
    responsible: C
"
    );
    let article = "---\ntitle: \"\\\"><script>alert(10)</script>\"\ndate: 2025-03-10\nsummary: \"<svg onload=alert(11)>\"\ntags: [\"<script>\"]\n---\n<script>alert(12)</script>\n\n<img src=/cong/assets/favicon.svg alt=x onerror=alert(13)>\n\n[a](javascript:alert(14))\n\n<form action=\"https://evil.example\"><input name=x></form>\n";
    let dir = site_with(&[
        ("content/plans/ke-hoach.yaml", Some(plan.as_bytes())),
        ("content/news/tin-mot.md", Some(article.as_bytes())),
    ]);
    let out = build(dir.path());
    for entry in walkdir::WalkDir::new(&out)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
    {
        let rel = entry
            .path()
            .strip_prefix(&out)
            .unwrap()
            .display()
            .to_string();
        // CSV and iCalendar files are data for other software, never
        // rendered as HTML; every format a browser might render is checked.
        if !(rel.ends_with(".html")
            || rel.ends_with(".svg")
            || rel.ends_with(".xml")
            || rel.ends_with(".json"))
        {
            continue;
        }
        let text = std::fs::read_to_string(entry.path())
            .unwrap()
            .to_lowercase();
        if rel.ends_with(".svg") {
            assert_eq!(text.matches("<svg").count(), 1, "{rel}");
            assert!(!text.contains("<script"), "{rel}");
            continue;
        }
        // Escaped text (`&lt;img onerror=...`) is inert; a live tag or
        // attribute starts with a raw `<` or sits inside one.
        for bad in [
            "<script>alert",
            "<img src=x",
            "<svg",
            "<iframe",
            "<b onmouseover",
            "<p onclick",
            "<form action",
            "href=\"javascript:",
            "evil.example/x.png",
            "style=\"background",
        ] {
            assert!(!text.contains(bad), "{rel} contains {bad}");
        }
    }
    let task = read(&out, "nhiem-vu/viec-mot/index.html");
    assert!(
        task.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;")
            || task.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "the title is shown as text"
    );
}

#[test]
fn every_chart_is_accessible_svg_under_30_kb() {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("site");
    let run = tiendo(
        &["build", "--output", target.to_str().unwrap()],
        Path::new(env!("CARGO_MANIFEST_DIR")),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut count = 0;
    for entry in walkdir::WalkDir::new(&target)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "svg"))
    {
        let rel = entry
            .path()
            .strip_prefix(&target)
            .unwrap()
            .display()
            .to_string();
        if rel.starts_with("assets/") {
            continue; // the theme's icon, not a chart
        }
        let svg = std::fs::read_to_string(entry.path()).unwrap();
        assert!(svg.len() < 30 * 1024, "{rel}: {} bytes", svg.len());
        let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{rel}: {e}"));
        let root = doc.root_element();
        assert_eq!(root.attribute("role"), Some("img"), "{rel}");
        for tag in ["title", "desc"] {
            let text = root
                .children()
                .find(|n| n.has_tag_name(tag))
                .and_then(|n| n.text())
                .unwrap_or("");
            assert!(!text.trim().is_empty(), "{rel} has no {tag}");
        }
        count += 1;
    }
    // Status, burn-up and agencies, three groups and six KPIs, in two languages.
    assert_eq!(count, 2 * (3 + 3 + 6));
    let kpi = read(&target, "chi-tieu/dvc-toan-trinh/index.html");
    assert!(kpi.contains("src=\"/chi-tieu/dvc-toan-trinh/bieu-do.svg\""));
    assert!(kpi.contains("&lt;img src=&quot;https:&#x2f;&#x2f;tiendo.example.gov.vn&#x2f;chi-tieu&#x2f;dvc-toan-trinh&#x2f;bieu-do.svg&quot;") || kpi.contains("&lt;figure&gt;&lt;img src="), "embed snippet");
}

#[test]
fn a_site_overrides_one_template_asset_or_string_without_copying_the_theme() {
    let dir = site_with(&[
        (
            "templates/404.html",
            Some("{% extends \"base.html\" %}{% block content %}<h1>Trang riêng của tỉnh</h1>{% endblock content %}".as_bytes()),
        ),
        ("theme-static/style.css", Some(b"body { color: #000; }".as_slice())),
        ("i18n/vi.yaml", Some("nav_tasks: Việc được giao\n".as_bytes())),
        // Feeds are written without the engine only while this is the
        // built-in template.
        (
            "templates/feed.xml",
            Some("<feed><title>{{ feed.title }}</title><!-- riêng --></feed>\n".as_bytes()),
        ),
    ]);
    let out = build(dir.path());
    assert!(read(&out, "404.html").contains("<h1>Trang riêng của tỉnh</h1>"));
    for feed in ["atom.xml", "bao-cao/thay-doi.xml"] {
        assert!(
            read(&out, feed).ends_with("<!-- riêng --></feed>\n"),
            "{feed}"
        );
    }
    assert_eq!(read(&out, "assets/style.css"), "body { color: #000; }");
    let home = read(&out, "index.html");
    assert!(
        home.contains(">Việc được giao</a>"),
        "the overridden string"
    );
    assert!(home.contains(">Cơ quan</a>"), "the other strings stay");
    assert!(
        out.join("assets/tiendo.js").is_file(),
        "the other assets stay"
    );
}
