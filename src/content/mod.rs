//! Content: source files to validated, rendered `Article`s. Only `load`
//! touches the file system.

pub mod article;
pub mod front_matter;
pub mod load;
pub mod source;

pub use article::Article;
pub use front_matter::FrontMatter;
pub use source::SourceFile;
