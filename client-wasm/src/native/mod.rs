//! The native edge: a blocking HTTP driver for the sans-IO sync engine and a state
//! directory that is written atomically. Used by the `gfms` CLI and the end-to-end tests.

mod carry;
mod driver;
mod store;

pub use carry::{PER_RELAY, Trace, Wave};
pub use driver::{Driver, RoundError, SyncHooks};
pub use store::{StateDir, StoreError};
