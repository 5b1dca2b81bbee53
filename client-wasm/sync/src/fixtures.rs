//! What the unit tests build the same way: Alice's group of one and her coffees.

use gfms_ledger::{Expense, GroupSettings, MemberId, Split};

use crate::Group;

/// Alice's new group "Lisbon" over three relays (k = 2), created at 1 ms.
pub(crate) fn lisbon() -> Group {
    let settings = GroupSettings {
        name: "Lisbon".into(),
        currency: "EUR".into(),
        categories: vec![],
        accounts: vec![],
    };
    let urls: Vec<String> = (0..3).map(|i| format!("https://r{i}.example")).collect();
    Group::create(settings, "Alice", &urls, 2, 1).unwrap()
}

/// Coffee number `i`, paid by `me` for `me`.
pub(crate) fn coffee(me: MemberId, i: usize) -> Expense {
    Expense {
        title: format!("Coffee {i}"),
        amount: 100 + i as i64,
        currency: "EUR".into(),
        payers: vec![(me, 100 + i as i64)],
        split: Split::Equal { members: vec![me] },
        date: "2026-12-01".into(),
        ..Expense::default()
    }
}
