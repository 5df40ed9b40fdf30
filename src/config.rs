//! site.yaml: read into a validated, typed `Config`. Unknown keys, wrong
//! types and bad values are all reported, each at its line.

use std::num::NonZeroUsize;
use std::path::Path;

use chrono::FixedOffset;
use serde::Deserialize;

use crate::date::{self, Calendar, DateStyle, MonthNames};
use crate::diagnostics::{Diagnostic, Span};
use crate::embed::{Embeds, Provider};
use crate::lang::Language;
use crate::profile::{self, Profile};
use crate::strings::Strings;
use crate::text::{Digits, Letters};
use crate::url::BaseUrl;
use crate::yaml::{self, Entry, Problem};

pub mod deploy;

pub const FILE_NAME: &str = "site.yaml";

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Direction {
    Rtl,
    Ltr,
}

impl Direction {
    /// The direction a language is written in, from its primary subtag.
    pub fn of_language(lang: &str) -> Direction {
        let primary = lang
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        const RTL: [&str; 12] = [
            "ar", "arc", "ckb", "dv", "fa", "he", "ks", "ps", "sd", "ug", "ur", "yi",
        ];
        if RTL.contains(&primary.as_str()) {
            Direction::Rtl
        } else {
            Direction::Ltr
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Rtl => "rtl",
            Direction::Ltr => "ltr",
        }
    }
}

/// What happens to raw HTML written inside Markdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RawHtml {
    /// Keep formatting, drop scripts, event handlers and `javascript:` URLs.
    #[default]
    Sanitize,
    /// Show the HTML as text.
    Escape,
    /// Trust it as written.
    Allow,
}

/// The theme's fonts for Arabic-script and Hebrew text, self-hosted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Font {
    /// Noto Naskh Arabic for reading, Noto Sans Arabic for headings.
    Naskh,
    /// Vazirmatn, drawn for Persian (its ی, ک and digits).
    Vazirmatn,
    /// Noto Nastaliq Urdu, the hand Urdu is read in, with taller lines.
    Nastaliq,
    /// Noto Sans Hebrew.
    Hebrew,
}

impl Font {
    pub fn for_language(lang: &str) -> Font {
        match Language::of(lang) {
            Some(Language::Persian) => Font::Vazirmatn,
            Some(Language::Urdu) => Font::Nastaliq,
            Some(Language::Hebrew) => Font::Hebrew,
            _ => Font::Naskh,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Font::Naskh => "naskh",
            Font::Vazirmatn => "vazirmatn",
            Font::Nastaliq => "nastaliq",
            Font::Hebrew => "hebrew",
        }
    }
}

/// The ways into the archive besides dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TaxonomyKind {
    Tags,
    Authors,
    Sources,
}

impl TaxonomyKind {
    pub const ALL: [TaxonomyKind; 3] = [
        TaxonomyKind::Tags,
        TaxonomyKind::Authors,
        TaxonomyKind::Sources,
    ];

    /// The name in site.yaml, and the first segment of its URLs.
    pub fn name(self) -> &'static str {
        match self {
            TaxonomyKind::Tags => "tags",
            TaxonomyKind::Authors => "authors",
            TaxonomyKind::Sources => "sources",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    pub description: String,
    pub base_url: BaseUrl,
    pub language: String,
    pub direction: Direction,
    pub timezone: FixedOffset,
    pub per_page: NonZeroUsize,
    pub taxonomies: Vec<TaxonomyKind>,
    pub date_style: DateStyle,
    /// A date in another calendar beside the article's date: `hijri: true`
    /// or `second_calendar:`.
    pub second_calendar: Option<Calendar>,
    pub font: Font,
    /// How yeh and kaf count in term keys (`merge_yeh_kaf`).
    pub letters: Letters,
    /// Problems that do not stop the build: a language without theme words.
    pub warnings: Vec<Diagnostic>,
    /// Words a minute, for reading times (Arabic readers average about 140).
    pub reading_speed: u32,
    /// The theme's words, from the language's default set and `strings`.
    pub strings: Strings,
    /// Entries in the site's feed (`feed: {entries}`).
    pub feed_entries: usize,
    /// Entries in each term's feed (`feed: {term_entries}`).
    pub term_feed_entries: usize,
    /// How images are resized (`images:`).
    pub images: ImageSettings,
    pub search: bool,
    /// Articles in each part of the search index (`search_part`).
    pub search_part: NonZeroUsize,
    pub raw_html: RawHtml,
    /// Providers whose addresses become embeds, with the play link's words.
    pub embeds: Embeds,
    /// Authors and sources with their other spellings, descriptions and links.
    pub authors: Vec<Profile>,
    pub sources: Vec<Profile>,
    pub cname: Option<String>,
    /// Free-form values for templates, as `site.extra`.
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// Object-storage targets for `arshif deploy`; none without `deploy:`.
    pub deploy: Option<deploy::Deploy>,
}

const KEYS: [&str; 29] = [
    "title",
    "description",
    "base_url",
    "language",
    "direction",
    "timezone",
    "per_page",
    "taxonomies",
    "months",
    "digits",
    "hijri",
    "calendar",
    "second_calendar",
    "font",
    "merge_yeh_kaf",
    "zone_label",
    "strings",
    "feed",
    "images",
    "search",
    "search_part",
    "raw_html",
    "embeds",
    "authors",
    "sources",
    "cname",
    "extra",
    "reading_speed",
    "deploy",
];

impl Config {
    /// The profiles site.yaml gives the terms of `kind`.
    pub fn profiles(&self, kind: TaxonomyKind) -> &[Profile] {
        match kind {
            TaxonomyKind::Authors => &self.authors,
            TaxonomyKind::Sources => &self.sources,
            TaxonomyKind::Tags => &[],
        }
    }

    /// Reads site.yaml's text; `file` names it in diagnostics.
    pub fn parse(file: &Path, text: &str) -> Result<Config, Vec<Diagnostic>> {
        let text = text
            .strip_prefix('\u{feff}')
            .unwrap_or(text)
            .replace("\r\n", "\n");
        let to_diag = |p: Problem| {
            let d = Diagnostic::error(file, Some(p.span), p.message);
            match p.help {
                Some(h) => d.with_help(h),
                None => d,
            }
        };
        let entries = yaml::parse_map(&text, 1).map_err(|p| vec![to_diag(p)])?;
        let keys = yaml::Keys {
            names: &KEYS,
            synonyms: &[],
            otherwise: None,
        };
        let mut problems = yaml::unknown_keys(&entries, &keys, FILE_NAME);
        let mut config = read_entries(&entries, &mut problems).map(|mut c| {
            c.warnings = language_warnings(&c, &entries, file);
            c
        });
        if let Some(e) = entries.iter().find(|e| e.key == "deploy") {
            let d = deploy::parse(&e.value, e.key_span.line, &text, &mut problems);
            if let Some(c) = &mut config {
                c.deploy = Some(d);
            }
        }
        match config {
            Some(c) if problems.is_empty() => Ok(c),
            _ => Err(problems.into_iter().map(to_diag).collect()),
        }
    }

    /// Defaults, used when site.yaml is broken so that content can still
    /// be checked and every problem reported in one run.
    pub fn fallback() -> Config {
        Config {
            title: String::new(),
            description: String::new(),
            base_url: BaseUrl::parse("http://localhost/").expect("valid URL"),
            language: "ar".into(),
            direction: Direction::Rtl,
            timezone: FixedOffset::east_opt(0).expect("zero offset"),
            per_page: NonZeroUsize::new(20).expect("20"),
            taxonomies: TaxonomyKind::ALL.to_vec(),
            date_style: DateStyle::default(),
            second_calendar: None,
            font: Font::Naskh,
            letters: Letters::AsWritten,
            warnings: Vec::new(),
            reading_speed: 140,
            strings: Strings::for_language("ar"),
            feed_entries: 50,
            term_feed_entries: 20,
            images: ImageSettings::default(),
            search: true,
            search_part: NonZeroUsize::new(1000).expect("1000"),
            raw_html: RawHtml::default(),
            embeds: Embeds {
                allowed: Provider::ALL.to_vec(),
                play: Strings::for_language("ar").get("play_embed").to_owned(),
            },
            authors: Vec::new(),
            sources: Vec::new(),
            cname: None,
            extra: serde_json::Map::new(),
            deploy: None,
        }
    }
}

fn read_entries(entries: &[Entry], problems: &mut Vec<Problem>) -> Option<Config> {
    let get = |key: &str| entries.iter().find(|e| e.key == key);
    let mut field = |key: &str, hint: &str| -> Option<String> {
        let e = get(key)?;
        match yaml::scalar_string(&e.value) {
            Some(s) => Some(s),
            None => {
                problems.push(
                    Problem::new(e.value_span, format!("`{key}` must be text"))
                        .help(hint.to_owned()),
                );
                None
            }
        }
    };

    let title = field("title", "e.g. `title: أرشيف الأخبار`");
    let description = field("description", "e.g. `description: ...`").unwrap_or_default();
    let base_url_text = field(
        "base_url",
        "e.g. `base_url: https://user.github.io/archive/`",
    );
    let language = field("language", "e.g. `language: ar`").unwrap_or_else(|| "ar".into());
    let direction_text = field("direction", "`rtl` or `ltr`");
    let timezone_text = field("timezone", "a UTC offset such as `+03:00`");
    let cname = field("cname", "a domain such as `archive.example.org`");
    let zone_label =
        field("zone_label", "e.g. `zone_label: بتوقيت مكة`").filter(|s| !s.trim().is_empty());
    let field_span = |key: &str| get(key).map_or(Span::new(1, 1), |e| e.value_span);
    if title.as_deref().is_some_and(|t| t.trim().is_empty()) {
        problems.push(
            Problem::new(field_span("title"), "`title` is empty")
                .help("e.g. `title: أرشيف الأخبار`"),
        );
    }
    let tag_like = |s: &str| {
        !s.is_empty()
            && s.split('-')
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()))
    };
    if !tag_like(&language) {
        problems.push(
            Problem::new(
                field_span("language"),
                format!("`{language}` is not a language tag"),
            )
            .help("e.g. `language: ar`, `ar-EG` or `en`"),
        );
    }
    let domain_like = |s: &str| {
        let s = s.trim();
        !s.is_empty()
            && s.contains('.')
            && s.chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-'))
    };
    if let Some(c) = cname.as_deref().filter(|c| !domain_like(c)) {
        problems.push(
            Problem::new(field_span("cname"), format!("`{c}` is not a domain name"))
                .help("write only the domain, e.g. `cname: archive.example.org`"),
        );
    }

    let missing = |key: &str, example: &str, problems: &mut Vec<Problem>| {
        problems.push(
            Problem::new(Span::new(1, 1), format!("site.yaml has no `{key}`"))
                .help(format!("add a line `{key}: {example}`")),
        );
    };
    if title.is_none() && get("title").is_none() {
        missing("title", "أرشيف الأخبار", problems);
    }
    let base_url = match (&base_url_text, get("base_url")) {
        (Some(s), Some(e)) => BaseUrl::parse(s)
            .map_err(|m| {
                problems.push(
                    Problem::new(e.value_span, m)
                        .help("e.g. `base_url: https://user.github.io/archive/`"),
                )
            })
            .ok(),
        (None, None) => {
            missing("base_url", "https://user.github.io/archive/", problems);
            None
        }
        _ => None,
    };
    let direction = match direction_text.as_deref() {
        None => Direction::of_language(&language),
        Some("rtl") => Direction::Rtl,
        Some("ltr") => Direction::Ltr,
        Some(other) => {
            let span = get("direction").map_or(Span::new(1, 1), |e| e.value_span);
            problems.push(
                Problem::new(span, format!("unknown direction `{other}`"))
                    .help("write `rtl` or `ltr`"),
            );
            Direction::Rtl
        }
    };
    let timezone = match (timezone_text.as_deref(), get("timezone")) {
        (Some(s), Some(e)) => date::parse_offset(s).unwrap_or_else(|| {
            problems.push(
                Problem::new(e.value_span, format!("`{s}` is not a UTC offset")).help(
                    "write the offset of the newsroom's local time, e.g. `timezone: \"+03:00\"`",
                ),
            );
            FixedOffset::east_opt(0).expect("zero offset")
        }),
        _ => FixedOffset::east_opt(0).expect("zero offset"),
    };

    let per_page = count(get("per_page"), 20, problems);
    let taxonomies = typed::<Vec<TaxonomyKind>>(
        get("taxonomies"),
        "a list chosen from `tags`, `authors`, `sources`",
        problems,
    )
    .unwrap_or_else(|| TaxonomyKind::ALL.to_vec());
    if let Some(e) = get("taxonomies") {
        let mut seen = std::collections::BTreeSet::new();
        for t in &taxonomies {
            if !seen.insert(*t) {
                problems.push(Problem::new(
                    e.value_span,
                    format!("`{}` is listed twice in `taxonomies`", t.name()),
                ));
            }
        }
    }
    let months = typed::<MonthNames>(
        get("months"),
        "`egyptian` (سبتمبر), `levantine` (أيلول), `both` (سبتمبر/أيلول), `moroccan` (شتنبر), `algerian` (جويلية), `persian` (سپتامبر), `urdu` (ستمبر), `hebrew` (ספטמבר) or `english`",
        problems,
    )
    .unwrap_or_else(|| MonthNames::for_language(&language));
    let hijri = typed::<bool>(get("hijri"), "`true` or `false`", problems).unwrap_or(false);
    let calendars = "`gregorian`, `persian` (Solar Hijri), `hebrew` or `hijri` (Umm al-Qura)";
    let calendar =
        typed::<Calendar>(get("calendar"), calendars, problems).unwrap_or(Calendar::Gregorian);
    let mut second_calendar = typed::<Calendar>(get("second_calendar"), calendars, problems);
    if hijri {
        match second_calendar {
            Some(c) if c != Calendar::Hijri => problems.push(
                Problem::new(
                    field_span("hijri"),
                    format!(
                        "`hijri: true` asks for the Hijri date, `second_calendar` for the {} one",
                        c.name()
                    ),
                )
                .help("keep one of them; `hijri: true` is `second_calendar: hijri`"),
            ),
            _ => second_calendar = Some(Calendar::Hijri),
        }
    }
    if second_calendar.is_some_and(|c| c == calendar) {
        problems.push(
            Problem::new(
                field_span("second_calendar"),
                "`second_calendar` is the site's `calendar`",
            )
            .help("name another calendar, or remove the line"),
        );
    }
    let font = typed::<Font>(
        get("font"),
        "`naskh`, `vazirmatn` (Persian), `nastaliq` (Urdu) or `hebrew`",
        problems,
    )
    .unwrap_or_else(|| Font::for_language(&language));
    let merge_yeh_kaf =
        typed::<bool>(get("merge_yeh_kaf"), "`true` or `false`", problems).unwrap_or(false);
    let letters = match Language::of(&language) {
        _ if !merge_yeh_kaf => Letters::AsWritten,
        Some(Language::Persian | Language::Urdu) => Letters::Persian,
        _ => Letters::Arabic,
    };
    let reading_speed = typed::<u32>(
        get("reading_speed"),
        "words a minute, e.g. `reading_speed: 140`",
        problems,
    )
    .filter(|n| {
        if *n == 0 {
            let span = get("reading_speed").map_or(Span::new(1, 1), |e| e.value_span);
            problems.push(Problem::new(
                span,
                "`reading_speed` must be at least 1 word a minute",
            ));
        }
        *n > 0
    })
    .unwrap_or(if Direction::of_language(&language) == Direction::Rtl {
        140
    } else {
        230
    });
    let mut strings = Strings::for_language(&language);
    if let Some(e) = get("strings") {
        match &e.value {
            serde_yaml::Value::Mapping(map) => {
                let keys = Strings::keys();
                let known: Vec<&str> = keys.iter().map(String::as_str).collect();
                for (k, v) in map {
                    let key = yaml::scalar_string(k).unwrap_or_default();
                    let Some(value) = yaml::scalar_string(v) else {
                        problems.push(Problem::new(
                            e.value_span,
                            format!("`strings.{key}` must be text"),
                        ));
                        continue;
                    };
                    if !strings.set(&key, value) {
                        let p =
                            Problem::new(e.value_span, format!("unknown key `{key}` in `strings`"));
                        problems.push(match crate::diagnostics::suggest(&key, &known) {
                            Some(s) => p.help(format!("did you mean `{s}`?")),
                            None => {
                                p.help("the README lists the interface strings a site can replace")
                            }
                        });
                    }
                }
            }
            _ => problems.push(
                Problem::new(e.value_span, "`strings` must be a map of keys")
                    .help("e.g. `strings: {latest: آخر الأخبار}`"),
            ),
        }
    }
    let digits = typed::<Digits>(
        get("digits"),
        "`latin` (0-9), `arabic` (٠-٩) or `persian` (۰-۹, also called `urdu`)",
        problems,
    )
    .unwrap_or_default();
    let feed = typed::<FeedConfig>(
        get("feed"),
        "e.g. `feed: {entries: 50, term_entries: 20}`",
        problems,
    )
    .unwrap_or_default();
    let images = image_settings(get("images"), problems);
    let search = typed::<bool>(get("search"), "`true` or `false`", problems).unwrap_or(true);
    let search_part = count(get("search_part"), 1000, problems);
    let raw_html = typed::<RawHtml>(get("raw_html"), "`sanitize`, `escape` or `allow`", problems)
        .unwrap_or_default();
    let allowed = typed::<Vec<Provider>>(
        get("embeds"),
        "a list of `youtube`, `vimeo`, `x`, `facebook`, `soundcloud` (or `[]` for none)",
        problems,
    )
    .unwrap_or_else(|| Provider::ALL.to_vec());

    let extra = match get("extra").map(|e| (e, yaml::to_json(&e.value))) {
        None | Some((_, serde_json::Value::Null)) => serde_json::Map::new(),
        Some((_, serde_json::Value::Object(map))) => map,
        Some((e, _)) => {
            problems.push(
                Problem::new(e.value_span, "`extra` must be a map of keys")
                    .help("e.g. `extra: {twitter: \"@archive\"}`"),
            );
            serde_json::Map::new()
        }
    };

    let mut profiles = |key: &str| {
        match get(key) {
        None => Vec::new(),
        Some(e) => profile::read(&e.value).unwrap_or_else(|found| {
            problems.extend(found.into_iter().map(|m| {
                Problem::new(e.value_span, format!("`{key}`: {m}"))
                    .help(format!("e.g. `{key}: {{رويترز: [Reuters], أسوشيتد برس: {{spellings: [AP], description: …}}}}`"))
            }));
            Vec::new()
        }),
    }
    };
    let authors = profiles("authors");
    let sources = profiles("sources");
    let embeds = Embeds {
        allowed,
        play: strings.get("play_embed").to_owned(),
    };
    Some(Config {
        title: title?,
        description,
        base_url: base_url?,
        language,
        direction,
        timezone,
        per_page,
        taxonomies,
        date_style: DateStyle {
            months,
            digits,
            zone_label,
            timezone,
            calendar,
        },
        second_calendar,
        font,
        letters,
        warnings: Vec::new(),
        strings,
        reading_speed,
        feed_entries: feed.entries,
        term_feed_entries: feed.term_entries,
        images,
        search,
        search_part,
        raw_html,
        embeds,
        authors,
        sources,
        cname: cname.map(|c| c.trim().to_owned()).filter(|c| !c.is_empty()),
        extra,
        deploy: None,
    })
}

/// A language the theme has no words for builds with English ones: a
/// warning at `language:` names the keys to translate under `strings`.
fn language_warnings(config: &Config, entries: &[Entry], file: &Path) -> Vec<Diagnostic> {
    let missing = config.strings.untranslated();
    if missing.is_empty() {
        return Vec::new();
    }
    let span = entries
        .iter()
        .find(|e| e.key == "language")
        .map_or(Span::new(1, 1), |e| e.value_span);
    let shown: Vec<&str> = missing.iter().take(6).map(String::as_str).collect();
    let more = match missing.len() - shown.len() {
        0 => String::new(),
        n => format!(" and {n} more (the README lists them all)"),
    };
    vec![
        Diagnostic::error(
            file,
            Some(span),
            format!(
                "the theme has no words in `{}`; its interface is in English",
                config.language
            ),
        )
        .warning()
        .with_help(format!(
            "translate them under `strings:` in site.yaml, e.g. `strings: {{{}: …}}`; still in English: {}{more}",
            missing[0],
            shown.join(", ")
        )),
    ]
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FeedConfig {
    #[serde(default = "FeedConfig::default_entries")]
    entries: usize,
    #[serde(default = "FeedConfig::default_term_entries")]
    term_entries: usize,
}

impl FeedConfig {
    fn default_entries() -> usize {
        50
    }

    /// A site has a feed for every term, thousands of them: a reader who
    /// follows one wants what is new, and 50 entries in each made term
    /// feeds a tenth of the site.
    fn default_term_entries() -> usize {
        20
    }
}

impl Default for FeedConfig {
    fn default() -> Self {
        FeedConfig {
            entries: FeedConfig::default_entries(),
            term_entries: FeedConfig::default_term_entries(),
        }
    }
}

/// How images are resized: the widths of the copies made of each JPEG,
/// PNG and WebP (none wider than the image), and the quality of the lossy
/// encoders (WebP and JPEG), 1 to 100.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ImageSettings {
    /// Ascending, without repeats.
    pub widths: Vec<u32>,
    pub quality: u8,
    /// Whether original JPEG, PNG and WebP files are published without
    /// their metadata (`metadata: strip`, the default) or as they are
    /// (`metadata: keep`).
    pub strip: bool,
}

impl ImageSettings {
    /// The narrowest and widest copy site.yaml may ask for.
    pub const WIDTHS: std::ops::RangeInclusive<u32> = 16..=8192;
}

impl Default for ImageSettings {
    fn default() -> Self {
        ImageSettings {
            widths: vec![480, 960, 1600],
            quality: 80,
            strip: true,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawImages {
    widths: Option<Vec<u32>>,
    quality: Option<u8>,
    metadata: Option<String>,
}

/// `images: {widths: [480, 960, 1600], quality: 80}`, checked.
fn image_settings(entry: Option<&Entry>, problems: &mut Vec<Problem>) -> ImageSettings {
    let hint = "e.g. `images: {widths: [480, 960, 1600], quality: 80}`";
    let mut settings = ImageSettings::default();
    let Some(raw) = typed::<RawImages>(entry, hint, problems) else {
        return settings;
    };
    let span = entry.map_or(Span::new(1, 1), |e| e.value_span);
    if let Some(mut widths) = raw.widths {
        let range = ImageSettings::WIDTHS;
        if widths.is_empty() || widths.iter().any(|w| !range.contains(w)) {
            problems.push(
                Problem::new(
                    span,
                    format!(
                        "`images.widths` must list widths in pixels from {} to {}",
                        range.start(),
                        range.end()
                    ),
                )
                .help(hint),
            );
        } else {
            widths.sort_unstable();
            widths.dedup();
            settings.widths = widths;
        }
    }
    if let Some(quality) = raw.quality {
        if (1..=100).contains(&quality) {
            settings.quality = quality;
        } else {
            problems.push(
                Problem::new(span, "`images.quality` must be from 1 to 100")
                    .help("80 suits photographs; higher is larger and barely sharper"),
            );
        }
    }
    match raw.metadata.as_deref() {
        None | Some("strip") => {}
        Some("keep") => settings.strip = false,
        Some(other) => problems.push(
            Problem::new(
                span,
                format!("`images.metadata` must be `strip` or `keep`, not `{other}`"),
            )
            .help("`strip` publishes original images without EXIF, GPS, XMP and IPTC data; `keep` publishes them as they are"),
        ),
    }
    settings
}

/// A count of at least one (`per_page: 20`), `default` when not given.
fn count(entry: Option<&Entry>, default: usize, problems: &mut Vec<Problem>) -> NonZeroUsize {
    let hint = format!("a whole number such as `{default}`");
    let default = NonZeroUsize::new(default).unwrap_or(NonZeroUsize::MIN);
    match (entry, typed::<usize>(entry, &hint, problems)) {
        (Some(e), Some(n)) => NonZeroUsize::new(n).unwrap_or_else(|| {
            problems.push(Problem::new(
                e.value_span,
                format!("`{}` must be at least 1", e.key),
            ));
            NonZeroUsize::MIN
        }),
        _ => default,
    }
}

fn typed<T: serde::de::DeserializeOwned>(
    entry: Option<&Entry>,
    hint: &str,
    problems: &mut Vec<Problem>,
) -> Option<T> {
    let e = entry?;
    match serde_yaml::from_value(e.value.clone()) {
        Ok(v) => Some(v),
        Err(err) => {
            problems.push(
                Problem::new(
                    e.value_span,
                    format!("`{}`: {}", e.key, err.to_string().trim_end_matches('.')),
                )
                .help(format!("expected {hint}")),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
        Config::parse(Path::new("site.yaml"), text)
    }

    #[test]
    fn defaults() {
        let c = parse("title: أرشيف\nbase_url: https://example.org/archive\n").unwrap();
        assert_eq!(c.language, "ar");
        assert_eq!(c.direction, Direction::Rtl);
        assert_eq!(c.per_page.get(), 20);
        assert_eq!(c.taxonomies, TaxonomyKind::ALL);
        assert_eq!(c.date_style, DateStyle::default());
        assert_eq!(c.feed_entries, 50);
        assert_eq!(c.term_feed_entries, 20);
        assert!(c.search);
        assert_eq!(c.raw_html, RawHtml::Sanitize);
        assert_eq!(c.base_url.path(), "/archive/");
    }

    #[test]
    fn english_sites_are_ltr() {
        let c = parse("title: A\nbase_url: https://e.org/\nlanguage: en\n").unwrap();
        assert_eq!(c.direction, Direction::Ltr);
    }

    #[test]
    fn every_problem_is_reported_at_its_line() {
        let errs = parse("title: A\nbase_url: example.org\ntimezone: Mecca\nper_page: many\nmonths: roman\nfeeds: {}\n")
            .unwrap_err();
        let lines: Vec<usize> = errs.iter().map(|d| d.span.unwrap().line).collect();
        assert_eq!(lines, [6, 2, 3, 4, 5], "{errs:#?}");
        assert_eq!(errs[0].help.as_deref(), Some("did you mean `feed`?"));
    }

    #[test]
    fn bad_values_are_errors() {
        let errs = parse(
            "title: ''\nbase_url: https://e.org/\nlanguage: 5 x\nreading_speed: 0\ncname: https://x.org/ path\ntaxonomies: [tags, tags]\nstrings: {latest: [1, 2]}\nsearch_part: 0\n",
        )
        .unwrap_err();
        let msgs: Vec<&str> = errs.iter().map(|d| d.message.as_str()).collect();
        for want in [
            "`title` is empty",
            "`5 x` is not a language tag",
            "`reading_speed` must be at least 1 word a minute",
            "`https://x.org/ path` is not a domain name",
            "`tags` is listed twice in `taxonomies`",
            "`strings.latest` must be text",
            "`search_part` must be at least 1",
        ] {
            assert!(msgs.contains(&want), "{want} not in {msgs:#?}");
        }
    }

    #[test]
    fn language_settings() {
        let c = parse("title: A\nbase_url: https://e.org/\nlanguage: fa\n").unwrap();
        assert_eq!(c.date_style.months, MonthNames::Persian);
        assert_eq!(c.font, Font::Vazirmatn);
        assert_eq!(c.letters, Letters::AsWritten);
        let c = parse(
            "title: A\nbase_url: https://e.org/\nlanguage: ur\nmerge_yeh_kaf: true\nhijri: true\n",
        )
        .unwrap();
        assert_eq!(c.letters, Letters::Persian);
        assert_eq!(c.second_calendar, Some(Calendar::Hijri));
        let errs = parse(
            "title: A\nbase_url: https://e.org/\nhijri: true\nsecond_calendar: hebrew\ncalendar: persian\nfont: comic\n",
        )
        .unwrap_err();
        let found: Vec<(usize, &str)> = errs
            .iter()
            .map(|d| (d.span.unwrap().line, d.message.as_str()))
            .collect();
        assert!(
            found.contains(&(
                3,
                "`hijri: true` asks for the Hijri date, `second_calendar` for the hebrew one"
            )),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .any(|(l, m)| *l == 6 && m.starts_with("`font`")),
            "{found:?}"
        );
        let errs = parse(
            "title: A\nbase_url: https://e.org/\ncalendar: persian\nsecond_calendar: persian\n",
        )
        .unwrap_err();
        assert_eq!(errs[0].span.unwrap().line, 4);
        assert_eq!(
            errs[0].message,
            "`second_calendar` is the site's `calendar`"
        );
    }

    #[test]
    fn missing_required_keys() {
        let errs = parse("description: x\n").unwrap_err();
        let msgs: Vec<&str> = errs.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            msgs,
            ["site.yaml has no `title`", "site.yaml has no `base_url`"]
        );
    }
}
