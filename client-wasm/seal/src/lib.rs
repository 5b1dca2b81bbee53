//! Sealing GFMS batches for the relays, and opening them again. Each step of the data
//! path is one call:
//!
//! ```text
//! send:    seal(keys, batch id, sender, plaintext)  → SealedBatch
//!          split_for_relays(&sealed, relays, k)     → one RelayShare per relay (put it there)
//! receive: read_share(relay, share id, index, blob) → SharePart (fetched from a relay)
//!          combine(&parts)                          → Candidates (k-subsets rebuilt)
//!          open(keys, candidates)                   → Opened (plaintext, bad relays)
//! ```
//!
//! 1. [`seal`] pads the batch to a size bucket ([`padding`]), so relays cannot learn
//!    record sizes, and seals it with XChaCha20-Poly1305 under the record key, the
//!    associated data binding the group, the batch id and the sender.
//! 2. [`split_for_relays`] Shamir-splits the sealed batch `k` of `n` ([`gfms_shamir`]),
//!    one share per relay, each prefixed with a header (batch id, sender, `x`, `k`, `n`)
//!    sealed under that relay's header key and bound to the share's id there. Share ids
//!    are derived per relay from the batch id ([`RelayKeys::share_id`]), not random: a
//!    receiver that read one header knows where the batch's other shares are, while no
//!    relay can link its id to another's.
//! 3. [`read_share`] opens a fetched blob's header (a relay that moved or changed it is
//!    caught here); [`combine`] checks the shares are of one batch and rebuilds it from
//!    `k`-subsets; [`open`] takes the first that authenticates, so up to `n − k` missing
//!    or tampered shares are survived, and names the relays whose shares disagree.
//!
//! All keys come from the group secret by HKDF-SHA256 ([`GroupKeys`]): the record key,
//! and per relay URL a bearer token, a pseudonymous group id, a header key, a share id
//! key and member pseudonyms, so a relay's token is useless elsewhere and relays cannot
//! link a group. The byte format is in `docs/share-format.md`, with test vectors in
//! `tests/vectors/`.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod error;
mod header;
mod keys;
mod open;
pub mod padding;
mod seal;
mod split;

pub use error::Error;
pub use header::{HEADER_LEN, ShareHeader};
pub use keys::{BatchId, GroupKeys, GroupSecret, RelayKeys, SenderId, normalize_relay_url};
pub use open::{Candidates, Opened, combine, open};
pub use seal::{SealedBatch, seal};
pub use split::{RelayShare, SharePart, read_share, split_for_relays, split_for_relays_seeded};
