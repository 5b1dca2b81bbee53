//! A group at this relay: its token hash, usage and activity, and registration.

use gfms_protocol::{Limits, RegisterRequest, TokenHash};
use serde::{Deserialize, Serialize};

use crate::RelayError;
use crate::auth::check_registration_key;
use crate::share::ShareRecord;

/// What the Durable Object keeps about its group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupMeta {
    /// SHA-256 of the group's bearer token at this relay.
    pub token_sha256: TokenHash,
    /// Records holding bytes (pending, live, or expired and not swept yet).
    pub shares: u64,
    /// Their bytes.
    pub bytes: u64,
    /// Records kept after their bytes went (receipts and counters only).
    #[serde(default)]
    pub retained: u64,
    /// The last KV generation handed out.
    #[serde(default)]
    pub generation: u64,
    /// Last authenticated request, unix ms (0 in groups from before this field).
    #[serde(default)]
    pub last_active: u64,
}

impl GroupMeta {
    /// A new group, active now.
    pub fn new(token_sha256: TokenHash, now: u64) -> Self {
        Self {
            token_sha256,
            shares: 0,
            bytes: 0,
            retained: 0,
            generation: 0,
            last_active: now,
        }
    }

    /// When the group will be removed if nothing happens.
    pub fn idle_deadline(&self, limits: &Limits) -> u64 {
        self.last_active
            .saturating_add(limits.group_idle_seconds.saturating_mul(1000))
    }

    /// Records activity at `now`. Writes are spared: true only when `last_active` is
    /// older than a 64th of the idle time (at least a second), so most requests only read.
    pub fn touch(&mut self, now: u64, limits: &Limits) -> bool {
        let step = (limits.group_idle_seconds.saturating_mul(1000) / 64).max(1000);
        if now >= self.last_active.saturating_add(step) {
            self.last_active = now;
            true
        } else {
            false
        }
    }

    /// Usage without a record that held bytes.
    pub(crate) fn release(&mut self, record: &ShareRecord) {
        self.shares = self.shares.saturating_sub(1);
        self.bytes = self.bytes.saturating_sub(record.size);
    }
}

/// Registers a group, or confirms an identical earlier registration.
/// Returns the new meta if one must be stored.
pub fn register(
    existing: Option<&GroupMeta>,
    req: &RegisterRequest,
    required_key: Option<&str>,
    now: u64,
) -> Result<Option<GroupMeta>, RelayError> {
    match existing {
        Some(g) if g.token_sha256 == req.token_sha256 => Ok(None),
        Some(_) => Err(RelayError::Conflict(
            "group id already registered with another token",
        )),
        None => {
            check_registration_key(required_key, req.registration_key.as_deref())?;
            Ok(Some(GroupMeta::new(req.token_sha256, now)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group() -> GroupMeta {
        GroupMeta::new(TokenHash::from_bytes([1; 32]), 0)
    }
    fn req(hash: u8, key: Option<&str>) -> RegisterRequest {
        RegisterRequest {
            token_sha256: TokenHash::from_bytes([hash; 32]),
            registration_key: key.map(Into::into),
        }
    }

    #[test]
    fn registration_is_idempotent_and_conflicts_on_another_token() {
        let g = register(None, &req(1, None), None, 5).unwrap().unwrap();
        assert_eq!(g.last_active, 5);
        assert_eq!(register(Some(&g), &req(1, None), None, 6), Ok(None));
        assert!(matches!(
            register(Some(&g), &req(2, None), None, 6),
            Err(RelayError::Conflict(_))
        ));
        assert!(matches!(
            register(None, &req(1, None), Some("key"), 6),
            Err(RelayError::Forbidden(_))
        ));
        assert!(register(None, &req(1, Some("key")), Some("key"), 6).is_ok());
    }

    #[test]
    fn activity_is_written_sparingly() {
        let limits = Limits {
            group_idle_seconds: 640,
            ..Limits::default()
        };
        let mut g = group();
        assert!(!g.touch(9_999, &limits));
        assert!(g.touch(10_000, &limits));
        assert_eq!(g.idle_deadline(&limits), 650_000);
    }
}
