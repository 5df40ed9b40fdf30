//! The theme's own words, in one place: a complete Arabic set, an English
//! set, and any of them replaced from site.yaml's `strings`. Counts get the
//! plural form their language needs (Arabic has six).

use std::collections::BTreeMap;

use crate::text::Digits;

/// CLDR plural categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plural {
    Zero,
    One,
    Two,
    Few,
    Many,
    Other,
}

impl Plural {
    pub fn name(self) -> &'static str {
        match self {
            Plural::Zero => "zero",
            Plural::One => "one",
            Plural::Two => "two",
            Plural::Few => "few",
            Plural::Many => "many",
            Plural::Other => "other",
        }
    }
}

/// The plural category of `n` in `lang` (CLDR rules for Arabic; the
/// English rule, zero aside, elsewhere).
pub fn plural_category(lang: &str, n: u64) -> Plural {
    if is_arabic(lang) {
        match (n, n % 100) {
            (0, _) => Plural::Zero,
            (1, _) => Plural::One,
            (2, _) => Plural::Two,
            (_, 3..=10) => Plural::Few,
            (_, 11..=99) => Plural::Many,
            _ => Plural::Other,
        }
    } else {
        match n {
            0 => Plural::Zero,
            1 => Plural::One,
            _ => Plural::Other,
        }
    }
}

fn is_arabic(lang: &str) -> bool {
    lang.split(['-', '_'])
        .next()
        .is_some_and(|p| p.eq_ignore_ascii_case("ar"))
}

const ARABIC: &[(&str, &str)] = &[
    ("skip_to_content", "انتقل إلى المحتوى"),
    ("sections", "أقسام الأرشيف"),
    ("latest", "الأحدث"),
    ("archive", "الأرشيف"),
    ("tags", "الوسوم"),
    ("authors", "الكتّاب"),
    ("sources", "المصادر"),
    ("feed", "خلاصة Atom"),
    ("by", "بقلم"),
    ("source", "المصدر:"),
    ("original", "النص الأصلي"),
    ("updated", "حُدِّث في"),
    ("photo", "تصوير:"),
    ("reading_time", "مدة القراءة:"),
    ("list_separator", "، "),
    ("next_article", "المقال التالي"),
    ("previous_article", "المقال السابق"),
    ("article_sequence", "مقالات متتالية"),
    ("related", "مقالات ذات صلة"),
    ("page_n", "صفحة {n}"),
    ("previous_page", "الصفحة السابقة"),
    ("next_page", "الصفحة التالية"),
    ("pages", "صفحات القائمة"),
    ("breadcrumbs", "مسار التصفح"),
    ("archive_of", "أرشيف {period}"),
    ("no_articles", "لا مقالات هنا بعد."),
    ("nothing_yet", "لا شيء هنا بعد."),
    ("not_found", "الصفحة غير موجودة"),
    (
        "not_found_text",
        "لم نجد الصفحة التي طلبتها. ربما نُقلت أو حُذفت، أو في الرابط خطأ.",
    ),
    ("back_home", "العودة إلى الصفحة الرئيسية"),
    ("search", "بحث"),
    ("search_label", "ابحث في الأرشيف"),
    ("search_button", "ابحث"),
    ("search_filters", "تضييق النتائج"),
    ("search_any", "الكل"),
    ("search_year", "السنة"),
    ("search_sort", "الترتيب"),
    ("search_newest", "الأحدث أولًا"),
    ("search_relevance", "الأقرب إلى البحث"),
    ("search_searching", "جارٍ البحث…"),
    ("search_none", "لا نتائج لهذا البحث."),
    ("search_more", "المزيد من النتائج"),
    ("search_failed", "تعذّر تحميل فهرس البحث."),
    (
        "search_needs_script",
        "يحتاج البحث إلى جافاسكربت في المتصفح؛ تصفّح الأرشيف من روابط الأقسام أعلاه.",
    ),
];

const ENGLISH: &[(&str, &str)] = &[
    ("skip_to_content", "Skip to content"),
    ("sections", "Archive sections"),
    ("latest", "Latest"),
    ("archive", "Archive"),
    ("tags", "Tags"),
    ("authors", "Authors"),
    ("sources", "Sources"),
    ("feed", "Atom feed"),
    ("by", "By"),
    ("source", "Source:"),
    ("original", "original"),
    ("updated", "Updated"),
    ("photo", "Photo:"),
    ("reading_time", "Reading time:"),
    ("list_separator", ", "),
    ("next_article", "Next article"),
    ("previous_article", "Previous article"),
    ("article_sequence", "More articles"),
    ("related", "Related articles"),
    ("page_n", "page {n}"),
    ("previous_page", "Previous page"),
    ("next_page", "Next page"),
    ("pages", "Pages"),
    ("breadcrumbs", "Breadcrumbs"),
    ("archive_of", "Archive of {period}"),
    ("no_articles", "No articles here yet."),
    ("nothing_yet", "Nothing here yet."),
    ("not_found", "Page not found"),
    (
        "not_found_text",
        "We could not find the page you asked for. It may have moved or been removed, or the link may be wrong.",
    ),
    ("back_home", "Back to the home page"),
    ("search", "Search"),
    ("search_label", "Search the archive"),
    ("search_button", "Search"),
    ("search_filters", "Narrow the results"),
    ("search_any", "All"),
    ("search_year", "Year"),
    ("search_sort", "Order"),
    ("search_newest", "Newest first"),
    ("search_relevance", "Best match"),
    ("search_searching", "Searching…"),
    ("search_none", "Nothing matches this search."),
    ("search_more", "More results"),
    ("search_failed", "The search index could not be loaded."),
    (
        "search_needs_script",
        "Search needs JavaScript in the browser; browse the archive from the sections above.",
    ),
];

/// Counted nouns: the form for each plural category, `{n}` standing for
/// the number.
const ARABIC_COUNTS: &[(&str, [&str; 6])] = &[
    (
        "articles",
        [
            "لا مقالات",
            "مقالة واحدة",
            "مقالتان",
            "{n} مقالات",
            "{n} مقالة",
            "{n} مقالة",
        ],
    ),
    (
        "minutes",
        [
            "أقل من دقيقة",
            "دقيقة واحدة",
            "دقيقتان",
            "{n} دقائق",
            "{n} دقيقة",
            "{n} دقيقة",
        ],
    ),
    (
        "pages",
        [
            "لا صفحات",
            "صفحة واحدة",
            "صفحتان",
            "{n} صفحات",
            "{n} صفحة",
            "{n} صفحة",
        ],
    ),
    (
        "results",
        [
            "لا نتائج",
            "نتيجة واحدة",
            "نتيجتان",
            "{n} نتائج",
            "{n} نتيجة",
            "{n} نتيجة",
        ],
    ),
];

const ENGLISH_COUNTS: &[(&str, [&str; 6])] = &[
    (
        "articles",
        [
            "no articles",
            "one article",
            "{n} articles",
            "{n} articles",
            "{n} articles",
            "{n} articles",
        ],
    ),
    (
        "minutes",
        [
            "under a minute",
            "one minute",
            "{n} minutes",
            "{n} minutes",
            "{n} minutes",
            "{n} minutes",
        ],
    ),
    (
        "pages",
        [
            "no pages",
            "one page",
            "{n} pages",
            "{n} pages",
            "{n} pages",
            "{n} pages",
        ],
    ),
    (
        "results",
        [
            "no results",
            "one result",
            "{n} results",
            "{n} results",
            "{n} results",
            "{n} results",
        ],
    ),
];

/// The interface strings of one site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Strings {
    lang: String,
    words: BTreeMap<String, String>,
    counts: BTreeMap<String, [String; 6]>,
}

impl Strings {
    /// The default set for `lang`: Arabic for `ar…`, English otherwise.
    pub fn for_language(lang: &str) -> Strings {
        let (words, counts) = if is_arabic(lang) {
            (ARABIC, ARABIC_COUNTS)
        } else {
            (ENGLISH, ENGLISH_COUNTS)
        };
        Strings {
            lang: lang.to_owned(),
            words: words
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            counts: counts
                .iter()
                .map(|(k, forms)| (k.to_string(), forms.map(str::to_owned)))
                .collect(),
        }
    }

    /// The keys a site may replace: every word, and `count_<noun>_<category>`.
    pub fn keys() -> Vec<String> {
        let mut keys: Vec<String> = ARABIC.iter().map(|(k, _)| k.to_string()).collect();
        for (noun, _) in ARABIC_COUNTS {
            for p in [
                Plural::Zero,
                Plural::One,
                Plural::Two,
                Plural::Few,
                Plural::Many,
                Plural::Other,
            ] {
                keys.push(format!("count_{noun}_{}", p.name()));
            }
        }
        keys
    }

    /// Replaces one string; `false` if there is no such key.
    pub fn set(&mut self, key: &str, value: String) -> bool {
        if let Some(slot) = self.words.get_mut(key) {
            *slot = value;
            return true;
        }
        let Some((noun, category)) = key.strip_prefix("count_").and_then(|k| k.rsplit_once('_'))
        else {
            return false;
        };
        let index = ["zero", "one", "two", "few", "many", "other"]
            .iter()
            .position(|c| *c == category);
        match (self.counts.get_mut(noun), index) {
            (Some(forms), Some(i)) => {
                forms[i] = value;
                true
            }
            _ => false,
        }
    }

    pub fn get(&self, key: &str) -> &str {
        self.words.get(key).map_or("", String::as_str)
    }

    pub fn words(&self) -> &BTreeMap<String, String> {
        &self.words
    }

    /// Each noun's plural forms by category name, `{n}` unfilled.
    pub fn count_forms(&self) -> BTreeMap<&str, BTreeMap<&'static str, &str>> {
        const CATEGORIES: [Plural; 6] = [
            Plural::Zero,
            Plural::One,
            Plural::Two,
            Plural::Few,
            Plural::Many,
            Plural::Other,
        ];
        self.counts
            .iter()
            .map(|(noun, forms)| {
                let by_name = CATEGORIES
                    .iter()
                    .map(|p| (p.name(), forms[*p as usize].as_str()))
                    .collect();
                (noun.as_str(), by_name)
            })
            .collect()
    }

    /// "3 مقالات", "11 مقالة", "مقالتان": `n` of `noun` in the right form,
    /// with the number in `digits`. `None` for an unknown noun.
    pub fn count(&self, noun: &str, n: u64, digits: Digits) -> Option<String> {
        let forms = self.counts.get(noun)?;
        let form = &forms[plural_category(&self.lang, n) as usize];
        Some(form.replace("{n}", &digits.apply(&n.to_string())))
    }

    /// The nouns `count` knows.
    pub fn nouns(&self) -> impl Iterator<Item = &str> {
        self.counts.keys().map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_plural_categories() {
        use Plural::*;
        let cases = [
            (0, Zero),
            (1, One),
            (2, Two),
            (3, Few),
            (10, Few),
            (11, Many),
            (99, Many),
            (100, Other),
            (101, Other),
            (102, Other),
            (103, Few),
            (111, Many),
            (1000, Other),
            (1003, Few),
        ];
        for (n, want) in cases {
            assert_eq!(plural_category("ar", n), want, "{n}");
        }
        assert_eq!(plural_category("en", 2), Other);
        assert_eq!(plural_category("ar-EG", 2), Two);
    }

    #[test]
    fn counted_nouns_in_arabic() {
        let s = Strings::for_language("ar");
        let cases = [
            (0, "لا مقالات"),
            (1, "مقالة واحدة"),
            (2, "مقالتان"),
            (3, "3 مقالات"),
            (10, "10 مقالات"),
            (11, "11 مقالة"),
            (100, "100 مقالة"),
            (103, "103 مقالات"),
        ];
        for (n, want) in cases {
            assert_eq!(
                s.count("articles", n, Digits::Latin).as_deref(),
                Some(want),
                "{n}"
            );
        }
        assert_eq!(
            s.count("minutes", 5, Digits::Arabic).as_deref(),
            Some("٥ دقائق")
        );
        assert_eq!(
            s.count("pages", 2, Digits::Latin).as_deref(),
            Some("صفحتان")
        );
        assert_eq!(s.count("nope", 2, Digits::Latin), None);
    }

    #[test]
    fn english_and_overrides() {
        let mut s = Strings::for_language("en");
        assert_eq!(
            s.count("articles", 1, Digits::Latin).as_deref(),
            Some("one article")
        );
        assert_eq!(
            s.count("articles", 2, Digits::Latin).as_deref(),
            Some("2 articles")
        );
        assert_eq!(s.get("latest"), "Latest");
        assert!(s.set("latest", "Newest".into()));
        assert!(s.set("count_articles_one", "a single article".into()));
        assert!(!s.set("lastest", "x".into()));
        assert!(!s.set("count_articles_dual", "x".into()));
        assert_eq!(s.get("latest"), "Newest");
        assert_eq!(
            s.count("articles", 1, Digits::Latin).as_deref(),
            Some("a single article")
        );
    }

    #[test]
    fn both_sets_are_complete() {
        let ar: Vec<_> = ARABIC.iter().map(|(k, _)| *k).collect();
        let en: Vec<_> = ENGLISH.iter().map(|(k, _)| *k).collect();
        assert_eq!(ar, en);
        let ar: Vec<_> = ARABIC_COUNTS.iter().map(|(k, _)| *k).collect();
        let en: Vec<_> = ENGLISH_COUNTS.iter().map(|(k, _)| *k).collect();
        assert_eq!(ar, en);
        for (_, text) in ARABIC {
            assert!(
                !text.contains(',') && !text.contains('?') && !text.contains(';'),
                "Latin punctuation in {text}"
            );
        }
    }
}
