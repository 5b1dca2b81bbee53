//! Turning command-line words into ledger values: member names, splits, rates.

use gfms_ledger::{Extra, Item, MemberId, Rate, Split, State, format_amount, parse_amount};

/// Finds an active member by name (case-insensitive); the name must be unambiguous.
pub fn member(state: &State, name: &str) -> Result<MemberId, String> {
    let want = name.trim().to_lowercase();
    let found: Vec<MemberId> = state
        .members
        .iter()
        .filter(|(_, m)| m.name.to_lowercase() == want)
        .map(|(id, _)| *id)
        .collect();
    match found.as_slice() {
        [one] => Ok(*one),
        [] => Err(format!("no member named {name:?} (see `gfms members`)")),
        _ => Err(format!(
            "several members are named {name:?}; rename one first"
        )),
    }
}

fn pairs<'a>(spec: &'a str, what: &str) -> Result<Vec<(&'a str, &'a str)>, String> {
    spec.split(',')
        .map(|p| {
            p.split_once('=')
                .map(|(n, v)| (n.trim(), v.trim()))
                .ok_or_else(|| format!("{what}: expected name=value, got {p:?}"))
        })
        .collect()
}

/// Parses `--split`: `equal`, `equal:a,b`, `shares:a=2,b=1`, `exact:a=10.00,b=2.50`,
/// `percent:a=60,b=40` (up to two decimals).
pub fn split(state: &State, spec: &str, currency: &str) -> Result<Split, String> {
    let (kind, rest) = spec.split_once(':').unwrap_or((spec, ""));
    match kind {
        "equal" if rest.is_empty() => Ok(Split::Equal {
            members: state.active_members().map(|(id, _)| *id).collect(),
        }),
        "equal" => Ok(Split::Equal {
            members: rest
                .split(',')
                .map(|n| member(state, n))
                .collect::<Result<_, _>>()?,
        }),
        "shares" => Ok(Split::Shares {
            weights: pairs(rest, "shares")?
                .into_iter()
                .map(|(n, w)| {
                    let w: u32 = w
                        .parse()
                        .map_err(|_| format!("shares: {w:?} is not a whole number"))?;
                    Ok((member(state, n)?, w))
                })
                .collect::<Result<_, String>>()?,
        }),
        "exact" => Ok(Split::Exact {
            amounts: pairs(rest, "exact")?
                .into_iter()
                .map(|(n, a)| {
                    let a = parse_amount(a, currency).map_err(|e| e.to_string())?;
                    Ok((member(state, n)?, a))
                })
                .collect::<Result<_, String>>()?,
        }),
        "percent" => Ok(Split::Percent {
            basis_points: pairs(rest, "percent")?
                .into_iter()
                .map(|(n, p)| {
                    // Two decimals of a percent are basis points: "USD" has exponent 2.
                    let bp = parse_amount(p, "USD")
                        .map_err(|_| format!("percent: {p:?} is not a percentage"))?;
                    let bp =
                        u32::try_from(bp).map_err(|_| format!("percent: {p:?} is negative"))?;
                    Ok((member(state, n)?, bp))
                })
                .collect::<Result<_, String>>()?,
        }),
        _ => Err(format!(
            "unknown split {spec:?}: use equal, equal:a,b, shares:a=2,b=1, exact:a=10,b=2.5 or percent:a=60,b=40"
        )),
    }
}

/// Parses `--paid-by`: one name (they paid it all) or `Alice=20,Bob=10`, whose amounts
/// must add up to `amount` (for income, `amount` is negative and the parts are given
/// positive: who received how much).
pub fn payers(
    state: &State,
    spec: &str,
    amount: i64,
    currency: &str,
) -> Result<Vec<(MemberId, i64)>, String> {
    if !spec.contains('=') {
        return Ok(vec![(member(state, spec)?, amount)]);
    }
    let sign = if amount < 0 { -1 } else { 1 };
    let mut out = Vec::new();
    let mut sum: i64 = 0;
    for (n, a) in pairs(spec, "paid-by")? {
        let part = parse_amount(a, currency).map_err(|e| e.to_string())?;
        if part < 0 {
            return Err(format!("paid-by: {a:?} is negative"));
        }
        sum = sum
            .checked_add(part)
            .ok_or_else(|| "paid-by: the amounts are too large".to_string())?;
        out.push((member(state, n)?, sign * part));
    }
    let total = amount.abs();
    if sum != total {
        let gap = total - sum;
        let (how, gap) = if gap > 0 {
            ("short of", gap)
        } else {
            ("over", -gap)
        };
        return Err(format!(
            "paid-by: the payers add up to {}, {} {how} the amount {}",
            format_amount(sum, currency),
            format_amount(gap, currency),
            format_amount(total, currency)
        ));
    }
    Ok(out)
}

/// Parses `--item "Pizza=12.50:Alice,Bob"` (no names: everyone active shares it).
pub fn item(state: &State, spec: &str, currency: &str) -> Result<Item, String> {
    let (name, rest) = spec
        .split_once('=')
        .ok_or_else(|| format!("item: expected NAME=PRICE[:a,b], got {spec:?}"))?;
    let (price, who) = rest.split_once(':').unwrap_or((rest, ""));
    let members = if who.trim().is_empty() {
        state.active_members().map(|(id, _)| *id).collect()
    } else {
        who.split(',')
            .map(|n| member(state, n))
            .collect::<Result<_, _>>()?
    };
    Ok(Item {
        name: name.trim().to_string(),
        price: parse_amount(price.trim(), currency).map_err(|e| format!("item {name:?}: {e}"))?,
        members,
    })
}

/// Parses `--tip 10%` (a percentage of the items, up to two decimals) or `--tip 5.00`
/// (an amount).
pub fn extra(name: &str, spec: &str, currency: &str) -> Result<Extra, String> {
    let spec = spec.trim();
    let (amount, basis_points) = match spec.strip_suffix('%') {
        Some(p) => {
            let bp = parse_amount(p.trim(), "USD")
                .ok()
                .and_then(|bp| u32::try_from(bp).ok())
                .ok_or_else(|| format!("{name}: {spec:?} is not a percentage"))?;
            (0, bp)
        }
        None => (
            parse_amount(spec, currency).map_err(|e| format!("{name}: {e}"))?,
            0,
        ),
    };
    Ok(Extra {
        name: name.to_string(),
        amount,
        basis_points,
    })
}

/// Parses a decimal exchange rate ("1.08") as a fraction.
pub fn rate(text: &str) -> Result<Rate, String> {
    let bad = || format!("not an exchange rate: {text:?}");
    let (int, frac) = text.trim().split_once('.').unwrap_or((text.trim(), ""));
    if frac.len() > 9 || int.is_empty() && frac.is_empty() {
        return Err(bad());
    }
    let digits = format!("{int}{frac}");
    let numerator: i64 = digits.parse().map_err(|_| bad())?;
    let rate = Rate {
        numerator,
        denominator: 10i64.pow(frac.len() as u32),
    };
    rate.check().map_err(|_| bad())?;
    Ok(rate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_exact_fractions() {
        assert_eq!(
            rate("1.08").unwrap(),
            Rate {
                numerator: 108,
                denominator: 100
            }
        );
        assert_eq!(
            rate("3").unwrap(),
            Rate {
                numerator: 3,
                denominator: 1
            }
        );
        assert!(rate("0").is_err());
        assert!(rate("abc").is_err());
        assert!(rate("-1.5").is_err());
    }
}
