//! Byte fields in JSON: keys, signatures and ciphertexts as unpadded base64url (like
//! share data on the wire and invites), ids as lowercase hex (like the ledger and the
//! relay API). Decoding is strict: one spelling per value.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::Error;

/// Unpadded base64url.
pub(crate) fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes unpadded base64url of exactly `N` bytes.
pub(crate) fn b64_array<const N: usize>(text: &str, field: &'static str) -> Result<[u8; N], Error> {
    let bytes = b64_vec(text, field)?;
    bytes.try_into().map_err(|_| Error::Malformed(field))
}

/// Decodes unpadded base64url of any length (the decoder refuses padding and
/// non-canonical trailing bits, so each value has one spelling).
pub(crate) fn b64_vec(text: &str, field: &'static str) -> Result<Vec<u8>, Error> {
    URL_SAFE_NO_PAD
        .decode(text)
        .map_err(|_| Error::Malformed(field))
}

/// Lowercase hex of a 16-byte id.
pub(crate) fn id_hex(id: &[u8; 16]) -> String {
    hex::encode(id)
}

/// Parses a 16-byte id from strict lowercase hex.
pub(crate) fn id_from_hex(text: &str, field: &'static str) -> Result<[u8; 16], Error> {
    if text.len() != 32 || text.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(Error::Malformed(field));
    }
    let mut out = [0u8; 16];
    hex::decode_to_slice(text, &mut out).map_err(|_| Error::Malformed(field))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_has_one_spelling() {
        assert_eq!(b64(&[0xff; 32]).len(), 43);
        assert_eq!(b64_array::<2>("__8", "x"), Ok([0xff, 0xff]));
        // Padding, the standard alphabet and non-zero trailing bits are refused.
        for bad in ["__8=", "//8", "__9", "__"] {
            assert_eq!(
                b64_array::<2>(bad, "x"),
                Err(Error::Malformed("x")),
                "{bad}"
            );
        }
    }

    #[test]
    fn ids_are_strict_lowercase_hex() {
        let id = [0xab; 16];
        assert_eq!(id_from_hex(&id_hex(&id), "id"), Ok(id));
        for bad in [
            "AB".repeat(16),
            "ab".repeat(15),
            "zz".repeat(16),
            String::new(),
        ] {
            assert_eq!(
                id_from_hex(&bad, "id"),
                Err(Error::Malformed("id")),
                "{bad}"
            );
        }
    }
}
