//! `arshif check`

use std::time::Instant;

use arshif::{BuildOptions, Error};

use super::{Common, counted, print_diagnostics};

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
    /// Also fetch every web address the articles link to (slow; polite:
    /// a few hosts at a time, one request at a time per host)
    #[arg(long)]
    external: bool,
    /// Fail on warnings too: a link that leads nowhere, markup that shows
    /// as text, HTML the sanitiser removes
    #[arg(long)]
    strict: bool,
}

pub fn run(args: CheckArgs) -> Result<(), Error> {
    let opts = BuildOptions {
        base_url: args.base_url,
        drafts: args.drafts,
        ..BuildOptions::new(args.common.root)
    };
    let started = Instant::now();
    let (site, report) = arshif::check(&opts)?;
    let mut warnings = site.warnings.clone();
    let mut external = String::new();
    if args.external {
        let (checked, problems) =
            arshif::external::check(&site.index.articles, &Default::default());
        let problems = arshif::Diagnostics::new(problems);
        if problems.has_errors() {
            return Err(Error::Input(problems));
        }
        warnings.extend(problems.iter().cloned());
        external = format!(", {}", counted(checked, "web address", "web addresses"));
    }
    if args.strict && !warnings.is_empty() {
        for d in &mut warnings {
            d.severity = arshif::diagnostics::Severity::Error;
        }
        return Err(Error::Input(arshif::Diagnostics::new(warnings)));
    }
    if !warnings.is_empty() {
        print_diagnostics(&arshif::Diagnostics::new(warnings.clone()));
    }
    if !args.common.quiet {
        #[allow(clippy::print_stdout)]
        {
            let found = match warnings.len() {
                0 => "no problems".to_owned(),
                n => format!("no errors, {}", counted(n, "warning", "warnings")),
            };
            println!(
                "checked {}, {}{external} in {:.2} s: {found}",
                counted(report.articles, "article", "articles"),
                counted(report.pages, "page", "pages"),
                started.elapsed().as_secs_f64(),
            );
        }
    }
    Ok(())
}
