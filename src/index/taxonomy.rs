//! Tags, authors and sources: articles grouped by the name a reader would
//! call the same, whatever its diacritics, tatweel, spacing or normal form.

use std::collections::HashMap;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::config::TaxonomyKind;
use crate::content::Article;
use crate::diagnostics::{Diagnostic, Severity, Span};
use crate::index::ArticleId;
use crate::profile::{self, Profile};
use crate::text;
use crate::url::UrlPath;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The name site.yaml's profile gives it, else its most frequent
    /// written form.
    pub name: String,
    pub key: String,
    pub slug: String,
    pub url: UrlPath,
    /// Newest first.
    pub articles: Vec<ArticleId>,
    /// Its entry in site.yaml's `authors:` or `sources:`.
    pub profile: Option<usize>,
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

    /// Terms in alphabetical order (hamza seats with their letter,
    /// diacritics ignored).
    pub fn by_name(&self) -> Vec<&Term> {
        let mut terms: Vec<&Term> = self.terms.iter().collect();
        terms.sort_by_cached_key(|t| (index_key(&t.key), t.key.clone()));
        terms
    }

    /// Terms by their initial (see `initial`), letters in alphabetical
    /// order, each letter's terms too.
    pub fn by_letter(&self) -> Vec<(String, Vec<&Term>)> {
        let mut letters: Vec<(String, Vec<&Term>)> = Vec::new();
        for term in self.by_name() {
            let letter = initial(&term.key);
            match letters.iter_mut().find(|(l, _)| *l == letter) {
                Some((_, terms)) => terms.push(term),
                None => letters.push((letter, vec![term])),
            }
        }
        // Arabic-script letters first, then the others, then digits and signs.
        letters.sort_by_cached_key(|(l, _)| {
            let arabic = l.chars().next().is_some_and(is_arabic_script);
            (l == DIGITS, !arabic, collation_key(l))
        });
        letters
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
    profiles: &[Profile],
    letters: text::Letters,
) -> Result<Taxonomy, Vec<Diagnostic>> {
    // Every spelling of a profile is its name's term.
    let known = profile::by_key(profiles, letters);
    let profile_key: Vec<String> = profiles
        .iter()
        .map(|p| text::term_key_with(&p.name, letters))
        .collect();
    struct Group<'a> {
        key: String,
        /// Each spelling and how many articles use it; most terms have one.
        spellings: Vec<(&'a str, usize)>,
        articles: Vec<ArticleId>,
    }
    let mut groups: Vec<Group<'_>> = Vec::new();
    let mut by_key: FxHashMap<String, usize> = FxHashMap::default();
    // Names repeat across thousands of articles; normalise each spelling once.
    let mut by_name: FxHashMap<&str, usize> = FxHashMap::default();
    for (id, article) in articles.iter().enumerate() {
        for name in names(article, kind) {
            let g = match by_name.get(name.as_str()) {
                Some(&g) => g,
                None => {
                    let key = text::term_key_with(name, letters);
                    let key = known.get(&key).map_or(key, |&i| profile_key[i].clone());
                    let g = *by_key.entry(key).or_insert_with_key(|key| {
                        groups.push(Group {
                            key: key.clone(),
                            spellings: Vec::new(),
                            articles: Vec::new(),
                        });
                        groups.len() - 1
                    });
                    by_name.insert(name, g);
                    g
                }
            };
            let g = &mut groups[g];
            match g.spellings.iter_mut().find(|(n, _)| *n == name) {
                Some((_, count)) => *count += 1,
                None => g.spellings.push((name, 1)),
            }
            if g.articles.last() != Some(&id) {
                g.articles.push(id);
            }
        }
    }
    let mut terms: Vec<Term> = groups
        .into_iter()
        .map(|g| {
            // Most used spelling; among equals, the first in code-point order.
            let name = g
                .spellings
                .iter()
                .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(a.0)))
                .map(|(n, _)| (*n).to_owned())
                .unwrap_or_default();
            let key = g.key;
            let slug = text::slugify(&key);
            let profile = known.get(&key).copied();
            Term {
                url: UrlPath::dir([kind.name(), &slug]),
                name: profile.map_or(name, |i| profiles[i].name.clone()),
                key,
                slug,
                articles: g.articles,
                profile,
            }
        })
        .collect();
    terms.sort_by(|a, b| a.slug.cmp(&b.slug).then_with(|| a.key.cmp(&b.key)));

    let mut problems = Vec::new();
    // The taxonomy's list by name lives at `…/by-name/`.
    for term in terms.iter().filter(|t| t.slug == "by-name") {
        let article = &articles[*term.articles.last().expect("a term has articles")];
        let span = article.meta.spans.get(key_name(kind)).copied();
        problems.push(
            Diagnostic::error(
                &article.source,
                span,
                format!(
                    "`{}` would be at {}, where the list of {} by name is",
                    term.name,
                    term.url,
                    kind.name()
                ),
            )
            .with_help("give it another name"),
        );
    }
    for pair in terms.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        if a.slug == b.slug {
            problems.extend(clash(kind, a, b, articles));
        }
    }
    let index: FxHashMap<&str, usize> = terms
        .iter()
        .enumerate()
        .map(|(i, t)| (t.key.as_str(), i))
        .collect();
    // Group `g` was made for the key `by_key` gives it.
    let mut keys: Vec<&str> = vec![""; by_key.len()];
    for (key, &g) in &by_key {
        keys[g] = key;
    }
    let spellings = by_name
        .iter()
        .map(|(name, &g)| (name.to_string(), index[keys[g]]))
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

/// The index entry of names that start with a digit or a sign.
pub const DIGITS: &str = "0-9";

/// A name as an index orders it: the article `ال` does not count, as in
/// Arabic dictionaries and indexes (`الصين` is under ص), hamza seats are
/// their letter.
pub fn index_key(key: &str) -> String {
    let bare = key
        .strip_prefix("ال")
        .filter(|rest| rest.chars().count() >= 2);
    collation_key(bare.unwrap_or(key))
}

/// The letter a term is listed under in a taxonomy's index: its first
/// letter after `ال`, with hamza forms under ا (`أحمد`, `إيران`, `آسيا` → ا), Latin
/// letters in capitals, and names starting with a digit or sign under
/// `0-9`.
pub fn initial(key: &str) -> String {
    match index_key(key).chars().next() {
        Some(c) if is_arabic_script(c) && c.is_alphabetic() => collation_key(&c.to_string()),
        // Other scripts under their base letter: É under E.
        Some(c) if c.is_alphabetic() => {
            let mut base = c;
            unicode_normalization::char::decompose_canonical(c, |d| {
                if base == c {
                    base = d;
                }
            });
            base.to_uppercase().collect()
        }
        _ => DIGITS.to_owned(),
    }
}

/// Letters of the Arabic script, which Persian and Urdu write too.
fn is_arabic_script(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
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
    fn initials_put_hamza_forms_under_alef() {
        let got: Vec<String> = [
            "أحمد",
            "إيران",
            "آسيا",
            "ابن",
            "بكين",
            "الصين",
            "الإمارات",
            "ال",
            "reuters",
            "2023",
            "«x»",
        ]
        .iter()
        .map(|k| initial(k))
        .collect();
        assert_eq!(
            got,
            ["ا", "ا", "ا", "ا", "ب", "ص", "ا", "ا", "R", "0-9", "0-9"]
        );
    }

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
