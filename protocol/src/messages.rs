//! Request and response bodies (JSON). Share bytes travel as unpadded base64url.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

use crate::{MemberId, ShareId, TokenHash};

/// Encodes share bytes for a JSON body.
pub fn encode_data(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes share bytes from a JSON body; `None` if not unpadded base64url.
pub fn decode_data(s: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(s).ok()
}

/// `POST /v1/groups/{gid}`: register a group by the hash of its token at this relay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    /// SHA-256 of the bearer token the group will use here.
    pub token_sha256: TokenHash,
    /// Needed when the relay's operator set a registration key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_key: Option<String>,
}

/// Answer to a registration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterResponse {
    /// True if this request created the group, false if it already existed with this hash.
    pub created: bool,
}

/// `PUT /v1/groups/{gid}/shares/{sid}`: store one share.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PutShareRequest {
    /// The share bytes, unpadded base64url.
    pub data: String,
    /// The members (pseudonyms at this relay) who must ack before the share is deleted.
    pub recipients: Vec<MemberId>,
}

/// Answer to a put.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PutShareResponse {
    /// The share id.
    pub id: ShareId,
    /// When the relay will forget the share (unix ms).
    pub expires_at: u64,
    /// True if this put created the share, false if it refreshed an existing one.
    pub created: bool,
}

/// One live share in a list answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListedShare {
    /// The share id.
    pub id: ShareId,
    /// Its size in bytes.
    pub size: u64,
    /// When it was (last) put, unix ms.
    pub put_at: u64,
    /// When it expires, unix ms.
    pub expires_at: u64,
}

/// `GET /v1/groups/{gid}/shares?member=P`: live shares P has not fetched yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListResponse {
    /// One page of shares, oldest first.
    pub shares: Vec<ListedShare>,
    /// Pass as `cursor` to get the next page; `None` on the last page.
    pub next_cursor: Option<String>,
}

/// `GET /v1/groups/{gid}/shares/{sid}?member=P`: the share itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareBody {
    /// The share id.
    pub id: ShareId,
    /// The share bytes, unpadded base64url.
    pub data: String,
    /// When it expires, unix ms.
    pub expires_at: u64,
}

/// `POST /v1/groups/{gid}/acks`: a member has durably stored these shares' batches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AckRequest {
    /// Who acks (pseudonym at this relay).
    pub member: MemberId,
    /// Which shares.
    pub shares: Vec<ShareId>,
}

/// Answer to acks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AckResponse {
    /// Shares whose ack was recorded.
    pub acked: Vec<ShareId>,
    /// Shares deleted because every recipient has now acked.
    pub deleted: Vec<ShareId>,
    /// Shares the relay does not hold (expired, deleted, never put).
    pub unknown: Vec<ShareId>,
}

/// `POST /v1/groups/{gid}/status`: counters for many shares at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusRequest {
    /// Which shares.
    pub shares: Vec<ShareId>,
}

/// Counters of one share.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareStatus {
    /// The share id.
    pub id: ShareId,
    /// False if the relay does not hold it (expired, deleted, never put).
    pub live: bool,
    /// `s_i`: how many distinct members fetched it.
    pub fetch_count: u64,
    /// Who fetched it.
    pub fetchers: Vec<MemberId>,
    /// Who acked it.
    pub ackers: Vec<MemberId>,
    /// Who must ack before it is deleted.
    pub recipients: Vec<MemberId>,
    /// When it expires, unix ms (0 if not live).
    pub expires_at: u64,
}

/// Answer to a status request, in request order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusResponse {
    /// One entry per requested id.
    pub shares: Vec<ShareStatus>,
}

/// `DELETE /v1/groups/{gid}/shares/{sid}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeleteResponse {
    /// False if there was nothing to delete.
    pub deleted: bool,
}

/// `GET /v1/health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    /// Always `gfms-relay`.
    pub service: String,
    /// Always `v1`.
    pub api: String,
    /// The relay's crate version.
    pub version: String,
    /// True if registering a group needs the operator's key.
    pub registration_required: bool,
    /// The limits in force.
    #[serde(flatten)]
    pub limits: crate::Limits,
}

/// A WebSocket push message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PushEvent {
    /// A share was put (or re-put) in the group.
    SharePut {
        /// The share id.
        id: ShareId,
    },
    /// A share was deleted (acked by all, deleted by the sender, or expired).
    ShareDeleted {
        /// The share id.
        id: ShareId,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_round_trips_and_rejects_padding() {
        let bytes = [0u8, 1, 2, 250, 251, 255];
        assert_eq!(decode_data(&encode_data(&bytes)).unwrap(), bytes);
        assert!(decode_data("AAE=").is_none());
        assert!(decode_data("not base64!").is_none());
    }

    #[test]
    fn put_rejects_unknown_fields_and_bad_ids() {
        let ok = r#"{"data":"AAE","recipients":["00000000000000000000000000000001"]}"#;
        assert!(serde_json::from_str::<PutShareRequest>(ok).is_ok());
        let extra = r#"{"data":"AAE","recipients":[],"x":1}"#;
        assert!(serde_json::from_str::<PutShareRequest>(extra).is_err());
        let bad = r#"{"data":"AAE","recipients":["nope"]}"#;
        assert!(serde_json::from_str::<PutShareRequest>(bad).is_err());
    }

    #[test]
    fn push_events_are_tagged() {
        let e = PushEvent::SharePut {
            id: ShareId::from_bytes([1; 16]),
        };
        let json = serde_json::to_string(&e).unwrap();
        assert!(json.starts_with(r#"{"type":"share_put","id":"#));
    }
}
