//! The receive phase: the data path's last steps, relays → combine → open → merge.
//!
//! List new shares at every relay of the round; note which of them are unknown (saved
//! before fetching: a fetch counts at the relay and hides the share from this member's
//! listing, so a crash must not lose track of it); probe — fetch unknown shares, a slice
//! at each relay, whose headers name their batches and so, share ids being derived from
//! the batch id, where the batches' other shares are ([`probe`]); save the batches begun;
//! gather more shares of each new batch until `k` authenticate, the first gathering wave
//! also sweeping what no probe named at `k` relays; open and merge ([`gather`],
//! [`merge`]); seal the snapshot owed
//! to a member learned of in the merge; save with the acks owed; ack, and put the
//! snapshot's shares in the same step.

mod gather;
mod merge;
mod probe;

use std::collections::{BTreeMap, BTreeSet};

use gfms_protocol::{ListResponse, ShareBody, ShareId, decode_data};
use gfms_seal::BatchId;

use super::requests::{Call, Purpose};
use super::riding::list_request;
use super::send::{put_unput, seal_outbox};
use super::{Ctx, Poll};
use crate::Group;
use crate::http::HttpRequest;
use crate::keyring::{EpochStart, FIRST_EPOCH, split_endpoint};
use gather::Incoming;
pub(in crate::round) use gather::{open_parts, read_part};
pub(in crate::round) use merge::{merge_opened, receipts};

/// Listing pages followed per relay and round.
const MAX_LIST_PAGES: usize = 20;

/// What one relay showed this member in this round.
#[derive(Default)]
struct Listing {
    /// Shares it lists (live, not yet fetched by this member).
    listed: BTreeSet<ShareId>,
    /// Listing pages read.
    pages: usize,
    /// Unknown shares still to fetch to learn their batch.
    unresolved: BTreeSet<ShareId>,
    /// Shares fetched here, with their batch (acked once the batch is stored).
    fetched: Vec<(ShareId, BatchId)>,
}

/// Where the receive phase is.
enum Step {
    List,
    /// Sort the listings into known and unknown; save the fetches about to be made.
    Resolve,
    Probe,
    /// Save the batches begun (this round or before) before gathering more of them.
    SaveBegun,
    Gather {
        merged: bool,
    },
    /// Save what was merged with the acks it owes (a crash before they are sent must
    /// not lose them: the fetched shares are not listed to this member again), and the
    /// snapshot sealed for a member learned of here.
    SaveMerged {
        merged: bool,
    },
    /// Send the acks, and the snapshot's shares with them (`snapshot`).
    Ack {
        snapshot: bool,
    },
    Over,
}

/// The receive phase's state.
pub(in crate::round) struct Receiving {
    step: Step,
    /// Per relay of the round, by URL.
    listings: BTreeMap<String, Listing>,
    /// Batches being gathered.
    incoming: BTreeMap<BatchId, Incoming>,
    /// Fetches drawn for a known batch: (relay, share) → batch.
    drawn: BTreeMap<(String, ShareId), BatchId>,
    /// Batches opened, to merge together: (batch, plaintext, SHA-256 of the sealed batch).
    opened: Vec<(BatchId, Vec<u8>, [u8; 32])>,
    /// A batch was begun since the last save.
    begun_unsaved: bool,
}

impl Receiving {
    /// Receiving from every relay the round knows so far.
    pub(in crate::round) fn new(ctx: &Ctx) -> Self {
        Self {
            step: Step::List,
            listings: gfms_ledger::order::map_of(
                ctx.relays
                    .urls()
                    .into_iter()
                    .map(|u| (u, Listing::default())),
            ),
            incoming: BTreeMap::new(),
            drawn: BTreeMap::new(),
            opened: Vec::new(),
            begun_unsaved: false,
        }
    }

    pub(in crate::round) fn poll(&mut self, ctx: &mut Ctx, group: &mut Group) -> Poll {
        loop {
            match self.step {
                Step::List => {
                    self.step = Step::Resolve;
                    let requests = self.list(ctx);
                    if !requests.is_empty() {
                        return Poll::Requests(requests);
                    }
                }
                Step::Resolve => {
                    self.step = Step::Probe;
                    self.resolve(ctx, group);
                    if group.inbox.any_fetching() {
                        return Poll::Persist;
                    }
                }
                Step::Probe => {
                    // One probe wave; what it leaves unnamed is swept while gathering.
                    self.step = Step::SaveBegun;
                    let requests = self.probe(ctx);
                    if !requests.is_empty() {
                        return Poll::Requests(requests);
                    }
                }
                Step::SaveBegun => {
                    self.step = Step::Gather { merged: false };
                    self.begun_unsaved = false;
                    if group.inbox.any_begun() {
                        return Poll::Persist;
                    }
                }
                Step::Gather { merged } => {
                    // Batches a sweep began (`Receiving::sweep`): saved before any more
                    // of their shares are fetched, as the probe's are (`SaveBegun`).
                    if std::mem::take(&mut self.begun_unsaved) {
                        return Poll::Persist;
                    }
                    let (requests, merged_now) = self.gather(ctx, group);
                    let merged = merged || merged_now;
                    if !requests.is_empty() {
                        self.step = Step::Gather { merged };
                        return Poll::Requests(requests);
                    }
                    self.step = Step::SaveMerged { merged };
                }
                Step::SaveMerged { merged } => {
                    // Batches opened from pushed shares (`round::offered`): their acks
                    // too are saved before they are sent.
                    let offered = group.offers.take_acks();
                    let offered = group.inbox.owe_acks(offered);
                    let owed = self.owe_acks(group);
                    // A member learned of in this merge is owed a snapshot: sealed now
                    // (as the finish phase would), this one save keeps the merge, the
                    // acks owed and the snapshot, and its shares go out with the acks.
                    let snapshot = seal_snapshot_now(ctx, group);
                    self.step = Step::Ack { snapshot };
                    if owed || merged || offered || snapshot {
                        return Poll::Persist;
                    }
                }
                Step::Ack { snapshot } => {
                    self.step = Step::Over;
                    let mut requests = self.ack(ctx, group);
                    if snapshot {
                        requests.extend(put_unput(ctx, group));
                    }
                    if !requests.is_empty() {
                        return Poll::Requests(requests);
                    }
                }
                Step::Over => return Poll::Over,
            }
        }
    }

    // --- list ------------------------------------------------------------------------

    fn list(&mut self, ctx: &mut Ctx) -> Vec<HttpRequest> {
        let urls: Vec<String> = self.listings.keys().cloned().collect();
        urls.iter()
            .filter_map(|url| list_request(ctx, url, None))
            .collect()
    }

    /// A relay's listing (a page of it).
    pub(in crate::round) fn listed(&mut self, ctx: &mut Ctx, url: &str, body: &[u8]) {
        let Ok(list) = serde_json::from_slice::<ListResponse>(body) else {
            ctx.relays
                .mark_down(url, "listing is not JSON of the expected shape".into());
            return;
        };
        let Some(listing) = self.listings.get_mut(url) else {
            return;
        };
        listing.listed.extend(list.shares.iter().map(|s| s.id));
        listing.pages += 1;
        if let Some(cursor) = list.next_cursor
            && listing.pages < MAX_LIST_PAGES
            && let Some(req) = list_request(ctx, url, Some(&cursor))
        {
            ctx.queued.push(req);
        }
    }

    /// After listing: which listed shares are new to this device.
    fn resolve(&mut self, ctx: &Ctx, group: &mut Group) {
        let own = group.outbox.own_shares();
        let seen = group.inbox.seen();
        // Batches begun in an earlier round (a share fetched, too few to open): their
        // share ids everywhere are known, listed or not.
        for (batch, k, epoch) in group.inbox.begun_batches() {
            let (mut available, mut fallback) = (Vec::new(), Vec::new());
            for (url, listing) in self.listings.iter_mut() {
                if epoch_of(url) != epoch {
                    continue;
                }
                let Some(keys) = ctx.relays.keys(url) else {
                    continue;
                };
                let sid = keys.share_id(&batch);
                if listing.listed.remove(&sid) {
                    available.push((url.clone(), sid));
                } else {
                    fallback.push((url.clone(), sid));
                }
            }
            self.incoming.insert(
                batch,
                Incoming::new(k, epoch, Vec::new(), available, fallback),
            );
        }
        for (url, listing) in self.listings.iter_mut() {
            let Some(keys) = ctx.relays.keys(url) else {
                continue;
            };
            let known: BTreeMap<ShareId, BatchId> =
                gfms_ledger::order::map_of(seen.iter().map(|b| (keys.share_id(b), *b)));
            // A listed share of a batch already stored here: ack it again. The sender may
            // have lost the earlier ack (a crash, a copy that expired and was re-put).
            for sid in &listing.listed {
                if let Some(b) = known.get(sid) {
                    listing.fetched.push((*sid, *b));
                }
            }
            // Shares an interrupted round fetched (no longer listed to this member).
            let interrupted: Vec<ShareId> = group.inbox.fetching_at(url).collect();
            listing.unresolved = gfms_ledger::order::set_of(
                listing
                    .listed
                    .iter()
                    .copied()
                    .chain(interrupted)
                    .filter(|sid| !known.contains_key(sid) && !own.contains(&(url.clone(), *sid))),
            );
        }
        group.inbox.note_fetching(gfms_ledger::order::set_of(
            self.listings
                .iter()
                .flat_map(|(url, l)| l.unresolved.iter().map(|sid| (url.clone(), *sid))),
        ));
    }

    // --- fetch answers ---------------------------------------------------------------

    /// A share fetched from `relay`: read its header, add it to its batch.
    pub(in crate::round) fn fetched(
        &mut self,
        ctx: &mut Ctx,
        group: &mut Group,
        relay: &str,
        sid: ShareId,
        body: &[u8],
    ) {
        let drawn_for = self.drawn.remove(&(relay.to_string(), sid));
        if let Some(inc) = drawn_for.and_then(|b| self.incoming.get_mut(&b)) {
            inc.answered();
        }
        let blob = serde_json::from_slice::<ShareBody>(body)
            .ok()
            .and_then(|b| decode_data(&b.data));
        let Some(blob) = blob else {
            ctx.relays
                .mark_tampering(relay, "a share is not base64 in JSON");
            return;
        };
        let Some(keys) = ctx.relays.keys(relay) else {
            return;
        };
        let relay_index = ctx.relays.index_of(relay);
        let Ok(part) = read_part(keys, &sid, relay_index, &blob) else {
            ctx.relays
                .mark_tampering(relay, "a share header does not authenticate");
            if let Some(inc) = drawn_for.and_then(|b| self.incoming.get_mut(&b)) {
                inc.want_another();
            }
            return;
        };
        let header = part.header;
        let batch = header.batch_id;
        if let Some(listing) = self.listings.get_mut(relay) {
            listing.fetched.push((sid, batch));
        }
        if header.sender == group.me().0 || group.inbox.has_seen(&batch) {
            return;
        }
        if drawn_for.is_some_and(|b| b != batch) {
            ctx.relays
                .mark_tampering(relay, "a share belongs to another batch");
            return;
        }
        if let Some(inc) = self.incoming.get_mut(&batch) {
            inc.add(part, relay, sid);
            return;
        }
        // A batch seen for the first time: remember it until it opens (a fetched share
        // is not listed again to this member), and find where else it is (at the same
        // relays' endpoints of its key epoch).
        let epoch = epoch_of(relay);
        group.inbox.begun(&batch, header.k, ctx.now_ms, epoch);
        self.begun_unsaved = true;
        let (mut available, mut fallback) = (Vec::new(), Vec::new());
        for (url, listing) in self.listings.iter_mut() {
            if url == relay || epoch_of(url) != epoch {
                continue;
            }
            let Some(keys) = ctx.relays.keys(url) else {
                continue;
            };
            let other = keys.share_id(&batch);
            if listing.listed.contains(&other) {
                listing.unresolved.remove(&other);
                available.push((url.clone(), other));
            } else {
                fallback.push((url.clone(), other));
            }
        }
        self.incoming.insert(
            batch,
            Incoming::new(header.k, epoch, vec![part], available, fallback),
        );
    }

    /// A fetch got no share: the batch it was drawn for wants another.
    pub(in crate::round) fn fetch_failed(&mut self, relay: &str, sid: ShareId) {
        if let Some(b) = self.drawn.remove(&(relay.to_string(), sid))
            && let Some(inc) = self.incoming.get_mut(&b)
        {
            inc.answered();
            inc.want_another();
        }
    }
}

/// Seals the snapshot owed to a member learned of this round (with whatever else is
/// unsent), if this device answers newcomers; whether it sealed any batch. The send
/// phase's sealing, earlier than the finish phase would: nothing is put before the
/// save that follows.
fn seal_snapshot_now(ctx: &mut Ctx, group: &mut Group) -> bool {
    group.outbox.snapshot_owed() && group.is_established() && seal_outbox(ctx, group) > 0
}

/// The key epoch of an endpoint of the round.
fn epoch_of(endpoint: &str) -> EpochStart {
    split_endpoint(endpoint).map_or(FIRST_EPOCH, |(_, e)| e)
}

pub(in crate::round) fn fetch_request(
    ctx: &mut Ctx,
    relay: &str,
    sid: ShareId,
) -> Option<HttpRequest> {
    let simple = ctx.relays.simple(relay);
    let call = Call::fetch(ctx.relays.up(relay)?, &sid, &ctx.me, simple);
    let purpose = Purpose::Fetch {
        relay: relay.to_string(),
        sid,
    };
    Some(ctx.requests.make(purpose, call))
}
