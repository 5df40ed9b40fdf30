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

fn is_markdown(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("md" | "markdown")
    )
}

#[derive(Default)]
struct Folder {
    articles: Vec<PathBuf>,
    others: Vec<String>,
}

/// Every article under `root/content`, in path order, with the problems of
/// files that could not be decoded.
pub fn load(root: &Path) -> Result<(Vec<SourceFile>, Vec<Diagnostic>)> {
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

    let jobs: Vec<(PathBuf, &Folder)> = folders
        .values()
        .flat_map(|f| f.articles.iter().map(move |a| (a.clone(), f)))
        .collect();
    let results: Vec<Result<std::result::Result<SourceFile, Diagnostic>>> = jobs
        .into_par_iter()
        .map(|(rel, folder)| {
            let bytes = fs::read(&root.join(&rel))?;
            Ok(SourceFile::new(rel, bytes).map(|mut file| {
                file.siblings = folder.others.clone();
                file.bundle = folder.articles.len() == 1;
                file
            }))
        })
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
