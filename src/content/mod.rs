//! Content: source files to validated, rendered `Article`s. Only `load`
//! touches the file system, and `spill` and `Article::body_html` for bodies
//! not kept in memory.

pub mod article;
pub mod front_matter;
pub mod load;
pub mod source;
pub mod spill;

pub use article::{Article, Body};
pub use front_matter::FrontMatter;
pub use source::SourceFile;
