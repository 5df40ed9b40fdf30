//! Raw text articles as scraped from a news site: one article per file,
//! paragraphs one per line, with the page's furniture (ad markers, "source
//! link", comment counters) mixed in and the byline at the end.

use std::sync::LazyLock;

use chrono::{DateTime, FixedOffset};
use regex_lite::Regex;

/// What a raw article says about itself, and its cleaned paragraphs.
#[derive(Debug, Default, PartialEq)]
pub struct RawArticle {
    /// From a short first line, else the first sentence.
    pub title: String,
    pub author: Option<String>,
    pub source: Option<String>,
    /// A photo's caption and credit (`… تصوير: وكالة فرانس برس`).
    pub caption: Option<(String, String)>,
    pub paragraphs: Vec<String>,
    /// Lines of page furniture left out, as they were.
    pub dropped: Vec<String>,
}

/// Lines that are the page around the article, not the article.
static FURNITURE: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        r"^\[(إعلان|اعلان|advertisement|ad)\s*\d*\]$",
        r"^(إعلان|اعلان|advertisement)$",
        r"^(رابط المصدر|المصدر الأصلي|source link)$",
        r"^(تعليق|تعليقات|comments?)\s*\(\d+\)$",
        r"^(شارك|مشاركة|share)( (على|via) .*)?$",
        r"^(اقرأ أيضا|اقرأ أيضاً|read more|read also)[:：]?$",
    ]
    .iter()
    .map(|p| Regex::new(&format!("(?i){p}")).expect("a valid pattern"))
    .collect()
});

/// `هوين لو (بحسب رويترز)`, `Huyen Lo (via Reuters)`, `هوين لو - رويترز`.
static BYLINE: LazyLock<[Regex; 3]> = LazyLock::new(|| {
    [
        Regex::new(
            r"^(.{2,60}?)\s*\((?:بحسب|حسب|نقلا عن|نقلاً عن|عن|via|according to)\s+(.{2,60}?)\s*\)$",
        ),
        Regex::new(r"^([^.؟?!:]{2,40}?)\s+[-–—]\s+([^.؟?!:]{2,40})$"),
        Regex::new(r"^(?:المصدر|source)\s*[:：]\s*(.{2,60})$"),
    ]
    .map(|r| r.expect("a valid pattern"))
});

/// Reads the text of a raw article.
pub fn read(text: &str) -> Result<RawArticle, String> {
    let mut article = RawArticle::default();
    let mut lines: Vec<String> = Vec::new();
    for line in text.lines().map(normalise).filter(|l| !l.is_empty()) {
        if FURNITURE.iter().any(|r| r.is_match(&line)) {
            article.dropped.push(line);
        } else {
            lines.push(line);
        }
    }
    // The byline: the last line, when it is one.
    if let Some(last) = lines.last() {
        if let Some(c) = BYLINE[0]
            .captures(last)
            .or_else(|| BYLINE[1].captures(last))
        {
            article.author = Some(c[1].trim().to_owned());
            article.source = Some(c[2].trim().to_owned());
            lines.pop();
        } else if let Some(c) = BYLINE[2].captures(last) {
            article.source = Some(c[1].trim().to_owned());
            lines.pop();
        }
    }
    // A photo's caption: "… تصوير: CREDIT" on a line of its own.
    if let Some(i) = lines.iter().position(|l| credit_split(l).is_some()) {
        let (caption, credit) = credit_split(&lines[i]).expect("found above");
        article.caption = Some((caption, credit));
        lines.remove(i);
    }
    let first = lines.first().ok_or("there is no text in it")?;
    let short = first.chars().count() <= 90 && !first.ends_with(['.', '؟', '?', '!', ':']);
    article.title = if short && lines.len() > 1 {
        lines.remove(0)
    } else {
        first_sentence(first)
    };
    article.paragraphs = lines;
    if article.paragraphs.is_empty() {
        return Err("it has a title but no text".into());
    }
    Ok(article)
}

fn credit_split(line: &str) -> Option<(String, String)> {
    let (caption, credit) = line
        .split_once("تصوير:")
        .or_else(|| line.split_once("صورة:"))?;
    let credit = credit.trim().trim_end_matches('.').trim();
    let caption = caption.trim().trim_end_matches(['.', '-', '–', '|']).trim();
    (!credit.is_empty() && credit.chars().count() <= 60)
        .then(|| (caption.to_owned(), credit.to_owned()))
}

/// The first sentence of `line`, cut at a word near 120 letters if longer.
fn first_sentence(line: &str) -> String {
    let end = line
        .char_indices()
        .find(|(_, c)| matches!(c, '.' | '؟' | '?' | '!'))
        .map_or(line.len(), |(i, _)| i);
    crate::text::truncate(line[..end].trim(), 120)
}

/// One line with its spaces made single and none before punctuation.
fn normalise(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for word in line.split_whitespace() {
        let glued = word.starts_with([')', '»', '،', '.', ',', '؛', ';', ':', '؟', '?', '!']);
        if !out.is_empty() && !glued {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// A publication date written in the text: `2023-09-19`, with a time and
/// an offset or not (the newsroom's `tz` then).
pub fn date_in(text: &str, tz: FixedOffset) -> Option<DateTime<FixedOffset>> {
    static ISO: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:\d{2})?)?\b")
            .expect("a valid pattern")
    });
    ISO.find_iter(text)
        .find_map(|m| crate::date::parse(m.as_str(), tz).ok())
}

/// Markdown for a paragraph of plain text: what Markdown would read as
/// markup is escaped.
pub fn escape_markdown(paragraph: &str) -> String {
    let mut out = String::with_capacity(paragraph.len());
    for c in paragraph.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    // A line that starts like a list item is not one.
    if out.starts_with(['-', '+']) {
        return format!("\\{out}");
    }
    let digits = out.len() - out.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits > 0 && out[digits..].starts_with(['.', ')']) {
        out.insert(digits, '\\');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_gives_its_byline_caption_and_text() {
        let text = include_str!("../../bench/raw-article.ar.txt");
        let a = read(text).unwrap();
        assert_eq!(a.author.as_deref(), Some("هوين لو"));
        assert_eq!(a.source.as_deref(), Some("رويترز"));
        assert_eq!(
            a.caption,
            Some((
                "الرئيس الروسي فلاديمير بوتن في سانت بطرسبرغ، 29 يوليو/تموز".into(),
                "وكالة فرانس برس".into()
            ))
        );
        assert!(
            a.title
                .starts_with("من المقرر أن يزور الرئيس الروسي فلاديمير بوتن بكين")
        );
        assert!(!a.title.ends_with('.'));
        assert_eq!(a.dropped, ["[إعلان 2]", "رابط المصدر", "تعليق (0)"]);
        let body = a.paragraphs.join("\n");
        for gone in ["إعلان", "رابط المصدر", "تعليق (0)", "تصوير", "بحسب رويترز"]
        {
            assert!(!body.contains(gone), "{gone}");
        }
        assert_eq!(
            a.paragraphs.len(),
            11,
            "every paragraph kept, the first too"
        );
    }

    #[test]
    fn a_short_first_line_is_the_title_and_latin_bylines_are_read() {
        let a = read(
            "Putin to visit Beijing\nThe Russian president will go.\nHuyen Lo (via Reuters )\n",
        )
        .unwrap();
        assert_eq!(a.title, "Putin to visit Beijing");
        assert_eq!(a.paragraphs, ["The Russian president will go."]);
        assert_eq!(
            (a.author.as_deref(), a.source.as_deref()),
            (Some("Huyen Lo"), Some("Reuters"))
        );
        let b = read("عنوان\nنص .\nالمصدر: الجزيرة\n").unwrap();
        assert_eq!((b.author, b.source.as_deref()), (None, Some("الجزيرة")));
        assert_eq!(b.paragraphs, ["نص."], "no space before punctuation");
        assert!(read("\n[إعلان 1]\n").is_err());
    }

    #[test]
    fn text_that_looks_like_markup_stays_text() {
        assert_eq!(
            escape_markdown("1. بند *مهم* <b>"),
            "1\\. بند \\*مهم\\* \\<b\\>"
        );
        assert_eq!(escape_markdown("- ليس بندا"), "\\- ليس بندا");
        assert_eq!(escape_markdown("# ليس عنوانا"), "\\# ليس عنوانا");
    }
}
