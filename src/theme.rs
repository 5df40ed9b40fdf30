//! The default theme compiled into the binary: the repository's own
//! `templates/` and `static/` folders, one copy only. A site overrides any
//! file by putting its own at the same path.

use crate::config::Font;

pub const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    ("article.html", include_str!("../templates/article.html")),
    ("home.html", include_str!("../templates/home.html")),
    ("404.html", include_str!("../templates/404.html")),
    ("item.html", include_str!("../templates/item.html")),
    ("pager.html", include_str!("../templates/pager.html")),
    ("list.html", include_str!("../templates/list.html")),
    ("taxonomy.html", include_str!("../templates/taxonomy.html")),
    ("term.html", include_str!("../templates/term.html")),
    ("year.html", include_str!("../templates/year.html")),
    ("month.html", include_str!("../templates/month.html")),
    ("day.html", include_str!("../templates/day.html")),
    ("archive.html", include_str!("../templates/archive.html")),
    ("search.html", include_str!("../templates/search.html")),
];

pub const STATIC: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../static/style.css")),
    ("search.js", include_bytes!("../static/search.js")),
    ("embed.js", include_bytes!("../static/embed.js")),
    ("favicon.svg", include_bytes!("../static/favicon.svg")),
    (
        "fonts/noto-naskh-arabic-arabic-400-normal.woff2",
        include_bytes!("../static/fonts/noto-naskh-arabic-arabic-400-normal.woff2"),
    ),
    (
        "fonts/noto-naskh-arabic-arabic-700-normal.woff2",
        include_bytes!("../static/fonts/noto-naskh-arabic-arabic-700-normal.woff2"),
    ),
    (
        "fonts/noto-sans-arabic-arabic-400-normal.woff2",
        include_bytes!("../static/fonts/noto-sans-arabic-arabic-400-normal.woff2"),
    ),
    (
        "fonts/noto-sans-arabic-arabic-700-normal.woff2",
        include_bytes!("../static/fonts/noto-sans-arabic-arabic-700-normal.woff2"),
    ),
    ("fonts/OFL.txt", include_bytes!("../static/fonts/OFL.txt")),
    (
        "fonts/vazirmatn-arabic-400-normal.woff2",
        include_bytes!("../static/fonts/vazirmatn-arabic-400-normal.woff2"),
    ),
    (
        "fonts/vazirmatn-arabic-700-normal.woff2",
        include_bytes!("../static/fonts/vazirmatn-arabic-700-normal.woff2"),
    ),
    (
        "fonts/OFL-vazirmatn.txt",
        include_bytes!("../static/fonts/OFL-vazirmatn.txt"),
    ),
    (
        "fonts/noto-nastaliq-urdu-arabic-400-normal.woff2",
        include_bytes!("../static/fonts/noto-nastaliq-urdu-arabic-400-normal.woff2"),
    ),
    (
        "fonts/noto-nastaliq-urdu-arabic-700-normal.woff2",
        include_bytes!("../static/fonts/noto-nastaliq-urdu-arabic-700-normal.woff2"),
    ),
    (
        "fonts/OFL-noto-nastaliq-urdu.txt",
        include_bytes!("../static/fonts/OFL-noto-nastaliq-urdu.txt"),
    ),
    (
        "fonts/noto-sans-hebrew-hebrew-400-normal.woff2",
        include_bytes!("../static/fonts/noto-sans-hebrew-hebrew-400-normal.woff2"),
    ),
    (
        "fonts/noto-sans-hebrew-hebrew-700-normal.woff2",
        include_bytes!("../static/fonts/noto-sans-hebrew-hebrew-700-normal.woff2"),
    ),
    (
        "fonts/OFL-noto-sans-hebrew.txt",
        include_bytes!("../static/fonts/OFL-noto-sans-hebrew.txt"),
    ),
];

/// The files of each `font` choice, its licence among them. A site gets
/// only those of its own font (Nastaliq alone is 320 kB).
const FONTS: &[(Font, &[&str])] = &[
    (
        Font::Naskh,
        &[
            "fonts/noto-naskh-arabic-arabic-400-normal.woff2",
            "fonts/noto-naskh-arabic-arabic-700-normal.woff2",
            "fonts/noto-sans-arabic-arabic-400-normal.woff2",
            "fonts/noto-sans-arabic-arabic-700-normal.woff2",
            "fonts/OFL.txt",
        ],
    ),
    (
        Font::Vazirmatn,
        &[
            "fonts/vazirmatn-arabic-400-normal.woff2",
            "fonts/vazirmatn-arabic-700-normal.woff2",
            "fonts/OFL-vazirmatn.txt",
        ],
    ),
    (
        Font::Nastaliq,
        &[
            "fonts/noto-nastaliq-urdu-arabic-400-normal.woff2",
            "fonts/noto-nastaliq-urdu-arabic-700-normal.woff2",
            "fonts/OFL-noto-nastaliq-urdu.txt",
        ],
    ),
    (
        Font::Hebrew,
        &[
            "fonts/noto-sans-hebrew-hebrew-400-normal.woff2",
            "fonts/noto-sans-hebrew-hebrew-700-normal.woff2",
            "fonts/OFL-noto-sans-hebrew.txt",
        ],
    ),
];

/// The theme's static files a site with `font` gets: all but the other
/// fonts.
pub fn site_files(font: Font) -> impl Iterator<Item = &'static (&'static str, &'static [u8])> {
    STATIC.iter().filter(move |(name, _)| {
        FONTS
            .iter()
            .all(|(f, files)| *f == font || !files.contains(name))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_font_file_is_in_the_theme_and_each_site_gets_its_own() {
        for (_, files) in FONTS {
            for f in *files {
                assert!(STATIC.iter().any(|(n, _)| n == f), "{f}");
            }
        }
        let naskh: Vec<&str> = site_files(Font::Naskh).map(|(n, _)| *n).collect();
        assert!(naskh.contains(&"fonts/OFL.txt") && naskh.contains(&"style.css"));
        assert!(!naskh.iter().any(|n| n.contains("vazirmatn")));
        let hebrew: Vec<&str> = site_files(Font::Hebrew).map(|(n, _)| *n).collect();
        assert!(hebrew.contains(&"fonts/OFL-noto-sans-hebrew.txt"));
        assert!(!hebrew.iter().any(|n| n.contains("arabic")));
    }
}
