//! The sharing tests in a real browser engine (headless Chromium, WebKit): round trips
//! with every kernel this build has (simd128 and the portable one when built with
//! `+simd128`, the portable one otherwise), the shared test vectors, and randomness from
//! the browser's CSPRNG.
#![cfg(target_arch = "wasm32")]

mod common;

use gfms_shamir::{Kernel, combine, combine_with, split, split_with};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const VECTORS: &str = include_str!("../../../tests/vectors/shamir.json");

#[wasm_bindgen_test]
fn kernels_available_match_the_build() {
    let names: Vec<&str> = Kernel::available().iter().map(|k| k.name()).collect();
    if cfg!(target_feature = "simd128") {
        assert_eq!(names, ["swar", "simd128"]);
    } else {
        assert_eq!(names, ["swar"]);
    }
}

#[wasm_bindgen_test]
fn any_k_shares_rebuild_the_secret_with_every_kernel() {
    let secret: Vec<u8> = (0..5000u32).map(|i| (i * 31 % 251) as u8).collect();
    for kernel in Kernel::available() {
        for (k, n) in [(2u8, 3u8), (3, 5), (3, 10), (5, 5)] {
            let mut counter = 0u8;
            let shares = split_with(kernel, &secret, k, n, &mut |b| {
                b.iter_mut().for_each(|x| {
                    counter = counter.wrapping_add(97);
                    *x = counter;
                });
                Ok(())
            })
            .unwrap();
            let tail = &shares[shares.len() - usize::from(k)..];
            assert_eq!(
                combine_with(kernel, tail).unwrap(),
                secret,
                "{kernel:?} k={k} n={n}"
            );
        }
    }
}

#[wasm_bindgen_test]
fn the_browser_csprng_feeds_the_split() {
    let a = split(b"same secret", 2, 3).unwrap();
    let b = split(b"same secret", 2, 3).unwrap();
    assert_ne!(a, b, "two splits of one secret must differ");
    assert_eq!(combine(&a[1..]).unwrap(), b"same secret");
}

#[wasm_bindgen_test]
fn vectors_match_in_the_browser() {
    let vectors = common::parse(VECTORS);
    assert!(vectors.len() >= 8);
    vectors.iter().for_each(common::check);
}
