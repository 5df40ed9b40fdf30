//! Arabic-script-aware text rules: the key under which terms are grouped,
//! slugs that keep letters of any script (and the Persian zero-width
//! non-joiner), and digit styles.

use unicode_normalization::UnicodeNormalization;

/// The zero-width non-joiner: part of Persian and Urdu spelling
/// (`می‌روم`, `کامنت‌دونی`), so it stays in keys and slugs.
pub const ZWNJ: char = '\u{200C}';

/// Marks a reader does not count as part of the word: tashkeel, Quranic
/// annotation signs, tatweel, and invisible direction/joiner controls.
fn is_ignorable(c: char) -> bool {
    matches!(c,
        '\u{064B}'..='\u{0652}'   // fathatan … sukun
        | '\u{0656}'..='\u{065F}' // other Arabic combining marks (not hamza/madda)
        | '\u{0670}'              // superscript alef
        | '\u{06D6}'..='\u{06ED}' // Quranic marks
        | '\u{0640}'              // tatweel
        | '\u{200B}'              // zero-width space
        | '\u{200D}'..='\u{200F}' // ZWJ, LRM, RLM
        | '\u{202A}'..='\u{202E}' // bidi embeddings and overrides
        | '\u{2066}'..='\u{2069}' // bidi isolates
        | '\u{061C}'              // Arabic letter mark
        | '\u{FEFF}'
    )
}

fn ascii_digit(c: char) -> char {
    match c {
        '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x0660) as u8),
        '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
        _ => c,
    }
}

/// The grouping key of a term: two names a reader would call the same
/// (differing in diacritics, tatweel, spacing, case, digit script or Unicode
/// normal form) get the same key. Letters themselves are never changed, so
/// "عمان" and "أمان" stay apart.
///
/// Case is compared as Unicode's canonical caseless match does (D145):
/// decompose, fold case fully (`ß` and `SS` are one), then compose again,
/// which also puts combining marks in their canonical order. Lowercasing
/// alone is not enough: `İ` lowercases to `i` with a dot above placed
/// before any mark written after it, so the same letters typed in another
/// order got another key, yet the same slug.
///
/// A zero-width non-joiner inside a word is kept (it is visible: the
/// letters around it do not join); one at either end of a word, or a run
/// of them, is not.
pub fn term_key(name: &str) -> String {
    term_key_with(name, Letters::AsWritten)
}

/// Whether the Arabic and Persian forms of yeh and kaf count as one
/// letter in term keys (site.yaml's `merge_yeh_kaf`). They are different
/// code points that look alike, and text typed on an Arabic keyboard
/// puts `ي`/`ك` into Persian words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Letters {
    /// `ی` and `ي` are two letters, as are `ک` and `ك`.
    #[default]
    AsWritten,
    /// `ي`, `ى` → `ی` and `ك` → `ک`, for Persian and Urdu sites.
    Persian,
    /// `ی` → `ي` and `ک` → `ك`, for Arabic sites.
    Arabic,
}

impl Letters {
    fn fold(self, c: char) -> char {
        match (self, c) {
            (Letters::Persian, '\u{064A}' | '\u{0649}') => '\u{06CC}',
            (Letters::Persian, '\u{0643}') => '\u{06A9}',
            (Letters::Arabic, '\u{06CC}') => '\u{064A}',
            (Letters::Arabic, '\u{06A9}') => '\u{0643}',
            _ => c,
        }
    }
}

/// `term_key`, with yeh and kaf folded as `letters` says.
pub fn term_key_with(name: &str, letters: Letters) -> String {
    let decomposed: String = name.nfd().filter(|c| !is_ignorable(*c)).collect();
    let folded = unicase::UniCase::unicode(decomposed).to_folded_case();
    let mut key = String::with_capacity(folded.len());
    let mut pending_space = false;
    let mut pending_zwnj = false;
    for c in folded.nfc() {
        if c.is_whitespace() {
            pending_space = !key.is_empty();
            pending_zwnj = false;
            continue;
        }
        if c == ZWNJ {
            pending_zwnj = !key.is_empty() && !pending_space;
            continue;
        }
        if pending_space {
            key.push(' ');
            pending_space = false;
        }
        if pending_zwnj {
            key.push(ZWNJ);
            pending_zwnj = false;
        }
        key.push(ascii_digit(letters.fold(c)));
    }
    key
}

/// A URL slug that keeps letters of any script: `شي جين بينغ` → `شي-جين-بينغ`,
/// `G20 Summit!` → `g20-summit`. Anything but letters, marks and digits
/// becomes a single `-`. May be empty when `s` has no letters or digits.
pub fn slugify(s: &str) -> String {
    let mut slug = String::with_capacity(s.len());
    for c in term_key(s).chars() {
        if c == ZWNJ && (slug.is_empty() || slug.ends_with('-')) {
            continue;
        }
        if is_slug_letter(c) {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.truncate(slug.trim_end_matches(ZWNJ).len());
            slug.push('-');
        }
    }
    slug.truncate(slug.trim_end_matches(['-', ZWNJ]).len());
    slug
}

/// A letter, mark or digit of any script, or the ZWNJ that a Persian
/// word needs between two of its letters.
fn is_slug_letter(c: char) -> bool {
    c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c) || c == ZWNJ
}

/// Whether `slug` is safe to use as one URL path segment as written: letters,
/// marks, digits, `-`, `_` and non-leading `.` only.
pub fn is_valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && !slug.starts_with('.')
        && slug
            .chars()
            .all(|c| is_slug_letter(c) || matches!(c, '-' | '_' | '.'))
}

/// The most bytes a file or folder name may have on the usual file
/// systems (ext4, APFS), and so the folder of a page.
pub const MAX_SEGMENT: usize = 255;

/// The length in bytes of `segment` when it is too long to be a folder
/// name, which every slug becomes in the output.
pub fn segment_too_long(segment: &str) -> Option<usize> {
    (segment.len() > MAX_SEGMENT).then_some(segment.len())
}

/// `s` cut to at most `max` characters at a word boundary, with "…" when cut.
pub fn truncate(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        None => s.to_owned(),
        Some((end, _)) => {
            let cut = s[..end]
                .rfind(char::is_whitespace)
                .filter(|&i| i > end / 2)
                .unwrap_or(end);
            format!("{}…", s[..cut].trim_end())
        }
    }
}

/// `s` safe as HTML or XML text and attribute values. Control characters
/// that XML forbids (and HTML does not want), which can hide in pasted
/// text, are dropped.
pub fn escape_html(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len() + s.len() / 16);
    // Runs of plain text are copied whole: most text has nothing to escape.
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        let (with, len) = match bytes[i] {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' => ("&quot;", 1),
            b'\'' => ("&#39;", 1),
            b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            // Control characters and U+FFFE, U+FFFF are not allowed in XML.
            0..0x20 => ("", 1),
            0xEF if bytes[i + 1] == 0xBF && matches!(bytes[i + 2], 0xBE | 0xBF) => ("", 3),
            _ => {
                i += 1;
                continue;
            }
        };
        out.push_str(&s[start..i]);
        out.push_str(with);
        i += len;
        start = i;
    }
    out.push_str(&s[start..]);
    out
}

/// How numbers are written for readers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Digits {
    /// 0123456789
    #[default]
    Latin,
    /// ٠١٢٣٤٥٦٧٨٩ (CLDR `arab`)
    Arabic,
    /// ۰۱۲۳۴۵۶۷۸۹, Extended Arabic-Indic (CLDR `arabext`), for Persian and
    /// Urdu: the same code points, drawn in each language's forms by a
    /// font that follows `lang`.
    #[serde(alias = "urdu")]
    Persian,
}

impl Digits {
    /// `apply` without copying when the style keeps the text as it is.
    pub fn apply_in_place(self, s: String) -> String {
        match self {
            Digits::Latin => s,
            Digits::Arabic | Digits::Persian => self.apply(&s),
        }
    }

    /// Rewrites the ASCII digits of `s` in this style; other text is kept.
    pub fn apply(self, s: &str) -> String {
        match self {
            Digits::Latin => s.to_owned(),
            Digits::Arabic => shift_digits(s, 0x0660),
            Digits::Persian => shift_digits(s, 0x06F0),
        }
    }
}

fn shift_digits(s: &str, zero: u32) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(zero + (c as u32 - '0' as u32)).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Groups the digits of `n` in threes with `,` (as the summary line prints
/// counts): 12345 → "12,345".
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn term_keys_merge_what_readers_call_the_same() {
        let same = [
            ("الاقتصاد", "الاقتِصاد"),               // kasra
            ("الاقتصاد", "الاقتـــصاد"),            // tatweel
            ("شي جين بينغ", "  شي   جين\tبينغ "), // spacing
            ("أمان", "ا\u{0654}مان"),             // NFD hamza
            ("قمة G20", "قمة g٢٠"),               // case and digits
            ("مُحَمَّد", "محمد"),                     // full tashkeel
            ("روسيا", "روسيا\u{200F}"),           // stray RLM
        ];
        for (a, b) in same {
            assert_eq!(term_key(a), term_key(b), "{a:?} vs {b:?}");
        }
        let different = [("عمان", "أمان"), ("مصر", "مصري"), ("ة", "ه")];
        for (a, b) in different {
            assert_ne!(term_key(a), term_key(b), "{a:?} vs {b:?}");
        }
    }

    #[test]
    fn term_keys_fold_case_fully_and_order_marks() {
        let same = [
            // Capital dotted I with a mark below, against the small i with
            // the two marks typed the other way round.
            ("\u{130}\u{339}stanbul", "i\u{339}\u{307}stanbul"),
            ("\u{130}\u{339}stanbul", "i\u{307}\u{339}stanbul"),
            ("Straße", "STRASSE"),                  // full folding: ß is ss
            ("ẞ", "ss"),                            // capital sharp s
            ("ΣΟΦΟΣ", "σοφος"),                     // final sigma
            ("ﬁnance", "FINANCE"),                  // ligature folds to fi
            ("e\u{301}", "\u{c9}"),                 // NFD against NFC, and case
            ("a\u{323}\u{302}", "a\u{302}\u{323}"), // marks in either order
            ("\u{1f80}", "\u{1f08}\u{345}"),        // ypogegrammeni folds to iota
        ];
        for (a, b) in same {
            assert_eq!(term_key(a), term_key(b), "{a:?} vs {b:?}");
        }
        let different = [("istanbul", "\u{130}stanbul"), ("resume", "résumé")];
        for (a, b) in different {
            assert_ne!(term_key(a), term_key(b), "{a:?} vs {b:?}");
        }
        // A key is its own key: slugs are made from keys again.
        for (a, b) in same.iter().chain(&different) {
            for s in [a, b] {
                let key = term_key(s);
                assert_eq!(term_key(&key), key, "{s:?}");
                assert_eq!(slugify(&key), slugify(s), "{s:?}");
            }
        }
    }

    #[test]
    fn slugs_keep_arabic_letters() {
        let cases = [
            ("شي جين بينغ", "شي-جين-بينغ"),
            ("منتدى الحزام والطريق", "منتدى-الحزام-والطريق"),
            ("الاقتِصاد", "الاقتصاد"),
            ("G20 Summit!", "g20-summit"),
            ("قمة ٢٠٢٣", "قمة-2023"),
            ("  --روسيا--  ", "روسيا"),
            ("Putin_Beijing.visit", "putin-beijing-visit"),
            ("café", "café"),
            ("!!!", ""),
            ("", ""),
        ];
        for (input, want) in cases {
            assert_eq!(slugify(input), want, "{input:?}");
        }
    }

    #[test]
    fn the_zwnj_of_persian_words_stays() {
        let z = "\u{200C}";
        let tag = format!("کامنت{z}دونی");
        assert_eq!(slugify(&tag), tag);
        assert_eq!(slugify(&format!("{z}{tag}{z} !")), tag, "not at the ends");
        assert_eq!(slugify(&format!("می{z}روم{z}{z}")), format!("می{z}روم"));
        assert_eq!(slugify(&format!("x{z} y")), "x-y");
        assert_eq!(slugify(&format!("x{z}!y")), "x-y");
        assert!(is_valid_slug(&tag));
        assert_ne!(
            term_key(&tag),
            term_key("کامنتدونی"),
            "a visible difference"
        );
        assert_eq!(term_key(&tag), term_key(&format!("کامنت{z}{z}دونی ")));
    }

    #[test]
    fn yeh_and_kaf_merge_only_when_asked() {
        let (persian, arabic) = ("کتابخانهٔ ملی", "كتابخانهٔ ملي");
        assert_ne!(term_key(persian), term_key(arabic));
        let fa = |s| term_key_with(s, Letters::Persian);
        assert_eq!(fa(persian), fa(arabic));
        assert_eq!(fa(arabic), term_key(persian), "keys take the Persian forms");
        let ar = |s| term_key_with(s, Letters::Arabic);
        assert_eq!(ar(persian), term_key(arabic));
        assert_eq!(fa("على"), fa("علی"), "alef maksura is a Persian yeh");
    }

    #[test]
    fn slug_validity() {
        for ok in ["putin-beijing-visit", "بوتين-بكين", "a.b", "v2_final"] {
            assert!(is_valid_slug(ok), "{ok}");
        }
        for bad in [
            "", "../x", "a/b", ".hidden", "a b", "a\\b", "a?b", "a#b", "a%20b",
        ] {
            assert!(!is_valid_slug(bad), "{bad}");
        }
    }

    #[test]
    fn segment_lengths_count_bytes() {
        let cases = [
            ("", None),
            (&*"a".repeat(255), None),
            (&*"a".repeat(256), Some(256)),
            // Arabic letters are two bytes each: 127 fit, 128 do not.
            (&*"ب".repeat(127), None),
            (&*"ب".repeat(128), Some(256)),
            (&*"ب".repeat(131), Some(262)),
        ];
        for (segment, want) in cases {
            assert_eq!(segment_too_long(segment), want, "{}", segment.len());
        }
    }

    #[test]
    fn escaping() {
        assert_eq!(
            escape_html("<a href=\"x\">'&'</a>\u{1}\n"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;\n"
        );
        assert_eq!(
            escape_html("رويترز\u{FFFE}\u{FFFF}\u{FFFD}\u{1F}\t«ب»&"),
            "رويترز\u{FFFD}\t«ب»&amp;",
            "non-characters and controls go, the rest of the text stays"
        );
    }

    #[test]
    fn truncation_at_words() {
        assert_eq!(truncate("قصير", 10), "قصير");
        assert_eq!(truncate("كلمة أخرى ثالثة", 11), "كلمة أخرى…");
        assert_eq!(truncate("abcdefghij", 4), "abcd…");
    }

    #[test]
    fn digit_styles() {
        assert_eq!(Digits::Latin.apply("19 سبتمبر 2023"), "19 سبتمبر 2023");
        assert_eq!(Digits::Arabic.apply("19 سبتمبر 2023"), "١٩ سبتمبر ٢٠٢٣");
        assert_eq!(Digits::Persian.apply("28 شهریور 1402"), "۲۸ شهریور ۱۴۰۲");
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1234), "1,234");
        assert_eq!(thousands(1234567), "1,234,567");
    }
}
