//! Arabic-aware text rules: the key under which terms are grouped, slugs that
//! keep Arabic letters, and digit styles.

use unicode_normalization::UnicodeNormalization;

/// Marks a reader does not count as part of the word: tashkeel, Quranic
/// annotation signs, tatweel, and invisible direction/joiner controls.
fn is_ignorable(c: char) -> bool {
    matches!(c,
        '\u{064B}'..='\u{0652}'   // fathatan … sukun
        | '\u{0656}'..='\u{065F}' // other Arabic combining marks (not hamza/madda)
        | '\u{0670}'              // superscript alef
        | '\u{06D6}'..='\u{06ED}' // Quranic marks
        | '\u{0640}'              // tatweel
        | '\u{200B}'..='\u{200F}' // zero-width space, ZWNJ, ZWJ, LRM, RLM
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
pub fn term_key(name: &str) -> String {
    let decomposed: String = name.nfd().filter(|c| !is_ignorable(*c)).collect();
    let folded = unicase::UniCase::unicode(decomposed).to_folded_case();
    let mut key = String::with_capacity(folded.len());
    let mut pending_space = false;
    for c in folded.nfc() {
        if c.is_whitespace() {
            pending_space = !key.is_empty();
            continue;
        }
        if pending_space {
            key.push(' ');
            pending_space = false;
        }
        key.push(ascii_digit(c));
    }
    key
}

/// A URL slug that keeps letters of any script: `شي جين بينغ` → `شي-جين-بينغ`,
/// `G20 Summit!` → `g20-summit`. Anything but letters, marks and digits
/// becomes a single `-`. May be empty when `s` has no letters or digits.
pub fn slugify(s: &str) -> String {
    let mut slug = String::with_capacity(s.len());
    for c in term_key(s).chars() {
        if c.is_alphanumeric() || is_combining_mark(c) {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

fn is_combining_mark(c: char) -> bool {
    unicode_normalization::char::is_combining_mark(c)
}

/// Whether `slug` is safe to use as one URL path segment as written: letters,
/// marks, digits, `-`, `_` and non-leading `.` only.
pub fn is_valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && !slug.starts_with('.')
        && slug
            .chars()
            .all(|c| c.is_alphanumeric() || is_combining_mark(c) || matches!(c, '-' | '_' | '.'))
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
    /// ٠١٢٣٤٥٦٧٨٩
    Arabic,
}

impl Digits {
    /// `apply` without copying when the style keeps the text as it is.
    pub fn apply_in_place(self, s: String) -> String {
        match self {
            Digits::Latin => s,
            Digits::Arabic => self.apply(&s),
        }
    }

    /// Rewrites the ASCII digits of `s` in this style; other text is kept.
    pub fn apply(self, s: &str) -> String {
        match self {
            Digits::Latin => s.to_owned(),
            Digits::Arabic => s
                .chars()
                .map(|c| match c {
                    '0'..='9' => char::from_u32(0x0660 + (c as u32 - '0' as u32)).unwrap_or(c),
                    _ => c,
                })
                .collect(),
        }
    }
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
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1234), "1,234");
        assert_eq!(thousands(1234567), "1,234,567");
    }
}
