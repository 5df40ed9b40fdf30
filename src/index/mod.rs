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

/// Each article's related articles, by `ArticleId`.
pub type Related = Arc<Vec<Vec<ArticleId>>>;

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
    /// then nearest in time. Shared with the build cache, which keeps it.
    pub related: Related,
}

impl SiteIndex {
    /// The index of `articles`, with the problems that need more than one
    /// file: of articles that share a URL only the first (by file) is
    /// kept, and a taxonomy with two terms at one URL is left empty.
    /// `related` is that of an index of the same `shape`, when known: it
    /// is the same, and the costliest part to make.
    pub fn build(
        mut articles: Vec<Arc<Article>>,
        config: &Config,
        related: Option<Related>,
    ) -> (SiteIndex, Vec<Diagnostic>) {
        articles.sort_by(|a, b| {
            b.meta
                .date
                .cmp(&a.meta.date)
                .then_with(|| a.url.cmp(&b.url))
                .then_with(|| a.source.cmp(&b.source))
        });
        let mut problems = url_clashes(&articles);
        if !problems.is_empty() {
            let mut seen = std::collections::HashSet::new();
            articles.retain(|a| seen.insert(a.url.clone()));
        }
        let mut taxonomies = Vec::new();
        let built: Vec<_> = config
            .taxonomies
            .par_iter()
            .map(|&kind| {
                let profiles = config.profiles(kind);
                (
                    kind,
                    taxonomy::build(kind, &articles, profiles, config.letters),
                )
            })
            .collect();
        for (kind, built) in built {
            match built {
                Ok(t) => taxonomies.push(t),
                Err(errs) => {
                    problems.extend(errs);
                    taxonomies.push(Taxonomy::empty(kind));
                }
            }
        }
        let related = match related {
            Some(known) if known.len() == articles.len() => known,
            _ => Arc::new(self::related(
                &articles,
                taxonomies.iter().find(|t| t.kind == TaxonomyKind::Tags),
            )),
        };
        let index = SiteIndex {
            archive: DateArchive::build(&articles),
            articles,
            taxonomies,
            related,
        };
        (index, problems)
    }

    /// What the index is made of, besides the articles' text: their
    /// files, URLs, dates (and update dates, which sitemaps show) and names. Two sets of articles with the same
    /// shape have the same order, terms, archive and related articles.
    /// Made of each article's `article_shape`, in any order.
    pub fn shape(article_shapes: impl Iterator<Item = u64>) -> u64 {
        use std::hash::{Hash, Hasher};
        let (count, sum) =
            article_shapes.fold((0usize, 0u64), |(n, sum), s| (n + 1, sum.wrapping_add(s)));
        let mut h = std::hash::DefaultHasher::new();
        (count, sum).hash(&mut h);
        h.finish()
    }

    /// One article's part of `shape`.
    pub fn article_shape(a: &Article) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::hash::DefaultHasher::new();
        (
            &a.source,
            &a.url,
            a.meta.date.timestamp(),
            a.meta.date.offset().local_minus_utc(),
            a.meta
                .updated
                .map(|d| (d.timestamp(), d.offset().local_minus_utc())),
            &a.meta.tags,
            &a.meta.authors,
            a.meta.source.as_ref().map(|s| &s.name),
            &a.meta.aliases,
        )
            .hash(&mut h);
        h.finish()
    }

    /// This index with `articles` in place of its own, which must have the
    /// same shape (same files, URLs, dates and names; new text).
    pub fn with_articles(self, articles: Vec<Arc<Article>>) -> SiteIndex {
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
        SiteIndex { articles, ..self }
    }

    pub fn empty() -> SiteIndex {
        SiteIndex {
            articles: Vec::new(),
            taxonomies: Vec::new(),
            archive: DateArchive::default(),
            related: Arc::default(),
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
fn related(articles: &[Arc<Article>], tags: Option<&Taxonomy>) -> Vec<Vec<ArticleId>> {
    let Some(tags) = tags else {
        return vec![Vec::new(); articles.len()];
    };
    let when: Vec<i64> = articles.iter().map(|a| a.meta.date.timestamp()).collect();
    related_by(&when, &tags.terms, NEAREST)
}

/// How many articles on each side in time of an article each of its tags
/// offers as candidates.
const NEAREST: usize = 100;

/// Ranks candidates by (more shared tags, nearer in time, newer): `when`
/// is each article's time, newest first, and each term lists its articles
/// in that order.
///
/// The candidates are the `nearest` articles before and after the article
/// on each of its tags: every article of a small tag, and the articles of
/// the day for a tag on 40 % of the archive. Taking every article of such
/// a tag would make the work quadratic in the archive's size.
fn related_by(when: &[i64], terms: &[taxonomy::Term], nearest: usize) -> Vec<Vec<ArticleId>> {
    let n = when.len();
    // Each article's terms, all in one array (article `id`'s are
    // `flat[starts[id]..starts[id + 1]]`): candidates are met in no
    // particular order, and one small allocation per article made every
    // look-up a cache miss on large archives.
    let mut starts = vec![0; n + 1];
    for term in terms {
        for &id in &term.articles {
            starts[id + 1] += 1;
        }
    }
    for id in 0..n {
        starts[id + 1] += starts[id];
    }
    let mut flat = vec![0; starts[n]];
    let mut next = starts.clone();
    for (t, term) in terms.iter().enumerate() {
        for &id in &term.articles {
            flat[next[id]] = t;
            next[id] += 1;
        }
    }
    let article_terms = |id: ArticleId| &flat[starts[id]..starts[id + 1]];
    type Key = (std::cmp::Reverse<usize>, i64, ArticleId);
    (0..n)
        .into_par_iter()
        .map_init(
            || (vec![false; n], vec![false; terms.len()], Vec::new()),
            |(seen, mine, touched), id| {
                for &t in article_terms(id) {
                    mine[t] = true;
                }
                let mut best: Vec<Key> = Vec::with_capacity(RELATED + 1);
                for &t in article_terms(id) {
                    let list = terms[t].articles.as_slice();
                    let at = list.partition_point(|&a| a < id);
                    let window =
                        &list[at.saturating_sub(nearest)..(at + 1 + nearest).min(list.len())];
                    for &other in window {
                        if other == id || seen[other] {
                            continue;
                        }
                        seen[other] = true;
                        touched.push(other);
                        let shared = article_terms(other).iter().filter(|&&o| mine[o]).count();
                        let key = (
                            std::cmp::Reverse(shared),
                            (when[other] - when[id]).abs(),
                            other,
                        );
                        if best.len() < RELATED || key < best[best.len() - 1] {
                            let at = best.partition_point(|b| *b < key);
                            best.insert(at, key);
                            best.truncate(RELATED);
                        }
                    }
                }
                for &t in article_terms(id) {
                    mine[t] = false;
                }
                for &other in touched.iter() {
                    seen[other] = false;
                }
                touched.clear();
                best.into_iter().map(|(_, _, other)| other).collect()
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(articles: Vec<ArticleId>) -> taxonomy::Term {
        taxonomy::Term {
            name: String::new(),
            key: String::new(),
            slug: String::new(),
            url: UrlPath::dir(["t"]),
            articles,
            profile: None,
        }
    }

    /// Every article sharing a tag, ranked without any window.
    fn brute_force(when: &[i64], terms: &[taxonomy::Term]) -> Vec<Vec<ArticleId>> {
        let tags_of = |id: ArticleId| -> Vec<usize> {
            (0..terms.len())
                .filter(|&t| terms[t].articles.contains(&id))
                .collect()
        };
        (0..when.len())
            .map(|id| {
                let mine = tags_of(id);
                let mut ranked: Vec<_> = (0..when.len())
                    .filter(|&o| o != id)
                    .map(|o| {
                        let shared = tags_of(o).iter().filter(|t| mine.contains(t)).count();
                        (std::cmp::Reverse(shared), (when[o] - when[id]).abs(), o)
                    })
                    .filter(|k| k.0.0 > 0)
                    .collect();
                ranked.sort();
                ranked.into_iter().take(RELATED).map(|k| k.2).collect()
            })
            .collect()
    }

    #[test]
    fn related_ranks_like_brute_force_when_every_candidate_fits() {
        // 300 articles, newest first, with 1 to 4 of 12 tags each, chosen
        // by a fixed pseudo-random sequence; some tags cover most articles.
        let n = 300;
        let mut seed = 7u64;
        let mut next = move || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        };
        let when: Vec<i64> = (0..n)
            .map(|i| 1_000_000 - (i as i64) * 3600 - (next() % 3600) as i64)
            .collect();
        let mut lists = vec![Vec::new(); 12];
        for id in 0..n {
            for _ in 0..1 + next() % 4 {
                // Squaring skews towards low tag numbers: wide tags.
                let t = (next() % 12) * (next() % 12) / 12;
                if lists[t].last() != Some(&id) {
                    lists[t].push(id);
                }
            }
        }
        let terms: Vec<_> = lists.into_iter().map(term).collect();
        assert!(terms[0].articles.len() > n / 3, "one tag is wide");
        assert_eq!(related_by(&when, &terms, n), brute_force(&when, &terms));
    }

    #[test]
    fn a_wide_tag_offers_only_the_articles_nearest_in_time() {
        // Article 0 shares one tag with all and a second tag with 9 only.
        let when: Vec<i64> = (0..10).map(|i| 100 - i).collect();
        let terms = vec![term((0..10).collect()), term(vec![0, 9])];
        assert_eq!(related_by(&when, &terms, 100)[0], [9, 1, 2, 3, 4]);
        // With a window of 3, the wide tag offers articles 1 to 3 only; the
        // small tag still offers article 9.
        assert_eq!(related_by(&when, &terms, 3)[0], [9, 1, 2, 3]);
        let terms = vec![term((0..10).collect()), term((0..10).collect())];
        assert_eq!(related_by(&when, &terms, 2)[5], [4, 6, 3, 7]);
    }
}
