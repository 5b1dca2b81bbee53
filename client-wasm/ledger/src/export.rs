//! Export and import: CSV of the expenses (for spreadsheets), JSON of the whole event
//! log (a backup any device can merge: importing twice changes nothing).

use serde::{Deserialize, Serialize};

use crate::money::currency_exponent;
use crate::views::{Filter, filtered};
use crate::{Error, Event, Ledger, MergeReport, State};

/// The JSON export's format name.
pub const FORMAT: &str = "gfms-ledger";

#[derive(Serialize, Deserialize)]
struct Export {
    format: String,
    version: u32,
    events: Vec<Event>,
}

/// The whole event log as JSON.
pub fn export_json(ledger: &Ledger) -> String {
    let export = Export {
        format: FORMAT.into(),
        version: 1,
        events: ledger.events().cloned().collect(),
    };
    serde_json::to_string_pretty(&export).unwrap_or_default()
}

/// Merges a JSON export into `ledger`, by event id.
pub fn import_json(ledger: &mut Ledger, json: &str) -> Result<MergeReport, Error> {
    let export: Export = serde_json::from_str(json).map_err(|e| Error::BadImport(e.to_string()))?;
    if export.format != FORMAT {
        return Err(Error::BadImport(format!(
            "format is {:?}, expected {FORMAT:?}",
            export.format
        )));
    }
    Ok(ledger.merge(export.events))
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
        assert_eq!(
            import_json(
                &mut l,
                r#"{"format":"gfms-ledger","version":1,"events":[]}"#
            )
            .unwrap()
            .added,
            0
        );
    }
}
