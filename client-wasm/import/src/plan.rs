//! From an [`Import`] to what applying it to a group writes: who each person in the
//! file is in the group (a member the caller named, a member of the same name, or a new
//! placeholder), each expense and payment with a stable import id, which of them the
//! group already has, and the exchange rates still missing. A [`Plan`] is plain JSON: the
//! app's small import module builds it, the main client applies it
//! (`gfms_client::import_plan`), the CLI does both.

use std::collections::{BTreeMap, BTreeSet};

use gfms_ledger::{Event, EventBody, MemberId, Rate, State};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{Balances, Error, Import, ImportedExpense, ImportedTransfer, Source, Warning};

/// At most this many expenses and payments are imported at once: every one is an event
/// every member's device holds and every relay carries.
pub const MAX_RECORDS: usize = 10_000;

/// The longest member name the ledger takes (`gfms_ledger::change`), in characters.
const MAX_NAME: usize = 80;

/// What the plan needs to know of the group it goes into.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupView {
    /// The group's currency.
    pub currency: String,
    /// Its members, claimed placeholders as their claimer.
    pub members: Vec<GroupMember>,
    /// The import ids of the records it holds (or held: a deleted import is not brought
    /// back).
    pub import_ids: BTreeSet<String>,
}

/// A member of the group, as the plan matches people to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupMember {
    /// Its id.
    pub id: MemberId,
    /// Its name.
    pub name: String,
}

impl GroupView {
    /// The view of a group's state and events.
    pub fn new<'a>(state: &State, events: impl IntoIterator<Item = &'a Event>) -> Self {
        let currency = state
            .settings
            .as_ref()
            .map(|s| s.currency.clone())
            .unwrap_or_default();
        let members = state
            .active_members()
            .map(|(id, m)| GroupMember {
                id: m.claimed_by.unwrap_or(*id),
                name: m.name.clone(),
            })
            .collect();
        let mut import_ids: BTreeSet<String> = BTreeSet::new();
        for e in events {
            match &e.body {
                EventBody::ExpenseAdded { value, .. } | EventBody::ExpenseEdited { value, .. } => {
                    import_ids.insert(value.import_id.clone());
                }
                EventBody::SettlementRecorded { value, .. } => {
                    import_ids.insert(value.import_id.clone());
                }
                _ => {}
            }
        }
        import_ids.extend(state.expenses.values().map(|e| e.import_id.clone()));
        import_ids.extend(state.settlements.values().map(|s| s.import_id.clone()));
        import_ids.remove("");
        Self {
            currency,
            members,
            import_ids,
        }
    }
}

/// The caller's choices.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanOptions {
    /// A person in the file (by name, any case) who is this member of the group.
    #[serde(default)]
    pub mapping: BTreeMap<String, MemberId>,
    /// The rate to the group currency of each other currency in the file.
    #[serde(default)]
    pub rates: BTreeMap<String, Rate>,
}

/// How a person in the file was matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Match {
    /// The caller said who they are.
    Mapped,
    /// A member of the group has the same name.
    SameName,
    /// A new placeholder (a member by name only, to be claimed).
    New,
}

/// A person in the file and who they are in the group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedMember {
    /// Their name in the file (and the new placeholder's name).
    pub name: String,
    /// The group member, unless a new placeholder.
    pub member: Option<MemberId>,
    /// How.
    pub matched: Match,
}

/// An expense to write, with its import id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedExpense {
    /// Stable across imports of the same file, on any device.
    pub import_id: String,
    /// Whether the group already has it (it will be skipped).
    pub present: bool,
    /// The expense, members by index into [`Plan::members`].
    #[serde(flatten)]
    pub expense: ImportedExpense,
}

/// A payment to write, with its import id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedTransfer {
    /// Stable across imports of the same file, on any device.
    pub import_id: String,
    /// Whether the group already has it (it will be skipped).
    pub present: bool,
    /// The payment, members by index into [`Plan::members`].
    #[serde(flatten)]
    pub transfer: ImportedTransfer,
}

/// What applying an import writes, for the preview and for `applyImport`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// Where it came from.
    pub source: Source,
    /// The group's currency it was planned for.
    pub currency: String,
    /// The people in the file.
    pub members: Vec<PlannedMember>,
    /// Every expense in the file.
    pub expenses: Vec<PlannedExpense>,
    /// Every payment in the file.
    pub transfers: Vec<PlannedTransfer>,
    /// Each person's balance per currency, as the other app shows it.
    pub expected: Balances,
    /// Where the file's own rows and its totals disagree (empty when exact).
    pub differences: Vec<crate::BalanceDifference>,
    /// Currencies other than the group's that still need a rate.
    pub missing_rates: Vec<String>,
    /// What was accepted but changed or guessed.
    pub warnings: Vec<Warning>,
}

impl Plan {
    /// How many expenses and payments are new to the group.
    pub fn new_records(&self) -> (usize, usize) {
        (
            self.expenses.iter().filter(|e| !e.present).count(),
            self.transfers.iter().filter(|t| !t.present).count(),
        )
    }
}

fn folded(name: &str) -> String {
    name.trim().to_lowercase()
}

/// Matches the people in the file to the group's members.
fn members(
    import: &Import,
    group: &GroupView,
    options: &PlanOptions,
) -> Result<Vec<PlannedMember>, Error> {
    let mapping: BTreeMap<String, MemberId> = options
        .mapping
        .iter()
        .map(|(k, v)| (folded(k), *v))
        .collect();
    for (name, id) in &mapping {
        if !import.members.iter().any(|m| folded(m) == *name) {
            return Err(Error::Mapping(format!(
                "nobody called {name:?} in the file (it has {})",
                import.members.join(", ")
            )));
        }
        if !group.members.iter().any(|m| m.id == *id) {
            return Err(Error::Mapping(format!("{id} is not a member of the group")));
        }
    }
    let mut out = Vec::with_capacity(import.members.len());
    let mut taken: BTreeMap<MemberId, &str> = BTreeMap::new();
    for name in &import.members {
        let same: Vec<MemberId> = group
            .members
            .iter()
            .filter(|m| folded(&m.name) == folded(name))
            .map(|m| m.id)
            .collect();
        let (member, matched) = match (mapping.get(&folded(name)), &same[..]) {
            (Some(id), _) => (Some(*id), Match::Mapped),
            (None, [id]) => (Some(*id), Match::SameName),
            _ => (None, Match::New),
        };
        if let Some(id) = member
            && let Some(other) = taken.insert(id, name)
        {
            return Err(Error::Mapping(format!(
                "{other:?} and {name:?} in the file would both be the same member"
            )));
        }
        out.push(PlannedMember {
            name: name
                .chars()
                .take(MAX_NAME)
                .collect::<String>()
                .trim()
                .into(),
            member,
            matched,
        });
    }
    Ok(out)
}

/// A stable id for one record: the source, the record as read (members by name, so a
/// reordered or re-exported file gives the same ids), and how many identical records
/// came before it in the file (two coffees the same day are two records).
struct Ids {
    tag: &'static str,
    seen: BTreeMap<String, u32>,
}

impl Ids {
    fn id(&mut self, normal: String) -> String {
        let n = self.seen.entry(normal.clone()).or_insert(0);
        *n += 1;
        let digest = Sha256::new()
            .chain_update(self.tag)
            .chain_update([0])
            .chain_update(normal)
            .chain_update([0])
            .chain_update(n.to_be_bytes())
            .finalize();
        let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
        format!("{}:{hex}", self.tag)
    }
}

fn named(members: &[String], list: &[(usize, i64)]) -> Vec<(String, i64)> {
    let mut v: Vec<(String, i64)> = list
        .iter()
        .map(|(i, a)| (members.get(*i).cloned().unwrap_or_default(), *a))
        .collect();
    v.sort();
    v
}

/// Plans writing `import` into `group`: fails when the caller's mapping does not fit
/// the file or the group, or when the file holds more than [`MAX_RECORDS`].
pub fn plan(import: &Import, group: &GroupView, options: &PlanOptions) -> Result<Plan, Error> {
    let records = import.expenses.len() + import.transfers.len();
    if records > MAX_RECORDS {
        return Err(Error::TooMany {
            records,
            limit: MAX_RECORDS,
        });
    }
    let members = members(import, group, options)?;
    let mut ids = Ids {
        tag: match import.source {
            Source::Splitwise => "splitwise",
            Source::Tricount => "tricount",
        },
        seen: BTreeMap::new(),
    };
    let names = &import.members;
    let mut missing = BTreeSet::new();
    let mut rate = |currency: &str, given: Option<Rate>| {
        if currency == group.currency {
            return None;
        }
        let r = options.rates.get(currency).copied().or(given);
        if r.is_none() {
            missing.insert(currency.to_string());
        }
        r
    };
    let expenses = import
        .expenses
        .iter()
        .map(|e| {
            let normal = normal_form(&[
                &e.date,
                &e.title,
                &e.category,
                &e.amount.to_string(),
                &e.currency,
                &format!("{:?}", e.kind),
                &format!("{:?}", named(names, &e.payers)),
                &format!("{:?}", named(names, &e.parts)),
                &e.note,
            ]);
            let import_id = ids.id(normal);
            let mut expense = e.clone();
            expense.rate = rate(&e.currency, e.rate);
            PlannedExpense {
                present: group.import_ids.contains(&import_id),
                import_id,
                expense,
            }
        })
        .collect();
    let transfers = import
        .transfers
        .iter()
        .map(|t| {
            let from = names.get(t.from).map_or("", String::as_str);
            let to = names.get(t.to).map_or("", String::as_str);
            let normal = normal_form(&[
                "transfer",
                &t.date,
                &t.title,
                from,
                to,
                &t.amount.to_string(),
                &t.currency,
            ]);
            let import_id = ids.id(normal);
            let mut transfer = t.clone();
            transfer.rate = rate(&t.currency, t.rate);
            PlannedTransfer {
                present: group.import_ids.contains(&import_id),
                import_id,
                transfer,
            }
        })
        .collect();
    Ok(Plan {
        source: import.source,
        currency: group.currency.clone(),
        members,
        expenses,
        transfers,
        expected: import.balances_expected.clone(),
        differences: import.differences.clone(),
        missing_rates: missing.into_iter().collect(),
        warnings: import.warnings.clone(),
    })
}

/// Fields joined so that no two different lists give the same text (each is
/// length-prefixed).
fn normal_form(fields: &[&str]) -> String {
    fields
        .iter()
        .map(|f| format!("{}:{f}", f.len()))
        .collect::<Vec<_>>()
        .join("|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_rows_get_distinct_ids_and_the_same_ids_every_time() {
        let mut a = Ids {
            tag: "splitwise",
            seen: BTreeMap::new(),
        };
        let mut b = Ids {
            tag: "splitwise",
            seen: BTreeMap::new(),
        };
        let (x1, x2) = (a.id("coffee".into()), a.id("coffee".into()));
        assert_ne!(x1, x2);
        assert_eq!(
            (b.id("coffee".into()), b.id("coffee".into())),
            (x1.clone(), x2)
        );
        assert!(x1.starts_with("splitwise:") && x1.len() == "splitwise:".len() + 32);
    }

    #[test]
    fn fields_cannot_run_into_each_other() {
        assert_ne!(normal_form(&["a|1:b"]), normal_form(&["a", "b"]));
    }
}
