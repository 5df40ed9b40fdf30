//! Writing the built site: everything goes into a staging folder beside the
//! output, which replaces the output only once the whole build succeeded.
//! The replaced output is kept for the next build to start from (`kept`).

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::error::{Error, Result};
use crate::fs;

mod dir;
pub mod kept;

pub use dir::DirSink;
pub use kept::{Folders, Trees};

/// The folder a build writes into before it is swapped into place.
pub fn staging_dir(output: &Path) -> PathBuf {
    fs::sibling(output, ".", ".staging")
}

fn old_dir(output: &Path) -> PathBuf {
    fs::sibling(output, ".", ".old")
}

/// How a build's staging folder starts.
pub enum Start<'a> {
    /// Empty, with every file written anew.
    Empty,
    /// With the previous output's files kept where `changes` does not
    /// change them: the kept tree made up to date when `trees` vouches
    /// for it, else hard links into an empty folder.
    FromOutput {
        trees: &'a Trees,
        changes: &'a Changes,
    },
}

/// What a build changes in the previous output (paths relative to it).
#[derive(Debug, Default)]
pub struct Changes {
    /// Files written anew or added.
    pub written: Vec<std::sync::Arc<str>>,
    /// Files the new site no longer has.
    pub removed: Vec<std::sync::Arc<str>>,
}

/// What `publish` did besides writing.
pub struct Published<T> {
    pub value: T,
    /// The new output's folders, when it was made from the kept tree.
    pub folders: Option<Folders>,
    /// Whether the previous output is now the kept tree.
    pub kept_previous: bool,
}

/// Writes a whole new output with `write` into a staging folder and, if
/// it succeeds, puts it at `output` in one atomic step where the OS
/// allows it. From the output (`Start::FromOutput`), `write` gets a sink
/// that keeps files of the previous output as they are (as hard links),
/// and the previous output is kept beside it for the next build when
/// `trees` records its folders. On failure the staging folder is removed
/// and `output` is untouched.
pub fn publish<T>(
    output: &Path,
    start: Start<'_>,
    write: impl FnOnce(&DirSink<'_>) -> Result<T>,
) -> Result<Published<T>> {
    let staging = staging_dir(output);
    let old = old_dir(output);
    let prev_dir = kept::dir(output);
    remove_leftovers(output)?;
    if fs::exists(output) && !output.is_dir() {
        return Err(Error::Io {
            action: "cannot replace",
            path: output.to_path_buf(),
            source: std::io::Error::other("it is a file, not a folder"),
        });
    }
    let (trees, changes) = match start {
        Start::FromOutput { trees, changes } if output.is_dir() => (Some(trees), Some(changes)),
        _ => (None, None),
    };
    // The kept tree, when it can be made into the new site.
    let kept = changes.and_then(|c| {
        let prev = trees?.prev.as_ref().filter(|p| p.holds(&prev_dir))?;
        Some((prev, c))
    });
    // What the last build and this one change: all the kept tree lacks.
    let touched: Vec<&str> = kept.map_or_else(Vec::new, |(p, c)| {
        let all = p.differs().iter().chain(&c.written).chain(&c.removed);
        all.map(|f| &**f).collect()
    });
    let written = match kept {
        Some((p, c)) => {
            p.writable(&prev_dir, touched.iter().copied())?;
            fs::rename(&prev_dir, &staging)?;
            let sink = DirSink::kept(&staging, output, p.differs().iter().map(|d| &**d));
            write(&sink).and_then(|value| sink.finish(&c.removed).map(|()| value))
        }
        None => {
            remove_tree(&prev_dir)?;
            if output.is_dir() {
                replaceable(output)?;
            }
            fs::create_dir_all(&staging)?;
            write(&DirSink::new(&staging, changes.and(Some(output))))
        }
    };
    let value = match written {
        Ok(value) => value,
        Err(e) => {
            remove_tree(&staging)?;
            return Err(e);
        }
    };
    // Renames keep a folder's times: stamped here, they hold once swapped.
    let folders = kept.map(|(p, _)| p.restamped(&staging, touched.iter().copied()));
    let keep_previous = trees.is_some_and(|t| t.live.is_some());
    let published = |kept_previous| Published {
        value,
        folders,
        kept_previous,
    };
    if !fs::exists(output) {
        fs::rename(&staging, output)?;
        return Ok(published(false));
    }
    let swapped = match fs::exchange(&staging, output) {
        // `staging` now holds the previous site.
        Ok(true) => Some(staging.as_path()),
        Ok(false) => None,
        Err(e) => {
            remove_tree(&staging)?;
            return Err(e);
        }
    };
    let previous = match swapped {
        Some(previous) => previous,
        None => {
            if let Err(e) = fs::rename(output, &old) {
                remove_tree(&staging)?;
                return Err(e);
            }
            fs::rename(&staging, output)?;
            &old
        }
    };
    if keep_previous {
        fs::rename(previous, &prev_dir)?;
    } else {
        remove_tree(previous)?;
    }
    Ok(published(keep_previous))
}

/// Removes what a killed build left beside `output` (the kept tree is
/// not a leftover: `publish` removes it when it cannot be trusted).
pub fn remove_leftovers(output: &Path) -> Result<()> {
    remove_tree(&staging_dir(output))?;
    remove_tree(&old_dir(output))
}

/// Refuses, before anything is written, an output whose folders this
/// user cannot change: the new site would be swapped in and the old one
/// then could not be removed.
fn replaceable(output: &Path) -> Result<()> {
    for entry in WalkDir::new(output).into_iter().filter_map(|e| e.ok()) {
        if entry.file_type().is_dir() {
            writable(entry.path(), output)?;
        }
    }
    Ok(())
}

/// Refuses `dir`, a folder of the tree at `tree`, when this user cannot
/// change it.
#[cfg(unix)]
fn writable(dir: &Path, tree: &Path) -> Result<()> {
    use rustix::fs::{Access, access};
    let Err(e) = access(dir, Access::WRITE_OK | Access::EXEC_OK) else {
        return Ok(());
    };
    Err(Error::Input(crate::diagnostics::Diagnostics::new(vec![
        crate::diagnostics::Diagnostic::global(format!(
            "cannot replace {}: {} is not writable by this user ({e})",
            tree.display(),
            dir.display()
        ))
        .with_help(format!(
            "give yourself write access (chmod -R u+w {}), or build into another --output",
            tree.display()
        )),
    ])))
}

#[cfg(not(unix))]
fn writable(_: &Path, _: &Path) -> Result<()> {
    Ok(())
}

/// Removes a whole tree, its files in parallel: the previous site can hold
/// tens of thousands of them. A file is removed too; nothing there is fine.
pub fn remove_tree(dir: &Path) -> Result<()> {
    use rayon::prelude::*;
    if !fs::exists(dir) {
        return Ok(());
    }
    if !dir.is_dir() {
        return fs::remove_file(dir);
    }
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
    // Deepest first, each depth in parallel: a folder goes after its
    // subfolders.
    by_depth(&mut dirs);
    for level in dirs.chunk_by(|a, b| depth(a) == depth(b)).rev() {
        level.par_iter().try_for_each(|d| fs::remove_dir(d))?;
    }
    Ok(())
}

fn depth(p: &Path) -> usize {
    p.components().count()
}

fn by_depth<P: AsRef<Path>>(dirs: &mut [P]) {
    dirs.sort_by_cached_key(|d| depth(d.as_ref()));
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
    // Parents first, each depth in parallel.
    by_depth(&mut all);
    for level in all.chunk_by(|a, b| depth(a) == depth(b)) {
        use rayon::prelude::*;
        level
            .par_iter()
            .try_for_each(|d| fs::create_dir(&root.join(d)))?;
    }
    Ok(())
}

/// Where a build's files go: a folder on disk for `build`, memory for the
/// preview server, nowhere for `check`. Paths are `/`-separated, relative
/// to the output folder. A sink starts empty: every file of the new site
/// is written, copied, or kept as the previous build left it.
pub trait Sink: Sync {
    /// Called once, before any file, with every folder files will go to
    /// (made only by sinks that need them: the preview's keeps 24,000).
    fn prepare(&self, _dirs: &mut dyn Iterator<Item = &Path>) -> Result<()> {
        Ok(())
    }
    fn write(&self, rel: &str, bytes: Vec<u8>) -> Result<()>;
    /// Copies a file as it is; returns its size.
    fn copy(&self, from: &Path, rel: &str) -> Result<u64>;
    /// Puts a file that is never changed in place (a resized image of the
    /// image cache) as a hard link where that can be, else as a copy;
    /// returns its size.
    fn link_or_copy(&self, from: &Path, rel: &str) -> Result<u64> {
        self.copy(from, rel)
    }
    /// Puts a file made for this build in a folder of its own (the search
    /// index's spool) as `link_or_copy` does, but keeps the previous
    /// output's file when it has the same bytes; returns its size.
    fn link_made(&self, from: &Path, rel: &str) -> Result<u64> {
        self.link_or_copy(from, rel)
    }
    /// Takes the previous build's file at `rel` as it is.
    fn keep(&self, rel: &str) -> Result<()>;

    /// Takes the previous build's files at `rels` as they are.
    fn keep_all(&self, rels: &[&str]) -> Result<()> {
        use rayon::prelude::*;
        rels.par_iter().try_for_each(|rel| self.keep(rel))
    }
}

/// The output path of a file relative to its folder: `/`-separated on
/// every system.
pub fn key(rel: &Path) -> String {
    rel.to_string_lossy().replace('\\', "/")
}

/// The files of a site in memory, by output path: the preview's.
/// Keys are shared with the previous build's map: a rebuild that keeps
/// tens of thousands of files copies no path.
pub type Files = rustc_hash::FxHashMap<std::sync::Arc<str>, std::sync::Arc<[u8]>>;

/// Files kept in memory instead of written: the preview server's site.
/// Kept files come from the previous site's.
#[derive(Default)]
pub struct MemorySink {
    files: std::sync::Mutex<Files>,
    previous: std::sync::Arc<Files>,
}

impl MemorySink {
    pub fn new(previous: std::sync::Arc<Files>) -> MemorySink {
        MemorySink {
            files: Default::default(),
            previous,
        }
    }

    pub fn into_files(self) -> Files {
        self.files.into_inner().expect("no panics while locked")
    }

    fn put(&self, rel: &str, bytes: std::sync::Arc<[u8]>) {
        self.files
            .lock()
            .expect("no panics while locked")
            .insert(rel.into(), bytes);
    }
}

impl Sink for MemorySink {
    fn write(&self, rel: &str, bytes: Vec<u8>) -> Result<()> {
        self.put(rel, bytes.into());
        Ok(())
    }

    fn copy(&self, from: &Path, rel: &str) -> Result<u64> {
        let bytes = fs::read(from)?;
        let len = bytes.len() as u64;
        self.put(rel, bytes.into());
        Ok(len)
    }

    fn keep(&self, rel: &str) -> Result<()> {
        self.keep_all(&[rel])
    }

    // One lock for all: the preview keeps tens of thousands at a time.
    fn keep_all(&self, rels: &[&str]) -> Result<()> {
        use rayon::prelude::*;
        use std::sync::Arc;
        let kept: Vec<(Arc<str>, Arc<[u8]>)> = rels
            .par_iter()
            .map(|rel| {
                let (key, bytes) = self
                    .previous
                    .get_key_value(*rel)
                    .ok_or_else(|| missing(rel))?;
                Ok((Arc::clone(key), Arc::clone(bytes)))
            })
            .collect::<Result<_>>()?;
        let mut files = self.files.lock().expect("no panics while locked");
        files.extend(kept);
        Ok(())
    }
}

fn missing(rel: &str) -> Error {
    Error::Io {
        action: "cannot keep",
        path: rel.into(),
        source: std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "the previous build has no such file",
        ),
    }
}

/// Files written nowhere: `check`.
pub struct Nowhere;

impl Sink for Nowhere {
    fn write(&self, _: &str, _: Vec<u8>) -> Result<()> {
        Ok(())
    }
    fn copy(&self, from: &Path, _: &str) -> Result<u64> {
        Ok(from.metadata().map_or(0, |m| m.len()))
    }
    fn keep(&self, _: &str) -> Result<()> {
        Ok(())
    }
}

/// The lock beside an output folder that one build at a time holds
/// (`.public.lock` for `public/`). The system releases it when its
/// process ends, however it ends, so a killed build leaves no stale lock.
pub struct Lock {
    _file: std::fs::File,
}

fn lock_path(output: &Path) -> PathBuf {
    fs::sibling(output, ".", ".lock")
}

/// Takes the output's lock; if another build holds it, calls `waiting`
/// with what that build wrote into it and waits for it to finish.
pub fn lock(output: &Path, waiting: &dyn Fn(&str)) -> Result<Lock> {
    use std::io::{Read, Seek, Write};
    let path = lock_path(output);
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent)?;
    }
    let io = |source| Error::Io {
        action: "cannot lock",
        path: path.clone(),
        source,
    };
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(io)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            let mut holder = String::new();
            let _ = file.read_to_string(&mut holder);
            let holder = holder.trim();
            waiting(if holder.is_empty() {
                "another build"
            } else {
                holder
            });
            file.lock().map_err(io)?;
        }
        Err(std::fs::TryLockError::Error(e)) => return Err(io(e)),
    }
    // Who holds it, for the message a waiting build shows.
    let _ = file.set_len(0);
    let _ = file.rewind();
    let _ = write!(file, "arshif build (process {})", std::process::id());
    Ok(Lock { _file: file })
}

/// Refuses output folders whose replacement would destroy the site itself.
pub fn guard(root: &Path, output: &Path, inside: &[&str]) -> Result<()> {
    let (root, out) = (resolved(root), resolved(output));
    let refuse = |why: &str| {
        Err(Error::Input(crate::diagnostics::Diagnostics::new(vec![
            crate::diagnostics::Diagnostic::global(format!("refusing to write the site over {}: {why}", out.display())).with_help(
                "the output folder is replaced on every build; choose a folder of its own, such as public/",
            ),
        ])))
    };
    if root.starts_with(&out) {
        return refuse("it holds the site itself");
    }
    if inside.iter().any(|d| out.starts_with(root.join(d))) {
        return refuse("it is inside the site's content, templates or static files");
    }
    // Every build writes .nojekyll; a folder with files but without it is
    // not a previous build, and replacing it would delete someone's files.
    let has_files = std::fs::read_dir(&out).is_ok_and(|mut d| d.next().is_some());
    if has_files && !out.join(".nojekyll").exists() {
        return refuse("it is not empty and is not a previous build (it has no .nojekyll)");
    }
    Ok(())
}

/// An absolute path with `.` and `..` worked out (symlinks of existing
/// parts followed), whether or not it exists yet.
fn resolved(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out.canonicalize().unwrap_or(out)
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
        publish(&out, Start::Empty, |d| {
            write_file(d.root, Path::new("a/index.html"), b"one")
        })
        .unwrap();
        assert_eq!(std::fs::read(out.join("a/index.html")).unwrap(), b"one");

        let err = publish(&out, Start::Empty, |d| {
            write_file(d.root, Path::new("b.html"), b"half")?;
            Err::<(), _>(Error::Io {
                action: "x",
                path: d.root.into(),
                source: std::io::Error::other("boom"),
            })
        });
        assert!(err.is_err());
        assert_eq!(std::fs::read(out.join("a/index.html")).unwrap(), b"one");
        assert!(!out.join("b.html").exists());
        assert!(!staging_dir(&out).exists());

        publish(&out, Start::Empty, |d| {
            write_file(d.root, Path::new("c.html"), b"two")
        })
        .unwrap();
        assert!(!out.join("a/index.html").exists(), "stale files are gone");
        assert_eq!(std::fs::read(out.join("c.html")).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["public"], "no staging or old folders are left");
    }
}
