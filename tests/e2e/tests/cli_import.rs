//! `gfms import --from splitwise` against real relays: what Alice imports reaches Bob,
//! who joined before, as the same balances; a second import changes nothing anywhere.
//! Needs the binary built first (`make cli`; tests/run.sh does it).

use std::path::Path;

use gfms_e2e::Relays;
use gfms_e2e::cli::ok;
use serde_json::Value;

fn balances(state: &Path) -> Value {
    let v: Value = serde_json::from_str(&ok(state, &["balances", "--json"])).expect("JSON");
    v["balances"].clone()
}

#[test]
fn alice_imports_a_splitwise_group_and_bob_sees_the_same_balances() {
    let relays = Relays::start("import", 8920, 600, &["a", "b", "c"]);
    let base = gfms_e2e::root().join("target/e2e/import/state");
    let _ = std::fs::remove_dir_all(&base);
    let (alice, bob) = (base.join("alice"), base.join("bob"));
    let urls = relays.urls().join(",");
    let created = ok(
        &alice,
        &[
            "group", "create", "--name", "Lisbon", "--member", "Alice", "--relays", &urls,
        ],
    );
    let code = created.lines().last().expect("invite").trim().to_string();
    ok(&bob, &["group", "join", &code, "--member", "Bob"]);
    for dir in [&alice, &bob, &alice, &bob] {
        ok(dir, &["sync"]);
    }

    let file = gfms_e2e::root().join("tests/fixtures/import/splitwise-multi-currency.csv");
    let file = file.to_str().expect("path");
    let imported = ok(
        &alice,
        &[
            "import",
            "--from",
            "splitwise",
            file,
            "--rate",
            "USD=0.9",
            "--rate",
            "JPY=0.0062",
        ],
    );
    assert!(imported.contains("to the cent"), "{imported}");
    for dir in [&alice, &bob, &alice, &bob] {
        ok(dir, &["sync"]);
    }
    let seen = balances(&bob);
    assert_eq!(seen, balances(&alice));
    // Alice and Bob are the members of those names; Carol and Dominik arrived by name.
    assert_eq!(seen["Alice"], 7413, "{seen}");
    assert_eq!(seen["Bob"], 1353, "{seen}");
    assert_eq!(seen["Carol"], -12486, "{seen}");

    // Bob imports the same file on his phone: nothing new, nothing sent.
    let again = ok(
        &bob,
        &[
            "import",
            "--from",
            "splitwise",
            file,
            "--rate",
            "USD=0.9",
            "--rate",
            "JPY=0.0062",
        ],
    );
    assert!(again.contains("nothing new"), "{again}");
    for dir in [&bob, &alice] {
        ok(dir, &["sync"]);
    }
    assert_eq!(balances(&alice), seen);
}
