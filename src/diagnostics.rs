//! Problems found in the user's input: where they are, what is wrong and how
//! to fix it. Collected across all files and reported together.

use std::fmt;
use std::path::{Path, PathBuf};

/// A 1-based line and column in a source file (columns count characters).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct Span {
    pub line: usize,
    pub col: usize,
}

impl Span {
    pub fn new(line: usize, col: usize) -> Span {
        Span { line, col }
    }
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Relative to the site root, for messages.
    pub file: Option<PathBuf>,
    pub span: Option<Span>,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(file: impl Into<PathBuf>, span: Option<Span>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: Some(file.into()),
            span,
            message: message.into(),
            help: None,
        }
    }

    /// A problem that belongs to no one file.
    pub fn global(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: None,
            span: None,
            message: message.into(),
            help: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    fn sort_key(&self) -> (Option<&Path>, Option<Span>, &str) {
        (self.file.as_deref(), self.span, &self.message)
    }
}

/// Renders one diagnostic as a block:
///
/// ```text
/// error: unknown key `tag`
///   --> content/2023/a.md:4:1
///   = help: did you mean `tags`?
/// ```
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(f, "{label}: {}", self.message)?;
        if let Some(file) = &self.file {
            write!(f, "  --> {}", file.display())?;
            if let Some(Span { line, col }) = self.span {
                write!(f, ":{line}:{col}")?;
            }
            writeln!(f)?;
        }
        if let Some(help) = &self.help {
            writeln!(f, "  = help: {help}")?;
        }
        Ok(())
    }
}

/// Every problem of a run, in a stable order (file, then position), so the
/// report does not depend on thread scheduling.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    pub fn new(mut list: Vec<Diagnostic>) -> Self {
        list.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        list.dedup();
        Diagnostics(list)
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.0.iter()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

/// The closest candidate to a misspelt `word`, if it is close enough to be
/// the likely intent (edit distance under 3, as just and cargo do).
pub fn suggest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (levenshtein(word, c), *c))
        .filter(|(d, _)| *d < 3)
        .min()
        .map(|(_, c)| c)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(cur).min(row[j])
            };
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_keys_only() {
        let keys = ["title", "tags", "date", "author", "source_url"];
        assert_eq!(suggest("tag", &keys), Some("tags"));
        assert_eq!(suggest("titel", &keys), Some("title"));
        assert_eq!(suggest("authr", &keys), Some("author"));
        assert_eq!(suggest("sourceurl", &keys), Some("source_url"));
        assert_eq!(suggest("category", &keys), None);
    }

    #[test]
    fn orders_by_file_then_position() {
        let d = Diagnostics::new(vec![
            Diagnostic::error("b.md", Some(Span::new(1, 1)), "x"),
            Diagnostic::error("a.md", Some(Span::new(9, 1)), "y"),
            Diagnostic::error("a.md", Some(Span::new(2, 5)), "z"),
        ]);
        let order: Vec<_> = d.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(order, ["z", "y", "x"]);
    }

    #[test]
    fn renders_a_block_with_location_and_help() {
        let d = Diagnostic::error("content/a.md", Some(Span::new(4, 1)), "unknown key `tag`")
            .with_help("did you mean `tags`?");
        assert_eq!(
            d.to_string(),
            "error: unknown key `tag`\n  --> content/a.md:4:1\n  = help: did you mean `tags`?\n"
        );
    }
}
