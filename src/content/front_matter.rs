//! Front matter: the YAML block between `---` lines at the top of an article,
//! split off the body and read into a typed `FrontMatter`.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use serde_yaml::Value;

use crate::diagnostics::Span;
use crate::yaml::{self, Entry, Problem};

/// The YAML text and body of an article, with the file lines they start on.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    pub yaml: &'a str,
    pub yaml_line: usize,
    pub body: &'a str,
    pub body_line: usize,
}

fn is_fence(line: &str) -> bool {
    line.trim_end() == "---"
}

/// Splits `text` (LF line ends) into front matter and body.
pub fn split(text: &str) -> Result<Split<'_>, Problem> {
    let first = text.lines().next().unwrap_or("");
    if !is_fence(first) {
        return Err(Problem::new(Span::new(1, 1), "no front matter").help(
            "start the file with a line `---`, then at least `title:` and `date:`, then another line `---`",
        ));
    }
    let yaml_start = text.find('\n').map_or(text.len(), |i| i + 1);
    let mut offset = yaml_start;
    for (line, l) in (2..).zip(text[yaml_start..].split_inclusive('\n')) {
        if is_fence(l) || l.trim_end() == "..." {
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_line: 2,
                body: &text[offset + l.len()..],
                body_line: line + 1,
            });
        }
        offset += l.len();
    }
    Err(Problem::new(
        Span::new(1, 1),
        "the front matter opened here is never closed",
    )
    .help("add a line `---` after the last front-matter key, before the article text"))
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Source {
    pub name: String,
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Image {
    pub src: String,
    pub caption: Option<String>,
    pub credit: Option<String>,
    pub alt: Option<String>,
    pub span: Span,
}

/// Validated front matter. Dates are `DateTime`s, never strings.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FrontMatter {
    pub title: String,
    pub date: DateTime<FixedOffset>,
    pub updated: Option<DateTime<FixedOffset>>,
    /// Whether `date` and `updated` were written with a time of day, so
    /// pages show it (a bare `2023-09-19` has none to show).
    pub date_timed: bool,
    pub updated_timed: bool,
    pub authors: Vec<String>,
    pub source: Option<Source>,
    pub tags: Vec<String>,
    pub slug: Option<(String, Span)>,
    pub summary: Option<String>,
    pub image: Option<Image>,
    pub draft: bool,
    pub lang: Option<String>,
    /// Old addresses of the article, each given a page that redirects here.
    pub aliases: Vec<crate::url::UrlPath>,
    #[serde(with = "json_text")]
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// Where each key's value stands, for problems found later (a tag
    /// without letters, a missing image).
    pub spans: BTreeMap<String, Span>,
}

/// `extra` as JSON text in a build's cache, whose compact format cannot
/// hold values of any type.
mod json_text {
    use serde::{Deserialize, Deserializer, Serializer};

    type Map = serde_json::Map<String, serde_json::Value>;

    pub fn serialize<S: Serializer>(map: &Map, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&serde_json::to_string(map).map_err(serde::ser::Error::custom)?)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Map, D::Error> {
        let text = String::deserialize(d)?;
        serde_json::from_str(&text).map_err(serde::de::Error::custom)
    }
}

pub const KEYS: [&str; 14] = [
    "title",
    "date",
    "updated",
    "author",
    "source",
    "source_url",
    "tags",
    "slug",
    "summary",
    "image",
    "draft",
    "lang",
    "aliases",
    "extra",
];

/// Keys other generators use for what arshif has, with the help to give.
const SYNONYMS: &[(&str, &str)] = &[
    ("categories", "arshif calls them `tags`"),
    ("category", "arshif calls them `tags`"),
    ("keywords", "arshif calls them `tags`"),
    ("authors", "write `author:`, with one name or a list"),
    ("excerpt", "arshif calls it `summary`"),
    ("description", "arshif calls it `summary`"),
    ("lastmod", "arshif calls it `updated`"),
    ("modified", "arshif calls it `updated`"),
    ("last_modified_at", "arshif calls it `updated`"),
    ("thumbnail", "arshif calls it `image`"),
    ("cover", "arshif calls it `image`"),
    ("coverImage", "arshif calls it `image`"),
    ("cover_image", "arshif calls it `image`"),
    ("featureImage", "arshif calls it `image`"),
    ("featured_image", "arshif calls it `image`"),
    ("feature_image", "arshif calls it `image`"),
    (
        "published",
        "write `draft: true` for an article not to publish",
    ),
    (
        "permalink",
        "arshif makes the address from the date and `slug:`",
    ),
    ("url", "arshif makes the address from the date and `slug:`"),
    ("layout", "every article uses templates/article.html"),
    ("template", "every article uses templates/article.html"),
];

/// Reads the YAML of a split article, or every problem it has.
#[cfg(test)]
pub fn parse(split: &Split<'_>, tz: FixedOffset) -> Result<FrontMatter, Vec<Problem>> {
    match read(split, tz) {
        (Some(fm), problems) if problems.is_empty() => Ok(fm),
        (_, problems) => Err(problems),
    }
}

/// Reads the YAML of a split article as far as it can: the front matter
/// whenever its title and date are readable, with every problem found, so
/// that the article's other problems (its slug, image, links) can be
/// reported in the same run.
pub fn read(split: &Split<'_>, tz: FixedOffset) -> (Option<FrontMatter>, Vec<Problem>) {
    let entries = match yaml::parse_map(split.yaml, split.yaml_line) {
        Ok(entries) => entries,
        Err(p) => return (None, vec![p]),
    };
    let keys = yaml::Keys {
        names: &KEYS,
        synonyms: SYNONYMS,
        otherwise: Some(
            "Or keep it under `extra:` (`extra: {key: value}`), where templates read it as `article.extra.key`",
        ),
    };
    let mut problems = yaml::unknown_keys(&entries, &keys, "front matter");
    problems.extend(entries.iter().filter_map(|e| {
        let c = yaml::control_char(&e.value)?;
        Some(
            Problem::new(
                e.value_span,
                format!(
                    "`{}` holds the control character U+{:04X}, which pages cannot show",
                    e.key, c as u32
                ),
            )
            .help("remove the escape that writes it (such as `\\a`, `\\e` or `\\u0007`)"),
        )
    }));
    let fm = Reader {
        entries: &entries,
        problems: &mut problems,
        tz,
    }
    .read();
    (fm, problems)
}

struct Reader<'a> {
    entries: &'a [Entry],
    problems: &'a mut Vec<Problem>,
    tz: FixedOffset,
}

impl Reader<'_> {
    fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.key == key)
    }

    fn fail(&mut self, e: &Entry, message: String, help: &str) {
        self.problems
            .push(Problem::new(e.value_span, message).help(help.to_owned()));
    }

    fn text(&mut self, key: &str, help: &str) -> Option<String> {
        let e = self.get(key)?.clone();
        match yaml::scalar_string(&e.value) {
            Some(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
            Some(_) => {
                self.fail(&e, format!("`{key}` is empty"), help);
                None
            }
            None if e.value.is_null() => {
                self.fail(&e, format!("`{key}` is empty"), help);
                None
            }
            None => {
                self.fail(
                    &e,
                    format!("`{key}` must be text, not {}", kind(&e.value)),
                    help,
                );
                None
            }
        }
    }

    /// A date, and whether a time of day was written with it.
    fn date(&mut self, key: &str) -> Option<(DateTime<FixedOffset>, bool)> {
        let help = "write the date as 2023-09-19, or with a time as 2023-09-19T14:30:00+03:00";
        let e = self.get(key)?.clone();
        let s = self.text(key, help)?;
        match crate::date::parse(&s, self.tz) {
            Ok(d) => Some((d, s.contains(':'))),
            Err(m) => {
                self.fail(&e, format!("`{key}`: {m}"), help);
                None
            }
        }
    }

    fn names(&mut self, key: &str, help: &str) -> Vec<String> {
        let Some(e) = self.get(key).cloned() else {
            return Vec::new();
        };
        match yaml::names(&e.value) {
            Some(names) => names,
            None => {
                self.fail(
                    &e,
                    format!(
                        "`{key}` must be a name or a list of names, not {}",
                        kind(&e.value)
                    ),
                    help,
                );
                Vec::new()
            }
        }
    }

    fn image(&mut self) -> Option<Image> {
        let help =
            "write `image: photo.jpg`, or `image: {src: photo.jpg, caption: ..., credit: ...}`";
        let e = self.get("image")?.clone();
        let field = |name: &str| match &e.value {
            Value::Mapping(m) => m
                .get(name)
                .and_then(yaml::scalar_string)
                .map(|s| s.trim().to_owned()),
            _ => None,
        };
        let src = match &e.value {
            Value::String(s) => Some(s.trim().to_owned()),
            Value::Mapping(m) => {
                let unknown: Vec<String> = m
                    .keys()
                    .filter_map(yaml::scalar_string)
                    .filter(|k| !["src", "caption", "credit", "alt"].contains(&k.as_str()))
                    .collect();
                for k in unknown {
                    self.fail(
                        &e,
                        format!("unknown key `{k}` in `image`"),
                        "an image has `src`, `caption`, `credit` and `alt`",
                    );
                }
                field("src")
            }
            _ => None,
        };
        match src.filter(|s| !s.is_empty()) {
            Some(src) => Some(Image {
                src,
                caption: field("caption").filter(|s| !s.is_empty()),
                credit: field("credit").filter(|s| !s.is_empty()),
                alt: field("alt").filter(|s| !s.is_empty()),
                span: e.value_span,
            }),
            None => {
                self.fail(&e, "`image` needs a `src`".into(), help);
                None
            }
        }
    }

    fn read(mut self) -> Option<FrontMatter> {
        let title = self.text("title", "e.g. `title: بوتين يزور بكين الشهر المقبل`");
        if self.get("title").is_none() {
            self.problems.push(
                Problem::new(Span::new(2, 1), "the article has no `title`")
                    .help("add a line `title: ...` to the front matter"),
            );
        }
        let date = self.date("date");
        if self.get("date").is_none() {
            self.problems.push(
                Problem::new(Span::new(2, 1), "the article has no `date`").help(
                    "add a line `date: 2023-09-19` (or with a time, 2023-09-19T14:30:00+03:00)",
                ),
            );
        }
        let updated = self.date("updated");
        let authors = self.names(
            "author",
            "e.g. `author: هوين لو` or `author: [هوين لو, سارة المصري]`",
        );
        let tags = self.names("tags", "e.g. `tags: [روسيا, الصين]`");
        let source_name = self.text("source", "e.g. `source: رويترز`");
        let source_url = self.text(
            "source_url",
            "e.g. `source_url: https://www.reuters.com/...`",
        );
        if let (Some(url), Some(e)) = (&source_url, self.get("source_url").cloned()) {
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                self.fail(
                    &e,
                    format!("`source_url` `{url}` is not an http(s) address"),
                    "write the full address, starting with https://",
                );
            } else if source_name.is_none() {
                self.fail(
                    &e,
                    "`source_url` without `source`".into(),
                    "add `source: ...` with the outlet's name",
                );
            }
        }
        let source = source_name.map(|name| Source {
            name,
            url: source_url,
        });
        let slug = self.get("slug").map(|e| e.value_span).and_then(|span| {
            self.text("slug", "e.g. `slug: putin-beijing-visit`")
                .map(|s| (s, span))
        });
        let summary = self.text("summary", "one or two plain sentences");
        let image = self.image();
        let draft = self.bool("draft");
        let lang = self.text("lang", "a language tag such as `ar` or `en`");
        let aliases = self.aliases();
        let extra = match self.get("extra").cloned() {
            None => serde_json::Map::new(),
            Some(e) => match yaml::to_json(&e.value) {
                serde_json::Value::Object(map) => map,
                serde_json::Value::Null => serde_json::Map::new(),
                other => {
                    self.fail(
                        &e,
                        format!("`extra` must be a map of keys, not {}", json_kind(&other)),
                        "e.g. `extra: {section: سياسة}`",
                    );
                    serde_json::Map::new()
                }
            },
        };
        Some(FrontMatter {
            title: title?,
            date: date?.0,
            date_timed: date?.1,
            updated: updated.map(|u| u.0),
            updated_timed: updated.is_some_and(|u| u.1),
            authors,
            source,
            tags,
            slug,
            summary,
            image,
            draft,
            lang,
            aliases,
            extra,
            spans: self
                .entries
                .iter()
                .map(|e| (e.key.clone(), e.value_span))
                .collect(),
        })
    }

    fn aliases(&mut self) -> Vec<crate::url::UrlPath> {
        let help = "old addresses from the site's root, e.g. `aliases: [/2016/05/old-slug/]`";
        let Some(e) = self.get("aliases").cloned() else {
            return Vec::new();
        };
        let Some(paths) = yaml::names(&e.value) else {
            self.fail(&e, "`aliases` must be a list of paths".into(), help);
            return Vec::new();
        };
        let mut aliases = Vec::new();
        for path in paths {
            match crate::url::UrlPath::alias(&path) {
                Ok(url) if !aliases.contains(&url) => aliases.push(url),
                Ok(_) => {}
                Err(m) => self.fail(&e, format!("`aliases`: {m}"), help),
            }
        }
        aliases
    }

    fn bool(&mut self, key: &str) -> bool {
        let Some(e) = self.get(key).cloned() else {
            return false;
        };
        match e.value {
            Value::Bool(b) => b,
            _ => {
                self.fail(
                    &e,
                    format!("`{key}` must be `true` or `false`"),
                    "e.g. `draft: true`",
                );
                false
            }
        }
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "empty",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a map",
        Value::Tagged(_) => "a tagged value",
    }
}

fn json_kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Array(_) => "a list",
        serde_json::Value::String(_) => "text",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::Bool(_) => "a boolean",
        _ => "something else",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tz() -> FixedOffset {
        FixedOffset::east_opt(3 * 3600).unwrap()
    }

    #[test]
    fn splits_front_matter_from_body() {
        let s = split("---\ntitle: a\n---\nbody\n").unwrap();
        assert_eq!(
            s,
            Split {
                yaml: "title: a\n",
                yaml_line: 2,
                body: "body\n",
                body_line: 4
            }
        );
        let s = split("---  \ntitle: a\n...\n").unwrap();
        assert_eq!((s.yaml, s.body, s.body_line), ("title: a\n", "", 4));
        let s = split("---\n---\n").unwrap();
        assert_eq!((s.yaml, s.body), ("", ""));
    }

    #[test]
    fn split_errors() {
        assert_eq!(split("title: a\n").unwrap_err().message, "no front matter");
        assert_eq!(split("").unwrap_err().message, "no front matter");
        let e = split("---\ntitle: a\n\nbody\n").unwrap_err();
        assert!(e.message.contains("never closed"), "{e:?}");
        assert!(e.help.unwrap().contains("`---`"));
    }

    fn parse_text(yaml: &str) -> Result<FrontMatter, Vec<Problem>> {
        let text = format!("---\n{yaml}---\n");
        parse(&split(&text).unwrap(), tz())
    }

    #[test]
    fn reads_every_field() {
        let fm = parse_text(
            "title: بوتين يزور بكين\ndate: 2023-09-19T14:30:00+03:00\nupdated: 2023-09-20\nauthor: هوين لو\n\
             source: رويترز\nsource_url: https://reuters.com/x\ntags: [روسيا, الصين]\nslug: putin\n\
             summary: ملخص\nimage: {src: p.jpg, caption: تعليق, credit: وكالة فرانس برس}\ndraft: true\nlang: en\n\
             extra: {section: سياسة}\n",
        )
        .unwrap();
        assert_eq!(fm.title, "بوتين يزور بكين");
        assert_eq!(fm.date.to_rfc3339(), "2023-09-19T14:30:00+03:00");
        assert_eq!(
            fm.updated.unwrap().to_rfc3339(),
            "2023-09-20T00:00:00+03:00"
        );
        assert_eq!(fm.authors, ["هوين لو"]);
        assert_eq!(
            fm.source,
            Some(Source {
                name: "رويترز".into(),
                url: Some("https://reuters.com/x".into())
            })
        );
        assert_eq!(fm.tags, ["روسيا", "الصين"]);
        assert_eq!(fm.slug.unwrap().0, "putin");
        assert_eq!(
            fm.image.as_ref().unwrap().credit.as_deref(),
            Some("وكالة فرانس برس")
        );
        assert!(fm.draft);
        assert_eq!(fm.lang.as_deref(), Some("en"));
        assert_eq!(fm.extra["section"], "سياسة");
    }

    #[test]
    fn keys_of_other_generators_name_what_arshif_calls_them() {
        let problems = parse_text(
            "title: t\ndate: 2023-01-01\ncategories: [a]\nlastmod: 2023-01-02\ncoverImage: a.jpg\nlayout: post\n",
        )
        .unwrap_err();
        let helps: Vec<&str> = problems.iter().filter_map(|p| p.help.as_deref()).collect();
        for (i, want) in [
            "arshif calls them `tags`. Or keep it under `extra:`",
            "arshif calls it `updated`. Or keep",
            "arshif calls it `image`. Or keep",
            "every article uses templates/article.html. Or keep",
        ]
        .into_iter()
        .enumerate()
        {
            assert!(helps[i].starts_with(want), "{want}: {helps:?}");
        }
    }

    #[test]
    fn reports_all_problems_with_lines() {
        let problems =
            parse_text("titel: x\ndate: yesterday\ntags: 5\ndraft: maybe\n").unwrap_err();
        let got: Vec<(usize, &str)> = problems
            .iter()
            .map(|p| (p.span.line, p.message.as_str()))
            .collect();
        assert_eq!(got[0], (2, "unknown key `titel` in front matter"));
        let help = problems[0].help.as_deref().unwrap();
        assert!(
            help.starts_with("did you mean `title`? Or keep it under `extra:`"),
            "{help}"
        );
        assert!(
            got.iter().any(|(l, m)| *l == 2 && m.contains("no `title`")),
            "{got:?}"
        );
        assert!(
            got.iter().any(|(l, m)| *l == 3 && m.contains("yesterday")),
            "{got:?}"
        );
        assert!(
            got.iter()
                .any(|(l, m)| *l == 4 && m.contains("`tags` must be a name or a list")),
            "{got:?}"
        );
        assert!(
            got.iter().any(|(l, m)| *l == 5 && m.contains("`draft`")),
            "{got:?}"
        );
    }

    #[test]
    fn control_characters_are_rejected_at_their_key() {
        let problems = parse_text(
            "title: \"a\\u0007b\"\ndate: 2023-01-02\ntags: [ok, \"\\e[31m\"]\nextra: {x: \"\\x7f\"}\nsummary: \"a\\tb\"\n",
        )
        .unwrap_err();
        let got: Vec<(Span, &str)> = problems
            .iter()
            .map(|p| (p.span, p.message.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    Span::new(2, 8),
                    "`title` holds the control character U+0007, which pages cannot show"
                ),
                (
                    Span::new(4, 7),
                    "`tags` holds the control character U+001B, which pages cannot show"
                ),
                (
                    Span::new(5, 8),
                    "`extra` holds the control character U+007F, which pages cannot show"
                ),
            ]
        );
    }

    #[test]
    fn value_columns_point_at_the_value() {
        let problems = parse_text("title: x\ndate:   2023-02-30\n").unwrap_err();
        assert_eq!(problems[0].span, Span::new(3, 9));
    }
}
