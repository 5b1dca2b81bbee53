//! GFMS first screen: what the app shows when it opens a saved group — its expenses,
//! balances and members — read from the saved state's ledger part alone. The client core
//! (sync engine, sealing, member keys) is a larger wasm module; the app shows the group
//! from this one while the core loads, and hands every write and sync to the core.
//!
//! The state is the ledger's own ([`gfms_ledger::Ledger::from_stored`] over the saved
//! events): the same code the core runs. A saved state the core would change on load (an
//! older format, whose events it checks again against members' cards, or batches kept
//! unread) is refused ([`Error::NeedsCore`]): the app then waits for the core.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod error;
mod saved;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use error::Error;
pub use saved::{SavedLedger, read_saved};
