//! Shamir's secret sharing, `k` of `n`, over GF(2^8).
//!
//! The field and the share bytes are those of the `sharks` crate: GF(256) with the
//! reduction polynomial `x^8 + x^4 + x^3 + x^2 + 1` (0x11d), the secret as the constant
//! term of a random polynomial of degree `k − 1` per byte, share `x` values 1, 2, …, `n`,
//! and a share serialised as its `x` byte followed by its `y` bytes. Shares made here are
//! recovered by `sharks` and the other way round (tested), so any implementation of that
//! format can rebuild GFMS records; see `docs/share-format.md`.
//!
//! Random coefficients are uniform over all 256 byte values, straight from the OS CSPRNG
//! (`getrandom`), unlike `sharks` 0.5, which draws them from 1..=255 (a published bias).
//!
//! Constant time: every multiplication here is a secret vector times a *public*
//! constant (a power of a share's `x`, or a Lagrange weight), done by one of the
//! [`Kernel`]s below, none of which indexes memory by secret data.
#![deny(missing_docs)]
#![cfg_attr(
    not(any(target_arch = "x86_64", target_arch = "wasm32")),
    forbid(unsafe_code)
)]

mod combine;
mod error;
mod gf256;
mod kernel;
mod share;
mod split;

pub use combine::{combine, combine_with, interpolate};
pub use error::Error;
pub use kernel::Kernel;
pub use share::Share;
pub use split::{split, split_seeded, split_with};
