//! Splitting a sealed batch over the relays (one share blob per relay), and reading a
//! blob fetched back from one.

use gfms_protocol::ShareId;

use crate::header::{read_header, seal_header};
use zeroize::Zeroize;

use crate::seal::random;
use crate::{Error, RelayKeys, SealedBatch, ShareHeader};

/// One relay's share of a batch, ready to put.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelayShare {
    /// Index of the relay in the list given to [`split_for_relays`].
    pub relay_index: usize,
    /// The share's id at this relay: derived from the batch id with the relay's share id
    /// key ([`RelayKeys::share_id`]), so a receiver that read one header knows the ids
    /// of the others, and no relay can link its id to another relay's.
    pub share_id: ShareId,
    /// Sealed header ‖ Shamir `y` bytes.
    pub blob: Vec<u8>,
}

/// One fetched share with its header opened ([`read_share`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharePart {
    /// Which relay it came from (reported back in [`crate::Opened::bad_relays`]).
    pub relay_index: usize,
    /// Its header.
    pub header: ShareHeader,
    /// Its `y` bytes.
    pub y: Vec<u8>,
}

/// Shamir-splits a sealed batch `k` of `n` (`n` = the relays given) and wraps share `i`
/// for relay `i`: its header (batch, sender, `x`, `k`, `n`) sealed under that relay's
/// header key and bound to the share's derived id there.
pub fn split_for_relays(
    sealed: &SealedBatch,
    relays: &[RelayKeys],
    k: u8,
) -> Result<Vec<RelayShare>, Error> {
    split_for_relays_seeded(sealed, relays, k, &random()?)
}

/// [`split_for_relays`] with its randomness drawn from `seed`: the Shamir coefficients
/// and each header's nonce are derived from it, so the same sealed batch, relays, `k`
/// and seed give the same blobs, byte for byte. A device keeps the sealed batch and the
/// seed (not `n` shares as large as the batch) and makes a share again to put it. The
/// seed is as secret as the shares (with the sealed batch it gives them all) and must
/// be fresh for each batch.
pub fn split_for_relays_seeded(
    sealed: &SealedBatch,
    relays: &[RelayKeys],
    k: u8,
    seed: &[u8; 32],
) -> Result<Vec<RelayShare>, Error> {
    let n =
        u8::try_from(relays.len()).map_err(|_| Error::InvalidThreshold { k, n: relays.len() })?;
    if k < 2 || k > n {
        return Err(Error::InvalidThreshold { k, n: relays.len() });
    }
    let mut coefficients = derive(seed, b"shamir", 0);
    let shares = gfms_shamir::split_seeded(&sealed.bytes, k, n, &coefficients);
    coefficients.zeroize();
    let shares = shares.map_err(|_| Error::Rng)?;
    let mut out = Vec::with_capacity(relays.len());
    for (relay_index, (relay, share)) in relays.iter().zip(shares).enumerate() {
        let share_id = relay.share_id(&sealed.batch_id);
        let header = ShareHeader {
            batch_id: sealed.batch_id,
            sender: sealed.sender,
            x: share.x,
            k,
            n,
        };
        let mut nonce = [0u8; 24];
        nonce.copy_from_slice(&derive(seed, b"header nonce", relay_index)[..24]);
        let mut blob = seal_header(relay, &share_id, &header, &nonce)?;
        blob.extend_from_slice(&share.y);
        out.push(RelayShare {
            relay_index,
            share_id,
            blob,
        });
    }
    Ok(out)
}

/// SHA-256(`"gfms v1 split "` ‖ `what` ‖ `seed` ‖ `index`): one value per use of the
/// seed (a hash of a secret 32-byte seed is as unpredictable as a fresh draw).
fn derive(seed: &[u8; 32], what: &[u8], index: usize) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(b"gfms v1 split ");
    h.update(what);
    h.update(seed);
    h.update((index as u64).to_be_bytes());
    h.finalize().into()
}

/// Opens the header of a blob fetched from relay `relay_index` (keys `relay`) under
/// `share_id`. Fails with [`Error::BadHeader`] if anything was changed, or the blob was
/// moved from another share id.
pub fn read_share(
    relay: &RelayKeys,
    share_id: &ShareId,
    relay_index: usize,
    blob: &[u8],
) -> Result<SharePart, Error> {
    let (header, y) = read_header(relay, share_id, blob)?;
    Ok(SharePart {
        relay_index,
        header,
        y: y.to_vec(),
    })
}
