//! Edits per field. An edit names the fields it changes, so Bob's offline note and
//! Carol's new amount to the same expense both survive; two edits of the same field
//! resolve by ledger order (the later wins), and the history keeps both. The money of an
//! expense — amount, currency, rate, payers, split, kind and items — is one field: its
//! parts only make sense together (payers and exact parts add up to the amount).

use serde::{Deserialize, Serialize};

use crate::split::distribute;
use crate::{Error, Expense, Split};

/// A field an edit can change.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// Amount, currency, rate, payers, split, kind and items, together.
    Money,
    /// Category.
    Category,
    /// Shop.
    Shop,
    /// Account.
    Account,
    /// Day.
    Date,
    /// Note.
    Note,
}

impl Field {
    /// Every field, in order.
    pub const ALL: [Field; 6] = [
        Field::Money,
        Field::Category,
        Field::Shop,
        Field::Account,
        Field::Date,
        Field::Note,
    ];

    /// Whether `a` and `b` differ in this field.
    pub fn differs(self, a: &Expense, b: &Expense) -> bool {
        match self {
            Field::Money => {
                (&a.amount, &a.currency, &a.rate, &a.payers, &a.split, &a.kind, &a.items)
                    != (&b.amount, &b.currency, &b.rate, &b.payers, &b.split, &b.kind, &b.items)
            }
            Field::Category => a.category != b.category,
            Field::Shop => a.shop != b.shop,
            Field::Account => a.account != b.account,
            Field::Date => a.date != b.date,
            Field::Note => a.note != b.note,
        }
    }

    /// Copies this field from `from` into `to`.
    pub fn copy(self, from: &Expense, to: &mut Expense) {
        match self {
            Field::Money => {
                to.amount = from.amount;
                to.currency.clone_from(&from.currency);
                to.rate = from.rate;
                to.payers.clone_from(&from.payers);
                to.split.clone_from(&from.split);
                to.kind = from.kind;
                to.items.clone_from(&from.items);
            }
            Field::Category => to.category.clone_from(&from.category),
            Field::Shop => to.shop.clone_from(&from.shop),
            Field::Account => to.account.clone_from(&from.account),
            Field::Date => to.date.clone_from(&from.date),
            Field::Note => to.note.clone_from(&from.note),
        }
    }
}

/// The fields in which `after` differs from `before`.
pub fn changed_fields(before: &Expense, after: &Expense) -> Vec<Field> {
    Field::ALL
        .into_iter()
        .filter(|f| f.differs(before, after))
        .collect()
}

/// What an edit makes of the current value: the fields it names taken from its value,
/// the others kept; the whole value when it names none (an older version's edit) or
/// when there is no current value.
pub(crate) fn patched(current: Option<&Expense>, value: &Expense, fields: Option<&[Field]>) -> Expense {
    match (current, fields) {
        (Some(current), Some(fields)) => {
            let mut out = current.clone();
            for f in fields {
                f.copy(value, &mut out);
            }
            out
        }
        _ => value.clone(),
    }
}

/// The expense with a new amount, its payers and exact parts scaled to it in
/// proportion (largest remainder, ties to the smaller member id), so they add up
/// exactly. Equal, shares and percent splits need nothing. An itemized bill changes
/// through its items, not here.
pub fn rescale(expense: &Expense, amount: i64) -> Result<Expense, Error> {
    if expense.items.is_some() {
        return Err(Error::BadItems(
            "an itemized bill's amount follows its items: change an item".into(),
        ));
    }
    if !crate::bounds::amount_ok(amount) {
        return Err(Error::OutOfBounds(
            "the amount is beyond the largest the app handles (10^13 minor units)".into(),
        ));
    }
    let weights = |parts: &[(crate::MemberId, i64)]| -> Vec<(crate::MemberId, u64)> {
        parts.iter().map(|(m, a)| (*m, a.unsigned_abs())).collect()
    };
    let scale = |parts: &[(crate::MemberId, i64)]| -> Result<Vec<(crate::MemberId, i64)>, Error> {
        if parts.iter().all(|(_, a)| *a == 0) {
            // Nothing to be proportional to: share it equally.
            let equal: Vec<_> = parts.iter().map(|(m, _)| (*m, 1)).collect();
            return distribute(amount, &equal);
        }
        distribute(amount, &weights(parts))
    };
    let mut out = expense.clone();
    out.amount = amount;
    out.payers = scale(&expense.payers)?;
    if let Split::Exact { amounts } = &expense.split {
        out.split = Split::Exact {
            amounts: scale(amounts)?,
        };
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MemberId;

    fn m(b: u8) -> MemberId {
        MemberId([b; 16])
    }

    fn exact() -> Expense {
        Expense {
            amount: 1000,
            currency: "EUR".into(),
            payers: vec![(m(1), 600), (m(2), 400)],
            split: Split::Exact {
                amounts: vec![(m(1), 700), (m(2), 200), (m(3), 100)],
            },
            date: "2026-12-01".into(),
            ..Expense::default()
        }
    }

    #[test]
    fn rescaling_an_exact_split_keeps_it_exact() {
        let e = rescale(&exact(), 1001).unwrap();
        assert_eq!(e.payers, vec![(m(1), 601), (m(2), 400)]);
        let Split::Exact { amounts } = &e.split else {
            panic!("still exact")
        };
        assert_eq!(amounts.iter().map(|p| p.1).sum::<i64>(), 1001);
        assert!(e.validate("EUR").is_ok());
        let refund = rescale(&exact(), -500).unwrap();
        assert!(refund.validate("EUR").is_ok());
    }

    #[test]
    fn an_edit_changes_only_its_fields() {
        let base = exact();
        let mut note = base.clone();
        note.note = "offline note".into();
        let mut amount = rescale(&base, 1200).unwrap();
        amount.note = String::new();
        assert_eq!(changed_fields(&base, &note), vec![Field::Note]);
        assert_eq!(changed_fields(&base, &amount), vec![Field::Money]);
        let both = patched(
            Some(&patched(Some(&base), &note, Some(&[Field::Note]))),
            &amount,
            Some(&[Field::Money]),
        );
        assert_eq!((both.amount, both.note.as_str()), (1200, "offline note"));
        assert_eq!(patched(Some(&base), &amount, None), amount, "old edits replace");
    }
}
