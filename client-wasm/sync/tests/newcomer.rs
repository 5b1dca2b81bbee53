//! A newcomer catching up with a long history: the snapshot comes in many batches that
//! open in any order, and every event of it is held at the end. Run against the
//! simulated relays.
#![cfg(not(target_arch = "wasm32"))]

mod sim;

use std::collections::BTreeSet;

use gfms_ledger::{Expense, Split};
use gfms_sync::{Group, HttpRequest, Method, Outcome};
use sim::{Act, Ended, SimRelay, run_round, settings, url};

/// More events than a device keeps aside (`MAX_ASIDE`, 1,000) outside the snapshot's
/// first batch: several batches of 256 KiB.
const EVENTS: usize = 1_600;

fn round(g: &mut Group, relays: &mut [SimRelay], now: u64) {
    round_with(g, relays, now, &mut |_| Act::Send);
}

fn round_with(
    g: &mut Group,
    relays: &mut [SimRelay],
    now: u64,
    choose: &mut dyn FnMut(&HttpRequest) -> Act,
) {
    match run_round(g, relays, now, &mut |_| {}, choose) {
        Ended::Done(_) => {}
        Ended::Crashed => panic!("no crash was asked for"),
    }
}

/// The share id in a share URL.
fn share_of(r: &HttpRequest) -> Option<String> {
    let path = r.url.split('?').next()?;
    let (_, sid) = path.rsplit_once("/shares/")?;
    Some(sid.to_string())
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
    let mut puts: Vec<String> = Vec::new();
    round_with(&mut alice, &mut relays, 32, &mut |r| {
        if r.method == Method::Put {
            puts.extend(share_of(r));
        }
        Act::Send
    });
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
