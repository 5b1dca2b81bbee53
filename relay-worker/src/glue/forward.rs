//! `POST /v1/groups/{gid}/push`: forwards one encrypted notification to a push service,
//! signed with the relay's VAPID key. Runs in the group's Durable Object (after the
//! bearer token is checked) so the per-group rate is counted in one place. Nothing of
//! the request is stored or logged.

use gfms_protocol::{PUSHES_PER_MINUTE, PushForwardRequest, PushForwardResponse};
use js_sys::Uint8Array;
use worker::{Env, Fetch, Headers, Method, Request, RequestInit, RequestRedirect, Storage};

use super::http::{Handled, json};
use super::var;
use crate::RelayError;
use crate::push::{PushWindow, Vapid, check};

const WINDOW_KEY: &str = "push_window";

/// The relay's VAPID key, if it has one.
pub(super) fn vapid(env: &Env) -> Option<Vapid> {
    var(env, "VAPID_PRIVATE_KEY").and_then(|k| Vapid::from_private(&k))
}

/// Checks, counts and forwards; answers with the push service's status.
pub(super) async fn forward(
    env: &Env,
    storage: &Storage,
    body: PushForwardRequest,
    now_ms: u64,
) -> Handled {
    let vapid = vapid(env).ok_or(RelayError::NotFound(
        "push forwarding (this relay has no VAPID key)",
    ))?;
    let fwd = check(body, var(env, "PUSH_TEST_ORIGIN").as_deref())?;
    let per_minute = var(env, "PUSH_RATE_PER_MINUTE")
        .and_then(|v| v.trim().parse::<u32>().ok())
        .filter(|n| *n > 0)
        .unwrap_or(PUSHES_PER_MINUTE);
    let window: PushWindow = storage.get(WINDOW_KEY).await?.unwrap_or_default();
    let window = window
        .admit(now_ms, per_minute)
        .ok_or(RelayError::QuotaExceeded("push notifications per minute"))?;
    storage.put(WINDOW_KEY, window).await?;

    let subject = var(env, "VAPID_SUBJECT").unwrap_or_else(|| "mailto:relay@gfms.invalid".into());
    let headers = Headers::new();
    headers.set(
        "authorization",
        &vapid.authorization(&fwd.origin, &subject, now_ms / 1000),
    )?;
    headers.set("ttl", &fwd.ttl.to_string())?;
    headers.set("content-encoding", "aes128gcm")?;
    headers.set("content-type", "application/octet-stream")?;
    headers.set("urgency", "normal")?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post)
        .with_headers(headers)
        // A push service never redirects; following one would make this an open forwarder.
        .with_redirect(RequestRedirect::Manual)
        .with_body(Some(Uint8Array::from(fwd.payload.as_slice()).into()));
    let request = Request::new_with_init(&fwd.endpoint, &init)?;
    let status = match Fetch::Request(request).send().await {
        Ok(resp) => resp.status_code(),
        Err(_) => return Err(RelayError::Retry("the push service is unreachable")),
    };
    json(200, &PushForwardResponse { status })
}
