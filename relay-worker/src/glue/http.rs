//! Responses: JSON bodies, the one mapping from errors to answers, and CORS headers.

use serde::Serialize;
use worker::{Headers, Response};

use crate::RelayError;
use crate::cors::{ALLOW_HEADERS, ALLOW_METHODS, EXPOSE_HEADERS, MAX_AGE};

impl From<worker::Error> for RelayError {
    fn from(e: worker::Error) -> Self {
        RelayError::Unavailable(e.to_string())
    }
}

impl From<worker::kv::KvError> for RelayError {
    fn from(e: worker::kv::KvError) -> Self {
        RelayError::Unavailable(e.to_string())
    }
}

/// Result of a handler.
pub type Handled = Result<Response, RelayError>;

/// A JSON answer with a status.
pub fn json<T: Serialize>(status: u16, body: &T) -> Handled {
    let text = serde_json::to_string(body).map_err(|e| RelayError::Unavailable(e.to_string()))?;
    json_text(status, text)
}

/// A JSON answer from text already serialised.
pub fn json_text(status: u16, text: String) -> Handled {
    let headers = Headers::new();
    headers.set("content-type", "application/json")?;
    headers.set("cache-control", "no-store")?;
    Ok(Response::ok(text)?
        .with_status(status)
        .with_headers(headers))
}

/// The answer for an error; platform details are logged, never sent. Fails only if the
/// JS runtime cannot build a response at all (the JavaScript entry answers then).
pub fn failure(err: RelayError) -> worker::Result<Response> {
    if let RelayError::Unavailable(detail) = &err {
        worker::console_error!("platform failure: {detail}");
    }
    let mut resp = match json(err.status(), &err.body()) {
        Ok(resp) => resp,
        Err(_) => Response::error(err.to_string(), err.status())?,
    };
    let headers = resp.headers_mut();
    if let Some(secs) = err.retry_after() {
        headers.set("retry-after", &secs.to_string())?;
    }
    if let RelayError::MethodNotAllowed(allowed) = &err {
        headers.set("allow", allowed)?;
    }
    Ok(resp)
}

/// Adds the CORS answer for an allowed origin (and `Vary: Origin` for caches). The
/// headers are copied into a new set, so this works on any response, including ones
/// whose headers are immutable.
pub fn with_cors(
    resp: Response,
    allow_origin: Option<&str>,
    preflight: bool,
) -> worker::Result<Response> {
    let headers = Headers::new();
    for (k, v) in resp.headers().entries() {
        headers.set(&k, &v)?;
    }
    headers.set("vary", "Origin")?;
    if let Some(origin) = allow_origin {
        headers.set("access-control-allow-origin", origin)?;
        headers.set("access-control-expose-headers", EXPOSE_HEADERS)?;
        if preflight {
            headers.set("access-control-allow-methods", ALLOW_METHODS)?;
            headers.set("access-control-allow-headers", ALLOW_HEADERS)?;
            headers.set("access-control-max-age", MAX_AGE)?;
        }
    }
    Ok(resp.with_headers(headers))
}
