//! The reports the app loads on first use give what the ledger itself computes, from the
//! JSON the core hands over, and refuse anything else with a code instead of a panic.
#![cfg(not(target_arch = "wasm32"))]

use gfms_ledger::{
    Event, EventBody, Expense, Filter, GroupSettings, Ledger, MemberId, Rate, SCHEMA_VERSION,
    Settlement, Split, new_event_id,
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
        title: String::new(),
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
        ..Default::default()
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

/// A trip's end: a dinner in dollars at a rate, a payment from Bob to Alice, and titles.
fn trip_state() -> gfms_ledger::State {
    let mut events = events();
    let dinner = Expense {
        title: "Dinner at Zé's".into(),
        currency: "USD".into(),
        rate: Some(Rate {
            numerator: 92,
            denominator: 100,
        }),
        ..expense(5000, "Food", "Zé's", "2026-02-03", m(1))
    };
    events.push(event(
        20,
        m(1),
        EventBody::ExpenseAdded {
            expense: new_event_id(1_800_000_000_100, [20; 10]),
            value: dinner,
        },
    ));
    events.push(event(
        21,
        m(2),
        EventBody::SettlementRecorded {
            settlement: new_event_id(1_800_000_000_200, [21; 10]),
            value: Settlement {
                from: m(2),
                to: m(1),
                amount: 1500,
                currency: "EUR".into(),
                rate: None,
                date: "2026-02-04".into(),
            },
        },
    ));
    Ledger::from_events(events).state()
}

fn rows(csv: &str) -> Vec<Vec<String>> {
    csv::Reader::from_reader(csv.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

#[test]
fn csv_lists_expenses_and_payments_newest_first_with_names() {
    let csv = export_csv(&serde_json::to_string(&trip_state()).unwrap()).unwrap();
    let header = csv.lines().next().unwrap();
    assert_eq!(
        header,
        "Date,Type,What,Amount,Currency,Rate,Amount in EUR,Paid by,For,Category,Shop,Account,Note,Id"
    );
    let rows = rows(&csv);
    assert_eq!(rows.len(), 3 + 1 + 1, "{csv}");
    let kinds: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r[0].as_str(), r[1].as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("2026-02-04", "payment"),
            ("2026-02-03", "expense"),
            ("2026-02-02", "expense"),
            ("2026-01-31", "expense"),
            ("2026-01-05", "expense"),
        ]
    );
    let payment = &rows[0];
    assert_eq!(
        (
            &payment[2],
            &payment[3],
            &payment[6],
            &payment[7],
            &payment[8]
        ),
        (
            &"Bob paid Alice".to_string(),
            &"15.00".to_string(),
            &"15.00".to_string(),
            &"Bob 15.00".to_string(),
            &"Alice 15.00".to_string()
        )
    );
    assert!(
        csv.contains("Landlord") && csv.contains("Bob 900.00"),
        "{csv}"
    );
}

#[test]
fn csv_gives_a_foreign_currency_expense_its_rate_and_group_amount() {
    let rows = rows(&export_csv(&serde_json::to_string(&trip_state()).unwrap()).unwrap());
    let dinner = &rows[1];
    assert_eq!(dinner[2], "Dinner at Zé's");
    assert_eq!((&dinner[3][..], &dinner[4][..]), ("50.00", "USD"));
    assert_eq!((&dinner[5][..], &dinner[6][..]), ("0.92", "46.00"));
    // a group-currency row has no rate, and the same amount
    assert_eq!((&rows[2][5][..], &rows[2][6][..]), ("", "7.77"));
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

    /// Hostile input from a member: whatever names, titles, shops and notes hold, no cell
    /// of theirs in the CSV starts a spreadsheet formula.
    #[test]
    fn hostile_member_text_never_starts_a_formula(
        name in "[=+@\t\r-]?.{0,12}",
        title in "[=+@\t\r-]?.{0,12}",
        shop in "[=+@\t\r-]?.{0,12}",
        note in "[=+@\t\r-]?.{0,12}",
    ) {
        let mut events = events();
        events.push(event(30, m(2), EventBody::MemberRenamed { member: m(2), name: name.clone() }));
        events.push(event(31, m(1), EventBody::ExpenseAdded {
            expense: new_event_id(1_800_000_000_300, [31; 10]),
            value: Expense { title, note, ..expense(100, "c", &shop, "2026-03-01", m(2)) },
        }));
        events.push(event(32, m(2), EventBody::SettlementRecorded {
            settlement: new_event_id(1_800_000_000_400, [32; 10]),
            value: Settlement { from: m(2), to: m(1), amount: 5, currency: "EUR".into(), rate: None, date: "2026-03-02".into() },
        }));
        let state = serde_json::to_string(&Ledger::from_events(events).state()).unwrap();
        for row in rows(&export_csv(&state).unwrap()) {
            // text columns: what, currency, paid by, for, category, shop, account, note
            for i in [2, 4, 7, 8, 9, 10, 11, 12] {
                let first = row[i].chars().next();
                prop_assert!(!matches!(first, Some('=' | '+' | '-' | '@' | '\t' | '\r')), "{:?}", row);
            }
        }
    }
}

/// A forging member's check must not hit honest backups: the backup the app makes keeps
/// every event's signature (the core hands them over beside the texts), so a device that
/// imports it applies signed events instead of keeping them aside as unsigned.
#[test]
fn forging_member_checks_pass_on_a_backup_with_its_signatures() {
    let text = r#"{"v":1,"id":"01930000-0000-7000-8000-000000000001","lamport":1,"author":"01010101010101010101010101010101","at_ms":1,"body":{"type":"group_created","settings":{"name":"Trip","currency":"EUR","categories":[],"accounts":[]}}}"#;
    let events = serde_json::json!({"events": [text], "sigs": ["c2ln"]}).to_string();
    let backup = export_json(&events).unwrap();
    let back: serde_json::Value = serde_json::from_str(&backup).unwrap();
    assert_eq!(back["sigs"], serde_json::json!(["c2ln"]));
    // The bare array of texts (before member keys) still reads, unsigned.
    let old = export_json(&serde_json::to_string(&[text]).unwrap()).unwrap();
    let old: serde_json::Value = serde_json::from_str(&old).unwrap();
    assert!(old.get("sigs").is_none_or(serde_json::Value::is_null));
}
