//! Rebuilding after a change without redoing what did not change: the
//! preview server's builds, and `build` with a previous build on disk
//! (`cache`). A layer over the pipeline: it calls the pipeline's steps
//! for what changed and keeps the rest, and when nothing of before can be
//! trusted (the first build, a new site.yaml or template, new options) it
//! runs the clean build and remembers what it made.
//!
//! Articles whose file is as before are kept; every page is planned
//! again, fingerprinted from its plan (`PlannedPage::fingerprint`), and
//! only pages and files whose fingerprint changed are rendered and
//! written. The others are kept from the previous build.

pub mod cache;
pub mod manifest;
mod quick;

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::content::{Article, load};
use crate::diagnostics::Diagnostic;
use crate::error::Result;
use crate::index::SiteIndex;
use crate::output::{Files, MemorySink, Sink};
use crate::pipeline::{self, BuildOptions, BuildReport, Finished, Problems, Progress, Site};
use crate::plan::{self, ArticleFingerprint};
use crate::render::{self, Templates};
use crate::stamp::Stamp;
use manifest::Manifest;

/// An article kept from the previous build, with the stamp its file had
/// before it was read.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
struct Kept {
    stamp: Stamp,
    /// Names of the non-Markdown files beside it, and whether it is its
    /// folder's only article: what `load::scan` found with it.
    siblings: Vec<String>,
    bundle: bool,
    /// Without its rendered body when it comes from a build cache.
    article: Arc<Article>,
    /// Held back as an unpublished draft.
    held: bool,
    /// `fingerprint(article)` and its part of the index's shape, made
    /// once: a rebuild adds up ten thousands of them.
    fingerprint: ArticleFingerprint,
    shape: u64,
}

impl Kept {
    fn new(stamp: &Stamp, found: &load::Found, article: &Arc<Article>, held: bool) -> Arc<Kept> {
        Arc::new(Kept {
            stamp: stamp.clone(),
            siblings: found.siblings.clone(),
            bundle: found.bundle,
            article: Arc::clone(article),
            held,
            fingerprint: fingerprint(article),
            shape: SiteIndex::article_shape(article),
        })
    }
}

/// What the previous build was made of and what it made.
#[derive(Default, serde::Serialize, serde::Deserialize)]
pub struct Incremental {
    /// site.yaml, the templates, the options and the version of arshif
    /// the rest was built with.
    inputs: Option<u64>,
    articles: FxHashMap<PathBuf, Arc<Kept>>,
    manifest: Manifest,
    /// The search index the output has, and what it was made from.
    search: Option<SearchKept>,
    /// The preview makes the search index after the reload (`search_job`).
    #[serde(skip)]
    defer_search: bool,
    /// The articles' `search_key` whose index is still to be made.
    #[serde(skip)]
    search_due: Option<u64>,
    /// site.yaml as the last build read it, for the search job.
    #[serde(skip)]
    config: Option<crate::config::Config>,
    #[serde(skip)]
    root: PathBuf,
    /// The last index's related articles and its shape: a build from the
    /// cache reuses them while the shape is the same.
    related: Option<(u64, crate::index::Related)>,
    /// The last index and plan: edits that change only text reuse its
    /// terms, archive, related articles and pages.
    #[serde(skip)]
    index: Option<Reused>,
    /// The base URL's path, where the preview serves the site.
    #[serde(skip)]
    base_path: String,
    #[serde(skip)]
    templates: Option<Arc<Templates>>,
    /// The preview's files.
    #[serde(skip)]
    files: Arc<Files>,
    /// The files the watcher saw change since the last build.
    #[serde(skip)]
    hint: Option<Vec<PathBuf>>,
}

/// The search index's files in the output, and the `search_key` of the
/// articles it was made from.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
struct SearchKept {
    key: u64,
    paths: Vec<String>,
}

/// A hash of every published article, in the index's order, as the
/// search index shows it (`ArticleFingerprint::all`): when it is as
/// before, so is the index, and its files are kept without making it.
fn search_key(site: &Site, kept: &ByArticle<'_>) -> u64 {
    let mut h = DefaultHasher::new();
    for a in &site.index.articles {
        article_fingerprint(kept, a).all.hash(&mut h);
    }
    h.finish()
}

/// Article `a`'s fingerprint: kept from before when it was, else made.
fn article_fingerprint(kept: &ByArticle<'_>, a: &Arc<Article>) -> ArticleFingerprint {
    kept.get(&Arc::as_ptr(a))
        .map_or_else(|| fingerprint(a), |k| k.fingerprint)
}

/// The search index to make in the background, for the preview.
pub struct SearchJob {
    key: u64,
    articles: Vec<Arc<Article>>,
    root: PathBuf,
    config: crate::config::Config,
}

impl SearchJob {
    /// Makes the index: its files by output path.
    pub fn run(self) -> Result<SearchDone> {
        let files = crate::search::files(&self.articles, &self.root, &self.config)?;
        Ok(SearchDone {
            key: self.key,
            files,
        })
    }
}

/// A search index made by a `SearchJob`.
pub struct SearchDone {
    key: u64,
    files: Vec<(String, Vec<u8>)>,
}

/// What a build did.
#[derive(Debug)]
pub struct Outcome {
    pub report: BuildReport,
    pub warnings: Vec<Diagnostic>,
    /// Why a build that could have reused the previous one did not.
    pub note: Option<String>,
    /// Nothing the build reads changed since the previous build: the
    /// output was left as it was (`quick`).
    pub unchanged: bool,
}

/// The result of a rebuild in memory.
pub struct Rebuilt {
    /// Every file of the site, by output path.
    pub files: Arc<Files>,
    pub base_path: String,
    pub outcome: Outcome,
}

/// A hash of site.yaml, every template file, the build options and the
/// version of arshif.
fn inputs(opts: &BuildOptions) -> u64 {
    let mut h = DefaultHasher::new();
    let (root, base_url, drafts) = opts.shaping();
    (base_url, drafts, env!("CARGO_PKG_VERSION")).hash(&mut h);
    std::fs::read(root.join(crate::config::FILE_NAME))
        .ok()
        .hash(&mut h);
    let dir = root.join(render::templates::TEMPLATES_DIR);
    for entry in walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(|e| e.ok())
    {
        (entry.path(), std::fs::read(entry.path()).ok()).hash(&mut h);
    }
    h.finish()
}

/// An article's fingerprints: of its identity (file and URL) and
/// everything it was made from (its text, what its links resolved to, the
/// files it brings along); and of when it last changed. Settings and
/// templates are in `inputs`.
fn fingerprint(a: &Article) -> ArticleFingerprint {
    let changed = a.last_changed();
    ArticleFingerprint {
        all: hash_of((&a.source, &a.url, a.digest, &a.resolutions, &a.assets)),
        last_changed: hash_of((changed.timestamp(), changed.offset().local_minus_utc())),
    }
}

fn hash_of(value: impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

impl Incremental {
    /// Whether a build with `opts` can start from this one.
    pub fn is_current(&self, opts: &BuildOptions) -> bool {
        self.inputs == Some(inputs(opts))
    }

    /// Tells the next build which files changed (relative to the site's
    /// root), as a watcher saw: if they are all known articles that are
    /// still there, it looks at them alone instead of at every file.
    pub fn hint(&mut self, changed: Vec<PathBuf>) {
        self.hint = Some(changed);
    }

    /// Rebuilds in memory: the preview server's site. A failed rebuild
    /// leaves everything as the last good one left it.
    pub fn rebuild(&mut self, opts: &BuildOptions) -> Result<Rebuilt> {
        let sink = MemorySink::new(Arc::clone(&self.files));
        let outcome = self.build(opts, &sink, &())?;
        self.files = Arc::new(sink.into_files());
        Ok(Rebuilt {
            files: Arc::clone(&self.files),
            base_path: self.base_path.clone(),
            outcome,
        })
    }

    /// Builds into `sink`, which starts empty and can keep the previous
    /// build's files: only what changed since the previous build is
    /// rendered and written. On failure nothing of this state changes.
    pub fn build(
        &mut self,
        opts: &BuildOptions,
        sink: &dyn Sink,
        progress: &dyn Progress,
    ) -> Result<Outcome> {
        match self.prepare(opts)? {
            Some(pending) => self.apply(pending, sink, progress),
            None => self.build_clean(opts, sink, progress),
        }
    }

    /// Reads what changed and plans the site, without writing anything:
    /// none when nothing of the previous build can be trusted.
    pub fn prepare(&mut self, opts: &BuildOptions) -> Result<Option<Pending>> {
        let hint = self.hint.take();
        if !self.is_current(opts) {
            return Ok(None);
        }
        // The index is taken out to be reused; after a failure the next
        // build makes it anew.
        let index = self.index.take();
        let Next {
            mut site,
            articles,
            shape,
            plans,
        } = self.update(opts, hint, index)?;
        let by = by_article(&articles);
        let key = search_key(&site, &by);
        let (search, search_due) = self.search_files(&mut site, key)?;
        let fps = page_fingerprints(&site, &by, &plans);
        drop(by);
        let manifest = manifest::of(&site, &fps);
        let unchanged = manifest.unchanged_from(&self.manifest);
        Ok(Some(Pending {
            site,
            articles,
            shape,
            plans,
            manifest,
            unchanged,
            search,
            search_due,
        }))
    }

    /// Adds the search index to `site`'s files: the previous one, kept,
    /// when the articles are as before (or, in the preview, until the
    /// new one is made after the reload); else made now.
    fn search_files(&self, site: &mut Site, key: u64) -> Result<(Option<SearchKept>, Option<u64>)> {
        if !site.config.search {
            return Ok((None, None));
        }
        let previous = self.search.as_ref().filter(|s| {
            s.paths
                .iter()
                .all(|p| self.manifest.fingerprint(p).is_some())
        });
        if let Some(s) = previous
            && (s.key == key || self.defer_search)
        {
            for path in &s.paths {
                let fingerprint = self.manifest.fingerprint(path).unwrap_or_default();
                site.files.push(pipeline::SiteFile {
                    path: path.clone(),
                    from: pipeline::FileSource::Kept(fingerprint),
                });
            }
            return Ok((Some(s.clone()), (s.key != key).then_some(key)));
        }
        let files = pipeline::search_files(site)?;
        let paths = files.iter().map(|f| f.path.clone()).collect();
        site.files.extend(files);
        Ok((Some(SearchKept { key, paths }), None))
    }

    /// Makes the preview build the search index after the reload rather
    /// than before it (`search_job`).
    pub fn defer_search(&mut self) {
        self.defer_search = true;
    }

    /// The search index the last build left to make, if any.
    pub fn search_job(&self) -> Option<SearchJob> {
        let key = self.search_due?;
        Some(SearchJob {
            key,
            articles: self.index.as_ref()?.index.articles.clone(),
            root: self.root.clone(),
            config: self.config.clone()?,
        })
    }

    /// Puts a search index made by a job in place of the old one, if it
    /// is of the articles of the last build: the preview's new files.
    pub fn finish_search(&mut self, done: SearchDone) -> Option<Arc<Files>> {
        if self.search_due != Some(done.key) {
            return None;
        }
        let mut files = (*self.files).clone();
        for path in self.search.take().map(|s| s.paths).unwrap_or_default() {
            files.remove(path.as_str());
            self.manifest.set(&path, None);
        }
        let mut paths = Vec::with_capacity(done.files.len());
        for (path, bytes) in done.files {
            let entry = manifest::Entry {
                fingerprint: manifest::bytes_fingerprint(&bytes),
                size: bytes.len() as u64,
            };
            self.manifest.set(&path, Some(entry));
            files.insert(Arc::from(path.as_str()), Arc::from(bytes));
            paths.push(path);
        }
        self.search = Some(SearchKept {
            key: done.key,
            paths,
        });
        self.search_due = None;
        self.files = Arc::new(files);
        Some(Arc::clone(&self.files))
    }

    /// Writes what `pending` found changed into `sink`, keeping the rest.
    pub fn apply(
        &mut self,
        pending: Pending,
        sink: &dyn Sink,
        progress: &dyn Progress,
    ) -> Result<Outcome> {
        let Pending {
            site,
            articles,
            shape,
            plans,
            manifest,
            unchanged: _,
            search,
            search_due,
        } = pending;
        let diff = manifest.diff(&self.manifest);
        let pages: Vec<&plan::PlannedPage> =
            site.pages.iter().filter(|p| diff.writes(&p.path)).collect();
        let files: Vec<&pipeline::SiteFile> =
            site.files.iter().filter(|f| diff.writes(&f.path)).collect();
        let written = pipeline::write(&site, &pages, &files, &diff.kept, sink, progress)?;
        drop(diff);
        let manifest = manifest.with_sizes(&written.sizes, &self.manifest);
        let report = manifest.report(&site, written.pages);
        let outcome = Outcome {
            report,
            warnings: site.warnings.clone(),
            note: None,
            unchanged: false,
        };
        self.articles = articles;
        self.manifest = manifest;
        self.search = search;
        self.search_due = search_due;
        self.remember(site, shape, plans);
        Ok(outcome)
    }

    /// The clean build, remembered: every file's stamp is taken before
    /// the pipeline reads it.
    fn build_clean(
        &mut self,
        opts: &BuildOptions,
        sink: &dyn Sink,
        progress: &dyn Progress,
    ) -> Result<Outcome> {
        let now = SystemTime::now();
        let inputs = inputs(opts);
        let found = load::scan(&opts.root).map(|(f, _)| f).unwrap_or_default();
        let stamps: FxHashMap<PathBuf, (Stamp, &load::Found)> = found
            .par_iter()
            .filter_map(|f| {
                Some((
                    f.path.clone(),
                    (Stamp::of(&opts.root.join(&f.path), now)?, f),
                ))
            })
            .collect();
        let built = pipeline::build(opts, sink, progress)?;
        let site = built.site;
        let articles: FxHashMap<PathBuf, Arc<Kept>> = site
            .index
            .articles
            .iter()
            .map(|a| (a, false))
            .chain(site.held.iter().map(|a| (a, true)))
            .filter_map(|(a, held)| {
                let (stamp, found) = stamps.get(&a.source)?;
                Some((a.source.clone(), Kept::new(stamp, found, a, held)))
            })
            .collect();
        let plans = plan_fingerprints(&site.pages);
        let by = by_article(&articles);
        let manifest = manifest::of(&site, &page_fingerprints(&site, &by, &plans))
            .with_sizes(&built.written.sizes, &Manifest::default());
        let outcome = Outcome {
            report: manifest.report(&site, built.written.pages),
            warnings: site.warnings.clone(),
            note: None,
            unchanged: false,
        };
        let search = site.config.search.then(|| SearchKept {
            key: search_key(&site, &by),
            paths: site
                .files
                .iter()
                .filter(|f| {
                    f.path.starts_with(crate::search::DIR)
                        && matches!(f.from, pipeline::FileSource::Bytes(_))
                })
                .filter(|f| f.path[crate::search::DIR.len()..].starts_with('/'))
                .map(|f| f.path.clone())
                .collect(),
        });
        let shape = shape_of(&site.index.articles, &by);
        drop(by);
        *self = Incremental {
            inputs: Some(inputs),
            articles,
            manifest,
            search,
            defer_search: self.defer_search,
            ..Incremental::default()
        };
        self.remember(site, shape, plans);
        Ok(outcome)
    }

    /// Keeps what the next build in memory reuses.
    fn remember(&mut self, site: Site, shape: u64, plans: Vec<u64>) {
        self.base_path = site.config.base_url.path().to_owned();
        self.root = site.root;
        self.config = Some(site.config);
        self.templates = Some(site.templates);
        self.related = Some((shape, Arc::clone(&site.index.related)));
        self.index = Some(Reused {
            shape,
            plans,
            index: site.index,
            pages: site.pages,
        });
    }

    /// Reads what changed, keeps the rest, and plans the site anew.
    fn update(
        &self,
        opts: &BuildOptions,
        hint: Option<Vec<PathBuf>>,
        previous: Option<Reused>,
    ) -> Result<Next> {
        let root = opts.root.as_path();
        let now = SystemTime::now();
        let mut problems = Problems::default();
        let config = problems
            .take(pipeline::read_config(opts))
            .unwrap_or_else(crate::config::Config::fallback);
        problems.add(config.warnings.iter().cloned());
        let templates = match &self.templates {
            Some(t) => Some(Arc::clone(t)),
            None => problems.take(Templates::load(root, &config)).map(Arc::new),
        };

        let (found, look) = self.files_to_look_at(root, hint, &mut problems)?;
        let (mut articles, changed) = self.unchanged(root, &found, &look, now);

        // Kept articles whose links now resolve differently are read again.
        let changed_found: Vec<load::Found> = changed.iter().map(|(f, _)| (*f).clone()).collect();
        let large = pipeline::large(&changed_found, opts);
        let (mut parsed, p) = pipeline::parse(root, &changed_found, large, &config)?;
        problems.add(p);
        let mut urls = pipeline::urls(&parsed, opts.drafts);
        // Kept articles are those of the previous build, which outlives this.
        for (path, k) in articles
            .keys()
            .filter_map(|p| self.articles.get_key_value(p))
        {
            let url = std::borrow::Cow::Borrowed(&k.article.url);
            urls.insert(std::borrow::Cow::Borrowed(path.as_path()), (url, k.held));
        }
        // Links resolve through the URLs alone: while no article came,
        // went, or changed its URL or draft state, they resolve as before.
        let same_urls = articles.len() + parsed.len() == self.articles.len()
            && parsed.iter().all(|p| {
                self.articles.get(p.source()).is_some_and(|k| {
                    k.article.url == *p.url() && k.held == (p.is_draft() && !opts.drafts)
                })
            });
        let relinked: Vec<load::Found> = if same_urls {
            Vec::new()
        } else {
            found
                .iter()
                .filter(|f| {
                    articles.get(&f.path).is_some_and(|k| {
                        k.article.resolutions.iter().any(|(dest, old)| {
                            crate::index::links::resolve(
                                &urls,
                                &config.base_url,
                                &f.path,
                                k.held,
                                dest,
                            ) != *old
                        })
                    })
                })
                .cloned()
                .collect()
        };
        let mut stamps: FxHashMap<PathBuf, Option<Stamp>> = changed
            .into_iter()
            .map(|(f, s)| (f.path.clone(), s))
            .collect();
        if !relinked.is_empty() {
            let (more, p) = pipeline::parse(root, &relinked, large, &config)?;
            problems.add(p);
            parsed.extend(more);
            for f in &relinked {
                let stamp = articles.remove(&f.path).map(|k| k.stamp.clone());
                stamps.insert(f.path.clone(), stamp);
            }
        }
        let (finished, p) = pipeline::finish(root, parsed, &urls, &config, opts, large)?;
        problems.add(p);

        let all: Vec<Finished> = articles
            .values()
            .map(|k| Finished {
                article: Arc::clone(&k.article),
                held: k.held,
            })
            .chain(finished.iter().cloned())
            .collect();
        problems.add(pipeline::check_articles(&all));
        let by_path: FxHashMap<&Path, &load::Found> =
            found.iter().map(|f| (f.path.as_path(), f)).collect();
        for f in &finished {
            let path = &f.article.source;
            // A file that vanished while it was read is looked at next time.
            if let (Some(Some(stamp)), Some(found)) =
                (stamps.get(path), by_path.get(path.as_path()))
            {
                let kept = Kept::new(stamp, found, &f.article, f.held);
                articles.insert(path.clone(), kept);
            }
        }

        let (published, held) = pipeline::split_held(all);
        let shape = shape_of(&published, &by_article(&articles));
        // The same files, URLs, dates and names make the same index and
        // plan: only the articles' text changed.
        let (index, pages, plans) = match previous {
            Some(old) if old.shape == shape => {
                let changed: Vec<Arc<Article>> = finished
                    .iter()
                    .filter(|f| !f.held)
                    .map(|f| Arc::clone(&f.article))
                    .collect();
                (old.index.with_articles(changed), old.pages, old.plans)
            }
            _ => {
                let related = self
                    .related
                    .as_ref()
                    .filter(|(s, _)| *s == shape)
                    .map(|(_, r)| Arc::clone(r));
                let (index, p) = SiteIndex::build(published, &config, related);
                problems.add(p);
                let (pages, p) = plan::plan(&index, &config);
                problems.add(p);
                let plans = plan_fingerprints(&pages);
                (index, pages, plans)
            }
        };
        problems.add(crate::index::taxonomy::crowded(
            &index.articles,
            &config.taxonomies,
        ));
        let (images, files, p) = pipeline::files(opts, &index, &pages, &config)?;
        problems.add(p);
        let warnings = problems.finish()?;
        let site = Site {
            root: root.to_path_buf(),
            config,
            templates: pipeline::loaded(templates)?,
            index,
            held,
            pages,
            files,
            images,
            warnings,
        };
        Ok(Next {
            site,
            articles,
            shape,
            plans,
        })
    }

    /// The article files, and those of them to look at: the ones the
    /// watcher named, when it can be trusted to have named them all, else
    /// every file.
    fn files_to_look_at(
        &self,
        root: &Path,
        hint: Option<Vec<PathBuf>>,
        problems: &mut Problems,
    ) -> Result<(Vec<load::Found>, FxHashSet<PathBuf>)> {
        let hinted = hint.filter(|paths| {
            paths.iter().all(|p| {
                load::is_markdown(p) && self.articles.contains_key(p) && root.join(p).is_file()
            })
        });
        Ok(match hinted {
            Some(paths) => {
                let found = self
                    .articles
                    .iter()
                    .map(|(path, k)| load::Found {
                        path: path.clone(),
                        siblings: k.siblings.clone(),
                        bundle: k.bundle,
                        len: k.stamp.len,
                    })
                    .collect();
                (found, paths.into_iter().collect())
            }
            None => {
                let found = pipeline::scan(root, problems)?;
                let look = found.iter().map(|f| f.path.clone()).collect();
                (found, look)
            }
        })
    }

    /// The kept articles whose files are as before, and the files that
    /// changed or are new, each with its stamp taken now (before it is read).
    fn unchanged<'f>(
        &self,
        root: &Path,
        found: &'f [load::Found],
        look: &FxHashSet<PathBuf>,
        now: SystemTime,
    ) -> (FxHashMap<PathBuf, Arc<Kept>>, Vec<Looked<'f>>) {
        let stamped: Vec<Looked<'_>> = found
            .par_iter()
            .map(|f| {
                let stamp = look
                    .contains(&f.path)
                    .then(|| Stamp::of(&root.join(&f.path), now))
                    .flatten();
                (f, stamp)
            })
            .collect();
        let mut articles = FxHashMap::with_capacity_and_hasher(found.len(), Default::default());
        let mut changed = Vec::new();
        for (f, stamp) in stamped {
            let old = self.articles.get(&f.path);
            let same = match (old, &stamp) {
                (Some(k), Some(s)) => {
                    k.stamp.unchanged(s) && k.siblings == f.siblings && k.bundle == f.bundle
                }
                // Not looked at: the watcher says it did not change.
                (Some(_), None) => !look.contains(&f.path),
                (None, _) => false,
            };
            match old {
                Some(k) if same => {
                    articles.insert(f.path.clone(), Arc::clone(k));
                }
                _ => changed.push((f, stamp)),
            }
        }
        (articles, changed)
    }
}

/// The last index and the plan made from it, with the shape they were
/// made from.
struct Reused {
    shape: u64,
    index: SiteIndex,
    pages: Vec<plan::PlannedPage>,
    /// Each page's `plan_fingerprint`.
    plans: Vec<u64>,
}

/// A build planned by `Incremental::prepare`, to be applied to a sink.
pub struct Pending {
    site: Site,
    articles: FxHashMap<PathBuf, Arc<Kept>>,
    shape: u64,
    plans: Vec<u64>,
    manifest: Manifest,
    /// Every file is as the previous build left it.
    pub unchanged: bool,
    search: Option<SearchKept>,
    search_due: Option<u64>,
}

/// A file found, with its stamp when it was looked at.
type Looked<'f> = (&'f load::Found, Option<Stamp>);

/// A site planned anew, with the articles it was made from.
struct Next {
    site: Site,
    articles: FxHashMap<PathBuf, Arc<Kept>>,
    shape: u64,
    plans: Vec<u64>,
}

/// Kept articles by the article itself (its address): looking them up by
/// path would hash ten thousands of paths.
type ByArticle<'k> = FxHashMap<*const Article, &'k Kept>;

fn by_article(kept: &FxHashMap<PathBuf, Arc<Kept>>) -> ByArticle<'_> {
    kept.values()
        .map(|k| (Arc::as_ptr(&k.article), k.as_ref()))
        .collect()
}

fn shape_of(articles: &[Arc<Article>], kept: &ByArticle<'_>) -> u64 {
    SiteIndex::shape(articles.iter().map(|a| {
        kept.get(&Arc::as_ptr(a))
            .map_or_else(|| SiteIndex::article_shape(a), |k| k.shape)
    }))
}

/// Each page's fingerprint, in the plan's order.
fn page_fingerprints(site: &Site, kept: &ByArticle<'_>, plans: &[u64]) -> Vec<u64> {
    let articles: Vec<ArticleFingerprint> = site
        .index
        .articles
        .iter()
        .enumerate()
        .map(|(id, a)| {
            let fp = article_fingerprint(kept, a);
            // What its pages show of its images.
            match site.images.fingerprint(id) {
                0 => fp,
                images => ArticleFingerprint {
                    all: hash_of((fp.all, images)),
                    ..fp
                },
            }
        })
        .collect();
    site.pages
        .par_iter()
        .zip(plans)
        .map(|(p, plan)| p.fingerprint(*plan, &articles))
        .collect()
}

/// Each page's `plan_fingerprint`, in the plan's order.
fn plan_fingerprints(pages: &[plan::PlannedPage]) -> Vec<u64> {
    pages.par_iter().map(|p| p.plan_fingerprint()).collect()
}
