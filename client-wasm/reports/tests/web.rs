//! The reports module in a real browser engine (headless Chromium, WebKit): what the app
//! calls through wasm-bindgen, and the JS errors with a code it gets on bad input.
#![cfg(target_arch = "wasm32")]

use gfms_reports::wasm::{export_csv, export_json, statistics};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const MEMBER: &str = "01010101010101010101010101010101";

fn state() -> String {
    format!(
        r#"{{"settings":{{"name":"Flat","currency":"EUR","categories":[],"accounts":[]}},
        "members":{{"{MEMBER}":{{"name":"Alice","status":"active"}}}},
        "expenses":{{"0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b":{{"amount":1250,"currency":"EUR",
        "category":"Groceries","shop":"Bakery","account":"Card","payers":[["{MEMBER}",1250]],
        "split":{{"kind":"equal","members":["{MEMBER}"]}},"date":"2026-01-05","note":""}}}},
        "settlements":{{}},"relays":null}}"#
    )
}

fn code(e: &JsValue) -> Option<String> {
    js_sys::Reflect::get(e, &JsValue::from_str("code"))
        .ok()?
        .as_string()
}

#[wasm_bindgen_test]
fn statistics_and_csv_come_from_the_state_json() {
    let stats = statistics(&state(), "{}").expect("statistics");
    assert!(stats.contains(r#""total":1250"#), "{stats}");
    assert!(stats.contains(r#""2026-01":1250"#), "{stats}");
    let csv = export_csv(&state()).expect("csv");
    assert_eq!(csv.lines().count(), 2, "{csv}");
    assert!(
        csv.contains("Bakery") && csv.contains("Alice 12.50"),
        "{csv}"
    );
}

#[wasm_bindgen_test]
fn an_empty_ledger_backs_up_to_an_importable_file() {
    let backup = export_json("[]").expect("backup");
    assert!(backup.contains(r#""format": "gfms-ledger""#), "{backup}");
}

/// Hostile input: garbage gets a JS Error with a code, never a trap that would take the
/// module down under the app.
#[wasm_bindgen_test]
fn hostile_input_gets_a_js_error_with_a_code() {
    for e in [
        statistics("{", "{}").unwrap_err(),
        statistics(&state(), "[1]").unwrap_err(),
        export_csv("null").unwrap_err(),
        export_json(r#"[{"v":"x"}]"#).unwrap_err(),
    ] {
        assert_eq!(code(&e).as_deref(), Some("bad_argument"));
    }
    // and the module still answers afterwards
    assert!(statistics(&state(), "{}").is_ok());
}
