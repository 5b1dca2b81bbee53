//! Simulated relays, in memory: the relay API's semantics (fetch and ack counting,
//! listing what a member has not fetched (as relays before push carried shares did; the
//! relay now also leaves out what it acked), idempotent puts that refresh the TTL,
//! exact expiry by the clock) without workerd, and the ways a relay
//! misbehaves: down, forgetful (shares lost before their TTL, the whole group state
//! lost), lying (shares left out of listings, another share's bytes served). Their
//! contents serialise, so a fixture can hold a whole world.

use std::collections::{BTreeMap, BTreeSet};

use gfms_protocol::paths::Route;
use gfms_protocol::{
    AckRequest, AckResponse, DeleteResponse, ListRequest, ListResponse, ListedShare, MemberId,
    PutShareRequest, Receipt, RegisterRequest, ShareBody, ShareId, ShareStatus, SimpleShareRequest,
    StatusRequest, StatusResponse, TokenHash,
};
use gfms_sync::{HttpRequest, Method, Outcome};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// How a relay lies, when it does.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lie {
    /// It does not.
    #[default]
    Honest,
    /// Leaves every other share out of its listings.
    OmitFromListings,
    /// Answers a fetch with the bytes of another share it holds.
    ServeAnotherShare,
    /// Lists every member it has seen as having fetched and acked every share, in every
    /// status answer (with the real receipts and one of its own making).
    FabricateAcks,
}

#[derive(Default, Serialize, Deserialize)]
pub struct Share {
    pub data: String,
    pub fetchers: BTreeSet<MemberId>,
    pub ackers: BTreeSet<MemberId>,
    /// The receipt each acker sent (opaque to the relay).
    #[serde(default)]
    pub receipts: BTreeMap<MemberId, Receipt>,
    /// Unix ms when it expires (0: never, as fixtures written before the clock).
    #[serde(default)]
    pub expires_at: u64,
}

#[derive(Default, Serialize, Deserialize)]
pub struct SimRelay {
    pub up: bool,
    pub groups: BTreeMap<String, (TokenHash, BTreeMap<ShareId, Share>)>,
    /// Share TTL in ms (0: shares never expire by themselves).
    #[serde(default)]
    pub ttl_ms: u64,
    /// The relay's clock (the world sets it).
    #[serde(default)]
    pub now_ms: u64,
    /// How it lies.
    #[serde(default)]
    pub lie: Lie,
    /// The member pseudonyms seen in requests, by group id (what a lying relay can list).
    #[serde(default)]
    pub seen: BTreeMap<String, BTreeSet<MemberId>>,
    /// How long re-puts may keep a share id alive, from its first put, in ms (0: for
    /// ever); past it a put answers 410 `gone`, as the real relay does.
    #[serde(default)]
    pub share_lifetime_ms: u64,
    /// When each share id was first put (kept past the bytes, as the relay's record is).
    #[serde(default)]
    pub first_put: BTreeMap<ShareId, u64>,
    /// A relay older than the simple form of share requests: it answers them 405, as
    /// relays before it do (the share route exists there with other methods).
    #[serde(default)]
    pub older: bool,
    /// Simple-form requests it took (none from a host that does not use them).
    #[serde(default)]
    pub simple_requests: usize,
    /// A relay older than the `POST` listing (status and acks riding along) and the
    /// simple form of status and acks, as relays before them: it answers the listing
    /// 405 and a status or ack without `Authorization` 401. An `older` relay is too.
    #[serde(default)]
    pub plain_listing: bool,
    /// Takes a `POST` listing but ignores what rides with it (answers a plain page
    /// with no `status` and no `acks`, records no ack): the client must ask as before.
    #[serde(default)]
    pub ignores_riding: bool,
    /// Leaves out of a member's listing what that member acked, as relays since inline
    /// pushes do (default: only what it fetched, as relays before them).
    #[serde(default)]
    pub leaves_out_acked: bool,
    /// `POST` listings it took.
    #[serde(default)]
    pub posted_listings: usize,
}

fn json<T: serde::Serialize>(status: u16, v: &T) -> Outcome {
    Outcome::Response {
        status,
        body: serde_json::to_vec(v).unwrap(),
    }
}

/// The relay's 404 for a group it does not hold, as workerd's relay answers it.
fn unknown_group() -> Outcome {
    Outcome::Response {
        status: 404,
        body: br#"{"error":"unknown_group","message":"no group under this id; register it"}"#
            .to_vec(),
    }
}

/// The relay's 404 for a share it does not hold: "share not found".
fn not_found(what: &str) -> Outcome {
    Outcome::Response {
        status: 404,
        body: format!(r#"{{"error":"not_found","message":"{what} not found"}}"#).into_bytes(),
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

    /// A simple-form share request (`POST` on a share's URL) as the classic request it
    /// stands for, as the real relay reads it; 405 from an older relay. `None`: not one.
    fn simple_to_classic(&mut self, r: &HttpRequest) -> Option<Result<HttpRequest, Outcome>> {
        let path = r.url.splitn(4, '/').nth(3)?.split('?').next()?;
        let share = matches!(Route::parse(&format!("/{path}")), Ok(Route::Share(..)));
        if r.method != Method::Post || !share {
            return None;
        }
        if self.older {
            return Some(Err(Outcome::Response {
                status: 405,
                body: br#"{"error":"method_not_allowed","message":"allowed: PUT, GET, DELETE"}"#
                    .to_vec(),
            }));
        }
        self.simple_requests += 1;
        let envelope: SimpleShareRequest<serde_json::Value> =
            serde_json::from_slice(r.body.as_deref().unwrap_or_default()).ok()?;
        let method = match envelope.method.as_str() {
            "PUT" => Method::Put,
            "GET" => Method::Get,
            _ => Method::Delete,
        };
        Some(Ok(HttpRequest {
            id: r.id,
            method,
            url: r.url.clone(),
            headers: vec![("authorization".into(), format!("Bearer {}", envelope.token))],
            body: envelope.body.map(|b| serde_json::to_vec(&b).unwrap()),
        }))
    }

    /// A `POST` listing, status or ack request as the real relay reads it: the token
    /// from `Authorization` or else the body's `token`; a listing's status and acks
    /// answered as the classic requests would. `None`: not one.
    fn posted(&mut self, r: &HttpRequest) -> Option<Outcome> {
        let path = r.url.splitn(4, '/').nth(3)?.split('?').next()?;
        let route = Route::parse(&format!("/{path}")).ok()?;
        if r.method != Method::Post
            || !matches!(route, Route::Shares(_) | Route::Status(_) | Route::Acks(_))
        {
            return None;
        }
        let header = r
            .headers
            .iter()
            .find(|(k, _)| k == "authorization")
            .map(|(_, v)| v.clone());
        let plain = self.older || self.plain_listing;
        if header.is_some() && !matches!(route, Route::Shares(_)) {
            return None;
        }
        if plain {
            return Some(match route {
                Route::Shares(_) => status(405),
                _ => status(401),
            });
        }
        let mut body: serde_json::Value =
            serde_json::from_slice(r.body.as_deref().unwrap_or(b"{}")).ok()?;
        let token = body.as_object_mut()?.remove("token");
        let authorization = match (header, token) {
            (Some(h), _) => h,
            (None, Some(t)) => {
                self.simple_requests += 1;
                format!("Bearer {}", t.as_str()?)
            }
            (None, None) => return Some(status(401)),
        };
        let classic = |method, url: &str, body: Option<Vec<u8>>| HttpRequest {
            id: r.id,
            method,
            url: url.to_string(),
            headers: vec![("authorization".into(), authorization.clone())],
            body,
        };
        if !matches!(route, Route::Shares(_)) {
            let c = classic(Method::Post, &r.url, serde_json::to_vec(&body).ok());
            return Some(self.handle(&c));
        }
        self.posted_listings += 1;
        let req: ListRequest = serde_json::from_value(body).ok()?;
        let answer = |o: Outcome| match o {
            Outcome::Response { status: 200, body } => Ok(body),
            other => Err(other),
        };
        let base = r.url.split_once("/shares").map(|(b, _)| b.to_string())?;
        let member = r
            .url
            .split("member=")
            .nth(1)?
            .split('&')
            .next()?
            .to_string();
        let acks = if self.ignores_riding || req.acks.is_empty() {
            AckResponse::default()
        } else {
            let ack = AckRequest {
                member: MemberId::parse(&member).ok()?,
                shares: req.acks,
                receipts: req.receipts,
            };
            let c = classic(
                Method::Post,
                &format!("{base}/acks"),
                serde_json::to_vec(&ack).ok(),
            );
            match answer(self.handle(&c)) {
                Ok(b) => serde_json::from_slice(&b).ok()?,
                Err(o) => return Some(o),
            }
        };
        let mut list: ListResponse = match answer(self.handle(&classic(Method::Get, &r.url, None)))
        {
            Ok(b) => serde_json::from_slice(&b).ok()?,
            Err(o) => return Some(o),
        };
        if self.ignores_riding {
            return Some(json(200, &list));
        }
        let ask = StatusRequest { shares: req.status };
        let c = classic(
            Method::Post,
            &format!("{base}/status"),
            serde_json::to_vec(&ask).ok(),
        );
        let statuses: StatusResponse = match answer(self.handle(&c)) {
            Ok(b) => serde_json::from_slice(&b).ok()?,
            Err(o) => return Some(o),
        };
        list.status = Some(statuses.shares);
        list.acks = Some(acks);
        Some(json(200, &list))
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

    /// Loses its whole state: every group is unknown (404) until registered again.
    pub fn wipe(&mut self) {
        self.groups.clear();
    }

    /// Drops the shares whose TTL passed (the Durable Object's alarm).
    fn expire_by_clock(&mut self) {
        let now = self.now_ms;
        for (_, shares) in self.groups.values_mut() {
            shares.retain(|_, s| s.expires_at == 0 || s.expires_at > now);
        }
    }

    fn expiry(&self) -> u64 {
        if self.ttl_ms == 0 {
            0
        } else {
            self.now_ms + self.ttl_ms
        }
    }

    pub fn handle(&mut self, r: &HttpRequest) -> Outcome {
        if !self.up {
            return Outcome::Failed("connection refused".into());
        }
        if let Some(answer) = self.posted(r) {
            return answer;
        }
        if let Some(classic) = self.simple_to_classic(r) {
            return match classic {
                Ok(c) => self.handle(&c),
                Err(refused) => refused,
            };
        }
        self.expire_by_clock();
        let expiry = self.expiry();
        let lie = self.lie;
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
            return unknown_group();
        };
        let seen = self.seen.entry(gid.to_string()).or_default();
        seen.extend(member);
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
                let first = *self.first_put.entry(sid).or_insert(self.now_ms);
                if self.share_lifetime_ms > 0 && self.now_ms - first > self.share_lifetime_ms {
                    return Outcome::Response {
                        status: 410,
                        body: br#"{"error":"gone","message":"put the batch under a new id"}"#
                            .to_vec(),
                    };
                }
                match shares.get_mut(&sid) {
                    Some(s) if s.data != req.data => status(409),
                    Some(s) => {
                        s.expires_at = expiry;
                        json(
                            200,
                            &serde_json::json!({"id": sid, "expires_at": 1, "created": false}),
                        )
                    }
                    None => {
                        shares.insert(
                            sid,
                            Share {
                                data: req.data,
                                expires_at: expiry,
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
                    .filter(|(_, s)| !self.leaves_out_acked || !s.ackers.contains(&m))
                    .enumerate()
                    .filter(|(i, _)| lie != Lie::OmitFromListings || i % 2 == 1)
                    .map(|(_, x)| x)
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
                        status: None,
                        acks: None,
                    },
                )
            }
            (Method::Get, Route::Share(_, sid)) => {
                let other = shares
                    .iter()
                    .find(|(id, _)| **id != sid)
                    .map(|(_, s)| s.data.clone());
                match shares.get_mut(&sid) {
                    Some(s) => {
                        s.fetchers.insert(member.unwrap());
                        let data = match (lie, other) {
                            (Lie::ServeAnotherShare, Some(o)) => o,
                            _ => s.data.clone(),
                        };
                        json(
                            200,
                            &ShareBody {
                                id: sid,
                                data,
                                expires_at: 1,
                            },
                        )
                    }
                    None => not_found("share"),
                }
            }
            (Method::Delete, Route::Share(_, sid)) => json(
                200,
                &DeleteResponse {
                    deleted: shares.remove(&sid).is_some(),
                },
            ),
            (Method::Post, Route::Acks(_)) => {
                let req: AckRequest = serde_json::from_slice(&body).unwrap();
                seen.insert(req.member);
                let mut answer = AckResponse::default();
                for sid in req.shares {
                    match shares.get_mut(&sid) {
                        Some(s) => {
                            s.ackers.insert(req.member);
                            if let Some(r) = req.receipts.iter().find(|r| r.share == sid) {
                                s.receipts.insert(req.member, r.receipt.clone());
                            }
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
                        Some(s) if lie == Lie::FabricateAcks => ShareStatus {
                            id: sid,
                            live: true,
                            fetch_count: seen.len() as u64,
                            fetchers: seen.iter().copied().collect(),
                            ackers: seen.iter().copied().collect(),
                            recipients: Vec::new(),
                            expires_at: 1,
                            receipts: s
                                .receipts
                                .values()
                                .cloned()
                                .chain(Receipt::new(vec![7; 64]))
                                .collect(),
                        },
                        Some(s) => ShareStatus {
                            id: sid,
                            live: true,
                            fetch_count: s.fetchers.len() as u64,
                            fetchers: s.fetchers.iter().copied().collect(),
                            ackers: s.ackers.iter().copied().collect(),
                            recipients: Vec::new(),
                            expires_at: 1,
                            receipts: s.receipts.values().cloned().collect(),
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
