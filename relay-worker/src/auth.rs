//! Bearer tokens and registration keys. A relay keeps only SHA-256 of a group's token
//! and compares in constant time.

use gfms_protocol::{Token, TokenHash, WS_BEARER_PREFIX};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::RelayError;

/// SHA-256 of a token: what a relay stores.
pub fn hash_token(token: &Token) -> TokenHash {
    TokenHash::from_bytes(Sha256::digest(token.as_bytes()).into())
}

/// Extracts the token from an `Authorization: Bearer <hex>` header value.
pub fn token_from_authorization(header: Option<&str>) -> Result<Token, RelayError> {
    let value = header.ok_or(RelayError::Unauthorized)?;
    let hex = value
        .strip_prefix("Bearer ")
        .ok_or(RelayError::Unauthorized)?;
    Token::parse(hex.trim()).map_err(|_| RelayError::Unauthorized)
}

/// Extracts the token from a `Sec-WebSocket-Protocol` list (`gfms.v1, bearer.<hex>`),
/// the only way a browser can send it on a WebSocket upgrade.
pub fn token_from_ws_protocols(header: Option<&str>) -> Option<Token> {
    header?
        .split(',')
        .map(str::trim)
        .find_map(|p| p.strip_prefix(WS_BEARER_PREFIX))
        .and_then(|hex| Token::parse(hex).ok())
}

/// Checks a presented token against the stored hash, in constant time.
pub fn verify(stored: &TokenHash, presented: &Token) -> Result<(), RelayError> {
    let ok: bool = hash_token(presented)
        .as_bytes()
        .ct_eq(stored.as_bytes())
        .into();
    if ok {
        Ok(())
    } else {
        Err(RelayError::Unauthorized)
    }
}

/// Checks the registration key when the operator set one (constant time).
pub fn check_registration_key(
    required: Option<&str>,
    given: Option<&str>,
) -> Result<(), RelayError> {
    let Some(required) = required.filter(|k| !k.is_empty()) else {
        return Ok(());
    };
    let given = given.ok_or(RelayError::Forbidden(NEEDS_KEY))?;
    let ok: bool = Sha256::digest(required.as_bytes())
        .ct_eq(&Sha256::digest(given.as_bytes()))
        .into();
    if ok {
        Ok(())
    } else {
        Err(RelayError::Forbidden(NEEDS_KEY))
    }
}

const NEEDS_KEY: &str = "this relay needs its registration key to register a group";

#[cfg(test)]
mod tests {
    use super::*;

    fn token(b: u8) -> Token {
        Token::from_bytes([b; 32])
    }

    #[test]
    fn only_the_registered_token_passes() {
        let stored = hash_token(&token(1));
        assert_eq!(verify(&stored, &token(1)), Ok(()));
        assert_eq!(verify(&stored, &token(2)), Err(RelayError::Unauthorized));
    }

    #[test]
    fn authorization_header_must_be_a_bearer_hex_token() {
        let hex = token(7).to_string();
        assert_eq!(
            token_from_authorization(Some(&format!("Bearer {hex}"))),
            Ok(token(7))
        );
        for bad in [
            None,
            Some("Basic abc"),
            Some("Bearer "),
            Some("Bearer xyz"),
            Some(hex.as_str()),
        ] {
            assert_eq!(
                token_from_authorization(bad),
                Err(RelayError::Unauthorized),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn websocket_protocol_carries_the_token() {
        let hex = token(3).to_string();
        let header = format!("gfms.v1, bearer.{hex}");
        assert_eq!(token_from_ws_protocols(Some(&header)), Some(token(3)));
        assert_eq!(token_from_ws_protocols(Some("gfms.v1")), None);
        assert_eq!(token_from_ws_protocols(None), None);
    }

    #[test]
    fn registration_key_is_needed_only_when_set() {
        assert_eq!(check_registration_key(None, None), Ok(()));
        assert_eq!(check_registration_key(Some(""), None), Ok(()));
        assert_eq!(check_registration_key(Some("k"), Some("k")), Ok(()));
        assert_eq!(
            check_registration_key(Some("k"), Some("x")),
            Err(RelayError::Forbidden(NEEDS_KEY))
        );
        assert_eq!(
            check_registration_key(Some("k"), None),
            Err(RelayError::Forbidden(NEEDS_KEY))
        );
    }
}
