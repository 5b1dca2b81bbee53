//! The relay's one error type. Each variant maps to one protocol error code (and so one
//! HTTP status); messages never contain stored data or platform details.

use gfms_protocol::{ErrorBody, ErrorCode};

/// Everything a relay request can fail with.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RelayError {
    /// Malformed request (query, header, body shape).
    #[error("{0}")]
    BadRequest(String),
    /// An id in the path or query is not 32 lowercase hex characters.
    #[error("malformed id: {0}")]
    BadId(String),
    /// The body is not the JSON this route expects.
    #[error("invalid JSON body: {0}")]
    BadJson(String),
    /// Missing or wrong bearer token.
    #[error("missing or wrong bearer token")]
    Unauthorized,
    /// Registration key missing or wrong, or a preflight from an origin not allowed.
    #[error("{0}")]
    Forbidden(&'static str),
    /// Unknown share or route.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// No group under this id: never registered, or removed after being idle.
    #[error("no group under this id (never registered, or removed when idle); register it")]
    UnknownGroup,
    /// The route does not answer this method.
    #[error("method not allowed; allowed: {0}")]
    MethodNotAllowed(String),
    /// The id is taken by something else.
    #[error("{0}")]
    Conflict(&'static str),
    /// The share id reached its lifetime ceiling.
    #[error("this share id reached its lifetime ceiling; put the batch under a new id")]
    Gone,
    /// Too large.
    #[error("{what} is {size} bytes; the limit is {limit}")]
    TooLarge {
        /// What was too large.
        what: &'static str,
        /// Its size (or how much of it was read before giving up).
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// Over a per-group or per-share quota.
    #[error("quota exceeded: {0}")]
    QuotaExceeded(&'static str),
    /// Too many new groups from one address.
    #[error("too many new groups from this address; try again in a minute")]
    RateLimited,
    /// Known share whose bytes are not readable yet, or a put of it still in flight.
    #[error("{0}; retry")]
    Retry(&'static str),
    /// Storage or the platform failed; the detail is logged, never sent.
    #[error("the relay's storage is unavailable; retry")]
    Unavailable(String),
}

impl RelayError {
    /// The protocol error code.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::BadRequest(_) => ErrorCode::BadRequest,
            Self::BadId(_) => ErrorCode::BadId,
            Self::BadJson(_) => ErrorCode::BadJson,
            Self::Unauthorized => ErrorCode::Unauthorized,
            Self::Forbidden(_) => ErrorCode::Forbidden,
            Self::NotFound(_) => ErrorCode::NotFound,
            Self::UnknownGroup => ErrorCode::UnknownGroup,
            Self::MethodNotAllowed(_) => ErrorCode::MethodNotAllowed,
            Self::Conflict(_) => ErrorCode::Conflict,
            Self::Gone => ErrorCode::Gone,
            Self::TooLarge { .. } => ErrorCode::TooLarge,
            Self::QuotaExceeded(_) => ErrorCode::QuotaExceeded,
            Self::RateLimited => ErrorCode::RateLimited,
            Self::Retry(_) | Self::Unavailable(_) => ErrorCode::Retry,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.code().status()
    }

    /// Seconds a client should wait before trying again, for answers that say so.
    pub fn retry_after(&self) -> Option<u32> {
        match self {
            Self::Retry(_) | Self::Unavailable(_) => Some(1),
            Self::RateLimited => Some(60),
            _ => None,
        }
    }

    /// The JSON error body.
    pub fn body(&self) -> ErrorBody {
        ErrorBody::new(self.code(), self.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platform_details_never_reach_the_answer() {
        let e = RelayError::Unavailable("KV GET failed: ENOENT /var/relay/blob".into());
        assert_eq!(e.status(), 503);
        assert!(!e.body().message.contains("ENOENT"));
        assert_eq!(e.retry_after(), Some(1));
    }
}
