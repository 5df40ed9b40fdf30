//! `arshif new`

use std::path::PathBuf;

use arshif::Error;

#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// The folder to create the archive in
    dir: PathBuf,
    /// The archive's language: its settings (months, digits, calendar,
    /// font) and sample article
    #[arg(long, default_value = "ar", value_parser = ["ar", "fa", "ur", "he", "en"])]
    language: String,
    /// Write into a folder that is not empty, replacing files of the same names
    #[arg(long)]
    force: bool,
    /// Print nothing but errors
    #[arg(long, short)]
    quiet: bool,
}

pub fn run(args: NewArgs) -> Result<(), Error> {
    let lang = arshif::lang::Language::of(&args.language).unwrap_or(arshif::lang::Language::Arabic);
    let written = arshif::scaffold::create(&args.dir, lang, args.force)?;
    if !args.quiet {
        #[allow(clippy::print_stdout)]
        {
            println!(
                "created a new archive in {} ({} files)",
                args.dir.display(),
                written.len()
            );
            println!("next: cd {} && arshif build", args.dir.display());
        }
    }
    Ok(())
}
