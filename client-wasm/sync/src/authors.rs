//! Who wrote what: the card each member's events are verified with, and the check every
//! event passes before it reaches the ledger (docs/member-keys.md).
//!
//! A member's card is *bound* by the events that carry it, each signed by the card it
//! carries (a self-signed proof of possession): the `member_joined` of a device with
//! member keys, or the `member_keys_published` of a member that joined before them. A
//! device with member keys takes the hash of its card as its member id, so its card is
//! the only one that can be bound to that id; for a member that joined before, the first
//! card published (by `(lamport, id)`) is bound — trust on first use, which safety codes
//! check — and any other is a conflict, shown.
//!
//! An event is applied when its signature verifies under its author's bound card; an
//! unsigned one when its author has no card yet (a device before member keys) or lists
//! it as written before publishing one. Anything else is kept aside with the reason, not
//! applied and not forwarded: signed by another member in the author's name, a signature
//! that does not verify, unsigned after its author published keys, or signed by a member
//! whose card has not arrived (kept until it does). The verdict depends only on the set
//! of events held, never on the order they arrived in, so every device agrees.

use std::collections::{BTreeMap, BTreeSet};

use gfms_identity::{GroupContext, MemberCard, SignedEvent};
use gfms_ledger::{Card, EventBody, EventId, Ledger, MemberId, StoredEvent};
use serde::{Deserialize, Serialize};

/// How many bytes (text and signature) of events a device keeps aside: about 1,100
/// signed expenses (the count bound this replaced was 1,000 events). A member flooding
/// the group with events nobody can check cannot grow a device's state past it; see
/// [`Authors::bound_aside`] for what goes first and why no event a member wrote is lost
/// to it.
pub(crate) const MAX_ASIDE_BYTES: usize = 512 * 1024;

/// Why an event was not applied.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AsideReason {
    /// No signature, though its author published member keys (and does not list it as
    /// written before them): written by someone else in the author's name.
    Unsigned,
    /// The signature does not verify under the author's card: forged, or altered.
    BadSignature,
    /// Another member signed it in the author's name (that member's signature verifies).
    SignedByOther {
        /// Who signed it.
        signer: MemberId,
    },
    /// Signed, by a member whose card has not arrived here yet: kept until it does.
    UnknownKey,
}

/// Read as the derive of `#[serde(tag = "kind")]` reads it, without serde's buffering of
/// internally tagged enums (docs/benchmarks.md): the tag and the one field, then the
/// variant.
impl<'de> Deserialize<'de> for AsideReason {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        #[derive(Deserialize)]
        struct Wire {
            kind: String,
            #[serde(default)]
            signer: Option<MemberId>,
        }
        let w = Wire::deserialize(d)?;
        Ok(match (w.kind.as_str(), w.signer) {
            ("unsigned", _) => AsideReason::Unsigned,
            ("bad_signature", _) => AsideReason::BadSignature,
            ("signed_by_other", Some(signer)) => AsideReason::SignedByOther { signer },
            ("signed_by_other", None) => return Err(D::Error::missing_field("signer")),
            ("unknown_key", _) => AsideReason::UnknownKey,
            _ => return Err(D::Error::custom("unknown kind of aside reason")),
        })
    }
}

impl AsideReason {
    /// The reason in words.
    pub fn describe(&self) -> String {
        match self {
            AsideReason::Unsigned => "not signed, though its author has published keys".into(),
            AsideReason::BadSignature => "its signature does not match its author's key".into(),
            AsideReason::SignedByOther { signer } => {
                format!("signed by member {signer} in another member's name")
            }
            AsideReason::UnknownKey => {
                "signed with a key not seen yet (kept until it arrives)".into()
            }
        }
    }
}

/// An event kept aside, as the app shows it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptAside {
    /// The event's id.
    pub event: EventId,
    /// The author its text names (none if unreadable).
    pub author: Option<MemberId>,
    /// Why it is not applied.
    pub reason: AsideReason,
}

/// A card bound to a member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Binding {
    pub(crate) card: MemberCard,
    /// The event that carries it.
    pub(crate) event: EventId,
    /// The member's unsigned events that are its own (listed when it published keys).
    legacy: BTreeSet<EventId>,
}

/// A card event: `member` says its card is `card`.
struct CardEvent {
    member: MemberId,
    card: MemberCard,
    key: (u64, EventId),
    legacy: Vec<EventId>,
}

/// An event kept aside, as saved.
#[derive(Serialize, Deserialize)]
pub(crate) struct SavedAside {
    text: String,
    #[serde(default)]
    sig: Option<String>,
    reason: AsideReason,
}

/// What [`Authors::admit`] did with the events it was given.
pub(crate) struct Admitted {
    pub(crate) report: gfms_ledger::MergeReport,
    /// What was newly kept aside.
    pub(crate) newly: Vec<KeptAside>,
    /// Events that wait for their author's card and found no room aside: not held.
    pub(crate) left_out: BTreeSet<EventId>,
    /// Whether events the ledger held were taken out to be judged again (a card bound
    /// or unbound): the ledger may have lost events, not only gained some.
    pub(crate) rejudged: bool,
    /// The events given to the ledger (new, or a better copy of one it held).
    pub(crate) merged: Vec<EventId>,
}

/// The bound cards and the events kept aside.
pub(crate) struct Authors {
    bindings: BTreeMap<MemberId, Binding>,
    /// Other cards published for a member (self-signed, but not bound).
    conflicts: BTreeMap<MemberId, Vec<MemberCard>>,
    aside: Vec<(StoredEvent, AsideReason)>,
    /// [`MAX_ASIDE_BYTES`] (smaller in tests, to flood it with few events).
    max_aside_bytes: usize,
}

impl Default for Authors {
    fn default() -> Self {
        Self {
            bindings: BTreeMap::new(),
            conflicts: BTreeMap::new(),
            aside: Vec::new(),
            max_aside_bytes: MAX_ASIDE_BYTES,
        }
    }
}

impl Authors {
    /// The bindings of `ledger`, with the events kept aside before. Cards are bound over
    /// both, as [`Authors::admit`] binds them: a card another phone published in a
    /// member's name is kept aside, and must still show as a conflict after a restart.
    pub(crate) fn load(ledger: &Ledger, context: &GroupContext, aside: Vec<SavedAside>) -> Self {
        let aside: Vec<(StoredEvent, AsideReason)> = aside
            .into_iter()
            .filter_map(|a| Some((StoredEvent::from_text(a.text, a.sig).ok()?, a.reason)))
            .collect();
        let held: Vec<StoredEvent> = aside.iter().map(|(e, _)| e.clone()).collect();
        let mut authors = Self {
            aside,
            ..Self::default()
        };
        authors.bind(ledger.stored().chain(held.iter()), context);
        authors
    }

    pub(crate) fn save(&self) -> Vec<SavedAside> {
        self.aside
            .iter()
            .map(|(e, reason)| SavedAside {
                text: e.text().to_string(),
                sig: e.signature().map(str::to_string),
                reason: reason.clone(),
            })
            .collect()
    }

    /// The card bound to `member`.
    pub(crate) fn card(&self, member: &MemberId) -> Option<&MemberCard> {
        self.bindings.get(member).map(|b| &b.card)
    }

    /// The event that bound `member`'s card.
    pub(crate) fn bound_by(&self, member: &MemberId) -> Option<EventId> {
        self.bindings.get(member).map(|b| b.event)
    }

    /// Cards published for `member` besides the bound one.
    pub(crate) fn conflicts(&self, member: &MemberId) -> &[MemberCard] {
        self.conflicts.get(member).map_or(&[], Vec::as_slice)
    }

    /// The events kept aside.
    pub(crate) fn kept_aside(&self) -> Vec<KeptAside> {
        self.aside.iter().map(|(e, r)| kept(e, r)).collect()
    }

    /// Takes `incoming` (from a batch, a backup, a saved batch read again): each event
    /// that verifies joins `ledger`, the others are kept aside. Events already held
    /// byte for byte are not checked again. When a member's binding changes with what
    /// arrived, its events already held are checked again: those that no longer verify
    /// leave the ledger, those kept aside that now do join it. Returns what was newly
    /// kept aside, and what was left out for want of room aside (see
    /// [`Authors::bound_aside`]): the batch carrying such an event must not be stored.
    pub(crate) fn admit(
        &mut self,
        ledger: &mut Ledger,
        incoming: Vec<StoredEvent>,
        context: &GroupContext,
    ) -> Admitted {
        self.admit_on(ledger, incoming, context, verify_threads())
    }

    /// [`Authors::admit`], the signatures of a large batch checked on `threads` threads.
    fn admit_on(
        &mut self,
        ledger: &mut Ledger,
        incoming: Vec<StoredEvent>,
        context: &GroupContext,
        threads: usize,
    ) -> Admitted {
        let pool: Vec<StoredEvent> = incoming
            .into_iter()
            .filter(|e| {
                ledger.get_stored(&e.id()).is_none_or(|have| {
                    have.text() != e.text()
                        || (e.signature().is_some() && have.signature() != e.signature())
                })
            })
            .collect();
        let held_aside: Vec<StoredEvent> = self.aside.iter().map(|(e, _)| e.clone()).collect();
        let before = std::mem::take(&mut self.bindings);
        self.bind(
            ledger.stored().chain(held_aside.iter()).chain(pool.iter()),
            context,
        );
        let changed: BTreeSet<MemberId> = self
            .bindings
            .iter()
            .filter(|(m, b)| before.get(m) != Some(b))
            .map(|(m, _)| *m)
            .chain(
                before
                    .keys()
                    .filter(|m| !self.bindings.contains_key(m))
                    .copied(),
            )
            .collect();
        // Events held under a binding that changed are judged again.
        let (mut again_judged, mut rejudged) = (Vec::new(), false);
        if !changed.is_empty() {
            let again: Vec<EventId> = ledger
                .stored()
                .filter(|e| e.author().is_some_and(|a| changed.contains(&a)))
                .map(StoredEvent::id)
                .collect();
            again_judged.extend(again.iter().filter_map(|id| ledger.take(id)));
            rejudged = !again_judged.is_empty();
            let (retry, keep): (Vec<_>, Vec<_>) = std::mem::take(&mut self.aside)
                .into_iter()
                .partition(|(e, _)| e.author().is_some_and(|a| changed.contains(&a)));
            self.aside = keep;
            again_judged.extend(retry.into_iter().map(|(e, _)| e));
        }
        // What arrived now and was not held aside before: the only events the bound may
        // leave out (their batch is not stored, so it comes again).
        let offered: BTreeSet<EventId> = {
            let held: BTreeSet<EventId> = self.aside.iter().map(|(e, _)| e.id()).collect();
            pool.iter()
                .map(StoredEvent::id)
                .filter(|id| !held.contains(id))
                .collect()
        };
        let mut newly = Vec::new();
        let (mut accepted, mut accepted_again) = (Vec::new(), Vec::new());
        let new_count = pool.len();
        let mut judged = pool;
        judged.append(&mut again_judged);
        // The verdicts are computed first (on several threads for a large batch), then
        // applied one by one in the order of `judged`, as a serial loop would.
        let verdicts = self.verdicts(&judged, context, threads);
        for (i, (e, verdict)) in judged.into_iter().zip(verdicts).enumerate() {
            let new = i < new_count;
            match verdict {
                Ok(()) if new => accepted.push(e),
                Ok(()) => accepted_again.push(e),
                Err(reason) => {
                    let k = kept(&e, &reason);
                    if !self.aside.iter().any(|(a, r)| a == &e && *r == reason) {
                        newly.push(k);
                        self.aside.push((e, reason));
                    }
                }
            }
        }
        let merged = accepted_again
            .iter()
            .chain(&accepted)
            .map(StoredEvent::id)
            .collect();
        ledger.merge_stored(accepted_again);
        let report = ledger.merge_stored(accepted);
        // A stripped or duplicate copy of an event the ledger holds is no news.
        self.aside.retain(|(e, _)| {
            ledger
                .get_stored(&e.id())
                .is_none_or(|have| have.text() != e.text())
        });
        let left_out = self.bound_aside(&offered);
        newly.retain(|k| self.aside.iter().any(|(e, _)| e.id() == k.event));
        Admitted {
            report,
            newly,
            left_out,
            rejudged,
            merged,
        }
    }

    /// Keeps the events aside within [`MAX_ASIDE_BYTES`], and returns the events that
    /// arrived in this call and were left out for want of room.
    ///
    /// Two kinds of events are kept aside. Those *refused* (unsigned in the name of a
    /// member with keys, a signature that does not verify, signed by another member)
    /// are forgeries: shown, never applied while the cards stay bound as they are, so
    /// they go first, oldest first, and their batch is stored all the same. Those
    /// *waiting* for their author's card (`unknown_key`) may be a member's real events
    /// whose card has not arrived yet (a newcomer's snapshot whose card batch opens in a
    /// later round, a relay withholding it), or events under an author someone made
    /// up: nobody can tell them apart before the card comes. Events waiting from a
    /// batch stored before are never dropped (the batch was acked: nobody will send
    /// them again). One that arrives now and finds no room is left out, and the caller
    /// does not store the batch carrying it: not acked, it is fetched again in a later
    /// round, and taken once its author's card is here (it then verifies and never
    /// needs room aside). So no event a member wrote is lost, and what a flood of
    /// made-up events can take is this bound, plus a batch fetched again per round
    /// until its relays forget it.
    fn bound_aside(&mut self, offered: &BTreeSet<EventId>) -> BTreeSet<EventId> {
        let max = self.max_aside_bytes;
        let size = |e: &StoredEvent| e.text().len() + e.signature().map_or(0, str::len);
        let mut total: usize = self.aside.iter().map(|(e, _)| size(e)).sum();
        if total <= max {
            return BTreeSet::new();
        }
        let waiting = |r: &AsideReason| *r == AsideReason::UnknownKey;
        // Forgeries first, oldest first.
        let mut keep = vec![true; self.aside.len()];
        for (i, (e, r)) in self.aside.iter().enumerate() {
            if total <= max {
                break;
            }
            if !waiting(r) {
                keep[i] = false;
                total -= size(e);
            }
        }
        // Then what waits and arrived now, the last to arrive first.
        let mut left_out = BTreeSet::new();
        for (i, (e, r)) in self.aside.iter().enumerate().rev() {
            if total <= max {
                break;
            }
            if keep[i] && waiting(r) && offered.contains(&e.id()) {
                keep[i] = false;
                total -= size(e);
                left_out.insert(e.id());
            }
        }
        let mut keep = keep.into_iter();
        self.aside.retain(|_| keep.next().unwrap_or(true));
        left_out
    }

    /// Checks every event held by a member with a card again: what a release before
    /// member keys applied without checking (it could not read the cards it forwarded).
    pub(crate) fn recheck_all(&mut self, ledger: &mut Ledger, context: &GroupContext) {
        self.bindings.clear();
        self.admit(ledger, Vec::new(), context);
    }

    /// Binds cards from the card events among `events` that are signed by the card they
    /// carry.
    fn bind<'a>(&mut self, events: impl Iterator<Item = &'a StoredEvent>, context: &GroupContext) {
        let mut by_member: BTreeMap<MemberId, Vec<CardEvent>> = BTreeMap::new();
        let mut seen = BTreeSet::new();
        for e in events {
            if let Some(c) = card_event(e, context)
                && seen.insert((e.id(), c.card.to_bytes()))
            {
                by_member.entry(c.member).or_default().push(c);
            }
        }
        self.bindings.clear();
        self.conflicts.clear();
        for (member, mut cards) in by_member {
            gfms_ledger::order::sort_by_key(&mut cards, |c| c.key);
            // A card whose hash is the member's id is the only one that can be its card;
            // otherwise the first published (trust on first use).
            let chosen = cards
                .iter()
                .position(|c| c.card.member_id() == member.0)
                .unwrap_or(0);
            let bound = &cards[chosen];
            let legacy: BTreeSet<EventId> = cards
                .iter()
                .filter(|c| c.card == bound.card)
                .flat_map(|c| c.legacy.iter().copied())
                .collect();
            let mut others: Vec<MemberCard> = Vec::new();
            for c in &cards {
                if c.card != bound.card && !others.contains(&c.card) {
                    others.push(c.card);
                }
            }
            if !others.is_empty() {
                self.conflicts.insert(member, others);
            }
            self.bindings.insert(
                member,
                Binding {
                    card: bound.card,
                    event: bound.key.1,
                    legacy,
                },
            );
        }
    }

    /// [`Authors::verdict`] of each of `events`, in their order. From [`PARALLEL_FROM`]
    /// events on, the slice is cut into `threads` runs checked at once (each verdict
    /// depends only on the bindings, never on another event's verdict); a thread that
    /// cannot be started leaves its run to this one.
    fn verdicts(
        &self,
        events: &[StoredEvent],
        context: &GroupContext,
        threads: usize,
    ) -> Vec<Result<(), AsideReason>> {
        let serial = |run: &[StoredEvent]| -> Vec<Result<(), AsideReason>> {
            run.iter().map(|e| self.verdict(e, context)).collect()
        };
        if threads < 2 || events.len() < PARALLEL_FROM {
            return serial(events);
        }
        std::thread::scope(|scope| {
            let runs: Vec<_> = events
                .chunks(events.len().div_ceil(threads))
                .map(|run| {
                    let spawned = std::thread::Builder::new()
                        .name("gfms-verify".into())
                        .spawn_scoped(scope, move || serial(run));
                    (run, spawned)
                })
                .collect();
            runs.into_iter()
                .flat_map(|(run, spawned)| match spawned {
                    Ok(handle) => handle
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                    Err(_) => serial(run),
                })
                .collect()
        })
    }

    /// Whether `e` may be applied.
    fn verdict(&self, e: &StoredEvent, context: &GroupContext) -> Result<(), AsideReason> {
        // Text whose author cannot be read cannot be applied either (it is kept as from
        // a newer version); nothing to check.
        let Some(author) = e.author() else {
            return Ok(());
        };
        let Some(binding) = self.bindings.get(&author) else {
            return match e.signature() {
                None => Ok(()),
                Some(_) => Err(self
                    .signed_by_other(e, context, author)
                    .unwrap_or(AsideReason::UnknownKey)),
            };
        };
        match e.signature() {
            None if binding.legacy.contains(&e.id()) => Ok(()),
            None => Err(AsideReason::Unsigned),
            Some(sig) => {
                let envelope = SignedEvent::from_parts(&author.0, e.text(), Some(sig.to_string()));
                match envelope.verify(context, &author.0, &binding.card) {
                    Ok(_) => Ok(()),
                    Err(_) => Err(self
                        .signed_by_other(e, context, author)
                        .unwrap_or(AsideReason::BadSignature)),
                }
            }
        }
    }

    /// Which other member's card verifies `e`'s signature as its own: proof of who wrote
    /// in `author`'s name.
    fn signed_by_other(
        &self,
        e: &StoredEvent,
        context: &GroupContext,
        author: MemberId,
    ) -> Option<AsideReason> {
        let sig = e.signature()?.to_string();
        self.bindings
            .iter()
            .filter(|(m, _)| **m != author)
            .find(|(m, b)| {
                SignedEvent::from_parts(&m.0, e.text(), Some(sig.clone()))
                    .verify(context, &m.0, &b.card)
                    .is_ok()
            })
            .map(|(m, _)| AsideReason::SignedByOther { signer: *m })
    }
}

/// From this many events checked at once, their signatures are verified on several
/// threads (about 60 µs each: 10,000 events of a newcomer's snapshot take most of a
/// second on one core).
const PARALLEL_FROM: usize = 256;

/// How many threads check signatures: the cores this process may use on a native target,
/// one in wasm (no threads in a browser's main thread or a Worker without shared memory).
fn verify_threads() -> usize {
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    }
    #[cfg(target_arch = "wasm32")]
    {
        1
    }
}

fn kept(e: &StoredEvent, reason: &AsideReason) -> KeptAside {
    KeptAside {
        event: e.id(),
        author: e.author(),
        reason: reason.clone(),
    }
}

/// A card as the ledger records it.
pub(crate) fn ledger_card(card: &MemberCard) -> Card {
    Card {
        ed25519: gfms_protocol::encode_data(card.ed25519()),
        x25519: gfms_protocol::encode_data(card.x25519()),
    }
}

/// A ledger card as a checked card (`None`: not a card any honest device makes).
pub(crate) fn member_card(card: &Card) -> Option<MemberCard> {
    MemberCard::from_base64url(&card.ed25519, &card.x25519).ok()
}

/// The card `e` carries for its author, if `e` is a card event signed by that card.
fn card_event(e: &StoredEvent, context: &GroupContext) -> Option<CardEvent> {
    let event = e.event()?;
    let (card, legacy) = match &event.body {
        EventBody::MemberJoined {
            member,
            card: Some(card),
            ..
        } if *member == event.author => (card, Vec::new()),
        EventBody::MemberKeysPublished { card, legacy } => (card, legacy.clone()),
        _ => return None,
    };
    let card = member_card(card)?;
    SignedEvent::from_parts(&event.author.0, e.text(), e.signature().map(str::to_string))
        .verify(context, &event.author.0, &card)
        .ok()?;
    Some(CardEvent {
        member: event.author,
        card,
        key: (event.lamport, event.id),
        legacy,
    })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
#[path = "authors_bound_proptest.rs"]
mod bound_proptest;

#[cfg(test)]
mod tests {
    use super::*;

    /// A group of one whose ledger holds `expenses` signed expenses, and its context.
    pub(super) fn signed_history(expenses: usize) -> (Vec<StoredEvent>, GroupContext) {
        let mut g = crate::fixtures::lisbon();
        let me = g.me();
        for i in 0..expenses {
            g.add_expense(crate::fixtures::coffee(me, i), 10 + i as u64)
                .unwrap();
        }
        (
            g.ledger().stored().cloned().collect(),
            *g.keyring().context(),
        )
    }

    /// Misbehaving member: in a snapshot of 600 events, one carries another event's
    /// signature and one has lost its signature. Checked on four threads or on one, the
    /// same events join the ledger and the same two are kept aside, for the same reasons.
    #[test]
    fn misbehaving_member_a_large_batch_is_judged_alike_on_one_thread_or_several() {
        let (mut events, context) = signed_history(600);
        events.sort_by_key(|e| (e.lamport(), e.id()));
        let borrowed = events[302].signature().map(str::to_string);
        events[301] = events[301].clone().with_signature(borrowed);
        events[450] = events[450].clone().with_signature(None);
        let (forged, stripped) = (events[301].id(), events[450].id());
        let judged = |threads: usize| {
            let (mut ledger, mut authors) = (Ledger::default(), Authors::default());
            let admitted = authors.admit_on(&mut ledger, events.clone(), &context, threads);
            assert!(admitted.left_out.is_empty());
            (
                ledger,
                admitted.report,
                admitted.newly,
                authors.kept_aside(),
            )
        };
        let serial = judged(1);
        let parallel = judged(4);
        assert_eq!(parallel, serial);
        let (ledger, report, newly, aside) = serial;
        assert_eq!(report.added, events.len() - 2);
        assert!(ledger.get_stored(&forged).is_none());
        assert!(ledger.get_stored(&stripped).is_none());
        assert_eq!(newly, aside);
        let reasons: Vec<_> = aside.iter().map(|k| (k.event, k.reason.clone())).collect();
        assert_eq!(
            reasons,
            vec![
                (forged, AsideReason::BadSignature),
                (stripped, AsideReason::Unsigned)
            ]
        );
    }

    /// An event of about 1 KiB by `author` (a member nobody has a card for), signed
    /// with a signature no card verifies.
    fn signed_by(author: u8, n: u64) -> StoredEvent {
        let id = gfms_ledger::new_event_id(n, [author; 10]);
        let text = format!(
            r#"{{"id":"{id}","lamport":{n},"author":"{}","pad":"{}"}}"#,
            hex::encode([author; 16]),
            "x".repeat(1000)
        );
        StoredEvent::from_text(text, Some("A".repeat(86))).unwrap()
    }

    fn saved(events: &[StoredEvent], reason: AsideReason) -> Vec<SavedAside> {
        events
            .iter()
            .map(|e| SavedAside {
                text: e.text().to_string(),
                sig: e.signature().map(str::to_string),
                reason: reason.clone(),
            })
            .collect()
    }

    /// Misbehaving member: a state saved with the count bound before (1,000 events,
    /// about 1 MiB here, past the byte bound) loads whole; forgeries go first when room
    /// is needed; events waiting for a card from batches stored before are never
    /// dropped, however many arrive; of what arrives, what waits and finds no room is
    /// left out (its batch is not stored) and not held.
    #[test]
    fn misbehaving_member_flood_leaves_out_new_waiting_events_never_held_ones() {
        let context = GroupContext::derive(&[1; 32]);
        let mut ledger = Ledger::default();
        let held: Vec<StoredEvent> = (0..1000).map(|n| signed_by(1, n)).collect();
        let forged: Vec<StoredEvent> = (0..50).map(|n| signed_by(2, n)).collect();
        let mut aside = saved(&forged, AsideReason::BadSignature);
        aside.extend(saved(&held, AsideReason::UnknownKey));
        let mut authors = Authors::load(&ledger, &context, aside);
        assert_eq!(
            authors.kept_aside().len(),
            1050,
            "an older state loads whole"
        );

        let flood: Vec<StoredEvent> = (0..300).map(|n| signed_by(3, n)).collect();
        let admitted = authors.admit(&mut ledger, flood.clone(), &context);
        let kept: BTreeSet<EventId> = authors.kept_aside().iter().map(|k| k.event).collect();
        assert!(
            held.iter().all(|e| kept.contains(&e.id())),
            "held ones stay"
        );
        assert!(
            forged.iter().all(|e| !kept.contains(&e.id())),
            "forgeries go"
        );
        let flood_ids: BTreeSet<EventId> = flood.iter().map(StoredEvent::id).collect();
        assert_eq!(admitted.left_out, flood_ids, "no room: all left out");
        assert!(admitted.newly.is_empty());
        assert!(kept.is_disjoint(&flood_ids));
        assert_eq!(ledger.stored().count(), 0);
    }

    /// Misbehaving member: of a flood that arrives at once, what fits the bound is kept
    /// (the first to arrive), the rest is left out, and what is kept stays within it.
    #[test]
    fn misbehaving_member_flood_is_kept_up_to_the_bound_in_bytes() {
        let context = GroupContext::derive(&[1; 32]);
        let mut ledger = Ledger::default();
        let mut authors = Authors::default();
        let flood: Vec<StoredEvent> = (0..1000).map(|n| signed_by(3, n)).collect();
        let admitted = authors.admit(&mut ledger, flood.clone(), &context);
        let bytes: usize = authors
            .save()
            .iter()
            .map(|a| a.text.len() + a.sig.as_ref().map_or(0, String::len))
            .sum();
        assert!(bytes <= MAX_ASIDE_BYTES, "{bytes}");
        assert!(
            bytes > MAX_ASIDE_BYTES - 1200,
            "filled up to the bound: {bytes}"
        );
        let kept = authors.kept_aside().len();
        assert_eq!(kept + admitted.left_out.len(), flood.len());
        assert!(
            flood[..kept]
                .iter()
                .all(|e| !admitted.left_out.contains(&e.id()))
        );
    }

    /// Older or newer version: every reason reads back as written, in the derive's
    /// shape (tag first or last); an unknown kind or a missing signer is refused.
    #[test]
    fn older_or_newer_version_aside_reasons_read_back() {
        let reasons = [
            AsideReason::Unsigned,
            AsideReason::BadSignature,
            AsideReason::SignedByOther {
                signer: MemberId([7; 16]),
            },
            AsideReason::UnknownKey,
        ];
        for r in reasons {
            let json = serde_json::to_string(&r).unwrap();
            assert_eq!(
                serde_json::from_slice::<AsideReason>(json.as_bytes()).unwrap(),
                r
            );
        }
        let last = format!(
            r#"{{"signer":"{}","kind":"signed_by_other"}}"#,
            "07".repeat(16)
        );
        assert!(serde_json::from_slice::<AsideReason>(last.as_bytes()).is_ok());
        for bad in [
            r#"{"kind":"signed_by_other"}"#,
            r#"{"kind":"forged"}"#,
            "{}",
        ] {
            assert!(serde_json::from_slice::<AsideReason>(bad.as_bytes()).is_err());
        }
    }
}
