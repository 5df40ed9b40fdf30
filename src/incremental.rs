//! Rebuilding after a change without redoing what did not change: the
//! preview server's builds, and `build` when a previous build is on disk
//! (see `cache`). Articles whose file, folder and links are as before are
//! kept as they were; every page is planned again, but only those whose
//! fingerprint (what they show) changed are rendered.
//!
//! A change to site.yaml or to a template starts from nothing, as a clean
//! build does.

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use rayon::prelude::*;

use crate::build::{self, BuildOptions, BuildReport, Site};
use crate::config::Config;
use crate::content::article::Draft;
use crate::content::spill::Spill;
use crate::content::{Article, Body, load};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::{Error, Result};
use crate::index::{SiteIndex, links};
use crate::output::{MemorySink, memory_key};
use crate::render::{self, Page, Templates};

/// What a file looked like when it was read.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
struct Stamp {
    modified: Option<SystemTime>,
    len: u64,
    siblings: Vec<String>,
    bundle: bool,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Kept {
    stamp: Stamp,
    /// Without its rendered body when it comes from a build cache.
    article: Arc<Article>,
    /// Held back as an unpublished draft.
    held: bool,
    /// A hash of the file's stamp and of what its links resolved to.
    fingerprint: u64,
    /// Its part of the index's shape (`SiteIndex::article_shape`).
    shape: u64,
}

/// Source bytes read at once beyond which rendered bodies are not kept.
const BODY_BUDGET: u64 = 256 << 20;

/// A site kept in memory between rebuilds.
#[derive(Default, serde::Serialize, serde::Deserialize)]
pub struct Incremental {
    /// site.yaml, the templates and the options the rest was built with.
    inputs: Option<u64>,
    #[serde(skip)]
    templates: Option<Arc<Templates>>,
    articles: HashMap<PathBuf, Kept>,
    /// The preview's files and their fingerprints, by output path.
    #[serde(skip)]
    files: Arc<HashMap<String, Arc<[u8]>>>,
    #[serde(skip)]
    fingerprints: HashMap<String, u64>,
    /// The last index and its shape: edits that change only text reuse its
    /// terms, archive and related articles.
    #[serde(skip)]
    index: Option<(u64, SiteIndex)>,
    /// The last plan, which the same index and settings make again.
    #[serde(skip)]
    plan: Option<Plan>,
    /// The files the watcher saw change since the last rebuild.
    #[serde(skip)]
    hint: Option<Vec<PathBuf>>,
    /// `BODY_BUDGET` unless set.
    #[serde(skip)]
    body_budget: Option<u64>,
}

/// The pages of the last rebuild, kept while the index is.
struct Plan {
    pages: Vec<Page>,
    keys: Vec<String>,
    /// Each page's fingerprint, and each article's it was made from.
    fingerprints: Vec<u64>,
    article_fingerprints: Vec<u64>,
    /// For each article, the pages whose fingerprint takes it in (see
    /// `render::for_each_shown`).
    dependents: Vec<Vec<usize>>,
}

/// For each article, the pages whose fingerprint takes it in.
fn dependents(pages: &[Page], index: &SiteIndex) -> Vec<Vec<usize>> {
    let mut dependents = vec![Vec::new(); index.articles.len()];
    for (i, page) in pages.iter().enumerate() {
        render::for_each_shown(page, index, &mut |id| dependents[id].push(i));
    }
    dependents
}

/// A site planned anew, and which of its pages show something new.
pub(crate) struct Update {
    pub site: Site,
    /// Each page's fingerprint.
    pub fingerprints: Vec<u64>,
    pub stale: Vec<bool>,
    /// The index's shape, to reuse the index next time.
    pub shape: u64,
    /// Each article's fingerprint, in the index's order.
    pub article_fingerprints: Vec<u64>,
    /// The kept plan's dependents, when it was kept.
    pub dependents: Option<Vec<Vec<usize>>>,
}

/// The result of a rebuild.
pub struct Rebuilt {
    /// Every file of the site, by output path.
    pub files: Arc<HashMap<String, Arc<[u8]>>>,
    pub base_path: String,
    pub report: BuildReport,
}

fn stamp(root: &Path, found: &load::Found) -> Stamp {
    let meta = std::fs::metadata(root.join(&found.path)).ok();
    Stamp {
        modified: meta.as_ref().and_then(|m| m.modified().ok()),
        len: meta.map_or(0, |m| m.len()),
        siblings: found.siblings.clone(),
        bundle: found.bundle,
    }
}

/// A hash of site.yaml, every template file, the build options and the
/// version of arshif.
pub(crate) fn inputs(opts: &BuildOptions) -> u64 {
    let mut h = DefaultHasher::new();
    (&opts.base_url, opts.drafts, env!("CARGO_PKG_VERSION")).hash(&mut h);
    std::fs::read(opts.root.join(crate::config::FILE_NAME))
        .ok()
        .hash(&mut h);
    let dir = opts.root.join(render::templates::TEMPLATES_DIR);
    for entry in walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(|e| e.ok())
    {
        (entry.path(), std::fs::read(entry.path()).ok()).hash(&mut h);
    }
    h.finish()
}

impl Incremental {
    /// Rebuilds in memory: the preview server's site.
    pub fn rebuild(&mut self, opts: &BuildOptions) -> Result<Rebuilt> {
        let inputs = self.inputs;
        let mut fingerprints = std::mem::take(&mut self.fingerprints);
        let files = std::mem::take(&mut self.files);
        match self.rebuild_from(opts, &mut fingerprints, files.clone()) {
            Ok(rebuilt) => {
                self.fingerprints = fingerprints;
                self.files = Arc::clone(&rebuilt.files);
                Ok(rebuilt)
            }
            Err(e) => {
                // The files are as they were, unless everything starts anew.
                if self.inputs == inputs {
                    self.fingerprints = fingerprints;
                    self.files = files;
                }
                Err(e)
            }
        }
    }

    fn rebuild_from(
        &mut self,
        opts: &BuildOptions,
        fingerprints: &mut HashMap<String, u64>,
        files: Arc<HashMap<String, Arc<[u8]>>>,
    ) -> Result<Rebuilt> {
        let Update {
            site,
            fingerprints: page_fps,
            stale,
            shape,
            article_fingerprints,
            dependents: kept_dependents,
        } = self.update(opts, &|key| fingerprints.get(key).copied())?;
        // The previous files with the new ones in: a copy while the server
        // still serves the previous ones.
        let mut files = Arc::unwrap_or_clone(files);
        files.extend(build::render_to_memory(&site, &|i| stale[i], &())?);
        for (i, key) in site.keys.iter().enumerate() {
            if stale[i] {
                fingerprints.insert(key.clone(), page_fps[i]);
            }
        }
        let extras = build::extras(&site);
        let sink = MemorySink::default();
        let mut extra_keys = Vec::with_capacity(extras.len());
        for (rel, extra) in &extras {
            let key = memory_key(rel);
            let (fp, _) = extra.fingerprint();
            if fingerprints.get(&key) != Some(&fp) {
                extra.put(rel, &sink)?;
                fingerprints.insert(key.clone(), fp);
            }
            extra_keys.push(key);
        }
        files.extend(sink.into_files());
        let count = site.keys.len() + extra_keys.len();
        if files.len() > count || fingerprints.len() > count {
            let current: HashSet<&str> = site
                .keys
                .iter()
                .chain(&extra_keys)
                .map(String::as_str)
                .collect();
            files.retain(|k, _| current.contains(k.as_str()));
            fingerprints.retain(|k, _| current.contains(k.as_str()));
        }
        let report = BuildReport {
            articles: site.index.articles.len(),
            pages: site.pages.len(),
            files: files.len(),
            bytes: files.values().map(|b| b.len() as u64).sum(),
            rendered: stale.iter().filter(|s| **s).count(),
        };
        let base_path = site.config.base_url.path().to_owned();
        let dependents = kept_dependents.unwrap_or_else(|| dependents(&site.pages, &site.index));
        self.plan = Some(Plan {
            pages: site.pages,
            keys: site.keys,
            fingerprints: page_fps,
            article_fingerprints,
            dependents,
        });
        self.index = Some((shape, site.index));
        Ok(Rebuilt {
            files: Arc::new(files),
            base_path,
            report,
        })
    }

    /// Parks rendered bodies in a temporary file when more than `bytes` of
    /// articles are read at once (by default `BODY_BUDGET`).
    pub fn with_body_budget(self, bytes: u64) -> Incremental {
        Incremental {
            body_budget: Some(bytes),
            ..self
        }
    }

    /// Tells the next rebuild which files changed (relative to the site's
    /// root), as a watcher saw: if they are all known articles that are
    /// still there, it looks at them alone instead of at every file.
    pub fn hint(&mut self, changed: Vec<PathBuf>) {
        self.hint = Some(changed);
    }

    /// Whether the site was last built with `opts` and the same site.yaml
    /// and templates.
    pub(crate) fn built_with(&self, opts: &BuildOptions) -> bool {
        self.inputs == Some(inputs(opts))
    }

    /// Reads what changed, plans every page and finds the pages whose
    /// fingerprint differs from `previous` (by output path), or all of
    /// them after a change to site.yaml or the templates.
    pub(crate) fn update(
        &mut self,
        opts: &BuildOptions,
        previous: &dyn Fn(&str) -> Option<u64>,
    ) -> Result<Update> {
        let root = opts.root.as_path();
        // Problems are collected from every step, as a clean build's are.
        let mut problems = Vec::new();
        let config = build::load_config(opts).unwrap_or_else(|errs| {
            problems.extend(errs);
            Config::fallback()
        });
        let inputs = inputs(opts);
        // New settings or templates: nothing of before can be trusted.
        let fresh = self.inputs != Some(inputs);
        if fresh {
            *self = Incremental {
                inputs: Some(inputs),
                body_budget: self.body_budget,
                ..Incremental::default()
            };
        }
        if self.templates.is_none() {
            match Templates::load(root, &config) {
                Ok(t) => self.templates = Some(Arc::new(t)),
                Err(errs) => problems.extend(errs),
            }
        }
        let articles = match build::content_missing(root) {
            None => self.read_articles(root, &config, opts.drafts, &mut problems)?,
            Some(d) => {
                problems.push(d);
                Vec::new()
            }
        };
        let shape = SiteIndex::shape(self.articles.values().filter(|k| !k.held).map(|k| k.shape));
        let previous_plan = self.plan.take();
        let (index, plan) = match self.index.take() {
            Some((old_shape, old)) if old_shape == shape => {
                (old.with_articles(articles), previous_plan)
            }
            _ => {
                let index = SiteIndex::build(articles, &config).unwrap_or_else(|errs| {
                    problems.extend(errs);
                    SiteIndex::empty()
                });
                (index, None)
            }
        };
        let (pages, keys, kept) = match plan {
            Some(p) => (
                p.pages,
                p.keys,
                Some((p.fingerprints, p.article_fingerprints, p.dependents)),
            ),
            None => {
                let (pages, keys) = build::plan_pages(&index, &config, &mut problems);
                (pages, keys, None)
            }
        };
        let (copies, copy_problems) = build::plan_copies(root, &index, &keys)?;
        problems.extend(copy_problems);
        let templates = match &self.templates {
            Some(t) if problems.is_empty() => Arc::clone(t),
            _ => return Err(Error::Input(Diagnostics::new(problems))),
        };

        // Which pages show something new.
        let article_fps: Vec<u64> = index
            .articles
            .iter()
            .map(|a| self.articles.get(&a.source).map_or(0, |k| k.fingerprint))
            .collect();
        let sitemap = render::sitemap_fingerprint(&pages, &index);
        let fingerprint = |i: usize| render::fingerprint(&pages[i], &index, &article_fps, sitemap);
        let (fps, stale, dependents) = match kept {
            // The same plan: only pages showing an article whose
            // fingerprint changed, and those made of the whole site, can
            // have changed.
            Some((mut fps, old_article_fps, dependents)) => {
                let mut todo: Vec<usize> = (0..pages.len())
                    .filter(|&i| render::depends_on_all(&pages[i]))
                    .collect();
                for (id, deps) in dependents.iter().enumerate() {
                    if article_fps[id] != old_article_fps[id] {
                        todo.extend(deps);
                    }
                }
                todo.sort_unstable();
                todo.dedup();
                let mut stale = vec![false; pages.len()];
                for i in todo {
                    fps[i] = fingerprint(i);
                    stale[i] = previous(&keys[i]) != Some(fps[i]);
                }
                (fps, stale, Some(dependents))
            }
            None => {
                let fps: Vec<u64> = (0..pages.len()).into_par_iter().map(fingerprint).collect();
                let stale = keys
                    .iter()
                    .zip(&fps)
                    .map(|(k, fp)| fresh || previous(k) != Some(*fp))
                    .collect();
                (fps, stale, None)
            }
        };
        let site = Site {
            root: root.to_path_buf(),
            config,
            index,
            templates,
            pages,
            keys,
            copies,
        };
        Ok(Update {
            site,
            fingerprints: fps,
            stale,
            shape,
            article_fingerprints: article_fps,
            dependents,
        })
    }

    /// A kept article's file as it was found last time.
    fn found(&self, path: &Path) -> load::Found {
        let stamp = &self.articles[path].stamp;
        load::Found {
            path: path.to_path_buf(),
            siblings: stamp.siblings.clone(),
            bundle: stamp.bundle,
        }
    }

    /// Every article's URL and whether it is held back, by file.
    fn urls(&self) -> links::Urls {
        self.articles
            .iter()
            .map(|(p, k)| (p.clone(), (k.article.url.clone(), k.held)))
            .collect()
    }

    /// The published articles, reading and rendering only files that
    /// changed (or whose links now lead elsewhere).
    fn read_articles(
        &mut self,
        root: &Path,
        config: &Config,
        drafts: bool,
        problems: &mut Vec<Diagnostic>,
    ) -> Result<Vec<Arc<Article>>> {
        let hinted = self.hint.take().filter(|paths| {
            paths.iter().all(|p| {
                load::is_markdown(p) && self.articles.contains_key(p) && root.join(p).is_file()
            })
        });
        let mut changed: Vec<(load::Found, Stamp)> = match hinted {
            // Only these files changed; no file came or went.
            Some(mut paths) => {
                paths.sort();
                paths.dedup();
                paths
                    .iter()
                    .map(|p| self.found(p))
                    .map(|f| {
                        let s = stamp(root, &f);
                        (f, s)
                    })
                    .filter(|(f, s)| self.articles[&f.path].stamp != *s)
                    .collect()
            }
            None => {
                let found = load::scan(root)?;
                let present: HashSet<&Path> = found.iter().map(|f| f.path.as_path()).collect();
                self.articles
                    .retain(|path, _| present.contains(path.as_path()));
                let stamps: Vec<Stamp> = found.par_iter().map(|f| stamp(root, f)).collect();
                found
                    .into_iter()
                    .zip(stamps)
                    .filter(|(f, s)| self.articles.get(&f.path).is_none_or(|k| k.stamp != *s))
                    .collect()
            }
        };

        // Beyond a budget (an archive of some 30,000 articles read at once)
        // only front matter is read first, each file is read whole when its
        // article is rendered, and rendered bodies are parked in a
        // temporary file until their pages are.
        let budget = self.body_budget.unwrap_or(BODY_BUDGET);
        let large = changed.iter().map(|(_, s)| s.len).sum::<u64>() > budget;

        // URLs of every article: kept ones as they were, changed ones anew.
        let mut prepared = read_drafts(
            root,
            changed.iter().map(|(f, _)| f),
            large,
            config,
            problems,
        )?;
        let held = |draft: bool| draft && !drafts;
        let mut urls = self.urls();
        for d in &prepared {
            urls.insert(
                d.source().to_path_buf(),
                (d.url().clone(), held(d.is_draft())),
            );
        }
        // Changed files that no longer parse have no URL.
        let ok: HashSet<&Path> = prepared.iter().map(|d| d.source()).collect();
        for (f, _) in &changed {
            if !ok.contains(f.path.as_path()) {
                urls.remove(&f.path);
            }
        }
        let resolve = |from: &Path, from_held: bool, dest: &str| {
            links::resolve(&urls, &config.base_url, from, from_held, dest)
        };

        // Kept articles whose links now resolve differently are read again.
        let changed_paths: HashSet<PathBuf> = changed.iter().map(|(f, _)| f.path.clone()).collect();
        let relinked: HashSet<PathBuf> = self
            .articles
            .iter()
            .filter(|(p, k)| {
                !changed_paths.contains(*p)
                    && k.article
                        .resolutions
                        .iter()
                        .any(|(dest, old)| resolve(p, k.held, dest) != *old)
            })
            .map(|(p, _)| p.clone())
            .collect();
        if !relinked.is_empty() {
            let more: Vec<(load::Found, Stamp)> = relinked
                .iter()
                .map(|p| {
                    let f = self.found(p);
                    let s = stamp(root, &f);
                    (f, s)
                })
                .collect();
            let extra = read_drafts(root, more.iter().map(|(f, _)| f), large, config, problems)?;
            changed.extend(more);
            prepared.extend(extra);
        }

        let stamps: HashMap<&Path, &Stamp> =
            changed.iter().map(|(f, s)| (f.path.as_path(), s)).collect();
        let spill = large.then(Spill::new).transpose()?.map(Arc::new);
        type Finished = Result<std::result::Result<(PathBuf, Kept), [Diagnostic; 1]>>;
        let finished: Vec<Finished> = prepared
            .into_par_iter()
            .map(|d: Draft| {
                let path = d.source().to_path_buf();
                let is_held = held(d.is_draft());
                let mut article =
                    match d.finish(root, config, &|dest| resolve(&path, is_held, dest)) {
                        Ok(article) => article,
                        Err(problem) => return Ok(Err([problem])),
                    };
                if let (Some(spill), Body::Here(html)) = (&spill, &article.body) {
                    article.body = Body::Parked(Arc::clone(spill), spill.park(html)?);
                }
                let stamp = stamps
                    .get(path.as_path())
                    .map(|s| (*s).clone())
                    .expect("changed files have stamps");
                // The stamp stands for the text, as it does for knowing
                // what changed; hashing the text would cost as much as
                // reading it again.
                let mut h = DefaultHasher::new();
                (&stamp, &article.resolutions).hash(&mut h);
                let kept = Kept {
                    stamp,
                    shape: SiteIndex::article_shape(&article),
                    article: Arc::new(article),
                    held: is_held,
                    fingerprint: h.finish(),
                };
                Ok(Ok((path, kept)))
            })
            .collect();
        let kept = sort_out(finished, problems)?;
        // Files that failed to parse are forgotten, so they are read again.
        for (f, _) in &changed {
            self.articles.remove(&f.path);
        }
        self.articles.extend(kept);

        let all: Vec<&Article> = self.articles.values().map(|k| k.article.as_ref()).collect();
        let unpublished: HashSet<PathBuf> = self
            .articles
            .iter()
            .filter(|(_, k)| k.held)
            .map(|(p, _)| p.clone())
            .collect();
        problems.extend(links::check(&all, &unpublished));
        Ok(self
            .articles
            .values()
            .filter(|k| !k.held)
            .map(|k| Arc::clone(&k.article))
            .collect())
    }
}

/// Reads the files found (with `head_only`, only their front matter) and
/// the URL each would have.
fn read_drafts<'a>(
    root: &Path,
    found: impl Iterator<Item = &'a load::Found>,
    head_only: bool,
    config: &Config,
    problems: &mut Vec<Diagnostic>,
) -> Result<Vec<Draft>> {
    let found: Vec<&load::Found> = found.collect();
    let drafts: Vec<_> = found
        .par_iter()
        .map(|f| {
            let file = if head_only {
                load::read_head(root, f)?
            } else {
                load::read(root, f)?
            };
            Ok(file
                .map_err(|d| vec![d])
                .and_then(|file| Article::prepare(file, config)))
        })
        .collect();
    sort_out(drafts, problems)
}

/// What succeeded, with the problems of the rest added to `problems`; an
/// I/O error stops everything.
fn sort_out<T, P: IntoIterator<Item = Diagnostic>>(
    results: Vec<Result<std::result::Result<T, P>>>,
    problems: &mut Vec<Diagnostic>,
) -> Result<Vec<T>> {
    let mut done = Vec::with_capacity(results.len());
    for r in results {
        match r? {
            Ok(t) => done.push(t),
            Err(p) => problems.extend(p),
        }
    }
    Ok(done)
}
