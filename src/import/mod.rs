//! `arshif import`: bringing an existing archive in as articles of a site.
//! Every source is read and every problem found before anything is
//! written, so a failed import leaves the site as it was.

mod convert;
mod links;
mod markup;
mod post;
pub mod raw;
mod tree;
mod wordpress;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

pub use tree::Generator;

use chrono::{DateTime, FixedOffset};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::{Error, Result};
use crate::{config, fs, text};

/// What to import from, and how.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The site's folder (with site.yaml): articles go into its content/.
    pub root: PathBuf,
    pub sources: Vec<PathBuf>,
    /// For one raw article: its title, instead of the one found in it.
    pub title: Option<String>,
    /// The publication date, for articles whose text has none.
    pub date: Option<String>,
    pub tags: Vec<String>,
    /// Report what would be written, and write nothing.
    pub dry_run: bool,
    /// Overwrite article files that already exist.
    pub force: bool,
    /// WordPress's uploads folder (`wp-content/uploads`), to copy images from.
    pub media: Option<PathBuf>,
}

/// What an import did (or, with `dry_run`, would do).
#[derive(Debug, Default)]
pub struct Report {
    /// What was imported: `raw`, `jekyll`, …
    pub format: String,
    pub read: usize,
    /// Article files, relative to the site's root.
    pub written: Vec<PathBuf>,
    pub drafts: usize,
    /// Files copied beside articles or into static/.
    pub copied: usize,
    /// Old addresses that now redirect, and those that are the new one.
    pub redirects: usize,
    pub same_url: usize,
    /// Files that are not posts, and why.
    pub left_out: Vec<(String, &'static str)>,
    /// `categories → tags`, with how many posts had it.
    pub mapped: BTreeMap<String, usize>,
    /// Keys kept under `extra`, with how many posts had each.
    pub extra: BTreeMap<String, usize>,
    /// Markup made into Markdown: `youtube`, `post_url`, …
    pub converted: BTreeMap<String, usize>,
    /// Markup left as it was, which the build will warn about.
    pub unconverted: BTreeMap<String, usize>,
    pub unconverted_in: BTreeSet<String>,
    /// What a person may want to look at, one line each.
    pub notes: Vec<String>,
}

impl Report {
    /// The report as Markdown, as it is printed and kept beside content/.
    pub fn text(&self, dry_run: bool) -> String {
        let mut out = format!("# Import ({})\n\n", self.format);
        let mut line = |label: &str, n: usize| {
            if n > 0 || label.starts_with("articles") || label.starts_with("files read") {
                out.push_str(&format!("- {label}: {n}\n"));
            }
        };
        line("files read", self.read);
        line(
            if dry_run {
                "articles to write"
            } else {
                "articles written"
            },
            self.written.len(),
        );
        line("of them drafts", self.drafts);
        line("files copied", self.copied);
        line(
            "old addresses that redirect to the new ones",
            self.redirects,
        );
        line("old addresses that are the new ones", self.same_url);
        line("files left out (not posts)", self.left_out.len());
        let mut section = |title: &str, lines: Vec<String>| {
            if !lines.is_empty() {
                out.push_str(&format!("\n## {title}\n\n"));
                for l in lines {
                    out.push_str(&format!("- {l}\n"));
                }
            }
        };
        let counted = |m: &BTreeMap<String, usize>| -> Vec<String> {
            m.iter().map(|(k, n)| format!("`{k}`: {n}")).collect()
        };
        section("Front matter mapped", counted(&self.mapped));
        section("Kept under `extra`", counted(&self.extra));
        section("Markup converted to Markdown", counted(&self.converted));
        let mut left: Vec<String> = self
            .unconverted
            .iter()
            .map(|(k, n)| format!("{k}: {n}"))
            .collect();
        if !left.is_empty() {
            left.push(format!(
                "in: {}",
                self.unconverted_in
                    .iter()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        section("Markup left as written (the build warns at each)", left);
        section("To look at", self.notes.clone());
        section(
            "Left out",
            self.left_out
                .iter()
                .map(|(f, why)| format!("{f}: {why}"))
                .collect(),
        );
        section(
            if dry_run {
                "Articles to write"
            } else {
                "Articles written"
            },
            self.written
                .iter()
                .map(|p| p.display().to_string())
                .collect(),
        );
        out
    }
}

/// The file the report is kept in, in the site's folder.
pub const REPORT_FILE: &str = "import-report.md";

/// An article to write, with the files it brings.
struct Planned {
    path: PathBuf,
    text: String,
    copies: Vec<(PathBuf, PathBuf)>,
}

/// Imports raw text articles (see `raw`) into the site at `opts.root`.
pub fn raw(opts: &ImportOptions) -> Result<Report> {
    let (_, tz) = site_settings(&opts.root);
    let date = match &opts.date {
        Some(d) => Some(crate::date::parse(d, tz).map_err(|m| {
            global(
                format!("--date: {m}"),
                "e.g. --date 2023-09-19T14:30:00+03:00",
            )
        })?),
        None => None,
    };
    if opts.title.is_some() && opts.sources.len() > 1 {
        return Err(global(
            "--title names one article, and there are several files".into(),
            "import them one at a time, or leave --title out to take each one's own",
        ));
    }
    let mut problems = Vec::new();
    let mut planned: Vec<Planned> = Vec::new();
    let mut report = Report {
        format: "raw".into(),
        ..Report::default()
    };
    for source in &opts.sources {
        report.read += 1;
        match raw_article(source, opts, date, tz, &mut report.notes) {
            Ok(p) => planned.push(p),
            Err(d) => problems.push(d),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Input(Diagnostics::new(problems)));
    }
    write(opts, planned, Vec::new(), report)
}

/// Imports the site of another generator from each folder in `opts.sources`.
pub fn site(generator: Generator, opts: &ImportOptions) -> Result<Report> {
    let (language, tz) = site_settings(&opts.root);
    let mut report = Report {
        format: generator.name().into(),
        ..Report::default()
    };
    let mut problems = Vec::new();
    let mut planned = Vec::new();
    let mut copies = Vec::new();
    for source in &opts.sources {
        let old = match tree::read(generator, source) {
            Ok(old) => old,
            Err(found) => {
                problems.extend(
                    found
                        .into_iter()
                        .map(|(file, m)| Diagnostic::error(&file, None, m)),
                );
                continue;
            }
        };
        report.read += old.posts.len() + old.left_out.len();
        report.left_out.extend(
            old.left_out
                .iter()
                .map(|(f, why)| (post::shown(&old.root, f), *why)),
        );
        report.drafts += old.posts.iter().filter(|p| p.draft).count();
        if old.posts.is_empty() {
            problems.push(
                Diagnostic::error(source, None, format!("no {} posts here", generator.name()))
                    .with_help(match generator {
                        Generator::Jekyll => "give the folder where _config.yml and _posts/ are",
                        Generator::Hugo => "give the folder where Hugo's config and content/ are",
                        Generator::Zola => "give the folder where config.toml and content/ are",
                        Generator::Markdown => {
                            "give the folder of Markdown posts with front matter"
                        }
                    }),
            );
            continue;
        }
        let from = convert::From {
            root: &old.root,
            static_roots: &old.static_roots,
            base_path: &old.base_path,
            host: old.host.as_deref(),
            language: &language,
            tz,
        };
        match convert::convert(&old.posts, &from, &mut report) {
            Ok(found) => add(found, &mut planned, &mut copies),
            Err(found) => problems.extend(found),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Input(Diagnostics::new(problems)));
    }
    write(opts, planned, copies, report)
}

/// Imports the posts of each WordPress export file in `opts.sources`.
pub fn wordpress(opts: &ImportOptions) -> Result<Report> {
    let (language, tz) = site_settings(&opts.root);
    let mut report = Report {
        format: "wordpress".into(),
        ..Report::default()
    };
    if let Some(media) = &opts.media
        && !media.is_dir()
    {
        return Err(global(
            format!("--media {}: there is no such folder", media.display()),
            "give the uploads folder of the WordPress site (wp-content/uploads)",
        ));
    }
    let static_roots: Vec<(String, PathBuf)> = opts
        .media
        .iter()
        .map(|m| (wordpress::UPLOADS.to_owned(), m.clone()))
        .collect();
    let mut problems = Vec::new();
    let mut planned = Vec::new();
    let mut copies = Vec::new();
    for source in &opts.sources {
        let export = match wordpress::read(source, tz) {
            Ok(e) => e,
            Err(m) => {
                problems.push(Diagnostic::error(source, None, m));
                continue;
            }
        };
        report.read += 1;
        report.left_out.extend(
            export
                .left_out
                .iter()
                .map(|(what, why)| (format!("{} ({what})", source.display()), *why)),
        );
        report.notes.extend(export.notes.iter().cloned());
        for (name, n) in &export.converted {
            *report.converted.entry((*name).to_owned()).or_default() += n;
        }
        report.drafts += export.posts.iter().filter(|p| p.draft).count();
        if export.posts.is_empty() {
            problems.push(Diagnostic::error(
                source,
                None,
                "the export has no posts".to_owned(),
            ));
            continue;
        }
        if opts.media.is_none() {
            report.notes.push(
                "no --media folder given: images stay links to the old site's wp-content/uploads"
                    .into(),
            );
        }
        let (host, base_path) = tree::split_url(&export.site_url);
        let root = source.parent().unwrap_or(Path::new("")).to_owned();
        let from = convert::From {
            root: &root,
            static_roots: &static_roots,
            base_path: &base_path,
            host: host.as_deref(),
            language: &language,
            tz,
        };
        match convert::convert(&export.posts, &from, &mut report) {
            Ok(found) => add(found, &mut planned, &mut copies),
            Err(found) => problems.extend(found),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Input(Diagnostics::new(problems)));
    }
    write(opts, planned, copies, report)
}

/// One source's articles and files, added to the import's.
fn add(
    (articles, files): (Vec<Planned>, convert::Copies),
    planned: &mut Vec<Planned>,
    copies: &mut convert::Copies,
) {
    planned.extend(articles);
    copies.extend(files);
}

/// Writes the articles and copies the files, once nothing stands in the
/// way: two articles to one file, or files that exist (without `--force`).
fn write(
    opts: &ImportOptions,
    planned: Vec<Planned>,
    mut copies: Vec<(PathBuf, PathBuf)>,
    mut report: Report,
) -> Result<Report> {
    let mut problems = Vec::new();
    let mut paths = std::collections::HashSet::new();
    for p in &planned {
        if !paths.insert(&p.path) {
            problems.push(
                Diagnostic::global(format!(
                    "two articles would be written to {}",
                    p.path.display()
                ))
                .with_help("import them one at a time, or give one of them another title"),
            );
        } else if !opts.force && fs::exists(&opts.root.join(&p.path)) {
            problems.push(
                Diagnostic::global(format!("{} already exists", p.path.display()))
                    .with_help("nothing was written; use --force to replace it"),
            );
        }
    }
    copies.extend(planned.iter().flat_map(|p| p.copies.iter().cloned()));
    // A file that is already there with the same bytes needs no copy.
    copies.retain(|(from, to)| {
        let target = opts.root.join(to);
        !(target.is_file() && std::fs::read(&target).ok() == std::fs::read(from).ok())
    });
    for (_, to) in &copies {
        if !opts.force && fs::exists(&opts.root.join(to)) {
            problems.push(
                Diagnostic::global(format!("{} already exists, with other bytes", to.display()))
                    .with_help("nothing was written; use --force to replace it"),
            );
        }
    }
    if !problems.is_empty() {
        return Err(Error::Input(Diagnostics::new(problems)));
    }
    report.written = planned.iter().map(|p| p.path.clone()).collect();
    report.copied = copies.len();
    if opts.dry_run {
        return Ok(report);
    }
    for (from, to) in &copies {
        let to = opts.root.join(to);
        if let Some(parent) = to.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::copy(from, &to)?;
    }
    for p in &planned {
        let path = opts.root.join(&p.path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&path, p.text.as_bytes())?;
    }
    fs::write(&opts.root.join(REPORT_FILE), report.text(false).as_bytes())?;
    Ok(report)
}

/// A file's text, or what is wrong with it.
pub(crate) fn read_text(path: &Path) -> std::result::Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read it: {e}"))?;
    if bytes.contains(&0) {
        return Err("this is not a text file".into());
    }
    String::from_utf8(bytes)
        .map_err(|_| "this is not UTF-8 text; convert it first (e.g. with iconv)".into())
}

fn raw_article(
    source: &Path,
    opts: &ImportOptions,
    date: Option<DateTime<FixedOffset>>,
    tz: FixedOffset,
    notes: &mut Vec<String>,
) -> std::result::Result<Planned, Diagnostic> {
    let problem =
        |m: String, help: &str| Diagnostic::error(source, None, m).with_help(help.to_owned());
    let text =
        read_text(source).map_err(|m| problem(m, "give raw text files, one article each"))?;
    let mut article = raw::read(&text)
        .map_err(|m| problem(m, "a raw article is its paragraphs, one per line"))?;
    if let Some(title) = &opts.title {
        article.title = title.clone();
    }
    let date = date.or_else(|| raw::date_in(&text, tz)).ok_or_else(|| {
        problem(
            "there is no date in it".into(),
            "give one with --date, e.g. --date 2023-09-19T14:30:00+03:00",
        )
    })?;
    let slug = slug(&article.title);
    let folder =
        PathBuf::from(crate::content::load::CONTENT_DIR).join(date.format("%Y").to_string());
    let path = folder.join(format!("{slug}.md"));

    let mut meta = serde_yaml::Mapping::new();
    let mut put = |k: &str, v: serde_yaml::Value| {
        meta.insert(k.into(), v);
    };
    put("title", article.title.clone().into());
    put("date", date.to_rfc3339().into());
    if let Some(author) = &article.author {
        put("author", author.clone().into());
    }
    if let Some(source) = &article.source {
        put("source", source.clone().into());
    }
    if !opts.tags.is_empty() {
        put(
            "tags",
            opts.tags
                .iter()
                .map(|t| serde_yaml::Value::from(t.clone()))
                .collect::<Vec<_>>()
                .into(),
        );
    }
    let mut copies = Vec::new();
    if let Some((caption, credit)) = &article.caption {
        let mut image = serde_yaml::Mapping::new();
        match photo_beside(source) {
            Some(photo) => {
                let ext = photo
                    .extension()
                    .and_then(|e| e.to_str())
                    .unwrap_or("jpg")
                    .to_ascii_lowercase();
                let name = format!("{slug}.{ext}");
                copies.push((photo, folder.join(&name)));
                image.insert("src".into(), name.into());
                image.insert("caption".into(), caption.clone().into());
                image.insert("credit".into(), credit.clone().into());
                put("image", image.into());
            }
            None => {
                notes.push(format!(
                    "{}: a photo caption and credit, but no photo file beside it (same name, .jpg, .png or .webp); kept under extra",
                    source.display()
                ));
                image.insert("caption".into(), caption.clone().into());
                image.insert("credit".into(), credit.clone().into());
                let mut extra = serde_yaml::Mapping::new();
                extra.insert("photo".into(), image.into());
                put("extra", extra.into());
            }
        }
    }
    if article.author.is_none() && article.source.is_none() {
        notes.push(format!(
            "{}: no byline found (author, source)",
            source.display()
        ));
    }
    if !article.dropped.is_empty() {
        notes.push(format!(
            "{}: left out as page furniture: {}",
            source.display(),
            article.dropped.join(" · ")
        ));
    }
    let yaml = serde_yaml::to_string(&meta)
        .map_err(|e| problem(format!("cannot write its front matter: {e}"), "report this"))?;
    let body: Vec<String> = article
        .paragraphs
        .iter()
        .map(|p| raw::escape_markdown(p))
        .collect();
    Ok(Planned {
        path,
        text: format!("---\n{yaml}---\n\n{}\n", body.join("\n\n")),
        copies,
    })
}

/// A photo with the same name as the raw file (`article.txt` → `article.jpg`).
fn photo_beside(source: &Path) -> Option<PathBuf> {
    ["jpg", "jpeg", "png", "webp"]
        .iter()
        .map(|ext| source.with_extension(ext))
        .find(|p| p.is_file())
}

/// A file name for an article: its title's first words, as a slug.
fn slug(title: &str) -> String {
    let slug = text::slugify(title);
    let mut out = String::new();
    for word in slug.split('-').filter(|w| !w.is_empty()).take(8) {
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(word);
    }
    if out.is_empty() {
        "article".into()
    } else {
        out
    }
}

/// The site's language and timezone; Arabic and UTC before it has a site.yaml.
fn site_settings(root: &Path) -> (String, FixedOffset) {
    let path = root.join(config::FILE_NAME);
    std::fs::read_to_string(&path)
        .ok()
        .and_then(|text| config::Config::parse(&path, &text).ok())
        .map_or_else(
            || ("ar".into(), FixedOffset::east_opt(0).expect("UTC")),
            |c| (c.language.clone(), c.timezone),
        )
}

fn global(message: String, help: &str) -> Error {
    Error::Input(Diagnostics::new(vec![
        Diagnostic::global(message).with_help(help.to_owned()),
    ]))
}
