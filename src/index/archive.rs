//! Date archives: year → month → day → articles, in calendar order.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::Datelike;

use crate::content::Article;
use crate::index::ArticleId;
use crate::url::UrlPath;

/// Articles by the date as written in their front matter (their own
/// offset), the date their URL shows.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct DateArchive {
    pub years: BTreeMap<i32, BTreeMap<u32, BTreeMap<u32, Vec<ArticleId>>>>,
}

impl DateArchive {
    pub fn build(articles: &[Arc<Article>]) -> DateArchive {
        let mut archive = DateArchive::default();
        for (id, a) in articles.iter().enumerate() {
            let d = a.meta.date;
            archive
                .years
                .entry(d.year())
                .or_default()
                .entry(d.month())
                .or_default()
                .entry(d.day())
                .or_default()
                .push(id);
        }
        archive
    }

    /// Articles of a year or month, newest first (ids are in that order).
    pub fn articles_in<'a>(days: impl Iterator<Item = &'a Vec<ArticleId>>) -> Vec<ArticleId> {
        let mut ids: Vec<ArticleId> = days.flatten().copied().collect();
        ids.sort_unstable();
        ids
    }
}

pub fn year_url(year: i32) -> UrlPath {
    UrlPath::dir([format!("{year:04}")])
}

pub fn month_url(year: i32, month: u32) -> UrlPath {
    UrlPath::dir([format!("{year:04}"), format!("{month:02}")])
}

pub fn day_url(year: i32, month: u32, day: u32) -> UrlPath {
    UrlPath::dir([
        format!("{year:04}"),
        format!("{month:02}"),
        format!("{day:02}"),
    ])
}
