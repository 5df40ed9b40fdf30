//! Reads `content/`: the only file-system access of the content layer.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

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
}

#[derive(Default)]
struct Folder {
    articles: Vec<PathBuf>,
    others: Vec<String>,
}

/// Every article file under `root/content`, in path order, unread.
pub fn scan(root: &Path) -> Result<Vec<Found>> {
    let dir = root.join(CONTENT_DIR);
    let mut folders: BTreeMap<PathBuf, Folder> = BTreeMap::new();
    // Symlinked articles and images are followed (walkdir reports loops).
    let walk = WalkDir::new(&dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(&e.file_name().to_string_lossy()));
    for entry in walk {
        let entry = entry.map_err(|e| Error::Io {
            action: "cannot read",
            path: e.path().map_or_else(|| dir.clone(), Path::to_path_buf),
            source: e.into(),
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(root)
            .unwrap_or(entry.path())
            .to_path_buf();
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
    Ok(folders
        .into_values()
        .flat_map(|f| {
            let bundle = f.articles.len() == 1;
            let others = f.others;
            f.articles.into_iter().map(move |path| Found {
                path,
                siblings: others.clone(),
                bundle,
            })
        })
        .collect())
}

/// Reads and decodes one found article.
pub fn read(root: &Path, found: &Found) -> Result<std::result::Result<SourceFile, Diagnostic>> {
    let bytes = fs::read(&root.join(&found.path))?;
    Ok(SourceFile::new(found.path.clone(), bytes).map(|mut file| {
        file.siblings = found.siblings.clone();
        file.bundle = found.bundle;
        file
    }))
}

/// Every article under `root/content`, in path order, with the problems of
/// files that could not be decoded.
pub fn load(root: &Path) -> Result<(Vec<SourceFile>, Vec<Diagnostic>)> {
    let results: Vec<Result<std::result::Result<SourceFile, Diagnostic>>> = scan(root)?
        .par_iter()
        .map(|found| read(root, found))
        .collect();
    let mut files = Vec::with_capacity(results.len());
    let mut problems = Vec::new();
    for r in results {
        match r? {
            Ok(file) => files.push(file),
            Err(d) => problems.push(d),
        }
    }
    Ok((files, problems))
}
