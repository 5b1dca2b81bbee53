//! The changes a member makes, each checked by the ledger (`gfms_ledger::change`) and
//! appended as an event this device writes and signs. What depends on the device is
//! checked here: its member is still in the group, the group's history has arrived.

use gfms_ledger::{
    EventId, Expense, GroupSettings, MemberId, PushSubscription, Settlement, State, change,
};

use super::Group;
use crate::relays::RelaySet;
use crate::{Error, epochs};

impl Group {
    /// The state, if this device may change the group: its member is still in it and
    /// the group's history has arrived. The ledger checks each change against it.
    pub(super) fn writable_state(&mut self) -> Result<&State, Error> {
        if !self.is_member() {
            return Err(Error::NotMember);
        }
        let state = self.state();
        if state.settings.is_none() {
            return Err(Error::NotSynced);
        }
        Ok(state)
    }

    /// Records an expense.
    pub fn add_expense(&mut self, value: Expense, now_ms: u64) -> Result<EventId, Error> {
        let body = change::add_expense(self.writable_state()?, value)?;
        self.append(body, now_ms)
    }

    /// Records several expenses at once (an import). Each is checked as
    /// [`Group::add_expense`] checks it, and all are checked before any is written: all
    /// are recorded or none, and the error carries the index of the first refused. One
    /// state serves every check, which is what adding them one by one would check
    /// (recording an expense changes neither the members nor the settings a check reads)
    /// without computing the state again after each: in a group of `n` events, `m`
    /// expenses cost `n + m` steps instead of about `m × n`.
    pub fn add_expenses(
        &mut self,
        values: Vec<Expense>,
        now_ms: u64,
    ) -> Result<Vec<EventId>, (usize, Error)> {
        self.add_checked(values, now_ms, change::add_expense)
    }

    /// Records several repayments at once, as [`Group::add_expenses`] records expenses
    /// (a repayment changes neither the members nor the settings either).
    pub fn record_settlements(
        &mut self,
        values: Vec<Settlement>,
        now_ms: u64,
    ) -> Result<Vec<EventId>, (usize, Error)> {
        self.add_checked(values, now_ms, change::record_settlement)
    }

    /// Checks every value against one state with `check`, then appends them all.
    fn add_checked<T>(
        &mut self,
        values: Vec<T>,
        now_ms: u64,
        check: fn(&State, T) -> Result<gfms_ledger::EventBody, gfms_ledger::Error>,
    ) -> Result<Vec<EventId>, (usize, Error)> {
        if values.is_empty() {
            return Ok(Vec::new());
        }
        let state = self.writable_state().map_err(|e| (0, e))?;
        let bodies = values
            .into_iter()
            .enumerate()
            .map(|(i, v)| check(state, v).map_err(|e| (i, Error::from(e))))
            .collect::<Result<Vec<_>, _>>()?;
        bodies
            .into_iter()
            .enumerate()
            .map(|(i, body)| self.append(body, now_ms).map_err(|e| (i, e)))
            .collect()
    }

    /// Replaces an expense's value.
    pub fn edit_expense(&mut self, id: EventId, value: Expense, now_ms: u64) -> Result<(), Error> {
        let body = change::edit_expense(self.writable_state()?, id, value)?;
        self.append(body, now_ms).map(|_| ())
    }

    /// Deletes an expense.
    pub fn delete_expense(&mut self, id: EventId, now_ms: u64) -> Result<(), Error> {
        let body = change::delete_expense(self.writable_state()?, id)?;
        self.append(body, now_ms).map(|_| ())
    }

    /// Records a repayment.
    pub fn record_settlement(&mut self, value: Settlement, now_ms: u64) -> Result<EventId, Error> {
        let body = change::record_settlement(self.writable_state()?, value)?;
        self.append(body, now_ms)
    }

    /// Deletes a settlement.
    pub fn delete_settlement(&mut self, id: EventId, now_ms: u64) -> Result<(), Error> {
        let body = change::delete_settlement(self.writable_state()?, id)?;
        self.append(body, now_ms).map(|_| ())
    }

    /// Renames a member.
    pub fn rename_member(
        &mut self,
        member: MemberId,
        name: &str,
        now_ms: u64,
    ) -> Result<(), Error> {
        let body = change::rename_member(self.writable_state()?, member, name)?;
        self.append(body, now_ms).map(|_| ())
    }

    /// Removes a member (a lost phone, or a member who must not read on): they stop
    /// blocking synchronisation, and — once every member has keys — a new key epoch
    /// starts, its secret sealed to the members who stay. The removal itself goes out
    /// under the old epoch's secret (the removed member's device is told, and the others
    /// learn the new secret from it). Removing this device's own member is leaving.
    pub fn remove_member(&mut self, member: MemberId, now_ms: u64) -> Result<(), Error> {
        let me = self.me;
        let body = change::remove_member(self.writable_state()?, member, me)?;
        let id = self.append(body, now_ms)?;
        if member != me {
            let old = self.keyring.current().start;
            self.outbox.route(id, old);
            epochs::update(self, now_ms)?;
        }
        Ok(())
    }

    /// Notifications on (this device's Web Push subscription) or off (`None`).
    pub fn set_push(&mut self, sub: Option<PushSubscription>, now_ms: u64) -> Result<(), Error> {
        let body = change::set_push(self.writable_state()?, sub)?;
        self.append(body, now_ms).map(|_| ())
    }

    /// This device's member leaves; the event still goes out with the next sync.
    pub fn leave(&mut self, now_ms: u64) -> Result<(), Error> {
        let me = self.me;
        let body = change::leave(self.writable_state()?, me)?;
        self.append(body, now_ms).map(|_| ())
    }

    /// New settings.
    pub fn change_settings(&mut self, settings: GroupSettings, now_ms: u64) -> Result<(), Error> {
        let body = change::change_settings(self.writable_state()?, settings)?;
        self.append(body, now_ms).map(|_| ())
    }

    /// Moves the group to another relay set. The batch carrying this change goes to
    /// the old and the new relays, so every member hears of it.
    pub fn change_relays(&mut self, relays: &[String], k: u8, now_ms: u64) -> Result<(), Error> {
        self.writable_state()?;
        let set = RelaySet::new(relays, k)?;
        let body = change::change_relays(self.state(), set.relays, set.k)?;
        self.append(body, now_ms).map(|_| ())
    }

    /// A relay answered `gone` to a re-put: the batch's share ids reached the relay's
    /// ceiling on how long re-puts keep a share alive (a member away for weeks). The batch
    /// is retired and this device's whole ledger goes out as a snapshot, under new ids, to
    /// the members that had not acked it — they get everything, the others drop duplicates.
    pub(crate) fn retire_batch(&mut self, batch_id: &str) {
        if let Some(acked) = self.outbox.retire(batch_id) {
            let missing: Vec<MemberId> = self
                .recipients()
                .into_iter()
                .filter(|m| !acked.contains_key(m))
                .collect();
            self.outbox.owe_snapshot(missing);
        }
    }
}
