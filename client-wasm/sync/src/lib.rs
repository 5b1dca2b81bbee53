//! The GFMS sync engine, sans-IO: it decides, the drivers carry bytes.
//!
//! So far: [`completeness`] — whether an outgoing batch has reached every member (the
//! strict rule) and the paper's counter `Σ s_i` against `(m − 1)·k` shown beside it — and
//! [`invite`] — the code that carries a group to a new device. The outbox, pull, re-send
//! and cleanup planning build on these (see the open issue).
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod completeness;
mod error;
pub mod invite;

pub use completeness::{Completeness, RelayStatus, assess};
pub use error::Error;
pub use invite::Invite;
