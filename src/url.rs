//! Site URLs. Every link the generator writes is built here, so every one of
//! them honours the path of `base_url` and is percent-encoded the same way.

use std::fmt;
use std::path::PathBuf;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Bytes kept as they are in a path: RFC 3986 unreserved characters and `/`.
const PATH: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// A page or file of the site, relative to the site's root, not encoded:
/// `/2023/09/19/putin-beijing-visit/`, `/tags/روسيا/`, `/atom.xml`.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct UrlPath(String);

impl UrlPath {
    pub fn root() -> UrlPath {
        UrlPath("/".into())
    }

    /// A folder page made of `segments`: `["tags", "روسيا"]` → `/tags/روسيا/`.
    /// Segments must already be valid slugs.
    pub fn dir<S: AsRef<str>>(segments: impl IntoIterator<Item = S>) -> UrlPath {
        let mut s = String::from("/");
        for seg in segments {
            s.push_str(seg.as_ref());
            s.push('/');
        }
        UrlPath(s)
    }

    /// A file at the root or below: `file(["tags", "روسيا"], "atom.xml")`.
    pub fn file<S: AsRef<str>>(segments: impl IntoIterator<Item = S>, name: &str) -> UrlPath {
        let mut dir = UrlPath::dir(segments).0;
        dir.push_str(name);
        UrlPath(dir)
    }

    /// This folder page joined with a relative name: `/2023/09/19/a/` + `putin.jpg`.
    pub fn join(&self, name: &str) -> UrlPath {
        debug_assert!(self.0.ends_with('/'));
        UrlPath(format!("{}{name}", self.0))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// An old address of a page, as `aliases:` gives it: a path from the
    /// site's root (`/2016/05/old-slug/`, `old/page.html`), percent-encoded
    /// or not, or a whole `http(s)` URL whose path is taken. A last segment
    /// without an extension is a folder (`/old` → `/old/`).
    pub fn alias(text: &str) -> Result<UrlPath, String> {
        let text = text.trim();
        let path = match text
            .strip_prefix("https://")
            .or_else(|| text.strip_prefix("http://"))
        {
            Some(rest) => rest.find('/').map_or("/", |i| &rest[i..]),
            None => text,
        };
        if path.contains(['?', '#']) {
            return Err(format!(
                "`{text}` has a query or fragment, which a static site cannot answer"
            ));
        }
        let decoded = percent_encoding::percent_decode_str(path)
            .decode_utf8()
            .map_err(|_| format!("`{text}` is percent-encoded bytes that are not UTF-8"))?;
        let segments: Vec<&str> = decoded.trim_matches('/').split('/').collect();
        if decoded.trim_matches('/').is_empty() {
            return Err("an alias cannot be the site's home page".into());
        }
        if let Some(bad) = segments
            .iter()
            .find(|s| s.is_empty() || **s == "." || **s == ".." || s.contains(['\\', '\0']))
        {
            return Err(format!(
                "`{text}` has the segment `{bad}`, which no page can have"
            ));
        }
        let last = segments[segments.len() - 1];
        let (dirs, file) = if decoded.ends_with('/') || !last.contains('.') {
            (&segments[..], None)
        } else {
            (&segments[..segments.len() - 1], Some(last))
        };
        Ok(match file {
            Some(name) => UrlPath::file(dirs, name),
            None => UrlPath::dir(dirs),
        })
    }

    /// The file this URL is served from, relative to the output folder.
    /// `output_file` as `/`-separated text, the key of a file in memory.
    pub fn output_key(&self) -> String {
        let rel = self.0.trim_start_matches('/');
        if rel.is_empty() || rel.ends_with('/') {
            format!("{rel}index.html")
        } else {
            rel.to_owned()
        }
    }

    pub fn output_file(&self) -> PathBuf {
        let rel = self.0.trim_start_matches('/');
        if rel.is_empty() || rel.ends_with('/') {
            PathBuf::from(rel).join("index.html")
        } else {
            PathBuf::from(rel)
        }
    }
}

impl fmt::Display for UrlPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The site's public address, split into origin and path prefix:
/// `https://user.github.io/archive/` → `https://user.github.io` + `/archive/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    origin: String,
    path: String,
}

impl BaseUrl {
    /// Accepts an absolute `http`/`https` URL; a missing final `/` is added.
    pub fn parse(s: &str) -> Result<BaseUrl, String> {
        let s = s.trim();
        let rest = s
            .strip_prefix("https://")
            .or_else(|| s.strip_prefix("http://"))
            .ok_or_else(|| format!("`{s}` is not an absolute http(s) URL"))?;
        let (host, path) = match rest.find('/') {
            Some(i) => rest.split_at(i),
            None => (rest, "/"),
        };
        if host.is_empty() || host.contains(['?', '#', ' ']) {
            return Err(format!("`{s}` has no valid host"));
        }
        if path.contains(['?', '#']) {
            return Err(format!("`{s}` must not have a query or fragment"));
        }
        // Written as it must go on the wire: `/my archive/` → `/my%20archive/`
        // (already-encoded `%XX` stays as it is).
        const BASE: &AsciiSet = &PATH.remove(b'%');
        let mut path = utf8_percent_encode(path, BASE).to_string();
        if !path.ends_with('/') {
            path.push('/');
        }
        let origin = format!("{}{host}", &s[..s.len() - rest.len()]);
        Ok(BaseUrl { origin, path })
    }

    /// The path prefix, `/` or `/archive/`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The full base URL, ending in `/`.
    pub fn as_string(&self) -> String {
        format!("{}{}", self.origin, self.path)
    }

    /// The link to `page` from any page of the site: the base path plus the
    /// page path as an IRI (`/archive/tags/روسيا/`). Letters of any script
    /// stay readable, as browsers show them; spaces, punctuation that means
    /// something in a URL and invisible characters are percent-encoded.
    /// A third of the bytes of encoding every Arabic letter, on every link.
    pub fn href(&self, page: &UrlPath) -> String {
        let rel = page.as_str().trim_start_matches('/');
        let mut s = String::with_capacity(self.path.len() + rel.len() + 8);
        s.push_str(&self.path);
        let mut buf = [0u8; 4];
        for c in rel.chars() {
            let keep = match c {
                'a'..='z' | 'A'..='Z' | '0'..='9' | '-' | '.' | '_' | '~' | '/' => true,
                c if c.is_ascii() => false,
                // Arabic letters, digits and marks: the common case, answered
                // without the general Unicode tables.
                '\u{0610}'..='\u{061A}'
                | '\u{0620}'..='\u{066D}'
                | '\u{066E}'..='\u{06D3}'
                | '\u{06D5}'..='\u{06DC}' => true,
                c => c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c),
            };
            if keep {
                s.push(c);
            } else {
                s.extend(utf8_percent_encode(c.encode_utf8(&mut buf), PATH));
            }
        }
        s
    }

    /// The absolute URL of `page`, fully percent-encoded (ASCII only), for
    /// feeds, sitemaps, canonical links and Open Graph.
    pub fn permalink(&self, page: &UrlPath) -> String {
        let rel = page.as_str().trim_start_matches('/');
        let mut s = String::with_capacity(self.origin.len() + self.path.len() + rel.len() * 3);
        s.push_str(&self.origin);
        s.push_str(&self.path);
        s.extend(utf8_percent_encode(rel, PATH));
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_are_paths_from_the_root() {
        let ok = |s: &str| UrlPath::alias(s).unwrap().as_str().to_owned();
        assert_eq!(ok("/2016/05/old-slug/"), "/2016/05/old-slug/");
        assert_eq!(ok("2016/05/old-slug"), "/2016/05/old-slug/");
        assert_eq!(ok("/old/page.html"), "/old/page.html");
        assert_eq!(ok("https://old.example.org/a/b/"), "/a/b/");
        assert_eq!(ok("/%D8%A8%D9%88%D8%AA%D9%8A%D9%86/"), "/بوتين/");
        assert_eq!(
            UrlPath::alias("/old/page.html").unwrap().output_key(),
            "old/page.html"
        );
        for bad in [
            "/?p=12",
            "/a#b",
            "/",
            "https://old.example.org",
            "/a//b/",
            "/a/../b/",
            "/%FF/",
        ] {
            assert!(UrlPath::alias(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn base_urls() {
        let b = BaseUrl::parse("https://user.github.io/archive").unwrap();
        assert_eq!(b.path(), "/archive/");
        assert_eq!(b.as_string(), "https://user.github.io/archive/");
        let b = BaseUrl::parse("http://localhost:1111").unwrap();
        assert_eq!(b.path(), "/");
        assert_eq!(b.as_string(), "http://localhost:1111/");
        let b = BaseUrl::parse("https://x.org/my archive/أرشيف/").unwrap();
        assert_eq!(b.path(), "/my%20archive/%D8%A3%D8%B1%D8%B4%D9%8A%D9%81/");
        assert_eq!(
            BaseUrl::parse("https://x.org/a%20b").unwrap().path(),
            "/a%20b/"
        );
        for bad in ["user.github.io", "ftp://x/", "https:///x", "https://x/?a=1"] {
            assert!(BaseUrl::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn hrefs_honour_the_base_path_and_encode() {
        let b = BaseUrl::parse("https://user.github.io/archive/").unwrap();
        let tag = UrlPath::dir(["tags", "روسيا"]);
        assert_eq!(tag.as_str(), "/tags/روسيا/");
        assert_eq!(b.href(&tag), "/archive/tags/روسيا/");
        assert_eq!(
            b.permalink(&tag),
            "https://user.github.io/archive/tags/%D8%B1%D9%88%D8%B3%D9%8A%D8%A7/"
        );
        assert_eq!(
            b.permalink(&UrlPath::file::<&str>([], "atom.xml")),
            "https://user.github.io/archive/atom.xml"
        );
        assert_eq!(b.href(&UrlPath::root()), "/archive/");
        assert_eq!(
            b.href(&UrlPath::dir(["a b", "c?d#e"])),
            "/archive/a%20b/c%3Fd%23e/"
        );
        // Invisible and space-like characters are encoded even outside ASCII.
        assert_eq!(
            b.href(&UrlPath::dir(["a\u{200F}b\u{00A0}c"])),
            "/archive/a%E2%80%8Fb%C2%A0c/"
        );
        assert_eq!(b.href(&UrlPath::dir(["مُحَمَّد"])), "/archive/مُحَمَّد/");
    }

    #[test]
    fn output_files() {
        assert_eq!(UrlPath::root().output_file(), PathBuf::from("index.html"));
        let a = UrlPath::dir(["2023", "09", "19", "putin"]);
        assert_eq!(
            a.output_file(),
            PathBuf::from("2023/09/19/putin/index.html")
        );
        assert_eq!(
            a.join("putin.jpg").output_file(),
            PathBuf::from("2023/09/19/putin/putin.jpg")
        );
        assert_eq!(
            UrlPath::file::<&str>([], "404.html").output_file(),
            PathBuf::from("404.html")
        );
    }
}
