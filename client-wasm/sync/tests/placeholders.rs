//! Placeholders (members added by name only) are never recipients of batches: no device
//! will ever fetch for them, so they must not hold completeness back.
#![cfg(not(target_arch = "wasm32"))]

use gfms_ledger::{GroupSettings, add_placeholder};
use gfms_sync::Group;

/// Hostile member: a member adds placeholders (people who will never install the app);
/// a device alone with them has no one to deliver to, rather than waiting forever.
#[test]
fn hostile_member_placeholders_never_block_completeness() {
    let settings = GroupSettings {
        name: "Flat".into(),
        currency: "EUR".into(),
        categories: vec![],
        accounts: vec![],
    };
    let relays = [
        "http://127.0.0.1:1".to_string(),
        "http://127.0.0.1:2".into(),
    ];
    let mut alice = Group::create(settings, "Alice", &relays, 2, 1_000).unwrap();
    assert!(alice.alone());
    for name in ["Bob", "Carol"] {
        let body = add_placeholder(alice.state(), name).unwrap();
        alice.append(body, 2_000).unwrap();
    }
    let placeholders = alice
        .state()
        .active_members()
        .filter(|(_, m)| m.placeholder)
        .count();
    assert_eq!(placeholders, 2);
    assert!(alice.alone(), "placeholders are not recipients");
}
