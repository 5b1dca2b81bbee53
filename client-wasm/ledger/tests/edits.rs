//! Per-field edits (`expense_patched`): concurrent edits of different fields both
//! survive on every device, the same field has one winner everywhere and the other value
//! is one restore away, and older whole-value edits still apply as before.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use gfms_ledger::{
    Action, Event, EventBody, EventId, Expense, ExpenseChanges, GroupSettings, Ledger, MemberId,
    SCHEMA_VERSION, Split, change, history, new_event_id, restore,
};
use proptest::prelude::*;

const ALICE: MemberId = MemberId([1; 16]);
const BOB: MemberId = MemberId([2; 16]);
const CAROL: MemberId = MemberId([3; 16]);

fn flat() -> Ledger {
    let mut l = Ledger::default();
    let settings = GroupSettings {
        name: "Flat".into(),
        currency: "EUR".into(),
        categories: vec![],
        accounts: vec![],
    };
    l.record(ALICE, id(1), 0, change::create_group(settings).unwrap());
    // Each member joins by itself.
    for (n, (who, name)) in [(ALICE, "Alice"), (BOB, "Bob"), (CAROL, "Carol")]
        .into_iter()
        .enumerate()
    {
        let n = n as u64 + 2;
        l.record(who, id(n), n, change::join(who, name, None, 0).unwrap());
    }
    l
}

fn id(n: u64) -> EventId {
    new_event_id(1_700_000_000_000 + n, [n as u8; 10])
}

/// The Sunday shop, 30.00 in exact parts: Alice 15, Bob 10, Carol 5, Alice paid.
fn groceries() -> Expense {
    Expense {
        title: "Groceries".into(),
        amount: 3000,
        currency: "EUR".into(),
        payers: vec![(ALICE, 3000)],
        split: Split::Exact {
            amounts: vec![(ALICE, 1500), (BOB, 1000), (CAROL, 500)],
        },
        shop: "Market".into(),
        date: "2026-11-29".into(),
        ..Default::default()
    }
}

fn with_groceries() -> (Ledger, EventId) {
    let mut l = flat();
    let body = change::add_expense(&l.state(), groceries()).unwrap();
    let e = l.record(ALICE, id(10), 10, body);
    (l, e)
}

/// What `author` writes on their own device (a copy of `l`): the change they typed.
fn offline_edit(
    l: &Ledger,
    author: MemberId,
    n: u64,
    expense: EventId,
    f: impl Fn(&mut Expense),
) -> Event {
    let mut device = l.clone();
    let mut value = device.state().expenses[&expense].clone();
    f(&mut value);
    let body = change::edit_expense(&device.state(), expense, value).unwrap();
    let event = device.record(author, id(n), n, body);
    device.get(&event).unwrap().clone()
}

/// Offline for weeks / two writers: Bob's offline note and Carol's amount change to the
/// same expense both survive on every device, in either order. Before per-field edits
/// Carol's whole value won and Bob's note was gone.
#[test]
fn offline_for_weeks_bob_note_and_carol_amount_both_survive_in_any_order() {
    let (l, e) = with_groceries();
    let bob = offline_edit(&l, BOB, 20, e, |v| v.note = "I took the receipt".into());
    let carol = offline_edit(&l, CAROL, 21, e, |v| v.amount = 3600);
    assert_eq!(bob.lamport, carol.lamport, "written concurrently");
    let mut one = l.clone();
    one.merge([bob.clone(), carol.clone()]);
    let mut other = l.clone();
    other.merge([carol.clone(), bob.clone(), carol]);
    assert_eq!(one.state(), other.state());
    let v = &one.state().expenses[&e];
    assert_eq!((v.amount, v.note.as_str()), (3600, "I took the receipt"));
    // Carol changed the amount only: the exact parts and the payer scale with it.
    assert_eq!(
        v.split,
        Split::Exact {
            amounts: vec![(ALICE, 1800), (BOB, 1200), (CAROL, 600)]
        }
    );
    assert_eq!(v.payers, vec![(ALICE, 3600)]);
    assert_eq!(v.title, "Groceries", "fields nobody touched are kept");
}

/// Two writers on one field: one winner everywhere (the later in ledger order), the
/// history shows both with the replaced edit named, and `restore --to` brings the other
/// value back as an edit of that field alone.
#[test]
fn two_writers_same_field_one_winner_and_the_other_value_restorable() {
    let (l, e) = with_groceries();
    let bob = offline_edit(&l, BOB, 20, e, |v| v.shop = "Bakery".into());
    let carol = offline_edit(&l, CAROL, 21, e, |v| {
        v.shop = "Corner shop".into();
        v.note = "and milk".into();
    });
    let mut l = l;
    l.merge([carol.clone(), bob.clone()]);
    let s = l.state();
    assert_eq!(
        s.expenses[&e].shop, "Corner shop",
        "same clock: Carol's id wins"
    );
    let h = history(&l, e);
    let lines: Vec<(Action, MemberId, Vec<String>, Vec<EventId>)> = h
        .iter()
        .map(|x| (x.action, x.author, x.changed.clone(), x.overrides.clone()))
        .collect();
    assert_eq!(
        lines,
        vec![
            (Action::Created, ALICE, vec![], vec![]),
            (Action::Edited, BOB, vec!["shop".into()], vec![]),
            (
                Action::Edited,
                CAROL,
                vec!["shop".into(), "note".into()],
                vec![bob.id]
            ),
        ]
    );
    let back = restore(&l, e, Some(bob.id)).unwrap();
    let EventBody::ExpensePatched { changes, base, .. } = &back else {
        panic!("a per-field edit: {back:?}")
    };
    assert_eq!(changes.fields(), ["shop"]);
    assert_eq!(
        *base, None,
        "the ledger fills it in when the edit is written"
    );
    let restored = l.record(ALICE, id(30), 30, back);
    let EventBody::ExpensePatched { base, .. } = &l.get(&restored).unwrap().body else {
        panic!("written as a per-field edit")
    };
    assert_eq!(*base, Some(carol.id));
    let v = &l.state().expenses[&e];
    assert_eq!((v.shop.as_str(), v.note.as_str()), ("Bakery", "and milk"));
    // A restore is a later edit: it names nothing it replaced unseen.
    assert!(history(&l, e).last().unwrap().overrides.is_empty());
}

/// Older version: a whole-value `expense_edited` (what older apps write) still replaces
/// the whole expense; a per-field edit after it applies on top of it.
#[test]
fn older_version_whole_value_edits_still_apply_whole() {
    let (mut l, e) = with_groceries();
    let note = offline_edit(&l, BOB, 20, e, |v| v.note = "kept?".into());
    l.merge([note]);
    let mut old = groceries();
    old.amount = 900;
    old.payers = vec![(CAROL, 900)];
    old.split = Split::Equal {
        members: vec![BOB, CAROL],
    };
    l.record(
        CAROL,
        id(21),
        21,
        EventBody::ExpenseEdited {
            expense: e,
            value: old.clone(),
        },
    );
    assert_eq!(l.state().expenses[&e], old, "the whole value, note gone");
    let shop = offline_edit(&l, ALICE, 22, e, |v| v.shop = "Bakery".into());
    l.merge([shop]);
    assert_eq!(l.state().expenses[&e].shop, "Bakery");
    assert_eq!(l.state().expenses[&e].amount, 900);
}

/// Exact split, amount changed without its parts: rescaled to the cent, the remainder
/// to the largest fractions (ties to the smaller member id); parts the member changed
/// themselves must add up, and an itemized bill's amount is refused (change an item).
#[test]
fn an_exact_split_follows_a_new_amount_to_the_cent_and_own_parts_must_add_up() {
    let (l, e) = with_groceries();
    let s = l.state();
    let mut v = s.expenses[&e].clone();
    v.amount = 1001;
    let body = change::edit_expense(&s, e, v.clone()).unwrap();
    let EventBody::ExpensePatched { changes, .. } = &body else {
        panic!("{body:?}")
    };
    assert_eq!(changes.fields(), ["amount"]);
    let after = changes.applied_to(&s.expenses[&e]).unwrap();
    assert_eq!(
        after.split,
        Split::Exact {
            amounts: vec![(ALICE, 500), (BOB, 334), (CAROL, 167)]
        }
    );
    v.split = Split::Exact {
        amounts: vec![(ALICE, 500), (BOB, 500)],
    };
    v.payers = vec![(ALICE, 1001)];
    assert!(matches!(
        change::edit_expense(&s, e, v),
        Err(gfms_ledger::Error::BadSplit(_))
    ));
}

/// A deleted expense: a per-field edit that arrives after the delete does nothing (the
/// delete stands); restore brings back its last value, per-field edits included.
#[test]
fn a_deleted_expense_is_not_revived_by_a_field_edit_but_restore_brings_it_back() {
    let (mut l, e) = with_groceries();
    let note = offline_edit(&l, BOB, 20, e, |v| v.note = "late".into());
    let delete = change::delete_expense(&l.state(), e).unwrap();
    l.record(ALICE, id(19), 19, delete);
    l.merge([note]);
    let s = l.state();
    assert!(s.expenses.is_empty());
    let back = restore(&l, e, None).unwrap();
    assert!(matches!(back, EventBody::ExpenseEdited { .. }), "{back:?}");
    l.record(ALICE, id(30), 30, back);
    assert_eq!(l.state().expenses[&e].note, "late");
}

/// One random per-field edit: which fields, from which author, at which clock.
fn edit() -> impl Strategy<Value = (u8, u64, [Option<u16>; 4])> {
    (
        0u8..3,
        11u64..16,
        [
            proptest::option::of(0u16..5),
            proptest::option::of(1u16..5000),
            proptest::option::of(0u16..5),
            proptest::option::of(0u16..5),
        ],
    )
}

fn changes(fields: &[Option<u16>; 4]) -> ExpenseChanges {
    let mut parts = Vec::new();
    if let Some(n) = fields[0] {
        parts.push(format!(r#""note":"note {n}""#));
    }
    if let Some(n) = fields[1] {
        parts.push(format!(r#""amount":{n}"#));
    }
    if let Some(n) = fields[2] {
        parts.push(format!(r#""shop":"shop {n}""#));
    }
    if let Some(n) = fields[3] {
        parts.push(format!(r#""category":"category {n}""#));
    }
    ExpenseChanges::from_json(&format!("{{{}}}", parts.join(","))).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, .. ProptestConfig::default() })]

    /// Two writers, offline for weeks, in any order with duplicates: every device ends
    /// with the same expense, each field with the value of the last edit (in ledger
    /// order) that set it, so edits of different fields all survive; the exact parts and
    /// payers always add up to the amount.
    #[test]
    fn two_writers_per_field_edits_converge_field_by_field(
        edits in proptest::collection::vec(edit(), 1..12),
        seed in any::<u64>(),
    ) {
        let (l, e) = with_groceries();
        let authors = [ALICE, BOB, CAROL];
        let events: Vec<Event> = edits.iter().enumerate().map(|(n, (author, lamport, fields))| Event {
            v: SCHEMA_VERSION,
            id: id(100 + n as u64),
            lamport: *lamport,
            author: authors[usize::from(*author)],
            at_ms: 0,
            body: EventBody::ExpensePatched { expense: e, base: None, changes: changes(fields) },
        }).collect();
        let shuffled = common::shuffled(&events, seed);
        let mut a = l.clone();
        a.merge(events.clone());
        let mut b = l.clone();
        for chunk in shuffled.chunks(3) {
            b.merge(chunk.to_vec());
            b.merge(chunk[..1].to_vec());
        }
        let (sa, sb) = (a.state(), b.state());
        prop_assert_eq!(&sa, &sb);
        let v = &sa.expenses[&e];
        let mut ordered = events.clone();
        ordered.sort_by_key(|ev| (ev.lamport, ev.author, ev.id));
        // Each field: the value of the last edit in ledger order that set it.
        let idx = |ev: &Event| events.iter().position(|x| x.id == ev.id).unwrap();
        let last_set = |i: usize| ordered.iter().rev().find_map(|ev| edits[idx(ev)].2[i]);
        prop_assert_eq!(&v.note, &last_set(0).map_or(String::new(), |n| format!("note {n}")));
        prop_assert_eq!(v.amount, last_set(1).map_or(3000, i64::from));
        prop_assert_eq!(&v.shop, &last_set(2).map_or("Market".into(), |n| format!("shop {n}")));
        prop_assert_eq!(&v.category, &last_set(3).map_or(String::new(), |n| format!("category {n}")));
        prop_assert!(v.validate("EUR").is_ok(), "{:?}", v);
    }
}

/// Hostile input from a member: per-field edits written past the checks — an amount
/// beyond the bounds, a value of the wrong type, no payers, an itemless amount on a
/// bill — change nothing, each listed as an ignored event, on every device.
#[test]
fn hostile_member_field_edits_that_cannot_apply_change_nothing_and_are_listed() {
    let (l, e) = with_groceries();
    let before = l.state().expenses[&e].clone();
    let hostile = [
        r#"{"amount":100000000000000000}"#,
        r#"{"amount":"lots"}"#,
        r#"{"payers":[]}"#,
        r#"{"kind":"income"}"#,
        r#"{"split":{"kind":"exact","amounts":[]}}"#,
    ];
    let events: Vec<Event> = hostile
        .iter()
        .enumerate()
        .map(|(n, json)| Event {
            v: SCHEMA_VERSION,
            id: id(40 + n as u64),
            lamport: 40 + n as u64,
            author: BOB,
            at_ms: 0,
            body: EventBody::ExpensePatched {
                expense: e,
                base: None,
                changes: ExpenseChanges::from_json(json).unwrap(),
            },
        })
        .collect();
    let mut a = l.clone();
    a.merge(events.clone());
    let mut b = l;
    b.merge(events.into_iter().rev());
    let s = a.state();
    assert_eq!(s, b.state());
    assert_eq!(s.expenses[&e], before);
    let ignored = s
        .warnings
        .iter()
        .filter(|w| matches!(w, gfms_ledger::Warning::Ignored { .. }))
        .count();
    assert_eq!(ignored, hostile.len(), "{:?}", s.warnings);
}
