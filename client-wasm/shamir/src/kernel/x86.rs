//! x86_64 SSSE3 kernel: `pshufb` looks up the split-nibble tables inside a register, so
//! the secret nibbles index only register lanes, never memory.

use core::arch::x86_64::{
    __m128i, _mm_and_si128, _mm_loadu_si128, _mm_set1_epi8, _mm_shuffle_epi8, _mm_srli_epi16,
    _mm_storeu_si128, _mm_xor_si128,
};

use super::{Tables, swar};

#[inline(always)]
fn load(bytes: &[u8; 16]) -> __m128i {
    // SAFETY: `_mm_loadu_si128` reads 16 bytes from the pointer with no alignment need
    // (SSE2, part of every x86_64 CPU); a `[u8; 16]` is 16 readable bytes.
    unsafe { _mm_loadu_si128(bytes.as_ptr().cast()) }
}

#[inline(always)]
fn store(bytes: &mut [u8; 16], v: __m128i) {
    // SAFETY: `_mm_storeu_si128` writes 16 bytes to the pointer with no alignment need
    // (SSE2, part of every x86_64 CPU); a `[u8; 16]` is 16 writable bytes, borrowed
    // mutably, so nothing else sees the write.
    unsafe { _mm_storeu_si128(bytes.as_mut_ptr().cast(), v) }
}

#[inline]
#[target_feature(enable = "ssse3")]
fn mul16(v: __m128i, lo: __m128i, hi: __m128i) -> __m128i {
    let mask = _mm_set1_epi8(0x0f);
    let low = _mm_and_si128(v, mask);
    let high = _mm_and_si128(_mm_srli_epi16(v, 4), mask);
    _mm_xor_si128(_mm_shuffle_epi8(lo, low), _mm_shuffle_epi8(hi, high))
}

/// `dst ^= c · src`
///
/// # Safety
/// The CPU must support SSSE3 (`pshufb`): only a [`super::Kernel`] that detection made
/// calls this.
#[target_feature(enable = "ssse3")]
pub unsafe fn mul_add(dst: &mut [u8], src: &[u8], t: &Tables) {
    let (lo, hi) = (load(&t.lo), load(&t.hi));
    let (d, d_rest) = dst.as_chunks_mut::<16>();
    let (s, s_rest) = src.as_chunks::<16>();
    for (d, s) in d.iter_mut().zip(s) {
        let v = _mm_xor_si128(load(d), mul16(load(s), lo, hi));
        store(d, v);
    }
    swar::mul_add(d_rest, s_rest, t.c);
}

/// `acc = c · acc ^ add`
///
/// # Safety
/// The CPU must support SSSE3 (`pshufb`): only a [`super::Kernel`] that detection made
/// calls this.
#[target_feature(enable = "ssse3")]
pub unsafe fn horner(acc: &mut [u8], t: &Tables, add: &[u8]) {
    let (lo, hi) = (load(&t.lo), load(&t.hi));
    let (a, a_rest) = acc.as_chunks_mut::<16>();
    let (s, s_rest) = add.as_chunks::<16>();
    for (a, s) in a.iter_mut().zip(s) {
        let v = _mm_xor_si128(mul16(load(a), lo, hi), load(s));
        store(a, v);
    }
    swar::horner(a_rest, t.c, s_rest);
}
