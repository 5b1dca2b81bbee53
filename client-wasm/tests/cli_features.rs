//! The `gfms` CLI's features people switch apps for, on one device (no relay needed):
//! people added by name, several payers, income, itemized bills with a tip, and a
//! payment of any amount between two members.
#![cfg(all(feature = "cli", not(target_arch = "wasm32")))]

mod common;

use common::{fails, offline_group, ok};
use std::path::{Path, PathBuf};

/// A trip of Alice, Bob and Carol on one device.
fn trip(tag: &str) -> PathBuf {
    offline_group("features", tag, "Trip", &["--with", "Bob,Carol"])
}

fn balances(state: &Path) -> serde_json::Value {
    serde_json::from_str::<serde_json::Value>(&ok(state, &["balances", "--json"])).unwrap()
        ["balances"]
        .clone()
}

#[test]
fn people_by_name_several_payers_income_a_bill_and_a_payment() {
    let state = trip("all");
    let members: serde_json::Value =
        serde_json::from_str(&ok(&state, &["members", "--json"])).unwrap();
    let by_name: Vec<(String, bool)> = members
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["name"].as_str().unwrap().to_string(),
                m["placeholder"].as_bool().unwrap(),
            )
        })
        .collect();
    assert!(by_name.contains(&("Bob".into(), true)));
    assert!(by_name.contains(&("Alice".into(), false)));

    // Dinner: 30 shared by three, paid 20 by Alice and 10 by Bob.
    ok(
        &state,
        &["add", "--amount", "30", "--paid-by", "Alice=20,Bob=10"],
    );
    let b = balances(&state);
    assert_eq!(
        (b["Alice"].as_i64(), b["Bob"].as_i64(), b["Carol"].as_i64()),
        (Some(1000), Some(0), Some(-1000))
    );

    // The deposit back, 90, received by Bob: he owes the others their 30 each.
    ok(
        &state,
        &[
            "income",
            "--amount",
            "90",
            "--paid-by",
            "Bob",
            "--shop",
            "Deposit",
        ],
    );
    let b = balances(&state);
    assert_eq!(
        (b["Alice"].as_i64(), b["Bob"].as_i64(), b["Carol"].as_i64()),
        (Some(4000), Some(-6000), Some(2000))
    );

    // A restaurant bill: Carol had the salad, and her part of the 10 % tip.
    ok(
        &state,
        &[
            "add",
            "--item",
            "Pizza=12.50:Alice,Bob",
            "--item",
            "Salad=8.99:Carol",
            "--tip",
            "10%",
        ],
    );
    let b = balances(&state);
    assert_eq!(b["Carol"].as_i64(), Some(2000 - 899 - 90));

    // Bob pays Alice 10 in cash: any amount, not only the plan's.
    ok(
        &state,
        &["pay", "--from", "Bob", "--to", "Alice", "--amount", "10"],
    );
    let after = balances(&state);
    assert_eq!(
        after["Bob"].as_i64().unwrap(),
        b["Bob"].as_i64().unwrap() + 1000
    );
    let sum: i64 = after
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_i64().unwrap())
        .sum();
    assert_eq!(sum, 0);

    // The dinner was 36, not 30: the two payers' parts follow (24 and 12).
    let list: serde_json::Value = serde_json::from_str(&ok(&state, &["list", "--json"])).unwrap();
    let dinner = list
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["amount"].as_i64() == Some(3000))
        .unwrap();
    ok(
        &state,
        &["edit", dinner["id"].as_str().unwrap(), "--amount", "36"],
    );
    let list = ok(&state, &["list", "--json"]);
    assert!(
        list.contains("\"amount\": 2400") || list.contains("\"amount\":2400"),
        "{list}"
    );
    assert!(
        list.contains("\"income\""),
        "income is shown as such: {list}"
    );
    let _ = std::fs::remove_dir_all(&state);
}

/// Hostile input: payers that do not add up, a payment to oneself or negative, a tip
/// without items, income given as negative, and too many items are refused with a clear
/// message, and nothing is recorded.
#[test]
fn hostile_member_input_is_refused_with_the_reason() {
    let state = trip("refused");
    let short = fails(
        &state,
        &["add", "--amount", "30", "--paid-by", "Alice=20,Bob=5"],
    );
    assert!(
        short.contains("25.00, 5.00 short of the amount 30.00"),
        "{short}"
    );
    let over = fails(
        &state,
        &["add", "--amount", "30", "--paid-by", "Alice=20,Bob=15"],
    );
    assert!(over.contains("5.00 over"), "{over}");
    assert!(
        fails(
            &state,
            &["pay", "--from", "Bob", "--to", "Bob", "--amount", "10"]
        )
        .contains("gfms:")
    );
    assert!(
        fails(
            &state,
            &["pay", "--from", "Bob", "--to", "Alice", "--amount=-10"]
        )
        .contains("gfms:")
    );
    assert!(fails(&state, &["income", "--amount", "-5"]).contains("positive"));
    assert!(fails(&state, &["add", "--amount", "5", "--tip", "10%"]).contains("--item"));
    let mut many = vec!["add".to_string()];
    for i in 0..600 {
        many.push("--item".into());
        many.push(format!("i{i}=0.01"));
    }
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    assert!(fails(&state, &many).contains("at most 500 items"));
    let b = balances(&state);
    assert!(
        b.as_object()
            .unwrap()
            .values()
            .all(|v| v.as_i64() == Some(0))
    );
    let _ = std::fs::remove_dir_all(&state);
}

#[test]
fn a_name_added_later_can_be_claimed() {
    let state = trip("claim");
    ok(&state, &["member", "add", "Dan"]);
    ok(
        &state,
        &[
            "add",
            "--amount",
            "40",
            "--paid-by",
            "Dan",
            "--split",
            "equal:Dan,Alice",
        ],
    );
    // This device is Alice's: claiming Dan makes his history hers.
    ok(&state, &["member", "claim", "Dan"]);
    let b = balances(&state);
    assert_eq!(b["Alice"].as_i64(), Some(0));
    assert!(fails(&state, &["member", "claim", "Dan"]).contains("no unclaimed"));
    let _ = std::fs::remove_dir_all(&state);
}

#[test]
fn a_deleted_expense_comes_back_and_the_history_says_who_did_what() {
    let state = trip("history");
    let id = ok(&state, &["add", "--amount", "12", "--shop", "Bakery"]);
    let id = id.trim();
    ok(&state, &["edit", id, "--note", "croissants"]);
    ok(&state, &["delete", id]);
    assert!(!ok(&state, &["list"]).contains(id));
    ok(&state, &["restore", id]);
    assert!(ok(&state, &["list"]).contains(id));
    let h: serde_json::Value =
        serde_json::from_str(&ok(&state, &["history", id, "--json"])).unwrap();
    let actions: Vec<&str> = h
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["created", "edited", "deleted", "edited"]);
    assert_eq!(h[1]["changed"], serde_json::json!(["note"]));
    assert_eq!(h[0]["author"], "Alice");
    let feed = ok(&state, &["history", "--member", "Alice"]);
    assert_eq!(feed.lines().count(), 4, "{feed}");
    let _ = std::fs::remove_dir_all(&state);
}

/// Hostile input: a payment "user name" that is a script URL is refused; a real one
/// shows in the plan as a link with the amount.
#[test]
fn hostile_member_pay_to_details_are_checked_and_the_plan_links_them() {
    let state = trip("payto");
    assert!(
        fails(
            &state,
            &["member", "pay-to", "--paypal", "javascript:alert(1)"]
        )
        .contains("invalid payment details")
    );
    assert!(
        fails(
            &state,
            &["member", "pay-to", "--iban", "DE89370400440532013001"]
        )
        .contains("IBAN")
    );
    ok(
        &state,
        &[
            "member",
            "pay-to",
            "--paypal",
            "alice",
            "--iban",
            "DE89 3704 0044 0532 0130 00",
        ],
    );
    ok(&state, &["add", "--amount", "30"]);
    let plan = ok(&state, &["plan"]);
    assert!(plan.contains("https://paypal.me/alice/10.00EUR"), "{plan}");
    assert!(plan.contains("IBAN: DE89370400440532013000"), "{plan}");
    let _ = std::fs::remove_dir_all(&state);
}
