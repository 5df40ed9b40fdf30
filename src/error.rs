//! Failures of the environment (I/O, templates), kept apart from problems in
//! the user's content, which are `Diagnostics`.

use std::path::PathBuf;

use crate::diagnostics::Diagnostics;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("template `{name}`: {message}")]
    Template { name: String, message: String },
    /// An upload to object storage that cannot go on: the message says
    /// what the store answered and what to do.
    #[error("{0}")]
    Deploy(String),
    #[error("{} problem(s) in the site's input", .0.len())]
    Input(Diagnostics),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<Diagnostics> for Error {
    fn from(d: Diagnostics) -> Self {
        Error::Input(d)
    }
}
