//! The sync engine against simulated relays, in memory: the relay API's semantics (fetch
//! and ack counting, listing what a member has not fetched, idempotent puts) without
//! workerd, so thousands of random schedules run in seconds. Relays go down, come back,
//! and lose every share (as at the TTL); devices write and sync in any order. Whatever
//! happens, once the relays are up and everyone syncs, all devices hold one ledger and no
//! outgoing batch is left. The same engine runs against real relays in tests/e2e.
#![cfg(not(target_arch = "wasm32"))]

mod sim;

use gfms_ledger::{Expense, GroupSettings, MemberId as Member, Split};
use gfms_sync::Group;
use proptest::prelude::*;
use sim::{Act, SimRelay, run_round, url};

struct World {
    relays: Vec<SimRelay>,
    devices: Vec<Group>,
    /// What each device last saved: a crash restores this.
    saved: Vec<String>,
}

impl World {
    fn new(members: usize) -> Self {
        let relays: Vec<SimRelay> = (0..3).map(|_| SimRelay::up()).collect();
        let urls: Vec<String> = (0..3).map(url).collect();
        let settings = GroupSettings {
            name: "Sim".into(),
            currency: "EUR".into(),
            categories: vec![],
            accounts: vec![],
        };
        let mut first = Group::create(settings, "m0", &urls, 2, 1).unwrap();
        let invite = first.invite();
        let mut devices = vec![first];
        for i in 1..members {
            devices.push(Group::join(&invite, &format!("m{i}"), 1).unwrap());
        }
        let saved = devices.iter().map(Group::save).collect();
        Self {
            relays,
            devices,
            saved,
        }
    }

    /// One round for device `d`; `crash_after` requests, it stops and restores its save.
    fn sync(&mut self, d: usize, crash_after: Option<usize>) {
        let mut group =
            std::mem::replace(&mut self.devices[d], Group::load(&self.saved[d]).unwrap());
        let mut sent = 0;
        let saved = &mut self.saved[d];
        let ended = run_round(
            &mut group,
            &mut self.relays,
            2,
            &mut |g| *saved = g.save(),
            &mut |_| {
                if crash_after.is_some_and(|n| sent >= n) {
                    return Act::Crash;
                }
                sent += 1;
                Act::Send
            },
        );
        match ended {
            sim::Ended::Crashed => self.devices[d] = Group::load(&self.saved[d]).unwrap(),
            sim::Ended::Done(_) => {
                self.saved[d] = group.save();
                self.devices[d] = group;
            }
        }
    }

    fn add(&mut self, d: usize, cents: i64) {
        let g = &mut self.devices[d];
        if g.state().settings.is_none() {
            return; // not synced yet: the app refuses too
        }
        let me = g.me();
        let members: Vec<Member> = g.state().active_members().map(|(m, _)| *m).collect();
        let e = Expense {
            title: String::new(),
            amount: cents,
            currency: "EUR".into(),
            rate: None,
            category: "c".into(),
            shop: "s".into(),
            account: "a".into(),
            payers: vec![(me, cents)],
            split: Split::Equal { members },
            date: "2026-11-25".into(),
            note: String::new(),
        };
        g.add_expense(e, 3).unwrap();
        self.saved[d] = g.save();
    }
}

#[derive(Debug, Clone)]
enum Action {
    Add(usize, i64),
    Sync(usize),
    Crash(usize, usize),
    Down(usize),
    Up(usize),
    /// A relay forgets everything (the TTL passed).
    Expire(usize),
}

fn action(members: usize) -> impl Strategy<Value = Action> {
    prop_oneof![
        3 => (0..members, 1i64..10_000).prop_map(|(d, c)| Action::Add(d, c)),
        4 => (0..members).prop_map(Action::Sync),
        1 => (0..members, 0usize..12).prop_map(|(d, n)| Action::Crash(d, n)),
        1 => (0..3usize).prop_map(Action::Down),
        1 => (0..3usize).prop_map(Action::Up),
        1 => (0..3usize).prop_map(Action::Expire),
    ]
}

proptest! {
    // 64 schedules per `cargo test`; PROPTEST_CASES=N for a longer hunt.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(64),
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_schedule_of_writes_syncs_outages_crashes_and_expiry_converges(
        actions in proptest::collection::vec(action(3), 0..60)
    ) {
        let mut w = World::new(3);
        for a in actions {
            match a {
                Action::Add(d, c) => w.add(d, c),
                Action::Sync(d) => w.sync(d, None),
                Action::Crash(d, n) => w.sync(d, Some(n)),
                Action::Down(r) => {
                    // Keep k = 2 relays up at any time, as the threshold needs.
                    if w.relays.iter().filter(|x| x.up).count() > 2 {
                        w.relays[r].up = false;
                    }
                }
                Action::Up(r) => w.relays[r].up = true,
                Action::Expire(r) => w.relays[r].expire(),
            }
        }
        for r in &mut w.relays {
            r.up = true;
        }
        for _ in 0..6 {
            for d in 0..3 {
                w.sync(d, None);
            }
        }
        let first = gfms_ledger::export_json(w.devices[0].ledger());
        for d in 1..3 {
            prop_assert_eq!(&gfms_ledger::export_json(w.devices[d].ledger()), &first);
        }
        for d in 0..3 {
            prop_assert_eq!(w.devices[d].outbox_len(), 0, "device {} still has batches out", d);
            prop_assert_eq!(w.devices[d].unsent_count(), 0);
        }
        let left: usize = w.relays.iter().map(SimRelay::share_count).sum();
        prop_assert_eq!(left, 0, "relays still hold shares");
    }
}
