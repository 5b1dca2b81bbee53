//! Errors across the wasm boundary: a JS `Error` whose `code` property is a stable
//! snake_case string the app can branch on, and whose message is for people.

// The helper every wasm module of the client shares (client-wasm/js-error).
pub use gfms_js_error::js_error;

/// The code for a sharing error.
#[cfg(feature = "lowlevel")]
pub fn shamir_code(e: &gfms_shamir::Error) -> &'static str {
    use gfms_shamir::Error::*;
    match e {
        InvalidThreshold { .. } => "invalid_threshold",
        NoShares => "no_shares",
        ZeroX => "bad_share",
        DuplicateX(_) => "duplicate_share",
        LengthMismatch => "share_length_mismatch",
        Truncated => "bad_share",
        Rng => "rng_failed",
    }
}
