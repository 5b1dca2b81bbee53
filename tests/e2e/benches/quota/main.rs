//! Relay quota benchmark: a realistic group's day against real local relays, counted per
//! relay against the free plan's daily limits. Five members, fifty records a day, each
//! member's app open two hours a day (eight sessions of 15 minutes between 07:00 and
//! 23:00) with push connected; the day runs compressed (`GFMS_QUOTA_COMPRESSION`, 240×
//! by default: 16 hours in 4 minutes, the relays' one-hour TTL in 15 s). Requests are
//! counted at a delay proxy in front of each relay (`scripts/delay-proxy.mjs`, at 0 ms:
//! compressed, any RTT would round to nothing) and by the phones themselves per trigger;
//! `cost.rs` maps each route to the KV and Durable Object operations its code performs.
//! Prints Markdown. A measurement, never a test.
//!
//! `cargo bench -p gfms-e2e --bench quota`

mod cost;
mod day;

use std::collections::BTreeMap;
use std::time::Instant;

use gfms_e2e::device::settle;
use gfms_e2e::{DelayProxies, Device, Relays};
use serde_json::Value;

use cost::{Usage, relay_usage};
use day::{Clock, PhoneLog, Trigger, phone, plan};

const RELAY_BASE: u16 = 8961;
const PROXY_PORTS: [u16; 3] = [8964, 8965, 8966];
const MEMBERS: [&str; 5] = ["Ana", "Ben", "Cleo", "Dan", "Eve"];
const RECORDS: usize = 50;
const SESSIONS: usize = 8;
const SESSION_S: f64 = 15.0 * 60.0;
/// 07:00 to 23:00.
const WAKING_S: f64 = 16.0 * 3600.0;
const TTL_S: f64 = 3600.0;
const SEED: u64 = 0x006d_656d_6265_7273;

fn n(x: f64) -> String {
    // (a sum of nothing is -0.0)
    let x = x + 0.0;
    if x >= 100.0 {
        format!("{:.0}", x)
    } else if x >= 10.0 {
        format!("{:.1}", x)
    } else {
        format!("{:.2}", x)
    }
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let compression: f64 = std::env::var("GFMS_QUOTA_COMPRESSION")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(240.0);
    let ttl = (TTL_S / compression).round().max(2.0) as u64;
    let relays = Relays::start("bench-quota", RELAY_BASE, ttl, &["a", "b", "c"]);
    let log_path = gfms_e2e::root().join("target/bench/quota.jsonl");
    let _ = std::fs::create_dir_all(log_path.parent().expect("dir"));
    let _ = std::fs::remove_file(&log_path);
    let proxies = DelayProxies::start(&PROXY_PORTS, &relays.urls(), 0, Some(&log_path));

    // The group, set up and settled before the day starts.
    let mut devices = vec![Device::create("bench-quota", MEMBERS[0], &proxies.urls, 2)];
    let code = devices[0].invite();
    for name in &MEMBERS[1..] {
        devices.push(Device::join("bench-quota", name, &code));
    }
    {
        let mut refs: Vec<&mut Device> = devices.iter_mut().collect();
        settle(&mut refs, 12);
    }
    let the_plan = plan(MEMBERS.len(), SESSIONS, SESSION_S, WAKING_S, RECORDS, SEED);

    proxies.mark("day");
    let clock = Clock {
        start: Instant::now(),
        compression,
    };
    let handles: Vec<_> = devices
        .into_iter()
        .enumerate()
        .map(|(i, device)| {
            let sessions = the_plan.sessions[i].clone();
            let writes = the_plan.writes[i].clone();
            std::thread::spawn(move || phone(device, sessions, writes, clock))
        })
        .collect();
    let logs: Vec<PhoneLog> = handles
        .into_iter()
        .map(|h| h.join().expect("phone thread").1)
        .collect();
    let took = clock.start.elapsed();
    proxies.mark("end");
    drop(proxies); // flushes the log

    report(&logs, &log_path, compression, ttl, took.as_secs_f64());
}

/// The day's log lines per proxy port, from the "day" mark on, in time order.
fn day_lines(path: &std::path::Path) -> BTreeMap<u64, Vec<Value>> {
    let text = std::fs::read_to_string(path).expect("proxy log");
    let mut started = false;
    let mut out: BTreeMap<u64, Vec<Value>> = BTreeMap::new();
    for line in text.lines() {
        let Ok(v) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        match v["mark"].as_str() {
            Some("day") => started = true,
            Some("end") => started = false,
            Some(_) => {}
            None if started => out
                .entry(v["port"].as_u64().unwrap_or(0))
                .or_default()
                .push(v),
            None => {}
        }
    }
    for lines in out.values_mut() {
        lines.sort_by_key(|l| l["t"].as_u64().unwrap_or(0));
    }
    out
}

/// Per relay (by proxy URL), requests the phones sent: (trigger, kind) → count.
type Matrix = BTreeMap<String, BTreeMap<(Trigger, &'static str), f64>>;

fn matrix(logs: &[PhoneLog]) -> Matrix {
    let mut m = Matrix::new();
    for log in logs {
        for ((trigger, kind, relay), count) in &log.requests {
            *m.entry(relay.clone())
                .or_default()
                .entry((*trigger, *kind))
                .or_default() += *count as f64;
        }
    }
    m
}

/// Mean over relays of the requests (preflights included) matching `pick`.
fn per_relay(m: &Matrix, pick: impl Fn(Trigger, &str) -> bool) -> f64 {
    let total: f64 = m
        .values()
        .map(|cells| {
            cells
                .iter()
                .filter(|((t, k), _)| pick(*t, k))
                .map(|(_, c)| c)
                .sum::<f64>()
        })
        .sum();
    total / m.len().max(1) as f64
}

fn report(logs: &[PhoneLog], log_path: &std::path::Path, compression: f64, ttl: u64, took_s: f64) {
    let lines = day_lines(log_path);
    let m = matrix(logs);
    let preflights_by_port: BTreeMap<u64, f64> = m
        .iter()
        .map(|(relay, cells)| {
            let port = relay
                .rsplit(':')
                .next()
                .and_then(|p| p.parse().ok())
                .unwrap_or(0);
            let pf = cells
                .iter()
                .filter(|((_, k), _)| *k == "preflight")
                .map(|(_, c)| c)
                .sum();
            (port, pf)
        })
        .collect();
    let usages: Vec<Usage> = lines
        .iter()
        .map(|(port, l)| relay_usage(l, preflights_by_port.get(port).copied().unwrap_or(0.0)))
        .collect();
    let mut mean = Usage::default();
    for u in &usages {
        mean.add(u);
    }
    let mean = mean.scaled(1.0 / usages.len().max(1) as f64);
    let max_of = |f: fn(&Usage) -> f64| usages.iter().map(f).fold(0.0, f64::max);

    let rounds: BTreeMap<Trigger, usize> = logs.iter().fold(BTreeMap::new(), |mut acc, l| {
        for (t, c) in &l.rounds {
            *acc.entry(*t).or_default() += c;
        }
        acc
    });
    let batches: usize = logs.iter().map(|l| l.batches_sent).sum();
    let write_sessions: usize = logs.iter().map(|l| l.sessions_with_writes).sum();
    let pushes: usize = logs.iter().map(|l| l.pushes).sum();
    let failed: usize = logs.iter().map(|l| l.failed_rounds).sum();

    println!(
        "{} members, {RECORDS} records, each member's app open {} × {} min between 07:00 and 23:00 (seeded random sessions), push sockets open while the app is; compressed {compression}×: the day ran in {took_s:.0} s, the relays' TTL was {ttl} s (3600 s ÷ {compression}). {batches} batches sent, {pushes} push messages received, {failed} failed rounds.\n",
        MEMBERS.len(),
        SESSIONS,
        SESSION_S as u64 / 60,
    );

    println!(
        "**Rounds and requests by what triggered them** (requests: mean per relay per day; preflights are what Safari would send first, one per URL per 10 min)\n"
    );
    let kinds = [
        "list",
        "fetch",
        "put",
        "ack",
        "status",
        "delete",
        "register",
        "preflight",
    ];
    println!(
        "| trigger | rounds (all phones) | requests per relay | {} |",
        kinds.join(" | ")
    );
    println!("| --- | ---: | ---: |{}", " ---: |".repeat(kinds.len()));
    for t in Trigger::ALL {
        let total = per_relay(&m, |tt, _| tt == t);
        let cells: Vec<String> = kinds
            .iter()
            .map(|k| n(per_relay(&m, |tt, kk| tt == t && kk == *k)))
            .collect();
        println!(
            "| {} | {} | {} | {} |",
            t.name(),
            rounds.get(&t).copied().unwrap_or(0),
            n(total),
            cells.join(" | ")
        );
    }
    let all = per_relay(&m, |_, _| true);
    println!(
        "| **all** | {} | {} | {} |",
        rounds.values().sum::<usize>(),
        n(all),
        kinds
            .iter()
            .map(|k| n(per_relay(&m, |_, kk| kk == *k)))
            .collect::<Vec<_>>()
            .join(" | ")
    );

    println!(
        "\n**Per relay per day, against the free plan** (mean of the three relays; the busiest in brackets)\n"
    );
    println!(
        "| resource | used per day | free limit per day | share of the limit | groups per free account by this limit |"
    );
    println!("| --- | ---: | ---: | ---: | ---: |");
    let maxes = [
        max_of(|u| u.worker_requests),
        max_of(|u| u.do_requests),
        max_of(|u| u.kv_reads),
        max_of(|u| u.kv_writes),
        max_of(|u| u.kv_deletes),
        max_of(|u| u.rows_read),
        max_of(|u| u.rows_written),
        max_of(|u| u.do_gb_s),
    ];
    for ((name, used, limit), max) in mean.against_free().into_iter().zip(maxes) {
        println!(
            "| {name} | {} ({}) | {} | {:.2} % | {} |",
            n(used),
            n(max),
            n(limit),
            used / limit * 100.0,
            if used > 0.0 {
                n(limit / used)
            } else {
                "–".into()
            }
        );
    }
    println!(
        "| (of which DO alarm invocations) | {} | | | |",
        n(mean.alarms)
    );
    let (groups, binding) = mean.groups_per_free_account();
    println!(
        "\nOne free account carries **{} such groups** per relay; the limit that binds is {binding}.\n",
        groups.floor()
    );

    println!("**A paid account (Workers Paid) for 1,000 such groups**, per relay, 30 days:\n");
    println!("| line | used per month | cost |");
    println!("| --- | ---: | ---: |");
    let bill = mean.paid_month(1000.0);
    let total: f64 = bill.iter().map(|(_, _, c)| c).sum();
    for (line, used, cost) in &bill {
        println!(
            "| {line} | {} | ${cost:.2} |",
            if *used > 0.0 { n(*used) } else { "–".into() }
        );
    }
    println!("| **total** | | **${total:.2}** |");

    reductions(&m, &mean, batches, write_sessions);
}

/// What each planned change would save, from this day's counts, and where all of them
/// together would put the group count.
fn reductions(m: &Matrix, mean: &Usage, batches: usize, write_sessions: usize) {
    // Requests the phones sent (preflights included); the proxy also saw the WebSocket
    // upgrades, which no change here touches.
    let sent = per_relay(m, |_, _| true);
    // The usage if only the requests `keep` picks were sent: each request removed is one
    // Worker request and (preflights aside) one Durable Object request.
    let keeping = |keep: &dyn Fn(Trigger, &str) -> bool| {
        let kept = per_relay(m, |t, k| keep(t, k));
        let kept_do = per_relay(m, |t, k| keep(t, k) && k != "preflight");
        let mut u = *mean;
        u.worker_requests -= sent - kept;
        u.do_requests -= per_relay(m, |_, k| k != "preflight") - kept_do;
        u
    };
    let batch_share = if batches > 0 {
        1.0 - write_sessions as f64 / batches as f64
    } else {
        0.0
    };
    // Batching removes that share of what batches cause: their puts (re-puts too),
    // fetches, acks, deletes, the rounds their pushes start, their KV writes and deletes.
    let caused = |t: Trigger, k: &str| {
        matches!(k, "put" | "fetch" | "ack" | "delete") || t == Trigger::PushPut
    };
    let batched = |u: &Usage, keep: &dyn Fn(Trigger, &str) -> bool| {
        let saved = per_relay(m, |t, k| keep(t, k) && caused(t, k)) * batch_share;
        let mut b = *u;
        b.worker_requests -= saved;
        b.do_requests -= saved;
        b.kv_writes *= 1.0 - batch_share;
        b.kv_deletes *= 1.0 - batch_share;
        b.rows_written *= 1.0 - batch_share * 0.5;
        b
    };
    let all = |_: Trigger, _: &str| true;

    println!(
        "\n**Reductions still open** (each alone, from this run's counts per relay per day)\n"
    );
    println!(
        "| change | what it removes | Worker requests after | DO requests after | KV writes after | groups per free account after (binding limit) |"
    );
    println!("| --- | --- | ---: | ---: | ---: | --- |");
    let row = |name: &str, what: &str, u: &Usage| {
        let (g, b) = u.groups_per_free_account();
        println!(
            "| {name} | {what} | {} | {} | {} | {} ({b}) |",
            n(u.worker_requests),
            n(u.do_requests),
            n(u.kv_writes),
            g.floor()
        );
    };
    row("none (today)", "–", mean);
    row(
        "no status request left on its own",
        "every status request the listings did not carry (relays older than the POST listing, relays not listed in the round, a snapshot put in the round)",
        &keeping(&|_, k| k != "status"),
    );
    row(
        "no ack request left on its own",
        "every ack not carried by a listing (acks of batches fetched in the round go after its save; they would wait for the next round's listing, and the sender for them)",
        &keeping(&|_, k| k != "ack"),
    );
    row(
        "batching a session's records",
        &format!(
            "{batches} batches → {write_sessions} (one per session with writes): {:.0} % of what batches cause",
            batch_share * 100.0
        ),
        &batched(mean, &all),
    );
    let keep_all = |_: Trigger, k: &str| k != "status" && k != "ack";
    let together = batched(&keeping(&keep_all), &keep_all);
    let (g, b) = together.groups_per_free_account();
    let bill: f64 = together.paid_month(1000.0).iter().map(|(_, _, c)| c).sum();
    println!(
        "\nAll of them together: about **{} groups per free account** ({b} binds: {} Worker requests per relay per day), and 1,000 groups on a paid account for about ${bill:.2} a month per relay.",
        g.floor(),
        n(together.worker_requests)
    );
}
