//! The Tera templates: the embedded default set, overridden file by file by
//! the site's own `templates/`.

use std::path::{Path, PathBuf};

use tera::{ErrorKind, Tera};
use walkdir::WalkDir;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Span};
use crate::fs;
use crate::render::filters;
use crate::theme;

pub const TEMPLATES_DIR: &str = "templates";

pub struct Templates {
    pub tera: Tera,
}

impl Templates {
    /// Loads the defaults, then every file of `root/templates` over them.
    pub fn load(root: &Path, config: &Config) -> Result<Templates, Vec<Diagnostic>> {
        let mut sources: Vec<(String, String)> = theme::TEMPLATES
            .iter()
            .map(|(n, s)| (n.to_string(), s.to_string()))
            .collect();
        let dir = root.join(TEMPLATES_DIR);
        let mut problems = Vec::new();
        if dir.is_dir() {
            for entry in WalkDir::new(&dir)
                .sort_by_file_name()
                .into_iter()
                .filter_map(|e| e.ok())
            {
                if !entry.file_type().is_file()
                    || entry.file_name().to_string_lossy().starts_with('.')
                {
                    continue;
                }
                let name = entry
                    .path()
                    .strip_prefix(&dir)
                    .unwrap_or(entry.path())
                    .to_string_lossy()
                    .replace('\\', "/");
                let text = fs::read(entry.path())
                    .map_err(|e| e.to_string())
                    .and_then(|b| {
                        String::from_utf8(b)
                            .map_err(|_| "this template is not UTF-8 text".to_owned())
                    });
                match text {
                    Ok(text) => {
                        sources.retain(|(n, _)| *n != name);
                        sources.push((name, text));
                    }
                    Err(m) => problems.push(Diagnostic::error(template_path(&name), None, m)),
                }
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".htm", ".xml"]);
        filters::register(&mut tera, config);
        tera.add_raw_templates(sources.iter().map(|(n, s)| (n.as_str(), s.as_str())))
            .map_err(|e| vec![template_diagnostic(&e, None)])?;
        Ok(Templates { tera })
    }
}

fn template_path(name: &str) -> PathBuf {
    Path::new(TEMPLATES_DIR).join(name)
}

/// A Tera error as a diagnostic at the template's line and column. `page`
/// names the page being rendered, when there is one.
pub fn template_diagnostic(e: &tera::Error, page: Option<&str>) -> Diagnostic {
    let context = page
        .map(|p| format!(" (rendering {p})"))
        .unwrap_or_default();
    match e.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
            let span = r.span();
            Diagnostic::error(
                template_path(r.filename()),
                Some(Span::new(span.start_line, span.start_col + 1)),
                format!("{}{context}", r.message()),
            )
        }
        _ => Diagnostic::global(format!("template error: {e}{context}")),
    }
}
