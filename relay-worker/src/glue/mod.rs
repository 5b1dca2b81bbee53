//! The Worker: answers health and CORS preflights itself, checks the route and method,
//! and hands every group request to that group's Durable Object.

mod http;
mod object;

use gfms_protocol::Health;
use gfms_protocol::paths::{Route, RouteError};
use worker::{Context, Env, Method, Request, Response, Result, event};

use crate::RelayError;
use crate::config::limits_from_vars;
use crate::cors::AllowedOrigins;
use http::{Failure, Handled, failure, json, with_cors};

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
    let allow = origins.allow(req.headers().get("origin").ok().flatten().as_deref());
    let preflight = req.method() == Method::Options;
    let resp = match handle(req, &env, allow.is_some()).await {
        Ok(resp) if resp.status_code() == 101 => return Ok(resp),
        Ok(resp) => resp,
        Err(f) => failure(f),
    };
    Ok(with_cors(resp, allow.as_deref(), preflight))
}

async fn handle(req: Request, env: &Env, origin_allowed: bool) -> Handled {
    let route = Route::parse(&req.path()).map_err(|e| match e {
        RouteError::NotFound => RelayError::NotFound("route"),
        RouteError::BadId => RelayError::BadId("group or share id".into()),
    })?;
    let method = req.method();
    if method == Method::Options {
        if !origin_allowed {
            return Err(RelayError::Forbidden.into());
        }
        return Ok(Response::empty()?.with_status(204));
    }
    if !route.methods().contains(&method.as_ref()) {
        return Err(RelayError::MethodNotAllowed(route.methods().join(", ")).into());
    }
    let limits = limits_from_vars(|n| var(env, n));
    if let Some(len) = req
        .headers()
        .get("content-length")?
        .and_then(|l| l.parse::<usize>().ok())
        && len > limits.max_body_bytes()
    {
        return Err(RelayError::TooLarge {
            what: "request body",
            size: len,
            limit: limits.max_body_bytes(),
        }
        .into());
    }
    let gid = match route {
        Route::Health => {
            let health = Health {
                service: "gfms-relay".into(),
                api: gfms_protocol::API_VERSION.into(),
                version: env!("CARGO_PKG_VERSION").into(),
                registration_required: var(env, "REGISTRATION_KEY").is_some_and(|k| !k.is_empty()),
                limits,
            };
            return json(200, &health);
        }
        Route::Group(g)
        | Route::Shares(g)
        | Route::Share(g, _)
        | Route::Acks(g)
        | Route::Status(g)
        | Route::Ws(g) => g,
    };
    let stub = env
        .durable_object("GROUPS")?
        .id_from_name(&gid.to_string())?
        .get_stub()?;
    let mut resp = stub.fetch_with_request(req).await?;
    if resp.status_code() == 101 {
        return Ok(resp);
    }
    // A response from a stub has immutable headers: copy it so CORS can be added.
    let status = resp.status_code();
    let body = resp.text().await?;
    let mut copy = json_text(status, body)?;
    if let Some(retry) = resp.headers().get("retry-after")? {
        copy.headers_mut().set("retry-after", &retry)?;
    }
    Ok(copy)
}

fn json_text(status: u16, body: String) -> std::result::Result<Response, Failure> {
    let mut resp = Response::ok(body)?.with_status(status);
    resp.headers_mut().set("content-type", "application/json")?;
    resp.headers_mut().set("cache-control", "no-store")?;
    Ok(resp)
}
