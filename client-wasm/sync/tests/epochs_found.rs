//! Key epochs under the simulated schedules' faults, as fixed cases the random search
//! found (`simulated.rs` runs the random ones).
#![cfg(not(target_arch = "wasm32"))]

mod sim;

use sim::Lie;
use sim::devices::{Faults, World};
use sim::schedule::Action::*;

/// Lossy relay, concurrent removals and a departure: the creator's listings lose its
/// fellow members' joins, it removes one member while another removes it, then leaves.
/// Found by the random schedules: in its view no member stayed, yet it started a key
/// epoch sealed to itself alone, sent its departure there, and no one could ever read
/// it and hand it over — its device stayed "leaving" for ever. A device that knows no
/// other active member starts no epoch now.
#[test]
fn lossy_relay_concurrent_removals_a_device_alone_in_its_view_starts_no_epoch() {
    let f = Faults::default;
    let lossy = Faults { lose: 49, ..f() };
    let acts = vec![
        Leave(0),
        Leave(4),
        Sync(4, lossy),
        Sync(0, f()),
        Sync(2, f()),
        Sync(0, f()),
        Sync(2, f()),
        Sync(1, f()),
        Add(3, 463),
        Wipe(1),
        Tick(5_581_055),
        Remove(1, 0),
        Remove(3, 3),
        Down(1),
        Remove(0, 2),
        Sync(2, f()),
        Leave(0),
        Add(1, 5702),
        Add(0, 555),
        Down(1),
        Add(4, 7554),
        Lie(2, Lie::ServeAnotherShare),
    ];
    // Keys are random, so the order of pseudonyms is too: the failure showed in about
    // one run in two.
    for _ in 0..6 {
        let mut w = World::new(3);
        for a in acts.clone() {
            w.apply(a);
        }
        w.recover();
        assert!(
            w.tracker.violations.is_empty(),
            "{:?}",
            w.tracker.violations
        );
        for (d, dev) in w.devices.iter().enumerate() {
            assert_eq!(
                dev.group.outbox_len(),
                0,
                "device {d} still has batches out"
            );
        }
    }
}

/// Two writers, offline devices: the creator leaves while a member it invited last has
/// not synced yet. A member who stays starts epoch 1 sealed to the members it knows, and
/// its snapshot for a newcomer goes out in it; the newcomer, who joined with epoch 0's
/// invite, starts its own epoch 1, which wins. Found by the random schedules: the
/// batches in the start that lost waited a week before being sealed again in the
/// winner, held up by the newcomer, who is never given the lost start's secret. They
/// are sealed again as soon as their sender switches.
#[test]
fn offline_devices_concurrent_epoch_starts_a_newcomer_holds_up_no_batch() {
    let f = Faults::default;
    let acts = vec![
        Sync(1, f()),
        Sync(0, f()),
        Sync(2, f()),
        Join(2),
        Join(2),
        Sync(1, f()),
        Sync(3, f()),
        Leave(0),
    ];
    for _ in 0..3 {
        let mut w = World::new(3);
        for a in acts.clone() {
            w.apply(a);
        }
        w.recover();
        assert!(
            w.tracker.violations.is_empty(),
            "{:?}",
            w.tracker.violations
        );
        for (d, dev) in w.devices.iter().enumerate() {
            assert_eq!(
                dev.group.outbox_len(),
                0,
                "device {d} still has batches out"
            );
        }
    }
}

/// Offline devices, a crash at a save point: a member joins with the creator's invite
/// while another leaves; the creator starts epoch 1 before it hears of the newcomer,
/// then shares it with the newcomer, routed to epoch 0, the only one it holds. Found by
/// the random schedules: the newcomer, who had no history yet, kept that `epoch_shared`
/// aside (`unknown_key`: the sender's card is in the history), while its history — the
/// snapshots it is owed — was sealed in epoch 1. It never caught up, and held up every
/// batch sent to it. The card event now goes along with the epoch event.
#[test]
fn offline_devices_a_newcomer_without_history_learns_an_epoch_shared_with_it() {
    let f = Faults::default;
    let crash = Faults {
        crash_at_persist: Some(1),
        ..f()
    };
    let acts = vec![
        Add(0, 1),
        Sync(1, crash),
        Sync(0, f()),
        Sync(1, f()),
        Sync(2, f()),
        Join(0),
        Leave(2),
        Sync(2, f()),
    ];
    for _ in 0..3 {
        let mut w = World::new(3);
        for a in acts.clone() {
            w.apply(a);
        }
        w.recover();
        assert!(
            w.tracker.violations.is_empty(),
            "{:?}",
            w.tracker.violations
        );
        for (d, dev) in w.devices.iter().enumerate() {
            assert_eq!(
                dev.group.outbox_len(),
                0,
                "device {d} still has batches out"
            );
        }
    }
}

/// Lossy relay, offline devices: a member removes the creator and invites a newcomer
/// into the epoch it starts, while another member, who never heard of that start in
/// time, starts its own epoch 1, which wins. Found by the random schedules: the
/// newcomer's `member_joined` names only the number of its epoch, so it counted as
/// holding the winner and no one shared the winner with it; and the batch that did
/// (routed to the start that lost) waited for a member who can never read that start.
/// A member who joined with a number that had several starts now counts only where
/// the secret was sealed to it, is reached in each start of that number it may hold,
/// and a batch in a lost start waits only for those who may hold it.
#[test]
fn lossy_relay_a_newcomer_invited_into_an_epoch_start_that_lost_still_catches_up() {
    let f = Faults::default;
    let lossy = Faults { lose: 126, ..f() };
    let acts = vec![
        Sync(1, f()),
        Sync(0, lossy),
        Sync(2, f()),
        Sync(1, f()),
        Remove(1, 0),
        Join(2),
        Join(1),
    ];
    for _ in 0..3 {
        let mut w = World::new(3);
        for a in acts.clone() {
            w.apply(a);
        }
        w.recover();
        assert!(
            w.tracker.violations.is_empty(),
            "{:?}",
            w.tracker.violations
        );
        for (d, dev) in w.devices.iter().enumerate() {
            assert_eq!(
                dev.group.outbox_len(),
                0,
                "device {d} still has batches out"
            );
        }
    }
}
