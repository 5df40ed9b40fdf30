//! What templates see: serialisable views built from the site index. Each
//! article's view is built once and shared by every page that lists it.

use serde::Serialize;

use crate::config::{Config, Font, TaxonomyKind};
use crate::content::Article;
use crate::date::Calendar;
use crate::images::{Format, Images, html};
use crate::index::SiteIndex;
use crate::index::taxonomy::Taxonomy;
use crate::url::{BaseUrl, UrlPath};

#[derive(Debug, Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub language: &'a str,
    pub dir: &'static str,
    /// Absolute, ending in `/`.
    pub base_url: String,
    /// The link to the home page: `/` or `/archive/`.
    pub home: String,
    /// The site's Atom feed.
    pub feed: String,
    /// The archive of all years, `/archive/`.
    pub archive: String,
    /// Whether to show Hijri dates beside Gregorian ones.
    pub hijri: bool,
    /// The search page, when the site has search (`search: true`).
    pub search: Option<String>,
    /// The calendar of the date shown beside the article's date, for
    /// `arabic_date(format=…)`: `hijri`, `persian`, `hebrew`, `gregorian`.
    pub second_calendar: Option<&'static str>,
    /// The theme's font, for `data-font`; none for the Arabic default.
    pub font: Option<&'static str>,
    /// The list pages of the configured taxonomies, for navigation.
    pub taxonomies: Vec<NavLink<'a>>,
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, Serialize)]
pub struct NavLink<'a> {
    pub kind: &'static str,
    pub label: &'a str,
    pub href: String,
}

impl<'a> SiteView<'a> {
    pub fn new(config: &'a Config) -> SiteView<'a> {
        SiteView {
            title: &config.title,
            description: &config.description,
            language: &config.language,
            dir: config.direction.as_str(),
            base_url: config.base_url.as_string(),
            home: config.base_url.href(&UrlPath::root()),
            feed: config.base_url.href(&UrlPath::file::<&str>([], "atom.xml")),
            archive: config.base_url.href(&UrlPath::dir(["archive"])),
            search: config
                .search
                .then(|| config.base_url.href(&UrlPath::dir(["search"]))),
            hijri: config.second_calendar == Some(Calendar::Hijri),
            second_calendar: config.second_calendar.map(Calendar::name),
            font: Some(config.font)
                .filter(|f| *f != Font::Naskh)
                .map(Font::name),
            taxonomies: config
                .taxonomies
                .iter()
                .map(|k| NavLink {
                    kind: k.name(),
                    label: config.strings.get(k.name()),
                    href: config.base_url.href(&UrlPath::dir([k.name()])),
                })
                .collect(),
            extra: &config.extra,
        }
    }
}

/// A link to a term page: a tag, an author or a source.
#[derive(Debug, Serialize)]
pub struct TermLink<'a> {
    pub name: &'a str,
    /// The term's page; none when the site does not have that taxonomy.
    pub href: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct SourceView<'a> {
    pub name: &'a str,
    /// The source's page in this archive, if the site has `sources`.
    pub href: Option<String>,
    /// The original article at the source, when `source_url` is given.
    pub url: Option<&'a str>,
}

#[derive(Debug, Serialize)]
pub struct ImageView<'a> {
    /// The image file itself.
    pub href: String,
    pub permalink: String,
    pub caption: Option<&'a str>,
    pub credit: Option<&'a str>,
    pub alt: &'a str,
    /// What `<img src>` shows: the widest resized copy in the image's own
    /// format, else the image itself.
    pub src: String,
    /// The resized copies in the image's own format (WebP for a WebP
    /// image), for `srcset`; none for an image shown as it is (GIF, SVG,
    /// an address on the web).
    pub srcset: Option<String>,
    /// The WebP copies of a JPEG or PNG, for `<source type="image/webp">`.
    pub webp_srcset: Option<String>,
    /// The size of `src`, for `width` and `height`; none when it is not
    /// known (an SVG, an address on the web).
    pub width: Option<u32>,
    pub height: Option<u32>,
}

#[derive(Debug, Serialize)]
pub struct ArticleView<'a> {
    pub title: &'a str,
    pub href: String,
    pub permalink: String,
    /// RFC 3339, for `<time datetime>` and the `arabic_date` filter.
    pub date: String,
    pub updated: Option<String>,
    /// Whether `date` and `updated` have a time of day to show.
    pub date_timed: bool,
    pub updated_timed: bool,
    pub authors: Vec<TermLink<'a>>,
    pub source: Option<SourceView<'a>>,
    pub tags: Vec<TermLink<'a>>,
    /// Plain text.
    pub summary: &'a str,
    /// HTML, output with `| safe`.
    pub summary_html: std::borrow::Cow<'a, str>,
    /// HTML, output with `| safe`.
    /// Only on the article's own page; lists leave it out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<&'a str>,
    pub image: Option<ImageView<'a>>,
    pub lang: &'a str,
    pub dir: &'static str,
    /// Minutes at the site's `reading_speed`, at least 1.
    pub reading_minutes: usize,
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
    /// A `NewsArticle` JSON-LD object, already safe inside `<script>`.
    /// Only on the article's own page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub json_ld: Option<String>,
}

impl<'a> ArticleView<'a> {
    /// The view of an article; its rendered `content` adds the content and
    /// JSON-LD, which only its own page shows (views for lists are kept for
    /// the whole build, so they stay small).
    pub fn new(
        a: &'a Article,
        index: &SiteIndex,
        config: &'a Config,
        images: &Images,
        content: Option<&'a str>,
    ) -> ArticleView<'a> {
        let full = content.is_some();
        let base = &config.base_url;
        let href = |kind: TaxonomyKind, name: &str| {
            let term = index.taxonomy(kind)?.find(name)?;
            Some(base.href(&term.url))
        };
        // A name site.yaml gives a profile is shown as the profile's.
        let shown = |kind: TaxonomyKind, name: &'a str| -> &'a str {
            index
                .taxonomy(kind)
                .and_then(|t| t.find(name))
                .and_then(|t| t.profile)
                .map_or(name, |i| config.profiles(kind)[i].name.as_str())
        };
        let links = |kind: TaxonomyKind, names: &'a [String]| -> Vec<TermLink<'a>> {
            names
                .iter()
                .map(|n| TermLink {
                    name: shown(kind, n),
                    href: href(kind, n),
                })
                .collect()
        };
        let image = a.meta.image.as_ref().map(|img| {
            let page = asset_path(&a.url, &img.src);
            let href = page
                .as_ref()
                .map_or_else(|| img.src.clone(), |p| base.href(p));
            let mut view = ImageView {
                src: href.clone(),
                href,
                permalink: page
                    .as_ref()
                    .map_or_else(|| img.src.clone(), |p| base.permalink(p)),
                caption: img.caption.as_deref(),
                credit: img.credit.as_deref(),
                alt: img.alt.as_deref().or(img.caption.as_deref()).unwrap_or(""),
                srcset: None,
                webp_srcset: None,
                width: None,
                height: None,
            };
            if let Some((pic, dir)) = images.find(a, &img.src) {
                let prefix = base.href(&dir);
                match html::fallback(pic) {
                    Some((name, w, h)) => {
                        let own = pic.own_format();
                        view.src = format!("{prefix}{name}");
                        view.srcset = Some(html::srcset(pic, own, &prefix));
                        view.webp_srcset =
                            (own != Format::Webp).then(|| html::srcset(pic, Format::Webp, &prefix));
                        (view.width, view.height) = (Some(w), Some(h));
                    }
                    None if pic.width > 0 => {
                        (view.width, view.height) = (Some(pic.width), Some(pic.height));
                    }
                    None => {}
                }
            }
            view
        });
        let mut view = ArticleView {
            title: &a.meta.title,
            href: base.href(&a.url),
            permalink: base.permalink(&a.url),
            date: a.meta.date.to_rfc3339(),
            updated: a.meta.updated.map(|d| d.to_rfc3339()),
            date_timed: a.meta.date_timed,
            updated_timed: a.meta.updated_timed,
            authors: links(TaxonomyKind::Authors, &a.meta.authors),
            source: a.meta.source.as_ref().map(|s| SourceView {
                name: shown(TaxonomyKind::Sources, &s.name),
                href: href(TaxonomyKind::Sources, &s.name),
                url: s.url.as_deref(),
            }),
            tags: links(TaxonomyKind::Tags, &a.meta.tags),
            summary: &a.summary_text,
            summary_html: a.summary_html(),
            content,
            image,
            lang: &a.lang,
            dir: a.direction.as_str(),
            reading_minutes: a
                .words
                .div_ceil(config.reading_speed.max(1) as usize)
                .max(1),
            extra: &a.meta.extra,
            json_ld: None,
        };
        if full {
            view.json_ld = Some(json_ld(&view, a, config));
        }
        view
    }
}

/// Where a file named in front matter is served: beside the page for a
/// relative name, at the site root for `/…`, as is for absolute URLs.
fn asset_path(page: &UrlPath, src: &str) -> Option<UrlPath> {
    if src.contains("://") {
        None
    } else if let Some(rooted) = src.strip_prefix('/') {
        Some(UrlPath::root().join(rooted))
    } else {
        Some(page.join(src))
    }
}

fn json_ld(view: &ArticleView<'_>, a: &Article, config: &Config) -> String {
    use serde_json::json;
    let authors: Vec<_> = a
        .meta
        .authors
        .iter()
        .map(|n| json!({"@type": "Person", "name": n}))
        .collect();
    let mut ld = json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a.meta.title,
        "datePublished": view.date,
        "dateModified": view.updated.as_deref().unwrap_or(&view.date),
        "inLanguage": a.lang,
        "mainEntityOfPage": view.permalink,
        "url": view.permalink,
        "publisher": {"@type": "Organization", "name": config.title, "url": config.base_url.as_string()},
    });
    let obj = ld.as_object_mut().expect("object");
    if !authors.is_empty() {
        obj.insert("author".into(), authors.into());
    }
    if let Some(img) = &view.image {
        obj.insert("image".into(), img.permalink.clone().into());
    }
    if !a.meta.tags.is_empty() {
        obj.insert("keywords".into(), a.meta.tags.clone().into());
    }
    if let Some(s) = &a.meta.source {
        obj.insert(
            "sourceOrganization".into(),
            json!({"@type": "Organization", "name": s.name}),
        );
    }
    script_safe(&ld.to_string())
}

/// JSON that cannot end its `<script>` element or open a comment: `<`, `>`
/// and `&` as Unicode escapes, which JSON readers decode back.
pub fn script_safe(json: &str) -> String {
    // By bytes: every character to replace starts with one of these, and
    // Arabic text decoded char by char made this 2 % of a build.
    let bytes = json.as_bytes();
    let mut out = String::with_capacity(json.len() + 16);
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        let (with, len) = match (bytes[i], bytes.get(i + 1..i + 3)) {
            (b'<', _) => ("\\u003c", 1),
            (b'>', _) => ("\\u003e", 1),
            (b'&', _) => ("\\u0026", 1),
            (0xE2, Some([0x80, 0xA8])) => ("\\u2028", 3),
            (0xE2, Some([0x80, 0xA9])) => ("\\u2029", 3),
            _ => {
                i += 1;
                continue;
            }
        };
        out.push_str(&json[start..i]);
        out.push_str(with);
        i += len;
        start = i;
    }
    out.push_str(&json[start..]);
    out
}

/// The current page, for canonical links and Open Graph.
#[derive(Debug, Serialize)]
pub struct PageView {
    pub href: String,
    pub permalink: String,
    /// The template's name without `.html`: `article`, `home`, `term`, …
    pub kind: &'static str,
    /// The Atom feed of this page's list, if it has one.
    pub feed: Option<String>,
}

impl PageView {
    pub fn new(
        base: &BaseUrl,
        url: &UrlPath,
        kind: &'static str,
        feed: Option<&UrlPath>,
    ) -> PageView {
        PageView {
            href: base.href(url),
            permalink: base.permalink(url),
            kind,
            feed: feed.map(|f| base.href(f)),
        }
    }
}

/// A term with its page, feed and number of articles, and what site.yaml
/// says of an author or source.
#[derive(Debug, Serialize)]
pub struct TermView<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub href: String,
    pub feed: String,
    pub count: usize,
    pub description: Option<&'a str>,
    pub photo: Option<String>,
    pub links: &'a [String],
}

#[derive(Debug, Serialize)]
pub struct TaxonomyView<'a> {
    /// `tags`, `authors` or `sources`.
    pub kind: &'static str,
    pub label: &'a str,
    pub href: String,
    /// This page's terms (only on the taxonomy's own pages).
    pub terms: Vec<TermView<'a>>,
    /// Every term of the taxonomy, on all its pages.
    pub total: usize,
    /// `count` (most articles first), `name` or `letter`.
    pub order: &'static str,
    /// The page of all terms by name.
    pub by_name: Option<String>,
    /// The letter of a letter's page, in the site's digits.
    pub letter: Option<String>,
    /// The index of initial letters.
    pub letters: Vec<InitialView>,
}

/// An entry of the index of letters.
#[derive(Debug, Serialize)]
pub struct InitialView {
    pub letter: String,
    pub href: String,
    pub count: usize,
    /// Whether this is the letter of the page.
    pub current: bool,
}

impl<'a> TaxonomyView<'a> {
    /// The taxonomy without its terms, which only its own pages show.
    pub fn new(t: &Taxonomy, config: &'a Config) -> TaxonomyView<'a> {
        TaxonomyView {
            kind: t.kind.name(),
            label: config.strings.get(t.kind.name()),
            href: config.base_url.href(&t.url()),
            terms: Vec::new(),
            total: t.terms.len(),
            order: "count",
            by_name: None,
            letter: None,
            letters: Vec::new(),
        }
    }
}

/// A year, month or day of the date archive, with its sub-periods.
#[derive(Debug, Serialize)]
pub struct PeriodView {
    /// "2023", "سبتمبر/أيلول 2023" or "19 سبتمبر/أيلول 2023", in the site's digits.
    pub label: String,
    pub href: String,
    pub count: usize,
    pub year: i32,
    pub month: Option<u32>,
    pub day: Option<u32>,
    /// Months of a year, days of a month; in calendar order.
    pub parts: Vec<PeriodView>,
}

/// The links between pages of a paginated list.
#[derive(Debug, Serialize)]
pub struct PagerView {
    pub number: usize,
    pub total: usize,
    /// Every page's number and link, for numbered navigation.
    pub pages: Vec<PagerLink>,
    pub prev: Option<String>,
    pub next: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct PagerLink {
    pub number: usize,
    pub href: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_cannot_break_out_of_script() {
        let s = script_safe(r#"{"t":"</script><!-- & x"}"#);
        assert_eq!(s, r#"{"t":"\u003c/script\u003e\u003c!-- \u0026 x"}"#);
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back["t"], "</script><!-- & x");
        // Line and paragraph separators end a line in old JavaScript; other
        // characters that start with the same byte pass as they are.
        let text = "قمة\u{2028}دبي\u{2029}€ – ✓ <";
        let s = script_safe(&serde_json::to_string(text).unwrap());
        assert_eq!(s, "\"قمة\\u2028دبي\\u2029€ – ✓ \\u003c\"");
        assert_eq!(serde_json::from_str::<String>(&s).unwrap(), text);
    }
}
