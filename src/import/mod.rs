//! `arshif import`: bringing an existing archive in as articles of a site.
//! Every source is read and every problem found before anything is
//! written, so a failed import leaves the site as it was.

pub mod raw;

use std::path::{Path, PathBuf};

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
}

/// What an import did (or, with `dry_run`, would do).
#[derive(Debug, Default)]
pub struct Report {
    pub read: usize,
    /// Article files, relative to the site's root.
    pub written: Vec<PathBuf>,
    /// What a person may want to look at, one line each.
    pub notes: Vec<String>,
}

impl Report {
    /// The report as Markdown, as it is printed and kept beside content/.
    pub fn text(&self, dry_run: bool) -> String {
        let mut out = format!(
            "# Import\n\n- files read: {}\n- articles {}: {}\n",
            self.read,
            if dry_run { "to write" } else { "written" },
            self.written.len()
        );
        for path in &self.written {
            out.push_str(&format!("  - {}\n", path.display()));
        }
        if !self.notes.is_empty() {
            out.push_str("\n## To look at\n\n");
            for note in &self.notes {
                out.push_str(&format!("- {note}\n"));
            }
        }
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
    let tz = site_timezone(&opts.root);
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
    let mut report = Report::default();
    for source in &opts.sources {
        report.read += 1;
        match raw_article(source, opts, date, tz, &mut report.notes) {
            Ok(p) => planned.push(p),
            Err(d) => problems.push(d),
        }
    }
    for (i, p) in planned.iter().enumerate() {
        if planned[..i].iter().any(|q| q.path == p.path) {
            problems.push(
                Diagnostic::global(format!(
                    "two articles would be written to {}",
                    p.path.display()
                ))
                .with_help("give one of them another --title, or import them one at a time"),
            );
        } else if !opts.force && fs::exists(&opts.root.join(&p.path)) {
            problems.push(
                Diagnostic::global(format!("{} already exists", p.path.display()))
                    .with_help("nothing was written; use --force to replace it"),
            );
        }
    }
    if !problems.is_empty() {
        return Err(Error::Input(Diagnostics::new(problems)));
    }
    report.written = planned.iter().map(|p| p.path.clone()).collect();
    if opts.dry_run {
        return Ok(report);
    }
    for p in &planned {
        let path = opts.root.join(&p.path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        for (from, to) in &p.copies {
            fs::copy(from, &opts.root.join(to))?;
        }
        fs::write(&path, p.text.as_bytes())?;
    }
    fs::write(&opts.root.join(REPORT_FILE), report.text(false).as_bytes())?;
    Ok(report)
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
    let bytes = std::fs::read(source)
        .map_err(|e| problem(format!("cannot read it: {e}"), "check the path"))?;
    if bytes.contains(&0) {
        return Err(problem(
            "this is not a text file".into(),
            "give raw text files, one article each",
        ));
    }
    let text = String::from_utf8(bytes).map_err(|_| {
        problem(
            "this is not UTF-8 text".into(),
            "convert it to UTF-8 first (e.g. with iconv)",
        )
    })?;
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

fn site_timezone(root: &Path) -> FixedOffset {
    let path = root.join(config::FILE_NAME);
    std::fs::read_to_string(&path)
        .ok()
        .and_then(|text| config::Config::parse(&path, &text).ok())
        .map_or_else(|| FixedOffset::east_opt(0).expect("UTC"), |c| c.timezone)
}

fn global(message: String, help: &str) -> Error {
    Error::Input(Diagnostics::new(vec![
        Diagnostic::global(message).with_help(help.to_owned()),
    ]))
}
