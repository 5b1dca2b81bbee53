//! Padding to size buckets, so a relay (which sees share sizes) learns only a bucket,
//! not a record's size: powers of two from 256 B to 64 KiB, then multiples of 64 KiB.
//! Padded form: the plaintext length (u32, little endian), the plaintext, zeros.

/// Smallest bucket.
pub const MIN_BUCKET: usize = 256;
/// Above this, buckets grow in steps of this size.
pub const STEP: usize = 64 * 1024;

/// The bucket a payload of `len` bytes (plus its 4-byte length) is padded to.
pub fn bucket(len: usize) -> usize {
    let need = len + 4;
    if need <= STEP {
        need.next_power_of_two().max(MIN_BUCKET)
    } else {
        need.div_ceil(STEP) * STEP
    }
}

/// Pads `plaintext` to its bucket.
pub fn pad(plaintext: &[u8]) -> Option<Vec<u8>> {
    let len = u32::try_from(plaintext.len()).ok()?;
    let mut out = Vec::with_capacity(bucket(plaintext.len()));
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(plaintext);
    out.resize(bucket(plaintext.len()), 0);
    Some(out)
}

/// Removes the padding; `None` if the length prefix does not fit.
pub fn unpad(padded: &[u8]) -> Option<&[u8]> {
    let (len, rest) = padded.split_first_chunk::<4>()?;
    rest.get(..u32::from_le_bytes(*len) as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_within_a_bucket_look_the_same() {
        assert_eq!(pad(b"").unwrap().len(), 256);
        assert_eq!(pad(&[1; 100]).unwrap().len(), 256);
        assert_eq!(pad(&[1; 252]).unwrap().len(), 256);
        assert_eq!(pad(&[1; 253]).unwrap().len(), 512);
        assert_eq!(pad(&[1; 70_000]).unwrap().len(), 2 * STEP);
        for len in [0usize, 1, 252, 253, 5000, 65_532, 65_533, 200_000] {
            let data: Vec<u8> = (0..len).map(|i| i as u8).collect();
            assert_eq!(unpad(&pad(&data).unwrap()).unwrap(), data.as_slice());
        }
    }

    #[test]
    fn bad_padding_is_refused() {
        assert_eq!(unpad(&[1, 0]), None);
        assert_eq!(unpad(&[200, 0, 0, 0, 1, 2]), None);
    }
}
