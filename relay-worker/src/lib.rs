//! GFMS relay: a Cloudflare Worker that keeps opaque shares for a short time, counts
//! who fetched and acked them, and forgets them.
//!
//! The rules — limits, authentication, TTL, counting, the ack-then-delete decision,
//! listing, CORS, retention, idle groups — are plain functions and types in the modules
//! below, and [`relay::Relay`] runs every route over a small storage trait
//! ([`relay::store`]), so all of it is tested natively. `glue` (wasm32 only) is the
//! thin `worker` layer: the fetch handler routes, reads bodies up to the limit and
//! applies CORS to every answer, and one Durable Object per group (`GroupRelay`)
//! implements the storage traits with its storage, KV and WebSockets.
#![deny(missing_docs)]

pub mod auth;
pub mod body;
pub mod config;
pub mod cors;
pub mod error;
pub mod group;
pub mod listing;
pub mod push;
pub mod put_plan;
pub mod ratelimit;
pub mod relay;
pub mod share;
pub mod share_request;
pub mod tokened;

#[cfg(target_arch = "wasm32")]
mod glue;

pub use error::RelayError;
