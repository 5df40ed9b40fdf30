//! `arshif import`

use std::path::PathBuf;

use arshif::Error;
use arshif::import::{Generator, ImportOptions, REPORT_FILE};

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// What the sources are
    format: Format,
    /// What to bring in: raw text files; the folder of a Jekyll, Hugo or
    /// Zola site, or of Markdown posts; a WordPress export file
    #[arg(required = true)]
    sources: Vec<PathBuf>,
    /// The site to bring them into: the folder with site.yaml
    #[arg(long, visible_alias = "into", default_value = ".", value_name = "DIR")]
    root: PathBuf,
    /// The article's title (one raw file only), instead of the one found in it
    #[arg(long)]
    title: Option<String>,
    /// The publication date, for articles whose text has none
    #[arg(long, value_name = "DATE")]
    date: Option<String>,
    /// Tags for every article imported, separated by commas
    #[arg(long, value_delimiter = ',')]
    tags: Vec<String>,
    /// WordPress: the site's uploads folder (wp-content/uploads), to copy images from
    #[arg(long, value_name = "DIR")]
    media: Option<PathBuf>,
    /// Say what would be written, and write nothing
    #[arg(long)]
    dry_run: bool,
    /// Replace article files that already exist
    #[arg(long)]
    force: bool,
    /// Print nothing but errors
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    /// Raw text as scraped from a news site: one article per file
    Raw,
    /// A Jekyll site: the folder with _config.yml
    Jekyll,
    /// A Hugo site: the folder with its config and content/
    Hugo,
    /// A Zola site: the folder with config.toml
    Zola,
    /// Any folder of Markdown posts with front matter (Gatsby, Eleventy, …)
    Markdown,
    /// A WordPress export file (Tools → Export)
    Wordpress,
}

pub fn run(args: ImportArgs) -> Result<(), Error> {
    let opts = ImportOptions {
        root: args.root.clone(),
        sources: args.sources,
        title: args.title,
        date: args.date,
        tags: args
            .tags
            .iter()
            .flat_map(|t| t.split('،'))
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
            .collect(),
        dry_run: args.dry_run,
        force: args.force,
        media: args.media,
    };
    let report = match args.format {
        Format::Raw => arshif::import::raw(&opts)?,
        Format::Jekyll => arshif::import::site(Generator::Jekyll, &opts)?,
        Format::Hugo => arshif::import::site(Generator::Hugo, &opts)?,
        Format::Zola => arshif::import::site(Generator::Zola, &opts)?,
        Format::Markdown => arshif::import::site(Generator::Markdown, &opts)?,
        Format::Wordpress => arshif::import::wordpress(&opts)?,
    };
    if !args.quiet {
        #[allow(clippy::print_stdout)]
        {
            print!("{}", report.text(args.dry_run));
            if !args.dry_run {
                println!("\n(kept in {})", args.root.join(REPORT_FILE).display());
            }
        }
    }
    Ok(())
}
