//! The sink of a build on disk: the staging folder, made from nothing or
//! from the kept tree (`kept`).

use std::path::Path;
use std::sync::Mutex;

use rustc_hash::FxHashSet;

use super::{Sink, create_dirs, missing};
use crate::error::{Error, Result};
use crate::fs;

/// Files written under a folder (the staging folder of a build). Files
/// kept, or written with the bytes they had, are hard links to the
/// previous output's: unchanged files cost no copy and keep their inode.
pub struct DirSink<'a> {
    pub(super) root: &'a Path,
    previous: Option<&'a Path>,
    /// Set when `root` starts as the kept tree, not empty: the files where
    /// it differs from `previous`, and those of them placed since. Its
    /// other files are `previous`'s own.
    stale: Option<(FxHashSet<&'a str>, Mutex<FxHashSet<String>>)>,
}

impl<'a> DirSink<'a> {
    /// A sink into the empty folder `root`.
    pub fn new(root: &'a Path, previous: Option<&'a Path>) -> DirSink<'a> {
        DirSink {
            root,
            previous,
            stale: None,
        }
    }

    /// A sink into `root`, the kept tree, which differs from `previous`
    /// at `differs`.
    pub(super) fn kept(
        root: &'a Path,
        previous: &'a Path,
        differs: impl IntoIterator<Item = &'a str>,
    ) -> DirSink<'a> {
        DirSink {
            root,
            previous: Some(previous),
            stale: Some((differs.into_iter().collect(), Mutex::default())),
        }
    }

    /// Removes the files of the kept tree the new site does not have:
    /// `removed` (those of the previous output) and the stale ones no
    /// file was placed at.
    pub(super) fn finish(self, removed: &[std::sync::Arc<str>]) -> Result<()> {
        let Some((stale, placed)) = self.stale else {
            return Ok(());
        };
        let placed = placed.into_inner().expect("no panics while locked");
        let mut gone: Vec<&str> = removed.iter().map(|r| &**r).collect();
        gone.extend(stale.into_iter().filter(|p| !placed.contains(*p)));
        super::kept::remove(self.root, &gone)
    }

    /// Whether `rel` here already is the previous output's file, as every
    /// file of the kept tree that is not stale is.
    fn is_previous(&self, rel: &str) -> bool {
        self.stale
            .as_ref()
            .is_some_and(|(stale, _)| !stale.contains(rel))
    }

    /// Makes `rel` with `make`; in the kept tree, in place of what is
    /// there, and with its folder made when it is missing.
    fn place(
        &self,
        rel: &str,
        mut make: impl FnMut(&Path) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let to = self.root.join(rel);
        let Some((stale, placed)) = &self.stale else {
            return make(&to);
        };
        if stale.contains(rel) {
            placed
                .lock()
                .expect("no panics while locked")
                .insert(rel.to_owned());
        }
        // Never written into: the file may be the previous output's too.
        match std::fs::remove_file(&to) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        match make(&to) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if let Some(dir) = to.parent() {
                    std::fs::create_dir_all(dir)?;
                }
                make(&to)
            }
            done => done,
        }
    }

    fn placed(
        &self,
        rel: &str,
        action: &'static str,
        make: impl FnMut(&Path) -> std::io::Result<()>,
    ) -> Result<()> {
        self.place(rel, make).map_err(|source| Error::Io {
            action,
            path: self.root.join(rel),
            source,
        })
    }

    /// Whether the previous output's `rel` is `from` or has its bytes.
    fn has_as_before(&self, from: &Path, rel: &str) -> bool {
        let Some(prev) = self.previous else {
            return false;
        };
        let old = prev.join(rel);
        let (Ok(a), Ok(b)) = (std::fs::metadata(&old), std::fs::metadata(from)) else {
            return false;
        };
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            if (a.dev(), a.ino()) == (b.dev(), b.ino()) {
                return true;
            }
        }
        a.len() == b.len()
            && std::fs::read(&old)
                .ok()
                .is_some_and(|o| std::fs::read(from).is_ok_and(|n| n == o))
    }

    /// Links the previous output's `rel` into place; false when there is
    /// none or the file system cannot link.
    fn link(&self, rel: &str) -> bool {
        self.previous.is_some_and(|prev| {
            let from = prev.join(rel);
            self.place(rel, |to| std::fs::hard_link(&from, to)).is_ok()
        })
    }

    fn copied(&self, from: &Path, rel: &str) -> Result<u64> {
        if self.stale.is_none() {
            return fs::copy(from, &self.root.join(rel));
        }
        let mut size = 0;
        self.placed(rel, "cannot copy", |to| {
            std::fs::copy(from, to).map(|n| size = n)
        })?;
        Ok(size)
    }
}

fn size(path: &Path) -> u64 {
    path.metadata().map_or(0, |m| m.len())
}

impl Sink for DirSink<'_> {
    fn prepare(&self, dirs: &mut dyn Iterator<Item = &Path>) -> Result<()> {
        // The kept tree has its folders; the few new ones are made as
        // their files are.
        match self.stale {
            Some(_) => Ok(()),
            None => create_dirs(self.root, dirs),
        }
    }

    fn write(&self, rel: &str, bytes: Vec<u8>) -> Result<()> {
        // A page rendered anew often comes out as it was.
        let same = self
            .previous
            .is_some_and(|prev| std::fs::read(prev.join(rel)).is_ok_and(|old| old == bytes));
        if same && (self.is_previous(rel) || self.link(rel)) {
            return Ok(());
        }
        match self.stale {
            Some(_) => self.placed(rel, "cannot write", |to| std::fs::write(to, &bytes)),
            None => fs::write(&self.root.join(rel), &bytes),
        }
    }

    fn copy(&self, from: &Path, rel: &str) -> Result<u64> {
        // A file copied anew often has the bytes it had.
        if self.has_as_before(from, rel) && (self.is_previous(rel) || self.link(rel)) {
            return Ok(size(from));
        }
        self.copied(from, rel)
    }

    fn link_or_copy(&self, from: &Path, rel: &str) -> Result<u64> {
        match self.place(rel, |to| std::fs::hard_link(from, to)) {
            Ok(()) => Ok(size(from)),
            Err(_) => self.copied(from, rel),
        }
    }

    fn link_made(&self, from: &Path, rel: &str) -> Result<u64> {
        // A part of the search index made anew often has the bytes it had.
        if self.has_as_before(from, rel) && (self.is_previous(rel) || self.link(rel)) {
            return Ok(size(from));
        }
        self.link_or_copy(from, rel)
    }

    fn keep(&self, rel: &str) -> Result<()> {
        if self.is_previous(rel) || self.link(rel) {
            return Ok(());
        }
        match self.previous {
            Some(prev) => self.copied(&prev.join(rel), rel).map(|_| ()),
            None => Err(missing(rel)),
        }
    }
}
