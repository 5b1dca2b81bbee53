//! `POST /v1/groups/{gid}/push`: a member asks the relay to forward one Web Push
//! notification it already encrypted (RFC 8291) for one recipient's subscription. The
//! relay signs with its VAPID key (RFC 8292) and forwards the bytes; it stores nothing.

use serde::{Deserialize, Serialize};

/// Largest encrypted payload forwarded, in bytes: RFC 8030 §7.2 has push services
/// accept at least 4096 bytes, so this is what every service takes.
pub const MAX_PUSH_PAYLOAD_BYTES: usize = 4096;

/// Notifications a group may forward through one relay per minute. A busy group sends
/// one per recipient per record: 60 is a dozen records a minute in a group of five.
pub const PUSHES_PER_MINUTE: u32 = 60;

/// The request body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushForwardRequest {
    /// The recipient's push subscription endpoint (an `https://` URL of a push
    /// service the relay allows).
    pub endpoint: String,
    /// The `aes128gcm` body (RFC 8188 header and records), unpadded base64url.
    pub payload: String,
    /// How long the push service may hold it for an offline device, in seconds.
    #[serde(default = "default_ttl")]
    pub ttl: u32,
}

fn default_ttl() -> u32 {
    86_400
}

/// The answer: the push service's HTTP status (201 delivered; 404 or 410 mean the
/// subscription is gone and the sender should drop it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushForwardResponse {
    /// The push service's status code.
    pub status: u16,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ttl_defaults_and_unknown_fields_are_refused() {
        let r: PushForwardRequest =
            serde_json::from_str(r#"{"endpoint":"https://x","payload":"AA"}"#).unwrap();
        assert_eq!(r.ttl, 86_400);
        assert!(
            serde_json::from_str::<PushForwardRequest>(
                r#"{"endpoint":"https://x","payload":"AA","text":"Pizza"}"#
            )
            .is_err()
        );
    }
}
