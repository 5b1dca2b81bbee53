//! The relay API calls a round makes (docs/protocol.md), and the requests in flight:
//! each carries an id the driver hands back with its outcome, and a purpose that says
//! which phase's handler takes the answer.

use std::collections::BTreeMap;

use gfms_ledger::MemberId;
use gfms_protocol::{
    AckRequest, ListRequest, PutShareRequest, RegisterRequest, SIMPLE_CONTENT_TYPE, ShareId,
    ShareReceipt, SimpleShareRequest, StatusRequest, paths, simple_body,
};
use gfms_seal::RelayKeys;

use crate::http::{HttpRequest, Method, Outcome};

/// Ids per ack or status request (the relays' `max_ids_per_request`).
pub(super) const IDS_PER_REQUEST: usize = 256;

/// Why a request was made.
#[derive(Debug)]
pub(super) enum Purpose {
    Register(String),
    Put {
        relay: String,
        batch: String,
        share: usize,
    },
    List(String),
    Fetch {
        relay: String,
        sid: ShareId,
    },
    Ack(String, Vec<ShareId>),
    Status(String, Vec<ShareId>),
    Delete(String, ShareId),
}

impl Purpose {
    /// The relay asked.
    pub(super) fn relay(&self) -> &str {
        match self {
            Purpose::Register(u)
            | Purpose::List(u)
            | Purpose::Ack(u, _)
            | Purpose::Status(u, _)
            | Purpose::Delete(u, _)
            | Purpose::Put { relay: u, .. }
            | Purpose::Fetch { relay: u, .. } => u,
        }
    }
}

/// One call to a relay, before it has an id.
pub(super) struct Call {
    method: Method,
    url: String,
    token: Option<String>,
    body: Option<Vec<u8>>,
    /// In the simple form: a `POST` whose `text/plain` body carries the token.
    simple: bool,
    /// In a form older relays refuse (405): a simple request, or a `POST` listing.
    newer: bool,
}

impl Call {
    /// `POST /v1/groups/{gid}`: register the group with its token's hash.
    pub(super) fn register(keys: &RelayKeys, registration_key: Option<String>) -> Self {
        let body = RegisterRequest {
            token_sha256: keys.token_sha256(),
            registration_key,
        };
        Self {
            method: Method::Post,
            url: format!("{}{}", keys.url, paths::group(&keys.group_id)),
            token: None,
            body: serde_json::to_vec(&body).ok(),
            simple: false,
            newer: false,
        }
    }

    /// A share request in the simple form when `simple` (docs/protocol.md): `POST` on
    /// the same URL, the token, the method and the body in a `text/plain` body, so a
    /// browser sends it with no CORS preflight.
    fn share(
        keys: &RelayKeys,
        method: Method,
        url: String,
        body: Option<PutShareRequest>,
        simple: bool,
    ) -> Self {
        let token = keys.token.to_string();
        if simple {
            let envelope = SimpleShareRequest {
                token,
                method: method.as_str().to_string(),
                body,
            };
            return Self {
                method: Method::Post,
                url,
                token: None,
                body: serde_json::to_vec(&envelope).ok(),
                simple: true,
                newer: true,
            };
        }
        Self {
            method,
            url,
            token: Some(token),
            body: body.and_then(|b| serde_json::to_vec(&b).ok()),
            simple: false,
            newer: false,
        }
    }

    /// `PUT …/shares/{sid}`. No recipient list: the relay keeps the share until the
    /// sender deletes it or it expires, so the sender can always read every ack.
    pub(super) fn put(keys: &RelayKeys, sid: &ShareId, data: String, simple: bool) -> Self {
        let body = PutShareRequest {
            data,
            recipients: Vec::new(),
        };
        let url = format!("{}{}", keys.url, paths::share(&keys.group_id, sid));
        Self::share(keys, Method::Put, url, Some(body), simple)
    }

    /// The listing: the live shares this member has not fetched. `posted`: a `POST`
    /// (in the simple form when `simple`) carrying `riding` (status asked, acks sent);
    /// else the `GET` of relays older than that.
    pub(super) fn list(
        keys: &RelayKeys,
        me: &MemberId,
        cursor: Option<&str>,
        riding: ListRequest,
        (posted, simple): (bool, bool),
    ) -> Self {
        let mut url = format!(
            "{}{}?member={}",
            keys.url,
            paths::shares(&keys.group_id),
            keys.member_pseudonym(&me.0)
        );
        if let Some(c) = cursor {
            url.push_str("&cursor=");
            url.push_str(c);
        }
        if posted {
            let mut call = Self::post(keys, url, &riding, simple);
            call.newer = true;
            return call;
        }
        Self {
            method: Method::Get,
            url,
            token: Some(keys.token.to_string()),
            body: None,
            simple: false,
            newer: false,
        }
    }

    /// A `POST` group request (listing, status, acks): the token in `Authorization`,
    /// or in the simple form as the body's `token` field.
    fn post<B: serde::Serialize>(keys: &RelayKeys, url: String, body: &B, simple: bool) -> Self {
        let token = keys.token.to_string();
        if simple {
            return Self {
                method: Method::Post,
                url,
                token: None,
                body: simple_body(body, &token),
                simple: true,
                newer: true,
            };
        }
        Self {
            method: Method::Post,
            url,
            token: Some(token),
            body: serde_json::to_vec(body).ok(),
            simple: false,
            newer: false,
        }
    }

    /// `GET …/shares/{sid}?member=…`: a share's bytes (the relay counts the fetch).
    pub(super) fn fetch(keys: &RelayKeys, sid: &ShareId, me: &MemberId, simple: bool) -> Self {
        let url = format!(
            "{}{}?member={}",
            keys.url,
            paths::share(&keys.group_id, sid),
            keys.member_pseudonym(&me.0)
        );
        Self::share(keys, Method::Get, url, None, simple)
    }

    /// `POST …/acks`: this member durably stored these shares' batches (with its signed
    /// receipt for each it can sign).
    pub(super) fn ack(
        keys: &RelayKeys,
        me: &MemberId,
        shares: &[ShareId],
        receipts: Vec<ShareReceipt>,
        simple: bool,
    ) -> Self {
        let body = AckRequest {
            member: keys.member_pseudonym(&me.0),
            shares: shares.to_vec(),
            receipts,
        };
        let url = format!("{}{}", keys.url, paths::acks(&keys.group_id));
        Self::post(keys, url, &body, simple)
    }

    /// `POST …/status`: per share its fetch count, fetchers, ackers and expiry.
    pub(super) fn status(keys: &RelayKeys, shares: &[ShareId], simple: bool) -> Self {
        let body = StatusRequest {
            shares: shares.to_vec(),
        };
        let url = format!("{}{}", keys.url, paths::status(&keys.group_id));
        Self::post(keys, url, &body, simple)
    }

    /// `DELETE …/shares/{sid}`: every member has the batch.
    pub(super) fn delete(keys: &RelayKeys, sid: &ShareId, simple: bool) -> Self {
        let url = format!("{}{}", keys.url, paths::share(&keys.group_id, sid));
        Self::share(keys, Method::Delete, url, None, simple)
    }
}

/// The requests a round made and has no answer for yet.
pub(super) struct Requests {
    next_id: u64,
    /// Each request's purpose, and whether it went in a form older relays refuse.
    in_flight: BTreeMap<u64, (Purpose, bool)>,
}

impl Default for Requests {
    fn default() -> Self {
        Self {
            next_id: 1,
            in_flight: BTreeMap::new(),
        }
    }
}

impl Requests {
    /// Gives `call` an id and remembers why it was made.
    pub(super) fn make(&mut self, purpose: Purpose, call: Call) -> HttpRequest {
        let id = self.next_id;
        self.next_id += 1;
        self.in_flight.insert(id, (purpose, call.newer));
        let mut headers = Vec::new();
        if let Some(t) = call.token {
            headers.push(("authorization".to_string(), format!("Bearer {t}")));
        }
        if call.body.is_some() {
            let kind = if call.simple {
                SIMPLE_CONTENT_TYPE
            } else {
                "application/json"
            };
            headers.push(("content-type".to_string(), kind.to_string()));
        }
        HttpRequest {
            id,
            method: call.method,
            url: call.url,
            headers,
            body: call.body,
        }
    }

    /// The purpose of request `id`, answered now, and whether it went in a form older
    /// relays refuse (`None`: unknown or answered before).
    pub(super) fn answered(&mut self, id: u64) -> Option<(Purpose, bool)> {
        self.in_flight.remove(&id)
    }

    /// Requests still without an answer.
    pub(super) fn unanswered(&self) -> Vec<u64> {
        self.in_flight.keys().copied().collect()
    }
}

/// Whether a relay refused a request in a newer form (simple, or a `POST` listing) as a
/// relay older than that form does: 405 (it knows the route with other methods only),
/// or 401 for a simple status or ack (it looks for the token in `Authorization` only).
pub(super) fn refused_as_older(purpose: &Purpose, outcome: &Outcome) -> bool {
    match outcome {
        Outcome::Response { status: 405, .. } => true,
        Outcome::Response { status: 401, .. } => {
            matches!(purpose, Purpose::Status(..) | Purpose::Ack(..))
        }
        _ => false,
    }
}

/// A relay's error answer as one line: `HTTP 404 not_found: …`.
pub(super) fn http_error(status: u16, body: &[u8]) -> String {
    #[derive(serde::Deserialize)]
    struct Wire {
        error: String,
        #[serde(default)]
        message: String,
    }
    match serde_json::from_slice::<Wire>(body) {
        Ok(w) if w.message.is_empty() => format!("HTTP {status} {}", w.error),
        Ok(w) => format!("HTTP {status} {}: {}", w.error, w.message),
        Err(_) => format!("HTTP {status}"),
    }
}
