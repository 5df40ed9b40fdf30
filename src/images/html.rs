//! The markup of images in an article's text: each `<img>` that Markdown
//! made for a resized image becomes a `<picture>` with a WebP `<source>`,
//! every copy in `srcset`, its `width` and `height` (so the page does not
//! shift as it loads) and lazy loading. An `<img>` written as HTML with
//! attributes of its own (`width`, `class`, `style`…) is left as written.

use std::sync::Arc;

use super::{Format, Picture};

/// How wide images of an article's text are laid out: the whole screen
/// on a phone, the text's column (52rem less its margins) beyond.
pub const BODY_SIZES: &str = "(max-width: 52rem) 100vw, 48rem";

/// `srcset` of a picture's copies in `format`, each named from `prefix`
/// (the folder's address, ending in `/`, or empty).
pub fn srcset(pic: &Picture, format: Format, prefix: &str) -> String {
    let mut s = String::new();
    for (i, &(w, _)) in pic.sizes.iter().enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        s.push_str(prefix);
        s.push_str(&pic.name(w, format));
        s.push(' ');
        s.push_str(&w.to_string());
        s.push('w');
    }
    s
}

/// The copy an `<img>` falls back to, in the picture's own format (or
/// WebP), with its size: the widest.
pub fn fallback(pic: &Picture) -> Option<(String, u32, u32)> {
    let &(w, h) = pic.sizes.last()?;
    Some((pic.name(w, pic.own_format()), w, h))
}

/// The `<picture>` (or `<img>`) of `pic`. `prefix` is where its copies
/// are (ending in `/`, or empty), `original` the address of the file
/// itself; `alt` and `title` are already escaped for an attribute.
pub fn picture(
    pic: &Picture,
    prefix: &str,
    original: &str,
    alt: &str,
    title: Option<&str>,
    sizes: &str,
) -> String {
    let mut s = String::with_capacity(512);
    let title = title.map(|t| format!(" title=\"{t}\"")).unwrap_or_default();
    let lazy = "loading=\"lazy\" decoding=\"async\"";
    let Some((src, w, h)) = fallback(pic) else {
        // Shown as it is: a GIF, or an SVG (whose size is its own).
        s.push_str(&format!("<img src=\"{original}\" alt=\"{alt}\"{title}"));
        if pic.width > 0 {
            s.push_str(&format!(
                " width=\"{}\" height=\"{}\"",
                pic.width, pic.height
            ));
        }
        s.push_str(&format!(" {lazy}>"));
        return s;
    };
    let own = pic.own_format();
    let webp = own != Format::Webp;
    if webp {
        s.push_str(&format!(
            "<picture><source type=\"image/webp\" srcset=\"{}\" sizes=\"{sizes}\">",
            srcset(pic, Format::Webp, prefix)
        ));
    }
    s.push_str(&format!(
        "<img src=\"{prefix}{src}\" srcset=\"{}\" sizes=\"{sizes}\" width=\"{w}\" height=\"{h}\" alt=\"{alt}\"{title} {lazy}>",
        srcset(pic, own, prefix)
    ));
    if webp {
        s.push_str("</picture>");
    }
    s
}

/// `html` with each `<img>` whose `src` `find` knows replaced by its
/// `<picture>`; none when there is none to replace. `find` is given the
/// `src` as written (unescaped).
pub fn rewrite(html: &str, find: &dyn Fn(&str) -> Option<Arc<Picture>>) -> Option<String> {
    if !html.contains("<img ") {
        return None;
    }
    let mut out = String::with_capacity(html.len() + 1024);
    let mut rest = html;
    let mut changed = false;
    while let Some(at) = rest.find("<img ") {
        out.push_str(&rest[..at]);
        let tag = &rest[at..];
        let Some(end) = tag.find('>') else {
            break;
        };
        let replaced = attributes(&tag[5..end]).and_then(|attrs| {
            let get = |name: &str| attrs.iter().find(|(n, _)| *n == name).map(|(_, v)| *v);
            let src = get("src")?;
            let pic = find(&unescape(src))?;
            let prefix = src.rfind('/').map_or("", |i| &src[..=i]);
            Some(picture(
                &pic,
                prefix,
                src,
                get("alt").unwrap_or(""),
                get("title"),
                BODY_SIZES,
            ))
        });
        match replaced {
            Some(p) => {
                out.push_str(&p);
                changed = true;
            }
            None => out.push_str(&tag[..=end]),
        }
        rest = &tag[end + 1..];
    }
    out.push_str(rest);
    changed.then_some(out)
}

/// The attributes of a tag as Markdown writes them: `src`, `alt` and
/// `title`, each `name="value"`; none for any other.
fn attributes(inside: &str) -> Option<Vec<(&str, &str)>> {
    let mut attrs = Vec::new();
    let mut rest = inside.trim_end_matches('/').trim();
    while !rest.is_empty() {
        let (name, after) = rest.split_once("=\"")?;
        let name = name.trim();
        if !matches!(name, "src" | "alt" | "title") {
            return None;
        }
        let (value, after) = after.split_once('"')?;
        attrs.push((name, value));
        rest = after.trim_start();
    }
    Some(attrs)
}

fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pic() -> Picture {
        Picture {
            format: Format::Jpeg,
            width: 1000,
            height: 500,
            sizes: vec![(480, 240), (1000, 500)],
            stem: "a".into(),
            key: 0x1234_5678_0000_0000,
            hash: 1,
        }
    }

    #[test]
    fn markdown_images_become_pictures_and_html_ones_stay() {
        let html = "<p><img src=\"a.jpg\" alt=\"صورة &amp; تعليق\" /> <img src=\"a.jpg\" width=\"3\"> <img src=\"b.jpg\" alt=\"\"></p>";
        let out = rewrite(html, &|src| (src == "a.jpg").then(|| Arc::new(pic()))).unwrap();
        assert_eq!(
            out,
            "<p><picture><source type=\"image/webp\" srcset=\"a-480w-12345678.webp 480w, a-1000w-12345678.webp 1000w\" sizes=\"(max-width: 52rem) 100vw, 48rem\"><img src=\"a-1000w-12345678.jpg\" srcset=\"a-480w-12345678.jpg 480w, a-1000w-12345678.jpg 1000w\" sizes=\"(max-width: 52rem) 100vw, 48rem\" width=\"1000\" height=\"500\" alt=\"صورة &amp; تعليق\" loading=\"lazy\" decoding=\"async\"></picture> <img src=\"a.jpg\" width=\"3\"> <img src=\"b.jpg\" alt=\"\"></p>"
        );
        assert_eq!(rewrite("<p>نص</p>", &|_| Some(Arc::new(pic()))), None);
    }

    #[test]
    fn copies_keep_the_folder_of_the_source() {
        let out = rewrite("<img src=\"/archive/images/a.jpg\" alt=\"x\">", &|_| {
            Some(Arc::new(pic()))
        })
        .unwrap();
        assert!(
            out.contains("src=\"/archive/images/a-1000w-12345678.jpg\""),
            "{out}"
        );
    }
}
