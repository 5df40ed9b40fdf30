//! The cache of resized images beside the output (`.public.images/` for
//! `public/`), shared by clean builds, cached builds, `check` and the
//! preview. A copy's file is named by a hash of everything it is made
//! from (the source's bytes, its width and format, the quality and
//! `VERSION`), so an entry never needs to be checked against its source;
//! it is written under a temporary name and renamed once complete, and its
//! size is kept in the index and checked before it is used, so a copy cut
//! short never reaches a site.
//!
//! Originals published without their metadata are kept here too, named
//! by a hash of the original's bytes and `VERSION`.
//!
//! The index also keeps each source's stamp and what was read of it, so
//! that an unchanged source is neither read nor hashed again. Entries no
//! build has used for `KEEP_UNUSED` builds are removed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

use super::Probe;
use crate::error::{Error, Result};
use crate::fs;
use crate::stamp::Stamp;

/// Changes whenever the copies made from the same bytes would change:
/// the resizing filter, the encoders' settings, the index's layout.
pub const VERSION: &str = "arshif images 2";

/// Builds after which an entry no build used is removed.
const KEEP_UNUSED: u32 = 5;

const INDEX: &str = "index";

/// Where copies are written before they are complete.
const TMP: &str = "tmp";

/// How old a file of `TMP` is when its build is surely gone (killed):
/// longer than any build takes to write one copy.
const ABANDONED: std::time::Duration = std::time::Duration::from_secs(600);

/// The cache folder beside an output folder.
pub fn dir(output: &Path) -> PathBuf {
    fs::sibling(output, ".", ".images")
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Index {
    version: String,
    /// Counts the builds that used this index.
    generation: u32,
    /// Sources by path (relative to the site's root): their stamp when
    /// read, and what was read.
    pub sources: BTreeMap<PathBuf, (Stamp, Probe)>,
    /// Originals the site publishes, by path: their stamp when read, and
    /// the name of their copy without metadata (none when they had none).
    pub bare: BTreeMap<PathBuf, (Stamp, Option<String>)>,
    /// Copies by file name: their size and the last build that used them.
    entries: BTreeMap<String, (u64, u32)>,
}

impl Index {
    /// The index in `dir`; an empty one when there is none or it cannot be
    /// trusted (then every copy is made again).
    pub fn load(dir: &Path) -> Index {
        let read = std::fs::read(dir.join(INDEX))
            .ok()
            .and_then(|bytes| postcard::from_bytes::<Index>(fs::unsealed(&bytes)?).ok())
            .filter(|i| i.version == VERSION);
        // What killed builds left half written.
        if let Ok(entries) = std::fs::read_dir(dir.join(TMP)) {
            for e in entries.flatten() {
                let old = e
                    .metadata()
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|t| t.elapsed().ok())
                    .is_some_and(|age| age > ABANDONED);
                if old {
                    let _ = std::fs::remove_file(e.path());
                }
            }
        }
        let mut index = read.unwrap_or_default();
        index.version = VERSION.to_owned();
        index.generation = index.generation.wrapping_add(1);
        index
    }

    /// Whether the copy `name` is in `dir`, whole.
    pub fn is_whole(&self, dir: &Path, name: &str) -> bool {
        self.entries.get(name).is_some_and(|(size, _)| {
            std::fs::metadata(dir.join(name)).is_ok_and(|m| m.len() == *size)
        })
    }

    /// Notes that this build uses the copy `name`.
    pub fn touch(&mut self, name: &str) {
        if let Some((_, used)) = self.entries.get_mut(name) {
            *used = self.generation;
        }
    }

    /// Notes a copy just written.
    pub fn add(&mut self, name: String, size: u64) {
        self.entries.insert(name, (size, self.generation));
    }

    /// Removes the copies no build used for `KEEP_UNUSED` builds, then
    /// writes the index.
    pub fn save(mut self, dir: &Path) -> Result<()> {
        let now = self.generation;
        let stale: Vec<String> = self
            .entries
            .iter()
            .filter(|(_, (_, used))| now.wrapping_sub(*used) >= KEEP_UNUSED)
            .map(|(name, _)| name.clone())
            .collect();
        for name in stale {
            self.entries.remove(&name);
            let _ = std::fs::remove_file(dir.join(&name));
        }
        fs::create_dir_all(&tmp_dir(dir))?;
        let bytes = postcard::to_allocvec(&self).map_err(|e| io(dir, std::io::Error::other(e)))?;
        write(dir, INDEX, &fs::sealed(bytes))
    }
}

/// The folder of `dir` where copies are written before they are whole.
pub fn tmp_dir(dir: &Path) -> PathBuf {
    dir.join(TMP)
}

/// Writes `bytes` as `dir/name` whole or not at all: under a name of its
/// own first, then renamed.
pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    static COUNT: AtomicU64 = AtomicU64::new(0);
    let tmp = dir.join(TMP).join(format!(
        "{}-{}",
        std::process::id(),
        COUNT.fetch_add(1, Ordering::Relaxed)
    ));
    if let Err(e) = fs::write(&tmp, bytes) {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    fs::rename(&tmp, &dir.join(name))
}

fn io(path: &Path, source: std::io::Error) -> Error {
    Error::Io {
        action: "cannot write",
        path: path.to_path_buf(),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_cut_short_is_not_used() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(tmp_dir(dir.path())).unwrap();
        let mut index = Index::load(dir.path());
        write(dir.path(), "a.webp", b"12345").unwrap();
        index.add("a.webp".into(), 5);
        assert!(index.is_whole(dir.path(), "a.webp"));
        std::fs::write(dir.path().join("a.webp"), b"123").unwrap();
        assert!(!index.is_whole(dir.path(), "a.webp"));
        assert!(!index.is_whole(dir.path(), "b.webp"));
    }

    #[test]
    fn unused_copies_are_removed_after_some_builds() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(tmp_dir(dir.path())).unwrap();
        let mut index = Index::load(dir.path());
        write(dir.path(), "old.webp", b"1").unwrap();
        index.add("old.webp".into(), 1);
        index.save(dir.path()).unwrap();
        for _ in 0..KEEP_UNUSED {
            assert!(dir.path().join("old.webp").exists());
            Index::load(dir.path()).save(dir.path()).unwrap();
        }
        assert!(!dir.path().join("old.webp").exists());
        let damaged = dir.path().join(INDEX);
        std::fs::write(&damaged, b"garbage").unwrap();
        assert_eq!(Index::load(dir.path()).entries.len(), 0);
    }
}
