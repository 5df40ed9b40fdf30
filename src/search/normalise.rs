//! Arabic words as a reader searches for them. Pagefind folds the hamza
//! on alef, waw and yeh and drops tashkeel (both are combining marks after
//! NFD), and its Arabic stemmer removes some prefixes; it keeps tatweel,
//! and a query's prefix letters do not always come off as the indexed
//! word's did. So each indexed word also gets its `forms`, and the search
//! page's script (`static/search.js`, `fold` and `core`) applies the same
//! rules to the query: the two must stay in step.

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

/// What is left of a folded word once its article and attached letters
/// are off, taken off until nothing more comes off: `والاقتصاد` → `اقتصاد`,
/// `بغزه` → `غزه`, `الوزير` → `وزير` → `زير`. Taking off to the end makes
/// `core(core(w)) == core(w)`, so a query written with fewer prefixes than
/// the text (`وزير` for `الوزير`) meets it at the same core. At least two
/// letters stay after an article, three after a single letter.
pub fn core(folded: &str) -> &str {
    let mut word = folded;
    while let Some(rest) = strip_once(word) {
        word = rest;
    }
    word
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
        .then(|| chars.as_str())
}

/// The forms of `word` to index beside it, when they differ from it:
/// folded, and its core.
pub fn forms(word: &str) -> impl Iterator<Item = String> {
    let folded = fold(word);
    let core = core(&folded).to_owned();
    let folded = (folded != word && folded != core && !folded.is_empty()).then_some(folded);
    let core = (core != word && !core.is_empty()).then_some(core);
    folded.into_iter().chain(core)
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
    fn takes_off_the_article_and_attached_letters() {
        for (word, core_) in [
            ("الاقتصاد", "اقتصاد"),
            ("والاقتصاد", "اقتصاد"),
            ("فالحكومه", "حكومه"),
            ("بالعاصمه", "عاصمه"),
            ("كالعاده", "عاده"),
            ("للحكومه", "حكومه"),
            ("وزير", "زير"),
            ("الوزير", "زير"),
            ("لبنان", "نان"),
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
    fn forms_are_only_those_that_differ() {
        assert_eq!(forms("والأسواق").collect::<Vec<_>>(), ["والاسواق", "اسواق"]);
        assert_eq!(forms("مصر").collect::<Vec<_>>(), Vec::<String>::new());
        assert_eq!(forms("Reuters").collect::<Vec<_>>(), ["reuters"]);
        assert_eq!(forms("غزة").collect::<Vec<_>>(), ["غزه"]);
    }
}
