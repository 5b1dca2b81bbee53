//! The Worker: answers health and CORS preflights itself, checks the route and method,
//! reads a body up to the limit while it streams in, and hands every group request to
//! that group's Durable Object. Every answer, errors included, gets the CORS headers.

mod forward;
mod http;
mod object;
mod storage;

use futures_util::StreamExt;
use gfms_protocol::paths::{Route, RouteError};
use gfms_protocol::{Health, Limits};
use js_sys::Uint8Array;
use worker::{Context, Env, Method, Request, RequestInit, Response, Result, event};

use crate::RelayError;
use crate::body::BodyReader;
use crate::config::limits_from_vars;
use crate::cors::AllowedOrigins;
use http::{Handled, failure, json, json_text, with_cors};

/// Reads a var or secret as a string.
pub(crate) fn var(env: &Env, name: &str) -> Option<String> {
    env.var(name)
        .map(|v| v.to_string())
        .ok()
        .or_else(|| env.secret(name).map(|s| s.to_string()).ok())
}

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    console_error_panic_hook::set_once();
    let origins = AllowedOrigins::parse(&var(&env, "ALLOWED_ORIGINS").unwrap_or_default());
    let origin = req.headers().get("origin").ok().flatten();
    let allow = origins.allow(origin.as_deref());
    let preflight = req.method() == Method::Options;
    let resp = match handle(req, &env, &origins, origin.as_deref()).await {
        Ok(resp) if resp.status_code() == 101 => return Ok(resp),
        Ok(resp) => resp,
        Err(e) => failure(e)?,
    };
    with_cors(resp, allow.as_deref(), preflight)
}

async fn handle(
    mut req: Request,
    env: &Env,
    origins: &AllowedOrigins,
    origin: Option<&str>,
) -> Handled {
    let method = req.method();
    // A preflight is answered for any path: a browser only sends the real request (and
    // so only reads our error for a bad path or id) if the preflight succeeds.
    if method == Method::Options {
        if origins.allow(origin).is_none() {
            return Err(RelayError::Forbidden("this origin is not allowed"));
        }
        return Ok(Response::empty()?.with_status(204));
    }
    let route = Route::parse(&req.path()).map_err(|e| match e {
        RouteError::NotFound => RelayError::NotFound("route"),
        RouteError::BadId => RelayError::BadId("group or share id".into()),
    })?;
    if !route.methods().contains(&method.as_ref()) {
        return Err(RelayError::MethodNotAllowed(route.methods().join(", ")));
    }
    if let (Method::Post, Route::Share(..) | Route::Shares(_) | Route::Status(_) | Route::Acks(_)) =
        (&method, route)
    {
        // The simple form comes with no preflight: refuse here, before the body is
        // read, what it would have. (The classic form from such an origin was
        // preflighted and refused already.)
        origins.admits_simple(origin)?;
    }
    let limits = limits_from_vars(|n| var(env, n));
    let gid = match route {
        Route::Health => return health(env, limits),
        Route::Group(g)
        | Route::Shares(g)
        | Route::Share(g, _)
        | Route::Acks(g)
        | Route::Status(g)
        | Route::Ws(g)
        | Route::Push(g) => g,
    };
    let stub = env
        .durable_object("GROUPS")?
        .id_from_name(&gid.to_string())?
        .get_stub()?;
    let forwarded = match method {
        Method::Put | Method::Post => {
            let body = read_limited(&mut req, limits.max_body_bytes()).await?;
            with_body(&req, body)?
        }
        _ => req,
    };
    let mut resp = stub.fetch_with_request(forwarded).await?;
    if resp.status_code() == 101 {
        return Ok(resp);
    }
    // Copy the object's answer: only the headers the protocol uses pass through.
    let status = resp.status_code();
    let mut copy = json_text(status, resp.text().await?)?;
    for name in ["retry-after", "allow"] {
        if let Some(value) = resp.headers().get(name)? {
            copy.headers_mut().set(name, &value)?;
        }
    }
    Ok(copy)
}

fn health(env: &Env, limits: Limits) -> Handled {
    json(
        200,
        &Health {
            service: "gfms-relay".into(),
            api: gfms_protocol::API_VERSION.into(),
            version: env!("CARGO_PKG_VERSION").into(),
            registration_required: var(env, "REGISTRATION_KEY").is_some_and(|k| !k.is_empty()),
            max_body_bytes: limits.max_body_bytes(),
            limits,
            vapid_public_key: forward::vapid(env).map(|v| v.public_key()),
        },
    )
}

/// Reads the body chunk by chunk and stops at `limit` (413), whatever `Content-Length`
/// says or whether it is there at all.
async fn read_limited(req: &mut Request, limit: usize) -> std::result::Result<Vec<u8>, RelayError> {
    let declared = req.headers().get("content-length")?;
    let mut reader = BodyReader::new(limit, declared.as_deref())?;
    let Ok(mut stream) = req.stream() else {
        return Ok(Vec::new()); // no body
    };
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|_| RelayError::BadRequest("unreadable body".into()))?;
        reader.push(&chunk)?;
    }
    Ok(reader.finish())
}

/// The same request with a body already read.
fn with_body(req: &Request, body: Vec<u8>) -> Result<Request> {
    let mut init = RequestInit::new();
    init.with_method(req.method())
        .with_headers(req.headers().clone())
        .with_body(Some(Uint8Array::from(body.as_slice()).into()));
    Request::new_with_init(req.url()?.as_ref(), &init)
}
