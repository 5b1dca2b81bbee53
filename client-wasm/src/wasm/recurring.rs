//! Facade calls for recurring expenses and per-field edits (GFMS issue 15, items 3 and
//! 6). A series is written once; its instances are derived from the series and the day,
//! so the calls that show expenses and balances take `today` (`YYYY-MM-DD`, the device's
//! own calendar day) and count the instances due by then. Editing an expense
//! (`editExpense`) already sends only the fields that changed; `history` names the
//! concurrent edit a field replaced (`overrides`) and `restoreExpense(id, event)` brings
//! that value back.

use gfms_ledger::{Expense, Recurring, State, balance_sheet, balances, filtered, settle_up};
use wasm_bindgen::prelude::*;

use super::error::js_error;
use super::group::{GroupClient, event_id, ms, parse, to_json};

fn ledger_err(e: gfms_ledger::Error) -> JsValue {
    js_error(e.code(), &e)
}

impl GroupClient {
    fn on(&self, today: &str) -> State {
        gfms_ledger::with_due(self.group.borrow_mut().state(), today)
    }

    fn write(
        &self,
        body: Result<gfms_ledger::EventBody, gfms_ledger::Error>,
        now_ms: f64,
    ) -> Result<String, JsValue> {
        let body = body.map_err(ledger_err)?;
        let id = self
            .group
            .borrow_mut()
            .append(body, ms(now_ms))
            .map_err(|e| js_error(e.code(), &e))?;
        Ok(id.to_string())
    }
}

#[wasm_bindgen]
impl GroupClient {
    /// Sets up a recurring expense (JSON `Recurring`: `template`, an expense, and
    /// `schedule`); returns the series id.
    #[wasm_bindgen(js_name = addRecurring)]
    pub fn add_recurring(&self, recurring: &str, now_ms: f64) -> Result<String, JsValue> {
        let r: Recurring = parse(recurring, "recurring")?;
        let body = gfms_ledger::add_recurring(self.group.borrow_mut().state(), r);
        self.write(body, now_ms)
    }

    /// The whole series takes `template` (JSON `Expense`) from day `from` on.
    #[wasm_bindgen(js_name = editRecurring)]
    pub fn edit_recurring(
        &self,
        series: &str,
        from: &str,
        template: &str,
        now_ms: f64,
    ) -> Result<(), JsValue> {
        let t: Expense = parse(template, "template")?;
        let body =
            gfms_ledger::edit_series(self.group.borrow_mut().state(), event_id(series)?, from, t);
        self.write(body, now_ms).map(|_| ())
    }

    /// One instance (the series' instance on `date`) gets `value` (JSON `Expense`), or
    /// with `value` empty is skipped.
    #[wasm_bindgen(js_name = setRecurringInstance)]
    pub fn set_recurring_instance(
        &self,
        series: &str,
        date: &str,
        value: &str,
        now_ms: f64,
    ) -> Result<(), JsValue> {
        let value: Option<Expense> = match value {
            "" => None,
            v => Some(parse(v, "value")?),
        };
        let body = gfms_ledger::edit_instance(
            self.group.borrow_mut().state(),
            event_id(series)?,
            date,
            value,
        );
        self.write(body, now_ms).map(|_| ())
    }

    /// Stops a series: no instances on or after `from`.
    #[wasm_bindgen(js_name = stopRecurring)]
    pub fn stop_recurring(&self, series: &str, from: &str, now_ms: f64) -> Result<(), JsValue> {
        let body =
            gfms_ledger::stop_recurring(self.group.borrow_mut().state(), event_id(series)?, from);
        self.write(body, now_ms).map(|_| ())
    }

    /// The instances due by `today` (JSON `Instance[]`: id, series, date, value).
    #[wasm_bindgen(js_name = recurringDue)]
    pub fn recurring_due(&self, today: &str) -> Result<String, JsValue> {
        to_json(&gfms_ledger::due(self.group.borrow_mut().state(), today).0)
    }

    /// `expenses(filter)` with the instances due by `today`.
    #[wasm_bindgen(js_name = expensesOn)]
    pub fn expenses_on(&self, today: &str, filter: &str) -> Result<String, JsValue> {
        let f: gfms_ledger::Filter = parse(filter, "filter")?;
        to_json(&filtered(&self.on(today), &f))
    }

    /// `balanceSheet()` with the instances due by `today`.
    #[wasm_bindgen(js_name = balanceSheetOn)]
    pub fn balance_sheet_on(&self, today: &str) -> Result<String, JsValue> {
        to_json(&balance_sheet(&self.on(today)))
    }

    /// `settleUp()` with the instances due by `today`.
    #[wasm_bindgen(js_name = settleUpOn)]
    pub fn settle_up_on(&self, today: &str) -> Result<String, JsValue> {
        to_json(&settle_up(&balances(&self.on(today))))
    }
}
