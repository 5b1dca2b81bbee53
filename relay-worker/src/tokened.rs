//! The body of a `POST` group route (listing, status, acks) with its token, in either
//! form: **classic**, the token in `Authorization` and the route's JSON body; **simple**
//! (no `Authorization`, a `text/plain` body a browser sends with no CORS preflight), the
//! same JSON body with the token as its `token` field (`gfms_protocol::simple_body`).
//!
//! As for share requests ([`crate::share_request`]), the token is looked at before the
//! body's shape: a wrong token is 401 however malformed the rest, and a body with no
//! readable token is a request with none (401).

use gfms_protocol::Token;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::RelayError;
use crate::auth::token_from_authorization;

/// A `POST` group request's token and body, the body's shape not checked yet.
#[derive(Debug)]
pub struct Tokened {
    /// The bearer token, or why there is none: checked first, after the group.
    pub token: Result<Token, RelayError>,
    body: Result<Value, RelayError>,
}

impl Tokened {
    /// Reads the request: the token from `authorization` when there is one (the classic
    /// form; a `token` field in the body is then ignored), else from the body's `token`.
    /// An empty body is `{}`.
    pub fn read(authorization: Option<&str>, body: &[u8]) -> Self {
        let body: Result<Value, RelayError> = if body.iter().all(u8::is_ascii_whitespace) {
            Ok(Value::Object(serde_json::Map::new()))
        } else {
            serde_json::from_slice(body).map_err(|e| RelayError::BadJson(e.to_string()))
        };
        let token = match authorization {
            Some(_) => token_from_authorization(authorization),
            None => body
                .as_ref()
                .ok()
                .and_then(|v| v.get("token"))
                .and_then(Value::as_str)
                .ok_or(RelayError::Unauthorized)
                .and_then(|hex| Token::parse(hex).map_err(|_| RelayError::Unauthorized)),
        };
        Self { token, body }
    }

    /// The route's body, once the token passed: without its `token` field, of the
    /// route's shape (unknown fields refused, 400 `bad_json`).
    pub fn body<T: DeserializeOwned>(self) -> Result<T, RelayError> {
        let mut value = self.body?;
        if let Some(object) = value.as_object_mut() {
            object.remove("token");
        }
        serde_json::from_value(value).map_err(|e| RelayError::BadJson(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gfms_protocol::{AckRequest, ListRequest, StatusRequest};

    fn hex(b: u8) -> String {
        Token::from_bytes([b; 32]).to_string()
    }

    /// Thief and Hostile client: the simple form refuses what the classic one does,
    /// with the same code, the token before the body.
    #[test]
    fn the_token_comes_from_the_header_or_else_the_body_and_before_the_shape() {
        let status = format!(r#"{{"shares":[],"token":"{}"}}"#, hex(7));
        let simple = Tokened::read(None, status.as_bytes());
        assert_eq!(simple.token, Ok(Token::from_bytes([7; 32])));
        assert_eq!(
            simple.body::<StatusRequest>().unwrap(),
            StatusRequest { shares: vec![] }
        );
        let classic = Tokened::read(Some(&format!("Bearer {}", hex(8))), status.as_bytes());
        assert_eq!(
            classic.token,
            Ok(Token::from_bytes([8; 32])),
            "the header wins"
        );
        for body in [
            &b"[[["[..],
            br#"{"shares":[]}"#,
            br#"{"token":7}"#,
            br#"{"token":"xyz"}"#,
        ] {
            assert_eq!(
                Tokened::read(None, body).token,
                Err(RelayError::Unauthorized),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
        let bad_shape = format!(r#"{{"shares":[],"member":1,"token":"{}"}}"#, hex(7));
        let r = Tokened::read(None, bad_shape.as_bytes());
        assert!(r.token.is_ok());
        assert!(matches!(
            r.body::<StatusRequest>(),
            Err(RelayError::BadJson(_))
        ));
        let ack = format!(r#"{{"shares":[],"token":"{}"}}"#, hex(7));
        assert!(
            matches!(
                Tokened::read(None, ack.as_bytes()).body::<AckRequest>(),
                Err(RelayError::BadJson(_))
            ),
            "an ack names its member"
        );
    }

    #[test]
    fn an_empty_listing_body_is_a_plain_listing() {
        let r = Tokened::read(Some(&format!("Bearer {}", hex(7))), b"");
        assert_eq!(r.body::<ListRequest>().unwrap(), ListRequest::default());
    }
}
