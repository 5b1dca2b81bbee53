//! Random schedules: what happens between the start and the moment the relays recover.
//! Writes, syncs with faults (a crash at any request or save point, responses lost for
//! any kinds of request), a clock that advances past the relays' TTL, joins, leaves,
//! removals, relay-set changes, events written as a newer version, and relays that go
//! down, forget shares or the whole group, or lie (omit shares from listings, serve
//! another share's bytes).

use proptest::prelude::*;

use super::Lie;
use super::devices::{Faults, MAX_DEVICES, RELAYS, TTL_MS, World};

#[derive(Debug, Clone)]
pub enum Action {
    Add(usize, i64),
    Sync(usize, Faults),
    Newer(usize),
    Join(usize),
    Leave(usize),
    Remove(usize, usize),
    ChangeRelays(usize, usize),
    Tick(u64),
    Down(usize),
    Up(usize),
    /// The relay loses every share (as at the TTL).
    Expire(usize),
    /// The relay loses its whole state (404 for the group).
    Wipe(usize),
    Lie(usize, Lie),
}

fn faults() -> impl Strategy<Value = Faults> {
    prop_oneof![
        6 => Just(Faults::default()),
        1 => (0usize..14).prop_map(|n| Faults { crash_at_request: Some(n), ..Faults::default() }),
        1 => (0usize..6).prop_map(|n| Faults { crash_at_persist: Some(n), ..Faults::default() }),
        2 => any::<u8>().prop_map(|m| Faults { lose: m & 0x7f, ..Faults::default() }),
    ]
}

pub fn action() -> impl Strategy<Value = Action> {
    let d = 0..MAX_DEVICES;
    let r = 0..RELAYS;
    prop_oneof![
        4 => (d.clone(), 1i64..10_000).prop_map(|(d, c)| Action::Add(d, c)),
        6 => (d.clone(), faults()).prop_map(|(d, f)| Action::Sync(d, f)),
        1 => d.clone().prop_map(Action::Newer),
        1 => d.clone().prop_map(Action::Join),
        1 => d.clone().prop_map(Action::Leave),
        1 => (d.clone(), d.clone()).prop_map(|(a, b)| Action::Remove(a, b)),
        1 => (d.clone(), r.clone()).prop_map(|(d, s)| Action::ChangeRelays(d, s)),
        2 => (1u64..2 * TTL_MS).prop_map(Action::Tick),
        1 => r.clone().prop_map(Action::Down),
        1 => r.clone().prop_map(Action::Up),
        1 => r.clone().prop_map(Action::Expire),
        1 => r.clone().prop_map(Action::Wipe),
        1 => (r, prop_oneof![
            Just(Lie::OmitFromListings),
            Just(Lie::ServeAnotherShare),
            Just(Lie::FabricateAcks),
            Just(Lie::Honest)
        ])
            .prop_map(|(r, l)| Action::Lie(r, l)),
    ]
}

impl World {
    pub fn apply(&mut self, a: Action) {
        match a {
            Action::Add(d, c) => self.add(d, c),
            Action::Sync(d, f) => self.sync(d, f),
            Action::Newer(d) => self.write_newer(d),
            Action::Join(from) => self.join(from),
            Action::Leave(d) => self.leave(d),
            Action::Remove(d, t) => self.remove(d, t),
            Action::ChangeRelays(d, s) => self.change_relays(d, s),
            Action::Tick(ms) => self.tick(ms),
            Action::Down(r) => {
                if self.may_misbehave(r) {
                    self.relays[r].up = false;
                }
            }
            Action::Up(r) => self.relays[r].up = true,
            Action::Expire(r) => self.relays[r].expire(),
            Action::Wipe(r) => self.relays[r].wipe(),
            Action::Lie(r, lie) => {
                if lie == Lie::Honest || self.may_misbehave(r) {
                    self.relays[r].lie = lie;
                }
            }
        }
    }

    /// The relays recover (up, honest), and every device syncs until nothing moves.
    pub fn recover(&mut self) {
        for r in &mut self.relays {
            r.up = true;
            r.lie = Lie::Honest;
        }
        for _ in 0..10 {
            for d in 0..self.devices.len() {
                self.sync(d, Faults::default());
            }
        }
    }
}
