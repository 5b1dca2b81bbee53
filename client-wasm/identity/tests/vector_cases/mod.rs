//! The cases written to `tests/vectors/identity/` (by `generate_vectors`), and the
//! file layout: the header fields first, then the rest in name order.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use gfms_identity::{
    DeviceKeys, EpochSecret, GroupContext, MemberCard, MemberId, ReceiptClaim, SafetyCode,
    SignedEvent, event_message, seal_epoch_secret_with_ephemeral,
};
use serde_json::{Value, json};

type Fields = Vec<(&'static str, Value)>;

const HEADER: [&str; 3] = ["description", "kind", "expect"];

/// One file's text: `description`, `kind`, `expect`, then the other fields sorted.
pub fn render(fields: &Fields) -> String {
    let mut ordered: Vec<&(&str, Value)> = HEADER
        .iter()
        .map(|h| fields.iter().find(|(k, _)| k == h).expect("header field"))
        .collect();
    let mut rest: Vec<&(&str, Value)> =
        fields.iter().filter(|(k, _)| !HEADER.contains(k)).collect();
    rest.sort_by_key(|(k, _)| *k);
    ordered.extend(rest);
    let body: Vec<String> = ordered
        .iter()
        .map(|(k, v)| {
            let value = serde_json::to_string_pretty(v)
                .unwrap()
                .replace('\n', "\n  ");
            format!("  {}: {value}", serde_json::to_string(k).unwrap())
        })
        .collect();
    format!("{{\n{}\n}}\n", body.join(",\n"))
}

struct Member {
    id: MemberId,
    ed25519_seed: [u8; 32],
    x25519_secret: [u8; 32],
}

impl Member {
    fn keys(&self) -> DeviceKeys {
        DeviceKeys::from_secrets(&self.ed25519_seed, &self.x25519_secret).unwrap()
    }
    fn card(&self) -> MemberCard {
        *self.keys().card()
    }
    fn secrets(&self) -> Value {
        json!({"ed25519_seed": hex::encode(self.ed25519_seed),
               "x25519_secret": hex::encode(self.x25519_secret)})
    }
}

fn h<const N: usize>(s: &str) -> [u8; N] {
    hex::decode(s).unwrap().try_into().unwrap()
}

fn alice() -> Member {
    Member {
        id: h("018f6b2e4c1a7d3e9b2f5a6c7d8e9fa1"),
        ed25519_seed: h("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"),
        x25519_secret: h("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"),
    }
}

fn bob() -> Member {
    Member {
        id: h("018f6b2e4c1a7d3e9b2f5a6c7d8e9fb0"),
        ed25519_seed: h("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"),
        x25519_secret: h("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"),
    }
}

fn carol() -> Member {
    Member {
        id: h("018f6b2e4c1a7d3e9b2f5a6c7d8e9fc0"),
        ed25519_seed: h("c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7"),
        x25519_secret: h("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"),
    }
}

fn context() -> GroupContext {
    GroupContext::derive(&h(
        "a8f3c2d1e0b9a8f7e6d5c4b3a2918070f1e2d3c4b5a697881223344556677889",
    ))
}

fn other_context() -> GroupContext {
    GroupContext::derive(&[0x42; 32])
}

fn hx(bytes: &[u8]) -> Value {
    Value::String(hex::encode(bytes))
}

fn case(description: &str, kind: &str, expect: &str) -> Fields {
    vec![
        ("description", json!(description)),
        ("kind", json!(kind)),
        ("expect", json!(expect)),
    ]
}

/// Every case, named by its file.
pub fn all() -> Vec<(String, Fields)> {
    let mut out = Vec::new();
    cards(&mut out);
    events(&mut out);
    receipts(&mut out);
    epochs(&mut out);
    out
}

fn cards(out: &mut Vec<(String, Fields)>) {
    for (name, m) in [("alice", alice()), ("bob", bob())] {
        let card = m.card();
        let code = SafetyCode::of(&card);
        let mut f = case(
            "A device's card from its two secrets (Ed25519 seed, X25519 scalar), its 64 \
             bytes, and its safety code: SHA-256(\"gfms v1 safety code\" || card bytes); \
             six groups of five digits, group i = bytes 5i..5i+5 big-endian mod 100000; \
             the QR carries 0x01 || the 32-byte hash. The member id a device with this \
             card takes: SHA-256(\"gfms v1 member id\" || card bytes), first 16 bytes.",
            "card",
            "ok",
        );
        f.push(("device", m.secrets()));
        f.push(("card_json", json!(card.to_json())));
        f.push(("card_bytes", hx(&card.to_bytes())));
        f.push(("member_id", hx(&card.member_id())));
        f.push(("safety_code_digits", json!(code.digits())));
        f.push(("safety_code_qr", hx(&code.qr_payload())));
        out.push((format!("card-{name}"), f));
    }
    let good = alice().card();
    let mut identity = [0u8; 32];
    identity[0] = 1;
    let order8: [u8; 32] = h("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800");
    let b64 = |b: &[u8; 32]| B64.encode(b);
    for (name, ed, x, why) in [
        (
            "ed25519-small-order",
            identity,
            *good.x25519(),
            "an Ed25519 key of small order (the identity point)",
        ),
        (
            "x25519-small-order",
            *good.ed25519(),
            order8,
            "an X25519 key of order 8 (every shared secret with it is zero)",
        ),
        (
            "x25519-zero",
            *good.ed25519(),
            [0; 32],
            "the X25519 key zero",
        ),
    ] {
        let mut f = case(
            &format!("A hostile member's card with {why} is refused."),
            "card",
            "invalid_card",
        );
        f.push((
            "card_json",
            json!(format!(
                r#"{{"ed25519":"{}","x25519":"{}"}}"#,
                b64(&ed),
                b64(&x)
            )),
        ));
        out.push((format!("card-{name}"), f));
    }
    let mut f = case(
        "The group context: HKDF-SHA256(salt \"gfms v1\", ikm = the group's first secret, \
         info \"group context\", 32 bytes).",
        "context",
        "ok",
    );
    f.push((
        "first_secret",
        hx(&h::<32>(
            "a8f3c2d1e0b9a8f7e6d5c4b3a2918070f1e2d3c4b5a697881223344556677889",
        )),
    ));
    f.push(("context", hx(context().as_bytes())));
    out.push(("context".into(), f));
}

const EXPENSE: &str = r#"{"v":1,"id":"018f6b2e-4c1a-7d3e-9b2f-5a6c7d8e9f00","lamport":12,"author":"018f6b2e4c1a7d3e9b2f5a6c7d8e9fb0","at_ms":1795574934012,"body":{"type":"expense_added","expense":"018f6b2e-4c1a-7d3e-9b2f-5a6c7d8e9f01","value":{"amount":1250,"currency":"EUR","shop":"Bäckerei \"Zum Löwen\" 🥐","note":"a\\b\nc"}}}"#;

fn event_case(
    description: &str,
    expect: &str,
    envelope: &str,
    claimed: &Member,
    ctx: &GroupContext,
) -> Fields {
    let mut f = case(description, "event", expect);
    f.push(("context", hx(ctx.as_bytes())));
    f.push(("claimed_author", hx(&claimed.id)));
    f.push(("author_card_json", json!(claimed.card().to_json())));
    f.push(("envelope", json!(envelope)));
    f.push(("event_text", json!(EXPENSE)));
    f
}

fn events(out: &mut Vec<(String, Fields)>) {
    let (bob, carol) = (bob(), carol());
    let signed = bob.keys().sign_event(&context(), &bob.id, EXPENSE);
    let mut f = event_case(
        "Bob signs an event. The signature covers \"gfms v1 event\" || group context (32) || \
         author id (16) || the event's UTF-8 bytes (message, hex); the envelope carries the \
         event as a JSON string, so its bytes survive any re-encoding.",
        "ok",
        &signed.to_json(),
        &bob,
        &context(),
    );
    f.push(("signer", bob.secrets()));
    f.push(("signer_id", hx(&bob.id)));
    f.push(("message", hx(&event_message(&context(), &bob.id, EXPENSE))));
    out.push(("event-signed".into(), f));

    let value: Value = serde_json::from_str(&signed.to_json()).unwrap();
    let pretty = serde_json::to_string_pretty(&value)
        .unwrap()
        .replace("ä", "\\u00e4")
        .replace("🥐", "\\ud83e\\udd50");
    out.push((
        "event-reencoded-envelope".into(),
        event_case(
            "The same envelope pretty-printed with its fields on their own lines and non-ASCII \
             characters written as \\u escapes: still verifies, same event text.",
            "ok",
            &pretty,
            &bob,
            &context(),
        ),
    ));

    let flipped = EXPENSE.replace("1250", "1251");
    let tampered = signed
        .to_json()
        .replace(r#"\"amount\":1250"#, r#"\"amount\":1251"#);
    assert!(tampered != signed.to_json() && flipped != EXPENSE);
    let mut f = event_case(
        "A lying relay or member flips one bit of the event (amount 1250 -> 1251, '0' -> '1').",
        "bad_signature",
        &tampered,
        &bob,
        &context(),
    );
    f.retain(|(k, _)| *k != "event_text");
    f.push(("event_text", json!(flipped)));
    out.push(("event-flipped-bit".into(), f));

    let by_carol = carol.keys().sign_event(&context(), &carol.id, EXPENSE);
    out.push((
        "event-wrong-author".into(),
        event_case(
            "Carol signs, as herself, an event whose author field is Bob: the envelope names \
             Carol, the event claims Bob. Verifying the envelope with Carol's own card would \
             succeed, which proves Carol wrote it.",
            "wrong_author",
            &by_carol.to_json(),
            &bob,
            &context(),
        ),
    ));

    let relabelled = by_carol
        .to_json()
        .replace(&hex::encode(carol.id), &hex::encode(bob.id));
    out.push((
        "event-relabelled-author".into(),
        event_case(
            "Carol's signature, with the envelope's author changed to Bob: verified with Bob's \
             card it fails.",
            "bad_signature",
            &relabelled,
            &bob,
            &context(),
        ),
    ));

    out.push((
        "event-unsigned".into(),
        event_case(
            "An envelope without \"sig\" (a device that predates member keys).",
            "unsigned",
            &SignedEvent::unsigned(&bob.id, EXPENSE).to_json(),
            &bob,
            &context(),
        ),
    ));

    out.push((
        "event-other-group".into(),
        event_case(
            "Bob's envelope from another group (other context) replayed into this one.",
            "bad_signature",
            &bob.keys()
                .sign_event(&other_context(), &bob.id, EXPENSE)
                .to_json(),
            &bob,
            &context(),
        ),
    ));
}

/// A receipt claim's member, batch, share and sealed batch (hex).
type ClaimOf = (MemberId, [u8; 16], [u8; 16], &'static str);

const SEALED_BATCH: &str =
    "5a17c0ffee0123456789abcdef0011223344556677889900aabbccddeeff0102030405060708090a0b0c0d0e0f";

fn receipt_case(
    description: &str,
    expect: &str,
    receipt: &[u8; 64],
    claim_of: ClaimOf,
    card: &MemberCard,
    ctx: &GroupContext,
) -> Fields {
    let (member, batch, share, sealed) = claim_of;
    let claim = ReceiptClaim::new(batch, &hex::decode(sealed).unwrap(), share, member);
    let mut f = case(description, "receipt", expect);
    f.push(("context", hx(ctx.as_bytes())));
    f.push(("batch", hx(&batch)));
    f.push(("sealed_batch", json!(sealed)));
    f.push(("sealed_batch_sha256", hx(&claim.sealed_batch_sha256)));
    f.push(("share", hx(&share)));
    f.push(("member", hx(&member)));
    f.push(("card_json", json!(card.to_json())));
    f.push(("receipt", hx(receipt)));
    f
}

fn receipts(out: &mut Vec<(String, Fields)>) {
    let (bob, carol) = (bob(), carol());
    let batch: [u8; 16] = h("018f6b2e4c1a7d3e9b2f5a6c7d8e0001");
    let share: [u8; 16] = h("3f9a0c1b2d4e5f60718293a4b5c6d7e8");
    let claim = ReceiptClaim::new(batch, &hex::decode(SEALED_BATCH).unwrap(), share, bob.id);
    let receipt = bob.keys().sign_receipt(&context(), &claim).to_bytes();
    let base = (bob.id, batch, share, SEALED_BATCH);
    let mut f = receipt_case(
        "Bob's receipt for a batch he rebuilt, sent with his ack to the relay holding share \
         `share`: an Ed25519 signature over \"gfms v1 receipt\" || context (32) || batch id \
         (16) || SHA-256 of the sealed batch (32) || share id (16) || member id (16).",
        "ok",
        &receipt,
        base,
        &bob.card(),
        &context(),
    );
    f.push(("signer", bob.secrets()));
    f.push(("message", hx(&claim.message(&context()))));
    out.push(("receipt-valid".into(), f));

    let other_batch: [u8; 16] = h("018f6b2e4c1a7d3e9b2f5a6c7d8e0002");
    let other_share: [u8; 16] = h("c0ffee00112233445566778899aabbcc");
    let other_sealed = "5a17c0ffee0123456789abcdef0011223344556677889900aabbccddeeff0102030405060708090a0b0c0d0e0e";
    let replays: [(&str, &str, ClaimOf, MemberCard, GroupContext); 5] = [
        (
            "other-batch",
            "replayed by a lying relay as the receipt of another batch",
            (bob.id, other_batch, share, SEALED_BATCH),
            bob.card(),
            context(),
        ),
        (
            "other-share",
            "replayed at another relay (another share id)",
            (bob.id, batch, other_share, SEALED_BATCH),
            bob.card(),
            context(),
        ),
        (
            "other-member",
            "presented as Carol's receipt (Carol never fetched)",
            (carol.id, batch, share, SEALED_BATCH),
            carol.card(),
            context(),
        ),
        (
            "other-hash",
            "checked against a sealed batch with one bit changed (Bob rebuilt something else)",
            (bob.id, batch, share, other_sealed),
            bob.card(),
            context(),
        ),
        (
            "other-group",
            "replayed into another group",
            (bob.id, batch, share, SEALED_BATCH),
            bob.card(),
            other_context(),
        ),
    ];
    for (name, why, claim_of, card, ctx) in replays {
        out.push((
            format!("receipt-replayed-{name}"),
            receipt_case(
                &format!("Bob's valid receipt {why}."),
                "bad_receipt",
                &receipt,
                claim_of,
                &card,
                &ctx,
            ),
        ));
    }
    let mut forged = receipt;
    forged[10] ^= 0x01;
    out.push((
        "receipt-forged-by-relay".into(),
        receipt_case(
            "A lying relay flips one bit of Bob's receipt (it cannot make one: it lacks Bob's key).",
            "bad_receipt",
            &forged,
            base,
            &bob.card(),
            &context(),
        ),
    ));
}

fn epochs(out: &mut Vec<(String, Fields)>) {
    let (alice, bob, carol) = (alice(), bob(), carol());
    let secret: [u8; 32] = h("e7b1c2d3a4f5061728394a5b6c7d8e9f00112233445566778899aabbccddeeff");
    let epoch = 2u64;
    let ikm_bob: [u8; 32] = h("909a9b35d3dc4713a5e72a4da274b55d3d3821a37e5d099e74a647db583a904b");
    let ikm_alice: [u8; 32] = h("6e6f7420612072616e646f6d206b65792c2074657374206f6e6c792e2e2e2e21");
    let recipients = [(alice.id, alice.card()), (bob.id, bob.card())];
    let sealed = seal_epoch_secret_with_ephemeral(
        &EpochSecret::from_bytes(secret),
        &context(),
        epoch,
        &recipients,
        &[ikm_alice, ikm_bob],
    )
    .unwrap();
    let sealed_json = serde_json::to_string(&sealed).unwrap();
    let base = |description: &str,
                expect: &str,
                sealed_json: &str,
                opener: &Member,
                opener_id: &MemberId,
                ctx: &GroupContext,
                epoch: u64| {
        let mut f = case(description, "epoch", expect);
        f.push(("context", hx(ctx.as_bytes())));
        f.push(("epoch", json!(epoch)));
        f.push(("secret", hx(&secret)));
        f.push(("sealed_json", json!(sealed_json)));
        f.push(("opener", opener.secrets()));
        f.push(("opener_id", hx(opener_id)));
        f
    };
    let mut f = base(
        "Carol was removed: epoch 2's secret sealed to Alice and Bob with HPKE (RFC 9180 base \
         mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20-Poly1305), the ephemeral key \
         DeriveKeyPair(ikm_e); info = \"gfms v1 epoch\" || context (32) || epoch (u64 big-endian), \
         aad = the recipient's member id. Bob opens his.",
        "ok",
        &sealed_json,
        &bob,
        &bob.id,
        &context(),
        epoch,
    );
    f.push((
        "recipients",
        json!([
            {"member": hex::encode(alice.id), "card_json": alice.card().to_json(), "ikm_e": hex::encode(ikm_alice)},
            {"member": hex::encode(bob.id), "card_json": bob.card().to_json(), "ikm_e": hex::encode(ikm_bob)},
        ]),
    ));
    out.push(("epoch-sealed".into(), f));

    out.push((
        "epoch-wrong-epoch".into(),
        base(
            "Bob opens his sealed secret as epoch 3's.",
            "epoch_secret_unreadable",
            &sealed_json,
            &bob,
            &bob.id,
            &context(),
            3,
        ),
    ));
    out.push((
        "epoch-other-group".into(),
        base(
            "Bob opens his sealed secret under another group's context.",
            "epoch_secret_unreadable",
            &sealed_json,
            &bob,
            &bob.id,
            &other_context(),
            epoch,
        ),
    ));
    out.push((
        "epoch-removed-member".into(),
        base(
            "Carol, removed, finds nothing sealed to her.",
            "not_a_recipient",
            &sealed_json,
            &carol,
            &carol.id,
            &context(),
            epoch,
        ),
    ));

    // Carol relabels Bob's entry as hers and tries her own key.
    let relabelled = sealed_json.replace(&hex::encode(bob.id), &hex::encode(carol.id));
    out.push((
        "epoch-wrong-recipient".into(),
        base(
            "Carol, removed, relabels Bob's entry with her member id and opens it with her key.",
            "epoch_secret_unreadable",
            &relabelled,
            &carol,
            &carol.id,
            &context(),
            epoch,
        ),
    ));
    // Bob's entry relabelled as Alice's: Alice's key, and the aad no longer matches.
    let swapped = sealed_json
        .replace(&hex::encode(alice.id), "SWAP")
        .replace(&hex::encode(bob.id), &hex::encode(alice.id))
        .replace("SWAP", &hex::encode(bob.id));
    out.push(("epoch-swapped-entries".into(), base("A member swaps the member ids of Alice's and Bob's entries; Bob opens the entry now labelled his.", "epoch_secret_unreadable", &swapped, &bob, &bob.id, &context(), epoch)));

    let mut wire: Vec<Value> = serde_json::from_str(&sealed_json).unwrap();
    let mut ct = B64.decode(wire[1]["ct"].as_str().unwrap()).unwrap();
    ct[0] ^= 0x80;
    wire[1]["ct"] = json!(B64.encode(&ct));
    let tampered = Value::Array(wire).to_string();
    out.push((
        "epoch-tampered".into(),
        base(
            "One bit of Bob's ciphertext flipped.",
            "epoch_secret_unreadable",
            &tampered,
            &bob,
            &bob.id,
            &context(),
            epoch,
        ),
    ));
}
