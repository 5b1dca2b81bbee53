//! Interoperability with the `sharks` crate, both ways: same field, same share bytes.
#![cfg(not(target_arch = "wasm32"))]

use gfms_shamir::{Share, combine, split};
use proptest::prelude::*;
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::SeedableRng;
use sharks::Sharks;

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    /// Shares we make (as bytes) are recovered by sharks.
    #[test]
    fn sharks_recovers_our_shares(secret in proptest::collection::vec(any::<u8>(), 1..1024), k in 2u8..6, extra in 0u8..4, skip in 0usize..4) {
        let n = k + extra;
        let ours = split(&secret, k, n).unwrap();
        let theirs: Vec<sharks::Share> = ours
            .iter()
            .skip(skip.min(usize::from(extra)))
            .take(usize::from(k))
            .map(|s| sharks::Share::try_from(s.to_bytes().as_slice()).unwrap())
            .collect();
        prop_assert_eq!(Sharks(k).recover(&theirs).unwrap(), secret);
    }

    /// Shares sharks makes (as bytes) are recovered by us.
    #[test]
    fn we_recover_sharks_shares(secret in proptest::collection::vec(any::<u8>(), 1..1024), k in 2u8..6, seed in any::<u64>()) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let dealt: Vec<sharks::Share> = Sharks(k).dealer_rng(&secret, &mut rng).take(usize::from(k) + 2).collect();
        let ours: Vec<Share> = dealt[2..].iter().map(|s| Share::from_bytes(&Vec::from(s)).unwrap()).collect();
        prop_assert_eq!(combine(&ours).unwrap(), secret);
    }
}
