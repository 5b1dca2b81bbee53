//! What the device shows about delivery: whether it is leaving and may delete the group,
//! what it cannot read yet, what it kept aside.

use gfms_ledger::{EventId, StoredEvent};

use super::Group;
use crate::{DeviceView, KeptAside};

impl Group {
    /// Whether no member other than this device's is active, as far as it knows: a
    /// leaving device that is alone has no one to hand its batches to (none may exist,
    /// or one may be joining that it has not heard of), so it is never ready to delete
    /// by itself; the app may offer to delete the group anyway.
    pub fn alone(&mut self) -> bool {
        self.recipients().is_empty()
    }

    /// Whether this device's member left (or was removed) and the device still holds the
    /// group: it keeps syncing, read-only, until what it wrote — its `member_left`
    /// included — has reached every member ([`Group::ready_to_delete`]).
    pub fn leaving(&mut self) -> bool {
        !self.is_member()
    }

    /// Whether a leaving device has delivered everything: nothing unsent, no snapshot owed
    /// to a member it learned of, no batch on its way (a batch delivered to no one — every
    /// other member gone or not yet known — stays on its way), no share left to delete.
    /// The group may now be deleted from this device.
    pub fn ready_to_delete(&mut self) -> bool {
        self.leaving()
            && !self.outbox.snapshot_owed()
            && self.outbox.unsent_count() == 0
            && self.outbox.len() == 0
            && self.outbox.deletes().is_empty()
    }

    /// The ids of events held but not applied: from a newer version of GFMS (shown as
    /// such; an upgrade applies them).
    pub fn newer_events(&self) -> Vec<EventId> {
        self.ledger.newer().map(StoredEvent::id).collect()
    }

    /// Shares of complete batches still to delete at their relays (a delete that failed
    /// or got no answer is sent again next round; the relay's TTL is the backstop).
    pub fn deletes_pending(&self) -> usize {
        self.outbox.deletes().len()
    }

    /// Batches kept verbatim because this version could not read them whole.
    pub fn unread_batches(&self) -> usize {
        self.inbox.unread_count()
    }

    /// Events that arrived and are not applied: a signature that does not verify, none
    /// where one is due, signed by a member in another's name, or by a member whose card
    /// has not arrived yet.
    pub fn kept_aside(&self) -> Vec<KeptAside> {
        self.authors.kept_aside()
    }

    /// What this device still has to deliver ([`DeviceView`]).
    pub fn device_view(&mut self) -> DeviceView {
        DeviceView {
            leaving: self.leaving(),
            ready_to_delete: self.ready_to_delete(),
            alone: self.alone(),
            unsent: self.unsent_count(),
            outbox: self.outbox_len(),
            newer_events: self.newer_events(),
            unread_batches: self.unread_batches(),
            kept_aside: self.kept_aside(),
            removed: self.removal(),
        }
    }
}
