//! The outbox: what this device still has to send, and what it sent until every member
//! has it. Events written here wait as unsent until a round seals them into batches;
//! a batch is kept, bytes and all, under its derived share ids until it is complete, so
//! a crash between relay puts resumes with the same bytes under the same ids. It is part
//! of the saved state, written before the first upload.

use std::collections::BTreeSet;

use gfms_ledger::{EventId, MemberId};
use gfms_protocol::{ShareId, encode_data};
use gfms_seal::{BatchId, RelayShare};
use serde::{Deserialize, Serialize};

use crate::completeness::{AckSeen, Acks};
use crate::relays::RelaySet;
use crate::report::PendingBatch;

/// One share of an outgoing batch, for one relay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutgoingShare {
    /// The relay URL.
    pub relay: String,
    /// Its id there.
    pub share_id: ShareId,
    /// The blob, base64url as the relay takes it.
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
}

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

impl OutgoingBatch {
    /// A batch just split for the relays of `set`, not yet put anywhere.
    pub(crate) fn new(
        batch_id: BatchId,
        created_ms: u64,
        events: usize,
        set: &RelaySet,
        shares: Vec<RelayShare>,
    ) -> Self {
        Self {
            batch_id: hex::encode(batch_id),
            created_ms,
            events,
            k: set.k,
            shares: shares
                .into_iter()
                .map(|s| OutgoingShare {
                    relay: set.relays[s.relay_index].clone(),
                    share_id: s.share_id,
                    data: encode_data(&s.blob),
                    put: false,
                })
                .collect(),
            acked: Acks::new(),
        }
    }
}

/// What this device sends.
#[derive(Default)]
pub(crate) struct Outbox {
    /// Events written here and not yet in any batch.
    unsent: BTreeSet<EventId>,
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
    pub(crate) snapshot_for: BTreeSet<MemberId>,
    pub(crate) outbox: Vec<OutgoingBatch>,
    pub(crate) deletes: BTreeSet<(String, ShareId)>,
    pub(crate) pending_view: Vec<PendingBatch>,
}

impl Outbox {
    pub(crate) fn load(s: SavedOutbox) -> Self {
        Self {
            unsent: s.unsent,
            snapshot_for: s.snapshot_for,
            batches: s.outbox,
            deletes: s.deletes,
            pending: s.pending_view,
        }
    }

    pub(crate) fn save(&self) -> SavedOutbox {
        SavedOutbox {
            unsent: self.unsent.clone(),
            snapshot_for: self.snapshot_for.clone(),
            outbox: self.batches.clone(),
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
