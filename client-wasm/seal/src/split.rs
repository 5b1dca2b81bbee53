//! Splitting a sealed batch over the relays (one share blob per relay), and reading a
//! blob fetched back from one.

use gfms_protocol::ShareId;

use crate::header::{read_header, seal_header};
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
    let n =
        u8::try_from(relays.len()).map_err(|_| Error::InvalidThreshold { k, n: relays.len() })?;
    if k < 2 || k > n {
        return Err(Error::InvalidThreshold { k, n: relays.len() });
    }
    let shares = gfms_shamir::split(&sealed.bytes, k, n).map_err(|_| Error::Rng)?;
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
        let mut blob = seal_header(relay, &share_id, &header, &random()?)?;
        blob.extend_from_slice(&share.y);
        out.push(RelayShare {
            relay_index,
            share_id,
            blob,
        });
    }
    Ok(out)
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
