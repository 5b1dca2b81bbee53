//! Lying relays in `POST /status`: a relay (or `n − 1` of them) that lists every member
//! it has seen as having fetched and acked every share cannot complete a batch. The
//! sender counts a member with a card only through that member's signed receipt, keeps
//! offering the batch to the member who never fetched it, and names the lying relays.
#![cfg(not(target_arch = "wasm32"))]

mod sim;

use gfms_sync::{RelayHealth, SyncReport};
use sim::{Lie, SimRelay, round, spend, trio, url};

fn lying_relays_cannot_complete_a_batch(liars: &[usize]) {
    let mut relays: Vec<SimRelay> = (0..3).map(|_| SimRelay::up()).collect();
    let (mut alice, mut bob, mut carol, _) = trio(&mut relays, round);
    for &r in liars {
        relays[r].lie = Lie::FabricateAcks;
    }
    let id = spend(&mut alice, "Dinner", 4200, 100);
    round(&mut alice, &mut relays, 101);
    round(&mut bob, &mut relays, 102);
    // Carol stays away. The liars list her as having fetched and acked, round after
    // round; Alice keeps the batch out.
    let mut report = SyncReport::default();
    for t in 0..3 {
        report = round(&mut alice, &mut relays, 110 + t);
        assert_eq!(
            alice.outbox_len(),
            1,
            "a relay's word never completes a batch"
        );
    }
    let pending = &alice.pending()[0];
    assert_eq!(pending.missing, vec![carol.me()], "Carol still lacks it");
    assert!(
        pending.sum_s >= pending.target,
        "the paper's counter is fooled, and shown"
    );
    for (i, r) in report.relays.iter().enumerate() {
        let expected = if liars.iter().any(|&l| url(l) == r.url) {
            RelayHealth::Lying
        } else {
            RelayHealth::Up
        };
        assert_eq!(r.health, expected, "relay {i}: {:?}", r.error);
    }
    // Carol comes back: the record is there for her, and then the batch completes.
    round(&mut carol, &mut relays, 200);
    assert!(
        carol.ledger().get_stored(&id).is_some(),
        "Carol received the record"
    );
    round(&mut alice, &mut relays, 201);
    assert_eq!(
        alice.outbox_len(),
        0,
        "complete on Bob's and Carol's receipts"
    );
}

#[test]
fn lying_relay_fabricating_ackers_cannot_make_a_member_miss_a_record() {
    lying_relays_cannot_complete_a_batch(&[1]);
}

#[test]
fn n_minus_one_lying_relays_fabricating_ackers_cannot_make_a_member_miss_a_record() {
    lying_relays_cannot_complete_a_batch(&[0, 1]);
}
