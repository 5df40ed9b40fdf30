//! The languages the theme knows completely, found from a site's or an
//! article's language tag, and their CLDR plural rules.

/// A language with a complete theme: words, plurals, dates and a font.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Language {
    Arabic,
    Persian,
    Urdu,
    Hebrew,
    English,
}

/// CLDR plural categories, in CLDR's order.
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
    pub const ALL: [Plural; 6] = [
        Plural::Zero,
        Plural::One,
        Plural::Two,
        Plural::Few,
        Plural::Many,
        Plural::Other,
    ];

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

impl Language {
    pub const ALL: [Language; 5] = [
        Language::Arabic,
        Language::Persian,
        Language::Urdu,
        Language::Hebrew,
        Language::English,
    ];

    /// The language of a tag such as `fa`, `ar-EG` or `he_IL`, from its
    /// primary subtag; `None` for one the theme does not know.
    pub fn of(tag: &str) -> Option<Language> {
        let primary = tag.split(['-', '_']).next().unwrap_or("");
        Language::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(primary))
    }

    pub fn code(self) -> &'static str {
        match self {
            Language::Arabic => "ar",
            Language::Persian => "fa",
            Language::Urdu => "ur",
            Language::Hebrew => "he",
            Language::English => "en",
        }
    }

    /// The CLDR cardinal plural category of the whole number `n`
    /// (CLDR 48 `plurals.json`; for integers `v = 0` and `i = n`).
    pub fn plural(self, n: u64) -> Plural {
        match self {
            Language::Arabic => match (n, n % 100) {
                (0, _) => Plural::Zero,
                (1, _) => Plural::One,
                (2, _) => Plural::Two,
                (_, 3..=10) => Plural::Few,
                (_, 11..=99) => Plural::Many,
                _ => Plural::Other,
            },
            // `i = 0 or n = 1`
            Language::Persian if n <= 1 => Plural::One,
            Language::Hebrew if n == 2 => Plural::Two,
            Language::Urdu | Language::Hebrew | Language::English if n == 1 => Plural::One,
            _ => Plural::Other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_find_their_language() {
        assert_eq!(Language::of("fa"), Some(Language::Persian));
        assert_eq!(Language::of("ar-EG"), Some(Language::Arabic));
        assert_eq!(Language::of("he_IL"), Some(Language::Hebrew));
        assert_eq!(Language::of("UR"), Some(Language::Urdu));
        assert_eq!(Language::of("ku"), None);
        assert_eq!(Language::of(""), None);
    }

    #[test]
    fn plural_categories() {
        use Plural::*;
        let ar = [(0, Zero), (1, One), (2, Two), (3, Few), (10, Few)];
        let ar_more = [(11, Many), (99, Many), (100, Other), (102, Other)];
        for (n, want) in ar.into_iter().chain(ar_more) {
            assert_eq!(Language::Arabic.plural(n), want, "ar {n}");
        }
        assert_eq!(Language::Arabic.plural(103), Few);
        assert_eq!(Language::Arabic.plural(1011), Many);
        assert_eq!(Language::Persian.plural(0), One);
        assert_eq!(Language::Persian.plural(2), Other);
        assert_eq!(Language::Urdu.plural(0), Other);
        assert_eq!(Language::Hebrew.plural(2), Two);
        assert_eq!(Language::Hebrew.plural(20), Other);
        assert_eq!(Language::English.plural(1), One);
    }
}
