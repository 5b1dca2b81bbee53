//! The import fixtures (`tests/fixtures/import/`, listed with what each expects in
//! `cases.json`): every good file imports with its balances checked to the minor unit;
//! every malformed one is refused with the line that is wrong.
#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;

use gfms_import::{Import, Options, parse, parse_splitwise, parse_tricount};
use serde_json::Value;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/import")
}

fn cases() -> Vec<Value> {
    let text = std::fs::read_to_string(dir().join("cases.json")).expect("cases.json");
    let json: Value = serde_json::from_str(&text).expect("cases.json is JSON");
    json["cases"].as_array().expect("a list of cases").clone()
}

fn run(case: &Value) -> (String, Result<Import, gfms_import::Error>) {
    let file = case["file"].as_str().expect("file");
    let bytes = std::fs::read(dir().join(file)).expect("fixture file");
    let options = Options::default();
    let result = match case["source"].as_str() {
        Some("splitwise") => parse_splitwise(&bytes, &options),
        Some("tricount") => parse_tricount(&bytes, &options),
        other => panic!("{file}: unknown source {other:?}"),
    };
    // Telling the formats apart gives the same answer.
    assert_eq!(parse(&bytes, &options), result, "{file}: parse() disagrees");
    (file.to_owned(), result)
}

#[test]
fn every_fixture_imports_as_its_case_says() {
    let cases = cases();
    assert!(cases.len() >= 10);
    for case in &cases {
        let (file, result) = run(case);
        let expect = &case["expect"];
        if let Some(code) = expect["error"].as_str() {
            let err = result.expect_err(&file);
            assert_eq!(err.code(), code, "{file}: {err}");
            assert_eq!(err.line(), expect["line"].as_u64(), "{file}: {err}");
            assert!(
                err.to_string()
                    .starts_with(&format!("line {}", expect["line"])),
                "{file}: the message names the line: {err}"
            );
            continue;
        }
        let import = result.unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(
            import.is_balanced(),
            "{file}: {:?}\nexpected {:?}\nrebuilt {:?}",
            import.differences,
            import.balances_expected,
            import.balances_rebuilt
        );
        let members: Vec<&str> = expect["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m.as_str().unwrap())
            .collect();
        assert_eq!(import.members, members, "{file}");
        assert_eq!(
            import.expenses.len() as u64,
            expect["expenses"].as_u64().unwrap(),
            "{file}"
        );
        assert_eq!(
            import.transfers.len() as u64,
            expect["transfers"].as_u64().unwrap(),
            "{file}"
        );
        let balances: serde_json::Map<String, Value> =
            expect["balances"].as_object().unwrap().clone();
        assert_eq!(
            serde_json::to_value(&import.balances_expected).unwrap(),
            Value::Object(balances),
            "{file}"
        );
        if let Some(group) = expect["group_currency"].as_str() {
            assert_eq!(import.group_currency.as_deref(), Some(group), "{file}");
            assert_eq!(
                import.currencies[0], group,
                "{file}: the group's currency comes first"
            );
        }
        for (currency, rate) in expect["rates"].as_object().into_iter().flatten() {
            let want = (rate[0].as_i64().unwrap(), rate[1].as_i64().unwrap());
            for e in import.expenses.iter().filter(|e| &e.currency == currency) {
                let r = e
                    .rate
                    .unwrap_or_else(|| panic!("{file}: no rate for {currency}"));
                assert_eq!((r.numerator, r.denominator), want, "{file}: {currency}");
            }
        }
        // Every rebuilt expense is a valid ledger expense: payers and parts add up.
        for e in &import.expenses {
            assert_eq!(
                e.payers.iter().map(|p| p.1).sum::<i64>(),
                e.amount,
                "{file}: {e:?}"
            );
            assert_eq!(
                e.parts.iter().map(|p| p.1).sum::<i64>(),
                e.amount,
                "{file}: {e:?}"
            );
        }
    }
}

#[test]
fn tricount_foreign_rows_convert_to_what_tricount_showed() {
    let case = cases()
        .into_iter()
        .find(|c| c["file"] == "tricount-trip.csv")
        .unwrap();
    let import = run(&case).1.unwrap();
    for e in import.expenses.iter().filter(|e| e.currency != "EUR") {
        let converted = e.rate.unwrap().convert(e.amount);
        let shown = match e.currency.as_str() {
            "USD" => 11040,
            "JPY" => 2804,
            other => panic!("{other}"),
        };
        assert_eq!(converted, shown, "{e:?}");
    }
    let income = import
        .expenses
        .iter()
        .find(|e| e.title == "Deposit back")
        .unwrap();
    assert_eq!(
        income.amount, -3000,
        "an income is money received: a negative expense"
    );
}

#[test]
fn hostile_input_from_a_member_is_kept_as_plain_text() {
    let case = cases()
        .into_iter()
        .find(|c| c["file"] == "splitwise-hostile-text.csv")
        .unwrap();
    let import = run(&case).1.unwrap();
    let titles: Vec<&str> = import.expenses.iter().map(|e| e.title.as_str()).collect();
    assert_eq!(
        titles,
        ["-2+3", "\u{202e}gnp.exe\u{202c} Receipt", "line bell tab"]
    );
    assert_eq!(import.expenses[0].category, "@SUM(A1)");
    assert!(
        import
            .warnings
            .iter()
            .any(|w| w.kind == gfms_import::WarningKind::ControlCharacters && w.line == Some(4))
    );
}
