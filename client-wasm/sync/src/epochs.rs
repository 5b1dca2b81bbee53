//! Key epochs (docs/member-keys.md): a removal that revokes.
//!
//! A group starts in epoch 0, whose secret is in every invite. When a member leaves or
//! is removed, a member who stays starts a new epoch: a fresh secret, sealed with HPKE to
//! each active member's card (`epoch_started`), sent under the old epoch's secret so
//! they all can read it. Every key the engine uses at a relay derives from the epoch's
//! secret, so from then on batches go to new group ids under new tokens that the removed
//! member cannot derive.
//!
//! The rules, each a function of the events held (so every device agrees):
//! - **Winner.** For each epoch number the `epoch_started` with the greatest
//!   `(lamport, author, id)` wins; a device sends in the winner of the highest number it
//!   holds the secret of. Two members who started the same number concurrently end in
//!   the same epoch: the loser switches, and its batches sealed in its own epoch are
//!   sealed again in the winner.
//! - **Holders.** An epoch's secret is held by the members it was sealed to (at its
//!   start, or later by `epoch_shared`) and by the members who joined with an invite of
//!   it (their `member_joined` says which epoch).
//! - **Revoke.** When a member who is not active (left or removed) holds the current
//!   epoch's secret, a member who stays starts the next epoch — once every active member
//!   has published a card to seal it to. Several may do so at once; the winner rule
//!   settles it, and if the winner was sealed to someone who has gone meanwhile, the
//!   rule fires again.
//! - **Share.** When an active member with a card does not hold the current epoch (it
//!   joined with an older invite while the epoch was starting), a member who holds it
//!   seals it to them (`epoch_shared`), sent in the epoch they hold with the sender's
//!   card event (a newcomer without history could not check it otherwise).
//! - **Switch.** New batches are sealed in the current epoch; those on their way in an
//!   earlier one stay there (its members pull from it for two weeks after they leave
//!   it), unless they are still on their way a week later: then they are sealed again
//!   in the current one. Those on their way in a start that lost are sealed again in
//!   the current one at once: a member who joined while it was starting may never be
//!   given its secret, and would hold them up for that week. Those sent to an earlier
//!   epoch on purpose (announcing an epoch, telling a removed member) never are.

use std::collections::{BTreeMap, BTreeSet};

use gfms_identity::{EpochSecret, SealedEpochSecret, seal_epoch_secret};
use gfms_ledger::{EventBody, EventId, Ledger, MemberId, SealedSecret};
use gfms_seal::GroupSecret;

use crate::authors::Authors;
use crate::keyring::{EpochStart, FIRST_EPOCH};
use crate::{Error, Group};

/// An `epoch_started` event, as the rules read it.
#[derive(Debug, Clone)]
struct Start {
    number: u64,
    id: EventId,
    /// `(lamport, author, id)`: the greatest of one number wins.
    key: (u64, MemberId, EventId),
    /// Members it is sealed to, with its `epoch_shared` additions.
    sealed: Vec<SealedSecret>,
}

/// What the ledger says about epochs.
pub(crate) struct Epochs {
    starts: Vec<Start>,
    /// `epoch_shared` events by the start they continue: (number, secrets). A member
    /// who learns an epoch's secret this way may not hold its `epoch_started` yet.
    shared: BTreeMap<EventId, (u64, Vec<SealedSecret>)>,
    /// The epoch each member joined with (by its `member_joined`).
    joined: BTreeMap<MemberId, u64>,
}

impl Epochs {
    pub(crate) fn read(ledger: &Ledger) -> Self {
        let mut starts: Vec<Start> = Vec::new();
        let mut shared: BTreeMap<EventId, (u64, Vec<SealedSecret>)> = BTreeMap::new();
        let mut joined = BTreeMap::new();
        for e in ledger.events() {
            match &e.body {
                // The nil id is epoch 0's start: no event may pose as it.
                EventBody::EpochStarted { .. } if e.id == FIRST_EPOCH => {}
                EventBody::EpochShared { start, .. } if *start == FIRST_EPOCH => {}
                EventBody::EpochStarted { epoch, secrets } => starts.push(Start {
                    number: *epoch,
                    id: e.id,
                    key: (e.lamport, e.author, e.id),
                    sealed: secrets.clone(),
                }),
                EventBody::EpochShared {
                    epoch,
                    start,
                    secrets,
                } => shared
                    .entry(*start)
                    .or_insert_with(|| (*epoch, Vec::new()))
                    .1
                    .extend(secrets.iter().cloned()),
                EventBody::MemberJoined { member, epoch, .. } if *member == e.author => {
                    joined.insert(*member, *epoch);
                }
                _ => {}
            }
        }
        Self {
            starts,
            shared,
            joined,
        }
    }

    /// The winning start of epoch `number`.
    fn winner(&self, number: u64) -> Option<&Start> {
        self.starts
            .iter()
            .filter(|s| s.number == number)
            .max_by_key(|s| s.key)
    }

    fn start(&self, start: EpochStart) -> Option<&Start> {
        self.starts.iter().find(|s| s.id == start)
    }

    /// Who holds the secret of epoch `start` (number `number`).
    ///
    /// A `member_joined` names the number of its invite's epoch, not its start: when
    /// that number had concurrent starts, which one the member holds is not known, so it
    /// counts only where the secret was sealed to it ([`Epochs::may_read`] says where it
    /// may read).
    pub(crate) fn holders(&self, number: u64, start: EpochStart) -> BTreeSet<MemberId> {
        let mut out: BTreeSet<MemberId> = if self.concurrent(number) {
            BTreeSet::new()
        } else {
            self.joined
                .iter()
                .filter(|(_, e)| **e == number)
                .map(|(m, _)| *m)
                .collect()
        };
        if let Some(s) = self.start(start) {
            out.extend(s.sealed.iter().map(|x| x.member));
        }
        if let Some((_, secrets)) = self.shared.get(&start) {
            out.extend(secrets.iter().map(|x| x.member));
        }
        out
    }

    /// Whether epoch `number` had more than one start (epoch 0 has one, the nil id).
    fn concurrent(&self, number: u64) -> bool {
        number > 0 && self.starts.iter().filter(|s| s.number == number).count() > 1
    }

    /// Whether `member` may hold the secret of epoch `start` (number `number`): it does,
    /// or it joined with an invite of that number when the number had several starts.
    pub(crate) fn may_read(&self, member: &MemberId, number: u64, start: EpochStart) -> bool {
        self.holders(number, start).contains(member)
            || (self.concurrent(number) && self.joined.get(member) == Some(&number))
    }

    /// Every epoch's secrets sealed to `member`: (number, start, sealed), from its start
    /// and from `epoch_shared` events (whose start may not have arrived).
    fn sealed_to(&self, member: &MemberId) -> Vec<(u64, EventId, &SealedSecret)> {
        let started = self
            .starts
            .iter()
            .flat_map(|s| s.sealed.iter().map(move |x| (s.number, s.id, x)));
        let shared = self
            .shared
            .iter()
            .flat_map(|(id, (n, xs))| xs.iter().map(move |x| (*n, *id, x)));
        started
            .chain(shared)
            .filter(|(_, _, x)| x.member == *member)
            .collect()
    }

    /// Whether `member` can come to hold epoch `number`'s secret: it joined with an
    /// invite of that epoch or an earlier one (a member who joined later holds only newer
    /// secrets, and no one shares an older one with it).
    pub(crate) fn may_hold(&self, member: &MemberId, number: u64) -> bool {
        self.joined
            .get(member)
            .is_none_or(|joined| *joined <= number)
    }

    /// The starts that lost to another start of the same number. No device sends in
    /// one once it holds the winner, nor shares it with a member who lacks it.
    pub(crate) fn lost(&self) -> Vec<EpochStart> {
        self.starts
            .iter()
            .filter(|s| self.winner(s.number).is_some_and(|w| w.id != s.id))
            .map(|s| s.id)
            .collect()
    }

    /// The number of the newest epoch started (0 if none).
    pub(crate) fn newest(&self) -> u64 {
        self.starts.iter().map(|s| s.number).max().unwrap_or(0)
    }
}

/// Brings the device's epochs up to date with the ledger at `now_ms`: opens the secrets
/// sealed to it, switches to the winning epoch it holds (sealing again what it had on
/// its way in another), and — as an active member with the history, when every active
/// member has a card — starts an epoch that revokes a member who is gone, or shares the
/// current one with a member who lacks it.
pub(crate) fn update(g: &mut Group, now_ms: u64) -> Result<(), Error> {
    let epochs = Epochs::read(g.ledger());
    learn(g, &epochs, now_ms);
    switch(g, &epochs, now_ms);
    if !g.knows_group() {
        return Ok(());
    }
    // Placeholders (added by name only) have no device: nothing is sealed to them and a
    // revocation never waits for their keys.
    let active: Vec<MemberId> = g.state().members_with_devices().map(|(m, _)| *m).collect();
    let (number, start) = {
        let c = g.keyring().current();
        (c.number, c.start)
    };
    let holders = epochs.holders(number, start);
    // Who may hold it, to revoke: a member who joined with an invite of this number,
    // when the number had several starts, may hold this one.
    let gone = g
        .state()
        .members
        .keys()
        .any(|m| !active.contains(m) && epochs.may_read(m, number, start));
    // Only a member who stays starts an epoch, and only when every active member has a
    // card to seal it to (a member before member keys has none: the revocation waits),
    // and someone besides itself to seal it to: a device that knows no other active
    // member may simply not have heard of them yet, and an epoch only it holds would
    // hide everything it sends from them (the revocation waits for one to appear).
    let all_cards = active.iter().all(|m| g.authors().card(m).is_some());
    let others = active.iter().any(|m| *m != g.me());
    if gone && all_cards && others && g.is_member() {
        return begin(g, &active, number + 1, start, now_ms);
    }
    // A leaving device shares too: what it still sends in its epoch must reach them.
    share(g, &epochs, &active, &holders, number, start, now_ms)
}

/// Opens every epoch secret sealed to this device that it does not hold yet.
fn learn(g: &mut Group, epochs: &Epochs, now_ms: u64) {
    let me = g.me();
    let mut opened: Vec<(u64, EventId, GroupSecret)> = Vec::new();
    for (number, id, sealed) in epochs.sealed_to(&me) {
        let k = g.keyring();
        if k.holds(id) || opened.iter().any(|(_, o, _)| *o == id) {
            continue;
        }
        let Ok(sealed) =
            SealedEpochSecret::from_base64url(sealed.member.0, &sealed.enc, &sealed.ct)
        else {
            continue;
        };
        if let Ok(secret) = sealed.open(k.device(), k.context(), number) {
            opened.push((number, id, GroupSecret::from_bytes(secret.to_bytes())));
        }
    }
    for (number, id, secret) in opened {
        g.keyring_mut().add(number, id, secret, now_ms);
    }
}

/// Sends in the winning epoch of the highest number held (or stays where it is when it
/// holds none newer); batches sealed elsewhere are sealed again there.
fn switch(g: &mut Group, epochs: &Epochs, now_ms: u64) {
    let current = g.keyring().current().number;
    let target = (current..=epochs.newest())
        .rev()
        .filter_map(|n| epochs.winner(n))
        .find(|w| g.keyring().holds(w.id))
        .map(|w| w.id);
    if let Some(target) = target {
        g.keyring_mut().switch_to(target, now_ms);
    }
    let current = g.keyring().current().start;
    g.outbox.reseal_stale(current, &epochs.lost(), now_ms);
}

/// Starts epoch `number` (from `previous`): a fresh secret sealed to every active
/// member, announced under the previous epoch's secret.
fn begin(
    g: &mut Group,
    active: &[MemberId],
    number: u64,
    previous: EpochStart,
    now_ms: u64,
) -> Result<(), Error> {
    let secret = EpochSecret::generate()?;
    let sealed = seal_to(g.authors(), g, &secret, number, active)?;
    let id = g.append(
        EventBody::EpochStarted {
            epoch: number,
            secrets: sealed,
        },
        now_ms,
    )?;
    g.outbox.route(id, previous);
    route_card(g, previous);
    g.keyring_mut().add(
        number,
        id,
        GroupSecret::from_bytes(secret.to_bytes()),
        now_ms,
    );
    g.keyring_mut().switch_to(id, now_ms);
    Ok(())
}

/// Seals the current epoch's secret to the active members with a card who do not hold
/// it, each announcement sent in the newest epoch they hold.
fn share(
    g: &mut Group,
    epochs: &Epochs,
    active: &[MemberId],
    holders: &BTreeSet<MemberId>,
    number: u64,
    start: EpochStart,
    now_ms: u64,
) -> Result<(), Error> {
    if start == FIRST_EPOCH {
        return Ok(()); // epoch 0 is in every invite
    }
    let me = g.me();
    let lacking: Vec<MemberId> = active
        .iter()
        .filter(|m| **m != me && !holders.contains(m))
        .copied()
        .collect();
    // Where each can be reached: the newest epoch held here that it holds too (each
    // start of that number it may hold, when it joined while the number had several).
    let mut by_epoch: Vec<(EpochStart, Vec<MemberId>)> = Vec::new();
    for m in lacking {
        let readable: Vec<(u64, EpochStart)> = g
            .keyring()
            .epochs()
            .iter()
            .filter(|e| e.start != start && epochs.may_read(&m, e.number, e.start))
            .map(|e| (e.number, e.start))
            .collect();
        let newest = readable.iter().map(|(n, _)| *n).max();
        for (_, reach) in readable.iter().filter(|(n, _)| Some(*n) == newest) {
            gfms_ledger::order::slot(&mut by_epoch, *reach).push(m);
        }
    }
    if by_epoch.is_empty() {
        return Ok(());
    }
    gfms_ledger::order::sort_by_key(&mut by_epoch, |(reach, _)| *reach);
    let secret = EpochSecret::from_bytes(g.keyring().current().secret_bytes());
    for (reach, members) in by_epoch {
        let sealed = seal_to(g.authors(), g, &secret, number, &members)?;
        let id = g.append(
            EventBody::EpochShared {
                epoch: number,
                start,
                secrets: sealed,
            },
            now_ms,
        )?;
        g.outbox.route(id, reach);
        route_card(g, reach);
    }
    Ok(())
}

/// Sends this device's card event again, in `epoch`, beside an epoch event routed there.
/// A member who joined while the group moved to a new epoch has no history yet: all it
/// can read is what is routed to the epoch of its invite. Without the sender's card it
/// keeps the epoch event aside (`unknown_key`) and never learns the new secret, while
/// the history that carries the card — the snapshots it is owed — is sealed in the new
/// epoch: it would wait for ever, and hold up every batch sent to it.
fn route_card(g: &mut Group, epoch: EpochStart) {
    let me = g.me();
    let Some(card) = g.authors().bound_by(&me) else {
        return;
    };
    if g.outbox.unsent().any(|id| *id == card) {
        return; // on its way already, in the epoch it goes in
    }
    g.outbox.mark_unsent([card]);
    g.outbox.route(card, epoch);
}

/// Seals `secret` for epoch `number` to `members`' cards.
fn seal_to(
    authors: &Authors,
    g: &Group,
    secret: &EpochSecret,
    number: u64,
    members: &[MemberId],
) -> Result<Vec<SealedSecret>, Error> {
    let recipients: Vec<([u8; 16], gfms_identity::MemberCard)> = members
        .iter()
        .filter_map(|m| authors.card(m).map(|c| (m.0, *c)))
        .collect();
    let sealed = seal_epoch_secret(secret, g.keyring().context(), number, &recipients)?;
    Ok(sealed
        .iter()
        .map(|s| SealedSecret {
            member: MemberId(s.member),
            enc: s.enc_base64url(),
            ct: s.ct_base64url(),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sealed(member: MemberId) -> SealedSecret {
        SealedSecret {
            member,
            enc: "e".repeat(43),
            ct: "c".repeat(64),
        }
    }

    /// Epoch 0's start is the nil id: a forging member's `epoch_started` under that id
    /// (or an `epoch_shared` naming it) would otherwise be read as epoch 0's start and
    /// change who holds it.
    #[test]
    fn forging_member_cannot_pose_as_epoch_zero_with_the_nil_id() {
        let (mallory, bob) = (MemberId([9; 16]), MemberId([2; 16]));
        let mut l = Ledger::default();
        let started = EventBody::EpochStarted {
            epoch: 0,
            secrets: vec![sealed(bob)],
        };
        l.record(mallory, FIRST_EPOCH, 1, started);
        let shared = EventBody::EpochShared {
            epoch: 0,
            start: FIRST_EPOCH,
            secrets: vec![sealed(bob)],
        };
        l.record(mallory, EventId::from_u128(5), 2, shared);
        assert_eq!(l.len(), 2);
        let epochs = Epochs::read(&l);
        assert!(epochs.start(FIRST_EPOCH).is_none());
        assert!(epochs.winner(0).is_none());
        assert!(epochs.holders(0, FIRST_EPOCH).is_empty());
        assert!(epochs.sealed_to(&bob).is_empty());
    }
}
