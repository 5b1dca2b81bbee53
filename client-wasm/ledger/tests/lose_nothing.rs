//! Issue 13 at the ledger: nothing a member wrote is lost or degraded, and no number
//! wraps. Each test names the adversary it plays (shared/ADVERSARIES.md).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use gfms_ledger::{
    Error, EventBody, EventId, GroupSettings, Ledger, MAX_AMOUNT, MAX_JSON_INT, MemberId, Reading,
    StoredEvent, Warning, balance_sheet, balances, change, export_json, import_json, new_event_id,
    settle_up, statistics,
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

fn group(name: &str, seed: u64) -> Ledger {
    let mut l = Ledger::default();
    let settings = GroupSettings {
        name: name.into(),
        currency: "EUR".into(),
        categories: vec![],
        accounts: vec![],
    };
    record(&mut l, ALICE, seed, change::create_group(settings).unwrap());
    record(
        &mut l,
        ALICE,
        seed + 1,
        change::join(ALICE, "Alice", None, 0).unwrap(),
    );
    record(
        &mut l,
        BOB,
        seed + 2,
        change::join(BOB, "Bob", None, 0).unwrap(),
    );
    l
}

/// An expense a newer version wrote: a split kind and a field this version does not know.
const NEWER_EXPENSE: &str = r#"{"v":1,"id":"0190f0c0-0000-7000-8000-0000000000aa","lamport":7,"author":"01010101010101010101010101010101","at_ms":5,"body":{"type":"expense_added","expense":"0190f0c0-0000-7000-8000-0000000000aa","value":{"amount":900,"currency":"EUR","category":"c","shop":"s","account":"a","payers":[["01010101010101010101010101010101",900]],"split":{"kind":"by_nights","nights":[["01010101010101010101010101010101",2]]},"date":"2026-11-25","note":"","receipt":"blob-1"}}}"#;

/// Older or newer version: an event with a split kind this version does not know is
/// kept byte for byte, not applied, shown as newer, exported unchanged and read again by
/// a version that knows it (here: its text, re-read, is the same event).
#[test]
fn newer_version_expense_is_kept_verbatim_not_applied_and_exported_unchanged() {
    let mut l = group("Flat", 1);
    let e = StoredEvent::from_text(NEWER_EXPENSE.into(), None).unwrap();
    assert_eq!(e.reading(), Reading::Newer);
    l.merge_stored([e]);
    assert_eq!(l.newer().count(), 1);
    assert!(l.state().expenses.is_empty(), "not applied");
    assert_eq!(l.next_lamport(), 8, "its clock still counts");
    let backup = export_json(&l).unwrap();
    assert!(backup.contains(NEWER_EXPENSE), "exported byte for byte");
    let mut other = group("Flat", 1);
    import_json(&mut other, &backup).unwrap();
    let id: EventId = "0190f0c0-0000-7000-8000-0000000000aa".parse().unwrap();
    assert_eq!(other.get_stored(&id).unwrap().text(), NEWER_EXPENSE);
}

/// Older version: a release before raw storage forwarded what it could not read as
/// `{"type":"unknown"}` under the same id. Whichever copy arrives first, the full one
/// is what every device ends with.
#[test]
fn older_version_degraded_copy_never_replaces_the_full_event() {
    let full = StoredEvent::from_text(NEWER_EXPENSE.into(), None).unwrap();
    let degraded_text = r#"{"v":1,"id":"0190f0c0-0000-7000-8000-0000000000aa","lamport":7,"author":"01010101010101010101010101010101","at_ms":5,"body":{"type":"unknown"}}"#;
    let degraded = StoredEvent::from_text(degraded_text.into(), None).unwrap();
    let a = Ledger::from_stored([full.clone(), degraded.clone()]);
    let b = Ledger::from_stored([degraded, full]);
    for l in [a, b] {
        assert_eq!(l.stored().next().unwrap().text(), NEWER_EXPENSE);
    }
}

/// Misbehaving member (or a mistaken one): importing a backup of another group would
/// send its events, and its strangers' memberships, to everyone. Refused, naming both
/// groups; nothing is imported.
#[test]
fn misbehaving_member_backup_of_another_group_is_refused() {
    let mut flat = group("Flat", 1);
    let mut trip = group("Trip", 50);
    record(
        &mut trip,
        CAROL,
        60,
        change::join(CAROL, "Carol", None, 0).unwrap(),
    );
    let before = flat.len();
    let err = import_json(&mut flat, &export_json(&trip).unwrap()).unwrap_err();
    assert!(matches!(err, Error::WrongGroup { .. }), "{err}");
    assert!(err.to_string().contains("another group"));
    assert_eq!(flat.len(), before, "nothing imported");
}

/// Older version: a backup written before backups named their group is accepted when
/// it holds this group's group-created event, refused otherwise.
#[test]
fn older_version_backup_without_a_group_is_checked_by_its_group_created_event() {
    let strip = |json: String| {
        let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
        v.as_object_mut().unwrap().remove("group");
        v.to_string()
    };
    let mut flat = group("Flat", 1);
    let mut copy = flat.clone();
    let rename = change::rename_member(&copy.state(), BOB, "Bobby").unwrap();
    record(&mut copy, BOB, 9, rename);
    let old_backup = strip(export_json(&copy).unwrap());
    assert_eq!(import_json(&mut flat, &old_backup).unwrap().added, 1);
    let trip = group("Trip", 50);
    let foreign = strip(export_json(&trip).unwrap());
    assert!(matches!(
        import_json(&mut flat, &foreign),
        Err(Error::WrongGroup { .. })
    ));
}

/// Hostile input from a member: an amount past the bound is refused when written, and
/// one that arrives anyway (another device's bug) is not applied and is shown, so no
/// total wraps and no number reaches JavaScript inexactly.
#[test]
fn hostile_member_amounts_past_the_bound_are_refused_and_never_wrap() {
    let mut l = group("Flat", 1);
    let state = l.state();
    assert!(matches!(
        change::add_expense(
            &state,
            common::bakery(MAX_AMOUNT + 1, ALICE, vec![ALICE, BOB])
        ),
        Err(Error::OutOfBounds(_))
    ));
    assert!(gfms_ledger::parse_amount("100000000000.01", "EUR").is_err());
    // Written by a device that did not check: applied by nobody, shown to everyone.
    let huge = i64::MAX / 2;
    for n in 0..3 {
        record(
            &mut l,
            ALICE,
            10 + n,
            EventBody::ExpenseAdded {
                expense: EventId::nil(),
                value: common::bakery(huge, ALICE, vec![ALICE, BOB]),
            },
        );
    }
    let state = l.state();
    assert!(state.expenses.is_empty());
    assert_eq!(
        state
            .warnings
            .iter()
            .filter(|w| matches!(w, Warning::Ignored { .. }))
            .count(),
        3
    );
    let b = balances(&state);
    assert!(b.values().all(|v| v.abs() <= MAX_JSON_INT));
}

/// Many members at the bound: totals past ±(2^53 − 1) are not wrapped; the expenses that
/// would carry them there are listed as uncounted, and balances still sum to zero.
#[test]
fn balances_and_statistics_list_what_would_overflow_instead_of_wrapping() {
    let mut l = group("Flat", 1);
    // Alice pays 2,000 expenses at the bound, shared with Bob: she is owed 10^16 minor
    // units, past 2^53.
    let st = l.state();
    for n in 0..2000 {
        let body =
            change::add_expense(&st, common::bakery(MAX_AMOUNT, ALICE, vec![ALICE, BOB])).unwrap();
        record(&mut l, ALICE, 10 + n, body);
    }
    let state = l.state();
    let sheet = balance_sheet(&state);
    assert!(!sheet.uncounted.is_empty());
    assert_eq!(sheet.balances.values().sum::<i64>(), 0);
    assert!(sheet.balances.values().all(|v| v.abs() <= MAX_JSON_INT));
    let stats = statistics(&state, &Default::default());
    assert!(!stats.uncounted.is_empty());
    assert!(stats.total <= MAX_JSON_INT);
    assert!(
        settle_up(&sheet.balances)
            .iter()
            .all(|t| t.amount <= MAX_JSON_INT)
    );
}

/// Two writers: the currency cannot change under existing expenses (they would drop out
/// of the balances without a word); an expense left without a rate by a concurrent change
/// is listed as uncounted.
#[test]
fn two_writers_currency_change_is_refused_and_uncounted_expenses_are_listed() {
    let mut l = group("Flat", 1);
    let st = l.state();
    let id = record(
        &mut l,
        ALICE,
        10,
        change::add_expense(&st, common::bakery(500, ALICE, vec![ALICE, BOB])).unwrap(),
    );
    let mut usd = st.settings.clone().unwrap();
    usd.currency = "USD".into();
    let err = change::change_settings(&l.state(), usd.clone()).unwrap_err();
    assert!(matches!(err, Error::CurrencyInUse { .. }), "{err}");
    // Bob's device changed the currency before it saw Alice's expense.
    record(
        &mut l,
        BOB,
        11,
        EventBody::SettingsChanged { settings: usd },
    );
    let sheet = balance_sheet(&l.state());
    assert_eq!(sheet.uncounted.len(), 1);
    assert_eq!(sheet.uncounted[0].id, id);
    assert!(sheet.uncounted[0].reason.contains("no rate"));
}

/// Two writers: the invite opened twice makes a second member with the same name; the
/// state says so.
#[test]
fn two_writers_second_member_with_the_same_name_is_flagged() {
    let mut l = group("Flat", 1);
    let bob2 = MemberId([4; 16]);
    record(
        &mut l,
        bob2,
        20,
        change::join(bob2, " bob ", None, 0).unwrap(),
    );
    let warnings = l.state().warnings;
    assert_eq!(
        warnings,
        vec![Warning::SameName {
            name: "Bob".into(),
            members: vec![BOB, bob2]
        }]
    );
}
