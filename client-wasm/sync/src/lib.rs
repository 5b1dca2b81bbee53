//! The GFMS sync engine, sans-IO: it decides, the drivers carry bytes.
//!
//! - [`Group`]: one group on one device — its keys and member, the full ledger, and the
//!   owners of its sync state: the outbox (what it sends, until every member has it),
//!   the inbox (what it received, is receiving, owes acks for), the relays it uses —
//!   saved as JSON by the host.
//! - [`Round`]: one sync round as a state machine of HTTP requests and save points, its
//!   phases in `round/`: send (seal, register, put), receive (list, probe, gather, open,
//!   merge, ack), finish (snapshot, status, assess, cleanup).
//! - [`completeness`]: the strict rule (every recipient acked somewhere) beside the
//!   paper's counter `Σ s_i` against `(m − 1)·k`.
//! - [`invite`]: the code that carries a group to a new device.
//! - [`Backoff`]: when to poll next.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod authors;
mod backoff;
mod blobs;
pub mod completeness;
mod epochs;
mod error;
#[cfg(test)]
mod fixtures;
mod group;
mod http;
mod inbox;
pub mod invite;
mod keyring;
mod keys_view;
mod outbox;
mod payload;
mod relays;
mod report;
mod round;
mod saved;

pub use authors::{AsideReason, KeptAside};
pub use backoff::Backoff;
pub use blobs::{
    CHUNK_BYTES, ChunkError, ChunkHeader, MAX_HELD_BYTES, MAX_PARTS, chunks, decode_chunk,
    encode_chunk,
};
pub use completeness::{AckSeen, Acks, Completeness, Recipients, RelayStatus, assess};
pub use error::Error;
pub use group::{Attached, Group, ReceiptsPending, blob_hash};
pub use http::{HttpRequest, Method, Outcome};
pub use invite::Invite;
pub use keys_view::{KeyState, KeysView, MemberKeys, Removal};
pub use outbox::{OutgoingBatch, OutgoingShare, REMOVAL_NOTICE_MS};
pub use payload::MAX_BATCH_PLAINTEXT;
pub use relays::RelaySet;
pub use report::{DeviceView, PendingBatch, RelayHealth, RelayReport, SyncReport};
pub use round::offered::Offered;
pub use round::{Round, Step};
pub use saved::SAVED_FORMAT;

/// `N` bytes from the system's CSPRNG.
pub(crate) fn random<const N: usize>() -> Result<[u8; N], Error> {
    let mut out = [0u8; N];
    getrandom::fill(&mut out).map_err(|_| Error::Rng)?;
    Ok(out)
}
