//! Tricount's currencies: the group's default currency, and each foreign row's exact
//! rate to it.

use std::collections::BTreeMap;

use gfms_ledger::Rate;

use crate::amount::{invert, minor_rate, parse_amount, parse_rate};
use crate::cells::{currency, shown};
use crate::model::{WarningKind, Warnings};
use crate::text::Row;
use crate::{Error, Options};

use super::WHAT;

/// The currency in the header's "Amount in default currency (EUR)", if written.
pub(super) fn stated_currency(header: &Row) -> Option<String> {
    let h = header.cell(4);
    let inner = h.strip_suffix(')')?.rsplit_once('(')?.1.trim();
    (inner.len() == 3 && inner.bytes().all(|b| b.is_ascii_uppercase())).then(|| inner.to_owned())
}

/// The group's currency: chosen, stated, or the one currency whose rows all have a rate
/// of 1 and equal amounts in both columns.
pub(super) fn group_currency(
    header: &Row,
    data: &[Row],
    options: &Options,
) -> Result<String, Error> {
    if let Some(c) = options
        .group_currency
        .as_ref()
        .or(stated_currency(header).as_ref())
    {
        return Ok(c.clone());
    }
    let mut candidates: BTreeMap<String, bool> = BTreeMap::new();
    for row in data {
        let Ok(cur) = currency(row, 2) else { continue };
        let (rate, a, d) = (row.cell(3), row.cell(1), row.cell(4));
        let same = (rate.is_empty()
            || parse_rate(rate, "EUR", "EUR").is_ok_and(|r| r.numerator == r.denominator))
            && (d.is_empty()
                || parse_amount(a, &cur).is_ok() && parse_amount(a, &cur) == parse_amount(d, &cur));
        *candidates.entry(cur).or_insert(true) &= same;
    }
    let mut ok = candidates
        .into_iter()
        .filter(|(_, same)| *same)
        .map(|(c, _)| c);
    match (ok.next(), ok.next()) {
        (Some(c), None) => Ok(c),
        _ => Err(Error::NotRecognised {
            format: WHAT,
            problem: "the file does not show the group's default currency: choose it".into(),
        }),
    }
}

/// A foreign row's rate to the group currency, exact. The stated rate is kept when it
/// reproduces the converted amount (in either direction: files differ on whether it is
/// group per foreign unit or the inverse); otherwise the two amounts give the rate, so
/// the ledger converts the row to exactly what Tricount showed.
pub(super) fn exchange_rate(
    row: &Row,
    cur: &str,
    group: &str,
    total: i64,
    default: Option<i64>,
    warnings: &mut Warnings,
) -> Result<Rate, Error> {
    let Some(d) = default else {
        // Without the converted amount the rate's direction cannot be checked.
        return Err(Error::Row {
            line: row.line,
            problem: format!("a {cur} row without its amount in {group}"),
        });
    };
    let text = row.cell(3);
    let directions = [
        parse_rate(text, cur, group),
        parse_rate(text, group, cur).map(invert),
    ];
    let stated = !text.is_empty();
    if let (true, [Err(problem), Err(_)]) = (stated, &directions) {
        return Err(Error::Row {
            line: row.line,
            problem: format!("exchange rate {text:?}: {problem}"),
        });
    }
    if let Some(r) = directions
        .into_iter()
        .filter_map(Result::ok)
        .find(|r| r.convert(total) == d)
    {
        return Ok(r);
    }
    let from_amounts = minor_rate(i128::from(d), i128::from(total)).ok_or_else(|| Error::Row {
        line: row.line,
        problem: "the amount in the default currency gives no exchange rate".into(),
    })?;
    if stated {
        warnings.push(
            Some(row.line),
            WarningKind::RateFromAmounts,
            format!(
                "the exchange rate {:?} does not give {}; the rate is taken from the two amounts",
                row.cell(3),
                shown(d.into(), group)
            ),
        );
    }
    Ok(from_amounts)
}
