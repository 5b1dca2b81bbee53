//! The crate's one error type. Cryptographic failures are broad: each says that a
//! signature or a sealed secret did not verify, never which byte or which check, so an
//! attacker learns nothing from the answer that it did not already know.

/// Why a key, signature, receipt or sealed secret was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// Input that is not of the documented shape: bad JSON, bad base64 or hex, a wrong
    /// length. Names the field; says nothing about keys or signatures.
    #[error("malformed {0}")]
    Malformed(&'static str),
    /// A member card whose keys are not usable: an Ed25519 key that is not a curve point
    /// or has small order, or an X25519 key of small order (every shared secret with it
    /// would be predictable).
    #[error("member card has an unusable key")]
    InvalidCard,
    /// The event carries no signature at all (written before members had keys, or the
    /// signature was stripped). The caller decides what an unsigned event may do.
    #[error("event is not signed")]
    Unsigned,
    /// The envelope names a different author than the one the event claims: a member
    /// signing an event as someone else. The signature may be valid, but for the wrong
    /// member.
    #[error("event is signed by another member than its author")]
    WrongAuthor,
    /// The event's signature does not verify under the author's card and the group
    /// context: forged, altered in any bit, from another group, or signed by someone
    /// else under the author's name.
    #[error("event signature did not verify")]
    BadSignature,
    /// A delivery receipt does not verify for this member, batch, sealed-batch hash,
    /// share and group: forged by a relay, replayed from another batch or share, or
    /// altered.
    #[error("delivery receipt did not verify")]
    BadReceipt,
    /// This member has no sealed secret in the epoch's list: it is not a recipient
    /// (removed, or joined after the epoch began).
    #[error("no epoch secret is sealed to this member")]
    NotARecipient,
    /// A sealed epoch secret did not open: sealed to another member or key, for another
    /// epoch or group, or altered.
    #[error("epoch secret did not open")]
    EpochSecretUnreadable,
    /// The operating system's random number generator failed.
    #[error("random number generator failed")]
    Rng,
}
