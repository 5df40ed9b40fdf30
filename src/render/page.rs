//! Each page kind's output: the template context built from the page's
//! plan alone (and the articles it names), or the file written by code.

use std::sync::Arc;

use tera::{Context, Value};

use crate::config::TaxonomyKind;
use crate::content::Article;
use crate::index::ArticleId;
use crate::index::archive::{day_url, month_url, year_url};
use crate::index::paginate::{Pager, page_url};
use crate::plan::{List, PageKind, Period, PlannedPage, SitemapLine, TermOrder, TermSummary};
use crate::render::breadcrumbs::{self, Crumb};
use crate::render::context::{
    ArticleView, InitialView, PageView, PagerLink, PagerView, PeriodView, TaxonomyView, TermView,
};
use crate::render::feeds::{self, SitemapEntry};
use crate::render::{Shared, templates};
use crate::url::UrlPath;

/// The partial every article is rendered through once, for lists.
const ITEM: &str = "item.html";

impl Shared<'_> {
    /// The bytes of `page`; none after a template error, which is noted.
    pub(crate) fn page(&self, page: &PlannedPage) -> Option<Vec<u8>> {
        let Some(template) = page.template() else {
            return Some(self.file(page).into_bytes());
        };
        let mut html = Vec::with_capacity(32 * 1024);
        match self
            .input
            .templates
            .tera
            .render_to(template, &self.context(page), &mut html)
        {
            Ok(()) => Some(html),
            Err(e) => {
                self.problem(templates::template_diagnostic(&e, Some(page.url.as_str())));
                None
            }
        }
    }

    /// An article's view, with `item`: the article rendered through
    /// `item.html` once, for every list that shows it. Lists are most of
    /// a site's pages, and one render per article instead of one per
    /// listing is most of their cost.
    pub(crate) fn new_view(&self, id: ArticleId) -> Value {
        let (index, config) = (self.input.index, self.input.config);
        let a = &index.articles[id];
        let images = self.input.images;
        let view = Value::from_serializable(&ArticleView::new(a, index, config, images, None));
        let mut ctx = Context::new();
        ctx.insert_value("site", self.site.clone());
        ctx.insert_value("article", view);
        let mut html = Vec::with_capacity(2 * 1024);
        let item = match self.input.templates.tera.render_to(ITEM, &ctx, &mut html) {
            // Tera writes only UTF-8.
            Ok(()) => Value::safe_string(simdutf8::basic::from_utf8(&html).unwrap_or_default()),
            Err(e) => {
                self.problem(templates::template_diagnostic(&e, Some(a.url.as_str())));
                Value::none()
            }
        };
        let view = ctx.remove("article").unwrap_or_else(Value::none);
        let mut map = view.into_map().unwrap_or_default();
        map.insert("item".into(), item);
        Value::from(map)
    }

    /// The rendered body of article `id`; when it cannot be had, none,
    /// with a problem noted.
    fn body(&self, id: ArticleId) -> std::borrow::Cow<'_, str> {
        self.input.index.articles[id]
            .body_html(self.input.root, self.input.config)
            .unwrap_or_else(|d| {
                self.problem(d);
                std::borrow::Cow::Borrowed("")
            })
    }

    fn context(&self, page: &PlannedPage) -> Context {
        let (index, config) = (self.input.index, self.input.config);
        let base = &config.base_url;
        let mut ctx = Context::new();
        ctx.insert_value("site", self.site.clone());
        let name = page.template().unwrap_or("").trim_end_matches(".html");
        let feed = match &page.kind {
            PageKind::List { list, .. } => match list.as_ref() {
                List::Term(_, term) => Some(term.url.join("atom.xml")),
                _ => None,
            },
            _ => None,
        };
        ctx.insert("page", &PageView::new(base, &page.url, name, feed.as_ref()));
        let view = |n: Option<ArticleId>| n.map_or(Value::none(), |n| self.view(n));
        match &page.kind {
            PageKind::Article {
                id,
                older,
                newer,
                related,
            } => {
                let a = &index.articles[*id];
                let body = self.body(*id);
                // Its images as `<picture>`s of their resized copies.
                let images = self.input.images;
                let base_path = config.base_url.path();
                let body = crate::images::html::rewrite(&body, &|src| {
                    // Links from the site's root have the base path by now.
                    let src = match src.strip_prefix(base_path) {
                        Some(rest) if src.starts_with('/') => format!("/{rest}"),
                        _ => src.to_owned(),
                    };
                    images.find(a, &src).map(|(p, _)| std::sync::Arc::clone(p))
                })
                .map_or(body, std::borrow::Cow::Owned);
                let shown = ArticleView::new(a, index, config, images, Some(&body));
                ctx.insert("article", &shown);
                ctx.insert_value("previous", view(*older));
                ctx.insert_value("next", view(*newer));
                let related: Vec<Value> = related.iter().map(|&r| self.view(r)).collect();
                ctx.insert_value("related", Value::from(related));
            }
            PageKind::List { list, pager, items } => {
                let views: Vec<Value> = items.iter().map(|&id| self.view(id)).collect();
                ctx.insert_value("articles", Value::from(views));
                ctx.insert("pager", &self.pager_view(pager));
                self.list_context(&mut ctx, list);
            }
            PageKind::Taxonomy {
                taxonomy,
                order,
                pager,
                terms,
                letters,
            } => {
                let t = &index.taxonomies[*taxonomy];
                let mut view = TaxonomyView::new(t, config);
                view.terms = terms
                    .iter()
                    .map(|term| self.term_view(t.kind, term))
                    .collect();
                view.by_name = Some(config.base_url.href(&t.url().join("by-name/")));
                let current = match order {
                    TermOrder::Letter(l) => Some(l.as_str()),
                    _ => None,
                };
                view.order = match order {
                    TermOrder::Count => "count",
                    TermOrder::Name => "name",
                    TermOrder::Letter(_) => "letter",
                };
                view.letter = current.map(|l| config.date_style.digits.apply(l));
                view.letters = letters
                    .iter()
                    .map(|l| InitialView {
                        letter: config.date_style.digits.apply(&l.letter),
                        href: config.base_url.href(&l.url),
                        count: l.count,
                        current: current == Some(l.letter.as_str()),
                    })
                    .collect();
                ctx.insert("taxonomy", &view);
                ctx.insert("pager", &self.pager_view(pager));
            }
            PageKind::Archive { years } => {
                let years: Vec<PeriodView> = years.iter().map(|y| self.period(y)).collect();
                ctx.insert("years", &years);
            }
            PageKind::NotFound
            | PageKind::Search
            | PageKind::Redirect { .. }
            | PageKind::Feed { .. }
            | PageKind::Sitemap { .. }
            | PageKind::SitemapIndex { .. }
            | PageKind::Robots => {}
        }
        let trail = breadcrumbs::trail(page, index, config);
        if !trail.is_empty() {
            ctx.insert("breadcrumbs_json_ld", &breadcrumbs::json_ld(&trail, config));
        }
        // The page itself is the heading below the trail.
        let shown: Vec<Crumb> = trail
            .iter()
            .take(trail.len().saturating_sub(1))
            .map(|(name, url)| Crumb {
                name: name.clone(),
                href: base.href(url),
            })
            .collect();
        ctx.insert("breadcrumbs", &shown);
        ctx
    }

    fn list_context(&self, ctx: &mut Context, list: &List) {
        match list {
            List::Home => {}
            List::Term(t, term) => {
                let taxonomy = &self.input.index.taxonomies[*t];
                ctx.insert("taxonomy", &TaxonomyView::new(taxonomy, self.input.config));
                ctx.insert("term", &self.term_view(taxonomy.kind, term));
            }
            List::Year(period) => ctx.insert("period", &self.period(period)),
            List::Month(period, year) => {
                ctx.insert("period", &self.period(period));
                ctx.insert("year", &self.period(year));
            }
            List::Day(period, year, month) => {
                ctx.insert("period", &self.period(period));
                ctx.insert("year", &self.period(year));
                ctx.insert("month", &self.period(month));
            }
        }
    }

    fn term_view<'t>(&'t self, kind: TaxonomyKind, term: &'t TermSummary) -> TermView<'t> {
        let config = self.input.config;
        let base = &config.base_url;
        let profile = term.profile.and_then(|i| config.profiles(kind).get(i));
        TermView {
            name: &term.name,
            slug: &term.slug,
            href: base.href(&term.url),
            feed: base.href(&term.url.join("atom.xml")),
            count: term.count,
            description: profile.and_then(|p| p.description.as_deref()),
            photo: profile.and_then(|p| p.photo.as_deref()).map(|src| {
                if src.starts_with('/') {
                    base.href(&crate::render::filters::site_path(src))
                } else {
                    src.to_owned()
                }
            }),
            links: profile.map_or(&[], |p| &p.links),
        }
    }

    /// A year, month or day with its count and its months or days.
    fn period(&self, p: &Period) -> PeriodView {
        let style = &self.input.config.date_style;
        let base = &self.input.config.base_url;
        let (label, url) = match (p.month, p.day) {
            (None, _) => (style.digits.apply(&p.year.to_string()), year_url(p.year)),
            (Some(m), None) => (style.month_year(p.year, m), month_url(p.year, m)),
            (Some(m), Some(d)) => (style.day(p.year, m, d), day_url(p.year, m, d)),
        };
        PeriodView {
            label,
            href: base.href(&url),
            count: p.count,
            year: p.year,
            month: p.month,
            day: p.day,
            parts: p.parts.iter().map(|part| self.period(part)).collect(),
        }
    }

    fn pager_view(&self, pager: &Pager) -> PagerView {
        let base = &self.input.config.base_url;
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

    fn sitemap_entries(&self, lines: &[SitemapLine]) -> Vec<SitemapEntry> {
        use rayon::prelude::*;
        lines
            .par_iter()
            .map(|l| SitemapEntry {
                loc: self.input.config.base_url.permalink(&l.url),
                lastmod: l
                    .newest
                    .map(|id| self.input.index.articles[id].last_changed()),
            })
            .collect()
    }

    /// Feeds, sitemaps and robots.txt.
    fn file(&self, page: &PlannedPage) -> String {
        let (index, config) = (self.input.index, self.input.config);
        match &page.kind {
            PageKind::Feed { term, entries: ids } => {
                let (title, list_url) = match term {
                    None => (config.title.clone(), UrlPath::root()),
                    Some((t, term)) => {
                        let kind = index.taxonomies[*t].kind.name();
                        let title = format!(
                            "{}: {} | {}",
                            config.strings.get(kind),
                            term.name,
                            config.title
                        );
                        (title, term.url.clone())
                    }
                };
                let articles: Vec<&Article> =
                    ids.iter().map(|&id| index.articles[id].as_ref()).collect();
                let entries: Vec<Arc<str>> = match term {
                    None => ids
                        .iter()
                        .map(|&id| {
                            feeds::entry(&index.articles[id], config, Some(&self.body(id))).into()
                        })
                        .collect(),
                    Some(_) => ids.iter().map(|&id| self.entry(id)).collect(),
                };
                let entries: Vec<&str> = entries.iter().map(AsRef::as_ref).collect();
                let head = feeds::FeedHead {
                    title: &title,
                    self_url: &page.url,
                    page_url: &list_url,
                };
                feeds::atom(&head, &articles, &entries, config)
            }
            PageKind::Sitemap { lines } => feeds::sitemap(&self.sitemap_entries(lines)),
            PageKind::SitemapIndex { parts } => feeds::sitemap_index(&self.sitemap_entries(parts)),
            PageKind::Redirect { to } => {
                let a = &index.articles[*to];
                feeds::redirect(
                    &a.meta.title,
                    &config.base_url.href(&a.url),
                    &config.base_url.permalink(&a.url),
                    &a.lang,
                    a.direction.as_str(),
                )
            }
            PageKind::Robots => feeds::robots(
                &config
                    .base_url
                    .permalink(&UrlPath::file::<&str>([], "sitemap.xml")),
            ),
            PageKind::Article { .. }
            | PageKind::List { .. }
            | PageKind::Taxonomy { .. }
            | PageKind::Archive { .. }
            | PageKind::NotFound
            | PageKind::Search => String::new(),
        }
    }
}
