//! Receipts on this device: attaching one records `receipt_attached` and queues its
//! bytes (and its preview's) to go out in their own batches (`blobs.rs`); what arrives
//! complete waits here until the host takes it to its own storage.

use gfms_ledger::{
    EventBody, EventId, MAX_RECEIPT_BYTES, Receipt, attach_receipt, remove_receipt, want_receipt,
};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::Group;
use crate::Error;

/// What attaching gave: the hashes the host stores the bytes under.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attached {
    /// The attachment's hash.
    pub hash: String,
    /// Its preview's hash, if one was given.
    pub thumb: Option<String>,
}

/// Chunks in flight, for the sync panel.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ReceiptsPending {
    /// Chunks this device sent that not every member has yet, or has still to send.
    pub sending: usize,
    /// Chunks received of attachments not yet complete.
    pub receiving: usize,
}

/// The SHA-256 of `bytes`, lowercase hex.
pub fn blob_hash(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn too_large(size: usize) -> Error {
    Error::Ledger(gfms_ledger::Error::TooLarge {
        size: size as u64,
        limit: MAX_RECEIPT_BYTES,
    })
}

impl Group {
    /// Attaches `bytes` (of type `mime`, file `name`) to an expense, with an optional
    /// preview image sent as an attachment of its own. Refuses an attachment over
    /// [`MAX_RECEIPT_BYTES`] (`too_large`) before anything changes.
    pub fn attach_receipt(
        &mut self,
        expense: EventId,
        bytes: &[u8],
        mime: &str,
        name: &str,
        thumb: Option<&[u8]>,
        now_ms: u64,
    ) -> Result<Attached, Error> {
        if bytes.len() as u64 > MAX_RECEIPT_BYTES {
            return Err(too_large(bytes.len()));
        }
        if let Some(t) = thumb
            && t.len() as u64 > MAX_RECEIPT_BYTES
        {
            return Err(too_large(t.len()));
        }
        let hash = blob_hash(bytes);
        let thumb_hash = thumb.map(blob_hash);
        let receipt = Receipt {
            hash: hash.clone(),
            mime: mime.trim().to_ascii_lowercase(),
            size: bytes.len() as u64,
            name: name
                .trim()
                .chars()
                .take(gfms_ledger::MAX_RECEIPT_NAME)
                .collect(),
            thumb: thumb_hash.clone(),
        };
        let body = attach_receipt(self.writable_state()?, expense, receipt.clone())?;
        self.append(body, now_ms)?;
        self.blobs.queue(&hash, &receipt.mime, bytes, now_ms);
        if let (Some(t), Some(th)) = (thumb, &thumb_hash) {
            self.blobs.queue(th, "image/jpeg", t, now_ms);
        }
        Ok(Attached {
            hash,
            thumb: thumb_hash,
        })
    }

    /// Takes a receipt off an expense.
    pub fn remove_receipt(
        &mut self,
        expense: EventId,
        hash: &str,
        now_ms: u64,
    ) -> Result<(), Error> {
        let body = remove_receipt(self.writable_state()?, expense, hash)?;
        self.append(body, now_ms).map(|_| ())
    }

    /// The hashes of the attachments completed since the last call; their bytes wait in
    /// [`Group::received_blob`] until taken.
    pub fn take_received_blobs(&mut self) -> Vec<String> {
        self.blobs.take_completed()
    }

    /// The bytes of a completed attachment, handed over once (the host stores them).
    pub fn received_blob(&mut self, hash: &str) -> Option<Vec<u8>> {
        self.blobs.take_bytes(hash)
    }

    /// Asks the other members for a receipt's bytes (`receipt_wanted`): one this device
    /// never got (it joined after they were sent), lost, or let go to keep only its
    /// preview. Any member holding them sends them again.
    pub fn request_receipt(&mut self, hash: &str, now_ms: u64) -> Result<(), Error> {
        let body = want_receipt(self.writable_state()?, hash)?;
        self.append(body, now_ms)?;
        // A device that had it (and let it go, keeping the preview) takes it again.
        self.blobs.forget_done(hash);
        Ok(())
    }

    /// The receipts other members asked for and this device has not sent again yet:
    /// the host gives back the bytes of those it holds with [`Group::resend_receipt`].
    pub fn wanted_receipts(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for e in self.ledger().events() {
            if let EventBody::ReceiptWanted { hash } = &e.body
                && e.author != self.me()
                && !self.blobs.answered.contains(&e.id)
                && !out.contains(hash)
            {
                out.push(hash.clone());
            }
        }
        out
    }

    /// Sends a receipt's bytes again, for the members who asked (`wanted_receipts`):
    /// its chunks go out with the next round. Bytes that are not the receipt's are
    /// refused.
    pub fn resend_receipt(&mut self, hash: &str, bytes: &[u8], now_ms: u64) -> Result<(), Error> {
        if blob_hash(bytes) != hash {
            return Err(Error::Ledger(gfms_ledger::Error::NotAllowed(
                "these bytes are not the receipt's (their hash differs)".into(),
            )));
        }
        let state = self.state();
        let receipts = state.expenses.values().flat_map(|e| &e.receipts);
        let mut mime = None;
        for r in receipts {
            if r.hash == hash {
                mime = Some(r.mime.clone());
            } else if r.thumb.as_deref() == Some(hash) && mime.is_none() {
                mime = Some("image/jpeg".to_string());
            }
        }
        let mime = mime.ok_or_else(|| {
            Error::Ledger(gfms_ledger::Error::NotFound(format!("receipt {hash}")))
        })?;
        let asked: Vec<EventId> = self
            .ledger()
            .events()
            .filter(|e| matches!(&e.body, EventBody::ReceiptWanted { hash: h } if h == hash))
            .map(|e| e.id)
            .collect();
        self.blobs.queue(hash, &mime, bytes, now_ms);
        for id in asked {
            if !self.blobs.answered.contains(&id) {
                self.blobs.answered.push(id);
            }
        }
        Ok(())
    }

    /// Chunks in flight.
    pub fn receipts_pending(&self) -> ReceiptsPending {
        let on_the_way = self.outbox.batches().iter().filter(|b| !b.blob.is_empty());
        ReceiptsPending {
            sending: self.blobs.queued_count() + on_the_way.count(),
            receiving: self.blobs.receiving_count(),
        }
    }
}
