//! Writing the built site: everything goes into a staging folder beside the
//! output, which replaces the output only once the whole build succeeded.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::error::{Error, Result};
use crate::fs;

/// The folder a build writes into before it is swapped into place.
pub fn staging_dir(output: &Path) -> PathBuf {
    fs::sibling(output, ".", ".staging")
}

fn old_dir(output: &Path) -> PathBuf {
    fs::sibling(output, ".", ".old")
}

/// Runs `write` against an empty staging folder and, if it succeeds, puts
/// the result at `output` in one atomic step where the OS allows it. On
/// failure the staging folder is removed and `output` is untouched.
pub fn publish(output: &Path, write: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
    let staging = staging_dir(output);
    let old = old_dir(output);
    // Leftovers of a build that was killed.
    fs::remove_dir_all(&staging)?;
    fs::remove_dir_all(&old)?;
    fs::create_dir_all(&staging)?;
    if let Err(e) = write(&staging) {
        fs::remove_dir_all(&staging)?;
        return Err(e);
    }
    if fs::exists(output) {
        if !output.is_dir() {
            fs::remove_dir_all(&staging)?;
            return Err(Error::Io {
                action: "cannot replace",
                path: output.to_path_buf(),
                source: std::io::Error::other("it is a file, not a folder"),
            });
        }
        match fs::exchange(&staging, output) {
            // `staging` now holds the previous site.
            Ok(true) => return remove_tree(&staging),
            Ok(false) => {}
            Err(e) => {
                fs::remove_dir_all(&staging)?;
                return Err(e);
            }
        }
        if let Err(e) = fs::rename(output, &old) {
            fs::remove_dir_all(&staging)?;
            return Err(e);
        }
        fs::rename(&staging, output)?;
        remove_tree(&old)
    } else {
        fs::rename(&staging, output)
    }
}

/// Removes a whole tree, its files in parallel: the previous site can hold
/// tens of thousands of them.
fn remove_tree(dir: &Path) -> Result<()> {
    use rayon::prelude::*;
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    for entry in WalkDir::new(dir)
        .contents_first(true)
        .into_iter()
        .filter_map(|e| e.ok())
    {
        if entry.file_type().is_dir() {
            dirs.push(entry.into_path());
        } else {
            files.push(entry.into_path());
        }
    }
    files.par_iter().try_for_each(|f| fs::remove_file(f))?;
    // contents_first lists every folder after its children.
    for d in &dirs {
        fs::remove_dir(d)?;
    }
    Ok(())
}

/// Creates `dirs` (relative to `root`), parents first, so that files can
/// then be written without checking their folders one by one.
pub fn create_dirs<'a>(root: &Path, dirs: impl IntoIterator<Item = &'a Path>) -> Result<()> {
    let mut all: Vec<&Path> = dirs
        .into_iter()
        .flat_map(Path::ancestors)
        .filter(|p| !p.as_os_str().is_empty())
        .collect();
    // Byte order puts every folder before its subfolders, and comparing bytes
    // is much cheaper than comparing paths component by component.
    fn bytes<'p>(p: &&'p Path) -> &'p [u8] {
        p.as_os_str().as_encoded_bytes()
    }
    all.sort_unstable_by(|a, b| bytes(a).cmp(bytes(b)));
    all.dedup_by(|a, b| bytes(a) == bytes(b));
    for d in all {
        fs::create_dir(&root.join(d))?;
    }
    Ok(())
}

/// Where a build's files go: a folder on disk for `build`, memory for the
/// preview server, nowhere for `check`.
pub trait Sink: Sync {
    /// Called once, before any file, with every folder files will go to.
    fn prepare(&self, _dirs: &[&Path]) -> Result<()> {
        Ok(())
    }
    fn write(&self, rel: &Path, bytes: Vec<u8>) -> Result<()>;
    /// Copies a file as it is; returns its size.
    fn copy(&self, from: &Path, rel: &Path) -> Result<u64>;
}

/// Files kept in memory instead of written, by output path
/// (`2023/09/19/x/index.html`): the preview server's site.
#[derive(Default)]
pub struct MemorySink(std::sync::Mutex<std::collections::HashMap<String, std::sync::Arc<[u8]>>>);

impl MemorySink {
    pub fn into_files(self) -> std::collections::HashMap<String, std::sync::Arc<[u8]>> {
        self.0.into_inner().expect("no panics while locked")
    }
}

/// The key of an output path in memory: `/`-separated on every system.
pub fn memory_key(rel: &Path) -> String {
    rel.to_string_lossy().replace('\\', "/")
}

impl Sink for MemorySink {
    fn write(&self, rel: &Path, bytes: Vec<u8>) -> Result<()> {
        self.0
            .lock()
            .expect("no panics while locked")
            .insert(memory_key(rel), bytes.into());
        Ok(())
    }

    fn copy(&self, from: &Path, rel: &Path) -> Result<u64> {
        let bytes = fs::read(from)?;
        let len = bytes.len() as u64;
        self.write(rel, bytes)?;
        Ok(len)
    }
}

/// Files written under a folder (the staging folder of a build).
pub struct DirSink<'a> {
    root: &'a Path,
}

impl<'a> DirSink<'a> {
    pub fn new(root: &'a Path) -> DirSink<'a> {
        DirSink { root }
    }
}

impl Sink for DirSink<'_> {
    fn prepare(&self, dirs: &[&Path]) -> Result<()> {
        create_dirs(self.root, dirs.iter().copied())
    }

    // Folders were all made by `prepare`.
    fn write(&self, rel: &Path, bytes: Vec<u8>) -> Result<()> {
        fs::write(&self.root.join(rel), &bytes)
    }

    fn copy(&self, from: &Path, rel: &Path) -> Result<u64> {
        fs::copy(from, &self.root.join(rel))
    }
}

/// A sink that passes every file on and notes its size, by output path.
pub struct Recording<'a> {
    inner: &'a dyn Sink,
    sizes: std::sync::Mutex<std::collections::HashMap<String, u64>>,
}

impl<'a> Recording<'a> {
    pub fn new(inner: &'a dyn Sink) -> Recording<'a> {
        Recording {
            inner,
            sizes: Default::default(),
        }
    }

    pub fn into_sizes(self) -> std::collections::HashMap<String, u64> {
        self.sizes.into_inner().expect("no panics while locked")
    }

    fn note(&self, rel: &Path, size: u64) {
        self.sizes
            .lock()
            .expect("no panics while locked")
            .insert(memory_key(rel), size);
    }
}

impl Sink for Recording<'_> {
    fn prepare(&self, dirs: &[&Path]) -> Result<()> {
        self.inner.prepare(dirs)
    }

    fn write(&self, rel: &Path, bytes: Vec<u8>) -> Result<()> {
        self.note(rel, bytes.len() as u64);
        self.inner.write(rel, bytes)
    }

    fn copy(&self, from: &Path, rel: &Path) -> Result<u64> {
        let size = self.inner.copy(from, rel)?;
        self.note(rel, size);
        Ok(size)
    }
}

/// Files written into a finished output, in place: each goes to a
/// temporary file beside it, renamed over the old one, so that no file is
/// ever seen half-written.
pub struct InPlaceSink<'a> {
    root: &'a Path,
}

impl<'a> InPlaceSink<'a> {
    pub fn new(root: &'a Path) -> InPlaceSink<'a> {
        InPlaceSink { root }
    }

    fn put(&self, rel: &Path, write: impl FnOnce(&Path) -> Result<u64>) -> Result<u64> {
        let path = self.root.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        let tmp = fs::sibling(&path, ".", ".tmp");
        let size = write(&tmp)?;
        fs::rename(&tmp, &path)?;
        Ok(size)
    }
}

impl Sink for InPlaceSink<'_> {
    fn write(&self, rel: &Path, bytes: Vec<u8>) -> Result<()> {
        self.put(rel, |tmp| fs::write(tmp, &bytes).map(|_| 0))
            .map(|_| ())
    }

    fn copy(&self, from: &Path, rel: &Path) -> Result<u64> {
        self.put(rel, |tmp| fs::copy(from, tmp))
    }
}

/// Removes files (by output path) from a finished output, and the folders
/// they leave empty.
pub fn remove_files(root: &Path, rels: &[&String]) -> Result<()> {
    for rel in rels {
        let path = root.join(rel.as_str());
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(Error::Io {
                    action: "cannot remove",
                    path,
                    source: e,
                });
            }
            _ => {}
        }
        let mut dir = path.parent();
        while let Some(d) = dir.filter(|d| *d != root) {
            // Fails, as wanted, for a folder that still has files.
            if std::fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
    }
    Ok(())
}

/// Every file below `dir`, as paths relative to it, in a fixed order.
pub fn list_files(dir: &Path) -> Result<Vec<PathBuf>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut files = Vec::new();
    for entry in WalkDir::new(dir).follow_links(true).sort_by_file_name() {
        let entry = entry.map_err(|e| Error::Io {
            action: "cannot read",
            path: e
                .path()
                .map_or_else(|| dir.to_path_buf(), Path::to_path_buf),
            source: e.into(),
        })?;
        if entry.file_type().is_file() {
            files.push(
                entry
                    .path()
                    .strip_prefix(dir)
                    .unwrap_or(entry.path())
                    .to_path_buf(),
            );
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `bytes` at `rel` under `dir`, creating folders as needed.
    fn write_file(dir: &Path, rel: &Path, bytes: &[u8]) -> Result<()> {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&path, bytes)
    }

    #[test]
    fn a_failed_write_leaves_the_old_output() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        publish(&out, |d| write_file(d, Path::new("a/index.html"), b"one")).unwrap();
        assert_eq!(std::fs::read(out.join("a/index.html")).unwrap(), b"one");

        let err = publish(&out, |d| {
            write_file(d, Path::new("b.html"), b"half")?;
            Err(Error::Io {
                action: "x",
                path: d.into(),
                source: std::io::Error::other("boom"),
            })
        });
        assert!(err.is_err());
        assert_eq!(std::fs::read(out.join("a/index.html")).unwrap(), b"one");
        assert!(!out.join("b.html").exists());
        assert!(!staging_dir(&out).exists());

        publish(&out, |d| write_file(d, Path::new("c.html"), b"two")).unwrap();
        assert!(!out.join("a/index.html").exists(), "stale files are gone");
        assert_eq!(std::fs::read(out.join("c.html")).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["public"], "no staging or old folders are left");
    }
}
