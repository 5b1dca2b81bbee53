//! The decision for a put: store, refresh, complete, conflict, over quota, or past the
//! share id's lifetime ceiling.
//!
//! A put is decided *before* any byte is written: the decision reserves the id (a
//! pending record with a fresh generation) so a racing put of other bytes is refused
//! at once, and the bytes go to a KV key no other put ever writes.

use gfms_protocol::{Limits, MemberId, ShareId};

use crate::RelayError;
use crate::group::GroupMeta;
use crate::share::{Held, ShareRecord, dedup};

/// A put as the rules see it: the bytes themselves stay with the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Put {
    /// The share id.
    pub id: ShareId,
    /// SHA-256 of the bytes, hex.
    pub sha256: String,
    /// Their size.
    pub size: u64,
    /// The recipients the put names.
    pub recipients: Vec<MemberId>,
}

/// What a put does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PutPlan {
    /// Store the bytes: save `record` (pending, with a new generation) and `group`
    /// first, then write the bytes under that generation, then [`commit_store`].
    Store {
        /// The pending record.
        record: ShareRecord,
        /// The group with the usage and generation updated.
        group: GroupMeta,
        /// A generation whose bytes the record no longer uses (delete them).
        stale: Option<u64>,
    },
    /// The same bytes are live: write them again (so KV keeps them as long), then save
    /// `record` with its new expiry and recipients.
    Refresh {
        /// The record as it will be.
        record: ShareRecord,
    },
    /// Every recipient this put names has acked already: keep no bytes.
    Complete {
        /// The record, its bytes gone.
        record: ShareRecord,
        /// The group with the usage updated.
        group: GroupMeta,
        /// A generation whose bytes to delete.
        stale: Option<u64>,
    },
}

/// Decides a put against the record of its id (if any) and the group's usage.
pub fn plan_put(
    group: &GroupMeta,
    existing: Option<&ShareRecord>,
    put: Put,
    now: u64,
    limits: &Limits,
) -> Result<PutPlan, RelayError> {
    if put.size == 0 {
        return Err(RelayError::BadRequest("a share cannot be empty".into()));
    }
    if put.size > limits.max_share_bytes as u64 {
        return Err(RelayError::TooLarge {
            what: "share",
            size: put.size as usize,
            limit: limits.max_share_bytes,
        });
    }
    if put.recipients.len() > limits.max_recipients {
        return Err(RelayError::BadRequest(format!(
            "at most {} recipients",
            limits.max_recipients
        )));
    }
    let ttl_ms = limits.ttl_seconds.saturating_mul(1000);
    let lifetime_ms = limits.max_share_lifetime_seconds.saturating_mul(1000);
    let recipients = dedup(put.recipients);
    let Some(old) = existing else {
        let mut record = ShareRecord::new(put.id, put.sha256, put.size, now);
        record.recipients = recipients;
        return store(
            group.clone(),
            record,
            None,
            now,
            ttl_ms,
            lifetime_ms,
            limits,
        );
    };
    if old.sha256 != put.sha256 {
        return Err(RelayError::Conflict("share id already holds other bytes"));
    }
    let ceiling = old.born().saturating_add(lifetime_ms);
    if now >= ceiling {
        return Err(RelayError::Gone);
    }
    if matches!(old.held, Held::Pending { .. }) && !old.is_abandoned(now) {
        return Err(RelayError::Retry(
            "a put of this share is still being stored",
        ));
    }
    let mut record = old.clone();
    record.recipients = recipients;
    let mut usage = group.clone();
    if old.is_live(now) {
        if record.is_complete() {
            usage.release(old);
            usage.retained += 1;
            record.let_go(now);
            let stale = Some(old.generation);
            return Ok(PutPlan::Complete {
                record,
                group: usage,
                stale,
            });
        }
        record.put_at = now;
        record.expires_at = now.saturating_add(ttl_ms).min(ceiling);
        return Ok(PutPlan::Refresh { record });
    }
    // Not live: expired (swept or not), deleted, acked by all, or an abandoned put.
    let stale = old.holds_bytes().then_some(old.generation);
    if old.holds_bytes() {
        usage.release(old);
    } else {
        usage.retained = usage.retained.saturating_sub(1);
    }
    if record.is_complete() {
        if old.holds_bytes() {
            record.let_go(now);
        }
        usage.retained += 1;
        return Ok(PutPlan::Complete {
            record,
            group: usage,
            stale,
        });
    }
    store(usage, record, stale, now, ttl_ms, lifetime_ms, limits)
}

fn store(
    mut usage: GroupMeta,
    mut record: ShareRecord,
    stale: Option<u64>,
    now: u64,
    ttl_ms: u64,
    lifetime_ms: u64,
    limits: &Limits,
) -> Result<PutPlan, RelayError> {
    if usage.shares >= limits.max_shares_per_group as u64 {
        return Err(RelayError::QuotaExceeded("too many live shares"));
    }
    if usage.bytes.saturating_add(record.size) > limits.max_bytes_per_group as u64 {
        return Err(RelayError::QuotaExceeded("too many live bytes"));
    }
    usage.shares += 1;
    usage.bytes += record.size;
    usage.generation += 1;
    record.generation = usage.generation;
    record.held = Held::Pending { since: now };
    record.put_at = now;
    record.expires_at = now
        .saturating_add(ttl_ms)
        .min(record.born().saturating_add(lifetime_ms));
    Ok(PutPlan::Store {
        record,
        group: usage,
        stale,
    })
}

/// How a stored put ends, decided on the record as it is once the bytes are written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreEnd {
    /// The bytes are live: save the record.
    Live(ShareRecord),
    /// Every recipient acked while the bytes were being written: save the record with
    /// its bytes gone, release them from the group, delete them.
    Complete(ShareRecord),
    /// The record moved on meanwhile (deleted, or another put took over): the bytes
    /// just written belong to nobody; delete them and answer `retry`.
    Lost,
}

/// Ends a put that stored its bytes under `generation`.
pub fn commit_store(current: Option<&ShareRecord>, generation: u64, now: u64) -> StoreEnd {
    match current {
        Some(r) if r.generation == generation && matches!(r.held, Held::Pending { .. }) => {
            let mut r = r.clone();
            if r.is_complete() {
                r.let_go(now);
                StoreEnd::Complete(r)
            } else {
                r.held = Held::Live;
                StoreEnd::Live(r)
            }
        }
        _ => StoreEnd::Lost,
    }
}

/// The group's usage once `record` let go of its bytes (it is now retained).
pub fn released(group: &GroupMeta, record: &ShareRecord) -> GroupMeta {
    let mut g = group.clone();
    g.release(record);
    g.retained += 1;
    g
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::share::digest;
    use gfms_protocol::TokenHash;

    fn group() -> GroupMeta {
        GroupMeta::new(TokenHash::from_bytes([1; 32]), 0)
    }
    const SID: ShareId = ShareId::from_bytes([5; 16]);
    fn m(b: u8) -> MemberId {
        MemberId::from_bytes([b; 16])
    }
    fn put(bytes: &[u8], recipients: Vec<MemberId>) -> Put {
        Put {
            id: SID,
            sha256: digest(bytes),
            size: bytes.len() as u64,
            recipients,
        }
    }
    /// Plans and commits a put that stores, as the relay would with no race.
    fn stored(
        group: &GroupMeta,
        old: Option<&ShareRecord>,
        p: Put,
        now: u64,
        l: &Limits,
    ) -> (ShareRecord, GroupMeta) {
        match plan_put(group, old, p, now, l).unwrap() {
            PutPlan::Store { record, group, .. } => {
                match commit_store(Some(&record), record.generation, now) {
                    StoreEnd::Live(r) => (r, group),
                    other => panic!("{other:?}"),
                }
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn reput_refreshes_same_bytes_and_conflicts_on_others() {
        let limits = Limits::default();
        let (rec, usage) = stored(&group(), None, put(b"abc", vec![]), 0, &limits);
        assert_eq!((usage.shares, usage.bytes, rec.generation), (1, 3, 1));
        let again = plan_put(&usage, Some(&rec), put(b"abc", vec![]), 10_000, &limits).unwrap();
        let PutPlan::Refresh { record } = again else {
            panic!("{again:?}")
        };
        assert_eq!(record.expires_at, 10_000 + 3_600_000);
        assert_eq!(record.generation, 1, "a refresh rewrites the same key");
        let other = plan_put(&usage, Some(&rec), put(b"xyz", vec![]), 10_000, &limits);
        assert!(matches!(other, Err(RelayError::Conflict(_))));
    }

    #[test]
    fn racing_put_of_other_bytes_is_refused_before_any_byte_is_written() {
        let limits = Limits::default();
        let PutPlan::Store {
            record: pending,
            group: g,
            ..
        } = plan_put(&group(), None, put(b"winner", vec![]), 0, &limits).unwrap()
        else {
            panic!()
        };
        assert!(matches!(
            plan_put(&g, Some(&pending), put(b"loser", vec![]), 1, &limits),
            Err(RelayError::Conflict(_))
        ));
        assert!(matches!(
            plan_put(&g, Some(&pending), put(b"winner", vec![]), 1, &limits),
            Err(RelayError::Retry(_))
        ));
        // The first put's Worker died before it finished: after a while another takes over.
        let later = crate::share::PENDING_ABANDONED_MS;
        let PutPlan::Store { record, stale, .. } =
            plan_put(&g, Some(&pending), put(b"winner", vec![]), later, &limits).unwrap()
        else {
            panic!()
        };
        assert_eq!((record.generation, stale), (2, Some(1)));
        assert_eq!(
            commit_store(Some(&record), 1, later),
            StoreEnd::Lost,
            "the old put lost"
        );
    }

    #[test]
    fn reput_after_expiry_stores_again_and_keeps_the_counters() {
        let limits = Limits {
            ttl_seconds: 1,
            ..Limits::default()
        };
        let (mut rec, usage) = stored(
            &group(),
            None,
            put(b"abc", vec![m(1), m(2)]),
            1_000,
            &limits,
        );
        rec.record_ack(m(1), 256);
        let (again, usage2) = stored(
            &usage,
            Some(&rec),
            put(b"abc", vec![m(1), m(2)]),
            5_000,
            &limits,
        );
        assert_eq!(
            (usage2.shares, usage2.bytes),
            (1, 3),
            "the expired copy is replaced"
        );
        assert_eq!(again.ackers, vec![m(1)]);
        assert_eq!(again.generation, 2, "new bytes, new key");
        assert_eq!(again.born(), 1_000);
    }

    #[test]
    fn a_put_whose_recipients_all_acked_keeps_no_bytes() {
        let limits = Limits::default();
        let (mut rec, usage) = stored(&group(), None, put(b"abc", vec![m(1), m(2)]), 0, &limits);
        rec.record_ack(m(1), 256);
        // The sender's re-put now names only m1 (m2 was removed from the group).
        let plan = plan_put(&usage, Some(&rec), put(b"abc", vec![m(1)]), 10, &limits).unwrap();
        let PutPlan::Complete {
            record,
            group,
            stale,
        } = plan
        else {
            panic!("{plan:?}")
        };
        assert_eq!(record.held, Held::Gone { since: 10 });
        assert_eq!(
            (group.shares, group.bytes, group.retained, stale),
            (0, 0, 1, Some(1))
        );
        // And once retained, the same re-put still stores nothing.
        let again = plan_put(&group, Some(&record), put(b"abc", vec![m(1)]), 20, &limits).unwrap();
        assert!(matches!(again, PutPlan::Complete { stale: None, .. }));
    }

    #[test]
    fn reputs_cannot_keep_an_id_alive_past_its_ceiling() {
        let limits = Limits {
            ttl_seconds: 10,
            max_share_lifetime_seconds: 25,
            ..Limits::default()
        };
        let (rec, usage) = stored(&group(), None, put(b"abc", vec![]), 1_000, &limits);
        let PutPlan::Refresh { record } =
            plan_put(&usage, Some(&rec), put(b"abc", vec![]), 9_000, &limits).unwrap()
        else {
            panic!()
        };
        let PutPlan::Refresh { record } =
            plan_put(&usage, Some(&record), put(b"abc", vec![]), 18_000, &limits).unwrap()
        else {
            panic!()
        };
        assert_eq!(record.expires_at, 26_000, "the ceiling caps the refresh");
        assert_eq!(
            plan_put(&usage, Some(&record), put(b"abc", vec![]), 26_000, &limits),
            Err(RelayError::Gone)
        );
    }

    #[test]
    fn empty_oversized_and_over_quota_puts_are_refused() {
        let limits = Limits {
            max_share_bytes: 4,
            max_shares_per_group: 1,
            max_bytes_per_group: 6,
            ..Limits::default()
        };
        assert!(matches!(
            plan_put(&group(), None, put(b"", vec![]), 0, &limits),
            Err(RelayError::BadRequest(_))
        ));
        assert!(matches!(
            plan_put(&group(), None, put(b"12345", vec![]), 0, &limits),
            Err(RelayError::TooLarge { .. })
        ));
        let (_, usage) = stored(&group(), None, put(b"1234", vec![]), 0, &limits);
        let other = Put {
            id: ShareId::from_bytes([6; 16]),
            ..put(b"1", vec![])
        };
        assert!(matches!(
            plan_put(&usage, None, other.clone(), 0, &limits),
            Err(RelayError::QuotaExceeded(_))
        ));
        let roomy = Limits {
            max_shares_per_group: 10,
            ..limits
        };
        let big = Put { size: 3, ..other };
        assert!(matches!(
            plan_put(&usage, None, big, 0, &roomy),
            Err(RelayError::QuotaExceeded(_))
        ));
    }
}
