//! The whole site as one structure: articles in reading order, their terms,
//! their dates and their neighbours. Problems that need more than one file
//! (two articles at one URL, two terms at one URL) are found here.

pub mod archive;
pub mod paginate;
pub mod taxonomy;

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;

use crate::config::{Config, TaxonomyKind};
use crate::content::Article;
use crate::diagnostics::{Diagnostic, Span};
use crate::text;
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
    pub articles: Vec<Article>,
    /// In site.yaml's order.
    pub taxonomies: Vec<Taxonomy>,
    pub archive: DateArchive,
    /// For each article, up to `RELATED` others: most shared tags first,
    /// then nearest in time.
    pub related: Vec<Vec<ArticleId>>,
}

impl SiteIndex {
    pub fn build(
        mut articles: Vec<Article>,
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
        let related = related(&articles);
        Ok(SiteIndex {
            archive: DateArchive::build(&articles),
            articles,
            taxonomies,
            related,
        })
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

/// The page of a tag, author or source: `/tags/شي-جين-بينغ/`.
pub fn term_url(kind: TaxonomyKind, name: &str) -> UrlPath {
    UrlPath::dir([kind.name(), &text::slugify(name)])
}

fn url_clashes(articles: &[Article]) -> Vec<Diagnostic> {
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
/// among equals.
fn related(articles: &[Article]) -> Vec<Vec<ArticleId>> {
    let keys: Vec<Vec<String>> = articles
        .iter()
        .map(|a| {
            let mut k: Vec<String> = a.meta.tags.iter().map(|t| text::term_key(t)).collect();
            k.sort();
            k.dedup();
            k
        })
        .collect();
    let mut by_tag: HashMap<&str, Vec<ArticleId>> = HashMap::new();
    for (id, ks) in keys.iter().enumerate() {
        for k in ks {
            by_tag.entry(k).or_default().push(id);
        }
    }
    (0..articles.len())
        .into_par_iter()
        .map(|id| {
            let mut shared: HashMap<ArticleId, usize> = HashMap::new();
            for k in &keys[id] {
                for &other in &by_tag[k.as_str()] {
                    if other != id {
                        *shared.entry(other).or_default() += 1;
                    }
                }
            }
            let when = articles[id].meta.date.timestamp();
            let mut candidates: Vec<(usize, i64, ArticleId)> = shared
                .into_iter()
                .map(|(other, n)| {
                    (
                        n,
                        (articles[other].meta.date.timestamp() - when).abs(),
                        other,
                    )
                })
                .collect();
            // Ids are in URL-tie-broken date order, so the last key is stable.
            candidates
                .sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
            candidates
                .into_iter()
                .take(RELATED)
                .map(|(_, _, other)| other)
                .collect()
        })
        .collect()
}
