//! `arshif build`

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use arshif::pipeline::Progress;
use arshif::{BuildOptions, Error};
use indicatif::{ProgressBar, ProgressStyle};

use super::{Common, counted, print_diagnostics};

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    #[command(flatten)]
    common: Common,
    /// Where to write the site (default: public/ in the site's folder)
    #[arg(long, short, value_name = "DIR")]
    output: Option<PathBuf>,
    /// Override site.yaml's base_url, e.g. https://user.github.io/archive/
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Include articles marked `draft: true`
    #[arg(long)]
    drafts: bool,
    /// Ignore the previous build: render and write every page anew
    #[arg(long)]
    clean: bool,
    /// Number of threads (default: one per CPU)
    #[arg(long, short, value_name = "N")]
    jobs: Option<usize>,
}

pub fn run(args: BuildArgs) -> Result<(), Error> {
    if let Some(jobs) = args.jobs {
        // Only fails if the pool was built already, which it was not.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(jobs.max(1))
            .build_global();
    }
    let opts = BuildOptions {
        output: args.output,
        base_url: args.base_url,
        drafts: args.drafts,
        clean: args.clean,
        ..BuildOptions::new(args.common.root)
    };
    let started = Instant::now();
    let bar = Bar::new(args.common.quiet);
    let outcome = arshif::incremental::cache::build(&opts, &bar)?;
    bar.finish();
    let report = outcome.report;
    let mut warnings = outcome.warnings;
    warnings.extend(arshif::pipeline::size_warning(report.bytes));
    if !warnings.is_empty() {
        print_diagnostics(&arshif::Diagnostics::new(warnings));
    }
    if let Some(note) = outcome.note
        && !args.common.quiet
    {
        #[allow(clippy::print_stderr)]
        {
            eprintln!("note: {note}; building everything anew");
        }
    }
    if !args.common.quiet {
        #[allow(clippy::print_stdout)]
        {
            let changed = if outcome.unchanged {
                " (nothing changed)".to_owned()
            } else if report.rendered < report.pages {
                format!(
                    " ({} rendered anew)",
                    counted(report.rendered, "page", "pages")
                )
            } else {
                String::new()
            };
            let images = match (report.images_encoded, report.images_reused) {
                (0, 0) => String::new(),
                (encoded, reused) => format!(
                    "; resized images: {} encoded, {} from the cache",
                    arshif::text::thousands(encoded),
                    arshif::text::thousands(reused)
                ),
            };
            println!(
                "built {}, {}{changed} in {:.2} s ({}){images}",
                counted(report.articles, "article", "articles"),
                counted(report.pages, "page", "pages"),
                started.elapsed().as_secs_f64(),
                size(report.bytes),
            );
        }
    }
    Ok(())
}

/// Bytes for people: "840 kB", "12.3 MB".
pub(super) fn size(bytes: u64) -> String {
    match bytes {
        b if b < 1_000_000 => format!("{} kB", b.div_ceil(1_000)),
        b if b < 1_000_000_000 => format!("{:.1} MB", b as f64 / 1e6),
        b => format!("{:.2} GB", b as f64 / 1e9),
    }
}

/// A progress bar on stderr, shown only on a terminal and only for builds
/// long enough to want one.
struct Bar(Option<ProgressBar>);

impl Bar {
    fn new(quiet: bool) -> Bar {
        let show = !quiet && std::io::stderr().is_terminal();
        Bar(show.then(ProgressBar::hidden))
    }

    fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

impl Progress for Bar {
    fn start(&self, pages: usize) {
        if let Some(bar) = &self.0 {
            bar.set_length(pages as u64);
            if pages >= 2_000 {
                bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
                bar.set_style(
                    ProgressStyle::with_template("{bar:40} {pos}/{len} pages")
                        .unwrap_or_else(|_| ProgressStyle::default_bar()),
                );
                bar.enable_steady_tick(Duration::from_millis(100));
            }
        }
    }

    fn waiting(&self, holder: &str) {
        #[allow(clippy::print_stderr)]
        {
            eprintln!("waiting for {holder} to finish writing this output…");
        }
    }

    fn page_done(&self) {
        if let Some(bar) = &self.0 {
            bar.inc(1);
        }
    }
}
