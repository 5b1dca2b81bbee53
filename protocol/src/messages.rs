//! Request and response bodies (JSON). Share bytes travel as unpadded base64url.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{Limits, MemberId, ShareId, TokenHash};

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
    /// When the relay will forget the share's bytes (unix ms); 0 if it did not keep them.
    pub expires_at: u64,
    /// True if this put stored bytes the relay did not hold (first put, or after expiry
    /// or deletion), false if it refreshed bytes it held.
    pub created: bool,
    /// True if every recipient the put names had already acked this share: the relay
    /// did not keep the bytes (the share is complete).
    #[serde(default)]
    pub complete: bool,
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

/// `POST /v1/groups/{gid}/shares?member=P`: a listing that carries more (issue 17): the
/// status of the lister's own shares and its acks, so a round makes one request per
/// relay where it made up to three. Every field may be absent (`{}`: a plain listing).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListRequest {
    /// Shares whose status the answer carries, as `POST …/status` answers it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub status: Vec<ShareId>,
    /// Shares the listing member (`member` of the query) acks, as `POST …/acks` with
    /// that member: recorded before the page is made, so they are not listed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub acks: Vec<ShareId>,
    /// Receipts for some of the acked shares (at most one per share, each listed in
    /// `acks`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub receipts: Vec<ShareReceipt>,
}

/// `GET /v1/groups/{gid}/shares?member=P`: live shares P has not fetched yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListResponse {
    /// One page of shares, oldest first.
    pub shares: Vec<ListedShare>,
    /// Pass as `cursor` to get the next page; `None` on the last page.
    pub next_cursor: Option<String>,
    /// For a `POST` listing: the status of the shares it named, in request order.
    /// Absent from a `GET` listing, and from a relay that does not carry status (the
    /// client then asks `POST …/status`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Vec<ShareStatus>>,
    /// For a `POST` listing: what became of the acks it carried. Absent from a `GET`
    /// listing, and from a relay that took no acks (the client then sends them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acks: Option<AckResponse>,
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

/// A receipt: opaque bytes signed by the acking member's device, which only the sender
/// can verify. The relay stores and returns it unread. On the wire, unpadded base64url
/// of 1 to [`Limits::MAX_RECEIPT_BYTES`] bytes.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Receipt(Vec<u8>);

impl Receipt {
    /// Wraps receipt bytes; `None` if empty or longer than [`Limits::MAX_RECEIPT_BYTES`].
    pub fn new(bytes: Vec<u8>) -> Option<Self> {
        (!bytes.is_empty() && bytes.len() <= Limits::MAX_RECEIPT_BYTES).then_some(Self(bytes))
    }

    /// The receipt bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl std::fmt::Debug for Receipt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Receipt({})", encode_data(&self.0))
    }
}

impl Serialize for Receipt {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&encode_data(&self.0))
    }
}

impl<'de> Deserialize<'de> for Receipt {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        decode_data(&s).and_then(Receipt::new).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "a receipt is unpadded base64url of 1 to {} bytes",
                Limits::MAX_RECEIPT_BYTES
            ))
        })
    }
}

/// One receipt in an ack: for which share.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShareReceipt {
    /// The share acked (must also be listed in the ack's `shares`).
    pub share: ShareId,
    /// The member device's receipt for it.
    pub receipt: Receipt,
}

/// `POST /v1/groups/{gid}/acks`: a member has durably stored these shares' batches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AckRequest {
    /// Who acks (pseudonym at this relay).
    pub member: MemberId,
    /// Which shares.
    pub shares: Vec<ShareId>,
    /// Receipts for some of those shares (optional; at most one per share).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub receipts: Vec<ShareReceipt>,
}

/// Answer to acks. Each distinct requested id appears in exactly one of `acked`,
/// `ignored` and `unknown`; an id in `deleted` is also in `acked`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AckResponse {
    /// Shares whose ack (and receipt, if sent) is recorded.
    pub acked: Vec<ShareId>,
    /// Shares whose bytes this ack deleted because every recipient has now acked.
    pub deleted: Vec<ShareId>,
    /// Shares the relay has no record of (never put, or forgotten after the retention).
    pub unknown: Vec<ShareId>,
    /// Shares whose ack was not recorded: the member is not among the recipients the
    /// share names, or the share already lists `max_members_per_group` ackers.
    #[serde(default)]
    pub ignored: Vec<ShareId>,
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
    /// True if a fetch now answers the bytes; false if the relay does not hold them
    /// (expired, deleted, never put, or a put still storing them).
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
    /// Every distinct receipt stored for the share (at most one per acker).
    #[serde(default)]
    pub receipts: Vec<Receipt>,
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
    /// Largest request body read, in bytes ([`Limits::max_body_bytes`]).
    #[serde(default)]
    pub max_body_bytes: usize,
    /// The limits in force.
    #[serde(flatten)]
    pub limits: crate::Limits,
    /// The relay's VAPID public key (RFC 8292), an uncompressed P-256 point in
    /// base64url: the app subscribes to Web Push with it. Absent if the relay has no
    /// `VAPID_PRIVATE_KEY` and so forwards no notifications.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vapid_public_key: Option<String>,
}

/// Largest share whose bytes a `share_put` push carries inline, in bytes (before
/// base64). A record batch's share is far smaller (the 1 KiB padding bucket of a lone
/// expense, about 1.2 KiB with its header), so a tap's share reaches the other phones in
/// the push itself; snapshots and large batches are fetched as before.
pub const MAX_INLINE_PUSH_BYTES: usize = 8 * 1024;

/// A WebSocket push message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PushEvent {
    /// A share was put (or re-put) in the group.
    SharePut {
        /// The share id.
        id: ShareId,
        /// The share's bytes (unpadded base64url, as [`ShareBody::data`]) when they are at
        /// most [`MAX_INLINE_PUSH_BYTES`]: the receiver needs no request to read them.
        /// Absent from relays older than this field, and for larger shares; clients that
        /// do not know it ignore it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        bytes: Option<String>,
    },
    /// A member acked a share for the first time, and its bytes stay (sent to every
    /// socket: the relay does not know the sender, who may now find its batch
    /// delivered). Unknown to relays and clients older than this variant; a client
    /// that does not know it syncs, as for any message it does not know.
    ShareAcked {
        /// The share id.
        id: ShareId,
    },
    /// A share's bytes are gone (acked by all, deleted, or expired).
    ShareDeleted {
        /// The share id.
        id: ShareId,
        /// Why; absent from relays older than this field.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<DeleteReason>,
    },
}

/// Why a share's bytes are gone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeleteReason {
    /// Every recipient acked.
    Acked,
    /// Someone with the group's token deleted it.
    Deleted,
    /// Its TTL (or its lifetime ceiling) passed.
    Expired,
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
    fn receipts_are_short_base64url_and_optional_in_acks() {
        let member = "00000000000000000000000000000001";
        let share = "00000000000000000000000000000002";
        let old = format!(r#"{{"member":"{member}","shares":["{share}"]}}"#);
        let req: AckRequest = serde_json::from_str(&old).unwrap();
        assert!(
            req.receipts.is_empty(),
            "an older client's ack still parses"
        );
        assert_eq!(
            serde_json::to_string(&req).unwrap(),
            old,
            "and is sent as before"
        );
        let with = |r: &str| {
            format!(
                r#"{{"member":"{member}","shares":["{share}"],"receipts":[{{"share":"{share}","receipt":"{r}"}}]}}"#
            )
        };
        let ok: AckRequest = serde_json::from_str(&with(&encode_data(&[7; 96]))).unwrap();
        assert_eq!(ok.receipts[0].receipt.as_bytes(), &[7; 96]);
        for bad in [
            encode_data(&[7; 129]),
            String::new(),
            "A=".into(),
            "!!".into(),
        ] {
            assert!(
                serde_json::from_str::<AckRequest>(&with(&bad)).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn new_answer_fields_default_when_an_older_relay_omits_them() {
        let status = r#"{"id":"00000000000000000000000000000002","live":false,"fetch_count":0,
            "fetchers":[],"ackers":[],"recipients":[],"expires_at":0}"#;
        assert!(
            serde_json::from_str::<ShareStatus>(status)
                .unwrap()
                .receipts
                .is_empty()
        );
        let acks = r#"{"acked":[],"deleted":[],"unknown":[]}"#;
        assert!(
            serde_json::from_str::<AckResponse>(acks)
                .unwrap()
                .ignored
                .is_empty()
        );
        let put = r#"{"id":"00000000000000000000000000000002","expires_at":1,"created":true}"#;
        assert!(
            !serde_json::from_str::<PutShareResponse>(put)
                .unwrap()
                .complete
        );
        let deleted = r#"{"type":"share_deleted","id":"00000000000000000000000000000002"}"#;
        assert!(matches!(
            serde_json::from_str::<PushEvent>(deleted).unwrap(),
            PushEvent::ShareDeleted { reason: None, .. }
        ));
    }

    #[test]
    fn push_events_are_tagged() {
        let e = PushEvent::SharePut {
            id: ShareId::from_bytes([1; 16]),
            bytes: None,
        };
        let json = serde_json::to_string(&e).unwrap();
        assert!(json.starts_with(r#"{"type":"share_put","id":"#));
        assert!(!json.contains("bytes"), "no field when not inline: {json}");
        let inline = PushEvent::SharePut {
            id: ShareId::from_bytes([1; 16]),
            bytes: Some(encode_data(b"abc")),
        };
        let json = serde_json::to_string(&inline).unwrap();
        assert!(json.ends_with(r#","bytes":"YWJj"}"#), "{json}");
        // A relay older than the field: the message still reads.
        let old = r#"{"type":"share_put","id":"01010101010101010101010101010101"}"#;
        assert!(matches!(
            serde_json::from_str::<PushEvent>(old).unwrap(),
            PushEvent::SharePut { bytes: None, .. }
        ));
        let acked = serde_json::to_string(&PushEvent::ShareAcked {
            id: ShareId::from_bytes([1; 16]),
        })
        .unwrap();
        assert!(acked.starts_with(r#"{"type":"share_acked","id":"#));
    }
}
