//! The YAML maps of site.yaml and front matter, read key by key so that every
//! problem can be reported at its own line and column, not only the first.

use serde_yaml::Value;

use crate::diagnostics::{Span, suggest};

/// One top-level `key: value` pair with where it stands in the file.
#[derive(Debug, Clone)]
pub struct Entry {
    pub key: String,
    pub value: Value,
    pub key_span: Span,
    pub value_span: Span,
}

/// A problem in YAML, positioned in the enclosing file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub span: Span,
    pub message: String,
    pub help: Option<String>,
}

impl Problem {
    pub fn new(span: Span, message: impl Into<String>) -> Problem {
        Problem {
            span,
            message: message.into(),
            help: None,
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Problem {
        self.help = Some(help.into());
        self
    }
}

/// Parses `text`, whose first line is line `first_line` of its file, as a map.
/// An empty document is an empty map.
pub fn parse_map(text: &str, first_line: usize) -> Result<Vec<Entry>, Problem> {
    let doc: Value = serde_yaml::from_str(text).map_err(|e| {
        let message = yaml_message(&e);
        // A repeated key is reported by the parser at the start of the map;
        // point at the second occurrence instead.
        if let Some(key) = message.strip_prefix("duplicate entry with key \"").and_then(|k| k.strip_suffix('"')) {
            let lines: Vec<&str> = text.lines().collect();
            let mut used = vec![false; lines.len()];
            let first = find_key_line(&lines, &mut used, key);
            let second = find_key_line(&lines, &mut used, key);
            let line = second.or(first).map_or(0, |(l, _)| l);
            return Problem::new(Span::new(first_line + line, 1), format!("`{key}` is given twice"))
                .help("keep one of the two lines");
        }
        // An unclosed `[` or `{` is found where the next key starts; the
        // parser also says where the list or map opened, which is the
        // line to fix.
        if let Some((bracket, line, col)) = unclosed_flow(&e.to_string()) {
            let close = if bracket == '[' { ']' } else { '}' };
            return Problem::new(
                Span::new(first_line + line.saturating_sub(1), col.max(1)),
                format!("invalid YAML: the `{bracket}` opened here is never closed"),
            )
            .help(format!("add `{close}` after the last item, e.g. `tags: [روسيا, الصين]`"));
        }
        let span = e
            .location()
            .map(|l| Span::new(first_line + l.line().saturating_sub(1), l.column().max(1)))
            .unwrap_or(Span::new(first_line, 1));
        Problem::new(span, format!("invalid YAML: {message}"))
            .help("check the indentation and quote values that contain `:` or start with `[`, `{`, `*`, `&`, `!`, `|`, `>`, `'`, `\"`, `%` or `@`")
    })?;
    let map = match doc {
        Value::Null => return Ok(Vec::new()),
        Value::Mapping(map) => map,
        _ => {
            return Err(
                Problem::new(Span::new(first_line, 1), "expected `key: value` lines")
                    .help("write one `key: value` pair per line, e.g. `title: ...`"),
            );
        }
    };
    let lines: Vec<&str> = text.lines().collect();
    let mut used = vec![false; lines.len()];
    let mut entries = Vec::with_capacity(map.len());
    for (key, value) in map {
        let key = match key {
            Value::String(s) => s,
            other => scalar_string(&other).unwrap_or_else(|| "?".into()),
        };
        let (line, value_col) = find_key_line(&lines, &mut used, &key).unwrap_or((0, 1));
        entries.push(Entry {
            key,
            value,
            key_span: Span::new(first_line + line, 1),
            value_span: Span::new(first_line + line, value_col),
        });
    }
    Ok(entries)
}

/// The bracket, 1-based line and column of a flow list or map that the
/// parser was inside when it failed: libyaml adds ", while parsing a flow
/// sequence at line L column C" to the message.
fn unclosed_flow(msg: &str) -> Option<(char, usize, usize)> {
    let (_, context) = msg.rsplit_once(", while parsing a flow ")?;
    let (kind, at) = context.split_once(" at line ")?;
    let bracket = match kind {
        "sequence" => '[',
        "mapping" => '{',
        _ => return None,
    };
    let (line, col) = at.split_once(" column ")?;
    Some((bracket, line.trim().parse().ok()?, col.trim().parse().ok()?))
}

/// libyaml messages end with " at line L column C", which refers to the YAML
/// fragment; the caller reports the position in the file instead.
fn yaml_message(e: &serde_yaml::Error) -> String {
    let msg = e.to_string();
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_owned(),
        None => msg,
    }
}

/// The 0-based line of a top-level `key:` and the 1-based column of its
/// value, taking each line once so that duplicate-looking keys stay apart.
fn find_key_line(lines: &[&str], used: &mut [bool], key: &str) -> Option<(usize, usize)> {
    for (i, line) in lines.iter().enumerate() {
        if used[i] || line.starts_with([' ', '\t', '#', '-']) {
            continue;
        }
        let rest = line
            .strip_prefix(key)
            .or_else(|| strip_quoted(line, key, '"'))
            .or_else(|| strip_quoted(line, key, '\''));
        if let Some(rest) = rest.and_then(|r| r.trim_start().strip_prefix(':')) {
            used[i] = true;
            let before = line.len() - rest.len() + (rest.len() - rest.trim_start().len());
            return Some((i, line[..before].chars().count() + 1));
        }
    }
    None
}

fn strip_quoted<'a>(line: &'a str, key: &str, q: char) -> Option<&'a str> {
    line.strip_prefix(q)?.strip_prefix(key)?.strip_prefix(q)
}

/// Problems for keys not in `known`, each with the nearest known key.
pub fn unknown_keys(entries: &[Entry], known: &Keys<'_>, what: &str) -> Vec<Problem> {
    entries
        .iter()
        .filter(|e| !known.names.contains(&e.key.as_str()))
        .map(|e| {
            let p = Problem::new(e.key_span, format!("unknown key `{}` in {what}", e.key));
            let synonym = known
                .synonyms
                .iter()
                .find(|(other, _)| other.eq_ignore_ascii_case(&e.key))
                .map(|(_, help)| (*help).to_owned());
            let help = synonym
                .or_else(|| suggest(&e.key, known.names).map(|s| format!("did you mean `{s}`?")))
                .unwrap_or_else(|| format!("the known keys are: {}", known.names.join(", ")));
            match known.otherwise {
                Some(otherwise) if help.ends_with('?') => p.help(format!("{help} {otherwise}")),
                Some(otherwise) => p.help(format!("{help}. {otherwise}")),
                None => p.help(help),
            }
        })
        .collect()
}

/// The keys a map may have, with what to say about others.
pub struct Keys<'a> {
    pub names: &'a [&'a str],
    /// Keys other tools use, with the help that names the known one
    /// (`categories` → "arshif calls them `tags`").
    pub synonyms: &'a [(&'a str, &'a str)],
    /// Said after the help for any unknown key.
    pub otherwise: Option<&'a str>,
}

/// A scalar as text: strings as they are, numbers and booleans as written.
pub fn scalar_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Tagged(t) => scalar_string(&t.value),
        _ => None,
    }
}

/// One name or a list of names (`author: هوين لو` or `tags: [a, b]`).
/// Blank names are dropped.
pub fn names(v: &Value) -> Option<Vec<String>> {
    let list = match v {
        Value::Null => Vec::new(),
        Value::Sequence(items) => items
            .iter()
            .map(scalar_string)
            .collect::<Option<Vec<_>>>()?,
        Value::String(_) => vec![scalar_string(v)?],
        _ => return None,
    };
    Some(
        list.into_iter()
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect(),
    )
}

/// The first control character in the text of `v` (keys and values, at
/// any depth), other than tab and line ends. YAML lets escapes such as
/// `"\a"` or `"\u0007"` write them; pages would carry them as they are.
pub fn control_char(v: &Value) -> Option<char> {
    let in_text = |s: &str| {
        s.chars()
            .find(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    };
    match v {
        Value::String(s) => in_text(s),
        Value::Sequence(items) => items.iter().find_map(control_char),
        Value::Mapping(map) => map
            .iter()
            .find_map(|(k, v)| control_char(k).or_else(|| control_char(v))),
        Value::Tagged(t) => control_char(&t.value),
        _ => None,
    }
}

/// YAML to JSON for values handed to templates as they are (`extra`).
pub fn to_json(v: &Value) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        Value::Null => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                J::from(i)
            } else if let Some(u) = n.as_u64() {
                J::from(u)
            } else {
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map_or(J::Null, J::Number)
            }
        }
        Value::String(s) => J::String(s.clone()),
        Value::Sequence(items) => J::Array(items.iter().map(to_json).collect()),
        Value::Mapping(map) => J::Object(
            map.iter()
                .map(|(k, v)| (scalar_string(k).unwrap_or_default(), to_json(v)))
                .collect(),
        ),
        Value::Tagged(t) => to_json(&t.value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_values_are_positioned_in_the_file() {
        let text = "title: عنوان\n# a comment\ntags: [a, b]\n\"date\":   2023-09-19\n";
        let entries = parse_map(text, 2).unwrap();
        let spans: Vec<_> = entries
            .iter()
            .map(|e| (e.key.as_str(), e.key_span, e.value_span))
            .collect();
        assert_eq!(
            spans,
            [
                ("title", Span::new(2, 1), Span::new(2, 8)),
                ("tags", Span::new(4, 1), Span::new(4, 7)),
                ("date", Span::new(5, 1), Span::new(5, 11)),
            ]
        );
    }

    #[test]
    fn syntax_errors_point_into_the_file() {
        let text = "title: a\ntags: [a, b\nauthor: x\n";
        let p = parse_map(text, 2).unwrap_err();
        assert!(p.message.starts_with("invalid YAML"), "{p:?}");
        assert!(!p.message.contains("at line"), "{p:?}");
        assert!((3..=5).contains(&p.span.line), "{p:?}");
    }

    #[test]
    fn unclosed_lists_and_maps_point_where_they_open() {
        let cases = [
            ("title: a\ntags: [a, b\nauthor: x\n", Span::new(3, 7), '['),
            ("title: a\ntags: [a, b\n", Span::new(3, 7), '['),
            ("title: a\ntags: [a,\n  b\n", Span::new(3, 7), '['),
            ("image: {src: a.jpg\ntitle: a\n", Span::new(2, 8), '{'),
        ];
        for (text, span, bracket) in cases {
            let p = parse_map(text, 2).unwrap_err();
            assert_eq!(p.span, span, "{text:?}: {p:?}");
            assert!(
                p.message
                    .contains(&format!("the `{bracket}` opened here is never closed")),
                "{p:?}"
            );
        }
    }

    #[test]
    fn repeated_keys_point_at_the_second() {
        let p = parse_map("title: a\ndate: 2023-01-01\ntitle: b\n", 2).unwrap_err();
        assert_eq!(
            (p.span, p.message.as_str()),
            (Span::new(4, 1), "`title` is given twice")
        );
    }

    #[test]
    fn not_a_map() {
        assert!(parse_map("- a\n- b\n", 2).is_err());
        assert!(parse_map("", 2).unwrap().is_empty());
    }

    #[test]
    fn unknown_keys_get_suggestions() {
        let entries = parse_map("tag: [a]\ncolour: red\n", 2).unwrap();
        let keys = Keys {
            names: &["title", "tags"],
            synonyms: &[],
            otherwise: None,
        };
        let p = unknown_keys(&entries, &keys, "front matter");
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].span, Span::new(2, 1));
        assert_eq!(p[0].help.as_deref(), Some("did you mean `tags`?"));
        assert_eq!(p[1].span, Span::new(3, 1));
        assert_eq!(
            p[1].help.as_deref(),
            Some("the known keys are: title, tags")
        );
    }

    #[test]
    fn control_characters_are_found_at_any_depth() {
        let v = |s: &str| serde_yaml::from_str::<Value>(s).unwrap();
        let cases = [
            ("\"a\\u0007b\"", Some('\u{7}')),
            ("\"a\\ab\"", Some('\u{7}')),
            ("[ok, \"\\x1b[31m\"]", Some('\u{1b}')),
            ("{section: \"\\u0085\"}", Some('\u{85}')),
            ("{\"k\\0\": 1}", Some('\0')),
            ("\"tab\\tand\\nlines\"", None),
            ("عنوان عادي", None),
            ("5", None),
        ];
        for (yaml, want) in cases {
            assert_eq!(control_char(&v(yaml)), want, "{yaml}");
        }
    }

    #[test]
    fn names_accept_one_or_many() {
        let v = |s: &str| serde_yaml::from_str::<Value>(s).unwrap();
        assert_eq!(names(&v("هوين لو")), Some(vec!["هوين لو".to_owned()]));
        assert_eq!(
            names(&v("[أ, 2023, ' ']")),
            Some(vec!["أ".to_owned(), "2023".to_owned()])
        );
        assert_eq!(names(&v("5")), None);
        assert_eq!(names(&v("{a: 1}")), None);
        assert_eq!(names(&v("[[a]]")), None);
    }
}
