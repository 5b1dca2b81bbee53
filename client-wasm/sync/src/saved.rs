//! The saved device state: one JSON document, format [`SAVED_FORMAT`], written by
//! `Group::save` and read by `Group::load`. Its fields are flat and named as the first
//! release wrote them, so a state saved by any release since still loads. Each owner
//! (relays, outbox, inbox) gives and takes its own fields as a small struct; this module
//! only lays them out.
//!
//! Version 2 keeps each event as its exact text with an optional signature,
//! `{"text": "<event JSON>", "sig": null}` (a JSON string survives any re-encoding of
//! the document; see docs/member-keys.md), and the batches this version could not read
//! (`unread`, base64url plaintext by batch id). Version 3 adds member keys:
//! `member_keys` (this device's private keys, the group context, the key epochs it holds
//! beyond the first, whose secret is still `secret`), `aside` (events not applied, with
//! why), `routes` (unsent events sent in another epoch), `sealed` (the hash of each
//! received batch, for receipts) and `partial_epochs`. Versions 1 and 2 still load — a
//! device that saved them makes its keys on load and publishes its card; saving writes
//! version 3.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use gfms_identity::{DeviceKeys, GroupContext};
use gfms_ledger::{EventId, MemberId, StoredEvent};
use gfms_protocol::ShareId;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::Error;
use crate::authors::SavedAside;
use crate::blobs::Blobs;
use crate::inbox::SavedInbox;
use crate::keyring::{EpochStart, FIRST_EPOCH, SavedEpoch};
use crate::outbox::{OutgoingBatch, SavedOutbox};
use crate::relays::{RelaySet, SavedRelays};
use crate::report::PendingBatch;

/// The format tag of saved device state.
pub const SAVED_FORMAT: &str = "gfms-device";

/// The version of the saved format this code writes (it reads this one, 2 and 1).
const SAVED_VERSION: u32 = 3;

/// An event in a version 2 document (read by `StoredEvent::from_saved`), as written.
#[derive(Serialize)]
struct SavedEvent<'a> {
    text: &'a str,
    sig: Option<&'a str>,
}

/// The document, field by field, in the order it has always been written. Its events are
/// written straight from the ledger (`E` = [`SavedEvent`], borrowed) and read as their
/// text within the document (`E` = `&RawValue`, borrowed), each parsed once by
/// `StoredEvent`: no copy of every event on the way in or out.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Document<E> {
    format: String,
    v: u32,
    secret: String,
    me: MemberId,
    name_hint: String,
    invite_set: RelaySet,
    events: Vec<E>,
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
    #[serde(default)]
    unread: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    member_keys: Option<MemberKeysDoc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    aside: Vec<SavedAside>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    routes: Vec<(EventId, EpochStart)>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    sealed: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    partial_epochs: BTreeMap<String, EpochStart>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    ack_for: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Blobs::is_empty")]
    blobs: Blobs,
}

/// This device's keys and the epochs it holds.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct MemberKeysDoc {
    device: DeviceKeys,
    context: String,
    /// The epoch of `secret`: 0, or the one of the invite it joined with.
    first: SavedEpoch,
    #[serde(default)]
    epochs: Vec<SavedEpoch>,
    #[serde(default)]
    current: EpochStart,
    /// The card is still to be published (joined before member keys, not yet able to).
    #[serde(default)]
    publish: bool,
}

/// The keys' part of the saved state (`device: None` for a state saved before keys).
pub(crate) struct SavedKeys {
    pub(crate) device: Option<DeviceKeys>,
    pub(crate) context: Option<GroupContext>,
    pub(crate) first_number: u64,
    pub(crate) first_start: EpochStart,
    pub(crate) first_superseded_ms: u64,
    pub(crate) epochs: Vec<SavedEpoch>,
    pub(crate) current: EpochStart,
    pub(crate) aside: Vec<SavedAside>,
    pub(crate) publish: bool,
}

/// A group's saved state, by owner. The events are borrowed from the ledger when saving
/// (a copy of 10,000 events for each save was a large part of its cost) and owned when
/// loading.
pub(crate) struct Saved<'a> {
    pub(crate) secret: [u8; 32],
    pub(crate) me: MemberId,
    pub(crate) name_hint: String,
    pub(crate) events: Vec<Cow<'a, StoredEvent>>,
    pub(crate) last_sync_ms: u64,
    pub(crate) relays: SavedRelays,
    pub(crate) outbox: SavedOutbox,
    pub(crate) inbox: SavedInbox,
    pub(crate) blobs: Blobs,
    pub(crate) keys: SavedKeys,
}

impl Saved<'_> {
    /// The JSON document.
    pub(crate) fn into_json(self) -> Result<String, Error> {
        let Saved {
            secret,
            me,
            name_hint,
            events,
            last_sync_ms,
            relays,
            outbox,
            inbox,
            blobs,
            keys,
        } = self;
        let bad = |e: serde_json::Error| Error::BadState(format!("cannot write the state: {e}"));
        let events: Vec<SavedEvent<'_>> = events
            .iter()
            .map(|e| SavedEvent {
                text: e.text(),
                sig: e.signature(),
            })
            .collect();
        let doc = Document {
            format: SAVED_FORMAT.into(),
            v: SAVED_VERSION,
            secret: hex::encode(secret),
            me,
            name_hint,
            invite_set: relays.invite_set,
            events,
            unsent: outbox.unsent,
            outbox: outbox.outbox,
            seen: inbox.seen,
            partial: inbox.partial,
            deletes: outbox.deletes,
            fetching: inbox.fetching,
            acks: inbox.acks,
            registration_keys: relays.registration_keys,
            registered: relays.registered,
            snapshot_for: outbox.snapshot_for,
            last_sync_ms,
            pending_view: outbox.pending_view,
            unread: inbox.unread,
            member_keys: match (keys.device, keys.context) {
                (Some(device), Some(context)) => Some(MemberKeysDoc {
                    device,
                    context: context.to_base64url(),
                    first: SavedEpoch::first(
                        keys.first_number,
                        keys.first_start,
                        keys.first_superseded_ms,
                    ),
                    epochs: keys.epochs,
                    current: keys.current,
                    publish: keys.publish,
                }),
                _ => None,
            },
            aside: keys.aside,
            routes: outbox.routes.into_iter().collect(),
            sealed: inbox.sealed,
            partial_epochs: inbox.partial_epochs,
            ack_for: inbox.ack_for,
            blobs,
        };
        serde_json::to_string(&doc).map_err(bad)
    }

    /// Reads a JSON document (this format and version only).
    pub(crate) fn from_json(json: &str) -> Result<Saved<'static>, Error> {
        let d: Document<&RawValue> =
            serde_json::from_slice(json.as_bytes()).map_err(|e| Error::BadState(e.to_string()))?;
        if d.format != SAVED_FORMAT || !(1..=SAVED_VERSION).contains(&d.v) {
            return Err(Error::BadState(format!("format {} v{}", d.format, d.v)));
        }
        let events = d
            .events
            .iter()
            .map(|raw| {
                if d.v == 1 {
                    StoredEvent::from_text(raw.get().to_string(), None)
                } else {
                    StoredEvent::from_saved(raw.get())
                }
                .map(Cow::Owned)
                .map_err(|e| Error::BadState(format!("an event: {e}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut secret = [0u8; 32];
        hex::decode_to_slice(&d.secret, &mut secret)
            .map_err(|_| Error::BadState("secret".into()))?;
        let keys = match d.member_keys {
            Some(k) => SavedKeys {
                device: Some(k.device),
                context: Some(
                    GroupContext::from_base64url(&k.context)
                        .map_err(|_| Error::BadState("group context".into()))?,
                ),
                first_number: k.first.number,
                first_start: k.first.start,
                first_superseded_ms: k.first.superseded_ms,
                epochs: k.epochs,
                current: k.current,
                aside: d.aside,
                publish: k.publish,
            },
            None => SavedKeys {
                device: None,
                context: None,
                first_number: 0,
                first_start: FIRST_EPOCH,
                first_superseded_ms: 0,
                epochs: Vec::new(),
                current: FIRST_EPOCH,
                aside: d.aside,
                publish: false,
            },
        };
        Ok(Saved {
            secret,
            me: d.me,
            name_hint: d.name_hint,
            events,
            last_sync_ms: d.last_sync_ms,
            relays: SavedRelays {
                invite_set: d.invite_set,
                registration_keys: d.registration_keys,
                registered: d.registered,
            },
            keys,
            blobs: d.blobs,
            outbox: SavedOutbox {
                unsent: d.unsent,
                routes: d.routes.into_iter().collect(),
                snapshot_for: d.snapshot_for,
                outbox: d.outbox,
                deletes: d.deletes,
                pending_view: d.pending_view,
            },
            inbox: SavedInbox {
                seen: d.seen,
                partial: d.partial,
                fetching: d.fetching,
                acks: d.acks,
                unread: d.unread,
                sealed: d.sealed,
                partial_epochs: d.partial_epochs,
                ack_for: d.ack_for,
            },
        })
    }
}
