//! Part of editor, the other drafts: a news article (`new article`) and a
//! task at the end of a plan's file (`new task`). Input: the model and the
//! plan's text; output: the text to write.

use super::*;

/// A slug `check` accepts (at most [`MAX_SLUG`] bytes), cut after a whole
/// word: a long title makes a long file name, and the address of the page.
pub(super) fn short_slug(slug: &str) -> String {
    if slug.len() <= MAX_SLUG {
        return slug.to_string();
    }
    // Slugs are ASCII: any byte is a character boundary.
    let head = &slug[..=MAX_SLUG];
    let cut = head.rfind('-').filter(|i| *i > 0).unwrap_or(MAX_SLUG);
    slug[..cut].trim_end_matches('-').to_string()
}

/// The longest slug `new article` makes (ids and slugs are at most 100
/// bytes; a shorter address reads better).
pub const MAX_SLUG: usize = 80;

/// `tiendo new article`: the file name and Markdown of a draft article
/// dated `day`.
pub fn article(title: &str, day: Date) -> Result<(String, String), Failure> {
    let slug = short_slug(&crate::text::slugify(title));
    if !crate::text::is_valid_id(&slug) {
        return Err(usage(msg!("editor.title_no_slug")));
    }
    let text = format!(
        "---\ntitle: {}\ndate: {day}\n# summary: \"Một hai câu tóm tắt, hiện trong danh sách tin.\"\n# tags: [chuyen-doi-so]\n# tasks: [ma-nhiem-vu]   # bài hiện trên trang các nhiệm vụ này\n# image: /anh/ten-anh.jpg   # cần image_alt: mô tả ảnh cho người không nhìn thấy\ndraft: true   # xóa dòng này khi bài sẵn sàng đăng\n---\nViết nội dung bài tại đây (Markdown).\n",
        scalar(title)
    );
    Ok((format!("content/news/{slug}.md"), text))
}

pub(super) fn find_plan<'m>(m: &'m Model, plan: &str) -> Result<&'m crate::model::Plan, Failure> {
    m.plans.iter().find(|p| p.id == plan).ok_or_else(|| {
        let hint = did_you_mean(plan, m.plans.iter().map(|p| p.id.as_str()));
        usage(msg!("editor.no_plan", plan, hint = Maybe(hint)))
    })
}

/// `tiendo new task --plan ID`: the plan's file and the text to append to
/// it, a task whose required keys the editor fills in.
pub fn task(m: &Model, plan: &str, plan_text: &str) -> Result<(String, String), Failure> {
    let p = find_plan(m, plan)?;
    let last_key = plan_text
        .lines()
        .rfind(|l| !l.is_empty() && !l.starts_with([' ', '#', '-']))
        .unwrap_or("");
    if last_key.trim_end() != "tasks:" {
        return Err(usage(msg!("editor.tasks_not_last", file = &p.file)));
    }
    // The items' indentation as the file has it (`- id` or `  - id`).
    let indent = plan_text
        .lines()
        .skip_while(|l| l.trim_end() != "tasks:")
        .find(|l| l.trim_start().starts_with("- "))
        .map_or(2, |l| l.len() - l.trim_start().len());
    let id = (1..)
        .map(|n| {
            if n == 1 {
                "nhiem-vu-moi".to_string()
            } else {
                format!("nhiem-vu-moi-{n}")
            }
        })
        .find(|id| m.task(id).is_none())
        .unwrap_or_default();
    let mut text = String::new();
    if !plan_text.ends_with('\n') && !plan_text.is_empty() {
        text.push('\n');
    }
    let lines = [
        format!("- id: {id}   # mã nhiệm vụ: chữ thường, số, gạch nối; thành địa chỉ trang"),
        "  # ref: \"1.a\"   # số mục trong văn bản".into(),
        "  title:         # rõ việc: tên nhiệm vụ".into(),
        "  lead:          # rõ người: mã cơ quan chủ trì".into(),
        "  # support: []  # cơ quan phối hợp".into(),
        "  deadline:      # rõ tiến độ: 2025-12-31, 12/2025, Q4/2025, monthly hoặc ongoing".into(),
        "  result:        # rõ kết quả".into(),
        "  responsible:   # rõ trách nhiệm".into(),
    ];
    for l in lines {
        let _ = writeln!(text, "{}{l}", " ".repeat(indent));
    }
    Ok((p.file.to_string(), text))
}

/// `tiendo new article "Tiêu đề"`: a draft dated the as-of day.
pub fn new_article(opts: &Options, title: &str) -> Result<PathBuf, Failure> {
    let m = load_lenient(opts)?;
    let (rel, text) = article(&crate::text::nfc(title), as_of(opts, &m))?;
    let path = on_disk(opts, &rel);
    write_new(&path, text.as_bytes(), false)?;
    Ok(path)
}

/// `tiendo new task --plan ID`: a task to fill in, at the end of the plan.
pub fn new_task(opts: &Options, plan: &str) -> Result<PathBuf, Failure> {
    let m = load_lenient(opts)?;
    let path = on_disk(opts, &find_plan(&m, plan)?.file);
    let current = read_text(&path)?;
    let (_, text) = task(&m, plan, &current)?;
    append(&path, &text)?;
    Ok(path)
}
