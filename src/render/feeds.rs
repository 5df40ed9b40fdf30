//! Machine-read files, written directly rather than through templates so
//! that their escaping cannot go wrong: Atom feeds, the sitemap, robots.txt.

use std::fmt::Write;

use chrono::{DateTime, FixedOffset, SecondsFormat};

use crate::config::Config;
use crate::content::Article;
use crate::url::UrlPath;
// XML text and attributes need the same escaping as HTML, which also drops
// the control characters XML forbids.
use crate::text::escape_html as xml;

fn rfc3339(d: &DateTime<FixedOffset>) -> String {
    d.to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub struct FeedHead<'a> {
    pub title: &'a str,
    /// The feed's own URL and the page it belongs to.
    pub self_url: &'a UrlPath,
    pub page_url: &'a UrlPath,
}

/// The most authors and tags an entry names. An entry is in the feed of
/// every term it names, so naming them all grows the feeds with the
/// square of an article's terms (4,000 tags made gigabytes).
pub const ENTRY_TERMS: usize = 10;

/// One `<entry>` of an Atom feed. Term feeds carry summaries only: there
/// are thousands of them, and full text in each would multiply the site's
/// size. An article's entry is the same in every feed, so it is built once.
/// `content` is the rendered body, for the site's feed.
pub fn entry(a: &Article, config: &Config, content: Option<&str>) -> String {
    let base = &config.base_url;
    let link = xml(&base.permalink(&a.url));
    let lang = if a.lang != config.language {
        format!(" xml:lang=\"{}\"", xml(&a.lang))
    } else {
        String::new()
    };
    let summary = a.summary_html();
    let mut out = String::with_capacity(1024 + content.map_or(summary.len(), |c| c.len() * 5 / 4));
    // xml:base lets readers resolve the article's relative links and images.
    let _ = write!(
        out,
        "<entry{lang} xml:base=\"{link}\">\n<title>{title}</title>\n\
         <link rel=\"alternate\" type=\"text/html\" href=\"{link}\"/>\n<id>{link}</id>\n\
         <published>{published}</published>\n<updated>{updated}</updated>\n",
        title = xml(&a.meta.title),
        published = rfc3339(&a.meta.date),
        updated = rfc3339(&a.last_changed()),
    );
    for author in a.meta.authors.iter().take(ENTRY_TERMS) {
        let _ = writeln!(out, "<author><name>{}</name></author>", xml(author));
    }
    for tag in a.meta.tags.iter().take(ENTRY_TERMS) {
        let _ = writeln!(out, "<category term=\"{}\"/>", xml(tag));
    }
    if !summary.is_empty() {
        let _ = writeln!(out, "<summary type=\"html\">{}</summary>", xml(&summary));
    }
    if let Some(content) = content {
        // Links to other pages of the site are written from the site's root
        // (`/archive/2022/…`); feed readers do not all resolve those, so the
        // feed makes them absolute. Relative ones (`photo.jpg`) have xml:base.
        let root = base.path();
        let absolute = content
            .replace(
                &format!("href=\"{root}"),
                &format!("href=\"{}", base.as_string()),
            )
            .replace(
                &format!("src=\"{root}"),
                &format!("src=\"{}", base.as_string()),
            );
        let _ = writeln!(out, "<content type=\"html\">{}</content>", xml(&absolute));
    }
    out.push_str("</entry>\n");
    out
}

/// An Atom (RFC 4287) feed of `entries` (newest first, as built by
/// `entry`). `updated` comes from the content, never the clock, so feeds
/// are identical from build to build.
pub fn atom(
    head: &FeedHead<'_>,
    articles: &[&Article],
    entries: &[&str],
    config: &Config,
) -> String {
    let base = &config.base_url;
    let updated = articles
        .iter()
        .map(|a| a.last_changed())
        .max()
        .map_or_else(|| "1970-01-01T00:00:00Z".to_owned(), |d| rfc3339(&d));
    let mut out = String::with_capacity(2048 + entries.iter().map(|e| e.len()).sum::<usize>());
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">\n\
         <title>{title}</title>\n",
        lang = xml(&config.language),
        title = xml(head.title),
    );
    if !config.description.is_empty() {
        let _ = writeln!(out, "<subtitle>{}</subtitle>", xml(&config.description));
    }
    let _ = write!(
        out,
        "<link rel=\"self\" type=\"application/atom+xml\" href=\"{self_url}\"/>\n\
         <link rel=\"alternate\" type=\"text/html\" href=\"{page}\"/>\n\
         <id>{page}</id>\n<updated>{updated}</updated>\n\
         <author><name>{site}</name></author>\n<generator>arshif</generator>\n",
        self_url = xml(&base.permalink(head.self_url)),
        page = xml(&base.permalink(head.page_url)),
        site = xml(&config.title),
    );
    for e in entries {
        out.push_str(e);
    }
    out.push_str("</feed>\n");
    out
}

/// One `<url>` of a sitemap: its absolute, percent-encoded location and
/// when its content last changed.
pub struct SitemapEntry {
    pub loc: String,
    pub lastmod: Option<DateTime<FixedOffset>>,
}

pub fn sitemap(entries: &[SitemapEntry]) -> String {
    use rayon::prelude::*;
    // A sitemap holds up to 50,000 lines: written in parallel, in order.
    let parts: Vec<String> = entries
        .par_chunks(2048)
        .map(|chunk| {
            let mut out = String::with_capacity(chunk.len() * 120);
            for e in chunk {
                let _ = write!(out, "<url><loc>{}</loc>", xml(&e.loc));
                if let Some(d) = &e.lastmod {
                    let _ = write!(out, "<lastmod>{}</lastmod>", rfc3339(d));
                }
                out.push_str("</url>\n");
            }
            out
        })
        .collect();
    let mut out = String::with_capacity(200 + parts.iter().map(String::len).sum::<usize>());
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    parts.iter().for_each(|p| out.push_str(p));
    out.push_str("</urlset>\n");
    out
}

/// A sitemap index of the parts at `parts`, each with its newest lastmod.
pub fn sitemap_index(parts: &[SitemapEntry]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for e in parts {
        let _ = write!(out, "<sitemap><loc>{}</loc>", xml(&e.loc));
        if let Some(d) = &e.lastmod {
            let _ = write!(out, "<lastmod>{}</lastmod>", rfc3339(d));
        }
        out.push_str("</sitemap>\n");
    }
    out.push_str("</sitemapindex>\n");
    out
}

/// The page at an old address of an article: browsers follow the refresh
/// at once, search engines the canonical link, and anyone the link.
pub fn redirect(title: &str, href: &str, permalink: &str, lang: &str, dir: &str) -> String {
    let (title, href, permalink, lang) = (xml(title), xml(href), xml(permalink), xml(lang));
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\" dir=\"{dir}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{title}</title>\n<link rel=\"canonical\" href=\"{permalink}\">\n\
         <meta name=\"robots\" content=\"noindex\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={href}\">\n</head>\n\
         <body>\n<p><a href=\"{href}\">{title}</a></p>\n</body>\n</html>\n"
    )
}

pub fn robots(sitemap_url: &str) -> String {
    format!("User-agent: *\nAllow: /\n\nSitemap: {sitemap_url}\n")
}
