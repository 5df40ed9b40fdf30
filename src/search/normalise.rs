//! Arabic words as a reader searches for them. Pagefind folds the hamza
//! on alef, waw and yeh and drops tashkeel (both are combining marks after
//! NFD), and its Arabic stemmer removes some prefixes; it keeps tatweel,
//! and a query's prefix letters do not always come off as the indexed
//! word's did. So each indexed word also gets its `forms`, and the search
//! page's script (`static/search.js`, `fold` and `core`) takes the query
//! to its core by the same rules: the two must stay in step.

use pagefind_stem::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Tatweel and tashkeel dropped; hamza seats, alef maqsura and taa
/// marbuta folded; Latin letters lower-cased; punctuation dropped.
pub fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        match c {
            '\u{0640}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}' => {}
            'أ' | 'إ' | 'آ' | 'ٱ' => out.push('ا'),
            'ى' | 'ئ' => out.push('ي'),
            'ؤ' => out.push('و'),
            'ة' => out.push('ه'),
            '٠'..='٩' => out.push(char::from(b'0' + (c as u32 - 0x0660) as u8)),
            c if c.is_alphanumeric() => out.extend(c.to_lowercase()),
            _ => {}
        }
    }
    out
}

/// The article with the letters that attach before it.
const ARTICLES: [&str; 6] = ["وال", "فال", "بال", "كال", "لل", "ال"];
/// Letters written joined to the next word: and, so, with, for, as.
const ATTACHED: [char; 5] = ['و', 'ف', 'ب', 'ل', 'ك'];

/// A folded word without its prefixes in the order Arabic writes them:
/// a conjunction (و ف), then a preposition (ب ك ل), then the article
/// (`وبالعاصمه` → `عاصمه`, `بغزه` → `غزه`, `بوتين` → `وتين`). The search
/// page takes a query's words to this core. At least two letters stay
/// after an article, three after a single letter.
pub fn core(folded: &str) -> &str {
    let len = |s: &str| s.chars().count();
    let mut word = folded;
    if let Some(rest) = word.strip_prefix(['و', 'ف'])
        && len(rest) >= 3
    {
        word = rest;
    }
    if let Some(rest) = word.strip_prefix("لل")
        && len(rest) >= 2
    {
        return rest;
    }
    if let Some(rest) = word.strip_prefix(['ب', 'ك', 'ل']) {
        match rest.strip_prefix("ال") {
            Some(after) if len(after) >= 2 => return after,
            _ if len(rest) >= 3 => return rest,
            _ => {}
        }
    }
    match word.strip_prefix("ال") {
        Some(rest) if len(rest) >= 2 => rest,
        _ => word,
    }
}

/// Every form a word takes as its prefixes come off one by one, the
/// article first, to the end (`الوزير` → `وزير` → `زير`): the index has
/// them all, so a query's `core` meets the text however many prefixes
/// either is written with (`وزير` → `زير` finds `الوزير`).
pub fn stripped(folded: &str) -> Vec<&str> {
    let mut forms = Vec::new();
    let mut word = folded;
    while let Some(rest) = strip_once(word) {
        forms.push(rest);
        word = rest;
    }
    forms
}

fn strip_once(word: &str) -> Option<&str> {
    for a in ARTICLES {
        if let Some(rest) = word.strip_prefix(a)
            && rest.chars().count() >= 2
        {
            return Some(rest);
        }
    }
    let mut chars = word.chars();
    (chars.next().is_some_and(|c| ATTACHED.contains(&c)) && chars.clone().count() >= 3)
        .then_some(chars.as_str())
}

/// The forms of `word` to index beside it, those that differ from it:
/// folded, its `core` and every `stripped` form.
pub fn forms(word: &str) -> Vec<String> {
    let folded = fold(word);
    let mut forms: Vec<&str> = Vec::with_capacity(4);
    forms.push(&folded);
    forms.push(core(&folded));
    forms.extend(stripped(&folded));
    let mut out: Vec<String> = Vec::with_capacity(forms.len());
    for f in forms {
        if !f.is_empty() && f != word && !out.iter().any(|o| o == f) {
            out.push(f.to_owned());
        }
    }
    out
}

/// The forms of words worth indexing: those whose entry in Pagefind's
/// index differs from the word's own and from each other's. Pagefind
/// keys each word by its letters and digits lower-cased, its combining
/// marks dropped and its stem; a form with a key already made adds
/// nothing for a search but costs the indexer as much as a word of text.
/// Remembers every word it was asked about.
pub struct Extra {
    stemmer: Option<Stemmer>,
    seen: FxHashMap<String, Box<[String]>>,
}

impl Extra {
    /// For an index in `language`, stemmed as Pagefind stems it.
    pub fn new(language: &str) -> Extra {
        let stemmer = match language.split(['-', '_']).next() {
            Some("ar") => Some(Stemmer::create(Algorithm::Arabic)),
            Some("en") => Some(Stemmer::create(Algorithm::English)),
            _ => None,
        };
        Extra {
            stemmer,
            seen: FxHashMap::default(),
        }
    }

    /// The `forms` of `word` whose keys in the index are new.
    pub fn of(&mut self, word: &str) -> &[String] {
        if !self.seen.contains_key(word) {
            let mut keys = vec![self.key(word)];
            let mut kept = Vec::new();
            for form in forms(word) {
                let key = self.key(&form);
                if !keys.contains(&key) {
                    keys.push(key);
                    kept.push(form);
                }
            }
            self.seen.insert(word.to_owned(), kept.into());
        }
        &self.seen[word]
    }

    /// The word as Pagefind's index has it (its `get_indexable_words`).
    fn key(&self, word: &str) -> String {
        let letters: String = word
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .nfd()
            .filter(|c| !is_combining_mark(*c))
            .collect();
        match &self.stemmer {
            Some(s) => s.stem(&letters).into_owned(),
            None => letters,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_what_readers_do_not_type() {
        for (word, folded) in [
            ("أحمد", "احمد"),
            ("إسرائيل", "اسراييل"),
            ("آسيا", "اسيا"),
            ("مُحَمَّد", "محمد"),
            ("الاقتـــصاد", "الاقتصاد"),
            ("مستشفى", "مستشفي"),
            ("غزة", "غزه"),
            ("مؤتمر", "موتمر"),
            ("Reuters,", "reuters"),
            ("COP28", "cop28"),
            ("٢٠٢٣", "2023"),
            ("«الصين»", "الصين"),
        ] {
            assert_eq!(fold(word), folded, "{word}");
        }
    }

    #[test]
    fn takes_off_prefixes_in_the_order_arabic_writes_them() {
        for (word, core_) in [
            ("الاقتصاد", "اقتصاد"),
            ("والاقتصاد", "اقتصاد"),
            ("فالحكومه", "حكومه"),
            ("بالعاصمه", "عاصمه"),
            ("وبالعاصمه", "عاصمه"),
            ("كالعاده", "عاده"),
            ("للحكومه", "حكومه"),
            ("وزير", "زير"),
            ("الوزير", "وزير"),
            ("بوتين", "وتين"),
            ("بغزه", "غزه"),
            ("لمصر", "مصر"),
            ("فقط", "فقط"),
            ("ال", "ال"),
            ("بكم", "بكم"),
            ("reuters", "reuters"),
        ] {
            assert_eq!(core(word), core_, "{word}");
        }
    }

    #[test]
    fn the_index_has_every_core_a_query_may_have() {
        assert_eq!(stripped("الوزير"), ["وزير", "زير"]);
        assert_eq!(stripped("لبنان"), ["بنان", "نان"]);
        // However the text and the query are written, the query's core
        // is among the text's forms.
        for (text, query) in [
            ("الوزير", "وزير"),
            ("وزير", "الوزير"),
            ("بغزه", "غزه"),
            ("غزه", "بغزه"),
            ("والاقتصاد", "الاقتصاد"),
            ("للحكومه", "حكومه"),
            ("وبالعاصمه", "العاصمه"),
        ] {
            let mut all = forms(text);
            all.push(text.to_owned());
            assert!(
                all.iter().any(|f| f == core(query)),
                "{query} → {} in {all:?}",
                core(query)
            );
        }
    }

    #[test]
    fn extra_forms_are_those_the_index_would_not_have() {
        let mut extra = Extra::new("ar");
        // Pagefind's stemmer takes the article off itself; the folded
        // taa marbuta makes a stem of its own.
        let kept = extra.of("الحكومة").to_vec();
        assert!(forms("الحكومة").len() > kept.len(), "{kept:?}");
        let keys: Vec<String> = std::iter::once("الحكومة")
            .chain(kept.iter().map(String::as_str))
            .map(|w| extra.key(w))
            .collect();
        for form in forms("الحكومة") {
            assert!(
                keys.contains(&extra.key(&form)),
                "{form} not found by {keys:?}"
            );
        }
        assert_eq!(extra.of("Reuters"), Vec::<String>::new());
    }

    #[test]
    fn forms_are_only_those_that_differ() {
        assert_eq!(forms("والأسواق"), ["والاسواق", "اسواق"]);
        assert_eq!(forms("مصر"), Vec::<String>::new());
        assert_eq!(forms("Reuters"), ["reuters"]);
        assert_eq!(forms("غزة"), ["غزه"]);
    }
}
