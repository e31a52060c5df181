//! Articles and standing pages (Markdown with front matter), and one name
//! per tag across articles and tasks.

use super::*;

/// The slug and language of a Markdown file, checked.
pub(super) fn markdown_name<M>(
    cx: &mut Cx,
    md: &MarkdownSource<M>,
) -> Option<(String, Option<String>)> {
    let whole = Loc::file(cx.file);
    if !is_valid_id(&md.slug) {
        let example = crate::text::slugify(&md.slug);
        cx.err(whole, msg!("markdown.slug", slug = &md.slug, example));
        return None;
    }
    match md.lang.as_deref() {
        None => Some((md.slug.clone(), None)),
        Some("en") => Some((md.slug.clone(), Some("en".to_string()))),
        Some(other) => {
            cx.err(whole, msg!("markdown.language", other));
            None
        }
    }
}

/// One article; `body` is its Markdown in NFC (`changed` if that differs
/// from `md.body`, which is otherwise left empty), `document` what it parsed
/// to.
pub(super) fn article(
    m: &mut Model,
    md: &MarkdownSource<RawArticleMeta>,
    body: String,
    changed: bool,
    document: crate::markdown::Document,
    diags: &mut Diagnostics,
) {
    let mut cx = Cx::new(&md.source, m, diags);
    let f = &md.source.doc;
    let head = Loc::new(cx.file, 1, 1);
    let what = "what.article";
    let name = markdown_name(&mut cx, md);
    let title = cx.required(&f.title, "title", &head, what);
    let date = cx.required_date(&f.date, "date", &head, what);
    let image = cx.text(&f.image);
    let image_alt = cx.text(&f.image_alt);
    if let (Some(_), None, Some(v)) = (&image, &image_alt, &f.image) {
        let at = cx.loc(v);
        cx.err(at, msg!("article.image_alt"));
    }
    if let (Some(img), Some(v)) = (&image, &f.image)
        && (img.contains("..") || img.contains('\\') || img.contains(':'))
    {
        let at = cx.loc(v);
        cx.err(at, msg!("article.image_path", img));
    }
    let tasks = cx.task_references(f.tasks.as_deref().unwrap_or_default(), m, &m.task_ix);
    let kpis = cx.references(&f.kpis, "KPI", &m.kpi_ix);
    // The problems' offsets are those of the text as written: the same
    // unless normalising changed it.
    let (problems, written) = if changed {
        (crate::markdown::problems(&md.body), md.body.as_str())
    } else {
        (document.problems, body.as_str())
    };
    report_problems(&mut cx, written, md.body_line, problems);
    let (Some((slug, lang)), Some(title), Some(date)) = (name, title, date) else {
        return;
    };
    m.articles.push(Article {
        slug,
        lang,
        title,
        date,
        summary: cx.text(&f.summary),
        tags: cx.texts(&f.tags),
        tasks,
        kpis,
        image,
        image_alt,
        author: cx.text(&f.author),
        draft: f.draft.unwrap_or(false),
        body,
        html: document.rendered,
        search_text: document.search_text,
        file: Arc::clone(cx.file),
        body_line: md.body_line,
        date_loc: f.date.as_ref().map_or(head, |d| cx.loc(d)),
    });
}

/// Images without alt text and anything loaded from another host in a
/// Markdown body: both are errors, at the line where they are written.
pub(super) fn check_body(cx: &mut Cx, body: &str, body_line: u64) {
    let problems = crate::markdown::problems(body);
    report_problems(cx, body, body_line, problems);
}

/// Reports a body's problems (by byte offset) at their line and column.
pub(super) fn report_problems(
    cx: &mut Cx,
    body: &str,
    body_line: u64,
    problems: Vec<(usize, Message)>,
) {
    let place = |offset: usize| -> Loc {
        let before = &body[..offset.min(body.len())];
        let line = before.matches('\n').count() as u64;
        let start = before.rfind('\n').map_or(0, |i| i + 1);
        Loc::new(
            cx.file,
            body_line + line,
            before[start..].chars().count() as u64 + 1,
        )
    };
    let problems: Vec<(Loc, Message)> = problems
        .into_iter()
        .map(|(offset, message)| (place(offset), message))
        .collect();
    for (loc, message) in problems {
        cx.err(loc, message);
    }
}

/// The same checks on Markdown written in a YAML value (a task's
/// description, an update's note), reported where the value is written.
pub(super) fn check_text(cx: &mut Cx, text: &Option<String>, at: Loc) {
    let Some(text) = text else {
        return;
    };
    for (_, message) in crate::markdown::problems(text) {
        cx.err(at.clone(), message);
    }
}

/// Tags that differ only by case or diacritics ("Chuyển đổi số", "chuyển
/// đổi số", "chuyen doi so") share one page, so they get one name: the name
/// site.yaml gives it (`tags:`), else the spelling written most often, then
/// the one with the most diacritics. Every other spelling gets a warning
/// where it is written (not when site.yaml names the tag: the spelling is
/// then a key), and render reads only canonical names, so no tag page can
/// overwrite another.
pub(super) fn one_name_per_tag(
    m: &mut Model,
    articles: &[MarkdownSource<RawArticleMeta>],
    plans: &[Source<RawPlan>],
    diags: &mut Diagnostics,
) {
    let mut written: Vec<(String, Loc)> = Vec::new();
    for a in articles {
        for t in a.source.doc.tags.iter().flatten() {
            written.push((nfc(t.value.trim()), a.source.loc(t)));
        }
    }
    for p in plans {
        for task in p.doc.tasks.iter().flatten() {
            for t in task.value.tags.iter().flatten() {
                written.push((nfc(t.value.trim()), p.loc(t)));
            }
        }
    }
    written.retain(|(t, _)| !crate::text::slugify(t).is_empty());
    let mut spellings: HashMap<String, HashMap<&str, usize>> = HashMap::new();
    for (t, _) in &written {
        *spellings
            .entry(crate::text::slugify(t))
            .or_default()
            .entry(t.as_str())
            .or_default() += 1;
    }
    let given = m.site().tag_names.clone();
    let canonical: HashMap<String, String> = spellings
        .into_iter()
        .map(|(slug, names)| {
            if let Some(name) = given.get(&slug) {
                return (slug, name.clone());
            }
            let best = names
                .iter()
                .max_by(|a, b| {
                    let marks = |s: &str| s.chars().filter(|c| !c.is_ascii()).count();
                    (a.1, marks(a.0), std::cmp::Reverse(*a.0)).cmp(&(
                        b.1,
                        marks(b.0),
                        std::cmp::Reverse(*b.0),
                    ))
                })
                .map_or(String::new(), |(n, _)| n.to_string());
            (slug, best)
        })
        .collect();
    for (t, loc) in &written {
        let slug = crate::text::slugify(t);
        if let Some(name) = canonical.get(&slug)
            && name != t
            && !given.contains_key(&slug)
        {
            diags.warning(loc.clone(), msg!("tag.variant", tag = t, name));
        }
    }
    let rename = |tags: &mut Vec<String>| {
        let mut out: Vec<String> = Vec::new();
        for t in tags.drain(..) {
            let name = canonical
                .get(&crate::text::slugify(&t))
                .cloned()
                .unwrap_or(t);
            if !out.contains(&name) {
                out.push(name);
            }
        }
        *tags = out;
    };
    for a in &mut m.articles {
        rename(&mut a.tags);
    }
    for t in &mut m.tasks {
        rename(&mut t.tags);
    }
}

/// Articles dated after the as-of day are not published yet: the portal
/// shows the day as it was, and an article from its future would contradict
/// it. The editor is told, so that a typo in the date is not silent.
pub fn hold_back_future_articles(m: &mut Model, as_of: Date, diags: &mut Diagnostics) {
    m.articles.retain(|a| {
        if a.date <= as_of {
            return true;
        }
        diags.warning(
            a.date_loc.clone(),
            msg!(
                "article.future",
                date = fmt_date(a.date),
                as_of = fmt_date(as_of)
            ),
        );
        false
    });
}

pub(super) fn page(m: &mut Model, md: &MarkdownSource<RawPageMeta>, diags: &mut Diagnostics) {
    let mut cx = Cx::new(&md.source, m, diags);
    let f = &md.source.doc;
    let head = Loc::new(cx.file, 1, 1);
    let name = markdown_name(&mut cx, md);
    let title = cx.required(&f.title, "title", &head, "what.page");
    let menu = f
        .menu
        .as_ref()
        .and_then(|v| match v.value.trim().parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                let at = cx.loc(v);
                cx.err(at, msg!("page.menu", value = &v.value));
                None
            }
        });
    if let Some((slug, _)) = &name
        && RESERVED_SLUGS.contains(&slug.as_str())
    {
        cx.err(Loc::file(cx.file), msg!("page.reserved", slug));
        return;
    }
    check_body(&mut cx, &md.body, md.body_line);
    let (Some((slug, lang)), Some(title)) = (name, title) else {
        return;
    };
    m.pages.push(Page {
        slug,
        lang,
        title,
        menu,
        description: cx.text(&f.description),
        body: nfc(&md.body),
        file: Arc::clone(cx.file),
        body_line: md.body_line,
    });
}

#[cfg(test)]
mod tests {
    use super::super::testing::{run, said};

    #[test]
    fn a_control_character_in_an_article_is_refused_at_its_line() {
        let article = "---\ntitle: Tin\ndate: 2025-03-10\n---\nMột dòng.\nHai \u{1b}[31m dòng.\n";
        let (_, lines) = run(&[("content/news/tin-hai.md", article)]);
        assert!(
            said(&lines, &["tin-hai.md:6:5: error", "U+001B"]),
            "{lines:#?}"
        );
    }

    #[test]
    fn an_article_dated_after_the_day_is_held_back() {
        let article = "---\ntitle: Tin\ndate: 2025-05-10\n---\nMột dòng.\n";
        let (mut m, _) = run(&[("content/news/tin-hai.md", article)]);
        let mut diags = crate::diag::Diagnostics::new();
        let day = crate::date::parse_date("2025-04-25").expect("a day");
        super::hold_back_future_articles(&mut m, day, &mut diags);
        assert!(m.articles.iter().all(|a| a.slug != "tin-hai"));
        assert_eq!(diags.warning_count(), 1);
    }
}
