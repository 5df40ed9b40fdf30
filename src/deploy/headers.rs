//! The HTTP headers each object is stored with: Content-Type (UTF-8 for
//! text), Cache-Control by pattern, Content-Encoding when compressed.

use std::io::Write;

use crate::config::deploy::{Compression, Target};

/// Bumped whenever the defaults below change, so that the next deploy
/// sends every file again with the new headers.
const VERSION: u32 = 1;

/// Tried after a target's own `cache_control`; the first match wins.
/// HTML, feeds and other text change with every new article; CSS and JS
/// keep their names from one version to the next, so a week; images and
/// fonts beside articles hardly ever change.
const DEFAULT_CACHE: [(&str, &str); 6] = [
    ("*.html", SHORT),
    ("*.xml", SHORT),
    ("*.{css,js}", "public, max-age=604800"),
    ("*.{woff2,woff,ttf,otf}", "public, max-age=31536000"),
    (
        "*.{jpg,jpeg,png,gif,webp,avif,svg,ico,pdf,mp3,mp4,webm}",
        "public, max-age=2592000",
    ),
    ("**", SHORT),
];

const SHORT: &str = "public, max-age=300";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Headers {
    pub content_type: &'static str,
    pub cache_control: String,
    pub content_encoding: Option<&'static str>,
}

/// The Content-Type for a file name, and whether it is text (compressible).
pub fn content_type(path: &str) -> (&'static str, bool) {
    let ext = path
        .rsplit('/')
        .next()
        .and_then(|name| name.rsplit_once('.'))
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let name = path.rsplit('/').next().unwrap_or(path);
    match ext.as_str() {
        "html" | "htm" => ("text/html; charset=utf-8", true),
        "css" => ("text/css; charset=utf-8", true),
        "js" | "mjs" => ("text/javascript; charset=utf-8", true),
        "json" => ("application/json; charset=utf-8", true),
        "webmanifest" => ("application/manifest+json; charset=utf-8", true),
        "xml" if name == "atom.xml" => ("application/atom+xml; charset=utf-8", true),
        "xml" => ("application/xml; charset=utf-8", true),
        "txt" | "md" => ("text/plain; charset=utf-8", true),
        "svg" => ("image/svg+xml; charset=utf-8", true),
        "woff2" => ("font/woff2", false),
        "woff" => ("font/woff", false),
        "ttf" => ("font/ttf", true),
        "otf" => ("font/otf", true),
        "png" => ("image/png", false),
        "jpg" | "jpeg" => ("image/jpeg", false),
        "gif" => ("image/gif", false),
        "webp" => ("image/webp", false),
        "avif" => ("image/avif", false),
        "ico" => ("image/x-icon", false),
        "pdf" => ("application/pdf", false),
        "mp3" => ("audio/mpeg", false),
        "mp4" => ("video/mp4", false),
        "webm" => ("video/webm", false),
        _ => ("application/octet-stream", false),
    }
}

/// What `path` (relative to the site's root) is stored with.
pub fn for_file(path: &str, target: &Target) -> Headers {
    let (content_type, text) = content_type(path);
    let rules = target
        .cache_control
        .iter()
        .map(|(p, v)| (p.as_str(), v.as_str()))
        .chain(DEFAULT_CACHE);
    let cache_control = rules
        .into_iter()
        .find(|(pattern, _)| matches(pattern, path))
        .map_or(SHORT, |(_, v)| v)
        .to_owned();
    let content_encoding = match target.compress {
        _ if !text => None,
        Compression::None => None,
        Compression::Gzip => Some("gzip"),
        Compression::Brotli => Some("br"),
    };
    Headers {
        content_type,
        cache_control,
        content_encoding,
    }
}

/// The bytes to store for a file with these headers.
pub fn encode(bytes: Vec<u8>, headers: &Headers) -> Vec<u8> {
    match headers.content_encoding {
        None => bytes,
        // Fixed levels and no timestamps: the same file gives the same
        // bytes, so its MD5 matches the object's on the next deploy.
        Some("gzip") => {
            let mut e = flate2::GzBuilder::new()
                .mtime(0)
                .write(Vec::new(), flate2::Compression::default());
            e.write_all(&bytes).expect("writing to memory");
            e.finish().expect("writing to memory")
        }
        Some(_) => {
            let mut out = Vec::new();
            let params = brotli::enc::BrotliEncoderParams {
                quality: 6,
                lgwin: 22,
                ..Default::default()
            };
            brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).expect("writing to memory");
            out
        }
    }
}

/// A fingerprint of how headers are chosen for a target: when it changes,
/// every object is sent again.
pub fn fingerprint(target: &Target) -> String {
    use md5::Digest;
    let text = format!("{VERSION}|{:?}|{:?}", target.compress, target.cache_control);
    hex(&md5::Md5::digest(text.as_bytes()))
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A file pattern: `*` is any text within one folder, `**` any text,
/// `{a,b}` either; a pattern without `/` is matched against the file's
/// name, one with `/` against its whole path from the site's root.
pub fn matches(pattern: &str, path: &str) -> bool {
    let pattern = pattern.trim_start_matches('/');
    let subject = if pattern.contains('/') {
        path
    } else {
        path.rsplit('/').next().unwrap_or(path)
    };
    expand(pattern)
        .iter()
        .any(|p| glob(p.as_bytes(), subject.as_bytes()))
}

/// `*.{css,js}` → `*.css`, `*.js` (one level of braces).
fn expand(pattern: &str) -> Vec<String> {
    if let Some((head, rest)) = pattern.split_once('{')
        && let Some((alts, tail)) = rest.split_once('}')
    {
        return alts
            .split(',')
            .flat_map(|a| expand(&format!("{head}{a}{tail}")))
            .collect();
    }
    vec![pattern.to_owned()]
}

fn glob(p: &[u8], s: &[u8]) -> bool {
    match p {
        [] => s.is_empty(),
        [b'*', b'*', rest @ ..] => (0..=s.len()).any(|i| glob(rest, &s[i..])),
        [b'*', rest @ ..] => (0..=s.len())
            .take_while(|&i| i == 0 || s[i - 1] != b'/')
            .any(|i| glob(rest, &s[i..])),
        [c, rest @ ..] => s.first() == Some(c) && glob(rest, &s[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(compress: Compression, rules: &[(&str, &str)]) -> Target {
        Target {
            name: "t".into(),
            bucket: "b".into(),
            region: None,
            endpoint: None,
            prefix: String::new(),
            compress,
            cache_control: rules
                .iter()
                .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
                .collect(),
            line: 1,
        }
    }

    #[test]
    fn patterns() {
        let cases = [
            ("*.html", "2023/09/19/x/index.html", true),
            ("*.html", "index.htm", false),
            ("fonts/*", "fonts/a.woff2", true),
            ("fonts/*", "x/fonts/a.woff2", false),
            ("fonts/*", "fonts/sub/a.woff2", false),
            ("fonts/**", "fonts/sub/a.woff2", true),
            ("/tags/**", "tags/روسيا/atom.xml", true),
            ("*.{css,js}", "style.css", true),
            ("*.{css,js}", "app.js", true),
            ("*.{css,js}", "a.json", false),
            ("**", "anything/at/all", true),
            ("404.html", "404.html", true),
            ("404.html", "x/404.html", true),
        ];
        for (p, path, want) in cases {
            assert_eq!(matches(p, path), want, "{p} {path}");
        }
    }

    #[test]
    fn defaults_and_overrides() {
        let t = target(Compression::None, &[("*.css", "no-cache")]);
        let h = for_file("2023/09/19/x/index.html", &t);
        assert_eq!(h.content_type, "text/html; charset=utf-8");
        assert_eq!(h.cache_control, "public, max-age=300");
        assert_eq!(h.content_encoding, None);
        assert_eq!(for_file("style.css", &t).cache_control, "no-cache");
        assert_eq!(
            for_file("fonts/naskh.woff2", &t).cache_control,
            "public, max-age=31536000"
        );
        assert_eq!(
            for_file("tags/روسيا/atom.xml", &t).content_type,
            "application/atom+xml; charset=utf-8"
        );
        assert_eq!(
            for_file("CNAME", &t).content_type,
            "application/octet-stream"
        );
    }

    #[test]
    fn only_text_is_compressed_and_always_alike() {
        let t = target(Compression::Gzip, &[]);
        assert_eq!(for_file("a.png", &t).content_encoding, None);
        let h = for_file("index.html", &t);
        assert_eq!(h.content_encoding, Some("gzip"));
        let text = "<p>نص</p>".repeat(100).into_bytes();
        let once = encode(text.clone(), &h);
        assert_eq!(once, encode(text.clone(), &h));
        assert!(once.len() < text.len());
        let br = for_file("index.html", &target(Compression::Brotli, &[]));
        assert_eq!(br.content_encoding, Some("br"));
        assert_eq!(encode(text.clone(), &br), encode(text, &br));
    }

    #[test]
    fn fingerprint_follows_the_settings() {
        let a = fingerprint(&target(Compression::None, &[]));
        assert_eq!(a, fingerprint(&target(Compression::None, &[])));
        assert_ne!(a, fingerprint(&target(Compression::Gzip, &[])));
        assert_ne!(a, fingerprint(&target(Compression::None, &[("*", "x")])));
    }
}
