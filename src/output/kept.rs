//! The output as it was before the last build, kept beside it
//! (`.public.prev` for `public/`) to become the next build's staging
//! folder. The two trees share every file the last build did not change
//! (hard links to the same inodes), so bringing the kept one up to date
//! touches only what the last two builds changed, where a staging folder
//! made from nothing needs a folder and a link for every file of the site.
//!
//! It is trusted only while every one of its folders has the stamp it was
//! left with: adding, removing or renaming a file changes its folder's
//! modification time, so nothing can come back from it that a clean build
//! would not make. Any doubt, and the staging folder is made from nothing.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::fs;

pub fn dir(output: &Path) -> PathBuf {
    fs::sibling(output, ".", ".prev")
}

/// A folder's inode, modification time and size.
type Stamp = (u64, i64, i64, u64);

#[cfg(unix)]
fn stamp(dir: &Path) -> Option<Stamp> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::symlink_metadata(dir).ok().filter(|m| m.is_dir())?;
    Some((m.ino(), m.mtime(), m.mtime_nsec(), m.size()))
}

// Without folder stamps, no tree is kept.
#[cfg(not(unix))]
fn stamp(_: &Path) -> Option<Stamp> {
    None
}

/// Every folder of a tree (`""` for its top) and its stamp, by path
/// relative to the tree.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Folders(FxHashMap<Arc<str>, Stamp>);

/// `""` and every folder above each of `files` (`/`-separated paths).
fn folders_of<'a>(files: impl IntoIterator<Item = &'a str>) -> FxHashSet<&'a str> {
    let mut dirs = FxHashSet::default();
    dirs.insert("");
    for file in files {
        let mut path = file;
        // Once a folder is in, so are the ones above it.
        while let Some(i) = path.rfind('/') {
            path = &path[..i];
            if !dirs.insert(path) {
                break;
            }
        }
    }
    dirs
}

fn stamped(root: &Path, dirs: &[&str]) -> Vec<(Arc<str>, Option<Stamp>)> {
    dirs.par_iter()
        .map(|d| (Arc::from(*d), stamp(&root.join(d))))
        .collect()
}

impl Folders {
    /// The stamps of `root` and of the folders holding `files` in it;
    /// none when one cannot be stamped.
    pub fn of<'a>(root: &Path, files: impl IntoIterator<Item = &'a str>) -> Option<Folders> {
        let dirs: Vec<&str> = folders_of(files).into_iter().collect();
        let all = stamped(root, &dirs).into_iter();
        Some(Folders(
            all.map(|(d, s)| s.map(|s| (d, s))).collect::<Option<_>>()?,
        ))
    }

    /// Whether every folder under `root` has its stamp.
    fn hold(&self, root: &Path) -> bool {
        self.0
            .par_iter()
            .all(|(d, s)| stamp(&root.join(&**d)) == Some(*s))
    }

    /// These stamps with the folders above `files` stamped again under
    /// `root`, those no longer there left out.
    fn restamped<'a>(mut self, root: &Path, files: impl IntoIterator<Item = &'a str>) -> Folders {
        let dirs: Vec<&str> = folders_of(files).into_iter().collect();
        for (d, s) in stamped(root, &dirs) {
            match s {
                Some(s) => self.0.insert(d, s),
                None => self.0.remove(&d),
            };
        }
        self
    }
}

/// The kept tree, as the build that kept it left it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Prev {
    folders: Folders,
    /// The files where it differs from the output: those the last build
    /// wrote anew, added or removed.
    differs: Vec<Arc<str>>,
}

impl Prev {
    pub fn new(folders: Folders, differs: Vec<Arc<str>>) -> Prev {
        Prev { folders, differs }
    }

    pub fn differs(&self) -> &[Arc<str>] {
        &self.differs
    }

    /// Whether the tree at `dir` is the one recorded: every folder with
    /// its stamp, so no file added, removed or replaced there.
    pub fn holds(&self, dir: &Path) -> bool {
        self.folders.hold(dir)
    }

    /// Refuses, before anything in it changes, a kept tree at `dir` with a
    /// folder above one of `files` that this user cannot change.
    pub fn writable<'a>(&self, dir: &Path, files: impl IntoIterator<Item = &'a str>) -> Result<()> {
        for d in folders_of(files) {
            let path = dir.join(d);
            if self.folders.0.contains_key(d) {
                super::writable(&path, dir)?;
            }
        }
        Ok(())
    }

    /// The stamps of the new site made from this tree at `root`, where
    /// `files` (the ones this build and the last changed) were touched.
    pub fn restamped<'a>(&self, root: &Path, files: impl IntoIterator<Item = &'a str>) -> Folders {
        self.folders.clone().restamped(root, files)
    }
}

/// The trees beside the output, as the cache records them.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Trees {
    /// The output's folders as the last build left them: the kept tree's
    /// once the next build swaps it out.
    pub live: Option<Folders>,
    pub prev: Option<Prev>,
}

/// Removes `files` from the tree at `root`, and each folder they leave
/// empty.
pub fn remove(root: &Path, files: &[&str]) -> Result<()> {
    for file in files {
        match std::fs::remove_file(root.join(file)) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(source) => {
                return Err(Error::Io {
                    action: "cannot remove",
                    path: root.join(file),
                    source,
                });
            }
        }
        let mut path = *file;
        while let Some(i) = path.rfind('/') {
            path = &path[..i];
            // Stops at the first folder that still holds something.
            if std::fs::remove_dir(root.join(path)).is_err() {
                break;
            }
        }
    }
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn folders_are_every_one_above_a_file() {
        let mut got: Vec<&str> = folders_of(["a/b/c.html", "a/d.html", "e.html", "a/b/f/g"])
            .into_iter()
            .collect();
        got.sort();
        assert_eq!(got, ["", "a", "a/b", "a/b/f"]);
    }

    /// A folder holding `files`, each with its name as its text.
    fn tree(files: &[&str]) -> tempfile::TempDir {
        let tmp = tempfile::tempdir().unwrap();
        for f in files {
            let path = tmp.path().join(f);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, f).unwrap();
        }
        tmp
    }

    #[test]
    fn a_file_added_or_removed_anywhere_is_seen() {
        let tmp = tree(&["a/b/c.html", "top.html"]);
        let root = tmp.path();
        let folders = Folders::of(root, ["a/b/c.html", "top.html"]).unwrap();
        let prev = Prev::new(folders, Vec::new());
        assert!(prev.holds(root));
        std::fs::write(root.join("a/extra.gz"), "x").unwrap();
        assert!(!prev.holds(root), "a file added in a folder");
        let prev = Prev::new(prev.restamped(root, ["a/extra.gz"]), Vec::new());
        assert!(prev.holds(root), "stamped again");
        std::fs::remove_file(root.join("a/b/c.html")).unwrap();
        assert!(!prev.holds(root), "a file removed");
    }

    #[test]
    fn removing_files_removes_the_folders_they_leave_empty() {
        let tmp = tree(&["a/b/c.html", "a/d.html"]);
        let root = tmp.path();
        remove(root, &["a/b/c.html", "not/there.html"]).unwrap();
        assert!(!root.join("a/b").exists());
        assert!(root.join("a/d.html").exists());
        remove(root, &["a/d.html"]).unwrap();
        assert!(!root.join("a").exists());
        assert!(root.exists(), "the tree's own folder stays");
    }
}
