//! Dates: parsing what editors write in front matter, and writing dates the
//! way newsrooms print them, in the site's language and calendar.

mod calendar;
mod names;
mod umm_al_qura;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use serde::Deserialize;

pub use calendar::{Calendar, Day, convert, hebrew_numeral};

use crate::lang::Language;
use crate::text::Digits;

/// Parses a front-matter date. Accepted: RFC 3339 (`2023-09-19T14:30:00+03:00`,
/// `Z` too), the same with a space instead of `T`, a local date and time
/// without an offset (`2023-09-19 14:30`), or a bare date (`2023-09-19`).
/// Dates without an offset are taken in the site's `timezone`.
pub fn parse(s: &str, tz: FixedOffset) -> Result<DateTime<FixedOffset>, String> {
    let date = parse_any(s, tz)?;
    // URLs, feeds and sitemaps need four-digit years, in UTC too.
    let utc_year = date.naive_utc().year();
    if !(1..=9999).contains(&date.year()) || !(1..=9999).contains(&utc_year) {
        return Err(format!("`{}` is outside the years 1 to 9999", s.trim()));
    }
    Ok(date)
}

fn parse_any(s: &str, tz: FixedOffset) -> Result<DateTime<FixedOffset>, String> {
    let s = s.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Ok(d);
    }
    // `%z` takes `+0300` and `+03:00`; `%.f` an optional fraction. Jekyll
    // and WordPress write `2016-05-27 20:10:00 +0300`.
    for fmt in [
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%.f %z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M:%S%.f %z",
        "%Y-%m-%d %H:%M%z",
        "%Y-%m-%d %H:%M %z",
        "%Y-%m-%dT%H:%M%z",
    ] {
        if let Ok(d) = DateTime::parse_from_str(s, fmt) {
            return Ok(d);
        }
    }
    let local = [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ]
    .iter()
    .find_map(|fmt| NaiveDateTime::parse_from_str(s, fmt).ok())
    .or_else(|| {
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .ok()
            .map(|d| d.and_time(NaiveTime::MIN))
    });
    match local {
        Some(naive) => tz
            .from_local_datetime(&naive)
            .single()
            .ok_or_else(|| format!("`{s}` does not exist in the site's timezone")),
        None => Err(format!("`{s}` is not a valid date")),
    }
}

/// Parses a fixed UTC offset such as `+03:00`, `-05:30` or `Z`.
pub fn parse_offset(s: &str) -> Option<FixedOffset> {
    let s = s.trim();
    if s == "Z" || s.eq_ignore_ascii_case("utc") {
        return FixedOffset::east_opt(0);
    }
    let (sign, rest) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => return None,
    };
    let (h, m) = rest.split_once(':').unwrap_or((rest, "0"));
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    if !(0..=14).contains(&h) || !(0..60).contains(&m) {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

/// Which names the Gregorian months go by, and so in which language
/// dates are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MonthNames {
    /// Egypt, Sudan and the Gulf: سبتمبر
    Egyptian,
    /// The Levant and Iraq: أيلول
    Levantine,
    /// Both, as pan-Arab outlets print them: سبتمبر/أيلول
    Both,
    /// Morocco: شتنبر، يوليوز، غشت
    Moroccan,
    /// Algeria and Tunisia, from French: سبتمبر، جويلية، أوت
    Algerian,
    /// سپتامبر
    Persian,
    /// ستمبر
    Urdu,
    /// ספטמבר
    Hebrew,
    /// September
    English,
}

impl MonthNames {
    pub const ALL: [MonthNames; 9] = [
        MonthNames::Egyptian,
        MonthNames::Levantine,
        MonthNames::Both,
        MonthNames::Moroccan,
        MonthNames::Algerian,
        MonthNames::Persian,
        MonthNames::Urdu,
        MonthNames::Hebrew,
        MonthNames::English,
    ];

    /// The default for a site language: both Arabic names for Arabic, the
    /// language's own for Persian, Urdu and Hebrew, English otherwise.
    pub fn for_language(lang: &str) -> MonthNames {
        match Language::of(lang) {
            Some(Language::Arabic) => MonthNames::Both,
            Some(Language::Persian) => MonthNames::Persian,
            Some(Language::Urdu) => MonthNames::Urdu,
            Some(Language::Hebrew) => MonthNames::Hebrew,
            Some(Language::English) | None => MonthNames::English,
        }
    }

    /// The language dates are written in with these names: its weekdays
    /// and CLDR's order of day, month and year.
    pub fn language(self) -> Language {
        match self {
            MonthNames::Persian => Language::Persian,
            MonthNames::Urdu => Language::Urdu,
            MonthNames::Hebrew => Language::Hebrew,
            MonthNames::English => Language::English,
            _ => Language::Arabic,
        }
    }

    /// The name of `month` (1–12).
    pub fn name(self, month: u32) -> String {
        let mut s = String::new();
        self.push_name(&mut s, month);
        s
    }

    fn push_name(self, s: &mut String, month: u32) {
        let i = (month.clamp(1, 12) - 1) as usize;
        let names = match self {
            MonthNames::Egyptian => &names::EGYPTIAN,
            MonthNames::Levantine => &names::LEVANTINE,
            MonthNames::Both => {
                s.push_str(names::EGYPTIAN[i]);
                s.push('/');
                &names::LEVANTINE
            }
            MonthNames::Moroccan => &names::MOROCCAN,
            MonthNames::Algerian => &names::ALGERIAN,
            MonthNames::Persian => &names::PERSIAN,
            MonthNames::Urdu => &names::URDU,
            MonthNames::Hebrew => &names::HEBREW,
            MonthNames::English => &names::ENGLISH,
        };
        s.push_str(names[i]);
    }
}

fn weekday(lang: Language, date: &DateTime<FixedOffset>) -> &'static str {
    let i = date.weekday().num_days_from_sunday() as usize;
    match lang {
        Language::Arabic => names::WEEKDAYS_AR[i],
        Language::Persian => names::WEEKDAYS_FA[i],
        Language::Urdu => names::WEEKDAYS_UR[i],
        Language::Hebrew => names::WEEKDAYS_HE[i],
        Language::English => names::WEEKDAYS_EN[i],
    }
}

/// How dates are shown to readers, from site.yaml.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateStyle {
    pub months: MonthNames,
    pub digits: Digits,
    /// Shown after times in the site's timezone: "14:30 بتوقيت مكة".
    pub zone_label: Option<String>,
    /// The site's timezone: a time at another offset says its offset.
    pub timezone: FixedOffset,
    /// The calendar of `long` and `full` dates. Archives (`month`) are
    /// always Gregorian, as their URLs are.
    pub calendar: Calendar,
}

impl Default for DateStyle {
    fn default() -> Self {
        DateStyle {
            months: MonthNames::Both,
            digits: Digits::Latin,
            zone_label: None,
            timezone: FixedOffset::east_opt(0).expect("UTC"),
            calendar: Calendar::Gregorian,
        }
    }
}

/// The formats of the `arabic_date` filter.
pub const FORMATS: [&str; 10] = [
    "long",
    "full",
    "short",
    "month",
    "time",
    "iso",
    "gregorian",
    "persian",
    "hebrew",
    "hijri",
];

impl DateStyle {
    /// "19 سبتمبر/أيلول 2023", in the site's calendar.
    pub fn long(&self, date: &DateTime<FixedOffset>) -> String {
        self.in_calendar(date, self.calendar)
    }

    /// "19 سبتمبر/أيلول 2023"
    pub fn day(&self, year: i32, month: u32, day: u32) -> String {
        let mut s = String::with_capacity(48);
        self.push_gregorian(&mut s, year, month, day);
        self.digits.apply_in_place(s)
    }

    /// The day, month and year in the order and with the words of the
    /// language of the month names (CLDR's `long` pattern).
    fn push_gregorian(&self, s: &mut String, year: i32, month: u32, day: u32) {
        use std::fmt::Write;
        let _ = write!(s, "{day} ");
        if self.months == MonthNames::Hebrew {
            s.push('ב');
        }
        self.months.push_name(s, month);
        let _ = match self.months.language() {
            // "19 ستمبر، 2023"
            Language::Urdu => write!(s, "، {year}"),
            _ => write!(s, " {year}"),
        };
    }

    /// `date` as a long date in `calendar`: "28 شهریور 1402",
    /// "ד׳ בתשרי תשפ״ד", "4 ربيع الأول 1445 هـ" (digits as the site's).
    pub fn in_calendar(&self, date: &DateTime<FixedOffset>, calendar: Calendar) -> String {
        let naive = date.date_naive();
        let Some(day) = calendar::convert(naive, calendar) else {
            return String::new();
        };
        let month = day.month_name(calendar);
        let text = match calendar {
            Calendar::Gregorian => {
                return self.day(date.year(), date.month(), date.day());
            }
            Calendar::Persian => format!("{} {month} {}", day.day, day.year),
            Calendar::Hijri => format!("{} {month} {} هـ", day.day, day.year),
            Calendar::Hebrew => {
                return format!(
                    "{} ב{month} {}",
                    calendar::hebrew_numeral(day.day.into()),
                    calendar::hebrew_numeral(day.year)
                );
            }
        };
        self.digits.apply_in_place(text)
    }

    /// "سبتمبر/أيلول 2023"
    pub fn month_year(&self, year: i32, month: u32) -> String {
        self.digits
            .apply(&format!("{} {year}", self.months.name(month)))
    }

    /// One of `FORMATS`; `None` for an unknown format.
    pub fn format(&self, date: &DateTime<FixedOffset>, format: &str) -> Option<String> {
        Some(match format {
            "long" => self.long(date),
            // CLDR's `full`: "الثلاثاء، 19 سبتمبر/أيلول 2023"
            "full" => {
                let lang = self.months.language();
                let between = match lang {
                    Language::Arabic | Language::Urdu => "، ",
                    Language::Hebrew | Language::English => ", ",
                    Language::Persian => " ",
                };
                format!("{}{between}{}", weekday(lang, date), self.long(date))
            }
            "short" => self.short(date),
            "month" => self.month_year(date.year(), date.month()),
            // "14:30 بتوقيت مكة"; "11:30 (UTC+00:00)" for a time written at
            // another offset than the site's, which the label would misname.
            "time" => {
                let time = self.digits.apply(&date.format("%H:%M").to_string());
                match &self.zone_label {
                    _ if *date.offset() != self.timezone => {
                        let offset = self.digits.apply(&date.format("%:z").to_string());
                        format!("{time} (UTC{offset})")
                    }
                    Some(label) => format!("{time} {label}"),
                    None => time,
                }
            }
            "iso" => date.to_rfc3339(),
            other => {
                let calendar = Calendar::ALL.into_iter().find(|c| c.name() == other)?;
                self.in_calendar(date, calendar)
            }
        })
    }

    /// "19/09/2023"; "1402/06/28" in the Solar Hijri calendar.
    fn short(&self, date: &DateTime<FixedOffset>) -> String {
        let text = match calendar::convert(date.date_naive(), self.calendar) {
            Some(d) if self.calendar == Calendar::Persian => {
                format!("{}/{:02}/{:02}", d.year, d.month, d.day)
            }
            Some(d) if self.calendar != Calendar::Hebrew => {
                format!("{:02}/{:02}/{}", d.day, d.month, d.year)
            }
            _ => date.format("%d/%m/%Y").to_string(),
        };
        self.digits.apply_in_place(text)
    }
}

/// The Umm al-Qura (Saudi official) Hijri date of `date`'s day:
/// "4 ربيع الأول 1445 هـ".
pub fn hijri(date: &DateTime<FixedOffset>, digits: Digits) -> String {
    let style = DateStyle {
        digits,
        ..DateStyle::default()
    };
    style.in_calendar(date, Calendar::Hijri)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tz3() -> FixedOffset {
        FixedOffset::east_opt(3 * 3600).unwrap()
    }

    #[test]
    fn parses_the_forms_editors_write() {
        let want = "2023-09-19T14:30:00+03:00";
        for input in [
            "2023-09-19T14:30:00+03:00",
            "2023-09-19 14:30:00+03:00",
            "2023-09-19 14:30:00 +03:00",
            "2023-09-19T14:30+03:00",
            "2023-09-19 14:30:00 +0300",
            "2023-09-19 14:30 +0300",
            "2023-09-19 14:30+03:00",
            "2023-09-19T14:30:00.000+0300",
            "2023-09-19T11:30:00Z",
            "2023-09-19T14:30:00",
            "2023-09-19 14:30",
        ] {
            let d = parse(input, tz3()).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(d, DateTime::parse_from_rfc3339(want).unwrap(), "{input}");
        }
        let bare = parse("2022-03-08", tz3()).unwrap();
        assert_eq!(bare.to_rfc3339(), "2022-03-08T00:00:00+03:00");
    }

    #[test]
    fn rejects_non_dates_with_a_hint() {
        assert_eq!(
            parse("-0044-03-15", tz3()).unwrap_err(),
            "`-0044-03-15` is outside the years 1 to 9999"
        );
        assert!(parse("+10000-01-01T00:00:00Z", tz3()).is_err());
        assert!(
            parse("0001-01-01T01:00:00+03:00", tz3()).is_err(),
            "year 0 in UTC"
        );
        assert!(parse("9999-12-31", tz3()).is_ok());
        for bad in ["yesterday", "2023-13-01", "2023-02-30", "19/09/2023", ""] {
            let err = parse(bad, tz3()).unwrap_err();
            assert_eq!(err, format!("`{bad}` is not a valid date"));
        }
    }

    #[test]
    fn offsets() {
        assert_eq!(parse_offset("+03:00"), FixedOffset::east_opt(10800));
        assert_eq!(parse_offset("-05:30"), FixedOffset::east_opt(-19800));
        assert_eq!(parse_offset("Z"), FixedOffset::east_opt(0));
        assert_eq!(parse_offset("+3"), FixedOffset::east_opt(10800));
        assert_eq!(parse_offset("Asia/Riyadh"), None);
        assert_eq!(parse_offset("+15:00"), None);
    }

    #[test]
    fn month_styles() {
        let d = DateTime::parse_from_rfc3339("2023-09-19T14:30:00+03:00").unwrap();
        let style = |months, digits| DateStyle {
            months,
            digits,
            timezone: FixedOffset::east_opt(3 * 3600).unwrap(),
            ..DateStyle::default()
        };
        use Digits::*;
        use MonthNames::*;
        assert_eq!(style(Both, Latin).long(&d), "19 سبتمبر/أيلول 2023");
        assert_eq!(style(Egyptian, Latin).long(&d), "19 سبتمبر 2023");
        assert_eq!(style(Levantine, Arabic).long(&d), "١٩ أيلول ٢٠٢٣");
        assert_eq!(Levantine.name(1), "كانون الثاني");
        assert_eq!(Egyptian.name(12), "ديسمبر");
        assert_eq!(
            style(Both, Latin).month_year(2023, 10),
            "أكتوبر/تشرين الأول 2023"
        );
        let july = DateTime::parse_from_rfc3339("2024-07-26T23:40:00+02:00").unwrap();
        assert_eq!(style(Moroccan, Latin).long(&july), "26 يوليوز 2024");
        assert_eq!(style(Algerian, Latin).long(&july), "26 جويلية 2024");
        assert_eq!(style(Moroccan, Latin).long(&d), "19 شتنبر 2023");
        assert_eq!(style(English, Latin).long(&d), "19 September 2023");
    }

    #[test]
    fn formats() {
        let d = DateTime::parse_from_rfc3339("2023-09-19T14:30:00+03:00").unwrap();
        let mut style = DateStyle {
            timezone: FixedOffset::east_opt(3 * 3600).unwrap(),
            ..DateStyle::default()
        };
        let f = |s: &DateStyle, fmt| s.format(&d, fmt).unwrap();
        assert_eq!(f(&style, "full"), "الثلاثاء، 19 سبتمبر/أيلول 2023");
        assert_eq!(f(&style, "short"), "19/09/2023");
        assert_eq!(f(&style, "time"), "14:30");
        assert_eq!(f(&style, "iso"), "2023-09-19T14:30:00+03:00");
        style.zone_label = Some("بتوقيت مكة".into());
        style.digits = Digits::Arabic;
        assert_eq!(f(&style, "time"), "١٤:٣٠ بتوقيت مكة");
        let utc = DateTime::parse_from_rfc3339("2023-09-19T11:30:00Z").unwrap();
        assert_eq!(style.format(&utc, "time").unwrap(), "١١:٣٠ (UTC+٠٠:٠٠)");
        assert_eq!(f(&style, "full"), "الثلاثاء، ١٩ سبتمبر/أيلول ٢٠٢٣");
        style.months = MonthNames::English;
        style.digits = Digits::Latin;
        assert_eq!(f(&style, "full"), "Tuesday, 19 September 2023");
        assert_eq!(style.format(&d, "weird"), None);
    }

    #[test]
    fn umm_al_qura_dates() {
        // Known pairs from the Umm al-Qura calendar.
        let cases = [
            ("2023-09-19", "4 ربيع الأول 1445 هـ"),
            ("2023-03-23", "1 رمضان 1444 هـ"),
            ("2023-04-21", "1 شوال 1444 هـ"),
            ("2023-06-28", "10 ذو الحجة 1444 هـ"),
            ("2024-07-07", "1 محرم 1446 هـ"),
            ("2022-04-02", "1 رمضان 1443 هـ"),
        ];
        for (gregorian, want) in cases {
            let d = parse(gregorian, FixedOffset::east_opt(10800).unwrap()).unwrap();
            assert_eq!(hijri(&d, Digits::Latin), want, "{gregorian}");
        }
        let d = parse("2023-09-19", FixedOffset::east_opt(10800).unwrap()).unwrap();
        assert_eq!(hijri(&d, Digits::Arabic), "٤ ربيع الأول ١٤٤٥ هـ");
    }
}
