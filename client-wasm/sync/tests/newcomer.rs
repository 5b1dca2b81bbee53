//! A newcomer catching up with a long history: the snapshot comes in many batches that
//! open in any order, and every event of it is held at the end. Run against the
//! simulated relays.
#![cfg(not(target_arch = "wasm32"))]

mod sim;

use std::collections::BTreeSet;

use gfms_ledger::{Expense, Split};
use gfms_sync::{Group, Method, Outcome};
use sim::{
    Act, Ended, SimRelay, alice_answers, alice_with_history_and_dave_announced, aside_bytes, round,
    round_with, round_withholding, settings, share_of, url,
};

/// More events than a device kept aside before its bound was in bytes (1,000) outside
/// the snapshot's first batch: several batches of 256 KiB.
const EVENTS: usize = 1_600;

/// More events outside the snapshot's first batch than fit aside (`MAX_ASIDE_BYTES`,
/// 512 KiB: about 1,100 signed expenses).
const MORE_THAN_FIT_ASIDE: usize = 2_400;

/// Withholding relays: for `late` whole rounds of Dave's, every fetch of the first batch
/// of Alice's snapshot (the one with her card) is answered "not found", so her other
/// batches open one or more rounds before it, with more events waiting for her card than
/// fit aside. Those that find no room are not acked: their batches stay begun and are
/// gathered again. Once the card batch opens, Dave holds every event of the history, and
/// nothing is left aside.
fn withholding_relays_delay_the_card_batch_by(late: u64) {
    let mut relays: Vec<SimRelay> = (0..3).map(|_| SimRelay::up()).collect();
    let (mut alice, mut dave) =
        alice_with_history_and_dave_announced(&mut relays, MORE_THAN_FIT_ASIDE);
    let puts = alice_answers(&mut alice, &mut relays, 32);
    let first: BTreeSet<String> = puts[..3].iter().cloned().collect();
    let held = |g: &Group| g.ledger().stored().count();
    for r in 0..late {
        round_withholding(&mut dave, &mut relays, 33 + r, &first);
        assert!(
            held(&dave) + dave.kept_aside().len() < held(&alice),
            "round {r}: more arrived than fits aside, some left to come again"
        );
        assert!(
            aside_bytes(&dave) <= 512 * 1024,
            "round {r}: what is kept aside stays within its bound: {}",
            aside_bytes(&dave)
        );
    }
    for r in 0..2 {
        round(&mut dave, &mut relays, 40 + r);
    }
    assert_eq!(held(&dave), held(&alice), "Dave holds the whole history");
    assert_eq!(dave.export_json().unwrap(), alice.export_json().unwrap());
    assert!(dave.kept_aside().is_empty(), "nothing left aside");
}

#[test]
fn withholding_relay_card_batch_one_round_late_newcomer_holds_every_event() {
    withholding_relays_delay_the_card_batch_by(1);
}

#[test]
fn withholding_relay_card_batch_three_rounds_late_newcomer_holds_every_event() {
    withholding_relays_delay_the_card_batch_by(3);
}

/// Lossy relay, on a newcomer's first catch-up: the shares of the snapshot's first batch
/// (the one with the author's card, sealed first) are not found three times, so that batch opens a
/// wave after the others, whose events cannot be checked before the card is known. The
/// newcomer still holds every event of the history after that one round: none was lost
/// to the bound on events kept aside.
#[test]
fn lossy_relay_newcomer_holds_every_event_when_the_card_batch_opens_last() {
    let mut relays: Vec<SimRelay> = (0..3).map(|_| SimRelay::up()).collect();
    let settings = settings("Flat");
    let urls: Vec<String> = (0..3).map(url).collect();
    let mut alice = Group::create(settings, "Alice", &urls, 2, 1).unwrap();
    let me = alice.me();
    for i in 0..EVENTS {
        let e = Expense {
            title: format!("Groceries {i}"),
            amount: 100 + i as i64,
            currency: "EUR".into(),
            category: "food".into(),
            shop: "market".into(),
            account: "cash".into(),
            payers: vec![(me, 100 + i as i64)],
            split: Split::Equal { members: vec![me] },
            date: "2026-11-25".into(),
            ..Expense::default()
        };
        alice.add_expense(e, 10).expect("an expense");
    }
    for t in 0..4 {
        round(&mut alice, &mut relays, 20 + t);
    }
    assert_eq!(alice.outbox_len(), 0, "Alice's own batches are done");

    let mut dave = Group::join(&alice.invite(), "Dave", 30).unwrap();
    round(&mut dave, &mut relays, 31);
    // Alice answers with her snapshot; its batches are put in the order they were
    // sealed, the first (her card) first.
    let puts = alice_answers(&mut alice, &mut relays, 32);
    assert!(
        puts.len() >= 9,
        "a snapshot of several batches: {}",
        puts.len()
    );
    let first: BTreeSet<String> = puts[..3].iter().cloned().collect();

    // The first two probes of it are not found, then its header is read at the third
    // relay, then the share gathered to open it is not found either: it opens a wave
    // after every other batch.
    let (mut asked, mut failed) = (0, 0);
    round_with(&mut dave, &mut relays, 33, &mut |r| {
        if r.method == Method::Get && share_of(r).is_some_and(|s| first.contains(&s)) {
            asked += 1;
            if [1, 2, 4].contains(&asked) {
                failed += 1;
                // Not there (yet): the relay stays up, the share is asked elsewhere.
                return Act::Answer(Outcome::Response {
                    status: 404,
                    body: br#"{"error":"not_found","message":"no such share"}"#.to_vec(),
                });
            }
        }
        Act::Send
    });
    assert_eq!(
        failed, 3,
        "the first batch's shares were not found three times"
    );
    let held = |g: &Group| g.ledger().stored().count();
    assert_eq!(held(&dave), held(&alice), "Dave holds the whole history");
    assert_eq!(dave.export_json().unwrap(), alice.export_json().unwrap());
}

fn copy_relays(relays: &[SimRelay]) -> Vec<SimRelay> {
    serde_json::from_str(&serde_json::to_string(relays).unwrap()).unwrap()
}

/// Rounds of Alice's and Dave's in turn until Dave holds what Alice holds and Alice has
/// nothing left to deliver; how many pairs it took (`None`: not within `max`).
fn settle_newcomer(
    alice: &mut Group,
    dave: &mut Group,
    relays: &mut [SimRelay],
    now: u64,
    max: u64,
) -> Option<u64> {
    for i in 0..max {
        round(dave, relays, now + 2 * i);
        round(alice, relays, now + 2 * i + 1);
        if dave.export_json().unwrap() == alice.export_json().unwrap() && alice.outbox_len() == 0 {
            return Some(i + 1);
        }
    }
    None
}

/// The snapshot is sealed in the round's merge, saved once with the acks owed, and its
/// shares go out with the acks: one save and one round trip less for the member who
/// answers a newcomer.
#[test]
fn answering_a_newcomer_puts_the_snapshot_with_the_acks() {
    let mut relays: Vec<SimRelay> = (0..3).map(|_| SimRelay::up()).collect();
    let (mut alice, _dave) = alice_with_history_and_dave_announced(&mut relays, 20);
    let mut round = gfms_sync::Round::new(&mut alice, 32);
    // Each request as what it does: the listing is a POST too since it carries status
    // and acks, so an ack is told by its path.
    let mut waves: Vec<Vec<(Method, bool)>> = Vec::new();
    let mut saves_after_acks = 0;
    loop {
        match round.next(&mut alice) {
            gfms_sync::Step::Persist => {
                if waves.iter().flatten().any(|(_, ack)| *ack) {
                    saves_after_acks += 1;
                }
                round.persisted();
            }
            gfms_sync::Step::Done(report) => {
                assert_eq!(report.sent_batches, 1, "the snapshot, one batch");
                break;
            }
            gfms_sync::Step::Requests(reqs) => {
                waves.push(
                    reqs.iter()
                        .map(|r| (r.method, r.url.ends_with("/acks")))
                        .collect(),
                );
                for r in reqs {
                    let i = sim::relay_index(&r).unwrap();
                    let outcome = relays[i].handle(&r);
                    round.handle(&mut alice, r.id, outcome);
                }
            }
        }
    }
    let wave = waves
        .iter()
        .find(|w| w.iter().any(|(_, ack)| *ack))
        .expect("a wave of acks");
    assert_eq!(
        wave.iter().filter(|(m, _)| *m == Method::Put).count(),
        3,
        "the snapshot's three shares go out with the acks: {waves:?}"
    );
    assert_eq!(
        waves
            .iter()
            .flatten()
            .filter(|(m, _)| *m == Method::Put)
            .count(),
        3,
        "and are not put again"
    );
    assert_eq!(
        saves_after_acks, 1,
        "one save after the acks: the round's end"
    );
}

/// Crashing device: Alice, answering Dave, crashes at each save point and before each
/// request of that round in turn (between her acks and the snapshot's puts of the same
/// wave included). Restarted from what she saved last, her next rounds and Dave's bring
/// Dave the whole history and leave Alice nothing to deliver.
#[test]
fn crashing_device_answering_a_newcomer_loses_nothing_at_any_point() {
    let mut relays: Vec<SimRelay> = (0..3).map(|_| SimRelay::up()).collect();
    let (alice, dave) = alice_with_history_and_dave_announced(&mut relays, 20);
    let (alice_saved, dave_saved) = (alice.save().unwrap(), dave.save().unwrap());
    let mut points = 0;
    for crash_at in 0.. {
        let mut relays = copy_relays(&relays);
        let mut alice = Group::load(&alice_saved).unwrap();
        let mut dave = Group::load(&dave_saved).unwrap();
        let mut last = alice_saved.clone();
        // Save points and requests, counted together in the round's order.
        let point = std::cell::Cell::new(0);
        let crash_here = || {
            point.set(point.get() + 1);
            point.get() == crash_at + 1
        };
        let ended = sim::run_round_with(
            &mut alice,
            &mut relays,
            32,
            &mut |g| {
                if crash_here() {
                    return false;
                }
                last = g.save().unwrap();
                true
            },
            &mut |_| if crash_here() { Act::Crash } else { Act::Send },
        );
        if matches!(ended, Ended::Done(_)) {
            points = crash_at;
            break;
        }
        let mut alice = Group::load(&last).unwrap();
        let took = settle_newcomer(&mut alice, &mut dave, &mut relays, 40, 4);
        assert!(
            took.is_some(),
            "crash at point {crash_at}: Dave misses events"
        );
    }
    assert!(points >= 8, "saves and requests of the round: {points}");
}

/// Lying relay (two of them): they answer the puts of one batch of Alice's snapshot and
/// drop its shares, so Dave cannot open it. Alice's status request finds the copies
/// missing and puts them again; after more rounds Dave holds the whole history.
#[test]
fn lying_relays_that_drop_a_snapshot_batch_still_leave_the_newcomer_everything() {
    let mut relays: Vec<SimRelay> = (0..3).map(|_| SimRelay::up()).collect();
    // More than one batch of 256 KiB.
    let (mut alice, mut dave) = alice_with_history_and_dave_announced(&mut relays, 900);
    let mut puts: Vec<(usize, String)> = Vec::new();
    round_with(&mut alice, &mut relays, 32, &mut |r| {
        if r.method == Method::Put {
            puts.extend(share_of(r).map(|s| (sim::relay_index(r).unwrap(), s)));
        }
        Act::Send
    });
    assert!(puts.len() >= 6, "a snapshot of several batches: {puts:?}");
    // The last batch's shares at relays 0 and 1 are gone.
    let dropped: Vec<(usize, String)> = puts[puts.len() - 3..]
        .iter()
        .filter(|(i, _)| *i < 2)
        .cloned()
        .collect();
    assert_eq!(dropped.len(), 2);
    for (i, sid) in &dropped {
        for (_, shares) in relays[*i].groups.values_mut() {
            shares.retain(|id, _| id.to_string() != *sid);
        }
    }
    round(&mut dave, &mut relays, 33);
    assert!(
        dave.ledger().stored().count() < alice.ledger().stored().count(),
        "the dropped batch did not open"
    );
    let took = settle_newcomer(&mut alice, &mut dave, &mut relays, 40, 4);
    assert!(took.is_some(), "Dave holds the whole history in the end");
}
