//! One share's record and the rules on it: whether its bytes are held, exact expiry,
//! who may fetch it, counting each fetcher once (`s_i`), bounded acker lists, and when a
//! share is complete. A record outlives its bytes for the retention time, so a sender
//! that was away past the TTL still learns who acked; it never holds the bytes
//! themselves, only their SHA-256 (a re-put must bring the same bytes).

use gfms_protocol::{ListedShare, MemberId, ShareId, ShareStatus};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::RelayError;

/// Where a share's bytes are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Held {
    /// A put decided to store them and is writing them to KV (since unix ms). Nobody
    /// can fetch them yet; a put that never finishes is abandoned after
    /// [`PENDING_ABANDONED_MS`].
    Pending {
        /// When the put decided.
        since: u64,
    },
    /// In KV under this record's generation until `expires_at`.
    #[default]
    Live,
    /// Gone (expired, deleted, acked by all) since unix ms; the record stays for the
    /// retention time.
    Gone {
        /// When the bytes went.
        since: u64,
    },
}

/// A put that has not finished storing after this long was lost (its Worker died):
/// another put of the same bytes may take over.
pub const PENDING_ABANDONED_MS: u64 = 30_000;

/// What the group's Durable Object keeps about one share id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareRecord {
    /// The share id.
    pub id: ShareId,
    /// Size of the bytes.
    pub size: u64,
    /// SHA-256 of the bytes, hex: a re-put must bring the same bytes.
    pub sha256: String,
    /// First put of this record, unix ms (0 in records from before this field: use
    /// `put_at`). The lifetime ceiling counts from here.
    #[serde(default)]
    pub created_at: u64,
    /// Last put, unix ms.
    pub put_at: u64,
    /// Expiry of the bytes, unix ms: past it they are never served.
    pub expires_at: u64,
    /// Which KV key holds the bytes: every storing put takes a new generation, so a
    /// late write or delete of an earlier one can never touch these bytes. 0 is the
    /// key of records from before generations.
    #[serde(default)]
    pub generation: u64,
    /// Where the bytes are.
    #[serde(default)]
    pub held: Held,
    /// Who must ack before the bytes are deleted (empty: only the sender deletes them).
    pub recipients: Vec<MemberId>,
    /// Distinct members that fetched it.
    pub fetchers: Vec<MemberId>,
    /// Distinct members that acked it.
    pub ackers: Vec<MemberId>,
}

/// SHA-256 of share bytes, hex.
pub fn digest(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Whether an ack was recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AckOutcome {
    /// Recorded now or earlier.
    Recorded,
    /// Not recorded: not a recipient, or the acker list is full.
    Ignored,
}

impl ShareRecord {
    /// A record for bytes about to be stored, with no history.
    pub fn new(id: ShareId, sha256: String, size: u64, now: u64) -> Self {
        Self {
            id,
            size,
            sha256,
            created_at: now,
            put_at: now,
            expires_at: now,
            generation: 0,
            held: Held::Pending { since: now },
            recipients: Vec::new(),
            fetchers: Vec::new(),
            ackers: Vec::new(),
        }
    }

    /// When the record was first put.
    pub fn born(&self) -> u64 {
        if self.created_at == 0 {
            self.put_at
        } else {
            self.created_at
        }
    }

    /// True while a fetch may be answered with the bytes.
    pub fn is_live(&self, now: u64) -> bool {
        self.held == Held::Live && now < self.expires_at
    }

    /// True if the record accounts for bytes in KV (pending, live, or expired and not
    /// swept yet): they count against the group's quota until the record lets go.
    pub fn holds_bytes(&self) -> bool {
        !matches!(self.held, Held::Gone { .. })
    }

    /// A pending put that will never finish.
    pub fn is_abandoned(&self, now: u64) -> bool {
        matches!(self.held, Held::Pending { since } if now >= since.saturating_add(PENDING_ABANDONED_MS))
    }

    /// When the record itself may be forgotten (`None` while it holds bytes).
    pub fn forget_at(&self, retention_ms: u64) -> Option<u64> {
        match self.held {
            Held::Gone { since } => Some(since.saturating_add(retention_ms)),
            _ => None,
        }
    }

    /// Whether a share is addressed to `member` (a share with no recipient list is
    /// addressed to everyone).
    pub fn is_for(&self, member: &MemberId) -> bool {
        self.recipients.is_empty() || self.recipients.contains(member)
    }

    /// Checks that `member` may fetch the bytes now.
    pub fn check_fetch(&self, member: &MemberId, now: u64) -> Result<(), RelayError> {
        if matches!(self.held, Held::Pending { .. }) && !self.is_abandoned(now) {
            return Err(RelayError::Retry("the share is being stored"));
        }
        if !self.is_live(now) || !self.is_for(member) {
            return Err(RelayError::NotFound("share"));
        }
        Ok(())
    }

    /// Counts a fetch; a member counts once however often it fetches. The list never
    /// grows past `cap`.
    pub fn record_fetch(&mut self, member: MemberId, cap: usize) -> Result<bool, RelayError> {
        if self.fetchers.contains(&member) {
            return Ok(false);
        }
        if self.fetchers.len() >= cap {
            return Err(RelayError::QuotaExceeded(
                "the share already lists max_members_per_group fetchers",
            ));
        }
        self.fetchers.push(member);
        Ok(true)
    }

    /// Records an ack from a member the share is addressed to, bounded by `cap`.
    pub fn record_ack(&mut self, member: MemberId, cap: usize) -> AckOutcome {
        if self.ackers.contains(&member) {
            return AckOutcome::Recorded;
        }
        if !self.is_for(&member) || self.ackers.len() >= cap {
            return AckOutcome::Ignored;
        }
        self.ackers.push(member);
        AckOutcome::Recorded
    }

    /// True once every named recipient has acked: the share is transferred and goes.
    pub fn is_complete(&self) -> bool {
        !self.recipients.is_empty() && self.recipients.iter().all(|r| self.ackers.contains(r))
    }

    /// Whether `member` should see this share in its list: live, neither fetched nor
    /// acked by it yet, and addressed to it. (A member that read the share from a push,
    /// which is no fetch, acks it without fetching: it must not be listed again.)
    pub fn is_new_for(&self, member: &MemberId, now: u64) -> bool {
        self.is_live(now)
            && !self.fetchers.contains(member)
            && !self.ackers.contains(member)
            && self.is_for(member)
    }

    /// The bytes are gone from now on.
    pub fn let_go(&mut self, now: u64) {
        self.held = Held::Gone { since: now };
    }

    /// The entry as listed.
    pub fn listed(&self) -> ListedShare {
        ListedShare {
            id: self.id,
            size: self.size,
            put_at: self.put_at,
            expires_at: self.expires_at,
        }
    }

    /// The counters as the status route reports them (receipts are added by the caller).
    pub fn status(&self, now: u64) -> ShareStatus {
        let live = self.is_live(now);
        ShareStatus {
            id: self.id,
            live,
            fetch_count: self.fetchers.len() as u64,
            fetchers: self.fetchers.clone(),
            ackers: self.ackers.clone(),
            recipients: self.recipients.clone(),
            expires_at: if live { self.expires_at } else { 0 },
            receipts: Vec::new(),
        }
    }
}

/// Status of a share the relay has no record of.
pub fn unknown_status(id: ShareId) -> ShareStatus {
    ShareStatus {
        id,
        live: false,
        fetch_count: 0,
        fetchers: Vec::new(),
        ackers: Vec::new(),
        recipients: Vec::new(),
        expires_at: 0,
        receipts: Vec::new(),
    }
}

/// Sorted, without duplicates.
pub fn dedup(mut members: Vec<MemberId>) -> Vec<MemberId> {
    members.sort();
    members.dedup();
    members
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn m(b: u8) -> MemberId {
        MemberId::from_bytes([b; 16])
    }

    fn share(recipients: Vec<MemberId>) -> ShareRecord {
        let mut s = ShareRecord::new(ShareId::from_bytes([1; 16]), digest(b"bytes"), 5, 1_000);
        s.held = Held::Live;
        s.expires_at = 6_000;
        s.recipients = dedup(recipients);
        s
    }

    #[test]
    fn expiry_is_exact() {
        let s = share(vec![]);
        assert!(s.is_live(5_999));
        assert!(!s.is_live(6_000));
        assert!(!s.status(6_000).live);
        assert_eq!(s.status(6_000).expires_at, 0);
    }

    #[test]
    fn complete_only_when_every_recipient_acked() {
        let mut s = share(vec![m(1), m(2)]);
        assert_eq!(s.record_ack(m(1), 256), AckOutcome::Recorded);
        assert_eq!(
            s.record_ack(m(9), 256),
            AckOutcome::Ignored,
            "not a recipient: not recorded"
        );
        assert!(!s.is_complete());
        s.record_ack(m(2), 256);
        assert!(s.is_complete());
        assert!(
            !share(vec![]).is_complete(),
            "no recipients: only the sender deletes"
        );
    }

    #[test]
    fn misbehaving_member_cannot_grow_the_lists_past_the_cap() {
        let mut s = share(vec![]);
        for b in 0..10 {
            let _ = s.record_fetch(m(b), 4);
            s.record_ack(m(b), 4);
        }
        assert_eq!(s.fetchers.len(), 4);
        assert_eq!(s.ackers.len(), 4);
        assert_eq!(
            s.record_fetch(m(0), 4),
            Ok(false),
            "a known fetcher still fetches"
        );
        assert!(matches!(
            s.record_fetch(m(20), 4),
            Err(RelayError::QuotaExceeded(_))
        ));
    }

    #[test]
    fn fetches_are_for_addressees_of_live_bytes() {
        let mut s = share(vec![m(1), m(2)]);
        assert_eq!(s.check_fetch(&m(1), 2_000), Ok(()));
        assert_eq!(
            s.check_fetch(&m(3), 2_000),
            Err(RelayError::NotFound("share"))
        );
        assert!(s.is_new_for(&m(1), 2_000));
        assert!(!s.is_new_for(&m(3), 2_000), "not addressed to m3");
        s.record_fetch(m(1), 256).unwrap();
        assert!(!s.is_new_for(&m(1), 2_000));
        assert!(!s.is_new_for(&m(2), 7_000), "expired");
        // Read from a push (no fetch), then acked: not listed again.
        s.record_ack(m(2), 256);
        assert!(!s.is_new_for(&m(2), 2_000));
        s.held = Held::Pending { since: 2_000 };
        assert!(matches!(
            s.check_fetch(&m(1), 2_000),
            Err(RelayError::Retry(_))
        ));
        assert_eq!(
            s.check_fetch(&m(1), 2_000 + PENDING_ABANDONED_MS),
            Err(RelayError::NotFound("share")),
            "an abandoned put is not retried for ever"
        );
    }

    #[test]
    fn records_from_before_generations_still_parse() {
        let old = r#"{"id":"01010101010101010101010101010101","size":5,"sha256":"ab",
            "put_at":7,"expires_at":9,"recipients":[],"fetchers":[],"ackers":[]}"#;
        let r: ShareRecord = serde_json::from_str(old).unwrap();
        assert_eq!((r.held, r.generation, r.born()), (Held::Live, 0, 7));
    }

    proptest! {
        #[test]
        fn fetch_count_is_the_number_of_distinct_fetchers(fetches in proptest::collection::vec(0u8..8, 0..64)) {
            let mut s = share(vec![]);
            for f in &fetches {
                s.record_fetch(m(*f), 256).unwrap();
            }
            let mut distinct = fetches.clone();
            distinct.sort();
            distinct.dedup();
            prop_assert_eq!(s.status(2_000).fetch_count, distinct.len() as u64);
        }
    }
}
