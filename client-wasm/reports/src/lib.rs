//! GFMS reports: what the app shows or saves only on request, kept out of the client
//! core's wasm so the first load stays small. The app loads this module the first time
//! the Stats screen opens or an export is asked for.
//!
//! It holds no group and no secret: the core hands over the ledger's state (for
//! statistics and the CSV export) or its events (for the JSON backup) as JSON, in the
//! shapes `gfms-ledger` serialises, and gets text back. The work itself is
//! `gfms-ledger`'s; this crate only parses its input and maps errors.
//! - [`statistics`], [`export_csv`], [`export_json`]: pure functions, tested natively;
//!   the CSV is this crate's own table ([`table`]): expenses and payments, with rates and
//!   group-currency amounts;
//! - `wasm` (wasm32 only): the wasm-bindgen facade `web/src/core/reports.ts` loads.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod error;
mod report;
pub mod table;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use error::Error;
pub use report::{export_csv, export_json, statistics};
