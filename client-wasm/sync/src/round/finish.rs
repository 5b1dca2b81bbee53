//! The finish phase: answer a member that joined with a snapshot of the whole ledger,
//! ask every relay for the status of every outgoing share, assess each batch by the
//! strict rule (`completeness`) — save the verdicts — then delete complete batches
//! everywhere and put lost copies of the others again — save.

use std::collections::BTreeMap;

use gfms_protocol::{ShareId, ShareStatus, StatusResponse};

use super::requests::{Call, IDS_PER_REQUEST, Purpose};
use super::send::{put, put_unput, seal_outbox};
use super::{Ctx, Poll};
use gfms_identity::{Receipt, ReceiptClaim};
use gfms_ledger::{EventBody, MemberId};
use gfms_seal::BatchId;

use crate::Group;
use crate::completeness::{Recipients, RelayStatus, assess};
use crate::epochs::Epochs;
use crate::http::HttpRequest;
use crate::outbox::OutgoingBatch;
use crate::report::PendingBatch;

/// Where the finish phase is.
#[derive(Default)]
pub(super) enum Finishing {
    /// Seal a snapshot for members learned of this round.
    #[default]
    Snapshot,
    SnapshotPut,
    Status,
    /// Status answers come in here, per (relay, share id).
    Assess {
        statuses: BTreeMap<(String, ShareId), ShareStatus>,
    },
    /// Re-put these (batch id, share index), delete what is complete.
    Cleanup {
        reput: Vec<(String, usize)>,
    },
    /// The round's last save.
    End,
    Over,
}

impl Finishing {
    pub(super) fn poll(&mut self, ctx: &mut Ctx, group: &mut Group) -> Poll {
        loop {
            match self {
                Finishing::Snapshot => {
                    *self = Finishing::SnapshotPut;
                    if seal_outbox(ctx, group) > 0 {
                        return Poll::Persist;
                    }
                }
                Finishing::SnapshotPut => {
                    *self = Finishing::Status;
                    let requests = put_unput(ctx, group);
                    if !requests.is_empty() {
                        return Poll::Requests(requests);
                    }
                }
                Finishing::Status => {
                    // What the listings answered is not asked again.
                    let requests = status(ctx, group);
                    *self = Finishing::Assess {
                        statuses: ctx.riding.take_statuses(),
                    };
                    if !requests.is_empty() {
                        return Poll::Requests(requests);
                    }
                }
                Finishing::Assess { statuses } => {
                    let reput = assess_outbox(ctx, group, statuses);
                    let sends = !reput.is_empty() || group.outbox.has_deletes();
                    *self = Finishing::Cleanup { reput };
                    // The verdicts (acks seen, complete batches gone from the outbox) are
                    // saved before anything is deleted or put again. With nothing to
                    // delete or put, the round's last save, next, keeps them: no request
                    // comes between, so a crash loses nothing a relay has seen.
                    if sends {
                        return Poll::Persist;
                    }
                }
                Finishing::Cleanup { reput } => {
                    let requests = cleanup(ctx, group, std::mem::take(reput));
                    *self = Finishing::End;
                    if !requests.is_empty() {
                        return Poll::Requests(requests);
                    }
                }
                Finishing::End => {
                    group.round_over(ctx.now_ms);
                    *self = Finishing::Over;
                    return Poll::Persist;
                }
                Finishing::Over => return Poll::Over,
            }
        }
    }

    /// A relay's status answer.
    pub(super) fn statuses(&mut self, url: &str, body: &[u8]) {
        if let Finishing::Assess { statuses } = self
            && let Ok(r) = serde_json::from_slice::<StatusResponse>(body)
        {
            for s in r.shares {
                statuses.insert((url.to_string(), s.id), s);
            }
        }
    }
}

/// Asks each relay the outbox uses for the status of its shares there, but for what
/// the round's listings answered already.
fn status(ctx: &mut Ctx, group: &Group) -> Vec<HttpRequest> {
    let mut by_relay: BTreeMap<String, Vec<ShareId>> = BTreeMap::new();
    for b in group.outbox.batches() {
        for s in &b.shares {
            by_relay
                .entry(s.relay.clone())
                .or_default()
                .push(s.share_id);
        }
    }
    for (url, sids) in &mut by_relay {
        sids.retain(|sid| !ctx.riding.covers(url, *sid));
    }
    let mut out = Vec::new();
    for (url, sids) in by_relay {
        for chunk in sids.chunks(IDS_PER_REQUEST) {
            if ctx.relays.add_up(group, &url).is_none() {
                break;
            }
            let simple = ctx.relays.simple_posts(&url);
            let Some(keys) = ctx.relays.up(&url) else {
                break;
            };
            let call = Call::status(keys, chunk, simple);
            let purpose = Purpose::Status(url.clone(), chunk.to_vec());
            out.push(ctx.requests.make(purpose, call));
        }
    }
    out
}

/// Assesses every outgoing batch from the statuses: complete ones leave the outbox (their
/// shares to be deleted), the others are shown as pending; returns the copies to put
/// again.
fn assess_outbox(
    ctx: &mut Ctx,
    group: &mut Group,
    statuses: &BTreeMap<(String, ShareId), ShareStatus>,
) -> Vec<(String, usize)> {
    let active = group.recipients();
    let epochs = Epochs::read(group.ledger());
    let lost_starts = epochs.lost();
    let all_known = group.knows_group();
    let hand_over = group.leaving();
    // Every member this device knows (itself, those who left or were removed included):
    // an ack by anyone else is by a member it has not heard of.
    let me = group.me();
    let mut known: Vec<MemberId> = group.state().members.keys().copied().collect();
    known.push(me);
    let mut reput = Vec::new();
    let mut pending = Vec::new();
    for b in group.outbox.batches().to_vec() {
        let claim = receipt_claim(&b);
        let relays: Vec<RelayStatus> = b
            .shares
            .iter()
            .map(|s| {
                let status = statuses.get(&(s.relay.clone(), s.share_id)).cloned();
                let receipts = match (&status, claim) {
                    (Some(st), Some((batch, hash))) => {
                        verified_receipts(group, &known, st, batch, hash)
                    }
                    _ => BTreeMap::new(),
                };
                RelayStatus {
                    relay: s.relay.clone(),
                    status,
                    pseudonyms: match group.relay_keys(&s.relay) {
                        Ok(keys) => gfms_ledger::order::map_of(
                            known.iter().map(|m| (*m, keys.member_pseudonym(&m.0))),
                        ),
                        Err(_) => BTreeMap::new(),
                    },
                    receipts,
                }
            })
            .collect();
        // Who must hold it: the active members who can read its epoch (not one who joined
        // with a newer invite), and a member it removes, told for a while.
        let number = group
            .keyring()
            .epochs()
            .iter()
            .find(|e| e.start == b.epoch)
            .map_or(0, |e| e.number);
        // In a start that lost to a concurrent one (a batch routed there on purpose:
        // the others are sealed again in the winner), only those who may hold its
        // secret now: no one shares a lost start.
        let lost = lost_starts.contains(&b.epoch);
        let mut members: Vec<MemberId> = active
            .iter()
            .filter(|m| epochs.may_hold(m, number))
            .filter(|m| !lost || epochs.may_read(m, number, b.epoch))
            .copied()
            .collect();
        let can_read = epochs.holders(number, b.epoch);
        for m in b.notify_now(ctx.now_ms) {
            if !members.contains(m) && *m != me && can_read.contains(m) {
                members.push(*m);
            }
        }
        // Members with a card ack by receipt only (a batch sealed before receipts is
        // taken on the relays' word, and so are the acks of a member that may have
        // stored it before it had a card: see `receipt_due`).
        let signed: Vec<MemberId> = match claim {
            Some(_) => {
                let written = b
                    .event_ids
                    .iter()
                    .filter_map(|id| group.ledger().get_stored(id))
                    .map(|e| e.lamport())
                    .max();
                members
                    .iter()
                    .filter(|m| receipt_due(group, m, written))
                    .copied()
                    .collect()
            }
            None => Vec::new(),
        };
        let recipients = Recipients {
            members: &members,
            acked_before: &b.acked,
            signed: &signed,
            all_known,
            hand_over,
        };
        let verdict = assess(&recipients, b.k, &relays);
        for (i, m) in &verdict.unvouched {
            let relay = &relays[*i].relay;
            ctx.relays.mark_lying(
                relay,
                format!(
                    "listed member {m} as having batch {} without its signed receipt",
                    b.batch_id
                ),
            );
        }
        group.outbox.set_acked(&b.batch_id, verdict.acked);
        if verdict.complete {
            ctx.report.completed_batches += 1;
            group.outbox.complete(&b.batch_id);
            continue;
        }
        reput.extend(verdict.reput.iter().map(|&i| (b.batch_id.clone(), i)));
        pending.push(PendingBatch {
            batch_id: b.batch_id.clone(),
            events: b.events,
            created_ms: b.created_ms,
            sum_s: verdict.sum_s,
            target: verdict.target,
            missing: verdict.missing,
            expires_at: relays
                .iter()
                .filter_map(|r| r.status.as_ref())
                .filter(|s| s.live)
                .map(|s| s.expires_at)
                .max()
                .unwrap_or(0),
            reput: verdict
                .reput
                .iter()
                .map(|&i| b.shares[i].relay.clone())
                .collect(),
        });
    }
    group.outbox.set_pending(pending);
    reput
}

/// Puts lost copies again (same bytes, same ids), then deletes every share of a complete
/// batch where its relay answers (the others are kept, and retried next round).
fn cleanup(ctx: &mut Ctx, group: &Group, reput: Vec<(String, usize)>) -> Vec<HttpRequest> {
    let mut out = Vec::new();
    for (batch, share) in reput {
        if let Some(req) = put(ctx, group, batch, share) {
            ctx.report.reput_shares += 1;
            out.push(req);
        }
    }
    for (relay, sid) in group.outbox.deletes() {
        out.extend(delete(ctx, group, relay, sid));
    }
    out
}

/// Deletes share `sid` at `relay`, unless the relay is down.
pub(super) fn delete(
    ctx: &mut Ctx,
    group: &Group,
    relay: String,
    sid: ShareId,
) -> Option<HttpRequest> {
    ctx.relays.add_up(group, &relay)?;
    let simple = ctx.relays.simple(&relay);
    let call = Call::delete(ctx.relays.up(&relay)?, &sid, simple);
    Some(ctx.requests.make(Purpose::Delete(relay, sid), call))
}

/// Whether `member`'s ack of a batch whose newest event has Lamport clock `written`
/// counts only with its verified receipt.
///
/// A member with no card acks without one. So does a member that joined before member
/// keys for every batch it stored before it published its card (`member_keys_published`):
/// its release sent plain acks then, and it never acks that batch again. Its card event
/// comes after everything it had stored (a device's clock passes every event it holds),
/// so a batch with no event at or past the card's clock may have been acked that way:
/// its ack is taken on the relays' word, as before the card, and a relay that lists it
/// is not called a liar. For a batch written at or after the card, and for a member
/// that joined with its card, only a receipt counts. (`written` is `None` for batches
/// saved before they listed their events: receipts only.)
fn receipt_due(group: &Group, member: &MemberId, written: Option<u64>) -> bool {
    let Some(bound_by) = group.authors().bound_by(member) else {
        return false;
    };
    let Some(card) = group.ledger().get_stored(&bound_by) else {
        return true;
    };
    let published_late = matches!(
        card.event().map(|e| &e.body),
        Some(EventBody::MemberKeysPublished { .. })
    );
    match written {
        Some(written) if published_late => written >= card.lamport(),
        _ => true,
    }
}

/// What a receipt for `b` names besides the share and the member: its batch id and the
/// hash of its sealed bytes (`None` for a batch sealed before receipts).
fn receipt_claim(b: &OutgoingBatch) -> Option<(BatchId, [u8; 32])> {
    let (mut batch, mut hash) = ([0u8; 16], [0u8; 32]);
    hex::decode_to_slice(&b.batch_id, &mut batch).ok()?;
    hex::decode_to_slice(&b.sealed_sha256, &mut hash).ok()?;
    Some((batch, hash))
}

/// The members among `known` whose receipt, among those the relay returned for this
/// share, verifies under their bound card: who really stored the batch.
fn verified_receipts(
    group: &Group,
    known: &[MemberId],
    status: &ShareStatus,
    batch: BatchId,
    sealed_batch_sha256: [u8; 32],
) -> BTreeMap<MemberId, String> {
    let context = group.keyring().context();
    let receipts: Vec<Receipt> = status
        .receipts
        .iter()
        .filter_map(|r| Receipt::from_bytes(r.as_bytes()).ok())
        .collect();
    let mut out = BTreeMap::new();
    for m in known {
        let Some(card) = group.authors().card(m) else {
            continue;
        };
        let claim = ReceiptClaim {
            batch,
            sealed_batch_sha256,
            share: *status.id.as_bytes(),
            member: m.0,
        };
        if let Some(r) = receipts
            .iter()
            .find(|r| r.verify(context, &claim, card).is_ok())
        {
            out.insert(*m, r.to_base64url());
        }
    }
    out
}
