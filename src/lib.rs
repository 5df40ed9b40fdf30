//! arshif: a static-site generator for Arabic and other right-to-left news
//! archives. Markdown articles with YAML front matter go in; an accessible,
//! RTL static site with article, term and date pages comes out.
//!
//! Modules are declared bottom layer first; a module uses only those above it.
#![warn(clippy::print_stdout, clippy::print_stderr)]

// Foundation: no I/O except `fs`.
pub mod config;
pub mod date;
pub mod diagnostics;
pub mod error;
pub mod fs;
pub mod strings;
pub mod text;
pub mod url;
pub mod yaml;

// Content: source text to articles.
pub mod content;
pub mod markdown;

// Whole-site structures.
pub mod index;

// Rendering: index to bytes.
pub mod render;
pub mod theme;

// Pipeline and effects.
pub mod build;
pub mod external;

// The edge: nothing above depends on it.
pub mod output;
pub mod scaffold;
pub mod serve;

pub use build::{BuildOptions, BuildReport, build, check, load_site};
pub use diagnostics::{Diagnostic, Diagnostics};
pub use error::{Error, Result};
