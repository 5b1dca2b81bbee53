//! Applying an import (`gfms_import::Writes`, built in the CLI or in the app's lazily
//! loaded import module) to a group: new placeholders, then each expense and payment the
//! group does not have yet, all or nothing. The records arrive as ledger values, new
//! people under stand-in ids replaced here by their placeholders' ids, so this module
//! parses nothing the facade does not parse already (it is what the import adds to the
//! main client wasm, which is at its first-load budget). The balance check is
//! `gfms_import::check`, in the import module.

use gfms_ledger::{
    EventBody, Expense, MemberId, Settlement, Split, add_placeholder, placeholder_id,
};
use gfms_sync::Group;
use serde::{Deserialize, Serialize};

/// Why an import was not applied; the group is as it was.
#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    /// Not the expected JSON.
    #[error("not an import: {0}")]
    Shape(String),
    /// Made for a group with another currency.
    #[error("the import was read for a group in {0}; this group's currency is another")]
    Currency(String),
    /// Rows in other currencies have no exchange rate.
    #[error("rows in {0} need an exchange rate")]
    NeedsRate(String),
    /// A member the import names is not in the group.
    #[error("{0} is not a member of this group")]
    NoSuchMember(MemberId),
    /// The group refused one record (or placeholder).
    #[error("line {line}: {error}")]
    Refused {
        /// The line of the file it came from.
        line: u64,
        /// The group's reason.
        error: gfms_sync::Error,
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
            ApplyError::Currency(_) => "stale_plan",
            ApplyError::NeedsRate(_) => "needs_rate",
            ApplyError::NoSuchMember(_) => "not_member",
            ApplyError::Refused { error, .. } | ApplyError::Group(error) => error.code(),
        }
    }
}

/// What to write (`gfms_import::Writes`).
#[derive(Debug, Deserialize)]
pub struct Writes {
    currency: String,
    /// Each person in the file: a member's id and an empty name, or a stand-in id and the
    /// name of a new placeholder.
    people: Vec<(MemberId, String)>,
    /// Each expense with the line it came from.
    expenses: Vec<(u64, Expense)>,
    /// Each payment with the line it came from.
    settlements: Vec<(u64, Settlement)>,
}

impl Writes {
    /// Reads the JSON.
    pub fn from_json(json: &str) -> Result<Self, ApplyError> {
        serde_json::from_slice(json.as_bytes()).map_err(|e| ApplyError::Shape(e.to_string()))
    }
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
pub fn apply(group: &mut Group, writes: Writes, now_ms: u64) -> Result<Applied, ApplyError> {
    let state = group.state();
    let currency = state
        .settings
        .as_ref()
        .map(|s| s.currency.clone())
        .ok_or(ApplyError::Group(gfms_sync::Error::NotSynced))?;
    if writes.currency != currency {
        return Err(ApplyError::Currency(writes.currency));
    }
    // A member must be in the group; a stand-in must not be.
    if let Some((id, _)) = writes
        .people
        .iter()
        .find(|(id, name)| name.is_empty() != state.members.contains_key(id))
    {
        return Err(ApplyError::NoSuchMember(*id));
    }
    let held = held_ids(group);
    let is_new = |id: &str| !held.contains(&id);
    let total = writes.expenses.len() + writes.settlements.len();
    let expenses: Vec<(u64, Expense)> = writes
        .expenses
        .into_iter()
        .filter(|(_, e)| is_new(&e.import_id))
        .collect();
    let settlements: Vec<(u64, Settlement)> = writes
        .settlements
        .into_iter()
        .filter(|(_, s)| is_new(&s.import_id))
        .collect();
    let unrated = expenses
        .iter()
        .map(|(_, e)| (&e.currency, e.rate))
        .chain(settlements.iter().map(|(_, s)| (&s.currency, s.rate)))
        .find(|(c, r)| **c != currency && r.is_none());
    if let Some((c, _)) = unrated {
        return Err(ApplyError::NeedsRate(c.clone()));
    }
    let mut applied = Applied {
        members: writes.people.iter().map(|p| p.0).collect(),
        placeholders: 0,
        expenses: expenses.len(),
        payments: settlements.len(),
        skipped: total - expenses.len() - settlements.len(),
    };
    if expenses.is_empty() && settlements.is_empty() {
        return Ok(applied);
    }
    let snapshot = group.save()?;
    if let Err(e) = write(
        group,
        &writes.people,
        expenses,
        settlements,
        now_ms,
        &mut applied,
    ) {
        *group = Group::load(&snapshot)?;
        return Err(e);
    }
    Ok(applied)
}

fn write(
    group: &mut Group,
    people: &[(MemberId, String)],
    expenses: Vec<(u64, Expense)>,
    settlements: Vec<(u64, Settlement)>,
    now_ms: u64,
    applied: &mut Applied,
) -> Result<(), ApplyError> {
    let refused = |line: u64| move |error: gfms_sync::Error| ApplyError::Refused { line, error };
    for (i, (_, name)) in people.iter().enumerate() {
        if name.is_empty() {
            continue;
        }
        let body = add_placeholder(group.state(), name)
            .map_err(|e| refused(1)(gfms_sync::Error::from(e)))?;
        applied.members[i] = placeholder_id(group.append(body, now_ms)?);
        applied.placeholders += 1;
    }
    let real = |m: &mut MemberId| {
        if let Some(i) = people.iter().position(|p| p.0 == *m) {
            *m = applied.members[i];
        }
    };
    for (line, mut e) in expenses {
        e.payers.iter_mut().for_each(|(m, _)| real(m));
        if let Split::Exact { amounts } = &mut e.split {
            amounts.iter_mut().for_each(|(m, _)| real(m));
        }
        group.add_expense(e, now_ms).map_err(refused(line))?;
    }
    for (line, mut s) in settlements {
        real(&mut s.from);
        real(&mut s.to);
        group.record_settlement(s, now_ms).map_err(refused(line))?;
    }
    Ok(())
}
