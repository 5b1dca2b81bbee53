//! GFMS client library.
//!
//! The logic lives in pure-Rust core crates with no IO:
//! `gfms-shamir` (sharing), `gfms-seal` (keys, sealing, robust open),
//! `gfms-ledger` (events and views) and `gfms-sync` (the sans-IO sync engine).
//! This crate puts the edges around them:
//! - `wasm` (wasm32 only): the wasm-bindgen facade used by `web/`, with TypeScript types
//!   and JS errors that carry a code;
//! - the native driver and the `gfms` command-line client (native only);
//! - `import_plan`: applying a plan from `gfms-import` to a group, all or nothing.

pub mod import_plan;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

#[cfg(all(not(target_arch = "wasm32"), feature = "native"))]
pub mod native;
