//! The ledger part of a saved device state (`gfms_sync`'s `saved.rs` writes it): this
//! device's member, the group's name hint, the events, and the few counts the first screen
//! shows. Every other field is skipped unread.

use std::collections::BTreeMap;

use gfms_ledger::{Ledger, MemberId, StoredEvent};
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::value::RawValue;

use crate::Error;

/// The saved format's tag and the version whose load the core does not change.
const SAVED_FORMAT: &str = "gfms-device";
const KEYS_VERSION: u32 = 3;

#[derive(Deserialize)]
struct Document {
    format: String,
    v: u32,
    me: MemberId,
    name_hint: String,
    events: Vec<Box<RawValue>>,
    unsent: Vec<IgnoredAny>,
    outbox: Vec<IgnoredAny>,
    #[serde(default)]
    unread: BTreeMap<String, IgnoredAny>,
    #[serde(default)]
    member_keys: Option<IgnoredAny>,
    last_sync_ms: u64,
}

/// A saved group's ledger and what the first screen shows of its device state.
pub struct SavedLedger {
    /// This device's member.
    pub me: MemberId,
    /// The group's name as the invite gave it, until its settings arrive.
    pub name_hint: String,
    /// The ledger, as the core loads it.
    pub ledger: Ledger,
    /// Events written here and not yet sealed into a batch.
    pub unsent: usize,
    /// Batches on their way.
    pub outbox: usize,
    /// Unix ms of the last finished sync round.
    pub last_sync_ms: u64,
}

/// Reads the ledger part of a saved state (the JSON `Group::save` writes).
pub fn read_saved(json: &str) -> Result<SavedLedger, Error> {
    let d: Document =
        serde_json::from_slice(json.as_bytes()).map_err(|e| Error::BadState(e.to_string()))?;
    if d.format != SAVED_FORMAT || !(1..=KEYS_VERSION).contains(&d.v) {
        return Err(Error::BadState(format!("format {} v{}", d.format, d.v)));
    }
    if d.v < KEYS_VERSION || d.member_keys.is_none() {
        return Err(Error::NeedsCore("saved before member keys"));
    }
    if !d.unread.is_empty() {
        return Err(Error::NeedsCore("batches kept unread"));
    }
    let events = d
        .events
        .iter()
        .map(|raw| StoredEvent::from_saved(raw.get()).map_err(|e| Error::BadState(e.to_string())))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(SavedLedger {
        me: d.me,
        name_hint: d.name_hint,
        ledger: Ledger::from_stored(events),
        unsent: d.unsent.len(),
        outbox: d.outbox.len(),
        last_sync_ms: d.last_sync_ms,
    })
}
