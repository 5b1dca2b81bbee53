//! What a relay accepts and how long it keeps things. Defaults here; an operator can
//! change most of them with the relay's vars, and `GET /v1/health` reports the values
//! in force. Fields added after the first release default when absent, so a client can
//! read an older relay's health.

use serde::{Deserialize, Serialize};

/// Limits one relay enforces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    /// How long a share lives after its last put, in seconds.
    pub ttl_seconds: u64,
    /// Largest share accepted, in bytes (after base64 decoding).
    pub max_share_bytes: usize,
    /// Most live shares one group may hold.
    pub max_shares_per_group: usize,
    /// Most live share bytes one group may hold.
    pub max_bytes_per_group: usize,
    /// Most ids in one acks or status request.
    pub max_ids_per_request: usize,
    /// Most recipients one share may name.
    pub max_recipients: usize,
    /// Most shares one list answer returns.
    pub max_list_page: usize,
    /// Most distinct members one share's fetcher, acker and receipt lists hold.
    #[serde(default = "defaults::max_members_per_group")]
    pub max_members_per_group: usize,
    /// Longest a share id can be kept alive by re-puts, counted from its first put, in
    /// seconds; past it a re-put answers 410 `gone`.
    #[serde(default = "defaults::max_share_lifetime_seconds")]
    pub max_share_lifetime_seconds: u64,
    /// How long a share's record (acker and fetcher pseudonyms, receipts; never its
    /// bytes) is kept after its bytes expired or were deleted, in seconds.
    #[serde(default = "defaults::receipt_retention_seconds")]
    pub receipt_retention_seconds: u64,
    /// A group with no authenticated request for this long is removed, in seconds.
    #[serde(default = "defaults::group_idle_seconds")]
    pub group_idle_seconds: u64,
}

impl Limits {
    /// Default share lifetime: one hour, as in the paper.
    pub const DEFAULT_TTL_SECONDS: u64 = 3600;
    /// Default largest share: 1 MiB.
    pub const DEFAULT_MAX_SHARE_BYTES: usize = 1 << 20;
    /// Largest receipt, in bytes (decoded). Receipts are 64–96 bytes in practice.
    pub const MAX_RECEIPT_BYTES: usize = 128;

    /// Largest request body the relay reads, in bytes: the larger of a put carrying a
    /// share of `max_share_bytes` (base64) with `max_recipients` recipients, and an ack
    /// of `max_ids_per_request` ids each with a receipt. Bodies are cut off at this
    /// size while they stream in (413), whatever `Content-Length` says.
    pub fn max_body_bytes(&self) -> usize {
        let put = self.max_share_bytes.div_ceil(3) * 4 + 64 * self.max_recipients;
        let ack = self.max_ids_per_request * (64 + Self::MAX_RECEIPT_BYTES.div_ceil(3) * 4 + 64);
        put.max(ack) + 1024
    }

    /// How long KV keeps share bytes: KV rejects less than 60 s, and the Durable Object
    /// enforces the exact TTL anyway, so KV is only a backstop with a margin.
    pub fn kv_expiration_ttl(&self) -> u64 {
        (self.ttl_seconds + 60).max(60)
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            ttl_seconds: Self::DEFAULT_TTL_SECONDS,
            max_share_bytes: Self::DEFAULT_MAX_SHARE_BYTES,
            max_shares_per_group: 1000,
            max_bytes_per_group: 64 << 20,
            max_ids_per_request: 256,
            max_recipients: 256,
            max_list_page: 200,
            max_members_per_group: defaults::max_members_per_group(),
            max_share_lifetime_seconds: defaults::max_share_lifetime_seconds(),
            receipt_retention_seconds: defaults::receipt_retention_seconds(),
            group_idle_seconds: defaults::group_idle_seconds(),
        }
    }
}

mod defaults {
    pub(super) fn max_members_per_group() -> usize {
        256
    }
    pub(super) fn max_share_lifetime_seconds() -> u64 {
        14 * 24 * 3600
    }
    pub(super) fn receipt_retention_seconds() -> u64 {
        7 * 24 * 3600
    }
    pub(super) fn group_idle_seconds() -> u64 {
        30 * 24 * 3600
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kv_backstop_is_never_below_sixty_seconds() {
        let short = Limits {
            ttl_seconds: 3,
            ..Limits::default()
        };
        assert!(short.kv_expiration_ttl() >= 60);
        assert!(Limits::default().kv_expiration_ttl() > 3600);
    }

    #[test]
    fn body_limit_fits_a_full_share_and_a_full_ack() {
        let l = Limits::default();
        assert!(l.max_body_bytes() > l.max_share_bytes * 4 / 3);
        let tiny = Limits {
            max_share_bytes: 16,
            ..Limits::default()
        };
        // 256 ids with a 128-byte receipt each, as JSON.
        let ack = 256 * (r#"{"share":"","receipt":""},"#.len() + 32 + 171 + 35);
        assert!(tiny.max_body_bytes() > ack);
    }

    #[test]
    fn an_older_relays_health_still_parses() {
        let old = r#"{"ttl_seconds":3600,"max_share_bytes":1048576,"max_shares_per_group":1000,
            "max_bytes_per_group":67108864,"max_ids_per_request":256,"max_recipients":256,
            "max_list_page":200}"#;
        let limits: Limits = serde_json::from_str(old).unwrap();
        assert_eq!(limits, Limits::default());
    }
}
