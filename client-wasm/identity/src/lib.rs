//! Member keys for a GFMS group: what lets a device prove what it wrote and what it
//! received, and lets the group leave a removed member behind.
//!
//! Every device creates, per group, a [`DeviceKeys`]: an Ed25519 signing key and an X25519
//! key-agreement key. Their public halves form the device's [`MemberCard`], which travels
//! in its `member_joined` event. From the card:
//! - [`SafetyCode`]: the digits (and QR bytes) two people compare in person, so a card
//!   swapped on the way is noticed;
//! - [`SignedEvent`]: an event's exact JSON bytes with the author's signature, so no relay
//!   and no other member can write as the author or change a byte;
//! - [`Receipt`]: the 64-byte signature a member sends with an ack, so the sender counts a
//!   delivery only when the member itself says it rebuilt that exact sealed batch;
//! - [`SealedEpochSecret`]: a fresh group secret sealed with HPKE to each remaining member
//!   when a member is removed, so the removed member cannot read later batches.
//!
//! Every signature and every sealed secret is bound to a [`GroupContext`] and carries its
//! own domain label, so nothing signed for one purpose or group verifies for another.
//! Pure functions: no IO, no clock; randomness only from the OS generator. The formats
//! are in `docs/member-keys.md`, with vectors in `tests/vectors/identity/`.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod context;
mod encoding;
mod epoch;
mod error;
mod event;
mod keys;
mod receipt;
mod safety;

pub use context::GroupContext;
pub use epoch::{EPOCH_SECRET_LEN, EpochSecret, SealedEpochSecret, seal_epoch_secret};
#[cfg(feature = "vectors")]
pub use epoch::{hpke_seal_with_ephemeral, seal_epoch_secret_with_ephemeral};
pub use error::Error;
pub use event::{EVENT_LABEL, SignedEvent, event_message};
pub use keys::{DeviceKeys, MEMBER_ID_LABEL, MemberCard};
pub use receipt::{RECEIPT_LABEL, RECEIPT_LEN, Receipt, ReceiptClaim};
pub use safety::{SAFETY_CODE_QR_VERSION, SafetyCode};

/// A member's group-wide id: 16 bytes (the ledger's `MemberId`), lowercase hex in JSON.
pub type MemberId = [u8; 16];
/// A batch's id: 16 bytes (a UUIDv7's bytes).
pub type BatchId = [u8; 16];
/// A share's id at one relay: 16 bytes, different at every relay.
pub type ShareId = [u8; 16];
