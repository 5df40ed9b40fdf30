//! The whole site as one structure: articles in reading order, their terms,
//! their dates and their neighbours. Problems that need more than one file
//! (two articles at one URL, two terms at one URL) are found here.

pub mod archive;
pub mod links;
pub mod paginate;
pub mod taxonomy;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::{Config, TaxonomyKind};
use crate::content::Article;
use crate::diagnostics::{Diagnostic, Span};
use crate::url::UrlPath;
use archive::DateArchive;
use taxonomy::Taxonomy;

/// An index into `SiteIndex::articles`.
pub type ArticleId = usize;

/// How many related articles an article page shows.
pub const RELATED: usize = 5;

#[derive(Debug)]
pub struct SiteIndex {
    /// Newest first; ties broken by URL so that order never depends on
    /// file-system or thread order.
    pub articles: Vec<Arc<Article>>,
    /// In site.yaml's order.
    pub taxonomies: Vec<Taxonomy>,
    pub archive: DateArchive,
    /// For each article, up to `RELATED` others: most shared tags first,
    /// then nearest in time.
    pub related: Vec<Vec<ArticleId>>,
}

impl SiteIndex {
    pub fn build(
        mut articles: Vec<Arc<Article>>,
        config: &Config,
    ) -> Result<SiteIndex, Vec<Diagnostic>> {
        articles.sort_by(|a, b| {
            b.meta
                .date
                .cmp(&a.meta.date)
                .then_with(|| a.url.cmp(&b.url))
        });
        let mut problems = url_clashes(&articles);
        let mut taxonomies = Vec::new();
        for kind in &config.taxonomies {
            match taxonomy::build(*kind, &articles) {
                Ok(t) => taxonomies.push(t),
                Err(errs) => problems.extend(errs),
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let related = related(
            &articles,
            taxonomies.iter().find(|t| t.kind == TaxonomyKind::Tags),
        );
        Ok(SiteIndex {
            archive: DateArchive::build(&articles),
            articles,
            taxonomies,
            related,
        })
    }

    /// What the index is made of, besides the articles' text: their
    /// files, URLs, dates and names. Two sets of articles with the same
    /// shape have the same order, terms, archive and related articles.
    pub fn shape(articles: &[Arc<Article>]) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut items: Vec<_> = articles
            .iter()
            .map(|a| {
                (
                    &a.source,
                    &a.url,
                    a.meta.date,
                    &a.meta.tags,
                    &a.meta.authors,
                    a.meta.source.as_ref().map(|s| &s.name),
                )
            })
            .collect();
        items.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let mut h = std::hash::DefaultHasher::new();
        for (path, url, date, tags, authors, source) in items {
            (
                path,
                url,
                date.timestamp(),
                date.offset().local_minus_utc(),
                tags,
                authors,
                source,
            )
                .hash(&mut h);
        }
        h.finish()
    }

    /// This index with `articles` in place of its own, which must have the
    /// same shape (same files, URLs, dates and names; new text).
    pub fn with_articles(&self, articles: Vec<Arc<Article>>) -> SiteIndex {
        let mut by_path: HashMap<&std::path::Path, Arc<Article>> = articles
            .iter()
            .map(|a| (a.source.as_path(), Arc::clone(a)))
            .collect();
        let articles = self
            .articles
            .iter()
            .map(|old| {
                by_path
                    .remove(old.source.as_path())
                    .unwrap_or_else(|| Arc::clone(old))
            })
            .collect();
        SiteIndex {
            articles,
            taxonomies: self.taxonomies.clone(),
            archive: self.archive.clone(),
            related: self.related.clone(),
        }
    }

    pub fn empty() -> SiteIndex {
        SiteIndex {
            articles: Vec::new(),
            taxonomies: Vec::new(),
            archive: DateArchive::default(),
            related: Vec::new(),
        }
    }

    pub fn taxonomy(&self, kind: TaxonomyKind) -> Option<&Taxonomy> {
        self.taxonomies.iter().find(|t| t.kind == kind)
    }
}

fn url_clashes(articles: &[Arc<Article>]) -> Vec<Diagnostic> {
    let mut by_url: BTreeMap<&UrlPath, Vec<&Article>> = BTreeMap::new();
    for a in articles {
        by_url.entry(&a.url).or_default().push(a);
    }
    let mut problems = Vec::new();
    for (url, group) in by_url.into_iter().filter(|(_, g)| g.len() > 1) {
        let mut files: Vec<_> = group
            .iter()
            .map(|a| a.source.display().to_string())
            .collect();
        files.sort();
        for a in &group {
            let line = a
                .meta
                .spans
                .get("slug")
                .or_else(|| a.meta.spans.get("date"))
                .copied();
            problems.push(
                Diagnostic::error(
                    &a.source,
                    line.or(Some(Span::new(1, 1))),
                    format!(
                        "{} articles have the URL {url}: {}",
                        group.len(),
                        files.join(", ")
                    ),
                )
                .with_help("give one of them another `slug:` (or another date)"),
            );
        }
    }
    problems
}

/// Related articles by shared tags (compared by term key), nearest in time
/// among equals, the newer of two equally near first.
///
/// Counting runs over each tag's article list, so the work is the sum of the
/// squares of the tag sizes: a dense counter per thread and a running top
/// five keep it linear in that, with no hashing or sorting of candidates.
fn related(articles: &[Arc<Article>], tags: Option<&Taxonomy>) -> Vec<Vec<ArticleId>> {
    let Some(tags) = tags else {
        return vec![Vec::new(); articles.len()];
    };
    let mut article_terms: Vec<Vec<usize>> = vec![Vec::new(); articles.len()];
    for (t, term) in tags.terms.iter().enumerate() {
        for &id in &term.articles {
            article_terms[id].push(t);
        }
    }
    let when: Vec<i64> = articles.iter().map(|a| a.meta.date.timestamp()).collect();
    (0..articles.len())
        .into_par_iter()
        .map_init(
            || (vec![0u32; articles.len()], Vec::new()),
            |(counts, touched), id| {
                for &t in &article_terms[id] {
                    for &other in &tags.terms[t].articles {
                        if other != id {
                            if counts[other] == 0 {
                                touched.push(other);
                            }
                            counts[other] += 1;
                        }
                    }
                }
                // Best first: more shared tags, then nearer in time, then newer.
                let key = |other: ArticleId, n: u32| {
                    (std::cmp::Reverse(n), (when[other] - when[id]).abs(), other)
                };
                let mut best: Vec<(std::cmp::Reverse<u32>, i64, ArticleId)> =
                    Vec::with_capacity(RELATED + 1);
                for &other in touched.iter() {
                    let k = key(other, counts[other]);
                    counts[other] = 0;
                    if best.len() < RELATED || k < best[best.len() - 1] {
                        let at = best.partition_point(|b| *b < k);
                        best.insert(at, k);
                        best.truncate(RELATED);
                    }
                }
                touched.clear();
                best.into_iter().map(|(_, _, other)| other).collect()
            },
        )
        .collect()
}
