//! The sync engine against simulated relays, in memory (`sim/`): the relay API's
//! semantics without workerd, so thousands of random schedules run in seconds. Each
//! schedule (`sim/schedule.rs`) mixes writes, syncs that crash at any request or save
//! point or lose any responses, a clock past the TTL, joins, leaves, removals, relay-set
//! changes, events written as a newer version, and relays that go down, forget, lie or
//! lose the group. Once the relays recover, the invariants (`sim/invariants.rs`) hold:
//! every event written reaches every member still in the group, byte for byte; no
//! device acked what it had not stored; outboxes drain; every device still in the
//! group sends in the same key epoch; relays hold nothing. The same
//! engine runs against real relays in tests/e2e.
//!
//! `make test` runs 48 schedules; `make soak` (scripts/soak.sh) many more, with
//! `PROPTEST_CASES`.
#![cfg(not(target_arch = "wasm32"))]

mod sim;

use proptest::prelude::*;
use sim::SimRelay;
use sim::devices::World;
use sim::schedule::action;

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(48),
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_schedule_of_faults_members_relays_and_newer_versions_delivers_everything(
        actions in proptest::collection::vec(action(), 0..60)
    ) {
        let mut w = World::new(3);
        for a in actions {
            w.apply(a);
        }
        w.recover();
        prop_assert!(w.tracker.violations.is_empty(), "{:?}", w.tracker.violations);
        // Who is in the group at the end: the state of every event ever written.
        let all = gfms_ledger::Ledger::from_stored(w.written.values().map(|t| {
            gfms_ledger::StoredEvent::from_text(t.clone(), None).expect("an event")
        }));
        let members: Vec<gfms_ledger::MemberId> =
            all.state().active_members().map(|(m, _)| *m).collect();
        for (d, dev) in w.devices.iter_mut().enumerate() {
            if dev.gone {
                continue;
            }
            prop_assert!(
                !dev.group.leaving(),
                "device {} still leaving: {} unsent, {} out",
                d, dev.group.unsent_count(), dev.group.outbox_len()
            );
            prop_assert_eq!(dev.group.outbox_len(), 0, "device {} still has batches out", d);
            prop_assert_eq!(dev.group.unsent_count(), 0);
            if !members.contains(&dev.group.me()) {
                continue; // removed, and not told (a removal is not sent to the removed)
            }
            let ledger = dev.group.ledger();
            for (id, text) in &w.written {
                let held = ledger.get_stored(id).map(|e| e.text());
                prop_assert_eq!(held, Some(text.as_str()), "device {} lacks event {}", d, id);
            }
        }
        // Every device still in the group sends in the same key epoch: concurrent
        // starts of one number (removals, departures) settle on one winner.
        let mut epochs = std::collections::BTreeSet::new();
        for dev in w.devices.iter().filter(|d| !d.gone) {
            if members.contains(&dev.group.me()) {
                let saved: serde_json::Value =
                    serde_json::from_str(&dev.saved).expect("a saved state");
                epochs.insert(saved["member_keys"]["current"].to_string());
            }
        }
        prop_assert!(epochs.len() <= 1, "devices send in different epochs: {:?}", epochs);
        let left: usize = w.relays.iter().map(SimRelay::share_count).sum();
        prop_assert_eq!(left, 0, "relays still hold shares");
    }
}
