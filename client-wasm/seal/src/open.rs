//! The receive path's last two steps, and the one place that survives bad shares:
//! [`combine`] rebuilds the sealed batch from `k`-subsets of the fetched shares, and
//! [`open`] takes the first that authenticates and names the relays whose shares
//! disagree with it.

use gfms_shamir::Share;

use crate::seal::unseal;
use crate::{BatchId, Error, GroupKeys, SealedBatch, SenderId, SharePart};

/// At most this many `k`-subsets are tried; with the usual n ≤ 10 every subset fits, and
/// it bounds the work a hostile set of shares can cause.
const MAX_SUBSETS: usize = 4096;

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
    /// SHA-256 of the sealed batch that authenticated: what the receiver's delivery
    /// receipt names (docs/member-keys.md), and what the sender kept when it sealed it.
    pub sealed_sha256: [u8; 32],
}

/// The sealed batch as each `k`-subset of a batch's shares rebuilds it, in lexicographic
/// order of the subsets (at most 4096), made by [`combine`] and consumed by [`open`].
#[derive(Debug)]
pub struct Candidates<'a> {
    batch_id: BatchId,
    sender: SenderId,
    k: u8,
    /// One share per `x`: a repeated `x` (a replayed share) cannot add information.
    usable: Vec<&'a SharePart>,
    subsets: std::iter::Take<Subsets>,
}

/// Checks that `parts` are shares of one batch, at least `k` of them with distinct `x`,
/// and gives the candidates their `k`-subsets combine to (Lagrange interpolation at 0,
/// computed as [`open`] asks for them).
pub fn combine(parts: &[SharePart]) -> Result<Candidates<'_>, Error> {
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
    let subsets = Subsets::new(usable.len(), usize::from(k)).take(MAX_SUBSETS);
    Ok(Candidates {
        batch_id,
        sender,
        k,
        usable,
        subsets,
    })
}

impl Candidates<'_> {
    /// The next subset that combines, and the sealed batch it gives.
    fn next_candidate(&mut self) -> Option<(Vec<usize>, Vec<Share>, SealedBatch)> {
        for subset in self.subsets.by_ref() {
            let shares: Vec<Share> = subset
                .iter()
                .map(|&i| Share {
                    x: self.usable[i].header.x,
                    y: self.usable[i].y.clone(),
                })
                .collect();
            if let Ok(bytes) = gfms_shamir::combine(&shares) {
                let sealed = SealedBatch {
                    batch_id: self.batch_id,
                    sender: self.sender,
                    bytes,
                };
                return Some((subset, shares, sealed));
            }
        }
        None
    }

    /// Relays (indexes) of the shares outside `subset` that do not lie on its polynomial.
    fn disagreeing(&self, subset: &[usize], shares: &[Share]) -> Vec<usize> {
        self.usable
            .iter()
            .enumerate()
            .filter(|(i, _)| !subset.contains(i))
            .filter(|(_, p)| gfms_shamir::interpolate(shares, p.header.x).is_ok_and(|y| y != p.y))
            .map(|(_, p)| p.relay_index)
            .collect()
    }
}

/// Opens the first candidate that authenticates under the group's keys. If the first
/// `k` shares do not, other `k`-subsets are tried, so up to `n − k` missing or tampered
/// shares are survived; the relays whose shares disagree with the authentic result are
/// named in [`Opened::bad_relays`].
pub fn open(keys: &GroupKeys, mut candidates: Candidates<'_>) -> Result<Opened, Error> {
    while let Some((subset, shares, sealed)) = candidates.next_candidate() {
        let Some(plaintext) = unseal(keys, &sealed) else {
            continue;
        };
        return Ok(Opened {
            plaintext,
            batch_id: sealed.batch_id,
            sender: sealed.sender,
            bad_relays: candidates.disagreeing(&subset, &shares),
            sealed_sha256: sealed.sha256(),
        });
    }
    Err(Error::NoSubsetAuthenticates {
        k: candidates.k,
        have: candidates.usable.len(),
    })
}

/// The `k`-subsets of `0..n` in lexicographic order.
#[derive(Debug)]
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
