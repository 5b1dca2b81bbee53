//! One group on one device: who this device is in it (its member keys, the secrets of
//! the key epochs it holds, its member), the full ledger and who wrote each event, and
//! the owners of its sync state — the [`Outbox`] of what it sends, the [`Inbox`] of what
//! it receives, the [`Relays`] it uses. A change a member makes is checked by the ledger
//! (`gfms_ledger::change`, in `changes.rs`) and appended here as an event this device
//! wrote and signed, unsent until a round seals it. What arrives is checked against its
//! author's card before it is applied (`authors.rs`). No IO: the host saves
//! [`Group::save`]'s JSON and gives the clock.

mod changes;
mod events;
mod receipts;
mod view;

use std::borrow::Cow;

use gfms_identity::{DeviceKeys, GroupContext};
use gfms_ledger::{EventBody, Fold, Ledger, MemberId, MemberStatus, State, change};
use gfms_seal::{GroupKeys, GroupSecret, RelayKeys, normalize_relay_url};

pub use receipts::{Attached, ReceiptsPending, blob_hash};

use crate::authors::{Authors, KeptAside, ledger_card};
use crate::blobs::Blobs;
use crate::inbox::Inbox;
use crate::keyring::{EpochStart, FIRST_EPOCH, Keyring, endpoint};
use crate::outbox::Outbox;
use crate::relays::{RelaySet, Relays};
use crate::report::PendingBatch;
use crate::round::offered::Offers;
use crate::saved::{Saved, SavedKeys};
use crate::{Error, Invite};

/// One group on this device.
pub struct Group {
    keyring: Keyring,
    me: MemberId,
    /// The group's name as the invite gave it, until its settings arrive.
    name_hint: String,
    ledger: Ledger,
    /// What the ledger adds up to, kept up to date as events are appended or merged
    /// after every event it holds (`events.rs`); `None` until read again after any
    /// other change.
    state: Option<Fold>,
    /// Each member's card, and the events kept aside.
    authors: Authors,
    /// This device joined before member keys: it publishes its card with its next
    /// change or round.
    publish_keys: bool,
    pub(crate) outbox: Outbox,
    pub(crate) inbox: Inbox,
    pub(crate) relays: Relays,
    /// Attachment chunks in flight (`blobs.rs`).
    pub(crate) blobs: Blobs,
    last_sync_ms: u64,
    /// Events kept aside since the last round's report took them.
    kept_aside_now: Vec<KeptAside>,
    /// Shares relays pushed, until their batches open (not saved).
    pub(crate) offers: Offers,
}

impl Group {
    fn blank(keyring: Keyring, me: MemberId, name_hint: String, set: RelaySet) -> Self {
        Self {
            keyring,
            me,
            name_hint,
            ledger: Ledger::default(),
            state: None,
            authors: Authors::default(),
            publish_keys: false,
            outbox: Outbox::default(),
            inbox: Inbox::default(),
            relays: Relays::new(set),
            blobs: Blobs::default(),
            last_sync_ms: 0,
            kept_aside_now: Vec::new(),
            offers: Offers::default(),
        }
    }

    /// Creates a new group with a fresh secret; `member_name` is this device's member,
    /// its id the hash of the card of the keys made here.
    pub fn create(
        settings: gfms_ledger::GroupSettings,
        member_name: &str,
        relays: &[String],
        k: u8,
        now_ms: u64,
    ) -> Result<Self, Error> {
        let set = RelaySet::new(relays, k)?;
        let device = DeviceKeys::generate()?;
        let me = MemberId(device.card().member_id());
        let joined = change::join(me, member_name, Some(ledger_card(device.card())), 0)?;
        let name = settings.name.clone();
        let created = change::create_group(settings)?;
        let secret = GroupSecret::generate()?;
        let context = GroupContext::derive(&secret.to_bytes());
        let keyring = Keyring::new(device, context, secret, 0, FIRST_EPOCH);
        let mut g = Self::blank(keyring, me, name, set.clone());
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

    /// Joins the group an invite describes: this device announces its member (with its
    /// card), and every existing member answers with a snapshot of the whole ledger.
    pub fn join(invite: &Invite, member_name: &str, now_ms: u64) -> Result<Self, Error> {
        let device = DeviceKeys::generate()?;
        let me = MemberId(device.card().member_id());
        let joined = change::join(
            me,
            member_name,
            Some(ledger_card(device.card())),
            invite.epoch,
        )?;
        let set = RelaySet::new(&invite.relays, invite.k)?;
        let context = invite.context.map_or_else(
            || GroupContext::derive(&invite.secret),
            GroupContext::from_bytes,
        );
        let keyring = Keyring::new(
            device,
            context,
            invite.group_secret(),
            invite.epoch,
            invite.epoch_start.unwrap_or(FIRST_EPOCH),
        );
        let mut g = Self::blank(keyring, me, invite.name.clone(), set);
        g.relays
            .set_registration_keys(invite.registration_keys.clone());
        g.append(joined, now_ms)?;
        Ok(g)
    }

    /// Restores a group from [`Group::save`]'s JSON. Events an older version of this
    /// code kept without reading them are read again now: an upgrade applies them. A
    /// state saved before member keys gets this device's keys now (published with its
    /// next change or round), and every event is checked against the cards it holds.
    pub fn load(json: &str) -> Result<Self, Error> {
        let s = Saved::from_json(json)?;
        let first = GroupSecret::from_bytes(s.secret);
        let k = s.keys;
        let before_keys = k.device.is_none();
        let device = match k.device {
            Some(d) => d,
            None => DeviceKeys::generate()?,
        };
        let context = k
            .context
            .unwrap_or_else(|| GroupContext::derive(&first.to_bytes()));
        let mut keyring = Keyring::load(
            device,
            context,
            first,
            k.first_number,
            k.first_start,
            k.epochs,
            k.current,
        )?;
        keyring.set_first_superseded_ms(k.first_superseded_ms);
        let ledger = Ledger::from_stored(s.events.into_iter().map(Cow::into_owned));
        let authors = Authors::load(&ledger, keyring.context(), k.aside);
        let mut g = Self {
            keyring,
            me: s.me,
            name_hint: s.name_hint,
            ledger,
            state: None,
            authors,
            publish_keys: before_keys || k.publish,
            outbox: Outbox::load(s.outbox),
            inbox: Inbox::load(s.inbox),
            relays: Relays::load(s.relays),
            blobs: s.blobs,
            last_sync_ms: s.last_sync_ms,
            kept_aside_now: Vec::new(),
            offers: Offers::default(),
        };
        for (batch, plaintext) in g.inbox.unread() {
            // A chunk a release before receipts kept verbatim: read now.
            if crate::blobs::is_chunk(&plaintext) {
                let _ = g.blobs.receive(&plaintext, s.last_sync_ms);
                g.inbox.read_now(&batch);
                continue;
            }
            let decoded = crate::payload::decode(&plaintext);
            // Events left out for want of room aside keep the batch verbatim: read
            // again on the next load.
            let (_, left_out) = g.merge(decoded.events);
            if !decoded.rest && left_out.is_empty() {
                g.inbox.read_now(&batch);
            }
        }
        if before_keys {
            // A release before member keys applied every event it got; what it could
            // not check is checked now, against the cards it held without reading them.
            let context = *g.keyring.context();
            g.authors.recheck_all(&mut g.ledger, &context);
            g.state = None;
        }
        Ok(g)
    }

    /// Everything this device holds for the group, as JSON to keep durably. It holds the
    /// group's secrets and this device's private keys: store it as the app's most
    /// private data. An error means nothing may be written: never replace a saved state
    /// with anything but this document.
    pub fn save(&self) -> Result<String, Error> {
        let (first_number, first_start) = self.keyring.first();
        Saved {
            secret: self.keyring.first_secret_bytes(),
            me: self.me,
            name_hint: self.name_hint.clone(),
            events: self.ledger.stored().map(Cow::Borrowed).collect(),
            last_sync_ms: self.last_sync_ms,
            relays: self.relays.save(),
            outbox: self.outbox.save(),
            inbox: self.inbox.save(),
            blobs: self.blobs.clone(),
            keys: SavedKeys {
                device: Some(self.keyring.device().clone()),
                context: Some(*self.keyring.context()),
                first_number,
                first_start,
                first_superseded_ms: self.keyring.first_superseded_ms(),
                epochs: self.keyring.save_epochs(),
                current: self.keyring.current().start,
                aside: self.authors.save(),
                publish: self.publish_keys,
            },
        }
        .into_json()
    }

    /// The whole event log as a JSON backup naming this group (events this version does
    /// not read included, byte for byte, each with its signature).
    pub fn export_json(&self) -> Result<String, Error> {
        Ok(gfms_ledger::export_json(&self.ledger)?)
    }

    /// A local key for the group (from its first secret on this device): stable across
    /// key epochs, not secret.
    pub fn key(&self) -> String {
        let first = GroupSecret::from_bytes(self.keyring.first_secret_bytes());
        hex::encode(GroupKeys::derive(&first).local_id())
    }

    /// This device's member.
    pub fn me(&self) -> MemberId {
        self.me
    }

    /// The ledger.
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// What the ledger adds up to (kept as events are added; computed from the whole
    /// ledger after any other change).
    pub fn state(&mut self) -> &State {
        self.state
            .get_or_insert_with(|| Fold::new(&self.ledger))
            .state()
    }

    /// The group's name (from its settings, or the invite's until they arrive).
    pub fn name(&mut self) -> String {
        let hint = self.name_hint.clone();
        self.state()
            .settings
            .as_ref()
            .map_or(hint, |s| s.name.clone())
    }

    /// An invite to this group over its current relays, with the current epoch's secret.
    pub fn invite(&mut self) -> Invite {
        let set = self.current_relays();
        let epoch = self.keyring.current();
        let later = epoch.number > 0 || epoch.start != FIRST_EPOCH;
        Invite {
            secret: epoch.secret_bytes(),
            registration_keys: self.relays.registration_keys_of(&set.relays),
            relays: set.relays,
            k: set.k,
            epoch: epoch.number,
            epoch_start: (epoch.start != FIRST_EPOCH).then_some(epoch.start),
            context: later.then(|| *self.keyring.context().as_bytes()),
            name: self.name(),
        }
    }

    /// Sends share puts, fetches and deletes as CORS-simple requests (the token in the
    /// body, no preflight: one round trip less per share in a browser), and falls back
    /// to the classic form at a relay that answers 405, older than the form. For the
    /// app; the CLI needs no CORS and keeps the classic form.
    pub fn use_simple_requests(&mut self) {
        self.relays.use_simple_requests();
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

    /// Where to listen for pushes: per current relay its WebSocket URL (`ws`/`wss`)
    /// and the subprotocols that carry the protocol name and the bearer token.
    pub fn push_endpoints(&self) -> Vec<(String, Vec<String>)> {
        let start = self.keyring.current().start;
        self.current_relays()
            .relays
            .iter()
            .filter_map(|url| {
                let keys = self.relay_keys(&endpoint(url, start)).ok()?;
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

    /// The keyring: member keys, context, epoch secrets.
    pub(crate) fn keyring(&self) -> &Keyring {
        &self.keyring
    }

    pub(crate) fn keyring_mut(&mut self) -> &mut Keyring {
        &mut self.keyring
    }

    /// The cards and the events kept aside.
    pub(crate) fn authors(&self) -> &Authors {
        &self.authors
    }

    /// The keys that seal and open batches of epoch `start`.
    pub(crate) fn epoch_keys(&self, start: EpochStart) -> Option<&GroupKeys> {
        self.keyring.group(start)
    }

    /// The keys at an endpoint (a relay in an epoch).
    pub(crate) fn relay_keys(&self, endpoint: &str) -> Result<RelayKeys, Error> {
        self.keyring.relay(endpoint)
    }

    /// The relay set new batches go to.
    pub fn current_relays(&self) -> RelaySet {
        self.relays.current(&self.ledger)
    }

    /// The endpoints to pull from: the pull relays (the current set, the one before it
    /// and the invite's) in the current epoch and in those left lately.
    pub(crate) fn pull_endpoints(&self, now_ms: u64) -> Vec<String> {
        let urls = self.relays.pull(&self.ledger);
        let mut out = Vec::new();
        for start in self.keyring.pulled(now_ms) {
            out.extend(urls.iter().map(|u| endpoint(u, start)));
        }
        out
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

    /// Members who must receive a batch from this device: active members but me and
    /// placeholders (added by name only: no device will ever fetch for them).
    pub(crate) fn recipients(&mut self) -> Vec<MemberId> {
        let me = self.me;
        self.state()
            .members_with_devices()
            .map(|(id, _)| *id)
            .filter(|id| *id != me)
            .collect()
    }

    /// A round ended at `now_ms`.
    pub(crate) fn round_over(&mut self, now_ms: u64) {
        self.inbox.round_over(now_ms);
        self.blobs.round_over(now_ms);
        self.last_sync_ms = now_ms;
    }
}
