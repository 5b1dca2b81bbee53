//! What a group relies on: every device ends with the same ledger, and no cent is lost.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{event, founding, m, placeholder, settings, shuffled};
use gfms_ledger::{
    Event, EventBody, EventId, Expense, ExpenseKind, Extra, Item, Itemized, Ledger, MemberId, Rate,
    Settlement, Split, balances, new_event_id, settle_up, split_amount,
};
use proptest::prelude::*;

fn expense(amount: i64, payer: MemberId, split: Split) -> Expense {
    Expense {
        title: String::new(),
        amount,
        currency: "EUR".into(),
        rate: None,
        category: "food".into(),
        shop: "Bakery".into(),
        account: "cash".into(),
        payers: vec![(payer, amount)],
        split,
        date: "2026-11-25".into(),
        note: String::new(),
        ..Default::default()
    }
}

/// Income `amount` (> 0) received by two members, shared by all three.
fn income(amount: i64, received_by: [MemberId; 2], members: &[MemberId]) -> Expense {
    let half = amount / 2;
    Expense {
        kind: ExpenseKind::Income,
        payers: vec![(received_by[0], -(amount - half)), (received_by[1], -half)],
        ..expense(
            -amount,
            received_by[0],
            Split::Equal {
                members: members.to_vec(),
            },
        )
    }
}

/// An itemized bill with a 10 % tip, paid by two members.
fn itemized(price: i64, wine: i64, paid_by: [MemberId; 2], members: &[MemberId]) -> Expense {
    let bill = Itemized {
        items: vec![
            Item {
                name: "Pizza".into(),
                price,
                members: members[..2].to_vec(),
            },
            Item {
                name: "Wine".into(),
                price: wine,
                members: members.to_vec(),
            },
        ],
        extras: vec![Extra {
            name: "tip".into(),
            amount: 0,
            basis_points: 1000,
        }],
    };
    let (total, split) = bill.split().unwrap();
    let half = total / 2;
    Expense {
        payers: vec![(paid_by[0], total - half), (paid_by[1], half)],
        items: Some(bill),
        ..expense(total, paid_by[0], split)
    }
}

/// A random history by three authors over a few expenses: adds (expenses, income, and
/// itemized bills, with several payers, some naming a placeholder), edits (whole values
/// and per-field), deletes,
/// renames, settlements, and concurrent claims of the placeholder; Lamport clocks may
/// collide (concurrent writers).
fn history() -> impl Strategy<Value = Vec<Event>> {
    let op = (0u8..3, 0u64..20, 0u8..12, 1i64..10_000, 0usize..4);
    proptest::collection::vec(op, 1..60).prop_map(|ops| {
        let members = [m(1), m(2), m(3)];
        let mut events = vec![event(
            0,
            0,
            m(1),
            EventBody::GroupCreated {
                settings: settings(),
            },
        )];
        for (i, member) in members.iter().enumerate() {
            events.push(event(
                1 + i as u64,
                0,
                *member,
                EventBody::MemberJoined {
                    member: *member,
                    name: format!("m{i}"),
                    card: None,
                    epoch: 0,
                },
            ));
        }
        // Dan, a placeholder (added by name only), whom any member may claim.
        let (dan_added, dan) = placeholder(4, 1, m(1), "Dan");
        events.push(dan_added);
        let expense_ids: Vec<EventId> = (0..4)
            .map(|i| new_event_id(1, [i as u8 + 100; 10]))
            .collect();
        for (seq, (author, lamport, kind, amount, target)) in ops.into_iter().enumerate() {
            let author = members[usize::from(author)];
            let body = match kind {
                0 | 1 => EventBody::ExpenseAdded {
                    expense: expense_ids[target],
                    value: expense(
                        amount,
                        author,
                        Split::Equal {
                            members: members.to_vec(),
                        },
                    ),
                },
                2 => EventBody::ExpenseEdited {
                    expense: expense_ids[target],
                    value: expense(
                        amount,
                        author,
                        Split::Shares {
                            weights: vec![(m(1), 2), (m(2), 1), (m(3), 1)],
                        },
                    ),
                },
                3 => EventBody::ExpenseDeleted {
                    expense: expense_ids[target],
                },
                // Per-field edits: a note, or an amount alone (payers and exact parts
                // follow it; an itemized bill's amount is not applied).
                10 => EventBody::ExpensePatched {
                    expense: expense_ids[target],
                    base: None,
                    changes: gfms_ledger::ExpenseChanges::from_json(&format!(
                        r#"{{"note":"note {amount}"}}"#
                    ))
                    .unwrap(),
                },
                11 => EventBody::ExpensePatched {
                    expense: expense_ids[target],
                    base: Some(expense_ids[(target + 1) % 4]),
                    changes: gfms_ledger::ExpenseChanges::from_json(&format!(
                        r#"{{"amount":{amount}}}"#
                    ))
                    .unwrap(),
                },
                4 => EventBody::MemberRenamed {
                    member: author,
                    name: format!("renamed {amount}"),
                },
                6 => EventBody::ExpenseAdded {
                    expense: expense_ids[target],
                    value: income(amount, [author, members[target % 3]], &members),
                },
                8 => EventBody::PlaceholderClaimed {
                    placeholder: dan,
                    member: author,
                },
                9 => EventBody::ExpenseAdded {
                    expense: expense_ids[target],
                    value: Expense {
                        payers: vec![(dan, amount - amount / 3), (author, amount / 3)],
                        ..expense(
                            amount,
                            dan,
                            Split::Shares {
                                weights: vec![(dan, 2), (author, 1), (members[target % 3], 1)],
                            },
                        )
                    },
                },
                7 => EventBody::ExpenseEdited {
                    expense: expense_ids[target],
                    value: itemized(
                        amount,
                        100 * target as i64 + 1,
                        [author, members[(target + 1) % 3]],
                        &members,
                    ),
                },
                _ => EventBody::SettlementRecorded {
                    settlement: expense_ids[target],
                    value: Settlement {
                        from: author,
                        to: members[target % 3],
                        amount,
                        currency: "EUR".into(),
                        rate: None,
                        date: "2026-11-25".into(),
                        import_id: String::new(),
                    },
                },
            };
            events.push(event(100 + seq as u64, lamport, author, body));
        }
        events
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, .. ProptestConfig::default() })]

    /// Two devices that saw the same events in any order, with duplicates, agree.
    #[test]
    fn devices_converge_whatever_the_order(events in history(), seed in any::<u64>()) {
        let duplicated: Vec<Event> = shuffled(&events, seed).iter().chain(events.iter().take(5)).cloned().collect();
        let a = Ledger::from_events(events);
        let mut b = Ledger::default();
        for chunk in duplicated.chunks(7) {
            b.merge(chunk.to_vec());
        }
        prop_assert_eq!(a.state(), b.state());
        prop_assert_eq!(balances(&a.state()), balances(&b.state()));
    }

    /// Balances always sum to zero, and the settle-up plan brings everyone to zero.
    #[test]
    fn no_cent_is_lost(events in history()) {
        let state = Ledger::from_events(events).state();
        let sheet = gfms_ledger::balance_sheet(&state);
        prop_assert!(sheet.uncounted.is_empty(), "income, bills and several payers all count: {:?}", sheet.uncounted);
        let b = balances(&state);
        prop_assert_eq!(b.values().sum::<i64>(), 0);
        let plan = settle_up(&b);
        prop_assert!(plan.len() < b.len().max(1));
        let mut after = b.clone();
        for t in &plan {
            prop_assert!(t.amount > 0);
            *after.entry(t.from).or_default() += t.amount;
            *after.entry(t.to).or_default() -= t.amount;
        }
        prop_assert!(after.values().all(|v| *v == 0));
    }

    /// The parts of a split always sum to its amount.
    #[test]
    fn splits_sum_to_the_amount(amount in -1_000_000_000i64..1_000_000_000, weights in proptest::collection::vec((1u8..20, 0u32..1000), 1..12)) {
        let weights: Vec<(MemberId, u32)> = weights.into_iter().map(|(id, w)| (m(id), w)).collect();
        if weights.iter().any(|(_, w)| *w > 0) {
            let parts = split_amount(amount, &Split::Shares { weights: weights.clone() }).unwrap();
            prop_assert_eq!(parts.iter().map(|p| p.1).sum::<i64>(), amount);
        }
        let members: Vec<MemberId> = weights.iter().map(|(id, _)| *id).collect();
        let equal = split_amount(amount, &Split::Equal { members }).unwrap();
        prop_assert_eq!(equal.iter().map(|p| p.1).sum::<i64>(), amount);
        let (min, max) = (equal.iter().map(|p| p.1).min().unwrap(), equal.iter().map(|p| p.1).max().unwrap());
        prop_assert!(max - min <= 1, "equal parts differ by at most one cent");
    }

    /// Event JSON round-trips, and merging the same events again changes nothing.
    #[test]
    fn events_round_trip_and_merging_twice_is_idempotent(events in history()) {
        let json = serde_json::to_string(&events).unwrap();
        let back: Vec<Event> = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(&back, &events);
        let mut ledger = Ledger::from_events(events.clone());
        let before = ledger.state();
        let report = ledger.merge(back);
        prop_assert_eq!(report.added, 0);
        prop_assert_eq!(ledger.state(), before);
    }
}

#[test]
fn alice_pays_for_three_and_the_plan_pays_her_back() {
    let (alice, bob, carol) = (m(1), m(2), m(3));
    let mut events = founding(&[(alice, "Alice"), (bob, "Bob"), (carol, "Carol")]);
    let dinner = new_event_id(5, [5; 10]);
    events.push(event(
        10,
        3,
        alice,
        EventBody::ExpenseAdded {
            expense: dinner,
            value: expense(
                3000,
                alice,
                Split::Equal {
                    members: vec![alice, bob, carol],
                },
            ),
        },
    ));
    // Bob pays 20 USD for Bob and Carol; 1 USD = 0.92 EUR.
    let mut taxi = expense(
        2000,
        bob,
        Split::Equal {
            members: vec![bob, carol],
        },
    );
    taxi.currency = "USD".into();
    taxi.rate = Some(Rate {
        numerator: 92,
        denominator: 100,
    });
    events.push(event(
        11,
        4,
        bob,
        EventBody::ExpenseAdded {
            expense: new_event_id(6, [6; 10]),
            value: taxi,
        },
    ));
    let state = Ledger::from_events(events).state();
    let b = balances(&state);
    assert_eq!(b[&alice], 2000);
    assert_eq!(b[&bob], -1000 + 920);
    assert_eq!(b[&carol], -1000 - 920);
    assert_eq!(b.values().sum::<i64>(), 0);
    let plan = settle_up(&b);
    assert_eq!(plan.len(), 2);
    assert_eq!(
        (plan[0].from, plan[0].to, plan[0].amount),
        (carol, alice, 1920)
    );
    assert_eq!((plan[1].from, plan[1].to, plan[1].amount), (bob, alice, 80));
}

#[test]
fn the_later_writer_wins_and_a_delete_can_be_overwritten_by_a_later_edit() {
    let (alice, bob) = (m(1), m(2));
    let id = new_event_id(1, [1; 10]);
    let add = event(
        1,
        1,
        alice,
        EventBody::ExpenseAdded {
            expense: id,
            value: expense(
                100,
                alice,
                Split::Equal {
                    members: vec![alice],
                },
            ),
        },
    );
    let edit_bob = event(
        2,
        2,
        bob,
        EventBody::ExpenseEdited {
            expense: id,
            value: expense(200, bob, Split::Equal { members: vec![bob] }),
        },
    );
    let edit_alice = event(
        3,
        2,
        alice,
        EventBody::ExpenseEdited {
            expense: id,
            value: expense(
                300,
                alice,
                Split::Equal {
                    members: vec![alice],
                },
            ),
        },
    );
    let delete = event(4, 3, alice, EventBody::ExpenseDeleted { expense: id });
    let concurrent =
        Ledger::from_events([add.clone(), edit_alice.clone(), edit_bob.clone()]).state();
    assert_eq!(
        concurrent.expenses[&id].amount, 200,
        "same lamport: the greater author id (bob) wins"
    );
    assert!(
        Ledger::from_events([add.clone(), edit_bob.clone(), delete.clone()])
            .state()
            .expenses
            .is_empty()
    );
    let revive = event(
        5,
        4,
        bob,
        EventBody::ExpenseEdited {
            expense: id,
            value: expense(50, bob, Split::Equal { members: vec![bob] }),
        },
    );
    assert_eq!(
        Ledger::from_events([add, edit_bob, delete, revive])
            .state()
            .expenses[&id]
            .amount,
        50
    );
}

#[test]
fn unknown_event_kinds_from_newer_versions_are_kept_and_ignored() {
    let json = r#"{"v":2,"id":"0190f0c0-0000-7000-8000-000000000001","lamport":9,"author":"01010101010101010101010101010101","at_ms":0,
                  "body":{"type":"trip_planned","trip":"x","blob":"..."}}"#;
    let e: Event = serde_json::from_str(json).unwrap();
    assert_eq!(e.body, EventBody::Unknown);
    let ledger = Ledger::from_events([e]);
    assert_eq!(ledger.len(), 1);
    assert_eq!(ledger.next_lamport(), 10);
    assert_eq!(ledger.state().expenses.len(), 0);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    /// A JSON backup imported into another device gives the same state; importing it
    /// again changes nothing.
    #[test]
    fn json_backup_imports_idempotently(events in history(), split_at in 0usize..64) {
        let full = Ledger::from_events(events.clone());
        let backup = gfms_ledger::export_json(&full).unwrap();
        let mut other = Ledger::from_events(events.into_iter().take(split_at));
        gfms_ledger::import_json(&mut other, &backup).unwrap();
        prop_assert_eq!(other.state(), full.state());
        let again = gfms_ledger::import_json(&mut other, &backup).unwrap();
        prop_assert_eq!(again.added, 0);
        prop_assert_eq!(other.state(), full.state());
    }

    /// Statistics add up: every dimension's totals sum to the total.
    #[test]
    fn statistics_add_up(events in history()) {
        let state = Ledger::from_events(events).state();
        let s = gfms_ledger::statistics(&state, &gfms_ledger::Filter::default());
        for dim in [&s.by_category, &s.by_month, &s.by_shop, &s.by_account, &s.by_payer] {
            prop_assert_eq!(dim.values().sum::<i64>(), s.total);
        }
    }
}

#[test]
fn csv_export_quotes_and_names_members() {
    let (alice, bob) = (m(1), m(2));
    let mut e = expense(
        1250,
        alice,
        Split::Equal {
            members: vec![alice, bob],
        },
    );
    e.shop = "Bäckerei \"Sonne\", Mitte".into();
    e.note = "line one\nline two".into();
    let mut events = founding(&[(alice, "Alice"), (bob, "Bob")]);
    events.extend([event(
        3,
        3,
        alice,
        EventBody::ExpenseAdded {
            expense: new_event_id(3, [3; 10]),
            value: e,
        },
    )]);
    let csv = gfms_ledger::export_csv(&Ledger::from_events(events).state());
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(&rows[0][1], "Bäckerei \"Sonne\", Mitte");
    assert_eq!(&rows[0][4], "12.50");
    assert_eq!(&rows[0][6], "Alice 12.50");
    assert_eq!(&rows[0][7], "Alice 6.25; Bob 6.25");
    assert_eq!(&rows[0][8], "line one\nline two");
}

/// An expense by Alice whose text fields are `text`, shared with a member named `bob_name`.
fn csv_row_with(text: &str, bob_name: &str, amount: i64) -> csv::StringRecord {
    let (alice, bob) = (m(1), m(2));
    let mut e = expense(
        amount,
        bob,
        Split::Equal {
            members: vec![bob, alice],
        },
    );
    e.shop = text.into();
    e.category = text.into();
    e.account = text.into();
    e.note = text.into();
    let mut events = founding(&[(alice, "Alice"), (bob, bob_name)]);
    events.push(event(
        3,
        3,
        alice,
        EventBody::ExpenseAdded {
            expense: new_event_id(3, [3; 10]),
            value: e,
        },
    ));
    let csv = gfms_ledger::export_csv(&Ledger::from_events(events).state());
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let mut rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1);
    rows.remove(0)
}

/// Hostile input from a member: shop, category, account, note and a member name that a
/// spreadsheet would run as formulas are exported as text (a leading apostrophe), while
/// a refund's negative amount, which GFMS writes itself, stays a number.
#[test]
fn hostile_member_text_cannot_become_a_spreadsheet_formula() {
    for attack in [
        "=HYPERLINK(\"http://evil.example\",\"x\")",
        "+1+1",
        "-2+3",
        "@SUM(A1)",
        "\t=1",
        "\r=1",
    ] {
        let row = csv_row_with(attack, attack, -1250);
        for (column, cell) in [(1, &row[1]), (2, &row[2]), (3, &row[3]), (8, &row[8])] {
            assert_eq!(cell, format!("'{attack}"), "column {column} for {attack:?}");
        }
        assert!(
            row[6].starts_with(&format!("'{attack} ")),
            "paid-by cell {:?}",
            &row[6]
        );
        assert!(
            !row[7].starts_with(['=', '+', '-', '@', '\t', '\r']),
            "shared-by cell {:?}",
            &row[7]
        );
        assert_eq!(&row[4], "-12.50", "amounts stay numbers");
    }
    let row = csv_row_with("Bakery = good", "Bob", 100);
    assert_eq!(
        &row[1], "Bakery = good",
        "text that only contains = is left alone"
    );
}

proptest! {
    /// Whatever a member writes, no exported text cell starts with a formula trigger,
    /// and the text is the cell minus at most the one apostrophe added.
    #[test]
    fn no_exported_text_cell_starts_a_formula(text in "\\PC{0,12}", name in "[=+@a-z-]{1,6}") {
        let row = csv_row_with(&text, &name, 500);
        for i in [1usize, 2, 3, 6, 7, 8] {
            let cell = &row[i];
            prop_assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "cell {i}: {cell:?}");
        }
        let restored = row[8].strip_prefix('\'').filter(|_| text.starts_with(['=', '+', '-', '@', '\t', '\r'])).unwrap_or(&row[8]);
        prop_assert_eq!(restored, text.as_str());
    }
}

#[test]
fn filters_find_by_text_member_and_dates() {
    let (alice, bob) = (m(1), m(2));
    let mut lunch = expense(
        900,
        alice,
        Split::Equal {
            members: vec![alice],
        },
    );
    lunch.shop = "Noodle Bar".into();
    lunch.date = "2026-10-02".into();
    let groceries = expense(
        3000,
        bob,
        Split::Equal {
            members: vec![alice, bob],
        },
    );
    let events = vec![
        event(
            0,
            1,
            alice,
            EventBody::GroupCreated {
                settings: settings(),
            },
        ),
        event(
            1,
            2,
            alice,
            EventBody::ExpenseAdded {
                expense: new_event_id(1, [1; 10]),
                value: lunch,
            },
        ),
        event(
            2,
            2,
            bob,
            EventBody::ExpenseAdded {
                expense: new_event_id(2, [2; 10]),
                value: groceries,
            },
        ),
    ];
    let state = Ledger::from_events(events).state();
    let find = |f: gfms_ledger::Filter| gfms_ledger::filtered(&state, &f).len();
    assert_eq!(find(gfms_ledger::Filter::default()), 2);
    assert_eq!(
        find(gfms_ledger::Filter {
            text: Some("noodle".into()),
            ..Default::default()
        }),
        1
    );
    assert_eq!(
        find(gfms_ledger::Filter {
            member: Some(bob),
            ..Default::default()
        }),
        1
    );
    assert_eq!(
        find(gfms_ledger::Filter {
            from: Some("2026-11-01".into()),
            ..Default::default()
        }),
        1
    );
    let stats = gfms_ledger::statistics(&state, &gfms_ledger::Filter::default());
    assert_eq!(stats.by_month.get("2026-10"), Some(&900));
    assert_eq!(stats.total, 3900);
}
