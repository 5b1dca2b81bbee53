//! Balances and the settle-up plan, in the group currency.
//!
//! Positive balance: the group owes the member; negative: the member owes. Every
//! expense is converted once (its rate) and then both the paid and the owed sides are
//! distributed from that one converted amount by largest remainder, so each expense adds
//! exactly zero to the sum of balances: balances always sum to zero.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::split::distribute;
use crate::{MemberId, State, split_amount};

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

/// Each member's balance in the group currency. Expenses that do not validate (from a
/// buggy or hostile device) are left out rather than guessed at.
pub fn balances(state: &State) -> BTreeMap<MemberId, i64> {
    let mut out: BTreeMap<MemberId, i64> = state.members.keys().map(|m| (*m, 0)).collect();
    let Some(settings) = &state.settings else {
        return out;
    };
    let group = settings.currency.as_str();
    let mut add = |m: MemberId, v: i64| *out.entry(m).or_insert(0) += v;
    for e in state.expenses.values() {
        if e.validate(group).is_err() || e.amount == 0 {
            continue;
        }
        let amount = match (e.currency == group, e.rate) {
            (true, _) => e.amount,
            (false, Some(rate)) => rate.convert(e.amount),
            (false, None) => continue,
        };
        let Ok(owed) = split_amount(e.amount, &e.split) else {
            continue;
        };
        let (Ok(paid), Ok(owed)) = (
            distribute(amount, &weights(&e.payers)),
            distribute(amount, &weights(&owed)),
        ) else {
            continue;
        };
        for (m, v) in paid {
            add(m, v);
        }
        for (m, v) in owed {
            add(m, -v);
        }
    }
    for s in state.settlements.values() {
        let amount = match (s.currency == group, s.rate) {
            (true, _) => s.amount,
            (false, Some(rate)) if rate.check().is_ok() => rate.convert(s.amount),
            _ => continue,
        };
        add(s.from, amount);
        add(s.to, -amount);
    }
    out
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
        debtors.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        creditors.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
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
