use std::process::ExitCode;

use clap::Parser;

mod cli;

// Rendering allocates and frees many small strings and values from every
// thread; jemalloc does that faster than the system allocator and keeps
// peak memory lower on large archives (see the README's Performance).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    cli::run(cli::Cli::parse())
}
