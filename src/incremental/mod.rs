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
mod parts;
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
    #[serde(with = "parts")]
    articles: FxHashMap<PathBuf, Arc<Kept>>,
    manifest: Manifest,
    /// The search index the output has, and what it was made from.
    search: Option<SearchKept>,
    /// The preview makes the search index after the reload (`search_job`).
    #[serde(skip)]
    defer_search: bool,
    /// The `part_keys` of the articles whose index is still to be made.
    #[serde(skip)]
    search_due: Option<Vec<u64>>,
    /// Where a build on disk writes the search index as it is made
    /// (`pipeline::search_files`).
    #[serde(skip)]
    spool: Option<PathBuf>,
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
    /// Article files stamped for the next build before it started
    /// (`stamped`).
    #[serde(skip)]
    stamps: FxHashMap<PathBuf, Stamp>,
}

/// The search index's files in the output, by part (`search::parts`).
#[derive(Clone, serde::Serialize, serde::Deserialize)]
struct SearchKept {
    parts: Vec<PartKept>,
}

/// A part's files, and the `part_keys` key of the articles it was made of.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
struct PartKept {
    key: u64,
    paths: Vec<String>,
}

impl SearchKept {
    /// Part `i`, if it was made of the articles whose key is `key`.
    fn part(&self, i: usize, key: u64) -> Option<&PartKept> {
        self.parts.get(i).filter(|p| p.key == key)
    }
}

/// For each part of the search index (`search::parts`), a hash of its
/// articles, in order, as the index shows them
/// (`ArticleFingerprint::all`): a part whose key is as before is as
/// before, and its files are kept without making it.
fn part_keys(site: &Site, kept: &ByArticle<'_>) -> Vec<u64> {
    crate::search::parts(&site.index.articles, site.config.search_part.get())
        .iter()
        .map(|part| {
            let mut h = DefaultHasher::new();
            for a in *part {
                article_fingerprint(kept, a).all.hash(&mut h);
            }
            h.finish()
        })
        .collect()
}

/// Article `a`'s fingerprint: kept from before when it was, else made.
fn article_fingerprint(kept: &ByArticle<'_>, a: &Arc<Article>) -> ArticleFingerprint {
    kept.get(&Arc::as_ptr(a))
        .map_or_else(|| fingerprint(a), |k| k.fingerprint)
}

/// The search index to make in the background, for the preview.
pub struct SearchJob {
    /// The keys of every part of the new index.
    keys: Vec<u64>,
    /// The parts to make, by number: those not as before.
    parts: Vec<(usize, Vec<Arc<Article>>)>,
    root: PathBuf,
    config: crate::config::Config,
}

impl SearchJob {
    /// Makes the parts of the index that are not as before.
    pub fn run(self) -> Result<SearchDone> {
        let parts = self
            .parts
            .iter()
            .map(|(i, articles)| {
                let files = crate::search::part_files(*i, articles, &self.root, &self.config)?;
                Ok((*i, files))
            })
            .collect::<Result<_>>()?;
        Ok(SearchDone {
            keys: self.keys,
            parts,
        })
    }
}

/// The parts of a search index made by a `SearchJob`.
pub struct SearchDone {
    keys: Vec<u64>,
    parts: Vec<(usize, PartFiles)>,
}

/// A part's files by output path.
type PartFiles = Vec<(String, Vec<u8>)>;

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

    /// Gives the next build the stamps of article files (by path from the
    /// site's root) taken before anything was read: it uses them instead
    /// of stat-ing those files again.
    pub fn stamped(&mut self, stamps: FxHashMap<PathBuf, Stamp>) {
        self.stamps = stamps;
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
        let stamps = std::mem::take(&mut self.stamps);
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
        } = self.update(opts, hint, &stamps, index)?;
        let by = by_article(&articles);
        let keys = part_keys(&site, &by);
        let (search, search_due) = self.search_files(&mut site, keys)?;
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

    /// Adds the search index to `site`'s files: each part kept from the
    /// previous one when its articles are as before, else made now (in
    /// the preview, the whole previous index is kept until the new parts
    /// are made after the reload).
    fn search_files(
        &self,
        site: &mut Site,
        keys: Vec<u64>,
    ) -> Result<(Option<SearchKept>, Option<Vec<u64>>)> {
        if !site.config.search {
            return Ok((None, None));
        }
        let parts_json = format!("{}/{}", crate::search::DIR, crate::search::PARTS);
        let present =
            |paths: &[String]| paths.iter().all(|p| self.manifest.fingerprint(p).is_some());
        let previous = self.search.as_ref().filter(|s| {
            present(std::slice::from_ref(&parts_json)) && s.parts.iter().all(|p| present(&p.paths))
        });
        let keep = |site: &mut Site, paths: &[String]| {
            for path in paths {
                let fingerprint = self.manifest.fingerprint(path).unwrap_or_default();
                site.files.push(pipeline::SiteFile {
                    path: path.clone(),
                    from: pipeline::FileSource::Kept(fingerprint),
                });
            }
        };
        let as_before = |i: usize| previous.and_then(|s| s.part(i, keys[i]));
        if let Some(s) = previous
            && self.defer_search
            && (s.parts.len() != keys.len() || (0..keys.len()).any(|i| as_before(i).is_none()))
        {
            for part in &s.parts {
                keep(site, &part.paths);
            }
            keep(site, std::slice::from_ref(&parts_json));
            return Ok((Some(s.clone()), Some(keys)));
        }
        let mut made =
            pipeline::search_files(site, self.spool.as_deref(), &|i| as_before(i).is_none())?
                .into_iter()
                .peekable();
        let mut parts = Vec::with_capacity(keys.len());
        for (i, &key) in keys.iter().enumerate() {
            let paths = match (made.next_if(|(j, _)| *j == i), as_before(i)) {
                (Some((_, files)), _) => {
                    let paths = files.iter().map(|f| f.path.clone()).collect();
                    site.files.extend(files);
                    paths
                }
                (None, Some(part)) => {
                    keep(site, &part.paths);
                    part.paths.clone()
                }
                (None, None) => unreachable!("a part not as before is made"),
            };
            parts.push(PartKept { key, paths });
        }
        site.files.extend(pipeline::search_parts_file(site));
        Ok((Some(SearchKept { parts }), None))
    }

    /// Makes builds write the search index into `dir` as it is made, to be
    /// linked into the output from there (`pipeline::search_files`).
    pub fn spool_search(&mut self, dir: PathBuf) {
        self.spool = Some(dir);
    }

    /// Makes the preview build the search index after the reload rather
    /// than before it (`search_job`).
    pub fn defer_search(&mut self) {
        self.defer_search = true;
    }

    /// The search index the last build left to make, if any: the parts
    /// not as before.
    pub fn search_job(&self) -> Option<SearchJob> {
        let keys = self.search_due.clone()?;
        let config = self.config.clone()?;
        let articles = &self.index.as_ref()?.index.articles;
        let previous = self.search.as_ref();
        let parts = crate::search::parts(articles, config.search_part.get())
            .into_iter()
            .enumerate()
            .filter(|(i, _)| previous.and_then(|s| s.part(*i, keys[*i])).is_none())
            .map(|(i, part)| (i, part.to_vec()))
            .collect();
        Some(SearchJob {
            keys,
            parts,
            root: self.root.clone(),
            config,
        })
    }

    /// Leaves the search index as it is until the next build: its job
    /// failed.
    pub fn give_up_search(&mut self) {
        self.search_due = None;
    }

    /// Puts the parts made by a job in place of the old ones, if they are
    /// of the articles of the last build: the preview's new files.
    pub fn finish_search(&mut self, done: SearchDone) -> Option<Arc<Files>> {
        if self.search_due.as_ref() != Some(&done.keys) {
            return None;
        }
        let previous = self.search.take().map(|s| s.parts).unwrap_or_default();
        let mut files = (*self.files).clone();
        let mut made = done.parts.into_iter().peekable();
        let mut parts = Vec::with_capacity(done.keys.len());
        for (i, &key) in done.keys.iter().enumerate() {
            let Some((_, new)) = made.next_if(|(j, _)| *j == i) else {
                // Not made: the job found it as before.
                parts.extend(previous.get(i).cloned());
                continue;
            };
            if let Some(old) = previous.get(i) {
                take_out(&mut self.manifest, &mut files, &old.paths);
            }
            let mut paths = Vec::with_capacity(new.len());
            for (path, bytes) in new {
                put(&mut self.manifest, &mut files, &path, bytes);
                paths.push(path);
            }
            parts.push(PartKept { key, paths });
        }
        for old in previous.iter().skip(done.keys.len()) {
            take_out(&mut self.manifest, &mut files, &old.paths);
        }
        let (path, bytes) = crate::search::parts_file(done.keys.len());
        put(&mut self.manifest, &mut files, &path, bytes);
        self.search = Some(SearchKept { parts });
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
        let built = pipeline::build_spooling(opts, self.spool.as_deref(), sink, progress)?;
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
            parts: part_keys(&site, &by)
                .into_iter()
                .zip(built.search)
                .map(|(key, paths)| PartKept { key, paths })
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
            spool: self.spool.take(),
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
        stamps: &FxHashMap<PathBuf, Stamp>,
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
        let (mut articles, changed) = self.unchanged(root, &found, &look, stamps, now);

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
    /// changed or are new, each with its stamp taken before it is read:
    /// the one in `stamps`, else one taken now.
    fn unchanged<'f>(
        &self,
        root: &Path,
        found: &'f [load::Found],
        look: &FxHashSet<PathBuf>,
        stamps: &FxHashMap<PathBuf, Stamp>,
        now: SystemTime,
    ) -> (FxHashMap<PathBuf, Arc<Kept>>, Vec<Looked<'f>>) {
        let stamped: Vec<Looked<'_>> = found
            .par_iter()
            .map(|f| {
                let stamp = look
                    .contains(&f.path)
                    .then(|| {
                        let given = stamps.get(&f.path).cloned();
                        given.or_else(|| Stamp::of(&root.join(&f.path), now))
                    })
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
    search_due: Option<Vec<u64>>,
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

/// Puts a file made outside a build into the preview's `files`.
fn put(manifest: &mut Manifest, files: &mut Files, path: &str, bytes: Vec<u8>) {
    let entry = manifest::Entry {
        fingerprint: manifest::bytes_fingerprint(&bytes),
        size: bytes.len() as u64,
    };
    manifest.set(path, Some(entry));
    files.insert(Arc::from(path), Arc::from(bytes));
}

/// Takes files out of the preview's `files`.
fn take_out(manifest: &mut Manifest, files: &mut Files, paths: &[String]) {
    for path in paths {
        files.remove(path.as_str());
        manifest.set(path, None);
    }
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
