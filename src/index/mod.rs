//! The whole site as one structure: articles in reading order, plus what is
//! derived from all of them. Problems that need more than one file (two
//! articles at one URL) are found here.

pub mod paginate;

use std::collections::BTreeMap;

use crate::config::{Config, TaxonomyKind};
use crate::content::Article;
use crate::diagnostics::{Diagnostic, Span};
use crate::text;
use crate::url::UrlPath;

/// An index into `SiteIndex::articles`.
pub type ArticleId = usize;

#[derive(Debug)]
pub struct SiteIndex {
    /// Newest first; ties broken by URL so that order never depends on
    /// file-system or thread order.
    pub articles: Vec<Article>,
}

impl SiteIndex {
    pub fn build(
        mut articles: Vec<Article>,
        _config: &Config,
    ) -> Result<SiteIndex, Vec<Diagnostic>> {
        articles.sort_by(|a, b| {
            b.meta
                .date
                .cmp(&a.meta.date)
                .then_with(|| a.url.cmp(&b.url))
        });
        let problems = url_clashes(&articles);
        if problems.is_empty() {
            Ok(SiteIndex { articles })
        } else {
            Err(problems)
        }
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
