//! One stored share's index entry and the rules on it: exact expiry, counting each
//! fetcher once (`s_i`), acks, and when a share is done.

use gfms_protocol::{ListedShare, MemberId, ShareId, ShareStatus};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// What the group's Durable Object keeps about one share (its bytes are in KV).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareMeta {
    /// The share id.
    pub id: ShareId,
    /// Size of the bytes.
    pub size: u64,
    /// SHA-256 of the bytes, hex: a re-put must bring the same bytes.
    pub sha256: String,
    /// Last put, unix ms.
    pub put_at: u64,
    /// Expiry, unix ms: past it the share is never served.
    pub expires_at: u64,
    /// Who must ack before the share is deleted (empty: only the sender deletes it).
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

impl ShareMeta {
    /// A new entry for bytes put at `now` with a TTL.
    pub fn new(
        id: ShareId,
        bytes: &[u8],
        recipients: Vec<MemberId>,
        now: u64,
        ttl_ms: u64,
    ) -> Self {
        Self {
            id,
            size: bytes.len() as u64,
            sha256: digest(bytes),
            put_at: now,
            expires_at: now.saturating_add(ttl_ms),
            recipients: dedup(recipients),
            fetchers: Vec::new(),
            ackers: Vec::new(),
        }
    }

    /// True while the share may be served.
    pub fn is_live(&self, now: u64) -> bool {
        now < self.expires_at
    }

    /// The sender's re-put of the same bytes: refreshes the expiry and takes the
    /// (possibly changed) recipient list; counters stay.
    pub fn refresh(&mut self, recipients: Vec<MemberId>, now: u64, ttl_ms: u64) {
        self.put_at = now;
        self.expires_at = now.saturating_add(ttl_ms);
        self.recipients = dedup(recipients);
    }

    /// Counts a fetch; a member counts once however often it fetches.
    pub fn record_fetch(&mut self, member: MemberId) {
        if !self.fetchers.contains(&member) {
            self.fetchers.push(member);
        }
    }

    /// Records an ack.
    pub fn record_ack(&mut self, member: MemberId) {
        if !self.ackers.contains(&member) {
            self.ackers.push(member);
        }
    }

    /// True once every recipient has acked: the share is transferred and goes.
    pub fn is_complete(&self) -> bool {
        !self.recipients.is_empty() && self.recipients.iter().all(|r| self.ackers.contains(r))
    }

    /// Whether `member` should see this share in its list: live, not fetched by it yet,
    /// and addressed to it (a share with no recipient list is addressed to everyone).
    pub fn is_new_for(&self, member: &MemberId, now: u64) -> bool {
        self.is_live(now)
            && !self.fetchers.contains(member)
            && (self.recipients.is_empty() || self.recipients.contains(member))
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

    /// The counters as the status route reports them.
    pub fn status(&self, now: u64) -> ShareStatus {
        if !self.is_live(now) {
            return unknown_status(self.id);
        }
        ShareStatus {
            id: self.id,
            live: true,
            fetch_count: self.fetchers.len() as u64,
            fetchers: self.fetchers.clone(),
            ackers: self.ackers.clone(),
            recipients: self.recipients.clone(),
            expires_at: self.expires_at,
        }
    }
}

/// Status of a share the relay does not hold.
pub fn unknown_status(id: ShareId) -> ShareStatus {
    ShareStatus {
        id,
        live: false,
        fetch_count: 0,
        fetchers: Vec::new(),
        ackers: Vec::new(),
        recipients: Vec::new(),
        expires_at: 0,
    }
}

fn dedup(mut members: Vec<MemberId>) -> Vec<MemberId> {
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

    fn share(recipients: Vec<MemberId>) -> ShareMeta {
        ShareMeta::new(
            ShareId::from_bytes([1; 16]),
            b"bytes",
            recipients,
            1_000,
            5_000,
        )
    }

    #[test]
    fn expiry_is_exact() {
        let s = share(vec![]);
        assert!(s.is_live(5_999));
        assert!(!s.is_live(6_000));
        assert!(!s.status(6_000).live);
    }

    #[test]
    fn refresh_moves_expiry_and_keeps_counters() {
        let mut s = share(vec![m(1)]);
        s.record_fetch(m(1));
        s.refresh(vec![m(1), m(2)], 4_000, 5_000);
        assert_eq!(s.expires_at, 9_000);
        assert_eq!(s.fetchers, vec![m(1)]);
        assert_eq!(s.recipients, vec![m(1), m(2)]);
    }

    #[test]
    fn complete_only_when_every_recipient_acked() {
        let mut s = share(vec![m(1), m(2)]);
        s.record_ack(m(1));
        s.record_ack(m(9)); // not a recipient: does not count
        assert!(!s.is_complete());
        s.record_ack(m(2));
        assert!(s.is_complete());
        assert!(
            !share(vec![]).is_complete(),
            "no recipients: only the sender deletes"
        );
    }

    #[test]
    fn listing_hides_fetched_and_foreign_shares() {
        let mut s = share(vec![m(1), m(2)]);
        assert!(s.is_new_for(&m(1), 2_000));
        assert!(!s.is_new_for(&m(3), 2_000), "not addressed to m3");
        s.record_fetch(m(1));
        assert!(!s.is_new_for(&m(1), 2_000));
        assert!(!s.is_new_for(&m(2), 7_000), "expired");
    }

    proptest! {
        #[test]
        fn fetch_count_is_the_number_of_distinct_fetchers(fetches in proptest::collection::vec(0u8..8, 0..64)) {
            let mut s = share(vec![]);
            for f in &fetches {
                s.record_fetch(m(*f));
            }
            let mut distinct = fetches.clone();
            distinct.sort();
            distinct.dedup();
            prop_assert_eq!(s.status(2_000).fetch_count, distinct.len() as u64);
        }
    }
}
