//! Responses: JSON bodies, the one mapping from failures to answers, and CORS headers.

use gfms_protocol::ErrorCode;
use serde::Serialize;
use worker::{Headers, Response};

use crate::RelayError;
use crate::cors::{ALLOW_HEADERS, ALLOW_METHODS, MAX_AGE};

/// A request failed: either by the rules (a 4xx the client can act on) or because the
/// platform did (storage unavailable), which answers 503 `retry` and is logged, never
/// shown to the client in detail.
pub enum Failure {
    Relay(RelayError),
    Platform(String),
}

impl From<RelayError> for Failure {
    fn from(e: RelayError) -> Self {
        Failure::Relay(e)
    }
}

impl From<worker::Error> for Failure {
    fn from(e: worker::Error) -> Self {
        Failure::Platform(e.to_string())
    }
}

impl From<worker::kv::KvError> for Failure {
    fn from(e: worker::kv::KvError) -> Self {
        Failure::Platform(e.to_string())
    }
}

/// Result of a handler.
pub type Handled = Result<Response, Failure>;

/// A JSON answer with a status.
pub fn json<T: Serialize>(status: u16, body: &T) -> Handled {
    let text = serde_json::to_string(body).map_err(|e| Failure::Platform(e.to_string()))?;
    let headers = Headers::new();
    headers.set("content-type", "application/json")?;
    headers.set("cache-control", "no-store")?;
    Ok(Response::ok(text)?
        .with_status(status)
        .with_headers(headers))
}

/// The answer for a failure. Never fails itself.
pub fn failure(f: Failure) -> Response {
    let err = match f {
        Failure::Relay(e) => e,
        Failure::Platform(detail) => {
            worker::console_error!("platform failure: {detail}");
            RelayError::Retry
        }
    };
    let mut resp = json(err.status(), &err.body()).unwrap_or_else(|_| {
        Response::ok(r#"{"error":"retry","message":"temporary failure"}"#)
            .map(|r| r.with_status(503))
            .unwrap_or_else(|_| Response::empty().expect("an empty response can always be built"))
    });
    let headers = resp.headers_mut();
    if err.code() == ErrorCode::Retry {
        let _ = headers.set("retry-after", "1");
    }
    if let RelayError::MethodNotAllowed(allowed) = &err {
        let _ = headers.set("allow", allowed);
    }
    resp
}

/// Adds the CORS answer for an allowed origin.
pub fn with_cors(mut resp: Response, allow_origin: Option<&str>, preflight: bool) -> Response {
    let headers = resp.headers_mut();
    let _ = headers.set("vary", "Origin");
    if let Some(origin) = allow_origin {
        let _ = headers.set("access-control-allow-origin", origin);
        let _ = headers.set("access-control-expose-headers", "retry-after");
        if preflight {
            let _ = headers.set("access-control-allow-methods", ALLOW_METHODS);
            let _ = headers.set("access-control-allow-headers", ALLOW_HEADERS);
            let _ = headers.set("access-control-max-age", MAX_AGE);
        }
    }
    resp
}
