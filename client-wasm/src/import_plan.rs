//! Applying an import plan (built by `gfms_import::plan`, in the CLI or in the app's
//! lazily loaded import module) to a group: new placeholders, then each expense and
//! payment the group does not have yet, all or nothing. Then the check: what the group
//! now holds of the file gives every person the balance the other app showed, per
//! currency, to the minor unit. Only the plan's JSON shape is shared with
//! `gfms-import`, so the parsers stay out of the main client wasm.

use std::collections::{BTreeMap, BTreeSet};

use gfms_ledger::{
    EventBody, Expense, ExpenseKind, MemberId, Rate, Settlement, Split, State, add_placeholder,
    placeholder_id, split_amount,
};
use gfms_sync::Group;
use serde::{Deserialize, Serialize};

/// Why a plan was not applied; the group is as it was.
#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    /// The plan is not of the expected shape.
    #[error("not an import plan: {0}")]
    Shape(String),
    /// The plan was made for a group with another currency.
    #[error("the plan was made for a group in {planned}; this group keeps {group}")]
    Currency {
        /// The plan's.
        planned: String,
        /// The group's.
        group: String,
    },
    /// Rows in other currencies have no exchange rate.
    #[error("rows in {} need an exchange rate to {group}", .currencies.join(", "))]
    NeedsRate {
        /// The currencies.
        currencies: Vec<String>,
        /// The group's.
        group: String,
    },
    /// A member the plan names is not in the group.
    #[error("{0} is not a member of this group")]
    NoSuchMember(MemberId),
    /// The group refused one record.
    #[error("line {line}: {message}")]
    Refused {
        /// The line of the file it came from.
        line: u64,
        /// The group's reason.
        message: String,
        /// The group's code for it.
        code: &'static str,
    },
    /// The group could not record anything (not a member, history not synced).
    #[error("{0}")]
    Group(#[from] gfms_sync::Error),
}

impl ApplyError {
    /// A stable code for the kind of error.
    pub fn code(&self) -> &'static str {
        match self {
            ApplyError::Shape(_) => "bad_argument",
            ApplyError::Currency { .. } => "stale_plan",
            ApplyError::NeedsRate { .. } => "needs_rate",
            ApplyError::NoSuchMember(_) => "not_member",
            ApplyError::Refused { code, .. } => code,
            ApplyError::Group(e) => e.code(),
        }
    }
}

/// The parts of `gfms_import::Plan` applying reads.
#[derive(Debug, Deserialize)]
pub struct Plan {
    currency: String,
    members: Vec<PlanMember>,
    expenses: Vec<PlanExpense>,
    transfers: Vec<PlanTransfer>,
    expected: BTreeMap<String, Vec<i64>>,
}

#[derive(Debug, Deserialize)]
struct PlanMember {
    name: String,
    member: Option<MemberId>,
}

#[derive(Debug, Deserialize)]
struct PlanExpense {
    import_id: String,
    line: u64,
    title: String,
    date: String,
    category: String,
    amount: i64,
    currency: String,
    rate: Option<Rate>,
    payers: Vec<(usize, i64)>,
    parts: Vec<(usize, i64)>,
    note: String,
    kind: ExpenseKind,
}

#[derive(Debug, Deserialize)]
struct PlanTransfer {
    import_id: String,
    line: u64,
    date: String,
    from: usize,
    to: usize,
    amount: i64,
    currency: String,
    rate: Option<Rate>,
}

impl Plan {
    /// Reads a plan's JSON.
    pub fn from_json(json: &str) -> Result<Self, ApplyError> {
        serde_json::from_str(json).map_err(|e| ApplyError::Shape(e.to_string()))
    }
}

/// One person's balance in one currency where the group and the other app disagree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Difference {
    /// The currency.
    pub currency: String,
    /// The member.
    pub member: MemberId,
    /// What the other app showed.
    pub expected: i64,
    /// What the group's records from the file give.
    pub actual: i64,
}

/// What applying wrote, and the check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Applied {
    /// Placeholders added.
    pub placeholders: usize,
    /// Expenses added.
    pub expenses: usize,
    /// Payments added.
    pub payments: usize,
    /// Records the group already had.
    pub skipped: usize,
    /// Per currency, each person's balance from the file's records as the group now
    /// holds them.
    pub balances: BTreeMap<String, BTreeMap<MemberId, i64>>,
    /// Where those differ from the other app's; empty when the import is exact.
    pub differences: Vec<Difference>,
}

/// The import ids a group holds or held.
fn held_ids(group: &Group) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for e in group.ledger().events() {
        match &e.body {
            EventBody::ExpenseAdded { value, .. } | EventBody::ExpenseEdited { value, .. } => {
                ids.insert(value.import_id.clone());
            }
            EventBody::SettlementRecorded { value, .. } => {
                ids.insert(value.import_id.clone());
            }
            _ => {}
        }
    }
    ids.remove("");
    ids
}

/// Applies `plan` to `group`, all or nothing: on any error the group is as it was.
pub fn apply(group: &mut Group, plan: &Plan, now_ms: u64) -> Result<Applied, ApplyError> {
    let state = group.state().clone();
    let currency = state
        .settings
        .as_ref()
        .map(|s| s.currency.clone())
        .ok_or(ApplyError::Group(gfms_sync::Error::NotSynced))?;
    if plan.currency != currency {
        return Err(ApplyError::Currency {
            planned: plan.currency.clone(),
            group: currency,
        });
    }
    let held = held_ids(group);
    let new_expenses: Vec<&PlanExpense> = plan
        .expenses
        .iter()
        .filter(|e| !held.contains(&e.import_id))
        .collect();
    let new_transfers: Vec<&PlanTransfer> = plan
        .transfers
        .iter()
        .filter(|t| !held.contains(&t.import_id))
        .collect();
    let mut unrated: BTreeSet<String> = new_expenses
        .iter()
        .filter(|e| e.currency != currency && e.rate.is_none())
        .map(|e| e.currency.clone())
        .collect();
    unrated.extend(
        new_transfers
            .iter()
            .filter(|t| t.currency != currency && t.rate.is_none())
            .map(|t| t.currency.clone()),
    );
    if !unrated.is_empty() {
        return Err(ApplyError::NeedsRate {
            currencies: unrated.into_iter().collect(),
            group: currency,
        });
    }
    for m in plan.members.iter().filter_map(|m| m.member) {
        if !state.members.contains_key(&m) {
            return Err(ApplyError::NoSuchMember(m));
        }
    }
    let skipped =
        plan.expenses.len() + plan.transfers.len() - new_expenses.len() - new_transfers.len();
    let mut applied = Applied {
        placeholders: 0,
        expenses: 0,
        payments: 0,
        skipped,
        balances: BTreeMap::new(),
        differences: Vec::new(),
    };
    let snapshot = group.save()?;
    let written = write(
        group,
        plan,
        &new_expenses,
        &new_transfers,
        now_ms,
        &mut applied,
    );
    let ids = match written {
        Ok(ids) => ids,
        Err(e) => {
            *group = Group::load(&snapshot)?;
            return Err(e);
        }
    };
    let file_ids: BTreeSet<&str> = plan
        .expenses
        .iter()
        .map(|e| e.import_id.as_str())
        .chain(plan.transfers.iter().map(|t| t.import_id.as_str()))
        .collect();
    check(group.state(), plan, &ids, &file_ids, &mut applied);
    Ok(applied)
}

/// Writes the placeholders and the new records; returns each person's member id.
fn write(
    group: &mut Group,
    plan: &Plan,
    expenses: &[&PlanExpense],
    transfers: &[&PlanTransfer],
    now_ms: u64,
    applied: &mut Applied,
) -> Result<Vec<MemberId>, ApplyError> {
    let anything = !expenses.is_empty() || !transfers.is_empty();
    let mut ids = Vec::with_capacity(plan.members.len());
    for m in &plan.members {
        let id = match m.member {
            Some(id) => id,
            None if anything => {
                let body =
                    add_placeholder(group.state(), &m.name).map_err(|e| ApplyError::Refused {
                        line: 1,
                        message: format!("{:?}: {e}", m.name),
                        code: e.code(),
                    })?;
                applied.placeholders += 1;
                placeholder_id(group.append(body, now_ms)?)
            }
            // Nothing to write: the person is in no new record.
            None => MemberId([0; 16]),
        };
        ids.push(id);
    }
    let member = |i: usize, line: u64| {
        ids.get(i).copied().ok_or(ApplyError::Refused {
            line,
            message: format!("person {i} is not in the plan"),
            code: "bad_argument",
        })
    };
    let refused = |line: u64| {
        move |e: gfms_sync::Error| ApplyError::Refused {
            line,
            message: e.to_string(),
            code: e.code(),
        }
    };
    for e in expenses {
        let list = |l: &[(usize, i64)]| {
            l.iter()
                .map(|(i, a)| Ok((member(*i, e.line)?, *a)))
                .collect::<Result<Vec<_>, ApplyError>>()
        };
        let value = Expense {
            amount: e.amount,
            currency: e.currency.clone(),
            rate: if e.currency == plan.currency {
                None
            } else {
                e.rate
            },
            category: e.category.clone(),
            shop: e.title.clone(),
            payers: list(&e.payers)?,
            split: Split::Exact {
                amounts: list(&e.parts)?,
            },
            date: e.date.clone(),
            note: e.note.clone(),
            kind: e.kind,
            import_id: e.import_id.clone(),
            ..Expense::default()
        };
        group.add_expense(value, now_ms).map_err(refused(e.line))?;
        applied.expenses += 1;
    }
    for t in transfers {
        let value = Settlement {
            from: member(t.from, t.line)?,
            to: member(t.to, t.line)?,
            amount: t.amount,
            currency: t.currency.clone(),
            rate: if t.currency == plan.currency {
                None
            } else {
                t.rate
            },
            date: t.date.clone(),
            import_id: t.import_id.clone(),
        };
        group
            .record_settlement(value, now_ms)
            .map_err(refused(t.line))?;
        applied.payments += 1;
    }
    Ok(ids)
}

fn add(to: &mut BTreeMap<MemberId, i64>, member: MemberId, amount: i64) {
    let b = to.entry(member).or_insert(0);
    *b = b.saturating_add(amount);
}

/// Each person's balance per currency from the file's records as the group holds them,
/// against the other app's.
fn check(
    state: &State,
    plan: &Plan,
    ids: &[MemberId],
    file: &BTreeSet<&str>,
    applied: &mut Applied,
) {
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
        .filter(|e| file.contains(e.import_id.as_str()))
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
        .filter(|s| file.contains(s.import_id.as_str()))
    {
        let b = actual.entry(s.currency.clone()).or_default();
        add(b, owner(s.from), s.amount);
        add(b, owner(s.to), -s.amount);
    }
    let mut expected: BTreeMap<String, BTreeMap<MemberId, i64>> = BTreeMap::new();
    for (cur, list) in &plan.expected {
        let b = expected.entry(cur.clone()).or_default();
        for (i, v) in list.iter().enumerate() {
            if let Some(m) = ids.get(i) {
                add(b, owner(*m), *v);
            }
        }
    }
    let currencies: BTreeSet<&String> = actual.keys().chain(expected.keys()).collect();
    for cur in currencies {
        let (a, x) = (actual.get(cur), expected.get(cur));
        let people: BTreeSet<MemberId> = a
            .into_iter()
            .chain(x)
            .flat_map(|m| m.keys().copied())
            .collect();
        for m in people {
            let get = |b: Option<&BTreeMap<MemberId, i64>>| {
                b.and_then(|b| b.get(&m)).copied().unwrap_or(0)
            };
            if get(a) != get(x) {
                applied.differences.push(Difference {
                    currency: cur.clone(),
                    member: m,
                    expected: get(x),
                    actual: get(a),
                });
            }
        }
    }
    applied.balances = actual;
}
