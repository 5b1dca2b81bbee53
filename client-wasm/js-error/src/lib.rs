//! Errors across the wasm boundary, for every wasm module of the client (the core, the
//! first screen, reports, import): a JS `Error` whose `code` property is a stable
//! snake_case string the app can branch on, and whose message is for people. Nothing in
//! here panics. Natively (no JS) the crate is empty.

#[cfg(target_arch = "wasm32")]
mod wasm {
    use std::fmt::Display;

    use wasm_bindgen::JsValue;

    /// A JS `Error` with `code`.
    pub fn js_error(code: &str, message: impl Display) -> JsValue {
        error_with_code(code, &message.to_string())
    }

    // The part that does not depend on the message's type, once in the module.
    fn error_with_code(code: &str, message: &str) -> JsValue {
        let err = js_sys::Error::new(message);
        // Setting a property on a fresh Error object cannot fail.
        let _ = js_sys::Reflect::set(&err, &JsValue::from_str("code"), &JsValue::from_str(code));
        err.into()
    }
}

#[cfg(target_arch = "wasm32")]
pub use wasm::js_error;
