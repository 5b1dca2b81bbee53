//! A member back after a while (or a newcomer answered with a snapshot of many batches)
//! finds dozens of new batches listed at every relay: how many round trips its fetches
//! take, counted as waves (one `Step::Requests` is one round trip), not timed. Run
//! against the simulated relays, `k = 2` of `n = 3`.
#![cfg(not(target_arch = "wasm32"))]

mod sim;

use gfms_sync::{Group, Method, Round, Step};
use sim::{SimRelay, pair, relay_index, round, spend};

/// As many batches as the newcomer bench's 10,000-event snapshot.
const BATCHES: usize = 21;

/// What one round of `g` asked for: per wave, the fetches made.
fn fetch_waves(g: &mut Group, relays: &mut [SimRelay], now: u64) -> Vec<usize> {
    let mut round = Round::new(g, now);
    let mut waves = Vec::new();
    loop {
        match round.next(g) {
            Step::Persist => round.persisted(),
            Step::Done(_) => return waves,
            Step::Requests(reqs) => {
                let fetches = reqs
                    .iter()
                    .filter(|r| r.method == Method::Get && !r.url.ends_with("/shares"))
                    .count();
                if fetches > 0 {
                    waves.push(fetches);
                }
                for r in reqs {
                    let outcome = relays[relay_index(&r).unwrap()].handle(&r);
                    round.handle(g, r.id, outcome);
                }
            }
        }
    }
}

/// Bob, away while Alice saved `BATCHES` expenses one round each: his next round finds
/// `BATCHES` unknown shares listed at each relay.
fn bob_away_while_alice_writes() -> (Group, Group, Vec<SimRelay>, u64) {
    let mut relays: Vec<SimRelay> = (0..3).map(|_| SimRelay::up()).collect();
    let (mut alice, bob, mut t) = pair(&mut relays, false);
    for i in 0..BATCHES {
        t += 1;
        spend(&mut alice, &format!("Dinner {i}"), 1_000 + i as i64, t);
        round(&mut alice, &mut relays, t);
    }
    (alice, bob, relays, t)
}

/// Dozens of new batches are fetched in two round trips, whatever the relays' random
/// order: one probe (a slice at each relay, whose headers name their batches), then one
/// wave that gathers the found batches' missing shares and fetches what no probe named
/// at `k` relays (the rest of each listing is exactly the unnamed batches' shares). It
/// costs no more fetches than `k` per batch and the shares a probe hit twice over.
#[test]
fn a_member_back_after_a_while_fetches_dozens_of_batches_in_two_round_trips() {
    for attempt in 0..8 {
        let (alice, mut bob, mut relays, t) = bob_away_while_alice_writes();
        let waves = fetch_waves(&mut bob, &mut relays, t + 1 + attempt);
        assert_eq!(
            bob.ledger().stored().count(),
            alice.ledger().stored().count(),
            "Bob holds everything Alice wrote"
        );
        assert_eq!(waves.len(), 2, "attempt {attempt}: fetch waves {waves:?}");
        let fetches: usize = waves.iter().sum();
        assert!(
            fetches <= 2 * BATCHES + BATCHES / 2,
            "attempt {attempt}: {fetches} fetches for {BATCHES} batches ({waves:?})"
        );
    }
}

/// An ordinary round, a few new batches: one relay's listing is probed whole (no more
/// fetches than batches), then each batch's second share: two waves, `k` fetches each.
#[test]
fn a_few_new_batches_cost_k_fetches_each_in_two_round_trips() {
    let mut relays: Vec<SimRelay> = (0..3).map(|_| SimRelay::up()).collect();
    let (mut alice, mut bob, mut t) = pair(&mut relays, false);
    for i in 0..3 {
        t += 1;
        spend(&mut alice, &format!("Coffee {i}"), 300 + i, t);
        round(&mut alice, &mut relays, t);
    }
    let waves = fetch_waves(&mut bob, &mut relays, t + 1);
    assert_eq!(
        waves,
        vec![3, 3],
        "a probe of one relay's three, then three more"
    );
}

/// Crashing device: Bob's catch-up of a dozen batches (a probe, then the sweep with the
/// gathering) is cut at every request and every save point; restarted from his last save,
/// his next rounds fetch what is left, he acks nothing his last save did not hold, and
/// he ends with every event Alice wrote, her batches all acked.
#[test]
fn crashing_device_catch_up_with_a_sweep_loses_nothing_at_any_step() {
    use sim::devices::{Faults, World};
    let world = || {
        let mut w = World::new(2);
        for _ in 0..4 {
            w.sync(0, Faults::default());
            w.sync(1, Faults::default());
        }
        for i in 0..12 {
            w.add(0, 100 + i);
            w.sync(0, Faults::default());
        }
        w
    };
    // Bob's round makes about 30 requests: a crash every third one lands in each wave.
    let crashes = (0..36)
        .step_by(3)
        .map(|n| Faults {
            crash_at_request: Some(n),
            ..Faults::default()
        })
        .chain((0..6).map(|n| Faults {
            crash_at_persist: Some(n),
            ..Faults::default()
        }));
    for faults in crashes {
        let mut w = world();
        w.sync(1, faults);
        for _ in 0..2 {
            w.sync(1, Faults::default());
            w.sync(0, Faults::default());
        }
        assert!(
            w.tracker.violations.is_empty(),
            "{faults:?}: {:?}",
            w.tracker.violations
        );
        let held: std::collections::BTreeSet<_> = w.devices[1]
            .group
            .ledger()
            .stored()
            .map(|e| e.id())
            .collect();
        assert!(
            w.written.keys().all(|id| held.contains(id)),
            "{faults:?}: Bob holds every event written"
        );
        assert_eq!(
            w.devices[0].group.outbox_len(),
            0,
            "{faults:?}: Alice's batches all acked"
        );
    }
}
