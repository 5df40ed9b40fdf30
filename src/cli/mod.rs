//! The command line: parses arguments, runs a command, and is the only
//! place that prints.

mod build;
mod check;
mod deploy;
mod import;
mod new;
mod serve;
mod theme;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use arshif::{Diagnostics, Error};
use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "arshif",
    version = env!("ARSHIF_VERSION"),
    about = "A static-site generator for Arabic and right-to-left news archives"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the site into public/ (or --output)
    Build(build::BuildArgs),
    /// Load, validate and render everything without writing anything
    Check(check::CheckArgs),
    /// Upload the built site to S3-compatible object storage, only what changed
    Deploy(deploy::DeployArgs),
    /// Bring an existing archive in: raw text articles as scraped
    Import(import::ImportArgs),
    /// Create a new archive: site.yaml, a sample article and a Pages workflow
    New(new::NewArgs),
    /// Preview the site with live reload, rebuilding on every change
    Serve(serve::ServeArgs),
    /// The default theme: copy its templates or stylesheet into the site
    Theme(theme::ThemeArgs),
}

/// Options every command takes.
#[derive(Debug, clap::Args)]
pub struct Common {
    /// The site's folder: the one with site.yaml and content/
    #[arg(long, default_value = ".", value_name = "DIR")]
    root: PathBuf,
    /// Print nothing but errors
    #[arg(long, short)]
    quiet: bool,
}

pub fn run(cli: Cli) -> ExitCode {
    let (name, result) = match cli.command {
        Command::Build(args) => ("build", build::run(args)),
        Command::Check(args) => ("check", check::run(args)),
        Command::Deploy(args) => ("deploy", deploy::run(args)),
        Command::Import(args) => ("import", import::run(args)),
        Command::New(args) => ("new", new::run(args)),
        Command::Serve(args) => ("serve", serve::run(args)),
        Command::Theme(args) => ("theme copy", theme::run(args)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            report_error(name, &e);
            ExitCode::FAILURE
        }
    }
}

fn color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

#[allow(clippy::print_stderr)]
fn report_error(command: &str, e: &Error) {
    match e {
        Error::Input(diags) => {
            print_diagnostics(diags);
            let n = diags.error_count();
            let summary = format!(
                "{command} failed: {n} {}",
                if n == 1 { "error" } else { "errors" }
            );
            eprintln!("{}", paint(&summary, "1;31"));
        }
        other => eprintln!("{} {other}", paint("error:", "1;31")),
    }
}

/// Diagnostics as `file:line:col` blocks, coloured on a terminal.
#[allow(clippy::print_stderr)]
pub fn print_diagnostics(diags: &Diagnostics) {
    let mut err = std::io::stderr().lock();
    for d in diags.iter() {
        let block = d.to_string();
        let block = match block.split_once(':') {
            Some((label, rest)) if color() => {
                let code = if d.is_error() { "1;31" } else { "1;33" };
                format!("{}:{rest}", paint(label, code))
            }
            _ => block,
        };
        let _ = writeln!(err, "{block}");
    }
}

/// "1 article", "1,234 articles".
pub fn counted(n: usize, one: &str, many: &str) -> String {
    format!(
        "{} {}",
        arshif::text::thousands(n),
        if n == 1 { one } else { many }
    )
}

fn paint(text: &str, code: &str) -> String {
    if color() {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_definition_is_valid() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
