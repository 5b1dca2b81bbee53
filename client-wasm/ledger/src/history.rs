//! History: who created each expense, each edit (what changed, by whom, when) and each
//! deletion, and the group's activity feed; restoring a deleted expense, or any earlier
//! value of one (the value a concurrent edit replaced), in one call.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{Error, Event, EventBody, EventId, Expense, Ledger, MemberId};

/// What an event did to an expense or settlement.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Recorded.
    Created,
    /// Changed (or, after a deletion, brought back with a value).
    Edited,
    /// Deleted.
    Deleted,
}

/// One line of a history or of the activity feed.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// The event (give it to [`restore`] to go back to the value it wrote).
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub event: EventId,
    /// The expense, settlement or recurring series.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub subject: EventId,
    /// `"expense"`, `"settlement"`, `"series"` (a recurring series set up, edited from
    /// `date` on, stopped from `date` on: `deleted`) or `"instance"` (the series'
    /// instance on `date` given its own value, or skipped: `deleted`).
    pub what: String,
    /// What happened.
    pub action: Action,
    /// Who did it.
    pub author: MemberId,
    /// When, unix ms by the author's clock (display only).
    pub at_ms: u64,
    /// The fields an edit changed, compared with the value before it in ledger order
    /// (`amount`, `payers`, `split`, `note`, …); empty otherwise.
    pub changed: Vec<String>,
    /// Earlier edits of the same fields this edit's author had not seen (concurrent
    /// edits): this one's values replaced theirs, which are one [`restore`] away.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", ts(optional, as = "Option<Vec<String>>"))]
    pub overrides: Vec<EventId>,
    /// The day a recurring event is about (an edit's or a stop's first day, an
    /// instance's day).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub date: Option<String>,
}

/// The expense an event is about, if any.
pub(crate) fn expense_of(body: &EventBody) -> Option<EventId> {
    match body {
        EventBody::ExpenseAdded { expense, .. }
        | EventBody::ExpenseEdited { expense, .. }
        | EventBody::ExpensePatched { expense, .. }
        | EventBody::ExpenseDeleted { expense } => Some(*expense),
        _ => None,
    }
}

/// The names of the fields that differ between `a` and `b`.
pub fn changed_fields(a: &Expense, b: &Expense) -> Vec<String> {
    let checks: [(&str, bool); 13] = [
        ("title", a.title != b.title),
        ("amount", a.amount != b.amount),
        ("currency", a.currency != b.currency),
        ("rate", a.rate != b.rate),
        ("payers", a.payers != b.payers),
        ("split", a.split != b.split),
        ("kind", a.kind != b.kind),
        ("items", a.items != b.items),
        ("category", a.category != b.category),
        ("shop", a.shop != b.shop),
        ("account", a.account != b.account),
        ("date", a.date != b.date),
        ("note", a.note != b.note),
    ];
    checks
        .into_iter()
        .filter(|(_, differs)| *differs)
        .map(|(name, _)| name.to_string())
        .collect()
}

fn ordered(ledger: &Ledger) -> Vec<&Event> {
    let mut events: Vec<&Event> = ledger.events().collect();
    crate::order::sort_by_key(&mut events, |e| (e.lamport, e.author, e.id));
    events
}

type Key = (u64, MemberId, EventId);

fn key(e: &Event) -> Key {
    (e.lamport, e.author, e.id)
}

/// Every expense and settlement event, in ledger order (oldest first).
fn entries(ledger: &Ledger) -> Vec<HistoryEntry> {
    let mut last: BTreeMap<EventId, Expense> = BTreeMap::new();
    // Each edit so far: its expense, key, id and the fields it set.
    let mut edits: Vec<(EventId, Key, EventId, Vec<String>)> = Vec::new();
    let mut out = Vec::new();
    for e in ordered(ledger) {
        let mut overrides = Vec::new();
        #[cfg(feature = "recurring")]
        if let Some(h) = recurring_entry(&mut last, e) {
            out.push(h);
            continue;
        }
        let (subject, what, action, changed) = match &e.body {
            EventBody::ExpenseAdded { expense, value } => {
                last.insert(*expense, value.clone());
                (*expense, "expense", Action::Created, Vec::new())
            }
            EventBody::ExpenseEdited { expense, value } => {
                let changed = last
                    .get(expense)
                    .map_or_else(Vec::new, |before| changed_fields(before, value));
                last.insert(*expense, value.clone());
                edits.push((*expense, key(e), e.id, changed.clone()));
                (*expense, "expense", Action::Edited, changed)
            }
            EventBody::ExpensePatched {
                expense,
                base,
                changes,
            } => {
                let changed = changes.fields();
                if let Some(v) = last.get(expense).and_then(|v| changes.applied_to(v).ok()) {
                    last.insert(*expense, v);
                }
                // Seen: the edits up to its base in ledger order.
                let seen = base.and_then(|b| ledger.get(&b)).map(key);
                overrides = edits
                    .iter()
                    .filter(|(x, k, _, f)| {
                        x == expense
                            && seen.is_some_and(|s| *k > s)
                            && f.iter().any(|f| changed.contains(f))
                    })
                    .map(|(_, _, id, _)| *id)
                    .collect();
                edits.push((*expense, key(e), e.id, changed.clone()));
                (*expense, "expense", Action::Edited, changed)
            }
            EventBody::ExpenseDeleted { expense } => {
                (*expense, "expense", Action::Deleted, Vec::new())
            }
            EventBody::SettlementRecorded { settlement, .. } => {
                (*settlement, "settlement", Action::Created, Vec::new())
            }
            EventBody::SettlementDeleted { settlement } => {
                (*settlement, "settlement", Action::Deleted, Vec::new())
            }
            _ => continue,
        };
        out.push(HistoryEntry {
            event: e.id,
            subject,
            what: what.into(),
            action,
            author: e.author,
            at_ms: e.at_ms,
            changed,
            overrides,
            date: None,
        });
    }
    out
}

/// A recurring event's line (`None` for any other event). `last` holds each series'
/// latest template, which edits and instances are compared with.
#[cfg(feature = "recurring")]
fn recurring_entry(last: &mut BTreeMap<EventId, Expense>, e: &Event) -> Option<HistoryEntry> {
    let against = |last: &BTreeMap<EventId, Expense>, series: &EventId, v: &Expense| {
        last.get(series)
            .map_or_else(Vec::new, |t| changed_fields(t, v))
            .into_iter()
            .filter(|f| f != "date")
            .collect::<Vec<_>>()
    };
    let (subject, what, action, changed, date) = match &e.body {
        EventBody::RecurringAdded { series, value } => {
            last.insert(*series, value.template.clone());
            (*series, "series", Action::Created, Vec::new(), None)
        }
        EventBody::RecurringEdited {
            series,
            from,
            template,
        } => {
            let changed = against(last, series, template);
            last.insert(*series, template.clone());
            let d = Some(from.clone());
            (*series, "series", Action::Edited, changed, d)
        }
        EventBody::RecurringInstanceSet {
            series,
            date,
            value,
        } => {
            let (action, changed) = match value {
                Some(v) => (Action::Edited, against(last, series, v)),
                None => (Action::Deleted, Vec::new()),
            };
            (*series, "instance", action, changed, Some(date.clone()))
        }
        EventBody::RecurringStopped { series, from } => {
            let d = Some(from.clone());
            (*series, "series", Action::Deleted, Vec::new(), d)
        }
        _ => return None,
    };
    Some(HistoryEntry {
        event: e.id,
        subject,
        what: what.into(),
        action,
        author: e.author,
        at_ms: e.at_ms,
        changed,
        overrides: Vec::new(),
        date,
    })
}

/// One expense's (or settlement's) history, oldest first: who created it, each edit
/// with what it changed, deletions. Concurrent edits of the same field both appear;
/// the later in ledger order is the value shown.
pub fn history(ledger: &Ledger, subject: EventId) -> Vec<HistoryEntry> {
    entries(ledger)
        .into_iter()
        .filter(|h| h.subject == subject)
        .collect()
}

/// The history of `series`' instance `instance`: the series' own lines (set up, edits,
/// stop) and the instance's.
#[cfg(feature = "recurring")]
pub fn instance_history(ledger: &Ledger, series: EventId, instance: EventId) -> Vec<HistoryEntry> {
    let of = |h: &HistoryEntry| match (h.what.as_str(), &h.date) {
        ("instance", Some(d)) => crate::instance_id(series, d) == instance,
        _ => true,
    };
    entries(ledger)
        .into_iter()
        .filter(|h| h.subject == series && of(h))
        .collect()
}

/// The group's activity feed, newest first (ledger order), at most `limit` lines;
/// with `member`, only what that member did.
pub fn activity(ledger: &Ledger, member: Option<MemberId>, limit: usize) -> Vec<HistoryEntry> {
    let mut all = entries(ledger);
    all.reverse();
    all.into_iter()
        .filter(|h| member.is_none_or(|m| h.author == m))
        .take(limit)
        .collect()
}

/// The edit that brings `expense` back to values it had: the fields per-field edit
/// `to` set (as a per-field edit, so the other fields stay as they are: the value a
/// concurrent edit replaced), the whole value an add or whole edit `to` wrote, or,
/// without `to`, the last value it had (restoring a deleted expense; an edit written
/// after a deletion brings the expense back on every device).
pub fn restore(ledger: &Ledger, expense: EventId, to: Option<EventId>) -> Result<EventBody, Error> {
    let missing = || Error::NotFound(format!("a value of expense {expense}"));
    let value = match to.map(|to| ledger.get(&to).map(|e| &e.body)) {
        None => last_value(ledger, expense).ok_or_else(missing)?,
        Some(Some(
            EventBody::ExpenseAdded { expense: x, value }
            | EventBody::ExpenseEdited { expense: x, value },
        )) if *x == expense => value.clone(),
        Some(Some(EventBody::ExpensePatched {
            expense: x,
            changes,
            ..
        })) if *x == expense => {
            return Ok(EventBody::ExpensePatched {
                expense,
                base: None, // filled in when drafted
                changes: changes.clone(),
            });
        }
        Some(_) => return Err(missing()),
    };
    Ok(EventBody::ExpenseEdited { expense, value })
}

/// The last value `expense` had, deleted or not: its add, whole edits and per-field
/// edits replayed in ledger order.
fn last_value(ledger: &Ledger, expense: EventId) -> Option<Expense> {
    let mut value: Option<Expense> = None;
    for e in ordered(ledger) {
        match &e.body {
            EventBody::ExpenseAdded {
                expense: x,
                value: v,
            }
            | EventBody::ExpenseEdited {
                expense: x,
                value: v,
            } if *x == expense => value = Some(v.clone()),
            EventBody::ExpensePatched {
                expense: x,
                changes,
                ..
            } if *x == expense => {
                if let Some(v) = value.as_ref().and_then(|v| changes.applied_to(v).ok()) {
                    value = Some(v);
                }
            }
            _ => {}
        }
    }
    value
}
