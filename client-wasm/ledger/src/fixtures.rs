//! What the unit tests of several modules build the same way.

use crate::{Expense, MemberId, Split};

/// Member `b`: sixteen bytes of `b`.
pub(crate) fn m(b: u8) -> MemberId {
    MemberId([b; 16])
}

/// €10.00 paid 6/4 by members 1 and 2, split exactly 7/2/1 among members 1, 2 and 3.
pub(crate) fn exact() -> Expense {
    Expense {
        amount: 1000,
        currency: "EUR".into(),
        payers: vec![(m(1), 600), (m(2), 400)],
        split: Split::Exact {
            amounts: vec![(m(1), 700), (m(2), 200), (m(3), 100)],
        },
        date: "2026-12-01".into(),
        ..Expense::default()
    }
}
