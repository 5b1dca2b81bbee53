//! The state kept up to date as events are added: [`Ledger::state`] sorts every event
//! and applies each, so a change in a group of `n` events cost `n log n` steps. A
//! [`Fold`] keeps what that computation ends with (the state, the receipts gathered, the
//! greatest key applied) and applies an event that sorts after every event it applied
//! in the steps that event takes: an event this device writes always does (its Lamport
//! clock is past every event held). An event that sorts earlier is refused, and the
//! holder computes the fold again from the whole ledger.
//!
//! Exactly what [`Ledger::state`] gives: the receipts a fold sets on an expense are
//! taken off before an event touching that expense is applied and set again after (so
//! the event sees the expense as the whole computation would), and the warnings about
//! shared names are computed again after each extension.

use crate::order::sort_by_key;
use crate::receipts::Gathered;
use crate::state::{apply_event, same_names};
use crate::{Event, EventBody, EventId, Ledger, MemberId, State};

/// The order events are applied in.
type Key = (u64, MemberId, EventId);

fn key(e: &&Event) -> Key {
    (e.lamport, e.author, e.id)
}

/// A state with what it takes to apply one more event.
#[derive(Debug, Clone, Default)]
pub struct Fold {
    state: State,
    receipts: Gathered,
    /// How many of the state's warnings its events gave (the others name shared names).
    ignored: usize,
    /// The greatest key applied.
    last: Option<Key>,
}

impl Fold {
    /// The fold of every event of `ledger` this version reads.
    pub fn new(ledger: &Ledger) -> Self {
        let mut ordered: Vec<&Event> = ledger.events().collect();
        sort_by_key(&mut ordered, key);
        let mut fold = Self::default();
        for e in &ordered {
            apply_event(&mut fold.state, &mut fold.receipts, e);
        }
        fold.last = ordered.last().map(key);
        fold.receipts.finish(&mut fold.state);
        fold.name_warnings();
        fold
    }

    /// What the events add up to.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// What the events add up to, without the rest of the fold.
    pub fn into_state(self) -> State {
        self.state
    }

    /// Applies `events` if each sorts after every event applied (then the fold is what
    /// the ledger holding them all adds up to); false, and nothing applied, if one does
    /// not (one sorts earlier, or was applied already): compute a new fold then.
    pub fn extend<'a>(&mut self, events: impl IntoIterator<Item = &'a Event>) -> bool {
        let mut ordered: Vec<&Event> = events.into_iter().collect();
        sort_by_key(&mut ordered, key);
        let mut last = self.last;
        for e in &ordered {
            if last.is_some_and(|l| key(e) <= l) {
                return false;
            }
            last = Some(key(e));
        }
        self.state.warnings.truncate(self.ignored);
        for e in ordered {
            let expense = touched(&e.body);
            if let Some(x) = expense {
                self.take_receipts(x);
            }
            apply_event(&mut self.state, &mut self.receipts, e);
            if let Some(x) = expense
                && let Some(value) = self.state.expenses.get_mut(&x)
            {
                value.receipts.extend(self.receipts.of(x).cloned());
            }
        }
        self.last = last;
        self.name_warnings();
        true
    }

    /// Takes off `expense` the receipts `Gathered::finish` set on it (the last ones).
    fn take_receipts(&mut self, expense: EventId) {
        let set = self.receipts.of(expense).count();
        if let Some(value) = self.state.expenses.get_mut(&expense) {
            let kept = value.receipts.len().saturating_sub(set);
            value.receipts.truncate(kept);
        }
    }

    /// Adds the warnings about members sharing a name to those the events gave.
    fn name_warnings(&mut self) {
        self.ignored = self.state.warnings.len();
        let shared = same_names(&self.state);
        self.state.warnings.extend(shared);
    }
}

/// The expense whose receipts an event may change: its own value, or its receipts.
fn touched(body: &EventBody) -> Option<EventId> {
    match body {
        EventBody::ReceiptAttached { expense, .. } | EventBody::ReceiptRemoved { expense, .. } => {
            Some(*expense)
        }
        body => crate::history::expense_of(body),
    }
}
