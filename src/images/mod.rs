//! The images articles show: each article's lead image (`image:`) and
//! each image of its text that is a file of the site (beside the article,
//! or in static/ from the site's root). Every JPEG, PNG and WebP is
//! resized to site.yaml's `images.widths` (never wider than it is) and
//! written as WebP and in its own format, beside the original:
//! `putin.jpg` → `putin-960w-1a2b3c4d.webp`, `putin-960w-1a2b3c4d.jpg`,
//! the last part a hash of the source's bytes and the settings, so that
//! a changed image gets new addresses. GIF (perhaps animated) and SVG
//! files are shown as they are. Copies come from the cache beside the
//! output (`cache`): an unchanged image is never encoded twice.
//!
//! The originals themselves, and every other JPEG, PNG and WebP file the
//! site publishes, are published without their metadata (`strip`),
//! unless site.yaml says `images: {metadata: keep}`: a phone's photo
//! says where it was taken, which can expose a source.
//!
//! `prepare` is a step of the build: it reads what it needs of every
//! image, makes the copies the cache lacks, and reports every image that
//! cannot be read at each place an article shows it. Pages then find each
//! image's `Picture` here, and incremental builds fingerprint it
//! (`fingerprint`).

pub mod cache;
mod encode;
pub mod html;
mod strip;

use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::config::ImageSettings;
use crate::content::Article;
use crate::diagnostics::{Diagnostic, Span};
use crate::error::Result;
use crate::index::ArticleId;
use crate::markdown;
use crate::stamp::Stamp;
use crate::url::UrlPath;

/// The folder of the site's own files, where images named from the
/// site's root are.
const STATIC_DIR: &str = "static";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Format {
    Jpeg,
    Png,
    Webp,
    Gif,
    Svg,
}

impl Format {
    /// The format a file's name says it has.
    pub fn of_name(name: &str) -> Option<Format> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        Some(match ext.as_str() {
            "jpg" | "jpeg" => Format::Jpeg,
            "png" => Format::Png,
            "webp" => Format::Webp,
            "gif" => Format::Gif,
            "svg" => Format::Svg,
            _ => return None,
        })
    }

    pub fn ext(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::Webp => "webp",
            Format::Gif => "gif",
            Format::Svg => "svg",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Jpeg => "JPEG",
            Format::Png => "PNG",
            Format::Webp => "WebP",
            Format::Gif => "GIF",
            Format::Svg => "SVG",
        }
    }

    /// The formats copies of an image of this format are made in: WebP
    /// first, then its own.
    fn copies(self) -> &'static [Format] {
        match self {
            Format::Jpeg => &[Format::Webp, Format::Jpeg],
            Format::Png => &[Format::Webp, Format::Png],
            Format::Webp => &[Format::Webp],
            Format::Gif | Format::Svg => &[],
        }
    }
}

/// What was read of a source image: its format (from its bytes), its
/// size upright, and a hash of its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Probe {
    pub format: Format,
    pub width: u32,
    pub height: u32,
    pub hash: u64,
}

/// An image as pages show it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Picture {
    pub format: Format,
    /// Its own size, upright; 0 × 0 for an SVG.
    pub width: u32,
    pub height: u32,
    /// The sizes of its copies, narrowest first; none for GIF and SVG.
    pub sizes: Vec<(u32, u32)>,
    /// The start of the copies' names: the source's name made safe.
    stem: String,
    /// A hash of the source's bytes and the settings.
    key: u64,
    /// A hash of the source's bytes.
    hash: u64,
}

impl Picture {
    fn new(probe: &Probe, file: &Path, settings: &ImageSettings) -> Picture {
        let sizes = if probe.format.copies().is_empty() {
            Vec::new()
        } else {
            widths(probe.width, &settings.widths)
                .into_iter()
                .map(|w| (w, height_at(probe, w)))
                .collect()
        };
        let stem = file
            .file_stem()
            .map(|s| s.to_string_lossy())
            .unwrap_or_default()
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || c == '_' {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        Picture {
            format: probe.format,
            width: probe.width,
            height: probe.height,
            sizes,
            stem,
            key: hash_of((cache::VERSION, probe, settings.quality)),
            hash: probe.hash,
        }
    }

    /// The file name of its copy `width` pixels wide in `format`.
    pub fn name(&self, width: u32, format: Format) -> String {
        format!(
            "{}-{width}w-{:08x}.{}",
            self.stem,
            self.key >> 32,
            format.ext()
        )
    }

    /// The formats of its copies: WebP, then its own unless that is WebP.
    pub fn formats(&self) -> &'static [Format] {
        self.format.copies()
    }

    /// The format of the copies an `<img>` shows: the image's own, or
    /// WebP for a WebP image.
    pub fn own_format(&self) -> Format {
        *self.formats().last().unwrap_or(&Format::Webp)
    }

    /// The name of a copy in the cache.
    fn cache_name(&self, width: u32, format: Format) -> String {
        format!("{:016x}-{width}.{}", self.key, format.ext())
    }
}

/// The widths of an image's copies: each of `wanted` narrower than the
/// image, and the image's own width when it is narrower than the widest
/// wanted (or the widest wanted when it is wider): never upscaled.
pub fn widths(own: u32, wanted: &[u32]) -> Vec<u32> {
    let widest = wanted.iter().copied().max().unwrap_or(own);
    let mut out: Vec<u32> = wanted.iter().copied().filter(|w| *w < own).collect();
    out.push(own.min(widest));
    out.sort_unstable();
    out.dedup();
    out
}

fn height_at(probe: &Probe, width: u32) -> u32 {
    let h = (u64::from(probe.height) * u64::from(width) + u64::from(probe.width) / 2)
        / u64::from(probe.width.max(1));
    (h as u32).max(1)
}

/// Where an image an article names is: its file (relative to the site's
/// root) and the folder its copies are served from.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Located {
    file: PathBuf,
    dir: UrlPath,
}

/// The image file `src` names, as written in article `a` (`putin.jpg`,
/// `/images/a.jpg`): none for addresses on the web and files that are not
/// images. A relative name must be a file beside the article (its
/// `assets` are names without a folder).
fn locate(a: &Article, src: &str) -> Option<Located> {
    if src.starts_with("//") || src.contains("://") {
        return None;
    }
    let path = markdown::local_path(src);
    Format::of_name(&path)?;
    if let Some(rooted) = path.strip_prefix('/') {
        let (parent, _) = rooted.rsplit_once('/').unwrap_or(("", rooted));
        let dir = if parent.is_empty() {
            UrlPath::root()
        } else {
            UrlPath::root().join(&format!("{parent}/"))
        };
        return Some(Located {
            file: Path::new(STATIC_DIR).join(rooted),
            dir,
        });
    }
    if !a.assets.contains(&path) {
        return None;
    }
    let folder = a.source.parent().unwrap_or(Path::new(""));
    Some(Located {
        file: folder.join(&path),
        dir: a.url.clone(),
    })
}

/// Every image an article shows, with where it names it: the lead image
/// first, then those of its text in order.
fn references(a: &Article) -> impl Iterator<Item = (&str, Span)> {
    let lead = a.meta.image.iter().map(|img| (img.src.as_str(), img.span));
    let body = a.links.iter().map(|l| (l.dest.as_str(), l.span));
    lead.chain(body)
}

/// The images of a site, read, with their copies made.
#[derive(Debug, Default)]
pub struct Images {
    /// By source file, relative to the site's root.
    pictures: FxHashMap<PathBuf, Arc<Picture>>,
    /// A fingerprint of the images each article shows, by its id.
    fingerprints: Vec<u64>,
    /// The copies the site has: output path (`/`-separated) and the file
    /// in the cache, by output path.
    pub files: Vec<(String, PathBuf)>,
    /// Copies encoded by this build, and copies taken from the cache.
    pub encoded: usize,
    pub reused: usize,
    /// Originals published without their metadata: the file in the cache
    /// by source file, relative to the site's root.
    originals: FxHashMap<PathBuf, PathBuf>,
}

impl Images {
    /// The picture of image `src` as article `a` names it, and the folder
    /// its copies are served from.
    pub fn find(&self, a: &Article, src: &str) -> Option<(&Arc<Picture>, UrlPath)> {
        let at = locate(a, src)?;
        Some((self.pictures.get(&at.file)?, at.dir))
    }

    /// The file the site publishes for `file` (relative to the site's
    /// root) when that is its copy without metadata.
    pub fn original(&self, file: &Path) -> Option<&PathBuf> {
        self.originals.get(file)
    }

    /// A fingerprint of the images article `id` shows (0 for none): what
    /// its pages show of them, their sizes and copies.
    pub fn fingerprint(&self, id: ArticleId) -> u64 {
        self.fingerprints.get(id).copied().unwrap_or(0)
    }
}

/// A copy of an image to have: its width, format and name in the cache.
type Wanted = (u32, Format, String);

/// A copy the cache lacks: its width, format and name in the cache.
type Missing<'a> = (u32, Format, &'a str);

/// The copies written (name in the cache, size), or why the image cannot
/// be used.
type Made = std::result::Result<Vec<(String, u64)>, String>;

/// Makes the `missing` copies of the image at `path` into the cache.
fn make(
    path: &Path,
    cache_dir: &Path,
    pic: &Picture,
    missing: &[Missing],
    settings: &ImageSettings,
) -> Result<Made> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return Ok(Err(e.to_string())),
    };
    if hash_of(&bytes[..]) != pic.hash {
        return Ok(Err(
            "it changed while the site was built; build again".into()
        ));
    }
    let mut sizes: Vec<(u32, u32)> = Vec::new();
    for (w, _, _) in missing {
        if let Some(s) = pic.sizes.iter().find(|s| s.0 == *w)
            && !sizes.contains(s)
        {
            sizes.push(*s);
        }
    }
    let copies = match encode::resize(&bytes, &sizes, pic.formats(), settings.quality) {
        Ok(c) => c,
        Err(why) => return Ok(Err(why)),
    };
    let mut written = Vec::new();
    for copy in copies {
        let Some((_, _, name)) = missing
            .iter()
            .find(|(w, f, _)| *w == copy.width && *f == copy.format)
        else {
            continue;
        };
        cache::write(cache_dir, name, &copy.bytes)?;
        written.push(((*name).to_owned(), copy.bytes.len() as u64));
    }
    Ok(Ok(written))
}

/// Reads every image `articles` show and makes the copies of each that
/// the cache in `cache_dir` lacks, and the copies without metadata of the
/// `published` JPEG, PNG and WebP files (relative to `root`); every image
/// that cannot be read is a problem at each place it is shown.
pub fn prepare(
    root: &Path,
    cache_dir: &Path,
    articles: &[Arc<Article>],
    published: &[PathBuf],
    settings: &ImageSettings,
) -> Result<(Images, Vec<Diagnostic>)> {
    // Every image shown, by file, with each place it is shown.
    let refs: Vec<Vec<(&str, Span, Located)>> = articles
        .par_iter()
        .map(|a| {
            references(a)
                .filter_map(|(src, span)| {
                    let at = locate(a, src)?;
                    let is_static = at.file.starts_with(STATIC_DIR);
                    // A missing file of static/ is reported with the links.
                    (!is_static || root.join(&at.file).is_file()).then_some((src, span, at))
                })
                .collect()
        })
        .collect();
    let mut shown: BTreeMap<&Path, Vec<(ArticleId, &str, Span)>> = BTreeMap::new();
    for (id, list) in refs.iter().enumerate() {
        for (src, span, at) in list {
            shown
                .entry(at.file.as_path())
                .or_default()
                .push((id, src, *span));
        }
    }
    let published = if settings.strip { published } else { &[] };
    if shown.is_empty() && published.is_empty() && !cache_dir.exists() {
        return Ok((Images::default(), Vec::new()));
    }

    let mut index = cache::Index::load(cache_dir);
    let now = SystemTime::now();
    let files: Vec<&Path> = shown.keys().copied().collect();
    let probed: Vec<std::result::Result<(Probe, Option<Stamp>), String>> = files
        .par_iter()
        .map(|file| {
            let full = root.join(file);
            let stamp = Stamp::of(&full, now);
            if let (Some(stamp), Some((old, probe))) = (&stamp, index.sources.get(*file))
                && old.unchanged(stamp)
            {
                return Ok((probe.clone(), Some(stamp.clone())));
            }
            let bytes = std::fs::read(&full).map_err(|e| e.to_string())?;
            let named = Format::of_name(&file.to_string_lossy()).unwrap_or(Format::Jpeg);
            Ok((encode::probe(&bytes, named)?, stamp))
        })
        .collect();

    let mut problems = Vec::new();
    let failed = |file: &Path, why: &str, problems: &mut Vec<Diagnostic>| {
        for (id, src, span) in &shown[file] {
            problems.push(unreadable(&articles[*id].source, *span, src, file, why));
        }
    };
    let mut pictures: FxHashMap<PathBuf, Arc<Picture>> = FxHashMap::default();
    for (file, probed) in files.iter().zip(probed) {
        match probed {
            Ok((probe, stamp)) => {
                pictures.insert(
                    file.to_path_buf(),
                    Arc::new(Picture::new(&probe, file, settings)),
                );
                if let Some(stamp) = stamp {
                    index.sources.insert(file.to_path_buf(), (stamp, probe));
                }
            }
            Err(why) => {
                index.sources.remove(*file);
                failed(file, &why, &mut problems);
            }
        }
    }

    // The copies the cache lacks, by source.
    let wanted: Vec<(&Path, Arc<Picture>, Vec<Wanted>)> = files
        .iter()
        .filter_map(|f| Some((*f, Arc::clone(pictures.get(*f)?))))
        .map(|(file, pic)| {
            let names = pic
                .sizes
                .iter()
                .flat_map(|&(w, _)| pic.formats().iter().map(move |&f| (w, f)))
                .map(|(w, f)| (w, f, pic.cache_name(w, f)))
                .collect();
            (file, pic, names)
        })
        .collect();
    let whole: Vec<Vec<bool>> = wanted
        .par_iter()
        .map(|(_, _, names)| {
            names
                .iter()
                .map(|(_, _, n)| index.is_whole(cache_dir, n))
                .collect()
        })
        .collect();
    // One job per image, however many files hold its bytes.
    let mut jobs: Vec<(&Path, &Arc<Picture>, Vec<Missing>)> = Vec::new();
    let mut same: FxHashMap<u64, Vec<&Path>> = FxHashMap::default();
    let mut reused = 0;
    for ((file, pic, names), whole) in wanted.iter().zip(&whole) {
        let mut missing = Vec::new();
        for ((w, f, name), whole) in names.iter().zip(whole) {
            if *whole {
                index.touch(name);
                reused += 1;
            } else {
                missing.push((*w, *f, name.as_str()));
            }
        }
        if missing.is_empty() {
            continue;
        }
        match same.get_mut(&pic.key) {
            Some(files) => {
                reused += missing.len();
                files.push(file);
            }
            None => {
                same.insert(pic.key, vec![*file]);
                jobs.push((*file, pic, missing));
            }
        }
    }
    if !jobs.is_empty() {
        crate::fs::create_dir_all(&cache::tmp_dir(cache_dir))?;
    }
    // One image decoded per thread at a time.
    let made: Vec<Result<Made>> = jobs
        .par_iter()
        .map(|(file, pic, missing)| make(&root.join(file), cache_dir, pic, missing, settings))
        .collect();
    let mut encoded = 0;
    for ((_, pic, _), made) in jobs.iter().zip(made) {
        match made? {
            Ok(written) => {
                encoded += written.len();
                for (name, size) in written {
                    index.add(name, size);
                }
            }
            Err(why) => {
                for file in &same[&pic.key] {
                    pictures.remove(*file);
                    index.sources.remove(*file);
                    failed(file, &why, &mut problems);
                }
            }
        }
    }
    let originals = strip_all(
        root,
        cache_dir,
        published,
        &mut index,
        &pictures,
        &shown,
        &mut problems,
    )?;
    index.sources.retain(|p, _| shown.contains_key(p.as_path()));
    index.save(cache_dir)?;

    // The copies each article's page folder gets, and its fingerprint.
    let mut out: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut fingerprints = Vec::with_capacity(articles.len());
    for list in &refs {
        let mut h = DefaultHasher::new();
        for (src, _, at) in list {
            let pic = pictures.get(&at.file);
            (src, pic).hash(&mut h);
            let Some(pic) = pic else { continue };
            let dir = at.dir.output_key();
            let dir = dir.trim_end_matches("index.html");
            for &(w, _) in &pic.sizes {
                for &f in pic.formats() {
                    out.entry(format!("{dir}{}", pic.name(w, f)))
                        .or_insert_with(|| cache_dir.join(pic.cache_name(w, f)));
                }
            }
        }
        fingerprints.push(if list.is_empty() { 0 } else { h.finish() });
    }
    Ok((
        Images {
            pictures,
            fingerprints,
            files: out.into_iter().collect(),
            encoded,
            reused,
            originals,
        },
        problems,
    ))
}

/// What became of an original: it holds no metadata, or its copy without
/// is in the cache (written now, with its size, or before), or why it
/// cannot be read.
enum Bare {
    AsIs,
    Written(String, u64),
    Cached(String),
    Unreadable(String),
}

/// Puts in the cache the copy without metadata of each of `published`
/// that has metadata, and returns where each is, by source. An original
/// that cannot be read is a problem, unless an article shows it: that
/// is reported where it is shown.
fn strip_all(
    root: &Path,
    cache_dir: &Path,
    published: &[PathBuf],
    index: &mut cache::Index,
    pictures: &FxHashMap<PathBuf, Arc<Picture>>,
    shown: &BTreeMap<&Path, Vec<(ArticleId, &str, Span)>>,
    problems: &mut Vec<Diagnostic>,
) -> Result<FxHashMap<PathBuf, PathBuf>> {
    if !published.is_empty() {
        crate::fs::create_dir_all(&cache::tmp_dir(cache_dir))?;
    }
    let now = SystemTime::now();
    let done: Vec<Result<(Bare, Option<Stamp>)>> = published
        .par_iter()
        .map(|file| strip_one(root, cache_dir, file, index, now))
        .collect();
    let mut originals = FxHashMap::default();
    for (file, done) in published.iter().zip(done) {
        let (bare, stamp) = done?;
        let name = match bare {
            Bare::AsIs => None,
            Bare::Written(name, size) => {
                index.add(name.clone(), size);
                Some(name)
            }
            Bare::Cached(name) => {
                index.touch(&name);
                Some(name)
            }
            Bare::Unreadable(why) => {
                index.bare.remove(file);
                if !shown.contains_key(file.as_path()) || pictures.contains_key(file) {
                    problems.push(
                        Diagnostic::error(file, None, format!("this image cannot be published: {why}"))
                            .with_help("save it again as a JPEG, PNG or WebP file, or remove it; `images: {metadata: keep}` in site.yaml publishes images as they are"),
                    );
                }
                continue;
            }
        };
        if let Some(name) = &name {
            originals.insert(file.clone(), cache_dir.join(name));
        }
        match stamp {
            Some(stamp) => index.bare.insert(file.clone(), (stamp, name)),
            None => index.bare.remove(file),
        };
    }
    let published: rustc_hash::FxHashSet<&PathBuf> = published.iter().collect();
    index.bare.retain(|p, _| published.contains(p));
    Ok(originals)
}

/// The original `file` without its metadata, from the cache when its
/// stamp says it is as it was, or why it cannot be read.
fn strip_one(
    root: &Path,
    cache_dir: &Path,
    file: &Path,
    index: &cache::Index,
    now: SystemTime,
) -> Result<(Bare, Option<Stamp>)> {
    let full = root.join(file);
    let stamp = Stamp::of(&full, now);
    if let (Some(stamp), Some((old, name))) = (&stamp, index.bare.get(file))
        && old.unchanged(stamp)
    {
        match name {
            None => return Ok((Bare::AsIs, Some(stamp.clone()))),
            Some(name) if index.is_whole(cache_dir, name) => {
                return Ok((Bare::Cached(name.clone()), Some(stamp.clone())));
            }
            Some(_) => {}
        }
    }
    let bytes = match std::fs::read(&full) {
        Ok(b) => b,
        Err(e) => return Ok((Bare::Unreadable(e.to_string()), None)),
    };
    let clean = match strip::strip(&bytes) {
        Ok(Some(clean)) => clean,
        Ok(None) => return Ok((Bare::AsIs, stamp)),
        Err(why) => return Ok((Bare::Unreadable(why), None)),
    };
    let ext = file
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let name = format!("{:016x}-bare.{ext}", hash_of((cache::VERSION, &bytes[..])));
    if index.is_whole(cache_dir, &name) {
        return Ok((Bare::Cached(name), stamp));
    }
    cache::write(cache_dir, &name, &clean)?;
    Ok((Bare::Written(name, clean.len() as u64), stamp))
}

fn unreadable(article: &Path, span: Span, src: &str, file: &Path, why: &str) -> Diagnostic {
    Diagnostic::error(
        article,
        Some(span),
        format!("image `{src}` ({}) cannot be used: {why}", file.display()),
    )
    .with_help(
        "save it again as a JPEG, PNG, WebP, GIF or SVG file (a file cut short, or renamed from another format, does this), or remove it from the article",
    )
}

fn hash_of(value: impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_never_upscaled() {
        let wanted = [480, 960, 1600];
        assert_eq!(widths(2000, &wanted), [480, 960, 1600]);
        assert_eq!(widths(1600, &wanted), [480, 960, 1600]);
        assert_eq!(widths(1000, &wanted), [480, 960, 1000]);
        assert_eq!(widths(960, &wanted), [480, 960]);
        assert_eq!(widths(300, &wanted), [300]);
    }

    #[test]
    fn formats_come_from_names() {
        assert_eq!(Format::of_name("a.JPEG"), Some(Format::Jpeg));
        assert_eq!(Format::of_name("docs/a.pdf"), None);
        assert_eq!(Format::of_name("noext"), None);
    }
}
