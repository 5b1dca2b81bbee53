//! The reports the app loads on first use give what the ledger itself computes, from the
//! JSON the core hands over, and refuse anything else with a code instead of a panic.
#![cfg(not(target_arch = "wasm32"))]

use gfms_ledger::{
    Event, EventBody, Expense, Filter, GroupSettings, Ledger, MemberId, SCHEMA_VERSION, Split,
    new_event_id,
};
use gfms_reports::{Error, export_csv, export_json, statistics};
use proptest::prelude::*;

fn m(b: u8) -> MemberId {
    MemberId([b; 16])
}

fn event(seq: u64, author: MemberId, body: EventBody) -> Event {
    let mut random = [0u8; 10];
    random[..8].copy_from_slice(&seq.to_le_bytes());
    Event {
        v: SCHEMA_VERSION,
        id: new_event_id(1_700_000_000_000 + seq, random),
        lamport: seq + 1,
        author,
        at_ms: 0,
        body,
    }
}

fn expense(amount: i64, category: &str, shop: &str, date: &str, payer: MemberId) -> Expense {
    Expense {
        amount,
        currency: "EUR".into(),
        rate: None,
        category: category.into(),
        shop: shop.into(),
        account: "Card".into(),
        payers: vec![(payer, amount)],
        split: Split::Equal {
            members: vec![m(1), m(2)],
        },
        date: date.into(),
        note: String::new(),
    }
}

/// A group of two with three expenses over two months, as its events.
fn events() -> Vec<Event> {
    let mut out = vec![event(
        0,
        m(1),
        EventBody::GroupCreated {
            settings: GroupSettings {
                name: "Flat".into(),
                currency: "EUR".into(),
                categories: vec!["Groceries".into(), "Rent".into()],
                accounts: vec!["Card".into()],
            },
        },
    )];
    for (i, (who, name)) in [(m(1), "Alice"), (m(2), "Bob")].into_iter().enumerate() {
        out.push(event(
            1 + i as u64,
            who,
            EventBody::MemberJoined {
                member: who,
                name: name.into(),
                card: None,
                epoch: 0,
            },
        ));
    }
    for (i, e) in [
        expense(1250, "Groceries", "Bakery", "2026-01-05", m(1)),
        expense(90000, "Rent", "Landlord", "2026-01-31", m(2)),
        expense(777, "Groceries", "Market", "2026-02-02", m(2)),
    ]
    .into_iter()
    .enumerate()
    {
        let id = new_event_id(1_800_000_000_000 + i as u64, [i as u8; 10]);
        out.push(event(
            10 + i as u64,
            m(1),
            EventBody::ExpenseAdded {
                expense: id,
                value: e,
            },
        ));
    }
    out
}

fn state_json() -> String {
    serde_json::to_string(&Ledger::from_events(events()).state()).unwrap()
}

#[test]
fn statistics_from_the_state_json_are_the_ledgers_own() {
    let state = Ledger::from_events(events()).state();
    for (filter, json) in [
        (Filter::default(), "{}".to_string()),
        (
            Filter {
                from: Some("2026-02-01".into()),
                ..Filter::default()
            },
            r#"{"from":"2026-02-01"}"#.to_string(),
        ),
    ] {
        let ours: gfms_ledger::Statistics =
            serde_json::from_str(&statistics(&state_json(), &json).unwrap()).unwrap();
        assert_eq!(ours, gfms_ledger::statistics(&state, &filter));
    }
    let all: gfms_ledger::Statistics =
        serde_json::from_str(&statistics(&state_json(), "{}").unwrap()).unwrap();
    assert_eq!(all.total, 1250 + 90000 + 777);
    assert_eq!(all.by_month["2026-01"], 91250);
}

#[test]
fn csv_export_from_the_state_json_lists_every_expense_with_names() {
    let csv = export_csv(&state_json()).unwrap();
    assert_eq!(
        csv,
        gfms_ledger::export_csv(&Ledger::from_events(events()).state())
    );
    assert_eq!(csv.lines().count(), 1 + 3, "{csv}");
    assert!(
        csv.contains("Landlord") && csv.contains("Bob 900.00"),
        "{csv}"
    );
}

#[test]
fn json_backup_from_the_events_imports_back_to_the_same_ledger() {
    let ledger = Ledger::from_events(events());
    let texts: Vec<&str> = ledger.stored().map(|e| e.text()).collect();
    let backup = export_json(&serde_json::to_string(&texts).unwrap()).unwrap();
    assert_eq!(backup, gfms_ledger::export_json(&ledger).unwrap());
    let group = ledger.group_id().expect("the events found a group");
    let restored = Ledger::from_stored(gfms_ledger::read_backup(&backup, group).unwrap());
    assert_eq!(restored, ledger);
}

/// Older or newer version: a state written by a newer core carries fields this one does
/// not know; the reports still come out.
#[test]
fn newer_version_state_with_unknown_fields_still_gives_statistics() {
    let mut state: serde_json::Value = serde_json::from_str(&state_json()).unwrap();
    state["attachments"] = serde_json::json!({"x": 1});
    state["expenses"]
        .as_object_mut()
        .unwrap()
        .values_mut()
        .for_each(|e| e["receipt"] = serde_json::json!("abc"));
    let stats: gfms_ledger::Statistics =
        serde_json::from_str(&statistics(&state.to_string(), "{}").unwrap()).unwrap();
    assert_eq!(stats.total, 1250 + 90000 + 777);
}

#[test]
fn hostile_input_is_refused_with_a_code() {
    for bad in ["", "{", "[]", "null", r#"{"expenses": 5}"#] {
        let e = statistics(bad, "{}").unwrap_err();
        assert_eq!(e.code(), "bad_argument");
        assert!(matches!(e, Error::BadArgument { what: "state", .. }), "{e}");
        assert_eq!(export_csv(bad).unwrap_err().code(), "bad_argument");
    }
    assert!(matches!(
        statistics(&state_json(), r#"{"from": 7}"#),
        Err(Error::BadArgument { what: "filter", .. })
    ));
    assert!(matches!(
        export_json(r#"[{"v": 1}]"#),
        Err(Error::BadArgument { what: "events", .. })
    ));
}

proptest! {
    /// Hostile input: any text for any argument gives a report or an error, never a panic
    /// (a panic would abort the wasm module under the app).
    #[test]
    fn hostile_input_never_panics(a in ".{0,200}", b in ".{0,50}") {
        let _ = statistics(&a, &b);
        let _ = statistics(&state_json(), &b);
        let _ = export_csv(&a);
        let _ = export_json(&a);
    }
}
