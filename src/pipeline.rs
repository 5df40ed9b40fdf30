//! The build, top to bottom: config → content → index → plan → render →
//! output. Each step takes what the one before made and returns its value
//! with its problems; problems from every step are gathered before the
//! build stops, so one run reports all of them. Nothing here knows of
//! caches: incremental builds (`incremental`) wrap these steps.

use std::borrow::Cow;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::config::{self, Config};
use crate::content::article::Parsed;
use crate::content::spill::Spill;
use crate::content::{Article, Body, load};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::{Error, Result};
use crate::images::Images;
use crate::index::{SiteIndex, links};
use crate::markdown::Unshown;
use crate::output::Sink;
use crate::plan::{self, PlannedPage};
use crate::render::{self, Templates};
use crate::url::BaseUrl;
use crate::{fs, theme};

pub const STATIC_DIR: &str = "static";

/// Source bytes read at once beyond which rendered bodies are not kept in
/// memory (an archive of some 30,000 articles).
pub const BODY_BUDGET: u64 = 256 << 20;

#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site's folder (site.yaml, content/, templates/, static/).
    pub root: PathBuf,
    /// Where the site is written; default `root/public`.
    pub output: Option<PathBuf>,
    /// Overrides site.yaml's `base_url`.
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Ignore the previous build and write everything anew.
    pub clean: bool,
    /// Source bytes beyond which only front matter is read first and
    /// rendered bodies are parked in a temporary file (`BODY_BUDGET`).
    pub body_budget: u64,
}

impl BuildOptions {
    /// The options the site is made from (its folder, base URL, drafts),
    /// without those that say where it goes and how the build runs: what
    /// a build remembers them by.
    pub fn shaping(&self) -> (&Path, &Option<String>, bool) {
        let BuildOptions {
            root,
            output: _,
            base_url,
            drafts,
            clean: _,
            body_budget: _,
        } = self;
        (root, base_url, *drafts)
    }

    pub fn new(root: impl Into<PathBuf>) -> BuildOptions {
        BuildOptions {
            root: root.into(),
            output: None,
            base_url: None,
            drafts: false,
            clean: false,
            body_budget: BODY_BUDGET,
        }
    }

    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

/// A site loaded, checked and planned: everything its output is made from.
pub struct Site {
    pub root: PathBuf,
    pub config: Config,
    pub templates: Arc<Templates>,
    pub index: SiteIndex,
    /// Articles held back as unpublished drafts: read and checked, with no
    /// pages.
    pub held: Vec<Arc<Article>>,
    pub pages: Vec<PlannedPage>,
    /// Every file of the site that is not a page.
    pub files: Vec<SiteFile>,
    /// The images articles show, with their resized copies.
    pub images: Images,
    /// What will not render as the author meant; the build goes on.
    pub warnings: Vec<Diagnostic>,
}

/// A file of the site that is not a page.
#[derive(Debug, Clone)]
pub struct SiteFile {
    /// `/`-separated, relative to the output folder.
    pub path: String,
    pub from: FileSource,
}

#[derive(Debug, Clone)]
pub enum FileSource {
    /// A default theme file, .nojekyll, CNAME.
    Bytes(Cow<'static, [u8]>),
    /// A static file or an article's asset, copied as it is.
    Copy(PathBuf),
    /// A file the previous build wrote, with the fingerprint it had then,
    /// kept as it is (a part of the search index whose articles did not
    /// change).
    Kept(u64),
    /// A file of the image cache (a resized image, an original without its
    /// metadata), whose name says what it holds:
    /// linked where the file system allows it, else copied.
    Cached(PathBuf),
    /// A file this build made in a folder of its own (the search index's
    /// spool), with the fingerprint of its bytes: linked where the file
    /// system allows it, else copied.
    Spooled { path: PathBuf, fingerprint: u64 },
}

/// What a build made.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuildReport {
    pub articles: usize,
    pub pages: usize,
    /// Files of the whole site, and their size.
    pub files: usize,
    pub bytes: u64,
    /// Pages rendered this time; the others were as the previous build
    /// left them.
    pub rendered: usize,
    /// Resized images encoded by this build, and taken from the image cache.
    pub images_encoded: usize,
    pub images_reused: usize,
}

/// Hooks for showing progress; the library itself never prints.
pub trait Progress: Sync {
    fn start(&self, _pages: usize) {}
    fn page_done(&self) {}
    /// Another build is writing the same output; this one waits for it.
    fn waiting(&self, _holder: &str) {}
}

impl Progress for () {}

/// Problems gathered from every step.
#[derive(Default)]
pub struct Problems(Vec<Diagnostic>);

impl Problems {
    pub fn add(&mut self, problems: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(problems);
    }

    /// The value of a step that either worked or has problems.
    pub fn take<T>(&mut self, step: std::result::Result<T, Vec<Diagnostic>>) -> Option<T> {
        step.map_err(|p| self.add(p)).ok()
    }

    /// The warnings, when no step had an error; else every problem.
    pub fn finish(self) -> Result<Vec<Diagnostic>> {
        if self.0.iter().any(Diagnostic::is_error) {
            Err(Error::Input(Diagnostics::new(self.0)))
        } else {
            Ok(self.0)
        }
    }
}

/// Loads, checks and plans the site at `opts.root`.
pub fn load(opts: &BuildOptions) -> Result<Site> {
    let root = opts.root.as_path();
    let mut problems = Problems::default();
    let config = problems
        .take(read_config(opts))
        .unwrap_or_else(Config::fallback);
    problems.add(config.warnings.iter().cloned());
    let templates = problems.take(Templates::load(root, &config));
    let found = scan(root, &mut problems)?;
    let large = large(&found, opts);
    let (parsed, p) = parse(root, &found, large, &config)?;
    problems.add(p);
    let urls = urls(&parsed, opts.drafts);
    let (articles, p) = finish(root, parsed, &urls, &config, opts, large)?;
    problems.add(p);
    problems.add(check_articles(&articles));
    let (published, held) = split_held(articles);
    let (index, p) = SiteIndex::build(published, &config, None);
    problems.add(p);
    problems.add(crate::index::taxonomy::crowded(
        &index.articles,
        &config.taxonomies,
    ));
    let (pages, p) = plan::plan(&index, &config);
    problems.add(p);
    let (images, files, p) = files(opts, &index, &pages, &config)?;
    problems.add(p);
    let warnings = problems.finish()?;
    Ok(Site {
        root: root.to_path_buf(),
        config,
        templates: loaded(templates.map(Arc::new))?,
        index,
        held,
        pages,
        files,
        images,
        warnings,
    })
}

/// Templates that loaded; those that did not are among the problems,
/// which stop the build before this is asked.
pub fn loaded(templates: Option<Arc<Templates>>) -> Result<Arc<Templates>> {
    templates.ok_or_else(|| {
        Error::Input(Diagnostics::new(vec![Diagnostic::global(
            "the templates could not be loaded",
        )]))
    })
}

/// Builds the site at `opts.root` anew into `sink`: every page and file.
pub fn build(opts: &BuildOptions, sink: &dyn Sink, progress: &dyn Progress) -> Result<Built> {
    build_spooling(opts, None, sink, progress)
}

/// `build`, with the search index made through `spool` (`search_files`).
pub fn build_spooling(
    opts: &BuildOptions,
    spool: Option<&Path>,
    sink: &dyn Sink,
    progress: &dyn Progress,
) -> Result<Built> {
    let mut site = load(opts)?;
    let search = search_files(&site, spool, &|_| true)?;
    let search_paths = search
        .iter()
        .map(|(_, files)| files.iter().map(|f| f.path.clone()).collect())
        .collect();
    site.files
        .extend(search.into_iter().flat_map(|(_, files)| files));
    site.files.extend(search_parts_file(&site));
    let pages: Vec<&PlannedPage> = site.pages.iter().collect();
    let files: Vec<&SiteFile> = site.files.iter().collect();
    let written = write(&site, &pages, &files, &[], sink, progress)?;
    Ok(Built {
        site,
        written,
        search: search_paths,
    })
}

/// A site and what was written of it.
pub struct Built {
    pub site: Site,
    pub written: Written,
    /// The search index's files among the site's, by part.
    pub search: Vec<Vec<String>>,
}

/// The files a build wrote, with their size, by output path.
#[derive(Debug, Default)]
pub struct Written {
    pub sizes: rustc_hash::FxHashMap<String, u64>,
    pub pages: usize,
}

/// Renders `pages` and hands them, with `files`, to `sink`, which also
/// keeps the previous build's files at `kept` as they are.
pub fn write(
    site: &Site,
    pages: &[&PlannedPage],
    files: &[&SiteFile],
    kept: &[&str],
    sink: &dyn Sink,
    progress: &dyn Progress,
) -> Result<Written> {
    progress.start(pages.len());
    let mut dirs = pages
        .iter()
        .map(|p| Path::new(&*p.path))
        .chain(files.iter().map(|f| Path::new(&f.path)))
        .chain(kept.iter().map(|k| Path::new(*k)))
        .filter_map(Path::parent);
    sink.prepare(&mut dirs)?;
    let sizes = std::sync::Mutex::new(rustc_hash::FxHashMap::with_capacity_and_hasher(
        pages.len() + files.len(),
        Default::default(),
    ));
    let note = |path: &str, size: u64| {
        sizes
            .lock()
            .expect("no panics while locked")
            .insert(path.to_owned(), size);
    };
    let input = render::Input {
        root: &site.root,
        index: &site.index,
        config: &site.config,
        templates: &site.templates,
        images: &site.images,
    };
    let rendered = AtomicUsize::new(0);
    render::render(input, pages, &|page, bytes| {
        note(&page.path, bytes.len() as u64);
        sink.write(&page.path, bytes)?;
        rendered.fetch_add(1, Ordering::Relaxed);
        progress.page_done();
        Ok(())
    })?;
    files.par_iter().try_for_each(|f| {
        let size = match &f.from {
            FileSource::Bytes(b) => {
                sink.write(&f.path, b.to_vec())?;
                b.len() as u64
            }
            FileSource::Copy(from) => sink.copy(from, &f.path)?,
            // A kept file's fingerprint is as before, so the diff keeps it.
            FileSource::Kept(_) => {
                return Err(Error::Io {
                    action: "cannot keep",
                    path: f.path.clone().into(),
                    source: std::io::Error::other("the previous build did not leave it"),
                });
            }
            FileSource::Cached(from) => sink.link_or_copy(from, &f.path)?,
            FileSource::Spooled { path, .. } => sink.link_made(path, &f.path)?,
        };
        note(&f.path, size);
        Ok::<_, Error>(())
    })?;
    sink.keep_all(kept)?;
    Ok(Written {
        sizes: sizes.into_inner().expect("no panics while locked"),
        pages: rendered.into_inner(),
    })
}

/// Loads, checks and renders everything, writing nothing: what `build`
/// would report, without touching the output.
pub fn check(opts: &BuildOptions) -> Result<(Site, BuildReport)> {
    let built = build(opts, &crate::output::Nowhere, &())?;
    let sizes = built.written.sizes.values().copied();
    let report = BuildReport::new(&built.site, built.written.pages, sizes);
    Ok((built.site, report))
}

impl BuildReport {
    /// The report of `site`, whose files have `sizes`, with `rendered`
    /// pages rendered this time.
    pub fn new(site: &Site, rendered: usize, sizes: impl Iterator<Item = u64>) -> BuildReport {
        let (files, bytes) = sizes.fold((0, 0), |(n, total), size| (n + 1, total + size));
        BuildReport {
            articles: site.index.articles.len(),
            pages: site.pages.len(),
            files,
            bytes,
            rendered,
            images_encoded: site.images.encoded,
            images_reused: site.images.reused,
        }
    }
}

// ── The steps ──

/// site.yaml, with `--base-url` applied.
pub fn read_config(opts: &BuildOptions) -> std::result::Result<Config, Vec<Diagnostic>> {
    let path = opts.root.join(config::FILE_NAME);
    if !path.is_file() {
        return Err(vec![
            Diagnostic::global(format!(
                "there is no {} in {}",
                config::FILE_NAME,
                opts.root.display()
            ))
            .with_help(
                "run arshif in the site's folder or pass --root; `arshif new DIR` creates a site",
            ),
        ]);
    }
    let bytes = fs::read(&path).map_err(|e| vec![Diagnostic::global(e.to_string())])?;
    let text = String::from_utf8(bytes).map_err(|_| {
        vec![Diagnostic::error(
            config::FILE_NAME,
            None,
            "site.yaml is not UTF-8 text",
        )]
    })?;
    let mut config = Config::parse(Path::new(config::FILE_NAME), &text)?;
    if let Some(url) = &opts.base_url {
        config.base_url = BaseUrl::parse(url).map_err(|m| {
            vec![
                Diagnostic::global(format!("--base-url: {m}"))
                    .with_help("e.g. --base-url https://user.github.io/archive/"),
            ]
        })?;
    }
    Ok(config)
}

/// Every article file under content/, unread.
pub fn scan(root: &Path, problems: &mut Problems) -> Result<Vec<load::Found>> {
    let dir = root.join(load::CONTENT_DIR);
    if !dir.is_dir() {
        problems.add([Diagnostic::global(format!(
            "there is no content folder at {}",
            dir.display()
        ))
        .with_help("run arshif in the site's folder or pass --root; `arshif new DIR` creates a site")]);
        return Ok(Vec::new());
    }
    let (found, p) = load::scan(root)?;
    problems.add(p);
    Ok(found)
}

/// Whether the files found are more than the body budget: then only
/// their front matter is read first, and rendered bodies are parked.
pub fn large(found: &[load::Found], opts: &BuildOptions) -> bool {
    found.iter().map(|f| f.len).sum::<u64>() > opts.body_budget
}

/// Reads the files found (when `large`, only their front matter) and works
/// out each article's URL.
pub fn parse(
    root: &Path,
    found: &[load::Found],
    large: bool,
    config: &Config,
) -> Result<(Vec<Parsed>, Vec<Diagnostic>)> {
    let read: Vec<Result<(Option<Parsed>, Vec<Diagnostic>)>> = found
        .par_iter()
        .map(|f| {
            let file = if large {
                load::read_head(root, f)?
            } else {
                load::read(root, f)?
            };
            Ok(match file {
                Ok(file) => Article::parse(file, config),
                Err(d) => (None, vec![d]),
            })
        })
        .collect();
    let mut parsed = Vec::with_capacity(read.len());
    let mut problems = Vec::new();
    for r in read {
        let (p, d) = r?;
        parsed.extend(p);
        problems.extend(d);
    }
    Ok((parsed, problems))
}

/// Every article's URL and whether it is held back, by file.
pub fn urls(parsed: &[Parsed], drafts: bool) -> links::Urls<'static> {
    parsed
        .iter()
        .map(|p| {
            let held = p.is_draft() && !drafts;
            let url = Cow::Owned(p.url().clone());
            (Cow::Owned(p.source().to_path_buf()), (url, held))
        })
        .collect()
}

/// Renders the bodies of `parsed`, resolving links to other articles
/// through `urls` (which has every article of the site).
pub fn finish(
    root: &Path,
    parsed: Vec<Parsed>,
    urls: &links::Urls<'_>,
    config: &Config,
    opts: &BuildOptions,
    large: bool,
) -> Result<(Vec<Finished>, Vec<Diagnostic>)> {
    let spill = large.then(Spill::new).transpose()?.map(Arc::new);
    let done: Vec<Result<std::result::Result<Finished, Diagnostic>>> = parsed
        .into_par_iter()
        .map(|p| {
            let path = p.source().to_path_buf();
            let held = p.is_draft() && !opts.drafts;
            let resolve = |dest: &str| links::resolve(urls, &config.base_url, &path, held, dest);
            let mut article = match p.finish(root, config, &resolve) {
                Ok(a) => a,
                Err(d) => return Ok(Err(d)),
            };
            if let (Some(spill), Body::Here(html)) = (&spill, &article.body) {
                article.body = Body::Parked(Arc::clone(spill), spill.park(html)?);
            }
            Ok(Ok(Finished {
                article: Arc::new(article),
                held,
            }))
        })
        .collect();
    let mut finished = Vec::with_capacity(done.len());
    let mut problems = Vec::new();
    for r in done {
        match r? {
            Ok(f) => finished.push(f),
            Err(d) => problems.push(d),
        }
    }
    Ok((finished, problems))
}

/// An article with its body rendered, and whether it is held back as an
/// unpublished draft.
#[derive(Debug, Clone)]
pub struct Finished {
    pub article: Arc<Article>,
    pub held: bool,
}

/// What every article read will not show as written (warnings), and
/// links that lead nowhere.
pub fn check_articles(articles: &[Finished]) -> Vec<Diagnostic> {
    let mut problems = unrendered(articles);
    problems.extend(check_links(articles));
    problems
}

/// A warning for each piece of an article that will not show as its
/// author meant, where it is written.
fn unrendered(articles: &[Finished]) -> Vec<Diagnostic> {
    articles
        .iter()
        .flat_map(|f| {
            f.article.unrendered.iter().map(|(kind, what, span)| {
                let (message, help) = match kind {
                    Unshown::Sanitised => (
                        format!("{what} is removed from this article's HTML"),
                        "raw_html in site.yaml is `sanitize`; set it to `allow` if every article's HTML is trusted",
                    ),
                    Unshown::Shortcode => (
                        format!("{what} is not processed: it shows as text"),
                        "arshif has no shortcodes; write it as Markdown (an image, a link on its own line)",
                    ),
                    Unshown::Liquid => (
                        format!("{what} is not processed: it shows as text"),
                        "arshif has no Liquid; write it as Markdown, or put it in `code` if it is meant to show",
                    ),
                    Unshown::AttributeList => (
                        format!("{what} is not processed: it shows as text"),
                        "remove it; a heading takes an id as `## Title {#id}`",
                    ),
                };
                Diagnostic::error(&f.article.source, Some(*span), message)
                    .with_help(help)
                    .warning()
            })
        })
        .collect()
}

/// Links that lead nowhere, in every article read.
fn check_links(articles: &[Finished]) -> Vec<Diagnostic> {
    let all: Vec<&Article> = articles.iter().map(|f| f.article.as_ref()).collect();
    let unpublished: HashSet<PathBuf> = articles
        .iter()
        .filter(|f| f.held)
        .map(|f| f.article.source.clone())
        .collect();
    links::check(&all, &unpublished)
}

/// Published articles, and those held back.
pub fn split_held(articles: Vec<Finished>) -> (Vec<Arc<Article>>, Vec<Arc<Article>>) {
    let (held, published): (Vec<Finished>, Vec<Finished>) =
        articles.into_iter().partition(|f| f.held);
    (
        published.into_iter().map(|f| f.article).collect(),
        held.into_iter().map(|f| f.article).collect(),
    )
}

/// The images the site's articles show, read, with the copies the image
/// cache beside the output lacked made; and the site's other files
/// (`site_files`).
pub fn files(
    opts: &BuildOptions,
    index: &SiteIndex,
    pages: &[PlannedPage],
    config: &Config,
) -> Result<(Images, Vec<SiteFile>, Vec<Diagnostic>)> {
    let statics = crate::output::list_files(&opts.root.join(STATIC_DIR))?;
    // The JPEG, PNG and WebP files the site publishes as they are named.
    let is_raster = |name: &str| {
        use crate::images::Format;
        matches!(
            Format::of_name(name),
            Some(Format::Jpeg | Format::Png | Format::Webp)
        )
    };
    let in_static = statics
        .iter()
        .filter(|rel| is_raster(&rel.to_string_lossy()))
        .map(|rel| Path::new(STATIC_DIR).join(rel));
    let beside = index.articles.iter().flat_map(|a| {
        let folder = a.source.parent().unwrap_or(Path::new(""));
        a.assets
            .iter()
            .filter(|name| is_raster(name))
            .map(move |name| folder.join(name))
    });
    let published: Vec<PathBuf> = in_static.chain(beside).collect();
    let cache = crate::images::cache::dir(&opts.output_dir());
    let (images, mut problems) = crate::images::prepare(
        &opts.root,
        &cache,
        &index.articles,
        &published,
        &config.images,
    )?;
    let (files, p) = site_files(&opts.root, &statics, index, pages, &images, config)?;
    problems.extend(p);
    Ok((images, files, problems))
}

/// Static files (`statics`, relative to static/), article assets,
/// resized images, default theme files, .nojekyll and CNAME, with the
/// problems of files that would land on a page or an image that is not
/// there.
fn site_files(
    root: &Path,
    statics: &[PathBuf],
    index: &SiteIndex,
    pages: &[PlannedPage],
    images: &Images,
    config: &Config,
) -> Result<(Vec<SiteFile>, Vec<Diagnostic>)> {
    // Made only if there is a file to check: most articles have none.
    let page_files = std::cell::LazyCell::new(|| {
        pages
            .iter()
            .map(|p| &*p.path)
            .collect::<rustc_hash::FxHashSet<&str>>()
    });
    let mut files = Vec::new();
    let mut problems = Vec::new();
    // A published original is its copy without metadata, when it has one.
    let source = |file: PathBuf| match images.original(&file) {
        Some(bare) => FileSource::Cached(bare.clone()),
        None => FileSource::Copy(root.join(file)),
    };
    for rel in statics {
        let path = crate::output::key(rel);
        if page_files.contains(path.as_str()) {
            problems.push(
                Diagnostic::error(
                    Path::new(STATIC_DIR).join(rel),
                    None,
                    format!("this file would replace the page {path}"),
                )
                .with_help("rename or remove it; pages are generated from content/"),
            );
        }
        files.push(SiteFile {
            path,
            from: source(Path::new(STATIC_DIR).join(rel)),
        });
    }
    for a in index.articles.iter().filter(|a| !a.assets.is_empty()) {
        let folder = a.source.parent().unwrap_or(Path::new(""));
        let page_dir = a.url.output_key();
        let page_dir = page_dir.trim_end_matches("index.html");
        for name in &a.assets {
            let path = format!("{page_dir}{name}");
            if page_files.contains(path.as_str()) {
                problems.push(
                    Diagnostic::error(
                        folder.join(name),
                        None,
                        format!("this file would replace the page {path}"),
                    )
                    .with_help(
                        "rename it; a file beside an article is copied next to the article's page",
                    ),
                );
            }
            files.push(SiteFile {
                path,
                from: source(folder.join(name)),
            });
        }
    }
    // Resized images go beside their originals, under names no file of
    // the site has.
    let mut copied: rustc_hash::FxHashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let mut resized = Vec::with_capacity(images.files.len());
    for (path, from) in &images.files {
        if page_files.contains(path.as_str()) || copied.contains(path.as_str()) {
            problems.push(
                Diagnostic::global(format!(
                    "a resized image would replace the file or page {path}"
                ))
                .with_help("rename that file; resized images are named `NAME-WIDTHw-HASH.webp`"),
            );
        }
        resized.push(SiteFile {
            path: path.clone(),
            from: FileSource::Cached(from.clone()),
        });
    }
    copied.extend(images.files.iter().map(|(p, _)| p.as_str()));
    // An image from the site's root must be one of the site's files.
    let is_file =
        |key: &str| copied.contains(key) || theme::site_files(config.font).any(|(t, _)| *t == key);
    for a in &index.articles {
        if let Some(img) = &a.meta.image
            && let Some(rooted) = img.src.strip_prefix('/')
            && !is_file(rooted)
        {
            problems.push(
                Diagnostic::error(
                    &a.source,
                    Some(img.span),
                    format!("image `{}` is not in static/", img.src),
                )
                .with_help(format!(
                    "put the file at static/{rooted}, or correct the path"
                )),
            );
        }
    }
    problems.extend(rooted_links(index, &|key| {
        page_files.contains(key) || is_file(key)
    }));
    // Default theme files unless the site's own static/ has them.
    let defaults: Vec<SiteFile> = theme::site_files(config.font)
        .filter(|(rel, _)| !copied.contains(*rel))
        .filter(|(rel, _)| config.search || *rel != crate::search::SCRIPT)
        .map(|(rel, data)| SiteFile {
            path: (*rel).to_owned(),
            from: FileSource::Bytes(Cow::Borrowed(*data)),
        })
        .collect();
    files.extend(resized);
    files.extend(defaults);
    files.push(SiteFile {
        path: ".nojekyll".into(),
        from: FileSource::Bytes(Cow::Borrowed(b"")),
    });
    if let Some(cname) = &config.cname {
        files.push(SiteFile {
            path: "CNAME".into(),
            from: FileSource::Bytes(Cow::Owned(format!("{cname}\n").into_bytes())),
        });
    }
    Ok((files, problems))
}

/// Links written from the site's root (`/tags/روسيا/`) that lead to no
/// page or file of the site: warnings.
fn rooted_links(index: &SiteIndex, exists: &dyn Fn(&str) -> bool) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for a in &index.articles {
        for link in a
            .links
            .iter()
            .filter(|l| crate::markdown::is_rooted(&l.dest))
        {
            let path = crate::markdown::local_path(&link.dest);
            let rel = path.trim_start_matches('/');
            let found = if rel.is_empty() || rel.ends_with('/') {
                exists(&format!("{rel}index.html"))
            } else {
                // A folder named without its final `/` is served all the same.
                exists(rel) || exists(&format!("{rel}/index.html"))
            };
            if !found {
                problems.push(
                    Diagnostic::error(
                        &a.source,
                        Some(link.span),
                        format!("link to `{}`: the site has no page or file there", link.dest),
                    )
                    .with_help(
                        "a link from the site's root leads to a page (`/tags/روسيا/`) or a file of static/ (`/images/a.jpg`); link to another article by its file (`../2023/other.md`)",
                    )
                    // Archives brought from other generators hold thousands
                    // of these; the site still builds, and each is named.
                    .warning(),
                );
            }
        }
    }
    problems
}

/// The files of the search index's parts that `make` wants (by number,
/// `search::parts`), by part, each part's sorted by path; none without
/// `search`. With `spool`, a folder of their own beside the output, each
/// part's files are written there as soon as it is made and the site
/// takes them from there: an archive's index is hundreds of megabytes
/// that the build then does not hold.
pub fn search_files(
    site: &Site,
    spool: Option<&Path>,
    make: &dyn Fn(usize) -> bool,
) -> Result<Vec<(usize, Vec<SiteFile>)>> {
    if !site.config.search {
        return Ok(Vec::new());
    }
    let parts = crate::search::parts(&site.index.articles, site.config.search_part.get());
    let mut made = Vec::new();
    for (i, articles) in parts.into_iter().enumerate().filter(|(i, _)| make(*i)) {
        let mut files = Vec::new();
        for (path, bytes) in crate::search::part_files(i, articles, &site.root, &site.config)? {
            let from = match spool {
                None => FileSource::Bytes(Cow::Owned(bytes)),
                Some(spool) => {
                    let to = spool.join(&path);
                    if let Some(dir) = to.parent() {
                        crate::fs::create_dir_all(dir)?;
                    }
                    crate::fs::write(&to, &bytes)?;
                    FileSource::Spooled {
                        path: to,
                        fingerprint: crate::incremental::manifest::bytes_fingerprint(&bytes),
                    }
                }
            };
            files.push(SiteFile { path, from });
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        made.push((i, files));
    }
    Ok(made)
}

/// `pagefind/parts.json` for the site's index; none without `search`.
pub fn search_parts_file(site: &Site) -> Option<SiteFile> {
    site.config.search.then(|| {
        let count = crate::search::parts(&site.index.articles, site.config.search_part.get()).len();
        let (path, bytes) = crate::search::parts_file(count);
        SiteFile {
            path,
            from: FileSource::Bytes(Cow::Owned(bytes)),
        }
    })
}

/// GitHub Pages refuses to publish sites over 1 GB.
pub const PAGES_LIMIT: u64 = 1_000_000_000;

/// A warning when a site of `bytes` comes within a tenth of the GitHub
/// Pages limit, or passes it.
pub fn size_warning(bytes: u64) -> Option<Diagnostic> {
    (bytes >= PAGES_LIMIT / 10 * 9).then(|| {
        Diagnostic::global(format!(
            "the site is {} MB; GitHub Pages publishes sites of at most 1,000 MB",
            bytes / 1_000_000
        ))
        .with_help("leave out term feeds or large files, or publish the archive elsewhere")
        .warning()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warns_near_the_pages_limit() {
        assert!(size_warning(899_000_000).is_none());
        let w = size_warning(912_000_000).unwrap();
        assert!(!w.is_error());
        assert_eq!(
            w.message,
            "the site is 912 MB; GitHub Pages publishes sites of at most 1,000 MB"
        );
        assert!(size_warning(1_200_000_000).is_some());
    }
}
