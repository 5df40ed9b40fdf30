//! Links written in article bodies to other articles, files beside the
//! article and anchors: resolved by content path, then checked once every
//! article is known.

use std::borrow::Cow;
use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

use crate::content::Article;
use crate::diagnostics::Diagnostic;
use crate::url::{BaseUrl, UrlPath};

/// `../2023/b.md#part` → (`../2023/b.md`, `#part`).
pub fn split(dest: &str) -> (&str, &str) {
    match dest.find('#') {
        Some(i) => (&dest[..i], &dest[i..]),
        None => (dest, ""),
    }
}

/// The content file a relative link in `from` names: `../2024/b.md` in
/// `content/2023/a.md` is `content/2024/b.md`. Percent-encoding is decoded;
/// `None` for a path that leaves the site.
pub fn target(from: &Path, link: &str) -> Option<PathBuf> {
    let link = link.split('?').next().unwrap_or(link);
    let decoded = percent_encoding::percent_decode_str(link)
        .decode_utf8()
        .ok()?;
    let mut out = PathBuf::new();
    for c in from
        .parent()
        .unwrap_or(Path::new(""))
        .join(decoded.as_ref())
        .components()
    {
        match c {
            Component::Normal(part) => out.push(part),
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

/// Every article's content path → its URL, and whether it is held back as
/// an unpublished draft.
/// Borrowed where the articles outlive it, owned where they do not.
pub type Urls<'a> = rustc_hash::FxHashMap<Cow<'a, Path>, (Cow<'a, UrlPath>, bool)>;

/// The page link a link written in `from` (`../2023/b.md#part`) leads to:
/// published articles may link only to published ones, held-back drafts to
/// any article. `None` when there is no such article.
pub fn resolve(
    urls: &Urls,
    base: &BaseUrl,
    from: &Path,
    from_held: bool,
    dest: &str,
) -> Option<String> {
    if crate::markdown::is_rooted(dest) {
        return Some(format!("{}{}", base.path(), &dest[1..]));
    }
    let (path, fragment) = split(dest);
    let (url, target_held) = urls.get(target(from, path)?.as_path())?;
    (from_held || !target_held).then(|| format!("{}{fragment}", base.href(url)))
}

/// Every link that leads nowhere: to a missing or unpublished article, to a
/// missing anchor, or to a file that is not beside the article.
pub fn check(articles: &[&Article], unpublished: &HashSet<PathBuf>) -> Vec<Diagnostic> {
    let by_path: rustc_hash::FxHashMap<&Path, &Article> =
        articles.iter().map(|a| (a.source.as_path(), *a)).collect();
    use rayon::prelude::*;
    articles
        .par_iter()
        .flat_map_iter(|a| broken_links(a, &by_path, unpublished))
        .collect()
}

fn broken_links(
    a: &Article,
    by_path: &rustc_hash::FxHashMap<&Path, &Article>,
    unpublished: &HashSet<PathBuf>,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for link in &a.links {
        let err = |message: String, help: String| {
            Diagnostic::error(&a.source, Some(link.span), message).with_help(help)
        };
        // Links from the root are checked with the site's pages and files
        // (`pipeline::site_files`).
        if crate::markdown::is_web(&link.dest) || crate::markdown::is_rooted(&link.dest) {
            continue;
        }
        let (path, fragment) = split(&link.dest);
        let anchor = percent_encoding::percent_decode_str(fragment.trim_start_matches('#'))
            .decode_utf8_lossy();
        if path.is_empty() {
            if !a.ids.iter().any(|id| *id == anchor) {
                problems.push(err(
                    format!("link to `{}`: this article has no such heading", link.dest),
                    ids_help(a),
                ));
            }
        } else if crate::markdown::is_article_link(&link.dest) {
            let target = target(&a.source, path);
            // Resolved links found their article; unresolved ones did not
            // (even when the target is a draft that is being checked too).
            let found = target
                .as_deref()
                .filter(|_| link.resolved)
                .and_then(|t| by_path.get(t));
            match found {
                Some(b) if !anchor.is_empty() && !b.ids.iter().any(|id| *id == anchor) => problems
                    .push(err(
                        format!(
                            "link to `{}`: {} has no heading `#{anchor}`",
                            link.dest,
                            b.source.display()
                        ),
                        ids_help(b),
                    )),
                Some(_) => {}
                None if target.as_ref().is_some_and(|t| unpublished.contains(t)) => problems
                    .push(err(
                    format!("link to `{}`, a draft that is not published", link.dest),
                    "publish it (remove `draft: true`), build with --drafts, or remove the link"
                        .into(),
                )),
                None => problems.push(err(
                    format!(
                        "link to `{}`: there is no article at {}",
                        link.dest,
                        target.map_or("that path".into(), |t| t.display().to_string())
                    ),
                    "the path is relative to this file's folder, e.g. `../2023/other.md`".into(),
                )),
            }
        } else if !a
            .assets
            .iter()
            .any(|f| *f == crate::markdown::local_path(path))
        {
            problems.push(err(
                format!(
                    "link to `{}`: there is no such file beside the article",
                    link.dest
                ),
                format!(
                    "put the file in {} or correct the name",
                    a.source
                        .parent()
                        .map_or("the article's folder".into(), |p| p.display().to_string())
                ),
            ));
        }
    }
    problems
}

fn ids_help(a: &Article) -> String {
    if a.ids.is_empty() {
        "it has no headings to link to".into()
    } else {
        let ids: Vec<String> = a.ids.iter().take(8).map(|i| format!("`#{i}`")).collect();
        format!("its anchors are: {}", ids.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_relative_to_the_linking_file() {
        let from = Path::new("content/2023/a.md");
        assert_eq!(
            target(from, "b.md"),
            Some(PathBuf::from("content/2023/b.md"))
        );
        assert_eq!(
            target(from, "../2024/c.md"),
            Some(PathBuf::from("content/2024/c.md"))
        );
        assert_eq!(
            target(from, "./d.md"),
            Some(PathBuf::from("content/2023/d.md"))
        );
        assert_eq!(
            target(from, "%D8%A8.md"),
            Some(PathBuf::from("content/2023/ب.md"))
        );
        assert_eq!(target(from, "../../../../x.md"), None);
        assert_eq!(split("b.md#part"), ("b.md", "#part"));
        assert_eq!(split("#part"), ("", "#part"));
    }
}
