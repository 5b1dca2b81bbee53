//! The outbox: batches sealed once and kept, bytes and all, until every member has
//! them. It is part of the saved state and is written before the first upload, so a
//! crash between relay puts resumes with the same bytes under the same share ids.

use std::collections::BTreeSet;

use gfms_ledger::{Event, EventBody, MemberId, new_event_id};
use gfms_protocol::{ShareId, encode_data};
use gfms_seal::{seal, split_for_relays};
use serde::{Deserialize, Serialize};

use crate::Error;
use crate::group::{Group, RelaySet, random};

/// The largest plaintext put in one batch; a larger snapshot is chunked. Far below the
/// relays' default share limit (1 MiB) once padded and sealed.
pub const MAX_BATCH_PLAINTEXT: usize = 256 * 1024;

/// What a batch carries.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Payload {
    pub events: Vec<Event>,
}

/// One share of an outgoing batch, for one relay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutgoingShare {
    /// The relay URL.
    pub relay: String,
    /// Its id there.
    pub share_id: ShareId,
    /// The blob, base64url as the relay takes it.
    pub data: String,
    /// Whether a put succeeded at least once.
    pub put: bool,
}

/// A batch on its way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutgoingBatch {
    /// Batch id (hex).
    pub batch_id: String,
    /// When it was sealed.
    pub created_ms: u64,
    /// Events it carries.
    pub events: usize,
    /// Threshold.
    pub k: u8,
    /// One share per relay.
    pub shares: Vec<OutgoingShare>,
    /// Members seen acking in any round so far.
    #[serde(default)]
    pub acked: BTreeSet<MemberId>,
}

/// Splits events into payloads of at most [`MAX_BATCH_PLAINTEXT`] bytes of JSON (an
/// event larger than that travels alone).
fn chunk(events: Vec<Event>) -> Vec<Vec<Event>> {
    let mut out: Vec<Vec<Event>> = Vec::new();
    let mut size = 0;
    for e in events {
        let len = serde_json::to_vec(&e).map_or(0, |v| v.len()) + 1;
        match out.last_mut() {
            Some(last) if size + len <= MAX_BATCH_PLAINTEXT => last.push(e),
            _ => {
                out.push(vec![e]);
                size = 0;
            }
        }
        size += len;
    }
    out
}

impl Group {
    /// Moves unsent events — or, when a member joined, the whole ledger as a snapshot —
    /// into sealed batches in the outbox. Returns how many batches were made; if any, the
    /// host must save before uploading (the write-ahead record).
    pub fn seal_outbox(&mut self, now_ms: u64) -> Result<usize, Error> {
        let snapshot =
            !self.snapshot_for.is_empty() && self.is_member() && self.state().settings.is_some();
        let mut events: Vec<Event> = if snapshot {
            self.ledger.events().cloned().collect()
        } else {
            self.unsent
                .iter()
                .filter_map(|id| self.ledger.get(id).cloned())
                .collect()
        };
        if events.is_empty() {
            self.unsent.clear();
            return Ok(0);
        }
        events.sort_by_key(|e| (e.lamport, e.author, e.id));
        let current = self.current_relays();
        let mut made = Vec::new();
        for part in chunk(events) {
            let set = if part
                .iter()
                .any(|e| matches!(e.body, EventBody::RelaySetChanged { .. }))
            {
                self.union_with_previous(&current)
            } else {
                current.clone()
            };
            made.push(self.seal_one(&set, &part, now_ms)?);
        }
        let n = made.len();
        self.outbox.extend(made);
        self.unsent.clear();
        if snapshot {
            self.snapshot_for.clear();
        }
        Ok(n)
    }

    fn seal_one(
        &self,
        set: &RelaySet,
        events: &[Event],
        now_ms: u64,
    ) -> Result<OutgoingBatch, Error> {
        let payload = serde_json::to_vec(&Payload {
            events: events.to_vec(),
        })
        .map_err(|e| Error::BadState(e.to_string()))?;
        let batch_id = *new_event_id(now_ms, random()?).as_bytes();
        let keys = set
            .relays
            .iter()
            .map(|r| self.relay_keys(r))
            .collect::<Result<Vec<_>, _>>()?;
        let sealed = seal(&self.keys, batch_id, self.me.0, &payload)?;
        let shares = split_for_relays(&sealed, &keys, set.k)?;
        Ok(OutgoingBatch {
            batch_id: hex::encode(batch_id),
            created_ms: now_ms,
            events: events.len(),
            k: set.k,
            shares: shares
                .into_iter()
                .map(|s| OutgoingShare {
                    relay: set.relays[s.relay_index].clone(),
                    share_id: s.share_id,
                    data: encode_data(&s.blob),
                    put: false,
                })
                .collect(),
            acked: BTreeSet::new(),
        })
    }

    /// The current set plus the relays of the set before it (threshold of the current):
    /// where a relay-set change is announced.
    fn union_with_previous(&self, current: &RelaySet) -> RelaySet {
        let mut relays = current.relays.clone();
        for r in self.pull_relays() {
            if !relays.contains(&r) && relays.len() < 255 {
                relays.push(r);
            }
        }
        RelaySet {
            relays,
            k: current.k,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gfms_ledger::{EventBody, MemberId};

    fn event(i: u64, note_len: usize) -> Event {
        Event {
            v: 1,
            id: new_event_id(i, [i as u8; 10]),
            lamport: i,
            author: MemberId([1; 16]),
            at_ms: i,
            body: EventBody::MemberRenamed {
                member: MemberId([1; 16]),
                name: "x".repeat(note_len),
            },
        }
    }

    #[test]
    fn chunks_stay_under_the_limit_and_keep_every_event() {
        let events: Vec<Event> = (0..400).map(|i| event(i, 2000)).collect();
        let chunks = chunk(events.clone());
        assert!(chunks.len() > 1);
        for c in &chunks {
            let len = serde_json::to_vec(&Payload { events: c.clone() })
                .unwrap()
                .len();
            assert!(len <= MAX_BATCH_PLAINTEXT + 64, "chunk of {len} bytes");
        }
        let flat: Vec<Event> = chunks.into_iter().flatten().collect();
        assert_eq!(flat, events);
    }

    #[test]
    fn an_oversized_event_travels_alone() {
        let chunks = chunk(vec![
            event(1, 10),
            event(2, MAX_BATCH_PLAINTEXT + 1),
            event(3, 10),
        ]);
        assert_eq!(
            chunks.iter().map(Vec::len).collect::<Vec<_>>(),
            vec![1, 1, 1]
        );
    }
}
