//! One group on one device: its secret, its member, the full ledger, the events not yet
//! sent, the outbox of batches on their way, and what the last sync learned. No IO: the
//! host saves [`Group::save`]'s JSON and gives the clock.

use std::collections::{BTreeMap, BTreeSet};

use gfms_ledger::{
    Event, EventBody, EventId, Expense, GroupSettings, Ledger, MemberId, MemberStatus, Settlement,
    State, change, new_event_id,
};
use gfms_protocol::ShareId;
use gfms_seal::{BatchId, GroupKeys, GroupSecret, RelayKeys, normalize_relay_url};
use serde::{Deserialize, Serialize};

use crate::outbox::OutgoingBatch;
use crate::report::PendingBatch;
use crate::{Error, Invite};

/// The format tag of saved device state.
pub const SAVED_FORMAT: &str = "gfms-device";

/// How long a received batch id is remembered (so its shares still listed at other
/// relays are recognised, not fetched again): well past any relay's TTL.
pub const SEEN_RETENTION_MS: u64 = 7 * 24 * 3600 * 1000;

/// A relay set: URLs (normalised) and threshold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelaySet {
    /// Relay URLs, in the group's order.
    pub relays: Vec<String>,
    /// Threshold `k`.
    pub k: u8,
}

impl RelaySet {
    /// Checks and normalises a relay set.
    pub fn new(relays: &[String], k: u8) -> Result<Self, Error> {
        let mut out: Vec<String> = Vec::with_capacity(relays.len());
        for r in relays {
            let url = normalize_relay_url(r)?;
            if out.contains(&url) {
                return Err(Error::BadRelays(format!("{url} is listed twice")));
            }
            out.push(url);
        }
        if out.len() > 255 || k < 2 || usize::from(k) > out.len() {
            return Err(Error::BadRelays(format!(
                "need 2 <= k <= n, have k = {k} and n = {}",
                out.len()
            )));
        }
        Ok(Self { relays: out, k })
    }
}

/// One group on this device.
pub struct Group {
    pub(crate) keys: GroupKeys,
    secret: GroupSecret,
    pub(crate) me: MemberId,
    name_hint: String,
    invite_set: RelaySet,
    pub(crate) ledger: Ledger,
    state: Option<State>,
    pub(crate) unsent: BTreeSet<EventId>,
    pub(crate) outbox: Vec<OutgoingBatch>,
    pub(crate) seen: BTreeMap<String, u64>,
    pub(crate) partial: BTreeMap<String, (u8, u64)>,
    pub(crate) deletes: BTreeSet<(String, ShareId)>,
    pub(crate) fetching: BTreeSet<(String, ShareId)>,
    pub(crate) acks: BTreeSet<(String, ShareId)>,
    pub(crate) registration_keys: BTreeMap<String, String>,
    pub(crate) registered: BTreeSet<String>,
    pub(crate) snapshot_for: BTreeSet<MemberId>,
    pub(crate) last_sync_ms: u64,
    pub(crate) pending_view: Vec<PendingBatch>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Saved {
    format: String,
    v: u32,
    secret: String,
    me: MemberId,
    name_hint: String,
    invite_set: RelaySet,
    events: Vec<Event>,
    unsent: BTreeSet<EventId>,
    outbox: Vec<OutgoingBatch>,
    seen: BTreeMap<String, u64>,
    #[serde(default)]
    partial: BTreeMap<String, (u8, u64)>,
    #[serde(default)]
    deletes: BTreeSet<(String, ShareId)>,
    #[serde(default)]
    fetching: BTreeSet<(String, ShareId)>,
    #[serde(default)]
    acks: BTreeSet<(String, ShareId)>,
    #[serde(default)]
    registration_keys: BTreeMap<String, String>,
    registered: BTreeSet<String>,
    snapshot_for: BTreeSet<MemberId>,
    last_sync_ms: u64,
    pending_view: Vec<PendingBatch>,
}

pub(crate) fn random<const N: usize>() -> Result<[u8; N], Error> {
    let mut out = [0u8; N];
    getrandom::fill(&mut out).map_err(|_| Error::Rng)?;
    Ok(out)
}

impl Group {
    fn blank(secret: GroupSecret, me: MemberId, name_hint: String, set: RelaySet) -> Self {
        Self {
            keys: GroupKeys::derive(&secret),
            secret,
            me,
            name_hint,
            invite_set: set,
            ledger: Ledger::default(),
            state: None,
            unsent: BTreeSet::new(),
            outbox: Vec::new(),
            seen: BTreeMap::new(),
            partial: BTreeMap::new(),
            deletes: BTreeSet::new(),
            fetching: BTreeSet::new(),
            acks: BTreeSet::new(),
            registration_keys: BTreeMap::new(),
            registered: BTreeSet::new(),
            snapshot_for: BTreeSet::new(),
            last_sync_ms: 0,
            pending_view: Vec::new(),
        }
    }

    /// Creates a new group with a fresh secret; `member_name` is this device's member.
    pub fn create(
        settings: GroupSettings,
        member_name: &str,
        relays: &[String],
        k: u8,
        now_ms: u64,
    ) -> Result<Self, Error> {
        let set = RelaySet::new(relays, k)?;
        let me = MemberId(random()?);
        let joined = change::join(me, member_name)?;
        let name = settings.name.clone();
        let created = change::create_group(settings)?;
        let mut g = Self::blank(GroupSecret::generate()?, me, name, set.clone());
        g.append(created, now_ms)?;
        g.append(joined, now_ms)?;
        g.append(
            EventBody::RelaySetChanged {
                relays: set.relays,
                k: set.k,
            },
            now_ms,
        )?;
        Ok(g)
    }

    /// Joins the group an invite describes: this device announces its member, and an
    /// existing member answers with a snapshot of the whole ledger.
    pub fn join(invite: &Invite, member_name: &str, now_ms: u64) -> Result<Self, Error> {
        let me = MemberId(random()?);
        let joined = change::join(me, member_name)?;
        let set = RelaySet::new(&invite.relays, invite.k)?;
        let mut g = Self::blank(invite.group_secret(), me, invite.name.clone(), set);
        g.registration_keys = invite.registration_keys.clone();
        g.append(joined, now_ms)?;
        Ok(g)
    }

    /// Restores a group from [`Group::save`]'s JSON.
    pub fn load(json: &str) -> Result<Self, Error> {
        let s: Saved = serde_json::from_str(json).map_err(|e| Error::BadState(e.to_string()))?;
        if s.format != SAVED_FORMAT || s.v != 1 {
            return Err(Error::BadState(format!("format {} v{}", s.format, s.v)));
        }
        let mut secret = [0u8; 32];
        hex::decode_to_slice(&s.secret, &mut secret)
            .map_err(|_| Error::BadState("secret".into()))?;
        let mut g = Self::blank(
            GroupSecret::from_bytes(secret),
            s.me,
            s.name_hint,
            s.invite_set,
        );
        g.ledger = Ledger::from_events(s.events);
        g.unsent = s.unsent;
        g.outbox = s.outbox;
        g.seen = s.seen;
        g.partial = s.partial;
        g.deletes = s.deletes;
        g.fetching = s.fetching;
        g.acks = s.acks;
        g.registration_keys = s.registration_keys;
        g.registered = s.registered;
        g.snapshot_for = s.snapshot_for;
        g.last_sync_ms = s.last_sync_ms;
        g.pending_view = s.pending_view;
        Ok(g)
    }

    /// Everything this device holds for the group, as JSON to keep durably. It holds the
    /// group secret: store it as the app's most private data.
    pub fn save(&self) -> String {
        let saved = Saved {
            format: SAVED_FORMAT.into(),
            v: 1,
            secret: hex::encode(self.secret.to_bytes()),
            me: self.me,
            name_hint: self.name_hint.clone(),
            invite_set: self.invite_set.clone(),
            events: self.ledger.events().cloned().collect(),
            unsent: self.unsent.clone(),
            outbox: self.outbox.clone(),
            seen: self.seen.clone(),
            partial: self.partial.clone(),
            deletes: self.deletes.clone(),
            fetching: self.fetching.clone(),
            acks: self.acks.clone(),
            registration_keys: self.registration_keys.clone(),
            registered: self.registered.clone(),
            snapshot_for: self.snapshot_for.clone(),
            last_sync_ms: self.last_sync_ms,
            pending_view: self.pending_view.clone(),
        };
        serde_json::to_string(&saved).unwrap_or_default()
    }

    /// A local key for the group (hex of its first relay group id): stable, not secret.
    pub fn key(&self) -> String {
        hex::encode(self.keys.local_id())
    }

    /// This device's member.
    pub fn me(&self) -> MemberId {
        self.me
    }

    /// The ledger.
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// What the ledger adds up to (cached until the next change).
    pub fn state(&mut self) -> &State {
        self.state.get_or_insert_with(|| self.ledger.state())
    }

    /// The group's name (from its settings, or the invite's until they arrive).
    pub fn name(&mut self) -> String {
        let hint = self.name_hint.clone();
        self.state()
            .settings
            .as_ref()
            .map_or(hint, |s| s.name.clone())
    }

    /// An invite to this group over its current relays.
    pub fn invite(&mut self) -> Invite {
        let set = self.current_relays();
        let registration_keys = self
            .registration_keys
            .iter()
            .filter(|(url, _)| set.relays.contains(url))
            .map(|(u, k)| (u.clone(), k.clone()))
            .collect();
        Invite {
            secret: self.secret.to_bytes(),
            relays: set.relays,
            k: set.k,
            name: self.name(),
            registration_keys,
        }
    }

    /// Sets the registration key for a relay that only serves its operator's friends
    /// (sent when registering the group there; carried in invites). An empty key removes it.
    pub fn set_registration_key(&mut self, url: &str, key: &str) -> Result<(), Error> {
        let url = normalize_relay_url(url)?;
        if key.is_empty() {
            self.registration_keys.remove(&url);
        } else {
            self.registration_keys.insert(url.clone(), key.to_string());
        }
        // Register again with the key at the next round.
        self.registered.remove(&url);
        Ok(())
    }

    pub(crate) fn registration_key(&self, url: &str) -> Option<String> {
        self.registration_keys.get(url).cloned()
    }

    /// Unix ms of the last finished sync round (0: never).
    pub fn last_sync_ms(&self) -> u64 {
        self.last_sync_ms
    }

    /// Outgoing batches not yet complete, as the last round assessed them.
    pub fn pending(&self) -> &[PendingBatch] {
        &self.pending_view
    }

    /// Events written here and not yet in any batch.
    pub fn unsent_count(&self) -> usize {
        self.unsent.len()
    }

    /// Batches in the outbox (sent, not yet complete).
    pub fn outbox_len(&self) -> usize {
        self.outbox.len()
    }

    /// Where to listen for pushes: per current relay its WebSocket URL (`ws`/`wss`)
    /// and the subprotocols that carry the protocol name and the bearer token.
    pub fn push_endpoints(&self) -> Vec<(String, Vec<String>)> {
        self.current_relays()
            .relays
            .iter()
            .filter_map(|url| {
                let keys = self.relay_keys(url).ok()?;
                let ws = if let Some(rest) = url.strip_prefix("https://") {
                    format!("wss://{rest}")
                } else {
                    format!("ws://{}", url.strip_prefix("http://")?)
                };
                Some((
                    format!(
                        "{ws}{}?member={}",
                        gfms_protocol::paths::ws(&keys.group_id),
                        keys.member_pseudonym(&self.me.0)
                    ),
                    vec![
                        gfms_protocol::WS_PROTOCOL.to_string(),
                        format!("{}{}", gfms_protocol::WS_BEARER_PREFIX, keys.token),
                    ],
                ))
            })
            .collect()
    }

    pub(crate) fn relay_keys(&self, url: &str) -> Result<RelayKeys, Error> {
        Ok(self.keys.relay(url)?)
    }

    /// Relay sets from the ledger's relay-set events, oldest first.
    fn relay_history(&self) -> Vec<RelaySet> {
        let mut changes: Vec<&Event> = self
            .ledger
            .events()
            .filter(|e| matches!(e.body, EventBody::RelaySetChanged { .. }))
            .collect();
        changes.sort_by_key(|e| (e.lamport, e.author, e.id));
        changes
            .into_iter()
            .filter_map(|e| match &e.body {
                EventBody::RelaySetChanged { relays, k } => RelaySet::new(relays, *k).ok(),
                _ => None,
            })
            .collect()
    }

    /// The relay set new batches go to.
    pub fn current_relays(&self) -> RelaySet {
        self.relay_history()
            .pop()
            .unwrap_or_else(|| self.invite_set.clone())
    }

    /// The relays to pull from: the current set, the one before it (members who have not
    /// heard of a change yet still send there) and the invite's.
    pub(crate) fn pull_relays(&self) -> Vec<String> {
        let mut history = self.relay_history();
        let mut out: Vec<String> = Vec::new();
        let mut add = |set: &RelaySet| {
            for r in &set.relays {
                if !out.contains(r) {
                    out.push(r.clone());
                }
            }
        };
        if let Some(cur) = history.pop() {
            add(&cur);
        }
        if let Some(prev) = history.pop() {
            add(&prev);
        }
        add(&self.invite_set);
        out
    }

    /// Whether this device's member is still in the group.
    pub fn is_member(&mut self) -> bool {
        let me = self.me;
        self.state()
            .members
            .get(&me)
            .is_none_or(|m| m.status == MemberStatus::Active)
    }

    /// Members who must receive a batch from this device: active members but me.
    pub(crate) fn recipients(&mut self) -> Vec<MemberId> {
        let me = self.me;
        self.state()
            .active_members()
            .map(|(id, _)| *id)
            .filter(|id| *id != me)
            .collect()
    }

    /// Appends an event written on this device; it goes out with the next sync.
    pub fn append(&mut self, body: EventBody, now_ms: u64) -> Result<EventId, Error> {
        let id = new_event_id(now_ms, random()?);
        self.ledger.record(self.me, id, now_ms, body);
        self.unsent.insert(id);
        self.state = None;
        Ok(id)
    }

    /// Merges events that arrived (in a batch or an import); returns how many were new.
    pub(crate) fn merge(&mut self, events: Vec<Event>) -> gfms_ledger::MergeReport {
        let report = self.ledger.merge(events);
        if report.added > 0 {
            self.state = None;
        }
        report
    }

    /// The state, if this device may change the group: its member is still in it and
    /// the group's history has arrived. The ledger checks each change against it.
    fn writable_state(&mut self) -> Result<&State, Error> {
        if !self.is_member() {
            return Err(Error::NotMember);
        }
        let state = self.state();
        if state.settings.is_none() {
            return Err(Error::NotSynced);
        }
        Ok(state)
    }

    /// Records an expense.
    pub fn add_expense(&mut self, value: Expense, now_ms: u64) -> Result<EventId, Error> {
        let body = change::add_expense(self.writable_state()?, value)?;
        self.append(body, now_ms)
    }

    /// Replaces an expense's value.
    pub fn edit_expense(&mut self, id: EventId, value: Expense, now_ms: u64) -> Result<(), Error> {
        let body = change::edit_expense(self.writable_state()?, id, value)?;
        self.append(body, now_ms).map(|_| ())
    }

    /// Deletes an expense.
    pub fn delete_expense(&mut self, id: EventId, now_ms: u64) -> Result<(), Error> {
        let body = change::delete_expense(self.writable_state()?, id)?;
        self.append(body, now_ms).map(|_| ())
    }

    /// Records a repayment.
    pub fn record_settlement(&mut self, value: Settlement, now_ms: u64) -> Result<EventId, Error> {
        let body = change::record_settlement(self.writable_state()?, value)?;
        self.append(body, now_ms)
    }

    /// Deletes a settlement.
    pub fn delete_settlement(&mut self, id: EventId, now_ms: u64) -> Result<(), Error> {
        let body = change::delete_settlement(self.writable_state()?, id)?;
        self.append(body, now_ms).map(|_| ())
    }

    /// Renames a member.
    pub fn rename_member(
        &mut self,
        member: MemberId,
        name: &str,
        now_ms: u64,
    ) -> Result<(), Error> {
        let body = change::rename_member(self.writable_state()?, member, name)?;
        self.append(body, now_ms).map(|_| ())
    }

    /// Removes a member (a lost phone): they stop blocking synchronisation. Removing this
    /// device's own member is leaving.
    pub fn remove_member(&mut self, member: MemberId, now_ms: u64) -> Result<(), Error> {
        let me = self.me;
        let body = change::remove_member(self.writable_state()?, member, me)?;
        self.append(body, now_ms).map(|_| ())
    }

    /// This device's member leaves; the event still goes out with the next sync.
    pub fn leave(&mut self, now_ms: u64) -> Result<(), Error> {
        let me = self.me;
        let body = change::leave(self.writable_state()?, me)?;
        self.append(body, now_ms).map(|_| ())
    }

    /// New settings.
    pub fn change_settings(&mut self, settings: GroupSettings, now_ms: u64) -> Result<(), Error> {
        let body = change::change_settings(self.writable_state()?, settings)?;
        self.append(body, now_ms).map(|_| ())
    }

    /// Moves the group to another relay set. The batch carrying this change goes to
    /// the old and the new relays, so every member hears of it.
    pub fn change_relays(&mut self, relays: &[String], k: u8, now_ms: u64) -> Result<(), Error> {
        self.writable_state()?;
        let set = RelaySet::new(relays, k)?;
        let body = change::change_relays(self.state(), set.relays, set.k)?;
        self.append(body, now_ms).map(|_| ())
    }

    /// Imports a JSON export (merge by event id; importing twice changes nothing).
    /// Imported events reach the other members with the next sync.
    pub fn import_json(&mut self, json: &str) -> Result<gfms_ledger::MergeReport, Error> {
        let mut scratch = Ledger::default();
        gfms_ledger::import_json(&mut scratch, json)?;
        let new: Vec<Event> = scratch
            .events()
            .filter(|e| self.ledger.get(&e.id).is_none())
            .cloned()
            .collect();
        let ids: Vec<EventId> = new.iter().map(|e| e.id).collect();
        let report = self.merge(new);
        self.unsent.extend(ids);
        Ok(gfms_ledger::MergeReport {
            added: report.added,
            duplicates: scratch.len() - report.added,
        })
    }

    /// Forgets batch ids received long ago.
    pub(crate) fn prune_seen(&mut self, now_ms: u64) {
        self.seen
            .retain(|_, at| now_ms.saturating_sub(*at) < SEEN_RETENTION_MS);
        self.partial
            .retain(|_, (_, at)| now_ms.saturating_sub(*at) < SEEN_RETENTION_MS);
    }

    pub(crate) fn has_seen(&self, batch: &BatchId) -> bool {
        self.seen.contains_key(&hex::encode(batch))
    }
}
