//! The manifest of a build's output: every file's fingerprint and size by
//! output path. The difference of two manifests is what a build writes;
//! the rest it keeps as the previous build left it.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;
use std::time::SystemTime;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::pipeline::{BuildReport, FileSource, Site};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Entry {
    pub fingerprint: u64,
    pub size: u64,
}

#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Manifest {
    files: FxHashMap<Arc<str>, Entry>,
}

/// What a build does to the previous output.
#[derive(Debug, Default)]
pub struct Diff<'a> {
    /// New files and files whose fingerprint changed.
    write: FxHashSet<&'a str>,
    /// Files as they were.
    pub kept: Vec<&'a str>,
}

impl Diff<'_> {
    pub fn writes(&self, path: &str) -> bool {
        self.write.contains(path)
    }
}

/// The manifest of `site`, given each page's fingerprint (in the plan's
/// order); sizes are filled in once the files are written (`with_sizes`).
pub fn of(site: &Site, pages: &[u64]) -> Manifest {
    let now = SystemTime::now();
    let pages = site
        .pages
        .par_iter()
        .zip(pages)
        .map(|(p, fp)| (Arc::clone(&p.path), *fp));
    let files = site
        .files
        .par_iter()
        .map(|f| (Arc::from(f.path.as_str()), file_fingerprint(&f.from, now)));
    Manifest {
        files: pages
            .chain(files)
            .map(|(path, fingerprint)| {
                (
                    path,
                    Entry {
                        fingerprint,
                        size: 0,
                    },
                )
            })
            .collect(),
    }
}

/// A fingerprint of a site file's bytes: of the bytes themselves, or of
/// the copied file (`stamp::file_fingerprint`).
fn file_fingerprint(from: &FileSource, now: SystemTime) -> u64 {
    match from {
        FileSource::Bytes(b) => bytes_fingerprint(b),
        FileSource::Copy(path) => crate::stamp::file_fingerprint(path, now),
        FileSource::Kept(fingerprint) => *fingerprint,
        // The site's copy is a hard link to it: one damaged in place is
        // made again as a new file, which the previous output does not have.
        FileSource::Cached(path) => crate::stamp::identity_fingerprint(path),
        FileSource::Spooled { fingerprint, .. } => *fingerprint,
    }
}

/// The fingerprint of a file made of `bytes`.
pub fn bytes_fingerprint(bytes: &[u8]) -> u64 {
    let mut h = DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

impl Manifest {
    pub fn diff(&self, old: &Manifest) -> Diff<'_> {
        let mut diff = Diff::default();
        for (path, entry) in &self.files {
            if old.has(path, entry) {
                diff.kept.push(path);
            } else {
                diff.write.insert(path);
            }
        }
        diff
    }

    /// Whether this manifest has the file at `path` as `entry` says.
    fn has(&self, path: &str, entry: &Entry) -> bool {
        self.files
            .get(path)
            .is_some_and(|o| o.fingerprint == entry.fingerprint)
    }

    /// What the files of this manifest change in an output that has
    /// `old`'s.
    pub fn changes(&self, old: &Manifest) -> crate::output::Changes {
        let written = self
            .files
            .iter()
            .filter(|(path, e)| !old.has(path, e))
            .map(|(path, _)| Arc::clone(path))
            .collect();
        let removed = old
            .files
            .keys()
            .filter(|p| !self.files.contains_key(*p))
            .cloned()
            .collect();
        crate::output::Changes { written, removed }
    }

    /// Every file's path.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(|p| &**p)
    }

    /// Whether every file is as in `old`, and no other.
    pub fn unchanged_from(&self, old: &Manifest) -> bool {
        self.files.len() == old.files.len() && self.files.iter().all(|(path, e)| old.has(path, e))
    }

    /// This manifest with the sizes of the files just written, and of the
    /// others as `old` has them.
    pub fn with_sizes(mut self, written: &FxHashMap<String, u64>, old: &Manifest) -> Manifest {
        for (path, entry) in &mut self.files {
            entry.size = written
                .get(path.as_ref())
                .copied()
                .or_else(|| old.files.get(path).map(|o| o.size))
                .unwrap_or(0);
        }
        self
    }

    /// The build's report: the whole site, and how many pages were
    /// rendered this time.
    pub fn report(&self, site: &Site, rendered: usize) -> BuildReport {
        BuildReport::new(site, rendered, self.files.values().map(|e| e.size))
    }

    /// The fingerprint of the file at `path`, if the manifest has it.
    pub fn fingerprint(&self, path: &str) -> Option<u64> {
        self.files.get(path).map(|e| e.fingerprint)
    }

    /// Sets the entry of one file written after the build (the preview's
    /// search index, made after the reload), or removes it.
    pub fn set(&mut self, path: &str, entry: Option<Entry>) {
        match entry {
            Some(e) => {
                self.files.insert(Arc::from(path), e);
            }
            None => {
                self.files.remove(path);
            }
        }
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(files: &[(&str, u64)]) -> Manifest {
        Manifest {
            files: files
                .iter()
                .map(|(p, fp)| {
                    let entry = Entry {
                        fingerprint: *fp,
                        size: 1,
                    };
                    (Arc::from(*p), entry)
                })
                .collect(),
        }
    }

    #[test]
    fn a_diff_writes_new_and_changed_files_and_keeps_the_rest() {
        let old = manifest(&[("a", 1), ("b", 2), ("gone", 3)]);
        let new = manifest(&[("a", 1), ("b", 20), ("c", 4)]);
        let diff = new.diff(&old);
        assert_eq!(diff.kept, ["a"], "what is gone is neither kept nor written");
        assert!(diff.writes("b") && diff.writes("c") && !diff.writes("a"));
        assert!(!diff.writes("gone"));
    }
}
