//! The build pipeline, top to bottom: config → content → index → templates
//! → pages → output. Problems in the input are collected from every step
//! before the build stops, so one run reports all of them.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::config::{self, Config};
use crate::content::load;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::{Error, Result};
use crate::index::SiteIndex;
use crate::output::{self, Sink};
use crate::render::{self, Page, Templates};
use crate::url::BaseUrl;
use crate::{cache, fs, theme};

pub const STATIC_DIR: &str = "static";

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
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> BuildOptions {
        BuildOptions {
            root: root.into(),
            output: None,
            base_url: None,
            drafts: false,
            clean: false,
        }
    }

    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

/// A site loaded and validated, ready to render.
pub struct Site {
    pub root: PathBuf,
    pub config: Config,
    pub index: SiteIndex,
    pub templates: std::sync::Arc<Templates>,
    pub pages: Vec<Page>,
    /// Each page's output path, `/`-separated (`2023/09/19/x/index.html`).
    pub keys: Vec<String>,
    /// Files copied as they are: (source, path in the output).
    pub copies: Copies,
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
}

/// Hooks for showing progress; the library itself never prints.
pub trait Progress: Sync {
    fn start(&self, _pages: usize) {}
    fn page_done(&self) {}
}

impl Progress for () {}

/// Loads and checks everything; writes nothing.
pub fn load_site(opts: &BuildOptions) -> Result<Site> {
    let update = crate::incremental::Incremental::default().update(opts, &|_| None)?;
    Ok(update.site)
}

/// The problem of a site without `content/`, if it is one.
pub(crate) fn content_missing(root: &Path) -> Option<Diagnostic> {
    let dir = root.join(load::CONTENT_DIR);
    (!dir.is_dir()).then(|| {
        Diagnostic::global(format!("there is no content folder at {}", dir.display())).with_help(
            "run arshif in the site's folder or pass --root; `arshif new DIR` creates a site",
        )
    })
}

/// Every page of the site with its output path, with the problems of
/// pages that would land on the same file (`plan_copies` then adds the
/// files copied as they are).
pub(crate) fn plan_pages(
    index: &SiteIndex,
    config: &Config,
    problems: &mut Vec<Diagnostic>,
) -> (Vec<Page>, Vec<String>) {
    let pages = render::plan(index, config);
    let keys: Vec<String> = pages.par_iter().map(|p| p.url.output_key()).collect();
    problems.extend(render::path_clashes(&pages, &keys, index));
    (pages, keys)
}

pub(crate) fn load_config(opts: &BuildOptions) -> std::result::Result<Config, Vec<Diagnostic>> {
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

/// Files copied as they are: (source, path in the output).
pub type Copies = Vec<(PathBuf, PathBuf)>;

/// Static files and article assets, and the problems of files that would
/// land on the same output path as a page.
pub(crate) fn plan_copies(
    root: &Path,
    index: &SiteIndex,
    keys: &[String],
) -> Result<(Copies, Vec<Diagnostic>)> {
    let page_files: HashSet<&str> = keys.iter().map(String::as_str).collect();
    let is_page = |rel: &Path| page_files.contains(output::memory_key(rel).as_str());
    let mut copies = Vec::new();
    let mut problems = Vec::new();
    let static_dir = root.join(STATIC_DIR);
    for rel in output::list_files(&static_dir)? {
        if is_page(&rel) {
            problems.push(
                Diagnostic::error(
                    Path::new(STATIC_DIR).join(&rel),
                    None,
                    format!("this file would replace the page {}", rel.display()),
                )
                .with_help("rename or remove it; pages are generated from content/"),
            );
        }
        copies.push((static_dir.join(&rel), rel));
    }
    for a in &index.articles {
        let folder = a.source.parent().unwrap_or(Path::new(""));
        let page_dir = a
            .url
            .output_file()
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        for name in &a.assets {
            let rel = page_dir.join(name);
            if is_page(&rel) {
                problems.push(
                    Diagnostic::error(
                        folder.join(name),
                        None,
                        format!("this file would replace the page {}", rel.display()),
                    )
                    .with_help(
                        "rename it; a file beside an article is copied next to the article's page",
                    ),
                );
            }
            copies.push((root.join(folder).join(name), rel));
        }
        // An image from the site's root must be one of its static files.
        if let Some(img) = &a.meta.image
            && let Some(rooted) = img.src.strip_prefix('/')
        {
            let rel = PathBuf::from(rooted);
            let known = copies.iter().any(|(_, r)| *r == rel)
                || theme::STATIC.iter().any(|(t, _)| Path::new(t) == rel);
            if !known {
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
    }
    Ok((copies, problems))
}

/// Renders every page of `site` and hands it, with the static files and
/// article assets, to `sink`.
///
/// Only the pages that `select` picks (by position in `site.pages`) are
/// rendered; a rebuild passes the others on from its previous output.
pub fn produce(
    site: &Site,
    select: &(dyn Fn(usize) -> bool + Sync),
    sink: &dyn Sink,
    progress: &dyn Progress,
) -> Result<BuildReport> {
    progress.start(site.pages.len());
    let dirs: Vec<&Path> = site
        .keys
        .iter()
        .map(Path::new)
        .chain(site.copies.iter().map(|(_, rel)| rel.as_path()))
        .chain(theme::STATIC.iter().map(|(rel, _)| Path::new(rel)))
        .filter_map(|f| f.parent())
        .collect();
    sink.prepare(&dirs)?;
    let (rendered, page_bytes) = render_pages(site, select, sink, progress)?;
    let extras = extras(site);
    let extra_bytes = extras
        .par_iter()
        .map(|(rel, extra)| extra.put(rel, sink))
        .try_reduce(|| 0, |a, b| Ok(a + b))?;
    Ok(BuildReport {
        articles: site.index.articles.len(),
        pages: site.pages.len(),
        files: rendered + extras.len(),
        bytes: page_bytes + extra_bytes,
        rendered,
    })
}

/// Renders the pages `select` picks into `sink`; returns how many and
/// their size.
fn render_pages(
    site: &Site,
    select: &(dyn Fn(usize) -> bool + Sync),
    sink: &dyn Sink,
    progress: &dyn Progress,
) -> Result<(usize, u64)> {
    let rendered = AtomicUsize::new(0);
    let bytes = AtomicU64::new(0);
    render::render(
        &site.root,
        &site.pages,
        select,
        &site.index,
        &site.config,
        &site.templates,
        &|file| {
            rendered.fetch_add(1, Ordering::Relaxed);
            bytes.fetch_add(file.bytes.len() as u64, Ordering::Relaxed);
            sink.write(&file.path, file.bytes)?;
            progress.page_done();
            Ok(())
        },
    )?;
    Ok((rendered.into_inner(), bytes.into_inner()))
}

/// Renders the pages `select` picks into memory, by output path: what a
/// rebuild changes before it touches anything.
pub(crate) fn render_to_memory(
    site: &Site,
    select: &(dyn Fn(usize) -> bool + Sync),
    progress: &dyn Progress,
) -> Result<std::collections::HashMap<String, std::sync::Arc<[u8]>>> {
    let sink = output::MemorySink::default();
    render_pages(site, select, &sink, progress)?;
    Ok(sink.into_files())
}

/// A file of the site that is not a page.
pub(crate) enum Extra<'a> {
    /// A default theme file, .nojekyll, CNAME.
    Bytes(std::borrow::Cow<'a, [u8]>),
    /// A static file or an article's asset, copied as it is.
    Copy(&'a Path),
}

impl Extra<'_> {
    /// A fingerprint of the file and its size: of its bytes, or of the
    /// source's modification time and size for a copied file.
    pub(crate) fn fingerprint(&self) -> (u64, u64) {
        use std::hash::{DefaultHasher, Hash, Hasher};
        let mut h = DefaultHasher::new();
        match self {
            Extra::Bytes(b) => {
                b.hash(&mut h);
                (h.finish(), b.len() as u64)
            }
            Extra::Copy(from) => {
                let meta = std::fs::metadata(from).ok();
                let len = meta.as_ref().map_or(0, |m| m.len());
                (meta.and_then(|m| m.modified().ok()), len).hash(&mut h);
                (h.finish(), len)
            }
        }
    }

    /// Hands the file to `sink`; returns its size.
    pub(crate) fn put(&self, rel: &Path, sink: &dyn Sink) -> Result<u64> {
        match self {
            Extra::Bytes(b) => {
                sink.write(rel, b.to_vec())?;
                Ok(b.len() as u64)
            }
            Extra::Copy(from) => sink.copy(from, rel),
        }
    }
}

/// Every file of the site that is not a page, by output path.
pub(crate) fn extras(site: &Site) -> Vec<(PathBuf, Extra<'_>)> {
    use std::borrow::Cow;
    let mut extras = Vec::new();
    // Default theme files unless the site's own static/ has them.
    let copied: BTreeSet<&Path> = site.copies.iter().map(|(_, rel)| rel.as_path()).collect();
    for (rel, data) in theme::STATIC {
        if !copied.contains(Path::new(rel)) {
            extras.push((PathBuf::from(rel), Extra::Bytes(Cow::Borrowed(*data))));
        }
    }
    extras.push((PathBuf::from(".nojekyll"), Extra::Bytes(Cow::Borrowed(b""))));
    if let Some(cname) = &site.config.cname {
        let bytes = format!("{cname}\n").into_bytes();
        extras.push((PathBuf::from("CNAME"), Extra::Bytes(Cow::Owned(bytes))));
    }
    for (from, rel) in &site.copies {
        extras.push((rel.clone(), Extra::Copy(from)));
    }
    extras
}

/// Builds the site at `opts.root` into its output folder, changing
/// nothing there unless everything succeeded. With a previous build's
/// cache beside the output, only what changed is rendered and written
/// (see `cache`); otherwise everything is, into a staging folder that
/// then replaces the output.
pub fn build(opts: &BuildOptions, progress: &dyn Progress) -> Result<BuildReport> {
    let output = opts.output_dir();
    guard_output(&opts.root, &output)?;
    let previous = if opts.clean {
        None
    } else {
        cache::load(&output)
    };
    if let Some(previous) = previous.filter(|c| c.is_current(opts)) {
        return cache::update_output(opts, &output, previous, progress);
    }
    // Everything anew. The cache goes first: left in place while the
    // output is replaced, it would be trusted after a build killed midway.
    cache::forget(&output)?;
    let mut cache = cache::Cache::default();
    let update = cache.site().update(opts, &|_| None)?;
    let mut sizes = std::collections::HashMap::new();
    let mut report = BuildReport::default();
    output::publish(&output, |staging| {
        let dir = output::DirSink::new(staging);
        let sink = output::Recording::new(&dir);
        report = produce(&update.site, &|_| true, &sink, progress)?;
        sizes = sink.into_sizes();
        Ok(())
    })?;
    cache.record(&update, &sizes);
    cache::save(&output, &mut cache)?;
    // Freeing every article and page takes longer than saving the cache;
    // the caller, often a command about to exit, need not wait for it.
    std::thread::spawn(move || drop((update, cache)));
    Ok(report)
}

/// GitHub Pages refuses to publish sites over 1 GB.
pub const PAGES_LIMIT: u64 = 1_000_000_000;

/// A warning when a site of `bytes` comes within a tenth of the GitHub
/// Pages limit, or passes it.
pub fn size_warning(bytes: u64) -> Option<Diagnostic> {
    (bytes >= PAGES_LIMIT / 10 * 9).then(|| {
        let mut d = Diagnostic::global(format!(
            "the site is {} MB; GitHub Pages publishes sites of at most 1,000 MB",
            bytes / 1_000_000
        ))
        .with_help("leave out term feeds or large files, or publish the archive elsewhere");
        d.severity = crate::diagnostics::Severity::Warning;
        d
    })
}

/// Loads, validates and renders everything, writing nothing: what `build`
/// would report, without touching the output.
pub fn check(opts: &BuildOptions) -> Result<(Site, BuildReport)> {
    struct Nowhere;
    impl Sink for Nowhere {
        fn write(&self, _: &Path, _: Vec<u8>) -> Result<()> {
            Ok(())
        }
        fn copy(&self, from: &Path, _: &Path) -> Result<u64> {
            Ok(from.metadata().map_or(0, |m| m.len()))
        }
    }
    let site = load_site(opts)?;
    let report = produce(&site, &|_| true, &Nowhere, &())?;
    Ok((site, report))
}

/// Refuses output folders whose replacement would destroy the site itself.
fn guard_output(root: &Path, output: &Path) -> Result<()> {
    let (root, out) = (resolved(root), resolved(output));
    let refuse = |why: &str| {
        Err(Error::Input(Diagnostics::new(vec![
            Diagnostic::global(format!("refusing to write the site over {}: {why}", out.display())).with_help(
                "the output folder is replaced on every build; choose a folder of its own, such as public/",
            ),
        ])))
    };
    let inside = [
        load::CONTENT_DIR,
        render::templates::TEMPLATES_DIR,
        STATIC_DIR,
    ]
    .map(|d| root.join(d));
    if root.starts_with(&out) {
        return refuse("it holds the site itself");
    }
    if inside.iter().any(|d| out.starts_with(d)) {
        return refuse("it is inside the site's content, templates or static files");
    }
    // Every build writes .nojekyll; a folder with files but without it is
    // not a previous build, and replacing it would delete someone's files.
    let has_files = std::fs::read_dir(&out).is_ok_and(|mut d| d.next().is_some());
    if has_files && !out.join(".nojekyll").exists() {
        return refuse("it is not empty and is not a previous build (it has no .nojekyll)");
    }
    Ok(())
}

/// An absolute path with `.` and `..` worked out (symlinks of existing
/// parts followed), whether or not it exists yet.
fn resolved(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out.canonicalize().unwrap_or(out)
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
