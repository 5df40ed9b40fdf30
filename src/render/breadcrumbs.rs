//! The trail from the home page to a page (home › year › month › day ›
//! article, home › tags › tag), for the theme's breadcrumbs and their
//! `BreadcrumbList` JSON-LD.

use chrono::Datelike;
use serde::Serialize;

use crate::config::Config;
use crate::index::SiteIndex;
use crate::index::archive::{day_url, month_url, year_url};
use crate::plan::{List, PageKind, PlannedPage, TermOrder};
use crate::url::UrlPath;

/// One step of the trail.
#[derive(Debug, Serialize)]
pub struct Crumb {
    pub name: String,
    pub href: String,
}

/// The trail to `page`, the page itself last; empty for the home page
/// and pages that are not HTML.
pub fn trail(page: &PlannedPage, index: &SiteIndex, config: &Config) -> Vec<(String, UrlPath)> {
    let style = &config.date_style;
    let home = (config.strings.get("home").to_owned(), UrlPath::root());
    let year = |y: i32| (style.digits.apply(&y.to_string()), year_url(y));
    let month = |y: i32, m: u32| (style.month_year(y, m), month_url(y, m));
    let day = |y: i32, m: u32, d: u32| (style.day(y, m, d), day_url(y, m, d));
    let taxonomy = |t: usize| {
        let t = &index.taxonomies[t];
        (config.strings.get(t.kind.name()).to_owned(), t.url())
    };
    let mut steps = match &page.kind {
        PageKind::Article { id, .. } => {
            let a = &index.articles[*id];
            let d = a.meta.date;
            vec![
                year(d.year()),
                month(d.year(), d.month()),
                day(d.year(), d.month(), d.day()),
                (a.meta.title.clone(), a.url.clone()),
            ]
        }
        PageKind::List { list, .. } => match list.as_ref() {
            List::Home => return Vec::new(),
            List::Term(t, term) => vec![taxonomy(*t), (term.name.clone(), term.url.clone())],
            List::Year(y) => vec![year(y.year)],
            List::Month(m, _) => vec![year(m.year), month(m.year, m.month.unwrap_or(1))],
            List::Day(d, _, _) => {
                let (y, m) = (d.year, d.month.unwrap_or(1));
                vec![year(y), month(y, m), day(y, m, d.day.unwrap_or(1))]
            }
        },
        PageKind::Taxonomy {
            taxonomy: t,
            order,
            pager,
            ..
        } => match order {
            TermOrder::Count => vec![taxonomy(*t)],
            TermOrder::Name => vec![
                taxonomy(*t),
                (
                    config.strings.get("by_name").to_owned(),
                    pager.first.clone(),
                ),
            ],
            TermOrder::Letter(l) => {
                vec![taxonomy(*t), (style.digits.apply(l), pager.first.clone())]
            }
        },
        PageKind::Archive { .. } => {
            vec![(config.strings.get("archive").to_owned(), page.url.clone())]
        }
        _ => return Vec::new(),
    };
    steps.insert(0, home);
    steps
}

/// The trail as `BreadcrumbList` JSON-LD, safe inside `<script>`. Written
/// directly: every page has one, and building it as a JSON map cost a
/// tenth of a clean build.
pub fn json_ld(trail: &[(String, UrlPath)], config: &Config) -> String {
    use std::fmt::Write;
    let text = |s: &str| serde_json::to_string(s).expect("a string is JSON");
    let mut out = String::from(
        r#"{"@context":"https://schema.org","@type":"BreadcrumbList","itemListElement":["#,
    );
    for (i, (name, url)) in trail.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(
            out,
            r#"{{"@type":"ListItem","position":{},"name":{},"item":{}}}"#,
            i + 1,
            text(name),
            text(&config.base_url.permalink(url)),
        );
    }
    out.push_str("]}");
    super::context::script_safe(&out)
}
