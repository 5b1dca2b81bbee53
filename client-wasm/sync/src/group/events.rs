//! Events in and out of the ledger: appended (written and signed on this device, unsent
//! until a round seals them), merged (what arrived, checked against its author's card
//! first: `authors.rs`) and imported from a backup.

use std::collections::BTreeSet;

use gfms_ledger::{EventBody, EventId, StoredEvent, new_event_id};

use super::Group;
use crate::authors::{Admitted, KeptAside, ledger_card};
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
        self.fold_in(&[id]);
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
        let admitted = self.authors.admit(&mut self.ledger, Vec::new(), &context);
        self.took(&admitted);
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
        self.took(&admitted);
        self.kept_aside_now.extend(admitted.newly);
        (admitted.report, admitted.left_out)
    }

    /// Takes events as a batch brings them ([`Group::merge`]): for the benchmarks, which
    /// measure a newcomer's merge without relays. Not for the app.
    #[doc(hidden)]
    pub fn merge_events(&mut self, events: Vec<StoredEvent>) -> gfms_ledger::MergeReport {
        self.merge(events).0
    }

    /// Keeps the state up to date with what an admit did to the ledger: events only
    /// added are applied to it, when they sort after what it holds; after events were
    /// taken out and judged again it is computed anew when next read.
    fn took(&mut self, admitted: &Admitted) {
        if admitted.rejudged {
            self.state = None;
        } else {
            self.fold_in(&admitted.merged);
        }
    }

    /// Applies events just added to the ledger to the state kept, if it is kept: an
    /// event that sorts before one it holds (a late arrival, a misbehaving member's
    /// clock), or a copy of one it holds, has the state computed anew when next read.
    fn fold_in(&mut self, added: &[EventId]) {
        if let Some(fold) = &mut self.state {
            let events = added.iter().filter_map(|id| self.ledger.get(id));
            if !fold.extend(events) {
                self.state = None;
            }
        }
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

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use gfms_ledger::{EventBody, Warning};

    use crate::Group;
    use crate::fixtures::{coffee, lisbon};

    /// The state kept is the state of the whole ledger, and a change this device writes
    /// is applied to it without computing it again.
    fn same_as_whole(g: &mut Group) {
        let whole = g.ledger().state();
        assert_eq!(g.state(), &whole);
    }

    /// Misbehaving member: Bob's events sort before events Alice wrote since (his clock
    /// lags: he wrote offline), and arrive after them; then he goes on writing after his
    /// removal, and his events come twice. Alice's state stays the state of her whole
    /// ledger at every step, and what she writes herself (even the removal) is applied
    /// to the state she keeps, never computed again from the ledger.
    #[test]
    fn misbehaving_member_late_events_and_a_removal_keep_the_state_exact() {
        let mut alice = lisbon();
        let a = alice.me();
        for i in 1..4 {
            alice.add_expense(coffee(a, i), 10).unwrap();
        }
        same_as_whole(&mut alice);
        let mut bob = Group::join(&alice.invite(), "Bob", 20).unwrap();
        let b = bob.me();
        bob.merge_events(alice.ledger().stored().cloned().collect());
        same_as_whole(&mut bob);
        bob.add_expense(coffee(b, 7), 30).unwrap();
        // Alice writes meanwhile: each change is applied to the state she keeps.
        for i in 4..7 {
            alice.add_expense(coffee(a, i), 30).unwrap();
            assert!(alice.state.is_some(), "a change of her own sorts last");
            same_as_whole(&mut alice);
        }
        let from_bob: Vec<_> = bob.ledger().stored().cloned().collect();
        alice.merge_events(from_bob.clone());
        same_as_whole(&mut alice);
        assert_eq!(alice.state().members.len(), 2);
        alice.remove_member(b, 40).unwrap();
        assert!(alice.state.is_some(), "her removal of Bob sorts last");
        same_as_whole(&mut alice);
        // Bob's device, removed, writes on (a release that does not check, or a
        // forged client): his rename sorts after the removal.
        bob.merge_events(alice.ledger().stored().cloned().collect());
        let renamed = EventBody::MemberRenamed {
            member: b,
            name: "Robert".into(),
        };
        bob.append(renamed, 50).unwrap();
        let again: Vec<_> = bob.ledger().stored().cloned().collect();
        alice.merge_events(again.clone());
        same_as_whole(&mut alice);
        alice.merge_events(again);
        assert!(alice.state.is_some(), "copies she holds change nothing");
        same_as_whole(&mut alice);
        let ignored = alice
            .state()
            .warnings
            .iter()
            .filter(|w| matches!(w, Warning::Ignored { .. }))
            .count();
        assert_eq!(ignored, 1, "his rename after his removal is not applied");
        assert_eq!(alice.state().members[&b].name, "Bob");
    }
}
