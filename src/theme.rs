//! The default theme compiled into the binary: the repository's own
//! `templates/` and `static/` folders, one copy only. A site overrides any
//! file by putting its own at the same path.

pub const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    ("article.html", include_str!("../templates/article.html")),
    ("home.html", include_str!("../templates/home.html")),
    ("404.html", include_str!("../templates/404.html")),
    ("item.html", include_str!("../templates/item.html")),
    ("pager.html", include_str!("../templates/pager.html")),
    ("list.html", include_str!("../templates/list.html")),
    ("taxonomy.html", include_str!("../templates/taxonomy.html")),
    ("term.html", include_str!("../templates/term.html")),
    ("year.html", include_str!("../templates/year.html")),
    ("month.html", include_str!("../templates/month.html")),
    ("day.html", include_str!("../templates/day.html")),
    ("archive.html", include_str!("../templates/archive.html")),
];

pub const STATIC: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../static/style.css")),
    (
        "fonts/noto-naskh-arabic-arabic-400-normal.woff2",
        include_bytes!("../static/fonts/noto-naskh-arabic-arabic-400-normal.woff2"),
    ),
    (
        "fonts/noto-naskh-arabic-arabic-700-normal.woff2",
        include_bytes!("../static/fonts/noto-naskh-arabic-arabic-700-normal.woff2"),
    ),
    (
        "fonts/noto-sans-arabic-arabic-400-normal.woff2",
        include_bytes!("../static/fonts/noto-sans-arabic-arabic-400-normal.woff2"),
    ),
    (
        "fonts/noto-sans-arabic-arabic-700-normal.woff2",
        include_bytes!("../static/fonts/noto-sans-arabic-arabic-700-normal.woff2"),
    ),
    ("fonts/OFL.txt", include_bytes!("../static/fonts/OFL.txt")),
];

/// A file of the default theme and where it goes in a site.
fn site_path(name: &str) -> Option<(std::path::PathBuf, &'static [u8])> {
    use std::path::Path;
    let name = name
        .strip_prefix("templates/")
        .or_else(|| name.strip_prefix("static/"))
        .unwrap_or(name);
    let template = TEMPLATES.iter().find(|(n, _)| *n == name).map(|(n, text)| {
        (
            Path::new(crate::render::templates::TEMPLATES_DIR).join(n),
            text.as_bytes(),
        )
    });
    template.or_else(|| {
        STATIC
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(n, bytes)| (Path::new(crate::pipeline::STATIC_DIR).join(n), *bytes))
    })
}

/// Writes the default theme's `names` (every template and the stylesheet
/// when none is named) into the site at `root`, for the user to change.
/// A file the site already has is left alone unless `force`. Returns the
/// paths written, relative to `root`.
pub fn copy(
    root: &std::path::Path,
    names: &[String],
    force: bool,
) -> crate::error::Result<Vec<std::path::PathBuf>> {
    use crate::diagnostics::{Diagnostic, Diagnostics};
    let names: Vec<&str> = if names.is_empty() {
        TEMPLATES
            .iter()
            .map(|(n, _)| *n)
            .chain(["style.css"])
            .collect()
    } else {
        names.iter().map(String::as_str).collect()
    };
    let mut problems = Vec::new();
    let mut files = Vec::new();
    for name in names {
        match site_path(name) {
            None => problems.push(
                Diagnostic::global(format!("the default theme has no file `{name}`"))
                    .with_help(format!("its files are: {}", every_name().join(", "))),
            ),
            Some((rel, _)) if !force && crate::fs::exists(&root.join(&rel)) => problems.push(
                Diagnostic::global(format!("{} is already in the site", rel.display()))
                    .with_help("it is yours to change; copy over it with --force"),
            ),
            Some(file) => files.push(file),
        }
    }
    if !problems.is_empty() {
        return Err(crate::error::Error::Input(Diagnostics::new(problems)));
    }
    for (rel, bytes) in &files {
        let path = root.join(rel);
        if let Some(parent) = path.parent() {
            crate::fs::create_dir_all(parent)?;
        }
        crate::fs::write(&path, bytes)?;
    }
    Ok(files.into_iter().map(|(rel, _)| rel).collect())
}

fn every_name() -> Vec<&'static str> {
    TEMPLATES
        .iter()
        .map(|(n, _)| *n)
        .chain(STATIC.iter().map(|(n, _)| *n))
        .collect()
}
