//! What a batch carries: ledger events as their exact JSON text, at most
//! [`MAX_BATCH_PLAINTEXT`] bytes of them per batch. The record step of the data path
//! (record → seal → split) and the merge step's input (combine → open → merge).
//!
//! The plaintext is `{"events":[<event>,…],"sigs":[<signature or null>,…]}`, each event
//! written byte for byte as it is stored — those this version does not read included —
//! so a snapshot forwards a newer version's events unchanged, and `sigs[i]` the author's
//! signature over `events[i]`'s text (unpadded base64url; `null` for an event written
//! before member keys; the field is left out when no event is signed). A release before
//! member keys reads the events and keeps the whole plaintext verbatim (it does not know
//! `sigs`), so after its upgrade it reads the signatures too. Decoding reads each event's
//! exact text; a plaintext this version cannot read as a payload at all (or that carries
//! more than events and signatures) is kept verbatim by the caller, so nothing a newer
//! version sent is lost.

use std::collections::BTreeMap;

use gfms_ledger::StoredEvent;
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::value::RawValue;

/// The largest plaintext put in one batch; a larger snapshot is chunked. Far below the
/// relays' default share limit (1 MiB) once padded and sealed.
pub const MAX_BATCH_PLAINTEXT: usize = 256 * 1024;

#[derive(Deserialize)]
struct Wire {
    events: Vec<Box<RawValue>>,
    #[serde(default)]
    sigs: Vec<Option<String>>,
}

/// An opened batch, as this version reads it.
pub(crate) struct Decoded {
    /// The events whose text could be keyed, exact.
    pub(crate) events: Vec<StoredEvent>,
    /// Whether the plaintext holds anything this version did not take (another shape,
    /// fields beside `events`, an event without a readable id): then the caller keeps
    /// the whole plaintext verbatim, to read again after an upgrade.
    pub(crate) rest: bool,
}

/// The bytes to seal for these events, each as its stored text, with its signature.
pub(crate) fn encode<'a>(events: impl IntoIterator<Item = &'a StoredEvent>) -> Vec<u8> {
    let events: Vec<&StoredEvent> = events.into_iter().collect();
    let mut out = b"{\"events\":[".to_vec();
    for (i, e) in events.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(e.text().as_bytes());
    }
    out.push(b']');
    if events.iter().any(|e| e.signature().is_some()) {
        let sigs: Vec<Option<&str>> = events.iter().map(|e| e.signature()).collect();
        out.extend_from_slice(b",\"sigs\":");
        // Strings and nulls: serialising cannot fail.
        out.extend_from_slice(&serde_json::to_vec(&sigs).unwrap_or_default());
    }
    out.push(b'}');
    out
}

/// Reads an opened batch.
pub(crate) fn decode(plaintext: &[u8]) -> Decoded {
    let Ok(wire) = serde_json::from_slice::<Wire>(plaintext) else {
        return Decoded {
            events: Vec::new(),
            rest: true,
        };
    };
    let mut rest = serde_json::from_slice::<BTreeMap<String, IgnoredAny>>(plaintext)
        .map_or(true, |fields| {
            fields.keys().any(|k| k != "events" && k != "sigs")
        });
    let mut events = Vec::with_capacity(wire.events.len());
    let mut sigs = wire.sigs.into_iter();
    for raw in wire.events {
        match StoredEvent::from_text(raw.get().to_string(), sigs.next().flatten()) {
            Ok(e) => events.push(e),
            Err(_) => rest = true,
        }
    }
    Decoded { events, rest }
}

/// Splits events into payloads of at most [`MAX_BATCH_PLAINTEXT`] bytes of JSON (an
/// event larger than that travels alone).
pub(crate) fn chunk(events: Vec<&StoredEvent>) -> Vec<Vec<&StoredEvent>> {
    let mut out: Vec<Vec<&StoredEvent>> = Vec::new();
    let mut size = 0;
    for e in events {
        let len = e.text().len() + 1 + e.signature().map_or(0, |s| s.len() + 3);
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
    use gfms_ledger::{Event, EventBody, MemberId, new_event_id};

    fn event(i: u64, note_len: usize) -> StoredEvent {
        StoredEvent::from_event(Event {
            v: 1,
            id: new_event_id(i, [i as u8; 10]),
            lamport: i,
            author: MemberId([1; 16]),
            at_ms: i,
            body: EventBody::MemberRenamed {
                member: MemberId([1; 16]),
                name: "x".repeat(note_len),
            },
        })
    }

    #[test]
    fn chunks_stay_under_the_limit_and_keep_every_event() {
        let events: Vec<StoredEvent> = (0..400).map(|i| event(i, 2000)).collect();
        let chunks = chunk(events.iter().collect());
        assert!(chunks.len() > 1);
        for c in &chunks {
            let len = encode(c.iter().copied()).len();
            assert!(len <= MAX_BATCH_PLAINTEXT + 64, "chunk of {len} bytes");
        }
        let flat: Vec<StoredEvent> = chunks.into_iter().flatten().cloned().collect();
        assert_eq!(flat, events);
    }

    #[test]
    fn an_oversized_event_travels_alone() {
        let events = [
            event(1, 10),
            event(2, MAX_BATCH_PLAINTEXT + 1),
            event(3, 10),
        ];
        let chunks = chunk(events.iter().collect());
        assert_eq!(
            chunks.iter().map(Vec::len).collect::<Vec<_>>(),
            vec![1, 1, 1]
        );
    }

    /// Older or newer version: events round-trip byte for byte; a payload of another
    /// shape, or with more than events, is flagged to be kept verbatim.
    #[test]
    fn newer_version_payloads_round_trip_exactly_or_are_flagged() {
        let events = [event(1, 3), event(2, 4)];
        let d = decode(&encode(events.iter()));
        assert!(!d.rest);
        assert_eq!(d.events, events);
        assert!(decode(br#"{"v":2,"items":[]}"#).rest);
        assert!(decode(b"\x00binary").rest);
        let signed = [event(3, 2).with_signature(Some("c2ln".into())), event(4, 1)];
        let text = encode(signed.iter());
        assert!(text.ends_with(br#","sigs":["c2ln",null]}"#));
        let d = decode(&text);
        assert!(!d.rest);
        assert_eq!(d.events, signed);
        let extra = decode(br#"{"events":[],"attachments":[1]}"#);
        assert!(extra.rest && extra.events.is_empty());
        assert!(decode(br#"{"events":[{"no":"id"}]}"#).rest);
    }
}
