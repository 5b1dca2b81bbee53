//! The outbox saves a batch as its sealed bytes and the seed of its split, not as its `n`
//! shares: a share put after a load is made again, byte for byte. A relay keeps the
//! first bytes put under a share id (a re-put with other bytes is refused, 409), so a
//! device that crashes between two puts must put exactly what it put before. Run
//! against the simulated relays.
#![cfg(not(target_arch = "wasm32"))]

mod sim;

use std::collections::BTreeMap;

use gfms_protocol::PutShareRequest;
use gfms_sync::{Group, HttpRequest, Method};
use sim::{Act, Ended, SimRelay, relay_index, run_round, settings, spend, url};

fn trip() -> (Group, Group) {
    let settings = settings("Lisbon trip");
    let urls: Vec<String> = (0..3).map(url).collect();
    let mut alice = Group::create(settings, "Alice", &urls, 2, 1).unwrap();
    let bob = Group::join(&alice.invite(), "Bob", 2).unwrap();
    (alice, bob)
}

fn round(g: &mut Group, relays: &mut [SimRelay], now: u64) {
    match run_round(g, relays, now, &mut |_| {}, &mut |_| Act::Send) {
        Ended::Done(_) => {}
        Ended::Crashed => panic!("no crash was asked for"),
    }
}

/// The blob a request puts, by (relay, share id in the URL), if it is a put.
fn put_of(r: &HttpRequest) -> Option<((usize, String), String)> {
    if r.method != Method::Put {
        return None;
    }
    let body: PutShareRequest = serde_json::from_slice(r.body.as_ref()?).ok()?;
    Some(((relay_index(r)?, r.url.clone()), body.data))
}

/// Alice and Bob on three relays, both synced; Alice has one expense sealed and put at
/// relay 0 only when her device crashes (before the put at relay 1). Returns the state
/// she saved before her first put, and the blobs put before the crash.
fn crash_after_first_put(
    relays: &mut [SimRelay],
) -> (Group, Group, String, BTreeMap<(usize, String), String>) {
    let (mut alice, mut bob) = trip();
    for t in 0..3 {
        round(&mut alice, relays, 10 + t);
        round(&mut bob, relays, 20 + t);
    }
    spend(&mut alice, "Dinner", 4200, 100);
    let mut saved = String::new();
    let mut puts = BTreeMap::new();
    let ended = run_round(
        &mut alice,
        relays,
        101,
        &mut |g| saved = g.save().expect("a state"),
        &mut |r| match put_of(r) {
            Some(put) if puts.is_empty() => {
                puts.insert(put.0, put.1);
                Act::Send
            }
            Some(_) => Act::Crash,
            None => Act::Send,
        },
    );
    assert!(matches!(ended, Ended::Crashed), "the device crashed");
    assert_eq!(puts.len(), 1, "one share was put before the crash");
    (alice, bob, saved, puts)
}

/// Alice's round after loading `saved`: every blob it puts, by relay and share.
fn puts_after_load(
    saved: &str,
    relays: &mut [SimRelay],
) -> (Group, BTreeMap<(usize, String), String>) {
    let mut alice = Group::load(saved).expect("the saved state loads");
    let mut puts = BTreeMap::new();
    let ended = run_round(&mut alice, relays, 102, &mut |_| {}, &mut |r| {
        if let Some((at, data)) = put_of(r) {
            puts.insert(at, data);
        }
        Act::Send
    });
    assert!(matches!(ended, Ended::Done(_)));
    (alice, puts)
}

/// Crash at any step: a device that saved its batch and crashed after the first of its
/// puts puts, after a load, the same bytes again where it had put them (the relay took
/// them: no 409, the batch completes) and the other shares of the same split; the saved
/// state holds the sealed batch and a seed, not the shares.
#[test]
fn crash_after_a_put_re_puts_the_same_bytes_from_a_state_without_shares() {
    let mut relays: Vec<SimRelay> = (0..3).map(|_| SimRelay::up()).collect();
    let (_, mut bob, saved, before) = crash_after_first_put(&mut relays);
    let doc: serde_json::Value = serde_json::from_str(&saved).expect("json");
    let batch = &doc["outbox"][0];
    assert!(batch["sealed"].as_str().is_some_and(|s| !s.is_empty()));
    assert!(batch["split_seed"].as_str().is_some_and(|s| s.len() == 64));
    for share in batch["shares"].as_array().expect("shares") {
        assert!(share.get("data").is_none(), "no share blob saved: {share}");
    }

    let (mut alice, after) = puts_after_load(&saved, &mut relays);
    let (at, data) = before.iter().next().expect("the put before the crash");
    assert_eq!(after.get(at), Some(data), "the same bytes put again");
    assert_eq!(after.len(), 3, "every share put after the load");

    for t in 0..3 {
        round(&mut bob, &mut relays, 110 + t);
        round(&mut alice, &mut relays, 120 + t);
    }
    assert_eq!(bob.export_json().unwrap(), alice.export_json().unwrap());
    assert_eq!(alice.outbox_len(), 0, "Bob has the batch: it is complete");
}

/// A state saved by a release before split seeds (each share's blob in the outbox, no
/// sealed batch, no seed) still loads, keeps its blobs when saved again, and puts
/// exactly those blobs.
#[test]
fn crash_with_a_state_of_the_previous_release_puts_its_saved_shares() {
    let mut relays: Vec<SimRelay> = (0..3).map(|_| SimRelay::up()).collect();
    let (_, mut bob, saved, _) = crash_after_first_put(&mut relays);
    // The blobs the state makes again, as the previous release saved them.
    let mut fresh: Vec<SimRelay> = (0..3).map(|_| SimRelay::up()).collect();
    let (_, blobs) = puts_after_load(&saved, &mut fresh);
    let mut doc: serde_json::Value = serde_json::from_str(&saved).expect("json");
    let batch = doc["outbox"][0].as_object_mut().expect("a batch");
    batch.remove("sealed");
    batch.remove("split_seed");
    let shares = batch["shares"].as_array_mut().expect("shares");
    let mut blobs_by_relay: BTreeMap<usize, String> =
        blobs.into_iter().map(|((r, _), d)| (r, d)).collect();
    for (i, share) in shares.iter_mut().enumerate() {
        let data = blobs_by_relay.remove(&i).expect("a blob per relay");
        share["data"] = serde_json::Value::String(data);
    }
    let old = doc.to_string();

    let loaded = Group::load(&old).expect("the previous release's state loads");
    let again: serde_json::Value = serde_json::from_str(&loaded.save().unwrap()).unwrap();
    assert_eq!(again["outbox"], doc["outbox"], "saved again with its blobs");

    let (mut alice, after) = puts_after_load(&old, &mut relays);
    let saved_blobs: Vec<&str> = doc["outbox"][0]["shares"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["data"].as_str().unwrap())
        .collect();
    for ((r, _), data) in &after {
        assert_eq!(data, saved_blobs[*r], "relay {r} gets the saved blob");
    }
    for t in 0..3 {
        round(&mut bob, &mut relays, 110 + t);
        round(&mut alice, &mut relays, 120 + t);
    }
    assert_eq!(bob.export_json().unwrap(), alice.export_json().unwrap());
    assert_eq!(alice.outbox_len(), 0, "Bob has the batch: it is complete");
}
