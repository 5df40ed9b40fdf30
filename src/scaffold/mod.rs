//! `arshif new DIR`: a working archive to start from, made of the same
//! files this repository builds its sample from.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::{fs, theme};

/// The files of a new site, relative to its folder.
fn files() -> Vec<(String, &'static [u8])> {
    let mut files: Vec<(String, &'static [u8])> = vec![
        ("site.yaml".into(), include_bytes!("../../site.yaml")),
        ("README.md".into(), include_bytes!("README.md")),
        (".gitignore".into(), b"/public/\n/.public.*\n"),
        (
            ".github/workflows/pages.yml".into(),
            include_bytes!("../../.github/workflows/pages.yml"),
        ),
        (
            "content/2023/putin-beijing-visit.md".into(),
            include_bytes!("../../content/2023/putin-beijing-visit.md"),
        ),
        (
            "content/2023/putin.jpg".into(),
            include_bytes!("../../content/2023/putin.jpg"),
        ),
    ];
    files.extend(
        theme::TEMPLATES
            .iter()
            .map(|(name, text)| (format!("templates/{name}"), text.as_bytes())),
    );
    files.extend(
        theme::STATIC
            .iter()
            .map(|(name, bytes)| (format!("static/{name}"), *bytes)),
    );
    files
}

/// Writes a new site into `dir`, which must be empty or missing unless
/// `force` is set (then files of the same names are overwritten and others
/// left alone). Returns the paths written.
pub fn create(dir: &Path, force: bool) -> Result<Vec<PathBuf>> {
    let occupied = std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some());
    if occupied && !force {
        return Err(Error::Io {
            action: "refusing to write into",
            path: dir.to_path_buf(),
            source: std::io::Error::other(
                "the folder is not empty (use --force to write into it anyway)",
            ),
        });
    }
    let mut written = Vec::new();
    for (rel, bytes) in files() {
        let path = dir.join(&rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&path, bytes)?;
        written.push(PathBuf::from(rel));
    }
    Ok(written)
}
