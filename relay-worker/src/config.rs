//! The relay's limits, read from its vars. A missing or unparsable var keeps the
//! default: a typo in `wrangler.toml` must not take a relay down.

use gfms_protocol::Limits;

/// Builds the limits from a var lookup.
pub fn limits_from_vars(var: impl Fn(&str) -> Option<String>) -> Limits {
    let mut limits = Limits::default();
    let num = |name: &str| {
        var(name)
            .and_then(|v| v.trim().parse::<u64>().ok())
            .filter(|n| *n > 0)
    };
    let size = |name: &str| num(name).and_then(|n| usize::try_from(n).ok());
    if let Some(ttl) = num("SHARE_TTL_SECONDS") {
        limits.ttl_seconds = ttl;
    }
    if let Some(max) = size("MAX_SHARE_BYTES") {
        limits.max_share_bytes = max;
    }
    if let Some(max) = size("MAX_SHARES_PER_GROUP") {
        limits.max_shares_per_group = max;
    }
    if let Some(max) = size("MAX_BYTES_PER_GROUP") {
        limits.max_bytes_per_group = max;
    }
    if let Some(max) = size("MAX_MEMBERS_PER_GROUP") {
        limits.max_members_per_group = max;
    }
    if let Some(secs) = num("MAX_SHARE_LIFETIME_SECONDS") {
        limits.max_share_lifetime_seconds = secs;
    }
    if let Some(secs) = num("RECEIPT_RETENTION_SECONDS") {
        limits.receipt_retention_seconds = secs;
    }
    if let Some(secs) = num("GROUP_IDLE_SECONDS") {
        limits.group_idle_seconds = secs;
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
            "RECEIPT_RETENTION_SECONDS" => Some(" 30 ".into()),
            "GROUP_IDLE_SECONDS" => Some("-1".into()),
            _ => None,
        });
        assert_eq!(l.ttl_seconds, 5);
        assert_eq!(l.max_share_bytes, Limits::default().max_share_bytes);
        assert_eq!(l.receipt_retention_seconds, 30);
        assert_eq!(l.group_idle_seconds, Limits::default().group_idle_seconds);
        assert_eq!(limits_from_vars(|_| Some("0".into())), Limits::default());
    }
}
