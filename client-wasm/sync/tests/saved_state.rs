//! Older version: a device state saved by the release before the sync engine was split
//! into owners and phases (the fixture in `tests/fixtures/saved-v1/`) must still load,
//! save back byte for byte, and sync on to the same end as ever: one ledger everywhere,
//! nothing left in any outbox or on any relay.
//!
//! The fixture is a whole world in the middle of things: three simulated relays with the
//! shares they held, and three devices — Alice with a batch Carol has not acked and a
//! delete still owed to a relay that was down, Bob with a batch begun but not opened
//! (one share fetched, the other relays failed him), Carol saved in the middle of a round
//! (fetches noted, a batch merged, acks owed and not yet sent).
#![cfg(not(target_arch = "wasm32"))]

mod sim;

use std::path::PathBuf;

use gfms_sync::{Group, Method};
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
        assert_eq!(&d.save(), s, "a loaded state saves back unchanged");
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
    let first = gfms_ledger::export_json(devices[0].ledger());
    for d in &devices {
        assert_eq!(gfms_ledger::export_json(d.ledger()), first);
        assert_eq!(d.outbox_len(), 0);
        assert_eq!(d.unsent_count(), 0);
    }
    assert_eq!(devices[1].state().expenses.len(), 4);
    assert_eq!(relays.iter().map(SimRelay::share_count).sum::<usize>(), 0);
}

/// How the fixture was written (with the engine as it was before the restructuring):
/// `GFMS_WRITE_FIXTURE=1 cargo test -p gfms-sync --test saved_state -- --ignored`.
#[test]
#[ignore = "writes the fixture"]
fn write_fixture() {
    use gfms_ledger::{Expense, GroupSettings, Split};

    if std::env::var("GFMS_WRITE_FIXTURE").is_err() {
        return;
    }
    let mut relays: Vec<SimRelay> = (0..3).map(|_| SimRelay::up()).collect();
    let urls: Vec<String> = (0..3).map(sim::url).collect();
    let settings = GroupSettings {
        name: "Flat 3B".into(),
        currency: "EUR".into(),
        categories: vec!["food".into()],
        accounts: vec!["cash".into()],
    };
    let mut now = THEN_MS;
    let mut alice = Group::create(settings, "Alice", &urls, 2, now).unwrap();
    alice
        .set_registration_key(&urls[2], "friends of relay 2")
        .unwrap();
    let invite = alice.invite();
    let bob = Group::join(&invite, "Bob", now).unwrap();
    let carol = Group::join(&invite, "Carol", now).unwrap();
    let mut devices = [alice, bob, carol];
    let mut saved: Vec<String> = devices.iter().map(Group::save).collect();

    let sync = |devices: &mut [Group; 3],
                saved: &mut Vec<String>,
                relays: &mut Vec<SimRelay>,
                d: usize,
                now: u64,
                choose: &mut dyn FnMut(&gfms_sync::HttpRequest) -> Act| {
        let slot = &mut saved[d];
        let ended = run_round(
            &mut devices[d],
            relays,
            now,
            &mut |g| *slot = g.save(),
            choose,
        );
        if let Ended::Done(_) = ended {
            *slot = devices[d].save();
        }
    };
    let expense = |g: &mut Group, cents: i64, shop: &str| {
        let me = g.me();
        let members = g.state().active_members().map(|(m, _)| *m).collect();
        let e = Expense {
            amount: cents,
            currency: "EUR".into(),
            rate: None,
            category: "food".into(),
            shop: shop.into(),
            account: "cash".into(),
            payers: vec![(me, cents)],
            split: Split::Equal { members },
            date: "2026-11-25".into(),
            note: String::new(),
        };
        g.add_expense(e, 0).unwrap();
    };

    // Everyone joins and hears of everyone.
    for _ in 0..4 {
        for d in 0..3 {
            now += 1000;
            sync(&mut devices, &mut saved, &mut relays, d, now, &mut |_| {
                Act::Send
            });
        }
    }
    // Alice's first expense reaches everyone; from now on relay 2 fails her deletes.
    let mut no_deletes_at_2 = |r: &gfms_sync::HttpRequest| {
        if r.method == Method::Delete && sim::relay_index(r) == Some(2) {
            Act::Answer(gfms_sync::Outcome::Failed("connection refused".into()))
        } else {
            Act::Send
        }
    };
    expense(&mut devices[0], 1250, "Bakery");
    for d in [0, 1, 2] {
        now += 1000;
        sync(&mut devices, &mut saved, &mut relays, d, now, &mut |_| {
            Act::Send
        });
    }
    now += 1000;
    sync(
        &mut devices,
        &mut saved,
        &mut relays,
        0,
        now,
        &mut no_deletes_at_2,
    );
    // Carol writes one, then Alice two more.
    expense(&mut devices[2], 999, "Kiosk");
    now += 1000;
    sync(&mut devices, &mut saved, &mut relays, 2, now, &mut |_| {
        Act::Send
    });
    expense(&mut devices[0], 800, "Cinema");
    expense(&mut devices[0], 4200, "Market");
    now += 1000;
    sync(
        &mut devices,
        &mut saved,
        &mut relays,
        0,
        now,
        &mut no_deletes_at_2,
    );
    // Bob fetches one share, then every other fetch fails him.
    let mut fetched = 0;
    now += 1000;
    sync(&mut devices, &mut saved, &mut relays, 1, now, &mut |r| {
        let fetch = r.method == Method::Get && r.url.contains("/shares/");
        if fetch {
            fetched += 1;
        }
        if fetch && fetched > 1 {
            Act::Answer(gfms_sync::Outcome::Failed("connection reset".into()))
        } else {
            Act::Send
        }
    });
    now += 1000;
    sync(
        &mut devices,
        &mut saved,
        &mut relays,
        0,
        now,
        &mut no_deletes_at_2,
    );
    // Carol syncs and crashes before her first ack.
    now += 1000;
    sync(&mut devices, &mut saved, &mut relays, 2, now, &mut |r| {
        if r.method == Method::Post && r.url.ends_with("/acks") {
            Act::Crash
        } else {
            Act::Send
        }
    });

    std::fs::create_dir_all(dir()).unwrap();
    std::fs::write(
        dir().join("relays.json"),
        serde_json::to_string_pretty(&relays).unwrap(),
    )
    .unwrap();
    for (name, s) in NAMES.iter().zip(&saved) {
        std::fs::write(dir().join(format!("{name}.json")), s).unwrap();
    }
}
