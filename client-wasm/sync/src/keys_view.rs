//! What the app shows of member keys: whether the group is signed (every active member
//! published a card), each member's safety code to compare in person, who still runs a
//! version before member keys, and the key epoch.

use gfms_identity::SafetyCode;
use gfms_ledger::{EventBody, MemberId};
use serde::{Deserialize, Serialize};

use crate::Group;

/// A member's keys as this device knows them.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyState {
    /// Its card is known: its events are verified.
    Published,
    /// No card yet: its device runs a version before member keys (its events are
    /// accepted unsigned, as before).
    OlderVersion,
}

/// One member's keys.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberKeys {
    /// The member.
    pub member: MemberId,
    /// Published, or still on an older version.
    pub keys: KeyState,
    /// The safety code of its card ("21097 27101 28416 95294 49943 11821"): the same
    /// digits on its own phone mean the card is the one its phone made.
    pub safety_code: Option<String>,
    /// Other cards published for it (not used): someone tried to publish a key in its
    /// name; compare safety codes.
    pub conflicting_keys: usize,
}

/// Member keys in the group.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeysView {
    /// Every active member has published keys: every event is signed and verified.
    pub signed: bool,
    /// This device's safety code.
    pub my_safety_code: String,
    /// Every member ever in the group (active or not), with its keys.
    pub members: Vec<MemberKeys>,
    /// The key epoch this device sends in (0 until a member left or was removed).
    pub epoch: u64,
    /// A member who left or was removed can still read new records: a new epoch waits
    /// for every active member to publish keys (those on an older version).
    pub revocation_waits: bool,
}

/// The removal of this device's member, as the app tells it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Removal {
    /// Who removed it.
    pub by: MemberId,
    /// Their name.
    pub by_name: String,
    /// The group's name: "You were removed from {group} by {by_name}".
    pub group: String,
    /// When, by the remover's clock (unix ms).
    pub at_ms: u64,
}

impl Group {
    /// Member keys in the group.
    pub fn keys_view(&mut self) -> KeysView {
        let members: Vec<MemberId> = self.state().members.keys().copied().collect();
        // signed once every member with a device has keys (placeholders never will)
        let active: Vec<MemberId> = self
            .state()
            .members_with_devices()
            .map(|(m, _)| *m)
            .collect();
        let view: Vec<MemberKeys> = members
            .iter()
            .map(|m| {
                let card = self.authors().card(m);
                MemberKeys {
                    member: *m,
                    keys: if card.is_some() {
                        KeyState::Published
                    } else {
                        KeyState::OlderVersion
                    },
                    safety_code: card.map(|c| SafetyCode::of(c).digits()),
                    conflicting_keys: self.authors().conflicts(m).len(),
                }
            })
            .collect();
        let signed = active.iter().all(|m| self.authors().card(m).is_some());
        let gone = members.len() > active.len();
        let holders = crate::epochs::Epochs::read(self.ledger());
        let current = self.keyring().current();
        let gone_hold = members.iter().any(|m| {
            !active.contains(m) && holders.holders(current.number, current.start).contains(m)
        });
        KeysView {
            signed,
            my_safety_code: SafetyCode::of(self.keyring().device().card()).digits(),
            members: view,
            epoch: current.number,
            revocation_waits: gone && gone_hold && !signed,
        }
    }

    /// The safety code of `member`'s card, if published.
    pub fn safety_code(&self, member: &MemberId) -> Option<String> {
        self.authors()
            .card(member)
            .map(|c| SafetyCode::of(c).digits())
    }

    /// This device's safety code.
    pub fn my_safety_code(&self) -> String {
        SafetyCode::of(self.keyring().device().card()).digits()
    }

    /// If another member removed this device's member: by whom and when.
    pub fn removal(&mut self) -> Option<Removal> {
        let me = self.me();
        let removed = self
            .state()
            .members
            .get(&me)
            .is_some_and(|m| m.status == gfms_ledger::MemberStatus::Removed);
        if !removed {
            return None;
        }
        let e = self
            .ledger()
            .events()
            .filter(|e| matches!(e.body, EventBody::MemberRemoved { member } if member == me))
            .max_by_key(|e| (e.lamport, e.author, e.id))?;
        let (by, at_ms) = (e.author, e.at_ms);
        let by_name = self
            .state()
            .members
            .get(&by)
            .map_or_else(|| by.to_string(), |m| m.name.clone());
        Some(Removal {
            by,
            by_name,
            group: self.name(),
            at_ms,
        })
    }
}
