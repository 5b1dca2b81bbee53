//! The outbox: what this device still has to send, and what it sent until every member
//! has it. Events written here wait as unsent until a round seals them into batches;
//! a batch is kept under its derived share ids until it is complete, so a crash between
//! relay puts resumes with the same bytes under the same ids. It is part of the saved
//! state, written before the first upload. A batch is saved as its sealed bytes and the
//! seed of its split, not as its `n` shares (each as large as the sealed batch): a
//! share is made again from them, byte for byte, when it is to be put after a load.

use std::collections::{BTreeMap, BTreeSet};

use gfms_ledger::{EventId, MemberId};
use gfms_protocol::{ShareId, decode_data, encode_data};
use gfms_seal::{BatchId, RelayKeys, RelayShare, SealedBatch, SenderId, split_for_relays_seeded};
use serde::{Deserialize, Serialize};

use crate::completeness::{AckSeen, Acks};
use crate::keyring::{EpochStart, endpoint};
use crate::relays::RelaySet;
use crate::report::PendingBatch;

/// One share of an outgoing batch, for one relay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutgoingShare {
    /// Where it goes: the relay URL in epoch 0, `URL#<epoch start id>` in a later key
    /// epoch (the relay's keys differ per epoch).
    pub relay: String,
    /// Its id there.
    pub share_id: ShareId,
    /// The blob, base64url as the relay takes it. Saved only for batches saved before
    /// split seeds (empty in a saved batch with a seed: [`OutgoingBatch::share_data`]
    /// makes it again).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub data: String,
    /// Whether a put succeeded at least once.
    pub put: bool,
}

/// A batch on its way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutgoingBatch {
    /// Batch id (hex).
    pub batch_id: String,
    /// When it was sealed.
    pub created_ms: u64,
    /// Events it carries.
    pub events: usize,
    /// Threshold.
    pub k: u8,
    /// One share per relay.
    pub shares: Vec<OutgoingShare>,
    /// Acks seen in any round so far, with where (saved by releases before provenance
    /// as a list of members: read with an empty relay).
    #[serde(default, deserialize_with = "acks_any_release")]
    pub acked: Acks,
    /// The key epoch it is sealed in (the nil id, left out: epoch 0, and batches saved
    /// before epochs).
    #[serde(default, skip_serializing_if = "EventId::is_nil")]
    pub epoch: EpochStart,
    /// Sent in this epoch on purpose (it announces a newer epoch, or tells a removed
    /// member): never sealed again in a newer one.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub routed: bool,
    /// SHA-256 of the sealed batch (hex): what a recipient's receipt names (empty for
    /// batches saved before receipts).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sealed_sha256: String,
    /// The sealed batch (base64url) its shares are split from, with `split_seed`
    /// (empty for batches saved before split seeds: their shares are saved whole).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sealed: String,
    /// The seed of its split (hex): with `sealed`, gives each share's blob again.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub split_seed: String,
    /// The events it carries (empty for batches saved before epochs).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub event_ids: Vec<EventId>,
    /// Members removed by an event it carries: recipients too, for
    /// [`REMOVAL_NOTICE_MS`] after it was sealed, so a removed member's device is told.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notify: Vec<MemberId>,
    /// For a batch carrying an attachment chunk: `hash#part` (empty for events).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub blob: String,
}

/// How long a batch stays in an epoch the device left before it is sealed again in the
/// current one (see [`Outbox::reseal_stale`]).
pub const RESEAL_AFTER_MS: u64 = 7 * 24 * 3600 * 1000;

/// How long a batch that removes a member waits for that member's ack: its device
/// learns it was removed (it can still read the epoch the removal is sent in), unless
/// it stays away longer (a lost phone).
pub const REMOVAL_NOTICE_MS: u64 = 14 * 24 * 3600 * 1000;

/// Reads `acked` as this release writes it (member → ack seen) or as earlier ones did
/// (a list of members).
fn acks_any_release<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Acks, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Wire {
        Seen(Acks),
        Members(BTreeSet<MemberId>),
    }
    Ok(match Wire::deserialize(d)? {
        Wire::Seen(acks) => acks,
        Wire::Members(members) => gfms_ledger::order::map_of(members.into_iter().map(|m| {
            let seen = AckSeen {
                relay: String::new(),
                receipt: None,
            };
            (m, seen)
        })),
    })
}

/// What a new outgoing batch is.
pub(crate) struct Sealed {
    pub(crate) batch_id: BatchId,
    pub(crate) sealed: Vec<u8>,
    pub(crate) split_seed: [u8; 32],
    pub(crate) created_ms: u64,
    pub(crate) epoch: EpochStart,
    pub(crate) routed: bool,
    pub(crate) sealed_sha256: [u8; 32],
    pub(crate) event_ids: Vec<EventId>,
    pub(crate) notify: Vec<MemberId>,
    pub(crate) blob: String,
}

impl OutgoingBatch {
    /// A batch just split for the relays of `set` (in its epoch), not yet put anywhere.
    pub(crate) fn new(sealed: Sealed, set: &RelaySet, shares: Vec<RelayShare>) -> Self {
        Self {
            batch_id: hex::encode(sealed.batch_id),
            created_ms: sealed.created_ms,
            events: sealed.event_ids.len(),
            k: set.k,
            shares: shares
                .into_iter()
                .map(|s| OutgoingShare {
                    relay: endpoint(&set.relays[s.relay_index], sealed.epoch),
                    share_id: s.share_id,
                    data: encode_data(&s.blob),
                    put: false,
                })
                .collect(),
            acked: Acks::new(),
            sealed: encode_data(&sealed.sealed),
            split_seed: hex::encode(sealed.split_seed),
            epoch: sealed.epoch,
            routed: sealed.routed,
            sealed_sha256: hex::encode(sealed.sealed_sha256),
            event_ids: sealed.event_ids,
            notify: sealed.notify,
            blob: sealed.blob,
        }
    }

    /// The blob of share `i` (base64url), kept since it was split or made again from the
    /// sealed batch and the split seed: the same bytes as when it was first split, so a
    /// put after a crash puts what any earlier put did. `relay_keys` gives a share's
    /// relay keys by its endpoint; `sender` is this device's sender id.
    pub(crate) fn share_data(
        &self,
        i: usize,
        relay_keys: impl Fn(&str) -> Option<RelayKeys>,
        sender: SenderId,
    ) -> Option<String> {
        let share = self.shares.get(i)?;
        if !share.data.is_empty() {
            return Some(share.data.clone());
        }
        let mut batch_id: BatchId = [0; 16];
        hex::decode_to_slice(&self.batch_id, &mut batch_id).ok()?;
        let mut seed = [0u8; 32];
        hex::decode_to_slice(&self.split_seed, &mut seed).ok()?;
        let sealed = SealedBatch {
            batch_id,
            sender,
            bytes: decode_data(&self.sealed)?,
        };
        let relays = self
            .shares
            .iter()
            .map(|s| relay_keys(&s.relay))
            .collect::<Option<Vec<_>>>()?;
        let mut blobs = split_for_relays_seeded(&sealed, &relays, self.k, &seed).ok()?;
        (i < blobs.len()).then(|| encode_data(&blobs.swap_remove(i).blob))
    }

    /// The batch as saved: without its shares' blobs when they can be made again.
    fn to_save(&self) -> Self {
        let seeded = !self.split_seed.is_empty() && !self.sealed.is_empty();
        Self {
            shares: self
                .shares
                .iter()
                .map(|s| OutgoingShare {
                    relay: s.relay.clone(),
                    share_id: s.share_id,
                    data: if seeded {
                        String::new()
                    } else {
                        s.data.clone()
                    },
                    put: s.put,
                })
                .collect(),
            batch_id: self.batch_id.clone(),
            created_ms: self.created_ms,
            events: self.events,
            k: self.k,
            acked: self.acked.clone(),
            epoch: self.epoch,
            routed: self.routed,
            sealed_sha256: self.sealed_sha256.clone(),
            sealed: self.sealed.clone(),
            split_seed: self.split_seed.clone(),
            event_ids: self.event_ids.clone(),
            notify: self.notify.clone(),
            blob: self.blob.clone(),
        }
    }

    /// The members removed by it who must still be told, at `now_ms`.
    pub(crate) fn notify_now(&self, now_ms: u64) -> &[MemberId] {
        if now_ms < self.created_ms.saturating_add(REMOVAL_NOTICE_MS) {
            &self.notify
        } else {
            &[]
        }
    }
}

/// What this device sends.
#[derive(Default)]
pub(crate) struct Outbox {
    /// Events written here and not yet in any batch.
    unsent: BTreeSet<EventId>,
    /// Events to send in another epoch than the current one (an epoch's announcement and
    /// the removal that caused it go under the previous secret).
    routes: BTreeMap<EventId, EpochStart>,
    /// Members that joined since this device last sent its whole ledger.
    snapshot_for: BTreeSet<MemberId>,
    /// Batches on their way, in the order they were sealed.
    batches: Vec<OutgoingBatch>,
    /// Shares of complete batches not yet deleted (their relay did not answer).
    deletes: BTreeSet<(String, ShareId)>,
    /// The last round's view of the batches still pending.
    pending: Vec<PendingBatch>,
}

/// The outbox's fields of the saved state (named as saved).
pub(crate) struct SavedOutbox {
    pub(crate) unsent: BTreeSet<EventId>,
    pub(crate) routes: BTreeMap<EventId, EpochStart>,
    pub(crate) snapshot_for: BTreeSet<MemberId>,
    pub(crate) outbox: Vec<OutgoingBatch>,
    pub(crate) deletes: BTreeSet<(String, ShareId)>,
    pub(crate) pending_view: Vec<PendingBatch>,
}

impl Outbox {
    pub(crate) fn load(s: SavedOutbox) -> Self {
        Self {
            unsent: s.unsent,
            routes: s.routes,
            snapshot_for: s.snapshot_for,
            batches: s.outbox,
            deletes: s.deletes,
            pending: s.pending_view,
        }
    }

    pub(crate) fn save(&self) -> SavedOutbox {
        SavedOutbox {
            unsent: self.unsent.clone(),
            routes: self.routes.clone(),
            snapshot_for: self.snapshot_for.clone(),
            outbox: self.batches.iter().map(OutgoingBatch::to_save).collect(),
            deletes: self.deletes.clone(),
            pending_view: self.pending.clone(),
        }
    }

    // --- to send ---------------------------------------------------------------------

    /// An event written here goes out with the next round.
    pub(crate) fn mark_unsent(&mut self, ids: impl IntoIterator<Item = EventId>) {
        self.unsent.extend(ids);
    }

    pub(crate) fn unsent(&self) -> impl Iterator<Item = &EventId> {
        self.unsent.iter()
    }

    /// Event `id` (unsent) goes out in epoch `epoch`, not the current one.
    pub(crate) fn route(&mut self, id: EventId, epoch: EpochStart) {
        self.routes.insert(id, epoch);
    }

    /// The epoch an unsent event is routed to, if not the current one.
    pub(crate) fn route_of(&self, id: &EventId) -> Option<EpochStart> {
        self.routes.get(id).copied()
    }

    /// The device seals in epoch `current`: a batch on its way in another epoch for a
    /// week (not routed there on purpose) is sealed again in the current one — its
    /// events unsent again, its shares deleted — since the members who switched stop
    /// pulling from the old epoch after two weeks (a member away that long comes back,
    /// writes in the epoch it knows, then learns of the new one). A batch in a start
    /// that `lost` to a concurrent start of its number is sealed again at once: members
    /// who joined meanwhile may never hold that start's secret.
    pub(crate) fn reseal_stale(&mut self, current: EpochStart, lost: &[EpochStart], now_ms: u64) {
        let stale: Vec<String> = self
            .batches
            .iter()
            .filter(|b| b.epoch != current && !b.routed && !b.event_ids.is_empty())
            .filter(|b| {
                lost.contains(&b.epoch) || now_ms.saturating_sub(b.created_ms) >= RESEAL_AFTER_MS
            })
            .map(|b| b.batch_id.clone())
            .collect();
        for id in stale {
            if let Some(b) = self.batches.iter().find(|b| b.batch_id == id) {
                self.unsent.extend(b.event_ids.iter().copied());
            }
            self.complete(&id);
        }
    }

    pub(crate) fn unsent_count(&self) -> usize {
        self.unsent.len()
    }

    /// Members this device learned of: they get its whole ledger.
    pub(crate) fn owe_snapshot(&mut self, members: impl IntoIterator<Item = MemberId>) {
        self.snapshot_for.extend(members);
    }

    pub(crate) fn snapshot_owed(&self) -> bool {
        !self.snapshot_for.is_empty()
    }

    /// Batches sealed from the unsent events (or, `snapshot`, from the whole ledger):
    /// nothing is unsent any more.
    pub(crate) fn sealed(&mut self, batches: Vec<OutgoingBatch>, snapshot: bool) {
        self.batches.extend(batches);
        self.unsent.clear();
        self.routes.clear();
        if snapshot {
            self.snapshot_for.clear();
        }
    }

    // --- on their way ----------------------------------------------------------------

    pub(crate) fn batches(&self) -> &[OutgoingBatch] {
        &self.batches
    }

    pub(crate) fn len(&self) -> usize {
        self.batches.len()
    }

    /// Share `share` of batch `batch_id`.
    pub(crate) fn share(&self, batch_id: &str, share: usize) -> Option<&OutgoingShare> {
        self.batches
            .iter()
            .find(|b| b.batch_id == batch_id)
            .and_then(|b| b.shares.get(share))
    }

    /// The blob of share `share` of batch `batch_id`, to put (see
    /// [`OutgoingBatch::share_data`]).
    pub(crate) fn share_data(
        &self,
        batch_id: &str,
        share: usize,
        group: &crate::Group,
    ) -> Option<String> {
        let b = self.batches.iter().find(|b| b.batch_id == batch_id)?;
        b.share_data(
            share,
            |endpoint| group.relay_keys(endpoint).ok(),
            group.me().0,
        )
    }

    /// Every (relay, share id) of the batches on their way: this device's own shares.
    pub(crate) fn own_shares(&self) -> BTreeSet<(String, ShareId)> {
        gfms_ledger::order::set_of(
            self.batches
                .iter()
                .flat_map(|b| b.shares.iter().map(|s| (s.relay.clone(), s.share_id))),
        )
    }

    /// A relay stored share `share` of batch `batch_id`.
    pub(crate) fn put_done(&mut self, batch_id: &str, share: usize) {
        if let Some(s) = self
            .batches
            .iter_mut()
            .find(|b| b.batch_id == batch_id)
            .and_then(|b| b.shares.get_mut(share))
        {
            s.put = true;
        }
    }

    /// A relay lost every share it held for the group: each is to be put there again.
    pub(crate) fn unput_at(&mut self, relay: &str) {
        for s in self.batches.iter_mut().flat_map(|b| b.shares.iter_mut()) {
            if s.relay == relay {
                s.put = false;
            }
        }
    }

    /// The acks seen for batch `batch_id`, this round and before.
    pub(crate) fn set_acked(&mut self, batch_id: &str, acked: Acks) {
        if let Some(b) = self.batches.iter_mut().find(|b| b.batch_id == batch_id) {
            b.acked = acked;
        }
    }

    /// Every member has batch `batch_id`: it leaves the outbox, and its shares are to be
    /// deleted everywhere (now where the relay answers, later where it does not).
    /// A batch whose share ids a relay will not keep alive any longer (`gone`): it leaves
    /// the outbox, its shares are deleted everywhere, and the acks it had are returned so
    /// the caller can send its events again, under new ids, to whoever still lacks them.
    pub(crate) fn retire(&mut self, batch_id: &str) -> Option<Acks> {
        let i = self.batches.iter().position(|b| b.batch_id == batch_id)?;
        let b = self.batches.remove(i);
        self.pending.retain(|p| p.batch_id != batch_id);
        self.deletes
            .extend(b.shares.into_iter().map(|s| (s.relay, s.share_id)));
        Some(b.acked)
    }

    pub(crate) fn complete(&mut self, batch_id: &str) {
        if let Some(i) = self.batches.iter().position(|b| b.batch_id == batch_id) {
            let b = self.batches.remove(i);
            self.deletes
                .extend(b.shares.into_iter().map(|s| (s.relay, s.share_id)));
        }
    }

    /// Whether any share waits to be deleted.
    pub(crate) fn has_deletes(&self) -> bool {
        !self.deletes.is_empty()
    }

    pub(crate) fn deletes(&self) -> Vec<(String, ShareId)> {
        self.deletes.iter().cloned().collect()
    }

    /// A share is gone from its relay.
    pub(crate) fn deleted(&mut self, relay: &str, share_id: ShareId) {
        self.deletes.remove(&(relay.to_string(), share_id));
    }

    pub(crate) fn pending(&self) -> &[PendingBatch] {
        &self.pending
    }

    pub(crate) fn set_pending(&mut self, pending: Vec<PendingBatch>) {
        self.pending = pending;
    }
}
