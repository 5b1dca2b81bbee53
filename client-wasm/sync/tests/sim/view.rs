//! The first screen (`gfms-view`) reads a saved state's ledger without the sync engine
//! or any key. Every state a simulated round saves — in every adversarial test that runs
//! rounds here (forging members, lying and replaying relays, removed members, crashes) —
//! must show there exactly what the client core shows: the same state and balances, or
//! a refusal that leaves the group to the core.

use gfms_ledger::balances;
use gfms_sync::Group;
use gfms_view::{Error, read_saved};

/// Checks the first screen against the core for `group`'s saved state.
pub fn assert_view_agrees(group: &mut Group) {
    let saved = group.save().expect("a saved state");
    let view = match read_saved(&saved) {
        Ok(v) => v,
        Err(Error::NeedsCore(_)) => return,
        Err(e) => panic!("the first screen cannot read a saved state: {e}"),
    };
    let shown = view.ledger.state();
    let core = group.state();
    assert_eq!(
        serde_json::to_value(&shown).expect("a state"),
        serde_json::to_value(core).expect("a state"),
        "the first screen's state differs from the core's"
    );
    assert_eq!(balances(&shown), balances(core), "balances differ");
    assert_eq!(view.me, group.me());
}
