//! One behaviour per test, each as a member (or an adversary) would notice it.

use std::future::Future;
use std::pin::Pin;

use gfms_protocol::{
    AckRequest, DeleteReason, Limits, MAX_INLINE_PUSH_BYTES, PushEvent, Receipt, RegisterRequest,
    ShareReceipt, TokenHash, encode_data,
};

use super::*;
use crate::RelayError;
use crate::auth::hash_token;
use crate::relay::Registered;

fn ack(m: u8, ids: &[u8]) -> AckRequest {
    AckRequest {
        member: member(m),
        shares: ids.iter().map(|b| sid(*b)).collect(),
        receipts: Vec::new(),
    }
}

fn receipt(b: u8) -> Receipt {
    Receipt::new(vec![b; 80]).unwrap()
}

#[test]
fn racing_final_acks_delete_once_and_say_so_once() {
    for seed in 1..200 {
        let rng = Seeded::new(seed);
        let w = World::registered(&rng, Limits::default());
        let relay = w.relay();
        block_on(relay.put(sid(1), put_req(b"abc", &[member(1), member(2)]), 10)).unwrap();
        block_on(relay.ack(ack(1, &[1]), 11)).unwrap();
        let (r, r2) = (&relay, &relay);
        let futures: Vec<Pin<Box<dyn Future<Output = _>>>> = vec![
            Box::pin(async move { r.ack(ack(2, &[1]), 12).await.unwrap() }),
            Box::pin(async move { r2.ack(ack(2, &[1]), 12).await.unwrap() }),
        ];
        let answers = w.race(futures);
        let deletions: usize = answers.iter().map(|a| a.deleted.len()).sum();
        assert_eq!(deletions, 1, "seed {seed}: {answers:?}");
        assert!(answers.iter().all(|a| a.acked == vec![sid(1)]));
        assert!(w.kv_keys().is_empty());
    }
}

#[test]
fn an_id_acked_twice_in_one_request_is_answered_once() {
    let rng = Seeded::new(3);
    let w = World::registered(&rng, Limits::default());
    let relay = w.relay();
    block_on(relay.put(sid(1), put_req(b"abc", &[]), 10)).unwrap();
    let a = block_on(relay.ack(ack(1, &[1, 1, 2]), 11)).unwrap();
    assert_eq!((a.acked, a.unknown), (vec![sid(1)], vec![sid(2)]));
}

#[test]
fn misbehaving_member_a_non_recipient_neither_fetches_nor_acks_a_share_named_for_others() {
    let rng = Seeded::new(4);
    let w = World::registered(&rng, Limits::default());
    let relay = w.relay();
    block_on(relay.put(sid(1), put_req(b"abc", &[member(1)]), 10)).unwrap();
    assert_eq!(
        block_on(relay.fetch(sid(1), member(7), 11)),
        Err(RelayError::NotFound("share"))
    );
    let a = block_on(relay.ack(ack(7, &[1]), 11)).unwrap();
    assert_eq!((a.acked.len(), a.ignored), (0, vec![sid(1)]));
    let s = &block_on(relay.status(&[sid(1)], 12)).unwrap().shares[0];
    assert!(s.fetchers.is_empty() && s.ackers.is_empty());
}

#[test]
fn misbehaving_member_made_up_pseudonyms_fill_a_share_only_to_the_member_cap() {
    let rng = Seeded::new(5);
    let limits = Limits {
        max_members_per_group: 3,
        ..Limits::default()
    };
    let w = World::registered(&rng, limits);
    let relay = w.relay();
    block_on(relay.put(sid(1), put_req(b"abc", &[]), 10)).unwrap();
    for m in 1..=3 {
        block_on(relay.fetch(sid(1), member(m), 11)).unwrap();
    }
    assert!(matches!(
        block_on(relay.fetch(sid(1), member(4), 11)),
        Err(RelayError::QuotaExceeded(_))
    ));
    assert!(
        block_on(relay.fetch(sid(1), member(2), 11)).is_ok(),
        "known fetchers still fetch"
    );
    for m in 1..=9 {
        block_on(relay.ack(ack(m, &[1]), 12)).unwrap();
    }
    let s = &block_on(relay.status(&[sid(1)], 12)).unwrap().shares[0];
    assert_eq!((s.fetchers.len(), s.ackers.len()), (3, 3));
}

#[test]
fn offline_for_weeks_sender_learns_receipts_after_the_bytes_expired() {
    let rng = Seeded::new(6);
    let limits = Limits {
        ttl_seconds: 60,
        receipt_retention_seconds: 600,
        ..Limits::default()
    };
    let w = World::registered(&rng, limits);
    let relay = w.relay();
    block_on(relay.put(sid(1), put_req(b"abc", &[]), 0)).unwrap();
    block_on(relay.fetch(sid(1), member(2), 1_000)).unwrap();
    let mut with_receipt = ack(2, &[1]);
    with_receipt.receipts = vec![ShareReceipt {
        share: sid(1),
        receipt: receipt(2),
    }];
    block_on(relay.ack(with_receipt.clone(), 2_000)).unwrap();
    block_on(relay.ack(with_receipt, 2_500)).unwrap();
    block_on(relay.ack(ack(3, &[1]), 3_000)).unwrap(); // an older client: no receipt
    // The bytes expire; the alarm sweeps them.
    block_on(relay.sweep(61_000)).unwrap();
    assert!(w.kv_keys().is_empty(), "no content is kept");
    let s = &block_on(relay.status(&[sid(1)], 300_000)).unwrap().shares[0];
    assert!(!s.live);
    assert_eq!(s.expires_at, 0);
    assert_eq!(s.ackers, vec![member(2), member(3)]);
    assert_eq!(s.fetchers, vec![member(2)]);
    assert_eq!(s.receipts, vec![receipt(2)], "one receipt, stored once");
    // An ack after the bytes went still records (the member has the batch).
    let late = block_on(relay.ack(ack(4, &[1]), 300_000)).unwrap();
    assert_eq!(late.acked, vec![sid(1)]);
    // After the retention the record is forgotten.
    block_on(relay.sweep(61_000 + 600_000)).unwrap();
    let s = &block_on(relay.status(&[sid(1)], 700_000)).unwrap().shares[0];
    assert!(s.ackers.is_empty() && s.receipts.is_empty());
    assert_eq!(w.index.map.borrow().len(), 1, "only the group is left");
}

#[test]
fn a_members_later_receipt_replaces_its_earlier_one() {
    let rng = Seeded::new(7);
    let w = World::registered(&rng, Limits::default());
    let relay = w.relay();
    block_on(relay.put(sid(1), put_req(b"abc", &[]), 0)).unwrap();
    for b in [1, 2] {
        let mut a = ack(2, &[1]);
        a.receipts = vec![ShareReceipt {
            share: sid(1),
            receipt: receipt(b),
        }];
        block_on(relay.ack(a, 10)).unwrap();
    }
    let s = &block_on(relay.status(&[sid(1)], 10)).unwrap().shares[0];
    assert_eq!(s.receipts, vec![receipt(2)]);
}

#[test]
fn receipts_must_name_a_listed_share_once() {
    let rng = Seeded::new(8);
    let w = World::registered(&rng, Limits::default());
    let relay = w.relay();
    let mut a = ack(2, &[1]);
    a.receipts = vec![ShareReceipt {
        share: sid(2),
        receipt: receipt(1),
    }];
    assert!(matches!(
        block_on(relay.ack(a, 10)),
        Err(RelayError::BadRequest(_))
    ));
    let mut a = ack(2, &[1]);
    let r = ShareReceipt {
        share: sid(1),
        receipt: receipt(1),
    };
    a.receipts = vec![r.clone(), r];
    assert!(matches!(
        block_on(relay.ack(a, 10)),
        Err(RelayError::BadRequest(_))
    ));
}

#[test]
fn a_deleted_share_keeps_its_receipts_and_delete_is_idempotent() {
    let rng = Seeded::new(9);
    let w = World::registered(&rng, Limits::default());
    let relay = w.relay();
    block_on(relay.put(sid(1), put_req(b"abc", &[]), 0)).unwrap();
    block_on(relay.ack(ack(2, &[1]), 1)).unwrap();
    assert_eq!(block_on(relay.delete(sid(1), 2)), Ok(true));
    assert_eq!(
        block_on(relay.delete(sid(1), 3)),
        Ok(false),
        "nothing left to delete"
    );
    assert_eq!(block_on(relay.delete(sid(9), 3)), Ok(false), "never put");
    let s = &block_on(relay.status(&[sid(1)], 4)).unwrap().shares[0];
    assert_eq!((s.live, s.ackers.clone()), (false, vec![member(2)]));
    assert!(w.kv_keys().is_empty());
    assert!(w.sockets.sent.borrow().iter().any(|(e, to)| {
        *e == PushEvent::ShareDeleted {
            id: sid(1),
            reason: Some(DeleteReason::Deleted),
        } && to.is_none()
    }));
}

#[test]
fn a_reput_after_expiry_is_created_again_and_keeps_who_acked() {
    let rng = Seeded::new(10);
    let limits = Limits {
        ttl_seconds: 60,
        ..Limits::default()
    };
    let w = World::registered(&rng, limits);
    let relay = w.relay();
    block_on(relay.put(sid(1), put_req(b"abc", &[member(1), member(2)]), 0)).unwrap();
    block_on(relay.ack(ack(1, &[1]), 1)).unwrap();
    block_on(relay.sweep(60_000)).unwrap();
    let (code, answer) =
        block_on(relay.put(sid(1), put_req(b"abc", &[member(1), member(2)]), 70_000)).unwrap();
    assert_eq!((code, answer.created), (201, true));
    let s = &block_on(relay.status(&[sid(1)], 70_001)).unwrap().shares[0];
    assert_eq!((s.live, s.ackers.clone()), (true, vec![member(1)]));
    // Other bytes under the id are refused while its record is kept.
    assert!(matches!(
        block_on(relay.put(sid(1), put_req(b"xyz", &[]), 70_002)),
        Err(RelayError::Conflict(_))
    ));
}

#[test]
fn a_reput_whose_recipients_all_acked_is_not_stored() {
    let rng = Seeded::new(11);
    let w = World::registered(&rng, Limits::default());
    let relay = w.relay();
    let both = [member(1), member(2)];
    block_on(relay.put(sid(1), put_req(b"abc", &both), 0)).unwrap();
    block_on(relay.ack(ack(1, &[1]), 1)).unwrap();
    let last = block_on(relay.ack(ack(2, &[1]), 2)).unwrap();
    assert_eq!(last.deleted, vec![sid(1)]);
    // The sender's status was stale; it re-puts.
    let (code, answer) = block_on(relay.put(sid(1), put_req(b"abc", &both), 3)).unwrap();
    assert_eq!((code, answer.complete, answer.expires_at), (200, true, 0));
    assert!(w.kv_keys().is_empty());
    assert!(!block_on(relay.status(&[sid(1)], 4)).unwrap().shares[0].live);
}

#[test]
fn share_put_is_announced_to_its_addressees_only() {
    let rng = Seeded::new(12);
    let w = World::registered(&rng, Limits::default());
    let relay = w.relay();
    block_on(relay.put(sid(1), put_req(b"abc", &[member(2)]), 0)).unwrap();
    block_on(relay.put(sid(2), put_req(b"abc", &[]), 0)).unwrap();
    let sent = w.sockets.sent.borrow();
    let inline = Some(encode_data(b"abc"));
    assert_eq!(
        sent[0],
        (
            PushEvent::SharePut {
                id: sid(1),
                bytes: inline.clone()
            },
            Some(vec![member(2)])
        )
    );
    assert_eq!(
        sent[1],
        (
            PushEvent::SharePut {
                id: sid(2),
                bytes: inline
            },
            None
        )
    );
}

#[test]
fn a_small_share_rides_in_its_push_and_a_larger_one_does_not() {
    // The receiver reads a small share from the push with no request (issue 17); one
    // byte over the limit and the push only names it, as before.
    let rng = Seeded::new(13);
    let w = World::registered(&rng, Limits::default());
    let relay = w.relay();
    let small = vec![7u8; MAX_INLINE_PUSH_BYTES];
    let large = vec![7u8; MAX_INLINE_PUSH_BYTES + 1];
    block_on(relay.put(sid(1), put_req(&small, &[member(2)]), 0)).unwrap();
    block_on(relay.put(sid(2), put_req(&large, &[member(2)]), 0)).unwrap();
    // A re-put (a refresh) announces the bytes again, to the same addressees.
    block_on(relay.put(sid(1), put_req(&small, &[member(2)]), 1)).unwrap();
    let sent = w.sockets.sent.borrow().clone();
    let to_bob = Some(vec![member(2)]);
    assert_eq!(
        sent,
        vec![
            (
                PushEvent::SharePut {
                    id: sid(1),
                    bytes: Some(encode_data(&small))
                },
                to_bob.clone()
            ),
            (
                PushEvent::SharePut {
                    id: sid(2),
                    bytes: None
                },
                to_bob.clone()
            ),
            (
                PushEvent::SharePut {
                    id: sid(1),
                    bytes: Some(encode_data(&small))
                },
                to_bob
            ),
        ]
    );
}

#[test]
fn a_share_read_from_its_push_is_no_fetch_and_is_listed_until_acked() {
    // Docs/protocol.md: an inline delivery does not count as a fetch (the relay cannot
    // know the socket got it), so a lost push loses nothing: the share stays listed.
    // Once the member acks it (a signed receipt, as after a fetch) it is listed no more.
    let rng = Seeded::new(14);
    let w = World::registered(&rng, Limits::default());
    let relay = w.relay();
    block_on(relay.put(sid(1), put_req(b"abc", &[member(2), member(3)]), 0)).unwrap();
    let q = || crate::listing::PageQuery {
        after: None,
        limit: 10,
    };
    let listed = |m: u8| {
        block_on(relay.list(&member(m), q(), 1))
            .unwrap()
            .shares
            .iter()
            .map(|s| s.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(listed(2), vec![sid(1)]);
    let status = block_on(relay.status(&[sid(1)], 1)).unwrap();
    assert_eq!(status.shares[0].fetch_count, 0, "the push counted no fetch");
    block_on(relay.ack(ack(2, &[1]), 2)).unwrap();
    assert!(
        listed(2).is_empty(),
        "acked from the push: not listed again"
    );
    assert_eq!(listed(3), vec![sid(1)], "another recipient still sees it");
}

#[test]
fn a_first_ack_is_announced_to_every_socket_once_and_a_final_one_as_deleted() {
    // Slow network: the sender's last status came before the ack; only the push tells it.
    let rng = Seeded::new(21);
    let w = World::registered(&rng, Limits::default());
    let relay = w.relay();
    block_on(relay.put(sid(1), put_req(b"abc", &[]), 0)).unwrap();
    block_on(relay.put(sid(2), put_req(b"abc", &[member(2)]), 0)).unwrap();
    w.sockets.sent.borrow_mut().clear();
    block_on(relay.ack(ack(2, &[1]), 1)).unwrap();
    block_on(relay.ack(ack(2, &[1]), 2)).unwrap(); // the same member again: nothing new
    block_on(relay.ack(ack(3, &[1]), 3)).unwrap();
    block_on(relay.ack(ack(2, &[2]), 4)).unwrap(); // the last recipient: the bytes go
    let sent = w.sockets.sent.borrow().clone();
    assert_eq!(
        sent,
        vec![
            (PushEvent::ShareAcked { id: sid(1) }, None),
            (PushEvent::ShareAcked { id: sid(1) }, None),
            (deleted_by_acks(2), None),
        ]
    );
}

fn deleted_by_acks(b: u8) -> PushEvent {
    PushEvent::ShareDeleted {
        id: sid(b),
        reason: Some(DeleteReason::Acked),
    }
}

#[test]
fn a_put_whose_kv_write_fails_answers_retry_and_holds_nothing() {
    let rng = Seeded::new(13);
    let w = World::registered(&rng, Limits::default());
    w.blobs.fail_one_put_in.set(1);
    let relay = w.relay();
    assert!(matches!(
        block_on(relay.put(sid(1), put_req(b"abc", &[]), 0)),
        Err(RelayError::Unavailable(_))
    ));
    let s = &block_on(relay.status(&[sid(1)], 1)).unwrap().shares[0];
    assert!(!s.live, "status never says live for bytes nobody can fetch");
    let group = block_on(relay.group()).unwrap().unwrap();
    assert_eq!(
        (group.shares, group.bytes),
        (0, 0),
        "the quota is given back"
    );
    w.blobs.fail_one_put_in.set(0);
    assert_eq!(
        block_on(relay.put(sid(1), put_req(b"abc", &[]), 2))
            .unwrap()
            .0,
        201
    );
}

#[test]
fn forgetful_relay_idle_group_is_removed_and_can_register_again() {
    let rng = Seeded::new(14);
    let limits = Limits {
        group_idle_seconds: 100,
        ..Limits::default()
    };
    let w = World::registered(&rng, limits);
    let relay = w.relay();
    assert_eq!(
        w.index.alarm.get(),
        Some(100_000),
        "the idle deadline is set at registration"
    );
    block_on(relay.put(sid(1), put_req(b"abc", &[]), 50_000)).unwrap_or_else(|e| panic!("{e}"));
    // Activity moves the deadline; the earlier alarm only reschedules.
    block_on(relay.authenticate(Ok(TOKEN), 50_000)).unwrap();
    let early = block_on(relay.sweep(100_000)).unwrap();
    assert!(!early.removed);
    let swept = block_on(relay.sweep(150_000)).unwrap();
    assert!(swept.removed);
    assert!(w.index.map.borrow().is_empty() && w.kv_keys().is_empty());
    assert!(w.sockets.closed.get());
    assert_eq!(
        block_on(relay.authenticate(Ok(TOKEN), 150_001)),
        Err(RelayError::UnknownGroup)
    );
    let req = RegisterRequest {
        token_sha256: hash_token(&TOKEN),
        registration_key: None,
    };
    assert_eq!(
        block_on(relay.register(&req, None, async || Ok(true), 150_002)),
        Ok(Registered::Created)
    );
}

#[test]
fn registration_flood_is_asked_to_wait_only_when_creating() {
    let rng = Seeded::new(15);
    let w = World::registered(&rng, Limits::default());
    let relay = w.relay();
    let same = RegisterRequest {
        token_sha256: hash_token(&TOKEN),
        registration_key: None,
    };
    let refuse = async || -> Result<bool, RelayError> { Ok(false) };
    assert_eq!(
        block_on(relay.register(&same, None, refuse, 1)),
        Ok(Registered::Existing)
    );
    let other = World::new(&rng, Limits::default());
    let req = RegisterRequest {
        token_sha256: TokenHash::from_bytes([3; 32]),
        registration_key: None,
    };
    assert_eq!(
        block_on(other.relay().register(&req, None, refuse, 1)),
        Err(RelayError::RateLimited)
    );
    assert!(other.index.map.borrow().is_empty());
}

#[test]
fn retained_records_are_bounded_oldest_first() {
    let rng = Seeded::new(16);
    let limits = Limits {
        max_shares_per_group: 3,
        ..Limits::default()
    };
    let w = World::registered(&rng, limits);
    let relay = w.relay();
    for i in 1..=5u8 {
        block_on(relay.put(sid(i), put_req(b"abc", &[]), u64::from(i))).unwrap();
        block_on(relay.delete(sid(i), u64::from(i))).unwrap();
    }
    let retained = block_on(relay.retained_records()).unwrap();
    let mut ids: Vec<_> = retained.iter().map(|r| r.id).collect();
    ids.sort();
    assert_eq!(ids, vec![sid(3), sid(4), sid(5)]);
}

#[test]
fn unknown_group_answers_before_the_token_is_checked() {
    let rng = Seeded::new(17);
    let w = World::new(&rng, Limits::default());
    for token in [Ok(TOKEN), Err(RelayError::Unauthorized)] {
        assert_eq!(
            block_on(w.relay().authenticate(token, 0)),
            Err(RelayError::UnknownGroup)
        );
    }
    let w = World::registered(&rng, Limits::default());
    let wrong = gfms_protocol::Token::from_bytes([1; 32]);
    for token in [Ok(wrong), Err(RelayError::Unauthorized)] {
        assert_eq!(
            block_on(w.relay().authenticate(token, 0)),
            Err(RelayError::Unauthorized)
        );
    }
}
