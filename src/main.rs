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
