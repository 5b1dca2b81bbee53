//! From a [`Plan`] to the ledger values applying writes ([`Writes`], applied by
//! `gfms_client::import_plan`), and the check after applying: each person's balance from
//! the group's records of this file, per currency, against the other app's ([`check`]).

use std::collections::BTreeMap;

use gfms_ledger::{Expense, MemberId, Settlement, State, split_amount};
use serde::{Deserialize, Serialize};

use crate::{Error, Plan};

/// What applying a plan writes, as ledger values: new people under stand-in ids that
/// applying replaces by their placeholders' ids. Only the records the group did not have
/// when planned (applying checks again). Each record carries its `import_id`; a refusal
/// names it, and [`Plan::line_of`] gives its line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Writes {
    /// Each person: a member's id, or a stand-in id for a new placeholder.
    pub members: Vec<MemberId>,
    /// Each person's placeholder name when new, else empty.
    pub names: Vec<String>,
    /// Each new expense.
    pub expenses: Vec<Expense>,
    /// Each new payment.
    pub settlements: Vec<Settlement>,
}

/// The id a new person stands under until their placeholder exists (16 bytes no device
/// draws in practice: member ids are random).
fn stand_in(index: usize) -> MemberId {
    let mut b = [0xee; 16];
    b[12..].copy_from_slice(&(index as u32).to_be_bytes());
    MemberId(b)
}

impl Plan {
    /// The ledger values to write.
    pub fn writes(&self) -> Result<Writes, Error> {
        let ids: Vec<MemberId> = self
            .members
            .iter()
            .enumerate()
            .map(|(i, m)| m.member.unwrap_or_else(|| stand_in(i)))
            .collect();
        let names = self
            .members
            .iter()
            .map(|m| m.member.map_or(m.name.clone(), |_| String::new()))
            .collect();
        let mut expenses = Vec::new();
        for p in self.expenses.iter().filter(|e| !e.present) {
            let mut e = p.expense.to_expense(&ids)?;
            e.import_id = p.import_id.clone();
            expenses.push(e);
        }
        let mut settlements = Vec::new();
        for p in self.transfers.iter().filter(|t| !t.present) {
            let mut s = p.transfer.to_settlement(&ids)?;
            s.import_id = p.import_id.clone();
            settlements.push(s);
        }
        Ok(Writes {
            members: ids,
            names,
            expenses,
            settlements,
        })
    }

    /// The line of the file a record came from, by its import id.
    pub fn line_of(&self, import_id: &str) -> Option<u64> {
        self.expenses
            .iter()
            .find(|e| e.import_id == import_id)
            .map(|e| e.expense.line)
            .or_else(|| {
                self.transfers
                    .iter()
                    .find(|t| t.import_id == import_id)
                    .map(|t| t.transfer.line)
            })
    }
}

/// One person's balance in one currency where the group and the other app disagree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Disagreement {
    /// The currency.
    pub currency: String,
    /// The member.
    pub member: MemberId,
    /// What the other app showed.
    pub expected: i64,
    /// What the group's records from the file give.
    pub actual: i64,
}

/// The check after applying.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checked {
    /// Per currency, each member's balance from the group's records of this file.
    pub balances: BTreeMap<String, BTreeMap<MemberId, i64>>,
    /// Where those differ from the other app's; empty when the import is exact.
    pub disagreements: Vec<Disagreement>,
}

fn add(to: &mut BTreeMap<MemberId, i64>, member: MemberId, amount: i64) {
    let b = to.entry(member).or_insert(0);
    *b = b.saturating_add(amount);
}

/// Each person's balance per currency from the records of `plan`'s file that `state`
/// holds (new and already present, as the group holds them now: claims applied), against
/// the other app's. `members` is each person's member id, as applying gave them.
pub fn check(plan: &Plan, members: &[MemberId], state: &State) -> Checked {
    let ids: std::collections::BTreeSet<&str> = plan
        .expenses
        .iter()
        .map(|e| e.import_id.as_str())
        .chain(plan.transfers.iter().map(|t| t.import_id.as_str()))
        .collect();
    let owner = |m: MemberId| {
        state
            .members
            .get(&m)
            .and_then(|x| x.claimed_by)
            .unwrap_or(m)
    };
    let mut actual: BTreeMap<String, BTreeMap<MemberId, i64>> = BTreeMap::new();
    for e in state
        .expenses
        .values()
        .filter(|e| ids.contains(e.import_id.as_str()))
    {
        let b = actual.entry(e.currency.clone()).or_default();
        for (m, a) in &e.payers {
            add(b, owner(*m), *a);
        }
        for (m, a) in split_amount(e.amount, &e.split).unwrap_or_default() {
            add(b, owner(m), -a);
        }
    }
    for s in state
        .settlements
        .values()
        .filter(|s| ids.contains(s.import_id.as_str()))
    {
        let b = actual.entry(s.currency.clone()).or_default();
        add(b, owner(s.from), s.amount);
        add(b, owner(s.to), -s.amount);
    }
    let mut expected: BTreeMap<String, BTreeMap<MemberId, i64>> = BTreeMap::new();
    for (cur, list) in &plan.expected {
        let b = expected.entry(cur.clone()).or_default();
        for (m, v) in members.iter().zip(list) {
            add(b, owner(*m), *v);
        }
    }
    let mut disagreements = Vec::new();
    let currencies: std::collections::BTreeSet<&String> =
        actual.keys().chain(expected.keys()).collect();
    for cur in currencies {
        let (a, x) = (actual.get(cur), expected.get(cur));
        let people: std::collections::BTreeSet<MemberId> = a
            .into_iter()
            .chain(x)
            .flat_map(|m| m.keys().copied())
            .collect();
        for m in people {
            let get = |b: Option<&BTreeMap<MemberId, i64>>| {
                b.and_then(|b| b.get(&m)).copied().unwrap_or(0)
            };
            if get(a) != get(x) {
                disagreements.push(Disagreement {
                    currency: cur.clone(),
                    member: m,
                    expected: get(x),
                    actual: get(a),
                });
            }
        }
    }
    Checked {
        balances: actual,
        disagreements,
    }
}
