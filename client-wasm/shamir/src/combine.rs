//! Rebuilding a secret from shares by Lagrange interpolation at 0.

use crate::gf256::lagrange_at;
use crate::{Error, Kernel, Share};

/// Rebuilds the secret from shares with the fastest kernel here. Give exactly `k`
/// shares (or more of the same split): fewer give a wrong result that cannot be told
/// apart from a right one, which is why GFMS seals before it splits.
pub fn combine(shares: &[Share]) -> Result<Vec<u8>, Error> {
    combine_with(Kernel::best(), shares)
}

/// [`combine`] with a chosen kernel.
pub fn combine_with(kernel: Kernel, shares: &[Share]) -> Result<Vec<u8>, Error> {
    interpolate_with(kernel, shares, 0)
}

/// The `y` bytes the shares' polynomials take at `x`: with `x = 0` the secret, with the
/// `x` of another share what that share must hold if it belongs to the same split. The
/// sealing layer uses it to name the shares that disagree with an authenticated result.
pub fn interpolate(shares: &[Share], x: u8) -> Result<Vec<u8>, Error> {
    interpolate_with(Kernel::best(), shares, x)
}

fn interpolate_with(kernel: Kernel, shares: &[Share], x: u8) -> Result<Vec<u8>, Error> {
    let first = shares.first().ok_or(Error::NoShares)?;
    let len = first.y.len();
    let mut xs = Vec::with_capacity(shares.len());
    for s in shares {
        if s.x == 0 {
            return Err(Error::ZeroX);
        }
        if xs.contains(&s.x) {
            return Err(Error::DuplicateX(s.x));
        }
        if s.y.len() != len {
            return Err(Error::LengthMismatch);
        }
        xs.push(s.x);
    }
    let mut secret = vec![0u8; len];
    for (share, weight) in shares.iter().zip(lagrange_at(&xs, x)) {
        kernel.mul_add(&mut secret, &share.y, weight);
    }
    Ok(secret)
}
