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

/// The core's events as `events()` hands them over: each event's exact stored text and,
/// in the same order, its signature (member keys), or (before member keys) the bare
/// array of texts.
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum Events {
    Signed {
        events: Vec<String>,
        #[serde(default)]
        sigs: Vec<Option<String>>,
    },
    Texts(Vec<String>),
}

/// The JSON backup of the ledger whose `events` are given (`{"events": [each event's
/// exact stored text], "sigs": [its signature or null]}`, as the core's `events()` hands
/// them over; a bare array of texts is read as unsigned events): the file any device of
/// the group can import, naming its group, with events this version does not read kept
/// byte for byte and every signature, so the importing device verifies them as it
/// verifies events that arrive.
pub fn export_json(events: &str) -> Result<String, Error> {
    let bad = |detail: String| Error::BadArgument {
        what: "events",
        detail,
    };
    let (texts, sigs) = match parse(events, "events")? {
        Events::Signed { events, sigs } => (events, sigs),
        Events::Texts(texts) => (texts, Vec::new()),
    };
    let mut sigs = sigs.into_iter();
    let stored = texts
        .into_iter()
        .map(|t| StoredEvent::from_text(t, sigs.next().flatten()).map_err(|e| bad(e.to_string())))
        .collect::<Result<Vec<_>, _>>()?;
    gfms_ledger::export_json(&Ledger::from_stored(stored)).map_err(|e| bad(e.to_string()))
}
