//! What the adversarial tests share around the simulated relays: a round that must
//! finish (on the device's clock, or the relays' too), a group's settings, a group of
//! two or three with its set-up delivered, and an expense the device's member paid for everyone.

use gfms_ledger::{EventId, Expense, GroupSettings, Split};
use gfms_sync::{Group, Invite, SyncReport};

use super::{Act, Ended, SimRelay, run_round, url};

/// A round of a device against the relays at a time (`round`, or `round_on_relay_clocks`).
pub type RoundAt = fn(&mut Group, &mut [SimRelay], u64) -> SyncReport;

/// One round of `g` with every request carried; the test asked for no crash.
pub fn round(g: &mut Group, relays: &mut [SimRelay], now: u64) -> SyncReport {
    match run_round(g, relays, now, &mut |_| {}, &mut |_| Act::Send) {
        Ended::Done(report) => report,
        Ended::Crashed => panic!("no crash was asked for"),
    }
}

/// [`round`], with every relay's clock set to `now` first (for relays with a TTL).
pub fn round_on_relay_clocks(g: &mut Group, relays: &mut [SimRelay], now: u64) -> SyncReport {
    for r in relays.iter_mut() {
        r.now_ms = now;
    }
    round(g, relays, now)
}

/// Alice, Bob and Carol on the first three relays (k = 2), with the invite they joined
/// by: four rounds each, with `round_at`, deliver the set-up and every member's keys.
pub fn trio(relays: &mut [SimRelay], round_at: RoundAt) -> (Group, Group, Group, Invite) {
    let urls: Vec<String> = (0..3).map(url).collect();
    let mut alice = Group::create(settings("Lisbon trip"), "Alice", &urls, 2, 1).unwrap();
    let invite = alice.invite();
    let mut bob = Group::join(&invite, "Bob", 2).unwrap();
    let mut carol = Group::join(&invite, "Carol", 3).unwrap();
    for t in 0..4 {
        round_at(&mut alice, relays, 10 + t * 10);
        round_at(&mut bob, relays, 11 + t * 10);
        round_at(&mut carol, relays, 12 + t * 10);
    }
    assert_eq!(alice.outbox_len(), 0, "set-up delivered");
    assert!(alice.keys_view().signed, "every member published keys");
    (alice, bob, carol, invite)
}

/// Alice and Bob on the first three relays (k = 2), both hosts sending the simple forms
/// when `browsers`: three rounds each deliver the set-up. The time after it.
pub fn pair(relays: &mut [SimRelay], browsers: bool) -> (Group, Group, u64) {
    let urls: Vec<String> = (0..3).map(url).collect();
    let mut alice = Group::create(settings("Porto"), "Alice", &urls, 2, 1).unwrap();
    let mut bob = Group::join(&alice.invite(), "Bob", 2).unwrap();
    if browsers {
        alice.use_simple_requests();
        bob.use_simple_requests();
    }
    let mut t = 10;
    for _ in 0..3 {
        for g in [&mut alice, &mut bob] {
            t += 1;
            round(g, relays, t);
        }
    }
    (alice, bob, t)
}

/// A euro group called `name`, with the default categories and accounts.
pub fn settings(name: &str) -> GroupSettings {
    GroupSettings {
        name: name.into(),
        currency: "EUR".into(),
        categories: vec![],
        accounts: vec![],
    }
}

/// `cents` paid by `g`'s member, split equally among the active members; its id.
pub fn spend(g: &mut Group, title: &str, cents: i64, now: u64) -> EventId {
    let me = g.me();
    let members = g.state().active_members().map(|(m, _)| *m).collect();
    let e = Expense {
        title: title.into(),
        amount: cents,
        currency: "EUR".into(),
        category: "food".into(),
        account: "cash".into(),
        payers: vec![(me, cents)],
        split: Split::Equal { members },
        date: "2026-11-30".into(),
        ..Expense::default()
    };
    g.add_expense(e, now).expect("an expense")
}
