//! What the ledger's integration tests build the same way.
#![allow(dead_code)]

use gfms_ledger::{Expense, MemberId, Split};

/// `cents` at the bakery, paid by `payer`, split equally between `members`.
pub fn bakery(cents: i64, payer: MemberId, members: Vec<MemberId>) -> Expense {
    Expense {
        amount: cents,
        currency: "EUR".into(),
        category: "food".into(),
        shop: "Bakery".into(),
        account: "cash".into(),
        payers: vec![(payer, cents)],
        split: Split::Equal { members },
        date: "2026-11-25".into(),
        ..Expense::default()
    }
}

/// `items` in an order drawn from `seed` (a fixed linear congruential generator, so a
/// proptest case replays the same order).
pub fn shuffled<T: Clone>(items: &[T], seed: u64) -> Vec<T> {
    let mut out = items.to_vec();
    let mut x = seed;
    for i in (1..out.len()).rev() {
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
        out.swap(i, (x >> 33) as usize % (i + 1));
    }
    out
}
