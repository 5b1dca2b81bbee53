//! A request on a share's URL, in either of its two forms, read into one
//! [`ShareRequest`] so that everything after (the group, the token, the body's shape,
//! the route's own checks) is one code path:
//!
//! - **classic**: the method names the operation (`PUT`, `GET`, `DELETE`), the token is in
//!   `Authorization`, a put's body is its JSON;
//! - **simple** (`POST`, [`SimpleShareRequest`]): the token, the method and a put's body
//!   are in a `text/plain` body, so a browser sends it with no CORS preflight.
//!
//! The token is looked at before the body's shape in both: a wrong token is 401 however
//! malformed the rest, and a body with no readable token is a request with none (401).

use gfms_protocol::{PutShareRequest, SIMPLE_METHODS, SimpleShareRequest, Token};
use serde_json::Value;

use crate::RelayError;
use crate::auth::token_from_authorization;

/// What a request on a share's URL asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareOp {
    /// Store (or refresh) the share.
    Put(PutShareRequest),
    /// Its bytes, for the member the query names.
    Fetch,
    /// Delete its bytes now.
    Delete,
}

/// A request on `/v1/groups/{gid}/shares/{sid}`, as either form brought it.
#[derive(Debug)]
pub struct ShareRequest {
    /// The bearer token, or why there is none: checked first, after the group.
    pub token: Result<Token, RelayError>,
    body: Body,
}

#[derive(Debug)]
enum Body {
    /// A classic request: its method and raw body (parsed only after the token).
    Classic(String, Vec<u8>),
    /// A simple request's envelope, or why it is not one.
    Simple(Result<Value, RelayError>),
}

impl ShareRequest {
    /// A classic request: `method` with the `Authorization` header and the body.
    pub fn classic(method: &str, authorization: Option<&str>, body: Vec<u8>) -> Self {
        Self {
            token: token_from_authorization(authorization),
            body: Body::Classic(method.to_ascii_uppercase(), body),
        }
    }

    /// A simple request: everything is in the body.
    pub fn simple(body: &[u8]) -> Self {
        let value: Result<Value, RelayError> =
            serde_json::from_slice(body).map_err(|e| RelayError::BadJson(e.to_string()));
        let token = value
            .as_ref()
            .ok()
            .and_then(|v| v.get("token"))
            .and_then(Value::as_str)
            .ok_or(RelayError::Unauthorized)
            .and_then(|hex| Token::parse(hex).map_err(|_| RelayError::Unauthorized));
        Self {
            token,
            body: Body::Simple(value),
        }
    }

    /// The operation, once the token passed: the body's shape is checked here.
    pub fn op(self) -> Result<ShareOp, RelayError> {
        let (method, put) = match self.body {
            Body::Classic(method, bytes) => {
                let put = || serde_json::from_slice(&bytes).map_err(bad_json);
                return match method.as_str() {
                    "PUT" => Ok(ShareOp::Put(put()?)),
                    "GET" => Ok(ShareOp::Fetch),
                    "DELETE" => Ok(ShareOp::Delete),
                    _ => Err(RelayError::MethodNotAllowed(SIMPLE_METHODS.join(", "))),
                };
            }
            Body::Simple(value) => {
                let envelope: SimpleShareRequest<Value> =
                    serde_json::from_value(value?).map_err(bad_json)?;
                (envelope.method, envelope.body)
            }
        };
        match (method.as_str(), put) {
            ("PUT", Some(body)) => Ok(ShareOp::Put(
                serde_json::from_value(body).map_err(bad_json)?,
            )),
            ("GET", None) => Ok(ShareOp::Fetch),
            ("DELETE", None) => Ok(ShareOp::Delete),
            (m, _) => Err(RelayError::BadJson(format!(
                "a simple request stands for PUT (with a body), GET or DELETE, not {m:?}"
            ))),
        }
    }
}

fn bad_json(e: serde_json::Error) -> RelayError {
    RelayError::BadJson(e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use gfms_protocol::MemberId;

    const TOKEN: [u8; 32] = [7; 32];

    fn hex() -> String {
        Token::from_bytes(TOKEN).to_string()
    }

    fn bearer(t: &str) -> String {
        format!("Bearer {t}")
    }

    fn put_body() -> Value {
        serde_json::json!({"data": "AAEC", "recipients": [MemberId::from_bytes([1; 16])]})
    }

    fn simple(token: Value, method: &str, body: Option<Value>) -> ShareRequest {
        let mut v = serde_json::json!({"token": token, "method": method});
        if let Some(b) = body {
            v["body"] = b;
        }
        ShareRequest::simple(&serde_json::to_vec(&v).unwrap())
    }

    /// Outcome of a request as the relay decides it: the token first, then the body.
    fn decide(r: ShareRequest) -> Result<ShareOp, RelayError> {
        r.token.clone().and_then(|t| {
            if t == Token::from_bytes(TOKEN) {
                r.op()
            } else {
                Err(RelayError::Unauthorized)
            }
        })
    }

    #[test]
    fn both_forms_of_the_same_request_are_the_same_request() {
        let body = serde_json::to_vec(&put_body()).unwrap();
        let pairs = [
            (
                ShareRequest::classic("PUT", Some(&bearer(&hex())), body.clone()),
                simple(hex().into(), "PUT", Some(put_body())),
            ),
            (
                ShareRequest::classic("GET", Some(&bearer(&hex())), Vec::new()),
                simple(hex().into(), "GET", None),
            ),
            (
                ShareRequest::classic("DELETE", Some(&bearer(&hex())), Vec::new()),
                simple(hex().into(), "DELETE", None),
            ),
        ];
        for (classic, simple) in pairs {
            let (c, s) = (decide(classic), decide(simple));
            assert!(c.is_ok(), "{c:?}");
            assert_eq!(c, s);
        }
    }

    /// Thief (someone without the group's token) and Hostile client: what the classic
    /// form refuses, the simple one refuses with the same code, token before body.
    #[test]
    fn what_the_classic_form_refuses_the_simple_form_refuses_alike() {
        let wrong = Token::from_bytes([8; 32]).to_string();
        let code = |r: Result<ShareOp, RelayError>| r.map_err(|e| e.body().error);
        let cases: Vec<(&str, ShareRequest, ShareRequest)> = vec![
            (
                "wrong token",
                ShareRequest::classic("PUT", Some(&bearer(&wrong)), b"{}".to_vec()),
                simple(wrong.clone().into(), "PUT", Some(serde_json::json!({}))),
            ),
            (
                "no token",
                ShareRequest::classic("GET", None, Vec::new()),
                ShareRequest::simple(br#"{"method":"GET"}"#),
            ),
            (
                "malformed token",
                ShareRequest::classic("GET", Some("Bearer xyz"), Vec::new()),
                simple("xyz".into(), "GET", None),
            ),
            (
                "a token that is not a string",
                ShareRequest::classic("GET", Some("Bearer 7"), Vec::new()),
                simple(7.into(), "GET", None),
            ),
            (
                "not JSON at all, no token either",
                ShareRequest::classic("PUT", None, b"[[[".to_vec()),
                ShareRequest::simple(b"[[["),
            ),
            (
                "a put body of the wrong shape",
                ShareRequest::classic("PUT", Some(&bearer(&hex())), br#"{"data":1}"#.to_vec()),
                simple(hex().into(), "PUT", Some(serde_json::json!({"data": 1}))),
            ),
            (
                "a put body with another field (another share's id)",
                ShareRequest::classic(
                    "PUT",
                    Some(&bearer(&hex())),
                    br#"{"data":"AA","recipients":[],"id":"00"}"#.to_vec(),
                ),
                simple(
                    hex().into(),
                    "PUT",
                    Some(serde_json::json!({"data": "AA", "recipients": [], "id": "00"})),
                ),
            ),
        ];
        for (what, classic, simple) in cases {
            let c = code(decide(classic));
            assert!(c.is_err(), "{what}: the classic form refuses");
            assert_eq!(c, code(decide(simple)), "{what}");
        }
    }

    #[test]
    fn a_simple_envelope_of_another_shape_is_bad_json() {
        for body in [
            serde_json::json!({"token": hex(), "method": "PATCH"}),
            serde_json::json!({"token": hex(), "method": "PUT"}),
            serde_json::json!({"token": hex(), "method": "GET", "body": put_body()}),
            serde_json::json!({"token": hex(), "method": "DELETE", "share": "00"}),
            serde_json::json!({"token": hex()}),
        ] {
            let r = ShareRequest::simple(&serde_json::to_vec(&body).unwrap());
            assert!(r.token.is_ok());
            assert!(matches!(r.op(), Err(RelayError::BadJson(_))), "{body}");
        }
    }
}
