//! Changes a member makes: what the ledger accepts, what it refuses and why, and the
//! events a device records for them.
#![cfg(not(target_arch = "wasm32"))]

use gfms_ledger::{
    Error, EventBody, EventId, Expense, GroupSettings, Ledger, MemberId, Settlement, Split, State,
    change, new_event_id,
};

const ALICE: MemberId = MemberId([1; 16]);
const BOB: MemberId = MemberId([2; 16]);
const STRANGER: MemberId = MemberId([9; 16]);

fn settings(name: &str) -> GroupSettings {
    GroupSettings {
        name: name.into(),
        currency: "EUR".into(),
        categories: vec![],
        accounts: vec![],
    }
}

/// Alice's device records `body` as her event number `n`.
fn record(ledger: &mut Ledger, n: u64, body: EventBody) -> EventId {
    ledger.record(
        ALICE,
        new_event_id(1_700_000_000_000 + n, [n as u8; 10]),
        n,
        body,
    )
}

/// A group Alice created and Bob joined.
fn flat() -> Ledger {
    let mut l = Ledger::default();
    record(&mut l, 1, change::create_group(settings("Flat")).unwrap());
    record(&mut l, 2, change::join(ALICE, "Alice", None, 0).unwrap());
    // A member joins by itself: Bob's device writes his join.
    l.record(
        BOB,
        new_event_id(1_700_000_000_003, [3; 10]),
        3,
        change::join(BOB, "Bob", None, 0).unwrap(),
    );
    l
}

fn expense(cents: i64, payer: MemberId, among: &[MemberId]) -> Expense {
    Expense {
        title: String::new(),
        amount: cents,
        currency: "EUR".into(),
        rate: None,
        category: "food".into(),
        shop: "Bakery".into(),
        account: "cash".into(),
        payers: vec![(payer, cents)],
        split: Split::Equal {
            members: among.to_vec(),
        },
        date: "2026-11-25".into(),
        note: String::new(),
        ..Default::default()
    }
}

#[test]
fn a_recorded_expense_is_named_by_its_event_and_clocks_go_up() {
    let mut l = flat();
    let body = change::add_expense(&l.state(), expense(1250, ALICE, &[ALICE, BOB])).unwrap();
    let id = record(&mut l, 4, body);
    let e = l.get(&id).unwrap();
    assert_eq!((e.author, e.lamport), (ALICE, 4));
    assert!(matches!(e.body, EventBody::ExpenseAdded { expense, .. } if expense == id));
    assert_eq!(l.state().expenses.len(), 1);
}

#[test]
fn nothing_changes_a_group_that_does_not_exist_yet() {
    let empty = State::default();
    assert_eq!(
        change::add_expense(&empty, expense(1, ALICE, &[ALICE])),
        Err(Error::NoGroup)
    );
    assert_eq!(change::leave(&empty, ALICE), Err(Error::NoGroup));
    assert_eq!(
        change::change_relays(&empty, vec!["https://r.example".into()], 2),
        Err(Error::NoGroup)
    );
}

#[test]
fn misbehaving_member_cannot_involve_strangers_or_edit_what_is_not_there() {
    let l = flat();
    let s = l.state();
    assert_eq!(
        change::add_expense(&s, expense(900, ALICE, &[ALICE, STRANGER])),
        Err(Error::NotFound(format!("member {STRANGER}")))
    );
    let missing = new_event_id(1, [7; 10]);
    assert_eq!(
        change::edit_expense(&s, missing, expense(900, ALICE, &[ALICE])),
        Err(Error::NotFound(format!("expense {missing}")))
    );
    assert!(matches!(
        change::delete_settlement(&s, missing),
        Err(Error::NotFound(_))
    ));
    assert!(matches!(
        change::remove_member(&s, STRANGER, ALICE),
        Err(Error::NotFound(_))
    ));
    let to_self = Settlement {
        from: BOB,
        to: BOB,
        amount: 100,
        currency: "EUR".into(),
        rate: None,
        date: "2026-11-25".into(),
    };
    assert!(matches!(
        change::record_settlement(&s, to_self),
        Err(Error::BadAmount { .. })
    ));
}

#[test]
fn hostile_names_are_refused_and_odd_ones_kept_trimmed() {
    let l = flat();
    let s = l.state();
    for bad in [String::new(), "   ".into(), "x".repeat(100 * 1024)] {
        assert!(matches!(
            change::join(BOB, &bad, None, 0),
            Err(Error::BadName(_))
        ));
        assert!(matches!(
            change::rename_member(&s, BOB, &bad),
            Err(Error::BadName(_))
        ));
        assert!(matches!(
            change::create_group(settings(&bad)),
            Err(Error::BadName(_))
        ));
    }
    assert_eq!(
        Error::BadName(0).to_string(),
        "a name needs 1 to 80 characters, got 0"
    );
    assert_eq!(Error::BadName(0).code(), "bad_input");
    for odd in ["=SUM(A1:A9)", "\u{202e}evil", "🏠 Flat 3B"] {
        assert_eq!(
            change::rename_member(&s, BOB, &format!("  {odd} ")),
            Ok(EventBody::MemberRenamed {
                member: BOB,
                name: odd.into()
            })
        );
    }
}

#[test]
fn removing_yourself_is_leaving() {
    let s = flat().state();
    assert_eq!(
        change::remove_member(&s, ALICE, ALICE),
        Ok(EventBody::MemberLeft { member: ALICE })
    );
    assert_eq!(
        change::remove_member(&s, BOB, ALICE),
        Ok(EventBody::MemberRemoved { member: BOB })
    );
}

#[test]
fn older_version_expenses_without_a_title_keep_their_bytes_and_titles_are_searched() {
    // An expense written before titles existed reads with an empty title and writes the
    // same JSON again, so events already on other phones stay byte-identical.
    let old = serde_json::to_string(&expense(1200, ALICE, &[ALICE, BOB])).unwrap();
    assert!(!old.contains("title"));
    let read: Expense = serde_json::from_str(&old).unwrap();
    assert_eq!(read.title, "");
    assert_eq!(serde_json::to_string(&read).unwrap(), old);

    let mut l = flat();
    let dinner = Expense {
        title: "Dinner at Zé's".into(),
        ..expense(4500, ALICE, &[ALICE, BOB])
    };
    let body = change::add_expense(&l.state(), dinner).unwrap();
    let id = record(&mut l, 4, body);
    let state = l.state();
    assert_eq!(state.expenses[&id].title, "Dinner at Zé's");
    let filter = |text: &str| gfms_ledger::Filter {
        text: Some(text.into()),
        ..Default::default()
    };
    assert_eq!(gfms_ledger::filtered(&state, &filter("zé")).len(), 1);
    assert_eq!(gfms_ledger::filtered(&state, &filter("lunch")).len(), 0);
}
