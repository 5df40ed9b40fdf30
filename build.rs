//! Gives `arshif --version` the short commit it was built from when built
//! from a git checkout, `arshif 0.1.0 (4e23239)`, and just the crate's
//! version otherwise (a package from crates.io has no .git).

use std::path::{Path, PathBuf};
use std::process::Command;

// Cargo reads a build script's instructions from its standard output.
#[allow(clippy::print_stdout)]
fn main() {
    let version = std::env::var("CARGO_PKG_VERSION").expect("cargo sets CARGO_PKG_VERSION");
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));

    // Without any rerun-if-changed, cargo reruns this on every change to any
    // file of the package.
    println!("cargo::rerun-if-changed=build.rs");

    // `cargo package` builds its copy of the crate in this same target
    // folder under the same fingerprints. So that neither build reuses the
    // other's version, each watches a file, relative to the crate, that the
    // other lacks: a checkout its .git/HEAD, a package .cargo_vcs_info.json.
    //
    // Only this crate's own checkout: an unpacked package that happens to
    // sit inside some other repository must not take that one's commit.
    let commit = if root.join(".git").exists() {
        for path in watched(&root) {
            println!("cargo::rerun-if-changed={}", path.display());
        }
        git(&root, &["rev-parse", "--short=7", "HEAD"])
            .filter(|hash| hash.len() >= 7 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
    } else {
        // Written by `cargo package`, so only a package has it.
        if root.join(".cargo_vcs_info.json").exists() {
            println!("cargo::rerun-if-changed=.cargo_vcs_info.json");
        }
        None
    };

    match commit {
        Some(hash) => println!("cargo::rustc-env=ARSHIF_VERSION={version} ({hash})"),
        None => println!("cargo::rustc-env=ARSHIF_VERSION={version}"),
    }
}

/// The files whose change means HEAD moved: HEAD itself (a checkout or a
/// detached commit) and the branch it names (a commit). Only files that
/// exist, since cargo reruns every time for a missing one. git gives them
/// relative to `root` (.git/HEAD) except in a worktree.
fn watched(root: &Path) -> Vec<PathBuf> {
    let git_path = |name: &str| git(root, &["rev-parse", "--git-path", name]).map(PathBuf::from);
    let mut paths = Vec::new();
    paths.extend(git_path("HEAD"));
    if let Some(branch) = git(root, &["symbolic-ref", "-q", "HEAD"]) {
        match git_path(&branch) {
            Some(file) if root.join(&file).exists() => paths.push(file),
            // A packed branch: its next commit writes the file, in this
            // folder, and packed-refs holds it until then.
            Some(file) => {
                paths.extend(file.parent().map(Path::to_path_buf));
                paths.extend(git_path("packed-refs"));
            }
            None => {}
        }
    }
    paths.retain(|path| root.join(path).exists());
    paths
}

/// What git prints, trimmed, or None when git is missing or fails.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?.trim().to_owned();
    (!text.is_empty()).then_some(text)
}
