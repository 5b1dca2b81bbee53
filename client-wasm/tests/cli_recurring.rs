//! `gfms recurring` on one device (no relay needed): a monthly rent on the 31st, its
//! instances in the list and the balances, one instance edited or skipped, the series
//! changed from a day and stopped; hostile schedules refused with the reason. Per-field
//! edits: `gfms edit` sends only what changed, and `history` names a concurrent edit.
#![cfg(all(feature = "cli", not(target_arch = "wasm32")))]

mod common;

use common::{fails, json, offline_group, ok};
use std::path::PathBuf;

/// A flat of Alice and Bob on one device.
fn flat(tag: &str) -> PathBuf {
    offline_group("recurring", tag, "Flat", &["--with", "Bob"])
}

/// Rent on the 31st, three times, long past: three instances on each month's end, in
/// the list and the balances; one edited, one skipped, then a stop.
#[test]
fn rent_on_the_31st_is_listed_counted_edited_skipped_and_stopped() {
    let state = flat("rent");
    let series = ok(
        &state,
        &[
            "recurring",
            "add",
            "--every",
            "month",
            "--times",
            "3",
            "--date",
            "2025-01-31",
            "--amount",
            "800",
            "--category",
            "rent",
            "--split",
            "equal",
        ],
    );
    let series = series.trim();
    let list = json(&state, &["list", "--json"]);
    let rows = list.as_array().unwrap();
    let days: Vec<&str> = rows.iter().map(|r| r["date"].as_str().unwrap()).collect();
    assert_eq!(days, ["2025-03-31", "2025-02-28", "2025-01-31"]);
    assert!(rows.iter().all(|r| r["recurring"] == true));
    let b = json(&state, &["balances", "--json"]);
    assert_eq!(b["balances"]["Alice"], 120_000);
    assert_eq!(b["balances"]["Bob"], -120_000);
    let text = ok(&state, &["recurring", "list"]);
    assert!(
        text.contains("every month from 2025-01-31, 3 due, ended"),
        "{text}"
    );

    // February's own value; March skipped.
    let feb = rows[1]["id"].as_str().unwrap().to_string();
    let march = rows[0]["id"].as_str().unwrap().to_string();
    ok(
        &state,
        &["edit", &feb, "--amount", "400", "--note", "half month"],
    );
    ok(&state, &["delete", &march]);
    let list = json(&state, &["list", "--json"]);
    let rows: Vec<(&str, i64, &str)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["date"].as_str().unwrap(),
                r["amount"].as_i64().unwrap(),
                r["note"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("2025-02-28", 40_000, "half month"),
            ("2025-01-31", 80_000, "")
        ]
    );
    assert_eq!(
        json(&state, &["balances", "--json"])["balances"]["Alice"],
        60_000
    );
    ok(
        &state,
        &["recurring", "stop", series, "--from", "2025-02-01"],
    );
    let list = json(&state, &["list", "--json"]);
    assert_eq!(
        list.as_array().unwrap().len(),
        1,
        "only January before the stop"
    );
    let listed = json(&state, &["recurring", "list", "--json"]);
    assert_eq!(listed[0]["stopped_from"], "2025-02-01");
    let _ = std::fs::remove_dir_all(&state);
}

/// Hostile input from a member: every day a million times, an end before the start, a
/// day that is not one, and an unknown series are refused with the reason.
#[test]
fn hostile_member_schedules_that_cannot_work_are_refused_with_the_reason() {
    let state = flat("hostile");
    let add = |extra: &[&str]| {
        let mut args = vec!["recurring", "add", "--amount", "5"];
        args.extend_from_slice(extra);
        fails(&state, &args)
    };
    let e = add(&[
        "--every",
        "day",
        "--times",
        "1000000",
        "--date",
        "2025-01-01",
    ]);
    assert!(e.contains("1 to 3660 instances"), "{e}");
    let e = add(&[
        "--every",
        "week",
        "--date",
        "2025-01-01",
        "--until",
        "2024-01-01",
    ]);
    assert!(e.contains("before it starts"), "{e}");
    let e = add(&["--every", "month", "--date", "2025-02-30"]);
    assert!(e.contains("not a day"), "{e}");
    let e = fails(
        &state,
        &["recurring", "stop", "0190f0c0-0000-7000-8000-000000000001"],
    );
    assert!(
        e.contains("no such") || e.contains("not found") || e.contains("recurring series"),
        "{e}"
    );
    assert!(
        json(&state, &["list", "--json"])
            .as_array()
            .unwrap()
            .is_empty()
    );
    let _ = std::fs::remove_dir_all(&state);
}

/// `gfms edit` sends only the fields given: an amount alone keeps the exact parts in
/// proportion, and the note stays.
#[test]
fn edit_changes_only_the_fields_given_and_exact_parts_follow_the_amount() {
    let state = flat("edit");
    let id = ok(
        &state,
        &[
            "add",
            "--amount",
            "30",
            "--split",
            "exact:Alice=20,Bob=10",
            "--note",
            "keep me",
            "--date",
            "2025-05-01",
        ],
    );
    let id = id.trim();
    ok(&state, &["edit", id, "--amount", "45"]);
    let b = json(&state, &["balances", "--json"]);
    assert_eq!(b["balances"]["Bob"], -1500);
    let list = json(&state, &["list", "--json"]);
    assert_eq!(list[0]["note"], "keep me");
    let history = json(&state, &["history", id, "--json"]);
    assert_eq!(history[1]["changed"], serde_json::json!(["amount"]));
    let _ = std::fs::remove_dir_all(&state);
}
