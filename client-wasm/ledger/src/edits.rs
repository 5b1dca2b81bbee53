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

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::rescale::scale_parts;
use crate::{Error, EventId, Expense, ExpenseKind, MemberId, Split};

/// The fields an edit changes, as a JSON object holding some of an expense's fields
/// (`{"note": "…", "amount": 3600}`); `null` puts a field back to its default (no rate,
/// no items, no title). Kept as the JSON text of each field and merged into the
/// expense's own JSON, so reading one needs no reader beyond the expense's: the client
/// wasm is at its size budget. A field this version does not know is carried and
/// ignored.
#[derive(Debug, Clone, Default)]
pub struct ExpenseChanges(Vec<(String, Box<RawValue>)>);

impl PartialEq for ExpenseChanges {
    fn eq(&self, other: &Self) -> bool {
        self.0.len() == other.0.len()
            && self
                .0
                .iter()
                .zip(&other.0)
                .all(|((a, x), (b, y))| a == b && x.get() == y.get())
    }
}

impl Eq for ExpenseChanges {}

impl Serialize for ExpenseChanges {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for ExpenseChanges {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Object;
        impl<'de> Visitor<'de> for Object {
            type Value = ExpenseChanges;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut fields = Vec::new();
                while let Some(field) = map.next_entry::<String, Box<RawValue>>()? {
                    fields.push(field);
                }
                Ok(ExpenseChanges(fields))
            }
        }
        d.deserialize_map(Object)
    }
}

/// An expense's JSON object, field by field; its receipts left out (only receipt
/// events change them).
fn fields_of(e: &Expense) -> Vec<(String, Box<RawValue>)> {
    let mut fields = serde_json::to_string(e)
        .ok()
        .and_then(|text| serde_json::from_slice::<ExpenseChanges>(text.as_bytes()).ok())
        .map_or_else(Vec::new, |c| c.0);
    fields.retain(|(k, _)| k != "receipts");
    fields
}

fn null() -> Box<RawValue> {
    RawValue::from_string("null".into()).unwrap_or_default()
}

/// Fields that only make sense together: setting the first sets the others too.
const TOGETHER: [(&str, &[&str]); 3] = [
    ("currency", &["rate"]),
    ("rate", &["currency"]),
    ("items", &["amount", "split"]),
];

impl ExpenseChanges {
    /// Reads changes from their JSON object.
    pub fn from_json(text: &str) -> Result<Self, Error> {
        serde_json::from_slice(text.as_bytes()).map_err(|e| Error::BadEvent(e.to_string()))
    }

    /// What turns `before` into `after`: only the fields that differ (a currency with
    /// its rate; items with the amount and split they give).
    pub fn between(before: &Expense, after: &Expense) -> Self {
        let (old, new) = (fields_of(before), fields_of(after));
        let text = |f: &[(String, Box<RawValue>)], k: &str| {
            f.iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.get().to_string())
        };
        let mut names: Vec<&str> = Vec::new();
        for (k, _) in old.iter().chain(&new) {
            if !names.contains(&k.as_str()) && text(&old, k) != text(&new, k) {
                names.push(k);
            }
        }
        for (first, others) in TOGETHER {
            if names.contains(&first) && (first != "items" || text(&new, first).is_some()) {
                for o in others {
                    if !names.contains(o) {
                        names.push(o);
                    }
                }
            }
        }
        let mut out = Vec::new();
        for (k, v) in &new {
            if names.contains(&k.as_str()) {
                out.push((k.clone(), v.clone()));
            }
        }
        for k in names {
            if text(&new, k).is_none() {
                out.push((k.to_string(), null()));
            }
        }
        ExpenseChanges(out)
    }

    /// The names of the fields it changes (`rate` goes with `currency`).
    pub fn fields(&self) -> Vec<String> {
        let has_currency = self.0.iter().any(|(k, _)| k == "currency");
        let mut out: Vec<String> = Vec::new();
        for (k, _) in &self.0 {
            let rate_of_currency = k == "rate" && has_currency;
            if !rate_of_currency && !out.contains(k) {
                out.push(k.clone());
            }
        }
        out
    }

    /// The JSON text this edit gives `field`, if it changes it.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == field)
            .map(|(_, v)| v.get())
    }

    /// True if it changes nothing.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `current` with these fields set, then its payers and exact parts scaled to the
    /// amount where they no longer add up to it (not for an itemized bill, whose items
    /// say its parts). Deterministic: every device computes the same value.
    pub fn applied_to(&self, current: &Expense) -> Result<Expense, Error> {
        let mut merged = fields_of(current);
        for (k, v) in &self.0 {
            merged.retain(|(n, _)| n != k);
            if v.get() != "null" {
                merged.push((k.clone(), v.clone()));
            }
        }
        let text = serde_json::to_string(&ExpenseChanges(merged))
            .map_err(|e| Error::BadEvent(e.to_string()))?;
        let mut v: Expense =
            serde_json::from_slice(text.as_bytes()).map_err(|e| Error::BadEvent(e.to_string()))?;
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
}

fn sum(parts: &[(MemberId, i64)]) -> Option<i64> {
    parts
        .iter()
        .try_fold(0i64, |acc, (_, a)| acc.checked_add(*a))
}

/// Why an edit did not apply (amounts that cannot add up, income made positive, parts
/// that are not what the bill's items give).
const CANNOT: &str = "a per-field edit that cannot apply to this expense";

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
    let mut v = changes.applied_to(current).map_err(|_| CANNOT)?;
    crate::placeholder::follow_expense(&mut v, |m| crate::placeholder::resolve(s, m));
    crate::bounds::check_expense(&v)?;
    if v.kind == ExpenseKind::Income && v.amount >= 0 {
        return Err(CANNOT);
    }
    if let Some(items) = &v.items {
        items
            .check_against(v.amount, &v.split)
            .map_err(|_| CANNOT)?;
    }
    s.expenses.insert(expense, v);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{exact, m};

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
        assert_eq!(
            serde_json::to_string(&amount).unwrap(),
            r#"{"amount":1201}"#
        );
    }

    #[test]
    fn a_currency_carries_its_rate_and_null_puts_a_field_back_to_its_default() {
        let base = Expense {
            title: "Taxi".into(),
            currency: "USD".into(),
            rate: Some(crate::Rate {
                numerator: 9,
                denominator: 10,
            }),
            ..exact()
        };
        let mut home = base.clone();
        home.currency = "EUR".into();
        home.rate = None;
        home.title = String::new();
        let c = ExpenseChanges::between(&base, &home);
        assert_eq!(c.fields(), ["currency", "title"]);
        assert_eq!(c.get("rate"), Some("null"));
        assert_eq!(c.applied_to(&base).unwrap(), home);
        let back = ExpenseChanges::from_json(&serde_json::to_string(&c).unwrap()).unwrap();
        assert_eq!(back, c);
        assert!(ExpenseChanges::from_json("{}").unwrap().is_empty());
        assert!(ExpenseChanges::from_json("[]").is_err());
    }

    /// Older or newer version: a field this version does not know is carried and
    /// ignored; a value of the wrong type does not apply.
    #[test]
    fn older_or_newer_version_unknown_fields_are_ignored_bad_ones_refused() {
        let c = ExpenseChanges::from_json(r#"{"note":"x","receipt":{"sha":"00"}}"#).unwrap();
        assert_eq!(c.applied_to(&exact()).unwrap().note, "x");
        let bad = ExpenseChanges::from_json(r#"{"amount":"lots"}"#).unwrap();
        assert!(bad.applied_to(&exact()).is_err());
    }
}
