//! Follows every link of a built site the way a crawler would.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// `href="…"`, `src="…"` and form `action="…"` values of an HTML document.
pub fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in [" href=\"", " src=\"", " action=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            if let Some(end) = rest.find('"') {
                out.push(rest[..end].replace("&amp;", "&"));
                rest = &rest[end..];
            }
        }
    }
    out
}

/// `id="…"` values of an HTML document.
fn ids(html: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = html;
    while let Some(i) = rest.find(" id=\"") {
        rest = &rest[i + 5..];
        if let Some(end) = rest.find('"') {
            out.insert(rest[..end].to_owned());
        }
    }
    out
}

/// The file a site-absolute URL is served from, as GitHub Pages does it.
fn target(public: &Path, base_path: &str, url: &str) -> Option<PathBuf> {
    let path = url.strip_prefix(base_path)?;
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    let file = public.join(decoded.as_ref());
    Some(if decoded.is_empty() || decoded.ends_with('/') {
        file.join("index.html")
    } else {
        file
    })
}

/// Every broken internal link and anchor in the site at `public`, served
/// under `base_path`; and every HTML page reached from the home page.
pub struct Crawl {
    pub broken: Vec<String>,
    pub reached: BTreeSet<PathBuf>,
}

pub fn crawl(public: &Path, base_path: &str) -> Crawl {
    let mut broken = Vec::new();
    let mut reached = BTreeSet::new();
    let mut queue = vec![public.join("index.html")];
    let mut cache: BTreeMap<PathBuf, String> = BTreeMap::new();
    while let Some(page) = queue.pop() {
        if !reached.insert(page.clone()) {
            continue;
        }
        let html = std::fs::read_to_string(&page).unwrap();
        for link in links(&html) {
            if link.starts_with("http://")
                || link.starts_with("https://")
                || link.starts_with("mailto:")
            {
                continue;
            }
            let (url, anchor) = match link.split_once('#') {
                Some((u, a)) => (u.to_owned(), Some(a.to_owned())),
                None => (link.clone(), None),
            };
            let file = if url.is_empty() {
                Some(page.clone())
            } else {
                target(public, base_path, &url)
            };
            let Some(file) = file.filter(|f| f.is_file()) else {
                broken.push(format!(
                    "{} → {link}",
                    page.strip_prefix(public).unwrap().display()
                ));
                continue;
            };
            if let Some(anchor) = anchor {
                let text = cache
                    .entry(file.clone())
                    .or_insert_with(|| std::fs::read_to_string(&file).unwrap_or_default());
                let anchor = percent_encoding::percent_decode_str(&anchor)
                    .decode_utf8_lossy()
                    .into_owned();
                if !ids(text).contains(&anchor) {
                    broken.push(format!(
                        "{} → {link} (no such anchor)",
                        page.strip_prefix(public).unwrap().display()
                    ));
                }
            }
            if file.extension().is_some_and(|e| e == "html") && !reached.contains(&file) {
                queue.push(file);
            }
        }
    }
    Crawl { broken, reached }
}
