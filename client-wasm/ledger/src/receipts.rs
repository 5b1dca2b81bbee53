//! Receipts attached to expenses (`receipt_attached`, `receipt_removed`). An attachment
//! is bytes + mime + name, named by the SHA-256 of its bytes; the bytes travel in their
//! own batches (the sync engine's `blobs`), the ledger only references them. The
//! receipts of an expense are a two-phase set: every attachment any member wrote is in,
//! minus every one any member removed, whatever the order the events arrived in — two
//! members attaching at once both keep theirs, and a removed receipt stays removed (the
//! same bytes attached again stay removed too; attach a re-encoded copy instead).

use serde::{Deserialize, Serialize};

use crate::{Error, EventBody, EventId, State};

/// The largest attachment, in bytes: 4 MiB. The app downscales photos well below this
/// (≤ 1600 px, ~200 KB); a PDF goes as is and must fit.
pub const MAX_RECEIPT_BYTES: u64 = 4 * 1024 * 1024;
/// The longest file name kept, in characters.
pub const MAX_RECEIPT_NAME: usize = 200;
/// The longest mime type, in characters.
pub const MAX_RECEIPT_MIME: usize = 100;

/// A receipt as the expense view shows it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    /// SHA-256 of the bytes, lowercase hex: the attachment's id.
    pub hash: String,
    /// Its type (`image/jpeg`, `application/pdf`, …).
    pub mime: String,
    /// Its size in bytes.
    pub size: u64,
    /// The file name it was attached under.
    pub name: String,
    /// The hash of a small preview image sent as its own attachment, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub thumb: Option<String>,
}

/// True for 64 lowercase hex digits.
pub fn is_hash(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Checks a receipt's fields (what [`attach_receipt`] and the state both require).
pub(crate) fn check(r: &Receipt) -> Result<(), &'static str> {
    let thumb_ok = r.thumb.as_deref().is_none_or(is_hash);
    if !is_hash(&r.hash) || !thumb_ok {
        return Err("a receipt whose hash is not a SHA-256");
    }
    if r.size == 0 || r.size > MAX_RECEIPT_BYTES {
        return Err("a receipt over the 4 MiB limit");
    }
    if r.mime.is_empty()
        || r.mime.len() > MAX_RECEIPT_MIME
        || r.mime.chars().any(|c| c.is_control() || c.is_whitespace())
    {
        return Err("a receipt with an unreadable type");
    }
    if r.name.chars().count() > MAX_RECEIPT_NAME || r.name.chars().any(char::is_control) {
        return Err("a receipt with an unreadable name");
    }
    Ok(())
}

/// Attaches a receipt to an existing expense.
pub fn attach_receipt(
    state: &State,
    expense: EventId,
    receipt: Receipt,
) -> Result<EventBody, Error> {
    if !state.expenses.contains_key(&expense) {
        return Err(Error::NotFound(format!("expense {expense}")));
    }
    if receipt.size > MAX_RECEIPT_BYTES {
        return Err(Error::TooLarge {
            size: receipt.size,
            limit: MAX_RECEIPT_BYTES,
        });
    }
    check(&receipt).map_err(|r| Error::OutOfBounds(r.into()))?;
    Ok(EventBody::ReceiptAttached {
        expense,
        hash: receipt.hash,
        mime: receipt.mime,
        size: receipt.size,
        name: receipt.name,
        thumb: receipt.thumb,
    })
}

/// Removes a receipt from an expense (one it shows).
pub fn remove_receipt(state: &State, expense: EventId, hash: &str) -> Result<EventBody, Error> {
    let shown = state
        .expenses
        .get(&expense)
        .ok_or_else(|| Error::NotFound(format!("expense {expense}")))?;
    if !shown.receipts.iter().any(|r| r.hash == hash) {
        return Err(Error::NotFound(format!("receipt {hash}")));
    }
    Ok(EventBody::ReceiptRemoved {
        expense,
        hash: hash.to_string(),
    })
}

/// Asks the other members for a receipt's bytes (one an expense shows, or its preview).
pub fn want_receipt(state: &State, hash: &str) -> Result<EventBody, Error> {
    let shown = state
        .expenses
        .values()
        .flat_map(|e| &e.receipts)
        .any(|r| r.hash == hash || r.thumb.as_deref() == Some(hash));
    if !shown {
        return Err(Error::NotFound(format!("receipt {hash}")));
    }
    Ok(EventBody::ReceiptWanted {
        hash: hash.to_string(),
    })
}

/// Gathers receipt events while the state is built, then sets each live expense's
/// receipts at the end (so an edit or a later value of the expense never loses them).
/// Plain lists, searched in order: each map type would add its own code to the app's
/// wasm.
#[derive(Debug, Clone, Default)]
pub(crate) struct Gathered {
    attached: Vec<(EventId, Receipt)>,
    removed: Vec<(EventId, String)>,
}

impl Gathered {
    /// Takes one receipt event (in ledger order); false if `body` is none.
    pub(crate) fn take(&mut self, body: &EventBody) -> bool {
        match body {
            EventBody::ReceiptAttached {
                expense,
                hash,
                mime,
                size,
                name,
                thumb,
            } => {
                let seen = self
                    .attached
                    .iter()
                    .any(|(e, r)| e == expense && r.hash == *hash);
                if !seen {
                    let receipt = Receipt {
                        hash: hash.clone(),
                        mime: mime.clone(),
                        size: *size,
                        name: name.clone(),
                        thumb: thumb.clone(),
                    };
                    self.attached.push((*expense, receipt));
                }
                true
            }
            EventBody::ReceiptRemoved { expense, hash } => {
                self.removed.push((*expense, hash.clone()));
                true
            }
            _ => false,
        }
    }

    /// Sets the receipts of the expenses in `s`.
    pub(crate) fn finish(&self, s: &mut State) {
        for (expense, r) in &self.attached {
            if let Some(e) = s
                .expenses
                .get_mut(expense)
                .filter(|_| !self.is_removed(expense, r))
            {
                e.receipts.push(r.clone());
            }
        }
    }

    /// The receipts `finish` sets on `expense`, in the order it sets them.
    pub(crate) fn of(&self, expense: EventId) -> impl Iterator<Item = &Receipt> {
        self.attached
            .iter()
            .filter(move |(e, r)| *e == expense && !self.is_removed(e, r))
            .map(|(_, r)| r)
    }

    fn is_removed(&self, expense: &EventId, r: &Receipt) -> bool {
        self.removed
            .iter()
            .any(|(e, h)| e == expense && *h == r.hash)
    }
}

/// Checks a receipt event's fields (`bounds::check_body`).
pub(crate) fn check_body(body: &EventBody) -> Result<(), &'static str> {
    match body {
        EventBody::ReceiptAttached {
            hash,
            mime,
            size,
            name,
            thumb,
            ..
        } => check(&Receipt {
            hash: hash.clone(),
            mime: mime.clone(),
            size: *size,
            name: name.clone(),
            thumb: thumb.clone(),
        }),
        EventBody::ReceiptRemoved { hash, .. } | EventBody::ReceiptWanted { hash }
            if !is_hash(hash) =>
        {
            Err("a receipt whose hash is not a SHA-256")
        }
        _ => Ok(()),
    }
}
