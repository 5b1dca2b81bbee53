//! Balances and the settle-up plan, in the group currency.
//!
//! Positive balance: the group owes the member; negative: the member owes. Every
//! expense is converted once (its rate) and then both the paid and the owed sides are
//! distributed from that one converted amount by largest remainder, so each expense adds
//! exactly zero to the sum of balances: balances always sum to zero.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::split::distribute;
use crate::{EventId, MemberId, State, split_amount};

/// One payment of the settle-up plan.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transfer {
    /// Who pays.
    pub from: MemberId,
    /// Who receives.
    pub to: MemberId,
    /// Minor units of the group currency.
    pub amount: i64,
}

fn weights(parts: &[(MemberId, i64)]) -> Vec<(MemberId, u64)> {
    parts.iter().map(|(m, a)| (*m, a.unsigned_abs())).collect()
}

/// Something balances or statistics could not count, and why: shown, never skipped
/// silently.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Uncounted {
    /// The expense or settlement.
    pub id: EventId,
    /// `"expense"` or `"settlement"`.
    pub what: String,
    /// Why, for people.
    pub reason: String,
}

/// Balances with what they leave out.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BalanceSheet {
    /// Each member's balance, minor units of the group currency.
    pub balances: BTreeMap<MemberId, i64>,
    /// Expenses and settlements not counted (no rate to the group currency, invalid,
    /// or a total that would leave the exact range).
    pub uncounted: Vec<Uncounted>,
}

/// Each member's balance in the group currency. See [`balance_sheet`] for what it
/// leaves out.
pub fn balances(state: &State) -> BTreeMap<MemberId, i64> {
    balance_sheet(state).balances
}

/// Adds each part to the balances if every result stays exact; the parts of one expense
/// or settlement go in together or not at all.
fn add_all(out: &mut BTreeMap<MemberId, i64>, parts: &[(MemberId, i64)]) -> bool {
    let mut next = out.clone();
    for (m, v) in parts {
        let b = next.entry(*m).or_insert(0);
        match crate::bounds::add(*b, *v) {
            Some(sum) => *b = sum,
            None => return false,
        }
    }
    *out = next;
    true
}

/// Each member's balance in the group currency, and the expenses and settlements left
/// out, each with its reason: one that does not validate (from a buggy or hostile
/// device), one in another currency without a rate (a currency changed under it), or
/// one that would carry a balance past ±(2^53 − 1).
pub fn balance_sheet(state: &State) -> BalanceSheet {
    let mut sheet = BalanceSheet {
        balances: crate::order::map_of(state.members.keys().map(|m| (*m, 0))),
        uncounted: Vec::new(),
    };
    let Some(settings) = &state.settings else {
        return sheet;
    };
    let group = settings.currency.as_str();
    let mut skip = |id: &EventId, what: &str, reason: String| {
        sheet.uncounted.push(Uncounted {
            id: *id,
            what: what.into(),
            reason,
        })
    };
    let mut out = sheet.balances.clone();
    for (id, e) in &state.expenses {
        if e.amount == 0 {
            continue;
        }
        if e.currency != group && e.rate.is_none() {
            skip(
                id,
                "expense",
                format!("in {} with no rate to {group}", e.currency),
            );
            continue;
        }
        if let Err(err) = e.validate(group) {
            skip(id, "expense", err.to_string());
            continue;
        }
        let amount = match e.rate {
            Some(rate) if e.currency != group => rate.convert(e.amount),
            _ => e.amount,
        };
        let parts = split_amount(e.amount, &e.split).and_then(|owed| {
            Ok((
                distribute(amount, &weights(&e.payers))?,
                distribute(amount, &weights(&owed))?,
            ))
        });
        let Ok((paid, owed)) = parts else {
            skip(id, "expense", "its split cannot be computed".into());
            continue;
        };
        let all: Vec<(MemberId, i64)> = paid
            .into_iter()
            .chain(owed.into_iter().map(|(m, v)| (m, -v)))
            .collect();
        if !add_all(&mut out, &all) {
            skip(id, "expense", "a balance would be too large".into());
        }
    }
    for (id, s) in &state.settlements {
        let amount = match (s.currency == group, s.rate) {
            (true, _) => s.amount,
            (false, Some(rate)) if rate.check().is_ok() => rate.convert(s.amount),
            _ => {
                skip(
                    id,
                    "settlement",
                    format!("in {} with no rate to {group}", s.currency),
                );
                continue;
            }
        };
        if crate::bounds::check_settlement(s).is_err()
            || !add_all(&mut out, &[(s.from, amount), (s.to, -amount)])
        {
            skip(id, "settlement", "a balance would be too large".into());
        }
    }
    sheet.balances = out;
    sheet
}

/// The settle-up plan: who pays whom so every balance reaches zero. Greedy (largest
/// debtor pays largest creditor, ties to the smaller id), so it is deterministic and
/// needs at most `m − 1` transfers; the true minimum is NP-hard in general.
pub fn settle_up(balances: &BTreeMap<MemberId, i64>) -> Vec<Transfer> {
    let mut debtors: Vec<(MemberId, i64)> = balances
        .iter()
        .filter(|(_, b)| **b < 0)
        .map(|(m, b)| (*m, -b))
        .collect();
    let mut creditors: Vec<(MemberId, i64)> = balances
        .iter()
        .filter(|(_, b)| **b > 0)
        .map(|(m, b)| (*m, *b))
        .collect();
    let mut plan = Vec::new();
    loop {
        let largest_first =
            |a: &(MemberId, i64), b: &(MemberId, i64)| b.1.cmp(&a.1).then(a.0.cmp(&b.0));
        crate::order::sort_by(&mut debtors, largest_first);
        crate::order::sort_by(&mut creditors, largest_first);
        let (Some(d), Some(c)) = (debtors.first_mut(), creditors.first_mut()) else {
            break;
        };
        let amount = d.1.min(c.1);
        plan.push(Transfer {
            from: d.0,
            to: c.0,
            amount,
        });
        d.1 -= amount;
        c.1 -= amount;
        debtors.retain(|x| x.1 > 0);
        creditors.retain(|x| x.1 > 0);
    }
    plan
}
