//! The kept articles in a build's cache, in parts each encoded on its
//! own: a large archive's hundreds of megabytes of them are read and
//! written on every thread rather than on one.

use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::ser::{Error as _, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Kept;

/// Articles in a part: enough parts to keep every thread busy.
const PART: usize = 1024;

/// Parts encoded at once before they are written: the whole cache is not
/// held in memory twice.
const BATCH: usize = 16;

type Articles = FxHashMap<PathBuf, Arc<Kept>>;

pub fn serialize<S: Serializer>(articles: &Articles, s: S) -> Result<S::Ok, S::Error> {
    let entries: Vec<(&PathBuf, &Arc<Kept>)> = articles.iter().collect();
    let mut seq = s.serialize_seq(Some(entries.len().div_ceil(PART)))?;
    for batch in entries.chunks(PART * BATCH) {
        let parts: Vec<Vec<u8>> = batch
            .par_chunks(PART)
            .map(postcard::to_stdvec)
            .collect::<Result<_, _>>()
            .map_err(S::Error::custom)?;
        for part in &parts {
            seq.serialize_element(&Bytes(part))?;
        }
    }
    seq.end()
}

pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Articles, D::Error> {
    // Borrowed from the cache's bytes, which are read whole (`cache::load`).
    let parts: Vec<&'de [u8]> = Vec::deserialize(d)?;
    let decoded: Vec<Vec<(PathBuf, Arc<Kept>)>> = parts
        .par_iter()
        .map(|part| postcard::from_bytes(part))
        .collect::<Result<_, _>>()
        .map_err(serde::de::Error::custom)?;
    let mut articles =
        Articles::with_capacity_and_hasher(decoded.iter().map(Vec::len).sum(), Default::default());
    articles.extend(decoded.into_iter().flatten());
    Ok(articles)
}

/// A part as bytes, stored as they are: serde writes a `[u8]` as a list
/// of numbers.
struct Bytes<'a>(&'a [u8]);

impl Serialize for Bytes<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(self.0)
    }
}
