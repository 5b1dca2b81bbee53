//! GFMS relay: a Cloudflare Worker that stores opaque shares for a short time.
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

#[cfg(target_arch = "wasm32")]
mod glue;
