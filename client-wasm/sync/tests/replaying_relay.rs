//! Replaying relays: `n − 1` relays (two of three, enough to rebuild any batch with
//! k = 2) serve again what they once held, after it was delivered and deleted — old
//! batches, newest first; another group's batch under this group's id; a batch of the
//! key epoch the group left, under the new epoch's id — both while the devices still
//! remember those batch ids and after they forgot them (past `SEEN_RETENTION_MS`).
//! Nothing changes on any device: the same events, no balance moved, nothing kept
//! aside; a share that is not this group's is named `tampering`; and the group goes on
//! delivering. (A relay cannot make a batch of its own: it holds no group secret.)
#![cfg(not(target_arch = "wasm32"))]

mod sim;

use std::collections::BTreeMap;

use gfms_protocol::ShareId;
use gfms_seal::{GroupKeys, GroupSecret};
use gfms_sync::{Group, RelayHealth, SyncReport};
use sim::{Share, SimRelay, round, settings, spend, url};

/// Every device's round, `n` times; the reports.
fn rounds(
    gs: &mut [&mut Group],
    relays: &mut [SimRelay],
    t: &mut u64,
    n: usize,
) -> Vec<SyncReport> {
    let mut out = Vec::new();
    for _ in 0..n {
        for g in gs.iter_mut() {
            *t += 1;
            out.push(round(g, relays, *t));
        }
    }
    out
}

/// What each relay holds now, by group id at that relay: (share id, bytes).
type Held = Vec<BTreeMap<String, Vec<(ShareId, String)>>>;

fn held(relays: &[SimRelay]) -> Held {
    relays
        .iter()
        .map(|r| {
            r.groups
                .iter()
                .map(|(gid, (_, shares))| {
                    let list = shares.iter().map(|(s, x)| (*s, x.data.clone())).collect();
                    (gid.clone(), list)
                })
                .collect()
        })
        .collect()
}

/// Relay `r` serves again, under group id `to`, the shares it held under `from`, as
/// if fresh: no one has fetched them.
fn replay(relays: &mut [SimRelay], r: usize, past: &Held, from: &str, to: &str) {
    let Some(shares) = past[r].get(from) else {
        return;
    };
    let Some((_, live)) = relays[r].groups.get_mut(to) else {
        return;
    };
    for (sid, data) in shares {
        live.insert(
            *sid,
            Share {
                data: data.clone(),
                ..Share::default()
            },
        );
    }
}

/// The group id at relay `r` of the epoch whose secret is `secret`.
fn gid(secret: [u8; 32], r: usize) -> String {
    let keys = GroupKeys::derive(&GroupSecret::from_bytes(secret));
    keys.relay(&url(r))
        .expect("relay keys")
        .group_id
        .to_string()
}

/// The secret of the epoch `g` sends in.
fn current_secret(g: &Group) -> [u8; 32] {
    let v: serde_json::Value = serde_json::from_str(&g.save().unwrap()).unwrap();
    let current = &v["member_keys"]["current"];
    let hex_secret = v["member_keys"]["epochs"]
        .as_array()
        .and_then(|es| es.iter().find(|e| &e["start"] == current))
        .and_then(|e| e["secret"].as_str())
        .or_else(|| v["secret"].as_str())
        .expect("a secret")
        .to_string();
    let mut out = [0u8; 32];
    hex::decode_to_slice(&hex_secret, &mut out).expect("hex");
    out
}

#[test]
fn replaying_relays_old_batches_another_groups_and_an_old_epochs_change_nothing() {
    let mut relays: Vec<SimRelay> = (0..3).map(|_| SimRelay::up()).collect();
    let urls: Vec<String> = (0..3).map(url).collect();
    let mut alice = Group::create(settings("Lisbon trip"), "Alice", &urls, 2, 1).unwrap();
    let invite = alice.invite();
    let first_secret = invite.secret;
    let mut bob = Group::join(&invite, "Bob", 2).unwrap();
    let mut carol = Group::join(&invite, "Carol", 3).unwrap();
    let mut dave = Group::join(&invite, "Dave", 4).unwrap();
    let mut t = 10;
    rounds(
        &mut [&mut alice, &mut bob, &mut carol, &mut dave],
        &mut relays,
        &mut t,
        3,
    );

    // Two batches in epoch 0, each captured at the relays before it was delivered.
    spend(&mut alice, "Ginjinha", 1000, t);
    round(&mut alice, &mut relays, t + 1);
    let first = held(&relays);
    t += 2;
    rounds(
        &mut [&mut bob, &mut carol, &mut dave, &mut alice],
        &mut relays,
        &mut t,
        2,
    );
    spend(&mut bob, "Ginjinha", 2000, t);
    round(&mut bob, &mut relays, t + 1);
    let second = held(&relays);
    t += 2;
    rounds(
        &mut [&mut alice, &mut carol, &mut dave, &mut bob],
        &mut relays,
        &mut t,
        2,
    );

    // Another group on the same relays, with a batch of its own.
    let mut zed = Group::create(settings("Other"), "Zed", &urls, 2, t).unwrap();
    let zed_secret = zed.invite().secret;
    spend(&mut zed, "Ginjinha", 500, t);
    round(&mut zed, &mut relays, t + 1);
    let other = held(&relays);

    // Alice removes Dave: the group moves to epoch 1.
    alice.remove_member(dave.me(), t + 2).unwrap();
    t += 3;
    rounds(
        &mut [&mut alice, &mut bob, &mut carol, &mut dave],
        &mut relays,
        &mut t,
        4,
    );
    let epoch_secret = current_secret(&alice);
    assert_ne!(epoch_secret, first_secret, "a new epoch");
    let mut stay = [&mut alice, &mut bob, &mut carol];
    let before: Vec<String> = stay.iter().map(|g| g.export_json().unwrap()).collect();
    for g in &stay {
        assert_eq!(g.outbox_len(), 0, "set-up delivered");
    }

    for wait in [0, 8 * 24 * 3600 * 1000] {
        t += wait;
        for r in [0, 1] {
            let (old, new) = (gid(first_secret, r), gid(epoch_secret, r));
            // Old batches, the newer first, where they were; and as if of the new epoch.
            for past in [&second, &first] {
                replay(&mut relays, r, past, &old, &old);
                replay(&mut relays, r, past, &old, &new);
            }
            // Another group's batch, under this group's id in both epochs.
            let theirs = gid(zed_secret, r);
            replay(&mut relays, r, &other, &theirs, &new);
            replay(&mut relays, r, &other, &theirs, &old);
        }
        let reports = rounds(&mut stay, &mut relays, &mut t, 3);
        let opened: usize = reports.iter().map(|r| r.received_batches).sum();
        if wait > 0 {
            assert!(
                opened > 0,
                "devices that forgot the old batches open them again"
            );
        }
        for (g, was) in stay.iter().zip(&before) {
            assert_eq!(&g.export_json().unwrap(), was, "a replay changed a ledger");
            assert!(g.kept_aside().is_empty(), "nothing to keep aside");
            assert_eq!(g.outbox_len(), 0);
        }
        assert!(
            reports.iter().any(|r| r
                .relays
                .iter()
                .any(|x| x.url == url(0) && x.health == RelayHealth::Tampering)),
            "the relay serving another group's share is named"
        );
    }

    // The group goes on: a record written now reaches everyone who stays.
    let [alice, bob, carol] = &mut stay;
    let now = spend(bob, "Ginjinha", 700, t);
    rounds(
        &mut [&mut **alice, &mut **bob, &mut **carol],
        &mut relays,
        &mut t,
        3,
    );
    for g in [&**alice, &**carol] {
        assert!(g.ledger().get(&now).is_some());
    }
    assert_eq!(alice.outbox_len() + bob.outbox_len(), 0);
}
