//! The theme's own words, in one place: a complete set for each language
//! of `Language` (Arabic, Persian, Urdu, Hebrew, English), and any of them
//! replaced from site.yaml's `strings`. Counts get the plural form their
//! language needs (Arabic has six, Hebrew three).

use std::collections::BTreeMap;

use crate::lang::Language;
pub use crate::lang::Plural;
use crate::text::Digits;

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
    ("date_time_separator", "، الساعة "),
    ("play_embed", "شغّل من {provider}"),
    ("term_order", "ترتيب القائمة"),
    ("by_count", "الأكثر مقالات"),
    ("by_name", "أبجديًا"),
    ("letter_index", "فهرس الحروف"),
    ("home", "الرئيسية"),
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
    ("date_time_separator", ", "),
    ("play_embed", "Play on {provider}"),
    ("term_order", "Order"),
    ("by_count", "Most articles"),
    ("by_name", "A to Z"),
    ("letter_index", "Index by letter"),
    ("home", "Home"),
];

const PERSIAN: &[(&str, &str)] = &[
    ("skip_to_content", "پرش به محتوا"),
    ("sections", "بخش‌های بایگانی"),
    ("latest", "تازه‌ترین‌ها"),
    ("archive", "بایگانی"),
    ("tags", "برچسب‌ها"),
    ("authors", "نویسندگان"),
    ("sources", "منابع"),
    ("feed", "خوراک Atom"),
    ("by", "نوشتهٔ"),
    ("source", "منبع:"),
    ("original", "متن اصلی"),
    ("updated", "به‌روزشده در"),
    ("photo", "عکس:"),
    ("reading_time", "زمان مطالعه:"),
    ("list_separator", "، "),
    ("next_article", "مطلب بعدی"),
    ("previous_article", "مطلب قبلی"),
    ("article_sequence", "مطالب پیاپی"),
    ("related", "مطالب مرتبط"),
    ("page_n", "صفحهٔ {n}"),
    ("previous_page", "صفحهٔ قبل"),
    ("next_page", "صفحهٔ بعد"),
    ("pages", "صفحه‌های فهرست"),
    ("breadcrumbs", "مسیر صفحه"),
    ("archive_of", "بایگانی {period}"),
    ("no_articles", "هنوز مطلبی اینجا نیست."),
    ("nothing_yet", "هنوز چیزی اینجا نیست."),
    ("not_found", "صفحه پیدا نشد"),
    (
        "not_found_text",
        "صفحه‌ای که خواستید پیدا نشد. شاید جابه‌جا یا حذف شده باشد، یا نشانی نادرست باشد.",
    ),
    ("back_home", "بازگشت به صفحهٔ اصلی"),
    ("search", "جستجو"),
    ("search_label", "جستجو در بایگانی"),
    ("search_button", "جستجو"),
    ("search_filters", "محدود کردن نتایج"),
    ("search_any", "همه"),
    ("search_year", "سال"),
    ("search_sort", "ترتیب"),
    ("search_newest", "تازه‌ترین‌ها نخست"),
    ("search_relevance", "نزدیک‌ترین به جستجو"),
    ("search_searching", "در حال جستجو…"),
    ("search_none", "نتیجه‌ای برای این جستجو نیست."),
    ("search_more", "نتایج بیشتر"),
    ("search_failed", "نمایهٔ جستجو بار نشد."),
    (
        "search_needs_script",
        "جستجو به جاوااسکریپت در مرورگر نیاز دارد؛ بایگانی را از پیوندهای بخش‌های بالا مرور کنید.",
    ),
    ("date_time_separator", "، ساعت "),
    ("play_embed", "پخش از {provider}"),
    ("term_order", "ترتیب فهرست"),
    ("by_count", "بیشترین مطلب"),
    ("by_name", "الفبایی"),
    ("letter_index", "فهرست حروف"),
    ("home", "صفحهٔ اصلی"),
];

const URDU: &[(&str, &str)] = &[
    ("skip_to_content", "مواد پر جائیں"),
    ("sections", "آرکائیو کے حصے"),
    ("latest", "تازہ ترین"),
    ("archive", "آرکائیو"),
    ("tags", "ٹیگ"),
    ("authors", "مصنفین"),
    ("sources", "ذرائع"),
    ("feed", "Atom فیڈ"),
    ("by", "از"),
    ("source", "ماخذ:"),
    ("original", "اصل متن"),
    ("updated", "تازہ کاری:"),
    ("photo", "تصویر:"),
    ("reading_time", "پڑھنے کا وقت:"),
    ("list_separator", "، "),
    ("next_article", "اگلا مضمون"),
    ("previous_article", "پچھلا مضمون"),
    ("article_sequence", "مزید مضامین"),
    ("related", "متعلقہ مضامین"),
    ("page_n", "صفحہ {n}"),
    ("previous_page", "پچھلا صفحہ"),
    ("next_page", "اگلا صفحہ"),
    ("pages", "فہرست کے صفحات"),
    ("breadcrumbs", "صفحے کا راستہ"),
    ("archive_of", "{period} کا آرکائیو"),
    ("no_articles", "یہاں ابھی کوئی مضمون نہیں۔"),
    ("nothing_yet", "یہاں ابھی کچھ نہیں۔"),
    ("not_found", "صفحہ نہیں ملا"),
    (
        "not_found_text",
        "آپ کا مطلوبہ صفحہ نہیں ملا۔ ہو سکتا ہے وہ منتقل یا حذف ہو گیا ہو، یا ربط میں غلطی ہو۔",
    ),
    ("back_home", "سرورق پر واپس جائیں"),
    ("search", "تلاش"),
    ("search_label", "آرکائیو میں تلاش کریں"),
    ("search_button", "تلاش کریں"),
    ("search_filters", "نتائج محدود کریں"),
    ("search_any", "سب"),
    ("search_year", "سال"),
    ("search_sort", "ترتیب"),
    ("search_newest", "تازہ ترین پہلے"),
    ("search_relevance", "تلاش سے قریب ترین"),
    ("search_searching", "تلاش جاری ہے…"),
    ("search_none", "اس تلاش کا کوئی نتیجہ نہیں۔"),
    ("search_more", "مزید نتائج"),
    ("search_failed", "تلاش کا اشاریہ لوڈ نہیں ہو سکا۔"),
    (
        "search_needs_script",
        "تلاش کے لیے براؤزر میں جاوا اسکرپٹ درکار ہے؛ آرکائیو اوپر کے حصوں کے روابط سے دیکھیں۔",
    ),
    ("date_time_separator", "، بوقت "),
    ("play_embed", "{provider} سے چلائیں"),
    ("term_order", "فہرست کی ترتیب"),
    ("by_count", "سب سے زیادہ مضامین"),
    ("by_name", "حروفِ تہجی کے لحاظ سے"),
    ("letter_index", "حروف کی فہرست"),
    ("home", "سرورق"),
];

const HEBREW: &[(&str, &str)] = &[
    ("skip_to_content", "דילוג לתוכן"),
    ("sections", "מדורי הארכיון"),
    ("latest", "אחרונים"),
    ("archive", "ארכיון"),
    ("tags", "תגיות"),
    ("authors", "כותבים"),
    ("sources", "מקורות"),
    ("feed", "פיד Atom"),
    ("by", "מאת"),
    ("source", "מקור:"),
    ("original", "הכתבה המקורית"),
    ("updated", "עודכן:"),
    ("photo", "צילום:"),
    ("reading_time", "זמן קריאה:"),
    ("list_separator", ", "),
    ("next_article", "הכתבה הבאה"),
    ("previous_article", "הכתבה הקודמת"),
    ("article_sequence", "כתבות נוספות"),
    ("related", "כתבות קשורות"),
    ("page_n", "עמוד {n}"),
    ("previous_page", "העמוד הקודם"),
    ("next_page", "העמוד הבא"),
    ("pages", "עמודי הרשימה"),
    ("breadcrumbs", "נתיב ניווט"),
    ("archive_of", "ארכיון {period}"),
    ("no_articles", "אין כאן כתבות עדיין."),
    ("nothing_yet", "אין כאן דבר עדיין."),
    ("not_found", "הדף לא נמצא"),
    (
        "not_found_text",
        "לא מצאנו את הדף שביקשת. ייתכן שהועבר או נמחק, או שיש טעות בקישור.",
    ),
    ("back_home", "חזרה לדף הבית"),
    ("search", "חיפוש"),
    ("search_label", "חיפוש בארכיון"),
    ("search_button", "חיפוש"),
    ("search_filters", "צמצום התוצאות"),
    ("search_any", "הכול"),
    ("search_year", "שנה"),
    ("search_sort", "סדר"),
    ("search_newest", "החדשים תחילה"),
    ("search_relevance", "הקרובים ביותר לחיפוש"),
    ("search_searching", "מחפש…"),
    ("search_none", "אין תוצאות לחיפוש זה."),
    ("search_more", "תוצאות נוספות"),
    ("search_failed", "לא ניתן לטעון את אינדקס החיפוש."),
    (
        "search_needs_script",
        "החיפוש דורש JavaScript בדפדפן; עיינו בארכיון דרך קישורי המדורים שלמעלה.",
    ),
    ("date_time_separator", ", בשעה "),
    ("play_embed", "הפעלה ב־{provider}"),
    ("term_order", "סדר הרשימה"),
    ("by_count", "הכי הרבה כתבות"),
    ("by_name", "לפי א״ב"),
    ("letter_index", "אינדקס לפי אות"),
    ("home", "דף הבית"),
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

/// Persian, Urdu and English have only one and other; their `zero` form is
/// what 0 reads as, like ICU's explicit `=0`.
const PERSIAN_COUNTS: &[(&str, [&str; 6])] = &[
    (
        "articles",
        [
            "بدون مطلب",
            "یک مطلب",
            "{n} مطلب",
            "{n} مطلب",
            "{n} مطلب",
            "{n} مطلب",
        ],
    ),
    (
        "minutes",
        [
            "کمتر از یک دقیقه",
            "یک دقیقه",
            "{n} دقیقه",
            "{n} دقیقه",
            "{n} دقیقه",
            "{n} دقیقه",
        ],
    ),
    (
        "pages",
        [
            "بدون صفحه",
            "یک صفحه",
            "{n} صفحه",
            "{n} صفحه",
            "{n} صفحه",
            "{n} صفحه",
        ],
    ),
    (
        "results",
        [
            "بدون نتیجه",
            "یک نتیجه",
            "{n} نتیجه",
            "{n} نتیجه",
            "{n} نتیجه",
            "{n} نتیجه",
        ],
    ),
];

const URDU_COUNTS: &[(&str, [&str; 6])] = &[
    (
        "articles",
        [
            "کوئی مضمون نہیں",
            "ایک مضمون",
            "{n} مضامین",
            "{n} مضامین",
            "{n} مضامین",
            "{n} مضامین",
        ],
    ),
    (
        "minutes",
        [
            "ایک منٹ سے کم",
            "ایک منٹ",
            "{n} منٹ",
            "{n} منٹ",
            "{n} منٹ",
            "{n} منٹ",
        ],
    ),
    (
        "pages",
        [
            "کوئی صفحہ نہیں",
            "ایک صفحہ",
            "{n} صفحات",
            "{n} صفحات",
            "{n} صفحات",
            "{n} صفحات",
        ],
    ),
    (
        "results",
        [
            "کوئی نتیجہ نہیں",
            "ایک نتیجہ",
            "{n} نتائج",
            "{n} نتائج",
            "{n} نتائج",
            "{n} نتائج",
        ],
    ),
];

const HEBREW_COUNTS: &[(&str, [&str; 6])] = &[
    (
        "articles",
        [
            "אין כתבות",
            "כתבה אחת",
            "שתי כתבות",
            "{n} כתבות",
            "{n} כתבות",
            "{n} כתבות",
        ],
    ),
    (
        "minutes",
        [
            "פחות מדקה",
            "דקה אחת",
            "שתי דקות",
            "{n} דקות",
            "{n} דקות",
            "{n} דקות",
        ],
    ),
    (
        "pages",
        [
            "אין עמודים",
            "עמוד אחד",
            "שני עמודים",
            "{n} עמודים",
            "{n} עמודים",
            "{n} עמודים",
        ],
    ),
    (
        "results",
        [
            "אין תוצאות",
            "תוצאה אחת",
            "שתי תוצאות",
            "{n} תוצאות",
            "{n} תוצאות",
            "{n} תוצאות",
        ],
    ),
];

/// The words and counted nouns of one language.
fn tables(lang: Language) -> (&'static [(&'static str, &'static str)], CountTable) {
    match lang {
        Language::Arabic => (ARABIC, ARABIC_COUNTS),
        Language::Persian => (PERSIAN, PERSIAN_COUNTS),
        Language::Urdu => (URDU, URDU_COUNTS),
        Language::Hebrew => (HEBREW, HEBREW_COUNTS),
        Language::English => (ENGLISH, ENGLISH_COUNTS),
    }
}

type CountTable = &'static [(&'static str, [&'static str; 6])];

/// The interface strings of one site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Strings {
    /// Whose plural rules apply; English words and rules when the theme
    /// does not know the site's language.
    lang: Language,
    known: bool,
    words: BTreeMap<String, String>,
    counts: BTreeMap<String, [String; 6]>,
    replaced: std::collections::BTreeSet<String>,
}

impl Strings {
    /// The default set for a language tag: its own when the theme has it
    /// (`ar`, `fa`, `ur`, `he`, `en`, with any region), else English.
    pub fn for_language(tag: &str) -> Strings {
        let known = Language::of(tag);
        let lang = known.unwrap_or(Language::English);
        let (words, counts) = tables(lang);
        Strings {
            lang,
            known: known.is_some(),
            words: words
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            counts: counts
                .iter()
                .map(|(k, forms)| (k.to_string(), forms.map(str::to_owned)))
                .collect(),
            replaced: Default::default(),
        }
    }

    /// The keys a site may replace: every word, and `count_<noun>_<category>`.
    pub fn keys() -> Vec<String> {
        let mut keys: Vec<String> = ARABIC.iter().map(|(k, _)| k.to_string()).collect();
        for (noun, _) in ARABIC_COUNTS {
            for p in Plural::ALL {
                keys.push(format!("count_{noun}_{}", p.name()));
            }
        }
        keys
    }

    /// For a language the theme does not know: the keys still in English,
    /// which the site should translate in `strings`. Empty otherwise.
    pub fn untranslated(&self) -> Vec<String> {
        if self.known {
            return Vec::new();
        }
        Strings::keys()
            .into_iter()
            .filter(|k| !self.replaced.contains(k))
            // English has no two, few or many: they are never shown.
            .filter(|k| !["_two", "_few", "_many"].iter().any(|c| k.ends_with(c)))
            .collect()
    }

    /// Replaces one string; `false` if there is no such key.
    pub fn set(&mut self, key: &str, value: String) -> bool {
        let done = self.replace(key, value);
        if done {
            self.replaced.insert(key.to_owned());
        }
        done
    }

    fn replace(&mut self, key: &str, value: String) -> bool {
        if let Some(slot) = self.words.get_mut(key) {
            *slot = value;
            return true;
        }
        let Some((noun, category)) = key.strip_prefix("count_").and_then(|k| k.rsplit_once('_'))
        else {
            return false;
        };
        let index = Plural::ALL.iter().position(|c| c.name() == category);
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
        self.counts
            .iter()
            .map(|(noun, forms)| {
                let by_name = Plural::ALL
                    .iter()
                    .map(|p| (p.name(), forms[*p as usize].as_str()))
                    .collect();
                (noun.as_str(), by_name)
            })
            .collect()
    }

    /// "3 مقالات", "11 مقالة", "مقالتان": `n` of `noun` in the right form,
    /// with the number in `digits`. 0 always takes the `zero` form ("no
    /// articles"), also in languages whose CLDR rules have no zero.
    /// `None` for an unknown noun.
    pub fn count(&self, noun: &str, n: u64, digits: Digits) -> Option<String> {
        let forms = self.counts.get(noun)?;
        let category = match n {
            0 => Plural::Zero,
            _ => self.lang.plural(n),
        };
        let form = &forms[category as usize];
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
    fn counted_nouns_in_other_languages() {
        let cases = [
            ("fa", 0, Digits::Persian, "بدون مطلب"),
            ("fa", 1, Digits::Persian, "یک مطلب"),
            ("fa", 21, Digits::Persian, "۲۱ مطلب"),
            ("ur", 2, Digits::Persian, "۲ مضامین"),
            ("he", 2, Digits::Latin, "שתי כתבות"),
            ("he", 3, Digits::Latin, "3 כתבות"),
        ];
        for (lang, n, digits, want) in cases {
            let s = Strings::for_language(lang);
            assert_eq!(
                s.count("articles", n, digits).as_deref(),
                Some(want),
                "{lang} {n}"
            );
        }
    }

    #[test]
    fn unknown_languages_get_english_and_the_keys_to_translate() {
        let mut s = Strings::for_language("ku");
        assert_eq!(s.get("latest"), "Latest");
        assert!(s.untranslated().contains(&"latest".to_string()));
        assert!(s.set("latest", "Dawîtirîn".into()));
        let left = s.untranslated();
        assert!(!left.contains(&"latest".to_string()));
        assert!(left.contains(&"count_articles_other".to_string()));
        assert!(!left.contains(&"count_articles_two".to_string()));
        assert!(Strings::for_language("fa-IR").untranslated().is_empty());
    }

    /// Every language has every key of every other, in the same order.
    #[test]
    fn every_set_is_complete() {
        let keys = |lang| -> Vec<&str> { tables(lang).0.iter().map(|(k, _)| *k).collect() };
        let nouns = |lang| -> Vec<&str> { tables(lang).1.iter().map(|(k, _)| *k).collect() };
        for lang in Language::ALL {
            assert_eq!(keys(lang), keys(Language::Arabic), "{lang:?}");
            assert_eq!(nouns(lang), nouns(Language::Arabic), "{lang:?}");
            for (key, text) in tables(lang).0 {
                assert!(!text.trim().is_empty(), "{lang:?} {key}");
            }
            for (noun, forms) in tables(lang).1 {
                for (p, form) in Plural::ALL.iter().zip(forms) {
                    let plain = matches!(p, Plural::Zero | Plural::One);
                    assert!(
                        plain
                            || form.contains("{n}")
                            || lang == Language::Arabic
                            || lang == Language::Hebrew,
                        "{lang:?} {noun} {p:?}"
                    );
                }
            }
        }
        // Right-to-left Arabic-script sets use their own punctuation.
        for lang in [Language::Arabic, Language::Persian, Language::Urdu] {
            for (_, text) in tables(lang).0 {
                assert!(
                    !text.contains(',') && !text.contains('?') && !text.contains(';'),
                    "Latin punctuation in {text}"
                );
            }
        }
    }
}
