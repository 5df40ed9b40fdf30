//! `arshif new DIR`: what a newsroom edits, and nothing it does not: the
//! settings, a sample article with its image, a Pages workflow pinned to
//! this version of arshif, a README and a .gitignore. The theme stays
//! built in (so theme fixes arrive with new versions) until the user
//! copies a part of it into the site (`copy_theme`).

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::fs;

/// Where the version of arshif goes in the workflow.
const VERSION_SLOT: &str = "@VERSION@";

/// The workflow a new site publishes itself with, pinned to this version.
pub fn workflow() -> String {
    include_str!("pages.yml").replace(VERSION_SLOT, env!("CARGO_PKG_VERSION"))
}

/// The files of a new site, relative to its folder.
fn files() -> Vec<(&'static str, Cow<'static, [u8]>)> {
    vec![
        (
            "site.yaml",
            Cow::Borrowed(include_bytes!("../../site.yaml")),
        ),
        ("README.md", Cow::Borrowed(include_bytes!("README.md"))),
        (".gitignore", Cow::Borrowed(b"/public/\n/.public.*\n")),
        (
            ".github/workflows/pages.yml",
            Cow::Owned(workflow().into_bytes()),
        ),
        (
            ".github/install-arshif.sh",
            Cow::Borrowed(include_bytes!("install-arshif.sh")),
        ),
        (
            "content/2023/putin-beijing-visit.md",
            Cow::Borrowed(include_bytes!("putin-beijing-visit.md")),
        ),
        (
            "content/2023/putin.jpg",
            Cow::Borrowed(include_bytes!("putin.jpg")),
        ),
    ]
}

/// Writes a new site into `dir`, which must be empty or missing unless
/// `force` is set (then files of the same names are overwritten and others
/// left alone). Returns the paths written.
pub fn create(dir: &Path, force: bool) -> Result<Vec<PathBuf>> {
    let occupied = std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some());
    if occupied && !force {
        return Err(Error::Io {
            action: "refusing to write into",
            path: dir.to_path_buf(),
            source: std::io::Error::other(
                "the folder is not empty (use --force to write into it anyway)",
            ),
        });
    }
    let mut written = Vec::new();
    for (rel, bytes) in files() {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&path, &bytes)?;
        written.push(PathBuf::from(rel));
    }
    Ok(written)
}

/// A file of the default theme and where it goes in a site.
fn site_path(name: &str) -> Option<(std::path::PathBuf, &'static [u8])> {
    use std::path::Path;
    let name = name
        .strip_prefix("templates/")
        .or_else(|| name.strip_prefix("static/"))
        .unwrap_or(name);
    let template = crate::theme::TEMPLATES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(n, text)| {
            (
                Path::new(crate::render::templates::TEMPLATES_DIR).join(n),
                text.as_bytes(),
            )
        });
    template.or_else(|| {
        crate::theme::STATIC
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(n, bytes)| (Path::new(crate::pipeline::STATIC_DIR).join(n), *bytes))
    })
}

/// Writes the default theme's `names` (every template and the stylesheet
/// when none is named) into the site at `root`, for the user to change.
/// A file the site already has is left alone unless `force`. Returns the
/// paths written, relative to `root`.
pub fn copy_theme(
    root: &std::path::Path,
    names: &[String],
    force: bool,
) -> crate::error::Result<Vec<std::path::PathBuf>> {
    use crate::diagnostics::{Diagnostic, Diagnostics};
    let names: Vec<&str> = if names.is_empty() {
        crate::theme::TEMPLATES
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
    crate::theme::TEMPLATES
        .iter()
        .map(|(n, _)| *n)
        .chain(crate::theme::STATIC.iter().map(|(n, _)| *n))
        .collect()
}
