//! What must hold, checked as the schedule runs and after the relays recover:
//!
//! - no device acks a share of a batch it has not durably stored (checked at every ack
//!   request, and every listing that carries acks, against the device's last save);
//! - every event written by any device reaches every device still in the group at the
//!   end, byte for byte;
//! - outboxes drain, leaving devices end ready to delete, relays hold nothing.
//!
//! The harness learns what each share is by reading it as the relays would never can:
//! with the group's keys, from the puts it carries.

use std::collections::{BTreeMap, BTreeSet};

use gfms_ledger::EventId;
use gfms_protocol::{PutShareRequest, ShareId, decode_data};
use gfms_seal::{BatchId, GroupKeys, RelayKeys, SharePart, combine, open, read_share};
use gfms_sync::{HttpRequest, Method};

use super::relay_index;

/// Which batch each share is, and which events each batch carries.
pub struct Tracker {
    /// The keys of every key epoch a device held, each with its keys per relay.
    epochs: Vec<(GroupKeys, Vec<RelayKeys>)>,
    /// Epoch secrets already known.
    secrets: BTreeSet<String>,
    /// (relay, share id) → batch.
    shares: BTreeMap<(usize, ShareId), BatchId>,
    /// Parts seen of batches not yet opened.
    parts: BTreeMap<BatchId, Vec<SharePart>>,
    /// Batch → the ids of its events (once opened).
    batches: BTreeMap<BatchId, BTreeSet<EventId>>,
    /// What went wrong, for the final assertion.
    pub violations: Vec<String>,
}

pub fn event_ids(plaintext: &[u8]) -> BTreeSet<EventId> {
    let v: serde_json::Value = serde_json::from_slice(plaintext).unwrap_or_default();
    v["events"]
        .as_array()
        .map(|events| {
            events
                .iter()
                .filter_map(|e| e["id"].as_str()?.parse().ok())
                .collect()
        })
        .unwrap_or_default()
}

impl Tracker {
    pub fn new(keys: GroupKeys, relays: usize) -> Self {
        let relay_keys = (0..relays)
            .map(|i| keys.relay(&super::url(i)).expect("relay keys"))
            .collect();
        Self {
            epochs: vec![(keys, relay_keys)],
            secrets: BTreeSet::new(),
            shares: BTreeMap::new(),
            parts: BTreeMap::new(),
            batches: BTreeMap::new(),
            violations: Vec::new(),
        }
    }

    /// A request a device makes: puts teach the tracker; acks are checked against
    /// `stored`, the event ids of the device's last save.
    pub fn observe(&mut self, device: usize, r: &HttpRequest, stored: &BTreeSet<EventId>) {
        let Some(relay) = relay_index(r) else { return };
        let sid = r
            .url
            .split('?')
            .next()
            .and_then(|p| p.rsplit('/').next())
            .and_then(|s| ShareId::parse(s).ok());
        match (r.method, sid, &r.body) {
            (Method::Put, Some(sid), Some(body)) => {
                if let Ok(put) = serde_json::from_slice::<PutShareRequest>(body)
                    && let Some(blob) = decode_data(&put.data)
                {
                    self.learn(relay, sid, &blob);
                }
            }
            (Method::Post, _, Some(body)) => {
                for sid in acked_shares(&r.url, body) {
                    self.check_ack(device, relay, sid, stored);
                }
            }
            _ => {}
        }
    }

    /// An ack of `sid` at `relay`: its batch must be one the device's last save holds.
    fn check_ack(&mut self, device: usize, relay: usize, sid: ShareId, stored: &BTreeSet<EventId>) {
        let Some(batch) = self.shares.get(&(relay, sid)) else {
            self.violations
                .push(format!("device {device} acked a share never put"));
            return;
        };
        match self.batches.get(batch) {
            Some(ids) if ids.is_subset(stored) => {}
            Some(ids) => self.violations.push(format!(
                "device {device} acked batch {} without storing {:?}",
                hex::encode(batch),
                ids.difference(stored).collect::<Vec<_>>()
            )),
            None => self.violations.push(format!(
                "device {device} acked batch {} no one could open yet",
                hex::encode(batch)
            )),
        }
    }

    /// Learns the key epochs a device's saved state holds (the harness reads what no
    /// relay can).
    pub fn learn_epochs(&mut self, saved: &str) {
        let v: serde_json::Value = serde_json::from_str(saved).unwrap_or_default();
        let mut secrets = vec![v["secret"].as_str().unwrap_or_default().to_string()];
        if let Some(epochs) = v["member_keys"]["epochs"].as_array() {
            secrets.extend(
                epochs
                    .iter()
                    .filter_map(|e| e["secret"].as_str().map(str::to_string)),
            );
        }
        let relays = self.epochs[0].1.len();
        for secret in secrets {
            let mut bytes = [0u8; 32];
            if hex::decode_to_slice(&secret, &mut bytes).is_err() || !self.secrets.insert(secret) {
                continue;
            }
            let keys = GroupKeys::derive(&gfms_seal::GroupSecret::from_bytes(bytes));
            if self
                .epochs
                .iter()
                .any(|(k, _)| k.local_id() == keys.local_id())
            {
                continue;
            }
            let relay_keys = (0..relays)
                .map(|i| keys.relay(&super::url(i)).expect("relay keys"))
                .collect();
            self.epochs.push((keys, relay_keys));
        }
    }

    fn learn(&mut self, relay: usize, sid: ShareId, blob: &[u8]) {
        let Some((part, epoch)) = self.epochs.iter().enumerate().find_map(|(i, (_, r))| {
            read_share(&r[relay], &sid, relay, blob)
                .ok()
                .map(|p| (p, i))
        }) else {
            return;
        };
        let (batch, k) = (part.header.batch_id, part.header.k);
        self.shares.insert((relay, sid), batch);
        if self.batches.contains_key(&batch) {
            return;
        }
        let parts = self.parts.entry(batch).or_default();
        if parts.iter().all(|p| p.relay_index != relay) {
            parts.push(part);
        }
        if parts.len() >= usize::from(k)
            && let Ok(opened) = combine(parts).and_then(|c| open(&self.epochs[epoch].0, c))
        {
            self.batches.insert(batch, event_ids(&opened.plaintext));
            self.parts.remove(&batch);
        }
    }
}

/// The ids of the events a saved state holds (version 2 documents).
pub fn saved_ids(saved: &str) -> BTreeSet<EventId> {
    let v: serde_json::Value = serde_json::from_str(saved).unwrap_or_default();
    let ids = |list: &serde_json::Value| -> Vec<EventId> {
        list.as_array()
            .map(|events| {
                events
                    .iter()
                    .filter_map(|e| {
                        let text = e["text"].as_str()?;
                        let ev: serde_json::Value = serde_json::from_str(text).ok()?;
                        ev["id"].as_str()?.parse().ok()
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    // Events kept aside are stored too (saved with their signature, judged again when
    // a card arrives); the end of a run checks that every event written was applied.
    let mut all: BTreeSet<EventId> = ids(&v["events"]).into_iter().collect();
    all.extend(ids(&v["aside"]));
    all
}

/// The shares a `POST` acks: `shares` of `POST …/acks`, `acks` of a listing that carries
/// them (`POST …/shares`), in the classic form or the simple one (the same body with a
/// `token` field).
fn acked_shares(url: &str, body: &[u8]) -> Vec<ShareId> {
    let path = url.split('?').next().unwrap_or_default();
    let field = if path.ends_with("/acks") {
        "shares"
    } else if path.ends_with("/shares") {
        "acks"
    } else {
        return Vec::new();
    };
    let v: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
    v[field]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s.as_str().and_then(|s| ShareId::parse(s).ok()))
        .collect()
}
