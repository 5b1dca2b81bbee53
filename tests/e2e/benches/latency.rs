//! Latency benchmark: sync rounds as a member waits for them over a phone's network, with
//! the real engine, the native driver (each step's requests at once, at most six per
//! relay) and three real local relays (workerd) behind delay proxies
//! (`scripts/delay-proxy.mjs`) at 0, 40 and 150 ms round-trip time. Prints Markdown.
//! A measurement, never a test: nothing here passes or fails on a time.
//!
//! - the rounds of one expense, wave by wave: a "wave" is one `Step::Requests` batch,
//!   one round trip over a network, so a round should cost about waves × RTT;
//! - the `gfms` CLI: `sync` after one `add`, and the receiving member's `sync`;
//! - a newcomer catching up with 1,000 and 10,000 events.
//!
//! `cargo bench -p gfms-e2e --bench latency` (needs `target/debug/gfms`: `make cli`).
//! Only the newcomer part: `GFMS_BENCH_ONLY=newcomer`, narrowed with `GFMS_BENCH_EVENTS`
//! and `GFMS_BENCH_RTT` (comma-separated, e.g. `10000` and `0,40`); `GFMS_BENCH_PAUSE_S`
//! waits that long before each newcomer's measured part (to attach a profiler).

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use gfms_client::native::Trace;
use gfms_e2e::device::{settle, trio};
use gfms_e2e::{DelayProxies, Device, Relays};

/// Relays on 8951-8953, their delay proxies on 8954-8956.
const RELAY_BASE: u16 = 8951;
const PROXY_PORTS: [u16; 3] = [8954, 8955, 8956];
/// The round-trip times measured: loopback, a good mobile network, a poor one.
const RTTS: [u64; 3] = [0, 40, 150];
/// Repetitions per round and RTT.
const REPS: usize = 7;

fn ms(d: Duration) -> String {
    format!("{:.0}", d.as_secs_f64() * 1000.0)
}

/// The `p`-th percentile of `v` (nearest rank below).
fn percentile(v: &[Duration], p: usize) -> Duration {
    let mut sorted = v.to_vec();
    sorted.sort();
    sorted[(sorted.len() * p / 100).min(sorted.len() - 1)]
}

/// Requests per wave, as `3 · 3 · 2`.
fn shape(trace: &Trace) -> String {
    trace
        .waves
        .iter()
        .map(|w| w.requests.to_string())
        .collect::<Vec<_>>()
        .join(" · ")
}

/// One traced round of `device`, timed.
fn round(device: &mut Device) -> (Duration, Trace) {
    let t0 = Instant::now();
    let (_, trace) = device.sync_traced();
    (t0.elapsed(), trace)
}

/// What one kind of round cost over the repetitions at one RTT.
#[derive(Default)]
struct Rounds {
    times: Vec<Duration>,
    last: Trace,
}

impl Rounds {
    fn push(&mut self, (t, trace): (Duration, Trace)) {
        self.times.push(t);
        self.last = trace;
    }

    fn row(&self, rtt: u64, name: &str) {
        let waves = self.last.waves.len() as u64;
        let requests = self.last.requests() as u64;
        println!(
            "| {rtt} | {name} | {} | {} | {waves} | {} | {} | {} |",
            ms(percentile(&self.times, 50)),
            ms(percentile(&self.times, 90)),
            shape(&self.last),
            waves * rtt,
            requests * rtt,
        );
    }
}

/// The rounds of one expense from Alice to every member and off the relays, at each RTT.
fn waves(proxies: &DelayProxies) {
    proxies.set_rtt(0);
    let (mut alice, mut bob, mut carol) = trio("bench-latency", &proxies.urls);
    settle(&mut [&mut alice, &mut bob, &mut carol], 6);
    println!(
        "| RTT ms | round | p50 ms | p90 ms | waves | requests per wave | waves × RTT | requests × RTT |"
    );
    println!("| ---: | --- | ---: | ---: | ---: | --- | ---: | ---: |");
    for rtt in RTTS {
        proxies.set_rtt(rtt);
        let (mut send, mut bob_recv, mut carol_recv, mut cleanup, mut idle) = Default::default();
        let mut visible = Vec::new();
        for i in 0..REPS {
            let t0 = Instant::now();
            alice.add(1000 + i as i64, "bakery");
            Rounds::push(&mut send, round(&mut alice));
            Rounds::push(&mut bob_recv, round(&mut bob));
            visible.push(t0.elapsed());
            Rounds::push(&mut carol_recv, round(&mut carol));
            Rounds::push(&mut cleanup, round(&mut alice));
            Rounds::push(&mut idle, round(&mut bob));
        }
        send.row(rtt, "Alice sends one expense");
        bob_recv.row(rtt, "Bob receives it");
        carol_recv.row(rtt, "Carol receives it (her ack completes it)");
        cleanup.row(rtt, "Alice cleans up");
        idle.row(rtt, "a round with nothing new");
        println!(
            "| {rtt} | *Alice's round, then Bob's* | {} | {} | | | | |",
            ms(percentile(&visible, 50)),
            ms(percentile(&visible, 90)),
        );
    }
    proxies.set_rtt(0);
    settle(&mut [&mut alice, &mut bob, &mut carol], 6);
}

/// Runs `gfms --state DIR args…`; returns stdout and how long the process took.
fn gfms(state: &Path, args: &[&str]) -> (String, Duration) {
    let t0 = Instant::now();
    let out = Command::new(gfms_e2e::cli::bin())
        .arg("--state")
        .arg(state)
        .args(args)
        .output()
        .expect("run gfms");
    let took = t0.elapsed();
    assert!(
        out.status.success(),
        "gfms {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (String::from_utf8_lossy(&out.stdout).into_owned(), took)
}

/// The terminal client: a process per command, so every `sync` opens its connections
/// anew (one handshake RTT each, as the proxies emulate).
fn cli(proxies: &DelayProxies) {
    proxies.set_rtt(0);
    let base = gfms_e2e::root().join("target/e2e/bench-latency/cli");
    let _ = std::fs::remove_dir_all(&base);
    let (ann, ben, cid) = (base.join("ann"), base.join("ben"), base.join("cid"));
    let urls = proxies.urls.join(",");
    let (created, _) = gfms(
        &ann,
        &[
            "group", "create", "--name", "Trip", "--member", "Ann", "--relays", &urls, "--k", "2",
        ],
    );
    let code = created.lines().last().expect("invite").trim().to_string();
    gfms(&ben, &["group", "join", &code, "--member", "Ben"]);
    gfms(&cid, &["group", "join", &code, "--member", "Cid"]);
    for _ in 0..3 {
        for dir in [&ann, &ben, &cid] {
            gfms(dir, &["sync"]);
        }
    }
    println!("| RTT ms | command | p50 ms | p90 ms |");
    println!("| ---: | --- | ---: | ---: |");
    for rtt in RTTS {
        proxies.set_rtt(rtt);
        let (mut send, mut recv, mut idle) = (Vec::new(), Vec::new(), Vec::new());
        for i in 0..REPS {
            let amount = format!("{}.50", 10 + i);
            gfms(
                &ann,
                &[
                    "add",
                    "--amount",
                    &amount,
                    "--category",
                    "food",
                    "--shop",
                    "Deli",
                    "--account",
                    "cash",
                ],
            );
            send.push(gfms(&ann, &["sync"]).1);
            recv.push(gfms(&ben, &["sync"]).1);
            gfms(&cid, &["sync"]);
            gfms(&ann, &["sync"]);
            idle.push(gfms(&ben, &["sync"]).1);
        }
        for (name, times) in [
            ("`gfms sync` after one `add` (Ann sends)", &send),
            ("`gfms sync` that receives it (Ben)", &recv),
            ("`gfms sync` with nothing new", &idle),
        ] {
            println!(
                "| {rtt} | {name} | {} | {} |",
                ms(percentile(times, 50)),
                ms(percentile(times, 90))
            );
        }
    }
    proxies.set_rtt(0);
}

/// A newcomer joins a group whose history holds `events` events (all written by Alice,
/// the only member, so exactly one snapshot answers): Dave's announcing round, Alice's
/// round that seals and puts the snapshot, Dave's rounds until he holds the whole
/// ledger.
fn newcomer(proxies: &DelayProxies, events: usize, rtt: u64) {
    proxies.set_rtt(0);
    let name = format!("bench-latency-join-{events}-{rtt}");
    let mut alice = Device::create(&name, "Alice", &proxies.urls, 2);
    // At once, as an import records them (one by one, each add computes the state of
    // the whole history again: minutes for 10,000).
    let history: Vec<(i64, &str)> = (0..events)
        .map(|i| (100 + (i % 5000) as i64, "market"))
        .collect();
    alice.add_many(&history);
    for _ in 0..4 {
        alice.sync();
        if alice.group.outbox_len() == 0 && alice.group.unsent_count() == 0 {
            break;
        }
    }
    let code = alice.invite();
    let mut dave = Device::join(&name, "Dave", &code);
    if let Ok(wait) = std::env::var("GFMS_BENCH_PAUSE_S") {
        // Time to attach a profiler to the measured part only.
        eprintln!("newcomer {events}/{rtt}: measuring in {wait} s");
        std::thread::sleep(Duration::from_secs(wait.parse().unwrap_or(5)));
    }
    proxies.set_rtt(rtt);
    // The rounds are timed, not the bench's own comparisons of the two ledgers between
    // them (exporting 10,000 events twice is no part of joining).
    let (announce, _) = round(&mut dave);
    let t_snapshot = Instant::now();
    let (_, snapshot) = alice.sync_traced();
    let snapshot_time = t_snapshot.elapsed();
    let whole = alice.ledger_json();
    let mut catch_up = Duration::ZERO;
    let mut rounds = 0;
    let mut waves = 0;
    let mut shapes = Vec::new();
    while dave.ledger_json() != whole && rounds < 6 {
        let (took, trace) = round(&mut dave);
        catch_up += took;
        waves += trace.waves.len();
        shapes.push(shape(&trace));
        rounds += 1;
    }
    let total = announce + snapshot_time + catch_up;
    let held = dave.ledger_json() == whole;
    if !held {
        // Say what differs (stderr: the Markdown stays clean).
        let ids = |d: &Device| -> std::collections::BTreeSet<_> {
            d.group.ledger().stored().map(|e| e.id()).collect()
        };
        let (a, d) = (ids(&alice), ids(&dave));
        eprintln!(
            "newcomer {events}/{rtt}: Alice holds {} events, Dave {}; only Alice's: {:?}; only Dave's: {:?}",
            a.len(),
            d.len(),
            a.difference(&d).take(5).collect::<Vec<_>>(),
            d.difference(&a).take(5).collect::<Vec<_>>(),
        );
    }
    println!(
        "| {events} | {rtt} | {} | {} ({}) | {} ({rounds} round(s), {waves} waves: {}){} | {} |",
        ms(announce),
        ms(snapshot_time),
        shape(&snapshot),
        ms(catch_up),
        shapes.join(" / "),
        if held { "" } else { ", **not complete**" },
        ms(total),
    );
}

fn main() {
    // `cargo bench` passes `--bench`; run only then, never under `cargo test`.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    // `GFMS_BENCH_ONLY=newcomer` runs only the newcomer part, `GFMS_BENCH_EVENTS` and
    // `GFMS_BENCH_RTT` (comma-separated) narrow it: for measuring one change quickly.
    let only = std::env::var("GFMS_BENCH_ONLY").ok();
    let list = |var: &str, all: &[u64]| -> Vec<u64> {
        std::env::var(var)
            .ok()
            .map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect())
            .unwrap_or_else(|| all.to_vec())
    };
    let relays = Relays::start("bench-latency", RELAY_BASE, 600, &["a", "b", "c"]);
    let proxies = DelayProxies::start(&PROXY_PORTS, &relays.urls(), 0, None);

    if only.as_deref() != Some("newcomer") {
        println!("### The rounds of one expense, wave by wave\n");
        waves(&proxies);
        println!("\n### The terminal client\n");
        cli(&proxies);
    }
    println!("\n### A newcomer catching up\n");
    println!(
        "| events | RTT ms | Dave's announcing round ms | Alice's snapshot round ms (requests per wave) | Dave's catch-up ms (requests per wave) | join → whole ledger ms |"
    );
    println!("| ---: | ---: | ---: | ---: | ---: | ---: |");
    for events in list("GFMS_BENCH_EVENTS", &[1_000, 10_000]) {
        for rtt in list("GFMS_BENCH_RTT", &RTTS) {
            newcomer(&proxies, events as usize, rtt);
        }
    }
}
