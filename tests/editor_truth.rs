//! The editor tools tell the truth and resist hostile workbooks (issues
//! 28 B, 29.5, 29.7, 29.8): a workbook that unpacks to gigabytes is refused
//! at once, in little memory; a percent cell is a fraction of 100; a cell
//! tiendo would drop, a total row, merged cells, an edited agency or period
//! and dates of another period are named at their cell; `--force` keeps the
//! replaced report; `new report` writes no figure the editor did not give.

mod common;

use common::*;
use rust_xlsxwriter::{Format, Workbook, Worksheet};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use tiendo::date::Period;
use tiendo::editor::{self, xlsx};

fn tiendo_in(lang: &str, args: &[&str], root: &Path) -> Run {
    let mut args = args.to_vec();
    args.extend(["--lang", lang]);
    common::tiendo(&args, root)
}

fn en(args: &[&str], root: &Path) -> Run {
    tiendo_in("en", args, root)
}

fn default_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    for entry in walkdir::WalkDir::new(&from) {
        let entry = entry.unwrap();
        let to = dir
            .path()
            .join("content")
            .join(entry.path().strip_prefix(&from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
    dir
}

fn opts(root: &Path) -> tiendo::Options {
    tiendo::Options {
        root: root.to_path_buf(),
        output: None,
        as_of: None,
        fallback_date: tiendo::date::parse_date("2025-06-25").unwrap(),
        base_url: None,
        drafts: true,
        lang: Some(tiendo::Lang::En),
        force: false,
        previous: None,
        no_cache: false,
    }
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The messages of a refused workbook, by key.
fn keys(bytes: &[u8]) -> Vec<(String, &'static str)> {
    match xlsx::read_report(bytes) {
        Ok(_) => Vec::new(),
        Err(errs) => errs.into_iter().map(|e| (e.cell, e.message.key)).collect(),
    }
}

/// A workbook in tiendo's layout written by another tool: so-khcn's June
/// report, submitted 19/06/2025, no rows; `edit` fills in the sheets
/// (report, updates, KPIs).
fn book(edit: impl FnOnce(&mut Worksheet, &mut Worksheet, &mut Worksheet)) -> Vec<u8> {
    let mut rep = Worksheet::new();
    rep.set_name("Báo cáo").unwrap();
    for (r, (k, v)) in [
        ("agency", "so-khcn"),
        ("period", "2025-06"),
        ("submitted", "19/06/2025"),
    ]
    .iter()
    .enumerate()
    {
        rep.write_string(r as u32 + 1, 0, *k).unwrap();
        rep.write_string(r as u32 + 1, 1, *v).unwrap();
    }
    let mut ups = Worksheet::new();
    ups.set_name("Nhiệm vụ").unwrap();
    let mut kps = Worksheet::new();
    kps.set_name("Chỉ số").unwrap();
    edit(&mut rep, &mut ups, &mut kps);
    let mut wb = Workbook::new();
    wb.push_worksheet(rep);
    wb.push_worksheet(ups);
    wb.push_worksheet(kps);
    wb.save_to_buffer().unwrap()
}

/// One update row: task, (title), state, then progress as text.
fn update(ws: &mut Worksheet, row: u32, task: &str, state: &str) {
    ws.write_string(row, 0, task).unwrap();
    ws.write_string(row, 2, state).unwrap();
}

/// The workbook's parts, each passed through `edit`, deflated again.
fn rezip(bytes: &[u8], edit: impl Fn(&str, Vec<u8>) -> Vec<u8>) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1));
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        out.start_file(name.as_str(), o).unwrap();
        out.write_all(&edit(&name, data)).unwrap();
    }
    out.finish().unwrap().into_inner()
}

fn replace(data: Vec<u8>, from: &str, to: &str) -> Vec<u8> {
    let s = String::from_utf8(data).unwrap();
    assert!(s.contains(from), "{from} not in {s}");
    s.replacen(from, to, 1).into_bytes()
}

/// so-khcn's report of `period` as tiendo exports it.
fn exported(root: &Path, period: &str) -> Vec<u8> {
    let m = editor::load_model(&opts(root)).unwrap();
    let d = editor::existing_report(&m, "so-khcn", Period::parse(period).unwrap()).unwrap();
    xlsx::write_report(&d).unwrap()
}

fn save(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

// 29.5: decompression limits.

/// A valid workbook whose shared strings unpack to 40 MB (from about 40 KB);
/// with `lie`, the zip declares them 1 KB, which only unpacking finds out.
fn bomb(lie: bool) -> Vec<u8> {
    let good = book(|_, ups, _| update(ups, 1, "dong-bo-dvc-quoc-gia", "in_progress"));
    let huge = "A".repeat(40 << 20);
    let mut bytes = rezip(&good, |name, data| {
        if name == "xl/sharedStrings.xml" {
            let s = String::from_utf8(data).unwrap();
            s.replacen("<t>agency</t>", &format!("<t>{huge}</t>"), 1)
                .into_bytes()
        } else {
            data
        }
    });
    if lie {
        // The declared unpacked size: local header offset 22, central
        // directory offset 24.
        let name = b"xl/sharedStrings.xml";
        for (sig, size_at, name_len_at, name_at) in [
            (&b"PK\x03\x04"[..], 22, 26, 30),
            (&b"PK\x01\x02"[..], 24, 28, 46),
        ] {
            let mut i = 0;
            while i + 4 < bytes.len() {
                if &bytes[i..i + 4] == sig {
                    let n = u16::from_le_bytes([bytes[i + name_len_at], bytes[i + name_len_at + 1]])
                        as usize;
                    if bytes.get(i + name_at..i + name_at + n) == Some(&name[..]) {
                        bytes[i + size_at..i + size_at + 4].copy_from_slice(&1024u32.to_le_bytes());
                    }
                }
                i += 1;
            }
        }
    }
    bytes
}

/// Run in a child process by the test below: reads the workbook at
/// `TIENDO_BOMB`, prints the time, the peak memory and the refusal.
fn bomb_child(path: &str) {
    let bytes = std::fs::read(path).unwrap();
    let start = std::time::Instant::now();
    let got = keys(&bytes);
    let ms = start.elapsed().as_millis();
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let peak_kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0);
    let key = got.first().map_or("accepted", |(_, k)| k);
    println!("BOMB {ms} {peak_kb} {key}");
}

#[test]
fn an_inflating_workbook_is_refused_at_once_in_little_memory() {
    if let Ok(path) = std::env::var("TIENDO_BOMB") {
        return bomb_child(&path);
    }
    let dir = tempfile::tempdir().unwrap();
    for lie in [false, true] {
        let bytes = bomb(lie);
        assert!(bytes.len() < 1 << 20, "{}", bytes.len());
        let path = save(dir.path(), &format!("bomb-{lie}.xlsx"), &bytes);
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "an_inflating_workbook_is_refused_at_once_in_little_memory",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("TIENDO_BOMB", &path)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let line = stdout
            .lines()
            .find_map(|l| l.split("BOMB ").nth(1))
            .unwrap_or_else(|| panic!("{stdout}"));
        eprintln!("lie {lie}: {line}");
        let f: Vec<&str> = line.split(' ').collect();
        let (ms, kb): (u64, u64) = (f[0].parse().unwrap(), f[1].parse().unwrap());
        // A declared size that lies: the zip reader stops at it.
        let want = if lie { "xlsx.damaged" } else { "xlsx.inflates" };
        assert_eq!(f[2], want, "lie {lie}: {stdout}");
        // Unpacking 32 MB into nothing, in a debug build, at most.
        assert!(ms < 10_000, "lie {lie}: {ms} ms");
        assert!(kb > 0 && kb < 150_000, "lie {lie}: peak {kb} kB");
        // The command names the file, in the editor's language.
        let site = default_site();
        let run = tiendo_in("vi", &["import", path.to_str().unwrap()], site.path());
        assert_eq!(run.code, 1, "{}", run.stderr);
        let said = if lie {
            "lỗi: sổ tính này bị hỏng: phần `xl/sharedStrings.xml`"
        } else {
            "lỗi: sổ tính này bị từ chối: phần `xl/sharedStrings.xml` giải nén ra"
        };
        assert!(
            run.stderr.contains(&format!("{}: {said}", path.display())),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn a_value_in_the_last_cell_of_a_sheet_is_refused_not_allocated() {
    let bytes = book(|_, ups, _| {
        update(ups, 1, "dong-bo-dvc-quoc-gia", "in_progress");
        ups.write_string(1_048_575, 16_383, "x").unwrap();
    });
    let start = std::time::Instant::now();
    assert_eq!(
        keys(&bytes),
        [("Nhiệm vụ!XFD1048576".to_string(), "xlsx.too_far")]
    );
    assert!(start.elapsed().as_secs() < 5);
}

// 28 B: friendly refusals.

#[test]
fn a_workbook_saved_as_csv_or_xls_is_told_to_be_saved_as_xlsx() {
    let site = default_site();
    let dir = tempfile::tempdir().unwrap();
    let csv = save(
        dir.path(),
        "bao-cao.xlsx",
        "task,state,progress\ndong-bo-dvc-quoc-gia,in_progress,90\n".as_bytes(),
    );
    let run = tiendo_in("vi", &["import", csv.to_str().unwrap()], site.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "{}: lỗi: tệp này là văn bản (CSV), không phải sổ tính Excel: hãy mở bằng Excel và lưu thành «Excel Workbook (.xlsx)»",
            csv.display()
        )),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("EOCD"), "{}", run.stderr);
    let run = en(&["import", csv.to_str().unwrap()], site.path());
    assert!(
        run.stderr.contains("save it as «Excel Workbook (.xlsx)»"),
        "{}",
        run.stderr
    );
    // An old .xls (or a workbook with a password) and anything else.
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.resize(4096, 0);
    assert_eq!(keys(&ole), [(String::new(), "xlsx.old_or_locked")]);
    assert_eq!(keys(b""), [(String::new(), "xlsx.not_xlsx")]);
    assert_eq!(
        keys(b"PK\x03\x04broken"),
        [(String::new(), "xlsx.not_xlsx")]
    );
}

#[test]
fn a_total_row_merged_cells_and_a_cell_tiendo_does_not_read_are_named() {
    let bytes = book(|_, ups, kps| {
        update(ups, 1, "dong-bo-dvc-quoc-gia", "in_progress");
        update(ups, 2, "binh-dan-hoc-vu-so", "in_progress");
        ups.write_string(3, 0, "Tổng cộng").unwrap();
        ups.write_formula(3, 3, "=AVERAGE(D2:D3)").unwrap();
        ups.merge_range(1, 5, 2, 5, "chung một ghi chú", &Format::new())
            .unwrap();
        ups.write_string(1, 9, "ghi chú ngoài cột").unwrap();
        kps.write_string(1, 0, "TOTAL").unwrap();
    });
    let got = keys(&bytes);
    for want in [
        ("Nhiệm vụ!A4", "xlsx.total_row"),
        ("Nhiệm vụ!F2", "xlsx.merged"),
        ("Nhiệm vụ!J2", "xlsx.unread_cell"),
        ("Chỉ số!A2", "xlsx.total_row"),
    ] {
        assert!(
            got.iter().any(|(c, k)| c == want.0 && *k == want.1),
            "{want:?} in {got:?}"
        );
    }
    // A task whose title starts like a total is a task.
    let ok = book(|_, ups, _| {
        update(ups, 1, "bao-cao-dinh-ky", "in_progress");
        ups.write_string(1, 1, "Tổng hợp báo cáo định kỳ").unwrap();
    });
    assert_eq!(keys(&ok), []);
    // And in words, at the cell.
    let site = default_site();
    let dir = tempfile::tempdir().unwrap();
    let path = save(dir.path(), "tong.xlsx", &bytes);
    let run = en(&["import", path.to_str().unwrap()], site.path());
    assert!(
        run.stderr.contains(&format!(
            "{}:Nhiệm vụ!A4: error: «Tổng cộng» is a total row, not a task or KPI: delete the row",
            path.display()
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(&format!(
            "{}:Nhiệm vụ!F2: error: cells F2:F3 are merged",
            path.display()
        )),
        "{}",
        run.stderr
    );
}

#[test]
fn an_edited_agency_or_period_cell_is_named_as_such() {
    let site = default_site();
    let bytes = exported(site.path(), "2025-05");
    assert_eq!(keys(&bytes), []);
    let agency = rezip(&bytes, |name, data| {
        if name == "xl/sharedStrings.xml" {
            replace(data, "<t>so-khcn</t>", "<t>so-y-te</t>")
        } else {
            data
        }
    });
    assert_eq!(
        keys(&agency),
        [("Báo cáo!B2".to_string(), "xlsx.agency_edited")]
    );
    let period = rezip(&bytes, |name, data| {
        if name == "xl/sharedStrings.xml" {
            replace(data, "<t>2025-05</t>", "<t>2025-06</t>")
        } else {
            data
        }
    });
    assert_eq!(
        keys(&period),
        [("Báo cáo!B3".to_string(), "xlsx.period_edited")]
    );
    let dir = tempfile::tempdir().unwrap();
    let path = save(dir.path(), "a.xlsx", &agency);
    let run = en(&["import", path.to_str().unwrap(), "--force"], site.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "{}:Báo cáo!B2: error: the agency cell was changed from `so-khcn` to `so-y-te`",
            path.display()
        )),
        "{}",
        run.stderr
    );
}

// 29.7: import writes only what check accepts.

#[test]
fn a_period_of_year_zero_is_refused_at_its_cell() {
    for bad in ["0000-01", "2025-13", "9999-01"] {
        let bytes = book(|rep, ups, _| {
            rep.write_string(2, 1, bad).unwrap();
            update(ups, 1, "dong-bo-dvc-quoc-gia", "in_progress");
        });
        assert_eq!(
            keys(&bytes),
            [("Báo cáo!B3".to_string(), "xlsx.not_a_period")],
            "{bad}"
        );
    }
    // Excel made a date of `2025-06`: its month is the period.
    let bytes = book(|rep, _, _| {
        let d = rust_xlsxwriter::ExcelDateTime::from_ymd(2025, 6, 1).unwrap();
        rep.write_datetime_with_format(2, 1, &d, &Format::new().set_num_format("mmm-yy"))
            .unwrap();
    });
    let d = xlsx::read_report(&bytes).unwrap();
    assert_eq!(d.period.key(), "2025-06");
}

/// Removes the cached value of every formula in a sheet: a workbook
/// written by a tool that does not compute formulas.
fn without_cached_values(bytes: &[u8], sheet: &str) -> Vec<u8> {
    rezip(bytes, |name, data| {
        if name != sheet {
            return data;
        }
        let mut s = String::from_utf8(data).unwrap();
        while let Some(at) = s.find("</f><v>") {
            let end = s[at..].find("</v>").unwrap() + at + 4;
            s.replace_range(at + 4..end, "");
        }
        s.into_bytes()
    })
}

#[test]
fn a_formula_without_its_value_is_an_error_at_its_cell() {
    let bytes = book(|rep, ups, _| {
        rep.write_formula(4, 1, "=\"Tóm tắt \"&\"tháng 6\"")
            .unwrap();
        rep.write_string(4, 0, "summary").unwrap();
        update(ups, 1, "dong-bo-dvc-quoc-gia", "in_progress");
        ups.write_formula(1, 3, "=50+10").unwrap();
        ups.write_formula(1, 5, "=\"ghi chú\"").unwrap();
    });
    let bytes = without_cached_values(&bytes, "xl/worksheets/sheet1.xml");
    let bytes = without_cached_values(&bytes, "xl/worksheets/sheet2.xml");
    let mut got = keys(&bytes);
    got.sort();
    assert_eq!(
        got,
        [
            ("Báo cáo!B5".to_string(), "xlsx.formula_no_value"),
            ("Nhiệm vụ!D2".to_string(), "xlsx.formula_no_value"),
            ("Nhiệm vụ!F2".to_string(), "xlsx.formula_no_value"),
        ]
    );
}

#[test]
fn a_long_title_makes_a_file_name_check_accepts() {
    let site = default_site();
    let title = "Hội nghị sơ kết ".repeat(40);
    let run = en(&["new", "article", &title], site.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let path = run
        .stdout
        .trim()
        .strip_prefix("Wrote ")
        .unwrap()
        .to_string();
    let stem = Path::new(&path).file_stem().unwrap().to_str().unwrap();
    assert!(stem.len() <= 80 && stem.ends_with("so-ket"), "{stem}");
    let check = en(&["check"], site.path());
    assert_eq!(check.code, 0, "{}", check.stderr);
}

// 28 B: percent cells.

#[test]
fn a_percent_cell_holds_a_fraction_of_a_hundred() {
    let site = default_site();
    std::fs::remove_file(site.path().join("content/reports/2025-06/so-khcn.yaml")).unwrap();
    let bytes = book(|_, ups, kps| {
        let pct = Format::new().set_num_format("0%");
        update(ups, 1, "dong-bo-dvc-quoc-gia", "in_progress");
        ups.write_number_with_format(1, 3, 0.9, &pct).unwrap();
        update(ups, 2, "binh-dan-hoc-vu-so", "in_progress");
        ups.write_number(2, 3, 60).unwrap();
        kps.write_string(1, 0, "dvc-toan-trinh").unwrap();
        kps.write_string(1, 3, "15/06/2025").unwrap();
        kps.write_number_with_format(1, 4, 0.782, &Format::new().set_num_format("0.0%"))
            .unwrap();
    });
    let d = xlsx::read_report(&bytes).unwrap();
    assert_eq!(d.updates[0].progress, Some(90.0));
    assert_eq!(d.updates[1].progress, Some(60.0));
    assert_eq!(d.kpis[0].value, Some(78.2));
    let dir = tempfile::tempdir().unwrap();
    let path = save(dir.path(), "pct.xlsx", &bytes);
    let run = en(&["import", path.to_str().unwrap()], site.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let yaml = read(&site.path().join("content/reports/2025-06/so-khcn.yaml"));
    assert!(yaml.contains("    progress: 90\n"), "{yaml}");
    assert!(yaml.contains("    value: 78.2\n"), "{yaml}");
}

// 29.8 and 28 B: --force.

#[test]
fn import_force_keeps_the_replaced_report_and_says_where() {
    let site = default_site();
    let rel = site.path().join("content/reports/2025-06/so-khcn.yaml");
    let before = read(&rel);
    let bytes = exported(site.path(), "2025-06");
    let dir = tempfile::tempdir().unwrap();
    let path = save(dir.path(), "june.xlsx", &bytes);
    let run = en(&["import", path.to_str().unwrap(), "--force"], site.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let backups: Vec<PathBuf> = std::fs::read_dir(rel.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.to_str().unwrap().contains("so-khcn.yaml.") && p.to_str().unwrap().ends_with(".bak~")
        })
        .collect();
    assert_eq!(backups.len(), 1, "{backups:?}");
    assert_eq!(
        read(&backups[0]),
        before,
        "the replaced file, byte for byte"
    );
    assert!(
        run.stderr.contains(&format!(
            "content/reports/2025-06/so-khcn.yaml: warning: the report replaced is kept at {}",
            backups[0].display()
        )),
        "{}",
        run.stderr
    );
    // The backup is not read as a report.
    let check = en(&["check"], site.path());
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(!check.stderr.contains(".bak~"), "{}", check.stderr);
    // A second import keeps a second backup.
    let run = en(&["import", path.to_str().unwrap(), "--force"], site.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let count = std::fs::read_dir(rel.parent().unwrap())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_str()
                .unwrap()
                .ends_with(".bak~")
        })
        .count();
    assert_eq!(count, 2);
}

#[test]
fn a_cleared_progress_cell_warns_with_the_value_it_had() {
    let site = default_site();
    let bytes = exported(site.path(), "2025-06");
    // D2 is the progress of dong-bo-dvc-quoc-gia: 95 in the report.
    let cleared = rezip(&bytes, |name, data| {
        if name != "xl/worksheets/sheet3.xml" {
            return data;
        }
        let s = String::from_utf8(data).unwrap();
        let at = s.find("<c r=\"D2\"").unwrap();
        let end = s[at..].find("</c>").unwrap() + at + 4;
        let open = &s[at..at + s[at..].find('>').unwrap()];
        let empty = format!("{open}/>");
        let mut s = s.clone();
        s.replace_range(at..end, &empty);
        s.into_bytes()
    });
    let dir = tempfile::tempdir().unwrap();
    let path = save(dir.path(), "june.xlsx", &cleared);
    let rel = site.path().join("content/reports/2025-06/so-khcn.yaml");
    let before = read(&rel);
    let run = en(&["import", path.to_str().unwrap(), "--force"], site.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The file as it was, less the cleared key's line.
    assert_eq!(read(&rel), before.replacen("    progress: 95\n", "", 1));
    assert!(
        run.stderr.contains(&format!(
            "{}:Nhiệm vụ!D2: warning: the progress of `dong-bo-dvc-quoc-gia` is empty where the report replaced said 95",
            path.display()
        )),
        "{}",
        run.stderr
    );
    // Untouched, no such warning.
    let path = save(dir.path(), "same.xlsx", &bytes);
    let run = en(&["import", path.to_str().unwrap(), "--force"], site.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("is empty where"), "{}", run.stderr);
}

#[test]
fn dates_of_another_period_are_errors_at_their_cells() {
    // June's workbook filled in with July's figures.
    let bytes = book(|rep, ups, kps| {
        rep.write_string(3, 1, "25/07/2025").unwrap();
        update(ups, 1, "dong-bo-dvc-quoc-gia", "done");
        ups.write_string(1, 4, "02/07/2025").unwrap();
        kps.write_string(1, 0, "dvc-toan-trinh").unwrap();
        kps.write_string(1, 3, "15/07/2025").unwrap();
        kps.write_number(1, 4, 81).unwrap();
    });
    let site = default_site();
    let dir = tempfile::tempdir().unwrap();
    let path = save(dir.path(), "june.xlsx", &bytes);
    let before = read(&site.path().join("content/reports/2025-06/so-khcn.yaml"));
    let run = en(&["import", path.to_str().unwrap(), "--force"], site.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    let b = path.display();
    for line in [
        format!(
            "{b}:Báo cáo!B4: error: the submission date 25/07/2025 belongs to 2025-07, not to this workbook's period 2025-06"
        ),
        format!("{b}:Nhiệm vụ!E2: error: the completion date 02/07/2025 belongs to 2025-07"),
        format!("{b}:Chỉ số!D2: error: the KPI date 15/07/2025 belongs to 2025-07"),
    ] {
        assert!(run.stderr.contains(&line), "{line}\n{}", run.stderr);
    }
    assert_eq!(
        read(&site.path().join("content/reports/2025-06/so-khcn.yaml")),
        before,
        "nothing replaced"
    );
    // With the submission date still empty: both problems at once.
    let bytes = book(|rep, _, kps| {
        rep.write_blank(3, 1, &Format::new()).unwrap();
        kps.write_string(1, 0, "dvc-toan-trinh").unwrap();
        kps.write_string(1, 3, "15/07/2025").unwrap();
        kps.write_number(1, 4, 81).unwrap();
    });
    let path = save(dir.path(), "empty.xlsx", &bytes);
    let run = en(&["import", path.to_str().unwrap(), "--force"], site.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    for line in [
        format!(
            "{}:Báo cáo!B4: error: the submission date is empty",
            path.display()
        ),
        format!(
            "{}:Chỉ số!D2: error: the KPI date 15/07/2025 belongs to 2025-07",
            path.display()
        ),
    ] {
        assert!(run.stderr.contains(&line), "{line}\n{}", run.stderr);
    }
}

#[test]
fn force_replaces_only_the_report_of_the_same_agency_and_period() {
    let site = default_site();
    let rel = site.path().join("content/reports/2025-06/so-khcn.yaml");
    let bytes = exported(site.path(), "2025-06");
    // A file at so-khcn's place that says it is another agency's.
    let other = read(&rel).replace("agency: so-khcn", "agency: so-y-te");
    std::fs::write(&rel, &other).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = save(dir.path(), "june.xlsx", &bytes);
    let run = en(&["import", path.to_str().unwrap(), "--force"], site.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("is the report of `so-y-te`, not `so-khcn`"),
        "{}",
        run.stderr
    );
    assert_eq!(read(&rel), other);
}

#[test]
fn reopened_goes_through_the_workbook() {
    let site = default_site();
    let rel = site.path().join("content/reports/2025-06/so-khcn.yaml");
    let text = read(&rel).replace(
        "    progress: 60\n",
        "    progress: 60\n    reopened: \"Bổ sung lớp học theo yêu cầu của tỉnh.\"\n",
    );
    std::fs::write(&rel, &text).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("june.xlsx");
    let p = path.to_str().unwrap();
    let run = en(
        &[
            "export", "report", "--agency", "so-khcn", "--period", "2025-06", "--xlsx", p,
        ],
        site.path(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let d = xlsx::read_report(&std::fs::read(&path).unwrap()).unwrap();
    let u = d
        .updates
        .iter()
        .find(|u| u.task == "binh-dan-hoc-vu-so")
        .unwrap();
    assert_eq!(
        u.reopened.as_deref(),
        Some("Bổ sung lớp học theo yêu cầu của tỉnh.")
    );
    let run = en(&["import", p, "--force"], site.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        read(&rel).contains("    reopened: \"Bổ sung lớp học theo yêu cầu của tỉnh.\"\n"),
        "{}",
        read(&rel)
    );
}

#[test]
fn an_outlook_goes_through_the_workbook_and_into_no_new_report() {
    let site = default_site();
    let rel = site.path().join("content/reports/2025-06/so-y-te.yaml");
    assert!(
        read(&rel).contains("    outlook: at_risk\n"),
        "the default content has one"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("june.xlsx");
    let p = path.to_str().unwrap();
    let run = en(
        &[
            "export", "report", "--agency", "so-y-te", "--period", "2025-06", "--xlsx", p,
        ],
        site.path(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let d = xlsx::read_report(&std::fs::read(&path).unwrap()).unwrap();
    let u = d
        .updates
        .iter()
        .find(|u| u.task == "benh-an-dien-tu")
        .unwrap();
    assert_eq!(u.outlook.as_deref(), Some("at_risk"));
    let run = en(&["import", p, "--force"], site.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        read(&rel).contains("    outlook: at_risk\n"),
        "{}",
        read(&rel)
    );
    // A new report does not repeat last month's view as this month's.
    let run = en(
        &[
            "new", "report", "--agency", "so-y-te", "--period", "2025-07",
        ],
        site.path(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let form = read(&site.path().join("content/reports/2025-07/so-y-te.yaml"));
    assert!(
        !form.lines().any(|l| l.trim_start().starts_with("outlook:")),
        "{form}"
    );
}

// 28 B: new report.

#[test]
fn new_report_writes_no_kpi_figure_and_check_names_the_line_to_fill() {
    let site = default_site();
    let run = en(&["new", "report", "--agency", "so-khcn"], site.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let path = site.path().join("content/reports/2025-07/so-khcn.yaml");
    let text = read(&path);
    // June's 79 is shown as a comment, never as a value.
    assert!(
        text.contains("  - kpi: dvc-toan-trinh\n    date:    # ngày đo số liệu kỳ này, ví dụ 2025-07-20\n    value:   # số liệu kỳ này; lần trước: 79 ngày 15/06/2025"),
        "{text}"
    );
    assert!(!text.contains("value: 79"), "{text}");
    let line = text
        .lines()
        .position(|l| l == "  - kpi: dvc-toan-trinh")
        .unwrap()
        + 1;
    let filled = text.replace("\nsubmitted:  #", "\nsubmitted: 2025-07-18  #");
    std::fs::write(&path, filled).unwrap();
    let check = en(&["check"], site.path());
    assert_eq!(check.code, 1, "{}", check.stderr);
    // The empty date is a missing key; the empty value says what to do.
    for want in [
        format!(
            "content/reports/2025-07/so-khcn.yaml:{line}:5: error: a KPI value has no `date`; it is required"
        ),
        format!(
            "content/reports/2025-07/so-khcn.yaml:{line}:5: error: this KPI value has no figure: fill in `value`"
        ),
    ] {
        assert!(check.stderr.contains(&want), "{want}\n{}", check.stderr);
    }
}

#[test]
fn new_report_writes_its_form_while_another_report_is_broken() {
    let site = default_site();
    let broken = site.path().join("content/reports/2025-05/so-noi-vu.yaml");
    let text = read(&broken).replacen("submitted:", "submitted: 2025-13-45 #", 1);
    std::fs::write(&broken, text).unwrap();
    let run = en(&["new", "report", "--agency", "so-khcn"], site.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "content/reports/2025-05/so-noi-vu.yaml: warning: this file has 1 error(s) (see `tiendo check`)"
        ),
        "{}",
        run.stderr
    );
    assert!(
        site.path()
            .join("content/reports/2025-07/so-khcn.yaml")
            .exists()
    );
}

/// A value of a cell in a sheet of the workbook, as its XML writes it.
fn set_value(bytes: &[u8], sheet: &str, cell: &str, from: &str, to: &str) -> Vec<u8> {
    rezip(bytes, |name, data| {
        if name != sheet {
            return data;
        }
        let s = String::from_utf8(data).unwrap();
        let at = s.find(&format!("<c r=\"{cell}\"")).unwrap();
        let end = s[at..].find("</c>").unwrap() + at;
        let cell_xml = s[at..end].replace(&format!("<v>{from}</v>"), &format!("<v>{to}</v>"));
        assert_ne!(cell_xml, s[at..end], "{cell}");
        format!("{}{}{}", &s[..at], cell_xml, &s[end..]).into_bytes()
    })
}

#[test]
fn import_force_changes_only_the_values_that_changed() {
    let site = default_site();
    let rel = site.path().join("content/reports/2025-06/so-khcn.yaml");
    // A comment and a layout of the editor's own.
    let before = read(&rel).replace(
        "    progress: 60\n",
        "    progress: 60   # theo số liệu ngày 15/6\n",
    );
    std::fs::write(&rel, &before).unwrap();
    let bytes = exported(site.path(), "2025-06");
    // binh-dan-hoc-vu-so 60 -> 65; dvc-toan-trinh 79 -> 80.
    let bytes = set_value(&bytes, "xl/worksheets/sheet3.xml", "D3", "60", "65");
    let bytes = set_value(&bytes, "xl/worksheets/sheet4.xml", "E2", "79", "80");
    let dir = tempfile::tempdir().unwrap();
    let path = save(dir.path(), "june.xlsx", &bytes);
    let run = en(&["import", path.to_str().unwrap(), "--force"], site.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let want = before
        .replace(
            "    progress: 60   # theo số liệu ngày 15/6\n",
            "    progress: 65   # theo số liệu ngày 15/6\n",
        )
        .replace(
            "{ kpi: dvc-toan-trinh, date: 2025-06-15, value: 79 }",
            "{ kpi: dvc-toan-trinh, date: 2025-06-15, value: 80 }",
        );
    assert_eq!(read(&rel), want);
    assert!(
        run.stderr.contains("the report replaced is kept at"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_workbook_in_the_1904_date_system_keeps_its_dates() {
    // 19/06/2025 is day 45827 from 1900, day 44365 from 1904.
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let bytes = book(|rep, _, kps| {
        rep.write_number_with_format(3, 1, 44365.0, &date).unwrap();
        kps.write_string(1, 0, "dvc-toan-trinh").unwrap();
        kps.write_number_with_format(1, 3, 44361.0, &date).unwrap();
        kps.write_number(1, 4, 80).unwrap();
    });
    let bytes = rezip(&bytes, |name, data| {
        if name == "xl/workbook.xml" {
            replace(data, "<workbookPr", "<workbookPr date1904=\"1\"")
        } else {
            data
        }
    });
    let d = xlsx::read_report(&bytes).unwrap();
    assert_eq!(d.submitted.unwrap().to_string(), "2025-06-19");
    assert_eq!(d.kpis[0].date.unwrap().to_string(), "2025-06-15");
}

#[test]
fn formatted_empty_cells_are_no_cells() {
    // A border over 150,000 empty cells, as Excel writes it: one element
    // a cell, each with its style and no value.
    let bytes = book(|_, ups, _| {
        update(ups, 1, "dong-bo-dvc-quoc-gia", "in_progress");
        let border = Format::new().set_border(rust_xlsxwriter::FormatBorder::Thin);
        for r in 2..15_002 {
            for c in 0..10 {
                ups.write_blank(r, c, &border).unwrap();
            }
        }
    });
    assert_eq!(keys(&bytes), []);
    // Values are counted.
    let bytes = book(|_, ups, _| {
        for r in 1..10_002 {
            for c in 0..11 {
                ups.write_number(r, c, 1).unwrap();
            }
        }
    });
    assert_eq!(keys(&bytes), [(String::new(), "xlsx.too_many_cells")]);
}
