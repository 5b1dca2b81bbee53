//! Across groups (the app's home view): what each person owes or is owed over all the
//! groups on one device, per currency. People are matched across groups only by links
//! the user confirmed ("Bob in Flat is Bob in Ski trip"), never by name.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{MemberId, State, balance_sheet};

/// "This member of that group is this person", as the user confirmed it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonLink {
    /// Index of the group in the list given to [`totals_across`].
    pub group: usize,
    /// The member in that group.
    pub member: MemberId,
    /// The person, as the app names them (a local label, not in any ledger).
    pub person: String,
}

/// Each linked person's balance summed over the groups, per currency (each group's
/// balances are in its own currency and are never converted here): positive, the
/// groups owe them; negative, they owe. A member linked twice in one group counts
/// once; a link to a group or member that does not exist is ignored. Sums saturate
/// rather than wrap.
pub fn totals_across(
    groups: &[&State],
    links: &[PersonLink],
) -> BTreeMap<String, BTreeMap<String, i64>> {
    let sheets: Vec<_> = groups.iter().map(|s| balance_sheet(s)).collect();
    let mut seen = std::collections::BTreeSet::new();
    let mut out: BTreeMap<String, BTreeMap<String, i64>> = BTreeMap::new();
    for link in links {
        if !seen.insert((link.group, link.member)) {
            continue;
        }
        let (Some(state), Some(sheet)) = (groups.get(link.group), sheets.get(link.group)) else {
            continue;
        };
        let (Some(settings), Some(balance)) = (&state.settings, sheet.balances.get(&link.member))
        else {
            continue;
        };
        let total = out
            .entry(link.person.clone())
            .or_default()
            .entry(settings.currency.clone())
            .or_insert(0);
        *total = total.saturating_add(*balance);
    }
    out
}
