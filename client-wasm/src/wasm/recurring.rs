//! Facade calls for recurring expenses (GFMS issue 15, item 3). A series is written once;
//! its instances are derived from the series and the day. The app gives the device's
//! calendar day with `setToday` (`YYYY-MM-DD`) before it reads: from then on `state`,
//! `expenses`, `balances`, `balanceSheet`, `settleUp` and `settleUpWithDetails` count the
//! instances due by that day, `state().instances` names each one's series and day, and
//! `history` of an instance gives its series' lines and its own.

use std::collections::BTreeMap;

use gfms_ledger::{EventId, Expense, InstanceOf, Recurring};
use wasm_bindgen::prelude::*;

use super::error::js_error;
use super::group::{GroupClient, event_id, ms, parse};

fn ledger_err(e: gfms_ledger::Error) -> JsValue {
    js_error(e.code(), &e)
}

impl GroupClient {
    /// The instances due by `setToday`'s day, by expense id, with their series and day.
    pub(super) fn instances(&self) -> BTreeMap<EventId, InstanceOf> {
        let today = self.today.borrow();
        if today.is_empty() {
            return BTreeMap::new();
        }
        gfms_ledger::due_instances(self.group.borrow_mut().state(), &today)
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
    /// The device's calendar day (`YYYY-MM-DD`): the views count the recurring instances
    /// due by then.
    #[wasm_bindgen(js_name = setToday)]
    pub fn set_today(&self, today: &str) {
        today.clone_into(&mut self.today.borrow_mut());
    }

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
}
