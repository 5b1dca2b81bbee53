//! The GFMS relay protocol (v1): what relay and client agree on.
//!
//! Everything here is plain data and pure functions — ids and their validation,
//! request and response bodies, error codes, limits and paths — so the relay and the
//! client use one definition and it is tested natively. See `docs/protocol.md`.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod error;
mod ids;
mod limits;
mod messages;
pub mod paths;
mod push;
mod simple;

pub use error::{ErrorBody, ErrorCode};
pub use ids::{GroupId, IdError, MemberId, ShareId, Token, TokenHash};
pub use limits::Limits;
pub use messages::{
    AckRequest, AckResponse, DeleteReason, DeleteResponse, Health, ListRequest, ListResponse,
    ListedShare, MAX_INLINE_PUSH_BYTES, PushEvent, PutShareRequest, PutShareResponse, Receipt,
    RegisterRequest, RegisterResponse, ShareBody, ShareReceipt, ShareStatus, StatusRequest,
    StatusResponse, decode_data, encode_data,
};
pub use push::{
    MAX_PUSH_PAYLOAD_BYTES, PUSHES_PER_MINUTE, PushForwardRequest, PushForwardResponse,
};
pub use simple::{SIMPLE_CONTENT_TYPE, SIMPLE_METHODS, SimpleShareRequest, simple_body};

/// The API version prefix of every path.
pub const API_VERSION: &str = "v1";

/// The WebSocket subprotocol the relay speaks; a browser sends its token as a second
/// subprotocol `bearer.<hex>` because it cannot set an `Authorization` header.
pub const WS_PROTOCOL: &str = "gfms.v1";

/// Prefix of the subprotocol that carries the bearer token on WebSocket upgrades.
pub const WS_BEARER_PREFIX: &str = "bearer.";
