//! Properties every user of the sharing relies on, for every kernel available here.
#![cfg(not(target_arch = "wasm32"))]

use gfms_shamir::{Error, Kernel, Share, combine_with, split_with};
use proptest::prelude::*;
use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::{RngCore, SeedableRng};

fn seeded(seed: u64) -> impl FnMut(&mut [u8]) -> Result<(), Error> {
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    move |buf| {
        rng.fill_bytes(buf);
        Ok(())
    }
}

fn k_and_n() -> impl Strategy<Value = (u8, u8)> {
    prop_oneof![
        (2u8..=10).prop_flat_map(|n| (2..=n, Just(n))),
        (2u8..=255).prop_flat_map(|n| (2..=n.min(4), Just(n))),
        Just((255u8, 255u8)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    /// combine(split(x)) = x for any k of the n shares, any length 0..4096.
    #[test]
    fn any_k_shares_rebuild_the_secret(
        secret in proptest::collection::vec(any::<u8>(), 0..4096),
        (k, n) in k_and_n(),
        seed in any::<u64>(),
        pick in any::<u64>(),
    ) {
        for kernel in Kernel::available() {
            let shares = split_with(kernel, &secret, k, n, &mut seeded(seed)).unwrap();
            prop_assert_eq!(shares.len(), usize::from(n));
            // A pseudo-random k-subset, in a shuffled order.
            let mut order: Vec<usize> = (0..usize::from(n)).collect();
            let mut state = pick;
            for i in (1..order.len()).rev() {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                order.swap(i, (state >> 33) as usize % (i + 1));
            }
            let subset: Vec<Share> = order[..usize::from(k)].iter().map(|&i| shares[i].clone()).collect();
            prop_assert_eq!(combine_with(kernel, &subset).unwrap(), secret.clone());
        }
    }

    /// Both kernels make identical shares from identical randomness.
    #[test]
    fn kernels_agree(secret in proptest::collection::vec(any::<u8>(), 0..300), seed in any::<u64>()) {
        let all = Kernel::available();
        let reference = split_with(all[0], &secret, 3, 5, &mut seeded(seed)).unwrap();
        for kernel in &all[1..] {
            prop_assert_eq!(&split_with(*kernel, &secret, 3, 5, &mut seeded(seed)).unwrap(), &reference);
        }
    }

    /// Share bytes parse back to the same share, and garbage never panics.
    #[test]
    fn share_bytes_round_trip(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        match Share::from_bytes(&bytes) {
            Ok(share) => prop_assert_eq!(share.to_bytes(), bytes),
            Err(e) => prop_assert!(bytes.is_empty() || bytes[0] == 0, "{e}"),
        }
    }
}

#[test]
fn interpolating_at_a_share_x_gives_that_share() {
    let shares = split_with(
        Kernel::portable(),
        b"the same polynomial",
        3,
        6,
        &mut seeded(9),
    )
    .unwrap();
    for other in &shares[3..] {
        assert_eq!(
            gfms_shamir::interpolate(&shares[..3], other.x).unwrap(),
            other.y
        );
    }
    assert_eq!(
        gfms_shamir::interpolate(&shares[..3], 0).unwrap(),
        b"the same polynomial"
    );
}

#[test]
fn bad_parameters_and_shares_are_refused() {
    let mut rng = seeded(1);
    for (k, n) in [(0, 3), (1, 3), (4, 3), (2, 0), (2, 1)] {
        assert_eq!(
            split_with(Kernel::portable(), b"x", k, n, &mut rng),
            Err(Error::InvalidThreshold { k, n })
        );
    }
    let shares = split_with(Kernel::portable(), b"abc", 2, 3, &mut rng).unwrap();
    assert_eq!(combine_with(Kernel::portable(), &[]), Err(Error::NoShares));
    assert_eq!(
        combine_with(Kernel::portable(), &[shares[0].clone(), shares[0].clone()]),
        Err(Error::DuplicateX(1))
    );
    let short = Share { x: 2, y: vec![1] };
    assert_eq!(
        combine_with(Kernel::portable(), &[shares[0].clone(), short]),
        Err(Error::LengthMismatch)
    );
    assert_eq!(
        combine_with(
            Kernel::portable(),
            &[Share {
                x: 0,
                y: vec![1, 2, 3]
            }]
        ),
        Err(Error::ZeroX)
    );
}

/// Any k − 1 shares are independent of the secret: for two very different secrets the
/// joint distribution of the values of k − 1 = 2 shares is uniform over all 65,536 pairs
/// (chi-square against uniform, far below a 6-sigma bound), and the per-byte
/// distributions of the two secrets cannot be told apart. Seeded, so never flaky.
#[test]
fn k_minus_one_shares_reveal_nothing() {
    const LEN: usize = 4096;
    const SPLITS: usize = 64;
    let chi_square = |counts: &[u64], expected: f64| {
        counts
            .iter()
            .map(|&c| (c as f64 - expected).powi(2) / expected)
            .sum::<f64>()
    };
    let mut singles = Vec::new();
    for (i, secret) in [vec![0x00u8; LEN], vec![0xffu8; LEN]]
        .into_iter()
        .enumerate()
    {
        let mut pairs = vec![0u64; 65536];
        let mut single = vec![0u64; 256];
        let mut rng = seeded(1000 + i as u64);
        for _ in 0..SPLITS {
            let shares = split_with(Kernel::best(), &secret, 3, 5, &mut rng).unwrap();
            for (a, b) in shares[1].y.iter().zip(&shares[3].y) {
                pairs[usize::from(*a) << 8 | usize::from(*b)] += 1;
                single[usize::from(*a)] += 1;
            }
        }
        let samples = (LEN * SPLITS) as f64;
        let dof = 65535.0_f64;
        let stat = chi_square(&pairs, samples / 65536.0);
        assert!(
            stat < dof + 6.0 * (2.0 * dof).sqrt(),
            "pair distribution not uniform for secret {i}: chi2 = {stat}"
        );
        singles.push(single);
    }
    // Two-sample chi-square between the secrets' single-share byte histograms.
    let stat: f64 = (0..256)
        .map(|b| {
            let (x, y) = (singles[0][b] as f64, singles[1][b] as f64);
            if x + y == 0.0 {
                0.0
            } else {
                (x - y).powi(2) / (x + y)
            }
        })
        .sum();
    assert!(
        stat < 255.0 + 6.0 * (2.0f64 * 255.0).sqrt(),
        "share bytes depend on the secret: chi2 = {stat}"
    );
}
