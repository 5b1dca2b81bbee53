//! `tests/vectors/identity/*.json`: one case per file, readable by a second
//! implementation. Each file starts with `description`, `kind` (card, context, event,
//! receipt, epoch) and `expect` (`ok` or the error: `invalid_card`, `unsigned`,
//! `wrong_author`, `bad_signature`, `bad_receipt`, `epoch_secret_unreadable`,
//! `not_a_recipient`). Raw bytes are lowercase hex; wire forms (cards, envelopes,
//! sealed secrets) are given as the JSON text a device would send. Keys come from fixed
//! secrets and HPKE from fixed ephemeral `ikm_e`, so every output is reproducible: this
//! test checks each case's verdict and, where the file gives the signer's or sender's
//! secrets, that signing or sealing again gives exactly the bytes in the file.
//!
//! Regenerate (only when a format changes on purpose):
//! `GFMS_WRITE_VECTORS=1 cargo test -p gfms-identity --test vectors -- --ignored`
#![cfg(not(target_arch = "wasm32"))]

mod vector_cases;

use std::path::Path;

use gfms_identity::{
    DeviceKeys, EpochSecret, Error, GroupContext, MemberCard, Receipt, ReceiptClaim, SafetyCode,
    SealedEpochSecret, SignedEvent, event_message, seal_epoch_secret_with_ephemeral,
};
use serde_json::Value;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/vectors/identity");

fn text<'a>(case: &'a Value, key: &str) -> &'a str {
    case[key]
        .as_str()
        .unwrap_or_else(|| panic!("string field {key}"))
}

fn bytes(case: &Value, key: &str) -> Vec<u8> {
    hex::decode(text(case, key)).expect("hex")
}

fn array<const N: usize>(case: &Value, key: &str) -> [u8; N] {
    bytes(case, key).try_into().expect("length")
}

fn keys(case: &Value, key: &str) -> DeviceKeys {
    let k = &case[key];
    DeviceKeys::from_secrets(&array(k, "ed25519_seed"), &array(k, "x25519_secret")).expect("keys")
}

fn code(result: &Result<(), Error>) -> &'static str {
    match result {
        Ok(()) => "ok",
        Err(Error::InvalidCard) => "invalid_card",
        Err(Error::Unsigned) => "unsigned",
        Err(Error::WrongAuthor) => "wrong_author",
        Err(Error::BadSignature) => "bad_signature",
        Err(Error::BadReceipt) => "bad_receipt",
        Err(Error::EpochSecretUnreadable) => "epoch_secret_unreadable",
        Err(Error::NotARecipient) => "not_a_recipient",
        Err(Error::Malformed(_)) => "malformed",
        Err(Error::Rng) => "rng",
    }
}

fn check_card(case: &Value) -> Result<(), Error> {
    let card = MemberCard::from_json(text(case, "card_json"))?;
    assert_eq!(hex::encode(card.to_bytes()), text(case, "card_bytes"));
    if case.get("device").is_some() {
        assert_eq!(keys(case, "device").card(), &card, "card of the secrets");
    }
    if case.get("member_id").is_some() {
        assert_eq!(hex::encode(card.member_id()), text(case, "member_id"));
    }
    let code = SafetyCode::of(&card);
    assert_eq!(code.digits(), text(case, "safety_code_digits"));
    assert_eq!(hex::encode(code.qr_payload()), text(case, "safety_code_qr"));
    Ok(())
}

fn check_context(case: &Value) -> Result<(), Error> {
    let context = GroupContext::derive(&array(case, "first_secret"));
    assert_eq!(hex::encode(context.as_bytes()), text(case, "context"));
    Ok(())
}

fn check_event(case: &Value) -> Result<(), Error> {
    let context = GroupContext::from_bytes(array(case, "context"));
    let author = array(case, "claimed_author");
    let card: MemberCard = MemberCard::from_json(text(case, "author_card_json")).expect("card");
    let envelope = SignedEvent::from_json(text(case, "envelope"))?;
    if case.get("signer").is_some() {
        // Signing again gives the same envelope (Ed25519 is deterministic).
        let signer_id = array(case, "signer_id");
        let again = keys(case, "signer").sign_event(&context, &signer_id, text(case, "event_text"));
        assert_eq!(again.to_json(), text(case, "envelope"), "re-signed");
        let message = event_message(&context, &signer_id, text(case, "event_text"));
        assert_eq!(hex::encode(message), text(case, "message"));
    }
    let event = envelope.verify(&context, &author, &card)?;
    assert_eq!(event, text(case, "event_text"));
    Ok(())
}

fn claim(case: &Value) -> ReceiptClaim {
    let claim = ReceiptClaim::new(
        array(case, "batch"),
        &bytes(case, "sealed_batch"),
        array(case, "share"),
        array(case, "member"),
    );
    assert_eq!(
        hex::encode(claim.sealed_batch_sha256),
        text(case, "sealed_batch_sha256")
    );
    claim
}

fn check_receipt(case: &Value) -> Result<(), Error> {
    let context = GroupContext::from_bytes(array(case, "context"));
    let claim = claim(case);
    let card = MemberCard::from_json(text(case, "card_json")).expect("card");
    let receipt = Receipt::from_bytes(&bytes(case, "receipt"))?;
    if case.get("signer").is_some() {
        assert_eq!(hex::encode(claim.message(&context)), text(case, "message"));
        let again = keys(case, "signer").sign_receipt(&context, &claim);
        assert_eq!(again, receipt, "re-signed");
    }
    receipt.verify(&context, &claim, &card)
}

fn check_epoch(case: &Value) -> Result<(), Error> {
    let context = GroupContext::from_bytes(array(case, "context"));
    let epoch = case["epoch"].as_u64().expect("epoch");
    let sealed: Vec<SealedEpochSecret> =
        serde_json::from_str(text(case, "sealed_json")).expect("sealed list");
    if let Some(recipients) = case["recipients"].as_array() {
        // Sealing again with the same ephemeral keys gives the same list.
        let list: Vec<_> = recipients
            .iter()
            .map(|r| {
                let card = MemberCard::from_json(text(r, "card_json")).expect("card");
                (array(r, "member"), card)
            })
            .collect();
        let ikm: Vec<[u8; 32]> = recipients.iter().map(|r| array(r, "ikm_e")).collect();
        let secret = EpochSecret::from_bytes(array(case, "secret"));
        let again = seal_epoch_secret_with_ephemeral(&secret, &context, epoch, &list, &ikm)?;
        assert_eq!(
            serde_json::to_string(&again).unwrap(),
            text(case, "sealed_json")
        );
    }
    let opener = keys(case, "opener");
    let secret =
        SealedEpochSecret::open_mine(&sealed, &array(case, "opener_id"), &opener, &context, epoch)?;
    assert_eq!(hex::encode(secret.to_bytes()), text(case, "secret"));
    Ok(())
}

#[test]
fn every_identity_vector_gives_its_expected_verdict() {
    let mut files: Vec<_> = std::fs::read_dir(DIR)
        .expect("tests/vectors/identity")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 20, "only {} vector files", files.len());
    let mut failures_seen = 0;
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy();
        let case: Value =
            serde_json::from_str(&std::fs::read_to_string(path).expect("read")).expect("JSON");
        assert!(
            !text(&case, "description").is_empty(),
            "{name}: description"
        );
        let result = match text(&case, "kind") {
            "card" => check_card(&case),
            "context" => check_context(&case),
            "event" => check_event(&case),
            "receipt" => check_receipt(&case),
            "epoch" => check_epoch(&case),
            other => panic!("{name}: unknown kind {other}"),
        };
        assert_eq!(code(&result), text(&case, "expect"), "{name}");
        failures_seen += usize::from(result.is_err());
    }
    assert!(
        failures_seen >= 12,
        "expected-failure cases: {failures_seen}"
    );
}

#[test]
#[ignore = "writes tests/vectors/identity/; run with GFMS_WRITE_VECTORS=1"]
fn generate_vectors() {
    if std::env::var("GFMS_WRITE_VECTORS").is_err() {
        return;
    }
    let dir = Path::new(DIR);
    std::fs::create_dir_all(dir).unwrap();
    for old in std::fs::read_dir(dir).unwrap() {
        let path = old.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            std::fs::remove_file(path).unwrap();
        }
    }
    for (name, fields) in vector_cases::all() {
        std::fs::write(
            dir.join(format!("{name}.json")),
            vector_cases::render(&fields),
        )
        .unwrap();
    }
}
