//! Sealing a batch under the group's record key, the first step of the send path, and
//! the authentication check the receive path ends with.

use chacha20poly1305::aead::{Aead, Payload};
use chacha20poly1305::{KeyInit, XChaCha20Poly1305, XNonce};

use crate::padding::{pad, unpad};
use crate::{BatchId, Error, GroupKeys, SenderId};

const NONCE_LEN: usize = 24;

/// A batch sealed under the group's record key: what is split over the relays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedBatch {
    /// The batch id (bound into the AEAD's associated data).
    pub batch_id: BatchId,
    /// The sender (bound likewise).
    pub sender: SenderId,
    /// nonce (24) ‖ XChaCha20-Poly1305(record key, nonce, padded plaintext, AAD).
    pub bytes: Vec<u8>,
}

impl SealedBatch {
    /// SHA-256 of the sealed bytes (nonce and ciphertext): what a delivery receipt names.
    pub fn sha256(&self) -> [u8; 32] {
        use sha2::{Digest, Sha256};
        Sha256::digest(&self.bytes).into()
    }
}

fn aad(keys: &GroupKeys, batch_id: &BatchId, sender: &SenderId) -> Vec<u8> {
    [
        b"gfms v1 batch".as_slice(),
        &keys.group_tag,
        batch_id,
        sender,
    ]
    .concat()
}

pub(crate) fn random<const N: usize>() -> Result<[u8; N], Error> {
    let mut out = [0u8; N];
    getrandom::fill(&mut out).map_err(|_| Error::Rng)?;
    Ok(out)
}

/// Pads `plaintext` to its size bucket and seals it under the record key with a random
/// nonce; the associated data binds the group, the batch id and the sender.
pub fn seal(
    keys: &GroupKeys,
    batch_id: BatchId,
    sender: SenderId,
    plaintext: &[u8],
) -> Result<SealedBatch, Error> {
    let padded = pad(plaintext).ok_or(Error::TooLarge(plaintext.len()))?;
    let nonce = random::<NONCE_LEN>()?;
    let cipher = XChaCha20Poly1305::new((&keys.record_key).into());
    let sealed = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: &padded,
                aad: &aad(keys, &batch_id, &sender),
            },
        )
        .map_err(|_| Error::TooLarge(plaintext.len()))?;
    Ok(SealedBatch {
        batch_id,
        sender,
        bytes: [nonce.as_slice(), &sealed].concat(),
    })
}

/// The plaintext of a sealed batch, if it authenticates under `keys`.
pub(crate) fn unseal(keys: &GroupKeys, sealed: &SealedBatch) -> Option<Vec<u8>> {
    if sealed.bytes.len() < NONCE_LEN {
        return None;
    }
    let (nonce, body) = sealed.bytes.split_at(NONCE_LEN);
    let cipher = XChaCha20Poly1305::new((&keys.record_key).into());
    let padded = cipher
        .decrypt(
            XNonce::from_slice(nonce),
            Payload {
                msg: body,
                aad: &aad(keys, &sealed.batch_id, &sealed.sender),
            },
        )
        .ok()?;
    unpad(&padded).map(<[u8]>::to_vec)
}
