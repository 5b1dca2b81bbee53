//! The test-vector check shared by the native and the browser test suites.

use gfms_shamir::{Kernel, Share, combine_with, split_with};
use serde_json::Value;

/// One case of `tests/vectors/shamir.json`.
pub struct Vector {
    pub name: String,
    pub secret: Vec<u8>,
    pub k: u8,
    pub n: u8,
    pub coefficients: Vec<u8>,
    pub shares: Vec<Vec<u8>>,
}

fn hex_field(case: &Value, key: &str) -> Vec<u8> {
    hex::decode(case[key].as_str().expect("hex string")).expect("valid hex")
}

/// Parses the vectors file.
pub fn parse(json: &str) -> Vec<Vector> {
    let file: Value = serde_json::from_str(json).expect("vectors JSON");
    file["vectors"]
        .as_array()
        .expect("vectors array")
        .iter()
        .map(|case| Vector {
            name: case["name"].as_str().unwrap_or("?").to_string(),
            secret: hex_field(case, "secret"),
            k: case["k"].as_u64().expect("k") as u8,
            n: case["n"].as_u64().expect("n") as u8,
            coefficients: hex_field(case, "coefficients"),
            shares: case["shares"]
                .as_array()
                .expect("shares")
                .iter()
                .map(|s| hex::decode(s.as_str().expect("hex")).expect("hex"))
                .collect(),
        })
        .collect()
}

/// Splitting with the vector's coefficients gives exactly its shares, with every kernel
/// here, and the first and the last `k` shares rebuild the secret.
pub fn check(v: &Vector) {
    for kernel in Kernel::available() {
        let shares = split_with(kernel, &v.secret, v.k, v.n, &mut |buf| {
            buf.copy_from_slice(&v.coefficients);
            Ok(())
        })
        .expect("split");
        let bytes: Vec<Vec<u8>> = shares.iter().map(Share::to_bytes).collect();
        assert_eq!(
            bytes, v.shares,
            "{}: split with the given coefficients ({kernel:?})",
            v.name
        );
        let parsed: Vec<Share> = v
            .shares
            .iter()
            .map(|b| Share::from_bytes(b).expect("share"))
            .collect();
        let k = usize::from(v.k);
        assert_eq!(
            combine_with(kernel, &parsed[..k]).expect("combine"),
            v.secret,
            "{}: first k",
            v.name
        );
        assert_eq!(
            combine_with(kernel, &parsed[parsed.len() - k..]).expect("combine"),
            v.secret,
            "{}: last k",
            v.name
        );
    }
}
