//! The simulated world: relays, devices and a clock. A device is a `Group` with its
//! last save; it writes, syncs, crashes (restarting from its last save at any request or
//! any save point), joins, leaves, removes others, changes the relay set and writes
//! events as a newer version would. Every event written is remembered with its exact
//! text, for the invariants.

use std::collections::{BTreeMap, BTreeSet};

use gfms_ledger::{EventId, Expense, GroupSettings, MemberId, Split};
use gfms_seal::GroupKeys;
use gfms_sync::{Group, HttpRequest};

use super::invariants::{Tracker, saved_ids};
use super::{Act, Ended, SimRelay, run_round_with, url};

/// Relays in the world (a relay set uses three of them).
pub const RELAYS: usize = 4;
/// The relays' share TTL.
pub const TTL_MS: u64 = 3_600_000;
/// At most this many devices ever.
pub const MAX_DEVICES: usize = 5;

pub struct Device {
    pub group: Group,
    pub saved: String,
    /// Event ids of the last save (what an ack may vouch for).
    pub saved_ids: BTreeSet<EventId>,
    /// The group was deleted from this device (it left and delivered everything).
    pub gone: bool,
}

impl Device {
    fn new(group: Group) -> Self {
        let saved = group.save().expect("a state");
        Self {
            saved_ids: saved_ids(&saved),
            group,
            saved,
            gone: false,
        }
    }

    fn save(&mut self) {
        // The state kept as events were appended and merged is the whole ledger's.
        let whole = self.group.ledger().state();
        assert_eq!(self.group.state(), &whole, "the state kept drifted");
        self.saved = self.group.save().expect("a state");
        self.saved_ids = saved_ids(&self.saved);
    }

    fn restart(&mut self) {
        self.group = Group::load(&self.saved).expect("the last save loads");
    }
}

/// How a sync goes wrong.
#[derive(Debug, Clone, Copy, Default)]
pub struct Faults {
    /// Crash before the n-th request.
    pub crash_at_request: Option<usize>,
    /// Crash at the n-th save point, before saving.
    pub crash_at_persist: Option<usize>,
    /// Request kinds whose responses are lost (applied at the relay), as bits:
    /// register, put, list, fetch, ack, status, delete.
    pub lose: u8,
}

pub struct World {
    pub relays: Vec<SimRelay>,
    pub devices: Vec<Device>,
    pub clock: u64,
    /// Every event ever written, by id, with its exact text.
    pub written: BTreeMap<EventId, String>,
    pub tracker: Tracker,
    next_newer: u64,
}

/// A request's kind, as the bit `Faults::lose` uses.
fn kind_bit(r: &HttpRequest) -> u8 {
    use gfms_sync::Method::*;
    let path = r.url.split('?').next().unwrap_or_default();
    let on_share = path.contains("/shares/");
    match r.method {
        Post if path.ends_with("/acks") => 1 << 4,
        Post if path.ends_with("/status") => 1 << 5,
        Post => 1,
        Put => 1 << 1,
        Get if on_share => 1 << 3,
        Get => 1 << 2,
        Delete => 1 << 6,
    }
}

impl World {
    pub fn new(members: usize) -> Self {
        let mut relays: Vec<SimRelay> = (0..RELAYS).map(|_| SimRelay::up()).collect();
        for r in &mut relays {
            r.ttl_ms = TTL_MS;
        }
        let urls: Vec<String> = (0..3).map(url).collect();
        let settings = GroupSettings {
            name: "Sim".into(),
            currency: "EUR".into(),
            categories: vec![],
            accounts: vec![],
        };
        let mut first = Group::create(settings, "m0", &urls, 2, 1).expect("a group");
        let invite = first.invite();
        let keys = GroupKeys::derive(&invite.group_secret());
        let mut w = Self {
            relays,
            devices: Vec::new(),
            clock: 1_000,
            written: BTreeMap::new(),
            tracker: Tracker::new(keys, RELAYS),
            next_newer: 1,
        };
        w.adopt(first);
        for i in 1..members {
            let g = Group::join(&invite, &format!("m{i}"), 1).expect("joined");
            w.adopt(g);
        }
        w
    }

    fn adopt(&mut self, group: Group) {
        for e in group.ledger().stored() {
            self.written.insert(e.id(), e.text().to_string());
        }
        self.devices.push(Device::new(group));
    }

    fn wrote(&mut self, d: usize, id: EventId) {
        let dev = &mut self.devices[d];
        if let Some(e) = dev.group.ledger().get_stored(&id) {
            self.written.insert(id, e.text().to_string());
        }
        dev.save();
    }

    fn live(&self, d: usize) -> bool {
        d < self.devices.len() && !self.devices[d].gone
    }

    /// Whether device `d` is a member that has the history (it may write).
    pub fn writer(&mut self, d: usize) -> bool {
        self.live(d) && {
            let g = &mut self.devices[d].group;
            g.is_member() && g.state().settings.is_some()
        }
    }

    /// Devices that may write (members with the history).
    pub fn writers(&mut self) -> usize {
        (0..self.devices.len()).filter(|d| self.writer(*d)).count()
    }

    pub fn tick(&mut self, ms: u64) {
        self.clock += ms;
    }

    /// One round for device `d`, with `faults`. A crash restores its last save.
    pub fn sync(&mut self, d: usize, faults: Faults) {
        if !self.live(d) {
            return;
        }
        self.clock += 1;
        for r in &mut self.relays {
            r.now_ms = self.clock;
        }
        let now = self.clock;
        let dev = &mut self.devices[d];
        let tracker = &mut self.tracker;
        let (mut sent, mut persisted) = (0usize, 0usize);
        let mut group = std::mem::replace(&mut dev.group, Group::load(&dev.saved).expect("loads"));
        // The last save, shared by the save points and the ack check.
        let last = std::cell::RefCell::new((dev.saved.clone(), dev.saved_ids.clone()));
        let ended = run_round_with(
            &mut group,
            &mut self.relays,
            now,
            &mut |g| {
                if faults.crash_at_persist.is_some_and(|n| persisted >= n) {
                    return false;
                }
                persisted += 1;
                let doc = g.save().expect("a state");
                let ids = saved_ids(&doc);
                *last.borrow_mut() = (doc, ids);
                true
            },
            &mut |r| {
                if faults.crash_at_request.is_some_and(|n| sent >= n) {
                    return Act::Crash;
                }
                sent += 1;
                let last = last.borrow();
                // A key epoch started in this round is saved before anything is put in it.
                tracker.learn_epochs(&last.0);
                tracker.observe(d, r, &last.1);
                if faults.lose & kind_bit(r) != 0 {
                    Act::Lose
                } else {
                    Act::Send
                }
            },
        );
        (dev.saved, dev.saved_ids) = last.into_inner();
        match ended {
            Ended::Crashed => dev.restart(),
            Ended::Done(_) => {
                dev.group = group;
                dev.save();
                if dev.group.ready_to_delete() {
                    dev.gone = true; // the app deletes the group now
                }
            }
        }
    }

    pub fn add(&mut self, d: usize, cents: i64) {
        if !self.writer(d) {
            return;
        }
        let now = self.clock;
        let g = &mut self.devices[d].group;
        let me = g.me();
        let members: Vec<MemberId> = g.state().active_members().map(|(m, _)| *m).collect();
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
            ..Default::default()
        };
        let id = g.add_expense(e, now).expect("an expense");
        self.wrote(d, id);
    }

    /// Device `d` writes an event of a kind and with fields this version does not know,
    /// as a newer version would (it reaches the ledger through a backup of this group).
    pub fn write_newer(&mut self, d: usize) {
        if !self.writer(d) {
            return;
        }
        let g = &mut self.devices[d].group;
        let Some(group) = g.ledger().group_id() else {
            return;
        };
        let id = gfms_ledger::new_event_id(self.clock, [self.next_newer as u8; 10]);
        self.next_newer += 1;
        let text = format!(
            r#"{{"v":2,"id":"{id}","lamport":{},"author":"{}","at_ms":{},"body":{{"type":"receipt_attached","blob":"AAEC","pages":[1,2]}},"sig_hint":null}}"#,
            g.ledger().next_lamport(),
            g.me(),
            self.clock
        );
        // A newer version signs what it writes, as this one does.
        let sig = super::sign_as(&self.devices[d].saved, &text);
        let backup = format!(
            r#"{{"format":"gfms-ledger","version":1,"group":"{group}","events":[{text}],"sigs":["{sig}"]}}"#
        );
        let g = &mut self.devices[d].group;
        g.import_json(&backup).expect("imported");
        self.written.insert(id, text);
        self.devices[d].save();
    }

    /// A new device joins through an invite from device `from`.
    pub fn join(&mut self, from: usize) {
        if self.devices.len() >= MAX_DEVICES || !self.writer(from) {
            return;
        }
        let invite = self.devices[from].group.invite();
        let name = format!("m{}", self.devices.len());
        let g = Group::join(&invite, &name, self.clock).expect("joined");
        self.adopt(g);
    }

    /// Device `d`'s member leaves, if at least two writers remain (someone must be left
    /// to answer newcomers).
    pub fn leave(&mut self, d: usize) {
        if !self.writer(d) || self.writers() <= 2 {
            return;
        }
        let now = self.clock;
        self.devices[d].group.leave(now).expect("left");
        let id = self.last_written_by(d);
        self.wrote(d, id);
    }

    /// Device `d` removes device `target`'s member.
    pub fn remove(&mut self, d: usize, target: usize) {
        if d == target || !self.writer(d) || !self.writer(target) || self.writers() <= 2 {
            return;
        }
        let member = self.devices[target].group.me();
        let now = self.clock;
        if self.devices[d].group.remove_member(member, now).is_ok() {
            let id = self.last_written_by(d);
            self.wrote(d, id);
        }
    }

    /// Device `d` moves the group to relay set `set` (three of the four relays).
    pub fn change_relays(&mut self, d: usize, set: usize) {
        if !self.writer(d) {
            return;
        }
        let urls: Vec<String> = (0..RELAYS)
            .filter(|i| *i != set % RELAYS)
            .map(url)
            .collect();
        let now = self.clock;
        if self.devices[d].group.change_relays(&urls, 2, now).is_ok() {
            let id = self.last_written_by(d);
            self.wrote(d, id);
        }
    }

    /// The id of the event device `d` wrote last (the greatest Lamport clock it authored).
    fn last_written_by(&self, d: usize) -> EventId {
        let g = &self.devices[d].group;
        let me = g.me();
        g.ledger()
            .events()
            .filter(|e| e.author == me)
            .max_by_key(|e| (e.lamport, e.id))
            .map(|e| e.id)
            .expect("an event")
    }

    /// Whether relay `r` may misbehave now: no other relay is down or lying (the
    /// threshold needs two honest relays of each set of three).
    pub fn may_misbehave(&self, r: usize) -> bool {
        self.relays
            .iter()
            .enumerate()
            .all(|(i, x)| i == r || (x.up && x.lie == super::Lie::Honest))
    }
}
