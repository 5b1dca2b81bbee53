//! A newcomer catching up with a long history, shared by `newcomer.rs` and
//! `flooding_member.rs`: Alice alone with a history, Dave just joined, the share ids of
//! the snapshot Alice answers him with, a round that withholds some of them, and the
//! bytes a device keeps aside.

use std::collections::BTreeSet;

use gfms_sync::{Group, HttpRequest};

use super::{Act, Ended, SimRelay, run_round, settings, spend, url};

/// One round of `g` in which `choose` decides the fate of each request; the test asked
/// for no crash.
pub fn round_with(
    g: &mut Group,
    relays: &mut [SimRelay],
    now: u64,
    choose: &mut dyn FnMut(&HttpRequest) -> Act,
) {
    match run_round(g, relays, now, &mut |_| {}, choose) {
        Ended::Done(_) => {}
        Ended::Crashed => panic!("no crash was asked for"),
    }
}

/// The share id in a share URL.
pub fn share_of(r: &HttpRequest) -> Option<String> {
    let path = r.url.split('?').next()?;
    let (_, sid) = path.rsplit_once("/shares/")?;
    Some(sid.to_string())
}

/// A group of Alice alone with `events` expenses, all delivered (her own batches done),
/// and Dave, who just joined and announced himself: Alice's next round answers him.
pub fn alice_with_history_and_dave_announced(
    relays: &mut [SimRelay],
    events: usize,
) -> (Group, Group) {
    let urls: Vec<String> = (0..3).map(url).collect();
    let mut alice = Group::create(settings("Flat"), "Alice", &urls, 2, 1).unwrap();
    for i in 0..events {
        spend(&mut alice, &format!("Groceries {i}"), 100 + i as i64, 10);
    }
    for t in 0..4 {
        super::round(&mut alice, relays, 20 + t);
    }
    assert_eq!(alice.outbox_len(), 0, "Alice's own batches are done");
    let mut dave = Group::join(&alice.invite(), "Dave", 30).unwrap();
    super::round(&mut dave, relays, 31);
    (alice, dave)
}

/// Alice's next round, answering Dave: the share ids she puts, in order (the snapshot's
/// first batch, with her card, first).
pub fn alice_answers(alice: &mut Group, relays: &mut [SimRelay], now: u64) -> Vec<String> {
    let mut puts: Vec<String> = Vec::new();
    round_with(alice, relays, now, &mut |r| {
        if r.method == gfms_sync::Method::Put {
            puts.extend(share_of(r));
        }
        Act::Send
    });
    puts
}

/// The bytes of the events `g` keeps aside, as its saved state holds them.
pub fn aside_bytes(g: &Group) -> usize {
    let saved: serde_json::Value = serde_json::from_str(&g.save().unwrap()).unwrap();
    saved["aside"].as_array().map_or(0, |a| {
        a.iter()
            .map(|k| k["text"].as_str().map_or(0, str::len) + k["sig"].as_str().map_or(0, str::len))
            .sum()
    })
}

/// One round of Dave's in which every fetch of a share in `withheld` is answered "not found".
pub fn round_withholding(
    dave: &mut Group,
    relays: &mut [SimRelay],
    now: u64,
    withheld: &BTreeSet<String>,
) {
    round_with(dave, relays, now, &mut |req| {
        if req.method == gfms_sync::Method::Get
            && share_of(req).is_some_and(|s| withheld.contains(&s))
        {
            return Act::Answer(gfms_sync::Outcome::Response {
                status: 404,
                body: br#"{"error":"not_found","message":"no such share"}"#.to_vec(),
            });
        }
        Act::Send
    });
}
