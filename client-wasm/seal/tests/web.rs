//! Sealing in real browser engines (headless Chromium, WebKit): keys, seal, robust open.
#![cfg(target_arch = "wasm32")]

use gfms_seal::{
    GroupKeys, GroupSecret, SharePart, combine, open, read_share, seal, split_for_relays,
};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn seal_and_open_survive_a_tampering_relay_in_the_browser() {
    let keys = GroupKeys::derive(&GroupSecret::generate().unwrap());
    let relays: Vec<_> = [
        "http://127.0.0.1:8787",
        "http://127.0.0.1:8788",
        "http://127.0.0.1:8789",
    ]
    .iter()
    .map(|u| keys.relay(u).unwrap())
    .collect();
    let sealed = seal(&keys, [1; 16], [2; 16], b"Groceries 23.10 EUR").unwrap();
    let shares = split_for_relays(&sealed, &relays, 2).unwrap();
    let mut parts: Vec<SharePart> = shares
        .iter()
        .map(|s| read_share(&relays[s.relay_index], &s.share_id, s.relay_index, &s.blob).unwrap())
        .collect();
    parts[0].y[3] ^= 1;
    let opened = open(&keys, combine(&parts).unwrap()).unwrap();
    assert_eq!(opened.plaintext, b"Groceries 23.10 EUR");
    assert_eq!(opened.bad_relays, vec![0]);
}

#[wasm_bindgen_test]
fn fresh_group_secrets_come_from_the_browser_csprng() {
    assert_ne!(
        GroupSecret::generate().unwrap().to_bytes(),
        GroupSecret::generate().unwrap().to_bytes()
    );
}
