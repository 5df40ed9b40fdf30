//! `arshif deploy`

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use arshif::Error;
use arshif::deploy::{DeployOptions, Plan, Progress, Why};
use arshif::text::thousands;
use indicatif::{ProgressBar, ProgressStyle};

use super::{Common, counted};

/// Files of each kind the dry run names.
const SHOWN: usize = 10;

#[derive(Debug, clap::Args)]
pub struct DeployArgs {
    #[command(flatten)]
    common: Common,
    /// The target in site.yaml's `deploy:` list (default: the first)
    #[arg(long, value_name = "NAME")]
    target: Option<String>,
    /// The built site to upload (default: public/ in the site's folder)
    #[arg(long, short, value_name = "DIR")]
    output: Option<PathBuf>,
    /// Print what would be uploaded and deleted, and change nothing
    #[arg(long)]
    dry_run: bool,
    /// Delete however many objects the site no longer has
    #[arg(long)]
    force: bool,
    /// Refuse to deploy when more objects than this would be deleted
    #[arg(long, value_name = "N", default_value_t = 256)]
    max_deletes: usize,
    /// Print every object uploaded and deleted
    #[arg(long, short)]
    verbose: bool,
}

pub fn run(args: DeployArgs) -> Result<(), Error> {
    let opts = DeployOptions {
        root: args.common.root,
        output: args.output,
        target: args.target,
        dry_run: args.dry_run,
        force: args.force,
        max_deletes: args.max_deletes,
    };
    let started = Instant::now();
    let shown = Shown {
        bar: (!args.common.quiet && !args.dry_run && std::io::stderr().is_terminal())
            .then(ProgressBar::hidden),
        verbose: args.verbose,
    };
    let report = arshif::deploy::deploy(&opts, &shown)?;
    if let Some(bar) = &shown.bar {
        bar.finish_and_clear();
    }
    #[allow(clippy::print_stdout)]
    if args.dry_run {
        print_plan(&report.plan, &report.target, report.resent);
    } else if !args.common.quiet {
        let plan = &report.plan;
        println!(
            "deployed to {}: {} uploaded ({} new, {} changed), {} deleted, {} kept, {} sent, {} in {:.2} s",
            report.target,
            counted(report.uploaded, "file", "files"),
            thousands(kind(plan, Why::New).len()),
            thousands(kind(plan, Why::Changed).len()),
            thousands(report.deleted),
            thousands(plan.kept),
            super::build::size(report.bytes),
            counted(report.requests, "request", "requests"),
            started.elapsed().as_secs_f64(),
        );
    }
    Ok(())
}

#[allow(clippy::print_stdout)]
fn print_plan(plan: &Plan, target: &str, resent: bool) {
    let new: Vec<&str> = kind(plan, Why::New);
    let changed: Vec<&str> = kind(plan, Why::Changed);
    println!(
        "dry run for {target}: would upload {} new and {} changed ({}), delete {}, keep {}",
        thousands(new.len()),
        thousands(changed.len()),
        super::build::size(plan.bytes),
        thousands(plan.deletes.len()),
        thousands(plan.kept)
    );
    if resent {
        println!("  (the header settings changed since the last deploy: every file is sent again)");
    }
    let deletes: Vec<&str> = plan.deletes.iter().map(String::as_str).collect();
    for (label, keys) in [("new", new), ("changed", changed), ("delete", deletes)] {
        for key in keys.iter().take(SHOWN) {
            println!("  {label:7} {key}");
        }
        if keys.len() > SHOWN {
            println!("  {label:7} … and {} more", keys.len() - SHOWN);
        }
    }
}

fn kind(plan: &Plan, why: Why) -> Vec<&str> {
    plan.uploads
        .iter()
        .filter(|(_, w)| *w == why)
        .map(|(f, _)| f.key.as_str())
        .collect()
}

/// A progress bar on stderr on a terminal, and each object on stdout
/// with `--verbose`.
struct Shown {
    bar: Option<ProgressBar>,
    verbose: bool,
}

impl Progress for Shown {
    fn planned(&self, plan: &Plan) {
        if let Some(bar) = &self.bar
            && !plan.is_empty()
        {
            bar.set_length(plan.bytes);
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar.enable_steady_tick(Duration::from_millis(100));
        }
    }

    fn uploaded(&self, key: &str, bytes: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(bytes);
        }
        if self.verbose {
            self.line(&format!("upload {key}"));
        }
    }

    fn deleted(&self, key: &str) {
        if self.verbose {
            self.line(&format!("delete {key}"));
        }
    }
}

impl Shown {
    #[allow(clippy::print_stdout)]
    fn line(&self, text: &str) {
        match &self.bar {
            Some(bar) => bar.println(text),
            None => println!("{text}"),
        }
    }
}
