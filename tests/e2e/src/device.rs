//! A member's device: a group saved in its own state directory (as the CLI keeps it),
//! synced with the native driver.

use std::path::PathBuf;

use gfms_client::native::{Driver, StateDir, SyncHooks, Trace};
use gfms_ledger::{Expense, GroupSettings, MemberId, Split};
use gfms_seal::GroupKeys;
use gfms_sync::{Group, HttpRequest, Invite, SyncReport};

/// One device.
pub struct Device {
    /// Display name.
    pub name: String,
    /// The group as loaded.
    pub group: Group,
    /// Where it is saved.
    pub dir: StateDir,
    driver: Driver,
}

/// Saves to the state directory and may stop the round before a chosen request.
struct Hooks<'a> {
    dir: StateDir,
    stop_before: &'a mut dyn FnMut(&HttpRequest) -> bool,
}

impl SyncHooks for Hooks<'_> {
    fn persist(&mut self, group: &Group) -> std::io::Result<()> {
        self.dir.persist(group)
    }
    fn before_send(&mut self, request: &HttpRequest) -> bool {
        !(self.stop_before)(request)
    }
}

fn state_dir(test: &str, name: &str) -> StateDir {
    let path: PathBuf = crate::root()
        .join("target/e2e")
        .join(test)
        .join("devices")
        .join(name);
    let _ = std::fs::remove_dir_all(&path);
    StateDir::new(path)
}

impl Device {
    /// Creates a group.
    pub fn create(test: &str, name: &str, relays: &[String], k: u8) -> Self {
        let settings = GroupSettings {
            name: "Flat".into(),
            currency: "EUR".into(),
            categories: vec!["food".into()],
            accounts: vec!["cash".into()],
        };
        let group = Group::create(settings, name, relays, k, crate::now_ms()).expect("create");
        let dir = state_dir(test, name);
        dir.create(&group).expect("save");
        Self {
            name: name.into(),
            group,
            dir,
            driver: Driver::default(),
        }
    }

    /// Joins with an invite code.
    pub fn join(test: &str, name: &str, code: &str) -> Self {
        let invite = Invite::decode(code).expect("invite");
        let group = Group::join(&invite, name, crate::now_ms()).expect("join");
        let dir = state_dir(test, name);
        dir.create(&group).expect("save");
        Self {
            name: name.into(),
            group,
            dir,
            driver: Driver::default(),
        }
    }

    /// The invite code.
    pub fn invite(&mut self) -> String {
        self.group.invite().encode()
    }

    /// The group's keys (to look at relays from outside).
    pub fn keys(&mut self) -> GroupKeys {
        GroupKeys::derive(&self.group.invite().group_secret())
    }

    /// One sync round, saved as it goes.
    pub fn sync(&mut self) -> SyncReport {
        self.sync_stopping(&mut |_| false).expect("round")
    }

    /// One round that stops (as a crash would) before the first request `stop` picks.
    pub fn sync_stopping(
        &mut self,
        stop: &mut dyn FnMut(&HttpRequest) -> bool,
    ) -> Result<SyncReport, gfms_client::native::RoundError> {
        let mut hooks = Hooks {
            dir: self.dir.clone(),
            stop_before: stop,
        };
        self.driver
            .sync(&mut self.group, &mut hooks, crate::now_ms())
    }

    /// One round, saved as it goes, with what it cost on the wire (its waves).
    pub fn sync_traced(&mut self) -> (SyncReport, Trace) {
        let mut hooks = Hooks {
            dir: self.dir.clone(),
            stop_before: &mut |_| false,
        };
        self.driver
            .sync_traced(&mut self.group, &mut hooks, crate::now_ms())
            .unwrap_or_else(|e| panic!("{} could not sync: {e}", self.name))
    }

    /// Drops the in-memory group and loads what was saved (a restart after a crash).
    pub fn restart(&mut self) {
        self.group = self.dir.load().expect("reload");
    }

    /// Member id by display name.
    pub fn member(&mut self, name: &str) -> MemberId {
        let found = self
            .group
            .state()
            .members
            .iter()
            .find(|(_, m)| m.name == name)
            .map(|(id, _)| *id);
        found.unwrap_or_else(|| panic!("{} does not know {name}", self.name))
    }

    /// Records an expense of `cents` paid by this device's member, split equally among
    /// the active members.
    pub fn add(&mut self, cents: i64, shop: &str) -> gfms_ledger::EventId {
        self.add_many(&[(cents, shop)])[0]
    }

    /// Records several expenses at once (checked against one state, as an import
    /// does): how a benchmark fills a large history without computing the state again
    /// after each.
    pub fn add_many(&mut self, expenses: &[(i64, &str)]) -> Vec<gfms_ledger::EventId> {
        let me = self.group.me();
        let members: Vec<MemberId> = self
            .group
            .state()
            .active_members()
            .map(|(id, _)| *id)
            .collect();
        let expenses = expenses
            .iter()
            .map(|&(cents, shop)| Expense {
                title: String::new(),
                amount: cents,
                currency: "EUR".into(),
                rate: None,
                category: "food".into(),
                shop: shop.into(),
                account: "cash".into(),
                payers: vec![(me, cents)],
                split: Split::Equal {
                    members: members.clone(),
                },
                date: "2026-11-25".into(),
                note: String::new(),
                ..Default::default()
            })
            .collect();
        self.group
            .add_expenses(expenses, crate::now_ms())
            .expect("add expenses")
    }

    /// The whole event log as JSON, sorted: equal on two devices iff they hold the same
    /// events.
    pub fn ledger_json(&self) -> String {
        self.group.export_json().expect("export")
    }
}

/// Syncs every device in turn, `rounds` times.
pub fn sync_all(devices: &mut [&mut Device], rounds: usize) {
    for _ in 0..rounds {
        for d in devices.iter_mut() {
            d.sync();
        }
    }
}

/// Syncs everyone until no device has anything pending and all hold the same ledger.
pub fn settle(devices: &mut [&mut Device], max_rounds: usize) {
    for _ in 0..max_rounds {
        sync_all(devices, 1);
        let first = devices[0].ledger_json();
        let same = devices.iter().all(|d| d.ledger_json() == first);
        let quiet = devices
            .iter()
            .all(|d| d.group.outbox_len() == 0 && d.group.unsent_count() == 0);
        if same && quiet {
            return;
        }
    }
    panic!("devices did not settle in {max_rounds} rounds");
}

/// Syncs everyone until no device has a delete left for the relays: a delete that got no
/// answer (a busy relay, a timeout) is sent again next round. Only for runs where every
/// relay is up at the end.
pub fn drain_deletes(devices: &mut [&mut Device], max_rounds: usize) {
    for _ in 0..max_rounds {
        if devices.iter().all(|d| d.group.deletes_pending() == 0) {
            return;
        }
        sync_all(devices, 1);
    }
    panic!("deletes still pending after {max_rounds} rounds");
}

/// Alice creates a group on `relays` with k = 2; Bob and Carol join by her invite.
pub fn trio(test: &str, relays: &[String]) -> (Device, Device, Device) {
    let mut alice = Device::create(test, "Alice", relays, 2);
    let code = alice.invite();
    let bob = Device::join(test, "Bob", &code);
    let carol = Device::join(test, "Carol", &code);
    (alice, bob, carol)
}
