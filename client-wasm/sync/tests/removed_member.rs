//! A removed member whose device keeps syncing with its old state: it is told who
//! removed it, keeps a read-only copy, and learns nothing written after its removal —
//! later batches are sealed in a key epoch whose secret went only to the members who
//! stay. The members who stay lose nothing written on either side of the switch.
#![cfg(not(target_arch = "wasm32"))]

mod sim;

use gfms_sync::Group;
use sim::{SimRelay, round, settings, spend, url};

#[test]
fn removed_member_keeps_syncing_and_learns_nothing_written_after_its_removal() {
    let mut relays: Vec<SimRelay> = (0..3).map(|_| SimRelay::up()).collect();
    let settings = settings("Lisbon trip");
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
    let before = spend(&mut bob, "Taxi", 1200, 100);
    let c = carol.me();
    alice.remove_member(c, 110).unwrap();
    // Written on both sides of the switch: Bob before he hears of it, Alice after.
    let bob_during = spend(&mut bob, "Taxi", 800, 111);
    all(&mut alice, &mut bob, &mut carol, &mut relays);
    let after = spend(&mut alice, "Taxi", 3000, 500);
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

/// Three rounds of every device, in turn.
fn rounds(gs: &mut [&mut Group], relays: &mut [SimRelay], t: &mut u64) {
    for _ in 0..3 {
        for g in gs.iter_mut() {
            *t += 1;
            round(g, relays, *t);
        }
    }
}

/// Crash between two rounds after a removal started a key epoch: each device's saved
/// state (v3: the epochs it holds, the one it sends in, a newcomer's first epoch) loads
/// to the same state, and after the restart the newcomer invited in the new epoch still
/// reads what the others write.
#[test]
fn crash_after_a_key_epoch_restarts_in_the_same_epochs() {
    let mut relays: Vec<SimRelay> = (0..3).map(|_| SimRelay::up()).collect();
    let settings = settings("Lisbon trip");
    let urls: Vec<String> = (0..3).map(url).collect();
    let mut alice = Group::create(settings, "Alice", &urls, 2, 1).unwrap();
    let invite = alice.invite();
    let mut bob = Group::join(&invite, "Bob", 2).unwrap();
    let mut carol = Group::join(&invite, "Carol", 3).unwrap();
    let mut t = 10;
    rounds(&mut [&mut alice, &mut bob, &mut carol], &mut relays, &mut t);
    alice.remove_member(carol.me(), 100).unwrap();
    rounds(&mut [&mut alice, &mut bob], &mut relays, &mut t);
    assert!(
        alice.keys_view().epoch >= 1,
        "the removal started a key epoch"
    );
    let mut dave = Group::join(&alice.invite(), "Dave", 200).unwrap();
    t = 300;
    rounds(&mut [&mut alice, &mut bob, &mut dave], &mut relays, &mut t);
    let restart = |g: &mut Group| {
        let saved = g.save().unwrap();
        let mut back = Group::load(&saved).unwrap();
        assert_eq!(
            back.save().unwrap(),
            saved,
            "a load changes nothing it saves"
        );
        assert_eq!(back.keys_view().epoch, g.keys_view().epoch);
        back
    };
    let (mut alice, mut bob, mut dave) =
        (restart(&mut alice), restart(&mut bob), restart(&mut dave));
    let after = spend(&mut alice, "Taxi", 900, 400);
    t = 500;
    rounds(&mut [&mut alice, &mut bob, &mut dave], &mut relays, &mut t);
    for (name, g) in [("bob", &bob), ("dave", &dave)] {
        assert!(g.ledger().get(&after).is_some(), "{name} lacks {after}");
    }
}

/// Misbehaving member, with someone in the group added by name only (Dan, who will never
/// install and so never publishes keys): the group is still "signed", and removing Carol
/// still starts a key epoch that revokes her. Before the fix, Dan's missing keys made every
/// revocation wait for ever: Carol kept reading everything written after her removal.
#[test]
fn misbehaving_member_a_name_only_member_does_not_stop_a_removal_from_revoking() {
    let mut relays: Vec<SimRelay> = (0..3).map(|_| SimRelay::up()).collect();
    let settings = settings("Lisbon trip");
    let urls: Vec<String> = (0..3).map(url).collect();
    let mut alice = Group::create(settings, "Alice", &urls, 2, 1).unwrap();
    let dan = gfms_ledger::add_placeholder(alice.state(), "Dan").unwrap();
    alice.append(dan, 5).unwrap();
    let invite = alice.invite();
    let mut bob = Group::join(&invite, "Bob", 2).unwrap();
    let mut carol = Group::join(&invite, "Carol", 3).unwrap();
    let mut t = 10;
    rounds(&mut [&mut alice, &mut bob, &mut carol], &mut relays, &mut t);
    assert!(
        alice.state().active_members().any(|(_, m)| m.placeholder),
        "Dan is in the group, by name only"
    );
    assert!(alice.keys_view().signed, "signed without Dan's keys");
    let c = carol.me();
    alice.remove_member(c, 200).unwrap();
    rounds(&mut [&mut alice, &mut bob, &mut carol], &mut relays, &mut t);
    let after = spend(&mut alice, "Taxi", 3000, 500);
    t = t.max(500);
    rounds(&mut [&mut alice, &mut bob, &mut carol], &mut relays, &mut t);
    assert!(
        alice.keys_view().epoch >= 1,
        "the removal started a key epoch"
    );
    assert!(bob.ledger().get(&after).is_some(), "bob, who stays, has it");
    for i in 0..5 {
        round(&mut carol, &mut relays, t + 10 + i);
    }
    assert!(
        carol.ledger().get(&after).is_none(),
        "carol read a record written after her removal"
    );
}
