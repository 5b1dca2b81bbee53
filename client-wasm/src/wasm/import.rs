//! `applyImport`: the writes of a plan from the app's import module (`gfms-import`,
//! loaded on demand) put into the group all or nothing (`crate::import_plan`). Only
//! ledger values cross over, which the facade reads anyway, so the parsers stay out of
//! this module.

use wasm_bindgen::prelude::*;

use super::error::js_error;
use super::group::{GroupClient, ms, parse, to_json};
use crate::import_plan::{Writes, apply};

#[wasm_bindgen]
impl GroupClient {
    /// Applies an import (the parts of `gfms_import::Writes`, each JSON: each person's
    /// member id or stand-in, each new person's name, the expenses, the payments): new
    /// placeholders, then every expense and payment the group does not have yet; on any
    /// refusal nothing is written, and the error's message starts with the refused
    /// record's import id. Returns what was written (JSON `Applied`).
    #[wasm_bindgen(js_name = applyImport)]
    pub fn apply_import(
        &self,
        members: &str,
        names: &str,
        expenses: &str,
        settlements: &str,
        now_ms: f64,
    ) -> Result<String, JsValue> {
        let writes = Writes {
            members: parse(members, "members")?,
            names: parse(names, "names")?,
            expenses: parse(expenses, "expenses")?,
            settlements: parse(settlements, "settlements")?,
        };
        let applied = apply(&mut self.group.borrow_mut(), writes, ms(now_ms))
            .map_err(|e| js_error(e.code(), &e))?;
        to_json(&applied)
    }
}
