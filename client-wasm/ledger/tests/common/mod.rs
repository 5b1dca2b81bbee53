//! What the ledger's integration tests build the same way.
#![allow(dead_code)]

use gfms_ledger::{
    Event, EventBody, Expense, GroupSettings, MemberId, SCHEMA_VERSION, Split, new_event_id,
};

/// Member `b` (its id: 16 times the byte `b`).
pub fn m(b: u8) -> MemberId {
    MemberId([b; 16])
}

/// A euro group called "Flat", with one category (food) and one account (cash).
pub fn settings() -> GroupSettings {
    GroupSettings {
        name: "Flat".into(),
        currency: "EUR".into(),
        categories: vec!["food".into()],
        accounts: vec!["cash".into()],
    }
}

/// The founding events: the group is created (by the first member), then each member
/// joins.
pub fn founding(members: &[(MemberId, &str)]) -> Vec<Event> {
    let first = members.first().map_or(m(1), |(id, _)| *id);
    let mut events = vec![event(
        0,
        1,
        first,
        EventBody::GroupCreated {
            settings: settings(),
        },
    )];
    for (i, (id, name)) in members.iter().enumerate() {
        events.push(event(
            1 + i as u64,
            2,
            *id,
            EventBody::MemberJoined {
                member: *id,
                name: (*name).into(),
                card: None,
                epoch: 0,
            },
        ));
    }
    events
}

/// Event number `seq` by `author` at Lamport clock `lamport`: its id is fixed by `seq`
/// and the author, so a test's events sort the same on every run.
pub fn event(seq: u64, lamport: u64, author: MemberId, body: EventBody) -> Event {
    let mut random = [0u8; 10];
    random[..8].copy_from_slice(&seq.to_le_bytes());
    random[9] = author.0[0];
    Event {
        v: SCHEMA_VERSION,
        id: new_event_id(1_700_000_000_000 + seq, random),
        lamport,
        author,
        at_ms: 0,
        body,
    }
}

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

/// Event number `seq`: `author` adds a placeholder named `name` (its id derived from the
/// event's, as `change` writes it), and that id.
pub fn placeholder(seq: u64, lamport: u64, author: MemberId, name: &str) -> (Event, MemberId) {
    let added = event(seq, lamport, author, EventBody::Unknown);
    let member = gfms_ledger::placeholder_id(added.id);
    let body = EventBody::PlaceholderAdded {
        member,
        name: name.into(),
    };
    (Event { body, ..added }, member)
}
