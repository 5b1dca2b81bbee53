//! Income, several payers and itemized bills: what the ledger accepts, what it refuses,
//! and what they do to balances. Each names the adversary it plays where there is one.
#![cfg(not(target_arch = "wasm32"))]

use gfms_ledger::{
    Error, EventBody, Expense, ExpenseKind, Extra, GroupSettings, Item, Itemized, Ledger,
    MAX_ITEMS, MemberId, Settlement, Split, Warning, balance_sheet, balances, change, new_event_id,
};

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
    record(&mut l, 1, change::create_group(settings).unwrap());
    // Each member joins by itself.
    for (n, (who, name)) in [(ALICE, "Alice"), (BOB, "Bob"), (CAROL, "Carol")]
        .into_iter()
        .enumerate()
    {
        let n = n as u64 + 2;
        l.record(
            who,
            new_event_id(1_700_000_000_000 + n, [n as u8; 10]),
            n,
            change::join(who, name, None, 0).unwrap(),
        );
    }
    l
}

fn record(l: &mut Ledger, n: u64, body: EventBody) {
    l.record(
        ALICE,
        new_event_id(1_700_000_000_000 + n, [n as u8; 10]),
        n,
        body,
    );
}

fn base(amount: i64, payers: Vec<(MemberId, i64)>, split: Split) -> Expense {
    Expense {
        amount,
        currency: "EUR".into(),
        payers,
        split,
        date: "2026-11-30".into(),
        ..Default::default()
    }
}

fn everyone() -> Split {
    Split::Equal {
        members: vec![ALICE, BOB, CAROL],
    }
}

#[test]
fn several_payers_each_get_their_part_back() {
    let mut l = flat();
    let dinner = base(3000, vec![(ALICE, 2000), (BOB, 1000)], everyone());
    let body = change::add_expense(&l.state(), dinner).unwrap();
    record(&mut l, 10, body);
    let b = balances(&l.state());
    assert_eq!((b[&ALICE], b[&BOB], b[&CAROL]), (1000, 0, -1000));
}

#[test]
fn payers_that_do_not_add_up_are_refused_with_both_sums() {
    let l = flat();
    let short = base(3000, vec![(ALICE, 2000), (BOB, 500)], everyone());
    assert!(matches!(
        change::add_expense(&l.state(), short),
        Err(Error::PayersMismatch {
            paid: 2500,
            amount: 3000
        })
    ));
}

#[test]
fn income_is_shared_the_other_way_round() {
    let mut l = flat();
    // The deposit back: 300 received by Alice, owed to all three.
    let deposit = Expense {
        kind: ExpenseKind::Income,
        ..base(-30000, vec![(ALICE, -30000)], everyone())
    };
    let body = change::add_expense(&l.state(), deposit).unwrap();
    record(&mut l, 10, body);
    let b = balances(&l.state());
    assert_eq!((b[&ALICE], b[&BOB], b[&CAROL]), (-20000, 10000, 10000));
}

#[test]
fn income_with_a_positive_amount_is_refused_and_old_refunds_still_count() {
    let mut l = flat();
    let wrong = Expense {
        kind: ExpenseKind::Income,
        ..base(500, vec![(ALICE, 500)], everyone())
    };
    assert!(matches!(
        change::add_expense(&l.state(), wrong),
        Err(Error::IncomeNotNegative(500))
    ));
    // A refund as older versions write it: a bare negative expense, no kind.
    let refund = base(-300, vec![(BOB, -300)], everyone());
    let json = serde_json::to_string(&refund).unwrap();
    assert!(!json.contains("kind\":\"income") && !json.contains("items"));
    let body = change::add_expense(&l.state(), refund).unwrap();
    record(&mut l, 10, body);
    assert_eq!(balances(&l.state())[&BOB], -200);
}

fn bill() -> Itemized {
    Itemized {
        items: vec![
            Item {
                name: "Pizza".into(),
                price: 1250,
                members: vec![ALICE, BOB],
            },
            Item {
                name: "Salad".into(),
                price: 899,
                members: vec![CAROL],
            },
        ],
        extras: vec![Extra {
            name: "tip".into(),
            amount: 0,
            basis_points: 1000,
        }],
    }
}

#[test]
fn an_itemized_bill_splits_exactly_and_tip_follows_each_persons_items() {
    let mut l = flat();
    let bill = bill();
    let (total, split) = bill.split().unwrap();
    assert_eq!(total, 1250 + 899 + 215);
    let e = Expense {
        items: Some(bill),
        ..base(total, vec![(ALICE, total)], split)
    };
    let body = change::add_expense(&l.state(), e).unwrap();
    record(&mut l, 10, body);
    let b = balances(&l.state());
    assert_eq!(b.values().sum::<i64>(), 0);
    // Carol: her salad (899) and her part of the tip (215 · 899 / 2149 ≈ 89.9 → 90).
    assert_eq!(b[&CAROL], -(899 + 90));
}

#[test]
fn an_itemized_bill_whose_parts_disagree_with_its_items_is_refused() {
    let l = flat();
    let bill = bill();
    let (total, _) = bill.split().unwrap();
    let e = Expense {
        items: Some(bill),
        ..base(total, vec![(ALICE, total)], everyone())
    };
    assert!(matches!(
        change::add_expense(&l.state(), e),
        Err(Error::BadItems(_))
    ));
}

/// Hostile member: a bill of 10,000 items written straight into an event (past the
/// app's checks) is not applied; every device shows why.
#[test]
fn hostile_member_ten_thousand_items_are_ignored_not_computed() {
    let mut l = flat();
    let items: Vec<Item> = (0..10_000)
        .map(|i| Item {
            name: format!("i{i}"),
            price: 1,
            members: vec![ALICE],
        })
        .collect();
    assert!(items.len() > MAX_ITEMS);
    let e = Expense {
        items: Some(Itemized {
            items,
            extras: vec![],
        }),
        ..base(
            10_000,
            vec![(ALICE, 10_000)],
            Split::Exact {
                amounts: vec![(ALICE, 10_000)],
            },
        )
    };
    record(
        &mut l,
        10,
        EventBody::ExpenseAdded {
            expense: gfms_ledger::EventId::nil(),
            value: e,
        },
    );
    let state = l.state();
    assert!(state.expenses.is_empty());
    assert!(
        state
            .warnings
            .iter()
            .any(|w| matches!(w, Warning::Ignored { .. }))
    );
    assert!(balance_sheet(&state).uncounted.is_empty());
}

/// A payment of any amount between two members, not only the plan's; never negative,
/// to oneself, or beyond the bounds.
#[test]
fn hostile_member_payments_are_any_positive_amount_between_two_members() {
    let mut l = flat();
    let pay = |from, to, amount| Settlement {
        from,
        to,
        amount,
        currency: "EUR".into(),
        rate: None,
        date: "2026-11-30".into(),
        import_id: String::new(),
    };
    let body = change::record_settlement(&l.state(), pay(BOB, ALICE, 1000)).unwrap();
    record(&mut l, 10, body);
    let b = balances(&l.state());
    assert_eq!((b[&ALICE], b[&BOB]), (-1000, 1000));
    let s = l.state();
    assert!(change::record_settlement(&s, pay(BOB, ALICE, -5)).is_err());
    assert!(change::record_settlement(&s, pay(BOB, ALICE, 0)).is_err());
    assert!(change::record_settlement(&s, pay(BOB, BOB, 100)).is_err());
    assert!(change::record_settlement(&s, pay(BOB, ALICE, i64::MAX)).is_err());
}

/// Adds Dan, a placeholder, as Alice; returns his id.
fn add_dan(l: &mut Ledger, n: u64) -> MemberId {
    let body = gfms_ledger::add_placeholder(&l.state(), "Dan").unwrap();
    let id = new_event_id(1_700_000_000_000 + n, [n as u8; 10]);
    l.record(ALICE, id, n, body);
    gfms_ledger::placeholder_id(id)
}

fn claim(l: &mut Ledger, n: u64, author: MemberId, placeholder: MemberId) {
    l.record(
        author,
        new_event_id(1_700_000_000_000 + n, [n as u8; 10]),
        n,
        EventBody::PlaceholderClaimed {
            placeholder,
            member: author,
        },
    );
}

#[test]
fn a_placeholder_shares_expenses_and_their_history_follows_the_claim() {
    let mut l = flat();
    let dan = add_dan(&mut l, 10);
    let state = l.state();
    assert!(state.members[&dan].placeholder);
    assert!(state.active_members().any(|(id, _)| *id == dan));
    // Dan paid 40 for Dan and Bob (recorded by Alice on his behalf).
    let e = base(
        4000,
        vec![(dan, 4000)],
        Split::Equal {
            members: vec![dan, BOB],
        },
    );
    let body = change::add_expense(&state, e).unwrap();
    record(&mut l, 11, body);
    assert_eq!(balances(&l.state())[&dan], 2000);
    // Carol's device turns out to be Dan's: she claims him.
    claim(&mut l, 12, CAROL, dan);
    let state = l.state();
    assert_eq!(
        state.members[&dan].status,
        gfms_ledger::MemberStatus::Claimed
    );
    assert_eq!(state.members[&dan].claimed_by, Some(CAROL));
    let b = balances(&state);
    assert_eq!((b[&CAROL], b[&dan]), (2000, 0));
    assert!(state.active_members().all(|(id, _)| *id != dan));
    // A device that had not seen the claim records for Dan: it follows the claim too.
    let late = base(1000, vec![(BOB, 1000)], Split::Equal { members: vec![dan] });
    l.merge([gfms_ledger::Event {
        v: gfms_ledger::SCHEMA_VERSION,
        id: new_event_id(1_700_000_000_013, [13; 10]),
        lamport: 13,
        author: BOB,
        at_ms: 0,
        body: EventBody::ExpenseAdded {
            expense: new_event_id(1_700_000_000_013, [13; 10]),
            value: late,
        },
    }]);
    let b = balances(&l.state());
    assert_eq!((b[&CAROL], b[&dan], b[&BOB]), (1000, 0, -1000));
}

/// Hostile member: two devices claim the same placeholder at once; every device, in
/// either order, gives him to the claim first in ledger order. A claim written for
/// someone else, or by a placeholder, is not applied; a claimed placeholder cannot be
/// claimed again.
#[test]
fn hostile_member_a_placeholder_claimed_twice_goes_to_one_claimer_everywhere() {
    let mut l = flat();
    let dan = add_dan(&mut l, 10);
    let mut one = l.clone();
    claim(&mut one, 20, CAROL, dan);
    let mut two = l.clone();
    claim(&mut two, 21, BOB, dan);
    let (mut a, mut b) = (one.clone(), two.clone());
    a.merge(two.events().cloned().collect::<Vec<_>>());
    b.merge(one.events().cloned().collect::<Vec<_>>());
    assert_eq!(a.state(), b.state());
    // Same Lamport clock: the smaller author (Bob) comes first and wins.
    assert_eq!(a.state().members[&dan].claimed_by, Some(BOB));
    assert!(matches!(
        gfms_ledger::claim_placeholder(&a.state(), dan, CAROL),
        Err(Error::NotAllowed(_))
    ));

    let mut forged = l.clone();
    forged.record(
        ALICE,
        new_event_id(1_700_000_000_030, [30; 10]),
        30,
        EventBody::PlaceholderClaimed {
            placeholder: dan,
            member: BOB,
        },
    );
    assert_eq!(forged.state().members[&dan].claimed_by, None);
    assert!(gfms_ledger::claim_placeholder(&l.state(), dan, dan).is_err());
}

#[test]
fn history_shows_who_did_what_and_a_deleted_expense_comes_back() {
    let mut l = flat();
    let e = base(3000, vec![(ALICE, 3000)], everyone());
    let body = change::add_expense(&l.state(), e.clone()).unwrap();
    let id = new_event_id(1_700_000_000_010, [10; 10]);
    l.record(ALICE, id, 10, body);
    // Bob changes the note; Carol, concurrently (same clock), the amount.
    let lamport = l.next_lamport();
    let mut noted = e.clone();
    noted.note = "offline note".into();
    let amount = gfms_ledger::rescale(&e, 3600).unwrap();
    let edit = |n: u64, author: MemberId, value: Expense| gfms_ledger::Event {
        v: gfms_ledger::SCHEMA_VERSION,
        id: new_event_id(1_700_000_000_000 + n, [n as u8; 10]),
        lamport,
        author,
        at_ms: n,
        body: EventBody::ExpenseEdited { expense: id, value },
    };
    let by_bob = edit(11, BOB, noted);
    let by_carol = edit(12, CAROL, amount);
    l.merge([by_bob.clone(), by_carol.clone()]);
    let h = gfms_ledger::history(&l, id);
    let what: Vec<(gfms_ledger::Action, MemberId, Vec<String>)> = h
        .iter()
        .map(|x| (x.action, x.author, x.changed.clone()))
        .collect();
    use gfms_ledger::Action::*;
    assert_eq!(
        what,
        vec![
            (Created, ALICE, vec![]),
            (Edited, BOB, vec!["note".to_string()]),
            (
                Edited,
                CAROL,
                vec!["amount".into(), "payers".into(), "note".into()]
            ),
        ]
    );
    // Carol's value won; Bob's note is one call away.
    assert_eq!(l.state().expenses[&id].note, "");
    let back = gfms_ledger::restore(&l, id, Some(by_bob.id)).unwrap();
    record(&mut l, 20, back);
    assert_eq!(l.state().expenses[&id].note, "offline note");

    let body = change::delete_expense(&l.state(), id).unwrap();
    record(&mut l, 21, body);
    assert!(l.state().expenses.is_empty());
    let back = gfms_ledger::restore(&l, id, None).unwrap();
    record(&mut l, 22, back);
    assert_eq!(l.state().expenses[&id].note, "offline note");
    let feed = gfms_ledger::activity(&l, None, 3);
    assert_eq!(feed[0].action, Edited);
    assert_eq!(feed[1].action, Deleted);
    assert_eq!(gfms_ledger::activity(&l, Some(BOB), 10).len(), 1);
}

/// Hostile member: payment details set for someone else, or carrying a `javascript:`
/// link, written straight into events, are not applied; a name-only member's are.
#[test]
fn hostile_member_payment_details_for_others_or_with_script_are_not_applied() {
    let mut l = flat();
    let dan = add_dan(&mut l, 10);
    let mine = gfms_ledger::PaymentDetails {
        paypal: Some("alice".into()),
        ..Default::default()
    };
    let body = gfms_ledger::set_payment_details(&l.state(), ALICE, ALICE, mine.clone()).unwrap();
    record(&mut l, 11, body);
    let body = gfms_ledger::set_payment_details(&l.state(), dan, ALICE, mine.clone()).unwrap();
    record(&mut l, 12, body);
    assert!(matches!(
        gfms_ledger::set_payment_details(&l.state(), BOB, ALICE, mine.clone()),
        Err(Error::NotAllowed(_))
    ));
    // Alice's device, hostile, writes details for Bob and a script link for herself.
    let evil = gfms_ledger::PaymentDetails {
        paypal: Some("javascript:alert(1)".into()),
        ..Default::default()
    };
    record(
        &mut l,
        13,
        EventBody::PaymentDetailsSet {
            member: BOB,
            details: mine.clone(),
        },
    );
    record(
        &mut l,
        14,
        EventBody::PaymentDetailsSet {
            member: ALICE,
            details: evil,
        },
    );
    let state = l.state();
    assert_eq!(state.payment_details.get(&ALICE), Some(&mine));
    assert_eq!(state.payment_details.get(&dan), Some(&mine));
    assert!(!state.payment_details.contains_key(&BOB));
    // Bob owes Alice: the plan carries her link with the amount.
    let e = base(
        3000,
        vec![(ALICE, 3000)],
        Split::Equal {
            members: vec![ALICE, BOB],
        },
    );
    let body = change::add_expense(&state, e).unwrap();
    record(&mut l, 15, body);
    let plan = gfms_ledger::plan_with_details(&l.state());
    assert_eq!(plan[0].links[0].url, "https://paypal.me/alice/15.00EUR");
}
