//! What the adversarial tests share around the simulated relays: a round that must
//! finish, a group's settings, and an expense the device's member paid for everyone.

use gfms_ledger::{EventId, Expense, GroupSettings, Split};
use gfms_sync::{Group, SyncReport};

use super::{Act, Ended, SimRelay, run_round};

/// One round of `g` with every request carried; the test asked for no crash.
pub fn round(g: &mut Group, relays: &mut [SimRelay], now: u64) -> SyncReport {
    match run_round(g, relays, now, &mut |_| {}, &mut |_| Act::Send) {
        Ended::Done(report) => report,
        Ended::Crashed => panic!("no crash was asked for"),
    }
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
