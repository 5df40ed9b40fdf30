//! `arshif theme copy`

use arshif::Error;

use super::Common;

#[derive(Debug, clap::Args)]
pub struct ThemeArgs {
    #[command(subcommand)]
    action: ThemeAction,
}

#[derive(Debug, clap::Subcommand)]
enum ThemeAction {
    /// Write default templates or theme files into the site to change them
    /// (every template and style.css when none is named)
    Copy {
        /// Files of the default theme: article.html, style.css, …
        names: Vec<String>,
        /// Replace files the site already has
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        common: Common,
    },
}

pub fn run(args: ThemeArgs) -> Result<(), Error> {
    let ThemeAction::Copy {
        names,
        force,
        common,
    } = args.action;
    let written = arshif::scaffold::copy_theme(&common.root, &names, force)?;
    if !common.quiet {
        #[allow(clippy::print_stdout)]
        for path in written {
            println!("wrote {}", common.root.join(path).display());
        }
    }
    Ok(())
}
