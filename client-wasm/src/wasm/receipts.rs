//! Receipts in the facade: attach and remove them, take the attachments a round
//! completed, and what is in flight for the sync panel. The bytes of finished
//! attachments belong to the host (IndexedDB): `receivedBlob` hands each over once.

use wasm_bindgen::prelude::*;

use super::error::js_error;
use super::group::{GroupClient, event_id, ms, to_json};

fn sync_err(e: gfms_sync::Error) -> JsValue {
    js_error(e.code(), &e)
}

#[wasm_bindgen]
impl GroupClient {
    /// Attaches a receipt (a photo downscaled by the app, or a PDF) to an expense, with
    /// an optional preview image: `{"hash": "…", "thumb": "…" | null}`. Its chunks go
    /// out with the next round; store the bytes under the hash. Errors: `too_large`
    /// (over 4 MiB, the limit in the message), `not_found`, `not_member`, …
    #[wasm_bindgen(js_name = attachReceipt)]
    pub fn attach_receipt(
        &self,
        expense_id: &str,
        bytes: &[u8],
        mime: &str,
        name: &str,
        thumb: Option<Vec<u8>>,
        now_ms: f64,
    ) -> Result<String, JsValue> {
        let attached = self
            .group
            .borrow_mut()
            .attach_receipt(
                event_id(expense_id)?,
                bytes,
                mime,
                name,
                thumb.as_deref(),
                ms(now_ms),
            )
            .map_err(sync_err)?;
        to_json(&attached)
    }

    /// Takes a receipt off an expense (for good, on every device).
    #[wasm_bindgen(js_name = removeReceipt)]
    pub fn remove_receipt(&self, expense_id: &str, hash: &str, now_ms: f64) -> Result<(), JsValue> {
        self.group
            .borrow_mut()
            .remove_receipt(event_id(expense_id)?, hash, ms(now_ms))
            .map_err(sync_err)
    }

    /// The hashes of the attachments completed since the last call (JSON array): call
    /// after each round, then `receivedBlob` for each.
    #[wasm_bindgen(js_name = takeReceivedBlobs)]
    pub fn take_received_blobs(&self) -> Result<String, JsValue> {
        to_json(&self.group.borrow_mut().take_received_blobs())
    }

    /// A completed attachment's bytes, handed over once (store them, then save).
    #[wasm_bindgen(js_name = receivedBlob)]
    pub fn received_blob(&self, hash: &str) -> Option<Vec<u8>> {
        self.group.borrow_mut().received_blob(hash)
    }

    /// Asks the other members for a receipt's bytes (this device joined after they were
    /// sent, or lost them): records `receipt_wanted`; any member holding them sends them
    /// again. Errors: `not_found` (no expense shows this receipt), `not_member`, …
    #[wasm_bindgen(js_name = requestReceipt)]
    pub fn request_receipt(&self, hash: &str, now_ms: f64) -> Result<(), JsValue> {
        self.group
            .borrow_mut()
            .request_receipt(hash, ms(now_ms))
            .map_err(sync_err)
    }

    /// The receipts other members asked for that this device has not sent again yet
    /// (JSON array of hashes): after each round, give back the bytes of those the host
    /// holds with `resendReceipt`.
    #[wasm_bindgen(js_name = wantedReceipts)]
    pub fn wanted_receipts(&self) -> Result<String, JsValue> {
        to_json(&self.group.borrow().wanted_receipts())
    }

    /// Sends a receipt's bytes again for the members who asked; they go out with the next
    /// round. Errors: `not_allowed` (bytes that are not the receipt's), `not_found`.
    #[wasm_bindgen(js_name = resendReceipt)]
    pub fn resend_receipt(&self, hash: &str, bytes: &[u8], now_ms: f64) -> Result<(), JsValue> {
        self.group
            .borrow_mut()
            .resend_receipt(hash, bytes, ms(now_ms))
            .map_err(sync_err)
    }

    /// Attachment chunks in flight: `{"sending": n, "receiving": n}`.
    #[wasm_bindgen(js_name = receiptsPending)]
    pub fn receipts_pending(&self) -> Result<String, JsValue> {
        to_json(&self.group.borrow().receipts_pending())
    }
}
