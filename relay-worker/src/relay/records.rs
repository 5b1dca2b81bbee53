//! Typed access to the index: which key holds what, as JSON.
//!
//! - `group`: the [`GroupMeta`].
//! - `s:<sid>`: records holding bytes (pending, live, expired and not swept yet): what
//!   listing reads, so retained records do not slow it down.
//! - `g:<sid>`: retained records, whose bytes are gone.
//! - `r:<sid>`: a share's receipts, one per acker, read only by status and acks.

use gfms_protocol::{MemberId, Receipt, ShareId};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::Relay;
use super::store::{Blobs, Index, Push};
use crate::RelayError;
use crate::group::GroupMeta;
use crate::share::ShareRecord;

const GROUP: &str = "group";
const HELD: &str = "s:";
const RETAINED: &str = "g:";
const RECEIPTS: &str = "r:";

/// A receipt as stored: who gave it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct StoredReceipt {
    pub member: MemberId,
    pub receipt: Receipt,
}

fn parse<T: DeserializeOwned>(text: &str) -> Result<T, RelayError> {
    serde_json::from_str(text)
        .map_err(|e| RelayError::Unavailable(format!("corrupt index entry: {e}")))
}

fn text<T: Serialize>(value: &T) -> Result<String, RelayError> {
    serde_json::to_string(value).map_err(|e| RelayError::Unavailable(e.to_string()))
}

impl<I: Index, B: Blobs, P: Push> Relay<'_, I, B, P> {
    pub(super) async fn group(&self) -> Result<Option<GroupMeta>, RelayError> {
        self.index
            .get(GROUP)
            .await?
            .as_deref()
            .map(parse)
            .transpose()
    }

    pub(super) async fn save_group(&self, group: &GroupMeta) -> Result<(), RelayError> {
        self.index.put(GROUP, text(group)?).await
    }

    /// The record of a share id, held or retained.
    pub(super) async fn record(&self, id: &ShareId) -> Result<Option<ShareRecord>, RelayError> {
        let keys = [format!("{HELD}{id}"), format!("{RETAINED}{id}")];
        let found = self.index.get_many(&keys).await?;
        found
            .into_iter()
            .flatten()
            .next()
            .as_deref()
            .map(parse)
            .transpose()
    }

    /// Saves a record under the key for its state, removing it from the other.
    pub(super) async fn save_record(&self, record: &ShareRecord) -> Result<(), RelayError> {
        let (key, other) = if record.holds_bytes() {
            (HELD, RETAINED)
        } else {
            (RETAINED, HELD)
        };
        self.index
            .put(&format!("{key}{}", record.id), text(record)?)
            .await?;
        self.index.delete(&format!("{other}{}", record.id)).await
    }

    /// Forgets a record and its receipts.
    pub(super) async fn forget_record(&self, id: &ShareId) -> Result<(), RelayError> {
        for prefix in [HELD, RETAINED, RECEIPTS] {
            self.index.delete(&format!("{prefix}{id}")).await?;
        }
        Ok(())
    }

    /// Every record holding bytes.
    pub(super) async fn held_records(&self) -> Result<Vec<ShareRecord>, RelayError> {
        self.index
            .list(HELD)
            .await?
            .iter()
            .map(|t| parse(t))
            .collect()
    }

    /// Every retained record.
    pub(super) async fn retained_records(&self) -> Result<Vec<ShareRecord>, RelayError> {
        self.index
            .list(RETAINED)
            .await?
            .iter()
            .map(|t| parse(t))
            .collect()
    }

    pub(super) async fn receipts(&self, id: &ShareId) -> Result<Vec<StoredReceipt>, RelayError> {
        let found = self.index.get(&format!("{RECEIPTS}{id}")).await?;
        Ok(found.as_deref().map(parse).transpose()?.unwrap_or_default())
    }

    pub(super) async fn save_receipts(
        &self,
        id: &ShareId,
        receipts: &[StoredReceipt],
    ) -> Result<(), RelayError> {
        self.index
            .put(&format!("{RECEIPTS}{id}"), text(&receipts)?)
            .await
    }

    /// Records and their distinct receipts for many ids at once, in order.
    pub(super) async fn records_with_receipts(
        &self,
        ids: &[ShareId],
    ) -> Result<Vec<Option<(ShareRecord, Vec<Receipt>)>>, RelayError> {
        let keys: Vec<String> = ids
            .iter()
            .flat_map(|id| [HELD, RETAINED, RECEIPTS].map(|p| format!("{p}{id}")))
            .collect();
        let values = self.index.get_many(&keys).await?;
        let mut out = Vec::with_capacity(ids.len());
        for chunk in values.chunks(3) {
            let [held, retained, receipts] = chunk else {
                return Err(RelayError::Unavailable("short answer from storage".into()));
            };
            let Some(record) = held.as_deref().or(retained.as_deref()) else {
                out.push(None);
                continue;
            };
            let record: ShareRecord = parse(record)?;
            let stored: Vec<StoredReceipt> = receipts
                .as_deref()
                .map(parse)
                .transpose()?
                .unwrap_or_default();
            let mut distinct: Vec<Receipt> = Vec::with_capacity(stored.len());
            for r in stored {
                if !distinct.contains(&r.receipt) {
                    distinct.push(r.receipt);
                }
            }
            out.push(Some((record, distinct)));
        }
        Ok(out)
    }

    /// Makes sure the alarm fires by `at`.
    pub(super) async fn schedule(&self, at: u64) -> Result<(), RelayError> {
        if self.index.alarm().await?.is_none_or(|t| t > at) {
            self.index.set_alarm(at).await?;
        }
        Ok(())
    }

    /// The key of a share's bytes in one generation (0: the key from before
    /// generations).
    pub(super) fn kv_key(&self, id: &ShareId, generation: u64) -> String {
        if generation == 0 {
            format!("{}/{id}", self.kv_prefix)
        } else {
            format!("{}/{id}/{generation}", self.kv_prefix)
        }
    }

    /// A backstop expiry for bytes that expire at `expires_at`, for a store that has one
    /// (KV had): a minute past it, and never under 60 s.
    pub(super) fn kv_ttl(expires_at: u64, now: u64) -> u64 {
        (expires_at.saturating_sub(now).div_ceil(1000) + 60).max(60)
    }

    /// Deletes bytes nobody refers to any more. Best effort: a failure here is not
    /// answered; the bytes go with the group at the latest.
    pub(super) async fn drop_bytes(&self, keys: &[String]) -> Result<(), RelayError> {
        let mut first_error = None;
        for key in keys {
            if let Err(e) = self.blobs.delete(key).await {
                first_error.get_or_insert(e);
            }
        }
        first_error.map_or(Ok(()), Err)
    }

    /// Keeps at most `max_shares_per_group` retained records: the oldest go first.
    pub(super) async fn trim_retained(&self, group: &mut GroupMeta) -> Result<(), RelayError> {
        let cap = self.limits.max_shares_per_group as u64;
        if group.retained <= cap {
            return Ok(());
        }
        let mut retained = self.retained_records().await?;
        retained.sort_by_key(|r| (r.forget_at(0).unwrap_or(0), r.id));
        let extra = retained.len().saturating_sub(cap as usize);
        for r in &retained[..extra] {
            self.forget_record(&r.id).await?;
        }
        group.retained = (retained.len() - extra) as u64;
        self.save_group(group).await
    }
}
