//! Issue 14 at the ledger: what it keeps of member keys and what it refuses to apply.
//! The ledger checks no signature (the sync engine verifies every event before it gets
//! here); it keeps signatures with the events, in saves and backups, and applies the
//! membership rules that make a removal stick. Each test names its adversary.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use gfms_ledger::{
    Card, EventBody, EventId, GroupSettings, Ledger, MemberId, MemberStatus, StoredEvent, Warning,
    change, export_json, import_json, new_event_id,
};

const ALICE: MemberId = MemberId([1; 16]);
const BOB: MemberId = MemberId([2; 16]);
const CAROL: MemberId = MemberId([3; 16]);

fn record(ledger: &mut Ledger, author: MemberId, n: u64, body: EventBody) -> EventId {
    ledger.record(
        author,
        new_event_id(1_700_000_000_000 + n, [n as u8; 10]),
        n,
        body,
    )
}

fn card(b: char) -> Card {
    Card {
        ed25519: b.to_string().repeat(43),
        x25519: b.to_string().repeat(43),
    }
}

fn group() -> Ledger {
    let mut l = Ledger::default();
    let settings = GroupSettings {
        name: "Lisbon trip".into(),
        currency: "EUR".into(),
        categories: vec![],
        accounts: vec![],
    };
    record(&mut l, ALICE, 1, change::create_group(settings).unwrap());
    for (i, (m, name)) in [(ALICE, "Alice"), (BOB, "Bob"), (CAROL, "Carol")]
        .into_iter()
        .enumerate()
    {
        let joined = change::join(m, name, Some(card((b'a' + i as u8) as char)), 0).unwrap();
        record(&mut l, m, 2 + i as u64, joined);
    }
    l
}

/// The card travels in the join, and an older version reading the join ignores it.
#[test]
fn older_version_reads_a_join_with_a_card_as_a_join() {
    let l = group();
    let joined = l
        .stored()
        .find(|e| e.text().contains("\"name\":\"Bob\""))
        .unwrap();
    assert!(joined.text().contains(r#""card":{"ed25519":"bbb"#));
    assert!(!joined.text().contains("epoch"), "epoch 0 is left out");
    // What a release before member keys parses: the same kind, without the new fields.
    let old: serde_json::Value = serde_json::from_str(joined.text()).unwrap();
    assert_eq!(old["body"]["type"], "member_joined");
    assert_eq!(l.state().members[&BOB].status, MemberStatus::Active);
}

/// A backup carries each event's signature, and importing it keeps them; a backup from
/// before member keys (no `sigs`) still imports, unsigned.
#[test]
fn signed_events_survive_a_backup_and_re_import() {
    let mut l = group();
    let text = l
        .draft(
            BOB,
            new_event_id(1_700_000_000_010, [10; 10]),
            10,
            change::add_expense(&l.state(), common::bakery(500, BOB, vec![ALICE, BOB])).unwrap(),
        )
        .with_signature(Some("c2lnbmVk".into()));
    let id = text.id();
    l.merge_stored([text]);
    let backup = export_json(&l).unwrap();
    assert!(backup.contains("\"sigs\""));
    let mut other = Ledger::default();
    import_json(&mut other, &backup).unwrap();
    assert_eq!(other.get_stored(&id).unwrap().signature(), Some("c2lnbmVk"));
    assert_eq!(export_json(&other).unwrap(), backup);
    let unsigned = export_json(&group()).unwrap();
    assert!(
        !unsigned.contains("\"sigs\""),
        "nothing signed: no sigs field"
    );
}

/// Misbehaving member, removed: what it writes after its removal is kept (every device
/// holds every event) but not applied, whatever order the events arrive in; it cannot
/// join again under its id, and no member joins another.
#[test]
fn misbehaving_member_removed_writes_nothing_that_counts_and_cannot_rejoin() {
    let mut l = group();
    let removal = change::remove_member(&l.state(), BOB, ALICE).unwrap();
    record(&mut l, ALICE, 10, removal);
    let spent = EventBody::ExpenseAdded {
        expense: EventId::nil(),
        value: common::bakery(99_999, BOB, vec![ALICE, BOB]),
    };
    let late = record(&mut l, BOB, 11, spent);
    let rejoined = record(&mut l, BOB, 12, change::join(BOB, "Bob", None, 0).unwrap());
    let ghost = MemberId([9; 16]);
    record(
        &mut l,
        CAROL,
        13,
        change::join(ghost, "Ghost", None, 0).unwrap(),
    );
    let s = l.state();
    assert!(s.expenses.is_empty(), "Bob's expense after his removal");
    assert_eq!(s.members[&BOB].status, MemberStatus::Removed);
    assert!(!s.members.contains_key(&ghost), "Carol cannot add a member");
    let ignored: Vec<EventId> = s
        .warnings
        .iter()
        .filter_map(|w| match w {
            Warning::Ignored { event, .. } => Some(*event),
            _ => None,
        })
        .collect();
    assert_eq!(ignored, vec![late, rejoined]);
    // The same events in any order give the same state.
    let mut events: Vec<StoredEvent> = l.stored().cloned().collect();
    events.reverse();
    assert_eq!(Ledger::from_stored(events).state(), s);
}

/// Events of the key kinds are kept and change nothing an older state shows.
#[test]
fn key_and_epoch_events_change_no_balance() {
    let mut l = group();
    let before = l.state();
    record(
        &mut l,
        ALICE,
        20,
        EventBody::MemberKeysPublished {
            card: card('z'),
            legacy: vec![EventId::nil()],
        },
    );
    record(
        &mut l,
        ALICE,
        21,
        EventBody::EpochStarted {
            epoch: 1,
            secrets: vec![],
        },
    );
    assert_eq!(l.state(), before);
    assert_eq!(l.len(), 6);
}
