//! Rendered bodies parked in a temporary file: a large archive's bodies
//! would otherwise hold a gigabyte of memory from the moment they are
//! rendered until their pages are, and rendering them twice costs more
//! than writing and reading them back.

use std::fs::File;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Mutex;

use crate::error::{Error, Result};

#[derive(Debug)]
pub struct Spill {
    path: PathBuf,
    /// The file, and how long it is: appends are one at a time.
    file: Mutex<(File, u64)>,
}

/// Where a body is in a `Spill`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parked {
    at: u64,
    len: usize,
}

impl Spill {
    pub fn new() -> Result<Spill> {
        use std::sync::atomic::{AtomicU32, Ordering};
        static COUNT: AtomicU32 = AtomicU32::new(0);
        let path = std::env::temp_dir().join(format!(
            "arshif-bodies-{}-{}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        ));
        let io = |source| Error::Io {
            action: "cannot create",
            path: path.clone(),
            source,
        };
        let file = File::options()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(io)?;
        // On Unix the open file outlives its name: nothing is left behind
        // even if the process is killed.
        #[cfg(unix)]
        let _ = std::fs::remove_file(&path);
        Ok(Spill {
            path,
            file: Mutex::new((file, 0)),
        })
    }

    pub fn park(&self, body: &str) -> Result<Parked> {
        let mut guard = self.file.lock().expect("no panics while locked");
        let (file, len) = &mut *guard;
        file.write_all(body.as_bytes()).map_err(|e| self.error(e))?;
        let at = *len;
        *len += body.len() as u64;
        Ok(Parked {
            at,
            len: body.len(),
        })
    }

    pub fn fetch(&self, parked: Parked) -> Result<String> {
        let mut buf = vec![0; parked.len];
        {
            let guard = self.file.lock().expect("no panics while locked");
            read_at(&guard.0, &mut buf, parked.at).map_err(|e| self.error(e))?;
        }
        // Copied rather than taken over: checking Arabic text with SIMD and
        // copying it is several times faster than `String::from_utf8`.
        simdutf8::basic::from_utf8(&buf)
            .map(str::to_owned)
            .map_err(|_| self.error(std::io::Error::other("a parked body is not UTF-8")))
    }

    fn error(&self, source: std::io::Error) -> Error {
        Error::Io {
            action: "cannot use the temporary file",
            path: self.path.clone(),
            source,
        }
    }
}

impl Drop for Spill {
    fn drop(&mut self) {
        #[cfg(not(unix))]
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], at: u64) -> std::io::Result<()> {
    use std::os::unix::fs::FileExt;
    file.read_exact_at(buf, at)
}

#[cfg(not(unix))]
fn read_at(mut file: &File, buf: &mut [u8], at: u64) -> std::io::Result<()> {
    use std::io::{Read, Seek, SeekFrom};
    file.seek(SeekFrom::Start(at))?;
    file.read_exact(buf)?;
    file.seek(SeekFrom::End(0)).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_come_back_as_they_went() {
        let spill = Spill::new().unwrap();
        let a = spill.park("<p>أ</p>").unwrap();
        let b = spill.park("").unwrap();
        let c = spill.park("<p>ثالث</p>").unwrap();
        assert_eq!(spill.fetch(c).unwrap(), "<p>ثالث</p>");
        assert_eq!(spill.fetch(a).unwrap(), "<p>أ</p>");
        assert_eq!(spill.fetch(b).unwrap(), "");
    }
}
