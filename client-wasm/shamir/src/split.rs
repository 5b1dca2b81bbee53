//! Splitting a secret into `n` shares, any `k` of which rebuild it.

use crate::{Error, Kernel, Share};

/// Splits `secret` into `n` shares with threshold `k`, with coefficients from the OS
/// CSPRNG and the fastest kernel here.
pub fn split(secret: &[u8], k: u8, n: u8) -> Result<Vec<Share>, Error> {
    split_with(Kernel::best(), secret, k, n, &mut |buf| {
        getrandom::fill(buf).map_err(|_| Error::Rng)
    })
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
    if k < 2 || k > n {
        return Err(Error::InvalidThreshold { k, n });
    }
    let len = secret.len();
    let degree = usize::from(k) - 1;
    let mut coefficients = vec![0u8; degree * len];
    fill_random(&mut coefficients)?;
    let coefficient = |d: usize| &coefficients[(d - 1) * len..d * len];

    let shares = (1..=n)
        .map(|x| {
            // Horner: y = ((a_{k-1}·x + a_{k-2})·x + … + a_1)·x + secret
            let mut y = coefficient(degree).to_vec();
            for d in (1..degree).rev() {
                kernel.horner(&mut y, x, coefficient(d));
            }
            kernel.horner(&mut y, x, secret);
            Share { x, y }
        })
        .collect();
    wipe(&mut coefficients);
    Ok(shares)
}

/// Overwrites the coefficients, which would give the secret away together with any share.
fn wipe(buf: &mut [u8]) {
    for b in buf.iter_mut() {
        *b = 0;
    }
    // black_box keeps the optimiser from dropping stores to a buffer about to be freed.
    core::hint::black_box(buf);
}
