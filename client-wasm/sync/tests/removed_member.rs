//! A removed member whose device keeps syncing with its old state: it is told who
//! removed it, keeps a read-only copy, and learns nothing written after its removal —
//! later batches are sealed in a key epoch whose secret went only to the members who
//! stay. The members who stay lose nothing written on either side of the switch.
#![cfg(not(target_arch = "wasm32"))]

mod sim;

use gfms_ledger::{Expense, GroupSettings, Split};
use gfms_sync::{Group, SyncReport};
use sim::{Act, Ended, SimRelay, run_round, url};

fn round(g: &mut Group, relays: &mut [SimRelay], now: u64) -> SyncReport {
    match run_round(g, relays, now, &mut |_| {}, &mut |_| Act::Send) {
        Ended::Done(report) => report,
        Ended::Crashed => panic!("no crash was asked for"),
    }
}

fn expense(g: &mut Group, cents: i64, now: u64) -> gfms_ledger::EventId {
    let me = g.me();
    let members = g.state().active_members().map(|(m, _)| *m).collect();
    let e = Expense {
        title: "Taxi".into(),
        amount: cents,
        currency: "EUR".into(),
        rate: None,
        category: "transport".into(),
        shop: "Táxi".into(),
        account: "cash".into(),
        payers: vec![(me, cents)],
        split: Split::Equal { members },
        date: "2026-11-26".into(),
        note: String::new(),
        ..Expense::default()
    };
    g.add_expense(e, now).expect("an expense")
}

#[test]
fn removed_member_keeps_syncing_and_learns_nothing_written_after_its_removal() {
    let mut relays: Vec<SimRelay> = (0..3).map(|_| SimRelay::up()).collect();
    let settings = GroupSettings {
        name: "Lisbon trip".into(),
        currency: "EUR".into(),
        categories: vec![],
        accounts: vec![],
    };
    let urls: Vec<String> = (0..3).map(url).collect();
    let mut alice = Group::create(settings, "Alice", &urls, 2, 1).unwrap();
    let invite = alice.invite();
    let mut bob = Group::join(&invite, "Bob", 2).unwrap();
    let mut carol = Group::join(&invite, "Carol", 3).unwrap();
    let mut t = 10;
    let mut all = |a: &mut Group, b: &mut Group, c: &mut Group, relays: &mut [SimRelay]| {
        for _ in 0..3 {
            t += 10;
            round(a, relays, t);
            round(b, relays, t + 1);
            round(c, relays, t + 2);
        }
    };
    all(&mut alice, &mut bob, &mut carol, &mut relays);
    let before = expense(&mut bob, 1200, 100);
    let c = carol.me();
    alice.remove_member(c, 110).unwrap();
    // Written on both sides of the switch: Bob before he hears of it, Alice after.
    let bob_during = expense(&mut bob, 800, 111);
    all(&mut alice, &mut bob, &mut carol, &mut relays);
    let after = expense(&mut alice, 3000, 500);
    all(&mut alice, &mut bob, &mut carol, &mut relays);
    assert!(
        alice.keys_view().epoch >= 1,
        "the removal started a key epoch"
    );
    for (name, g) in [("alice", &alice), ("bob", &bob)] {
        for id in [&before, &bob_during, &after] {
            assert!(g.ledger().get(id).is_some(), "{name} lacks {id}");
        }
    }
    // Carol's device was told, and is read-only.
    let removal = carol.removal().expect("carol's device is told");
    assert_eq!(removal.by, alice.me());
    assert_eq!(removal.by_name, "Alice");
    assert_eq!(removal.group, "Lisbon trip");
    assert!(carol.leaving(), "read-only");
    assert!(
        carol.ledger().get(&before).is_some(),
        "she keeps what she had"
    );
    // She keeps syncing with her old state: nothing written after her removal reaches
    // her, however long she keeps trying.
    for i in 0..5 {
        round(&mut carol, &mut relays, 600 + i);
    }
    assert!(
        carol.ledger().get(&after).is_none(),
        "carol read a record written after her removal"
    );
    assert!(carol.export_json().is_ok(), "she can export her copy");
}
