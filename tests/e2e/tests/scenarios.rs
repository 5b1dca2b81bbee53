//! The sync engine against three real relays (workerd): the paper's scenario, a relay
//! that is down, a relay that lies, a sender that crashes mid-upload, and three members
//! writing 1,000 events each while editing the same expenses.

use std::time::Duration;

use gfms_e2e::device::{drain_deletes, settle, trio};
use gfms_e2e::{Device, Relays, TamperProxy};
use gfms_ledger::{Expense, MemberId, Split};
use gfms_sync::{Method, RelayHealth};

fn shares_left(relays: &[String], alice: &mut Device) -> usize {
    let keys = alice.keys();
    relays.iter().map(|r| Relays::live_shares(r, &keys)).sum()
}

#[test]
fn paper_scenario_carol_offline_past_the_ttl_still_gets_the_record() {
    let ttl = 5;
    let relays = Relays::start("paper", 8861, ttl, &["a", "b", "c"]);
    let urls = relays.urls();
    let (mut alice, mut bob, mut carol) = trio("paper", &urls);
    settle(&mut [&mut alice, &mut bob, &mut carol], 6);
    let carol_id = alice.member("Carol");

    // Carol is offline. Alice records a purchase; Bob syncs within the TTL.
    alice.add(1250, "Bakery");
    assert_eq!(alice.sync().sent_batches, 1);
    let got = bob.sync();
    assert_eq!(got.received_events, 1, "Bob receives the record");
    let status = alice.sync();
    let pending = &status.pending[0];
    assert_eq!(pending.target, 4, "(m - 1)·k = 2·2");
    assert_eq!(pending.sum_s, 2, "Bob fetched k = 2 shares, Carol none");
    assert_eq!(pending.missing, vec![carol_id], "only Carol lacks it");

    // Past the TTL the relays have forgotten the shares; Alice re-sends the same bytes.
    std::thread::sleep(Duration::from_secs(ttl + 3));
    let resend = alice.sync();
    assert!(
        resend.reput_shares >= 2,
        "Alice re-puts expired copies: {resend:?}"
    );
    assert_eq!(resend.pending.len(), 1);

    // Carol comes back and gets everything.
    let back = carol.sync();
    assert_eq!(
        back.received_events, 1,
        "Carol receives the record after the TTL"
    );
    let done = alice.sync();
    assert_eq!(done.completed_batches, 1, "every member acked: complete");
    assert!(done.pending.is_empty());

    settle(&mut [&mut alice, &mut bob, &mut carol], 4);
    assert_eq!(alice.ledger_json(), bob.ledger_json());
    assert_eq!(alice.ledger_json(), carol.ledger_json());
    assert_eq!(carol.group.state().expenses.len(), 1);
    drain_deletes(&mut [&mut alice, &mut bob, &mut carol], 3);
    assert_eq!(
        shares_left(&urls, &mut alice),
        0,
        "transfer, not save: relays hold nothing"
    );
}

#[test]
fn one_relay_down_for_the_whole_run_everything_syncs_with_two_of_three() {
    let relays = Relays::start("down", 8864, 600, &["a", "b"]);
    let urls = relays.urls(); // c is never started
    let (mut alice, mut bob, mut carol) = trio("down", &urls);
    settle(&mut [&mut alice, &mut bob, &mut carol], 6);
    alice.add(1000, "Market");
    bob.add(2000, "Cinema");
    carol.add(3000, "Pharmacy");
    settle(&mut [&mut alice, &mut bob, &mut carol], 6);
    for d in [&alice, &bob, &carol] {
        assert_eq!(d.group.ledger().len(), alice.group.ledger().len());
    }
    let report = alice.sync();
    let c = report
        .relays
        .iter()
        .find(|r| r.url == urls[2])
        .expect("relay c reported");
    assert_eq!(c.health, RelayHealth::Down);
    assert!(!report.warnings().is_empty(), "the user is told");
    let mut bal = gfms_ledger::balances(carol.group.state());
    bal.retain(|_, v| *v != 0);
    assert_eq!(bal.values().sum::<i64>(), 0);
    assert_eq!(carol.group.state().expenses.len(), 3);
}

#[test]
fn a_tampering_relay_is_detected_named_and_survived() {
    let relays = Relays::start("tamper", 8867, 600, &["a", "b", "c"]);
    let proxy = TamperProxy::start(8870, &relays.url("c"));
    let urls = vec![relays.url("a"), relays.url("b"), proxy.url.clone()];
    let (mut alice, mut bob, mut carol) = trio("tamper", &urls);
    settle(&mut [&mut alice, &mut bob, &mut carol], 6);

    // Each round Bob fetches k = 2 of 3 shares at random; within a bounded number of
    // records he must draw the lying relay, notice, fetch the third and go on.
    let mut named = false;
    for i in 0..20 {
        alice.add(100 + i, "Kiosk");
        alice.sync();
        let r = bob.sync();
        assert_eq!(r.received_events, 1, "record {i} still arrives");
        let p = r
            .relays
            .iter()
            .find(|x| x.url == proxy.url)
            .expect("proxy reported");
        if p.health == RelayHealth::Tampering {
            named = true;
            assert!(
                r.relays
                    .iter()
                    .filter(|x| x.health == RelayHealth::Tampering)
                    .count()
                    == 1
            );
            break;
        }
    }
    assert!(named, "the tampering relay was never named");
    assert!(proxy.tampered.load(std::sync::atomic::Ordering::Relaxed) > 0);
    settle(&mut [&mut alice, &mut bob, &mut carol], 6);
    assert_eq!(alice.ledger_json(), bob.ledger_json());
    assert_eq!(alice.ledger_json(), carol.ledger_json());
}

#[test]
fn a_sender_crashing_between_relay_puts_completes_the_batch_once() {
    let relays = Relays::start("crash", 8871, 600, &["a", "b", "c"]);
    let urls = relays.urls();
    let (mut alice, mut bob, mut carol) = trio("crash", &urls);
    settle(&mut [&mut alice, &mut bob, &mut carol], 6);

    for i in 0..3 {
        alice.add(500 + i, "Hardware");
    }
    // Crash: the round stops right after the first share was put.
    let mut puts = 0;
    let crashed = alice.sync_stopping(&mut |r| {
        if r.method == Method::Put {
            puts += 1;
        }
        puts > 1
    });
    assert!(crashed.is_err(), "the round was cut short");
    alice.restart();
    assert_eq!(
        alice.group.outbox_len(),
        1,
        "the outbox was saved before the upload"
    );
    assert_eq!(alice.group.unsent_count(), 0);

    let resumed = alice.sync();
    assert_eq!(
        resumed.sent_batches, 0,
        "no second batch: the saved one is resumed"
    );
    settle(&mut [&mut alice, &mut bob, &mut carol], 6);
    for d in [&bob, &carol] {
        assert_eq!(d.ledger_json(), alice.ledger_json());
    }
    let mut carol_state = carol.group.state().clone();
    assert_eq!(carol_state.expenses.len(), 3, "three records, none twice");
    carol_state.expenses.clear();
    drain_deletes(&mut [&mut alice, &mut bob, &mut carol], 3);
    assert_eq!(shares_left(&urls, &mut alice), 0);
}

#[test]
fn three_members_a_thousand_events_each_with_concurrent_edits_converge() {
    let relays = Relays::start("many", 8874, 600, &["a", "b", "c"]);
    let urls = relays.urls();
    let (mut alice, mut bob, mut carol) = trio("many", &urls);
    settle(&mut [&mut alice, &mut bob, &mut carol], 6);
    let shared: Vec<_> = (0..5).map(|i| alice.add(1000 + i, "Shared")).collect();
    settle(&mut [&mut alice, &mut bob, &mut carol], 6);

    let members: Vec<MemberId> = ["Alice", "Bob", "Carol"]
        .iter()
        .map(|n| alice.member(n))
        .collect();
    for (n, d) in [&mut alice, &mut bob, &mut carol].into_iter().enumerate() {
        let me = d.group.me();
        let now = gfms_e2e::now_ms();
        for i in 0..1000i64 {
            if i % 100 == 0 {
                // Everyone edits the same expenses, offline from each other.
                let id = shared[(i / 100) as usize % shared.len()];
                let value = Expense {
                    title: String::new(),
                    amount: 7000 + n as i64 * 10 + i,
                    currency: "EUR".into(),
                    rate: None,
                    category: "food".into(),
                    shop: format!("edited by {n}"),
                    account: "cash".into(),
                    payers: vec![(me, 7000 + n as i64 * 10 + i)],
                    split: Split::Equal {
                        members: members.clone(),
                    },
                    date: "2026-11-24".into(),
                    note: String::new(),
                    ..Default::default()
                };
                d.group.edit_expense(id, value, now).expect("edit");
            } else {
                d.add(1 + i, &format!("shop {n}-{i}"));
            }
        }
    }
    settle(&mut [&mut alice, &mut bob, &mut carol], 8);
    let state = alice.group.state().clone();
    assert_eq!(&state, bob.group.state());
    assert_eq!(&state, carol.group.state());
    assert_eq!(state.expenses.len(), 5 + 3 * 990);
    // A delete a busy relay did not answer in time is sent again next round.
    drain_deletes(&mut [&mut alice, &mut bob, &mut carol], 3);
    assert_eq!(shares_left(&urls, &mut alice), 0);
}

#[test]
fn the_group_moves_to_a_new_relay_set_and_nothing_is_lost() {
    let old = Relays::start("move-old", 8880, 600, &["a", "b", "c"]);
    let new = Relays::start("move-new", 8884, 600, &["a"]);
    let urls = old.urls();
    let (mut alice, mut bob, mut carol) = trio("move", &urls);
    settle(&mut [&mut alice, &mut bob, &mut carol], 6);
    alice.add(4200, "Before the move");
    settle(&mut [&mut alice, &mut bob, &mut carol], 6);

    // Relay c is being retired: replace it by a relay on another account.
    let moved = vec![old.url("a"), old.url("b"), new.url("a")];
    alice
        .group
        .change_relays(&moved, 2, gfms_e2e::now_ms())
        .expect("change relays");
    settle(&mut [&mut alice, &mut bob, &mut carol], 6);
    for d in [&bob, &carol] {
        assert_eq!(
            d.group.current_relays().relays,
            moved,
            "{} follows the move",
            d.name
        );
    }

    // After the move, new records travel through the new set.
    bob.add(1300, "After the move");
    assert_eq!(bob.sync().sent_batches, 1);
    let keys = bob.keys();
    assert_eq!(
        Relays::live_shares(&new.url("a"), &keys),
        1,
        "the new relay carries it"
    );
    assert_eq!(
        Relays::live_shares(&old.url("c"), &keys),
        0,
        "the retired one does not"
    );
    settle(&mut [&mut alice, &mut bob, &mut carol], 6);
    assert_eq!(alice.ledger_json(), carol.ledger_json());
    assert_eq!(carol.group.state().expenses.len(), 2);
}

/// Forgetful relay: relay a loses its whole state (its persisted KV and Durable Objects
/// are deleted and it restarts: 404 for the group) after Alice's batch is there, and
/// relay b goes down for good. Bob and Carol can only rebuild the record from a and c,
/// so Alice must register the group at a again and put her share there again.
#[test]
fn forgetful_relay_loses_its_whole_state_mid_run_and_is_refilled() {
    let relays = Relays::start("wipe", 8898, 600, &["a", "b", "c"]);
    let urls = relays.urls();
    let (mut alice, mut bob, mut carol) = trio("wipe", &urls);
    settle(&mut [&mut alice, &mut bob, &mut carol], 6);
    alice.add(4200, "Hardware store");
    assert_eq!(alice.sync().sent_batches, 1);
    relays.wipe("a");
    relays.stop("b");
    settle(&mut [&mut alice, &mut bob, &mut carol], 4);
    for d in [&mut bob, &mut carol] {
        assert_eq!(
            d.group.state().expenses.len(),
            1,
            "{} has the record",
            d.name
        );
    }
    let done = alice.sync();
    assert!(done.pending.is_empty(), "the batch completed: {done:?}");
    assert_eq!(alice.group.outbox_len(), 0);
    let keys = alice.keys();
    assert_eq!(
        Relays::live_shares(&urls[0], &keys) + Relays::live_shares(&urls[2], &keys),
        0,
        "transfer, not save: relays a and c hold nothing"
    );
}

/// Lying relays (`n − 1` of them) in front of real relays: every status answer lists
/// every member as having fetched and acked every share. Carol stays away; Alice's batch
/// must not complete on the relays' word (it would delete the only copies), the report
/// names both relays `lying`, and Carol, back, receives the record.
#[test]
fn lying_relays_fabricating_ackers_cannot_make_a_member_miss_a_record() {
    let relays = Relays::start("lyingacks", 8904, 600, &["a", "b", "c"]);
    let liar_b = TamperProxy::start_lying_acks(8907, &relays.url("b"));
    let liar_c = TamperProxy::start_lying_acks(8908, &relays.url("c"));
    let urls = vec![relays.url("a"), liar_b.url.clone(), liar_c.url.clone()];
    let (mut alice, mut bob, mut carol) = trio("lyingacks", &urls);
    settle(&mut [&mut alice, &mut bob, &mut carol], 6);

    let id = alice.add(4200, "Dinner");
    alice.sync();
    bob.sync();
    let mut last = None;
    for _ in 0..3 {
        last = Some(alice.sync());
    }
    let report = last.expect("a report");
    assert_eq!(
        report.pending.len(),
        1,
        "a relay's word never completes a batch"
    );
    let carol_id = carol.member("Carol");
    assert_eq!(report.pending[0].missing, vec![carol_id]);
    for liar in [&liar_b.url, &liar_c.url] {
        let r = report
            .relays
            .iter()
            .find(|x| &x.url == liar)
            .expect("reported");
        assert_eq!(r.health, RelayHealth::Lying, "{:?}", r.error);
    }
    assert!(liar_b.tampered.load(std::sync::atomic::Ordering::Relaxed) > 0);
    carol.sync();
    assert!(
        carol.ledger_json().contains(&id.to_string()),
        "Carol received the record"
    );
    settle(&mut [&mut alice, &mut bob, &mut carol], 6);
    assert_eq!(alice.ledger_json(), carol.ledger_json());
}
