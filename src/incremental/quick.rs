//! The check a build makes before anything else: whether any file the
//! last build could have read changed since, from the files' stamps alone.
//! When none did, the output already is the site: the build cache is
//! neither read nor written, and the output is left as it is.
//!
//! `.public.quick` (for `public/`) is small: one hash of the stamps of
//! every input (site.yaml; every file under content/, templates/ and
//! static/ with its path; the options; the arshif binary), taken before
//! the last build read them; the identity of the output folder and of the
//! build cache that build left; and what it reported (its counts and
//! warnings). A site with symbolic links among its inputs always gets the
//! full check: a link's target can change without the link.
//! It is written after the cache, so a build killed at any moment leaves
//! either none or one that names another output or another cache, which
//! is not trusted. A stamp taken less than two seconds after its file
//! changed cannot be trusted (see `stamp`), so a build that saw one writes
//! no quick check, and the next build looks at everything.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::cache::{self, Identity};
use crate::content::load::{self, CONTENT_DIR};
use crate::diagnostics::Diagnostic;
use crate::error::{Error, Result};
use crate::pipeline::{BuildOptions, BuildReport, STATIC_DIR};
use crate::render::templates::TEMPLATES_DIR;
use crate::stamp::Stamp;
use crate::{config, fs};

/// Changes whenever the quick check's layout does.
const FORMAT: &str = concat!("arshif quick check 1/", env!("CARGO_PKG_VERSION"));

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Quick {
    format: String,
    /// `inputs` when the last build started.
    inputs: u64,
    /// The output folder and the build cache as the last build left them.
    output: Identity,
    cache: Seal,
    report: Report,
    warnings: Vec<Diagnostic>,
}

/// What the last build reported of the whole site.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Report {
    articles: usize,
    pages: usize,
    files: usize,
    bytes: u64,
}

/// A build cache told apart from any other: when and where it was
/// written, its length and the checksum it ends with.
type Seal = ((i64, i64, i64, i64, u64), u64, [u8; 8]);

pub fn path(output: &Path) -> PathBuf {
    fs::sibling(output, ".", ".quick")
}

fn tmp_path(output: &Path) -> PathBuf {
    fs::sibling(output, ".", ".quick.tmp")
}

/// What a build of `opts` reads, as stamped before it reads anything.
pub struct Inputs {
    /// One hash of all of it, from stamps alone: none when a file cannot
    /// be stamped, or changed too recently for its stamp to be trusted.
    pub hash: Option<u64>,
    root: PathBuf,
    /// The files stamped, each with whether it is under content/, and
    /// their stamps.
    files: Vec<(PathBuf, bool)>,
    stamps: Vec<Option<Stamp>>,
}

impl Inputs {
    /// The stamp of every article file, by path from the site's root:
    /// the full check takes these rather than stat every file again.
    /// Made only when the full check runs.
    pub fn articles(self) -> FxHashMap<PathBuf, Stamp> {
        let root = &self.root;
        let stamped = self.files.into_iter().zip(self.stamps);
        stamped
            .filter_map(|((path, in_content), stamp)| {
                let rel = path.strip_prefix(root).ok()?;
                let article = in_content && load::is_markdown(rel);
                article.then_some((rel.to_path_buf(), stamp?))
            })
            .collect()
    }
}

pub fn inputs(opts: &BuildOptions, now: SystemTime) -> Inputs {
    let mut inputs = Inputs {
        hash: None,
        root: opts.root.clone(),
        files: Vec::new(),
        stamps: Vec::new(),
    };
    inputs.hash = hash(opts, now, &mut inputs);
    inputs
}

fn hash(opts: &BuildOptions, now: SystemTime, inputs: &mut Inputs) -> Option<u64> {
    let (root, base_url, drafts) = opts.shaping();
    let mut h = DefaultHasher::new();
    (FORMAT, base_url, drafts).hash(&mut h);
    // The binary itself: another build of the same version renders
    // differently as often as not.
    let exe = std::env::current_exe().ok()?;
    (&exe, settled(&exe, now)?).hash(&mut h);
    settled(&root.join(config::FILE_NAME), now)?.hash(&mut h);
    let files = &mut inputs.files;
    for dir in [CONTENT_DIR, TEMPLATES_DIR, STATIC_DIR] {
        dir.hash(&mut h);
        let top = root.join(dir);
        if !fs::exists(&top) {
            continue;
        }
        // In content/, hidden names are no content (`load::scan`).
        let skip =
            |name: &std::ffi::OsStr| dir == CONTENT_DIR && load::is_hidden(&name.to_string_lossy());
        for (path, is_dir) in tree(&top, &skip)? {
            // Bytes, not `Path`: hashing a path's components costs more.
            (path.as_os_str().as_encoded_bytes(), is_dir).hash(&mut h);
            if !is_dir {
                files.push((path, dir == CONTENT_DIR));
            }
        }
    }
    // Stat-ing is most of the time: spread over every thread.
    inputs.stamps = files.par_iter().map(|(f, _)| Stamp::of(f, now)).collect();
    let stamps: Vec<&Stamp> = inputs
        .stamps
        .iter()
        .map(|s| s.as_ref().filter(|s| s.is_settled()))
        .collect::<Option<_>>()?;
    stamps.hash(&mut h);
    Some(h.finish())
}

/// Every folder and file under `top` but those `skip` names, in name
/// order, each folder of `top` walked on its own thread.
/// None when one cannot be read, or is a symbolic link: the build follows
/// links, and a link's target can change without the link.
fn tree(
    top: &Path,
    skip: &(dyn Fn(&std::ffi::OsStr) -> bool + Sync),
) -> Option<Vec<(PathBuf, bool)>> {
    let mut first: Vec<(std::ffi::OsString, bool)> = Vec::new();
    for entry in std::fs::read_dir(top).ok()? {
        let entry = entry.ok()?;
        if skip(&entry.file_name()) {
            continue;
        }
        let kind = entry.file_type().ok()?;
        if kind.is_symlink() {
            return None;
        }
        first.push((entry.file_name(), kind.is_dir()));
    }
    first.sort();
    let parts: Vec<Vec<(PathBuf, bool)>> = first
        .into_par_iter()
        .map(|(name, is_dir)| {
            let path = top.join(&name);
            if !is_dir {
                return Some(vec![(path, false)]);
            }
            let mut found = vec![(path.clone(), true)];
            let walk = walkdir::WalkDir::new(path)
                .min_depth(1)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|e| !skip(e.file_name()));
            for entry in walk {
                let entry = entry.ok()?;
                if entry.path_is_symlink() {
                    return None;
                }
                let is_dir = entry.file_type().is_dir();
                found.push((entry.into_path(), is_dir));
            }
            Some(found)
        })
        .collect::<Option<_>>()?;
    Some(parts.into_iter().flatten().collect())
}

fn settled(path: &Path, now: SystemTime) -> Option<Stamp> {
    Stamp::of(path, now).filter(Stamp::is_settled)
}

/// The last build's report and warnings when nothing it read has changed
/// (`inputs`) and the output and cache are as it left them.
pub fn unchanged(output: &Path, inputs: u64) -> Option<(BuildReport, Vec<Diagnostic>)> {
    let bytes = std::fs::read(path(output)).ok()?;
    let body = fs::unsealed(&bytes)?;
    let quick: Quick = postcard::from_bytes(body).ok()?;
    let same = quick.format == FORMAT
        && quick.inputs == inputs
        && Some(quick.output) == cache::identity(output)
        && Some(quick.cache) == seal(&cache::path(output));
    if !same {
        return None;
    }
    let Report {
        articles,
        pages,
        files,
        bytes,
    } = quick.report;
    let report = BuildReport {
        articles,
        pages,
        files,
        bytes,
        rendered: 0,
        // Nothing was read: no image was encoded or taken from the cache.
        images_encoded: 0,
        images_reused: 0,
    };
    Some((report, quick.warnings))
}

/// Records, after the build cache was saved, that the output and cache
/// are what a build of `inputs` made.
pub fn save(
    output: &Path,
    inputs: u64,
    report: &BuildReport,
    warnings: &[Diagnostic],
) -> Result<()> {
    let tmp = tmp_path(output);
    let (Some(identity), Some(seal)) = (cache::identity(output), seal(&cache::path(output))) else {
        return remove(output);
    };
    let quick = Quick {
        format: FORMAT.to_owned(),
        inputs,
        output: identity,
        cache: seal,
        report: Report {
            articles: report.articles,
            pages: report.pages,
            files: report.files,
            bytes: report.bytes,
        },
        warnings: warnings.to_vec(),
    };
    let bytes = postcard::to_stdvec(&quick).map_err(|e| Error::Io {
        action: "cannot write",
        path: tmp.clone(),
        source: std::io::Error::other(e),
    })?;
    fs::write(&tmp, &fs::sealed(bytes))?;
    fs::rename(&tmp, &path(output))
}

/// Forgets the quick check: the next build looks at everything.
pub fn remove(output: &Path) -> Result<()> {
    remove_leftovers(output)?;
    crate::output::remove_tree(&path(output))
}

/// Removes what a build killed while writing the quick check left.
pub fn remove_leftovers(output: &Path) -> Result<()> {
    crate::output::remove_tree(&tmp_path(output))
}

fn seal(cache: &Path) -> Option<Seal> {
    let mut file = std::fs::File::open(cache).ok()?;
    let meta = file.metadata().ok()?;
    let mut sum = [0; 8];
    file.seek(SeekFrom::Start(meta.len().checked_sub(8)?))
        .ok()?;
    file.read_exact(&mut sum).ok()?;
    Some((written(&meta)?, meta.len(), sum))
}

/// When and where a file was written: its modification and change times
/// and its inode. Anything that writes the cache moves one of them.
#[cfg(unix)]
fn written(meta: &std::fs::Metadata) -> Option<(i64, i64, i64, i64, u64)> {
    use std::os::unix::fs::MetadataExt;
    let (m, c) = (meta.mtime(), meta.ctime());
    Some((m, meta.mtime_nsec(), c, meta.ctime_nsec(), meta.ino()))
}

// Without them, nothing is left unchanged.
#[cfg(not(unix))]
fn written(_: &std::fs::Metadata) -> Option<(i64, i64, i64, i64, u64)> {
    None
}
