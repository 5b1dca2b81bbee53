//! What rides with a round's listing (issue 17): at a relay that takes a `POST`
//! listing, its first page carries the status of this device's own shares there and
//! the acks owed there, so a round makes one request per relay where it made up to
//! three (list, status, acks). The answer's status goes to the finish phase, which asks
//! `POST …/status` only for what no listing answered; acks the answer took are no longer
//! owed, and the receive phase acks the rest as before. A relay older than the `POST`
//! listing answers it 405: the round lists again with a `GET`, and status and acks go
//! in their own requests, as before.
//!
//! The ack's rules are unchanged: only acks owed before the round are carried, and
//! those are saved (an earlier round's acks were saved before it first sent them; the
//! acks of batches opened from pushed shares are saved before the listing, see
//! [`super::Round::next`]); the relay checks the acker as for `POST …/acks`.

use std::collections::BTreeMap;

use gfms_protocol::{ListRequest, ListResponse, ShareId, ShareStatus};

use super::Ctx;
use super::receive::receipts;
use super::requests::{Call, IDS_PER_REQUEST, Purpose};
use crate::Group;
use crate::http::{HttpRequest, Outcome};

/// What the round's listings carry and what they answered.
#[derive(Default)]
pub(super) struct Riding {
    /// Per endpoint: what its first listing page carries, until it is sent.
    ready: BTreeMap<String, ListRequest>,
    /// Per endpoint: what its first listing page carried, until it is answered.
    sent: BTreeMap<String, ListRequest>,
    /// The statuses the listings answered, per (endpoint, share id).
    statuses: BTreeMap<(String, ShareId), ShareStatus>,
}

impl Riding {
    /// For each endpoint of the round that takes a `POST` listing: the status of this
    /// device's shares there and the acks owed there (a request's worth of each; the
    /// rest goes as before).
    pub(super) fn prepare(ctx: &Ctx, group: &mut Group) -> Self {
        let mut ready: BTreeMap<String, ListRequest> = BTreeMap::new();
        let posted = |url: &str| ctx.relays.posted(url) && ctx.relays.is_up(url);
        let mut own: BTreeMap<String, Vec<ShareId>> = BTreeMap::new();
        for b in group.outbox.batches() {
            for s in b.shares.iter().filter(|s| posted(&s.relay)) {
                own.entry(s.relay.clone()).or_default().push(s.share_id);
            }
        }
        for (url, sids) in own {
            if sids.len() <= IDS_PER_REQUEST {
                ready.entry(url).or_default().status = sids;
            }
        }
        let owed = group.inbox.acks_by_relay(|url| ctx.relays.contains(url));
        for (url, sids) in owed.into_iter().filter(|(url, _)| posted(url)) {
            let chunk = &sids[..sids.len().min(IDS_PER_REQUEST)];
            let entry = ready.entry(url).or_default();
            entry.receipts = receipts(group, &ctx.me, chunk);
            entry.acks = chunk.to_vec();
        }
        Self {
            ready,
            ..Self::default()
        }
    }

    /// A relay answered a listing: keep the statuses it carries for the shares asked,
    /// and the acks it took are no longer owed. A relay that left a part out (or an
    /// answer for another page) changes nothing: the round asks as before.
    pub(super) fn listed(&mut self, group: &mut Group, url: &str, list: &ListResponse) {
        let Some(sent) = self.sent.remove(url) else {
            return;
        };
        if let Some(statuses) = &list.status {
            for s in statuses.iter().filter(|s| sent.status.contains(&s.id)) {
                self.statuses.insert((url.to_string(), s.id), s.clone());
            }
        }
        if list.acks.is_some() && !sent.acks.is_empty() {
            group.inbox.acked(url, &sent.acks);
        }
    }

    /// A listing not answered with success: what it carried goes as before.
    pub(super) fn dropped_unless_ok(&mut self, url: &str, outcome: &Outcome) {
        if !matches!(
            outcome,
            Outcome::Response {
                status: 200..=299,
                ..
            }
        ) {
            self.sent.remove(url);
        }
    }

    /// Whether a listing answered the status of `sid` at `url`.
    pub(super) fn covers(&self, url: &str, sid: ShareId) -> bool {
        self.statuses.contains_key(&(url.to_string(), sid))
    }

    /// The statuses the listings answered, for the finish phase.
    pub(super) fn take_statuses(&mut self) -> BTreeMap<(String, ShareId), ShareStatus> {
        std::mem::take(&mut self.statuses)
    }
}

/// A listing request to `url` (a page of it): a `POST` carrying what rides with the
/// first page where the relay takes one, else a `GET`.
pub(super) fn list_request(ctx: &mut Ctx, url: &str, cursor: Option<&str>) -> Option<HttpRequest> {
    let form = (ctx.relays.posted(url), ctx.relays.simple_posts(url));
    let riding = match (cursor, form.0) {
        (None, true) => ctx.riding.ready.remove(url).unwrap_or_default(),
        _ => ListRequest::default(),
    };
    let call = Call::list(ctx.relays.up(url)?, &ctx.me, cursor, riding.clone(), form);
    if cursor.is_none() && form.0 {
        ctx.riding.sent.insert(url.to_string(), riding);
    }
    Some(ctx.requests.make(Purpose::List(url.to_string()), call))
}
