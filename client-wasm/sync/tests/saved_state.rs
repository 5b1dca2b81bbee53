//! Older version: a device state saved by the release before the sync engine was split
//! into owners and phases (the fixture in `tests/fixtures/saved-v1/`) must still load,
//! save back byte for byte, and sync on to the same end as ever: one ledger everywhere,
//! nothing left in any outbox or on any relay.
//!
//! The fixture is a whole world in the middle of things: three simulated relays with the
//! shares they held, and three devices — Alice with a batch no one has acked yet and a
//! delete still owed to a relay that was down, Bob with a batch begun but not opened
//! (one share fetched, the other relays failed him), Carol saved in the middle of a round
//! (fetches noted, a batch merged, acks owed and not yet sent).
#![cfg(not(target_arch = "wasm32"))]

mod sim;

use std::path::PathBuf;

use gfms_sync::Group;
use sim::{Act, Ended, SimRelay, run_round};

const NAMES: [&str; 3] = ["alice", "bob", "carol"];
/// When the fixture's rounds ran (unix ms).
const THEN_MS: u64 = 1_795_000_000_000;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/saved-v1")
}

fn read(name: &str) -> String {
    std::fs::read_to_string(dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn saved_field(json: &str, field: &str) -> serde_json::Value {
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    v[field].clone()
}

fn is_empty(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::Array(a) => a.is_empty(),
        serde_json::Value::Object(o) => o.is_empty(),
        _ => true,
    }
}

#[test]
fn older_version_state_files_load_save_unchanged_and_sync_on() {
    let mut relays: Vec<SimRelay> = serde_json::from_str(&read("relays.json")).unwrap();
    let saved: Vec<String> = NAMES.iter().map(|n| read(&format!("{n}.json"))).collect();

    // The fixture holds what it claims to.
    assert!(
        !is_empty(&saved_field(&saved[0], "outbox")),
        "alice: a batch on its way"
    );
    assert!(
        !is_empty(&saved_field(&saved[0], "deletes")),
        "alice: a delete owed"
    );
    assert!(
        !is_empty(&saved_field(&saved[1], "partial")),
        "bob: a batch begun"
    );
    assert!(
        !is_empty(&saved_field(&saved[1], "seen")),
        "bob: batches received"
    );
    assert!(
        !is_empty(&saved_field(&saved[2], "fetching")),
        "carol: fetches noted"
    );
    assert!(
        !is_empty(&saved_field(&saved[2], "acks")),
        "carol: acks owed"
    );
    assert!(relays.iter().map(SimRelay::share_count).sum::<usize>() > 0);

    let mut devices: Vec<Group> = saved.iter().map(|s| Group::load(s).unwrap()).collect();
    for (d, s) in devices.iter().zip(&saved) {
        // Saved again as version 2: every field as it was, each event as its exact
        // text; and a version 2 state saves back unchanged.
        let resaved = d.save().unwrap();
        let (mut old, mut new): (serde_json::Value, serde_json::Value) = (
            serde_json::from_str(s).unwrap(),
            serde_json::from_str(&resaved).unwrap(),
        );
        let old_events = old.as_object_mut().unwrap().remove("events").unwrap();
        let new_events = new.as_object_mut().unwrap().remove("events").unwrap();
        let texts: Vec<serde_json::Value> = new_events
            .as_array()
            .unwrap()
            .iter()
            .map(|e| serde_json::from_str(e["text"].as_str().unwrap()).unwrap())
            .collect();
        assert_eq!(serde_json::Value::Array(texts), old_events);
        new["v"] = 1.into();
        new.as_object_mut().unwrap().remove("unread");
        // Member keys: the device made its keys on load, to publish at its next round.
        let keys = new.as_object_mut().unwrap().remove("member_keys").unwrap();
        assert_eq!(keys["publish"], true);
        // Acks are kept with where they were seen now; the fixture listed members.
        for b in new["outbox"].as_array_mut().unwrap() {
            let members: Vec<serde_json::Value> = b["acked"]
                .as_object()
                .unwrap()
                .keys()
                .map(|k| k.as_str().into())
                .collect();
            b["acked"] = members.into();
        }
        assert_eq!(new, old, "a loaded state saves back unchanged");
        assert_eq!(Group::load(&resaved).unwrap().save().unwrap(), resaved);
    }
    assert_eq!(devices[0].outbox_len(), 1);
    assert_eq!(devices[0].pending().len(), 1);
    assert!(!devices[0].pending()[0].missing.is_empty());

    // Everyone syncs on, an hour later, with every relay up.
    for r in &mut relays {
        r.up = true;
    }
    for round in 0..6 {
        for d in &mut devices {
            let ended = run_round(
                d,
                &mut relays,
                THEN_MS + 3_600_000 + round,
                &mut |_| {},
                &mut |_| Act::Send,
            );
            assert!(matches!(ended, Ended::Done(_)));
        }
    }
    let first = devices[0].export_json().unwrap();
    for d in &devices {
        assert_eq!(d.export_json().unwrap(), first);
        assert_eq!(d.outbox_len(), 0);
        assert_eq!(d.unsent_count(), 0);
    }
    assert_eq!(devices[1].state().expenses.len(), 4);
    assert_eq!(relays.iter().map(SimRelay::share_count).sum::<usize>(), 0);
}
