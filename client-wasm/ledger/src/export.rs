//! Export and import: CSV of the expenses (for spreadsheets), JSON of the whole event
//! log (a backup any device can merge: importing twice changes nothing).

use serde::{Deserialize, Serialize};

use crate::money::currency_exponent;
use crate::views::{Filter, filtered};
use serde_json::value::RawValue;

use crate::{Error, EventId, Ledger, MergeReport, State, StoredEvent};

/// The JSON export's format name.
pub const FORMAT: &str = "gfms-ledger";

/// A backup as written: every event as its exact text (those this version does not read
/// included), the group it belongs to (the id of its `group_created` event), and each
/// event's signature (`sigs[i]` is `events[i]`'s, `null` for an unsigned one; left out
/// when no event is signed).
#[derive(Serialize)]
struct ExportOut<'a> {
    format: &'a str,
    version: u32,
    group: Option<String>,
    events: Vec<Box<RawValue>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sigs: Option<Vec<Option<&'a str>>>,
}

/// A backup as read (backups written before the `group` field have none, and those
/// before member keys no `sigs`).
#[derive(Deserialize)]
struct ExportIn {
    format: String,
    #[serde(default)]
    group: Option<String>,
    events: Vec<Box<RawValue>>,
    #[serde(default)]
    sigs: Vec<Option<String>>,
}

impl ExportIn {
    /// The events with their signatures.
    fn stored(self) -> Result<Vec<StoredEvent>, Error> {
        let mut sigs = self.sigs.into_iter();
        self.events
            .into_iter()
            .map(|raw| StoredEvent::from_text(raw.get().to_string(), sigs.next().flatten()))
            .collect()
    }
}

/// The whole event log as JSON, naming its group: events this version does not read are
/// written byte for byte as they were received, each with its signature.
pub fn export_json(ledger: &Ledger) -> Result<String, Error> {
    let events = ledger
        .stored()
        .map(|e| RawValue::from_string(e.text().to_string()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Error::BadEvent(e.to_string()))?;
    let sigs: Vec<Option<&str>> = ledger.stored().map(StoredEvent::signature).collect();
    let export = ExportOut {
        format: FORMAT,
        version: 1,
        group: ledger.group_id().map(|g| g.to_string()),
        events,
        sigs: sigs.iter().any(Option::is_some).then_some(sigs),
    };
    serde_json::to_string_pretty(&export).map_err(|e| Error::BadEvent(e.to_string()))
}

/// The events of a JSON backup of group `group` (the id of its `group_created` event).
/// A backup naming another group is refused; an old backup that names none is accepted
/// only if it holds this group's `group_created` event.
pub fn read_backup(json: &str, group: EventId) -> Result<Vec<StoredEvent>, Error> {
    let export: ExportIn =
        serde_json::from_slice(json.as_bytes()).map_err(|e| Error::BadImport(e.to_string()))?;
    if export.format != FORMAT {
        return Err(Error::BadImport(format!(
            "format is {:?}, expected {FORMAT:?}",
            export.format
        )));
    }
    let named_in_backup = export.group.clone();
    let events = export.stored()?;
    let named = match named_in_backup {
        Some(g) => Some(g),
        None => Ledger::from_stored(events.iter().cloned())
            .group_id()
            .map(|g| g.to_string()),
    };
    if named.as_deref() != Some(group.to_string().as_str()) {
        return Err(Error::WrongGroup {
            backup: named
                .unwrap_or_else(|| "unknown (the backup has no group-created event)".into()),
            ours: group.to_string(),
        });
    }
    Ok(events)
}

/// Merges a JSON backup into `ledger`, by event id: a backup of the group `ledger`
/// holds (see [`read_backup`]), or any backup into a ledger with no group yet.
pub fn import_json(ledger: &mut Ledger, json: &str) -> Result<MergeReport, Error> {
    let group = match ledger.group_id() {
        Some(g) => g,
        None => {
            // A ledger with no group yet takes the group the backup names.
            let export: ExportIn = serde_json::from_slice(json.as_bytes())
                .map_err(|e| Error::BadImport(e.to_string()))?;
            Ledger::from_stored(export.stored()?)
                .group_id()
                .ok_or(Error::NoGroup)?
        }
    };
    Ok(ledger.merge_stored(read_backup(json, group)?))
}

/// Minor units as a decimal string in their currency ("12.50", "-3.00", "1500").
pub fn format_amount(minor: i64, currency: &str) -> String {
    let digits = currency_exponent(currency);
    if digits == 0 {
        return minor.to_string();
    }
    let scale = 10u64.pow(digits);
    let abs = minor.unsigned_abs();
    let sign = if minor < 0 { "-" } else { "" };
    format!(
        "{sign}{}.{:0width$}",
        abs / scale,
        abs % scale,
        width = digits as usize
    )
}

/// A cell of text written by a member, safe to open in a spreadsheet: text that a
/// spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a
/// carriage return, OWASP's list) gets a leading apostrophe, so it shows as text. Only
/// cells holding members' words are treated: amounts are ours and stay numbers.
fn text_cell(text: &str) -> std::borrow::Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}").into(),
        _ => text.into(),
    }
}

/// The expenses as CSV (RFC 4180), newest first, with member names. Members' text is
/// neutralised against formula injection ([`text_cell`]).
pub fn export_csv(state: &State) -> String {
    let name = |m: &crate::MemberId| {
        state
            .members
            .get(m)
            .map_or_else(|| m.to_string(), |x| x.name.clone())
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "date",
        "shop",
        "category",
        "account",
        "amount",
        "currency",
        "paid by",
        "shared by",
        "note",
        "id",
    ]);
    for (id, e) in filtered(state, &Filter::default()) {
        let paid_by = e
            .payers
            .iter()
            .map(|(m, a)| format!("{} {}", name(m), format_amount(*a, &e.currency)))
            .collect::<Vec<_>>()
            .join("; ");
        let shared = crate::split_amount(e.amount, &e.split)
            .map(|parts| {
                parts
                    .iter()
                    .map(|(m, a)| format!("{} {}", name(m), format_amount(*a, &e.currency)))
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .unwrap_or_default();
        let _ = w.write_record([
            text_cell(&e.date).as_ref(),
            &text_cell(&e.shop),
            &text_cell(&e.category),
            &text_cell(&e.account),
            &format_amount(e.amount, &e.currency),
            &text_cell(&e.currency),
            &text_cell(&paid_by),
            &text_cell(&shared),
            &text_cell(&e.note),
            &id.to_string(),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_format_in_their_currency() {
        assert_eq!(format_amount(1250, "EUR"), "12.50");
        assert_eq!(format_amount(-5, "EUR"), "-0.05");
        assert_eq!(format_amount(1500, "JPY"), "1500");
        assert_eq!(format_amount(1234, "KWD"), "1.234");
    }

    #[test]
    fn imports_must_be_ledger_exports() {
        let mut l = Ledger::default();
        assert!(import_json(&mut l, "{}").is_err());
        assert!(import_json(&mut l, r#"{"format":"other","version":1,"events":[]}"#).is_err());
        // An empty backup names no group: nothing to import it into.
        assert_eq!(
            import_json(
                &mut l,
                r#"{"format":"gfms-ledger","version":1,"events":[]}"#
            ),
            Err(Error::NoGroup)
        );
    }
}
