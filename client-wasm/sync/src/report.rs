//! What a sync round tells the user: per relay health, per pending batch the paper's
//! counter and who still lacks it.

use gfms_ledger::MemberId;
use serde::{Deserialize, Serialize};

/// One outgoing batch still on its way.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingBatch {
    /// The batch id (hex).
    pub batch_id: String,
    /// Events it carries.
    pub events: usize,
    /// When it was sealed (unix ms).
    pub created_ms: u64,
    /// The paper's counter `Σ s_i` over the relays that answered.
    pub sum_s: u64,
    /// `(m − 1)·k`.
    pub target: u64,
    /// Recipients with no ack at any relay yet.
    pub missing: Vec<MemberId>,
    /// Latest expiry of a live copy (unix ms); 0 when none is known.
    pub expires_at: u64,
    /// Relays whose copy is gone or unreachable: the same bytes are re-put there.
    pub reput: Vec<String>,
}

/// How a relay behaved in a round.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RelayHealth {
    /// Answered as it should.
    Up,
    /// Unreachable or refusing.
    Down,
    /// Served bytes that do not authenticate.
    Tampering,
    /// Reported members as having acked a batch without their signed receipt (or with
    /// one that does not verify): its word is not taken.
    Lying,
}

/// One relay in a round's report.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelayReport {
    /// The relay URL.
    pub url: String,
    /// Its health.
    pub health: RelayHealth,
    /// What went wrong, if anything.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// What one sync round did.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncReport {
    /// New batches sealed and put.
    pub sent_batches: usize,
    /// Batches received and merged.
    pub received_batches: usize,
    /// Events new to this device.
    pub received_events: usize,
    /// Outgoing batches found complete (and deleted at the relays).
    pub completed_batches: usize,
    /// Shares put again where a copy expired or vanished.
    pub reput_shares: usize,
    /// Every relay the round talked to.
    pub relays: Vec<RelayReport>,
    /// Outgoing batches still pending.
    pub pending: Vec<PendingBatch>,
    /// Events that arrived and were kept aside, not applied (a bad or missing signature,
    /// or signed by a member in another's name), with why. Left out when none (and
    /// optional for the app, which builds reports in its tests).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", ts(as = "Option<Vec<crate::KeptAside>>", optional))]
    pub kept_aside: Vec<crate::KeptAside>,
    /// Attachments completed by this round (their bytes wait for `receivedBlob`).
    /// Left out when none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", ts(as = "Option<Vec<String>>", optional))]
    pub received_blobs: Vec<String>,
    /// Attachment chunks that arrived and were dropped (a wrong hash, a changed part
    /// count, oversized, no room), with why. Left out when none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", ts(as = "Option<Vec<String>>", optional))]
    pub dropped_chunks: Vec<String>,
}

impl SyncReport {
    /// Relays that were down or tampering, with why: what a CLI prints as warnings.
    pub fn warnings(&self) -> Vec<String> {
        self.relays
            .iter()
            .filter(|r| r.health != RelayHealth::Up)
            .map(|r| {
                let what = match r.health {
                    RelayHealth::Tampering => "served tampered data",
                    RelayHealth::Lying => "reported acks no member signed",
                    _ => "unreachable",
                };
                match &r.error {
                    Some(e) => format!("relay {} {what}: {e}", r.url),
                    None => format!("relay {} {what}", r.url),
                }
            })
            .chain(self.dropped_chunks.iter().cloned())
            .chain(self.kept_aside.iter().map(|k| {
                let by = k
                    .author
                    .map_or("an unknown member".to_string(), |a| a.to_string());
                format!(
                    "event {} by {by} kept aside: {}",
                    k.event,
                    k.reason.describe()
                )
            }))
            .collect()
    }
}

/// What this device still has to deliver, beside the ledger's state: what the app shows
/// while a member is leaving, and what it cannot read yet.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceView {
    /// This device's member left (or was removed): the group is read-only here.
    pub leaving: bool,
    /// Leaving, and everything this device wrote — its `member_left` included — reached
    /// every member: the group can be deleted from this device.
    pub ready_to_delete: bool,
    /// No other active member is known: a leaving device that is alone is never ready by
    /// itself (offer to delete anyway if nobody else ever joined).
    pub alone: bool,
    /// Events written here and not yet sealed into a batch.
    pub unsent: usize,
    /// Batches on their way.
    pub outbox: usize,
    /// Events from a newer version of GFMS: kept byte for byte, not applied.
    pub newer_events: Vec<gfms_ledger::EventId>,
    /// Batches this version cannot read, kept verbatim until an upgrade reads them.
    pub unread_batches: usize,
    /// Events that arrived and are not applied, with why (a forged or altered signature,
    /// none where one is due, signed by a member in another's name, or by a member whose
    /// card has not arrived yet). Left out when none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", ts(as = "Option<Vec<crate::KeptAside>>", optional))]
    pub kept_aside: Vec<crate::KeptAside>,
    /// Another member removed this device's member: "You were removed from {group} by
    /// {byName}". The group stays here read-only (export it, or delete it). Left out
    /// when not removed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub removed: Option<crate::Removal>,
}
