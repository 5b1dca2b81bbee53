//! The wasm-bindgen facade `web/src/core/reports.ts` loads on first use. Errors are JS
//! `Error`s with a stable `code`, as the core's are; nothing panics across the boundary.

use wasm_bindgen::prelude::*;

use crate::Error;

fn js_error(e: Error) -> JsValue {
    gfms_js_error::js_error(e.code(), &e)
}

/// Statistics (JSON) for the state (JSON) and a filter (JSON).
#[wasm_bindgen]
pub fn statistics(state: &str, filter: &str) -> Result<String, JsValue> {
    crate::statistics(state, filter).map_err(js_error)
}

/// The expenses of the state (JSON) as CSV.
#[wasm_bindgen(js_name = exportCsv)]
pub fn export_csv(state: &str) -> Result<String, JsValue> {
    crate::export_csv(state).map_err(js_error)
}

/// The JSON backup of the ledger with these events (a JSON array).
#[wasm_bindgen(js_name = exportJson)]
pub fn export_json(events: &str) -> Result<String, JsValue> {
    crate::export_json(events).map_err(js_error)
}
