//! The send phase: the data path's first steps, record → seal → split, then to the
//! relays. Unsent events (or, for a member that joined, the whole ledger) become batches
//! in the outbox — saved before anything is uploaded — the group is registered where it
//! is not yet, and every share not yet put is put.

use gfms_ledger::{EventBody, StoredEvent, new_event_id, order};
use gfms_seal::{seal, split_for_relays_seeded};

use super::requests::{Call, Purpose};
use super::{Ctx, Poll};
use crate::http::HttpRequest;
use crate::keyring::{EpochStart, endpoint, relay_url};
use crate::outbox::{OutgoingBatch, Sealed};
use crate::payload::{self, chunk};
use crate::relays::RelaySet;
use crate::report::{RelayHealth, RelayReport};
use crate::{Error, Group, epochs, random};

/// Where the send phase is.
#[derive(Default)]
pub(super) enum Sending {
    #[default]
    Seal,
    Register,
    Put,
    Over,
}

impl Sending {
    pub(super) fn poll(&mut self, ctx: &mut Ctx, group: &mut Group) -> Poll {
        loop {
            match self {
                Sending::Seal => {
                    *self = Sending::Register;
                    if seal_outbox(ctx, group) > 0 {
                        // The write-ahead record: a crash from here on resumes with the
                        // same bytes under the same share ids.
                        return Poll::Persist;
                    }
                }
                Sending::Register => {
                    *self = Sending::Put;
                    let requests = register(ctx, group);
                    if !requests.is_empty() {
                        return Poll::Requests(requests);
                    }
                }
                Sending::Put => {
                    *self = Sending::Over;
                    let requests = put_unput(ctx, group);
                    if !requests.is_empty() {
                        return Poll::Requests(requests);
                    }
                }
                Sending::Over => return Poll::Over,
            }
        }
    }
}

/// Seals what there is to send into the outbox; how many batches. A failure is reported
/// (the events stay unsent for the next round).
pub(super) fn seal_outbox(ctx: &mut Ctx, group: &mut Group) -> usize {
    let made = seal_into_outbox(group, ctx.now_ms).unwrap_or_else(|e| {
        ctx.report.relays.push(RelayReport {
            url: String::new(),
            health: RelayHealth::Down,
            error: Some(format!("could not seal: {e}")),
        });
        0
    });
    ctx.report.sent_batches += made;
    made
}

/// Moves unsent events — or, when a member joined, the whole ledger as a snapshot —
/// into sealed batches in the outbox, each at most `MAX_BATCH_PLAINTEXT` of JSON, in the
/// current key epoch (events routed to another epoch go there). The device's epochs are
/// brought up to date first, and a device that joined before member keys publishes its
/// card: both may add events to send.
fn seal_into_outbox(group: &mut Group, now_ms: u64) -> Result<usize, Error> {
    group.publish_keys_if_due(now_ms)?;
    epochs::update(group, now_ms)?;
    let snapshot = group.outbox.snapshot_owed() && group.is_established();
    let current = group.keyring().current().start;
    // Every event as stored, byte for byte, by the epoch it goes in: a snapshot forwards
    // a newer version's events exactly as they came.
    let mut by_epoch: Vec<(EpochStart, (Vec<StoredEvent>, bool))> = Vec::new();
    for id in group.outbox.unsent() {
        let route = group.outbox.route_of(id);
        if snapshot && route.is_none() {
            continue;
        }
        if let Some(e) = group.ledger().get_stored(id) {
            let slot = order::slot(&mut by_epoch, route.unwrap_or(current));
            slot.0.push(e.clone());
            slot.1 |= route.is_some();
        }
    }
    if snapshot {
        let all = group.ledger().stored().cloned();
        order::slot(&mut by_epoch, current).0.extend(all);
    }
    order::sort_by_key(&mut by_epoch, |(epoch, _)| *epoch);
    let relays = group.current_relays();
    let mut made = seal_chunks(group, current, &relays, now_ms)?;
    if by_epoch.iter().all(|(_, (events, _))| events.is_empty()) {
        // Nothing else to send (unsent ids without an event are dropped).
        let n = made.len();
        group.outbox.sealed(made, false);
        return Ok(n);
    }
    for (epoch, (mut events, routed)) in by_epoch {
        gfms_ledger::order::sort_by_key(&mut events, |e| (e.lamport(), e.author(), e.id()));
        events.dedup_by_key(|e| e.id());
        for part in chunk(events.iter().collect()) {
            // A relay-set change must reach members who know only the old set.
            let set = if part.iter().any(|e| {
                e.event()
                    .is_some_and(|e| matches!(e.body, EventBody::RelaySetChanged { .. }))
            }) {
                group.announcing_relays(&relays)
            } else {
                relays.clone()
            };
            made.push(seal_batch(group, epoch, routed, &set, &part, now_ms)?);
        }
    }
    let n = made.len();
    group.outbox.sealed(made, snapshot);
    Ok(n)
}

/// Seals the attachment chunks waiting (`blobs.rs`), one batch each, in the current
/// epoch and relay set; on a failure they wait for the next round.
fn seal_chunks(
    group: &mut Group,
    epoch: EpochStart,
    set: &RelaySet,
    now_ms: u64,
) -> Result<Vec<OutgoingBatch>, Error> {
    let queued = group.blobs.take_queued();
    let mut made = Vec::with_capacity(queued.len());
    for q in &queued {
        match seal_plaintext(group, epoch, false, set, &q.plaintext, now_ms, &[]) {
            Ok(mut b) => {
                b.blob = q.label.clone();
                made.push(b);
            }
            Err(e) => {
                group.blobs.requeue(queued);
                return Err(e);
            }
        }
    }
    Ok(made)
}

/// record → seal → split for the relays of `set`, in key epoch `epoch`.
fn seal_batch(
    group: &Group,
    epoch: EpochStart,
    routed: bool,
    set: &RelaySet,
    events: &[&StoredEvent],
    now_ms: u64,
) -> Result<OutgoingBatch, Error> {
    let plaintext = payload::encode(events.iter().copied());
    seal_plaintext(group, epoch, routed, set, &plaintext, now_ms, events)
}

/// seal → split a plaintext (of `events`, or an attachment chunk) for the relays of
/// `set`, in key epoch `epoch`.
fn seal_plaintext(
    group: &Group,
    epoch: EpochStart,
    routed: bool,
    set: &RelaySet,
    plaintext: &[u8],
    now_ms: u64,
    events: &[&StoredEvent],
) -> Result<OutgoingBatch, Error> {
    let batch_id = *new_event_id(now_ms, random()?).as_bytes();
    let relays = set
        .relays
        .iter()
        .map(|r| group.relay_keys(&endpoint(r, epoch)))
        .collect::<Result<Vec<_>, _>>()?;
    let keys = group
        .epoch_keys(epoch)
        .ok_or_else(|| Error::BadState("a key epoch this device does not hold".into()))?;
    let sealed = seal(keys, batch_id, group.me().0, plaintext)?;
    // The split's randomness from a seed the outbox keeps: a share is made again from
    // the sealed batch and the seed, byte for byte, instead of being saved.
    let split_seed = random()?;
    let shares = split_for_relays_seeded(&sealed, &relays, set.k, &split_seed)?;
    // A removal is told to the member removed (see `REMOVAL_NOTICE_MS`).
    let notify = events
        .iter()
        .filter_map(|e| match e.event().map(|e| &e.body) {
            Some(EventBody::MemberRemoved { member }) => Some(*member),
            _ => None,
        })
        .collect();
    let batch = Sealed {
        batch_id,
        created_ms: now_ms,
        epoch,
        routed,
        sealed_sha256: sealed.sha256(),
        sealed: sealed.bytes,
        split_seed,
        event_ids: events.iter().map(|e| e.id()).collect(),
        notify,
        blob: String::new(),
    };
    Ok(OutgoingBatch::new(batch, set, shares))
}

/// Registers the group at every relay it pulls from or has a batch for, where this
/// device has not yet.
fn register(ctx: &mut Ctx, group: &Group) -> Vec<HttpRequest> {
    let mut urls: Vec<String> = group.pull_endpoints(ctx.now_ms);
    for b in group.outbox.batches() {
        for s in &b.shares {
            if !urls.contains(&s.relay) {
                urls.push(s.relay.clone());
            }
        }
    }
    let mut out = Vec::new();
    for url in urls {
        if group.relays.is_registered(&url) {
            continue;
        }
        let Some(keys) = ctx.relays.add(group, &url) else {
            continue;
        };
        let call = Call::register(keys, group.relays.registration_key(relay_url(&url)));
        out.push(ctx.requests.make(Purpose::Register(url), call));
    }
    out
}

/// Puts every share of the outbox not put yet (idempotent at the relay).
pub(super) fn put_unput(ctx: &mut Ctx, group: &Group) -> Vec<HttpRequest> {
    let mut todo = Vec::new();
    for b in group.outbox.batches() {
        for (i, s) in b.shares.iter().enumerate() {
            if !s.put {
                todo.push((b.batch_id.clone(), i));
            }
        }
    }
    todo.into_iter()
        .filter_map(|(batch, share)| put(ctx, group, batch, share))
        .collect()
}

/// Puts share `share` of outgoing batch `batch` at its relay, unless the relay is down.
pub(super) fn put(
    ctx: &mut Ctx,
    group: &Group,
    batch: String,
    share: usize,
) -> Option<HttpRequest> {
    let s = group.outbox.share(&batch, share)?;
    ctx.relays.add_up(group, &s.relay)?;
    let simple = ctx.relays.simple(&s.relay);
    let data = group.outbox.share_data(&batch, share, group)?;
    let call = Call::put(ctx.relays.up(&s.relay)?, &s.share_id, data, simple);
    let purpose = Purpose::Put {
        relay: s.relay.clone(),
        batch,
        share,
    };
    Some(ctx.requests.make(purpose, call))
}
