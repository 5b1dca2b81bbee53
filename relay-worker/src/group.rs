//! A group at this relay: its token hash and usage, registration, and the decision for
//! a put (new, refresh, conflict, over quota).

use gfms_protocol::{Limits, MemberId, RegisterRequest, TokenHash};
use serde::{Deserialize, Serialize};

use crate::RelayError;
use crate::auth::check_registration_key;
use crate::share::{ShareMeta, digest};

/// What the Durable Object keeps about its group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupMeta {
    /// SHA-256 of the group's bearer token at this relay.
    pub token_sha256: TokenHash,
    /// Live shares held.
    pub shares: u64,
    /// Live share bytes held.
    pub bytes: u64,
}

/// Registers a group, or confirms an identical earlier registration.
/// Returns the new meta if one must be stored.
pub fn register(
    existing: Option<&GroupMeta>,
    req: &RegisterRequest,
    required_key: Option<&str>,
) -> Result<Option<GroupMeta>, RelayError> {
    match existing {
        Some(g) if g.token_sha256 == req.token_sha256 => Ok(None),
        Some(_) => Err(RelayError::Conflict(
            "group id already registered with another token",
        )),
        None => {
            check_registration_key(required_key, req.registration_key.as_deref())?;
            Ok(Some(GroupMeta {
                token_sha256: req.token_sha256,
                shares: 0,
                bytes: 0,
            }))
        }
    }
}

/// What a put does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PutPlan {
    /// A new share (or one whose earlier copy expired).
    Create(ShareMeta),
    /// The same bytes again: new expiry.
    Refresh(ShareMeta),
}

impl PutPlan {
    /// The entry to store.
    pub fn meta(&self) -> &ShareMeta {
        match self {
            PutPlan::Create(m) | PutPlan::Refresh(m) => m,
        }
    }
}

/// Decides a put against the existing entry (if any) and the group's usage, and
/// returns the plan with the group's usage updated.
pub fn plan_put(
    group: &GroupMeta,
    existing: Option<&ShareMeta>,
    id: gfms_protocol::ShareId,
    bytes: &[u8],
    recipients: Vec<MemberId>,
    now: u64,
    limits: &Limits,
) -> Result<(PutPlan, GroupMeta), RelayError> {
    if bytes.len() > limits.max_share_bytes {
        return Err(RelayError::TooLarge {
            what: "share",
            size: bytes.len(),
            limit: limits.max_share_bytes,
        });
    }
    if recipients.len() > limits.max_recipients {
        return Err(RelayError::BadRequest(format!(
            "at most {} recipients",
            limits.max_recipients
        )));
    }
    let ttl_ms = limits.ttl_seconds.saturating_mul(1000);
    let mut usage = group.clone();
    if let Some(old) = existing {
        // An expired entry not yet swept counts as gone: free its usage first.
        if old.is_live(now) {
            if old.sha256 != digest(bytes) {
                return Err(RelayError::Conflict("share id already holds other bytes"));
            }
            let mut meta = old.clone();
            meta.refresh(recipients, now, ttl_ms);
            return Ok((PutPlan::Refresh(meta), usage));
        }
        usage.shares = usage.shares.saturating_sub(1);
        usage.bytes = usage.bytes.saturating_sub(old.size);
    }
    if usage.shares as usize >= limits.max_shares_per_group {
        return Err(RelayError::QuotaExceeded("too many live shares"));
    }
    if usage.bytes as usize + bytes.len() > limits.max_bytes_per_group {
        return Err(RelayError::QuotaExceeded("too many live bytes"));
    }
    usage.shares += 1;
    usage.bytes += bytes.len() as u64;
    Ok((
        PutPlan::Create(ShareMeta::new(id, bytes, recipients, now, ttl_ms)),
        usage,
    ))
}

/// The group's usage after removing a share.
pub fn without(group: &GroupMeta, removed: &ShareMeta) -> GroupMeta {
    GroupMeta {
        token_sha256: group.token_sha256,
        shares: group.shares.saturating_sub(1),
        bytes: group.bytes.saturating_sub(removed.size),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gfms_protocol::ShareId;

    fn group() -> GroupMeta {
        GroupMeta {
            token_sha256: TokenHash::from_bytes([1; 32]),
            shares: 0,
            bytes: 0,
        }
    }
    fn req(hash: u8, key: Option<&str>) -> RegisterRequest {
        RegisterRequest {
            token_sha256: TokenHash::from_bytes([hash; 32]),
            registration_key: key.map(Into::into),
        }
    }
    const SID: ShareId = ShareId::from_bytes([5; 16]);

    #[test]
    fn registration_is_idempotent_and_conflicts_on_another_token() {
        let g = register(None, &req(1, None), None).unwrap().unwrap();
        assert_eq!(register(Some(&g), &req(1, None), None), Ok(None));
        assert!(matches!(
            register(Some(&g), &req(2, None), None),
            Err(RelayError::Conflict(_))
        ));
        assert_eq!(
            register(None, &req(1, None), Some("key")),
            Err(RelayError::Forbidden)
        );
        assert!(register(None, &req(1, Some("key")), Some("key")).is_ok());
    }

    #[test]
    fn reput_refreshes_same_bytes_and_conflicts_on_others() {
        let limits = Limits::default();
        let (plan, usage) = plan_put(&group(), None, SID, b"abc", vec![], 0, &limits).unwrap();
        assert!(matches!(plan, PutPlan::Create(_)));
        assert_eq!((usage.shares, usage.bytes), (1, 3));
        let (again, usage2) = plan_put(
            &usage,
            Some(plan.meta()),
            SID,
            b"abc",
            vec![],
            10_000,
            &limits,
        )
        .unwrap();
        assert!(matches!(again, PutPlan::Refresh(_)));
        assert_eq!(again.meta().expires_at, 10_000 + 3_600_000);
        assert_eq!(usage2, usage, "a refresh does not count twice");
        let other = plan_put(
            &usage,
            Some(plan.meta()),
            SID,
            b"xyz",
            vec![],
            10_000,
            &limits,
        );
        assert!(matches!(other, Err(RelayError::Conflict(_))));
    }

    #[test]
    fn reput_after_expiry_is_a_new_share() {
        let limits = Limits {
            ttl_seconds: 1,
            ..Limits::default()
        };
        let (plan, usage) = plan_put(&group(), None, SID, b"abc", vec![], 0, &limits).unwrap();
        let (again, usage2) = plan_put(
            &usage,
            Some(plan.meta()),
            SID,
            b"other",
            vec![],
            5_000,
            &limits,
        )
        .unwrap();
        assert!(matches!(again, PutPlan::Create(_)));
        assert_eq!((usage2.shares, usage2.bytes), (1, 5));
    }

    #[test]
    fn limits_and_quotas_are_enforced() {
        let limits = Limits {
            max_share_bytes: 4,
            max_shares_per_group: 1,
            max_bytes_per_group: 6,
            ..Limits::default()
        };
        assert!(matches!(
            plan_put(&group(), None, SID, b"12345", vec![], 0, &limits),
            Err(RelayError::TooLarge { .. })
        ));
        let (_, usage) = plan_put(&group(), None, SID, b"1234", vec![], 0, &limits).unwrap();
        let other = ShareId::from_bytes([6; 16]);
        assert!(matches!(
            plan_put(&usage, None, other, b"1", vec![], 0, &limits),
            Err(RelayError::QuotaExceeded(_))
        ));
        let roomy = Limits {
            max_shares_per_group: 10,
            ..limits
        };
        assert!(matches!(
            plan_put(&usage, None, other, b"123", vec![], 0, &roomy),
            Err(RelayError::QuotaExceeded(_))
        ));
    }
}
