//! Simulated relays, in memory: the relay API's semantics (fetch and ack counting,
//! listing what a member has not fetched, idempotent puts) without workerd, and a driver
//! that runs a device's round against them. Shared by the proptest (`simulated.rs`) and
//! the saved-state fixture test (`saved_state.rs`). Their contents serialise, so a fixture
//! can hold a whole world: relays and the devices' saved states.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};

use gfms_protocol::paths::Route;
use gfms_protocol::{
    AckRequest, AckResponse, DeleteResponse, ListResponse, ListedShare, MemberId, PutShareRequest,
    RegisterRequest, ShareBody, ShareId, ShareStatus, StatusRequest, StatusResponse, TokenHash,
};
use gfms_sync::{Group, HttpRequest, Method, Outcome, Round, Step, SyncReport};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

#[derive(Default, Serialize, Deserialize)]
pub struct Share {
    pub data: String,
    pub fetchers: BTreeSet<MemberId>,
    pub ackers: BTreeSet<MemberId>,
}

#[derive(Default, Serialize, Deserialize)]
pub struct SimRelay {
    pub up: bool,
    pub groups: BTreeMap<String, (TokenHash, BTreeMap<ShareId, Share>)>,
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
    pub fn up() -> Self {
        Self {
            up: true,
            ..Self::default()
        }
    }

    /// Shares held, over every group.
    pub fn share_count(&self) -> usize {
        self.groups.values().map(|(_, s)| s.len()).sum()
    }

    /// Forgets every share (the TTL passed).
    pub fn expire(&mut self) {
        for (_, shares) in self.groups.values_mut() {
            shares.clear();
        }
    }

    pub fn handle(&mut self, r: &HttpRequest) -> Outcome {
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
                        },
                        None => ShareStatus {
                            id: sid,
                            live: false,
                            fetch_count: 0,
                            fetchers: Vec::new(),
                            ackers: Vec::new(),
                            recipients: Vec::new(),
                            expires_at: 0,
                        },
                    })
                    .collect();
                json(200, &StatusResponse { shares: out })
            }
            _ => status(405),
        }
    }
}

/// Relay `i`'s URL.
pub fn url(i: usize) -> String {
    format!("http://relay{i}.test")
}

/// Which relay a request goes to.
pub fn relay_index(r: &HttpRequest) -> Option<usize> {
    (0..10).find(|i| r.url.starts_with(&format!("{}/", url(*i))))
}

/// What a test does with each step of a round.
pub enum Act {
    /// Carry the request to its relay.
    Send,
    /// Answer it with this outcome instead.
    Answer(Outcome),
    /// Stop the round here (a crash): nothing after this is sent or saved.
    Crash,
}

/// How a round ended.
pub enum Ended {
    Done(SyncReport),
    Crashed,
}

/// Runs one round of `group` against `relays`. `persist` is called at each save point;
/// `choose` decides about each request (in the order the round gives them).
pub fn run_round(
    group: &mut Group,
    relays: &mut [SimRelay],
    now_ms: u64,
    persist: &mut dyn FnMut(&Group),
    choose: &mut dyn FnMut(&HttpRequest) -> Act,
) -> Ended {
    let mut round = Round::new(group, now_ms);
    loop {
        match round.next(group) {
            Step::Persist => {
                persist(group);
                round.persisted();
            }
            Step::Done(report) => return Ended::Done(report),
            Step::Requests(reqs) => {
                for r in reqs {
                    let outcome = match choose(&r) {
                        Act::Crash => return Ended::Crashed,
                        Act::Answer(o) => o,
                        Act::Send => match relay_index(&r).and_then(|i| relays.get_mut(i)) {
                            Some(relay) => relay.handle(&r),
                            None => Outcome::Failed("no such host".into()),
                        },
                    };
                    round.handle(group, r.id, outcome);
                }
            }
        }
    }
}

/// Which relay a URL is.
pub fn relay_index_of(relay_url: &str) -> Option<usize> {
    (0..10).find(|i| relay_url == url(*i))
}
