//! Links and images in an imported post, pointed at the new site: a link
//! to another post (by its file, or by its old address) goes to that
//! post's new file, a file the post uses is copied beside it (or into
//! static/ when the old site served it from its root), and what leads
//! nowhere is listed for a person.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};
use std::sync::LazyLock;

use pulldown_cmark::{Event, LinkType, Parser, Tag};
use regex_lite::Regex;

use crate::markdown;
use crate::url::UrlPath;

/// The old site, as links are resolved against it.
pub struct OldSite<'a> {
    /// Folders whose files the old site served from its root (Hugo's
    /// static/, Jekyll's source folder), each below a path (WordPress's
    /// uploads are below `wp-content/uploads`).
    pub static_roots: &'a [(String, PathBuf)],
    /// The tree imported, for links that lead nowhere.
    pub root: &'a Path,
    /// The old site's path below its host (`/blog`), without a final `/`.
    pub base_path: &'a str,
    /// The old site's host, so whole URLs to it count as its own links.
    pub host: Option<&'a str>,
    /// Old addresses (as `UrlPath::alias` writes them) to post numbers.
    pub by_url: &'a HashMap<String, usize>,
    /// Post files to post numbers.
    pub by_file: &'a HashMap<PathBuf, usize>,
}

/// What follows a destination's path: `?query#fragment`, kept when the
/// path is rewritten.
pub fn suffix(dest: &str) -> &str {
    dest.find(['?', '#']).map_or("", |i| &dest[i..])
}

/// What a link or image destination is, found on the old site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Left as written: the web, an anchor, mail.
    Keep,
    /// Another post, with the `#fragment` (or empty).
    Post(usize, String),
    /// A file beside the post (or anywhere but the site's root).
    File(PathBuf),
    /// A file the old site served from its root, at this path.
    Static(PathBuf, String),
    /// Nothing at this address; as a root path.
    Missing(String),
}

impl OldSite<'_> {
    /// Finds `dest`, written in the post `file` that the old site served at `old_url`.
    pub fn find(&self, dest: &str, file: &Path, old_url: Option<&str>) -> Target {
        let dest = dest.trim();
        let lower = dest.to_ascii_lowercase();
        let local = if markdown::is_web(dest) {
            let rest = dest.split_once("://").map_or("", |(_, r)| r);
            let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
            if self.host.is_some_and(|h| h.eq_ignore_ascii_case(host)) {
                if path.is_empty() { "/" } else { path }
            } else {
                return Target::Keep;
            }
        } else if dest.is_empty()
            || dest.starts_with('#')
            || dest.starts_with("//")
            || lower
                .split_once(':')
                .is_some_and(|(scheme, _)| !scheme.contains('/'))
        {
            return Target::Keep;
        } else {
            dest
        };
        let (path, fragment) = local.split_once('#').unwrap_or((local, ""));
        let path = path.split_once('?').map_or(path, |(p, _)| p);
        let decoded = percent_encoding::percent_decode_str(path)
            .decode_utf8_lossy()
            .into_owned();
        if let Some(rooted) = decoded.strip_prefix('/') {
            let rooted = self.below_base(rooted);
            if let Some(&post) = self.post_at(&format!("/{rooted}")) {
                return Target::Post(post, fragment.to_owned());
            }
            for (prefix, dir) in self.static_roots {
                let Some(below) = strip_dir(rooted, prefix) else {
                    continue;
                };
                let candidate = dir.join(below);
                if !below.is_empty() && candidate.is_file() {
                    return Target::Static(candidate, rooted.to_owned());
                }
            }
            return Target::Missing(format!("/{rooted}"));
        }
        let beside = normalise(&file.parent().unwrap_or(Path::new("")).join(&decoded));
        if let Some(&post) = self.by_file.get(&beside) {
            return Target::Post(post, fragment.to_owned());
        }
        if beside.is_file() {
            return Target::File(beside);
        }
        // A relative address on the old site, read from the post's own
        // address as a browser would: `../other-post/`, `assets/a.png`.
        if let Some(url) = old_url {
            let dir = match url.rsplit_once('/') {
                Some((d, _)) if !d.is_empty() => d,
                _ => "/",
            };
            return self.find(&join_url(dir, &decoded), file, None);
        }
        match beside.strip_prefix(self.root) {
            Ok(rel) => Target::Missing(format!("/{}", rel.to_string_lossy().replace('\\', "/"))),
            Err(_) => Target::Missing(format!("/{decoded}")),
        }
    }

    fn below_base<'p>(&self, rooted: &'p str) -> &'p str {
        strip_dir(rooted, self.base_path).unwrap_or(rooted)
    }

    /// The post at an old address; `/a/b` finds `/a/b.html` too, as the
    /// servers of Jekyll sites answer.
    fn post_at(&self, path: &str) -> Option<&usize> {
        let lookup = |p: &str| url_key(p).and_then(|k| self.by_url.get(&k));
        lookup(path).or_else(|| {
            let bare = path.trim_end_matches('/');
            match bare.strip_suffix(".html") {
                Some(stem) => lookup(stem),
                None => lookup(&format!("{bare}.html")),
            }
        })
    }
}

/// `a/b/c` below `a/b` is `c`; below `` it is all of it.
fn strip_dir<'p>(path: &'p str, dir: &str) -> Option<&'p str> {
    let dir = dir.trim_matches('/');
    if dir.is_empty() {
        return Some(path);
    }
    match path.strip_prefix(dir) {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => {
            Some(rest.trim_start_matches('/'))
        }
        _ => None,
    }
}

/// An old address as a key: `/a/b/`, `/a/b/index.html` and `/a/b` are one.
pub fn url_key(path: &str) -> Option<String> {
    let path = path.strip_suffix("index.html").unwrap_or(path);
    let path = if !path.ends_with('/') && !path.rsplit('/').next().unwrap_or("").contains('.') {
        format!("{path}/")
    } else {
        path.to_owned()
    };
    UrlPath::alias(&path).ok().map(|u| u.as_str().to_owned())
}

/// A relative address read from the folder `dir` of an old address, as
/// a browser resolves it: `/a/b` and `../c/` give `/a/c/`.
fn join_url(dir: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for segment in rel.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let slash = if rel.ends_with('/') && !parts.is_empty() {
        "/"
    } else {
        ""
    };
    format!("/{}{slash}", parts.join("/"))
}

/// `a/./b/../c` → `a/c`, without touching the file system.
pub fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The path from the folder `from` to `to`, with `/`, as a link is written.
pub fn relative(from: &Path, to: &Path) -> String {
    let from: Vec<Component> = from.components().collect();
    let to_parts: Vec<Component> = to.components().collect();
    let common = from
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts: Vec<String> = vec!["..".into(); from.len() - common];
    parts.extend(
        to_parts[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// `src="…"` and `href="…"` in raw HTML.
static HTML_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)\b(?:src|href|poster)\s*=\s*(?:"([^"]*)"|'([^']*)')"#)
        .expect("a valid pattern")
});

/// A link or image destination as written in a post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dest {
    /// Where its text is, so it can be rewritten in place.
    pub range: Range<usize>,
    /// What it says, unescaped.
    pub dest: String,
    /// In raw HTML (`src="…"`), where only addresses work, not file paths.
    pub html: bool,
}

/// Every link and image destination written in `body`.
pub fn destinations(body: &str) -> Vec<Dest> {
    let mut found = Vec::new();
    let mut parser = Parser::new_ext(body, markdown::options()).into_offset_iter();
    for (event, range) in parser.by_ref() {
        match event {
            Event::Start(
                Tag::Link {
                    link_type: LinkType::Inline,
                    dest_url,
                    ..
                }
                | Tag::Image {
                    link_type: LinkType::Inline,
                    dest_url,
                    ..
                },
            ) => {
                let text = &body[range.clone()];
                if let Some(open) = text.rfind("](") {
                    let at = range.start + open + 2;
                    found.push(Dest {
                        range: dest_span(body, at),
                        dest: dest_url.to_string(),
                        html: false,
                    });
                }
            }
            Event::Html(raw) | Event::InlineHtml(raw) => {
                for c in HTML_URL.captures_iter(&raw) {
                    let m = c.get(1).or_else(|| c.get(2)).expect("one side matches");
                    let at = range.start + m.start();
                    found.push(Dest {
                        range: at..at + m.len(),
                        dest: m.as_str().to_owned(),
                        html: true,
                    });
                }
            }
            _ => {}
        }
    }
    for (_, def) in parser.reference_definitions().iter() {
        let text = &body[def.span.clone()];
        if let Some(colon) = text.find("]:") {
            let at = def.span.start + colon + 2;
            found.push(Dest {
                range: dest_span(body, at),
                dest: def.dest.to_string(),
                html: false,
            });
        }
    }
    found.sort_by_key(|d| d.range.start);
    found.dedup_by_key(|d| d.range.start);
    found
}

/// Where a destination written from `at` ends: `<…>`, or up to a space
/// or the `)` that closes the link.
fn dest_span(body: &str, at: usize) -> Range<usize> {
    let rest = &body[at..];
    let start = at + (rest.len() - rest.trim_start().len());
    let rest = &body[start..];
    if rest.starts_with('<') {
        let end = rest.find('>').map_or(rest.len(), |i| i + 1);
        return start..start + end;
    }
    let mut depth = 0usize;
    for (i, c) in rest.char_indices() {
        match c {
            '\\' => {}
            '(' => depth += 1,
            ')' if depth == 0 => return start..start + i,
            ')' => depth -= 1,
            c if c.is_whitespace() => return start..start + i,
            _ => {}
        }
    }
    start..body.len()
}

/// `body` with each range replaced by its text.
pub fn rewrite(body: &str, mut edits: Vec<(Range<usize>, String)>) -> String {
    edits.sort_by_key(|(r, _)| r.start);
    let mut out = String::with_capacity(body.len());
    let mut at = 0;
    for (range, text) in edits {
        if range.start < at {
            continue;
        }
        out.push_str(&body[at..range.start]);
        out.push_str(&text);
        at = range.end;
    }
    out.push_str(&body[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_destination_where_it_is_written() {
        let body = "[أ](../a.md#x) ![ب](<img one.png> \"t\") [ج](/2014/11/11/old.html)\n\n\
                    [د][ref] <img src=\"x.jpg\"> [هـ](f(1).png)\n\n[ref]: /assets/b.pdf\n";
        let got: Vec<(&str, String)> = destinations(body)
            .into_iter()
            .map(|d| (&body[d.range], d.dest))
            .collect();
        assert_eq!(
            got,
            [
                ("../a.md#x", "../a.md#x".into()),
                ("<img one.png>", "img one.png".into()),
                ("/2014/11/11/old.html", "/2014/11/11/old.html".into()),
                ("x.jpg", "x.jpg".into()),
                ("f(1).png", "f(1).png".into()),
                ("/assets/b.pdf", "/assets/b.pdf".into()),
            ]
        );
    }

    #[test]
    fn relative_paths_and_old_addresses() {
        assert_eq!(
            relative(Path::new("content/2014"), Path::new("content/2016/x.md")),
            "../2016/x.md"
        );
        assert_eq!(
            relative(Path::new("content/2014"), Path::new("content/2014/x.md")),
            "x.md"
        );
        assert_eq!(normalise(Path::new("a/./b/../c")), PathBuf::from("a/c"));
        assert_eq!(join_url("/2014/11", "../other/"), "/2014/other/");
        assert_eq!(join_url("/", "assets/a.png"), "/assets/a.png");
        assert_eq!(url_key("/a/b/index.html"), url_key("/a/b"));
        assert_eq!(url_key("/%D8%A3/"), url_key("/أ/"));
        assert_ne!(url_key("/a/b.html"), url_key("/a/b/"));
    }
}
