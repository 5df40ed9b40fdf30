//! `arshif serve`

use std::net::IpAddr;
use std::sync::Arc;

use arshif::serve::{ServeEvent, ServeOptions};
use arshif::{BuildOptions, Error};

use super::{Common, counted, print_diagnostics};

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    #[command(flatten)]
    common: Common,
    /// Port to listen on (the next free one if it is taken; 0 for any)
    #[arg(long, short, default_value_t = 1111)]
    port: u16,
    /// Address to listen on; anything but loopback is reachable from other machines
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    /// Override site.yaml's base_url; the site is served under its path
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Include articles marked `draft: true`
    #[arg(long)]
    drafts: bool,
    /// Open the site in the default browser
    #[arg(long)]
    open: bool,
}

#[allow(clippy::print_stdout, clippy::print_stderr)]
pub fn run(args: ServeArgs) -> Result<(), Error> {
    // jemalloc hands freed memory back to the system from whichever thread
    // allocates next: after the first build of a large archive, the next
    // rebuild spent a fifth of its time doing that. Its own threads can.
    #[cfg(unix)]
    let _ = tikv_jemalloc_ctl::background_thread::write(true);
    let opts = ServeOptions {
        build: BuildOptions {
            base_url: args.base_url,
            drafts: args.drafts,
            ..BuildOptions::new(args.common.root)
        },
        bind: args.bind,
        port: args.port,
    };
    let quiet = args.common.quiet;
    let open = args.open;
    let report = move |event: ServeEvent<'_>| match event {
        ServeEvent::Listening { url } => {
            // The first line on stdout is the address, for scripts and tests.
            println!("serving at {url}");
            println!("watching content/, templates/, static/ and site.yaml; Ctrl-C stops");
            if open {
                open_browser(&url);
            }
        }
        ServeEvent::PortTaken { wanted, using } => {
            eprintln!("port {wanted} is taken; using {using}")
        }
        ServeEvent::NotLoopback(ip) => {
            eprintln!(
                "warning: listening on {ip}: other machines on the network can reach the preview"
            )
        }
        ServeEvent::Rebuilt {
            articles,
            pages,
            rendered,
            took,
        } if !quiet => println!(
            "built {}, {} ({} rendered) in {:.0} ms",
            counted(articles, "article", "articles"),
            counted(pages, "page", "pages"),
            arshif::text::thousands(rendered),
            took.as_secs_f64() * 1000.0
        ),
        ServeEvent::Rebuilt { .. } => {}
        ServeEvent::Failed(Error::Input(d)) => {
            print_diagnostics(d);
            eprintln!("the build failed; still serving the last good version");
        }
        ServeEvent::Failed(other) => eprintln!("error: {other}"),
    };
    arshif::serve::run(opts, Arc::new(report))
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let _ = std::process::Command::new(opener)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}
