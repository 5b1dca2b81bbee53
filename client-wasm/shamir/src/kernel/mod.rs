//! Vector kernels: a secret byte vector times a *public* GF(256) constant.
//!
//! Which kernel runs where ([`Kernel::best`]):
//! - x86_64 with SSSE3 (every x86_64 CPU since 2006, checked at run time): "ssse3",
//!   split-nibble tables in registers applied with `pshufb`, 16 bytes per step.
//! - wasm32 built with `simd128` (what the PWA ships; Safari 16.4+, every current
//!   browser): "simd128", the same tables through `i8x16.swizzle`.
//! - everywhere else, and on demand ([`Kernel::portable`]): "swar", portable
//!   SIMD-within-a-register, 8 bytes per `u64`, multiplying by shift-and-xor.
//!
//! Why by hand: this is the hot loop of GFMS and the one place where a table lookup
//! would be indexed by secret bytes (the classic log/exp-table Shamir leaks through the
//! cache). Here the tables are indexed only inside SIMD registers (shuffles are
//! constant-time), and the portable path branches only on the public constant.

mod swar;
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod wasm;
#[cfg(target_arch = "x86_64")]
mod x86;

use crate::gf256;

/// An implementation of the vector multiply that detection found usable here.
///
/// A `Kernel` is a token: only [`Kernel::best`] (after runtime CPU detection),
/// [`Kernel::portable`] and [`Kernel::available`] make one, so safe code cannot pick a
/// kernel the CPU lacks (a careless or hostile caller would otherwise run SSSE3
/// instructions on a CPU without them, which is undefined behaviour):
///
/// ```compile_fail
/// let forged = gfms_shamir::Kernel::Ssse3;
/// ```
///
/// ```
/// use gfms_shamir::{Kernel, combine_with};
/// let shares = gfms_shamir::split(b"secret", 2, 3)?;
/// for kernel in Kernel::available() {
///     assert_eq!(combine_with(kernel, &shares[1..])?, b"secret");
/// }
/// # Ok::<(), gfms_shamir::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kernel(Kind);

/// Private, so a [`Kernel`] of a CPU-specific kind exists only where detection made it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Portable, constant-time SIMD-within-a-register (8 bytes per `u64`).
    Swar,
    /// x86_64 SSSE3 `pshufb` on split-nibble tables (16 bytes per step). Made only after
    /// `is_x86_feature_detected!("ssse3")`.
    #[cfg(target_arch = "x86_64")]
    Ssse3,
    /// wasm `simd128` `i8x16.swizzle` on split-nibble tables (16 bytes per step). Compiled
    /// only into a `simd128` build, which an engine without SIMD refuses to instantiate
    /// (validation fails), so where this code runs the instructions exist.
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    Simd128,
}

impl Kernel {
    /// The fastest kernel this CPU and build support.
    pub fn best() -> Kernel {
        #[cfg(target_arch = "x86_64")]
        if std::is_x86_feature_detected!("ssse3") {
            return Kernel(Kind::Ssse3);
        }
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        return Kernel(Kind::Simd128);
        #[allow(unreachable_code)]
        Kernel::portable()
    }

    /// The portable kernel, usable everywhere (tests and benchmarks compare against it).
    pub fn portable() -> Kernel {
        Kernel(Kind::Swar)
    }

    /// Every kernel usable here, the portable one first (for tests and benchmarks).
    pub fn available() -> Vec<Kernel> {
        let mut all = vec![Kernel::portable()];
        if Kernel::best() != Kernel::portable() {
            all.push(Kernel::best());
        }
        all
    }

    /// A short name for reports.
    pub fn name(self) -> &'static str {
        match self.0 {
            Kind::Swar => "swar",
            #[cfg(target_arch = "x86_64")]
            Kind::Ssse3 => "ssse3",
            #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
            Kind::Simd128 => "simd128",
        }
    }

    /// `dst ^= c · src` (combine: add a share times its Lagrange weight).
    pub(crate) fn mul_add(self, dst: &mut [u8], src: &[u8], c: u8) {
        debug_assert_eq!(dst.len(), src.len());
        match self.0 {
            Kind::Swar => swar::mul_add(dst, src, c),
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `x86::mul_add` needs a CPU with SSSE3. `Kind::Ssse3` is private and
            // made only in `Kernel::best` after `is_x86_feature_detected!("ssse3")`.
            Kind::Ssse3 => unsafe { x86::mul_add(dst, src, &Tables::new(c)) },
            #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
            Kind::Simd128 => wasm::mul_add(dst, src, &Tables::new(c)),
        }
    }

    /// `acc = c · acc ^ add` (split: one Horner step of the polynomial at `x = c`).
    pub(crate) fn horner(self, acc: &mut [u8], c: u8, add: &[u8]) {
        debug_assert_eq!(acc.len(), add.len());
        match self.0 {
            Kind::Swar => swar::horner(acc, c, add),
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `x86::horner` needs a CPU with SSSE3. `Kind::Ssse3` is private and
            // made only in `Kernel::best` after `is_x86_feature_detected!("ssse3")`.
            Kind::Ssse3 => unsafe { x86::horner(acc, &Tables::new(c), add) },
            #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
            Kind::Simd128 => wasm::horner(acc, &Tables::new(c), add),
        }
    }
}

/// Split-nibble multiplication tables for one public constant `c`:
/// `c · v = lo[v & 15] ^ hi[v >> 4]`.
#[cfg_attr(
    not(any(
        target_arch = "x86_64",
        all(target_arch = "wasm32", target_feature = "simd128")
    )),
    allow(dead_code)
)]
pub(crate) struct Tables {
    pub lo: [u8; 16],
    pub hi: [u8; 16],
    pub c: u8,
}

#[cfg_attr(
    not(any(
        target_arch = "x86_64",
        all(target_arch = "wasm32", target_feature = "simd128")
    )),
    allow(dead_code)
)]
impl Tables {
    pub fn new(c: u8) -> Self {
        let mut lo = [0u8; 16];
        let mut hi = [0u8; 16];
        for n in 0..16u8 {
            lo[n as usize] = gf256::mul(c, n);
            hi[n as usize] = gf256::mul(c, n << 4);
        }
        Self { lo, hi, c }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kernel_agrees_with_scalar_field_math() {
        let src: Vec<u8> = (0..=255u8).chain(0..=40).collect(); // not a multiple of 16 or 8
        for kernel in Kernel::available() {
            for c in [0u8, 1, 2, 0x1d, 0x80, 0xff, 0x53] {
                let mut dst: Vec<u8> = src.iter().map(|b| b.wrapping_mul(7)).collect();
                let before = dst.clone();
                kernel.mul_add(&mut dst, &src, c);
                for i in 0..src.len() {
                    assert_eq!(
                        dst[i],
                        before[i] ^ gf256::mul(c, src[i]),
                        "{kernel:?} mul_add c={c} i={i}"
                    );
                }
                let mut acc = before.clone();
                kernel.horner(&mut acc, c, &src);
                for i in 0..src.len() {
                    assert_eq!(
                        acc[i],
                        gf256::mul(c, before[i]) ^ src[i],
                        "{kernel:?} horner c={c} i={i}"
                    );
                }
            }
        }
    }
}
