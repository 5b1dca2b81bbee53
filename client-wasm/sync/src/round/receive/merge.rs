//! Merging an opened batch into the ledger, and the acks that follow: an ack means
//! "durably stored", so the acks owed are saved with what they acknowledge before they
//! are sent, and survive a crash.

use gfms_identity::ReceiptClaim;
use std::collections::BTreeSet;

use gfms_ledger::{EventBody, EventId, MemberId, StoredEvent};
use gfms_protocol::{Receipt, ShareId, ShareReceipt};
use gfms_seal::BatchId;

use super::Receiving;
use crate::Group;
use crate::http::HttpRequest;
use crate::payload;
use crate::round::Ctx;
use crate::round::requests::{Call, IDS_PER_REQUEST, Purpose};

/// A batch opened: its id, its plaintext and the SHA-256 of its sealed bytes.
pub(in crate::round) type Opened = (BatchId, Vec<u8>, [u8; 32]);

/// Takes an attachment chunk (`blobs.rs`): held, completed or dropped; its batch is
/// stored either way, so the sender stops re-sending what this device will never take.
fn take_chunk(
    group: &mut Group,
    now_ms: u64,
    batch: &BatchId,
    plaintext: &[u8],
    sealed_sha256: &[u8; 32],
) -> Result<Option<String>, crate::blobs::ChunkError> {
    let taken = group.blobs.receive(plaintext, now_ms);
    group.inbox.stored(batch, now_ms, sealed_sha256);
    taken
}

/// Stores the batches opened in a round (see [`merge_opened`]); attachment chunks are
/// taken apart ([`take_chunk`]) and what they complete or drop is reported.
pub(super) fn merge(ctx: &mut Ctx, group: &mut Group, opened: Vec<Opened>) {
    let mut records = Vec::with_capacity(opened.len());
    for (batch, plaintext, sealed_sha256) in opened {
        ctx.report.received_batches += 1;
        if crate::blobs::is_chunk(&plaintext) {
            match take_chunk(group, ctx.now_ms, &batch, &plaintext, &sealed_sha256) {
                Ok(Some(hash)) => ctx.report.received_blobs.push(hash),
                Ok(None) => {}
                Err(e) => ctx.report.dropped_chunks.push(e.to_string()),
            }
        } else {
            records.push((batch, plaintext, sealed_sha256));
        }
    }
    ctx.report.received_events += merge_opened(group, ctx.now_ms, records);
}

/// Stores opened batches, all at once: their events join the ledger as their exact text
/// (those this version does not read included), a plaintext it cannot read whole is
/// kept verbatim, and a member this device learns of here is owed a snapshot. Only then
/// is each batch stored, and acks owed for it: an ack says "durably stored", never
/// "received". At once, because a snapshot's batches open in any order: merged one by
/// one, the events of a batch that opened before the one carrying their author's card
/// would be kept aside (no key to check them yet), past the bound on what is kept aside
/// lost, although the sender holds the batch as delivered. A batch whose card opens in a
/// later round still brings events that must wait for it: a batch with an event that found
/// no room aside (`Authors::bound_aside`) is not stored, so not acked; it stays begun and
/// is gathered again in a later round, until its author's card is here. Also called
/// outside a round (a batch opened from shares a relay pushed: not stored, its shares stay
/// listed). Returns the events the ledger did not hold.
pub(in crate::round) fn merge_opened(group: &mut Group, now_ms: u64, opened: Vec<Opened>) -> usize {
    let me = group.me();
    // Only a member that already had the group's history answers newcomers: a device
    // that just joined learns everyone at once and has nothing of its own to give.
    let established = group.is_established();
    let mut events = Vec::new();
    let mut fresh: Vec<MemberId> = Vec::new();
    // Each batch to store, with the ids of its events.
    let mut batches: Vec<(&Opened, bool, BTreeSet<EventId>)> = Vec::new();
    for opened in &opened {
        let (batch, plaintext, sealed_sha256) = opened;
        if crate::blobs::is_chunk(plaintext) {
            // Chunks are too large to ride in a push; one that does is taken as if
            // fetched (its hash reaches the host through `Group::take_received_blobs`).
            let _ = take_chunk(group, now_ms, batch, plaintext, sealed_sha256);
            continue;
        }
        let payload = payload::decode(plaintext);
        let ids = payload.events.iter().map(StoredEvent::id).collect();
        batches.push((opened, payload.rest, ids));
        fresh.extend(
            payload
                .events
                .iter()
                .filter_map(StoredEvent::event)
                .filter_map(|e| match e.body {
                    EventBody::MemberJoined { member, .. }
                        if member != me && member == e.author =>
                    {
                        Some(member)
                    }
                    _ => None,
                })
                .filter(|m| !group.state().members.contains_key(m)),
        );
        events.extend(payload.events);
    }
    let (report, left_out) = group.merge(events);
    for ((batch, plaintext, sealed_sha256), rest, ids) in batches {
        if !ids.is_disjoint(&left_out) {
            continue;
        }
        if rest {
            group.inbox.keep_unread(batch, plaintext);
        }
        group.inbox.stored(batch, now_ms, sealed_sha256);
    }
    // Every established member sends its whole ledger to a member it learns of, even
    // if someone else's snapshot came first: that one holds only what its sender had,
    // and events this device wrote before it knew the newcomer reached no one else.
    if established {
        group.outbox.owe_snapshot(fresh);
    }
    report.added
}

impl Receiving {
    /// Notes an ack owed for every share fetched of a batch now stored here; whether
    /// any is new.
    pub(super) fn owe_acks(&self, group: &mut Group) -> bool {
        let owed: Vec<(String, ShareId, BatchId)> = self
            .listings
            .iter()
            .flat_map(|(url, listing)| {
                listing
                    .fetched
                    .iter()
                    .filter(|(_, b)| group.inbox.has_seen(b))
                    .map(|(sid, b)| (url.clone(), *sid, *b))
                    .collect::<Vec<_>>()
            })
            .collect();
        group.inbox.owe_acks(owed)
    }

    /// Sends every ack owed to a relay of the round that is up; acks owed to relays the
    /// group no longer uses are dropped.
    pub(super) fn ack(&self, ctx: &mut Ctx, group: &mut Group) -> Vec<HttpRequest> {
        let by_relay = group.inbox.acks_by_relay(|url| ctx.relays.contains(url));
        let mut out = Vec::new();
        for (url, sids) in by_relay {
            for chunk in sids.chunks(IDS_PER_REQUEST) {
                let Some(keys) = ctx.relays.up(&url) else {
                    break;
                };
                let receipts = receipts(group, &ctx.me, chunk);
                let simple = ctx.relays.simple_posts(&url);
                let call = Call::ack(keys, &ctx.me, chunk, receipts, simple);
                out.push(
                    ctx.requests
                        .make(Purpose::Ack(url.clone(), chunk.to_vec()), call),
                );
            }
        }
        out
    }
}

/// The receipts for acks of `shares`: this device's signature over the batch each
/// carries, the hash of its sealed bytes, the share and this member (docs/member-keys.md).
/// Acks owed before receipts go without one.
pub(in crate::round) fn receipts(
    group: &Group,
    me: &MemberId,
    shares: &[ShareId],
) -> Vec<ShareReceipt> {
    let keys = group.keyring();
    shares
        .iter()
        .filter_map(|sid| {
            let (batch, sealed_batch_sha256) = group.inbox.ack_claim(sid)?;
            let claim = ReceiptClaim {
                batch,
                sealed_batch_sha256,
                share: *sid.as_bytes(),
                member: me.0,
            };
            let signed = keys.device().sign_receipt(keys.context(), &claim);
            Some(ShareReceipt {
                share: *sid,
                receipt: Receipt::new(signed.to_bytes().to_vec())?,
            })
        })
        .collect()
}
