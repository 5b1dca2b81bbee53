//! Older version: a group saved by the release before member keys
//! (`tests/fixtures/saved-v2/`), where Alice and Bob update and Carol keeps running the
//! older release for a while. Her device acks as that release did — no receipt — and
//! publishes no card. The rule (docs/member-keys.md, "How the engine uses them"): a
//! member's ack counts only with its verified receipt for a batch written at or after
//! its card; before that (no card yet, or a batch it may have stored before publishing
//! one) the relays' word is taken, and no relay is called a liar for listing it.
#![cfg(not(target_arch = "wasm32"))]

mod sim;

use std::path::PathBuf;

use gfms_sync::{
    Group, HttpRequest, KeyState, Method, Outcome, RelayHealth, Round, Step, SyncReport,
};
use sim::{SimRelay, spend};

/// When the fixture's rounds ran (unix ms), rounded up.
const THEN_MS: u64 = 1_796_000_100_000;

fn read(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/saved-v2")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Which release a device runs in a round.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Release {
    /// This one.
    Current,
    /// The one before member keys, as the relays see it: acks carry no receipt, and
    /// nothing it seals carries a card (its puts never reach a relay here).
    Older,
}

/// The ack request as the older release sent it: no receipts.
fn without_receipts(r: &HttpRequest) -> HttpRequest {
    let mut r = r.clone();
    if let Some(body) = &r.body
        && let Ok(mut v) = serde_json::from_slice::<serde_json::Value>(body)
        && let Some(o) = v.as_object_mut()
    {
        o.remove("receipts");
        r.body = Some(serde_json::to_vec(&v).expect("json"));
    }
    r
}

/// One round of `g` at `now` as `release` would run it.
fn round(g: &mut Group, relays: &mut [SimRelay], now: u64, release: Release) -> SyncReport {
    let report = run(g, relays, now, release);
    if release == Release::Older {
        *g = Group::load(&without_card(&g.save().unwrap())).unwrap();
    }
    report
}

/// A saved state as the older release would have it: this code made the device's card
/// on load and published it in the round (sealed, never put); the older release never
/// did, so the card event and its batch go, and the card is still to publish.
fn without_card(saved: &str) -> String {
    let mut v: serde_json::Value = serde_json::from_str(saved).unwrap();
    let me = v["me"].clone();
    let mut gone: Vec<serde_json::Value> = Vec::new();
    v["events"].as_array_mut().unwrap().retain(|e| {
        let ev: serde_json::Value = serde_json::from_str(e["text"].as_str().unwrap()).unwrap();
        let mine = ev["author"] == me && ev["body"]["type"] == "member_keys_published";
        if mine {
            gone.push(ev["id"].clone());
        }
        !mine
    });
    if let Some(unsent) = v["unsent"].as_array_mut() {
        unsent.retain(|id| !gone.contains(id));
    }
    if let Some(outbox) = v["outbox"].as_array_mut() {
        outbox.retain(|b| {
            b["event_ids"]
                .as_array()
                .is_none_or(|ids| !ids.iter().any(|id| gone.contains(id)))
        });
    }
    v["member_keys"]["publish"] = true.into();
    v.to_string()
}

fn run(g: &mut Group, relays: &mut [SimRelay], now: u64, release: Release) -> SyncReport {
    for r in relays.iter_mut() {
        r.now_ms = now;
    }
    let mut round = Round::new(g, now);
    loop {
        match round.next(g) {
            Step::Persist => round.persisted(),
            Step::Done(report) => return report,
            Step::Requests(reqs) => {
                for r in reqs {
                    let is_ack = r.method == Method::Post && r.url.contains("/acks");
                    let outcome = match (release, r.method) {
                        (Release::Older, Method::Put) => dropped_put(&r),
                        (Release::Older, _) if is_ack => send(relays, &without_receipts(&r)),
                        _ => send(relays, &r),
                    };
                    round.handle(g, r.id, outcome);
                }
            }
        }
    }
}

/// A put that the relay answers as stored and never stores: what this code seals while
/// it stands for the older release (its card) must reach no one.
fn dropped_put(r: &HttpRequest) -> Outcome {
    let sid = r.url.split('?').next().and_then(|p| p.rsplit('/').next());
    Outcome::Response {
        status: 201,
        body: serde_json::json!({"id": sid, "expires_at": 1, "created": true})
            .to_string()
            .into_bytes(),
    }
}

fn send(relays: &mut [SimRelay], r: &HttpRequest) -> Outcome {
    match sim::relay_index(r).and_then(|i| relays.get_mut(i)) {
        Some(relay) => relay.handle(r),
        None => Outcome::Failed("no such host".into()),
    }
}

/// No relay is named lying in `report`.
fn nobody_lying(who: &str, report: &SyncReport) {
    for r in &report.relays {
        assert_ne!(
            r.health,
            RelayHealth::Lying,
            "{who}: honest relay {} named lying: {:?}",
            r.url,
            r.error
        );
    }
}

#[test]
fn older_version_member_plain_acks_neither_call_a_relay_a_liar_nor_leave_a_batch_pending() {
    let mut relays: Vec<SimRelay> = serde_json::from_str(&read("relays.json")).unwrap();
    let [mut alice, mut bob, mut carol] =
        ["alice", "bob", "carol"].map(|n| Group::load(&read(&format!("{n}.json"))).unwrap());
    let (a, c) = (alice.me(), carol.me());
    let mut t = THEN_MS;
    let mut tick = || {
        t += 1000;
        t
    };

    // Alice and Bob run this release, Carol the older one: her plain acks complete
    // Alice's batches, and no relay that lists her is called a liar.
    for _ in 0..3 {
        nobody_lying(
            "alice",
            &round(&mut alice, &mut relays, tick(), Release::Current),
        );
        nobody_lying(
            "bob",
            &round(&mut bob, &mut relays, tick(), Release::Current),
        );
        round(&mut carol, &mut relays, tick(), Release::Older);
    }
    nobody_lying(
        "alice",
        &round(&mut alice, &mut relays, tick(), Release::Current),
    );
    let view = alice.keys_view();
    assert!(!view.signed, "Carol has published no keys");
    let keys_of = |m| {
        view.members
            .iter()
            .find(|k| k.member == m)
            .unwrap()
            .keys
            .clone()
    };
    assert_eq!(keys_of(a), KeyState::Published);
    assert_eq!(keys_of(c), KeyState::OlderVersion, "the app names Carol");
    assert_eq!(
        alice.outbox_len(),
        0,
        "Carol's plain acks count: {:?}",
        alice.pending()
    );
    assert!(alice.pending().is_empty());

    // Alice writes while Bob is away. Carol, still on the older release, stores the
    // batch and acks it plainly; then she updates and publishes her card. When Alice
    // next looks, Carol's card is known — but her ack of that batch was the older
    // release's, and she will never send another.
    let written = spend(&mut alice, "Pastéis", 2400, tick());
    round(&mut alice, &mut relays, tick(), Release::Current);
    round(&mut carol, &mut relays, tick(), Release::Older);
    assert!(carol.ledger().get(&written).is_some(), "Carol stored it");
    for _ in 0..2 {
        round(&mut carol, &mut relays, tick(), Release::Current);
    }
    nobody_lying(
        "bob",
        &round(&mut bob, &mut relays, tick(), Release::Current),
    );
    for _ in 0..3 {
        let report = round(&mut alice, &mut relays, tick(), Release::Current);
        nobody_lying("alice", &report);
        nobody_lying(
            "bob",
            &round(&mut bob, &mut relays, tick(), Release::Current),
        );
        nobody_lying(
            "carol",
            &round(&mut carol, &mut relays, tick(), Release::Current),
        );
    }
    assert!(alice.keys_view().signed, "every member has published keys");
    assert!(
        alice.pending().is_empty(),
        "a batch waits for an ack Carol will never send again: {:?}",
        alice.pending()
    );
    assert_eq!(alice.outbox_len(), 0);

    // From now on Carol's acks count only with her receipt, and everyone has everything.
    let after = spend(&mut alice, "Pastéis", 700, tick());
    for _ in 0..3 {
        nobody_lying(
            "alice",
            &round(&mut alice, &mut relays, tick(), Release::Current),
        );
        round(&mut bob, &mut relays, tick(), Release::Current);
        round(&mut carol, &mut relays, tick(), Release::Current);
    }
    assert_eq!(alice.outbox_len(), 0);
    let ledger = alice.export_json().unwrap();
    for g in [&bob, &carol] {
        assert!(g.ledger().get(&after).is_some());
        assert_eq!(g.export_json().unwrap(), ledger);
    }
    assert_eq!(relays.iter().map(SimRelay::share_count).sum::<usize>(), 0);
}
