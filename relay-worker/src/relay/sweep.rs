//! The alarm: expire bytes, forget records past their retention, remove an idle group,
//! and set the next alarm at the earliest of those deadlines. It also recounts the
//! group's usage from the records, so a count that drifted (a crash between two writes)
//! heals at the next alarm.

use gfms_protocol::DeleteReason;

use super::Relay;
use super::put::deleted;
use super::store::{Audience, Blobs, Index, Push};
use crate::RelayError;
use crate::share::{Held, PENDING_ABANDONED_MS};

/// What an alarm did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Swept {
    /// Shares whose bytes expired (or whose put was abandoned).
    pub expired: usize,
    /// Records forgotten after their retention.
    pub forgotten: usize,
    /// True if the group was idle and is now removed.
    pub removed: bool,
    /// When the next alarm is set for.
    pub next: Option<u64>,
}

impl<I: Index, B: Blobs, P: Push> Relay<'_, I, B, P> {
    /// Runs the alarm at `now`.
    pub async fn sweep(&self, now: u64) -> Result<Swept, RelayError> {
        let mut done = Swept::default();
        let Some(mut group) = self.group().await? else {
            // Nothing registered here (a removed group's last alarm): leave no trace.
            self.index.clear().await?;
            return Ok(done);
        };
        let held = self.held_records().await?;
        if now >= group.idle_deadline(&self.limits) {
            let keys: Vec<String> = held
                .iter()
                .map(|r| self.kv_key(&r.id, r.generation))
                .collect();
            self.index.clear().await?;
            self.push.close_all();
            let _ = self.drop_bytes(&keys).await;
            done.removed = true;
            return Ok(done);
        }
        let retention_ms = self.limits.receipt_retention_seconds.saturating_mul(1000);
        let mut next = group.idle_deadline(&self.limits);
        let mut keys = Vec::new();
        let (mut shares, mut bytes) = (0, 0);
        for mut record in held {
            let expired = record.held == Held::Live && !record.is_live(now);
            if expired || record.is_abandoned(now) {
                record.let_go(if expired {
                    record.expires_at.min(now)
                } else {
                    now
                });
                self.save_record(&record).await?;
                keys.push(self.kv_key(&record.id, record.generation));
                if expired {
                    self.push
                        .push(&deleted(record.id, DeleteReason::Expired), Audience::All);
                }
                next = next.min(record.forget_at(retention_ms).unwrap_or(u64::MAX));
                done.expired += 1;
                continue;
            }
            shares += 1;
            bytes += record.size;
            next = next.min(match record.held {
                Held::Pending { since } => since.saturating_add(PENDING_ABANDONED_MS),
                _ => record.expires_at,
            });
        }
        let mut retained = 0;
        for record in self.retained_records().await? {
            match record.forget_at(retention_ms) {
                Some(at) if at <= now => {
                    self.forget_record(&record.id).await?;
                    done.forgotten += 1;
                }
                at => {
                    retained += 1;
                    next = next.min(at.unwrap_or(u64::MAX));
                }
            }
        }
        group.shares = shares;
        group.bytes = bytes;
        group.retained = retained;
        self.save_group(&group).await?;
        self.trim_retained(&mut group).await?;
        self.index.set_alarm(next).await?;
        done.next = Some(next);
        let _ = self.drop_bytes(&keys).await;
        Ok(done)
    }
}
