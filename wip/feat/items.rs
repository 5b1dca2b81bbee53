//! Itemized bills (a restaurant): items with their own price and who shares each, plus
//! tax and tip spread in proportion to what each person's items cost. The expense keeps
//! an `exact` split of the resulting parts, so balances — and older versions, which do
//! not read the items — count exactly the same cents; the items describe how those parts
//! came about and are checked against them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::split::distribute;
use crate::{Error, MemberId, Split};

/// At most this many items on one bill.
pub const MAX_ITEMS: usize = 500;
/// At most this many extras (tax, tip, service) on one bill.
pub const MAX_EXTRAS: usize = 10;
/// The longest item or extra name, in characters.
pub const MAX_ITEM_NAME: usize = 80;
/// The largest percentage of an extra, in basis points (100 %).
pub const MAX_EXTRA_BASIS_POINTS: u32 = 10_000;

/// One line of the bill.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    /// What it was.
    pub name: String,
    /// Its price in minor units (> 0).
    pub price: i64,
    /// Who shares it (equally).
    pub members: Vec<MemberId>,
}

/// Tax, tip or service: a fixed amount, a percentage of the items' total, or both.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extra {
    /// "tip", "tax", …
    pub name: String,
    /// A fixed amount in minor units (may be negative: a discount).
    #[serde(default)]
    pub amount: i64,
    /// A percentage of the items' total, in basis points (10 % = 1000).
    #[serde(default)]
    pub basis_points: u32,
}

/// A bill's items and extras.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Itemized {
    /// The items.
    pub items: Vec<Item>,
    /// Tax, tip, service.
    #[serde(default)]
    pub extras: Vec<Extra>,
}

/// What an itemized bill adds up to.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemizedTotal {
    /// The items' total.
    pub subtotal: i64,
    /// The extras, each in minor units (percentages rounded half away from zero).
    pub extras: Vec<i64>,
    /// Everything: the expense's amount.
    pub total: i64,
    /// Each member's part, sorted by member id; they sum to `total`.
    pub parts: Vec<(MemberId, i64)>,
}

fn bounded(v: i128) -> Result<i64, Error> {
    i64::try_from(v)
        .ok()
        .filter(|v| crate::bounds::amount_ok(*v))
        .ok_or_else(|| Error::OutOfBounds("the bill is beyond the largest the app handles".into()))
}

fn name_ok(name: &str, what: &str) -> Result<(), Error> {
    let n = name.chars().count();
    if n > MAX_ITEM_NAME {
        return Err(Error::BadItems(format!(
            "{what} names have at most {MAX_ITEM_NAME} characters, got {n}"
        )));
    }
    Ok(())
}

impl Itemized {
    /// Computes the bill: each item is shared equally among its members, the extras are
    /// added up (percentages of the items' total, rounded half away from zero) and
    /// spread in proportion to each member's items. Every rounding is largest remainder
    /// with ties to the smaller member id, so the parts always sum to the total.
    pub fn total(&self) -> Result<ItemizedTotal, Error> {
        if self.items.is_empty() {
            return Err(Error::BadItems("no items".into()));
        }
        if self.items.len() > MAX_ITEMS || self.extras.len() > MAX_EXTRAS {
            return Err(Error::BadItems(format!(
                "at most {MAX_ITEMS} items and {MAX_EXTRAS} extras, got {} and {}",
                self.items.len(),
                self.extras.len()
            )));
        }
        let mut by_member: BTreeMap<MemberId, i128> = BTreeMap::new();
        let mut subtotal: i128 = 0;
        for item in &self.items {
            name_ok(&item.name, "item")?;
            if item.price <= 0 || !crate::bounds::amount_ok(item.price) {
                return Err(Error::BadItems(format!(
                    "{:?} needs a positive price",
                    item.name
                )));
            }
            if item.members.is_empty() {
                return Err(Error::BadItems(format!("nobody shares {:?}", item.name)));
            }
            let mut members = item.members.clone();
            members.sort();
            members.dedup();
            let weights: Vec<(MemberId, u64)> = members.iter().map(|m| (*m, 1)).collect();
            for (m, part) in distribute(item.price, &weights)? {
                *by_member.entry(m).or_default() += i128::from(part);
            }
            subtotal += i128::from(item.price);
        }
        let subtotal = bounded(subtotal)?;
        let mut extras = Vec::with_capacity(self.extras.len());
        for extra in &self.extras {
            name_ok(&extra.name, "extra")?;
            if extra.basis_points > MAX_EXTRA_BASIS_POINTS || !crate::bounds::amount_ok(extra.amount)
            {
                return Err(Error::BadItems(format!(
                    "{:?}: at most 100 % and the largest amount",
                    extra.name
                )));
            }
            let scaled = i128::from(subtotal) * i128::from(extra.basis_points);
            let percent = (scaled + 5_000) / 10_000;
            extras.push(bounded(percent + i128::from(extra.amount))?);
        }
        let extra_total = bounded(extras.iter().map(|e| i128::from(*e)).sum())?;
        let total = bounded(i128::from(subtotal) + i128::from(extra_total))?;
        if total <= 0 {
            return Err(Error::BadItems("the bill must come to more than zero".into()));
        }
        let weights: Vec<(MemberId, u64)> = by_member
            .iter()
            .map(|(m, v)| (*m, u64::try_from(*v).unwrap_or(0)))
            .collect();
        let spread = if extra_total == 0 {
            Vec::new()
        } else {
            distribute(extra_total, &weights)?
        };
        for (m, part) in spread {
            *by_member.entry(m).or_default() += i128::from(part);
        }
        let parts = by_member
            .into_iter()
            .map(|(m, v)| bounded(v).map(|v| (m, v)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(ItemizedTotal {
            subtotal,
            extras,
            total,
            parts,
        })
    }

    /// The expense amount and split this bill gives.
    pub fn split(&self) -> Result<(i64, Split), Error> {
        let t = self.total()?;
        Ok((t.total, Split::Exact { amounts: t.parts }))
    }

    /// Checks that `amount` and `split` are exactly what the items give.
    pub fn check_against(&self, amount: i64, split: &Split) -> Result<(), Error> {
        let t = self.total()?;
        let parts = crate::split_amount(amount, split).ok();
        if t.total != amount || !matches!(split, Split::Exact { .. }) || parts != Some(t.parts) {
            return Err(Error::BadItems(
                "the amount and parts are not what the items add up to".into(),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(b: u8) -> MemberId {
        MemberId([b; 16])
    }

    fn item(name: &str, price: i64, members: &[u8]) -> Item {
        Item {
            name: name.into(),
            price,
            members: members.iter().map(|b| m(*b)).collect(),
        }
    }

    #[test]
    fn a_restaurant_bill_with_a_tip_is_exact_to_the_cent() {
        let bill = Itemized {
            items: vec![
                item("Pizza", 1250, &[1, 2]),
                item("Salad", 899, &[3]),
                item("Wine", 2000, &[1, 2, 3]),
            ],
            extras: vec![Extra {
                name: "tip".into(),
                amount: 0,
                basis_points: 1000,
            }],
        };
        let t = bill.total().unwrap();
        assert_eq!(t.subtotal, 4149);
        assert_eq!(t.extras, vec![415]);
        assert_eq!(t.total, 4564);
        assert_eq!(t.parts.iter().map(|p| p.1).sum::<i64>(), 4564);
        // Members 1 and 2: 625 of pizza and 667 of wine (the wine's two odd cents go to
        // the smaller ids); the tip of 415 spread as 129, 129 and 157.
        assert_eq!(t.parts[0], (m(1), 1292 + 129));
        let (amount, split) = bill.split().unwrap();
        assert!(bill.check_against(amount, &split).is_ok());
        assert!(bill.check_against(amount + 1, &split).is_err());
    }

    /// Hostile input from a member: a bill of 10,000 items is refused, not computed.
    #[test]
    fn hostile_member_ten_thousand_items_are_refused() {
        let bill = Itemized {
            items: (0..10_000).map(|i| item(&format!("i{i}"), 1, &[1])).collect(),
            extras: vec![],
        };
        assert!(matches!(bill.total(), Err(Error::BadItems(_))));
        let long = Itemized {
            items: vec![item(&"x".repeat(100_000), 1, &[1])],
            extras: vec![],
        };
        assert!(long.total().is_err());
    }

    #[test]
    fn empty_unshared_and_free_items_are_refused() {
        assert!(Itemized::default().total().is_err());
        let nobody = Itemized {
            items: vec![item("Pizza", 100, &[])],
            extras: vec![],
        };
        assert!(nobody.total().is_err());
        let free = Itemized {
            items: vec![item("Water", 0, &[1])],
            extras: vec![],
        };
        assert!(free.total().is_err());
    }
}
