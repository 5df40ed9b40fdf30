//! arshif: a static-site generator for Arabic and other right-to-left news
//! archives. Markdown articles with YAML front matter go in; an accessible,
//! RTL static site with article, term and date pages comes out.
//!
//! Modules are declared bottom layer first; a module uses only those above
//! it. Each stands alone in its group so that formatting keeps this order.
#![warn(clippy::print_stdout, clippy::print_stderr)]

// Foundation: no I/O except `fs`.
pub mod diagnostics;

pub mod lang;

pub mod error;

pub mod fs;

pub mod stamp;

pub mod text;

pub mod date;

pub mod url;

pub mod yaml;

pub mod strings;

pub mod config;

// Content: source text to articles.
pub mod embed;
pub mod markdown;
pub mod profile;

pub mod content;

// Whole-site structures.
pub mod index;

// Pages: the plan of every page and what it shows.
pub mod plan;

// Images: what pages show of each image, and its resized copies.
pub mod images;

// Rendering: planned pages to bytes.
pub mod theme;

pub mod render;

pub mod search;

// The clean build and its effects.
pub mod output;

pub mod pipeline;

pub mod external;

pub mod scaffold;

pub mod import;

// Publishing the built site to object storage.
pub mod deploy;

// Incremental builds: a layer over the pipeline.
pub mod incremental;

// The edge: nothing above depends on it.
pub mod serve;

pub use diagnostics::{Diagnostic, Diagnostics};
pub use error::{Error, Result};
pub use pipeline::{BuildOptions, BuildReport, check};
