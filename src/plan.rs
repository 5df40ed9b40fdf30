//! The page plan: every page and file the site has, each with everything
//! it shows. This is the one statement of what a page depends on:
//! rendering builds each page's context from its `PageKind` and the
//! articles it names, and incremental builds fingerprint the same value.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::index::archive::{DateArchive, day_url, month_url, year_url};
use crate::index::paginate::{Pager, paginate};
use crate::index::taxonomy::Term;
use crate::index::{ArticleId, SiteIndex};
use crate::url::UrlPath;

/// The sitemap protocol's limit of URLs per file.
pub const SITEMAP_LIMIT: usize = 50_000;

/// A page as planned: its URL, its file in the output and what it shows.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PlannedPage {
    pub url: UrlPath,
    /// `/`-separated, relative to the output folder
    /// (`2023/09/19/x/index.html`). Shared with the manifests that list it.
    pub path: Arc<str>,
    pub kind: PageKind,
}

/// What a page shows. Articles are named by id; everything else the page
/// shows, besides site.yaml and the templates, is here by value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PageKind {
    Article {
        id: ArticleId,
        older: Option<ArticleId>,
        newer: Option<ArticleId>,
        related: Vec<ArticleId>,
    },
    /// One page of a paginated list, with its articles newest first.
    List {
        /// Shared by every page of the list.
        list: Arc<List>,
        pager: Pager,
        items: Vec<ArticleId>,
    },
    /// One page of a taxonomy's terms (index in `SiteIndex::taxonomies`):
    /// all of them by number of articles or by name, or those of one
    /// initial letter, with the index of letters every such page shows.
    Taxonomy {
        taxonomy: usize,
        order: TermOrder,
        pager: Pager,
        terms: Vec<TermSummary>,
        letters: Arc<Vec<Initial>>,
    },
    /// Every year with its months.
    Archive {
        years: Vec<Period>,
    },
    NotFound,
    /// The search page (`search: true`); its results come from the index.
    Search,
    /// An old address of an article (`aliases:`), sending readers to it.
    Redirect {
        to: ArticleId,
    },
    /// The site's feed (full text), or a term's (summaries).
    Feed {
        term: Option<(usize, TermSummary)>,
        entries: Vec<ArticleId>,
    },
    /// One sitemap file: pages and the article that last changed each.
    Sitemap {
        lines: Vec<SitemapLine>,
    },
    /// With more than `SITEMAP_LIMIT` pages, the sitemap's parts.
    SitemapIndex {
        parts: Vec<SitemapLine>,
    },
    Robots,
}

/// Which list a list page belongs to, with what its heading shows.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum List {
    Home,
    /// A taxonomy (index in `SiteIndex::taxonomies`) and one of its terms.
    Term(usize, TermSummary),
    /// The year with its months.
    Year(Period),
    /// The month with its days, and its year.
    Month(Period, Period),
    /// The day, its year and its month.
    Day(Period, Period, Period),
}

/// Which terms a taxonomy page lists, in which order.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TermOrder {
    /// Most articles first: the taxonomy's own page.
    Count,
    /// Alphabetical: `…/by-name/`.
    Name,
    /// Those whose name starts with this letter, alphabetical:
    /// `…/by-letter/ب/`.
    Letter(String),
}

/// An entry of a taxonomy's index of initial letters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Initial {
    pub letter: String,
    pub url: UrlPath,
    pub count: usize,
}

/// Terms on one page of a taxonomy's lists: a page stays small however
/// many tags an archive has (2,001 tags made one 255 KB page).
pub const TERMS_PER_PAGE: usize = 120;

/// A term as lists and headings show it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TermSummary {
    pub name: String,
    pub slug: String,
    pub url: UrlPath,
    pub count: usize,
    /// Its entry in site.yaml's `authors:` or `sources:`.
    pub profile: Option<usize>,
}

impl TermSummary {
    fn of(term: &Term) -> TermSummary {
        TermSummary {
            name: term.name.clone(),
            slug: term.slug.clone(),
            url: term.url.clone(),
            count: term.articles.len(),
            profile: term.profile,
        }
    }
}

/// A year, month or day of the archive with its count and, where the page
/// shows them, its months or days.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Period {
    pub year: i32,
    pub month: Option<u32>,
    pub day: Option<u32>,
    pub count: usize,
    pub parts: Vec<Period>,
}

/// What a page shows of an article it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shows {
    /// Anything of it: text, title, names, dates, links.
    All,
    /// Only when it last changed: a sitemap's `lastmod`.
    LastChanged,
}

/// An article's fingerprints, one for each thing a page may show of it.
/// `all` includes the article's identity (its file and URL).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ArticleFingerprint {
    pub all: u64,
    pub last_changed: u64,
}

/// A sitemap entry: a page and the article whose last change is the
/// page's (none for a page without articles).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SitemapLine {
    pub url: UrlPath,
    pub newest: Option<ArticleId>,
}

impl PlannedPage {
    fn new(url: UrlPath, kind: PageKind) -> PlannedPage {
        PlannedPage {
            path: url.output_key().into(),
            url,
            kind,
        }
    }

    /// The template of an HTML page; `None` for files written by code.
    pub fn template(&self) -> Option<&'static str> {
        Some(match &self.kind {
            PageKind::Article { .. } => "article.html",
            PageKind::List { list, .. } => match list.as_ref() {
                List::Home => "home.html",
                List::Term(..) => "term.html",
                List::Year(_) => "year.html",
                List::Month(..) => "month.html",
                List::Day(..) => "day.html",
            },
            PageKind::Taxonomy { .. } => "taxonomy.html",
            PageKind::Archive { .. } => "archive.html",
            PageKind::NotFound => "404.html",
            PageKind::Search => "search.html",
            PageKind::Redirect { .. }
            | PageKind::Feed { .. }
            | PageKind::Sitemap { .. }
            | PageKind::SitemapIndex { .. }
            | PageKind::Robots => return None,
        })
    }

    /// Articles whose list view (with its `item`) the page's context
    /// holds, once for each time it holds it.
    pub fn views(&self) -> impl Iterator<Item = ArticleId> + '_ {
        let (pair, rest): ([Option<ArticleId>; 2], &[ArticleId]) = match &self.kind {
            PageKind::Article {
                older,
                newer,
                related,
                ..
            } => ([*older, *newer], related),
            PageKind::List { items, .. } => ([None, None], items),
            _ => ([None, None], &[]),
        };
        pair.into_iter().flatten().chain(rest.iter().copied())
    }

    /// Articles whose summary-only feed entry the page holds.
    pub fn entries(&self) -> &[ArticleId] {
        match &self.kind {
            PageKind::Feed {
                term: Some(_),
                entries,
            } => entries,
            _ => &[],
        }
    }

    /// The newest article the page shows: pages are rendered in this
    /// order, so that what they share lives over a short stretch.
    pub fn newest(&self) -> Option<ArticleId> {
        match &self.kind {
            PageKind::Article { id, .. } => Some(*id),
            PageKind::List { items, .. } => items.first().copied(),
            PageKind::Feed {
                term: Some(_),
                entries,
            } => entries.first().copied(),
            _ => None,
        }
    }

    /// Every article the page shows, each time the plan names it, with
    /// what it shows of it.
    pub fn articles(&self) -> impl Iterator<Item = (ArticleId, Shows)> + '_ {
        let (pair, rest, lines): ([Option<ArticleId>; 3], &[ArticleId], &[SitemapLine]) =
            match &self.kind {
                PageKind::Article {
                    id,
                    older,
                    newer,
                    related,
                } => ([Some(*id), *older, *newer], related, &[]),
                PageKind::Redirect { to } => ([Some(*to), None, None], &[], &[]),
                PageKind::List { items, .. } => ([None; 3], items, &[]),
                PageKind::Feed { entries, .. } => ([None; 3], entries, &[]),
                PageKind::Sitemap { lines } | PageKind::SitemapIndex { parts: lines } => {
                    ([None; 3], &[], lines)
                }
                PageKind::Taxonomy { .. }
                | PageKind::Archive { .. }
                | PageKind::NotFound
                | PageKind::Search
                | PageKind::Robots => ([None; 3], &[], &[]),
            };
        let all = pair.into_iter().flatten().chain(rest.iter().copied());
        all.map(|id| (id, Shows::All)).chain(
            lines
                .iter()
                .filter_map(|l| l.newest)
                .map(|id| (id, Shows::LastChanged)),
        )
    }

    /// A hash of the page's plan: its URL and everything it shows, with
    /// articles as their ids. A plan made again from the same index
    /// hashes the same, so incremental builds keep it with the plan.
    pub fn plan_fingerprint(&self) -> u64 {
        let mut h = DefaultHasher::new();
        self.hash(&mut h);
        h.finish()
    }

    /// A fingerprint of everything the page shows, given its
    /// `plan_fingerprint` and each article's fingerprints (`articles[id]`).
    /// With the same site.yaml, templates and options, equal fingerprints
    /// mean equal bytes.
    pub fn fingerprint(&self, plan: u64, articles: &[ArticleFingerprint]) -> u64 {
        let mut h = DefaultHasher::new();
        plan.hash(&mut h);
        // The plan fingerprint says which article is where.
        for (id, shows) in self.articles() {
            let a = &articles[id];
            match shows {
                Shows::All => a.all,
                Shows::LastChanged => a.last_changed,
            }
            .hash(&mut h);
        }
        h.finish()
    }
}

/// Every page and file the site has, in a fixed order, with the problems
/// of pages that would be written to the same file.
pub fn plan(index: &SiteIndex, config: &Config) -> (Vec<PlannedPage>, Vec<Diagnostic>) {
    let per_page = config.per_page.get();
    let n = index.articles.len();
    let mut pages: Vec<PlannedPage> = (0..n)
        .into_par_iter()
        .map(|id| {
            let kind = PageKind::Article {
                id,
                older: (id + 1 < n).then_some(id + 1),
                newer: id.checked_sub(1),
                related: index.related[id].clone(),
            };
            PlannedPage::new(index.articles[id].url.clone(), kind)
        })
        .collect();
    let all: Vec<ArticleId> = (0..n).collect();
    lists(&mut pages, List::Home, UrlPath::root(), &all, per_page);

    for (t, taxonomy) in index.taxonomies.iter().enumerate() {
        let by_letter = taxonomy.by_letter();
        let letter_url = |l: &str| {
            taxonomy
                .url()
                .join(&format!("by-letter/{}/", l.to_lowercase()))
        };
        let letters: Arc<Vec<Initial>> = Arc::new(
            by_letter
                .iter()
                .map(|(l, terms)| Initial {
                    letter: l.clone(),
                    url: letter_url(l),
                    count: terms.len(),
                })
                .collect(),
        );
        let mut term_pages = |order: TermOrder, first: UrlPath, terms: Vec<&Term>| {
            for pager in paginate(&first, terms.len(), TERMS_PER_PAGE) {
                let shown = terms[pager.items.clone()]
                    .iter()
                    .map(|t| TermSummary::of(t));
                pages.push(PlannedPage::new(
                    pager.url.clone(),
                    PageKind::Taxonomy {
                        taxonomy: t,
                        order: order.clone(),
                        terms: shown.collect(),
                        pager,
                        letters: Arc::clone(&letters),
                    },
                ));
            }
        };
        term_pages(TermOrder::Count, taxonomy.url(), taxonomy.by_count());
        if !taxonomy.terms.is_empty() {
            term_pages(
                TermOrder::Name,
                taxonomy.url().join("by-name/"),
                taxonomy.by_name(),
            );
        }
        for (letter, terms) in by_letter {
            let url = letter_url(&letter);
            term_pages(TermOrder::Letter(letter), url, terms);
        }
        for term in &taxonomy.terms {
            let summary = TermSummary::of(term);
            let list = List::Term(t, summary.clone());
            lists(&mut pages, list, term.url.clone(), &term.articles, per_page);
            let newest = &term.articles[..term.articles.len().min(config.term_feed_entries)];
            pages.push(PlannedPage::new(
                term.url.join("atom.xml"),
                PageKind::Feed {
                    term: Some((t, summary)),
                    entries: newest.to_vec(),
                },
            ));
        }
    }

    let archive = &index.archive;
    for (&year, months) in &archive.years {
        let ids = DateArchive::articles_in(months.values().flat_map(|days| days.values()));
        let list = List::Year(period(archive, year, None, None, true));
        lists(&mut pages, list, year_url(year), &ids, per_page);
        for (&month, days) in months {
            let ids = DateArchive::articles_in(days.values());
            let list = List::Month(
                period(archive, year, Some(month), None, true),
                period(archive, year, None, None, false),
            );
            lists(&mut pages, list, month_url(year, month), &ids, per_page);
            for (&day, ids) in days {
                let list = List::Day(
                    period(archive, year, Some(month), Some(day), false),
                    period(archive, year, None, None, false),
                    period(archive, year, Some(month), None, false),
                );
                lists(&mut pages, list, day_url(year, month, day), ids, per_page);
            }
        }
    }
    let years = archive
        .years
        .keys()
        .rev()
        .map(|&y| period(archive, y, None, None, true))
        .collect();
    pages.push(PlannedPage::new(
        UrlPath::dir(["archive"]),
        PageKind::Archive { years },
    ));
    let mut problems = redirects(&mut pages, index);
    pages.push(PlannedPage::new(
        UrlPath::file::<&str>([], "404.html"),
        PageKind::NotFound,
    ));
    if config.search {
        pages.push(PlannedPage::new(UrlPath::dir(["search"]), PageKind::Search));
    }
    pages.push(PlannedPage::new(
        UrlPath::file::<&str>([], "atom.xml"),
        PageKind::Feed {
            term: None,
            entries: (0..n.min(config.feed_entries)).collect(),
        },
    ));
    sitemaps(&mut pages, index);
    pages.push(PlannedPage::new(
        UrlPath::file::<&str>([], "robots.txt"),
        PageKind::Robots,
    ));
    problems.extend(path_clashes(&pages, index));
    (pages, problems)
}

/// A page at each old address of each article; an old address that is
/// the article's own is a warning, and gets none.
fn redirects(pages: &mut Vec<PlannedPage>, index: &SiteIndex) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for (id, a) in index.articles.iter().enumerate() {
        for alias in &a.meta.aliases {
            if *alias == a.url {
                problems.push(
                    Diagnostic::error(
                        &a.source,
                        a.meta.spans.get("aliases").copied(),
                        format!("the alias {alias} is the article's own address"),
                    )
                    .with_help("its old address is kept as it is; remove the alias")
                    .warning(),
                );
                continue;
            }
            pages.push(PlannedPage::new(
                alias.clone(),
                PageKind::Redirect { to: id },
            ));
        }
    }
    problems
}

fn lists(
    pages: &mut Vec<PlannedPage>,
    list: List,
    first: UrlPath,
    ids: &[ArticleId],
    per_page: usize,
) {
    let list = Arc::new(list);
    for pager in paginate(&first, ids.len(), per_page) {
        let url = pager.url.clone();
        let kind = PageKind::List {
            list: Arc::clone(&list),
            items: ids[pager.items.clone()].to_vec(),
            pager,
        };
        pages.push(PlannedPage::new(url, kind));
    }
}

/// A year, month or day with its count and, with `parts`, its months or days.
fn period(
    archive: &DateArchive,
    year: i32,
    month: Option<u32>,
    day: Option<u32>,
    parts: bool,
) -> Period {
    let months = &archive.years[&year];
    let count_days = |days: &std::collections::BTreeMap<u32, Vec<ArticleId>>| {
        days.values().map(Vec::len).sum::<usize>()
    };
    let (count, parts) = match (month, day) {
        (None, _) => (
            months.values().map(count_days).sum(),
            if parts {
                months
                    .keys()
                    .map(|&m| period(archive, year, Some(m), None, false))
                    .collect()
            } else {
                Vec::new()
            },
        ),
        (Some(m), None) => (
            count_days(&months[&m]),
            if parts {
                months[&m]
                    .keys()
                    .map(|&d| period(archive, year, Some(m), Some(d), false))
                    .collect()
            } else {
                Vec::new()
            },
        ),
        (Some(m), Some(d)) => (months[&m][&d].len(), Vec::new()),
    };
    Period {
        year,
        month,
        day,
        count,
        parts,
    }
}

/// An HTML page that belongs in the sitemap.
fn is_indexable(page: &PlannedPage) -> bool {
    // The search page shows nothing until a reader asks.
    page.template().is_some() && !matches!(page.kind, PageKind::NotFound | PageKind::Search)
}

/// Which of a set of articles changed last (`Article::last_changed`;
/// among equals, the first), with each term's answer made once: a list of
/// terms asks for all their articles.
struct LastChanged<'a> {
    index: &'a SiteIndex,
    at: Vec<chrono::DateTime<chrono::FixedOffset>>,
    /// By taxonomy, then term.
    terms: Vec<Vec<Option<ArticleId>>>,
}

impl<'a> LastChanged<'a> {
    fn new(index: &'a SiteIndex) -> LastChanged<'a> {
        let at = index
            .articles
            .par_iter()
            .map(|a| a.last_changed())
            .collect();
        let mut last = LastChanged {
            index,
            at,
            terms: Vec::new(),
        };
        last.terms = index
            .taxonomies
            .iter()
            .map(|t| {
                t.terms
                    .iter()
                    .map(|term| last.of(term.articles.iter().copied()))
                    .collect()
            })
            .collect();
        last
    }

    fn of(&self, ids: impl IntoIterator<Item = ArticleId>) -> Option<ArticleId> {
        ids.into_iter()
            .max_by_key(|&id| (self.at[id], std::cmp::Reverse(id)))
    }

    /// The article whose last change is the page's: its own, or the newest
    /// change among those it lists; the whole site's for the other pages.
    fn page(&self, page: &PlannedPage, site: Option<ArticleId>) -> Option<ArticleId> {
        match &page.kind {
            PageKind::Article { id, .. } => Some(*id),
            PageKind::List { items, .. } => self.of(items.iter().copied()),
            PageKind::Taxonomy {
                taxonomy, terms, ..
            } => {
                // Terms are sorted by slug.
                let all = &self.index.taxonomies[*taxonomy].terms;
                let newest = &self.terms[*taxonomy];
                let shown = terms
                    .iter()
                    .filter_map(|s| all.binary_search_by(|t| t.slug.cmp(&s.slug)).ok())
                    .filter_map(|i| newest[i]);
                self.of(shown)
            }
            _ => site,
        }
    }
}

fn sitemaps(pages: &mut Vec<PlannedPage>, index: &SiteIndex) {
    let last = LastChanged::new(index);
    let site = last.of(0..index.articles.len());
    let lines: Vec<SitemapLine> = pages
        .par_iter()
        .filter(|p| is_indexable(p))
        .map(|p| SitemapLine {
            url: p.url.clone(),
            newest: last.page(p, site),
        })
        .collect();
    let sitemap = UrlPath::file::<&str>([], "sitemap.xml");
    if lines.len() <= SITEMAP_LIMIT {
        pages.push(PlannedPage::new(sitemap, PageKind::Sitemap { lines }));
        return;
    }
    let mut parts = Vec::new();
    let mut files = Vec::new();
    for (i, chunk) in lines.chunks(SITEMAP_LIMIT).enumerate() {
        let url = UrlPath::file::<&str>([], &format!("sitemap-{}.xml", i + 1));
        let newest = last.of(chunk.iter().filter_map(|l| l.newest));
        parts.push(SitemapLine {
            url: url.clone(),
            newest,
        });
        let lines = chunk.to_vec();
        files.push(PlannedPage::new(url, PageKind::Sitemap { lines }));
    }
    pages.push(PlannedPage::new(sitemap, PageKind::SitemapIndex { parts }));
    pages.extend(files);
}

/// Pages that would be written to the same file, as problems. The URL
/// scheme keeps kinds apart, so this guards against a future change to it
/// as much as against odd input.
fn path_clashes(pages: &[PlannedPage], index: &SiteIndex) -> Vec<Diagnostic> {
    let mut seen: HashMap<&str, &PlannedPage> = HashMap::with_capacity(pages.len());
    let mut problems = Vec::new();
    for page in pages {
        if let Some(other) = seen.insert(&page.path, page) {
            let redirect = [page, other].into_iter().find_map(|p| match p.kind {
                PageKind::Redirect { to } => Some(&index.articles[to]),
                _ => None,
            });
            if let Some(a) = redirect {
                let other = if matches!(page.kind, PageKind::Redirect { .. }) {
                    other
                } else {
                    page
                };
                let what = match other.kind {
                    PageKind::Article { id, .. } => {
                        format!("the article {}", index.articles[id].source.display())
                    }
                    PageKind::Redirect { to } => {
                        format!("an alias of {}", index.articles[to].source.display())
                    }
                    _ => "a page of the site".to_owned(),
                };
                problems.push(
                    Diagnostic::error(
                        &a.source,
                        a.meta.spans.get("aliases").copied(),
                        format!("the alias {} is also the address of {what}", page.url),
                    )
                    .with_help("remove the alias, or give the other page another address"),
                );
                continue;
            }
            let article = [page, other].into_iter().find_map(|p| match p.kind {
                PageKind::Article { id, .. } => Some(&index.articles[id]),
                _ => None,
            });
            let message = format!("two pages would be written at {}", page.url);
            problems.push(match article {
                Some(a) => Diagnostic::error(&a.source, a.meta.spans.get("slug").copied(), message)
                    .with_help("give the article another `slug:`"),
                None => Diagnostic::global(message),
            });
        }
    }
    problems
}
