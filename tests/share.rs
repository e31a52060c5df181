//! Share images (issue 31): the dashboard, a task, a KPI, an agency and a
//! monthly report page name in `og:image` a 1200×630 PNG that the build
//! writes, in each language; the dashboard's share title carries the
//! portal's name; the images are in the published path list; a rebuild
//! keeps every image it does not need to draw again.

mod common;

use common::*;
use std::path::Path;

/// The value of `<meta property|name="name" content="...">` on a page.
fn meta<'a>(html: &'a str, name: &str) -> Option<&'a str> {
    let at = html
        .find(&format!("property=\"{name}\" content=\""))
        .or_else(|| html.find(&format!("name=\"{name}\" content=\"")))?;
    let rest = &html[at..];
    let start = rest.find("content=\"")? + "content=\"".len();
    let end = rest[start..].find('"')?;
    Some(&rest[start..start + end])
}

/// The size of a PNG, read from its header.
fn png_size(path: &Path) -> (u32, u32) {
    let file = std::fs::File::open(path).unwrap();
    let reader = png::Decoder::new(std::io::BufReader::new(file))
        .read_info()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (reader.info().width, reader.info().height)
}

#[test]
fn the_five_page_kinds_name_a_1200_by_630_png_of_the_site() {
    let dir = site_with(&[]);
    let out = dir.path().join("out");
    let run = tiendo(&["build", "--output", out.to_str().unwrap()], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The minimal fixture is published at https://example.org/cong/.
    let origin = "https://example.org/cong/";
    let pages = [
        "index.html",
        "nhiem-vu/viec-mot/index.html",
        "chi-tieu/chi-tieu/index.html",
        "co-quan/so-mot/index.html",
        "bao-cao/2025-04/index.html",
    ];
    let list = std::fs::read_to_string(out.join("du-lieu/duong-dan.txt")).unwrap();
    let mut images = Vec::new();
    for lang in ["", "en/"] {
        for page in pages {
            let path = out.join(lang).join(page);
            let html = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let url =
                meta(&html, "og:image").unwrap_or_else(|| panic!("{lang}{page}: no og:image"));
            let rel = url
                .strip_prefix(origin)
                .unwrap_or_else(|| panic!("{url}: not absolute on the site"));
            assert_eq!(
                rel,
                [lang, page.trim_end_matches("index.html"), "chia-se.png"].concat()
            );
            assert_eq!(png_size(&out.join(rel)), (1200, 630), "{rel}");
            assert_eq!(meta(&html, "og:image:width"), Some("1200"));
            assert_eq!(meta(&html, "og:image:height"), Some("630"));
            assert_eq!(meta(&html, "twitter:card"), Some("summary_large_image"));
            let alt = meta(&html, "og:image:alt").unwrap_or_default();
            assert!(alt.contains("25/04/2025"), "{lang}{page}: alt {alt}");
            assert!(
                list.lines().any(|l| l == format!("/{rel}")),
                "{rel} not in the path list"
            );
            images.push(std::fs::read(out.join(rel)).unwrap());
        }
    }
    // English images say it in English.
    for (vi, en) in images[..5].iter().zip(&images[5..]) {
        assert_ne!(vi, en);
    }
    // The dashboard's share title names the portal.
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert_eq!(meta(&home, "og:title"), Some("Tổng quan · Cổng thử nghiệm"));
    let task = std::fs::read_to_string(out.join("nhiem-vu/viec-mot/index.html")).unwrap();
    assert!(
        !meta(&task, "og:title")
            .unwrap_or_default()
            .contains(" · Cổng")
    );
    // Other pages have no share image.
    let news = std::fs::read_to_string(out.join("tin-tuc/index.html")).unwrap();
    assert_eq!(meta(&news, "og:image"), None);
}

/// A file's inode, which a kept file keeps.
#[cfg(unix)]
fn inode(path: &Path) -> u64 {
    std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(path).unwrap())
}

#[cfg(unix)]
#[test]
fn a_rebuild_draws_only_the_images_whose_card_changed() {
    let dir = site_with(&[]);
    let out = dir.path().join("out");
    let build = |extra: &[&str]| {
        let mut args = vec!["build", "--lang", "en", "--output", out.to_str().unwrap()];
        args.extend_from_slice(extra);
        let run = tiendo(&args, dir.path());
        assert_eq!(run.code, 0, "{}", run.stderr);
        run.stdout
    };
    let first = build(&[]);
    let count = first
        .lines()
        .find_map(|l| l.strip_prefix("Share images: "))
        .and_then(|l| l.split(',').next())
        .unwrap_or_else(|| panic!("{first}"))
        .to_string();
    assert!(
        first.contains(&format!("Share images: {count}, {count} drawn, 0 kept")),
        "{first}"
    );
    let task = out.join("nhiem-vu/viec-mot/chia-se.png");
    let before = (inode(&task), std::fs::read(&task).unwrap());
    // Nothing changed: every image is kept, none drawn.
    let again = build(&[]);
    assert!(
        again.contains(&format!("{count}, 0 drawn, {count} kept")),
        "{again}"
    );
    assert_eq!(inode(&task), before.0, "the image is the same file");
    // Another as-of date is written on every image: all drawn again.
    let later = build(&["--as-of", "2025-04-26"]);
    assert!(
        later.contains(&format!("{count}, {count} drawn, 0 kept")),
        "{later}"
    );
    assert_ne!(std::fs::read(&task).unwrap(), before.1);
}

#[test]
fn the_preview_keeps_the_last_builds_images_in_memory() {
    let dir = site_with(&[]);
    let opts = tiendo::Options {
        root: dir.path().to_path_buf(),
        output: None,
        as_of: None,
        fallback_date: tiendo::date::parse_date("2025-04-25").unwrap(),
        base_url: None,
        drafts: false,
        lang: Some(tiendo::Lang::En),
        force: false,
        previous: None,
        no_cache: false,
    };
    let memo = tiendo::render::share::Memo::default();
    let first = tiendo::preview_with(&opts, &memo).unwrap();
    let images = first.site.share.images;
    assert!(images > 0);
    assert_eq!(first.site.share.drawn, images);
    let home = first.site.files.get("chia-se.png").cloned().unwrap();
    // A save that changes one task's title draws its images (one a
    // language) and no other.
    let plan = dir.path().join("content/plans/ke-hoach.yaml");
    let text = std::fs::read_to_string(&plan).unwrap();
    std::fs::write(
        &plan,
        text.replace("title: Việc một", "title: Việc thứ nhất"),
    )
    .unwrap();
    let second = tiendo::preview_with(&opts, &memo).unwrap();
    assert_eq!(second.site.share.images, images);
    assert_eq!(second.site.share.drawn, 2);
    assert_eq!(second.site.files.get("chia-se.png"), Some(&home));
}
