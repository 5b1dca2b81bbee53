//! wasm `simd128` kernel: `i8x16.swizzle` looks up the split-nibble tables inside a
//! register, so the secret nibbles index only register lanes, never memory. Compiled
//! only when the build enables `simd128` (the PWA's build does; Safari 16.4+ runs it).
//! A wasm engine without SIMD refuses the whole module at validation, so no CPU check is
//! needed at run time.

use core::arch::wasm32::{
    u8x16_shr, u8x16_splat, u8x16_swizzle, v128, v128_and, v128_load, v128_store, v128_xor,
};

use super::{Tables, swar};

#[inline(always)]
fn load(bytes: &[u8; 16]) -> v128 {
    // SAFETY: `v128_load` reads 16 bytes from the pointer with no alignment need;
    // a `[u8; 16]` is 16 readable bytes.
    unsafe { v128_load(bytes.as_ptr().cast()) }
}

#[inline(always)]
fn store(bytes: &mut [u8; 16], v: v128) {
    // SAFETY: `v128_store` writes 16 bytes to the pointer with no alignment need;
    // a `[u8; 16]` is 16 writable bytes, borrowed mutably, so nothing else sees the write.
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
    let (d, d_rest) = dst.as_chunks_mut::<16>();
    let (s, s_rest) = src.as_chunks::<16>();
    for (d, s) in d.iter_mut().zip(s) {
        let v = v128_xor(load(d), mul16(load(s), lo, hi));
        store(d, v);
    }
    swar::mul_add(d_rest, s_rest, t.c);
}

/// `acc = c · acc ^ add`
pub fn horner(acc: &mut [u8], t: &Tables, add: &[u8]) {
    let (lo, hi) = (load(&t.lo), load(&t.hi));
    let (a, a_rest) = acc.as_chunks_mut::<16>();
    let (s, s_rest) = add.as_chunks::<16>();
    for (a, s) in a.iter_mut().zip(s) {
        let v = v128_xor(mul16(load(a), lo, hi), load(s));
        store(a, v);
    }
    swar::horner(a_rest, t.c, s_rest);
}
