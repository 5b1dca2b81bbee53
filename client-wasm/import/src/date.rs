//! Dates as the ledger keeps them (`YYYY-MM-DD`), read from what exports and the
//! spreadsheets that re-save them write. `2024-05-03` and `03.05.2024` mean one day
//! each; `03/05/2024` means the 3rd of May in Paris and March 5th in New York, so the
//! order of such dates is learned from the whole file, or given by the user.

use serde::{Deserialize, Serialize};

/// The order of day and month in dates like `03/05/2024`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateOrder {
    /// `03/05/2024` is the 3rd of May (most of the world).
    DayMonthYear,
    /// `03/05/2024` is March 5th (the United States).
    MonthDayYear,
}

/// A date's parts as written, before day and month are told apart.
enum Written {
    /// Year first: unambiguous.
    Iso(u32, u32, u32),
    /// Day, month, year with dots: unambiguous.
    Dotted(u32, u32, u32),
    /// Two numbers then a year, separated by `/` or `-`: which is the day depends.
    Either(u32, u32, u32),
}

fn split(text: &str) -> Result<Written, &'static str> {
    // The day is the first token; a time of day (or "T…") may follow and is not needed.
    let day = text.trim().split([' ', 'T']).next().unwrap_or("");
    let sep = day
        .chars()
        .find(|c| matches!(c, '-' | '/' | '.'))
        .ok_or("expected a date like 2024-05-31")?;
    let parts: Vec<&str> = day.split(sep).collect();
    let [a, b, c] = parts[..] else {
        return Err("expected three numbers");
    };
    if [a, b, c]
        .iter()
        .any(|p| p.is_empty() || p.len() > 4 || !p.bytes().all(|d| d.is_ascii_digit()))
    {
        return Err("expected three numbers");
    }
    let n = |p: &str| p.parse::<u32>().unwrap_or(0);
    match (a.len(), c.len(), sep) {
        (4, 1..=2, '-' | '/' | '.') => Ok(Written::Iso(n(a), n(b), n(c))),
        (1..=2, 4, '.') => Ok(Written::Dotted(n(a), n(b), n(c))),
        (1..=2, 4, _) => Ok(Written::Either(n(a), n(b), n(c))),
        _ => Err("the year must have four digits"),
    }
}

/// What the file's ambiguous dates say about their order: `Ok(None)` if they say
/// nothing (every one of them has day and month both 12 or less).
pub(crate) fn learn_order<'a>(
    dates: impl Iterator<Item = (u64, &'a str)>,
) -> Result<Option<DateOrder>, (u64, &'static str)> {
    let mut seen: Option<(DateOrder, u64)> = None;
    for (line, text) in dates {
        let Ok(Written::Either(a, b, _)) = split(text) else {
            continue;
        };
        let this = match (a > 12, b > 12) {
            (true, false) => DateOrder::DayMonthYear,
            (false, true) => DateOrder::MonthDayYear,
            _ => continue,
        };
        match seen {
            Some((order, _)) if order != this => {
                return Err((line, "the file mixes day-first and month-first dates"));
            }
            _ => seen = Some((this, line)),
        }
    }
    Ok(seen.map(|(order, _)| order))
}

/// Reads a date as `YYYY-MM-DD`. `order` says how to read `03/05/2024`; without it such a
/// date is refused (with days over 12 it reads itself).
pub(crate) fn parse_date(text: &str, order: Option<DateOrder>) -> Result<String, &'static str> {
    let (y, m, d) = match split(text)? {
        Written::Iso(y, m, d) => (y, m, d),
        Written::Dotted(d, m, y) => (y, m, d),
        Written::Either(a, b, y) => match (order, a > 12, b > 12) {
            (_, true, true) => return Err("neither number can be the month"),
            (Some(DateOrder::DayMonthYear), _, _) | (None, true, false) => (y, b, a),
            (Some(DateOrder::MonthDayYear), _, _) | (None, false, true) => (y, a, b),
            (None, false, false) => {
                return Err("it could be day/month or month/day: choose the date order");
            }
        },
    };
    if !(1000..=9999).contains(&y) || !(1..=12).contains(&m) || d < 1 || d > days_in(y, m) {
        return Err("no such day");
    }
    Ok(format!("{y:04}-{m:02}-{d:02}"))
}

fn days_in(y: u32, m: u32) -> u32 {
    match m {
        2 if y.is_multiple_of(4) && (!y.is_multiple_of(100) || y.is_multiple_of(400)) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unambiguous_dates_read_themselves() {
        assert_eq!(parse_date("2024-05-03", None).unwrap(), "2024-05-03");
        assert_eq!(parse_date("2024-5-3", None).unwrap(), "2024-05-03");
        assert_eq!(
            parse_date("2024-05-03T19:30:00Z", None).unwrap(),
            "2024-05-03"
        );
        assert_eq!(parse_date("2024-05-03 19:30", None).unwrap(), "2024-05-03");
        assert_eq!(parse_date("03.05.2024", None).unwrap(), "2024-05-03");
        assert_eq!(parse_date("31/05/2024", None).unwrap(), "2024-05-31");
        assert_eq!(parse_date("05/31/2024 10:00", None).unwrap(), "2024-05-31");
        assert_eq!(parse_date("2024-02-29", None).unwrap(), "2024-02-29");
    }

    #[test]
    fn ambiguous_or_impossible_dates_are_refused() {
        assert!(parse_date("03/05/2024", None).is_err());
        assert_eq!(
            parse_date("03/05/2024", Some(DateOrder::DayMonthYear)).unwrap(),
            "2024-05-03"
        );
        assert_eq!(
            parse_date("03/05/2024", Some(DateOrder::MonthDayYear)).unwrap(),
            "2024-03-05"
        );
        for bad in [
            "",
            "yesterday",
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "03/05/24",
            "31/31/2024",
            "1.2.3.4",
            "99999-01-01",
            "2024-04-31",
        ] {
            assert!(
                parse_date(bad, Some(DateOrder::DayMonthYear)).is_err(),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn the_order_is_learned_from_the_whole_file() {
        let dates = [(2, "03/05/2024"), (3, "25/05/2024")];
        assert_eq!(
            learn_order(dates.into_iter()),
            Ok(Some(DateOrder::DayMonthYear))
        );
        let dates = [(2, "03/05/2024"), (3, "04/06/2024")];
        assert_eq!(learn_order(dates.into_iter()), Ok(None));
        let dates = [(2, "25/05/2024"), (3, "05/25/2024")];
        assert_eq!(learn_order(dates.into_iter()).unwrap_err().0, 3);
    }
}
