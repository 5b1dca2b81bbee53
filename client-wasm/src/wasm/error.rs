//! Errors across the wasm boundary: a JS `Error` whose `code` property is a stable
//! snake_case string the app can branch on, and whose message is for people.

use std::fmt::Display;

use wasm_bindgen::JsValue;

/// A JS `Error` with `code`.
pub fn js_error(code: &str, message: impl Display) -> JsValue {
    let err = js_sys::Error::new(&message.to_string());
    // Setting a property on a fresh Error object cannot fail.
    let _ = js_sys::Reflect::set(&err, &JsValue::from_str("code"), &JsValue::from_str(code));
    err.into()
}

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
