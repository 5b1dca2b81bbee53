//! Edits per field (`expense_patched`). An edit carries only the fields it changes, so
//! Bob's offline note and Carol's new amount to the same expense both survive, on every
//! device and in any order: edits are applied in ledger order, each setting only its
//! fields, so each field is last-writer-wins on its own. Two edits of the same field
//! resolve by ledger order (the later wins); the history shows both
//! ([`crate::HistoryEntry::overrides`]) and the other value is one
//! [`crate::restore`] away.
//!
//! Fields travel alone except where their parts only make sense together: `currency`
//! carries its `rate`; an itemized bill's `items` carry the `amount` and `split` they
//! give. When the amount ends up different from what the payers or an exact split add
//! up to — an edit of the amount alone, or an amount and someone else's payers merged —
//! the payers and exact parts are scaled to it in proportion (largest remainder, ties to
//! the smaller member id): the same cents on every device.

use serde::{Deserialize, Deserializer, Serialize};

use crate::rescale::scale_parts;
use crate::{Error, EventId, Expense, ExpenseKind, Itemized, MemberId, Rate, Split};

/// The fields an edit changes; a field left out is kept as it is.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpenseChanges {
    /// New title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub title: Option<String>,
    /// New amount (payers and exact parts not changed alongside are scaled to it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub amount: Option<i64>,
    /// New currency, with `rate` (absent: none, the group's currency).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub currency: Option<String>,
    /// The rate that goes with `currency` (read only with it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub rate: Option<Rate>,
    /// New payers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub payers: Option<Vec<(MemberId, i64)>>,
    /// New split.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub split: Option<Split>,
    /// New kind (expense or income).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub kind: Option<ExpenseKind>,
    /// New items: `Some(None)` (JSON `null`) makes the bill a plain expense again.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    #[cfg_attr(feature = "ts", ts(optional, as = "Option<Option<Itemized>>"))]
    pub items: Option<Option<Itemized>>,
    /// New category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub category: Option<String>,
    /// New shop.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub shop: Option<String>,
    /// New account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub account: Option<String>,
    /// New day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub date: Option<String>,
    /// New note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub note: Option<String>,
}

/// A field that is present (even as `null`) reads as `Some`.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

fn differ<T: PartialEq + Clone>(a: &T, b: &T) -> Option<T> {
    (a != b).then(|| b.clone())
}

impl ExpenseChanges {
    /// What turns `before` into `after`: only the fields that differ.
    pub fn between(before: &Expense, after: &Expense) -> Self {
        let currency = (before.currency != after.currency || before.rate != after.rate)
            .then(|| after.currency.clone());
        let items = differ(&before.items, &after.items);
        let with_items = items.as_ref().is_some_and(Option::is_some);
        ExpenseChanges {
            title: differ(&before.title, &after.title),
            amount: differ(&before.amount, &after.amount).or(with_items.then_some(after.amount)),
            rate: currency.as_ref().and(after.rate),
            currency,
            payers: differ(&before.payers, &after.payers),
            split: differ(&before.split, &after.split)
                .or_else(|| with_items.then(|| after.split.clone())),
            kind: differ(&before.kind, &after.kind),
            items,
            category: differ(&before.category, &after.category),
            shop: differ(&before.shop, &after.shop),
            account: differ(&before.account, &after.account),
            date: differ(&before.date, &after.date),
            note: differ(&before.note, &after.note),
        }
    }

    /// The names of the fields it changes (`rate` goes with `currency`).
    pub fn fields(&self) -> Vec<String> {
        let present: [(&str, bool); 12] = [
            ("title", self.title.is_some()),
            ("amount", self.amount.is_some()),
            ("currency", self.currency.is_some()),
            ("payers", self.payers.is_some()),
            ("split", self.split.is_some()),
            ("kind", self.kind.is_some()),
            ("items", self.items.is_some()),
            ("category", self.category.is_some()),
            ("shop", self.shop.is_some()),
            ("account", self.account.is_some()),
            ("date", self.date.is_some()),
            ("note", self.note.is_some()),
        ];
        present
            .into_iter()
            .filter(|(_, p)| *p)
            .map(|(name, _)| name.to_string())
            .collect()
    }

    /// True if it changes nothing.
    pub fn is_empty(&self) -> bool {
        self.fields().is_empty()
    }

    /// `current` with these fields set, then its payers and exact parts scaled to the
    /// amount where they no longer add up to it (not for an itemized bill, whose items
    /// say its parts). Deterministic: every device computes the same value.
    pub fn applied_to(&self, current: &Expense) -> Result<Expense, Error> {
        let mut v = current.clone();
        let set = |to: &mut String, from: &Option<String>| {
            if let Some(from) = from {
                to.clone_from(from);
            }
        };
        set(&mut v.title, &self.title);
        set(&mut v.category, &self.category);
        set(&mut v.shop, &self.shop);
        set(&mut v.account, &self.account);
        set(&mut v.date, &self.date);
        set(&mut v.note, &self.note);
        if let Some(currency) = &self.currency {
            v.currency.clone_from(currency);
            v.rate = self.rate;
        }
        if let Some(amount) = self.amount {
            v.amount = amount;
        }
        if let Some(payers) = &self.payers {
            v.payers.clone_from(payers);
        }
        if let Some(split) = &self.split {
            v.split = split.clone();
        }
        if let Some(kind) = self.kind {
            v.kind = kind;
        }
        if let Some(items) = &self.items {
            v.items.clone_from(items);
        }
        if !crate::bounds::amount_ok(v.amount) {
            return Err(Error::OutOfBounds(
                "an amount beyond 10^13 minor units".into(),
            ));
        }
        if v.items.is_none() {
            if sum(&v.payers) != Some(v.amount) {
                v.payers = scale_parts(&v.payers, v.amount)?;
            }
            if let Split::Exact { amounts } = &v.split
                && sum(amounts) != Some(v.amount)
            {
                v.split = Split::Exact {
                    amounts: scale_parts(amounts, v.amount)?,
                };
            }
        }
        Ok(v)
    }

    /// Checks what the member typed: payers or exact parts they changed themselves add
    /// up to the new amount (only parts left as they were are scaled).
    pub(crate) fn check_own_parts(&self, amount: i64) -> Result<(), Error> {
        if let Some(payers) = &self.payers {
            let paid = sum(payers).unwrap_or(i64::MAX);
            if paid != amount {
                return Err(Error::PayersMismatch { paid, amount });
            }
        }
        if let Some(split) = &self.split {
            crate::split_amount(amount, split)?;
        }
        Ok(())
    }
}

fn sum(parts: &[(MemberId, i64)]) -> Option<i64> {
    parts
        .iter()
        .try_fold(0i64, |acc, (_, a)| acc.checked_add(*a))
}

/// An edit applied in ledger order to the state (`expense_patched`): the expense gets
/// the fields; an edit that cannot apply (the merged value is out of bounds, income
/// turned positive, or does not match its items) changes nothing and says why; one of
/// a deleted expense changes nothing (the delete stands).
pub(crate) fn apply(
    s: &mut crate::State,
    expense: EventId,
    changes: &ExpenseChanges,
) -> Result<(), &'static str> {
    let Some(current) = s.expenses.get(&expense) else {
        return Ok(()); // deleted (or never seen): the delete stands
    };
    let mut v = changes
        .applied_to(current)
        .map_err(|_| "an edit whose amount and parts cannot be reconciled")?;
    crate::placeholder::follow_expense(&mut v, |m| crate::placeholder::resolve(s, m));
    crate::bounds::check_expense(&v)?;
    if v.kind == ExpenseKind::Income && v.amount >= 0 {
        return Err("an edit that makes income positive");
    }
    if let Some(items) = &v.items {
        items
            .check_against(v.amount, &v.split)
            .map_err(|_| "an edit that does not match the bill's items")?;
    }
    s.expenses.insert(expense, v);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn an_edit_changes_only_its_fields_and_rescales_parts_it_left_alone() {
        let base = exact();
        let mut noted = base.clone();
        noted.note = "offline note".into();
        let mut more = base.clone();
        more.amount = 1201;
        let note = ExpenseChanges::between(&base, &noted);
        let amount = ExpenseChanges::between(&base, &more);
        assert_eq!(note.fields(), ["note"]);
        assert_eq!(amount.fields(), ["amount"]);
        let both = amount.applied_to(&note.applied_to(&base).unwrap()).unwrap();
        assert_eq!((both.amount, both.note.as_str()), (1201, "offline note"));
        assert_eq!(both.payers, vec![(m(1), 721), (m(2), 480)]);
        assert_eq!(
            both.split,
            Split::Exact {
                amounts: vec![(m(1), 841), (m(2), 240), (m(3), 120)]
            }
        );
        assert!(both.validate("EUR").is_ok());
        let json = serde_json::to_string(&amount).unwrap();
        assert_eq!(json, r#"{"amount":1201}"#);
    }

    #[test]
    fn items_can_be_removed_and_currency_carries_its_rate() {
        let changes: ExpenseChanges = serde_json::from_str(
            r#"{"items":null,"currency":"USD","rate":{"numerator":9,"denominator":10}}"#,
        )
        .unwrap();
        assert_eq!(changes.items, Some(None));
        assert_eq!(changes.fields(), ["currency", "items"]);
        let back: ExpenseChanges =
            serde_json::from_str(&serde_json::to_string(&changes).unwrap()).unwrap();
        assert_eq!(back, changes);
        let none: ExpenseChanges = serde_json::from_str("{}").unwrap();
        assert!(none.is_empty() && none.items.is_none());
    }
}
