//! Other generators' sites as they are in their repositories: where the
//! posts are, which files the site served from its root, and the address
//! each post had (so it can redirect to its new one).

use std::path::{Path, PathBuf};

use serde_yaml::{Mapping, Value};
use walkdir::WalkDir;

use super::post::{self, Post};
use crate::text;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generator {
    Jekyll,
    Hugo,
    Zola,
    /// Any folder of Markdown posts with front matter (Gatsby, Eleventy).
    Markdown,
}

impl Generator {
    pub fn name(self) -> &'static str {
        match self {
            Generator::Jekyll => "jekyll",
            Generator::Hugo => "hugo",
            Generator::Zola => "zola",
            Generator::Markdown => "markdown",
        }
    }
}

/// An old site, read.
#[derive(Debug)]
pub struct OldTree {
    /// The folder given.
    pub root: PathBuf,
    pub posts: Vec<Post>,
    /// Markdown files that are not posts (pages, section indexes).
    pub left_out: Vec<(PathBuf, &'static str)>,
    /// Folders whose files the old site served from its root.
    pub static_roots: Vec<(String, PathBuf)>,
    /// The old site's path below its host, e.g. `/blog`.
    pub base_path: String,
    pub host: Option<String>,
}

impl OldTree {
    fn new(
        root: &Path,
        static_roots: Vec<(String, PathBuf)>,
        base_path: String,
        host: Option<String>,
    ) -> OldTree {
        OldTree {
            root: root.to_owned(),
            posts: Vec::new(),
            left_out: Vec::new(),
            static_roots,
            base_path,
            host,
        }
    }
}

/// Problems reading a tree: file and what is wrong.
pub type Problems = Vec<(PathBuf, String)>;

/// Reads the site of `generator` in `root`.
pub fn read(generator: Generator, root: &Path) -> Result<OldTree, Problems> {
    if !root.is_dir() {
        return Err(vec![(root.to_owned(), "is not a folder".into())]);
    }
    match generator {
        Generator::Jekyll => jekyll(root),
        Generator::Hugo => hugo(root),
        Generator::Zola => zola(root),
        Generator::Markdown => markdown(root),
    }
}

fn is_markdown(path: &Path) -> bool {
    matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("md" | "markdown" | "mdown" | "mkd" | "mdx")
    )
}

/// Markdown files under `dir`, in a fixed order, skipping what no
/// generator publishes (hidden folders, dependencies, build output).
fn markdown_files(dir: &Path, skip: &[&str]) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0
                || !(name.starts_with('.')
                    || (e.file_type().is_dir() && skip.contains(&name.as_ref())))
        })
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && is_markdown(e.path()))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

const NEVER: &[&str] = &[
    "node_modules",
    "public",
    "_site",
    "vendor",
    "resources",
    "target",
];

/// A config file's settings, YAML, TOML or JSON by its extension;
/// `Ok(None)` when there is no such file.
fn config(path: &Path) -> Result<Option<Mapping>, (PathBuf, String)> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Ok(None);
    };
    let problem = |e: String| (path.to_owned(), format!("its settings cannot be read: {e}"));
    let value: Value = match path.extension().and_then(|e| e.to_str()) {
        Some("toml") => {
            let table: toml::Table = text
                .parse()
                .map_err(|e: toml::de::Error| problem(e.to_string()))?;
            post::toml_value(toml::Value::Table(table))
        }
        Some("json") => {
            let json: serde_json::Value =
                serde_json::from_str(&text).map_err(|e| problem(e.to_string()))?;
            serde_yaml::to_value(json).map_err(|e| problem(e.to_string()))?
        }
        _ => serde_yaml::from_str(&text).map_err(|e| problem(e.to_string()))?,
    };
    match value {
        Value::Mapping(m) => Ok(Some(m)),
        Value::Null => Ok(Some(Mapping::new())),
        _ => Err(problem("they are not a map of keys".into())),
    }
}

fn setting(config: &Mapping, key: &str) -> Option<String> {
    config.get(key).and_then(post::text)
}

/// The languages a multilingual Hugo or Zola site names (its `languages`
/// map and its default), which its file names may end with.
fn languages(settings: &Mapping, default_key: &str) -> Vec<String> {
    let mut langs: Vec<String> = key(settings, "languages")
        .and_then(Value::as_mapping)
        .into_iter()
        .flatten()
        .filter_map(|(k, _)| k.as_str().map(str::to_owned))
        .collect();
    if !langs.is_empty() {
        langs.extend(setting(settings, default_key));
    }
    langs
}

/// `https://example.com/blog/` → host and path.
pub fn split_url(url: &str) -> (Option<String>, String) {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let host = (!host.is_empty() && url.contains("://")).then(|| host.to_owned());
    (host, path.trim_end_matches('/').to_owned())
}

/// Reads one post file; `Ok(None)` when it has no front matter. `langs`
/// are the languages the site names, which a file name may end with
/// (Hugo's `post.fa.md`); other dots are part of the name (`vue.js.md`).
fn read_post(path: &Path, langs: &[String]) -> Result<Option<Post>, (PathBuf, String)> {
    let text = super::read_text(path).map_err(|m| (path.to_owned(), m))?;
    let Some((meta, body)) = post::split(&text).map_err(|m| (path.to_owned(), m))? else {
        return Ok(None);
    };
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    // `post.fa.md`: Hugo's language in the name.
    let (stem, lang) = match stem.rsplit_once('.') {
        Some((name, lang)) if langs.iter().any(|l| l == lang) => {
            (name.to_owned(), Some(lang.to_owned()))
        }
        _ => (stem, None),
    };
    let stem = if stem == "index" || stem == "README" {
        path.parent()
            .and_then(|p| p.file_name())
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or(stem)
    } else {
        stem
    };
    let (file_date, slug) = post::dated_name(&stem);
    Ok(Some(Post {
        file: path.to_owned(),
        meta,
        body,
        file_date,
        file_slug: slug.to_owned(),
        old_url: None,
        draft: false,
        lang,
        space_separated_tags: false,
        label: None,
    }))
}

/// Whether a post has a date: in its name, or a date key (`published:`
/// when it is not `true`/`false`).
fn has_date(p: &Post) -> bool {
    p.file_date.is_some()
        || p.meta
            .iter()
            .any(|(k, v)| match k.as_str().map(post::goes) {
                Some(post::Goes::Date) => true,
                Some(post::Goes::Published) => !v.is_bool(),
                _ => false,
            })
}

fn key<'m>(meta: &'m Mapping, name: &str) -> Option<&'m Value> {
    meta.iter()
        .find(|(k, _)| k.as_str().is_some_and(|k| k.eq_ignore_ascii_case(name)))
        .map(|(_, v)| v)
}

// --- Jekyll ---------------------------------------------------------------

fn jekyll(root: &Path) -> Result<OldTree, Problems> {
    let settings = config(&root.join("_config.yml"))
        .and_then(|c| match c {
            Some(c) => Ok(Some(c)),
            None => config(&root.join("_config.yaml")),
        })
        .map_err(|e| vec![e])?
        .unwrap_or_default();
    let source = setting(&settings, "source").map_or_else(|| root.to_owned(), |s| root.join(s));
    let permalink = setting(&settings, "permalink").unwrap_or_else(|| "date".into());
    let (host, _) = split_url(&setting(&settings, "url").unwrap_or_default());
    let base_path = split_url(&setting(&settings, "baseurl").unwrap_or_default()).1;
    let mut tree = OldTree::new(root, vec![(String::new(), source.clone())], base_path, host);
    let mut problems = Vec::new();
    for file in markdown_files(&source, NEVER) {
        let rel = file.strip_prefix(&source).unwrap_or(&file).to_owned();
        let dirs: Vec<String> = rel
            .parent()
            .map(|p| p.iter().map(|s| s.to_string_lossy().into_owned()).collect())
            .unwrap_or_default();
        let at = dirs.iter().position(|d| d == "_posts" || d == "_drafts");
        let Some(at) = at else {
            if !dirs.iter().any(|d| d.starts_with('_')) && !is_readme(&rel) {
                tree.left_out.push((file, "a page, not a post"));
            }
            continue;
        };
        match read_post(&file, &[]) {
            Ok(Some(mut p)) => {
                p.draft = dirs[at] == "_drafts";
                p.space_separated_tags = true;
                // Folders above `_posts` are categories in Jekyll.
                let mut categories: Vec<String> = dirs[..at].to_vec();
                for k in ["categories", "category"] {
                    if let Some(v) = key(&p.meta, k) {
                        categories.extend(post::names(v, true));
                    }
                }
                let mut seen = std::collections::HashSet::new();
                categories.retain(|c| seen.insert(c.clone()));
                if at > 0 {
                    let all = categories.iter().cloned().map(Value::from).collect();
                    p.meta.retain(|k, _| k.as_str() != Some("category"));
                    p.meta.insert("categories".into(), Value::Sequence(all));
                }
                let own = key(&p.meta, "permalink").and_then(post::text);
                p.old_url = jekyll_url(own.as_deref().unwrap_or(&permalink), &p, &categories);
                if p.file_date.is_none() && !p.draft && !has_date(&p) {
                    problems.push((file, "a post in `_posts` needs a date in its name (`2014-11-11-title.md`) or a `date:`".into()));
                    continue;
                }
                tree.posts.push(p);
            }
            Ok(None) => tree.left_out.push((file, "no front matter")),
            Err(e) => problems.push(e),
        }
    }
    finish(tree, problems)
}

/// The tree read, or every problem found reading it.
fn finish(tree: OldTree, problems: Problems) -> Result<OldTree, Problems> {
    if problems.is_empty() {
        Ok(tree)
    } else {
        Err(problems)
    }
}

fn is_readme(rel: &Path) -> bool {
    rel.file_stem().is_some_and(|s| {
        let s = s.to_string_lossy().to_ascii_lowercase();
        matches!(
            s.as_str(),
            "readme" | "license" | "changelog" | "contributing"
        )
    })
}

/// A post's address under a Jekyll permalink style or pattern.
fn jekyll_url(pattern: &str, p: &Post, categories: &[String]) -> Option<String> {
    let pattern = match pattern {
        "date" => "/:categories/:year/:month/:day/:title:output_ext",
        "pretty" => "/:categories/:year/:month/:day/:title/",
        "ordinal" => "/:categories/:year/:y_day/:title:output_ext",
        "none" => "/:categories/:title:output_ext",
        other => other,
    };
    let date = p.file_date.or_else(|| {
        key(&p.meta, "date")
            .and_then(|v| post::date(v, chrono::FixedOffset::east_opt(0)?).ok())
            .map(|d| d.date_naive())
    })?;
    let slug = key(&p.meta, "slug").and_then(post::text);
    let title = slug.clone().unwrap_or_else(|| p.file_slug.clone());
    // Jekyll lower-cases categories in addresses.
    let cats: Vec<String> = categories
        .iter()
        .map(|c| c.to_lowercase().replace(' ', "-"))
        .collect();
    let mut url = fill(pattern, &date, |name| match name {
        "title" => Some(title.replace(' ', "-")),
        "slug" | "name" => Some(text::slugify(slug.as_deref().unwrap_or(&p.file_slug))),
        "categories" => Some(cats.join("/")),
        "output_ext" => Some(".html".into()),
        _ => None,
    })?;
    if !url.starts_with('/') {
        url.insert(0, '/');
    }
    while url.contains("//") {
        url = url.replace("//", "/");
    }
    Some(url)
}

/// Fills `:name` placeholders of a permalink pattern; dates are common
/// to every generator, the rest comes from `other`.
fn fill(
    pattern: &str,
    date: &chrono::NaiveDate,
    other: impl Fn(&str) -> Option<String>,
) -> Option<String> {
    use chrono::Datelike;
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(i) = rest.find(':') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        let name = &after[..len];
        let value = match name {
            "year" => date.format("%Y").to_string(),
            "short_year" => date.format("%y").to_string(),
            "month" => date.format("%m").to_string(),
            "i_month" => date.month().to_string(),
            "monthname" => date.format("%B").to_string().to_lowercase(),
            "day" => date.format("%d").to_string(),
            "i_day" => date.day().to_string(),
            "y_day" => date.format("%j").to_string(),
            "hour" | "minute" | "second" => "00".into(),
            _ => other(name)?,
        };
        out.push_str(&value);
        rest = &after[len..];
    }
    out.push_str(rest);
    Some(out)
}

// --- Hugo -----------------------------------------------------------------

fn hugo(root: &Path) -> Result<OldTree, Problems> {
    let mut settings = Mapping::new();
    for name in [
        "hugo.toml",
        "hugo.yaml",
        "hugo.yml",
        "hugo.json",
        "config.toml",
        "config.yaml",
        "config.yml",
        "config.json",
        "config/_default/hugo.toml",
        "config/_default/config.toml",
        "config/_default/hugo.yaml",
        "config/_default/config.yaml",
    ] {
        if let Some(found) = config(&root.join(name)).map_err(|e| vec![e])? {
            settings = found;
            break;
        }
    }
    // A multilingual site has a content folder per language.
    let default_lang = setting(&settings, "defaultContentLanguage").unwrap_or_else(|| "en".into());
    let in_subdir = key(&settings, "defaultContentLanguageInSubdir")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let mut contents: Vec<(PathBuf, Option<String>)> = key(&settings, "languages")
        .and_then(Value::as_mapping)
        .into_iter()
        .flatten()
        .filter_map(|(lang, l)| {
            let dir = l
                .as_mapping()
                .and_then(|m| key(m, "contentDir"))
                .and_then(post::text)?;
            Some((root.join(dir), lang.as_str().map(str::to_owned)))
        })
        .collect();
    if contents.is_empty() {
        let dir = setting(&settings, "contentDir").unwrap_or_else(|| "content".into());
        contents.push((root.join(dir), None));
    }
    let langs = languages(&settings, "defaultContentLanguage");
    let (host, base_path) = split_url(
        &setting(&settings, "baseURL")
            .or_else(|| setting(&settings, "baseurl"))
            .unwrap_or_default(),
    );
    let permalinks = key(&settings, "permalinks")
        .and_then(Value::as_mapping)
        .cloned()
        .unwrap_or_default();
    let lower = !key(&settings, "disablePathToLower")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let ugly = key(&settings, "uglyURLs")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let mut tree = OldTree::new(
        root,
        vec![(String::new(), root.join("static"))],
        base_path,
        host,
    );
    let mut problems = Vec::new();
    for (content, dir_lang) in contents {
        if !content.is_dir() {
            problems.push((
                content,
                "there is no content folder here: give the folder where Hugo's config and content/ are"
                    .into(),
            ));
            continue;
        }
        for file in markdown_files(&content, NEVER) {
            let rel = file.strip_prefix(&content).unwrap_or(&file).to_owned();
            let name = rel
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            if name == "_index" || name.starts_with("_index.") {
                tree.left_out.push((file, "a section's list page"));
                continue;
            }
            match read_post(&file, &langs) {
                Ok(Some(mut p)) => {
                    if !has_date(&p) {
                        tree.left_out.push((file, "a page without a date"));
                        continue;
                    }
                    let section = rel
                        .iter()
                        .next()
                        .filter(|_| rel.components().count() > 1)
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    if p.lang.is_none() {
                        p.lang.clone_from(&dir_lang);
                    }
                    let lang = p.lang.clone().unwrap_or_else(|| default_lang.clone());
                    p.old_url = hugo_url(&p, &rel, &section, &permalinks, lower, ugly).map(|url| {
                        // Other languages, and the default one when asked,
                        // live below `/LANG/`; a `url:` is used as written.
                        let prefixed = lang != default_lang || in_subdir;
                        if prefixed && key(&p.meta, "url").is_none() {
                            format!("/{lang}{url}")
                        } else {
                            url
                        }
                    });
                    tree.posts.push(p);
                }
                Ok(None) => tree.left_out.push((file, "no front matter")),
                Err(e) => problems.push(e),
            }
        }
    }
    finish(tree, problems)
}

/// Hugo's `urlize`: spaces to `-`, lower case, no punctuation but `-`, `_`, `.`.
fn urlize(s: &str) -> String {
    let mut out = String::new();
    for c in s.trim().chars() {
        if c.is_whitespace() {
            if !out.ends_with('-') {
                out.push('-');
            }
        } else if c.is_alphanumeric() || text_mark(c) || matches!(c, '-' | '_' | '.') {
            out.extend(c.to_lowercase());
        }
    }
    out
}

fn text_mark(c: char) -> bool {
    unicode_normalization::char::is_combining_mark(c)
}

fn hugo_url(
    p: &Post,
    rel: &Path,
    section: &str,
    permalinks: &Mapping,
    lower: bool,
    ugly: bool,
) -> Option<String> {
    let finish = |url: String| Some(if lower { url.to_lowercase() } else { url });
    if let Some(url) = key(&p.meta, "url").and_then(post::text) {
        // Given by hand: Hugo uses it as written.
        return Some(if url.starts_with('/') {
            url
        } else {
            format!("/{url}")
        });
    }
    let slug = key(&p.meta, "slug").and_then(post::text);
    let title = key(&p.meta, "title")
        .and_then(post::text)
        .unwrap_or_default();
    if let Some(pattern) = permalinks.get(section).and_then(post::text) {
        let date = key(&p.meta, "date")
            .and_then(|v| post::date(v, chrono::FixedOffset::east_opt(0)?).ok())
            .map(|d| d.date_naive())
            .or(p.file_date)?;
        let url = fill(&pattern, &date, |name| match name {
            "title" => Some(urlize(&title)),
            "slug" => Some(slug.clone().map_or_else(|| urlize(&title), |s| urlize(&s))),
            "slugorfilename" | "slugorcontentbasename" => {
                Some(slug.clone().unwrap_or_else(|| p.file_slug.clone()))
            }
            "filename" | "contentbasename" => Some(p.file_slug.clone()),
            "section" => Some(section.to_owned()),
            "sections" => Some(
                rel.parent()
                    .map(|d| d.to_string_lossy().replace('\\', "/"))
                    .unwrap_or_default(),
            ),
            _ => None,
        })?;
        return finish(url);
    }
    // The file's folders, then its slug or name.
    let bundle = rel
        .file_stem()
        .is_some_and(|s| s == "index" || s.to_string_lossy().starts_with("index."));
    let parent = rel.parent().unwrap_or(Path::new(""));
    let dirs = if bundle {
        parent.parent().unwrap_or(Path::new(""))
    } else {
        parent
    };
    let name = slug.unwrap_or_else(|| {
        if bundle {
            p.file_slug.clone()
        } else {
            rel.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        }
    });
    let mut url = String::from("/");
    for d in dirs.iter() {
        url.push_str(&d.to_string_lossy());
        url.push('/');
    }
    url.push_str(&name);
    url.push_str(if ugly { ".html" } else { "/" });
    finish(url)
}

// --- Zola -----------------------------------------------------------------

fn zola(root: &Path) -> Result<OldTree, Problems> {
    let settings = config(&root.join("config.toml"))
        .map_err(|e| vec![e])?
        .unwrap_or_default();
    let (host, base_path) = split_url(&setting(&settings, "base_url").unwrap_or_default());
    let slugify_on = key(&settings, "slugify")
        .and_then(Value::as_mapping)
        .and_then(|m| m.get("paths"))
        .and_then(post::text)
        .is_none_or(|v| v == "on");
    let langs = languages(&settings, "default_language");
    let content = root.join("content");
    if !content.is_dir() {
        return Err(vec![(
            content,
            "there is no content folder here: give the folder where Zola's config.toml is".into(),
        )]);
    }
    let mut tree = OldTree::new(
        root,
        vec![(String::new(), root.join("static"))],
        base_path,
        host,
    );
    let mut problems = Vec::new();
    for file in markdown_files(&content, NEVER) {
        let rel = file.strip_prefix(&content).unwrap_or(&file).to_owned();
        if rel
            .file_stem()
            .is_some_and(|s| s == "_index" || s.to_string_lossy().starts_with("_index."))
        {
            tree.left_out.push((file, "a section's list page"));
            continue;
        }
        match read_post(&file, &langs) {
            Ok(Some(mut p)) => {
                if !has_date(&p) {
                    tree.left_out.push((file, "a page without a date"));
                    continue;
                }
                p.old_url = Some(zola_url(&p, &rel, slugify_on));
                tree.posts.push(p);
            }
            Ok(None) => tree.left_out.push((file, "no front matter")),
            Err(e) => problems.push(e),
        }
    }
    finish(tree, problems)
}

fn zola_url(p: &Post, rel: &Path, slugify_on: bool) -> String {
    if let Some(path) = key(&p.meta, "path").and_then(post::text) {
        let path = path.trim_matches('/');
        return format!("/{path}/");
    }
    let bundle = rel
        .file_stem()
        .is_some_and(|s| s == "index" || s.to_string_lossy().starts_with("index."));
    let parent = rel.parent().unwrap_or(Path::new(""));
    let dirs = if bundle {
        parent.parent().unwrap_or(Path::new(""))
    } else {
        parent
    };
    let name = key(&p.meta, "slug")
        .and_then(post::text)
        .unwrap_or_else(|| p.file_slug.clone());
    // With `slugify.paths = "on"` (the default) Zola makes names ASCII;
    // for ASCII names that is lower case with `-` between words.
    let name = if slugify_on {
        text::slugify(&name)
    } else {
        name
    };
    let mut url = String::from("/");
    for d in dirs.iter() {
        let d = d.to_string_lossy();
        url.push_str(&if slugify_on {
            text::slugify(&d)
        } else {
            d.into_owned()
        });
        url.push('/');
    }
    url.push_str(&name);
    url.push('/');
    url
}

// --- Any Markdown tree (Gatsby, Eleventy) ----------------------------------

fn markdown(root: &Path) -> Result<OldTree, Problems> {
    let mut tree = OldTree::new(
        root,
        ["static", "public", ""]
            .iter()
            .map(|d| (String::new(), root.join(d)))
            .collect(),
        String::new(),
        None,
    );
    let mut problems = Vec::new();
    for file in markdown_files(root, NEVER) {
        let rel = file.strip_prefix(root).unwrap_or(&file).to_owned();
        if is_readme(&rel) {
            continue;
        }
        match read_post(&file, &[]) {
            Ok(Some(mut p)) => {
                if !has_date(&p) {
                    tree.left_out.push((file, "a page without a date"));
                    continue;
                }
                p.old_url = Some(markdown_url(&p, &rel));
                tree.posts.push(p);
            }
            Ok(None) => tree.left_out.push((file, "no front matter")),
            Err(e) => problems.push(e),
        }
    }
    finish(tree, problems)
}

/// Gatsby's `path`/`slug` with slashes, Eleventy's `permalink`, else the
/// file's place in the tree.
fn markdown_url(p: &Post, rel: &Path) -> String {
    for k in ["path", "permalink", "url", "slug"] {
        if let Some(v) = key(&p.meta, k).and_then(post::text)
            && (k != "slug" || v.contains('/'))
        {
            let v = v.strip_suffix("index.html").unwrap_or(&v);
            return format!("/{}", v.trim_start_matches('/'));
        }
    }
    let bundle = rel.file_stem().is_some_and(|s| s == "index");
    let no_ext = rel.with_extension("");
    let path = if bundle {
        no_ext.parent().unwrap_or(Path::new("")).to_owned()
    } else {
        no_ext
    };
    format!("/{}/", path.to_string_lossy().replace('\\', "/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(name: &str, meta: &str) -> Post {
        let (date, slug) = post::dated_name(name);
        Post {
            file: PathBuf::from(format!("{name}.md")),
            meta: serde_yaml::from_str(meta).unwrap(),
            body: String::new(),
            file_date: date,
            file_slug: slug.into(),
            old_url: None,
            draft: false,
            lang: None,
            space_separated_tags: true,
            label: None,
        }
    }

    #[test]
    fn jekyll_permalinks() {
        let p = post("2014-11-11-my-title", "title: x");
        let cats = ["News".to_string(), "World Cup".to_string()];
        assert_eq!(
            jekyll_url("date", &p, &cats).unwrap(),
            "/news/world-cup/2014/11/11/my-title.html"
        );
        assert_eq!(
            jekyll_url("pretty", &p, &[]).unwrap(),
            "/2014/11/11/my-title/"
        );
        assert_eq!(
            jekyll_url("/:year/:i_month/:slug/", &p, &[]).unwrap(),
            "/2014/11/my-title/"
        );
    }

    #[test]
    fn hugo_addresses() {
        let perma: Mapping = serde_yaml::from_str("posts: /:year/:month/:slug/").unwrap();
        let p = post("first", "title: Hello World\ndate: 2020-03-04");
        assert_eq!(
            hugo_url(
                &p,
                Path::new("posts/first.md"),
                "posts",
                &perma,
                true,
                false
            )
            .unwrap(),
            "/2020/03/hello-world/"
        );
        assert_eq!(
            hugo_url(&p, Path::new("blog/First.md"), "blog", &perma, true, false).unwrap(),
            "/blog/first/"
        );
        let p = post("bundle", "date: 2020-03-04\nurl: /old/Place/");
        assert_eq!(
            hugo_url(
                &p,
                Path::new("posts/bundle/index.md"),
                "posts",
                &perma,
                true,
                false
            )
            .unwrap(),
            "/old/Place/"
        );
    }
}
