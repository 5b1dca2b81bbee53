//! The ledger (the set of events) and its state (what the events add up to).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{Event, EventBody, EventId, Expense, GroupSettings, MemberId, Settlement};

/// Every event of the group, by id. Merging is a set union, so it is idempotent,
/// commutative and associative: devices converge whatever the order they sync in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ledger {
    events: BTreeMap<EventId, Event>,
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

/// A member as the state shows it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// Display name.
    pub name: String,
    /// Whether the member is still in the group.
    pub status: MemberStatus,
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
}

impl State {
    /// Members still in the group.
    pub fn active_members(&self) -> impl Iterator<Item = (&MemberId, &Member)> {
        self.members
            .iter()
            .filter(|(_, m)| m.status == MemberStatus::Active)
    }
}

impl Ledger {
    /// A ledger holding `events`.
    pub fn from_events(events: impl IntoIterator<Item = Event>) -> Self {
        let mut ledger = Self::default();
        ledger.merge(events);
        ledger
    }

    /// Adds events; ones already present (same id) are left as they are.
    pub fn merge(&mut self, events: impl IntoIterator<Item = Event>) -> MergeReport {
        let mut report = MergeReport::default();
        for e in events {
            match self.events.entry(e.id) {
                std::collections::btree_map::Entry::Occupied(_) => report.duplicates += 1,
                std::collections::btree_map::Entry::Vacant(slot) => {
                    slot.insert(e);
                    report.added += 1;
                }
            }
        }
        report
    }

    /// Every event, by id.
    pub fn events(&self) -> impl Iterator<Item = &Event> {
        self.events.values()
    }

    /// One event by id.
    pub fn get(&self, id: &EventId) -> Option<&Event> {
        self.events.get(id)
    }

    /// How many events.
    pub fn len(&self) -> usize {
        self.events.len()
    }

    /// True if there are none.
    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// The Lamport clock for the next event written here.
    pub fn next_lamport(&self) -> u64 {
        self.events
            .values()
            .map(|e| e.lamport)
            .max()
            .map_or(1, |l| l + 1)
    }

    /// The state: events applied in `(lamport, author, id)` order, so for any value the
    /// event with the greatest key wins, whatever order the events arrived in.
    pub fn state(&self) -> State {
        let mut ordered: Vec<&Event> = self.events.values().collect();
        ordered.sort_by_key(|e| (e.lamport, e.author, e.id));
        let mut s = State::default();
        for e in ordered {
            apply(&mut s, &e.body);
        }
        s
    }
}

fn apply(s: &mut State, body: &EventBody) {
    match body {
        EventBody::GroupCreated { settings } | EventBody::SettingsChanged { settings } => {
            s.settings = Some(settings.clone())
        }
        EventBody::MemberJoined { member, name } => {
            s.members.insert(
                *member,
                Member {
                    name: name.clone(),
                    status: MemberStatus::Active,
                },
            );
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
            s.expenses.insert(*expense, value.clone());
        }
        EventBody::ExpenseDeleted { expense } => {
            s.expenses.remove(expense);
        }
        EventBody::SettlementRecorded { settlement, value } => {
            s.settlements.insert(*settlement, value.clone());
        }
        EventBody::SettlementDeleted { settlement } => {
            s.settlements.remove(settlement);
        }
        EventBody::RelaySetChanged { relays, k } => s.relays = Some((relays.clone(), *k)),
        EventBody::Unknown => {}
    }
}

fn set_status(s: &mut State, member: &MemberId, status: MemberStatus) {
    if let Some(m) = s.members.get_mut(member) {
        m.status = status;
    }
}
