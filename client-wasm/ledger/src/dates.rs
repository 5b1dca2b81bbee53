//! Calendar days, `YYYY-MM-DD`: what expense and recurring dates are. A day carries no
//! time zone, so it is the same day on every device; "today" is always the caller's (the
//! device's own calendar day), never read from a clock here.
//!
//! Days are counted from 1970-01-01 with the civil-from-days conversion of Howard
//! Hinnant's "chrono-Compatible Low-Level Date Algorithms" (proleptic Gregorian): a few
//! lines instead of a calendar crate in the client wasm, which is at its size budget.
//! The tests check it against the `time` crate.

use crate::Error;

/// The earliest and latest years a day may have: far beyond any expense, and far inside
/// what the arithmetic handles.
const YEARS: std::ops::RangeInclusive<i64> = 1900..=2999;

/// A calendar day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Day {
    /// Year, 1900–2999.
    pub year: i64,
    /// Month, 1–12.
    pub month: u8,
    /// Day of the month, 1–31.
    pub day: u8,
}

fn leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// The number of days in `month` of `year`.
pub(crate) fn month_length(year: i64, month: u8) -> u8 {
    match month {
        2 if leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl Day {
    /// Days since 1970-01-01.
    pub(crate) fn number(self) -> i64 {
        let y = if self.month <= 2 {
            self.year - 1
        } else {
            self.year
        };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The day `n` days after 1970-01-01, if its year is within range.
    pub(crate) fn from_number(n: i64) -> Option<Day> {
        // Far outside 1900–2999 either way: no arithmetic on it.
        if !(-40_000..=400_000).contains(&n) {
            return None;
        }
        let z = n + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = (if mp < 10 { mp + 3 } else { mp - 9 }) as u8;
        let year = yoe + era * 400 + i64::from(month <= 2);
        YEARS.contains(&year).then_some(Day { year, month, day })
    }

    /// `n` days later (or earlier), if still within range.
    pub(crate) fn add_days(self, n: i64) -> Option<Day> {
        Day::from_number(self.number().checked_add(n)?)
    }

    /// `months` months later, on day `anchor` of that month or its last day when the
    /// month is shorter: the 31st gives 30 April and 28 or 29 February, then 31 March
    /// again (the anchor is the rule's day, so months never drift).
    pub(crate) fn add_months(self, anchor: u8, months: i64) -> Option<Day> {
        let index = (self.year * 12 + i64::from(self.month) - 1).checked_add(months)?;
        let year = index.div_euclid(12);
        let month = (index.rem_euclid(12) + 1) as u8;
        YEARS.contains(&year).then(|| Day {
            year,
            month,
            day: anchor.min(month_length(year, month)),
        })
    }
}

/// Reads `YYYY-MM-DD` strictly: zero-padded, a real day, a year within 1900–2999.
pub(crate) fn parse(s: &str) -> Result<Day, Error> {
    let bad = || Error::BadDate(format!("not a day (YYYY-MM-DD): {s:?}"));
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(bad());
    }
    let digits = |r: std::ops::Range<usize>| -> Result<i64, Error> {
        let part = &b[r];
        if !part.iter().all(u8::is_ascii_digit) {
            return Err(bad());
        }
        Ok(part.iter().fold(0, |n, d| n * 10 + i64::from(d - b'0')))
    };
    let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    if !YEARS.contains(&year) || !(1..=12).contains(&month) {
        return Err(bad());
    }
    let (month, day) = (month as u8, day as u8);
    if day == 0 || day > month_length(year, month) {
        return Err(bad());
    }
    Ok(Day { year, month, day })
}

impl std::fmt::Display for Day {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn day(s: &str) -> Day {
        parse(s).unwrap()
    }

    #[test]
    fn hostile_member_days_are_strict_calendar_days() {
        assert_eq!(day("2028-02-29").to_string(), "2028-02-29");
        for bad in [
            "2027-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-01-00",
            "2026-1-01",
            "26-01-01",
            "2026-01-01T00:00",
            "+026-01-01",
            "0000-01-01",
            "9999-12-31",
            "",
            "2026/01/01",
            "２０２６-01-01",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn month_ends_clamp_and_do_not_drift() {
        let jan31 = day("2027-01-31");
        let months: Vec<String> = (0..4)
            .map(|n| jan31.add_months(31, n).unwrap().to_string())
            .collect();
        assert_eq!(
            months,
            ["2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30"]
        );
        assert_eq!(
            day("2028-01-31").add_months(31, 1).unwrap().to_string(),
            "2028-02-29"
        );
        let leap = day("2028-02-29");
        assert_eq!(leap.add_months(29, 12).unwrap().to_string(), "2029-02-28");
        assert_eq!(leap.add_months(29, 48).unwrap().to_string(), "2032-02-29");
        assert!(day("2999-12-01").add_months(1, 1).is_none());
        assert!(day("2999-12-31").add_days(1).is_none());
        assert!(day("1900-01-01").add_days(i64::MAX).is_none());
    }

    proptest! {
        /// The hand-written calendar agrees with the `time` crate on every day
        /// 1900–2999: numbering, adding days, reading and writing.
        #[test]
        fn days_agree_with_the_time_crate(n in -25_567i64..375_000, k in -4000i64..4000) {
            let ours = Day::from_number(n).unwrap();
            let epoch = time::Date::from_calendar_date(1970, time::Month::January, 1).unwrap();
            let theirs = epoch + time::Duration::days(n);
            prop_assert_eq!(
                (ours.year, ours.month, ours.day),
                (i64::from(theirs.year()), u8::from(theirs.month()), theirs.day())
            );
            prop_assert_eq!(ours.number(), n);
            prop_assert_eq!(parse(&ours.to_string()).unwrap(), ours);
            let later = theirs.checked_add(time::Duration::days(k)).filter(|d| (1900..=2999).contains(&d.year()));
            prop_assert_eq!(
                ours.add_days(k).map(|d| d.number()),
                later.map(|d| (d - epoch).whole_days())
            );
        }
    }
}
