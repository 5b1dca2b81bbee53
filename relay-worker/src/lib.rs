//! GFMS relay: a Cloudflare Worker that keeps opaque shares for a short time, counts
//! who fetched and acked them, and forgets them.
//!
//! The rules — limits, authentication, TTL, counting, the ack-then-delete decision,
//! listing, CORS — are plain functions and types in the modules below, tested natively.
//! `glue` (wasm32 only) is the thin `worker` layer: the fetch handler routes and
//! applies CORS, and one Durable Object per group (`GroupRelay`) holds the index in its
//! storage and the share bytes in KV.
#![deny(missing_docs)]

pub mod auth;
pub mod config;
pub mod cors;
pub mod error;
pub mod group;
pub mod listing;
pub mod share;

#[cfg(target_arch = "wasm32")]
mod glue;

pub use error::RelayError;
