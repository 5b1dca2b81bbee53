//! Portable constant-time kernel: eight GF(256) lanes in a `u64`. Multiplying by the
//! public constant `c` is shift-and-xor over the bits of `c`; the secret lanes only go
//! through masks, shifts and xors, never through a branch or a memory index.

const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
const HIGH1: u64 = 0x8080_8080_8080_8080;

/// Every lane times x (the field element 2).
#[inline(always)]
fn xtime(v: u64) -> u64 {
    ((v & LOW7) << 1) ^ (((v & HIGH1) >> 7) * u64::from(crate::gf256::POLY))
}

/// Every lane times `c` (public).
#[inline(always)]
fn mul_word(mut v: u64, mut c: u8) -> u64 {
    let mut r = 0;
    while c != 0 {
        if c & 1 == 1 {
            r ^= v;
        }
        v = xtime(v);
        c >>= 1;
    }
    r
}

fn load(bytes: &[u8]) -> u64 {
    let mut word = [0u8; 8];
    word[..bytes.len()].copy_from_slice(bytes);
    u64::from_le_bytes(word)
}

fn store(bytes: &mut [u8], v: u64) {
    let n = bytes.len();
    bytes.copy_from_slice(&v.to_le_bytes()[..n]);
}

/// `dst ^= c · src`
pub fn mul_add(dst: &mut [u8], src: &[u8], c: u8) {
    for (d, s) in dst.chunks_mut(8).zip(src.chunks(8)) {
        store(d, load(d) ^ mul_word(load(s), c));
    }
}

/// `acc = c · acc ^ add`
pub fn horner(acc: &mut [u8], c: u8, add: &[u8]) {
    for (a, s) in acc.chunks_mut(8).zip(add.chunks(8)) {
        store(a, mul_word(load(a), c) ^ load(s));
    }
}
