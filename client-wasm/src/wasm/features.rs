//! Facade calls for the features people switch apps for (GFMS issue 15): people added
//! by name (placeholders) and claiming them, itemized bills, changing an amount without
//! breaking its payers and exact parts, history, the activity feed and restoring. Income is an expense with
//! `kind: "income"` (`addExpense`); several payers are `payers` with more than one
//! entry; a payment of any amount between two members is `recordSettlement`.

use gfms_ledger::{Expense, Itemized, add_placeholder, claim_placeholder, placeholder_id};
use wasm_bindgen::prelude::*;

use super::error::js_error;
use super::group::{GroupClient, event_id, member_id, ms, parse, to_json};

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

    /// One expense's history (JSON `HistoryEntry[]`, oldest first): who created it, each
    /// edit and the fields it changed, deletions. For a recurring instance: its series'
    /// lines and its own.
    pub fn history(&self, expense: &str) -> Result<String, JsValue> {
        let id = event_id(expense)?;
        #[cfg(feature = "recurring")]
        if let Some(of) = self.instances().get(&id) {
            return to_json(&gfms_ledger::instance_history(
                self.group.borrow().ledger(),
                of.series,
                id,
            ));
        }
        to_json(&gfms_ledger::history(self.group.borrow().ledger(), id))
    }

    /// The group's activity feed (JSON `HistoryEntry[]`, newest first, at most `limit`);
    /// `member` (an id, or empty for everyone) keeps only what that member did.
    pub fn activity(&self, member: &str, limit: u32) -> Result<String, JsValue> {
        let member = match member {
            "" => None,
            m => Some(member_id(m)?),
        };
        to_json(&gfms_ledger::activity(
            self.group.borrow().ledger(),
            member,
            limit as usize,
        ))
    }

    /// Brings an expense back: to the value event `to` wrote (from `history`: the value
    /// a concurrent edit replaced), or with `to` empty to its last value (a deleted
    /// expense comes back).
    #[wasm_bindgen(js_name = restoreExpense)]
    pub fn restore_expense(&self, expense: &str, to: &str, now_ms: f64) -> Result<(), JsValue> {
        let to = match to {
            "" => None,
            t => Some(event_id(t)?),
        };
        let mut g = self.group.borrow_mut();
        let body = gfms_ledger::restore(g.ledger(), event_id(expense)?, to).map_err(ledger_err)?;
        g.append(body, ms(now_ms))
            .map(|_| ())
            .map_err(|e| js_error(e.code(), &e))
    }

    /// Sets how to pay `member` (an id; this device's own member, or a name-only member
    /// nobody claimed) from JSON `PaymentDetails`; cleaned up and validated (IBAN
    /// checksum, user names without URL characters, no control characters).
    #[wasm_bindgen(js_name = setPaymentDetails)]
    pub fn set_payment_details(
        &self,
        member: &str,
        details: &str,
        now_ms: f64,
    ) -> Result<(), JsValue> {
        let details: gfms_ledger::PaymentDetails = parse(details, "details")?;
        let mut g = self.group.borrow_mut();
        let me = g.me();
        let body = gfms_ledger::set_payment_details(g.state(), member_id(member)?, me, details)
            .map_err(ledger_err)?;
        g.append(body, ms(now_ms))
            .map(|_| ())
            .map_err(|e| js_error(e.code(), &e))
    }

    /// The settle-up plan with each recipient's payment details and payment links (JSON
    /// `PlannedPayment[]`).
    #[wasm_bindgen(js_name = settleUpWithDetails)]
    pub fn settle_up_with_details(&self) -> Result<String, JsValue> {
        self.viewed(|s| to_json(&gfms_ledger::plan_with_details(s)))
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
