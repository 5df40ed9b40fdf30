//! Tags, authors and sources: articles grouped by the name a reader would
//! call the same, whatever its diacritics, tatweel, spacing or normal form.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::config::TaxonomyKind;
use crate::content::Article;
use crate::diagnostics::{Diagnostic, Severity, Span};
use crate::index::ArticleId;
use crate::text;
use crate::url::UrlPath;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The most frequent written form.
    pub name: String,
    pub key: String,
    pub slug: String,
    pub url: UrlPath,
    /// Newest first.
    pub articles: Vec<ArticleId>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Taxonomy {
    pub kind: TaxonomyKind,
    /// Sorted by slug.
    pub terms: Vec<Term>,
    /// Every spelling used in front matter → its term's index.
    spellings: HashMap<String, usize>,
}

impl Taxonomy {
    pub fn empty(kind: TaxonomyKind) -> Taxonomy {
        Taxonomy {
            kind,
            terms: Vec::new(),
            spellings: HashMap::new(),
        }
    }

    pub fn url(&self) -> UrlPath {
        UrlPath::dir([self.kind.name()])
    }

    /// Terms as the list page shows them: most articles first, then in
    /// Arabic alphabetical order ignoring diacritics.
    pub fn by_count(&self) -> Vec<&Term> {
        let mut terms: Vec<&Term> = self.terms.iter().collect();
        terms.sort_by(|a, b| {
            b.articles
                .len()
                .cmp(&a.articles.len())
                .then_with(|| collation_key(&a.key).cmp(&collation_key(&b.key)))
                .then_with(|| a.key.cmp(&b.key))
        });
        terms
    }

    /// The term a name written in front matter belongs to.
    pub fn find(&self, name: &str) -> Option<&Term> {
        self.spellings.get(name).map(|&i| &self.terms[i])
    }
}

/// The names an article gives for `kind`.
pub fn names(article: &Article, kind: TaxonomyKind) -> &[String] {
    match kind {
        TaxonomyKind::Tags => &article.meta.tags,
        TaxonomyKind::Authors => &article.meta.authors,
        TaxonomyKind::Sources => article
            .meta
            .source
            .as_ref()
            .map_or(&[], |s| std::slice::from_ref(&s.name)),
    }
}

/// More terms of one kind than one article is expected to have: each of
/// its term pages lists it, so the site grows with the square of the count.
pub const CROWDED: usize = 100;

/// A warning for each article with more than `CROWDED` names of one of
/// `kinds`, at its file and the key's line. Warnings do not fail a build.
pub fn crowded(articles: &[Arc<Article>], kinds: &[TaxonomyKind]) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for article in articles {
        for &kind in kinds {
            let count = names(article, kind).len();
            if count <= CROWDED {
                continue;
            }
            let span = article.meta.spans.get(key_name(kind)).copied();
            let mut d = Diagnostic::error(
                &article.source,
                span,
                format!(
                    "this article has {} {}; the page of each lists it, so the site grows with the square of that number",
                    text::thousands(count),
                    kind.name()
                ),
            )
            .with_help(format!(
                "keep to the {} that matter (at most {CROWDED}); lists show only the first few",
                kind.name()
            ));
            d.severity = Severity::Warning;
            warnings.push(d);
        }
    }
    warnings
}

fn key_name(kind: TaxonomyKind) -> &'static str {
    match kind {
        TaxonomyKind::Tags => "tags",
        TaxonomyKind::Authors => "author",
        TaxonomyKind::Sources => "source",
    }
}

/// Groups `articles` (newest first) into the terms of `kind`. Two different
/// terms that would share a URL are an error naming both and their files.
/// `letters` says whether yeh and kaf forms are one letter in term keys.
pub fn build(
    kind: TaxonomyKind,
    articles: &[Arc<Article>],
    letters: text::Letters,
) -> Result<Taxonomy, Vec<Diagnostic>> {
    struct Group {
        spellings: BTreeMap<String, usize>,
        articles: Vec<ArticleId>,
    }
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    // Names repeat across thousands of articles; normalise each spelling once.
    let mut keys: HashMap<&str, String> = HashMap::new();
    for (id, article) in articles.iter().enumerate() {
        for name in names(article, kind) {
            let key = keys
                .entry(name)
                .or_insert_with(|| text::term_key_with(name, letters))
                .clone();
            let g = groups.entry(key).or_insert_with(|| Group {
                spellings: BTreeMap::new(),
                articles: Vec::new(),
            });
            *g.spellings.entry(name.clone()).or_default() += 1;
            if g.articles.last() != Some(&id) {
                g.articles.push(id);
            }
        }
    }
    let mut terms: Vec<Term> = groups
        .into_iter()
        .map(|(key, g)| {
            // Most used spelling; among equals, the first in code-point order.
            let name = g
                .spellings
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
                .map(|(n, _)| n.clone())
                .unwrap_or_default();
            let slug = text::slugify(&key);
            Term {
                url: UrlPath::dir([kind.name(), &slug]),
                name,
                key,
                slug,
                articles: g.articles,
            }
        })
        .collect();
    terms.sort_by(|a, b| a.slug.cmp(&b.slug).then_with(|| a.key.cmp(&b.key)));

    let mut problems = Vec::new();
    for pair in terms.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        if a.slug == b.slug {
            problems.extend(clash(kind, a, b, articles));
        }
    }
    let index: HashMap<&str, usize> = terms
        .iter()
        .enumerate()
        .map(|(i, t)| (t.key.as_str(), i))
        .collect();
    let spellings = keys
        .iter()
        .map(|(name, key)| (name.to_string(), index[key.as_str()]))
        .collect();
    if problems.is_empty() {
        Ok(Taxonomy {
            kind,
            terms,
            spellings,
        })
    } else {
        Err(problems)
    }
}

fn clash(kind: TaxonomyKind, a: &Term, b: &Term, articles: &[Arc<Article>]) -> Vec<Diagnostic> {
    let first_file = |t: &Term| {
        articles[*t.articles.last().expect("a term has articles")]
            .source
            .display()
            .to_string()
    };
    let message = format!(
        "`{}` ({}) and `{}` ({}) are different {} but both would be at {}",
        a.name,
        first_file(a),
        b.name,
        first_file(b),
        kind.name(),
        a.url
    );
    [a, b]
        .iter()
        .map(|t| {
            let article = &articles[*t.articles.last().expect("a term has articles")];
            let span = article
                .meta
                .spans
                .get(key_name(kind))
                .copied()
                .unwrap_or(Span::new(2, 1));
            Diagnostic::error(&article.source, Some(span), message.clone()).with_help(
                "write them the same way if they are one name, or make them differ in letters",
            )
        })
        .collect()
}

/// A sort key that puts Arabic names in dictionary order: hamza seats,
/// alef maqsura and taa marbuta sort with their base letters.
pub fn collation_key(key: &str) -> String {
    key.chars()
        .map(|c| match c {
            'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
            'ؤ' => 'و',
            'ئ' | 'ى' => 'ي',
            'ة' => 'ه',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_dictionary_order() {
        let mut names = vec!["ياسمين", "أحمد", "بكين", "إيران", "آسيا", "تونس", "المدينة"];
        names.sort_by_key(|n| collation_key(n));
        // Hamza seats fold into alef: احمد < اسيا < المدينه < ايران.
        assert_eq!(
            names,
            ["أحمد", "آسيا", "المدينة", "إيران", "بكين", "تونس", "ياسمين"]
        );
    }
}
