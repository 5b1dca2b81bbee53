//! What a group relies on when its batches cross the relays.
#![cfg(not(target_arch = "wasm32"))]

use gfms_seal::{
    Error, GroupKeys, GroupSecret, Opened, RelayKeys, RelayShare, SharePart, combine, open,
    read_share, seal, split_for_relays,
};
use proptest::prelude::*;

fn group(byte: u8) -> GroupKeys {
    GroupKeys::derive(&GroupSecret::from_bytes([byte; 32]))
}

fn relays(keys: &GroupKeys, n: usize) -> Vec<RelayKeys> {
    (0..n)
        .map(|i| keys.relay(&format!("https://relay{i}.example")).unwrap())
        .collect()
}

/// What a sender does: seal, then split over the relays.
fn seal_and_split(
    keys: &GroupKeys,
    relays: &[RelayKeys],
    k: u8,
    plaintext: &[u8],
) -> Result<Vec<RelayShare>, Error> {
    split_for_relays(&seal(keys, BATCH, ALICE, plaintext)?, relays, k)
}

/// What a receiver does: read each fetched blob's header with that relay's keys.
fn parts(relays: &[RelayKeys], shares: &[RelayShare], which: &[usize]) -> Vec<SharePart> {
    which
        .iter()
        .map(|&i| {
            let s = &shares[i];
            read_share(&relays[i], &s.share_id, i, &s.blob).unwrap()
        })
        .collect()
}

/// Then combine and open.
fn open_batch(keys: &GroupKeys, parts: &[SharePart]) -> Result<Opened, Error> {
    open(keys, combine(parts)?)
}

const BATCH: [u8; 16] = [0xb7; 16];
const ALICE: [u8; 16] = [0xa1; 16];

#[test]
fn any_k_relays_open_what_was_sealed() {
    let keys = group(1);
    let relays = relays(&keys, 5);
    let batch = seal_and_split(&keys, &relays, 3, b"Bakery 12.50 EUR").unwrap();
    assert_eq!(batch.len(), 5);
    for which in [[0, 1, 2], [2, 3, 4], [0, 2, 4]] {
        let opened = open_batch(&keys, &parts(&relays, &batch, &which)).unwrap();
        assert_eq!(opened.plaintext, b"Bakery 12.50 EUR");
        assert_eq!((opened.batch_id, opened.sender), (BATCH, ALICE));
        assert!(opened.bad_relays.is_empty());
    }
}

/// A receipt names the sealed batch by its hash: the receiver's rebuilt bytes hash to
/// what the sender kept when it sealed them.
#[test]
fn the_receiver_knows_the_hash_the_sender_kept() {
    let keys = group(1);
    let relays = relays(&keys, 3);
    let sealed = seal(&keys, BATCH, ALICE, b"Bakery 12.50 EUR").unwrap();
    let batch = split_for_relays(&sealed, &relays, 2).unwrap();
    let opened = open_batch(&keys, &parts(&relays, &batch, &[1, 2])).unwrap();
    assert_eq!(opened.sealed_sha256, sealed.sha256());
}

#[test]
fn share_ids_differ_per_relay_and_blobs_hide_the_record_size() {
    let keys = group(1);
    let relays = relays(&keys, 3);
    let small = seal_and_split(&keys, &relays, 2, b"1 EUR").unwrap();
    let large = seal_and_split(&keys, &relays, 2, &[b'x'; 200]).unwrap();
    assert_eq!(
        small[0].blob.len(),
        large[0].blob.len(),
        "same bucket, same size"
    );
    let ids: std::collections::HashSet<_> = small.iter().map(|s| s.share_id).collect();
    assert_eq!(ids.len(), 3);
    assert!(
        !small
            .iter()
            .any(|s| s.blob.windows(5).any(|w| w == b"1 EUR")),
        "no plaintext in any blob"
    );
}

#[test]
fn too_few_shares_and_foreign_keys_are_refused() {
    let keys = group(1);
    let relays = relays(&keys, 3);
    let batch = seal_and_split(&keys, &relays, 2, b"secret").unwrap();
    assert_eq!(
        open_batch(&keys, &parts(&relays, &batch, &[1])),
        Err(Error::NotEnoughShares { need: 2, have: 1 })
    );
    let other = group(2);
    assert!(matches!(
        open_batch(&other, &parts(&relays, &batch, &[0, 1])),
        Err(Error::NoSubsetAuthenticates { .. })
    ));
    // Another group's relay keys cannot even read the headers.
    let foreign = other.relay("https://relay0.example").unwrap();
    assert_eq!(
        read_share(&foreign, &batch[0].share_id, 0, &batch[0].blob).err(),
        Some(Error::BadHeader)
    );
    // Nor can the right keys under another share id (a relay moving blobs around).
    assert_eq!(
        read_share(&relays[0], &batch[1].share_id, 0, &batch[0].blob).err(),
        Some(Error::BadHeader)
    );
    assert!(matches!(
        seal_and_split(&keys, &relays, 4, b"x"),
        Err(Error::InvalidThreshold { .. })
    ));
    assert!(matches!(
        seal_and_split(&keys, &relays, 1, b"x"),
        Err(Error::InvalidThreshold { .. })
    ));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, .. ProptestConfig::default() })]

    /// One relay of k+1 serving a tampered share: detected, named, and survived.
    #[test]
    fn one_tampered_share_of_k_plus_one_is_named_and_survived(
        plaintext in proptest::collection::vec(any::<u8>(), 0..2000),
        k in 2u8..5,
        bad in 0usize..5,
        flip in any::<usize>(),
    ) {
        let keys = group(3);
        let n = usize::from(k) + 1;
        let relays = relays(&keys, n);
        let batch = seal_and_split(&keys, &relays, k, &plaintext).unwrap();
        let bad = bad % n;
        let mut fetched = parts(&relays, &batch, &(0..n).collect::<Vec<_>>());
        let y = &mut fetched[bad].y;
        let at = flip % y.len();
        y[at] ^= 0x5a;
        let opened = open_batch(&keys, &fetched).unwrap();
        prop_assert_eq!(opened.plaintext, plaintext);
        prop_assert_eq!(opened.bad_relays, vec![bad]);
    }

    /// Garbage from a relay never panics the receiver.
    #[test]
    fn garbage_blobs_are_refused_without_panicking(blob in proptest::collection::vec(any::<u8>(), 0..300), x in any::<u8>(), k in any::<u8>()) {
        let keys = group(4);
        let relay = keys.relay("https://r.example").unwrap();
        prop_assert!(read_share(&relay, &gfms_protocol::ShareId::from_bytes([1; 16]), 0, &blob).is_err());
        let part = SharePart { relay_index: 0, header: gfms_seal::ShareHeader { batch_id: BATCH, sender: ALICE, x, k, n: k }, y: blob.clone() };
        let second = SharePart { relay_index: 1, ..part.clone() };
        let result = open_batch(&keys, &[part, second]);
        prop_assert!(result.is_err());
    }
}
