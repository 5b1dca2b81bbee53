//! Receipts on expenses: every device shows the same receipts whatever the order the
//! attach and remove events arrive in; two members attaching at once both keep theirs;
//! a removed receipt stays removed; edits never lose them.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{event, founding, m, shuffled};
use gfms_ledger::{
    Event, EventBody, EventId, Expense, Ledger, Receipt, Split, attach_receipt, change,
    remove_receipt,
};
use proptest::prelude::*;

fn hash(i: u8) -> String {
    format!("{i:02x}").repeat(32)
}

/// The group, Ana and Bo, and one expense (its id returned).
fn founding_with_expense() -> (Vec<Event>, EventId) {
    let mut events = founding(&[(m(1), "Ana"), (m(2), "Bo")]);
    let added = event(
        3,
        3,
        m(1),
        EventBody::ExpenseAdded {
            expense: EventId::nil(),
            value: Expense {
                amount: 1200,
                currency: "EUR".into(),
                category: "food".into(),
                payers: vec![(m(1), 1200)],
                split: Split::Equal {
                    members: vec![m(1), m(2)],
                },
                date: "2026-11-30".into(),
                ..Default::default()
            },
        },
    );
    let id = added.id;
    let EventBody::ExpenseAdded { value, .. } = added.body else {
        unreachable!()
    };
    events.push(event(
        3,
        3,
        m(1),
        EventBody::ExpenseAdded { expense: id, value },
    ));
    (events, id)
}

fn attached(expense: EventId, i: u8) -> EventBody {
    EventBody::ReceiptAttached {
        expense,
        hash: hash(i),
        mime: "image/jpeg".into(),
        size: 1000 + i as u64,
        name: format!("till-{i}.jpg"),
        thumb: None,
    }
}

fn receipts_of(ledger: &Ledger, id: EventId) -> Vec<String> {
    let state = ledger.state();
    let mut out: Vec<String> = state.expenses[&id]
        .receipts
        .iter()
        .map(|r| r.hash.clone())
        .collect();
    out.sort();
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, .. ProptestConfig::default() })]

    /// Two writers, racing relays: attaches and removals by two members, with any
    /// Lamport clocks, merged in any order with duplicates, give the same receipts on
    /// every device: every attached hash that no one removed.
    #[test]
    fn two_writers_concurrent_attach_and_remove_converge(
        ops in proptest::collection::vec((any::<bool>(), 0u8..5, 1u8..3, 4u64..12), 1..16),
        seed in any::<u64>(),
    ) {
        let (mut events, id) = founding_with_expense();
        for (n, (remove, i, author, lamport)) in ops.iter().enumerate() {
            let body = if *remove {
                EventBody::ReceiptRemoved { expense: id, hash: hash(*i) }
            } else {
                attached(id, *i)
            };
            events.push(event(10 + n as u64, *lamport, m(*author), body));
        }
        let arriving = shuffled(&events, seed);
        let a = Ledger::from_events(events);
        let mut b = Ledger::default();
        for chunk in arriving.chunks(3) {
            b.merge(chunk.to_vec());
            b.merge(chunk.to_vec());
        }
        prop_assert_eq!(a.state(), b.state());
        let mut expected: Vec<String> = ops
            .iter()
            .filter(|(remove, ..)| !remove)
            .map(|(_, i, ..)| hash(*i))
            .filter(|h| !ops.iter().any(|(r, j, ..)| *r && hash(*j) == *h))
            .collect();
        expected.sort();
        expected.dedup();
        prop_assert_eq!(receipts_of(&a, id), expected);
    }
}

/// Two writers: Ana and Bo attach at once (same Lamport clock), both stay; Bo removes
/// Ana's, and it stays removed even when her same file is attached again later.
#[test]
fn two_writers_both_attach_and_a_removed_receipt_stays_removed() {
    let (mut events, id) = founding_with_expense();
    events.push(event(10, 4, m(1), attached(id, 1)));
    events.push(event(11, 4, m(2), attached(id, 2)));
    let mut ledger = Ledger::from_events(events.clone());
    assert_eq!(receipts_of(&ledger, id), vec![hash(1), hash(2)]);
    ledger.merge([event(
        12,
        5,
        m(2),
        EventBody::ReceiptRemoved {
            expense: id,
            hash: hash(1),
        },
    )]);
    ledger.merge([event(13, 6, m(1), attached(id, 1))]);
    assert_eq!(receipts_of(&ledger, id), vec![hash(2)]);
}

/// An edit of the expense (per field, or from a JSON that names receipts) keeps its
/// receipts; receipts are never read from an expense's JSON.
#[test]
fn an_edit_keeps_the_receipts_and_json_cannot_set_them() {
    let (mut events, id) = founding_with_expense();
    events.push(event(10, 4, m(1), attached(id, 1)));
    let mut ledger = Ledger::from_events(events);
    let state = ledger.state();
    let mut edited = state.expenses[&id].clone();
    assert_eq!(edited.receipts.len(), 1);
    edited.note = "with wine".into();
    edited.receipts.clear();
    let body = change::edit_expense(&state, id, edited).unwrap();
    let EventBody::ExpensePatched { changes, .. } = &body else {
        panic!("{body:?}")
    };
    assert_eq!(changes.fields(), vec!["note".to_string()]);
    ledger.merge([event(11, 5, m(2), body)]);
    assert_eq!(receipts_of(&ledger, id), vec![hash(1)]);
    let json = format!(
        r#"{{"amount":5,"currency":"EUR","category":"c","shop":"s","account":"a","payers":[],"split":{{"kind":"equal","members":[]}},"date":"2026-11-30","receipts":[{{"hash":"{}","mime":"x/y","size":1,"name":"n"}}]}}"#,
        hash(9)
    );
    let e: Expense = serde_json::from_str(&json).unwrap();
    assert!(e.receipts.is_empty());
}

/// Hostile input from a member: a receipt with a hash that is not one, a size over the
/// limit, a control character in its name — refused when attaching, and not applied
/// (with a warning) when it arrives from elsewhere.
#[test]
fn hostile_member_receipt_fields_are_refused_and_not_applied() {
    let (mut events, id) = founding_with_expense();
    let state = Ledger::from_events(events.clone()).state();
    let good = Receipt {
        hash: hash(1),
        mime: "image/jpeg".into(),
        size: 10,
        name: "till.jpg".into(),
        thumb: None,
    };
    assert!(attach_receipt(&state, id, good.clone()).is_ok());
    let too_big = Receipt {
        size: 10 * 1024 * 1024,
        ..good.clone()
    };
    let e = attach_receipt(&state, id, too_big).unwrap_err();
    assert_eq!(e.code(), "too_large");
    assert!(e.to_string().contains("4194304"), "{e}");
    let bad_hash = Receipt {
        hash: "not-a-hash".into(),
        ..good.clone()
    };
    assert_eq!(
        attach_receipt(&state, id, bad_hash).unwrap_err().code(),
        "out_of_bounds"
    );
    assert_eq!(
        attach_receipt(&state, EventId::nil(), good)
            .unwrap_err()
            .code(),
        "not_found"
    );
    assert_eq!(
        remove_receipt(&state, id, &hash(1)).unwrap_err().code(),
        "not_found"
    );
    events.push(event(
        10,
        4,
        m(2),
        EventBody::ReceiptAttached {
            expense: id,
            hash: hash(3),
            mime: "image/jpeg".into(),
            size: 5,
            name: "evil\u{202e}gpj.exe\u{7}".into(),
            thumb: None,
        },
    ));
    let s = Ledger::from_events(events).state();
    assert!(s.expenses[&id].receipts.is_empty());
    assert_eq!(s.warnings.len(), 1);
}
