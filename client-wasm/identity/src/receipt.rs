//! Delivery receipts: a member's signature saying "I rebuilt this exact sealed batch from
//! this relay's share", sent with its ack so that the sender, not the relay, decides who
//! has a batch.

use sha2::{Digest, Sha256};

use crate::encoding::{b64, b64_array};
use crate::{BatchId, DeviceKeys, Error, GroupContext, MemberCard, MemberId, ShareId};

/// The domain label that starts every receipt message.
pub const RECEIPT_LABEL: &[u8] = b"gfms v1 receipt";
/// A receipt's length on the wire: one Ed25519 signature.
pub const RECEIPT_LEN: usize = 64;
const MESSAGE_LEN: usize = 15 + 32 + 16 + 32 + 16 + 16;

/// What a receipt states. One per relay acked at: the share id is in it, so relays
/// comparing notes hold unrelated receipts for one batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReceiptClaim {
    /// The batch received.
    pub batch: BatchId,
    /// SHA-256 of the sealed batch the receiver rebuilt (the AEAD ciphertext that opened).
    pub sealed_batch_sha256: [u8; 32],
    /// The share's id at the relay the receipt goes to.
    pub share: ShareId,
    /// The receiving member.
    pub member: MemberId,
}

impl ReceiptClaim {
    /// The claim for a sealed batch, hashing its bytes.
    pub fn new(batch: BatchId, sealed_batch: &[u8], share: ShareId, member: MemberId) -> Self {
        Self {
            batch,
            sealed_batch_sha256: Sha256::digest(sealed_batch).into(),
            share,
            member,
        }
    }

    /// The signed bytes: [`RECEIPT_LABEL`] ‖ group context (32) ‖ batch id (16) ‖ SHA-256
    /// of the sealed batch (32) ‖ share id (16) ‖ member id (16); 127 bytes.
    pub fn message(&self, context: &GroupContext) -> [u8; MESSAGE_LEN] {
        let mut out = [0u8; MESSAGE_LEN];
        let parts: [&[u8]; 6] = [
            RECEIPT_LABEL,
            context.as_bytes(),
            &self.batch,
            &self.sealed_batch_sha256,
            &self.share,
            &self.member,
        ];
        let mut at = 0;
        for part in parts {
            out[at..at + part.len()].copy_from_slice(part);
            at += part.len();
        }
        out
    }
}

/// A delivery receipt: the receiving member's Ed25519 signature over a
/// [`ReceiptClaim`]'s message. 64 bytes on the wire, opaque to relays.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Receipt([u8; RECEIPT_LEN]);

impl DeviceKeys {
    /// Signs a receipt for `claim` (whose `member` must be this device's member id).
    pub fn sign_receipt(&self, context: &GroupContext, claim: &ReceiptClaim) -> Receipt {
        Receipt(self.sign(&claim.message(context)))
    }
}

impl Receipt {
    /// Checks that the member whose card this is signed exactly `claim` in this group.
    /// Any other batch, hash, share, member, group or signer: [`Error::BadReceipt`].
    pub fn verify(
        &self,
        context: &GroupContext,
        claim: &ReceiptClaim,
        card: &MemberCard,
    ) -> Result<(), Error> {
        if card.verifies(&claim.message(context), &self.0) {
            Ok(())
        } else {
            Err(Error::BadReceipt)
        }
    }

    /// The 64 bytes a relay stores.
    pub fn to_bytes(&self) -> [u8; RECEIPT_LEN] {
        self.0
    }

    /// Reads stored bytes: exactly 64, else [`Error::Malformed`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        bytes
            .try_into()
            .map(Self)
            .map_err(|_| Error::Malformed("receipt"))
    }

    /// Unpadded base64url (86 characters), for JSON bodies.
    pub fn to_base64url(&self) -> String {
        b64(&self.0)
    }

    /// Parses [`Receipt::to_base64url`]'s form.
    pub fn from_base64url(text: &str) -> Result<Self, Error> {
        b64_array(text, "receipt").map(Self)
    }
}

impl std::fmt::Debug for Receipt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Receipt({})", self.to_base64url())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_layout_is_fixed() {
        let claim = ReceiptClaim {
            batch: [1; 16],
            sealed_batch_sha256: [2; 32],
            share: [3; 16],
            member: [4; 16],
        };
        let m = claim.message(&GroupContext::from_bytes([5; 32]));
        assert_eq!(m.len(), 127);
        assert_eq!(&m[..15], b"gfms v1 receipt");
        assert_eq!(&m[15..47], &[5; 32]);
        assert_eq!(&m[47..63], &[1; 16]);
        assert_eq!(&m[63..95], &[2; 32]);
        assert_eq!(&m[95..111], &[3; 16]);
        assert_eq!(&m[111..], &[4; 16]);
    }

    #[test]
    fn receipts_are_64_bytes_and_parse_strictly() {
        let keys = DeviceKeys::from_secrets(&[1; 32], &[1; 32]).unwrap();
        let claim = ReceiptClaim::new([1; 16], b"sealed", [2; 16], [3; 16]);
        let r = keys.sign_receipt(&GroupContext::from_bytes([0; 32]), &claim);
        assert_eq!(Receipt::from_bytes(&r.to_bytes()), Ok(r));
        assert_eq!(Receipt::from_base64url(&r.to_base64url()), Ok(r));
        assert_eq!(r.to_base64url().len(), 86);
        assert_eq!(
            Receipt::from_bytes(&[0; 65]),
            Err(Error::Malformed("receipt"))
        );
    }
}
