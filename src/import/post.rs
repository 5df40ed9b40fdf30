//! A post of another generator, read from its file, and how its front
//! matter becomes arshif's: keys other tools use are mapped to arshif's
//! (`categories` → `tags`, `lastmod` → `updated`), everything else is kept
//! under `extra` so nothing is lost.

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};
use serde_yaml::{Mapping, Value};

/// A post as another generator has it.
#[derive(Debug, Clone)]
pub struct Post {
    /// The file it was read from (for messages and relative links).
    pub file: PathBuf,
    /// Its front matter as written, in order.
    pub meta: Mapping,
    /// Markdown.
    pub body: String,
    /// From a dated file name (`2014-11-11-title.md`).
    pub file_date: Option<NaiveDate>,
    /// The file name without its date and extension; a bundle's folder
    /// name for `index.md`.
    pub file_slug: String,
    /// Where the old site served it, from its root: `/2014/11/11/title.html`.
    pub old_url: Option<String>,
    /// Unpublished where it came from (Jekyll's `_drafts`, a WordPress draft).
    pub draft: bool,
    /// A language from the file name (`post.fa.md`).
    pub lang: Option<String>,
    /// Tag strings split on spaces (Jekyll), else on commas.
    pub space_separated_tags: bool,
    /// Which post of the file it is, when a file holds many (WordPress).
    pub label: Option<String>,
}

impl Post {
    /// The post as messages name it, from the old site's root.
    pub fn shown(&self, root: &Path) -> String {
        let file = shown(root, &self.file);
        match &self.label {
            Some(label) => format!("{file} ({label})"),
            None => file,
        }
    }
}

/// Splits a file into front matter and body: YAML between `---` lines,
/// TOML between `+++` lines, or a JSON object. `Ok(None)` when there is
/// none.
pub fn split(text: &str) -> Result<Option<(Mapping, String)>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = text.replace("\r\n", "\n");
    type Parse = fn(&str) -> Result<Mapping, String>;
    let (fence, parse): (&str, Parse) = if text.starts_with("---\n") {
        ("---", yaml_map)
    } else if text.starts_with("+++\n") {
        ("+++", toml_map)
    } else if text.starts_with('{') {
        return json_front_matter(&text).map(Some);
    } else {
        return Ok(None);
    };
    let rest = &text[fence.len() + 1..];
    let mut at = 0;
    for line in rest.split_inclusive('\n') {
        let l = line.trim_end();
        if l == fence || (fence == "---" && l == "...") {
            let meta = parse(&rest[..at])?;
            let body = rest[at + line.len()..].trim_start_matches('\n');
            return Ok(Some((meta, body.to_owned())));
        }
        at += line.len();
    }
    Err(format!(
        "the front matter that starts with `{fence}` never ends"
    ))
}

fn yaml_map(text: &str) -> Result<Mapping, String> {
    if text.trim().is_empty() {
        return Ok(Mapping::new());
    }
    match serde_yaml::from_str::<Value>(text) {
        Ok(Value::Mapping(m)) => Ok(m),
        Ok(Value::Null) => Ok(Mapping::new()),
        Ok(_) => Err("its YAML front matter is not a map of keys".into()),
        Err(e) => Err(format!("its YAML front matter cannot be read: {e}")),
    }
}

fn toml_map(text: &str) -> Result<Mapping, String> {
    let table: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| format!("its TOML front matter cannot be read: {e}"))?;
    match toml_value(toml::Value::Table(table)) {
        Value::Mapping(m) => Ok(m),
        _ => unreachable!("a table is a map"),
    }
}

/// TOML as YAML values; dates become their text, as YAML has them.
pub fn toml_value(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => s.into(),
        toml::Value::Integer(i) => i.into(),
        toml::Value::Float(f) => f.into(),
        toml::Value::Boolean(b) => b.into(),
        toml::Value::Datetime(d) => d.to_string().into(),
        toml::Value::Array(a) => Value::Sequence(a.into_iter().map(toml_value).collect()),
        toml::Value::Table(t) => Value::Mapping(
            t.into_iter()
                .map(|(k, v)| (Value::String(k), toml_value(v)))
                .collect(),
        ),
    }
}

/// Hugo's JSON front matter: an object at the top, then the body.
fn json_front_matter(text: &str) -> Result<(Mapping, String), String> {
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<serde_json::Value>();
    let value = stream
        .next()
        .ok_or("no front matter")?
        .map_err(|e| format!("its JSON front matter cannot be read: {e}"))?;
    let body = text[stream.byte_offset()..].trim_start().to_owned();
    match serde_yaml::to_value(value) {
        Ok(Value::Mapping(m)) => Ok((m, body)),
        _ => Err("its JSON front matter is not an object".into()),
    }
}

/// `2014-11-11-title.md` → the date and `title`; Zola also takes `_`.
pub fn dated_name(stem: &str) -> (Option<NaiveDate>, &str) {
    if stem.len() > 11
        && stem.is_char_boundary(10)
        && matches!(stem.as_bytes()[10], b'-' | b'_')
        && let Ok(date) = NaiveDate::parse_from_str(&stem[..10], "%Y-%m-%d")
    {
        return (Some(date), &stem[11..]);
    }
    (None, stem)
}

/// Where a key of another generator goes in arshif's front matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Goes {
    Title,
    Date,
    Updated,
    Author,
    Source,
    SourceUrl,
    Tags,
    Summary,
    Image,
    Draft,
    Published,
    Slug,
    Lang,
    Aliases,
    /// The old address (`url`, `permalink`, `path`), read by the generator.
    OldUrl,
    /// Zola's `[taxonomies]` and `[extra]`, opened up.
    Taxonomies,
    Extra,
}

/// The keys other generators use, lower-cased, and where each goes.
pub fn goes(key: &str) -> Goes {
    match key.to_lowercase().as_str() {
        "title" => Goes::Title,
        "date" | "publishdate" | "pubdate" | "published_at" | "created" | "created_at" => {
            Goes::Date
        }
        "updated" | "lastmod" | "modified" | "last_modified_at" | "last_modified"
        | "updated_at" | "modified_at" => Goes::Updated,
        "author" | "authors" | "writer" | "by" => Goes::Author,
        "source" => Goes::Source,
        "source_url" => Goes::SourceUrl,
        "tags" | "tag" | "categories" | "category" => Goes::Tags,
        "summary" | "description" | "excerpt" | "abstract" => Goes::Summary,
        "image" | "images" | "featured_image" | "featuredimage" | "featureimage"
        | "feature_image" | "feature" | "cover" | "coverimage" | "cover_image" | "thumbnail"
        | "thumb" | "banner" | "hero" | "heroimage" | "hero_image" | "header" | "og_image"
        | "teaser" => Goes::Image,
        "draft" => Goes::Draft,
        "published" => Goes::Published,
        "slug" => Goes::Slug,
        "lang" | "language" | "locale" => Goes::Lang,
        "aliases" | "redirect_from" => Goes::Aliases,
        "url" | "permalink" | "path" => Goes::OldUrl,
        "taxonomies" => Goes::Taxonomies,
        _ => Goes::Extra,
    }
}

/// A value as one line of text, if it is a scalar.
pub fn text(v: &Value) -> Option<String> {
    let s = match v {
        Value::String(s) => s.trim().to_owned(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Tagged(t) => return text(&t.value),
        _ => return None,
    };
    (!s.is_empty()).then_some(s)
}

/// Names from a name, a list of names, `{name: …}` or a list of those.
pub fn names(v: &Value, split_spaces: bool) -> Vec<String> {
    match v {
        Value::Sequence(items) => items.iter().flat_map(|i| names(i, false)).collect(),
        Value::Mapping(m) => m
            .get("name")
            .or_else(|| m.get("display_name"))
            .and_then(text)
            .into_iter()
            .collect(),
        other => match text(other) {
            Some(s) if split_spaces => s.split_whitespace().map(str::to_owned).collect(),
            Some(s) => s
                .split([',', '،'])
                .map(|n| n.trim().to_owned())
                .filter(|n| !n.is_empty())
                .collect(),
            None => Vec::new(),
        },
    }
}

/// An image from a path, a list (the first), or a map such as Hugo's
/// `cover: {image: …, alt: …}` and Minimal Mistakes' `header: {teaser: …}`.
pub fn image(v: &Value) -> Option<(String, Option<String>, Option<String>)> {
    match v {
        Value::Sequence(items) => items.iter().find_map(image),
        Value::Mapping(m) => {
            let src = [
                "src",
                "image",
                "url",
                "path",
                "teaser",
                "overlay_image",
                "file",
            ]
            .iter()
            .find_map(|k| m.get(*k).and_then(text))?;
            let caption = ["caption", "title"]
                .iter()
                .find_map(|k| m.get(*k).and_then(text));
            let alt = m.get("alt").and_then(text);
            Some((src, caption, alt))
        }
        other => text(other).map(|s| (s, None, None)),
    }
}

/// A date as other generators write it, in the site's timezone when it
/// has no offset.
pub fn date(v: &Value, tz: FixedOffset) -> Result<DateTime<FixedOffset>, String> {
    let s = text(v).ok_or("it is not a date")?;
    crate::date::parse(&s, tz).or_else(|e| {
        DateTime::parse_from_rfc3339(&s.replace(' ', "T"))
            .or_else(|_| DateTime::parse_from_rfc2822(&s))
            .ok()
            .or_else(|| spelled_date(&s, tz))
            .ok_or(e)
    })
}

/// `18 Dec 2014`, `December 18, 2014 10:30`: dates as Ruby's `Time.parse`
/// (and so Jekyll) takes them, without an offset.
fn spelled_date(s: &str, tz: FixedOffset) -> Option<DateTime<FixedOffset>> {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    for date in [
        "%d %b %Y",
        "%d %B %Y",
        "%b %d, %Y",
        "%B %d, %Y",
        "%Y/%m/%d",
        "%d/%m/%Y",
    ] {
        for time in ["", " %H:%M", " %H:%M:%S"] {
            let format = format!("{date}{time}");
            let naive = if time.is_empty() {
                NaiveDate::parse_from_str(&s, &format)
                    .ok()
                    .map(|d| d.and_time(chrono::NaiveTime::MIN))
            } else {
                chrono::NaiveDateTime::parse_from_str(&s, &format).ok()
            };
            if let Some(n) = naive {
                return tz.from_local_datetime(&n).single();
            }
        }
    }
    None
}

/// Whether a date was written with a time of day (`2016-05-27 20:10`),
/// which pages then show.
pub fn has_time(v: &Value) -> bool {
    text(v).is_some_and(|s| s.contains(':'))
}

/// A date as arshif's front matter writes it: with its time and offset
/// when it had a time, else the bare day.
pub fn written(d: DateTime<FixedOffset>, timed: bool) -> String {
    if timed {
        d.to_rfc3339()
    } else {
        d.format("%Y-%m-%d").to_string()
    }
}

/// Midnight of a file name's date, in the site's timezone.
pub fn midnight(d: NaiveDate, tz: FixedOffset) -> DateTime<FixedOffset> {
    tz.from_local_datetime(&d.and_time(chrono::NaiveTime::MIN))
        .single()
        .expect("a fixed offset has every local time")
}

/// Whether a text is a language tag (`ar`, `fa-IR`), not a name.
pub fn is_language_tag(s: &str) -> bool {
    let mut parts = s.split(['-', '_']);
    parts
        .next()
        .is_some_and(|p| (2..=3).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphabetic()))
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// A file's path relative to `root`, for messages and reports.
pub fn shown(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_yaml_toml_and_json_front_matter() {
        let (m, body) = split("---\ntitle: أ\ntags: a b\n---\n\nنص\n")
            .unwrap()
            .unwrap();
        assert_eq!(m.get("title").and_then(text).as_deref(), Some("أ"));
        assert_eq!(body, "نص\n");
        let (m, body) = split("+++\ntitle = \"ب\"\ndate = 2020-01-02T10:00:00+03:00\n[taxonomies]\ntags = [\"x\"]\n+++\nنص\n")
            .unwrap()
            .unwrap();
        assert_eq!(
            m.get("date").and_then(text).as_deref(),
            Some("2020-01-02T10:00:00+03:00")
        );
        assert!(m.get("taxonomies").is_some_and(Value::is_mapping));
        assert_eq!(body, "نص\n");
        let (m, body) = split("{\"title\": \"ج\"}\n\nنص").unwrap().unwrap();
        assert_eq!(m.get("title").and_then(text).as_deref(), Some("ج"));
        assert_eq!(body, "نص");
        assert!(split("no front matter").unwrap().is_none());
        assert!(split("---\ntitle: x\n").is_err());
        assert!(split("+++\ntitle = \n+++\n").is_err());
    }

    #[test]
    fn dated_names() {
        let d = NaiveDate::from_ymd_opt(2014, 11, 11);
        assert_eq!(dated_name("2014-11-11-title"), (d, "title"));
        assert_eq!(dated_name("2014-11-11_title"), (d, "title"));
        assert_eq!(dated_name("2014-11-title"), (None, "2014-11-title"));
        assert_eq!(dated_name("عنوان"), (None, "عنوان"));
    }

    #[test]
    fn names_and_images_in_the_shapes_generators_write() {
        let v = |s: &str| serde_yaml::from_str::<Value>(s).unwrap();
        assert_eq!(names(&v("a b c"), true), ["a", "b", "c"]);
        assert_eq!(names(&v("سياسة، اقتصاد"), false), ["سياسة", "اقتصاد"]);
        assert_eq!(
            names(&v("[{name: هوين لو}, سارة]"), false),
            ["هوين لو", "سارة"]
        );
        assert_eq!(
            image(&v("{image: a.jpg, alt: بديل}")),
            Some(("a.jpg".into(), None, Some("بديل".into())))
        );
        assert_eq!(image(&v("[b.png, c.png]")).unwrap().0, "b.png");
        assert!(is_language_tag("fa-IR") && !is_language_tag("فارسی"));
        let tz = FixedOffset::east_opt(3600).unwrap();
        for (written, want) in [
            ("18 Dec 2014", "2014-12-18T00:00:00+01:00"),
            ("December 18, 2014 10:30", "2014-12-18T10:30:00+01:00"),
            (
                "Thu, 18 Dec 2014 10:30:00 +0000",
                "2014-12-18T10:30:00+00:00",
            ),
            ("2014-12-18T10:30:00.000Z", "2014-12-18T10:30:00+00:00"),
        ] {
            assert_eq!(
                date(&v(written), tz).unwrap().to_rfc3339(),
                want,
                "{written}"
            );
        }
    }
}
