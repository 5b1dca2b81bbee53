//! The reports, from the JSON the core hands over.

use gfms_ledger::{Filter, Ledger, State, StoredEvent};
use serde::de::DeserializeOwned;

use crate::Error;

fn parse<T: DeserializeOwned>(json: &str, what: &'static str) -> Result<T, Error> {
    serde_json::from_str(json).map_err(|e| Error::BadArgument {
        what,
        detail: e.to_string(),
    })
}

/// Statistics (JSON) of the expenses in `state` (the core's state JSON) that pass
/// `filter` (JSON; `{}` passes everything).
pub fn statistics(state: &str, filter: &str) -> Result<String, Error> {
    let state: State = parse(state, "state")?;
    let filter: Filter = parse(filter, "filter")?;
    Ok(
        serde_json::to_string(&gfms_ledger::statistics(&state, &filter))
            .unwrap_or_else(|_| "{}".into()),
    )
}

/// The expenses and payments of `state` (the core's state JSON) as CSV, for spreadsheets
/// ([`crate::table`]).
pub fn export_csv(state: &str) -> Result<String, Error> {
    let state: State = parse(state, "state")?;
    Ok(crate::table::expenses_and_payments_csv(&state))
}

/// The JSON backup of the ledger whose `events` are given (a JSON array of each event's
/// exact stored text, as the core's `events()` hands them over): the file any device of
/// the group can import, naming its group, with events this version does not read kept
/// byte for byte.
pub fn export_json(events: &str) -> Result<String, Error> {
    let bad = |detail: String| Error::BadArgument {
        what: "events",
        detail,
    };
    let texts: Vec<String> = parse(events, "events")?;
    let stored = texts
        .into_iter()
        .map(|t| StoredEvent::from_text(t, None).map_err(|e| bad(e.to_string())))
        .collect::<Result<Vec<_>, _>>()?;
    gfms_ledger::export_json(&Ledger::from_stored(stored)).map_err(|e| bad(e.to_string()))
}
