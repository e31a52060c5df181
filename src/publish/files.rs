//! Part of publish, the open data's files: a [`Table`] as CSV (RFC 4180,
//! UTF-8 with a byte-order mark, text cells that start like a formula
//! quoted) and JSON, the Frictionless data package, the README of the zip,
//! the zip itself (fixed dates and order, byte-identical across rebuilds)
//! and each month's change table. Pure: bytes in, bytes out.

use super::columns::Column;
use super::data::Table;
use crate::model::Model;
use crate::route::Route;
use serde::Serialize;
use serde_json::{Value, json};

/// The characters a spreadsheet reads as the start of a formula (OWASP's
/// list for CSV injection): `=`, `+`, `-`, `@`, tab and carriage return.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A text cell as a spreadsheet may open it: one that starts like a formula
/// (an officer's note `=HYPERLINK(...)`, a title `- Đẩy mạnh ...`) gets a
/// single quote in front, which Excel and LibreOffice show as text and
/// never run (OWASP, "CSV Injection"). Only text cells: a number column's
/// `-5` stays the number it is. JSON copies keep the text as written, since
/// no spreadsheet runs JSON.
pub fn csv_text(s: &str) -> std::borrow::Cow<'_, str> {
    if s.starts_with(FORMULA_START) {
        std::borrow::Cow::Owned(format!("'{s}"))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// Whether a column holds text a spreadsheet could take for a formula:
/// every kind but numbers (whose cells are written from numbers, never
/// from text).
fn is_text_column(c: &Column) -> bool {
    !matches!(c.kind, "number" | "integer")
}

/// RFC 4180 CSV with a byte-order mark; empty fields for missing values;
/// text cells neutralised against formulas ([`csv_text`]).
pub fn csv(table: &Table) -> Vec<u8> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = ::csv::WriterBuilder::new()
            .terminator(::csv::Terminator::CRLF)
            .from_writer(&mut out);
        let header: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
        // Writing into a Vec cannot fail.
        let _ = w.write_record(&header);
        // Numbers and booleans are formatted into one buffer; strings are
        // written as they are.
        let mut scratch = String::new();
        let mut ends: Vec<usize> = Vec::with_capacity(table.columns.len());
        table.rows.each(&mut |row| {
            scratch.clear();
            ends.clear();
            for v in row {
                if !matches!(v, Value::Null | Value::String(_)) {
                    use std::fmt::Write as _;
                    let _ = write!(scratch, "{v}");
                }
                ends.push(scratch.len());
            }
            let mut from = 0;
            for (k, (v, &end)) in row.iter().zip(&ends).enumerate() {
                let text = table.columns.get(k).is_none_or(is_text_column);
                let _ = match v {
                    Value::Null => w.write_field(b""),
                    Value::String(x) if text => w.write_field(csv_text(x).as_bytes()),
                    Value::String(x) => w.write_field(x.as_bytes()),
                    _ => w.write_field(&scratch.as_bytes()[from..end]),
                };
                from = end;
            }
            let _ = w.write_record(None::<&[u8]>);
        });
        let _ = w.flush();
    }
    out
}

/// One value as compact JSON. Writing into a Vec fails only on what
/// serde_json refuses (maps with non-string keys), which tables do not hold.
fn put(text: &mut Vec<u8>, value: &impl Serialize) {
    let _ = serde_json::to_writer(text, value);
}

/// The table as JSON: metadata and one object per row (keys in name
/// order), written straight from the rows.
pub fn json(table: &Table, as_of: &str, license: &str) -> Vec<u8> {
    use serde::ser::{SerializeMap, Serializer};
    /// One row as an object; `order` lists the columns by name.
    struct Row<'t> {
        order: &'t [usize],
        columns: &'t [Column],
        values: &'t [Value],
    }
    impl Serialize for Row<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut map = s.serialize_map(Some(self.order.len()))?;
            for &k in self.order {
                let value = self.values.get(k).unwrap_or(&Value::Null);
                map.serialize_entry(self.columns[k].name, value)?;
            }
            map.end()
        }
    }
    let mut order: Vec<usize> = (0..table.columns.len()).collect();
    order.sort_by_key(|&k| table.columns[k].name);
    // Indented like serde_json's pretty printer, but each row on one line:
    // a quarter of a million updates stay readable and diffable a row at a
    // time, and the file is 40% smaller than with every key on its own
    // line. The document's keys in name order, as a JSON map has them.
    let mut text = Vec::with_capacity(table.row_count() * 256 + 256);
    text.extend_from_slice(b"{\n  \"as_of\": ");
    put(&mut text, &as_of);
    text.extend_from_slice(b",\n  \"data\": [");
    let mut first = true;
    table.rows.each(&mut |values| {
        text.extend_from_slice(if first { b"\n    " } else { b",\n    " });
        first = false;
        let row = Row {
            order: &order,
            columns: table.columns,
            values,
        };
        put(&mut text, &row);
    });
    text.extend_from_slice(if first { b"]" } else { b"\n  ]" });
    for (key, value) in [
        ("license", license),
        ("title", table.title_en),
        ("title_vi", table.title_vi),
    ] {
        text.extend_from_slice(format!(",\n  \"{key}\": ").as_bytes());
        put(&mut text, &value);
    }
    text.extend_from_slice(b"\n}");
    inert(text)
}

/// Compact JSON with `<`, `>` and `&` written as `\u003c` and so on: the same
/// JSON, but inert even if someone pastes it into a page. (The three
/// characters only occur inside strings, so one pass over the bytes does.)
pub fn json_bytes(value: &impl Serialize) -> Vec<u8> {
    let mut text = Vec::new();
    if serde_json::to_writer(&mut text, value).is_err() {
        return Vec::new();
    }
    inert(text)
}

/// `<`, `>` and `&` in JSON text written as `\u003c` and so on.
fn inert(text: Vec<u8>) -> Vec<u8> {
    if !text.iter().any(|b| matches!(b, b'<' | b'>' | b'&')) {
        return text;
    }
    let mut out = Vec::with_capacity(text.len() + 64);
    for b in text {
        match b {
            b'<' => out.extend_from_slice(b"\\u003c"),
            b'>' => out.extend_from_slice(b"\\u003e"),
            b'&' => out.extend_from_slice(b"\\u0026"),
            _ => out.push(b),
        }
    }
    out
}

/// A Frictionless Tabular Data Package describing every CSV file.
pub fn datapackage(
    tables: &[Table],
    title: &str,
    as_of: &str,
    license: &str,
    site_url: &str,
) -> Vec<u8> {
    let resources: Vec<Value> = tables
        .iter()
        .map(|t| {
            json!({
                "name": t.name,
                "path": format!("{}.csv", t.name),
                "title": t.title_en,
                "description": t.title_vi,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "schema": {
                    "fields": t.columns.iter().map(|c| json!({
                        "name": c.name,
                        "type": c.kind,
                        "description": c.en,
                        "title": c.vi,
                    })).collect::<Vec<_>>(),
                    "missingValues": [""],
                },
            })
        })
        .collect();
    let mut doc = json!({
        "profile": "tabular-data-package",
        "name": "tiendo",
        "title": title,
        "description": format!("Figures as of {as_of}"),
        "homepage": site_url,
        "version": as_of,
        "created": format!("{as_of}T00:00:00Z"),
        "resources": resources,
    });
    if !license.is_empty()
        && let Some(obj) = doc.as_object_mut()
    {
        obj.insert(
            "licenses".into(),
            json!([{ "name": license_id(license), "title": license }]),
        );
    }
    serde_json::to_vec_pretty(&doc).unwrap_or_default()
}

/// `CC BY 4.0` -> `CC-BY-4.0` (an SPDX-style id).
fn license_id(license: &str) -> String {
    license.trim().replace(' ', "-")
}

/// The README of the data download, in Vietnamese then English: what each
/// table holds, column by column, and the date the figures are true for.
pub fn readme(tables: &[Table], title: &str, as_of: &str, license: &str, site_url: &str) -> String {
    let mut out = format!(
        "# {title}\n\nDữ liệu mở, số liệu tính đến ngày {as_of}. Nguồn: {site_url}\n\
         Open data, figures as of {as_of}. Source: {site_url}\n"
    );
    if !license.is_empty() {
        out.push_str(&format!("\nGiấy phép / Licence: {license}\n"));
    }
    let json_url = format!("{site_url}{}", Route::Data.path());
    out.push_str(&format!(
        "\nMỗi bảng là một tệp CSV (UTF-8 có BOM, Excel đọc được tiếng Việt); \
         datapackage.json mô tả các bảng theo chuẩn Frictionless. Ô trống là không có giá trị. \
         Ô chữ bắt đầu bằng = + - @, tab hoặc ký tự CR được thêm dấu ' ở đầu để Excel \
         không chạy nó như công thức; cột số giữ nguyên số, tệp JSON giữ nguyên chữ. \
         Cùng các bảng ấy ở dạng JSON: {json_url}\n\
         Each table is a CSV file (UTF-8 with BOM); datapackage.json describes them \
         as a Frictionless data package. Empty fields are missing values. \
         A text field that starts with = + - @, a tab or a carriage return gets a ' in \
         front, so that Excel does not run it as a formula; number columns stay numbers, \
         and the JSON files keep the text as written. \
         The same tables as JSON: {json_url}\n",
    ));
    for t in tables {
        out.push_str(&format!(
            "\n## {}.csv: {} / {}\n\n",
            t.name, t.title_vi, t.title_en
        ));
        for c in t.columns {
            out.push_str(&format!(
                "- `{}` ({}): {} / {}\n",
                c.name, c.kind, c.vi, c.en
            ));
        }
    }
    out
}

/// A zip of `files` (name, bytes) in the given order, every entry dated
/// `date` (midnight) and readable by all, so the same content gives the
/// same bytes on every build.
pub fn zip(files: &[(String, Vec<u8>)], date: crate::date::Date) -> Result<Vec<u8>, String> {
    let mut zip = Zip::new(date);
    for (name, bytes) in files {
        zip.add(name, bytes)?;
    }
    zip.finish()
}

/// zlib's level 2 rather than its default 6: a tenth larger on the portal's
/// CSV and JSON, at less than half the time (the open-data download and the
/// monthly archive's tables were 9% of a national build; README, Benchmark).
const DEFLATE_LEVEL: i64 = 2;

/// A zip made a file at a time, so that each file's bytes can be dropped
/// once added: every entry dated `date` at midnight, mode 644, deflated.
pub struct Zip {
    writer: zip::ZipWriter<std::io::Cursor<Vec<u8>>>,
    options: zip::write::SimpleFileOptions,
}

impl Zip {
    pub fn new(date: crate::date::Date) -> Zip {
        use chrono::Datelike;
        let stamp = zip::DateTime::from_date_and_time(
            u16::try_from(date.year()).unwrap_or(1980),
            u8::try_from(date.month()).unwrap_or(1),
            u8::try_from(date.day()).unwrap_or(1),
            0,
            0,
            0,
        )
        .unwrap_or_default();
        Zip {
            writer: zip::ZipWriter::new(std::io::Cursor::new(Vec::new())),
            options: zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated)
                .compression_level(Some(DEFLATE_LEVEL))
                .last_modified_time(stamp)
                .unix_permissions(0o644),
        }
    }

    pub fn add(&mut self, name: &str, bytes: &[u8]) -> Result<(), String> {
        use std::io::Write;
        self.writer
            .start_file(name, self.options)
            .map_err(|e| e.to_string())?;
        self.writer.write_all(bytes).map_err(|e| e.to_string())
    }

    pub fn finish(self) -> Result<Vec<u8>, String> {
        self.writer
            .finish()
            .map(std::io::Cursor::into_inner)
            .map_err(|e| e.to_string())
    }
}

/// A month's change table (`du-lieu/thay-doi/YYYY-MM.csv`): `task`,
/// `field`, `before`, `after`, as the open data's CSVs are written (UTF-8
/// with a byte-order mark, CRLF). Its values are codes, numbers, dates and
/// ids, never free text.
pub fn changes_csv(m: &Model, changes: &[crate::status::FactChange]) -> Vec<u8> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = ::csv::WriterBuilder::new()
            .terminator(::csv::Terminator::CRLF)
            .from_writer(&mut out);
        // Writing into a Vec cannot fail.
        let _ = w.write_record(["task", "field", "before", "after"]);
        for (i, field, before, after) in changes {
            let task = m.tasks.get(*i).map_or("", |t| t.id.as_str());
            let _ = w.write_record([task, field, before, after]);
        }
    }
    out
}
