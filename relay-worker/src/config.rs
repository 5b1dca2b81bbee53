//! The relay's limits, read from its vars (`SHARE_TTL_SECONDS`, `MAX_SHARE_BYTES`,
//! `MAX_SHARES_PER_GROUP`, `MAX_BYTES_PER_GROUP`). A missing or unparsable var keeps the
//! default: a typo in `wrangler.toml` must not take a relay down.

use gfms_protocol::Limits;

/// Builds the limits from a var lookup.
pub fn limits_from_vars(var: impl Fn(&str) -> Option<String>) -> Limits {
    let mut limits = Limits::default();
    let num = |name: &str| var(name).and_then(|v| v.trim().parse::<u64>().ok());
    if let Some(ttl) = num("SHARE_TTL_SECONDS").filter(|t| *t > 0) {
        limits.ttl_seconds = ttl;
    }
    if let Some(max) = num("MAX_SHARE_BYTES").filter(|m| *m > 0) {
        limits.max_share_bytes = max as usize;
    }
    if let Some(max) = num("MAX_SHARES_PER_GROUP").filter(|m| *m > 0) {
        limits.max_shares_per_group = max as usize;
    }
    if let Some(max) = num("MAX_BYTES_PER_GROUP").filter(|m| *m > 0) {
        limits.max_bytes_per_group = max as usize;
    }
    limits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vars_override_defaults_and_garbage_is_ignored() {
        let l = limits_from_vars(|n| match n {
            "SHARE_TTL_SECONDS" => Some("5".into()),
            "MAX_SHARE_BYTES" => Some("oops".into()),
            _ => None,
        });
        assert_eq!(l.ttl_seconds, 5);
        assert_eq!(l.max_share_bytes, Limits::default().max_share_bytes);
        assert_eq!(limits_from_vars(|_| Some("0".into())).ttl_seconds, 3600);
    }
}
