//! Markdown to HTML with pulldown-cmark: GFM tables, footnotes,
//! strikethrough, heading ids, the first paragraph as a summary, and the raw
//! HTML policy of site.yaml.

use std::collections::HashSet;
use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};

use crate::config::RawHtml;
use crate::embed::{Embed, Embeds};
use crate::text::slugify;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    /// The first paragraph, as HTML and as plain text.
    pub summary_html: String,
    pub summary_text: String,
    /// Relative link and image targets (`putin.jpg`, `docs/a.pdf`), which
    /// may name files beside the article.
    pub local_refs: Vec<String>,
    /// Every link to check once all articles are known: other articles
    /// (`../2023/other.md#part`), files beside this one, anchors in this
    /// page (`#part`), and addresses on the web (for `check --external`).
    pub links: Vec<LinkRef>,
    /// The ids of this article's headings and footnotes, for anchor checks.
    pub ids: Vec<String>,
    /// Words of running text, for reading time.
    pub words: usize,
    /// Set when elements nest deeper than `MAX_DEPTH`: the article is
    /// to be rejected. Its raw HTML was then escaped, not sanitised.
    pub too_deep: Option<TooDeep>,
    /// What will not show as the author meant: raw HTML the sanitiser
    /// takes out, other generators' markup left as text.
    pub unrendered: Vec<Unrendered>,
}

/// Something in the Markdown that the page will not show as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unrendered {
    pub kind: Unshown,
    /// `<iframe>`, `onclick on <a>`, `{{< youtube … >}}`.
    pub what: String,
    /// Byte offset in the Markdown body.
    pub offset: usize,
}

/// Why something is not shown as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Unshown {
    /// An element or attribute of raw HTML that sanitising removes.
    Sanitised,
    /// A Hugo shortcode, shown as its text.
    Shortcode,
    /// A Liquid tag or expression (Jekyll), shown as its text.
    Liquid,
    /// A kramdown attribute list (`{: .center}`), shown as its text.
    AttributeList,
}

/// The most elements (quotes, lists, raw HTML tags) open inside one
/// another. Sanitising takes time in the square of the depth (20,000
/// nested quotes took 19 s), and no real article comes near this.
pub const MAX_DEPTH: usize = 100;

/// Where an article's elements first nest deeper than `MAX_DEPTH`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooDeep {
    /// The deepest nesting in the article.
    pub depth: usize,
    /// Byte offset in the Markdown body where it passes the limit.
    pub offset: usize,
}

/// A link written in an article's Markdown, with where it starts in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRef {
    /// As written: `../2023/other.md#part`, `chart.png`, `#part`.
    pub dest: String,
    /// Byte offset in the Markdown body.
    pub offset: usize,
    /// Whether the resolver turned it into a page link.
    pub resolved: bool,
}

/// An address on the web, checked by `check --external`.
pub fn is_web(dest: &str) -> bool {
    let lower = dest.get(..8).unwrap_or(dest).to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

/// Whether a link points at another article by its content path.
pub fn is_article_link(dest: &str) -> bool {
    let path = local_path(dest);
    is_local(dest) && (path.ends_with(".md") || path.ends_with(".markdown"))
}

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders `markdown`. `resolve` turns a link to another article's content
/// path (`../2023/other.md#part`) into its page link, or `None` when there
/// is no such article.
pub fn render(
    markdown: &str,
    policy: RawHtml,
    embeds: &Embeds,
    resolve: &dyn Fn(&str) -> Option<String>,
) -> Rendered {
    let (mut events, ranges): (Vec<Event>, Vec<Range<usize>>) =
        Parser::new_ext(markdown, options())
            .into_offset_iter()
            .unzip();
    let mut has_raw_html = false;
    let mut local_refs = Vec::new();
    let mut links = Vec::new();
    let mut words = 0;
    let mut depth = Depth::default();
    let mut unrendered = Vec::new();
    let mut players: Vec<String> = Vec::new();
    let mut in_iframe = false;
    if might_hold_foreign_markup(markdown) {
        unrendered = foreign_markup(markdown, &events, &ranges);
    }
    for (ev, range) in events.iter_mut().zip(&ranges) {
        let offset = range.start;
        depth.step(ev, policy, offset);
        match ev {
            Event::Text(t) => words += t.split_whitespace().count(),
            Event::Html(raw) | Event::InlineHtml(raw) => {
                has_raw_html = true;
                // An allowed provider's iframe becomes its embed.
                if policy == RawHtml::Sanitize {
                    if in_iframe && raw.trim() == "</iframe>" {
                        in_iframe = false;
                        *ev = Event::Html(CowStr::Borrowed(""));
                        continue;
                    }
                    if let Some((embed, closed)) = iframe_embed(raw, embeds) {
                        in_iframe = !closed;
                        *ev = Event::Html(placeholder(&mut players, embeds.html(&embed)).into());
                        continue;
                    }
                    unrendered.extend(removed_by_sanitiser(raw, offset));
                }
                if policy == RawHtml::Escape {
                    *ev = Event::Text(std::mem::replace(raw, CowStr::Borrowed("")));
                }
            }
            // Footnote ids get a prefix so `[^1]` cannot collide with a heading id.
            Event::FootnoteReference(label) | Event::Start(Tag::FootnoteDefinition(label)) => {
                *label = CowStr::from(format!("fn-{label}"));
            }
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                if policy != RawHtml::Allow && is_dangerous_url(dest_url) {
                    *dest_url = CowStr::Borrowed("");
                } else if is_article_link(dest_url) || is_rooted(dest_url) {
                    let resolved = resolve(dest_url);
                    links.push(LinkRef {
                        dest: dest_url.to_string(),
                        offset,
                        resolved: resolved.is_some(),
                    });
                    if let Some(href) = resolved {
                        *dest_url = CowStr::from(href);
                    }
                } else if is_local(dest_url) {
                    local_refs.push(local_path(dest_url));
                    links.push(LinkRef {
                        dest: dest_url.to_string(),
                        offset,
                        resolved: false,
                    });
                } else if (dest_url.starts_with('#') && dest_url.len() > 1) || is_web(dest_url) {
                    links.push(LinkRef {
                        dest: dest_url.to_string(),
                        offset,
                        resolved: false,
                    });
                }
            }
            _ => {}
        }
    }
    add_heading_ids(&mut events);
    let ids = events
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
            Event::Start(Tag::FootnoteDefinition(label)) => Some(label.to_string()),
            _ => None,
        })
        .collect();
    let too_deep = depth.too_deep();
    if too_deep.is_none() && !embeds.allowed.is_empty() {
        embed_paragraphs(&mut events, embeds, &mut players);
    }
    if too_deep.is_some() && policy == RawHtml::Sanitize {
        // The article is rejected; until then its HTML is kept inert
        // without the sanitiser's cost.
        for ev in &mut events {
            if let Event::Html(raw) | Event::InlineHtml(raw) = ev {
                *ev = Event::Text(std::mem::replace(raw, CowStr::Borrowed("")));
            }
        }
        has_raw_html = false;
    }
    let (summary_html, summary_text) = first_paragraph(&events);

    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    // Kept for the whole build: spare capacity, times every article, is
    // much of an archive's memory.
    out.shrink_to_fit();
    let sanitize = has_raw_html && policy == RawHtml::Sanitize;
    let html = if sanitize { clean(&out) } else { out };
    Rendered {
        html: with_players(html, &players),
        summary_html: if sanitize {
            clean(&summary_html)
        } else {
            summary_html
        },
        summary_text,
        local_refs,
        links,
        ids,
        words,
        too_deep,
        unrendered,
    }
}

/// How deeply elements are open, counting Markdown's and those of raw
/// HTML (which the sanitiser parses too).
#[derive(Default)]
struct Depth {
    markdown: usize,
    html: usize,
    deepest: usize,
    passed_at: Option<usize>,
}

impl Depth {
    fn step(&mut self, ev: &Event, policy: RawHtml, offset: usize) {
        match ev {
            Event::Start(_) => self.markdown += 1,
            Event::End(_) => self.markdown = self.markdown.saturating_sub(1),
            Event::Html(raw) | Event::InlineHtml(raw) if policy != RawHtml::Escape => {
                html_nesting(raw, |change| {
                    self.html = self.html.saturating_add_signed(change);
                    self.note(offset);
                });
            }
            _ => {}
        }
        self.note(offset);
    }

    fn note(&mut self, offset: usize) {
        let now = self.markdown + self.html;
        self.deepest = self.deepest.max(now);
        if now > MAX_DEPTH && self.passed_at.is_none() {
            self.passed_at = Some(offset);
        }
    }

    fn too_deep(&self) -> Option<TooDeep> {
        self.passed_at.map(|offset| TooDeep {
            depth: self.deepest,
            offset,
        })
    }
}

/// Calls `each` with +1 for each tag in `raw` that opens an element and
/// -1 for each that closes one. Comments, void elements, `<x/>` and
/// elements whose end tag may be left out (`<p>`, `<li>`, `<td>`…) do not
/// count: they do not nest when left unclosed.
fn html_nesting(raw: &str, mut each: impl FnMut(isize)) {
    const FLAT: [&str; 30] = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr", "param", "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody",
        "tfoot", "option", "optgroup", "rt", "rp", "colgroup", "caption",
    ];
    let mut rest = raw;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        if let Some(comment) = rest.strip_prefix("!--") {
            rest = comment.split_once("-->").map_or("", |(_, after)| after);
            continue;
        }
        let (closing, tag) = match rest.strip_prefix('/') {
            Some(r) => (true, r),
            None => (false, rest),
        };
        let name_len = tag
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '-')
            .unwrap_or(tag.len());
        let name = &tag[..name_len];
        if !name.starts_with(|c: char| c.is_ascii_alphabetic())
            || FLAT.iter().any(|f| f.eq_ignore_ascii_case(name))
        {
            continue;
        }
        let attrs = tag[name_len..].split('>').next().unwrap_or("");
        if closing {
            each(-1);
        } else if !attrs.ends_with('/') {
            each(1);
        }
    }
}

/// A URL scheme that runs code when followed.
fn is_dangerous_url(url: &str) -> bool {
    let scheme: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(11)
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|s| scheme.starts_with(s))
}

/// A link from the site's root (`/tags/روسيا/`, `/images/a.jpg`), which
/// must get the base path and lead to a page or file of the site.
pub fn is_rooted(url: &str) -> bool {
    url.starts_with('/') && !url.starts_with("//")
}

fn is_local(url: &str) -> bool {
    !url.is_empty() && !url.starts_with(['/', '#', '?']) && !url.contains(':')
}

/// The file a relative link names: `photo%20one.jpg?x#y` → `photo one.jpg`.
pub fn local_path(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    percent_encoding::percent_decode_str(path)
        .decode_utf8_lossy()
        .into_owned()
}

fn add_heading_ids(events: &mut [Event]) {
    // Ids written by hand ({#id}) first, so generated ones never take them.
    let mut used: HashSet<String> = events
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
            _ => None,
        })
        .collect();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { id: None, .. }) = &events[i] {
            let text = plain_text_until_end(&events[i + 1..]);
            let base = match slugify(&text) {
                s if s.is_empty() => "section".to_owned(),
                s => s,
            };
            let mut id = base.clone();
            let mut n = 1;
            while !used.insert(id.clone()) {
                n += 1;
                id = format!("{base}-{n}");
            }
            if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[i] {
                *slot = Some(CowStr::from(id));
            }
        }
        i += 1;
    }
}

fn plain_text_until_end(events: &[Event]) -> String {
    let mut text = String::new();
    for ev in events {
        match ev {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(TagEnd::Heading(_) | TagEnd::Paragraph) => break,
            _ => {}
        }
    }
    text
}

/// The first paragraph outside lists, quotes and footnotes.
fn first_paragraph(events: &[Event]) -> (String, String) {
    let mut depth = 0usize;
    for (i, ev) in events.iter().enumerate() {
        match ev {
            Event::Start(Tag::Paragraph) if depth == 0 => {
                let end = events[i..]
                    .iter()
                    .position(|e| matches!(e, Event::End(TagEnd::Paragraph)))
                    .map_or(events.len(), |p| i + p + 1);
                let mut html_out = String::new();
                html::push_html(&mut html_out, events[i..end].iter().cloned());
                let text = plain_text_until_end(&events[i + 1..end]);
                return (html_out.trim_end().to_owned(), text.trim().to_owned());
            }
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    (String::new(), String::new())
}

/// Removes scripts, event handlers and unsafe URLs from HTML while keeping
/// formatting and the ids and classes the renderer itself writes.
fn clean(html: &str) -> String {
    CLEANER.clean(html).to_string()
}

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.add_generic_attributes(["id", "class", "lang", "dir", "title"])
        .add_tags(["figure", "figcaption", "mark", "bdi", "section"])
        .link_rel(None);
    b
});

/// What the sanitiser keeps, asked of it once.
struct Kept {
    tags: std::collections::HashSet<&'static str>,
    with_content: std::collections::HashSet<&'static str>,
    generic: std::collections::HashSet<&'static str>,
    by_tag: std::collections::HashMap<&'static str, std::collections::HashSet<&'static str>>,
}

static KEPT: LazyLock<Kept> = LazyLock::new(|| Kept {
    tags: CLEANER.clone_tags(),
    with_content: CLEANER.clone_clean_content_tags(),
    generic: CLEANER.clone_generic_attributes(),
    by_tag: CLEANER.clone_tag_attributes(),
});

/// The elements and attributes of a piece of raw HTML (starting at
/// `offset` in the body) that sanitising removes. Tags are read the way
/// the sanitiser's parser reads them, closely enough to name each.
fn removed_by_sanitiser(raw: &str, offset: usize) -> Vec<Unrendered> {
    let kept = &*KEPT;
    let bytes = raw.as_bytes();
    let mut removed = Vec::new();
    let mut i = 0;
    while let Some(lt) = raw[i..].find('<').map(|p| p + i) {
        if raw[lt..].starts_with("<!--") {
            i = raw[lt..].find("-->").map_or(raw.len(), |p| lt + p + 3);
            continue;
        }
        i = lt + 1;
        let name_end = raw[i..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .map_or(raw.len(), |p| p + i);
        if name_end == i || !bytes[i].is_ascii_alphabetic() {
            continue;
        }
        let tag = raw[i..name_end].to_ascii_lowercase();
        let at = offset + lt;
        if kept.with_content.contains(tag.as_str()) {
            removed.push(Unrendered {
                kind: Unshown::Sanitised,
                what: format!("`<{tag}>` with its content"),
                offset: at,
            });
        } else if !kept.tags.contains(tag.as_str()) {
            removed.push(Unrendered {
                kind: Unshown::Sanitised,
                what: format!("`<{tag}>`"),
                offset: at,
            });
        }
        // Its attributes, up to the end of the tag.
        i = name_end;
        loop {
            while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
                i += 1;
            }
            if i >= bytes.len() || bytes[i] == b'>' {
                break;
            }
            let start = i;
            while i < bytes.len()
                && !matches!(bytes[i], b'=' | b'>' | b'/')
                && !bytes[i].is_ascii_whitespace()
            {
                i += 1;
            }
            let attr = raw[start..i].to_ascii_lowercase();
            if i < bytes.len() && bytes[i] == b'=' {
                i += 1;
                match bytes.get(i) {
                    Some(&q @ (b'"' | b'\'')) => {
                        i = raw[i + 1..]
                            .find(q as char)
                            .map_or(raw.len(), |p| p + i + 2);
                    }
                    _ => {
                        while i < bytes.len() && bytes[i] != b'>' && !bytes[i].is_ascii_whitespace()
                        {
                            i += 1;
                        }
                    }
                }
            }
            let allowed = kept.generic.contains(attr.as_str())
                || kept
                    .by_tag
                    .get(tag.as_str())
                    .is_some_and(|a| a.contains(attr.as_str()));
            if kept.tags.contains(tag.as_str()) && !attr.is_empty() && !allowed {
                removed.push(Unrendered {
                    kind: Unshown::Sanitised,
                    what: format!("`{attr}` on `<{tag}>`"),
                    offset: at,
                });
            }
        }
    }
    removed
}

/// Other generators' markup left in `markdown` (see `foreign_markup`).
pub fn foreign_markup_of(markdown: &str) -> Vec<Unrendered> {
    if !might_hold_foreign_markup(markdown) {
        return Vec::new();
    }
    let (events, ranges): (Vec<Event>, Vec<Range<usize>>) = Parser::new_ext(markdown, options())
        .into_offset_iter()
        .unzip();
    foreign_markup(markdown, &events, &ranges)
}

/// Where an embed goes, as text the sanitiser keeps: a private-use
/// character around its number, in a paragraph of its own.
fn placeholder(players: &mut Vec<String>, html: String) -> String {
    players.push(html);
    format!("<p>\u{E000}{}\u{E000}</p>", players.len() - 1)
}

/// The HTML with each placeholder replaced by its embed.
fn with_players(html: String, players: &[String]) -> String {
    if players.is_empty() {
        return html;
    }
    let mut out = html;
    for (i, player) in players.iter().enumerate() {
        out = out.replace(&format!("<p>\u{E000}{i}\u{E000}</p>"), player);
    }
    out
}

/// An allowed provider's `<iframe src=…>`, and whether it is closed in
/// the same piece of HTML.
fn iframe_embed(raw: &str, embeds: &Embeds) -> Option<(Embed, bool)> {
    static IFRAME: LazyLock<regex_lite::Regex> = LazyLock::new(|| {
        regex_lite::Regex::new(
            r#"(?is)^\s*<iframe\b[^>]*?\bsrc\s*=\s*["']([^"']+)["'][^>]*>\s*(</iframe>)?\s*$"#,
        )
        .expect("a valid pattern")
    });
    let c = IFRAME.captures(raw)?;
    let embed = embeds.for_player(&c[1])?;
    Some((embed, c.get(2).is_some()))
}

/// A paragraph that is only an allowed provider's address (as text or as
/// a link to itself) becomes its embed.
fn embed_paragraphs(events: &mut [Event], embeds: &Embeds, players: &mut Vec<String>) {
    let mut i = 0;
    while i < events.len() {
        if !matches!(events[i], Event::Start(Tag::Paragraph)) {
            i += 1;
            continue;
        }
        let Some(len) = events[i..]
            .iter()
            .position(|e| matches!(e, Event::End(TagEnd::Paragraph)))
        else {
            break;
        };
        let end = i + len;
        let mut url = String::new();
        let only_a_url = events[i + 1..end].iter().all(|e| match e {
            Event::Text(t) => {
                url.push_str(t);
                true
            }
            Event::Start(Tag::Link { .. }) | Event::End(TagEnd::Link) => true,
            _ => false,
        });
        let link_to_itself = events[i + 1..end].iter().all(|e| match e {
            Event::Start(Tag::Link { dest_url, .. }) => **dest_url == *url,
            _ => true,
        });
        if only_a_url
            && link_to_itself
            && !url.contains(char::is_whitespace)
            && let Some(embed) = embeds.for_page(&url)
        {
            events[i] = Event::Html(placeholder(players, embeds.html(&embed)).into());
            for e in &mut events[i + 1..=end] {
                *e = Event::Text(CowStr::Borrowed(""));
            }
        }
        i = end + 1;
    }
}

/// A quick look for `{{`, `{%` and `{:` before the closer one.
fn might_hold_foreign_markup(markdown: &str) -> bool {
    markdown
        .match_indices('{')
        .any(|(i, _)| matches!(markdown.as_bytes().get(i + 1), Some(b'{' | b'%' | b':')))
}

/// Other generators' markup outside code, which renders as its text:
/// Hugo shortcodes (`{{< youtube id >}}`), Liquid tags and expressions
/// (`{% raw %}`, `{{ site.url }}`) and kramdown attribute lists (`{: .center}`).
fn foreign_markup(markdown: &str, events: &[Event], ranges: &[Range<usize>]) -> Vec<Unrendered> {
    // Container events span their whole element, so a code block's start
    // event covers its text.
    let code: Vec<&Range<usize>> = events
        .iter()
        .zip(ranges)
        .filter(|(e, _)| matches!(e, Event::Code(_) | Event::Start(Tag::CodeBlock(_))))
        .map(|(_, r)| r)
        .collect();
    let in_code = |i: usize| code.iter().any(|r| r.contains(&i));
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = markdown[from..].find('{').map(|p| p + from) {
        from = at + 1;
        let line_end = markdown[at..].find('\n').map_or(markdown.len(), |p| p + at);
        let rest = &markdown[at..line_end];
        let escaped = at > 0 && markdown.as_bytes()[at - 1] == b'\\';
        let Some((kind, close)) = foreign_opening(rest).filter(|_| !escaped) else {
            continue;
        };
        // The closer comes after the two-character opener: `{%}` is not one.
        let Some(end) = rest.get(2..).and_then(|r| r.find(close)).map(|e| e + 2) else {
            continue;
        };
        let whole = &rest[..end + close.len()];
        if in_code(at) {
            from = at + whole.len();
            continue;
        }
        from = at + whole.len();
        let inner = whole[2..whole.len() - close.len()].trim_matches(['<', '%', '-', ' ']);
        // Closing tags of pairs are reported with their opening one.
        if inner.starts_with('/') || inner.starts_with("end") {
            continue;
        }
        let name = inner.split_whitespace().next().unwrap_or("");
        // A tag or shortcode has a name; an attribute list has something in it.
        let named = name.starts_with(|c: char| c.is_ascii_alphabetic());
        if !(named
            || kind == Unshown::AttributeList && !inner.trim_start_matches(':').trim().is_empty())
        {
            continue;
        }
        let what = match kind {
            Unshown::Shortcode => format!("the Hugo shortcode `{name}`"),
            Unshown::Liquid if whole.starts_with("{%") => format!("the Liquid tag `{name}`"),
            Unshown::Liquid => format!("the Liquid expression `{}`", text_of(whole)),
            _ => format!("the kramdown attribute list `{}`", text_of(whole)),
        };
        found.push(Unrendered {
            kind,
            what,
            offset: at,
        });
    }
    found
}

/// What kind of foreign markup `s` opens, and what closes it.
fn foreign_opening(s: &str) -> Option<(Unshown, &'static str)> {
    let b = s.as_bytes();
    match (b.get(1), b.get(2)) {
        (Some(b'{'), Some(b'<')) => Some((Unshown::Shortcode, ">}}")),
        (Some(b'{'), Some(b'%')) => Some((Unshown::Shortcode, "%}}")),
        (Some(b'%'), _) => Some((Unshown::Liquid, "%}")),
        // `{{ page.title }}`, `{{- x -}}`: a name right after the braces.
        (Some(b'{'), _) => {
            let inner = s[2..].trim_start_matches(['-', ' ']);
            inner
                .starts_with(|c: char| c.is_ascii_alphabetic())
                .then_some((Unshown::Liquid, "}}"))
        }
        (Some(b':'), _) => Some((Unshown::AttributeList, "}")),
        _ => None,
    }
}

/// Markup as quoted in a message: at most 40 characters.
fn text_of(s: &str) -> String {
    crate::text::truncate(s, 40)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::embed::Provider;

    fn none() -> Embeds {
        Embeds {
            allowed: Vec::new(),
            play: String::new(),
        }
    }

    fn html(md: &str) -> String {
        render(md, RawHtml::Sanitize, &none(), &|_| None).html
    }

    #[test]
    fn gfm_features() {
        let out = html("| أ | ب |\n|---|---|\n| 1 | 2 |\n\n~~قديم~~ نص[^1]\n\n[^1]: حاشية\n");
        assert!(out.contains("<table>"), "{out}");
        assert!(out.contains("<del>قديم</del>"), "{out}");
        assert!(
            out.contains("footnote-reference") && out.contains("href=\"#fn-1\""),
            "{out}"
        );
        assert!(out.contains("id=\"fn-1\""), "{out}");
        assert!(out.contains("حاشية"), "{out}");
    }

    #[test]
    fn headings_get_unique_arabic_ids() {
        let out = html(
            "## خلفية الزيارة\n\nنص\n\n## خلفية الزيارة\n\n### !!!\n\n## Mine\n\n## Own {#mine}\n",
        );
        assert!(out.contains(r#"<h2 id="mine-2">Mine</h2>"#), "{out}");
        assert!(out.contains(r#"<h2 id="خلفية-الزيارة">"#), "{out}");
        assert!(out.contains(r#"<h2 id="خلفية-الزيارة-2">"#), "{out}");
        assert!(out.contains(r#"<h3 id="section">"#), "{out}");
        assert!(out.contains(r#"<h2 id="mine">"#), "{out}");
    }

    #[test]
    fn summary_is_the_first_top_level_paragraph() {
        let r = render(
            "## عنوان\n\n> اقتباس\n\nالفقرة **الأولى**\nتتمة.\n\nالثانية\n",
            RawHtml::Sanitize,
            &none(),
            &|_| None,
        );
        assert_eq!(
            r.summary_html,
            "<p>الفقرة <strong>الأولى</strong>\nتتمة.</p>"
        );
        assert_eq!(r.summary_text, "الفقرة الأولى تتمة.");
        assert_eq!(
            render("", RawHtml::Sanitize, &none(), &|_| None).summary_text,
            ""
        );
    }

    #[test]
    fn what_sanitising_removes_is_named_where_it_is() {
        let md = "نص\n\n<iframe src=\"https://www.youtube.com/embed/x\" allowfullscreen></iframe>\n\n\
                  <a href=\"/x\" onclick='go()' title=\"t > u\">رابط</a> <!-- <iframe> --> <b>غامق</b>\n\n\
                  <script>alert(1)</script>\n";
        let r = render(md, RawHtml::Sanitize, &none(), &|_| None);
        let got: Vec<(&str, &str)> = r
            .unrendered
            .iter()
            .map(|x| (x.what.as_str(), &md[x.offset..x.offset + 7]))
            .collect();
        assert_eq!(
            got,
            [
                ("`<iframe>`", "<iframe"),
                ("`onclick` on `<a>`", "<a href"),
                ("`<script>` with its content", "<script")
            ]
        );
        assert!(!r.html.contains("iframe") && !r.html.contains("onclick"));
        for policy in [RawHtml::Allow, RawHtml::Escape] {
            assert!(render(md, policy, &none(), &|_| None).unrendered.is_empty());
        }
    }

    #[test]
    fn other_generators_markup_is_named_where_it_is() {
        let md = "# عنوان\n\n{{< youtube dQw4w9WgXcQ >}}\n\n{% raw %}نص{% endraw %}\n\n\
                  صورة {: .center}\n\n[رابط]({{ site.baseurl }}/x)\n\n\
                  `{{< kept >}}` and {not markup} {{ }}\n\n```\n{% include x.html %}\n```\n\n\
                  {{< figure src=\"a.jpg\" >}} {{< /figure >}} {%} {%%} {{}} {:}\n";
        let r = render(md, RawHtml::Sanitize, &none(), &|_| None);
        let got: Vec<(Unshown, &str, &str)> = r
            .unrendered
            .iter()
            .map(|x| (x.kind, x.what.as_str(), &md[x.offset..x.offset + 3]))
            .collect();
        assert_eq!(
            got,
            [
                (Unshown::Shortcode, "the Hugo shortcode `youtube`", "{{<"),
                (Unshown::Liquid, "the Liquid tag `raw`", "{% "),
                (
                    Unshown::AttributeList,
                    "the kramdown attribute list `{: .center}`",
                    "{: "
                ),
                (
                    Unshown::Liquid,
                    "the Liquid expression `{{ site.baseurl }}`",
                    "{{ "
                ),
                (Unshown::Shortcode, "the Hugo shortcode `figure`", "{{<"),
            ]
        );
    }

    #[test]
    fn allowed_providers_become_embeds_that_ask_nothing_before_a_click() {
        let embeds = Embeds {
            allowed: vec![Provider::Youtube, Provider::Vimeo],
            play: "شغّل من {provider}".into(),
        };
        let md = "نص.\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s\n\n<https://vimeo.com/76979871>\n\n\
                  انظر https://youtu.be/dQw4w9WgXcQ في النص.\n\nhttps://x.com/a/status/1\n\n\
                  <iframe src=\"https://www.youtube.com/embed/abc\" allowfullscreen></iframe>\n\n\
                  <iframe src=\"https://maps.example.com/x\"></iframe>\n";
        let r = render(md, RawHtml::Sanitize, &embeds, &|_| None);
        assert_eq!(
            r.html
                .matches("<figure class=\"embed embed-youtube\"")
                .count(),
            2,
            "{}",
            r.html
        );
        assert_eq!(
            r.html
                .matches("<figure class=\"embed embed-vimeo\"")
                .count(),
            1
        );
        assert!(r.html.contains("data-embed=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1&amp;start=42\""), "{}", r.html);
        assert!(
            r.html.contains("في النص"),
            "a URL inside a sentence stays text"
        );
        assert!(
            r.html.contains("https://x.com/a/status/1"),
            "X is not allowed here"
        );
        assert!(!r.html.contains("<iframe"), "{}", r.html);
        let removed: Vec<&str> = r.unrendered.iter().map(|u| u.what.as_str()).collect();
        assert_eq!(removed, ["`<iframe>`"], "only the map's iframe is removed");
        assert!(!r.summary_text.contains("http"));
    }

    #[test]
    fn raw_html_policies() {
        let md = "<b onclick=\"x()\">غامق</b> <script>alert(1)</script>\n\n<a href=\"javascript:alert(1)\">رابط</a>\n";
        let s = render(md, RawHtml::Sanitize, &none(), &|_| None).html;
        assert!(s.contains("<b>غامق</b>"), "{s}");
        assert!(
            !s.contains("onclick") && !s.contains("<script") && !s.contains("javascript:"),
            "{s}"
        );
        let e = render(md, RawHtml::Escape, &none(), &|_| None).html;
        assert!(e.contains("&lt;script&gt;") && !e.contains("<b"), "{e}");
        let a = render(md, RawHtml::Allow, &none(), &|_| None).html;
        assert!(a.contains("<script>alert(1)</script>"), "{a}");
    }

    #[test]
    fn markdown_links_with_script_urls_are_neutralised() {
        for policy in [RawHtml::Sanitize, RawHtml::Escape] {
            let out = render(
                "[x](javascript:alert(1)) [y]( JaVaScRiPt:alert(1)) ![z](data:text/html,x)",
                policy,
                &none(),
                &|_| None,
            )
            .html;
            assert!(
                !out.to_lowercase().contains("javascript") && !out.contains("data:"),
                "{out}"
            );
        }
    }

    #[test]
    fn counts_words_of_running_text() {
        let r = render(
            "## عنوان قصير\n\nمن المقرر أن **يزور** الرئيس بكين.\n\n- بند واحد\n",
            RawHtml::Sanitize,
            &none(),
            &|_| None,
        );
        assert_eq!(r.words, 2 + 6 + 2);
    }

    #[test]
    fn resolves_and_records_links_within_the_site() {
        let md = "## أول\n\n[a](../2023/b.md#x) [c](nope.md) [d](#أول) [e](chart.png) [f](https://x.org/a.md)\n\n[^1]\n\n[^1]: ح\n";
        let r = render(md, RawHtml::Sanitize, &none(), &|dest: &str| {
            (dest == "../2023/b.md#x").then(|| "/2023/01/02/b/#x".to_owned())
        });
        assert!(
            r.html.contains(r#"<a href="/2023/01/02/b/#x">a</a>"#),
            "{}",
            r.html
        );
        assert!(r.html.contains(r#"<a href="nope.md">c</a>"#), "{}", r.html);
        let got: Vec<(&str, bool)> = r
            .links
            .iter()
            .map(|l| (l.dest.as_str(), l.resolved))
            .collect();
        assert_eq!(
            got,
            [
                ("../2023/b.md#x", true),
                ("nope.md", false),
                ("#أول", false),
                ("chart.png", false),
                ("https://x.org/a.md", false)
            ]
        );
        assert_eq!(&md[r.links[1].offset..r.links[1].offset + 3], "[c]");
        assert_eq!(r.ids, ["أول", "fn-1"]);
    }

    #[test]
    fn nesting_is_bounded_before_sanitising() {
        let deep_quotes = format!("{}<b>x</b>\n", "> ".repeat(20_000));
        let deep_html = format!("<div>{}x\n", "<blockquote>".repeat(20_000));
        for md in [&deep_quotes, &deep_html] {
            let started = std::time::Instant::now();
            let r = render(md, RawHtml::Sanitize, &none(), &|_| None);
            assert!(started.elapsed().as_secs() < 3, "{:?}", started.elapsed());
            let deep = r.too_deep.expect("too deep");
            assert!(deep.depth > 20_000, "{deep:?}");
            assert!(!r.html.contains("<b>") && !r.html.contains("<div>"));
        }
        let at = render(&deep_quotes, RawHtml::Sanitize, &none(), &|_| None).too_deep;
        assert_eq!(at.map(|d| d.offset), Some(2 * MAX_DEPTH));

        // Ordinary nesting, unclosed paragraphs and void tags are fine.
        let md = format!(
            "{}<b>غامق</b>\n\n{}\n\n- a\n  - b\n    > c <br> <img src=x.jpg/>\n",
            "> ".repeat(40),
            "<p>فقرة <hr/>".repeat(300)
        );
        let r = render(&md, RawHtml::Sanitize, &none(), &|_| None);
        assert_eq!(r.too_deep, None);
        assert!(r.html.contains("<b>غامق</b>"), "{}", r.html);
        let mut sum = 0;
        html_nesting(
            "<div class=a><br><p>x</p><x-y/></div><!-- <i> --><i>",
            |c| sum += c,
        );
        assert_eq!(sum, 1);
    }

    #[test]
    fn collects_local_references() {
        let r = render(
            "![صورة](putin.jpg) [pdf](docs/a.pdf#p2) [w](https://x.org/a.jpg) [h](#top) [r](/abs.jpg)",
            RawHtml::Sanitize,
            &none(),
            &|_| None,
        );
        assert_eq!(r.local_refs, ["putin.jpg", "docs/a.pdf"]);
    }
}
