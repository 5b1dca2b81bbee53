//! Error codes: every relay error is JSON `{"error": code, "message": text}` with one
//! HTTP status per code.

use serde::{Deserialize, Serialize};

/// A relay error code. The HTTP status follows from the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The request is malformed (query, headers, body shape).
    BadRequest,
    /// An id in the path or body is not 32 lowercase hex characters.
    BadId,
    /// The body is not valid JSON for this route.
    BadJson,
    /// Missing or wrong bearer token.
    Unauthorized,
    /// The relay requires a registration key and it was missing or wrong.
    Forbidden,
    /// Unknown share or route.
    NotFound,
    /// The relay holds no group under this id: never registered, or removed after
    /// being idle. Register it again.
    UnknownGroup,
    /// The route exists but not with this method.
    MethodNotAllowed,
    /// The id is taken by something else (another token, other bytes).
    Conflict,
    /// The share id reached its lifetime ceiling: put the batch under a new id.
    Gone,
    /// The share or body is larger than the relay accepts.
    TooLarge,
    /// The group is over its share-count or byte quota, or a share lists as many
    /// members as it may.
    QuotaExceeded,
    /// Too many new groups from one network address; try again later (`Retry-After`).
    RateLimited,
    /// The relay knows the share but its bytes are not readable yet; try again.
    Retry,
}

impl ErrorCode {
    /// The HTTP status that goes with this code.
    pub fn status(self) -> u16 {
        match self {
            Self::BadRequest | Self::BadId | Self::BadJson => 400,
            Self::Unauthorized => 401,
            Self::Forbidden => 403,
            Self::NotFound | Self::UnknownGroup => 404,
            Self::MethodNotAllowed => 405,
            Self::Conflict => 409,
            Self::Gone => 410,
            Self::TooLarge => 413,
            Self::QuotaExceeded | Self::RateLimited => 429,
            Self::Retry => 503,
        }
    }
}

/// The JSON body of every error answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// Machine-readable code.
    pub error: ErrorCode,
    /// Human-readable explanation; never contains stored data.
    pub message: String,
}

impl ErrorBody {
    /// An error body with this code and message.
    pub fn new(error: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            error,
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_serialize_as_snake_case_with_their_status() {
        let body = ErrorBody::new(ErrorCode::QuotaExceeded, "too many shares");
        let json = serde_json::to_string(&body).unwrap();
        assert_eq!(
            json,
            r#"{"error":"quota_exceeded","message":"too many shares"}"#
        );
        assert_eq!(ErrorCode::QuotaExceeded.status(), 429);
        assert_eq!(ErrorCode::BadId.status(), 400);
        assert_eq!(ErrorCode::Retry.status(), 503);
        assert_eq!(ErrorCode::UnknownGroup.status(), 404);
        assert_eq!(ErrorCode::Gone.status(), 410);
        assert_eq!(ErrorCode::RateLimited.status(), 429);
        let json = serde_json::to_string(&ErrorCode::UnknownGroup).unwrap();
        assert_eq!(json, r#""unknown_group""#);
    }
}
