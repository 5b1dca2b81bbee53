//! The core's rules the app needs outside a group, so each has one definition, in Rust:
//! a currency's decimals (ISO 4217), a relay URL's one spelling (it feeds the key
//! schedule), when to poll next, and which group an invite is for. Plus the group's
//! display name before its history arrives.

use gfms_seal::GroupKeys;
use gfms_sync::{Backoff, Invite, RelayHealth};
use serde::Deserialize;
use wasm_bindgen::prelude::*;

use super::error::js_error;
use super::group::GroupClient;

/// Minor-unit digits of a currency (ISO 4217): 2 for EUR, 0 for JPY, 3 for KWD.
#[wasm_bindgen(js_name = currencyExponent)]
pub fn currency_exponent(code: &str) -> u32 {
    gfms_ledger::currency_exponent(code)
}

/// The one spelling of a relay URL (the key schedule derives per-relay keys from it), or
/// an error with code `bad_relay_url`.
#[wasm_bindgen(js_name = normalizeRelayUrl)]
pub fn normalize_relay_url(url: &str) -> Result<String, JsValue> {
    gfms_seal::normalize_relay_url(url).map_err(|e| js_error("bad_relay_url", e))
}

/// The local key (`GroupClient.groupKey()`) of the group an invite is for, so a device
/// that already holds the group opens it instead of joining a second time.
#[wasm_bindgen(js_name = inviteGroupKey)]
pub fn invite_group_key(code: &str) -> Result<String, JsValue> {
    let invite = Invite::decode(code).map_err(|e| js_error(e.code(), &e))?;
    // The same derivation as `gfms_sync::Group::key`.
    let id = GroupKeys::derive(&invite.group_secret()).local_id();
    Ok(id.iter().map(|b| format!("{b:02x}")).collect())
}

/// Polling with exponential backoff (`gfms_sync::Backoff`): soon while things happen,
/// less often while rounds bring nothing and relays fail.
#[wasm_bindgen]
pub struct PollBackoff(Backoff);

#[wasm_bindgen]
impl PollBackoff {
    /// Starts at `min_ms`, doubles up to `max_ms`.
    #[wasm_bindgen(constructor)]
    pub fn new(min_ms: f64, max_ms: f64) -> PollBackoff {
        PollBackoff(Backoff::new(min_ms.max(0.0) as u64, max_ms.max(0.0) as u64))
    }

    /// The wait before the next poll (ms).
    #[wasm_bindgen(js_name = delayMs)]
    pub fn delay_ms(&self) -> f64 {
        self.0.delay_ms() as f64
    }

    /// Something happened (news arrived, a socket opened): poll soon again.
    pub fn news(&mut self) {
        self.0.news();
    }

    /// Nothing happened, or it failed: wait longer.
    pub fn quiet(&mut self) {
        self.0.quiet();
    }

    /// Counts a finished round (the report's JSON): quiet when it received nothing while
    /// some relay was not up, news otherwise. Returns whether it was quiet.
    #[wasm_bindgen(js_name = afterRound)]
    pub fn after_round(&mut self, report: &str) -> Result<bool, JsValue> {
        let report: RoundOutcome =
            serde_json::from_slice(report.as_bytes()).map_err(|e| js_error("bad_argument", e))?;
        let quiet = is_quiet(&report);
        if quiet {
            self.0.quiet();
        } else {
            self.0.news();
        }
        Ok(quiet)
    }
}

/// What [`PollBackoff::after_round`] reads of a `SyncReport`'s JSON: only these fields
/// (the others, ignored, would each compile a reader into the client wasm).
#[derive(Deserialize)]
struct RoundOutcome {
    received_batches: usize,
    received_events: usize,
    relays: Vec<RelayOutcome>,
}

#[derive(Deserialize)]
struct RelayOutcome {
    health: RelayHealth,
}

/// A round that brought nothing while a relay failed: a reason to wait longer. A round
/// that brought nothing with every relay up is not (the group is just calm).
fn is_quiet(report: &RoundOutcome) -> bool {
    report.received_batches == 0
        && report.received_events == 0
        && report.relays.iter().any(|r| r.health != RelayHealth::Up)
}

#[wasm_bindgen]
impl GroupClient {
    /// The group's name: from its settings, or the invite's until the history arrives.
    pub fn name(&self) -> String {
        self.group.borrow_mut().name()
    }
}
