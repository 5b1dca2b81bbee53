//! The simple form of a share request (issue 17, docs/protocol.md).
//!
//! A browser sends a request that carries `Authorization` only after a CORS preflight
//! (`OPTIONS`), a whole round trip, and caches that preflight per URL: every share has
//! its own URL, so every put and fetch paid one. The simple form is a CORS-simple
//! request instead: `POST` on the same URL (query included), a `text/plain` body that
//! carries the token, the method of the classic request it stands for and that
//! request's body. Browsers send it with no preflight. The relay reads it into the same
//! request as the classic form and runs the same checks.
//!
//! The group routes that are `POST` already (`…/shares` listing, `…/status`, `…/acks`)
//! have a simpler simple form: the classic JSON body with one more field, `token`
//! ([`simple_body`]), sent as `text/plain` with no `Authorization`.

use serde::{Deserialize, Serialize};

/// The content type of a simple request: CORS-safelisted, so no preflight.
pub const SIMPLE_CONTENT_TYPE: &str = "text/plain;charset=UTF-8";

/// The methods a simple request may stand for: those of `/v1/groups/{gid}/shares/{sid}`.
pub const SIMPLE_METHODS: [&str; 3] = ["PUT", "GET", "DELETE"];

/// The body of a simple request on `/v1/groups/{gid}/shares/{sid}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SimpleShareRequest<B> {
    /// The group's bearer token at this relay, hex: what `Authorization: Bearer` carries
    /// in the classic form.
    pub token: String,
    /// The classic request's method: `PUT`, `GET` or `DELETE`.
    pub method: String,
    /// The classic request's body (a put's [`crate::PutShareRequest`]); absent for `GET`
    /// and `DELETE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<B>,
}

/// The simple form's body of a `POST` group route (listing, status, acks): the classic
/// body, a JSON object, with the token as its `token` field. `None` if `body` is not an
/// object.
pub fn simple_body<B: Serialize>(body: &B, token: &str) -> Option<Vec<u8>> {
    let mut value = serde_json::to_value(body).ok()?;
    value
        .as_object_mut()?
        .insert("token".into(), serde_json::Value::String(token.into()));
    serde_json::to_vec(&value).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ListRequest, PutShareRequest, ShareId, StatusRequest};

    #[test]
    fn a_simple_post_body_is_the_classic_body_with_the_token() {
        let sid = ShareId::from_bytes([2; 16]);
        let status = StatusRequest { shares: vec![sid] };
        let text = String::from_utf8(simple_body(&status, "ab").unwrap()).unwrap();
        assert_eq!(text, format!(r#"{{"shares":["{sid}"],"token":"ab"}}"#));
        let plain = simple_body(&ListRequest::default(), "ab").unwrap();
        assert_eq!(plain, br#"{"token":"ab"}"#);
        assert!(
            simple_body(&7, "ab").is_none(),
            "only an object takes a token"
        );
    }

    #[test]
    fn a_simple_put_carries_the_token_the_method_and_the_classic_body() {
        let put = SimpleShareRequest {
            token: "ab".repeat(32),
            method: "PUT".into(),
            body: Some(PutShareRequest {
                data: "AAEC".into(),
                recipients: Vec::new(),
            }),
        };
        let text = serde_json::to_string(&put).unwrap();
        assert_eq!(
            text,
            format!(
                r#"{{"token":"{}","method":"PUT","body":{{"data":"AAEC","recipients":[]}}}}"#,
                "ab".repeat(32)
            )
        );
        let fetch = SimpleShareRequest::<PutShareRequest> {
            token: "ab".repeat(32),
            method: "GET".into(),
            body: None,
        };
        assert!(!serde_json::to_string(&fetch).unwrap().contains("body"));
        assert!(
            serde_json::from_str::<SimpleShareRequest<PutShareRequest>>(
                r#"{"token":"","method":"GET","extra":1}"#
            )
            .is_err(),
            "unknown fields are refused"
        );
    }
}
