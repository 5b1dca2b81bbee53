//! wasm `simd128` kernel: `i8x16.swizzle` looks up the split-nibble tables inside a
//! register, so the secret nibbles index only register lanes, never memory. Compiled
//! only when the build enables `simd128` (the PWA's build does; Safari 16.4+ runs it).

use core::arch::wasm32::{
    u8x16_shr, u8x16_splat, u8x16_swizzle, v128, v128_and, v128_load, v128_store, v128_xor,
};

use super::{Tables, swar};

#[inline(always)]
fn load(bytes: &[u8]) -> v128 {
    debug_assert_eq!(bytes.len(), 16);
    // SAFETY: `bytes` holds 16 readable bytes; wasm loads have no alignment requirement.
    unsafe { v128_load(bytes.as_ptr().cast()) }
}

#[inline(always)]
fn store(bytes: &mut [u8], v: v128) {
    debug_assert_eq!(bytes.len(), 16);
    // SAFETY: `bytes` holds 16 writable bytes; wasm stores have no alignment requirement.
    unsafe { v128_store(bytes.as_mut_ptr().cast(), v) }
}

#[inline(always)]
fn mul16(v: v128, lo: v128, hi: v128) -> v128 {
    let mask = u8x16_splat(0x0f);
    let low = v128_and(v, mask);
    let high = u8x16_shr(v, 4);
    v128_xor(u8x16_swizzle(lo, low), u8x16_swizzle(hi, high))
}

/// `dst ^= c · src`
pub fn mul_add(dst: &mut [u8], src: &[u8], t: &Tables) {
    let (lo, hi) = (load(&t.lo), load(&t.hi));
    let mut d = dst.chunks_exact_mut(16);
    let mut s = src.chunks_exact(16);
    for (d, s) in (&mut d).zip(&mut s) {
        let v = v128_xor(load(d), mul16(load(s), lo, hi));
        store(d, v);
    }
    swar::mul_add(d.into_remainder(), s.remainder(), t.c);
}

/// `acc = c · acc ^ add`
pub fn horner(acc: &mut [u8], t: &Tables, add: &[u8]) {
    let (lo, hi) = (load(&t.lo), load(&t.hi));
    let mut a = acc.chunks_exact_mut(16);
    let mut s = add.chunks_exact(16);
    for (a, s) in (&mut a).zip(&mut s) {
        let v = v128_xor(mul16(load(a), lo, hi), load(s));
        store(a, v);
    }
    swar::horner(a.into_remainder(), t.c, s.remainder());
}
