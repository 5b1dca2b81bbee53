//! What a batch carries: ledger events as JSON, at most [`MAX_BATCH_PLAINTEXT`] bytes
//! of them per batch. The record step of the data path (record → seal → split) and the
//! merge step's input (combine → open → merge).

use gfms_ledger::Event;
use serde::{Deserialize, Serialize};

use crate::Error;

/// The largest plaintext put in one batch; a larger snapshot is chunked. Far below the
/// relays' default share limit (1 MiB) once padded and sealed.
pub const MAX_BATCH_PLAINTEXT: usize = 256 * 1024;

/// A batch's plaintext.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Payload {
    pub(crate) events: Vec<Event>,
}

impl Payload {
    /// The bytes to seal.
    pub(crate) fn encode(events: &[Event]) -> Result<Vec<u8>, Error> {
        serde_json::to_vec(&Payload {
            events: events.to_vec(),
        })
        .map_err(|e| Error::BadState(e.to_string()))
    }

    /// An opened batch's events (`None`: not a payload this version can read).
    pub(crate) fn decode(plaintext: &[u8]) -> Option<Self> {
        serde_json::from_slice(plaintext).ok()
    }
}

/// Splits events into payloads of at most [`MAX_BATCH_PLAINTEXT`] bytes of JSON (an
/// event larger than that travels alone).
pub(crate) fn chunk(events: Vec<Event>) -> Vec<Vec<Event>> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use gfms_ledger::{EventBody, MemberId, new_event_id};

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
            let len = Payload::encode(c).unwrap().len();
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
