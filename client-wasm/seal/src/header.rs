//! The per-relay share header: which batch a share belongs to and how to combine it,
//! sealed under the relay's header key and bound to the relay's group id and the share
//! id (derived per relay from the batch id), so a relay can neither read it nor move it
//! onto another share.
//!
//! Layout: nonce (24) ‖ XChaCha20-Poly1305(version 1 ‖ batch id 16 ‖ sender 16 ‖ x ‖ k ‖ n) ‖ y.

use chacha20poly1305::aead::{Aead, Payload};
use chacha20poly1305::{KeyInit, XChaCha20Poly1305, XNonce};
use gfms_protocol::ShareId;

use crate::{BatchId, Error, RelayKeys, SenderId};

const VERSION: u8 = 1;
const PLAIN_LEN: usize = 1 + 16 + 16 + 3;
/// Bytes the sealed header adds in front of a share's `y` bytes.
pub const HEADER_LEN: usize = 24 + PLAIN_LEN + 16;

/// What a share's header says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShareHeader {
    /// The batch the share belongs to.
    pub batch_id: BatchId,
    /// Who sent the batch.
    pub sender: SenderId,
    /// The share's Shamir `x`.
    pub x: u8,
    /// Threshold.
    pub k: u8,
    /// Share count.
    pub n: u8,
}

fn aad(keys: &RelayKeys, share_id: &ShareId) -> Vec<u8> {
    [
        b"gfms v1 header".as_slice(),
        keys.group_id.as_bytes(),
        share_id.as_bytes(),
    ]
    .concat()
}

pub(crate) fn seal_header(
    keys: &RelayKeys,
    share_id: &ShareId,
    h: &ShareHeader,
    nonce: &[u8; 24],
) -> Result<Vec<u8>, Error> {
    let mut plain = Vec::with_capacity(PLAIN_LEN);
    plain.push(VERSION);
    plain.extend_from_slice(&h.batch_id);
    plain.extend_from_slice(&h.sender);
    plain.extend_from_slice(&[h.x, h.k, h.n]);
    let cipher = XChaCha20Poly1305::new((&keys.header_key).into());
    let sealed = cipher
        .encrypt(
            XNonce::from_slice(nonce),
            Payload {
                msg: &plain,
                aad: &aad(keys, share_id),
            },
        )
        .map_err(|_| Error::BadHeader)?;
    Ok([nonce.as_slice(), &sealed].concat())
}

/// Opens a share blob fetched from the relay `keys` under `share_id`: its header and
/// its `y` bytes. Fails with [`Error::BadHeader`] if anything was changed.
pub(crate) fn read_header<'a>(
    keys: &RelayKeys,
    share_id: &ShareId,
    blob: &'a [u8],
) -> Result<(ShareHeader, &'a [u8]), Error> {
    if blob.len() < HEADER_LEN {
        return Err(Error::BadHeader);
    }
    let (head, y) = blob.split_at(HEADER_LEN);
    let (nonce, sealed) = head.split_at(24);
    let cipher = XChaCha20Poly1305::new((&keys.header_key).into());
    let plain = cipher
        .decrypt(
            XNonce::from_slice(nonce),
            Payload {
                msg: sealed,
                aad: &aad(keys, share_id),
            },
        )
        .map_err(|_| Error::BadHeader)?;
    let [version, rest @ ..] = plain.as_slice() else {
        return Err(Error::BadHeader);
    };
    if *version != VERSION || rest.len() != PLAIN_LEN - 1 {
        return Err(Error::BadHeader);
    }
    let mut batch_id = [0u8; 16];
    let mut sender = [0u8; 16];
    batch_id.copy_from_slice(&rest[..16]);
    sender.copy_from_slice(&rest[16..32]);
    let header = ShareHeader {
        batch_id,
        sender,
        x: rest[32],
        k: rest[33],
        n: rest[34],
    };
    if header.x == 0 || header.k < 2 || header.k > header.n {
        return Err(Error::BadHeader);
    }
    Ok((header, y))
}
