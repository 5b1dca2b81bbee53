//! Applying an import's writes (`gfms_client::import_plan`): all or nothing, stand-ins
//! replaced by the placeholders' ids, and what the group has skipped.
#![cfg(not(target_arch = "wasm32"))]

use gfms_client::import_plan::{Writes, apply};
use gfms_ledger::GroupSettings;
use gfms_sync::Group;
use serde_json::json;

fn group() -> Group {
    let settings = GroupSettings {
        name: "Trip".into(),
        currency: "EUR".into(),
        categories: vec![],
        accounts: vec![],
    };
    let relays = [
        "http://127.0.0.1:1".to_string(),
        "http://127.0.0.1:2".to_string(),
    ];
    Group::create(settings, "Ann", &relays, 2, 1_700_000_000_000).unwrap()
}

const STAND_IN: &str = "eeeeeeeeeeeeeeeeeeeeeeee00000001";

fn expense(me: &str, id: &str, amount: i64, paid: i64) -> serde_json::Value {
    json!({"amount": amount, "currency": "EUR", "category": "", "shop": "Hotel", "account": "",
        "payers": [[me, paid]], "split": {"kind": "exact", "amounts": [[me, amount / 2], [STAND_IN, amount - amount / 2]]},
        "date": "2024-03-01", "note": "", "import_id": id})
}

fn value<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> T {
    serde_json::from_value(v).unwrap()
}

fn writes(me: &str, second_paid: i64) -> Writes {
    Writes {
        members: vec![value(json!(me)), value(json!(STAND_IN))],
        names: vec![String::new(), "Carol".into()],
        expenses: vec![
            value(expense(me, "splitwise:01", 3000, 3000)),
            value(expense(me, "splitwise:02", 1000, second_paid)),
        ],
        settlements: vec![value(json!({"from": STAND_IN, "to": me, "amount": 500,
            "currency": "EUR", "date": "2024-03-02", "import_id": "splitwise:03"}))],
    }
}

/// Adversary: a crash between two steps (here, a record the ledger refuses after others
/// were written). Nothing of the import stays: no placeholder, no expense.
#[test]
fn a_refused_record_leaves_the_group_as_it_was() {
    let mut g = group();
    let me = g.me().to_string();
    let before = g.save().unwrap();
    let err = apply(&mut g, writes(&me, 999), 1).unwrap_err();
    assert!(err.to_string().starts_with("splitwise:02: "), "{err}");
    assert_eq!(g.save().unwrap(), before);
    assert_eq!(g.state().members.len(), 1);
    assert!(g.state().expenses.is_empty());
}

#[test]
fn stand_ins_become_the_placeholders_and_a_second_apply_skips_everything() {
    let mut g = group();
    let me = g.me();
    let done = apply(&mut g, writes(&me.to_string(), 1000), 1).unwrap();
    assert_eq!(
        (
            done.placeholders,
            done.expenses,
            done.payments,
            done.skipped
        ),
        (1, 2, 1, 0)
    );
    let carol = done.members[1];
    assert_eq!(g.state().members[&carol].name, "Carol");
    assert!(g.state().members[&carol].placeholder);
    let b = gfms_ledger::balances(g.state());
    assert_eq!((b[&me], b[&carol]), (4000 - 2000 - 500, -2000 + 500));

    let len = g.ledger().len();
    let again = apply(&mut g, writes(&me.to_string(), 1000), 2).unwrap();
    assert_eq!(
        (
            again.placeholders,
            again.expenses,
            again.payments,
            again.skipped
        ),
        (0, 0, 0, 3)
    );
    assert_eq!(g.ledger().len(), len);
}

/// Adversary: a plan made before the group changed (its currency, say). The ledger's own
/// checks refuse what no longer fits, and nothing is written.
#[test]
fn a_record_the_ledger_refuses_now_is_named_and_nothing_is_written() {
    let mut g = group();
    let me = g.me().to_string();
    let mut w = writes(&me, 1000);
    w.expenses[1].currency = "USD".into();
    let before = g.save().unwrap();
    let err = apply(&mut g, w, 1).unwrap_err();
    assert!(err.to_string().starts_with("splitwise:02: "), "{err}");
    assert_eq!(g.save().unwrap(), before);
}

/// A large import (years of a Splitwise group) is checked against one state, not one
/// state per record: it records what adding the records one by one records (the same
/// expenses and payments, the same balances), and a record refused among them is named
/// by its place and leaves nothing written.
#[test]
fn a_large_import_records_what_one_by_one_adds_would() {
    let records = |me: &str| -> Vec<gfms_ledger::Expense> {
        (0..300)
            .map(|i| value(json!({"amount": 1000 + i, "currency": "EUR", "category": "", "shop": format!("Shop {i}"),
                "account": "", "payers": [[me, 1000 + i]], "split": {"kind": "equal", "members": [me]},
                "date": "2024-03-01", "note": "", "import_id": format!("splitwise:{i}")})))
            .collect()
    };
    let seen = |g: &mut Group| {
        let mut v: Vec<(String, i64)> = g
            .state()
            .expenses
            .values()
            .map(|e| (e.shop.clone(), e.amount))
            .collect();
        v.sort();
        v
    };
    let mut one = group();
    let me = one.me().to_string();
    let expenses = records(&me);
    for e in expenses {
        one.add_expense(e, 1).unwrap();
    }
    let mut all = group();
    let me = all.me().to_string();
    let expenses = records(&me);
    let ids = all.add_expenses(expenses, 1).unwrap();
    assert_eq!(ids.len(), 300);
    assert_eq!(seen(&mut all), seen(&mut one));
    assert_eq!(all.ledger().len(), one.ledger().len());

    let mut refused = group();
    let me = refused.me().to_string();
    let mut expenses = records(&me);
    expenses[120].currency = "USD".into();
    let before = refused.save().unwrap();
    let (at, _) = refused.add_expenses(expenses, 1).unwrap_err();
    assert_eq!(at, 120);
    assert_eq!(refused.save().unwrap(), before);
}
