//! The sync engine against simulated relays, in memory: the relay API's semantics (fetch
//! and ack counting, listing what a member has not fetched, idempotent puts) without
//! workerd, so thousands of random schedules run in seconds. Relays go down, come back,
//! and lose every share (as at the TTL); devices write and sync in any order. Whatever
//! happens, once the relays are up and everyone syncs, all devices hold one ledger and no
//! outgoing batch is left. The same engine runs against real relays in tests/e2e.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};

use gfms_ledger::{Expense, GroupSettings, MemberId as Member, Split};
use gfms_protocol::paths::Route;
use gfms_protocol::{
    AckRequest, AckResponse, DeleteResponse, ListResponse, ListedShare, MemberId, PutShareRequest,
    RegisterRequest, ShareBody, ShareId, ShareStatus, StatusRequest, StatusResponse, TokenHash,
};
use gfms_sync::{Group, HttpRequest, Method, Outcome, Round, Step};
use proptest::prelude::*;
use sha2::{Digest, Sha256};

#[derive(Default)]
struct Share {
    data: String,
    fetchers: BTreeSet<MemberId>,
    ackers: BTreeSet<MemberId>,
}

#[derive(Default)]
struct SimRelay {
    up: bool,
    groups: BTreeMap<String, (TokenHash, BTreeMap<ShareId, Share>)>,
}

fn json<T: serde::Serialize>(status: u16, v: &T) -> Outcome {
    Outcome::Response {
        status,
        body: serde_json::to_vec(v).unwrap(),
    }
}

fn status(code: u16) -> Outcome {
    Outcome::Response {
        status: code,
        body: br#"{"error":"x","message":"x"}"#.to_vec(),
    }
}

impl SimRelay {
    fn handle(&mut self, r: &HttpRequest) -> Outcome {
        if !self.up {
            return Outcome::Failed("connection refused".into());
        }
        let rest = r.url.splitn(4, '/').nth(3).unwrap_or_default();
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let member = query
            .split('&')
            .find_map(|kv| kv.strip_prefix("member="))
            .and_then(|m| MemberId::parse(m).ok());
        let Ok(route) = Route::parse(&format!("/{path}")) else {
            return status(404);
        };
        let body = r.body.clone().unwrap_or_default();
        if let Route::Group(gid) = route {
            let req: RegisterRequest = serde_json::from_slice(&body).unwrap();
            return match self.groups.get(&gid.to_string()) {
                Some((h, _)) if *h == req.token_sha256 => {
                    json(200, &serde_json::json!({"created": false}))
                }
                Some(_) => status(409),
                None => {
                    self.groups
                        .insert(gid.to_string(), (req.token_sha256, BTreeMap::new()));
                    json(201, &serde_json::json!({"created": true}))
                }
            };
        }
        let gid = match route {
            Route::Shares(g)
            | Route::Share(g, _)
            | Route::Acks(g)
            | Route::Status(g)
            | Route::Ws(g) => g,
            _ => return status(404),
        };
        let Some((hash, shares)) = self.groups.get_mut(&gid.to_string()) else {
            return status(404);
        };
        let token = r
            .headers
            .iter()
            .find(|(k, _)| k == "authorization")
            .and_then(|(_, v)| v.strip_prefix("Bearer "))
            .and_then(|t| hex::decode(t).ok())
            .unwrap_or_default();
        let digest: [u8; 32] = Sha256::digest(&token).into();
        if digest != *hash.as_bytes() {
            return status(401);
        }
        match (r.method, route) {
            (Method::Put, Route::Share(_, sid)) => {
                let req: PutShareRequest = serde_json::from_slice(&body).unwrap();
                match shares.get(&sid) {
                    Some(s) if s.data != req.data => status(409),
                    Some(_) => json(
                        200,
                        &serde_json::json!({"id": sid, "expires_at": 1, "created": false}),
                    ),
                    None => {
                        shares.insert(
                            sid,
                            Share {
                                data: req.data,
                                ..Share::default()
                            },
                        );
                        json(
                            201,
                            &serde_json::json!({"id": sid, "expires_at": 1, "created": true}),
                        )
                    }
                }
            }
            (Method::Get, Route::Shares(_)) => {
                let m = member.unwrap();
                let listed = shares
                    .iter()
                    .filter(|(_, s)| !s.fetchers.contains(&m))
                    .map(|(id, s)| ListedShare {
                        id: *id,
                        size: s.data.len() as u64,
                        put_at: 0,
                        expires_at: 1,
                    })
                    .collect();
                json(
                    200,
                    &ListResponse {
                        shares: listed,
                        next_cursor: None,
                    },
                )
            }
            (Method::Get, Route::Share(_, sid)) => match shares.get_mut(&sid) {
                Some(s) => {
                    s.fetchers.insert(member.unwrap());
                    json(
                        200,
                        &ShareBody {
                            id: sid,
                            data: s.data.clone(),
                            expires_at: 1,
                        },
                    )
                }
                None => status(404),
            },
            (Method::Delete, Route::Share(_, sid)) => json(
                200,
                &DeleteResponse {
                    deleted: shares.remove(&sid).is_some(),
                },
            ),
            (Method::Post, Route::Acks(_)) => {
                let req: AckRequest = serde_json::from_slice(&body).unwrap();
                let mut answer = AckResponse::default();
                for sid in req.shares {
                    match shares.get_mut(&sid) {
                        Some(s) => {
                            s.ackers.insert(req.member);
                            answer.acked.push(sid);
                        }
                        None => answer.unknown.push(sid),
                    }
                }
                json(200, &answer)
            }
            (Method::Post, Route::Status(_)) => {
                let req: StatusRequest = serde_json::from_slice(&body).unwrap();
                let out = req
                    .shares
                    .into_iter()
                    .map(|sid| match shares.get(&sid) {
                        Some(s) => ShareStatus {
                            id: sid,
                            live: true,
                            fetch_count: s.fetchers.len() as u64,
                            fetchers: s.fetchers.iter().copied().collect(),
                            ackers: s.ackers.iter().copied().collect(),
                            recipients: Vec::new(),
                            expires_at: 1,
                            receipts: Vec::new(),
                        },
                        None => ShareStatus {
                            id: sid,
                            live: false,
                            fetch_count: 0,
                            fetchers: Vec::new(),
                            ackers: Vec::new(),
                            recipients: Vec::new(),
                            expires_at: 0,
                            receipts: Vec::new(),
                        },
                    })
                    .collect();
                json(200, &StatusResponse { shares: out })
            }
            _ => status(405),
        }
    }
}

struct World {
    relays: Vec<SimRelay>,
    devices: Vec<Group>,
    /// What each device last saved: a crash restores this.
    saved: Vec<String>,
}

fn url(i: usize) -> String {
    format!("http://relay{i}.test")
}

impl World {
    fn new(members: usize) -> Self {
        let relays: Vec<SimRelay> = (0..3)
            .map(|_| SimRelay {
                up: true,
                ..SimRelay::default()
            })
            .collect();
        let urls: Vec<String> = (0..3).map(url).collect();
        let settings = GroupSettings {
            name: "Sim".into(),
            currency: "EUR".into(),
            categories: vec![],
            accounts: vec![],
        };
        let mut first = Group::create(settings, "m0", &urls, 2, 1).unwrap();
        let invite = first.invite();
        let mut devices = vec![first];
        for i in 1..members {
            devices.push(Group::join(&invite, &format!("m{i}"), 1).unwrap());
        }
        let saved = devices.iter().map(Group::save).collect();
        Self {
            relays,
            devices,
            saved,
        }
    }

    fn relay_of(&mut self, r: &HttpRequest) -> Option<&mut SimRelay> {
        (0..3)
            .find(|i| r.url.starts_with(&url(*i)))
            .map(|i| &mut self.relays[i])
    }

    /// One round for device `d`; `crash_after` requests, it stops and restores its save.
    fn sync(&mut self, d: usize, crash_after: Option<usize>) {
        let mut group =
            std::mem::replace(&mut self.devices[d], Group::load(&self.saved[d]).unwrap());
        let mut round = Round::new(&mut group, 2);
        let mut sent = 0;
        loop {
            match round.next(&mut group) {
                Step::Persist => {
                    self.saved[d] = group.save();
                    round.persisted();
                }
                Step::Done(_) => break,
                Step::Requests(reqs) => {
                    for r in reqs {
                        if crash_after.is_some_and(|n| sent >= n) {
                            self.devices[d] = Group::load(&self.saved[d]).unwrap();
                            return;
                        }
                        sent += 1;
                        let outcome = match self.relay_of(&r) {
                            Some(relay) => relay.handle(&r),
                            None => Outcome::Failed("no such host".into()),
                        };
                        round.handle(&mut group, r.id, outcome);
                    }
                }
            }
        }
        self.saved[d] = group.save();
        self.devices[d] = group;
    }

    fn add(&mut self, d: usize, cents: i64) {
        let g = &mut self.devices[d];
        if g.state().settings.is_none() {
            return; // not synced yet: the app refuses too
        }
        let me = g.me();
        let members: Vec<Member> = g.state().active_members().map(|(m, _)| *m).collect();
        let e = Expense {
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
        };
        g.add_expense(e, 3).unwrap();
        self.saved[d] = g.save();
    }
}

#[derive(Debug, Clone)]
enum Action {
    Add(usize, i64),
    Sync(usize),
    Crash(usize, usize),
    Down(usize),
    Up(usize),
    /// A relay forgets everything (the TTL passed).
    Expire(usize),
}

fn action(members: usize) -> impl Strategy<Value = Action> {
    prop_oneof![
        3 => (0..members, 1i64..10_000).prop_map(|(d, c)| Action::Add(d, c)),
        4 => (0..members).prop_map(Action::Sync),
        1 => (0..members, 0usize..12).prop_map(|(d, n)| Action::Crash(d, n)),
        1 => (0..3usize).prop_map(Action::Down),
        1 => (0..3usize).prop_map(Action::Up),
        1 => (0..3usize).prop_map(Action::Expire),
    ]
}

proptest! {
    // 64 schedules per `cargo test`; PROPTEST_CASES=N for a longer hunt.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(64),
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_schedule_of_writes_syncs_outages_crashes_and_expiry_converges(
        actions in proptest::collection::vec(action(3), 0..60)
    ) {
        let mut w = World::new(3);
        for a in actions {
            match a {
                Action::Add(d, c) => w.add(d, c),
                Action::Sync(d) => w.sync(d, None),
                Action::Crash(d, n) => w.sync(d, Some(n)),
                Action::Down(r) => {
                    // Keep k = 2 relays up at any time, as the threshold needs.
                    if w.relays.iter().filter(|x| x.up).count() > 2 {
                        w.relays[r].up = false;
                    }
                }
                Action::Up(r) => w.relays[r].up = true,
                Action::Expire(r) => {
                    for (_, shares) in w.relays[r].groups.values_mut() {
                        shares.clear();
                    }
                }
            }
        }
        for r in &mut w.relays {
            r.up = true;
        }
        for _ in 0..6 {
            for d in 0..3 {
                w.sync(d, None);
            }
        }
        let first = gfms_ledger::export_json(w.devices[0].ledger());
        for d in 1..3 {
            prop_assert_eq!(&gfms_ledger::export_json(w.devices[d].ledger()), &first);
        }
        for d in 0..3 {
            prop_assert_eq!(w.devices[d].outbox_len(), 0, "device {} still has batches out", d);
            prop_assert_eq!(w.devices[d].unsent_count(), 0);
        }
        let left: usize = w.relays.iter().flat_map(|r| r.groups.values()).map(|(_, s)| s.len()).sum();
        prop_assert_eq!(left, 0, "relays still hold shares");
    }
}
