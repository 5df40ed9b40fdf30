//! Splitting a list into pages: page 1 at the list's own URL, page N at
//! `…/page/N/`.

use std::ops::Range;

use crate::url::UrlPath;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Pager {
    /// 1-based.
    pub number: usize,
    pub total: usize,
    pub items: Range<usize>,
    pub url: UrlPath,
    /// The list's own URL, page 1.
    pub first: UrlPath,
    pub prev: Option<UrlPath>,
    pub next: Option<UrlPath>,
}

/// The URL of page `n` of the list at `first`.
pub fn page_url(first: &UrlPath, n: usize) -> UrlPath {
    if n <= 1 {
        first.clone()
    } else {
        first.join(&format!("page/{n}/"))
    }
}

/// The pages of a list of `len` items at `first`, `per_page` to a page. An
/// empty list still has one (empty) page, so its URL exists.
pub fn paginate(first: &UrlPath, len: usize, per_page: usize) -> Vec<Pager> {
    let per_page = per_page.max(1);
    let total = len.div_ceil(per_page).max(1);
    (1..=total)
        .map(|n| Pager {
            number: n,
            total,
            items: (n - 1) * per_page..(n * per_page).min(len),
            url: page_url(first, n),
            first: first.clone(),
            prev: (n > 1).then(|| page_url(first, n - 1)),
            next: (n < total).then(|| page_url(first, n + 1)),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edges() {
        let home = UrlPath::root();
        for (len, per, pages, last) in [
            (0, 20, 1, 0..0),
            (1, 20, 1, 0..1),
            (20, 20, 1, 0..20),
            (21, 20, 2, 20..21),
            (45, 20, 3, 40..45),
        ] {
            let p = paginate(&home, len, per);
            assert_eq!(p.len(), pages, "{len}");
            assert_eq!(p.last().unwrap().items, last, "{len}");
            assert!(p[0].prev.is_none() && p.last().unwrap().next.is_none());
        }
        let p = paginate(&UrlPath::dir(["tags", "روسيا"]), 45, 20);
        assert_eq!(p[0].url.as_str(), "/tags/روسيا/");
        assert_eq!(p[1].url.as_str(), "/tags/روسيا/page/2/");
        assert_eq!(p[1].prev.as_ref().unwrap().as_str(), "/tags/روسيا/");
        assert_eq!(p[1].next.as_ref().unwrap().as_str(), "/tags/روسيا/page/3/");
    }
}
