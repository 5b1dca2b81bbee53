//! Arrival order of batches × rounds → the same ledger. Alice's events (her card among
//! them) and a misbehaving member's flood (events under made-up authors, forgeries in
//! her name) come in batches that open in any order over several rounds, with a bound on
//! what is kept aside far smaller than what waits for her card. A batch with an event
//! left out is not stored, so it comes again the next round, as a round gathers a batch
//! begun and not stored. Whatever the order, the receiver ends holding every one of
//! Alice's events and nothing else, and never keeps more aside than the bound.

use std::collections::BTreeSet;

use gfms_ledger::{EventId, Ledger, StoredEvent, new_event_id};
use proptest::prelude::*;

use super::Authors;

/// The bound on what is kept aside, in bytes: about 16 of the events below.
const BOUND: usize = 8 * 1024;
/// Batches 0..REAL carry Alice's events; REAL..BATCHES the flood.
const REAL: usize = 4;
const BATCHES: usize = 7;

/// Alice's events (signed, her card first) and the flood: 30 expenses of hers under
/// authors made up, 10 in her name, each with a signature no card verifies.
fn events() -> (
    gfms_identity::GroupContext,
    Vec<StoredEvent>,
    Vec<StoredEvent>,
) {
    let (real, context) = super::tests::signed_history(40);
    let expenses: Vec<&StoredEvent> = real
        .iter()
        .filter(|e| e.text().contains("\"expense_added\""))
        .collect();
    let flood = (0..40u64)
        .map(|n| {
            let mut v: serde_json::Value =
                serde_json::from_str(expenses[n as usize].text()).unwrap();
            v["id"] = new_event_id(1_000 + n, [0x4d; 10]).to_string().into();
            if n < 30 {
                v["author"] = hex::encode([n as u8; 16]).into();
            }
            StoredEvent::from_text(v.to_string(), Some("A".repeat(86))).unwrap()
        })
        .collect();
    (context, real, flood)
}

fn aside_bytes(authors: &Authors) -> usize {
    authors
        .save()
        .iter()
        .map(|a| a.text.len() + a.sig.as_ref().map_or(0, String::len))
        .sum()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Misbehaving member and withholding relays: any split of Alice's events and the
    /// flood into batches, any round in which each batch first opens, any order within
    /// a round: the receiver ends with Alice's events exactly, every batch of hers stored
    /// (acked), and what it keeps aside within the bound after every round.
    #[test]
    fn misbehaving_member_any_arrival_order_over_rounds_ends_with_the_same_ledger(
        real_batch in proptest::collection::vec(0..REAL, 41..=41),
        flood_batch in proptest::collection::vec(REAL..BATCHES, 40..=40),
        opens in proptest::collection::vec(0..4u64, BATCHES..=BATCHES),
        order in proptest::collection::vec(any::<u32>(), BATCHES..=BATCHES),
    ) {
        let (context, real, flood) = events();
        prop_assert!(real.len() >= 41);
        let mut batches: Vec<Vec<StoredEvent>> = vec![Vec::new(); BATCHES];
        for (i, e) in real.iter().enumerate() {
            batches[real_batch[i % real_batch.len()]].push(e.clone());
        }
        for (e, b) in flood.iter().zip(&flood_batch) {
            batches[*b].push(e.clone());
        }
        let mut authors = Authors { max_aside_bytes: BOUND, ..Authors::default() };
        let mut ledger = Ledger::default();
        let mut stored: BTreeSet<usize> = BTreeSet::new();
        for round in 0..8u64 {
            let mut opening: Vec<usize> = (0..BATCHES)
                .filter(|b| opens[*b] <= round && !stored.contains(b))
                .collect();
            opening.sort_by_key(|b| order[*b].rotate_left(round as u32));
            let pool: Vec<StoredEvent> =
                opening.iter().flat_map(|b| batches[*b].iter().cloned()).collect();
            let admitted = authors.admit(&mut ledger, pool, &context);
            for b in opening {
                if batches[b].iter().all(|e| !admitted.left_out.contains(&e.id())) {
                    stored.insert(b);
                }
            }
            prop_assert!(aside_bytes(&authors) <= BOUND, "round {}: {}", round, aside_bytes(&authors));
        }
        let held: BTreeSet<EventId> = ledger.stored().map(StoredEvent::id).collect();
        let alice: BTreeSet<EventId> = real.iter().map(StoredEvent::id).collect();
        prop_assert_eq!(held, alice);
        prop_assert!((0..REAL).all(|b| stored.contains(&b)), "Alice's batches stored: {:?}", stored);
    }
}
