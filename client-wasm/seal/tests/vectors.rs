//! `tests/vectors/sealed-batch.json`: one batch sealed for three relays, as stored there
//! (share id and blob per relay), with the group secret, relay URLs, batch id, sender and
//! plaintext it came from, and the sealed batch (nonce ‖ ciphertext) the shares rebuild.
//! Another implementation can check its key schedule (share ids are derived from the
//! batch id per relay), header opening, combining and opening against it; ours must keep
//! opening it, byte for byte, whatever its API looks like.
//!
//! Written once by `GFMS_WRITE_VECTORS=1 cargo test -p gfms-seal --test vectors -- --ignored`
//! (only when the format changes on purpose: blobs hold random nonces and coefficients).
#![cfg(not(target_arch = "wasm32"))]

use gfms_protocol::ShareId;
use gfms_seal::{
    GroupKeys, GroupSecret, RelayKeys, SharePart, combine, open, read_share, seal, split_for_relays,
};
use serde_json::{Value, json};

const PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/vectors/sealed-batch.json"
);

fn bytes(v: &Value) -> Vec<u8> {
    hex::decode(v.as_str().expect("hex string")).expect("hex")
}

fn arr16(v: &Value) -> [u8; 16] {
    bytes(v).try_into().expect("16 bytes")
}

struct Vector {
    keys: GroupKeys,
    relays: Vec<RelayKeys>,
    k: u8,
    batch_id: [u8; 16],
    sender: [u8; 16],
    plaintext: Vec<u8>,
    sealed: Vec<u8>,
    shares: Vec<(ShareId, Vec<u8>)>,
}

fn load() -> Vector {
    let v: Value =
        serde_json::from_str(&std::fs::read_to_string(PATH).expect("vector file")).expect("json");
    let secret: [u8; 32] = bytes(&v["group_secret"]).try_into().expect("32 bytes");
    let keys = GroupKeys::derive(&GroupSecret::from_bytes(secret));
    let relays = v["relays"]
        .as_array()
        .expect("relays")
        .iter()
        .map(|u| keys.relay(u.as_str().expect("url")).expect("relay keys"))
        .collect();
    let shares = v["shares"]
        .as_array()
        .expect("shares")
        .iter()
        .map(|s| {
            (
                ShareId::parse(s["share_id"].as_str().expect("id")).expect("share id"),
                bytes(&s["blob"]),
            )
        })
        .collect();
    Vector {
        keys,
        relays,
        k: v["k"].as_u64().expect("k") as u8,
        batch_id: arr16(&v["batch_id"]),
        sender: arr16(&v["sender"]),
        plaintext: bytes(&v["plaintext"]),
        sealed: bytes(&v["sealed"]),
        shares,
    }
}

fn parts(v: &Vector, which: &[usize]) -> Vec<SharePart> {
    which
        .iter()
        .map(|&i| {
            let (sid, blob) = &v.shares[i];
            read_share(&v.relays[i], sid, i, blob).expect("header opens")
        })
        .collect()
}

#[test]
fn share_ids_are_derived_per_relay_from_the_batch_id() {
    let v = load();
    for (relay, (sid, _)) in v.relays.iter().zip(&v.shares) {
        assert_eq!(relay.share_id(&v.batch_id), *sid, "{}", relay.url);
    }
}

#[test]
fn headers_open_and_name_the_batch() {
    let v = load();
    let n = v.shares.len();
    for (i, p) in parts(&v, &(0..n).collect::<Vec<_>>()).iter().enumerate() {
        assert_eq!(p.header.batch_id, v.batch_id);
        assert_eq!(p.header.sender, v.sender);
        assert_eq!(
            (p.header.x, p.header.k, p.header.n),
            (i as u8 + 1, v.k, n as u8)
        );
        assert_eq!(
            p.y.len(),
            v.sealed.len(),
            "y is as long as the sealed batch"
        );
    }
    // A header moved onto another share id does not open.
    assert!(read_share(&v.relays[0], &v.shares[1].0, 0, &v.shares[0].1).is_err());
}

#[test]
fn any_k_shares_rebuild_the_sealed_batch_and_open_it() {
    let v = load();
    for which in [[0, 1], [0, 2], [1, 2]] {
        let ps = parts(&v, &which);
        let shares: Vec<gfms_shamir::Share> = ps
            .iter()
            .map(|p| gfms_shamir::Share {
                x: p.header.x,
                y: p.y.clone(),
            })
            .collect();
        assert_eq!(gfms_shamir::combine(&shares).expect("combine"), v.sealed);
        let opened = open(&v.keys, combine(&ps).expect("one batch")).expect("opens");
        assert_eq!(opened.plaintext, v.plaintext);
        assert_eq!((opened.batch_id, opened.sender), (v.batch_id, v.sender));
    }
}

#[test]
fn a_flipped_byte_is_named_and_survived() {
    let v = load();
    let mut ps = parts(&v, &[0, 1, 2]);
    ps[1].y[7] ^= 0x01;
    let opened = open(&v.keys, combine(&ps).expect("one batch")).expect("opens from the other two");
    assert_eq!(opened.plaintext, v.plaintext);
    assert_eq!(opened.bad_relays, vec![1]);
}

#[test]
fn sealing_again_gives_the_same_ids_headers_and_sizes() {
    let v = load();
    let sealed = seal(&v.keys, v.batch_id, v.sender, &v.plaintext).expect("seal");
    assert_eq!(sealed.bytes.len(), v.sealed.len());
    let again = split_for_relays(&sealed, &v.relays, v.k).expect("split");
    for (i, s) in again.iter().enumerate() {
        assert_eq!(s.share_id, v.shares[i].0);
        assert_eq!(s.blob.len(), v.shares[i].1.len());
        let part = read_share(&v.relays[i], &s.share_id, i, &s.blob).expect("header");
        assert_eq!(
            (part.header.batch_id, part.header.x),
            (v.batch_id, i as u8 + 1)
        );
        assert_eq!(part.y.len(), v.sealed.len());
    }
}

#[test]
#[ignore = "writes the vector file"]
fn write_vectors() {
    if std::env::var("GFMS_WRITE_VECTORS").is_err() {
        return;
    }
    let secret = [0x5e; 32];
    let keys = GroupKeys::derive(&GroupSecret::from_bytes(secret));
    let urls = [
        "https://relay-a.example",
        "https://relay-b.example",
        "https://relay-c.example",
    ];
    let relays: Vec<RelayKeys> = urls.iter().map(|u| keys.relay(u).unwrap()).collect();
    let (batch_id, sender) = ([0xb1; 16], [0xa1; 16]);
    let plaintext = br#"{"events":[{"note":"Bakery 12.50 EUR"}]}"#;
    let sealed = seal(&keys, batch_id, sender, plaintext).unwrap();
    let shares = split_for_relays(&sealed, &relays, 2).unwrap();
    let doc = json!({
        "description": "One GFMS batch sealed for three relays (k = 2): per relay the share id \
    (derived: HKDF-Expand(relay share id key, \"share id\\0\" || batch id)) and the blob it stores \
    (sealed header || y). 'sealed' is nonce || XChaCha20-Poly1305(record key, padded plaintext), \
    what any 2 shares rebuild. Keys come from group_secret as docs/share-format.md says. All hex.",
        "group_secret": hex::encode(secret),
        "relays": urls,
        "k": 2,
        "batch_id": hex::encode(batch_id),
        "sender": hex::encode(sender),
        "plaintext": hex::encode(plaintext),
        "sealed": hex::encode(&sealed.bytes),
        "shares": shares.iter().map(|s| json!({
            "relay": urls[s.relay_index],
            "share_id": s.share_id.to_string(),
            "blob": hex::encode(&s.blob),
        })).collect::<Vec<_>>(),
    });
    std::fs::write(PATH, serde_json::to_string_pretty(&doc).unwrap() + "\n").unwrap();
}
