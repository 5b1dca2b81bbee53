//! The sharing benchmark built to wasm: JavaScript prepares a [`Bench`] (inputs made
//! once) and times [`Bench::run`] with `performance.now()`, so this crate has no clock.
//! Ours, `sharks` and `blahaj` on the same inputs. A measurement, not a test.

use gfms_shamir::Share;
use wasm_bindgen::prelude::*;

/// Which kernel our sharing uses in this build (`simd128` or `swar`).
#[wasm_bindgen]
pub fn kernel() -> String {
    gfms_shamir::Kernel::best().name().to_string()
}

/// Inputs for one (size, n, k) cell.
#[wasm_bindgen]
pub struct Bench {
    secret: Vec<u8>,
    n: u8,
    k: u8,
    ours: Vec<Share>,
    sharks: Vec<sharks::Share>,
    blahaj: Vec<blahaj::Share>,
}

#[wasm_bindgen]
impl Bench {
    /// Makes a secret of `size` bytes and `k` shares of it in each library's form.
    #[wasm_bindgen(constructor)]
    pub fn new(size: usize, n: u8, k: u8) -> Result<Bench, JsError> {
        let secret: Vec<u8> = (0..size).map(|i| (i * 7 + 3) as u8).collect();
        let ours: Vec<Share> = gfms_shamir::split(&secret, k, n)
            .map_err(|e| JsError::new(&e.to_string()))?
            .into_iter()
            .take(usize::from(k))
            .collect();
        let bytes: Vec<Vec<u8>> = ours.iter().map(Share::to_bytes).collect();
        let sharks = bytes
            .iter()
            .filter_map(|b| sharks::Share::try_from(b.as_slice()).ok())
            .collect();
        let blahaj = bytes
            .iter()
            .filter_map(|b| blahaj::Share::try_from(b.as_slice()).ok())
            .collect();
        Ok(Bench {
            secret,
            n,
            k,
            ours,
            sharks,
            blahaj,
        })
    }

    /// Runs `implementation`'s `op` (`split` or `combine`) `iterations` times; returns a
    /// checksum so nothing is optimised away.
    pub fn run(&self, implementation: &str, op: &str, iterations: u32) -> Result<u32, JsError> {
        let (n, k) = (usize::from(self.n), self.k);
        let mut sum = 0u32;
        for _ in 0..iterations {
            sum = sum.wrapping_add(match (implementation, op) {
                ("ours", "split") => gfms_shamir::split(&self.secret, k, self.n)
                    .map(|s| s.len() as u32)
                    .unwrap_or(0),
                ("ours", "combine") => gfms_shamir::combine(&self.ours)
                    .map(|s| s.len() as u32)
                    .unwrap_or(0),
                ("sharks", "split") => {
                    sharks::Sharks(k).dealer(&self.secret).take(n).count() as u32
                }
                ("sharks", "combine") => sharks::Sharks(k)
                    .recover(&self.sharks)
                    .map(|s| s.len() as u32)
                    .unwrap_or(0),
                ("blahaj", "split") => {
                    blahaj::Sharks(k).dealer(&self.secret).take(n).count() as u32
                }
                ("blahaj", "combine") => blahaj::Sharks(k)
                    .recover(&self.blahaj)
                    .map(|s| s.len() as u32)
                    .unwrap_or(0),
                _ => return Err(JsError::new("unknown implementation or operation")),
            });
        }
        Ok(sum)
    }
}
