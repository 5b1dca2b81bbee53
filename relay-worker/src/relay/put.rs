//! `PUT /shares/{sid}`: decide, reserve, write the bytes, then commit on fresh state.
//!
//! A put of other bytes racing a put that already decided is refused (409) before it
//! writes anything; the winner's bytes go to a KV key only it writes. So a put answered
//! 409 can never be the last write of the winner's bytes (issue 13 #11).

use gfms_protocol::{
    DeleteReason, MAX_INLINE_PUSH_BYTES, PushEvent, PutShareRequest, PutShareResponse, ShareId,
    decode_data, encode_data,
};

use super::Relay;
use super::store::{Audience, Blobs, Index, Push};
use crate::RelayError;
use crate::put_plan::{Put, PutPlan, StoreEnd, commit_store, plan_put, released};
use crate::share::{ShareRecord, digest};

impl<I: Index, B: Blobs, P: Push> Relay<'_, I, B, P> {
    /// Stores (or refreshes) a share. Answers the HTTP status with the body.
    pub async fn put(
        &self,
        id: ShareId,
        req: PutShareRequest,
        now: u64,
    ) -> Result<(u16, PutShareResponse), RelayError> {
        let bytes = decode_data(&req.data)
            .ok_or_else(|| RelayError::BadRequest("data is not unpadded base64url".into()))?;
        let group = self.group().await?.ok_or(RelayError::UnknownGroup)?;
        let existing = self.record(&id).await?;
        let put = Put {
            id,
            sha256: digest(&bytes),
            size: bytes.len() as u64,
            recipients: req.recipients,
        };
        match plan_put(&group, existing.as_ref(), put, now, &self.limits)? {
            PutPlan::Refresh { record } => self.refresh(record, &bytes, now).await,
            PutPlan::Store {
                record,
                group,
                stale,
            } => {
                self.save_record(&record).await?;
                self.save_group(&group).await?;
                self.store(record, &bytes, stale, now).await
            }
            PutPlan::Complete {
                record,
                mut group,
                stale,
            } => {
                self.save_record(&record).await?;
                self.save_group(&group).await?;
                self.trim_retained(&mut group).await?;
                self.schedule_forget(&record).await?;
                if let Some(generation) = stale {
                    self.push
                        .push(&deleted(id, DeleteReason::Acked), Audience::All);
                    let _ = self.drop_bytes(&[self.kv_key(&id, generation)]).await;
                }
                Ok((200, complete(id)))
            }
        }
    }

    async fn refresh(
        &self,
        planned: ShareRecord,
        bytes: &[u8],
        now: u64,
    ) -> Result<(u16, PutShareResponse), RelayError> {
        let key = self.kv_key(&planned.id, planned.generation);
        // The same bytes again under the same key, so KV keeps them as long as the index.
        self.blobs
            .put(&key, bytes, Self::kv_ttl(planned.expires_at, now))
            .await?;
        let current = self.record(&planned.id).await?;
        let Some(mut record) =
            current.filter(|r| r.generation == planned.generation && r.is_live(now))
        else {
            // Deleted or expired while we wrote: the bytes just written are nobody's.
            let _ = self.drop_bytes(&[key]).await;
            return Err(RelayError::Retry("the share changed while it was stored"));
        };
        // Others may have fetched or acked meanwhile: apply only what this put changes.
        record.put_at = planned.put_at;
        record.expires_at = record.expires_at.max(planned.expires_at);
        record.recipients = planned.recipients;
        if record.is_complete() {
            return self.let_go_now(record, now).await;
        }
        self.save_record(&record).await?;
        self.schedule(record.expires_at).await?;
        self.announce(&record, bytes);
        Ok((
            200,
            PutShareResponse {
                id: record.id,
                expires_at: record.expires_at,
                created: false,
                complete: false,
            },
        ))
    }

    async fn store(
        &self,
        planned: ShareRecord,
        bytes: &[u8],
        stale: Option<u64>,
        now: u64,
    ) -> Result<(u16, PutShareResponse), RelayError> {
        let id = planned.id;
        let key = self.kv_key(&id, planned.generation);
        let mut unused: Vec<String> = stale.map(|g| self.kv_key(&id, g)).into_iter().collect();
        let written = self
            .blobs
            .put(&key, bytes, Self::kv_ttl(planned.expires_at, now))
            .await;
        let current = self.record(&id).await?;
        if let Err(e) = written {
            // KV refused: give the reservation up (if it is still ours) and say retry.
            if let StoreEnd::Live(mut record) | StoreEnd::Complete(mut record) =
                commit_store(current.as_ref(), planned.generation, now)
            {
                record.let_go(now);
                self.release(&record).await?;
            }
            unused.push(key);
            let _ = self.drop_bytes(&unused).await;
            return Err(e);
        }
        match commit_store(current.as_ref(), planned.generation, now) {
            StoreEnd::Live(record) => {
                self.save_record(&record).await?;
                self.schedule(record.expires_at).await?;
                let _ = self.drop_bytes(&unused).await;
                self.announce(&record, bytes);
                Ok((
                    201,
                    PutShareResponse {
                        id,
                        expires_at: record.expires_at,
                        created: true,
                        complete: false,
                    },
                ))
            }
            StoreEnd::Complete(record) => {
                self.release(&record).await?;
                unused.push(key);
                let _ = self.drop_bytes(&unused).await;
                Ok((200, complete(id)))
            }
            StoreEnd::Lost => {
                unused.push(key);
                let _ = self.drop_bytes(&unused).await;
                Err(RelayError::Retry("the share changed while it was stored"))
            }
        }
    }

    /// A live record that became complete: its bytes go now.
    async fn let_go_now(
        &self,
        mut record: ShareRecord,
        now: u64,
    ) -> Result<(u16, PutShareResponse), RelayError> {
        record.let_go(now);
        self.release(&record).await?;
        self.push
            .push(&deleted(record.id, DeleteReason::Acked), Audience::All);
        let _ = self
            .drop_bytes(&[self.kv_key(&record.id, record.generation)])
            .await;
        Ok((200, complete(record.id)))
    }

    /// Saves a record that just let go of its bytes and frees them in the group.
    pub(super) async fn release(&self, record: &ShareRecord) -> Result<(), RelayError> {
        self.save_record(record).await?;
        if let Some(group) = self.group().await? {
            let mut group = released(&group, record);
            self.save_group(&group).await?;
            self.trim_retained(&mut group).await?;
        }
        self.schedule_forget(record).await
    }

    pub(super) async fn schedule_forget(&self, record: &ShareRecord) -> Result<(), RelayError> {
        let retention_ms = self.limits.receipt_retention_seconds.saturating_mul(1000);
        match record.forget_at(retention_ms) {
            Some(at) => self.schedule(at).await,
            None => Ok(()),
        }
    }

    /// Tells the share's addressees it is there, with its bytes when they are small
    /// (docs/protocol.md, the push socket). An inline delivery is not counted as a fetch:
    /// the relay cannot know a socket got it, and the share stays listed to the member
    /// until it fetches or acks it, so a lost push loses nothing.
    fn announce(&self, record: &ShareRecord, bytes: &[u8]) {
        let to = if record.recipients.is_empty() {
            Audience::All
        } else {
            Audience::Members(&record.recipients)
        };
        let bytes = (bytes.len() <= MAX_INLINE_PUSH_BYTES).then(|| encode_data(bytes));
        self.push.push(
            &PushEvent::SharePut {
                id: record.id,
                bytes,
            },
            to,
        );
    }
}

pub(super) fn deleted(id: ShareId, reason: DeleteReason) -> PushEvent {
    PushEvent::ShareDeleted {
        id,
        reason: Some(reason),
    }
}

fn complete(id: ShareId) -> PutShareResponse {
    PutShareResponse {
        id,
        expires_at: 0,
        created: false,
        complete: true,
    }
}
