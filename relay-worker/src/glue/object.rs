//! `GroupRelay`: one Durable Object per group. It maps each group route to
//! [`Relay`](crate::relay::Relay) over its own storage (SQLite) and WebSockets, runs the
//! alarm, and accepts WebSockets. Every error becomes an answer in `http::failure`.

use gfms_protocol::paths::Route;
use gfms_protocol::{
    AckRequest, DeleteResponse, Limits, ListRequest, MemberId, PushForwardRequest, RegisterRequest,
    RegisterResponse, StatusRequest, Token, WS_PROTOCOL,
};
use serde::de::DeserializeOwned;
use worker::{
    Date, DurableObject, Env, Method, Request, Response, Result, State, WebSocket,
    WebSocketIncomingMessage, WebSocketPair, durable_object,
};

use super::http::{Handled, failure, json};
use super::storage::{DoIndex, Sockets, SqlBlobs};
use super::var;
use crate::RelayError;
use crate::auth::{token_from_authorization, token_from_ws_protocols};
use crate::config::limits_from_vars;
use crate::listing::{PageQuery, page_query};
use crate::ratelimit::registration_bucket;
use crate::relay::{Registered, Relay};
use crate::share_request::{ShareOp, ShareRequest};
use crate::tokened::Tokened;

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
        match self.handle(req).await {
            Ok(resp) => Ok(resp),
            Err(e) => failure(e),
        }
    }

    async fn alarm(&self) -> Result<Response> {
        let (index, blobs, push) = self.stores();
        let relay = Relay::new(&index, &blobs, &push, self.limits(), self.kv_prefix());
        let swept = relay.sweep(now()).await.map(|_| ());
        if let Err(e) = swept {
            // The alarm is retried by the platform; the next request reschedules it too.
            worker::console_error!("sweep failed: {e:?}");
            return Err(worker::Error::RustError("sweep failed".into()));
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

    /// Keys of this group's bytes start with the object's id (from when they lived in
    /// KV, shared by every group; kept so the keys stay the same).
    fn kv_prefix(&self) -> String {
        self.state.id().to_string()
    }

    fn stores(&self) -> (DoIndex, SqlBlobs, Sockets<'_>) {
        (
            DoIndex(self.state.storage()),
            SqlBlobs(self.state.storage().sql()),
            Sockets(&self.state),
        )
    }

    async fn handle(&self, mut req: Request) -> Handled {
        let route = Route::parse(&req.path()).map_err(|_| RelayError::NotFound("route"))?;
        let limits = self.limits();
        let (index, blobs, push) = self.stores();
        let relay = Relay::new(&index, &blobs, &push, limits, self.kv_prefix());
        let now = now();
        let method = req.method();
        if let (Method::Post, Route::Group(_)) = (&method, route) {
            let body: RegisterRequest = read_json(&mut req, &limits).await?;
            let client = req.headers().get("cf-connecting-ip")?;
            let required = var(&self.env, "REGISTRATION_KEY");
            let admit = async || self.admit(client.as_deref()).await;
            return match relay
                .register(&body, required.as_deref(), admit, now)
                .await?
            {
                Registered::Created => json(201, &RegisterResponse { created: true }),
                Registered::Existing => json(200, &RegisterResponse { created: false }),
            };
        }
        if let Route::Share(_, sid) = route {
            // Either form, one path: group, token, body's shape, then the route's checks.
            let share = match method {
                Method::Post => ShareRequest::simple(&read_bytes(&mut req, &limits).await?),
                Method::Put => {
                    let authorization = req.headers().get("authorization")?;
                    let body = read_bytes(&mut req, &limits).await?;
                    ShareRequest::classic("PUT", authorization.as_deref(), body)
                }
                _ => ShareRequest::classic(
                    method.as_ref(),
                    req.headers().get("authorization")?.as_deref(),
                    Vec::new(),
                ),
            };
            relay.authenticate(share.token.clone(), now).await?;
            return match share.op()? {
                ShareOp::Put(body) => {
                    let (status, answer) = relay.put(sid, body, now).await?;
                    json(status, &answer)
                }
                ShareOp::Fetch => json(200, &relay.fetch(sid, member_param(&req)?, now).await?),
                ShareOp::Delete => {
                    let deleted = relay.delete(sid, now).await?;
                    json(200, &DeleteResponse { deleted })
                }
            };
        }
        if let (Method::Post, Route::Shares(_) | Route::Status(_) | Route::Acks(_)) =
            (&method, route)
        {
            // Either form, one path: group, token, body's shape, then the route's checks.
            let authorization = req.headers().get("authorization")?;
            let body = read_bytes(&mut req, &limits).await?;
            let request = Tokened::read(authorization.as_deref(), &body);
            relay.authenticate(request.token.clone(), now).await?;
            return match route {
                Route::Shares(_) => {
                    let member = member_param(&req)?;
                    let query = list_query(&req, &limits)?;
                    let body: ListRequest = request.body()?;
                    check_count(body.status.len().max(body.acks.len()), &limits)?;
                    json(200, &relay.list_with(&member, body, query, now).await?)
                }
                Route::Status(_) => {
                    let body: StatusRequest = request.body()?;
                    check_count(body.shares.len(), &limits)?;
                    json(200, &relay.status(&body.shares, now).await?)
                }
                _ => {
                    let body: AckRequest = request.body()?;
                    check_count(body.shares.len(), &limits)?;
                    json(200, &relay.ack(body, now).await?)
                }
            };
        }
        relay.authenticate(token(&req, route), now).await?;
        match (method, route) {
            (Method::Get, Route::Shares(_)) => {
                let member = member_param(&req)?;
                let query = list_query(&req, &limits)?;
                json(200, &relay.list(&member, query, now).await?)
            }
            (Method::Get, Route::Ws(_)) => self.accept_websocket(&req),
            (Method::Post, Route::Push(_)) => {
                let body: PushForwardRequest = read_json(&mut req, &limits).await?;
                super::forward::forward(&self.env, &self.state.storage(), body, now).await
            }
            _ => Err(RelayError::MethodNotAllowed(route.methods().join(", "))),
        }
    }

    /// The registration rate limit (binding `REGISTRATIONS`), per client network. A
    /// relay without the binding admits every registration.
    async fn admit(&self, client: Option<&str>) -> std::result::Result<bool, RelayError> {
        let Some(bucket) = registration_bucket(client) else {
            return Ok(true);
        };
        match self.env.rate_limiter("REGISTRATIONS") {
            Ok(limiter) => Ok(limiter.limit(bucket).await?.success),
            Err(_) => Ok(true),
        }
    }

    fn accept_websocket(&self, req: &Request) -> Handled {
        let upgrade = req.headers().get("upgrade")?.unwrap_or_default();
        if !upgrade.eq_ignore_ascii_case("websocket") {
            return Err(RelayError::BadRequest(
                "expected a WebSocket upgrade".into(),
            ));
        }
        let member = member_param(req)?.to_string();
        // Apps ping every 30 s while their push is up (they stop polling then): the
        // platform answers "pong" itself, without waking the object.
        if let Ok(pair) = worker::worker_sys::WebSocketRequestResponsePair::new("ping", "pong") {
            self.state.set_websocket_auto_response(&pair);
        }
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
}

/// The bearer token: `Authorization`, or on a WebSocket upgrade the subprotocol.
fn token(req: &Request, route: Route) -> std::result::Result<Token, RelayError> {
    let authorization = req.headers().get("authorization")?;
    if let Route::Ws(_) = route
        && let Some(token) =
            token_from_ws_protocols(req.headers().get("sec-websocket-protocol")?.as_deref())
    {
        return Ok(token);
    }
    token_from_authorization(authorization.as_deref())
}

fn member_param(req: &Request) -> std::result::Result<MemberId, RelayError> {
    let url = req.url()?;
    let value = url
        .query_pairs()
        .find(|(k, _)| k == "member")
        .map(|(_, v)| v.into_owned())
        .ok_or_else(|| RelayError::BadRequest("query parameter member is required".into()))?;
    MemberId::parse(&value).map_err(|_| RelayError::BadId("member".into()))
}

/// The page a listing asks for (`cursor`, `limit`).
fn list_query(req: &Request, limits: &Limits) -> std::result::Result<PageQuery, RelayError> {
    let url = req.url()?;
    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    page_query(
        pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        limits.max_list_page,
    )
}

fn check_count(n: usize, limits: &Limits) -> std::result::Result<(), RelayError> {
    if n > limits.max_ids_per_request {
        return Err(RelayError::BadRequest(format!(
            "at most {} share ids per request",
            limits.max_ids_per_request
        )));
    }
    Ok(())
}

/// The body as JSON (see [`read_bytes`]).
async fn read_json<T: DeserializeOwned>(
    req: &mut Request,
    limits: &Limits,
) -> std::result::Result<T, RelayError> {
    let bytes = read_bytes(req, limits).await?;
    serde_json::from_slice(&bytes).map_err(|e| RelayError::BadJson(e.to_string()))
}

/// The body. The Worker in front already cut it off at the limit; this checks again so
/// the object never trusts its caller.
async fn read_bytes(
    req: &mut Request,
    limits: &Limits,
) -> std::result::Result<Vec<u8>, RelayError> {
    let bytes = req
        .bytes()
        .await
        .map_err(|_| RelayError::BadRequest("unreadable body".into()))?;
    if bytes.len() > limits.max_body_bytes() {
        return Err(RelayError::TooLarge {
            what: "request body",
            size: bytes.len(),
            limit: limits.max_body_bytes(),
        });
    }
    Ok(bytes)
}
