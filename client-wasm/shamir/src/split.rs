//! Splitting a secret into `n` shares, any `k` of which rebuild it.

use zeroize::Zeroize;

use crate::{Error, Kernel, Share};

/// Secret bytes evaluated per step: small enough that the random coefficients for a
/// step stay in L1 cache, so each share's output is written once and nothing else large
/// is allocated (page faults dominated the time of large splits).
const BLOCK: usize = 4096;

/// Splits `secret` into `n` shares with threshold `k`, with the fastest kernel here and
/// coefficients from a CSPRNG: ChaCha12 (the generator behind `rand`'s `ThreadRng` and
/// `StdRng`; best known attacks reach 7 rounds) seeded with a fresh key from the OS
/// (`getrandom`) for each split. The OS generator alone is a system call (in the
/// browser, `crypto.getRandomValues` in 64 KiB pieces) and would bound a large split.
pub fn split(secret: &[u8], k: u8, n: u8) -> Result<Vec<Share>, Error> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|_| Error::Rng)?;
    let shares = split_seeded(secret, k, n, &seed);
    seed.zeroize();
    shares
}

/// [`split`] with the CSPRNG's key given: the same `seed` always gives the same shares,
/// so a device can keep the seed instead of the shares and make them again, byte for
/// byte. The seed must be secret and fresh for each secret split (it gives the secret
/// away together with any one share), as [`split`]'s is.
pub fn split_seeded(secret: &[u8], k: u8, n: u8, seed: &[u8; 32]) -> Result<Vec<Share>, Error> {
    use rand_chacha::ChaCha12Rng;
    use rand_chacha::rand_core::{RngCore, SeedableRng};

    let degree = check(k, n)?;
    let mut rng = ChaCha12Rng::from_seed(*seed);

    let kernel = Kernel::best();
    let mut shares = empty_shares(n, secret.len());
    let mut coefficients = vec![0u8; degree * BLOCK.min(secret.len())];
    for (b, block) in secret.chunks(BLOCK).enumerate() {
        let w = block.len();
        let c = &mut coefficients[..degree * w];
        rng.fill_bytes(c);
        evaluate(
            kernel,
            block,
            |d| &c[(d - 1) * w..d * w],
            degree,
            &mut shares,
            b * BLOCK,
        );
    }
    // The coefficients give the secret away together with any one share.
    coefficients.zeroize();
    Ok(shares)
}

/// [`split`] with a chosen kernel and randomness source.
///
/// `fill_random` is called once with a buffer of `(k − 1) · len` bytes: the random
/// coefficients, degree 1 first, `len` bytes each (coefficient of degree `d` for secret
/// byte `i` at `(d − 1) · len + i`). Shares are at `x = 1..=n`. This fixes the output for
/// given randomness, which the test vectors rely on.
pub fn split_with(
    kernel: Kernel,
    secret: &[u8],
    k: u8,
    n: u8,
    fill_random: &mut dyn FnMut(&mut [u8]) -> Result<(), Error>,
) -> Result<Vec<Share>, Error> {
    let degree = check(k, n)?;
    let len = secret.len();
    let mut coefficients = vec![0u8; degree * len];
    fill_random(&mut coefficients)?;
    let mut shares = empty_shares(n, len);
    evaluate(
        kernel,
        secret,
        |d| &coefficients[(d - 1) * len..d * len],
        degree,
        &mut shares,
        0,
    );
    // The coefficients give the secret away together with any one share.
    coefficients.zeroize();
    Ok(shares)
}

/// The polynomial degree `k − 1`, after checking `2 <= k <= n`.
fn check(k: u8, n: u8) -> Result<usize, Error> {
    if k < 2 || k > n {
        return Err(Error::InvalidThreshold { k, n });
    }
    Ok(usize::from(k) - 1)
}

fn empty_shares(n: u8, len: usize) -> Vec<Share> {
    (1..=n).map(|x| Share { x, y: vec![0; len] }).collect()
}

/// Writes the shares' bytes for `secret` (a block starting at `offset`), given the
/// block's coefficients by degree: Horner,
/// `y = ((a_{k-1}·x + a_{k-2})·x + … + a_1)·x + secret`.
fn evaluate<'c>(
    kernel: Kernel,
    secret: &[u8],
    coefficient: impl Fn(usize) -> &'c [u8],
    degree: usize,
    shares: &mut [Share],
    offset: usize,
) {
    for share in shares {
        let y = &mut share.y[offset..offset + secret.len()];
        y.copy_from_slice(coefficient(degree));
        for d in (1..degree).rev() {
            kernel.horner(y, share.x, coefficient(d));
        }
        kernel.horner(y, share.x, secret);
    }
}
