//! Exact decimals: amounts in minor units and exchange rates as rationals. Never floats,
//! never a silent rounding. What a spreadsheet could have meant two ways is refused.

use gfms_ledger::{Rate, currency_exponent};

/// Reads an amount in `currency` as minor units. Accepts a sign (`-`, `+` or `−`), a
/// decimal mark that is `.` or `,`, and extra decimals only when they are zeros
/// ("1500.00" yen). Refuses thousands separators, and a single mark followed by exactly
/// three digits where the currency has fewer decimals ("1.000" euros: one, or a
/// thousand?). An empty cell is an error here; callers decide where blank means zero.
pub(crate) fn parse_amount(text: &str, currency: &str) -> Result<i64, &'static str> {
    let exponent = currency_exponent(currency) as usize;
    let (negative, whole, frac) = split_decimal(text)?;
    if frac.len() == 3 && exponent != 3 && (1..=3).contains(&whole.len()) && !whole.starts_with('0')
    {
        return Err("the mark could be a thousands separator: write the amount without one");
    }
    if frac.len() > exponent && frac.bytes().skip(exponent).any(|b| b != b'0') {
        return Err("more decimals than the currency has");
    }
    let mut minor: i64 = 0;
    let digits = whole
        .bytes()
        .chain(frac.bytes().chain(std::iter::repeat(b'0')).take(exponent));
    for d in digits {
        minor = minor
            .checked_mul(10)
            .and_then(|m| m.checked_add(i64::from(d - b'0')))
            .ok_or("too large")?;
    }
    if minor > MAX_MINOR {
        return Err("larger than the import accepts (10^13 minor units)");
    }
    Ok(if negative { -minor } else { minor })
}

/// The largest amount the import reads, in minor units: 100 billion euros. A 5 MiB file
/// holds at most some 250,000 rows, so no sum of amounts can overflow an `i64`, in the
/// import or in the ledger's balances.
pub(crate) const MAX_MINOR: i64 = 10_000_000_000_000;

/// Splits a decimal into sign, whole digits and fraction digits, checking its shape.
fn split_decimal(text: &str) -> Result<(bool, &str, &str), &'static str> {
    let t = text.trim();
    let (negative, t) = if let Some(rest) = t.strip_prefix(['-', '−']) {
        (true, rest)
    } else {
        (false, t.strip_prefix('+').unwrap_or(t))
    };
    if t.is_empty() {
        return Err("no digits");
    }
    if t.contains('.') && t.contains(',') || t.matches(['.', ',']).count() > 1 {
        return Err("thousands separators are not accepted: write 1234.56");
    }
    let (whole, frac) = t.split_once(['.', ',']).unwrap_or((t, ""));
    if whole.is_empty() && frac.is_empty() {
        return Err("no digits");
    }
    if !whole
        .bytes()
        .chain(frac.bytes())
        .all(|b| b.is_ascii_digit())
    {
        return Err("only digits, a sign and one decimal mark are accepted");
    }
    Ok((negative, whole, frac))
}

/// An exchange rate written as a positive decimal ("0.9234", "1,0856", "150") turned into
/// a [`Rate`] from `from` to `to` in minor units: one unit of `from` is worth `text`
/// units of `to`. Exact: "0.9234" EUR per USD is 9234/1000000 cent per cent… reduced.
pub(crate) fn parse_rate(text: &str, from: &str, to: &str) -> Result<Rate, &'static str> {
    let (negative, whole, frac) = split_decimal(text)?;
    let digits = whole.trim_start_matches('0').len() + frac.len();
    if negative || digits > 18 || frac.len() > 18 {
        return Err("not a positive rate of at most 18 digits");
    }
    let mut numerator: i128 = 0;
    for d in whole.bytes().chain(frac.bytes()) {
        numerator = numerator * 10 + i128::from(d - b'0');
    }
    let denominator = 10i128.pow(frac.len() as u32);
    if numerator == 0 {
        return Err("a rate of zero");
    }
    minor_rate(
        numerator * 10i128.pow(currency_exponent(to)),
        denominator * 10i128.pow(currency_exponent(from)),
    )
    .ok_or("too many digits for an exact rate")
}

/// `numerator / denominator`, reduced, as a [`Rate`] if it fits.
pub(crate) fn minor_rate(numerator: i128, denominator: i128) -> Option<Rate> {
    if numerator <= 0 || denominator <= 0 {
        return None;
    }
    let g = gcd(numerator, denominator);
    Some(Rate {
        numerator: i64::try_from(numerator / g).ok()?,
        denominator: i64::try_from(denominator / g).ok()?,
    })
}

/// The inverse rate (from `to` back to `from`).
pub(crate) fn invert(rate: Rate) -> Rate {
    Rate {
        numerator: rate.denominator,
        denominator: rate.numerator,
    }
}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_exact_in_their_currency() {
        assert_eq!(parse_amount("12.50", "EUR"), Ok(1250));
        assert_eq!(parse_amount("12,5", "EUR"), Ok(1250));
        assert_eq!(parse_amount("-0.05", "EUR"), Ok(-5));
        assert_eq!(parse_amount("−3", "USD"), Ok(-300));
        assert_eq!(parse_amount("+7", "USD"), Ok(700));
        assert_eq!(parse_amount(".99", "USD"), Ok(99));
        assert_eq!(parse_amount("1500", "JPY"), Ok(1500));
        assert_eq!(parse_amount("1500.00", "JPY"), Ok(1500));
        assert_eq!(parse_amount("1234.500", "EUR"), Ok(123450));
        assert_eq!(parse_amount("0.500", "EUR"), Ok(50));
        assert_eq!(parse_amount("1.234", "KWD"), Ok(1234));
        assert_eq!(parse_amount("1,000", "KWD"), Ok(1000));
    }

    #[test]
    fn what_a_spreadsheet_could_mean_two_ways_is_refused() {
        for bad in [
            "", "-", ".", "1.234,56", "1,234.56", "1.2.3", "1 234", "€12", "1e3", "12.345",
            "1.000", "1,500", "0x10", "--1", "12.5.",
        ] {
            assert!(parse_amount(bad, "EUR").is_err(), "{bad:?}");
        }
        assert!(parse_amount("1.5", "JPY").is_err());
        assert!(parse_amount("99999999999999999999", "EUR").is_err());
        assert_eq!(parse_amount("100000000000.00", "EUR"), Ok(MAX_MINOR));
        assert!(parse_amount("100000000000.01", "EUR").is_err());
        assert_eq!(
            parse_amount("12.501", "USD"),
            Err("the mark could be a thousands separator: write the amount without one")
        );
        assert_eq!(
            parse_amount("1234.501", "USD"),
            Err("more decimals than the currency has")
        );
    }

    #[test]
    fn rates_are_exact_rationals_in_minor_units() {
        let r = parse_rate("0.92", "USD", "EUR").unwrap();
        assert_eq!((r.numerator, r.denominator), (23, 25));
        // 1 EUR = 160.5 JPY: 1 cent = 1.605 yen.
        let r = parse_rate("160,5", "EUR", "JPY").unwrap();
        assert_eq!((r.numerator, r.denominator), (321, 200));
        assert_eq!(r.convert(1000), 1605);
        let r = parse_rate("0.0062", "JPY", "EUR").unwrap();
        assert_eq!(r.convert(10_000), 6200);
        for bad in ["0", "-1", "abc", "", "1.2.3"] {
            assert!(parse_rate(bad, "USD", "EUR").is_err(), "{bad:?}");
        }
        assert_eq!(invert(r).convert(6200), 10_000);
    }
}
