//! Issue 13 at the engine: a member acks only what it stored, newer versions' events
//! travel byte for byte, leaving waits for delivery, backups stay in their group, and a
//! relay that forgot the group is registered again. Each test names its adversary
//! (shared/ADVERSARIES.md) and runs against the simulated relays.
#![cfg(not(target_arch = "wasm32"))]

mod sim;

use gfms_ledger::EventId;
use gfms_sync::{Group, Invite};
use sim::{Act, SimRelay, acked_anywhere, put_raw_batch, run_round, settings, url};

/// What a test saves of a group (the whole state, as the app keeps it).
fn saved(g: &Group) -> String {
    g.save().expect("a state")
}

/// The exact text of event `id` as `g`'s saved state holds it.
fn stored_text(g: &Group, id: &str) -> Option<String> {
    let id: EventId = id.parse().ok()?;
    let back = Group::load(&saved(g)).ok()?;
    back.ledger().get_stored(&id).map(|e| e.text().to_string())
}

fn backup_of(g: &Group) -> String {
    g.export_json().expect("a backup")
}

fn relays() -> Vec<SimRelay> {
    (0..3).map(|_| SimRelay::up()).collect()
}

fn flat(name: &str) -> (Group, Invite) {
    let settings = settings(name);
    let urls: Vec<String> = (0..3).map(url).collect();
    let mut alice = Group::create(settings, "Alice", &urls, 2, 1).unwrap();
    let invite = alice.invite();
    (alice, invite)
}

fn sync(g: &mut Group, relays: &mut [SimRelay], now: u64) {
    let ended = run_round(g, relays, now, &mut |_| {}, &mut |_| Act::Send);
    assert!(matches!(ended, sim::Ended::Done(_)));
}

/// Alice and Bob, both synced.
fn alice_and_bob(relays: &mut [SimRelay]) -> (Group, Group, Invite) {
    let (mut alice, invite) = flat("Flat");
    let mut bob = Group::join(&invite, "Bob", 2).unwrap();
    for t in 0..3 {
        sync(&mut alice, relays, 10 + t);
        sync(&mut bob, relays, 20 + t);
    }
    assert!(bob.state().settings.is_some());
    (alice, bob, invite)
}

/// An expense a newer version wrote: a split kind and a field this version does not know.
const NEWER_ID: &str = "0190f0c0-0000-7000-8000-0000000000aa";
const NEWER_EXPENSE: &str = r#"{"v":1,"id":"0190f0c0-0000-7000-8000-0000000000aa","lamport":40,"author":"0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a","at_ms":5,"body":{"type":"expense_added","expense":"0190f0c0-0000-7000-8000-0000000000aa","value":{"amount":900,"currency":"EUR","category":"c","shop":"s","account":"a","payers":[["0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a",900]],"split":{"kind":"by_nights","nights":[["0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a",2]]},"date":"2026-11-25","note":"","receipt":"blob-1"}}}"#;
/// A kind this version does not know, with fields it does not know either.
const RECEIPT_ID: &str = "0190f0c0-0000-7000-8000-0000000000bb";
const RECEIPT: &str = r#"{"v":2,"id":"0190f0c0-0000-7000-8000-0000000000bb","lamport":41,"author":"0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a","at_ms":6,"body":{"type":"receipt_attached","expense":"0190f0c0-0000-7000-8000-0000000000aa","blob":"AAEC","pages":3},"extra":{"nested":[1,2.50,"x"]}}"#;
const NEWER_DEVICE: [u8; 16] = [0x0a; 16];

/// Newer version (and a lossy path to it): a batch whose events this version cannot
/// interpret is acked only once its events are stored, byte for byte — never acked and
/// dropped, which would make its sender delete the only copies.
#[test]
fn newer_version_batch_is_stored_byte_for_byte_before_it_is_acked() {
    let mut relays = relays();
    let (_alice, mut bob, invite) = alice_and_bob(&mut relays);
    let plaintext = format!(r#"{{"events":[{NEWER_EXPENSE},{RECEIPT}]}}"#);
    put_raw_batch(
        &mut relays,
        &invite,
        NEWER_DEVICE,
        plaintext.as_bytes(),
        [7; 16],
    );
    sync(&mut bob, &mut relays, 100);
    assert!(
        acked_anywhere(&relays, &invite, bob.me().0),
        "bob acked the batch"
    );
    assert_eq!(stored_text(&bob, NEWER_ID).as_deref(), Some(NEWER_EXPENSE));
    assert_eq!(stored_text(&bob, RECEIPT_ID).as_deref(), Some(RECEIPT));
    assert_eq!(bob.newer_events().len(), 2, "shown as from a newer version");
}

/// Newer version: a batch whose plaintext is not even a payload this version reads is
/// kept verbatim, then acked; a load reads it again (what an upgrade does), and its
/// events, once readable, are merged.
#[test]
fn newer_version_payload_of_another_shape_is_kept_verbatim_then_acked() {
    let mut relays = relays();
    let (_alice, mut bob, invite) = alice_and_bob(&mut relays);
    put_raw_batch(
        &mut relays,
        &invite,
        NEWER_DEVICE,
        br#"{"format":"gfms-batch","v":2,"items":[{"kind":"attachment","bytes":"AAEC"}]}"#,
        [8; 16],
    );
    let extra = format!(r#"{{"events":[{RECEIPT}],"attachments":[{{"id":1}}]}}"#);
    put_raw_batch(
        &mut relays,
        &invite,
        NEWER_DEVICE,
        extra.as_bytes(),
        [9; 16],
    );
    sync(&mut bob, &mut relays, 100);
    assert!(acked_anywhere(&relays, &invite, bob.me().0));
    assert_eq!(bob.unread_batches(), 2, "both kept verbatim");
    assert_eq!(stored_text(&bob, RECEIPT_ID).as_deref(), Some(RECEIPT));
    let again = Group::load(&saved(&bob)).unwrap();
    assert_eq!(
        again.unread_batches(),
        2,
        "still kept: this version still cannot read them"
    );
}

/// Newer version, then an older one in between: a newer event reaches a member who
/// joins later through an established member's snapshot, byte for byte — not reduced to
/// `{"type":"unknown"}` under the same id.
#[test]
fn newer_version_events_reach_a_newcomer_unchanged_in_snapshots() {
    let mut relays = relays();
    let (mut alice, mut bob, invite) = alice_and_bob(&mut relays);
    let plaintext = format!(r#"{{"events":[{RECEIPT}]}}"#);
    put_raw_batch(
        &mut relays,
        &invite,
        NEWER_DEVICE,
        plaintext.as_bytes(),
        [7; 16],
    );
    sync(&mut alice, &mut relays, 100);
    for r in &mut relays {
        r.expire(); // the newer device's batch is gone from the relays
    }
    let mut carol = Group::join(&invite, "Carol", 200).unwrap();
    for t in 0..4 {
        sync(&mut carol, &mut relays, 300 + t);
        sync(&mut alice, &mut relays, 310 + t);
        sync(&mut bob, &mut relays, 320 + t);
    }
    assert!(carol.state().settings.is_some(), "carol has the history");
    assert_eq!(stored_text(&carol, RECEIPT_ID).as_deref(), Some(RECEIPT));
    assert_eq!(stored_text(&bob, RECEIPT_ID).as_deref(), Some(RECEIPT));
}

/// Down relays (offline): leaving is a queued state. Bob leaves with every relay down;
/// the group stays on his device, leaving and not ready to delete, until his
/// `member_left` reaches Alice; then Alice stops waiting for him and he may delete it.
#[test]
fn down_relays_leaving_offline_keeps_the_group_until_member_left_is_delivered() {
    let mut relays = relays();
    let (mut alice, mut bob, _invite) = alice_and_bob(&mut relays);
    for r in &mut relays {
        r.up = false;
    }
    bob.leave(500).unwrap();
    sync(&mut bob, &mut relays, 501);
    assert!(bob.leaving());
    assert!(!bob.ready_to_delete(), "nothing delivered yet");
    let bob = &mut Group::load(&saved(&bob)).unwrap(); // the app restarts
    assert!(bob.leaving() && !bob.ready_to_delete());
    for r in &mut relays {
        r.up = true;
    }
    for t in 0..3 {
        sync(bob, &mut relays, 600 + t);
        sync(&mut alice, &mut relays, 610 + t);
    }
    assert!(bob.ready_to_delete(), "delivered: the group may go");
    let me = bob.me();
    assert_ne!(
        alice.state().members[&me].status,
        gfms_ledger::MemberStatus::Active
    );
    assert_eq!(alice.outbox_len(), 0, "alice no longer waits for bob");
}

/// Misbehaving member (or a mistaken one): importing another group's backup is refused
/// with a clear message; nothing goes to the members.
#[test]
fn misbehaving_member_import_of_another_groups_backup_is_refused() {
    let mut relays = relays();
    let (mut alice, _bob, _invite) = alice_and_bob(&mut relays);
    let (trip, _) = flat("Trip");
    let before = alice.ledger().len();
    let err = alice.import_json(&backup_of(&trip)).unwrap_err();
    assert_eq!(err.code(), "wrong_group", "{err}");
    assert_eq!(alice.ledger().len(), before);
    assert_eq!(alice.unsent_count(), 0, "nothing to send");
}

/// Forgetful relay: relay 0 loses its whole state (404 for the group) after Alice's
/// batch is there, and relay 1 goes down for good. Bob can only rebuild the record from
/// relays 0 and 2, so Alice must register at relay 0 again and put her share again.
#[test]
fn forgetful_relay_that_lost_the_group_is_registered_again_and_refilled() {
    let mut relays = relays();
    let (mut alice, mut bob, _invite) = alice_and_bob(&mut relays);
    let me = alice.me();
    let members = vec![me, bob.me()];
    let expense = gfms_ledger::Expense {
        title: String::new(),
        amount: 1250,
        currency: "EUR".into(),
        rate: None,
        category: "food".into(),
        shop: "Bakery".into(),
        account: "cash".into(),
        payers: vec![(me, 1250)],
        split: gfms_ledger::Split::Equal { members },
        date: "2026-11-25".into(),
        note: String::new(),
        ..Default::default()
    };
    alice.add_expense(expense, 700).unwrap();
    sync(&mut alice, &mut relays, 701);
    relays[0].wipe();
    relays[1].up = false;
    for t in 0..3 {
        sync(&mut alice, &mut relays, 800 + t);
        sync(&mut bob, &mut relays, 810 + t);
    }
    assert_eq!(bob.state().expenses.len(), 1, "bob has the record");
    sync(&mut alice, &mut relays, 900);
    assert_eq!(alice.outbox_len(), 0, "the batch completed");
    assert!(!relays[0].groups.is_empty(), "registered again at relay 0");
}

/// Lossy relay: every share fetch is applied (counted: the relay stops listing the share
/// to Bob) but its response is lost. Found by the simulated schedules: the noted fetches
/// were dropped at the end of the round, so Bob never saw those shares again, never
/// acked, and Alice re-sent forever. Unanswered fetches now stay noted until answered.
#[test]
fn lossy_relay_lost_fetch_responses_are_fetched_again_next_round() {
    let mut relays = relays();
    let (mut alice, mut bob, _invite) = alice_and_bob(&mut relays);
    let me = alice.me();
    alice.rename_member(me, "Alicia", 700).expect("renamed");
    sync(&mut alice, &mut relays, 701);
    let lossy = run_round(&mut bob, &mut relays, 702, &mut |_| {}, &mut |r| {
        let fetch = r.method == gfms_sync::Method::Get && r.url.contains("/shares/");
        if fetch { Act::Lose } else { Act::Send }
    });
    assert!(matches!(lossy, sim::Ended::Done(_)));
    for t in 0..2 {
        sync(&mut bob, &mut relays, 800 + t);
        sync(&mut alice, &mut relays, 810 + t);
    }
    assert_eq!(bob.state().members[&me].name, "Alicia");
    assert_eq!(alice.outbox_len(), 0, "bob acked: the batch completed");
}

/// A member joining unseen, and a lossy relay: Bob removes Alice (a lost phone) and
/// leaves, while Carol's join has not reached him. His round loses every put, status and
/// delete response, so it sees no relay; in his view no one is left to deliver to. Found
/// by the simulated schedules: his batch completed with no recipient, his device was
/// ready to delete, and Carol never got his last events. A leaving device now hands its
/// batches to someone (and answers a newcomer it learns of with a snapshot) before it
/// is ready to delete.
#[test]
fn lossy_relay_and_an_unseen_newcomer_a_leaving_device_hands_over_before_deleting() {
    let mut relays = relays();
    let (mut alice, invite) = flat("Flat");
    let mut bob = Group::join(&invite, "Bob", 2).unwrap();
    let mut carol = Group::join(&invite, "Carol", 2).unwrap();
    sync(&mut bob, &mut relays, 10);
    sync(&mut alice, &mut relays, 11);
    sync(&mut bob, &mut relays, 12);
    sync(&mut carol, &mut relays, 13);
    let a = alice.me();
    bob.remove_member(a, 20).unwrap();
    bob.leave(21).unwrap();
    let me = bob.me();
    let last: Vec<EventId> = bob
        .ledger()
        .events()
        .filter(|e| e.author == me && e.lamport > 1)
        .map(|e| e.id)
        .collect();
    // In his view no member stays, so he starts no key epoch (one only he held would
    // hide his last events from Carol, whom he has not heard of).
    assert_eq!(last.len(), 2, "the removal, the departure");
    let lossy = run_round(&mut bob, &mut relays, 22, &mut |_| {}, &mut |r| {
        use gfms_sync::Method::{Delete, Put};
        if matches!(r.method, Put | Delete) || r.url.contains("/status") {
            Act::Lose
        } else {
            Act::Send
        }
    });
    assert!(matches!(lossy, sim::Ended::Done(_)));
    let mut deleted = false;
    for t in 0..8 {
        sync(&mut alice, &mut relays, 100 + t * 10);
        if !deleted {
            sync(&mut bob, &mut relays, 101 + t * 10);
            if bob.ready_to_delete() {
                deleted = true; // the app deletes the group now
                for id in &last {
                    assert!(carol.ledger().get(id).is_some(), "carol lacks {id}");
                }
            }
        }
        sync(&mut carol, &mut relays, 102 + t * 10);
    }
    assert!(deleted, "bob delivered everything in the end");
    for id in &last {
        assert!(carol.ledger().get(id).is_some(), "carol lacks {id}");
    }
}

/// Lossy relay, then a departure: Alice created the group and shared the invite, but her
/// listings were lost, so she never heard of Bob and Carol, who joined. She leaves, and
/// the relays' TTL passes before she syncs again. Found
/// by the release soak: in her view no one else existed, her `member_left` completed
/// with no recipient, her device deleted the group, and Bob and Carol waited for her
/// ack forever. Now she is never ready by herself; Bob's or Carol's ack hands it over.
#[test]
fn lossy_relay_a_creator_who_never_heard_of_anyone_hands_over_before_deleting() {
    let mut relays = relays();
    let (mut alice, invite) = flat("Flat");
    let mut bob = Group::join(&invite, "Bob", 2).unwrap();
    let mut carol = Group::join(&invite, "Carol", 2).unwrap();
    let lossy = run_round(&mut alice, &mut relays, 10, &mut |_| {}, &mut |r| {
        let listing = r.method == gfms_sync::Method::Get && !r.url.contains("/shares/");
        let ack = r.url.contains("/acks");
        if listing || ack { Act::Lose } else { Act::Send }
    });
    assert!(matches!(lossy, sim::Ended::Done(_)));
    sync(&mut bob, &mut relays, 11);
    sync(&mut carol, &mut relays, 12);
    alice.leave(13).unwrap();
    for r in &mut relays {
        r.expire(); // an hour passes: every share is gone
    }
    let mut deleted = false;
    for t in 0..16 {
        if !deleted {
            sync(&mut alice, &mut relays, 100 + t * 10);
            deleted = alice.ready_to_delete(); // the app deletes the group then
        }
        sync(&mut bob, &mut relays, 101 + t * 10);
        sync(&mut carol, &mut relays, 102 + t * 10);
    }
    assert!(deleted, "alice handed over and may delete the group");
    for g in [&mut bob, &mut carol] {
        let a = alice.me();
        assert_eq!(
            g.state().members[&a].status,
            gfms_ledger::MemberStatus::Left
        );
        assert_eq!(g.outbox_len(), 0, "no one waits for alice");
    }
}

/// Forgetful relay, bounded: a relay keeps a share id alive by re-puts only so long (its
/// ceiling, 14 days by default) and then answers 410 `gone`. Bob is away longer than that:
/// the batch he lacks must still reach him, under new ids — before, the sender marked the
/// relay down on every round and Bob never got the record.
#[test]
fn forgetful_relay_past_its_reput_ceiling_the_record_still_reaches_the_member_away() {
    let mut relays = relays();
    let (mut alice, mut bob, _invite) = alice_and_bob(&mut relays);
    for r in relays.iter_mut() {
        r.ttl_ms = 1_000;
        r.share_lifetime_ms = 5_000;
    }
    let me = alice.me();
    let expense = gfms_ledger::Expense {
        title: "Rent".into(),
        amount: 90_000,
        currency: "EUR".into(),
        rate: None,
        category: "home".into(),
        shop: String::new(),
        account: "bank".into(),
        payers: vec![(me, 90_000)],
        split: gfms_ledger::Split::Equal {
            members: vec![me, bob.me()],
        },
        date: "2026-11-25".into(),
        note: String::new(),
        ..Default::default()
    };
    alice.add_expense(expense, 1_000).unwrap();
    // Bob is away; Alice's app re-puts after each expiry, until past the ceiling.
    for t in (1_000..12_000).step_by(1_500) {
        for r in relays.iter_mut() {
            r.now_ms = t;
        }
        sync(&mut alice, &mut relays, t);
    }
    let alice_report = {
        for r in relays.iter_mut() {
            r.now_ms = 12_500;
        }
        let ended = run_round(&mut alice, &mut relays, 12_500, &mut |_| {}, &mut |_| {
            Act::Send
        });
        match ended {
            sim::Ended::Done(report) => report,
            _ => panic!("round did not end"),
        }
    };
    assert!(
        alice_report
            .relays
            .iter()
            .all(|r| r.health == gfms_sync::RelayHealth::Up),
        "a spent share id is not a relay fault: {:?}",
        alice_report.relays
    );
    // Bob comes back.
    for t in 0..3u64 {
        for r in relays.iter_mut() {
            r.now_ms = 13_000 + t * 100;
        }
        sync(&mut bob, &mut relays, 13_000 + t * 100);
        sync(&mut alice, &mut relays, 13_050 + t * 100);
    }
    assert_eq!(bob.state().expenses.len(), 1, "Bob has the rent");
    assert_eq!(alice.outbox_len(), 0, "and Alice's outbox drained");
}
