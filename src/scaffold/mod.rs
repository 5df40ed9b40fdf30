//! `arshif new DIR`: what a newsroom edits, and nothing it does not: the
//! settings, a sample article with its image, a Pages workflow pinned to
//! this version of arshif, a README and a .gitignore. The theme stays
//! built in (so theme fixes arrive with new versions) until the user
//! copies a part of it into the site (`copy_theme`).

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::fs;
use crate::lang::Language;

/// Where the version of arshif goes in the workflow.
const VERSION_SLOT: &str = "@VERSION@";

/// The workflow a new site publishes itself with, pinned to this version.
pub fn workflow() -> String {
    include_str!("pages.yml").replace(VERSION_SLOT, env!("CARGO_PKG_VERSION"))
}

/// The commented settings every new site starts from: the sample
/// archive's own, for Arabic.
const SITE_YAML: &str = include_str!("../../site.yaml");

/// What a new site in `lang` sets differently from the Arabic one.
fn settings(lang: Language) -> &'static [(&'static str, &'static str)] {
    match lang {
        Language::Arabic => &[],
        Language::Persian => &[
            ("title", "بایگانی خبر"),
            ("description", "بایگانی خبرها به زبان فارسی"),
            ("language", "fa"),
            ("timezone", "\"+03:30\""),
            ("months", "persian"),
            ("digits", "persian"),
            ("calendar", "persian"),
            ("second_calendar", "gregorian"),
            ("font", "vazirmatn"),
            ("strings", "{latest: آخرین خبرها}"),
        ],
        Language::Urdu => &[
            ("title", "خبروں کا آرکائیو"),
            ("description", "اردو میں خبروں کا آرکائیو"),
            ("language", "ur"),
            ("timezone", "\"+05:00\""),
            ("months", "urdu"),
            ("font", "nastaliq"),
            ("strings", "{latest: تازہ خبریں}"),
        ],
        Language::Hebrew => &[
            ("title", "ארכיון החדשות"),
            ("description", "ארכיון כתבות חדשות בעברית"),
            ("language", "he"),
            ("timezone", "\"+02:00\""),
            ("months", "hebrew"),
            ("second_calendar", "hebrew"),
            ("font", "hebrew"),
            ("strings", "{latest: חדשות אחרונות}"),
        ],
        Language::English => &[
            ("title", "News archive"),
            ("description", "An archive of news articles"),
            ("language", "en"),
            ("timezone", "\"+00:00\""),
            ("months", "english"),
            ("reading_speed", "230"),
            ("strings", "{latest: Latest news}"),
        ],
    }
}

/// The site.yaml of a new site in `lang`: the commented template, with
/// each key of `settings` set (uncommented where the template leaves it
/// off).
pub fn site_yaml(lang: Language) -> String {
    let mut out = String::with_capacity(SITE_YAML.len());
    for line in SITE_YAML.lines() {
        let bare = line.strip_prefix("# ").unwrap_or(line);
        let set = settings(lang)
            .iter()
            .find(|(key, _)| bare.strip_prefix(key).is_some_and(|r| r.starts_with(": ")));
        match set {
            Some((key, value)) => {
                out.push_str(key);
                out.push_str(": ");
                out.push_str(value);
            }
            None => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

/// The sample article of a new site in `lang`.
fn sample(lang: Language) -> &'static [u8] {
    match lang {
        Language::Arabic => include_bytes!("putin-beijing-visit.md"),
        Language::Persian => include_bytes!("sample-fa.md"),
        Language::Urdu => include_bytes!("sample-ur.md"),
        Language::Hebrew => include_bytes!("sample-he.md"),
        Language::English => include_bytes!("sample-en.md"),
    }
}

/// The files of a new site in `lang`, relative to its folder.
fn files(lang: Language) -> Vec<(&'static str, Cow<'static, [u8]>)> {
    vec![
        ("site.yaml", Cow::Owned(site_yaml(lang).into_bytes())),
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
            Cow::Borrowed(sample(lang)),
        ),
        (
            "content/2023/putin.jpg",
            Cow::Borrowed(include_bytes!("putin.jpg")),
        ),
    ]
}

/// Writes a new site in `lang` into `dir`, which must be empty or missing
/// unless `force` is set (then files of the same names are overwritten and
/// others left alone). Returns the paths written.
pub fn create(dir: &Path, lang: Language, force: bool) -> Result<Vec<PathBuf>> {
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
    for (rel, bytes) in files(lang) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, Font};
    use crate::date::{Calendar, MonthNames};
    use crate::text::Digits;

    #[test]
    fn the_arabic_settings_are_the_template() {
        assert_eq!(site_yaml(Language::Arabic), SITE_YAML);
    }

    #[test]
    fn each_language_gets_settings_that_fit_it() {
        let parse = |lang| {
            Config::parse(std::path::Path::new("site.yaml"), &site_yaml(lang))
                .unwrap_or_else(|e| panic!("{lang:?}: {e:#?}"))
        };
        let fa = parse(Language::Persian);
        assert_eq!(fa.language, "fa");
        assert_eq!(fa.date_style.months, MonthNames::Persian);
        assert_eq!(fa.date_style.digits, Digits::Persian);
        assert_eq!(fa.date_style.calendar, Calendar::Persian);
        assert_eq!(fa.second_calendar, Some(Calendar::Gregorian));
        assert_eq!(fa.font, Font::Vazirmatn);
        let ur = parse(Language::Urdu);
        assert_eq!(
            (ur.date_style.months, ur.font),
            (MonthNames::Urdu, Font::Nastaliq)
        );
        let he = parse(Language::Hebrew);
        assert_eq!(he.second_calendar, Some(Calendar::Hebrew));
        assert_eq!(he.font, Font::Hebrew);
        let en = parse(Language::English);
        assert_eq!(en.date_style.months, MonthNames::English);
        assert_eq!(en.reading_speed, 230);
        for lang in Language::ALL {
            assert!(parse(lang).warnings.is_empty(), "{lang:?}");
        }
    }
}
