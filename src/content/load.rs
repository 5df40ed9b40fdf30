//! Reads `content/`: the only file-system access of the content layer.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::content::front_matter;
use crate::content::source::SourceFile;
use crate::diagnostics::Diagnostic;
use crate::error::{Error, Result};
use crate::fs;

pub const CONTENT_DIR: &str = "content";

/// Names that are not content: `_drafts/`, `.git`, `_index.md`, editor files.
pub fn is_hidden(name: &str) -> bool {
    name.starts_with('_') || name.starts_with('.')
}

pub fn is_markdown(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("md" | "markdown")
    )
}

/// An article file found under `content/`, before it is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Relative to the site root.
    pub path: PathBuf,
    /// Names of the non-Markdown files in the same folder.
    pub siblings: Vec<String>,
    /// Whether it is the only article in its folder.
    pub bundle: bool,
    /// Its size when it was found.
    pub len: u64,
}

#[derive(Default)]
struct Folder {
    articles: Vec<PathBuf>,
    others: Vec<String>,
}

/// Every article file under `root/content`, in path order, unread, with
/// the problems of entries that cannot be published.
pub fn scan(root: &Path) -> Result<(Vec<Found>, Vec<Diagnostic>)> {
    let dir = root.join(CONTENT_DIR);
    let mut folders: BTreeMap<PathBuf, Folder> = BTreeMap::new();
    // Symlinked articles and images are followed (walkdir reports loops).
    let walk = WalkDir::new(&dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(&e.file_name().to_string_lossy()));
    let mut unreadable = Vec::new();
    for entry in walk {
        let entry = entry.map_err(|e| Error::Io {
            action: "cannot read",
            path: e.path().map_or_else(|| dir.clone(), Path::to_path_buf),
            source: e.into(),
        })?;
        let rel = entry
            .path()
            .strip_prefix(root)
            .unwrap_or(entry.path())
            .to_path_buf();
        if let Some(problem) = unusable(&rel, &entry) {
            unreadable.push(problem);
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let folder = folders
            .entry(rel.parent().map(Path::to_path_buf).unwrap_or_default())
            .or_default();
        if is_markdown(&rel) {
            folder.articles.push(rel);
        } else {
            folder
                .others
                .push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    let mut found = folders
        .into_values()
        .flat_map(|f| {
            let bundle = f.articles.len() == 1;
            let others = f.others;
            f.articles.into_iter().map(move |path| Found {
                path,
                siblings: others.clone(),
                bundle,
                len: 0,
            })
        })
        .collect::<Vec<Found>>();
    // Stat-ing every article is most of the walk: spread over every thread.
    found.par_iter_mut().for_each(|f| {
        f.len = std::fs::metadata(root.join(&f.path)).map_or(0, |m| m.len());
    });
    if found.is_empty() {
        unreadable.extend(left_out(root));
    }
    Ok((found, unreadable))
}

/// With no article found, a warning for each folder under `content/` whose
/// name starts with `_` and that holds Markdown (Jekyll's `_posts`): the
/// build would otherwise say "0 articles" and nothing else.
fn left_out(root: &Path) -> Vec<Diagnostic> {
    let dir = root.join(CONTENT_DIR);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut folders: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with('_') && e.path().is_dir())
        .map(|e| e.path())
        .collect();
    folders.sort();
    folders
        .into_iter()
        .filter_map(|folder| {
            let markdown = WalkDir::new(&folder)
                .into_iter()
                .filter_map(|e| e.ok())
                .filter(|e| e.file_type().is_file() && is_markdown(e.path()))
                .count();
            let rel = folder.strip_prefix(root).unwrap_or(&folder).to_path_buf();
            let name = rel.file_name()?.to_string_lossy().into_owned();
            (markdown > 0).then(|| {
                Diagnostic::error(
                    &rel,
                    None,
                    format!(
                        "{} holds {markdown} Markdown {}, and none was built: folders and files whose names start with `_` or `.` are not articles",
                        rel.display(),
                        if markdown == 1 { "file" } else { "files" }
                    ),
                )
                .with_help(format!(
                    "move them into a folder of another name, e.g. `mv {} {}/{}`",
                    rel.display(),
                    CONTENT_DIR,
                    name.trim_start_matches('_')
                ))
                .warning()
            })
        })
        .collect()
}

/// Why an entry under `content/` cannot be published: a name that is not
/// UTF-8 (its page, asset or cache entry would be named by a lossy copy,
/// which later builds cannot find again), or something that is neither a
/// file nor a folder (a pipe, socket or device, which reading could block).
fn unusable(rel: &Path, entry: &walkdir::DirEntry) -> Option<Diagnostic> {
    if entry.file_name().to_str().is_none() {
        return Some(
            Diagnostic::error(rel, None, "this name is not valid UTF-8 text").with_help(
                "rename it with UTF-8 letters; names written in an old code page (such as Windows-1256) show up like this",
            ),
        );
    }
    let kind = entry.file_type();
    (!kind.is_file() && !kind.is_dir()).then(|| {
        Diagnostic::error(
            rel,
            None,
            "this is not a file or a folder (a named pipe, socket or device)",
        )
        .with_help("remove it or move it out of content/; only files and folders are published")
    })
}

/// Reads and decodes one found article.
pub fn read(root: &Path, found: &Found) -> Result<std::result::Result<SourceFile, Diagnostic>> {
    let bytes = fs::read(&root.join(&found.path))?;
    Ok(SourceFile::new(found.path.clone(), bytes).map(|file| beside(file, found)))
}

/// The start of an article's file: whole lines up to the end of its
/// front matter, which is all `Article::parse` needs to know its URL
/// (`Parsed::finish` then reads the whole file). A large archive is read
/// this way so that its texts are never all in memory at once.
pub fn read_head(
    root: &Path,
    found: &Found,
) -> Result<std::result::Result<SourceFile, Diagnostic>> {
    let path = root.join(&found.path);
    let failed = |source| Error::Io {
        action: "cannot read",
        path: path.clone(),
        source,
    };
    let mut file = std::fs::File::open(&path).map_err(failed)?;
    let mut bytes = Vec::new();
    // Front matter is rarely longer than a few hundred bytes.
    let mut want = 2048;
    loop {
        let more = (want - bytes.len()) as u64;
        (&mut file)
            .take(more)
            .read_to_end(&mut bytes)
            .map_err(failed)?;
        if bytes.len() < want {
            break;
        }
        // Whole lines, which never end inside a character or a CRLF.
        let lines = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        if let Ok(mut head) = SourceFile::new(found.path.clone(), bytes[..lines].to_vec())
            && let Ok(split) = front_matter::split(&head.text)
        {
            let end = head.text.len() - split.body.len();
            head.text.truncate(end);
            head.head_only = true;
            return Ok(Ok(beside(head, found)));
        }
        want *= 4;
    }
    // The whole file was read: a short one, or one whose front matter is
    // never closed or is not UTF-8, reported as `read` would.
    Ok(SourceFile::new(found.path.clone(), bytes).map(|file| beside(file, found)))
}

fn beside(mut file: SourceFile, found: &Found) -> SourceFile {
    file.siblings = found.siblings.clone();
    file.bundle = found.bundle;
    file
}

/// The text of an article's file read again, decoded as `read` does;
/// none when it can no longer be read.
pub fn read_again(root: &Path, path: &Path) -> Option<std::result::Result<String, Diagnostic>> {
    let bytes = std::fs::read(root.join(path)).ok()?;
    Some(SourceFile::new(path, bytes).map(|file| file.text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::content::Article;

    fn found(name: &str) -> Found {
        Found {
            path: PathBuf::from(name),
            siblings: Vec::new(),
            bundle: false,
            len: 0,
        }
    }

    fn both(root: &Path, name: &str, bytes: &[u8]) -> (SourceFile, SourceFile) {
        std::fs::write(root.join(name), bytes).unwrap();
        let whole = read(root, &found(name)).unwrap().unwrap();
        let head = read_head(root, &found(name)).unwrap().unwrap();
        (whole, head)
    }

    #[test]
    fn a_head_is_the_start_of_the_whole_text_up_to_the_body() {
        let dir = tempfile::tempdir().unwrap();
        let long = "ن".repeat(3000);
        let body = "نص المقال.\n".repeat(500);
        let cases = [
            (
                "short.md",
                format!("---\ntitle: ق\n---\n{body}").into_bytes(),
            ),
            (
                "long-front-matter.md",
                format!("---\ntitle: ق\nsummary: {long}\n---\n{body}").into_bytes(),
            ),
            (
                "crlf-bom.md",
                format!("\u{feff}---\r\ntitle: ق\r\nsummary: {long}\r\n---\r\n{body}").into_bytes(),
            ),
            (
                "dots.md",
                format!("---\ntitle: ق\n...\n{body}").into_bytes(),
            ),
        ];
        for (name, bytes) in cases {
            let (whole, head) = both(dir.path(), name, &bytes);
            assert!(head.head_only, "{name}");
            assert!(whole.text.starts_with(&head.text), "{name}");
            assert!(
                head.text.ends_with("---\n") || head.text.ends_with("...\n"),
                "{name}"
            );
            assert!(!head.text.contains("نص المقال"), "{name}");
        }
        // A file shorter than the first read is read whole.
        let (whole, head) = both(dir.path(), "tiny.md", b"---\ntitle: t\n---\nbody\n");
        assert!(!head.head_only);
        assert_eq!(head.text, whole.text);
    }

    #[test]
    fn a_head_reports_what_reading_the_whole_file_would() {
        let dir = tempfile::tempdir().unwrap();
        let body = "نص.\n".repeat(2000);
        let mut bad = format!("---\ntitle: ق\n{}\n", "x: y\n".repeat(600)).into_bytes();
        bad.extend_from_slice(b"\xff\xfe\n---\n");
        bad.extend_from_slice(body.as_bytes());
        let never_closed = format!("---\ntitle: ق\n{body}");
        for (name, bytes) in [("bad.md", bad), ("open.md", never_closed.into_bytes())] {
            std::fs::write(dir.path().join(name), &bytes).unwrap();
            let whole = read(dir.path(), &found(name)).unwrap();
            let head = read_head(dir.path(), &found(name)).unwrap();
            match (whole, head) {
                (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{name}"),
                (Ok(a), Ok(b)) => {
                    assert_eq!(a.text, b.text, "{name}");
                    assert!(!b.head_only, "{name}");
                }
                (a, b) => panic!("{name}: {a:?} against {b:?}"),
            }
        }
    }

    #[test]
    fn an_article_read_by_its_head_is_finished_from_its_file() {
        let dir = tempfile::tempdir().unwrap();
        let config = Config::fallback();
        let text = format!(
            "---\ntitle: ق\ndate: 2023-09-19\n---\n{}",
            "نص المقال.\n\n".repeat(400)
        );
        std::fs::write(dir.path().join("a.md"), &text).unwrap();
        let head = read_head(dir.path(), &found("a.md")).unwrap().unwrap();
        let whole = read(dir.path(), &found("a.md")).unwrap().unwrap();
        let from_head = Article::parse(head, &config).0.unwrap();
        let from_whole = Article::parse(whole, &config).0.unwrap();
        let a = from_head.finish(dir.path(), &config, &|_| None).unwrap();
        let b = from_whole.finish(dir.path(), &config, &|_| None).unwrap();
        assert_eq!(a.summary_html(), b.summary_html());
        assert_eq!(a.words, b.words);
        assert_eq!(
            a.body_html(dir.path(), &config).unwrap(),
            b.body_html(dir.path(), &config).unwrap()
        );

        // The file changed between its two readings: an error, not a mix.
        let head = read_head(dir.path(), &found("a.md")).unwrap().unwrap();
        let draft = Article::parse(head, &config).0.unwrap();
        std::fs::write(
            dir.path().join("a.md"),
            text.replace("title: ق", "title: ب"),
        )
        .unwrap();
        let err = draft.finish(dir.path(), &config, &|_| None).unwrap_err();
        assert!(
            err.to_string().contains("changed while the site was built"),
            "{err}"
        );
    }
}
