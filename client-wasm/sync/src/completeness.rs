//! Has an outgoing batch reached every member?
//!
//! The paper's counter: each relay `i` reports `s_i`, the distinct members that fetched its
//! share, and the sender stops when `Σ s_i = (m − 1)·k`. That can hold while a member
//! still lacks the batch — one member fetching `k + 1` shares makes up for another who
//! fetched one — so it is computed and shown, but the decision uses the strict rule:
//! every current recipient has acknowledged at some relay, in this round or an earlier
//! one. A member who left or was removed is not a recipient any more and stops blocking.
//! While a batch is not complete, its lost copies are put again: [`assess`] is the one
//! place that rule lives.
//!
//! An ack is a value with provenance, not a count: [`AckSeen`] says which relay listed
//! the member as an acker and carries the member's signed receipt. A member with a
//! bound card counts as having the batch only through a receipt that verifies under
//! that card (a relay's word alone never completes a batch); a relay that lists such a
//! member as an acker without its receipt is named ([`Completeness::unvouched`]). Only
//! members with no card yet (a device still running a release before member keys) and
//! batches sealed before receipts are taken on the relay's word.

use std::collections::BTreeMap;

use gfms_ledger::MemberId;
use gfms_protocol::{MemberId as Pseudonym, ShareStatus};
use serde::{Deserialize, Serialize};

/// An ack the sender saw for one of its batches, and who vouches for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AckSeen {
    /// The relay whose status listed the member as an acker (empty: seen by a release
    /// that did not record where).
    pub relay: String,
    /// The member's signed receipt for the batch, once acks carry them (issue 14).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt: Option<String>,
}

/// The acks seen for a batch, by member.
pub type Acks = BTreeMap<MemberId, AckSeen>;

/// What one relay said about its share of the batch (`None`: unreachable).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelayStatus {
    /// The relay's URL.
    pub relay: String,
    /// The relay's answer for this batch's share there, if it answered.
    pub status: Option<ShareStatus>,
    /// The pseudonym at this relay of each member the sender knows (its recipients,
    /// and those who left or were removed, and itself): an acker not among them is a
    /// member the sender has not heard of.
    pub pseudonyms: BTreeMap<MemberId, Pseudonym>,
    /// The members whose receipt for this share, among those the relay returned,
    /// verifies under their card (base64url receipt by member).
    pub receipts: BTreeMap<MemberId, String>,
}

/// Who must hold a batch, as its sender knows.
#[derive(Debug, Clone, Copy)]
pub struct Recipients<'a> {
    /// The current members other than the sender (left and removed members excluded).
    pub members: &'a [MemberId],
    /// Members seen acking in earlier rounds. An ack means "durably stored", so it stays
    /// true after the relay forgets it (an expired and re-put share starts with no acks,
    /// and the members who had it do not fetch it again).
    pub acked_before: &'a Acks,
    /// The members whose acks count only with a verified receipt (those with a bound
    /// card; empty for a batch sealed before receipts).
    pub signed: &'a [MemberId],
    /// Whether `members` is every member. A device whose copy of the group's history has
    /// not arrived yet does not know them all: its batches are never complete.
    pub all_known: bool,
    /// Whether the sender is leaving. Its device will delete the group once everything is
    /// delivered, so a batch with no current recipient is not delivered: every other
    /// member it knows left or was removed, or it never heard of the members who joined
    /// (a creator whose invite was opened while its listings failed), and one may be
    /// joining right now. The batch waits for a recipient to ack it. (A member that
    /// stays keeps its ledger and answers newcomers with snapshots, so its batches with
    /// no recipient are complete.)
    pub hand_over: bool,
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
    /// Recipients with no ack at any relay, now or before: the batch must keep being
    /// offered to them.
    pub missing: Vec<MemberId>,
    /// Every recipient acked somewhere: delete the shares everywhere.
    pub complete: bool,
    /// While not complete, the relays (indexes) whose copy is gone (expired or deleted)
    /// or that did not answer: re-put the same bytes there.
    pub reput: Vec<usize>,
    /// The acks seen, in this round or before, with where each was seen (to remember
    /// for the next round).
    pub acked: Acks,
    /// Relays (indexes) that listed a member with a card as an acker without that
    /// member's receipt: a relay's word no one signed.
    pub unvouched: Vec<(usize, MemberId)>,
}

/// Assesses a batch with threshold `k` from its relays' statuses (in the batch's relay
/// order): the strict rule decides, the paper's counter is shown, and this is the one
/// place that says which copies to put again.
pub fn assess(recipients: &Recipients<'_>, k: u8, relays: &[RelayStatus]) -> Completeness {
    let sum_s: u64 = relays
        .iter()
        .filter_map(|r| r.status.as_ref())
        .map(|s| s.fetch_count)
        .sum();
    let target = recipients.members.len() as u64 * u64::from(k);
    let mut acked = recipients.acked_before.clone();
    for (m, seen) in acked_now(recipients, relays) {
        acked.entry(m).or_insert(seen);
    }
    let missing: Vec<MemberId> = recipients
        .members
        .iter()
        .filter(|m| !acked.contains_key(m))
        .copied()
        .collect();
    let delivered_to_someone =
        !recipients.members.is_empty() || !recipients.hand_over || acked_by_a_stranger(relays);
    let complete = recipients.all_known && missing.is_empty() && delivered_to_someone;
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
        acked,
        unvouched: unvouched(recipients.signed, relays),
    }
}

/// The ackers each relay lists that need a receipt and have none there.
fn unvouched(signed: &[MemberId], relays: &[RelayStatus]) -> Vec<(usize, MemberId)> {
    let mut out = Vec::new();
    for (i, r) in relays.iter().enumerate() {
        let Some(status) = &r.status else { continue };
        for m in signed {
            let listed = r
                .pseudonyms
                .get(m)
                .is_some_and(|p| status.ackers.contains(p));
            if listed && !r.receipts.contains_key(m) {
                out.push((i, *m));
            }
        }
    }
    out
}

/// Whether some relay lists an acker the sender does not know: a member that joined
/// without the sender hearing of it stored the batch (a leaving sender with no known
/// recipient has then handed it over).
fn acked_by_a_stranger(relays: &[RelayStatus]) -> bool {
    relays.iter().any(|r| {
        r.status.as_ref().is_some_and(|s| {
            s.ackers
                .iter()
                .any(|a| !r.pseudonyms.values().any(|p| p == a))
        })
    })
}

/// The recipients that acked at some relay in `relays`, each with the first relay that
/// showed it: by a receipt that verifies, or — for a member with no card — by the relay
/// listing it as an acker.
fn acked_now(recipients: &Recipients<'_>, relays: &[RelayStatus]) -> Acks {
    gfms_ledger::order::map_of(recipients.members.iter().filter_map(|m| {
        let by_receipt = relays.iter().find_map(|r| {
            r.receipts.get(m).map(|receipt| AckSeen {
                relay: r.relay.clone(),
                receipt: Some(receipt.clone()),
            })
        });
        let by_word = || {
            if recipients.signed.contains(m) {
                return None;
            }
            relays
                .iter()
                .find_map(|r| match (&r.status, r.pseudonyms.get(m)) {
                    (Some(status), Some(p)) if status.ackers.contains(p) => Some(AckSeen {
                        relay: r.relay.clone(),
                        receipt: None,
                    }),
                    _ => None,
                })
        };
        by_receipt.or_else(by_word).map(|seen| (*m, seen))
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use gfms_protocol::ShareId;

    fn member(b: u8) -> MemberId {
        MemberId([b; 16])
    }

    /// The strict rule for `members` (all known), with acks seen before.
    fn strict(members: &[u8], before: &[u8], relays: &[RelayStatus]) -> Completeness {
        let members: Vec<MemberId> = members.iter().map(|m| member(*m)).collect();
        let acked_before = before
            .iter()
            .map(|m| {
                let seen = AckSeen {
                    relay: "earlier".into(),
                    receipt: None,
                };
                (member(*m), seen)
            })
            .collect();
        let recipients = Recipients {
            members: &members,
            acked_before: &acked_before,
            signed: &[],
            all_known: true,
            hand_over: false,
        };
        assess(&recipients, 2, relays)
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
            relay: format!("relay{r}"),
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
            receipts: BTreeMap::new(),
        }
    }

    /// Alice sends with n = 3, k = 2 to Bob (2) and Carol (3). Bob fetches from all three
    /// relays (k + 1 = 3 fetches) and acks; Carol fetched one share, could not rebuild the
    /// batch, and never acked. Σ s_i = 3 + 1 = 4 = (m − 1)·k: the paper would stop here and
    /// Carol would never get the record. The strict rule keeps re-sending.
    #[test]
    fn the_paper_counter_can_be_met_while_a_member_still_lacks_the_batch() {
        let relays = [
            relay(0, &[2, 3], &[2, 3], &[2], true),
            relay(1, &[2, 3], &[2], &[2], true),
            relay(2, &[2, 3], &[2], &[], false), // expired here
        ];
        let c = strict(&[2, 3], &[], &relays);
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
        let c = strict(&[2, 3], &[], &relays);
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
            relay: "relay2".into(),
            status: None,
            pseudonyms: BTreeMap::new(),
            receipts: BTreeMap::new(),
        });
        let with_carol = strict(&[2, 3], &[], &relays);
        assert_eq!(with_carol.missing, vec![member(3)]);
        assert_eq!(with_carol.reput, vec![2]);
        let carol_removed = strict(&[2], &[], &relays);
        assert!(carol_removed.complete);
    }

    /// Forgetful relays: every copy expired and was re-put, so no relay shows an ack any
    /// more, but Bob and Carol acked in earlier rounds. The batch is complete; nothing is
    /// put again.
    #[test]
    fn acks_seen_before_still_count_after_a_forgetful_relay_lost_them() {
        let relays = [
            relay(0, &[2, 3], &[], &[], true),
            relay(1, &[2, 3], &[], &[], false),
        ];
        let c = strict(&[2, 3], &[2, 3], &relays);
        assert!(c.complete);
        assert!(c.reput.is_empty());
        let only_bob = strict(&[2, 3], &[2], &relays);
        assert_eq!(only_bob.missing, vec![member(3)]);
        assert_eq!(only_bob.reput, vec![1], "the lost copy goes out again");
        assert_eq!(only_bob.acked.keys().collect::<Vec<_>>(), [&member(2)]);
        assert_eq!(only_bob.acked[&member(2)].relay, "earlier");
    }

    /// A member joining unseen: a leaving device whose every other known member left or
    /// was removed (or that never heard of the members who joined) has delivered its
    /// batch to no one, so it is not complete — until a member it does not know acks it.
    /// For a member that stays, it is.
    #[test]
    fn a_leaving_devices_batch_with_no_recipient_waits_for_one() {
        let relays = [relay(0, &[], &[], &[], true)];
        let nobody: [MemberId; 0] = [];
        let acked_before = Acks::new();
        let mut recipients = Recipients {
            members: &nobody,
            acked_before: &acked_before,
            signed: &[],
            all_known: true,
            hand_over: true,
        };
        assert!(!assess(&recipients, 2, &relays).complete);
        let stranger = [relay(0, &[], &[7], &[7], true)];
        let handed = assess(&recipients, 2, &stranger);
        assert!(handed.complete, "a member it never heard of stored it");
        assert!(handed.acked.is_empty());
        recipients.hand_over = false;
        assert!(assess(&recipients, 2, &relays).complete);
    }

    /// Lying relay, members before member keys: a relay's word is all there is, and
    /// each ack is kept with the relay that reported it.
    #[test]
    fn lying_relay_acks_of_members_without_cards_are_kept_with_the_relay_that_said_so() {
        let relays = [
            relay(0, &[2, 3], &[2], &[], true),
            relay(1, &[2, 3], &[2, 3], &[2, 3], true),
        ];
        let c = strict(&[2, 3], &[], &relays);
        assert!(c.complete);
        assert_eq!(c.acked[&member(2)].relay, "relay1");
        assert_eq!(c.acked[&member(3)].relay, "relay1");
        assert!(c.acked.values().all(|a| a.receipt.is_none()));
        assert!(c.unvouched.is_empty());
    }

    /// Lying relay, members with cards: relay 1 lists Bob (2) and Carol (3) as ackers,
    /// but only Bob's receipt verifies (at relay 0). Carol, who never fetched, is still
    /// missing; the batch is not complete; relay 1 is named for Carol.
    #[test]
    fn lying_relay_cannot_complete_a_batch_without_the_members_receipts() {
        let mut relays = vec![
            relay(0, &[2, 3], &[2], &[2], true),
            relay(1, &[2, 3], &[2, 3], &[2, 3], true),
        ];
        relays[0].receipts.insert(member(2), "bob-signed".into());
        let members = [member(2), member(3)];
        let recipients = Recipients {
            members: &members,
            acked_before: &Acks::new(),
            signed: &members,
            all_known: true,
            hand_over: false,
        };
        let c = assess(&recipients, 2, &relays);
        assert!(!c.complete, "a relay's word alone never completes a batch");
        assert_eq!(c.missing, vec![member(3)]);
        assert_eq!(c.acked[&member(2)].receipt.as_deref(), Some("bob-signed"));
        assert_eq!(c.unvouched, vec![(1, member(2)), (1, member(3))]);
    }

    /// A device that just joined knows only the members it has heard of: even when they
    /// all acked, its batch stays pending and lost copies are put again until the
    /// group's history arrives.
    #[test]
    fn a_device_without_the_history_never_completes_and_keeps_re_putting() {
        let relays = [
            relay(0, &[2], &[2], &[2], true),
            relay(1, &[2], &[], &[], false),
        ];
        let members = [member(2)];
        let recipients = Recipients {
            members: &members,
            acked_before: &Acks::new(),
            signed: &[],
            all_known: false,
            hand_over: false,
        };
        let c = assess(&recipients, 2, &relays);
        assert!(c.missing.is_empty());
        assert!(!c.complete);
        assert_eq!(c.reput, vec![1]);
    }
}
