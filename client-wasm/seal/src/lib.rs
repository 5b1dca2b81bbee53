//! Sealing GFMS batches for the relays, and opening them again.
//!
//! A batch (one or more ledger events, as bytes) travels like this:
//! 1. padded to a size bucket ([`padding`]), so relays cannot learn record sizes;
//! 2. sealed with XChaCha20-Poly1305 under the record key, the associated data binding
//!    the group, the batch id and the sender ([`seal_batch`]);
//! 3. Shamir-split `k` of `n` ([`gfms_shamir`]), one share per relay;
//! 4. each share prefixed with a header (batch id, sender, `x`, `k`, `n`) sealed under
//!    that relay's header key and bound to its random per-relay share id.
//!
//! All keys come from the group secret by HKDF-SHA256 ([`GroupKeys`]): the record key,
//! and per relay URL a bearer token, a pseudonymous group id, a header key and member
//! pseudonyms, so a relay's token is useless elsewhere and relays cannot link a group.
//! [`open_batch`] rebuilds from any `k` shares, tries other `k`-subsets when the
//! authentication fails, and names the relays whose shares disagree.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod batch;
mod error;
mod header;
mod keys;
pub mod padding;

pub use batch::{Opened, RelayShare, SealedBatch, SharePart, open_batch, seal_batch};
pub use error::Error;
pub use header::{HEADER_LEN, ShareHeader, read_header};
pub use keys::{BatchId, GroupKeys, GroupSecret, RelayKeys, SenderId, normalize_relay_url};
