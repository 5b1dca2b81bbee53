//! Sealing a batch into one share blob per relay, and the robust open.

use chacha20poly1305::aead::{Aead, Payload};
use chacha20poly1305::{KeyInit, XChaCha20Poly1305, XNonce};
use gfms_protocol::ShareId;
use gfms_shamir::Share;

use crate::header::seal_header;
use crate::padding::{pad, unpad};
use crate::{BatchId, Error, GroupKeys, RelayKeys, SenderId, ShareHeader};

/// At most this many `k`-subsets are tried by [`open_batch`]; with the usual n ≤ 10 every
/// subset fits, and it bounds the work a hostile set of shares can cause.
const MAX_SUBSETS: usize = 4096;

/// One relay's share of a batch, ready to put.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelayShare {
    /// Index of the relay in the list given to [`seal_batch`].
    pub relay_index: usize,
    /// A random share id for this relay (unlinkable to the others).
    pub share_id: ShareId,
    /// Sealed header ‖ Shamir `y` bytes.
    pub blob: Vec<u8>,
}

/// A sealed batch: one share per relay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedBatch {
    /// The batch id.
    pub batch_id: BatchId,
    /// One share per relay, in relay order.
    pub shares: Vec<RelayShare>,
}

/// One fetched share whose header was read with [`crate::read_header`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharePart {
    /// Which relay it came from (reported back in [`Opened::bad_relays`]).
    pub relay_index: usize,
    /// Its header.
    pub header: ShareHeader,
    /// Its `y` bytes.
    pub y: Vec<u8>,
}

/// An opened batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened {
    /// The batch as the sender sealed it.
    pub plaintext: Vec<u8>,
    /// The batch id.
    pub batch_id: BatchId,
    /// The sender.
    pub sender: SenderId,
    /// Relays whose shares disagree with the authenticated batch (tampered or broken).
    pub bad_relays: Vec<usize>,
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

fn random<const N: usize>() -> Result<[u8; N], Error> {
    let mut out = [0u8; N];
    getrandom::fill(&mut out).map_err(|_| Error::Rng)?;
    Ok(out)
}

/// Pads, seals and splits `plaintext` into one share per relay, any `k` of which open it.
pub fn seal_batch(
    keys: &GroupKeys,
    relays: &[RelayKeys],
    k: u8,
    batch_id: BatchId,
    sender: SenderId,
    plaintext: &[u8],
) -> Result<SealedBatch, Error> {
    let n =
        u8::try_from(relays.len()).map_err(|_| Error::InvalidThreshold { k, n: relays.len() })?;
    if k < 2 || k > n {
        return Err(Error::InvalidThreshold { k, n: relays.len() });
    }
    let padded = pad(plaintext).ok_or(Error::TooLarge(plaintext.len()))?;
    let nonce = random::<24>()?;
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
    let sealed = [nonce.as_slice(), &sealed].concat();
    let shares = gfms_shamir::split(&sealed, k, n).map_err(|_| Error::Rng)?;
    let mut out = Vec::with_capacity(relays.len());
    for (relay_index, (relay, share)) in relays.iter().zip(shares).enumerate() {
        let share_id = relay.share_id(&batch_id);
        let header = ShareHeader {
            batch_id,
            sender,
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
    Ok(SealedBatch {
        batch_id,
        shares: out,
    })
}

/// Rebuilds and opens a batch from fetched shares (at least `k`, from distinct relays).
/// If the first `k` do not authenticate, other `k`-subsets are tried; the relays whose
/// shares disagree with the authentic result are named in [`Opened::bad_relays`].
pub fn open_batch(keys: &GroupKeys, parts: &[SharePart]) -> Result<Opened, Error> {
    let first = parts
        .first()
        .ok_or(Error::NotEnoughShares { need: 2, have: 0 })?;
    let (batch_id, sender, k) = (first.header.batch_id, first.header.sender, first.header.k);
    if parts
        .iter()
        .any(|p| p.header.batch_id != batch_id || p.header.sender != sender || p.header.k != k)
    {
        return Err(Error::MixedBatches);
    }
    // One share per x: a repeated x (a replayed share) cannot add information.
    let mut usable: Vec<&SharePart> = Vec::with_capacity(parts.len());
    for p in parts {
        if !usable.iter().any(|u| u.header.x == p.header.x) {
            usable.push(p);
        }
    }
    if usable.len() < usize::from(k) {
        return Err(Error::NotEnoughShares {
            need: k,
            have: usable.len(),
        });
    }
    let cipher = XChaCha20Poly1305::new((&keys.record_key).into());
    let aad = aad(keys, &batch_id, &sender);
    for subset in Subsets::new(usable.len(), usize::from(k)).take(MAX_SUBSETS) {
        let shares: Vec<Share> = subset
            .iter()
            .map(|&i| Share {
                x: usable[i].header.x,
                y: usable[i].y.clone(),
            })
            .collect();
        let Ok(sealed) = gfms_shamir::combine(&shares) else {
            continue;
        };
        if sealed.len() < 24 {
            continue;
        }
        let (nonce, body) = sealed.split_at(24);
        let Ok(padded) = cipher.decrypt(
            XNonce::from_slice(nonce),
            Payload {
                msg: body,
                aad: &aad,
            },
        ) else {
            continue;
        };
        let Some(plaintext) = unpad(&padded) else {
            continue;
        };
        let bad_relays = usable
            .iter()
            .enumerate()
            .filter(|(i, _)| !subset.contains(i))
            .filter(|(_, p)| gfms_shamir::interpolate(&shares, p.header.x).is_ok_and(|y| y != p.y))
            .map(|(_, p)| p.relay_index)
            .collect();
        return Ok(Opened {
            plaintext: plaintext.to_vec(),
            batch_id,
            sender,
            bad_relays,
        });
    }
    Err(Error::NoSubsetAuthenticates {
        k,
        have: usable.len(),
    })
}

/// The `k`-subsets of `0..n` in lexicographic order.
struct Subsets {
    n: usize,
    current: Option<Vec<usize>>,
}

impl Subsets {
    fn new(n: usize, k: usize) -> Self {
        Self {
            n,
            current: (k <= n).then(|| (0..k).collect()),
        }
    }
}

impl Iterator for Subsets {
    type Item = Vec<usize>;
    fn next(&mut self) -> Option<Vec<usize>> {
        let out = self.current.clone()?;
        let k = out.len();
        let mut next = out.clone();
        // Find the rightmost index that can still move right.
        match (0..k).rev().find(|&i| next[i] < self.n - k + i) {
            Some(i) => {
                next[i] += 1;
                for j in i + 1..k {
                    next[j] = next[j - 1] + 1;
                }
                self.current = Some(next);
            }
            None => self.current = None,
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::Subsets;

    #[test]
    fn subsets_enumerate_every_combination_once() {
        let all: Vec<Vec<usize>> = Subsets::new(5, 3).collect();
        assert_eq!(all.len(), 10);
        assert_eq!(all[0], vec![0, 1, 2]);
        assert_eq!(all[9], vec![2, 3, 4]);
        assert_eq!(Subsets::new(3, 3).count(), 1);
        assert_eq!(Subsets::new(2, 3).count(), 0);
    }
}
