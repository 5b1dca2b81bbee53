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
    /// The subscription is gone for good (the service answered 404 or 410): stop
    /// sending to it. Present only when true; older relays never send it, so a client
    /// also reads the status.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub gone: bool,
}

impl PushForwardResponse {
    /// The answer for the push service's status.
    pub fn from_status(status: u16) -> Self {
        Self {
            status,
            gone: matches!(status, 404 | 410),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gone_subscription_is_said_only_when_it_is() {
        let json = |s| serde_json::to_string(&PushForwardResponse::from_status(s)).unwrap();
        assert_eq!(json(201), r#"{"status":201}"#);
        assert_eq!(json(410), r#"{"status":410,"gone":true}"#);
        assert_eq!(json(404), r#"{"status":404,"gone":true}"#);
        assert_eq!(json(429), r#"{"status":429}"#);
        let old: PushForwardResponse = serde_json::from_str(r#"{"status":410}"#).unwrap();
        assert!(!old.gone, "an older relay's answer still parses");
    }

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
