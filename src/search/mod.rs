//! The search index: one Pagefind record per article, made from its
//! body and metadata (never from a page's navigation or lists), written
//! under `pagefind/` with Pagefind's search script. The search page
//! (`templates/search.html`, `static/search.js`) reads it in the browser;
//! nothing is fetched from another origin.

pub mod normalise;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::content::Article;
use crate::diagnostics::Diagnostic;
use crate::error::{Error, Result};

/// The folder of the index in the output.
pub const DIR: &str = "pagefind";

/// How many parts the index has, for the search page.
pub const PARTS: &str = "parts.json";

/// The page's script, in the theme's static files.
pub const SCRIPT: &str = "search.js";

/// What Pagefind makes that the search page does not use: its own
/// interfaces, highlighting script and playground.
const UNUSED: [&str; 4] = [
    "pagefind-ui",
    "pagefind-modular-ui",
    "pagefind-component-ui",
    "pagefind-highlight",
];

/// One article as the index has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// From the site's root, without the base path (Pagefind's script adds it).
    pub url: String,
    pub content: String,
    pub meta: BTreeMap<String, String>,
    pub filters: BTreeMap<String, Vec<String>>,
    pub sort: BTreeMap<String, String>,
}

/// Each published article's record, in the order given (the index's:
/// newest first), so that the index comes out the same every time.
fn records(articles: &[Arc<Article>], root: &Path, config: &Config) -> Result<Vec<Record>> {
    articles
        .par_iter()
        .map_init(
            || normalise::Extra::new(&config.language),
            |extra, a| {
                let body = a
                    .body_html(root, config)
                    .map_err(|d| Error::Input(crate::Diagnostics::new(vec![d])))?;
                Ok(record(a, &body, config, extra))
            },
        )
        .collect()
}

/// The record of article `a` whose rendered body is `body`.
///
/// The content is the body's text, then (weighted as a title is) the
/// title, names and tags, then the forms of every word that Arabic
/// search needs and the index would not have (`normalise::Extra`), at a
/// low weight. The search page
/// shows excerpts from the body alone: its length is in `meta.b`.
pub fn record(a: &Article, body: &str, config: &Config, extra: &mut normalise::Extra) -> Record {
    let m = &a.meta;
    let text = plain_text(body);
    let mut content = String::with_capacity(text.len() * 3 / 2 + 256);
    content.push_str(&text);
    let body_len = content.encode_utf16().count();
    let mut names = vec![m.title.as_str()];
    names.extend(m.authors.iter().map(String::as_str));
    names.extend(m.source.as_ref().map(|s| s.name.as_str()));
    names.extend(m.tags.iter().map(String::as_str));
    content.push_str(" ___PAGEFIND_WEIGHT___5 ");
    for n in &names {
        content.push_str(n);
        content.push(' ');
    }
    content.push_str("___END_PAGEFIND_WEIGHT___ ___PAGEFIND_WEIGHT___0.5 ");
    let mut seen = rustc_hash::FxHashSet::default();
    for word in text
        .split(' ')
        .chain(names.iter().flat_map(|n| n.split_whitespace()))
    {
        if !seen.insert(word) {
            continue;
        }
        for form in extra.of(word) {
            content.push_str(form);
            content.push(' ');
        }
    }
    content.push_str("___END_PAGEFIND_WEIGHT___");

    let style = &config.date_style;
    let mut meta = BTreeMap::new();
    meta.insert("title".to_owned(), m.title.clone());
    meta.insert("date".to_owned(), style.long(&m.date));
    if let Some(s) = &m.source {
        meta.insert("source".to_owned(), s.name.clone());
    }
    meta.insert("b".to_owned(), body_len.to_string());
    if a.lang != config.language {
        meta.insert("lang".to_owned(), a.lang.clone());
    }
    let mut filters = BTreeMap::new();
    let year = chrono::Datelike::year(&m.date).to_string();
    filters.insert("year".to_owned(), vec![year]);
    if !m.tags.is_empty() {
        filters.insert("tag".to_owned(), m.tags.clone());
    }
    if !m.authors.is_empty() {
        filters.insert("author".to_owned(), m.authors.clone());
    }
    if let Some(s) = &m.source {
        filters.insert("source".to_owned(), vec![s.name.clone()]);
    }
    let mut sort = BTreeMap::new();
    // Seconds since 1970, zero-padded: ordered as numbers and as text.
    sort.insert(
        "date".to_owned(),
        format!("{:012}", m.date.timestamp().max(0)),
    );
    let href = config.base_url.href(&a.url);
    let url = href[config.base_url.path().len() - 1..].to_owned();
    Record {
        url,
        content,
        meta,
        filters,
        sort,
    }
}

/// The text of rendered HTML: tags out, entities decoded, whitespace
/// made single spaces.
pub fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    let mut space = true;
    let push = |out: &mut String, s: &str, space: &mut bool| {
        for c in s.chars() {
            if c.is_whitespace() {
                if !*space {
                    out.push(' ');
                    *space = true;
                }
            } else {
                out.push(c);
                *space = false;
            }
        }
    };
    while let Some(i) = rest.find(['<', '&']) {
        push(&mut out, &rest[..i], &mut space);
        rest = &rest[i..];
        if rest.starts_with('<') {
            let end = rest.find('>').map_or(rest.len(), |e| e + 1);
            // Words on both sides of a tag stay apart only where the tag
            // breaks the line; inline tags (`<em>`) join them.
            let tag = &rest[1..end.saturating_sub(1)];
            let name = tag.trim_start_matches('/');
            let name = &name[..name.find([' ', '/', '>']).unwrap_or(name.len())];
            if !matches!(
                name,
                "a" | "em"
                    | "strong"
                    | "b"
                    | "i"
                    | "code"
                    | "span"
                    | "sup"
                    | "sub"
                    | "del"
                    | "mark"
                    | "bdi"
            ) {
                push(&mut out, " ", &mut space);
            }
            rest = &rest[end..];
        } else {
            let end = rest.find(';').filter(|&e| e <= 10);
            let decoded = end.and_then(|e| entity(&rest[1..e]));
            match (end, decoded) {
                (Some(e), Some(c)) => {
                    push(&mut out, c.encode_utf8(&mut [0; 4]), &mut space);
                    rest = &rest[e + 1..];
                }
                _ => {
                    push(&mut out, "&", &mut space);
                    rest = &rest[1..];
                }
            }
        }
    }
    push(&mut out, rest, &mut space);
    while out.ends_with(' ') {
        out.pop();
    }
    out
}

fn entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        _ => {
            let n = name.strip_prefix('#')?;
            let code = match n.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => n.parse().ok()?,
            };
            char::from_u32(code)?
        }
    })
}

/// The index's parts: `articles` (published, in the index's order, newest
/// first) cut into parts of `size` counted from the oldest, the newest
/// part taking the rest (up to `2 × size − 1` articles); numbered from
/// the oldest, part `i` under `pagefind/i/`.
///
/// Pagefind holds every word of an index in memory while it builds it:
/// parts, made one after another from their own records, bound the
/// build's memory however large the archive, and the search page searches
/// them all. Counted from the oldest, a part keeps its articles when
/// newer ones come: an article added changes the newest part alone (until
/// it holds two parts' worth and is cut in two), an article changed its
/// own part, and an incremental build makes those parts alone.
pub fn parts<T>(articles: &[T], size: usize) -> Vec<&[T]> {
    let n = articles.len();
    let count = (n / size.max(1)).max(usize::from(n > 0));
    (0..count)
        .map(|i| {
            let end = n - i * size;
            let start = if i + 1 == count { 0 } else { end - size };
            &articles[start..end]
        })
        .collect()
}

/// `pagefind/parts.json`: how many parts the index has.
pub fn parts_file(count: usize) -> (String, Vec<u8>) {
    (
        format!("{DIR}/{PARTS}"),
        format!("{{\"parts\":{count}}}\n").into_bytes(),
    )
}

/// Part `i` of the index, of `articles`: its files by path under the
/// output (`pagefind/i/…`).
pub fn part_files(
    i: usize,
    articles: &[Arc<Article>],
    root: &Path,
    config: &Config,
) -> Result<Vec<(String, Vec<u8>)>> {
    let language = config.language.split(['-', '_']).next().unwrap_or_default();
    let records = records(articles, root, config)?;
    index_part(records, language, &format!("{DIR}/{i}"))
}

/// One Pagefind index of `records`, its files under `prefix`.
fn index_part(
    records: Vec<Record>,
    language: &str,
    prefix: &str,
) -> Result<Vec<(String, Vec<u8>)>> {
    let failed = |e: String| {
        Error::Input(crate::Diagnostics::new(vec![Diagnostic::global(format!(
            "the search index could not be made: {e}"
        ))]))
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Io {
            action: "cannot start",
            path: "the search indexer".into(),
            source: e,
        })?;
    let files = runtime.block_on(async move {
        let options = pagefind::options::PagefindServiceConfig::builder()
            .force_language(language.to_owned())
            .build();
        let mut pf = pagefind::api::PagefindIndex::new(Some(options))?;
        for r in records {
            pf.add_custom_record(
                r.url,
                r.content,
                language.to_owned(),
                Some(r.meta),
                Some(r.filters),
                Some(r.sort),
            )
            .await?;
        }
        pf.get_files().await
    });
    let files = files.map_err(|e| failed(e.to_string()))?;
    Ok(files
        .into_iter()
        .filter_map(|f| {
            let rel = f.filename.to_string_lossy().replace('\\', "/");
            let stem = rel.split('.').next().unwrap_or("");
            let unused = UNUSED.contains(&stem) || rel.starts_with("playground/");
            (!unused).then(|| (format!("{prefix}/{rel}"), f.contents))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_counted_from_the_oldest() {
        // Newest first: 6 is the oldest.
        let articles: Vec<u32> = (0..7).collect();
        let parts = |a: &[u32], size| -> Vec<Vec<u32>> {
            parts(a, size).iter().map(|p| p.to_vec()).collect()
        };
        assert_eq!(parts(&articles, 2), [vec![5, 6], vec![3, 4], vec![0, 1, 2]]);
        assert_eq!(parts(&articles, 3), [vec![4, 5, 6], vec![0, 1, 2, 3]]);
        assert_eq!(parts(&articles, 7), [(0..7).collect::<Vec<_>>()]);
        assert_eq!(parts(&articles, 10), [(0..7).collect::<Vec<_>>()]);
        assert!(parts(&[], 2).is_empty());
        // A newer article changes the newest part alone, until it holds
        // two parts' worth.
        let newer: Vec<u32> = std::iter::once(9).chain(0..7).collect();
        assert_eq!(
            parts(&newer, 2),
            [vec![5, 6], vec![3, 4], vec![1, 2], vec![9, 0]]
        );
        assert_eq!(parts(&newer, 3), [vec![4, 5, 6], vec![9, 0, 1, 2, 3]]);
    }

    #[test]
    fn plain_text_of_html() {
        assert_eq!(
            plain_text(
                "<p>قمة <em>COP</em>28 في دبي&nbsp;&amp; أبوظبي</p>\n<h2 id=\"x\">خلفية</h2><p>a&lt;b &#1575; &bogus</p>"
            ),
            "قمة COP28 في دبي & أبوظبي خلفية a<b ا &bogus"
        );
    }
}
