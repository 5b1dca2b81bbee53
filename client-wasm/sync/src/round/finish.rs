//! The finish phase: answer a member that joined with a snapshot of the whole ledger,
//! ask every relay for the status of every outgoing share, assess each batch by the
//! strict rule (`completeness`) — save the verdicts — then delete complete batches
//! everywhere and put lost copies of the others again — save.

use std::collections::BTreeMap;

use gfms_protocol::{ShareId, ShareStatus, StatusResponse};

use super::requests::{Call, IDS_PER_REQUEST, Purpose};
use super::send::{put, put_unput, seal_outbox};
use super::{Ctx, Poll};
use crate::Group;
use crate::completeness::{Recipients, RelayStatus, assess};
use crate::http::HttpRequest;
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
                    *self = Finishing::Assess {
                        statuses: BTreeMap::new(),
                    };
                    let requests = status(ctx, group);
                    if !requests.is_empty() {
                        return Poll::Requests(requests);
                    }
                }
                Finishing::Assess { statuses } => {
                    let reput = assess_outbox(ctx, group, statuses);
                    *self = Finishing::Cleanup { reput };
                    // The verdicts (acks seen, complete batches gone from the outbox) are
                    // saved before anything is deleted or put again.
                    return Poll::Persist;
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

/// Asks each relay the outbox uses for the status of its shares there.
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
    let mut out = Vec::new();
    for (url, sids) in by_relay {
        for chunk in sids.chunks(IDS_PER_REQUEST) {
            let Some(keys) = ctx.relays.add_up(group, &url) else {
                break;
            };
            let call = Call::status(&url, keys, chunk);
            out.push(ctx.requests.make(Purpose::Status(url.clone()), call));
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
    let members = group.recipients();
    let all_known = group.knows_group();
    let hand_over = group.leaving();
    // Every member this device knows (itself, those who left or were removed included):
    // an ack by anyone else is by a member it has not heard of.
    let me = group.me();
    let mut known: Vec<gfms_ledger::MemberId> = group.state().members.keys().copied().collect();
    known.push(me);
    let mut reput = Vec::new();
    let mut pending = Vec::new();
    for b in group.outbox.batches().to_vec() {
        let relays: Vec<RelayStatus> = b
            .shares
            .iter()
            .map(|s| RelayStatus {
                relay: s.relay.clone(),
                status: statuses.get(&(s.relay.clone(), s.share_id)).cloned(),
                pseudonyms: match group.relay_keys(&s.relay) {
                    Ok(keys) => gfms_ledger::order::map_of(
                        known.iter().map(|m| (*m, keys.member_pseudonym(&m.0))),
                    ),
                    Err(_) => BTreeMap::new(),
                },
            })
            .collect();
        let recipients = Recipients {
            members: &members,
            acked_before: &b.acked,
            all_known,
            hand_over,
        };
        let verdict = assess(&recipients, b.k, &relays);
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
        let Some(keys) = ctx.relays.add_up(group, &relay) else {
            continue;
        };
        let call = Call::delete(&relay, keys, &sid);
        out.push(ctx.requests.make(Purpose::Delete(relay.clone(), sid), call));
    }
    out
}
