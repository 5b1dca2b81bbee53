//! Property tests: what verifies is exactly what was signed or sealed, in exactly its
//! group, and nothing else. Each test names the adversary whose change it plays.
#![cfg(not(target_arch = "wasm32"))]

use gfms_identity::{
    DeviceKeys, EpochSecret, Error, GroupContext, MemberId, Receipt, ReceiptClaim,
    SealedEpochSecret, SignedEvent, seal_epoch_secret,
};
use proptest::prelude::*;
use serde_json::Value;

fn keys(seed: [u8; 32]) -> DeviceKeys {
    let mut x = seed;
    x[0] ^= 0x5a;
    DeviceKeys::from_secrets(&seed, &x).expect("keys")
}

fn flip(bytes: &mut [u8], bit: usize) {
    let bit = bit % (bytes.len() * 8);
    bytes[bit / 8] ^= 1 << (bit % 8);
}

fn claim() -> impl Strategy<Value = ReceiptClaim> {
    (
        any::<[u8; 16]>(),
        any::<[u8; 32]>(),
        any::<[u8; 16]>(),
        any::<[u8; 16]>(),
    )
        .prop_map(|(batch, sealed_batch_sha256, share, member)| ReceiptClaim {
            batch,
            sealed_batch_sha256,
            share,
            member,
        })
}

/// The claim with one bit of its 80 bytes (batch, hash, share, member) flipped.
fn flip_claim(c: &ReceiptClaim, bit: usize) -> ReceiptClaim {
    let mut all = [0u8; 80];
    all[..16].copy_from_slice(&c.batch);
    all[16..48].copy_from_slice(&c.sealed_batch_sha256);
    all[48..64].copy_from_slice(&c.share);
    all[64..].copy_from_slice(&c.member);
    flip(&mut all, bit);
    ReceiptClaim {
        batch: all[..16].try_into().unwrap(),
        sealed_batch_sha256: all[16..48].try_into().unwrap(),
        share: all[48..64].try_into().unwrap(),
        member: all[64..].try_into().unwrap(),
    }
}

proptest! {
    #[test]
    fn newer_version_re_encoding_an_envelope_keeps_its_signature_valid(
        seed in any::<[u8; 32]>(),
        context in any::<[u8; 32]>(),
        author in any::<MemberId>(),
        event in any::<String>(),
    ) {
        let k = keys(seed);
        let ctx = GroupContext::from_bytes(context);
        let signed = k.sign_event(&ctx, &author, event.clone());
        prop_assert_eq!(signed.verify(&ctx, &author, k.card()), Ok(event.as_str()));
        // Re-encoded by a generic JSON tool, compact or pretty: same bytes, still valid.
        let value: Value = serde_json::from_str(&signed.to_json()).unwrap();
        for text in [value.to_string(), serde_json::to_string_pretty(&value).unwrap()] {
            let back = SignedEvent::from_json(&text).unwrap();
            prop_assert_eq!(back.verify(&ctx, &author, k.card()), Ok(event.as_str()));
        }
    }

    #[test]
    fn lying_relay_any_bit_flip_in_an_event_fails(
        seed in any::<[u8; 32]>(),
        author in any::<MemberId>(),
        event in "\\PC{1,200}",
        bit in any::<usize>(),
    ) {
        let k = keys(seed);
        let ctx = GroupContext::from_bytes([7; 32]);
        let signed = k.sign_event(&ctx, &author, event.clone());
        let mut bytes = event.into_bytes();
        flip(&mut bytes, bit);
        // A flip that leaves invalid UTF-8 cannot even be carried in the envelope.
        if let Ok(changed) = String::from_utf8(bytes) {
            let mut envelope: Value = serde_json::from_str(&signed.to_json()).unwrap();
            envelope["event"] = Value::String(changed.clone());
            let forged = SignedEvent::from_json(&envelope.to_string()).unwrap();
            prop_assert_eq!(forged.event(), changed.as_str());
            prop_assert_eq!(forged.verify(&ctx, &author, k.card()), Err(Error::BadSignature));
        }
    }

    #[test]
    fn lying_relay_any_bit_flip_in_a_signature_fails(
        seed in any::<[u8; 32]>(),
        bit in 0usize..512,
    ) {
        let k = keys(seed);
        let ctx = GroupContext::from_bytes([7; 32]);
        let author = [1; 16];
        let signed: Value = serde_json::from_str(&k.sign_event(&ctx, &author, "{}").to_json()).unwrap();
        let mut sig = base64_decode(signed["sig"].as_str().unwrap());
        flip(&mut sig, bit);
        let mut forged = signed.clone();
        forged["sig"] = Value::String(base64_encode(&sig));
        let forged = SignedEvent::from_json(&forged.to_string()).unwrap();
        prop_assert_eq!(forged.verify(&ctx, &author, k.card()), Err(Error::BadSignature));
    }

    #[test]
    fn misbehaving_member_signature_never_verifies_as_another_member_or_group(
        a in any::<[u8; 32]>(),
        b in any::<[u8; 32]>(),
        context in any::<[u8; 32]>(),
        other_context in any::<[u8; 32]>(),
        author in any::<MemberId>(),
    ) {
        prop_assume!(a != b && context != other_context);
        let ctx = GroupContext::from_bytes(context);
        let signed = keys(a).sign_event(&ctx, &author, "{\"v\":1}");
        prop_assert_eq!(signed.verify(&ctx, &author, keys(b).card()), Err(Error::BadSignature));
        prop_assert_eq!(
            signed.verify(&GroupContext::from_bytes(other_context), &author, keys(a).card()),
            Err(Error::BadSignature)
        );
    }

    #[test]
    fn lying_relay_replayed_or_altered_receipt_never_verifies(
        seed in any::<[u8; 32]>(),
        c in claim(),
        context in any::<[u8; 32]>(),
        bit in 0usize..640,
    ) {
        let k = keys(seed);
        let ctx = GroupContext::from_bytes(context);
        let receipt = k.sign_receipt(&ctx, &c);
        prop_assert_eq!(receipt.verify(&ctx, &c, k.card()), Ok(()));
        // Lying relay replaying it for any other batch, hash, share or member...
        prop_assert_eq!(receipt.verify(&ctx, &flip_claim(&c, bit), k.card()), Err(Error::BadReceipt));
        // ...or in another group.
        let mut other = context;
        flip(&mut other, bit);
        prop_assert_eq!(
            receipt.verify(&GroupContext::from_bytes(other), &c, k.card()),
            Err(Error::BadReceipt)
        );
        // A lying relay altering the stored bytes.
        let mut bytes = receipt.to_bytes();
        flip(&mut bytes, bit);
        prop_assert_eq!(
            Receipt::from_bytes(&bytes).unwrap().verify(&ctx, &c, k.card()),
            Err(Error::BadReceipt)
        );
    }

    #[test]
    fn lying_relay_cannot_pass_a_receipt_off_as_an_event_signature(
        seed in any::<[u8; 32]>(),
        c in claim(),
    ) {
        // Same key, same group: the domain labels keep the two kinds of signature apart.
        let k = keys(seed);
        let ctx = GroupContext::from_bytes([9; 32]);
        let receipt = k.sign_receipt(&ctx, &c);
        let message = c.message(&ctx);
        // The receipt message minus the event label's length, read as an event's text.
        let tail = String::from_utf8_lossy(&message[13 + 32 + 16..]).into_owned();
        let author: MemberId = message[13 + 32..13 + 32 + 16].try_into().unwrap();
        let envelope = serde_json::json!({
            "author": hex::encode(author),
            "event": tail,
            "sig": base64_encode(&receipt.to_bytes()),
        });
        let as_event = SignedEvent::from_json(&envelope.to_string()).unwrap();
        prop_assert_eq!(as_event.verify(&ctx, &author, k.card()), Err(Error::BadSignature));
    }

    #[test]
    fn removed_member_cannot_open_the_new_epoch_and_nobody_opens_a_wrong_epoch(
        seeds in any::<[[u8; 32]; 3]>(),
        secret in any::<[u8; 32]>(),
        epoch in any::<u64>(),
        bit in 0usize..(48 * 8),
    ) {
        prop_assume!(seeds[0] != seeds[1] && seeds[1] != seeds[2] && seeds[0] != seeds[2]);
        let ctx = GroupContext::from_bytes([3; 32]);
        let members: Vec<(MemberId, DeviceKeys)> =
            seeds.iter().enumerate().map(|(i, s)| ([i as u8; 16], keys(*s))).collect();
        // Member 2 was removed: the secret goes to members 0 and 1.
        let recipients: Vec<_> = members[..2].iter().map(|(id, k)| (*id, *k.card())).collect();
        let sealed = seal_epoch_secret(&EpochSecret::from_bytes(secret), &ctx, epoch, &recipients).unwrap();
        for (id, k) in &members[..2] {
            let opened = SealedEpochSecret::open_mine(&sealed, id, k, &ctx, epoch).unwrap();
            prop_assert_eq!(opened.to_bytes(), secret);
            prop_assert_eq!(
                SealedEpochSecret::open_mine(&sealed, id, k, &ctx, epoch.wrapping_add(1)).map(|s| s.to_bytes()),
                Err(Error::EpochSecretUnreadable)
            );
        }
        let (removed, removed_keys) = &members[2];
        prop_assert_eq!(
            SealedEpochSecret::open_mine(&sealed, removed, removed_keys, &ctx, epoch).map(|s| s.to_bytes()),
            Err(Error::NotARecipient)
        );
        // The removed member trying its key on each entry, and a flipped ciphertext bit.
        for entry in &sealed {
            prop_assert_eq!(
                entry.open(removed_keys, &ctx, epoch).map(|s| s.to_bytes()),
                Err(Error::EpochSecretUnreadable)
            );
        }
        let mut wire: Vec<Value> = serde_json::from_str(&serde_json::to_string(&sealed).unwrap()).unwrap();
        let mut ct = base64_decode(wire[0]["ct"].as_str().unwrap());
        flip(&mut ct, bit);
        wire[0]["ct"] = Value::String(base64_encode(&ct));
        let tampered: Vec<SealedEpochSecret> = serde_json::from_value(Value::Array(wire)).unwrap();
        prop_assert_eq!(
            tampered[0].open(&members[0].1, &ctx, epoch).map(|s| s.to_bytes()),
            Err(Error::EpochSecretUnreadable)
        );
    }
}

fn base64_decode(text: &str) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text)
        .unwrap()
}

fn base64_encode(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}
