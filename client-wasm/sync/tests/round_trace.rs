//! The requests a round makes, in order, and where it saves: a golden trace of a fixed
//! story (three members join, write, a relay goes down, a relay forgets everything, a
//! device crashes mid-upload and resumes) against simulated relays. The group uses
//! `k = n = 3`, so a receiver has no relay to choose (with `k < n` the engine picks
//! relays at random, and the trace would differ from run to run); ids are left out. A change to the engine that changes what it asks of relays or when it saves shows
//! here as a diff; if the change is meant, rewrite the trace with
//! `GFMS_WRITE_TRACE=1 cargo test -p gfms-sync --test round_trace` and review the diff.
#![cfg(not(target_arch = "wasm32"))]

mod sim;

use std::fmt::Write as _;
use std::path::PathBuf;

use gfms_ledger::{Expense, GroupSettings, Split};
use gfms_sync::{Group, HttpRequest, Method, Round, Step, SyncReport};
use sim::SimRelay;

struct Story {
    relays: Vec<SimRelay>,
    devices: Vec<Group>,
    saved: Vec<String>,
    trace: String,
    now: u64,
}

fn kind(r: &HttpRequest) -> String {
    let relay = sim::relay_index(r).map_or("?".to_string(), |i| i.to_string());
    let path = r.url.split('?').next().unwrap_or_default();
    if r.method == Method::Post && path.ends_with("/shares") {
        // A listing that carries status asked and acks sent (issue 17).
        let v: serde_json::Value =
            serde_json::from_slice(r.body.as_deref().unwrap_or_default()).unwrap_or_default();
        let n = |part: &str| v[part].as_array().map_or(0, Vec::len);
        let mut out = format!("list@{relay}");
        for part in ["status", "acks"] {
            if n(part) > 0 {
                write!(out, "+{part}({})", n(part)).unwrap();
            }
        }
        return out;
    }
    let what = match r.method {
        Method::Post if path.ends_with("/acks") => "ack",
        Method::Post if path.ends_with("/status") => "status",
        Method::Post => "register",
        Method::Put => "put",
        Method::Delete => "delete",
        Method::Get if path.ends_with("/shares") => "list",
        // Which relay a share is fetched from is chosen at random.
        Method::Get => return "fetch".into(),
    };
    let body = r.body.as_ref().map(|b| {
        let v: serde_json::Value = serde_json::from_slice(b).unwrap_or_default();
        v["shares"].as_array().map_or(0, Vec::len)
    });
    match body {
        Some(n) if n > 0 => format!("{what}@{relay}({n})"),
        _ => format!("{what}@{relay}"),
    }
}

fn summary(r: &SyncReport) -> String {
    let relays: Vec<String> = r
        .relays
        .iter()
        .map(|x| {
            format!(
                "{}:{:?}",
                sim::relay_index_of(&x.url).unwrap_or(9),
                x.health
            )
        })
        .collect();
    let pending: Vec<String> = r
        .pending
        .iter()
        .map(|p| {
            format!(
                "{}ev sum_s={} target={} missing={} reput={}",
                p.events,
                p.sum_s,
                p.target,
                p.missing.len(),
                p.reput.len()
            )
        })
        .collect();
    format!(
        "sent={} received={}/{}ev completed={} reput={} relays=[{}] pending=[{}]",
        r.sent_batches,
        r.received_batches,
        r.received_events,
        r.completed_batches,
        r.reput_shares,
        relays.join(" "),
        pending.join("; ")
    )
}

impl Story {
    fn new() -> Self {
        let urls: Vec<String> = (0..3).map(sim::url).collect();
        let settings = GroupSettings {
            name: "Trace".into(),
            currency: "EUR".into(),
            categories: vec![],
            accounts: vec![],
        };
        let now = 1_795_000_000_000;
        let mut alice = Group::create(settings, "Alice", &urls, 3, now).unwrap();
        let invite = alice.invite();
        let devices = vec![
            alice,
            Group::join(&invite, "Bob", now).unwrap(),
            Group::join(&invite, "Carol", now).unwrap(),
        ];
        let saved = devices.iter().map(|g| g.save().unwrap()).collect();
        Self {
            relays: (0..3).map(|_| SimRelay::up()).collect(),
            devices,
            saved,
            trace: String::new(),
            now,
        }
    }

    /// One round of device `d`, traced; it crashes before request number `crash_at`.
    fn sync(&mut self, d: usize, crash_at: Option<usize>) {
        self.now += 1000;
        let _ = writeln!(self.trace, "round {}", ["alice", "bob", "carol"][d]);
        let group = &mut self.devices[d];
        let mut round = Round::new(group, self.now);
        let mut sent = 0;
        loop {
            match round.next(group) {
                Step::Persist => {
                    self.trace.push_str("  persist\n");
                    self.saved[d] = group.save().unwrap();
                    round.persisted();
                }
                Step::Done(report) => {
                    let _ = writeln!(self.trace, "  done {}", summary(&report));
                    self.saved[d] = group.save().unwrap();
                    return;
                }
                Step::Requests(reqs) => {
                    let mut kinds: Vec<String> = reqs.iter().map(kind).collect();
                    kinds.sort();
                    let _ = writeln!(self.trace, "  requests {}", kinds.join(" "));
                    for r in reqs {
                        if crash_at.is_some_and(|n| sent >= n) {
                            self.trace.push_str("  crash\n");
                            self.devices[d] = Group::load(&self.saved[d]).unwrap();
                            return;
                        }
                        sent += 1;
                        let outcome = match sim::relay_index(&r) {
                            Some(i) => self.relays[i].handle(&r),
                            None => gfms_sync::Outcome::Failed("no such host".into()),
                        };
                        round.handle(group, r.id, outcome);
                    }
                }
            }
        }
    }

    fn add(&mut self, d: usize, cents: i64) {
        let g = &mut self.devices[d];
        let me = g.me();
        let members = g.state().active_members().map(|(m, _)| *m).collect();
        let e = Expense {
            title: String::new(),
            amount: cents,
            currency: "EUR".into(),
            rate: None,
            category: "c".into(),
            shop: "s".into(),
            account: "a".into(),
            payers: vec![(me, cents)],
            split: Split::Equal { members },
            date: "2026-11-25".into(),
            note: String::new(),
            ..Default::default()
        };
        g.add_expense(e, self.now).unwrap();
        self.saved[d] = g.save().unwrap();
        let _ = writeln!(self.trace, "add {}", ["alice", "bob", "carol"][d]);
    }
}

#[test]
fn a_fixed_story_makes_the_same_requests_and_saves_as_ever() {
    let mut s = Story::new();
    // Joining: snapshots go out, everyone hears of everyone.
    for _ in 0..3 {
        for d in 0..3 {
            s.sync(d, None);
        }
    }
    s.add(0, 1250);
    s.add(0, 700);
    s.sync(0, None);
    s.sync(1, None);
    s.sync(0, None);
    // Relay 1 down: Bob's write waits for it to come back (k = 3), Carol cannot open it yet.
    s.relays[1].up = false;
    s.add(1, 990);
    s.sync(1, None);
    s.sync(2, None);
    s.relays[1].up = true;
    // Relay 0 forgets every share: the senders put their copies there again.
    s.relays[0].expire();
    s.sync(0, None);
    s.sync(1, None);
    // Carol crashes after two requests of an upload, then resumes.
    s.add(2, 4321);
    s.sync(2, Some(2));
    s.sync(2, None);
    for _ in 0..3 {
        for d in 0..3 {
            s.sync(d, None);
        }
    }
    assert_eq!(
        s.relays.iter().map(SimRelay::share_count).sum::<usize>(),
        0,
        "the story ends with the relays empty"
    );

    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/round-trace.txt");
    if std::env::var("GFMS_WRITE_TRACE").is_ok() {
        std::fs::write(&path, &s.trace).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap();
    if s.trace != expected {
        for (i, (a, b)) in s.trace.lines().zip(expected.lines()).enumerate() {
            assert_eq!(a, b, "trace line {} differs", i + 1);
        }
        assert_eq!(
            s.trace.lines().count(),
            expected.lines().count(),
            "trace length"
        );
    }
}
