//! Has an outgoing batch reached every member?
//!
//! The paper's counter: each relay `i` reports `s_i`, the distinct members that fetched its
//! share, and the sender stops when `Σ s_i = (m − 1)·k`. That can hold while a member
//! still lacks the batch — one member fetching `k + 1` shares makes up for another who
//! fetched one — so it is computed and shown, but the decision uses the strict rule:
//! every current recipient has acknowledged at some relay. A member who left or was
//! removed is not a recipient any more and stops blocking.

use std::collections::{BTreeMap, BTreeSet};

use gfms_ledger::MemberId;
use gfms_protocol::{MemberId as Pseudonym, ShareStatus};
use serde::{Deserialize, Serialize};

/// What one relay said about its share of the batch (`None`: unreachable).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelayStatus {
    /// The relay's answer for this batch's share there, if it answered.
    pub status: Option<ShareStatus>,
    /// Each current recipient's pseudonym at this relay.
    pub pseudonyms: BTreeMap<MemberId, Pseudonym>,
}

/// The state of one outgoing batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Completeness {
    /// `Σ s_i` over the relays that answered.
    pub sum_s: u64,
    /// `(m − 1)·k`, the paper's target.
    pub target: u64,
    /// Whether the paper's condition holds (`sum_s >= target`).
    pub paper_condition: bool,
    /// Recipients with no ack at any relay: the batch must keep being offered to them.
    pub missing: Vec<MemberId>,
    /// Every recipient acked somewhere: delete the shares everywhere.
    pub complete: bool,
    /// Relays (indexes) whose copy is gone (expired or deleted) or that did not answer:
    /// while not complete, re-put the same bytes there.
    pub reput: Vec<usize>,
}

/// Assesses a batch from the relays' statuses. `recipients` are the current members other
/// than the sender (left and removed members excluded); `k` the batch's threshold.
pub fn assess(recipients: &[MemberId], k: u8, relays: &[RelayStatus]) -> Completeness {
    let sum_s: u64 = relays
        .iter()
        .filter_map(|r| r.status.as_ref())
        .map(|s| s.fetch_count)
        .sum();
    let target = recipients.len() as u64 * u64::from(k);
    let acked = acked_now(recipients, relays);
    let missing: Vec<MemberId> = recipients
        .iter()
        .filter(|m| !acked.contains(m))
        .copied()
        .collect();
    let complete = missing.is_empty();
    let reput = if complete {
        Vec::new()
    } else {
        relays
            .iter()
            .enumerate()
            .filter(|(_, r)| r.status.as_ref().is_none_or(|s| !s.live))
            .map(|(i, _)| i)
            .collect()
    };
    Completeness {
        sum_s,
        target,
        paper_condition: sum_s >= target,
        missing,
        complete,
        reput,
    }
}

impl Completeness {
    /// Counts acks the sender saw in earlier rounds: an ack means "durably stored", so it
    /// stays true after the relay forgets it (an expired and re-put share starts with no
    /// acks, and the members who had it do not fetch it again).
    pub fn with_earlier_acks(mut self, acked: &BTreeSet<MemberId>) -> Self {
        self.missing.retain(|m| !acked.contains(m));
        if self.missing.is_empty() {
            self.complete = true;
            self.reput.clear();
        }
        self
    }
}

/// The recipients that acked at some relay in `relays`.
pub fn acked_now(recipients: &[MemberId], relays: &[RelayStatus]) -> BTreeSet<MemberId> {
    recipients
        .iter()
        .filter(|m| {
            relays
                .iter()
                .any(|r| match (&r.status, r.pseudonyms.get(m)) {
                    (Some(status), Some(p)) => status.ackers.contains(p),
                    _ => false,
                })
        })
        .copied()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use gfms_protocol::ShareId;

    fn member(b: u8) -> MemberId {
        MemberId([b; 16])
    }

    /// Pseudonym of member `m` at relay `r`: distinct per relay, as derived in practice.
    fn pseudonym(m: u8, r: usize) -> Pseudonym {
        Pseudonym::from_bytes([m ^ (r as u8 * 16 + 1); 16])
    }

    fn relay(
        r: usize,
        members: &[u8],
        fetched_by: &[u8],
        acked_by: &[u8],
        live: bool,
    ) -> RelayStatus {
        RelayStatus {
            status: Some(ShareStatus {
                id: ShareId::from_bytes([r as u8; 16]),
                live,
                fetch_count: fetched_by.len() as u64,
                fetchers: fetched_by.iter().map(|m| pseudonym(*m, r)).collect(),
                ackers: acked_by.iter().map(|m| pseudonym(*m, r)).collect(),
                recipients: members.iter().map(|m| pseudonym(*m, r)).collect(),
                expires_at: if live { 1 } else { 0 },
                receipts: Vec::new(),
            }),
            pseudonyms: members
                .iter()
                .map(|m| (member(*m), pseudonym(*m, r)))
                .collect(),
        }
    }

    /// Alice sends with n = 3, k = 2 to Bob (2) and Carol (3). Bob fetches from all three
    /// relays (k + 1 = 3 fetches) and acks; Carol fetched one share, could not rebuild the
    /// batch, and never acked. Σ s_i = 3 + 1 = 4 = (m − 1)·k: the paper would stop here and
    /// Carol would never get the record. The strict rule keeps re-sending.
    #[test]
    fn the_paper_counter_can_be_met_while_a_member_still_lacks_the_batch() {
        let recipients = [member(2), member(3)];
        let relays = [
            relay(0, &[2, 3], &[2, 3], &[2], true),
            relay(1, &[2, 3], &[2], &[2], true),
            relay(2, &[2, 3], &[2], &[], false), // expired here
        ];
        let c = assess(&recipients, 2, &relays);
        assert_eq!((c.sum_s, c.target), (4, 4));
        assert!(c.paper_condition, "the paper's condition holds");
        assert!(!c.complete, "but Carol lacks the batch");
        assert_eq!(c.missing, vec![member(3)]);
        assert_eq!(c.reput, vec![2], "so the expired copy is put again");
    }

    #[test]
    fn complete_when_every_recipient_acked_somewhere() {
        let relays = [
            relay(0, &[2, 3], &[2], &[2], true),
            relay(1, &[2, 3], &[3], &[3], true),
            relay(2, &[2, 3], &[], &[], false),
        ];
        let c = assess(&[member(2), member(3)], 2, &relays);
        assert!(c.complete);
        assert!(c.missing.is_empty());
        assert!(c.reput.is_empty(), "nothing to re-send once complete");
    }

    #[test]
    fn a_removed_member_stops_blocking_and_an_unreachable_relay_counts_as_missing_copy() {
        let mut relays = vec![
            relay(0, &[2, 3], &[2], &[2], true),
            relay(1, &[2, 3], &[2], &[2], true),
        ];
        relays.push(RelayStatus {
            status: None,
            pseudonyms: BTreeMap::new(),
        });
        let with_carol = assess(&[member(2), member(3)], 2, &relays);
        assert_eq!(with_carol.missing, vec![member(3)]);
        assert_eq!(with_carol.reput, vec![2]);
        let carol_removed = assess(&[member(2)], 2, &relays);
        assert!(carol_removed.complete);
    }
}
