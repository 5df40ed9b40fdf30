//! The previous build, remembered beside its output (`.public.cache` for
//! `public/`), so that the next `build` renders and writes only what
//! changed: what it knew of every article (all but the rendered text) and
//! the fingerprint and size of every file it wrote.
//!
//! Such a build checks everything and renders what changed in memory
//! first. Only then does it delete the cache, write the changed files into
//! the output (each to a temporary file renamed over the old one), remove
//! the files no longer made, and save the new cache. A build killed while
//! writing leaves no cache behind, so the next build starts from nothing
//! and replaces the whole output.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::build::{self, BuildOptions, BuildReport, Progress};
use crate::error::{Error, Result};
use crate::fs;
use crate::incremental::{Incremental, Update};
use crate::output::{self, Sink, memory_key};

/// Changes whenever the cache's layout does.
const FORMAT: &str = concat!("arshif build cache 1/", env!("CARGO_PKG_VERSION"));

#[derive(Default, Serialize, Deserialize)]
pub struct Cache {
    head: Head,
    site: Incremental,
    /// Every file of the output by path: fingerprint and size.
    files: HashMap<String, (u64, u64)>,
}

/// What the cache was made by and for, first in the file so that it can
/// be read alone.
#[derive(Default, PartialEq, Serialize, Deserialize)]
struct Head {
    format: String,
    /// The output folder as the build left it (see `identity`): an output
    /// replaced or changed by anything else is not trusted.
    output: Option<Identity>,
}

impl Head {
    fn of(output: &Path) -> Head {
        Head {
            format: FORMAT.to_owned(),
            output: identity(output),
        }
    }
}

pub fn path(output: &Path) -> PathBuf {
    fs::sibling(output, ".", ".cache")
}

/// The previous build's cache, if there is one and it is of this output.
pub fn load(output: &Path) -> Option<Cache> {
    let here = Head::of(output);
    here.output?;
    let bytes = std::fs::read(path(output)).ok()?;
    // A cache of another output or version is left without decoding the
    // rest, which takes a while.
    let (head, _): (Head, _) = postcard::take_from_bytes(&bytes).ok()?;
    if head != here {
        return None;
    }
    postcard::from_bytes(&bytes).ok()
}

pub fn save(output: &Path, cache: &mut Cache) -> Result<()> {
    cache.head = Head::of(output);
    let tmp = fs::sibling(output, ".", ".cache.tmp");
    let failed = |source| Error::Io {
        action: "cannot write",
        path: tmp.clone(),
        source,
    };
    let file = std::fs::File::create(&tmp).map_err(failed)?;
    // Streamed: the cache of a large archive is hundreds of megabytes.
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    postcard::to_io(cache, &mut out).map_err(|e| failed(std::io::Error::other(e)))?;
    std::io::Write::flush(&mut out).map_err(failed)?;
    fs::rename(&tmp, &path(output))
}

/// Removes the cache: the output is about to change.
pub fn forget(output: &Path) -> Result<()> {
    match std::fs::remove_file(path(output)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::Io {
            action: "cannot remove",
            path: path(output),
            source: e,
        }),
        _ => Ok(()),
    }
}

/// A folder's device, inode and modification time. The time matters: a
/// folder removed and made again can get the same inode, but not the
/// same time, and files added or removed at its top change it too.
type Identity = (u64, u64, i64, i64);

#[cfg(unix)]
fn identity(dir: &Path) -> Option<Identity> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(dir).ok()?;
    Some((m.dev(), m.ino(), m.mtime(), m.mtime_nsec()))
}

// Without a folder's identity, every build is a clean one.
#[cfg(not(unix))]
fn identity(_: &Path) -> Option<Identity> {
    None
}

impl Cache {
    /// Whether this cache was made with the same site.yaml, templates and
    /// options: if not, nothing of it can be reused.
    pub fn is_current(&self, opts: &BuildOptions) -> bool {
        !self.files.is_empty() && self.site.built_with(opts)
    }

    pub(crate) fn site(&mut self) -> &mut Incremental {
        &mut self.site
    }

    /// Notes what a clean build wrote: its pages' fingerprints and every
    /// file's size, by output path.
    pub(crate) fn record(&mut self, update: &Update, sizes: &HashMap<String, u64>) {
        let size = |key: &str| sizes.get(key).copied().unwrap_or(0);
        self.files = update
            .site
            .keys
            .iter()
            .zip(&update.fingerprints)
            .map(|(k, fp)| (k.clone(), (*fp, size(k))))
            .collect();
        for (rel, extra) in build::extras(&update.site) {
            let key = memory_key(&rel);
            let (fp, _) = extra.fingerprint();
            self.files.insert(key.clone(), (fp, size(&key)));
        }
    }
}

/// Brings the output of the build `cache` describes up to date.
pub fn update_output(
    opts: &BuildOptions,
    output: &Path,
    mut cache: Cache,
    progress: &dyn Progress,
) -> Result<BuildReport> {
    let old = std::mem::take(&mut cache.files);
    let Update {
        site,
        fingerprints,
        stale,
        ..
    } = cache.site.update(opts, &|key| old.get(key).map(|f| f.0))?;
    progress.start(stale.iter().filter(|s| **s).count());
    let pages = build::render_to_memory(&site, &|i| stale[i], progress)?;

    let mut files = HashMap::with_capacity(old.len());
    for (key, fp) in site.keys.iter().zip(fingerprints) {
        let size = match pages.get(key) {
            Some(bytes) => bytes.len() as u64,
            None => old.get(key).map_or(0, |f| f.1),
        };
        files.insert(key.clone(), (fp, size));
    }
    let extras = build::extras(&site);
    let mut changed_extras = Vec::new();
    for (rel, extra) in &extras {
        let key = memory_key(rel);
        let (fp, size) = extra.fingerprint();
        if old.get(&key).map(|f| f.0) != Some(fp) {
            changed_extras.push((rel, extra));
        }
        files.insert(key, (fp, size));
    }
    let gone: Vec<&String> = old.keys().filter(|k| !files.contains_key(*k)).collect();

    forget(output)?;
    let place = output::InPlaceSink::new(output);
    use rayon::prelude::*;
    // A page rendered anew may come out as it was (a changed article's
    // neighbour whose title did not change): it is left alone.
    pages.par_iter().try_for_each(|(key, bytes)| {
        let path = Path::new(key);
        match std::fs::read(output.join(path)) {
            Ok(old) if *old == **bytes => Ok(()),
            _ => place.write(path, bytes.to_vec()),
        }
    })?;
    changed_extras
        .par_iter()
        .try_for_each(|(rel, extra)| extra.put(rel, &place).map(|_| ()))?;
    output::remove_files(output, &gone)?;

    let report = BuildReport {
        articles: site.index.articles.len(),
        pages: site.pages.len(),
        files: files.len(),
        bytes: files.values().map(|f| f.1).sum(),
        rendered: pages.len(),
    };
    cache.files = files;
    save(output, &mut cache)?;
    Ok(report)
}
