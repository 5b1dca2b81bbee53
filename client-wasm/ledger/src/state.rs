//! The ledger (the set of events) and its state (what the events add up to).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::stored::{Reading, StoredEvent};
use crate::{Event, EventBody, EventId, Expense, GroupSettings, MemberId, Settlement};

/// Every event of the group, by id, as stored (exact bytes; see [`StoredEvent`]).
/// Merging is a set union, so it is idempotent, commutative and associative: devices
/// converge whatever the order they sync in. The one exception to "first copy stays" is
/// a degraded copy (an older release's `{"type": "unknown"}`), which a full copy replaces.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ledger {
    events: BTreeMap<EventId, StoredEvent>,
    /// The greatest Lamport clock held (0 when none): what the next event written here
    /// goes past, without a walk over every event at each change.
    max_lamport: u64,
}

/// What a merge did.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergeReport {
    /// Events new to this ledger.
    pub added: usize,
    /// Events it already had.
    pub duplicates: usize,
}

/// Something the state shows the members because it looks wrong.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Warning {
    /// Two or more active members go by the same name (a second device that joined
    /// under the same name, or two people who did): say which is which.
    SameName {
        /// The name, as the first of them writes it.
        name: String,
        /// Who bears it.
        members: Vec<MemberId>,
    },
    /// An event whose value is out of bounds (an amount beyond
    /// [`crate::MAX_AMOUNT`]): not applied.
    Ignored {
        /// The event.
        event: EventId,
        /// Why, for people.
        reason: String,
    },
}

/// A member as the state shows it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// Display name.
    pub name: String,
    /// Whether the member is still in the group.
    pub status: MemberStatus,
    /// Added by name only: shares expenses, never receives batches.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    #[cfg_attr(feature = "ts", ts(optional, as = "Option<bool>"))]
    pub placeholder: bool,
    /// For a claimed placeholder: the member who said "this is me".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub claimed_by: Option<MemberId>,
}

/// Whether a member is in the group.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberStatus {
    /// In the group.
    Active,
    /// Left by themselves.
    Left,
    /// Removed by someone else.
    Removed,
    /// A placeholder someone claimed as theirs: what named it names them now.
    Claimed,
}

/// What the events add up to.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    /// Current settings (`None` before the group-created event arrives).
    pub settings: Option<GroupSettings>,
    /// Every member ever seen.
    pub members: BTreeMap<MemberId, Member>,
    /// Live expenses by id.
    pub expenses: BTreeMap<EventId, Expense>,
    /// Live settlements by id.
    pub settlements: BTreeMap<EventId, Settlement>,
    /// The current relay set and threshold.
    pub relays: Option<(Vec<String>, u8)>,
    /// How to pay each member who said (see `pay.rs`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[cfg_attr(
        feature = "ts",
        ts(optional, as = "Option<BTreeMap<MemberId, crate::PaymentDetails>>")
    )]
    pub payment_details: BTreeMap<MemberId, crate::PaymentDetails>,
    /// Recurring series by id (their instances: `with_due`).
    #[cfg(feature = "recurring")]
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[cfg_attr(
        feature = "ts",
        ts(optional, as = "Option<BTreeMap<String, crate::Series>>")
    )]
    pub recurring: BTreeMap<EventId, crate::Series>,
    /// Members' Web Push subscriptions (only members who turned notifications on).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub push: BTreeMap<MemberId, crate::PushSubscription>,
    /// What looks wrong (members sharing a name, events not applied).
    #[serde(default)]
    pub warnings: Vec<Warning>,
}

impl State {
    /// Members still in the group (placeholders included).
    pub fn active_members(&self) -> impl Iterator<Item = (&MemberId, &Member)> {
        self.members
            .iter()
            .filter(|(_, m)| m.status == MemberStatus::Active)
    }

    /// Members still in the group who have a device: placeholders (added by name only)
    /// excluded. They are who keys, epochs and batches concern; a placeholder never
    /// publishes keys and never fetches.
    pub fn members_with_devices(&self) -> impl Iterator<Item = (&MemberId, &Member)> {
        self.active_members().filter(|(_, m)| !m.placeholder)
    }
}

impl Ledger {
    /// A ledger holding `events`.
    pub fn from_events(events: impl IntoIterator<Item = Event>) -> Self {
        let mut ledger = Self::default();
        ledger.merge(events);
        ledger
    }

    /// A ledger holding `events` as stored.
    pub fn from_stored(events: impl IntoIterator<Item = StoredEvent>) -> Self {
        let mut ledger = Self::default();
        ledger.merge_stored(events);
        ledger
    }

    /// Adds events written by this version; ones already present (same id) are left as
    /// they are.
    pub fn merge(&mut self, events: impl IntoIterator<Item = Event>) -> MergeReport {
        self.merge_stored(events.into_iter().map(StoredEvent::from_event))
    }

    /// Adds stored events; a copy of an event already present is left out, unless the
    /// present copy is degraded and the new one is not, or unsigned and the new one a
    /// signed copy of the same text (then the new one replaces it and counts as added).
    pub fn merge_stored(&mut self, events: impl IntoIterator<Item = StoredEvent>) -> MergeReport {
        let mut report = MergeReport::default();
        for e in events {
            match self.events.entry(e.id()) {
                std::collections::btree_map::Entry::Occupied(mut slot) => {
                    if slot.get().is_improved_by(&e) {
                        let lamport = e.lamport();
                        let replaced = slot.insert(e);
                        self.max_lamport = self.max_lamport.max(lamport);
                        if replaced.lamport() == self.max_lamport && lamport < replaced.lamport() {
                            self.max_lamport = self.greatest_lamport();
                        }
                        report.added += 1;
                    } else {
                        report.duplicates += 1;
                    }
                }
                std::collections::btree_map::Entry::Vacant(slot) => {
                    self.max_lamport = self.max_lamport.max(e.lamport());
                    slot.insert(e);
                    report.added += 1;
                }
            }
        }
        report
    }

    /// Every event this version reads, by id.
    pub fn events(&self) -> impl Iterator<Item = &Event> {
        self.events.values().filter_map(StoredEvent::event)
    }

    /// Every event held, as stored (those this version does not read included).
    pub fn stored(&self) -> impl Iterator<Item = &StoredEvent> {
        self.events.values()
    }

    /// The events held but not applied: from a newer version (or degraded copies of
    /// one), waiting for an upgrade.
    pub fn newer(&self) -> impl Iterator<Item = &StoredEvent> {
        self.events
            .values()
            .filter(|e| e.reading() != Reading::Applied)
    }

    /// One event by id, if this version reads it.
    pub fn get(&self, id: &EventId) -> Option<&Event> {
        self.events.get(id).and_then(StoredEvent::event)
    }

    /// One event by id, as stored.
    pub fn get_stored(&self, id: &EventId) -> Option<&StoredEvent> {
        self.events.get(id)
    }

    /// Takes an event out of the ledger: the sync engine found, with what arrived since,
    /// that it does not verify (a member's key it was accepted under lost to an earlier
    /// one, or its author's legacy list does not name it).
    pub fn take(&mut self, id: &EventId) -> Option<StoredEvent> {
        let taken = self.events.remove(id)?;
        if taken.lamport() == self.max_lamport {
            self.max_lamport = self.greatest_lamport();
        }
        Some(taken)
    }

    /// The greatest Lamport clock held, found by walking every event.
    fn greatest_lamport(&self) -> u64 {
        self.events
            .values()
            .map(StoredEvent::lamport)
            .max()
            .unwrap_or(0)
    }

    /// How many events are held (read or not).
    pub fn len(&self) -> usize {
        self.events.len()
    }

    /// True if there are none.
    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// The Lamport clock for the next event written here: past every event held, read
    /// or not.
    pub fn next_lamport(&self) -> u64 {
        self.max_lamport.saturating_add(1)
    }

    /// The group's identity: the id of its `group_created` event (the earliest, should
    /// a buggy device have written two). Stable for the group's life, not secret, and
    /// the same on every device that has the history.
    pub fn group_id(&self) -> Option<EventId> {
        self.events()
            .filter(|e| matches!(e.body, EventBody::GroupCreated { .. }))
            .min_by_key(|e| (e.lamport, e.author, e.id))
            .map(|e| e.id)
    }

    /// The last event held about `expense`, in ledger order: what an edit written now
    /// is based on.
    pub fn head(&self, expense: EventId) -> Option<EventId> {
        self.events()
            .filter(|e| crate::history::expense_of(&e.body) == Some(expense))
            .max_by_key(|e| (e.lamport, e.author, e.id))
            .map(|e| e.id)
    }

    /// The state: events applied in `(lamport, author, id)` order, so for any value the
    /// event with the greatest key wins, whatever order the events arrived in. Values out
    /// of bounds are not applied (and are shown as warnings). To keep it up to date as
    /// events are added, hold a [`crate::Fold`] instead.
    pub fn state(&self) -> State {
        crate::Fold::new(self).into_state()
    }
}

/// Applies one event (in ledger order) to the state being built, its receipts gathered
/// in `receipts` (set on the expenses by `Gathered::finish`).
pub(crate) fn apply_event(s: &mut State, receipts: &mut crate::receipts::Gathered, e: &Event) {
    let removed = s
        .members
        .get(&e.author)
        .is_some_and(|m| m.status == MemberStatus::Removed);
    let checked = if removed {
        Err("written by a member after their removal")
    } else {
        crate::bounds::check_body(&e.body)
    };
    match checked {
        Ok(()) => match &e.body {
            // A subscription is its author's own (the author whose signature the
            // sync engine verified before the event reached the ledger).
            EventBody::PushSubscriptionSet { subscription } => match subscription {
                Some(sub) => _ = s.push.insert(e.author, sub.clone()),
                None => _ = s.push.remove(&e.author),
            },
            EventBody::ExpensePatched {
                expense, changes, ..
            } => {
                if let Err(reason) = crate::edits::apply(s, *expense, changes) {
                    s.warnings.push(Warning::Ignored {
                        event: e.id,
                        reason: reason.to_string(),
                    });
                }
            }
            body if receipts.take(body) => {}
            body => apply(s, e.author, body),
        },
        Err(reason) => s.warnings.push(Warning::Ignored {
            event: e.id,
            reason: reason.to_string(),
        }),
    }
}

/// Active members that share a name (compared trimmed and case-insensitively).
pub(crate) fn same_names(s: &State) -> Vec<Warning> {
    let mut by_name: BTreeMap<String, (String, Vec<MemberId>)> = BTreeMap::new();
    for (id, m) in s.active_members() {
        by_name
            .entry(m.name.trim().to_lowercase())
            .or_insert_with(|| (m.name.clone(), Vec::new()))
            .1
            .push(*id);
    }
    by_name
        .into_values()
        .filter(|(_, members)| members.len() > 1)
        .map(|(name, members)| Warning::SameName { name, members })
        .collect()
}

fn apply(s: &mut State, author: MemberId, body: &EventBody) {
    match body {
        EventBody::GroupCreated { settings } | EventBody::SettingsChanged { settings } => {
            s.settings = Some(settings.clone())
        }
        // A member joins by itself, once: no one joins another, a removed member does not
        // come back under the same id, and a placeholder's id is never a joining member's
        // (it would make it one).
        EventBody::MemberJoined { member, name, .. } => {
            if *member == author
                && s.members
                    .get(member)
                    .is_none_or(|m| !m.placeholder && m.status != MemberStatus::Removed)
            {
                s.members.insert(*member, member_named(name, false));
            }
        }
        EventBody::PlaceholderAdded { member, name } => {
            if *member != MemberId([0; 16]) && !s.members.contains_key(member) {
                s.members.insert(*member, member_named(name, true));
            }
        }
        EventBody::PlaceholderClaimed {
            placeholder,
            member,
        } => crate::placeholder::apply_claim(s, author, *placeholder, *member),
        EventBody::PaymentDetailsSet { member, details } => {
            if crate::pay::may_set(&s.members, *member, author) {
                s.payment_details.insert(*member, details.clone());
            }
        }
        EventBody::MemberRenamed { member, name } => {
            if let Some(m) = s.members.get_mut(member) {
                m.name = name.clone();
            }
        }
        EventBody::MemberLeft { member } => set_status(s, member, MemberStatus::Left),
        EventBody::MemberRemoved { member } => set_status(s, member, MemberStatus::Removed),
        EventBody::ExpenseAdded { expense, value }
        | EventBody::ExpenseEdited { expense, value } => {
            let mut value = value.clone();
            crate::placeholder::follow_expense(&mut value, |m| crate::placeholder::resolve(s, m));
            s.expenses.insert(*expense, value);
        }
        EventBody::ExpenseDeleted { expense } => {
            s.expenses.remove(expense);
        }
        EventBody::SettlementRecorded { settlement, value } => {
            let mut value = value.clone();
            crate::placeholder::follow_settlement(&mut value, |m| {
                crate::placeholder::resolve(s, m)
            });
            s.settlements.insert(*settlement, value);
        }
        EventBody::SettlementDeleted { settlement } => {
            s.settlements.remove(settlement);
        }
        EventBody::RelaySetChanged { relays, k } => s.relays = Some((relays.clone(), *k)),
        #[cfg(feature = "recurring")]
        EventBody::RecurringAdded { .. }
        | EventBody::RecurringEdited { .. }
        | EventBody::RecurringInstanceSet { .. }
        | EventBody::RecurringStopped { .. } => crate::recurring::apply(s, author, body),
        // Keys and epochs are the sync engine's (it reads them from the events);
        // subscriptions and per-field edits are applied with their author or id in
        // `Ledger::state`.
        EventBody::MemberKeysPublished { .. }
        | EventBody::EpochStarted { .. }
        | EventBody::EpochShared { .. }
        | EventBody::PushSubscriptionSet { .. }
        | EventBody::ExpensePatched { .. }
        | EventBody::ReceiptAttached { .. }
        | EventBody::ReceiptRemoved { .. }
        | EventBody::ReceiptWanted { .. }
        | EventBody::Unknown => {}
    }
}

fn member_named(name: &str, placeholder: bool) -> Member {
    Member {
        name: name.to_string(),
        status: MemberStatus::Active,
        placeholder,
        claimed_by: None,
    }
}

fn set_status(s: &mut State, member: &MemberId, status: MemberStatus) {
    if let Some(m) = s.members.get_mut(member) {
        m.status = status;
    }
}
