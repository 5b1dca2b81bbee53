//! The wasm-bindgen facade `web/src/core/import.ts` loads when the user opens Import (its
//! own small module: the parsers never weigh on the app's first load). It holds no group
//! and no secret: it takes the file's bytes and the core's state as JSON, and gives back
//! a plan (JSON) the core applies with `applyImport`. Errors are JS `Error`s with a
//! stable `code` and, when the error is about a row, its `line`; nothing panics across
//! the boundary.

use gfms_js_error::js_error;
use gfms_ledger::State;
use wasm_bindgen::prelude::*;

use crate::{Error, GroupView, Options, Plan, PlanOptions};

fn import_error(e: Error) -> JsValue {
    let err = js_error(e.code(), &e);
    if let Some(line) = e.line() {
        // Setting a property on a fresh Error object cannot fail.
        let _ = js_sys::Reflect::set(&err, &"line".into(), &(line as f64).into());
    }
    err
}

fn parse<T: serde::de::DeserializeOwned>(json: &str, what: &str) -> Result<T, JsValue> {
    serde_json::from_str(json).map_err(|e| js_error("bad_argument", format!("{what}: {e}")))
}

/// Reads a Splitwise or Tricount export (`from`: `"splitwise"`, `"tricount"`, or `""` to
/// tell by its header) and plans writing it into the group whose state (the core's
/// `state()` JSON) is given, with `options` (JSON `PlanOptions`: mapping, rates).
/// Returns `{"plan": Plan, "writes": Writes}` (JSON): the preview, and the four parts
/// the core's `applyImport` takes.
#[wasm_bindgen(js_name = planImport)]
pub fn plan_import(
    bytes: &[u8],
    from: &str,
    state: &str,
    options: &str,
) -> Result<String, JsValue> {
    let state: State = parse(state, "state")?;
    let options: PlanOptions = parse(options, "options")?;
    let read = Options::default();
    let import = match from {
        "splitwise" => crate::parse_splitwise(bytes, &read),
        "tricount" => crate::parse_tricount(bytes, &read),
        _ => crate::parse(bytes, &read),
    }
    .map_err(import_error)?;
    let plan = crate::plan(&import, &GroupView::new(&state, []), &options).map_err(import_error)?;
    let writes = plan.writes().map_err(import_error)?;
    serde_json::to_string(&serde_json::json!({ "plan": plan, "writes": writes }))
        .map_err(|e| js_error("internal", e))
}

/// The check after `applyImport`: for the plan (JSON), each person's member id as
/// `applyImport` returned them (JSON array) and the group's state now (JSON), each
/// member's balance per currency from the file's records and where it differs from the
/// other app's (JSON `Checked`).
#[wasm_bindgen(js_name = checkImport)]
pub fn check_import(plan: &str, members: &str, state: &str) -> Result<String, JsValue> {
    let plan: Plan = parse(plan, "plan")?;
    let members: Vec<gfms_ledger::MemberId> = parse(members, "members")?;
    let state: State = parse(state, "state")?;
    serde_json::to_string(&crate::check(&plan, &members, &state))
        .map_err(|e| js_error("internal", e))
}

/// The group (the core's `state()` JSON) in the shape of Splitwise's export (CSV).
#[wasm_bindgen(js_name = exportSplitwise)]
pub fn export_splitwise(state: &str) -> Result<String, JsValue> {
    let state: State = parse(state, "state")?;
    Ok(crate::export_splitwise(&state))
}
