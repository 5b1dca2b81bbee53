//! One group on one device: who this device is in it (the secret's keys, its member),
//! the full ledger, and the owners of its sync state — the [`Outbox`] of what it sends,
//! the [`Inbox`] of what it receives, the [`Relays`] it uses. A change a member makes is
//! checked by the ledger (`gfms_ledger::change`) and appended here as an event this
//! device wrote, unsent until a round seals it. No IO: the host saves
//! [`Group::save`]'s JSON and gives the clock.

use gfms_ledger::{
    EventBody, EventId, Expense, GroupSettings, Ledger, MemberId, MemberStatus, PushSubscription,
    Settlement, State, StoredEvent, change, new_event_id,
};
use gfms_seal::{GroupKeys, GroupSecret, RelayKeys, normalize_relay_url};

use crate::inbox::Inbox;
use crate::keyring::Keyring;
use crate::outbox::Outbox;
use crate::relays::{RelaySet, Relays};
use crate::report::PendingBatch;
use crate::saved::Saved;
use crate::{Error, Invite, random};

/// One group on this device.
pub struct Group {
    keyring: Keyring,
    me: MemberId,
    /// The group's name as the invite gave it, until its settings arrive.
    name_hint: String,
    ledger: Ledger,
    /// What the ledger adds up to, until the next change.
    state: Option<State>,
    pub(crate) outbox: Outbox,
    pub(crate) inbox: Inbox,
    pub(crate) relays: Relays,
    last_sync_ms: u64,
}

impl Group {
    fn blank(secret: GroupSecret, me: MemberId, name_hint: String, set: RelaySet) -> Self {
        Self {
            keyring: Keyring::new(secret),
            me,
            name_hint,
            ledger: Ledger::default(),
            state: None,
            outbox: Outbox::default(),
            inbox: Inbox::default(),
            relays: Relays::new(set),
            last_sync_ms: 0,
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
        g.relays
            .set_registration_keys(invite.registration_keys.clone());
        g.append(joined, now_ms)?;
        Ok(g)
    }

    /// Restores a group from [`Group::save`]'s JSON. Events an older version of this
    /// code kept without reading them are read again now: an upgrade applies them.
    pub fn load(json: &str) -> Result<Self, Error> {
        let s = Saved::from_json(json)?;
        let mut g = Self {
            keyring: Keyring::new(GroupSecret::from_bytes(s.secret)),
            me: s.me,
            name_hint: s.name_hint,
            ledger: Ledger::from_stored(s.events),
            state: None,
            outbox: Outbox::load(s.outbox),
            inbox: Inbox::load(s.inbox),
            relays: Relays::load(s.relays),
            last_sync_ms: s.last_sync_ms,
        };
        for (batch, plaintext) in g.inbox.unread() {
            let decoded = crate::payload::decode(&plaintext);
            g.merge(decoded.events);
            if !decoded.rest {
                g.inbox.read_now(&batch);
            }
        }
        Ok(g)
    }

    /// Everything this device holds for the group, as JSON to keep durably. It holds the
    /// group secret: store it as the app's most private data. An error means nothing
    /// may be written: never replace a saved state with anything but this document.
    pub fn save(&self) -> Result<String, Error> {
        Saved {
            secret: self.keyring.secret_bytes(),
            me: self.me,
            name_hint: self.name_hint.clone(),
            events: self.ledger.stored().cloned().collect(),
            last_sync_ms: self.last_sync_ms,
            relays: self.relays.save(),
            outbox: self.outbox.save(),
            inbox: self.inbox.save(),
        }
        .into_json()
    }

    /// The whole event log as a JSON backup naming this group (events this version does
    /// not read included, byte for byte).
    pub fn export_json(&self) -> Result<String, Error> {
        Ok(gfms_ledger::export_json(&self.ledger)?)
    }

    /// A local key for the group (hex of its first relay group id): stable, not secret.
    pub fn key(&self) -> String {
        hex::encode(self.keyring.group().local_id())
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
        Invite {
            secret: self.keyring.secret_bytes(),
            registration_keys: self.relays.registration_keys_of(&set.relays),
            relays: set.relays,
            k: set.k,
            name: self.name(),
        }
    }

    /// Sets the registration key for a relay that only serves its operator's friends
    /// (sent when registering the group there; carried in invites). An empty key removes it.
    pub fn set_registration_key(&mut self, url: &str, key: &str) -> Result<(), Error> {
        let url = normalize_relay_url(url)?;
        self.relays.set_registration_key(url, key);
        Ok(())
    }

    /// Unix ms of the last finished sync round (0: never).
    pub fn last_sync_ms(&self) -> u64 {
        self.last_sync_ms
    }

    /// Outgoing batches not yet complete, as the last round assessed them.
    pub fn pending(&self) -> &[PendingBatch] {
        self.outbox.pending()
    }

    /// Events written here and not yet in any batch.
    pub fn unsent_count(&self) -> usize {
        self.outbox.unsent_count()
    }

    /// Batches in the outbox (sent, not yet complete).
    pub fn outbox_len(&self) -> usize {
        self.outbox.len()
    }

    /// Shares of complete batches still to delete at their relays (a delete that failed
    /// or got no answer is sent again next round; the relay's TTL is the backstop).
    pub fn deletes_pending(&self) -> usize {
        self.outbox.deletes().len()
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

    /// The keys that seal and open this group's batches.
    pub(crate) fn keys(&self) -> &GroupKeys {
        self.keyring.group()
    }

    /// The keys for one relay.
    pub(crate) fn relay_keys(&self, url: &str) -> Result<RelayKeys, Error> {
        self.keyring.relay(url)
    }

    /// The relay set new batches go to.
    pub fn current_relays(&self) -> RelaySet {
        self.relays.current(&self.ledger)
    }

    /// The relays to pull from: the current set, the one before it (members who have not
    /// heard of a change yet still send there) and the invite's.
    pub(crate) fn pull_relays(&self) -> Vec<String> {
        self.relays.pull(&self.ledger)
    }

    /// Where a batch carrying a relay-set change goes: the current set and the one
    /// before it, threshold of the current.
    pub(crate) fn announcing_relays(&self, current: &RelaySet) -> RelaySet {
        self.relays.announcing(&self.ledger, current)
    }

    /// Whether this device's member is still in the group.
    pub fn is_member(&mut self) -> bool {
        let me = self.me;
        self.state()
            .members
            .get(&me)
            .is_none_or(|m| m.status == MemberStatus::Active)
    }

    /// Whether the group's history has arrived here (its settings are known).
    pub(crate) fn knows_group(&mut self) -> bool {
        self.state().settings.is_some()
    }

    /// A device that had the group's history before this round: it answers newcomers
    /// with snapshots. A leaving device does too: a member that joined before its
    /// departure was known may hold none of what it wrote, and it must not be deleted
    /// before its snapshot reached them.
    pub(crate) fn is_established(&mut self) -> bool {
        self.knows_group()
    }

    /// Whether no member other than this device's is active, as far as it knows: a
    /// leaving device that is alone has no one to hand its batches to (none may exist,
    /// or one may be joining that it has not heard of), so it is never ready to delete
    /// by itself; the app may offer to delete the group anyway.
    pub fn alone(&mut self) -> bool {
        self.recipients().is_empty()
    }

    /// Members who must receive a batch from this device: active members but me and
    /// placeholders (added by name only: no device will ever fetch for them).
    pub(crate) fn recipients(&mut self) -> Vec<MemberId> {
        let me = self.me;
        self.state()
            .active_members()
            .filter(|(_, m)| !m.placeholder)
            .map(|(id, _)| *id)
            .filter(|id| *id != me)
            .collect()
    }

    /// A relay answered `gone` to a re-put: the batch's share ids reached the relay's
    /// ceiling on how long re-puts keep a share alive (a member away for weeks). The batch
    /// is retired and this device's whole ledger goes out as a snapshot, under new ids, to
    /// the members that had not acked it — they get everything, the others drop duplicates.
    pub(crate) fn retire_batch(&mut self, batch_id: &str) {
        if let Some(acked) = self.outbox.retire(batch_id) {
            let missing: Vec<MemberId> = self
                .recipients()
                .into_iter()
                .filter(|m| !acked.contains_key(m))
                .collect();
            self.outbox.owe_snapshot(missing);
        }
    }

    /// Appends an event written on this device; it goes out with the next sync.
    pub fn append(&mut self, body: EventBody, now_ms: u64) -> Result<EventId, Error> {
        let id = new_event_id(now_ms, random()?);
        self.ledger.record(self.me, id, now_ms, body);
        self.outbox.mark_unsent([id]);
        self.state = None;
        Ok(id)
    }

    /// Merges events that arrived (in a batch or an import), as their exact text;
    /// returns how many were new.
    pub(crate) fn merge(&mut self, events: Vec<StoredEvent>) -> gfms_ledger::MergeReport {
        let report = self.ledger.merge_stored(events);
        if report.added > 0 {
            self.state = None;
        }
        report
    }

    /// Imports a JSON backup of this group (merge by event id; importing twice changes
    /// nothing). A backup of another group is refused (`wrong_group`): its events would
    /// go to everyone and its members, who will never ack, would block every batch.
    /// Imported events reach the other members with the next sync.
    pub fn import_json(&mut self, json: &str) -> Result<gfms_ledger::MergeReport, Error> {
        let group = self.ledger.group_id().ok_or(Error::NotSynced)?;
        let events = gfms_ledger::read_backup(json, group)?;
        let total = events.len();
        let new: Vec<StoredEvent> = events
            .into_iter()
            .filter(|e| {
                self.ledger
                    .get_stored(&e.id())
                    .is_none_or(|have| have.reading() < e.reading())
            })
            .collect();
        let ids: Vec<EventId> = new.iter().map(StoredEvent::id).collect();
        let report = self.merge(new);
        self.outbox.mark_unsent(ids);
        Ok(gfms_ledger::MergeReport {
            added: report.added,
            duplicates: total - report.added,
        })
    }

    // --- what the device shows about delivery ------------------------------------------

    /// Whether this device's member left (or was removed) and the device still holds the
    /// group: it keeps syncing, read-only, until what it wrote — its `member_left`
    /// included — has reached every member ([`Group::ready_to_delete`]).
    pub fn leaving(&mut self) -> bool {
        !self.is_member()
    }

    /// Whether a leaving device has delivered everything: nothing unsent, no snapshot owed
    /// to a member it learned of, no batch on its way (a batch delivered to no one — every
    /// other member gone or not yet known — stays on its way), no share left to delete.
    /// The group may now be deleted from this device.
    pub fn ready_to_delete(&mut self) -> bool {
        self.leaving()
            && !self.outbox.snapshot_owed()
            && self.outbox.unsent_count() == 0
            && self.outbox.len() == 0
            && self.outbox.deletes().is_empty()
    }

    /// The ids of events held but not applied: from a newer version of GFMS (shown as
    /// such; an upgrade applies them).
    pub fn newer_events(&self) -> Vec<EventId> {
        self.ledger.newer().map(StoredEvent::id).collect()
    }

    /// Batches kept verbatim because this version could not read them whole.
    pub fn unread_batches(&self) -> usize {
        self.inbox.unread_count()
    }

    /// What this device still has to deliver ([`DeviceView`]).
    pub fn device_view(&mut self) -> crate::DeviceView {
        crate::DeviceView {
            leaving: self.leaving(),
            ready_to_delete: self.ready_to_delete(),
            alone: self.alone(),
            unsent: self.unsent_count(),
            outbox: self.outbox_len(),
            newer_events: self.newer_events(),
            unread_batches: self.unread_batches(),
        }
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

    /// Notifications on (this device's Web Push subscription) or off (`None`).
    pub fn set_push(&mut self, sub: Option<PushSubscription>, now_ms: u64) -> Result<(), Error> {
        let body = change::set_push(self.writable_state()?, sub)?;
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

    /// A round ended at `now_ms`.
    pub(crate) fn round_over(&mut self, now_ms: u64) {
        self.inbox.round_over(now_ms);
        self.last_sync_ms = now_ms;
    }
}
