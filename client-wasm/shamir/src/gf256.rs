//! Scalar GF(256) arithmetic (polynomial 0x11d) for *public* values: share `x`s and the
//! Lagrange weights computed from them. Branch-free anyway, so it would be safe on
//! secrets too.

/// The low byte of the reduction polynomial x^8 + x^4 + x^3 + x^2 + 1.
pub const POLY: u8 = 0x1d;

/// a · b.
pub fn mul(mut a: u8, mut b: u8) -> u8 {
    let mut r = 0u8;
    for _ in 0..8 {
        r ^= a & (b & 1).wrapping_neg();
        let carry = (a >> 7).wrapping_neg();
        a = (a << 1) ^ (carry & POLY);
        b >>= 1;
    }
    r
}

/// a^-1 (a ≠ 0), as a^254.
pub fn inv(a: u8) -> u8 {
    let mut result = 1u8;
    let mut base = a;
    let mut e = 254u8;
    while e > 0 {
        if e & 1 == 1 {
            result = mul(result, base);
        }
        base = mul(base, base);
        e >>= 1;
    }
    result
}

/// The Lagrange basis at `x` for the given distinct nonzero `xs`:
/// `w_i = Π_{j≠i} (x − x_j) / (x_i − x_j)`, so that `f(x) = Σ w_i · f(x_i)`.
/// (Subtraction is xor in GF(2^8).) At `x = 0` this is the secret's weights.
pub fn lagrange_at(xs: &[u8], x: u8) -> Vec<u8> {
    xs.iter()
        .map(|&xi| {
            xs.iter()
                .filter(|&&xj| xj != xi)
                .fold(1u8, |acc, &xj| mul(acc, mul(x ^ xj, inv(xi ^ xj))))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mul_matches_the_0x11d_field() {
        // 2 generates the multiplicative group of the 0x11d field: 2^255 = 1, 2^k ≠ 1 before.
        let mut p = 1u8;
        for k in 1..=255u32 {
            p = mul(p, 2);
            assert_eq!(p == 1, k == 255);
        }
        assert_eq!(mul(0x80, 2), 0x1d);
    }

    #[test]
    fn every_nonzero_element_has_an_inverse() {
        for a in 1..=255u8 {
            assert_eq!(mul(a, inv(a)), 1, "a = {a}");
        }
    }
}
