//! A day in the calendars a news archive prints: the Solar Hijri (Iran's
//! and Afghanistan's official calendar) and the Hebrew calendar from
//! ICU4X, and the Umm al-Qura Hijri calendar from the official printed
//! table where it has the day, ICU4X's computed one outside it.

use chrono::{Datelike, NaiveDate};
use icu_calendar::Date;
use icu_calendar::cal::{Hebrew, Hijri, Persian};
use serde::Deserialize;

use super::names;
use super::umm_al_qura;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Calendar {
    Gregorian,
    /// Solar Hijri (Jalali): ۲۸ شهریور ۱۴۰۲
    Persian,
    /// ד׳ בתשרי תשפ״ד
    Hebrew,
    /// Umm al-Qura: 4 ربيع الأول 1445 هـ
    Hijri,
}

impl Calendar {
    pub const ALL: [Calendar; 4] = [
        Calendar::Gregorian,
        Calendar::Persian,
        Calendar::Hebrew,
        Calendar::Hijri,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Calendar::Gregorian => "gregorian",
            Calendar::Persian => "persian",
            Calendar::Hebrew => "hebrew",
            Calendar::Hijri => "hijri",
        }
    }
}

/// A day in a calendar other than the Gregorian one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Day {
    pub year: i32,
    /// 1-based; for the Hebrew calendar CLDR's 1–13 (see `names`).
    pub month: u8,
    pub day: u8,
    /// A Hebrew leap year, whose month 7 is Adar II.
    pub leap: bool,
}

impl Day {
    pub fn month_name(&self, calendar: Calendar) -> &'static str {
        let i = usize::from(self.month.max(1) - 1);
        match calendar {
            Calendar::Hebrew if self.leap && self.month == 7 => names::ADAR_II,
            Calendar::Hebrew => names::HEBREW_CALENDAR[i.min(12)],
            Calendar::Persian => names::SOLAR_HIJRI[i.min(11)],
            Calendar::Hijri => names::HIJRI[i.min(11)],
            Calendar::Gregorian => names::ENGLISH[i.min(11)],
        }
    }
}

/// `date` in `calendar`; `None` where ICU4X cannot place it.
pub fn convert(date: NaiveDate, calendar: Calendar) -> Option<Day> {
    let iso = || Date::try_new_iso(date.year(), date.month() as u8, date.day() as u8).ok();
    let plain = |year, month, day| Day {
        year,
        month,
        day,
        leap: false,
    };
    Some(match calendar {
        Calendar::Gregorian => plain(date.year(), date.month() as u8, date.day() as u8),
        Calendar::Persian => {
            let d = iso()?.to_calendar(Persian::new());
            plain(d.extended_year(), d.month().ordinal, d.day_of_month().0)
        }
        Calendar::Hebrew => {
            let d = iso()?.to_calendar(Hebrew::new());
            let leap = d.is_in_leap_year();
            // ICU counts Adar I only in leap years; CLDR's names always
            // number it 6.
            let ordinal = d.month().ordinal;
            let month = if !leap && ordinal >= 6 {
                ordinal + 1
            } else {
                ordinal
            };
            Day {
                year: d.extended_year(),
                month,
                day: d.day_of_month().0,
                leap,
            }
        }
        Calendar::Hijri => match umm_al_qura::from_gregorian(date) {
            Some((y, m, d)) => plain(y, m, d),
            None => {
                let d = iso()?.to_calendar(Hijri::new_umm_al_qura());
                plain(d.extended_year(), d.month().ordinal, d.day_of_month().0)
            }
        },
    })
}

/// `n` in Hebrew letters, as Hebrew-calendar dates are printed (CLDR's
/// `hebr` numbering): 4 → ד׳, 15 → ט״ו, 5784 → תשפ״ד. Thousands are left
/// out, as in years.
pub fn hebrew_numeral(n: i32) -> String {
    const HUNDREDS: [&str; 5] = ["", "ק", "ר", "ש", "ת"];
    const TENS: [&str; 10] = ["", "י", "כ", "ל", "מ", "נ", "ס", "ע", "פ", "צ"];
    const ONES: [&str; 10] = ["", "א", "ב", "ג", "ד", "ה", "ו", "ז", "ח", "ט"];
    let mut n = n.rem_euclid(1000) as usize;
    let mut letters = String::new();
    while n >= 400 {
        letters.push('ת');
        n -= 400;
    }
    letters.push_str(HUNDREDS[n / 100]);
    n %= 100;
    // 15 and 16 are not written as parts of God's name.
    match n {
        15 => letters.push_str("טו"),
        16 => letters.push_str("טז"),
        _ => {
            letters.push_str(TENS[n / 10]);
            letters.push_str(ONES[n % 10]);
        }
    }
    let count = letters.chars().count();
    if count == 1 {
        letters.push('׳');
    } else if let Some((last, _)) = letters.char_indices().last() {
        letters.insert(last, '״');
    }
    letters
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hebrew_numerals() {
        let cases = [
            (1, "א׳"),
            (4, "ד׳"),
            (10, "י׳"),
            (11, "י״א"),
            (15, "ט״ו"),
            (16, "ט״ז"),
            (20, "כ׳"),
            (29, "כ״ט"),
            (30, "ל׳"),
            (5784, "תשפ״ד"),
            (5785, "תשפ״ה"),
            (5700, "ת״ש"),
            (5760, "תש״ס"),
            (5775, "תשע״ה"),
            (5000, ""),
        ];
        for (n, want) in cases {
            assert_eq!(hebrew_numeral(n), want, "{n}");
        }
    }
}
