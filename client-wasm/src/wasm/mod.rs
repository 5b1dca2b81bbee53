//! The wasm-bindgen facade: what `web/` imports. Every exported function returns
//! `Result<_, JsError>`-style errors carrying a stable `code`, and never panics across
//! the boundary (a panic hook is installed at start for diagnostics only).

mod error;
mod features;
mod group;
mod import;
mod receipts;
#[cfg(feature = "recurring")]
mod recurring;
mod round;
mod rules;
#[cfg(feature = "lowlevel")]
mod sealing;
mod sharing;

pub use features::{itemized_total, rescale_expense};
pub use group::GroupClient;
pub use round::SyncRound;
pub use rules::{PollBackoff, currency_exponent, invite_group_key, normalize_relay_url};
#[cfg(feature = "lowlevel")]
pub use sealing::{OpenedBatch, SealedShare, SealingGroup};
pub use sharing::sharing_kernel;
#[cfg(feature = "lowlevel")]
pub use sharing::{combine, split};

use wasm_bindgen::prelude::*;

/// Called once by wasm-bindgen when the module is instantiated.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}
