//! Applying an import (`gfms_import::Writes`, built in the CLI or in the app's lazily
//! loaded import module) to a group: new placeholders, then each expense and payment the
//! group does not have yet, all or nothing. The records arrive as ledger values, new
//! people under stand-in ids replaced here by their placeholders' ids, so this module
//! parses nothing the facade does not parse already, and leaves every check to the
//! ledger's own (members, currency and rate, amounts): it is what the import adds to the
//! main client wasm, which is at its first-load ceiling. The balance check is
//! `gfms_import::check`, in the import module.

use gfms_ledger::{
    EventBody, Expense, MemberId, Settlement, Split, add_placeholder, placeholder_id,
};
use gfms_sync::Group;
use serde::Serialize;

/// Why an import was not applied; the group is as it was.
#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    /// The group refused one record (or placeholder): its import id (the caller knows its
    /// line), or the placeholder's name.
    #[error("{record}: {error}")]
    Refused {
        /// Which record.
        record: String,
        /// The group's reason.
        error: gfms_sync::Error,
    },
    /// The group could not be saved or restored.
    #[error("{0}")]
    Group(#[from] gfms_sync::Error),
}

impl ApplyError {
    /// The group's code for the error.
    pub fn code(&self) -> &'static str {
        match self {
            ApplyError::Refused { error, .. } | ApplyError::Group(error) => error.code(),
        }
    }
}

/// What to write (`gfms_import::Writes`).
#[derive(Debug)]
pub struct Writes {
    /// Each person in the file: a member's id, or a stand-in id for a new placeholder.
    pub members: Vec<MemberId>,
    /// Each person's placeholder name when new, else empty.
    pub names: Vec<String>,
    /// The expenses, each with its `import_id`.
    pub expenses: Vec<Expense>,
    /// The payments, each with its `import_id`.
    pub settlements: Vec<Settlement>,
}

/// What applying wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Applied {
    /// Each person's member id in the group (for the check).
    pub members: Vec<MemberId>,
    /// Placeholders added.
    pub placeholders: usize,
    /// Expenses added.
    pub expenses: usize,
    /// Payments added.
    pub payments: usize,
    /// Records the group already had.
    pub skipped: usize,
}

/// The import ids the group holds or held. A list searched in full (no sort, no map: each
/// generic collection adds to the client wasm); imports are rare and at most
/// `gfms_import::MAX_RECORDS` long.
fn held_ids(group: &Group) -> Vec<&str> {
    group
        .ledger()
        .events()
        .filter_map(|e| match &e.body {
            EventBody::ExpenseAdded { value, .. } | EventBody::ExpenseEdited { value, .. } => {
                Some(value.import_id.as_str())
            }
            EventBody::SettlementRecorded { value, .. } => Some(value.import_id.as_str()),
            _ => None,
        })
        .filter(|id| !id.is_empty())
        .collect()
}

/// Applies `writes` to `group`, all or nothing: on any error the group is as it was.
pub fn apply(group: &mut Group, mut writes: Writes, now_ms: u64) -> Result<Applied, ApplyError> {
    let held = held_ids(group);
    let total = writes.expenses.len() + writes.settlements.len();
    writes
        .expenses
        .retain(|e| !held.contains(&e.import_id.as_str()));
    writes
        .settlements
        .retain(|s| !held.contains(&s.import_id.as_str()));
    let mut applied = Applied {
        members: writes.members.clone(),
        placeholders: 0,
        expenses: writes.expenses.len(),
        payments: writes.settlements.len(),
        skipped: total - writes.expenses.len() - writes.settlements.len(),
    };
    if applied.expenses + applied.payments == 0 {
        return Ok(applied);
    }
    let snapshot = group.save()?;
    if let Err(e) = write(group, writes, now_ms, &mut applied) {
        *group = Group::load(&snapshot)?;
        return Err(e);
    }
    Ok(applied)
}

fn write(
    group: &mut Group,
    writes: Writes,
    now_ms: u64,
    applied: &mut Applied,
) -> Result<(), ApplyError> {
    let refused = |record: &str| {
        let record = record.to_string();
        move |error: gfms_sync::Error| ApplyError::Refused { record, error }
    };
    for (i, name) in writes.names.iter().enumerate() {
        if name.is_empty() {
            continue;
        }
        let body = add_placeholder(group.state(), name)
            .map_err(|e| refused(name)(gfms_sync::Error::from(e)))?;
        applied.members[i] = placeholder_id(group.append(body, now_ms)?);
        applied.placeholders += 1;
    }
    let real = |m: &mut MemberId| {
        if let Some(i) = writes.members.iter().position(|p| p == m) {
            *m = applied.members[i];
        }
    };
    // All at once: one state checks them all (one by one, each check would compute the
    // state of the whole group again).
    let mut expenses = writes.expenses;
    for e in &mut expenses {
        e.payers.iter_mut().for_each(|(m, _)| real(m));
        if let Split::Exact { amounts } = &mut e.split {
            amounts.iter_mut().for_each(|(m, _)| real(m));
        }
    }
    let ids: Vec<String> = expenses.iter().map(|e| e.import_id.clone()).collect();
    group
        .add_expenses(expenses, now_ms)
        .map_err(|(i, error)| refused(ids.get(i).map_or("", String::as_str))(error))?;
    let mut settlements = writes.settlements;
    for s in &mut settlements {
        real(&mut s.from);
        real(&mut s.to);
    }
    let ids: Vec<String> = settlements.iter().map(|s| s.import_id.clone()).collect();
    group
        .record_settlements(settlements, now_ms)
        .map_err(|(i, error)| refused(ids.get(i).map_or("", String::as_str))(error))?;
    Ok(())
}
