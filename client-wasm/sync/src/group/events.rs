//! Events in and out of the ledger: appended (written and signed on this device, unsent
//! until a round seals them), merged (what arrived, checked against its author's card
//! first: `authors.rs`) and imported from a backup.

use std::collections::BTreeSet;

use gfms_ledger::{EventBody, EventId, StoredEvent, new_event_id};

use super::Group;
use crate::authors::{KeptAside, ledger_card};
use crate::{Error, random};

impl Group {
    /// Appends an event written and signed on this device; it goes out with the next
    /// sync. A device that joined before member keys publishes its card first.
    pub fn append(&mut self, body: EventBody, now_ms: u64) -> Result<EventId, Error> {
        self.publish_keys_if_due(now_ms)?;
        self.append_signed(body, now_ms)
    }

    fn append_signed(&mut self, body: EventBody, now_ms: u64) -> Result<EventId, Error> {
        let id = new_event_id(now_ms, random()?);
        let draft = self.ledger.draft(self.me, id, now_ms, body);
        let signed =
            self.keyring
                .device()
                .sign_event(self.keyring.context(), &self.me.0, draft.text());
        let event = draft.with_signature(signed.signature().map(str::to_string));
        self.ledger.merge_stored([event]);
        self.outbox.mark_unsent([id]);
        self.state = None;
        Ok(id)
    }

    /// A device whose member joined before member keys publishes its card (signed with
    /// it) and lists the events it wrote unsigned, once it is a member with the group's
    /// history.
    pub(crate) fn publish_keys_if_due(&mut self, now_ms: u64) -> Result<(), Error> {
        if !self.publish_keys || !self.is_member() || !self.knows_group() {
            return Ok(());
        }
        self.publish_keys = false;
        if self.authors.card(&self.me) == Some(self.keyring.device().card()) {
            return Ok(());
        }
        let me = self.me;
        let legacy: Vec<EventId> = self
            .ledger
            .stored()
            .filter(|e| e.author() == Some(me) && e.signature().is_none())
            .map(StoredEvent::id)
            .collect();
        let card = ledger_card(self.keyring.device().card());
        self.append_signed(EventBody::MemberKeysPublished { card, legacy }, now_ms)?;
        // This device's card is bound now (its own events verify under it).
        let context = *self.keyring.context();
        self.authors.admit(&mut self.ledger, Vec::new(), &context);
        Ok(())
    }

    /// Takes events that arrived (in a batch or an import), as their exact text: those
    /// that verify against their author's card join the ledger, the others are kept
    /// aside. Returns how many were new, and the events left out for want of room aside
    /// (waiting for a card; `Authors::bound_aside`): not held, so whatever carried them
    /// must be read again later (a batch not stored, a batch kept verbatim).
    pub(crate) fn merge(
        &mut self,
        events: Vec<StoredEvent>,
    ) -> (gfms_ledger::MergeReport, BTreeSet<EventId>) {
        let context = *self.keyring.context();
        let admitted = self.authors.admit(&mut self.ledger, events, &context);
        if admitted.report.added > 0 || !admitted.newly.is_empty() {
            self.state = None;
        }
        self.kept_aside_now.extend(admitted.newly);
        (admitted.report, admitted.left_out)
    }

    /// Takes events as a batch brings them ([`Group::merge`]): for the benchmarks, which
    /// measure a newcomer's merge without relays. Not for the app.
    #[doc(hidden)]
    pub fn merge_events(&mut self, events: Vec<StoredEvent>) -> gfms_ledger::MergeReport {
        self.merge(events).0
    }

    /// Events kept aside since the last call (for a round's report).
    pub(crate) fn take_kept_aside_now(&mut self) -> Vec<KeptAside> {
        std::mem::take(&mut self.kept_aside_now)
    }

    /// Imports a JSON backup of this group (merge by event id; importing twice changes
    /// nothing). A backup of another group is refused (`wrong_group`): its events would
    /// go to everyone and its members, who will never ack, would block every batch.
    /// Imported events are checked like any that arrive, and reach the other members
    /// with the next sync.
    pub fn import_json(&mut self, json: &str) -> Result<gfms_ledger::MergeReport, Error> {
        let group = self.ledger.group_id().ok_or(Error::NotSynced)?;
        let events = gfms_ledger::read_backup(json, group)?;
        let total = events.len();
        let new: Vec<StoredEvent> = events
            .into_iter()
            .filter(|e| {
                self.ledger
                    .get_stored(&e.id())
                    .is_none_or(|have| have.reading() < e.reading())
            })
            .collect();
        let ids: Vec<EventId> = new.iter().map(StoredEvent::id).collect();
        let (report, _) = self.merge(new);
        let held: Vec<EventId> = ids
            .into_iter()
            .filter(|id| self.ledger.get_stored(id).is_some())
            .collect();
        self.outbox.mark_unsent(held);
        Ok(gfms_ledger::MergeReport {
            added: report.added,
            duplicates: total - report.added,
        })
    }
}
