//! Placeholders: members added by name only, for people who never install the app.
//! They share expenses and hold balances like anyone, anyone may record on their
//! behalf, and they never receive batches (the sync engine leaves them out of its
//! recipients, so they cannot block completeness).
//!
//! When that person joins, their device may claim the placeholder ("I am Bob"): from
//! then on the state shows every expense and settlement naming the placeholder as
//! naming them — applied in ledger order, so an event that names the placeholder and
//! arrives after the claim follows it too. A claim is applied only when written by the
//! claiming member, who must be a real (not placeholder) member, for a placeholder that
//! is unclaimed at that point of the ledger order: of two devices claiming the same
//! placeholder, the earlier claim in `(lamport, author, id)` order wins on every device.

use std::collections::BTreeMap;

use crate::{Error, EventBody, EventId, Expense, MemberId, MemberStatus, Settlement, Split, State};

/// The member id of the placeholder an event adds: the event's id bytes (unique as the
/// event is, and the same on every device).
pub fn placeholder_id(event: EventId) -> MemberId {
    MemberId(*event.as_bytes())
}

/// Adds a placeholder named `name` (trimmed, 1 to 80 characters).
pub fn add_placeholder(state: &State, name: &str) -> Result<EventBody, Error> {
    state.settings.as_ref().ok_or(Error::NoGroup)?;
    Ok(EventBody::PlaceholderAdded {
        member: MemberId([0; 16]),
        name: crate::change::checked_name(name)?,
    })
}

/// `member` (this device's) says it is `placeholder`.
pub fn claim_placeholder(
    state: &State,
    placeholder: MemberId,
    member: MemberId,
) -> Result<EventBody, Error> {
    state.settings.as_ref().ok_or(Error::NoGroup)?;
    let p = state
        .members
        .get(&placeholder)
        .filter(|p| p.placeholder)
        .ok_or_else(|| Error::NotFound(format!("placeholder {placeholder}")))?;
    if p.status != MemberStatus::Active {
        return Err(Error::NotAllowed(format!("{} is already claimed", p.name)));
    }
    if state.members.get(&member).is_none_or(|m| m.placeholder) {
        return Err(Error::NotAllowed(
            "only a member who joined can claim".into(),
        ));
    }
    Ok(EventBody::PlaceholderClaimed {
        placeholder,
        member,
    })
}

/// Applies a claim `author` wrote, if it holds at this point of the ledger order.
pub(crate) fn apply_claim(
    s: &mut State,
    author: MemberId,
    placeholder: MemberId,
    member: MemberId,
) {
    let claimer_ok = author == member && s.members.get(&member).is_some_and(|m| !m.placeholder);
    let Some(p) = s.members.get_mut(&placeholder) else {
        return;
    };
    if !claimer_ok || !p.placeholder || p.status != MemberStatus::Active {
        return;
    }
    p.status = MemberStatus::Claimed;
    p.claimed_by = Some(member);
    let to = |m: MemberId| if m == placeholder { member } else { m };
    for e in s.expenses.values_mut() {
        follow_expense(e, to);
    }
    for st in s.settlements.values_mut() {
        follow_settlement(st, to);
    }
}

/// Who a member id stands for now: the claimer of a claimed placeholder, else itself.
pub(crate) fn resolve(s: &State, m: MemberId) -> MemberId {
    s.members.get(&m).and_then(|x| x.claimed_by).unwrap_or(m)
}

/// Merges entries of the same member (summing their values), sorted by member id.
fn merged<V: Copy + std::ops::Add<Output = V>>(
    list: &[(MemberId, V)],
    to: impl Fn(MemberId) -> MemberId,
) -> Vec<(MemberId, V)> {
    let mut out: BTreeMap<MemberId, V> = BTreeMap::new();
    for (m, v) in list {
        let m = to(*m);
        let sum = out.get(&m).map_or(*v, |x| *x + *v);
        out.insert(m, sum);
    }
    out.into_iter().collect()
}

/// The expense with every member id passed through `to` (entries of one member merged).
/// Leaves an expense that names no renamed member as it is.
pub(crate) fn follow_expense(e: &mut Expense, to: impl Fn(MemberId) -> MemberId + Copy) {
    let mut names = e.payers.iter().map(|(m, _)| *m).collect::<Vec<_>>();
    match &e.split {
        Split::Equal { members } => names.extend(members),
        Split::Shares { weights } => names.extend(weights.iter().map(|(m, _)| *m)),
        Split::Exact { amounts } => names.extend(amounts.iter().map(|(m, _)| *m)),
        Split::Percent { basis_points } => names.extend(basis_points.iter().map(|(m, _)| *m)),
    }
    if let Some(bill) = &e.items {
        names.extend(bill.items.iter().flat_map(|i| i.members.iter().copied()));
    }
    if names.iter().all(|m| to(*m) == *m) {
        return;
    }
    e.payers = merged(&e.payers, to);
    e.split = match &e.split {
        Split::Equal { members } => {
            let mut members: Vec<MemberId> = members.iter().map(|m| to(*m)).collect();
            members.sort();
            members.dedup();
            Split::Equal { members }
        }
        Split::Shares { weights } => Split::Shares {
            weights: merged(weights, to),
        },
        Split::Exact { amounts } => Split::Exact {
            amounts: merged(amounts, to),
        },
        Split::Percent { basis_points } => Split::Percent {
            basis_points: merged(basis_points, to),
        },
    };
    if let Some(bill) = &mut e.items {
        for item in &mut bill.items {
            for m in &mut item.members {
                *m = to(*m);
            }
        }
    }
}

pub(crate) fn follow_settlement(s: &mut Settlement, to: impl Fn(MemberId) -> MemberId) {
    s.from = to(s.from);
    s.to = to(s.to);
}
