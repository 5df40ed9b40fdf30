//! The default theme compiled into the binary: the repository's own
//! `templates/` and `static/` folders, one copy only. A site overrides any
//! file by putting its own at the same path.

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
];
