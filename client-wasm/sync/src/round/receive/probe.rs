//! Finding which batches the unknown shares listed at the relays belong to. Share ids
//! are keyed per relay, so one fetched header names its batch and, the ids being derived
//! from the batch id, where that batch's other shares are; nothing else does.
//!
//! Two waves, whatever the number of new batches, when every relay lists each of them:
//! the probe fetches a slice of each relay's unknown shares (one round trip); then, in
//! the gathering's first wave, the sweep fetches what is still unknown at `k` relays. Every batch the probe named has its shares there
//! resolved (gathered as any batch), so what is left unknown at a relay is, but for a
//! share listed at one relay only, exactly the shares of batches no probe named: fetched
//! at `k` relays, each such batch has its `k` shares in that one wave, and no fetch is
//! spent on a header alone. The fetched shares all count toward their batch's `k`.

use gfms_protocol::ShareId;

use super::{Receiving, fetch_request};
use crate::http::HttpRequest;
use crate::round::Ctx;

/// The unresolved shares probed at one relay: what a browser (and the native driver)
/// keeps in flight to one host, so the probe costs one round trip.
const PROBE_SLICE: usize = 6;

impl Receiving {
    /// Fetches unresolved shares spread over the relays that have some: at most `most`
    /// of them (the longest list of unresolved shares, about one per new batch, as many
    /// as probing one relay would fetch), a slice of [`PROBE_SLICE`] from each relay in
    /// turn from one chosen at random: a few shares come from one relay (its whole list:
    /// slices from several could name the same batch and leave another unnamed), a
    /// newcomer's dozens cost one round trip (six at each relay), not one relay's worth;
    /// the sweep fetches the rest with the gathering. Each header read names its batch and so
    /// resolves the batch's shares at the other relays; what is still unresolved is
    /// swept in the next wave, with the gathering ([`Receiving::sweep`]). Empty when no
    /// relay has any left.
    pub(super) fn probe(&mut self, ctx: &mut Ctx) -> Vec<HttpRequest> {
        loop {
            let candidates: Vec<String> = self
                .listings
                .iter()
                .filter(|(u, l)| ctx.relays.is_up(u) && !l.unresolved.is_empty())
                .map(|(u, _)| u.clone())
                .collect();
            if candidates.is_empty() {
                return Vec::new();
            }
            let most = candidates
                .iter()
                .filter_map(|u| self.listings.get(u))
                .map(|l| l.unresolved.len())
                .max()
                .unwrap_or(0);
            let each = PROBE_SLICE;
            let start = ctx.pick(candidates.len());
            let mut budget = most;
            let mut out = Vec::new();
            for url in candidates.iter().cycle().skip(start).take(candidates.len()) {
                let Some(listing) = self.listings.get_mut(url) else {
                    continue;
                };
                // Share ids are keyed per relay: the first ones are a random slice, and
                // slices at different relays are independent of each other.
                let slice: Vec<ShareId> = listing
                    .unresolved
                    .iter()
                    .take(each.min(budget))
                    .copied()
                    .collect();
                budget -= slice.len();
                for sid in slice {
                    listing.unresolved.remove(&sid);
                    out.extend(fetch_request(ctx, url, sid));
                }
            }
            // A relay that made no request (down meanwhile) is left out of the next try.
            if !out.is_empty() {
                return out;
            }
        }
    }

    /// Fetches every share still unresolved at the `k` relays that list the most of them
    /// (`k` the largest threshold among the batches found this round; every such relay
    /// when none was found): after the probe, those are the shares of batches no probe
    /// named, so each of them has `k` shares at once (one more wave for a batch whose
    /// share at one of them is missing: it is gathered as any). A relay's unresolved
    /// shares left unswept are resolved by what the sweep names, or swept in the next
    /// gathering wave (its begun batches saved first). Empty after an ordinary round's
    /// probe, which read one relay's whole list.
    pub(super) fn sweep(&mut self, ctx: &mut Ctx) -> Vec<HttpRequest> {
        let mut candidates: Vec<(usize, String)> = self
            .listings
            .iter()
            .filter(|(u, l)| ctx.relays.is_up(u) && !l.unresolved.is_empty())
            .map(|(u, l)| (l.unresolved.len(), u.clone()))
            .collect();
        if candidates.is_empty() {
            return Vec::new();
        }
        // The longest lists first; equal ones in an order chosen at random.
        let start = ctx.pick(candidates.len());
        candidates.rotate_left(start);
        candidates.sort_by_key(|c| std::cmp::Reverse(c.0));
        let k = self
            .incoming
            .values()
            .map(|i| usize::from(i.k()))
            .max()
            .unwrap_or(candidates.len());
        let mut out = Vec::new();
        for (_, url) in candidates.into_iter().take(k) {
            let Some(listing) = self.listings.get_mut(&url) else {
                continue;
            };
            let all: Vec<ShareId> = std::mem::take(&mut listing.unresolved)
                .into_iter()
                .collect();
            for sid in all {
                out.extend(fetch_request(ctx, &url, sid));
            }
        }
        out
    }
}
