//! What a relay accepts. Defaults here; an operator can lower or raise the share size
//! and TTL with the relay's vars, and `GET /v1/health` reports the values in force.

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
}

impl Limits {
    /// Default share lifetime: one hour, as in the paper.
    pub const DEFAULT_TTL_SECONDS: u64 = 3600;
    /// Default largest share: 1 MiB.
    pub const DEFAULT_MAX_SHARE_BYTES: usize = 1 << 20;

    /// Largest request body the relay reads: a share of `max_share_bytes` in base64
    /// plus the JSON around it and the recipients list.
    pub fn max_body_bytes(&self) -> usize {
        self.max_share_bytes.div_ceil(3) * 4 + 64 * self.max_recipients + 1024
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
        }
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
    fn body_limit_fits_a_full_share() {
        let l = Limits::default();
        assert!(l.max_body_bytes() > l.max_share_bytes * 4 / 3);
    }
}
