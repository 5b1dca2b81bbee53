//! Safety codes: what two people compare in person to know that the card a phone holds
//! for a member is the card that member's own phone made.

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::MemberCard;

/// The first byte of a safety code's QR payload (the format's version).
pub const SAFETY_CODE_QR_VERSION: u8 = 1;

const LABEL: &[u8] = b"gfms v1 safety code";
/// Groups of five digits shown: 30 digits, about 99.7 bits.
const GROUPS: usize = 6;

/// A member card's fingerprint: SHA-256 of `"gfms v1 safety code"` ‖ the card's 64 bytes.
/// Shown as 30 digits in six groups of five; each group is 5 bytes of the fingerprint
/// (bytes `5i .. 5i+5`, big-endian) modulo 100000, zero-padded. A QR code carries
/// [`SAFETY_CODE_QR_VERSION`] ‖ the whole 32-byte fingerprint.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct SafetyCode([u8; 32]);

impl SafetyCode {
    /// The code of a card.
    pub fn of(card: &MemberCard) -> Self {
        let mut h = Sha256::new();
        h.update(LABEL);
        h.update(card.to_bytes());
        Self(h.finalize().into())
    }

    /// The 32-byte fingerprint.
    pub fn fingerprint(&self) -> &[u8; 32] {
        &self.0
    }

    /// The six groups of five digits.
    pub fn groups(&self) -> [String; GROUPS] {
        std::array::from_fn(|i| {
            let chunk = self.0[5 * i..5 * i + 5]
                .iter()
                .fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
            format!("{:05}", chunk % 100_000)
        })
    }

    /// The digits as shown: six groups of five separated by single spaces.
    pub fn digits(&self) -> String {
        self.groups().join(" ")
    }

    /// The bytes a QR code carries: the version byte, then the fingerprint.
    pub fn qr_payload(&self) -> [u8; 33] {
        let mut out = [0u8; 33];
        out[0] = SAFETY_CODE_QR_VERSION;
        out[1..].copy_from_slice(&self.0);
        out
    }

    /// Whether a scanned QR payload is this code. A payload of another version or length
    /// never matches.
    pub fn matches_qr(&self, scanned: &[u8]) -> bool {
        scanned.len() == 33 && bool::from(scanned.ct_eq(&self.qr_payload()))
    }
}

impl std::fmt::Debug for SafetyCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SafetyCode({})", self.digits())
    }
}

impl std::fmt::Display for SafetyCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.digits())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DeviceKeys;

    fn code(byte: u8) -> SafetyCode {
        SafetyCode::of(
            DeviceKeys::from_secrets(&[byte; 32], &[byte; 32])
                .unwrap()
                .card(),
        )
    }

    #[test]
    fn digits_are_six_groups_of_five() {
        let digits = code(1).digits();
        assert_eq!(digits.len(), 35);
        assert!(
            digits
                .split(' ')
                .all(|g| g.len() == 5 && g.bytes().all(|b| b.is_ascii_digit()))
        );
        assert_eq!(digits, code(1).digits(), "deterministic");
        assert_ne!(digits, code(2).digits());
    }

    #[test]
    fn misbehaving_member_swapped_card_is_seen_in_the_qr() {
        let mine = code(1);
        assert!(mine.matches_qr(&mine.qr_payload()));
        assert!(!mine.matches_qr(&code(2).qr_payload()));
        assert!(!mine.matches_qr(&mine.qr_payload()[..32]));
        let mut other_version = mine.qr_payload();
        other_version[0] = 2;
        assert!(!mine.matches_qr(&other_version));
    }
}
