//! Part of render: the files it makes beside the pages, and how each file
//! goes on (to the sink, or kept): the open data and its page in each
//! language, the charts' files, the machine files, and the monthly
//! archive's pages and data files, a month at a time.

use super::*;

/// What render makes beside the pages: the open data and its page in each
/// language, the charts' files, and the machine files (feeds, calendars,
/// search index).
pub(super) fn machine_side(r: &Renderer) -> (RenderedSite, Vec<Made>, Diagnostics) {
    let mut site = RenderedSite::default();
    let mut diags = Diagnostics::new();
    if r.stopping() {
        return (site, Vec::new(), diags);
    }
    let tables = machine::open_data(r, &mut site, &mut diags);
    let data_pages = r
        .index
        .langs
        .iter()
        .map(|&lang| {
            let mut d = Diagnostics::new();
            let job = Job {
                kind: &pages::DATA,
                key: Key::One,
            };
            let page = pages::open_data(r, lang, &job, &tables, &mut d);
            let path = format!("{}{}", lang.prefix(), Route::Data.file());
            made(r, path, page, d)
        })
        .collect();
    for ((lang, path), files) in &r.charts {
        r.put(
            &mut site,
            format!("{}{path}", lang.prefix()),
            files.chart.svg.clone().into_bytes(),
        );
        r.put(
            &mut site,
            format!("{}{}", lang.prefix(), files.data_path),
            files.data.clone(),
        );
    }
    if !r.stopping() {
        machine::machine_files(r, &mut site, &mut diags);
    }
    (site, data_pages, diags)
}

/// A file made by render: its path, its bytes when the site keeps them,
/// its links and ids once it went to the sink (HTML pages), and what its
/// making reported.
pub(super) type Made = (
    String,
    Option<Output>,
    Option<crate::verify::links::PageRefs>,
    Diagnostics,
);

/// Sends a file to the sink when there is one, keeping only its links and
/// ids for the link check; else keeps it. A page kept from the last build
/// goes nowhere: the output has it.
pub(super) fn made(r: &Renderer, path: String, file: Option<Output>, d: Diagnostics) -> Made {
    match (file, r.sink) {
        (Some(Output::Bytes(bytes)), Some(put)) => {
            let refs = path
                .ends_with(".html")
                .then(|| crate::verify::links::refs(&bytes));
            put(&path, &bytes);
            (
                path,
                None,
                refs.or_else(|| Some(crate::verify::links::PageRefs::default())),
                d,
            )
        }
        (file, _) => (path, file, None, d),
    }
}

/// Sites with more tasks than this publish each archived month's task
/// table as one zipped CSV (`nhiem-vu.zip`) instead of CSV and JSON, so
/// that the archive of a national portal stays tens of megabytes rather
/// than hundreds (README, design notes). A province stays below it.
pub const ARCHIVE_ZIP_FROM_TASKS: usize = 1000;

/// The formats of an archived month's task table: CSV and JSON, or one
/// zipped CSV past [`ARCHIVE_ZIP_FROM_TASKS`].
pub fn archive_data_files(model: &Model) -> &'static [Format] {
    if model.tasks.len() > ARCHIVE_ZIP_FROM_TASKS {
        &[Format::Zip]
    } else {
        &[Format::Csv, Format::Json]
    }
}

/// The monthly archive, a month at a time (two at once on two cores):
/// its figures, its page in each language and its data files, sent on as
/// they are made; the figures are then dropped.
pub(super) fn archive_files(r: &Renderer) -> Vec<Made> {
    let Some(archive) = r.archive else {
        return Vec::new();
    };
    let site_url = format!("{}{}", r.origin, r.base);
    let license = r.model.site().data_license.as_deref().unwrap_or("");
    let months: Vec<(Vec<Made>, Vec<crate::status::TaskFacts>)> = archive
        .months
        .par_iter()
        .enumerate()
        .filter(|_| !r.stopping())
        .map(|(k, &p)| {
            let job = Job {
                kind: &pages::ARCHIVE_MONTH,
                key: Key::Nth(k),
            };
            let Some(fig) = archive.month(p) else {
                return (Vec::new(), Vec::new());
            };
            let mut out: Vec<Made> = r
                .index
                .langs
                .iter()
                .map(|&lang| {
                    let mut d = Diagnostics::new();
                    let page = pages::archive_month(r, lang, &job, p, &fig, &mut d);
                    let path = format!("{}{}", lang.prefix(), job.file(r.places()));
                    made(r, path, page, d)
                })
                .collect();
            let table = data::task_table(r.model, &fig, &site_url);
            let csv = data::csv(&table);
            let mut d = Diagnostics::new();
            let files: Vec<(Format, Option<Output>)> = match archive_data_files(r.model) {
                [zip] => {
                    let inside = data::file_name(&Route::ArchiveData(p, Format::Csv));
                    let path = Route::ArchiveData(p, *zip).file();
                    let date = fig.as_of.to_string();
                    // Deflating a national month's table is most of its
                    // cost: kept when the table and its date are the same.
                    let bytes = r.derived(&path, &[&csv, date.as_bytes()], || {
                        let mut zip = data::Zip::new(fig.as_of);
                        match zip.add(&inside, &csv).and_then(|()| zip.finish()) {
                            Ok(bytes) => Some(bytes),
                            Err(error) => {
                                d.error(
                                    Loc::file(&Arc::from("templates")),
                                    crate::msg!("render.zip", error),
                                );
                                None
                            }
                        }
                    });
                    vec![(*zip, bytes)]
                }
                formats => formats
                    .iter()
                    .map(|&name| {
                        let bytes = if name == Format::Csv {
                            csv.clone()
                        } else {
                            data::json(&table, &fig.as_of.to_string(), license)
                        };
                        (name, Some(Output::Bytes(bytes)))
                    })
                    .collect(),
            };
            for (name, bytes) in files {
                let path = Route::ArchiveData(p, name).file();
                out.push(made(r, path, bytes, std::mem::take(&mut d)));
            }
            (out, crate::status::task_facts(&fig))
        })
        .collect();
    // What changed in each month: its last day against the last day of
    // the month before (the first month's, before the earliest plan).
    let mut before = archive
        .months
        .first()
        .and_then(|p| archive.on(p.first_day().pred_opt()?))
        .map(|f| crate::status::task_facts(&f))
        .unwrap_or_default();
    let mut counts = BTreeMap::new();
    let mut out = Vec::new();
    for (&p, (files, facts)) in archive.months.iter().zip(months) {
        out.extend(files);
        let changes = crate::status::task_changes(&before, &facts);
        counts.insert(p, changes.iter().filter(|c| c.1 == "status").count());
        let csv = data::changes_csv(r.model, &changes);
        out.push(made(
            r,
            Route::MonthChanges(p).file(),
            Some(Output::Bytes(csv)),
            Diagnostics::new(),
        ));
        before = facts;
    }
    let _ = r.status_changes.set(counts);
    out
}
