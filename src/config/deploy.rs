//! site.yaml's `deploy:` list: the object-storage targets `arshif deploy`
//! uploads to. Credentials never come from here (see `deploy::store`).

use serde_yaml::Value;

use crate::diagnostics::{Span, suggest};
use crate::yaml::{self, Problem};

/// The `deploy:` section: its line and its targets, in the file's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deploy {
    pub line: usize,
    pub targets: Vec<Target>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub name: String,
    pub bucket: String,
    /// As the store names it (`auto` for R2); default from the environment.
    pub region: Option<String>,
    /// None for Amazon S3.
    pub endpoint: Option<String>,
    /// A folder in the bucket, `""` or ending in `/`.
    pub prefix: String,
    pub compress: Compression,
    /// `(pattern, Cache-Control)` pairs tried before the defaults.
    pub cache_control: Vec<(String, String)>,
    /// The target's line in site.yaml.
    pub line: usize,
}

/// How text files are stored: as they are, or compressed with
/// `Content-Encoding` set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Compression {
    #[default]
    None,
    Gzip,
    Brotli,
}

const KEYS: [&str; 7] = [
    "name",
    "bucket",
    "region",
    "endpoint",
    "prefix",
    "compress",
    "cache_control",
];

const EXAMPLE: &str = "e.g.\ndeploy:\n  - name: production\n    bucket: archive\n    region: auto\n    endpoint: https://ACCOUNT.r2.cloudflarestorage.com";

/// Reads the value of `deploy:`, which stands at `line` of `text`.
pub fn parse(value: &Value, line: usize, text: &str, problems: &mut Vec<Problem>) -> Deploy {
    let at = |item: usize, key: Option<&str>| key_span(text, line, item, key);
    let items = match value {
        Value::Sequence(items) => items.as_slice(),
        Value::Null => &[],
        _ => {
            problems.push(
                Problem::new(Span::new(line, 1), "`deploy` must be a list of targets")
                    .help(EXAMPLE),
            );
            return Deploy {
                line,
                targets: Vec::new(),
            };
        }
    };
    let mut targets: Vec<Target> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let Value::Mapping(map) = item else {
            problems.push(
                Problem::new(at(i, None), "each `deploy` target must be a map").help(EXAMPLE),
            );
            continue;
        };
        let mut text_of = |key: &str| -> Option<String> {
            let v = map.get(key)?;
            match yaml::scalar_string(v) {
                Some(s) => Some(s.trim().to_owned()),
                None if v.is_null() => None,
                None => {
                    problems.push(Problem::new(
                        at(i, Some(key)),
                        format!("`deploy` `{key}` must be text"),
                    ));
                    None
                }
            }
        };
        let name = text_of("name").filter(|s| !s.is_empty());
        let bucket = text_of("bucket").filter(|s| !s.is_empty());
        let region = text_of("region").filter(|s| !s.is_empty());
        let endpoint = text_of("endpoint").filter(|s| !s.is_empty());
        let prefix = text_of("prefix").unwrap_or_default();
        let compress = text_of("compress");
        for key in map.keys() {
            let key = yaml::scalar_string(key).unwrap_or_default();
            if !KEYS.contains(&key.as_str()) {
                let p = Problem::new(
                    at(i, Some(&key)),
                    format!("unknown key `{key}` in a `deploy` target"),
                );
                problems.push(match suggest(&key, &KEYS) {
                    Some(s) => p.help(format!("did you mean `{s}`?")),
                    None if key.contains("secret") || key.contains("key") => p.help(
                        "credentials are never kept in site.yaml: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or use ~/.aws/credentials",
                    ),
                    None => p.help(format!("the known keys are: {}", KEYS.join(", "))),
                });
            }
        }
        if let Some(name) = &name {
            if seen.contains(name) {
                problems.push(
                    Problem::new(
                        at(i, Some("name")),
                        format!("two `deploy` targets are named `{name}`"),
                    )
                    .help("give each target its own name; `arshif deploy --target NAME` picks one"),
                );
            }
            seen.push(name.clone());
        }
        if let Some(e) = &endpoint
            && !(e.starts_with("https://") || e.starts_with("http://"))
        {
            problems.push(
                Problem::new(at(i, Some("endpoint")), format!("`{e}` is not an http(s) address"))
                    .help("e.g. `endpoint: https://ACCOUNT.r2.cloudflarestorage.com`; leave it out for Amazon S3"),
            );
        }
        let compress = match compress.as_deref() {
            None | Some("none") | Some("false") => Compression::None,
            Some("gzip") => Compression::Gzip,
            Some("brotli") | Some("br") => Compression::Brotli,
            Some(other) => {
                problems.push(
                    Problem::new(
                        at(i, Some("compress")),
                        format!("unknown compression `{other}`"),
                    )
                    .help("write `none`, `gzip` or `brotli`"),
                );
                Compression::None
            }
        };
        let cache_control = match map.get("cache_control") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Mapping(rules)) => rules
                .iter()
                .filter_map(|(k, v)| {
                    let pair = yaml::scalar_string(k).zip(yaml::scalar_string(v));
                    if pair.is_none() {
                        problems.push(
                            Problem::new(
                                at(i, Some("cache_control")),
                                "`cache_control` maps file patterns to text",
                            )
                            .help("e.g. `cache_control: {\"*.html\": \"public, max-age=60\"}`"),
                        );
                    }
                    pair
                })
                .collect(),
            Some(_) => {
                problems.push(
                    Problem::new(
                        at(i, Some("cache_control")),
                        "`cache_control` must be a map of file patterns",
                    )
                    .help("e.g. `cache_control: {\"*.html\": \"public, max-age=60\"}`"),
                );
                Vec::new()
            }
        };
        let (Some(name), Some(bucket)) = (name, bucket) else {
            for key in ["name", "bucket"] {
                if map
                    .get(key)
                    .and_then(yaml::scalar_string)
                    .is_none_or(|s| s.trim().is_empty())
                {
                    problems.push(
                        Problem::new(at(i, None), format!("a `deploy` target has no `{key}`"))
                            .help(EXAMPLE),
                    );
                }
            }
            continue;
        };
        let prefix = prefix.trim_matches('/');
        targets.push(Target {
            name,
            bucket,
            region,
            endpoint: endpoint.map(|e| e.trim_end_matches('/').to_owned()),
            prefix: if prefix.is_empty() {
                String::new()
            } else {
                format!("{prefix}/")
            },
            compress,
            cache_control,
            line: at(i, None).line,
        });
    }
    Deploy { line, targets }
}

/// Where item `item` of the list under `deploy:` (at `line`) starts, or
/// where its `key` is written. Block-style lists only; otherwise the
/// `deploy:` line.
fn key_span(text: &str, line: usize, item: usize, key: Option<&str>) -> Span {
    let lines: Vec<&str> = text.lines().collect();
    let block_end = (line..lines.len())
        .find(|&i| {
            let l = lines[i];
            !l.is_empty() && !l.starts_with([' ', '\t', '#', '-'])
        })
        .unwrap_or(lines.len());
    let dash = |l: &str| {
        let t = l.trim_start();
        (t == "-" || t.starts_with("- ")).then(|| l.len() - t.len())
    };
    let Some(indent) = (line..block_end).find_map(|i| dash(lines[i])) else {
        return Span::new(line, 1);
    };
    let starts: Vec<usize> = (line..block_end)
        .filter(|&i| dash(lines[i]) == Some(indent))
        .collect();
    let Some(&start) = starts.get(item) else {
        return Span::new(line, 1);
    };
    let end = starts.get(item + 1).copied().unwrap_or(block_end);
    let Some(key) = key else {
        return Span::new(start + 1, indent + 1);
    };
    for (i, l) in lines.iter().enumerate().take(end).skip(start) {
        let t = l.trim_start();
        let t = t.strip_prefix("- ").map_or(t, str::trim_start);
        if let Some(rest) = t.strip_prefix(key)
            && rest.trim_start().starts_with(':')
        {
            let col = l[..l.len() - t.len()].chars().count() + 1;
            return Span::new(i + 1, col);
        }
    }
    Span::new(start + 1, indent + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> (Deploy, Vec<Problem>) {
        let doc: Value = serde_yaml::from_str(text).unwrap();
        let line = text.lines().position(|l| l.starts_with("deploy:")).unwrap() + 1;
        let mut problems = Vec::new();
        let d = parse(&doc["deploy"], line, text, &mut problems);
        (d, problems)
    }

    #[test]
    fn targets_in_order_with_defaults() {
        let (d, p) = parse_text(
            "title: x\ndeploy:\n  - name: production\n    bucket: archive\n    region: auto\n    endpoint: https://a.r2.cloudflarestorage.com/\n    prefix: /site/\n    compress: gzip\n    cache_control: {\"*.html\": no-cache}\n  - name: s3\n    bucket: b\n",
        );
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(d.line, 2);
        let t = &d.targets[0];
        assert_eq!((t.name.as_str(), t.line), ("production", 3));
        assert_eq!(
            t.endpoint.as_deref(),
            Some("https://a.r2.cloudflarestorage.com")
        );
        assert_eq!(t.prefix, "site/");
        assert_eq!(t.compress, Compression::Gzip);
        assert_eq!(
            t.cache_control,
            [("*.html".to_owned(), "no-cache".to_owned())]
        );
        let s3 = &d.targets[1];
        assert_eq!(
            (s3.line, s3.prefix.as_str(), s3.endpoint.as_deref()),
            (10, "", None)
        );
    }

    #[test]
    fn problems_point_at_their_lines() {
        let (_, p) = parse_text(
            "deploy:\n- name: a\n  buckt: x\n  compress: zip\n- bucket: y\n- name: a\n  bucket: z\n  endpoint: r2.example\n  secret_key: s\n",
        );
        let got: Vec<(usize, usize, &str)> = p
            .iter()
            .map(|p| (p.span.line, p.span.col, p.message.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (3, 3, "unknown key `buckt` in a `deploy` target"),
                (4, 3, "unknown compression `zip`"),
                (2, 1, "a `deploy` target has no `bucket`"),
                (5, 1, "a `deploy` target has no `name`"),
                (9, 3, "unknown key `secret_key` in a `deploy` target"),
                (6, 3, "two `deploy` targets are named `a`"),
                (8, 3, "`r2.example` is not an http(s) address"),
            ],
            "{p:#?}"
        );
        assert_eq!(p[0].help.as_deref(), Some("did you mean `bucket`?"));
        assert!(
            p[4].help
                .as_deref()
                .unwrap()
                .contains("AWS_SECRET_ACCESS_KEY")
        );
    }

    #[test]
    fn not_a_list() {
        let (d, p) = parse_text("deploy: archive\n");
        assert!(d.targets.is_empty());
        assert_eq!(p[0].message, "`deploy` must be a list of targets");
    }
}
