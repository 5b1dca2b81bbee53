//! Shares offered from outside a round: a relay's `share_put` push that carries the
//! share's bytes (docs/protocol.md, the push socket). As soon as this device holds `k`
//! shares of a batch from different relays it combines, opens, merges (signatures
//! checked by [`Group::merge`], as for fetched shares) and owes the acks, with no list and
//! no fetch: the app shows the record one push after the sender's put. The acks go with
//! the next round, which the push asks for anyway: it owes them and saves before it
//! acks, so no ack leaves before the batch is durably stored.
//!
//! An offered share is checked exactly as a fetched one: its header must authenticate
//! under the relay's keys and its share id (so bytes moved from another share, or
//! another group's, are refused), and it must belong to the batch its id names. A relay
//! whose offer fails that is named `tampering` in the next round's report. A share of a
//! batch already stored here (a replay) or of this device's own changes is left alone.
//! Offers are kept in memory only: a lost offer costs nothing, as the relay counts no
//! fetch for it and still lists the share, and the round gathers it as before.

use gfms_protocol::{ShareId, decode_data};
use gfms_seal::{BatchId, SharePart};

use super::receive::{merge_opened, open_parts, read_part};
use crate::Group;
use crate::keyring::{EpochStart, endpoint};

/// Batches held partly (fewer than `k` offered shares, or `k` that did not open); the
/// oldest goes past this.
const MAX_HELD_BATCHES: usize = 32;

/// Offers older than this are dropped: the round has gathered their batch by then.
const HELD_MS: u64 = 10 * 60_000;

/// What became of an offered share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Offered {
    /// Its batch opened and merged: save the group, then show it. `events` is how many
    /// events the ledger did not hold.
    Merged {
        /// Events new to the ledger.
        events: usize,
    },
    /// Kept until enough shares of its batch are offered.
    Held,
    /// Nothing to do: a batch already stored here, this device's own, a relay or key
    /// epoch this device does not take pushes from, or not base64.
    Ignored,
    /// The relay's bytes do not authenticate: not used, and the relay is named
    /// tampering in the next round's report.
    Refused(&'static str),
}

impl Offered {
    /// Its name for the app: `merged`, `held`, `ignored` or `refused`.
    pub fn kind(&self) -> &'static str {
        match self {
            Offered::Merged { .. } => "merged",
            Offered::Held => "held",
            Offered::Ignored => "ignored",
            Offered::Refused(_) => "refused",
        }
    }
}

/// One batch's offered shares.
struct Held {
    batch: BatchId,
    k: u8,
    epoch: EpochStart,
    /// One share per relay, and where each came from (endpoint, share id).
    parts: Vec<SharePart>,
    from: Vec<(String, ShareId)>,
    since_ms: u64,
}

/// The offers this device holds, oldest first, and the relays whose offers did not
/// authenticate (for the next round's report). Not saved. (A few batches at most: a
/// vector, which costs the wasm less than another map type.)
#[derive(Default)]
pub(crate) struct Offers {
    held: Vec<Held>,
    tampering: Vec<(String, &'static str)>,
    /// Acks owed for batches opened here, until a round saves them with what it saves
    /// and sends them: an ack says "durably stored", and the host saves an opened batch
    /// after `offer_share` returns, possibly while a round runs.
    acks: Vec<(String, ShareId, BatchId)>,
}

impl Offers {
    /// The relays whose offers were refused since the last round began (endpoint,
    /// reason).
    pub(in crate::round) fn take_tampering(&mut self) -> Vec<(String, &'static str)> {
        std::mem::take(&mut self.tampering)
    }

    /// The acks owed for batches opened from offers: the round owes them, then saves
    /// before it acks.
    pub(in crate::round) fn take_acks(&mut self) -> Vec<(String, ShareId, BatchId)> {
        std::mem::take(&mut self.acks)
    }

    fn forget_old(&mut self, now_ms: u64) {
        self.held
            .retain(|h| now_ms.saturating_sub(h.since_ms) < HELD_MS);
        let over = self.held.len().saturating_sub(MAX_HELD_BATCHES);
        self.held.drain(..over);
    }

    fn position(&self, batch: &BatchId) -> Option<usize> {
        self.held.iter().position(|h| h.batch == *batch)
    }

    fn drop_batch(&mut self, batch: &BatchId) -> Option<Held> {
        self.position(batch).map(|i| self.held.remove(i))
    }
}

impl Group {
    /// A relay pushed share `share_id` with its bytes (`data`, unpadded base64url as in
    /// the push). `relay` is the relay's URL or the push socket's URL the message came
    /// on (as [`Group::push_endpoints`] gives it).
    pub fn offer_share(
        &mut self,
        relay: &str,
        share_id: ShareId,
        data: &str,
        now_ms: u64,
    ) -> Offered {
        self.offers.forget_old(now_ms);
        let Some((index, endpoint)) = self.push_endpoint(relay) else {
            return Offered::Ignored;
        };
        let Some(blob) = decode_data(data) else {
            return self.refuse(endpoint, "a pushed share is not base64");
        };
        let Ok(keys) = self.relay_keys(&endpoint) else {
            return Offered::Ignored;
        };
        let Ok(part) = read_part(&keys, &share_id, index, &blob) else {
            return self.refuse(endpoint, "a share header does not authenticate");
        };
        let batch = part.header.batch_id;
        if keys.share_id(&batch) != share_id {
            return self.refuse(endpoint, "a share belongs to another batch");
        }
        if part.header.sender == self.me().0 || self.inbox.has_seen(&batch) {
            self.offers.drop_batch(&batch);
            // Another relay's share of a batch stored here (the push of the relay after
            // the `k` that opened it, or a re-put): its ack rides with the next round's
            // listing, saved first as every offered ack, instead of that round listing
            // the share and acking it in a request of its own.
            if part.header.sender != self.me().0 {
                let owed = (endpoint, share_id, batch);
                if !self.offers.acks.contains(&owed) {
                    self.offers.acks.push(owed);
                }
            }
            return Offered::Ignored;
        }
        let i = match self.offers.position(&batch) {
            Some(i) => i,
            None => {
                self.offers.held.push(Held {
                    batch,
                    k: part.header.k,
                    epoch: self.keyring().current().start,
                    parts: Vec::new(),
                    from: Vec::new(),
                    since_ms: now_ms,
                });
                self.offers.held.len() - 1
            }
        };
        let Some(held) = self.offers.held.get_mut(i) else {
            return Offered::Held;
        };
        if held.parts.iter().any(|p| p.relay_index == index) {
            return Offered::Held; // a re-put's push: this relay's share is here
        }
        held.parts.push(part);
        held.from.push((endpoint, share_id));
        if held.parts.len() < usize::from(held.k) {
            return Offered::Held;
        }
        self.open_offered(i, now_ms)
    }

    /// Opens the held batch `i` (`k` offered shares), merges it and owes the acks.
    fn open_offered(&mut self, i: usize, now_ms: u64) -> Offered {
        let Some(held) = self.offers.held.get(i) else {
            return Offered::Held;
        };
        let Some(keys) = self.epoch_keys(held.epoch) else {
            self.offers.held.remove(i);
            return Offered::Ignored;
        };
        let Ok(opened) = open_parts(keys, &held.parts) else {
            // Some share lies: wait for another relay's (k + 1 shares find the liar), or
            // the round, which fetches and names it.
            return Offered::Held;
        };
        let held = self.offers.held.remove(i);
        let batch = held.batch;
        let mut owed = Vec::new();
        for (p, (url, sid)) in held.parts.iter().zip(held.from) {
            if opened.bad_relays.contains(&p.relay_index) {
                self.offers
                    .tampering
                    .push((url, "a share does not combine with the others"));
            } else {
                owed.push((url, sid, batch));
            }
        }
        // Lost with the memory if the app stops before a round takes them: the shares
        // stay listed to this member (no fetch, no ack), and a round acks a listed share
        // of a batch stored here.
        let events = merge_opened(
            self,
            now_ms,
            vec![(batch, opened.plaintext, opened.sealed_sha256)],
        );
        // A batch with an event that found no room aside is not stored (`merge_opened`):
        // no ack, its shares stay listed for a round to fetch again.
        if self.inbox.has_seen(&batch) {
            self.offers.acks.extend(owed);
        }
        Offered::Merged { events }
    }

    /// The relay's push does not authenticate. One reason per relay is kept (the
    /// round's report keeps the first), so a relay pushing garbage grows nothing.
    fn refuse(&mut self, endpoint: String, why: &'static str) -> Offered {
        if !self.offers.tampering.iter().any(|(u, _)| *u == endpoint) {
            self.offers.tampering.push((endpoint, why));
        }
        Offered::Refused(why)
    }

    /// The current epoch's endpoint of the relay `relay` names (its URL, or its push
    /// socket's URL: `ws(s)://` and the relay URL's rest, then a path), with the relay's
    /// place in the current set (a share part's index). The longest relay URL that fits
    /// wins (a relay may sit at a path under another's host). No more is checked here:
    /// a share's header authenticates only under its own relay's keys.
    fn push_endpoint(&self, relay: &str) -> Option<(usize, String)> {
        let http = match relay.strip_prefix("ws") {
            Some(rest) => format!("http{rest}"),
            None => relay.to_string(),
        };
        let set = self.current_relays();
        let (i, url) = set
            .relays
            .iter()
            .enumerate()
            .filter(|(_, u)| {
                http.strip_prefix(u.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with(['/', '?']))
            })
            .max_by_key(|(_, u)| u.len())?;
        Some((i, endpoint(url, self.keyring().current().start)))
    }
}
