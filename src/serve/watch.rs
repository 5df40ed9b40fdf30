//! File-system events turned into the few kinds of change a rebuild cares
//! about; everything else (the output folder, editor swap files, .git) is
//! dropped here.

use std::path::{Component, Path};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    Content,
    Template,
    Static,
    Config,
}

/// What a change to `path` (relative to the site's root) means, if anything.
pub fn classify(path: &Path) -> Option<Change> {
    let name = path.file_name()?.to_string_lossy();
    // Editors write temporary files beside the real one: vim's .swp and
    // 4913, emacs' #file# and .#file, JetBrains' ___jb_tmp___, backups~.
    if name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.contains("___jb_")
        || name == "4913"
    {
        return None;
    }
    let mut parts = path.components().filter_map(|c| match c {
        Component::Normal(p) => Some(p.to_string_lossy()),
        _ => None,
    });
    let first = parts.next()?;
    match first.as_ref() {
        "site.yaml" => Some(Change::Config),
        "content" => Some(Change::Content),
        "templates" => Some(Change::Template),
        "static" => Some(Change::Static),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_what_matters() {
        let cases = [
            ("site.yaml", Some(Change::Config)),
            ("content/2023/a.md", Some(Change::Content)),
            ("content/2023/photo.jpg", Some(Change::Content)),
            ("templates/base.html", Some(Change::Template)),
            ("static/style.css", Some(Change::Static)),
            ("public/index.html", None),
            (".public.staging/index.html", None),
            ("content/2023/.a.md.swp", None),
            ("content/2023/a.md~", None),
            ("content/2023/4913", None),
            ("content/2023/#a.md#", None),
            ("templates/base.html___jb_tmp___", None),
            (".git/index", None),
            ("README.md", None),
        ];
        for (path, want) in cases {
            assert_eq!(classify(Path::new(path)), want, "{path}");
        }
    }
}
