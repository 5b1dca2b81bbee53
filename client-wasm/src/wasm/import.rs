//! `applyImport`: the writes of a plan from the app's import module (`gfms-import`, loaded on demand)
//! written into the group all or nothing (`crate::import_plan`). Only the plan's JSON
//! crosses over, so the parsers stay out of this module.

use wasm_bindgen::prelude::*;

use super::error::js_error;
use super::group::{GroupClient, ms, to_json};
use crate::import_plan::{Writes, apply};

#[wasm_bindgen]
impl GroupClient {
    /// Applies an import (JSON `gfms_import::Writes`, from the import module): new
    /// placeholders, then every expense and payment the group does not have yet; on any
    /// refusal nothing is written. Returns what was written (JSON `Applied`: each
    /// person's member id, for the import module's balance check, and the counts).
    #[wasm_bindgen(js_name = applyImport)]
    pub fn apply_import(&self, writes: &str, now_ms: f64) -> Result<String, JsValue> {
        let writes = Writes::from_json(writes).map_err(|e| js_error(e.code(), &e))?;
        let applied = apply(&mut self.group.borrow_mut(), writes, ms(now_ms))
            .map_err(|e| js_error(e.code(), &e))?;
        to_json(&applied)
    }
}
