//! Calendar days, `YYYY-MM-DD`: what expense and recurring dates are. A day carries no
//! time zone, so it is the same day on every device; "today" is always the caller's (the
//! device's own calendar day), never read from a clock here.

use time::{Date, Duration, Month};

use crate::Error;

/// The earliest and latest years a day may have: far beyond any expense, and far inside
/// what the calendar arithmetic handles.
const YEARS: std::ops::RangeInclusive<i32> = 1900..=2999;

/// Reads `YYYY-MM-DD` strictly (zero-padded, a real day of the proleptic Gregorian
/// calendar, a year within 1900–2999).
pub(crate) fn parse(s: &str) -> Result<Date, Error> {
    let bad = || Error::BadDate(format!("not a day (YYYY-MM-DD): {s:?}"));
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(bad());
    }
    let digits = |r: std::ops::Range<usize>| -> Result<u32, Error> {
        let part = &s[r];
        if !part.bytes().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        part.parse().map_err(|_| bad())
    };
    let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    let year = i32::try_from(year).map_err(|_| bad())?;
    if !YEARS.contains(&year) {
        return Err(bad());
    }
    let month = u8::try_from(month)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .ok_or_else(bad)?;
    let day = u8::try_from(day).map_err(|_| bad())?;
    Date::from_calendar_date(year, month, day).map_err(|_| bad())
}

/// Whether `s` is a day as [`parse`] reads it.
pub fn is_day(s: &str) -> bool {
    parse(s).is_ok()
}

/// `YYYY-MM-DD`.
pub(crate) fn format(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// `d` plus `n` days, if it stays within the years a day may have.
pub(crate) fn add_days(d: Date, n: i64) -> Option<Date> {
    d.checked_add(Duration::days(n))
        .filter(|d| YEARS.contains(&d.year()))
}

/// `months` after `d`'s month, on day `anchor` of that month, or its last day when the
/// month is shorter: the 31st gives 28 or 29 February, then 31 March again (the anchor
/// is the rule's day, so months never drift).
pub(crate) fn add_months(d: Date, anchor: u8, months: i64) -> Option<Date> {
    let index = i64::from(d.year()) * 12 + i64::from(u8::from(d.month())) - 1 + months;
    let year = i32::try_from(index.div_euclid(12)).ok()?;
    if !YEARS.contains(&year) {
        return None;
    }
    let month = Month::try_from(u8::try_from(index.rem_euclid(12) + 1).ok()?).ok()?;
    let day = anchor.min(month.length(year));
    Date::from_calendar_date(year, month, day).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Date {
        parse(s).unwrap()
    }

    #[test]
    fn days_are_strict_calendar_days() {
        assert_eq!(format(day("2028-02-29")), "2028-02-29");
        for bad in [
            "2027-02-29",
            "2026-13-01",
            "2026-1-01",
            "26-01-01",
            "2026-01-01T00:00",
            "+026-01-01",
            "0000-01-01",
            "9999-12-31",
            "",
            "2026/01/01",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn month_ends_clamp_and_do_not_drift() {
        let jan31 = day("2027-01-31");
        let months: Vec<String> = (0..4)
            .map(|n| format(add_months(jan31, 31, n).unwrap()))
            .collect();
        assert_eq!(
            months,
            ["2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30"]
        );
        assert_eq!(
            format(add_months(day("2028-01-31"), 31, 1).unwrap()),
            "2028-02-29"
        );
        // Yearly on 29 February: 28 February in common years.
        let leap = day("2028-02-29");
        assert_eq!(format(add_months(leap, 29, 12).unwrap()), "2029-02-28");
        assert_eq!(format(add_months(leap, 29, 48).unwrap()), "2032-02-29");
        assert_eq!(format(add_months(day("2026-12-15"), 15, -12).unwrap()), "2025-12-15");
        assert!(add_months(day("2999-12-01"), 1, 1).is_none());
        assert!(add_days(day("2999-12-31"), 1).is_none());
    }
}
