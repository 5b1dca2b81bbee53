//! The simple form of a share request (issue 17, docs/protocol.md).
//!
//! A browser sends a request that carries `Authorization` only after a CORS preflight
//! (`OPTIONS`), a whole round trip, and caches that preflight per URL: every share has
//! its own URL, so every put and fetch paid one. The simple form is a CORS-simple
//! request instead: `POST` on the same URL (query included), a `text/plain` body that
//! carries the token, the method of the classic request it stands for and that
//! request's body. Browsers send it with no preflight. The relay reads it into the same
//! request as the classic form and runs the same checks.

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PutShareRequest;

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
