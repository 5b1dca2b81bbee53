//! `GroupRelay`: one Durable Object per group. It holds the group's token hash and the
//! index of its shares (one storage key per share), serves every group route, enforces
//! the TTL exactly and sweeps expired shares with an alarm. Share bytes live in KV.
//!
//! Concurrency: a Durable Object runs one event at a time, but external IO (KV) lets
//! other events in. So every read-modify-write of the index happens after the KV
//! call, with only storage awaits in between (which keep other events out): a fetch
//! counted by 20 parallel requests is counted exactly once per member.

use gfms_protocol::paths::Route;
use gfms_protocol::{
    AckRequest, AckResponse, DeleteResponse, MemberId, PushEvent, PutShareRequest,
    PutShareResponse, RegisterRequest, RegisterResponse, ShareBody, ShareId, StatusRequest,
    StatusResponse, WS_PROTOCOL, decode_data, encode_data,
};
use serde::de::DeserializeOwned;
use worker::{
    Date, DurableObject, Env, ListOptions, Method, Request, Response, Result, ScheduledTime, State,
    WebSocket, WebSocketIncomingMessage, WebSocketPair, durable_object,
};

use super::http::{Failure, Handled, failure, json};
use super::var;
use crate::RelayError;
use crate::auth::{token_from_authorization, token_from_ws_protocols, verify};
use crate::config::limits_from_vars;
use crate::group::{GroupMeta, PutPlan, plan_put, register, without};
use crate::listing::{page, parse_cursor};
use crate::share::{ShareMeta, digest, unknown_status};
use gfms_protocol::Limits;

const GROUP_KEY: &str = "group";
const SHARE_PREFIX: &str = "s:";

fn share_key(id: &ShareId) -> String {
    format!("{SHARE_PREFIX}{id}")
}

fn now() -> u64 {
    Date::now().as_millis()
}

/// The Durable Object of one group.
#[durable_object]
pub struct GroupRelay {
    state: State,
    env: Env,
}

impl DurableObject for GroupRelay {
    fn new(state: State, env: Env) -> Self {
        Self { state, env }
    }

    async fn fetch(&self, req: Request) -> Result<Response> {
        Ok(self.handle(req).await.unwrap_or_else(failure))
    }

    async fn alarm(&self) -> Result<Response> {
        if self.sweep().await.is_err() {
            worker::console_error!("sweep failed; the next request or alarm retries");
        }
        Response::ok("swept")
    }

    async fn websocket_message(
        &self,
        ws: WebSocket,
        message: WebSocketIncomingMessage,
    ) -> Result<()> {
        // Clients only listen; answer a ping so they can check the connection.
        if let WebSocketIncomingMessage::String(text) = message
            && text == "ping"
        {
            ws.send_with_str("pong")?;
        }
        Ok(())
    }

    async fn websocket_close(
        &self,
        ws: WebSocket,
        _code: usize,
        _reason: String,
        _clean: bool,
    ) -> Result<()> {
        let _ = ws.close(Some(1000), Some("bye"));
        Ok(())
    }
}

impl GroupRelay {
    fn limits(&self) -> Limits {
        limits_from_vars(|n| var(&self.env, n))
    }

    async fn handle(&self, mut req: Request) -> Handled {
        let route = Route::parse(&req.path()).map_err(|_| RelayError::NotFound("route"))?;
        let limits = self.limits();
        let method = req.method();
        if let (Method::Post, Route::Group(_)) = (&method, route) {
            let body: RegisterRequest = read_json(&mut req, &limits).await?;
            return self.register(body).await;
        }
        let group = self.group().await?.ok_or(RelayError::NotFound("group"))?;
        let authorization = req.headers().get("authorization")?;
        let token = match route {
            Route::Ws(_) => match token_from_ws_protocols(
                req.headers().get("sec-websocket-protocol")?.as_deref(),
            ) {
                Some(token) => token,
                None => token_from_authorization(authorization.as_deref())?,
            },
            _ => token_from_authorization(authorization.as_deref())?,
        };
        verify(&group.token_sha256, &token)?;
        match (method, route) {
            (Method::Put, Route::Share(_, sid)) => {
                let body: PutShareRequest = read_json(&mut req, &limits).await?;
                self.put(sid, body, &limits).await
            }
            (Method::Get, Route::Share(_, sid)) => {
                let member = member_param(&req)?;
                self.get(sid, member).await
            }
            (Method::Delete, Route::Share(_, sid)) => {
                let deleted = self.delete(&[sid]).await? > 0;
                json(200, &DeleteResponse { deleted })
            }
            (Method::Get, Route::Shares(_)) => self.list(&req, &limits).await,
            (Method::Post, Route::Acks(_)) => {
                let body: AckRequest = read_json(&mut req, &limits).await?;
                check_count(body.shares.len(), &limits)?;
                self.ack(body).await
            }
            (Method::Post, Route::Status(_)) => {
                let body: StatusRequest = read_json(&mut req, &limits).await?;
                check_count(body.shares.len(), &limits)?;
                self.status(body).await
            }
            (Method::Get, Route::Ws(_)) => self.accept_websocket(&req),
            _ => Err(RelayError::MethodNotAllowed(route.methods().join(", ")).into()),
        }
    }

    async fn register(&self, body: RegisterRequest) -> Handled {
        let existing = self.group().await?;
        let required = var(&self.env, "REGISTRATION_KEY");
        match register(existing.as_ref(), &body, required.as_deref())? {
            Some(meta) => {
                self.put_json(GROUP_KEY, &meta).await?;
                json(201, &RegisterResponse { created: true })
            }
            None => json(200, &RegisterResponse { created: false }),
        }
    }

    async fn put(&self, sid: ShareId, body: PutShareRequest, limits: &Limits) -> Handled {
        let bytes = decode_data(&body.data)
            .ok_or_else(|| RelayError::BadRequest("data is not unpadded base64url".into()))?;
        // Check first so a doomed put never touches KV...
        let group = self.group().await?.ok_or(RelayError::NotFound("group"))?;
        let existing = self.share(&sid).await?;
        plan_put(
            &group,
            existing.as_ref(),
            sid,
            &bytes,
            body.recipients.clone(),
            now(),
            limits,
        )?;
        self.env
            .kv("SHARES")?
            .put_bytes(&self.kv_key(&sid), &bytes)?
            .expiration_ttl(limits.kv_expiration_ttl())
            .execute()
            .await?;
        // ...then decide again on fresh state, with no external IO until it is stored.
        let group = self.group().await?.ok_or(RelayError::NotFound("group"))?;
        let existing = self.share(&sid).await?;
        let (plan, usage) = plan_put(
            &group,
            existing.as_ref(),
            sid,
            &bytes,
            body.recipients,
            now(),
            limits,
        )?;
        let meta = plan.meta().clone();
        self.put_json(&share_key(&sid), &meta).await?;
        self.put_json(GROUP_KEY, &usage).await?;
        self.schedule_sweep(meta.expires_at).await?;
        self.broadcast(&PushEvent::SharePut { id: sid });
        let created = matches!(plan, PutPlan::Create(_));
        json(
            if created { 201 } else { 200 },
            &PutShareResponse {
                id: sid,
                expires_at: meta.expires_at,
                created,
            },
        )
    }

    async fn get(&self, sid: ShareId, member: MemberId) -> Handled {
        let meta = self
            .live_share(&sid)
            .await?
            .ok_or(RelayError::NotFound("share"))?;
        let bytes = self
            .env
            .kv("SHARES")?
            .get(&self.kv_key(&sid))
            .bytes()
            .await?;
        // Known to the index but not (yet, or not these) bytes in KV: retry, never "gone".
        let bytes = bytes
            .filter(|b| digest(b) == meta.sha256)
            .ok_or(RelayError::Retry)?;
        let mut meta = self
            .live_share(&sid)
            .await?
            .ok_or(RelayError::NotFound("share"))?;
        meta.record_fetch(member);
        self.put_json(&share_key(&sid), &meta).await?;
        json(
            200,
            &ShareBody {
                id: sid,
                data: encode_data(&bytes),
                expires_at: meta.expires_at,
            },
        )
    }

    async fn list(&self, req: &Request, limits: &Limits) -> Handled {
        let member = member_param(req)?;
        let url = req.url()?;
        let mut after = None;
        let mut limit = limits.max_list_page;
        for (k, v) in url.query_pairs() {
            match k.as_ref() {
                "cursor" => after = Some(parse_cursor(&v)?),
                "limit" => {
                    let n: usize = v
                        .parse()
                        .map_err(|_| RelayError::BadRequest("limit must be a number".into()))?;
                    limit = n.clamp(1, limits.max_list_page);
                }
                _ => {}
            }
        }
        json(
            200,
            &page(self.all_shares().await?, &member, now(), after, limit),
        )
    }

    async fn ack(&self, body: AckRequest) -> Handled {
        let now = now();
        let mut answer = AckResponse::default();
        let mut done = Vec::new();
        for sid in body.shares {
            match self.share(&sid).await?.filter(|m| m.is_live(now)) {
                Some(mut meta) => {
                    meta.record_ack(body.member);
                    if meta.is_complete() {
                        done.push(sid);
                    } else {
                        self.put_json(&share_key(&sid), &meta).await?;
                    }
                    answer.acked.push(sid);
                }
                None => answer.unknown.push(sid),
            }
        }
        if !done.is_empty() {
            self.delete(&done).await?;
            answer.deleted = done;
        }
        json(200, &answer)
    }

    async fn status(&self, body: StatusRequest) -> Handled {
        let now = now();
        let mut shares = Vec::with_capacity(body.shares.len());
        for sid in body.shares {
            shares.push(match self.share(&sid).await? {
                Some(meta) => meta.status(now),
                None => unknown_status(sid),
            });
        }
        json(200, &StatusResponse { shares })
    }

    fn accept_websocket(&self, req: &Request) -> Handled {
        let upgrade = req.headers().get("upgrade")?.unwrap_or_default();
        if !upgrade.eq_ignore_ascii_case("websocket") {
            return Err(RelayError::BadRequest("expected a WebSocket upgrade".into()).into());
        }
        let member = member_param(req)?.to_string();
        let pair = WebSocketPair::new()?;
        self.state
            .accept_websocket_with_tags(&pair.server, &[member.as_str()]);
        let asked = req
            .headers()
            .get("sec-websocket-protocol")?
            .unwrap_or_default();
        let mut resp = Response::from_websocket(pair.client)?;
        if asked.split(',').any(|p| p.trim() == WS_PROTOCOL) {
            resp.headers_mut()
                .set("sec-websocket-protocol", WS_PROTOCOL)?;
        }
        Ok(resp)
    }

    /// Deletes shares from KV and the index; returns how many existed.
    async fn delete(&self, ids: &[ShareId]) -> Result<usize, Failure> {
        let kv = self.env.kv("SHARES")?;
        for sid in ids {
            kv.delete(&self.kv_key(sid)).await?;
        }
        let mut removed = 0;
        for sid in ids {
            if let Some(meta) = self.share(sid).await? {
                self.state.storage().delete(&share_key(sid)).await?;
                if let Some(group) = self.group().await? {
                    self.put_json(GROUP_KEY, &without(&group, &meta)).await?;
                }
                removed += 1;
                self.broadcast(&PushEvent::ShareDeleted { id: *sid });
            }
        }
        Ok(removed)
    }

    /// The alarm: forget every expired share, then wake again at the next expiry.
    async fn sweep(&self) -> Result<(), Failure> {
        let now = now();
        let shares = self.all_shares().await?;
        let expired: Vec<ShareId> = shares
            .iter()
            .filter(|s| !s.is_live(now))
            .map(|s| s.id)
            .collect();
        if !expired.is_empty() {
            self.delete(&expired).await?;
        }
        if let Some(next) = shares
            .iter()
            .filter(|s| s.is_live(now))
            .map(|s| s.expires_at)
            .min()
        {
            self.state.storage().set_alarm(at(next)).await?;
        }
        Ok(())
    }

    async fn schedule_sweep(&self, expires_at: u64) -> Result<(), Failure> {
        let storage = self.state.storage();
        let current = storage.get_alarm().await?;
        if current.is_none_or(|t| t as u64 > expires_at) {
            storage.set_alarm(at(expires_at)).await?;
        }
        Ok(())
    }

    fn broadcast(&self, event: &PushEvent) {
        if let Ok(text) = serde_json::to_string(event) {
            for ws in self.state.get_websockets() {
                let _ = ws.send_with_str(&text);
            }
        }
    }

    /// KV key of a share's bytes: this object's id (one per group), then the share id,
    /// so the alarm, which has no request path, finds them too.
    fn kv_key(&self, sid: &ShareId) -> String {
        format!("{}/{sid}", self.state.id())
    }

    async fn group(&self) -> Result<Option<GroupMeta>, Failure> {
        self.get_json(GROUP_KEY).await
    }

    async fn share(&self, id: &ShareId) -> Result<Option<ShareMeta>, Failure> {
        self.get_json(&share_key(id)).await
    }

    async fn live_share(&self, id: &ShareId) -> Result<Option<ShareMeta>, Failure> {
        Ok(self.share(id).await?.filter(|m| m.is_live(now())))
    }

    async fn all_shares(&self) -> Result<Vec<ShareMeta>, Failure> {
        let map = self
            .state
            .storage()
            .list_with_options(ListOptions::new().prefix(SHARE_PREFIX))
            .await?;
        let mut out = Vec::new();
        for value in map.values() {
            let text = value
                .map_err(|e| Failure::Platform(format!("{e:?}")))?
                .as_string()
                .unwrap_or_default();
            if let Ok(meta) = serde_json::from_str(&text) {
                out.push(meta);
            }
        }
        Ok(out)
    }

    async fn get_json<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, Failure> {
        let text: Option<String> = self.state.storage().get(key).await?;
        text.map(|t| serde_json::from_str(&t).map_err(|e| Failure::Platform(e.to_string())))
            .transpose()
    }

    async fn put_json<T: serde::Serialize>(&self, key: &str, value: &T) -> Result<(), Failure> {
        let text = serde_json::to_string(value).map_err(|e| Failure::Platform(e.to_string()))?;
        self.state.storage().put(key, text).await?;
        Ok(())
    }
}

fn at(ms: u64) -> ScheduledTime {
    ScheduledTime::new(js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(
        ms as f64,
    )))
}

fn member_param(req: &Request) -> Result<MemberId, Failure> {
    let url = req.url()?;
    let value = url
        .query_pairs()
        .find(|(k, _)| k == "member")
        .map(|(_, v)| v.into_owned())
        .ok_or_else(|| RelayError::BadRequest("query parameter member is required".into()))?;
    Ok(MemberId::parse(&value).map_err(|_| RelayError::BadId("member".into()))?)
}

fn check_count(n: usize, limits: &Limits) -> Result<(), Failure> {
    if n > limits.max_ids_per_request {
        return Err(RelayError::BadRequest(format!(
            "at most {} share ids per request",
            limits.max_ids_per_request
        ))
        .into());
    }
    Ok(())
}

async fn read_json<T: DeserializeOwned>(req: &mut Request, limits: &Limits) -> Result<T, Failure> {
    let bytes = req
        .bytes()
        .await
        .map_err(|_| RelayError::BadRequest("unreadable body".into()))?;
    if bytes.len() > limits.max_body_bytes() {
        return Err(RelayError::TooLarge {
            what: "request body",
            size: bytes.len(),
            limit: limits.max_body_bytes(),
        }
        .into());
    }
    serde_json::from_slice(&bytes).map_err(|e| RelayError::BadJson(e.to_string()).into())
}
