//! `build` with the previous build remembered beside its output
//! (`.public.cache` for `public/`): what it knew of every article (all
//! but the rendered text) and the manifest of the files it wrote.
//!
//! Every build, incremental or not, makes the whole new output in a
//! staging folder (unchanged files as hard links to the old ones) and
//! swaps it in at once, so a failed or killed build leaves the previous
//! site as it was. One build at a time holds the output's lock. The cache
//! is trusted only when its checksum holds, it was made by this version,
//! and the output folder is the very one it describes; any doubt means a
//! clean build, with a note saying why.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::content::load::CONTENT_DIR;
use crate::error::{Error, Result};
use crate::incremental::{Incremental, Outcome, quick};
use crate::output::kept::Prev;
use crate::output::{Folders, Start, Trees};
use crate::pipeline::{BuildOptions, Progress, STATIC_DIR};
use crate::render::templates::TEMPLATES_DIR;
use crate::{fs, output};

/// Changes whenever the cache's layout does.
const FORMAT: &str = concat!("arshif build cache 15/", env!("CARGO_PKG_VERSION"));

/// What the cache was made by and for, first in the file so that it can
/// be read alone.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
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

fn tmp_path(output: &Path) -> PathBuf {
    fs::sibling(output, ".", ".cache.tmp")
}

/// Where the search index is written as it is made (`.public.search`).
fn spool_path(output: &Path) -> PathBuf {
    fs::sibling(output, ".", ".search")
}

/// Builds the site into its output folder: only what changed when the
/// previous build's cache can be trusted, else everything.
pub fn build(opts: &BuildOptions, progress: &dyn Progress) -> Result<Outcome> {
    let output = opts.output_dir();
    output::guard(
        &opts.root,
        &output,
        &[CONTENT_DIR, TEMPLATES_DIR, STATIC_DIR],
    )?;
    let _lock = output::lock(&output, &|holder| progress.waiting(holder))?;
    // What a killed build left: a staging folder, a cache half written.
    output::remove_leftovers(&output)?;
    output::remove_tree(&tmp_path(&output))?;
    let spool = spool_path(&output);
    output::remove_tree(&spool)?;
    quick::remove_leftovers(&output)?;
    // Stamped before anything is read: what the build reads is never
    // older than what the quick check records.
    let inputs = quick::inputs(opts, std::time::SystemTime::now());
    let hash = inputs.hash;
    if !opts.clean
        && let Some((report, warnings)) = hash.and_then(|i| quick::unchanged(&output, i))
    {
        return Ok(Outcome {
            report,
            warnings,
            note: None,
            unchanged: true,
        });
    }
    let (mut state, mut trees, mut note) = match opts.clean {
        true => (Incremental::default(), Trees::default(), None),
        false => match load(&output) {
            Ok((state, trees)) => (state, trees, None),
            Err(why) => (Incremental::default(), Trees::default(), why),
        },
    };
    state.spool_search(spool.clone());
    state.stamped(inputs.articles());
    let build = Build {
        opts,
        output: &output,
        spool: &spool,
        progress,
    };
    let outcome = build.publish(&mut state, &mut trees, &mut note);
    // The build's own error first: it says what to do.
    let removed = output::remove_tree(&spool);
    let outcome = outcome?;
    removed?;
    save(&output, &state, &trees)?;
    match hash {
        Some(hash) => quick::save(&output, hash, &outcome.report, &outcome.warnings)?,
        None => quick::remove(&output)?,
    }
    // Freeing a large archive's state takes a quarter of a second that
    // nobody needs to wait for: `arshif build` exits without waiting.
    // Without a thread, it is freed here.
    let _ = std::thread::Builder::new().spawn(move || drop((state, trees)));
    Ok(Outcome { note, ..outcome })
}

/// A build into an output folder.
struct Build<'a> {
    opts: &'a BuildOptions,
    output: &'a Path,
    spool: &'a Path,
    progress: &'a dyn Progress,
}

impl Build<'_> {
    /// Writes the new site (what changed, or everything) and swaps it in;
    /// `trees` then records the output and the kept tree.
    fn publish(
        &self,
        state: &mut Incremental,
        trees: &mut Trees,
        note: &mut Option<String>,
    ) -> Result<Outcome> {
        let progress = self.progress;
        let pending = match state.prepare(self.opts)? {
            // Nothing changed: the output already is the new site.
            Some(pending) if pending.unchanged => {
                return state.apply(pending, &output::Nowhere, progress);
            }
            Some(pending) => pending,
            None => return self.clean(state, trees),
        };
        let changes = pending.manifest.changes(&state.manifest);
        let start = Start::FromOutput {
            trees,
            changes: &changes,
        };
        match output::publish(self.output, start, |dir| {
            state.apply(pending, dir, progress)
        }) {
            Ok(done) => {
                let live = done
                    .folders
                    .or_else(|| Folders::of(self.output, state.manifest.paths()));
                let differs = changes.written.iter().chain(&changes.removed);
                let prev = match done.kept_previous {
                    true => trees
                        .live
                        .take()
                        .map(|f| Prev::new(f, differs.cloned().collect())),
                    false => None,
                };
                *trees = Trees { live, prev };
                Ok(done.value)
            }
            // The output did not hold what the cache said (a file
            // removed by hand): build everything anew.
            Err(Error::Io { .. }) => {
                *note = Some("the output folder was not as the last build left it".into());
                *state = Incremental::default();
                output::remove_tree(self.spool)?;
                state.spool_search(self.spool.to_path_buf());
                self.clean(state, trees)
            }
            Err(e) => Err(e),
        }
    }

    /// Writes every file anew.
    fn clean(&self, state: &mut Incremental, trees: &mut Trees) -> Result<Outcome> {
        let (opts, progress) = (self.opts, self.progress);
        let done = output::publish(self.output, Start::Empty, |dir| {
            state.build(opts, dir, progress)
        })?;
        *trees = Trees {
            live: Folders::of(self.output, state.manifest.paths()),
            prev: None,
        };
        Ok(done.value)
    }
}

/// The previous build's cache; when there is none, or it cannot be
/// trusted, why (none when there simply is no previous build).
fn load(output: &Path) -> std::result::Result<(Incremental, Trees), Option<String>> {
    let here = Head::of(output);
    if here.output.is_none() {
        return Err(None);
    }
    let bytes = match std::fs::read(path(output)) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(None),
        Err(e) => return Err(Some(format!("the build cache cannot be read ({e})"))),
    };
    let damaged = || Some("the build cache is damaged".to_owned());
    let body = fs::unsealed(&bytes).ok_or_else(damaged)?;
    let (head, rest): (Head, _) = postcard::take_from_bytes(body).map_err(|_| damaged())?;
    if head.format != here.format {
        return Err(Some(
            "the build cache is of another version of arshif".into(),
        ));
    }
    if head != here {
        return Err(Some(
            "the output folder was changed or replaced since the last build".into(),
        ));
    }
    let (trees, rest) = postcard::take_from_bytes(rest).map_err(|_| damaged())?;
    let state = postcard::from_bytes(rest).map_err(|_| damaged())?;
    Ok((state, trees))
}

fn save(output: &Path, state: &Incremental, trees: &Trees) -> Result<()> {
    let tmp = tmp_path(output);
    let failed = |source| Error::Io {
        action: "cannot write",
        path: tmp.clone(),
        source,
    };
    let file = std::fs::File::create(&tmp).map_err(failed)?;
    // Streamed: the cache of a large archive is hundreds of megabytes.
    let mut out = Summed {
        inner: std::io::BufWriter::with_capacity(1 << 20, file),
        sum: std::hash::DefaultHasher::new(),
    };
    postcard::to_io(&Head::of(output), &mut out).map_err(|e| failed(std::io::Error::other(e)))?;
    postcard::to_io(trees, &mut out).map_err(|e| failed(std::io::Error::other(e)))?;
    postcard::to_io(state, &mut out).map_err(|e| failed(std::io::Error::other(e)))?;
    let sum = std::hash::Hasher::finish(&out.sum);
    let mut inner = out.inner;
    std::io::Write::write_all(&mut inner, &sum.to_le_bytes()).map_err(failed)?;
    std::io::Write::flush(&mut inner).map_err(failed)?;
    let cache = path(output);
    if cache.is_dir() {
        fs::remove_dir_all(&cache)?;
    }
    fs::rename(&tmp, &cache)
}

/// A writer that sums what goes through it, as `fs::checksum` does.
struct Summed<W> {
    inner: W,
    sum: std::hash::DefaultHasher,
}

impl<W: std::io::Write> std::io::Write for Summed<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        std::hash::Hasher::write(&mut self.sum, &buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// A folder's device, inode and modification time. The time matters: a
/// folder removed and made again can get the same inode, but not the
/// same time, and files added or removed at its top change it too.
pub(super) type Identity = (u64, u64, i64, i64);

#[cfg(unix)]
pub(super) fn identity(dir: &Path) -> Option<Identity> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(dir).ok()?;
    Some((m.dev(), m.ino(), m.mtime(), m.mtime_nsec()))
}

// Without a folder's identity, every build is a clean one.
#[cfg(not(unix))]
pub(super) fn identity(_: &Path) -> Option<Identity> {
    None
}
