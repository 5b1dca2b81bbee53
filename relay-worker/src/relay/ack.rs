//! `POST /acks` and `DELETE /shares/{sid}`: the two ways a share's bytes go early.
//!
//! Both decide and write every index change before any KV call, so of two racing final
//! acks exactly one deletes the bytes and says so.

use std::collections::BTreeMap;

use gfms_protocol::{AckRequest, AckResponse, DeleteReason, PushEvent, Receipt, ShareId};

use super::Relay;
use super::put::deleted;
use super::records::StoredReceipt;
use super::store::{Audience, Blobs, Index, Push};
use crate::RelayError;
use crate::put_plan::released;
use crate::share::AckOutcome;

impl<I: Index, B: Blobs, P: Push> Relay<'_, I, B, P> {
    /// Records a member's acks (and receipts). A share whose named recipients have all
    /// acked lets go of its bytes at once.
    pub async fn ack(&self, req: AckRequest, now: u64) -> Result<AckResponse, RelayError> {
        let ids = distinct(&req.shares);
        let receipts = receipts_by_share(&req, &ids)?;
        let cap = self.limits.max_members_per_group;
        let mut group = self.group().await?.ok_or(RelayError::UnknownGroup)?;
        let mut answer = AckResponse::default();
        let mut gone = Vec::new();
        let mut first_acks = Vec::new();
        for id in ids {
            let Some(mut record) = self.record(&id).await? else {
                answer.unknown.push(id);
                continue;
            };
            let known = record.ackers.contains(&req.member);
            if record.record_ack(req.member, cap) == AckOutcome::Ignored {
                answer.ignored.push(id);
                continue;
            }
            answer.acked.push(id);
            if let Some(receipt) = receipts.get(&id) {
                self.keep_receipt(&id, req.member, receipt).await?;
            }
            let completes = record.is_live(now) && record.is_complete();
            if completes {
                record.let_go(now);
                group = released(&group, &record);
                answer.deleted.push(id);
                gone.push(record.clone());
            }
            if completes || !known {
                self.save_record(&record).await?;
            }
            if !completes && !known {
                first_acks.push(id);
            }
        }
        if !gone.is_empty() {
            self.save_group(&group).await?;
            self.trim_retained(&mut group).await?;
        }
        let mut keys = Vec::with_capacity(gone.len());
        for record in &gone {
            self.schedule_forget(record).await?;
            keys.push(self.kv_key(&record.id, record.generation));
        }
        for record in &gone {
            self.push
                .push(&deleted(record.id, DeleteReason::Acked), Audience::All);
        }
        // The sender (unknown to the relay) learns of the ack without polling: its
        // batch may be delivered now (docs/protocol.md, the push socket).
        for id in first_acks {
            self.push.push(&PushEvent::ShareAcked { id }, Audience::All);
        }
        let _ = self.drop_bytes(&keys).await;
        Ok(answer)
    }

    /// Deletes a share's bytes now; its record stays for the retention time. True if
    /// the relay held (or was storing) bytes for it.
    pub async fn delete(&self, id: ShareId, now: u64) -> Result<bool, RelayError> {
        let Some(mut record) = self.record(&id).await?.filter(|r| r.holds_bytes()) else {
            return Ok(false);
        };
        record.let_go(now);
        self.release(&record).await?;
        self.push
            .push(&deleted(id, DeleteReason::Deleted), Audience::All);
        let _ = self
            .drop_bytes(&[self.kv_key(&id, record.generation)])
            .await;
        Ok(true)
    }

    /// Keeps one receipt per acker: a member's later receipt replaces its earlier one.
    async fn keep_receipt(
        &self,
        id: &ShareId,
        member: gfms_protocol::MemberId,
        receipt: &Receipt,
    ) -> Result<(), RelayError> {
        let mut stored = self.receipts(id).await?;
        match stored.iter_mut().find(|r| r.member == member) {
            Some(r) if r.receipt == *receipt => return Ok(()),
            Some(r) => r.receipt = receipt.clone(),
            None => stored.push(StoredReceipt {
                member,
                receipt: receipt.clone(),
            }),
        }
        self.save_receipts(id, &stored).await
    }
}

/// The requested ids without repeats, in first-seen order: an id acked twice in one
/// request is answered once.
fn distinct(ids: &[ShareId]) -> Vec<ShareId> {
    let mut out: Vec<ShareId> = Vec::with_capacity(ids.len());
    for id in ids {
        if !out.contains(id) {
            out.push(*id);
        }
    }
    out
}

/// Each receipt must name a share the ack lists, at most once.
fn receipts_by_share(
    req: &AckRequest,
    ids: &[ShareId],
) -> Result<BTreeMap<ShareId, Receipt>, RelayError> {
    let mut out = BTreeMap::new();
    for r in &req.receipts {
        if !ids.contains(&r.share) {
            return Err(RelayError::BadRequest(format!(
                "receipt for share {} which the ack does not list",
                r.share
            )));
        }
        if out.insert(r.share, r.receipt.clone()).is_some() {
            return Err(RelayError::BadRequest(format!(
                "two receipts for share {}",
                r.share
            )));
        }
    }
    Ok(out)
}
