//! The inbox: what this device knows of the batches other members sent — the ones it
//! stored (kept 7 days, so their shares still listed elsewhere are recognised, not
//! fetched again), the ones begun and not yet opened, the shares a round is fetching,
//! and the acks it owes. Part of the saved state: a fetch counts at the relay and hides
//! the share from this member's listing, so a crash must not lose track of it.

use std::collections::{BTreeMap, BTreeSet};

use gfms_protocol::ShareId;
use gfms_seal::BatchId;

use crate::keyring::EpochStart;

/// How long a received batch id is remembered (so its shares still listed at other
/// relays are recognised, not fetched again): well past any relay's TTL.
pub const SEEN_RETENTION_MS: u64 = 7 * 24 * 3600 * 1000;

fn decode(hex_id: &str) -> Option<BatchId> {
    let mut b = [0u8; 16];
    hex::decode_to_slice(hex_id, &mut b).ok().map(|_| b)
}

/// What this device received, is receiving and owes acks for.
#[derive(Default)]
pub(crate) struct Inbox {
    /// Batches stored here (hex id → unix ms).
    seen: BTreeMap<String, u64>,
    /// Batches begun (a share fetched), not yet opened (hex id → (k, unix ms)).
    partial: BTreeMap<String, (u8, u64)>,
    /// Shares the current round is fetching; what a crashed round left.
    fetching: BTreeSet<(String, ShareId)>,
    /// Acks owed: (relay, share id) of shares fetched whose batch is stored.
    acks: BTreeSet<(String, ShareId)>,
    /// Batches stored verbatim because this version could not read all of them (hex id
    /// → base64url plaintext): read again by a newer version's load.
    unread: BTreeMap<String, String>,
    /// SHA-256 of each stored batch's sealed bytes (hex id → hex), for the receipts its
    /// acks carry; kept as long as the batch id is.
    sealed: BTreeMap<String, String>,
    /// The key epoch of each batch begun in a later epoch than 0 (hex id → epoch).
    partial_epochs: BTreeMap<String, EpochStart>,
    /// The batch of each share an ack is owed for (share id → hex batch id): what its
    /// receipt names.
    ack_for: BTreeMap<String, String>,
}

/// The inbox's fields of the saved state (named as saved).
pub(crate) struct SavedInbox {
    pub(crate) seen: BTreeMap<String, u64>,
    pub(crate) partial: BTreeMap<String, (u8, u64)>,
    pub(crate) fetching: BTreeSet<(String, ShareId)>,
    pub(crate) acks: BTreeSet<(String, ShareId)>,
    pub(crate) unread: BTreeMap<String, String>,
    pub(crate) sealed: BTreeMap<String, String>,
    pub(crate) partial_epochs: BTreeMap<String, EpochStart>,
    pub(crate) ack_for: BTreeMap<String, String>,
}

impl Inbox {
    pub(crate) fn load(s: SavedInbox) -> Self {
        Self {
            seen: s.seen,
            partial: s.partial,
            fetching: s.fetching,
            acks: s.acks,
            unread: s.unread,
            sealed: s.sealed,
            partial_epochs: s.partial_epochs,
            ack_for: s.ack_for,
        }
    }

    pub(crate) fn save(&self) -> SavedInbox {
        SavedInbox {
            seen: self.seen.clone(),
            partial: self.partial.clone(),
            fetching: self.fetching.clone(),
            acks: self.acks.clone(),
            unread: self.unread.clone(),
            sealed: self.sealed.clone(),
            partial_epochs: self.partial_epochs.clone(),
            ack_for: self.ack_for.clone(),
        }
    }

    // --- batches ---------------------------------------------------------------------

    pub(crate) fn has_seen(&self, batch: &BatchId) -> bool {
        self.seen.contains_key(&hex::encode(batch))
    }

    /// Every batch stored here (and still remembered).
    pub(crate) fn seen(&self) -> Vec<BatchId> {
        self.seen.keys().filter_map(|h| decode(h)).collect()
    }

    /// A share of a new batch was fetched (in key epoch `epoch`): remember it until it
    /// opens (a fetched share is not listed again to this member).
    pub(crate) fn begun(&mut self, batch: &BatchId, k: u8, now_ms: u64, epoch: EpochStart) {
        self.partial.insert(hex::encode(batch), (k, now_ms));
        if epoch.is_some() {
            self.partial_epochs.insert(hex::encode(batch), epoch);
        }
    }

    /// Batches begun in an earlier round and not stored since, with their threshold and
    /// epoch.
    pub(crate) fn begun_batches(&self) -> Vec<(BatchId, u8, EpochStart)> {
        self.partial
            .iter()
            .filter_map(|(h, (k, _))| {
                let epoch = self.partial_epochs.get(h).copied().flatten();
                decode(h).map(|b| (b, *k, epoch))
            })
            .filter(|(b, _, _)| !self.has_seen(b))
            .collect()
    }

    pub(crate) fn any_begun(&self) -> bool {
        !self.partial.is_empty()
    }

    /// A batch was opened and merged; `sealed_sha256` names the bytes it rebuilt.
    pub(crate) fn stored(&mut self, batch: &BatchId, now_ms: u64, sealed_sha256: &[u8; 32]) {
        let id = hex::encode(batch);
        self.seen.insert(id.clone(), now_ms);
        self.partial.remove(&id);
        self.partial_epochs.remove(&id);
        self.sealed.insert(id, hex::encode(sealed_sha256));
    }

    /// The hash of a stored batch's sealed bytes (`None` for batches stored before
    /// receipts).
    pub(crate) fn sealed_sha256(&self, batch: &BatchId) -> Option<[u8; 32]> {
        let mut out = [0u8; 32];
        hex::decode_to_slice(self.sealed.get(&hex::encode(batch))?, &mut out).ok()?;
        Some(out)
    }

    /// A batch this version could not read entirely: its plaintext is kept as received.
    pub(crate) fn keep_unread(&mut self, batch: &BatchId, plaintext: &[u8]) {
        self.unread
            .insert(hex::encode(batch), gfms_protocol::encode_data(plaintext));
    }

    /// The batches kept verbatim, with their plaintext.
    pub(crate) fn unread(&self) -> Vec<(String, Vec<u8>)> {
        self.unread
            .iter()
            .filter_map(|(id, data)| Some((id.clone(), gfms_protocol::decode_data(data)?)))
            .collect()
    }

    /// How many batches are kept verbatim.
    pub(crate) fn unread_count(&self) -> usize {
        self.unread.len()
    }

    /// A batch kept verbatim is now read whole.
    pub(crate) fn read_now(&mut self, batch_hex: &str) {
        self.unread.remove(batch_hex);
    }

    // --- fetches ---------------------------------------------------------------------

    /// Shares at `relay` a round noted as being fetched.
    pub(crate) fn fetching_at<'a>(&'a self, relay: &'a str) -> impl Iterator<Item = ShareId> + 'a {
        self.fetching
            .iter()
            .filter(move |(u, _)| u == relay)
            .map(|(_, sid)| *sid)
    }

    /// The shares this round is about to fetch (saved before it does).
    pub(crate) fn note_fetching(&mut self, shares: BTreeSet<(String, ShareId)>) {
        self.fetching = shares;
    }

    pub(crate) fn any_fetching(&self) -> bool {
        !self.fetching.is_empty()
    }

    /// A relay answered the fetch of `sid`: its bytes were read (or it has no such
    /// share). A fetch with no answer stays noted: the relay may have counted it (a lost
    /// response), and then it no longer lists the share to this member.
    pub(crate) fn fetch_answered(&mut self, relay: &str, sid: ShareId) {
        self.fetching.remove(&(relay.to_string(), sid));
    }

    /// The round is over: every answered fetch was merged, noted as begun, or refused;
    /// those never answered stay noted for the next round. Batch ids received long ago
    /// are forgotten.
    pub(crate) fn round_over(&mut self, now_ms: u64) {
        self.seen
            .retain(|_, at| now_ms.saturating_sub(*at) < SEEN_RETENTION_MS);
        self.partial
            .retain(|_, (_, at)| now_ms.saturating_sub(*at) < SEEN_RETENTION_MS);
        let (seen, partial) = (&self.seen, &self.partial);
        self.sealed.retain(|id, _| seen.contains_key(id));
        self.partial_epochs.retain(|id, _| partial.contains_key(id));
    }

    // --- acks ------------------------------------------------------------------------

    /// Acks owed for these shares (each with the batch it carries); whether any is new.
    pub(crate) fn owe_acks(&mut self, owed: Vec<(String, ShareId, BatchId)>) -> bool {
        let mut new = false;
        for (url, sid, batch) in owed {
            new |= self.acks.insert((url, sid));
            self.ack_for.insert(sid.to_string(), hex::encode(batch));
        }
        new
    }

    /// The batch an owed ack's share carries, and the hash of its sealed bytes: what
    /// the ack's receipt names (`None` for acks owed before receipts).
    pub(crate) fn ack_claim(&self, sid: &ShareId) -> Option<(BatchId, [u8; 32])> {
        let batch = decode(self.ack_for.get(&sid.to_string())?)?;
        Some((batch, self.sealed_sha256(&batch)?))
    }

    /// The acks owed, by relay; those owed to relays `keep` refuses are dropped (the
    /// group no longer uses them).
    pub(crate) fn acks_by_relay(
        &mut self,
        keep: impl Fn(&str) -> bool,
    ) -> BTreeMap<String, Vec<ShareId>> {
        self.acks.retain(|(url, _)| keep(url));
        let acks = &self.acks;
        self.ack_for
            .retain(|sid, _| acks.iter().any(|(_, s)| s.to_string() == *sid));
        let mut by_relay: BTreeMap<String, Vec<ShareId>> = BTreeMap::new();
        for (url, sid) in &self.acks {
            by_relay.entry(url.clone()).or_default().push(*sid);
        }
        by_relay
    }

    /// A relay took these acks.
    pub(crate) fn acked(&mut self, relay: &str, shares: &[ShareId]) {
        for sid in shares {
            self.acks.remove(&(relay.to_string(), *sid));
            if !self.acks.iter().any(|(_, s)| s == sid) {
                self.ack_for.remove(&sid.to_string());
            }
        }
    }
}
