//! The balance check: what was rebuilt is turned into ledger values and the ledger's own
//! [`gfms_ledger::balances`] computes each member's balance, one currency at a time;
//! those must equal what the other app shows, to the minor unit.

use std::collections::BTreeMap;

use gfms_ledger::{
    EventId, GroupSettings, Member, MemberId, MemberStatus, State, balances, new_event_id,
};

use crate::model::{BalanceDifference, Balances, Import, Source, Warnings};
use crate::{ImportedExpense, ImportedTransfer};

/// A stand-in id for the member at `index`, ordered like the indices.
fn placeholder(index: usize) -> MemberId {
    let mut id = [0u8; 16];
    id[8..].copy_from_slice(&(index as u64).to_be_bytes());
    MemberId(id)
}

fn key(n: usize) -> EventId {
    let mut random = [0u8; 10];
    random[2..].copy_from_slice(&(n as u64).to_be_bytes());
    new_event_id(0, random)
}

/// The state standing for `currency`'s part of the import, and a fresh key in it.
fn state_for<'a>(
    states: &'a mut BTreeMap<String, State>,
    currency: &str,
    ids: &[MemberId],
    members: &[String],
) -> (&'a mut State, EventId) {
    let state = states.entry(currency.to_owned()).or_insert_with(|| State {
        settings: Some(GroupSettings {
            name: String::new(),
            currency: currency.to_owned(),
            categories: Vec::new(),
            accounts: Vec::new(),
        }),
        members: ids
            .iter()
            .zip(members)
            .map(|(id, name)| {
                let status = MemberStatus::Active;
                (
                    *id,
                    Member {
                        name: name.clone(),
                        status,
                        placeholder: false,
                        claimed_by: None,
                    },
                )
            })
            .collect(),
        ..State::default()
    });
    // A state's values are keyed by event id; any distinct ids do.
    let n = state.expenses.len() + state.settlements.len();
    (state, key(n))
}

/// Balances per currency as the ledger computes them from the rebuilt expenses and
/// transfers: each currency on its own, as if it were the group's.
pub(crate) fn rebuilt_balances(
    members: &[String],
    expenses: &[ImportedExpense],
    transfers: &[ImportedTransfer],
) -> Balances {
    let ids: Vec<MemberId> = (0..members.len()).map(placeholder).collect();
    let mut states: BTreeMap<String, State> = BTreeMap::new();
    for e in expenses {
        if let Ok(expense) = e.to_expense(&ids) {
            let (state, key) = state_for(&mut states, &e.currency, &ids, members);
            state.expenses.insert(key, expense);
        }
    }
    for t in transfers {
        if let Ok(settlement) = t.to_settlement(&ids) {
            let (state, key) = state_for(&mut states, &t.currency, &ids, members);
            state.settlements.insert(key, settlement);
        }
    }
    states
        .into_iter()
        .map(|(currency, state)| {
            let mut out = vec![0i64; members.len()];
            for (id, b) in balances(&state) {
                let i = u64::from_be_bytes(id.0[8..].try_into().unwrap_or_default());
                if let Some(slot) = usize::try_from(i).ok().and_then(|i| out.get_mut(i)) {
                    *slot = b;
                }
            }
            (currency, out)
        })
        .collect()
}

/// Every member and currency where `expected` and `rebuilt` disagree (a currency missing
/// on one side counts as all zeros).
pub(crate) fn differences(
    members: usize,
    expected: &Balances,
    rebuilt: &Balances,
) -> Vec<BalanceDifference> {
    let zeros = vec![0i64; members];
    let mut out = Vec::new();
    let currencies: std::collections::BTreeSet<&String> =
        expected.keys().chain(rebuilt.keys()).collect();
    for c in currencies {
        let e = expected.get(c).unwrap_or(&zeros);
        let r = rebuilt.get(c).unwrap_or(&zeros);
        for member in 0..members {
            let (expected, rebuilt) = (
                e.get(member).copied().unwrap_or(0),
                r.get(member).copied().unwrap_or(0),
            );
            if expected != rebuilt {
                out.push(BalanceDifference {
                    currency: c.clone(),
                    member,
                    expected,
                    rebuilt,
                });
            }
        }
    }
    out
}

/// What a parser has gathered, before the check.
pub(crate) struct Gathered {
    pub source: Source,
    pub members: Vec<String>,
    pub group_currency: Option<String>,
    pub expenses: Vec<ImportedExpense>,
    pub transfers: Vec<ImportedTransfer>,
    pub expected: Balances,
    pub warnings: Warnings,
}

impl Gathered {
    /// Rebuilds the balances with the ledger, compares, and makes the [`Import`].
    pub fn finish(self) -> Import {
        let rebuilt = rebuilt_balances(&self.members, &self.expenses, &self.transfers);
        let differences = differences(self.members.len(), &self.expected, &rebuilt);
        let mut uses: BTreeMap<&str, usize> = BTreeMap::new();
        let used = self.expenses.iter().map(|e| e.currency.as_str());
        for c in used.chain(self.transfers.iter().map(|t| t.currency.as_str())) {
            *uses.entry(c).or_default() += 1;
        }
        if let Some(g) = &self.group_currency {
            uses.entry(g).or_default();
        }
        let mut currencies: Vec<(&str, usize)> = uses.into_iter().collect();
        currencies.sort_by(|a, b| {
            let group = |c: &str| Some(c) == self.group_currency.as_deref();
            group(b.0)
                .cmp(&group(a.0))
                .then(b.1.cmp(&a.1))
                .then(a.0.cmp(b.0))
        });
        Import {
            source: self.source,
            currencies: currencies.into_iter().map(|(c, _)| c.to_owned()).collect(),
            members: self.members,
            group_currency: self.group_currency,
            expenses: self.expenses,
            transfers: self.transfers,
            balances_expected: self.expected,
            balances_rebuilt: rebuilt,
            differences,
            warnings: self.warnings.finish(),
        }
    }
}
