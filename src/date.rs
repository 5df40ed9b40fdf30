//! Dates: parsing what editors write in front matter, and writing dates the
//! way Arabic newsrooms print them.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use serde::Deserialize;

use crate::text::Digits;

/// Parses a front-matter date. Accepted: RFC 3339 (`2023-09-19T14:30:00+03:00`,
/// `Z` too), the same with a space instead of `T`, a local date and time
/// without an offset (`2023-09-19 14:30`), or a bare date (`2023-09-19`).
/// Dates without an offset are taken in the site's `timezone`.
pub fn parse(s: &str, tz: FixedOffset) -> Result<DateTime<FixedOffset>, String> {
    let s = s.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Ok(d);
    }
    for fmt in [
        "%Y-%m-%d %H:%M:%S%:z",
        "%Y-%m-%d %H:%M:%S %:z",
        "%Y-%m-%dT%H:%M%:z",
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

/// Which names the months go by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MonthNames {
    /// Egypt and the Gulf: سبتمبر
    Egyptian,
    /// The Levant and Iraq: أيلول
    Levantine,
    /// Both, as pan-Arab outlets print them: سبتمبر/أيلول
    #[default]
    Both,
}

const EGYPTIAN: [&str; 12] = [
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
];
const LEVANTINE: [&str; 12] = [
    "كانون الثاني",
    "شباط",
    "آذار",
    "نيسان",
    "أيار",
    "حزيران",
    "تموز",
    "آب",
    "أيلول",
    "تشرين الأول",
    "تشرين الثاني",
    "كانون الأول",
];

impl MonthNames {
    /// The name of `month` (1–12).
    pub fn name(self, month: u32) -> String {
        let i = (month.clamp(1, 12) - 1) as usize;
        match self {
            MonthNames::Egyptian => EGYPTIAN[i].to_owned(),
            MonthNames::Levantine => LEVANTINE[i].to_owned(),
            MonthNames::Both => format!("{}/{}", EGYPTIAN[i], LEVANTINE[i]),
        }
    }
}

/// How dates are shown to readers, from site.yaml.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DateStyle {
    pub months: MonthNames,
    pub digits: Digits,
}

impl DateStyle {
    /// "19 سبتمبر/أيلول 2023"
    pub fn long(self, date: &DateTime<FixedOffset>) -> String {
        self.day(date.year(), date.month(), date.day())
    }

    /// "19 سبتمبر/أيلول 2023"
    pub fn day(self, year: i32, month: u32, day: u32) -> String {
        self.digits
            .apply(&format!("{day} {} {year}", self.months.name(month)))
    }

    /// "سبتمبر/أيلول 2023"
    pub fn month_year(self, year: i32, month: u32) -> String {
        self.digits
            .apply(&format!("{} {year}", self.months.name(month)))
    }
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
        let style = |months, digits| DateStyle { months, digits };
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
    }
}
