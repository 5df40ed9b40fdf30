//! `arshif check`

use std::time::Instant;

use arshif::text::thousands;
use arshif::{BuildOptions, Error};

use super::{Common, print_diagnostics};

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    #[command(flatten)]
    common: Common,
    /// Check with this base URL instead of site.yaml's
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Check articles marked `draft: true` as they would be published
    #[arg(long)]
    drafts: bool,
}

pub fn run(args: CheckArgs) -> Result<(), Error> {
    let opts = BuildOptions {
        root: args.common.root,
        output: None,
        base_url: args.base_url,
        drafts: args.drafts,
    };
    let started = Instant::now();
    let (site, report) = arshif::check(&opts)?;
    if !site.warnings.is_empty() {
        print_diagnostics(&site.warnings);
    }
    if !args.common.quiet {
        #[allow(clippy::print_stdout)]
        {
            println!(
                "checked {} articles, {} pages in {:.2} s: no problems",
                thousands(report.articles),
                thousands(report.pages),
                started.elapsed().as_secs_f64(),
            );
        }
    }
    Ok(())
}
