//! Concurrent key epochs: two members remove someone — two different members, or the
//! same one — while offline from each other, and write on both sides of their removal.
//! Once everyone syncs, every device still in the group sends in the same epoch (the
//! winner of the greatest number, docs/member-keys.md), holds the same ledger and lost
//! nothing; each removed member's device is told, and can open nothing written after
//! the group settled — not even by scanning every share on every relay with every
//! secret it holds.
#![cfg(not(target_arch = "wasm32"))]

mod sim;

use gfms_ledger::EventId;
use gfms_sync::Group;
use sim::scan::readable_events;
use sim::{SimRelay, round, settings, spend, url};

/// Rounds of every device in turn, `n` times.
fn rounds(gs: &mut [&mut Group], relays: &mut [SimRelay], t: &mut u64, n: usize) {
    for _ in 0..n {
        for g in gs.iter_mut() {
            *t += 1;
            round(g, relays, *t);
        }
    }
}

/// A group of `names.len()` members on three relays (k = 2), every device knowing all.
fn group(names: &[&str], relays: &mut [SimRelay], t: &mut u64) -> Vec<Group> {
    let settings = settings("Lisbon trip");
    let urls: Vec<String> = (0..3).map(url).collect();
    let mut gs = vec![Group::create(settings, names[0], &urls, 2, 1).unwrap()];
    let invite = gs[0].invite();
    for (i, name) in names.iter().enumerate().skip(1) {
        gs.push(Group::join(&invite, name, 1 + i as u64).unwrap());
    }
    let mut refs: Vec<&mut Group> = gs.iter_mut().collect();
    rounds(&mut refs, relays, t, 3);
    for g in &mut gs {
        assert_eq!(g.state().active_members().count(), names.len(), "set-up");
    }
    gs
}

/// The epoch a device sends in: its number and the event that started it.
fn epoch(g: &mut Group) -> (u64, String) {
    let saved: serde_json::Value = serde_json::from_str(&g.save().unwrap()).unwrap();
    let start = saved["member_keys"]["current"].to_string();
    (g.keys_view().epoch, start)
}

/// The two who stay converge; each removed device is told and, after the group
/// settled, can open nothing new.
fn settle_and_check(
    stay: [&mut Group; 2],
    removed: &mut [&mut Group],
    relays: &mut [SimRelay],
    t: &mut u64,
    written: &[EventId],
) {
    let [alice, bob] = stay;
    {
        let mut all: Vec<&mut Group> = vec![&mut *alice, &mut *bob];
        all.extend(removed.iter_mut().map(|g| &mut **g));
        rounds(&mut all, relays, t, 6);
    }
    let (ea, eb) = (epoch(alice), epoch(bob));
    assert!(ea.0 >= 1, "the removals started a key epoch");
    assert_eq!(ea, eb, "Alice and Bob send in the same epoch");
    assert_eq!(alice.export_json().unwrap(), bob.export_json().unwrap());
    for (name, g) in [("alice", &*alice), ("bob", &*bob)] {
        for id in written {
            assert!(g.ledger().get(id).is_some(), "{name} lacks {id}");
        }
        assert_eq!(g.outbox_len(), 0, "{name} still has batches out");
    }
    for g in removed.iter_mut() {
        assert!(g.removal().is_some(), "a removed device is told");
    }

    // Written once the group settled: Alice's and Bob's reach each other; no removed
    // device can open them, now or however long it keeps syncing.
    *t += 100;
    let (a, b) = (
        spend(alice, "Bifana", 1500, *t),
        spend(bob, "Bifana", 2500, *t + 1),
    );
    *t += 2;
    round(alice, relays, *t);
    round(bob, relays, *t + 1);
    *t += 2;
    for g in removed.iter_mut() {
        let seen = readable_events(&g.save().unwrap(), relays);
        assert!(
            !seen.contains(&a) && !seen.contains(&b),
            "a removed device can open a batch written after the group settled"
        );
    }
    {
        let mut all: Vec<&mut Group> = vec![&mut *alice, &mut *bob];
        all.extend(removed.iter_mut().map(|g| &mut **g));
        rounds(&mut all, relays, t, 4);
    }
    for id in [&a, &b] {
        assert!(alice.ledger().get(id).is_some() && bob.ledger().get(id).is_some());
        for g in removed.iter() {
            assert!(g.ledger().get(id).is_none(), "a removed device read {id}");
        }
    }
    assert_eq!(alice.outbox_len() + bob.outbox_len(), 0);
}

/// Misbehaving member (keeps syncing after removal), offline devices: Alice removes
/// Carol while Bob, offline from her, removes Dave; both write before and after. Two
/// `epoch_started` for epoch 1, each sealed to a removed member the other still counts
/// in: the winner is taken everywhere, and the revocation fires again for whoever still
/// holds it.
#[test]
fn offline_for_weeks_concurrent_removals_of_two_members_converge_on_one_epoch() {
    let mut relays: Vec<SimRelay> = (0..3).map(|_| SimRelay::up()).collect();
    let mut t = 10;
    let gs = group(&["Alice", "Bob", "Carol", "Dave"], &mut relays, &mut t);
    let [mut alice, mut bob, mut carol, mut dave]: [Group; 4] =
        gs.try_into().unwrap_or_else(|_| panic!("four"));
    let (c, d) = (carol.me(), dave.me());
    let carol_before = spend(&mut carol, "Bifana", 300, 100);
    let a0 = spend(&mut alice, "Bifana", 1000, 101);
    let b0 = spend(&mut bob, "Bifana", 2000, 101);
    alice.remove_member(c, 102).unwrap();
    bob.remove_member(d, 102).unwrap();
    assert_ne!(epoch(&mut alice), epoch(&mut bob), "two starts of epoch 1");
    let a1 = spend(&mut alice, "Bifana", 1100, 103);
    let b1 = spend(&mut bob, "Bifana", 2100, 103);
    // Each syncs alone first: the other's removal is not there yet.
    t = 200;
    round(&mut alice, &mut relays, t);
    round(&mut carol, &mut relays, t + 1);
    let b2 = spend(&mut bob, "Bifana", 2200, t + 2);
    settle_and_check(
        [&mut alice, &mut bob],
        &mut [&mut carol, &mut dave],
        &mut relays,
        &mut t,
        &[carol_before, a0, b0, a1, b1, b2],
    );
}

/// Misbehaving member, offline devices: Alice and Bob both remove Carol, offline from
/// each other, and write on both sides: two starts of epoch 1, one winner everywhere.
#[test]
fn offline_for_weeks_concurrent_removals_of_one_member_converge_on_one_epoch() {
    let mut relays: Vec<SimRelay> = (0..3).map(|_| SimRelay::up()).collect();
    let mut t = 10;
    let gs = group(&["Alice", "Bob", "Carol"], &mut relays, &mut t);
    let [mut alice, mut bob, mut carol]: [Group; 3] =
        gs.try_into().unwrap_or_else(|_| panic!("three"));
    let c = carol.me();
    let a0 = spend(&mut alice, "Bifana", 1000, 100);
    let b0 = spend(&mut bob, "Bifana", 2000, 100);
    alice.remove_member(c, 101).unwrap();
    bob.remove_member(c, 101).unwrap();
    assert_eq!(alice.keys_view().epoch, 1);
    assert_eq!(bob.keys_view().epoch, 1);
    assert_ne!(epoch(&mut alice), epoch(&mut bob), "two starts of epoch 1");
    let a1 = spend(&mut alice, "Bifana", 1100, 102);
    let b1 = spend(&mut bob, "Bifana", 2100, 102);
    t = 200;
    round(&mut alice, &mut relays, t);
    let a2 = spend(&mut alice, "Bifana", 1200, t + 1);
    settle_and_check(
        [&mut alice, &mut bob],
        &mut [&mut carol],
        &mut relays,
        &mut t,
        &[a0, b0, a1, b1, a2],
    );
}

/// Misbehaving member: after two concurrent starts of epoch 1, Dave joins with an
/// invite of the winner and is removed. His `member_joined` names only the number, not
/// the start; the winner's secret he holds is still revoked: the group moves on.
#[test]
fn misbehaving_member_invited_into_a_contested_epoch_then_removed_is_revoked() {
    let mut relays: Vec<SimRelay> = (0..3).map(|_| SimRelay::up()).collect();
    let mut t = 10;
    let gs = group(&["Alice", "Bob", "Carol"], &mut relays, &mut t);
    let [mut alice, mut bob, mut carol]: [Group; 3] =
        gs.try_into().unwrap_or_else(|_| panic!("three"));
    let c = carol.me();
    alice.remove_member(c, 100).unwrap();
    bob.remove_member(c, 100).unwrap();
    t = 200;
    rounds(
        &mut [&mut alice, &mut bob, &mut carol],
        &mut relays,
        &mut t,
        4,
    );
    let contested = epoch(&mut alice);
    assert_eq!(contested.0, 1);
    assert_eq!(epoch(&mut bob), contested);

    let mut dave = Group::join(&alice.invite(), "Dave", t).unwrap();
    t += 1;
    round(&mut dave, &mut relays, t);
    round(&mut alice, &mut relays, t + 1);
    let d = dave.me();
    alice.remove_member(d, t + 2).unwrap();
    t += 3;
    rounds(
        &mut [&mut dave, &mut alice, &mut bob],
        &mut relays,
        &mut t,
        5,
    );
    assert!(dave.removal().is_some(), "Dave's device is told");
    let (ea, eb) = (epoch(&mut alice), epoch(&mut bob));
    assert_eq!(ea, eb);
    assert!(ea.0 >= 2, "Dave's secret is revoked: still {ea:?}");
}
