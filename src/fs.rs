//! The file-system calls the generator makes, each wrapped once so that every
//! I/O error names its path.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

fn io(action: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> Error {
    let path = path.to_path_buf();
    move |source| Error::Io {
        action,
        path,
        source,
    }
}

pub fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(io("cannot read", path))
}

pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).map_err(io("cannot write", path))
}

pub fn create_dir_all(path: &Path) -> Result<()> {
    std::fs::create_dir_all(path).map_err(io("cannot create folder", path))
}

pub fn remove_file(path: &Path) -> Result<()> {
    std::fs::remove_file(path).map_err(io("cannot remove", path))
}

pub fn remove_dir(path: &Path) -> Result<()> {
    std::fs::remove_dir(path).map_err(io("cannot remove", path))
}

/// Creates one folder; an existing one is fine.
pub fn create_dir(path: &Path) -> Result<()> {
    match std::fs::create_dir(path) {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        other => other.map_err(io("cannot create folder", path)),
    }
}

/// Copies a file and returns its size.
pub fn copy(from: &Path, to: &Path) -> Result<u64> {
    std::fs::copy(from, to).map_err(io("cannot copy", from))
}

pub fn remove_dir_all(path: &Path) -> Result<()> {
    match std::fs::remove_dir_all(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        other => other.map_err(io("cannot remove", path)),
    }
}

pub fn rename(from: &Path, to: &Path) -> Result<()> {
    std::fs::rename(from, to).map_err(io("cannot rename", from))
}

/// Atomically exchanges two existing paths where the platform can (Linux's
/// `renameat2(RENAME_EXCHANGE)`), so that a reader, or a kill at any moment,
/// sees either the old tree or the new one, never neither.
pub fn exchange(a: &Path, b: &Path) -> Result<bool> {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
            Ok(()) => Ok(true),
            // Filesystems without the flag (some network mounts) fall back.
            Err(rustix::io::Errno::INVAL | rustix::io::Errno::NOSYS) => Ok(false),
            Err(e) => Err(io("cannot swap", a)(e.into())),
        }
    }
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    {
        let _ = (a, b);
        Ok(false)
    }
}

pub fn exists(path: &Path) -> bool {
    path.symlink_metadata().is_ok()
}

/// `path` with `suffix` appended to its file name: `public` → `.public.staging`.
pub fn sibling(path: &Path, prefix: &str, suffix: &str) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    path.with_file_name(format!("{prefix}{name}{suffix}"))
}

/// A checksum of `bytes`, for files that must be read back whole.
pub fn checksum(bytes: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut h = std::hash::DefaultHasher::new();
    h.write(bytes);
    h.finish()
}

/// `bytes` followed by their `checksum`, for `unsealed` to read back.
pub fn sealed(mut bytes: Vec<u8>) -> Vec<u8> {
    let sum = checksum(&bytes);
    bytes.extend_from_slice(&sum.to_le_bytes());
    bytes
}

/// What `sealed` was given, or none when the file is cut short or damaged.
pub fn unsealed(bytes: &[u8]) -> Option<&[u8]> {
    let (body, sum) = bytes.split_at_checked(bytes.len().checked_sub(8)?)?;
    (checksum(body) == u64::from_le_bytes(sum.try_into().ok()?)).then_some(body)
}
