use std::process::ExitCode;

use clap::Parser;

mod cli;

// Rendering allocates and frees many small strings and values from every
// thread; jemalloc does that faster than the system allocator (see the
// README's Performance). Unix only: it is built from C with `make`.
#[cfg(unix)]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    cli::run(cli::Cli::parse())
}

#[cfg(test)]
mod tests {
    /// What `arshif --version` shows after the name: the crate's version,
    /// then the short commit in brackets when built from a git checkout.
    #[test]
    fn version_is_the_crates_then_maybe_the_commit() {
        let version = env!("ARSHIF_VERSION");
        let rest = version
            .strip_prefix(env!("CARGO_PKG_VERSION"))
            .unwrap_or_else(|| panic!("{version}"));
        if !rest.is_empty() {
            let hash = rest.strip_prefix(" (").and_then(|r| r.strip_suffix(')'));
            assert!(
                hash.is_some_and(|h| h.len() >= 7 && h.bytes().all(|b| b.is_ascii_hexdigit())),
                "{version}"
            );
        }
    }
}
