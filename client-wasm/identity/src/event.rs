//! Signed events: an event's exact JSON text with its author's Ed25519 signature.
//!
//! The event travels as a JSON *string* inside the envelope, not as a nested object:
//! any JSON tool (serde_json, the browser's `JSON.parse`/`JSON.stringify`, a pretty
//! printer) may re-encode the envelope, but a string's characters, and so the UTF-8
//! bytes that were signed, come back unchanged. A nested object would be re-ordered,
//! re-spaced or re-escaped by the first tool that touched it.

use serde::{Deserialize, Serialize};

use crate::encoding::{b64, b64_array, id_from_hex, id_hex};
use crate::{DeviceKeys, Error, GroupContext, MemberCard, MemberId};

/// The domain label that starts every signed event message.
pub const EVENT_LABEL: &[u8] = b"gfms v1 event";

/// The bytes an event signature covers: [`EVENT_LABEL`] ‖ the group context (32 bytes) ‖
/// the author's member id (16 bytes) ‖ the event's UTF-8 bytes.
pub fn event_message(context: &GroupContext, author: &MemberId, event: &str) -> Vec<u8> {
    let mut message = Vec::with_capacity(EVENT_LABEL.len() + 48 + event.len());
    message.extend_from_slice(EVENT_LABEL);
    message.extend_from_slice(context.as_bytes());
    message.extend_from_slice(author);
    message.extend_from_slice(event.as_bytes());
    message
}

/// An event as its author wrote it: `{"author": <member id hex>, "event": <the event's
/// JSON text>, "sig": <64-byte Ed25519 signature, unpadded base64url>}`. The ledger keeps
/// it whole, so an event from a newer version survives byte for byte.
///
/// Parsing checks only the shape (three strings, `sig` optional); the author id and the
/// signature are checked by [`SignedEvent::verify`], so one bad event never makes a
/// whole batch unreadable. Unknown envelope fields are ignored and not kept: anything an
/// event needs goes inside the signed text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedEvent {
    author: String,
    event: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sig: Option<String>,
}

impl DeviceKeys {
    /// Signs an event's JSON text as `author` in the group of `context`. The text is kept
    /// exactly as given.
    pub fn sign_event(
        &self,
        context: &GroupContext,
        author: &MemberId,
        event: impl Into<String>,
    ) -> SignedEvent {
        let event = event.into();
        let sig = self.sign(&event_message(context, author, &event));
        SignedEvent {
            author: id_hex(author),
            event,
            sig: Some(b64(&sig)),
        }
    }
}

impl SignedEvent {
    /// An event with no signature: what a device that predates member keys wrote. It
    /// verifies as [`Error::Unsigned`].
    pub fn unsigned(author: &MemberId, event: impl Into<String>) -> Self {
        Self {
            author: id_hex(author),
            event: event.into(),
            sig: None,
        }
    }

    /// An envelope from what the ledger keeps of an event: its author (the one its text
    /// names), its exact text and its signature (unpadded base64url), if any.
    pub fn from_parts(author: &MemberId, event: impl Into<String>, sig: Option<String>) -> Self {
        Self {
            author: id_hex(author),
            event: event.into(),
            sig,
        }
    }

    /// The signature as the envelope carries it (unpadded base64url; not yet verified).
    pub fn signature(&self) -> Option<&str> {
        self.sig.as_deref()
    }

    /// Checks that `claimed_author` (the author the event's own text names) signed exactly
    /// this text for this group, and returns the text. Errors, in the order checked:
    /// [`Error::Unsigned`], [`Error::Malformed`] (the envelope's author is not an id),
    /// [`Error::WrongAuthor`] (the envelope names another signer), [`Error::BadSignature`].
    ///
    /// After [`Error::WrongAuthor`], verifying against the envelope's own author
    /// ([`SignedEvent::author`]) and that member's card tells whether that member really
    /// signed an event in another's name: proof of who misbehaved.
    pub fn verify(
        &self,
        context: &GroupContext,
        claimed_author: &MemberId,
        card: &MemberCard,
    ) -> Result<&str, Error> {
        let sig = self.sig.as_deref().ok_or(Error::Unsigned)?;
        if self.author()? != *claimed_author {
            return Err(Error::WrongAuthor);
        }
        let sig: [u8; 64] = b64_array(sig, "event signature").map_err(|_| Error::BadSignature)?;
        if card.verifies(&event_message(context, claimed_author, &self.event), &sig) {
            Ok(&self.event)
        } else {
            Err(Error::BadSignature)
        }
    }

    /// The member the envelope says signed it (not yet verified).
    pub fn author(&self) -> Result<MemberId, Error> {
        id_from_hex(&self.author, "event author")
    }

    /// The event's JSON text (not yet verified).
    pub fn event(&self) -> &str {
        &self.event
    }

    /// Whether the envelope carries a signature (not yet verified).
    pub fn is_signed(&self) -> bool {
        self.sig.is_some()
    }

    /// The envelope as compact JSON.
    pub fn to_json(&self) -> String {
        // Three strings and an optional string: serialising cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Parses an envelope.
    pub fn from_json(json: &str) -> Result<Self, Error> {
        serde_json::from_slice(json.as_bytes()).map_err(|_| Error::Malformed("signed event"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOB: MemberId = [0xb0; 16];
    const CAROL: MemberId = [0xc0; 16];

    fn keys(byte: u8) -> DeviceKeys {
        DeviceKeys::from_secrets(&[byte; 32], &[byte; 32]).unwrap()
    }

    fn context() -> GroupContext {
        GroupContext::from_bytes([0x33; 32])
    }

    #[test]
    fn the_author_verifies_and_the_text_is_kept_exactly() {
        let text = "{ \"v\":1,\"note\":\"caf\\u00e9 é\"  }";
        let signed = keys(1).sign_event(&context(), &BOB, text);
        assert_eq!(signed.verify(&context(), &BOB, keys(1).card()), Ok(text));
        let again = SignedEvent::from_json(&signed.to_json()).unwrap();
        assert_eq!(again, signed);
    }

    #[test]
    fn misbehaving_member_signing_as_another_is_named() {
        // Carol writes an event that claims Bob wrote it, signs it honestly as herself.
        let forged = keys(3).sign_event(&context(), &CAROL, r#"{"author":"b0b0"}"#);
        assert_eq!(
            forged.verify(&context(), &BOB, keys(2).card()),
            Err(Error::WrongAuthor)
        );
        // The envelope's signer really signed it: Carol is the culprit.
        let signer = forged.author().unwrap();
        assert_eq!(signer, CAROL);
        assert!(forged.verify(&context(), &signer, keys(3).card()).is_ok());
        // Carol relabelling the envelope as Bob's breaks the signature instead.
        let relabelled = SignedEvent {
            author: id_hex(&BOB),
            ..forged
        };
        assert_eq!(
            relabelled.verify(&context(), &BOB, keys(2).card()),
            Err(Error::BadSignature)
        );
    }

    #[test]
    fn older_version_unsigned_and_lying_relay_garbled_signatures_are_told_apart() {
        let unsigned = SignedEvent::unsigned(&BOB, "{}");
        assert_eq!(
            unsigned.verify(&context(), &BOB, keys(2).card()),
            Err(Error::Unsigned)
        );
        assert!(!unsigned.to_json().contains("sig"));
        let null_sig = SignedEvent::from_json(
            r#"{"author":"b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0","event":"{}","sig":null}"#,
        )
        .unwrap();
        assert_eq!(null_sig, unsigned);
        for sig in ["", "AAAA", "not base64!"] {
            let garbled = SignedEvent {
                sig: Some(sig.into()),
                ..unsigned.clone()
            };
            assert_eq!(
                garbled.verify(&context(), &BOB, keys(2).card()),
                Err(Error::BadSignature),
                "{sig:?}"
            );
        }
        let bad_author = SignedEvent {
            author: "B0".repeat(16),
            ..keys(2).sign_event(&context(), &BOB, "{}")
        };
        assert_eq!(
            bad_author.verify(&context(), &BOB, keys(2).card()),
            Err(Error::Malformed("event author"))
        );
    }

    #[test]
    fn hostile_input_envelope_of_the_wrong_shape_is_malformed() {
        for bad in [
            "",
            "[]",
            r#"{"author":"x"}"#,
            r#"{"author":1,"event":"{}"}"#,
        ] {
            assert_eq!(
                SignedEvent::from_json(bad),
                Err(Error::Malformed("signed event"))
            );
        }
    }
}
