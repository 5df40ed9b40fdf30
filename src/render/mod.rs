//! Rendering: the site index planned into pages, each page rendered in
//! parallel and handed to a sink as soon as it is ready.

pub mod context;
pub mod feeds;
pub mod filters;
pub mod templates;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;
use tera::{Context, Value};

use crate::config::Config;
use crate::content::Article;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::{Error, Result};
use crate::index::archive::{DateArchive, day_url, month_url, year_url};
use crate::index::paginate::{Pager, page_url, paginate};
use crate::index::taxonomy::Term;
use crate::index::{ArticleId, SiteIndex};
use crate::url::UrlPath;
use context::{
    ArticleView, PageView, PagerLink, PagerView, PeriodView, SiteView, TaxonomyView, TermView,
};
use feeds::SitemapEntry;
pub use templates::Templates;

/// The partial every article is rendered through once, for lists.
const ITEM: &str = "item.html";

/// A paginated list of articles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    Home,
    /// A taxonomy (index in `SiteIndex::taxonomies`) and one of its terms.
    Term(usize, usize),
    Year(i32),
    Month(i32, u32),
    Day(i32, u32, u32),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageKind {
    Article(ArticleId),
    List {
        list: ListKind,
        pager: Pager,
        /// This page's articles, newest first.
        items: Vec<ArticleId>,
    },
    /// All terms of a taxonomy (index in `SiteIndex::taxonomies`).
    Taxonomy(usize),
    /// All years with their months.
    Archive,
    NotFound,
    /// An Atom feed of the site, or of one term.
    Feed(Option<(usize, usize)>),
    /// The sitemap, or with more than 50,000 URLs its index (`None`) and
    /// its parts.
    Sitemap(Option<usize>),
    Robots,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub url: UrlPath,
    pub kind: PageKind,
}

impl Page {
    /// The template of an HTML page; `None` for files written directly.
    pub fn template(&self) -> Option<&'static str> {
        Some(match &self.kind {
            PageKind::Article(_) => "article.html",
            PageKind::List { list, .. } => match list {
                ListKind::Home => "home.html",
                ListKind::Term(..) => "term.html",
                ListKind::Year(_) => "year.html",
                ListKind::Month(..) => "month.html",
                ListKind::Day(..) => "day.html",
            },
            PageKind::Taxonomy(_) => "taxonomy.html",
            PageKind::Archive => "archive.html",
            PageKind::NotFound => "404.html",
            PageKind::Feed(_) | PageKind::Sitemap(_) | PageKind::Robots => return None,
        })
    }

    /// An HTML page that belongs in the sitemap.
    fn is_indexable(&self) -> bool {
        self.template().is_some() && self.kind != PageKind::NotFound
    }
}

/// A file of the built site, relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

fn lists(
    pages: &mut Vec<Page>,
    list: ListKind,
    first: UrlPath,
    ids: &[ArticleId],
    per_page: usize,
) {
    for pager in paginate(&first, ids.len(), per_page) {
        pages.push(Page {
            url: pager.url.clone(),
            kind: PageKind::List {
                list,
                items: ids[pager.items.clone()].to_vec(),
                pager,
            },
        });
    }
}

/// Every page and file the site has, in a fixed order.
pub fn plan(index: &SiteIndex, config: &Config) -> Vec<Page> {
    let per_page = config.per_page.get();
    let mut pages: Vec<Page> = (0..index.articles.len())
        .map(|id| Page {
            url: index.articles[id].url.clone(),
            kind: PageKind::Article(id),
        })
        .collect();
    let all: Vec<ArticleId> = (0..index.articles.len()).collect();
    lists(&mut pages, ListKind::Home, UrlPath::root(), &all, per_page);

    for (t, taxonomy) in index.taxonomies.iter().enumerate() {
        pages.push(Page {
            url: taxonomy.url(),
            kind: PageKind::Taxonomy(t),
        });
        for (i, term) in taxonomy.terms.iter().enumerate() {
            lists(
                &mut pages,
                ListKind::Term(t, i),
                term.url.clone(),
                &term.articles,
                per_page,
            );
            pages.push(Page {
                url: term.url.join("atom.xml"),
                kind: PageKind::Feed(Some((t, i))),
            });
        }
    }

    for (&year, months) in &index.archive.years {
        let ids = DateArchive::articles_in(months.values().flat_map(|days| days.values()));
        lists(
            &mut pages,
            ListKind::Year(year),
            year_url(year),
            &ids,
            per_page,
        );
        for (&month, days) in months {
            let ids = DateArchive::articles_in(days.values());
            lists(
                &mut pages,
                ListKind::Month(year, month),
                month_url(year, month),
                &ids,
                per_page,
            );
            for (&day, ids) in days {
                lists(
                    &mut pages,
                    ListKind::Day(year, month, day),
                    day_url(year, month, day),
                    ids,
                    per_page,
                );
            }
        }
    }
    pages.push(Page {
        url: UrlPath::dir(["archive"]),
        kind: PageKind::Archive,
    });
    pages.push(Page {
        url: UrlPath::file::<&str>([], "404.html"),
        kind: PageKind::NotFound,
    });
    pages.push(Page {
        url: UrlPath::file::<&str>([], "atom.xml"),
        kind: PageKind::Feed(None),
    });
    let indexable = pages.iter().filter(|p| p.is_indexable()).count();
    pages.push(Page {
        url: UrlPath::file::<&str>([], "sitemap.xml"),
        kind: PageKind::Sitemap(None),
    });
    if indexable > feeds::SITEMAP_LIMIT {
        for part in 1..=indexable.div_ceil(feeds::SITEMAP_LIMIT) {
            pages.push(Page {
                url: sitemap_part_url(part),
                kind: PageKind::Sitemap(Some(part)),
            });
        }
    }
    pages.push(Page {
        url: UrlPath::file::<&str>([], "robots.txt"),
        kind: PageKind::Robots,
    });
    pages
}

fn sitemap_part_url(part: usize) -> UrlPath {
    UrlPath::file::<&str>([], &format!("sitemap-{part}.xml"))
}

/// Pages that would be written to the same file, as problems. The URL
/// scheme keeps kinds apart, so this guards against a future change to it
/// as much as against odd input.
/// `keys` are the pages' output paths.
pub fn path_clashes(pages: &[Page], keys: &[String], index: &SiteIndex) -> Vec<Diagnostic> {
    let mut seen: HashMap<&str, &Page> = HashMap::with_capacity(pages.len());
    let mut problems = Vec::new();
    for (page, key) in pages.iter().zip(keys) {
        if let Some(other) = seen.insert(key, page) {
            let article = [page, other].into_iter().find_map(|p| match p.kind {
                PageKind::Article(id) => Some(&index.articles[id]),
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

/// What every page needs, computed once.
struct Shared<'a> {
    root: &'a Path,
    /// Problems met while building contexts.
    problems: &'a Mutex<Vec<Diagnostic>>,
    index: &'a SiteIndex,
    config: &'a Config,
    templates: &'a Templates,
    pages: &'a [Page],
    site: Value,
    /// Each article's view with its `item`, shared by every page listing it.
    views: Slots<Value>,
    /// Each article's summary-only feed entry, shared by its term feeds.
    entries: Slots<Arc<str>>,
    sitemap: OnceLock<Vec<SitemapEntry>>,
}

/// One value per article, made the first time a page needs it, shared by
/// the pages that use it, and dropped after the last of them: kept to the
/// end, a large site's views would take as much memory as the rest of it.
struct Slots<T> {
    slots: Vec<Mutex<Option<T>>>,
    /// Uses left, counted before rendering.
    uses: Vec<AtomicUsize>,
}

impl<T: Clone> Slots<T> {
    fn new(len: usize) -> Slots<T> {
        Slots {
            slots: (0..len).map(|_| Mutex::new(None)).collect(),
            uses: (0..len).map(|_| AtomicUsize::new(0)).collect(),
        }
    }

    fn will_use(&self, id: ArticleId) {
        self.uses[id].fetch_add(1, Ordering::Relaxed);
    }

    fn get(&self, id: ArticleId, make: impl FnOnce() -> T) -> T {
        let mut slot = self.slots[id].lock().expect("no panics while locked");
        let value = slot.get_or_insert_with(make).clone();
        let left = self.uses[id].fetch_sub(1, Ordering::Relaxed);
        debug_assert!(
            left > 0,
            "article {id}'s value is used more often than counted"
        );
        if left == 1 {
            *slot = None;
        }
        value
    }

    fn all_used(&self) -> bool {
        self.uses.iter().all(|u| u.load(Ordering::Relaxed) == 0)
    }
}

impl Shared<'_> {
    fn view(&self, id: ArticleId) -> Value {
        self.views.get(id, || self.new_view(id))
    }

    /// An article's view, with `item`: the article rendered through
    /// `item.html` once, for every list that shows it. Lists are most of
    /// a site's pages, and one render per article instead of one per
    /// listing is most of their cost.
    fn new_view(&self, id: ArticleId) -> Value {
        let a = &self.index.articles[id];
        let view = Value::from_serializable(&ArticleView::new(a, self.index, self.config, None));
        let mut ctx = Context::new();
        ctx.insert_value("site", self.site.clone());
        ctx.insert_value("article", view);
        let mut html = Vec::with_capacity(2 * 1024);
        let item = match self.templates.tera.render_to(ITEM, &ctx, &mut html) {
            // Tera writes only UTF-8.
            Ok(()) => Value::safe_string(simdutf8::basic::from_utf8(&html).unwrap_or_default()),
            Err(e) => {
                let d = templates::template_diagnostic(&e, Some(a.url.as_str()));
                self.problems
                    .lock()
                    .expect("no panics while locked")
                    .push(d);
                Value::none()
            }
        };
        let view = ctx.remove("article").unwrap_or_else(Value::none);
        let mut map = view.into_map().unwrap_or_default();
        map.insert("item".into(), item);
        Value::from(map)
    }

    fn entry(&self, id: ArticleId) -> Arc<str> {
        self.entries.get(id, || {
            feeds::entry(&self.index.articles[id], self.config, None).into()
        })
    }

    fn sitemap(&self) -> &[SitemapEntry] {
        self.sitemap.get_or_init(|| {
            self.pages
                .iter()
                .filter(|p| p.is_indexable())
                .map(|p| SitemapEntry {
                    loc: self.config.base_url.permalink(&p.url),
                    lastmod: lastmod(p, self.index),
                })
                .collect()
        })
    }
}

/// Renders the pages of `pages` that `select` picks (by position), in
/// parallel, and gives each file to `sink`. Template errors are collected
/// from every page, not only the first.
/// `root` is the site's folder, where articles kept without their
/// rendered body are read again.
pub fn render(
    root: &Path,
    pages: &[Page],
    select: &(dyn Fn(usize) -> bool + Sync),
    index: &SiteIndex,
    config: &Config,
    templates: &Templates,
    sink: &(dyn Fn(OutputFile) -> Result<()> + Sync),
) -> Result<()> {
    let problems = Mutex::new(Vec::new());
    let mut order: Vec<usize> = (0..pages.len()).filter(|&i| select(i)).collect();
    let (views, entries) = (
        Slots::new(index.articles.len()),
        Slots::new(index.articles.len()),
    );
    for &i in &order {
        for_each_listed(&pages[i], index, &mut |id| views.will_use(id));
        for_each_entry(&pages[i], index, config, &mut |id| entries.will_use(id));
    }
    // Pages in the order of the newest article they show, so that what is
    // shared lives from its first page to its last over a short stretch
    // of the build rather than to its end.
    order.sort_by_key(|&i| match &pages[i].kind {
        PageKind::Article(id) => Some(*id),
        PageKind::List { items, .. } => items.first().copied(),
        PageKind::Feed(Some((t, i))) => index.taxonomies[*t].terms[*i].articles.first().copied(),
        _ => None,
    });
    let shared = Shared {
        root,
        problems: &problems,
        index,
        config,
        templates,
        pages,
        site: Value::from_serializable(&SiteView::new(config)),
        views,
        entries,
        sitemap: OnceLock::new(),
    };
    order.par_iter().map(|&i| &pages[i]).try_for_each(|page| {
        let bytes = match page.template() {
            None => shared.file(page).into_bytes(),
            Some(template) => {
                let mut html = Vec::with_capacity(32 * 1024);
                match templates
                    .tera
                    .render_to(template, &shared.context(page), &mut html)
                {
                    Ok(()) => html,
                    Err(e) => {
                        let d = templates::template_diagnostic(&e, Some(page.url.as_str()));
                        problems.lock().expect("no panics while locked").push(d);
                        return Ok(());
                    }
                }
            }
        };
        sink(OutputFile {
            path: page.url.output_file(),
            bytes,
        })
    })?;
    debug_assert!(
        shared.views.all_used() && shared.entries.all_used(),
        "every shared value is used as often as counted"
    );
    let problems: Vec<Diagnostic> = problems.into_inner().expect("no panics while locked");
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Input(Diagnostics::new(dedup_by_template(problems))))
    }
}

/// When a page's content last changed: its article's, or the newest of
/// the articles it lists.
fn lastmod(page: &Page, index: &SiteIndex) -> Option<DateTime<FixedOffset>> {
    let newest = |ids: &mut dyn Iterator<Item = &ArticleId>| {
        ids.map(|&id| feeds::last_changed(&index.articles[id]))
            .max()
    };
    match &page.kind {
        PageKind::Article(id) => Some(feeds::last_changed(&index.articles[*id])),
        PageKind::List { items, .. } => newest(&mut items.iter()),
        PageKind::Taxonomy(t) => newest(
            &mut index.taxonomies[*t]
                .terms
                .iter()
                .flat_map(|term| &term.articles),
        ),
        _ => index.articles.iter().map(|a| feeds::last_changed(a)).max(),
    }
}

impl Shared<'_> {
    /// The rendered body of article `id`; when it cannot be had, none,
    /// with a problem noted.
    fn body(&self, id: ArticleId) -> std::borrow::Cow<'_, str> {
        self.index.articles[id]
            .body_html(self.root, self.config)
            .unwrap_or_else(|d| {
                self.problems
                    .lock()
                    .expect("no panics while locked")
                    .push(d);
                std::borrow::Cow::Borrowed("")
            })
    }

    fn context(&self, page: &Page) -> Context {
        let base = &self.config.base_url;
        let mut ctx = Context::new();
        ctx.insert_value("site", self.site.clone());
        let name = page.template().unwrap_or("").trim_end_matches(".html");
        let feed = match &page.kind {
            PageKind::List {
                list: ListKind::Term(t, i),
                ..
            } => Some(self.index.taxonomies[*t].terms[*i].url.join("atom.xml")),
            _ => None,
        };
        ctx.insert("page", &PageView::new(base, &page.url, name, feed.as_ref()));
        match &page.kind {
            PageKind::Article(id) => {
                let body = self.body(*id);
                ctx.insert(
                    "article",
                    &ArticleView::new(
                        &self.index.articles[*id],
                        self.index,
                        self.config,
                        Some(&body),
                    ),
                );
                let (older, newer) = neighbours(*id, self.index);
                let view = |n: Option<ArticleId>| n.map_or(Value::none(), |n| self.view(n));
                ctx.insert_value("previous", view(older));
                ctx.insert_value("next", view(newer));
                let related: Vec<Value> = self.index.related[*id]
                    .iter()
                    .map(|&r| self.view(r))
                    .collect();
                ctx.insert_value("related", Value::from(related));
            }
            PageKind::List { list, pager, items } => {
                let views: Vec<Value> = items.iter().map(|&id| self.view(id)).collect();
                ctx.insert_value("articles", Value::from(views));
                ctx.insert("pager", &self.pager_view(pager));
                self.list_context(&mut ctx, *list);
            }
            PageKind::Taxonomy(t) => {
                ctx.insert(
                    "taxonomy",
                    &TaxonomyView::new(&self.index.taxonomies[*t], self.config, true),
                );
            }
            PageKind::Archive => {
                let years: Vec<PeriodView> = self
                    .index
                    .archive
                    .years
                    .keys()
                    .rev()
                    .map(|&y| self.period(y, None, None, true))
                    .collect();
                ctx.insert("years", &years);
            }
            _ => {}
        }
        ctx
    }

    fn list_context(&self, ctx: &mut Context, list: ListKind) {
        let base = &self.config.base_url;
        match list {
            ListKind::Home => {}
            ListKind::Term(t, i) => {
                let taxonomy = &self.index.taxonomies[t];
                ctx.insert("taxonomy", &TaxonomyView::new(taxonomy, self.config, false));
                ctx.insert("term", &TermView::new(&taxonomy.terms[i], base));
            }
            ListKind::Year(y) => ctx.insert("period", &self.period(y, None, None, true)),
            ListKind::Month(y, m) => {
                ctx.insert("period", &self.period(y, Some(m), None, true));
                ctx.insert("year", &self.period(y, None, None, false));
            }
            ListKind::Day(y, m, d) => {
                ctx.insert("period", &self.period(y, Some(m), Some(d), false));
                ctx.insert("year", &self.period(y, None, None, false));
                ctx.insert("month", &self.period(y, Some(m), None, false));
            }
        }
    }

    /// A year, month or day with its count and, with `parts`, its months or days.
    fn period(&self, year: i32, month: Option<u32>, day: Option<u32>, parts: bool) -> PeriodView {
        let style = &self.config.date_style;
        let base = &self.config.base_url;
        let months = &self.index.archive.years[&year];
        let count_days =
            |days: &BTreeMap<u32, Vec<ArticleId>>| days.values().map(Vec::len).sum::<usize>();
        match (month, day) {
            (None, _) => PeriodView {
                label: style.digits.apply(&year.to_string()),
                href: base.href(&year_url(year)),
                count: months.values().map(count_days).sum(),
                year,
                month: None,
                day: None,
                parts: if parts {
                    months
                        .keys()
                        .map(|&m| self.period(year, Some(m), None, false))
                        .collect()
                } else {
                    Vec::new()
                },
            },
            (Some(m), None) => PeriodView {
                label: style.month_year(year, m),
                href: base.href(&month_url(year, m)),
                count: count_days(&months[&m]),
                year,
                month: Some(m),
                day: None,
                parts: if parts {
                    months[&m]
                        .keys()
                        .map(|&d| self.period(year, Some(m), Some(d), false))
                        .collect()
                } else {
                    Vec::new()
                },
            },
            (Some(m), Some(d)) => PeriodView {
                label: style.day(year, m, d),
                href: base.href(&day_url(year, m, d)),
                count: months[&m][&d].len(),
                year,
                month: Some(m),
                day: Some(d),
                parts: Vec::new(),
            },
        }
    }

    fn pager_view(&self, pager: &Pager) -> PagerView {
        let base = &self.config.base_url;
        let window = |n: usize| n == 1 || n == pager.total || n.abs_diff(pager.number) <= 2;
        PagerView {
            number: pager.number,
            total: pager.total,
            pages: (1..=pager.total)
                .filter(|&n| window(n))
                .map(|n| PagerLink {
                    number: n,
                    href: base.href(&page_url(&pager.first, n)),
                })
                .collect(),
            prev: pager.prev.as_ref().map(|u| base.href(u)),
            next: pager.next.as_ref().map(|u| base.href(u)),
        }
    }

    /// Feeds, sitemaps and robots.txt.
    fn file(&self, page: &Page) -> String {
        let (index, config) = (self.index, self.config);
        match &page.kind {
            PageKind::Feed(term) => {
                let (title, list_url, ids): (String, UrlPath, Vec<ArticleId>) = match term {
                    None => (
                        config.title.clone(),
                        UrlPath::root(),
                        (0..index.articles.len().min(config.feed_entries)).collect(),
                    ),
                    Some((t, i)) => {
                        let taxonomy = &index.taxonomies[*t];
                        let term = &taxonomy.terms[*i];
                        let title = format!(
                            "{}: {} | {}",
                            config.strings.get(taxonomy.kind.name()),
                            term.name,
                            config.title
                        );
                        (title, term.url.clone(), term_feed(term, config).to_vec())
                    }
                };
                let articles: Vec<&Article> =
                    ids.iter().map(|&id| index.articles[id].as_ref()).collect();
                let entries: Vec<Arc<str>> = if term.is_none() {
                    ids.iter()
                        .map(|&id| {
                            feeds::entry(&index.articles[id], config, Some(&self.body(id))).into()
                        })
                        .collect()
                } else {
                    ids.iter().map(|&id| self.entry(id)).collect()
                };
                let entries: Vec<&str> = entries.iter().map(AsRef::as_ref).collect();
                let head = feeds::FeedHead {
                    title: &title,
                    self_url: &page.url,
                    page_url: &list_url,
                };
                feeds::atom(&head, &articles, &entries, config)
            }
            PageKind::Sitemap(None) if self.sitemap().len() > feeds::SITEMAP_LIMIT => {
                let parts: Vec<_> = self
                    .sitemap()
                    .chunks(feeds::SITEMAP_LIMIT)
                    .enumerate()
                    .map(|(i, chunk)| {
                        let lastmod = chunk.iter().filter_map(|e| e.lastmod).max();
                        (config.base_url.permalink(&sitemap_part_url(i + 1)), lastmod)
                    })
                    .collect();
                feeds::sitemap_index(&parts)
            }
            PageKind::Sitemap(None) => feeds::sitemap(self.sitemap()),
            PageKind::Sitemap(Some(part)) => {
                let chunk = self
                    .sitemap()
                    .chunks(feeds::SITEMAP_LIMIT)
                    .nth(part - 1)
                    .unwrap_or(&[]);
                feeds::sitemap(chunk)
            }
            PageKind::Robots => feeds::robots(
                &config
                    .base_url
                    .permalink(&UrlPath::file::<&str>([], "sitemap.xml")),
            ),
            _ => String::new(),
        }
    }
}

/// One report per template problem, not one per page that hit it.
fn dedup_by_template(mut problems: Vec<Diagnostic>) -> Vec<Diagnostic> {
    problems.sort_by(|a, b| (&a.file, a.span, &a.message).cmp(&(&b.file, b.span, &b.message)));
    problems.dedup_by(|a, b| a.file == b.file && a.span == b.span && a.file.is_some());
    problems
}

/// A fingerprint of everything `page` shows, from a fingerprint of each
/// article's own content (`articles[id]`) and of the sitemap's inputs:
/// with the same site.yaml and templates, equal fingerprints mean equal
/// bytes, so a rebuild can keep the page it already has.
pub fn fingerprint(page: &Page, index: &SiteIndex, articles: &[u64], sitemap: u64) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    page.url.hash(&mut h);
    for_each_shown(page, index, &mut |id| articles[id].hash(&mut h));
    match &page.kind {
        PageKind::List { list, pager, .. } => {
            (pager.number, pager.total).hash(&mut h);
            match *list {
                ListKind::Home | ListKind::Day(..) => {}
                ListKind::Term(t, i) => {
                    let term = &index.taxonomies[t].terms[i];
                    (&term.name, term.articles.len()).hash(&mut h);
                }
                ListKind::Year(y) => {
                    for (m, days) in &index.archive.years[&y] {
                        (m, days.values().map(Vec::len).sum::<usize>()).hash(&mut h);
                    }
                }
                ListKind::Month(y, m) => {
                    for (d, ids) in &index.archive.years[&y][&m] {
                        (d, ids.len()).hash(&mut h);
                    }
                }
            }
        }
        PageKind::Taxonomy(t) => {
            for term in &index.taxonomies[*t].terms {
                (&term.name, &term.slug, term.articles.len()).hash(&mut h);
            }
        }
        PageKind::Archive => {
            for (y, months) in &index.archive.years {
                for (m, days) in months {
                    (y, m, days.values().map(Vec::len).sum::<usize>()).hash(&mut h);
                }
            }
        }
        // Every article of the list counts, not only the newest the feed
        // holds: more than needed, never less.
        PageKind::Feed(None) => articles.hash(&mut h),
        PageKind::Feed(Some((t, i))) => index.taxonomies[*t].terms[*i].name.hash(&mut h),
        PageKind::Sitemap(_) => sitemap.hash(&mut h),
        PageKind::Article(_) | PageKind::NotFound | PageKind::Robots => {}
    }
    h.finish()
}

/// Calls `f` with every article whose fingerprint `fingerprint` takes in
/// for `page`: its own with neighbours and related ones (their titles,
/// dates and links show), a list's items, a term feed's articles. The
/// site feed (every article) and the sitemap depend on the whole site.
pub fn for_each_shown(page: &Page, index: &SiteIndex, f: &mut dyn FnMut(ArticleId)) {
    match &page.kind {
        PageKind::Article(id) => f(*id),
        PageKind::Feed(Some((t, i))) => index.taxonomies[*t].terms[*i]
            .articles
            .iter()
            .for_each(|&id| f(id)),
        _ => {}
    }
    for_each_listed(page, index, f);
}

/// Calls `f` with every article whose view (`Shared::view`) `page`'s
/// template gets, once for each time it gets it: an article page's
/// neighbours and related articles, a list's items.
fn for_each_listed(page: &Page, index: &SiteIndex, f: &mut dyn FnMut(ArticleId)) {
    match &page.kind {
        PageKind::Article(id) => {
            let (older, newer) = neighbours(*id, index);
            older.into_iter().chain(newer).for_each(&mut *f);
            index.related[*id].iter().for_each(|&r| f(r));
        }
        PageKind::List { items, .. } => items.iter().for_each(|&id| f(id)),
        _ => {}
    }
}

/// Calls `f` with every article whose summary-only feed entry
/// (`Shared::entry`) `page` gets: a term feed's newest.
fn for_each_entry(page: &Page, index: &SiteIndex, config: &Config, f: &mut dyn FnMut(ArticleId)) {
    if let PageKind::Feed(Some((t, i))) = page.kind {
        term_feed(&index.taxonomies[t].terms[i], config)
            .iter()
            .for_each(|&id| f(id));
    }
}

/// The articles of a term's feed: its newest.
fn term_feed<'a>(term: &'a Term, config: &Config) -> &'a [ArticleId] {
    &term.articles[..term.articles.len().min(config.feed_entries)]
}

/// The older and the newer article beside `id`. Articles are newest
/// first: the newer one has the smaller id.
fn neighbours(id: ArticleId, index: &SiteIndex) -> (Option<ArticleId>, Option<ArticleId>) {
    let older = (id + 1 < index.articles.len()).then_some(id + 1);
    (older, id.checked_sub(1))
}

/// Whether `page` depends on the whole site rather than on the articles
/// `for_each_shown` names.
pub fn depends_on_all(page: &Page) -> bool {
    matches!(page.kind, PageKind::Feed(None) | PageKind::Sitemap(_))
}

/// A fingerprint of the sitemap's inputs: every indexable page and its
/// lastmod.
pub fn sitemap_fingerprint(pages: &[Page], index: &SiteIndex) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    for p in pages.iter().filter(|p| p.is_indexable()) {
        let changed = lastmod(p, index).map(|d| (d.timestamp(), d.offset().local_minus_utc()));
        (&p.url, changed).hash(&mut h);
    }
    h.finish()
}
