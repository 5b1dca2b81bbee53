//! Facade calls for the features people switch apps for (GFMS issue 15): people added
//! by name (placeholders) and claiming them, itemized bills, and changing an amount
//! without breaking its payers and exact parts. Income is an expense with
//! `kind: "income"` (`addExpense`); several payers are `payers` with more than one
//! entry; a payment of any amount between two members is `recordSettlement`.

use gfms_ledger::{Expense, Itemized, add_placeholder, claim_placeholder, placeholder_id};
use wasm_bindgen::prelude::*;

use super::error::js_error;
use super::group::{GroupClient, member_id, ms, parse, to_json};

fn ledger_err(e: gfms_ledger::Error) -> JsValue {
    js_error(e.code(), &e)
}

#[wasm_bindgen]
impl GroupClient {
    /// Adds someone by name only (they need not install the app); returns their member
    /// id. They share expenses and hold a balance, never receive batches.
    #[wasm_bindgen(js_name = addPlaceholder)]
    pub fn add_placeholder(&self, name: &str, now_ms: f64) -> Result<String, JsValue> {
        let mut g = self.group.borrow_mut();
        let body = add_placeholder(g.state(), name).map_err(ledger_err)?;
        let id = g
            .append(body, ms(now_ms))
            .map_err(|e| js_error(e.code(), &e))?;
        Ok(placeholder_id(id).to_string())
    }

    /// This device's member says it is the placeholder `placeholder` (a member id):
    /// what names the placeholder names them from now on.
    #[wasm_bindgen(js_name = claimPlaceholder)]
    pub fn claim_placeholder(&self, placeholder: &str, now_ms: f64) -> Result<(), JsValue> {
        let mut g = self.group.borrow_mut();
        let me = g.me();
        let body = claim_placeholder(g.state(), member_id(placeholder)?, me).map_err(ledger_err)?;
        g.append(body, ms(now_ms))
            .map(|_| ())
            .map_err(|e| js_error(e.code(), &e))
    }
}

/// What an itemized bill (JSON `Itemized`) comes to: `ItemizedTotal` (subtotal, each
/// extra, total, each member's exact part). The expense to record has `amount: total`,
/// `split: {kind: "exact", amounts: parts}` and `items: bill`.
#[wasm_bindgen(js_name = itemizedTotal)]
pub fn itemized_total(bill: &str) -> Result<String, JsValue> {
    let bill: Itemized = parse(bill, "bill")?;
    to_json(&bill.total().map_err(ledger_err)?)
}

/// The expense (JSON) with a new amount (minor units), its payers and exact parts
/// scaled to it in proportion so they still add up exactly.
#[wasm_bindgen(js_name = rescaleExpense)]
pub fn rescale_expense(expense: &str, amount: f64) -> Result<String, JsValue> {
    let e: Expense = parse(expense, "expense")?;
    if !amount.is_finite() || amount.fract() != 0.0 || amount.abs() > 9.0e15 {
        return Err(js_error(
            "bad_amount",
            "the amount is not a whole number of minor units",
        ));
    }
    to_json(&gfms_ledger::rescale(&e, amount as i64).map_err(ledger_err)?)
}
