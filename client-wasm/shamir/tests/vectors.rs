//! `tests/vectors/shamir.json`: cases any implementation can check. Each case gives the
//! secret, k, n, the random coefficients (degree 1 first, one secret-length run each)
//! and the expected share bytes (`x` then `y`). Splitting with those coefficients must
//! give exactly those shares, any k of them must rebuild the secret, and so must sharks.
//!
//! Regenerate (only when the format changes on purpose):
//! `GFMS_WRITE_VECTORS=1 cargo test -p gfms-shamir --test vectors -- --ignored`
#![cfg(not(target_arch = "wasm32"))]

mod common;

use gfms_shamir::{Kernel, split_with};
use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::{RngCore, SeedableRng};
use serde_json::json;

const PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/vectors/shamir.json"
);

#[test]
fn vectors_split_and_combine_exactly() {
    let vectors = common::parse(&std::fs::read_to_string(PATH).expect("vectors file"));
    assert!(vectors.len() >= 8);
    for v in &vectors {
        common::check(v);
        if !v.secret.is_empty() {
            let theirs: Vec<sharks::Share> = v
                .shares
                .iter()
                .take(usize::from(v.k))
                .map(|b| sharks::Share::try_from(b.as_slice()).expect("share"))
                .collect();
            assert_eq!(
                sharks::Sharks(v.k).recover(&theirs).expect("sharks"),
                v.secret,
                "{}: sharks",
                v.name
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
            let shares = split_with(Kernel::portable(), secret, k, n, &mut |b| {
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
