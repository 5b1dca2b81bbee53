//! Tricount's data export (CSV):
//!
//! ```text
//! Title,Amount,Currency,Exchange rate,Amount in default currency,Transaction type,Category,Paid by,Date & time,Paid by Ann,Paid by Bo,Impacted to Ann,Impacted to Bo
//! Dinner,-60.00,EUR,1,-60.00,Normal,Food & drinks,Ann,2024-05-01 20:10:00,-60.00,0.00,-30.00,-30.00
//! ```
//!
//! Nine fixed columns, then one `Paid by <name>` and one `Impacted to <name>` column per
//! member, in the same member order. A row is an expense (`Normal`), money received for
//! the group (`Income`) or a transfer between members (`Money transfer`), Tricount's
//! `NORMAL`, `INCOME` and `BALANCE`. Amounts may be written negative (Tricount stores an
//! expense as money leaving the group); a row's cells must all carry the same sign.
//! Tricount writes no balance footer.

use std::collections::{BTreeMap, BTreeSet};

use gfms_ledger::ExpenseKind;

mod rates;
mod shares;

use rates::{exchange_rate, group_currency};
use shares::{Shares, find, mixed};

use crate::cells::{
    MAX_NAME, amount, check_width, currency, date, date_order, folded, member_names, shown, text,
};
use crate::check::Gathered;
use crate::model::{WarningKind, Warnings};
use crate::text::{Row, clean, read_rows};
use crate::{Error, Import, ImportedExpense, ImportedTransfer, Options, Source};

/// The nine fixed columns, in English.
const FIXED: [&str; 9] = [
    "title",
    "amount",
    "currency",
    "exchange rate",
    "amount in default currency",
    "transaction type",
    "category",
    "paid by",
    "date & time",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Expense,
    Income,
    Transfer,
}

/// Transaction types, as Tricount's export and API write them.
fn kind(text: &str) -> Option<Kind> {
    match folded(text).as_str() {
        "normal" | "expense" => Some(Kind::Expense),
        "income" => Some(Kind::Income),
        "money transfer" | "balance" | "transfer" => Some(Kind::Transfer),
        _ => None,
    }
}

const WHAT: &str = "Tricount";

/// Reads a Tricount export. Returns the whole import, checked, or the first error.
pub fn parse_tricount(bytes: &[u8], options: &Options) -> Result<Import, Error> {
    from_rows(&read_rows(bytes)?, options)
}

/// The members' names if `header` has Tricount's shape: nine columns, then `<Paid by>
/// name` for each member and `<Impacted to> name` for each in the same order, where
/// `<Paid by>` is the eighth column's own header (so a translated file reads too).
pub(crate) fn member_columns(header: &Row) -> Option<Vec<&str>> {
    let rest = header.cells.get(9..)?;
    if rest.is_empty() || rest.len() % 2 == 1 {
        return None;
    }
    let paid_by = header.cell(7);
    let (paid, impacted) = rest.split_at(rest.len() / 2);
    let names: Vec<&str> = paid
        .iter()
        .map(|c| c.trim().strip_prefix(paid_by)?.strip_prefix(' '))
        .collect::<Option<_>>()?;
    let prefixes: BTreeSet<&str> = impacted
        .iter()
        .zip(&names)
        .map(|(c, n)| c.trim().strip_suffix(n)?.strip_suffix(' '))
        .collect::<Option<_>>()?;
    (!paid_by.is_empty() && prefixes.len() == 1).then_some(names)
}

pub(crate) fn from_rows(rows: &[Row], options: &Options) -> Result<Import, Error> {
    let mut warnings = Warnings::default();
    let h = rows
        .iter()
        .position(|r| member_columns(r).is_some())
        .ok_or_else(|| Error::NotRecognised {
            format: WHAT,
            problem: "no header row of Title, Amount, Currency, Exchange rate, Amount in default \
                      currency, Transaction type, Category, Paid by, Date & time, then Paid by \
                      and Impacted to columns per member"
                .into(),
        })?;
    for r in &rows[..h] {
        warnings.push(
            Some(r.line),
            WarningKind::Preamble,
            "a line before the header was skipped".into(),
        );
    }
    let header = &rows[h];
    let data = &rows[h + 1..];
    let known = |i: usize| folded(header.cell(i)).starts_with(FIXED[i]);
    if !(0..9).all(known) {
        warnings.push(
            Some(header.line),
            WarningKind::HeaderByPosition,
            "the column names are not ones we know; they were read by position".into(),
        );
    }
    let names = member_columns(header).unwrap_or_default();
    let members = member_names(names.iter().copied(), header.line, &mut warnings)?;
    // The names as written (before repeated ones were numbered), for the `Paid by` column.
    let written: Vec<String> = names.iter().map(|n| clean(n, MAX_NAME).0).collect();
    let m = members.len();
    let group = group_currency(header, data, options)?;
    let order = date_order(options.date_order, data.iter(), 8)?;

    let mut out = Gathered {
        source: Source::Tricount,
        members: Vec::new(),
        group_currency: Some(group.clone()),
        expenses: Vec::new(),
        transfers: Vec::new(),
        expected: BTreeMap::new(),
        warnings,
    };
    for row in data {
        check_width(row, header.cells.len())?;
        let line = row.line;
        let mut cur = currency(row, 2)?;
        let signed = amount(row, header, 1, &cur, false)?;
        let default = match row.cell(4) {
            "" => None,
            _ => Some(amount(row, header, 4, &group, false)?),
        };
        let kind = kind(row.cell(5)).ok_or_else(|| Error::Row {
            line,
            problem: format!(
                "transaction type {:?} is not one we know (Normal, Income or Money transfer)",
                row.cell(5)
            ),
        })?;
        let day = date(row, 8, order)?;
        let title = text(row, 0, "title", &mut out.warnings);
        let category = text(row, 6, "category", &mut out.warnings);
        let sign = signed.signum();
        if default.is_some_and(|d| d.signum() * sign < 0) {
            return Err(mixed(line));
        }
        if sign == 0 {
            for i in 9..9 + 2 * m {
                if amount(row, header, i, &cur, true)? != 0 {
                    return Err(Error::DoesNotAddUp {
                        line,
                        problem: "the amount is zero, the shares are not".into(),
                    });
                }
            }
            if default.is_some_and(|d| d != 0) {
                return Err(mixed(line));
            }
            out.warnings.push(
                Some(line),
                WarningKind::Skipped,
                format!("{title:?} has no amount and was left out"),
            );
            continue;
        }
        // Who the `Paid by` column names: every member of that name (two columns can
        // share one), checked against the paid cells.
        let named = match row.cell(7) {
            "" => Vec::new(),
            name => {
                let found = find(&written, name);
                if found.is_empty() {
                    let name = name.to_owned();
                    return Err(Error::UnknownMember { line, name });
                }
                found
            }
        };
        let shares = Shares {
            row,
            header,
            members: m,
            sign,
            named: &named,
        };
        // From here on, magnitudes. The shares are in the row's currency or, in some
        // files, already converted to the group's.
        let mut total = signed.abs();
        let mut rate = None;
        let mut note = String::new();
        let (paid, impacted) = match shares.read(&cur, total) {
            Ok(cells) => {
                if cur != group {
                    let d = default.map(i64::abs);
                    let r = exchange_rate(row, &cur, &group, total, d, &mut out.warnings)?;
                    rate = Some(r);
                }
                cells
            }
            Err(in_row_currency) => {
                let d = default.map(i64::abs).filter(|_| cur != group);
                let Some(Ok(cells)) = d.map(|d| shares.read(&group, d)) else {
                    return Err(in_row_currency);
                };
                note = format!("{} at {}", shown(total.into(), &cur), row.cell(3));
                out.warnings.push(
                    Some(line),
                    WarningKind::ConvertedToGroupCurrency,
                    format!(
                        "{title:?}: its shares are in {group}, so it is imported in {group} \
                         ({note})"
                    ),
                );
                (cur, total) = (group.clone(), d.unwrap_or(total));
                cells
            }
        };

        let expected = out
            .expected
            .entry(cur.clone())
            .or_insert_with(|| vec![0; m]);
        let direction = if kind == Kind::Income { -1 } else { 1 };
        for i in 0..m {
            expected[i] = expected[i].saturating_add(direction * (paid[i] - impacted[i]));
        }
        let nonzero = |v: &[i64], s: i64| {
            v.iter()
                .enumerate()
                .filter(|(_, x)| **x != 0)
                .map(|(i, x)| (i, s * x))
                .collect::<Vec<_>>()
        };
        match kind {
            Kind::Expense | Kind::Income => out.expenses.push(ImportedExpense {
                line,
                title,
                date: day,
                category,
                amount: direction * total,
                currency: cur,
                rate,
                payers: nonzero(&paid, direction),
                parts: nonzero(&impacted, direction),
                note,
                kind: if kind == Kind::Income {
                    ExpenseKind::Income
                } else {
                    ExpenseKind::Expense
                },
            }),
            Kind::Transfer => {
                let [(from, _)] = nonzero(&paid, 1)[..] else {
                    return Err(Error::Row {
                        line,
                        problem: "a money transfer from several members".into(),
                    });
                };
                for (to, a) in nonzero(&impacted, 1)
                    .into_iter()
                    .filter(|(to, _)| *to != from)
                {
                    out.transfers.push(ImportedTransfer {
                        line,
                        title: title.clone(),
                        date: day.clone(),
                        from,
                        to,
                        amount: a,
                        currency: cur.clone(),
                        rate,
                    });
                }
            }
        }
    }
    out.members = members;
    Ok(out.finish())
}

/// Expected balances in one currency, for tests.
#[cfg(test)]
fn expected(import: &Import, currency: &str) -> Vec<i64> {
    import
        .balances_expected
        .get(currency)
        .cloned()
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str) -> Vec<Row> {
        read_rows(text.as_bytes()).unwrap()
    }

    const HEADER: &str = "Title,Amount,Currency,Exchange rate,Amount in default currency,Transaction type,Category,Paid by,Date & time,Paid by Ann,Paid by Bo,Impacted to Ann,Impacted to Bo\n";

    #[test]
    fn members_come_from_paired_columns() {
        let r = rows(HEADER);
        assert_eq!(member_columns(&r[0]), Some(vec!["Ann", "Bo"]));
        let odd = rows("T,A,C,E,D,T,C,Paid by,D,Paid by Ann,Impacted to Ann,x\n");
        assert_eq!(member_columns(&odd[0]), None);
        let fr = rows(
            "Titre,Montant,Devise,Taux,Montant (EUR),Type,Catégorie,Payé par,Date,Payé par Léa,Concerne Léa\n",
        );
        assert_eq!(member_columns(&fr[0]), Some(vec!["Léa"]));
    }

    #[test]
    fn incomes_and_transfers_move_balances_the_right_way() {
        let text = format!(
            "{HEADER}Refund,25.00,EUR,1,25.00,Income,,Ann,2024-05-02,25.00,0,12.50,12.50\n\
             Payback,-10,EUR,1,-10,Money transfer,,Bo,2024-05-03,0,-10,-10,0\n"
        );
        let import = from_rows(&rows(&text), &Options::default()).unwrap();
        assert_eq!(expected(&import, "EUR"), vec![-1250 - 1000, 1250 + 1000]);
        assert!(import.is_balanced(), "{:?}", import.differences);
        assert_eq!(import.expenses[0].amount, -2500);
        assert_eq!(import.transfers[0].from, 1);
    }
}
