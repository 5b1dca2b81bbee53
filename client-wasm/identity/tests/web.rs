//! Member keys in real browser engines (headless Chromium, WebKit): the OS generator
//! through `crypto.getRandomValues`, and the same bytes as the native vectors.
#![cfg(target_arch = "wasm32")]

use gfms_identity::{
    DeviceKeys, EpochSecret, Error, GroupContext, MemberCard, ReceiptClaim, SealedEpochSecret,
    SignedEvent, seal_epoch_secret, seal_epoch_secret_with_ephemeral,
};
use serde_json::Value;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const EVENT_SIGNED: &str = include_str!("../../../tests/vectors/identity/event-signed.json");
const EPOCH_SEALED: &str = include_str!("../../../tests/vectors/identity/epoch-sealed.json");

fn field<const N: usize>(v: &Value, key: &str) -> [u8; N] {
    hex::decode(v[key].as_str().unwrap())
        .unwrap()
        .try_into()
        .unwrap()
}

fn keys(v: &Value) -> DeviceKeys {
    DeviceKeys::from_secrets(&field(v, "ed25519_seed"), &field(v, "x25519_secret")).unwrap()
}

#[wasm_bindgen_test]
fn fresh_keys_sign_receipt_and_open_in_the_browser() {
    let context = GroupContext::derive(&[5; 32]);
    let (bob, carol) = (
        DeviceKeys::generate().unwrap(),
        DeviceKeys::generate().unwrap(),
    );
    assert_ne!(bob.card(), carol.card());
    let signed = bob.sign_event(&context, &[0xb0; 16], "{\"v\":1}");
    assert_eq!(
        signed.verify(&context, &[0xb0; 16], bob.card()),
        Ok("{\"v\":1}")
    );
    assert_eq!(
        signed.verify(&context, &[0xb0; 16], carol.card()),
        Err(Error::BadSignature)
    );
    let claim = ReceiptClaim::new([1; 16], b"sealed", [2; 16], [0xb0; 16]);
    let receipt = bob.sign_receipt(&context, &claim);
    assert_eq!(receipt.verify(&context, &claim, bob.card()), Ok(()));
    let secret = EpochSecret::generate().unwrap();
    let sealed = seal_epoch_secret(&secret, &context, 1, &[([0xb0; 16], *bob.card())]).unwrap();
    let opened = SealedEpochSecret::open_mine(&sealed, &[0xb0; 16], &bob, &context, 1).unwrap();
    assert_eq!(opened, secret);
    assert_eq!(
        SealedEpochSecret::open_mine(&sealed, &[0xc0; 16], &carol, &context, 1)
            .map(|s| s.to_bytes()),
        Err(Error::NotARecipient)
    );
}

#[wasm_bindgen_test]
fn vectors_give_the_same_bytes_in_the_browser() {
    let v: Value = serde_json::from_str(EVENT_SIGNED).unwrap();
    let context = GroupContext::from_bytes(field(&v, "context"));
    let author = field(&v, "signer_id");
    let again = keys(&v["signer"]).sign_event(&context, &author, v["event_text"].as_str().unwrap());
    assert_eq!(again.to_json(), v["envelope"].as_str().unwrap());
    let card = MemberCard::from_json(v["author_card_json"].as_str().unwrap()).unwrap();
    let envelope = SignedEvent::from_json(v["envelope"].as_str().unwrap()).unwrap();
    assert!(envelope.verify(&context, &author, &card).is_ok());

    let v: Value = serde_json::from_str(EPOCH_SEALED).unwrap();
    let context = GroupContext::from_bytes(field(&v, "context"));
    let epoch = v["epoch"].as_u64().unwrap();
    let recipients: Vec<_> = v["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                field(r, "member"),
                MemberCard::from_json(r["card_json"].as_str().unwrap()).unwrap(),
            )
        })
        .collect();
    let ikm: Vec<[u8; 32]> = v["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| field(r, "ikm_e"))
        .collect();
    let secret = EpochSecret::from_bytes(field(&v, "secret"));
    let sealed =
        seal_epoch_secret_with_ephemeral(&secret, &context, epoch, &recipients, &ikm).unwrap();
    assert_eq!(
        serde_json::to_string(&sealed).unwrap(),
        v["sealed_json"].as_str().unwrap()
    );
    let opened = SealedEpochSecret::open_mine(
        &sealed,
        &field(&v, "opener_id"),
        &keys(&v["opener"]),
        &context,
        epoch,
    )
    .unwrap();
    assert_eq!(opened, secret);
}
