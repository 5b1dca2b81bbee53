//! Events as stored: the exact bytes their author wrote, an optional signature (issue 14
//! lands here), and what this version reads in them. An event this version cannot
//! interpret — a kind it does not know, a schema version newer than its own, a value it
//! cannot parse (a new split kind) — is kept byte for byte, not applied, forwarded
//! unchanged in snapshots and backups, and read again when a newer version loads it.

use serde::Deserialize;

use crate::{Error, Event, EventBody, EventId, MemberId, SCHEMA_VERSION};

/// What any version can read in an event: enough to key, order and forward it.
#[derive(Deserialize)]
struct Head {
    id: EventId,
    #[serde(default)]
    lamport: u64,
    #[serde(default)]
    author: Option<MemberId>,
}

/// An event as a saved device state (version 2 on) keeps it: its exact text, a JSON
/// string, and its signature.
#[derive(Deserialize)]
struct Saved {
    text: String,
    #[serde(default)]
    sig: Option<String>,
}

/// The legacy degraded form: releases before raw storage forwarded an event they could
/// not read as `{"type": "unknown"}` under the same id.
#[derive(Deserialize)]
struct BodyKind {
    body: KindOnly,
}

#[derive(Deserialize)]
struct KindOnly {
    #[serde(rename = "type")]
    kind: String,
}

/// How this version reads a stored event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reading {
    /// A copy an older release degraded to `{"type": "unknown"}`: the real event exists
    /// elsewhere and replaces it when it arrives.
    Degraded,
    /// From a newer version: kept and forwarded, not applied.
    Newer,
    /// Read and applied.
    Applied,
}

/// One event as this device holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvent {
    text: String,
    signature: Option<String>,
    id: EventId,
    lamport: u64,
    author: Option<MemberId>,
    event: Option<Event>,
    reading: Reading,
}

impl StoredEvent {
    /// An event from its exact JSON text (as received, or as saved). Refused only when
    /// not even its id can be read: such bytes cannot be keyed in a set of events.
    pub fn from_text(text: String, signature: Option<String>) -> Result<Self, Error> {
        // An event that reads whole has a head that reads alike: `Head` is three of
        // `Event`'s fields with the same types (`author` and `lamport` only made optional),
        // so the text is read once for what this version writes, twice for the rest.
        let whole = serde_json::from_slice::<Event>(text.as_bytes()).ok();
        let head = match &whole {
            Some(e) => Head {
                id: e.id,
                lamport: e.lamport,
                author: Some(e.author),
            },
            None => serde_json::from_slice(text.as_bytes())
                .map_err(|e| Error::BadEvent(format!("no readable id: {e}")))?,
        };
        let event = whole
            .filter(|e| e.v <= SCHEMA_VERSION && e.id == head.id && e.body != EventBody::Unknown);
        let reading = match &event {
            Some(_) => Reading::Applied,
            None => match serde_json::from_slice::<BodyKind>(text.as_bytes()) {
                Ok(b) if b.body.kind == "unknown" => Reading::Degraded,
                _ => Reading::Newer,
            },
        };
        Ok(Self {
            text,
            signature,
            id: head.id,
            lamport: head.lamport,
            author: head.author,
            event,
            reading,
        })
    }

    /// An event as a saved device state of version 2 or later holds it:
    /// `{"text": "<event JSON>", "sig": null}` (the sync engine's saved state and the
    /// first screen's reader both read it here).
    pub fn from_saved(json: &str) -> Result<Self, Error> {
        let saved: Saved = serde_json::from_slice(json.as_bytes())
            .map_err(|e| Error::BadEvent(format!("a saved event: {e}")))?;
        Self::from_text(saved.text, saved.sig)
    }

    /// An event written by this version (its JSON text is made once, here, and never
    /// again: what is stored, sent and later signed are these bytes).
    pub fn from_event(event: Event) -> Self {
        // Serialising these plain types cannot fail; an empty text would be refused by
        // every reader, so nothing silent hides behind the default.
        let text = serde_json::to_string(&event).unwrap_or_default();
        Self {
            id: event.id,
            lamport: event.lamport,
            author: Some(event.author),
            reading: Reading::Applied,
            event: Some(event),
            signature: None,
            text,
        }
    }

    /// The exact JSON text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The author's Ed25519 signature over the text (unpadded base64url; see
    /// docs/member-keys.md), if it was signed. The ledger keeps it without checking it:
    /// the sync engine verifies every event before it reaches the ledger.
    pub fn signature(&self) -> Option<&str> {
        self.signature.as_deref()
    }

    /// The same event with `signature` beside its text.
    pub fn with_signature(mut self, signature: Option<String>) -> Self {
        self.signature = signature;
        self
    }

    /// The event's id.
    pub fn id(&self) -> EventId {
        self.id
    }

    /// Its Lamport clock, as its text says (0 when unreadable).
    pub fn lamport(&self) -> u64 {
        self.lamport
    }

    /// Its author, as its text says.
    pub fn author(&self) -> Option<MemberId> {
        self.author
    }

    /// The event, when this version reads it.
    pub fn event(&self) -> Option<&Event> {
        self.event.as_ref()
    }

    /// How this version reads it.
    pub fn reading(&self) -> Reading {
        self.reading
    }

    /// Whether `other`, a copy of the same event, should replace this one: a merge never
    /// lets a degraded copy replace a full one, and a full copy replaces a degraded one;
    /// a signed copy of the same text replaces an unsigned one (a device that predates
    /// member keys forwarded it without its signature).
    pub(crate) fn is_improved_by(&self, other: &StoredEvent) -> bool {
        other.reading > self.reading
            || (other.reading == self.reading
                && self.signature.is_none()
                && other.signature.is_some()
                && other.text == self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NEWER: &str = r#"{"v":2,"id":"0190f0c0-0000-7000-8000-000000000001","lamport":9,"author":"01010101010101010101010101010101","at_ms":0,"body":{"type":"receipt_attached","blob":"…"}}"#;

    #[test]
    fn newer_events_keep_their_bytes_and_are_not_applied() {
        let e = StoredEvent::from_text(NEWER.into(), None).unwrap();
        assert_eq!(e.text(), NEWER);
        assert_eq!(e.reading(), Reading::Newer);
        assert_eq!(e.lamport(), 9);
        assert!(e.event().is_none());
    }

    #[test]
    fn a_degraded_copy_never_replaces_a_full_one() {
        let full = StoredEvent::from_text(NEWER.into(), None).unwrap();
        let degraded = StoredEvent::from_text(
            NEWER.replace(
                r#"{"type":"receipt_attached","blob":"…"}"#,
                r#"{"type":"unknown"}"#,
            ),
            None,
        )
        .unwrap();
        assert_eq!(degraded.reading(), Reading::Degraded);
        assert!(!full.is_improved_by(&degraded));
        assert!(degraded.is_improved_by(&full));
    }

    /// Older version: a device before member keys forwarded a signed event without its
    /// signature; the signed copy, when it comes, takes its place (never the reverse).
    #[test]
    fn older_version_a_signed_copy_replaces_an_unsigned_one_of_the_same_text() {
        let unsigned = StoredEvent::from_text(NEWER.into(), None).unwrap();
        let signed = unsigned.clone().with_signature(Some("c2ln".into()));
        assert!(unsigned.is_improved_by(&signed));
        assert!(!signed.is_improved_by(&unsigned));
        let other_text = StoredEvent::from_text(NEWER.replace("9", "8"), Some("c2ln".into()));
        assert!(!unsigned.is_improved_by(&other_text.unwrap()));
    }

    /// Newer version: whether the whole event reads or only its head does (a kind this
    /// version does not know, a value it cannot read, no author or Lamport clock), the
    /// id, clock and author are those a reading of the head alone finds.
    #[test]
    fn newer_version_an_event_is_keyed_alike_whether_or_not_it_reads_whole() {
        let written = StoredEvent::from_event(Event {
            v: 1,
            id: "0190f0c0-0000-7000-8000-000000000002".parse().unwrap(),
            lamport: 4,
            author: MemberId([1; 16]),
            at_ms: 7,
            body: EventBody::MemberLeft {
                member: MemberId([1; 16]),
            },
        });
        let texts = [
            written.text().to_string(),
            NEWER.to_string(),
            written.text().replace(r#""at_ms":7"#, r#""at_ms":"soon""#),
            written.text().replace(r#""lamport":4,"#, ""),
            written
                .text()
                .replace(r#""author":"01010101010101010101010101010101","#, ""),
            written.text().replace(r#""v":1"#, r#""v":3"#),
        ];
        let readings = [
            Reading::Applied,
            Reading::Newer,
            Reading::Newer,
            Reading::Newer,
            Reading::Newer,
            Reading::Newer,
        ];
        for (text, reading) in texts.into_iter().zip(readings) {
            let head: Head = serde_json::from_str(&text).unwrap();
            let e = StoredEvent::from_text(text.clone(), None).unwrap();
            assert_eq!(
                (e.id(), e.lamport(), e.author(), e.reading()),
                (head.id, head.lamport, head.author, reading),
                "{text}"
            );
            assert_eq!(e.text(), text);
        }
    }

    #[test]
    fn text_without_an_id_is_refused() {
        assert!(StoredEvent::from_text(r#"{"v":1}"#.into(), None).is_err());
        assert!(StoredEvent::from_text("not json".into(), None).is_err());
    }
}
