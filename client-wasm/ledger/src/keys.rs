//! What the ledger records about member keys (docs/member-keys.md), as the text the
//! events carry: a member's public card and the epoch secrets sealed to members. The
//! ledger keeps them opaque — `gfms-identity` parses and checks them, and the sync
//! engine decides which events to apply — so the ledger, and the reports built on it,
//! hold no cryptography.

use serde::{Deserialize, Serialize};

use crate::MemberId;

/// A member's public card: its Ed25519 signing key and X25519 key-agreement key, each
/// 32 bytes in unpadded base64url (`gfms_identity::MemberCard`'s JSON).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Card {
    /// The Ed25519 public key.
    pub ed25519: String,
    /// The X25519 public key.
    pub x25519: String,
}

/// An epoch secret sealed to one member with HPKE (`gfms_identity::SealedEpochSecret`'s
/// JSON): the encapsulated key and the ciphertext, unpadded base64url.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealedSecret {
    /// The member it is sealed to.
    pub member: MemberId,
    /// HPKE's encapsulated key (32 bytes).
    pub enc: String,
    /// The sealed secret (48 bytes).
    pub ct: String,
}
