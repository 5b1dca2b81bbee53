//! Changes a member makes to the group. Each function checks its input against the
//! current [`State`] and gives the [`EventBody`] that records it; the device then adds
//! it as an event it wrote ([`Ledger::record`]). Checks that depend on which device asks
//! (is its member still in the group?) are the caller's.

use crate::money::check_currency;
use crate::{
    Card, Error, Event, EventBody, EventId, Expense, GroupSettings, Ledger, MemberId,
    PushSubscription, SCHEMA_VERSION, Settlement, Split, State, StoredEvent, parse_amount,
};

/// The longest display name (group or member), in characters.
pub const MAX_NAME_CHARS: usize = 80;

/// A display name, trimmed: 1 to [`MAX_NAME_CHARS`] characters.
pub(crate) fn checked_name(name: &str) -> Result<String, Error> {
    self::name(name)
}

fn name(name: &str) -> Result<String, Error> {
    let n = name.trim().chars().count();
    if n == 0 || n > MAX_NAME_CHARS {
        return Err(Error::BadName(n));
    }
    Ok(name.trim().to_string())
}

/// The group's settings: every change but the first needs the group to exist.
fn settings(state: &State) -> Result<&GroupSettings, Error> {
    state.settings.as_ref().ok_or(Error::NoGroup)
}

pub(crate) fn check_members(
    state: &State,
    members: impl IntoIterator<Item = MemberId>,
) -> Result<(), Error> {
    for m in members {
        if !state.members.contains_key(&m) {
            return Err(Error::NotFound(format!("member {m}")));
        }
    }
    Ok(())
}

pub(crate) fn expense_members(e: &Expense) -> Vec<MemberId> {
    let mut out: Vec<MemberId> = e.payers.iter().map(|(m, _)| *m).collect();
    match &e.split {
        Split::Equal { members } => out.extend(members),
        Split::Shares { weights } => out.extend(weights.iter().map(|(m, _)| *m)),
        Split::Exact { amounts } => out.extend(amounts.iter().map(|(m, _)| *m)),
        Split::Percent { basis_points } => out.extend(basis_points.iter().map(|(m, _)| *m)),
    }
    out
}

fn expense_exists(state: &State, id: EventId) -> Result<(), Error> {
    match state.expenses.contains_key(&id) {
        true => Ok(()),
        false => Err(Error::NotFound(format!("expense {id}"))),
    }
}

/// The group's first event: its settings (name and currency checked).
pub fn create_group(settings: GroupSettings) -> Result<EventBody, Error> {
    name(&settings.name)?;
    check_currency(&settings.currency)?;
    Ok(EventBody::GroupCreated { settings })
}

/// `member` joins under `display_name`, with its device's card (`None` only for
/// devices that predate member keys), through an invite of key epoch `epoch`.
pub fn join(
    member: MemberId,
    display_name: &str,
    card: Option<Card>,
    epoch: u64,
) -> Result<EventBody, Error> {
    Ok(EventBody::MemberJoined {
        member,
        name: name(display_name)?,
        card,
        epoch,
    })
}

/// Records an expense: well formed in the group's currency, among known members.
pub fn add_expense(state: &State, value: Expense) -> Result<EventBody, Error> {
    value.validate(&settings(state)?.currency)?;
    check_members(state, expense_members(&value))?;
    Ok(EventBody::ExpenseAdded {
        expense: EventId::nil(),
        value,
    })
}

/// Changes an existing expense to `value`: the event carries only the fields that
/// differ (`expense_patched`), so it merges with concurrent edits of other fields. An
/// amount changed without the payers or exact parts scales them in proportion (to the
/// cent, largest remainder); parts the member changed must add up themselves.
pub fn edit_expense(state: &State, id: EventId, value: Expense) -> Result<EventBody, Error> {
    let currency = &settings(state)?.currency;
    let current = state
        .expenses
        .get(&id)
        .ok_or_else(|| Error::NotFound(format!("expense {id}")))?;
    let changes = crate::ExpenseChanges::between(current, &value);
    let merged = changes.applied_to(current)?;
    // Payers or parts the member changed must add up themselves (only those left as
    // they were follow a new amount).
    if changes.get("payers").is_some() || changes.get("split").is_some() {
        value.validate(currency)?;
    }
    merged.validate(currency)?;
    check_members(state, expense_members(&merged))?;
    Ok(EventBody::ExpensePatched {
        expense: id,
        base: None, // the ledger's head of the expense, when drafted
        changes,
    })
}

/// Deletes an existing expense.
pub fn delete_expense(state: &State, id: EventId) -> Result<EventBody, Error> {
    settings(state)?;
    expense_exists(state, id)?;
    Ok(EventBody::ExpenseDeleted { expense: id })
}

/// Records a repayment between two different known members, of a positive amount
/// (with a rate when in another currency than the group's).
pub fn record_settlement(state: &State, value: Settlement) -> Result<EventBody, Error> {
    let group_currency = &settings(state)?.currency;
    parse_amount("0", &value.currency)?;
    if value.currency != *group_currency {
        value.rate.ok_or(Error::BadRate)?.check()?;
    }
    crate::bounds::check_settlement(&value).map_err(|r| Error::OutOfBounds(r.into()))?;
    if value.amount <= 0 || value.from == value.to {
        return Err(Error::BadAmount {
            text: value.amount.to_string(),
            currency: value.currency,
        });
    }
    check_members(state, [value.from, value.to])?;
    Ok(EventBody::SettlementRecorded {
        settlement: EventId::nil(),
        value,
    })
}

/// Deletes an existing settlement.
pub fn delete_settlement(state: &State, id: EventId) -> Result<EventBody, Error> {
    settings(state)?;
    if !state.settlements.contains_key(&id) {
        return Err(Error::NotFound(format!("settlement {id}")));
    }
    Ok(EventBody::SettlementDeleted { settlement: id })
}

/// Gives a known member a new display name.
pub fn rename_member(state: &State, member: MemberId, new_name: &str) -> Result<EventBody, Error> {
    settings(state)?;
    let new_name = name(new_name)?;
    check_members(state, [member])?;
    Ok(EventBody::MemberRenamed {
        member,
        name: new_name,
    })
}

/// This device's member turns notifications on (with its device's subscription) or off.
pub fn set_push(state: &State, subscription: Option<PushSubscription>) -> Result<EventBody, Error> {
    settings(state)?;
    if let Some(sub) = &subscription {
        crate::bounds::check_push(sub).map_err(|r| Error::OutOfBounds(r.into()))?;
    }
    Ok(EventBody::PushSubscriptionSet { subscription })
}

/// `by` removes a known member (a lost phone: they stop blocking synchronisation);
/// removing oneself is leaving.
pub fn remove_member(state: &State, member: MemberId, by: MemberId) -> Result<EventBody, Error> {
    settings(state)?;
    check_members(state, [member])?;
    if member == by {
        return leave(state, by);
    }
    Ok(EventBody::MemberRemoved { member })
}

/// `member` leaves the group.
pub fn leave(state: &State, member: MemberId) -> Result<EventBody, Error> {
    settings(state)?;
    Ok(EventBody::MemberLeft { member })
}

/// New settings (name and currency checked). The currency changes only while the group
/// has no expense or settlement: theirs are amounts and rates in the old currency, and
/// balances would have to leave them out.
pub fn change_settings(state: &State, new: GroupSettings) -> Result<EventBody, Error> {
    let current = settings(state)?;
    name(&new.name)?;
    parse_amount("0", &new.currency)?;
    let count = state.expenses.len() + state.settlements.len();
    if new.currency != current.currency && count > 0 {
        return Err(Error::CurrencyInUse {
            currency: current.currency.clone(),
            count,
        });
    }
    Ok(EventBody::SettingsChanged { settings: new })
}

/// The group moves to `relays` with threshold `k`. The set itself (URLs, `k` against
/// their number) is checked by the caller, which knows what a relay URL is.
pub fn change_relays(state: &State, relays: Vec<String>, k: u8) -> Result<EventBody, Error> {
    settings(state)?;
    Ok(EventBody::RelaySetChanged { relays, k })
}

impl Ledger {
    /// The event `author` writes next, without adding it: `id` (a fresh UUIDv7) and
    /// `at_ms` from the caller, the Lamport clock one past every event here. An added
    /// expense, settlement, placeholder or recurring series is named by the event that adds it. The device signs its
    /// text and adds it with [`Ledger::merge_stored`].
    pub fn draft(&self, author: MemberId, id: EventId, at_ms: u64, body: EventBody) -> StoredEvent {
        let body = match body {
            EventBody::ExpenseAdded { value, .. } => EventBody::ExpenseAdded { expense: id, value },
            EventBody::SettlementRecorded { value, .. } => EventBody::SettlementRecorded {
                settlement: id,
                value,
            },
            #[cfg(feature = "recurring")]
            EventBody::RecurringAdded { value, .. } => {
                EventBody::RecurringAdded { series: id, value }
            }
            EventBody::ExpensePatched {
                expense,
                base: None,
                changes,
            } => EventBody::ExpensePatched {
                expense,
                base: self.head(expense),
                changes,
            },
            EventBody::PlaceholderAdded { name, .. } => EventBody::PlaceholderAdded {
                member: crate::placeholder_id(id),
                name,
            },
            other => other,
        };
        StoredEvent::from_event(Event {
            v: SCHEMA_VERSION,
            id,
            lamport: self.next_lamport(),
            author,
            at_ms,
            body,
        })
    }

    /// Adds an event `author` wrote, unsigned ([`Ledger::draft`], then merged).
    pub fn record(
        &mut self,
        author: MemberId,
        id: EventId,
        at_ms: u64,
        body: EventBody,
    ) -> EventId {
        let event = self.draft(author, id, at_ms, body);
        self.merge_stored([event]);
        id
    }
}
