//! A WordPress export file (WXR, the XML of Tools → Export): its posts,
//! with their HTML made into Markdown, their categories, tags, authors,
//! dates with their offset, featured images and old addresses.

use std::collections::HashMap;
use std::path::Path;
use std::sync::LazyLock;

use chrono::{FixedOffset, NaiveDateTime, TimeZone};
use htmd::HtmlToMarkdown;
use htmd::element_handler::{HandlerResult, Handlers};
use quick_xml::events::Event;
use quick_xml::reader::Reader;
use regex_lite::{Captures, Regex};
use serde_yaml::{Mapping, Value};

use super::post::Post;

/// An export, read.
#[derive(Debug, Default)]
pub struct Export {
    /// The site's address, from the channel: `https://example.com`.
    pub site_url: String,
    pub posts: Vec<Post>,
    /// Pages, attachments' parents and the like: kind → count.
    pub left_out: Vec<(String, &'static str)>,
    /// What needs a person: unconverted shortcodes, other iframes.
    pub notes: Vec<String>,
    /// Shortcodes and blocks made into Markdown, by name.
    pub converted: HashMap<&'static str, usize>,
}

/// One `<item>` as the export has it.
#[derive(Debug, Default)]
struct Item {
    title: String,
    link: String,
    creator: String,
    content: String,
    excerpt: String,
    id: String,
    date: String,
    date_gmt: String,
    modified: String,
    modified_gmt: String,
    name: String,
    status: String,
    kind: String,
    attachment_url: String,
    categories: Vec<String>,
    tags: Vec<String>,
    meta: Vec<(String, String)>,
}

/// Reads the export at `path`.
pub fn read(path: &Path, tz: FixedOffset) -> Result<Export, String> {
    let text = super::read_text(path)?;
    if !text.contains("<rss") || !text.contains("wordpress.org/export") {
        return Err(
            "this is not a WordPress export (WXR) file: Tools → Export in WordPress makes one"
                .into(),
        );
    }
    let (site_url, authors, items) = parse(&text)?;
    let mut export = Export {
        site_url: site_url.trim_end_matches('/').to_owned(),
        ..Export::default()
    };
    let attachments: HashMap<&str, &str> = items
        .iter()
        .filter(|i| i.kind == "attachment" && !i.attachment_url.is_empty())
        .map(|i| (i.id.as_str(), i.attachment_url.as_str()))
        .collect();
    let links: HashMap<&str, &str> = items
        .iter()
        .filter(|i| i.kind == "post" && i.status == "publish")
        .map(|i| (i.id.as_str(), i.link.as_str()))
        .collect();
    for item in &items {
        match (item.kind.as_str(), item.status.as_str()) {
            ("post", "trash" | "auto-draft" | "inherit") => {
                export
                    .left_out
                    .push((label(item), "in the trash or an automatic draft"));
            }
            ("post", _) => {
                let post = post(path, item, &authors, &attachments, &links, tz, &mut export);
                export.posts.push(post);
            }
            ("page", _) => export.left_out.push((label(item), "a page, not a post")),
            _ => {}
        }
    }
    Ok(export)
}

fn label(item: &Item) -> String {
    format!("post {} «{}»", item.id, item.title)
}

/// What `parse` finds: the site's address, its authors (login → display
/// name) and its items.
type Parsed = (String, HashMap<String, String>, Vec<Item>);

/// Reads the channel's link, authors and items.
fn parse(text: &str) -> Result<Parsed, String> {
    let mut reader = Reader::from_str(text);
    let mut path: Vec<String> = Vec::new();
    let mut items = Vec::new();
    let mut item: Option<Item> = None;
    let mut authors = HashMap::new();
    let mut author = (String::new(), String::new());
    let mut site_url = String::new();
    let mut text_buf = String::new();
    let mut category_domain = String::new();
    let mut meta_key = String::new();
    loop {
        let event = reader.read_event().map_err(|e| {
            format!(
                "its XML cannot be read at byte {}: {e}",
                reader.error_position()
            )
        })?;
        match event {
            Event::Start(e) => {
                let name = e.name().as_ref().to_owned();
                if name == "item" {
                    item = Some(Item::default());
                }
                if name == "category" {
                    category_domain = e
                        .try_get_attribute("domain")
                        .ok()
                        .flatten()
                        .map(|a| a.value.into_owned())
                        .unwrap_or_default();
                }
                path.push(name);
                text_buf.clear();
            }
            // Entities come as their own events, between pieces of text.
            Event::Text(t) => text_buf.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => match r.resolve_char_ref() {
                Ok(Some(c)) => text_buf.push(c),
                _ => text_buf.push_str(match &*r {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    other => other,
                }),
            },
            Event::CData(c) => text_buf.push_str(&c),
            Event::End(_) => {
                let name = path.pop().unwrap_or_default();
                let value = std::mem::take(&mut text_buf);
                let in_item = path.iter().any(|p| p == "item");
                match (&mut item, name.as_str()) {
                    (Some(i), "item") => {
                        items.push(std::mem::take(i));
                        item = None;
                    }
                    (Some(i), field) if in_item => {
                        let v = value.trim().to_owned();
                        match field {
                            "title" => i.title = v,
                            "link" => i.link = v,
                            "dc:creator" => i.creator = v,
                            "content:encoded" => i.content = value,
                            "excerpt:encoded" => i.excerpt = v,
                            "wp:post_id" => i.id = v,
                            "wp:post_date" => i.date = v,
                            "wp:post_date_gmt" => i.date_gmt = v,
                            "wp:post_modified" => i.modified = v,
                            "wp:post_modified_gmt" => i.modified_gmt = v,
                            "wp:post_name" => i.name = v,
                            "wp:status" => i.status = v,
                            "wp:post_type" => i.kind = v,
                            "wp:attachment_url" => i.attachment_url = v,
                            "category" if category_domain == "post_tag" => i.tags.push(v),
                            "category" if category_domain == "category" => i.categories.push(v),
                            "wp:meta_key" => meta_key = v,
                            "wp:meta_value" => i.meta.push((std::mem::take(&mut meta_key), v)),
                            _ => {}
                        }
                    }
                    (None, "wp:author_login") => author.0 = value.trim().to_owned(),
                    (None, "wp:author_display_name") => author.1 = value.trim().to_owned(),
                    (None, "wp:author") => {
                        let (login, display) = std::mem::take(&mut author);
                        authors.insert(login, display);
                    }
                    (None, "wp:base_blog_url") => site_url = value.trim().to_owned(),
                    (None, "link")
                        if site_url.is_empty() && path.last().is_some_and(|p| p == "channel") =>
                    {
                        site_url = value.trim().to_owned();
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok((site_url, authors, items))
}

/// One post as an arshif-bound post: front matter from its fields.
fn post(
    file: &Path,
    item: &Item,
    authors: &HashMap<String, String>,
    attachments: &HashMap<&str, &str>,
    links: &HashMap<&str, &str>,
    tz: FixedOffset,
    export: &mut Export,
) -> Post {
    let mut meta = Mapping::new();
    let mut put = |k: &str, v: Value| {
        meta.insert(k.into(), v);
    };
    put("title", html_text(&item.title).into());
    if let Some(date) = dated(&item.date, &item.date_gmt, tz) {
        put("date", date.into());
    }
    if let Some(date) = dated(&item.modified, &item.modified_gmt, tz)
        .filter(|m| Some(m) != dated(&item.date, &item.date_gmt, tz).as_ref())
    {
        put("updated", date.into());
    }
    if !item.creator.is_empty() {
        let name = authors
            .get(&item.creator)
            .filter(|n| !n.is_empty())
            .unwrap_or(&item.creator);
        put("author", name.clone().into());
    }
    let terms: Vec<Value> = item
        .categories
        .iter()
        .chain(&item.tags)
        .map(|t| html_text(t).into())
        .collect();
    if !terms.is_empty() {
        put("tags", Value::Sequence(terms));
    }
    if !item.excerpt.trim().is_empty() {
        put("excerpt", html_text(&item.excerpt).into());
    }
    if !item.name.is_empty() {
        put("slug", item.name.clone().into());
    }
    let thumbnail = item
        .meta
        .iter()
        .find(|(k, _)| k == "_thumbnail_id")
        .and_then(|(_, id)| attachments.get(id.as_str()));
    if let Some(url) = thumbnail {
        put("image", (*url).into());
    }
    let draft = item.status != "publish";
    if item.status == "future" {
        put("scheduled", true.into());
    }
    put("wordpress_id", item.id.clone().into());
    let where_ = format!(
        "{} ({})",
        super::post::shown(file.parent().unwrap_or(file), file),
        label(item)
    );
    let html = prepare(&item.content, attachments, links, &where_, export);
    let body = to_markdown(&html);
    Post {
        file: file.to_owned(),
        meta,
        body,
        file_date: None,
        file_slug: String::new(),
        old_url: (!draft).then(|| path_of(&item.link)).flatten(),
        draft,
        lang: None,
        space_separated_tags: false,
        label: Some(label(item)),
    }
}

/// `2016-05-27 20:10:00` with its GMT twin → `2016-05-27T20:10:00+03:00`.
fn dated(local: &str, gmt: &str, tz: FixedOffset) -> Option<String> {
    let parse = |s: &str| NaiveDateTime::parse_from_str(s.trim(), "%Y-%m-%d %H:%M:%S").ok();
    let local = parse(local)?;
    let offset = match parse(gmt) {
        Some(g) => {
            let secs = (local - g).num_seconds();
            FixedOffset::east_opt(i32::try_from(secs).ok()?).unwrap_or(tz)
        }
        // Drafts have no GMT date (`0000-00-00 00:00:00`).
        None => tz,
    };
    offset
        .from_local_datetime(&local)
        .single()
        .map(|d| d.to_rfc3339())
}

/// The path of a whole URL; `None` for `?p=12` addresses no page can answer.
fn path_of(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let path = rest.find('/').map_or("/", |i| &rest[i..]);
    (!path.contains('?') && path != "/").then(|| path.to_owned())
}

/// Text of a title or excerpt: entities decoded, tags out.
fn html_text(s: &str) -> String {
    let md = to_markdown(s);
    md.replace(['*', '\\'], "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn re(p: &str) -> Regex {
    Regex::new(p).expect("a valid pattern")
}

static BLOCK_COMMENT: LazyLock<Regex> = LazyLock::new(|| re(r"<!--\s*/?wp:[^>]*-->"));
static CAPTION: LazyLock<Regex> = LazyLock::new(|| re(r"(?s)\[caption[^\]]*\](.*?)\[/caption\]"));
static EMBED: LazyLock<Regex> = LazyLock::new(|| re(r"(?s)\[embed[^\]]*\](.*?)\[/embed\]"));
static YOUTUBE_CODE: LazyLock<Regex> =
    LazyLock::new(|| re(r#"\[youtube[= ]+"?([^\]"\s]+)"?[^\]]*\]"#));
static GALLERY: LazyLock<Regex> =
    LazyLock::new(|| re(r#"\[gallery[^\]]*ids="([\d,\s]+)"[^\]]*\]"#));
static IFRAME: LazyLock<Regex> =
    LazyLock::new(|| re(r#"(?is)<iframe[^>]*\bsrc="([^"]+)"[^>]*>\s*</iframe>"#));
static POST_ID_LINK: LazyLock<Regex> = LazyLock::new(|| re(r#"href="[^"]*[?&]p=(\d+)[^"]*""#));
static SHORTCODE: LazyLock<Regex> =
    LazyLock::new(|| re(r"\[/?([a-z][a-z0-9_-]{1,30})(?:\s[^\]]*)?\]"));

/// The post's HTML with WordPress's own markup made into plain HTML:
/// paragraphs where the classic editor left blank lines, block comments
/// out, `[caption]`, `[embed]`, `[youtube]` and `[gallery]`, video iframes
/// as their address on a line of its own, `?p=12` links as permalinks.
fn prepare(
    html: &str,
    attachments: &HashMap<&str, &str>,
    links: &HashMap<&str, &str>,
    where_: &str,
    export: &mut Export,
) -> String {
    let site_url = &export.site_url.clone();
    let mut count = |name: &'static str| *export.converted.entry(name).or_default() += 1;
    let html = BLOCK_COMMENT.replace_all(html, "");
    let html = if html.contains("<p") {
        html.into_owned()
    } else {
        autop(&html)
    };
    let html = CAPTION.replace_all(&html, |c: &Captures<'_>| {
        count("[caption]");
        let inner = &c[1];
        let (media, caption) = match inner.rfind('>') {
            Some(i) => (&inner[..=i], inner[i + 1..].trim()),
            None => (inner, ""),
        };
        format!("<figure>{media}<figcaption>{caption}</figcaption></figure>")
    });
    let html = EMBED.replace_all(&html, |c: &Captures<'_>| {
        count("[embed]");
        format!("<p>{}</p>", c[1].trim())
    });
    let html = YOUTUBE_CODE.replace_all(&html, |c: &Captures<'_>| {
        count("[youtube]");
        let id = &c[1];
        if id.starts_with("http") {
            format!("<p>{id}</p>")
        } else {
            format!("<p>https://www.youtube.com/watch?v={id}</p>")
        }
    });
    let html = GALLERY.replace_all(&html, |c: &Captures<'_>| {
        count("[gallery]");
        c[1].split(',')
            .filter_map(|id| attachments.get(id.trim()))
            .map(|url| format!("<p><img src=\"{url}\" alt=\"\"></p>"))
            .collect::<String>()
    });
    let html = IFRAME.replace_all(
        &html,
        |c: &Captures<'_>| match crate::embed::page_of_player(&c[1]) {
            Some(url) => {
                count("video iframe");
                format!("<p>{url}</p>")
            }
            None => c[0].to_owned(),
        },
    );
    // `?p=12` on this site (not another WordPress site's) is post 12.
    let html = POST_ID_LINK.replace_all(&html, |c: &Captures<'_>| {
        let href = &c[0]["href=\"".len()..c[0].len() - 1];
        let ours = !crate::markdown::is_web(href) || same_host(href, site_url);
        match links.get(&c[1]) {
            Some(link) if ours => format!("href=\"{link}\""),
            _ => c[0].to_owned(),
        }
    });
    for c in SHORTCODE.captures_iter(&html) {
        if !c[0].starts_with("[/") {
            export.notes.push(format!(
                "{where_}: the shortcode `[{}]` is left as written",
                &c[1]
            ));
        }
    }
    if html.contains("<iframe") {
        export.notes.push(format!(
            "{where_}: an iframe that is not a YouTube, Vimeo, X, Facebook or SoundCloud player; the build removes it (raw_html: sanitize)"
        ));
    }
    html.into_owned()
}

/// Whether two whole URLs have one host, `www.` or not.
fn same_host(a: &str, b: &str) -> bool {
    let host = |u: &str| {
        let rest = u.split_once("://").map_or(u, |(_, r)| r);
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        host.trim_start_matches("www.").to_ascii_lowercase()
    };
    !host(b).is_empty() && host(a) == host(b)
}

/// WordPress's `wpautop`, simply: blank lines part paragraphs, and a
/// line break inside one is a `<br>`.
fn autop(html: &str) -> String {
    const BLOCKS: [&str; 14] = [
        "<h",
        "<ul",
        "<ol",
        "<li",
        "<blockquote",
        "<table",
        "<pre",
        "<figure",
        "<div",
        "<hr",
        "<p",
        "[caption",
        "<iframe",
        "<!--",
    ];
    html.replace("\r\n", "\n")
        .split("\n\n")
        .map(str::trim)
        .filter(|b| !b.is_empty())
        .map(|b| {
            if BLOCKS.iter().any(|t| b.starts_with(t)) {
                b.to_owned()
            } else {
                format!("<p>{}</p>", b.replace('\n', "<br>\n"))
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The converter: htmd's, with captions in italics under their image and
/// iframes kept as HTML, so the build says they are removed and how to
/// keep them.
fn converter() -> HtmlToMarkdown {
    HtmlToMarkdown::builder()
        .skip_tags(vec!["script", "style", "noscript"])
        .add_handler(vec!["figcaption"], |h: &dyn Handlers, el: htmd::Element| {
            let text = h.walk_children(el.node).content;
            let text = text.trim();
            Some(HandlerResult::from(if text.is_empty() {
                String::new()
            } else {
                format!("\n\n*{text}*\n\n")
            }))
        })
        .add_handler(vec!["iframe"], |_: &dyn Handlers, el: htmd::Element| {
            let src = el
                .attrs
                .iter()
                .find(|a| &*a.name.local == "src")
                .map(|a| a.value.replace('"', "&quot;"))
                .unwrap_or_default();
            Some(HandlerResult::from(format!(
                "\n\n<iframe src=\"{src}\"></iframe>\n\n"
            )))
        })
        .build()
}

/// HTML as Markdown.
fn to_markdown(html: &str) -> String {
    thread_local! {
        static CONVERTER: HtmlToMarkdown = converter();
    }
    CONVERTER.with(|c| c.convert(html).unwrap_or_else(|_| html.to_owned()))
}

/// Where the export's files are: `wp-content/uploads` below the site's root.
pub const UPLOADS: &str = "wp-content/uploads";
