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
        "page.html",
        include_str!("../themes/default/templates/page.html"),
    ),
];

/// Files served under `/assets/`.
pub const ASSETS: &[(&str, &[u8])] = &[(
    "style.css",
    include_bytes!("../themes/default/static/style.css"),
)];
