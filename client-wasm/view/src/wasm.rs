//! The wasm-bindgen facade the app's first screen uses (`web/src/core/view.ts`): one
//! `ViewGroup` per saved group, read-only. The views are the client core's (same ledger
//! functions, same JSON); errors are JS `Error`s with a stable `code`.

use std::cell::RefCell;
use std::collections::BTreeMap;

use gfms_ledger::{
    EventId, Filter, InstanceOf, State, balance_sheet, balances, filtered, settle_up,
};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::{Error, SavedLedger};

fn js_error(e: Error) -> JsValue {
    gfms_js_error::js_error(e.code(), &e)
}

fn to_json<T: Serialize>(value: &T) -> Result<String, JsValue> {
    serde_json::to_string(value).map_err(|e| js_error(Error::BadArgument(e.to_string())))
}

/// A saved group, read-only.
#[wasm_bindgen]
pub struct ViewGroup {
    saved: SavedLedger,
    state: State,
    today: RefCell<String>,
}

impl ViewGroup {
    /// The state the views show: with the recurring instances due by `setToday`'s day.
    fn viewed<R>(&self, f: impl FnOnce(&State) -> R) -> R {
        let today = self.today.borrow();
        if today.is_empty() {
            return f(&self.state);
        }
        let mut s = self.saved.ledger.state();
        gfms_ledger::add_due(&mut s, &today);
        f(&s)
    }
}

#[wasm_bindgen]
impl ViewGroup {
    /// Reads a saved group (`GroupClient.save()`'s JSON); `needs_core` when only the
    /// client core may load it.
    pub fn load(saved: &str) -> Result<ViewGroup, JsValue> {
        let saved = crate::read_saved(saved).map_err(js_error)?;
        let state = saved.ledger.state();
        Ok(ViewGroup {
            saved,
            state,
            today: RefCell::default(),
        })
    }

    /// This device's member id.
    pub fn me(&self) -> String {
        self.saved.me.to_string()
    }

    /// The group's name (from its settings, or the invite's until they arrive).
    pub fn name(&self) -> String {
        self.state
            .settings
            .as_ref()
            .map_or_else(|| self.saved.name_hint.clone(), |s| s.name.clone())
    }

    /// The device's calendar day (`YYYY-MM-DD`): the views count the recurring instances
    /// due by then.
    #[wasm_bindgen(js_name = setToday)]
    pub fn set_today(&self, today: &str) {
        today.clone_into(&mut self.today.borrow_mut());
    }

    /// Unix ms of the last finished sync round.
    #[wasm_bindgen(js_name = lastSyncMs)]
    pub fn last_sync_ms(&self) -> f64 {
        self.saved.last_sync_ms as f64
    }

    /// The ledger's state as JSON, with `instances` (the core's `state()` without
    /// `device`, which the core fills once loaded).
    pub fn state(&self) -> Result<String, JsValue> {
        #[derive(Serialize)]
        struct View<'a> {
            #[serde(flatten)]
            state: &'a State,
            instances: BTreeMap<EventId, InstanceOf>,
        }
        let instances = gfms_ledger::due_instances(&self.state, &self.today.borrow());
        self.viewed(|state| to_json(&View { state, instances }))
    }

    /// Expenses matching a filter (JSON), newest first: `[[id, expense], …]`.
    pub fn expenses(&self, filter: &str) -> Result<String, JsValue> {
        let f: Filter = serde_json::from_slice(filter.as_bytes())
            .map_err(|e| js_error(Error::BadArgument(format!("filter: {e}"))))?;
        self.viewed(|s| to_json(&filtered(s, &f)))
    }

    /// Balance per member (JSON).
    pub fn balances(&self) -> Result<String, JsValue> {
        self.viewed(|s| to_json(&balances(s)))
    }

    /// Balances with what they could not count (JSON).
    #[wasm_bindgen(js_name = balanceSheet)]
    pub fn balance_sheet(&self) -> Result<String, JsValue> {
        self.viewed(|s| to_json(&balance_sheet(s)))
    }

    /// The fewest-transfers plan (JSON).
    #[wasm_bindgen(js_name = settleUp)]
    pub fn settle_up(&self) -> Result<String, JsValue> {
        self.viewed(|s| to_json(&settle_up(&balances(s))))
    }

    /// The settle-up plan with payment details and links (JSON `PlannedPayment[]`).
    #[wasm_bindgen(js_name = settleUpWithDetails)]
    pub fn settle_up_with_details(&self) -> Result<String, JsValue> {
        self.viewed(|s| to_json(&gfms_ledger::plan_with_details(s)))
    }
}

/// Minor-unit digits of a currency (ISO 4217), as the core's `currencyExponent`: the
/// first screen formats amounts before the core is loaded.
#[wasm_bindgen(js_name = currencyExponent)]
pub fn currency_exponent(code: &str) -> u32 {
    gfms_ledger::currency_exponent(code)
}
