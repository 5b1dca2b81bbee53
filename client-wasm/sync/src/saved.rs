//! The saved device state: one JSON document, format [`SAVED_FORMAT`] v1, written by
//! `Group::save` and read by `Group::load`. Its fields are flat and named as the first
//! release wrote them, so a state saved by any release since still loads. Each owner
//! (relays, outbox, inbox) gives and takes its own fields as a small struct; this module
//! only lays them out.

use std::collections::{BTreeMap, BTreeSet};

use gfms_ledger::{Event, EventId, MemberId};
use gfms_protocol::ShareId;
use serde::{Deserialize, Serialize};

use crate::Error;
use crate::inbox::SavedInbox;
use crate::outbox::{OutgoingBatch, SavedOutbox};
use crate::relays::{RelaySet, SavedRelays};
use crate::report::PendingBatch;

/// The format tag of saved device state.
pub const SAVED_FORMAT: &str = "gfms-device";

/// The version of the saved format this code writes (and the only one it reads).
const SAVED_VERSION: u32 = 1;

/// The document, field by field, in the order it has always been written.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
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

/// A group's saved state, by owner.
pub(crate) struct Saved {
    pub(crate) secret: [u8; 32],
    pub(crate) me: MemberId,
    pub(crate) name_hint: String,
    pub(crate) events: Vec<Event>,
    pub(crate) last_sync_ms: u64,
    pub(crate) relays: SavedRelays,
    pub(crate) outbox: SavedOutbox,
    pub(crate) inbox: SavedInbox,
}

impl Saved {
    /// The JSON document.
    pub(crate) fn into_json(self) -> String {
        let Saved {
            secret,
            me,
            name_hint,
            events,
            last_sync_ms,
            relays,
            outbox,
            inbox,
        } = self;
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
        };
        serde_json::to_string(&doc).unwrap_or_default()
    }

    /// Reads a JSON document (this format and version only).
    pub(crate) fn from_json(json: &str) -> Result<Self, Error> {
        let d: Document = serde_json::from_str(json).map_err(|e| Error::BadState(e.to_string()))?;
        if d.format != SAVED_FORMAT || d.v != SAVED_VERSION {
            return Err(Error::BadState(format!("format {} v{}", d.format, d.v)));
        }
        let mut secret = [0u8; 32];
        hex::decode_to_slice(&d.secret, &mut secret)
            .map_err(|_| Error::BadState("secret".into()))?;
        Ok(Saved {
            secret,
            me: d.me,
            name_hint: d.name_hint,
            events: d.events,
            last_sync_ms: d.last_sync_ms,
            relays: SavedRelays {
                invite_set: d.invite_set,
                registration_keys: d.registration_keys,
                registered: d.registered,
            },
            outbox: SavedOutbox {
                unsent: d.unsent,
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
            },
        })
    }
}
