//! The relay's one error type. Each variant maps to one protocol error code (and so one
//! HTTP status); messages never contain stored data.

use gfms_protocol::{ErrorBody, ErrorCode};

/// Everything a relay request can fail with.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RelayError {
    /// Malformed request (query, header, body shape).
    #[error("{0}")]
    BadRequest(String),
    /// An id is not 32 lowercase hex characters.
    #[error("malformed id: {0}")]
    BadId(String),
    /// The body is not the JSON this route expects.
    #[error("invalid JSON body: {0}")]
    BadJson(String),
    /// Missing or wrong bearer token.
    #[error("missing or wrong bearer token")]
    Unauthorized,
    /// Registration key missing or wrong.
    #[error("this relay needs a registration key to register a group")]
    Forbidden,
    /// Unknown group, share or route.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The route does not answer this method.
    #[error("method not allowed; allowed: {0}")]
    MethodNotAllowed(String),
    /// The id is taken by something else.
    #[error("{0}")]
    Conflict(&'static str),
    /// Too large.
    #[error("{what} is {size} bytes; the limit is {limit}")]
    TooLarge {
        /// What was too large.
        what: &'static str,
        /// Its size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// Over a per-group quota.
    #[error("group quota exceeded: {0}")]
    QuotaExceeded(&'static str),
    /// Known share whose bytes are not readable yet.
    #[error("share is not readable yet; retry")]
    Retry,
}

impl RelayError {
    /// The protocol error code.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::BadRequest(_) => ErrorCode::BadRequest,
            Self::BadId(_) => ErrorCode::BadId,
            Self::BadJson(_) => ErrorCode::BadJson,
            Self::Unauthorized => ErrorCode::Unauthorized,
            Self::Forbidden => ErrorCode::Forbidden,
            Self::NotFound(_) => ErrorCode::NotFound,
            Self::MethodNotAllowed(_) => ErrorCode::MethodNotAllowed,
            Self::Conflict(_) => ErrorCode::Conflict,
            Self::TooLarge { .. } => ErrorCode::TooLarge,
            Self::QuotaExceeded(_) => ErrorCode::QuotaExceeded,
            Self::Retry => ErrorCode::Retry,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.code().status()
    }

    /// The JSON error body.
    pub fn body(&self) -> ErrorBody {
        ErrorBody::new(self.code(), self.to_string())
    }
}
