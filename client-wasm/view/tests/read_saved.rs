//! The first screen reads what the core saved, shows what the core shows, and leaves to
//! the core every saved state the core changes on load.
#![cfg(not(target_arch = "wasm32"))]

use gfms_ledger::{Expense, GroupSettings, Split, balances};
use gfms_sync::Group;
use gfms_view::{Error, read_saved};

fn group() -> Group {
    let settings = GroupSettings {
        name: "Trip".into(),
        currency: "EUR".into(),
        categories: vec![],
        accounts: vec![],
    };
    let relays: Vec<String> = (0..3).map(|i| format!("http://relay{i}.test")).collect();
    let mut g = Group::create(settings, "Alice", &relays, 2, 1_000).expect("a group");
    let me = g.me();
    let e = Expense {
        title: "Bakery".into(),
        amount: 1250,
        currency: "EUR".into(),
        payers: vec![(me, 1250)],
        split: Split::Equal { members: vec![me] },
        date: "2026-12-01".into(),
        ..Expense::default()
    };
    g.add_expense(e, 2_000).expect("an expense");
    g
}

#[test]
fn a_saved_group_shows_the_cores_state_balances_and_name() {
    let mut g = group();
    let view = read_saved(&g.save().unwrap()).expect("read");
    let shown = view.ledger.state();
    assert_eq!(
        serde_json::to_value(&shown).unwrap(),
        serde_json::to_value(g.state()).unwrap()
    );
    assert_eq!(balances(&shown), balances(g.state()));
    assert_eq!(shown.expenses.len(), 1);
    assert_eq!(view.me, g.me());
    assert_eq!(view.unsent, g.unsent_count());
}

/// Older version: a state saved before member keys is checked again by the core on load
/// (every event against the cards), so the first screen leaves it to the core.
#[test]
fn older_version_a_state_before_member_keys_is_left_to_the_core() {
    let v2 = include_str!("../../sync/tests/fixtures/saved-v2/alice.json");
    assert!(matches!(read_saved(v2), Err(Error::NeedsCore(_))));
    let v1 = include_str!("../../sync/tests/fixtures/saved-v1/alice.json");
    assert!(matches!(read_saved(v1), Err(Error::NeedsCore(_))));
}

/// Older version: batches an older release kept unread are read by the core on load and
/// may change the ledger; the first screen does not guess.
#[test]
fn older_version_batches_kept_unread_are_left_to_the_core() {
    let saved = group().save().unwrap();
    let mut doc: serde_json::Value = serde_json::from_str(&saved).unwrap();
    doc["unread"] = serde_json::json!({ "batch": "AAAA" });
    let e = read_saved(&doc.to_string()).err().expect("refused");
    assert_eq!(e.code(), "needs_core");
}

#[test]
fn what_is_not_a_saved_group_is_refused() {
    assert_eq!(read_saved("{}").err().unwrap().code(), "bad_state");
    let saved = group().save().unwrap();
    let other = saved.replacen("gfms-device", "gfms-other", 1);
    assert_eq!(read_saved(&other).err().unwrap().code(), "bad_state");
}
