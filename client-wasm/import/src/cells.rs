//! Reading the cells both formats share: currencies, amounts, dates, texts and the
//! members named in a header, each refused with its line and column when wrong.

use crate::Error;
use crate::amount::parse_amount;
use crate::date::{DateOrder, learn_order, parse_date};
use crate::model::{WarningKind, Warnings};
use crate::text::{Row, clean};

/// A group with more members than this is refused (Splitwise caps groups far lower); it
/// bounds the balances a hostile header can make the import compute.
pub const MAX_MEMBERS: usize = 1000;
/// Longest description or category kept, in characters.
pub(crate) const MAX_TEXT: usize = 500;
/// Longest member name kept, in characters.
pub(crate) const MAX_NAME: usize = 100;

/// Lower-cased and trimmed, for comparing with known header words.
pub(crate) fn folded(text: &str) -> String {
    text.trim().to_lowercase()
}

/// A currency cell: three ASCII letters, read in capitals ("eur" is unambiguous).
pub(crate) fn currency(row: &Row, i: usize) -> Result<String, Error> {
    let text = row.cell(i);
    if text.len() == 3 && text.bytes().all(|b| b.is_ascii_alphabetic()) {
        Ok(text.to_ascii_uppercase())
    } else {
        Err(Error::Currency {
            line: row.line,
            text: text.to_owned(),
        })
    }
}

/// The amount in cell `i` of `row`, in `currency`; a blank cell is zero when
/// `blank_is_zero` (a member cell left empty), an error otherwise.
pub(crate) fn amount(
    row: &Row,
    header: &Row,
    i: usize,
    currency: &str,
    blank_is_zero: bool,
) -> Result<i64, Error> {
    let text = row.cell(i);
    if text.is_empty() && blank_is_zero {
        return Ok(0);
    }
    parse_amount(text, currency).map_err(|problem| Error::Amount {
        line: row.line,
        column: header.cell(i).to_owned(),
        text: text.to_owned(),
        currency: currency.to_owned(),
        problem,
    })
}

/// The order of ambiguous dates: the user's choice, or what the file's dates show.
pub(crate) fn date_order<'a>(
    chosen: Option<DateOrder>,
    rows: impl Iterator<Item = &'a Row> + Clone,
    column: usize,
) -> Result<Option<DateOrder>, Error> {
    if chosen.is_some() {
        return Ok(chosen);
    }
    learn_order(rows.clone().map(|r| (r.line, r.cell(column)))).map_err(|(line, problem)| {
        let text = rows
            .clone()
            .find(|r| r.line == line)
            .map_or("", |r| r.cell(column));
        Error::Date {
            line,
            text: text.to_owned(),
            problem,
        }
    })
}

/// The date in cell `i` as `YYYY-MM-DD`.
pub(crate) fn date(row: &Row, i: usize, order: Option<DateOrder>) -> Result<String, Error> {
    parse_date(row.cell(i), order).map_err(|problem| Error::Date {
        line: row.line,
        text: row.cell(i).to_owned(),
        problem,
    })
}

/// The text in cell `i`, cleaned ([`clean`]), with a warning for what cleaning did.
pub(crate) fn text(row: &Row, i: usize, what: &str, warnings: &mut Warnings) -> String {
    let (text, cleaned) = clean(row.cell(i), MAX_TEXT);
    warnings.cleaned(row.line, what, cleaned);
    text
}

/// Members' names from header cells: cleaned, an empty one called "Member n", a repeated
/// one given a number ("Alex (2)"), so every column is one distinct placeholder member.
pub(crate) fn member_names<'a>(
    cells: impl ExactSizeIterator<Item = &'a str>,
    line: u64,
    warnings: &mut Warnings,
) -> Result<Vec<String>, Error> {
    if cells.len() > MAX_MEMBERS {
        return Err(Error::Header {
            line,
            problem: format!(
                "{} members; the import takes at most {MAX_MEMBERS}",
                cells.len()
            ),
        });
    }
    let mut names: Vec<String> = Vec::with_capacity(cells.len());
    for (n, cell) in cells.enumerate() {
        let (mut name, cleaned) = clean(cell, MAX_NAME);
        warnings.cleaned(line, "member's name", cleaned);
        if name.is_empty() {
            name = format!("Member {}", n + 1);
            warnings.push(
                Some(line),
                WarningKind::RenamedMember,
                format!("column {} has no name; it is called {name:?}", n + 1),
            );
        }
        if names.contains(&name) {
            let base = name.clone();
            let mut k = 2;
            while names.contains(&name) {
                name = format!("{base} ({k})");
                k += 1;
            }
            warnings.push(
                Some(line),
                WarningKind::RenamedMember,
                format!("two members are called {base:?}; the second is called {name:?}"),
            );
        }
        names.push(name);
    }
    Ok(names)
}

/// Checks a row has the header's width: missing cells are an error, extra cells are
/// accepted only when blank (spreadsheets pad rows), never as an unnamed member's.
pub(crate) fn check_width(row: &Row, width: usize) -> Result<(), Error> {
    let extra_blank = row.cells[width.min(row.cells.len())..]
        .iter()
        .all(|c| c.trim().is_empty());
    if row.cells.len() < width || !extra_blank {
        return Err(Error::CellCount {
            line: row.line,
            expected: width,
            found: row.cells.len(),
        });
    }
    Ok(())
}

/// Distributes `total` (≥ 0) in proportion to `weights` (> 0) by largest remainder, ties
/// to the earlier member: the parts always add up to `total`.
pub(crate) fn distribute(total: i64, weights: &[i64]) -> Vec<i64> {
    let sum: i128 = weights.iter().map(|w| i128::from(*w)).sum();
    if sum <= 0 {
        return vec![0; weights.len()];
    }
    let total = i128::from(total);
    let mut parts: Vec<(i128, i128)> = weights
        .iter()
        .map(|w| (total * i128::from(*w) / sum, total * i128::from(*w) % sum))
        .collect();
    let mut left = total - parts.iter().map(|p| p.0).sum::<i128>();
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by(|a, b| parts[*b].1.cmp(&parts[*a].1).then(a.cmp(b)));
    for i in order {
        if left <= 0 {
            break;
        }
        parts[i].0 += 1;
        left -= 1;
    }
    parts
        .into_iter()
        .map(|(p, _)| i64::try_from(p).unwrap_or(0))
        .collect()
}

/// Minor units as text in their currency, for messages.
pub(crate) fn shown(minor: i128, currency: &str) -> String {
    match i64::try_from(minor) {
        Ok(m) => format!("{} {currency}", gfms_ledger::format_amount(m, currency)),
        Err(_) => format!("{minor} minor units of {currency}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distribution_is_exact_and_deterministic() {
        assert_eq!(distribute(10, &[1, 1, 1]), vec![4, 3, 3]);
        assert_eq!(distribute(30, &[40, 20]), vec![20, 10]);
        assert_eq!(distribute(0, &[5]), vec![0]);
        let parts = distribute(1001, &[3, 7, 11]);
        assert_eq!(parts.iter().sum::<i64>(), 1001);
    }

    #[test]
    fn empty_and_repeated_names_become_distinct_members() {
        let mut w = Warnings::default();
        let names =
            member_names(["Alex", "", "Alex", " Alex ", "Bo"].into_iter(), 1, &mut w).unwrap();
        assert_eq!(names, ["Alex", "Member 2", "Alex (2)", "Alex (3)", "Bo"]);
        assert_eq!(w.finish().len(), 3);
    }
}
