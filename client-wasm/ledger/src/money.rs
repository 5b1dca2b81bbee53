//! Money: integer minor units of an ISO 4217 currency, and exact exchange rates.

use serde::{Deserialize, Serialize};

use crate::Error;

/// Minor-unit digits of a currency, as ISO 4217 lists them; 2 for currencies not listed.
/// The one table of the project: the app and the CLI format and parse amounts with it.
/// Codes whose minor unit ISO gives as "N.A." (precious metals, SDR, testing codes) count
/// whole units only.
pub fn currency_exponent(code: &str) -> u32 {
    match code {
        "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF" | "UGX"
        | "UYI" | "VND" | "VUV" | "XAF" | "XOF" | "XPF" => 0,
        "XAG" | "XAU" | "XBA" | "XBB" | "XBC" | "XBD" | "XDR" | "XPD" | "XPT" | "XSU" | "XTS"
        | "XUA" | "XXX" => 0,
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
        "CLF" | "UYW" => 4,
        _ => 2,
    }
}

/// Checks a currency code: three ASCII capital letters.
pub fn check_currency(code: &str) -> Result<(), Error> {
    if code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(Error::BadCurrency(code.into()))
    }
}

/// Reads "12.50" (or "12,50", "-3", "1000") in `currency` as minor units: 1250 for EUR,
/// 13 for JPY "13". More decimals than the currency has is an error, never rounded.
pub fn parse_amount(text: &str, currency: &str) -> Result<i64, Error> {
    check_currency(currency)?;
    let bad = || Error::BadAmount {
        text: text.into(),
        currency: currency.into(),
    };
    let digits = currency_exponent(currency) as usize;
    let t = text.trim().replace(',', ".");
    let (negative, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest.to_string()),
        None => (false, t),
    };
    let (whole, frac) = t.split_once('.').unwrap_or((&t, ""));
    if whole.is_empty() && frac.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || frac.len() > digits
    {
        return Err(bad());
    }
    let mut minor: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| bad())?
    };
    for i in 0..digits {
        let d = frac.as_bytes().get(i).map_or(0, |b| i64::from(b - b'0'));
        minor = minor
            .checked_mul(10)
            .and_then(|m| m.checked_add(d))
            .ok_or_else(bad)?;
    }
    if minor > crate::MAX_AMOUNT {
        return Err(bad());
    }
    Ok(if negative { -minor } else { minor })
}

/// An exact exchange rate: `numerator / denominator` minor units of the group currency
/// per minor unit of the expense currency. Rationals, not floats, so every device
/// computes the same cents.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rate {
    /// Numerator (> 0).
    pub numerator: i64,
    /// Denominator (> 0).
    pub denominator: i64,
}

impl Rate {
    /// Checks the rate is positive.
    pub fn check(&self) -> Result<(), Error> {
        if self.numerator > 0 && self.denominator > 0 {
            Ok(())
        } else {
            Err(Error::BadRate)
        }
    }

    /// Converts an amount, rounding half away from zero.
    pub fn convert(&self, amount: i64) -> i64 {
        let n = i128::from(amount.unsigned_abs()) * i128::from(self.numerator);
        let d = i128::from(self.denominator.max(1));
        let rounded = (2 * n + d) / (2 * d);
        let r = i64::try_from(rounded).unwrap_or(i64::MAX);
        if amount < 0 { -r } else { r }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exponents_are_iso_4217_minor_units() {
        // Where browsers' Intl (CLDR) differs from ISO 4217: HUF, COP and IDR have two
        // decimals in ISO (CLDR: 0), IQD three (CLDR: 0), CLF four.
        for (code, digits) in [
            ("EUR", 2),
            ("HUF", 2),
            ("COP", 2),
            ("IDR", 2),
            ("TWD", 2),
            ("JPY", 0),
            ("ISK", 0),
            ("IQD", 3),
            ("KWD", 3),
            ("CLF", 4),
            ("UYW", 4),
            ("XAU", 0),
        ] {
            assert_eq!(currency_exponent(code), digits, "{code}");
        }
        assert_eq!(parse_amount("1.2345", "CLF"), Ok(12345));
        assert_eq!(parse_amount("1.50", "HUF"), Ok(150));
    }

    #[test]
    fn amounts_read_in_minor_units_of_their_currency() {
        assert_eq!(parse_amount("12.50", "EUR"), Ok(1250));
        assert_eq!(parse_amount("12,5", "EUR"), Ok(1250));
        assert_eq!(parse_amount("-3", "USD"), Ok(-300));
        assert_eq!(parse_amount(".99", "USD"), Ok(99));
        assert_eq!(parse_amount("1500", "JPY"), Ok(1500));
        assert_eq!(parse_amount("1.234", "KWD"), Ok(1234));
        for bad in ["", "1.234", "abc", "1.2.3", "--1", "1e3", "."] {
            assert!(parse_amount(bad, "EUR").is_err(), "{bad}");
        }
        assert!(parse_amount("1.5", "JPY").is_err());
        assert!(parse_amount("1", "eur").is_err());
    }

    #[test]
    fn rates_convert_exactly_and_round_half_away_from_zero() {
        let r = Rate {
            numerator: 1,
            denominator: 3,
        };
        assert_eq!(r.convert(100), 33);
        assert_eq!(r.convert(-100), -33);
        assert_eq!(
            Rate {
                numerator: 1,
                denominator: 2
            }
            .convert(1),
            1
        );
        assert_eq!(
            Rate {
                numerator: 1,
                denominator: 2
            }
            .convert(-1),
            -1
        );
        assert!(
            Rate {
                numerator: 0,
                denominator: 1
            }
            .check()
            .is_err()
        );
    }
}
