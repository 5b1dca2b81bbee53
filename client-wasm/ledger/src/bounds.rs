//! The bounds every number in the ledger stays within, so that no sum wraps (release
//! wasm wraps silently) and every number reaches JavaScript exactly (a JS number is exact
//! only within ±(2^53 − 1)).
//!
//! - An amount (expense, payer's part, exact split part, settlement, converted amount) is
//!   at most [`MAX_AMOUNT`] minor units in magnitude: 10^13, a hundred billion euros,
//!   well inside 2^53 ≈ 9.007·10^15, so sums of hundreds of the largest amounts still
//!   fit.
//! - A rate's numerator and denominator are at most [`MAX_JSON_INT`].
//! - Totals (balances, statistics) are summed with checked arithmetic; an expense whose
//!   amount would carry a total past [`MAX_JSON_INT`] is left out *and listed* as
//!   uncounted, never wrapped or dropped silently.

use crate::{EventBody, Expense, Settlement, split_amount};

/// The largest amount, in minor units (either sign): 10^13.
pub const MAX_AMOUNT: i64 = 10_000_000_000_000;

/// The largest integer a JavaScript number holds exactly: 2^53 − 1.
pub const MAX_JSON_INT: i64 = (1 << 53) - 1;

/// Whether `v` is an amount within [`MAX_AMOUNT`].
pub(crate) fn amount_ok(v: i64) -> bool {
    (-MAX_AMOUNT..=MAX_AMOUNT).contains(&v)
}

/// Whether `v` reaches JavaScript exactly.
pub(crate) fn json_ok(v: i64) -> bool {
    (-MAX_JSON_INT..=MAX_JSON_INT).contains(&v)
}

/// `a + b` if the result stays within ±[`MAX_JSON_INT`].
pub(crate) fn add(a: i64, b: i64) -> Option<i64> {
    a.checked_add(b).filter(|v| json_ok(*v))
}

fn rate_ok(rate: Option<crate::Rate>) -> bool {
    rate.is_none_or(|r| {
        (1..=MAX_JSON_INT).contains(&r.numerator) && (1..=MAX_JSON_INT).contains(&r.denominator)
    })
}

/// Why an expense's numbers are out of bounds, if they are.
pub(crate) fn check_expense(e: &Expense) -> Result<(), &'static str> {
    let split_parts: Vec<i64> = match &e.split {
        crate::Split::Exact { amounts } => amounts.iter().map(|(_, a)| *a).collect(),
        _ => Vec::new(),
    };
    if !amount_ok(e.amount)
        || e.payers.iter().any(|(_, a)| !amount_ok(*a))
        || split_parts.iter().any(|a| !amount_ok(*a))
    {
        return Err("an amount is beyond the largest the app handles (10^13 minor units)");
    }
    if !rate_ok(e.rate) {
        return Err("an exchange rate's numbers are too large");
    }
    if e.items
        .as_ref()
        .is_some_and(|b| b.items.len() > crate::MAX_ITEMS || b.extras.len() > crate::MAX_EXTRAS)
    {
        return Err("a bill with more items than the app handles");
    }
    if let Some(r) = e.rate
        && !amount_ok(r.convert(e.amount))
    {
        return Err("the amount, converted, is beyond the largest the app handles");
    }
    if let Ok(parts) = split_amount(e.amount, &e.split)
        && parts.iter().any(|(_, a)| !amount_ok(*a))
    {
        return Err("a share is beyond the largest the app handles");
    }
    Ok(())
}

/// Why a settlement's numbers are out of bounds, if they are.
pub(crate) fn check_settlement(s: &Settlement) -> Result<(), &'static str> {
    if !amount_ok(s.amount) {
        return Err("the amount is beyond the largest the app handles (10^13 minor units)");
    }
    if !rate_ok(s.rate) {
        return Err("an exchange rate's numbers are too large");
    }
    if let Some(r) = s.rate
        && !amount_ok(r.convert(s.amount))
    {
        return Err("the amount, converted, is beyond the largest the app handles");
    }
    Ok(())
}

/// Why a push subscription cannot be one, if it cannot: an `https` endpoint of sane
/// length and keys of the sizes RFC 8291 gives (65 and 16 bytes, base64url).
pub(crate) fn check_push(sub: &crate::PushSubscription) -> Result<(), &'static str> {
    let b64url = |s: &str, len: usize| {
        s.len() == len
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    if !sub.endpoint.starts_with("https://") || sub.endpoint.len() > 2048 {
        return Err("a push subscription's endpoint is not an https URL");
    }
    if sub.relay.len() > 2048 {
        return Err("a push subscription's relay is not a URL");
    }
    if !b64url(&sub.p256dh, 87) || !b64url(&sub.auth, 22) {
        return Err("a push subscription's keys are not Web Push keys");
    }
    Ok(())
}

/// Why an event's values are out of bounds, if they are: such an event is not applied.
pub(crate) fn check_body(body: &EventBody) -> Result<(), &'static str> {
    match body {
        EventBody::ExpenseAdded { value, .. } | EventBody::ExpenseEdited { value, .. } => {
            check_expense(value)
        }
        EventBody::SettlementRecorded { value, .. } => check_settlement(value),
        EventBody::PaymentDetailsSet { details, .. } => details
            .validate()
            .map_err(|_| "payment details that are not valid (a link or text that could mislead)"),
        EventBody::PushSubscriptionSet {
            subscription: Some(sub),
        } => check_push(sub),
        #[cfg(feature = "recurring")]
        EventBody::RecurringAdded { .. }
        | EventBody::RecurringEdited { .. }
        | EventBody::RecurringInstanceSet { .. }
        | EventBody::RecurringStopped { .. } => crate::recurring::check_body(body),
        EventBody::ReceiptAttached { .. }
        | EventBody::ReceiptRemoved { .. }
        | EventBody::ReceiptWanted { .. } => crate::receipts::check_body(body),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bounds_sit_well_inside_what_javascript_holds_exactly() {
        const { assert!(MAX_AMOUNT < MAX_JSON_INT / 100) };
        assert_eq!(MAX_JSON_INT, 9_007_199_254_740_991);
        assert_eq!(add(MAX_JSON_INT, 1), None);
        assert_eq!(add(-MAX_JSON_INT, -1), None);
        assert_eq!(add(MAX_JSON_INT - 1, 1), Some(MAX_JSON_INT));
    }
}
