//! `GET /shares/{sid}?member=M`: the bytes, counted once per member.

use gfms_protocol::{MemberId, ShareBody, ShareId, encode_data};

use super::Relay;
use super::store::{Blobs, Index, Push};
use crate::RelayError;
use crate::share::digest;

impl<I: Index, B: Blobs, P: Push> Relay<'_, I, B, P> {
    /// Serves a live share to an addressee and counts the fetch.
    pub async fn fetch(
        &self,
        id: ShareId,
        member: MemberId,
        now: u64,
    ) -> Result<ShareBody, RelayError> {
        let cap = self.limits.max_members_per_group;
        let record = self
            .record(&id)
            .await?
            .ok_or(RelayError::NotFound("share"))?;
        record.check_fetch(&member, now)?;
        // Refuse a fetch that could not be counted before reading any bytes.
        record.clone().record_fetch(member, cap)?;
        let bytes = self.blobs.get(&self.kv_key(&id, record.generation)).await?;
        // Read again: the share may have been deleted, completed or refreshed meanwhile.
        let mut current = self
            .record(&id)
            .await?
            .filter(|r| r.generation == record.generation)
            .ok_or(RelayError::NotFound("share"))?;
        current.check_fetch(&member, now)?;
        // Known to the index but not (yet, or not these) bytes in KV: retry, never "gone".
        let bytes = bytes
            .filter(|b| digest(b) == current.sha256)
            .ok_or(RelayError::Retry("the share's bytes are not readable yet"))?;
        if current.record_fetch(member, cap)? {
            self.save_record(&current).await?;
        }
        Ok(ShareBody {
            id,
            data: encode_data(&bytes),
            expires_at: current.expires_at,
        })
    }
}
