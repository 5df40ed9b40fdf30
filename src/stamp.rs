//! What a file looked like when it was looked at: enough to know, without
//! reading it, that it has not changed since.
//!
//! A stamp is taken before the file is read, so what was read is never
//! older than the stamp. It holds the change time as well as the
//! modification time: `touch -d` or `tar x` can give a file any
//! modification time, but writing it always moves its change time. And a
//! stamp taken less than `SETTLE` after the file last changed is not
//! trusted: a write in the same tick of the file system's clock would
//! leave every field as it was.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;
use std::time::{Duration, SystemTime};

/// How long after its last change a file's stamp can be trusted: more
/// than the coarsest timestamp resolution of common file systems.
const SETTLE: Duration = Duration::from_secs(2);

#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Stamp {
    modified: Option<SystemTime>,
    changed: Option<(i64, i64)>,
    inode: u64,
    pub len: u64,
    /// Whether the file had not changed for `SETTLE` when it was stamped.
    settled: bool,
}

impl Stamp {
    /// The stamp of the file at `path` now; none if it cannot be read.
    pub fn of(path: &Path, now: SystemTime) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        let modified = meta.modified().ok();
        let (changed, inode) = changed(&meta);
        let last = [modified, changed.map(|(s, n)| at(s, n))]
            .into_iter()
            .flatten()
            .max();
        let settled = last.is_some_and(|t| t + SETTLE < now) && modified.is_some();
        Some(Stamp {
            modified,
            changed,
            inode,
            len: meta.len(),
            settled,
        })
    }

    /// Whether the file had not changed for a while when it was stamped:
    /// only then does an equal stamp later mean the same bytes.
    pub fn is_settled(&self) -> bool {
        self.settled
    }

    /// Whether a file stamped `self` before and `now` since is certainly
    /// the same file with the same bytes.
    pub fn unchanged(&self, now: &Stamp) -> bool {
        self.settled
            && (self.modified, self.changed, self.inode, self.len)
                == (now.modified, now.changed, now.inode, now.len)
    }
}

/// A fingerprint of the bytes of a file to copy: of its stamp when that
/// can be trusted, else of its content.
pub fn file_fingerprint(path: &Path, now: SystemTime) -> u64 {
    let mut h = DefaultHasher::new();
    match Stamp::of(path, now) {
        Some(stamp) if stamp.settled => (0u8, stamp).hash(&mut h),
        _ => (1u8, std::fs::read(path).ok()).hash(&mut h),
    }
    h.finish()
}

/// A fingerprint of a file that is replaced, never changed, by whoever
/// writes it (a resized image of the image cache): its length,
/// modification time and inode, whether or not it has settled. A file
/// made again is a new one. Not its change time, which every hard link
/// made to it moves.
pub fn identity_fingerprint(path: &Path) -> u64 {
    let mut h = DefaultHasher::new();
    if let Ok(meta) = std::fs::metadata(path) {
        (meta.len(), meta.modified().ok(), changed(&meta).1).hash(&mut h);
    }
    h.finish()
}

fn at(secs: i64, nanos: i64) -> SystemTime {
    let d = Duration::new(secs.unsigned_abs(), nanos.clamp(0, 999_999_999) as u32);
    if secs >= 0 {
        SystemTime::UNIX_EPOCH + d
    } else {
        SystemTime::UNIX_EPOCH - d
    }
}

#[cfg(unix)]
fn changed(meta: &std::fs::Metadata) -> (Option<(i64, i64)>, u64) {
    use std::os::unix::fs::MetadataExt;
    (Some((meta.ctime(), meta.ctime_nsec())), meta.ino())
}

// Without a change time, a stamp is the modification time and length.
#[cfg(not(unix))]
fn changed(_: &std::fs::Metadata) -> (Option<(i64, i64)>, u64) {
    (None, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rewrite_with_the_same_length_and_time_is_seen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "one").unwrap();
        let later = SystemTime::now() + Duration::from_secs(10);
        let before = Stamp::of(&path, later).unwrap();
        assert!(before.unchanged(&Stamp::of(&path, later).unwrap()));
        let mtime = std::fs::metadata(&path).unwrap().modified().unwrap();
        std::thread::sleep(Duration::from_millis(20));
        std::fs::write(&path, "two").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(mtime)
            .unwrap();
        let after = Stamp::of(&path, later).unwrap();
        assert_eq!(after.modified, before.modified);
        assert_eq!(after.len, before.len);
        if cfg!(unix) {
            assert!(!before.unchanged(&after), "the change time moved");
        }
    }

    #[test]
    fn a_fresh_stamp_is_not_trusted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "one").unwrap();
        let now = Stamp::of(&path, SystemTime::now()).unwrap();
        assert!(!now.unchanged(&now.clone()));
    }
}
