//! `gfms import --from splitwise|tricount`: the fixture files into a group on one device
//! (no relay needed), importing twice, mapping people to members, and what a malformed
//! or hostile file does: nothing written, a message with the line, no panic.
#![cfg(all(feature = "cli", not(target_arch = "wasm32")))]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{fails, offline_group, ok};

fn fixture(name: &str) -> String {
    format!(
        "{}/../tests/fixtures/import/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// A trip of Alice (and `with`, comma-separated) in `currency`, on one device.
fn group(tag: &str, currency: &str, with: &str) -> PathBuf {
    let mut extra = vec!["--currency", currency];
    if !with.is_empty() {
        extra.extend(["--with", with]);
    }
    offline_group("import", tag, "Trip", &extra)
}

/// Every file in the state directory, to show a failed import wrote nothing.
fn snapshot(state: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    std::fs::read_dir(state)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| (p.clone(), std::fs::read(&p).unwrap()))
        .collect()
}

fn balances(state: &Path) -> serde_json::Value {
    serde_json::from_str::<serde_json::Value>(&ok(state, &["balances", "--json"])).unwrap()
        ["balances"]
        .clone()
}

fn members(state: &Path) -> Vec<(String, bool)> {
    let v: serde_json::Value = serde_json::from_str(&ok(state, &["members", "--json"])).unwrap();
    let mut out: Vec<(String, bool)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["name"].as_str().unwrap().to_string(),
                m["placeholder"].as_bool().unwrap_or(false),
            )
        })
        .collect();
    out.sort();
    out
}

/// Adversary: a user who imports the same file twice (or on two devices).
#[test]
fn importing_the_same_splitwise_file_twice_writes_it_once_and_matches_its_totals() {
    let state = group("twice", "EUR", "");
    let file = fixture("splitwise-several-payers.csv");
    let preview = ok(
        &state,
        &["import", "--from", "splitwise", &file, "--dry-run"],
    );
    assert!(
        preview.contains("dry run: nothing was written"),
        "{preview}"
    );
    assert!(preview.contains("a new placeholder"), "{preview}");
    assert!(preview.contains("to the cent"), "{preview}");
    assert_eq!(members(&state), vec![("Alice".into(), false)]);

    let first = ok(&state, &["import", "--from", "splitwise", &file]);
    assert!(first.contains("check: every balance equals Splitwise's Total balance"));
    let after_first = balances(&state);
    let listed = ok(&state, &["list", "--json"]);

    let again = ok(&state, &["import", "--from", "splitwise", &file]);
    assert!(again.contains("nothing new"), "{again}");
    assert!(again.contains("new: 0 expenses, 0 payments"), "{again}");
    assert_eq!(balances(&state), after_first);
    assert_eq!(ok(&state, &["list", "--json"]), listed);
    // Alice is the member of that name; the others are placeholders, once each.
    let people = members(&state);
    assert!(people.iter().filter(|(_, p)| !p).count() == 1, "{people:?}");
    let names: Vec<&str> = people.iter().map(|(n, _)| n.as_str()).collect();
    let mut unique = names.clone();
    unique.dedup();
    assert_eq!(names, unique);
}

#[test]
fn a_multi_currency_file_needs_rates_and_then_balances_per_currency() {
    let state = group("rates", "EUR", "");
    let file = fixture("splitwise-multi-currency.csv");
    let before = snapshot(&state);
    let err = fails(&state, &["import", "--from", "splitwise", &file]);
    assert!(err.contains("need an exchange rate"), "{err}");
    assert!(err.contains("nothing was imported"), "{err}");
    assert_eq!(snapshot(&state), before);

    let out = ok(
        &state,
        &[
            "import",
            "--from",
            "splitwise",
            &file,
            "--rate",
            "USD=0.9",
            "--rate",
            "JPY=0.0062",
        ],
    );
    assert!(out.contains("JPY: "), "{out}");
    assert!(out.contains("to the cent"), "{out}");
    // The Splitwise-shaped export reads back with the same totals.
    let csv = ok(&state, &["export", "--format", "splitwise"]);
    assert!(csv.contains("Total balance, , ,EUR"), "{csv}");
    assert!(csv.contains("100.83"), "{csv}");
}

#[test]
fn people_in_the_file_map_to_members_the_user_names() {
    let state = group("mapping", "EUR", "Robert");
    let file = fixture("splitwise-several-payers.csv");
    let header = std::fs::read_to_string(&file).unwrap();
    let second = header
        .lines()
        .next()
        .unwrap()
        .split(',')
        .nth(6)
        .unwrap()
        .to_string();
    let out = ok(
        &state,
        &[
            "import",
            "--from",
            "splitwise",
            &file,
            "--as",
            &format!("{second}=Robert"),
        ],
    );
    assert!(out.contains("the member you named"), "{out}");
    assert!(!members(&state).iter().any(|(n, _)| *n == second));

    let err = fails(
        &state,
        &[
            "import",
            "--from",
            "splitwise",
            &file,
            "--as",
            "Nobody=Robert",
        ],
    );
    assert!(err.contains("nobody called"), "{err}");
}

/// Adversary: a broken export. One bad row anywhere means nothing is written, and the
/// message names the line.
#[test]
fn a_malformed_row_writes_nothing_and_names_its_line() {
    let state = group("malformed", "EUR", "");
    let before = snapshot(&state);
    for (file, line) in [
        ("splitwise-malformed-sum.csv", "line 4"),
        ("splitwise-malformed-amount.csv", "line "),
        ("splitwise-malformed-latin1.csv", "line "),
    ] {
        let err = fails(&state, &["import", "--from", "splitwise", &fixture(file)]);
        assert!(err.contains(line), "{file}: {err}");
        assert!(err.contains("nothing was imported"), "{file}: {err}");
        assert_eq!(snapshot(&state), before, "{file}");
    }
    for file in [
        "tricount-malformed-sum.csv",
        "tricount-malformed-member.csv",
    ] {
        let err = fails(&state, &["import", "--from", "tricount", &fixture(file)]);
        assert!(err.contains("line "), "{file}: {err}");
        assert_eq!(snapshot(&state), before, "{file}");
    }
}

#[test]
fn a_tricount_trip_arrives_with_its_income_as_income() {
    let state = group("tricount", "EUR", "");
    let out = ok(
        &state,
        &[
            "import",
            "--from",
            "tricount",
            &fixture("tricount-trip.csv"),
        ],
    );
    assert!(out.contains("to the cent"), "{out}");
    let list: serde_json::Value = serde_json::from_str(&ok(&state, &["list", "--json"])).unwrap();
    let deposit = list
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e.to_string().contains("Deposit back"))
        .unwrap_or_else(|| panic!("{list}"));
    assert!(deposit.to_string().contains("\"income\""), "{deposit}");
}

fn write(tag: &str, text: &str) -> String {
    let path = std::env::temp_dir().join(format!("gfms-import-{tag}-{}.csv", std::process::id()));
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// Adversary: a hostile file. Formula cells and bidi or control characters in names
/// import as text, shown escaped in the preview and neutralised in the export.
#[test]
fn hostile_names_import_as_text_and_never_reorder_the_preview() {
    let state = group("hostile", "EUR", "");
    let file = write(
        "hostile",
        "Date,Description,Category,Cost,Currency,Alice,\u{202e}nimdA\u{202c},=cmd|' /C calc'!A0,Bell\u{7}Bob\n\
         2024-05-01,@SUM(A1),General,30.00,EUR,-10.00,20.00,-5.00,-5.00\n",
    );
    let out = ok(&state, &["import", "--from", "splitwise", &file]);
    assert!(!out.contains('\u{202e}') && !out.contains('\u{7}'), "{out}");
    assert!(out.contains("\\u{202e}"), "{out}");
    let csv = ok(&state, &["export", "--format", "splitwise"]);
    assert!(csv.contains("'=cmd"), "{csv}");
    assert!(csv.contains("'@SUM(A1)"), "{csv}");
}

/// Adversary: a hostile file. 100,000 rows and an amount past what GFMS records are
/// refused with a clear message, nothing written, no panic.
#[test]
fn a_huge_file_or_amount_is_refused_clearly() {
    let state = group("huge", "EUR", "");
    let before = snapshot(&state);
    let mut rows = String::from("Date,Description,Category,Cost,Currency,Alice,Bob\n");
    for _ in 0..100_000 {
        rows.push_str("2024-03-01,Coffee,Food,2.00,EUR,1.00,-1.00\n");
    }
    let err = fails(
        &state,
        &["import", "--from", "splitwise", &write("rows", &rows)],
    );
    assert!(err.contains("at most 10000"), "{err}");
    assert_eq!(snapshot(&state), before);

    let err = fails(
        &state,
        &[
            "import",
            "--from",
            "splitwise",
            &write(
                "amount",
                "Date,Description,Category,Cost,Currency,Alice,Bob\n\
                 2024-03-01,Yacht,Fun,900000000000000000.00,EUR,900000000000000000.00,-900000000000000000.00\n",
            ),
        ],
    );
    assert!(err.contains("line 2"), "{err}");
    assert_eq!(snapshot(&state), before);
}
