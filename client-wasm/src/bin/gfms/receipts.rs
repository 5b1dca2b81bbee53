//! `gfms attach`, `gfms receipt` and `gfms show`: receipts on expenses. The bytes of
//! every receipt this device holds live in the state directory (`attachments/<hash>`):
//! the attaching device writes them at once, the others when a sync round completes
//! them.

use std::path::{Path, PathBuf};

use gfms_client::native::StateDir;
use gfms_ledger::{EventId, Receipt};
use gfms_sync::Group;

use crate::out::{say, write_bytes};
use crate::{Result, err, expense_id, now_ms};

/// The type of a receipt file, from its extension.
fn mime_of(file: &Path) -> Result<&'static str> {
    let ext = file
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    Ok(match ext.as_str() {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "webp" => "image/webp",
        "heic" => "image/heic",
        "pdf" => "application/pdf",
        _ => {
            return Err(format!(
                "{}: a receipt is a photo or a PDF (.jpg, .jpeg, .png, .webp, .heic, .pdf)",
                file.display()
            ));
        }
    })
}

/// Attaches `file` to an expense: its bytes are kept here and go out with the next sync.
pub fn attach(dir: &StateDir, expense: &str, file: &PathBuf, name: Option<String>) -> Result<()> {
    let mut group = dir.load().map_err(err)?;
    let id = expense_id(expense)?;
    let mime = mime_of(file)?;
    let bytes = std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let name = name.unwrap_or_else(|| {
        file.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    });
    let attached = group
        .attach_receipt(id, &bytes, mime, &name, None, now_ms())
        .map_err(err)?;
    dir.save_attachment(&attached.hash, &bytes).map_err(err)?;
    dir.save(&group).map_err(err)?;
    say!("{}", attached.hash);
    Ok(())
}

/// The receipts of an expense.
fn receipts_of(group: &mut Group, id: EventId) -> Result<Vec<Receipt>> {
    group
        .state()
        .expenses
        .get(&id)
        .map(|e| e.receipts.clone())
        .ok_or_else(|| format!("no expense {id}"))
}

/// Writes a receipt's bytes to `out` (or standard output): the first one, or `hash`;
/// with `request`, asks the other members to send a receipt not here again.
pub fn receipt(
    dir: &StateDir,
    expense: &str,
    hash: Option<String>,
    out: Option<PathBuf>,
    request: bool,
) -> Result<()> {
    let mut group = dir.load().map_err(err)?;
    let id = expense_id(expense)?;
    let receipts = receipts_of(&mut group, id)?;
    let r = match &hash {
        Some(h) => receipts.iter().find(|r| r.hash == *h),
        None => receipts.first(),
    }
    .ok_or_else(|| match &hash {
        Some(h) => format!("expense {id} has no receipt {h}"),
        None => format!("expense {id} has no receipt"),
    })?;
    let hash = r.hash.clone();
    let Some(bytes) = dir.attachment(&hash) else {
        if request {
            group.request_receipt(&hash, now_ms()).map_err(err)?;
            dir.save(&group).map_err(err)?;
            say!("asked the other members to send receipt {hash} again; run `gfms sync`");
            return Ok(());
        }
        return Err(format!(
            "receipt {:?} ({hash}) is not yet received from the relays; run `gfms sync` later \
             (or ask a member who has it to send it again: --request)",
            r.name
        ));
    };
    match out {
        Some(path) => {
            std::fs::write(&path, &bytes).map_err(|e| format!("{}: {e}", path.display()))?
        }
        None => write_bytes(&bytes),
    }
    Ok(())
}

/// An expense with its receipts, and whether each is here.
pub fn show(dir: &StateDir, expense: &str, json: bool) -> Result<()> {
    let mut group = dir.load().map_err(err)?;
    let id = expense_id(expense)?;
    let e = crate::recurring::on_today(&mut group)
        .expenses
        .get(&id)
        .cloned()
        .ok_or_else(|| format!("no expense {id}"))?;
    if json {
        say!("{}", serde_json::to_string(&e).map_err(err)?);
        return Ok(());
    }
    let title = if e.title.is_empty() {
        &e.shop
    } else {
        &e.title
    };
    say!(
        "{id}  {}  {title}  {} {}  {}",
        e.date,
        gfms_ledger::format_amount(e.amount, &e.currency),
        e.currency,
        e.category
    );
    if !e.note.is_empty() {
        say!("note: {}", e.note);
    }
    if e.receipts.is_empty() {
        say!("no receipts");
    }
    for r in &e.receipts {
        let here = if dir.attachment(&r.hash).is_some() {
            "here"
        } else {
            "not yet received from the relays"
        };
        say!(
            "receipt {:?}  {}  {} bytes  {}  ({here})",
            r.name,
            r.mime,
            r.size,
            r.hash
        );
    }
    Ok(())
}

/// After a round: the attachments it completed go to the state directory, then the
/// state is saved without them (a crash between the two writes them again next time);
/// receipts other members asked for that are here are queued to be sent again.
pub fn store_received(dir: &StateDir, group: &mut Group) -> Result<usize> {
    let hashes = group.take_received_blobs();
    let mut n = 0;
    for h in &hashes {
        if let Some(bytes) = group.received_blob(h) {
            dir.save_attachment(h, &bytes).map_err(err)?;
            n += 1;
        }
    }
    let mut resent = false;
    for h in group.wanted_receipts() {
        if let Some(bytes) = dir.attachment(&h) {
            group.resend_receipt(&h, &bytes, now_ms()).map_err(err)?;
            say!("receipt {h} asked for: sent again with the next sync");
            resent = true;
        }
    }
    if n > 0 || resent {
        dir.save(group).map_err(err)?;
    }
    Ok(n)
}
