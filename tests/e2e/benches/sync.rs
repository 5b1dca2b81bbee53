//! Sync benchmark: what a member waits for and what goes over the wire, with the real
//! engine, the native driver and three real local relays (workerd) on 127.0.0.1.
//! Prints Markdown. A measurement, never a test: nothing here passes or fails on a time.
//!
//! `cargo bench -p gfms-e2e --bench sync` (`scripts/relays.sh` builds the relay if needed).

use std::time::{Duration, Instant};

use gfms_e2e::device::{settle, trio};
use gfms_e2e::{Device, Relays};
use gfms_sync::{HttpRequest, Method};

/// Relays on 8931-8933, away from the test ports.
const BASE_PORT: u16 = 8931;
/// Repetitions of the one-expense round trip.
const ROUND_TRIPS: usize = 15;

/// Requests and request bytes of one round.
#[derive(Default, Clone, Copy)]
struct Wire {
    requests: usize,
    put_bytes: usize,
}

/// One sync round of `device`, timed, with what it sent.
fn timed_sync(device: &mut Device) -> (Duration, Wire) {
    let mut wire = Wire::default();
    let t0 = Instant::now();
    let result = device.sync_stopping(&mut |req: &HttpRequest| {
        wire.requests += 1;
        if req.method == Method::Put {
            wire.put_bytes += req.body.as_ref().map_or(0, Vec::len);
        }
        false
    });
    let elapsed = t0.elapsed();
    if let Err(e) = result {
        panic!("{} could not sync: {e}", device.name);
    }
    (elapsed, wire)
}

/// The `p`-th percentile of `v` (nearest rank below).
fn percentile(v: &[Duration], p: usize) -> Duration {
    let mut sorted = v.to_vec();
    sorted.sort();
    sorted[(sorted.len() * p / 100).min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

fn kib(bytes: usize) -> String {
    format!("{:.1}", bytes as f64 / 1024.0)
}

/// One expense from Alice until every member has it and the relays hold nothing.
fn round_trip(alice: &mut Device, bob: &mut Device, carol: &mut Device) {
    let mut send = Vec::new();
    let mut bob_recv = Vec::new();
    let mut carol_recv = Vec::new();
    let mut cleanup = Vec::new();
    let mut visible = Vec::new();
    let (mut send_wire, mut recv_wire, mut cleanup_wire) = Default::default();
    for i in 0..ROUND_TRIPS {
        let t0 = Instant::now();
        alice.add(1250 + i as i64, "bakery");
        let (t, w) = timed_sync(alice);
        send.push(t);
        send_wire = w;
        let (t, w) = timed_sync(bob);
        bob_recv.push(t);
        recv_wire = w;
        visible.push(t0.elapsed());
        let (t, _) = timed_sync(carol);
        carol_recv.push(t);
        let (t, w) = timed_sync(alice);
        cleanup.push(t);
        cleanup_wire = w;
    }
    println!("| round | what it does | median ms | p90 ms | requests | bytes put |");
    println!("| --- | --- | ---: | ---: | ---: | ---: |");
    // Carol's round is Bob's with the completing ack: its wire is not shown again.
    let rows: [(&str, &str, Vec<Duration>, Option<Wire>); 4] = [
        (
            "Alice sends",
            "seal, split 2-of-3, persist outbox, put 3 shares, list, status",
            send,
            Some(send_wire),
        ),
        (
            "Bob receives",
            "list 3 relays, fetch 2 shares, combine, open, merge, persist, ack",
            bob_recv,
            Some(recv_wire),
        ),
        (
            "Carol receives",
            "the same; her ack completes the batch",
            carol_recv,
            None,
        ),
        (
            "Alice cleans up",
            "status shows every member acked; delete at all 3 relays",
            cleanup,
            Some(cleanup_wire),
        ),
    ];
    for (name, what, times, wire) in rows {
        let (requests, put) = match wire {
            Some(w) => (w.requests.to_string(), w.put_bytes.to_string()),
            None => ("–".to_string(), "–".to_string()),
        };
        println!(
            "| {name} | {what} | {} | {} | {requests} | {put} |",
            ms(percentile(&times, 50)),
            ms(percentile(&times, 90))
        );
    }
    println!();
    println!(
        "From Alice's tap to the expense on Bob's device (her round, then his): median {} ms, p90 {} ms, over {ROUND_TRIPS} expenses.",
        ms(percentile(&visible, 50)),
        ms(percentile(&visible, 90))
    );
}

/// Batches of `n` expenses: sealing and splitting cost, share sizes, receive time.
fn batches(alice: &mut Device, bob: &mut Device, carol: &mut Device) {
    println!(
        "| expenses in the batch | Alice's round ms | bytes put (3 relays) | per expense | Bob's round ms |"
    );
    println!("| ---: | ---: | ---: | ---: | ---: |");
    for n in [1usize, 10, 100, 1000] {
        let batch: Vec<(i64, &str)> = (0..n).map(|i| (100 + i as i64, "market")).collect();
        alice.add_many(&batch);
        let (send, wire) = timed_sync(alice);
        let (recv, _) = timed_sync(bob);
        println!(
            "| {n} | {} | {} KiB | {} B | {} |",
            ms(send),
            kib(wire.put_bytes),
            wire.put_bytes / n,
            ms(recv)
        );
        settle(&mut [alice, bob, carol], 6);
    }
}

/// A newcomer joins a group that already holds a history: the snapshot an existing
/// member sends and how long the newcomer's first rounds take.
fn joining(alice: &mut Device, bob: &mut Device, carol: &mut Device) {
    let events = alice.group.ledger().len();
    let code = alice.invite();
    let mut dave = Device::join("bench-sync", "Dave", &code);
    let (announce, _) = timed_sync(&mut dave);
    let (snapshot, wire) = timed_sync(alice);
    let t0 = Instant::now();
    let mut rounds = 0;
    while dave.ledger_json() != alice.ledger_json() && rounds < 5 {
        timed_sync(&mut dave);
        rounds += 1;
    }
    let catch_up = t0.elapsed();
    println!(
        "Dave joins a group of {events} events: his announcing round {} ms; Alice's round that sends him the snapshot {} ms ({} KiB put over 3 relays); his {rounds} round(s) to hold the whole ledger {} ms.",
        ms(announce),
        ms(snapshot),
        kib(wire.put_bytes),
        ms(catch_up)
    );
    settle(&mut [alice, bob, carol, &mut dave], 8);
}

fn main() {
    // `cargo bench` passes `--bench`; run only then (or when asked directly), never
    // under `cargo test`.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let relays = Relays::start("bench-sync", BASE_PORT, 600, &["a", "b", "c"]);
    let urls = relays.urls();
    let (mut alice, mut bob, mut carol) = trio("bench-sync", &urls);
    settle(&mut [&mut alice, &mut bob, &mut carol], 6);

    println!("### One expense, three members\n");
    round_trip(&mut alice, &mut bob, &mut carol);
    println!("\n### Batch size\n");
    batches(&mut alice, &mut bob, &mut carol);
    println!("\n### Joining with history\n");
    joining(&mut alice, &mut bob, &mut carol);
}
