//! Posts of another generator made into arshif articles: front matter
//! mapped, markup converted, links and files pointed at the new site, and
//! each old address kept as an alias.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use serde_yaml::{Mapping, Value};

use super::links::{self, OldSite, Target};
use super::markup::{self, Reference};
use super::post::{self, Goes, Post};
use super::{Planned, Report};
use crate::content::front_matter;
use crate::content::load::CONTENT_DIR;
use crate::diagnostics::Diagnostic;
use crate::text;
use crate::url::UrlPath;

/// The old site the posts come from, for links and files.
pub struct From<'a> {
    pub root: &'a Path,
    pub static_roots: &'a [(String, PathBuf)],
    pub base_path: &'a str,
    pub host: Option<&'a str>,
    /// The site being imported into: its language and timezone.
    pub language: &'a str,
    pub tz: FixedOffset,
}

/// An article taking shape: its place first, then its text.
struct Shaped {
    date: DateTime<FixedOffset>,
    slug: String,
    /// Relative to the site's root: `content/2014/title.md`.
    path: PathBuf,
    /// Whether the file name is not the slug, so `slug:` is written.
    write_slug: bool,
    meta: Mapping,
    body: String,
    old_url: Option<String>,
}

/// Files to copy: from the old site, to a path in the new one.
pub type Copies = Vec<(PathBuf, PathBuf)>;

/// Makes `posts` into articles; problems are per post.
pub fn convert(
    posts: &[Post],
    from: &From<'_>,
    report: &mut Report,
) -> Result<(Vec<Planned>, Copies), Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let mut shaped: Vec<Shaped> = Vec::new();
    let mut kept: Vec<&Post> = Vec::new();
    for p in posts {
        match shape(p, from, report) {
            Ok(s) => {
                shaped.push(s);
                kept.push(p);
            }
            Err(d) => problems.push(d),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    place(&mut shaped, report);

    let by_url: HashMap<String, usize> = shaped
        .iter()
        .enumerate()
        .filter_map(|(i, s)| Some((links::url_key(s.old_url.as_deref()?)?, i)))
        .collect();
    let by_file: HashMap<PathBuf, usize> = kept
        .iter()
        .enumerate()
        .map(|(i, p)| (links::normalise(&p.file), i))
        .collect();
    let old = OldSite {
        static_roots: from.static_roots,
        root: from.root,
        base_path: from.base_path,
        host: from.host,
        by_url: &by_url,
        by_file: &by_file,
    };
    // Jekyll's `post_url` names a post by its file name.
    let stems: HashMap<String, PathBuf> = kept
        .iter()
        .filter_map(|p| {
            Some((
                p.file.file_stem()?.to_string_lossy().into_owned(),
                p.file.clone(),
            ))
        })
        .collect();
    let mut files = Files::default();
    let mut claimed: HashMap<String, PathBuf> = HashMap::new();
    let mut planned = Vec::new();
    for i in 0..shaped.len() {
        let body = body(i, &shaped, &kept, &stems, &old, &mut files, report);
        let s = &shaped[i];
        let mut meta = s.meta.clone();
        if let Some(Value::Mapping(image)) = meta.get_mut("image") {
            let src = image.get("src").and_then(post::text).unwrap_or_default();
            match file_for(&src, kept[i], s, &old, &mut files, report) {
                Some(src) => {
                    image.insert("src".into(), src.into());
                }
                None => {
                    let image = meta.remove("image").expect("just seen");
                    extra(&mut meta).insert("image".into(), image);
                }
            }
        }
        aliases(&mut meta, s, &mut claimed, report);
        let mut ordered = Mapping::new();
        for k in front_matter::KEYS {
            if k == "slug" && s.write_slug {
                ordered.insert(k.into(), s.slug.clone().into());
            }
            if let Some(v) = meta.remove(k) {
                ordered.insert(k.into(), v);
            }
        }
        let yaml = serde_yaml::to_string(&ordered).map_err(|e| {
            vec![Diagnostic::error(
                &kept[i].file,
                None,
                format!("cannot write its front matter: {e}"),
            )]
        })?;
        planned.push(Planned {
            path: s.path.clone(),
            text: format!("---\n{yaml}---\n\n{}\n", body.trim()),
            copies: Vec::new(),
        });
    }
    Ok((planned, files.copies))
}

/// Front matter mapped, and the date and slug that place the article.
fn shape(p: &Post, from: &From<'_>, report: &mut Report) -> Result<Shaped, Diagnostic> {
    let err =
        |m: String, help: &str| Diagnostic::error(&p.file, None, m).with_help(help.to_owned());
    let mut meta = Mapping::new();
    let mut extra_keys = Mapping::new();
    let mut tags: Vec<String> = Vec::new();
    let mut aliases: Vec<String> = Vec::new();
    let mut date = None;
    let mut draft = p.draft;
    let mut slug = None;
    let mut lang = p.lang.clone();
    let mut entries: Vec<(String, Value)> = Vec::new();
    for (k, v) in &p.meta {
        let Some(k) = k.as_str().map(str::to_owned).or_else(|| post::text(k)) else {
            continue;
        };
        // Zola's `[taxonomies]` and everyone's `extra:` are opened up.
        let opened = k == "extra" || post::goes(&k) == Goes::Taxonomies;
        if let (true, Value::Mapping(inner)) = (opened, v) {
            for (ik, iv) in inner {
                let Some(ik) = ik.as_str() else { continue };
                if k == "extra" {
                    extra_keys.insert(ik.into(), iv.clone());
                } else {
                    entries.push((ik.to_owned(), iv.clone()));
                }
            }
            continue;
        }
        entries.push((k, v.clone()));
    }
    for (k, v) in entries {
        let goes = post::goes(&k);
        let mapped = |report: &mut Report, to: &str| {
            if !k.eq_ignore_ascii_case(to) {
                *report.mapped.entry(format!("{k} → {to}")).or_default() += 1;
            }
        };
        let taken = match goes {
            Goes::Title if !meta.contains_key("title") => post::text(&v).map(|t| {
                meta.insert("title".into(), t.into());
            }),
            Goes::Date if date.is_none() => match post::date(&v, from.tz) {
                Ok(d) => {
                    mapped(report, "date");
                    date = Some((d, post::has_time(&v)));
                    Some(())
                }
                // The file's name has the day: take it, and say so.
                Err(e) if p.file_date.is_some() => {
                    report.notes.push(format!(
                        "{}: {e}; took the date of its file name",
                        p.shown(from.root)
                    ));
                    Some(())
                }
                Err(e) => {
                    return Err(err(
                        format!(
                            "`{k}: {}` is not a date: {e}",
                            post::text(&v).unwrap_or_default()
                        ),
                        "write it as 2016-05-27 20:10:00 +03:00, or fix it in the source",
                    ));
                }
            },
            Goes::Updated if !meta.contains_key("updated") => {
                post::date(&v, from.tz).ok().map(|d| {
                    mapped(report, "updated");
                    meta.insert(
                        "updated".into(),
                        post::written(d, post::has_time(&v)).into(),
                    );
                })
            }
            Goes::Author if !meta.contains_key("author") => {
                let names = post::names(&v, false);
                (!names.is_empty()).then(|| {
                    mapped(report, "author");
                    meta.insert("author".into(), one_or_list(names));
                })
            }
            Goes::Source if !meta.contains_key("source") => post::text(&v).map(|s| {
                meta.insert("source".into(), s.into());
            }),
            Goes::SourceUrl => post::text(&v)
                .filter(|u| crate::markdown::is_web(u))
                .map(|u| {
                    meta.insert("source_url".into(), u.into());
                }),
            Goes::Tags => {
                let names = post::names(&v, p.space_separated_tags);
                mapped(report, "tags");
                tags.extend(names);
                Some(())
            }
            Goes::Summary if !meta.contains_key("summary") => post::text(&v).map(|s| {
                mapped(report, "summary");
                meta.insert("summary".into(), plain(&s).into());
            }),
            Goes::Image if !meta.contains_key("image") => {
                post::image(&v).map(|(src, caption, alt)| {
                    mapped(report, "image");
                    let mut image = Mapping::new();
                    image.insert("src".into(), src.into());
                    if let Some(c) = caption {
                        image.insert("caption".into(), c.into());
                    }
                    if let Some(a) = alt {
                        image.insert("alt".into(), a.into());
                    }
                    meta.insert("image".into(), image.into());
                })
            }
            Goes::Draft => v.as_bool().map(|b| draft |= b),
            Goes::Published => match (v.as_bool(), post::date(&v, from.tz)) {
                (Some(b), _) => {
                    mapped(report, "draft");
                    draft |= !b;
                    Some(())
                }
                // Some Gatsby sites write the date as `published: 2019-09-23`.
                (None, Ok(d)) if date.is_none() => {
                    mapped(report, "date");
                    date = Some((d, post::has_time(&v)));
                    Some(())
                }
                _ => None,
            },
            Goes::Slug if slug.is_none() => post::text(&v).map(|s| slug = Some(s)),
            Goes::Lang => post::text(&v)
                .filter(|l| post::is_language_tag(l))
                .map(|l| lang = Some(l)),
            Goes::Aliases => {
                mapped(report, "aliases");
                aliases.extend(post::names(&v, false));
                Some(())
            }
            Goes::OldUrl => Some(()),
            _ => None,
        };
        if taken.is_none() {
            *report.extra.entry(k.clone()).or_default() += 1;
            extra_keys.insert(k.into(), v);
        }
    }
    let title = match meta.get("title").and_then(post::text) {
        Some(t) => t,
        None => {
            let t = heading(&p.body).unwrap_or_else(|| p.file_slug.replace(['-', '_'], " "));
            report
                .notes
                .push(format!("{}: no title; took `{t}`", p.shown(from.root)));
            meta.insert("title".into(), t.clone().into());
            t
        }
    };
    if title.trim().is_empty() {
        return Err(err("it has no title".into(), "give it a `title:`"));
    }
    // Jekyll dates a draft without one by its file's time.
    let modified = || {
        let time = std::fs::metadata(&p.file).and_then(|m| m.modified()).ok()?;
        Some(DateTime::<chrono::Utc>::from(time).with_timezone(&from.tz))
    };
    let date = date
        .or_else(|| p.file_date.map(|d| (post::midnight(d, from.tz), false)))
        .or_else(|| {
            if draft {
                modified().map(|d| (d, true))
            } else {
                None
            }
        });
    let (date, timed) = match date {
        Some(d) => d,
        None => {
            return Err(err(
                "it has no date".into(),
                "give it a `date:` or a dated file name",
            ));
        }
    };
    meta.insert("date".into(), post::written(date, timed).into());
    // `”کامنت‌دونی”`: quotes around a name are not part of it.
    for t in &mut tags {
        let bare = t.trim_matches(|c: char| "\"'“”«»‘’„".contains(c)).trim();
        if bare.len() != t.len() && !bare.is_empty() {
            report.notes.push(format!(
                "{}: the tag `{t}` is `{bare}`, without its quotes",
                p.shown(from.root)
            ));
            *t = bare.to_owned();
        }
    }
    let mut seen = HashSet::new();
    tags.retain(|t| !is_uncategorised(t) && seen.insert(text::term_key(t)));
    if !tags.is_empty() {
        meta.insert(
            "tags".into(),
            Value::Sequence(tags.into_iter().map(Value::from).collect()),
        );
    }
    if draft {
        meta.insert("draft".into(), true.into());
    }
    if let Some(l) = lang.filter(|l| l != from.language) {
        meta.insert("lang".into(), l.into());
    }
    if p.body.trim().is_empty() && !draft {
        return Err(err(
            "the post has no text".into(),
            "leave it out, or write its text",
        ));
    }
    if !aliases.is_empty() {
        // Hugo reads a relative alias from the page's section, the folder
        // above its address.
        let dir = p.old_url.as_deref().map_or("", |u| {
            u.trim_end_matches('/')
                .rsplit_once('/')
                .map_or("", |(d, _)| d)
        });
        let resolved: Vec<Value> = aliases
            .into_iter()
            .map(|a| {
                if a.starts_with('/') || crate::markdown::is_web(&a) {
                    a
                } else {
                    format!("{}/{a}", dir.trim_end_matches('/'))
                }
            })
            .map(Value::from)
            .collect();
        meta.insert("aliases".into(), Value::Sequence(resolved));
    }
    if !extra_keys.is_empty() {
        meta.insert("extra".into(), extra_keys.into());
    }
    let slug = new_slug(slug.as_deref(), &p.file_slug, &title);
    Ok(Shaped {
        date,
        path: PathBuf::new(),
        slug,
        write_slug: false,
        meta,
        body: p.body.clone(),
        old_url: p.old_url.clone(),
    })
}

/// The slug as given (percent-decoded, the last part of a path), else the
/// file's, made valid for a URL.
fn new_slug(given: Option<&str>, file_slug: &str, title: &str) -> String {
    let given = given.map(|s| {
        let decoded = percent_encoding::percent_decode_str(s)
            .decode_utf8_lossy()
            .into_owned();
        decoded
            .trim_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or("")
            .to_owned()
    });
    for candidate in [given.as_deref(), Some(file_slug), Some(title)]
        .into_iter()
        .flatten()
    {
        let slug = if text::is_valid_slug(candidate) {
            candidate.to_owned()
        } else {
            text::slugify(candidate)
        };
        if !slug.is_empty() {
            return cut(&slug);
        }
    }
    "article".into()
}

/// A slug short enough to be a folder name, cut between words.
fn cut(slug: &str) -> String {
    if text::segment_too_long(slug).is_none() {
        return slug.to_owned();
    }
    let mut out = String::new();
    for word in slug.split('-') {
        if out.len() + word.len() + 1 > 200 {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(word);
    }
    out
}

/// Gives each article a file and a URL of its own: `content/YEAR/slug.md`.
fn place(shaped: &mut [Shaped], report: &mut Report) {
    let mut urls: HashSet<String> = HashSet::new();
    let mut paths: HashSet<PathBuf> = HashSet::new();
    for s in shaped.iter_mut() {
        let day = s.date.format("%Y/%m/%d").to_string();
        let base = s.slug.clone();
        let mut n = 1;
        while !urls.insert(format!("{day}/{}", s.slug)) {
            n += 1;
            s.slug = format!("{base}-{n}");
        }
        if n > 1 {
            report.notes.push(format!(
                "two posts of {day} have the slug `{base}`: one is now `{}`",
                s.slug
            ));
        }
        let folder = PathBuf::from(CONTENT_DIR).join(s.date.format("%Y").to_string());
        let mut path = folder.join(format!("{}.md", s.slug));
        let mut n = 1;
        while !paths.insert(path.clone()) {
            n += 1;
            path = folder.join(format!("{}-{n}.md", s.slug));
            s.write_slug = true;
        }
        s.path = path;
    }
}

/// The post's body: markup converted, links and files pointed at the new site.
fn body(
    i: usize,
    shaped: &[Shaped],
    posts: &[&Post],
    stems: &HashMap<String, PathBuf>,
    old: &OldSite<'_>,
    files: &mut Files,
    report: &mut Report,
) -> String {
    let p = posts[i];
    let here = p.file.parent().unwrap_or(Path::new(""));
    let find = |r: Reference<'_>| -> Option<String> {
        let target = match r {
            Reference::PostUrl(name) => {
                let name = name.rsplit('/').next().unwrap_or(name);
                stems.get(name)?.clone()
            }
            Reference::Path(path) => {
                let path = path.trim_start_matches('/');
                [
                    here.to_owned(),
                    old.root.join("content"),
                    old.root.to_owned(),
                ]
                .iter()
                .map(|dir| links::normalise(&dir.join(path)))
                .find(|f| old.by_file.contains_key(f))?
            }
        };
        Some(links::relative(here, &target))
    };
    let (text, counts) = markup::convert(&shaped[i].body, &find);
    for (name, n) in counts {
        *report.converted.entry(name.to_owned()).or_default() += n;
    }
    let s = &shaped[i];
    let new_dir = s.path.parent().unwrap_or(Path::new("")).to_owned();
    let mut edits = Vec::new();
    for d in links::destinations(&text) {
        let new = match old.find(&d.dest, &p.file, s.old_url.as_deref()) {
            Target::Keep => continue,
            Target::Post(j, fragment) => {
                let mut link = if d.html {
                    new_url(&shaped[j])
                } else {
                    links::relative(&new_dir, &shaped[j].path)
                };
                if !fragment.is_empty() {
                    link = format!("{link}#{fragment}");
                }
                link
            }
            Target::File(src) => files.beside(&src, &new_dir, &s.slug) + links::suffix(&d.dest),
            Target::Static(src, rooted) => files.in_static(src, &rooted) + links::suffix(&d.dest),
            // A whole address stays one: the old site may still answer it.
            Target::Missing(_) if crate::markdown::is_web(&d.dest) => {
                report.notes.push(format!(
                    "{}: `{}` is not in what was imported; kept as a link to the old site",
                    p.shown(old.root),
                    d.dest
                ));
                continue;
            }
            Target::Missing(rooted) => {
                report.notes.push(format!(
                    "{}: `{}` leads nowhere on the old site; kept as `{rooted}`",
                    p.shown(old.root),
                    d.dest
                ));
                rooted
            }
        };
        let new = if d.html {
            new
        } else {
            markup::destination(&new)
        };
        edits.push((d.range, new));
    }
    let text = links::rewrite(&text, edits);
    for left in crate::markdown::foreign_markup_of(&text) {
        *report.unconverted.entry(left.what).or_default() += 1;
        report.unconverted_in.insert(p.shown(old.root));
    }
    text
}

/// The front matter image's file, copied; `None` when it is not there.
fn file_for(
    src: &str,
    p: &Post,
    s: &Shaped,
    old: &OldSite<'_>,
    files: &mut Files,
    report: &mut Report,
) -> Option<String> {
    let new_dir = s.path.parent().unwrap_or(Path::new("")).to_owned();
    match old.find(src, &p.file, s.old_url.as_deref()) {
        Target::Keep | Target::Missing(_) if crate::markdown::is_web(src) => {
            if !matches!(old.find(src, &p.file, None), Target::Keep) {
                report.notes.push(format!(
                    "{}: its image `{src}` is not in what was imported; kept as a link to the old site",
                    p.shown(old.root)
                ));
            }
            Some(src.to_owned())
        }
        Target::File(from) => Some(files.beside(&from, &new_dir, &s.slug)),
        Target::Static(from, rooted) => Some(files.in_static(from, &rooted)),
        _ => {
            report.notes.push(format!(
                "{}: its image `{src}` is not there; kept under extra",
                p.shown(old.root)
            ));
            None
        }
    }
}

/// Aliases: the post's own and its old address, each once in the import.
fn aliases(
    meta: &mut Mapping,
    s: &Shaped,
    claimed: &mut HashMap<String, PathBuf>,
    report: &mut Report,
) {
    let mut list: Vec<String> = meta
        .remove("aliases")
        .map(|v| post::names(&v, false))
        .unwrap_or_default();
    if let Some(old) = &s.old_url {
        list.push(old.clone());
    }
    let new = new_url(s);
    let mut kept = Vec::new();
    for alias in list {
        let Ok(path) = UrlPath::alias(&alias) else {
            report.notes.push(format!(
                "{}: the old address `{alias}` cannot be redirected (a static site cannot answer a query); left out",
                s.path.display()
            ));
            continue;
        };
        let key = path.as_str().to_owned();
        if links::url_key(&key) == links::url_key(&new) {
            report.same_url += 1;
            continue;
        }
        match claimed.get(&key) {
            Some(other) if other != &s.path => report.notes.push(format!(
                "{}: the old address `{alias}` is also {}'s; it redirects there",
                s.path.display(),
                other.display()
            )),
            Some(_) => {}
            None => {
                claimed.insert(key, s.path.clone());
                kept.push(Value::from(alias));
            }
        }
    }
    report.redirects += kept.len();
    if !kept.is_empty() {
        meta.insert("aliases".into(), Value::Sequence(kept));
    }
}

/// The article's address on the new site, from its root.
fn new_url(s: &Shaped) -> String {
    format!("/{}/{}/", s.date.format("%Y/%m/%d"), s.slug)
}

/// Files to copy, each to one place: beside an article, or into static/.
#[derive(Default)]
struct Files {
    copies: Vec<(PathBuf, PathBuf)>,
    /// Destination (relative to the site) → source.
    taken: HashMap<PathBuf, PathBuf>,
}

impl Files {
    /// Copies `src` into `dir` (relative to the site) and returns the name
    /// to link it by; another file of that name there gets the slug before it.
    fn beside(&mut self, src: &Path, dir: &Path, slug: &str) -> String {
        let name = src
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut candidate = name.clone();
        let mut n = 1;
        loop {
            let to = dir.join(&candidate);
            match self.taken.get(&to) {
                Some(from) if from == src => return candidate,
                None => {
                    self.taken.insert(to.clone(), src.to_owned());
                    self.copies.push((src.to_owned(), to));
                    return candidate;
                }
                Some(_) => {
                    candidate = if n == 1 {
                        format!("{slug}-{name}")
                    } else {
                        format!("{slug}-{n}-{name}")
                    };
                    n += 1;
                }
            }
        }
    }

    /// Copies `src` into static/ at `rooted`, its old address.
    fn in_static(&mut self, src: PathBuf, rooted: &str) -> String {
        let to = PathBuf::from("static").join(rooted);
        if !self.taken.contains_key(&to) {
            self.taken.insert(to.clone(), src.clone());
            self.copies.push((src, to));
        }
        format!("/{rooted}")
    }
}

fn extra(meta: &mut Mapping) -> &mut Mapping {
    let entry = meta
        .entry("extra".into())
        .or_insert_with(|| Mapping::new().into());
    if !entry.is_mapping() {
        *entry = Mapping::new().into();
    }
    entry.as_mapping_mut().expect("a map")
}

fn one_or_list(mut names: Vec<String>) -> Value {
    if names.len() == 1 {
        names.remove(0).into()
    } else {
        Value::Sequence(names.into_iter().map(Value::from).collect())
    }
}

/// WordPress's default category, which says nothing about a post.
fn is_uncategorised(tag: &str) -> bool {
    matches!(
        text::term_key(tag).as_str(),
        "uncategorized"
            | "uncategorised"
            | "غير مصنف"
            | "بدون تصنيف"
            | "دسته‌بندی نشده"
            | "ללא קטגוריה"
    )
}

/// A summary as plain text: HTML tags and Markdown emphasis taken out.
fn plain(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if in_tag => {}
            '*' | '_' | '`' => {}
            c => out.push(c),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text of a first `# heading`, for posts without a title.
fn heading(body: &str) -> Option<String> {
    body.lines()
        .find(|l| !l.trim().is_empty())
        .and_then(|l| l.strip_prefix("# "))
        .map(|t| t.trim().to_owned())
}
