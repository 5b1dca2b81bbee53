//! A state kept up to date event by event ([`Fold`]) is exactly the state of the whole
//! ledger, whatever arrives and in whatever order.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{bakery, event, founding, m, placeholder};
use gfms_ledger::{Event, EventBody, EventId, Fold, Ledger, MemberId, new_event_id};
use proptest::prelude::*;

fn hash(i: u8) -> String {
    format!("{:064x}", u64::from(i) + 1)
}

/// One event of a random history: `kind` picks what it does, to which of four expenses
/// (`target`), with which receipt (`receipt`).
fn body(
    kind: u8,
    author: MemberId,
    amount: i64,
    target: usize,
    receipt: u8,
    dan: MemberId,
) -> EventBody {
    let expense = new_event_id(1, [target as u8 + 100; 10]);
    let members = vec![m(1), m(2), m(3), dan];
    match kind {
        0 | 1 => EventBody::ExpenseAdded {
            expense,
            value: bakery(amount, author, members),
        },
        2 => EventBody::ExpenseEdited {
            expense,
            value: bakery(amount + 1, dan, members),
        },
        3 => EventBody::ExpenseDeleted { expense },
        4 => EventBody::ExpensePatched {
            expense,
            base: None,
            changes: gfms_ledger::ExpenseChanges::from_json(&format!(r#"{{"note":"n{amount}"}}"#))
                .unwrap(),
        },
        // An edit that cannot apply: a warning.
        5 => EventBody::ExpensePatched {
            expense,
            base: None,
            changes: gfms_ledger::ExpenseChanges::from_json(r#"{"amount":"lots"}"#).unwrap(),
        },
        6 | 7 => EventBody::ReceiptAttached {
            expense,
            hash: hash(receipt),
            mime: "image/jpeg".into(),
            size: 100 + u64::from(receipt),
            name: format!("till-{receipt}.jpg"),
            thumb: None,
        },
        8 => EventBody::ReceiptRemoved {
            expense,
            hash: hash(receipt),
        },
        // Two members under one name: a warning that comes and goes.
        9 => EventBody::MemberRenamed {
            member: author,
            name: if receipt.is_multiple_of(2) {
                "Same".into()
            } else {
                format!("m{receipt}")
            },
        },
        10 => EventBody::PlaceholderClaimed {
            placeholder: dan,
            member: author,
        },
        11 => EventBody::MemberRemoved {
            member: m(1 + receipt % 3),
        },
        // Out of bounds: not applied, a warning.
        12 => EventBody::ExpenseAdded {
            expense,
            value: bakery(gfms_ledger::MAX_AMOUNT + 1, author, vec![author]),
        },
        _ => EventBody::SettlementRecorded {
            settlement: expense,
            value: gfms_ledger::Settlement {
                from: author,
                to: dan,
                amount,
                currency: "EUR".into(),
                rate: None,
                date: "2026-11-25".into(),
                import_id: String::new(),
            },
        },
    }
}

/// The group's founding events (three members and Dan, a placeholder), then random
/// events on mostly rising Lamport clocks (collisions included), each with whether it
/// arrives late: after events that sort after it.
fn arrivals() -> impl Strategy<Value = Vec<Event>> {
    let op = (
        0u8..3,
        0u64..3,
        0u8..14,
        1i64..10_000,
        0usize..4,
        0u8..6,
        0u8..8,
    );
    proptest::collection::vec(op, 1..50).prop_map(|ops| {
        let mut first = founding(&[(m(1), "Ann"), (m(2), "Bea"), (m(3), "Cy")]);
        let (dan_added, dan) = placeholder(9, 3, m(1), "Dan");
        first.push(dan_added);
        let (mut in_order, mut late) = (Vec::new(), Vec::new());
        let mut lamport = 4;
        for (seq, (author, step, kind, amount, target, receipt, lateness)) in
            ops.into_iter().enumerate()
        {
            lamport += step;
            let author = m(1 + author);
            let e = event(
                100 + seq as u64,
                lamport,
                author,
                body(kind, author, amount, target, receipt, dan),
            );
            if lateness == 0 {
                late.push(e)
            } else {
                in_order.push(e)
            }
        }
        first.extend(in_order);
        first.extend(late);
        first
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    /// Misbehaving member: an event that sorts earlier (a late arrival, or a member
    /// whose clock lags) arrives after events that sort after it, copies arrive twice,
    /// members are removed, receipts attached and removed, a placeholder claimed, edits
    /// that cannot apply. Taken in chunks as a device merges them, a fold extended with
    /// each chunk (computed anew from the ledger when it refuses one) shows exactly the
    /// state of the whole ledger after every step.
    #[test]
    fn a_state_kept_event_by_event_is_the_state_of_the_whole_ledger(
        events in arrivals(),
        cuts in proptest::collection::vec(1usize..6, 1..40),
        again in proptest::collection::vec(any::<prop::sample::Index>(), 0..4),
    ) {
        let mut arriving = events.clone();
        for i in again {
            arriving.insert(i.index(arriving.len()), i.get(&events).clone());
        }
        let mut ledger = Ledger::default();
        let mut fold = Fold::new(&ledger);
        let (mut at, mut refused) = (0, 0);
        for cut in cuts.iter().cycle() {
            if at >= arriving.len() {
                break;
            }
            let chunk = &arriving[at..(at + cut).min(arriving.len())];
            at += chunk.len();
            // What a merge hands on: the events not held before (as `Authors::admit`).
            let new: Vec<EventId> = chunk.iter().filter(|e| ledger.get(&e.id).is_none()).map(|e| e.id).collect();
            ledger.merge(chunk.to_vec());
            if !fold.extend(new.iter().filter_map(|id| ledger.get(id))) {
                refused += 1;
                fold = Fold::new(&ledger);
            }
            prop_assert_eq!(fold.state(), &ledger.state());
        }
        // The next clock goes past every event held, as events are taken out too.
        let walked = |l: &Ledger| l.stored().map(|e| e.lamport()).max().map_or(1, |c| c + 1);
        prop_assert_eq!(ledger.next_lamport(), walked(&ledger));
        for e in &arriving {
            ledger.take(&e.id);
            prop_assert_eq!(ledger.next_lamport(), walked(&ledger));
        }
        // Events arriving in ledger order, once each, are all applied to the fold.
        let key = |e: &Event| (e.lamport, e.author, e.id);
        if arriving.windows(2).all(|w| key(&w[0]) < key(&w[1])) {
            prop_assert_eq!(refused, 0);
        }
    }
}
