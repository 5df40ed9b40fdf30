//! `arshif new DIR`: what a newsroom edits, and nothing it does not: the
//! settings, a sample article with its image, a Pages workflow pinned to
//! this version of arshif, a README and a .gitignore. The theme stays
//! built in (so theme fixes arrive with new versions) until the user
//! copies a part of it into the site (`theme::copy`).

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::fs;

/// Where the version of arshif goes in the workflow.
const VERSION_SLOT: &str = "@VERSION@";

/// The workflow a new site publishes itself with, pinned to this version.
pub fn workflow() -> String {
    include_str!("pages.yml").replace(VERSION_SLOT, env!("CARGO_PKG_VERSION"))
}

/// The files of a new site, relative to its folder.
fn files() -> Vec<(&'static str, Cow<'static, [u8]>)> {
    vec![
        (
            "site.yaml",
            Cow::Borrowed(include_bytes!("../../site.yaml")),
        ),
        ("README.md", Cow::Borrowed(include_bytes!("README.md"))),
        (".gitignore", Cow::Borrowed(b"/public/\n/.public.*\n")),
        (
            ".github/workflows/pages.yml",
            Cow::Owned(workflow().into_bytes()),
        ),
        (
            ".github/install-arshif.sh",
            Cow::Borrowed(include_bytes!("install-arshif.sh")),
        ),
        (
            "content/2023/putin-beijing-visit.md",
            Cow::Borrowed(include_bytes!("putin-beijing-visit.md")),
        ),
        (
            "content/2023/putin.jpg",
            Cow::Borrowed(include_bytes!("putin.jpg")),
        ),
    ]
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
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&path, &bytes)?;
        written.push(PathBuf::from(rel));
    }
    Ok(written)
}
