//! One share and its byte form (the `sharks` layout: `x`, then the `y` bytes).

use crate::Error;

/// One share: the polynomials evaluated at `x`, one `y` byte per secret byte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Share {
    /// The evaluation point, 1..=255.
    pub x: u8,
    /// One byte per secret byte.
    pub y: Vec<u8>,
}

impl Share {
    /// `x` followed by `y`: the byte layout of the `sharks` crate.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(1 + self.y.len());
        out.push(self.x);
        out.extend_from_slice(&self.y);
        out
    }

    /// Parses [`Share::to_bytes`] output.
    pub fn from_bytes(bytes: &[u8]) -> Result<Share, Error> {
        let (&x, y) = bytes.split_first().ok_or(Error::Truncated)?;
        if x == 0 {
            return Err(Error::ZeroX);
        }
        Ok(Share { x, y: y.to_vec() })
    }
}
