//! The Splitwise-shaped export: its exact shape, and members' text that cannot become a
//! spreadsheet formula while the amounts stay numbers.
#![cfg(not(target_arch = "wasm32"))]

use gfms_import::{Options, export_splitwise, parse_splitwise};
use gfms_ledger::{
    Expense, GroupSettings, Member, MemberId, MemberStatus, Rate, Settlement, Split, State,
    new_event_id,
};

fn id(i: u8) -> MemberId {
    MemberId([i; 16])
}

fn group(names: &[&str]) -> State {
    let mut state = State {
        settings: Some(GroupSettings {
            name: "Flat".into(),
            currency: "EUR".into(),
            categories: vec![],
            accounts: vec![],
        }),
        ..State::default()
    };
    for (i, n) in names.iter().enumerate() {
        let status = MemberStatus::Active;
        state.members.insert(
            id(i as u8 + 1),
            Member {
                name: (*n).into(),
                status,
                placeholder: false,
                claimed_by: None,
            },
        );
    }
    state
}

fn expense(amount: i64, currency: &str, payer: u8, shop: &str, date: &str) -> Expense {
    Expense {
        title: String::new(),
        amount,
        currency: currency.into(),
        rate: (currency != "EUR").then_some(Rate {
            numerator: 1,
            denominator: 150,
        }),
        category: "Food".into(),
        shop: shop.into(),
        account: String::new(),
        payers: vec![(id(payer), amount)],
        split: Split::Equal {
            members: vec![id(1), id(2), id(3)],
        },
        date: date.into(),
        note: String::new(),
        ..Default::default()
    }
}

#[test]
fn the_export_has_splitwises_shape() {
    let mut state = group(&["Ann", "Ben", "Cleo"]);
    state.expenses.insert(
        new_event_id(2, [0; 10]),
        expense(1000, "EUR", 1, "Bakery", "2024-05-02"),
    );
    state.expenses.insert(
        new_event_id(1, [0; 10]),
        expense(3000, "JPY", 2, "Ramen", "2024-05-01"),
    );
    state.settlements.insert(
        new_event_id(3, [0; 10]),
        Settlement {
            from: id(2),
            to: id(1),
            amount: 333,
            currency: "EUR".into(),
            rate: None,
            date: "2024-05-03".into(),
            import_id: String::new(),
        },
    );
    assert_eq!(
        export_splitwise(&state),
        "Date,Description,Category,Cost,Currency,Ann,Ben,Cleo\n\
         2024-05-01,Ramen,Food,3000,JPY,-1000,2000,-1000\n\
         2024-05-02,Bakery,Food,10.00,EUR,6.66,-3.33,-3.33\n\
         2024-05-03,Ben paid Ann,Payment,3.33,EUR,-3.33,3.33,0.00\n\
         \n\
         2024-05-03,Total balance, , ,EUR,3.33,0.00,-3.33\n\
         2024-05-03,Total balance, , ,JPY,-1000,2000,-1000\n"
    );
    let import = parse_splitwise(export_splitwise(&state).as_bytes(), &Options::default()).unwrap();
    assert!(import.is_balanced());
    assert_eq!(import.members, ["Ann", "Ben", "Cleo"]);
}

#[test]
fn what_the_ledger_leaves_out_of_balances_the_export_leaves_out() {
    let mut state = group(&["Ann", "Ben", "Cleo"]);
    let mut no_rate = expense(3000, "JPY", 2, "Ramen", "2024-05-01");
    no_rate.rate = None;
    state.expenses.insert(new_event_id(1, [0; 10]), no_rate);
    let mut bad = expense(1000, "EUR", 1, "Bakery", "2024-05-02");
    bad.payers = vec![(id(1), 999)];
    state.expenses.insert(new_event_id(2, [0; 10]), bad);
    assert_eq!(
        export_splitwise(&state),
        "Date,Description,Category,Cost,Currency,Ann,Ben,Cleo\n"
    );
}

#[test]
fn hostile_input_from_a_member_cannot_become_a_formula_in_the_export() {
    let names = [
        "=cmd|' /C calc'!A0",
        "+1",
        "@SUM(A1)",
        "-2",
        "\tTab",
        "\rCR",
    ];
    let mut state = group(&names);
    let mut e = expense(
        1200,
        "EUR",
        1,
        "=HYPERLINK(\"http://x.invalid\")",
        "2024-05-02",
    );
    e.split = Split::Equal {
        members: (1..=6).map(id).collect(),
    };
    e.category = "+Food".into();
    state.expenses.insert(new_event_id(1, [0; 10]), e);
    let csv = export_splitwise(&state);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(csv.as_bytes());
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    for name in &records[0].iter().collect::<Vec<_>>()[5..] {
        assert!(name.starts_with('\''), "{name:?}");
    }
    assert!(records[1][1].starts_with("'="), "{:?}", &records[1][1]);
    assert!(records[1][2].starts_with("'+"), "{:?}", &records[1][2]);
    // Amounts are ours and stay numbers, negative ones included.
    assert_eq!(&records[1][3], "12.00");
    assert_eq!(&records[1][6], "-2.00");
    // And the import takes the apostrophes off again.
    let import = parse_splitwise(csv.as_bytes(), &Options::default()).unwrap();
    assert_eq!(import.members[0], names[0]);
    assert_eq!(import.members[1], "+1");
    assert_eq!(import.expenses[0].title, "=HYPERLINK(\"http://x.invalid\")");
    assert!(import.is_balanced());
}
