//! `split` and `combine` for JavaScript (feature `lowlevel`: the smoke test uses them; the
//! app does not, and leaves them out of its first load): share bytes in the `sharks` layout (`x`, then
//! `y`), so what the app stores or sends can be rebuilt by any implementation.

#[cfg(feature = "lowlevel")]
use gfms_shamir::Share;
#[cfg(feature = "lowlevel")]
use js_sys::Uint8Array;
use wasm_bindgen::prelude::*;

#[cfg(feature = "lowlevel")]
use super::error::{js_error, shamir_code};

/// Splits `secret` into `n` shares, any `k` of which rebuild it. Each share is
/// `x || y` bytes. Throws `invalid_threshold` unless `2 <= k <= n <= 255`.
#[cfg(feature = "lowlevel")]
#[wasm_bindgen]
pub fn split(secret: &[u8], k: u8, n: u8) -> Result<Vec<Uint8Array>, JsValue> {
    let shares = gfms_shamir::split(secret, k, n).map_err(|e| js_error(shamir_code(&e), &e))?;
    Ok(shares
        .iter()
        .map(|s| Uint8Array::from(s.to_bytes().as_slice()))
        .collect())
}

/// Rebuilds a secret from exactly `k` shares of one split. Throws `bad_share`,
/// `duplicate_share`, `share_length_mismatch` or `no_shares`.
#[cfg(feature = "lowlevel")]
#[wasm_bindgen]
pub fn combine(shares: Vec<Uint8Array>) -> Result<Vec<u8>, JsValue> {
    let parsed = shares
        .iter()
        .map(|s| Share::from_bytes(&s.to_vec()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| js_error(shamir_code(&e), &e))?;
    gfms_shamir::combine(&parsed).map_err(|e| js_error(shamir_code(&e), &e))
}

/// Which sharing kernel this build runs (`simd128` or `swar`), for diagnostics.
#[wasm_bindgen(js_name = sharingKernel)]
pub fn sharing_kernel() -> String {
    gfms_shamir::Kernel::best().name().to_string()
}
