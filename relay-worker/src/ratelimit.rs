//! The registration cost of an open relay: new groups are rate limited per client
//! network with Cloudflare's rate-limiting binding (`REGISTRATIONS` in wrangler.toml).
//! This module picks the bucket a registration counts against.

use std::net::IpAddr;

/// The bucket for a client address (`CF-Connecting-IP`): an IPv4 address as is, an IPv6
/// address by its /64 (what one subscriber gets, so rotating addresses inside it does
/// not help). `None` for loopback: only `wrangler dev` sees it, and it is the
/// operator's own machine. A missing or unreadable address shares one bucket.
pub fn registration_bucket(client: Option<&str>) -> Option<String> {
    let Some(ip) = client.and_then(|c| c.trim().parse::<IpAddr>().ok()) else {
        return Some("unknown".into());
    };
    if ip.is_loopback() {
        return None;
    }
    Some(match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registration_flood_is_counted_per_network() {
        assert_eq!(
            registration_bucket(Some("203.0.113.7")).as_deref(),
            Some("203.0.113.7")
        );
        let a = registration_bucket(Some("2001:db8:1:2::1"));
        let b = registration_bucket(Some("2001:db8:1:2:ffff::9"));
        assert_eq!(a, b, "one /64 is one bucket");
        assert_ne!(a, registration_bucket(Some("2001:db8:1:3::1")));
        assert_eq!(
            registration_bucket(Some("::ffff:203.0.113.7")).as_deref(),
            Some("203.0.113.7")
        );
        assert_eq!(registration_bucket(None).as_deref(), Some("unknown"));
        assert_eq!(
            registration_bucket(Some("not an ip")).as_deref(),
            Some("unknown")
        );
        assert_eq!(registration_bucket(Some("127.0.0.1")), None);
        assert_eq!(registration_bucket(Some("::1")), None);
    }
}
