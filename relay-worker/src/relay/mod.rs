//! One group's relay: every route's behaviour over the storage traits of [`store`], so
//! it runs the same in the Durable Object and natively in tests (where the interleaving
//! of concurrent requests at KV calls is chosen by a seeded scheduler).
//!
//! The one rule every method keeps: decide and write the index first, then write or read
//! the bytes (treated as external IO), then read the index again before deciding
//! anything more. Byte keys carry a generation that only one storing put ever writes, so
//! a late write or delete of bytes can never touch bytes another request relies on.

mod ack;
mod fetch;
mod put;
mod records;
pub mod store;
mod sweep;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;

use gfms_protocol::{
    AckRequest, AckResponse, Limits, ListRequest, ListResponse, MemberId, RegisterRequest, ShareId,
    StatusResponse, Token,
};

use crate::RelayError;
use crate::auth::verify;
use crate::group::{GroupMeta, register};
use crate::listing::{PageQuery, page};
use crate::share::unknown_status;
use store::{Blobs, Index, Push};

/// The relay as one group sees it.
pub struct Relay<'a, I, B, P> {
    index: &'a I,
    blobs: &'a B,
    push: &'a P,
    limits: Limits,
    kv_prefix: String,
}

/// Whether a registration created the group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Registered {
    /// It did (201).
    Created,
    /// The group existed with this token hash (200).
    Existing,
}

impl<'a, I: Index, B: Blobs, P: Push> Relay<'a, I, B, P> {
    /// The relay for the group whose KV keys start with `kv_prefix` (the Durable
    /// Object's id, so the alarm, which has no request, finds them too).
    pub fn new(index: &'a I, blobs: &'a B, push: &'a P, limits: Limits, kv_prefix: String) -> Self {
        Self {
            index,
            blobs,
            push,
            limits,
            kv_prefix,
        }
    }

    /// Registers the group, or confirms an earlier identical registration. `admit` is
    /// asked only when the group would be created (the registration rate limit).
    pub async fn register(
        &self,
        req: &RegisterRequest,
        required_key: Option<&str>,
        admit: impl AsyncFnOnce() -> Result<bool, RelayError>,
        now: u64,
    ) -> Result<Registered, RelayError> {
        if register(self.group().await?.as_ref(), req, required_key, now)?.is_none() {
            return Ok(Registered::Existing);
        }
        if !admit().await? {
            return Err(RelayError::RateLimited);
        }
        // The admission was external IO: decide again on fresh state.
        match register(self.group().await?.as_ref(), req, required_key, now)? {
            None => Ok(Registered::Existing),
            Some(group) => {
                self.save_group(&group).await?;
                self.schedule(group.idle_deadline(&self.limits)).await?;
                Ok(Registered::Created)
            }
        }
    }

    /// Checks the token of a request to an existing group (as the request brought it,
    /// or why it brought none) and records the activity. Unknown group: 404
    /// `unknown_group`, before the token, which the relay cannot check without a group.
    pub async fn authenticate(
        &self,
        token: Result<Token, RelayError>,
        now: u64,
    ) -> Result<GroupMeta, RelayError> {
        let mut group = self.group().await?.ok_or(RelayError::UnknownGroup)?;
        verify(&group.token_sha256, &token?)?;
        if group.touch(now, &self.limits) {
            self.save_group(&group).await?;
            self.schedule(group.idle_deadline(&self.limits)).await?;
        }
        Ok(group)
    }

    /// One page of the live shares `member` has not fetched.
    pub async fn list(
        &self,
        member: &MemberId,
        query: PageQuery,
        now: u64,
    ) -> Result<ListResponse, RelayError> {
        Ok(page(self.held_records().await?, member, now, query))
    }

    /// A `POST` listing (issue 17): records `member`'s acks first (so the page leaves
    /// them out), then one page, then the status of the shares it names — the answers
    /// of `POST …/acks`, `GET …/shares` and `POST …/status` in one.
    pub async fn list_with(
        &self,
        member: &MemberId,
        req: ListRequest,
        query: PageQuery,
        now: u64,
    ) -> Result<ListResponse, RelayError> {
        let acks = if req.acks.is_empty() {
            AckResponse::default()
        } else {
            let ack = AckRequest {
                member: *member,
                shares: req.acks,
                receipts: req.receipts,
            };
            self.ack(ack, now).await?
        };
        let mut answer = self.list(member, query, now).await?;
        answer.status = Some(self.status(&req.status, now).await?.shares);
        answer.acks = Some(acks);
        Ok(answer)
    }

    /// Counters, lists and receipts of each requested share, in request order.
    pub async fn status(&self, ids: &[ShareId], now: u64) -> Result<StatusResponse, RelayError> {
        let mut shares = Vec::with_capacity(ids.len());
        for (id, found) in ids.iter().zip(self.records_with_receipts(ids).await?) {
            shares.push(match found {
                Some((record, receipts)) => {
                    let mut status = record.status(now);
                    status.receipts = receipts;
                    status
                }
                None => unknown_status(*id),
            });
        }
        Ok(StatusResponse { shares })
    }

    /// The limits in force.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }
}
