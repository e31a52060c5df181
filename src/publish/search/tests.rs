//! Tests of the search index: folding, postings, chunks, versions, and
//! which texts a result marks as Vietnamese on English pages.

use super::*;

fn entry(t: &str, f: &str) -> IndexEntry {
    IndexEntry {
        k: "Nhiệm vụ".into(),
        t: t.into(),
        u: format!("/{}/", f.replace(' ', "-")),
        c: String::new(),
        s: String::new(),
        f: search_fold(&format!("{t} {f}")),
        kw: String::new(),
        l: "",
    }
}

#[test]
fn search_folding_in_one_pass_is_folding_then_filtering() {
    use crate::text::fold;
    let two_passes = |s: &str| -> String {
        let folded: String = fold(s)
            .chars()
            .map(|c| {
                if matches!(c, '-' | '‐' | '–' | '—') {
                    ' '
                } else {
                    c
                }
            })
            .filter(|c| c.is_alphanumeric() || c.is_whitespace())
            .collect();
        folded.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let all: Vec<char> = (0..=0x10FFFF).filter_map(char::from_u32).collect();
    for chunk in all.chunks(7) {
        let s: String = chunk.iter().collect();
        assert_eq!(search_fold(&s), two_passes(&s));
    }
    for s in [
        "",
        "  ",
        " - Sở KH&CN —  Đường\tsố 5 –",
        "COVID-19 & 5G; mã429298 (nhiệm vụ 10)\u{00A0}x",
        "a & b",
        "—a",
    ] {
        assert_eq!(search_fold(s), two_passes(s), "{s:?}");
    }
}

#[test]
fn search_folding_matches_what_citizens_type() {
    assert_eq!(search_fold("Chuyển đổi số"), "chuyen doi so");
    assert_eq!(search_fold("Sở KH&CN"), "so khcn");
    assert_eq!(search_fold("Đăng ký"), "dang ky");
    assert_eq!(search_fold("  Côn Sơn - Kiếp Bạc "), "con son kiep bac");
    assert_eq!(search_fold("nhiem-vu-12 COVID–19"), "nhiem vu 12 covid 19");
}

#[test]
fn postings_are_runs_of_distances_in_base_36() {
    assert_eq!(postings(&[]), "");
    assert_eq!(postings(&[0]), "0");
    assert_eq!(postings(&[0, 1, 2, 3, 10, 47]), "0+3,7,11");
    assert_eq!(postings(&[5, 6, 100]), "5+1,2m");
    assert_eq!(postings(&[36 * 36]), "100");
}

#[test]
fn body_text_keeps_every_heading_and_the_opening() {
    let long = "chữ ".repeat(500);
    let text = crate::markdown::search_text(&format!(
        "Mở đầu **đậm**.\n\n{long}\n\n## Cuối cùng\n\nxa lắm\n"
    ));
    assert!(text.starts_with("Cuối cùng "), "{text}");
    assert!(text.contains("Mở đầu đậm."));
    assert_eq!(
        text.split_whitespace().count(),
        2 + crate::markdown::SEARCH_WORDS
    );
    assert_eq!(
        crate::markdown::search_text("một\ndòng\n\n- hai\n- ba"),
        "một dòng hai ba"
    );
    assert!(!text.contains("xa lắm"));
}

#[test]
fn chunks_cover_every_word_once_in_order() {
    let entries: Vec<IndexEntry> = (0..3000)
        .map(|i| {
            entry(
                &format!("Việc số {i}"),
                &format!("tu{i} chung ma{} {}", i % 7, i * 31),
            )
        })
        .collect();
    let files = search_files(&entries);
    let manifest: serde_json::Value = serde_json::from_slice(&files[0].1).unwrap();
    assert_eq!(files[0].0, "tim-kiem/chi-muc.json");
    assert_eq!(manifest["entries"], 3000);
    let ranges = manifest["chunks"].as_array().unwrap();
    assert!(ranges.len() > 3, "{} chunks", ranges.len());
    let mut seen: Vec<String> = Vec::new();
    for (n, range) in ranges.iter().enumerate() {
        let (path, bytes) = files
            .iter()
            .find(|(p, _)| *p == format!("tim-kiem/tu/{n}.json"))
            .unwrap();
        let chunk: serde_json::Map<String, serde_json::Value> =
            serde_json::from_slice(bytes).unwrap();
        let keys: Vec<&String> = chunk.keys().collect();
        assert_eq!(
            keys.first().map(|k| k.as_str()),
            range[0].as_str(),
            "{path}"
        );
        assert_eq!(keys.last().map(|k| k.as_str()), range[1].as_str(), "{path}");
        assert!(
            bytes.len() <= CHUNK_BYTES + 100 || keys.len() == 1,
            "{path}: {}",
            bytes.len()
        );
        seen.extend(keys.into_iter().cloned());
    }
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(seen, sorted, "chunks are in order and disjoint");
    assert!(seen.contains(&"chung".to_string()) && seen.contains(&"tu2999".to_string()));
    // "chung" is in every entry but no title: one run, all in "elsewhere".
    let (_, bytes) = files
        .iter()
        .find(|(p, b)| {
            p.starts_with("tim-kiem/tu/") && String::from_utf8_lossy(b).contains("\"chung\":")
        })
        .unwrap();
    assert!(String::from_utf8_lossy(bytes).contains("\"chung\":[\"\",\"0+2bb\"]"));
    // Entry files: link, title, kind as a number into the manifest's.
    let rows: Vec<serde_json::Value> = serde_json::from_slice(
        &files
            .iter()
            .find(|(p, _)| p == "tim-kiem/muc/1.json")
            .unwrap()
            .1,
    )
    .unwrap();
    assert_eq!(rows.len(), ENTRIES_PER_FILE);
    assert_eq!(rows[0][1], format!("Việc số {ENTRIES_PER_FILE}"));
    assert_eq!(rows[0][2], 0);
    assert_eq!(manifest["kinds"][0], "Nhiệm vụ");
}

#[test]
fn the_version_follows_the_content() {
    let a = search_files(&[entry("Một", "mot")]);
    let b = search_files(&[entry("Hai", "hai")]);
    assert_eq!(a[0].1, search_files(&[entry("Một", "mot")])[0].1);
    assert_ne!(a[0].1, b[0].1);
}

#[test]
fn a_vietnamese_title_on_an_english_page_is_marked_at_the_end_of_its_row() {
    let mut task = entry("Xây dựng Cơ sở dữ liệu đất đai", "csdl dat dai");
    task.c = "in_progress".into();
    task.s = "In progress".into();
    task.l = "vi";
    let mut news = entry("Tin", "tin");
    news.s = "24/06/2025".into();
    news.l = "vi";
    let mut english = entry("Build the land database", "csdl dat dai");
    english.c = "in_progress".into();
    english.s = "In progress".into();
    let page = entry("About", "gioi thieu");
    let files = search_files(&[task, news, english, page]);
    let rows: Vec<serde_json::Value> = serde_json::from_slice(
        &files
            .iter()
            .find(|(p, _)| p == "tim-kiem/muc/0.json")
            .unwrap()
            .1,
    )
    .unwrap();
    assert_eq!(
        rows,
        serde_json::json!([
            [
                "/csdl-dat-dai/",
                "Xây dựng Cơ sở dữ liệu đất đai",
                0,
                "in_progress",
                "",
                "vi"
            ],
            ["/tin/", "Tin", 0, "", "24/06/2025", "vi"],
            [
                "/csdl-dat-dai/",
                "Build the land database",
                0,
                "in_progress"
            ],
            ["/gioi-thieu/", "About", 0]
        ])
        .as_array()
        .unwrap()
        .clone()
    );
}
