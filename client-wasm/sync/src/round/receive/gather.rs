//! Gathering a batch's shares until `k` authenticate: from relays chosen at random among
//! those that list it (then, if needed, by derived id from relays that no longer list it
//! to this member), one more when the first `k` do not open, giving up on a batch for
//! the round when no relay has another. Then combine → open → merge.

use gfms_protocol::ShareId;
use gfms_seal::{
    BatchId, Error, GroupKeys, Opened, RelayKeys, SharePart, combine, open, read_share,
};

use super::{Receiving, fetch_request};
use crate::Group;
use crate::http::HttpRequest;
use crate::keyring::EpochStart;
use crate::round::Ctx;

/// Combines `k` or more shares of a batch and opens it. One function for the round and
/// for shares offered outside it (`round::offered`), so the client's wasm holds its code
/// once.
#[inline(never)]
pub(in crate::round) fn open_parts(keys: &GroupKeys, parts: &[SharePart]) -> Result<Opened, Error> {
    combine(parts).and_then(|c| open(keys, c))
}

/// Reads a share's header as fetched from, or pushed by, relay `relay_index`: one
/// function for both, as [`open_parts`].
#[inline(never)]
pub(in crate::round) fn read_part(
    keys: &RelayKeys,
    sid: &ShareId,
    relay_index: usize,
    blob: &[u8],
) -> Result<SharePart, Error> {
    read_share(keys, sid, relay_index, blob)
}

/// A batch being gathered.
pub(super) struct Incoming {
    k: u8,
    /// The key epoch it is sealed in.
    epoch: EpochStart,
    parts: Vec<SharePart>,
    /// Relays listing the batch whose share is not fetched yet: (relay, share id).
    available: Vec<(String, ShareId)>,
    /// Relays not listing it for this member (it fetched there before without
    /// completing the batch, or the copy is not there): tried when `available` runs out.
    fallback: Vec<(String, ShareId)>,
    /// Fetches drawn for it and not answered yet.
    inflight: usize,
    /// Opened, or given up for this round.
    done: bool,
    /// Needs one more share (the first `k` did not authenticate, or a fetch failed).
    wants_more: bool,
}

impl Incoming {
    pub(super) fn new(
        k: u8,
        epoch: EpochStart,
        parts: Vec<SharePart>,
        available: Vec<(String, ShareId)>,
        fallback: Vec<(String, ShareId)>,
    ) -> Self {
        Self {
            k,
            epoch,
            parts,
            available,
            fallback,
            inflight: 0,
            done: false,
            wants_more: false,
        }
    }

    /// Its threshold.
    pub(super) fn k(&self) -> u8 {
        self.k
    }

    /// A share of it arrived (one per relay), fetched as `sid` from `relay`: not drawn
    /// again (two probes, or a probe and a sweep, may fetch a batch's shares at once).
    pub(super) fn add(&mut self, part: SharePart, relay: &str, sid: ShareId) {
        let fetched = |(u, s): &(String, ShareId)| u == relay && *s == sid;
        self.available.retain(|a| !fetched(a));
        self.fallback.retain(|a| !fetched(a));
        if !self.parts.iter().any(|p| p.relay_index == part.relay_index) {
            self.parts.push(part);
        }
    }

    /// A fetch drawn for it was answered, one way or another.
    pub(super) fn answered(&mut self) {
        self.inflight = self.inflight.saturating_sub(1);
    }

    /// It needs a share more than `k`.
    pub(super) fn want_another(&mut self) {
        self.wants_more = true;
    }

    /// Has `k` shares and waits for no fetch: time to open.
    fn ready(&self) -> bool {
        !self.done && self.inflight == 0 && self.parts.len() >= usize::from(self.k)
    }

    /// How many more shares to fetch now.
    fn needed(&self) -> usize {
        let have = self.parts.len() + self.inflight;
        let need = usize::from(self.k).saturating_sub(have);
        if self.wants_more && self.inflight == 0 {
            need.max(1)
        } else {
            need
        }
    }
}

impl Receiving {
    /// Opens what can be opened, then draws the fetches each open batch still needs;
    /// once none is needed, merges every batch opened (see [`super::merge::merge`]);
    /// whether any was merged.
    pub(super) fn gather(&mut self, ctx: &mut Ctx, group: &mut Group) -> (Vec<HttpRequest>, bool) {
        self.open_ready(ctx, group);
        let batches: Vec<BatchId> = self.incoming.keys().copied().collect();
        let mut out = Vec::new();
        for b in batches {
            let Some(inc) = self.incoming.get_mut(&b) else {
                continue;
            };
            if inc.done {
                continue;
            }
            let mut chosen = Vec::new();
            for _ in 0..inc.needed() {
                let up = |list: &Vec<(String, ShareId)>| -> Vec<(String, ShareId)> {
                    list.iter()
                        .filter(|(u, _)| ctx.relays.is_up(u))
                        .cloned()
                        .collect()
                };
                let mut avail = up(&inc.available);
                if avail.is_empty() {
                    avail = up(&inc.fallback);
                }
                if avail.is_empty() {
                    break;
                }
                let pick = avail[ctx.pick(avail.len())].clone();
                inc.available.retain(|a| *a != pick);
                inc.fallback.retain(|a| *a != pick);
                inc.inflight += 1;
                inc.wants_more = false;
                chosen.push(pick);
            }
            for (relay, sid) in chosen {
                match fetch_request(ctx, &relay, sid) {
                    Some(req) => {
                        self.drawn.insert((relay, sid), b);
                        out.push(req);
                    }
                    None => inc.answered(),
                }
            }
        }
        // What no probe named, in the same wave (`Receiving::sweep`).
        out.extend(self.sweep(ctx));
        let merged = out.is_empty() && !self.opened.is_empty();
        if merged {
            super::merge::merge(ctx, group, std::mem::take(&mut self.opened));
        }
        (out, merged)
    }

    /// Combines and opens every batch that has `k` shares, to be merged with the others
    /// of the round. Relays whose shares disagree with an authentic batch are reported as
    /// tampering; when no `k` authenticate and no relay has another share, every relay
    /// that gave one is.
    fn open_ready(&mut self, ctx: &mut Ctx, group: &Group) {
        let ready: Vec<BatchId> = self
            .incoming
            .iter()
            .filter(|(_, i)| i.ready())
            .map(|(b, _)| *b)
            .collect();
        for b in ready {
            let Some(inc) = self.incoming.get_mut(&b) else {
                continue;
            };
            if group.inbox.has_seen(&b) {
                // Opened meanwhile from shares a relay pushed (`round::offered`): the
                // shares fetched here are acked with it.
                inc.done = true;
                continue;
            }
            let Some(keys) = group.epoch_keys(inc.epoch) else {
                inc.done = true; // an epoch this device no longer holds
                continue;
            };
            match open_parts(keys, &inc.parts) {
                Ok(opened) => {
                    inc.done = true;
                    for i in opened.bad_relays {
                        if let Some(url) = ctx.relays.url_at(i).map(str::to_string) {
                            ctx.relays
                                .mark_tampering(&url, "a share does not combine with the others");
                        }
                    }
                    self.opened
                        .push((b, opened.plaintext, opened.sealed_sha256));
                }
                Err(_) => {
                    // Some share lies: fetch another, if any relay has one.
                    inc.wants_more = true;
                    if inc.available.is_empty() && inc.fallback.is_empty() {
                        inc.done = true; // give up this round
                        let urls: Vec<String> = inc
                            .parts
                            .iter()
                            .filter_map(|p| ctx.relays.url_at(p.relay_index).map(str::to_string))
                            .collect();
                        for url in urls {
                            ctx.relays
                                .mark_tampering(&url, "shares do not authenticate");
                        }
                    }
                }
            }
        }
    }
}
