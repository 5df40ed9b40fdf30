//! Other generators' markup in a post's Markdown, made into plain
//! Markdown: Hugo and Zola shortcodes for videos, posts and figures,
//! Liquid's `{% post_url %}`, `{% highlight %}` and `{{ site.baseurl }}`,
//! kramdown attribute lists. What is not converted is left as written; the
//! build warns at each (see `markdown::foreign_markup_of`).

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex_lite::{Captures, Regex};

/// How a reference to another post (`{% post_url 2014-11-11-x %}`,
/// `{{< ref "x.md" >}}`) is written once found: a path to its file,
/// relative to the post being converted.
pub type FindPost<'a> = &'a dyn Fn(Reference<'_>) -> Option<String>;

#[derive(Debug, Clone, Copy)]
pub enum Reference<'a> {
    /// Jekyll's `post_url`: a post's file name without extension.
    PostUrl(&'a str),
    /// Hugo's `ref`/`relref`, Jekyll's `link`: a content path.
    Path(&'a str),
}

/// What was converted, by name, with counts.
pub type Counts = BTreeMap<&'static str, usize>;

fn re(p: &str) -> Regex {
    Regex::new(p).expect("a valid pattern")
}

/// `{{< name args >}}`, `{{% name args %}}`.
static SHORTCODE: LazyLock<Regex> =
    LazyLock::new(|| re(r"\{\{[<%]\s*(/?)\s*([\w.-]+)((?:[^}]|\}[^}])*?)\s*[>%]\}\}"));
/// Zola's `{{ youtube(id="x") }}`.
static ZOLA_CALL: LazyLock<Regex> =
    LazyLock::new(|| re(r"\{\{\s*(youtube|vimeo)\s*\(((?:[^)])*)\)\s*\}\}"));
/// `{% name args %}`.
static LIQUID_TAG: LazyLock<Regex> = LazyLock::new(|| re(r"\{%-?\s*(\w+)((?:[^%]|%[^}])*?)-?%\}"));
/// `{% raw %}…{% endraw %}` on one stretch of prose.
static LIQUID_RAW: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?s)\{%-?\s*raw\s*-?%\}(.*?)\{%-?\s*endraw\s*-?%\}"));
/// `{{ site.baseurl }}`, `{{ "/a.png" | relative_url }}`.
static LIQUID_URL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r#"\{\{-?\s*(?:site\.(?:baseurl|url)|(?:"([^"]*)"|'([^']*)')\s*\|\s*(?:relative_url|absolute_url|prepend:\s*site\.(?:baseurl|url)))\s*-?\}\}"#,
    )
});
/// A kramdown attribute list: `{: .center}`, `{:toc}`, `{:target="_blank"}`.
static IAL: LazyLock<Regex> = LazyLock::new(|| re(r"\{:[^}\n]*\}"));
/// `key="value"`, `key=value` or a positional `"value"` / `value`.
static ARG: LazyLock<Regex> =
    LazyLock::new(|| re(r#"(?:(\w+)\s*=\s*)?(?:"([^"]*)"|'([^']*)'|([^\s"'=]+))"#));

/// Converts what it can of `body`; fenced code is left alone.
pub fn convert(body: &str, find: FindPost<'_>) -> (String, Counts) {
    let mut counts = Counts::new();
    let mut out = String::with_capacity(body.len());
    let mut prose = String::new();
    let mut fence: Option<String> = None;
    for line in body.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let marker: String = trimmed
            .chars()
            .take_while(|&c| c == '`' || c == '~')
            .collect();
        let opens = marker.len() >= 3 && line.len() - trimmed.len() < 4;
        match &fence {
            Some(open) => {
                out.push_str(line);
                if opens
                    && marker.starts_with(open.as_str())
                    && trimmed[marker.len()..].trim().is_empty()
                {
                    fence = None;
                }
            }
            None if opens => {
                out.push_str(&convert_prose(
                    &std::mem::take(&mut prose),
                    find,
                    &mut counts,
                ));
                out.push_str(line);
                fence = Some(marker);
            }
            None => prose.push_str(line),
        }
    }
    out.push_str(&convert_prose(&prose, find, &mut counts));
    (out, counts)
}

/// Converts prose, leaving its inline code (`` `{{ x }}` ``) alone.
fn convert_prose(text: &str, find: FindPost<'_>, counts: &mut Counts) -> String {
    if !text.contains('{') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('`') {
        let ticks = rest[open..].len() - rest[open..].trim_start_matches('`').len();
        let after = &rest[open + ticks..];
        // The span ends at the next run of exactly as many backticks.
        let fence = "`".repeat(ticks);
        let mut from = 0;
        let close = loop {
            let Some(p) = after[from..].find(&fence) else {
                break None;
            };
            let at = from + p;
            let run = after[at..].len() - after[at..].trim_start_matches('`').len();
            if run == ticks {
                break Some(at);
            }
            from = at + run;
        };
        let Some(close) = close else { break };
        out.push_str(&convert_text(&rest[..open], find, counts));
        out.push_str(&rest[open..open + ticks + close + ticks]);
        rest = &rest[open + ticks + close + ticks..];
    }
    out.push_str(&convert_text(rest, find, counts));
    out
}

fn convert_text(text: &str, find: FindPost<'_>, counts: &mut Counts) -> String {
    if !text.contains('{') {
        return text.to_owned();
    }
    let text = SHORTCODE.replace_all(text, |c: &Captures<'_>| {
        shortcode(c, find, counts).unwrap_or_else(|| c[0].to_owned())
    });
    let text = ZOLA_CALL.replace_all(&text, |c: &Captures<'_>| {
        let Some(id) = Args::parse(&c[2]).first(&["id"]) else {
            return c[0].to_owned();
        };
        if &c[1] == "youtube" {
            count(counts, "youtube");
            video(&format!("https://www.youtube.com/watch?v={id}"))
        } else {
            count(counts, "vimeo");
            video(&format!("https://vimeo.com/{id}"))
        }
    });
    // What `raw` kept from Liquid is text: braces escaped, it shows as written.
    let text = LIQUID_RAW.replace_all(&text, |c: &Captures<'_>| {
        count(counts, "raw");
        c[1].replace("{{", "\\{\\{").replace("{%", "\\{%")
    });
    let text = LIQUID_URL.replace_all(&text, |c: &Captures<'_>| {
        count(counts, "site.baseurl");
        c.get(1)
            .or_else(|| c.get(2))
            .map_or("", |m| m.as_str())
            .to_owned()
    });
    let text = LIQUID_TAG.replace_all(&text, |c: &Captures<'_>| {
        liquid_tag(c, find, counts).unwrap_or_else(|| c[0].to_owned())
    });
    attribute_lists(&text, counts)
}

fn count(counts: &mut Counts, name: &'static str) {
    *counts.entry(name).or_default() += 1;
}

/// A Hugo shortcode as Markdown, when it is one of the common ones.
fn shortcode(c: &Captures<'_>, find: FindPost<'_>, counts: &mut Counts) -> Option<String> {
    let closing = !c[1].is_empty();
    let args = Args::parse(&c[3]);
    let (name, markdown) = match (closing, &c[2]) {
        (false, "youtube") => {
            let id = args.first(&["id"])?;
            (
                "youtube",
                video(&format!("https://www.youtube.com/watch?v={id}")),
            )
        }
        (false, "vimeo") => (
            "vimeo",
            video(&format!("https://vimeo.com/{}", args.first(&["id"])?)),
        ),
        (false, "tweet" | "x" | "twitter") => {
            let id = args
                .named("id")
                .or_else(|| args.positional().last().cloned())?;
            let user = args.named("user").unwrap_or_else(|| "i".into());
            ("tweet", video(&format!("https://x.com/{user}/status/{id}")))
        }
        (false, "instagram") => {
            let id = args.first(&["id"])?;
            (
                "instagram",
                video(&format!("https://www.instagram.com/p/{id}/")),
            )
        }
        (false, "gist") => {
            let p = args.positional();
            let (user, id) = (p.first()?, p.get(1)?);
            (
                "gist",
                video(&format!("https://gist.github.com/{user}/{id}")),
            )
        }
        (false, "figure") => {
            let src = args.first(&["src"])?;
            let caption = args.named("caption").or_else(|| args.named("title"));
            (
                "figure",
                figure(&src, args.named("alt").as_deref(), caption.as_deref()),
            )
        }
        (false, "ref" | "relref") => {
            let path = args.first(&["path"])?;
            let (file, anchor) = path.split_once('#').unwrap_or((&path, ""));
            ("ref", with_anchor(find(Reference::Path(file))?, anchor))
        }
        (false, "highlight") => {
            let lang = args.positional().first().cloned().unwrap_or_default();
            ("highlight", format!("```{lang}"))
        }
        (true, "highlight") => return Some("```".into()),
        _ => return None,
    };
    count(counts, name);
    Some(markdown)
}

/// A Liquid tag as Markdown, when it is one of the common ones.
fn liquid_tag(c: &Captures<'_>, find: FindPost<'_>, counts: &mut Counts) -> Option<String> {
    let args = Args::parse(&c[2]);
    let (name, markdown) = match &c[1] {
        "raw" => ("raw", String::new()),
        "endraw" => return Some(String::new()),
        "highlight" => {
            let lang = args.positional().first().cloned().unwrap_or_default();
            ("highlight", format!("```{lang}"))
        }
        "endhighlight" => return Some("```".into()),
        "post_url" => {
            let name = args.positional().first().cloned()?;
            ("post_url", find(Reference::PostUrl(&name))?)
        }
        "link" => {
            let path = args.positional().first().cloned()?;
            let found = find(Reference::Path(&path));
            (
                "link",
                found.unwrap_or_else(|| format!("/{}", path.trim_start_matches('/'))),
            )
        }
        "youtube" => {
            let id = args.first(&["id"])?;
            (
                "youtube",
                video(&format!("https://www.youtube.com/watch?v={id}")),
            )
        }
        "include" => {
            let file = args.positional().first().cloned()?;
            let id = args.named("id").or_else(|| args.named("video_id"))?;
            if !file.contains("youtube") {
                return None;
            }
            (
                "youtube",
                video(&format!("https://www.youtube.com/watch?v={id}")),
            )
        }
        _ => return None,
    };
    count(counts, name);
    Some(markdown)
}

/// Attribute lists: a line of its own goes (with a `* TOC` list before
/// `{:toc}`); one at the end of a line is cut from it.
fn attribute_lists(text: &str, counts: &mut Counts) -> String {
    let mut out = String::with_capacity(text.len());
    let mut lines = text.split_inclusive('\n').peekable();
    while let Some(line) = lines.next() {
        if line.trim() == "* TOC" && lines.peek().is_some_and(|l| l.trim() == "{:toc}") {
            continue;
        }
        if !IAL.is_match(line) {
            out.push_str(line);
            continue;
        }
        count(counts, "kramdown attributes");
        let cut = IAL.replace_all(line, "");
        if !cut.trim().is_empty() {
            out.push_str(cut.trim_end());
            out.push('\n');
        }
    }
    out
}

/// A URL on a paragraph of its own, which the theme may show as an embed.
fn video(url: &str) -> String {
    format!("\n\n{url}\n\n")
}

fn figure(src: &str, alt: Option<&str>, caption: Option<&str>) -> String {
    let alt = alt.or(caption).unwrap_or("");
    let mut out = format!("![{}]({})", escape_brackets(alt), destination(src));
    if let Some(caption) = caption {
        out.push_str(&format!("\n*{}*", caption.trim()));
    }
    out
}

fn with_anchor(path: String, anchor: &str) -> String {
    if anchor.is_empty() {
        path
    } else {
        format!("{path}#{anchor}")
    }
}

/// A link destination as Markdown needs it written.
pub fn destination(dest: &str) -> String {
    if dest.contains([' ', '(', ')', '<', '>']) {
        format!("<{}>", dest.replace('<', "%3C").replace('>', "%3E"))
    } else {
        dest.to_owned()
    }
}

fn escape_brackets(s: &str) -> String {
    s.replace('[', "\\[").replace(']', "\\]")
}

/// A shortcode's or tag's arguments.
struct Args(Vec<(Option<String>, String)>);

impl Args {
    fn parse(s: &str) -> Args {
        Args(
            ARG.captures_iter(s)
                .map(|c| {
                    let value = c
                        .get(2)
                        .or(c.get(3))
                        .or(c.get(4))
                        .map_or("", |m| m.as_str());
                    (c.get(1).map(|m| m.as_str().to_owned()), value.to_owned())
                })
                .collect(),
        )
    }

    fn named(&self, key: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(k, _)| k.as_deref() == Some(key))
            .map(|(_, v)| v.clone())
    }

    fn positional(&self) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k.is_none())
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// The first named value among `keys`, else the first positional one.
    fn first(&self, keys: &[&str]) -> Option<String> {
        keys.iter()
            .find_map(|k| self.named(k))
            .or_else(|| self.positional().into_iter().next())
            .filter(|v| !v.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(r: Reference<'_>) -> Option<String> {
        match r {
            Reference::PostUrl("2014-11-11-old") => Some("../2014/2014-11-11-old.md".into()),
            Reference::Path("posts/other.md") => Some("other.md".into()),
            _ => None,
        }
    }

    #[test]
    fn converts_the_common_shortcodes_and_tags() {
        let body = "مقدمة\n\n{{< youtube dQw4w9WgXcQ >}}\n\n{{< tweet user=\"reuters\" id=\"123\" >}}\n\n\
            {{< figure src=\"map.png\" caption=\"خريطة\" >}}\n\n[السابق]({% post_url 2014-11-11-old %}) و\
            [آخر]({{< ref \"posts/other.md#جزء\" >}})\n\n![صورة]({{ site.baseurl }}/assets/a.png){: .center}\n\n\
            {% raw %}{{ كما هو }}{% endraw %}\n\n* TOC\n{:toc}\n\n{% include note.html %}\n\n{{< unknown x >}}\n\n\
            ```\n{{< youtube kept >}}\n```\n";
        let (out, counts) = convert(body, &find);
        assert!(
            out.contains("\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n\n"),
            "{out}"
        );
        assert!(out.contains("https://x.com/reuters/status/123"), "{out}");
        assert!(out.contains("![خريطة](map.png)\n*خريطة*"), "{out}");
        assert!(out.contains("[السابق](../2014/2014-11-11-old.md)"), "{out}");
        assert!(out.contains("[آخر](other.md#جزء)"), "{out}");
        assert!(out.contains("![صورة](/assets/a.png)\n"), "{out}");
        assert!(
            out.contains("\\{\\{ كما هو }}") && !out.contains("raw %}"),
            "{out}"
        );
        assert!(!out.contains("TOC") && !out.contains("{:"), "{out}");
        assert!(out.contains("{% include note.html %}") && out.contains("{{< unknown x >}}"));
        assert!(out.contains("```\n{{< youtube kept >}}\n```"), "{out}");
        assert_eq!(counts["youtube"], 1);
        assert_eq!(counts["kramdown attributes"], 2);
        assert_eq!(counts["raw"], 1);
        // What `raw` kept shows as written, with no warning.
        assert!(crate::markdown::foreign_markup_of("\\{\\{ كما هو }}").is_empty());
    }

    #[test]
    fn inline_code_is_left_alone() {
        let (out, counts) = convert(
            "اكتب `{{< youtube x >}}` و{% raw %}`{{ site.title }}`{% endraw %}.\n",
            &find,
        );
        assert_eq!(out, "اكتب `{{< youtube x >}}` و`{{ site.title }}`.\n");
        assert!(!counts.contains_key("youtube"));
    }

    #[test]
    fn highlight_blocks_become_fences() {
        let (out, _) = convert("{% highlight ruby %}\nx = 1\n{% endhighlight %}\n", &find);
        assert_eq!(out, "```ruby\nx = 1\n```\n");
        let (out, _) = convert("{{< highlight go >}}\nx := 1\n{{< /highlight >}}\n", &find);
        assert_eq!(out, "```go\nx := 1\n```\n");
        let (out, _) = convert("{{ youtube(id=\"abc\") }}\n", &find);
        assert!(out.contains("https://www.youtube.com/watch?v=abc"));
    }
}
