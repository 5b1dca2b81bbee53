//! `tests/vectors/shamir.json`: cases any implementation can check. Each case gives the
//! secret, k, n, the random coefficients (degree 1 first, one secret-length run each)
//! and the expected share bytes (`x` then `y`). Splitting with those coefficients must
//! give exactly those shares, any k of them must rebuild the secret, and so must sharks.
//!
//! Regenerate (only when the format changes on purpose):
//! `GFMS_WRITE_VECTORS=1 cargo test -p gfms-shamir --test vectors -- --ignored`
#![cfg(not(target_arch = "wasm32"))]

use gfms_shamir::{Kernel, Share, combine_with, split_with};
use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::{RngCore, SeedableRng};
use serde_json::{Value, json};

const PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/vectors/shamir.json"
);

fn hex_of(v: &Value, key: &str) -> Vec<u8> {
    hex::decode(v[key].as_str().expect("hex string")).expect("valid hex")
}

#[test]
fn vectors_split_and_combine_exactly() {
    let file: Value =
        serde_json::from_str(&std::fs::read_to_string(PATH).expect("vectors file")).expect("json");
    let cases = file["vectors"].as_array().expect("vectors array");
    assert!(cases.len() >= 8);
    for case in cases {
        let name = case["name"].as_str().unwrap_or("?");
        let secret = hex_of(case, "secret");
        let (k, n) = (
            case["k"].as_u64().unwrap() as u8,
            case["n"].as_u64().unwrap() as u8,
        );
        let coefficients = hex_of(case, "coefficients");
        let expected: Vec<Vec<u8>> = case["shares"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| hex::decode(s.as_str().unwrap()).unwrap())
            .collect();
        for kernel in Kernel::available() {
            let shares = split_with(kernel, &secret, k, n, &mut |buf| {
                buf.copy_from_slice(&coefficients);
                Ok(())
            })
            .unwrap();
            let bytes: Vec<Vec<u8>> = shares.iter().map(Share::to_bytes).collect();
            assert_eq!(
                bytes, expected,
                "{name}: split with the given coefficients ({kernel:?})"
            );
            let parsed: Vec<Share> = expected
                .iter()
                .map(|b| Share::from_bytes(b).unwrap())
                .collect();
            assert_eq!(
                combine_with(kernel, &parsed[..usize::from(k)]).unwrap(),
                secret,
                "{name}: first k"
            );
            assert_eq!(
                combine_with(kernel, &parsed[parsed.len() - usize::from(k)..]).unwrap(),
                secret,
                "{name}: last k"
            );
        }
        if !secret.is_empty() {
            let theirs: Vec<sharks::Share> = expected
                .iter()
                .take(usize::from(k))
                .map(|b| sharks::Share::try_from(b.as_slice()).unwrap())
                .collect();
            assert_eq!(
                sharks::Sharks(k).recover(&theirs).unwrap(),
                secret,
                "{name}: sharks"
            );
        }
    }
}

#[test]
#[ignore = "writes tests/vectors/shamir.json; run with GFMS_WRITE_VECTORS=1"]
fn generate_vectors() {
    if std::env::var("GFMS_WRITE_VECTORS").is_err() {
        return;
    }
    let mut rng = ChaCha20Rng::seed_from_u64(0x6766_6d73);
    let secrets: Vec<(&str, Vec<u8>)> = vec![
        ("empty secret", vec![]),
        ("one byte", vec![0x42]),
        ("ascii", b"GFMS: 12.50 EUR at the bakery".to_vec()),
        ("all byte values", (0..=255u8).collect()),
        ("zeros", vec![0; 40]),
        ("ones", vec![0xff; 40]),
    ];
    let params = [(2u8, 3u8), (3, 5), (2, 2), (5, 10)];
    let mut vectors = Vec::new();
    for (name, secret) in &secrets {
        for &(k, n) in &params {
            let mut coefficients = vec![0u8; (usize::from(k) - 1) * secret.len()];
            rng.fill_bytes(&mut coefficients);
            let shares = split_with(Kernel::Swar, secret, k, n, &mut |b| {
                b.copy_from_slice(&coefficients);
                Ok(())
            })
            .unwrap();
            vectors.push(json!({
                "name": format!("{name}, k={k} n={n}"),
                "secret": hex::encode(secret),
                "k": k,
                "n": n,
                "coefficients": hex::encode(&coefficients),
                "shares": shares.iter().map(|s| hex::encode(s.to_bytes())).collect::<Vec<_>>(),
            }));
        }
    }
    let file = json!({
        "description": "GFMS Shamir test vectors: k-of-n over GF(2^8) with polynomial x^8+x^4+x^3+x^2+1 (0x11d), the field and share layout of the sharks crate. Per secret byte i the polynomial is secret[i] + c1[i]*x + ... + c(k-1)[i]*x^(k-1); 'coefficients' is c1 || c2 || ... (each as long as the secret); share j (x = j, 1-based) is the byte x followed by the polynomial values at x. All hex. See docs/share-format.md.",
        "field_polynomial": "0x11d",
        "vectors": vectors,
    });
    std::fs::create_dir_all(std::path::Path::new(PATH).parent().unwrap()).unwrap();
    std::fs::write(PATH, serde_json::to_string_pretty(&file).unwrap() + "\n").unwrap();
}
