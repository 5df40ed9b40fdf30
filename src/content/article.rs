//! An article: front matter and body of one source file, validated and
//! rendered once, with everything its pages need.

use std::path::{Path, PathBuf};

use chrono::Datelike;

use crate::config::{Config, Direction};
use crate::content::front_matter::{self, FrontMatter};
use crate::content::load;
use crate::content::source::{self, SourceFile};
use crate::content::spill::{Parked, Spill};
use crate::diagnostics::{Diagnostic, Span};
use crate::markdown;
use crate::text;
use crate::url::UrlPath;
use crate::yaml::Problem;

/// An article ready to render. A build's cache keeps all of it but the
/// rendered body (see `cache`), which is rendered again when a page needs it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Article {
    /// Relative to the site root.
    pub source: PathBuf,
    pub meta: FrontMatter,
    pub slug: String,
    /// `/2023/09/19/putin-beijing-visit/`
    pub url: UrlPath,
    /// The rendered body, or where to get it: see `body_html`.
    #[serde(skip)]
    pub body: Body,
    /// The summary as HTML when it is more than its text in a paragraph
    /// (`summary_html`): most are not, and a large archive holds them all.
    pub summary_markup: Option<String>,
    /// The summary as plain text: front matter `summary`, else the first paragraph.
    pub summary_text: String,
    /// Files beside the source to copy next to the page, by name.
    pub assets: Vec<String>,
    pub lang: String,
    pub direction: Direction,
    /// Words of the body, for reading time.
    pub words: usize,
    /// Links in the body to other articles, files and anchors, to check.
    pub links: Vec<BodyLink>,
    /// What will not show as written: raw HTML the sanitiser takes out
    /// (`<iframe>`, `onclick on <a>`), other generators' markup.
    pub unrendered: Vec<(markdown::Unshown, String, Span)>,
    /// Ids of the body's headings and footnotes.
    pub ids: Vec<String>,
    /// What each link to another article's file resolved to, in order.
    pub resolutions: Vec<(String, Option<String>)>,
    /// Where the body starts in the file's text (after front matter).
    pub body_start: usize,
    /// A hash of the file's text: what the article was made from.
    pub digest: u64,
}

/// Where an article's rendered body is. Large archives park it in a
/// temporary file; build caches keep articles without it, and the pages
/// that show it render it again from the file.
#[derive(Debug, Clone, Default)]
pub enum Body {
    Here(String),
    Parked(std::sync::Arc<Spill>, Parked),
    #[default]
    InFile,
}

/// A link in an article's body to somewhere in the site, and where it is.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BodyLink {
    pub dest: String,
    pub span: Span,
    /// Whether it was resolved to another article's page.
    pub resolved: bool,
}

/// An article whose front matter is read and whose URL is known, before
/// its body is rendered: the body's links to other articles need every
/// article's URL first. It owns its file, so that each file's text is
/// freed as soon as its article is finished.
pub struct Parsed {
    file: SourceFile,
    /// Where the body starts in the file's text.
    body_start: usize,
    body_line: usize,
    meta: FrontMatter,
    slug: String,
    url: UrlPath,
}

impl Article {
    /// Reads the front matter of `file` and works out its URL. Every
    /// problem of the file is returned; the article too, whenever it has a
    /// title, a date and a slug, so that its body's problems can be found
    /// in the same run.
    pub fn parse(file: SourceFile, config: &Config) -> (Option<Parsed>, Vec<Diagnostic>) {
        let diag = |p: Problem| to_diagnostic(&file, p);
        let split = match front_matter::split(&file.text) {
            Ok(split) => split,
            Err(p) => return (None, vec![diag(p)]),
        };
        let (meta, mut problems) = front_matter::read(&split, config.timezone);
        let slug = article_slug(&file, meta.as_ref()).map_err(|p| problems.push(p));
        let Some(meta) = meta else {
            return (None, problems.into_iter().map(diag).collect());
        };
        problems.extend(term_problems(&meta));
        if let Some(image) = &meta.image
            && !file.siblings.contains(&image.src)
            && is_local(&image.src)
        {
            problems.push(
                Problem::new(
                    image.span,
                    format!("image `{}` is not beside the article", image.src),
                )
                .help(format!(
                    "put the file in {} or correct the name",
                    file.path
                        .parent()
                        .map_or(String::from("the same folder"), |p| p.display().to_string())
                )),
            );
        }
        let problems: Vec<Diagnostic> = problems.into_iter().map(diag).collect();
        let Ok(slug) = slug else {
            return (None, problems);
        };
        let date = meta.date;
        let url = UrlPath::dir([
            format!("{:04}", date.year()),
            format!("{:02}", date.month()),
            format!("{:02}", date.day()),
            slug.clone(),
        ]);
        let (body_start, body_line) = (file.text.len() - split.body.len(), split.body_line);
        let parsed = Parsed {
            file,
            body_start,
            body_line,
            meta,
            slug,
            url,
        };
        (Some(parsed), problems)
    }

    /// When the article last changed: `updated`, else `date`.
    pub fn last_changed(&self) -> chrono::DateTime<chrono::FixedOffset> {
        self.meta
            .updated
            .unwrap_or(self.meta.date)
            .max(self.meta.date)
    }
}

/// A hash of an article file's text.
pub fn digest(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

fn to_diagnostic(file: &SourceFile, p: Problem) -> Diagnostic {
    let d = Diagnostic::error(&file.path, Some(p.span), p.message);
    match p.help {
        Some(h) => d.with_help(h),
        None => d,
    }
}

impl Parsed {
    pub fn url(&self) -> &UrlPath {
        &self.url
    }

    pub fn source(&self) -> &std::path::Path {
        &self.file.path
    }

    pub fn is_draft(&self) -> bool {
        self.meta.draft
    }

    /// Renders the body. `resolve` maps a link to another article's content
    /// path, as written in this file, to that article's page link. A draft
    /// read only up to its body reads its file (under `root`) again.
    pub fn finish(
        self,
        root: &Path,
        config: &Config,
        resolve: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Article, Diagnostic> {
        let Parsed {
            mut file,
            body_start,
            body_line,
            mut meta,
            slug,
            url,
        } = self;
        if file.head_only {
            file.text = load::read_again(root, &file.path)
                .and_then(Result::ok)
                .filter(|whole| whole.starts_with(&file.text))
                .ok_or_else(|| changed_while_built(&file.path))?;
        }
        let digest = digest(&file.text);
        let body = &file.text[body_start..];
        let resolutions = std::sync::Mutex::new(Vec::new());
        let rendered = markdown::render(body, config.raw_html, &config.embeds, &|dest| {
            let to = resolve(dest);
            resolutions
                .lock()
                .expect("no panics while locked")
                .push((dest.to_owned(), to.clone()));
            to
        });
        if let Some(deep) = rendered.too_deep {
            return Err(too_deep(&file.path, body, body_line, deep));
        }
        let mut assets: Vec<String> = rendered
            .local_refs
            .iter()
            .filter(|r| file.siblings.contains(r))
            .cloned()
            .collect();
        if let Some(image) = &meta.image
            && file.siblings.contains(&image.src)
        {
            assets.push(image.src.clone());
        }
        if file.bundle {
            assets.extend(file.siblings.iter().cloned());
        }
        assets.sort();
        assets.dedup();
        let span_of = |offset: usize| {
            let at = source::position(body, offset);
            Span::new(body_line + at.line - 1, at.col)
        };
        let links = rendered
            .links
            .into_iter()
            .map(|l| BodyLink {
                span: span_of(l.offset),
                dest: l.dest,
                resolved: l.resolved,
            })
            .collect();
        let unrendered = rendered
            .unrendered
            .into_iter()
            .map(|r| (r.kind, r.what, span_of(r.offset)))
            .collect();
        let (lang, direction) = match meta.lang.take() {
            Some(lang) => {
                let dir = Direction::of_language(&lang);
                (lang, dir)
            }
            None => (config.language.clone(), config.direction),
        };
        // Front matter's summary is text, shown as a paragraph.
        let (summary_text, summary_markup) = match &meta.summary {
            Some(s) => (s.clone(), None),
            None => {
                let (html, text) = (rendered.summary_html, rendered.summary_text);
                let markup = (html != paragraph(&text)).then_some(html);
                (text, markup)
            }
        };
        Ok(Article {
            source: file.path,
            summary_text,
            meta,
            slug,
            url,
            body: Body::Here(rendered.html),
            summary_markup,
            assets,
            lang,
            direction,
            words: rendered.words,
            links,
            unrendered,
            ids: rendered.ids,
            resolutions: resolutions.into_inner().expect("no panics while locked"),
            body_start,
            digest,
        })
    }
}

/// An article whose elements nest deeper than sanitising can afford.
fn too_deep(path: &Path, body: &str, body_line: usize, deep: markdown::TooDeep) -> Diagnostic {
    let at = source::position(body, deep.offset);
    Diagnostic::error(
        path,
        Some(Span::new(body_line + at.line - 1, at.col)),
        format!(
            "quotes, lists or HTML elements are nested {} deep here; at most {}",
            text::thousands(deep.depth),
            markdown::MAX_DEPTH
        ),
    )
    .with_help("this is usually a pasting mistake: remove the extra `>` or list markers, or close the HTML tags")
}

/// A file read twice in one build, that was not the same the second time.
fn changed_while_built(path: &Path) -> Diagnostic {
    Diagnostic::error(path, None, "this file changed while the site was built")
        .with_help("build again; if this repeats, build with --clean")
}

/// `text` as the HTML of a paragraph.
fn paragraph(text: &str) -> String {
    format!("<p>{}</p>", text::escape_html(text))
}

impl Article {
    /// The summary as HTML: the first paragraph as rendered, or the
    /// front matter's summary in a paragraph.
    pub fn summary_html(&self) -> std::borrow::Cow<'_, str> {
        match &self.summary_markup {
            Some(html) => std::borrow::Cow::Borrowed(html),
            None => std::borrow::Cow::Owned(paragraph(&self.summary_text)),
        }
    }

    /// The rendered body: kept, parked, or rendered again from the file,
    /// whose links to other articles resolve as they did the first time.
    pub fn body_html(
        &self,
        root: &Path,
        config: &Config,
    ) -> Result<std::borrow::Cow<'_, str>, Diagnostic> {
        match &self.body {
            Body::Here(html) => return Ok(std::borrow::Cow::Borrowed(html)),
            Body::Parked(spill, at) => {
                return spill
                    .fetch(*at)
                    .map(std::borrow::Cow::Owned)
                    .map_err(|e| Diagnostic::global(e.to_string()));
            }
            Body::InFile => {}
        }
        let changed = || changed_while_built(&self.source);
        let text = load::read_again(root, &self.source).ok_or_else(changed)??;
        if digest(&text) != self.digest {
            return Err(changed());
        }
        let body = &text[self.body_start..];
        // A link resolves the same wherever it is in the file.
        let rendered = markdown::render(body, config.raw_html, &config.embeds, &|dest| {
            self.resolutions
                .iter()
                .find(|(d, _)| d == dest)
                .and_then(|(_, to)| to.clone())
        });
        Ok(std::borrow::Cow::Owned(rendered.html))
    }
}

fn is_local(src: &str) -> bool {
    !src.starts_with('/') && !src.contains("://")
}

/// The front-matter `slug` as written (it must already be safe), else the
/// file name made into a slug.
fn article_slug(file: &SourceFile, meta: Option<&FrontMatter>) -> Result<String, Problem> {
    if let Some((slug, span)) = meta.and_then(|m| m.slug.as_ref()) {
        return if let Some(len) = text::segment_too_long(slug) {
            Err(too_long(
                *span,
                "this slug",
                len,
                "shorten it; Arabic letters take two bytes each",
            ))
        } else if text::is_valid_slug(slug) {
            Ok(slug.clone())
        } else {
            let suggestion = text::slugify(slug);
            let help = if suggestion.is_empty() {
                "use letters, digits and `-`, e.g. `slug: putin-beijing-visit`".to_owned()
            } else {
                format!("use letters, digits and `-` only, e.g. `slug: {suggestion}`")
            };
            Err(Problem::new(*span, format!("slug `{slug}` cannot be used in a URL")).help(help))
        };
    }
    let stem = file
        .path
        .file_stem()
        .map(|s| s.to_string_lossy())
        .unwrap_or_default();
    let slug = text::slugify(&stem);
    if slug.is_empty() {
        Err(Problem::new(
            Span::new(1, 1),
            format!("cannot make a URL from the file name `{stem}`"),
        )
        .help("rename the file with letters or digits, or add `slug: ...` to the front matter"))
    } else if let Some(len) = text::segment_too_long(&slug) {
        Err(too_long(
            Span::new(1, 1),
            "the slug made from the file name",
            len,
            "add a shorter `slug: ...` to the front matter, or rename the file",
        ))
    } else {
        Ok(slug)
    }
}

/// A name whose page folder would be longer than file systems allow.
fn too_long(span: Span, what: &str, len: usize, help: &str) -> Problem {
    Problem::new(
        span,
        format!(
            "{what} is {len} bytes; at most {} (it names the page's folder)",
            text::MAX_SEGMENT
        ),
    )
    .help(help)
}

/// Tags, authors and sources become pages; a name with no letters or digits
/// would have no URL.
fn term_problems(meta: &FrontMatter) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut check = |key: &str, names: &[String]| {
        let span = meta.spans.get(key).copied().unwrap_or(Span::new(2, 1));
        for name in names {
            let slug = text::slugify(name);
            if let Some(len) = text::segment_too_long(&slug) {
                let what = format!(
                    "the page name of `{key}` entry `{}`",
                    text::truncate(name, 30)
                );
                problems.push(too_long(
                    span,
                    &what,
                    len,
                    "shorten the name; Arabic letters take two bytes each",
                ));
            } else if slug.is_empty() {
                problems.push(
                    Problem::new(
                        span,
                        format!(
                            "`{key}` entry `{name}` has no letters or digits to make a page from"
                        ),
                    )
                    .help("remove it, or write the name with letters"),
                );
            }
        }
    };
    check("tags", &meta.tags);
    check("author", &meta.authors);
    if let Some(source) = &meta.source {
        check("source", std::slice::from_ref(&source.name));
    }
    problems
}
