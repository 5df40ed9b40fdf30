//! Rendering: the site index planned into pages, each page rendered through
//! its template, in parallel, and handed to a sink as soon as it is ready.

pub mod context;
pub mod filters;
pub mod templates;

use std::path::PathBuf;
use std::sync::Mutex;

use rayon::prelude::*;
use tera::{Context, Value};

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::{Error, Result};
use crate::index::paginate::{Pager, paginate};
use crate::index::{ArticleId, SiteIndex};
use crate::url::UrlPath;
use context::{ArticleView, PageView, PagerView, SiteView};
pub use templates::Templates;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageKind {
    Article(ArticleId),
    Home(Pager),
    NotFound,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub url: UrlPath,
    pub kind: PageKind,
}

impl Page {
    pub fn template(&self) -> &'static str {
        match self.kind {
            PageKind::Article(_) => "article.html",
            PageKind::Home(_) => "home.html",
            PageKind::NotFound => "404.html",
        }
    }

    fn kind_name(&self) -> &'static str {
        match self.kind {
            PageKind::Article(_) => "article",
            PageKind::Home(_) => "home",
            PageKind::NotFound => "404",
        }
    }
}

/// A file of the built site, relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// Every page the site has, in a fixed order.
pub fn plan(index: &SiteIndex, config: &Config) -> Vec<Page> {
    let mut pages: Vec<Page> = (0..index.articles.len())
        .map(|id| Page {
            url: index.articles[id].url.clone(),
            kind: PageKind::Article(id),
        })
        .collect();
    for pager in paginate(
        &UrlPath::root(),
        index.articles.len(),
        config.per_page.get(),
    ) {
        pages.push(Page {
            url: pager.url.clone(),
            kind: PageKind::Home(pager),
        });
    }
    pages.push(Page {
        url: UrlPath::file::<&str>([], "404.html"),
        kind: PageKind::NotFound,
    });
    pages
}

/// Renders `pages` in parallel and gives each file to `sink`. Template
/// errors are collected from every page, not only the first.
pub fn render(
    pages: &[Page],
    index: &SiteIndex,
    config: &Config,
    templates: &Templates,
    sink: &(dyn Fn(OutputFile) -> Result<()> + Sync),
) -> Result<()> {
    let site = Value::from_serializable(&SiteView::new(config));
    let views: Vec<Value> = index
        .articles
        .par_iter()
        .map(|a| Value::from_serializable(&ArticleView::new(a, config)))
        .collect();
    let problems = Mutex::new(Vec::new());
    pages.par_iter().try_for_each(|page| {
        let mut ctx = Context::new();
        ctx.insert_value("site", site.clone());
        ctx.insert(
            "page",
            &PageView::new(&config.base_url, &page.url, page.kind_name()),
        );
        match &page.kind {
            PageKind::Article(id) => ctx.insert_value("article", views[*id].clone()),
            PageKind::Home(pager) => {
                let items: Vec<Value> = views[pager.items.clone()].to_vec();
                ctx.insert_value("articles", Value::from(items));
                ctx.insert("pager", &pager_view(pager, config));
            }
            PageKind::NotFound => {}
        }
        match templates.tera.render(page.template(), &ctx) {
            Ok(html) => sink(OutputFile {
                path: page.url.output_file(),
                bytes: html.into_bytes(),
            }),
            Err(e) => {
                let d = templates::template_diagnostic(&e, Some(page.url.as_str()));
                problems.lock().expect("no panics while locked").push(d);
                Ok(())
            }
        }
    })?;
    let problems: Vec<Diagnostic> = problems.into_inner().expect("no panics while locked");
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Input(Diagnostics::new(dedup_by_template(problems))))
    }
}

/// One report per template problem, not one per page that hit it.
fn dedup_by_template(mut problems: Vec<Diagnostic>) -> Vec<Diagnostic> {
    problems.sort_by(|a, b| (&a.file, a.span, &a.message).cmp(&(&b.file, b.span, &b.message)));
    problems.dedup_by(|a, b| a.file == b.file && a.span == b.span && a.file.is_some());
    problems
}

fn pager_view(pager: &Pager, config: &Config) -> PagerView {
    PagerView {
        number: pager.number,
        total: pager.total,
        prev: pager.prev.as_ref().map(|u| config.base_url.href(u)),
        next: pager.next.as_ref().map(|u| config.base_url.href(u)),
    }
}
