//! Rendering: planned pages to bytes, in parallel, each handed to a sink
//! as soon as it is ready. What each page's context holds is in `page`;
//! this module keeps the work and the memory of a large site in check.

pub mod breadcrumbs;
pub mod context;
pub mod feeds;
pub mod filters;
pub mod page;
pub mod templates;

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use tera::Value;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::{Error, Result};
use crate::index::{ArticleId, SiteIndex};
use crate::plan::PlannedPage;
use context::SiteView;
pub use templates::Templates;

/// What rendering reads besides the pages: the site's folder (where
/// articles kept without their rendered body are read again), index,
/// settings and templates.
#[derive(Clone, Copy)]
pub struct Input<'a> {
    pub root: &'a Path,
    pub index: &'a SiteIndex,
    pub config: &'a Config,
    pub templates: &'a Templates,
    pub images: &'a crate::images::Images,
}

/// Renders `pages` in parallel and gives each page's bytes to `sink`.
/// Template errors are collected from every page, not only the first.
pub fn render(
    input: Input<'_>,
    pages: &[&PlannedPage],
    sink: &(dyn Fn(&PlannedPage, Vec<u8>) -> Result<()> + Sync),
) -> Result<()> {
    let problems = Mutex::new(Vec::new());
    let n = input.index.articles.len();
    let (views, entries) = (Slots::new(n), Slots::new(n));
    for page in pages {
        page.views().for_each(|id| views.will_use(id));
        page.entries().iter().for_each(|&id| entries.will_use(id));
    }
    // Pages in the order of the newest article they show, so that what is
    // shared lives from its first page to its last over a short stretch
    // of the build rather than to its end.
    let mut order: Vec<&PlannedPage> = pages.to_vec();
    order.sort_by_key(|p| p.newest());
    let shared = Shared {
        input,
        problems: &problems,
        site: Value::from_serializable(&SiteView::new(input.config)),
        views,
        entries,
    };
    order
        .par_iter()
        .try_for_each(|page| match shared.page(page) {
            Some(bytes) => sink(page, bytes),
            None => Ok(()),
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

/// What every page needs, computed once.
pub(crate) struct Shared<'a> {
    pub input: Input<'a>,
    /// Problems met while rendering.
    problems: &'a Mutex<Vec<Diagnostic>>,
    pub site: Value,
    /// Each article's view with its `item`, shared by every page listing it.
    views: Slots<Value>,
    /// Each article's summary-only feed entry, shared by its term feeds.
    entries: Slots<Arc<str>>,
}

impl Shared<'_> {
    pub fn problem(&self, d: Diagnostic) {
        self.problems
            .lock()
            .expect("no panics while locked")
            .push(d);
    }

    /// Article `id`'s list view, made once for all the pages that show it.
    pub fn view(&self, id: ArticleId) -> Value {
        self.views.get(id, || self.new_view(id))
    }

    /// Article `id`'s summary-only feed entry, made once.
    pub fn entry(&self, id: ArticleId) -> Arc<str> {
        self.entries.get(id, || {
            feeds::entry(&self.input.index.articles[id], self.input.config, None).into()
        })
    }
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

/// One report per template problem, not one per page that hit it.
fn dedup_by_template(mut problems: Vec<Diagnostic>) -> Vec<Diagnostic> {
    problems.sort_by(|a, b| (&a.file, a.span, &a.message).cmp(&(&b.file, b.span, &b.message)));
    problems.dedup_by(|a, b| a.file == b.file && a.span == b.span && a.file.is_some());
    problems
}
