//! One sync round, sans-IO: push what is new, pull what arrived, re-send what a relay
//! lost, delete what every member has. The round says which HTTP requests to make
//! ([`Step::Requests`], all of a step may run at once), when to save
//! ([`Step::Persist`]), and ends with a [`SyncReport`]. The driver carries the bytes.
//!
//! The phases, each in its own module and owning its state:
//!
//! 1. [`send`]: seal unsent events into the outbox — save (the write-ahead record) —
//!    register with new relays, put shares not yet put.
//! 2. [`receive`]: list new shares at each pull relay, the listing carrying the status
//!    of this device's shares and the acks owed ([`riding`]; saved first when pushed
//!    batches owe acks) — save the fetches about to be made — probe (one header names a batch's shares everywhere, their ids being
//!    derived from the batch id), gather more shares until `k` authenticate, open,
//!    merge, seal a snapshot for a member learned of — save, with the acks owed — ack
//!    (and put the snapshot's shares, in the same step).
//! 3. [`finish`]: seal and put what is still owed or unsent, ask every relay for the
//!    status of every outgoing share no listing answered, assess each batch — save — delete complete
//!    batches, re-put lost copies — save.
//!
//! This module only drives them: it hands each answer to the phase (or owner) that
//! asked, fails requests the driver never answered, and records relay health.

mod finish;
pub(crate) mod offered;
mod receive;
mod relays;
mod requests;
mod riding;
mod send;

use gfms_ledger::MemberId;

use crate::Group;
use crate::http::{HttpRequest, Outcome};
use crate::keyring::relay_url;
use crate::random;
use crate::report::SyncReport;

use finish::Finishing;
use receive::Receiving;
use relays::RoundRelays;
use requests::{Call, Purpose, Requests, http_error, refused_as_older};
use riding::Riding;
use send::Sending;

/// What the driver does next.
#[derive(Debug)]
pub enum Step {
    /// Make these requests (concurrently if it likes) and hand each outcome to
    /// [`Round::handle`].
    Requests(Vec<HttpRequest>),
    /// Save the group durably ([`Group::save`]), then call [`Round::persisted`].
    Persist,
    /// The round is over.
    Done(SyncReport),
}

/// What every phase of a round uses: the clock, the relays it talks to and how they
/// behaved, the requests in flight, the random choice of relays, the report so far.
pub(super) struct Ctx {
    now_ms: u64,
    me: MemberId,
    relays: RoundRelays,
    requests: Requests,
    /// Requests made while handling answers (next listing pages): sent before anything
    /// else.
    queued: Vec<HttpRequest>,
    /// What rides with the listings (status, acks), and what they answered.
    riding: Riding,
    rng: u64,
    report: SyncReport,
}

impl Ctx {
    /// A uniform choice in `0..n`. xorshift64: relay choice only spreads load, it guards
    /// nothing.
    fn pick(&mut self, n: usize) -> usize {
        self.rng ^= self.rng << 13;
        self.rng ^= self.rng >> 7;
        self.rng ^= self.rng << 17;
        (self.rng % n.max(1) as u64) as usize
    }
}

/// What a phase wants next.
enum Poll {
    /// Send these; the phase is asked again once every answer is in.
    Requests(Vec<HttpRequest>),
    /// Save the group, then ask the phase again.
    Persist,
    /// The phase is over.
    Over,
}

enum Phase {
    Sending(Sending),
    Receiving(Receiving),
    Finishing(Finishing),
    Done,
}

/// A sync round in progress.
///
/// Call order: [`Round::new`], then [`Round::next`] until it returns [`Step::Done`]:
/// after [`Step::Requests`] hand every outcome to [`Round::handle`] (an unanswered
/// request counts as failed when `next` is called again); after [`Step::Persist`] save
/// the group and call [`Round::persisted`].
pub struct Round {
    ctx: Ctx,
    phase: Phase,
    awaiting_persist: bool,
}

impl Round {
    /// Starts a round at `now_ms`.
    pub fn new(group: &mut Group, now_ms: u64) -> Self {
        let seed = random::<8>().map_or(now_ms | 1, u64::from_le_bytes) | 1;
        let mut relays = RoundRelays::new(group.keyring().current().start);
        for url in group.pull_endpoints(now_ms) {
            relays.add(group, &url);
        }
        // Relays whose pushed shares did not authenticate since the last round.
        for (url, why) in group.offers.take_tampering() {
            relays.mark_tampering(&url, why);
        }
        Self {
            ctx: Ctx {
                now_ms,
                me: group.me(),
                relays,
                requests: Requests::default(),
                queued: Vec::new(),
                riding: Riding::default(),
                rng: seed,
                report: SyncReport::default(),
            },
            phase: Phase::Sending(Sending::default()),
            awaiting_persist: false,
        }
    }

    /// The saved state is durable: go on.
    pub fn persisted(&mut self) {
        self.awaiting_persist = false;
    }

    /// What to do next.
    #[must_use]
    pub fn next(&mut self, group: &mut Group) -> Step {
        loop {
            if self.awaiting_persist {
                return Step::Persist;
            }
            if !self.ctx.queued.is_empty() {
                return Step::Requests(std::mem::take(&mut self.ctx.queued));
            }
            let unanswered = self.ctx.requests.unanswered();
            if !unanswered.is_empty() {
                // The driver asked again without answering every request: count the
                // unanswered ones as failed rather than wait forever.
                for id in unanswered {
                    self.handle(group, id, Outcome::Failed("no answer".into()));
                }
                continue;
            }
            let ctx = &mut self.ctx;
            let poll = match &mut self.phase {
                Phase::Sending(p) => p.poll(ctx, group),
                Phase::Receiving(p) => p.poll(ctx, group),
                Phase::Finishing(p) => p.poll(ctx, group),
                Phase::Done => return Step::Done(self.report(group)),
            };
            match poll {
                Poll::Requests(requests) => return Step::Requests(requests),
                Poll::Persist => self.awaiting_persist = true,
                Poll::Over => {
                    self.phase = match self.phase {
                        Phase::Sending(_) => {
                            // Acks owed for batches opened from pushed shares ride with
                            // the listings: saved first, as every ack is before it goes.
                            let offered = group.offers.take_acks();
                            self.awaiting_persist = group.inbox.owe_acks(offered);
                            self.ctx.riding = Riding::prepare(&self.ctx, group);
                            Phase::Receiving(Receiving::new(&self.ctx))
                        }
                        Phase::Receiving(_) => Phase::Finishing(Finishing::default()),
                        Phase::Finishing(_) | Phase::Done => Phase::Done,
                    }
                }
            }
        }
    }

    fn report(&self, group: &mut Group) -> SyncReport {
        let mut report = self.ctx.report.clone();
        report
            .relays
            .retain(|r| !r.url.is_empty() || r.error.is_some());
        report.relays.extend(self.ctx.relays.report());
        report.pending = group.outbox.pending().to_vec();
        report.kept_aside = group.take_kept_aside_now();
        report
    }

    /// Hands the outcome of request `id` to the round.
    pub fn handle(&mut self, group: &mut Group, id: u64, outcome: Outcome) {
        let Some((purpose, newer)) = self.ctx.requests.answered(id) else {
            return;
        };
        if let Purpose::List(url) = &purpose {
            self.ctx.riding.dropped_unless_ok(url, &outcome);
        }
        if newer && refused_as_older(&purpose, &outcome) {
            // Older relay: it knows the route but not this form. The older form there
            // from now on, this request again at once.
            let url = purpose.relay().to_string();
            if let Purpose::List(_) | Purpose::Status(..) | Purpose::Ack(..) = purpose {
                group.relays.plain_listing(relay_url(&url));
                self.ctx.relays.plain_listing(&url);
            } else {
                group.relays.classic_only(relay_url(&url));
                self.ctx.relays.classic_only(&url);
            }
            self.ask_again(group, purpose);
            return;
        }
        if let (Purpose::Fetch { relay, sid }, Outcome::Response { status, .. }) =
            (&purpose, &outcome)
            && *status < 500
        {
            group.inbox.fetch_answered(relay, *sid);
        }
        let body = match outcome {
            Outcome::Failed(why) => {
                self.ctx.relays.mark_down(purpose.relay(), why);
                self.failed(&purpose);
                return;
            }
            Outcome::Response { status, body } if (200..300).contains(&status) => body,
            Outcome::Response { status, body } => {
                if status == 404 && forgot_group(&purpose, &body) {
                    // Forgetful relay: it lost the group (its Durable Object state, or an
                    // idle group it removed). Register again and put every share again,
                    // from the next round on; for this round it is down.
                    let url = purpose.relay().to_string();
                    group.relays.forgotten(&url);
                    group.outbox.unput_at(&url);
                    self.ctx.relays.mark_down(
                        &url,
                        "the relay forgot the group; it is registered again next round".into(),
                    );
                    self.failed(&purpose);
                    return;
                }
                if let (410, Purpose::Put { batch, .. }) = (status, &purpose) {
                    // The relay's ceiling on re-puts: these ids are spent, the batch goes
                    // out again under new ones. No fault of the relay's.
                    group.retire_batch(batch);
                    self.failed(&purpose);
                    return;
                }
                // A share that is not there (any more) is no fault of the relay's.
                let gone =
                    status == 404 && matches!(purpose, Purpose::Fetch { .. } | Purpose::Delete(..));
                if let (true, Purpose::Delete(url, sid)) = (gone, &purpose) {
                    group.outbox.deleted(url, *sid);
                }
                let busy = status == 503 || status == 429;
                if !gone && !busy {
                    self.ctx
                        .relays
                        .mark_down(purpose.relay(), http_error(status, &body));
                }
                self.failed(&purpose);
                return;
            }
        };
        match purpose {
            Purpose::Register(url) => group.relays.registered(url),
            Purpose::Put { batch, share, .. } => group.outbox.put_done(&batch, share),
            Purpose::Delete(url, sid) => group.outbox.deleted(&url, sid),
            Purpose::Ack(url, sids) => group.inbox.acked(&url, &sids),
            Purpose::List(url) => {
                if let Ok(list) = serde_json::from_slice(&body) {
                    self.ctx.riding.listed(group, &url, &list);
                }
                if let Phase::Receiving(p) = &mut self.phase {
                    p.listed(&mut self.ctx, &url, &body);
                }
            }
            Purpose::Fetch { relay, sid } => {
                if let Phase::Receiving(p) = &mut self.phase {
                    p.fetched(&mut self.ctx, group, &relay, sid, &body);
                }
            }
            Purpose::Status(url, _) => {
                if let Phase::Finishing(p) = &mut self.phase {
                    p.statuses(&url, &body);
                }
            }
        }
    }

    /// Makes a share request again (in the form its relay takes now), to be sent next.
    fn ask_again(&mut self, group: &mut Group, purpose: Purpose) {
        let ctx = &mut self.ctx;
        let again = match &purpose {
            Purpose::Put { batch, share, .. } => send::put(ctx, group, batch.clone(), *share),
            Purpose::Fetch { relay, sid } => receive::fetch_request(ctx, relay, *sid),
            Purpose::Delete(relay, sid) => finish::delete(ctx, group, relay.clone(), *sid),
            Purpose::List(relay) => riding::list_request(ctx, relay, None),
            Purpose::Status(relay, sids) => ctx.relays.up(relay).map(|keys| {
                let call = Call::status(keys, sids, false);
                ctx.requests
                    .make(Purpose::Status(relay.clone(), sids.clone()), call)
            }),
            Purpose::Ack(relay, sids) => ctx.relays.up(relay).map(|keys| {
                let call = Call::ack(
                    keys,
                    &ctx.me,
                    sids,
                    receive::receipts(group, &ctx.me, sids),
                    false,
                );
                ctx.requests
                    .make(Purpose::Ack(relay.clone(), sids.clone()), call)
            }),
            Purpose::Register(_) => None,
        };
        match again {
            Some(request) => self.ctx.queued.push(request),
            None => self.failed(&purpose),
        }
    }

    fn failed(&mut self, purpose: &Purpose) {
        if let (Purpose::Fetch { relay, sid }, Phase::Receiving(p)) = (purpose, &mut self.phase) {
            p.fetch_failed(relay, *sid);
        }
    }
}

/// Whether a 404 says the relay does not know the group: on a route that needs only the
/// group (list, put, ack, status), or on a share route when its code says so
/// (`unknown_group`; relays before that code said "group not found" in the message).
fn forgot_group(purpose: &Purpose, body: &[u8]) -> bool {
    match purpose {
        Purpose::Register(_) => false,
        Purpose::List(_) | Purpose::Put { .. } | Purpose::Ack(..) | Purpose::Status(..) => true,
        Purpose::Fetch { .. } | Purpose::Delete(..) => {
            let said = http_error(404, body);
            said.starts_with("HTTP 404 unknown_group") || said.contains("group not found")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gfms_protocol::ShareId;

    /// Adversary: a relay that forgot the group (idle removal, lost storage). A share
    /// route's 404 must still lead to registering again, whether the relay speaks the
    /// `unknown_group` code or an older relay's "group not found" message; a missing
    /// share alone must not.
    #[test]
    fn a_share_route_404_means_a_forgotten_group_only_when_the_relay_says_so() {
        let delete = Purpose::Delete("r".into(), ShareId::from_bytes([1; 16]));
        let new = br#"{"error":"unknown_group","message":"no group under this id; register it"}"#;
        let old = br#"{"error":"not_found","message":"group not found"}"#;
        let share = br#"{"error":"not_found","message":"share not found"}"#;
        assert!(forgot_group(&delete, new));
        assert!(forgot_group(&delete, old));
        assert!(!forgot_group(&delete, share));
        assert!(!forgot_group(&delete, b"not json"));
    }
}
