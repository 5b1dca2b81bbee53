//! What a device could read at the relays with the secrets its saved state holds:
//! every share of every group, read with each epoch's keys it has. That is more than
//! it can fetch (a relay lists a group's shares only to its members, under its token),
//! so nothing found missing here could reach it another way.

use std::collections::{BTreeMap, BTreeSet};

use gfms_ledger::EventId;
use gfms_protocol::decode_data;
use gfms_seal::{BatchId, GroupKeys, GroupSecret, SharePart, combine, open, read_share};

use super::invariants::event_ids;
use super::{SimRelay, url};

/// The epoch secrets a saved state holds: its first, and those of later epochs.
fn secrets(saved: &str) -> Vec<[u8; 32]> {
    let v: serde_json::Value = serde_json::from_str(saved).unwrap_or_default();
    let mut hexes = vec![v["secret"].as_str().unwrap_or_default().to_string()];
    if let Some(epochs) = v["member_keys"]["epochs"].as_array() {
        hexes.extend(
            epochs
                .iter()
                .filter_map(|e| e["secret"].as_str().map(str::to_string)),
        );
    }
    hexes
        .iter()
        .filter_map(|h| {
            let mut b = [0u8; 32];
            hex::decode_to_slice(h, &mut b).ok().map(|_| b)
        })
        .collect()
}

/// Every event in a batch that the device saved as `saved` could open from what the
/// relays hold now.
pub fn readable_events(saved: &str, relays: &[SimRelay]) -> BTreeSet<EventId> {
    let mut out = BTreeSet::new();
    for secret in secrets(saved) {
        let keys = GroupKeys::derive(&GroupSecret::from_bytes(secret));
        let mut parts: BTreeMap<BatchId, Vec<SharePart>> = BTreeMap::new();
        for (i, relay) in relays.iter().enumerate() {
            let Ok(relay_keys) = keys.relay(&url(i)) else {
                continue;
            };
            for (_, shares) in relay.groups.values() {
                for (sid, share) in shares {
                    let Some(blob) = decode_data(&share.data) else {
                        continue;
                    };
                    if let Ok(part) = read_share(&relay_keys, sid, i, &blob) {
                        parts.entry(part.header.batch_id).or_default().push(part);
                    }
                }
            }
        }
        for batch in parts.values() {
            if let Ok(opened) = combine(batch).and_then(|c| open(&keys, c)) {
                out.extend(event_ids(&opened.plaintext));
            }
        }
    }
    out
}
