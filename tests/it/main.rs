//! Integration tests: build fixture sites with the real binary and check
//! what readers, crawlers and editors get.

mod harness;
mod links;

mod aliases;
mod all_or_nothing;
mod arabic;
mod article;
mod browser;
mod build_cache;
mod cli;
mod deploy;
mod determinism;
mod edits;
mod embeds;
mod errors;
mod images;
mod import;
mod import_sites;
mod incremental;
mod index_pages;
mod internal_links;
mod languages;
#[cfg(unix)]
mod new_site;
mod output;
mod publish;
mod reference;
mod sample;
mod search;
mod serve;
mod server;
