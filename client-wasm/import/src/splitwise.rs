//! Splitwise's group export ("Export as spreadsheet"):
//!
//! ```text
//! Date,Description,Category,Cost,Currency,Alice,Bob,Carol
//! 2024-05-03,Groceries,Groceries,30.00,EUR,20.00,-10.00,-10.00
//! 2024-05-04,Bob paid Alice,Payment,10.00,EUR,-10.00,10.00,0.00
//!
//! 2024-06-01,Total balance, , ,EUR,10.00,0.00,-10.00
//! ```
//!
//! Each member cell is that member's net for the row: what they paid minus what they
//! owe, so the cells of a row add up to zero. Settlements are rows of category
//! `Payment`. After a blank line, one `Total balance` row per currency gives each
//! member's balance — the number the import must reproduce.

use gfms_ledger::ExpenseKind;
use std::collections::BTreeMap;

use crate::cells::{
    amount, check_width, currency, date, date_order, distribute, folded, member_names, shown, text,
};
use crate::check::Gathered;
use crate::model::{Balances, WarningKind, Warnings};
use crate::text::{Row, read_rows};
use crate::{Error, Import, ImportedExpense, ImportedTransfer, Options, Source};

/// Known names of the first five columns, by position, in English, French, German,
/// Spanish, Portuguese, Italian and Dutch (lower case). Unknown names are still read by
/// position when the first row looks like an expense.
const FIXED: [&[&str]; 5] = [
    &["date", "datum", "fecha", "data"],
    &[
        "description",
        "beschreibung",
        "descripción",
        "descripcion",
        "descrição",
        "descricao",
        "descrizione",
        "omschrijving",
        "beschrijving",
    ],
    &[
        "category",
        "catégorie",
        "categorie",
        "kategorie",
        "categoría",
        "categoria",
    ],
    &[
        "cost", "coût", "cout", "kosten", "coste", "costo", "custo", "importo", "bedrag",
    ],
    &[
        "currency", "devise", "währung", "moneda", "divisa", "moeda", "valuta",
    ],
];

/// The `Payment` category in the same languages.
const PAYMENT: &[&str] = &[
    "payment",
    "paiement",
    "zahlung",
    "pago",
    "pagamento",
    "betaling",
];

/// The footer's description in the same languages.
const TOTAL: &[&str] = &[
    "total balance",
    "solde total",
    "gesamtsaldo",
    "saldo total",
    "saldo totale",
    "totaal saldo",
];

const WHAT: &str = "Splitwise";

fn not_recognised() -> Error {
    Error::NotRecognised {
        format: WHAT,
        problem: "no header row of Date, Description, Category, Cost, Currency and one column per \
                  member"
            .into(),
    }
}

/// Reads a Splitwise group export. Returns the whole import, checked, or the first error.
pub fn parse_splitwise(bytes: &[u8], options: &Options) -> Result<Import, Error> {
    from_rows(&read_rows(bytes)?, options)
}

/// Whether `header` has Splitwise's first five columns.
fn known_header(header: &Row) -> bool {
    (0..5).all(|i| FIXED[i].contains(&folded(header.cell(i)).as_str()))
}

/// Shaped like a footer row: no category and no cost.
fn footer_shaped(row: &Row) -> bool {
    row.cell(2).is_empty() && row.cell(3).is_empty()
}

/// Which of `data` are footer rows: the ones called `Total balance` (in a language we
/// know), and the trailing run of footer-shaped rows whatever they are called. A row
/// with no cost in the middle of the expenses stays an expense row (and fails as one).
fn footers(data: &[Row]) -> Vec<bool> {
    let tail = data.len() - data.iter().rev().take_while(|r| footer_shaped(r)).count();
    data.iter()
        .enumerate()
        .map(|(i, r)| i >= tail || TOTAL.contains(&folded(r.cell(1)).as_str()))
        .collect()
}

pub(crate) fn from_rows(rows: &[Row], options: &Options) -> Result<Import, Error> {
    let mut warnings = Warnings::default();
    let h = rows
        .iter()
        .position(|r| r.cells.len() >= 6)
        .ok_or_else(not_recognised)?;
    for r in &rows[..h] {
        warnings.push(
            Some(r.line),
            WarningKind::Preamble,
            "a line before the header was skipped".into(),
        );
    }
    let header = &rows[h];
    let data = &rows[h + 1..];
    if !known_header(header) {
        let looks_right = data.first().is_some_and(|r| {
            date(r, 0, Some(crate::DateOrder::DayMonthYear)).is_ok() && currency(r, 4).is_ok()
        });
        if !looks_right {
            return Err(not_recognised());
        }
        warnings.push(
            Some(header.line),
            WarningKind::HeaderByPosition,
            "the column names are not ones we know; they were read by position: date, \
             description, category, cost, currency, then members"
                .into(),
        );
    }
    let members = member_names(
        header.cells[5..].iter().map(String::as_str),
        header.line,
        &mut warnings,
    )?;
    let footer = footers(data);
    let order = date_order(
        options.date_order,
        data.iter()
            .zip(&footer)
            .filter(|(_, f)| !**f)
            .map(|(r, _)| r),
        0,
    )?;

    let mut expenses = Vec::new();
    let mut transfers = Vec::new();
    let mut totals: Balances = BTreeMap::new();
    let mut sums: Balances = BTreeMap::new();
    for (row, is_footer) in data.iter().zip(footer) {
        check_width(row, header.cells.len())?;
        let cur = currency(row, 4)?;
        let nets = (0..members.len())
            .map(|i| amount(row, header, 5 + i, &cur, true))
            .collect::<Result<Vec<i64>, Error>>()?;
        if is_footer {
            if totals.insert(cur.clone(), nets).is_some() {
                return Err(Error::Row {
                    line: row.line,
                    problem: format!("a second Total balance row for {cur}"),
                });
            }
            continue;
        }
        if !totals.is_empty() {
            return Err(Error::Row {
                line: row.line,
                problem: "an expense after the Total balance rows".into(),
            });
        }
        let cost = amount(row, header, 3, &cur, false)?;
        let day = date(row, 0, order)?;
        let title = text(row, 1, "description", &mut warnings);
        let category = text(row, 2, "category", &mut warnings);
        let total: i128 = nets.iter().map(|n| i128::from(*n)).sum();
        if total != 0 {
            return Err(Error::DoesNotAddUp {
                line: row.line,
                problem: format!(
                    "the members' amounts add up to {}, not zero",
                    shown(total, &cur)
                ),
            });
        }
        let sum = sums
            .entry(cur.clone())
            .or_insert_with(|| vec![0; members.len()]);
        for (s, n) in sum.iter_mut().zip(&nets) {
            *s = s.saturating_add(*n);
        }
        if PAYMENT.contains(&folded(&category).as_str()) {
            if let Some((from, to)) = payment(cost, &nets) {
                transfers.push(ImportedTransfer {
                    line: row.line,
                    title,
                    date: day,
                    from,
                    to,
                    amount: cost,
                    currency: cur,
                    rate: None,
                });
                continue;
            }
            warnings.push(
                Some(row.line),
                WarningKind::PaymentAsExpense,
                "a payment that is not from one member to another was imported as an expense"
                    .into(),
            );
        }
        let Some((payers, parts)) =
            rebuild(cost, &nets).map_err(|problem| Error::DoesNotAddUp {
                line: row.line,
                problem: format!("{problem} ({})", shown(cost.into(), &cur)),
            })?
        else {
            warnings.push(
                Some(row.line),
                WarningKind::Skipped,
                format!("{title:?} changes nobody's balance and was left out"),
            );
            continue;
        };
        if payers.len() > 1 {
            warnings.push(
                Some(row.line),
                WarningKind::InferredPayers,
                format!(
                    "{title:?} has several payers; what each paid is inferred from their \
                     balances (which are exact)"
                ),
            );
        }
        expenses.push(ImportedExpense {
            line: row.line,
            title,
            date: day,
            category,
            amount: cost,
            currency: cur,
            rate: None,
            payers,
            parts,
            note: String::new(),
            // A refund (negative cost) is money received: the ledger's income kind.
            kind: if cost < 0 {
                ExpenseKind::Income
            } else {
                ExpenseKind::Expense
            },
        });
    }

    let no_footer = totals.is_empty();
    for (cur, sum) in sums {
        if let std::collections::btree_map::Entry::Vacant(slot) = totals.entry(cur) {
            if !no_footer {
                warnings.push(
                    None,
                    WarningKind::NoTotals,
                    format!(
                        "no Total balance row for {}: its rows were added up instead",
                        slot.key()
                    ),
                );
            }
            slot.insert(sum);
        }
    }
    if no_footer {
        warnings.push(
            None,
            WarningKind::NoTotals,
            "no Total balance rows: the rows were added up instead, so the check only shows \
             the import is consistent"
                .into(),
        );
    }
    Ok(Gathered {
        source: Source::Splitwise,
        members,
        group_currency: None,
        expenses,
        transfers,
        expected: totals,
        warnings,
    }
    .finish())
}

/// A payment row's two members: the one whose net is `+cost` paid the one whose net is
/// `-cost`; every other net is zero.
fn payment(cost: i64, nets: &[i64]) -> Option<(usize, usize)> {
    let mut moving = nets.iter().enumerate().filter(|(_, n)| **n != 0);
    let (a, b) = (moving.next()?, moving.next()?);
    if moving.next().is_some() || cost <= 0 {
        return None;
    }
    match (*a.1, *b.1) {
        (x, y) if x == cost && y == -cost => Some((a.0, b.0)),
        (x, y) if x == -cost && y == cost => Some((b.0, a.0)),
        _ => None,
    }
}

type Parts = Vec<(usize, i64)>;

/// Payers and exact parts from a row's cost and nets (which add up to zero). A member
/// with a positive net paid; with a negative net, owes `-net` and paid nothing. The cost
/// beyond what the positive nets account for (`cost - Σ positive`) was paid and owed by
/// the payers themselves, split among them in proportion to their nets: with one payer
/// that is exactly "paid the cost, owes cost − net". A negative cost (a refund) is the
/// mirror image. `None` when nobody's balance moves.
fn rebuild(cost: i64, nets: &[i64]) -> Result<Option<(Parts, Parts)>, &'static str> {
    let sign = if cost < 0 { -1 } else { 1 };
    let c = i128::from(cost).abs();
    let positive: Vec<(usize, i64)> = nets
        .iter()
        .enumerate()
        .filter(|(_, n)| **n * sign > 0)
        .map(|(i, n)| (i, *n * sign))
        .collect();
    let p: i128 = positive.iter().map(|(_, n)| i128::from(*n)).sum();
    if p == 0 {
        return Ok(None);
    }
    if p > c {
        return Err("the members' shares add up to more than the cost");
    }
    let rest = i64::try_from(c - p).map_err(|_| "too large")?;
    let weights: Vec<i64> = positive.iter().map(|(_, n)| *n).collect();
    let own = distribute(rest, &weights);
    let payers = positive
        .iter()
        .zip(&own)
        .map(|((i, n), r)| (*i, sign * (n + r)))
        .collect();
    let mut parts: Parts = Vec::new();
    for (i, n) in nets.iter().enumerate() {
        let owed = match positive.iter().position(|(j, _)| *j == i) {
            Some(k) => own[k],
            None => -*n * sign,
        };
        if owed != 0 {
            parts.push((i, sign * owed));
        }
    }
    Ok(Some((payers, parts)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_payer_paid_the_cost_and_owes_cost_minus_net() {
        let (payers, parts) = rebuild(3000, &[2000, -1000, -1000]).unwrap().unwrap();
        assert_eq!(payers, vec![(0, 3000)]);
        assert_eq!(parts, vec![(0, 1000), (1, 1000), (2, 1000)]);
        // Paid for the others only.
        let (payers, parts) = rebuild(2000, &[2000, -1000, -1000]).unwrap().unwrap();
        assert_eq!(payers, vec![(0, 2000)]);
        assert_eq!(parts, vec![(1, 1000), (2, 1000)]);
    }

    #[test]
    fn several_payers_and_refunds_add_up_exactly() {
        let (payers, parts) = rebuild(9000, &[4000, 2000, -6000]).unwrap().unwrap();
        assert_eq!(payers, vec![(0, 6000), (1, 3000)]);
        assert_eq!(parts, vec![(0, 2000), (1, 1000), (2, 6000)]);
        let (payers, parts) = rebuild(-3000, &[-2000, 1000, 1000]).unwrap().unwrap();
        assert_eq!(payers, vec![(0, -3000)]);
        assert_eq!(parts, vec![(0, -1000), (1, -1000), (2, -1000)]);
        assert_eq!(rebuild(0, &[0, 0]), Ok(None));
        assert!(rebuild(1000, &[2000, -2000]).is_err());
    }

    #[test]
    fn payments_are_between_exactly_two_members() {
        assert_eq!(payment(500, &[-500, 0, 500]), Some((2, 0)));
        assert_eq!(payment(500, &[500, -250, -250]), None);
        assert_eq!(payment(500, &[400, -400]), None);
    }
}
