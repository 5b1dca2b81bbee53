//! One sync round, sans-IO: push what is new, pull what arrived, re-send what a relay
//! lost, delete what every member has. The round says which HTTP requests to make
//! ([`Step::Requests`], all of a step may run at once), when to save
//! ([`Step::Persist`]), and ends with a [`SyncReport`]. The driver carries the bytes.
//!
//! Order: seal unsent events into the outbox (save: the write-ahead record) → register
//! with new relays → put shares not yet put → list new shares at each pull relay → fetch
//! to learn which batch each unknown share belongs to (share ids are derived from the
//! batch id, so one header names the batch's shares everywhere) → fetch more shares
//! from relays chosen at random until `k` authenticate → merge, save → ack → seal and
//! put a snapshot if a member joined → ask every relay for the status of every
//! outgoing share → delete complete batches, re-put lost copies → save.

use std::collections::{BTreeMap, BTreeSet};

use gfms_ledger::{EventBody, MemberId};
use gfms_protocol::{
    AckRequest, ListResponse, PutShareRequest, RegisterRequest, ShareBody, ShareId, ShareStatus,
    StatusRequest, StatusResponse, decode_data, paths,
};
use gfms_seal::{BatchId, RelayKeys, SharePart, open_batch, read_header};

use crate::completeness::{RelayStatus, acked_now, assess};
use crate::group::{Group, random};
use crate::http::{HttpRequest, Method, Outcome};
use crate::outbox::Payload;
use crate::report::{PendingBatch, RelayHealth, RelayReport, SyncReport};

/// Ids per ack or status request (the relays' `max_ids_per_request`).
const IDS_PER_REQUEST: usize = 256;
/// Listing pages followed per relay and round.
const MAX_LIST_PAGES: usize = 20;

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Phase {
    Seal,
    Register,
    Put,
    List,
    Probe,
    Gather,
    SaveMerged,
    Ack,
    Snapshot,
    SnapshotPut,
    Status,
    Finish,
    SaveEnd,
    Done,
}

#[derive(Debug)]
enum Purpose {
    Register(String),
    Put { batch: String, share: usize },
    List(String),
    Fetch { relay: String, sid: ShareId },
    Ack(String, Vec<ShareId>),
    Status(String),
    Delete(String, ShareId),
}

struct RelayCtx {
    keys: RelayKeys,
    down: Option<String>,
    tampering: Option<String>,
    listed: BTreeSet<ShareId>,
    /// Unknown listed shares still to fetch to learn their batch.
    unresolved: BTreeSet<ShareId>,
    probed: bool,
    /// Shares fetched here (acked once their batch is stored).
    fetched: Vec<(ShareId, BatchId)>,
}

struct Incoming {
    k: u8,
    parts: Vec<SharePart>,
    /// Relays listing the batch whose share is not fetched yet: (relay, share id).
    available: Vec<(String, ShareId)>,
    /// Relays not listing it for this member (it fetched there before without
    /// completing the batch, or the copy is not there): tried when `available` runs out.
    fallback: Vec<(String, ShareId)>,
    inflight: usize,
    opened: bool,
    /// Needs one more share (the first `k` did not authenticate).
    wants_more: bool,
}

/// A sync round in progress.
pub struct Round {
    now_ms: u64,
    me: MemberId,
    /// Relay URLs in the order first seen: a share's `relay_index` points in here.
    order: Vec<String>,
    /// Fetches drawn for a known batch: (relay, share) → batch.
    drawn: BTreeMap<(String, ShareId), BatchId>,
    /// Requests made while handling responses (next listing pages).
    extra: Vec<HttpRequest>,
    phase: Phase,
    awaiting_persist: bool,
    next_id: u64,
    inflight: BTreeMap<u64, Purpose>,
    relays: BTreeMap<String, RelayCtx>,
    incoming: BTreeMap<BatchId, Incoming>,
    statuses: BTreeMap<(String, ShareId), ShareStatus>,
    list_pages: BTreeMap<String, usize>,
    rng: u64,
    merged: bool,
    resolved: bool,
    gather_saved: bool,
    outbox_changed: bool,
    report: SyncReport,
}

impl Round {
    /// Starts a round at `now_ms`.
    pub fn new(group: &mut Group, now_ms: u64) -> Self {
        let seed = random::<8>().map_or(now_ms | 1, u64::from_le_bytes) | 1;
        let mut round = Self {
            now_ms,
            me: group.me,
            order: Vec::new(),
            drawn: BTreeMap::new(),
            extra: Vec::new(),
            phase: Phase::Seal,
            awaiting_persist: false,
            next_id: 1,
            inflight: BTreeMap::new(),
            relays: BTreeMap::new(),
            incoming: BTreeMap::new(),
            statuses: BTreeMap::new(),
            list_pages: BTreeMap::new(),
            rng: seed,
            merged: false,
            resolved: false,
            gather_saved: false,
            outbox_changed: false,
            report: SyncReport::default(),
        };
        for url in group.pull_relays() {
            round.relay_ctx(group, &url);
        }
        round
    }

    /// The context of a relay, created on first use.
    fn relay_ctx(&mut self, group: &Group, url: &str) -> Option<&mut RelayCtx> {
        if !self.relays.contains_key(url) {
            let keys = group.relay_keys(url).ok()?;
            self.order.push(url.to_string());
            self.relays.insert(
                url.to_string(),
                RelayCtx {
                    keys,
                    down: None,
                    tampering: None,
                    listed: BTreeSet::new(),
                    unresolved: BTreeSet::new(),
                    probed: false,
                    fetched: Vec::new(),
                },
            );
        }
        self.relays.get_mut(url)
    }

    fn is_up(&self, url: &str) -> bool {
        self.relays.get(url).is_some_and(|r| r.down.is_none())
    }

    fn pick(&mut self, n: usize) -> usize {
        // xorshift64: relay choice only spreads load, it guards nothing.
        self.rng ^= self.rng << 13;
        self.rng ^= self.rng >> 7;
        self.rng ^= self.rng << 17;
        (self.rng % n.max(1) as u64) as usize
    }

    fn request(
        &mut self,
        purpose: Purpose,
        method: Method,
        url: String,
        token: Option<String>,
        body: Option<Vec<u8>>,
    ) -> HttpRequest {
        let id = self.next_id;
        self.next_id += 1;
        self.inflight.insert(id, purpose);
        let mut headers = Vec::new();
        if let Some(t) = token {
            headers.push(("authorization".to_string(), format!("Bearer {t}")));
        }
        if body.is_some() {
            headers.push(("content-type".to_string(), "application/json".to_string()));
        }
        HttpRequest {
            id,
            method,
            url,
            headers,
            body,
        }
    }

    /// The saved state is durable: go on.
    pub fn persisted(&mut self) {
        self.awaiting_persist = false;
    }

    /// What to do next.
    pub fn next(&mut self, group: &mut Group) -> Step {
        loop {
            if self.awaiting_persist {
                return Step::Persist;
            }
            if !self.extra.is_empty() {
                return Step::Requests(std::mem::take(&mut self.extra));
            }
            if !self.inflight.is_empty() {
                // The driver asked again without answering every request: count the
                // unanswered ones as failed rather than wait forever.
                let ids: Vec<u64> = self.inflight.keys().copied().collect();
                for id in ids {
                    self.handle(group, id, Outcome::Failed("no answer".into()));
                }
                continue;
            }
            let requests = match self.phase {
                Phase::Seal | Phase::Snapshot => {
                    let made = group.seal_outbox(self.now_ms).unwrap_or_else(|e| {
                        self.report.relays.push(RelayReport {
                            url: String::new(),
                            health: RelayHealth::Down,
                            error: Some(format!("could not seal: {e}")),
                        });
                        0
                    });
                    self.report.sent_batches += made;
                    self.advance();
                    if made > 0 {
                        self.awaiting_persist = true;
                    }
                    continue;
                }
                Phase::Register => self.register(group),
                Phase::Put | Phase::SnapshotPut => self.put(group),
                Phase::List => self.list(group),
                Phase::Probe => {
                    if !self.resolved {
                        self.resolved = true;
                        self.resolve_listed(group);
                        if !group.fetching.is_empty() {
                            // A fetch counts at the relay and hides the share from this
                            // member's listing: note what is about to be fetched first,
                            // so a crash before the merge does not lose track of it.
                            self.awaiting_persist = true;
                            continue;
                        }
                    }
                    self.probe()
                }
                Phase::Gather if !self.gather_saved => {
                    self.gather_saved = true;
                    if !group.partial.is_empty() {
                        self.awaiting_persist = true;
                    }
                    continue;
                }
                Phase::Gather => self.gather(group),
                Phase::SaveMerged => {
                    // The acks owed go into the saved state with what they acknowledge:
                    // a crash before they are sent must not lose them (the fetched
                    // shares are not listed to this member again).
                    let owed: Vec<(String, ShareId)> = self
                        .relays
                        .iter()
                        .flat_map(|(url, ctx)| {
                            ctx.fetched
                                .iter()
                                .filter(|(_, b)| group.has_seen(b))
                                .map(|(sid, _)| (url.clone(), *sid))
                                .collect::<Vec<_>>()
                        })
                        .collect();
                    let new_acks = owed.iter().any(|a| !group.acks.contains(a));
                    group.acks.extend(owed);
                    self.advance();
                    if self.merged || new_acks {
                        self.awaiting_persist = true;
                    }
                    continue;
                }
                Phase::Ack => self.ack(group),
                Phase::Status => self.status(group),
                Phase::Finish => {
                    // Save the verdicts (acks seen, complete batches gone from the outbox)
                    // before deleting or re-putting anything.
                    let requests = self.finish(group);
                    self.extra.extend(requests);
                    self.awaiting_persist = true;
                    self.advance();
                    continue;
                }
                Phase::SaveEnd => {
                    // Every fetch was merged, noted as a partial batch, or not counted.
                    group.fetching.clear();
                    group.last_sync_ms = self.now_ms;
                    group.prune_seen(self.now_ms);
                    self.advance();
                    self.awaiting_persist = true;
                    continue;
                }
                Phase::Done => return Step::Done(self.final_report(group)),
            };
            // Probe and gather go on while they find more to fetch; every other phase
            // asks once and moves on when its answers are in.
            let repeats = matches!(self.phase, Phase::Probe | Phase::Gather);
            if requests.is_empty() || !repeats {
                self.advance();
            }
            if !requests.is_empty() {
                return Step::Requests(requests);
            }
        }
    }

    fn advance(&mut self) {
        self.phase = match self.phase {
            Phase::Seal => Phase::Register,
            Phase::Register => Phase::Put,
            Phase::Put => Phase::List,
            Phase::List => Phase::Probe,
            Phase::Probe => Phase::Gather,
            Phase::Gather => Phase::SaveMerged,
            Phase::SaveMerged => Phase::Ack,
            Phase::Ack => Phase::Snapshot,
            Phase::Snapshot => Phase::SnapshotPut,
            Phase::SnapshotPut => Phase::Status,
            Phase::Status => Phase::Finish,
            Phase::Finish => Phase::SaveEnd,
            Phase::SaveEnd | Phase::Done => Phase::Done,
        };
    }

    fn mark_down(&mut self, url: &str, why: String) {
        if let Some(r) = self.relays.get_mut(url) {
            r.down.get_or_insert(why);
        }
    }

    fn mark_tampering(&mut self, url: &str, why: &str) {
        if let Some(r) = self.relays.get_mut(url) {
            r.tampering.get_or_insert_with(|| why.to_string());
        }
    }

    // --- push -----------------------------------------------------------------------

    fn register(&mut self, group: &mut Group) -> Vec<HttpRequest> {
        let mut urls: Vec<String> = group.pull_relays();
        for b in &group.outbox {
            for s in &b.shares {
                if !urls.contains(&s.relay) {
                    urls.push(s.relay.clone());
                }
            }
        }
        let mut out = Vec::new();
        for url in urls {
            if group.registered.contains(&url) {
                continue;
            }
            let Some(ctx) = self.relay_ctx(group, &url) else {
                continue;
            };
            let body = RegisterRequest {
                token_sha256: ctx.keys.token_sha256(),
                registration_key: group.registration_key(&url),
            };
            let target = format!("{url}{}", paths::group(&ctx.keys.group_id));
            let body = serde_json::to_vec(&body).ok();
            out.push(self.request(Purpose::Register(url), Method::Post, target, None, body));
        }
        out
    }

    fn put(&mut self, group: &mut Group) -> Vec<HttpRequest> {
        let mut todo = Vec::new();
        for b in &group.outbox {
            for (i, s) in b.shares.iter().enumerate() {
                if !s.put {
                    todo.push((
                        b.batch_id.clone(),
                        i,
                        s.relay.clone(),
                        s.share_id,
                        s.data.clone(),
                    ));
                }
            }
        }
        let mut out = Vec::new();
        for (batch, share, relay, sid, data) in todo {
            if let Some(req) = self.put_request(group, batch, share, &relay, sid, data) {
                out.push(req);
            }
        }
        out
    }

    fn put_request(
        &mut self,
        group: &Group,
        batch: String,
        share: usize,
        relay: &str,
        sid: ShareId,
        data: String,
    ) -> Option<HttpRequest> {
        let ctx = self.relay_ctx(group, relay)?;
        if ctx.down.is_some() {
            return None;
        }
        let url = format!("{relay}{}", paths::share(&ctx.keys.group_id, &sid));
        let token = ctx.keys.token.to_string();
        // No recipient list: the relay keeps the share until the sender deletes it or
        // it expires, so the sender can always read every ack (strict rule).
        let body = serde_json::to_vec(&PutShareRequest {
            data,
            recipients: Vec::new(),
        })
        .ok();
        Some(self.request(
            Purpose::Put { batch, share },
            Method::Put,
            url,
            Some(token),
            body,
        ))
    }

    // --- pull -----------------------------------------------------------------------

    fn list(&mut self, group: &mut Group) -> Vec<HttpRequest> {
        let me = group.me;
        let urls: Vec<String> = self.relays.keys().cloned().collect();
        let mut out = Vec::new();
        for url in urls {
            if let Some(req) = self.list_request(&url, &me, None) {
                out.push(req);
            }
        }
        out
    }

    fn list_request(
        &mut self,
        url: &str,
        me: &MemberId,
        cursor: Option<&str>,
    ) -> Option<HttpRequest> {
        let ctx = self.relays.get(url)?;
        if ctx.down.is_some() {
            return None;
        }
        let mut target = format!(
            "{url}{}?member={}",
            paths::shares(&ctx.keys.group_id),
            ctx.keys.member_pseudonym(&me.0)
        );
        if let Some(c) = cursor {
            target.push_str("&cursor=");
            target.push_str(c);
        }
        let token = ctx.keys.token.to_string();
        Some(self.request(
            Purpose::List(url.to_string()),
            Method::Get,
            target,
            Some(token),
            None,
        ))
    }

    /// After listing: which listed shares are new to this device.
    fn resolve_listed(&mut self, group: &mut Group) {
        let own: BTreeSet<(String, ShareId)> = group
            .outbox
            .iter()
            .flat_map(|b| b.shares.iter().map(|s| (s.relay.clone(), s.share_id)))
            .collect();
        let seen: Vec<BatchId> = group
            .seen
            .keys()
            .filter_map(|h| {
                let mut b = [0u8; 16];
                hex::decode_to_slice(h, &mut b).ok().map(|_| b)
            })
            .collect();
        // Batches begun in an earlier round (a share fetched, too few to open): their
        // share ids everywhere are known, listed or not.
        for (hex_id, (k, _)) in &group.partial {
            let mut batch = [0u8; 16];
            if hex::decode_to_slice(hex_id, &mut batch).is_err() || group.has_seen(&batch) {
                continue;
            }
            let (mut available, mut fallback) = (Vec::new(), Vec::new());
            for (url, ctx) in self.relays.iter_mut() {
                let sid = ctx.keys.share_id(&batch);
                if ctx.listed.remove(&sid) {
                    available.push((url.clone(), sid));
                } else {
                    fallback.push((url.clone(), sid));
                }
            }
            self.incoming.insert(
                batch,
                Incoming {
                    k: *k,
                    parts: Vec::new(),
                    available,
                    fallback,
                    inflight: 0,
                    opened: false,
                    wants_more: false,
                },
            );
        }
        for (url, ctx) in self.relays.iter_mut() {
            let known: BTreeMap<ShareId, BatchId> =
                seen.iter().map(|b| (ctx.keys.share_id(b), *b)).collect();
            // A listed share of a batch already stored here: ack it again. The sender may
            // have lost the earlier ack (a crash, a copy that expired and was re-put).
            for sid in &ctx.listed {
                if let Some(b) = known.get(sid) {
                    ctx.fetched.push((*sid, *b));
                }
            }
            // Shares an interrupted round fetched (no longer listed to this member).
            let interrupted = group
                .fetching
                .iter()
                .filter(|(u, _)| u == url)
                .map(|(_, sid)| *sid);
            ctx.unresolved = ctx
                .listed
                .iter()
                .copied()
                .chain(interrupted)
                .filter(|sid| !known.contains_key(sid) && !own.contains(&(url.clone(), *sid)))
                .collect();
        }
        group.fetching = self
            .relays
            .iter()
            .flat_map(|(url, ctx)| ctx.unresolved.iter().map(|sid| (url.clone(), *sid)))
            .collect();
    }

    fn fetch_request(&mut self, relay: &str, sid: ShareId, me: &MemberId) -> Option<HttpRequest> {
        let ctx = self.relays.get(relay)?;
        if ctx.down.is_some() {
            return None;
        }
        let target = format!(
            "{relay}{}?member={}",
            paths::share(&ctx.keys.group_id, &sid),
            ctx.keys.member_pseudonym(&me.0)
        );
        let token = ctx.keys.token.to_string();
        Some(self.request(
            Purpose::Fetch {
                relay: relay.to_string(),
                sid,
            },
            Method::Get,
            target,
            Some(token),
            None,
        ))
    }

    /// Fetches every unresolved share of one relay (chosen at random among those with
    /// some); each header read names its batch and so resolves the batch's shares at
    /// the other relays.
    fn probe(&mut self) -> Vec<HttpRequest> {
        loop {
            let candidates: Vec<String> = self
                .relays
                .iter()
                .filter(|(_, r)| r.down.is_none() && !r.probed && !r.unresolved.is_empty())
                .map(|(u, _)| u.clone())
                .collect();
            if candidates.is_empty() {
                return Vec::new();
            }
            let url = candidates[self.pick(candidates.len())].clone();
            let Some(ctx) = self.relays.get_mut(&url) else {
                return Vec::new();
            };
            ctx.probed = true;
            let sids: Vec<ShareId> = std::mem::take(&mut ctx.unresolved).into_iter().collect();
            let me = self.me;
            let out: Vec<HttpRequest> = sids
                .into_iter()
                .filter_map(|sid| self.fetch_request(&url, sid, &me))
                .collect();
            if !out.is_empty() {
                return out;
            }
        }
    }

    /// Fetches more shares for batches with fewer than `k` (or whose first `k` did not
    /// authenticate), from relays chosen at random among those that list the batch.
    fn gather(&mut self, group: &mut Group) -> Vec<HttpRequest> {
        self.open_ready(group);
        let me = group.me;
        let batches: Vec<BatchId> = self.incoming.keys().copied().collect();
        let mut out = Vec::new();
        for b in batches {
            let Some(inc) = self.incoming.get(&b) else {
                continue;
            };
            if inc.opened {
                continue;
            }
            let have = inc.parts.len() + inc.inflight;
            let mut need = usize::from(inc.k).saturating_sub(have);
            if inc.wants_more && inc.inflight == 0 {
                need = need.max(1);
            }
            let mut chosen = Vec::new();
            for _ in 0..need {
                let up = |list: &Vec<(String, ShareId)>| -> Vec<(String, ShareId)> {
                    list.iter()
                        .filter(|(u, _)| self.is_up(u))
                        .cloned()
                        .collect()
                };
                let mut avail = up(&self.incoming[&b].available);
                if avail.is_empty() {
                    avail = up(&self.incoming[&b].fallback);
                }
                if avail.is_empty() {
                    break;
                }
                let pick = avail[self.pick(avail.len())].clone();
                if let Some(inc) = self.incoming.get_mut(&b) {
                    inc.available.retain(|a| *a != pick);
                    inc.fallback.retain(|a| *a != pick);
                    inc.inflight += 1;
                    inc.wants_more = false;
                }
                chosen.push(pick);
            }
            for (relay, sid) in chosen {
                match self.fetch_request(&relay, sid, &me) {
                    Some(req) => {
                        self.drawn.insert((relay, sid), b);
                        out.push(req);
                    }
                    None => {
                        if let Some(inc) = self.incoming.get_mut(&b) {
                            inc.inflight = inc.inflight.saturating_sub(1);
                        }
                    }
                }
            }
        }
        out
    }

    /// Opens every batch that has `k` shares; merges it.
    fn open_ready(&mut self, group: &mut Group) {
        let ready: Vec<BatchId> = self
            .incoming
            .iter()
            .filter(|(_, i)| !i.opened && i.inflight == 0 && i.parts.len() >= usize::from(i.k))
            .map(|(b, _)| *b)
            .collect();
        for b in ready {
            let Some(inc) = self.incoming.get_mut(&b) else {
                continue;
            };
            match open_batch(&group.keys, &inc.parts) {
                Ok(opened) => {
                    inc.opened = true;
                    let bad: Vec<String> = opened
                        .bad_relays
                        .iter()
                        .filter_map(|i| self.order.get(*i).cloned())
                        .collect();
                    for url in bad {
                        self.mark_tampering(&url, "a share does not combine with the others");
                    }
                    self.accept(group, &b, &opened.plaintext);
                }
                Err(_) => {
                    // Some share lies: fetch another, if any relay has one.
                    inc.wants_more = true;
                    if inc.available.is_empty() && inc.fallback.is_empty() {
                        inc.opened = true; // give up this round
                        let urls: Vec<String> = inc
                            .parts
                            .iter()
                            .filter_map(|p| self.order.get(p.relay_index).cloned())
                            .collect();
                        for url in urls {
                            self.mark_tampering(&url, "shares do not authenticate");
                        }
                    }
                }
            }
        }
    }

    fn accept(&mut self, group: &mut Group, batch: &BatchId, plaintext: &[u8]) {
        group.seen.insert(hex::encode(batch), self.now_ms);
        group.partial.remove(&hex::encode(batch));
        self.merged = true;
        let Ok(payload) = serde_json::from_slice::<Payload>(plaintext) else {
            return;
        };
        let me = group.me;
        // Only a member that already had the group's history answers newcomers: a device
        // that just joined learns everyone at once and has nothing of its own to give.
        let established = group.is_member() && group.state().settings.is_some();
        let fresh: Vec<MemberId> = payload
            .events
            .iter()
            .filter_map(|e| match e.body {
                EventBody::MemberJoined { member, .. } if member != me => Some(member),
                _ => None,
            })
            .filter(|m| !group.state().members.contains_key(m))
            .collect();
        let report = group.merge(payload.events);
        self.report.received_batches += 1;
        self.report.received_events += report.added;
        // Every established member sends its whole ledger to a member it learns of, even
        // if someone else's snapshot came first: that one holds only what its sender had,
        // and events this device wrote before it knew the newcomer reached no one else.
        if established {
            group.snapshot_for.extend(fresh);
        }
    }

    fn ack(&mut self, group: &mut Group) -> Vec<HttpRequest> {
        let me = group.me;
        // Acks owed to relays the group no longer uses are dropped.
        group.acks.retain(|(url, _)| self.relays.contains_key(url));
        let mut by_relay: BTreeMap<String, Vec<ShareId>> = BTreeMap::new();
        for (url, sid) in &group.acks {
            by_relay.entry(url.clone()).or_default().push(*sid);
        }
        let mut out = Vec::new();
        for (url, sids) in by_relay {
            let Some(ctx) = self.relays.get(&url) else {
                continue;
            };
            if ctx.down.is_some() {
                continue;
            }
            let member = ctx.keys.member_pseudonym(&me.0);
            let target = format!("{url}{}", paths::acks(&ctx.keys.group_id));
            let token = ctx.keys.token.to_string();
            for chunk in sids.chunks(IDS_PER_REQUEST) {
                let body = serde_json::to_vec(&AckRequest {
                    member,
                    shares: chunk.to_vec(),
                    receipts: Vec::new(),
                })
                .ok();
                out.push(self.request(
                    Purpose::Ack(url.clone(), chunk.to_vec()),
                    Method::Post,
                    target.clone(),
                    Some(token.clone()),
                    body,
                ));
            }
        }
        out
    }

    // --- completeness -------------------------------------------------------------------

    fn status(&mut self, group: &mut Group) -> Vec<HttpRequest> {
        let mut by_relay: BTreeMap<String, Vec<ShareId>> = BTreeMap::new();
        for b in &group.outbox {
            for s in &b.shares {
                by_relay
                    .entry(s.relay.clone())
                    .or_default()
                    .push(s.share_id);
            }
        }
        let mut out = Vec::new();
        for (url, sids) in by_relay {
            let Some(ctx) = self.relay_ctx(group, &url) else {
                continue;
            };
            if ctx.down.is_some() {
                continue;
            }
            let target = format!("{url}{}", paths::status(&ctx.keys.group_id));
            let token = ctx.keys.token.to_string();
            for chunk in sids.chunks(IDS_PER_REQUEST) {
                let body = serde_json::to_vec(&StatusRequest {
                    shares: chunk.to_vec(),
                })
                .ok();
                out.push(self.request(
                    Purpose::Status(url.clone()),
                    Method::Post,
                    target.clone(),
                    Some(token.clone()),
                    body,
                ));
            }
        }
        out
    }

    /// Assesses every outgoing batch: deletes complete ones everywhere, re-puts lost
    /// copies of the others.
    fn finish(&mut self, group: &mut Group) -> Vec<HttpRequest> {
        let recipients = group.recipients();
        let knows_group = group.state().settings.is_some();
        let mut out = Vec::new();
        let mut views = Vec::new();
        let mut done = Vec::new();
        let batches = group.outbox.clone();
        for b in &batches {
            let mut relays = Vec::with_capacity(b.shares.len());
            for s in &b.shares {
                let status = self.statuses.get(&(s.relay.clone(), s.share_id)).cloned();
                let pseudonyms = match group.relay_keys(&s.relay) {
                    Ok(keys) => recipients
                        .iter()
                        .map(|m| (*m, keys.member_pseudonym(&m.0)))
                        .collect(),
                    Err(_) => BTreeMap::new(),
                };
                relays.push(RelayStatus { status, pseudonyms });
            }
            let mut acked = b.acked.clone();
            acked.extend(acked_now(&recipients, &relays));
            if let Some(stored) = group.outbox.iter_mut().find(|o| o.batch_id == b.batch_id) {
                stored.acked = acked.clone();
            }
            let mut verdict = assess(&recipients, b.k, &relays).with_earlier_acks(&acked);
            if !knows_group {
                // A device that just joined does not know the members yet: its batches
                // are never complete, and lost copies are put again.
                verdict.complete = false;
                verdict.reput = relays
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| r.status.as_ref().is_none_or(|s| !s.live))
                    .map(|(i, _)| i)
                    .collect();
            }
            if verdict.complete {
                done.push(b.batch_id.clone());
                self.report.completed_batches += 1;
                // Deleted now where the relay answers, later where it does not: the
                // list is saved with the group.
                group
                    .deletes
                    .extend(b.shares.iter().map(|s| (s.relay.clone(), s.share_id)));
                continue;
            }
            for &i in &verdict.reput {
                let s = &b.shares[i];
                if let Some(req) = self.put_request(
                    group,
                    b.batch_id.clone(),
                    i,
                    &s.relay,
                    s.share_id,
                    s.data.clone(),
                ) {
                    self.report.reput_shares += 1;
                    out.push(req);
                }
            }
            views.push(PendingBatch {
                batch_id: b.batch_id.clone(),
                events: b.events,
                created_ms: b.created_ms,
                sum_s: verdict.sum_s,
                target: verdict.target,
                missing: verdict.missing.clone(),
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
        if !done.is_empty() {
            group.outbox.retain(|b| !done.contains(&b.batch_id));
            self.outbox_changed = true;
        }
        group.pending_view = views;
        let deletes: Vec<(String, ShareId)> = group.deletes.iter().cloned().collect();
        for (relay, sid) in deletes {
            if let Some(req) = self.delete_request(group, &relay, sid) {
                out.push(req);
            }
        }
        out
    }

    fn delete_request(&mut self, group: &Group, relay: &str, sid: ShareId) -> Option<HttpRequest> {
        let ctx = self.relay_ctx(group, relay)?;
        if ctx.down.is_some() {
            return None;
        }
        let url = format!("{relay}{}", paths::share(&ctx.keys.group_id, &sid));
        let token = ctx.keys.token.to_string();
        Some(self.request(
            Purpose::Delete(relay.to_string(), sid),
            Method::Delete,
            url,
            Some(token),
            None,
        ))
    }

    fn final_report(&self, group: &Group) -> SyncReport {
        let mut report = self.report.clone();
        report
            .relays
            .retain(|r| !r.url.is_empty() || r.error.is_some());
        for (url, ctx) in &self.relays {
            let (health, error) = if let Some(t) = &ctx.tampering {
                (RelayHealth::Tampering, Some(t.clone()))
            } else if let Some(d) = &ctx.down {
                (RelayHealth::Down, Some(d.clone()))
            } else {
                (RelayHealth::Up, None)
            };
            report.relays.push(RelayReport {
                url: url.clone(),
                health,
                error,
            });
        }
        report.pending = group.pending_view.clone();
        report
    }

    // --- responses ----------------------------------------------------------------------

    /// Hands the outcome of request `id` to the round.
    pub fn handle(&mut self, group: &mut Group, id: u64, outcome: Outcome) {
        let Some(purpose) = self.inflight.remove(&id) else {
            return;
        };
        let relay = match &purpose {
            Purpose::Register(u)
            | Purpose::List(u)
            | Purpose::Ack(u, _)
            | Purpose::Status(u)
            | Purpose::Delete(u, _)
            | Purpose::Fetch { relay: u, .. } => u.clone(),
            Purpose::Put { batch, share } => group
                .outbox
                .iter()
                .find(|b| &b.batch_id == batch)
                .and_then(|b| b.shares.get(*share))
                .map(|s| s.relay.clone())
                .unwrap_or_default(),
        };
        let (status, body) = match outcome {
            Outcome::Failed(why) => {
                self.mark_down(&relay, why);
                self.fetch_failed(&purpose);
                return;
            }
            Outcome::Response { status, body } => (status, body),
        };
        let ok = (200..300).contains(&status);
        if !ok {
            let gone =
                status == 404 && matches!(purpose, Purpose::Fetch { .. } | Purpose::Delete(..));
            if let (true, Purpose::Delete(url, sid)) = (gone, &purpose) {
                group.deletes.remove(&(url.clone(), *sid));
            }
            let busy = status == 503 || status == 429;
            if !gone && !busy {
                self.mark_down(&relay, http_error(status, &body));
            }
            self.fetch_failed(&purpose);
            return;
        }
        match purpose {
            Purpose::Register(url) => {
                group.registered.insert(url);
            }
            Purpose::Put { batch, share } => {
                if let Some(s) = group
                    .outbox
                    .iter_mut()
                    .find(|b| b.batch_id == batch)
                    .and_then(|b| b.shares.get_mut(share))
                {
                    s.put = true;
                }
            }
            Purpose::List(url) => self.listed(group, &url, &body),
            Purpose::Fetch { relay, sid } => self.fetched(group, &relay, sid, &body),
            Purpose::Status(url) => {
                if let Ok(r) = serde_json::from_slice::<StatusResponse>(&body) {
                    for s in r.shares {
                        self.statuses.insert((url.clone(), s.id), s);
                    }
                }
            }
            Purpose::Delete(url, sid) => {
                group.deletes.remove(&(url, sid));
            }
            Purpose::Ack(url, sids) => {
                for sid in sids {
                    group.acks.remove(&(url.clone(), sid));
                }
            }
        }
    }

    fn fetch_failed(&mut self, purpose: &Purpose) {
        if let Purpose::Fetch { relay, sid } = purpose
            && let Some(b) = self.drawn.remove(&(relay.clone(), *sid))
            && let Some(inc) = self.incoming.get_mut(&b)
        {
            inc.inflight = inc.inflight.saturating_sub(1);
            inc.wants_more = true;
        }
    }

    fn listed(&mut self, group: &Group, url: &str, body: &[u8]) {
        let Ok(list) = serde_json::from_slice::<ListResponse>(body) else {
            self.mark_down(url, "listing is not JSON of the expected shape".into());
            return;
        };
        if let Some(ctx) = self.relays.get_mut(url) {
            ctx.listed.extend(list.shares.iter().map(|s| s.id));
        }
        let pages = self.list_pages.entry(url.to_string()).or_insert(0);
        *pages += 1;
        let more = *pages < MAX_LIST_PAGES;
        match list.next_cursor {
            Some(cursor) if more => {
                let me = group.me;
                if let Some(req) = self.list_request(url, &me, Some(&cursor)) {
                    self.extra.push(req);
                }
            }
            _ => {}
        }
    }

    fn fetched(&mut self, group: &mut Group, relay: &str, sid: ShareId, body: &[u8]) {
        let drawn_for = self.drawn.remove(&(relay.to_string(), sid));
        if let Some(inc) = drawn_for.and_then(|b| self.incoming.get_mut(&b)) {
            inc.inflight = inc.inflight.saturating_sub(1);
        }
        let blob = serde_json::from_slice::<ShareBody>(body)
            .ok()
            .and_then(|b| decode_data(&b.data));
        let Some(blob) = blob else {
            self.mark_tampering(relay, "a share is not base64 in JSON");
            return;
        };
        let Some(ctx) = self.relays.get(relay) else {
            return;
        };
        let relay_index = self.order.iter().position(|u| u == relay).unwrap_or(0);
        let Ok((header, y)) = read_header(&ctx.keys, &sid, &blob) else {
            self.mark_tampering(relay, "a share header does not authenticate");
            if let Some(inc) = drawn_for.and_then(|b| self.incoming.get_mut(&b)) {
                inc.wants_more = true;
            }
            return;
        };
        let batch = header.batch_id;
        if let Some(ctx) = self.relays.get_mut(relay) {
            ctx.fetched.push((sid, batch));
        }
        if header.sender == group.me.0 || group.has_seen(&batch) {
            return;
        }
        if drawn_for.is_some_and(|b| b != batch) {
            self.mark_tampering(relay, "a share belongs to another batch");
            return;
        }
        let part = SharePart {
            relay_index,
            header,
            y: y.to_vec(),
        };
        if let Some(inc) = self.incoming.get_mut(&batch) {
            if !inc.parts.iter().any(|p| p.relay_index == relay_index) {
                inc.parts.push(part);
            }
            return;
        }
        // A batch seen for the first time: remember it until it opens (a fetched share
        // is not listed again to this member), and find where else it is.
        group
            .partial
            .insert(hex::encode(batch), (header.k, self.now_ms));
        let (mut available, mut fallback) = (Vec::new(), Vec::new());
        for (url, ctx) in self.relays.iter_mut() {
            if url == relay {
                continue;
            }
            let other = ctx.keys.share_id(&batch);
            if ctx.listed.contains(&other) {
                ctx.unresolved.remove(&other);
                available.push((url.clone(), other));
            } else {
                fallback.push((url.clone(), other));
            }
        }
        self.incoming.insert(
            batch,
            Incoming {
                k: header.k,
                parts: vec![part],
                available,
                fallback,
                inflight: 0,
                opened: false,
                wants_more: false,
            },
        );
    }
}

fn http_error(status: u16, body: &[u8]) -> String {
    #[derive(serde::Deserialize)]
    struct Wire {
        error: String,
        #[serde(default)]
        message: String,
    }
    match serde_json::from_slice::<Wire>(body) {
        Ok(w) if w.message.is_empty() => format!("HTTP {status} {}", w.error),
        Ok(w) => format!("HTTP {status} {}: {}", w.error, w.message),
        Err(_) => format!("HTTP {status}"),
    }
}
