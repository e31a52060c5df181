//! The default theme, compiled into the binary so that `tiendo` works on
//! any site folder. A site overrides single files from its own
//! `templates/` and `theme-static/` folders (see the load stage).

/// Templates, by the name templates use to include or extend them.
pub const TEMPLATES: &[(&str, &str)] = &[
    (
        "base.html",
        include_str!("../themes/default/templates/base.html"),
    ),
    (
        "index.html",
        include_str!("../themes/default/templates/index.html"),
    ),
    (
        "tasks.html",
        include_str!("../themes/default/templates/tasks.html"),
    ),
    (
        "task.html",
        include_str!("../themes/default/templates/task.html"),
    ),
    (
        "task_table.html",
        include_str!("../themes/default/templates/task_table.html"),
    ),
    (
        "counts.html",
        include_str!("../themes/default/templates/counts.html"),
    ),
    (
        "headline.html",
        include_str!("../themes/default/templates/headline.html"),
    ),
    (
        "kpi_table.html",
        include_str!("../themes/default/templates/kpi_table.html"),
    ),
    (
        "agency_table.html",
        include_str!("../themes/default/templates/agency_table.html"),
    ),
    (
        "duty_table.html",
        include_str!("../themes/default/templates/duty_table.html"),
    ),
    (
        "agencies.html",
        include_str!("../themes/default/templates/agencies.html"),
    ),
    (
        "agency.html",
        include_str!("../themes/default/templates/agency.html"),
    ),
    (
        "group.html",
        include_str!("../themes/default/templates/group.html"),
    ),
    (
        "kpis.html",
        include_str!("../themes/default/templates/kpis.html"),
    ),
    (
        "kpi.html",
        include_str!("../themes/default/templates/kpi.html"),
    ),
    (
        "reports.html",
        include_str!("../themes/default/templates/reports.html"),
    ),
    (
        "report.html",
        include_str!("../themes/default/templates/report.html"),
    ),
    (
        "deadlines.html",
        include_str!("../themes/default/templates/deadlines.html"),
    ),
    (
        "news.html",
        include_str!("../themes/default/templates/news.html"),
    ),
    (
        "article.html",
        include_str!("../themes/default/templates/article.html"),
    ),
    (
        "tag.html",
        include_str!("../themes/default/templates/tag.html"),
    ),
    (
        "page.html",
        include_str!("../themes/default/templates/page.html"),
    ),
    (
        "404.html",
        include_str!("../themes/default/templates/404.html"),
    ),
];

/// Files served under `/assets/`.
pub const ASSETS: &[(&str, &[u8])] = &[
    (
        "style.css",
        include_bytes!("../themes/default/static/style.css"),
    ),
    (
        "tiendo.js",
        include_bytes!("../themes/default/static/tiendo.js"),
    ),
];

/// UI strings by language code.
pub const I18N: &[(&str, &str)] = &[
    ("vi", include_str!("../themes/default/i18n/vi.yaml")),
    ("en", include_str!("../themes/default/i18n/en.yaml")),
];
